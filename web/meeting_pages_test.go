package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"lantern"
	"lantern/app"
	"lantern/app/apptest"
	"lantern/notify/smtptest"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// The meeting pages, signed in through the real sign-in and driven through
// their forms: arranging a meeting with the pathway's invitees ticked, the
// form's errors, the meeting's page and list (escaped), moving and
// cancelling, the outcome with an action that lands in its owner's work
// list, the distribution with email off, the pack, and a cross-site form.
// The test server's clock starts at 22 November 2026 10:00 (GMT).

// mpgUser is a person signed in with their own browser; secret is their
// two-factor secret, to sign in again after the clock has moved on.
type mpgUser struct {
	b      *browser
	email  string
	secret string
}

func mpgSignIn(t *testing.T, srv *apptest.Server, email string) *mpgUser {
	t.Helper()
	b := newBrowser(t, srv)
	en := b.enrol(email)
	return &mpgUser{b: b, email: email, secret: en.secret}
}

// again signs the person in afresh (password and a security code at the
// server's time), as after their session ended.
func (u *mpgUser) again(t *testing.T) {
	t.Helper()
	b := newBrowser(t, u.b.srv)
	b.password(u.email, "/sign-in/two-factor")
	code, err := totp.GenerateCode(u.secret, b.srv.Store.Now())
	if err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, b.post("/sign-in/two-factor", url.Values{"code": {code}}), "/")
	u.b = b
}

// mpgOn points the env and the browsers at the running (sub)test.
func mpgOn(t *testing.T, e *env, us ...*mpgUser) {
	e.t = t
	for _, u := range us {
		u.b.t = t
	}
}

