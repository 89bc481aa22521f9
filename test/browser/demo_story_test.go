package browser_test

import (
	"strings"
	"testing"
)

// TestDemoStory uses the demonstration as its people would: the social
// worker's dashboard and the front door's queue (immediate risk first), a
// waiting referral, a child found by name and their chronology; the school
// practitioner's home page. Each page passes axe-core.
func TestDemoStory(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	base := startDemo(t)
	signIn := func(email string) *tab { return signInDemo(t, base, email) }
	sw := signIn("social.worker@northmoor.example.org")
	dash := sw.text("#dashboard")
	if !strings.Contains(dash, "referrals waiting") || !strings.Contains(dash, "with immediate risk") {
		t.Errorf("the social worker's dashboard says %q", dash)
	}
	if sw.text("#alerts") == "" {
		t.Error("the social worker has no alerts")
	}
	sw.checkPage("the social worker's dashboard (demonstration)")
	sw.screenshot("demo-home")

	sw.wantStatus("front door", sw.navigate("/front-door"), 200)
	rows := sw.texts("#queue tbody tr")
	if len(rows) < 5 || !strings.Contains(rows[0], "Immediate risk") {
		t.Fatalf("the front door's queue: %q", rows)
	}
	sw.checkPage("the front door (demonstration)")
	sw.screenshot("demo-front-door")
	// Filtered to the red ones, with the form; a bad filter is named.
	sw.press("details.govuk-details summary")
	sw.tick("rag", "red")
	sw.wantStatus("filter", sw.click(`form[action="/front-door"] button[type=submit]`), 200)
	if red := sw.texts("#queue tbody tr"); len(red) == 0 || len(red) >= len(rows) {
		t.Errorf("filtered to red: %d rows of %d", len(red), len(rows))
	}
	sw.checkPage("the front door, filtered (demonstration)")
	sw.wantStatus("a bad filter", sw.navigate("/front-door?rag=purple"), 422)
	sw.checkErrorSummary(map[string]string{"#rag": "Filter by red, amber, green or unrated"})
	sw.checkPage("the front door with a bad filter (demonstration)")
	sw.wantStatus("front door", sw.navigate("/front-door"), 200)
	sw.wantStatus("a waiting referral", sw.click(`#queue tbody tr a`), 200)
	if got := sw.summaryRows()["Decision"]; got != "Not decided yet" {
		t.Errorf("a waiting referral's decision: %q", got)
	}
	sw.checkPage("a waiting referral (demonstration)")
	sw.screenshot("demo-referral")

	sw.wantStatus("search", sw.navigate("/children?q=Keira"), 200)
	sw.wantStatus("Keira", sw.click(`main table tbody tr a`), 200)
	child := sw.path()
	sw.wantStatus("chronology", sw.navigate(child+"/chronology"), 200)
	if got := sw.text("main"); !strings.Contains(got, "Chicken Shack") {
		t.Errorf("Keira's chronology does not name the takeaway: %.300q", got)
	}
	sw.checkPage("a chronology (demonstration)")
	sw.screenshot("demo-chronology")

	pr := signIn("practitioner@riverside.example.org")
	pr.checkPage("the practitioner's home page (demonstration)")
	pr.screenshot("demo-practitioner-home")
}
