package web_test

import (
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
