package browser_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestMissingJourney is the journey: a social worker records that
// a child went missing (the empty form first: its error summary), records
// the return, sees the 72-hour return interview task, and records the
// interview, which ends it. Every page gets checkPage: axe, and no script
// error, CSP violation or failed request.
func TestMissingJourney(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	sw := srv.Fixture.SocialWorker
	c, err := srv.Store.CreateChild(storetest.As(sw), lantern.ChildInput{GivenName: "Jade", FamilyName: "Turner",
		DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 9}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	record := "/children/" + c.ID
	// Times in the past, to the minute, in UK time.
	now := time.Now().In(lantern.London).Truncate(time.Minute)
	from, returned, held := now.Add(-30*time.Hour), now.Add(-6*time.Hour), now.Add(-2*time.Hour)
	fillTime := func(b *tab, name string, at time.Time) {
		t.Helper()
		for part, v := range map[string]string{"day": strconv.Itoa(at.Day()), "month": strconv.Itoa(int(at.Month())),
			"year": strconv.Itoa(at.Year()), "time": at.Format("15:04")} {
			b.fill(name+"-"+part, v)
		}
	}
	local := func(at time.Time) string { return at.Format("2 January 2006 at 15:04") }

	b := openTab(t, srv.URL, nil)
	b.enrol(sw.Email, storetest.Password)
	b.wantStatus("the child's record", b.navigate(record), 200)
	b.wantPage(record, "Jade Turner")
	if !strings.Contains(b.text("main"), "No missing or absent episodes have been recorded.") {
		t.Errorf("a new record's page does not say it has no missing episodes")
	}

	// The form, sent empty, then filled in.
	b.wantStatus("Record a missing episode", b.click(`main a[href="`+record+`/missing-episodes/new"]`), 200)
	form := record + "/missing-episodes/new"
	b.wantPage(form, "Record a missing episode")
	b.checkPage("record a missing episode")
	b.wantStatus("send the empty form", b.click(`main form button[type=submit]`), 422)
	if got := b.title(); !strings.HasPrefix(got, "Error: ") {
		t.Errorf("the form with errors has the title %q", got)
	}
	b.checkErrorSummary(map[string]string{"#kind": "missing or absent", "#missing_from": "went missing"})
	b.checkPage("record a missing episode, with errors")
	b.press(`#kind`)
	fillTime(b, "missing_from", from)
	b.fill("reported_by", "Foster carer")
	b.fill("police_reference", "NM-2026-0042")
	b.wantStatus("record the episode", b.click(`main form button[type=submit]`), 200)
	path := b.path()
	if !regexp.MustCompile(`^` + record + `/missing-episodes/[^/?]+\?done=recorded$`).MatchString(path) {
		t.Fatalf("after recording the episode, at %s (errors %q)", path, b.text(".govuk-error-summary"))
	}
	episode := strings.TrimSuffix(path, "?done=recorded")
	b.wantPage(episode, "Missing from "+local(from))
	if got := b.text("main .govuk-warning-text"); !strings.Contains(got, "Jade is still missing") {
		t.Errorf("an open episode warns %q", got)
	}
	b.checkPage("episode, still missing")

	// The return.
	fillTime(b, "returned_at", returned)
	b.fill("returned_where", "Leeds bus station")
	b.press(`#presentation-tired-or-hungry`)
	b.wantStatus("record the return", b.click(`main form[action="`+episode+`/return"] button[type=submit]`), 200)
	b.wantPage(episode, "Missing from "+local(from))
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The return has been recorded") {
		t.Errorf("after the return, the banner says %q", got)
	}
	rows := b.summaryRows()
	if !strings.HasPrefix(rows["Returned"], local(returned)+", after 1 day") || rows["Where found"] != "Leeds bus station" || rows["How they presented"] != "Tired or hungry" {
		t.Errorf("the returned episode shows %q", rows)
	}
	task := b.texts("#return-interview-task tbody td")
	if len(task) != 3 || task[1] != local(returned.Add(72*time.Hour)) || task[2] != "Open" {
		t.Errorf("the return interview task is %q, want due 72 hours after the return, open", task)
	}
	b.checkPage("episode, returned")
	b.screenshot("missing-returned")

	// The interview.
	b.press(`#outcome`)
	fillTime(b, "held_at", held)
	b.fill("held_by", "Ivy Independent, Base Project")
	b.fill("child_said", "I was at a flat in Leeds with people I met online.")
	b.press(`#follow_up`)
	b.wantStatus("record the interview", b.click(`main form[action="`+episode+`/interview"] button[type=submit]`), 200)
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The return interview has been recorded") {
		t.Fatalf("after the interview, the banner says %q (errors %q)", got, b.text(".govuk-error-summary"))
	}
	rows = b.summaryRows()
	if rows["Interview"] != "Held "+local(held)+" by Ivy Independent, Base Project" ||
		!strings.HasPrefix(rows["What the young person said"], "I was at a flat in Leeds") ||
		!strings.HasPrefix(rows["What follows"], "Record a new concern: task due ") {
		t.Errorf("the interview shows %q", rows)
	}
	// What follows is a button to do it: the concern form.
	if got := b.text(`#follow-up-actions a[href$="/concerns/new"]`); got != "Record a new concern" {
		t.Errorf("the follow-up's button is %q", got)
	}
	if task := b.texts("#return-interview-task tbody td"); len(task) != 3 || !strings.HasPrefix(task[2], "Done") {
		t.Errorf("after the interview, the task is %q, want done", task)
	}
	b.checkPage("episode with its interview")
	b.screenshot("missing-episode")

	// The child's record shows it.
	b.wantStatus("back to the record", b.click(`main a.govuk-back-link`), 200)
	b.wantPage(record, "Jade Turner")
	if got := b.text("#missing-timeline"); !strings.Contains(got, "Returned "+local(returned)) || !strings.Contains(got, "Return interview: held") {
		t.Errorf("the timeline shows %q", got)
	}
	b.checkPage("child's record with an episode")
	b.screenshot("child-missing")
}
