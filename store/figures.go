package store

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"lantern"
	"lantern/clocks"
	"lantern/figures"
)

// DatasetFacts reads what the partnership's data set is computed from
// (figures.Dataset) for the period from..to: the children open to CSE work
// at some time in it (with their history up to its end), and the area's
// events, clocks, plans ended, disruption and intelligence links in it.
// area, when not nil, keeps to the children of one local authority area
// (children.area_code; "" the deployment's own). Sealed records are
// counted: figures name no child. Records merged into another are left
// out (the one kept carries their history). For those who see the area's
// figures; one audit entry.
func (s *Store) DatasetFacts(ctx context.Context, from, to lantern.Date, area *string) (*figures.Facts, error) {
	if err := may(ctx, lantern.ResFigures, lantern.ActRead); err != nil {
		return nil, err
	}
	q := factsQuery{s: s, from: from, to: to, area: area}
	f, err := q.read(ctx)
	if err != nil {
		return nil, err
	}
	detail := "from=" + from.String() + " to=" + to.String()
	if area != nil {
		detail += " area=" + *area
	}
	return f, s.audited(ctx, auditEntry{Action: "figures.dataset", Entity: "figures", Detail: detail})
}

// factsQuery reads the facts: one query a kind of record, each bounded by
// the period (or, for the cohort's history, by the cohort).
type factsQuery struct {
	s        *Store
	from, to lantern.Date
	area     *string
	keep     bool // keep the cohort's facts in Children too (tests)
}

// window is the first day whose activity can make a child open in the
// period (figures.OpenFor).
func (q *factsQuery) window() lantern.Date { return q.from.AddDays(-figures.OpenFor) }

// childWhere is the condition on children c: not merged, and in the area.
func (q *factsQuery) childWhere(args *[]any) string {
	w := "c.merged_into IS NULL"
	if q.area != nil {
		*args = append(*args, *q.area)
		w += " AND c.area_code = $" + itoa(len(*args))
	}
	return w
}

// cohort is a query's WITH clause naming the children open to CSE work
// in the window, cand(child_id), and its arguments. Across every area the
// cohort is found from the records' dates; in one area, from the area's
// children, each looked up by the indexes on its own records: a few
// thousand children, not the country's records.
func (q *factsQuery) cohort() (string, []any) {
	end := q.to.AddDays(1)
	args := []any{q.s.d.ts(q.window().Time()), q.s.d.ts(end.Time()), q.window(), end}
	if q.area == nil {
		return `WITH cand AS (
	SELECT child_id FROM concerns WHERE raised_at >= $1 AND raised_at < $2
	UNION SELECT child_id FROM assessments WHERE assessed_on >= $3 AND assessed_on < $4
	UNION SELECT mc.child_id FROM meeting_children mc JOIN meetings m ON m.id = mc.meeting_id
		WHERE m.kind = 'cse-strategy' AND m.status = 'held' AND m.starts_at >= $1 AND m.starts_at < $2) `, args
	}
	return `WITH cand AS (SELECT c.id AS child_id FROM children c WHERE c.area_code = $5 AND c.merged_into IS NULL AND (
	EXISTS (SELECT 1 FROM concerns k WHERE k.child_id = c.id AND k.raised_at >= $1 AND k.raised_at < $2)
	OR EXISTS (SELECT 1 FROM assessments a WHERE a.child_id = c.id AND a.assessed_on >= $3 AND a.assessed_on < $4)
	OR EXISTS (SELECT 1 FROM meeting_children mc ` + q.s.d.joinInOrder() + ` meetings m ON m.id = mc.meeting_id
		WHERE mc.child_id = c.id AND m.kind = 'cse-strategy' AND m.status = 'held' AND m.starts_at >= $1 AND m.starts_at < $2))) `, append(args, *q.area)
}

