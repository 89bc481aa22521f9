package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"lantern"
	"lantern/resolve"
)

// Entity resolution of persons of concern (docs/intelligence.md#the-same-person-held-twice):
// a person's blocking keys are filed when the person is made or linked to a
// vehicle or phone; the persons sharing a usable key are scored with the
// model (resolve, after Splink); a pair at 0.99 or more sharing a
// registration or a phone is merged at once, one at 0.80 or more joins the
// review list, and below that nothing is kept. Merges keep every record and
// can be undone.

// modelCache is the newest trained model, read again when a newer one is
// stored (by any replica).
type modelCache struct {
	mu      sync.Mutex
	id      string
	model   *resolve.Model
	checked time.Time
}

// modelCheckEvery is how often the newest model's id is looked up.
const modelCheckEvery = 5 * time.Second

func (s *Store) intelModel(ctx context.Context) (*resolve.Model, error) {
	c := &s.models
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.model != nil && time.Since(c.checked) < modelCheckEvery {
		return c.model, nil
	}
	var id, text string
	err := s.db.QueryRowContext(ctx, `SELECT id, model FROM intel_models ORDER BY trained_at DESC, id DESC LIMIT 1`).Scan(&id, &text)
	c.checked = time.Now()
	switch {
	case isNoRows(err):
		if c.model == nil || c.id != "" {
			c.model, c.id = resolve.DefaultModel(), ""
		}
	case err != nil:
		return nil, internal("intel model", err)
	case id != c.id:
		m, err := resolve.ParseModel([]byte(text))
		if err != nil {
			return nil, internal("intel model", err)
		}
		c.model, c.id = m, id
	}
	return c.model, nil
}

// SaveIntelModel stores a trained model: the newest is used from then on.
func (s *Store) SaveIntelModel(ctx context.Context, m *resolve.Model) error {
	if !lantern.IsSystem(ctx) {
		if err := may(ctx, lantern.ResIntel, lantern.ActMerge); err != nil {
			return err
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return internal("model", err)
	}
	id := newID()
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO intel_models (id, trained_at, model) VALUES ($1, $2, $3)`, id, s.d.ts(s.now()), string(b)); err != nil {
			return internal("save model", err)
		}
		tx.audit(auditEntry{Action: "intel.model.save", Entity: "intel-model", EntityID: id})
		return nil
	})
}

// personRecords reads persons as the resolver compares them: names,
// aliases, birth, sex, postcodes, and the registrations and numbers of the
// vehicles and phones they are linked to.
func (s *Store) personRecords(ctx context.Context, q querier, ids []string) ([]resolve.Record, error) {
	var out []resolve.Record
	now := s.now()
	for chunk := range slices.Chunk(ids, 500) {
		ps, err := s.loadPersons(ctx, q, chunk)
		if err != nil {
			return nil, err
		}
		byID := map[string]*resolve.Record{}
		recs := make([]resolve.Record, len(ps))
		for i, p := range ps {
			r := resolve.Record{ID: p.ID, Aliases: p.Aliases, BirthYear: p.BirthYear, Estimated: p.Estimated, Sex: p.Sex}
			for _, n := range p.Names {
				r.Names = append(r.Names, resolve.Name{Given: n.Given, Family: n.Family})
			}
			if p.DateOfBirth != nil {
				r.DateOfBirth = *p.DateOfBirth
			}
			for _, a := range p.Addresses {
				if a.Postcode != "" {
					r.Postcodes = append(r.Postcodes, a.Postcode)
				}
			}
			// A person of concern under 18 is a child: never resolved with an adult.
			if y := r.BirthYear; y != 0 && now.Year()-y < 18 {
				r.Child = true
			}
			recs[i] = r
		}
		for i := range recs {
			byID[recs[i].ID] = &recs[i]
		}
		var args []any
		in := inList(&args, chunk)
		rows, err := q.QueryContext(ctx, `SELECT l.from_id, v.vrm FROM intel_links l JOIN intel_vehicles v ON v.id = l.to_id
			WHERE l.from_id IN (`+in+`) AND l.kind = 'uses-vehicle' AND l.withdrawn_at IS NULL AND v.partial = $`+itoa(len(args)+1)+`
			UNION ALL SELECT l.from_id, p.e164 FROM intel_links l JOIN intel_phones p ON p.id = l.to_id
			WHERE l.from_id IN (`+in+`) AND l.kind = 'uses-phone' AND l.withdrawn_at IS NULL`, append(args, false)...)
		if err != nil {
			return nil, internal("person identifiers", err)
		}
		for rows.Next() {
			var pid, v string
			if err := rows.Scan(&pid, &v); err != nil {
				rows.Close()
				return nil, internal("person identifiers", err)
			}
			if r := byID[pid]; r != nil {
				if strings.HasPrefix(v, "+") {
					r.Phones = append(r.Phones, v)
				} else {
					r.VRMs = append(r.VRMs, v)
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal("person identifiers", err)
		}
		out = append(out, recs...)
	}
	return out, nil
}

// fileKeys files a person's blocking keys (adding any new ones).
func (s *Store) fileKeys(ctx context.Context, q *tx, r resolve.Record) error {
	for _, k := range resolve.BlockingKeys(r) {
		if _, err := q.ExecContext(ctx, `INSERT INTO intel_person_keys (key, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, k, r.ID); err != nil {
			return internal("person key", err)
		}
	}
	return nil
}

