package browser_test

import (
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestDecisionsMakeWork: a social worker records a CSE strategy meeting's
// outcome with recommendations (the form says whose each task will be and
// when it is due), opens the section 47 task from their work list, is told
// a note is required, and records what was done. Every page is checked with
// axe and for script errors, CSP violations and failed requests.
func TestDecisionsMakeWork(t *testing.T) {
	needBrowser(t)
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			srv := apptest.Start(t, d, apptest.Options{})
			f, st := srv.Fixture, srv.Store
			sw := storetest.As(f.SocialWorker)
			c, err := st.CreateChild(sw, lantern.ChildInput{GivenName: "Wren", FamilyName: "Worklist", DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 2}, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			at := time.Now().Add(-48 * time.Hour)
			m, err := st.CreateMeeting(sw, lantern.MeetingInput{Kind: lantern.MeetingCSEStrategy, ChildIDs: []string{c.ID}, StartsAt: at, EndsAt: at.Add(time.Hour),
				Location: "Room 3"})
			if err != nil {
				t.Fatal(err)
			}

			b := openTab(t, srv.URL, nil)
			b.enrol(f.SocialWorker.Email, storetest.Password)
			b.wantStatus("outcome form", b.navigate("/meetings/"+m.ID+"/outcome"), 200)
			b.wantPage("/meetings/"+m.ID+"/outcome", "Record the outcome")
			if hint := b.text(`#recommendations-` + c.ID + `-item-hint`); !strings.HasPrefix(hint, "Task: Start the section 47 enquiries, for ") {
				t.Errorf("the s47 box's hint is %q", hint)
			}
			b.checkPage("outcome form with recommendations")
			b.press(`#level-` + c.ID + `-high`)
			b.fill("rationale-"+c.ID, "Seen in cars with older men")
			b.press(`#recommendations-` + c.ID)
			b.press(`#recommendations-` + c.ID + `-early-help`)
			b.wantStatus("record the outcome", b.click(`main form button[type=submit]`), 200)
			b.wantPage("/meetings/"+m.ID, "CSE strategy meeting Held")

			b.wantStatus("work", b.navigate("/work"), 200)
			if w := b.text("main"); !strings.Contains(w, "Start the section 47 enquiries") || !strings.Contains(w, "Offer early help") {
				t.Errorf("the work list lacks the recommendations' tasks:\n%s", w)
			}
			b.checkPage("work with recommendations")
			b.wantStatus("the task", b.click(`main a[href^="/tasks/"]`), 200)
			if !strings.HasPrefix(b.path(), "/tasks/") {
				t.Fatalf("at %s", b.path())
			}
			label := b.text("h1")
			if label != "Start the section 47 enquiries" && label != "Offer early help" {
				t.Fatalf("task page heading %q", label)
			}
			if got := b.text("#task-summary"); !strings.Contains(got, f.SocialWorker.Name) || !strings.Contains(got, "Due") {
				t.Errorf("the task's summary: %s", got)
			}
			b.checkPage("task")
			taskPath := b.path()

			b.wantStatus("no note", b.click(`main form[action$="/done"] button`), 422)
			b.checkErrorSummary(map[string]string{"#note": "Say what was done"})
			b.checkPage("task with errors")
			b.fill("note", "Agreed with the police; the enquiry starts tomorrow")
			b.wantStatus("record what was done", b.click(`main form[action$="/done"] button`), 200)
			b.wantPage(taskPath, label)
			if got := b.text("#task-note"); got != "Agreed with the police; the enquiry starts tomorrow" {
				t.Errorf("the note shown: %q", got)
			}
			if got := b.text("#task-status"); !strings.HasPrefix(got, "Done") {
				t.Errorf("the status shown: %q", got)
			}
			b.checkPage("task done")
			b.wantStatus("work again", b.navigate("/work"), 200)
			if strings.Contains(b.text("main"), label) {
				t.Errorf("a done task is still in the work list")
			}
		})
	}
}
