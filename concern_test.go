package lantern_test

import (
	"testing"
	"time"

	"lantern"
)

func TestConcernPathway(t *testing.T) {
	tests := []struct {
		from, to lantern.ConcernStep
		ok       bool
	}{
		{lantern.StepRecorded, lantern.StepChecked, true},
		{lantern.StepRecorded, lantern.StepToolkit, false}, // only by recording an assessment
		{lantern.StepRecorded, lantern.StepReferred, false},
		{lantern.StepChecked, lantern.StepMonitor, false},
		{lantern.StepToolkit, lantern.StepMonitor, true},
		{lantern.StepToolkit, lantern.StepReferred, true},
		{lantern.StepMonitor, lantern.StepReferred, true},
		{lantern.StepReferred, lantern.StepStrategyDiscussed, true},
		{lantern.StepStrategyDiscussed, lantern.StepRecorded, false},
	}
	for _, tt := range tests {
		if got := lantern.CanMoveConcern(tt.from, tt.to); got != tt.ok {
			t.Errorf("%s → %s: %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
}

func TestConcernValidate(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	words := "  he said I'd get a phone if I went with them  "
	in := lantern.ConcernInput{RaisedAt: now.Add(-time.Hour), Summary: "Seen getting into a car", Disclosure: true, DisclosureWords: words}
	if err := in.Validate(now); err != nil {
		t.Fatal(err)
	}
	if in.DisclosureWords != words {
		t.Errorf("the young person's words were changed: %q", in.DisclosureWords)
	}
	bad := []struct {
		in    lantern.ConcernInput
		field string
	}{
		{lantern.ConcernInput{RaisedAt: now}, "summary"},
		{lantern.ConcernInput{RaisedAt: now, Summary: "x", Disclosure: true}, "disclosure_words"},
		{lantern.ConcernInput{RaisedAt: now, Summary: "x", ImmediateRisk: true}, "immediate_action"},
		{lantern.ConcernInput{RaisedAt: now.Add(time.Hour), Summary: "x"}, "raised_at"},
		{lantern.ConcernInput{Summary: "x"}, "raised_at"},
	}
	for _, b := range bad {
		err := b.in.Validate(now)
		found := false
		for _, fe := range lantern.ErrorFields(err) {
			found = found || fe.Field == b.field
		}
		if !found {
			t.Errorf("%+v: no error on %s (%v)", b.in, b.field, err)
		}
	}
}
