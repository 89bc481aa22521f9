package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"lantern"
	"lantern/match"
)

// Possible duplicates (docs/duplicates.md): when a child's record is made,
// or its names or date of birth change, every record is searched, whatever
// the maker may see, and the pairs match.Matcher accepts (match.Threshold,
// the score at which a record is shown as a possible match to someone who
// may see it) are recorded for children's social care's managers and the
// CSE coordinator to review. The maker is told nothing more than they were:
// their answer is the same whatever was found.

// maxDuplicatesRecorded bounds the pairs one record makes: a common name
// born on a busy day is not a flood of pairs.
const maxDuplicatesRecorded = MaxMatchLimit

// recordDuplicates searches every record for the child id described by q,
// in the transaction that made or changed it, and records the pairs found.
// It is the system's search, not the caller's: its entries are the
// system's, and nothing of it is returned.
func (s *Store) recordDuplicates(ctx context.Context, tx *tx, id string, q match.Query, now time.Time) error {
	if q.DateOfBirth.IsZero() {
		return nil
	}
	found, err := s.scoreCandidates(ctx, tx, q, nil, "1 = 1")
	if err != nil {
		return err
	}
	type pair struct {
		ids     [2]string
		other   string
		score   float64
		reasons []string
	}
	var pairs []pair
	for _, f := range found {
		if f.c.ID == id {
			continue
		}
		if len(pairs) == maxDuplicatesRecorded {
			break
		}
		pairs = append(pairs, pair{lantern.DuplicatePair(id, f.c.ID), f.c.ID, math.Round(f.score*1000) / 1000, f.reasons})
	}
	// In one order for every transaction: two writes that find each other
	// wait on a pair the other inserted, never on each other in a circle
	// (PostgreSQL found deadlocks when each inserted in its own order).
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(strings.Compare(a.ids[0], b.ids[0]), strings.Compare(a.ids[1], b.ids[1]))
	})
	for _, p := range pairs {
		pid, err := s.insertPair(ctx, tx, p.ids, p.score, p.reasons, now)
		if err != nil {
			return err
		}
		if pid != "" {
			tx.audit(auditEntry{Action: "duplicate.found", Entity: "possible-duplicate", EntityID: pid, ChildID: id,
				Detail: fmt.Sprintf("other=%s score=%.3f", p.other, p.score), UserID: "system"})
		}
	}
	return nil
}

