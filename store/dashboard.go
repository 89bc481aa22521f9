package store

import (
	"context"
	"fmt"

	"lantern"
)

// Dashboard is what a person's home page counts: each count links to the
// list behind it. Counts name no child; alerts name none either, and lead
// to pages that check access again.
type Dashboard struct {
	Late, DueToday, DueThisWeek int
	// ByLevel counts the children allocated to the caller by latest toolkit
	// level ("" for none recorded), lowest first in Levels.
	ByLevel map[string]int
	Levels  []string
	// Meetings coming up in the next fortnight, and children missing now,
	// among those the caller sees.
	MeetingsSoon, MissingNow int
	// The front door's, for those who work it.
	FrontDoor                                   bool
	Waiting, WaitingLate, ImmediateRisk, Advice int
	// Requests to the caller's agency not yet answered, and late.
	Requests, RequestsLate int
	// The team's late tasks, for managers.
	Team     bool
	TeamLate int
	Alerts   []*lantern.Alert
}

// Dashboard counts the caller's work. It reads no child's record, only
// counts of those the caller may see, so it is audited as one read.
func (s *Store) Dashboard(ctx context.Context) (*Dashboard, error) {
	u := lantern.UserFromContext(ctx)
	if u == nil {
		return nil, lantern.Errorf(lantern.EUNAUTHORIZED, "Sign in")
	}
	now := s.now()
	today := lantern.Today(now)
	d := &Dashboard{ByLevel: map[string]int{}}
	row := func(what, q string, args []any, dst ...any) error {
		if err := s.db.QueryRowContext(ctx, q, args...).Scan(dst...); err != nil {
			return internal(what, err)
		}
		return nil
	}
	week := lantern.EndOfDay(lantern.DateOf(today.Time().AddDate(0, 0, 7)))
	if err := row("my tasks", `SELECT
		COALESCE(SUM(CASE WHEN due_at < $2 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN due_at >= $2 AND due_at <= $3 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN due_at > $3 AND due_at <= $4 THEN 1 ELSE 0 END), 0)
		FROM tasks WHERE assignee_id = $1 AND status = 'open'`,
		[]any{u.ID, s.d.ts(now), s.d.ts(lantern.EndOfDay(today)), s.d.ts(week)}, &d.Late, &d.DueToday, &d.DueThisWeek); err != nil {
		return nil, err
	}
	// The latest level is kept on the child (store.setLatestLevel).
	levels, err := collect(ctx, s.db, "my children", `SELECT c.latest_level, count(*) FROM children c
		WHERE c.allocated_social_worker_id = $1 AND c.merged_into IS NULL GROUP BY c.latest_level`, func(r scanner) (levelCount, error) {
		var lc levelCount
		return lc, r.Scan(&lc.level, &lc.n)
	}, u.ID)
	if err != nil {
		return nil, err
	}
	for _, lc := range levels {
		d.ByLevel[lc.level] = lc.n
	}
	for _, l := range []string{"high", "medium", "emerging", "vulnerable", "none", ""} {
		if d.ByLevel[l] > 0 {
			d.Levels = append(d.Levels, l)
		}
	}
	var args []any
	if vis, ok := s.meetingVisible(ctx, &args, "m.id"); ok {
		args = append(args, s.d.ts(now), s.d.ts(now.AddDate(0, 0, 14)))
		if err := row("meetings soon", fmt.Sprintf(`SELECT count(*) FROM meetings m WHERE %s AND m.status = 'scheduled'
			AND m.starts_at > $%d AND m.starts_at <= $%d`, vis, len(args)-1, len(args)), args, &d.MeetingsSoon); err != nil {
			return nil, err
		}
	}
	args = nil
	if vis, ok := s.childVisible(ctx, &args); ok {
		if err := row("missing now", `SELECT count(DISTINCT e.child_id) FROM missing_episodes e JOIN children c ON c.id = e.child_id
			WHERE e.returned_at IS NULL AND c.merged_into IS NULL AND `+vis, args, &d.MissingNow); err != nil {
			return nil, err
		}
	}
	if lantern.Allowed(u, lantern.ResFrontDoor, lantern.ActList, lantern.RelArea) {
		d.FrontDoor = true
		if err := row("front door", `SELECT count(*), COALESCE(SUM(CASE WHEN COALESCE(decision_due_at, received_at) < $1 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN immediate_risk = $2 THEN 1 ELSE 0 END), 0) FROM referrals WHERE decided_at IS NULL`,
			[]any{s.d.ts(now), true}, &d.Waiting, &d.WaitingLate, &d.ImmediateRisk); err != nil {
			return nil, err
		}
		if err := row("advice", `SELECT count(*) FROM consultations WHERE advised_at IS NULL`, nil, &d.Advice); err != nil {
			return nil, err
		}
	}
	if lantern.Allowed(u, lantern.ResInfoRequest, lantern.ActList, lantern.RelArea) {
		if err := row("requests", `SELECT count(*), COALESCE(SUM(CASE WHEN due_at < $2 THEN 1 ELSE 0 END), 0)
			FROM info_requests WHERE agency_id = $1 AND answered_at IS NULL`, []any{u.AgencyID, s.d.ts(now)}, &d.Requests, &d.RequestsLate); err != nil {
			return nil, err
		}
	}
	if lantern.Allowed(u, lantern.ResTeam, lantern.ActRead, lantern.RelArea) {
		d.Team = true
		if err := row("team late", `SELECT count(*) FROM tasks WHERE team_agency_id = $1 AND status = 'open' AND due_at < $2`,
			[]any{u.AgencyID, s.d.ts(now)}, &d.TeamLate); err != nil {
			return nil, err
		}
	}
	if d.Alerts, err = s.Alerts(ctx); err != nil {
		return nil, err
	}
	return d, s.audited(ctx, auditEntry{Action: "dashboard.read", Entity: "user", EntityID: u.ID})
}

type levelCount struct {
	level string
	n     int
}
