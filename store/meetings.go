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

// CreateMeeting arranges a meeting about children the caller may see.
func (s *Store) CreateMeeting(ctx context.Context, in lantern.MeetingInput) (*lantern.Meeting, error) {
	u := lantern.UserFromContext(ctx)
	var p lantern.Problems
	if !lantern.ValidMeetingKind(in.Kind) {
		p.Add("kind", "The kind must be one of "+strings.Join(lantern.MeetingKinds, ", "))
	}
	if len(in.ChildIDs) == 0 && in.Kind != "context-conference" {
		p.Add("child_ids", "Give the children the meeting is about")
	}
	if len(in.ChildIDs) > 100 {
		p.Add("child_ids", "A meeting is about 100 children at most")
	}
	in.Location = checkWhenWhere(&p, in.StartsAt, in.EndsAt, in.Location)
	if in.Participation != nil {
		in.Participation.Check(&p)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := may(ctx, lantern.ResMeeting, lantern.ActCreate); err != nil {
		return nil, err
	}
	now := s.now()
	m := &lantern.Meeting{ID: newID(), Kind: in.Kind, StartsAt: in.StartsAt.UTC().Truncate(time.Microsecond), EndsAt: in.EndsAt.UTC().Truncate(time.Microsecond),
		Location: in.Location, Status: "scheduled", Version: 1, CreatedBy: u.ID, CreatedAt: now.UTC().Truncate(time.Microsecond),
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
			tx.audit(auditEntry{Action: "meeting.create", Entity: "meeting", EntityID: m.ID, ChildID: id, Detail: "kind=" + m.Kind})
		}
		if err := s.involveInvitees(ctx, tx, m.ChildIDs, invitees, now); err != nil {
			return err
		}
		if len(m.ChildIDs) == 0 {
			tx.audit(auditEntry{Action: "meeting.create", Entity: "meeting", EntityID: m.ID, Detail: "kind=" + m.Kind})
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
	visible, ok := meetingVisible(ctx, &args, "m.id")
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
// actions, each a task in its owner's work list. The version must be
// current, and the outcome not yet recorded: sending it again, with the old
// version or the new, is a conflict.
func (s *Store) RecordOutcome(ctx context.Context, id string, version int, o lantern.Outcome) (*lantern.Meeting, error) {
	var p lantern.Problems
	for i, d := range o.Decisions {
		f := "decisions[" + itoa(i) + "]"
		if !slices.Contains(lantern.MeetingLevels, d.Level) {
			p.Add(f+".level", "The level must be emerging, medium or high")
		}
		if len(d.Rationale) > 20000 {
			p.Add(f+".rationale", "The rationale must be 20000 characters or fewer")
		}
		for _, r := range d.Recommendations {
			if strings.TrimSpace(r) == "" || len(r) > 200 {
				p.Add(f+".recommendations", "Each recommendation is a short text, like s47, icpc or early-help")
				break
			}
		}
	}
	for i, a := range o.Actions {
		f := "actions[" + itoa(i) + "]"
		if strings.TrimSpace(a.Description) == "" {
			p.Add(f+".description", "Say what is to be done")
		} else if len(a.Description) > 5000 {
			p.Add(f+".description", "The description must be 5000 characters or fewer")
		}
		if strings.TrimSpace(a.Owner) == "" {
			p.Add(f+".owner", "Give the action's owner: a user's id or email address")
		}
		if a.DueDate.IsZero() {
			p.Add(f+".due_date", "Give the date the action is due, as YYYY-MM-DD")
		}
	}
	if !o.Held && (len(o.Decisions) > 0) {
		p.Add("held", "A meeting that was not held made no decisions")
	}
	o.Chair, o.Minutes, o.Associates = strings.TrimSpace(o.Chair), strings.TrimSpace(o.Minutes), strings.TrimSpace(o.Associates)
	if len(o.Chair) > 200 {
		p.Add("chair", "The chair's name must be 200 characters or fewer")
	}
	if len(o.Minutes) > 200000 {
		p.Add("minutes", "The minutes must be 200000 characters or fewer")
	}
	if len(o.Associates) > 50000 {
		p.Add("associates", "What is known of associates must be 50000 characters or fewer")
	}
	for id, a := range o.Attendance {
		if !slices.Contains(lantern.Attendances, a) {
			p.Add("attendance."+id, "Attendance must be attended, apologies, sent-report or absent")
		}
	}
	if err := p.Err(); err != nil {
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
		if m.Version != version {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "The meeting has changed, or its outcome is already recorded: look again", Current: m}
		}
		// A meeting ahead of now may be recorded as held: the API takes
		// times ahead (see lantern.CheckEventTime); the page refuses it.
		if m.Status == "cancelled" {
			return lantern.Invalid(lantern.FieldError{Field: "held", Message: "The meeting was cancelled"})
		}
		// An outcome is recorded once: recording it again would add its
		// actions, and their tasks, a second time.
		if m.Status != "scheduled" {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "The meeting's outcome is already recorded", Current: m}
		}
		decided := map[string]bool{}
		var p lantern.Problems
		for i, d := range o.Decisions {
			if !slices.Contains(m.ChildIDs, d.ChildID) {
				p.Add("decisions["+itoa(i)+"].child_id", "This child is not on the meeting")
			}
			if decided[d.ChildID] {
				p.Add("decisions["+itoa(i)+"].child_id", "Only one decision per child")
			}
			decided[d.ChildID] = true
		}
		invitees := map[string]bool{}
		for _, v := range m.Invitees {
			invitees[v.ID] = true
		}
		for id := range o.Attendance {
			if !invitees[id] {
				p.Add("attendance."+id, "This is not someone invited to the meeting")
			}
		}
		if !o.NextMeetingDate.IsZero() && o.NextMeetingDate.Before(lantern.DateOf(m.StartsAt.In(lantern.London))) {
			p.Add("next_meeting_date", "The next meeting must be on or after this one")
		}
		// An owner works on children's records (the editing roles): their
		// task is about a child they must open.
		owners, agencies, ownerAgencies := make([]string, len(o.Actions)), make([]string, len(o.Actions)), make([]string, len(o.Actions))
		for i, a := range o.Actions {
			var ownerID, agencyID string
			args := []any{a.Owner, lantern.NormaliseEmail(a.Owner)}
			err := tx.QueryRowContext(ctx, `SELECT u.id, u.agency_id FROM users u WHERE (u.id = $1 OR u.email = $2) AND NOT u.disabled
				AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN `+editorRoles(&args)+`)`, args...).Scan(&ownerID, &agencyID)
			if err != nil {
				p.Add("actions["+itoa(i)+"].owner", "The owner must be a Lantern user who works on children's records: give their id or email address")
			}
			ownerAgencies[i] = agencyID
			if a.AgencyID != "" {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE id = $1`, a.AgencyID).Scan(&n); err != nil {
					return internal("action agency", err)
				} else if n == 0 {
					p.Add("actions["+itoa(i)+"].agency_id", "The agency must be one of the area's agencies")
				}
				agencyID = a.AgencyID
			}
			owners[i], agencies[i] = ownerID, agencyID
		}
		if err := p.Err(); err != nil {
			return err
		}
		status := "held"
		if !o.Held {
			status = "not-held"
		}
		res, err := tx.ExecContext(ctx, `UPDATE meetings SET status = $1, held = $2, outcome_at = $3, version = version + 1,
			chair = $4, minutes = $5, associates = $6, next_meeting_date = $7 WHERE id = $8 AND version = $9`,
			status, o.Held, s.d.ts(now), o.Chair, o.Minutes, o.Associates, o.NextMeetingDate, id, version)
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_decisions WHERE meeting_id = $1`, id); err != nil {
			return internal("meeting outcome", err)
		}
		for _, d := range o.Decisions {
			recs, _ := json.Marshal(orEmpty(d.Recommendations))
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_decisions (meeting_id, child_id, level, rationale, recommendations) VALUES ($1, $2, $3, $4, $5)`,
				id, d.ChildID, d.Level, strings.TrimSpace(d.Rationale), string(recs)); err != nil {
				return internal("meeting decision", err)
			}
			tx.audit(auditEntry{Action: "meeting.decision", Entity: "meeting", EntityID: id, ChildID: d.ChildID, Detail: "level=" + d.Level})
		}
		for id, a := range o.Attendance {
			if _, err := tx.ExecContext(ctx, `UPDATE meeting_invitees SET attendance = $1 WHERE id = $2 AND meeting_id = $3`, a, id, m.ID); err != nil {
				return internal("attendance", err)
			}
		}
		// The next meeting's date: a task for each child, ended when the
		// next meeting of the kind is arranged. (An outcome is recorded
		// once, so there is no earlier date's task to replace.)
		if !o.NextMeetingDate.IsZero() {
			for _, c := range m.ChildIDs {
				t := &lantern.Task{ChildID: c, Clock: lantern.ClockNextMeeting, StartedAt: now, DueDate: o.NextMeetingDate, DueAt: lantern.EndOfDay(o.NextMeetingDate),
					AssigneeID: m.CreatedBy, TeamAgencyID: m.AgencyID, Source: "meeting", SourceID: m.ID}
				if err := s.createTask(ctx, tx, t); err != nil {
					return err
				}
			}
		}
		for i, a := range o.Actions {
			aid := newID()
			childID := ""
			if len(m.ChildIDs) > 0 {
				childID = m.ChildIDs[0]
			}
			// The owner must open the child's record to act: their agency is
			// involved with each child until the action is done.
			for _, c := range m.ChildIDs {
				if err := s.involve(ctx, tx, c, ownerAgencies[i], lantern.SourceAction, aid, "", now); err != nil {
					return err
				}
			}
			taskID := ""
			if childID != "" {
				t := &lantern.Task{ChildID: childID, Clock: lantern.ClockMeetingAction, StartedAt: now, DueDate: a.DueDate, DueAt: lantern.EndOfDay(a.DueDate),
					AssigneeID: owners[i], TeamAgencyID: agencies[i], Source: "meeting-action", SourceID: aid}
				if err := s.createTask(ctx, tx, t); err != nil {
					return err
				}
				taskID = t.ID
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_actions (id, meeting_id, description, owner_id, due_date, task_id, agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				aid, id, strings.TrimSpace(a.Description), owners[i], a.DueDate, taskID, agencies[i]); err != nil {
				return internal("meeting action", err)
			}
		}
		tx.audit(auditEntry{Action: "meeting.outcome", Entity: "meeting", EntityID: id, Detail: "held=" + boolText(o.Held)})
		out, err = s.meeting(ctx, tx, id)
		return err
	})
	return out, err
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
