package browser_test

import (
	"regexp"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestReferralJourney records a telephone referral through the pages: the
// empty form first (every field named in the error summary), then a good
// one, whose page lists its four tasks, late; then the decision, which ends
// the decision task. Every page is checked with axe and for script errors,
// CSP violations and failed requests.
func TestReferralJourney(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	sw := srv.Fixture.SocialWorker
	dob, err := lantern.ParseDate("2011-09-02")
	if err != nil {
		t.Fatal(err)
	}
	c, err := srv.Store.CreateChild(storetest.As(sw), lantern.ChildInput{GivenName: "Kayla", FamilyName: "Morris", DateOfBirth: dob, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	form := "/children/" + c.ID + "/referrals/new"

	b := openTab(t, srv.URL, nil)
	b.enrol(sw.Email, storetest.Password)

	// The form, sent empty.
	b.wantStatus("referral form", b.navigate(form), 200)
	b.wantPage(form, "Record a referral")
	if got := b.title(); got != "Record a referral – Lantern" {
		t.Errorf("referral form: title %q", got)
	}
	b.checkPage("record a referral")
	b.wantStatus("submit the empty referral form", b.click(`main form button[type=submit]`), 422)
	b.wantPage(form, "Record a referral")
	if got := b.title(); !strings.HasPrefix(got, "Error: ") {
		t.Errorf("referral form with errors: title %q does not start with \"Error: \"", got)
	}
	b.checkErrorSummary(map[string]string{
		"#received_at":   "the referral was received",
		"#method":        "how the referral was received",
		"#referrer_name": "name of the person who made the referral",
	})
	b.checkPage("record a referral with errors")

	// A good one.
	for name, v := range map[string]string{"received_at-day": "24", "received_at-month": "12", "received_at-year": "2025", "received_at-time": "16:30",
		"referrer_name": "Jo Bloggs", "referrer_agency": "Riverside Academy"} {
		b.fill(name, v)
	}
	b.press(`input[name=method][value=phone]`)
	b.wantStatus("record the referral", b.click(`main form button[type=submit]`), 200)
	path := b.path()
	if !regexp.MustCompile(`^/children/` + c.ID + `/referrals/[^/?]+\?done=recorded$`).MatchString(path) {
		t.Fatalf("after recording a referral, at %s", path)
	}
	referral := strings.TrimSuffix(path, "?done=recorded")
	b.wantPage(referral, "Referral received 24 December 2025 at 16:30")
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The referral has been recorded") {
		t.Errorf("after recording a referral, the banner says %q", got)
	}
	rows := b.summaryRows()
	for k, want := range map[string]string{"How": "By telephone", "Referrer": "Jo Bloggs, Riverside Academy", "Decision": "Not decided yet"} {
		if rows[k] != want {
			t.Errorf("referral page: %s is %q, want %q", k, rows[k], want)
		}
	}
	tasks := b.taskRows()
	if len(tasks) != 4 {
		t.Errorf("referral page: %d tasks, want 4: %q", len(tasks), tasks)
	}
	decision := tasks["Decide what happens next with the referral"]
	if len(decision) != 2 || decision[0] != "29 December 2025" || !strings.HasSuffix(decision[1], "days late") {
		t.Errorf("referral page: the decision task is %q, want due 29 December 2025 and late", decision)
	}
	b.checkPage("referral")
	b.screenshot("referral")

	// The decision.
	decide := `main form:has(input[name=form][value=decision])`
	b.press(decide + ` input[name=decision][value=assessment]`)
	for name, v := range map[string]string{"decided_at-day": "29", "decided_at-month": "12", "decided_at-year": "2025", "decided_at-time": "11:15"} {
		b.fill(name, v)
	}
	b.wantStatus("record the decision", b.click(decide+` button[type=submit]`), 200)
	b.wantPage(referral, "Referral received 24 December 2025 at 16:30")
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The decision has been recorded") {
		t.Errorf("after recording the decision, the banner says %q", got)
	}
	if got := b.summaryRows()["Decision"]; got != "Assessment by children's social care, decided 29 December 2025 at 11:15" {
		t.Errorf("referral page: the decision is %q", got)
	}
	if got := b.taskRows()["Decide what happens next with the referral"]; len(got) != 2 || !strings.HasPrefix(got[1], "Done") {
		t.Errorf("after the decision, its task is %q, want done", got)
	}
	if eval[bool](b, `!!document.querySelector(`+jsString(decide)+`)`) {
		t.Error("the decision form is still there after the decision was recorded")
	}
	b.checkPage("referral after the decision")

	// The other events' forms, empty and with errors, and the page of one.
	for _, f := range []struct{ slug, heading string }{
		{"strategy-discussions", "Record a strategy discussion"},
		{"conferences", "Record a child protection conference"},
		{"core-groups", "Record a core group meeting"},
		{"social-work-assessments", "Record a social work assessment"},
	} {
		path := "/children/" + c.ID + "/" + f.slug + "/new"
		b.wantStatus(f.heading, b.navigate(path), 200)
		b.wantPage(path, f.heading)
		b.checkPage(f.heading)
		b.wantStatus(f.heading+" sent empty", b.click(`main form button[type=submit]`), 422)
		b.wantPage(path, f.heading)
		b.checkPage(f.heading + " with errors")
	}
	conference := "/children/" + c.ID + "/conferences/new"
	b.wantStatus("conference form", b.navigate(conference), 200)
	for name, v := range map[string]string{"held_at-day": "20", "held_at-month": "11", "held_at-year": "2026", "held_at-time": "10:00"} {
		b.fill(name, v)
	}
	b.press(`input[name=kind][value=initial]`)
	b.press(`input[name=outcome][value=plan]`)
	b.wantStatus("record a conference", b.click(`main form button[type=submit]`), 200)
	b.wantPage(strings.TrimSuffix(b.path(), "?done=recorded"), "Initial child protection conference")
	if got := b.text("main .govuk-warning-text"); !strings.Contains(got, "There was no strategy discussion that decided on section 47 enquiries before this conference: your manager will see this") {
		t.Errorf("a conference with no section 47 strategy discussion warns %q", got)
	}
	b.checkPage("conference")

	// The child's page, with its statutory work once the page has it.
	b.wantStatus("child's page", b.navigate("/children/"+c.ID), 200)
	b.checkPage("child's page with statutory events")
}

// taskRows reads the tasks table of an event's page: each task's name to
// its due date and status.
func (b *tab) taskRows() map[string][]string {
	b.t.Helper()
	return eval[map[string][]string](b, `Object.fromEntries(Array.from(document.querySelectorAll('main table.govuk-table tbody tr'),
  r => { const cs = Array.from(r.querySelectorAll('td'), d => d.innerText.trim()); return [cs[0], cs.slice(1)]; }))`)
}
