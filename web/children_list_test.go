package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// The children list through the API: the search forms, the filters, the
// sort, the 422s naming the filter, and the same rows as CSV with formula
// cells neutralised.
func TestAPIChildrenList(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			mk := func(body string) childJSON {
				r := e.as(f.SocialWorker, "POST", "/api/v1/children", body)
				if r.status != http.StatusCreated {
					t.Fatalf("create: %d %s", r.status, r.body)
				}
				return decode[childJSON](t, r.body)
			}
			amira := mk(`{"given_name": "Amira", "family_name": "Demoton", "date_of_birth": "2016-12-02", "gender": "female", "looked_after": true,
				"allocated_social_worker_id": "` + f.SocialWorker.ID + `"}`)
			mk(`{"given_name": "Sean", "family_name": "O'Brien", "date_of_birth": "2012-06-15", "gender": "male"}`)
			mk(`{"given_name": "Formula", "family_name": "=HYPERLINK(\"http://example.org\",\"x\")", "date_of_birth": "2013-01-01", "gender": "female"}`)
			mk(`{"given_name": "@Phone", "family_name": "+44", "date_of_birth": "2013-01-02", "gender": "female"}`)
			if r := e.as(f.SocialWorker, "POST", "/api/v1/children/"+amira.ID+"/names", `{"name": "Lil Mira", "kind": "street-name"}`); r.status != http.StatusCreated {
				t.Fatalf("other name: %d %s", r.status, r.body)
			}
			if r := e.as(f.SocialWorker, "POST", "/api/v1/children/"+amira.ID+"/assessments",
				`{"assessed_on": "2026-11-20", "indicators": ["sign.missing"], "analysis": "Missing twice", "recorded_level": "high", "override_rationale": "Seen with older men"}`); r.status != http.StatusCreated {
				t.Fatalf("assessment: %d %s", r.status, r.body)
			}

			type row struct {
				ID            string  `json:"id"`
				GivenName     string  `json:"given_name"`
				FamilyName    string  `json:"family_name"`
				LatestLevel   *string `json:"latest_level"`
				LatestLevelOn *string `json:"latest_level_on"`
				Age           int     `json:"age"`
				WorkerID      string  `json:"allocated_social_worker_id"`
				WorkerName    string  `json:"allocated_social_worker_name"`
				LookedAfter   bool    `json:"looked_after"`
				MissingNow    *bool   `json:"missing_now"`
				LateTasks     *int    `json:"late_tasks"`
			}
			list := func(query string) []row {
				t.Helper()
				r := e.as(f.SocialWorker, "GET", "/api/v1/children?"+query, "")
				if r.status != http.StatusOK {
					t.Fatalf("%s: %d %s", query, r.status, r.body)
				}
				var v struct {
					Children []row `json:"children"`
					Total    int   `json:"total"`
				}
				if err := json.Unmarshal(r.body, &v); err != nil {
					t.Fatal(err)
				}
				return v.Children
			}
			for _, q := range []string{"Amira Demoton", "Demoton Amira", "Amyra", "Demoton", "Lil Mira", "2016-12-02"} {
				got := list("q=" + url.QueryEscape(q))
				if len(got) != 1 || got[0].ID != amira.ID {
					t.Errorf("q=%q found %+v", q, got)
				}
			}
			if got := list("q=obrien"); len(got) != 1 || got[0].FamilyName != "O'Brien" {
				t.Errorf("obrien found %+v", got)
			}
			got := list("level=high&looked_after=true&missing_now=false&worker=" + f.SocialWorker.ID + "&sort=-level")
			if len(got) != 1 {
				t.Fatalf("filtered: %+v", got)
			}
			a := got[0]
			if a.LatestLevel == nil || *a.LatestLevel != "high" || a.LatestLevelOn == nil || *a.LatestLevelOn != "2026-11-20" || a.Age != 9 ||
				a.WorkerID != f.SocialWorker.ID || a.WorkerName != f.SocialWorker.Name || !a.LookedAfter || a.MissingNow == nil || *a.MissingNow ||
				a.LateTasks == nil || *a.LateTasks != 0 {
				t.Errorf("row %+v", a)
			}
			if got := list("sort=-level&limit=1"); len(got) != 1 || got[0].ID != amira.ID {
				t.Errorf("-level first: %+v", got)
			}
			if got := list("level=none"); len(got) != 3 || got[0].LatestLevel != nil {
				t.Errorf("level=none: %+v", got)
			}

			// Unknown values: 422 naming the filter.
			for _, tc := range []struct{ query, field string }{
				{"level=severe", "level"}, {"looked_after=yes", "looked_after"}, {"missing_now=1", "missing_now"},
				{"worker=nobody", "worker"}, {"sort=colour", "sort"}, {"sort=name%3Bdrop", "sort"},
				{"q=" + strings.Repeat("b", 200), "q"}, {"q=2016-02-30", "q"},
			} {
				r := e.as(f.SocialWorker, "GET", "/api/v1/children?"+tc.query, "")
				p := checkProblem(t, r, http.StatusUnprocessableEntity)
				if !slices.Equal(p.fields(), []string{tc.field}) {
					t.Errorf("%s: fields %q", tc.query, p.fields())
				}
			}

			// CSV: the same rows, every cell that could be a formula
			// neutralised.
			r := e.do("GET", "/api/v1/children?sort=name", "Bearer "+e.token(f.SocialWorker), nil, "Accept", "text/csv")
			if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
				t.Fatalf("csv: %d %s %s", r.status, r.header.Get("Content-Type"), r.body)
			}
			if !bytes.Contains(r.body, []byte("\r\n")) {
				t.Error("CSV lines do not end CRLF")
			}
			recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 5 || recs[0][0] != "id" || recs[0][6] != "latest_level" {
				t.Fatalf("csv: %q", recs)
			}
			jsonRows := list("sort=name")
			cells := map[string]bool{}
			for i, rec := range recs[1:] {
				if rec[0] != jsonRows[i].ID {
					t.Errorf("csv row %d is %s, JSON's %s", i, rec[0], jsonRows[i].ID)
				}
				for _, c := range rec {
					cells[c] = true
					if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
						t.Errorf("cell %q not neutralised", c)
					}
				}
			}
			for _, want := range []string{`'=HYPERLINK("http://example.org","x")`, "'+44", "'@Phone", "high", "2026-11-20", "true"} {
				if !cells[want] {
					t.Errorf("csv lacks %q: %q", want, recs)
				}
			}
		})
	}
}

