package store

import (
	"context"
	"fmt"
	"time"

	"lantern"
	"lantern/clocks"
)

// WorkItem is a task with the child it is for, for work lists.
type WorkItem struct {
	*lantern.Task
	ChildName    string `json:"child_name"`
	AssigneeName string `json:"assignee_name,omitempty"`
}

const workCols = taskCols + `, c.given_name || ' ' || c.family_name, COALESCE(u.name, '')`

const workFrom = ` FROM tasks t JOIN children c ON c.id = t.child_id LEFT JOIN users u ON u.id = t.assignee_id`

func scanWork(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}) ([]*WorkItem, error) {
	var out []*WorkItem
	for rows.Next() {
		var w WorkItem
		var t lantern.Task
		dest, done := taskDest(&t)
		if err := rows.Scan(append(dest, &w.ChildName, &w.AssigneeName)...); err != nil {
			return nil, err
		}
		done()
		w.Task = &t
		out = append(out, &w)
	}
	return out, rows.Err()
}

// MyWork lists the open tasks assigned to the caller, for children they may
// see, soonest due first: late ones first by nature of the order.
func (s *Store) MyWork(ctx context.Context) ([]*WorkItem, error) {
	u := lantern.UserFromContext(ctx)
	args := []any{}
	cond, ok := s.childVisible(ctx, &args)
	if !ok || u == nil {
		return nil, nil
	}
	args = append(args, u.ID)
	rows, err := s.db.QueryContext(ctx, `SELECT `+workCols+workFrom+` WHERE t.status = 'open' AND t.assignee_id = $`+itoa(len(args))+
		` AND `+cond+` ORDER BY t.due_at, t.id LIMIT 1000`, args...)
	if err != nil {
		return nil, internal("my work", err)
	}
	defer rows.Close()
	ws, err := scanWork(rows)
	if err != nil {
		return nil, internal("my work", err)
	}
	return ws, s.auditedChildren(ctx, auditEntry{Action: "work.mine", Entity: "task", Detail: fmt.Sprintf("count=%d", len(ws))}, workChildren(ws))
}

// WorkerLoad counts a worker's open tasks by when they are due.
type WorkerLoad struct {
	AssigneeID   string `json:"assignee_id"`
	AssigneeName string `json:"assignee_name"`
	Late         int    `json:"late"`
	DueToday     int    `json:"due_today"`
	DueThisWeek  int    `json:"due_this_week"`
	Open         int    `json:"open"`
}

// TeamLoad counts the open tasks of the caller's agency by worker: late,
// due today and due within the week, with the most late first. Managers only.
func (s *Store) TeamLoad(ctx context.Context, now time.Time) ([]*WorkerLoad, error) {
	u := lantern.UserFromContext(ctx)
	if err := may(ctx, lantern.ResTeam, lantern.ActRead); err != nil {
		return nil, err
	}
	today := lantern.Today(now)
	endToday := lantern.EndOfDay(today)
	endWeek := lantern.EndOfDay(lantern.DateOf(today.Time().AddDate(0, 0, 7)))
	args := []any{u.AgencyID, s.d.ts(now), s.d.ts(endToday), s.d.ts(endWeek)}
	cond, ok := s.childIDVisible(ctx, &args, "t.child_id")
	if !ok {
		return nil, nil
	}
	// Count first, then name the few hundred workers.
	rows, err := s.db.QueryContext(ctx, `SELECT g.assignee_id, COALESCE(u.name, ''), g.late, g.today, g.week, g.open FROM (
		SELECT COALESCE(t.assignee_id, '') AS assignee_id,
			SUM(CASE WHEN t.due_at < $2 THEN 1 ELSE 0 END) AS late,
			SUM(CASE WHEN t.due_at >= $2 AND t.due_at <= $3 THEN 1 ELSE 0 END) AS today,
			SUM(CASE WHEN t.due_at > $3 AND t.due_at <= $4 THEN 1 ELSE 0 END) AS week,
			COUNT(*) AS open
		FROM tasks t WHERE t.team_agency_id = $1 AND t.status = 'open' AND `+cond+`
		GROUP BY t.assignee_id) g LEFT JOIN users u ON u.id = g.assignee_id`, args...)
	if err != nil {
		return nil, internal("team load", err)
	}
	defer rows.Close()
	var out []*WorkerLoad
	for rows.Next() {
		var w WorkerLoad
		if err := rows.Scan(&w.AssigneeID, &w.AssigneeName, &w.Late, &w.DueToday, &w.DueThisWeek, &w.Open); err != nil {
			return nil, internal("team load", err)
		}
		out = append(out, &w)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("team load", err)
	}
	sortLoads(out)
	return out, s.audited(ctx, auditEntry{Action: "work.team", Entity: "task", Detail: fmt.Sprintf("workers=%d", len(out))})
}

