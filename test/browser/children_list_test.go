package browser_test

import (
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// TestChildrenList: a social worker searches the children list by a name
// as it sounds, filters it by level and looked after with the form (ticking
// the boxes by their labels), sorts by a column header, finds the download
// link keeping the filters, and sends a filter the list does not know (the
// error summary). Every page gets checkPage.
func TestChildrenList(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	f := srv.Fixture
	sw := storetest.As(f.SocialWorker)
	mk := func(given, family string, dob lantern.Date, lookedAfter bool) *lantern.Child {
		c, err := srv.Store.CreateChild(sw, lantern.ChildInput{GivenName: given, FamilyName: family, DateOfBirth: dob, Gender: "female",
			ChildDetails: lantern.ChildDetails{LookedAfter: lookedAfter, AllocatedSocialWorkerID: f.SocialWorker.ID}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	amira := mk("Amira", "Demoton", lantern.Date{Year: 2016, Month: 12, Day: 2}, true)
	mk("Sean", "O'Brien", lantern.Date{Year: 2012, Month: 6, Day: 15}, false)
	mk("Bea", "Able", lantern.Date{Year: 2011, Month: 1, Day: 1}, true)
	today := lantern.Today(time.Now())
	if _, err := srv.Store.CreateAssessment(sw, amira.ID, "", toolkit.AssessmentInput{
		Answers:  toolkit.Input{AssessedOn: today, Indicators: []string{"sign.missing"}},
		Analysis: "Missing twice", RecordedLevel: toolkit.High, OverrideRationale: "Seen with older men"}); err != nil {
		t.Fatal(err)
	}

	b := openTab(t, srv.URL, nil)
	b.enrol(f.SocialWorker.Email, storetest.Password)
	b.wantStatus("the list", b.navigate("/children"), 200)
	b.wantPage("/children", "Children")
	b.checkPage("children list")
	if got := b.texts("#children-list tbody tr td:first-child a"); len(got) != 3 || got[0] != "Able, Bea" {
		t.Errorf("the list shows %q", got)
	}

	// A name as it sounds, then filters with the form.
	b.fill("q", "Amyra")
	b.wantStatus("search", b.click(`main form[role=search] button[type=submit]`), 200)
	if got := b.texts("#children-list tbody tr td:first-child a"); len(got) != 1 || got[0] != "Demoton, Amira" {
		t.Errorf("Amyra finds %q", got)
	}
	if got := b.text("#children-list tbody tr td:nth-child(2) .govuk-tag"); got != "High risk" {
		t.Errorf("Amira's level tag says %q", got)
	}
	b.checkPage("children list, searched")
	b.fill("q", "")
	b.tick("level", "high")
	b.tick("looked_after", "true")
	b.wantStatus("filter", b.click(`main form[role=search] button[type=submit]`), 200)
	if got := b.texts("#children-list tbody tr td:first-child a"); len(got) != 1 || got[0] != "Demoton, Amira" {
		t.Errorf("high and looked after shows %q", got)
	}
	if href := eval[string](b, `document.querySelector('a[href^="/children.csv"]').getAttribute('href')`); !strings.Contains(href, "level=high") ||
		!strings.Contains(href, "looked_after=true") {
		t.Errorf("the download link %q does not keep the filters", href)
	}
	b.checkPage("children list, filtered")
	b.screenshot("children-list-filtered")

	// Sorting by a header keeps the filters.
	b.wantStatus("clear", b.navigate("/children?looked_after=true"), 200)
	b.wantStatus("sort by age", b.click(`#children-list th:nth-child(3) a`), 200)
	if got := b.texts("#children-list tbody tr td:first-child a"); len(got) != 2 || got[0] != "Demoton, Amira" {
		t.Errorf("looked after, youngest first: %q", got)
	}
	if got := eval[string](b, `document.querySelector('#children-list th:nth-child(3)').getAttribute('aria-sort')`); got != "ascending" {
		t.Errorf("the age header's aria-sort is %q", got)
	}
	b.checkPage("children list, sorted")

	// A filter the list does not know: the error summary.
	b.wantStatus("a bad filter", b.navigate("/children?level=severe"), 422)
	b.checkErrorSummary(map[string]string{"#level": "level"})
	b.checkPage("children list, bad filter")
	b.screenshot("children-list-bad-filter")
}
