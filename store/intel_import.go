package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"lantern"
	"lantern/match"
	"lantern/resolve"
)

// Bulk import of intelligence, for the operator at the command line: a
// national set (lantern demo generate) or another system's export. Rows go
// in many at a time, in transactions of a few thousand, each checked and
// normalised as one made through the API would be; one audit entry per
// batch says what was imported, by id range.

// IntelImport is a batch of entities to import (into a store that holds
// none of its registrations, numbers or accounts: one held already fails
// the batch, whole).
type IntelImport struct {
	Persons  []resolve.Record
	Vehicles []lantern.Vehicle
	Phones   []string
	Places   []lantern.Place
	Accounts []lantern.Account
}

// ImportLink is an imported link, its ends by id.
type ImportLink struct {
	From, To lantern.EntityRef
	Kind     lantern.LinkKind
	Observed lantern.Date
	Grading  lantern.Grading
	Source   string
}

// ImportedIDs are the ids the import gave, in the batch's order.
type ImportedIDs struct {
	Persons, Vehicles, Phones, Places, Accounts []string
}

// importRows bounds the rows of one INSERT.
const importRows = 500

// insertRows inserts rows (each of cols values) into table, importRows at a
// time, with onConflict appended (such as ON CONFLICT DO NOTHING). The
// statement for a full chunk is prepared once: parsing an INSERT of 500
// rows cost as much as running it.
func (s *Store) insertRows(ctx context.Context, tx *tx, table string, cols []string, rows [][]any, onConflict string) error {
	if s.d == postgres {
		return s.insertArrays(ctx, tx, table, cols, rows, onConflict)
	}
	head := "INSERT INTO " + table + " (" + joinCols(cols) + ") VALUES "
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, importRows*len(cols))
	for start := 0; start < len(rows); start += importRows {
		end := min(len(rows), start+importRows)
		args = args[:0]
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		var err error
		if end-start == importRows {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, head+s.d.values(importRows, len(cols))+" "+onConflict); err != nil {
					return internal("import "+table, err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, head+s.d.values(end-start, len(cols))+" "+onConflict, args...)
		}
		if err != nil {
			return internal("import "+table, err)
		}
	}
	return nil
}

// importCacheKiB is the SQLite writer's page cache while it imports. At the
// default 2 MiB, inserts into ten million links' indexes spilled and wrote
// the same pages to the log again and again; the writer is one connection,
// so this is the most it holds (an operator's import, not the server's).
const importCacheKiB = 256 << 10

// bulkCache gives the SQLite writer a page cache fit for an import.
func (s *Store) bulkCache(ctx context.Context, tx *tx) error {
	if s.d != sqlite {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -"+itoa(importCacheKiB)); err != nil {
		return internal("import cache", err)
	}
	return nil
}

// insertArrays is insertRows on PostgreSQL: each column's values go as one
// text array and the rows are unnested and cast by the server, in one
// statement of a few parameters. A VALUES list of 500 rows had 8,000
// parameters, and encoding them was most of the client's work.
func (s *Store) insertArrays(ctx context.Context, tx *tx, table string, cols []string, rows [][]any, onConflict string) error {
	if len(rows) == 0 {
		return nil
	}
	types, err := s.columnTypes(ctx, tx, table)
	if err != nil {
		return err
	}
	arrays := make([][]*string, len(cols))
	for j := range cols {
		arrays[j] = make([]*string, len(rows))
	}
	for i, r := range rows {
		for j, v := range r {
			t, err := importText(v)
			if err != nil {
				return internal("import "+table+"."+cols[j], err)
			}
			arrays[j][i] = t
		}
	}
	sel := make([]string, len(cols))
	params := make([]string, len(cols))
	args := make([]any, len(cols))
	for j, c := range cols {
		typ, ok := types[c]
		if !ok {
			return internal("import", fmt.Errorf("%s has no column %s", table, c))
		}
		params[j] = "$" + itoa(j+1) + "::text[]"
		sel[j] = "c" + itoa(j) + "::" + typ
		args[j] = arrays[j]
	}
	alias := make([]string, len(cols))
	for j := range cols {
		alias[j] = "c" + itoa(j)
	}
	q := "INSERT INTO " + table + " (" + joinCols(cols) + ") SELECT " + strings.Join(sel, ", ") + " FROM unnest(" + strings.Join(params, ", ") +
		") AS u(" + strings.Join(alias, ", ") + ") " + onConflict
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return internal("import "+table, err)
	}
	return nil
}

