package store

import (
	"context"
	"time"

	"lantern"
	"lantern/figures"
)

// DatasetFacts reads what the partnership's data set is computed from
// (figures.Dataset): every child with a CSE concern raised by the end of
// to, with their concerns' and missing episodes' dates. Sealed records are
// counted: figures name no child. For those who see the area's figures.
func (s *Store) DatasetFacts(ctx context.Context, to lantern.Date) ([]figures.ChildFacts, error) {
	if err := may(ctx, lantern.ResFigures, lantern.ActRead); err != nil {
		return nil, err
	}
	end := s.d.ts(to.AddDays(1).Time())
	type row struct {
		id, gender, level string
		dob               lantern.Date
		at                time.Time
	}
	rows, err := collect(ctx, s.db, "data set", `SELECT c.id, c.gender, COALESCE(c.latest_level, ''), c.date_of_birth, k.raised_at
		FROM concerns k JOIN children c ON c.id = k.child_id WHERE k.raised_at < $1 AND c.merged_into IS NULL ORDER BY c.id, k.raised_at`,
		func(r scanner) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.gender, &x.level, &x.dob, timeScan{&x.at})
		}, end)
	if err != nil {
		return nil, err
	}
	at := map[string]int{} // a child's place in out
	var out []figures.ChildFacts
	for _, x := range rows {
		i, ok := at[x.id]
		if !ok {
			out = append(out, figures.ChildFacts{ID: x.id, DateOfBirth: x.dob, Gender: x.gender, LatestLevel: x.level})
			i = len(out) - 1
			at[x.id] = i
		}
		out[i].Concerns = append(out[i].Concerns, lantern.DateOf(x.at))
	}
	missing, err := collect(ctx, s.db, "data set missing", `SELECT child_id, missing_from FROM missing_episodes WHERE missing_from < $1 AND missing_from >= $2`,
		func(r scanner) ([2]any, error) {
			var id string
			var at time.Time
			err := r.Scan(&id, timeScan{&at})
			return [2]any{id, at}, err
		}, end, s.d.ts(to.AddDays(-366*21).Time()))
	if err != nil {
		return nil, err
	}
	for _, m := range missing {
		if i, ok := at[m[0].(string)]; ok {
			out[i].Missing = append(out[i].Missing, lantern.DateOf(m[1].(time.Time)))
		}
	}
	return out, s.audited(ctx, auditEntry{Action: "figures.dataset", Entity: "figures", Detail: "to=" + to.String()})
}
