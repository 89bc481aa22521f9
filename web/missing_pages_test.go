package web_test

import (
	"bytes"
	"html/template"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
	"lantern/web"
)

// The missing episode pages, signed in, through their forms: errors, values
// kept, the return, the interview and who may read it, the child's page and
// the figures. The test server's clock is 22 November 2026 at 10:00 (GMT).

var episodeLocationRE = regexp.MustCompile(`^(/children/[^/]+/missing-episodes/[^/?]+)\?done=recorded$`)

func TestMissingPages(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f := e.srv, e.f
			sw := storetest.As(f.SocialWorker)
			b := browserFor(t, srv, f.SocialWorker.Email)
			child := e.createChild(f.SocialWorker, "Mia", "Hughes")
			base := "/children/" + child.ID
			form := base + "/missing-episodes/new"
			// Mia's episode, her return and her interview are steps later
			// subtests build on (the figures count them all): each is taken
			// by its subtest or, when that is not run, by the test after it.
			recorded := newStep("Mia's episode", func(t *testing.T) string {
				r := b.post(form, with(when("missing_from", "21", "11", "2026", "18:00"), "kind", "missing", "reported_by", "Foster carer",
					"police_reference", "NM-2026-1142"))
				m := episodeLocationRE.FindStringSubmatch(r.header.Get("Location"))
				if r.status != 303 || m == nil {
					t.Fatalf("record the episode: %d to %q: %.1500s", r.status, r.header.Get("Location"), r.body)
				}
				return m[1]
			})
			returnForm := with(when("returned_at", "22", "11", "2026", "08:00"), "version", "1", "returned_where", "Bus station", "presentation_notes", "Cold, said little")
			returnForm["presentation"] = []string{"tired-or-hungry", "new-possessions"}
			returned := newStep("Mia's return", func(t *testing.T) struct{} {
				episode := recorded.take(t)
				wantRedirect(t, b.post(episode+"/return", returnForm), episode+"?done=returned")
				return struct{}{}
			})
			words := `He said "don't tell" & <b>drove</b> me`
			interviewed := newStep("Mia's return interview", func(t *testing.T) struct{} {
				episode := recorded.take(t)
				in := with(when("held_at", "22", "11", "2026", "09:30"), "outcome", "held", "held_by", "Ivy Independent", "child_said", words)
				in["follow_up"] = []string{"reassessment", "police-intelligence"}
				wantRedirect(t, b.post(episode+"/interview", in), episode+"?done=interview")
				return struct{}{}
			})

			t.Run("the form, with errors, values kept", func(t *testing.T) {
				r := b.get(base)
				wantPage(t, r, 200, "Missing and absent episodes", "No missing or absent episodes have been recorded.", `href="`+form+`"`)
				wantPage(t, b.get(form), 200, "Record a missing episode", `action="`+form+`"`, "report it to the police on 999 now")
				if strings.Contains(string(b.get(form).body), `name="placement"`) {
					t.Errorf("the form asks for a placement of a child who is not looked after")
				}
				r = b.post(form, url.Values{})
				wantPage(t, r, 422, errorSummary, "<title>Error: Record a missing episode", "Select whether the child was missing or absent",
					"Enter the date and time the child went missing")
				wantErrorLinks(t, r, "kind", "missing_from")

				r = b.post(form, with(when("missing_from", "31", "2", "2026", "18:00"), "kind", "missing", "reported_by", `Jo <b>"Carer"</b>`,
					"returned_where", "Bus station", "presentation", "injuries"))
				wantPage(t, r, 422, errorSummary, "The date the child went missing must be a real date",
					"Enter the date and time the child returned, or leave the details of the return blank",
					`value="Jo &lt;b&gt;&#34;Carer&#34;&lt;/b&gt;"`, `value="Bus station"`)
				wantErrorLinks(t, r, "missing_from", "returned_at")
				if !regexp.MustCompile(`id="presentation" name="presentation" type="checkbox" value="injuries" checked`).Match(r.body) ||
					!regexp.MustCompile(`value="missing"[^>]*checked`).Match(r.body) {
					t.Errorf("the ticked presentation or the kind was not kept")
				}

				for _, c := range []struct {
					form url.Values
					msg  string
					link string
				}{
					{with(when("missing_from", "22", "11", "2026", "11:00"), "kind", "missing"),
						"The date and time the child went missing must not be in the future", "missing_from"},
					{with(when("missing_from", "21", "11", "2026", "18:00"), "kind", "absent", "returned_at-day", "21", "returned_at-month", "11",
						"returned_at-year", "2026", "returned_at-time", "17:00"), "The return cannot be before the child went missing", "returned_at"},
					{with(when("missing_from", "21", "11", "2026", "18:00"), "kind", "missing", "police_reference", strings.Repeat("x", 501)),
						"The police reference must be 500 characters or fewer", "police_reference"},
				} {
					r := b.post(form, c.form)
					wantPage(t, r, 422, errorSummary, c.msg)
					wantErrorLinks(t, r, c.link)
				}
				if es, err := srv.Store.Episodes(sw, child.ID); err != nil || len(es) != 0 {
					t.Fatalf("episodes stored after refusals: %v %v", es, err)
				}

				episode := recorded.take(t)
				wantPage(t, b.get(episode+"?done=recorded"), 200, "The episode has been recorded", "Missing from 21 November 2026 at 18:00",
					"Mia is still missing", "By Foster carer", "NM-2026-1142", "Record the return", `action="`+episode+`/return"`,
					"an independent return interview is due within 72 hours")
				wantPage(t, b.get(base), 200, "Mia is still missing: since 21 November 2026 at 18:00", `href="`+episode+`"`, "Still missing",
					"In the last 30 days")
			})
			episode := recorded.take(t)

			t.Run("the return, and a stale one", func(t *testing.T) {
				r := b.post(episode+"/return", url.Values{"version": {"1"}})
				wantPage(t, r, 422, errorSummary, "Enter the date and time the child returned")
				wantErrorLinks(t, r, "returned_at")
				r = b.post(episode+"/return", with(when("returned_at", "21", "11", "2026", "17:00"), "version", "1", "returned_with", "Two older men"))
				wantPage(t, r, 422, errorSummary, "The return cannot be before the child went missing", `value="Two older men"`)
				wantErrorLinks(t, r, "returned_at")

				returned.take(t)
				wantPage(t, b.get(episode+"?done=returned"), 200, "The return has been recorded", "22 November 2026 at 08:00</time>, after 14 hours",
					"Bus station", "Tired or hungry", "New possessions, money or clothes", "Cold, said little",
					"within 72 hours of the return", "25 November 2026 at 08:00", ">Open<", "Record the return interview", `action="`+episode+`/interview"`)

				r = b.post(episode+"/return", returnForm)
				wantPage(t, r, 409, errorSummary, web.StaleEpisode, `href="#episode"`, `id="episode"`)
				if strings.Contains(string(r.body), `action="`+episode+`/return"`) {
					t.Errorf("the return form is shown again for a returned episode")
				}
			})
			returned.take(t)

			t.Run("the return interview", func(t *testing.T) {
				r := b.post(episode+"/interview", url.Values{})
				wantPage(t, r, 422, errorSummary, "Select whether the interview was held")
				wantErrorLinks(t, r, "outcome")
				r = b.post(episode+"/interview", url.Values{"outcome": {"held"}, "child_said": {"kept"}})
				wantPage(t, r, 422, errorSummary, "Enter the date and time the interview was held", "Enter the independent person", ">kept</textarea>")
				wantErrorLinks(t, r, "held_at", "held_by")
				r = b.post(episode+"/interview", with(when("held_at", "22", "11", "2026", "07:00"), "outcome", "held", "held_by", "Ivy Independent"))
				wantPage(t, r, 422, errorSummary, "The interview cannot be before the return")
				wantErrorLinks(t, r, "held_at")

				interviewed.take(t)
				r = b.get(episode + "?done=interview")
				wantPage(t, r, 200, "The return interview has been recorded", "Held 22 November 2026 at 09:30 by Ivy Independent",
					template.HTMLEscapeString(words), "Complete the toolkit again", "Share intelligence with the police", template.HTMLEscapeString(web.RestrictedReaders), ">Done<")
				if strings.Contains(string(r.body), "<b>drove</b>") || strings.Contains(string(r.body), `action="`+episode+`/interview"`) {
					t.Errorf("the words are not escaped, or the interview form is still there")
				}
				wantPage(t, b.post(episode+"/interview", with(url.Values{}, "outcome", "declined")), 409, errorSummary, "already recorded")
			})
			interviewed.take(t)

			// Rae's episode, which the school recorded, and its interview.
			rae := newStep("Rae's episode", func(t *testing.T) string {
				teacher := storetest.As(f.Teacher)
				c, err := srv.Store.CreateChild(teacher, lantern.ChildInput{GivenName: "Rae", FamilyName: "Pupil", DateOfBirth: lantern.Date{Year: 2012, Month: 3, Day: 1}, Gender: "female"})
				if err != nil {
					t.Fatal(err)
				}
				ret := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
				ep, err := srv.Store.CreateEpisode(teacher, c.ID, lantern.EpisodeInput{MissingFrom: ret.Add(-10 * time.Hour), ReturnedAt: &ret})
				if err != nil {
					t.Fatal(err)
				}
				held := ret.Add(2 * time.Hour)
				if _, err := srv.Store.RecordInterview(sw, c.ID, ep.ID, lantern.InterviewInput{HeldAt: &held, HeldBy: "Ivy Independent", ChildSaid: "At his flat"}); err != nil {
					t.Fatal(err)
				}
				return "/children/" + c.ID + "/missing-episodes/" + ep.ID
			})
			t.Run("who may read what the young person said", func(t *testing.T) {
				path := rae.take(t)
				tb := browserFor(t, srv, f.Teacher.Email)
				r := tb.get(path)
				wantPage(t, r, 200, "Restricted", template.HTMLEscapeString(web.RestrictedReaders), "Ivy Independent")
				if strings.Contains(string(r.body), "At his flat") {
					t.Errorf("the school's practitioner reads what the young person said")
				}
				wantPage(t, b.get(path), 200, "At his flat", `id="return-interview-task"`, `<strong class="govuk-tag govuk-tag--green">Done</strong>`)
				wantPage(t, tb.get(episode), 404)
				wantPage(t, tb.post(episode+"/return", with(when("returned_at", "22", "11", "2026", "08:00"), "version", "2")), 404)
			})
			rae.take(t)

			// Lee's three episodes: the subtest is the step, taken whole by
			// the test when it is not run.
			lee := newStep("Lee's episodes", func(t *testing.T) struct{} {
				c, err := srv.Store.CreateChild(sw, lantern.ChildInput{GivenName: "Lee", FamilyName: "Placed", DateOfBirth: lantern.Date{Year: 2011, Month: 6, Day: 1},
					Gender: "male", ChildDetails: lantern.ChildDetails{LookedAfter: true, PlacingAuthority: "Westshire County Council"}})
				if err != nil {
					t.Fatal(err)
				}
				lform := "/children/" + c.ID + "/missing-episodes/new"
				wantPage(t, b.get(lform), 200, `name="placement"`, "Westshire County Council")
				for i, day := range []string{"1", "8", "15"} {
					in := with(when("missing_from", day, "11", "2026", "21:00"), "kind", "missing", "placement", "Oak House",
						"returned_at-day", day, "returned_at-month", "11", "returned_at-year", "2026", "returned_at-time", "23:30")
					if i == 0 {
						in = with(in, "placing_authority_informed-day", "1", "placing_authority_informed-month", "11",
							"placing_authority_informed-year", "2026", "placing_authority_informed-time", "22:00")
					}
					r := b.post(lform, in)
					if r.status != 303 {
						t.Fatalf("episode %d: %d %.1500s", i, r.status, r.body)
					}
					if i == 0 {
						wantPage(t, b.get(r.header.Get("Location")), 200, "Yes: missing from Oak House", "The placing authority was told 1 November 2026 at 22:00")
					}
				}
				wantPage(t, b.get("/children/"+c.ID), 200, "Lee has been missing or absent 3 times in the last 90 days",
					`<a class="govuk-link" href="/children/`+c.ID+`/assessments/new">Complete the toolkit again</a>`, "Night (10pm to 6am)")
				return struct{}{}
			})
			t.Run("a looked-after child, and the prompt to reassess", func(t *testing.T) { lee.take(t) })
			lee.take(t)

			t.Run("the figures", func(t *testing.T) {
				wantPage(t, b.get("/reports/missing"), 403)
				mgr, err := srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "manager@csc.example.org", Name: "Mo Manager",
					AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleManager}, Password: storetest.Password})
				if err != nil {
					t.Fatal(err)
				}
				mb := browserFor(t, srv, mgr.Email)
				wantPage(t, mb.get("/"), 200, `href="/reports/missing"`)
				r := mb.get("/reports/missing?from=2026-11-01&to=2026-11-30")
				wantPage(t, r, 200, "All children, 1 November 2026 to 30 November 2026", "Looked-after children, 1 November 2026 to 30 November 2026",
					"November 2026")
				// November: Mia's, Rae's and Lee's three episodes; Lee twice or
				// more, and looked after.
				rows := regexp.MustCompile(`(?s)<th scope="row" class="govuk-table__header">November 2026</th>(.*?)</tr>`).FindAllSubmatch(r.body, -1)
				cells := func(b []byte) string {
					return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(b), " ")), " ")
				}
				if len(rows) != 2 || cells(rows[0][1]) != "5 3 1 5 2 5 40.0%" || cells(rows[1][1]) != "3 1 1 3 0 3 0.0%" {
					for _, row := range rows {
						t.Logf("row: %s", cells(row[1]))
					}
					t.Errorf("November's rows are not as counted")
				}
				r = mb.get("/reports/missing?from=2026-11-31&to=nope")
				wantPage(t, r, 422, errorSummary, "from must be a date", "to must be a date", `value="nope"`)
			})
		})
	}
}