// columnTypes are a PostgreSQL table's columns' type names, for casts,
// read once a table for the store's life (an import asks for each batch).
func (s *Store) columnTypes(ctx context.Context, q querier, table string) (map[string]string, error) {
	if m, ok := s.colTypes.Load(table); ok {
		return m.(map[string]string), nil
	}
	rows, err := collect(ctx, q, "column types", `SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
		func(r scanner) ([2]string, error) {
			var c [2]string
			return c, r.Scan(&c[0], &c[1])
		}, table)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r[0]] = r[1]
	}
	s.colTypes.Store(table, out)
	return out, nil
}

// importText is a value as PostgreSQL's text input for its column's type
// reads it, or nil for NULL.
func importText(v any) (*string, error) {
	if dv, ok := v.(driver.Valuer); ok {
		x, err := dv.Value()
		if err != nil {
			return nil, err
		}
		v = x
	}
	var t string
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		t = x
	case bool:
		t = strconv.FormatBool(x)
	case int:
		t = strconv.Itoa(x)
	case int64:
		t = strconv.FormatInt(x, 10)
	case float64:
		t = strconv.FormatFloat(x, 'g', -1, 64)
	case *float64:
		if x == nil {
			return nil, nil
		}
		t = strconv.FormatFloat(*x, 'g', -1, 64)
	case time.Time:
		t = x.UTC().Format(time.RFC3339Nano)
	default:
		// Named types: a link kind, an entity type...
		switch r := reflect.ValueOf(v); r.Kind() {
		case reflect.String:
			t = r.String()
		case reflect.Bool:
			t = strconv.FormatBool(r.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			t = strconv.FormatInt(r.Int(), 10)
		default:
			return nil, fmt.Errorf("no text form for %T", v)
		}
	}
	return &t, nil
}

// namesOf lists a record's given and family names.
func namesOf(r resolve.Record) []string {
	var out []string
	for _, n := range r.Names {
		out = append(out, n.Given, n.Family)
	}
	return out
}

func joinCols(cols []string) string {
	out := ""
	for i, c := range cols {
		if i > 0 {
			out += ", "
		}
		out += c
	}
	return out
}

// ImportIntel imports a batch as the operator, recorded as made by asUser
// of asAgency. Registrations, numbers and accounts already held are used,
// not made again.
func (s *Store) ImportIntel(ctx context.Context, in *IntelImport, asUser, asAgency string) (*ImportedIDs, error) {
	if !lantern.IsSystem(ctx) {
		return nil, lantern.Errorf(lantern.EFORBIDDEN, "Only the operator imports intelligence")
	}
	now := s.now()
	ts := s.d.ts(now)
	ids := &ImportedIDs{}
	var err error
	var persons, names, addrs, keys, vehicles, phones, places, accounts [][]any
	for i, r := range in.Persons {
		// SQLite would keep text that is not UTF-8, and PostgreSQL refuse
		// it: both refuse it here, so the two hold the same.
		for _, t := range append(slices.Clone(r.Aliases), namesOf(r)...) {
			if !utf8.ValidString(t) {
				return nil, lantern.Invalid(lantern.FieldError{Field: "persons[" + itoa(i) + "]", Message: "A name or description is not UTF-8 text"})
			}
		}
		id := newID()
		ids.Persons = append(ids.Persons, id)
		var dob any
		if !r.DateOfBirth.IsZero() {
			dob = r.DateOfBirth
		}
		year := r.BirthYear
		if !r.DateOfBirth.IsZero() {
			year = r.DateOfBirth.Year
		}
		persons = append(persons, []any{id, r.Sex, dob, year, r.Estimated, "", ts, asUser, asAgency})
		for i, n := range r.Names {
			names = append(names, []any{id, i, "name", n.Given, n.Family, match.Normalise(n.Given), match.Normalise(n.Family)})
		}
		for i, a := range r.Aliases {
			names = append(names, []any{id, i, "alias", a, "", match.Normalise(a), ""})
		}
		for i, pc := range r.Postcodes {
			addrs = append(addrs, []any{id, i, "", pc})
		}
		r.ID = id
		for _, k := range resolve.BlockingKeys(r) {
			keys = append(keys, []any{k, id})
		}
	}
	vrmIDs := map[string]string{}
	for _, v := range in.Vehicles {
		if err := lantern.CheckVehicle(&v); err != nil {
			return nil, err
		}
		id, ok := vrmIDs[v.VRM]
		if !ok {
			id = newID()
			vrmIDs[v.VRM] = id
			vehicles = append(vehicles, []any{id, v.VRM, reverse(v.VRM), v.Partial, v.Colour, v.Make, v.Model, ts, asUser, asAgency})
		}
		ids.Vehicles = append(ids.Vehicles, id)
	}
	phoneIDs := map[string]string{}
	for _, raw := range in.Phones {
		p, err := lantern.CheckPhone(raw)
		if err != nil {
			return nil, err
		}
		id, ok := phoneIDs[p.E164]
		if !ok {
			id = newID()
			phoneIDs[p.E164] = id
			phones = append(phones, []any{id, p.E164, p.Fictional, ts, asUser, asAgency})
		}
		ids.Phones = append(ids.Phones, id)
	}
	for _, p := range in.Places {
		if err := lantern.CheckPlace(&p); err != nil {
			return nil, err
		}
		id := newID()
		ids.Places = append(ids.Places, id)
		reason := ""
		if p.Hotspot {
			reason = p.HotspotReason
		}
		places = append(places, []any{id, p.Name, match.Normalise(p.Name), p.Address, p.Postcode, p.Lat, p.Lon, p.Hotspot, reason, ts, asUser, asAgency})
	}
	acctIDs := map[string]string{}
	for _, a := range in.Accounts {
		if err := lantern.CheckAccount(&a); err != nil {
			return nil, err
		}
		key := lantern.AccountKey(a.Platform, a.Handle)
		id, ok := acctIDs[key]
		if !ok {
			id = newID()
			acctIDs[key] = id
			accounts = append(accounts, []any{id, a.Platform, a.Handle, key, ts, asUser, asAgency})
		}
		ids.Accounts = append(ids.Accounts, id)
	}
	err = s.write(ctx, func(tx *tx) error {
		if err := s.bulkCache(ctx, tx); err != nil {
			return err
		}
		for _, step := range []struct {
			table, conflict string
			cols            []string
			rows            [][]any
		}{
			{"intel_persons", "", []string{"id", "sex", "date_of_birth", "birth_year", "birth_estimated", "description", "created_at", "created_by", "agency_id"}, persons},
			{"intel_person_names", "", []string{"person_id", "seq", "kind", "given", "family", "given_norm", "family_norm"}, names},
			{"intel_person_addresses", "", []string{"person_id", "seq", "address", "postcode"}, addrs},
			{"intel_person_keys", "ON CONFLICT DO NOTHING", []string{"key", "person_id"}, keys},
			{"intel_vehicles", "", []string{"id", "vrm", "vrm_rev", "partial", "colour", "make", "model", "created_at", "created_by", "agency_id"}, vehicles},
			{"intel_phones", "", []string{"id", "e164", "fictional", "created_at", "created_by", "agency_id"}, phones},
			{"intel_places", "", []string{"id", "name", "name_norm", "address", "postcode", "lat", "lon", "hotspot", "hotspot_reason", "created_at", "created_by", "agency_id"}, places},
			{"intel_accounts", "", []string{"id", "platform", "handle", "account_key", "created_at", "created_by", "agency_id"}, accounts},
		} {
			if err := s.insertRows(ctx, tx, step.table, step.cols, step.rows, step.conflict); err != nil {
				return err
			}
		}
		tx.audit(auditEntry{Action: "intel.import", Entity: "intelligence", Detail: fmt.Sprintf("%d persons, %d vehicles, %d phones, %d places, %d accounts",
			len(persons), len(vehicles), len(phones), len(places), len(accounts))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// ImportLinks imports links between things held, as the operator, recorded
// as made by asUser of asAgency; each is checked as one made through the
// API would be (a source, a grading in the 3×5×2 form).
func (s *Store) ImportLinks(ctx context.Context, in []ImportLink, asUser, asAgency string) error {
	if !lantern.IsSystem(ctx) {
		return lantern.Errorf(lantern.EFORBIDDEN, "Only the operator imports intelligence")
	}
	ts := s.d.ts(s.now())
	rows := make([][]any, 0, len(in))
	for _, l := range in {
		g := l.Grading
		lk := lantern.Link{From: l.From, To: l.To, Kind: l.Kind, Source: l.Source, Grading: &g}
		if g.Source == "" {
			lk.Grading = nil
		}
		if err := lantern.CheckLink(&lk); err != nil {
			return err
		}
		var obs any
		if !l.Observed.IsZero() {
			obs = l.Observed
		}
		id := newID()
		source, err := s.seal(ctx, "intel_links", "source", id, l.Source)
		if err != nil {
			return err
		}
		rows = append(rows, []any{id, l.From.Type, l.From.ID, l.To.Type, l.To.ID, l.Kind, obs, source, g.Source, g.Intelligence, g.Handling,
			g.Conditions, g.Source != "", ts, asUser, asAgency})
	}
	return s.write(ctx, func(tx *tx) error {
		if err := s.bulkCache(ctx, tx); err != nil {
			return err
		}
		if err := s.insertRows(ctx, tx, "intel_links", []string{"id", "from_type", "from_id", "to_type", "to_id", "kind", "observed_from", "source",
			"grade_source", "grade_intel", "grade_handling", "conditions", "final", "recorded_at", "recorded_by", "agency_id"}, rows, ""); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "intel.import", Entity: "link", Detail: fmt.Sprintf("%d links", len(rows))})
		return nil
	})
}
