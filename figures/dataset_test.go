package figures

import (
	"encoding/json"
	"testing"
	"time"

	"lantern"
)

func d(y, m, day int) lantern.Date { return lantern.Date{Year: y, Month: time.Month(m), Day: day} }

func at(y, m, day, h int) *time.Time {
	t := time.Date(y, time.Month(m), day, h, 0, 0, 0, time.UTC)
	return &t
}

// cellOf finds a table's cell by label and column.
func cellOf(t *testing.T, tables []Table, id, label, col string) Value {
	t.Helper()
	for _, tb := range tables {
		if tb.ID != id {
			continue
		}
		for _, r := range tb.Rows {
			if r.Label == label {
				v, ok := r.Values[col]
				if !ok {
					t.Fatalf("%s / %s has no %s", id, label, col)
				}
				return v
			}
		}
		t.Fatalf("%s has no row %q", id, label)
	}
	t.Fatalf("no table %s", id)
	return Value{}
}

func TestDataset(t *testing.T) {
	from, to := d(2026, 4, 1), d(2027, 3, 31)
	facts := Facts{
		Children: []ChildFacts{
			// New in the period (twice: counted once), 14 at the first, high
			// then lower, missing twice in the 12 months to the end.
			{ID: "a", DateOfBirth: d(2012, 1, 1), Gender: "female", Ethnicity: "white-british", LookedAfter: true, PlacedByOther: true,
				Concerns: []lantern.Date{d(2026, 5, 1), d(2026, 9, 1)},
				Levels:   []LevelOn{{On: d(2026, 5, 2), Level: "high"}, {On: d(2026, 8, 1), Level: "medium"}},
				Meetings: []lantern.Date{d(2026, 5, 10)},
				Missing: []Episode{{From: d(2026, 4, 20), Returned: at(2026, 4, 21, 9), Offered: at(2026, 4, 21, 12), Held: at(2026, 4, 23, 9)},
					{From: d(2026, 6, 1), Returned: at(2026, 6, 2, 9), Offered: at(2026, 6, 3, 9), Held: at(2026, 6, 8, 9)},
					{From: d(2024, 1, 1)}}},
			// A concern a year and a half before, and a toolkit 11 months
			// before: open at the start, not new, not open at the end.
			{ID: "b", DateOfBirth: d(2011, 1, 1), Gender: "male", Disabled: true, Concerns: []lantern.Date{d(2024, 10, 1)},
				Levels: []LevelOn{{On: d(2025, 5, 1), Level: "emerging"}}},
			// New, no date of birth, no gender, never assessed; unaccompanied.
			{ID: "c", Concerns: []lantern.Date{d(2027, 3, 31)}, Unaccompanied: true},
			// After the period: not counted.
			{ID: "e", DateOfBirth: d(2010, 1, 1), Gender: "female", Concerns: []lantern.Date{d(2027, 4, 1)}},
			// Long closed: a concern three years before.
			{ID: "f", DateOfBirth: d(2010, 1, 1), Gender: "female", Concerns: []lantern.Date{d(2023, 4, 1)}},
		},
		Response: CountEvents([]Event{{"k1", EvConcern, "a", d(2026, 5, 1)}, {"k2", EvConcern, "a", d(2026, 9, 1)}, {"k3", EvConcern, "c", d(2027, 3, 31)},
			{"m1", EvMeeting, "a", d(2026, 5, 10)}}),
		Clocks: []ClockFact{
			{Clock: "return-interview", Label: "Return interview", Started: *at(2026, 4, 21, 9), Due: *at(2026, 4, 24, 9), Finished: *at(2026, 4, 23, 9)},
			{Clock: "return-interview", Label: "Return interview", Started: *at(2026, 6, 2, 9), Due: *at(2026, 6, 5, 9), Finished: *at(2026, 6, 8, 9)},
			{Clock: "return-interview", Label: "Return interview", Started: *at(2026, 7, 2, 9), Due: *at(2026, 7, 5, 9), Finished: *at(2026, 7, 3, 9)},
		},
		PlanEnds:    []Dated{{d(2026, 7, 1), string(lantern.PlanEndNoLongerAtRisk)}},
		Disruptions: []DisruptionFact{{ID: "x1", Kind: "cawn", On: d(2026, 6, 1)}, {ID: "x2", Kind: "court-outcome", Outcome: "convicted", On: d(2026, 9, 1)}},
		Links: []LinkFact{
			{FromType: "person", FromID: "p1", ToType: "child", ToID: "a", Kind: "associate"},
			{FromType: "person", FromID: "p1", ToType: "place", ToID: "pl1", Kind: "seen-at", PlaceName: "Takeaway"},
			{FromType: "child", FromID: "a", ToType: "place", ToID: "pl1", Kind: "seen-at", PlaceName: "Takeaway"},
			{FromType: "child", FromID: "b", ToType: "place", ToID: "pl1", Kind: "seen-at", PlaceName: "Takeaway"},
			{FromType: "child", FromID: "b", ToType: "place", ToID: "pl2", Kind: "seen-at", PlaceName: "Park"},
			{FromType: "child", FromID: "c", ToType: "account", ToID: "ac1", Kind: "uses"},
			{FromType: "person", FromID: "p2", ToType: "place", ToID: "pl2", Kind: "seen-at", PlaceName: "Park"},
		},
		Persons: map[string]PersonFacts{"p1": {Sex: "male", BirthYear: 1990}, "p2": {}},
	}
	tables := Dataset(facts, from, to, 0)
	for _, tc := range []struct {
		id, label, col string
		want           float64
	}{
		{"prevalence", "New: their first CSE concern in the period", "children", 2},
		{"prevalence", "Open at any time in the period", "children", 3},
		{"prevalence", "Open at the end of the period", "children", 2},
		{"prevalence", "With a CSE concern raised in the period", "children", 2},
		{"level", "Medium", "latest", 1},
		{"level", "High", "highest", 1},
		{"level", "Emerging", "latest", 1},
		{"level", "Not assessed", "latest", 1},
		{"level", "Total", "latest", 3},
		{"age-band", "13 to 15", "children", 2}, // a at 14; b at the period's start, 15
		{"age-band", NotRecorded, "children", 1},
		{"age-band", "Total", "children", 3},
		{"age-band", NotRecorded, "per_cent", 33.3},
		{"sex", "Female", "children", 1},
		{"sex", "Male", "children", 1},
		{"sex", NotRecorded, "children", 1},
		{"ethnicity", "White", "children", 1},
		{"ethnicity", NotRecorded, "children", 2},
		{"looked-after", "Yes", "children", 1},
		{"placed-by-another-area", "Yes", "children", 1},
		{"disability", "Yes", "children", 1},
		{"unaccompanied", "Yes", "children", 1},
		{"persons-sex", "Male", "persons", 1},
		{"persons-sex", NotRecorded, "persons", 0},
		{"persons-age-band", "35 to 44", "persons", 1},
		{"persons-ethnicity", NotRecorded, "persons", 1},
		{"response", "CSE concerns raised", "events", 3},
		{"response", "CSE concerns raised", "children", 2},
		{"response", "CSE strategy meetings held", "events", 1},
		{"response", "Referrals to children's social care", "events", 0},
		{"timeliness", "Return interview", "completed", 3},
		{"timeliness", "Return interview", "within_timescale", 2},
		{"timeliness", "Return interview", "per_cent_within", 66.7},
		{"timeliness", "Return interview", "median_days", 2},
		{"missing", "Children missing in the 12 months to the end of the period", "count", 1},
		{"missing", "Children missing twice or more in those 12 months", "count", 1},
		{"missing", "Episodes ended in the period (returned)", "count", 2},
		{"missing", "Return interviews offered", "count", 2},
		{"missing", "Return interviews held (accepted)", "count", 2},
		{"missing", "Return interviews held within 72 hours of return", "count", 1},
		{"missing", "Return interviews held within 72 hours of return", "per_cent", 50},
		{"level-change", "Lower than at first", "children", 1},
		{"level-change", "Assessed once", "children", 1},
		{"level-change", "Not assessed", "children", 1},
		{"closures", lantern.PlanEndNoLongerAtRisk.Label(), "plans", 1},
		{"disruption", "Child abduction warning notice", "disruptions", 1},
		{"justice", "Convicted", "outcomes", 1},
		{"exploitation", "Online: an online contact or account linked in the period", "children", 1},
		{"exploitation", "Contact: linked to a person of concern in the period", "children", 1},
		{"hotspots", "Takeaway", "children", 2},
		{"hotspots", "Takeaway", "persons", 1},
		{"hotspots", "Park", "persons", 1},
	} {
		if got := cellOf(t, tables, tc.id, tc.label, tc.col); !got.Published() || got.N != tc.want {
			t.Errorf("%s / %s / %s: %+v, want %v", tc.id, tc.label, tc.col, got, tc.want)
		}
	}
	for _, tb := range tables {
		if tb.ID == "hotspots" && tb.Rows[0].Label != "Takeaway" {
			t.Errorf("the hotspots are ranked %+v", tb.Rows)
		}
	}
	if r := cellOf(t, tables, "prevalence", "Open at any time in the period", "rate_per_10000"); r.Symbol != NotAvailable {
		t.Errorf("a rate with no population: %+v", r)
	}
	if r := cellOf(t, tables, "missing", "Children missing in the 12 months to the end of the period", "per_cent"); r.Symbol != NotApplicable {
		t.Errorf("a share of episodes for children: %+v", r)
	}
	if r := cellOf(t, Dataset(facts, from, to, 40_000), "prevalence", "New: their first CSE concern in the period", "rate_per_10000"); r.N != 0.5 {
		t.Errorf("2 in 40,000 per 10,000: %+v", r)
	}
}

