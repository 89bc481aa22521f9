package store_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// childShape is a created child's answer without what differs by record
// (ids, times, names and birth), to compare two answers' shapes.
func childShape(t *testing.T, c *lantern.Child) map[string]any {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "created_at", "updated_at", "given_name", "family_name", "date_of_birth"} {
		delete(m, k)
	}
	return m
}

func duplicates(t *testing.T, s *store.Store, u *lantern.User, status lantern.DuplicateStatus) []*store.DuplicateItem {
	t.Helper()
	ds, err := s.PossibleDuplicates(storetest.As(u), status)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// A teacher who may not see a child's record adds the same child: the
// record is made, the teacher's answer is as it would have been with no
// such record, and the pair waits for children's social care's managers and
// the coordinator, and no one else.
func TestHiddenDuplicatesAreReviewedNotTold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		manager := caseUser(t, s, "dup.manager@csc.example.org", "Dup Manager", f.CSC, lantern.RoleManager)
		coord := caseUser(t, s, "dup.coord@csc.example.org", "Dup Coordinator", f.CSC, lantern.RoleCSECoordinator)
		schoolManager := caseUser(t, s, "dup.head@riverside.example.org", "Dup Head", f.School, lantern.RoleManager)

		// The control: the teacher adds a child no one else holds.
		control := caseChild(t, s, f.Teacher, "Zelda", "Quill", "2010-10-10")
		older := caseChild(t, s, f.OtherTeacher, "Amira", "Khan", "2012-05-04")
		if sees(t, s, f.Teacher, older.ID) {
			t.Fatal("the teacher sees the other school's child")
		}
		if ms := findMatches(t, s, f.Teacher, "Amira", "Khan", "2012-05-04"); len(ms) != 0 {
			t.Fatalf("the teacher is shown %d matches", len(ms))
		}
		newer := caseChild(t, s, f.Teacher, "Amira", "Khan", "2012-05-04")
		if got, want := childShape(t, newer), childShape(t, control); !mapsEqual(got, want) {
			t.Errorf("the answer differs from one with no hidden record:\n%v\n%v", got, want)
		}
		if ms := findMatches(t, s, f.Teacher, "Amira", "Khan", "2012-05-04"); len(ms) != 1 || ms[0].Child.ID != newer.ID {
			t.Errorf("the teacher's matches after: %v", matchIDs(ms))
		}
		if sees(t, s, f.Teacher, older.ID) {
			t.Error("the teacher sees the older record now")
		}

		want := lantern.DuplicatePair(older.ID, newer.ID)
		for _, u := range []*lantern.User{manager, coord} {
			ds := duplicates(t, s, u, "")
			if len(ds) != 1 || ds[0].ChildIDs != want || ds[0].Score != 1 || ds[0].Status != lantern.DuplicateOpen ||
				!slices.Contains(ds[0].Reasons, "Same date of birth") || ds[0].Children[0] == nil || ds[0].Children[1] == nil {
				t.Fatalf("%s: pairs %+v", u.Name, ds)
			}
		}
		for _, u := range []*lantern.User{f.Teacher, f.OtherTeacher, f.SocialWorker, schoolManager, f.Admin, f.Auditor} {
			_, err := s.PossibleDuplicates(storetest.As(u), "")
			wantCode(t, err, lantern.EFORBIDDEN)
			_, err = s.DismissDuplicate(storetest.As(u), want, "Different children")
			wantCode(t, err, lantern.EFORBIDDEN)
		}
		// The finding is the system's, on the newer record; the teacher read
		// nothing of the older.
		es, _, err := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: "duplicate.found", Limit: 10})
		if err != nil || len(es) != 1 || es[0].UserID != "system" || es[0].ChildID != newer.ID || !strings.Contains(es[0].Detail, "other="+older.ID) {
			t.Errorf("the finding's entries: %+v %v", es, err)
		}
		if a := auditActions(t, s, f, older.ID); a["child.read"]+a["child.match"]+a["child.list"] != 0 {
			t.Errorf("the older record was read: %v", a)
		}

		// Not the same child: a reason, once.
		_, err = s.DismissDuplicate(storetest.As(manager), want, "  ")
		wantFields(t, "no reason", err, "reason")
		_, err = s.DismissDuplicate(storetest.As(manager), [2]string{older.ID, older.ID}, "Same")
		wantFields(t, "one record twice", err, "child_ids")
		_, err = s.DismissDuplicate(storetest.As(manager), [2]string{older.ID, control.ID}, "Never paired")
		wantCode(t, err, lantern.ENOTFOUND)
		d, err := s.DismissDuplicate(storetest.As(coord), [2]string{want[1], want[0]}, "Twins at different schools ")
		if err != nil || d.Status != lantern.DuplicateDismissed || d.DecidedBy != coord.ID || d.Reason != "Twins at different schools" || d.DecidedAt == nil {
			t.Fatalf("dismissed: %+v %v", d, err)
		}
		_, err = s.DismissDuplicate(storetest.As(manager), want, "Again")
		wantCode(t, err, lantern.ECONFLICT)
		if ds := duplicates(t, s, manager, ""); len(ds) != 0 {
			t.Errorf("open after dismissal: %+v", ds)
		}
		if ds := duplicates(t, s, manager, lantern.DuplicateDismissed); len(ds) != 1 || ds[0].Reason != "Twins at different schools" {
			t.Errorf("dismissed list: %+v", ds)
		}
		_, err = s.PossibleDuplicates(storetest.As(manager), "maybe")
		wantFields(t, "an unknown status", err, "status")
		if a := auditActions(t, s, f, want[0]); a["duplicate.dismiss"] != 1 {
			t.Errorf("the dismissal is not audited: %v", a)
		}
		// A dismissed pair is not found again when a record changes.
		if _, err := s.UpdateChild(storetest.As(f.Teacher), newer.ID, newer.Version, lantern.ChildInput{GivenName: "Amirah", FamilyName: "Khan",
			DateOfBirth: newer.DateOfBirth, Gender: newer.Gender}); err != nil {
			t.Fatal(err)
		}
		if ds := duplicates(t, s, manager, ""); len(ds) != 0 {
			t.Errorf("open after the change: %+v", ds)
		}
	})
}

