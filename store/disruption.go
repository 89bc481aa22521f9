package store

import (
	"context"
	"slices"
	"strings"

	"lantern"
)

// Disruption and prosecution (docs/intelligence.md#disruption-and-prosecution):
// recorded by the police, read by those who read intelligence. A child named
// must be one the caller may see, or it is not found; in a list, a child the
// caller may not see is left out and counted. Every read and change is
// audited, by the disruption's id and each child's.

// MaxDisruptions bounds a list.
const MaxDisruptions = 500

// CreateDisruption records a disruption against a person of concern (or,
// for a closure order, a place).
func (s *Store) CreateDisruption(ctx context.Context, d *lantern.Disruption) (*lantern.Disruption, error) {
	if err := may(ctx, lantern.ResDisruption, lantern.ActCreate); err != nil {
		return nil, err
	}
	now := s.now()
	if err := lantern.CheckDisruption(d, lantern.Today(now)); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	d.ID, d.RecordedAt, d.RecordedBy, d.AgencyID = newID(), now, u.ID, u.AgencyID
	err := s.write(ctx, func(tx *tx) error {
		records := map[string]lantern.CAWNChild{}
		for i := range d.Children {
			c, err := s.findChild(ctx, tx, d.Children[i].ChildID, false)
			if err != nil {
				return err
			}
			if c.MergedInto != "" {
				return lantern.Invalid(lantern.FieldError{Field: "children[" + itoa(i) + "].child_id",
					Message: "This record was merged into another: name the child by the record kept"})
			}
			records[c.ID] = lantern.CAWNChild{DateOfBirth: c.DateOfBirth, LookedAfter: c.LookedAfter}
			d.Children[i].Name = c.FullName()
		}
		var p lantern.Problems
		if d.PersonID != "" {
			ps, err := s.loadPersons(ctx, tx, []string{d.PersonID})
			if err != nil {
				return err
			}
			if len(ps) == 0 {
				p.Add("person_id", "No person of concern is held with this id")
			} else {
				d.PersonLabel = ps[0].Label()
			}
		}
		if d.PlaceID != "" {
			pl, err := s.places(ctx, tx, `p.id = $1`, d.PlaceID)
			if err != nil {
				return err
			}
			if len(pl) == 0 {
				p.Add("place_id", "No place is held with this id")
			} else {
				d.PlaceLabel = pl[0].Label()
			}
		}
		p = append(p, lantern.ErrorFields(lantern.CheckCAWNChildren(d, records))...)
		if err := p.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO disruptions (id, kind, name, outcome, occurred_on, expires_on, person_id, place_id, offence,
			notes, reference, recorded_by, agency_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			d.ID, d.Kind, d.Name, d.Outcome, d.Date, dateArg(d.Expires), nullIfEmpty(d.PersonID), nullIfEmpty(d.PlaceID), d.Offence,
			d.Notes, d.Reference, u.ID, u.AgencyID, s.d.ts(now)); err != nil {
			return internal("create disruption", err)
		}
		for _, c := range d.Children {
			if _, err := tx.ExecContext(ctx, `INSERT INTO disruption_children (disruption_id, child_id, role) VALUES ($1, $2, $3)`,
				d.ID, c.ChildID, c.Role); err != nil {
				return internal("disruption child", err)
			}
		}
		e := auditEntry{Action: "disruption.create", Entity: "disruption", EntityID: d.ID, Detail: "kind=" + string(d.Kind)}
		if len(d.Children) == 0 {
			tx.audit(e)
		}
		for _, c := range d.Children {
			e.ChildID = c.ChildID
			tx.audit(e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if d.Children == nil {
		d.Children = []lantern.DisruptionChild{}
	}
	return d, nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// DisruptionList is a list of disruptions, and how many children named in
// them the caller may not see (left out).
type DisruptionList struct {
	Disruptions []*lantern.Disruption `json:"disruptions"`
	// HiddenChildren counts the children named whom the caller may not see:
	// neither named nor linked to.
	HiddenChildren int `json:"children_not_shown"`
	// More says the list stopped at MaxDisruptions.
	More bool `json:"more"`
}

// Disruptions lists disruptions, newest first, narrowed by f.
func (s *Store) Disruptions(ctx context.Context, f lantern.DisruptionFilter) (*DisruptionList, error) {
	if err := may(ctx, lantern.ResDisruption, lantern.ActList); err != nil {
		return nil, err
	}
	l, err := s.disruptions(ctx, f)
	if err != nil {
		return nil, err
	}
	return l, s.auditedChildren(ctx, auditEntry{Action: "disruption.list", Entity: "disruption", Detail: disruptionIDs(l)}, childrenOf(l))
}

// PersonDisruptions lists what was done against a person of concern, and
// against the persons merged into them.
func (s *Store) PersonDisruptions(ctx context.Context, personID string) (*DisruptionList, error) {
	if err := may(ctx, lantern.ResDisruption, lantern.ActList); err != nil {
		return nil, err
	}
	ps, err := s.loadPersons(ctx, s.db, []string{personID})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, lantern.NotFound("Person")
	}
	l, err := s.disruptions(ctx, lantern.DisruptionFilter{PersonID: personID})
	if err != nil {
		return nil, err
	}
	return l, s.auditedChildren(ctx, auditEntry{Action: "disruption.list", Entity: "person", EntityID: personID, Detail: disruptionIDs(l)}, childrenOf(l))
}

// ChildDisruptions lists the disruptions that name a child the caller may
// see, for those who read them.
func (s *Store) ChildDisruptions(ctx context.Context, childID string) (*DisruptionList, error) {
	c, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	if err := mayChild(ctx, c, lantern.ResDisruption, lantern.ActRead); err != nil {
		return nil, err
	}
	l, err := s.disruptions(ctx, lantern.DisruptionFilter{ChildID: c.ID})
	if err != nil {
		return nil, err
	}
	return l, s.audited(ctx, auditEntry{Action: "disruption.list", Entity: "child", EntityID: c.ID, ChildID: c.ID, Detail: disruptionIDs(l)})
}

// disruptionIDs names the disruptions shown, for the audit trail (to a
// bound: the trail's detail is not a list of everything).
func disruptionIDs(l *DisruptionList) string {
	var ids []string
	for _, d := range l.Disruptions {
		if len(ids) == 50 {
			ids = append(ids, "…")
			break
		}
		ids = append(ids, d.ID)
	}
	return "ids=" + strings.Join(ids, ",")
}

func childrenOf(l *DisruptionList) []string {
	var out []string
	for _, d := range l.Disruptions {
		for _, c := range d.Children {
			out = append(out, c.ChildID)
		}
	}
	return out
}

// disruptions reads a list with no check or audit: the children named
// whom the caller may see, with their names; the others counted.
func (s *Store) disruptions(ctx context.Context, f lantern.DisruptionFilter) (*DisruptionList, error) {
	var args []any
	var where []string
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	if f.Kind != "" {
		where = append(where, "d.kind = "+arg(string(f.Kind)))
	}
	if f.Outcome != "" {
		where = append(where, "d.outcome = "+arg(f.Outcome))
	}
	if f.From != nil {
		where = append(where, "d.occurred_on >= "+arg(*f.From))
	}
	if f.To != nil {
		where = append(where, "d.occurred_on <= "+arg(*f.To))
	}
	if f.PersonID != "" {
		p := arg(f.PersonID)
		where = append(where, "(d.person_id = "+p+" OR d.person_id IN (SELECT id FROM intel_persons WHERE merged_into = "+p+"))")
	}
	if f.ChildID != "" {
		where = append(where, "EXISTS (SELECT 1 FROM disruption_children dc WHERE dc.disruption_id = d.id AND dc.child_id = "+arg(f.ChildID)+")")
	}
	if len(where) == 0 {
		where = append(where, "1 = 1")
	}
	lim := arg(MaxDisruptions + 1)
	ds, err := collect(ctx, s.db, "disruptions", `SELECT d.id, d.kind, d.name, d.outcome, d.occurred_on, d.expires_on, COALESCE(d.person_id, ''),
		COALESCE(d.place_id, ''), d.offence, d.notes, d.reference, d.recorded_by, d.agency_id, d.recorded_at FROM disruptions d
		WHERE `+strings.Join(where, " AND ")+` ORDER BY d.occurred_on DESC, d.recorded_at DESC, d.id LIMIT `+lim,
		func(r scanner) (*lantern.Disruption, error) {
			var d lantern.Disruption
			var exp lantern.Date
			err := r.Scan(&d.ID, &d.Kind, &d.Name, &d.Outcome, &d.Date, &exp, &d.PersonID, &d.PlaceID, &d.Offence, &d.Notes, &d.Reference,
				&d.RecordedBy, &d.AgencyID, timeScan{&d.RecordedAt})
			if !exp.IsZero() {
				d.Expires = &exp
			}
			d.Children = []lantern.DisruptionChild{}
			return &d, err
		}, args...)
	if err != nil {
		return nil, err
	}
	out := &DisruptionList{Disruptions: ds}
	if len(ds) > MaxDisruptions {
		out.Disruptions, out.More = ds[:MaxDisruptions], true
	}
	if out.Disruptions == nil {
		out.Disruptions = []*lantern.Disruption{}
	}
	return out, s.fillDisruptions(ctx, out)
}

// fillDisruptions adds each disruption's children (those the caller may
// see) and the labels of whom and what it is against.
func (s *Store) fillDisruptions(ctx context.Context, l *DisruptionList) error {
	if len(l.Disruptions) == 0 {
		return nil
	}
	byID := map[string]*lantern.Disruption{}
	var ids, persons, places []string
	for _, d := range l.Disruptions {
		byID[d.ID] = d
		ids = append(ids, d.ID)
		if d.PersonID != "" {
			persons = append(persons, d.PersonID)
		}
		if d.PlaceID != "" {
			places = append(places, d.PlaceID)
		}
	}
	refs := map[lantern.EntityRef]bool{}
	type named struct{ disruption, child, role string }
	var all []named
	for chunk := range slices.Chunk(ids, 500) {
		var args []any
		in := inList(&args, chunk)
		rows, err := s.db.QueryContext(ctx, `SELECT disruption_id, child_id, role FROM disruption_children WHERE disruption_id IN (`+in+`)
			ORDER BY disruption_id, role, child_id`, args...)
		if err != nil {
			return internal("disruption children", err)
		}
		for rows.Next() {
			var n named
			if err := rows.Scan(&n.disruption, &n.child, &n.role); err != nil {
				rows.Close()
				return internal("disruption children", err)
			}
			all = append(all, n)
			refs[lantern.EntityRef{Type: lantern.EntityChild, ID: n.child}] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return internal("disruption children", err)
		}
	}
	for _, id := range persons {
		refs[lantern.EntityRef{Type: lantern.EntityPerson, ID: id}] = true
	}
	for _, id := range places {
		refs[lantern.EntityRef{Type: lantern.EntityPlace, ID: id}] = true
	}
	labels, hidden, err := s.labels(ctx, refs)
	if err != nil {
		return err
	}
	for _, n := range all {
		d := byID[n.disruption]
		if hidden[n.child] {
			l.HiddenChildren++
			d.ChildrenNotShown++
			continue
		}
		d.Children = append(d.Children, lantern.DisruptionChild{ChildID: n.child, Role: n.role, Name: labels[n.child]})
	}
	for _, d := range l.Disruptions {
		d.PersonLabel, d.PlaceLabel = labels[d.PersonID], labels[d.PlaceID]
	}
	return nil
}

// DisruptionFigures counts the period's disruptions for the partnership,
// naming no one: each kind, each court outcome, the distinct persons
// convicted ("offenders brought to justice"; a person merged into another
// counted as that other), the persons disrupted and the children named.
func (s *Store) DisruptionFigures(ctx context.Context, from, to lantern.Date) (*lantern.DisruptionFigures, error) {
	if err := may(ctx, lantern.ResFigures, lantern.ActRead); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "to", Message: "The end must not be before the start"})
	}
	out := &lantern.DisruptionFigures{From: from, To: to, ByKind: []lantern.DisruptionCount{}, Outcomes: []lantern.DisruptionCount{}}
	kinds, outcomes := map[string]int{}, map[string]int{}
	rows, err := s.db.QueryContext(ctx, `SELECT kind, outcome, count(*) FROM disruptions WHERE occurred_on >= $1 AND occurred_on <= $2
		GROUP BY kind, outcome`, from, to)
	if err != nil {
		return nil, internal("disruption figures", err)
	}
	for rows.Next() {
		var k, o string
		var n int
		if err := rows.Scan(&k, &o, &n); err != nil {
			rows.Close()
			return nil, internal("disruption figures", err)
		}
		kinds[k] += n
		if k == string(lantern.DisruptCourtOutcome) {
			outcomes[o] += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("disruption figures", err)
	}
	for _, k := range lantern.DisruptionKinds {
		out.ByKind = append(out.ByKind, lantern.DisruptionCount{Key: string(k), Label: k.Label(), Count: kinds[string(k)]})
	}
	for _, o := range lantern.CourtOutcomes {
		out.Outcomes = append(out.Outcomes, lantern.DisruptionCount{Key: o, Label: lantern.CourtOutcomeLabel(o), Count: outcomes[o]})
	}
	root := `COALESCE(p.merged_into, p.id)`
	if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT `+root+`) FROM disruptions d JOIN intel_persons p ON p.id = d.person_id
		WHERE d.occurred_on >= $1 AND d.occurred_on <= $2 AND d.kind = $3 AND d.outcome = $4`,
		from, to, string(lantern.DisruptCourtOutcome), lantern.OutcomeConvicted).Scan(&out.BroughtToJustice); err != nil {
		return nil, internal("offenders brought to justice", err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT `+root+`) FROM disruptions d JOIN intel_persons p ON p.id = d.person_id
		WHERE d.occurred_on >= $1 AND d.occurred_on <= $2`, from, to).Scan(&out.Persons); err != nil {
		return nil, internal("persons disrupted", err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT COALESCE(c.merged_into, c.id)) FROM disruptions d
		JOIN disruption_children dc ON dc.disruption_id = d.id JOIN children c ON c.id = dc.child_id
		WHERE d.occurred_on >= $1 AND d.occurred_on <= $2`, from, to).Scan(&out.Children); err != nil {
		return nil, internal("children named", err)
	}
	return out, s.audited(ctx, auditEntry{Action: "disruption.figures", Entity: "disruption", Detail: "from=" + from.String() + " to=" + to.String()})
}
