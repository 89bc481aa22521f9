package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	"lantern"
)

const figureShareCols = `id, period_from, period_to, area, profile, purpose, recipient, sha256, length(output), created_by, created_at`

func scanFigureShare(r scanner, extra ...any) (*lantern.FigureShare, error) {
	var f lantern.FigureShare
	err := r.Scan(append([]any{&f.ID, &f.From, &f.To, &f.Area, &f.Profile, &f.Purpose, &f.Recipient, &f.SHA256, &f.Bytes, &f.CreatedBy,
		timeScan{&f.CreatedAt}}, extra...)...)
	return &f, err
}

// ShareFigures records figures sent outside the area: check (the pure rule,
// figures.CheckShare) is given every share before it, in the transaction
// that records this one, so two shares at once cannot both pass the
// overlap rule. The output's SHA-256 is worked out here from the bytes
// kept. A refusal is audited, with the profile asked for, and changes
// nothing else.
func (s *Store) ShareFigures(ctx context.Context, in *lantern.FigureShare, check func(earlier []*lantern.FigureShare) error) (*lantern.FigureShare, error) {
	if err := may(ctx, lantern.ResFigureShare, lantern.ActCreate); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	sum := sha256.Sum256(in.Output)
	out := *in
	out.ID, out.SHA256, out.Bytes, out.CreatedBy, out.CreatedAt = newID(), hex.EncodeToString(sum[:]), len(in.Output), u.ID, now
	var refused error
	err := s.write(ctx, func(tx *tx) error {
		if err := s.d.lockKeys(ctx, tx, "figure-shares"); err != nil {
			return internal("lock figure shares", err)
		}
		earlier, err := collect(ctx, tx, "figure shares", `SELECT `+figureShareCols+` FROM figure_shares ORDER BY created_at`, func(r scanner) (*lantern.FigureShare, error) {
			return scanFigureShare(r)
		})
		if err != nil {
			return err
		}
		if refused = check(earlier); refused != nil {
			return refused
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO figure_shares (id, period_from, period_to, area, profile, purpose, recipient, sha256, output, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, out.ID, out.From, out.To, out.Area, out.Profile, out.Purpose, out.Recipient, out.SHA256,
			out.Output, out.CreatedBy, s.d.ts(now)); err != nil {
			return internal("insert figure share", err)
		}
		tx.audit(auditEntry{Action: "figures.share", Entity: "figure-share", EntityID: out.ID,
			Detail: "profile=" + out.Profile + " from=" + out.From.String() + " to=" + out.To.String() + " purpose=" + out.Purpose + " sha256=" + out.SHA256})
		return nil
	})
	if refused != nil {
		if aerr := s.record(ctx, auditEntry{Action: "figures.share.refused", Entity: "figure-share",
			Detail: "profile=" + in.Profile + " from=" + in.From.String() + " to=" + in.To.String() + " purpose=" + in.Purpose}); aerr != nil {
			return nil, aerr
		}
		return nil, refused
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// FigureShares lists the figures shared outside the area, the newest
// first, without their outputs.
func (s *Store) FigureShares(ctx context.Context) ([]*lantern.FigureShare, error) {
	if err := may(ctx, lantern.ResFigureShare, lantern.ActRead); err != nil {
		return nil, err
	}
	out, err := collect(ctx, s.db, "figure shares", `SELECT `+figureShareCols+` FROM figure_shares ORDER BY created_at DESC, id DESC LIMIT 1000`,
		func(r scanner) (*lantern.FigureShare, error) { return scanFigureShare(r) })
	if err != nil {
		return nil, err
	}
	return out, s.audited(ctx, auditEntry{Action: "figures.share.list", Entity: "figure-share"})
}

// FigureShare reads one share with its output.
func (s *Store) FigureShare(ctx context.Context, id string) (*lantern.FigureShare, error) {
	if err := may(ctx, lantern.ResFigureShare, lantern.ActRead); err != nil {
		return nil, err
	}
	var output []byte
	f, err := scanFigureShare(s.db.QueryRowContext(ctx, `SELECT `+figureShareCols+`, output FROM figure_shares WHERE id = $1`, id), &output)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.Errorf(lantern.ENOTFOUND, "No such shared figures")
	}
	if err != nil {
		return nil, internal("figure share", err)
	}
	f.Output = output
	return f, s.audited(ctx, auditEntry{Action: "figures.share.read", Entity: "figure-share", EntityID: id})
}
