package browser_test

import (
	"strings"
	"testing"
)

// TestInformationSharing uses information sharing as its people would, on
// the demonstration: the information governance lead finds the alert that
// the glass was broken on a sealed record and reviews it (an empty review
// named in the error summary first); a social worker not on the record's
// allow-list does not find the child, and is offered the break-glass form
// from the page that says so; the manager who sealed it sees the seal and
// its allow-list; a practitioner records a decision not to share (its
// reason named when left out) and sees it on the child's record. Every page
// passes axe-core.
func TestInformationSharing(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	base := startDemo(t)

	ig := signInDemo(t, base, "information.governance@northmoor.example.org")
	if got := ig.text("#alerts"); !strings.Contains(got, "broken the glass") {
		t.Errorf("the governance lead's alerts: %q", got)
	}
	ig.wantStatus("review list", ig.navigate("/break-glass"), 200)
	if got := ig.text("main table"); !strings.Contains(got, "Casey Coordinator") || !strings.Contains(got, "takeaway on Mill Street") {
		t.Errorf("the review list: %q", got)
	}
	ig.checkPage("the break-glass review list")
	ig.screenshot("break-glass-reviews")
	ig.wantStatus("an empty review", ig.click(`main form button[type=submit]`), 422)
	ig.checkPage("the review list with an error")
	ig.press(`main form textarea`)
	ig.fill("note", "Justified: the strategy discussion needed her record that morning")
	ig.wantStatus("the review", ig.click(`main form button[type=submit]`), 200)
	if got := ig.text(".govuk-notification-banner"); !strings.Contains(got, "review has been recorded") {
		t.Errorf("after the review: %q", got)
	}
	ig.wantStatus("agreements", ig.navigate("/agreements"), 200)
	if got := ig.text("main"); !strings.Contains(got, "Version 2") || !strings.Contains(got, "Ended") {
		t.Errorf("the agreements: %.300q", got)
	}
	ig.checkPage("the information-sharing agreements")
	ig.screenshot("agreements")

	// The manager who sealed it.
	mgr := signInDemo(t, base, "manager@northmoor.example.org")
	mgr.wantStatus("search", mgr.navigate("/children?q=Poppy"), 200)
	mgr.wantStatus("Poppy", mgr.click(`main table tbody tr a`), 200)
	poppy := mgr.path()
	if got := mgr.text(".govuk-notification-banner"); !strings.Contains(got, "Sealed record") {
		t.Errorf("the sealed record's banner: %q", got)
	}
	mgr.checkPage("a sealed record")
	mgr.wantStatus("the seal", mgr.navigate(poppy+"/seal"), 200)
	if got := mgr.text("main table"); !strings.Contains(got, "Jess Fairhollow") || !strings.Contains(got, "Broke the glass") {
		t.Errorf("the allow-list: %q", got)
	}
	mgr.checkPage("a record's seal")
	mgr.screenshot("seal")

	// The partnership's data set, protected for a board paper, and its CSV.
	mgr.wantStatus("data set", mgr.navigate("/reports/dataset?profile=dfe"), 200)
	if got := mgr.text("#table-prevalence"); !strings.Contains(got, "New: their first CSE concern in the period") {
		t.Errorf("the data set's prevalence table: %q", got)
	}
	mgr.checkPage("the data set under dfe")
	mgr.screenshot("dataset")
	csv := eval[string](mgr, `(function(){ const x = new XMLHttpRequest(); x.open('GET', '/reports/dataset.csv?profile=dfe', false); x.send(); return x.status + '\n' + x.responseText })()`)
	if !strings.HasPrefix(csv, "200\ntable,row,column,value\r\n") || !strings.Contains(csv, "prevalence,New: their first CSE concern in the period,children,") {
		t.Errorf("the data set's CSV: %.300q", csv)
	}
	mgr.wantStatus("a bad profile", mgr.navigate("/reports/dataset?profile=open"), 422)
	mgr.checkErrorSummary(map[string]string{"#profile": "Profile must be one of"})

	// The figures shared with a neighbouring partnership: exact refused,
	// then shared under the area's profile and kept with its fingerprint.
	mgr.wantStatus("figures shared", mgr.navigate("/reports/shared"), 200)
	mgr.checkPage("figures shared outside the area")
	mgr.fill("from", "2026-04-01")
	mgr.fill("to", "2026-09-30")
	mgr.press(`label[for="purpose"]`) // to a neighbouring partnership
	mgr.wantStatus("share with no one named", mgr.click("form[action='/reports/shared'] button"), 422)
	mgr.checkErrorSummary(map[string]string{"#recipient": "Enter who the figures are for"})
	mgr.fill("recipient", "Eastshire Safeguarding Partnership (fictional)")
	mgr.wantStatus("share", mgr.click("form[action='/reports/shared'] button"), 200)
	if got := mgr.text("main"); !strings.Contains(got, "SHA-256 of what was sent") || !strings.Contains(got, "Eastshire") || !strings.Contains(got, "dfe") {
		t.Errorf("the share: %q", got)
	}
	if got := mgr.text("main .govuk-summary-list"); !strings.Contains(got, "This area") {
		t.Errorf("the share's area is not named: %q", got)
	}
	// What was sent, read back as its tables, each titled.
	if got := mgr.text("#sent-prevalence caption"); got != "Children open to CSE work" {
		t.Errorf("the prevalence table sent is captioned %q", got)
	}
	if n := eval[int](mgr, `document.querySelectorAll('table[id^="sent-"]').length`); n < 20 {
		t.Errorf("%d tables sent", n)
	}
	mgr.checkPage("a share of figures")
	mgr.screenshot("figure-share")

	// A social worker not on the list: not found, and offered the glass.
	owen := signInDemo(t, base, "social.worker3@northmoor.example.org")
	owen.wantStatus("search", owen.navigate("/children?q=Poppy"), 200)
	if got := owen.text("main"); strings.Contains(got, "Madeupson") {
		t.Errorf("a social worker off the allow-list finds Poppy: %.300q", got)
	}
	owen.wantStatus("the record", owen.navigate(poppy), 404)
	owen.wantStatus("break the glass", owen.click(`main a[href$="/break-glass"]`), 200)
	owen.checkPage("the break-glass form")
	owen.fill("reason", "urgent")
	owen.wantStatus("a short reason", owen.click(`main form button[type=submit]`), 422)
	owen.checkErrorSummary(map[string]string{"#reason": "at least 20 characters"})
	owen.checkPage("the break-glass form with an error")

	// A practitioner records a decision not to share.
	pat := signInDemo(t, base, "practitioner@riverside.example.org")
	pat.wantStatus("search", pat.navigate("/children?q=Keira"), 200)
	pat.wantStatus("Keira", pat.click(`main table tbody tr a`), 200)
	keira := pat.path()
	pat.wantStatus("the form", pat.navigate(keira+"/shares/new"), 200)
	pat.checkPage("the share form")
	pat.press(`label[for="outcome-not"]`)
	pat.fill("to", "Riverside Academy's attendance officer")
	pat.fill("what", "Why Keira was absent on Monday")
	pat.wantStatus("no reason", pat.click(`main form button[type=submit]`), 422)
	pat.checkErrorSummary(map[string]string{"#reason": "reason for not sharing"})
	pat.checkPage("the share form with an error")
	pat.fill("reason", "The attendance officer needs to know she was safe, not why: her head of year knows")
	pat.wantStatus("saved", pat.click(`main form button[type=submit]`), 200)
	if got := pat.text("#shares + div table, main table"); got == "" {
		t.Error("no shares table on the record")
	}
	if got := pat.text("main"); !strings.Contains(got, "attendance officer") || !strings.Contains(got, "Not shared") {
		t.Errorf("the child's record does not show the decision: %.300q", got)
	}
	pat.checkPage("a child's record with its shares")
	pat.screenshot("child-shares")
}