// mpgRows counts a table's rows.
func mpgRows(t *testing.T, e *env, table string) int {
	t.Helper()
	var n int
	if err := e.srv.Store.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// mpgTicked reports whether the checkbox name=value is ticked on the page.
func mpgTicked(body []byte, name, value string) bool {
	return regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" type="checkbox" value="` + regexp.QuoteMeta(value) + `" checked>`).Match(body)
}

// mpgBox reports whether the checkbox name=value is on the page at all.
func mpgBox(body []byte, name, value string) bool {
	return regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" type="checkbox" value="` + regexp.QuoteMeta(value) + `"( checked)?>`).Match(body)
}

// mpgRadio reports whether the radio name=value is chosen on the page.
func mpgRadio(body []byte, name, value string) bool {
	return regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" type="radio" value="` + regexp.QuoteMeta(value) + `"[^>]* checked>`).Match(body)
}

// mpgVersion is the version in the hidden input of the form posting to action.
func mpgVersion(t *testing.T, body []byte, action string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)action="` + regexp.QuoteMeta(action) + `" novalidate>\s*<input type="hidden" name="version" value="(\d+)">`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no form to %s with a version on the page: %.3000s", action, body)
	}
	return string(m[1])
}

var mpgArrangedRE = regexp.MustCompile(`^/meetings/([^/?]+)\?done=arranged$`)

const mpgScript = "<script>alert(1)</script>"

func TestMeetingPages(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f, st := e.srv, e.f, e.srv.Store
			police, err := st.CreateAgency(sysCtx(), lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
			if err != nil {
				t.Fatal(err)
			}
			contact := func(body string) string {
				t.Helper()
				r := e.as(f.Admin, "POST", "/api/v1/directory", body)
				if r.status != http.StatusCreated {
					t.Fatalf("directory entry %s: %d %s", body, r.status, r.body)
				}
				return decode[struct{ ID string }](t, r.body).ID
			}
			unitID := contact(`{"agency_id":"` + police.ID + `","name":"Exploitation unit","email":"seiu@police.example.org","roles":["police-exploitation-unit"]}`)
			coordID := contact(`{"agency_id":"` + f.CSC.ID + `","name":"CSE coordinator","email":"coordinator@csc.example.org","roles":["cse-coordinator"]}`)
			iroID := contact(`{"agency_id":"` + f.CSC.ID + `","name":"IRO principal manager","email":"iro@csc.example.org","roles":["iro-principal-manager"]}`)

			child := e.createChild(f.SocialWorker, "Zelda", "Quill")
			child2 := e.createChild(f.SocialWorker, "Yuri", "Quill")
			a, err := st.CreateAssessment(storetest.As(f.SocialWorker), child.ID, "", toolkit.AssessmentInput{
				Answers: toolkit.Input{Indicators: []string{"sign.missing"}}, Analysis: "Missing from home twice"})
			if err != nil {
				t.Fatal(err)
			}

			sw := mpgSignIn(t, srv, f.SocialWorker.Email)
			tc := mpgSignIn(t, srv, f.Teacher.Email)
			aud := mpgSignIn(t, srv, f.Auditor.Email)

			// arrange is a good arrange form; mod changes it.
			arrange := func(mod func(v url.Values)) url.Values {
				v := with(when("starts_at", "1", "12", "2026", "10:00"), "ends_at", "11:30", "kind", "cse-strategy", "child_id", child.ID,
					"assessment_id", a.ID, "location", "Room 2, Civic Centre", "young_person", "invited", "carers", "not-invited",
					"carers_reason", "Implicated", "send", "0")
				v["invitee"] = []string{unitID, coordID}
				if mod != nil {
					mod(v)
				}
				return v
			}

			// The CSE strategy meeting's story: arranged through the form,
			// moved, then its outcome recorded with an action. Later subtests
			// build on each step; each is taken by its subtest or, when that
			// is not run, by the test after it, at the same point of the story.
			arranged := newStep("the meeting arranged", func(t *testing.T) string {
				mpgOn(t, e, sw)
				r := sw.b.post("/meetings/new", arrange(func(v url.Values) {
					with(v, "location", mpgScript+" Room 2", "other-1-name", mpgScript, "other-1-email", "gp@surgery.example.org", "other-1-agency", "Moor Surgery")
				}))
				m := mpgArrangedRE.FindStringSubmatch(r.header.Get("Location"))
				if r.status != http.StatusSeeOther || m == nil {
					t.Fatalf("arrange: %d to %q: %.2000s", r.status, r.header.Get("Location"), r.body)
				}
				return m[1]
			})
			moved := newStep("the meeting moved", func(t *testing.T) struct{} {
				mpgOn(t, e, sw)
				mpath := "/meetings/" + arranged.take(t)
				r := sw.b.post(mpath+"/change", with(when("starts_at", "2", "12", "2026", "14:00"), "ends_at", "15:30", "location", "Room 5", "version", "1"))
				wantRedirect(t, r, mpath+"?done=changed")
				return struct{}{}
			})
			outcomeForm := func() url.Values {
				return url.Values{"version": {"2"}, "held": {"yes"}, "chair": {"Indy Chair"}, "level-" + child.ID: {"medium"},
					"rationale-" + child.ID: {"A pattern of going missing"}, "recommendations-" + child.ID: {"s47", "early-help"},
					"minutes": {"Discussed <i>everything</i>"}, "action-1-description": {"Share the attendance record"},
					"action-1-owner": {f.Teacher.ID}, "action-1-due": {"2026-12-15"}, "next_meeting_date": {"2027-01-05"}}
			}
			type outcomeDone struct {
				page   response // the meeting's page after recording it
				action string
			}
			outcome := newStep("the outcome recorded", func(t *testing.T) outcomeDone {
				mpgOn(t, e, sw)
				moved.take(t)
				mpath := "/meetings/" + arranged.take(t)
				r := sw.b.post(mpath+"/outcome", outcomeForm())
				wantRedirect(t, r, mpath+"?done=outcome")
				r = sw.b.get(r.header.Get("Location"))
				m := regexp.MustCompile(`action="` + regexp.QuoteMeta(mpath) + `/actions/([^/"]+)/complete"`).FindSubmatch(r.body)
				if m == nil {
					t.Fatalf("no form to mark the action done")
				}
				return outcomeDone{page: r, action: string(m[1])}
			})

			t.Run("the arrange form ticks whom the pathway suggests", func(t *testing.T) {
				mpgOn(t, e, sw)
				for _, c := range []struct {
					kind             string
					unit, coord, iro bool
					checkedKind      string
				}{
					{kind: "cse-strategy", unit: true, coord: true, checkedKind: "cse-strategy"},
					{kind: "strategy-discussion", unit: true, checkedKind: "strategy-discussion"},
					{kind: "core-group", checkedKind: "core-group"},
					{kind: "no-such-kind", unit: true, coord: true, checkedKind: "cse-strategy"},
				} {
					t.Run(c.kind, func(t *testing.T) {
						mpgOn(t, e, sw)
						r := sw.b.get("/meetings/new?child_id=" + child.ID + "&kind=" + c.kind)
						wantPage(t, r, 200, "Arrange a meeting", `action="/meetings/new"`, `name="child_id" value="`+child.ID+`"`,
							"Zelda Quill", "Exploitation unit &lt;seiu@police.example.org&gt;", "Arrange without sending")
						for _, box := range []struct {
							name, id string
							want     bool
						}{{"unit", unitID, c.unit}, {"coordinator", coordID, c.coord}, {"IRO manager", iroID, c.iro}} {
							if !mpgBox(r.body, "invitee", box.id) {
								t.Errorf("no checkbox for the %s", box.name)
							} else if got := mpgTicked(r.body, "invitee", box.id); got != box.want {
								t.Errorf("the %s's box ticked = %v, want %v", box.name, got, box.want)
							}
						}
						if !mpgRadio(r.body, "kind", c.checkedKind) {
							t.Errorf("the kind %s is not chosen", c.checkedKind)
						}
						if mpgRadio(r.body, "young_person", "invited") || mpgRadio(r.body, "carers", "invited") {
							t.Errorf("the young person or carers are decided before anyone chose")
						}
					})
				}
			})

			t.Run("from the child's page and the toolkit", func(t *testing.T) {
				mpgOn(t, e, sw)
				wantPage(t, sw.b.get("/children/"+child.ID), 200, "Arrange a meeting", `href="/meetings/new?child_id=`+child.ID+`"`,
					"No meetings have been arranged.")
				link := "/meetings/new?kind=cse-strategy&amp;child_id=" + child.ID + "&amp;assessment_id=" + a.ID
				wantPage(t, sw.b.get("/children/"+child.ID+"/assessments/"+a.ID), 200, "Arrange a CSE strategy meeting", `href="`+link+`"`)
				wantPage(t, sw.b.get(strings.ReplaceAll(link, "&amp;", "&")), 200, "The completed toolkit is attached",
					`name="assessment_id" value="`+a.ID+`"`)
			})

			t.Run("who may not arrange", func(t *testing.T) {
				mpgOn(t, e, sw, tc, aud)
				path := "/meetings/new?child_id=" + child.ID + "&kind=cse-strategy"
				// The school is not involved with the child: no such page,
				// the same as for a child that does not exist.
				hidden := tc.b.get(path)
				wantPage(t, hidden, 404, "Page not found")
				if strings.Contains(string(hidden.body), "Zelda") {
					t.Errorf("the 404 names the child")
				}
				missing := tc.b.get("/meetings/new?child_id=0190f0f0-0000-7000-8000-000000000000&kind=cse-strategy")
				wantPage(t, missing, 404)
				if !bytes.Equal(hidden.body, missing.body) {
					t.Errorf("the form for a hidden child differs from the form for none")
				}
				// The auditor holds no case role: refused outright.
				r := aud.b.get(path)
				wantPage(t, r, 403, "You cannot do that", "You cannot arrange meetings")
				if strings.Contains(string(r.body), "Zelda") || strings.Contains(string(r.body), "Exploitation unit") {
					t.Errorf("the refusal shows the child or the directory")
				}
				wantPage(t, aud.b.get("/meetings"), 403)

				before := mpgRows(t, e, "meetings")
				wantPage(t, tc.b.post("/meetings/new", arrange(nil)), 404)
				wantPage(t, aud.b.post("/meetings/new", arrange(nil)), 403)
				if n := mpgRows(t, e, "meetings"); n != before {
					t.Errorf("%d meetings stored by those who may not arrange them", n-before)
				}
			})

			t.Run("the arrange form's errors, values kept", func(t *testing.T) {
				mpgOn(t, e, sw)
				for _, c := range []struct {
					name string
					mod  func(v url.Values)
					link string
					msg  string
					kept []string
				}{
					{"no start", func(v url.Values) {
						for _, p := range []string{"day", "month", "year", "time"} {
							v.Del("starts_at-" + p)
						}
					}, "starts_at", "Enter the date and time the meeting starts", []string{`value="11:30"`}},
					{"ends before it starts", func(v url.Values) { v.Set("ends_at", "09:00") },
						"ends_at", "The meeting must end after it starts", []string{`value="09:00"`, `name="starts_at-day" type="text" inputmode="numeric" value="1"`}},
					{"an end that is not a time", func(v url.Values) { v.Set("ends_at", "half past") },
						"ends_at", "Enter the time the meeting ends on the 24-hour clock", []string{`value="half past"`}},
					{"another invitee with a bad email address", func(v url.Values) {
						with(v, "other-1-name", "Dr Gee", "other-1-email", "gp@@example.org", "other-1-agency", "Moor Surgery")
					}, "other-1-email", "Enter an email address in the correct format", []string{`value="Dr Gee"`, `value="gp@@example.org"`, `value="Moor Surgery"`}},
					{"the second row without an address, the first blank", func(v url.Values) {
						with(v, "other-2-name", "Nurse Ng")
					}, "other-2-email", "Enter the invitee&#39;s email address", []string{`value="Nurse Ng"`}},
					{"the young person not decided", func(v url.Values) { v.Del("young_person") },
						"young_person", "Select whether the young person is invited", nil},
					{"carers not invited without a reason", func(v url.Values) { v.Set("carers_reason", "  ") },
						"carers_reason", "Say why the carers are not invited", nil},
					{"a toolkit about another child", func(v url.Values) { v.Set("child_id", child2.ID) },
						"kind", "The toolkit attached must be an assessment of a child on the meeting", []string{`name="child_id" value="` + child2.ID + `"`}},
					{"no child", func(v url.Values) { v.Del("child_id"); v.Del("assessment_id") },
						"kind", "Give the children the meeting is about", nil},
				} {
					t.Run(c.name, func(t *testing.T) {
						mpgOn(t, e, sw)
						before := mpgRows(t, e, "meetings")
						invitees := mpgRows(t, e, "meeting_invitees")
						r := sw.b.post("/meetings/new", arrange(c.mod))
						wantPage(t, r, 422, "govuk-error-summary", errorSummary, "<title>Error: Arrange a meeting", c.msg)
						wantErrorLinks(t, r, c.link)
						if n := mpgRows(t, e, "meetings"); n != before {
							t.Errorf("a refused meeting was stored")
						}
						if n := mpgRows(t, e, "meeting_invitees"); n != invitees {
							t.Errorf("invitees of a refused meeting were stored")
						}
						// What was ticked and typed is shown again.
						if !mpgTicked(r.body, "invitee", unitID) || !mpgTicked(r.body, "invitee", coordID) {
							t.Errorf("the ticked invitees were not kept")
						}
						if mpgTicked(r.body, "invitee", iroID) {
							t.Errorf("an invitee not ticked is ticked")
						}
						if !mpgRadio(r.body, "kind", "cse-strategy") || !mpgRadio(r.body, "carers", "not-invited") {
							t.Errorf("the kind or the carers' choice was not kept")
						}
						if c.link != "young_person" && !mpgRadio(r.body, "young_person", "invited") {
							t.Errorf("the young person's choice was not kept")
						}
						for _, s := range append([]string{`value="Room 2, Civic Centre"`}, c.kept...) {
							if !strings.Contains(string(r.body), s) {
								t.Errorf("the form lacks %s", s)
							}
						}
					})
				}
			})

			t.Run("arranged, and its page and the list escape what was typed", func(t *testing.T) {
				mpgOn(t, e, sw)
				meeting := arranged.take(t)
				esc := "&lt;script&gt;alert(1)&lt;/script&gt;"
				r := sw.b.get("/meetings/" + meeting + "?done=arranged")
				wantPage(t, r, 200, "The meeting has been arranged", "<h1 class=\"govuk-heading-l\">CSE strategy meeting", "Scheduled",
					"Tuesday 1 December 2026, 10:00 to 11:30", esc+" Room 2", "Exploitation unit", "seiu@police.example.org", "Northmoor Police",
					"CSE coordinator", esc, "gp@surgery.example.org", "Moor Surgery", "Not invited: Implicated", "Toolkit attached",
					`action="/meetings/`+meeting+`/invitations"`, "Send invitations by email", "3 people have not been sent the current invitation",
					`href="/meetings/`+meeting+`/pack.pdf"`, `href="/meetings/`+meeting+`/change"`)
				if strings.Contains(string(r.body), "<script>alert(1)") {
					t.Errorf("the meeting page holds the raw script")
				}
				if strings.Contains(string(r.body), "iro@csc.example.org") {
					t.Errorf("someone not ticked is invited")
				}
				r = sw.b.get("/meetings")
				wantPage(t, r, 200, "Coming up", `href="/meetings/`+meeting+`"`, esc+" Room 2", "Zelda Quill", "Tuesday 1 December 2026, 10:00 to 11:30")
				if strings.Contains(string(r.body), "<script>alert(1)") {
					t.Errorf("the list holds the raw script")
				}
				wantPage(t, sw.b.get("/children/"+child.ID), 200, `href="/meetings/`+meeting+`"`, esc+" Room 2")
				// The school is not involved with Zelda, so not with her meeting.
				mpgOn(t, e, tc)
				wantPage(t, tc.b.get("/meetings/"+meeting), 404)
				if strings.Contains(string(tc.b.get("/meetings").body), meeting) {
					t.Errorf("the school's list shows a meeting about a child it may not see")
				}
			})
			mpath := "/meetings/" + arranged.take(t)

			t.Run("invitations with email off", func(t *testing.T) {
				mpgOn(t, e, sw)
				r := sw.b.post(mpath+"/invitations", url.Values{})
				wantRedirect(t, r, mpath+"?done=invitations&email=off&sent=0&failed=0")
				wantPage(t, sw.b.get(r.header.Get("Location")), 200, "Email is not set up on this Lantern")
			})

			t.Run("moved, and a stale move refused", func(t *testing.T) {
				mpgOn(t, e, sw)
				r := sw.b.get(mpath + "/change")
				wantPage(t, r, 200, "Move or cancel the meeting", `name="version" value="1"`, `value="11:30"`)
				r = sw.b.post(mpath+"/change", with(when("starts_at", "2", "12", "2026", "14:00"), "ends_at", "13:00", "version", "1"))
				wantPage(t, r, 422, errorSummary, "The meeting must end after it starts", `value="13:00"`)
				wantErrorLinks(t, r, "ends_at")

				moved.take(t)
				wantPage(t, sw.b.get(mpath+"?done=changed"), 200, "The meeting has been changed", "Wednesday 2 December 2026, 14:00 to 15:30", "Room 5")

				// Someone else's form, still at version 1.
				r = sw.b.post(mpath+"/change", with(when("starts_at", "3", "12", "2026", "09:00"), "ends_at", "10:00", "location", "Elsewhere", "version", "1"))
				wantPage(t, r, 422, errorSummary, "The meeting was changed by someone else while you were looking")
				r = sw.b.get(mpath)
				wantPage(t, r, 200, "Wednesday 2 December 2026, 14:00 to 15:30", "Room 5")
				if strings.Contains(string(r.body), "3 December 2026") || strings.Contains(string(r.body), "Elsewhere") {
					t.Errorf("the stale move was stored")
				}
			})
			moved.take(t) // before the meeting's time, which the clock passes below

			t.Run("cancelled, with a reason", func(t *testing.T) {
				mpgOn(t, e, sw)
				other := mtgCreate(e, f.SocialWorker, mtgBody("core-group", start.Add(96*time.Hour), "Room 9", child.ID))
				path := "/meetings/" + other.ID
				r := sw.b.post(path+"/cancel", url.Values{"version": {"1"}, "reason": {" "}})
				wantPage(t, r, 422, errorSummary, "Say why the meeting is cancelled")
				wantErrorLinks(t, r, "reason")
				wantPage(t, sw.b.get(path), 200, "Scheduled")
				r = sw.b.post(path+"/cancel", url.Values{"version": {"1"}, "reason": {"The room <b>flooded</b>"}})
				wantRedirect(t, r, path+"?done=cancelled")
				r = sw.b.get(r.header.Get("Location"))
				wantPage(t, r, 200, "The meeting has been cancelled", `<strong class="govuk-tag govuk-tag--grey">Cancelled</strong>`, "Why cancelled",
					"The room &lt;b&gt;flooded&lt;/b&gt;")
				if strings.Contains(string(r.body), `href="`+path+`/change"`) {
					t.Errorf("a cancelled meeting can still be moved from its page")
				}
			})

			// The meeting is over: sessions and tokens from before have ended.
			e.clock.Set(time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC))
			e.tokens = map[string]string{}
			sw.again(t)
			tc.again(t)

			t.Run("the outcome's errors", func(t *testing.T) {
				mpgOn(t, e, sw)
				r := sw.b.get(mpath + "/outcome")
				wantPage(t, r, 200, "Record the outcome", `name="version" value="2"`, `name="level-`+child.ID+`"`)
				good := func(kv ...string) url.Values {
					return with(url.Values{"version": {"2"}, "held": {"yes"}, "level-" + child.ID: {"medium"}}, kv...)
				}
				for _, c := range []struct {
					name string
					form url.Values
					link string
					msg  string
					kept []string
				}{
					{"no level for the child", with(url.Values{"version": {"2"}, "held": {"yes"}, "chair": {"Indy Chair"}}), "level-" + child.ID,
						"Select the level of risk the meeting decided", []string{`value="Indy Chair"`}},
					{"not said whether it took place", url.Values{"version": {"2"}}, "held", "Select whether the meeting took place", nil},
					{"an action without an owner", good("action-1-description", "Ring the school", "action-1-due", "2026-12-15"), "action-1-owner",
						"Give the action&#39;s owner", []string{`value="Ring the school"`, `value="2026-12-15"`}},
					{"an action in the third row without an owner", good("action-3-description", "Visit", "action-3-due", "2026-12-15"), "action-3-owner",
						"Give the action&#39;s owner", []string{`value="Visit"`}},
					{"an action without a due date", good("action-1-description", "Ring the school", "action-1-owner", f.Teacher.ID), "action-1-due",
						"Enter the date the action is due", nil},
					{"a next meeting date that is not a date", good("next_meeting_date", "2027-02-30"), "next_meeting_date",
						"Enter a real date for the date of the next meeting", []string{`value="2027-02-30"`}},
					{"a next meeting before this one", good("next_meeting_date", "2026-11-30"), "next_meeting_date",
						"The next meeting must be on or after this one", nil},
				} {
					t.Run(c.name, func(t *testing.T) {
						mpgOn(t, e, sw)
						r := sw.b.post(mpath+"/outcome", c.form)
						wantPage(t, r, 422, errorSummary, c.msg)
						wantErrorLinks(t, r, c.link)
						for _, s := range c.kept {
							if !strings.Contains(string(r.body), s) {
								t.Errorf("the form lacks %s", s)
							}
						}
						for _, table := range []string{"meeting_actions", "meeting_decisions"} {
							if n := mpgRows(t, e, table); n != 0 {
								t.Errorf("%d rows in %s after a refused outcome", n, table)
							}
						}
					})
				}
				// A person cannot record as held a meeting that has not started.
				e.clock.Set(time.Date(2026, 12, 2, 13, 0, 0, 0, time.UTC))
				mpgOn(t, e, sw)
				r = sw.b.post(mpath+"/outcome", good())
				wantPage(t, r, 422, errorSummary, "The meeting has not started yet")
				wantErrorLinks(t, r, "held")
				e.clock.Set(time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC))
				wantPage(t, sw.b.get(mpath), 200, "Scheduled", "No actions.")
			})

			t.Run("the outcome, and its action in the owner's work", func(t *testing.T) {
				mpgOn(t, e, sw, tc)
				// Before: nothing of Zelda's in the school's work.
				if strings.Contains(string(tc.b.get("/work").body), "Complete an action from a meeting") {
					t.Fatalf("the teacher has a meeting action before any was set")
				}
				done := outcome.take(t)
				r := done.page
				wantPage(t, r, 200, "The outcome has been recorded", `<strong class="govuk-tag govuk-tag--green">Held</strong>`,
					"Zelda Quill: <strong class=\"govuk-tag govuk-tag--orange\">Medium risk</strong>", "A pattern of going missing",
					"Section 47 enquiries", "Early help", "Discussed &lt;i&gt;everything&lt;/i&gt;", "Indy Chair", "5 January 2027",
					"Share the attendance record", "Terry Teacher", "15 December 2026", `<strong class="govuk-tag govuk-tag--blue">Open</strong>`)
				if strings.Contains(string(r.body), `href="`+mpath+`/outcome"`) {
					t.Errorf("the outcome can be recorded again from the page")
				}
				// The same outcome again, at the version it was read at.
				form := outcomeForm()
				wantPage(t, sw.b.post(mpath+"/outcome", form), 422, "The meeting was changed by someone else")
				// Nor at the new version; and the form is no longer offered.
				form.Set("version", "3")
				wantPage(t, sw.b.post(mpath+"/outcome", form), 422, "The meeting was changed by someone else")
				if n := mpgRows(t, e, "meeting_actions"); n != 1 {
					t.Errorf("%d actions stored, want 1", n)
				}
				wantRedirect(t, sw.b.get(mpath+"/outcome"), mpath)

				w := tc.b.get("/work")
				wantPage(t, w, 200, "Complete an action from a meeting", "Zelda Quill", "15 December 2026")
			})
			action := outcome.take(t).action

			t.Run("the owner marks the action done", func(t *testing.T) {
				mpgOn(t, e, sw, tc)
				r := tc.b.post(mpath+"/actions/"+action+"/complete", url.Values{})
				wantRedirect(t, r, mpath+"?done=action")
				r = tc.b.get(r.header.Get("Location"))
				wantPage(t, r, 200, "The action is done", `<strong class="govuk-tag govuk-tag--green">Done</strong>`, "Share the attendance record")
				if strings.Contains(string(r.body), "/actions/"+action+"/complete") {
					t.Errorf("a done action can still be marked done")
				}
				if strings.Contains(string(tc.b.get("/work").body), "Complete an action from a meeting") {
					t.Errorf("the done action is still in the owner's work")
				}
				wantPage(t, sw.b.get(mpath), 200, `<strong class="govuk-tag govuk-tag--green">Done</strong>`)
				// Again: already done.
				wantPage(t, tc.b.post(mpath+"/actions/"+action+"/complete", url.Values{}), 422)
			})

			t.Run("distributed with email off", func(t *testing.T) {
				mpgOn(t, e, sw)
				r := sw.b.get(mpath)
				version := mpgVersion(t, r.body, mpath+"/distribute")
				if strings.Contains(string(r.body), "What was shared") {
					t.Errorf("shares are listed before any were made")
				}
				r = sw.b.post(mpath+"/distribute", url.Values{"version": {version}})
				wantRedirect(t, r, mpath+"?done=distributed&email=off&sent=0&failed=0")
				r = sw.b.get(r.header.Get("Location"))
				wantPage(t, r, 200, "The shares are recorded, but email is not set up on this Lantern: tell the recipients yourself",
					"What was shared", "Exploitation unit", "CSE coordinator", "IRO principal manager", "&lt;script&gt;alert(1)&lt;/script&gt;",
					"Minutes", "Completed toolkit", "No email", "Minutes of the meeting, for those invited")
				shares := mpgRows(t, e, "information_shares")
				// invitees: the unit, the coordinator, the GP (minutes); the
				// coordinator and the IRO manager (the toolkit).
				if shares != 5 {
					t.Errorf("%d shares, want 5", shares)
				}
				// The same form again is stale: nothing more is shared.
				r = sw.b.post(mpath+"/distribute", url.Values{"version": {version}})
				wantPage(t, r, 409, "Someone else changed this")
				if n := mpgRows(t, e, "information_shares"); n != shares {
					t.Errorf("a stale distribution made %d more shares", n-shares)
				}
			})

			t.Run("the pack", func(t *testing.T) {
				mpgOn(t, e, sw, tc)
				for _, u := range []*mpgUser{sw, tc} {
					r := u.b.get(mpath + "/pack.pdf")
					if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF-")) {
						t.Errorf("pack as %s: %d %s %.20q", u.email, r.status, r.header.Get("Content-Type"), r.body)
					}
				}
				ot := mpgSignIn(t, srv, f.OtherTeacher.Email)
				aud.again(t)
				for _, u := range []*mpgUser{ot, aud} {
					r := u.b.get(mpath + "/pack.pdf")
					wantPage(t, r, 404)
					if bytes.HasPrefix(r.body, []byte("%PDF-")) {
						t.Errorf("%s was sent the pack", u.email)
					}
					wantPage(t, u.b.get(mpath), 404)
				}
				wantRedirect(t, newBrowser(t, srv).get(mpath+"/pack.pdf"), "/sign-in")
			})

			t.Run("a cross-site form is refused", func(t *testing.T) {
				mpgOn(t, e, sw)
				for _, c := range []struct {
					name   string
					hdr    []string
					status int
					stored int
				}{
					{"an Origin of another site", []string{"Origin", "https://evil.example"}, 403, 0},
					{"Sec-Fetch-Site: cross-site", []string{"Sec-Fetch-Site", "cross-site"}, 403, 0},
					{"Sec-Fetch-Site: same-site", []string{"Sec-Fetch-Site", "same-site"}, 403, 0},
					// Lantern's own form from Lantern's own page is taken.
					{"an Origin of Lantern itself", []string{"Origin", srv.URL, "Sec-Fetch-Site", "same-origin"}, 303, 1},
				} {
					t.Run(c.name, func(t *testing.T) {
						mpgOn(t, e, sw)
						before := mpgRows(t, e, "meetings")
						r := sw.b.post("/meetings/new", arrange(func(v url.Values) { v.Set("location", "Cross-site room") }), c.hdr...)
						if r.status != c.status {
							t.Fatalf("status %d, want %d: %.1000s", r.status, c.status, r.body)
						}
						if c.status == 403 {
							wantPage(t, r, 403, "You cannot do that")
						}
						if n := mpgRows(t, e, "meetings"); n != before+c.stored {
							t.Errorf("meetings: %d before, %d after, want %d more", before, n, c.stored)
						}
					})
				}
			})
		})
	}
}

