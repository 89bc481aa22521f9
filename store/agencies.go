package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"lantern"
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// CreateAgency adds an agency; only administrators may.
func (s *Store) CreateAgency(ctx context.Context, in lantern.AgencyInput) (*lantern.Agency, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	var p lantern.Problems
	if in.Name == "" {
		p.Add("name", "Enter the agency's name")
	} else if utf8.RuneCountInString(in.Name) > 200 {
		p.Add("name", "The agency's name must be 200 characters or fewer")
	}
	if !in.Kind.Valid() {
		p.Add("kind", "Select the kind of agency")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	a := &lantern.Agency{ID: newID(), Name: in.Name, Kind: in.Kind, CreatedAt: s.now().UTC()}
	err := s.write(ctx, func(tx *tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE lower(name) = lower($1)`, a.Name).Scan(&n); err != nil {
			return internal("agency name", err)
		}
		if n > 0 {
			return lantern.Invalid(lantern.FieldError{Field: "name", Message: "An agency with that name already exists"})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO agencies (id, name, kind, created_at) VALUES ($1, $2, $3, $4)`,
			a.ID, a.Name, string(a.Kind), s.d.ts(a.CreatedAt)); err != nil {
			return internal("insert agency", err)
		}
		tx.audit(auditEntry{Action: "agency.create", Entity: "agency", EntityID: a.ID})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// FindAgency finds an agency by id or by name (any case).
func (s *Store) FindAgency(ctx context.Context, idOrName string) (*lantern.Agency, error) {
	var a lantern.Agency
	var kind string
	err := s.db.QueryRowContext(ctx, `SELECT id, name, kind, created_at FROM agencies WHERE id = $1 OR lower(name) = lower($1)`,
		strings.TrimSpace(idOrName)).Scan(&a.ID, &a.Name, &kind, timeScan{&a.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.NotFound("Agency")
	} else if err != nil {
		return nil, internal("find agency", err)
	}
	a.Kind = lantern.AgencyKind(kind)
	return &a, nil
}

// Agencies lists every agency by name. Anyone signed in may: they are the
// area's organisations, not case records.
func (s *Store) Agencies(ctx context.Context) ([]*lantern.Agency, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, kind, created_at FROM agencies ORDER BY lower(name)`)
	if err != nil {
		return nil, internal("list agencies", err)
	}
	defer rows.Close()
	var as []*lantern.Agency
	for rows.Next() {
		var a lantern.Agency
		var kind string
		if err := rows.Scan(&a.ID, &a.Name, &kind, timeScan{&a.CreatedAt}); err != nil {
			return nil, internal("scan agency", err)
		}
		a.Kind = lantern.AgencyKind(kind)
		as = append(as, &a)
	}
	return as, internal("list agencies", rows.Err())
}
