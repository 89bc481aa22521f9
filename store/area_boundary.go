package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"lantern"
)

// The area's boundary (docs/intelligence.md#the-areas-boundary): one at a
// time, kept as the GeoJSON Lantern writes from the file loaded.

// boundaryCache keeps the boundary last read, and its index, by id. Each
// use reads the id kept in the database first, so a boundary another
// replica loaded is read afresh: the cache is never the only copy, nor
// stale.
type boundaryCache struct {
	mu sync.Mutex
	b  *lantern.AreaBoundary
	ix *lantern.BoundaryIndex
}

// LoadAreaBoundary reads a GeoJSON boundary (lantern.ParseBoundary) and
// makes it the area's, replacing any before it. Administrators, analysts
// and the CSE coordinator may, and the operator at the command line. The
// audit trail records the new boundary's id, its counts and the id of the
// one it replaced; never the areas' names.
func (s *Store) LoadAreaBoundary(ctx context.Context, raw []byte, opt lantern.BoundaryOptions) (*lantern.AreaBoundary, error) {
	if !lantern.IsSystem(ctx) {
		if err := may(ctx, lantern.ResAreaBoundary, lantern.ActChange); err != nil {
			return nil, err
		}
	}
	b, err := lantern.ParseBoundary(raw, opt)
	if err != nil {
		return nil, err
	}
	b.ID, b.LoadedAt = newID(), s.now().UTC().Truncate(time.Microsecond)
	if u := lantern.UserFromContext(ctx); u != nil {
		b.LoadedBy = u.ID
	}
	err = s.write(ctx, func(tx *tx) error {
		var prev string
		err := tx.QueryRowContext(ctx, `SELECT id FROM area_boundary WHERE slot = 1`+s.d.forUpdate()).Scan(&prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return internal("area boundary", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO area_boundary (slot, id, name, name_property, geojson, areas, vertices, loaded_by, loaded_at)
			VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (slot) DO UPDATE SET id = excluded.id, name = excluded.name, name_property = excluded.name_property, geojson = excluded.geojson,
				areas = excluded.areas, vertices = excluded.vertices, loaded_by = excluded.loaded_by, loaded_at = excluded.loaded_at`,
			b.ID, b.Name, b.NameProperty, string(b.GeoJSON()), len(b.Areas), b.Vertices, b.LoadedBy, s.d.ts(b.LoadedAt)); err != nil {
			return internal("load area boundary", err)
		}
		detail := fmt.Sprintf("%d areas, %d vertices", len(b.Areas), b.Vertices)
		if prev != "" {
			detail += ", replacing " + prev
		}
		tx.audit(auditEntry{Action: "area.boundary.load", Entity: "area-boundary", EntityID: b.ID, Detail: detail})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// AreaBoundary is the area's boundary, or nil when none is loaded, for
// those who may read it and the operator. It is shared: the caller must not
// change it.
func (s *Store) AreaBoundary(ctx context.Context) (*lantern.AreaBoundary, error) {
	if !lantern.IsSystem(ctx) {
		if err := may(ctx, lantern.ResAreaBoundary, lantern.ActRead); err != nil {
			return nil, err
		}
	}
	b, _, err := s.currentBoundary(ctx)
	if err != nil {
		return nil, err
	}
	id := ""
	if b != nil {
		id = b.ID
	}
	return b, s.audited(ctx, auditEntry{Action: "area.boundary.read", Entity: "area-boundary", EntityID: id})
}

// currentBoundary is the boundary and its index, or nils: from the cache
// when the boundary kept is the one cached.
func (s *Store) currentBoundary(ctx context.Context) (*lantern.AreaBoundary, *lantern.BoundaryIndex, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM area_boundary WHERE slot = 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, internal("area boundary", err)
	}
	c := &s.boundary
	c.mu.Lock()
	if c.b != nil && c.b.ID == id {
		b, ix := c.b, c.ix
		c.mu.Unlock()
		return b, ix, nil
	}
	c.mu.Unlock()
	var (
		raw      string
		prop, by string
		name     string
		at       time.Time
	)
	err = s.db.QueryRowContext(ctx, `SELECT id, name, name_property, geojson, loaded_by, loaded_at FROM area_boundary WHERE slot = 1`).
		Scan(&id, &name, &prop, &raw, &by, timeScan{&at})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, internal("area boundary", err)
	}
	b, err := lantern.ParseBoundary([]byte(raw), lantern.BoundaryOptions{NameProperty: "name"})
	if err != nil {
		return nil, nil, lantern.Internal(fmt.Errorf("the area boundary %s kept does not read: %w", id, err))
	}
	b.ID, b.Name, b.NameProperty, b.LoadedBy, b.LoadedAt, b.Note = id, name, prop, by, at, ""
	ix := lantern.NewBoundaryIndex(b)
	c.mu.Lock()
	c.b, c.ix = b, ix
	c.mu.Unlock()
	return b, ix, nil
}

// placePositions reads the longitude and latitude of the places with ids,
// those that have both.
func (s *Store) placePositions(ctx context.Context, ids []string) (map[string]lantern.Position, error) {
	type pos struct {
		id string
		p  lantern.Position
	}
	out := make(map[string]lantern.Position, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		var args []any
		ps, err := collect(ctx, s.db, "place positions", `SELECT id, lon, lat FROM intel_places WHERE lat IS NOT NULL AND lon IS NOT NULL AND id IN (`+
			inList(&args, chunk)+`)`, func(r scanner) (pos, error) {
			var x pos
			err := r.Scan(&x.id, &x.p[0], &x.p[1])
			return x, err
		}, args...)
		if err != nil {
			return nil, err
		}
		for _, x := range ps {
			out[x.id] = x.p
		}
	}
	return out, nil
}