// TestMeetingPagesHeldInvitations: someone taken off the list after their
// invitation went out, and the meeting then held. The meeting page's
// warning of people not yet sent the current invitation, and its button to
// send it, must agree with what sending does: once sent, no one is left
// waiting.
func TestMeetingPagesHeldInvitations(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			smtp := smtptest.Start(t, smtptest.Options{})
			e := startEnv(t, d, apptest.Options{Configure: func(c *app.Config) {
				c.SMTPAddr, c.SMTPFrom, c.BaseURL = smtp.Addr, "Lantern <lantern@example.org>", "https://lantern.example.org"
			}})
			f := e.f
			child := e.createChild(f.SocialWorker, "Ava", "Example")
			at := start.Add(48 * time.Hour)
			m := mtgCreate(e, f.SocialWorker, `{"kind":"core-group","child_ids":["`+child.ID+`"],"starts_at":"`+at.Format(time.RFC3339)+
				`","ends_at":"`+at.Add(time.Hour).Format(time.RFC3339)+`","invitees":[{"name":"Dr Gee","email":"gp@surgery.example.org"},`+
				`{"name":"Nurse Ng","email":"nurse@surgery.example.org"}]}`)
			path := "/meetings/" + m.ID
			sw := mpgSignIn(t, e.srv, f.SocialWorker.Email)

			wantRedirect(t, sw.b.post(path+"/invitations", url.Values{}), path+"?done=invitations&email=sent&sent=2&failed=0")
			wantPage(t, sw.b.get(path+"/invitees"), 200, `value="Dr Gee"`, `value="Nurse Ng"`)
			// The nurse taken off the list; the cancellation not sent yet.
			r := sw.b.post(path+"/invitees", url.Values{"version": {"1"}, "other-1-name": {"Dr Gee"}, "other-1-email": {"gp@surgery.example.org"},
				"young_person": {"invited"}, "carers": {"invited"}, "send": {"0"}})
			wantRedirect(t, r, path+"?done=changed")
			wantPage(t, sw.b.get(path), 200, "1 person has not been sent the current invitation", "Taken off the list")

			e.clock.Set(at.Add(2 * time.Hour))
			e.tokens = map[string]string{}
			sw.again(t)
			r = sw.b.post(path+"/outcome", url.Values{"version": {"2"}, "held": {"yes"}, "level-" + child.ID: {"emerging"}})
			wantRedirect(t, r, path+"?done=outcome")

			r = sw.b.get(path + "?done=outcome")
			wantPage(t, r, 200, "The outcome has been recorded", `<strong class="govuk-tag govuk-tag--green">Held</strong>`)
			if strings.Contains(string(r.body), `action="`+path+`/invitations"`) {
				sent := len(smtp.Messages())
				r = sw.b.post(path+"/invitations", url.Values{})
				if r.status != http.StatusSeeOther {
					t.Fatalf("send: %d %.1000s", r.status, r.body)
				}
				loc := r.header.Get("Location")
				r = sw.b.get(loc)
				if warn := regexp.MustCompile(`\d+ (person has|people have) not been sent the current invitation`).Find(r.body); warn != nil {
					t.Errorf("after sending (%s, %d emails), the held meeting's page still says %q and offers to send again: the page counts "+
						"someone taken off the list as waiting whatever the meeting's status (web/meeting_pages.go, meetingPageData), "+
						"but store.PendingInvitations sends nothing about a meeting no longer scheduled", loc, len(smtp.Messages())-sent, warn)
				}
			}
		})
	}
}

