package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern/store"
	"lantern/store/storetest"
)

// schemaTable is what the parity test compares of one table.
type schemaTable struct {
	// columns maps each column to whether it may hold NULL; nil when the
	// dialect cannot say (see readSQLiteSchema).
	columns map[string]*bool
	// indexes are the table's own indexes, by name, each true if unique;
	// not those a database makes by itself for a key or UNIQUE constraint.
	indexes map[string]bool
	// primaryKey is the primary key's columns, in order, and uniques the
	// UNIQUE constraints' (the automatic indexes' stand-ins), each as
	// "a,b".
	primaryKey string
	uniques    []string
}

// gooseTable is goose's record of the migrations run: its own, not ours.
const gooseTable = "goose_db_version"

// migratedStore is a fresh, migrated store of dialect d.
func migratedStore(t *testing.T, d string) *store.Store {
	t.Helper()
	return storetest.Open(t, d, func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) })
}

// readSchema reads the tables, columns and indexes of a migrated store.
func readSchema(t *testing.T, s *store.Store) map[string]*schemaTable {
	t.Helper()
	var (
		tables map[string]*schemaTable
		err    error
	)
	switch s.Dialect() {
	case "sqlite":
		tables, err = readSQLiteSchema(s.DB())
	case "postgres":
		tables, err = readPostgresSchema(s.DB())
	default:
		t.Fatalf("no schema reader for %s", s.Dialect())
	}
	if err != nil {
		t.Fatalf("read the %s schema: %v", s.Dialect(), err)
	}
	if len(tables) == 0 {
		t.Fatalf("the migrated %s store has no tables", s.Dialect())
	}
	return tables
}

