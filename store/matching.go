package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"lantern"
	"lantern/match"
)

// Match is a child's record that may be the child being looked for.
type Match struct {
	Child   *lantern.Child `json:"child"`
	Score   float64        `json:"score"`
	Reasons []string       `json:"reasons"`
}

// DefaultMatchLimit is how many possible matches FindMatches returns when
// no limit is given; MaxMatchLimit is the most it ever returns.
const (
	DefaultMatchLimit = 10
	MaxMatchLimit     = 50
)

// FindMatches finds the children, among those the caller may see, who may
// be the child described by q: names spelled differently, and dates of birth
// the same, near, or mistyped. They are sorted best first, at most limit
// (DefaultMatchLimit when limit <= 0). The names shown are audited as a read
// ("child.match"). A query with no date of birth, or no name, finds nothing.
// Nothing is merged: matches are only shown.
//
// Candidates are read with indexed selects, joined by UNION:
//   - born within match.DOBWindowDays (children_dob), whatever the name;
//   - with the same family key, born within match.KeyDOBWindowDays
//     (children_family_key);
//   - born on the date with day and month swapped (children_dob);
//   - with an other name keyed as the given or family name, born within
//     match.KeyDOBWindowDays (child_names_key);
//
// each with the access rule and merged_into IS NULL, and every candidate's
// other names in the same statement. match.Matcher scores them in Go.
func (s *Store) FindMatches(ctx context.Context, q match.Query, limit int) ([]Match, error) {
	if limit <= 0 {
		limit = DefaultMatchLimit
	}
	limit = min(limit, MaxMatchLimit)
	if q.DateOfBirth.IsZero() || strings.TrimSpace(q.GivenName) == "" && strings.TrimSpace(q.FamilyName) == "" {
		return nil, nil
	}
	var args []any
	visible, ok := childVisible(ctx, &args)
	if !ok {
		return nil, nil
	}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	dob := q.DateOfBirth
	const cols = `SELECT c.id, c.given_name, c.family_name, c.date_of_birth FROM `
	where := ` c.merged_into IS NULL AND ` + visible + ` AND `
	near := arg(addDays(dob, -match.DOBWindowDays)) + ` AND ` + arg(addDays(dob, match.DOBWindowDays))
	branches := []string{cols + `children c WHERE` + where + `c.date_of_birth BETWEEN ` + near}
	var wide string // the wide window, for keyed names
	wideWindow := func() string {
		if wide == "" {
			wide = arg(addDays(dob, -match.KeyDOBWindowDays)) + ` AND ` + arg(addDays(dob, match.KeyDOBWindowDays))
		}
		return wide
	}
	familyKey, givenKey := match.FamilyKey(q.FamilyName), match.GivenKey(q.GivenName)
	if familyKey != "" {
		branches = append(branches, cols+`children c WHERE`+where+`c.family_key = `+arg(familyKey)+
			` AND c.date_of_birth BETWEEN `+wideWindow())
	}
	if sw, ok := swapDayMonth(dob); ok && daysBetween(dob, sw) > match.DOBWindowDays {
		branches = append(branches, cols+`children c WHERE`+where+`c.date_of_birth = `+arg(sw))
	}
	var keys []string // placeholders
	for i, k := range []string{givenKey, familyKey} {
		if k != "" && (i == 0 || k != givenKey) {
			keys = append(keys, arg(k))
		}
	}
	if len(keys) > 0 {
		branches = append(branches, cols+`child_names n JOIN children c ON c.id = n.child_id WHERE`+where+
			`n.name_key IN (`+strings.Join(keys, ", ")+`) AND c.date_of_birth BETWEEN `+wideWindow())
	}
	query := `SELECT m.id, m.given_name, m.family_name, m.date_of_birth, o.name FROM (` +
		strings.Join(branches, "\nUNION\n") + `) m LEFT JOIN child_names o ON o.child_id = m.id`
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal("match candidates", err)
	}
	defer rows.Close()
	byID := map[string]*match.Candidate{}
	var order []*match.Candidate
	for rows.Next() {
		var c match.Candidate
		var other *string
		if err := rows.Scan(&c.ID, &c.GivenName, &c.FamilyName, &c.DateOfBirth, &other); err != nil {
			return nil, internal("scan match candidate", err)
		}
		p := byID[c.ID]
		if p == nil {
			p = &c
			byID[c.ID] = p
			order = append(order, p)
		}
		if other != nil {
			p.OtherNames = append(p.OtherNames, *other)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, internal("match candidates", err)
	}
	rows.Close()

	type scored struct {
		c       *match.Candidate
		score   float64
		reasons []string
	}
	m := match.NewMatcher(q)
	var found []scored
	for _, c := range order {
		if score, reasons, ok := m.Score(*c); ok {
			found = append(found, scored{c, score, reasons})
		}
	}
	slices.SortFunc(found, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score),
			cmp.Compare(strings.ToLower(a.c.FamilyName), strings.ToLower(b.c.FamilyName)),
			cmp.Compare(strings.ToLower(a.c.GivenName), strings.ToLower(b.c.GivenName)),
			cmp.Compare(a.c.ID, b.c.ID))
	})
	if len(found) > limit {
		found = found[:limit]
	}
	if len(found) == 0 {
		return nil, nil
	}

	// The whole records of the matches, read again through the access rule.
	args = args[:0]
	visible, _ = childVisible(ctx, &args)
	ph := make([]string, len(found))
	for i, f := range found {
		ph[i] = arg(f.c.ID)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT `+childCols+` FROM children c WHERE c.id IN (`+strings.Join(ph, ", ")+
		`) AND c.merged_into IS NULL AND `+visible, args...)
	if err != nil {
		return nil, internal("read matches", err)
	}
	defer rows.Close()
	children := map[string]*lantern.Child{}
	var cs []*lantern.Child
	for rows.Next() {
		c, err := scanChild(rows)
		if err != nil {
			return nil, internal("scan match", err)
		}
		children[c.ID] = c
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read matches", err)
	}
	rows.Close()
	if err := s.loadAgencies(ctx, cs); err != nil {
		return nil, err
	}
	out := make([]Match, 0, len(found))
	ids := make([]string, 0, len(found))
	for _, f := range found {
		if c := children[f.c.ID]; c != nil { // gone, or merged, since the first read
			out = append(out, Match{Child: c, Score: f.score, Reasons: f.reasons})
			ids = append(ids, c.ID)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	if err := s.audited(ctx, auditEntry{Action: "child.match", Entity: "child", Detail: "ids=" + strings.Join(ids, ",")}); err != nil {
		return nil, err
	}
	return out, nil
}

func addDays(d lantern.Date, n int) lantern.Date { return lantern.DateOf(d.Time().AddDate(0, 0, n)) }

// daysBetween is the number of days from a to b, either way.
func daysBetween(a, b lantern.Date) int {
	ta, tb := a.Time(), b.Time()
	if tb.Before(ta) {
		ta, tb = tb, ta
	}
	return int((tb.Sub(ta).Hours() + 12) / 24) // DST makes some days 23 or 25 hours
}

// swapDayMonth is d with its day and month swapped (4 March for 3 April),
// when that is another real date.
func swapDayMonth(d lantern.Date) (lantern.Date, bool) {
	if d.Day > 12 || d.Day == int(d.Month) {
		return lantern.Date{}, false
	}
	sw, err := lantern.ParseDate(fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Day, int(d.Month)))
	return sw, err == nil
}

// RefreshMatchKeys fills in the phonetic keys of children's names and other
// names (children.given_key and family_key, child_names.name_key) where they
// are empty, or everywhere when all is set (after the key algorithm
// changes). It returns how many rows it changed. Only the operator or an
// administrator may. It works in batches, so that a large database is not
// locked for long.
func (s *Store) RefreshMatchKeys(ctx context.Context, all bool) (int, error) {
	if err := mustAdminister(ctx); err != nil {
		return 0, err
	}
	n := 0
	for _, t := range []struct {
		table, cols, empty string
		keys               func(names []string) []string
	}{
		{"children", "given_name, family_name, given_key, family_key", "given_key = '' OR family_key = ''",
			func(ns []string) []string { return []string{match.GivenKey(ns[0]), match.FamilyKey(ns[1])} }},
		{"child_names", "name, name_key", "name_key = ''",
			func(ns []string) []string { return []string{match.NameKey(ns[0])} }},
	} {
		cond := t.empty
		if all {
			cond = "1 = 1"
		}
		set := "given_key = $1, family_key = $2 WHERE id = $3"
		if t.table == "child_names" {
			set = "name_key = $1 WHERE id = $2"
		}
		after := ""
		for done := false; !done; {
			err := s.write(ctx, func(tx *tx) error {
				rows, err := tx.QueryContext(ctx, `SELECT id, `+t.cols+` FROM `+t.table+` WHERE (`+cond+`) AND id > $1 ORDER BY id LIMIT 1000`, after)
				if err != nil {
					return internal("read names to key", err)
				}
				var batch [][]string
				for rows.Next() {
					r := make([]string, strings.Count(t.cols, ",")+2)
					dest := make([]any, len(r))
					for i := range r {
						dest[i] = &r[i]
					}
					if err := rows.Scan(dest...); err != nil {
						rows.Close()
						return internal("read names to key", err)
					}
					batch = append(batch, r)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return internal("read names to key", err)
				}
				done = len(batch) < 1000
				changed := 0
				for _, r := range batch {
					after = r[0]
					names, old := r[1:1+(len(r)-1)/2], r[1+(len(r)-1)/2:]
					keys := t.keys(names)
					if slices.Equal(keys, old) {
						continue
					}
					args := append(make([]any, 0, len(keys)+1), anySlice(keys)...)
					if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET `+set, append(args, r[0])...); err != nil {
						return internal("key names", err)
					}
					changed++
				}
				if changed > 0 {
					tx.audit(auditEntry{Action: "child.match_keys", Entity: "child", Detail: fmt.Sprintf("%s=%d", t.table, changed)})
				}
				n += changed
				return nil
			})
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
