package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"lantern"
)

// Sealed records and breaking the glass
// (docs/information-governance.md#sealed-records). The seal itself is
// enforced where every read of a child is: Store.childIDVisible.

// findChildUnsealed reads a child the caller could see were it not sealed:
// for breaking the glass only.
func (s *Store) findChildUnsealed(ctx context.Context, q querier, id string) (*lantern.Child, error) {
	return s.readChildBy(ctx, q, id, false, s.childIDVisibleUnsealed)
}

const accessCols = `a.id, a.child_id, a.user_id, COALESCE((SELECT u.name FROM users u WHERE u.id = a.user_id), ''), a.kind, a.reason, a.granted_by, a.granted_at, a.expires_at, a.ended_at,
	a.reviewed_at, COALESCE(a.reviewed_by, ''), a.review_note`

func scanAccess(r scanner) (*lantern.SealAccess, error) {
	var a lantern.SealAccess
	err := r.Scan(&a.ID, &a.ChildID, &a.UserID, &a.UserName, &a.Kind, &a.Reason, &a.GrantedBy, timeScan{&a.GrantedAt}, ntimeScan{&a.ExpiresAt},
		ntimeScan{&a.EndedAt}, ntimeScan{&a.ReviewedAt}, &a.ReviewedBy, &a.ReviewNote)
	return &a, err
}

// SealOf is a child's seal, with who may see the record, or nil when it is
// not sealed; for those who may see the record.
func (s *Store) SealOf(ctx context.Context, childID string) (*lantern.Seal, error) {
	c, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	if err := mayChild(ctx, c, lantern.ResSeal, lantern.ActRead); err != nil {
		return nil, err
	}
	seal, err := s.sealOf(ctx, s.db, childID)
	if err != nil || seal == nil {
		return seal, err
	}
	return seal, s.audited(ctx, auditEntry{Action: "seal.read", Entity: "child", EntityID: childID, ChildID: childID})
}

