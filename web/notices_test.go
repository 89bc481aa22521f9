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
