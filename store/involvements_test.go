package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// sees reports whether u may read the child.
func sees(t *testing.T, s *store.Store, u *lantern.User, childID string) bool {
	t.Helper()
	_, err := s.FindChildByID(storetest.As(u), childID)
	if err != nil && lantern.ErrorCode(err) != lantern.ENOTFOUND {
		t.Fatal(err)
	}
	return err == nil
}

// Access never widens as a side effect: an agency is involved with a child
// only by an explicit act that is its source, audited, and stops when the
// source ends. Someone who sees every child by role involves no one by
// writing (a CSE coordinator outside children's social care gave their
// whole agency the child, disclosure words and all, by a concern).
func TestInvolvementHasASourceAndEndsWithIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sys := lantern.NewSystemContext(context.Background(), "test")
		agency := func(name string, k lantern.AgencyKind) *lantern.Agency {
			a, err := s.CreateAgency(sys, lantern.AgencyInput{Name: name, Kind: k})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		health, police := agency("Moor Health", lantern.KindHealth), agency("Moor Police", lantern.KindPolice)
		nurse := caseUser(t, s, "nurse@health.example.org", "Nell Nurse", health, lantern.RolePractitioner)
		officer := caseUser(t, s, "officer@police.example.org", "Pat Officer", police, lantern.RolePolice)
		sw := storetest.As(f.SocialWorker)
		now := clock.Now()

		// Made by children's social care, who see every child: no one is
		// involved by it.
		ava := caseChild(t, s, f.SocialWorker, "Ava", "Example", "2012-03-01")
		if ava.AgencyIDs == nil || len(ava.AgencyIDs) != 0 {
			t.Errorf("a record made by children's social care involves %v", ava.AgencyIDs)
		}

		// A coordinator in health (an older store's: the role is now held
		// only in children's social care) records a concern with a
		// disclosure, and an assessment: their colleagues still see nothing.
		coord := caseUser(t, s, "cse@health.example.org", "Cee Coordinator", health, lantern.RolePractitioner)
		coord.Roles = []lantern.Role{lantern.RoleCSECoordinator}
		if _, err := s.CreateConcern(storetest.As(coord), ava.ID, lantern.ConcernInput{RaisedAt: now, Summary: "Seen with older men",
			Disclosure: true, DisclosureWords: "he buys me things"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateAssessment(storetest.As(coord), ava.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}},
			Analysis: "Missing twice"}); err != nil {
			t.Fatal(err)
		}
		if sees(t, s, nurse, ava.ID) {
			t.Fatal("a health practitioner sees the child after the coordinator in health wrote about her")
		}

		// A professional named on the record involves their agency, until
		// removed.
		pr, err := s.AddProfessional(sw, ava.ID, lantern.ProfessionalInput{AgencyID: health.ID, Name: "Nell Nurse", Role: "School nurse"})
		if err != nil {
			t.Fatal(err)
		}
		if !sees(t, s, nurse, ava.ID) {
			t.Fatal("the professional's agency does not see the child")
		}
		if err := s.RemoveProfessional(sw, ava.ID, pr.ID); err != nil {
			t.Fatal(err)
		}
		if sees(t, s, nurse, ava.ID) {
			t.Fatal("the agency still sees the child after its professional was removed")
		}

		// An invitation from the directory involves the invitee's agency,
		// until withdrawn or the meeting is cancelled.
		unit := dirContact(t, s, f.Admin, police.ID, "Exploitation unit", "seiu@police.example.org", lantern.PathwayPoliceUnit)
		at := now.Add(72 * time.Hour)
		m, err := s.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{ava.ID}, StartsAt: at, EndsAt: at.Add(time.Hour),
			Invitees: []lantern.InviteeInput{{ContactID: unit.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if !sees(t, s, officer, ava.ID) {
			t.Fatal("the invited agency does not see the child")
		}
		if m, err = s.SetInvitees(sw, m.ID, m.Version, nil, lantern.Participation{}); err != nil {
			t.Fatal(err)
		}
		if sees(t, s, officer, ava.ID) {
			t.Fatal("the agency still sees the child after its invitation was withdrawn")
		}
		if m, err = s.SetInvitees(sw, m.ID, m.Version, []lantern.InviteeInput{{ContactID: unit.ID}}, lantern.Participation{}); err != nil {
			t.Fatal(err)
		}
		if !sees(t, s, officer, ava.ID) {
			t.Fatal("invited again, the agency does not see the child")
		}
		if _, err := s.CancelMeeting(sw, m.ID, m.Version, "The family moved away"); err != nil {
			t.Fatal(err)
		}
		if sees(t, s, officer, ava.ID) {
			t.Fatal("the agency still sees the child after the meeting was cancelled")
		}

		// An action owned involves the owner's agency; withdrawn (its task
		// closed), it ends.
		held, err := s.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{ava.ID}, StartsAt: now.Add(-2 * time.Hour),
			EndsAt: now.Add(-time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		held, err = s.RecordOutcome(sw, held.ID, held.Version, lantern.Outcome{Held: true, Actions: []lantern.MeetingAction{
			{Description: "Check the car's registration", Owner: officer.ID, DueDate: lantern.Today(now).AddDays(3)}}})
		if err != nil {
			t.Fatal(err)
		}
		if !sees(t, s, officer, ava.ID) {
			t.Fatal("the action's owner does not see the child")
		}
		mgr := caseUser(t, s, "manager@police.example.org", "Mo Manager", police, lantern.RoleManager)
		task := held.Actions[0].TaskID
		if _, err := s.CloseTask(storetest.As(mgr), task, 1, "Done by the neighbouring force"); err != nil {
			t.Fatal(err)
		}
		if sees(t, s, officer, ava.ID) {
			t.Fatal("the owner's agency still sees the child after the action was withdrawn")
		}

		// A decision of children's social care, with the reason; others may
		// not make one; ended with a reason.
		_, err = s.Involve(storetest.As(f.Teacher), ava.ID, lantern.InvolvementInput{AgencyID: health.ID, Reason: "Nurse sees her weekly"})
		wantCode(t, err, lantern.ENOTFOUND) // the school does not see Ava
		_, err = s.Involve(sw, ava.ID, lantern.InvolvementInput{AgencyID: health.ID})
		wantFields(t, "a decision without a reason", err, "reason")
		v, err := s.Involve(sw, ava.ID, lantern.InvolvementInput{AgencyID: health.ID, Reason: "The school nurse sees her weekly"})
		if err != nil || v.Source != lantern.SourceDecision || v.Reason == "" {
			t.Fatalf("decision: %+v %v", v, err)
		}
		if !sees(t, s, nurse, ava.ID) {
			t.Fatal("the agency decided involved does not see the child")
		}
		_, err = s.Involve(storetest.As(nurse), ava.ID, lantern.InvolvementInput{AgencyID: police.ID, Reason: "Widening it"})
		wantCode(t, err, lantern.EFORBIDDEN)
		wantFields(t, "ended without a reason", s.EndInvolvement(sw, ava.ID, v.ID, " "), "reason")
		if err := s.EndInvolvement(sw, ava.ID, v.ID, "The nurse no longer sees her"); err != nil {
			t.Fatal(err)
		}
		if sees(t, s, nurse, ava.ID) {
			t.Fatal("the agency still sees the child after its involvement ended")
		}

		// The record shows every source, with its start and end; each act is
		// audited.
		vs, err := s.Involvements(sw, ava.ID)
		if err != nil {
			t.Fatal(err)
		}
		sources := map[lantern.InvolvementSource]int{}
		for _, v := range vs {
			if v.Live() {
				t.Errorf("still live: %+v", v)
			}
			sources[v.Source]++
			if fromMeeting := v.Source == lantern.SourceInvitation || v.Source == lantern.SourceAction; fromMeeting != (v.MeetingID != "") ||
				fromMeeting && (!v.MeetingKind.Valid() || v.MeetingStartsAt == nil) {
				t.Errorf("an involvement shows the meeting it came from, if it did: %+v", v)
			}
			if v.Source == lantern.SourceDecision && (v.StartedByName != f.SocialWorker.Name || v.EndedByName != f.SocialWorker.Name || v.EndReason != "The nurse no longer sees her") {
				t.Errorf("the decision shows who started and ended it: %+v", v)
			}
		}
		if sources[lantern.SourceProfessional] != 1 || sources[lantern.SourceInvitation] != 2 || sources[lantern.SourceAction] != 1 || sources[lantern.SourceDecision] != 1 {
			t.Errorf("sources %v", sources)
		}
		acts := auditActions(t, s, f, ava.ID)
		if acts["involvement.start"] != 5 || acts["involvement.end"] != 5 {
			t.Errorf("audit: %d starts, %d ends", acts["involvement.start"], acts["involvement.end"])
		}

		// A school practitioner's record involves the school, which the
		// school cannot end; children's social care may.
		bea := caseChild(t, s, f.Teacher, "Bea", "Example", "2011-05-05")
		vs, err = s.Involvements(storetest.As(f.Teacher), bea.ID)
		if err != nil || len(vs) != 1 || vs[0].Source != lantern.SourceRecordCreated || vs[0].AgencyID != f.School.ID {
			t.Fatalf("the school's record: %+v %v", vs, err)
		}
		wantCode(t, s.EndInvolvement(storetest.As(f.Teacher), bea.ID, vs[0].ID, "No longer at the school"), lantern.EFORBIDDEN)
		if err := s.EndInvolvement(sw, bea.ID, vs[0].ID, "No longer at the school"); err != nil {
			t.Fatal(err)
		}
		if sees(t, s, f.Teacher, bea.ID) {
			t.Error("the school sees the child after its involvement ended")
		}
	})
}

