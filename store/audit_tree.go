package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	flog "github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"

	"lantern"
	"lantern/audit"
)

// The verifiable audit log's tree (audit/tlog.go, migration 00030). One
// sequencer at a time, across replicas, holds a lease in the database and
// integrates the entries appended since the tree's size, in order and in
// batches, into an RFC 6962 tree; each batch stores the tree's new nodes,
// its size and root, and a checkpoint signed with the key from
// --audit-key-file, in one transaction. The integration is not itself
// audited: it would make an entry to integrate at every turn.

// auditLease is how long a sequencer's lease lasts unrenewed: a replica
// that dies hands the sequencing to another within it.
const auditLease = 10 * time.Second

// auditBatch bounds the entries integrated in one transaction.
const auditBatch = 10_000

var treeRanges = &compact.RangeFactory{Hash: audit.Hasher.HashChildren}

// ErrNotSequencer says another replica holds the sequencer's lease.
var ErrNotSequencer = errors.New("another replica is the audit sequencer")

// takeAuditLease takes or renews the sequencer's lease for holder.
func (s *Store) takeAuditLease(ctx context.Context, holder string) (bool, error) {
	now := s.now()
	res, err := s.wdb.ExecContext(ctx, `UPDATE audit_sequencer SET holder = $1, until = $2 WHERE id = 1 AND (holder = $1 OR until < $3)`,
		holder, s.d.ts(now.Add(auditLease)), s.d.ts(now))
	if err != nil {
		return false, internal("audit lease", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil
	}
	res, err = s.wdb.ExecContext(ctx, `INSERT INTO audit_sequencer (id, holder, until) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`,
		holder, s.d.ts(now.Add(auditLease)))
	if err != nil {
		return false, internal("audit lease", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// treeRange is the compact range of the tree's first size leaves, from the
// stored nodes.
func (s *Store) treeRange(ctx context.Context, q querier, size uint64) (*compact.Range, error) {
	hashes, err := s.treeNodes(ctx, q, compact.RangeNodes(0, size, nil))
	if err != nil {
		return nil, err
	}
	return treeRanges.NewRange(0, size, hashes)
}

// treeNodes reads stored nodes of the tree, in one query (a proof needs
// a few dozen at most), in the order asked.
func (s *Store) treeNodes(ctx context.Context, q querier, ids []compact.NodeID) ([][]byte, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var args []any
	conds := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, int64(id.Level), int64(id.Index))
		conds[i] = "(level = $" + itoa(len(args)-1) + " AND idx = $" + itoa(len(args)) + ")"
	}
	got := map[compact.NodeID][]byte{}
	rows, err := q.QueryContext(ctx, `SELECT level, idx, hash FROM audit_tree_nodes WHERE `+strings.Join(conds, " OR "), args...)
	if err != nil {
		return nil, internal("audit tree nodes", err)
	}
	defer rows.Close()
	for rows.Next() {
		var level, idx int64
		var h string
		if err := rows.Scan(&level, &idx, &h); err != nil {
			return nil, internal("audit tree nodes", err)
		}
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, lantern.Internal(fmt.Errorf("audit tree node %d/%d: %w", level, idx, err))
		}
		got[compact.NewNodeID(uint(level), uint64(idx))] = b
	}
	if err := rows.Err(); err != nil {
		return nil, internal("audit tree nodes", err)
	}
	out := make([][]byte, len(ids))
	for i, id := range ids {
		if out[i] = got[id]; out[i] == nil {
			return nil, lantern.Internal(fmt.Errorf("audit tree node %d/%d is missing", id.Level, id.Index))
		}
	}
	return out, nil
}

// IntegrateAudit is one turn of the sequencer as holder: with the lease, it
// integrates up to auditBatch entries appended after the tree's size and
// signs a checkpoint of the new tree. It returns the tree's size, and
// ErrNotSequencer when another replica holds the lease.
func (s *Store) IntegrateAudit(ctx context.Context, signer note.Signer, holder string) (uint64, error) {
	ok, err := s.takeAuditLease(ctx, holder)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, ErrNotSequencer
	}
	if err := s.sequenceAll(ctx, holder); err != nil {
		return 0, err
	}
	var size int64
	if err := s.db.QueryRowContext(ctx, `SELECT size FROM audit_tree WHERE id = 1`).Scan(&size); err != nil {
		return 0, internal("audit tree", err)
	}
	type leaf struct {
		seq  int64
		hash string
	}
	leaves, err := collect(ctx, s.db, "audit leaves", `SELECT seq, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, func(r scanner) (leaf, error) {
		var l leaf
		return l, r.Scan(&l.seq, &l.hash)
	}, size, auditBatch)
	if err != nil {
		return 0, err
	}
	// Only entries without a gap before them: one missing is not yet
	// committed, and the tree takes entries in order.
	for i, l := range leaves {
		if l.seq != size+int64(i)+1 {
			leaves = leaves[:i]
			break
		}
	}
	if len(leaves) == 0 {
		return uint64(size), nil
	}
	r, err := s.treeRange(ctx, s.db, uint64(size))
	if err != nil {
		return 0, err
	}
	type node struct {
		level, idx int64
		hash       string
	}
	var nodes []node
	visit := func(id compact.NodeID, h []byte) {
		nodes = append(nodes, node{int64(id.Level), int64(id.Index), hex.EncodeToString(h)})
	}
	for _, l := range leaves {
		lh, err := audit.LeafHash(l.hash)
		if err != nil {
			return 0, lantern.Internal(fmt.Errorf("audit entry %d: %w", l.seq, err))
		}
		if err := r.Append(lh, visit); err != nil {
			return 0, lantern.Internal(err)
		}
	}
	root, err := r.GetRootHash(nil)
	if err != nil {
		return 0, lantern.Internal(err)
	}
	newSize := uint64(size) + uint64(len(leaves))
	signed, err := audit.SignCheckpoint(signer, newSize, root)
	if err != nil {
		return 0, lantern.Internal(err)
	}
	err = s.write(ctx, func(tx *tx) error {
		var h string
		var until time.Time
		if err := tx.QueryRowContext(ctx, `SELECT holder, until FROM audit_sequencer WHERE id = 1`).Scan(&h, timeScan{&until}); err != nil {
			return internal("audit lease", err)
		}
		if h != holder || !until.After(s.now()) {
			return ErrNotSequencer
		}
		res, err := tx.ExecContext(ctx, `UPDATE audit_tree SET size = $1, root = $2 WHERE id = 1 AND size = $3`, int64(newSize), hex.EncodeToString(root), size)
		if err != nil {
			return internal("audit tree", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotSequencer // another integrated this batch first
		}
		rows := make([][]any, len(nodes))
		for i, n := range nodes {
			rows[i] = []any{n.level, n.idx, n.hash}
		}
		if err := s.insertRows(ctx, tx, "audit_tree_nodes", []string{"level", "idx", "hash"}, rows, "ON CONFLICT DO NOTHING"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_checkpoints (size, root, note, signed_at) VALUES ($1, $2, $3, $4)`,
			int64(newSize), hex.EncodeToString(root), signed, s.d.ts(s.now()))
		return internal("audit checkpoint", err)
	})
	if err != nil {
		return 0, err
	}
	return newSize, nil
}

