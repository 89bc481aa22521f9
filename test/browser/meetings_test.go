package browser_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// TestMeetingJourney: a social worker arranges a CSE strategy meeting from
// a medium toolkit assessment (the police exploitation unit suggested from
// the directory), records its outcome with an action for a police officer,
// and the officer finds the action in their work list and marks it done.
// Every page is checked with axe and for script errors, CSP violations and
// failed requests.
func TestMeetingJourney(t *testing.T) {
	needBrowser(t)
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			srv := apptest.Start(t, d, apptest.Options{})
			f, st := srv.Fixture, srv.Store
			sys := lantern.NewSystemContext(t.Context(), "test")
			police, err := st.CreateAgency(sys, lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
			if err != nil {
				t.Fatal(err)
			}
			officer, err := st.CreateUser(sys, lantern.UserInput{Email: "officer@police.example.org", Name: "Pat Officer", AgencyID: police.ID,
				Roles: []lantern.Role{lantern.RolePolice}, Password: storetest.Password})
			if err != nil {
				t.Fatal(err)
			}
			unit, err := st.CreateContact(sys, lantern.ContactInput{AgencyID: police.ID, Name: "Exploitation unit", Email: "seiu@police.example.org",
				Roles: []lantern.PathwayRole{lantern.PathwayPoliceUnit}, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			sw := storetest.As(f.SocialWorker)
			c, err := st.CreateChild(sw, lantern.ChildInput{GivenName: "Mia", FamilyName: "Meetingly", DateOfBirth: lantern.Date{Year: 2011, Month: 6, Day: 1}, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			a, err := st.CreateAssessment(sw, c.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}},
				Analysis: "Going missing and returning with new phones", RecordedLevel: toolkit.Medium,
				OverrideRationale: "Older males seen collecting her from school"})
			if err != nil {
				t.Fatal(err)
			}
			if a.RecordedLevel != toolkit.Medium {
				t.Fatalf("assessment at %s, want medium", a.RecordedLevel)
			}

			b := openTab(t, srv.URL, nil)
			b.enrol(f.SocialWorker.Email, storetest.Password)

			// From the assessment, arrange the meeting.
			b.wantStatus("assessment", b.navigate("/children/"+c.ID+"/assessments/"+a.ID), 200)
			b.checkPage("assessment")
			b.wantStatus("arrange", b.click(`main a.govuk-button[href^="/meetings/new"]`), 200)
			b.wantPage("/meetings/new", "Arrange a meeting")
			if !eval[bool](b, `document.querySelector('input[name=invitee][value="`+unit.ID+`"]').checked`) {
				t.Error("the police exploitation unit is not ticked for a CSE strategy meeting")
			}
			if !eval[bool](b, `document.querySelector('input[name=kind][value="cse-strategy"]').checked`) {
				t.Error("the kind is not a CSE strategy meeting")
			}
			b.checkPage("arrange a meeting")

			// Nothing about the young person or carers: the form says so.
			when := time.Now().In(lantern.London).AddDate(0, 0, -2)
			b.fill("starts_at-day", strconv.Itoa(when.Day()))
			b.fill("starts_at-month", strconv.Itoa(int(when.Month())))
			b.fill("starts_at-year", strconv.Itoa(when.Year()))
			b.fill("starts_at-time", "10:00")
			b.fill("ends_at", "11:30")
			b.fill("location", "Room 2, Civic Centre")
			b.wantStatus("arrange without deciding who comes", b.click(`main form button[name=send][value="0"]`), 422)
			b.checkErrorSummary(map[string]string{"#young_person": "Select whether the young person is invited",
				"#carers": "Select whether the parents or carers are invited"})
			b.checkPage("arrange a meeting with errors")
			b.press(`#young_person`)
			b.press(`#carers-not-invited`)
			b.fill("carers_reason", "Implicated in the concerns")
			b.wantStatus("arrange", b.click(`main form button[name=send][value="0"]`), 200)
			if !strings.HasPrefix(b.path(), "/meetings/") {
				t.Fatalf("after arranging: at %s", b.path())
			}
			if got := b.text("h1"); !strings.HasPrefix(got, "CSE strategy meeting") {
				t.Errorf("meeting page heading %q", got)
			}
			if got := b.text("main"); !strings.Contains(got, "Exploitation unit") || !strings.Contains(got, "Not invited: Implicated in the concerns") {
				t.Errorf("meeting page does not show the invitees and carers:\n%s", got)
			}
			b.checkPage("meeting")
			meetingPath, _, _ := strings.Cut(b.path(), "?")

			// Record the outcome: medium, s47 recommended, an action for the officer.
			b.wantStatus("outcome form", b.click(`main a[href$="/outcome"]`), 200)
			b.wantPage(meetingPath+"/outcome", "Record the outcome")
			b.checkPage("outcome form")
			b.press(`#level-` + c.ID + `-medium`)
			b.fill("rationale-"+c.ID, "Pattern of going missing; older males")
			b.press(`#recommendations-` + c.ID)
			b.fill("associates", "An older male known as Jay, a blue hatchback")
			b.fill("minutes", "Agencies shared what they know.")
			due := lantern.Today(time.Now()).AddDays(7)
			b.fill("action-1-description", "Check the hatchback's registration")
			b.do(chromedp.SetValue(chromedp.CSS(`select[name="action-1-owner"]`), officer.ID))
			b.fill("action-1-due", due.String())
			b.wantStatus("record the outcome", b.click(`main form button[type=submit]`), 200)
			b.wantPage(meetingPath, "CSE strategy meeting Held")
			main := b.text("main")
			for _, want := range []string{"Medium", "Section 47 enquiries", "Check the hatchback's registration", "Pat Officer", "An older male known as Jay"} {
				if !strings.Contains(main, want) {
					t.Errorf("the held meeting's page does not show %q", want)
				}
			}
			b.checkPage("held meeting")
			b.wantStatus("meetings list", b.navigate("/meetings"), 200)
			b.wantPage("/meetings", "Meetings")
			b.checkPage("meetings")
			b.signOut()

			// The officer finds the action in their work and marks it done.
			o := openTab(t, srv.URL, nil)
			o.enrol(officer.Email, storetest.Password)
			o.wantStatus("officer's work", o.navigate("/work"), 200)
			work := o.text("main")
			if !strings.Contains(work, "Complete an action from a meeting") || !strings.Contains(work, "Mia Meetingly") {
				t.Errorf("the officer's work does not show the action:\n%s", work)
			}
			o.checkPage("officer's work")
			o.wantStatus("the meeting, as the officer", o.navigate(meetingPath), 200)
			o.wantStatus("mark done", o.click(`main form[action$="/complete"] button`), 200)
			if got := o.text("main"); !strings.Contains(got, "Done") {
				t.Errorf("the action is not done:\n%s", got)
			}
			o.checkPage("meeting, action done")
			o.wantStatus("officer's work again", o.navigate("/work"), 200)
			if strings.Contains(o.text("main"), "Complete an action from a meeting") {
				t.Error("a done action is still in the officer's work")
			}
		})
	}
}
