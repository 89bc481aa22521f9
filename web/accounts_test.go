package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lantern"
	"lantern/app"
	"lantern/app/apptest"
	"lantern/notify/smtptest"
	"lantern/store/storetest"
)

// An administrator alone cannot make an account that reads every child: a
// children's social care account with a password they chose waits for a
// second administrator, who approves it on its page (the first cannot).
// Roles must fit the agency.
func TestAnAdministratorAloneCannotOpenACaseAccount(t *testing.T) {
	t.Parallel()
	e := startEnv(t, "sqlite", apptest.Options{})
	second, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "second.admin@csc.example.org", Name: "Sid Second",
		AgencyID: e.f.CSC.ID, Roles: []lantern.Role{lantern.RoleAdmin}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	first := newBrowser(t, e.srv)
	first.enrol(e.f.Admin.Email)
	chosen := "a phrase the administrator chose"
	r := first.post("/admin/users", url.Values{"email": {"mine@csc.example.org"}, "name": {"My Account"}, "agency": {e.f.CSC.ID},
		"roles": {"social-worker"}, "password": {chosen}})
	if r.status != 303 {
		t.Fatalf("create: %d %.500s", r.status, r.body)
	}
	userPath := r.header.Get("Location")
	userPath = userPath[:strings.IndexByte(userPath, '?')]
	page := first.get(userPath)
	wantPage(t, page, 200, "cannot be used until a second administrator approves it", "another administrator must approve it")
	if strings.Contains(string(page.body), "Approve this account") {
		t.Error("the administrator who made the account is offered its approval")
	}
	wantPage(t, first.post(userPath+"/approve", nil), 422, "another administrator must approve")

	person := newBrowser(t, e.srv)
	wantPage(t, person.post("/sign-in", url.Values{"email": {"mine@csc.example.org"}, "password": {chosen}}), 401, "waiting for a second administrator")

	other := newBrowser(t, e.srv)
	other.enrol(second.Email)
	wantPage(t, other.get(userPath), 200, "Approve this account")
	wantRedirect(t, other.post(userPath+"/approve", nil), userPath+"?done=approved")
	wantRedirect(t, person.post("/sign-in", url.Values{"email": {"mine@csc.example.org"}, "password": {chosen}}), "/sign-in/enrol")

	// A police role in a school is refused, naming the roles.
	r = first.post("/admin/users", url.Values{"email": {"pc@riverside.example.org"}, "name": {"Pc School"}, "agency": {e.f.School.ID},
		"roles": {"police"}})
	wantPage(t, r, 422, errorSummary, "held only in Police")
}

// With email on, an account made without a password is emailed a one-time
// link by which its holder sets their own; the administrator never sees it.
// An account that sees only its agency's children then needs no second
// approval; one that sees every child still does, as the administrator
// chose the address the link went to. The link works once, and is built
// from the configured address, never from the request's Host.
func TestAPasswordLinkLetsThePersonSetTheirOwn(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.Options{})
	e := startEnv(t, "sqlite", apptest.Options{Configure: func(c *app.Config) {
		c.SMTPAddr, c.SMTPFrom, c.BaseURL = smtp.Addr, "Lantern <lantern@example.org>", "https://lantern.example.org"
	}})
	admin := newBrowser(t, e.srv)
	admin.enrol(e.f.Admin.Email)
	r := admin.post("/admin/users", url.Values{"email": {"new.worker@riverside.example.org"}, "name": {"New Worker"}, "agency": {e.f.School.ID},
		"roles": {"practitioner"}}, "Host", "evil.example.net")
	if r.status != 303 || !strings.Contains(r.header.Get("Location"), "link=sent") {
		t.Fatalf("create: %d %q %.300s", r.status, r.header.Get("Location"), r.body)
	}
	msgs := smtp.To("new.worker@riverside.example.org")
	if len(msgs) != 1 {
		t.Fatalf("%d emails to the person", len(msgs))
	}
	body := msgs[0].Body(t)
	m := regexp.MustCompile(`https://lantern\.example\.org(/set-password/pw_[A-Za-z0-9_-]+)`).FindStringSubmatch(body)
	if m == nil || strings.Contains(body, "evil.example.net") {
		t.Fatalf("no link at the configured address in: %s", body)
	}
	link := m[1]
	if strings.Contains(string(r.body), link) || strings.Contains(string(admin.get(r.header.Get("Location")).body), link) {
		t.Error("the administrator is shown the link")
	}
	person := newBrowser(t, e.srv)
	wantPage(t, person.get(link), 200, "Set your password", "New Worker")
	wantPage(t, person.post(link, url.Values{"password": {"my own long passphrase"}, "confirm": {"not the same"}}), 422, errorSummary, "same password twice")
	wantRedirect(t, person.post(link, url.Values{"password": {"my own long passphrase"}, "confirm": {"my own long passphrase"}}), "/sign-in?done=password-set")
	wantPage(t, person.get(link), 404, "This link no longer works", "has been used")
	wantRedirect(t, person.post("/sign-in", url.Values{"email": {"new.worker@riverside.example.org"}, "password": {"my own long passphrase"}}), "/sign-in/enrol")

	// An account of children's social care, which sees every child: the link
	// sets the password, and a second administrator still approves.
	r = admin.post("/admin/users", url.Values{"email": {"own.mailbox@csc.example.org"}, "name": {"Not Quite Anyone"}, "agency": {e.f.CSC.ID},
		"roles": {"social-worker"}})
	if r.status != 303 || !strings.Contains(r.header.Get("Location"), "link=sent") {
		t.Fatalf("create: %d %q %.300s", r.status, r.header.Get("Location"), r.body)
	}
	userPath := r.header.Get("Location")[:strings.IndexByte(r.header.Get("Location"), '?')]
	wantPage(t, admin.get(r.header.Get("Location")), 200, "a second administrator must approve it", "another administrator must approve it")
	msgs = smtp.To("own.mailbox@csc.example.org")
	if len(msgs) != 1 {
		t.Fatalf("%d emails to the second person", len(msgs))
	}
	link = regexp.MustCompile(`https://lantern\.example\.org(/set-password/pw_[A-Za-z0-9_-]+)`).FindStringSubmatch(msgs[0].Body(t))[1]
	other := newBrowser(t, e.srv)
	wantRedirect(t, other.post(link, url.Values{"password": {"kettle on the windowsill"}, "confirm": {"kettle on the windowsill"}}), "/sign-in?done=password-set")
	wantPage(t, other.post("/sign-in", url.Values{"email": {"own.mailbox@csc.example.org"}, "password": {"kettle on the windowsill"}}), 401, "waiting for a second administrator")
	second, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "second.admin@csc.example.org", Name: "Sid Second",
		AgencyID: e.f.CSC.ID, Roles: []lantern.Role{lantern.RoleAdmin}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	approver := newBrowser(t, e.srv)
	approver.enrol(second.Email)
	wantRedirect(t, approver.post(userPath+"/approve", nil), userPath+"?done=approved")
	wantRedirect(t, other.post("/sign-in", url.Values{"email": {"own.mailbox@csc.example.org"}, "password": {"kettle on the windowsill"}}), "/sign-in/enrol")
}
