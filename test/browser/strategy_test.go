package browser_test

import (
	"strings"
	"testing"
)

// TestStrategyPlan uses the strategy action plan and the register as the
// CSE coordinator would, on the demonstration: the plan by strand with its
// ratings in words and the suggestions beside them; an action rated amber
// with no rationale (named in the error summary), then with one; the
// board view, whose chart and table carry the same numbers and which lists
// what changed since the last board; a strand added through its form (a
// missing title named first); the register filtered to reviews
// overdue, a superseded document's chain, and the form refusing a loop.
// Every page passes axe-core.
func TestStrategyPlan(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	base := startDemo(t)
	co := signInDemo(t, base, "cse.coordinator@northmoor.example.org")

	co.wantStatus("the plan", co.click(`.govuk-service-navigation a[href="/strategy"]`), 200)
	if got := co.text("main"); !strings.Contains(got, "4. Public confidence") || !strings.Contains(got, "Off track") || !strings.Contains(got, "At risk") {
		t.Errorf("the plan: %.400q", got)
	}
	co.checkPage("the strategy action plan")
	co.screenshot("strategy")

	co.wantStatus("an action", co.click(`main td a[href^="/strategy/actions/"]`), 200)
	co.checkPage("an action of the plan")
	co.fill("text", "The trainer has left")
	co.press(`label[for="rag-amber"]`)
	co.fill("rationale", "")
	co.wantStatus("amber with no rationale", co.click(`main form button[type=submit]`), 422)
	co.checkErrorSummary(map[string]string{"#rationale": "needs a rationale"})
	co.checkPage("an action's note with an error")
	co.fill("rationale", "No trainer until the new one starts in January")
	co.wantStatus("the note", co.click(`main form button[type=submit]`), 200)
	if got := co.text(".govuk-notification-banner"); !strings.Contains(got, "progress note has been recorded") {
		t.Errorf("after the note: %q", got)
	}

	co.wantStatus("the board", co.navigate("/strategy/board"), 200)
	co.checkPage("the board view")
	co.screenshot("strategy-board")
	// The chart's description and the table carry the same counts.
	desc := eval[string](co, `document.getElementById("board-chart-desc").textContent`)
	rows := eval[[][]string](co, `Array.from(document.querySelectorAll('#board-counts tbody tr'), tr => Array.from(tr.children, c => c.textContent.trim()))`)
	if len(rows) != 4 {
		t.Fatalf("the board's table: %v", rows)
	}
	for _, row := range rows {
		// Strand, done, on track, at risk, off track, not rated, total.
		for i, word := range []string{"done", "on track", "at risk", "off track", "not rated"} {
			if row[i+1] != "0" && !strings.Contains(desc, row[0]+":") || row[i+1] != "0" && !strings.Contains(desc, row[i+1]+" "+word) {
				t.Errorf("the chart's description %q lacks %s %s of %s", desc, row[i+1], word, row[0])
			}
		}
	}
	if got := co.text("#changes + table"); !strings.Contains(got, "1.2e") || !strings.Contains(got, "Off track") {
		t.Errorf("changes since the last board: %.400q", got)
	}

	// A strand added through its form: the missing title named, then
	// saved, with its place in the plan.
	co.wantStatus("the plan again", co.navigate("/strategy"), 200)
	co.wantStatus("the strand form", co.click(`main a[href="/strategy/strands/new"]`), 200)
	co.checkPage("the strand form")
	co.fill("number", "5")
	co.wantStatus("a strand with no title", co.click(`main form button[type=submit]`), 422)
	co.checkErrorSummary(map[string]string{"#title": "title"})
	co.checkPage("the strand form with an error")
	// "Error:" goes in the browser's title, not the page's heading.
	if h1, title := co.text("main h1"), eval[string](co, `document.title`); strings.HasPrefix(h1, "Error") || !strings.HasPrefix(title, "Error: ") {
		t.Errorf("with an error, the heading %q and the title %q", h1, title)
	}
	co.screenshot("strategy-strand-error")
	co.fill("title", "Listening to young people")
	co.fill("aim", "Young people's voices shape the partnership's work (fictional)")
	co.wantStatus("the strand", co.click(`main form button[type=submit]`), 200)
	if got := co.text("main"); !strings.Contains(got, "5. Listening to young people") || !strings.Contains(got, "No actions under this strand yet") {
		t.Errorf("the plan with the new strand: %.600q", got)
	}
	if got := co.text(".govuk-notification-banner"); !strings.Contains(got, "strand has been saved") {
		t.Errorf("after the strand: %q", got)
	}
	co.screenshot("strategy-strand-saved")

	co.wantStatus("the register", co.navigate("/policies?overdue=yes"), 200)
	if got := co.text("#register"); !strings.Contains(got, "practice guidance") || strings.Contains(got, "Tip of the iceberg") {
		t.Errorf("reviews overdue: %.400q", got)
	}
	co.checkPage("the register, reviews overdue")
	co.wantStatus("superseded", co.navigate("/policies?status=superseded"), 200)
	co.wantStatus("a superseded document", co.click(`#register a[href^="/policies/"]`), 200)
	if got := co.text("main"); !strings.Contains(got, "Superseded") || !strings.Contains(got, "What replaced it") {
		t.Errorf("a superseded document: %.400q", got)
	}
	co.checkPage("a document and its chain")
	co.screenshot("policy-chain")
	doc := co.path()
	later := strings.TrimPrefix(eval[string](co, `document.querySelector('#later a').getAttribute('href')`), "/policies/")
	// The first in a chain replacing the latest: a loop, refused.
	co.wantStatus("the edit form", co.navigate(doc+"/edit"), 200)
	co.checkPage("the document form")
	co.press(`main form input[name="replaces"][value="` + later + `"]`)
	co.wantStatus("a loop", co.click(`main form button[type=submit]`), 422)
	co.checkErrorSummary(map[string]string{"#replaces": "loop"})
	co.checkPage("the document form with an error")
}
