package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"lantern"
)

// Information sharing: share records, decisions not to share, agreements
// (docs/information-governance.md). The rule for a share is
// lantern.CheckShare, and the database holds it again as a constraint.

const shareCols = `s.id, s.child_id, s.outcome, s.meeting_id, s.what, s.assessment_id, s.recipient_name, s.recipient_email, s.recipient_agency,
	s.recipient_agency_id, s.recipient_role, s.purpose, s.basis, s.special_condition, s.consent, s.reason, s.agreement_id, s.agreement_note,
	s.emergency, s.supersedes, COALESCE((SELECT n.id FROM information_shares n WHERE n.supersedes = s.id), ''),
	s.shared_at, s.shared_by, COALESCE(su.name, ''), COALESCE(su.agency_id, ''), s.sent_at, s.send_error`

const shareFrom = ` FROM information_shares s LEFT JOIN users su ON su.id = s.shared_by`

func scanShare(r scanner) (*lantern.InformationShare, error) {
	var sh lantern.InformationShare
	err := r.Scan(&sh.ID, &sh.ChildID, &sh.Outcome, &sh.MeetingID, &sh.What, &sh.AssessmentID, &sh.RecipientName, &sh.RecipientEmail,
		&sh.RecipientAgency, &sh.RecipientAgencyID, &sh.RecipientRole, &sh.Purpose, &sh.Basis, &sh.Condition, &sh.Consent, &sh.Reason,
		&sh.AgreementID, &sh.AgreementNote, &sh.Emergency, &sh.Supersedes, &sh.SupersededBy, timeScan{&sh.SharedAt}, &sh.SharedBy,
		&sh.SharedByName, &sh.SharedByAgency, ntimeScan{&sh.SentAt}, &sh.SendError)
	sh.To = sh.RecipientName
	return &sh, err
}

