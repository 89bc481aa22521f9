package browser_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lantern"
	"lantern/app"
	"lantern/app/apptest"
	"lantern/notify/smtptest"
	"lantern/store/storetest"
)

// TestInvolvementPages: a social worker opens a child's "Agencies involved"
// page from the record, sends the empty form (its error summary), involves
// the school with a reason, and the school's teacher, who could not, now
// sees the record. The social worker ends the involvement, first without a
// reason (the error is at that row's box), then with one, and the teacher
// is refused again (404), while the page keeps the history.
func TestInvolvementPages(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	f := srv.Fixture
	c, err := srv.Store.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "Lacey", FamilyName: "Morgan",
		DateOfBirth: lantern.Date{Year: 2010, Month: 11, Day: 3}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}

	teacher := openTab(t, srv.URL, nil)
	teacher.enrol(f.Teacher.Email, storetest.Password)
	teacher.wantStatus("the teacher, before the school is involved", teacher.navigate("/children/"+c.ID), 404)
	teacher.checkPage("a record the teacher may not see")

	sw := openTab(t, srv.URL, nil)
	sw.enrol(f.SocialWorker.Email, storetest.Password)
	sw.wantStatus("the child's record", sw.navigate("/children/"+c.ID), 200)
	sw.wantStatus("Agencies involved, and why", sw.click(`main a[href="/children/`+c.ID+`/agencies"]`), 200)
	sw.wantPage("/children/"+c.ID+"/agencies", "Agencies involved")
	if got := sw.text("main table tbody"); !strings.Contains(got, "No agency is involved") {
		t.Errorf("before any involvement, the table says %q", got)
	}
	sw.checkPage("agencies involved, none")

	sw.wantStatus("send the empty form", sw.click(`main form[action$="/agencies"] button[type=submit]`), 422)
	if got := sw.title(); !strings.HasPrefix(got, "Error: ") {
		t.Errorf("the form with errors has the title %q", got)
	}
	sw.checkErrorSummary(map[string]string{"#agency_id": "agency", "#reason": "say why"})
	sw.checkPage("involve an agency, with errors")
	sw.screenshot("involvements-errors")

	sw.do(chromedp.SetValue(chromedp.CSS("#agency_id"), f.School.ID))
	sw.fill("reason", "Lacey's school is putting in mentoring after the strategy meeting")
	sw.wantStatus("Involve the agency", sw.click(`main form[action$="/agencies"] button[type=submit]`), 200)
	sw.wantPage("/children/"+c.ID+"/agencies", "Agencies involved")
	if got := sw.text(".govuk-notification-banner--success"); !strings.Contains(got, "The agency is involved") {
		t.Fatalf("after involving, the banner says %q (errors %q)", got, sw.text(".govuk-error-summary"))
	}
	row := sw.texts(`main table:first-of-type tbody tr:first-child td`)
	if len(row) != 4 || row[0] != f.School.Name || !strings.Contains(row[1], "mentoring after the strategy meeting") || !strings.Contains(row[2], "by "+f.SocialWorker.Name) {
		t.Fatalf("the involvement is listed as %q", row)
	}
	sw.checkPage("agencies involved, the school")
	sw.screenshot("involvements")

	teacher.wantStatus("the teacher, once the school is involved", teacher.navigate("/children/"+c.ID), 200)
	if h := teacher.text("h1"); !strings.Contains(h, "Lacey Morgan") {
		t.Errorf("the teacher sees the heading %q", h)
	}
	teacher.wantStatus("the teacher reads who is involved", teacher.navigate("/children/"+c.ID+"/agencies"), 200)
	if n := eval[int](teacher, `document.querySelectorAll('main form').length`); n != 0 {
		t.Errorf("the teacher, who may not decide, is shown %d forms", n)
	}
	teacher.checkPage("agencies involved, as the teacher")

	// Ending it without a reason: the error is at that row's box.
	end := `main form[action$="/end"] button[type=submit]`
	sw.wantStatus("End, without a reason", sw.click(end), 422)
	links := eval[[]string](sw, `Array.from(document.querySelectorAll('.govuk-error-summary__list a'), a => a.getAttribute('href'))`)
	if len(links) != 1 || !strings.HasPrefix(links[0], "#reason-") {
		t.Fatalf("ending without a reason: error summary links %q", links)
	}
	sw.checkErrorSummary(map[string]string{links[0]: "say why"})
	sw.checkPage("end an involvement, with errors")
	sw.do(chromedp.SendKeys(chromedp.CSS(links[0]), "Mentoring finished; the school's part is done"))
	sw.wantStatus("End, with a reason", sw.click(end), 200)
	if got := sw.text(".govuk-notification-banner--success"); !strings.Contains(got, "The involvement has ended") {
		t.Fatalf("after ending, the banner says %q (errors %q)", got, sw.text(".govuk-error-summary"))
	}
	if got := sw.text("main table tbody"); !strings.Contains(got, "No agency is involved") {
		t.Errorf("after ending, the live table says %q", got)
	}
	before := sw.texts(`main table:last-of-type tbody tr td`)
	if len(before) != 4 || before[0] != f.School.Name || !strings.Contains(before[3], "Mentoring finished") || !strings.Contains(before[3], "by "+f.SocialWorker.Name) {
		t.Errorf("the ended involvement is listed as %q", before)
	}
	sw.checkPage("agencies involved, ended")

	teacher.wantStatus("the teacher, after the involvement ended", teacher.navigate("/children/"+c.ID), 404)
}

