package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestFrontDoorAPI holds the front door's fixed points (docs/api.md): a
// concern with refer or immediate risk answers its referral_id; the queue's
// items, their order and fields; 403 for anyone but the front door.
func TestFrontDoorAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			dob, _ := lantern.ParseDate("2012-03-01")
			c, err := e.srv.Store.CreateChild(storetest.As(f.Teacher), lantern.ChildInput{GivenName: "Amira", FamilyName: "Demoton", DateOfBirth: dob, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			base := "/api/v1/children/" + c.ID + "/concerns"
			now := e.clock.Now()
			post := func(body string) map[string]any {
				t.Helper()
				r := e.as(f.Teacher, "POST", base, body)
				if r.status != http.StatusCreated {
					t.Fatalf("POST %s: %d %s", body, r.status, r.body)
				}
				var v map[string]any
				if err := json.Unmarshal(r.body, &v); err != nil {
					t.Fatal(err)
				}
				return v
			}
			at := func(d time.Duration) string { return now.Add(d).UTC().Format(time.RFC3339) }
			quiet := post(`{"raised_at": "` + at(-3*time.Hour) + `", "summary": "Seen with an older man"}`)
			if _, ok := quiet["referral_id"]; ok {
				t.Errorf("a concern neither referred nor at risk answered referral_id: %v", quiet)
			}
			referred := post(`{"raised_at": "` + at(-2*time.Hour) + `", "summary": "Seen with an older man again", "refer": true}`)
			urgent := post(`{"raised_at": "` + at(-time.Hour) + `", "summary": "Got into a car", "immediate_risk": true, "immediate_action": "Police called", "refer": false}`)
			for _, v := range []map[string]any{referred, urgent} {
				if id, _ := v["referral_id"].(string); id == "" {
					t.Fatalf("a referred concern answered %v", v)
				}
			}
			r := e.as(f.SocialWorker, "GET", "/api/v1/front-door", "")
			if r.status != 200 {
				t.Fatalf("front door: %d %s", r.status, r.body)
			}
			var q struct {
				Items []map[string]any `json:"items"`
			}
			if err := json.Unmarshal(r.body, &q); err != nil {
				t.Fatal(err)
			}
			if len(q.Items) != 2 || q.Items[0]["referral_id"] != urgent["referral_id"] || q.Items[1]["referral_id"] != referred["referral_id"] {
				t.Fatalf("queue = %s, want the immediate risk first", r.body)
			}
			it := q.Items[0]
			for _, k := range []string{"referral_id", "child_id", "concern_id", "received_at", "immediate_risk", "from_agency_id", "decision_due_at"} {
				if _, ok := it[k]; !ok {
					t.Errorf("item lacks %s: %v", k, it)
				}
			}
			if it["child_id"] != c.ID || it["concern_id"] != urgent["id"] || it["immediate_risk"] != true || it["from_agency_id"] != f.School.ID {
				t.Errorf("item = %v", it)
			}
			if got, _ := time.Parse(time.RFC3339, it["received_at"].(string)); !got.Equal(now.Add(-time.Hour).Truncate(time.Second)) {
				t.Errorf("received_at %v, want the concern's raised_at", it["received_at"])
			}
			for _, u := range []*lantern.User{f.Teacher, f.Admin, f.Auditor} {
				if r := e.as(u, "GET", "/api/v1/front-door", ""); r.status != http.StatusForbidden {
					t.Errorf("%s: front door %d, want 403", u.Email, r.status)
				}
			}
			if r := e.as(f.SocialWorker, "GET", "/api/v1/front-door?limit=0", ""); r.status != 422 || !strings.Contains(string(r.body), `"limit"`) {
				t.Errorf("limit=0: %d %s", r.status, r.body)
			}
			// Filters, and the same rows as CSV with formula cells neutralised.
			if r := e.as(f.SocialWorker, "GET", "/api/v1/front-door?rag=B2&late=maybe", ""); r.status != 422 ||
				!strings.Contains(string(r.body), `"rag"`) || !strings.Contains(string(r.body), `"late"`) {
				t.Errorf("unknown filters: %d %s", r.status, r.body)
			}
			if r := e.as(f.SocialWorker, "GET", "/api/v1/front-door?immediate_risk=false", ""); !strings.Contains(string(r.body), `"total":1`) ||
				!strings.Contains(string(r.body), referred["referral_id"].(string)) {
				t.Errorf("immediate_risk=false: %s", r.body)
			}
			odd, err := e.srv.Store.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "=HYPERLINK(\"x\")", FamilyName: "Test",
				DateOfBirth: dob, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.srv.Store.CreateReferral(storetest.As(f.SocialWorker), odd.ID, &lantern.Referral{ReceivedAt: now.Add(-time.Hour),
				Method: lantern.ReferralByPhone, Referrer: lantern.Referrer{Name: "+44 7700 900123"}}); err != nil {
				t.Fatal(err)
			}
			r = e.do("GET", "/api/v1/front-door?rag=unrated", "Bearer "+e.token(f.SocialWorker), nil, "Accept", "text/csv")
			body := string(r.body)
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.Contains(body, "\r\n") ||
				!strings.Contains(body, `"'=HYPERLINK(""x"") Test"`) || !strings.Contains(body, "'+44 7700 900123") || strings.Count(body, "\r\n") != 4 {
				t.Errorf("CSV: %d %q", r.status, body)
			}
		})
	}
}
