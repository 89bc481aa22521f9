package store_test

import (
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// Decisions make work (docs/pathway.md#decisions-make-work): a held
// meeting's recommendations and a return interview's follow-ups become
// tasks with owners and dates; a work task is completed with a note.

// wtTasks are a child's tasks from one source record, by kind (a work
// task's) or clock.
func wtTasks(t *testing.T, s *store.Store, u *lantern.User, childID, sourceID string) map[string]*lantern.Task {
	t.Helper()
	ts, err := s.ChildTasks(storetest.As(u), childID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*lantern.Task{}
	for _, tk := range ts {
		if tk.SourceID != sourceID {
			continue
		}
		k := tk.Clock
		if tk.Kind != "" {
			k = string(tk.Kind)
		}
		if out[k] != nil {
			t.Errorf("two %s tasks from %s", k, sourceID)
		}
		out[k] = tk
	}
	return out
}

func TestWorkTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		alloc := caseUser(t, s, "al.located@csc.example.org", "Al Located", f.CSC, lantern.RoleSocialWorker)
		ava := caseChild(t, s, f.SocialWorker, "Ava", "Example", "2012-03-01") // allocated to Al
		bea := caseChild(t, s, f.Teacher, "Bea", "Example", "2011-05-05")      // no one allocated
		if _, err := s.DB().Exec(`UPDATE children SET allocated_social_worker_id = $1 WHERE id = $2`, alloc.ID, ava.ID); err != nil {
			t.Fatal(err)
		}
		held := london(2026, 11, 20, 10, 0) // a Friday

		m := mtMeeting(t, s, f.SocialWorker, "cse-strategy", held, ava.ID, bea.ID)
		outcome := lantern.Outcome{Held: true, Decisions: []lantern.MeetingDecision{
			{ChildID: ava.ID, Level: "high", Recommendations: []string{"s47", "icpc", "early-help"}},
			{ChildID: bea.ID, Level: "medium", Recommendations: []string{"return-interview", "no-further-action"}},
		}}

		t.Run("an unknown recommendation is refused, and nothing made", func(t *testing.T) {
			o := outcome
			o.Decisions = []lantern.MeetingDecision{outcome.Decisions[0], {ChildID: bea.ID, Level: "medium", Recommendations: []string{"a chat"}}}
			_, err := s.RecordOutcome(sw, m.ID, m.Version, o)
			wantFields(t, "an unknown recommendation", err, "decisions[1].recommendations")
			if n := len(wtTasks(t, s, f.SocialWorker, ava.ID, m.ID)); n != 0 {
				t.Errorf("%d tasks after a refusal", n)
			}
		})

		var avas map[string]*lantern.Task
		t.Run("a held meeting's recommendations become tasks", func(t *testing.T) {
			if _, err := s.RecordOutcome(sw, m.ID, m.Version, outcome); err != nil {
				t.Fatal(err)
			}
			avas = wtTasks(t, s, f.SocialWorker, ava.ID, m.ID)
			beas := wtTasks(t, s, f.SocialWorker, bea.ID, m.ID)
			for _, tc := range []struct {
				name   string
				tk     *lantern.Task
				clock  string
				owner  string
				dueAt  time.Time
				source string
			}{
				{"Ava's s47", avas["s47"], lantern.ClockWork, alloc.ID, lantern.EndOfDay(date(t, "2026-11-23")), "meeting"},
				{"Ava's early help", avas["early-help"], lantern.ClockWork, alloc.ID, lantern.EndOfDay(date(t, "2026-12-04")), "meeting"},
				// The statutory clock, not a work task: 15 working days.
				{"Ava's conference", avas[lantern.ClockICPC], lantern.ClockICPC, alloc.ID, lantern.EndOfDay(date(t, "2026-12-11")), "meeting"},
				// No one allocated: the meeting's organiser; 72 hours.
				{"Bea's return interview", beas["return-interview"], lantern.ClockWork, f.SocialWorker.ID, london(2026, 11, 23, 10, 0), "meeting"},
			} {
				switch {
				case tc.tk == nil:
					t.Errorf("%s: no task", tc.name)
				case tc.tk.Clock != tc.clock || tc.tk.AssigneeID != tc.owner || !tc.tk.DueAt.Equal(tc.dueAt) || tc.tk.Source != tc.source ||
					tc.tk.Status != lantern.TaskOpen || tc.tk.TeamAgencyID != f.CSC.ID:
					t.Errorf("%s: %+v", tc.name, tc.tk)
				}
			}
			if len(avas) != 3 || len(beas) != 1 {
				t.Errorf("Ava's %v, Bea's %v: no further action makes none", avas, beas)
			}
			if n := auditActions(t, s, f, ava.ID)["task.create"]; n < 3 {
				t.Errorf("%d task creations audited", n)
			}
		})

		t.Run("not held makes none; an open clock is not started twice", func(t *testing.T) {
			m2 := mtMeeting(t, s, f.SocialWorker, "cse-strategy", held.Add(time.Hour), ava.ID)
			if _, err := s.RecordOutcome(sw, m2.ID, m2.Version, lantern.Outcome{Held: false}); err != nil {
				t.Fatal(err)
			}
			if n := len(wtTasks(t, s, f.SocialWorker, ava.ID, m2.ID)); n != 0 {
				t.Errorf("%d tasks from a meeting not held", n)
			}
			m3 := mtMeeting(t, s, f.SocialWorker, "cse-strategy", held.Add(2*time.Hour), ava.ID)
			if _, err := s.RecordOutcome(sw, m3.ID, m3.Version, lantern.Outcome{Held: true,
				Decisions: []lantern.MeetingDecision{{ChildID: ava.ID, Level: "high", Recommendations: []string{"icpc"}}}}); err != nil {
				t.Fatal(err)
			}
			if got := wtTasks(t, s, f.SocialWorker, ava.ID, m3.ID); len(got) != 0 {
				t.Errorf("a second conference clock: %v", got)
			}
		})

		t.Run("completing a work task with a note", func(t *testing.T) {
			s47 := avas["s47"]
			_, err := s.CompleteTask(storetest.As(alloc), s47.ID, s47.Version, "   ")
			wantFields(t, "no note", err, "note")
			_, err = s.CompleteTask(storetest.As(alloc), s47.ID, s47.Version+1, "Started with the police")
			wantCode(t, err, lantern.ECONFLICT)
			_, err = s.CompleteTask(storetest.As(f.Teacher), s47.ID, s47.Version, "Started")
			wantCode(t, err, lantern.ENOTFOUND) // Ava is not the school's
			_, err = s.CompleteTask(storetest.As(alloc), avas[lantern.ClockICPC].ID, 1, "Held it")
			wantFields(t, "a statutory clock's task", err, "task")

			done, err := s.CompleteTask(storetest.As(alloc), s47.ID, s47.Version, "  Started with the police: strategy discussion on Monday  ")
			if err != nil {
				t.Fatal(err)
			}
			if done.Status != lantern.TaskDone || done.Note != "Started with the police: strategy discussion on Monday" || done.DoneBy != alloc.ID ||
				done.Version != s47.Version+1 || done.DoneAt == nil {
				t.Errorf("completed %+v", done)
			}
			d, err := s.FindTask(storetest.As(alloc), s47.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d.Note != done.Note || d.DoneByName != "Al Located" || d.AssigneeName != "Al Located" || d.ChildName != "Ava Example" || d.MeetingID != m.ID {
				t.Errorf("read back %+v %+v", d, d.Task)
			}
			_, err = s.CompleteTask(storetest.As(alloc), s47.ID, done.Version, "Again")
			wantFields(t, "done already", err, "status")
			if a := auditActions(t, s, f, ava.ID); a["task.complete"] != 1 || a["task.read"] != 1 {
				t.Errorf("audited %v", a)
			}
			_, err = s.FindTask(storetest.As(f.Teacher), s47.ID)
			wantCode(t, err, lantern.ENOTFOUND)
		})

		t.Run("a meeting's action completed on its task", func(t *testing.T) {
			m4 := mtMeeting(t, s, f.SocialWorker, "cse-strategy", held.Add(3*time.Hour), bea.ID)
			got, err := s.RecordOutcome(sw, m4.ID, m4.Version, lantern.Outcome{Held: true,
				Actions: []lantern.MeetingAction{{Description: "Visit school", Owner: f.Teacher.ID, DueDate: date(t, "2026-12-01")}}})
			if err != nil {
				t.Fatal(err)
			}
			tid := got.Actions[0].TaskID
			// Its owner, in another agency than the meeting's, completes it.
			if _, err := s.CompleteTask(storetest.As(f.Teacher), tid, 1, "Visited on Tuesday"); err != nil {
				t.Fatal(err)
			}
			after, err := s.FindMeeting(sw, m4.ID)
			if err != nil {
				t.Fatal(err)
			}
			if after.Actions[0].Status != lantern.TaskDone || after.Version != got.Version+1 {
				t.Errorf("the action after its task was completed: %+v (version %d)", after.Actions[0], after.Version)
			}
			d, err := s.FindTask(storetest.As(f.Teacher), tid)
			if err != nil || d.Action != "Visit school" || d.MeetingID != m4.ID {
				t.Errorf("the action's task read %+v %v", d, err)
			}
		})

		t.Run("a return interview's follow-ups become tasks", func(t *testing.T) {
			e := episode(t, s, f.Teacher, bea.ID, "missing", london(2026, 11, 19, 20, 0), ptime(london(2026, 11, 20, 8, 0)))
			heldAt := london(2026, 11, 20, 16, 0)
			if _, err := s.RecordInterview(storetest.As(f.Teacher), bea.ID, e.ID, lantern.InterviewInput{HeldAt: &heldAt, HeldBy: "Ivy Independent",
				FollowUp: []string{"referral", "safety-plan", "strategy-meeting"}}); err != nil {
				t.Fatal(err)
			}
			got := wtTasks(t, s, f.Teacher, bea.ID, e.ID)
			for kind, due := range map[string]string{"referral": "2026-11-23", "safety-plan": "2026-11-27", "strategy-meeting": "2026-11-23"} {
				tk := got[kind]
				if tk == nil || tk.Clock != lantern.ClockWork || tk.AssigneeID != f.Teacher.ID || tk.TeamAgencyID != f.School.ID || tk.DueDate.String() != due ||
					tk.Source != "missing-episode" {
					t.Errorf("%s: %+v", kind, tk)
				}
			}
			if tk := got[lantern.ClockReturnInterview]; tk == nil || tk.Status != lantern.TaskDone {
				t.Errorf("the interview's own clock: %+v", tk)
			}
		})
	})
}
