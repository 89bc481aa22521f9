package figures

import (
	"math/rand/v2"
	"slices"
	"testing"

	"lantern"
)

func TestTrend(t *testing.T) {
	facts := []ChildFacts{
		// Two concerns in April (once), one in June; missing twice in May
		// (once) and in July.
		{ID: "a", Concerns: []lantern.Date{d(2026, 4, 2), d(2026, 4, 30), d(2026, 6, 1)}, Missing: eps(d(2026, 5, 1), d(2026, 5, 9), d(2026, 7, 1))},
		// A concern before the period: counts for missing, not as new.
		{ID: "b", Concerns: []lantern.Date{d(2025, 1, 1)}, Missing: eps(d(2026, 4, 10))},
		// Missing in April before the first concern (in May): not counted
		// in April (no concern by its end), but in May.
		{ID: "c", Concerns: []lantern.Date{d(2026, 5, 20)}, Missing: eps(d(2026, 4, 3), d(2026, 5, 1))},
		// After the period: nothing.
		{ID: "d", Concerns: []lantern.Date{d(2026, 8, 1)}, Missing: eps(d(2026, 7, 1))},
		// Missing outside the period.
		{ID: "e", Concerns: []lantern.Date{d(2026, 7, 31)}, Missing: eps(d(2026, 8, 2))},
	}
	from, to := d(2026, 4, 1), d(2026, 7, 31)
	for _, tc := range []struct {
		period  string
		columns []string
		newIn   []float64
		missing []float64
	}{
		{Month, []string{"2026-04", "2026-05", "2026-06", "2026-07"}, []float64{1, 1, 1, 1}, []float64{1, 2, 0, 1}},
		{Quarter, []string{"2026-27 Q1", "2026-27 Q2"}, []float64{2, 1}, []float64{3, 1}},
		{Year, []string{"2026-27"}, []float64{3}, []float64{3}},
	} {
		tb, err := Trend(facts, from, to, tc.period)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tb.Columns, tc.columns) {
			t.Errorf("%s: columns %v, want %v", tc.period, tb.Columns, tc.columns)
			continue
		}
		if tb.TotalRow || tb.TotalColumn || len(tb.Rows) != 2 || tb.Rows[0].Label != TrendNewConcern || tb.Rows[1].Label != TrendMissing {
			t.Errorf("%s: shape %+v", tc.period, tb)
		}
		for i, c := range tc.columns {
			if v := tb.Rows[0].Values[c]; v != Num(tc.newIn[i]) {
				t.Errorf("%s %s new: %v, want %v", tc.period, c, v, tc.newIn[i])
			}
			if v := tb.Rows[1].Values[c]; v != Num(tc.missing[i]) {
				t.Errorf("%s %s missing: %v, want %v", tc.period, c, v, tc.missing[i])
			}
		}
	}
	if _, err := Trend(facts, from, to, "week"); lantern.ErrorCode(err) != lantern.EINVALID || lantern.ErrorFields(err)[0].Field != "period" {
		t.Errorf("a week: %v", err)
	}
}

// The financial year runs April to March, and its quarters from April.
func TestTrendPeriodBoundaries(t *testing.T) {
	for _, tc := range []struct {
		d      lantern.Date
		period string
		want   string
	}{
		{d(2027, 3, 31), Year, "2026-27"},
		{d(2027, 4, 1), Year, "2027-28"},
		{d(1999, 12, 31), Year, "1999-00"},
		{d(2026, 4, 1), Quarter, "2026-27 Q1"},
		{d(2026, 6, 30), Quarter, "2026-27 Q1"},
		{d(2026, 7, 1), Quarter, "2026-27 Q2"},
		{d(2026, 12, 31), Quarter, "2026-27 Q3"},
		{d(2027, 1, 1), Quarter, "2026-27 Q4"},
		{d(2027, 3, 31), Quarter, "2026-27 Q4"},
		{d(2027, 1, 31), Month, "2027-01"},
		{d(2026, 12, 1), Month, "2026-12"},
	} {
		if got := periodLabel(periodKey(tc.d, tc.period), tc.period); got != tc.want {
			t.Errorf("%s by %s: %s, want %s", tc.d, tc.period, got, tc.want)
		}
	}
	// Ten years monthly is 120 columns; a span inside one month is one.
	tb, _ := Trend(nil, d(2016, 4, 1), d(2026, 3, 31), Month)
	if len(tb.Columns) != 120 || tb.Columns[0] != "2016-04" || tb.Columns[119] != "2026-03" {
		t.Errorf("ten years: %d columns, %v ... %v", len(tb.Columns), tb.Columns[0], tb.Columns[len(tb.Columns)-1])
	}
	if tb, _ := Trend(nil, d(2026, 5, 3), d(2026, 5, 4), Year); len(tb.Columns) != 1 {
		t.Errorf("two days: %v", tb.Columns)
	}
}

