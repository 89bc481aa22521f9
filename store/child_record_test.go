package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"lantern"
	"lantern/audit"
	"lantern/store"
	"lantern/store/storetest"
)

// A child's page reads its record in one call: the same parts and the same
// audit entries as reading each part, committed together.

func auditSince(t *testing.T, s *store.Store, auditor *lantern.User, after int64) []*audit.Entry {
	t.Helper()
	es, _, err := s.SearchAudit(storetest.As(auditor), store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []*audit.Entry
	for _, e := range es {
		if e.Seq > after && e.Action != "audit.search" {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *audit.Entry) int { return int(a.Seq - b.Seq) })
	return out
}

func actionsOf(es []*audit.Entry) []string {
	var as []string
	for _, e := range es {
		as = append(as, e.Action+" "+e.ChildID)
	}
	slices.Sort(as)
	return as
}

func lastSeq(t *testing.T, s *store.Store, auditor *lantern.User) int64 {
	t.Helper()
	es, _, err := s.SearchAudit(storetest.As(auditor), store.AuditFilter{Limit: 1})
	if err != nil || len(es) == 0 {
		t.Fatalf("audit head: %v", err)
	}
	return es[0].Seq
}

func TestChildRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		c := newChild(t, s, f.SocialWorker, "Robin", "Example")
		if _, err := s.CreateConcern(sw, c.ID, lantern.ConcernInput{RaisedAt: clock.Now().Add(-time.Hour), Summary: "Seen getting into a car"}); err != nil {
			t.Fatal(err)
		}

		concerns, err := s.Concerns(sw, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Each part on its own, as the page used to read them.
		before := lastSeq(t, s, f.Auditor)
		if err := recordPartByPart(sw, s, c.ID); err != nil {
			t.Fatal(err)
		}
		separate := auditSince(t, s, f.Auditor, before)

		// The whole record in one call.
		before = lastSeq(t, s, f.Auditor)
		rec, err := s.ChildRecord(sw, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		together := auditSince(t, s, f.Auditor, before)
		if got, want := actionsOf(together), actionsOf(separate); !slices.Equal(got, want) {
			t.Errorf("audit entries of the record:\n got %v\nwant %v", got, want)
		}
		if len(together) < 8 {
			t.Errorf("the record wrote %d entries, want one for each of its 8 parts at least", len(together))
		}
		for i, e := range together {
			if e.UserID != f.SocialWorker.ID || e.Why != "test" {
				t.Errorf("entry %d: who or why wrong: %+v", e.Seq, e)
			}
			if i > 0 && e.Seq != together[i-1].Seq+1 {
				t.Errorf("the record's entries are not one run: %d after %d", e.Seq, together[i-1].Seq)
			}
		}
		if rec.Child.ID != c.ID || len(rec.Concerns) != len(concerns) || len(rec.Concerns) != 1 ||
			rec.Lists == nil || rec.Events == nil || rec.Tasks == nil || rec.Assessments == nil {
			t.Errorf("record parts missing: %+v", rec)
		}

		// Someone who may not see the child gets not found, and nothing of
		// it is read or written to the trail.
		before = lastSeq(t, s, f.Auditor)
		if _, err := s.ChildRecord(storetest.As(f.OtherTeacher), c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("other agency: want not found, got %v", err)
		}
		if _, err := s.ChildRecord(sw, c.ID+"0"); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("forged id: want not found, got %v", err)
		}
		if es := auditSince(t, s, f.Auditor, before); len(es) != 0 {
			t.Errorf("a record not found wrote %v", actionsOf(es))
		}
	})
}

func TestReadTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		a := newChild(t, s, f.SocialWorker, "Robin", "Example")
		b := newChild(t, s, f.SocialWorker, "Sam", "Example")

		// Reads inside, and a whole record read inside them (nested): their
		// entries commit as one run when the outer call ends.
		before := lastSeq(t, s, f.Auditor)
		err := s.ReadTogether(sw, func(ctx context.Context) error {
			if _, err := s.FindChildByID(ctx, a.ID); err != nil {
				return err
			}
			if _, err := s.ChildRecord(ctx, b.ID); err != nil {
				return err
			}
			if es := auditSince(t, s, f.Auditor, before); len(es) != 0 {
				t.Errorf("entries committed before the reads ended: %v", actionsOf(es))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		es := auditSince(t, s, f.Auditor, before)
		reads := map[string]int{}
		for i, e := range es {
			if e.Action == "child.read" {
				reads[e.ChildID]++
			}
			if i > 0 && e.Seq != es[i-1].Seq+1 {
				t.Errorf("not one run: %d after %d", e.Seq, es[i-1].Seq)
			}
		}
		if reads[a.ID] != 1 || reads[b.ID] != 1 || len(es) < 9 {
			t.Errorf("entries %v", actionsOf(es))
		}

		// A child found visible in a batch is found again without reading
		// it, but only for the same person: another, in the same batch,
		// still gets not found.
		err = s.ReadTogether(sw, func(ctx context.Context) error {
			if _, err := s.FindChildByID(ctx, a.ID); err != nil {
				return err
			}
			if _, err := s.FindChildByID(ctx, a.ID); err != nil {
				return err
			}
			_, err := s.FindChildByID(lantern.NewContextWithUser(ctx, f.OtherTeacher), a.ID)
			if lantern.ErrorCode(err) != lantern.ENOTFOUND {
				t.Errorf("another person in the batch: want not found, got %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Reads that fail show nothing, and commit nothing.
		before = lastSeq(t, s, f.Auditor)
		err = s.ReadTogether(sw, func(ctx context.Context) error {
			if _, err := s.FindChildByID(ctx, a.ID); err != nil {
				return err
			}
			_, err := s.FindChildByID(ctx, a.ID+"0")
			return err
		})
		if lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("want not found, got %v", err)
		}
		if es := auditSince(t, s, f.Auditor, before); len(es) != 0 {
			t.Errorf("failed reads committed %v", actionsOf(es))
		}
	})
}
