package browser_test

import (
	"strings"
	"testing"
)

// TestChildExtracts: the demonstration's analyst finds the child-level
// extracts from the home page, reads the warning that they never leave the
// area, downloads the person table (its header the data model's field
// names), and is told by name when the period is the wrong way round; a
// manager is not offered them. Every page passes axe-core.
func TestChildExtracts(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	base := startDemo(t)

	alex := signInDemo(t, base, "analyst@police.example.org")
	alex.wantStatus("home", alex.navigate("/"), 200)
	if got := alex.text("main"); !strings.Contains(got, "Child-level extracts") {
		t.Errorf("the analyst's home page offers no extracts: %.300q", got)
	}
	alex.wantStatus("extracts", alex.navigate("/reports/extracts"), 200)
	if got := alex.text(".govuk-warning-text"); !strings.Contains(got, "never shared outside") {
		t.Errorf("the warning: %q", got)
	}
	if got := alex.text("#extracts"); !strings.Contains(got, "ssd_linked_identifiers") || !strings.Contains(got, "cinf_assessment_factors_json") {
		t.Errorf("the tables: %.300q", got)
	}
	alex.checkPage("the child-level extracts")
	csv := eval[string](alex, `(function(){ const x = new XMLHttpRequest(); x.open('GET', document.querySelector('a[href^="/reports/extracts/ssd_person.csv"]').getAttribute('href'), false); x.send(); return x.status + '\n' + x.responseText })()`)
	if !strings.HasPrefix(csv, "200\npers_legacy_id,pers_person_id,pers_upn,pers_forename,") {
		t.Errorf("the person extract: %.300q", csv)
	}
	alex.wantStatus("the wrong way round", alex.navigate("/reports/extracts?from=2026-12-01&to=2026-01-01"), 422)
	alex.checkErrorSummary(map[string]string{"#from": "The start must be on or before the end", "#to": "The end must be on or after the start"})

	mgr := signInDemo(t, base, "manager@northmoor.example.org")
	mgr.wantStatus("home", mgr.navigate("/"), 200)
	if got := mgr.text("main"); strings.Contains(got, "Child-level extracts") {
		t.Error("a manager is offered the extracts")
	}
	mgr.wantStatus("extracts", mgr.navigate("/reports/extracts"), 403)
}
