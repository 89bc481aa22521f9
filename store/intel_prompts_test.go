package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// The decisions on the toolkit's prompts, kept with an assessment, read
// back as each reader may see them (issue 14, item 7).
func TestAssessmentPromptsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		involveSchool(t, s, w)
		child := ref(lantern.EntityChild, w.child.ID)
		mk := func(to lantern.EntityRef, kind lantern.LinkKind, g *lantern.Grading) *lantern.Link {
			t.Helper()
			l, err := s.CreateLink(w.asPolice, &lantern.Link{From: child, To: to, Kind: kind, Source: "Patrol log 17", Grading: g})
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		dee, _ := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
		shack, _ := s.CreatePlace(w.asPolice, &lantern.Place{Name: "Chicken Shack", Hotspot: true, HotspotReason: "Children taken there"})
		covert, _ := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Covert"}})
		direct := mk(ref(lantern.EntityPerson, dee.ID), lantern.LinkAssociate, nil)
		hot := mk(ref(lantern.EntityPlace, shack.ID), lantern.LinkSeenAt, nil)
		secret := mk(ref(lantern.EntityPerson, covert.ID), lantern.LinkAssociate, &lantern.Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "Police only"})

		count := func() int {
			as, err := s.Assessments(w.asPolice, w.child.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(as)
		}
		// A decision declined without a reason is named with the form's
		// other problems, and nothing is kept.
		_, err := s.CreateAssessment(w.asPolice, w.child.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}},
			Prompts: []lantern.PromptDecision{{Indicator: lantern.IndicatorHotspotAreas, LinkID: hot.ID, Decision: lantern.PromptDeclined}}})
		var fields []string
		for _, fe := range lantern.ErrorFields(err) {
			fields = append(fields, fe.Field)
		}
		if !slices.Contains(fields, "analysis") || !slices.Contains(fields, "prompts[0].reason") || count() != 0 {
			t.Fatalf("declined without a reason: %v, %d kept", err, count())
		}

		// The police decide all three, the hidden link's too.
		in := toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing", lantern.IndicatorKnownPerpetrators}},
			Evidence: map[string]string{lantern.IndicatorKnownPerpetrators: "Seen with Dee by staff"}, Analysis: "Associating with Dee",
			RecordedLevel: "high",
			Prompts: []lantern.PromptDecision{
				{Indicator: lantern.IndicatorKnownPerpetrators, LinkID: direct.ID, Decision: lantern.PromptConfirmed},
				{Indicator: lantern.IndicatorHotspotAreas, LinkID: hot.ID, Decision: lantern.PromptDeclined, Reason: " She works there on Saturdays "},
				{Indicator: lantern.IndicatorKnownPerpetrators, LinkID: secret.ID, Decision: lantern.PromptDeclined, Reason: "Not corroborated"}}}
		a, err := s.CreateAssessment(w.asPolice, w.child.ID, "", in)
		if err != nil {
			t.Fatal(err)
		}
		decidedAt := clock.Now().UTC().Truncate(time.Microsecond)
		if len(a.Prompts) != 3 {
			t.Fatalf("the answer's decisions: %+v", a.Prompts)
		}
		clock.Add(time.Hour)

		// The police read every decision, with what each link joins.
		ps, err := s.AssessmentPrompts(w.asPolice, w.child.ID, a.ID)
		if err != nil || len(ps) != 3 {
			t.Fatalf("police: %+v %v", ps, err)
		}
		byLink := map[string]lantern.AssessmentPrompt{}
		for _, p := range ps {
			byLink[p.LinkID] = p
			if p.DecidedBy != w.police.ID || p.DecidedByName != w.police.Name || !p.DecidedAt.Equal(decidedAt) || p.AssessmentID != a.ID || p.Entity == nil {
				t.Errorf("police decision: %+v (decided at %v)", p, decidedAt)
			}
		}
		if p := byLink[hot.ID]; p.Decision != lantern.PromptDeclined || p.Reason != "She works there on Saturdays" || p.Label != "Chicken Shack" ||
			*p.Entity != ref(lantern.EntityPlace, shack.ID) || !strings.Contains(p.Text, "Chicken Shack") {
			t.Errorf("hotspot decision: %+v", p)
		}
		if p := byLink[direct.ID]; p.Decision != lantern.PromptConfirmed || p.Reason != "" || !strings.Contains(p.Label, "Dee") || p.Indicator != lantern.IndicatorKnownPerpetrators {
			t.Errorf("confirmed decision: %+v", p)
		}
		if p := byLink[secret.ID]; !strings.Contains(p.Label, "Covert") {
			t.Errorf("the police's own decision on handling C: %+v", p)
		}

		// The school: two decisions, told only what intelligence holds in
		// general; the handling-C decision is not shown at all.
		for _, read := range []func() ([]lantern.AssessmentPrompt, error){
			func() ([]lantern.AssessmentPrompt, error) { return s.AssessmentPrompts(w.asSchool, w.child.ID, a.ID) },
			func() ([]lantern.AssessmentPrompt, error) { return s.AssessmentPrompts(w.asSchool, w.child.ID) },
			func() ([]lantern.AssessmentPrompt, error) {
				x, err := s.Assessment(w.asSchool, w.child.ID, a.ID)
				if err != nil {
					return nil, err
				}
				return x.Prompts, nil
			},
		} {
			ps, err := read()
			if err != nil || len(ps) != 2 {
				t.Fatalf("school: %+v %v", ps, err)
			}
			for _, p := range ps {
				if p.LinkID == secret.ID || p.Entity != nil || p.Label != "" || p.Withdrawn || !strings.HasPrefix(p.Text, "Intelligence held links this child to ") ||
					strings.Contains(p.Text, "Dee") || strings.Contains(p.Text, "Chicken") || strings.Contains(p.Text, "Covert") || p.DecidedByName == "" {
					t.Errorf("the school is told too much or too little: %+v", p)
				}
			}
		}
		// The analyst reads intelligence but not handling C.
		ps, err = s.AssessmentPrompts(storetest.As(w.analyst), w.child.ID, a.ID)
		if err != nil || len(ps) != 2 || slices.ContainsFunc(ps, func(p lantern.AssessmentPrompt) bool { return p.LinkID == secret.ID || p.Label == "" }) {
			t.Fatalf("analyst: %+v %v", ps, err)
		}

		// A link withdrawn since: the decision stands, and readers are told.
		if err := s.WithdrawLink(w.asPolice, direct.ID); err != nil {
			t.Fatal(err)
		}
		x, err := s.Assessment(w.asPolice, w.child.ID, a.ID)
		if err != nil || len(x.Prompts) != 3 {
			t.Fatalf("after withdrawal: %+v %v", x, err)
		}
		for _, p := range x.Prompts {
			if p.Withdrawn != (p.LinkID == direct.ID) {
				t.Errorf("withdrawn: %+v", p)
			}
		}

		// Another child's assessment, or one not held, is not found.
		if _, err := s.Assessment(storetest.As(w.f.SocialWorker), w.other.ID, a.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("another child's: %v", err)
		}
		if ps, err := s.AssessmentPrompts(storetest.As(w.f.SocialWorker), w.other.ID, a.ID); err != nil || len(ps) != 0 {
			t.Errorf("another child's decisions: %+v %v", ps, err)
		}
		// The reads are audited, with the links shown and never names.
		es, _, err := s.SearchAudit(storetest.As(w.f.Auditor), store.AuditFilter{Action: "assessment.prompts.read", ChildID: w.child.ID, Limit: 50})
		if err != nil || len(es) == 0 {
			t.Fatalf("audit: %+v %v", es, err)
		}
		for _, e := range es {
			if strings.Contains(e.Detail, "Dee") || strings.Contains(e.Detail, "Saturdays") {
				t.Errorf("the audit holds case content: %+v", e)
			}
		}
	})
}
