package store

// Reads of a child's statutory events (referrals, strategy discussions,
// conferences, core groups, social work assessments and child protection
// plans), for the pages. Every read goes through findChild (the access
// rule) and is audited once.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"lantern"
)

// ChildEvents reads a child's statutory events. The read is audited once.
func (s *Store) ChildEvents(ctx context.Context, childID string) (*lantern.ChildEvents, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	ev := &lantern.ChildEvents{ChildID: childID}
	var err error
	if ev.Referrals, err = collect(ctx, s.db, "referrals",
		`SELECT `+referralCols+` FROM referrals WHERE child_id = $1 ORDER BY received_at DESC, id DESC`, scanReferral, childID); err != nil {
		return nil, err
	}
	if ev.StrategyDiscussions, err = collect(ctx, s.db, "strategy discussions",
		`SELECT `+strategyDiscussionCols+` FROM strategy_discussions WHERE child_id = $1 ORDER BY held_at DESC, id DESC`, scanStrategyDiscussion, childID); err != nil {
		return nil, err
	}
	if ev.Conferences, err = collect(ctx, s.db, "conferences",
		`SELECT `+conferenceCols+` FROM conferences WHERE child_id = $1 ORDER BY held_at DESC, id DESC`, scanConference, childID); err != nil {
		return nil, err
	}
	if ev.CoreGroups, err = collect(ctx, s.db, "core groups",
		`SELECT `+coreGroupCols+` FROM core_groups WHERE child_id = $1 ORDER BY held_at DESC, id DESC`, scanCoreGroup, childID); err != nil {
		return nil, err
	}
	if ev.SWAssessments, err = collect(ctx, s.db, "social work assessments",
		`SELECT `+swAssessmentCols+` FROM sw_assessments WHERE child_id = $1 ORDER BY started_at DESC, id DESC`, scanSWAssessment, childID); err != nil {
		return nil, err
	}
	if ev.S47Enquiries, err = collect(ctx, s.db, "s47 enquiries",
		`SELECT `+s47Cols+` FROM s47_enquiries WHERE child_id = $1 ORDER BY started_at DESC, id DESC`, scanS47, childID); err != nil {
		return nil, err
	}
	if ev.Plans, err = collect(ctx, s.db, "protection plans",
		`SELECT `+planCols+` FROM protection_plans WHERE child_id = $1 ORDER BY started_on DESC, id DESC`, scanPlan, childID); err != nil {
		return nil, err
	}
	for _, p := range ev.Plans {
		if p.Current() {
			ev.Plan = p
			break
		}
	}
	if err := s.audited(ctx, auditEntry{Action: "child.events.read", Entity: "child", EntityID: childID, ChildID: childID}); err != nil {
		return nil, err
	}
	return ev, nil
}

// FindReferral reads one of a child's referrals with its tasks, soonest due
// first. The read is audited.
func (s *Store) FindReferral(ctx context.Context, childID, id string) (*lantern.Referral, error) {
	return findEvent(ctx, s, childID, id, "referral", "referral", "Referral",
		`SELECT `+referralCols+` FROM referrals WHERE id = $1 AND child_id = $2`, scanReferral,
		func(r *lantern.Referral, ts []*lantern.Task) { r.Tasks = ts })
}

// FindStrategyDiscussion reads one of a child's strategy discussions with
// its tasks. The read is audited.
func (s *Store) FindStrategyDiscussion(ctx context.Context, childID, id string) (*lantern.StrategyDiscussion, error) {
	return findEvent(ctx, s, childID, id, "strategy-discussion", "strategy_discussion", "Strategy discussion",
		`SELECT `+strategyDiscussionCols+` FROM strategy_discussions WHERE id = $1 AND child_id = $2`, scanStrategyDiscussion,
		func(sd *lantern.StrategyDiscussion, ts []*lantern.Task) { sd.Tasks = ts })
}

// FindConference reads one of a child's conferences with its tasks and
// flags. The read is audited.
func (s *Store) FindConference(ctx context.Context, childID, id string) (*lantern.Conference, error) {
	return findEvent(ctx, s, childID, id, "conference", "conference", "Conference",
		`SELECT `+conferenceCols+` FROM conferences WHERE id = $1 AND child_id = $2`, scanConference,
		func(c *lantern.Conference, ts []*lantern.Task) { c.Tasks = ts })
}

