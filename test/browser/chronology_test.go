package browser_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestS47CompletionAndChronology completes a section 47 enquiry on its
// page (sent empty first: the error summary names each field), then reads
// the child's chronology, filters it with the checkboxes (no script
// needed) and prints it: the navigation and the filter are not printed.
func TestS47CompletionAndChronology(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	sw := srv.Fixture.SocialWorker
	ctx := storetest.As(sw)
	c, err := srv.Store.CreateChild(ctx, lantern.ChildInput{GivenName: "Rae", FamilyName: "Chronicle", DateOfBirth: lantern.Date{Year: 2012, Month: 3, Day: 1}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(lantern.London).AddDate(0, 0, -10)
	at := func(days, hour int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day()+days, hour, 0, 0, 0, lantern.London)
	}
	if _, err := srv.Store.CreateConcern(ctx, c.ID, lantern.ConcernInput{RaisedAt: at(0, 9), Summary: "Seen with older men near the station"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.CreateStrategyDiscussion(ctx, c.ID, &lantern.StrategyDiscussion{HeldAt: at(1, 10), Decision: "s47"}); err != nil {
		t.Fatal(err)
	}
	e, err := srv.Store.RecordS47(ctx, c.ID, &lantern.S47Enquiry{StartedAt: at(1, 12)})
	if err != nil {
		t.Fatal(err)
	}
	page := "/children/" + c.ID + "/s47-enquiries/" + e.ID

	b := openTab(t, srv.URL, nil)
	b.enrol(sw.Email, storetest.Password)
	b.wantStatus("enquiry page", b.navigate(page), 200)
	b.wantPage(page, "Section 47 enquiry")
	b.checkPage("an open enquiry")
	b.wantStatus("send the outcome form empty", b.click(`main form button[type=submit]`), 422)
	b.checkErrorSummary(map[string]string{"#completed_at": "the enquiry was completed", "#outcome": "what the enquiry found"})
	b.checkPage("the outcome form with errors")

	// Before it started: named on the field.
	before := at(1, 11)
	for name, v := range map[string]string{"completed_at-day": before.Format("2"), "completed_at-month": before.Format("1"),
		"completed_at-year": before.Format("2006"), "completed_at-time": "11:00"} {
		b.fill(name, v)
	}
	b.press(`input[name=outcome][value=not-substantiated]`)
	b.wantStatus("completed before it started", b.click(`main form button[type=submit]`), 422)
	b.checkErrorSummary(map[string]string{"#completed_at": "before it started"})

	done := at(5, 15)
	for name, v := range map[string]string{"completed_at-day": done.Format("2"), "completed_at-month": done.Format("1"),
		"completed_at-year": done.Format("2006"), "completed_at-time": "15:00"} {
		b.fill(name, v)
	}
	b.press(`input[name=outcome][value=not-substantiated]`)
	b.wantStatus("record the outcome", b.click(`main form button[type=submit]`), 200)
	if got := b.path(); got != page+"?done=completed" {
		t.Errorf("after the outcome, at %s", got)
	}
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The enquiry's outcome has been recorded") {
		t.Errorf("banner %q", got)
	}
	if got := b.summaryRows()["Outcome"]; got != "Concerns not substantiated" {
		t.Errorf("outcome row %q", got)
	}
	if n := eval[int](b, `document.querySelectorAll('main form').length`); n != 0 {
		t.Errorf("%d forms on a completed enquiry", n)
	}
	b.checkPage("a completed enquiry")

	// The chronology, linked from the child's page.
	b.wantStatus("child", b.navigate("/children/"+c.ID), 200)
	b.wantStatus("chronology", b.click(`a[href="/children/`+c.ID+`/chronology"]`), 200)
	chron := "/children/" + c.ID + "/chronology"
	b.wantPage(chron, "Chronology")
	titles := b.texts(".moj-timeline__title")
	if want := []string{"Section 47 enquiry completed", "Section 47 enquiry started", "Strategy discussion", "Concern"}; strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("chronology %q, want %q", titles, want)
	}
	b.checkPage("the chronology")

	// Filtered with the checkboxes, as a plain form.
	b.press(`.govuk-details__summary`)
	b.press(`input[name=kind][value=concern]`)
	b.press(`input[name=kind][value=s47-outcome]`)
	b.wantStatus("filter", b.click(`main form button[type=submit]`), 200)
	if got := b.path(); got != chron+"?kind=concern&kind=s47-outcome" {
		t.Errorf("filtered at %s", got)
	}
	if got := b.texts(".moj-timeline__title"); strings.Join(got, "|") != "Section 47 enquiry completed|Concern" {
		t.Errorf("filtered %q", got)
	}
	b.checkPage("the filtered chronology")
	b.wantStatus("an unknown kind", b.navigate(chron+"?kind=gossip"), 422)
	b.checkErrorSummary(map[string]string{"#kind": "Unknown kind"})
	b.checkPage("the chronology with an unknown kind")

	// Printed: no navigation, no filter.
	b.wantStatus("chronology again", b.navigate(chron), 200)
	b.do(func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return chromedp.Void{}, err
	})
	for _, sel := range []string{".govuk-service-navigation", ".govuk-header", ".govuk-details", ".govuk-back-link"} {
		if shown := eval[bool](b, `getComputedStyle(document.querySelector('`+sel+`')).display !== 'none'`); shown {
			t.Errorf("printed, %s shows", sel)
		}
	}
	if shown := eval[bool](b, `getComputedStyle(document.querySelector('#chronology')).display !== 'none'`); !shown {
		t.Error("printed, the chronology does not show")
	}
}
