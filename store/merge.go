package store

import (
	"context"

	"lantern"
	"lantern/match"
)

// mergeHow is what merging does with a table's rows about the duplicate.
type mergeHow int

const (
	// mergeMove gives every row to the kept record.
	mergeMove mergeHow = iota
	// mergeMoveUnlessDuplicate gives a row to the kept record unless it
	// has one with the same key already; dropUnmoved says whether the
	// duplicate's rows left then are deleted or stay with it.
	mergeMoveUnlessDuplicate
	// mergeCopy adds to the kept record copies of the duplicate's rows,
	// which keeps its own (the statements are written out in sql).
	mergeCopy
	// mergeCopySet adds to the kept record the members of a set that it
	// lacks, then takes the duplicate out of the set (sql written out).
	mergeCopySet
	// mergeLeave leaves the rows with the duplicate, for the reason given.
	mergeLeave
)

// mergeTable is one table holding a child's id, and what merging does with
// it. Every such table is listed, even those left alone, and a test reads
// the schema to keep it so: a new table about a child must say here what
// happens to it when two records are merged.
type mergeTable struct {
	table string
	// columns hold a child's id: one named child_id or sibling_id, or
	// referencing children (id).
	columns []string
	how     mergeHow
	// key is, for mergeMoveUnlessDuplicate, the column that with the
	// child's makes a row unique.
	key         string
	dropUnmoved bool
	// sql are the statements for mergeCopy and mergeCopySet.
	sql []mergeStatement
	// why says why, where the reason is not plain.
	why string
}

// mergeStatement is one statement of a merge. Its parameters are $1 the
// kept record and $2 the duplicate, or with dupOnly $1 the duplicate.
type mergeStatement struct {
	sql     string
	dupOnly bool
}

func (m mergeTable) statements() []mergeStatement {
	var out []mergeStatement
	switch m.how {
	case mergeMove:
		for _, c := range m.columns {
			out = append(out, mergeStatement{sql: `UPDATE ` + m.table + ` SET ` + c + ` = $1 WHERE ` + c + ` = $2`})
		}
	case mergeMoveUnlessDuplicate:
		c := m.columns[0]
		out = append(out, mergeStatement{sql: `UPDATE ` + m.table + ` SET ` + c + ` = $1 WHERE ` + c + ` = $2
				AND NOT EXISTS (SELECT 1 FROM ` + m.table + ` k WHERE k.` + m.key + ` = ` + m.table + `.` + m.key + ` AND k.` + c + ` = $1)`})
		if m.dropUnmoved {
			out = append(out, mergeStatement{sql: `DELETE FROM ` + m.table + ` WHERE ` + c + ` = $1`, dupOnly: true})
		}
	case mergeCopy, mergeCopySet:
		out = m.sql
	}
	return out
}

