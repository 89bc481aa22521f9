package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"lantern"
)

// involve records that an agency is involved with a child through a source
// (lantern.InvolvementSource), so that its people see the record while the
// source lasts. The same source again is the same involvement. Audited.
func (s *Store) involve(ctx context.Context, tx *tx, childID, agencyID string, src lantern.InvolvementSource, srcID, reason string, at time.Time) error {
	if agencyID == "" || childID == "" {
		return nil
	}
	by := "system"
	if u := lantern.UserFromContext(ctx); u != nil {
		by = u.ID
	}
	id := newID()
	res, err := tx.ExecContext(ctx, `INSERT INTO involvements (id, child_id, agency_id, source, source_id, reason, started_at, started_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (child_id, agency_id, source, source_id) WHERE ended_at IS NULL DO NOTHING`,
		id, childID, agencyID, string(src), srcID, reason, s.d.ts(at), by)
	if err != nil {
		return internal("involve agency", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("involve agency", err)
	} else if n == 1 {
		tx.audit(auditEntry{Action: "involvement.start", Entity: "involvement", EntityID: id, ChildID: childID,
			Detail: "agency=" + agencyID + " source=" + string(src) + " source_id=" + srcID})
	}
	return nil
}

// endSource ends every live involvement a source gave: the professional
// removed, the invitation withdrawn, the action's task withdrawn (on every
// record, a merged duplicate's copy too). Audited, each.
func (s *Store) endSource(ctx context.Context, tx *tx, src lantern.InvolvementSource, srcID, why string, at time.Time) error {
	type live struct{ id, child, agency string }
	ls, err := collect(ctx, tx, "involvements", `SELECT id, child_id, agency_id FROM involvements WHERE source = $1 AND source_id = $2 AND ended_at IS NULL`,
		func(r scanner) (live, error) {
			var l live
			return l, r.Scan(&l.id, &l.child, &l.agency)
		}, string(src), srcID)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if err := s.endInvolvementRow(ctx, tx, l.id, l.child, l.agency, why, at); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) endInvolvementRow(ctx context.Context, tx *tx, id, childID, agencyID, why string, at time.Time) error {
	by := "system"
	if u := lantern.UserFromContext(ctx); u != nil {
		by = u.ID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE involvements SET ended_at = $1, ended_by = $2, end_reason = $3 WHERE id = $4 AND ended_at IS NULL`,
		s.d.ts(at), by, why, id); err != nil {
		return internal("end involvement", err)
	}
	tx.audit(auditEntry{Action: "involvement.end", Entity: "involvement", EntityID: id, ChildID: childID, Detail: "agency=" + agencyID})
	return nil
}

// involvementCols are read FROM involvementFrom: the agency's name, the
// names of the people who started and ended it (none for the system), and
// the meeting an invitation, action or share came from.
const involvementCols = `i.id, i.child_id, i.agency_id, COALESCE(a.name, ''), i.source, i.source_id, i.reason, i.started_at, i.started_by,
	COALESCE(us.name, ''), i.ended_at, i.ended_by, COALESCE(ue.name, ''), i.end_reason, COALESCE(m.id, ''), COALESCE(m.kind, ''), m.starts_at,
	COALESCE(m.status, '')`

const involvementFrom = `involvements i LEFT JOIN agencies a ON a.id = i.agency_id
	LEFT JOIN users us ON us.id = i.started_by LEFT JOIN users ue ON ue.id = i.ended_by
	LEFT JOIN meeting_invitees mi ON i.source = 'invitation' AND mi.id = i.source_id
	LEFT JOIN meeting_actions ma ON i.source = 'action' AND ma.id = i.source_id
	LEFT JOIN information_shares sh ON i.source = 'share' AND sh.id = i.source_id
	LEFT JOIN meetings m ON m.id = COALESCE(mi.meeting_id, ma.meeting_id, NULLIF(sh.meeting_id, ''))`

func scanInvolvement(r scanner) (*lantern.Involvement, error) {
	var v lantern.Involvement
	var src, kind string
	err := r.Scan(&v.ID, &v.ChildID, &v.AgencyID, &v.AgencyName, &src, &v.SourceID, &v.Reason, timeScan{&v.StartedAt}, &v.StartedBy,
		&v.StartedByName, ntimeScan{&v.EndedAt}, &v.EndedBy, &v.EndedByName, &v.EndReason, &v.MeetingID, &kind, ntimeScan{&v.MeetingStartsAt},
		&v.MeetingStatus)
	v.Source, v.MeetingKind = lantern.InvolvementSource(src), lantern.MeetingKind(kind)
	return &v, err
}

// Involvements lists the agencies involved with a child, each source with
// when it started and, if it has, ended: who sees the record, and why.
func (s *Store) Involvements(ctx context.Context, childID string) ([]*lantern.Involvement, error) {
	c, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	if err := mayChild(ctx, c, lantern.ResInvolvement, lantern.ActRead); err != nil {
		return nil, err
	}
	vs, err := collect(ctx, s.db, "involvements", `SELECT `+involvementCols+` FROM `+involvementFrom+`
		WHERE i.child_id = $1 ORDER BY i.ended_at IS NOT NULL, lower(a.name), i.started_at, i.id`, scanInvolvement, childID)
	if err != nil {
		return nil, err
	}
	if vs == nil {
		vs = []*lantern.Involvement{}
	}
	return vs, s.audited(ctx, auditEntry{Action: "involvement.list", Entity: "child", EntityID: childID, ChildID: childID})
}

// Involve records a decision that an agency is involved with a child, with
// the reason: children's social care's or the coordinator's to make.
func (s *Store) Involve(ctx context.Context, childID string, in lantern.InvolvementInput) (*lantern.Involvement, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	var out *lantern.Involvement
	err := s.write(ctx, func(tx *tx) error {
		c, err := s.findChild(ctx, tx, childID, true)
		if err != nil {
			return err
		}
		if err := mayChild(ctx, c, lantern.ResInvolvement, lantern.ActCreate); err != nil {
			return err
		}
		if c.MergedInto != "" {
			return lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: involve the agency there")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE id = $1`, in.AgencyID).Scan(&n); err != nil {
			return internal("find agency", err)
		} else if n == 0 {
			return lantern.Invalid(lantern.FieldError{Field: "agency_id", Message: "Select an agency from the list"})
		}
		// A decision is its own source: one per decision.
		src := newID()
		if err := s.involve(ctx, tx, childID, in.AgencyID, lantern.SourceDecision, src, in.Reason, now); err != nil {
			return err
		}
		out, err = scanInvolvement(tx.QueryRowContext(ctx, `SELECT `+involvementCols+` FROM `+involvementFrom+`
			WHERE i.source = $1 AND i.source_id = $2`, string(lantern.SourceDecision), src))
		return internal("involvement", err)
	})
	return out, err
}

