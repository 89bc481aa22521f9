package figures

import (
	"fmt"
	"time"

	"lantern"
)

// Periods a trend is counted in: calendar months, and the financial year
// (April to March) and its quarters (Q1 April to June).
const (
	Month   = "month"
	Quarter = "quarter"
	Year    = "year"
)

// TrendPeriods lists the periods.
var TrendPeriods = []string{Month, Quarter, Year}

// Trend's rows.
const (
	TrendNewConcern = "Children with a CSE concern new in the period"
	TrendMissing    = "Children with a CSE concern with a missing episode in the period"
)

// periodKey numbers the period holding d: months and quarters counted from
// year 0, financial years by the year they start in.
func periodKey(d lantern.Date, period string) int {
	fy := d.Year
	if d.Month < time.April {
		fy--
	}
	switch period {
	case Month:
		return d.Year*12 + int(d.Month) - 1
	case Quarter:
		return fy*4 + (int(d.Month)+8)%12/3
	}
	return fy
}

// periodLabel names period key k: 2026-04, 2026-27 Q1, 2026-27.
func periodLabel(k int, period string) string {
	switch period {
	case Month:
		return fmt.Sprintf("%04d-%02d", k/12, k%12+1)
	case Quarter:
		return fmt.Sprintf("%04d-%02d Q%d", k/4, (k/4+1)%100, k%4+1)
	}
	return fmt.Sprintf("%04d-%02d", k, (k+1)%100)
}

// ValidPeriod reports whether p is month, quarter or year.
func ValidPeriod(p string) bool { return p == Month || p == Quarter || p == Year }

// Trend counts, for each period from..to (the first and last cut to from
// and to), the distinct children with a CSE concern raised in it, and the
// distinct children with a CSE concern raised by its end who had a missing
// episode beginning in it. A child counts once in a period however many
// concerns or episodes they had there, and periods are never added
// together: the table has no total. Columns are the periods, in order,
// named as periodLabel does; an unknown period is an error naming it.
func Trend(facts []ChildFacts, from, to lantern.Date, period string) (Table, error) {
	c, err := NewTrend(from, to, period)
	if err != nil {
		return Table{}, err
	}
	for i := range facts {
		c.Add(&facts[i])
	}
	return c.Table(), nil
}

// TrendCounter counts a trend (Trend) a child at a time, so that a
// country's children are counted as they are read, never held together.
type TrendCounter struct {
	from, to       lantern.Date
	period         string
	first          int
	newIn, missing []int
	seen           map[int]bool
}

// NewTrend is a counter of the trend from..to by period; an unknown period
// is an error naming it.
func NewTrend(from, to lantern.Date, period string) (*TrendCounter, error) {
	if !ValidPeriod(period) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "period", Message: "Period must be month, quarter or year"})
	}
	c := &TrendCounter{from: from, to: to, period: period, seen: map[int]bool{}}
	if !to.Before(from) {
		c.first = periodKey(from, period)
		n := periodKey(to, period) - c.first + 1
		c.newIn, c.missing = make([]int, n), make([]int, n)
	}
	return c, nil
}

// Add counts one child: their concerns (in the period, and their first
// before it) and missing episodes.
func (c *TrendCounter) Add(f *ChildFacts) {
	if c.newIn == nil {
		return
	}
	from, to, period, seen := c.from, c.to, c.period, c.seen
	// The period of the child's first concern: they count for missing
	// from the period it falls in onwards.
	clear(seen)
	earliest := -1
	for _, d := range f.Concerns {
		if d.After(to) {
			continue
		}
		k := periodKey(d, period)
		if earliest < 0 || k < earliest {
			earliest = k
		}
		if d.Before(from) || seen[k] {
			continue
		}
		seen[k] = true
		c.newIn[k-c.first]++
	}
	if earliest < 0 {
		return
	}
	clear(seen)
	for _, e := range f.Missing {
		d := e.From
		if d.Before(from) || d.After(to) {
			continue
		}
		k := periodKey(d, period)
		// Only once a concern has been raised (by the period's end).
		if k < earliest || seen[k] {
			continue
		}
		seen[k] = true
		c.missing[k-c.first]++
	}
}

// Table is the trend counted so far.
func (c *TrendCounter) Table() Table {
	t := Table{ID: "trend", Title: "Children with a CSE concern, and those of them missing, by " + c.period}
	if c.newIn == nil {
		return t
	}
	rowNew := Row{Label: TrendNewConcern, Values: map[string]Value{}}
	rowMissing := Row{Label: TrendMissing, Values: map[string]Value{}}
	for i := range c.newIn {
		col := periodLabel(c.first+i, c.period)
		t.Columns = append(t.Columns, col)
		rowNew.Values[col] = Num(float64(c.newIn[i]))
		rowMissing.Values[col] = Num(float64(c.missing[i]))
	}
	t.Rows = []Row{rowNew, rowMissing}
	return t
}
