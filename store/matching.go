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
// (DefaultMatchLimit when limit <= 0, never more than MaxMatchLimit). The
// names shown are audited as a read ("child.match"). A query with no date
// of birth, or no name, finds nothing. Nothing is merged: matches are only
// shown.
//
// Candidates are read with indexed selects joined by UNION, each with the
// access rule and merged_into IS NULL:
//   - born within match.AnyNameDOBDays, or on the date with day and month
//     swapped, whatever the names (children_dob);
//   - with the query's family key, born in match.DOBRanges: near, the same
//     month, the same day in another month, or a year either side
//     (children_family_key);
//   - the same with the given name's key as the family key, for names
//     entered the wrong way round (children_family_key);
//   - with an other name keyed like the query's whole name (match.PairKey)
//     or its family name (match.FamilyKey), born in match.DOBRanges
//     (child_names_key);
//
// with every candidate's other names in the same statement. match.Matcher
// scores them in Go.
func (s *Store) FindMatches(ctx context.Context, q match.Query, limit int) ([]Match, error) {
	if limit <= 0 {
		limit = DefaultMatchLimit
	}
	limit = min(limit, MaxMatchLimit)
	if q.DateOfBirth.IsZero() || strings.TrimSpace(q.GivenName) == "" && strings.TrimSpace(q.FamilyName) == "" {
		return nil, nil
	}
	var args []any
	visible, ok := s.childVisible(ctx, &args)
	if !ok {
		return nil, nil
	}
	found, err := s.scoreCandidates(ctx, s.db, q, args, visible)
	if err != nil {
		return nil, err
	}
	if len(found) > limit {
		found = found[:limit]
	}
	if len(found) == 0 {
		return nil, nil
	}

	// The whole records of the matches, read again through the access rule.
	args = args[:0]
	visible, _ = s.childVisible(ctx, &args)
	foundIDs := make([]string, len(found))
	for i, f := range found {
		foundIDs[i] = f.c.ID
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+childCols+` FROM children c WHERE c.id IN (`+inList(&args, foundIDs)+
		`) AND c.merged_into IS NULL AND `+visible, args...)
	if err != nil {
		return nil, internal("read matches", err)
	}
	defer rows.Close()
	children := map[string]*lantern.Child{}
	var cs []*lantern.Child
	for rows.Next() {
		c, err := s.scanChild(ctx, rows)
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
	if err := s.auditedChildren(ctx, auditEntry{Action: "child.match", Entity: "child"}, ids); err != nil {
		return nil, err
	}
	return out, nil
}

// scoredMatch is a candidate scored against a query.
type scoredMatch struct {
	c       *match.Candidate
	score   float64
	reasons []string
}

// scoreCandidates reads the candidates for q among the children visible
// (a condition on children c, whose parameters are args), through q, and
// returns those match.Matcher accepts, best first. FindMatches passes the
// caller's access rule; recording possible duplicates, every record.
func (s *Store) scoreCandidates(ctx context.Context, db querier, q match.Query, args []any, visible string) ([]scoredMatch, error) {
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	// dobConds turns date ranges into conditions: one per range, and one IN
	// for the single dates.
	dobConds := func(rs []match.DateRange) []string {
		var conds, singles []string
		for _, r := range rs {
			if r.From == r.To {
				singles = append(singles, arg(r.From))
			} else {
				conds = append(conds, `c.date_of_birth BETWEEN `+arg(r.From)+` AND `+arg(r.To))
			}
		}
		if len(singles) > 0 {
			conds = append(conds, `c.date_of_birth IN (`+strings.Join(singles, ", ")+`)`)
		}
		return conds
	}
	const cols = `SELECT c.id, c.given_name, c.family_name, c.date_of_birth FROM `
	from := cols + `children c WHERE ` + s.d.unindexed("c.merged_into") + ` IS NULL AND ` + visible + ` AND `
	var branches []string
	for _, cond := range dobConds(match.AnyNameDOBRanges(q.DateOfBirth)) {
		branches = append(branches, from+cond)
	}
	keyed := dobConds(match.DOBRanges(q.DateOfBirth))
	familyKey := match.FamilyKey(q.FamilyName)
	var familyKeys []string
	for _, k := range []string{familyKey, match.FamilyKey(q.GivenName)} {
		if k != "" && !slices.Contains(familyKeys, k) {
			familyKeys = append(familyKeys, k)
		}
	}
	for _, k := range familyKeys {
		ph := arg(k)
		for _, cond := range keyed {
			branches = append(branches, from+`c.family_key = `+ph+` AND `+cond)
		}
	}
	var nameKeys []string // placeholders
	for _, k := range []string{match.PairKey(q.GivenName, q.FamilyName), familyKey} {
		if k != "" {
			nameKeys = append(nameKeys, arg(k))
		}
	}
	if len(nameKeys) > 0 {
		branches = append(branches, cols+`child_names n JOIN children c ON c.id = n.child_id WHERE `+s.d.unindexed("c.merged_into")+` IS NULL AND `+
			visible+` AND n.name_key IN (`+strings.Join(nameKeys, ", ")+`) AND (`+strings.Join(keyed, " OR ")+`)`)
	}
	query := `SELECT m.id, m.given_name, m.family_name, m.date_of_birth, o.name FROM (` +
		strings.Join(branches, "\nUNION\n") + `) m LEFT JOIN child_names o ON o.child_id = m.id`
	rows, err := db.QueryContext(ctx, query, args...)
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

	m := match.NewMatcher(q)
	var found []scoredMatch
	for _, c := range order {
		if score, reasons, ok := m.Score(*c); ok {
			found = append(found, scoredMatch{c, score, reasons})
		}
	}
	slices.SortFunc(found, func(a, b scoredMatch) int {
		return cmp.Or(cmp.Compare(b.score, a.score),
			cmp.Compare(strings.ToLower(a.c.FamilyName), strings.ToLower(b.c.FamilyName)),
			cmp.Compare(strings.ToLower(a.c.GivenName), strings.ToLower(b.c.GivenName)),
			cmp.Compare(a.c.ID, b.c.ID))
	})
	return found, nil
}

// RefreshMatchKeys fills in the phonetic keys of children's names and other
// names (children.given_key and family_key, child_names.name_key), and the
// names as match.Normalise makes them (given_norm, family_norm, name_norm:
// the children list searches and sorts by them), where they are empty, or everywhere when all is set (after the key algorithm
// changes). It returns how many rows it changed. Only the operator or an
// administrator may. It works in batches, so that a large database is not
// locked for long.
func (s *Store) RefreshMatchKeys(ctx context.Context, all bool) (int, error) {
	if err := mustAdminister(ctx); err != nil {
		return 0, err
	}
	// At every start-up only the missing keys are wanted, and there are
	// almost never any: ask the indexes first, rather than walk every
	// record in write transactions to find none. (Keys are set together;
	// a given key alone can be empty only for a name with no letters.)
	if !all {
		var missing bool
		if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM children WHERE family_key = '' OR family_norm = '')
			OR EXISTS (SELECT 1 FROM child_names WHERE name_key = '' OR name_norm = '')`).Scan(&missing); err != nil {
			return 0, internal("missing match keys", err)
		}
		if !missing {
			return 0, nil
		}
	}
	n := 0
	for _, step := range []struct {
		what, query string
		update      func(ctx context.Context, tx *tx, r []string) (bool, error)
	}{
		{"children", `SELECT c.id, c.given_name, c.family_name, c.given_key, c.family_key, c.given_norm, c.family_norm FROM children c
			WHERE (c.given_key = '' OR c.family_key = '' OR c.family_norm = '' OR $1) AND c.id > $2 ORDER BY c.id LIMIT 1000`,
			func(ctx context.Context, tx *tx, r []string) (bool, error) {
				gk, fk := match.GivenKey(r[1]), match.FamilyKey(r[2])
				gn, fn := match.Normalise(r[1]), match.Normalise(r[2])
				if gk == r[3] && fk == r[4] && gn == r[5] && fn == r[6] {
					return false, nil
				}
				_, err := tx.ExecContext(ctx, `UPDATE children SET given_key = $1, family_key = $2, given_norm = $3, family_norm = $4 WHERE id = $5`,
					gk, fk, gn, fn, r[0])
				return true, err
			}},
		{"other names", `SELECT n.id, n.name, n.name_key, n.name_norm FROM child_names n
			WHERE (n.name_key = '' OR n.name_norm = '' OR $1) AND n.id > $2 ORDER BY n.id LIMIT 1000`,
			func(ctx context.Context, tx *tx, r []string) (bool, error) {
				k, nn := match.NameKey(r[1]), match.Normalise(r[1])
				if k == r[2] && nn == r[3] {
					return false, nil
				}
				_, err := tx.ExecContext(ctx, `UPDATE child_names SET name_key = $1, name_norm = $2 WHERE id = $3`, k, nn, r[0])
				return true, err
			}},
	} {
		for after, done := "", false; !done; {
			err := s.write(ctx, func(tx *tx) error {
				rs, err := stringRows(ctx, tx, step.query, all, after)
				if err != nil {
					return internal("read "+step.what+" to key", err)
				}
				done = len(rs) < 1000
				changed := 0
				for _, r := range rs {
					after = r[0]
					ok, err := step.update(ctx, tx, r)
					if err != nil {
						return internal("key "+step.what, err)
					}
					if ok {
						changed++
					}
				}
				if changed > 0 {
					tx.audit(auditEntry{Action: "child.match_keys", Entity: "child", Detail: fmt.Sprintf("%s=%d", strings.ReplaceAll(step.what, " ", "_"), changed)})
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

// stringRows reads a whole result of text columns.
func stringRows(ctx context.Context, q querier, query string, args ...any) ([][]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]string
	for rows.Next() {
		r := make([]string, len(cols))
		dest := make([]any, len(r))
		for i := range r {
			dest[i] = &r[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
