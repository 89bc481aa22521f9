package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/figures/ssd"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/vault"
)

// extractWorld is the extracts' fixture: five children, their records
// written straight into the tables so that every date is the test's.
type extractWorld struct {
	s                                        *store.Store
	f                                        *storetest.Fixture
	analyst, policeAnalyst, manager          *lantern.User
	ada, bea, sealed, merged, before, police string
}

const extractTS = "2006-01-02T15:04:05.000000Z"

func newExtractWorld(t *testing.T, s *store.Store) *extractWorld {
	t.Helper()
	f := storetest.Seed(t, s)
	sys := lantern.NewSystemContext(context.Background(), "test")
	police, err := s.CreateAgency(sys, lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
	if err != nil {
		t.Fatal(err)
	}
	user := func(email string, a *lantern.Agency, r lantern.Role) *lantern.User {
		u, err := s.CreateUser(sys, lantern.UserInput{Email: email, Name: "Test " + string(r), AgencyID: a.ID, Roles: []lantern.Role{r}, Password: storetest.Password})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w := &extractWorld{s: s, f: f, police: police.ID,
		analyst:       user("analyst@csc.example.org", f.CSC, lantern.RoleAnalyst),
		policeAnalyst: user("analyst@police.example.org", police, lantern.RoleAnalyst),
		manager:       user("manager@csc.example.org", f.CSC, lantern.RoleManager)}
	sw := storetest.As(f.SocialWorker)
	child := func(given, family, dob, gender, ethnicity, disability string, ld bool) string {
		c, err := s.CreateChild(sw, lantern.ChildInput{GivenName: given, FamilyName: family, DateOfBirth: date(t, dob), Gender: gender,
			ChildDetails: lantern.ChildDetails{Ethnicity: ethnicity, Disability: disability, LearningDisability: ld}})
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	w.ada = child("Ada", "Example", "2010-05-06", "female", "white-british", "Uses a wheelchair", true)
	w.bea = child(`=HYPERLINK("http://example.org")`, "Sample", "2011-07-08", "male", "", "", false)
	w.sealed = child("Cora", "Hidden", "2012-01-02", "female", "white-irish", "", false)
	w.merged = child("Adah", "Exampel", "2010-05-06", "female", "", "", false)
	w.before = child("Dot", "Earlier", "2009-09-09", "female", "", "", false)

	db := s.DB()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	u := f.SocialWorker.ID
	concern := func(id, child, at string) {
		exec(`INSERT INTO concerns (id, child_id, raised_by, agency_id, raised_at, summary, step, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 'A concern', 'recorded', 1, $5, $5)`, id, child, u, f.CSC.ID, at)
	}
	concern("k-ada", w.ada, "2026-05-01T09:00:00.000000Z")
	concern("k-sealed", w.sealed, "2026-06-01T09:00:00.000000Z")
	concern("k-before", w.before, "2025-06-01T09:00:00.000000Z") // before the period
	episode := func(id, child, kind, from string, back any, ref string) {
		exec(`INSERT INTO missing_episodes (id, child_id, kind, missing_from, returned_at, police_reference, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $4)`, id, child, kind, from, back, ref, u)
	}
	episode("e-bea-1", w.bea, "missing", "2026-07-01T21:30:00.000000Z", "2026-07-02T09:00:05.000000Z", "=1+2")
	episode("e-bea-2", w.bea, "absent", "2026-08-01T12:00:00.000000Z", nil, "")
	episode("e-bea-0", w.bea, "missing", "2025-08-01T12:00:00.000000Z", nil, "NP-OLD") // before the period
	episode("e-sealed", w.sealed, "missing", "2026-07-03T12:00:00.000000Z", nil, "NP-SEALED")
	exec(`INSERT INTO return_interviews (id, episode_id, child_id, offered_at, held_at, created_by, created_at) VALUES ('ri-1', 'e-bea-1', $1, $2, $2, $3, $2)`,
		w.bea, "2026-07-03T10:00:00.000000Z", u)
	assessment := func(id, child, on, level, answers string) {
		exec(`INSERT INTO assessments (id, child_id, toolkit_id, assessed_on, answers, analysis, suggested, suggested_level, recorded_level, created_by, agency_id, created_at)
			VALUES ($1, $2, 'nottingham-v1', $3, $4, '', '{}', $5, $5, $6, $7, $8)`, id, child, on, answers, level, u, f.CSC.ID, on+"T10:00:00.000000Z")
	}
	assessment("a-bea", w.bea, "2026-07-05", "high", `{"indicators": ["sign.gangs", "sign.missing", "sign.crime"], "missing_episodes_90d": 1}`)
	assessment("a-ada", w.ada, "2026-05-02", "vulnerable", `{"indicators": ["vuln.homeless"], "missing_episodes_90d": 0}`)
	assessment("a-ada2", w.ada, "2026-09-02", "emerging", `{"indicators": [], "missing_episodes_90d": 0}`)
	assessment("a-sealed", w.sealed, "2026-07-05", "high", `{"indicators": [], "missing_episodes_90d": 0}`)
	// Adah's record was found to be Ada's and merged into it (made on 2
	// January, merged on 3 February); Cora's is sealed.
	exec(`UPDATE children SET merged_into = $1, created_at = $2, updated_at = $3 WHERE id = $4`, w.ada, "2026-01-02T10:00:00.000000Z", "2026-02-03T10:00:00.000000Z", w.merged)
	concern("k-merged", w.merged, "2026-05-01T09:00:00.000000Z") // left behind on the merged record: never extracted
	mgr := storetest.As(w.manager)
	if _, err := s.SealChild(mgr, w.sealed, lantern.SealRequest{Reason: "A member of staff's child", ReviewOn: lantern.Today(s.Now()).AddDays(90)}); err != nil {
		t.Fatal(err)
	}
	// The police work with Bea only.
	if _, err := s.Involve(sw, w.bea, lantern.InvolvementInput{AgencyID: police.ID, Reason: "A police investigation"}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *extractWorld) extract(t *testing.T, u *lantern.User, table string) ([][]string, error) {
	t.Helper()
	var rows [][]string
	err := w.s.Extract(storetest.As(u), table, lantern.Date{Year: 2026, Month: 4, Day: 1}, lantern.Date{Year: 2026, Month: 11, Day: 22}, func(r []string) error {
		tb, _ := ssd.TableByName(table)
		if len(r) != len(tb.Columns) {
			t.Errorf("%s: a row of %d cells, want %d", table, len(r), len(tb.Columns))
		}
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

func TestExtracts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newExtractWorld(t, s)
		want := map[string][][]string{
			"ssd_person": sortedByID(
				[]string{"", w.ada, "", "Ada", "Example", "F", "02", "WBRI", "2010-05-06", "", "", "", "", "", "", ""},
				[]string{"", w.bea, "", `=HYPERLINK("http://example.org")`, "Sample", "M", "01", "NOBT", "2011-07-08", "", "", "", "", "", "", ""},
			),
			"ssd_missing": {
				{"e-bea-1", w.bea, "2026-07-01 22:30:00", "Missing", "2026-07-02 10:00:05", "Y", "Y"},
				{"e-bea-2", w.bea, "2026-08-01 13:00:00", "Away", "", "", ""},
			},
			"ssd_disability": {{w.ada + "-LD", w.ada, "LD"}, {w.ada + "-DDA", w.ada, "DDA"}},
			"ssd_linked_identifiers": {
				{"former:" + w.merged, w.ada, "Former Person ID", w.merged, "2026-01-02", "2026-02-03"},
				{"incident:e-bea-1", w.bea, "Incident ID", "=1+2", "2026-07-01", ""},
			},
			"ssd_assessment_factors": {{"a-ada2", "a-ada2", `["11A"]`}, {"a-bea", "a-bea", `["10A", "11A", "13A"]`}},
		}
		if w.ada > w.bea { // rows are in the child's id order
			want["ssd_assessment_factors"] = [][]string{want["ssd_assessment_factors"][1], want["ssd_assessment_factors"][0]}
		}
		for _, tb := range ssd.Tables {
			got, err := w.extract(t, w.analyst, tb.Name)
			if err != nil {
				t.Fatalf("%s: %v", tb.Name, err)
			}
			if !reflect.DeepEqual(got, want[tb.Name]) {
				t.Errorf("%s:\n got %q\nwant %q", tb.Name, got, want[tb.Name])
			}
		}
		cover, err := s.ExtractCover(storetest.As(w.analyst), lantern.Date{Year: 2026, Month: 4, Day: 1}, lantern.Date{Year: 2026, Month: 11, Day: 22})
		if err != nil || cover.SealedLeftOut != 1 {
			t.Errorf("cover: %+v, %v; want one sealed record left out", cover, err)
		}
		// One audit entry per extract, by table, naming no child.
		if err := s.SyncAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
		var n int
		var detail string
		if err := s.DB().QueryRow(`SELECT count(*), max(detail) FROM audit_log WHERE action = 'figures.extract' AND user_id = $1`, w.analyst.ID).Scan(&n, &detail); err != nil {
			t.Fatal(err)
		}
		if n != len(ssd.Tables) || detail != "from=2026-04-01 to=2026-11-22" {
			t.Errorf("%d audit entries (%q), want %d", n, detail, len(ssd.Tables))
		}

		// A police analyst: the children the police work with, and no
		// health details.
		got, err := w.extract(t, w.policeAnalyst, "ssd_person")
		if err != nil || len(got) != 1 || got[0][1] != w.bea {
			t.Errorf("police analyst's persons: %q, %v; want Bea only", got, err)
		}
		if _, err := w.extract(t, w.policeAnalyst, "ssd_disability"); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("police analyst's disability extract: %v, want forbidden", err)
		}
		// Not analysts: refused, with nothing read or audited.
		for _, u := range []*lantern.User{w.manager, w.f.SocialWorker, w.f.Admin, w.f.Auditor} {
			called := false
			err := s.Extract(storetest.As(u), "ssd_person", lantern.Date{Year: 2026, Month: 1, Day: 1}, lantern.Date{Year: 2026, Month: 11, Day: 22},
				func([]string) error { called = true; return nil })
			if lantern.ErrorCode(err) != lantern.EFORBIDDEN || called {
				t.Errorf("%v: %v (rows passed: %v), want forbidden", u.Roles, err, called)
			}
			if _, err := s.ExtractCover(storetest.As(u), lantern.Date{Year: 2026, Month: 1, Day: 1}, lantern.Date{Year: 2026, Month: 11, Day: 22}); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
				t.Errorf("%v cover: %v, want forbidden", u.Roles, err)
			}
		}
		// An unknown table names the field.
		_, err = w.extract(t, w.analyst, "ssd_cin_episodes")
		if f := lantern.ErrorFields(err); lantern.ErrorCode(err) != lantern.EINVALID || len(f) != 1 || f[0].Field != "table" {
			t.Errorf("unknown table: %v, want invalid naming table", err)
		}
		// The reader gone: its error comes back as it is, and no more rows.
		stop := lantern.Errorf(lantern.EBADREQUEST, "gone")
		calls := 0
		err = s.Extract(storetest.As(w.analyst), "ssd_missing", lantern.Date{Year: 2026, Month: 4, Day: 1}, lantern.Date{Year: 2026, Month: 11, Day: 22},
			func([]string) error { calls++; return stop })
		if err != stop || calls != 1 {
			t.Errorf("stopped: %v after %d rows, want the reader's error after 1", err, calls)
		}
	})
}

func sortedByID(rows ...[]string) [][]string {
	if len(rows) == 2 && rows[0][1] > rows[1][1] {
		rows[0], rows[1] = rows[1], rows[0]
	}
	return rows
}

// A disability sealed at rest is a code in the extract without its words
// being opened.
func TestExtractDisabilitySealedAtRest(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			kek, _ := vault.NewKEK()
			cfg := storetest.Config(t, d)
			cfg.KEK = kek
			cfg.Now = storetest.NewClock(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)).Now
			s := storetest.Replicas(t, cfg, 1)[0]
			w := newExtractWorld(t, s)
			var raw string
			if err := s.DB().QueryRow(`SELECT disability FROM children WHERE id = $1`, w.ada).Scan(&raw); err != nil || !vault.IsSealed(raw) || strings.Contains(raw, "wheelchair") {
				t.Fatalf("the disability is not sealed at rest: %q, %v", raw, err)
			}
			got, err := w.extract(t, w.analyst, "ssd_disability")
			if err != nil {
				t.Fatal(err)
			}
			if want := [][]string{{w.ada + "-LD", w.ada, "LD"}, {w.ada + "-DDA", w.ada, "DDA"}}; !reflect.DeepEqual(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