func (q *factsQuery) read(ctx context.Context) (*figures.Facts, error) {
	s := q.s
	f := &figures.Facts{Persons: map[string]figures.PersonFacts{}}
	end := s.d.ts(q.to.AddDays(1).Time())
	start := s.d.ts(q.from.Time())

	// The cohort's children.
	with, args := q.cohort()
	kids, err := collect(ctx, s.db, "data set children", with+`SELECT c.id, c.date_of_birth, c.gender, c.ethnicity, c.looked_after,
		c.placing_authority, c.disability, c.learning_disability, c.unaccompanied FROM cand `+s.d.joinInOrder()+` children c ON c.id = cand.child_id
		WHERE c.merged_into IS NULL ORDER BY c.id`,
		func(r scanner) (figures.ChildFacts, error) {
			var k figures.ChildFacts
			var placing, dis string
			var ld bool
			err := r.Scan(&k.ID, &k.DateOfBirth, &k.Gender, &k.Ethnicity, &k.LookedAfter, &placing, &dis, &ld, &k.Unaccompanied)
			k.PlacedByOther = k.LookedAfter && placing != ""
			// A sealed disability is still not empty: whether one is
			// recorded is known without opening it.
			k.Disabled = dis != "" || ld
			return k, err
		}, args...)
	if err != nil {
		return nil, err
	}
	// Their history up to the end of the period, a batch of children at a
	// time: each batch is tallied and let go, so that the country's
	// cohort (hundreds of thousands) never sits in memory with its history.
	f.Cohort = figures.NewCohort(q.from, q.to)
	for len(kids) > 0 {
		batch := slices.Clone(kids[:min(len(kids), factsBatch)])
		kids = kids[len(batch):]
		if err := q.history(ctx, batch); err != nil {
			return nil, err
		}
		for i := range batch {
			batch[i].SortLevels()
			f.Cohort.Add(&batch[i])
		}
		if q.keep {
			f.Children = append(f.Children, batch...)
		}
	}

	// The area's events in the period, counted: distinct events (a
	// meeting about two children is one) and distinct children.
	for _, ev := range []struct {
		kind, table, id, join, cond string
		date                        bool // the column is a date, not a time
	}{
		{figures.EvConcern, "concerns", "x.id", "", "x.raised_at >= $1 AND x.raised_at < $2", false},
		{figures.EvToolkit, "assessments", "x.id", "", "x.assessed_on >= $1 AND x.assessed_on <= $2", true},
		{figures.EvReferral, "referrals", "x.id", "", "x.received_at >= $1 AND x.received_at < $2", false},
		{figures.EvMeeting, "meeting_children", "m.id", " JOIN meetings m ON m.id = x.meeting_id",
			"m.kind = 'cse-strategy' AND m.status = 'held' AND m.starts_at >= $1 AND m.starts_at < $2", false},
		{figures.EvS47, "s47_enquiries", "x.id", "", "x.started_at >= $1 AND x.started_at < $2", false},
		{figures.EvICPC, "conferences", "x.id", "", "x.kind = 'initial' AND x.held_at >= $1 AND x.held_at < $2", false},
		{figures.EvPlan, "protection_plans", "x.id", "", "x.started_on >= $1 AND x.started_on <= $2", true},
	} {
		args := []any{start, end}
		if ev.date {
			args = []any{q.from, q.to}
		}
		from := s.recordsOf(ev.table, ev.join, q.area, &args)
		c := figures.EventCount{Kind: ev.kind}
		if err := s.db.QueryRowContext(ctx, "SELECT count(DISTINCT "+ev.id+"), count(DISTINCT x.child_id) FROM "+from+" AND "+ev.cond, args...).
			Scan(&c.Events, &c.Children); err != nil {
			return nil, internal("data set "+ev.kind, err)
		}
		f.Response = append(f.Response, c)
	}

	// Clocks completed in the period (work tasks are not clocks).
	args = []any{start, end, lantern.ClockWork}
	w := q.childWhere(&args)
	f.Clocks, err = collect(ctx, s.db, "data set clocks", `SELECT t.clock, t.started_at, t.due_at, t.done_at FROM tasks t JOIN children c ON c.id = t.child_id
		WHERE t.status = 'done' AND t.done_at >= $1 AND t.done_at < $2 AND t.clock <> $3 AND `+w,
		func(r scanner) (figures.ClockFact, error) {
			var k figures.ClockFact
			err := r.Scan(&k.Clock, timeScan{&k.Started}, timeScan{&k.Due}, timeScan{&k.Finished})
			k.Label = clocks.Label(k.Clock)
			return k, err
		}, args...)
	if err != nil {
		return nil, err
	}

	// Plans ended in the period.
	args = []any{q.from, q.to}
	w = q.childWhere(&args)
	f.PlanEnds, err = collect(ctx, s.db, "data set plans ended", `SELECT x.ended_on, x.end_reason FROM protection_plans x JOIN children c ON c.id = x.child_id
		WHERE x.ended_on >= $1 AND x.ended_on <= $2 AND `+w, func(r scanner) (figures.Dated, error) {
		var d figures.Dated
		return d, r.Scan(&d.On, &d.Kind)
	}, args...)
	if err != nil {
		return nil, err
	}

	// Disruption in the period naming a child of the area.
	args = []any{q.from, q.to}
	w = q.childWhere(&args)
	f.Disruptions, err = collect(ctx, s.db, "data set disruption", `SELECT x.id, x.kind, x.outcome, x.occurred_on FROM disruptions x
		WHERE x.occurred_on >= $1 AND x.occurred_on <= $2 AND EXISTS (SELECT 1 FROM disruption_children dc JOIN children c ON c.id = dc.child_id
			WHERE dc.disruption_id = x.id AND `+w+`)`, func(r scanner) (figures.DisruptionFact, error) {
		var d figures.DisruptionFact
		return d, r.Scan(&d.ID, &d.Kind, &d.Outcome, &d.On)
	}, args...)
	if err != nil {
		return nil, err
	}

	if err := q.links(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// factsBatch is how many children's histories the data set reads at once:
// one IN list of each kind of record.
const factsBatch = 500

// history reads the batch's history up to the end of the period: concerns,
// levels, CSE strategy meetings held, and missing episodes with their
// return interviews.
func (q *factsQuery) history(ctx context.Context, batch []figures.ChildFacts) error {
	s := q.s
	at := make(map[string]int, len(batch))
	ids := make([]any, len(batch))
	for i := range batch {
		at[batch[i].ID], ids[i] = i, batch[i].ID
	}
	end := s.d.ts(q.to.AddDays(1).Time())
	// A query's bounds are $1, ...; the batch's ids follow, in for IDS.
	run := func(op, query string, bounds []any, scan func(scanner) (string, func(*figures.ChildFacts), error)) error {
		query = strings.Replace(query, "IDS", placeholders(len(bounds)+1, len(ids)), 1)
		rows, err := s.db.QueryContext(ctx, query, append(bounds, ids...)...)
		if err != nil {
			return internal(op, err)
		}
		defer rows.Close()
		for rows.Next() {
			id, add, err := scan(rows)
			if err != nil {
				return internal(op, err)
			}
			if i, ok := at[id]; ok {
				add(&batch[i])
			}
		}
		return internal(op, rows.Err())
	}
	err := run("data set concerns", `SELECT k.child_id, k.raised_at FROM concerns k WHERE k.raised_at < $1 AND k.child_id IN (IDS)`, []any{end},
		func(r scanner) (string, func(*figures.ChildFacts), error) {
			var id string
			var t time.Time
			err := r.Scan(&id, timeScan{&t})
			return id, func(c *figures.ChildFacts) { c.Concerns = append(c.Concerns, lantern.DateOf(t)) }, err
		})
	if err != nil {
		return err
	}
	err = run("data set levels", `SELECT a.child_id, a.assessed_on, a.recorded_level, a.created_at FROM assessments a WHERE a.assessed_on <= $1 AND a.child_id IN (IDS)`, []any{q.to},
		func(r scanner) (string, func(*figures.ChildFacts), error) {
			var id string
			var l figures.LevelOn
			err := r.Scan(&id, &l.On, &l.Level, timeScan{&l.Recorded})
			return id, func(c *figures.ChildFacts) { c.Levels = append(c.Levels, l) }, err
		})
	if err != nil {
		return err
	}
	err = run("data set meetings", `SELECT mc.child_id, m.starts_at FROM meeting_children mc `+s.d.joinInOrder()+` meetings m ON m.id = mc.meeting_id
		WHERE m.kind = 'cse-strategy' AND m.status = 'held' AND m.starts_at < $1 AND mc.child_id IN (IDS)`, []any{end},
		func(r scanner) (string, func(*figures.ChildFacts), error) {
			var id string
			var t time.Time
			err := r.Scan(&id, timeScan{&t})
			return id, func(c *figures.ChildFacts) { c.Meetings = append(c.Meetings, lantern.DateOf(t)) }, err
		})
	if err != nil {
		return err
	}
	// Episodes that may have begun in the 12 months to the end, or ended
	// in the period: none runs for a year.
	return run("data set missing", `SELECT e.child_id, e.missing_from, e.returned_at, ri.offered_at, ri.held_at FROM missing_episodes e
		LEFT JOIN return_interviews ri ON ri.episode_id = e.id
		WHERE e.missing_from < $1 AND e.missing_from >= $2 AND e.child_id IN (IDS)`, []any{end, s.d.ts(q.from.AddDays(-366).Time())},
		func(r scanner) (string, func(*figures.ChildFacts), error) {
			var id string
			var e figures.Episode
			var from time.Time
			err := r.Scan(&id, timeScan{&from}, ntimeScan{&e.Returned}, ntimeScan{&e.Offered}, ntimeScan{&e.Held})
			e.From = lantern.DateOf(from)
			return id, func(c *figures.ChildFacts) { c.Missing = append(c.Missing, e) }, err
		})
}

// links reads the intelligence links first seen in the period (or, with no
// date, recorded in it), not withdrawn: those naming a child of the area,
// and those between a person of concern and a place such a child was
// linked to (every place, when no area is asked), with the persons they
// name.
func (q *factsQuery) links(ctx context.Context, f *figures.Facts) error {
	s := q.s
	period := ` l.withdrawn_at IS NULL AND ((l.observed_from >= $1 AND l.observed_from <= $2) OR (l.observed_from IS NULL AND l.recorded_at >= $3 AND l.recorded_at < $4))`
	base := func() []any { return []any{q.from, q.to, s.d.ts(q.from.Time()), s.d.ts(q.to.AddDays(1).Time())} }
	scan := func(r scanner) (figures.LinkFact, error) {
		var l figures.LinkFact
		return l, r.Scan(&l.FromType, &l.FromID, &l.ToType, &l.ToID, &l.Kind, &l.PlaceName, &l.Lat, &l.Lon)
	}
	cols := `SELECT l.from_type, l.from_id, l.to_type, l.to_id, l.kind, COALESCE(p.name, ''), p.lat, p.lon FROM intel_links l
		LEFT JOIN intel_places p ON p.id = (CASE WHEN l.from_type = 'place' THEN l.from_id WHEN l.to_type = 'place' THEN l.to_id END) `
	for _, end := range []string{"from", "to"} {
		args := base()
		w := q.childWhere(&args)
		ls, err := collect(ctx, s.db, "data set links", cols+`JOIN children c ON c.id = l.`+end+`_id WHERE l.`+end+`_type = 'child' AND`+period+` AND `+w, scan, args...)
		if err != nil {
			return err
		}
		f.Links = append(f.Links, ls...)
	}
	places, persons := map[string]bool{}, map[string]bool{}
	for _, l := range f.Links {
		for _, e := range [][2]string{{l.FromType, l.FromID}, {l.ToType, l.ToID}} {
			switch e[0] {
			case "place":
				places[e[1]] = true
			case "person":
				persons[e[1]] = true
			}
		}
	}
	// Persons of concern at the places: every such link of the period
	// when every area is asked; for one area, those of the places its
	// children were linked to, looked up by place.
	placeLinks := `((l.from_type = 'person' AND l.to_type = 'place') OR (l.from_type = 'place' AND l.to_type = 'person')) AND` + period
	if q.area == nil {
		ls, err := collect(ctx, s.db, "data set place links", cols+`WHERE `+placeLinks, scan, base()...)
		if err != nil {
			return err
		}
		f.Links = append(f.Links, ls...)
	} else {
		err := inBatches(slices.Sorted(maps.Keys(places)), func(ids []string, in string) error {
			ls, err := collect(ctx, s.db, "data set place links", cols+`WHERE (l.from_id IN (`+in+`) OR l.to_id IN (`+in+`)) AND `+placeLinks,
				scan, append(base(), anys(ids)...)...)
			f.Links = append(f.Links, ls...)
			return err
		}, 5)
		if err != nil {
			return err
		}
	}
	// The persons linked to a child (those the persons' tables count).
	return inBatches(slices.Sorted(maps.Keys(persons)), func(ids []string, in string) error {
		rows, err := collect(ctx, s.db, "data set persons", `SELECT p.id, p.sex, p.birth_year, p.date_of_birth FROM intel_persons p WHERE p.id IN (`+in+`)`,
			func(r scanner) (struct {
				id string
				p  figures.PersonFacts
			}, error) {
				var x struct {
					id string
					p  figures.PersonFacts
				}
				var dob *lantern.Date
				err := r.Scan(&x.id, &x.p.Sex, &x.p.BirthYear, &dob)
				if dob != nil && !dob.IsZero() {
					x.p.BirthYear = dob.Year
				}
				return x, err
			}, anys(ids)...)
		for _, p := range rows {
			f.Persons[p.id] = p.p
		}
		return err
	}, 1)
}

// inBatches calls fn with ids 500 at a time and the placeholders of an IN
// list for them, numbered from first.
func inBatches(ids []string, fn func(ids []string, in string) error, first int) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + itoa(first+i))
		}
		if err := fn(ids[:n], b.String()); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