// RecordShare records information shared about a child, or a decision not
// to share it, by someone who may edit the child's record. A share naming
// one of the area's agencies (to_agency_id, or an agency's id as to) is
// recorded against it, so the agency sees it among what was shared with
// it; it does not make the agency involved with the child: that is its own
// explicit act. A correction names the share it supersedes, of the same
// child and not already superseded.
func (s *Store) RecordShare(ctx context.Context, childID string, req lantern.ShareRequest) (*lantern.InformationShare, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	req.Normalise()
	var out *lantern.InformationShare
	err := s.write(ctx, func(tx *tx) error {
		c, err := s.findChild(ctx, tx, childID, false)
		if err != nil {
			return err
		}
		if err := mayChild(ctx, c, lantern.ResShare, lantern.ActCreate); err != nil {
			return err
		}
		if c.MergedInto != "" {
			return lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: record the share on that one")
		}
		agencyName := ""
		if req.ToAgencyID == "" && req.To != "" {
			// "to" may be an agency's id.
			err := tx.QueryRowContext(ctx, `SELECT id, name FROM agencies WHERE id = $1`, req.To).Scan(&req.ToAgencyID, &agencyName)
			if err == nil {
				req.To = agencyName
			} else if !errors.Is(err, sql.ErrNoRows) {
				return internal("share agency", err)
			}
		} else if req.ToAgencyID != "" {
			err := tx.QueryRowContext(ctx, `SELECT name FROM agencies WHERE id = $1`, req.ToAgencyID).Scan(&agencyName)
			if errors.Is(err, sql.ErrNoRows) {
				return lantern.Invalid(lantern.FieldError{Field: "to_agency_id", Message: "No such agency in the area"})
			} else if err != nil {
				return internal("share agency", err)
			}
			if req.To == "" {
				req.To = agencyName
			}
		}
		if err := lantern.CheckShare(&req, now); err != nil {
			return err
		}
		at := now
		if req.SharedAt != nil {
			at = *req.SharedAt
		}
		var agreement *lantern.Agreement
		if req.AgreementID != "" {
			if agreement, err = s.agreement(ctx, tx, req.AgreementID); err != nil && lantern.ErrorCode(err) != lantern.ENOTFOUND {
				return err
			}
		}
		routine := req
		routine.Emergency = false
		if err := lantern.CheckShareAgreement(&routine, agreement, lantern.DateOf(at)); err != nil {
			if !req.Emergency {
				return err
			}
			// An emergency goes ahead under no agreement when the one it
			// names does not cover it.
			req.AgreementID, agreement = "", nil
		}
		agreementVersion := 0
		if agreement != nil {
			agreementVersion = agreement.Version
		}
		if req.Supersedes != "" {
			var child, by string
			err := tx.QueryRowContext(ctx, `SELECT child_id, COALESCE((SELECT n.id FROM information_shares n WHERE n.supersedes = s.id), '')
				FROM information_shares s WHERE s.id = $1`, req.Supersedes).Scan(&child, &by)
			switch {
			case errors.Is(err, sql.ErrNoRows) || err == nil && child != childID:
				return lantern.Invalid(lantern.FieldError{Field: "supersedes", Message: "No such share of this child"})
			case err != nil:
				return internal("superseded share", err)
			case by != "":
				return lantern.Errorf(lantern.ECONFLICT, "That share has already been corrected: correct the latest record")
			}
		}
		id := newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO information_shares (id, child_id, meeting_id, what, assessment_id, recipient_name, recipient_email,
			recipient_agency, recipient_role, purpose, shared_at, shared_by, sent_at, recipient_agency_id, outcome, basis, special_condition,
			consent, reason, agreement_id, agreement_version, agreement_note, emergency, supersedes)
			VALUES ($1, $2, '', $3, '', $4, '', $5, '', $6, $7, $8, NULL, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			id, childID, req.What, req.To, agencyName, req.Purpose, s.d.ts(at), u.ID, req.ToAgencyID, string(req.Outcome), string(req.Basis),
			string(req.Condition), string(req.Consent), req.Reason, req.AgreementID, agreementVersion, req.AgreementNote, req.Emergency,
			req.Supersedes); err != nil {
			if isUniqueViolation(err) {
				return lantern.Errorf(lantern.ECONFLICT, "That share has already been corrected: correct the latest record")
			}
			return internal("record share", err)
		}
		tx.audit(auditEntry{Action: "share." + string(req.Outcome), Entity: "share", EntityID: id, ChildID: childID,
			Detail: fmt.Sprintf("to_agency=%s basis=%s consent=%s agreement=%s emergency=%t supersedes=%s", req.ToAgencyID, req.Basis,
				req.Consent, req.AgreementID, req.Emergency, req.Supersedes)})
		out, err = scanShare(tx.QueryRowContext(ctx, `SELECT `+shareCols+shareFrom+` WHERE s.id = $1`, id))
		if err != nil {
			return internal("read share", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ChildShares lists what was shared about a child, and what was not, newest
// first, for those who may read the child's shares.
func (s *Store) ChildShares(ctx context.Context, childID string) ([]*lantern.InformationShare, error) {
	c, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	if err := mayChild(ctx, c, lantern.ResShare, lantern.ActRead); err != nil {
		return nil, err
	}
	out, err := collect(ctx, s.db, "child shares", `SELECT `+shareCols+shareFrom+` WHERE s.child_id = $1 ORDER BY s.shared_at DESC, s.id DESC LIMIT 1000`,
		scanShare, childID)
	if err != nil {
		return nil, err
	}
	if err := s.audited(ctx, auditEntry{Action: "share.list", Entity: "child", EntityID: childID, ChildID: childID}); err != nil {
		return nil, err
	}
	return nonNil(out), nil
}

// SharedWithAgency lists what was shared with the caller's agency, newest
// first, at most limit (100 when 0): for a partner to see what it was
// given. Shares about a child the caller may not see are left out.
func (s *Store) SharedWithAgency(ctx context.Context, limit int) ([]*lantern.InformationShare, error) {
	if err := may(ctx, lantern.ResShare, lantern.ActList); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	u := lantern.UserFromContext(ctx)
	args := []any{u.AgencyID, string(lantern.ShareShared)}
	visible, ok := s.childIDVisible(ctx, &args, "s.child_id")
	if !ok {
		return []*lantern.InformationShare{}, nil
	}
	args = append(args, limit)
	out, err := collect(ctx, s.db, "shared with agency", `SELECT `+shareCols+shareFrom+` WHERE s.recipient_agency_id = $1 AND s.outcome = $2 AND `+
		visible+fmt.Sprintf(` ORDER BY s.shared_at DESC, s.id DESC LIMIT $%d`, len(args)), scanShare, args...)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(out))
	for _, sh := range out {
		ids = append(ids, sh.ChildID)
	}
	if err := s.auditedChildren(ctx, auditEntry{Action: "share.list-received", Entity: "share"}, ids); err != nil {
		return nil, err
	}
	return nonNil(out), nil
}

// NotSharedCount is how many decisions not to share an agency recorded in
// a month.
type NotSharedCount struct {
	Month    string `json:"month"` // YYYY-MM
	AgencyID string `json:"agency_id"`
	Agency   string `json:"agency"`
	Count    int    `json:"count"`
}

// NotSharedByMonth counts decisions not to share per agency (of the person
// who decided) per month, from one date to another inclusive: a figure for
// the partnership, naming no child, sealed records included.
func (s *Store) NotSharedByMonth(ctx context.Context, from, to lantern.Date) ([]NotSharedCount, error) {
	if err := may(ctx, lantern.ResFigures, lantern.ActRead); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "to", Message: "The end must be on or after the start"})
	}
	rows, err := collect(ctx, s.db, "not shared", `SELECT s.shared_at, COALESCE(a.id, ''), COALESCE(a.name, '')
		FROM information_shares s LEFT JOIN users u ON u.id = s.shared_by LEFT JOIN agencies a ON a.id = u.agency_id
		WHERE s.outcome = $1 AND s.shared_at >= $2 AND s.shared_at < $3`,
		func(r scanner) (NotSharedCount, error) {
			var at time.Time
			var c NotSharedCount
			err := r.Scan(timeScan{&at}, &c.AgencyID, &c.Agency)
			c.Month = at.In(lantern.London).Format("2006-01")
			return c, err
		}, string(lantern.ShareNotShared), s.d.ts(from.Time()), s.d.ts(to.AddDays(1).Time()))
	if err != nil {
		return nil, err
	}
	counts := map[[2]string]int{}
	var out []NotSharedCount
	for _, r := range rows {
		k := [2]string{r.Month, r.AgencyID}
		if counts[k] == 0 {
			out = append(out, r)
		}
		counts[k]++
	}
	for i := range out {
		out[i].Count = counts[[2]string{out[i].Month, out[i].AgencyID}]
	}
	slices.SortFunc(out, func(a, b NotSharedCount) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.Agency, b.Agency))
	})
	return nonNil(out), nil
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// Agreements.

