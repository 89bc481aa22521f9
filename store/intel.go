package store

import (
	"context"
	"database/sql"
	"errors"

	"lantern"
	"lantern/match"
)

// Intelligence (docs/intelligence.md): persons of concern, vehicles,
// phones, places and accounts, recorded by any agency that records
// concerns and read by the police, analysts and the CSE coordinator. Every
// read and change is audited by id; names and registrations never go into
// the trail.

// createdBy is who made an intelligence record, and from which agency.
func createdBy(ctx context.Context) (userID, agencyID string) {
	u := lantern.UserFromContext(ctx)
	return u.ID, u.AgencyID
}

// CreatePerson records a person of concern.
func (s *Store) CreatePerson(ctx context.Context, p *lantern.PersonOfConcern) (*lantern.PersonOfConcern, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActCreate); err != nil {
		return nil, err
	}
	now := s.now()
	if err := lantern.CheckPerson(p, now); err != nil {
		return nil, err
	}
	p.ID, p.CreatedAt = newID(), now
	if err := s.write(ctx, func(tx *tx) error { return s.insertPerson(ctx, tx, p) }); err != nil {
		return nil, err
	}
	// The same person held twice: filed, compared, merged or listed for review.
	if err := s.resolvePerson(ctx, p.ID); err != nil {
		s.log.Error("resolve person", "person", p.ID, "err", err)
	}
	return p, nil
}

// insertPerson stores a checked person with its id and time set.
func (s *Store) insertPerson(ctx context.Context, tx *tx, p *lantern.PersonOfConcern) error {
	uid, aid := createdBy(ctx)
	var dob any
	if p.DateOfBirth != nil {
		dob = *p.DateOfBirth
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO intel_persons (id, sex, date_of_birth, birth_year, birth_estimated, description,
		created_at, created_by, agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.Sex, dob, p.BirthYear, p.Estimated, p.Description, s.d.ts(p.CreatedAt), uid, aid); err != nil {
		return internal("create person", err)
	}
	if err := s.writePersonParts(ctx, tx, p); err != nil {
		return err
	}
	tx.audit(auditEntry{Action: "intel.person.create", Entity: "person", EntityID: p.ID})
	return nil
}

// writePersonParts stores a person's names, aliases, addresses and
// blocking keys.
func (s *Store) writePersonParts(ctx context.Context, tx *tx, p *lantern.PersonOfConcern) error {
	for i, n := range p.Names {
		if _, err := tx.ExecContext(ctx, `INSERT INTO intel_person_names (person_id, seq, kind, given, family, given_norm, family_norm)
			VALUES ($1, $2, 'name', $3, $4, $5, $6)`, p.ID, i, n.Given, n.Family, match.Normalise(n.Given), match.Normalise(n.Family)); err != nil {
			return internal("person name", err)
		}
	}
	for i, a := range p.Aliases {
		if _, err := tx.ExecContext(ctx, `INSERT INTO intel_person_names (person_id, seq, kind, given, given_norm)
			VALUES ($1, $2, 'alias', $3, $4)`, p.ID, i, a, match.Normalise(a)); err != nil {
			return internal("person alias", err)
		}
	}
	for i, a := range p.Addresses {
		if _, err := tx.ExecContext(ctx, `INSERT INTO intel_person_addresses (person_id, seq, address, postcode) VALUES ($1, $2, $3, $4)`,
			p.ID, i, a.Address, a.Postcode); err != nil {
			return internal("person address", err)
		}
	}
	return nil
}

// Person reads a person of concern, with their names, aliases, addresses
// and how many links they have.
func (s *Store) Person(ctx context.Context, id string) (*lantern.PersonOfConcern, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	ps, err := s.loadPersons(ctx, s.db, []string{id})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, lantern.NotFound("Person")
	}
	p := ps[0]
	if p.Links, err = s.linkCount(ctx, id); err != nil {
		return nil, err
	}
	return p, s.audited(ctx, auditEntry{Action: "intel.person.read", Entity: "person", EntityID: id})
}