// A meeting about no child (a context conference about a place or group)
// is seen by the agency that arranged it, the agencies invited, children's
// social care and the CSE coordinator, and changed only by the arranging
// agency and the coordinator (every case role in every agency could read,
// move, send and record it).
func TestContextConferenceIsNotEveryones(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sys := lantern.NewSystemContext(context.Background(), "test")
		police, err := s.CreateAgency(sys, lantern.AgencyInput{Name: "Moor Police", Kind: lantern.KindPolice})
		if err != nil {
			t.Fatal(err)
		}
		officer := caseUser(t, s, "officer@police.example.org", "Pat Officer", police, lantern.RolePolice)
		coord := caseUser(t, s, "cse@csc.example.org", "Cee Coordinator", f.CSC, lantern.RoleCSECoordinator)
		colleague := caseUser(t, s, "head@riverside.example.org", "Hed Teacher", f.School, lantern.RolePractitioner)
		unit := dirContact(t, s, f.Admin, police.ID, "Exploitation unit", "seiu@police.example.org", lantern.PathwayPoliceUnit)
		at := clock.Now().Add(48 * time.Hour)
		// Arranged by the school, about the park where children are met.
		m, err := s.CreateMeeting(storetest.As(f.Teacher), lantern.MeetingInput{Kind: "context-conference", StartsAt: at, EndsAt: at.Add(time.Hour),
			Location: "Riverside Academy", Invitees: []lantern.InviteeInput{{ContactID: unit.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		reads := map[*lantern.User]bool{f.Teacher: true, colleague: true, officer: true, f.SocialWorker: true, coord: true,
			f.OtherTeacher: false, f.Admin: false, f.Auditor: false}
		for u, want := range reads {
			_, err := s.FindMeeting(storetest.As(u), m.ID)
			if got := err == nil; got != want {
				t.Errorf("%s reads the conference: %v (%v), want %v", u.Email, got, err, want)
			}
			if !want {
				wantCode(t, err, lantern.ENOTFOUND)
			}
			list, err := s.Meetings(storetest.As(u), lantern.MeetingFilter{})
			listed := false
			for _, ms := range list {
				listed = listed || ms.ID == m.ID
			}
			if err == nil && listed != want {
				t.Errorf("%s lists the conference: %v, want %v", u.Email, listed, want)
			}
		}
		// Invited police and children's social care read it but may not
		// change it; the other school does not know it exists.
		for _, u := range []*lantern.User{officer, f.SocialWorker} {
			_, err := s.Reschedule(storetest.As(u), m.ID, m.Version, at.Add(time.Hour), at.Add(2*time.Hour), "Elsewhere")
			wantCode(t, err, lantern.EFORBIDDEN)
			_, err = s.RecordOutcome(storetest.As(u), m.ID, m.Version, lantern.Outcome{Held: true, Associates: "A man known as J"})
			wantCode(t, err, lantern.EFORBIDDEN)
		}
		_, err = s.CancelMeeting(storetest.As(f.OtherTeacher), m.ID, m.Version, "Not needed")
		wantCode(t, err, lantern.ENOTFOUND)
		// The arranging school and the coordinator may.
		m, err = s.Reschedule(storetest.As(colleague), m.ID, m.Version, at.Add(time.Hour), at.Add(2*time.Hour), "Riverside Academy, hall")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetInvitees(storetest.As(coord), m.ID, m.Version, nil, lantern.Participation{}); err != nil {
			t.Fatal(err)
		}
		// No longer invited, the police no longer see it.
		if _, err := s.FindMeeting(storetest.As(officer), m.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("the police after their invitation was withdrawn: %v", err)
		}
	})
}

// An invitation's involvement ends when it is withdrawn while the meeting
// is to be held; once the meeting has taken place nothing withdraws it, so
// children's social care ends it by a decision, with a reason (before, no
// one could, and the invited agency saw the child for good).
func TestInvitationToAHeldMeetingIsEndedByDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sys := lantern.NewSystemContext(context.Background(), "test")
		police, err := s.CreateAgency(sys, lantern.AgencyInput{Name: "Moor Police", Kind: lantern.KindPolice})
		if err != nil {
			t.Fatal(err)
		}
		officer := caseUser(t, s, "officer@police.example.org", "Pat Officer", police, lantern.RolePolice)
		sw := storetest.As(f.SocialWorker)
		now := clock.Now()
		ava := caseChild(t, s, f.SocialWorker, "Ava", "Example", "2012-03-01")
		unit := dirContact(t, s, f.Admin, police.ID, "Exploitation unit", "seiu@police.example.org", lantern.PathwayPoliceUnit)
		m, err := s.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{ava.ID}, StartsAt: now.Add(-2 * time.Hour),
			EndsAt: now.Add(-time.Hour), Invitees: []lantern.InviteeInput{{ContactID: unit.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		invitation := func() *lantern.Involvement {
			t.Helper()
			vs, err := s.Involvements(sw, ava.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				if v.Source == lantern.SourceInvitation && v.AgencyID == police.ID {
					return v
				}
			}
			t.Fatalf("no invitation's involvement in %+v", vs)
			return nil
		}
		v := invitation()
		if v.Endable() || v.MeetingStatus != lantern.MeetingScheduled {
			t.Errorf("before the meeting, the invitation's involvement may be ended by decision: %+v", v)
		}
		wantFields(t, "ending it before the meeting", s.EndInvolvement(sw, ava.ID, v.ID, "Not needed"), "reason")

		if _, err := s.RecordOutcome(sw, m.ID, m.Version, lantern.Outcome{Held: true}); err != nil {
			t.Fatal(err)
		}
		if v = invitation(); !v.Endable() || !v.Live() {
			t.Fatalf("after the meeting: %+v", v)
		}
		if !sees(t, s, officer, ava.ID) {
			t.Fatal("the invited agency does not see the child after the meeting")
		}
		wantCode(t, s.EndInvolvement(storetest.As(officer), ava.ID, v.ID, "We are done"), lantern.EFORBIDDEN)
		if err := s.EndInvolvement(sw, ava.ID, v.ID, "The police's enquiries are finished"); err != nil {
			t.Fatal(err)
		}
		if sees(t, s, officer, ava.ID) {
			t.Fatal("the agency still sees the child after its involvement was ended")
		}
	})
}

// Merging copies the duplicate's live involvements to the kept record, each
// audited as it starts; ending one on the kept record ends the duplicate's
// too, so the agency does not keep sight of the duplicate.
func TestMergedInvolvementsStartAuditedAndEndTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		keep := caseChild(t, s, f.SocialWorker, "Ava", "Example", "2012-03-01")
		dup := caseChild(t, s, f.Teacher, "Ava", "Exampel", "2012-03-01") // the school's record involves the school
		mgr := caseUser(t, s, "manager@csc.example.org", "Mo Manager", f.CSC, lantern.RoleManager)
		if _, err := s.MergeChildren(storetest.As(mgr), keep.ID, dup.ID, keep.Version, dup.Version); err != nil {
			t.Fatal(err)
		}
		if !sees(t, s, f.Teacher, keep.ID) || !sees(t, s, f.Teacher, dup.ID) {
			t.Fatal("after the merge the school does not see both records")
		}
		vs, err := s.Involvements(storetest.As(mgr), keep.ID)
		if err != nil || len(vs) != 1 || vs[0].AgencyID != f.School.ID {
			t.Fatalf("the kept record's involvements: %+v %v", vs, err)
		}
		es, _, err := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: "involvement.start", ChildID: keep.ID})
		if err != nil || len(es) != 1 || es[0].EntityID != vs[0].ID || !strings.Contains(es[0].Detail, "merged="+dup.ID) {
			t.Errorf("the copy's start is audited as %+v (%v)", es, err)
		}
		if err := s.EndInvolvement(storetest.As(mgr), keep.ID, vs[0].ID, "The school has no part now"); err != nil {
			t.Fatal(err)
		}
		if sees(t, s, f.Teacher, keep.ID) || sees(t, s, f.Teacher, dup.ID) {
			t.Error("after the involvement ended on the kept record, the school still sees one of them")
		}
	})
}
