package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"time"

	"lantern/audit"
)

// The audit trail's sequencing (issue 15). Every replica appends entries to
// audit_queue in its own transactions, taking no lock that other replicas
// wait on; the sequencer, the one replica holding the lease in
// audit_sequencer, moves them in batches onto the hash chain in audit_log,
// in the order it finds them, and the tree integrates the chain
// (audit_tree.go). This is the split Trillian and Tessera make between
// appending (any writer, durable at once) and sequencing (one writer,
// batched).

// sequenceBatch bounds the entries chained in one transaction.
const sequenceBatch = 10_000

// sequenceEvery is how often the sequencer looks for queued entries: the
// most a search of the trail waits for the entries just written.
const sequenceEvery = 100 * time.Millisecond

// newHolder names this store as a sequencer, unique across replicas and
// processes.
func newHolder() string {
	h, err := os.Hostname()
	if err != nil {
		h = "lantern"
	}
	return fmt.Sprintf("%s/%d/%d", h, os.Getpid(), time.Now().UnixNano())
}

// sequenceAudit is one batch of sequencing: it moves up to sequenceBatch
// queued entries, oldest first, onto the chain and returns how many. The
// background sequencer passes its holder name, and the lease is checked in
// the transaction; a reader that must see every entry (SyncAudit) passes
// "" and chains what it waits for itself. Either way the chain grows
// only under the head row's lock, which nothing but sequencing takes (an
// append never does), and DELETE … RETURNING hands each queued entry to
// exactly one transaction: two sequencing at once take turns, and neither
// can fork the chain or chain an entry twice.
func (s *Store) sequenceAudit(ctx context.Context, holder string) (int, error) {
	// Prepared on the write pool before the transaction holds its one
	// connection (SQLite): the batch's statements are parsed once a store.
	full := s.auditLogIns[auditInsertRows]
	for _, q := range []string{auditLease1, auditHeadQuery + s.d.forUpdate(), auditTake, full, auditHeadUpdate} {
		s.wstmts.stmt(q)
	}
	var n int
	err := s.write(ctx, func(tx *tx) error {
		if holder != "" {
			var h string
			var until time.Time
			err := s.inTx(ctx, tx.Tx, auditLease1).QueryRowContext(ctx).Scan(&h, timeScan{&until})
			if isNoRows(err) || err == nil && (h != holder || !until.After(s.now())) {
				return ErrNotSequencer
			} else if err != nil {
				return internal("audit lease", err)
			}
		}
		var seq int64
		var hash string
		if err := s.inTx(ctx, tx.Tx, auditHeadQuery+s.d.forUpdate()).QueryRowContext(ctx).Scan(&seq, &hash); err != nil {
			return internal("audit head", err)
		}
		type queued struct {
			id int64
			e  *audit.Entry
		}
		rows, err := s.inTx(ctx, tx.Tx, auditTake).QueryContext(ctx, sequenceBatch)
		if err != nil {
			return internal("audit queue", err)
		}
		var qs []queued
		for rows.Next() {
			q := queued{e: &audit.Entry{}}
			e := q.e
			if err := rows.Scan(&q.id, timeScan{&e.At}, &e.UserID, &e.AgencyID, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.ChildID, &e.Why, &e.Detail); err != nil {
				rows.Close()
				return internal("audit queue", err)
			}
			qs = append(qs, q)
		}
		if err := rows.Close(); err != nil {
			return internal("audit queue", err)
		}
		if err := rows.Err(); err != nil || len(qs) == 0 {
			return internal("audit queue", err)
		}
		// RETURNING promises no order.
		slices.SortFunc(qs, func(a, b queued) int { return cmp.Compare(a.id, b.id) })
		es := make([]*audit.Entry, len(qs))
		for i, q := range qs {
			es[i] = q.e
		}
		seq, hash = audit.Chain(seq, hash, es)
		args := make([]any, 0, auditInsertRows*auditCols13)
		for start := 0; start < len(es); start += auditInsertRows {
			batch := es[start:min(start+auditInsertRows, len(es))]
			args = args[:0]
			for _, e := range batch {
				args = append(args, e.Seq, s.d.ts(e.At), e.UserID, e.AgencyID, e.IP, e.Action, e.Entity, e.EntityID, e.ChildID,
					e.Why, e.Detail, e.PrevHash, e.Hash)
			}
			if _, err := s.inTx(ctx, tx.Tx, s.auditLogIns[len(batch)]).ExecContext(ctx, args...); err != nil {
				return internal("audit insert", err)
			}
		}
		if _, err := s.inTx(ctx, tx.Tx, auditHeadUpdate).ExecContext(ctx, seq, hash); err != nil {
			return internal("audit head", err)
		}
		n = len(es)
		return nil
	})
	return n, err
}

const (
	auditLease1 = `SELECT holder, until FROM audit_sequencer WHERE id = 1`
	// auditTake hands the oldest queued entries to one transaction.
	auditTake = `DELETE FROM audit_queue WHERE id IN (SELECT id FROM audit_queue ORDER BY id LIMIT $1)
		RETURNING id, at, user_id, agency_id, ip, action, entity, entity_id, child_id, why, detail`
)

// sequenceAll chains every queued entry, batch by batch, as holder.
func (s *Store) sequenceAll(ctx context.Context, holder string) error {
	for {
		n, err := s.sequenceAudit(ctx, holder)
		if err != nil || n < sequenceBatch {
			return err
		}
	}
}

// queued says whether any entry waits in the queue, from the read pool.
func (s *Store) queued(ctx context.Context, upto int64) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM audit_queue WHERE id <= $1 LIMIT 1`, upto).Scan(&one)
	if isNoRows(err) {
		return false, nil
	}
	return err == nil, internal("audit queue", err)
}

// SyncAudit returns once every entry queued before it was called is on the
// chain, so that a search or a check of the trail sees everything written
// before it: it chains them itself rather than wait for the sequencer
// (which may have died holding its lease).
func (s *Store) SyncAudit(ctx context.Context) error {
	var upto sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(id) FROM audit_queue`).Scan(&upto); err != nil {
		return internal("audit queue", err)
	}
	if !upto.Valid {
		return nil
	}
	for {
		if err := s.sequenceAll(ctx, ""); err != nil {
			return err
		}
		// On PostgreSQL an entry numbered before upto may commit after the
		// batch was taken: chain until none is left.
		left, err := s.queued(ctx, upto.Int64)
		if err != nil || !left {
			return err
		}
		if !sleepCtx(ctx, 5*time.Millisecond) {
			return ctx.Err()
		}
	}
}

// releaseAudit, as the store closes, chains what is queued, so a command
// leaves a complete log, and gives up the lease if this store holds it,
// so the next sequencer need not wait it out.
func (s *Store) releaseAudit() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.sequenceAll(ctx, ""); err != nil {
		// A store opened on a database not yet migrated has no queue.
		s.log.Debug("audit sequencer at close", "err", err)
		return
	}
	if _, err := s.wdb.ExecContext(ctx, `UPDATE audit_sequencer SET until = $1 WHERE id = 1 AND holder = $2`, s.d.ts(s.now().Add(-time.Second)), s.holder); err != nil {
		s.log.Warn("audit lease at close", "err", err)
	}
}
