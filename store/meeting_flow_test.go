package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// A CSE strategy meeting from end to end: arranged with the toolkit and
// invitees from the directory, moved, invitees changed, held, its actions
// done, its minutes and toolkit distributed, counted.
// auditRows counts the audit entries of an action about an entity.
func auditRows(t *testing.T, s *store.Store, action, entityID string) int {
	t.Helper()
	var n int
	syncAudit(t, s)
	if err := s.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = $1 AND entity_id = $2`, action, entityID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMeetingFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sys := lantern.NewSystemContext(context.Background(), "test")
		policeAgency, err := s.CreateAgency(sys, lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
		if err != nil {
			t.Fatal(err)
		}
		officer := caseUser(t, s, "officer@police.example.org", "Pat Officer", policeAgency, lantern.RolePolice)
		unit := dirContact(t, s, f.Admin, policeAgency.ID, "Exploitation unit", "seiu@police.example.org", lantern.PathwayPoliceUnit)
		coord := dirContact(t, s, f.Admin, f.CSC.ID, "CSE coordinator", "coordinator@csc.example.org", lantern.PathwayCSECoordinator)
		iro := dirContact(t, s, f.Admin, f.CSC.ID, "IRO principal manager", "iro@csc.example.org", lantern.PathwayIROManager)
		dirContact(t, s, f.Admin, f.CSC.ID, "Diary manager", "diary@csc.example.org", lantern.PathwayDiaryManager)

		sw := storetest.As(f.SocialWorker)
		ava := caseChild(t, s, f.SocialWorker, "Ava", "Example", "2012-03-01")
		bea := caseChild(t, s, f.SocialWorker, "Bea", "Example", "2011-05-05")
		a, err := s.CreateAssessment(sw, ava.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}},
			Analysis: "Missing twice from home, returning late"})
		if err != nil {
			t.Fatal(err)
		}
		now := clock.Now()
		at := now.Add(72 * time.Hour)

		// Suggested for a CSE strategy meeting: the unit and the coordinator.
		sug, err := s.SuggestedInvitees(sw, "cse-strategy", []string{ava.ID})
		if err != nil {
			t.Fatal(err)
		}
		var sugIDs []string
		for _, v := range sug {
			sugIDs = append(sugIDs, v.ContactID)
		}
		if !slices.Contains(sugIDs, unit.ID) || !slices.Contains(sugIDs, coord.ID) || slices.Contains(sugIDs, iro.ID) {
			t.Errorf("suggested %v", sug)
		}
		// Who works with a child is part of the record: the suggestion is
		// audited, and a child the caller may not see is not found.
		var suggested int
		syncAudit(t, s)
		if err := s.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'meeting.suggestions' AND child_id = $1`, ava.ID).Scan(&suggested); err != nil || suggested != 1 {
			t.Errorf("suggestions audited %d times (%v), want 1", suggested, err)
		}
		_, err = s.SuggestedInvitees(storetest.As(officer), "cse-strategy", []string{ava.ID})
		wantCode(t, err, lantern.ENOTFOUND)

		base := lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{ava.ID}, StartsAt: at, EndsAt: at.Add(time.Hour), Location: "Room 2"}
		bad := func(name string, mod func(*lantern.MeetingInput), fields ...string) {
			in := base
			mod(&in)
			_, err := s.CreateMeeting(sw, in)
			wantFields(t, name, err, fields...)
		}
		bad("an invitee with a bad address", func(in *lantern.MeetingInput) {
			in.Invitees = []lantern.InviteeInput{{ContactID: unit.ID}, {Name: "GP", Email: "gp@surgery"}}
		}, "invitees[1].email")
		bad("an invitee with no name", func(in *lantern.MeetingInput) { in.Invitees = []lantern.InviteeInput{{Email: "gp@example.org"}} }, "invitees[0].name")
		bad("no such directory entry", func(in *lantern.MeetingInput) { in.Invitees = []lantern.InviteeInput{{ContactID: "nope"}} }, "invitees[0].contact_id")
		bad("carers not invited, no reason", func(in *lantern.MeetingInput) {
			in.Participation = &lantern.Participation{YoungPerson: "invited", Carers: "not-invited"}
		}, "carers_reason")
		bad("a toolkit of a child not on the meeting", func(in *lantern.MeetingInput) { in.ChildIDs, in.AssessmentID = []string{bea.ID}, a.ID }, "assessment_id")
		if n := rowCount(t, s, "meetings") + rowCount(t, s, "meeting_invitees"); n != 0 {
			t.Fatalf("%d rows stored after refusals", n)
		}

		in := base
		in.AssessmentID = a.ID
		in.Invitees = []lantern.InviteeInput{{ContactID: unit.ID}, {ContactID: coord.ID}, {Name: "Dr Gee", Email: "GP@Surgery.example.org", Agency: "Moor Surgery"},
			{Name: "Dr Gee again", Email: "gp@surgery.example.org"}}
		in.Participation = &lantern.Participation{YoungPerson: "invited", Carers: "not-invited", CarersReason: "Implicated"}
		m, err := s.CreateMeeting(sw, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Invitees) != 3 || m.AssessmentID != a.ID || m.Carers != "not-invited" || m.CarersReason != "Implicated" || m.Sequence != 0 {
			t.Fatalf("meeting %+v", m)
		}
		m, err = s.FindMeeting(sw, m.ID)
		if err != nil || len(m.Invitees) != 3 || m.YoungPerson != "invited" {
			t.Fatalf("read back %+v, %v", m, err)
		}

		// The police were invited, through the unit in the directory: their
		// people see Ava, by that invitation, for as long as it stands.
		if _, err := s.FindChildByID(storetest.As(officer), ava.ID); err != nil {
			t.Fatalf("the police, invited, do not see the child: %v", err)
		}
		// Everyone is to be sent an invitation; sending to the unit shares the
		// toolkit.
		sendAll := func(want int, wantCancel int) {
			t.Helper()
			mm, invs, err := s.PendingInvitations(sw, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			cancels := 0
			for _, inv := range invs {
				if inv.Cancel {
					cancels++
				}
				if err := s.InvitationSent(sw, mm, inv, nil); err != nil {
					t.Fatal(err)
				}
			}
			if len(invs) != want || cancels != wantCancel {
				t.Fatalf("%d emails (%d cancellations), want %d (%d)", len(invs), cancels, want, wantCancel)
			}
			if _, again, _ := s.PendingInvitations(sw, m.ID); len(again) != 0 {
				t.Fatalf("%d still pending after sending", len(again))
			}
		}
		sendAll(3, 0)
		if _, err := s.FindChildByID(storetest.As(officer), ava.ID); err != nil {
			t.Fatalf("after the toolkit was shared with the unit: %v", err)
		}
		shares, err := s.MeetingShares(sw, m.ID)
		if err != nil || len(shares) != 1 || shares[0].What != "toolkit" || shares[0].RecipientEmail != unit.Email || shares[0].SentAt == nil ||
			shares[0].AssessmentID != a.ID || shares[0].Purpose == "" {
			t.Fatalf("shares %+v, %v", shares, err)
		}
		// A failed send is kept as failed, to be tried again.
		mm, _ := s.FindMeeting(sw, m.ID)
		_, err = s.Reschedule(sw, m.ID, mm.Version, at.Add(time.Hour), at.Add(2*time.Hour), "Room 3")
		if err != nil {
			t.Fatal(err)
		}
		mm, invs, _ := s.PendingInvitations(sw, m.ID)
		if mm.Sequence != 1 || len(invs) != 3 {
			t.Fatalf("after moving: sequence %d, %d pending", mm.Sequence, len(invs))
		}
		if err := s.InvitationSent(sw, mm, invs[0], context.DeadlineExceeded); err != nil {
			t.Fatal(err)
		}
		if _, again, _ := s.PendingInvitations(sw, m.ID); len(again) != 3 {
			t.Fatalf("a failed send is not pending: %d", len(again))
		}
		sendAll(3, 0)
		// The same time and place again: no new sequence, nothing to send.
		mm, _ = s.FindMeeting(sw, m.ID)
		if mm, err = s.Reschedule(sw, m.ID, mm.Version, at.Add(time.Hour), at.Add(2*time.Hour), "Room 3"); err != nil || mm.Sequence != 1 {
			t.Fatalf("unchanged: %+v, %v", mm, err)
		}
		_, err = s.Reschedule(sw, m.ID, mm.Version, at.Add(time.Hour), at, "Room 3")
		wantFields(t, "moved to end before it starts", err, "ends_at")
		_, err = s.Reschedule(sw, m.ID, mm.Version-1, at, at.Add(time.Hour), "Room 3")
		wantCode(t, err, lantern.ECONFLICT)

		// Taking the GP off the list sends them a cancellation.
		mm, err = s.SetInvitees(sw, m.ID, mm.Version, []lantern.InviteeInput{{ContactID: unit.ID}, {ContactID: coord.ID}},
			lantern.Participation{YoungPerson: "not-invited", YoungPersonReason: "Does not wish to attend", Carers: "not-invited", CarersReason: "Implicated"})
		if err != nil {
			t.Fatal(err)
		}
		if mm.YoungPerson != "not-invited" || len(mm.Invitees) != 3 {
			t.Fatalf("after changing invitees %+v", mm)
		}
		sendAll(1, 1)
		_, err = s.SetInvitees(sw, m.ID, mm.Version, nil, lantern.Participation{YoungPerson: "maybe"})
		wantFields(t, "a young person neither invited nor not", err, "young_person")

		// A second meeting, cancelled: everyone sent an invitation is sent
		// the cancellation, and its outcome cannot be recorded.
		m2, err := s.CreateMeeting(sw, lantern.MeetingInput{Kind: "core-group", ChildIDs: []string{bea.ID}, StartsAt: at, EndsAt: at.Add(time.Hour),
			Invitees: []lantern.InviteeInput{{ContactID: coord.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		m2x, invs2, _ := s.PendingInvitations(sw, m2.ID)
		for _, inv := range invs2 {
			s.InvitationSent(sw, m2x, inv, nil)
		}
		_, err = s.CancelMeeting(sw, m2.ID, m2.Version, "  ")
		wantFields(t, "cancelled without a reason", err, "reason")
		m2c, err := s.CancelMeeting(sw, m2.ID, m2.Version, "The family moved away")
		if err != nil || m2c.Status != "cancelled" || m2c.Sequence != 1 {
			t.Fatalf("cancelled %+v, %v", m2c, err)
		}
		_, pend, _ := s.PendingInvitations(sw, m2.ID)
		if len(pend) != 1 || !pend[0].Cancel {
			t.Fatalf("pending after cancelling %+v", pend)
		}
		clock.Add(96 * time.Hour)
		_, err = s.RecordOutcome(sw, m2.ID, m2c.Version, lantern.Outcome{Held: true})
		wantFields(t, "the outcome of a cancelled meeting", err, "held")

		// The meeting is held.
		mm, _ = s.FindMeeting(sw, m.ID)
		var unitInv, coordInv string
		for _, v := range mm.Invitees {
			switch v.Email {
			case unit.Email:
				unitInv = v.ID
			case coord.Email:
				coordInv = v.ID
			}
		}
		today := lantern.DateOf(clock.Now().In(lantern.London))
		due := today.AddDays(14)
		next := today.AddDays(42)
		good := lantern.Outcome{Held: true, Chair: "Indy Chair", Minutes: "Discussed the missing episodes.", Associates: "An older male, 'Jay', with a blue car.",
			Attendance: map[string]lantern.Attendance{unitInv: "attended", coordInv: "apologies"}, NextMeetingDate: next,
			Decisions: []lantern.MeetingDecision{{ChildID: ava.ID, Level: "medium", Rationale: "Pattern of going missing", Recommendations: []string{"s47"}}},
			Actions:   []lantern.MeetingAction{{Description: "Check the car's registration", Owner: officer.Email, DueDate: due}}}
		for _, tc := range []struct {
			name  string
			mod   func(o *lantern.Outcome)
			field string
		}{
			{"attendance of someone not invited", func(o *lantern.Outcome) { o.Attendance = map[string]lantern.Attendance{"nope": "attended"} }, "attendance.nope"},
			{"an attendance not on the list", func(o *lantern.Outcome) { o.Attendance = map[string]lantern.Attendance{unitInv: "maybe"} }, "attendance." + unitInv},
			{"the next meeting before this one", func(o *lantern.Outcome) { o.NextMeetingDate = today.AddDays(-30) }, "next_meeting_date"},
			{"an action's agency unknown", func(o *lantern.Outcome) {
				o.Actions = []lantern.MeetingAction{{Description: "x", Owner: officer.Email, DueDate: due, AgencyID: "nope"}}
			}, "actions[0].agency_id"},
		} {
			o := good
			tc.mod(&o)
			_, err := s.RecordOutcome(sw, m.ID, mm.Version, o)
			wantFields(t, tc.name, err, tc.field)
		}
		held, err := s.RecordOutcome(sw, m.ID, mm.Version, good)
		if err != nil {
			t.Fatal(err)
		}
		if held.Chair != "Indy Chair" || held.Associates == "" || held.NextMeetingDate == nil || *held.NextMeetingDate != next || len(held.Actions) != 1 ||
			held.Actions[0].AgencyID != policeAgency.ID || held.Actions[0].Status != lantern.TaskOpen || held.Actions[0].OwnerName != "Pat Officer" {
			t.Fatalf("held %+v", held)
		}
		for _, v := range held.Invitees {
			if v.ID == unitInv && v.Attendance != "attended" || v.ID == coordInv && v.Attendance != "apologies" {
				t.Errorf("attendance %+v", v)
			}
		}
		_, err = s.RecordOutcome(sw, m.ID, mm.Version, good)
		wantCode(t, err, lantern.ECONFLICT)

		// The action is in the officer's work; the next meeting in the
		// social worker's.
		inWork := func(u *lantern.User, clockID string) *store.WorkItem {
			t.Helper()
			ws, err := s.MyWork(storetest.As(u))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range ws {
				if w.Clock == clockID && w.ChildID == ava.ID {
					return w
				}
			}
			return nil
		}
		if w := inWork(officer, lantern.ClockMeetingAction); w == nil || w.DueDate != due || w.TeamAgencyID != policeAgency.ID {
			t.Fatalf("the action in the officer's work: %+v", w)
		}
		if w := inWork(f.SocialWorker, lantern.ClockNextMeeting); w == nil || w.DueDate != next {
			t.Fatalf("the next meeting in the social worker's work: %+v", w)
		}

		// The pack: Ava's level from the meeting, the outstanding action.
		pack, err := s.FindMeetingPack(sw, m.ID)
		if err != nil || len(pack.Children) != 1 || pack.Children[0].Level != "medium" || pack.Children[0].LevelFrom != "meeting" || len(pack.Actions) != 1 {
			t.Fatalf("pack %+v, %v", pack, err)
		}

		// The officer completes the action; a teacher who is not on the case
		// cannot see the meeting at all.
		_, err = s.CompleteAction(storetest.As(f.OtherTeacher), m.ID, held.Actions[0].ID)
		wantCode(t, err, lantern.ENOTFOUND)
		done, err := s.CompleteAction(storetest.As(officer), m.ID, held.Actions[0].ID)
		if err != nil || done.Actions[0].Status != lantern.TaskDone || done.Actions[0].DoneAt == nil {
			t.Fatalf("completed %+v, %v", done, err)
		}
		if w := inWork(officer, lantern.ClockMeetingAction); w != nil {
			t.Fatalf("a done action is still in the officer's work: %+v", w)
		}
		if n := auditRows(t, s, "task.done", held.Actions[0].TaskID); n != 1 {
			t.Errorf("the action's task done: %d audit entries, want 1", n)
		}
		_, err = s.CompleteAction(storetest.As(officer), m.ID, held.Actions[0].ID)
		wantFields(t, "completed twice", err, "status")

		// Distribution: the minutes to each invitee still on the list, the
		// toolkit to the coordinator and the IRO principal manager.
		_, _, err = s.Distribute(sw, m2.ID, m2c.Version)
		wantFields(t, "distributing a cancelled meeting", err, "status")
		_, _, err = s.Distribute(sw, m.ID, done.Version-1)
		wantCode(t, err, lantern.ECONFLICT)
		dm, ds, err := s.Distribute(sw, m.ID, done.Version)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for _, d := range ds {
			got[d.To.Email] = d.What
			if err := s.SharesSent(sw, d.ShareIDs, nil); err != nil {
				t.Fatal(err)
			}
			for _, id := range d.ShareIDs {
				if n := auditRows(t, s, "share.sent", id); n != 1 {
					t.Errorf("share %s sent: %d audit entries, want 1", id, n)
				}
			}
		}
		if len(got) != 3 || !slices.Equal(got[unit.Email], []string{"minutes"}) || !slices.Equal(got[coord.Email], []string{"minutes", "toolkit"}) ||
			!slices.Equal(got[iro.Email], []string{"toolkit"}) {
			t.Fatalf("distributed %v", got)
		}
		if dm.Version != done.Version+1 {
			t.Errorf("version %d after distributing", dm.Version)
		}
		shares, _ = s.MeetingShares(sw, m.ID)
		if len(shares) != 5 { // the toolkit to the unit, minutes to two, the toolkit to two
			t.Fatalf("%d shares", len(shares))
		}
		for _, sh := range shares {
			if sh.SentAt == nil || sh.Purpose == "" || sh.SharedBy != f.SocialWorker.ID || sh.ChildID != ava.ID {
				t.Errorf("share %+v", sh)
			}
		}

		// Arranging the next meeting ends the next-meeting task.
		mtMeeting(t, s, f.SocialWorker, "cse-strategy", clock.Now().Add(24*time.Hour), ava.ID)
		if w := inWork(f.SocialWorker, lantern.ClockNextMeeting); w != nil {
			t.Fatalf("the next meeting is arranged but its task is open: %+v", w)
		}

		// Figures: one CSE strategy meeting held, one child at medium, the
		// action done on time.
		mgr := caseUser(t, s, "manager@csc.example.org", "Mo Manager", f.CSC, lantern.RoleManager)
		fig, err := s.ReportMeetingFigures(storetest.As(mgr), today.AddDays(-40), today)
		if err != nil {
			t.Fatal(err)
		}
		if fig.Report.Meetings != 1 || fig.Report.Children != 1 || fig.Report.ByLevel["medium"] != 1 || fig.ByKind["cse-strategy"] != 1 ||
			fig.ByKind["core-group"] != 0 {
			t.Fatalf("figures %+v", fig)
		}
		var months int
		for _, p := range fig.ByMonth {
			months += p.Meetings
		}
		if months != 1 || len(fig.ByMonth) < 2 || len(fig.ByQuarter) < 1 {
			t.Fatalf("by month %+v, by quarter %+v", fig.ByMonth, fig.ByQuarter)
		}
		for _, q := range fig.ByQuarter {
			d, _ := lantern.ParseDate(q.Start)
			want := d.Time().Format("January") + " to " + d.Time().AddDate(0, 2, 0).Format("January 2006")
			if q.Label != want || d.Day != 1 || (int(d.Month)-1)%3 != 0 {
				t.Errorf("quarter %+v, want the label %q", q, want)
			}
		}
		fig, _ = s.ReportMeetingFigures(storetest.As(mgr), today, today.AddDays(30))
		if fig.Actions.Due != 1 || fig.Actions.DoneOnTime != 1 || fig.Actions.OnTimePercent == nil || *fig.Actions.OnTimePercent != 100 {
			t.Fatalf("actions %+v", fig.Actions)
		}
		_, err = s.ReportMeetingFigures(sw, today, today)
		wantCode(t, err, lantern.EFORBIDDEN)

		// Ava's record merged into another: what was shared about her goes
		// with her history.
		keep := caseChild(t, s, f.SocialWorker, "Ava", "Exampel", "2012-03-01")
		avaNow, err := s.FindChildByID(sw, ava.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.MergeChildren(storetest.As(mgr), keep.ID, ava.ID, keep.Version, avaNow.Version); err != nil {
			t.Fatal(err)
		}
		var moved int
		if err := s.DB().QueryRow(`SELECT count(*) FROM information_shares WHERE child_id = $1`, keep.ID).Scan(&moved); err != nil || moved != 5 {
			t.Errorf("%d shares moved to the kept record (%v), want 5", moved, err)
		}
	})
}
