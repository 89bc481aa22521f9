package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestDirectoryAndMeetingFigures: the administrator opens the directory,
// sends the empty form to add an entry (its error summary), then fills it
// in at the keyboard (typing, Tab, Space on the role checkboxes, Enter on
// the button) and sees the entry listed. A manager reads the meeting
// figures. Every page gets checkPage: axe, and no script error, CSP
// violation or failed request.
func TestDirectoryAndMeetingFigures(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	f := srv.Fixture

	b := openTab(t, srv.URL, nil)
	b.enrol(f.Admin.Email, storetest.Password)
	b.wantStatus("the directory", b.navigate("/admin/directory"), 200)
	b.wantPage("/admin/directory", "Directory")
	b.checkPage("directory, empty")

	b.wantStatus("Add an entry", b.click(`main a[href="/admin/directory/new"]`), 200)
	b.wantPage("/admin/directory/new", "Add a directory entry")
	b.checkPage("add a directory entry")
	b.wantStatus("send the empty form", b.click(`main form button[type=submit]`), 422)
	if got := b.title(); !strings.HasPrefix(got, "Error: ") {
		t.Errorf("the form with errors has the title %q", got)
	}
	b.checkErrorSummary(map[string]string{"#name": "name", "#email": "email address", "#agency_id": "agency"})
	b.checkPage("add a directory entry, with errors")
	b.screenshot("directory-form-errors")

	// At the keyboard: the agency chosen by typing its name in the select,
	// the fields typed, the roles ticked with Space.
	b.do(chromedp.Focus(chromedp.CSS(`#agency_id`)))
	b.key("Northmoor")
	if got := eval[string](b, `document.querySelector('#agency_id').value`); got != f.CSC.ID {
		t.Fatalf("typing the agency's name in the select chose %q, want %q", got, f.CSC.ID)
	}
	b.tabTo("team")
	b.key("Exploitation unit")
	b.tabTo("name")
	b.key("Northmoor exploitation unit")
	b.tabTo("email")
	b.key("seiu@police.example.org")
	b.tabTo("phone")
	b.key("01632 960 123")
	for _, id := range []string{"roles-police-exploitation-unit", "roles-cse-coordinator"} {
		b.tabTo(id)
		b.key(" ")
	}
	if !eval[bool](b, `document.querySelector('#active').checked`) {
		t.Errorf("the form sent with errors lost the active box")
	}
	for range 5 {
		if fo := b.focused(); fo.Tag == "BUTTON" && fo.Text == "Add entry" {
			break
		}
		b.key(kb.Tab)
	}
	if fo := b.focused(); fo.Tag != "BUTTON" || fo.Text != "Add entry" {
		t.Fatalf("Tab from the last checkbox reaches %+v, not the button", fo)
	}
	b.wantStatus("Enter on Add entry", b.follow(chromedp.KeyEvent(kb.Enter)), 200)
	b.wantPage("/admin/directory", "Directory")
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The directory entry has been added") {
		t.Fatalf("after adding, the banner says %q (errors %q)", got, b.text(".govuk-error-summary"))
	}
	row := b.texts(`main table tbody tr th, main table tbody tr td`)
	if len(row) != 7 || row[0] != "Northmoor exploitation unit" || row[1] != "Exploitation unit" || row[2] != "seiu@police.example.org" ||
		row[3] != "01632 960 123" || row[4] != "Police exploitation unit\nCSE coordinator" || row[5] != "Active" {
		t.Errorf("the entry is listed as %q", row)
	}
	if got := b.text("main table caption"); !strings.HasPrefix(got, f.CSC.Name) {
		t.Errorf("the entry's table has the caption %q", got)
	}
	b.checkPage("directory with an entry")
	b.screenshot("directory")

	// The change form, reached from the list.
	b.wantStatus("Change", b.click(`main table a.govuk-link`), 200)
	if h := b.text("h1"); h != "Northmoor exploitation unit" {
		t.Errorf("the change form's heading is %q", h)
	}
	if !eval[bool](b, `document.querySelector('#roles-police-exploitation-unit').checked && document.querySelector('#roles-cse-coordinator').checked && !document.querySelector('#roles').checked`) {
		t.Errorf("the change form does not tick the entry's roles")
	}
	b.checkPage("change a directory entry")

	// A manager reads the meeting figures, after a CSE strategy meeting.
	sys := lantern.NewSystemContext(t.Context(), "test")
	mgr, err := srv.Store.CreateUser(sys, lantern.UserInput{Email: "manager@csc.example.org", Name: "Mo Manager", AgencyID: f.CSC.ID,
		Roles: []lantern.Role{lantern.RoleManager}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	sw := storetest.As(f.SocialWorker)
	c, err := srv.Store.CreateChild(sw, lantern.ChildInput{GivenName: "Jade", FamilyName: "Turner", DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 9}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-48 * time.Hour).Truncate(time.Minute)
	m, err := srv.Store.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{c.ID}, StartsAt: at, EndsAt: at.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.RecordOutcome(sw, m.ID, m.Version, lantern.Outcome{Held: true,
		Decisions: []lantern.MeetingDecision{{ChildID: c.ID, Level: "medium"}}}); err != nil {
		t.Fatal(err)
	}
	mb := openTab(t, srv.URL, nil)
	mb.enrol(mgr.Email, storetest.Password)
	mb.wantStatus("meeting figures", mb.navigate("/reports/meetings"), 200)
	mb.wantPage("/reports/meetings", "Meetings")
	if got := mb.texts(`#meetings-headline tbody td`); len(got) != 5 || got[0] != "1" || got[1] != "1" || got[3] != "1" {
		t.Errorf("the headline figures are %q", got)
	}
	if strings.Contains(mb.text("main"), "Jade") {
		t.Errorf("the figures name the child")
	}
	mb.checkPage("meeting figures")
	mb.screenshot("meeting-figures")
	mb.wantStatus("a bad period", mb.navigate("/reports/meetings?from=nope"), 422)
	mb.checkErrorSummary(map[string]string{"#from": "from must be a date"})
	mb.checkPage("meeting figures, with errors")
}
