package lantern

import (
	"slices"
	"testing"
)

func TestSuggestRAG(t *testing.T) {
	today := Date{Year: 2026, Month: 11, Day: 22}
	due := func(days int) *Date { d := today.AddDays(days); return &d }
	note := func(daysAgo int) ProgressNote { return ProgressNote{On: today.AddDays(-daysAgo)} }
	for _, tc := range []struct {
		name  string
		due   *Date
		rated PlanRAG
		notes []ProgressNote
		want  PlanRAG
	}{
		{"ongoing, never noted", nil, PlanUnrated, nil, PlanUnrated},
		{"ongoing, rated green long ago", nil, PlanGreen, []ProgressNote{note(400)}, PlanUnrated},
		{"overdue by a day, not done", due(-1), PlanGreen, []ProgressNote{note(1)}, PlanRed},
		{"overdue and amber", due(-30), PlanAmber, nil, PlanRed},
		{"overdue but done", due(-30), PlanBlue, []ProgressNote{note(40)}, PlanBlue},
		{"done, not yet due", due(100), PlanBlue, nil, PlanBlue},
		{"due today: not overdue; noted today", due(0), PlanGreen, []ProgressNote{note(0)}, PlanUnrated},
		{"due today, no note for 29 days", due(0), PlanGreen, []ProgressNote{note(29)}, PlanAmber},
		{"due in 28 days, never noted", due(28), PlanUnrated, nil, PlanAmber},
		{"due in 29 days, never noted", due(29), PlanUnrated, nil, PlanUnrated},
		{"due in 10 days, noted 28 days ago", due(10), PlanGreen, []ProgressNote{note(28)}, PlanUnrated},
		{"due in 10 days, noted 29 days ago", due(10), PlanGreen, []ProgressNote{note(29)}, PlanAmber},
		{"due in 10 days, an old and a recent note", due(10), PlanGreen, []ProgressNote{note(90), note(3)}, PlanUnrated},
		{"due in 10 days, recent note first", due(10), PlanGreen, []ProgressNote{note(3), note(90)}, PlanUnrated},
		{"due in 10 days, rated red, old note", due(10), PlanRed, []ProgressNote{note(60)}, PlanAmber},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &PlanAction{PlanActionInput: PlanActionInput{DueOn: tc.due}, RAG: tc.rated}
			if got := SuggestRAG(a, tc.notes, today); got != tc.want {
				t.Errorf("SuggestRAG = %q, want %q", got, tc.want)
			}
		})
	}
	// The latest note's date on the action counts as a note.
	last := today.AddDays(-2)
	a := &PlanAction{PlanActionInput: PlanActionInput{DueOn: due(5)}, RAG: PlanGreen, LastNoteOn: &last}
	if got := SuggestRAG(a, nil, today); got != PlanUnrated {
		t.Errorf("with a note two days ago on the action: %q", got)
	}
}

func TestNeedsOverride(t *testing.T) {
	for _, tc := range []struct {
		rating, suggested PlanRAG
		want              bool
	}{
		{PlanGreen, PlanRed, true}, {PlanAmber, PlanRed, true}, {PlanRed, PlanRed, false}, {PlanBlue, PlanRed, false},
		{PlanGreen, PlanAmber, true}, {PlanAmber, PlanAmber, false}, {PlanRed, PlanAmber, false}, {PlanBlue, PlanAmber, false},
		{PlanGreen, PlanUnrated, false}, {PlanGreen, PlanBlue, false},
	} {
		if got := NeedsOverride(tc.rating, tc.suggested); got != tc.want {
			t.Errorf("NeedsOverride(%s, suggested %q) = %t, want %t", tc.rating, tc.suggested, got, tc.want)
		}
	}
}

