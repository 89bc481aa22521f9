package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"lantern"
)

// CheckMeeting names every problem with a meeting to arrange without
// arranging it: the form's own checks failed, and the person should see the
// rest at the same time.
func (s *Store) CheckMeeting(ctx context.Context, in lantern.MeetingInput) error {
	p := meetingProblems(&in)
	if _, err := s.resolveInvitees(ctx, s.db, in.Invitees); lantern.ErrorCode(err) == lantern.EINVALID {
		p = append(p, lantern.ErrorFields(err)...)
	} else if err != nil {
		return err
	}
	return p.Err()
}

// meetingProblems are the checks of a meeting's details that need no
// reading.
func meetingProblems(in *lantern.MeetingInput) lantern.Problems {
	var p lantern.Problems
	if !in.Kind.Valid() {
		p.Add("kind", "The kind must be one of "+lantern.OneOf(lantern.MeetingKinds))
	}
	if len(in.ChildIDs) == 0 && !in.Kind.MayBeAboutNoChild() {
		p.Add("child_ids", "Give the children the meeting is about")
	}
	if len(in.ChildIDs) > 100 {
		p.Add("child_ids", "A meeting is about 100 children at most")
	}
	in.Location = checkWhenWhere(&p, in.StartsAt, in.EndsAt, in.Location)
	if in.Participation != nil {
		in.Participation.Check(&p)
	}
	return p
}

