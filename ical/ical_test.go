package ical_test

import (
	"strings"
	"testing"
	"time"

	"lantern/ical"
)

func TestWriteAndReadBack(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	long := strings.Repeat("Room 101, Civic Centre; Northmoor ", 5) + "é"
	s := ical.Write(ical.Event{UID: "m-1@lantern", Sequence: 3, Start: start, End: start.Add(time.Hour), Stamp: start.Add(-time.Hour),
		Summary: "CSE strategy meeting", Location: long, Description: "Details: https://lantern.example.org/meetings/m-1",
		Attendees: []string{"a@example.org"}})
	for _, l := range strings.Split(s, "\r\n") {
		if len(l) > 75 {
			t.Errorf("line over 75 octets: %q", l)
		}
	}
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Error("a bare newline")
	}
	lines := ical.Unfold(s)
	want := map[string]bool{"BEGIN:VCALENDAR": true, "METHOD:REQUEST": true, "BEGIN:VEVENT": true, "UID:m-1@lantern": true, "SEQUENCE:3": true,
		"DTSTART:20261201T100000Z": true, "DTEND:20261201T110000Z": true, "STATUS:CONFIRMED": true, "END:VEVENT": true, "END:VCALENDAR": true,
		"LOCATION:" + ical.Escape(long): true}
	for _, l := range lines {
		delete(want, l)
	}
	if len(want) > 0 {
		t.Errorf("missing lines %v in\n%s", want, s)
	}
	c := ical.Write(ical.Event{UID: "m-1@lantern", Sequence: 4, Start: start, End: start.Add(time.Hour), Stamp: start, Summary: "x", Cancelled: true})
	if !strings.Contains(c, "METHOD:CANCEL\r\n") || !strings.Contains(c, "STATUS:CANCELLED\r\n") {
		t.Errorf("cancellation: %s", c)
	}
	if got := ical.Escape("a,b;c\\d\ne"); got != `a\,b\;c\\d\ne` {
		t.Errorf("escape: %s", got)
	}
}
