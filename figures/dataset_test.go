package figures

import (
	"testing"
	"time"

	"lantern"
)

func d(y, m, day int) lantern.Date { return lantern.Date{Year: y, Month: timeMonth(m), Day: day} }

func TestDataset(t *testing.T) {
	from, to := d(2026, 4, 1), d(2027, 3, 31)
	facts := []ChildFacts{
		// New in the period (twice: counted once), 14 at the first, high, missing twice before it.
		{ID: "a", DateOfBirth: d(2012, 1, 1), Gender: "female", LatestLevel: "high", Concerns: []lantern.Date{d(2026, 5, 1), d(2026, 9, 1)},
			Missing: []lantern.Date{d(2026, 1, 1), d(2026, 4, 20), d(2024, 1, 1)}},
		// Before the period only.
		{ID: "b", DateOfBirth: d(2011, 1, 1), Gender: "male", Concerns: []lantern.Date{d(2025, 6, 1)}},
		// New, no date of birth, no gender, never assessed.
		{ID: "c", Concerns: []lantern.Date{d(2027, 3, 31)}},
		// After the period.
		{ID: "d", DateOfBirth: d(2010, 1, 1), Gender: "female", Concerns: []lantern.Date{d(2027, 4, 1)}},
	}
	tables := Dataset(facts, from, to, 0)
	get := func(id, label string) Value {
		for _, tb := range tables {
			if tb.ID != id {
				continue
			}
			for _, r := range tb.Rows {
				if r.Label == label {
					return r.Values["children"]
				}
			}
		}
		t.Fatalf("no %s / %s", id, label)
		return Value{}
	}
	for _, tc := range []struct {
		id, label string
		want      float64
	}{
		{"prevalence", "Children with a CSE concern new in the period", 2},
		{"prevalence", "Children with a CSE concern by the end of the period", 3},
		{"age-band", "13 to 15", 1},
		{"age-band", NotRecorded, 1},
		{"age-band", "Total", 2},
		{"sex", "Female", 1},
		{"sex", NotRecorded, 1},
		{"latest-level", "High", 1},
		{"latest-level", "Not assessed", 1},
		{"missing", "New in the period, with a missing episode in the 12 months before", 1},
		{"missing", "New in the period, missing twice or more in the 12 months before", 1},
	} {
		if got := get(tc.id, tc.label); !got.Published() || got.N != tc.want {
			t.Errorf("%s / %s: %+v, want %v", tc.id, tc.label, got, tc.want)
		}
	}
	if r := tables[0].Rows[0].Values["rate_per_10000"]; r.Symbol != NotAvailable {
		t.Errorf("a rate with no population: %+v", r)
	}
	if r := Dataset(facts, from, to, 40_000)[0].Rows[0].Values["rate_per_10000"]; r.N != 0.5 {
		t.Errorf("2 in 40,000 per 10,000: %+v", r)
	}
}

func timeMonth(m int) time.Month { return time.Month(m) }
