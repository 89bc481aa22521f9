package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"lantern"
	"lantern/app"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// The data set's fixed point: bad input named; under internal exact
// counts; under dfe the small counts are c, and so is another in their
// column, so that none can be worked out from the total.
func TestDatasetAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{Configure: func(c *app.Config) { c.Population = 40_000 }})
			mgr, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "manager@csc.example.org", Name: "Mo Manager",
				AgencyID: e.f.CSC.ID, Roles: []lantern.Role{lantern.RoleManager}})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 4 {
				c := e.createChild(e.f.SocialWorker, "Kid"+string(rune('A'+i)), "Dataset")
				r := e.as(e.f.SocialWorker, "POST", "/api/v1/children/"+c.ID+"/concerns", `{"raised_at": "2026-11-20T10:00:00Z", "summary": "Seen with an older man"}`)
				if r.status != 201 {
					t.Fatalf("concern: %d %s", r.status, r.body)
				}
			}
			for _, tc := range []struct{ q, field string }{
				{"from=2026-12-01&to=2026-01-01", "from to"},
				{"from=2000-01-01&to=2026-12-01", "from to"},
				{"from=yesterday", "from"},
				{"profile=open", "profile"},
				{"area=Z0000%3Cb%3E", "area"},
			} {
				wantProblem(t, tc.q, e.as(mgr, "GET", "/api/v1/reports/dataset?"+tc.q, ""), 422, strings.Fields(tc.field)...)
			}
			wantProblem(t, "a practitioner", e.as(e.f.Teacher, "GET", "/api/v1/reports/dataset", ""), 403)
			type answer struct {
				Profile string
				Tables  []struct {
					ID   string
					Rows []struct {
						Label  string
						Values map[string]any
					}
				}
			}
			get := func(profile string) map[string]map[string]any {
				r := e.as(mgr, "GET", "/api/v1/reports/dataset?from=2026-04-01&to=2026-11-30&profile="+profile, "")
				if r.status != 200 {
					t.Fatalf("%s: %d %s", profile, r.status, r.body)
				}
				var a answer
				if err := json.Unmarshal(r.body, &a); err != nil || a.Profile != profile {
					t.Fatalf("%s: %v %s", profile, err, r.body)
				}
				out := map[string]map[string]any{}
				for _, tb := range a.Tables {
					for _, row := range tb.Rows {
						out[tb.ID+"/"+row.Label] = row.Values
					}
				}
				return out
			}
			in := get("internal")
			if v := in["prevalence/New: their first CSE concern in the period"]["children"]; v != 4.0 {
				t.Errorf("new in the period: %v", v)
			}
			if v := in["prevalence/New: their first CSE concern in the period"]["rate_per_10000"]; v != 1.0 {
				t.Errorf("4 children of 40,000, per 10,000: %v", v)
			}
			if v := in["sex/Female"]["children"]; v != 4.0 { // createChild records girls
				t.Errorf("girls: %v", v)
			}
			// Another area holds none of them.
			r := e.as(mgr, "GET", "/api/v1/reports/dataset?from=2026-04-01&to=2026-11-30&area=Z00000009", "")
			if r.status != 200 || !strings.Contains(string(r.body), `"label":"Open at any time in the period","values":{"children":0`) {
				t.Errorf("another area: %d %s", r.status, r.body)
			}
			dfe := get("dfe")
			if v := dfe["prevalence/New: their first CSE concern in the period"]["children"]; v != "c" {
				t.Errorf("4 under dfe: %v, want c", v)
			}
			// Four girls and no one else: c, and the total too, or it would
			// give them away.
			if f, tot := dfe["sex/Female"]["children"], dfe["sex/Total"]["children"]; f != "c" || tot != "c" {
				t.Errorf("under dfe, girls %v and the total %v: want both c", f, tot)
			}
			for k, vals := range dfe {
				for col, v := range vals {
					if n, ok := v.(float64); ok && n >= 1 && n <= 5 && col != "per_cent" && col != "per_cent_within" && col != "median_days" && !strings.HasPrefix(k, "prevalence/") {
						t.Errorf("%s published %v under dfe", k, n)
					}
				}
			}
		})
	}
}

