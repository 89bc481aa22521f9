package web_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/store/storetest"
	"lantern/web"
)

// FuzzMeetingAPI sends any body to each of the meeting and directory
// endpoints that decode one: never a 5xx, and every refusal a problem.
func FuzzMeetingAPI(f *testing.F) {
	clock := storetest.NewClock(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
	st := storetest.Open(f, "sqlite", clock.Now)
	fx := storetest.Seed(f, st)
	srv, err := web.New(web.Config{Store: st, MaxBody: 8192})
	if err != nil {
		f.Fatal(err)
	}
	sw, _, err := st.CreateToken(sysCtx(), fx.SocialWorker.ID, "fuzz", time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	admin, _, err := st.CreateToken(sysCtx(), fx.Admin.ID, "fuzz", time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	c, err := st.CreateChild(storetest.As(fx.SocialWorker), lantern.ChildInput{GivenName: "Fuzz", FamilyName: "Child",
		DateOfBirth: lantern.Date{Year: 2012, Month: 1, Day: 1}, Gender: "female"})
	if err != nil {
		f.Fatal(err)
	}
	m, err := st.CreateMeeting(storetest.As(fx.SocialWorker), lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{c.ID},
		StartsAt: clock.Now().Add(-time.Hour), EndsAt: clock.Now(), Invitees: []lantern.InviteeInput{{Name: "A", Email: "a@example.org"}}})
	if err != nil {
		f.Fatal(err)
	}
	targets := []struct{ method, path, token string }{
		{"POST", "/api/v1/meetings", sw},
		{"POST", "/api/v1/meetings/" + m.ID + "/outcome", sw},
		{"PUT", "/api/v1/meetings/" + m.ID + "/invitees", sw},
		{"PATCH", "/api/v1/meetings/" + m.ID, sw},
		{"POST", "/api/v1/meetings/" + m.ID + "/cancel", sw},
		{"POST", "/api/v1/meetings/" + m.ID + "/distribute", sw},
		{"POST", "/api/v1/directory", admin},
	}
	for _, s := range []string{
		`{}`, ``, `null`, `[]`, `{"version": 1}`, `{"version": "1"}`, `{"version": 1, "held": true, "attendance": {"x": "attended"}}`,
		`{"version": 1, "held": true, "decisions": [{"child_id": "` + c.ID + `", "level": "medium"}], "actions": [{"description": "d", "owner": "sw@csc.example.org", "due_date": "2026-12-01"}]}`,
		`{"version": 1, "held": true, "next_meeting_date": "2026-02-30"}`, `{"version": 1, "starts_at": "2026-12-01T10:00:00Z", "ends_at": "2026-12-01T09:00:00Z"}`,
		`{"version": 1, "invitees": [{"email": "a@b"}], "young_person": "maybe"}`, `{"version": 1, "reason": "` + strings.Repeat("x", 3000) + `"}`,
		`{"kind": "cse-strategy", "child_ids": ["` + c.ID + `"], "starts_at": "2026-12-01T10:00:00Z", "ends_at": "2026-12-01T11:00:00Z", "invitees": [{"contact_id": "x"}]}`,
		`{"agency_id": "x", "name": "<script>", "email": "a@example.org\r\nBcc: b@example.org", "roles": ["chair", "boss"]}`,
	} {
		for i := range targets {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		tg := targets[int(which)%len(targets)]
		req := httptest.NewRequest(tg.method, tg.path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tg.token)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", tg.method, tg.path, body, w.Code, w.Body)
		}
		if w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s %s %q: %d as %q", tg.method, tg.path, body, w.Code, w.Header().Get("Content-Type"))
		}
	})
}
