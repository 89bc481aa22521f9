package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"lantern"
	"lantern/figures/ssd"
)

// The child-level extracts (docs/extracts.md): the Standard Safeguarding
// Dataset's tables, streamed a row at a time from one query each, so that
// a million rows never sit in memory together. Every row is of a record
// kept (never one merged into another), that the caller may read (the
// read rule), and that is not sealed: a sealed record is left out of every
// extract, whoever asks, and the cover says how many were.

// ExtractCover is what an extract's page says beside the tables.
type ExtractCover struct {
	// SealedLeftOut counts the sealed records, with something in the
	// period, that the extracts leave out.
	SealedLeftOut int `json:"sealed_left_out"`
}

// extractCohort is the condition that the child c is in a period's
// extracts but for its seal: a record kept, with a concern raised, a
// missing episode begun or a toolkit assessment in the period. args gets
// the period as $n parameters.
func (s *Store) extractCohort(args *[]any, from, to lantern.Date) string {
	*args = append(*args, s.d.ts(from.Time()), s.d.ts(to.AddDays(1).Time()), from, to)
	n := len(*args)
	return fmt.Sprintf(`c.merged_into IS NULL AND (
		EXISTS (SELECT 1 FROM concerns xk WHERE xk.child_id = c.id AND xk.raised_at >= $%[1]d AND xk.raised_at < $%[2]d)
		OR EXISTS (SELECT 1 FROM missing_episodes xe WHERE xe.child_id = c.id AND xe.missing_from >= $%[1]d AND xe.missing_from < $%[2]d)
		OR EXISTS (SELECT 1 FROM assessments xa WHERE xa.child_id = c.id AND xa.assessed_on >= $%[3]d AND xa.assessed_on <= $%[4]d))`,
		n-3, n-2, n-1, n)
}

// notSealed is the condition that the child c has no seal.
const notSealed = "NOT EXISTS (SELECT 1 FROM child_seals xs WHERE xs.child_id = c.id)"