func sortLoads(ws []*WorkerLoad) {
	for i := 1; i < len(ws); i++ { // insertion sort: a few hundred workers
		for j := i; j > 0 && less(ws[j], ws[j-1]); j-- {
			ws[j], ws[j-1] = ws[j-1], ws[j]
		}
	}
}

func less(a, b *WorkerLoad) bool {
	if a.Late != b.Late {
		return a.Late > b.Late
	}
	if a.DueToday+a.DueThisWeek != b.DueToday+b.DueThisWeek {
		return a.DueToday+a.DueThisWeek > b.DueToday+b.DueThisWeek
	}
	return a.AssigneeName < b.AssigneeName
}

// TeamTasks lists the team's open tasks that are late or due within the
// week, for one worker or all, soonest due first, a page at a time.
func (s *Store) TeamTasks(ctx context.Context, now time.Time, assigneeID string, limit, offset int) ([]*WorkItem, error) {
	u := lantern.UserFromContext(ctx)
	if err := may(ctx, lantern.ResTeam, lantern.ActRead); err != nil {
		return nil, err
	}
	endWeek := lantern.EndOfDay(lantern.DateOf(lantern.Today(now).Time().AddDate(0, 0, 7)))
	args := []any{u.AgencyID, s.d.ts(endWeek)}
	cond, ok := s.childVisible(ctx, &args)
	if !ok {
		return nil, nil
	}
	if assigneeID != "" {
		args = append(args, assigneeID)
		cond += " AND t.assignee_id = $" + itoa(len(args))
	}
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	args = append(args, limit, max(offset, 0))
	rows, err := s.db.QueryContext(ctx, `SELECT `+workCols+workFrom+` WHERE t.team_agency_id = $1 AND t.status = 'open' AND t.due_at <= $2 AND `+cond+
		` ORDER BY t.due_at, t.id LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, internal("team tasks", err)
	}
	defer rows.Close()
	ws, err := scanWork(rows)
	if err != nil {
		return nil, internal("team tasks", err)
	}
	return ws, s.auditedChildren(ctx, auditEntry{Action: "work.team.tasks", Entity: "task", Detail: fmt.Sprintf("assignee=%s count=%d", assigneeID, len(ws))},
		workChildren(ws))
}

// Timeliness is how one clock did over a period: of the tasks due in it,
// how many were done within their timescale.
type Timeliness struct {
	Clock     string   `json:"clock"`
	Timescale string   `json:"timescale"`
	Due       int      `json:"due"`       // done, or open and now late
	Within    int      `json:"within"`    // done by the deadline
	DoneLate  int      `json:"done_late"` // done after it
	OpenLate  int      `json:"open_late"` // still open, past it
	Percent   *float64 `json:"percent"`   // within / due, to one decimal; null when none
}

// TimelinessReport gives, per clock, the per cent of tasks due between two
// local dates (inclusive) that were done within timescale. Tasks closed by
// a manager are left out: they were not needed.
func (s *Store) TimelinessReport(ctx context.Context, from, to lantern.Date) ([]Timeliness, error) {
	if err := may(ctx, lantern.ResFigures, lantern.ActRead); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "to", Message: "The end of the period must be on or after its start"})
	}
	now := s.now()
	start, end := from.Time(), lantern.EndOfDay(to)
	// Whether a task was done late is decided once, when it is done
	// (endQueried sets completed_late).
	rows, err := s.db.QueryContext(ctx, `SELECT clock,
		SUM(CASE WHEN status = 'done' AND NOT completed_late THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'done' AND completed_late THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'open' AND due_at < $3 THEN 1 ELSE 0 END)
		FROM tasks WHERE due_at >= $1 AND due_at <= $2 AND status <> 'closed' GROUP BY clock`,
		s.d.ts(start), s.d.ts(end), s.d.ts(now))
	if err != nil {
		return nil, internal("timeliness", err)
	}
	defer rows.Close()
	byClock := map[string]*Timeliness{}
	for rows.Next() {
		var t Timeliness
		if err := rows.Scan(&t.Clock, &t.Within, &t.DoneLate, &t.OpenLate); err != nil {
			return nil, internal("timeliness", err)
		}
		byClock[t.Clock] = &t
	}
	if err := rows.Err(); err != nil {
		return nil, internal("timeliness", err)
	}
	var out []Timeliness
	p := s.Profile()
	for _, clock := range []string{clocks.ReferralDecision, clocks.ReferralWrittenFollowup, clocks.ReferrerFeedback, clocks.Assessment,
		clocks.CoreAssessment, clocks.ICPC, clocks.CoreGroup, clocks.FirstReview, clocks.NextReview, clocks.ReturnInterview, clocks.ToolkitReassessment} {
		t := byClock[clock]
		if t == nil {
			t = &Timeliness{Clock: clock}
		}
		r, ok := p.Rule(clock)
		if !ok && t.Within+t.DoneLate+t.OpenLate == 0 {
			continue // not a clock of this profile, and none from an earlier one
		}
		t.Timescale = r.Text()
		t.Due = t.Within + t.DoneLate + t.OpenLate
		if t.Due > 0 {
			pc := float64(int(float64(t.Within)*1000/float64(t.Due)+0.5)) / 10
			t.Percent = &pc
		}
		out = append(out, *t)
	}
	return out, s.audited(ctx, auditEntry{Action: "report.timeliness", Detail: "from=" + from.String() + " to=" + to.String()})
}

// FlaggedConference is an initial conference held with no strategy
// discussion that decided on s47 enquiries, for a manager to look at.
type FlaggedConference struct {
	ID        string
	ChildID   string
	ChildName string
	HeldAt    time.Time
}

// FlaggedConferences lists them, newest first, for children the manager may see.
func (s *Store) FlaggedConferences(ctx context.Context) ([]FlaggedConference, error) {
	if err := may(ctx, lantern.ResTeam, lantern.ActRead); err != nil {
		return nil, err
	}
	var args []any
	cond, ok := s.childVisible(ctx, &args)
	if !ok {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT k.id, k.child_id, c.given_name || ' ' || c.family_name, k.held_at
		FROM conferences k JOIN children c ON c.id = k.child_id WHERE k.flagged AND `+cond+` ORDER BY k.held_at DESC LIMIT 100`, args...)
	if err != nil {
		return nil, internal("flagged conferences", err)
	}
	defer rows.Close()
	var out []FlaggedConference
	for rows.Next() {
		var f FlaggedConference
		if err := rows.Scan(&f.ID, &f.ChildID, &f.ChildName, timeScan{&f.HeldAt}); err != nil {
			return nil, internal("flagged conferences", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("flagged conferences", err)
	}
	ids := make([]string, len(out))
	for i, f := range out {
		ids[i] = f.ChildID
	}
	if len(ids) == 0 {
		return out, nil // nobody named, nothing read
	}
	return out, s.auditedChildren(ctx, auditEntry{Action: "conference.flagged.list", Entity: "conference"}, ids)
}

// workChildren are the children a work list names.
func workChildren(ws []*WorkItem) []string {
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = w.ChildID
	}
	return ids
}