// TestMeetingsListToday: a meeting that took place earlier today is listed
// under "Recent", not "Coming up"; one later today is coming up.
func TestMeetingsListToday(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{}) // 10:00 on 22 November 2026
			child := e.createChild(e.f.SocialWorker, "Tia", "Today")
			arrange := func(h int, where string) {
				at := time.Date(2026, 11, 22, h, 0, 0, 0, lantern.London)
				if _, err := e.srv.Store.CreateMeeting(storetest.As(e.f.SocialWorker), lantern.MeetingInput{Kind: "cse-strategy",
					ChildIDs: []string{child.ID}, StartsAt: at, EndsAt: at.Add(90 * time.Minute), Location: where}); err != nil {
					t.Fatal(err)
				}
			}
			arrange(7, "Early room")
			arrange(14, "Afternoon room")
			r := browserFor(t, e.srv, e.f.SocialWorker.Email).get("/meetings")
			wantPage(t, r, 200, "Coming up", "Recent")
			body := string(r.body)
			coming, recent, ok := strings.Cut(body[strings.Index(body, "Coming up"):], ">Recent<")
			if !ok {
				t.Fatalf("no Recent table: %s", body)
			}
			if strings.Contains(coming, "Early room") || !strings.Contains(recent, "Early room") {
				t.Errorf("the meeting held at 07:00 today is not under Recent")
			}
			if !strings.Contains(coming, "Afternoon room") || strings.Contains(recent, "Afternoon room") {
				t.Errorf("the meeting at 14:00 today is not under Coming up")
			}
		})
	}
}
