package store_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"lantern/store"
	"lantern/store/storetest"
)

// childColumns reads from the schema every column that holds a child's id:
// one named child_id or sibling_id, or a foreign key to children (id). It
// returns them by table, sorted.
func childColumns(t *testing.T, s *store.Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	var q string
	switch s.Dialect() {
	case "sqlite":
		q = `SELECT t.name, c.name FROM pragma_table_list t JOIN pragma_table_info(t.name) c
			WHERE t.schema = 'main' AND t.type = 'table' AND c.name IN ('child_id', 'sibling_id')
			UNION
			SELECT t.name, f."from" FROM pragma_table_list t JOIN pragma_foreign_key_list(t.name) f
			WHERE t.schema = 'main' AND t.type = 'table' AND f."table" = 'children' AND COALESCE(f."to", 'id') = 'id'`
	case "postgres":
		q = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND column_name IN ('child_id', 'sibling_id')
			UNION
			SELECT t.relname, a.attname FROM pg_constraint c
			JOIN pg_class t ON t.oid = c.conrelid
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
			WHERE c.contype = 'f' AND c.confrelid = to_regclass('children') AND t.relnamespace = current_schema()::regnamespace`
	default:
		t.Fatalf("no reader for %s", s.Dialect())
	}
	rows, err := s.DB().QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("read the %s schema: %v", s.Dialect(), err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(out[table], col) {
			out[table] = append(out[table], col)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, cols := range out {
		slices.Sort(cols)
	}
	return out
}

// mergeListGaps says how MergeChildren's list of tables differs from the
// tables the schema says hold a child's id.
func mergeListGaps(list []store.MergeTable, schema map[string][]string) []string {
	var gaps []string
	listed := map[string][]string{}
	for _, m := range list {
		if _, dup := listed[m.Table]; dup {
			gaps = append(gaps, fmt.Sprintf("%s is listed twice", m.Table))
		}
		listed[m.Table] = slices.Sorted(slices.Values(m.Columns))
	}
	for _, table := range slices.Sorted(maps.Keys(schema)) {
		cols, ok := listed[table]
		switch {
		case !ok:
			gaps = append(gaps, fmt.Sprintf("%s (%s) holds a child's id and is not in the list: say whether merging moves, copies or leaves it",
				table, strings.Join(schema[table], ", ")))
		case !slices.Equal(cols, schema[table]):
			gaps = append(gaps, fmt.Sprintf("%s: the list names columns %v, the schema has %v", table, cols, schema[table]))
		}
	}
	for _, table := range slices.Sorted(maps.Keys(listed)) {
		if _, ok := schema[table]; !ok {
			gaps = append(gaps, fmt.Sprintf("%s is in the list but holds no child's id in the schema", table))
		}
	}
	return gaps
}

// Every table that holds a child's id is in MergeChildren's list, so a new
// one cannot be forgotten when two records are merged.
func TestMergeCoversEveryChildTable(t *testing.T) {
	list := store.MergeTables()
	for _, m := range list {
		switch {
		case m.How == "unknown":
			t.Errorf("%s: merging does not know how to handle it", m.Table)
		case m.How != "move" && m.Why == "":
			t.Errorf("%s: %s needs its reason", m.Table, m.How)
		case m.How == "leave" && m.Statements != 0, m.How != "leave" && m.Statements == 0:
			t.Errorf("%s: %s, and merging runs %d statements on it", m.Table, m.How, m.Statements)
		case m.How == "move-unless-duplicate" && len(m.Columns) != 1:
			t.Errorf("%s: move-unless-duplicate moves one column, not %v", m.Table, m.Columns)
		}
	}
	for _, want := range []struct{ table, how string }{{"involvements", "copy"}, {"audit_log", "leave"}} {
		if i := slices.IndexFunc(list, func(m store.MergeTable) bool { return m.Table == want.table }); i < 0 || list[i].How != want.how {
			t.Errorf("%s must be in the list as %s", want.table, want.how)
		}
	}

	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			s := migratedStore(t, d)
			schema := childColumns(t, s)
			for _, want := range []string{"concerns", "child_siblings", "children", "audit_log"} {
				if len(schema[want]) == 0 {
					t.Fatalf("the schema read has no %s; read %v", want, schema)
				}
			}
			if gaps := mergeListGaps(list, schema); len(gaps) > 0 {
				t.Errorf("store/merge.go's mergeTables does not match the schema:\n\t%s", strings.Join(gaps, "\n\t"))
			}

			// The check sees a new table, by either sign.
			for _, q := range []string{
				`CREATE TABLE merge_probe_fk (id TEXT PRIMARY KEY, about TEXT REFERENCES children (id))`,
				`CREATE TABLE merge_probe_name (id TEXT PRIMARY KEY, child_id TEXT NOT NULL DEFAULT '')`,
				`ALTER TABLE concerns ADD COLUMN sibling_id TEXT`,
			} {
				if _, err := s.DB().ExecContext(context.Background(), q); err != nil {
					t.Fatal(err)
				}
			}
			got := mergeListGaps(list, childColumns(t, s))
			want := []string{
				"concerns: the list names columns [child_id], the schema has [child_id sibling_id]",
				"merge_probe_fk (about) holds a child's id and is not in the list: say whether merging moves, copies or leaves it",
				"merge_probe_name (child_id) holds a child's id and is not in the list: say whether merging moves, copies or leaves it",
			}
			if !slices.Equal(got, want) {
				t.Errorf("with new tables, found:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}