func (s *Store) sealOf(ctx context.Context, q querier, childID string) (*lantern.Seal, error) {
	var seal lantern.Seal
	err := q.QueryRowContext(ctx, `SELECT child_id, reason, review_on, sealed_by, sealed_at FROM child_seals WHERE child_id = $1`, childID).
		Scan(&seal.ChildID, &seal.Reason, &seal.ReviewOn, &seal.SealedBy, timeScan{&seal.SealedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, internal("seal", err)
	}
	acc, err := collect(ctx, q, "seal access", `SELECT `+accessCols+` FROM seal_access a
		WHERE a.child_id = $1 AND a.ended_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > $2) ORDER BY a.kind, a.granted_at, a.id`, scanAccess,
		childID, s.d.ts(s.now()))
	if err != nil {
		return nil, err
	}
	seal.Allowed = nonNil(acc)
	return &seal, nil
}

// allowOn puts people on a sealed record's allow-list in tx; someone
// already on it is left as they are. A person must hold a role that works
// with children's records and not be disabled.
func (s *Store) allowOn(ctx context.Context, tx *tx, childID string, userIDs []string, now time.Time) error {
	u := lantern.UserFromContext(ctx)
	for _, id := range userIDs {
		var ok int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users x WHERE x.id = $1 AND NOT x.disabled`, id).Scan(&ok); err != nil {
			return internal("allow user", err)
		}
		if ok == 0 {
			return lantern.Invalid(lantern.FieldError{Field: "allow", Message: "No such person: " + lantern.Excerpt(id, 40)})
		}
		var on int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM seal_access WHERE child_id = $1 AND user_id = $2 AND kind = $3 AND ended_at IS NULL`,
			childID, id, lantern.AccessAllowed).Scan(&on); err != nil {
			return internal("allow-list", err)
		}
		if on > 0 {
			continue
		}
		aid := newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO seal_access (id, child_id, user_id, kind, reason, granted_by, granted_at) VALUES ($1, $2, $3, $4, '', $5, $6)`,
			aid, childID, id, lantern.AccessAllowed, u.ID, s.d.ts(now)); err != nil {
			return internal("allow", err)
		}
		tx.audit(auditEntry{Action: "seal.allow", Entity: "seal-access", EntityID: aid, ChildID: childID, Detail: "user=" + id})
	}
	return nil
}

// sealTarget locks a child the caller may see and checks they may take act
// on its seal.
func (s *Store) sealTarget(ctx context.Context, tx *tx, childID string, act lantern.Action) (*lantern.Child, error) {
	c, err := s.findChild(ctx, tx, childID, true)
	if err != nil {
		return nil, err
	}
	return c, mayChild(ctx, c, lantern.ResSeal, act)
}

// SealChild seals a child's record: from then on only those on its
// allow-list (the manager who sealed it, the allocated social worker, and
// those named) find the child anywhere; the partnership's counts still
// include it. Only children's social care managers may.
func (s *Store) SealChild(ctx context.Context, childID string, req lantern.SealRequest) (*lantern.Seal, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.Seal
	err := s.write(ctx, func(tx *tx) error {
		c, err := s.sealTarget(ctx, tx, childID, lantern.ActCreate)
		if err != nil {
			return err
		}
		if err := lantern.CheckSeal(&req, lantern.DateOf(now)); err != nil {
			return err
		}
		if c.MergedInto != "" {
			return lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: seal that one")
		}
		if cur, err := s.sealOf(ctx, tx, childID); err != nil {
			return err
		} else if cur != nil {
			return lantern.Errorf(lantern.ECONFLICT, "This record is already sealed")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO child_seals (child_id, reason, review_on, sealed_by, sealed_at) VALUES ($1, $2, $3, $4, $5)`,
			childID, req.Reason, req.ReviewOn, u.ID, s.d.ts(now)); err != nil {
			if isUniqueViolation(err) {
				return lantern.Errorf(lantern.ECONFLICT, "This record is already sealed")
			}
			return internal("seal", err)
		}
		allow := append([]string{u.ID}, req.Allow...)
		if c.AllocatedSocialWorkerID != "" {
			allow = append(allow, c.AllocatedSocialWorkerID)
		}
		if err := s.allowOn(ctx, tx, childID, allow, now); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "child.seal", Entity: "child", EntityID: childID, ChildID: childID, Detail: "review_on=" + req.ReviewOn.String()})
		out, err = s.sealOf(ctx, tx, childID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UnsealChild lifts a seal: the record is found again as the policy
// allows, and every access the seal granted ends.
func (s *Store) UnsealChild(ctx context.Context, childID string) error {
	now := s.now()
	return s.write(ctx, func(tx *tx) error {
		_, err := s.sealTarget(ctx, tx, childID, lantern.ActChange)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM child_seals WHERE child_id = $1`, childID)
		if err != nil {
			return internal("unseal", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lantern.Errorf(lantern.ECONFLICT, "This record is not sealed")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE seal_access SET ended_at = $1 WHERE child_id = $2 AND ended_at IS NULL`, s.d.ts(now), childID); err != nil {
			return internal("end access", err)
		}
		tx.audit(auditEntry{Action: "child.unseal", Entity: "child", EntityID: childID, ChildID: childID})
		return nil
	})
}

