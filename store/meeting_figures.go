package store

import (
	"context"
	"time"

	"lantern"
)

// MeetingPeriod is the count of CSE strategy meetings held in a month or
// quarter, and the distinct children they were about.
type MeetingPeriod struct {
	Label    string `json:"label"`
	Start    string `json:"start"` // YYYY-MM-DD
	Meetings int    `json:"meetings"`
	Children int    `json:"children"`
}

// ActionFigures are a period's meeting actions by how they went.
type ActionFigures struct {
	Due           int `json:"due"`
	DoneOnTime    int `json:"done_on_time"`
	DoneLate      int `json:"done_late"`
	OpenLate      int `json:"open_late"`
	OpenNotYetDue int `json:"open_not_yet_due"`
	// OnTimePercent is of the actions due in the period whose time has
	// come (done, or late): nil when there are none.
	OnTimePercent *int `json:"on_time_percent"`
}

// MeetingFigures are the partnership's figures on meetings for a period.
type MeetingFigures struct {
	From      string                 `json:"from"`
	To        string                 `json:"to"`
	Report    lantern.MeetingsReport `json:"cse_strategy"`
	ByMonth   []MeetingPeriod        `json:"by_month"`
	ByQuarter []MeetingPeriod        `json:"by_quarter"`
	ByKind    map[string]int         `json:"held_by_kind"`
	Actions   ActionFigures          `json:"actions"`
}

// quarterStart is the first day of d's quarter: January to March, April
// to June (the first of the financial year), July to September, October to
// December.
func quarterStart(d lantern.Date) lantern.Date {
	m := ((int(d.Month)-1)/3)*3 + 1
	return lantern.Date{Year: d.Year, Month: time.Month(m), Day: 1}
}

func monthLabel(d lantern.Date) string { return d.Time().Format("January 2006") }

func quarterLabel(d lantern.Date) string {
	end := d.Time().AddDate(0, 2, 0)
	return d.Time().Format("January") + " to " + end.Format("January 2006")
}

// ReportMeetingFigures counts meetings held between two local dates
// (inclusive), by month and quarter, and how their actions went. Counts
// only: no child is named.
func (s *Store) ReportMeetingFigures(ctx context.Context, from, to lantern.Date) (*MeetingFigures, error) {
	rep, err := s.ReportMeetings(ctx, from, to)
	if err != nil {
		return nil, err
	}
	now := s.now()
	start, end := s.d.ts(from.Time()), s.d.ts(lantern.EndOfDay(to))
	f := &MeetingFigures{From: from.String(), To: to.String(), Report: *rep, ByKind: map[string]int{}}
	for _, k := range lantern.MeetingKinds {
		f.ByKind[string(k)] = 0
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.id, m.kind, m.starts_at, COALESCE(mc.child_id, '') FROM meetings m
		LEFT JOIN meeting_children mc ON mc.meeting_id = m.id
		WHERE m.status = 'held' AND m.starts_at >= $1 AND m.starts_at <= $2`, start, end)
	if err != nil {
		return nil, internal("meeting figures", err)
	}
	type bucket struct {
		meetings, children map[string]bool
	}
	months, quarters := map[lantern.Date]*bucket{}, map[lantern.Date]*bucket{}
	kinds := map[string]string{}
	add := func(m map[lantern.Date]*bucket, k lantern.Date, meeting, child string) {
		b := m[k]
		if b == nil {
			b = &bucket{map[string]bool{}, map[string]bool{}}
			m[k] = b
		}
		b.meetings[meeting] = true
		if child != "" {
			b.children[child] = true
		}
	}
	for rows.Next() {
		var id, kind, child string
		var at time.Time
		if err := rows.Scan(&id, &kind, timeScan{&at}, &child); err != nil {
			rows.Close()
			return nil, internal("meeting figures", err)
		}
		kinds[id] = kind
		if kind != "cse-strategy" {
			continue
		}
		d := lantern.DateOf(at.In(lantern.London))
		add(months, lantern.Date{Year: d.Year, Month: d.Month, Day: 1}, id, child)
		add(quarters, quarterStart(d), id, child)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("meeting figures", err)
	}
	for _, k := range kinds {
		f.ByKind[k]++
	}
	// Every month and quarter of the period is listed, held meetings or not.
	for d := (lantern.Date{Year: from.Year, Month: from.Month, Day: 1}); !d.After(to); d = lantern.DateOf(d.Time().AddDate(0, 1, 0)) {
		p := MeetingPeriod{Label: monthLabel(d), Start: d.String()}
		if b := months[d]; b != nil {
			p.Meetings, p.Children = len(b.meetings), len(b.children)
		}
		f.ByMonth = append(f.ByMonth, p)
	}
	for d := quarterStart(from); !d.After(to); d = lantern.DateOf(d.Time().AddDate(0, 3, 0)) {
		p := MeetingPeriod{Label: quarterLabel(d), Start: d.String()}
		if b := quarters[d]; b != nil {
			p.Meetings, p.Children = len(b.meetings), len(b.children)
		}
		f.ByQuarter = append(f.ByQuarter, p)
	}
	// Actions due in the period, by how they went.
	arows, err := s.db.QueryContext(ctx, `SELECT COALESCE(t.status, ma.status), COALESCE(t.done_at, ma.done_at), ma.due_date
		FROM meeting_actions ma LEFT JOIN tasks t ON t.id = ma.task_id
		WHERE ma.due_date >= $1 AND ma.due_date <= $2`, from, to)
	if err != nil {
		return nil, internal("action figures", err)
	}
	defer arows.Close()
	for arows.Next() {
		var status string
		var done *time.Time
		var due lantern.Date
		if err := arows.Scan(&status, ntimeScan{&done}, &due); err != nil {
			return nil, internal("action figures", err)
		}
		deadline := lantern.EndOfDay(due)
		switch {
		case status == string(lantern.TaskClosed):
			continue // closed by a manager: not needed
		case status == string(lantern.TaskDone) && done != nil && !done.After(deadline):
			f.Actions.DoneOnTime++
		case status == string(lantern.TaskDone):
			f.Actions.DoneLate++
		case now.After(deadline):
			f.Actions.OpenLate++
		default:
			f.Actions.OpenNotYetDue++
		}
		f.Actions.Due++
	}
	if err := arows.Err(); err != nil {
		return nil, internal("action figures", err)
	}
	if n := f.Actions.DoneOnTime + f.Actions.DoneLate + f.Actions.OpenLate; n > 0 {
		pct := (f.Actions.DoneOnTime*100 + n/2) / n
		f.Actions.OnTimePercent = &pct
	}
	return f, nil
}