// TestCohortInBatches: the store tallies children a batch at a time into
// a Cohort and lets their histories go; the tables are those of every
// child given at once, and a child given twice is counted once.
func TestCohortInBatches(t *testing.T) {
	from, to := d(2026, 4, 1), d(2027, 3, 31)
	kids := []ChildFacts{
		{ID: "a", DateOfBirth: d(2012, 1, 1), Gender: "female", Concerns: []lantern.Date{d(2026, 5, 1)},
			Levels:  []LevelOn{{On: d(2026, 5, 2), Level: "high"}, {On: d(2026, 8, 1), Level: "medium"}},
			Missing: []Episode{{From: d(2026, 4, 20), Returned: at(2026, 4, 21, 9), Held: at(2026, 4, 23, 9)}, {From: d(2026, 6, 1)}}},
		{ID: "b", DateOfBirth: d(2011, 1, 1), Gender: "male", Concerns: []lantern.Date{d(2024, 10, 1)}, Levels: []LevelOn{{On: d(2025, 5, 1), Level: "emerging"}}},
		{ID: "c", Concerns: []lantern.Date{d(2027, 3, 31)}, Unaccompanied: true, LookedAfter: true},
		{ID: "f", Concerns: []lantern.Date{d(2023, 4, 1)}},
	}
	links := []LinkFact{{FromType: "child", FromID: "c", ToType: "account", ToID: "ac1", Kind: "uses"}}
	whole, _ := json.Marshal(Dataset(Facts{Children: kids, Links: links}, from, to, 20_000))
	c := NewCohort(from, to)
	for i := range kids[:2] {
		c.Add(&kids[i])
	}
	if c.Add(&kids[0]) {
		t.Error("a child added twice is counted twice")
	}
	batched, _ := json.Marshal(Dataset(Facts{Cohort: c, Children: kids[1:], Links: links}, from, to, 20_000))
	if string(whole) != string(batched) {
		t.Errorf("in batches:\n%s\nat once:\n%s", batched, whole)
	}
	if c.Size() != 3 {
		t.Errorf("open in the period: %d, want 3", c.Size())
	}
}

// TestRatiosFollowTheirCounts: a per cent or a rate is worked out again
// from the published counts, and hidden where one it needs is.
func TestRatiosFollowTheirCounts(t *testing.T) {
	tb := breakdown("x", "x", []string{"A", "B", "C"}, map[string]int{"A": 3, "B": 40, "C": 57})
	got := Protect(tb, DfE)
	if v := got.Rows[0].Values["per_cent"]; v.Symbol != Suppressed {
		t.Errorf("the share of a suppressed count: %+v", v)
	}
	if v := got.Rows[1].Values["per_cent"]; v.Symbol != Suppressed {
		t.Errorf("the share of the count suppressed second: %+v", v)
	}
	if v := got.Rows[2].Values["per_cent"]; !v.Published() || v.N != 57 {
		t.Errorf("57 of 100: %+v", v)
	}
	r := Protect(breakdown("y", "y", []string{"A", "B"}, map[string]int{"A": 12, "B": 31}), NHS)
	// Rounded: 10 of 45 (the total rounded from 43), not 12 of 43.
	if v := r.Rows[0].Values["per_cent"]; v.N != 22.2 {
		t.Errorf("a share worked out from rounded counts: %+v", v)
	}
}
