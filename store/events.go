package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"lantern"
	"lantern/clocks"
)

// eventChild finds the child for recording an event, and checks the caller
// may take act on res of theirs.
func (s *Store) eventChild(ctx context.Context, tx *tx, childID string, res lantern.Resource, act lantern.Action) (*lantern.Child, error) {
	child, err := s.findChild(ctx, tx, childID, true)
	if err != nil {
		return nil, err
	}
	if err := mayChild(ctx, child, res, act); err != nil {
		return nil, err
	}
	if child.MergedInto != "" {
		return nil, lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: record it there")
	}
	return child, nil
}

func appendTask(ts []*lantern.Task, t *lantern.Task) []*lantern.Task {
	if t != nil {
		ts = append(ts, t)
	}
	return ts
}

// CreateReferral records a referral to children's social care and starts
// its clocks: the decision, feedback to the referrer, the assessment, and
// for a telephone referral the referrer's written follow-up.
func (s *Store) CreateReferral(ctx context.Context, childID string, r *lantern.Referral) (*lantern.Referral, error) {
	now := s.now()
	if err := lantern.ValidateReferral(r, now); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	r.ID, r.ChildID, r.Version, r.Tasks = newID(), childID, 1, []*lantern.Task{}
	r.ReceivedAt = r.ReceivedAt.UTC().Truncate(time.Microsecond)
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.eventChild(ctx, tx, childID, lantern.ResEvent, lantern.ActCreate)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referrals (id, child_id, received_at, method, referrer_name, referrer_agency, version, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)`, r.ID, childID, s.d.ts(r.ReceivedAt), r.Method, r.Referrer.Name, r.Referrer.Agency, u.ID, s.d.ts(now)); err != nil {
			return internal("insert referral", err)
		}
		r.Source = lantern.SourceRecorded
		if err := s.startReferralClocks(ctx, tx, child, r, ""); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "referral.create", Entity: "referral", EntityID: r.ID, ChildID: childID, Detail: "method=" + string(r.Method)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// UpdateReferral records the decision, the written follow-up or the feedback
// to the referrer, as lantern.PlanReferralUpdate plans it: each may be given
// once, and the version must be current.
func (s *Store) UpdateReferral(ctx context.Context, childID, id string, version int, up lantern.ReferralUpdate) (*lantern.Referral, error) {
	if err := lantern.CheckReferralUpdate(up, s.now()); err != nil {
		return nil, err
	}
	var out *lantern.Referral
	now := s.now()
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.eventChild(ctx, tx, childID, lantern.ResEvent, lantern.ActChange)
		if err != nil {
			return err
		}
		if up.Decision != "" {
			// Deciding is the front door's.
			if err := mayChild(ctx, child, lantern.ResFrontDoor, lantern.ActChange); err != nil {
				return err
			}
			if err := lantern.CheckDecision(up.Decision, up.DecisionReason, child); err != nil {
				return err
			}
		}
		r, err := s.referral(ctx, tx, childID, id)
		if err != nil {
			return err
		}
		plan, err := lantern.PlanReferralUpdate(r, version, up)
		if err != nil {
			return err
		}
		// A referrer with an account sees the decision on their concern
		// and is emailed: that is the feedback, and ends its clock.
		if plan.Decision != "" && r.ReferrerID != "" && r.FeedbackAt == nil && up.FeedbackAt == nil {
			plan.Set = append(plan.Set, lantern.ReferralTime{Column: "feedback_at", Clock: clocks.ReferrerFeedback, At: *up.DecidedAt})
		}
		for _, t := range plan.Set {
			// The column is the plan's own name, never the caller's.
			if _, err := tx.ExecContext(ctx, `UPDATE referrals SET `+t.Column+` = $1 WHERE id = $2`, s.d.ts(t.At), id); err != nil {
				return internal("update referral", err)
			}
			if err := s.finishSourceTasks(ctx, tx, childID, t.Clock, id, t.At); err != nil {
				return err
			}
		}
		if plan.Decision != "" {
			u := lantern.UserFromContext(ctx)
			if _, err := tx.ExecContext(ctx, `UPDATE referrals SET decision = $1, decision_reason = $2, decided_by = $3 WHERE id = $4`,
				plan.Decision, strings.TrimSpace(up.DecisionReason), u.ID, id); err != nil {
				return internal("update referral", err)
			}
			if r.ReferrerID != "" {
				if err := s.raiseAlert(ctx, tx, lantern.AlertDecision, childID, id, alertTo{userID: r.ReferrerID}, now); err != nil {
					return err
				}
			}
			if plan.Decision == lantern.DecideAlreadyOpen {
				if err := s.raiseAlert(ctx, tx, lantern.AlertAlreadyOpen, childID, id, alertTo{userID: child.AllocatedSocialWorkerID}, now); err != nil {
					return err
				}
			}
		}
		if plan.CloseAssessment {
			if err := s.closeSourceTasks(ctx, tx, childID, clocks.Assessment, id, "referral decision: "+string(plan.Decision), *up.DecidedAt); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET version = version + 1 WHERE id = $1`, id); err != nil {
			return internal("update referral", err)
		}
		tx.audit(auditEntry{Action: "referral.update", Entity: "referral", EntityID: id, ChildID: childID, Detail: "decision=" + string(up.Decision)})
		out, err = s.referral(ctx, tx, childID, id)
		return err
	})
	return out, err
}