// insertPair records an open pair unless it is held already (in any
// status), and returns its new id, or "" when it was held.
func (s *Store) insertPair(ctx context.Context, tx *tx, pair [2]string, score float64, reasons []string, found time.Time) (string, error) {
	id := newID()
	res, err := tx.ExecContext(ctx, `INSERT INTO possible_duplicates (id, child_a, child_b, score, reasons, found_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (child_a, child_b) DO NOTHING`,
		id, pair[0], pair[1], score, strings.Join(reasons, "\n"), s.d.ts(found))
	if err != nil {
		return "", internal("record possible duplicate", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return "", nil
	}
	return id, nil
}

// DuplicateItem is a possible duplicate with its two records, as the
// review list shows them (the API answers the pair alone).
type DuplicateItem struct {
	*lantern.PossibleDuplicate
	Children [2]*lantern.Child `json:"-"`
}

// MaxDuplicatesListed is the most pairs one list shows.
const MaxDuplicatesListed = 200

// PossibleDuplicates lists the pairs of a status (open when none is
// given), highest score first, with their records, for children's social
// care's managers and the CSE coordinator. An open pair is listed while
// both its records stand: once either is merged into another, the pairs it
// had are carried to the record kept (MergeChildren). The records named
// are audited as read.
func (s *Store) PossibleDuplicates(ctx context.Context, status lantern.DuplicateStatus) ([]*DuplicateItem, error) {
	if err := may(ctx, lantern.ResDuplicate, lantern.ActList); err != nil {
		return nil, err
	}
	if status == "" {
		status = lantern.DuplicateOpen
	}
	if !status.Valid() {
		return nil, lantern.Invalid(lantern.FieldError{Field: "status", Message: "status must be open, dismissed or merged"})
	}
	var args []any
	visA, ok := s.childIDVisible(ctx, &args, "p.child_a")
	if !ok {
		return nil, nil
	}
	visB, _ := s.childIDVisible(ctx, &args, "p.child_b")
	args = append(args, string(status), MaxDuplicatesListed)
	cond := fmt.Sprintf("p.status = $%d AND %s AND %s", len(args)-1, visA, visB)
	if status == lantern.DuplicateOpen {
		cond += ` AND EXISTS (SELECT 1 FROM children ca WHERE ca.id = p.child_a AND ca.merged_into IS NULL)
			AND EXISTS (SELECT 1 FROM children cb WHERE cb.id = p.child_b AND cb.merged_into IS NULL)`
	}
	items, err := collect(ctx, s.db, "possible duplicates", `SELECT p.id, p.child_a, p.child_b, p.score, p.reasons, p.found_at, p.status,
		p.decided_by, p.decided_at, p.reason FROM possible_duplicates p WHERE `+cond+
		fmt.Sprintf(` ORDER BY p.score DESC, p.found_at DESC, p.id LIMIT $%d`, len(args)), scanDuplicate, args...)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return items, s.audited(ctx, auditEntry{Action: "duplicate.list", Entity: "possible-duplicate", Detail: "status=" + string(status) + " count=0"})
	}
	// The records, read through the access rule, with their agencies.
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ChildIDs[0], it.ChildIDs[1])
	}
	args = args[:0]
	visible, _ := s.childVisible(ctx, &args)
	cs, err := collect(ctx, s.db, "possible duplicates' records", `SELECT `+childCols+` FROM children c WHERE c.id IN (`+inList(&args, ids)+
		`) AND `+visible, func(r scanner) (*lantern.Child, error) { return s.scanChild(ctx, r) }, args...)
	if err != nil {
		return nil, err
	}
	if err := s.loadAgencies(ctx, cs); err != nil {
		return nil, err
	}
	byID := map[string]*lantern.Child{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	out := items[:0]
	for _, it := range items {
		it.Children = [2]*lantern.Child{byID[it.ChildIDs[0]], byID[it.ChildIDs[1]]}
		if it.Children[0] != nil && it.Children[1] != nil {
			out = append(out, it)
		}
	}
	return out, s.auditedChildren(ctx, auditEntry{Action: "duplicate.list", Entity: "possible-duplicate",
		Detail: fmt.Sprintf("status=%s count=%d", status, len(out))}, ids)
}

func scanDuplicate(r scanner) (*DuplicateItem, error) {
	p := &lantern.PossibleDuplicate{}
	var reasons, status string
	err := r.Scan(&p.ID, &p.ChildIDs[0], &p.ChildIDs[1], &p.Score, &reasons, timeScan{&p.FoundAt}, &status,
		&p.DecidedBy, ntimeScan{&p.DecidedAt}, &p.Reason)
	p.Status = lantern.DuplicateStatus(status)
	p.Reasons = []string{}
	if reasons != "" {
		p.Reasons = strings.Split(reasons, "\n")
	}
	return &DuplicateItem{PossibleDuplicate: p}, err
}

