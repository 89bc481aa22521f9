package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3/database"
)

// Every difference between SQLite and PostgreSQL is in this file, apart from
// the two sets of migrations. SQL elsewhere is written once, with $1-style
// parameters, which both drivers bind by position.

type dialect int

const (
	sqlite dialect = iota
	postgres
)

func (d dialect) String() string {
	if d == postgres {
		return "postgres"
	}
	return "sqlite"
}

func (d dialect) goose() database.Dialect {
	if d == postgres {
		return database.DialectPostgres
	}
	return database.DialectSQLite3
}

// forUpdate locks the rows read in a transaction. SQLite needs none: its
// write transactions are already exclusive (BEGIN IMMEDIATE).
func (d dialect) forUpdate() string {
	if d == postgres {
		// NO KEY: a row locked to change it must not block another
		// transaction's foreign key check on it (a KEY SHARE lock): two
		// changes of children that each recorded the other as a possible
		// duplicate deadlocked on just that. Nothing locks a row to change
		// its key.
		return " FOR NO KEY UPDATE"
	}
	return ""
}

// lockKeys takes, for the rest of a write transaction, a lock on each key,
// across replicas. PostgreSQL takes advisory locks (in one order, so two
// transactions never deadlock); SQLite needs none, its write transactions
// being exclusive already.
func (d dialect) lockKeys(ctx context.Context, tx *tx, keys ...string) error {
	if d != postgres {
		return nil
	}
	keys = slices.Sorted(slices.Values(keys))
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, k); err != nil {
			return err
		}
	}
	return nil
}

// ilike is a case-insensitive LIKE.
func (d dialect) ilike() string {
	if d == postgres {
		return "ILIKE"
	}
	return "LIKE" // SQLite's LIKE is case-insensitive for ASCII
}

// vrmPattern is a condition matching a column of normalised registrations
// against a pattern with ? for each unknown character (held registrations
// hold only letters, digits and ?). PostgreSQL's LIKE wants _ for one
// character; SQLite's GLOB takes ? as it is, and both use an index for the
// pattern's known start.
func (d dialect) vrmPattern(col, param string) string {
	if d == postgres {
		return col + " LIKE " + param
	}
	return col + " GLOB " + param
}

// vrmPatternArg is the pattern as vrmPattern's parameter.
func (d dialect) vrmPatternArg(pattern string) string {
	if d == postgres {
		return strings.ReplaceAll(pattern, "?", "_")
	}
	return pattern
}

// linkDay is an intelligence link's day as days since 1970: the day it was
// first seen, or, with no date, the day (UTC) it was recorded; as
// dayNumber works it out in Go.
func (d dialect) linkDay() string {
	if d == postgres {
		return `(COALESCE(observed_from, (recorded_at AT TIME ZONE 'UTC')::date) - DATE '1970-01-01')`
	}
	return `CAST(julianday(COALESCE(observed_from, substr(recorded_at, 1, 10))) - 2440587.5 AS INTEGER)`
}

// joinInOrder is a join that SQLite's planner keeps in the order written
// (its CROSS JOIN): a query that starts from a few children and looks up
// their records by index is not turned round to scan a whole table.
// PostgreSQL's planner has the statistics to choose for itself.
func (d dialect) joinInOrder() string {
	if d == postgres {
		return "JOIN"
	}
	return "CROSS JOIN"
}

// indexedBy names the index SQLite is to read a table by (written after
// the table and its alias): a scan in the index's order, where the planner
// would search another index and sort what it found. PostgreSQL chooses.
func (d dialect) indexedBy(index string) string {
	if d == postgres {
		return ""
	}
	return " INDEXED BY " + index
}

// groupConcat joins a column's values, in order, with commas.
func (d dialect) groupConcat(expr, orderBy string) string {
	if d == postgres {
		return "string_agg(" + expr + ", ',' ORDER BY " + orderBy + ")"
	}
	return "group_concat(" + expr + ", ',' ORDER BY " + orderBy + ")"
}

// values is the VALUES list of a multi-row INSERT: rows of cols parameters,
// in order. SQLite gets anonymous "?" parameters: the driver looks a numbered
// one up by name at every bind, in a list as long as the statement's, so a
// batch of hundreds of them cost time with the square of their number.
func (d dialect) values(rows, cols int) string {
	var b strings.Builder
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			if d == postgres {
				b.WriteString("$" + strconv.Itoa(i*cols+j+1))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// unindexed is a column in a term that should not choose the index: SQLite
// with no statistics takes "merged_into IS NULL" (true of almost every
// child) for as narrow as a date of birth, and walked every child to find
// a duplicate. A unary plus stops it; PostgreSQL keeps statistics.
func (d dialect) unindexed(col string) string {
	if d == sqlite {
		return "+" + col
	}
	return col
}

// inList appends values to args and returns their parameters, for an IN
// list: "$3, $4, $5".
func inList[T any](args *[]any, values []T) string {
	ph := make([]string, len(values))
	for i, v := range values {
		*args = append(*args, v)
		ph[i] = "$" + strconv.Itoa(len(*args))
	}
	return strings.Join(ph, ", ")
}

// tsFormat is fixed-width, so SQLite's text timestamps sort as times do.
const tsFormat = "2006-01-02T15:04:05.000000Z"

// ts prepares a time for storing: UTC, to the microsecond.
func (d dialect) ts(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if d == postgres {
		return t
	}
	return t.Format(tsFormat)
}

// nts is ts for an optional time.
func (d dialect) nts(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return d.ts(*t)
}

// timeScan reads a timestamp column in either dialect into a time.Time.
type timeScan struct{ t *time.Time }

func (s timeScan) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*s.t = v.UTC()
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	case nil:
		*s.t = time.Time{}
	default:
		return fmt.Errorf("timestamp: cannot scan %T", src)
	}
	return nil
}

func (s timeScan) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	*s.t = t.UTC()
	return nil
}

// ntimeScan reads an optional timestamp.
type ntimeScan struct{ t **time.Time }

func (s ntimeScan) Scan(src any) error {
	if src == nil {
		*s.t = nil
		return nil
	}
	var t time.Time
	if err := (timeScan{&t}).Scan(src); err != nil {
		return err
	}
	*s.t = &t
	return nil
}

var _, _ sql.Scanner = timeScan{}, ntimeScan{}

// isUniqueViolation reports whether err is a unique index's refusal, in
// either dialect (SQLite's message, PostgreSQL's SQLSTATE 23505).
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "(SQLSTATE 23505)") || strings.Contains(msg, "duplicate key value")
}