// Figures shared outside the area: never exact (refused and audited),
// never looser than the area's profile, an overlapping period refused
// unless rounded, and what was sent kept byte for byte with its SHA-256.
func TestFigureShares(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{Configure: func(c *app.Config) { c.ShareProfile = "dfe" }})
			user := func(email string, role lantern.Role) *lantern.User {
				u, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: email, Name: "A " + string(role), AgencyID: e.f.CSC.ID, Roles: []lantern.Role{role}})
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			mgr, auditor := user("manager@csc.example.org", lantern.RoleManager), user("auditor2@csc.example.org", lantern.RoleAuditor)
			for i := range 7 {
				c := e.createChild(e.f.SocialWorker, "Kid"+string(rune('A'+i)), "Shared")
				if r := e.as(e.f.SocialWorker, "POST", "/api/v1/children/"+c.ID+"/concerns", `{"raised_at": "2026-11-20T10:00:00Z", "summary": "Seen with an older man"}`); r.status != 201 {
					t.Fatalf("concern: %d %s", r.status, r.body)
				}
			}
			body := func(from, to, profile string) string {
				return `{"from": "` + from + `", "to": "` + to + `", "profile": "` + profile + `", "purpose": "neighbouring-board", "recipient": "Eastshire Safeguarding Partnership (fictional)"}`
			}
			for _, tc := range []struct {
				what, body string
				status     int
				fields     []string
			}{
				{"exact", body("2026-04-01", "2026-11-30", "internal"), 422, []string{"profile"}},
				{"no purpose", `{"from": "2026-04-01", "to": "2026-11-30", "recipient": "x"}`, 422, []string{"purpose"}},
				{"reversed", body("2026-11-30", "2026-04-01", "dfe"), 422, []string{"from", "to"}},
				{"unknown profile", body("2026-04-01", "2026-11-30", "open"), 422, []string{"profile"}},
				{"not JSON", `{"from":`, 400, []string{"body"}},
			} {
				wantProblem(t, tc.what, e.as(mgr, "POST", "/api/v1/reports/shared", tc.body), tc.status, tc.fields...)
			}
			wantProblem(t, "a practitioner", e.as(e.f.Teacher, "POST", "/api/v1/reports/shared", body("2026-04-01", "2026-11-30", "dfe")), 403)
			wantProblem(t, "an auditor", e.as(auditor, "POST", "/api/v1/reports/shared", body("2026-04-01", "2026-11-30", "dfe")), 403)
			type share struct {
				ID, Profile, SHA256, Output string
				Bytes                       int
			}
			r := e.as(mgr, "POST", "/api/v1/reports/shared", `{"to": "2026-11-30", "from": "2026-04-01", "purpose": "board-paper", "recipient": "The board"}`)
			if r.status != 201 {
				t.Fatalf("share: %d %s", r.status, r.body)
			}
			var sh share
			if err := json.Unmarshal(r.body, &sh); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256([]byte(sh.Output))
			if sh.Profile != "dfe" || sh.SHA256 != hex.EncodeToString(sum[:]) || sh.Bytes != len(sh.Output) {
				t.Errorf("the share: %+v", sh)
			}
			// Seven children: shown; none as their exact sex breakdown's
			// small counts would give away.
			if !strings.Contains(sh.Output, "prevalence,Open at any time in the period,children,7\r\n") || strings.Contains(sh.Output, "internal") {
				t.Errorf("the output:\n%s", sh.Output)
			}
			var back share
			if got := e.as(auditor, "GET", "/api/v1/reports/shared/"+sh.ID, ""); got.status != 200 || json.Unmarshal(got.body, &back) != nil || back != sh {
				t.Errorf("what was sent, read back: %d\n%s", got.status, got.body)
			}
			wantProblem(t, "overlapping, exact", e.as(mgr, "POST", "/api/v1/reports/shared", body("2026-10-01", "2026-12-01", "dfe")), 422, "from", "to")
			if r := e.as(mgr, "POST", "/api/v1/reports/shared", body("2026-10-01", "2026-12-01", "ons-10-5")); r.status != 201 {
				t.Errorf("overlapping, rounded: %d %s", r.status, r.body)
			}
			if r := e.as(auditor, "GET", "/api/v1/reports/shared", ""); r.status != 200 || strings.Count(string(r.body), `"sha256"`) != 2 {
				t.Errorf("the list: %d %s", r.status, r.body)
			}
			if r := e.as(e.f.Teacher, "GET", "/api/v1/reports/shared/"+sh.ID, ""); r.status != 403 {
				t.Errorf("a practitioner reads a share: %d", r.status)
			}
			if err := e.srv.Store.SyncAudit(context.Background()); err != nil {
				t.Fatal(err)
			}
			var refused int
			if err := e.srv.Store.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'figures.share.refused' AND detail LIKE 'profile=internal%'`).Scan(&refused); err != nil || refused != 1 {
				t.Errorf("the exact share's refusal audited %d times (%v)", refused, err)
			}
		})
	}
}
