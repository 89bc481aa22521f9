package lantern

import (
	"slices"
	"testing"
	"time"
)

func TestParseChronologyKinds(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want ChronologyFilter
		bad  bool
	}{
		{nil, nil, false},
		{[]string{""}, nil, false},
		{[]string{"concern,referral"}, ChronologyFilter{ChronConcern, ChronReferral}, false},
		{[]string{"concern", " referral , concern ,"}, ChronologyFilter{ChronConcern, ChronReferral}, false},
		{[]string{"concern,gossip"}, nil, true},
		{[]string{"Concern"}, nil, true},
	} {
		got, err := ParseChronologyKinds(tc.in)
		if tc.bad {
			if fs := ErrorFields(err); len(fs) != 1 || fs[0].Field != "kind" {
				t.Errorf("%q: %v, want a problem naming kind", tc.in, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v %v, want %v", tc.in, got, err, tc.want)
		}
	}
	if f := (ChronologyFilter{}); !f.Wants(ChronShare) || !(ChronologyFilter{ChronShare}).WantsAny(ChronConcern, ChronShare) {
		t.Error("an empty filter wants every kind")
	}
	for _, k := range ChronologyKinds {
		if k.Label() == string(k) {
			t.Errorf("%s has no words", k)
		}
	}
}

func TestSortChronology(t *testing.T) {
	at := time.Date(2027, 1, 7, 10, 0, 0, 0, time.UTC)
	items := []ChronologyItem{{At: at, Kind: ChronReferral, ID: "r"}, {At: at.Add(time.Hour), Kind: ChronConcern, ID: "c"},
		{At: at, Kind: ChronReferralDecision, ID: "r"}, {At: at, Kind: ChronReferral, ID: "a"}}
	SortChronology(items)
	var got []string
	for _, it := range items {
		got = append(got, string(it.Kind)+"/"+it.ID)
	}
	if want := []string{"concern/c", "referral-decision/r", "referral/a", "referral/r"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestChronologyWords(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Excerpt("short", 10), "short"},
		{Excerpt("  two\nlines  ", 10), "two lines"},
		{Excerpt("seen getting into a car with older men", 20), "seen getting into a…"},
		{Excerpt("ééééééééééééé", 5), "ééééé…"},
		{Span(30 * time.Minute), "30 minutes"},
		{Span(time.Hour), "1 hour"},
		{Span(36 * time.Hour), "36 hours"},
		{Span(72 * time.Hour), "3 days"},
		{Span(-time.Minute), "0 minutes"},
		{LowerFirst("Strategy discussion"), "strategy discussion"},
		{LowerFirst("CSE strategy meeting"), "CSE strategy meeting"},
		{LowerFirst(""), ""},
		{ShareWhatLabel("minutes", MeetingCSEStrategy), "Minutes of the CSE strategy meeting"},
		{ShareWhatLabel("minutes", MeetingCoreGroup), "Minutes of the core group meeting"},
		{ShareWhatLabel("minutes", ""), "Meeting minutes"},
		{ShareWhatLabel("toolkit", ""), "Toolkit assessment"},
		{ShareWhatLabel("x", ""), "Information"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}

func TestPlanS47Completion(t *testing.T) {
	started := time.Date(2027, 5, 4, 9, 0, 0, 0, time.UTC)
	done := started.Add(48 * time.Hour)
	before := started.Add(-time.Minute)
	open := &S47Enquiry{StartedAt: started, Version: 1}
	closed := &S47Enquiry{StartedAt: started, Version: 2, CompletedAt: &done, Outcome: S47ICPC}
	for _, tc := range []struct {
		name    string
		e       *S47Enquiry
		version int
		c       S47Completion
		code    Code
		field   string
		ends    []ClockEnd
	}{
		{"not substantiated", open, 1, S47Completion{&done, S47NotSubstantiated}, "", "", []ClockEnd{{ClockICPC, "section 47 enquiry outcome: not-substantiated"}}},
		{"no continuing risk", open, 1, S47Completion{&done, S47NoContinuingRisk}, "", "", []ClockEnd{{ClockICPC, "section 47 enquiry outcome: substantiated-no-continuing-risk"}}},
		{"a conference follows", open, 1, S47Completion{&done, S47ICPC}, "", "", nil},
		{"stale", open, 2, S47Completion{&done, S47ICPC}, ECONFLICT, "", nil},
		{"already completed", closed, 2, S47Completion{&done, S47ICPC}, EINVALID, "completed_at", nil},
		{"before it started", open, 1, S47Completion{&before, S47ICPC}, EINVALID, "completed_at", nil},
	} {
		ends, err := PlanS47Completion(tc.e, tc.version, tc.c)
		if ErrorCode(err) != tc.code || !slices.Equal(ends, tc.ends) {
			t.Errorf("%s: %v %v, want %q %v", tc.name, ends, err, tc.code, tc.ends)
		}
		if tc.field != "" {
			if fs := ErrorFields(err); len(fs) != 1 || fs[0].Field != tc.field {
				t.Errorf("%s: fields %v, want %s", tc.name, fs, tc.field)
			}
		}
	}
	now := done.Add(time.Hour)
	for _, tc := range []struct {
		c      S47Completion
		fields []string
	}{
		{S47Completion{&done, S47ICPC}, nil},
		{S47Completion{nil, ""}, []string{"completed_at", "outcome"}},
		{S47Completion{&done, "not-known"}, []string{"outcome"}},
	} {
		var got []string
		for _, fe := range ErrorFields(CheckS47Completion(tc.c, now)) {
			got = append(got, fe.Field)
		}
		if !slices.Equal(got, tc.fields) {
			t.Errorf("%+v: fields %v, want %v", tc.c, got, tc.fields)
		}
	}
}

func TestPlanConferenceEndReason(t *testing.T) {
	at := time.Date(2027, 5, 4, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		c    Conference
		bad  bool
		want PlanEndReason
	}{
		{Conference{Kind: ConferenceReview, Outcome: ConferenceNoPlan}, false, PlanEndNoLongerAtRisk},
		{Conference{Kind: ConferenceReview, Outcome: ConferenceNoPlan, PlanEndReason: PlanEndReached18}, false, PlanEndReached18},
		{Conference{Kind: ConferenceInitial, Outcome: ConferencePlanNeeded}, false, PlanEndNewPlan},
		{Conference{Kind: ConferenceReview, Outcome: ConferencePlanNeeded}, false, ""},
		{Conference{Kind: ConferenceReview, Outcome: ConferencePlanNeeded, PlanEndReason: PlanEndDied}, true, ""},
		{Conference{Kind: ConferenceReview, Outcome: ConferenceNoPlan, PlanEndReason: PlanEndNewPlan}, true, ""},
	} {
		tc.c.HeldAt = at
		err := CheckConference(&tc.c, at)
		if tc.bad {
			if fs := ErrorFields(err); len(fs) != 1 || fs[0].Field != "plan_end_reason" {
				t.Errorf("%+v: %v, want a problem naming plan_end_reason", tc.c, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%+v: %v", tc.c, err)
		}
		if got := PlanConference(tc.c, true).EndReason; got != tc.want {
			t.Errorf("%+v: ends with %q, want %q", tc.c, got, tc.want)
		}
	}
}
