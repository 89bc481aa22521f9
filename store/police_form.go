package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"lantern"
)

// The partner intelligence form (docs/intelligence.md#the-partner-intelligence-form):
// a child's links and the things at their ends, chosen item by item and
// sent to the police. Whoever may record intelligence may send it about a
// child they may see: the child's links, and the links of the things at
// their ends to other things (who uses the car) — every such link for
// those who read intelligence, those their own agency recorded for anyone
// else. The source's identity, who
// recorded a link and handling C's conditions are never on it; handling-C
// links are offered to the police alone. Each form produced is recorded as
// an information share (what 'police-form', the force its recipient), with
// the ids of its items. The force is not made involved with the child by
// it: the form goes to the force, not a link to the record.

// PoliceFormChoices is what a form about a child may hold, the forces it
// may go to, and the forms produced before.
type PoliceFormChoices struct {
	Child  *lantern.Child
	Items  []lantern.PoliceFormItem
	Forces []lantern.PoliceFormAgency
	Shares []*lantern.PoliceFormShare
}

// ShareWhatPoliceForm is an information share's what for a partner
// intelligence form.
const ShareWhatPoliceForm = "police-form"

// PoliceFormChoices reads what the caller may put on a form about a child.
func (s *Store) PoliceFormChoices(ctx context.Context, childID string) (*PoliceFormChoices, error) {
	c, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	if err := mayChild(ctx, c, lantern.ResIntelShare, lantern.ActCreate); err != nil {
		return nil, err
	}
	items, err := s.policeFormItems(ctx, c)
	if err != nil {
		return nil, err
	}
	out := &PoliceFormChoices{Child: c, Items: items}
	if out.Forces, err = s.policeForces(ctx, s.db); err != nil {
		return nil, err
	}
	if out.Shares, err = s.policeFormShares(ctx, c.ID); err != nil {
		return nil, err
	}
	return out, s.audited(ctx, auditEntry{Action: "police-form.choose", Entity: "child", EntityID: c.ID, ChildID: c.ID})
}