// readSQLiteSchema reads SQLite's schema through its pragmas. A PRIMARY KEY
// column's nullability is left unknown: SQLite reports only a declared NOT
// NULL, and (a long-kept quirk) its primary keys do not imply one.
func readSQLiteSchema(db *sql.DB) (map[string]*schemaTable, error) {
	ctx := context.Background()
	names, err := queryStrings(ctx, db, `SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> $1`, gooseTable)
	if err != nil {
		return nil, err
	}
	tables := map[string]*schemaTable{}
	for _, name := range names {
		tb := &schemaTable{columns: map[string]*bool{}, indexes: map[string]bool{}}
		rows, err := db.QueryContext(ctx, `SELECT name, "notnull", pk FROM pragma_table_info($1) ORDER BY pk, cid`, name)
		if err != nil {
			return nil, err
		}
		var pkCols []string
		for rows.Next() {
			var col string
			var notNull, pk int
			if err := rows.Scan(&col, &notNull, &pk); err != nil {
				rows.Close()
				return nil, err
			}
			if pk > 0 {
				tb.columns[col] = nil
				pkCols = append(pkCols, col)
			} else {
				tb.columns[col] = new(notNull == 0)
			}
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
		tb.primaryKey = strings.Join(pkCols, ",")
		tb.uniques, err = queryStrings(ctx, db, `SELECT (SELECT group_concat(name, ',' ORDER BY seqno) FROM pragma_index_info(l.name))
			FROM pragma_index_list($1) l WHERE l.origin = 'u'`, name)
		if err != nil {
			return nil, err
		}
		slices.Sort(tb.uniques)
		// origin 'c' is CREATE INDEX; 'u' and 'pk' are SQLite's own
		// sqlite_autoindex_* for UNIQUE and PRIMARY KEY constraints.
		rows, err = db.QueryContext(ctx, `SELECT name, "unique" FROM pragma_index_list($1) WHERE origin = 'c'`, name)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var idx string
			var unique int
			if err := rows.Scan(&idx, &unique); err != nil {
				rows.Close()
				return nil, err
			}
			tb.indexes[idx] = unique != 0
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
		tables[name] = tb
	}
	return tables, nil
}

// readPostgresSchema reads PostgreSQL's schema in the store's own schema
// (the first on its search_path: each test has its own).
func readPostgresSchema(db *sql.DB) (map[string]*schemaTable, error) {
	ctx := context.Background()
	names, err := queryStrings(ctx, db, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> $1`, gooseTable)
	if err != nil {
		return nil, err
	}
	tables := map[string]*schemaTable{}
	for _, name := range names {
		tables[name] = &schemaTable{columns: map[string]*bool{}, indexes: map[string]bool{}}
	}
	rows, err := db.QueryContext(ctx, `SELECT table_name, column_name, is_nullable FROM information_schema.columns
		WHERE table_schema = current_schema()`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, col, nullable string
		if err := rows.Scan(&table, &col, &nullable); err != nil {
			rows.Close()
			return nil, err
		}
		if tb := tables[table]; tb != nil {
			tb.columns[col] = new(nullable == "YES")
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	// Leave out the indexes PostgreSQL makes for PRIMARY KEY, UNIQUE and
	// exclusion constraints, as SQLite's automatic ones are left out.
	rows, err = db.QueryContext(ctx, `SELECT t.relname, i.relname, x.indisunique
		FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_class t ON t.oid = x.indrelid
		WHERE t.relnamespace = current_schema()::regnamespace
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, idx string
		var unique bool
		if err := rows.Scan(&table, &idx, &unique); err != nil {
			rows.Close()
			return nil, err
		}
		if tb := tables[table]; tb != nil {
			tb.indexes[idx] = unique
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	rows, err = db.QueryContext(ctx, `SELECT t.relname, c.contype,
			array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k (num, ord)
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.ord), ',')
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
		WHERE t.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u')`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, kind, cols string
		if err := rows.Scan(&table, &kind, &cols); err != nil {
			rows.Close()
			return nil, err
		}
		if tb := tables[table]; tb != nil {
			if kind == "p" {
				tb.primaryKey = cols
			} else {
				tb.uniques = append(tb.uniques, cols)
			}
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	for _, tb := range tables {
		slices.Sort(tb.uniques)
	}
	// pg_indexes, the view, is what a person would look at: check that it
	// names the same indexes, so the catalogue query above cannot drift.
	rows, err = db.QueryContext(ctx, `SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema()`)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for rows.Next() {
		var table, idx string
		if err := rows.Scan(&table, &idx); err != nil {
			rows.Close()
			return nil, err
		}
		seen[table+"."+idx] = true
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	for name, tb := range tables {
		for idx := range tb.indexes {
			if !seen[name+"."+idx] {
				return nil, fmt.Errorf("index %s.%s is in pg_index but not in pg_indexes", name, idx)
			}
		}
	}
	return tables, nil
}

func queryStrings(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, s)
	}
	return out, closeRows(rows)
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// schemaDiff lists, in a stable order, how schema b differs from schema a.
func schemaDiff(aName string, a map[string]*schemaTable, bName string, b map[string]*schemaTable) []string {
	var diffs []string
	only := func(have string, x, y map[string]*schemaTable) {
		for _, name := range slices.Sorted(maps.Keys(x)) {
			if y[name] == nil {
				diffs = append(diffs, fmt.Sprintf("table %s is only in %s", name, have))
			}
		}
	}
	only(aName, a, b)
	only(bName, b, a)
	for _, name := range slices.Sorted(maps.Keys(a)) {
		ta, tb := a[name], b[name]
		if tb == nil {
			continue
		}
		if ta.primaryKey != tb.primaryKey {
			diffs = append(diffs, fmt.Sprintf("table %s: primary key (%s) in %s, (%s) in %s", name, ta.primaryKey, aName, tb.primaryKey, bName))
		}
		if !slices.Equal(ta.uniques, tb.uniques) {
			diffs = append(diffs, fmt.Sprintf("table %s: UNIQUE constraints %q in %s, %q in %s", name, ta.uniques, aName, tb.uniques, bName))
		}
		for _, col := range slices.Sorted(maps.Keys(ta.columns)) {
			na := ta.columns[col]
			nb, ok := tb.columns[col]
			switch {
			case !ok:
				diffs = append(diffs, fmt.Sprintf("column %s.%s is only in %s", name, col, aName))
			case na != nil && nb != nil && *na != *nb:
				diffs = append(diffs, fmt.Sprintf("column %s.%s: nullable in %s %v, in %s %v", name, col, aName, *na, bName, *nb))
			}
		}
		for _, col := range slices.Sorted(maps.Keys(tb.columns)) {
			if _, ok := ta.columns[col]; !ok {
				diffs = append(diffs, fmt.Sprintf("column %s.%s is only in %s", name, col, bName))
			}
		}
		for _, idx := range slices.Sorted(maps.Keys(ta.indexes)) {
			ub, ok := tb.indexes[idx]
			switch {
			case !ok:
				diffs = append(diffs, fmt.Sprintf("index %s on %s is only in %s", idx, name, aName))
			case ub != ta.indexes[idx]:
				diffs = append(diffs, fmt.Sprintf("index %s on %s: unique in %s %v, in %s %v", idx, name, aName, ta.indexes[idx], bName, ub))
			}
		}
		for _, idx := range slices.Sorted(maps.Keys(tb.indexes)) {
			if _, ok := ta.indexes[idx]; !ok {
				diffs = append(diffs, fmt.Sprintf("index %s on %s is only in %s", idx, name, bName))
			}
		}
	}
	return diffs
}

// The two migration sets are written by hand, one per database: they must
// end at the same tables, columns and indexes, or the same SQL means
// different things on each.
func TestMigrationsAgree(t *testing.T) {
	if os.Getenv(storetest.PostgresEnv) == "" && testing.Short() {
		t.Skipf("comparing the migrations needs PostgreSQL: %s is not set (scripts/test sets it)", storetest.PostgresEnv)
	}
	lite := readSchema(t, migratedStore(t, "sqlite"))
	pg := readSchema(t, migratedStore(t, "postgres"))
	if diffs := schemaDiff("sqlite", lite, "postgres", pg); len(diffs) > 0 {
		t.Errorf("the SQLite and PostgreSQL migrations end at different schemas; add a migration to the set that is behind:\n\t%s",
			strings.Join(diffs, "\n\t"))
	}
}

// The parity test must be able to fail: it reads the columns, nullability,
// keys and indexes it claims to compare, and reports each difference.
func TestSchemaDiffSeesDifferences(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			s := migratedStore(t, d)
			before := readSchema(t, s)
			for _, name := range []string{"children", "users", "involvements", "audit_log", "child_siblings"} {
				if before[name] == nil {
					t.Fatalf("table %s not read; read %v", name, slices.Sorted(maps.Keys(before)))
				}
			}
			if before[gooseTable] != nil {
				t.Errorf("goose's table %s read", gooseTable)
			}
			users := before["users"]
			if id := users.columns["id"]; d == "sqlite" && id != nil || d == "postgres" && (id == nil || *id) {
				t.Errorf("users.id read as nullable %v", id)
			}
			if ph, email := users.columns["password_hash"], users.columns["email"]; ph == nil || !*ph || email == nil || *email {
				t.Errorf("users' nullability read wrongly: password_hash %v, email %v", ph, email)
			}
			if users.primaryKey != "id" || !slices.Equal(users.uniques, []string{"email"}) {
				t.Errorf("users' keys read as primary (%s), unique %q; want (id), [email]", users.primaryKey, users.uniques)
			}
			// Not users_email_key (PostgreSQL's) nor sqlite_autoindex_users_1.
			if !maps.Equal(users.indexes, map[string]bool{"users_agency": false}) {
				t.Errorf("users' indexes read as %v, want users_agency only", users.indexes)
			}
			if pk := before["child_siblings"].primaryKey; pk != "child_id,sibling_id" {
				t.Errorf("child_siblings' primary key read as (%s)", pk)
			}
			if u, ok := before["involvements"].indexes["involvements_source"]; !ok || !u || len(before["involvements"].indexes) != 3 {
				t.Errorf("involvements' indexes read as %v, want three with involvements_source unique", before["involvements"].indexes)
			}
			for name, tb := range before {
				for idx := range tb.indexes {
					if strings.HasPrefix(idx, "sqlite_autoindex_") || strings.HasSuffix(idx, "_pkey") {
						t.Errorf("a constraint's own index %s on %s read", idx, name)
					}
				}
			}
			if diffs := schemaDiff("a", before, "b", before); len(diffs) != 0 {
				t.Errorf("a schema differs from itself: %v", diffs)
			}

			ctx := context.Background()
			for _, q := range []string{
				`CREATE TABLE parity_extra (id TEXT PRIMARY KEY)`,
				`ALTER TABLE children ADD COLUMN parity_extra TEXT`,
				`CREATE INDEX parity_extra_idx ON users (name)`,
			} {
				if _, err := s.DB().ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			after := readSchema(t, s)
			// Nullability, keys and uniqueness cannot be changed in place on
			// SQLite: change what was read.
			after["users"].columns["name"] = new(true)
			after["users"].primaryKey = "id,email"
			after["users"].uniques = nil
			after["involvements"].indexes["involvements_source"] = false
			got := schemaDiff("before", before, "after", after)
			want := []string{
				"table parity_extra is only in after",
				"column children.parity_extra is only in after",
				"index involvements_source on involvements: unique in before true, in after false",
				"table users: primary key (id) in before, (id,email) in after",
				`table users: UNIQUE constraints ["email"] in before, [] in after`,
				"column users.name: nullable in before false, in after true",
				"index parity_extra_idx on users is only in after",
			}
			if !slices.Equal(got, want) {
				t.Errorf("differences found:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}
