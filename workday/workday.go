// Package workday counts working days in the UK's three bank-holiday
// regions, and hours and months, exactly as the statutory timescales
// define them (docs/timescales.md#how-time-is-counted). It is pure: holidays come
// from rules, from GOV.UK's published list when one is given, and from
// closure days an administrator adds.
package workday

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/gb"

	"lantern"
)

// Region is a bank-holiday region, as GOV.UK names them.
type Region string

const (
	EnglandAndWales Region = "england-and-wales"
	Scotland        Region = "scotland"
	NorthernIreland Region = "northern-ireland"
)

// Regions lists the regions.
var Regions = []Region{EnglandAndWales, Scotland, NorthernIreland}

func (r Region) Valid() bool { return slices.Contains(Regions, r) }

// Holidays that rickar/cal does not hold.
var (
	// The State Funeral of Queen Elizabeth II, 19 September 2022, everywhere.
	stateFuneral = &cal.Holiday{Name: "Bank Holiday for the State Funeral of Queen Elizabeth II", Type: cal.ObservanceBank,
		Month: time.September, Day: 19, Func: cal.CalcDayOfMonth, StartYear: 2022, EndYear: 2022}
	weekendSubstitute = []cal.AltDay{{Day: time.Saturday, Offset: 2}, {Day: time.Sunday, Offset: 1}}
	// Scotland's 2 January. When 1 January is a Sunday the 2nd stays on the
	// Monday and New Year's Day's substitute takes the Tuesday.
	secondJanuary = &cal.Holiday{Name: "2nd January", Type: cal.ObservanceBank, Month: time.January, Day: 2, Func: cal.CalcDayOfMonth,
		Observed: []cal.AltDay{{Day: time.Saturday, Offset: 2}, {Day: time.Sunday, Offset: 2}}}
	stAndrews = &cal.Holiday{Name: "St Andrew's Day", Type: cal.ObservanceBank, Month: time.November, Day: 30,
		Func: cal.CalcDayOfMonth, Observed: weekendSubstitute}
	stPatricks = &cal.Holiday{Name: "St Patrick's Day", Type: cal.ObservanceBank, Month: time.March, Day: 17,
		Func: cal.CalcDayOfMonth, Observed: weekendSubstitute}
	boyne = &cal.Holiday{Name: "Battle of the Boyne (Orangemen's Day)", Type: cal.ObservanceBank, Month: time.July, Day: 12,
		Func: cal.CalcDayOfMonth, Observed: weekendSubstitute}
	// New Year's Day in Scotland moves past 2 January when 1 January is a
	// Saturday (to Monday 3rd) or Sunday (to Tuesday 3rd, after the 2nd).
	scotNewYear = aa.NewYear.Clone(&cal.Holiday{Name: "New Year's Day", Type: cal.ObservanceBank,
		Observed: []cal.AltDay{{Day: time.Saturday, Offset: 2}, {Day: time.Sunday, Offset: 2}}})
)

// rules are each region's holidays.
var rules = map[Region][]*cal.Holiday{
	EnglandAndWales: append(slices.Clone(gb.Holidays), stateFuneral),
	Scotland: {scotNewYear, secondJanuary, gb.GoodFriday, gb.EarlyMay, gb.VEDay, gb.CoronationDay, gb.SpringHoliday, gb.SpringHoliday2022,
		gb.PlatinumJubilee, gb.SummerHolidayScotland, stAndrews, gb.ChristmasDay, gb.BoxingDay, stateFuneral},
	NorthernIreland: append(slices.Clone(gb.Holidays), stPatricks, boyne, stateFuneral),
}

// Calendar says which days are working days in a region. It is safe for
// concurrent use.
type Calendar struct {
	region Region
	// published holds GOV.UK's list: for the years it covers it is used
	// instead of the rules.
	published map[int]map[lantern.Date]string
	closures  map[lantern.Date]string

	mu    sync.Mutex
	years map[int]map[lantern.Date]string
}

// New returns the calendar of a region.
func New(r Region) (*Calendar, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("unknown bank-holiday region %q: use england-and-wales, scotland or northern-ireland", r)
	}
	return &Calendar{region: r, closures: map[lantern.Date]string{}, years: map[int]map[lantern.Date]string{}}, nil
}

