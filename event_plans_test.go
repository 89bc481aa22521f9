package lantern_test

import (
	"slices"
	"testing"
	"time"

	"lantern"
)

func TestPlanConference(t *testing.T) {
	done := func(clocks ...string) []lantern.ClockEnd {
		var out []lantern.ClockEnd
		for _, c := range clocks {
			out = append(out, lantern.ClockEnd{Clock: c})
		}
		return out
	}
	for _, c := range []struct {
		name               string
		kind, outcome      string
		s47Before          bool
		flags              []string
		end                []lantern.ClockEnd
		start              []string
		startPlan, endPlan bool
	}{
		{"initial, a plan", "initial", "plan", true, []string{}, done(lantern.ClockICPC), []string{lantern.ClockCoreGroup, lantern.ClockFirstReview}, true, false},
		{"initial, no plan", "initial", "no-plan", true, []string{}, done(lantern.ClockICPC), nil, false, false},
		{"initial with no s47 discussion before it: flagged", "initial", "plan", false, []string{lantern.FlagNoS47}, done(lantern.ClockICPC),
			[]string{lantern.ClockCoreGroup, lantern.ClockFirstReview}, true, false},
		{"review, the plan goes on", "review", "plan", false, []string{}, done(lantern.ClockFirstReview, lantern.ClockNextReview), []string{lantern.ClockNextReview}, false, false},
		{"review, the plan ends", "review", "no-plan", false, []string{},
			append(done(lantern.ClockFirstReview, lantern.ClockNextReview), lantern.ClockEnd{Clock: lantern.ClockCoreGroup, Reason: "the child protection plan ended"}),
			nil, false, true},
	} {
		p := lantern.PlanConference(lantern.Conference{Kind: lantern.ConferenceKind(c.kind), Outcome: lantern.ConferenceOutcome(c.outcome)}, c.s47Before)
		if !slices.Equal(p.Flags, c.flags) || !slices.Equal(p.End, c.end) || !slices.Equal(p.Start, c.start) || p.StartPlan != c.startPlan || p.EndPlan != c.endPlan {
			t.Errorf("%s: %+v", c.name, p)
		}
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	err := lantern.CheckConference(&lantern.Conference{Kind: "final", Outcome: "maybe"}, now)
	if !sameFields(lantern.ErrorFields(err), []string{"held_at", "kind", "outcome"}) {
		t.Errorf("a conference of no kind, outcome or time: %v", lantern.ErrorFields(err))
	}
}

func TestPlanReferralUpdate(t *testing.T) {
	received := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	at := func(h int) *time.Time { v := received.Add(time.Duration(h) * time.Hour); return &v }
	r := &lantern.Referral{Version: 1, ReceivedAt: received, FeedbackAt: at(2)}
	plan, err := lantern.PlanReferralUpdate(r, 1, lantern.ReferralUpdate{Decision: "early-help", DecidedAt: at(5), WrittenConfirmationAt: at(3)})
	if err != nil {
		t.Fatal(err)
	}
	want := []lantern.ReferralTime{{Column: "decided_at", Clock: lantern.ClockReferralDecision, At: *at(5)},
		{Column: "written_confirmation_at", Clock: lantern.ClockReferralWrittenFollowup, At: *at(3)}}
	if !slices.Equal(plan.Set, want) || plan.Decision != "early-help" || !plan.CloseAssessment {
		t.Errorf("plan %+v", plan)
	}
	plan, err = lantern.PlanReferralUpdate(r, 1, lantern.ReferralUpdate{Decision: "assessment", DecidedAt: at(5)})
	if err != nil || plan.CloseAssessment {
		t.Errorf("an assessment follows: %+v %v", plan, err)
	}
	for _, c := range []struct {
		name   string
		up     lantern.ReferralUpdate
		v      int
		code   lantern.Code
		fields []string
	}{
		{"a stale version", lantern.ReferralUpdate{FeedbackAt: at(4)}, 2, lantern.ECONFLICT, nil},
		{"feedback given twice", lantern.ReferralUpdate{FeedbackAt: at(4)}, 1, lantern.EINVALID, []string{"feedback_at"}},
		{"decided before it came", lantern.ReferralUpdate{Decision: "assessment", DecidedAt: at(-1)}, 1, lantern.EINVALID, []string{"decided_at"}},
	} {
		_, err := lantern.PlanReferralUpdate(r, c.v, c.up)
		if lantern.ErrorCode(err) != c.code || !sameFields(lantern.ErrorFields(err), c.fields) {
			t.Errorf("%s: %v %v", c.name, err, lantern.ErrorFields(err))
		}
	}
	now := received.Add(24 * time.Hour)
	for _, c := range []struct {
		name   string
		up     lantern.ReferralUpdate
		fields []string
	}{
		{"nothing to record", lantern.ReferralUpdate{}, []string{"decision"}},
		{"a decision with no time", lantern.ReferralUpdate{Decision: "assessment"}, []string{"decided_at"}},
		{"a decision that is none", lantern.ReferralUpdate{Decision: "maybe", DecidedAt: at(1)}, []string{"decision"}},
		{"a time years ahead", lantern.ReferralUpdate{FeedbackAt: at(24 * 365 * 6)}, []string{"feedback_at"}},
	} {
		if got := lantern.ErrorFields(lantern.CheckReferralUpdate(c.up, now)); !sameFields(got, c.fields) {
			t.Errorf("%s: %v, want %v", c.name, got, c.fields)
		}
	}
}
