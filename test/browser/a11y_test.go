package browser_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// TestErrorsDescribeTheirFields sends several forms empty and checks, on
// each, that every error message is tied to its field: the field's (or its
// fieldset's) aria-describedby names the message's id, and its hint's
// (checkPage checks that on every page; here it is asserted on forms that
// certainly show errors).
func TestErrorsDescribeTheirFields(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			srv := apptest.Start(t, d, apptest.Options{})
			sw := srv.Fixture.SocialWorker
			c := a11yChild(t, srv, "Dee", "Scribed")
			b := openTab(t, srv.URL, nil)
			b.enrol(sw.Email, storetest.Password)
			child := "/children/" + c.ID
			for _, tc := range []struct {
				form, submit string
				fill         map[string]string
			}{
				{"/children/new", "", nil},
				{child + "/concerns/new", "", nil},
				{child + "/missing-episodes/new", "", nil},
				{child + "/referrals/new", "", nil},
				{child + "/s47-enquiries/new", "", nil},
				{child + "/edit", "", map[string]string{"given_name": "", "dob-day": "31", "dob-month": "2"}},
				{"/meetings/new?child_id=" + c.ID, `main form button[name=send][value="0"]`, nil},
				{child + "/assessments/new", `main form button[value=check]`, map[string]string{"on-day": "99", "on-month": "1", "on-year": "2026"}},
				{child + "/agencies", `main form[action$="/agencies"] button[type=submit]`, nil},
			} {
				form, submit := tc.form, tc.submit
				if submit == "" {
					submit = `main form button[type=submit]`
				}
				b.wantStatus(form, b.navigate(form), 200)
				for name, v := range tc.fill {
					b.fill(name, v)
				}
				b.wantStatus("send "+form+" empty", b.click(submit), 422)
				errs := eval[int](b, `document.querySelectorAll('.govuk-form-group .govuk-error-message').length`)
				tied := eval[int](b, `[...document.querySelectorAll('.govuk-form-group .govuk-error-message')].filter(e => e.id &&
					document.querySelector('[aria-describedby~="' + e.id + '"]')).length`)
				if errs == 0 || tied != errs {
					t.Errorf("%s: %d of %d error messages are in a field's aria-describedby", form, tied, errs)
				}
				b.checkPage(form + " with errors")
			}
		})
	}
}

// TestChildPageReflows: at 320 CSS pixels wide (WCAG 1.4.10, reflow) the
// child's page, with its chart of levels, scrolls only up and down: the
// chart shrinks to the width it has, and nothing is wider than the window.
func TestChildPageReflows(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	sw := srv.Fixture.SocialWorker
	c := a11yChild(t, srv, "Rey", "Flow")
	for i, ids := range [][]string{{"sign.missing"}, {"sign.missing", "sign.associates-victims"}} {
		ev := map[string]string{}
		if len(ids) > 1 {
			ev["sign.associates-victims"] = "Seen with them"
		}
		if _, err := srv.Store.CreateAssessment(storetest.As(sw), c.ID, "", toolkit.AssessmentInput{
			Answers:  toolkit.Input{AssessedOn: lantern.Date{Year: 2026, Month: 10, Day: 1 + i}, Indicators: ids},
			Evidence: ev, Analysis: "Reflow"}); err != nil {
			t.Fatal(err)
		}
	}
	b := openTab(t, srv.URL, nil)
	b.enrol(sw.Email, storetest.Password)
	b.do(chromedp.EmulateViewport(320, 900))
	b.wantStatus("child page", b.navigate("/children/"+c.ID), 200)
	if w := eval[float64](b, `document.querySelector('svg.app-chart').getBoundingClientRect().width`); w > 320 || w < 100 {
		t.Errorf("at 320 px the chart is %.0f px wide", w)
	}
	wide := eval[[]string](b, `(() => {
  const out = [], W = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > W) out.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect();
    if (r.right > W + 1 && getComputedStyle(el).position !== 'absolute' && !el.closest('.app-scroll-x'))
      out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') + ' ends at ' + Math.round(r.right));
  }
  return out.slice(0, 10);
})()`)
	for _, w := range wide {
		t.Errorf("at 320 px: %s", w)
	}
	b.checkPage("child page at 320 px")
}

// TestTimeoutWarning: two minutes before the idle timeout a GOV.UK-styled
// dialog says so, with focus in it, and "Stay signed in" gives more time
// (a POST that extends the session) and closes it. The seconds left are
// read from the page, so the test shortens them there.
func TestTimeoutWarning(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	b := openTab(t, srv.URL, nil)
	b.enrol(srv.Fixture.SocialWorker.Email, storetest.Password)
	b.wantStatus("children", b.navigate("/children"), 200)
	if got := b.text("#session-expiry"); !strings.Contains(got, "you will be signed out at") {
		t.Errorf("the page does not say when the session ends: %q", got)
	}
	if eval[bool](b, `document.getElementById('timeout-warning').open`) {
		t.Fatalf("the warning shows at once")
	}
	eval[chromedp.Void](b, `document.getElementById('session-expiry').dataset.seconds = '119'`)
	wait := func(js string) bool {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancel()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(5*time.Second)))
		return err == nil
	}
	if !wait(`document.getElementById('timeout-warning').open`) {
		t.Fatalf("no warning two minutes before the timeout")
	}
	if got := b.text("#timeout-warning h2"); got != "You will be signed out soon" {
		t.Errorf("the warning's heading is %q", got)
	}
	if !eval[bool](b, `document.getElementById('timeout-warning').contains(document.activeElement)`) {
		t.Errorf("focus is not in the warning")
	}
	b.checkPage("the timeout warning")
	b.press(`#timeout-extend`)
	if !wait(`!document.getElementById('timeout-warning').open`) {
		t.Fatalf("Stay signed in did not close the warning")
	}
	b.noProblems("after staying signed in")
}

// a11yChild records a child, born 2 September 2011, as the fixture's
// social worker.
func a11yChild(t *testing.T, srv *apptest.Server, given, family string) *lantern.Child {
	t.Helper()
	c, err := srv.Store.CreateChild(storetest.As(srv.Fixture.SocialWorker), lantern.ChildInput{GivenName: given, FamilyName: family,
		DateOfBirth: lantern.Date{Year: 2011, Month: 9, Day: 2}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
