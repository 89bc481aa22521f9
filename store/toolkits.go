package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"lantern"
	"lantern/toolkit"
)

// Loaded definitions never change (a new version is a new id), so a parsed
// copy may be kept in memory by any replica.
var builtin = toolkit.Builtin()

type toolkitCache struct {
	mu   sync.Mutex
	defs map[string]*toolkit.Definition
}

// LoadToolkit stores another area's toolkit definition after validating it.
// Only administrators may. An id already in use is refused: a change to a
// toolkit is a new version with a new id, so old assessments keep theirs.
func (s *Store) LoadToolkit(ctx context.Context, raw []byte) (*toolkit.Definition, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, err
	}
	def, err := toolkit.Parse(raw)
	if err != nil {
		return nil, err
	}
	if def.ID == builtin.ID {
		return nil, lantern.Invalid(lantern.FieldError{Field: "id", Message: "The id " + def.ID + " is the built-in toolkit's: give the new version an id of its own"})
	}
	by := ""
	if u := lantern.UserFromContext(ctx); u != nil {
		by = u.ID
	}
	err = s.write(ctx, func(tx *tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM toolkits WHERE id = $1`, def.ID).Scan(&n); err != nil {
			return internal("toolkit", err)
		}
		if n > 0 {
			return lantern.Invalid(lantern.FieldError{Field: "id", Message: "A toolkit with the id " + def.ID + " is already loaded: give the new version an id of its own"})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO toolkits (id, definition, loaded_by, loaded_at) VALUES ($1, $2, $3, $4)`,
			def.ID, string(raw), by, s.d.ts(s.now())); err != nil {
			return internal("load toolkit", err)
		}
		tx.audit(auditEntry{Action: "toolkit.load", Entity: "toolkit", EntityID: def.ID})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return def, nil
}

// Toolkit returns a definition by id: the built-in one or a loaded one. An
// empty id is the area's current toolkit.
func (s *Store) Toolkit(ctx context.Context, id string) (*toolkit.Definition, error) {
	if id == "" {
		var err error
		if id, err = s.CurrentToolkitID(ctx); err != nil {
			return nil, err
		}
	}
	if id == builtin.ID {
		return builtin, nil
	}
	s.toolkits.mu.Lock()
	def := s.toolkits.defs[id]
	s.toolkits.mu.Unlock()
	if def != nil {
		return def, nil
	}
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT definition FROM toolkits WHERE id = $1`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "toolkit", Message: "Unknown toolkit " + quoteID(id)})
	} else if err != nil {
		return nil, internal("toolkit", err)
	}
	if def, err = toolkit.Parse([]byte(raw)); err != nil {
		return nil, lantern.Internal(err)
	}
	s.toolkits.mu.Lock()
	if s.toolkits.defs == nil {
		s.toolkits.defs = map[string]*toolkit.Definition{}
	}
	s.toolkits.defs[id] = def
	s.toolkits.mu.Unlock()
	return def, nil
}

func quoteID(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return `"` + s + `"`
}

// ToolkitInfo describes a loaded definition.
type ToolkitInfo struct {
	ID       string
	Name     string
	LoadedAt time.Time
	Builtin  bool
	Current  bool
}

// Toolkits lists the built-in definition and those loaded.
func (s *Store) Toolkits(ctx context.Context) ([]ToolkitInfo, error) {
	cur, err := s.CurrentToolkitID(ctx)
	if err != nil {
		return nil, err
	}
	out := []ToolkitInfo{{ID: builtin.ID, Name: builtin.Name, Builtin: true, Current: cur == builtin.ID}}
	rows, err := s.db.QueryContext(ctx, `SELECT id, loaded_at FROM toolkits ORDER BY loaded_at, id`)
	if err != nil {
		return nil, internal("toolkits", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ti ToolkitInfo
		if err := rows.Scan(&ti.ID, timeScan{&ti.LoadedAt}); err != nil {
			return nil, internal("toolkits", err)
		}
		ti.Current = ti.ID == cur
		out = append(out, ti)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("toolkits", err)
	}
	for i := range out[1:] {
		if def, err := s.Toolkit(ctx, out[i+1].ID); err == nil {
			out[i+1].Name = def.Name
		}
	}
	return out, nil
}

// CurrentToolkitID is the area's toolkit for new assessments.
func (s *Store) CurrentToolkitID(ctx context.Context) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'toolkit.current'`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return builtin.ID, nil
	}
	return id, internal("current toolkit", err)
}

// SetCurrentToolkit chooses the area's toolkit; only administrators may.
func (s *Store) SetCurrentToolkit(ctx context.Context, id string) error {
	if err := mustAdminister(ctx); err != nil {
		return err
	}
	// An empty id would be read back as "no choice" and looked up as the
	// toolkit "", refusing every assessment and score that names none.
	if id == "" {
		return lantern.Invalid(lantern.FieldError{Field: "toolkit", Message: "Choose the toolkit to use for new assessments"})
	}
	if _, err := s.Toolkit(ctx, id); err != nil {
		return err
	}
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('toolkit.current', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, id); err != nil {
			return internal("set toolkit", err)
		}
		tx.audit(auditEntry{Action: "toolkit.current", Entity: "toolkit", EntityID: id})
		return nil
	})
}