// The list page: the filters as a form that works without JavaScript,
// sort links that keep the filters, the download with the page's rows, and
// a GOV.UK error summary for a filter it does not know.
func TestChildrenListPage(t *testing.T) {
	t.Parallel()
	e := startEnv(t, "sqlite", apptest.Options{})
	f := e.f
	st := e.srv.Store
	sw := storetest.As(f.SocialWorker)
	for _, c := range []lantern.ChildInput{
		{GivenName: "Amira", FamilyName: "Demoton", DateOfBirth: lantern.Date{Year: 2016, Month: 12, Day: 2}, Gender: "female",
			ChildDetails: lantern.ChildDetails{LookedAfter: true, AllocatedSocialWorkerID: f.SocialWorker.ID}},
		{GivenName: "Sean", FamilyName: "O'Brien", DateOfBirth: lantern.Date{Year: 2012, Month: 6, Day: 15}, Gender: "male"},
		{GivenName: "Cell", FamilyName: "-1+1", DateOfBirth: lantern.Date{Year: 2013, Month: 1, Day: 1}, Gender: "male"},
	} {
		if _, err := st.CreateChild(sw, c); err != nil {
			t.Fatal(err)
		}
	}
	b := browserFor(t, e.srv, f.SocialWorker.Email)
	r := b.get("/children?q=obrien")
	wantPage(t, r, 200, "Children")
	for _, want := range []string{"O&#39;Brien, Sean", "1 child", `href="/children.csv?q=obrien"`, "Not assessed", "None allocated"} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(string(r.body), "Demoton, Amira") {
		t.Error("the search for obrien shows Demoton")
	}
	r = b.get("/children?looked_after=true&sort=-age")
	wantPage(t, r, 200, "Children")
	body := string(r.body)
	if !strings.Contains(body, "Demoton, Amira") || strings.Contains(body, "O&#39;Brien") {
		t.Errorf("looked after: %s", body)
	}
	// The age header sorts the other way and keeps the filter.
	if !strings.Contains(body, `aria-sort="descending"><a class="govuk-link" href="/children?looked_after=true&amp;sort=age">Age</a>`) {
		t.Errorf("the age header does not turn the order round keeping the filter: %s", body)
	}
	r = b.get("/children?level=severe&sort=colour")
	wantPage(t, r, 422, "Children")
	for _, want := range []string{"govuk-error-summary", `href="#level"`, `href="#sort"`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("the page with bad filters lacks %q", want)
		}
	}
	r = b.get("/children.csv?sort=name")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download: %d %s", r.status, r.body)
	}
	recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil || len(recs) != 4 || recs[1][2] != "'-1+1" || recs[2][2] != "Demoton" || recs[3][2] != "O'Brien" {
		t.Errorf("download: %q %v", recs, err)
	}
	if r := b.get("/children.csv?missing_now=maybe"); r.status != 422 {
		t.Errorf("download with a bad filter: %d", r.status)
	}
}