// AuditCheckpoint is the latest signed checkpoint, or "" before the first.
func (s *Store) AuditCheckpoint(ctx context.Context) (string, uint64, error) {
	var note string
	var size int64
	err := s.db.QueryRowContext(ctx, `SELECT note, size FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&note, &size)
	if isNoRows(err) {
		return "", 0, nil
	}
	return note, uint64(size), internal("audit checkpoint", err)
}

// AuditProof is entry seq's inclusion proof in the latest signed
// checkpoint, for the operator (lantern audit prove).
func (s *Store) AuditProof(ctx context.Context, seq int64) (*audit.Proof, error) {
	if !lantern.IsSystem(ctx) {
		return nil, lantern.Errorf(lantern.EFORBIDDEN, "Only the operator proves audit entries")
	}
	var p audit.Proof
	var size int64
	err := s.db.QueryRowContext(ctx, `SELECT note, size, root FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&p.Checkpoint, &size, &p.Root)
	if isNoRows(err) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "seq", Message: "No checkpoint is signed yet: serve with --audit-key-file"})
	} else if err != nil {
		return nil, internal("audit checkpoint", err)
	}
	if seq < 1 || seq > size {
		return nil, lantern.Invalid(lantern.FieldError{Field: "seq", Message: fmt.Sprintf("The latest checkpoint covers entries 1 to %d", size)})
	}
	if err := s.db.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, seq).Scan(&p.EntryHash); err != nil {
		return nil, internal("audit entry", err)
	}
	p.Seq, p.LeafIndex, p.TreeSize = seq, uint64(seq-1), uint64(size)
	nodes, err := proof.Inclusion(p.LeafIndex, p.TreeSize)
	if err != nil {
		return nil, lantern.Internal(err)
	}
	p.Hashes, err = s.proofPath(ctx, nodes)
	return &p, err
}

