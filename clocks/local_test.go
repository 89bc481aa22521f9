package clocks_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/clocks"
	"lantern/workday"
)

func TestLocalDue(t *testing.T) {
	b, err := os.ReadFile("../docs/examples/local-timescales.json")
	if err != nil {
		t.Fatal(err)
	}
	l, err := clocks.ParseLocal(b, clocks.WT2023)
	if err != nil {
		t.Fatal(err)
	}
	ew := workday.MustNew(workday.EnglandAndWales)
	lon := lantern.London
	// Thursday 24 December 2026, 16:00: Christmas and the substitute
	// Boxing Day holiday (28th) lie ahead.
	xmasEve := time.Date(2026, 12, 24, 16, 0, 0, 0, lon)
	tests := []struct {
		name  string
		clock string
		f     clocks.Facts
		start time.Time
		want  time.Time
		ok    bool
	}{
		{"every referral: 24 hours", clocks.ReferralDecision, clocks.Facts{}, xmasEve, time.Date(2026, 12, 25, 16, 0, 0, 0, lon), true},
		{"red: the earliest rule wins", clocks.ReferralDecision, clocks.Facts{RAG: lantern.RAGRed}, xmasEve, time.Date(2026, 12, 25, 16, 0, 0, 0, lon), true},
		{"red in the afternoon: 4 working hours", clocks.ReferralDecision, clocks.Facts{RAG: lantern.RAGRed}, time.Date(2026, 12, 2, 15, 0, 0, 0, lon), time.Date(2026, 12, 3, 11, 0, 0, 0, lon), true},
		{"red before opening", clocks.ReferralDecision, clocks.Facts{RAG: lantern.RAGRed}, time.Date(2026, 12, 2, 7, 0, 0, 0, lon), time.Date(2026, 12, 2, 13, 0, 0, 0, lon), true},
		{"green: the 24 hours are tighter", clocks.ReferralDecision, clocks.Facts{RAG: lantern.RAGGreen}, xmasEve, time.Date(2026, 12, 25, 16, 0, 0, 0, lon), true},
		{"no rule for the clock", clocks.Assessment, clocks.Facts{}, xmasEve, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := l.Due(tt.clock, tt.f, tt.start, ew)
			if ok != tt.ok || ok && !got.Equal(tt.want) {
				t.Errorf("Due = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	// Working hours alone, across Christmas and the substitute holiday,
	// and over a weekend.
	red, err := clocks.ParseLocal([]byte(`{"id": "red", "rules": [{"clock": "referral-decision", "n": 4, "unit": "working-hours", "rag": "red"}]}`), clocks.WT2023)
	if err != nil {
		t.Fatal(err)
	}
	for start, want := range map[time.Time]time.Time{
		xmasEve:                                  time.Date(2026, 12, 29, 12, 0, 0, 0, lon),
		time.Date(2026, 12, 5, 11, 0, 0, 0, lon): time.Date(2026, 12, 7, 13, 0, 0, 0, lon),
		time.Date(2026, 12, 4, 17, 0, 0, 0, lon): time.Date(2026, 12, 7, 13, 0, 0, 0, lon),
	} {
		if got, _ := red.Due(clocks.ReferralDecision, clocks.Facts{RAG: lantern.RAGRed}, start, ew); !got.Equal(want) {
			t.Errorf("4 working hours from %v: %v, want %v", start, got, want)
		}
		if _, ok := red.Due(clocks.ReferralDecision, clocks.Facts{RAG: lantern.RAGAmber}, start, ew); ok {
			t.Error("a red rule applied to an amber referral")
		}
	}
	var none *clocks.Local
	if _, ok := none.Due(clocks.ReferralDecision, clocks.Facts{}, xmasEve, ew); ok {
		t.Error("no local timescales set a deadline")
	}
}

func TestParseLocalRefuses(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{`{"rules": []}`, "id"},
		{`{"id": "x", "rules": [{"clock": "core-assessment", "n": 1, "unit": "hours"}]}`, "rules[0]"},
		{`{"id": "x", "rules": [{"clock": "referral-decision", "n": 1, "unit": "months"}]}`, "unit"},
		{`{"id": "x", "rules": [{"clock": "referral-decision", "n": 0, "unit": "hours"}]}`, "n must"},
		{`{"id": "x", "rules": [{"clock": "referral-decision", "n": 1, "unit": "hours", "rag": "blue"}]}`, "rag"},
		{`{"id": "x", "surprise": 1}`, "unknown field"},
		{`{"id": "x", "working_hours": {"start": "17:00", "end": "09:00"}}`, "end after"},
		{`{"id": "x", "working_hours": {"start": "9am"}}`, "working_hours.start"},
	} {
		if _, err := clocks.ParseLocal([]byte(tt.body), clocks.WT2023); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error naming %q", tt.body, err, tt.want)
		}
	}
}

func FuzzParseLocal(f *testing.F) {
	f.Add([]byte(`{"id": "x", "rules": [{"clock": "referral-decision", "n": 4, "unit": "working-hours", "rag": "red"}]}`))
	ew := workday.MustNew(workday.EnglandAndWales)
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := clocks.ParseLocal(b, clocks.WT2023)
		if err != nil {
			return
		}
		for _, r := range l.Rules {
			at, ok := l.Due(r.Clock, clocks.Facts{RAG: r.RAG, ImmediateRisk: r.ImmediateRisk}, time.Date(2026, 12, 24, 16, 0, 0, 0, time.UTC), ew)
			if !ok || at.IsZero() {
				t.Fatalf("rule %+v set no deadline", r)
			}
		}
	})
}