// Against the definition, counted the slow way on random children: each
// period's counts are distinct children, so that a year is never the sum
// of its months when a child is in two of them.
func TestTrendRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	day := func() lantern.Date { return d(2024, 1, 1).AddDays(rng.IntN(900)) }
	for range 50 {
		var facts []ChildFacts
		for i := range 40 {
			f := ChildFacts{ID: string(rune('a' + i))}
			for range 1 + rng.IntN(4) {
				f.Concerns = append(f.Concerns, day())
			}
			for range rng.IntN(4) {
				f.Missing = append(f.Missing, Episode{From: day()})
			}
			facts = append(facts, f)
		}
		from, to := day(), day()
		if to.Before(from) {
			from, to = to, from
		}
		for _, period := range TrendPeriods {
			tb, err := Trend(facts, from, to, period)
			if err != nil {
				t.Fatal(err)
			}
			for _, col := range tb.Columns {
				in := func(x lantern.Date) bool {
					return !x.Before(from) && !x.After(to) && periodLabel(periodKey(x, period), period) == col
				}
				var newIn, missing int
				for _, f := range facts {
					if slices.ContainsFunc(f.Concerns, in) {
						newIn++
					}
					for _, e := range f.Missing {
						m := e.From
						if in(m) && slices.ContainsFunc(f.Concerns, func(c lantern.Date) bool {
							return !c.After(to) && periodKey(c, period) <= periodKey(m, period)
						}) {
							missing++
							break
						}
					}
				}
				if got := tb.Rows[0].Values[col]; got != Num(float64(newIn)) {
					t.Fatalf("%s %s new: %v, want %d", period, col, got, newIn)
				}
				if got := tb.Rows[1].Values[col]; got != Num(float64(missing)) {
					t.Fatalf("%s %s missing: %v, want %d", period, col, got, missing)
				}
			}
		}
	}
}

// FuzzTrendPeriod: any period and dates give a table or an error naming
// the period, never a panic, and as many columns as periods spanned.
func FuzzTrendPeriod(f *testing.F) {
	f.Add("month", 2026, 4, 1, 400)
	f.Add("quarter", 1, 1, 1, 7000)
	f.Add("Year", 2026, 13, 40, -5)
	f.Fuzz(func(t *testing.T, period string, y, m, day, span int) {
		from := d(1+abs(y)%2999, 1+abs(m)%12, 1+abs(day)%31).AddDays(0) // a real date, as ParseDate gives
		to := from.AddDays(span % 7400)
		tb, err := Trend([]ChildFacts{{Concerns: []lantern.Date{from, to}, Missing: eps(to)}}, from, to, period)
		if !ValidPeriod(period) {
			if err == nil {
				t.Fatal("no error for", period)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if to.Before(from) {
			return
		}
		if len(tb.Columns) == 0 || len(tb.Columns) != len(tb.Rows[0].Values) {
			t.Fatalf("%d columns", len(tb.Columns))
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

// eps are missing episodes from the days given.
func eps(ds ...lantern.Date) []Episode {
	var out []Episode
	for _, d := range ds {
		out = append(out, Episode{From: d})
	}
	return out
}
