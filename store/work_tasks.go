package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"lantern"
	"lantern/clocks"
)

// Work tasks: what a meeting's recommendations and a return interview's
// follow-ups make (docs/pathway.md#decisions-make-work). The rules (which
// task, whose, by when) are lantern.PlanWork's; the store reads what they
// need and carries them out.

// workDues are the deployment's calendar and profile, for planning work.
func (s *Store) workDues(ctx context.Context, q querier) (lantern.WorkDues, error) {
	cal, err := s.workCalendar(ctx, q)
	if err != nil {
		return lantern.WorkDues{}, err
	}
	prof := s.Profile()
	return lantern.WorkDues{AddWorkingDays: cal.AddWorkingDays, Statutory: func(clock string, start time.Time) (lantern.Date, time.Time, bool) {
		rule, ok := prof.Rule(clock)
		if !ok {
			return lantern.Date{}, time.Time{}, false
		}
		d, at := clocks.Due(rule, start, cal)
		return d, at, true
	}}, nil
}

// owner finds a user who may own work: not disabled, in a role that works
// on children's records (Found false otherwise, or for "").
func owner(ctx context.Context, q querier, id string) (lantern.ActionOwner, error) {
	o := lantern.ActionOwner{}
	if id == "" {
		return o, nil
	}
	args := []any{id}
	err := q.QueryRowContext(ctx, `SELECT u.id, u.agency_id FROM users u WHERE u.id = $1 AND NOT u.disabled
		AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN `+editorRoles(&args)+`)`, args...).Scan(&o.ID, &o.AgencyID)
	if errors.Is(err, sql.ErrNoRows) {
		return o, nil
	} else if err != nil {
		return o, internal("work owner", err)
	}
	o.Found = true
	return o, nil
}

// openClocks are the clocks with an open task on a child.
func openClocks(ctx context.Context, q querier, childID string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT clock FROM tasks WHERE child_id = $1 AND status = 'open'`, childID)
	if err != nil {
		return nil, internal("open clocks", err)
	}
	defer rows.Close()
	open := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, internal("open clocks", err)
		}
		open[c] = true
	}
	return open, internal("open clocks", rows.Err())
}

// workOwner is who takes a child's work: the allocated social worker, or
// else fallback (lantern.WorkOwner).
func (s *Store) workOwner(ctx context.Context, q querier, childID string, fallback lantern.ActionOwner) (lantern.ActionOwner, error) {
	var allocated string
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(allocated_social_worker_id, '') FROM children WHERE id = $1`, childID).Scan(&allocated); err != nil {
		return fallback, internal("allocated social worker", err)
	}
	a, err := owner(ctx, q, allocated)
	return lantern.WorkOwner(a, fallback), err
}

// recommendationWork plans the work a held meeting's decisions make: owned
// by each child's allocated social worker, or else the meeting's organiser.
func (s *Store) recommendationWork(ctx context.Context, q querier, m *lantern.Meeting, decisions []lantern.MeetingDecision, nextMeeting bool) ([]lantern.PlannedWork, error) {
	if len(decisions) == 0 {
		return nil, nil
	}
	dues, err := s.workDues(ctx, q)
	if err != nil {
		return nil, err
	}
	organiser := lantern.ActionOwner{ID: m.CreatedBy, AgencyID: m.AgencyID, Found: true}
	owners, open := map[string]lantern.ActionOwner{}, map[string]map[string]bool{}
	for _, d := range decisions {
		if owners[d.ChildID], err = s.workOwner(ctx, q, d.ChildID, organiser); err != nil {
			return nil, err
		}
		if open[d.ChildID], err = openClocks(ctx, q, d.ChildID); err != nil {
			return nil, err
		}
	}
	return lantern.PlanRecommendations(m, decisions, nextMeeting, owners, open, dues), nil
}

// createWork makes the planned tasks.
func (s *Store) createWork(ctx context.Context, tx *tx, work []lantern.PlannedWork) error {
	for _, w := range work {
		if w.Task != nil {
			if err := s.createTask(ctx, tx, w.Task); err != nil {
				return err
			}
		}
	}
	return nil
}

