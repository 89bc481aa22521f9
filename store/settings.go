package store

import (
	"context"
	"database/sql"
	"errors"

	"lantern"
)

// ErrNotEmpty refuses to make a store that holds anything a demonstration's.
var ErrNotEmpty = lantern.Errorf(lantern.ECONFLICT, "This store already holds agencies, users or children that are not a demonstration's")

// IsDemo says whether the store is a demonstration's: marked (MarkDemo)
// when it was empty, so everything in it was made under --demo.
func (s *Store) IsDemo(ctx context.Context) (bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM store_settings WHERE key = 'demo'`).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, internal("store settings", err)
	}
	return v == "true", nil
}

// holdings counts the agencies, users and children held.
func (s *Store) holdings(ctx context.Context, q querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM agencies) + (SELECT count(*) FROM users) + (SELECT count(*) FROM children)`).Scan(&n)
	return n, internal("count holdings", err)
}

// MarkDemo marks an empty store as a demonstration's, before the
// demonstration is loaded into it; only the operator may. A store that holds
// any agency, user or child is refused with ErrNotEmpty.
func (s *Store) MarkDemo(ctx context.Context) error {
	if !lantern.IsSystem(ctx) {
		return lantern.Errorf(lantern.EFORBIDDEN, "Only the operator works on the store as a whole")
	}
	return s.write(ctx, func(tx *tx) error {
		if n, err := s.holdings(ctx, tx); err != nil {
			return err
		} else if n > 0 {
			return ErrNotEmpty
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO store_settings (key, value) VALUES ('demo', 'true')
			ON CONFLICT (key) DO UPDATE SET value = 'true'`); err != nil {
			return internal("mark demo", err)
		}
		tx.audit(auditEntry{Action: "store.demo", Entity: "store"})
		return nil
	})
}