// ChangeAllowList adds people to a sealed record's allow-list, or takes
// them off it (their access ends at once).
func (s *Store) ChangeAllowList(ctx context.Context, childID string, add, remove []string) (*lantern.Seal, error) {
	now := s.now()
	var out *lantern.Seal
	err := s.write(ctx, func(tx *tx) error {
		_, err := s.sealTarget(ctx, tx, childID, lantern.ActChange)
		if err != nil {
			return err
		}
		if len(add)+len(remove) > 50 {
			return lantern.Invalid(lantern.FieldError{Field: "allow", Message: "Change at most 50 people at once"})
		}
		if cur, err := s.sealOf(ctx, tx, childID); err != nil {
			return err
		} else if cur == nil {
			return lantern.Errorf(lantern.ECONFLICT, "This record is not sealed")
		}
		if err := s.allowOn(ctx, tx, childID, add, now); err != nil {
			return err
		}
		u := lantern.UserFromContext(ctx)
		for _, id := range remove {
			if id == u.ID {
				return lantern.Invalid(lantern.FieldError{Field: "remove", Message: "You cannot take yourself off the allow-list: ask another manager"})
			}
			res, err := tx.ExecContext(ctx, `UPDATE seal_access SET ended_at = $1 WHERE child_id = $2 AND user_id = $3 AND ended_at IS NULL`, s.d.ts(now), childID, id)
			if err != nil {
				return internal("disallow", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				tx.audit(auditEntry{Action: "seal.disallow", Entity: "child", EntityID: childID, ChildID: childID, Detail: "user=" + id})
			}
		}
		out, err = s.sealOf(ctx, tx, childID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// BreakGlass opens a sealed record to the caller for lantern.BreakGlassFor,
// for a role the policy lets break the glass (breakGlassTarget): those who
// could see it were it not sealed are refused, sealed or not, by the
// policy's rule; for others a record not sealed is not found, so no answer
// reveals a seal to someone who could not break it. For the time given
// the caller reads the record as an agency involved with the child would. The manager who sealed it and every
// information governance lead are alerted, on their pages and by email,
// and the access joins the review list.
func (s *Store) BreakGlass(ctx context.Context, childID string, req lantern.BreakGlassRequest) (*lantern.SealAccess, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.SealAccess
	err := s.write(ctx, func(tx *tx) error {
		visible, err := s.breakGlassTarget(ctx, tx, childID)
		if err != nil {
			return err
		}
		seal, err := s.sealOf(ctx, tx, childID)
		if err != nil {
			return err
		}
		switch {
		case seal == nil && visible:
			return lantern.Errorf(lantern.ECONFLICT, "This record is not sealed: open it as usual")
		case seal == nil:
			return lantern.NotFound("Child")
		}
		if err := lantern.CheckBreakGlass(&req); err != nil {
			return err
		}
		for _, a := range seal.Allowed {
			if a.UserID == u.ID {
				return lantern.Errorf(lantern.ECONFLICT, "You can already see this record")
			}
		}
		id := newID()
		expires := now.Add(lantern.BreakGlassFor)
		if _, err := tx.ExecContext(ctx, `INSERT INTO seal_access (id, child_id, user_id, kind, reason, granted_by, granted_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $3, $6, $7)`, id, childID, u.ID, lantern.AccessBreakGlass, req.Reason, s.d.ts(now), s.d.ts(expires)); err != nil {
			return internal("break glass", err)
		}
		tx.audit(auditEntry{Action: "child.break-glass", Entity: "seal-access", EntityID: id, ChildID: childID,
			Detail: "expires=" + expires.UTC().Format(time.RFC3339)})
		to := []string{seal.SealedBy}
		igs, err := collect(ctx, tx, "information governance", `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
			WHERE r.role = $1 AND NOT u.disabled ORDER BY u.id`, func(r scanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		}, string(lantern.RoleInfoGovernance))
		if err != nil {
			return err
		}
		for _, id := range append(to, igs...) {
			if id == u.ID {
				continue
			}
			if err := s.raiseAlert(ctx, tx, lantern.AlertBreakGlass, "", "", alertTo{userID: id}, now); err != nil {
				return err
			}
		}
		out, err = scanAccess(tx.QueryRowContext(ctx, `SELECT `+accessCols+` FROM seal_access a WHERE a.id = $1`, id))
		if err != nil {
			return internal("read access", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.reviewDue(ctx, []*lantern.SealAccess{out})
}

// reviewDue sets when each break-glass access's review is late after, and
// whether it is.
func (s *Store) reviewDue(ctx context.Context, as []*lantern.SealAccess) error {
	cal, err := s.workCalendar(ctx, s.db)
	if err != nil {
		return err
	}
	now := s.now()
	for _, a := range as {
		if a.Kind != lantern.AccessBreakGlass {
			continue
		}
		d := cal.AddWorkingDays(lantern.DateOf(a.GrantedAt), lantern.BreakGlassReviewDays)
		a.ReviewBy = &d
		a.Late = a.ReviewedAt == nil && lantern.Today(now).After(d)
	}
	return nil
}

// BreakGlassFilter chooses break-glass accesses to list.
type BreakGlassFilter struct {
	// All lists the reviewed too; else only those waiting for review.
	All bool
}

// BreakGlassReviews lists break-glass accesses, oldest first, for the
// information governance lead and children's social care managers: who,
// when, why and until when, with the child's id only (the reviewer may not
// be on the record's allow-list).
func (s *Store) BreakGlassReviews(ctx context.Context, f BreakGlassFilter) ([]*lantern.SealAccess, error) {
	if err := may(ctx, lantern.ResBreakGlass, lantern.ActList); err != nil {
		return nil, err
	}
	where := `a.kind = $1`
	if !f.All {
		where += ` AND a.reviewed_at IS NULL`
	}
	out, err := collect(ctx, s.db, "break-glass reviews", `SELECT `+accessCols+` FROM seal_access a
		WHERE `+where+` ORDER BY a.granted_at, a.id LIMIT 500`, scanAccess, lantern.AccessBreakGlass)
	if err != nil {
		return nil, err
	}
	if err := s.audited(ctx, auditEntry{Action: "break-glass.list", Entity: "seal-access", Detail: fmt.Sprintf("n=%d", len(out))}); err != nil {
		return nil, err
	}
	return nonNil(out), s.reviewDue(ctx, out)
}

// ReviewBreakGlass records the review of a break-glass access: by someone
// other than who broke the glass, once.
func (s *Store) ReviewBreakGlass(ctx context.Context, id string, req lantern.ReviewRequest) (*lantern.SealAccess, error) {
	if err := may(ctx, lantern.ResBreakGlass, lantern.ActChange); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.SealAccess
	err := s.write(ctx, func(tx *tx) error {
		a, err := scanAccess(tx.QueryRowContext(ctx, `SELECT `+accessCols+` FROM seal_access a
			WHERE a.id = $1 AND a.kind = $2`+s.d.forUpdate(), id, lantern.AccessBreakGlass))
		if errors.Is(err, sql.ErrNoRows) {
			return lantern.NotFound("Break-glass access")
		} else if err != nil {
			return internal("break-glass access", err)
		}
		if a.UserID == u.ID {
			return lantern.Errorf(lantern.EFORBIDDEN, "You cannot review your own break-glass access: another reviewer must")
		}
		if a.ReviewedAt != nil {
			return lantern.Errorf(lantern.ECONFLICT, "This access has already been reviewed")
		}
		if err := lantern.CheckReview(&req); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE seal_access SET reviewed_at = $1, reviewed_by = $2, review_note = $3 WHERE id = $4`,
			s.d.ts(now), u.ID, req.Note, id); err != nil {
			return internal("review", err)
		}
		tx.audit(auditEntry{Action: "break-glass.review", Entity: "seal-access", EntityID: id, ChildID: a.ChildID})
		t := now.UTC().Truncate(time.Microsecond)
		a.ReviewedAt, a.ReviewedBy, a.ReviewNote = &t, u.ID, req.Note
		out = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.reviewDue(ctx, []*lantern.SealAccess{out})
}

// authorizeBreakGlass checks the caller may break the glass on a child,
// without saying whether it is sealed: for the form, before the reason is
// asked for.
func (s *Store) authorizeBreakGlass(ctx context.Context, childID string) error {
	if lantern.MayBreakGlass(lantern.UserFromContext(ctx)) {
		return nil // the same form for every id: it says nothing of any record
	}
	_, err := s.breakGlassTarget(ctx, s.db, childID)
	return err
}

// breakGlassTarget checks the caller may break the glass on the child,
// and says whether the policy lets them see it were it not sealed. Those
// it does are refused by the policy's rule, sealed or not; for the rest,
// a role that may break the glass on any child may, and anyone else is
// told the child is not found.
func (s *Store) breakGlassTarget(ctx context.Context, q querier, childID string) (visible bool, err error) {
	c, err := s.findChildUnsealed(ctx, q, childID)
	if err == nil {
		return true, mayChild(ctx, c, lantern.ResBreakGlass, lantern.ActCreate)
	}
	if lantern.ErrorCode(err) != lantern.ENOTFOUND {
		return false, err
	}
	if !lantern.Allowed(lantern.UserFromContext(ctx), lantern.ResBreakGlass, lantern.ActCreate, lantern.RelOther) {
		return false, lantern.NotFound("Child")
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM children WHERE id = $1 AND merged_into IS NULL`, childID).Scan(&n); err != nil {
		return false, internal("child", err)
	}
	if n == 0 {
		return false, lantern.NotFound("Child")
	}
	return false, nil
}

// CaseWorkers lists the people who work with children's records, by name,
// for a sealed record's allow-list: for those who may change one.
func (s *Store) CaseWorkers(ctx context.Context) ([]lantern.Person, error) {
	u := lantern.UserFromContext(ctx)
	if !lantern.Allowed(u, lantern.ResSeal, lantern.ActChange, lantern.RelOther) && !lantern.Allowed(u, lantern.ResSeal, lantern.ActChange, lantern.RelInvolved) {
		return nil, lantern.Refusal(lantern.ResSeal, lantern.ActChange)
	}
	args := []any{}
	var in []string
	for _, r := range lantern.Roles {
		if lantern.IsCaseRole(r) {
			args = append(args, string(r))
			in = append(in, fmt.Sprintf("$%d", len(args)))
		}
	}
	return collect(ctx, s.db, "case workers", `SELECT u.id, u.name || ' (' || a.name || ')' FROM users u JOIN agencies a ON a.id = u.agency_id
		WHERE NOT u.disabled AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN (`+strings.Join(in, ", ")+`))
		ORDER BY u.name, u.id LIMIT 2000`, func(r scanner) (lantern.Person, error) {
		var p lantern.Person
		return p, r.Scan(&p.ID, &p.Name)
	}, args...)
}