// followUpWork makes the tasks a return interview's follow-ups ask for:
// owned by the child's allocated social worker, or else the person who
// recorded the interview, counted from when it was held (or recorded).
func (s *Store) followUpWork(ctx context.Context, tx *tx, childID, episodeID string, follow []string, start time.Time) error {
	if len(follow) == 0 {
		return nil
	}
	u := lantern.UserFromContext(ctx)
	recorder := lantern.ActionOwner{ID: u.ID, AgencyID: u.AgencyID, Found: true}
	o, err := s.workOwner(ctx, tx, childID, recorder)
	if err != nil {
		return err
	}
	open, err := openClocks(ctx, tx, childID)
	if err != nil {
		return err
	}
	dues, err := s.workDues(ctx, tx)
	if err != nil {
		return err
	}
	var kinds []lantern.WorkKind
	for _, f := range follow {
		kinds = append(kinds, lantern.FollowUpWork(f))
	}
	return s.createWork(ctx, tx, lantern.PlanWork(childID, kinds, start, o, open, dues, "missing-episode", episodeID))
}

// WorkPreview is what each recommendation would make for each child of a
// meeting, were its outcome recorded now, for the outcome form: by child,
// then recommendation. OwnerNames names the owners.
type WorkPreview struct {
	Work       map[string]map[lantern.Recommendation]lantern.PlannedWork
	OwnerNames map[string]string
}

// PreviewRecommendations plans every recommendation for every child of a
// meeting without recording anything, for the chair to see whose each task
// would be and when it would be due. The caller must be able to record the
// outcome; the meeting read is the caller's.
func (s *Store) PreviewRecommendations(ctx context.Context, m *lantern.Meeting) (*WorkPreview, error) {
	if err := s.mayMeeting(ctx, s.db, m, lantern.ActRecordOutcome); err != nil {
		return nil, err
	}
	out := &WorkPreview{Work: map[string]map[lantern.Recommendation]lantern.PlannedWork{}, OwnerNames: map[string]string{}}
	// Every recommendation at once: none covers another, so each is
	// planned as it would be alone (and one recommendation's work is its id's).
	all := make([]string, len(lantern.Recommendations))
	for i, r := range lantern.Recommendations {
		all[i] = string(r)
	}
	var ds []lantern.MeetingDecision
	for _, c := range m.ChildIDs {
		out.Work[c] = map[lantern.Recommendation]lantern.PlannedWork{}
		ds = append(ds, lantern.MeetingDecision{ChildID: c, Recommendations: all})
	}
	work, err := s.recommendationWork(ctx, s.db, m, ds, false)
	if err != nil {
		return nil, err
	}
	for _, pw := range work {
		out.Work[pw.ChildID][lantern.Recommendation(pw.Kind)] = pw
		if t := pw.Task; t != nil && t.AssigneeID != "" {
			out.OwnerNames[t.AssigneeID] = ""
		}
	}
	for id := range out.OwnerNames {
		var name string
		if err := s.db.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, id).Scan(&name); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, internal("owner name", err)
		}
		out.OwnerNames[id] = name
	}
	return out, nil
}

// TaskDetail is a task with what its page shows: the child's and people's
// names, and for a meeting's task the meeting (and the action's words) when
// the caller may read the meeting.
type TaskDetail struct {
	*lantern.Task
	ChildName    string `json:"child_name"`
	AssigneeName string `json:"assignee_name,omitempty"`
	DoneByName   string `json:"done_by_name,omitempty"`
	MeetingID    string `json:"meeting_id,omitempty"`
	MeetingKind  string `json:"meeting_kind,omitempty"`
	Action       string `json:"action,omitempty"`
}

