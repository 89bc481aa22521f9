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

func TestMethod(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ev := ical.Event{UID: "m-1@lantern", Start: start, End: start.Add(time.Hour), Stamp: start, Summary: "x"}
	if m, err := ical.Method(ical.Write(ev)); m != "REQUEST" || err != nil {
		t.Errorf("request: %q, %v", m, err)
	}
	ev.Cancelled = true
	if m, err := ical.Method(ical.Write(ev)); m != "CANCEL" || err != nil {
		t.Errorf("cancel: %q, %v", m, err)
	}
	for _, c := range []struct {
		in, want string
	}{
		{"BEGIN:VCALENDAR\nmethod;X-A=b:request\nEND:VCALENDAR\n", "REQUEST"}, // LF, case, parameters
		{"BEGIN:VCALENDAR\r\nMETH\r\n OD:CANCEL\r\nEND:VCALENDAR", "CANCEL"},  // folded
		{"", ""},
		{"METHOD:REQUEST\r\n", ""}, // not a calendar
		{"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", ""},
		{"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nMETHOD:REQUEST\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", ""}, // not the calendar's
		{"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n", ""},
		{"BEGIN:VCALENDAR\r\nMETHOD:\r\nEND:VCALENDAR\r\n", ""},
		{"BEGIN:VCALENDAR\r\nMETHOD:REQUEST; x=y\r\nEND:VCALENDAR\r\n", ""},
	} {
		m, err := ical.Method(c.in)
		if m != c.want || (err == nil) != (c.want != "") {
			t.Errorf("Method(%q) = %q, %v; want %q", c.in, m, err, c.want)
		}
	}
}
