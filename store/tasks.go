package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"lantern"
)

const taskCols = `t.id, t.child_id, t.clock, t.status, t.due_date, t.due_at, t.profile, t.calendar, t.started_at,
	COALESCE(t.assignee_id, ''), COALESCE(t.team_agency_id, ''), t.source, t.source_id, t.done_at, t.closed_reason, t.version,
	t.kind, t.note, t.done_by, t.local_profile, t.local_due_at`

// taskDest are the scan destinations of taskCols; done finishes the task
// once scanned.
func taskDest(t *lantern.Task) (dest []any, done func()) {
	var status, kind string
	return []any{&t.ID, &t.ChildID, &t.Clock, &status, &t.DueDate, timeScan{&t.DueAt}, &t.Profile, &t.Calendar, timeScan{&t.StartedAt},
			&t.AssigneeID, &t.TeamAgencyID, &t.Source, &t.SourceID, ntimeScan{&t.DoneAt}, &t.ClosedReason, &t.Version, &kind, &t.Note, &t.DoneBy,
			&t.LocalProfile, ntimeScan{&t.LocalDueAt}},
		func() {
			t.Status, t.Kind = lantern.TaskStatus(status), lantern.WorkKind(kind)
			t.DueAt = t.DueAt.In(lantern.London)
			if t.LocalDueAt != nil {
				*t.LocalDueAt = t.LocalDueAt.In(lantern.London)
			}
		}
}

func scanTask(r scanner) (*lantern.Task, error) {
	var t lantern.Task
	dest, done := taskDest(&t)
	err := r.Scan(dest...)
	done()
	return &t, err
}

// createTask starts a clock's task in the transaction, recording the profile
// and calendar that set it: a later change of profile never rewrites it.
func (s *Store) createTask(ctx context.Context, tx *tx, t *lantern.Task) error {
	t.ID = newID()
	t.Status = lantern.TaskOpen
	t.Profile, t.Calendar = s.profile, s.calendar
	t.Version = 1
	var assignee, team any
	if t.AssigneeID != "" {
		assignee = t.AssigneeID
	}
	if t.TeamAgencyID != "" {
		team = t.TeamAgencyID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tasks (id, child_id, clock, status, started_at, due_date, due_at, profile, calendar,
		assignee_id, team_agency_id, source, source_id, version, created_at, kind, local_profile, local_due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $16, $17)`,
		t.ID, t.ChildID, t.Clock, string(t.Status), s.d.ts(t.StartedAt), t.DueDate, s.d.ts(t.DueAt), t.Profile, t.Calendar,
		assignee, team, t.Source, t.SourceID, s.d.ts(s.now()), string(t.Kind), t.LocalProfile, s.d.nts(t.LocalDueAt)); err != nil {
		return internal("create task", err)
	}
	t.DueAt = t.DueAt.In(lantern.London)
	detail := "clock=" + t.Clock
	if t.Kind != "" {
		detail += " kind=" + string(t.Kind)
	}
	tx.audit(auditEntry{Action: "task.create", Entity: "task", EntityID: t.ID, ChildID: t.ChildID, Detail: detail})
	return nil
}

// finishTasks marks a child's open tasks of a clock done: the event that
// stops the clock has been recorded.
func (s *Store) finishTasks(ctx context.Context, tx *tx, childID, clock string, at time.Time) error {
	return s.finishSourceTasks(ctx, tx, childID, clock, "", at)
}

// finishSourceTasks is finishTasks for the tasks one record started (all the
// child's when sourceID is empty): deciding one referral stops that
// referral's clock, not another referral's.
func (s *Store) finishSourceTasks(ctx context.Context, tx *tx, childID, clock, sourceID string, at time.Time) error {
	q, args := sourceTasks(s.d, childID, clock, sourceID, at)
	return s.finishQueried(ctx, tx, childID, clock, at, q, args...)
}

// sourceTasks is the query for the ids of a child's open tasks on a clock,
// from one source when sourceID is given. An event ends only the clocks
// started before it: a conference entered late does not end the clock a
// later discussion started.
func sourceTasks(d dialect, childID, clock, sourceID string, at time.Time) (string, []any) {
	q, args := `SELECT id FROM tasks WHERE child_id = $1 AND clock = $2 AND status = 'open' AND started_at <= $3`, []any{childID, clock, d.ts(at)}
	if sourceID != "" {
		q, args = q+` AND source_id = $4`, append(args, sourceID)
	}
	return q, args
}

// finishQueried marks done the open tasks a query selects (their ids), all
// of one child and clock.
func (s *Store) finishQueried(ctx context.Context, tx *tx, childID, clock string, at time.Time, q string, args ...any) error {
	return s.endQueried(ctx, tx, childID, clock, at, "", q, args...)
}

// endQueried ends the open tasks a query selects: done, or closed with a
// reason when one is given. Each is audited by its id.
func (s *Store) endQueried(ctx context.Context, tx *tx, childID, clock string, at time.Time, closeReason, q string, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return internal("end tasks", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return internal("end tasks", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return internal("end tasks", err)
	}
	for _, id := range ids {
		if closeReason == "" {
			if _, err := tx.ExecContext(ctx, `UPDATE tasks SET status = 'done', done_at = $1, completed_late = (due_at < $1), version = version + 1 WHERE id = $2`,
				s.d.ts(at), id); err != nil {
				return internal("finish task", err)
			}
			tx.audit(auditEntry{Action: "task.done", Entity: "task", EntityID: id, ChildID: childID, Detail: "clock=" + clock})
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET status = 'closed', done_at = $1, closed_reason = $2, version = version + 1 WHERE id = $3`,
			s.d.ts(at), closeReason, id); err != nil {
			return internal("close task", err)
		}
		tx.audit(auditEntry{Action: "task.close", Entity: "task", EntityID: id, ChildID: childID, Detail: "clock=" + clock + " reason=" + closeReason})
	}
	return nil
}

// ChildTasks lists a child's tasks, soonest due first. The read is audited.
func (s *Store) ChildTasks(ctx context.Context, childID string) ([]*lantern.Task, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+taskCols+` FROM tasks t WHERE t.child_id = $1 ORDER BY t.due_at, t.id`, childID)
	if err != nil {
		return nil, internal("tasks", err)
	}
	defer rows.Close()
	ts := []*lantern.Task{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, internal("scan task", err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("tasks", err)
	}
	if err := s.audited(ctx, auditEntry{Action: "task.list", Entity: "task", ChildID: childID}); err != nil {
		return nil, err
	}
	return ts, nil
}

// taskForChange reads a task to change in the transaction, its child locked:
// not found when the caller may not see the child.
func (s *Store) taskForChange(ctx context.Context, tx *tx, id string) (*lantern.Task, error) {
	t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskCols+` FROM tasks t WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.NotFound("Task")
	} else if err != nil {
		return nil, internal("task", err)
	}
	if _, err := s.findChild(ctx, tx, t.ChildID, true); err != nil {
		return nil, lantern.NotFound("Task")
	}
	return t, nil
}
