package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"lantern"
	"lantern/match"
)

// The children list (docs/api.md, "Children"): a search by name, other name
// or date of birth, filters by the latest level, looked after, missing now
// and allocated worker, and an order. Every part is answered through an
// index: the search finds its candidates by the normalised names
// (given_norm, family_norm, child_names.name_norm, a prefix being a range),
// the phonetic keys and the date of birth, and only then checks the whole
// name; the level is kept on the child (setLatestLevel).

// maxSplitWords is the most words a search tries splitting into a given
// and a family name, either way round: longer searches are matched whole,
// which keeps the query bounded.
const maxSplitWords = 5

// FindChildren lists the children the caller may see, records merged into
// another left out, as the filter asks. The listing is audited with the ids
// it showed.
func (s *Store) FindChildren(ctx context.Context, f lantern.ChildFilter) ([]*lantern.ChildRow, int, error) {
	search, err := lantern.ParseChildSearch(f.Name)
	if err != nil {
		return nil, 0, err
	}
	if f.Sort == "" {
		f.Sort = lantern.SortName
	}
	if !f.Sort.Valid() {
		return nil, 0, lantern.Invalid(lantern.FieldError{Field: "sort", Message: "Choose a sort order this list knows"})
	}
	var args []any
	cond, ok := s.childVisible(ctx, &args)
	if !ok {
		return nil, 0, nil
	}
	conds := []string{cond, "c.merged_into IS NULL"}
	add := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if search.DOB != nil {
		conds = append(conds, "c.date_of_birth = "+add(*search.DOB))
	}
	if words := strings.Fields(match.Normalise(search.Text)); len(words) > 0 {
		conds = append(conds, nameSearch(words, add))
	} else if search.DOB == nil && strings.TrimSpace(search.Text) != "" {
		return nil, 0, nil // punctuation alone names no one
	}
	if len(f.Levels) > 0 {
		var ranks []string
		for _, l := range f.Levels {
			r := lantern.ChildLevelRank(l)
			if r < 0 {
				return nil, 0, lantern.Invalid(lantern.FieldError{Field: "level", Message: "Choose a level from none, vulnerable, emerging, medium and high"})
			}
			ranks = append(ranks, add(r))
		}
		conds = append(conds, "c.latest_level_rank IN ("+strings.Join(ranks, ", ")+")")
	}
	if f.LookedAfter != nil {
		conds = append(conds, "c.looked_after = "+add(*f.LookedAfter))
	}
	if f.MissingNow != nil {
		in := "IN"
		if !*f.MissingNow {
			in = "NOT IN"
		}
		conds = append(conds, "c.id "+in+" (SELECT me.child_id FROM missing_episodes me WHERE me.returned_at IS NULL)")
	}
	if f.WorkerID != "" {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE id = $1`, f.WorkerID).Scan(&n); err != nil {
			return nil, 0, internal("find worker", err)
		}
		if n == 0 {
			return nil, 0, lantern.Invalid(lantern.FieldError{Field: "worker", Message: "Choose a social worker who uses Lantern"})
		}
		conds = append(conds, "c.allocated_social_worker_id = "+add(f.WorkerID))
	}
	where := strings.Join(conds, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM children c WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, internal("count children", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	now := s.now()
	late := add(s.d.ts(now))
	page := ` ORDER BY ` + childOrder(f.Sort) + ` LIMIT ` + add(limit) + ` OFFSET ` + add(max(f.Offset, 0))
	var order []string // the page's ids in order, when the late sorts chose them
	if f.Sort == lantern.SortLate || f.Sort == lantern.SortLateDesc {
		if order, err = s.lateOrder(ctx, where, args[:len(args)-2], late, f.Sort == lantern.SortLateDesc, limit, max(f.Offset, 0), total); err != nil {
			return nil, 0, err
		}
		if len(order) == 0 {
			return []*lantern.ChildRow{}, total, nil
		}
		args = args[:len(args)-2]
		page = ` AND c.id IN (` + inList(&args, order) + `)`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+childCols+`, c.latest_level, c.latest_level_on, COALESCE(u.name, ''),
		EXISTS (SELECT 1 FROM missing_episodes me WHERE me.child_id = c.id AND me.returned_at IS NULL),
		(SELECT count(*) FROM tasks t WHERE t.child_id = c.id AND t.status = 'open' AND t.due_at < `+late+`) AS late
		FROM children c LEFT JOIN users u ON u.id = c.allocated_social_worker_id
		WHERE `+where+page, args...)
	if err != nil {
		return nil, 0, internal("list children", err)
	}
	defer rows.Close()
	today := lantern.Today(now)
	var out []*lantern.ChildRow
	var cs []*lantern.Child
	var ids []string
	for rows.Next() {
		r := &lantern.ChildRow{}
		var level string
		var on lantern.Date
		c, err := s.scanChild(ctx, rows, &level, &on, &r.AllocatedWorkerName, &r.MissingNow, &r.LateTasks)
		if err != nil {
			return nil, 0, internal("scan child", err)
		}
		r.Child, r.Age = c, lantern.AgeOn(c.DateOfBirth, today)
		if level != "" {
			r.LatestLevel, r.LatestLevelOn = &level, &on
		}
		out = append(out, r)
		cs = append(cs, c)
		ids = append(ids, c.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, internal("list children", err)
	}
	if order != nil {
		at := make(map[string]int, len(order))
		for i, id := range order {
			at[id] = i
		}
		slices.SortFunc(out, func(a, b *lantern.ChildRow) int { return at[a.ID] - at[b.ID] })
		slices.SortFunc(cs, func(a, b *lantern.Child) int { return at[a.ID] - at[b.ID] })
		for i, r := range out {
			ids[i] = r.ID
		}
	}
	if err := s.loadAgencies(ctx, cs); err != nil {
		return nil, 0, err
	}
	if len(ids) > 0 {
		if err := s.auditedChildren(ctx, auditEntry{Action: "child.list", Entity: "child"}, ids); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// lateOrder chooses a page of the late sorts without counting every
// child's late tasks: only children with a late task have a count, so they
// are read from the tasks that are late, and the rest follow (or, in
// ascending order, come first) by name, along the name index. args are the
// filter's, late the placeholder of now among them.
func (s *Store) lateOrder(ctx context.Context, where string, args []any, late string, desc bool, limit, offset, total int) ([]string, error) {
	lateKids := `(SELECT t.child_id, count(*) AS n FROM tasks t WHERE t.status = 'open' AND t.due_at < ` + late + ` GROUP BY t.child_id)`
	var withLate int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+lateKids+` lt JOIN children c ON c.id = lt.child_id WHERE `+where, args...).
		Scan(&withLate); err != nil {
		return nil, internal("count late children", err)
	}
	ids := func(q string, n, off int) ([]string, error) {
		a := append(slices.Clone(args), n, off)
		return collect(ctx, s.db, "late order", fmt.Sprintf(q+` LIMIT $%d OFFSET $%d`, len(a)-1, len(a)), func(r scanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		}, a...)
	}
	name := childOrder(lantern.SortName)
	lateFirst := func(n, off int) ([]string, error) {
		dir := ""
		if desc {
			dir = " DESC"
		}
		return ids(`SELECT c.id FROM `+lateKids+` lt JOIN children c ON c.id = lt.child_id WHERE `+where+` ORDER BY lt.n`+dir+`, `+name, n, off)
	}
	others := func(n, off int) ([]string, error) {
		return ids(`SELECT c.id FROM children c WHERE `+where+` AND c.id NOT IN (SELECT t.child_id FROM tasks t WHERE t.status = 'open'
			AND t.due_at < `+late+`) ORDER BY `+name, n, off)
	}
	first, second, split := lateFirst, others, withLate
	if !desc {
		first, second, split = others, lateFirst, total-withLate
	}
	var out []string
	if offset < split {
		got, err := first(limit, offset)
		if err != nil {
			return nil, err
		}
		out = got
	}
	if len(out) < limit {
		got, err := second(limit-len(out), max(offset-split, 0))
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// childOrder is the ORDER BY of a sort; the name, then the id, breaks ties
// so that pages do not overlap. The name, -level and age orders follow
// indexes (children_list_*); the others sort what the filters found.
func childOrder(sort lantern.ChildSort) string {
	name := "c.family_norm, c.given_norm, c.id"
	switch sort {
	case lantern.SortNameDesc:
		return "c.family_norm DESC, c.given_norm DESC, c.id DESC"
	case lantern.SortLevel:
		return "c.latest_level_rank, " + name
	case lantern.SortLevelDesc:
		return "c.latest_level_rank DESC, " + name
	case lantern.SortLevelDate:
		return "c.latest_level_on IS NULL, c.latest_level_on, " + name
	case lantern.SortLevelDateDesc:
		return "c.latest_level_on IS NULL, c.latest_level_on DESC, " + name
	// By age, ties (the same birthday) by id: the index's order.
	case lantern.SortAge: // youngest first: born latest
		return "c.date_of_birth DESC, c.id DESC"
	case lantern.SortAgeDesc:
		return "c.date_of_birth, c.id"
	case lantern.SortLate:
		return "late, " + name
	case lantern.SortLateDesc:
		return "late DESC, " + name
	}
	return name
}

// nameSearch is the condition finding a child by the words of a search
// (normalised, so "O'Brien" and "obrien" are alike): the whole search as
// the start of the given or the family name or as it sounds; or split into
// two, a given name and a family name in either order, each the start of
// the name or sounding like it; or another name on the record, in either
// order. The candidates come first, each by an index, so that the checks
// run on few records.
func nameSearch(words []string, add func(any) string) string {
	whole := strings.Join(words, " ")
	// The phrases a family name may be: the whole search, and each start
	// and end of it when it is split.
	type split struct{ a, b string }
	var splits []split
	if len(words) <= maxSplitWords {
		for i := 1; i < len(words); i++ {
			splits = append(splits, split{strings.Join(words[:i], " "), strings.Join(words[i:], " ")})
		}
	}
	prefix := func(col, p string) string {
		// Every name starting with p sorts from p up to p followed by the
		// last code point (byte order: COLLATE "C" on PostgreSQL).
		return fmt.Sprintf("(%s >= %s AND %s < %s)", col, add(p), col, add(p+"\U0010FFFF"))
	}
	is := func(given bool, p string) string {
		col, keyCol, key := "c.family_norm", "c.family_key", soundKey(match.FamilyKey, p)
		if given { // the given key is the first given name's
			col, keyCol, key = "c.given_norm", "c.given_key", ""
			if !strings.Contains(p, " ") {
				key = soundKey(match.GivenKey, p)
			}
		}
		if key == "" {
			return prefix(col, p)
		}
		return "(" + prefix(col, p) + " OR " + keyCol + " = " + add(key) + ")"
	}
	// The other names: the search as the start of one, or its key, with
	// the words in either order.
	orders := []string{whole}
	for _, sp := range splits {
		orders = append(orders, sp.b+" "+sp.a)
	}
	var other []string
	for _, o := range orders {
		t := prefix("n.name_norm", o)
		if k := soundKey(match.NameKey, o); k != "" {
			t = "(" + t + " OR n.name_key = " + add(k) + ")"
		}
		other = append(other, t)
	}

	// The candidates: by family name (the whole search or either part of a
	// split), by given name (the whole search), or by another name.
	var cands []string
	phrases := []string{whole}
	for _, sp := range splits {
		phrases = append(phrases, sp.a, sp.b)
	}
	seen := map[string]bool{}
	for _, p := range phrases {
		if seen[p] {
			continue
		}
		seen[p] = true
		// (merged records are left out, as the name index does)
		cands = append(cands, "SELECT id FROM children WHERE merged_into IS NULL AND "+prefix("family_norm", p))
		if k := soundKey(match.FamilyKey, p); k != "" {
			cands = append(cands, "SELECT id FROM children WHERE family_key = "+add(k))
		}
	}
	cands = append(cands, "SELECT id FROM children WHERE "+prefix("given_norm", whole))
	if k := soundKey(match.GivenKey, whole); k != "" && len(words) == 1 {
		cands = append(cands, "SELECT id FROM children WHERE given_key = "+add(k))
	}
	cands = append(cands, "SELECT n.child_id FROM child_names n WHERE "+strings.Join(other, " OR "))

	if len(words) == 1 {
		// One word: the candidates are exactly the children it finds.
		return "c.id IN (" + strings.Join(cands, " UNION ") + ")"
	}
	checks := []string{is(true, whole), is(false, whole)}
	for _, sp := range splits {
		checks = append(checks, "("+is(true, sp.a)+" AND "+is(false, sp.b)+")", "("+is(false, sp.a)+" AND "+is(true, sp.b)+")")
	}
	checks = append(checks, "EXISTS (SELECT 1 FROM child_names n WHERE n.child_id = c.id AND ("+strings.Join(other, " OR ")+"))")
	return "c.id IN (" + strings.Join(cands, " UNION ") + ") AND (" + strings.Join(checks, " OR ") + ")"
}

// soundKey is a phrase's phonetic key, or none for a single letter: "a"
// sounds like every name starting with a vowel, and is searched as a start.
func soundKey(key func(string) string, p string) string {
	if len(p) < 2 {
		return ""
	}
	return key(p)
}
