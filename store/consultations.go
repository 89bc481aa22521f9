package store

import (
	"context"
	"strings"

	"lantern"
)

// Consultations: a practitioner asks the front door's advice about a child
// they do not name (docs/frontdoor.md#consultations); no child's record is
// touched, so none is read or involved.

const consultationCols = `k.id, k.asked_by, COALESCE(ua.name, ''), k.agency_id, COALESCE(a.name, ''), k.asked_at, k.question, k.advice,
	COALESCE(k.advised_by, ''), COALESCE(ub.name, ''), k.advised_at, k.version`

const consultationFrom = ` FROM consultations k LEFT JOIN users ua ON ua.id = k.asked_by LEFT JOIN agencies a ON a.id = k.agency_id
	LEFT JOIN users ub ON ub.id = k.advised_by`

func scanConsultation(r scanner) (*lantern.Consultation, error) {
	var k lantern.Consultation
	err := r.Scan(&k.ID, &k.AskedBy, &k.AskedByName, &k.AgencyID, &k.AgencyName, timeScan{&k.AskedAt}, &k.Question, &k.Advice,
		&k.AdvisedBy, &k.AdvisedName, ntimeScan{&k.AdvisedAt}, &k.Version)
	return &k, err
}

// AskFrontDoor records a practitioner's question.
func (s *Store) AskFrontDoor(ctx context.Context, question string) (*lantern.Consultation, error) {
	if err := may(ctx, lantern.ResConsultation, lantern.ActCreate); err != nil {
		return nil, err
	}
	if err := lantern.CheckConsultation(question); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	k := &lantern.Consultation{ID: newID(), AskedBy: u.ID, AskedByName: u.Name, AgencyID: u.AgencyID, AgencyName: u.AgencyName,
		AskedAt: now, Question: strings.TrimSpace(question), Version: 1}
	err := s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO consultations (id, asked_by, agency_id, asked_at, question) VALUES ($1, $2, $3, $4, $5)`,
			k.ID, u.ID, u.AgencyID, s.d.ts(now), k.Question); err != nil {
			return internal("ask front door", err)
		}
		tx.audit(auditEntry{Action: "consultation.create", Entity: "consultation", EntityID: k.ID})
		return nil
	})
	return k, err
}

// MaxConsultations bounds the list.
const MaxConsultations = 200

// Consultations lists, newest first, those waiting for advice first: every
// consultation for the front door, the caller's agency's for anyone else.
func (s *Store) Consultations(ctx context.Context) ([]*lantern.Consultation, error) {
	if err := may(ctx, lantern.ResConsultation, lantern.ActList); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	where, args := `k.agency_id = $1`, []any{u.AgencyID}
	if lantern.Allowed(u, lantern.ResConsultation, lantern.ActChange, lantern.RelArea) {
		where, args = `1 = 1`, nil
	}
	args = append(args, MaxConsultations)
	out, err := collect(ctx, s.db, "consultations", `SELECT `+consultationCols+consultationFrom+` WHERE `+where+
		` ORDER BY CASE WHEN k.advised_at IS NULL THEN 0 ELSE 1 END, k.asked_at DESC, k.id LIMIT $`+itoa(len(args)), scanConsultation, args...)
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []*lantern.Consultation{}
	}
	return out, s.audited(ctx, auditEntry{Action: "consultation.list", Entity: "consultation"})
}

// Advise records the front door's advice on a consultation.
func (s *Store) Advise(ctx context.Context, id string, version int, advice string) (*lantern.Consultation, error) {
	if err := may(ctx, lantern.ResConsultation, lantern.ActChange); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.Consultation
	err := s.write(ctx, func(tx *tx) error {
		ks, err := collect(ctx, tx, "consultation", `SELECT `+consultationCols+consultationFrom+` WHERE k.id = $1`, scanConsultation, id)
		if err != nil {
			return err
		}
		if len(ks) == 0 {
			return lantern.NotFound("Consultation")
		}
		k := ks[0]
		switch {
		case k.Version != version:
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this consultation: look again", Current: k}
		case k.AdvisedAt != nil:
			return lantern.Invalid(lantern.FieldError{Field: "advice", Message: "Advice has been given already"})
		}
		if err := lantern.CheckAdvice(advice); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE consultations SET advice = $1, advised_by = $2, advised_at = $3, version = version + 1 WHERE id = $4`,
			strings.TrimSpace(advice), u.ID, s.d.ts(now), id); err != nil {
			return internal("advise", err)
		}
		tx.audit(auditEntry{Action: "consultation.advise", Entity: "consultation", EntityID: id})
		k.Advice, k.AdvisedBy, k.AdvisedName, k.AdvisedAt, k.Version = strings.TrimSpace(advice), u.ID, u.Name, &now, k.Version+1
		out = k
		return nil
	})
	return out, err
}
