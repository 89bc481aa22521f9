package lantern

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func fields(err error) []string {
	var out []string
	for _, fe := range ErrorFields(err) {
		out = append(out, fe.Field)
	}
	slices.Sort(out)
	return out
}

func TestWhatIsReferred(t *testing.T) {
	for _, tt := range []struct {
		refer, immediate, want bool
	}{{false, false, false}, {true, false, true}, {false, true, true}, {true, true, true}} {
		if got := RefersConcern(tt.refer, tt.immediate); got != tt.want {
			t.Errorf("RefersConcern(%v, %v) = %v", tt.refer, tt.immediate, got)
		}
	}
	for _, tt := range []struct {
		level string
		kind  AgencyKind
		want  bool
	}{
		{"medium", KindEducation, true}, {"high", KindPolice, true}, {"emerging", KindHealth, false},
		{"none", KindHousing, false}, {"high", KindChildrensSocialCare, false}, {"medium", KindVoluntary, true},
	} {
		if got := ToolkitRefers(tt.level, tt.kind); got != tt.want {
			t.Errorf("ToolkitRefers(%s, %s) = %v", tt.level, tt.kind, got)
		}
	}
}

func TestSecondAgency(t *testing.T) {
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	k := func(agency string, d time.Duration) *Concern { return &Concern{AgencyID: agency, RaisedAt: at.Add(d)} }
	for _, tt := range []struct {
		name   string
		others []*Concern
		want   bool
	}{
		{"none", nil, false},
		{"the same agency", []*Concern{k("school", -time.Hour)}, false},
		{"another, the day before", []*Concern{k("police", -24*time.Hour)}, true},
		{"another, just inside seven days", []*Concern{k("police", -SecondAgencyWindow+time.Minute)}, true},
		{"another, seven days before", []*Concern{k("police", -SecondAgencyWindow)}, false},
		{"another, recorded later for an earlier time", []*Concern{k("health", 3*24*time.Hour)}, true},
	} {
		if got := SecondAgency("school", at, tt.others); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

func TestCheckRating(t *testing.T) {
	amber := &Rating{RAG: RAGAmber, Rationale: "Older boyfriend"}
	for _, tt := range []struct {
		name      string
		last      *Rating
		rag       RAG
		rationale string
		want      []string
	}{
		{"first", nil, RAGRed, "Missing overnight", nil},
		{"no rationale", nil, RAGRed, "  ", []string{"rationale"}},
		{"another system's form", nil, "B2", "x", []string{"rag"}},
		{"a change with the old rationale", amber, RAGRed, " older boyfriend ", []string{"rationale"}},
		{"a change with a new one", amber, RAGRed, "Missing overnight on Friday", nil},
		{"the same rating again, the same words", amber, RAGAmber, "Older boyfriend", nil},
		{"too long", nil, RAGGreen, strings.Repeat("x", 5001), []string{"rationale"}},
	} {
		if got := fields(CheckRating(tt.last, tt.rag, tt.rationale)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: fields %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCheckConsentAndDecision(t *testing.T) {
	for _, tt := range []struct {
		state  Consent
		reason string
		want   []string
	}{
		{ConsentGiven, "", nil}, {ConsentNotSought, "", []string{"reason"}}, {ConsentNotSought, "Would alert the adult", nil},
		{"maybe", "", []string{"consent"}},
	} {
		if got := fields(CheckConsent(tt.state, tt.reason)); !slices.Equal(got, tt.want) {
			t.Errorf("CheckConsent(%s, %q): %q, want %q", tt.state, tt.reason, got, tt.want)
		}
	}
	allocated := &Child{ChildDetails: ChildDetails{AllocatedSocialWorkerID: "sw"}}
	for _, tt := range []struct {
		d      ReferralDecision
		reason string
		child  *Child
		want   []string
	}{
		{DecideAssessment, "", &Child{}, nil},
		{DecideNoFurtherAction, "", &Child{}, []string{"decision_reason"}},
		{DecideNoFurtherAction, "Known to early help", &Child{}, nil},
		{DecideAlreadyOpen, "", &Child{}, []string{"decision"}},
		{DecideAlreadyOpen, "", allocated, nil},
	} {
		if got := fields(CheckDecision(tt.d, tt.reason, tt.child)); !slices.Equal(got, tt.want) {
			t.Errorf("CheckDecision(%s, %q): %q, want %q", tt.d, tt.reason, got, tt.want)
		}
	}
	if !DecideAlreadyOpen.EndsAssessment() || DecideStrategyDiscussion.EndsAssessment() {
		t.Error("already open ends the assessment's clock; a strategy discussion does not")
	}
}

func TestInfoRequestInput(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		in   InfoRequestInput
		want []string
	}{
		{"good", InfoRequestInput{AgencyID: "a", Question: "Attendance?", DueAt: now.Add(4 * time.Hour)}, nil},
		{"empty", InfoRequestInput{}, []string{"agency_id", "due_at", "question"}},
		{"in the past", InfoRequestInput{AgencyID: "a", Question: "q", DueAt: now.Add(-time.Minute)}, []string{"due_at"}},
		{"too far", InfoRequestInput{AgencyID: "a", Question: "q", DueAt: now.Add(15 * 24 * time.Hour)}, []string{"due_at"}},
	} {
		if got := fields(tt.in.Validate(now)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	for attempts, want := range map[int]time.Duration{0: time.Minute, 1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute,
		6: 32 * time.Minute, 7: time.Hour, 50: time.Hour} {
		if got := RetryAfter(attempts); got != want {
			t.Errorf("RetryAfter(%d) = %v, want %v", attempts, got, want)
		}
	}
}

func TestParseFrontDoorQuery(t *testing.T) {
	yes, no := true, false
	for _, tt := range []struct {
		q    map[string][]string
		want FrontDoorFilter
		bad  []string
	}{
		{map[string][]string{}, FrontDoorFilter{}, nil},
		{map[string][]string{"rag": {"red,amber", "red"}}, FrontDoorFilter{RAGs: []RAG{RAGRed, RAGAmber}}, nil},
		{map[string][]string{"rag": {"unrated"}, "immediate_risk": {"true"}, "late": {"false"}},
			FrontDoorFilter{RAGUnrated: true, ImmediateRisk: &yes, Late: &no}, nil},
		{map[string][]string{"rag": {"purple"}, "late": {"yes"}}, FrontDoorFilter{}, []string{"late", "rag"}},
	} {
		f, err := ParseFrontDoorQuery(tt.q)
		if got := fields(err); !slices.Equal(got, tt.bad) {
			t.Errorf("%v: fields %q, want %q", tt.q, got, tt.bad)
			continue
		}
		if err == nil && (!slices.Equal(f.RAGs, tt.want.RAGs) || f.RAGUnrated != tt.want.RAGUnrated ||
			(f.ImmediateRisk == nil) != (tt.want.ImmediateRisk == nil) || (f.Late == nil) != (tt.want.Late == nil) ||
			f.ImmediateRisk != nil && *f.ImmediateRisk != *tt.want.ImmediateRisk || f.Late != nil && *f.Late != *tt.want.Late) {
			t.Errorf("%v: %+v, want %+v", tt.q, f, tt.want)
		}
	}
}
