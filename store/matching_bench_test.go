package store_test

import (
	"context"
	"testing"

	"lantern"
	"lantern/match"
	"lantern/match/matchtest"
	"lantern/store/storetest"
)

// benchChildren is small enough to load in seconds for go test -bench; for
// a million, run cmd/lantern-matchbench.
const benchChildren = 20_000

// BenchmarkFindMatches finds possible matches among 20,000 synthetic
// children, as a social worker (who sees all) and as a school practitioner
// (who sees the children the school is involved with). Half the queries
// misspell a child who is there; half are random.
func BenchmarkFindMatches(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			s := storetest.Open(b, d, nil)
			f := storetest.Seed(b, s)
			gen := matchtest.NewGenerator(1, lantern.Today(s.Now()))
			l := &matchtest.Loader{DB: s.DB(), Postgres: s.Dialect() == "postgres", CreatedBy: f.SocialWorker.ID,
				Agencies: []string{f.CSC.ID, f.School.ID, f.Other.ID}, Sample: 200}
			if err := l.Load(context.Background(), gen, benchChildren, nil); err != nil {
				b.Fatal(err)
			}
			if _, err := s.DB().Exec(`ANALYZE`); err != nil {
				b.Fatal(err)
			}
			var qs []match.Query
			for i := range 400 {
				if i%2 == 0 {
					qs = append(qs, gen.Misspell(l.Kept[i%len(l.Kept)]))
				} else {
					qs = append(qs, gen.Random())
				}
			}
			for _, u := range []struct {
				name string
				u    *lantern.User
			}{{"social-worker", f.SocialWorker}, {"practitioner", f.Teacher}} {
				b.Run(u.name, func(b *testing.B) {
					ctx := storetest.As(u.u)
					found := 0
					i := 0
					for b.Loop() {
						ms, err := s.FindMatches(ctx, qs[i%len(qs)], 10)
						if err != nil {
							b.Fatal(err)
						}
						found += len(ms)
						i++
					}
					b.ReportMetric(float64(found)/float64(i), "matches/op")
				})
			}
			// Making a record searches every record for possible duplicates
			// in its transaction (store/duplicates.go): the cost of a record
			// made, the same queries' children added again by a school.
			b.Run("create", func(b *testing.B) {
				ctx := storetest.As(f.Teacher)
				today := lantern.Today(s.Now())
				var born []match.Query // the generator's dates may be after today
				for _, q := range qs {
					if !today.Before(q.DateOfBirth) {
						born = append(born, q)
					}
				}
				i := 0
				for b.Loop() {
					q := born[i%len(born)]
					if _, err := s.CreateChild(ctx, lantern.ChildInput{GivenName: q.GivenName, FamilyName: q.FamilyName, DateOfBirth: q.DateOfBirth,
						Gender: "not-known"}); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		})
	}
}
