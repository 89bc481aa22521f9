package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/clocks"
	"lantern/store/storetest"
	"lantern/web"
)

// when is the form values of a date and time field.
func when(name, day, month, year, hm string) url.Values {
	return url.Values{name + "-day": {day}, name + "-month": {month}, name + "-year": {year}, name + "-time": {hm}}
}

// with adds pairs of names and values to a form.
func with(v url.Values, kv ...string) url.Values {
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// wantErrorLinks fails unless the page's error summary links to exactly
// these fields, and each has its inline message.
func wantErrorLinks(t *testing.T, r response, fields ...string) {
	t.Helper()
	summary := regexp.MustCompile(`(?s)<div class="govuk-error-summary".*?</ul>`).Find(r.body)
	if summary == nil {
		t.Fatalf("no error summary: %.2000s", r.body)
	}
	var got []string
	for _, m := range regexp.MustCompile(`<a href="#([^"]+)">`).FindAllSubmatch(summary, -1) {
		got = append(got, string(m[1]))
	}
	if strings.Join(got, " ") != strings.Join(fields, " ") {
		t.Errorf("error summary links to %q, want %q", got, fields)
	}
	for _, f := range fields {
		if !strings.Contains(string(r.body), `id="`+f+`"`) {
			t.Errorf("no element with the id %s, which the error summary links to", f)
		}
		if !strings.Contains(string(r.body), `id="`+f+`-error"`) && !strings.HasPrefix(f, "referral") {
			t.Errorf("no inline error message for %s", f)
		}
	}
}

var locationRE = regexp.MustCompile(`^(/children/[^/]+/[a-z-]+/[^/?]+)\?done=recorded$`)

// created checks a 303 to an event's page and returns the page's path.
func created(t *testing.T, r response, prefix string) string {
	t.Helper()
	loc := r.header.Get("Location")
	m := locationRE.FindStringSubmatch(loc)
	if r.status != 303 || m == nil || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("got %d to %q, want 303 to %s...?done=recorded; body %.1500s", r.status, loc, prefix, r.body)
	}
	return m[1]
}

