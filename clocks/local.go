package clocks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"lantern"
	"lantern/workday"
)

// Local is an area's own timescales (docs/timescales.md#local-timescales),
// loaded from a file: rules that tighten a statutory clock, for every task
// of the clock or only where a referral is rated or at immediate risk. The
// statutory deadline is kept on the task as it was; the local one is
// recorded beside it, with the local profile's id.
type Local struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// WorkingHours bound "working-hours" rules: "09:00" to "17:00" when
	// not given.
	WorkingHours struct {
		Start string `json:"start"`
		End   string `json:"end"`
	} `json:"working_hours"`
	Rules []LocalRule `json:"rules"`

	start, end time.Duration // of the day, parsed
}

// WorkingHoursUnit counts hours within the working hours of working days.
const WorkingHoursUnit Unit = "working-hours"

// LocalRule tightens one clock.
type LocalRule struct {
	Clock string `json:"clock"`
	N     int    `json:"n"`
	Unit  Unit   `json:"unit"`
	// RAG, when given, limits the rule to referrals rated so.
	RAG lantern.RAG `json:"rag,omitempty"`
	// ImmediateRisk, when true, limits the rule to referrals with it.
	ImmediateRisk bool `json:"immediate_risk,omitempty"`
	// Source says where the rule comes from, e.g. a local procedure.
	Source string `json:"source,omitempty"`
}

// Facts are what a local rule may depend on.
type Facts struct {
	RAG           lantern.RAG
	ImmediateRisk bool
}

// MaxLocalFile bounds a local timescales file.
const MaxLocalFile = 1 << 20

// ParseLocal reads a local timescales file, strictly: unknown fields, a
// clock with no statutory rule, a unit it cannot count or an empty id are
// errors that name the rule.
func ParseLocal(b []byte, statutory Profile) (*Local, error) {
	if len(b) > MaxLocalFile {
		return nil, fmt.Errorf("local timescales: the file is over %d bytes", MaxLocalFile)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var l Local
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("local timescales: %w", err)
	}
	if l.ID == "" || len(l.ID) > 64 {
		return nil, fmt.Errorf("local timescales: give an id of 1 to 64 characters")
	}
	if l.Name == "" {
		l.Name = l.ID
	}
	var err error
	if l.start, err = clockTime(l.WorkingHours.Start, 9*time.Hour); err != nil {
		return nil, fmt.Errorf("local timescales: working_hours.start: %w", err)
	}
	if l.end, err = clockTime(l.WorkingHours.End, 17*time.Hour); err != nil {
		return nil, fmt.Errorf("local timescales: working_hours.end: %w", err)
	}
	if l.end <= l.start {
		return nil, fmt.Errorf("local timescales: working_hours must end after they start")
	}
	if len(l.Rules) > 100 {
		return nil, fmt.Errorf("local timescales: at most 100 rules")
	}
	for i, r := range l.Rules {
		if _, ok := statutory.Rule(r.Clock); !ok {
			return nil, fmt.Errorf("local timescales: rules[%d]: %q is not a clock of the %s profile", i, r.Clock, statutory.ID)
		}
		switch r.Unit {
		case Hours, WorkingHoursUnit, WorkingDays:
		default:
			return nil, fmt.Errorf("local timescales: rules[%d]: unit must be hours, working-hours or working-days", i)
		}
		if r.N < 1 || r.N > 1000 {
			return nil, fmt.Errorf("local timescales: rules[%d]: n must be 1 to 1000", i)
		}
		if r.RAG != "" && !r.RAG.Valid() {
			return nil, fmt.Errorf("local timescales: rules[%d]: rag must be red, amber or green", i)
		}
	}
	return &l, nil
}

func clockTime(s string, def time.Duration) (time.Duration, error) {
	if s == "" {
		return def, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("give a time like 09:00")
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// Due is the earliest deadline the local rules set for a clock started at
// start, given the facts; false when none applies.
func (l *Local) Due(clock string, f Facts, start time.Time, cal *workday.Calendar) (time.Time, bool) {
	if l == nil {
		return time.Time{}, false
	}
	var best time.Time
	for _, r := range l.Rules {
		if r.Clock != clock || r.RAG != "" && r.RAG != f.RAG || r.ImmediateRisk && !f.ImmediateRisk {
			continue
		}
		var at time.Time
		switch r.Unit {
		case WorkingHoursUnit:
			at = l.addWorkingHours(start, r.N, cal)
		case WorkingDays:
			_, at = Due(Rule{Clock: clock, N: r.N, Unit: WorkingDays}, start, cal)
		default:
			at = start.Add(time.Duration(r.N) * time.Hour)
		}
		if best.IsZero() || at.Before(best) {
			best = at
		}
	}
	return best.In(lantern.London), !best.IsZero()
}

// addWorkingHours counts n hours within the working hours of working days
// (London time) from start: a referral received at 16:00 with four working
// hours to go, and work ending at 17:00, is due at 12:00 the next working day.
func (l *Local) addWorkingHours(start time.Time, n int, cal *workday.Calendar) time.Time {
	left := time.Duration(n) * time.Hour
	t := start.In(lantern.London)
	for range 10000 {
		d := lantern.DateOf(t)
		midnight := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, lantern.London)
		open, shut := midnight.Add(l.start), midnight.Add(l.end)
		if !cal.IsWorkingDay(d) || !t.Before(shut) {
			t = midnight.AddDate(0, 0, 1)
			continue
		}
		if t.Before(open) {
			t = open
		}
		if room := shut.Sub(t); left <= room {
			return t.Add(left)
		} else {
			left -= room
			t = midnight.AddDate(0, 0, 1)
		}
	}
	return t
}