func anys(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// TrendFacts passes to add, a child at a time, what the trend
// (figures.TrendCounter) counts, and no more: the concerns raised in the
// period, and the missing episodes begun in it with the child's first
// concern ever. One query, in the order of the children's ids, whose rows
// are gathered a child at a time and let go, so that a country's ten years
// are never held together: add must not keep the facts it is given, which
// are reused. area as for DatasetFacts. For those who see the area's
// figures; one audit entry.
func (s *Store) TrendFacts(ctx context.Context, from, to lantern.Date, area *string, add func(*figures.ChildFacts)) error {
	if err := may(ctx, lantern.ResFigures, lantern.ActRead); err != nil {
		return err
	}
	args := []any{s.d.ts(from.Time()), s.d.ts(to.AddDays(1).Time())}
	concerns := s.recordsOf("concerns", "", area, &args)
	episodes := s.recordsOf("missing_episodes", "", area, &args)
	rows, err := s.db.QueryContext(ctx, `SELECT x.child_id, 0, x.raised_at, NULL FROM `+concerns+` AND x.raised_at >= $1 AND x.raised_at < $2
		UNION ALL SELECT x.child_id, 1, x.missing_from, (SELECT min(k.raised_at) FROM concerns k WHERE k.child_id = x.child_id)
		FROM `+episodes+` AND x.missing_from >= $1 AND x.missing_from < $2 ORDER BY 1`, args...)
	if err != nil {
		return internal("trend", err)
	}
	defer rows.Close()
	var c figures.ChildFacts
	for rows.Next() {
		var id string
		var kind int
		var at time.Time
		var first *time.Time
		if err := rows.Scan(&id, &kind, timeScan{&at}, ntimeScan{&first}); err != nil {
			return internal("trend", err)
		}
		if id != c.ID {
			if c.ID != "" {
				add(&c)
			}
			c = figures.ChildFacts{ID: id, Concerns: c.Concerns[:0], Missing: c.Missing[:0]}
		}
		if kind == 0 {
			c.Concerns = append(c.Concerns, lantern.DateOf(at))
			continue
		}
		if first == nil {
			continue // never a concern: not counted
		}
		c.Missing = append(c.Missing, figures.Episode{From: lantern.DateOf(at)})
		if d := lantern.DateOf(*first); d.Before(from) && !slices.Contains(c.Concerns, d) {
			c.Concerns = append(c.Concerns, d) // their first concern, before the period
		}
	}
	if err := rows.Err(); err != nil {
		return internal("trend", err)
	}
	if c.ID != "" {
		add(&c)
	}
	detail := "from=" + from.String() + " to=" + to.String()
	if area != nil {
		detail += " area=" + *area
	}
	return s.audited(ctx, auditEntry{Action: "figures.trend", Entity: "figures", Detail: detail})
}

// recordsOf is the FROM and WHERE of a query over a table of children's
// records, x, then more joined, and the children c they are of (records
// kept, in the area when one is asked; args gets it). Across every area
// the query starts from the records; in one, from the area's children,
// each looked up by its own records' index, in the order written.
func (s *Store) recordsOf(table, then string, area *string, args *[]any) string {
	if area == nil {
		return table + " x JOIN children c ON c.id = x.child_id" + then + " WHERE c.merged_into IS NULL"
	}
	*args = append(*args, *area)
	j := s.d.joinInOrder()
	return "children c " + j + " " + table + " x ON x.child_id = c.id" + strings.Replace(then, " JOIN ", " "+j+" ", 1) +
		" WHERE c.merged_into IS NULL AND c.area_code = $" + itoa(len(*args))
}
