package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// The daily digest's queries and claims.

// digestSunday is storetest's clock: Sunday 22 November 2026, 10:00 in
// London (GMT).
var digestSunday = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func digestSys() context.Context { return lantern.NewSystemContext(context.Background(), "test") }

func digestUser(t *testing.T, s *store.Store, email string, a *lantern.Agency) *lantern.User {
	t.Helper()
	u, err := s.CreateUser(digestSys(), lantern.UserInput{Email: email, Name: "Digest " + email, AgencyID: a.ID, Roles: []lantern.Role{lantern.RoleSocialWorker}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// digestReferral records, as by, a referral for a new child allocated to
// allocated (or nobody), received now, and returns its tasks.
func digestReferral(t *testing.T, s *store.Store, by *lantern.User, allocated, given, method string) (*lantern.Child, *lantern.Referral) {
	t.Helper()
	dob, _ := lantern.ParseDate("2011-04-04")
	in := lantern.ChildInput{GivenName: given, FamilyName: "Quillfeather", DateOfBirth: dob, Gender: "female"}
	in.AllocatedSocialWorkerID = allocated
	c, err := s.CreateChild(storetest.As(by), in)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateReferral(storetest.As(by), c.ID, &lantern.Referral{ReceivedAt: s.Now(), Method: lantern.ReferralMethod(method),
		Referrer: lantern.Referrer{Name: "A. Referrer", Agency: "Riverside Academy"}})
	if err != nil {
		t.Fatal(err)
	}
	return c, r
}

func digestCounts(t *testing.T, s *store.Store, now time.Time) map[string]store.DigestCount {
	t.Helper()
	cs, err := s.DigestCounts(digestSys(), now)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]store.DigestCount{}
	for i, c := range cs {
		if i > 0 && cs[i-1].UserID >= c.UserID {
			t.Errorf("counts not ordered by user id")
		}
		m[c.UserID] = c
	}
	return m
}

func wantCount(t *testing.T, what string, got map[string]store.DigestCount, u *lantern.User, late, today, week int) {
	t.Helper()
	c, ok := got[u.ID]
	if late+today+week == 0 {
		if ok {
			t.Errorf("%s: %s has counts %+v, want none", what, u.Email, c)
		}
		return
	}
	if !ok {
		t.Errorf("%s: %s has no counts, want late=%d today=%d week=%d", what, u.Email, late, today, week)
		return
	}
	if c.Late != late || c.DueToday != today || c.DueThisWeek != week || c.Email != u.Email {
		t.Errorf("%s: %s has %+v, want late=%d today=%d week=%d", what, u.Email, c, late, today, week)
	}
}

func TestDigestCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		swA := digestUser(t, s, "a@csc.example.org", f.CSC)
		swB := digestUser(t, s, "b@csc.example.org", f.CSC)
		swC := digestUser(t, s, "c@csc.example.org", f.CSC)
		swD := digestUser(t, s, "d@csc.example.org", f.CSC)

		// A's child, referred by telephone (recorded by B): the decision
		// (next working day, Monday 23), the written follow-up (48 hours,
		// Tuesday 10:00), feedback (72 hours, Wednesday 10:00) and the
		// assessment (45 working days). B's own, online: three.
		_, rA := digestReferral(t, s, swB, swA.ID, "Zephyrine", "phone")
		childB, rB := digestReferral(t, s, swB, "", "Ottoline", "online")
		digestReferral(t, s, swD, swD.ID, "Philippa", "online")
		if len(rA.Tasks) != 4 || len(rB.Tasks) != 3 {
			t.Fatalf("tasks: %d and %d, want 4 and 3", len(rA.Tasks), len(rB.Tasks))
		}
		for _, task := range append(rA.Tasks, rB.Tasks...) {
			if task.Clock == "referral-decision" && task.DueDate.String() != "2026-11-23" {
				t.Fatalf("the decision is due %s: the test's dates assume Monday 23 November", task.DueDate)
			}
		}

		got := digestCounts(t, s, clock.Now())
		wantCount(t, "Sunday", got, swA, 0, 0, 3)
		wantCount(t, "Sunday", got, swB, 0, 0, 2)
		wantCount(t, "Sunday", got, swC, 0, 0, 0)
		wantCount(t, "Sunday", got, swD, 0, 0, 2)
		wantCount(t, "Sunday", got, f.SocialWorker, 0, 0, 0)

		// Tuesday 09:00: the decision is late, the follow-up due today.
		tue9 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		got = digestCounts(t, s, tue9)
		wantCount(t, "Tuesday 09:00", got, swA, 1, 1, 1)
		wantCount(t, "Tuesday 09:00", got, swB, 1, 0, 1)

		// Tuesday 12:00: the follow-up is late too.
		clock.Set(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
		got = digestCounts(t, s, clock.Now())
		wantCount(t, "Tuesday 12:00", got, swA, 2, 0, 1)

		// A disabled person is sent nothing.
		admin := storetest.As(f.Admin)
		if _, err := s.UpdateUser(admin, swD.ID, swD.Version, lantern.UserUpdate{Name: swD.Name, AgencyID: swD.AgencyID, Roles: swD.Roles, Disabled: true}); err != nil {
			t.Fatal(err)
		}
		got = digestCounts(t, s, clock.Now())
		wantCount(t, "disabled", got, swD, 0, 0, 0)

		// Work done is no longer counted: B's decision (no further action)
		// ends the decision and closes the assessment.
		decided := clock.Now()
		if _, err := s.UpdateReferral(storetest.As(swB), childB.ID, rB.ID, rB.Version, lantern.ReferralUpdate{Decision: "no-further-action", DecisionReason: "Known to early help; no CSE indicators", DecidedAt: &decided}); err != nil {
			t.Fatal(err)
		}
		got = digestCounts(t, s, clock.Now())
		wantCount(t, "after the decision", got, swB, 0, 0, 1)

		// Far ahead, everything open is late, the assessment too; nothing
		// beyond the week is counted before that.
		got = digestCounts(t, s, clock.Now().AddDate(0, 4, 0))
		wantCount(t, "in March", got, swA, 4, 0, 0)
		wantCount(t, "in March", got, swB, 1, 0, 0)

		// Only the system asks.
		if _, err := s.DigestCounts(storetest.As(f.Admin), clock.Now()); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("an administrator read the digest counts: %v", err)
		}
	})
}

func TestDigestClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sys := digestSys()
		day := lantern.Today(clock.Now())

		// The day's run: claimed once.
		if run, err := s.FindDigestRun(sys, day); err != nil || run != nil {
			t.Fatalf("before any run: %+v, %v", run, err)
		}
		ok, run, err := s.ClaimDigestRun(sys, day, "replica-1")
		if err != nil || !ok || run.Attempts != 1 || run.Runner != "replica-1" || run.Done() {
			t.Fatalf("first claim: %v %+v %v", ok, run, err)
		}
		if ok, _, err := s.ClaimDigestRun(sys, day, "replica-2"); err != nil || ok {
			t.Fatalf("second claim of a running run: %v %v", ok, err)
		}
		// A run left unfinished is taken over after its lease.
		clock.Add(store.DigestRunLease + time.Second)
		ok, run, err = s.ClaimDigestRun(sys, day, "replica-2")
		if err != nil || !ok || run.Attempts != 2 || run.Runner != "replica-2" {
			t.Fatalf("takeover: %v %+v %v", ok, run, err)
		}
		// Finished with a failure: tried again after a while.
		if err := s.FinishDigestRun(sys, day, 5, 1); err != nil {
			t.Fatal(err)
		}
		if ok, run, _ := s.ClaimDigestRun(sys, day, "replica-1"); ok || run.Done() {
			t.Fatalf("retry at once: %v %+v", ok, run)
		}
		clock.Add(store.DigestRetryAfter + time.Second)
		if ok, run, _ = s.ClaimDigestRun(sys, day, "replica-1"); !ok || run.Attempts != 3 {
			t.Fatalf("retry: %v %+v", ok, run)
		}
		if err := s.FinishDigestRun(sys, day, 1, 0); err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Hour)
		ok, run, err = s.ClaimDigestRun(sys, day, "replica-2")
		if err != nil || ok || !run.Done() || run.Sent != 6 || run.Failed != 0 || run.FinishedAt == nil {
			t.Fatalf("after a clean finish: %v %+v %v", ok, run, err)
		}
		// Tomorrow is another day.
		if ok, _, _ := s.ClaimDigestRun(sys, lantern.Today(clock.Now().Add(24*time.Hour)), "replica-2"); !ok {
			t.Fatal("tomorrow's run was not claimed")
		}

		// One person's email.
		u := f.SocialWorker
		status := func() string {
			t.Helper()
			st, err := s.DigestStatus(sys, day, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		claim := func() bool {
			t.Helper()
			ok, err := s.ClaimDigest(sys, day, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !claim() || claim() || status() != "claimed" {
			t.Fatalf("claim then claim again: %s", status())
		}
		// Failed: claimed again by the next attempt, up to the limit.
		for attempt := 2; attempt <= store.DigestMaxAttempts; attempt++ {
			if err := s.DigestFailed(sys, day, u.ID); err != nil {
				t.Fatal(err)
			}
			if status() != "failed" || !claim() {
				t.Fatalf("attempt %d not claimed after a failure", attempt)
			}
		}
		if err := s.DigestFailed(sys, day, u.ID); err != nil {
			t.Fatal(err)
		}
		if claim() {
			t.Fatalf("claimed after %d failures", store.DigestMaxAttempts)
		}
		// A claim left by a replica that died is taken over after its
		// lease; one sent is never claimed again.
		other := f.Teacher
		if ok, _ := s.ClaimDigest(sys, day, other.ID); !ok {
			t.Fatal("not claimed")
		}
		clock.Add(store.DigestSendLease - time.Second)
		if ok, _ := s.ClaimDigest(sys, day, other.ID); ok {
			t.Fatal("claimed within the lease")
		}
		clock.Add(2 * time.Second)
		if ok, _ := s.ClaimDigest(sys, day, other.ID); !ok {
			t.Fatal("not taken over after the lease")
		}
		if err := s.DigestSent(sys, day, store.DigestCount{UserID: other.ID, Late: 1}); err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Hour)
		if ok, _ := s.ClaimDigest(sys, day, other.ID); ok {
			t.Fatal("claimed after it was sent")
		}
		if st, _ := s.DigestStatus(sys, day, other.ID); st != "sent" {
			t.Fatalf("status %q", st)
		}

		// Each send is in the audit trail, with the counts only.
		es, _, err := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: "digest.sent"})
		if err != nil || len(es) != 1 || es[0].EntityID != other.ID || es[0].Detail != "late=1 today=0 week=0" {
			t.Fatalf("audit: %+v %v", es, err)
		}
		if _, err := s.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}

		// Only the system claims.
		if _, err := s.ClaimDigest(storetest.As(f.Admin), day, u.ID); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("an administrator claimed: %v", err)
		}
	})
}