// ProducePoliceForm produces a form about a child of the items chosen
// (each one the caller may send) for a police force, and records it as a
// share.
func (s *Store) ProducePoliceForm(ctx context.Context, childID string, req lantern.PoliceFormRequest) (*lantern.PoliceForm, error) {
	c, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	if err := mayChild(ctx, c, lantern.ResIntelShare, lantern.ActCreate); err != nil {
		return nil, err
	}
	if err := lantern.CheckPoliceFormRequest(&req); err != nil {
		return nil, err
	}
	items, err := s.policeFormItems(ctx, c)
	if err != nil {
		return nil, err
	}
	byKey := map[string]lantern.PoliceFormItem{}
	for _, it := range items {
		byKey[it.Key()] = it
	}
	var p lantern.Problems
	var chosen []lantern.PoliceFormItem
	for i, k := range req.Items {
		it, ok := byKey[k]
		if !ok {
			p.Add("items["+itoa(i)+"]", "Choose from the items listed for this child: this one is not among them")
			continue
		}
		chosen = append(chosen, it)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	form := &lantern.PoliceForm{ID: newID(), Child: lantern.PoliceFormChild{ID: c.ID, GivenName: c.GivenName, FamilyName: c.FamilyName,
		DateOfBirth: c.DateOfBirth, Gender: c.Gender}, FromAgency: lantern.PoliceFormAgency{ID: u.AgencyID, Name: u.AgencyName},
		Purpose: req.Purpose, ProducedAt: now, Items: chosen}
	err = s.write(ctx, func(tx *tx) error {
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT name, kind FROM agencies WHERE id = $1`, req.AgencyID).Scan(&form.Force.Name, &kind)
		switch {
		case errors.Is(err, sql.ErrNoRows) || err == nil && kind != string(lantern.KindPolice):
			return lantern.Invalid(lantern.FieldError{Field: "agency_id", Message: "Choose the police force the form is for"})
		case err != nil:
			return internal("police force", err)
		}
		form.Force.ID = req.AgencyID
		if _, err := tx.ExecContext(ctx, `INSERT INTO information_shares (id, child_id, meeting_id, what, assessment_id, recipient_name,
			recipient_email, recipient_agency, recipient_role, purpose, shared_at, shared_by, sent_at, recipient_agency_id,
			outcome, basis, special_condition, consent, reason)
			VALUES ($1, $2, '', $3, '', $4, '', '', '', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			form.ID, c.ID, ShareWhatPoliceForm, form.Force.Name, form.Purpose, s.d.ts(now), u.ID, s.d.ts(now), form.Force.ID,
			string(lantern.ShareShared), string(lantern.BasisPublicTask), string(lantern.ConditionSafeguardingChildren), string(lantern.ConsentNotSought),
			lantern.SystemShareReason); err != nil {
			return internal("record police form", err)
		}
		for i, it := range chosen {
			if _, err := tx.ExecContext(ctx, `INSERT INTO information_share_items (share_id, seq, item_type, item_id) VALUES ($1, $2, $3, $4)`,
				form.ID, i, string(it.Type), it.ID); err != nil {
				return internal("police form item", err)
			}
		}
		tx.audit(auditEntry{Action: "share.create", Entity: "share", EntityID: form.ID, ChildID: c.ID,
			Detail: "what=" + ShareWhatPoliceForm + " to=" + form.Force.ID + " items=" + itoa(len(chosen))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return form, nil
}

// policeForces are the area's police forces.
func (s *Store) policeForces(ctx context.Context, q querier) ([]lantern.PoliceFormAgency, error) {
	out, err := collect(ctx, q, "police forces", `SELECT id, name FROM agencies WHERE kind = $1 ORDER BY lower(name), id`,
		func(r scanner) (lantern.PoliceFormAgency, error) {
			var a lantern.PoliceFormAgency
			err := r.Scan(&a.ID, &a.Name)
			return a, err
		}, string(lantern.KindPolice))
	if out == nil {
		out = []lantern.PoliceFormAgency{}
	}
	return out, err
}

// policeFormShares lists the forms produced about a child, newest first,
// with the ids of what each held.
func (s *Store) policeFormShares(ctx context.Context, childID string) ([]*lantern.PoliceFormShare, error) {
	shares, err := collect(ctx, s.db, "police form shares", `SELECT s.id, s.child_id, s.recipient_agency_id, s.recipient_name, s.purpose, s.shared_at,
		s.shared_by, COALESCE(u.name, '') FROM information_shares s LEFT JOIN users u ON u.id = s.shared_by
		WHERE s.child_id = $1 AND s.what = $2 ORDER BY s.shared_at DESC, s.id`,
		func(r scanner) (*lantern.PoliceFormShare, error) {
			var sh lantern.PoliceFormShare
			err := r.Scan(&sh.ID, &sh.ChildID, &sh.ForceID, &sh.ForceName, &sh.Purpose, timeScan{&sh.SharedAt}, &sh.SharedBy, &sh.SharedName)
			sh.Items = []string{}
			return &sh, err
		}, childID, ShareWhatPoliceForm)
	if err != nil || len(shares) == 0 {
		return []*lantern.PoliceFormShare{}, err
	}
	byID := map[string]*lantern.PoliceFormShare{}
	var ids []string
	for _, sh := range shares {
		byID[sh.ID] = sh
		ids = append(ids, sh.ID)
	}
	for chunk := range slices.Chunk(ids, 500) {
		var args []any
		in := inList(&args, chunk)
		rows, err := s.db.QueryContext(ctx, `SELECT share_id, item_type, item_id FROM information_share_items WHERE share_id IN (`+in+`)
			ORDER BY share_id, seq`, args...)
		if err != nil {
			return nil, internal("police form items", err)
		}
		for rows.Next() {
			var sid, t, id string
			if err := rows.Scan(&sid, &t, &id); err != nil {
				rows.Close()
				return nil, internal("police form items", err)
			}
			byID[sid].Items = append(byID[sid].Items, t+":"+id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal("police form items", err)
		}
	}
	return shares, nil
}

// policeFormItems are the items the caller may send about c: the things
// linked to the child, the links, and the links of those things to other
// things. Children the caller may not see are left
// out with their links.
func (s *Store) policeFormItems(ctx context.Context, c *lantern.Child) ([]lantern.PoliceFormItem, error) {
	u := lantern.UserFromContext(ctx)
	reads := lantern.Allowed(u, lantern.ResIntel, lantern.ActRead, lantern.RelArea)
	police := lantern.Allowed(u, lantern.ResIntelSource, lantern.ActRead, lantern.RelArea)
	filter := func(args *[]any) string {
		w := ` AND l.withdrawn_at IS NULL`
		if !police {
			w += ` AND l.grade_handling <> 'C'`
		}
		if !reads {
			*args = append(*args, u.AgencyID)
			w += ` AND l.agency_id = $` + itoa(len(*args))
		}
		return w
	}
	args := []any{c.ID}
	where := `(l.from_id = $1 OR l.to_id = $1)` + filter(&args)
	args = append(args, MaxEntityLinks)
	links, err := s.links(ctx, s.db, where+` ORDER BY l.recorded_at DESC, l.id LIMIT $`+itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	ends := map[string]bool{}
	for _, l := range links {
		for _, e := range []lantern.EntityRef{l.From, l.To} {
			if e.Type != lantern.EntityChild {
				ends[e.ID] = true
			}
		}
	}
	if len(ends) > 0 && len(links) < MaxEntityLinks {
		// The links of the things linked to the child, to things other than
		// children: who uses the car, whose phone it is.
		ids := make([]string, 0, len(ends))
		for id := range ends {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		seen := map[string]bool{}
		for _, l := range links {
			seen[l.ID] = true
		}
		for chunk := range slices.Chunk(ids, 250) {
			var args []any
			in := inList(&args, chunk)
			where := `(l.from_id IN (` + in + `) OR l.to_id IN (` + in + `)) AND l.from_type <> 'child' AND l.to_type <> 'child'` + filter(&args)
			args = append(args, MaxEntityLinks-len(links))
			more, err := s.links(ctx, s.db, where+` ORDER BY l.recorded_at DESC, l.id LIMIT $`+itoa(len(args)), args...)
			if err != nil {
				return nil, err
			}
			for _, l := range more {
				if !seen[l.ID] && len(links) < MaxEntityLinks {
					seen[l.ID] = true
					links = append(links, l)
				}
			}
		}
	}
	refs := map[lantern.EntityRef]bool{}
	for _, l := range links {
		refs[l.From], refs[l.To] = true, true
	}
	labels, hidden, err := s.labels(ctx, refs)
	if err != nil {
		return nil, err
	}
	byType := map[lantern.EntityType][]string{}
	inForm := map[string]bool{}
	var linkItems []lantern.PoliceFormItem
	for _, l := range links {
		if hidden[l.From.ID] || hidden[l.To.ID] {
			continue
		}
		for _, e := range []lantern.EntityRef{l.From, l.To} {
			if e.Type != lantern.EntityChild && !inForm[e.ID] {
				inForm[e.ID] = true
				byType[e.Type] = append(byType[e.Type], e.ID)
			}
		}
		fl := lantern.ShareablePoliceLink(l, labels[l.From.ID], labels[l.To.ID], police || l.AgencyID == u.AgencyID)
		linkItems = append(linkItems, lantern.PoliceFormItem{Type: "link", ID: l.ID, Label: fl.FromLabel + ": " + lantern.LowerFirst(fl.KindLabel) + " " + fl.ToLabel, Link: fl})
	}
	var out []lantern.PoliceFormItem
	if ids := byType[lantern.EntityPerson]; len(ids) > 0 {
		ps, err := s.loadPersons(ctx, s.db, ids)
		if err != nil {
			return nil, err
		}
		slices.SortFunc(ps, func(a, b *lantern.PersonOfConcern) int { return strings.Compare(a.Label(), b.Label()) })
		for _, p := range ps {
			out = append(out, lantern.PoliceFormItem{Type: lantern.EntityPerson, ID: p.ID, Label: p.Label(), Person: p})
		}
	}
	for _, t := range []lantern.EntityType{lantern.EntityVehicle, lantern.EntityPhone, lantern.EntityPlace, lantern.EntityAccount} {
		ids := byType[t]
		if len(ids) == 0 {
			continue
		}
		var args []any
		in := inList(&args, ids)
		var items []lantern.PoliceFormItem
		switch t {
		case lantern.EntityVehicle:
			vs, err := s.vehicles(ctx, s.db, `v.id IN (`+in+`)`, args...)
			if err != nil {
				return nil, err
			}
			for _, v := range vs {
				items = append(items, lantern.PoliceFormItem{Type: t, ID: v.ID, Label: v.Label(), Vehicle: v})
			}
		case lantern.EntityPhone:
			ps, err := s.phones(ctx, s.db, `p.id IN (`+in+`)`, args...)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				items = append(items, lantern.PoliceFormItem{Type: t, ID: p.ID, Label: p.Label(), Phone: p})
			}
		case lantern.EntityPlace:
			ps, err := s.places(ctx, s.db, `p.id IN (`+in+`)`, args...)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				items = append(items, lantern.PoliceFormItem{Type: t, ID: p.ID, Label: p.Label(), Place: p})
			}
		case lantern.EntityAccount:
			as, err := s.accounts(ctx, s.db, `a.id IN (`+in+`)`, args...)
			if err != nil {
				return nil, err
			}
			for _, a := range as {
				items = append(items, lantern.PoliceFormItem{Type: t, ID: a.ID, Label: a.Label(), Account: a})
			}
		}
		slices.SortFunc(items, func(a, b lantern.PoliceFormItem) int { return strings.Compare(a.Label, b.Label) })
		out = append(out, items...)
	}
	return append(out, linkItems...), nil
}
