package clocks_test

import (
	"testing"
	"time"

	"lantern"
	"lantern/clocks"
	"lantern/workday"
)

func TestDueForEveryClockAndProfile(t *testing.T) {
	ew := workday.MustNew(workday.EnglandAndWales)
	sc := workday.MustNew(workday.Scotland)
	london := lantern.London
	// A referral at 16:30 on Christmas Eve 2026 (a Thursday).
	xmasEve := time.Date(2026, 12, 24, 16, 30, 0, 0, time.UTC)
	tests := []struct {
		profile clocks.Profile
		clock   string
		cal     *workday.Calendar
		start   time.Time
		date    string
		at      time.Time // zero: the end of date
	}{
		{clocks.WT2023, clocks.ReferralDecision, ew, xmasEve, "2026-12-29", time.Time{}},
		{clocks.WT2006, clocks.ReferralDecision, ew, xmasEve, "2026-12-29", time.Time{}},
		{clocks.WT2023, clocks.ReferralWrittenFollowup, ew, xmasEve, "2026-12-26", time.Date(2026, 12, 26, 16, 30, 0, 0, london)},
		{clocks.WT2023, clocks.ReferrerFeedback, ew, xmasEve, "2026-12-27", time.Date(2026, 12, 27, 16, 30, 0, 0, london)},
		{clocks.WT2023, clocks.Assessment, ew, xmasEve, "2027-03-02", time.Time{}},
		{clocks.WT2006, clocks.Assessment, ew, xmasEve, "2027-01-07", time.Time{}},
		{clocks.WT2006, clocks.CoreAssessment, ew, time.Date(2027, 1, 7, 10, 0, 0, 0, london), "2027-02-25", time.Time{}},
		{clocks.WT2023, clocks.ICPC, ew, time.Date(2026, 12, 18, 11, 0, 0, 0, london), "2027-01-13", time.Time{}},
		{clocks.WT2023, clocks.ICPC, sc, time.Date(2026, 12, 18, 11, 0, 0, 0, london), "2027-01-14", time.Time{}},
		{clocks.WT2023, clocks.CoreGroup, ew, time.Date(2027, 1, 13, 14, 0, 0, 0, london), "2027-01-27", time.Time{}},
		{clocks.WT2023, clocks.FirstReview, ew, time.Date(2026, 11, 30, 10, 0, 0, 0, london), "2027-02-28", time.Time{}},
		{clocks.WT2006, clocks.NextReview, ew, time.Date(2026, 8, 31, 10, 0, 0, 0, london), "2027-02-28", time.Time{}},
		// 72 hours across the spring clock change: 73 hours on the wall.
		{clocks.WT2023, clocks.ReturnInterview, ew, time.Date(2026, 3, 28, 12, 0, 0, 0, london), "2026-03-31", time.Date(2026, 3, 31, 13, 0, 0, 0, london)},
		{clocks.WT2023, clocks.ToolkitReassessment, ew, time.Date(2026, 11, 22, 9, 0, 0, 0, london), "2027-02-14", time.Time{}},
		// Late in the evening UTC is the next day in London in summer.
		{clocks.WT2023, clocks.ReferralDecision, ew, time.Date(2026, 7, 3, 23, 30, 0, 0, time.UTC), "2026-07-06", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.profile.ID+"/"+tt.clock+"/"+tt.date, func(t *testing.T) {
			r, ok := tt.profile.Rule(tt.clock)
			if !ok {
				t.Fatalf("no rule for %s", tt.clock)
			}
			date, at := clocks.Due(r, tt.start, tt.cal)
			if date.String() != tt.date {
				t.Errorf("due date %s, want %s", date, tt.date)
			}
			want := tt.at
			if want.IsZero() {
				d, _ := lantern.ParseDate(tt.date)
				want = time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 0, london)
			}
			if !at.Equal(want) {
				t.Errorf("due at %v, want %v", at, want)
			}
		})
	}
}

func TestProfiles(t *testing.T) {
	if _, ok := clocks.WT2023.Rule(clocks.CoreAssessment); ok {
		t.Error("wt2023 has one assessment, no core assessment")
	}
	if r, _ := clocks.WT2006.Rule(clocks.Assessment); r.N != 7 {
		t.Errorf("wt2006 initial assessment: %d", r.N)
	}
	if r, _ := clocks.WT2023.Rule(clocks.Assessment); r.N != 45 || r.Text() != "45 working days" {
		t.Errorf("wt2023 single assessment: %+v", r)
	}
	if _, err := clocks.ProfileByID("wt2018"); err == nil {
		t.Error("unknown profile accepted")
	}
}