func (s *Store) referral(ctx context.Context, q querier, childID, id string) (*lantern.Referral, error) {
	r, err := scanReferral(q.QueryRowContext(ctx, `SELECT `+referralCols+` FROM referrals WHERE id = $1 AND child_id = $2`, id, childID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.NotFound("Referral")
	}
	return r, internal("referral", err)
}

// Referrals lists a child's referrals, newest first.
func (s *Store) Referrals(ctx context.Context, childID string) ([]*lantern.Referral, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+referralCols+` FROM referrals WHERE child_id = $1 ORDER BY received_at DESC, id`, childID)
	if err != nil {
		return nil, internal("referrals", err)
	}
	defer rows.Close()
	out := []*lantern.Referral{}
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, internal("referrals", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("referrals", err)
	}
	return out, s.audited(ctx, auditEntry{Action: "referral.list", Entity: "referral", ChildID: childID})
}

// CreateStrategyDiscussion records a strategy discussion. One that decides
// on section 47 enquiries starts the clock for the initial child protection
// conference, replacing the clock an earlier one started.
func (s *Store) CreateStrategyDiscussion(ctx context.Context, childID string, sd *lantern.StrategyDiscussion) (*lantern.StrategyDiscussion, error) {
	now := s.now()
	var p lantern.Problems
	lantern.CheckEventTime(&p, "held_at", sd.HeldAt, now)
	if !sd.Decision.Valid() {
		p.Add("decision", "The decision must be s47 or no-s47")
	}
	if len(sd.Participants) > 50 {
		p.Add("participants", "A strategy discussion has 50 participants at most")
	}
	for i := range sd.Participants {
		pt := &sd.Participants[i]
		pt.Name, pt.Agency = strings.TrimSpace(pt.Name), strings.TrimSpace(pt.Agency)
		if pt.Name == "" || pt.Agency == "" || len(pt.Name) > 200 || len(pt.Agency) > 200 {
			p.Add("participants", "Give each participant's name and agency, 200 characters at most each (participant "+itoa(i+1)+")")
			break
		}
	}
	if sd.Notes = strings.TrimSpace(sd.Notes); len(sd.Notes) > 20000 {
		p.Add("notes", "The notes must be 20000 characters or fewer")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if sd.Participants == nil {
		sd.Participants = []lantern.Participant{}
	}
	u := lantern.UserFromContext(ctx)
	sd.ID, sd.ChildID, sd.Tasks = newID(), childID, []*lantern.Task{}
	sd.HeldAt = sd.HeldAt.UTC().Truncate(time.Microsecond)
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.eventChild(ctx, tx, childID, lantern.ResEvent, lantern.ActCreate)
		if err != nil {
			return err
		}
		parts, _ := json.Marshal(sd.Participants)
		if _, err := tx.ExecContext(ctx, `INSERT INTO strategy_discussions (id, child_id, held_at, decision, participants, notes, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, sd.ID, childID, s.d.ts(sd.HeldAt), sd.Decision, string(parts), sd.Notes, u.ID, s.d.ts(now)); err != nil {
			return internal("insert strategy discussion", err)
		}
		if sd.Decision == lantern.DiscussionS47 {
			cal, err := s.workCalendar(ctx, tx)
			if err != nil {
				return err
			}
			if err := s.closeTasks(ctx, tx, childID, clocks.ICPC, "superseded by a later strategy discussion", sd.HeldAt); err != nil {
				return err
			}
			t, err := s.startClock(ctx, tx, cal, child, clocks.ICPC, sd.HeldAt, "strategy-discussion", sd.ID)
			if err != nil {
				return err
			}
			sd.Tasks = appendTask(sd.Tasks, t)
		}
		tx.audit(auditEntry{Action: "strategy-discussion.create", Entity: "strategy_discussion", EntityID: sd.ID, ChildID: childID, Detail: "decision=" + string(sd.Decision)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sd, nil
}

// CreateConference records a child protection conference, and carries out
// lantern.PlanConference: the clocks it stops and starts, and the child
// protection plan it starts or ends.
func (s *Store) CreateConference(ctx context.Context, childID string, c *lantern.Conference) (*lantern.Conference, error) {
	now := s.now()
	if err := lantern.CheckConference(c, now); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	c.ID, c.ChildID, c.Tasks = newID(), childID, []*lantern.Task{}
	c.HeldAt = c.HeldAt.UTC().Truncate(time.Microsecond)
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.eventChild(ctx, tx, childID, lantern.ResEvent, lantern.ActCreate)
		if err != nil {
			return err
		}
		cal, err := s.workCalendar(ctx, tx)
		if err != nil {
			return err
		}
		var s47Before int
		if c.Kind == lantern.ConferenceInitial {
			// An s47 discussion counts for the first initial conference after it.
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM strategy_discussions sd WHERE sd.child_id = $1 AND sd.decision = 's47'
				AND sd.held_at <= $2 AND NOT EXISTS (SELECT 1 FROM conferences k WHERE k.child_id = $1 AND k.kind = 'initial'
				AND k.held_at >= sd.held_at AND k.held_at <= $2)`, childID, s.d.ts(c.HeldAt)).Scan(&s47Before); err != nil {
				return internal("strategy discussions", err)
			}
		}
		plan := lantern.PlanConference(*c, s47Before > 0)
		c.Flags = plan.Flags
		if plan.EndPlan {
			c.PlanEndReason = plan.EndReason
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO conferences (id, child_id, kind, held_at, outcome, flagged, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ID, childID, c.Kind, s.d.ts(c.HeldAt), c.Outcome, len(c.Flags) > 0, u.ID, s.d.ts(now)); err != nil {
			return internal("insert conference", err)
		}
		if err := s.endClocks(ctx, tx, childID, plan.End, c.HeldAt); err != nil {
			return err
		}
		heldOn := lantern.Today(c.HeldAt)
		if plan.StartPlan || plan.EndPlan {
			if _, err := tx.ExecContext(ctx, `UPDATE protection_plans SET ended_on = $1, ended_by = $2, end_reason = $3 WHERE child_id = $4 AND ended_on IS NULL`,
				heldOn, c.ID, plan.EndReason, childID); err != nil {
				return internal("end plan", err)
			}
		}
		if plan.StartPlan {
			if _, err := tx.ExecContext(ctx, `INSERT INTO protection_plans (id, child_id, started_on, started_by) VALUES ($1, $2, $3, $4)`,
				newID(), childID, heldOn, c.ID); err != nil {
				return internal("start plan", err)
			}
		}
		for _, clock := range plan.Start {
			t, err := s.startClock(ctx, tx, cal, child, clock, c.HeldAt, "conference", c.ID)
			if err != nil {
				return err
			}
			c.Tasks = appendTask(c.Tasks, t)
		}
		tx.audit(auditEntry{Action: "conference.create", Entity: "conference", EntityID: c.ID, ChildID: childID,
			Detail: "kind=" + string(c.Kind) + " outcome=" + string(c.Outcome) + " flags=" + strings.Join(c.Flags, ",")})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// CreateCoreGroup records a core group meeting, which stops the core group clock.
func (s *Store) CreateCoreGroup(ctx context.Context, childID string, heldAt time.Time) (string, error) {
	now := s.now()
	var p lantern.Problems
	lantern.CheckEventTime(&p, "held_at", heldAt, now)
	if err := p.Err(); err != nil {
		return "", err
	}
	id := newID()
	err := s.write(ctx, func(tx *tx) error {
		if _, err := s.eventChild(ctx, tx, childID, lantern.ResEvent, lantern.ActCreate); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO core_groups (id, child_id, held_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
			id, childID, s.d.ts(heldAt), lantern.UserFromContext(ctx).ID, s.d.ts(now)); err != nil {
			return internal("insert core group", err)
		}
		if err := s.finishTasks(ctx, tx, childID, clocks.CoreGroup, heldAt); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "core-group.create", Entity: "core_group", EntityID: id, ChildID: childID})
		return nil
	})
	return id, err
}

