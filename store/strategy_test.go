package store_test

import (
	"strings"
	"testing"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// The action plan: strands and actions saved and listed in order; an
// unknown lead, a missing rationale, a rating better than the suggestion
// without a reason and a stale version each refused with nothing stored;
// the database refuses amber without a rationale written around the code;
// a board's snapshot, and what changed since it; who may read and change.
func TestStrategyPlan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		coord := caseUser(t, s, "coord@csc.example.org", "Casey Coordinator", f.CSC, lantern.RoleCSECoordinator)
		chair := caseUser(t, s, "chair@csc.example.org", "Chris Chair", f.CSC, lantern.RoleChair)
		co := storetest.As(coord)
		today := lantern.Today(clock.Now())
		d := func(days int) *lantern.Date { x := today.AddDays(days); return &x }

		if _, err := s.SaveStrand(storetest.As(chair), "", lantern.StrandInput{Number: 1, Title: "Prevention"}); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a chair saves a strand: %v", err)
		}
		if _, err := s.Strands(storetest.As(f.Teacher)); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a teacher reads the plan: %v", err)
		}
		s2, err := s.SaveStrand(co, "", lantern.StrandInput{Number: 2, Title: "Safeguarding and protection"})
		if err != nil {
			t.Fatal(err)
		}
		s1, err := s.SaveStrand(co, "", lantern.StrandInput{Number: 1, Title: "Prevention and response", Aim: "Early identification"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.SaveStrand(co, "", lantern.StrandInput{Number: 1, Title: "Again"})
		wantFields(t, "a strand number twice", err, "number")

		save := func(id string, in lantern.PlanActionInput) *lantern.PlanAction {
			t.Helper()
			a, err := s.SavePlanAction(co, id, in)
			if err != nil {
				t.Fatalf("save %s: %v", in.Reference, err)
			}
			return a
		}
		a10 := save("", lantern.PlanActionInput{StrandID: s1.ID, Reference: "1.10", Description: "Launch event", Lead: f.SocialWorker.ID, DueOn: d(-3)})
		a2 := save("", lantern.PlanActionInput{StrandID: s1.ID, Reference: "1.2", Description: "Training programme", Lead: coord.ID, Agency: "Training group", DueOn: d(20)})
		a21 := save("", lantern.PlanActionInput{StrandID: s2.ID, Reference: "2.1", Description: "Map the levels of CSE", Lead: coord.ID})
		if a2.LeadName != "Casey Coordinator" || a2.Version != 1 || a2.RAG != lantern.PlanUnrated || a21.DueOn != nil {
			t.Errorf("saved: %+v %+v", a2, a21)
		}
		before := rowCount(t, s, "plan_actions")
		for _, tc := range []struct {
			name   string
			in     lantern.PlanActionInput
			fields []string
		}{
			{"an unknown lead", lantern.PlanActionInput{StrandID: s1.ID, Reference: "1.3", Description: "X", Lead: "nobody"}, []string{"lead"}},
			{"an unknown strand", lantern.PlanActionInput{StrandID: "none", Reference: "1.3", Description: "X", Lead: coord.ID}, []string{"strand_id"}},
			{"a reference twice", lantern.PlanActionInput{StrandID: s1.ID, Reference: "1.2", Description: "X", Lead: coord.ID}, []string{"reference"}},
			{"no lead", lantern.PlanActionInput{StrandID: s1.ID, Reference: "1.3", Description: "X"}, []string{"lead"}},
		} {
			_, err := s.SavePlanAction(co, "", tc.in)
			wantFields(t, tc.name, err, tc.fields...)
		}
		if n := rowCount(t, s, "plan_actions"); n != before {
			t.Errorf("refused actions stored: %d, want %d", n, before)
		}

		// The list: strands by number, actions by reference as people
		// number them, each with its suggestion.
		strands, err := s.Strands(storetest.As(chair))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, st := range strands {
			for _, a := range st.Actions {
				got = append(got, a.Reference+":"+string(a.Suggested))
			}
		}
		if strings.Join(got, " ") != "1.2:amber 1.10:red 2.1:" {
			t.Errorf("the plan: %v", got)
		}

		// Notes and ratings.
		note := func(a *lantern.PlanAction, in lantern.NoteInput) (*lantern.PlanAction, error) {
			if in.Version == 0 {
				in.Version = a.Version
			}
			if in.On.IsZero() {
				in.On = today
			}
			return s.AddProgressNote(co, a.ID, in)
		}
		notes := rowCount(t, s, "plan_progress_notes")
		_, err = note(a2, lantern.NoteInput{Text: "Trainer left", RAG: lantern.PlanAmber})
		wantFields(t, "amber without a rationale", err, "rationale")
		_, err = note(a10, lantern.NoteInput{Text: "Venue booked", RAG: lantern.PlanGreen})
		wantFields(t, "green when overdue, no reason", err, "override_reason")
		_, err = note(a2, lantern.NoteInput{Text: "Going well", RAG: lantern.PlanGreen, Version: 7})
		if lantern.ErrorCode(err) != lantern.ECONFLICT {
			t.Errorf("a stale version: %v", err)
		}
		_, err = s.AddProgressNote(storetest.As(chair), a2.ID, lantern.NoteInput{On: today, Text: "x", RAG: lantern.PlanGreen, Version: a2.Version})
		if lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a chair adds a note: %v", err)
		}
		if n := rowCount(t, s, "plan_progress_notes"); n != notes {
			t.Errorf("refused notes stored: %d, want %d", n, notes)
		}
		a2, err = note(a2, lantern.NoteInput{Text: "Trainer left; a new one starts next month", RAG: lantern.PlanAmber, Rationale: "No trainer until January"})
		if err != nil {
			t.Fatal(err)
		}
		if a2.RAG != lantern.PlanAmber || a2.Rationale != "No trainer until January" || a2.Version != 2 || len(a2.Notes) != 1 ||
			a2.Suggested != lantern.PlanUnrated || a2.LastNoteOn == nil || *a2.LastNoteOn != today {
			t.Errorf("after an amber note: %+v", a2)
		}
		a10, err = note(a10, lantern.NoteInput{Text: "Venue booked", RAG: lantern.PlanGreen, OverrideReason: "The board moved the launch to next month"})
		if err != nil {
			t.Fatal(err)
		}
		if n := a10.Notes[0]; n.Suggested != lantern.PlanRed || n.OverrideReason == "" || a10.Suggested != lantern.PlanRed {
			t.Errorf("the override: %+v, suggested now %q", n, a10.Suggested)
		}
		// An earlier note, recorded late, does not change the rating.
		a2, err = note(a2, lantern.NoteInput{On: *d(-10), Text: "Programme drafted", RAG: lantern.PlanGreen})
		if err != nil {
			t.Fatal(err)
		}
		if a2.RAG != lantern.PlanAmber || len(a2.Notes) != 2 || a2.Notes[0].RAG != lantern.PlanAmber {
			t.Errorf("after a late earlier note: %+v", a2)
		}
		// Editing with a stale version.
		in := a2.PlanActionInput
		in.Version = 1
		if _, err := s.SavePlanAction(co, a2.ID, in); lantern.ErrorCode(err) != lantern.ECONFLICT {
			t.Errorf("a stale edit: %v", err)
		}
		in.Version, in.DueOn = a2.Version, d(60)
		if a2, err = s.SavePlanAction(co, a2.ID, in); err != nil || a2.Version != 4 || *a2.DueOn != *d(60) {
			t.Errorf("an edit: %+v %v", a2, err)
		}

		// The database holds the rule too.
		if _, err := s.DB().Exec(`UPDATE plan_actions SET rag = 'red', rationale = '' WHERE id = $1`, a21.ID); err == nil {
			t.Error("the database took red without a rationale")
		}

		// A board, then a change, then the view.
		if _, err := s.RecordBoard(co, lantern.BoardInput{Title: "Partnership executive", HeldOn: *d(1)}); err == nil {
			t.Error("a board tomorrow was recorded")
		}
		board, err := s.RecordBoard(co, lantern.BoardInput{Title: "Partnership executive", HeldOn: today})
		if err != nil {
			t.Fatal(err)
		}
		if len(board.Ratings) != 3 || board.Ratings[a2.ID] != lantern.PlanAmber || board.Ratings[a21.ID] != lantern.PlanUnrated {
			t.Errorf("the board's snapshot: %+v", board.Ratings)
		}
		if _, err = note(a21, lantern.NoteInput{Text: "Data set agreed", RAG: lantern.PlanBlue}); err != nil {
			t.Fatal(err)
		}
		a3 := save("", lantern.PlanActionInput{StrandID: s2.ID, Reference: "2.2", Description: "Co-located team", Lead: coord.ID})
		v, err := s.StrategyBoard(storetest.As(chair))
		if err != nil {
			t.Fatal(err)
		}
		if v.Since == nil || v.Since.ID != board.ID || len(v.Boards) != 1 {
			t.Errorf("since: %+v", v.Since)
		}
		got = nil
		for _, c := range v.Changes {
			got = append(got, c.Action.Reference+":"+string(c.Was)+">"+string(c.Now))
		}
		if strings.Join(got, " ") != "2.1:>blue 2.2:>" || !v.Changes[1].New || v.Changes[1].Action.ID != a3.ID {
			t.Errorf("changes since the board: %v", got)
		}
		if c := v.Counts[0]; c.Counts[lantern.PlanAmber] != 1 || c.Counts[lantern.PlanGreen] != 1 || c.Total != 2 {
			t.Errorf("strand 1's counts: %+v", c)
		}
		if c := v.Counts[1]; c.Counts[lantern.PlanBlue] != 1 || c.NotRated != 1 || c.Total != 2 {
			t.Errorf("strand 2's counts: %+v", c)
		}
	})
}