func TestEventPages(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f := e.srv, e.f
			swB := browserFor(t, srv, f.SocialWorker.Email)
			child := e.createChild(f.SocialWorker, "Ria", "Patel")
			base := "/children/" + child.ID
			// Ria's story: later subtests build on each of these steps. Each
			// is taken by its subtest or, when that is not run, by the test
			// after it.
			referralStep := newStep("Ria's referral", func(t *testing.T) string {
				return created(t, swB.post(base+"/referrals/new", with(when("received_at", "24", "12", "2025", "16:30"),
					"method", "phone", "referrer_name", "Jo Bloggs", "referrer_agency", "Riverside Academy")), base+"/referrals/")
			})
			decision := newStep("the referral's decision", func(t *testing.T) struct{} {
				referral := referralStep.take(t)
				r := swB.post(referral+"/update", with(when("decided_at", "29", "12", "2025", "11:15"), "form", "decision", "version", "1", "decision", "assessment"))
				wantRedirect(t, r, referral+"?done=decision")
				return struct{}{}
			})
			discussionForm := func() url.Values {
				return with(when("held_at", "5", "1", "2026", "14:00"), "decision", "s47",
					"participant-1-name", "Sam Worker", "participant-1-agency", "Children's services",
					"participant-2-name", "PC Lee", "participant-2-agency", "Northmoor Police", "notes", "Agreed to start enquiries")
			}
			discussion := newStep("the strategy discussion", func(t *testing.T) string {
				return created(t, swB.post(base+"/strategy-discussions/new", discussionForm()), base+"/strategy-discussions/")
			})
			conference := newStep("the initial conference", func(t *testing.T) string {
				discussion.take(t)
				return created(t, swB.post(base+"/conferences/new", with(when("held_at", "20", "1", "2026", "10:00"), "kind", "initial", "outcome", "plan")),
					base+"/conferences/")
			})
			coreGroup := newStep("the core group", func(t *testing.T) string {
				conference.take(t)
				return created(t, swB.post(base+"/core-groups/new", when("held_at", "27", "1", "2026", "15:00")), base+"/core-groups/")
			})
			assessmentForm := func() url.Values {
				form := with(when("started_at", "30", "12", "2025", "09:00"), "kind", "single")
				for k, v := range when("completed_at", "20", "2", "2026", "09:00") {
					form[k] = v
				}
				return form
			}
			assessment := newStep("the social work assessment", func(t *testing.T) string {
				referralStep.take(t)
				return created(t, swB.post(base+"/social-work-assessments/new", assessmentForm()), base+"/social-work-assessments/")
			})

			t.Run("every form, sent empty, names its fields", func(t *testing.T) {
				for _, c := range []struct {
					slug, heading string
					fields        []string
					messages      []string
				}{
					{"referrals", "Record a referral", []string{"received_at", "method", "referrer_name"},
						[]string{"Enter the date and time the referral was received", "Select how the referral was received", "Enter the name of the person who made the referral"}},
					{"strategy-discussions", "Record a strategy discussion", []string{"held_at", "decision"},
						[]string{"Enter the date and time the strategy discussion was held", "Select what the strategy discussion decided"}},
					{"conferences", "Record a child protection conference", []string{"kind", "held_at", "outcome"},
						[]string{"Select whether this was an initial or a review conference", "Enter the date and time the conference was held", "Select whether the child needs a child protection plan"}},
					{"core-groups", "Record a core group meeting", []string{"held_at"}, []string{"Enter the date and time the core group met"}},
					{"social-work-assessments", "Record a social work assessment", []string{"kind", "started_at"},
						[]string{"Select the kind of assessment", "Enter the date and time the assessment started"}},
				} {
					path := base + "/" + c.slug + "/new"
					wantPage(t, swB.get(path), 200, c.heading, `action="`+path+`"`)
					r := swB.post(path, url.Values{})
					wantPage(t, r, 422, append([]string{errorSummary, "<title>Error: " + c.heading}, c.messages...)...)
					wantErrorLinks(t, r, c.fields...)
				}
			})

			t.Run("a referral with problems is shown again, values kept", func(t *testing.T) {
				form := with(when("received_at", "31", "2", "2026", "09:00"), "method", "written", "referrer_name", `Jo <b>"Ref"</b>`, "referrer_agency", "Riverside Academy")
				r := swB.post(base+"/referrals/new", form)
				wantPage(t, r, 422, errorSummary, "The date the referral was received must be a real date",
					`value="Jo &lt;b&gt;&#34;Ref&#34;&lt;/b&gt;"`, `value="Riverside Academy"`, `name="received_at-day" type="text" inputmode="numeric" value="31"`)
				wantErrorLinks(t, r, "received_at")
				if !regexp.MustCompile(`value="written"[^>]*checked`).Match(r.body) {
					t.Errorf("the chosen method was not kept")
				}
				for _, c := range []struct {
					when url.Values
					msg  string
				}{
					{when("received_at", "1", "", "2026", "09:00"), "The date the referral was received must include a month"},
					{when("received_at", "1", "2", "26", "09:00"), "must be a real date"},
					{when("received_at", "1", "2", "2026", ""), "Enter the time the referral was received, like 16:30"},
					{when("received_at", "1", "2", "2026", "25:00"), "must be a real time on the 24-hour clock"},
					{when("received_at", "29", "3", "2026", "01:30"), "did not happen in the UK: the clocks went forward"},
					// The test server's clock is 22 November 2026 at 10:00.
					{when("received_at", "1", "1", "2027", "09:00"), "The date and time the referral was received must not be in the future"},
					{when("received_at", "22", "11", "2026", "10:30"), "The date and time the referral was received must not be in the future"},
				} {
					r := swB.post(base+"/referrals/new", with(c.when, "method", "phone", "referrer_name", "Jo"))
					wantPage(t, r, 422, errorSummary, c.msg)
					wantErrorLinks(t, r, "received_at")
				}
				r = swB.post(base+"/referrals/new", with(when("received_at", "1", "2", "2026", "09:00"), "method", "phone", "referrer_name", strings.Repeat("x", 201)))
				wantPage(t, r, 422, errorSummary)
				wantErrorLinks(t, r, "referrer_name")
				evs, err := srv.Store.ChildEvents(storetest.As(f.SocialWorker), child.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(evs.Referrals) != 0 {
					t.Errorf("a refused referral was stored: %+v", evs.Referrals[0])
				}
			})

			t.Run("a telephone referral starts four clocks", func(t *testing.T) {
				referral := referralStep.take(t)
				r := swB.get(referral + "?done=recorded")
				wantPage(t, r, 200, "The referral has been recorded", "Referral received 24 December 2025 at 16:30", "By telephone", "Jo Bloggs, Riverside Academy",
					"Decide what happens next with the referral", "Referrer confirms the telephone referral in writing",
					"Tell the referrer what was decided", "Complete the assessment",
					// One working day after Christmas Eve 2025: the 25th and
					// 26th are bank holidays, then the weekend.
					"<td class=\"govuk-table__cell\">29 December 2025</td>",
					"26 December 2025 at 16:30", "27 December 2025 at 16:30",
					`<strong class="govuk-tag govuk-tag--red">328 days late</strong>`,
					"Record the decision", "Record the written follow-up", "Record feedback to the referrer")
				if n := strings.Count(string(r.body), `govuk-tag--red">`); n != 4 {
					t.Errorf("%d tasks are shown late, want all 4", n)
				}
				ts, err := srv.Store.ChildTasks(storetest.As(f.SocialWorker), child.ID)
				if err != nil {
					t.Fatal(err)
				}
				due := map[string]string{}
				for _, tk := range ts {
					due[tk.Clock] = tk.DueDate.String()
				}
				for clock, want := range map[string]string{clocks.ReferralDecision: "2025-12-29", clocks.ReferralWrittenFollowup: "2025-12-26",
					clocks.ReferrerFeedback: "2025-12-27"} {
					if due[clock] != want {
						t.Errorf("%s due %q, want %s", clock, due[clock], want)
					}
				}
				if len(ts) != 4 {
					t.Errorf("%d tasks, want 4: %v", len(ts), due)
				}
			})
			referral := referralStep.take(t)

			taskStatus := func(clock string) lantern.TaskStatus {
				t.Helper()
				ts, err := srv.Store.ChildTasks(storetest.As(f.SocialWorker), child.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, tk := range ts {
					if tk.Clock == clock {
						return tk.Status
					}
				}
				return ""
			}

			t.Run("recording the decision ends its task", func(t *testing.T) {
				r := swB.post(referral+"/update", url.Values{"form": {"decision"}, "version": {"1"}})
				wantPage(t, r, 422, errorSummary, "Select the decision", "Enter the date and time the decision was made")
				wantErrorLinks(t, r, "decision", "decided_at")
				r = swB.post(referral+"/update", with(when("decided_at", "23", "12", "2025", "10:00"), "form", "decision", "version", "1", "decision", "assessment"))
				wantPage(t, r, 422, "The date and time the decision was made cannot be before the referral was received")
				wantErrorLinks(t, r, "decided_at")
				if !regexp.MustCompile(`value="assessment"[^>]*checked`).Match(r.body) {
					t.Errorf("the chosen decision was not kept")
				}
				r = swB.post(referral+"/update", with(when("decided_at", "30", "11", "2026", "10:00"), "form", "decision", "version", "1", "decision", "assessment"))
				wantPage(t, r, 422, "The date and time the decision was made must not be in the future")

				decision.take(t)
				r = swB.get(referral + "?done=decision")
				wantPage(t, r, 200, "The decision has been recorded", "Assessment by children", "decided 29 December 2025 at 11:15",
					`<strong class="govuk-tag govuk-tag--green">Done</strong>`)
				if strings.Contains(string(r.body), "Record the decision") {
					t.Errorf("the decision form is still shown after the decision was recorded")
				}
				if got := taskStatus(clocks.ReferralDecision); got != lantern.TaskDone {
					t.Errorf("the referral-decision task is %q, want done", got)
				}
				if got := taskStatus(clocks.ReferrerFeedback); got != lantern.TaskOpen {
					t.Errorf("the referrer-feedback task is %q, want open", got)
				}
			})
			decision.take(t)

			t.Run("a stale form is a conflict", func(t *testing.T) {
				r := swB.post(referral+"/update", with(when("feedback_at", "30", "12", "2025", "09:00"), "form", "feedback", "version", "1"))
				wantPage(t, r, 409, errorSummary, web.StaleReferral, `name="version" value="2"`, `value="30"`)
				wantErrorLinks(t, r, "referral")
				if got := taskStatus(clocks.ReferrerFeedback); got != lantern.TaskOpen {
					t.Errorf("a stale form changed the feedback task: %q", got)
				}
				r = swB.post(referral+"/update", with(when("feedback_at", "30", "12", "2025", "09:00"), "form", "feedback", "version", "2"))
				wantRedirect(t, r, referral+"?done=feedback")
				wantPage(t, swB.get(referral+"?done=feedback"), 200, "The feedback to the referrer has been recorded", "Given 30 December 2025 at 09:00",
					// Due 27 December at 16:30, done on the 30th.
					"Done 3 days late")
				if got := taskStatus(clocks.ReferrerFeedback); got != lantern.TaskDone {
					t.Errorf("the referrer-feedback task is %q, want done", got)
				}
				wantPage(t, swB.post(referral+"/update", url.Values{"form": {"nonsense"}, "version": {"3"}}), 400)
			})

			t.Run("deciding one referral leaves another's tasks alone", func(t *testing.T) {
				two := e.createChild(f.SocialWorker, "Tariq", "Hussain")
				tbase := "/children/" + two.ID
				first := created(t, swB.post(tbase+"/referrals/new", with(when("received_at", "2", "11", "2026", "09:00"),
					"method", "online", "referrer_name", "A Parent")), tbase+"/referrals/")
				second := created(t, swB.post(tbase+"/referrals/new", with(when("received_at", "3", "11", "2026", "09:00"),
					"method", "written", "referrer_name", "A Teacher")), tbase+"/referrals/")
				r := swB.post(second+"/update", with(when("decided_at", "3", "11", "2026", "15:00"), "form", "decision", "version", "1", "decision", "no-further-action", "decision_reason", "Known to early help; no CSE indicators"))
				wantRedirect(t, r, second+"?done=decision")
				statuses := func(path string) map[string]lantern.TaskStatus {
					t.Helper()
					ref, err := srv.Store.FindReferral(storetest.As(f.SocialWorker), two.ID, path[strings.LastIndexByte(path, '/')+1:])
					if err != nil {
						t.Fatal(err)
					}
					m := map[string]lantern.TaskStatus{}
					for _, tk := range ref.Tasks {
						m[tk.Clock] = tk.Status
					}
					return m
				}
				if got := statuses(second); got[clocks.ReferralDecision] != lantern.TaskDone || got[clocks.Assessment] != lantern.TaskClosed || len(got) != 3 {
					t.Errorf("the decided referral's tasks: %v", got)
				}
				if got := statuses(first); got[clocks.ReferralDecision] != lantern.TaskOpen || got[clocks.Assessment] != lantern.TaskOpen {
					t.Errorf("deciding one referral changed the other's tasks: %v", got)
				}
				wantPage(t, swB.get(second), 200, "No further action", `<strong class="govuk-tag govuk-tag--grey">Closed</strong>`, "referral decision: no-further-action",
					"Not needed: the referral was not made by telephone")
			})

			t.Run("a strategy discussion with half a participant", func(t *testing.T) {
				form := discussionForm()
				form.Del("participant-2-agency")
				r := swB.post(base+"/strategy-discussions/new", form)
				wantPage(t, r, 422, "Enter the agency of participant 2", `value="PC Lee"`, "Agreed to start enquiries")
				wantErrorLinks(t, r, "participant-2-agency")
				page := discussion.take(t)
				wantPage(t, swB.get(page+"?done=recorded"), 200, "The strategy discussion has been recorded", "5 January 2026 at 14:00",
					"Start child protection enquiries (section 47)", "Sam Worker, Children&#39;s services", "PC Lee, Northmoor Police",
					"Hold the initial child protection conference", "26 January 2026")
			})
			discussion.take(t)

			t.Run("a conference after a section 47 discussion is not flagged", func(t *testing.T) {
				page := conference.take(t)
				r := swB.get(page + "?done=recorded")
				wantPage(t, r, 200, "The conference has been recorded", "Initial child protection conference", "The child needs a child protection plan",
					"Hold the first core group meeting", "Hold the first review conference")
				if strings.Contains(string(r.body), web.FlagNoS47Warning) {
					t.Errorf("a conference after a section 47 strategy discussion is flagged")
				}
			})
			conference.take(t)

			t.Run("a conference without a section 47 discussion is flagged", func(t *testing.T) {
				other := e.createChild(f.SocialWorker, "Noor", "Ali")
				r := swB.post("/children/"+other.ID+"/conferences/new", with(when("held_at", "20", "11", "2026", "10:00"), "kind", "initial", "outcome", "plan"))
				page := created(t, r, "/children/"+other.ID+"/conferences/")
				wantPage(t, swB.get(page+"?done=recorded"), 200, "The conference has been recorded", "govuk-warning-text", web.FlagNoS47Warning)
				evs, err := srv.Store.ChildEvents(storetest.As(f.SocialWorker), other.ID)
				if err != nil {
					t.Fatal(err)
				}
				if evs.Plan == nil || evs.Plan.StartedOn.String() != "2026-11-20" || len(evs.Conferences) != 1 || len(evs.Conferences[0].Flags) != 1 {
					t.Errorf("events after a flagged conference: plan %+v, conferences %+v", evs.Plan, evs.Conferences)
				}
				r = swB.get("/children/" + other.ID)
				wantPage(t, r, 200)
				// The child's page shows the statutory work once its handler
				// passes the events as "Events".
				if strings.Contains(string(r.body), "Statutory work") {
					wantPage(t, r, 200, "On a child protection plan since 20 November 2026", "No section 47 strategy discussion",
						`href="/children/`+other.ID+`/referrals/new"`)
				} else {
					t.Log("the child's page does not pass Events yet: the statutory work is not shown")
				}
			})

			t.Run("a core group and an assessment", func(t *testing.T) {
				page := coreGroup.take(t)
				wantPage(t, swB.get(page+"?done=recorded"), 200, "The core group meeting has been recorded", "27 January 2026 at 15:00")
				if got := taskStatus(clocks.CoreGroup); got != lantern.TaskDone {
					t.Errorf("the core-group task is %q, want done", got)
				}

				form := assessmentForm()
				for k, v := range when("completed_at", "29", "12", "2025", "09:00") {
					form[k] = v
				}
				r := swB.post(base+"/social-work-assessments/new", form)
				wantPage(t, r, 422, "An assessment cannot be completed before it started", `value="single"`)
				wantErrorLinks(t, r, "completed_at")
				page = assessment.take(t)
				wantPage(t, swB.get(page+"?done=recorded"), 200, "The assessment has been recorded", "Single assessment", "20 February 2026 at 09:00")
				if got := taskStatus(clocks.Assessment); got != lantern.TaskDone {
					t.Errorf("the assessment task is %q, want done", got)
				}
			})
			coreGroup.take(t)
			assessment.take(t)

			t.Run("the child's events, newest first", func(t *testing.T) {
				evs, err := srv.Store.ChildEvents(storetest.As(f.SocialWorker), child.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(evs.Referrals) != 1 || len(evs.StrategyDiscussions) != 1 || len(evs.Conferences) != 1 || len(evs.CoreGroups) != 1 ||
					len(evs.SWAssessments) != 1 || evs.Plan == nil || evs.Plan.StartedOn.String() != "2026-01-20" {
					t.Fatalf("events %+v", evs)
				}
				if sd := evs.StrategyDiscussions[0]; len(sd.Participants) != 2 || sd.Participants[1].Agency != "Northmoor Police" {
					t.Errorf("participants %+v", sd.Participants)
				}
				r := swB.get(base)
				wantPage(t, r, 200)
				if strings.Contains(string(r.body), "Statutory work") {
					body := string(r.body)
					order := []string{"Core group meeting", "Initial child protection conference", "Strategy discussion", "Single assessment started", "Referral from Jo Bloggs"}
					last := -1
					for _, s := range order {
						i := strings.Index(body, s)
						if i < 0 || i < last {
							t.Errorf("the child's events are not newest first: %q at %d, after %d", s, i, last)
						}
						last = i
					}
				}
			})

			t.Run("others cannot see or record", func(t *testing.T) {
				other := browserFor(t, srv, f.OtherTeacher.Email)
				for _, path := range []string{referral, base + "/referrals/new", base + "/conferences/new"} {
					wantPage(t, other.get(path), 404)
				}
				wantPage(t, other.post(base+"/core-groups/new", when("held_at", "1", "2", "2026", "10:00")), 404)
				wantPage(t, other.post(referral+"/update", with(when("written_confirmation_at", "1", "2", "2026", "10:00"), "form", "followup", "version", "3")), 404)
				wantPage(t, swB.get(base+"/referrals/0190f0f0-0000-7000-8000-000000000000"), 404)
				wantPage(t, swB.get(base+"/conferences/0190f0f0-0000-7000-8000-000000000000"), 404)
			})
		})
	}
}