// MaxCandidates bounds the persons compared with one, and those answered.
const (
	maxCompared   = 5000
	MaxCandidates = 20
	// candidateFloor is the least probability a candidate is shown at: a
	// lead worth a look (a rare street name shared says little else), shown
	// with its weights; below the review threshold a pair is only shown,
	// never kept.
	candidateFloor = 0.05
)

// Candidate is another person who may be the same person.
type Candidate = lantern.PersonCandidate

// candidates scores the persons sharing a usable blocking key with r,
// most probable first, with no check or audit.
func (s *Store) candidates(ctx context.Context, r resolve.Record) ([]lantern.PersonCandidate, []resolve.Record, error) {
	keys := resolve.BlockingKeys(r)
	seen := map[string]bool{r.ID: true}
	var ids []string
	for _, k := range keys {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM intel_person_keys WHERE key = $1 LIMIT $2) x`, k, resolve.MaxBlockSize+1).Scan(&n); err != nil {
			return nil, nil, internal("block size", err)
		}
		if !resolve.UsableKey(n) {
			continue
		}
		rows, err := s.pairs(ctx, `SELECT k.person_id, '' FROM intel_person_keys k JOIN intel_persons p ON p.id = k.person_id
			WHERE k.key = $1 AND p.merged_into IS NULL`, k)
		if err != nil {
			return nil, nil, err
		}
		for _, row := range rows {
			if !seen[row[0]] && len(ids) < maxCompared {
				seen[row[0]] = true
				ids = append(ids, row[0])
			}
		}
	}
	others, err := s.personRecords(ctx, s.db, ids)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.intelModel(ctx)
	if err != nil {
		return nil, nil, err
	}
	a := resolve.Prepare(r)
	var out []lantern.PersonCandidate
	var recs []resolve.Record
	for _, o := range others {
		sc := m.ScorePrepared(a, resolve.Prepare(o))
		if sc.Excluded || sc.Probability < candidateFloor {
			continue
		}
		c := lantern.PersonCandidate{PersonID: o.ID, Probability: sc.Probability, Weight: sc.Weight, Decision: string(resolve.Decide(sc, r, o))}
		for _, re := range sc.Reasons {
			c.Reasons = append(c.Reasons, re.String())
			c.Weights = append(c.Weights, lantern.CandidateWeight{Comparison: re.Comparison, Level: re.Level, Weight: re.Weight})
		}
		out = append(out, c)
		recs = append(recs, o)
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		if out[idx[i]].Probability != out[idx[j]].Probability {
			return out[idx[i]].Probability > out[idx[j]].Probability
		}
		return out[idx[i]].PersonID < out[idx[j]].PersonID
	})
	so, sr := make([]lantern.PersonCandidate, len(out)), make([]resolve.Record, len(out))
	for i, k := range idx {
		so[i], sr[i] = out[k], recs[k]
	}
	return so, sr, nil
}

// Candidates lists the other persons held who may be the same person as
// id, most probable first, each with the weights behind it.
func (s *Store) Candidates(ctx context.Context, id string) ([]lantern.PersonCandidate, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	recs, err := s.personRecords(ctx, s.db, []string{id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, lantern.NotFound("Person")
	}
	cs, _, err := s.candidates(ctx, recs[0])
	if err != nil {
		return nil, err
	}
	if len(cs) > MaxCandidates {
		cs = cs[:MaxCandidates]
	}
	if cs == nil {
		cs = []lantern.PersonCandidate{}
	}
	labels, _, err := s.labels(ctx, refsOf(cs))
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for i := range cs {
		cs[i].Label = labels[cs[i].PersonID]
		ids = append(ids, cs[i].PersonID)
	}
	return cs, s.audited(ctx, auditEntry{Action: "intel.candidates.read", Entity: "person", EntityID: id, Detail: strings.Join(ids, " ")})
}

func refsOf(cs []lantern.PersonCandidate) map[lantern.EntityRef]bool {
	out := map[lantern.EntityRef]bool{}
	for _, c := range cs {
		out[lantern.EntityRef{Type: lantern.EntityPerson, ID: c.PersonID}] = true
	}
	return out
}

// resolvePerson files a person's keys and acts on what the model says of
// them: merges the pairs it links automatically (into the older record) and
// puts the pairs for review on the list. It runs as part of the act that
// made or linked the person, after that act's commit; a failure here is
// returned but leaves that act done.
func (s *Store) resolvePerson(ctx context.Context, id string) error {
	recs, err := s.personRecords(ctx, s.db, []string{id})
	if err != nil || len(recs) == 0 {
		return err
	}
	r := recs[0]
	if err := s.write(ctx, func(tx *tx) error { return s.fileKeys(ctx, tx, r) }); err != nil {
		return err
	}
	cs, _, err := s.candidates(ctx, r)
	if err != nil {
		return err
	}
	now := s.now()
	return s.afterMerges(ctx, s.write(ctx, func(tx *tx) error {
		for _, c := range cs {
			switch resolve.Decision(c.Decision) {
			case resolve.AutoLink:
				// The newer record goes into the older (ids are time-ordered).
				from, into := id, c.PersonID
				if into > from {
					from, into = into, from
				}
				var merged int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM intel_persons WHERE id = $1 AND merged_into IS NULL`, from).Scan(&merged); err != nil {
					return internal("auto merge", err)
				}
				if merged == 0 {
					continue
				}
				if err := s.merge(ctx, tx, from, into, true, now); err != nil {
					return err
				}
				return nil // one merge at a time: the rest are scored again against the merged person
			case resolve.Review:
				a, b := id, c.PersonID
				if b < a {
					a, b = b, a
				}
				reasons := strings.Join(c.Reasons, "\n")
				if _, err := tx.ExecContext(ctx, `INSERT INTO intel_person_pairs (id, person_a, person_b, probability, reasons, found_at)
					VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_a, person_b) DO UPDATE SET probability = excluded.probability,
					reasons = excluded.reasons WHERE intel_person_pairs.answer = ''`, newID(), a, b, c.Probability, reasons, s.d.ts(now)); err != nil {
					return internal("review pair", err)
				}
			}
		}
		return nil
	}))
}

