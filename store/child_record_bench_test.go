package store_test

import (
	"context"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// BenchmarkChildRecord reads a child's whole record, as the child's page
// does, two ways in the same run: in one call, whose eight parts' audit
// entries commit together (what the page does), and part by part, each part
// waiting for its own durable commit (what it did before). The child has
// ten concerns. Run with:
//
//	go test -run '^$' -bench ChildRecord -benchtime 300x ./store/
func BenchmarkChildRecord(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			s := storetest.Open(b, d, nil)
			f := storetest.Seed(b, s)
			ctx := storetest.As(f.SocialWorker)
			c, err := s.CreateChild(ctx, lantern.ChildInput{GivenName: "Robin", FamilyName: "Example",
				DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 9}, Gender: "female"})
			if err != nil {
				b.Fatal(err)
			}
			for i := range 10 {
				if _, err := s.CreateConcern(ctx, c.ID, lantern.ConcernInput{RaisedAt: s.Now().Add(-time.Duration(i+1) * time.Hour),
					Summary: "Seen getting into a car"}); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("one-commit", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.ChildRecord(ctx, c.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("commit-per-part", func(b *testing.B) {
				for b.Loop() {
					if err := recordPartByPart(ctx, s, c.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// recordPartByPart reads what ChildRecord reads, one audited call a part.
func recordPartByPart(ctx context.Context, s *store.Store, id string) error {
	if _, err := s.FindChildByID(ctx, id); err != nil {
		return err
	}
	if _, err := s.Concerns(ctx, id); err != nil {
		return err
	}
	if _, err := s.Assessments(ctx, id); err != nil {
		return err
	}
	if _, err := s.ChildTasks(ctx, id); err != nil {
		return err
	}
	if _, err := s.ChildLists(ctx, id); err != nil {
		return err
	}
	if _, err := s.Episodes(ctx, id); err != nil {
		return err
	}
	if _, err := s.Meetings(ctx, lantern.MeetingFilter{ChildID: id, Newest: true, Limit: 20}); err != nil {
		return err
	}
	_, err := s.ChildEvents(ctx, id)
	return err
}