// A merge decides its pair; the duplicate's other pairs go to the record
// kept; the merged record leads to the kept one, for those who may see it.
func TestMergeDecidesDuplicatesAndLeadsToTheKeptRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		manager := caseUser(t, s, "dup.manager@csc.example.org", "Dup Manager", f.CSC, lantern.RoleManager)
		x := caseChild(t, s, f.OtherTeacher, "Leo", "Marsh", "2011-01-02")
		y := caseChild(t, s, f.Teacher, "Leo", "Marsh", "2011-01-02")
		// A child renamed to match: the change finds the pairs.
		z := caseChild(t, s, f.Teacher, "Noah", "Brook", "2011-01-03")
		if _, err := s.UpdateChild(storetest.As(f.Teacher), z.ID, z.Version, lantern.ChildInput{GivenName: "Leo", FamilyName: "Marsh",
			DateOfBirth: z.DateOfBirth, Gender: z.Gender}); err != nil {
			t.Fatal(err)
		}
		ds := duplicates(t, s, manager, "")
		if len(ds) != 3 || ds[0].Score < ds[1].Score || ds[0].ChildIDs != lantern.DuplicatePair(x.ID, y.ID) {
			t.Fatalf("pairs: %+v", ds)
		}
		kv, dv := x.Version, y.Version
		if _, err := s.MergeChildren(storetest.As(manager), x.ID, y.ID, kv, dv); err != nil {
			t.Fatal(err)
		}
		ds = duplicates(t, s, manager, "")
		if len(ds) != 1 || ds[0].ChildIDs != lantern.DuplicatePair(x.ID, z.ID) {
			t.Errorf("open after the merge: %+v", ds)
		}
		ms := duplicates(t, s, manager, lantern.DuplicateMerged)
		if len(ms) != 1 || ms[0].ChildIDs != lantern.DuplicatePair(x.ID, y.ID) || ms[0].DecidedBy != manager.ID {
			t.Errorf("merged: %+v", ms)
		}

		// The merged record leads to the kept one: the teacher's school is
		// involved with both.
		c, err := s.FindChildByID(storetest.As(f.Teacher), y.ID)
		if err != nil || c.MergedInto != x.ID {
			t.Fatalf("the merged record as the teacher: %+v %v", c, err)
		}
		// Merged again: the first leads to the last.
		w := caseChild(t, s, f.SocialWorker, "Leo", "Marsh", "2011-01-02")
		x, _ = s.FindChildByID(storetest.As(manager), x.ID)
		if _, err := s.MergeChildren(storetest.As(manager), w.ID, x.ID, w.Version, x.Version); err != nil {
			t.Fatal(err)
		}
		if c, err := s.FindChildByID(storetest.As(f.Teacher), y.ID); err != nil || c.MergedInto != w.ID {
			t.Errorf("a record merged twice leads to %+v %v, want %s", c, err, w.ID)
		}
		// Someone who sees the merged record but not the kept one: not found.
		if _, err := s.DB().Exec(`UPDATE involvements SET ended_at = $1 WHERE child_id = $2 AND agency_id = $3`, s.Now().UTC(), w.ID, f.School.ID); err != nil {
			t.Fatal(err)
		}
		if !sees(t, s, f.Teacher, x.ID) && sees(t, s, f.Teacher, y.ID) {
			t.Error("the merged record is found by someone who may not see the record it leads to")
		}
		_, err = s.FindChildByID(storetest.As(f.Teacher), y.ID)
		wantCode(t, err, lantern.ENOTFOUND)
	})
}

