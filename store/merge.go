package store

import (
	"context"

	"lantern"
	"lantern/match"
)

// MergeChildren makes dupID part of keepID's record: every concern,
// assessment, task, other name, address, school, professional, family
// member, sibling link and involved agency moves to keepID, the duplicate's
// own name becomes an other name, and the duplicate is kept, read-only,
// pointing at the record it was merged into. Both histories are kept.
func (s *Store) MergeChildren(ctx context.Context, keepID, dupID string, keepVersion, dupVersion int) (*lantern.Child, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	if dupID == "" {
		return nil, lantern.Invalid(lantern.FieldError{Field: "other_id", Message: "Choose the record to merge with this one"})
	}
	err := s.write(ctx, func(tx *tx) error {
		keep, err := s.findChild(ctx, tx, keepID, true)
		if err != nil {
			return err
		}
		dup, err := s.findChild(ctx, tx, dupID, true)
		if err != nil {
			return err
		}
		// A person's decision, never the system's.
		if err := mayChild(ctx, keep, lantern.ResChild, lantern.ActMerge); err != nil {
			return err
		}
		if err := mayChild(ctx, dup, lantern.ResChild, lantern.ActMerge); err != nil {
			return err
		}
		switch {
		case keep.ID == dup.ID:
			return lantern.Invalid(lantern.FieldError{Field: "other_id", Message: "Choose a different record to merge"})
		case keep.MergedInto != "" || dup.MergedInto != "":
			return lantern.Invalid(lantern.FieldError{Field: "other_id", Message: "One of these records has already been merged"})
		case keep.Version != keepVersion || dup.Version != dupVersion:
			return lantern.Errorf(lantern.ECONFLICT, "One of the records changed while you were comparing them: compare them again")
		}
		for _, q := range []string{
			`UPDATE concerns SET child_id = $1 WHERE child_id = $2`,
			`UPDATE assessments SET child_id = $1 WHERE child_id = $2`,
			`UPDATE tasks SET child_id = $1 WHERE child_id = $2`,
			`UPDATE child_names SET child_id = $1 WHERE child_id = $2`,
			`UPDATE child_addresses SET child_id = $1 WHERE child_id = $2`,
			`UPDATE child_schools SET child_id = $1 WHERE child_id = $2`,
			`UPDATE child_professionals SET child_id = $1 WHERE child_id = $2`,
			`UPDATE family_members SET child_id = $1 WHERE child_id = $2`,
			// The statutory events go with the tasks their clocks made.
			`UPDATE referrals SET child_id = $1 WHERE child_id = $2`,
			`UPDATE sw_assessments SET child_id = $1 WHERE child_id = $2`,
			`UPDATE strategy_discussions SET child_id = $1 WHERE child_id = $2`,
			`UPDATE s47_enquiries SET child_id = $1 WHERE child_id = $2`,
			`UPDATE conferences SET child_id = $1 WHERE child_id = $2`,
			`UPDATE core_groups SET child_id = $1 WHERE child_id = $2`,
			`UPDATE protection_plans SET child_id = $1 WHERE child_id = $2`,
			`UPDATE missing_episodes SET child_id = $1 WHERE child_id = $2`,
			`UPDATE return_interviews SET child_id = $1 WHERE child_id = $2`,
			`UPDATE meeting_children SET child_id = $1 WHERE child_id = $2
				AND NOT EXISTS (SELECT 1 FROM meeting_children k WHERE k.meeting_id = meeting_children.meeting_id AND k.child_id = $1)`,
			`UPDATE meeting_decisions SET child_id = $1 WHERE child_id = $2
				AND NOT EXISTS (SELECT 1 FROM meeting_decisions k WHERE k.meeting_id = meeting_decisions.meeting_id AND k.child_id = $1)`,
			// What was shared about the child stays part of their history.
			`UPDATE information_shares SET child_id = $1 WHERE child_id = $2`,
		} {
			if _, err := tx.ExecContext(ctx, q, keepID, dupID); err != nil {
				return internal("merge", err)
			}
		}
		// An agency involved with either record is involved with the child,
		// by the same source, which ends both when it ends; the duplicate's
		// agencies still see it, to follow it to the kept record.
		if _, err := tx.ExecContext(ctx, `INSERT INTO involvements (id, child_id, agency_id, source, source_id, reason, started_at, started_by)
			SELECT d.id || '+' || $1, $1, d.agency_id, d.source, d.source_id, d.reason, d.started_at, d.started_by FROM involvements d
			WHERE d.child_id = $2 AND d.ended_at IS NULL
			ON CONFLICT (child_id, agency_id, source, source_id) WHERE ended_at IS NULL DO NOTHING`, keepID, dupID); err != nil {
			return internal("merge", err)
		}
		// Siblings are sets: add what the keeper lacks.
		for _, q := range []string{
			`INSERT INTO child_siblings (child_id, sibling_id, created_at) SELECT $1, sibling_id, created_at FROM child_siblings
				WHERE child_id = $2 AND sibling_id <> $1 ON CONFLICT (child_id, sibling_id) DO NOTHING`,
			`INSERT INTO child_siblings (child_id, sibling_id, created_at) SELECT child_id, $1, created_at FROM child_siblings
				WHERE sibling_id = $2 AND child_id <> $1 ON CONFLICT (child_id, sibling_id) DO NOTHING`,
		} {
			if _, err := tx.ExecContext(ctx, q, keepID, dupID); err != nil {
				return internal("merge", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM child_siblings WHERE child_id = $1 OR sibling_id = $1`, dupID); err != nil {
			return internal("merge", err)
		}
		// A meeting that was about both records is about the kept one, once.
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_children WHERE child_id = $1`, dupID); err != nil {
			return internal("merge", err)
		}
		if dup.GivenName+" "+dup.FamilyName != keep.GivenName+" "+keep.FamilyName {
			if _, err := tx.ExecContext(ctx, `INSERT INTO child_names (id, child_id, name, kind, name_key, created_at) VALUES ($1, $2, $3, 'previous-name', $4, $5)`,
				newID(), keepID, dup.GivenName+" "+dup.FamilyName, match.NameKey(dup.GivenName+" "+dup.FamilyName), s.d.ts(now)); err != nil {
				return internal("merge", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE children SET merged_into = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4`,
			keepID, s.d.ts(now), u.ID, dupID); err != nil {
			return internal("merge", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE children SET version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3`,
			s.d.ts(now), u.ID, keepID); err != nil {
			return internal("merge", err)
		}
		tx.audit(auditEntry{Action: "child.merge", Entity: "child", EntityID: keepID, ChildID: keepID, Detail: "merged=" + dupID})
		tx.audit(auditEntry{Action: "child.merged", Entity: "child", EntityID: dupID, ChildID: dupID, Detail: "into=" + keepID})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.FindChildByID(ctx, keepID)
}
