package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"lantern"
	"lantern/clocks"
)

// The front door (docs/frontdoor.md): referrals made from concerns and
// partners' toolkits, the queue of those waiting for a decision, screening,
// information requests to partner agencies and consent.

// frontDoorAgency is the agency whose team holds the front door's work:
// the area's (first) children's social care. Empty when there is none.
func (s *Store) frontDoorAgency(ctx context.Context, q querier) (string, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM agencies WHERE kind = $1 ORDER BY created_at, id LIMIT 1`,
		string(lantern.KindChildrensSocialCare)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, internal("front door agency", err)
}

// refer makes a referral to the front door in tx, from the caller's concern
// or toolkit: received at at, online, the caller and their agency the
// referrer. Its clocks are the front door team's, not the referrer's; one
// with immediate risk alerts the front door at once.
func (s *Store) refer(ctx context.Context, tx *tx, child *lantern.Child, src lantern.ReferralSource, concernID string, immediate bool,
	at, now time.Time) (*lantern.Referral, error) {
	u := lantern.UserFromContext(ctx)
	r := &lantern.Referral{ID: newID(), ChildID: child.ID, ReceivedAt: at.UTC().Truncate(time.Microsecond), Method: lantern.ReferralOnline,
		Referrer: lantern.Referrer{Name: u.Name, Agency: u.AgencyName}, Version: 1, Tasks: []*lantern.Task{},
		Source: src, ConcernID: concernID, FromAgencyID: u.AgencyID, ReferrerID: u.ID, ImmediateRisk: immediate}
	var concern any
	if concernID != "" {
		concern = concernID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO referrals (id, child_id, received_at, method, referrer_name, referrer_agency, version,
		created_by, created_at, source, concern_id, from_agency_id, referrer_id, immediate_risk)
		VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10, $11, $7, $12)`,
		r.ID, child.ID, s.d.ts(r.ReceivedAt), r.Method, r.Referrer.Name, r.Referrer.Agency, u.ID, s.d.ts(now), string(src), concern,
		u.AgencyID, immediate); err != nil {
		return nil, internal("insert referral", err)
	}
	team, err := s.frontDoorAgency(ctx, tx)
	if err != nil {
		return nil, err
	}
	if err := s.startReferralClocks(ctx, tx, child, r, team); err != nil {
		return nil, err
	}
	tx.audit(auditEntry{Action: "referral.create", Entity: "referral", EntityID: r.ID, ChildID: child.ID,
		Detail: "source=" + string(src) + " immediate_risk=" + boolText(immediate)})
	if immediate {
		if err := s.raiseAlert(ctx, tx, lantern.AlertImmediateRisk, child.ID, r.ID, alertTo{frontDoor: true}, now); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// startReferralClocks starts a referral's clocks (the decision, feedback
// to the referrer, the assessment, and for a telephone referral the written
// follow-up) for team (the caller's when empty), and keeps the decision's
// deadline on the referral for the queue.
func (s *Store) startReferralClocks(ctx context.Context, tx *tx, child *lantern.Child, r *lantern.Referral, team string) error {
	cal, err := s.workCalendar(ctx, tx)
	if err != nil {
		return err
	}
	clockIDs := []string{clocks.ReferralDecision, clocks.ReferrerFeedback, clocks.Assessment}
	if r.Method == lantern.ReferralByPhone {
		clockIDs = append(clockIDs, clocks.ReferralWrittenFollowup)
	}
	f := clocks.Facts{ImmediateRisk: r.ImmediateRisk, RAG: r.RAG}
	for _, c := range clockIDs {
		t, err := s.startClockFor(ctx, tx, cal, child, c, r.ReceivedAt, "referral", r.ID, f, team)
		if err != nil {
			return err
		}
		r.Tasks = appendTask(r.Tasks, t)
		if t != nil && c == clocks.ReferralDecision {
			due := t.ActBy()
			r.DecisionDueAt = &due
			if _, err := tx.ExecContext(ctx, `UPDATE referrals SET decision_due_at = $1 WHERE id = $2`, s.d.ts(due), r.ID); err != nil {
				return internal("referral deadline", err)
			}
		}
	}
	return nil
}

// alertTo is whom an alert is for: a user, an agency, the front door.
type alertTo struct {
	userID, agencyID string
	frontDoor        bool
}

// raiseAlert records an alert in tx, with an email for each address it
// goes to: the user's own; for the front door or an agency, the directory's
// front-door contacts (of the agency). The email names no child and no case.
func (s *Store) raiseAlert(ctx context.Context, tx *tx, kind lantern.AlertKind, childID, referralID string, to alertTo, now time.Time) error {
	id := newID()
	if _, err := tx.ExecContext(ctx, `INSERT INTO alerts (id, kind, child_id, referral_id, user_id, agency_id, front_door, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, string(kind), nullable(childID), nullable(referralID), nullable(to.userID),
		nullable(to.agencyID), to.frontDoor, s.d.ts(now)); err != nil {
		return internal("insert alert", err)
	}
	var q string
	var args []any
	switch {
	case to.userID != "":
		q, args = `SELECT email FROM users WHERE id = $1 AND email <> ''`, []any{to.userID}
	case to.agencyID != "":
		q, args = `SELECT d.email FROM directory_contacts d JOIN directory_roles r ON r.contact_id = d.id
			WHERE r.role = $1 AND d.active = $2 AND d.agency_id = $3 ORDER BY d.email`, []any{string(lantern.PathwayFrontDoor), true, to.agencyID}
	default:
		q, args = `SELECT d.email FROM directory_contacts d JOIN directory_roles r ON r.contact_id = d.id
			WHERE r.role = $1 AND d.active = $2 ORDER BY d.email`, []any{string(lantern.PathwayFrontDoor), true}
	}
	addrs, err := collect(ctx, tx, "alert addresses", q, func(r scanner) (string, error) {
		var a string
		return a, r.Scan(&a)
	}, args...)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO alert_emails (id, alert_id, address, next_try_at) VALUES ($1, $2, $3, $4)`,
			newID(), id, a, s.d.ts(now)); err != nil {
			return internal("queue alert email", err)
		}
	}
	tx.audit(auditEntry{Action: "alert.raise", Entity: "alert", EntityID: id, ChildID: childID,
		Detail: fmt.Sprintf("kind=%s emails=%d", kind, len(addrs))})
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// afterConcern refers a concern that asks for it or has immediate risk, and
// alerts the front door and the allocated social worker when another
// agency raised a concern about the child within seven days.
func (s *Store) afterConcern(ctx context.Context, tx *tx, child *lantern.Child, c *lantern.Concern, refer bool, now time.Time) (string, error) {
	var referralID string
	if lantern.RefersConcern(refer, c.ImmediateRisk) {
		r, err := s.refer(ctx, tx, child, lantern.SourceConcern, c.ID, c.ImmediateRisk, c.RaisedAt, now)
		if err != nil {
			return "", err
		}
		referralID = r.ID
	}
	others, err := collect(ctx, tx, "recent concerns", `SELECT agency_id, raised_at FROM concerns
		WHERE child_id = $1 AND id <> $2 AND agency_id <> $3 AND raised_at > $4 AND raised_at < $5`,
		func(r scanner) (*lantern.Concern, error) {
			var o lantern.Concern
			return &o, r.Scan(&o.AgencyID, timeScan{&o.RaisedAt})
		}, child.ID, c.ID, c.AgencyID, s.d.ts(c.RaisedAt.Add(-lantern.SecondAgencyWindow)), s.d.ts(c.RaisedAt.Add(lantern.SecondAgencyWindow)))
	if err != nil {
		return "", err
	}
	if lantern.SecondAgency(c.AgencyID, c.RaisedAt, others) {
		if err := s.raiseAlert(ctx, tx, lantern.AlertSecondAgency, child.ID, referralID, alertTo{frontDoor: true}, now); err != nil {
			return "", err
		}
		if sw := child.AllocatedSocialWorkerID; sw != "" {
			if err := s.raiseAlert(ctx, tx, lantern.AlertSecondAgency, child.ID, referralID, alertTo{userID: sw}, now); err != nil {
				return "", err
			}
		}
	}
	return referralID, nil
}

// afterToolkit refers a child whose toolkit a partner agency recorded at
// medium or high, unless a referral of theirs already waits for a decision.
func (s *Store) afterToolkit(ctx context.Context, tx *tx, child *lantern.Child, level, concernID string, at, now time.Time) (string, error) {
	u := lantern.UserFromContext(ctx)
	if u == nil || !lantern.ToolkitRefers(level, u.AgencyKind) {
		return "", nil
	}
	var waiting string
	err := tx.QueryRowContext(ctx, `SELECT id FROM referrals WHERE child_id = $1 AND decided_at IS NULL ORDER BY received_at DESC LIMIT 1`,
		child.ID).Scan(&waiting)
	switch {
	case err == nil:
		return waiting, nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", internal("waiting referral", err)
	}
	r, err := s.refer(ctx, tx, child, lantern.SourceToolkit, concernID, false, at, now)
	if err != nil {
		return "", err
	}
	return r.ID, nil
}

// MaxFrontDoorPage is the most referrals the queue answers at once.
const MaxFrontDoorPage = 500

// FrontDoor lists the referrals waiting for a decision, those with
// immediate risk first, then the oldest, with the total. For the front
// door (lantern.ResFrontDoor); the children listed are audited as read.
func (s *Store) FrontDoor(ctx context.Context, f lantern.FrontDoorFilter) ([]*lantern.FrontDoorItem, int, error) {
	if err := may(ctx, lantern.ResFrontDoor, lantern.ActList); err != nil {
		return nil, 0, err
	}
	var args []any
	visible, ok := s.childVisible(ctx, &args)
	if !ok {
		return []*lantern.FrontDoorItem{}, 0, nil
	}
	// The queue is read from the waiting referrals' partial index, each
	// child checked by its key: a join would let the planner walk every
	// child of the area first.
	// A merge moves a child's referrals to the kept record, so a waiting
	// referral is never on a merged one; those who work the front door see
	// every child, and then there is nothing to check.
	where := `r.decided_at IS NULL`
	if visible != seesAll {
		where += ` AND EXISTS (SELECT 1 FROM children c WHERE c.id = r.child_id AND ` + visible + `)`
	}
	add := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if len(f.RAGs) > 0 || f.RAGUnrated {
		var in []string
		for _, g := range f.RAGs {
			in = append(in, add(string(g)))
		}
		if f.RAGUnrated {
			in = append(in, add(""))
		}
		where += ` AND r.rag IN (` + strings.Join(in, ", ") + `)`
	}
	if f.ImmediateRisk != nil {
		where += ` AND r.immediate_risk = ` + add(*f.ImmediateRisk)
	}
	if f.Late != nil {
		op := ">="
		if *f.Late {
			op = "<"
		}
		where += ` AND COALESCE(r.decision_due_at, r.received_at) ` + op + ` ` + add(s.d.ts(s.now()))
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM referrals r WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, internal("front door count", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxFrontDoorPage {
		limit = 200
	}
	args = append(args, limit, max(f.Offset, 0))
	items, err := collect(ctx, s.db, "front door", fmt.Sprintf(`SELECT r.id, r.child_id, COALESCE(r.concern_id, ''), r.received_at, r.immediate_risk,
		COALESCE(r.from_agency_id, ''), COALESCE(r.decision_due_at, r.received_at), c.given_name, c.family_name, c.date_of_birth,
		COALESCE(a.name, r.referrer_agency), r.referrer_name, r.source, r.rag, c.open_case, COALESCE(c.allocated_social_worker_id, ''),
		c.latest_level, c.latest_level_on,
		(SELECT count(*) FROM info_requests q WHERE q.referral_id = r.id AND q.answered_at IS NULL)
		FROM (SELECT r.id FROM referrals r WHERE %s ORDER BY r.immediate_risk DESC, r.received_at, r.id LIMIT $%d OFFSET $%d) w
		JOIN referrals r ON r.id = w.id JOIN children c ON c.id = r.child_id LEFT JOIN agencies a ON a.id = r.from_agency_id
		ORDER BY r.immediate_risk DESC, r.received_at, r.id`, where, len(args)-1, len(args)),
		scanFrontDoorItem, args...)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ChildID
	}
	if err := s.auditedChildren(ctx, auditEntry{Action: "front-door.list", Entity: "referral"}, ids); err != nil {
		return nil, 0, err
	}
	if items == nil {
		items = []*lantern.FrontDoorItem{}
	}
	return items, total, nil
}

func scanFrontDoorItem(r scanner) (*lantern.FrontDoorItem, error) {
	var it lantern.FrontDoorItem
	var concern, from, given, family string
	err := r.Scan(&it.ReferralID, &it.ChildID, &concern, timeScan{&it.ReceivedAt}, &it.ImmediateRisk, &from, timeScan{&it.DecisionDueAt},
		&given, &family, &it.DateOfBirth, &it.FromAgencyName, &it.ReferrerName, &it.Source, &it.RAG, &it.CaseOpen, &it.AllocateID,
		&it.Level, &it.LevelOn, &it.OpenAsks)
	if err != nil {
		return nil, err
	}
	if concern != "" {
		it.ConcernID = &concern
	}
	if from != "" {
		it.FromAgencyID = &from
	}
	it.ChildName = strings.TrimSpace(given + " " + family)
	it.ReceivedAt = it.ReceivedAt.In(lantern.London)
	it.DecisionDueAt = it.DecisionDueAt.In(lantern.London)
	return &it, nil
}

// frontDoorReferral reads a referral for the front door's work on it: the
// caller must see the child and may work the front door.
func (s *Store) frontDoorReferral(ctx context.Context, tx *tx, childID, id string, act lantern.Action) (*lantern.Child, *lantern.Referral, error) {
	child, err := s.eventChild(ctx, tx, childID, lantern.ResFrontDoor, act)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.referral(ctx, tx, childID, id)
	if err != nil {
		return nil, nil, err
	}
	return child, r, nil
}

// waitingReferral is frontDoorReferral for work before the decision: a
// decided referral is refused, naming field.
func (s *Store) waitingReferral(ctx context.Context, tx *tx, childID, id, field, msg string) (*lantern.Child, *lantern.Referral, error) {
	child, r, err := s.frontDoorReferral(ctx, tx, childID, id, lantern.ActChange)
	if err == nil && r.DecidedAt != nil {
		err = lantern.Invalid(lantern.FieldError{Field: field, Message: msg})
	}
	return child, r, err
}

// RateReferral gives a waiting referral a RAG rating with its rationale
// (lantern.CheckRating); under local timescales the rating may set the
// decision's deadline again.
func (s *Store) RateReferral(ctx context.Context, childID, id string, rag lantern.RAG, rationale string) (*lantern.Rating, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.Rating
	err := s.write(ctx, func(tx *tx) error {
		child, r, err := s.waitingReferral(ctx, tx, childID, id, "rag", "This referral has been decided: it is no longer screened")
		if err != nil {
			return err
		}
		last, err := s.lastRating(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := lantern.CheckRating(last, rag, rationale); err != nil {
			return err
		}
		out = &lantern.Rating{ID: newID(), RAG: rag, Rationale: strings.TrimSpace(rationale), RatedBy: u.ID, RatedByName: u.Name, RatedAt: now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referral_ratings (id, referral_id, rag, rationale, rated_by, rated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			out.ID, id, string(rag), out.Rationale, u.ID, s.d.ts(now)); err != nil {
			return internal("rate referral", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET rag = $1, version = version + 1 WHERE id = $2`, string(rag), id); err != nil {
			return internal("rate referral", err)
		}
		if err := s.resetDecisionDeadline(ctx, tx, child, r, rag); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "referral.rate", Entity: "referral", EntityID: id, ChildID: childID, Detail: "rag=" + string(rag)})
		return nil
	})
	return out, err
}

// resetDecisionDeadline sets the open decision task's local deadline for
// the referral's new rating, and the referral's deadline with it.
func (s *Store) resetDecisionDeadline(ctx context.Context, tx *tx, child *lantern.Child, r *lantern.Referral, rag lantern.RAG) error {
	if s.local == nil {
		return nil
	}
	cal, err := s.workCalendar(ctx, tx)
	if err != nil {
		return err
	}
	tasks, err := collect(ctx, tx, "decision task", `SELECT `+taskCols+` FROM tasks t WHERE t.source = 'referral' AND t.source_id = $1
		AND t.clock = $2 AND t.status = $3`, scanTask, r.ID, clocks.ReferralDecision, string(lantern.TaskOpen))
	if err != nil {
		return err
	}
	for _, t := range tasks {
		t.LocalDueAt = nil
		if at, ok := s.local.Due(clocks.ReferralDecision, clocks.Facts{RAG: rag, ImmediateRisk: r.ImmediateRisk}, r.ReceivedAt, cal); ok && at.Before(t.DueAt) {
			t.LocalDueAt = &at
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET local_due_at = $1, local_profile = $2, version = version + 1 WHERE id = $3`,
			s.d.nts(t.LocalDueAt), s.local.ID, t.ID); err != nil {
			return internal("decision deadline", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET decision_due_at = $1 WHERE id = $2`, s.d.ts(t.ActBy()), r.ID); err != nil {
			return internal("decision deadline", err)
		}
		tx.audit(auditEntry{Action: "task.deadline", Entity: "task", EntityID: t.ID, ChildID: child.ID, Detail: "rag=" + string(rag)})
	}
	return nil
}

func (s *Store) lastRating(ctx context.Context, q querier, referralID string) (*lantern.Rating, error) {
	rs, err := s.ratings(ctx, q, referralID)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return rs[0], nil
}

// ratings are a referral's ratings, newest first.
func (s *Store) ratings(ctx context.Context, q querier, referralID string) ([]*lantern.Rating, error) {
	return collect(ctx, q, "ratings", `SELECT g.id, g.rag, g.rationale, g.rated_by, COALESCE(u.name, ''), g.rated_at
		FROM referral_ratings g LEFT JOIN users u ON u.id = g.rated_by WHERE g.referral_id = $1 ORDER BY g.rated_at DESC, g.id DESC`,
		func(r scanner) (*lantern.Rating, error) {
			var g lantern.Rating
			err := r.Scan(&g.ID, &g.RAG, &g.Rationale, &g.RatedBy, &g.RatedByName, timeScan{&g.RatedAt})
			return &g, err
		}, referralID)
}

// RecordConsent records what is known of the family's consent; a decision
// not to seek it waits for a manager's approval.
func (s *Store) RecordConsent(ctx context.Context, childID, id string, state lantern.Consent, reason string) (*lantern.Referral, error) {
	if err := lantern.CheckConsent(state, reason); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	var out *lantern.Referral
	err := s.write(ctx, func(tx *tx) error {
		if _, _, err := s.frontDoorReferral(ctx, tx, childID, id, lantern.ActChange); err != nil {
			return err
		}
		if state != lantern.ConsentNotSought {
			reason = ""
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET consent = $1, consent_reason = $2, consent_by = $3, consent_approved_by = NULL,
			consent_approved_at = NULL, version = version + 1 WHERE id = $4`, string(state), strings.TrimSpace(reason), u.ID, id); err != nil {
			return internal("record consent", err)
		}
		tx.audit(auditEntry{Action: "referral.consent", Entity: "referral", EntityID: id, ChildID: childID, Detail: "consent=" + string(state)})
		var err error
		out, err = s.referral(ctx, tx, childID, id)
		return err
	})
	return out, err
}

// ApproveConsent is a manager's approval of a decision not to seek consent.
func (s *Store) ApproveConsent(ctx context.Context, childID, id string) (*lantern.Referral, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.Referral
	err := s.write(ctx, func(tx *tx) error {
		_, r, err := s.frontDoorReferral(ctx, tx, childID, id, lantern.ActApprove)
		if err != nil {
			return err
		}
		if !r.Consent.AwaitingApproval() {
			return lantern.Invalid(lantern.FieldError{Field: "consent", Message: "There is no decision not to seek consent waiting for approval"})
		}
		if r.Consent.RecordedBy == u.ID {
			return lantern.Invalid(lantern.FieldError{Field: "consent", Message: "Someone other than who decided not to seek consent must approve it"})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET consent_approved_by = $1, consent_approved_at = $2, version = version + 1 WHERE id = $3`,
			u.ID, s.d.ts(now), id); err != nil {
			return internal("approve consent", err)
		}
		tx.audit(auditEntry{Action: "referral.consent-approve", Entity: "referral", EntityID: id, ChildID: childID})
		out, err = s.referral(ctx, tx, childID, id)
		return err
	})
	return out, err
}

// FrontDoorDetail is what the front door needs beside a referral: its
// ratings and information requests.
type FrontDoorDetail struct {
	Ratings  []*lantern.Rating      `json:"ratings"`
	Requests []*lantern.InfoRequest `json:"information_requests"`
}

// ReferralDetail reads a referral's ratings and information requests, for
// those who may see the child's events. The read is audited.
func (s *Store) ReferralDetail(ctx context.Context, childID, id string) (*FrontDoorDetail, error) {
	child, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	if err := mayChild(ctx, child, lantern.ResEvent, lantern.ActRead); err != nil {
		return nil, err
	}
	// The referral must be this child's: an id from the request names
	// nothing of a child the caller may not see.
	if _, err := s.referral(ctx, s.db, childID, id); err != nil {
		return nil, err
	}
	d := &FrontDoorDetail{}
	if d.Ratings, err = s.ratings(ctx, s.db, id); err != nil {
		return nil, err
	}
	if d.Requests, err = s.infoRequests(ctx, s.db, `q.referral_id = $1`, id); err != nil {
		return nil, err
	}
	return d, s.audited(ctx, auditEntry{Action: "referral.detail", Entity: "referral", EntityID: id, ChildID: childID})
}

const infoRequestCols = `q.id, q.referral_id, q.child_id, q.agency_id, COALESCE(a.name, ''), q.question, q.asked_by, COALESCE(ua.name, ''),
	q.asked_at, q.due_at, q.answer, COALESCE(q.answered_by, ''), COALESCE(ub.name, ''), q.answered_at, q.chased_at, q.version,
	c.given_name, c.family_name, c.date_of_birth,
	COALESCE((SELECT ad.address FROM child_addresses ad WHERE ad.child_id = q.child_id ORDER BY ad.from_date DESC LIMIT 1), '')`

const infoRequestFrom = ` FROM info_requests q JOIN children c ON c.id = q.child_id LEFT JOIN agencies a ON a.id = q.agency_id
	LEFT JOIN users ua ON ua.id = q.asked_by LEFT JOIN users ub ON ub.id = q.answered_by`

func (s *Store) infoRequests(ctx context.Context, q querier, where string, args ...any) ([]*lantern.InfoRequest, error) {
	// The agency asked sees who the child is without seeing the record,
	// but not once the record is sealed: then it is not found here either.
	if lantern.UserFromContext(ctx) != nil {
		where = "(" + where + ") AND " + s.unsealedFor(ctx, &args, "q.child_id")
	}
	out, err := collect(ctx, q, "information requests", `SELECT `+infoRequestCols+infoRequestFrom+` WHERE `+where+` ORDER BY q.asked_at DESC, q.id`,
		func(r scanner) (*lantern.InfoRequest, error) {
			var v lantern.InfoRequest
			var given, family string
			err := r.Scan(&v.ID, &v.ReferralID, &v.ChildID, &v.AgencyID, &v.AgencyName, &v.Question, &v.AskedBy, &v.AskedByName,
				timeScan{&v.AskedAt}, timeScan{&v.DueAt}, &v.Answer, &v.AnsweredBy, &v.AnsweredName, ntimeScan{&v.AnsweredAt},
				ntimeScan{&v.ChasedAt}, &v.Version, &given, &family, &v.DateOfBirth, &v.Address)
			v.ChildName = strings.TrimSpace(given + " " + family)
			return &v, err
		}, args...)
	if out == nil {
		out = []*lantern.InfoRequest{}
	}
	return out, err
}

// AskAgency asks a partner agency what it holds about a referred child, by
// a deadline; the agency is alerted, and sees who the child is on the
// request, not the record.
func (s *Store) AskAgency(ctx context.Context, childID, referralID string, in lantern.InfoRequestInput) (*lantern.InfoRequest, error) {
	now := s.now()
	if err := in.Validate(now); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	var out *lantern.InfoRequest
	err := s.write(ctx, func(tx *tx) error {
		if _, _, err := s.waitingReferral(ctx, tx, childID, referralID, "agency_id", "This referral has been decided: ask before the decision"); err != nil {
			return err
		}
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT kind FROM agencies WHERE id = $1`, in.AgencyID).Scan(&kind)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return lantern.Invalid(lantern.FieldError{Field: "agency_id", Message: "There is no such agency"})
		case err != nil:
			return internal("agency", err)
		}
		id := newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO info_requests (id, referral_id, child_id, agency_id, question, asked_by, asked_at, due_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, referralID, childID, in.AgencyID, in.Question, u.ID, s.d.ts(now), s.d.ts(in.DueAt)); err != nil {
			return internal("ask agency", err)
		}
		tx.audit(auditEntry{Action: "information-request.create", Entity: "information-request", EntityID: id, ChildID: childID,
			Detail: "agency=" + in.AgencyID})
		if err := s.raiseAlert(ctx, tx, lantern.AlertInfoRequest, childID, referralID, alertTo{agencyID: in.AgencyID}, now); err != nil {
			return err
		}
		rs, err := s.infoRequests(ctx, tx, `q.id = $1`, id)
		if err != nil {
			return err
		}
		out = rs[0]
		return nil
	})
	return out, err
}

// AgencyRequests lists the information requests to the caller's agency,
// those unanswered first. Each shows who the child is, so each is audited
// as a read of that child.
func (s *Store) AgencyRequests(ctx context.Context) ([]*lantern.InfoRequest, error) {
	if err := may(ctx, lantern.ResInfoRequest, lantern.ActList); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	rs, err := s.infoRequests(ctx, s.db, `q.agency_id = $1`, u.AgencyID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ChildID
	}
	return rs, s.auditedChildren(ctx, auditEntry{Action: "information-request.list", Entity: "information-request"}, ids)
}

// FindInfoRequest reads one request: for the agency asked (own), and for the
// front door. Anyone else is told it is not found.
func (s *Store) FindInfoRequest(ctx context.Context, id string) (*lantern.InfoRequest, error) {
	if err := may(ctx, lantern.ResInfoRequest, lantern.ActList); err != nil {
		return nil, err
	}
	r, err := s.infoRequestFor(ctx, s.db, id, lantern.ActList)
	if err != nil {
		return nil, err
	}
	return r, s.audited(ctx, auditEntry{Action: "information-request.read", Entity: "information-request", EntityID: id, ChildID: r.ChildID})
}

func (s *Store) infoRequestFor(ctx context.Context, q querier, id string, act lantern.Action) (*lantern.InfoRequest, error) {
	u := lantern.UserFromContext(ctx)
	rs, err := s.infoRequests(ctx, q, `q.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, lantern.NotFound("Information request")
	}
	r := rs[0]
	own := u != nil && r.AgencyID == u.AgencyID
	if !own && !lantern.Allowed(u, lantern.ResFrontDoor, lantern.ActList, lantern.RelArea) {
		return nil, lantern.NotFound("Information request")
	}
	if act == lantern.ActChange {
		rel := lantern.RelOther
		if own {
			rel = lantern.RelOwn
		}
		if err := lantern.Check(u, lantern.ResInfoRequest, lantern.ActChange, rel); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// AnswerRequest records the agency's answer, kept with the referral.
func (s *Store) AnswerRequest(ctx context.Context, id string, version int, answer string) (*lantern.InfoRequest, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.InfoRequest
	err := s.write(ctx, func(tx *tx) error {
		r, err := s.infoRequestFor(ctx, tx, id, lantern.ActChange)
		if err != nil {
			return err
		}
		switch {
		case r.Version != version:
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this request: look again", Current: r}
		case r.AnsweredAt != nil:
			return lantern.Invalid(lantern.FieldError{Field: "answer", Message: "This request has been answered already"})
		}
		if err := lantern.CheckAnswer(answer); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE info_requests SET answer = $1, answered_by = $2, answered_at = $3, version = version + 1 WHERE id = $4`,
			strings.TrimSpace(answer), u.ID, s.d.ts(now), id); err != nil {
			return internal("answer request", err)
		}
		tx.audit(auditEntry{Action: "information-request.answer", Entity: "information-request", EntityID: id, ChildID: r.ChildID})
		rs, err := s.infoRequests(ctx, tx, `q.id = $1`, id)
		if err != nil {
			return err
		}
		out = rs[0]
		return nil
	})
	return out, err
}

// ChaseLateRequests alerts each agency whose answer is late, once per
// request; run by the system (the alert sender). It returns how many.
func (s *Store) ChaseLateRequests(ctx context.Context) (int, error) {
	if !lantern.IsSystem(ctx) {
		return 0, lantern.Errorf(lantern.EFORBIDDEN, "Only Lantern itself chases requests")
	}
	now := s.now()
	n := 0
	err := s.write(ctx, func(tx *tx) error {
		late, err := collect(ctx, tx, "late requests", `SELECT id, child_id, referral_id, agency_id FROM info_requests
			WHERE answered_at IS NULL AND chased_at IS NULL AND due_at < $1 ORDER BY due_at LIMIT 200`,
			func(r scanner) ([4]string, error) {
				var v [4]string
				return v, r.Scan(&v[0], &v[1], &v[2], &v[3])
			}, s.d.ts(now))
		if err != nil {
			return err
		}
		for _, v := range late {
			res, err := tx.ExecContext(ctx, `UPDATE info_requests SET chased_at = $1 WHERE id = $2 AND chased_at IS NULL`, s.d.ts(now), v[0])
			if err != nil {
				return internal("chase request", err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue // another replica chased it
			}
			if err := s.raiseAlert(ctx, tx, lantern.AlertInfoChase, v[1], v[2], alertTo{agencyID: v[3]}, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