// KeepAuditTree runs the sequencer until ctx ends: if this replica holds
// (or can take) the lease, it chains what was queued every sequenceEvery
// and, with a signer, integrates the chain into the tree every second,
// appending each checkpoint it signs to the witness file when one is named
// (a line of JSON each, synced). Without a signer it only chains.
func (s *Store) KeepAuditTree(ctx context.Context, signer note.Signer, witness string) {
	t := time.NewTicker(sequenceEvery)
	defer t.Stop()
	var lease, tree time.Time
	for {
		now := time.Now()
		if now.Sub(lease) >= time.Second {
			lease = now
			if ok, err := s.takeAuditLease(ctx, s.holder); err != nil || !ok {
				lease = time.Time{} // ask again next turn
				if err != nil && ctx.Err() == nil {
					s.log.Error("audit sequencer", "err", err)
				}
				if !sleepCtx(ctx, time.Second) {
					return
				}
				continue
			}
		}
		if left, err := s.queued(ctx, 1<<62); err == nil && left {
			if err := s.sequenceAll(ctx, s.holder); err != nil && !errors.Is(err, ErrNotSequencer) && ctx.Err() == nil {
				s.log.Error("audit sequencer", "err", err)
			}
		}
		if signer != nil && now.Sub(tree) >= time.Second {
			tree = now
			s.integrateAll(ctx, signer, witness)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// integrateAll integrates the chain into the tree, batch by batch, logging
// and witnessing each checkpoint signed.
func (s *Store) integrateAll(ctx context.Context, signer note.Signer, witness string) {
	for {
		before, err := s.auditTreeSize(ctx)
		if err != nil {
			return
		}
		after, err := s.IntegrateAudit(ctx, signer, s.holder)
		if err != nil {
			if !errors.Is(err, ErrNotSequencer) && ctx.Err() == nil {
				s.log.Error("audit sequencer", "err", err)
			}
			return
		}
		if after > before {
			cp, _, err := s.AuditCheckpoint(ctx)
			if err == nil {
				s.log.Info("audit checkpoint", "size", after, "checkpoint", cp)
				if witness != "" {
					if err := appendWitness(witness, cp, s.now()); err != nil {
						s.log.Error("audit witness file", "err", err)
					}
				}
			}
		}
		if after-before < auditBatch {
			return
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

func (s *Store) auditTreeSize(ctx context.Context) (uint64, error) {
	var size int64
	err := s.db.QueryRowContext(ctx, `SELECT size FROM audit_tree WHERE id = 1`).Scan(&size)
	return uint64(size), internal("audit tree", err)
}

// VerifyAuditTree checks the tree against the entries: each entry's leaf
// as the tree stored it, and the root at the size of every checkpoint
// signed (and of every one in witnessed, from a witness file), recomputed
// from the entries themselves. It returns the size checked, or the first
// fault as an *audit.Problem: the entry whose leaf differs, else the
// first checkpoint whose root the entries no longer give.
func (s *Store) VerifyAuditTree(ctx context.Context, witnessed []flog.Checkpoint) (uint64, error) {
	type head struct {
		size uint64
		root []byte
		from string
	}
	var heads []head
	cps, err := collect(ctx, s.db, "audit checkpoints", `SELECT size, root FROM audit_checkpoints ORDER BY size`, func(r scanner) (head, error) {
		var h head
		var size int64
		var root string
		err := r.Scan(&size, &root)
		h.size, h.from = uint64(size), "the database's checkpoint"
		h.root, _ = hex.DecodeString(root)
		return h, err
	})
	if err != nil {
		return 0, err
	}
	heads = append(heads, cps...)
	for _, w := range witnessed {
		heads = append(heads, head{w.Size, w.Hash, "the witness's checkpoint"})
	}
	slices.SortStableFunc(heads, func(a, b head) int { return cmp.Compare(a.size, b.size) })
	if len(heads) == 0 {
		return 0, nil
	}
	last := heads[len(heads)-1].size
	r := treeRanges.NewEmptyRange(0)
	next := 0
	check := func() error {
		for next < len(heads) && heads[next].size == r.End() {
			root, err := r.GetRootHash(nil)
			if err != nil {
				return lantern.Internal(err)
			}
			if r.End() == 0 {
				root = audit.Hasher.EmptyRoot()
			}
			if !bytes.Equal(root, heads[next].root) {
				return &audit.Problem{Seq: int64(r.End()), Reason: fmt.Sprintf("the entries up to it do not give the root of %s of %d entries: the log was rewritten at or before it", heads[next].from, heads[next].size)}
			}
			next++
		}
		return nil
	}
	if err := check(); err != nil {
		return 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT l.seq, l.hash, COALESCE(n.hash, '') FROM audit_log l
		LEFT JOIN audit_tree_nodes n ON n.level = 0 AND n.idx = l.seq - 1 WHERE l.seq <= $1 ORDER BY l.seq`, int64(last))
	if err != nil {
		return 0, internal("audit tree", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var hash, stored string
		if err := rows.Scan(&seq, &hash, &stored); err != nil {
			return 0, internal("audit tree", err)
		}
		if uint64(seq) != r.End()+1 {
			return 0, &audit.Problem{Seq: int64(r.End()) + 1, Reason: "it is missing from the log the tree holds: entries were removed"}
		}
		leaf, err := audit.LeafHash(hash)
		if err != nil {
			return 0, &audit.Problem{Seq: seq, Reason: err.Error()}
		}
		if stored != "" && stored != hex.EncodeToString(leaf) {
			return 0, &audit.Problem{Seq: seq, Reason: "it is not the entry the tree took in: it was altered after it was signed"}
		}
		if err := r.Append(leaf, nil); err != nil {
			return 0, lantern.Internal(err)
		}
		if err := check(); err != nil {
			return 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, internal("audit tree", err)
	}
	if next < len(heads) {
		return 0, &audit.Problem{Seq: int64(r.End()) + 1, Reason: fmt.Sprintf("it is missing, but %s counts %d entries: entries were removed", heads[next].from, heads[next].size)}
	}
	return last, nil
}

// appendWitness appends a checkpoint to the witness file, synced.
func appendWitness(path, checkpoint string, at time.Time) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	b, err := json.Marshal(audit.Witnessed{At: at.UTC(), Checkpoint: checkpoint})
	if err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// AuditConsistency is the proof that the log of the checkpoint of size
// from is a prefix of that of size to: both checkpoints as signed, and the
// RFC 6962 consistency path between their roots.
func (s *Store) AuditConsistency(ctx context.Context, from, to uint64) (*audit.Consistency, error) {
	if !lantern.IsSystem(ctx) {
		return nil, lantern.Errorf(lantern.EFORBIDDEN, "Only the operator proves the audit log")
	}
	var c audit.Consistency
	for _, x := range []struct {
		size  uint64
		field string
		note  *string
	}{{from, "from", &c.From}, {to, "to", &c.To}} {
		err := s.db.QueryRowContext(ctx, `SELECT note FROM audit_checkpoints WHERE size = $1`, int64(x.size)).Scan(x.note)
		if isNoRows(err) {
			return nil, lantern.Invalid(lantern.FieldError{Field: x.field, Message: fmt.Sprintf("No checkpoint of %d entries was signed", x.size)})
		} else if err != nil {
			return nil, internal("audit checkpoint", err)
		}
	}
	if from > to {
		return nil, lantern.Invalid(lantern.FieldError{Field: "from", Message: "The first checkpoint must be the smaller"})
	}
	nodes, err := proof.Consistency(from, to)
	if err != nil {
		return nil, lantern.Internal(err)
	}
	c.Hashes, err = s.proofPath(ctx, nodes)
	return &c, err
}

// proofPath reads a proof's nodes from the stored tree and makes its path
// (the one node a proof may need that no tree stores is worked out from
// others), as hex.
func (s *Store) proofPath(ctx context.Context, nodes proof.Nodes) ([]string, error) {
	hashes, err := s.treeNodes(ctx, s.db, nodes.IDs)
	if err != nil {
		return nil, err
	}
	path, err := nodes.Rehash(hashes, audit.Hasher.HashChildren)
	if err != nil {
		return nil, lantern.Internal(err)
	}
	out := make([]string, len(path))
	for i, h := range path {
		out[i] = hex.EncodeToString(h)
	}
	return out, nil
}
