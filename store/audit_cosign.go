package store

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/transparency-dev/merkle/proof"

	"lantern"
)

// Cosigning of the audit log's checkpoints by witnesses other agencies run
// (audit/witness.go, app/cosign.go). The store says what to send a witness
// and keeps what it cosigned; the HTTP is the app's.

// CosignWork is what to send a witness: the latest signed checkpoint, and
// the consistency proof to it from the size the witness is believed to
// hold. Nothing to send is a zero Size.
type CosignWork struct {
	Checkpoint string
	Size, Old  uint64
	Proof      [][]byte
}

// AuditCosignWork is the work for witness, from the size it holds, or, if
// old is nil, from the latest size it cosigned here (0 before the first).
// The checkpoint already cosigned by it is no work.
func (s *Store) AuditCosignWork(ctx context.Context, witness string, old *uint64) (CosignWork, error) {
	var w CosignWork
	cp, size, err := s.AuditCheckpoint(ctx)
	if err != nil || cp == "" {
		return w, err
	}
	var last int64
	err = s.db.QueryRowContext(ctx, `SELECT COALESCE(max(size), 0) FROM audit_cosignatures WHERE witness = $1`, witness).Scan(&last)
	if err != nil {
		return w, internal("audit cosignatures", err)
	}
	if uint64(last) == size && old == nil {
		return w, nil
	}
	w.Checkpoint, w.Size, w.Old = cp, size, uint64(last)
	if old != nil {
		w.Old = *old
	}
	if w.Old > w.Size {
		return CosignWork{}, lantern.Internal(fmt.Errorf("the witness %s holds a log of %d entries, larger than this one's %d: this log was rewritten, or the witness follows another", witness, w.Old, w.Size))
	}
	if w.Old == 0 || w.Old == w.Size {
		return w, nil
	}
	nodes, err := proof.Consistency(w.Old, w.Size)
	if err != nil {
		return CosignWork{}, lantern.Internal(err)
	}
	path, err := s.proofPath(ctx, nodes)
	if err != nil {
		return CosignWork{}, err
	}
	for _, h := range path {
		b, err := hex.DecodeString(h)
		if err != nil {
			return CosignWork{}, lantern.Internal(err)
		}
		w.Proof = append(w.Proof, b)
	}
	return w, nil
}

// SaveCosigned keeps a checkpoint of size entries as witness cosigned it.
func (s *Store) SaveCosigned(ctx context.Context, witness string, size uint64, cosigned string) error {
	_, err := s.wdb.ExecContext(ctx, `INSERT INTO audit_cosignatures (witness, size, cosigned, at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (witness, size) DO NOTHING`, witness, int64(size), cosigned, s.d.ts(s.now()))
	return internal("audit cosignature", err)
}

// LatestCosigned is the latest checkpoint witness cosigned, or "".
func (s *Store) LatestCosigned(ctx context.Context, witness string) (string, error) {
	var c string
	err := s.db.QueryRowContext(ctx, `SELECT cosigned FROM audit_cosignatures WHERE witness = $1 ORDER BY size DESC LIMIT 1`, witness).Scan(&c)
	if isNoRows(err) {
		return "", nil
	}
	return c, internal("audit cosignature", err)
}
