package lantern_test

import (
	"testing"
	"time"

	"lantern"
)

func TestMeetingComingUp(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	m := func(id string, startH, endH int, st lantern.MeetingStatus) *lantern.MeetingSummary {
		return &lantern.MeetingSummary{ID: id, Status: st,
			StartsAt: now.Add(time.Duration(startH) * time.Hour), EndsAt: now.Add(time.Duration(endH) * time.Hour)}
	}
	for _, tc := range []struct {
		m    *lantern.MeetingSummary
		want bool
	}{
		{m("this morning, outcome not yet recorded", -5, -4, lantern.MeetingScheduled), false},
		{m("this morning, held", -5, -4, lantern.MeetingHeld), false},
		{m("under way", -1, 1, lantern.MeetingScheduled), true},
		{m("under way, already recorded as held", -1, 1, lantern.MeetingHeld), false},
		{m("later today", 2, 3, lantern.MeetingScheduled), true},
		{m("later today, did not take place", 2, 3, lantern.MeetingNotHeld), false},
		{m("tomorrow, cancelled", 24, 25, lantern.MeetingCancelled), true},
		{m("ends just now", -2, 0, lantern.MeetingScheduled), false},
	} {
		if got := tc.m.ComingUp(now); got != tc.want {
			t.Errorf("%s: coming up %v, want %v", tc.m.ID, got, tc.want)
		}
	}
	coming, past := lantern.SplitComingUp([]*lantern.MeetingSummary{
		m("a", -5, -4, lantern.MeetingHeld), m("b", -3, -2, lantern.MeetingScheduled), m("c", 2, 3, lantern.MeetingScheduled)}, now)
	if len(coming) != 1 || coming[0].ID != "c" || len(past) != 2 || past[0].ID != "b" || past[1].ID != "a" {
		t.Errorf("split: coming %v, past %v", coming, past)
	}
}