// FindCoreGroup reads one of a child's core group meetings. The read is
// audited.
func (s *Store) FindCoreGroup(ctx context.Context, childID, id string) (*lantern.CoreGroup, error) {
	return findEvent(ctx, s, childID, id, "core-group", "core_group", "Core group meeting",
		`SELECT `+coreGroupCols+` FROM core_groups WHERE id = $1 AND child_id = $2`, scanCoreGroup,
		func(g *lantern.CoreGroup, ts []*lantern.Task) { g.Tasks = ts })
}

// FindSWAssessment reads one of a child's social work assessments with its
// tasks. The read is audited.
func (s *Store) FindSWAssessment(ctx context.Context, childID, id string) (*lantern.SWAssessment, error) {
	return findEvent(ctx, s, childID, id, "sw-assessment", "sw_assessment", "Assessment",
		`SELECT `+swAssessmentCols+` FROM sw_assessments WHERE id = $1 AND child_id = $2`, scanSWAssessment,
		func(a *lantern.SWAssessment, ts []*lantern.Task) { a.Tasks = ts })
}

// findEvent reads one event of a child the caller may see, and the tasks
// it started (source and source id), audited as entity.read.
func findEvent[T any](ctx context.Context, s *Store, childID, id, source, entity, what, query string,
	scan func(scanner) (T, error), setTasks func(T, []*lantern.Task)) (T, error) {
	var zero T
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return zero, err
	}
	v, err := scan(s.db.QueryRowContext(ctx, query, id, childID))
	if errors.Is(err, sql.ErrNoRows) {
		return zero, lantern.NotFound(what)
	} else if err != nil {
		return zero, internal(entity, err)
	}
	ts, err := s.eventTasks(ctx, childID, source, id)
	if err != nil {
		return zero, err
	}
	setTasks(v, ts)
	if err := s.audited(ctx, auditEntry{Action: entity + ".read", Entity: entity, EntityID: id, ChildID: childID}); err != nil {
		return zero, err
	}
	return v, nil
}

// eventTasks are the tasks an event of a child started, soonest due first.
func (s *Store) eventTasks(ctx context.Context, childID, source, id string) ([]*lantern.Task, error) {
	return collect(ctx, s.db, "tasks",
		`SELECT `+taskCols+` FROM tasks t WHERE t.child_id = $1 AND t.source = $2 AND t.source_id = $3 ORDER BY t.due_at, t.id`,
		scanTask, childID, source, id)
}

const referralCols = `id, child_id, received_at, method, referrer_name, referrer_agency, decision, decided_at,
	written_confirmation_at, feedback_at, version, source, COALESCE(concern_id, ''), COALESCE(from_agency_id, ''),
	COALESCE(referrer_id, ''), immediate_risk, decision_reason, COALESCE(decided_by, ''), decision_due_at, rag,
	consent, consent_reason, COALESCE(consent_by, ''), COALESCE(consent_approved_by, ''), consent_approved_at`

func scanReferral(r scanner) (*lantern.Referral, error) {
	var v lantern.Referral
	err := r.Scan(&v.ID, &v.ChildID, timeScan{&v.ReceivedAt}, &v.Method, &v.Referrer.Name, &v.Referrer.Agency, &v.Decision,
		ntimeScan{&v.DecidedAt}, ntimeScan{&v.WrittenConfirmationAt}, ntimeScan{&v.FeedbackAt}, &v.Version,
		&v.Source, &v.ConcernID, &v.FromAgencyID, &v.ReferrerID, &v.ImmediateRisk, &v.DecisionReason, &v.DecidedBy,
		ntimeScan{&v.DecisionDueAt}, &v.RAG, &v.Consent.State, &v.Consent.Reason, &v.Consent.RecordedBy, &v.Consent.ApprovedBy,
		ntimeScan{&v.Consent.ApprovedAt})
	v.Tasks = []*lantern.Task{}
	return &v, err
}

