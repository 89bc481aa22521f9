package browser_test

import (
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestWorkPages: a manager with late work sees it on "your work", the team
// page and the timeliness figures, each page checked with axe and for script
// errors, CSP violations and failed requests.
func TestWorkPages(t *testing.T) {
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
	c, err := srv.Store.CreateChild(storetest.As(mgr), lantern.ChildInput{GivenName: "Lola", FamilyName: "Workson",
		DateOfBirth: lantern.Date{Year: 2012, Month: 2, Day: 2}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	// A referral a fortnight ago: its decision and feedback tasks are late.
	if _, err := srv.Store.CreateReferral(storetest.As(mgr), c.ID, &lantern.Referral{ReceivedAt: time.Now().Add(-14 * 24 * time.Hour),
		Method: "phone", Referrer: lantern.Referrer{Name: "A Teacher", Agency: "Riverside"}}); err != nil {
		t.Fatal(err)
	}

	b := openTab(t, srv.URL, nil)
	b.enrol(mgr.Email, storetest.Password)
	for _, p := range []struct{ path, h1, says string }{
		{"/work", "Your work", "days late"},
		{"/work/team", "Your team's work", "Mo Manager"},
		{"/reports/timeliness", "Work within timescale", "Per cent within"},
	} {
		b.wantStatus(p.path, b.navigate(p.path), 200)
		b.wantPage(p.path, p.h1)
		if got := b.text("main"); !strings.Contains(got, p.says) {
			t.Errorf("%s does not say %q", p.path, p.says)
		}
		if p.path != "/reports/timeliness" && !strings.Contains(b.text("main"), "Lola Workson") {
			t.Errorf("%s does not show the child's late task", p.path)
		}
		b.checkPage(p.path)
	}
}
