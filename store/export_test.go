package store

import (
	"context"

	"lantern"
	"lantern/figures"

	"lantern/password"
)

// HashGate is the store's bound on password hashes run at once, for tests
// to fill.
func (s *Store) HashGate() *password.Gate { return s.hashes }

// MergeTable is what MergeChildren declares it does with one table.
type MergeTable struct {
	Table, How, Why string
	Columns         []string
	// Statements is how many statements it runs on the table.
	Statements int
}

// MergeTables is MergeChildren's list of the tables holding a child's id.
func MergeTables() []MergeTable {
	names := map[mergeHow]string{mergeMove: "move", mergeMoveUnlessDuplicate: "move-unless-duplicate",
		mergeCopy: "copy", mergeCopySet: "copy-set", mergeLeave: "leave"}
	var out []MergeTable
	for _, m := range mergeTables {
		how, ok := names[m.how]
		if !ok {
			how = "unknown"
		}
		out = append(out, MergeTable{Table: m.table, How: how, Why: m.why, Columns: m.columns, Statements: len(m.statements())})
	}
	return out
}

// OpenValue opens a stored value of a sealed column, as a read does.
func (s *Store) OpenValue(table, column, row, v string) (string, error) {
	return s.open(context.Background(), table, column, row, v)
}

// DatasetChildren is DatasetFacts keeping the facts of every child open in
// the period, as the trend's reader is compared with them.
func (s *Store) DatasetChildren(ctx context.Context, from, to lantern.Date, area *string) ([]figures.ChildFacts, error) {
	f, err := (&factsQuery{s: s, from: from, to: to, area: area, keep: true}).read(ctx)
	if err != nil {
		return nil, err
	}
	return f.Children, nil
}