// mergeTables is every table holding a child's id, in the order merging
// visits them.
var mergeTables = []mergeTable{
	{table: "concerns", columns: []string{"child_id"}, how: mergeMove},
	{table: "assessments", columns: []string{"child_id"}, how: mergeMove},
	{table: "tasks", columns: []string{"child_id"}, how: mergeMove},
	{table: "child_names", columns: []string{"child_id"}, how: mergeMove},
	{table: "child_addresses", columns: []string{"child_id"}, how: mergeMove},
	{table: "child_schools", columns: []string{"child_id"}, how: mergeMove},
	{table: "child_professionals", columns: []string{"child_id"}, how: mergeMove},
	{table: "family_members", columns: []string{"child_id"}, how: mergeMove},
	// The statutory events go with the tasks their clocks made.
	{table: "referrals", columns: []string{"child_id"}, how: mergeMove},
	{table: "info_requests", columns: []string{"child_id"}, how: mergeMove},
	{table: "alerts", columns: []string{"child_id"}, how: mergeMove},
	{table: "sw_assessments", columns: []string{"child_id"}, how: mergeMove},
	{table: "strategy_discussions", columns: []string{"child_id"}, how: mergeMove},
	{table: "s47_enquiries", columns: []string{"child_id"}, how: mergeMove},
	{table: "conferences", columns: []string{"child_id"}, how: mergeMove},
	{table: "core_groups", columns: []string{"child_id"}, how: mergeMove},
	{table: "protection_plans", columns: []string{"child_id"}, how: mergeMove},
	{table: "missing_episodes", columns: []string{"child_id"}, how: mergeMove},
	{table: "return_interviews", columns: []string{"child_id"}, how: mergeMove},
	{table: "meeting_children", columns: []string{"child_id"}, how: mergeMoveUnlessDuplicate, key: "meeting_id", dropUnmoved: true,
		why: "a meeting that was about both records is about the kept one, once"},
	{table: "meeting_decisions", columns: []string{"child_id"}, how: mergeMoveUnlessDuplicate, key: "meeting_id",
		why: "a meeting decides once about each child: where it decided about both records, the kept record's decision stands and the duplicate keeps its own"},
	// What was shared about the child stays part of their history.
	{table: "information_shares", columns: []string{"child_id"}, how: mergeMove},
	{table: "disruption_children", columns: []string{"child_id"}, how: mergeMoveUnlessDuplicate, key: "disruption_id", dropUnmoved: true,
		why: "a disruption that named both records names the kept one, once"},
	{table: "involvements", columns: []string{"child_id"}, how: mergeCopy,
		why: "an agency involved with either record is involved with the child, by the same source, which ends both when it ends; the duplicate's agencies still see it, to follow it to the kept record",
		sql: []mergeStatement{{sql: `INSERT INTO involvements (id, child_id, agency_id, source, source_id, reason, started_at, started_by)
			SELECT d.id || '+' || $1, $1, d.agency_id, d.source, d.source_id, d.reason, d.started_at, d.started_by FROM involvements d
			WHERE d.child_id = $2 AND d.ended_at IS NULL
			ON CONFLICT (child_id, agency_id, source, source_id) WHERE ended_at IS NULL DO NOTHING`}}},
	{table: "child_seals", columns: []string{"child_id"}, how: mergeCopy,
		why: "a seal on either record seals the child: the kept record is sealed too (if it was not), and the duplicate stays sealed",
		sql: []mergeStatement{{sql: `INSERT INTO child_seals (child_id, reason, review_on, sealed_by, sealed_at)
			SELECT $1, d.reason, d.review_on, d.sealed_by, d.sealed_at FROM child_seals d WHERE d.child_id = $2
			ON CONFLICT (child_id) DO NOTHING`}}},
	{table: "seal_access", columns: []string{"child_id"}, how: mergeCopy,
		why: "those on the duplicate's allow-list are on the kept record's; a break-glass access stays with the record it opened, and its review",
		sql: []mergeStatement{{sql: `INSERT INTO seal_access (id, child_id, user_id, kind, reason, granted_by, granted_at)
			SELECT d.id || '+' || $1, $1, d.user_id, d.kind, d.reason, d.granted_by, d.granted_at FROM seal_access d
			WHERE d.child_id = $2 AND d.kind = 'allowed' AND d.ended_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM seal_access k WHERE k.child_id = $1 AND k.user_id = d.user_id AND k.kind = 'allowed' AND k.ended_at IS NULL)
			ON CONFLICT (id) DO NOTHING`}}},
	{table: "child_siblings", columns: []string{"child_id", "sibling_id"}, how: mergeCopySet,
		why: "siblings are sets: the kept record gains what it lacks, and the duplicate leaves them",
		sql: []mergeStatement{
			{sql: `INSERT INTO child_siblings (child_id, sibling_id, created_at) SELECT $1, sibling_id, created_at FROM child_siblings
				WHERE child_id = $2 AND sibling_id <> $1 ON CONFLICT (child_id, sibling_id) DO NOTHING`},
			{sql: `INSERT INTO child_siblings (child_id, sibling_id, created_at) SELECT child_id, $1, created_at FROM child_siblings
				WHERE sibling_id = $2 AND child_id <> $1 ON CONFLICT (child_id, sibling_id) DO NOTHING`},
			{sql: `DELETE FROM child_siblings WHERE child_id = $1 OR sibling_id = $1`, dupOnly: true},
		}},
	{table: "possible_duplicates", columns: []string{"child_a", "child_b"}, how: mergeLeave,
		why: "a pair names the two records as they were found: the pair merged is marked so, and the duplicate's other open pairs are carried to the kept record (mergeDuplicates)"},
	{table: "audit_log", columns: []string{"child_id"}, how: mergeLeave,
		why: "the audit trail is append-only: what was done to the duplicate stays recorded against it"},
	{table: "audit_queue", columns: []string{"child_id"}, how: mergeLeave,
		why: "entries waiting to be chained are the audit trail's too, and go onto it as they were written"},
	{table: "children", columns: []string{"merged_into"}, how: mergeLeave,
		why: "the duplicate itself is kept, read-only, and marked merged into the kept record below; a record merged into the duplicate before still points at it"},
}

// MergeChildren makes dupID part of keepID's record: every concern,
// assessment, task, other name, address, school, professional, family
// member, sibling link and involved agency moves to keepID, the duplicate's
// own name becomes an other name, and the duplicate is kept, read-only,
// pointing at the record it was merged into. Both histories are kept.
// mergeTables says what happens to each table holding a child's id.
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
		for _, m := range mergeTables {
			for _, st := range m.statements() {
				args := []any{keepID, dupID}
				if st.dupOnly {
					args = []any{dupID}
				}
				if _, err := tx.ExecContext(ctx, st.sql, args...); err != nil {
					return internal("merge "+m.table, err)
				}
			}
		}
		// The agencies the duplicate's involvements bring to the kept record,
		// each audited as its involvement starts.
		type copied struct{ id, agency, source, sourceID string }
		cs, err := collect(ctx, tx, "involvements", `SELECT id, agency_id, source, source_id FROM involvements
			WHERE child_id = $1 AND id IN (SELECT d.id || '+' || $1 FROM involvements d WHERE d.child_id = $2 AND d.ended_at IS NULL)`,
			func(r scanner) (copied, error) {
				var c copied
				return c, r.Scan(&c.id, &c.agency, &c.source, &c.sourceID)
			}, keepID, dupID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			tx.audit(auditEntry{Action: "involvement.start", Entity: "involvement", EntityID: c.id, ChildID: keepID,
				Detail: "agency=" + c.agency + " source=" + c.source + " source_id=" + c.sourceID + " merged=" + dupID})
		}
		if dup.GivenName+" "+dup.FamilyName != keep.GivenName+" "+keep.FamilyName {
			if _, err := tx.ExecContext(ctx, `INSERT INTO child_names (id, child_id, name, kind, name_key, name_norm, created_at) VALUES ($1, $2, $3, 'previous-name', $4, $5, $6)`,
				newID(), keepID, dup.GivenName+" "+dup.FamilyName, match.NameKey(dup.GivenName+" "+dup.FamilyName),
				match.Normalise(dup.GivenName+" "+dup.FamilyName), s.d.ts(now)); err != nil {
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
		if err := s.mergeDuplicates(ctx, tx, keepID, dupID, now); err != nil {
			return err
		}
		// The duplicate's assessments are the kept record's now, and so may
		// its latest level be.
		if err := s.setLatestLevel(ctx, tx, keepID); err != nil {
			return err
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