// TestChildMissingTemplate renders the child page's partial alone: nothing
// without the patterns, and the page or its data map alike.
func TestChildMissingTemplate(t *testing.T) {
	src, err := os.ReadFile("templates/partials_missing.html")
	if err != nil {
		t.Fatal(err)
	}
	fm := template.FuncMap{
		"datetime":          func(t time.Time) string { return t.Format("2 January 2006 at 15:04") },
		"isodate":           func(t time.Time) string { return t.Format(time.RFC3339) },
		"missingDuration":   func(d time.Duration) string { return d.String() },
		"presentationLabel": lantern.PresentationLabel,
		"notHeldLabel":      func(s string) string { return s },
		"dict":              func(kv ...any) map[string]any { return nil },
	}
	tmpl := template.Must(template.New("t").Funcs(fm).Parse(string(src)))
	render := func(dot any) string {
		t.Helper()
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, "child-missing", dot); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(buf.String())
	}
	c := &lantern.Child{ID: "c1", GivenName: "Ana"}
	if out := render(struct{ Data any }{map[string]any{"Child": c, "CanEdit": true}}); out != "" {
		t.Errorf("without patterns, the partial shows %q", out)
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	es := []*lantern.MissingEpisode{{ID: "e1", Kind: "missing", MissingFrom: now.Add(-time.Hour)}}
	data := map[string]any{"Child": c, "CanEdit": false, "Episodes": es, "Missing": lantern.EpisodePatterns(es, now)}
	for _, dot := range []any{data, struct{ Data any }{data}} {
		out := render(dot)
		if !strings.Contains(out, "Ana is still missing") || strings.Contains(out, "/missing-episodes/new") {
			t.Errorf("the partial shows %q", out)
		}
	}
}