// loadPersons reads persons by id, in no order, with no check or audit.
func (s *Store) loadPersons(ctx context.Context, q querier, ids []string) ([]*lantern.PersonOfConcern, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var args []any
	in := inList(&args, ids)
	byID := map[string]*lantern.PersonOfConcern{}
	var out []*lantern.PersonOfConcern
	rows, err := q.QueryContext(ctx, `SELECT id, sex, date_of_birth, birth_year, birth_estimated, description, COALESCE(merged_into, ''), created_at
		FROM intel_persons WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, internal("persons", err)
	}
	for rows.Next() {
		p := &lantern.PersonOfConcern{Names: []lantern.PersonName{}, Aliases: []string{}, Addresses: []lantern.EntityAddress{}}
		var dob lantern.Date
		if err := rows.Scan(&p.ID, &p.Sex, &dob, &p.BirthYear, &p.Estimated, &p.Description, &p.MergedInto, timeScan{&p.CreatedAt}); err != nil {
			rows.Close()
			return nil, internal("persons", err)
		}
		if !dob.IsZero() {
			p.DateOfBirth = &dob
		}
		byID[p.ID] = p
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("persons", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT person_id, kind, given, family FROM intel_person_names WHERE person_id IN (`+in+`) ORDER BY person_id, kind, seq`, args...)
	if err != nil {
		return nil, internal("person names", err)
	}
	for rows.Next() {
		var pid, kind, given, family string
		if err := rows.Scan(&pid, &kind, &given, &family); err != nil {
			rows.Close()
			return nil, internal("person names", err)
		}
		if p := byID[pid]; p != nil {
			if kind == "alias" {
				p.Aliases = append(p.Aliases, given)
			} else {
				p.Names = append(p.Names, lantern.PersonName{Given: given, Family: family})
			}
		}
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT person_id, address, postcode FROM intel_person_addresses WHERE person_id IN (`+in+`) ORDER BY person_id, seq`, args...)
	if err != nil {
		return nil, internal("person addresses", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid string
		var a lantern.EntityAddress
		if err := rows.Scan(&pid, &a.Address, &a.Postcode); err != nil {
			return nil, internal("person addresses", err)
		}
		if p := byID[pid]; p != nil {
			p.Addresses = append(p.Addresses, a)
		}
	}
	return out, rows.Err()
}

// CreateVehicle records a vehicle, or answers the one already held with
// its registration (created false).
func (s *Store) CreateVehicle(ctx context.Context, v *lantern.Vehicle) (*lantern.Vehicle, bool, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActCreate); err != nil {
		return nil, false, err
	}
	if err := lantern.CheckVehicle(v); err != nil {
		return nil, false, err
	}
	now := s.now()
	v.ID, v.CreatedAt = newID(), now
	created := false
	asked := *v
	err := s.write(ctx, func(tx *tx) (err error) {
		created, err = s.upsertVehicle(ctx, tx, v)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	if !created && !readsIntel(ctx) {
		// Held already: a partner learns its id, to link to, and nothing
		// more of what the police hold.
		return &lantern.Vehicle{ID: v.ID, VRM: v.VRM, Partial: v.Partial, Colour: asked.Colour, Make: asked.Make, Model: asked.Model}, false, nil
	}
	return v, created, nil
}

// readsIntel reports whether the caller may read intelligence.
func readsIntel(ctx context.Context) bool {
	return lantern.Allowed(lantern.UserFromContext(ctx), lantern.ResIntel, lantern.ActRead, lantern.RelArea)
}

// upsertVehicle stores a checked vehicle, or makes v the one already held
// with its registration.
func (s *Store) upsertVehicle(ctx context.Context, tx *tx, v *lantern.Vehicle) (bool, error) {
	uid, aid := createdBy(ctx)
	res, err := tx.ExecContext(ctx, `INSERT INTO intel_vehicles (id, vrm, vrm_rev, partial, colour, make, model, created_at, created_by, agency_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (vrm) DO NOTHING`,
		v.ID, v.VRM, reverse(v.VRM), v.Partial, v.Colour, v.Make, v.Model, s.d.ts(v.CreatedAt), uid, aid)
	if err != nil {
		return false, internal("create vehicle", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		tx.audit(auditEntry{Action: "intel.vehicle.create", Entity: "vehicle", EntityID: v.ID})
		return true, nil
	}
	held, err := s.vehicles(ctx, tx, `v.vrm = $1`, v.VRM)
	if err != nil {
		return false, err
	}
	if len(held) == 0 {
		return false, internal("vehicle held", errors.New("conflict on vrm but no row"))
	}
	*v = *held[0]
	tx.audit(auditEntry{Action: "intel.vehicle.found", Entity: "vehicle", EntityID: v.ID})
	return false, nil
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

func (s *Store) vehicles(ctx context.Context, q querier, where string, args ...any) ([]*lantern.Vehicle, error) {
	return collect(ctx, q, "vehicles", `SELECT v.id, v.vrm, v.partial, v.colour, v.make, v.model, v.created_at FROM intel_vehicles v WHERE `+where,
		func(r scanner) (*lantern.Vehicle, error) {
			var v lantern.Vehicle
			err := r.Scan(&v.ID, &v.VRM, &v.Partial, &v.Colour, &v.Make, &v.Model, timeScan{&v.CreatedAt})
			return &v, err
		}, args...)
}

// Vehicle reads a vehicle.
func (s *Store) Vehicle(ctx context.Context, id string) (*lantern.Vehicle, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	vs, err := s.vehicles(ctx, s.db, `v.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, lantern.NotFound("Vehicle")
	}
	if vs[0].Links, err = s.linkCount(ctx, id); err != nil {
		return nil, err
	}
	return vs[0], s.audited(ctx, auditEntry{Action: "intel.vehicle.read", Entity: "vehicle", EntityID: id})
}

// CreatePhone records a phone number, or answers the one already held.
func (s *Store) CreatePhone(ctx context.Context, number string) (*lantern.Phone, bool, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActCreate); err != nil {
		return nil, false, err
	}
	p, err := lantern.CheckPhone(number)
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	p.ID, p.CreatedAt = newID(), now
	created := false
	err = s.write(ctx, func(tx *tx) (err error) {
		p, created, err = s.upsertPhone(ctx, tx, p)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	if !created && !readsIntel(ctx) {
		return &lantern.Phone{ID: p.ID, E164: p.E164, Fictional: p.Fictional}, false, nil
	}
	return p, created, nil
}

// upsertPhone stores a checked number, or answers the one already held.
func (s *Store) upsertPhone(ctx context.Context, tx *tx, p *lantern.Phone) (*lantern.Phone, bool, error) {
	uid, aid := createdBy(ctx)
	res, err := tx.ExecContext(ctx, `INSERT INTO intel_phones (id, e164, fictional, created_at, created_by, agency_id)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (e164) DO NOTHING`, p.ID, p.E164, p.Fictional, s.d.ts(p.CreatedAt), uid, aid)
	if err != nil {
		return nil, false, internal("create phone", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		tx.audit(auditEntry{Action: "intel.phone.create", Entity: "phone", EntityID: p.ID})
		return p, true, nil
	}
	held, err := s.phones(ctx, tx, `p.e164 = $1`, p.E164)
	if err != nil {
		return nil, false, err
	}
	if len(held) == 0 {
		return nil, false, internal("phone held", errors.New("conflict on e164 but no row"))
	}
	tx.audit(auditEntry{Action: "intel.phone.found", Entity: "phone", EntityID: held[0].ID})
	return held[0], false, nil
}

func (s *Store) phones(ctx context.Context, q querier, where string, args ...any) ([]*lantern.Phone, error) {
	return collect(ctx, q, "phones", `SELECT p.id, p.e164, p.fictional, p.created_at FROM intel_phones p WHERE `+where,
		func(r scanner) (*lantern.Phone, error) {
			var p lantern.Phone
			err := r.Scan(&p.ID, &p.E164, &p.Fictional, timeScan{&p.CreatedAt})
			return &p, err
		}, args...)
}

// Phone reads a phone.
func (s *Store) Phone(ctx context.Context, id string) (*lantern.Phone, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	ps, err := s.phones(ctx, s.db, `p.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, lantern.NotFound("Phone")
	}
	if ps[0].Links, err = s.linkCount(ctx, id); err != nil {
		return nil, err
	}
	return ps[0], s.audited(ctx, auditEntry{Action: "intel.phone.read", Entity: "phone", EntityID: id})
}

// CreatePlace records a place.
func (s *Store) CreatePlace(ctx context.Context, p *lantern.Place) (*lantern.Place, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActCreate); err != nil {
		return nil, err
	}
	if err := lantern.CheckPlace(p); err != nil {
		return nil, err
	}
	now := s.now()
	p.ID, p.CreatedAt = newID(), now
	if err := s.write(ctx, func(tx *tx) error { return s.insertPlace(ctx, tx, p) }); err != nil {
		return nil, err
	}
	return p, nil
}

// insertPlace stores a checked place.
func (s *Store) insertPlace(ctx context.Context, tx *tx, p *lantern.Place) error {
	uid, aid := createdBy(ctx)
	if _, err := tx.ExecContext(ctx, `INSERT INTO intel_places (id, name, name_norm, address, postcode, lat, lon, hotspot, hotspot_reason,
		created_at, created_by, agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		p.ID, p.Name, match.Normalise(p.Name), p.Address, p.Postcode, p.Lat, p.Lon, p.Hotspot, p.HotspotReason, s.d.ts(p.CreatedAt), uid, aid); err != nil {
		return internal("create place", err)
	}
	tx.audit(auditEntry{Action: "intel.place.create", Entity: "place", EntityID: p.ID})
	return nil
}

func (s *Store) places(ctx context.Context, q querier, where string, args ...any) ([]*lantern.Place, error) {
	return collect(ctx, q, "places", `SELECT p.id, p.name, p.address, p.postcode, p.lat, p.lon, p.hotspot, p.hotspot_reason, p.created_at
		FROM intel_places p WHERE `+where,
		func(r scanner) (*lantern.Place, error) {
			var p lantern.Place
			var lat, lon sql.NullFloat64
			err := r.Scan(&p.ID, &p.Name, &p.Address, &p.Postcode, &lat, &lon, &p.Hotspot, &p.HotspotReason, timeScan{&p.CreatedAt})
			if lat.Valid && lon.Valid {
				p.Lat, p.Lon = &lat.Float64, &lon.Float64
			}
			return &p, err
		}, args...)
}

// Place reads a place.
func (s *Store) Place(ctx context.Context, id string) (*lantern.Place, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	ps, err := s.places(ctx, s.db, `p.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, lantern.NotFound("Place")
	}
	if ps[0].Links, err = s.linkCount(ctx, id); err != nil {
		return nil, err
	}
	return ps[0], s.audited(ctx, auditEntry{Action: "intel.place.read", Entity: "place", EntityID: id})
}

// CreateAccount records an online account, or answers the one already held
// (the same handle on the same platform, whatever its case or a leading @).
func (s *Store) CreateAccount(ctx context.Context, a *lantern.Account) (*lantern.Account, bool, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActCreate); err != nil {
		return nil, false, err
	}
	if err := lantern.CheckAccount(a); err != nil {
		return nil, false, err
	}
	now := s.now()
	a.ID, a.CreatedAt = newID(), now
	created := false
	asked := *a
	err := s.write(ctx, func(tx *tx) (err error) {
		a, created, err = s.upsertAccount(ctx, tx, a)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	if !created && !readsIntel(ctx) {
		return &lantern.Account{ID: a.ID, Platform: asked.Platform, Handle: asked.Handle}, false, nil
	}
	return a, created, nil
}

// upsertAccount stores a checked account, or answers the one already held.
func (s *Store) upsertAccount(ctx context.Context, tx *tx, a *lantern.Account) (*lantern.Account, bool, error) {
	uid, aid := createdBy(ctx)
	key := lantern.AccountKey(a.Platform, a.Handle)
	res, err := tx.ExecContext(ctx, `INSERT INTO intel_accounts (id, platform, handle, account_key, created_at, created_by, agency_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_key) DO NOTHING`, a.ID, a.Platform, a.Handle, key, s.d.ts(a.CreatedAt), uid, aid)
	if err != nil {
		return nil, false, internal("create account", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		tx.audit(auditEntry{Action: "intel.account.create", Entity: "account", EntityID: a.ID})
		return a, true, nil
	}
	held, err := s.accounts(ctx, tx, `a.account_key = $1`, key)
	if err != nil {
		return nil, false, err
	}
	if len(held) == 0 {
		return nil, false, internal("account held", errors.New("conflict on key but no row"))
	}
	tx.audit(auditEntry{Action: "intel.account.found", Entity: "account", EntityID: held[0].ID})
	return held[0], false, nil
}

func (s *Store) accounts(ctx context.Context, q querier, where string, args ...any) ([]*lantern.Account, error) {
	return collect(ctx, q, "accounts", `SELECT a.id, a.platform, a.handle, a.created_at FROM intel_accounts a WHERE `+where,
		func(r scanner) (*lantern.Account, error) {
			var a lantern.Account
			err := r.Scan(&a.ID, &a.Platform, &a.Handle, timeScan{&a.CreatedAt})
			return &a, err
		}, args...)
}

// Account reads an online account.
func (s *Store) Account(ctx context.Context, id string) (*lantern.Account, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	as, err := s.accounts(ctx, s.db, `a.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, lantern.NotFound("Account")
	}
	if as[0].Links, err = s.linkCount(ctx, id); err != nil {
		return nil, err
	}
	return as[0], s.audited(ctx, auditEntry{Action: "intel.account.read", Entity: "account", EntityID: id})
}

// linkCount is how many live links an entity has, counted to a bound (a
// hub's exact count does not matter, and counting it would cost).
func (s *Store) linkCount(ctx context.Context, id string) (int, error) {
	deg, err := s.degrees(ctx, s.db, []string{id})
	return deg[id], err
}

// MaxCounted bounds a degree count: a node with more links than the hub
// rule's limit is a hub, however many more it has.
const MaxCounted = 10_000

// degrees counts the live links of each id, up to MaxCounted.
func (s *Store) degrees(ctx context.Context, q querier, ids []string) (map[string]int, error) {
	return s.degreesWhere(ctx, q, ids, "")
}

// degreesWhere is degrees counting only the links that meet cond as well
// (a condition on intel_links' columns, or "" for all).
func (s *Store) degreesWhere(ctx context.Context, q querier, ids []string, cond string) (map[string]int, error) {
	out := make(map[string]int, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	for _, col := range []string{"from_id", "to_id"} {
		var args []any
		in := inList(&args, ids)
		rows, err := q.QueryContext(ctx, `SELECT `+col+`, count(*) FROM intel_links WHERE `+col+` IN (`+in+`) AND withdrawn_at IS NULL`+cond+` GROUP BY `+col, args...)
		if err != nil {
			return nil, internal("degrees", err)
		}
		for rows.Next() {
			var id string
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, internal("degrees", err)
			}
			out[id] = min(out[id]+n, MaxCounted)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal("degrees", err)
		}
	}
	return out, nil
}