func (s *Store) agreement(ctx context.Context, q querier, id string) (*lantern.Agreement, error) {
	as, err := s.agreements(ctx, q, `a.id = $1 AND a.version = (SELECT max(b.version) FROM sharing_agreements b WHERE b.id = a.id)`, id)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, lantern.NotFound("Agreement")
	}
	return as[0], nil
}

func (s *Store) agreements(ctx context.Context, q querier, where string, args ...any) ([]*lantern.Agreement, error) {
	out, err := collect(ctx, q, "agreements", `SELECT a.id, a.version, a.title, a.purposes, a.data_classes, a.basis, a.special_condition, a.retention,
		a.signatories, a.starts_on, a.review_on, a.ends_on, a.created_at, a.created_by FROM sharing_agreements a WHERE `+where+` ORDER BY a.title, a.id, a.version`,
		func(r scanner) (*lantern.Agreement, error) {
			var a lantern.Agreement
			var ends lantern.Date
			err := r.Scan(&a.ID, &a.Version, &a.Title, &a.Purposes, &a.DataClasses, &a.Basis, &a.Condition, &a.Retention, &a.Signatories,
				&a.StartsOn, &a.ReviewOn, &ends, timeScan{&a.CreatedAt}, &a.CreatedBy)
			if !ends.IsZero() {
				a.EndsOn = &ends
			}
			a.AgencyIDs = []string{}
			return &a, err
		}, args...)
	if err != nil {
		return nil, err
	}
	// Every listed agreement's parties, in one query.
	at := map[[2]any]*lantern.Agreement{}
	var pargs []any
	var ids []string
	for _, a := range out {
		at[[2]any{a.ID, a.Version}] = a
		ids = append(ids, a.ID)
	}
	if len(out) == 0 {
		return out, nil
	}
	parties, err := collect(ctx, q, "agreement parties", `SELECT agreement_id, version, agency_id FROM sharing_agreement_parties
		WHERE agreement_id IN (`+inList(&pargs, ids)+`) ORDER BY agency_id`,
		func(r scanner) ([3]any, error) {
			var id, agency string
			var version int
			err := r.Scan(&id, &version, &agency)
			return [3]any{id, version, agency}, err
		}, pargs...)
	if err != nil {
		return nil, err
	}
	for _, p := range parties {
		if a, ok := at[[2]any{p[0], p[1]}]; ok {
			a.AgencyIDs = append(a.AgencyIDs, p[2].(string))
		}
	}
	return out, nil
}

