package browser_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestConcernToAssessment is the journey: record a concern,
// complete an assessment, see the level and the steps. A social worker
// (who is also a manager) records a concern with a disclosure, moves it to
// "records checked", completes the toolkit (an M sign reveals its evidence
// box; recording without evidence or an analysis is refused), checks the
// suggested level, records it and sees it on the child's record with the
// chart. Then the possible-matches page and the merge page. Every page gets
// checkPage: axe, and no script error, CSP violation or failed request.
func TestConcernToAssessment(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	f := srv.Fixture
	sys := lantern.NewSystemContext(t.Context(), "test")
	// The social worker is a manager too, so one sign-in sees the merge page.
	sw, err := srv.Store.UpdateUser(sys, f.SocialWorker.ID, f.SocialWorker.Version, lantern.UserUpdate{Name: f.SocialWorker.Name,
		AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleSocialWorker, lantern.RoleManager}})
	if err != nil {
		t.Fatal(err)
	}
	today := lantern.Today(time.Now())
	dob := lantern.Date{Year: today.Year - 14, Month: 3, Day: 1} // 13 or 14: over 13 from March
	if today.Month < 3 {
		dob.Year--
	}
	c, err := srv.Store.CreateChild(storetest.As(sw), lantern.ChildInput{GivenName: "Amara", FamilyName: "Okafor", DateOfBirth: dob, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	record := "/children/" + c.ID

	b := openTab(t, srv.URL, nil)
	b.enrol(sw.Email, storetest.Password)
	b.wantStatus("the child's record", b.navigate(record), 200)
	b.wantPage(record, "Amara Okafor")
	if got := b.text("main"); !strings.Contains(got, "No concerns have been recorded.") || !strings.Contains(got, "The toolkit has not been completed") {
		t.Errorf("a new record's page says %q", got)
	}
	b.checkPage("child's record, nothing recorded")

	// Record a concern: no immediate risk, a disclosure in the young
	// person's own words.
	b.wantStatus("Record a concern", b.click(`main a[href="`+record+`/concerns/new"]`), 200)
	b.wantPage(record+"/concerns/new", "Record a concern")
	if !strings.Contains(b.text("main"), "call the emergency services on 999 now") {
		t.Errorf("the concern form does not put calling 999 first")
	}
	b.checkPage("record a concern")
	b.press(`#immediate_risk-no`)
	b.press(`#disclosure`)
	words := `  He said "you're special" & <don't tell>` + "\n  and he gives me lifts"
	b.fill("disclosure_words", words)
	b.fill("summary", "Amara told her form tutor about an older man who collects her from school.")
	b.wantStatus("record the concern", b.click(`main form button[type=submit]`), 200)
	concernPath := b.path()
	if !regexp.MustCompile(`^` + record + `/concerns/[^/?]+\?done=recorded$`).MatchString(concernPath) {
		t.Fatalf("after recording a concern, at %s (errors %q)", concernPath, b.text(".govuk-error-summary"))
	}
	concernPath = strings.TrimSuffix(concernPath, "?done=recorded")
	if h := b.text("h1"); !strings.HasPrefix(h, "Concern raised ") {
		t.Errorf("concern page heading %q", h)
	}
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The concern has been recorded") {
		t.Errorf("banner %q", got)
	}
	// The words as typed: the browser sends a textarea's line breaks as CRLF.
	if got := eval[string](b, `document.querySelector('main blockquote').textContent`); got != strings.ReplaceAll(words, "\n", "\r\n") &&
		got != words {
		t.Errorf("the words shown are %q, want %q", got, words)
	}
	cs, err := srv.Store.Concerns(storetest.As(sw), c.ID)
	if err != nil || len(cs) != 1 || strings.ReplaceAll(cs[0].DisclosureWords, "\r\n", "\n") != words {
		t.Errorf("stored concerns %+v, %v", cs, err)
	}
	b.checkPage("concern")

	// It is on the child's page; open it from there.
	b.wantStatus("back to the record", b.click(`main a.govuk-back-link`), 200)
	b.wantPage(record, "Amara Okafor")
	if got := b.text("main table tbody"); !strings.Contains(got, "Disclosure") || !strings.Contains(got, "Concern recorded") || !strings.Contains(got, sw.Name) {
		t.Errorf("the concerns table shows %q", got)
	}
	b.checkPage("child's record with a concern")
	b.wantStatus("open the concern", b.click(`main table a[href="`+concernPath+`"]`), 200)

	// Records checked; then the toolkit.
	b.wantStatus("records checked", b.click(`main form[action="`+concernPath+`/steps"] button[type=submit]`), 200)
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "Agency records checked and line manager informed") {
		t.Errorf("after moving on, the banner says %q", got)
	}
	if got := b.texts(".moj-timeline__title"); !slices.Equal(got, []string{"Concern recorded", "Agency records checked and line manager informed"}) {
		t.Errorf("history %q", got)
	}
	b.checkPage("concern, records checked")
	b.wantStatus("Complete the toolkit", b.click(`main a.govuk-button[href^="`+record+`/assessments/new?concern="]`), 200)
	b.wantPage(record+"/assessments/new", "Complete the toolkit")
	b.checkPage("toolkit form")

	// An M sign reveals its evidence box.
	hidden := func(id string) bool {
		return eval[bool](b, `document.getElementById(`+jsString(id)+`).classList.contains('govuk-checkboxes__conditional--hidden')`)
	}
	if !hidden("cond-sign.gangs") {
		t.Errorf("the evidence box for sign.gangs shows before it is ticked")
	}
	b.press(`[id="ind-sign.gangs"]`)
	if hidden("cond-sign.gangs") || !eval[bool](b, `document.getElementById('evidence.sign.gangs').offsetParent !== null`) {
		t.Errorf("ticking sign.gangs did not reveal its evidence box")
	}
	if got := eval[string](b, `document.getElementById('ind-sign.gangs').getAttribute('aria-expanded')`); got != "true" {
		t.Errorf("the ticked box has aria-expanded %q", got)
	}
	b.press(`[id="ind-vuln.bullying"]`)

	// Checked with no evidence and no analysis, the suggestion shows;
	// recording is refused with an error summary.
	b.wantStatus("check without evidence", b.click(`main button[value=check]`), 200)
	if got := b.text("#suggestion .govuk-panel__title"); got != "Suggested level: Medium risk" {
		t.Errorf("suggestion %q", got)
	}
	// The result is where the person is: first on the page, in view, with
	// focus on it (not 4,000 px down with focus at the top).
	if got := eval[string](b, `document.activeElement && document.activeElement.id`); got != "result" {
		t.Errorf("after checking, focus is on %q, want the result", got)
	}
	if top := eval[float64](b, `document.getElementById('result').getBoundingClientRect().top`); top < 0 || top > 600 {
		t.Errorf("after checking, the result is %.0f px from the top of the window", top)
	}
	if !strings.HasSuffix(b.where(), "#result") && !eval[bool](b, `location.hash === '#result'`) {
		t.Errorf("after checking, the address is %s, want it to end #result", b.where())
	}
	b.wantStatus("record without evidence or analysis", b.click(`main button[value=record]`), 422)
	if got := b.title(); !strings.HasPrefix(got, "Error: ") {
		t.Errorf("title %q", got)
	}
	b.checkIDErrorSummary(map[string]string{"analysis": "analysis", "evidence.sign.gangs": "evidence"})
	if hidden("cond-sign.gangs") {
		t.Errorf("with an error, the ticked sign's evidence box is hidden")
	}
	b.checkPage("toolkit form with errors")

	// Fill them in and check the level.
	b.fill("evidence.sign.gangs", "Seen with older males near the station on 3 evenings")
	b.fill("analysis", "Amara is being drawn into an older group; the lifts are grooming.")
	b.wantStatus("check the suggested level", b.click(`main button[value=check]`), 200)
	if got := b.text("#suggestion .govuk-panel__title"); got != "Suggested level: Medium risk" {
		t.Errorf("suggestion %q", got)
	}
	if got := b.text("#suggestion .govuk-panel__body"); got != "NWG category 2" {
		t.Errorf("category %q", got)
	}
	why := b.texts("#suggestion ~ ul.govuk-list--bullet li")
	if !slices.Contains(why, "At least one medium (M) sign: Medium risk") {
		t.Errorf("the rules shown are %q", why)
	}
	steps := b.texts("#suggestion ~ ol li")
	if len(steps) < 3 || steps[0] != "Check your agency's records and inform your line manager." ||
		!slices.Contains(steps, "Refer to the area's front door for children's social care.") {
		t.Errorf("next steps %q", steps)
	}
	if !eval[bool](b, `document.getElementById('level-medium').checked`) {
		t.Errorf("the suggested level is not chosen to record")
	}
	if got := eval[string](b, `document.getElementById('evidence.sign.gangs').value`); got != "Seen with older males near the station on 3 evenings" {
		t.Errorf("the evidence was not kept: %q", got)
	}
	b.checkPage("toolkit form with the suggested level")

	// Record it.
	b.wantStatus("record the assessment", b.click(`main button[value=record]`), 200)
	if p := b.path(); !regexp.MustCompile(`^` + record + `/assessments/[^/?]+\?done=recorded$`).MatchString(p) {
		t.Fatalf("after recording, at %s (errors %q)", p, b.text(".govuk-error-summary"))
	}
	if h := b.text("h1"); !strings.HasPrefix(h, "Toolkit assessment, ") {
		t.Errorf("assessment heading %q", h)
	}
	rows := b.summaryRows()
	if !strings.Contains(rows["Level recorded"], "Medium risk") || !strings.HasPrefix(rows["Level suggested"], "Medium risk (NWG category 2)") {
		t.Errorf("assessment summary %q", rows)
	}
	if got := b.texts("main ol.govuk-list--number li"); !slices.Contains(got, "Refer to the area's front door for children's social care.") {
		t.Errorf("next steps on the assessment %q", got)
	}
	b.checkPage("assessment")

	// The child's record: the level in the table and the chart.
	b.wantStatus("back to the record", b.click(`main a.govuk-back-link`), 200)
	b.wantPage(record, "Amara Okafor")
	if got := b.text("main table.govuk-table tbody"); !strings.Contains(got, "Medium risk") {
		t.Errorf("the assessments table shows %q", got)
	}
	if n := eval[int](b, `document.querySelectorAll('main svg[role="img"] circle').length`); n != 1 {
		t.Errorf("the chart has %d points, want 1", n)
	}
	if got := b.text("main table.govuk-table tbody tr:first-child td:nth-child(2)"); !strings.Contains(got, "Medium risk") {
		t.Errorf("recorded level cell %q", got)
	}
	b.checkPage("child's record with an assessment")

	// The same child entered again: possible matches first.
	b.wantStatus("add a child", b.navigate("/children/new"), 200)
	b.fill("given_name", "Amarah")
	b.fill("family_name", "Okafor")
	b.fill("dob-day", strconv.Itoa(dob.Day))
	b.fill("dob-month", strconv.Itoa(int(dob.Month)))
	b.fill("dob-year", strconv.Itoa(dob.Year))
	b.press(`input[name=gender][value=female]`)
	b.wantStatus("possible matches", b.click(`main form button[type=submit]`), 200)
	b.wantPage("/children", "This child may already have a record")
	if got := b.text(".govuk-summary-card__title"); got != "Amara Okafor" {
		t.Errorf("possible match %q", got)
	}
	b.checkPage("possible matches")
	b.wantStatus("create it anyway", b.click(`main form button[type=submit]`), 200)
	dupPath := strings.TrimSuffix(b.path(), "?done=created")
	b.wantPage(dupPath, "Amarah Okafor")

	// The merge page lists it; compare, then merge.
	b.wantStatus("merge page", b.navigate(record+"/merge"), 200)
	b.wantPage(record+"/merge", "Merge records")
	b.checkPage("merge")
	b.wantStatus("compare", b.click(`main a[href="`+record+`/merge?other=`+strings.TrimPrefix(dupPath, "/children/")+`"]`), 200)
	if got := b.texts("main table tbody tr td"); len(got) < 2 || got[0] != "Amara Okafor" || got[1] != "Amarah Okafor" {
		t.Errorf("comparison %q", got)
	}
	b.checkPage("merge, comparing")
	b.wantStatus("merge", b.click(`main form button.govuk-button--warning`), 200)
	b.wantPage(record, "Amara Okafor")
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The records have been merged") {
		t.Errorf("after merging, the banner says %q", got)
	}
	b.settled("child's record after merging")
}

