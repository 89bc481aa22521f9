package store

import (
	"context"
	"strings"
	"time"

	"lantern"
	"lantern/resolve"
)

// Work over every person held: training the entity-resolution model and
// resolving everyone again. Both are for the operator at the command line
// (or the police and analysts), and read the persons in pages.

// mayResolveAll allows the operator, and those who decide who is the same person.
func mayResolveAll(ctx context.Context) error {
	if lantern.IsSystem(ctx) {
		return nil
	}
	return may(ctx, lantern.ResIntel, lantern.ActMerge)
}

// personPage bounds the persons read at once.
const personPage = 2000

// AllPersonRecords reads every person not merged into another, as the
// resolver compares them, in id order; at most limit (0: all).
func (s *Store) AllPersonRecords(ctx context.Context, limit int) ([]resolve.Record, error) {
	if err := mayResolveAll(ctx); err != nil {
		return nil, err
	}
	var out []resolve.Record
	after := ""
	for {
		rows, err := s.pairs(ctx, `SELECT id, '' FROM intel_persons WHERE id > $1 AND merged_into IS NULL ORDER BY id LIMIT $2`, after, personPage)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return out, nil
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r[0]
		}
		after = ids[len(ids)-1]
		recs, err := s.personRecords(ctx, s.db, ids)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
		if limit > 0 && len(out) >= limit {
			return out[:limit], nil
		}
	}
}

// TrainReport says what training did.
type TrainReport struct {
	Records   int
	UPairs    int
	EM        resolve.EMReport
	Reviews   resolve.ReviewReport
	Took      time.Duration
	Converged bool
}

// TrainIntelModel trains the model the way Splink does, on the persons
// held (up to sample of them): term frequencies, u from random pairs, m by
// expectation maximisation over blocked pairs, then the pairs people have
// answered; and stores it, to be used from then on.
func (s *Store) TrainIntelModel(ctx context.Context, sample, uPairs, emPairs int, seed int64) (*TrainReport, error) {
	if err := mayResolveAll(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	recs, err := s.AllPersonRecords(ctx, sample)
	if err != nil {
		return nil, err
	}
	m := resolve.DefaultModel()
	m.FitTF(recs)
	rep := &TrainReport{Records: len(recs), UPairs: uPairs}
	if len(recs) >= 2 {
		if err := m.EstimateU(recs, uPairs, seed); err != nil {
			return nil, err
		}
		if rep.EM, err = m.EstimateM_EM(recs, emPairs, seed); err != nil {
			return nil, err
		}
	}
	reviewed, err := s.ReviewedPairs(ctx, 10_000)
	if err != nil {
		return nil, err
	}
	if rep.Reviews, err = m.TrainFromReviews(reviewed); err != nil {
		return nil, err
	}
	if err := s.SaveIntelModel(ctx, m); err != nil {
		return nil, err
	}
	s.models.mu.Lock()
	s.models.checked = time.Time{} // read the new one at once
	s.models.mu.Unlock()
	rep.Took = time.Since(start)
	return rep, nil
}

// ResolveReport says what resolving everyone did.
type ResolveReport struct {
	Records, Merged, Review int
	Pairs                   int64
	Took                    time.Duration
}

// ResolveAll compares every person held with those sharing a blocking key,
// merges the pairs the model links automatically, and lists the pairs for
// review. Pairs already answered are not asked again; a merge a person
// undid is not made again.
func (s *Store) ResolveAll(ctx context.Context) (*ResolveReport, error) {
	if err := mayResolveAll(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	recs, err := s.AllPersonRecords(ctx, 0)
	if err != nil {
		return nil, err
	}
	m, err := s.intelModel(ctx)
	if err != nil {
		return nil, err
	}
	res := m.Resolve(recs)
	rep := &ResolveReport{Records: len(recs), Pairs: res.Pairs}
	// Merges: each cluster of automatic links goes into its oldest record.
	clusters := res.Clusters(func(l resolve.Link) bool { return l.Decision == resolve.AutoLink })
	undone, err := s.undoneMerges(ctx)
	if err != nil {
		return nil, err
	}
	oldest := map[int]string{}
	for i, c := range clusters {
		if id := recs[i].ID; oldest[c] == "" || id < oldest[c] {
			oldest[c] = id
		}
	}
	now := s.now()
	type merge struct{ from, into string }
	var merges []merge
	for i, c := range clusters {
		if into := oldest[c]; into != recs[i].ID && !undone[recs[i].ID+" "+into] {
			merges = append(merges, merge{recs[i].ID, into})
		}
	}
	for len(merges) > 0 {
		n := min(len(merges), 500)
		batch := merges[:n]
		merges = merges[n:]
		if err := s.write(ctx, func(tx *tx) error {
			for _, mg := range batch {
				if err := s.merge(ctx, tx, mg.from, mg.into, true, now); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return nil, err
		}
		rep.Merged += n
	}
	var reviews []resolve.Link
	for _, l := range res.Links {
		if l.Decision == resolve.Review && clusters[l.A] != clusters[l.B] {
			reviews = append(reviews, l)
		}
	}
	for len(reviews) > 0 {
		n := min(len(reviews), 500)
		batch := reviews[:n]
		reviews = reviews[n:]
		if err := s.write(ctx, func(tx *tx) error {
			for _, l := range batch {
				a, b := recs[l.A].ID, recs[l.B].ID
				if b < a {
					a, b = b, a
				}
				var reasons []string
				for _, r := range m.Score(recs[l.A], recs[l.B]).Reasons {
					reasons = append(reasons, r.String())
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO intel_person_pairs (id, person_a, person_b, probability, reasons, found_at)
					VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_a, person_b) DO NOTHING`, newID(), a, b, l.Probability,
					strings.Join(reasons, "\n"), s.d.ts(now)); err != nil {
					return internal("review pair", err)
				}
			}
			return nil
		}); err != nil {
			return nil, err
		}
		rep.Review += n
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// undoneMerges are the merges a person undid, as "from into".
func (s *Store) undoneMerges(ctx context.Context) (map[string]bool, error) {
	rows, err := s.pairs(ctx, `SELECT person_id, into_id FROM intel_person_merges WHERE undone_at IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rows {
		out[r[0]+" "+r[1]] = true
		out[r[1]+" "+r[0]] = true
	}
	return out, nil
}

// PersonClusters says, for every person held, the person they are merged
// into (themselves when not merged), and lists the pairs waiting for review.
func (s *Store) PersonClusters(ctx context.Context) (map[string]string, [][2]string, error) {
	if err := mayResolveAll(ctx); err != nil {
		return nil, nil, err
	}
	rows, err := s.pairs(ctx, `SELECT id, COALESCE(merged_into, id) FROM intel_persons`)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r[0]] = r[1]
	}
	review, err := s.pairs(ctx, `SELECT person_a, person_b FROM intel_person_pairs WHERE answer = ''`)
	return out, review, err
}