func TestCheckNote(t *testing.T) {
	today := Date{Year: 2026, Month: 11, Day: 22}
	ok := NoteInput{On: today, Text: "Terms of reference agreed", RAG: PlanGreen}
	for _, tc := range []struct {
		name      string
		change    func(n *NoteInput)
		suggested PlanRAG
		fields    []string
	}{
		{"green", func(n *NoteInput) {}, PlanUnrated, nil},
		{"amber without a rationale", func(n *NoteInput) { n.RAG = PlanAmber }, PlanUnrated, []string{"rationale"}},
		{"red with a blank rationale", func(n *NoteInput) { n.RAG, n.Rationale = PlanRed, "  " }, PlanUnrated, []string{"rationale"}},
		{"amber with a rationale", func(n *NoteInput) { n.RAG, n.Rationale = PlanAmber, "The trainer left" }, PlanUnrated, nil},
		{"blue needs no rationale", func(n *NoteInput) { n.RAG = PlanBlue }, PlanRed, nil},
		{"no rating", func(n *NoteInput) { n.RAG = "" }, PlanUnrated, []string{"rag"}},
		{"a colour that is not one", func(n *NoteInput) { n.RAG = "purple" }, PlanUnrated, []string{"rag"}},
		{"green against a suggested red", func(n *NoteInput) {}, PlanRed, []string{"override_reason"}},
		{"green against red, with a reason", func(n *NoteInput) { n.OverrideReason = "The board moved the date" }, PlanRed, nil},
		{"amber against red, no reason, no rationale", func(n *NoteInput) { n.RAG = PlanAmber }, PlanRed, []string{"rationale", "override_reason"}},
		{"red against amber", func(n *NoteInput) { n.RAG, n.Rationale = PlanRed, "No venue" }, PlanAmber, nil},
		{"no date", func(n *NoteInput) { n.On = Date{} }, PlanUnrated, []string{"on"}},
		{"tomorrow", func(n *NoteInput) { n.On = today.AddDays(1) }, PlanUnrated, []string{"on"}},
		{"no text", func(n *NoteInput) { n.Text = " " }, PlanUnrated, []string{"text"}},
		{"a control character", func(n *NoteInput) { n.Text = "a\x00b" }, PlanUnrated, []string{"text"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := ok
			tc.change(&n)
			err := CheckNote(&n, tc.suggested, today)
			var got []string
			for _, f := range ErrorFields(err) {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v (%v)", got, tc.fields, err)
			}
		})
	}
}

func TestCheckPlanAction(t *testing.T) {
	ok := PlanActionInput{StrandID: "s1", Reference: "2.1", Description: "Map the levels of CSE", Lead: "u1"}
	for _, tc := range []struct {
		name   string
		change func(a *PlanActionInput)
		fields []string
	}{
		{"complete", func(a *PlanActionInput) {}, nil},
		{"no lead", func(a *PlanActionInput) { a.Lead = " " }, []string{"lead"}},
		{"no strand, reference or description", func(a *PlanActionInput) { a.StrandID, a.Reference, a.Description = "", "", "" },
			[]string{"strand_id", "reference", "description"}},
		{"a long reference", func(a *PlanActionInput) { a.Reference = "1.2.3.4.5.6.7.8.9.10.11" }, []string{"reference"}},
		{"a negative version", func(a *PlanActionInput) { a.Version = -1 }, []string{"version"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ok
			tc.change(&a)
			var got []string
			for _, f := range ErrorFields(CheckPlanAction(&a)) {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}

func TestBoardCounts(t *testing.T) {
	s1 := &Strand{ID: "s1", Actions: []*PlanAction{{ID: "a", RAG: PlanGreen}, {ID: "b", RAG: PlanRed}, {ID: "c", RAG: PlanGreen}}}
	s2 := &Strand{ID: "s2", Actions: []*PlanAction{{ID: "d", RAG: PlanBlue}, {ID: "e"}}}
	counts := CountByStrand([]*Strand{s1, s2})
	if counts[0].Counts[PlanGreen] != 2 || counts[0].Counts[PlanRed] != 1 || counts[0].Total != 3 ||
		counts[1].Counts[PlanBlue] != 1 || counts[1].NotRated != 1 || counts[1].Total != 2 {
		t.Errorf("counts: %+v %+v", counts[0], counts[1])
	}
	changes := ChangesSince([]*Strand{s1, s2}, map[string]PlanRAG{"a": PlanGreen, "b": PlanAmber, "c": PlanGreen, "d": PlanGreen})
	var got []string
	for _, c := range changes {
		got = append(got, c.Action.ID+":"+string(c.Was)+">"+string(c.Now))
	}
	if want := []string{"b:amber>red", "d:green>blue", "e:>"}; !slices.Equal(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
	if !changes[2].New || changes[0].New {
		t.Errorf("new: %+v", changes)
	}
}

func TestRAGWords(t *testing.T) {
	for _, r := range append(PlanRAGs, PlanUnrated) {
		if r.Word() == "" || r.TagClass() == "" || r.Label() == "" {
			t.Errorf("%q has no words or tag", r)
		}
	}
	if PlanAmber.TagClass() != "govuk-tag--yellow" || PlanAmber.Label() != "Amber: at risk" {
		t.Errorf("amber: %s %s", PlanAmber.TagClass(), PlanAmber.Label())
	}
}