// ExtractCover counts what the period's extracts leave out. For analysts.
func (s *Store) ExtractCover(ctx context.Context, from, to lantern.Date) (ExtractCover, error) {
	var out ExtractCover
	if err := may(ctx, lantern.ResExtract, lantern.ActRead); err != nil {
		return out, err
	}
	var args []any
	visible, ok := s.childIDVisibleUnsealed(ctx, &args, "c.id")
	if !ok {
		return out, nil
	}
	cohort := s.extractCohort(&args, from, to)
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM children c WHERE `+visible+` AND `+cohort+
		` AND EXISTS (SELECT 1 FROM child_seals xs WHERE xs.child_id = c.id)`, args...).Scan(&out.SealedLeftOut)
	if err != nil {
		return out, internal("extract cover", err)
	}
	return out, nil
}

// Extract streams the table named (ssd.Tables) for the period from to to,
// inclusive, passing each row to fn in the table's column order; fn's
// error stops it. The extract is audited once, by the table and period,
// before the first row is passed. For analysts (lantern.ResExtract); the
// disability table also needs the sight of health details (ResHealth).
func (s *Store) Extract(ctx context.Context, table string, from, to lantern.Date, fn func(row []string) error) error {
	if err := may(ctx, lantern.ResExtract, lantern.ActRead); err != nil {
		return err
	}
	t, err := ssd.TableByName(table)
	if err != nil {
		return err
	}
	if t.Name == "ssd_disability" && !lantern.MayReadField(lantern.UserFromContext(ctx), lantern.ResHealth, false) {
		return lantern.Errorf(lantern.EFORBIDDEN, "You cannot see children's health details, so not the disability extract")
	}
	var args []any
	cond, ok := s.childVisible(ctx, &args)
	if !ok {
		cond = "1 = 0" // sees no child: the table's header, and no row
	}
	cond += " AND " + notSealed
	if err := s.audited(ctx, auditEntry{Action: "figures.extract", Entity: "extract", EntityID: t.Name,
		Detail: "from=" + from.String() + " to=" + to.String()}); err != nil {
		return err
	}
	start, end := s.d.ts(from.Time()), s.d.ts(to.AddDays(1).Time())
	switch t.Name {
	case "ssd_person":
		cond += " AND " + s.extractCohort(&args, from, to)
		return s.stream(ctx, t.Name, `SELECT c.id, c.given_name, c.family_name, c.date_of_birth, c.gender, c.ethnicity
			FROM children c WHERE `+cond+` ORDER BY c.id`, args, func(r scanner) ([]string, error) {
			var p ssd.Person
			err := r.Scan(&p.ID, &p.GivenName, &p.FamilyName, &p.DateOfBirth, &p.Gender, &p.Ethnicity)
			return p.Row(), err
		}, fn)
	case "ssd_missing":
		// Read in the order written: the episodes by the child's index,
		// already in the extract's order, each looking up its child. The
		// planner's choice (every kept child, then a sort of the million
		// rows) took three times as long on the national data (docs/figures.md).
		args = append(args, start, end)
		return s.stream(ctx, t.Name, fmt.Sprintf(`SELECT e.id, e.child_id, e.kind, e.missing_from, e.returned_at,
				r.id IS NOT NULL, r.offered_at IS NOT NULL, r.held_at IS NOT NULL, COALESCE(r.not_held_reason, '') = 'declined'
			FROM missing_episodes e%s %s children c ON c.id = e.child_id LEFT JOIN return_interviews r ON r.episode_id = e.id
			WHERE %s AND e.missing_from >= $%d AND e.missing_from < $%d ORDER BY e.child_id, e.missing_from, e.id`,
			s.d.indexedBy("missing_episodes_child"), s.d.joinInOrder(), cond, len(args)-1, len(args)),
			args, func(r scanner) ([]string, error) {
				var m ssd.Missing
				err := r.Scan(&m.ID, &m.ChildID, &m.Kind, timeScan{&m.From}, ntimeScan{&m.Returned}, &m.Interview, &m.Offered, &m.Held, &m.Declined)
				return m.Row(), err
			}, fn)
	case "ssd_disability":
		// The codes need only whether a disability is described: the
		// words, sealed at rest, are never opened (an empty value is
		// stored empty).
		cond += " AND " + s.extractCohort(&args, from, to)
		return s.streamRows(ctx, t.Name, `SELECT c.id, c.disability <> '', c.learning_disability FROM children c
			WHERE `+cond+` AND (c.disability <> '' OR c.learning_disability = $`+fmt.Sprint(len(args)+1)+`) ORDER BY c.id`,
			append(args, true), func(r scanner) ([][]string, error) {
				var id string
				var described, learning bool
				err := r.Scan(&id, &described, &learning)
				return ssd.DisabilityRows(id, described, learning), err
			}, fn)
	case "ssd_linked_identifiers":
		// The records merged into the child's, however many merges lead
		// to it: valid from the merged record's making to its merging
		// (after which it is read-only, so its last change is the merge).
		cargs := append([]any(nil), args...)
		ccond := cond + " AND " + s.extractCohort(&cargs, from, to)
		err := s.stream(ctx, t.Name, `WITH RECURSIVE merged (id, kept) AS (
				SELECT id, merged_into FROM children WHERE merged_into IS NOT NULL
				UNION ALL
				SELECT m.id, n.merged_into FROM merged m JOIN children n ON n.id = m.kept WHERE n.merged_into IS NOT NULL)
			SELECT d.id, c.id, d.created_at, d.updated_at FROM merged m JOIN children c ON c.id = m.kept JOIN children d ON d.id = m.id
			WHERE `+ccond+` ORDER BY c.id, d.id`, cargs, func(r scanner) ([]string, error) {
			var l ssd.Link
			var made, merged time.Time
			err := r.Scan(&l.Value, &l.ChildID, timeScan{&made}, timeScan{&merged})
			l.ID, l.Type = "former:"+l.Value, ssd.FormerRecord
			l.From, l.To = lantern.DateOf(made.In(lantern.London)), lantern.DateOf(merged.In(lantern.London))
			return l.Row(), err
		}, fn)
		if err != nil {
			return err
		}
		// The police reference of each missing episode in the period.
		args = append(args, start, end, "")
		return s.stream(ctx, t.Name, fmt.Sprintf(`SELECT e.id, e.child_id, e.police_reference, e.missing_from
			FROM missing_episodes e%s %s children c ON c.id = e.child_id
			WHERE %s AND e.missing_from >= $%d AND e.missing_from < $%d AND e.police_reference <> $%d ORDER BY e.child_id, e.missing_from, e.id`,
			s.d.indexedBy("missing_episodes_child"), s.d.joinInOrder(), cond, len(args)-2, len(args)-1, len(args)), args, func(r scanner) ([]string, error) {
			var l ssd.Link
			var at time.Time
			err := r.Scan(&l.ID, &l.ChildID, &l.Value, timeScan{&at})
			l.ID, l.Type, l.From = "incident:"+l.ID, ssd.Incident, lantern.DateOf(at.In(lantern.London))
			return l.Row(), err
		}, fn)
	case "ssd_assessment_factors":
		args = append(args, from, to)
		return s.streamRows(ctx, t.Name, fmt.Sprintf(`SELECT x.id, x.recorded_level, x.answers FROM assessments x JOIN children c ON c.id = x.child_id
			WHERE %s AND x.assessed_on >= $%d AND x.assessed_on <= $%d ORDER BY x.child_id, x.assessed_on, x.id`, cond, len(args)-1, len(args)),
			args, func(r scanner) ([][]string, error) {
				var a ssd.Assessment
				var raw string
				if err := r.Scan(&a.ID, &a.Level, &raw); err != nil {
					return nil, err
				}
				var an answers
				if err := json.Unmarshal([]byte(raw), &an); err != nil {
					return nil, fmt.Errorf("assessment %s: answers: %w", a.ID, err)
				}
				a.Indicators, a.Missing90d = an.Indicators, an.MissingEpisodes90d
				if row, ok := a.Row(); ok {
					return [][]string{row}, nil
				}
				return nil, nil
			}, fn)
	}
	return lantern.Internal(fmt.Errorf("extract: no query for %s", t.Name))
}

// stream runs query and passes each row, as scan makes it, to fn.
func (s *Store) stream(ctx context.Context, op, query string, args []any, scan func(scanner) ([]string, error), fn func([]string) error) error {
	return s.streamRows(ctx, op, query, args, func(r scanner) ([][]string, error) {
		row, err := scan(r)
		return [][]string{row}, err
	}, fn)
}

// streamRows is stream for a query row that makes any number of rows. An
// error of fn's (the reader gone) is returned as it is.
func (s *Store) streamRows(ctx context.Context, op, query string, args []any, scan func(scanner) ([][]string, error), fn func([]string) error) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return internal("extract "+op, err)
	}
	defer rows.Close()
	for rows.Next() {
		out, err := scan(rows)
		if err != nil {
			return internal("extract "+op, err)
		}
		for _, row := range out {
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	return internal("extract "+op, rows.Err())
}