const strategyDiscussionCols = `id, child_id, held_at, decision, participants, notes`

func scanStrategyDiscussion(r scanner) (*lantern.StrategyDiscussion, error) {
	var v lantern.StrategyDiscussion
	var parts string
	if err := r.Scan(&v.ID, &v.ChildID, timeScan{&v.HeldAt}, &v.Decision, &parts, &v.Notes); err != nil {
		return nil, err
	}
	v.Participants = []lantern.Participant{}
	if parts != "" {
		if err := json.Unmarshal([]byte(parts), &v.Participants); err != nil {
			return nil, err
		}
	}
	v.Tasks = []*lantern.Task{}
	return &v, nil
}

const conferenceCols = `id, child_id, kind, held_at, outcome, flagged`

func scanConference(r scanner) (*lantern.Conference, error) {
	var v lantern.Conference
	var flagged bool
	if err := r.Scan(&v.ID, &v.ChildID, &v.Kind, timeScan{&v.HeldAt}, &v.Outcome, &flagged); err != nil {
		return nil, err
	}
	// flagged is set only for an initial conference with no strategy
	// discussion that decided on s47 enquiries before it.
	v.Flags = []string{}
	if flagged {
		v.Flags = append(v.Flags, lantern.FlagNoS47)
	}
	v.Tasks = []*lantern.Task{}
	return &v, nil
}

const s47Cols = `id, child_id, COALESCE(strategy_discussion_id, ''), started_at, completed_at, outcome, version`

func scanS47(r scanner) (*lantern.S47Enquiry, error) {
	var v lantern.S47Enquiry
	err := r.Scan(&v.ID, &v.ChildID, &v.StrategyDiscussionID, timeScan{&v.StartedAt}, ntimeScan{&v.CompletedAt}, &v.Outcome, &v.Version)
	v.Tasks = []*lantern.Task{}
	return &v, err
}

// FindS47 reads one of a child's s47 enquiries. The read is audited.
func (s *Store) FindS47(ctx context.Context, childID, id string) (*lantern.S47Enquiry, error) {
	return findEvent(ctx, s, childID, id, "s47", "s47_enquiry", "Enquiry",
		`SELECT `+s47Cols+` FROM s47_enquiries WHERE id = $1 AND child_id = $2`, scanS47,
		func(e *lantern.S47Enquiry, ts []*lantern.Task) { e.Tasks = ts })
}

const coreGroupCols = `id, child_id, held_at`

func scanCoreGroup(r scanner) (*lantern.CoreGroup, error) {
	var v lantern.CoreGroup
	err := r.Scan(&v.ID, &v.ChildID, timeScan{&v.HeldAt})
	v.Tasks = []*lantern.Task{}
	return &v, err
}

const swAssessmentCols = `id, child_id, kind, started_at, completed_at`

func scanSWAssessment(r scanner) (*lantern.SWAssessment, error) {
	var v lantern.SWAssessment
	err := r.Scan(&v.ID, &v.ChildID, &v.Kind, timeScan{&v.StartedAt}, ntimeScan{&v.CompletedAt})
	v.Tasks = []*lantern.Task{}
	return &v, err
}

const planCols = `id, child_id, started_on, ended_on, started_by, ended_by, end_reason`

func scanPlan(r scanner) (*lantern.ProtectionPlan, error) {
	var v lantern.ProtectionPlan
	err := r.Scan(&v.ID, &v.ChildID, &v.StartedOn, &v.EndedOn, &v.StartedBy, &v.EndedBy, &v.EndReason)
	return &v, err
}

// ProtectionPlans lists a child's child protection plans, newest first,
// each with why it ended. The read is audited.
func (s *Store) ProtectionPlans(ctx context.Context, childID string) ([]*lantern.ProtectionPlan, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	ps, err := collect(ctx, s.db, "protection plans",
		`SELECT `+planCols+` FROM protection_plans WHERE child_id = $1 ORDER BY started_on DESC, id DESC`, scanPlan, childID)
	if err != nil {
		return nil, err
	}
	return ps, s.audited(ctx, auditEntry{Action: "protection-plan.list", Entity: "protection_plan", ChildID: childID})
}