func mapsEqual(a, b map[string]any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// A manager of children's social care allocates a child's social worker
// and may move the worker's open tasks for the child; no one else may.
func TestAllocation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		manager := caseUser(t, s, "alloc.manager@csc.example.org", "Alloc Manager", f.CSC, lantern.RoleManager)
		coord := caseUser(t, s, "alloc.coord@csc.example.org", "Alloc Coordinator", f.CSC, lantern.RoleCSECoordinator)
		schoolManager := caseUser(t, s, "alloc.head@riverside.example.org", "Alloc Head", f.School, lantern.RoleManager)
		sw2 := caseUser(t, s, "alloc.sw2@csc.example.org", "Second Worker", f.CSC, lantern.RoleSocialWorker)
		in := lantern.ChildInput{GivenName: "Ruby", FamilyName: "Alloc", DateOfBirth: date(t, "2012-02-02"), Gender: "female"}
		c, err := s.CreateChild(storetest.As(f.Teacher), in)
		if err != nil {
			t.Fatal(err)
		}
		// Only children's social care sets the allocated worker.
		in.AllocatedSocialWorkerID = f.SocialWorker.ID
		if c, err = s.UpdateChild(storetest.As(f.SocialWorker), c.ID, c.Version, in); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateReferral(storetest.As(f.SocialWorker), c.ID, &lantern.Referral{ReceivedAt: s.Now(), Method: lantern.ReferralByPhone,
			Referrer: lantern.Referrer{Name: "A. Referrer"}}); err != nil {
			t.Fatal(err)
		}
		open := func(assignee string) int {
			var n int
			if err := s.DB().QueryRow(`SELECT count(*) FROM tasks WHERE child_id = $1 AND assignee_id = $2 AND status = 'open'`, c.ID, assignee).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		held := open(f.SocialWorker.ID)
		if held == 0 {
			t.Fatal("the referral made no tasks for the allocated worker")
		}
		cur, _ := s.FindChildByID(storetest.As(manager), c.ID)
		for _, u := range []*lantern.User{f.SocialWorker, coord, schoolManager} {
			_, err := s.AllocateChild(storetest.As(u), c.ID, lantern.Allocation{WorkerID: sw2.ID, Version: cur.Version})
			wantCode(t, err, lantern.EFORBIDDEN)
		}
		_, err = s.AllocateChild(storetest.As(f.OtherTeacher), c.ID, lantern.Allocation{WorkerID: sw2.ID, Version: cur.Version})
		wantCode(t, err, lantern.ENOTFOUND)
		_, err = s.AllocateChild(storetest.As(manager), c.ID, lantern.Allocation{})
		wantFields(t, "nothing chosen", err, "worker_id", "version")
		for _, who := range []*lantern.User{f.Teacher, manager, coord} {
			_, err = s.AllocateChild(storetest.As(manager), c.ID, lantern.Allocation{WorkerID: who.ID, Version: cur.Version})
			wantFields(t, who.Name+" is not a social worker of children's social care", err, "worker_id")
		}
		_, err = s.AllocateChild(storetest.As(manager), c.ID, lantern.Allocation{WorkerID: sw2.ID, Version: cur.Version + 5})
		wantCode(t, err, lantern.ECONFLICT)

		// Allocated, the tasks left with the worker before.
		a, err := s.AllocateChild(storetest.As(manager), c.ID, lantern.Allocation{WorkerID: sw2.ID, Version: cur.Version})
		if err != nil || a.Child.AllocatedSocialWorkerID != sw2.ID || a.Child.Version != cur.Version+1 || len(a.TasksMoved) != 0 {
			t.Fatalf("allocated: %+v %v", a, err)
		}
		if open(f.SocialWorker.ID) != held || open(sw2.ID) != 0 {
			t.Error("the tasks moved without being asked")
		}
		// Back, with the tasks: none are the second worker's to move.
		a, err = s.AllocateChild(storetest.As(manager), c.ID, lantern.Allocation{WorkerID: f.SocialWorker.ID, MoveTasks: true, Version: a.Child.Version})
		if err != nil || len(a.TasksMoved) != 0 {
			t.Fatalf("back: %+v %v", a, err)
		}
		a, err = s.AllocateChild(storetest.As(manager), c.ID, lantern.Allocation{WorkerID: sw2.ID, MoveTasks: true, Version: a.Child.Version})
		if err != nil || len(a.TasksMoved) != held || open(sw2.ID) != held || open(f.SocialWorker.ID) != 0 {
			t.Fatalf("moved: %+v %v; %d left", a, err, open(f.SocialWorker.ID))
		}
		if got, _ := s.FindChildByID(storetest.As(manager), c.ID); got.AllocatedSocialWorkerID != sw2.ID || got.Version != a.Child.Version {
			t.Errorf("stored: %+v", got)
		}
		if as := auditActions(t, s, f, c.ID); as["child.allocate"] != 3 || as["task.reassign"] != held {
			t.Errorf("audit: %v", as)
		}
		ws, err := s.AllocatableWorkers(storetest.As(manager))
		if err != nil || len(ws) != 2 {
			t.Errorf("allocatable: %+v %v", ws, err)
		}
		_, err = s.AllocatableWorkers(storetest.As(coord))
		wantCode(t, err, lantern.EFORBIDDEN)
	})
}

