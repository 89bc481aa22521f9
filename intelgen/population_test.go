package intelgen_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"lantern"
	"lantern/intelgen"
	"lantern/store"
)

func popHash(cs []store.PopChild) string {
	h := sha256.New()
	for _, c := range cs {
		b, _ := json.Marshal(c) // the s47 enquiries are pointers: %v would hash their addresses
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestPopulation: an area is the same for the same seed and differs for
// another; the rates docs/figures.md cites hold over 30,000 children;
// every date is inside the years asked and in order (a discussion after
// the concern, enquiries after the discussion, an interview after the
// return); the national preset's areas sum to a million, of different
// sizes, the county about the mean.
func TestPopulation(t *testing.T) {
	today := lantern.Date{Year: 2026, Month: time.March, Day: 31}
	a, b := intelgen.GenerateArea(7, 3, 2000, 10, today), intelgen.GenerateArea(7, 3, 2000, 10, today)
	if popHash(a) != popHash(b) {
		t.Fatal("the same seed gave different areas")
	}
	if popHash(a) == popHash(intelgen.GenerateArea(8, 3, 2000, 10, today)) || popHash(a) == popHash(intelgen.GenerateArea(7, 4, 2000, 10, today)) {
		t.Fatal("another seed or area gave the same children")
	}
	cs := intelgen.GenerateArea(1, 0, 30_000, 10, today)
	start, end := today.AddDays(-3653).Time(), today.Time()
	in := func(what string, at time.Time) {
		t.Helper()
		if at.Before(start) || at.After(end) {
			t.Fatalf("%s at %s, outside %s to %s", what, at, start, end)
		}
	}
	var girls, tenPlus, assessments, missing, meetings, withMeetings, interviews, within72 int
	for _, c := range cs {
		if c.AreaCode != "Z00000001" || c.GivenName == "" || c.FamilyName == "" {
			t.Fatalf("child %+v", c)
		}
		if c.Gender == "female" {
			girls++
		}
		first := c.Concerns[0].RaisedAt
		in("concern", first)
		if lantern.AgeOn(c.DateOfBirth, lantern.DateOf(first)) >= 10 {
			tenPlus++
		}
		assessments += len(c.Assessments)
		for _, x := range c.Assessments {
			in("assessment", x.On.Time())
			if x.On.Before(lantern.DateOf(first)) {
				t.Fatalf("an assessment before the first concern")
			}
		}
		missing += len(c.Missing)
		for _, m := range c.Missing {
			in("missing", m.From)
			if !m.Returned.IsZero() && !m.Returned.After(m.From) {
				t.Fatalf("returned %s before missing %s", m.Returned, m.From)
			}
			if m.Interview {
				interviews++
				if !m.OfferedAt.After(m.Returned) || (!m.HeldAt.IsZero() && m.HeldAt.Before(m.OfferedAt)) || (!m.HeldAt.IsZero() && m.NotHeld != "") {
					t.Fatalf("interview %+v", m)
				}
				if m.OfferedAt.Sub(m.Returned) <= 72*time.Hour {
					within72++
				}
			}
		}
		if len(c.Meetings) > 0 {
			withMeetings++
			meetings += len(c.Meetings)
			for _, m := range c.Meetings {
				in("meeting", m.StartsAt)
			}
		}
		for _, d := range c.Discussions {
			if d.HeldAt.Before(first) {
				t.Fatal("a strategy discussion before the concern")
			}
			if d.S47 != nil && (d.S47.StartedAt.Before(d.HeldAt) || (!d.S47.CompletedAt.IsZero() && d.S47.CompletedAt.Before(d.S47.StartedAt))) {
				t.Fatalf("s47 %+v after a discussion at %s", d.S47, d.HeldAt)
			}
		}
		for _, k := range c.Conferences {
			in("conference", k.HeldAt)
			if k.StartsPlan && !k.PlanEnd.IsZero() && k.PlanEnd.Before(lantern.DateOf(k.HeldAt)) {
				t.Fatal("a plan ended before it began")
			}
		}
	}
	n := float64(len(cs))
	for _, r := range []struct {
		what    string
		got     float64
		low, hi float64
	}{
		{"girls", float64(girls) / n, 0.64, 0.69},
		{"aged 10 or over", float64(tenPlus) / n, 0.79, 0.83},
		{"meetings per child with meetings", float64(meetings) / float64(withMeetings), 2.0, 2.4},
		{"children with meetings", float64(withMeetings) / n, 0.12, 0.15},
		{"assessments per child", float64(assessments) / n, 4.5, 5.5},
		{"missing episodes per child", float64(missing) / n, 1.7, 2.3},
		{"interviews offered within 72 hours", float64(within72) / float64(interviews), 0.75, 0.85},
	} {
		if r.got < r.low || r.got > r.hi {
			t.Errorf("%s: %.3f, want %.2f to %.2f", r.what, r.got, r.low, r.hi)
		}
	}
	sizes := intelgen.AreaSizes(1_000_000, 153)
	sum, least, most := 0, sizes[0], sizes[0]
	for _, s := range sizes {
		sum += s
		least, most = min(least, s), max(most, s)
	}
	if len(sizes) != 153 || sum != 1_000_000 || least > 4000 || most < 12000 {
		t.Errorf("153 areas: %d, sum %d, from %d to %d", len(sizes), sum, least, most)
	}
	if c := intelgen.Presets["county"].Children; c < 6000 || c > 7000 {
		t.Errorf("the county preset has %d children", c)
	}
}
