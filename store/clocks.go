package store

import (
	"context"
	"time"

	"lantern"
	"lantern/clocks"
	"lantern/workday"
)

// workCalendar is the area's calendar now: its region's bank holidays (the
// published list where one is loaded) and its closure days. It is read from
// the database each time, so every replica counts the same days.
func (s *Store) workCalendar(ctx context.Context, q querier) (*workday.Calendar, error) {
	cal, err := workday.New(workday.Region(s.calendar))
	if err != nil {
		return nil, lantern.Internal(err)
	}
	rows, err := q.QueryContext(ctx, `SELECT day, name FROM bank_holidays WHERE region = $1`, s.calendar)
	if err != nil {
		return nil, internal("bank holidays", err)
	}
	var pub []workday.Holiday
	for rows.Next() {
		var h workday.Holiday
		if err := rows.Scan(&h.Date, &h.Name); err != nil {
			rows.Close()
			return nil, internal("bank holidays", err)
		}
		pub = append(pub, h)
	}
	rows.Close()
	if len(pub) > 0 {
		cal = cal.WithPublished(pub)
	}
	rows, err = q.QueryContext(ctx, `SELECT day, name FROM closure_days`)
	if err != nil {
		return nil, internal("closure days", err)
	}
	defer rows.Close()
	closed := map[lantern.Date]string{}
	for rows.Next() {
		var d lantern.Date
		var n string
		if err := rows.Scan(&d, &n); err != nil {
			return nil, internal("closure days", err)
		}
		closed[d] = n
	}
	if len(closed) > 0 {
		cal = cal.WithClosures(closed)
	}
	return cal, internal("closure days", rows.Err())
}

// Profile is the deployment's timescale profile.
func (s *Store) Profile() clocks.Profile {
	p, err := clocks.ProfileByID(s.profile)
	if err != nil {
		return clocks.WT2023
	}
	return p
}

// startClock makes a clock's task, due by the deployment's profile and
// calendar, unless the profile has no such clock. The child's allocated
// social worker does the work, or else the person who recorded the event.
func (s *Store) startClock(ctx context.Context, tx *tx, cal *workday.Calendar, child *lantern.Child, clock string, start time.Time,
	source, sourceID string) (*lantern.Task, error) {
	return s.startClockFor(ctx, tx, cal, child, clock, start, source, sourceID, clocks.Facts{}, "")
}

// startClockFor is startClock with the facts the local timescales may
// depend on, for a task of team's (the caller's agency when empty).
func (s *Store) startClockFor(ctx context.Context, tx *tx, cal *workday.Calendar, child *lantern.Child, clock string, start time.Time,
	source, sourceID string, f clocks.Facts, team string) (*lantern.Task, error) {
	rule, ok := s.Profile().Rule(clock)
	if !ok {
		return nil, nil
	}
	due, dueAt := clocks.Due(rule, start, cal)
	u := lantern.UserFromContext(ctx)
	t := &lantern.Task{ChildID: child.ID, Clock: clock, StartedAt: start.UTC().Truncate(time.Microsecond), DueDate: due, DueAt: dueAt,
		Source: source, SourceID: sourceID, AssigneeID: child.AllocatedSocialWorkerID}
	switch {
	case team != "":
		// Work of another team's (the front door's): no one of the
		// caller's is given it.
		t.TeamAgencyID = team
	case u != nil:
		t.TeamAgencyID = u.AgencyID
		if t.AssigneeID == "" {
			t.AssigneeID = u.ID
		}
	}
	if s.local != nil {
		t.LocalProfile = s.local.ID
		if at, ok := s.local.Due(clock, f, start, cal); ok && at.Before(dueAt) {
			t.LocalDueAt = &at
		}
	}
	if err := s.createTask(ctx, tx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// closeTasks closes a child's open tasks of a clock without doing them:
// superseded, or no longer needed, with the reason.
func (s *Store) closeTasks(ctx context.Context, tx *tx, childID, clock, reason string, at time.Time) error {
	return s.closeSourceTasks(ctx, tx, childID, clock, "", reason, at)
}

// closeSourceTasks is closeTasks for the tasks one record started (all the
// child's when sourceID is empty).
func (s *Store) closeSourceTasks(ctx context.Context, tx *tx, childID, clock, sourceID, reason string, at time.Time) error {
	q, args := sourceTasks(s.d, childID, clock, sourceID, at)
	return s.endQueried(ctx, tx, childID, clock, at, reason, q, args...)
}
