package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/figures/ods"
	"lantern/store/storetest"
)

// odsCells reads a downloaded spreadsheet back as the CSV's records:
// table (its sheet), row, column, value; the cover sheet left out.
func odsCells(t *testing.T, b []byte) [][]string {
	t.Helper()
	d, err := ods.Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sheets) == 0 || d.Sheets[0].Name != "Cover" {
		t.Fatalf("no cover sheet: %+v", d.Sheets)
	}
	var out [][]string
	for _, sh := range d.Sheets[1:] {
		head := sh.Rows[ods.TableHeaderRow]
		for _, r := range sh.Rows[ods.TableHeaderRow+1:] {
			for j := 1; j < len(head); j++ {
				v := ""
				if j < len(r) {
					v = r[j].String()
				}
				out = append(out, []string{sh.Name, r[0].String(), head[j].String(), v})
			}
		}
	}
	return out
}

func csvRecords(t *testing.T, b []byte) [][]string {
	t.Helper()
	rs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rs[1:]
}

var svgValue = regexp.MustCompile(`data-value="([^"]*)"`)

// The trend in the API and on its page, and the downloads: bad input named;
// distinct children a period; the same numbers drawn as tabled; the
// spreadsheet read back equal to the CSV; the problem profile a page with
// its sections in order.
func TestTrendAndDownloads(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			mgr, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "manager@csc.example.org", Name: "Mo Manager",
				AgencyID: e.f.CSC.ID, Roles: []lantern.Role{lantern.RoleManager}, Password: storetest.Password})
			if err != nil {
				t.Fatal(err)
			}
			// Seven children in September (one twice), two in October.
			for i := range 9 {
				c := e.createChild(e.f.SocialWorker, "Kid"+string(rune('A'+i)), "Trend")
				at := "2026-09-10T10:00:00Z"
				if i >= 7 {
					at = "2026-10-10T10:00:00Z"
				}
				for range 1 + i%2*(1-i/7) {
					if r := e.as(e.f.SocialWorker, "POST", "/api/v1/children/"+c.ID+"/concerns", `{"raised_at": "`+at+`", "summary": "Seen with an older man"}`); r.status != 201 {
						t.Fatalf("concern: %d %s", r.status, r.body)
					}
				}
			}
			for _, tc := range []struct{ q, field string }{
				{"period=week", "period"},
				{"from=2026-12-01&to=2026-01-01", "from to"},
				{"from=2000-01-01&to=2026-12-01", "from to"},
				{"profile=open", "profile"},
			} {
				wantProblem(t, tc.q, e.as(mgr, "GET", "/api/v1/reports/trend?"+tc.q, ""), 422, strings.Fields(tc.field)...)
			}
			wantProblem(t, "a practitioner", e.as(e.f.Teacher, "GET", "/api/v1/reports/trend", ""), 403)
			type answer struct {
				Profile, Period string
				Table           struct {
					Columns []string
					Rows    []struct {
						Label  string
						Values map[string]any
					}
				}
			}
			get := func(q string) answer {
				r := e.as(mgr, "GET", "/api/v1/reports/trend?from=2026-08-15&to=2026-11-20&"+q, "")
				if r.status != 200 {
					t.Fatalf("%s: %d %s", q, r.status, r.body)
				}
				var a answer
				if err := json.Unmarshal(r.body, &a); err != nil {
					t.Fatal(err)
				}
				return a
			}
			a := get("period=month")
			if !slices.Equal(a.Table.Columns, []string{"2026-08", "2026-09", "2026-10", "2026-11"}) || a.Profile != "internal" {
				t.Fatalf("months: %+v", a)
			}
			if v := a.Table.Rows[0].Values; v["2026-09"] != 7.0 || v["2026-10"] != 2.0 || v["2026-08"] != 0.0 {
				t.Errorf("new a month: %v", v)
			}
			if a := get("period=quarter"); a.Table.Rows[0].Values["2026-27 Q2"] != 7.0 || a.Table.Rows[0].Values["2026-27 Q3"] != 2.0 {
				t.Errorf("quarters: %+v", a.Table)
			}
			if a := get("period=year"); !slices.Equal(a.Table.Columns, []string{"2026-27"}) || a.Table.Rows[0].Values["2026-27"] != 9.0 {
				t.Errorf("the year: %+v", a.Table)
			}
			if a := get("period=month&profile=dfe"); a.Table.Rows[0].Values["2026-10"] != "c" || a.Table.Rows[0].Values["2026-09"] != 7.0 {
				t.Errorf("under dfe: %v", a.Table.Rows[0].Values)
			}

			b := browserFor(t, e.srv, mgr.Email)
			for _, path := range []string{"/reports/trend?from=2026-08-15&to=2026-11-20&profile=dfe", "/reports/dataset?from=2026-04-01&to=2026-11-30&profile=dfe",
				"/reports/profile?from=2026-04-01&to=2026-11-30"} {
				r := b.get(path)
				if r.status != 200 {
					t.Fatalf("%s: %d %s", path, r.status, r.body)
				}
				body := string(r.body)
				if n := strings.Count(body, `role="img"`); n == 0 || n != strings.Count(body, "<desc id=") {
					t.Errorf("%s: %d charts, each with a description?", path, n)
				}
				// A suppressed value is drawn as a gap, never a zero.
				for _, m := range svgValue.FindAllStringSubmatch(body, -1) {
					if m[1] == "" {
						t.Errorf("%s: a value drawn empty", path)
					}
				}
				// The downloads' links carry the query as asked (not escaped
				// into one meaningless parameter).
				if strings.HasPrefix(path, "/reports/dataset") && !strings.Contains(body, `href="/reports/dataset.ods?from=2026-04-01&amp;to=2026-11-30&amp;profile=dfe"`) {
					t.Errorf("the data set's spreadsheet link")
				}
				if strings.HasPrefix(path, "/reports/profile") {
					// The pack: dfe unless asked, its sections in order, each chart.
					order := []string{"<h1", `id="contents"`, `id="about"`, `id="dataset"`, `id="measure-prevalence"`, `id="trend"`, `id="disclosure"`, "[k]"}
					at := 0
					for _, want := range order {
						i := strings.Index(body[at:], want)
						if i < 0 {
							t.Fatalf("the pack lacks %s after offset %d: %s", want, at, body[at:min(len(body), at+3000)])
						}
						at += i
					}
					if !strings.Contains(body, "profile dfe") || !strings.Contains(body, `data-chart="line"`) {
						t.Errorf("the pack is not protected as dfe by default, or has no trend")
					}
				}
			}
			r := b.get("/reports/trend?period=fortnight")
			if r.status != 422 || !strings.Contains(string(r.body), `href="#period"`) {
				t.Errorf("a bad period on the page: %d", r.status)
			}
			if r := b.get("/reports/profile?profile=open"); r.status != 422 || !strings.Contains(string(r.body), `href="#profile"`) {
				t.Errorf("a bad profile in the pack: %d", r.status)
			}

			// The spreadsheets read back equal the CSVs, under every profile.
			for _, q := range []string{"dataset?from=2026-04-01&to=2026-11-30&profile=", "trend?from=2026-08-15&to=2026-11-20&period=month&profile="} {
				for _, profile := range []string{"internal", "dfe", "nhs"} {
					name, rest, _ := strings.Cut(q, "?")
					c := b.get("/reports/" + name + ".csv?" + rest + profile)
					o := b.get("/reports/" + name + ".ods?" + rest + profile)
					if c.status != 200 || o.status != 200 || o.header.Get("Content-Type") != ods.MediaType {
						t.Fatalf("%s %s: csv %d, ods %d %s", name, profile, c.status, o.status, o.header.Get("Content-Type"))
					}
					want, got := csvRecords(t, c.body), odsCells(t, o.body)
					if len(want) == 0 || !slices.EqualFunc(want, got, slices.Equal) {
						t.Errorf("%s %s: the ODS read back is not the CSV:\ncsv %q\nods %q", name, profile, want, got)
					}
				}
			}
		})
	}
}
