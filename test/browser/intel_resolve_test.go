package browser_test

import (
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestIntelReview: a police analyst opens the review list from the
// intelligence page, sends the pair's form unanswered (the error summary,
// its link moving focus to the radios), answers "same" (the success banner,
// and the list empty), finds the newer record merged, undoes the merge and
// sees the candidates with the weights behind them: axe passes on every
// page.
func TestIntelReview(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	sys := lantern.NewSystemContext(t.Context(), "test")
	police, err := srv.Store.CreateAgency(sys, lantern.AgencyInput{Name: "Moor Police", Kind: lantern.KindPolice})
	if err != nil {
		t.Fatal(err)
	}
	analyst, err := srv.Store.CreateUser(sys, lantern.UserInput{Email: "analyst@police.example.org", Name: "Ari Analyst", AgencyID: police.ID,
		Roles: []lantern.Role{lantern.RoleAnalyst}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	ctx := storetest.As(analyst)
	mk := func(given string) *lantern.PersonOfConcern {
		p, err := srv.Store.CreatePerson(ctx, &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: given, Family: "Pairson"}},
			DateOfBirth: &lantern.Date{Year: 1990, Month: 3, Day: 4}, Sex: "male", Addresses: []lantern.EntityAddress{{Address: "2 Mill Lane", Postcode: "NM1 1AA"}}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	older, newer := mk("Mohammed"), mk("Muhammad")
	pairs, err := srv.Store.ReviewPairs(ctx)
	if err != nil || len(pairs) != 1 {
		t.Fatalf("review pairs %v %v, want one", pairs, err)
	}
	pid := pairs[0].ID

	b := openTab(t, srv.URL, nil)
	b.enrol(analyst.Email, storetest.Password)
	b.wantStatus("intelligence", b.navigate("/intelligence"), 200)
	b.wantStatus("the review list", b.click(`main a[href="/intelligence/reviews"]`), 200)
	b.wantPage("/intelligence/reviews", "Records that may be one person")
	if got := b.text("#pair-" + pid); !strings.Contains(got, "Mohammed Pairson") || !strings.Contains(got, "Muhammad Pairson") ||
		!strings.Contains(got, "4 March 1990") || !strings.Contains(got, "Family name") {
		t.Errorf("the pair says %q", got)
	}
	b.checkPage("the review list")
	b.wantStatus("no answer", b.click(`#pair-`+pid+` form button[type=submit]`), 422)
	b.checkErrorSummary(map[string]string{"#answer-" + pid: "the same person"})
	b.checkPage("the review list, with an error")
	b.screenshot("intel-reviews-error")
	b.press(`label[for="answer-` + pid + `"]`) // Yes, the same person
	b.wantStatus("answered", b.click(`#pair-`+pid+` form button[type=submit]`), 200)
	b.wantPage("/intelligence/reviews", "Records that may be one person")
	if got := b.text(".govuk-notification-banner"); !strings.Contains(got, "now one person") {
		t.Errorf("the banner says %q", got)
	}
	if got := b.text("#waiting"); !strings.Contains(got, "No pairs are waiting") {
		t.Errorf("after the answer, the list says %q", got)
	}
	b.checkPage("the review list, answered")
	b.screenshot("intel-reviews")

	b.wantStatus("the newer record", b.navigate("/intelligence/persons/"+newer.ID), 200)
	if got := b.text("#merged"); !strings.Contains(got, "Mohammed Pairson") {
		t.Errorf("the merged record says %q", got)
	}
	b.checkPage("a merged record")
	b.wantStatus("undone", b.click(`#undo`), 200)
	b.wantPage("/intelligence/persons/"+newer.ID, "Muhammad Pairson")
	if got := b.text("#candidate-" + older.ID); !strings.Contains(got, "Mohammed Pairson") || !strings.Contains(got, "Weight in bits") {
		t.Errorf("the candidate says %q", got)
	}
	b.press(`#merge-` + older.ID + ` .govuk-details__summary`)
	b.checkPage("the record's candidates")
	b.screenshot("intel-candidates")
}
