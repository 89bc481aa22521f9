// Package ical writes RFC 5545 calendar files: one event, as a meeting
// invitation, an update or a cancellation.
package ical

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Event is what an invitation says: time, place and a link, never case
// details.
type Event struct {
	UID         string
	Sequence    int // bumped on every change, so calendars take the update
	Start, End  time.Time
	Stamp       time.Time
	Summary     string
	Location    string
	Description string
	URL         string
	Cancelled   bool
	Organizer   string // an email address
	Attendees   []string
}

// Write renders a VCALENDAR with one VEVENT: METHOD:REQUEST, or CANCEL for
// a cancellation. Lines end CRLF and are folded at 75 octets.
func Write(e Event) string {
	var b strings.Builder
	line := func(name, value string) { fold(&b, name+":"+value) }
	method, status := "REQUEST", "CONFIRMED"
	if e.Cancelled {
		method, status = "CANCEL", "CANCELLED"
	}
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Lantern//Meetings//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", method)
	line("BEGIN", "VEVENT")
	line("UID", Escape(e.UID))
	line("SEQUENCE", strconv.Itoa(e.Sequence))
	line("DTSTAMP", utc(e.Stamp))
	line("DTSTART", utc(e.Start))
	line("DTEND", utc(e.End))
	line("SUMMARY", Escape(e.Summary))
	if e.Location != "" {
		line("LOCATION", Escape(e.Location))
	}
	if e.Description != "" {
		line("DESCRIPTION", Escape(e.Description))
	}
	if e.URL != "" {
		line("URL", e.URL)
	}
	if e.Organizer != "" {
		line("ORGANIZER", "mailto:"+e.Organizer)
	}
	for _, a := range e.Attendees {
		fold(&b, "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:"+a)
	}
	line("STATUS", status)
	line("END", "VEVENT")
	line("END", "VCALENDAR")
	return b.String()
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// Escape escapes TEXT values: backslash, semicolon, comma and newlines.
func Escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// fold writes a content line, folded so no line exceeds 75 octets, without
// splitting a UTF-8 character.
func fold(b *strings.Builder, s string) {
	const max = 75
	first := true
	for len(s) > 0 {
		limit := max
		if !first {
			limit = max - 1 // the leading space counts
		}
		if len(s) <= limit {
			if !first {
				b.WriteByte(' ')
			}
			b.WriteString(s)
			break
		}
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		if !first {
			b.WriteByte(' ')
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n")
		s = s[cut:]
		first = false
	}
	b.WriteString("\r\n")
}

// Unfold undoes folding and splits into content lines, for reading a file
// back (in tests and by other systems).
func Unfold(s string) []string {
	s = strings.ReplaceAll(s, "\r\n ", "")
	s = strings.ReplaceAll(s, "\r\n\t", "")
	lines := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	return lines
}

// Method is the METHOD property of a calendar, such as "REQUEST" or
// "CANCEL", upper-cased: the one an email carrying the calendar names in its
// Content-Type. It is an error if s is not a VCALENDAR, or has no METHOD,
// or more than one, or one that is not a token. Lines may end CRLF or LF.
func Method(s string) (string, error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\n ", "")
	s = strings.ReplaceAll(s, "\n\t", "")
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) == 0 || !strings.EqualFold(strings.TrimSpace(lines[0]), "BEGIN:VCALENDAR") {
		return "", errors.New("ical: not a VCALENDAR")
	}
	method, depth := "", 0
	for _, l := range lines {
		name, value, _ := strings.Cut(l, ":")
		name, _, _ = strings.Cut(name, ";") // any parameters
		switch {
		case strings.EqualFold(name, "BEGIN"):
			depth++
		case strings.EqualFold(name, "END"):
			depth--
		case depth == 1 && strings.EqualFold(name, "METHOD"): // of the VCALENDAR, not of a component in it
			if method != "" {
				return "", errors.New("ical: more than one METHOD")
			}
			value = strings.ToUpper(strings.TrimSpace(value))
			if value == "" || strings.TrimLeft(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
				return "", errors.New("ical: METHOD is not a token")
			}
			method = value
		}
	}
	if method == "" {
		return "", errors.New("ical: no METHOD")
	}
	return method, nil
}
