package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestDuplicatesAndAllocation: a school adds a child the other school
// holds; a manager of children's social care finds the pair on the review
// list, refuses a dismissal without a reason (the error summary), records
// why the two are not one child, then allocates a child's social worker
// from the team page (the error summary first), moving the tasks. Every
// page gets checkPage.
func TestDuplicatesAndAllocation(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	f := srv.Fixture
	sys := lantern.NewSystemContext(t.Context(), "test")
	mgr, err := srv.Store.CreateUser(sys, lantern.UserInput{Email: "manager@csc.example.org", Name: "Mo Manager", AgencyID: f.CSC.ID,
		Roles: []lantern.Role{lantern.RoleManager}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	sw2, err := srv.Store.CreateUser(sys, lantern.UserInput{Email: "second@csc.example.org", Name: "Sam Second", AgencyID: f.CSC.ID,
		Roles: []lantern.Role{lantern.RoleSocialWorker}})
	if err != nil {
		t.Fatal(err)
	}
	dob := lantern.Date{Year: 2012, Month: 5, Day: 4}
	for _, u := range []*lantern.User{f.OtherTeacher, f.Teacher} {
		if _, err := srv.Store.CreateChild(storetest.As(u), lantern.ChildInput{GivenName: "Amira", FamilyName: "Khan", DateOfBirth: dob, Gender: "female"}); err != nil {
			t.Fatal(err)
		}
	}
	// A child with late work, allocated to the fixture's social worker; the
	// team is the manager's.
	c, err := srv.Store.CreateChild(storetest.As(mgr), lantern.ChildInput{GivenName: "Lola", FamilyName: "Allocson",
		DateOfBirth: lantern.Date{Year: 2011, Month: 2, Day: 2}, Gender: "female",
		ChildDetails: lantern.ChildDetails{AllocatedSocialWorkerID: f.SocialWorker.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.CreateReferral(storetest.As(mgr), c.ID, &lantern.Referral{ReceivedAt: time.Now().Add(-14 * 24 * time.Hour),
		Method: "phone", Referrer: lantern.Referrer{Name: "A Teacher", Agency: "Riverside"}}); err != nil {
		t.Fatal(err)
	}

	b := openTab(t, srv.URL, nil)
	b.enrol(mgr.Email, storetest.Password)
	b.wantStatus("the team page", b.navigate("/work/team"), 200)
	b.wantPage("/work/team", "Your team's work")
	b.checkPage("the team page")
	b.wantStatus("the review list", b.click(`main a[href="/children/duplicates"]`), 200)
	b.wantPage("/children/duplicates", "Possible duplicate records")
	if got := b.text("main"); !strings.Contains(got, "Amira Khan and Amira Khan") || !strings.Contains(got, "Riverside Academy") || !strings.Contains(got, "Same date of birth") {
		t.Errorf("the review list says %q", got)
	}
	b.checkPage("the review list")
	b.wantStatus("no reason", b.click(`main form[action="/children/duplicates/dismiss"] button[type=submit]`), 422)
	if got := b.text(".govuk-error-summary"); !strings.Contains(got, "Say why these are not the same child") {
		t.Errorf("error summary %q", got)
	}
	b.checkPage("the review list with an error")
	b.fill("reason", "Twins: one at each school")
	b.wantStatus("dismissed", b.click(`main form[action="/children/duplicates/dismiss"] button[type=submit]`), 200)
	b.wantPage("/children/duplicates", "Possible duplicate records")
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "not the same child") {
		t.Errorf("banner %q", got)
	}
	b.wantStatus("dismissed pairs", b.navigate("/children/duplicates?status=dismissed"), 200)
	if got := b.text("main"); !strings.Contains(got, "Twins: one at each school") {
		t.Errorf("the dismissed list says %q", got)
	}
	b.checkPage("the dismissed pairs")

	// Allocation from the team page.
	b.wantStatus("the team page", b.navigate("/work/team"), 200)
	form := "/children/" + c.ID + "/allocate"
	b.wantStatus("the allocation form", b.click(`main a[href="`+form+`"]`), 200)
	b.wantPage(form, "Allocate Lola Allocson's social worker")
	b.checkPage("the allocation form")
	b.do(chromedp.SetValue(chromedp.CSS("#worker_id"), ""))
	b.wantStatus("no worker", b.click(`main form button[type=submit]`), 422)
	if got := b.text(".govuk-error-summary"); !strings.Contains(got, "Select the social worker to allocate") {
		t.Errorf("error summary %q", got)
	}
	b.checkPage("the allocation form with an error")
	b.do(chromedp.SetValue(chromedp.CSS("#worker_id"), sw2.ID))
	b.press("#move_tasks")
	b.wantStatus("allocated", b.click(`main form button[type=submit]`), 200)
	b.wantPage("/work/team", "Your team's work")
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "allocated") {
		t.Errorf("banner %q", got)
	}
	if got := b.text("main"); !strings.Contains(got, "Sam Second") {
		t.Errorf("the team page does not show the moved tasks with Sam Second: %q", got)
	}
	b.checkPage("the team page after allocating")
}