// TestDuplicatesConcurrentWrites: many writes at once of records that all
// find one another (the same name and birth) record their pairs without a
// deadlock: every transaction inserts its pairs in one order. On
// PostgreSQL, each inserting in its own order deadlocked.
func TestDuplicatesConcurrentWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		// Names alike in different degrees, so that each write finds the
		// others in its own order of score.
		givens := []string{"Kai", "Kay", "Kaye", "Kye", "Khai", "Kaiden"}
		families := []string{"Samename", "Samenam", "Sammename", "Samnane", "Sayname"}
		variant := func(i int) lantern.ChildInput {
			return lantern.ChildInput{GivenName: givens[i%len(givens)], FamilyName: families[(i/len(givens))%len(families)],
				DateOfBirth: lantern.Date{Year: 2012, Month: 2, Day: 3}, Gender: "male"}
		}
		var kids []*lantern.Child
		for i := range 30 {
			c, err := s.CreateChild(sw, variant(i))
			if err != nil {
				t.Fatal(err)
			}
			kids = append(kids, c)
		}
		errs := make(chan error, 200)
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 12 {
					var err error
					if i%2 == 0 {
						_, err = s.CreateChild(sw, variant(w*7+i))
					} else {
						c := kids[(w+i)%len(kids)]
						var cur *lantern.Child
						if cur, err = s.FindChildByID(sw, c.ID); err == nil {
							next := variant(w + i*3)
							next.GivenName += fmt.Sprint(w % 2)
							_, err = s.UpdateChild(sw, c.ID, cur.Version, next)
							if lantern.ErrorCode(err) == lantern.ECONFLICT {
								err = nil // another writer got there first
							}
						}
					}
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("a concurrent write: %v", err)
		}
	})
}