// EndInvolvement ends an involvement that may be ended by a decision
// (lantern.Involvement.Endable), with the reason; it stays in the record's
// history. The copies of it that records merged into this one hold end with
// it: their agency followed the duplicate to this record.
func (s *Store) EndInvolvement(ctx context.Context, childID, id, reason string) error {
	if err := lantern.CheckEndReason(reason); err != nil {
		return err
	}
	now := s.now()
	return s.write(ctx, func(tx *tx) error {
		c, err := s.findChild(ctx, tx, childID, true)
		if err != nil {
			return err
		}
		if err := mayChild(ctx, c, lantern.ResInvolvement, lantern.ActChange); err != nil {
			return err
		}
		v, err := scanInvolvement(tx.QueryRowContext(ctx, `SELECT `+involvementCols+` FROM `+involvementFrom+`
			WHERE i.id = $1 AND i.child_id = $2`, id, childID))
		if errors.Is(err, sql.ErrNoRows) {
			return lantern.NotFound("Involvement")
		} else if err != nil {
			return internal("involvement", err)
		}
		switch {
		case !v.Live():
			return lantern.Invalid(lantern.FieldError{Field: "reason", Message: "This involvement has already ended"})
		case !v.Endable():
			return lantern.Invalid(lantern.FieldError{Field: "reason", Message: "This involvement ends with its source: " + v.Source.Label()})
		}
		if err := s.endInvolvementRow(ctx, tx, v.ID, childID, v.AgencyID, reason, now); err != nil {
			return err
		}
		type copied struct{ id, child string }
		cs, err := collect(ctx, tx, "involvements", `WITH RECURSIVE merged (id) AS (
				SELECT id FROM children WHERE merged_into = $1
				UNION SELECT c.id FROM children c JOIN merged m ON c.merged_into = m.id)
			SELECT i.id, i.child_id FROM involvements i JOIN merged m ON m.id = i.child_id
			WHERE i.agency_id = $2 AND i.source = $3 AND i.source_id = $4 AND i.ended_at IS NULL`,
			func(r scanner) (copied, error) {
				var c copied
				return c, r.Scan(&c.id, &c.child)
			}, childID, v.AgencyID, string(v.Source), v.SourceID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := s.endInvolvementRow(ctx, tx, c.id, c.child, v.AgencyID, reason, now); err != nil {
				return err
			}
		}
		return nil
	})
}