// checkIDErrorSummary checks the error summary for fields whose ids have
// dots in them (evidence.sign.gangs), which CSS selectors cannot name by
// #id: it has focus, links to exactly these ids, each message mentions its
// text, each field has its inline message, and each link moves focus to
// the field, as GOV.UK Frontend does with getElementById.
func (b *tab) checkIDErrorSummary(want map[string]string) {
	t := b.t
	t.Helper()
	if !eval[bool](b, `document.activeElement === document.querySelector('.govuk-error-summary')`) {
		t.Errorf("at %s: the error summary does not have focus", b.path())
	}
	type link struct{ Href, Text string }
	links := eval[[]link](b, `Array.from(document.querySelectorAll('.govuk-error-summary__list a'), a => ({Href: a.getAttribute('href'), Text: a.textContent.trim()}))`)
	if len(links) != len(want) {
		t.Errorf("at %s: error summary links %v, want %v", b.path(), links, want)
	}
	for _, l := range links {
		id := strings.TrimPrefix(l.Href, "#")
		frag, ok := want[id]
		if !ok {
			t.Errorf("error summary links to %s, not one of %v", l.Href, want)
			continue
		}
		if !strings.Contains(strings.ToLower(l.Text), frag) {
			t.Errorf("error summary link to %s says %q, want %q in it", l.Href, l.Text, frag)
		}
		if eval[string](b, `(function(){ const e = document.getElementById(`+jsString(id)+`); const g = e && e.closest('.govuk-form-group--error');
  return g ? (g.querySelector('.govuk-error-message') || {}).textContent || '' : '' })()`) == "" {
			t.Errorf("the field %s has no inline error message", id)
		}
		b.press(`.govuk-error-summary__list a[href=` + jsString(l.Href) + `]`)
		if got := eval[string](b, `document.activeElement ? document.activeElement.id : ''`); got != id {
			t.Errorf("the error summary link to %s moves focus to %q", l.Href, got)
		}
	}
}