// RecordSWAssessment records a social work assessment started and, if
// given, completed. Completing a single or initial assessment stops the
// assessment clock; starting a core assessment (wt2006) starts its clock
// and completing it stops it.
func (s *Store) RecordSWAssessment(ctx context.Context, childID string, a *lantern.SWAssessment) (*lantern.SWAssessment, error) {
	now := s.now()
	var p lantern.Problems
	if !a.Kind.Valid() {
		p.Add("kind", "The kind must be single, initial or core")
	}
	lantern.CheckEventTime(&p, "started_at", a.StartedAt, now)
	if a.CompletedAt != nil {
		lantern.CheckEventTime(&p, "completed_at", *a.CompletedAt, now)
		if a.CompletedAt.Before(a.StartedAt) {
			p.Add("completed_at", "An assessment cannot be completed before it started")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	a.ID, a.ChildID, a.Tasks = newID(), childID, []*lantern.Task{}
	a.StartedAt = a.StartedAt.UTC().Truncate(time.Microsecond)
	if a.CompletedAt != nil {
		t := a.CompletedAt.UTC().Truncate(time.Microsecond)
		a.CompletedAt = &t
	}
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.eventChild(ctx, tx, childID, lantern.ResStatutory, lantern.ActCreate)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sw_assessments (id, child_id, kind, started_at, completed_at, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, childID, a.Kind, s.d.ts(a.StartedAt), s.d.nts(a.CompletedAt),
			lantern.UserFromContext(ctx).ID, s.d.ts(now)); err != nil {
			return internal("insert assessment", err)
		}
		clock := clocks.Assessment
		if a.Kind == lantern.SWCore {
			clock = clocks.CoreAssessment
			if a.CompletedAt == nil {
				cal, err := s.workCalendar(ctx, tx)
				if err != nil {
					return err
				}
				t, err := s.startClock(ctx, tx, cal, child, clocks.CoreAssessment, a.StartedAt, "sw-assessment", a.ID)
				if err != nil {
					return err
				}
				a.Tasks = appendTask(a.Tasks, t)
			}
		}
		if a.CompletedAt != nil {
			if err := s.finishTasks(ctx, tx, childID, clock, *a.CompletedAt); err != nil {
				return err
			}
		}
		tx.audit(auditEntry{Action: "sw-assessment.create", Entity: "sw_assessment", EntityID: a.ID, ChildID: childID, Detail: "kind=" + string(a.Kind)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// CloseTask closes a task without its event, with a reason: a manager's
// decision (the work is no longer needed, or was done elsewhere).
func (s *Store) CloseTask(ctx context.Context, id string, version int, reason string) (*lantern.Task, error) {
	u := lantern.UserFromContext(ctx)
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, lantern.Invalid(lantern.FieldError{Field: "reason", Message: "Say why the task is closed"})
	}
	now := s.now()
	var out *lantern.Task
	err := s.write(ctx, func(tx *tx) error {
		t, err := s.taskForChange(ctx, tx, id)
		if err != nil {
			return err
		}
		// A manager closes their own team's work: another agency's manager,
		// who may see a shared child, may not close it.
		rel := lantern.RelOther
		if u != nil && u.AgencyID == t.TeamAgencyID {
			rel = lantern.RelOwn
		}
		if err := lantern.Check(u, lantern.ResTask, lantern.ActClose, rel); err != nil {
			return err
		}
		if t.Version != version {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this task", Current: t}
		}
		if t.Status != lantern.TaskOpen {
			return lantern.Invalid(lantern.FieldError{Field: "status", Message: "The task is already " + string(t.Status)})
		}
		if err := s.endQueried(ctx, tx, t.ChildID, t.Clock, now, reason, `SELECT id FROM tasks WHERE id = $1`, id); err != nil {
			return err
		}
		// A meeting's action closed is done with: its owner's involvement ends.
		if t.Source == "meeting-action" {
			if err := s.endSource(ctx, tx, lantern.SourceAction, t.SourceID, "The action's task was closed: "+reason, now); err != nil {
				return err
			}
		}
		t.Status, t.ClosedReason, t.Version = lantern.TaskClosed, reason, t.Version+1
		done := now.UTC().Truncate(time.Microsecond)
		t.DoneAt = &done
		out = t
		return nil
	})
	return out, err
}

// RecordS47 records a section 47 enquiry: started, and when completed, its
// outcome. It may name the strategy discussion that decided on it.
func (s *Store) RecordS47(ctx context.Context, childID string, e *lantern.S47Enquiry) (*lantern.S47Enquiry, error) {
	now := s.now()
	var p lantern.Problems
	lantern.CheckEventTime(&p, "started_at", e.StartedAt, now)
	if e.CompletedAt != nil {
		lantern.CheckEventTime(&p, "completed_at", *e.CompletedAt, now)
		if e.CompletedAt.Before(e.StartedAt) {
			p.Add("completed_at", "An enquiry cannot be completed before it started")
		}
		if !e.Outcome.Valid() {
			p.Add("outcome", "The outcome must be one of "+lantern.OneOf(lantern.S47Outcomes))
		}
	} else if e.Outcome != "" {
		p.Add("completed_at", "Give when the enquiry was completed with its outcome")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	e.ID, e.ChildID, e.Version, e.Tasks = newID(), childID, 1, []*lantern.Task{}
	e.StartedAt = e.StartedAt.UTC().Truncate(time.Microsecond)
	if e.CompletedAt != nil {
		t := e.CompletedAt.UTC().Truncate(time.Microsecond)
		e.CompletedAt = &t
	}
	err := s.write(ctx, func(tx *tx) error {
		if _, err := s.eventChild(ctx, tx, childID, lantern.ResStatutory, lantern.ActCreate); err != nil {
			return err
		}
		var sd any
		if e.StrategyDiscussionID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM strategy_discussions WHERE id = $1 AND child_id = $2 AND decision = 's47'`,
				e.StrategyDiscussionID, childID).Scan(&n); err != nil {
				return internal("strategy discussion", err)
			}
			if n == 0 {
				return lantern.Invalid(lantern.FieldError{Field: "strategy_discussion_id", Message: "Name a strategy discussion of this child's that decided on s47 enquiries"})
			}
			sd = e.StrategyDiscussionID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO s47_enquiries (id, child_id, strategy_discussion_id, started_at, completed_at, outcome, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.ID, childID, sd, s.d.ts(e.StartedAt), s.d.nts(e.CompletedAt), e.Outcome,
			lantern.UserFromContext(ctx).ID, s.d.ts(now)); err != nil {
			return internal("insert s47 enquiry", err)
		}
		if e.CompletedAt != nil {
			if err := s.endClocks(ctx, tx, childID, lantern.S47ClockEnds(e.Outcome), *e.CompletedAt); err != nil {
				return err
			}
		}
		tx.audit(auditEntry{Action: "s47.create", Entity: "s47_enquiry", EntityID: e.ID, ChildID: childID, Detail: "outcome=" + string(e.Outcome)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// CompleteS47 records a section 47 enquiry's completion and outcome later,
// as lantern.PlanS47Completion plans it: once, with the version current.
// An outcome with no continuing risk closes the child's open icpc task.
func (s *Store) CompleteS47(ctx context.Context, childID, id string, version int, c lantern.S47Completion) (*lantern.S47Enquiry, error) {
	if err := lantern.CheckS47Completion(c, s.now()); err != nil {
		return nil, err
	}
	at := c.CompletedAt.UTC().Truncate(time.Microsecond)
	var out *lantern.S47Enquiry
	err := s.write(ctx, func(tx *tx) error {
		if _, err := s.eventChild(ctx, tx, childID, lantern.ResStatutory, lantern.ActChange); err != nil {
			return err
		}
		e, err := scanS47(tx.QueryRowContext(ctx, `SELECT `+s47Cols+` FROM s47_enquiries WHERE id = $1 AND child_id = $2`, id, childID))
		if errors.Is(err, sql.ErrNoRows) {
			return lantern.NotFound("Enquiry")
		} else if err != nil {
			return internal("s47 enquiry", err)
		}
		ends, err := lantern.PlanS47Completion(e, version, c)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE s47_enquiries SET completed_at = $1, outcome = $2, version = version + 1 WHERE id = $3`,
			s.d.ts(at), c.Outcome, id); err != nil {
			return internal("complete s47 enquiry", err)
		}
		if err := s.endClocks(ctx, tx, childID, ends, at); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "s47.complete", Entity: "s47_enquiry", EntityID: id, ChildID: childID, Detail: "outcome=" + string(c.Outcome)})
		e.CompletedAt, e.Outcome, e.Version = &at, c.Outcome, e.Version+1
		e.Tasks = []*lantern.Task{}
		out = e
		return nil
	})
	return out, err
}

// endClocks ends a child's open tasks of each clock as a plan says: done,
// or closed with its reason.
func (s *Store) endClocks(ctx context.Context, tx *tx, childID string, ends []lantern.ClockEnd, at time.Time) error {
	for _, e := range ends {
		var err error
		if e.Reason == "" {
			err = s.finishTasks(ctx, tx, childID, e.Clock, at)
		} else {
			err = s.closeTasks(ctx, tx, childID, e.Clock, e.Reason, at)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