// MustNew is New for a region known to be valid.
func MustNew(r Region) *Calendar {
	c, err := New(r)
	if err != nil {
		panic(err)
	}
	return c
}

// Region is the calendar's region.
func (c *Calendar) Region() Region { return c.region }

// WithClosures returns a copy that also closes these days (one-off bank
// holidays announced at short notice, or the area's own closures).
func (c *Calendar) WithClosures(days map[lantern.Date]string) *Calendar {
	n := &Calendar{region: c.region, published: c.published, closures: map[lantern.Date]string{}, years: map[int]map[lantern.Date]string{}}
	for d, name := range c.closures {
		n.closures[d] = name
	}
	for d, name := range days {
		n.closures[d] = name
	}
	return n
}

// WithPublished returns a copy that uses a published list of the region's
// holidays for the years the list covers.
func (c *Calendar) WithPublished(hs []Holiday) *Calendar {
	n := &Calendar{region: c.region, published: map[int]map[lantern.Date]string{}, closures: c.closures, years: map[int]map[lantern.Date]string{}}
	for _, h := range hs {
		y := n.published[h.Date.Year]
		if y == nil {
			y = map[lantern.Date]string{}
			n.published[h.Date.Year] = y
		}
		y[h.Date] = h.Name
	}
	return n
}

// holidays are a year's holidays, worked out once.
func (c *Calendar) holidays(year int) map[lantern.Date]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if hs, ok := c.years[year]; ok {
		return hs
	}
	hs := map[lantern.Date]string{}
	if pub, ok := c.published[year]; ok {
		for d, n := range pub {
			hs[d] = n
		}
	} else {
		for _, h := range rules[c.region] {
			if _, observed := h.Calc(year); !observed.IsZero() {
				hs[lantern.DateOf(observed)] = h.Name
			}
		}
	}
	c.years[year] = hs
	return hs
}

// Holiday names the bank holiday or closure on d, if there is one.
func (c *Calendar) Holiday(d lantern.Date) (string, bool) {
	if n, ok := c.closures[d]; ok {
		return n, true
	}
	n, ok := c.holidays(d.Year)[d]
	return n, ok
}

// IsWorkingDay reports whether d is Monday to Friday and neither a bank
// holiday nor a closure day.
func (c *Calendar) IsWorkingDay(d lantern.Date) bool {
	switch d.Time().Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	_, hol := c.Holiday(d)
	return !hol
}

// AddWorkingDays is the date of the n-th working day strictly after d. An
// event on a Saturday counts from that Saturday, so one working day after
// it is the Monday (or the next working day). n must be at least 1.
func (c *Calendar) AddWorkingDays(d lantern.Date, n int) lantern.Date {
	t := d.Time()
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if c.IsWorkingDay(lantern.DateOf(t)) {
			n--
		}
	}
	return lantern.DateOf(t)
}

// WorkingDaysBetween counts the working days after a up to and including b.
func (c *Calendar) WorkingDaysBetween(a, b lantern.Date) int {
	n := 0
	for t := a.Time().AddDate(0, 0, 1); !lantern.DateOf(t).After(b); t = t.AddDate(0, 0, 1) {
		if c.IsWorkingDay(lantern.DateOf(t)) {
			n++
		}
	}
	return n
}

// AddHours is t plus n real elapsed hours, whatever the day, across changes
// of the clocks.
func AddHours(t time.Time, n int) time.Time { return t.Add(time.Duration(n) * time.Hour) }

// AddMonths is the same day of the month n months after d, or that month's
// last day where it has no such day (31 January + 1 month = 28 or 29 February).
func AddMonths(d lantern.Date, n int) lantern.Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	m %= 12
	if m < 0 {
		m += 12
		y--
	}
	last := time.Date(y, time.Month(m+2), 0, 0, 0, 0, 0, time.UTC).Day()
	return lantern.Date{Year: y, Month: time.Month(m + 1), Day: min(d.Day, last)}
}

// AddDays is d plus n calendar days.
func AddDays(d lantern.Date, n int) lantern.Date { return lantern.DateOf(d.Time().AddDate(0, 0, n)) }