// DismissDuplicate records that the two records of an open pair are not
// one child, and why. The reason stays out of the audit trail (it may name
// the child); the decision is in it.
func (s *Store) DismissDuplicate(ctx context.Context, childIDs [2]string, reason string) (*lantern.PossibleDuplicate, error) {
	u := lantern.UserFromContext(ctx)
	if err := may(ctx, lantern.ResDuplicate, lantern.ActChange); err != nil {
		return nil, err
	}
	if err := lantern.CheckDismissal(childIDs, reason); err != nil {
		return nil, err
	}
	pair := lantern.DuplicatePair(childIDs[0], childIDs[1])
	now := s.now()
	var out *lantern.PossibleDuplicate
	err := s.write(ctx, func(tx *tx) error {
		it, err := scanDuplicate(tx.QueryRowContext(ctx, `SELECT id, child_a, child_b, score, reasons, found_at, status, decided_by, decided_at, reason
			FROM possible_duplicates WHERE child_a = $1 AND child_b = $2`+s.d.forUpdate(), pair[0], pair[1]))
		if errors.Is(err, sql.ErrNoRows) {
			return lantern.NotFound("Possible duplicate")
		} else if err != nil {
			return internal("possible duplicate", err)
		}
		if it.Status != lantern.DuplicateOpen {
			return lantern.Errorf(lantern.ECONFLICT, "This pair has already been decided: %s", strings.ToLower(it.Status.Label()))
		}
		at := now.UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `UPDATE possible_duplicates SET status = $1, decided_by = $2, decided_at = $3, reason = $4 WHERE id = $5`,
			string(lantern.DuplicateDismissed), u.ID, s.d.ts(now), strings.TrimSpace(reason), it.ID); err != nil {
			return internal("dismiss possible duplicate", err)
		}
		tx.audit(auditEntry{Action: "duplicate.dismiss", Entity: "possible-duplicate", EntityID: it.ID, ChildID: pair[0], Detail: "other=" + pair[1]})
		out = it.PossibleDuplicate
		out.Status, out.DecidedBy, out.DecidedAt, out.Reason = lantern.DuplicateDismissed, u.ID, &at, strings.TrimSpace(reason)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// mergeDuplicates is what a merge does to the pairs: the pair of the two
// records merged is decided, and the duplicate's other open pairs are
// carried to the record kept (the duplicate's are no longer listed).
func (s *Store) mergeDuplicates(ctx context.Context, tx *tx, keepID, dupID string, now time.Time) error {
	u := lantern.UserFromContext(ctx)
	pair := lantern.DuplicatePair(keepID, dupID)
	var pid string
	err := tx.QueryRowContext(ctx, `UPDATE possible_duplicates SET status = $1, decided_by = $2, decided_at = $3
		WHERE child_a = $4 AND child_b = $5 AND status = $6 RETURNING id`,
		string(lantern.DuplicateMerged), u.ID, s.d.ts(now), pair[0], pair[1], string(lantern.DuplicateOpen)).Scan(&pid)
	switch {
	case err == nil:
		tx.audit(auditEntry{Action: "duplicate.merged", Entity: "possible-duplicate", EntityID: pid, ChildID: keepID, Detail: "merged=" + dupID})
	case !errors.Is(err, sql.ErrNoRows):
		return internal("merge possible duplicate", err)
	}
	others, err := collect(ctx, tx, "possible duplicates to carry", `SELECT id, child_a, child_b, score, reasons, found_at, status, decided_by, decided_at, reason
		FROM possible_duplicates WHERE (child_a = $1 OR child_b = $1) AND status = $2`, scanDuplicate, dupID, string(lantern.DuplicateOpen))
	if err != nil {
		return err
	}
	for _, o := range others {
		other := o.ChildIDs[0]
		if other == dupID {
			other = o.ChildIDs[1]
		}
		if other == keepID {
			continue
		}
		id, err := s.insertPair(ctx, tx, lantern.DuplicatePair(keepID, other), o.Score, o.Reasons, o.FoundAt)
		if err != nil {
			return err
		}
		if id != "" {
			tx.audit(auditEntry{Action: "duplicate.found", Entity: "possible-duplicate", EntityID: id, ChildID: keepID,
				Detail: "other=" + other + " from=" + o.ID})
		}
	}
	return nil
}

// leadsTo follows a merged record to the record it leads to now (a record
// merged into one later merged again leads to the last), for a caller who
// may see that one; else not found.
func (s *Store) leadsTo(ctx context.Context, id string) (string, error) {
	for range 20 { // a chain is short; a loop cannot be made, but is not followed for ever
		var next sql.NullString
		args := []any{id}
		cond, ok := s.childVisible(ctx, &args)
		if !ok {
			return "", lantern.NotFound("Child")
		}
		err := s.db.QueryRowContext(ctx, `SELECT c.merged_into FROM children c WHERE c.id = $1 AND `+cond, args...).Scan(&next)
		if errors.Is(err, sql.ErrNoRows) {
			return "", lantern.NotFound("Child")
		} else if err != nil {
			return "", internal("follow merged record", err)
		}
		if !next.Valid || next.String == "" {
			return id, nil
		}
		id = next.String
	}
	return "", lantern.NotFound("Child")
}