// FindTask reads a task of a child the caller may see (not found
// otherwise). The read is audited.
func (s *Store) FindTask(ctx context.Context, id string) (*TaskDetail, error) {
	var t lantern.Task
	d := &TaskDetail{Task: &t}
	dest, done := taskDest(&t)
	err := s.db.QueryRowContext(ctx, `SELECT `+taskCols+`, COALESCE(u.name, ''), COALESCE(b.name, '') FROM tasks t
		LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN users b ON b.id = t.done_by WHERE t.id = $1`, id).
		Scan(append(dest, &d.AssigneeName, &d.DoneByName)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.NotFound("Task")
	} else if err != nil {
		return nil, internal("task", err)
	}
	done()
	c, err := s.findChild(ctx, s.db, t.ChildID, false)
	if err != nil {
		return nil, lantern.NotFound("Task")
	}
	if err := mayChild(ctx, c, lantern.ResTask, lantern.ActRead); err != nil {
		return nil, err
	}
	d.ChildName = strings.TrimSpace(c.GivenName + " " + c.FamilyName)
	meetingID := ""
	switch t.Source {
	case "meeting":
		meetingID = t.SourceID
	case "meeting-action":
		if err := s.db.QueryRowContext(ctx, `SELECT meeting_id, description FROM meeting_actions WHERE id = $1`, t.SourceID).Scan(&meetingID, &d.Action); err != nil &&
			!errors.Is(err, sql.ErrNoRows) {
			return nil, internal("task action", err)
		}
	}
	if meetingID != "" {
		// A meeting may be about children the caller does not see: its
		// words are shown only to those who may read it.
		if m, err := s.meeting(ctx, s.db, meetingID); err == nil && s.mayMeeting(ctx, s.db, m, lantern.ActRead) == nil {
			d.MeetingID, d.MeetingKind = m.ID, string(m.Kind)
		} else {
			d.Action = ""
		}
	}
	return d, s.audited(ctx, auditEntry{Action: "task.read", Entity: "task", EntityID: id, ChildID: t.ChildID})
}

// CompleteTask records what was done on a work task, or a meeting's action,
// and so completes it: its team (or its owner), children's social care or
// the coordinator as the policy says. A statutory clock's task is not
// completed so: it ends when its event is recorded.
func (s *Store) CompleteTask(ctx context.Context, id string, version int, note string) (*lantern.Task, error) {
	note, err := lantern.CheckTaskNote(note)
	if err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.Task
	err = s.write(ctx, func(tx *tx) error {
		t, err := s.taskForChange(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := lantern.Check(u, lantern.ResTask, lantern.ActComplete, t.Relation(u)); err != nil {
			return err
		}
		if !t.CompletesByNote() {
			return lantern.Invalid(lantern.FieldError{Field: "task", Message: "The task \"" + clocks.TaskLabel(t) +
				"\" is a statutory clock's: it ends when its event is recorded on the child's record (a manager may close it with a reason)"})
		}
		if t.Version != version {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this task: look again", Current: t}
		}
		if t.Status != lantern.TaskOpen {
			return lantern.Invalid(lantern.FieldError{Field: "status", Message: "The task is already " + string(t.Status)})
		}
		res, err := tx.ExecContext(ctx, `UPDATE tasks SET status = 'done', done_at = $1, completed_late = (due_at < $1), note = $2, done_by = $3,
			version = version + 1 WHERE id = $4 AND version = $5`, s.d.ts(now), note, u.ID, id, version)
		if err != nil {
			return internal("complete task", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return internal("complete task", err)
		} else if n == 0 {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this task: look again"}
		}
		// A meeting's action done on its task's page is done on the
		// meeting too.
		if t.Clock == lantern.ClockMeetingAction {
			if _, err := tx.ExecContext(ctx, `UPDATE meeting_actions SET status = 'done', done_at = $1 WHERE id = $2 AND status = 'open'`,
				s.d.ts(now), t.SourceID); err != nil {
				return internal("complete action", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE meetings SET version = version + 1 WHERE id = (SELECT meeting_id FROM meeting_actions WHERE id = $1)`,
				t.SourceID); err != nil {
				return internal("complete action", err)
			}
		}
		detail := "clock=" + t.Clock
		if t.Kind != "" {
			detail += " kind=" + string(t.Kind)
		}
		tx.audit(auditEntry{Action: "task.complete", Entity: "task", EntityID: id, ChildID: t.ChildID, Detail: detail})
		done := now.UTC().Truncate(time.Microsecond)
		t.Status, t.DoneAt, t.Note, t.DoneBy, t.Version = lantern.TaskDone, &done, note, u.ID, t.Version+1
		out = t
		return nil
	})
	return out, err
}