// Two stores on one database (two replicas) and many goroutines claim the
// same run and the same people at once: each is claimed exactly once.
func TestDigestClaimsConcurrent(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			clock := storetest.NewClock(digestSunday)
			cfg := storetest.Config(t, d)
			cfg.Now = clock.Now
			stores := storetest.Replicas(t, cfg, 2)
			f := storetest.Seed(t, stores[0])
			people := []*lantern.User{f.SocialWorker, f.Teacher, f.OtherTeacher, f.Admin, f.Auditor}
			day := lantern.Today(clock.Now())
			sys := digestSys()

			const workers = 8
			var runs atomic.Int32
			claims := make([]atomic.Int32, len(people))
			var wg sync.WaitGroup
			start := make(chan struct{})
			for w := range workers {
				wg.Go(func() {
					s := stores[w%2]
					<-start
					ok, _, err := s.ClaimDigestRun(sys, day, "worker")
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						runs.Add(1)
					}
					for i, u := range people {
						ok, err := s.ClaimDigest(sys, day, u.ID)
						if err != nil {
							t.Error(err)
							return
						}
						if ok {
							claims[i].Add(1)
						}
					}
				})
			}
			close(start)
			wg.Wait()
			if n := runs.Load(); n != 1 {
				t.Errorf("the day's run was claimed %d times", n)
			}
			for i := range people {
				if n := claims[i].Load(); n != 1 {
					t.Errorf("%s was claimed %d times", people[i].Email, n)
				}
			}
		})
	}
}
