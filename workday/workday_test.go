package workday_test

import (
	"slices"
	"testing"
	"time"

	"lantern"
	"lantern/workday"
)

func d(s string) lantern.Date {
	v, err := lantern.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func holidaysIn(c *workday.Calendar, year int) []string {
	var out []string
	for t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); t.Year() == year; t = t.AddDate(0, 0, 1) {
		if _, ok := c.Holiday(lantern.DateOf(t)); ok {
			out = append(out, lantern.DateOf(t).String())
		}
	}
	return out
}

func TestBankHolidays(t *testing.T) {
	tests := []struct {
		region workday.Region
		year   int
		want   []string
	}{
		// docs/timescales.md#bank-holidays-and-closures gives England and Wales 2026 and 2027.
		{workday.EnglandAndWales, 2026, []string{"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"}},
		{workday.EnglandAndWales, 2027, []string{"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"}},
		// 2022: the Platinum Jubilee, the moved spring holiday and the State Funeral.
		{workday.EnglandAndWales, 2022, []string{"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"}},
		// 2023: the Coronation.
		{workday.EnglandAndWales, 2023, []string{"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"}},
		// Scotland: 2 January, no Easter Monday, August's first Monday, St Andrew's Day.
		{workday.Scotland, 2026, []string{"2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-08-03", "2026-11-30", "2026-12-25", "2026-12-28"}},
		{workday.Scotland, 2022, []string{"2022-01-03", "2022-01-04", "2022-04-15", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-01", "2022-09-19", "2022-11-30", "2022-12-26", "2022-12-27"}},
		{workday.Scotland, 2023, []string{"2023-01-02", "2023-01-03", "2023-04-07", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-07", "2023-11-30", "2023-12-25", "2023-12-26"}},
		// Northern Ireland: St Patrick's Day and the Boyne, with substitutes.
		{workday.NorthernIreland, 2026, []string{"2026-01-01", "2026-03-17", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-07-13", "2026-08-31", "2026-12-25", "2026-12-28"}},
		{workday.NorthernIreland, 2027, []string{"2027-01-01", "2027-03-17", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-07-12", "2027-08-30", "2027-12-27", "2027-12-28"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.region)+"/"+time.Date(tt.year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"), func(t *testing.T) {
			got := holidaysIn(workday.MustNew(tt.region), tt.year)
			if !slices.Equal(got, tt.want) {
				t.Errorf("holidays\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestAddWorkingDays(t *testing.T) {
	ew := workday.MustNew(workday.EnglandAndWales)
	sc := workday.MustNew(workday.Scotland)
	ni := workday.MustNew(workday.NorthernIreland)
	tests := []struct {
		name string
		cal  *workday.Calendar
		from string
		n    int
		want string
	}{
		{"a Monday, one day", ew, "2026-11-23", 1, "2026-11-24"},
		{"a Friday, one day", ew, "2026-11-20", 1, "2026-11-23"},
		{"a Saturday counts from the Saturday", ew, "2026-11-21", 1, "2026-11-23"},
		{"a Sunday", ew, "2026-11-22", 1, "2026-11-23"},
		{"Christmas Eve 2026 (Thursday): the 25th and substitute 28th closed", ew, "2026-12-24", 1, "2026-12-29"},
		{"across the year end, 15 days", ew, "2026-12-18", 15, "2027-01-13"},
		{"Easter 2026: Maundy Thursday, one day", ew, "2026-04-02", 1, "2026-04-07"},
		{"Easter in Scotland has no Monday holiday", sc, "2026-04-02", 1, "2026-04-06"},
		{"St Andrew's Day 2026 (Monday) in Scotland", sc, "2026-11-27", 1, "2026-12-01"},
		{"St Andrew's Day is a working day in England", ew, "2026-11-27", 1, "2026-11-30"},
		{"St Patrick's Day 2026 (Tuesday) in Northern Ireland", ni, "2026-03-16", 1, "2026-03-18"},
		{"the Boyne 2026 falls on a Sunday: Monday 13th", ni, "2026-07-10", 1, "2026-07-14"},
		{"the State Funeral 2022", ew, "2022-09-16", 1, "2022-09-20"},
		{"45 working days (single assessment)", ew, "2026-11-23", 45, "2027-01-28"},
		{"7 working days (initial assessment)", ew, "2026-12-22", 7, "2027-01-05"},
		{"2 January 2026 in Scotland", sc, "2025-12-31", 1, "2026-01-05"},
		{"2 January 2026 in England", ew, "2025-12-31", 1, "2026-01-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.AddWorkingDays(d(tt.from), tt.n); got != d(tt.want) {
				t.Errorf("%d working days after %s = %s, want %s", tt.n, tt.from, got, tt.want)
			}
		})
	}
}

func TestClosures(t *testing.T) {
	c := workday.MustNew(workday.EnglandAndWales).WithClosures(map[lantern.Date]string{d("2026-11-24"): "Office move"})
	if got := c.AddWorkingDays(d("2026-11-23"), 1); got != d("2026-11-25") {
		t.Errorf("closure not skipped: %s", got)
	}
	if n, ok := c.Holiday(d("2026-11-24")); !ok || n != "Office move" {
		t.Errorf("closure: %q %v", n, ok)
	}
	if workday.MustNew(workday.EnglandAndWales).AddWorkingDays(d("2026-11-23"), 1) != d("2026-11-24") {
		t.Error("closures leaked into the original calendar")
	}
}

func TestAddHoursAcrossClockChanges(t *testing.T) {
	london := lantern.London
	tests := []struct {
		name  string
		start time.Time
		n     int
		want  time.Time
	}{
		// Clocks go forward at 01:00 on 29 March 2026: 72 real hours is 73 on the wall.
		{"spring forward", time.Date(2026, 3, 28, 12, 0, 0, 0, london), 72, time.Date(2026, 3, 31, 13, 0, 0, 0, london)},
		// Clocks go back at 02:00 on 25 October 2026: 72 real hours is 71 on the wall.
		{"fall back", time.Date(2026, 10, 24, 12, 0, 0, 0, london), 72, time.Date(2026, 10, 27, 11, 0, 0, 0, london)},
		{"48 hours, no change", time.Date(2026, 11, 23, 9, 30, 0, 0, london), 48, time.Date(2026, 11, 25, 9, 30, 0, 0, london)},
	}
	for _, tt := range tests {
		if got := workday.AddHours(tt.start, tt.n); !got.Equal(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got.In(london), tt.want)
		}
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-08-31", 6, "2027-02-28"},
		{"2026-05-31", 6, "2026-11-30"},
		{"2026-11-22", 3, "2027-02-22"},
		{"2026-12-15", 6, "2027-06-15"},
		{"2027-10-31", 3, "2028-01-31"},
		{"2028-02-29", 12, "2029-02-28"},
	}
	for _, tt := range tests {
		if got := workday.AddMonths(d(tt.from), tt.n); got != d(tt.want) {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestPublishedListWinsForItsYears(t *testing.T) {
	raw := []byte(`{"england-and-wales":{"division":"england-and-wales","events":[
		{"title":"New Year’s Day","date":"2026-01-01","notes":"","bunting":true},
		{"title":"Extra bank holiday","date":"2026-06-15","notes":"","bunting":true}]}}`)
	hs, err := workday.ParseGovUK(raw)
	if err != nil {
		t.Fatal(err)
	}
	c := workday.MustNew(workday.EnglandAndWales).WithPublished(hs[workday.EnglandAndWales])
	if c.IsWorkingDay(d("2026-06-15")) {
		t.Error("published extra holiday is a working day")
	}
	if !c.IsWorkingDay(d("2026-04-03")) {
		t.Error("a year the list covers keeps holidays it does not list")
	}
	if c.IsWorkingDay(d("2027-03-26")) {
		t.Error("a year the list does not cover lost its rule-based holidays")
	}
	for _, bad := range []string{``, `[]`, `{"wales":{"events":[{"title":"x","date":"2026-01-01"}]}}`,
		`{"scotland":{"events":[{"title":"x","date":"2026-02-30"}]}}`, `{"scotland":{"events":[]}}`} {
		if _, err := workday.ParseGovUK([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func FuzzParseGovUK(f *testing.F) {
	f.Add([]byte(`{"scotland":{"division":"scotland","events":[{"title":"x","date":"2026-01-01"}]}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		hs, err := workday.ParseGovUK(b)
		if err == nil && len(hs) == 0 {
			t.Error("no error and no holidays")
		}
	})
}
