package store

import (
	"context"
	"strings"
	"time"

	"lantern"
)

// CreateConcern records a concern about a child the caller may see. It
// involves no agency: whoever records it sees the child already.
func (s *Store) CreateConcern(ctx context.Context, childID string, in lantern.ConcernInput) (*lantern.Concern, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var c *lantern.Concern
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.findChild(ctx, tx, childID, true)
		if err != nil {
			return err
		}
		if err := mayChild(ctx, child, lantern.ResConcern, lantern.ActCreate); err != nil {
			return err
		}
		if child.MergedInto != "" {
			return lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: record the concern there")
		}
		if err := in.Validate(now); err != nil {
			return err
		}
		c = &lantern.Concern{ID: newID(), ChildID: childID, RaisedBy: u.ID, RaisedByName: u.Name, AgencyID: u.AgencyID, AgencyName: u.AgencyName,
			RaisedAt: in.RaisedAt.UTC().Truncate(time.Microsecond), Summary: in.Summary, Disclosure: in.Disclosure, DisclosureWords: in.DisclosureWords,
			ImmediateRisk: in.ImmediateRisk, ImmediateAction: in.ImmediateAction, Step: lantern.StepRecorded, Version: 1}
		if !in.Disclosure {
			c.DisclosureWords = ""
		}
		words, err := s.seal(ctx, "concerns", "disclosure_words", c.ID, c.DisclosureWords)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO concerns (id, child_id, raised_by, agency_id, raised_at, summary, disclosure, disclosure_words,
			immediate_risk, immediate_action, step, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)`,
			c.ID, childID, u.ID, u.AgencyID, s.d.ts(c.RaisedAt), c.Summary, c.Disclosure, words, c.ImmediateRisk, c.ImmediateAction,
			string(c.Step), s.d.ts(now)); err != nil {
			return internal("insert concern", err)
		}
		if err := s.addStep(ctx, tx, c, lantern.StepRecorded, "", now); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "concern.create", Entity: "concern", EntityID: c.ID, ChildID: childID,
			Detail: "disclosure=" + boolText(c.Disclosure) + " immediate_risk=" + boolText(c.ImmediateRisk)})
		if c.ReferralID, err = s.afterConcern(ctx, tx, child, c, in.Refer, now); err != nil {
			return err
		}
		if c.ReferralID != "" {
			c.Referral = &lantern.ConcernReferral{ID: c.ReferralID, ReceivedAt: c.RaisedAt}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Store) addStep(ctx context.Context, tx *tx, c *lantern.Concern, step lantern.ConcernStep, note string, now time.Time) error {
	u := lantern.UserFromContext(ctx)
	if _, err := tx.ExecContext(ctx, `INSERT INTO concern_steps (id, concern_id, step, user_id, at, note) VALUES ($1, $2, $3, $4, $5, $6)`,
		newID(), c.ID, string(step), u.ID, s.d.ts(now), note); err != nil {
		return internal("concern step", err)
	}
	c.Steps = append(c.Steps, lantern.ConcernMove{Step: step, UserID: u.ID, UserName: u.Name, At: now.UTC().Truncate(time.Microsecond), Note: note})
	return nil
}

const concernCols = `k.id, k.child_id, k.raised_by, ru.name, k.agency_id, a.name, k.raised_at, k.summary, k.disclosure, k.disclosure_words,
	k.immediate_risk, k.immediate_action, k.step, COALESCE(k.assessment_id, ''), k.version,
	COALESCE(rf.id, ''), rf.received_at, COALESCE(rf.decision, ''), rf.decided_at, COALESCE(rf.decision_reason, '')`

// concernFrom joins the concern's latest referral, whose decision its
// author sees on it.
const concernFrom = ` FROM concerns k JOIN users ru ON ru.id = k.raised_by JOIN agencies a ON a.id = k.agency_id
	LEFT JOIN referrals rf ON rf.id = (SELECT r2.id FROM referrals r2 WHERE r2.concern_id = k.id ORDER BY r2.received_at DESC, r2.id LIMIT 1)`

func scanConcern(r scanner) (*lantern.Concern, error) {
	var c lantern.Concern
	var step string
	var ref lantern.ConcernReferral
	var received *time.Time
	err := r.Scan(&c.ID, &c.ChildID, &c.RaisedBy, &c.RaisedByName, &c.AgencyID, &c.AgencyName, timeScan{&c.RaisedAt}, &c.Summary,
		&c.Disclosure, &c.DisclosureWords, &c.ImmediateRisk, &c.ImmediateAction, &step, &c.AssessmentID, &c.Version,
		&ref.ID, ntimeScan{&received}, &ref.Decision, ntimeScan{&ref.DecidedAt}, &ref.Reason)
	c.Step = lantern.ConcernStep(step)
	if ref.ID != "" && received != nil {
		ref.ReceivedAt = *received
		c.ReferralID, c.Referral = ref.ID, &ref
	}
	return &c, err
}

// Concerns lists a child's concerns, newest first, with their steps. The
// read is audited.
func (s *Store) Concerns(ctx context.Context, childID string) ([]*lantern.Concern, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	cs, err := s.concerns(ctx, s.db, `k.child_id = $1`, childID)
	if err != nil {
		return nil, err
	}
	if err := s.audited(ctx, auditEntry{Action: "concern.list", Entity: "concern", ChildID: childID}); err != nil {
		return nil, err
	}
	return cs, nil
}

func (s *Store) concerns(ctx context.Context, q querier, where string, args ...any) ([]*lantern.Concern, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+concernCols+concernFrom+` WHERE `+where+` ORDER BY k.raised_at DESC, k.id`, args...)
	if err != nil {
		return nil, internal("concerns", err)
	}
	var cs []*lantern.Concern
	byID := map[string]*lantern.Concern{}
	for rows.Next() {
		c, err := scanConcern(rows)
		if err != nil {
			rows.Close()
			return nil, internal("scan concern", err)
		}
		c.Steps = []lantern.ConcernMove{}
		if c.DisclosureWords, err = s.open(ctx, "concerns", "disclosure_words", c.ID, c.DisclosureWords); err != nil {
			rows.Close()
			return nil, err
		}
		lantern.WithholdConcern(lantern.UserFromContext(ctx), c)
		cs = append(cs, c)
		byID[c.ID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(cs) == 0 {
		return cs, internal("concerns", err)
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	var stepArgs []any
	srows, err := q.QueryContext(ctx, `SELECT st.concern_id, st.step, st.user_id, u.name, st.at, st.note FROM concern_steps st
		JOIN users u ON u.id = st.user_id WHERE st.concern_id IN (`+inList(&stepArgs, ids)+`) ORDER BY st.at, st.id`, stepArgs...)
	if err != nil {
		return nil, internal("concern steps", err)
	}
	defer srows.Close()
	for srows.Next() {
		var id, step string
		var m lantern.ConcernMove
		if err := srows.Scan(&id, &step, &m.UserID, &m.UserName, timeScan{&m.At}, &m.Note); err != nil {
			return nil, internal("scan step", err)
		}
		m.Step = lantern.ConcernStep(step)
		byID[id].Steps = append(byID[id].Steps, m)
	}
	return cs, internal("concern steps", srows.Err())
}

// FindConcern reads one concern of a child the caller may see.
func (s *Store) FindConcern(ctx context.Context, childID, id string) (*lantern.Concern, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	cs, err := s.concerns(ctx, s.db, `k.child_id = $1 AND k.id = $2`, childID, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, lantern.NotFound("Concern")
	}
	if err := s.audited(ctx, auditEntry{Action: "concern.read", Entity: "concern", EntityID: id, ChildID: childID}); err != nil {
		return nil, err
	}
	return cs[0], nil
}

// MoveConcern moves a concern to the next step of the pathway, recording
// who and when. The version must be current.
func (s *Store) MoveConcern(ctx context.Context, childID, id string, version int, to lantern.ConcernStep, note string) (*lantern.Concern, error) {
	now := s.now()
	var out *lantern.Concern
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.findChild(ctx, tx, childID, true)
		if err != nil {
			return err
		}
		cs, err := s.concerns(ctx, tx, `k.child_id = $1 AND k.id = $2`, childID, id)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return lantern.NotFound("Concern")
		}
		c := cs[0]
		if err := mayChild(ctx, child, lantern.ResConcern, lantern.ActChange); err != nil {
			return err
		}
		if c.Version != version {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else moved this concern on while you were looking at it", Current: c}
		}
		if !lantern.CanMoveConcern(c.Step, to) {
			msg := "A concern at \"" + c.Step.Label() + "\" cannot move to \"" + to.Label() + "\""
			if to == lantern.StepToolkit {
				msg = "Complete the toolkit for the child to move the concern on"
			}
			return lantern.Invalid(lantern.FieldError{Field: "step", Message: msg})
		}
		if len(note) > 5000 {
			return lantern.Invalid(lantern.FieldError{Field: "note", Message: "The note must be 5000 characters or fewer"})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET step = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4`,
			string(to), s.d.ts(now), id, version); err != nil {
			return internal("move concern", err)
		}
		if err := s.addStep(ctx, tx, c, to, strings.TrimSpace(note), now); err != nil {
			return err
		}
		c.Step = to
		c.Version++
		tx.audit(auditEntry{Action: "concern.step", Entity: "concern", EntityID: id, ChildID: childID, Detail: "step=" + string(to)})
		out = c
		return nil
	})
	return out, err
}

// attachAssessment moves a child's open concern at records-checked (or a
// named concern) to the toolkit step when an assessment is recorded.
func (s *Store) attachAssessment(ctx context.Context, tx *tx, childID, concernID, assessmentID string, now time.Time) error {
	if concernID == "" {
		return nil
	}
	cs, err := s.concerns(ctx, tx, `k.child_id = $1 AND k.id = $2`, childID, concernID)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return lantern.Invalid(lantern.FieldError{Field: "concern_id", Message: "The concern is not one of this child's"})
	}
	c := cs[0]
	switch c.Step {
	case lantern.StepRecorded, lantern.StepChecked, lantern.StepMonitor, lantern.StepToolkit:
	default:
		return nil // already referred on: the assessment stands on the record
	}
	if _, err := tx.ExecContext(ctx, `UPDATE concerns SET step = $1, assessment_id = $2, version = version + 1, updated_at = $3 WHERE id = $4`,
		string(lantern.StepToolkit), assessmentID, s.d.ts(now), c.ID); err != nil {
		return internal("attach assessment", err)
	}
	return s.addStep(ctx, tx, c, lantern.StepToolkit, "assessment "+assessmentID, now)
}
