package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"lantern/app/apptest"
)

// A notice after a change is built from its code and numbers: text written
// into the address (a phishing aid: anyone can send such a link) is never
// shown.
func TestNoticesShowNoTextFromTheAddress(t *testing.T) {
	t.Parallel()
	_, m, b := noticeMeeting(t)
	lure := "Your session has ended: sign in again at lantern-login.example.net"
	for _, done := range []string{"invitations", "distributed"} {
		page := b.get("/meetings/" + m.ID + "?done=" + done + "&sent=" + url.QueryEscape(lure) + "&failed=" + url.QueryEscape(lure))
		wantPage(t, page, 200, "govuk-notification-banner")
		if strings.Contains(string(page.body), "lantern-login.example.net") {
			t.Errorf("done=%s: the notice shows text from the address", done)
		}
		page = b.get("/meetings/" + m.ID + "?done=" + done + "&sent=3&failed=1")
		wantPage(t, page, 200, ": 3. Not sent: 1")
	}
}

// bannerOf says which notification banner holds msg: "success" (green),
// "important" (GOV.UK's notification banner without --success) or "".
func bannerOf(body, msg string) string {
	i := strings.Index(body, msg)
	if i < 0 {
		return ""
	}
	before := body[:i]
	s := strings.LastIndex(before, `class="govuk-notification-banner govuk-notification-banner--success"`)
	n := strings.LastIndex(before, `class="govuk-notification-banner"`)
	switch {
	case s < 0 && n < 0:
		return ""
	case s > n:
		return "success"
	default:
		return "important"
	}
}

// A warning (email not set up, emails not sent) is never in the green
// success banner, which says all went well.
func TestWarningsAreNotSuccess(t *testing.T) {
	t.Parallel()
	e, m, b := noticeMeeting(t)
	for _, tc := range []struct{ query, msg, want string }{
		{"done=invitations&email=off&sent=0&failed=0", "Email is not set up on this Lantern", "important"},
		{"done=distributed&email=off&sent=0&failed=0", "email is not set up on this Lantern", "important"},
		{"done=invitations&sent=3&failed=1", "Invitations sent: 3. Not sent: 1", "important"},
		{"done=invitations&sent=3&failed=0", "Invitations sent: 3. Not sent: 0", "success"},
		{"done=arranged", "The meeting has been arranged", "success"},
	} {
		page := b.get("/meetings/" + m.ID + "?" + tc.query)
		wantPage(t, page, 200, tc.msg)
		if got := bannerOf(string(page.body), tc.msg); got != tc.want {
			t.Errorf("%s: %q is in the %q banner, want %q", tc.query, tc.msg, got, tc.want)
		}
	}
	// An administrator's page for an account: a link not sent is a warning.
	a := newBrowser(t, e.srv)
	a.enrol(e.f.Admin.Email)
	page := a.get("/admin/users/" + e.f.Teacher.ID + "?done=link-failed")
	msg := "The email with a link to set a password was not sent"
	wantPage(t, page, 200, msg)
	if got := bannerOf(string(page.body), msg); got != "important" {
		t.Errorf("link-failed: in the %q banner, want important", got)
	}
}

// noticeMeeting starts a server with a meeting arranged, and the social
// worker signed in who arranged it.
func noticeMeeting(t *testing.T) (*env, struct{ ID string }, *browser) {
	t.Helper()
	e := startEnv(t, "sqlite", apptest.Options{})
	c := e.createChild(e.f.SocialWorker, "Ava", "Stone")
	r := e.as(e.f.SocialWorker, "POST", "/api/v1/meetings", `{"kind": "cse-strategy", "child_ids": ["`+c.ID+`"],
		"starts_at": "2026-11-30T10:00:00Z", "ends_at": "2026-11-30T11:00:00Z", "location": "Room 1"}`)
	if r.status != 201 {
		t.Fatalf("arrange a meeting: %d %s", r.status, r.body)
	}
	var m struct{ ID string }
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, e.srv)
	b.enrol(e.f.SocialWorker.Email)
	return e, m, b
}
