package store_test

import (
	"context"
	"testing"

	"lantern"
	"lantern/intelgen"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/vault"
)

// TestPopulationImport: a generated area imports as the operator only;
// every row is there, on both dialects; the records read back through the
// ordinary readers (a child with their disability unsealed, assessments,
// missing episodes, the data set, meeting figures); a child that fails
// its checks fails the batch and nothing is stored.
func TestPopulationImport(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			kek, _ := vault.NewKEK()
			s, _ := openWithKEK(t, d, kek)
			f := storetest.Seed(t, s)
			sys := lantern.NewSystemContext(context.Background(), "test")
			coord, err := s.CreateUser(sys, lantern.UserInput{Email: "coord@csc.example.org", Name: "Cora Ordinator", AgencyID: f.CSC.ID,
				Roles: []lantern.Role{lantern.RoleCSECoordinator}, Password: storetest.Password})
			if err != nil {
				t.Fatal(err)
			}
			today := lantern.Today(s.Now())
			cs := intelgen.GenerateArea(5, 0, 300, 3, today)
			b := &store.PopBatch{Children: cs, AsUser: coord.ID, AsAgency: f.CSC.ID, Toolkit: "nottingham-v1"}
			if _, err := s.ImportPopulation(storetest.As(coord), b); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
				t.Fatalf("imported as a user: %v", err)
			}
			ids, err := s.ImportPopulation(sys, b)
			if err != nil || len(ids) != len(cs) {
				t.Fatalf("import: %d ids, %v", len(ids), err)
			}
			want := map[string]int{"children": len(cs)}
			withDisability, confirmed := -1, -1
			for i, c := range cs {
				want["concerns"] += len(c.Concerns)
				want["assessments"] += len(c.Assessments)
				want["referrals"] += len(c.Referrals)
				want["strategy_discussions"] += len(c.Discussions)
				want["conferences"] += len(c.Conferences)
				want["missing_episodes"] += len(c.Missing)
				want["meetings"] += len(c.Meetings)
				want["meeting_children"] += len(c.Meetings)
				for _, m := range c.Missing {
					if m.Interview {
						want["return_interviews"]++
					}
				}
				if c.Disability != "" && withDisability < 0 {
					withDisability = i
				}
				if len(c.Meetings) > 0 && len(c.Missing) > 0 && len(c.Assessments) > 0 && confirmed < 0 {
					confirmed = i
				}
			}
			if withDisability < 0 || confirmed < 0 || want["return_interviews"] == 0 || want["conferences"] == 0 {
				t.Fatalf("the generated area lacks a kind of record: %v", want)
			}
			count := func(table string) int {
				var n int
				if err := s.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			for table, n := range want {
				if got := count(table); got != n {
					t.Errorf("%s: %d rows, want %d", table, got, n)
				}
			}
			// The disability is sealed at rest, and opens for the reader.
			var raw, area string
			if err := s.DB().QueryRow(`SELECT disability, area_code FROM children WHERE id = $1`, ids[withDisability]).Scan(&raw, &area); err != nil ||
				!vault.IsSealed(raw) || area != "Z00000001" {
				t.Errorf("disability at rest %q, area %q, %v", raw, area, err)
			}
			as := storetest.As(coord)
			c, err := s.FindChildByID(as, ids[withDisability])
			if err != nil || c.Disability != cs[withDisability].Disability {
				t.Fatalf("child read back: %+v, %v", c, err)
			}
			got, err := s.Assessments(as, ids[confirmed])
			if err != nil || len(got) != len(cs[confirmed].Assessments) {
				t.Fatalf("assessments read back: %d, %v", len(got), err)
			}
			eps, err := s.Episodes(as, ids[confirmed])
			if err != nil || len(eps) != len(cs[confirmed].Missing) {
				t.Fatalf("episodes read back: %d, %v", len(eps), err)
			}
			facts, err := s.DatasetFacts(as, today.AddDays(-15*365), today, nil)
			if err != nil || facts.Cohort.Size() != len(cs) {
				t.Fatalf("data set facts: %v, %v", facts, err)
			}
			fig, err := s.ReportMeetingFigures(as, today.AddDays(-4*366), today)
			if err != nil {
				t.Fatal(err)
			}
			held := 0
			for _, m := range fig.ByMonth {
				held += m.Meetings
			}
			if held != want["meetings"] {
				t.Errorf("meeting figures: %d held, want %d", held, want["meetings"])
			}
			// One bad child fails the batch, whole.
			bad := append([]store.PopChild{}, cs[:3]...)
			bad[2].Gender = "unknown"
			if _, err := s.ImportPopulation(sys, &store.PopBatch{Children: bad, AsUser: coord.ID, AsAgency: f.CSC.ID, Toolkit: "nottingham-v1"}); lantern.ErrorCode(err) != lantern.EINVALID {
				t.Fatalf("a bad child: %v", err)
			}
			if n := count("children"); n != len(cs) {
				t.Errorf("after a failed batch: %d children, want %d", n, len(cs))
			}
		})
	}
}