// merge puts from into into (both roots), keeping both records; everyone
// merged into from follows.
func (s *Store) merge(ctx context.Context, tx *tx, from, into string, automatic bool, now time.Time) error {
	var by any
	if u := lantern.UserFromContext(ctx); u != nil && !automatic {
		by = u.ID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO intel_person_merges (id, person_id, into_id, automatic, merged_by, merged_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		newID(), from, into, automatic, by, s.d.ts(now)); err != nil {
		return internal("merge", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE intel_persons SET merged_into = $1, version = version + 1 WHERE id = $2 OR merged_into = $2`, into, from); err != nil {
		return internal("merge", err)
	}
	action := "intel.person.merge"
	if automatic {
		action = "intel.person.automerge"
	}
	tx.audit(auditEntry{Action: action, Entity: "person", EntityID: from, Detail: "into " + into})
	return nil
}

// afterMerges brings this replica's graph index in line at once after a
// write that may have merged or unmerged persons (other replicas' follow
// with their poll).
func (s *Store) afterMerges(ctx context.Context, err error) error {
	if err == nil {
		if e := s.syncGraphMerges(context.WithoutCancel(ctx)); e != nil {
			s.log.Error("graph index merges", "err", e)
		}
	}
	return err
}

// MergePersons records that from is the same person as into (a decision of
// the police or an analyst).
func (s *Store) MergePersons(ctx context.Context, from, into string) error {
	if err := may(ctx, lantern.ResIntel, lantern.ActMerge); err != nil {
		return err
	}
	if from == into {
		return lantern.Invalid(lantern.FieldError{Field: "into", Message: "A person cannot be merged into themselves"})
	}
	return s.afterMerges(ctx, s.write(ctx, func(tx *tx) error {
		roots := map[string]string{}
		for _, id := range []string{from, into} {
			var m *string
			err := tx.QueryRowContext(ctx, `SELECT merged_into FROM intel_persons WHERE id = $1`, id).Scan(&m)
			if isNoRows(err) {
				if id == into {
					return lantern.Invalid(lantern.FieldError{Field: "into", Message: "No person is held with this id"})
				}
				return lantern.NotFound("Person")
			}
			if err != nil {
				return internal("merge", err)
			}
			roots[id] = id
			if m != nil {
				roots[id] = *m
			}
		}
		if roots[from] == roots[into] {
			return lantern.Invalid(lantern.FieldError{Field: "into", Message: "These records are already one person"})
		}
		recs, err := s.personRecords(ctx, tx, []string{roots[from], roots[into]})
		if err != nil {
			return err
		}
		if len(recs) == 2 && recs[0].Child != recs[1].Child {
			return lantern.Invalid(lantern.FieldError{Field: "into", Message: "A child is never merged with an adult"})
		}
		return s.merge(ctx, tx, roots[from], roots[into], false, s.now())
	}))
}

// UnmergePerson undoes the merge that put id into another person: id, and
// everyone merged into id, stand apart again.
func (s *Store) UnmergePerson(ctx context.Context, id string) error {
	if err := may(ctx, lantern.ResIntel, lantern.ActMerge); err != nil {
		return err
	}
	u := lantern.UserFromContext(ctx)
	return s.afterMerges(ctx, s.write(ctx, func(tx *tx) error {
		var mid string
		err := tx.QueryRowContext(ctx, `SELECT id FROM intel_person_merges WHERE person_id = $1 AND undone_at IS NULL ORDER BY merged_at DESC, id DESC LIMIT 1`, id).Scan(&mid)
		if isNoRows(err) {
			return lantern.Invalid(lantern.FieldError{Field: "person", Message: "This person was not merged into another"})
		}
		if err != nil {
			return internal("unmerge", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE intel_person_merges SET undone_at = $1, undone_by = $2 WHERE id = $3`, s.d.ts(s.now()), u.ID, mid); err != nil {
			return internal("unmerge", err)
		}
		// id stands alone again, and takes back those merged into it.
		if _, err := tx.ExecContext(ctx, `UPDATE intel_persons SET merged_into = NULL, version = version + 1 WHERE id = $1`, id); err != nil {
			return internal("unmerge", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE intel_persons SET merged_into = $1, version = version + 1 WHERE id IN
			(SELECT person_id FROM intel_person_merges WHERE into_id = $1 AND undone_at IS NULL)`, id); err != nil {
			return internal("unmerge", err)
		}
		tx.audit(auditEntry{Action: "intel.person.unmerge", Entity: "person", EntityID: id})
		return nil
	}))
}

// MaxReviewPairs bounds the review list.
const MaxReviewPairs = 200

// ReviewPairs lists the pairs waiting for a person to say whether they are
// one, most probable first.
func (s *Store) ReviewPairs(ctx context.Context) ([]*lantern.PersonPair, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActMerge); err != nil {
		return nil, err
	}
	ps, err := collect(ctx, s.db, "review pairs", `SELECT id, person_a, person_b, probability, reasons, found_at FROM intel_person_pairs
		WHERE answer = '' ORDER BY probability DESC, found_at, id LIMIT $1`, scanPair, MaxReviewPairs)
	if err != nil {
		return nil, err
	}
	if ps == nil {
		ps = []*lantern.PersonPair{}
	}
	ids := []string{}
	for _, p := range ps {
		ids = append(ids, p.PersonA, p.PersonB)
	}
	return ps, s.audited(ctx, auditEntry{Action: "intel.reviews.read", Entity: "person-pair", Detail: strings.Join(ids[:min(len(ids), 40)], " ")})
}

func scanPair(r scanner) (*lantern.PersonPair, error) {
	var p lantern.PersonPair
	var reasons string
	err := r.Scan(&p.ID, &p.PersonA, &p.PersonB, &p.Probability, &reasons, timeScan{&p.FoundAt})
	if reasons != "" {
		p.Reasons = strings.Split(reasons, "\n")
	}
	return &p, err
}

// AnswerPair records whether a pair is one person: same merges them (the
// newer into the older), different and unsure keep them apart. The answer,
// who gave it and when feed the next training.
func (s *Store) AnswerPair(ctx context.Context, pairID, answer string) error {
	if err := may(ctx, lantern.ResIntel, lantern.ActMerge); err != nil {
		return err
	}
	if answer != "same" && answer != "different" && answer != "unsure" {
		return lantern.Invalid(lantern.FieldError{Field: "answer", Message: "Answer same, different or unsure"})
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	return s.afterMerges(ctx, s.write(ctx, func(tx *tx) error {
		ps, err := collect(ctx, tx, "pair", `SELECT id, person_a, person_b, probability, reasons, found_at FROM intel_person_pairs WHERE id = $1`, scanPair, pairID)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return lantern.NotFound("Pair")
		}
		res, err := tx.ExecContext(ctx, `UPDATE intel_person_pairs SET answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4 AND answer = ''`,
			answer, u.ID, s.d.ts(now), pairID)
		if err != nil {
			return internal("answer pair", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lantern.Invalid(lantern.FieldError{Field: "answer", Message: "This pair has been answered already"})
		}
		tx.audit(auditEntry{Action: "intel.pair.answer", Entity: "person-pair", EntityID: pairID, Detail: answer})
		if answer != "same" {
			return nil
		}
		p := ps[0]
		roots, err := s.rootsIn(ctx, tx, p.PersonA, p.PersonB)
		if err != nil {
			return err
		}
		if roots[0] == roots[1] {
			return nil
		}
		from, into := roots[0], roots[1]
		if into > from {
			from, into = into, from
		}
		return s.merge(ctx, tx, from, into, false, now)
	}))
}

func (s *Store) rootsIn(ctx context.Context, q querier, ids ...string) ([]string, error) {
	out := make([]string, len(ids))
	for i, id := range ids {
		var m *string
		if err := q.QueryRowContext(ctx, `SELECT merged_into FROM intel_persons WHERE id = $1`, id).Scan(&m); err != nil {
			return nil, internal("root", err)
		}
		out[i] = id
		if m != nil {
			out[i] = *m
		}
	}
	return out, nil
}

// ReviewedPairs are the answered pairs as the resolver trains on them.
func (s *Store) ReviewedPairs(ctx context.Context, limit int) ([]resolve.Reviewed, error) {
	rows, err := s.pairs(ctx, `SELECT person_a || ' ' || person_b, answer FROM intel_person_pairs WHERE answer <> '' ORDER BY answered_at DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	// Every pair's persons read at once, not a read a pair.
	var ids []string
	for _, r := range rows {
		a, b, _ := strings.Cut(r[0], " ")
		ids = append(ids, a, b)
	}
	recs, err := s.personRecords(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]resolve.Record, len(recs))
	for _, r := range recs {
		byID[r.ID] = r
	}
	var out []resolve.Reviewed
	for _, r := range rows {
		a, b, _ := strings.Cut(r[0], " ")
		ra, okA := byID[a]
		rb, okB := byID[b]
		if okA && okB {
			out = append(out, resolve.Reviewed{A: ra, B: rb, Answer: r[1]})
		}
	}
	return out, nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
