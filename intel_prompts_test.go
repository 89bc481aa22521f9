package lantern

import (
	"strings"
	"testing"
)

func TestCheckPromptDecision(t *testing.T) {
	for _, tt := range []struct {
		name   string
		d      PromptDecision
		fields []string
	}{
		{"confirmed", PromptDecision{Decision: PromptConfirmed}, nil},
		{"confirmed with a reason", PromptDecision{Decision: PromptConfirmed, Reason: "Seen together"}, nil},
		{"declined with a reason", PromptDecision{Decision: PromptDeclined, Reason: "She works there"}, nil},
		{"declined without a reason", PromptDecision{Decision: PromptDeclined}, []string{"prompts[0].reason"}},
		{"declined with a blank reason", PromptDecision{Decision: PromptDeclined, Reason: " \n "}, []string{"prompts[0].reason"}},
		{"no decision", PromptDecision{}, []string{"prompts[0].decision"}},
		{"another word", PromptDecision{Decision: "ticked"}, []string{"prompts[0].decision"}},
		{"a reason too long", PromptDecision{Decision: PromptDeclined, Reason: strings.Repeat("x", 2001)}, []string{"prompts[0].reason"}},
		{"a control character", PromptDecision{Decision: PromptDeclined, Reason: "No\x00"}, []string{"prompts[0].reason"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d
			var got []string
			for _, fe := range ErrorFields(CheckPromptDecision(&d, "prompts[0]")) {
				got = append(got, fe.Field)
			}
			if strings.Join(got, " ") != strings.Join(tt.fields, " ") {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
			if d.Reason != strings.TrimSpace(tt.d.Reason) {
				t.Errorf("reason %q not trimmed", d.Reason)
			}
		})
	}
}

func TestPromptText(t *testing.T) {
	on := Date{Year: 2026, Month: 11, Day: 3}
	for _, tt := range []struct {
		ind         string
		reader      bool
		label, via  string
		kind        LinkKind
		want        string
		mustNotName string
	}{
		{IndicatorKnownPerpetrators, false, "Dee", "", LinkAssociate, "Intelligence held links this child to a person of concern (recorded 2026-11-03)", "Dee"},
		{IndicatorHotspotAreas, false, "Chicken Shack", "", LinkSeenAt, "Intelligence held links this child to a place known as a hotspot (recorded 2026-11-03)", "Chicken"},
		{IndicatorKnownPerpetrators, false, "Kane", "+447700900123", LinkCalled, "Intelligence held links this child to a person of concern (recorded 2026-11-03)", "+44"},
		{IndicatorKnownPerpetrators, true, "Dee", "", LinkAssociate, "Intelligence links this child to Dee: Associate of (recorded 2026-11-03)", ""},
		{IndicatorKnownPerpetrators, true, "Kane", "+447700900123", LinkCalled, "Intelligence links this child to Kane through +447700900123: Called (recorded 2026-11-03)", ""},
		{IndicatorHotspotAreas, true, "Chicken Shack", "", LinkSeenAt, "Intelligence links this child to Chicken Shack: Seen at (recorded 2026-11-03)", ""},
	} {
		got := PromptText(tt.ind, on, tt.kind, tt.reader, tt.label, tt.via)
		if got != tt.want {
			t.Errorf("PromptText(%s, %v, %q, %q) = %q, want %q", tt.ind, tt.reader, tt.label, tt.via, got, tt.want)
		}
		if tt.mustNotName != "" && strings.Contains(got, tt.mustNotName) {
			t.Errorf("a partner is told %q: %q", tt.mustNotName, got)
		}
	}
}