// TestAccountApprovalAndPasswordLink: an administrator adds a school's
// designated lead with a password they chose; the account waits for a
// second administrator (the list says so, the page says why, and the maker
// has no button). The second administrator approves it. Then the first
// adds a worker with no password: the worker is emailed a one-time link,
// sets a password at it (the empty form first, with its error summary),
// and finds the link dead when opened again.
func TestAccountApprovalAndPasswordLink(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.Options{})
	srv := apptest.Start(t, "sqlite", apptest.Options{Configure: func(c *app.Config) {
		c.SMTPAddr, c.SMTPFrom, c.BaseURL = smtp.Addr, "Lantern <lantern@example.org>", "https://lantern.example.org"
	}})
	f := srv.Fixture
	sys := lantern.NewSystemContext(t.Context(), "test")
	second, err := srv.Store.CreateUser(sys, lantern.UserInput{Email: "admin2@csc.example.org", Name: "Ade Second", AgencyID: f.CSC.ID,
		Roles: []lantern.Role{lantern.RoleAdmin}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}

	a := openTab(t, srv.URL, nil)
	a.enrol(f.Admin.Email, storetest.Password)
	a.wantStatus("Add a user", a.navigate("/admin/users/new"), 200)
	a.wantPage("/admin/users/new", "Add a user")
	a.fill("email", "dsl@riverside.example.org")
	a.fill("name", "Dana Lead")
	a.do(chromedp.SetValue(chromedp.CSS("#agency"), f.School.ID))
	a.tick("roles", "practitioner")
	a.fill("password", "a password the administrator chose")
	a.wantStatus("Add user", a.click(`main form button[type=submit]`), 200)
	if h := a.text("h1"); h != "Dana Lead" {
		t.Fatalf("after adding, heading %q (errors %q)", h, a.text(".govuk-error-summary"))
	}
	if got := a.text(".govuk-notification-banner--success"); !strings.Contains(got, "a second administrator must approve it") {
		t.Errorf("after adding, the banner says %q", got)
	}
	if got := a.text(".govuk-warning-text"); !strings.Contains(got, "cannot be used until a second administrator approves it") {
		t.Errorf("the new account's page warns %q", got)
	}
	if eval[bool](a, `!!document.querySelector('#approve')`) {
		t.Errorf("the administrator who set the password is offered the approve button")
	}
	userPath := a.path()
	if i := strings.IndexByte(userPath, '?'); i >= 0 {
		userPath = userPath[:i]
	}
	a.checkPage("a new account waiting for approval")
	a.screenshot("account-waiting")
	a.wantStatus("the users", a.navigate("/admin/users"), 200)
	if got := eval[string](a, `(function(){ const r = Array.from(document.querySelectorAll('main tbody tr')).find(r => r.innerText.includes('Dana Lead')); return r ? r.innerText : '' })()`); !strings.Contains(got, "Waiting for approval") {
		t.Errorf("the list shows the waiting account as %q", got)
	}

	b := openTab(t, srv.URL, nil)
	b.enrol(second.Email, storetest.Password)
	b.wantStatus("the waiting account", b.navigate(userPath), 200)
	b.checkPage("a waiting account, as the second administrator")
	b.wantStatus("Approve this account", b.click("#approve"), 200)
	if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The account has been approved") {
		t.Fatalf("after approving, the banner says %q (errors %q)", got, b.text(".govuk-error-summary"))
	}
	if eval[bool](b, `!!document.querySelector('.govuk-warning-text')`) {
		t.Errorf("the approved account still has the warning")
	}
	b.checkPage("an approved account")

	// A worker who sets their own password, from the emailed link.
	a.wantStatus("Add a user", a.navigate("/admin/users/new"), 200)
	a.fill("email", "new.worker@csc.example.org")
	a.fill("name", "Nia Worker")
	a.do(chromedp.SetValue(chromedp.CSS("#agency"), f.CSC.ID))
	a.tick("roles", "social-worker")
	a.wantStatus("Add user", a.click(`main form button[type=submit]`), 200)
	if got := a.text(".govuk-notification-banner--success"); !strings.Contains(got, "emailed a link to set their own password") {
		t.Fatalf("after adding without a password, the banner says %q (errors %q)", got, a.text(".govuk-error-summary"))
	}
	a.checkPage("a new account, link emailed")
	msgs := smtp.To("new.worker@csc.example.org")
	if len(msgs) != 1 {
		t.Fatalf("%d emails to the worker", len(msgs))
	}
	m := regexp.MustCompile(`https://lantern\.example\.org(/set-password/pw_[A-Za-z0-9_-]+)`).FindStringSubmatch(msgs[0].Body(t))
	if m == nil {
		t.Fatalf("no link in the email: %s", msgs[0].Body(t))
	}

	w := openTab(t, srv.URL, nil)
	w.wantStatus("the emailed link", w.navigate(m[1]), 200)
	w.wantPage(m[1], "Set your password")
	w.checkPage("set your password")
	w.wantStatus("send the empty form", w.click(`main form button[type=submit]`), 422)
	w.checkErrorSummary(map[string]string{"#password": "password"})
	w.checkPage("set your password, with errors")
	w.fill("password", "lanterns along the canal path")
	w.fill("confirm", "lanterns along the canal path")
	w.wantStatus("Set password", w.click(`main form button[type=submit]`), 200)
	w.wantPage("/sign-in", "Sign in to Lantern")
	if got := w.text(".govuk-notification-banner"); !strings.Contains(strings.ToLower(got), "password") {
		t.Errorf("after setting the password, the sign-in page says %q", got)
	}
	w.checkPage("sign in, after setting a password")
	w.wantStatus("the link again", w.navigate(m[1]), 404)
	if h := w.text("h1"); h != "This link no longer works" {
		t.Errorf("the used link's heading is %q", h)
	}
	w.checkPage("a used link")
}

// tick ticks the checkbox called name with value by clicking its label, as
// a person does (GOV.UK Frontend draws the box over the hidden input).
func (b *tab) tick(name, value string) {
	b.t.Helper()
	sel := `input[type=checkbox][name="` + name + `"][value="` + value + `"]`
	id := eval[string](b, `(function(){ const i = document.querySelector(`+jsString(sel)+`); return i ? i.id : '' })()`)
	if id == "" {
		b.t.Fatalf("at %s: no checkbox %s=%s", b.where(), name, value)
	}
	b.press(`label[for=` + jsString(id) + `]`)
	if !eval[bool](b, `document.getElementById(`+jsString(id)+`).checked`) {
		b.t.Fatalf("at %s: clicking the label did not tick %s=%s", b.where(), name, value)
	}
}
