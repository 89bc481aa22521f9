package store

import (
	"context"
	"slices"
	"strings"

	"lantern"
	"lantern/audit"
)

// The review list's pages show each pair side by side: the two records,
// and the vehicles and phones linked to each, so that the one answering
// sees what the model compared and what it could not.

// ReviewPerson is one record of a review pair as the review list shows it:
// the person, and the vehicles and phones linked to them, in words.
type ReviewPerson struct {
	*lantern.PersonOfConcern
	Vehicles []string // each vehicle's label: the registration and what it looks like
	Phones   []string // each number, in E.164
}

// MaxReviewPersons bounds one read of the review list's persons: both
// records of every pair on it.
const MaxReviewPersons = 2 * MaxReviewPairs

// ReviewPersons reads persons for the review list, by id, for those who
// decide whether two records are one person. A link whose handling code is
// C counts only for the police, as everywhere else. An id not held is left
// out. Each person read is audited by id.
func (s *Store) ReviewPersons(ctx context.Context, ids []string) (map[string]*ReviewPerson, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActMerge); err != nil {
		return nil, err
	}
	if len(ids) > MaxReviewPersons {
		return nil, lantern.Invalid(lantern.FieldError{Field: "ids", Message: "Too many persons at once"})
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := map[string]*ReviewPerson{}
	if len(ids) == 0 {
		return out, nil
	}
	ps, err := s.loadPersons(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		out[p.ID] = &ReviewPerson{PersonOfConcern: p, Vehicles: []string{}, Phones: []string{}}
	}
	police := lantern.Allowed(lantern.UserFromContext(ctx), lantern.ResIntelSource, lantern.ActRead, lantern.RelArea)
	var args []any
	in := inList(&args, ids)
	live := ` AND l.withdrawn_at IS NULL`
	if !police {
		live += ` AND l.grade_handling <> 'C'`
	}
	// A link may be written from either end: both are read.
	rows, err := s.db.QueryContext(ctx, `SELECT l.from_id, 'v', v.vrm, v.colour, v.make, v.model FROM intel_links l JOIN intel_vehicles v ON v.id = l.to_id
		WHERE l.from_id IN (`+in+`)`+live+`
		UNION ALL SELECT l.to_id, 'v', v.vrm, v.colour, v.make, v.model FROM intel_links l JOIN intel_vehicles v ON v.id = l.from_id
		WHERE l.to_id IN (`+in+`)`+live+`
		UNION ALL SELECT l.from_id, 'p', p.e164, '', '', '' FROM intel_links l JOIN intel_phones p ON p.id = l.to_id
		WHERE l.from_id IN (`+in+`)`+live+`
		UNION ALL SELECT l.to_id, 'p', p.e164, '', '', '' FROM intel_links l JOIN intel_phones p ON p.id = l.from_id
		WHERE l.to_id IN (`+in+`)`+live, args...)
	if err != nil {
		return nil, internal("review persons' vehicles and phones", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid, kind, value, colour, make_, model string
		if err := rows.Scan(&pid, &kind, &value, &colour, &make_, &model); err != nil {
			return nil, internal("review persons' vehicles and phones", err)
		}
		p := out[pid]
		if p == nil {
			continue
		}
		if kind == "v" {
			value = (&lantern.Vehicle{VRM: value, Colour: colour, Make: make_, Model: model}).Label()
			if !slices.Contains(p.Vehicles, value) {
				p.Vehicles = append(p.Vehicles, value)
			}
		} else if !slices.Contains(p.Phones, value) {
			p.Phones = append(p.Phones, value)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, internal("review persons' vehicles and phones", err)
	}
	for _, p := range out {
		slices.Sort(p.Vehicles)
		slices.Sort(p.Phones)
	}
	es := make([]*audit.Entry, 0, len(out))
	for _, id := range ids {
		if out[id] != nil {
			es = append(es, s.entry(ctx, auditEntry{Action: "intel.review.person.read", Entity: "person", EntityID: id}))
		}
	}
	if len(es) == 0 {
		return out, nil
	}
	return out, s.auditedRead(ctx, es...)
}

// MergedRecord is a record found to be another person, as that person's
// page lists it: where its merge can be seen and undone.
type MergedRecord struct {
	ID, Label string
}

// MergedInto lists the records merged into the person id (directly or
// through another), by label. It is empty for a person merged into
// another. Audited by id, with the ids it found.
func (s *Store) MergedInto(ctx context.Context, id string) ([]MergedRecord, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	members, err := s.mergedMembers(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	refs := map[lantern.EntityRef]bool{}
	for _, m := range members[id] {
		refs[lantern.EntityRef{Type: lantern.EntityPerson, ID: m}] = true
	}
	labels, _, err := s.labels(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := []MergedRecord{}
	for _, m := range members[id] {
		out = append(out, MergedRecord{ID: m, Label: labels[m]})
	}
	slices.SortFunc(out, func(a, b MergedRecord) int { return strings.Compare(a.ID, b.ID) })
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]string, len(out))
	for i, m := range out {
		ids[i] = m.ID
	}
	return out, s.audited(ctx, auditEntry{Action: "intel.person.merged.read", Entity: "person", EntityID: id, Detail: strings.Join(ids[:min(len(ids), 40)], " ")})
}