// Agreement reads the latest version of an agreement, for those who may
// read agreements.
func (s *Store) Agreement(ctx context.Context, id string) (*lantern.Agreement, error) {
	if err := may(ctx, lantern.ResAgreement, lantern.ActList); err != nil {
		return nil, err
	}
	a, err := s.agreement(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return a, s.audited(ctx, auditEntry{Action: "agreement.read", Entity: "agreement", EntityID: id})
}

// Agreements lists the latest version of every agreement.
func (s *Store) Agreements(ctx context.Context) ([]*lantern.Agreement, error) {
	if err := may(ctx, lantern.ResAgreement, lantern.ActList); err != nil {
		return nil, err
	}
	out, err := s.agreements(ctx, s.db, `a.version = (SELECT max(b.version) FROM sharing_agreements b WHERE b.id = a.id)`)
	if err != nil {
		return nil, err
	}
	return nonNil(out), s.audited(ctx, auditEntry{Action: "agreement.list", Entity: "agreement", Detail: fmt.Sprintf("n=%d", len(out))})
}

// SaveAgreement records an agreement: a new one (id empty, version 0), or
// a new version of one, if in.Version is its latest (else ECONFLICT).
func (s *Store) SaveAgreement(ctx context.Context, id string, in lantern.AgreementInput) (*lantern.Agreement, error) {
	if err := may(ctx, lantern.ResAgreement, lantern.ActChange); err != nil {
		return nil, err
	}
	if err := lantern.CheckAgreement(&in); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.Agreement
	err := s.write(ctx, func(tx *tx) error {
		version := 1
		if id == "" {
			id = newID()
			if in.Version != 0 {
				return lantern.Invalid(lantern.FieldError{Field: "version", Message: "A new agreement has no version yet"})
			}
		} else {
			cur, err := s.agreement(ctx, tx, id)
			if err != nil {
				return err
			}
			if cur.Version != in.Version {
				return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this agreement: start from its latest version", Current: cur}
			}
			version = cur.Version + 1
		}
		seen := map[string]bool{}
		for _, a := range in.AgencyIDs {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE id = $1`, a).Scan(&n); err != nil {
				return internal("agreement agency", err)
			}
			if n == 0 {
				return lantern.Invalid(lantern.FieldError{Field: "agency_ids", Message: "No such agency in the area: " + lantern.Excerpt(a, 40)})
			}
			seen[a] = true
		}
		if len(seen) < 2 {
			return lantern.Invalid(lantern.FieldError{Field: "agency_ids", Message: "An agreement needs at least two agencies as parties"})
		}
		var ends any
		if in.EndsOn != nil {
			ends = *in.EndsOn
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sharing_agreements (id, version, title, purposes, data_classes, basis, special_condition, retention,
			signatories, starts_on, review_on, ends_on, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			id, version, in.Title, strings.TrimSpace(in.Purposes), strings.TrimSpace(in.DataClasses), string(in.Basis), string(in.Condition),
			strings.TrimSpace(in.Retention), strings.TrimSpace(in.Signatories), in.StartsOn, in.ReviewOn, ends, s.d.ts(now), u.ID); err != nil {
			if isUniqueViolation(err) {
				return lantern.Errorf(lantern.ECONFLICT, "Someone else changed this agreement: start from its latest version")
			}
			return internal("save agreement", err)
		}
		for a := range seen {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sharing_agreement_parties (agreement_id, version, agency_id) VALUES ($1, $2, $3)`, id, version, a); err != nil {
				return internal("agreement party", err)
			}
		}
		tx.audit(auditEntry{Action: "agreement.save", Entity: "agreement", EntityID: id, Detail: "version=" + itoa(version)})
		var err error
		out, err = s.agreement(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
