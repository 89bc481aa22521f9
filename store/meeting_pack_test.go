package store_test

import (
	"context"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// The pack lists the actions outstanding from other meetings about its
// children, but only from meetings the reader may see: a meeting is visible
// only if all its children are.
func TestMeetingPackHidesMeetingsTheReaderMayNotSee(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw, teacher := storetest.As(f.SocialWorker), storetest.As(f.Teacher)
		shared := caseChild(t, s, f.Teacher, "Ava", "Example", "2012-03-01") // the school and social care
		hidden := caseChild(t, s, f.SocialWorker, "Bea", "Example", "2011-05-05")
		if _, err := s.FindChildByID(teacher, hidden.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("the teacher sees the hidden child: %v", err)
		}
		at := clock.Now().Add(time.Hour)
		meet := func(children ...string) *lantern.Meeting {
			m, err := s.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: children, StartsAt: at, EndsAt: at.Add(time.Hour), Location: "Room 2"})
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		both, only := meet(shared.ID, hidden.ID), meet(shared.ID)
		clock.Add(2 * time.Hour)
		due := lantern.DateOf(clock.Now().In(lantern.London)).AddDays(14)
		if _, err := s.RecordOutcome(sw, both.ID, both.Version, lantern.Outcome{Held: true,
			Actions: []lantern.MeetingAction{{Description: "Visit Bea's home", Owner: f.SocialWorker.Email, DueDate: due}}}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name    string
			ctx     context.Context
			actions int
		}{{"the social worker, who sees both children", sw, 1}, {"the teacher, who sees only Ava", teacher, 0}} {
			pack, err := s.FindMeetingPack(tc.ctx, only.ID)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if len(pack.Actions) != tc.actions {
				t.Errorf("%s: %d outstanding actions in the pack, want %d: %+v", tc.name, len(pack.Actions), tc.actions, pack.Actions)
			}
		}
	})
}

// Two records of one child, both on a meeting, merged: the meeting is about
// the kept record once, not about it and the merged one.
func TestMergeKeepsAMeetingAboutTheChildOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		keep := caseChild(t, s, f.SocialWorker, "Ava", "Example", "2012-03-01")
		dup := caseChild(t, s, f.SocialWorker, "Ava", "Exampel", "2012-03-01")
		at := clock.Now().Add(time.Hour)
		m, err := s.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{keep.ID, dup.ID}, StartsAt: at, EndsAt: at.Add(time.Hour), Location: "Room 2"})
		if err != nil {
			t.Fatal(err)
		}
		mgr := caseUser(t, s, "manager@csc.example.org", "Mo Manager", f.CSC, lantern.RoleManager)
		if _, err := s.MergeChildren(storetest.As(mgr), keep.ID, dup.ID, keep.Version, dup.Version); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindMeeting(sw, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.ChildIDs) != 1 || got.ChildIDs[0] != keep.ID {
			t.Errorf("the meeting is about %v after the merge, want only %s", got.ChildIDs, keep.ID)
		}
	})
}