// CreateMeeting arranges a meeting about children the caller may see.
func (s *Store) CreateMeeting(ctx context.Context, in lantern.MeetingInput) (*lantern.Meeting, error) {
	u := lantern.UserFromContext(ctx)
	if p := meetingProblems(&in); len(p) > 0 {
		return nil, s.CheckMeeting(ctx, in) // these and the invitees' together
	}
	if err := may(ctx, lantern.ResMeeting, lantern.ActCreate); err != nil {
		return nil, err
	}
	now := s.now()
	m := &lantern.Meeting{ID: newID(), Kind: in.Kind, StartsAt: in.StartsAt.UTC().Truncate(time.Microsecond), EndsAt: in.EndsAt.UTC().Truncate(time.Microsecond),
		Location: in.Location, Status: lantern.MeetingScheduled, Version: 1, CreatedBy: u.ID, CreatedAt: now.UTC().Truncate(time.Microsecond),
		Decisions: []lantern.MeetingDecision{}, Actions: []lantern.MeetingAction{}, Invitees: []lantern.Invitee{}}
	seen := map[string]bool{}
	for _, id := range in.ChildIDs {
		if !seen[id] {
			seen[id] = true
			m.ChildIDs = append(m.ChildIDs, id)
		}
	}
	if m.ChildIDs == nil {
		m.ChildIDs = []string{}
	}
	err := s.write(ctx, func(tx *tx) error {
		for _, id := range m.ChildIDs {
			c, err := s.findChild(ctx, tx, id, false)
			if err != nil {
				return err // a child the caller may not see is not found
			}
			if c.MergedInto != "" {
				return lantern.Invalid(lantern.FieldError{Field: "child_ids", Message: "A record in child_ids was merged into another: use that one"})
			}
		}
		if in.AssessmentID != "" {
			var child string
			err := tx.QueryRowContext(ctx, `SELECT child_id FROM assessments WHERE id = $1`, in.AssessmentID).Scan(&child)
			if err != nil || !slices.Contains(m.ChildIDs, child) {
				return lantern.Invalid(lantern.FieldError{Field: "assessment_id", Message: "The toolkit attached must be an assessment of a child on the meeting"})
			}
			m.AssessmentID = in.AssessmentID
		}
		invitees, err := s.resolveInvitees(ctx, tx, in.Invitees)
		if err != nil {
			return err
		}
		if in.Participation != nil {
			pt := in.Participation
			m.YoungPerson, m.YoungPersonReason, m.Carers, m.CarersReason = pt.YoungPerson, pt.YoungPersonReason, pt.Carers, pt.CarersReason
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meetings (id, kind, starts_at, ends_at, location, version, created_by, agency_id, created_at,
			assessment_id, young_person, young_person_reason, carers, carers_reason)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13)`, m.ID, m.Kind, s.d.ts(m.StartsAt), s.d.ts(m.EndsAt), m.Location, u.ID, u.AgencyID, s.d.ts(now),
			m.AssessmentID, m.YoungPerson, m.YoungPersonReason, m.Carers, m.CarersReason); err != nil {
			return internal("insert meeting", err)
		}
		m.AgencyID = u.AgencyID
		if err := insertInvitees(ctx, tx, m.ID, invitees); err != nil {
			return err
		}
		m.Invitees = invitees
		// Arranging the meeting ends the "arrange the next meeting" task a
		// meeting of the same kind set for each child.
		for _, id := range m.ChildIDs {
			if err := s.finishNextMeetingTasks(ctx, tx, id, m.Kind, now); err != nil {
				return err
			}
		}
		for _, id := range m.ChildIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_children (meeting_id, child_id) VALUES ($1, $2)`, m.ID, id); err != nil {
				return internal("meeting child", err)
			}
			tx.audit(auditEntry{Action: "meeting.create", Entity: "meeting", EntityID: m.ID, ChildID: id, Detail: "kind=" + string(m.Kind)})
		}
		if err := s.involveInvitees(ctx, tx, m.ChildIDs, invitees, now); err != nil {
			return err
		}
		if len(m.ChildIDs) == 0 {
			tx.audit(auditEntry{Action: "meeting.create", Entity: "meeting", EntityID: m.ID, Detail: "kind=" + string(m.Kind)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// checkWhenWhere checks a meeting's time and place, and returns the place
// trimmed.
func checkWhenWhere(p *lantern.Problems, start, end time.Time, location string) string {
	if start.IsZero() {
		p.Add("starts_at", "Enter when the meeting starts")
	}
	if end.IsZero() {
		p.Add("ends_at", "Enter when the meeting ends")
	} else if !start.IsZero() && !end.After(start) {
		p.Add("ends_at", "The meeting must end after it starts")
	}
	location = strings.TrimSpace(location)
	if len(location) > 500 {
		p.Add("location", "The location must be 500 characters or fewer")
	}
	return location
}

// meetingChildren are the children of a meeting the caller may see (the
// rule: all its children visible), or ENOTFOUND.
func (s *Store) meetingChildren(ctx context.Context, q querier, id string) ([]string, error) {
	args := []any{id}
	visible, ok := s.meetingVisible(ctx, &args, "m.id")
	if !ok {
		return nil, lantern.NotFound("Meeting")
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM meetings m WHERE m.id = $1 AND `+visible, args...).Scan(&n); err != nil {
		return nil, internal("meeting access", err)
	} else if n == 0 {
		return nil, lantern.NotFound("Meeting")
	}
	ids, err := collect(ctx, q, "meeting children", `SELECT child_id FROM meeting_children WHERE meeting_id = $1 ORDER BY child_id`,
		func(r scanner) (string, error) {
			var c string
			return c, r.Scan(&c)
		}, id)
	if ids == nil {
		ids = []string{}
	}
	return ids, err
}

// meeting reads a meeting the caller may see: every child on it visible to
// them (a meeting about no child: anyone who works with children).
func (s *Store) meeting(ctx context.Context, q querier, id string) (*lantern.Meeting, error) {
	childIDs, err := s.meetingChildren(ctx, q, id)
	if err != nil {
		return nil, err
	}
	var m lantern.Meeting
	var held sql.NullBool
	var next lantern.Date
	err = q.QueryRowContext(ctx, `SELECT id, kind, starts_at, ends_at, location, status, held, version, created_by, created_at, outcome_at,
		sequence, assessment_id, young_person, young_person_reason, carers, carers_reason, cancel_reason, chair, minutes, associates,
		next_meeting_date, agency_id
		FROM meetings WHERE id = $1`, id).Scan(&m.ID, &m.Kind, timeScan{&m.StartsAt}, timeScan{&m.EndsAt}, &m.Location, &m.Status, &held,
		&m.Version, &m.CreatedBy, timeScan{&m.CreatedAt}, ntimeScan{&m.OutcomeAt},
		&m.Sequence, &m.AssessmentID, &m.YoungPerson, &m.YoungPersonReason, &m.Carers, &m.CarersReason, &m.CancelReason, &m.Chair, &m.Minutes, &m.Associates,
		&next, &m.AgencyID)
	if !next.IsZero() {
		m.NextMeetingDate = &next
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.NotFound("Meeting")
	} else if err != nil {
		return nil, internal("meeting", err)
	}
	if held.Valid {
		m.Held = &held.Bool
	}
	m.ChildIDs = childIDs
	m.Decisions, m.Actions = []lantern.MeetingDecision{}, []lantern.MeetingAction{}
	drows, err := q.QueryContext(ctx, `SELECT child_id, level, rationale, recommendations FROM meeting_decisions WHERE meeting_id = $1 ORDER BY child_id`, id)
	if err != nil {
		return nil, internal("decisions", err)
	}
	for drows.Next() {
		var d lantern.MeetingDecision
		var recs string
		if err := drows.Scan(&d.ChildID, &d.Level, &d.Rationale, &recs); err != nil {
			drows.Close()
			return nil, internal("decisions", err)
		}
		_ = json.Unmarshal([]byte(recs), &d.Recommendations)
		m.Decisions = append(m.Decisions, d)
	}
	drows.Close()
	arows, err := q.QueryContext(ctx, `SELECT ma.id, ma.description, ma.owner_id, COALESCE(u.name, ''), ma.agency_id, ma.due_date, ma.task_id,
		COALESCE(t.status, ma.status), COALESCE(t.done_at, ma.done_at)
		FROM meeting_actions ma LEFT JOIN users u ON u.id = ma.owner_id LEFT JOIN tasks t ON t.id = ma.task_id
		WHERE ma.meeting_id = $1 ORDER BY ma.due_date, ma.id`, id)
	if err != nil {
		return nil, internal("actions", err)
	}
	for arows.Next() {
		var a lantern.MeetingAction
		var status string
		if err := arows.Scan(&a.ID, &a.Description, &a.Owner, &a.OwnerName, &a.AgencyID, &a.DueDate, &a.TaskID, &status, ntimeScan{&a.DoneAt}); err != nil {
			arows.Close()
			return nil, internal("actions", err)
		}
		a.Status = lantern.TaskStatus(status)
		m.Actions = append(m.Actions, a)
	}
	arows.Close()
	if err := arows.Err(); err != nil {
		return nil, internal("actions", err)
	}
	m.Invitees, err = meetingInvitees(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func meetingInvitees(ctx context.Context, q querier, id string) ([]lantern.Invitee, error) {
	return collect(ctx, q, "invitees", `SELECT id, contact_id, name, email, agency, role, attendance, removed, sent_sequence, sent_at, send_error,
		COALESCE((SELECT d.agency_id FROM directory_contacts d WHERE d.id = meeting_invitees.contact_id), '')
		FROM meeting_invitees WHERE meeting_id = $1 ORDER BY lower(agency), lower(name), id`, func(r scanner) (lantern.Invitee, error) {
		var i lantern.Invitee
		err := r.Scan(&i.ID, &i.ContactID, &i.Name, &i.Email, &i.Agency, &i.Role, &i.Attendance, &i.Removed, &i.SentSequence,
			ntimeScan{&i.SentAt}, &i.SendError, &i.AgencyID)
		return i, err
	}, id)
}

// FindMeeting reads a meeting; the read is audited for each child on it.
func (s *Store) FindMeeting(ctx context.Context, id string) (*lantern.Meeting, error) {
	m, err := s.meeting(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return m, s.auditedChildren(ctx, auditEntry{Action: "meeting.read", Entity: "meeting", EntityID: id}, m.ChildIDs)
}

// RecordOutcome records that a meeting was held (or not), the level it
// decided for each child with the rationale and recommendations, and its
// actions, each a task in its owner's work list: the plan of
// lantern.PlanOutcome, carried out in one transaction. The version must be
// current, and the outcome not yet recorded: sending it again, with the old
// version or the new, is a conflict.
func (s *Store) RecordOutcome(ctx context.Context, id string, version int, o lantern.Outcome) (*lantern.Meeting, error) {
	if err := lantern.CheckOutcome(&o); err != nil {
		return nil, err
	}
	now := s.now()
	var out *lantern.Meeting
	err := s.write(ctx, func(tx *tx) error {
		m, err := s.meeting(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.mayMeeting(ctx, tx, m, lantern.ActRecordOutcome); err != nil {
			return err
		}
		owners, known, err := s.actionOwners(ctx, tx, o.Actions)
		if err != nil {
			return err
		}
		plan, err := lantern.PlanOutcome(m, version, o, owners, known, now)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE meetings SET status = $1, held = $2, outcome_at = $3, version = version + 1,
			chair = $4, minutes = $5, associates = $6, next_meeting_date = $7 WHERE id = $8 AND version = $9`,
			plan.Status, o.Held, s.d.ts(now), o.Chair, o.Minutes, o.Associates, o.NextMeetingDate, id, version)
		if err != nil {
			return internal("meeting outcome", err)
		}
		// On PostgreSQL another outcome may have been recorded since the
		// meeting was read: its update waited for that one, and matched none.
		if n, err := res.RowsAffected(); err != nil {
			return internal("meeting outcome", err)
		} else if n == 0 {
			e := &lantern.Error{Code: lantern.ECONFLICT, Message: "The meeting has changed, or its outcome is already recorded: look again"}
			if cur, err := s.meeting(ctx, tx, id); err == nil {
				e.Current = cur
			}
			return e
		}
		for _, d := range plan.Decisions {
			recs, _ := json.Marshal(d.Recommendations)
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_decisions (meeting_id, child_id, level, rationale, recommendations) VALUES ($1, $2, $3, $4, $5)`,
				id, d.ChildID, d.Level, d.Rationale, string(recs)); err != nil {
				return internal("meeting decision", err)
			}
			tx.audit(auditEntry{Action: "meeting.decision", Entity: "meeting", EntityID: id, ChildID: d.ChildID, Detail: "level=" + d.Level})
		}
		for invitee, a := range plan.Attendance {
			if _, err := tx.ExecContext(ctx, `UPDATE meeting_invitees SET attendance = $1 WHERE id = $2 AND meeting_id = $3`, a, invitee, m.ID); err != nil {
				return internal("attendance", err)
			}
		}
		for _, t := range plan.NextMeeting {
			if err := s.createTask(ctx, tx, t); err != nil {
				return err
			}
		}
		// Each recommendation for a child becomes work on the child
		// (docs/pathway.md#decisions-make-work).
		if plan.Status == lantern.MeetingHeld {
			work, err := s.recommendationWork(ctx, tx, m, plan.Decisions, len(plan.NextMeeting) > 0)
			if err != nil {
				return err
			}
			if err := s.createWork(ctx, tx, work); err != nil {
				return err
			}
		}
		for _, pa := range plan.Actions {
			aid := newID()
			for _, c := range m.ChildIDs {
				if err := s.involve(ctx, tx, c, pa.InvolveAgency, lantern.SourceAction, aid, "", now); err != nil {
					return err
				}
			}
			taskID := ""
			if pa.Task != nil {
				pa.Task.SourceID = aid
				if err := s.createTask(ctx, tx, pa.Task); err != nil {
					return err
				}
				taskID = pa.Task.ID
			}
			a := pa.Action
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_actions (id, meeting_id, description, owner_id, due_date, task_id, agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				aid, id, a.Description, a.Owner, a.DueDate, taskID, a.AgencyID); err != nil {
				return internal("meeting action", err)
			}
		}
		tx.audit(auditEntry{Action: "meeting.outcome", Entity: "meeting", EntityID: id, Detail: "held=" + boolText(o.Held)})
		out, err = s.meeting(ctx, tx, id)
		return err
	})
	return out, err
}

// actionOwners finds each action's owner (by user id or email address: a
// user, not disabled, in an editing role) and whether the agency it names,
// if it names one, is one of the area's.
func (s *Store) actionOwners(ctx context.Context, tx *tx, actions []lantern.MeetingAction) ([]lantern.ActionOwner, []bool, error) {
	owners, known := make([]lantern.ActionOwner, len(actions)), make([]bool, len(actions))
	for i, a := range actions {
		args := []any{a.Owner, lantern.NormaliseEmail(a.Owner)}
		o := &owners[i]
		err := tx.QueryRowContext(ctx, `SELECT u.id, u.agency_id FROM users u WHERE (u.id = $1 OR u.email = $2) AND NOT u.disabled
			AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN `+editorRoles(&args)+`)`, args...).Scan(&o.ID, &o.AgencyID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, nil, internal("action owner", err)
		}
		o.Found = err == nil
		if a.AgencyID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE id = $1`, a.AgencyID).Scan(&n); err != nil {
				return nil, nil, internal("action agency", err)
			}
			known[i] = n > 0
		}
	}
	return owners, known, nil
}

// ReportMeetings gives the partnership's figures; counts only.
func (s *Store) ReportMeetings(ctx context.Context, from, to lantern.Date) (*lantern.MeetingsReport, error) {
	if err := may(ctx, lantern.ResFigures, lantern.ActRead); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "to", Message: "The end of the period must be on or after its start"})
	}
	start, end := s.d.ts(from.Time()), s.d.ts(lantern.EndOfDay(to))
	r := &lantern.MeetingsReport{ByLevel: map[string]int{"emerging": 0, "medium": 0, "high": 0}}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM meetings WHERE kind = 'cse-strategy' AND status = 'held' AND starts_at >= $1 AND starts_at <= $2`,
		start, end).Scan(&r.Meetings); err != nil {
		return nil, internal("meetings report", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT mc.child_id, m.starts_at, m.id, COALESCE(d.level, '') FROM meeting_children mc
		JOIN meetings m ON m.id = mc.meeting_id LEFT JOIN meeting_decisions d ON d.meeting_id = m.id AND d.child_id = mc.child_id
		WHERE m.kind = 'cse-strategy' AND m.status = 'held' AND m.starts_at >= $1 AND m.starts_at <= $2`, start, end)
	if err != nil {
		return nil, internal("meetings report", err)
	}
	defer rows.Close()
	type latest struct {
		at    time.Time
		id    string
		level string
	}
	children := map[string]latest{}
	for rows.Next() {
		var child, id, level string
		var at time.Time
		if err := rows.Scan(&child, timeScan{&at}, &id, &level); err != nil {
			return nil, internal("meetings report", err)
		}
		if l, ok := children[child]; !ok || at.After(l.at) || (at.Equal(l.at) && id > l.id) {
			children[child] = latest{at, id, level}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, internal("meetings report", err)
	}
	r.Children = len(children)
	for _, l := range children {
		if l.level != "" {
			r.ByLevel[l.level]++
		}
	}
	return r, s.audited(ctx, auditEntry{Action: "report.meetings", Detail: "from=" + from.String() + " to=" + to.String()})
}
