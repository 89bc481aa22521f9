package web_test

import (
	"context"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/web"
)

// The child-level extracts over HTTP: analysts get the CSV, its header the
// data model's field names and an injection payload in a child's name
// inert; a manager and the coordinator are refused, on the page and the
// API; an unknown table and a period the wrong way round are 422 naming
// the field; the page warns that extracts never leave the area.
func TestChildExtracts(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			st := e.srv.Store
			user := func(email string, r lantern.Role) *lantern.User {
				u, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: email, Name: "Test " + string(r), AgencyID: e.f.CSC.ID, Roles: []lantern.Role{r}})
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			analyst := user("analyst@csc.example.org", lantern.RoleAnalyst)
			manager := user("manager@csc.example.org", lantern.RoleManager)
			coord := user("coordinator@csc.example.org", lantern.RoleCSECoordinator)
			c := e.createChild(e.f.SocialWorker, `=HYPERLINK("http://example.org/x","Open")`, "+Sample")
			if r := e.as(e.f.SocialWorker, "POST", "/api/v1/children/"+c.ID+"/concerns", `{"raised_at": "2026-11-20T10:00:00Z", "summary": "Seen with an older man"}`); r.status != 201 {
				t.Fatalf("concern: %d %s", r.status, r.body)
			}
			session := func(u *lantern.User) []string {
				sess, err := st.StartSession(context.Background(), u.ID, store.StageSignedIn, "")
				if err != nil {
					t.Fatal(err)
				}
				return []string{"Cookie", web.SessionCookie + "=" + sess}
			}
			const q = "?from=2026-04-01&to=2026-11-30"
			header := "pers_legacy_id,pers_person_id,pers_upn,pers_forename,pers_surname,pers_sex,pers_gender,pers_ethnicity,pers_dob," +
				"pers_single_unique_id,pers_upn_unknown,pers_send_flag,pers_expected_dob,pers_death_date,pers_is_mother,pers_nationality\r\n"
			row := `,` + c.ID + `,,"'=HYPERLINK(""http://example.org/x"",""Open"")",'+Sample,F,02,NOBT,2012-03-01,,,,,,,` + "\r\n"
			for _, path := range []string{"/api/v1/reports/extracts/ssd_person" + q, "/reports/extracts/ssd_person.csv" + q} {
				var r response
				if strings.HasPrefix(path, "/api/") {
					r = e.as(analyst, "GET", path, "")
				} else {
					r = e.do("GET", path, "", nil, session(analyst)...)
				}
				if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" {
					t.Fatalf("%s: %d %s %s", path, r.status, r.header.Get("Content-Type"), r.body)
				}
				if got := string(r.body); got != header+row {
					t.Errorf("%s:\n got %q\nwant %q", path, got, header+row)
				}
				if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="ssd_person-2026-04-01-2026-11-30.csv"` {
					t.Errorf("%s: %s", path, cd)
				}
			}
			// A table with no rows is its header alone.
			if r := e.as(analyst, "GET", "/api/v1/reports/extracts/ssd_missing"+q, ""); r.status != 200 ||
				string(r.body) != "miss_table_id,miss_person_id,miss_missing_episode_start_date,miss_missing_episode_type,miss_missing_episode_end_date,miss_missing_rhi_offered,miss_missing_rhi_accepted\r\n" {
				t.Errorf("an empty table: %d %q", r.status, r.body)
			}
			for _, u := range []*lantern.User{manager, coord, e.f.SocialWorker} {
				wantProblem(t, string(u.Roles[0])+" API", e.as(u, "GET", "/api/v1/reports/extracts/ssd_person"+q, ""), 403)
				for _, path := range []string{"/reports/extracts/ssd_person.csv" + q, "/reports/extracts"} {
					if r := e.do("GET", path, "", nil, session(u)...); r.status != 403 || strings.Contains(string(r.body), c.ID) {
						t.Errorf("%s %s: %d", u.Roles[0], path, r.status)
					}
				}
			}
			wantProblem(t, "an unknown table", e.as(analyst, "GET", "/api/v1/reports/extracts/ssd_cin_episodes", ""), 422, "table")
			wantProblem(t, "the wrong way round", e.as(analyst, "GET", "/api/v1/reports/extracts/ssd_person?from=2026-12-01&to=2026-01-01", ""), 422, "from", "to")
			if r := e.do("GET", "/reports/extracts/ssd_cin_episodes.csv", "", nil, session(analyst)...); r.status != 422 {
				t.Errorf("an unknown table's CSV: %d", r.status)
			}
			if r := e.do("GET", "/reports/extracts/ssd_person", "", nil, session(analyst)...); r.status != 404 {
				t.Errorf("no .csv: %d", r.status)
			}
			r := e.do("GET", "/reports/extracts"+q, "", nil, session(analyst)...)
			if body := string(r.body); r.status != 200 || !strings.Contains(body, "never shared outside") ||
				!strings.Contains(body, `/reports/extracts/ssd_assessment_factors.csv?from=2026-04-01&amp;to=2026-11-30`) || !strings.Contains(body, "No sealed record is left out") {
				i := strings.Index(body, "<main")
				t.Errorf("the page: %d %s", r.status, body[max(i, 0):])
			}
			if r := e.do("GET", "/reports/extracts?from=2026-12-01&to=2026-01-01", "", nil, session(analyst)...); r.status != 422 || !strings.Contains(string(r.body), "The start must be on or before the end") {
				t.Errorf("the page, the wrong way round: %d", r.status)
			}
			// Each download is one audit entry, by table, naming no child.
			if err := st.SyncAudit(context.Background()); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := st.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'figures.extract' AND user_id = $1 AND child_id = ''`, analyst.ID).Scan(&n); err != nil || n != 3 {
				t.Errorf("%d audit entries (%v), want 3", n, err)
			}
		})
	}
}
