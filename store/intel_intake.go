package store

import (
	"context"
	"strings"

	"lantern"
)

// Intelligence from a record (issue 14, item 4): what a concern, referral,
// meeting or missing episode of a child names, offered to whoever may
// record intelligence about the child, and the entities and links they
// confirm, each link sourced to the record.
//
// Partners record intelligence but may not read it. What they are told of
// what is held is therefore only what the natural keys already answer (a
// vehicle, phone or account created with a registration, number or handle
// held is that one): "already held", with no label, link or other detail,
// and the link goes to the held record. Persons and places have no such
// key: a partner's are recorded as new, for the police and analysts to
// merge; only those who read intelligence see possible matches and choose
// one.

// IntakeSource reads the record intelligence is taken from: one of the
// child's, which the caller may see (else not found), with its text.
func (s *Store) IntakeSource(ctx context.Context, childID, typ, id string) (*lantern.IntakeSource, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	src := &lantern.IntakeSource{Type: typ, ID: id}
	switch typ {
	case "concern":
		k, err := s.FindConcern(ctx, childID, id)
		if err != nil {
			return nil, err
		}
		src.Date = lantern.DateOf(k.RaisedAt)
		src.Text = joinText(k.Summary, k.DisclosureWords, k.ImmediateAction)
	case "referral":
		r, err := s.FindReferral(ctx, childID, id)
		if err != nil {
			return nil, err
		}
		src.Date = lantern.DateOf(r.ReceivedAt)
		texts := []string{r.DecisionReason}
		if r.ConcernID != "" {
			if k, err := s.FindConcern(ctx, childID, r.ConcernID); err == nil {
				texts = append([]string{k.Summary, k.DisclosureWords}, texts...)
			}
		}
		src.Text = joinText(texts...)
	case "meeting":
		m, err := s.meeting(ctx, s.db, id)
		if lantern.ErrorCode(err) == lantern.ENOTFOUND || err == nil && !contains(m.ChildIDs, childID) {
			return nil, lantern.NotFound("Meeting")
		} else if err != nil {
			return nil, err
		}
		if err := s.mayMeeting(ctx, s.db, m, lantern.ActRead); err != nil {
			return nil, err
		}
		src.Date = lantern.DateOf(m.StartsAt)
		src.Text = m.Associates
		if err := s.audited(ctx, auditEntry{Action: "meeting.read", Entity: "meeting", EntityID: id, ChildID: childID}); err != nil {
			return nil, err
		}
	case "missing-episode":
		e, err := s.Episode(ctx, childID, id)
		if err != nil {
			return nil, err
		}
		src.Date = lantern.DateOf(e.MissingFrom)
		if e.ReturnedAt != nil {
			src.Date = lantern.DateOf(*e.ReturnedAt)
		}
		src.Where = strings.TrimSpace(e.ReturnedWhere)
		src.Text = joinText(e.ReturnedWhere, e.ReturnedWith)
	default:
		return nil, lantern.NotFound("Record")
	}
	src.Label = lantern.SourceLabel(typ, src.Date)
	return src, nil
}

func contains(ids []string, id string) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

func joinText(ts ...string) string {
	var out []string
	for _, t := range ts {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n\n")
}

// mayIntakeChild checks the caller may record intelligence about a child
// they may see.
func (s *Store) mayIntakeChild(ctx context.Context, childID string) (*lantern.Child, error) {
	child, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	return child, mayChild(ctx, child, lantern.ResIntel, lantern.ActCreate)
}

// IntakeSuggestions finds what the record's text names and, for each, what
// is held: for those who read intelligence, the records it may be; for
// anyone else, only whether a vehicle, phone or account with the same key
// is held.
func (s *Store) IntakeSuggestions(ctx context.Context, childID string, src *lantern.IntakeSource) ([]lantern.IntakeSuggestion, error) {
	if _, err := s.mayIntakeChild(ctx, childID); err != nil {
		return nil, err
	}
	reader := lantern.Allowed(lantern.UserFromContext(ctx), lantern.ResIntel, lantern.ActRead, lantern.RelArea)
	ms := lantern.Mentions(src.Text)
	if src.Where != "" && !mentionsPlace(ms, src.Where) {
		// The where-found text is a place whatever its words.
		w := src.Where
		if len(w) > 200 {
			w = w[:200]
		}
		ms = append([]lantern.Mention{{Type: lantern.EntityPlace, Text: w, Value: w}}, ms...)
	}
	out := make([]lantern.IntakeSuggestion, 0, len(ms))
	for _, m := range ms {
		sg := lantern.IntakeSuggestion{Mention: m, Kind: lantern.IntakeKind(m.Type, src.Type)}
		var err error
		if reader {
			sg.Matches, err = s.intakeMatches(ctx, m)
		} else {
			sg.Held, err = s.heldByKey(ctx, m)
		}
		if err != nil {
			return nil, err
		}
		sg.Held = sg.Held || len(sg.Matches) > 0
		out = append(out, sg)
	}
	return out, nil
}

func mentionsPlace(ms []lantern.Mention, where string) bool {
	for _, m := range ms {
		if m.Type == lantern.EntityPlace && strings.EqualFold(m.Text, where) {
			return true
		}
	}
	return false
}

// intakeMatches are the held records a mention may be, by the searches of
// the intelligence pages (each audited as a search).
func (s *Store) intakeMatches(ctx context.Context, m lantern.Mention) ([]lantern.IntelResult, error) {
	var rs []lantern.IntelResult
	var err error
	switch m.Type {
	case lantern.EntityVehicle:
		rs, err = s.SearchVRM(ctx, m.Value)
	case lantern.EntityPhone:
		rs, err = s.SearchPhone(ctx, m.Value)
	default:
		q := m.Value
		if len([]rune(q)) > 100 {
			q = string([]rune(q)[:100])
		}
		rs, err = s.SearchWords(ctx, q)
	}
	if lantern.ErrorCode(err) == lantern.EINVALID {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []lantern.IntelResult
	for _, r := range rs {
		if r.Type == m.Type && len(out) < 10 {
			out = append(out, r)
		}
	}
	return out, nil
}

// heldByKey reports whether a vehicle, phone or account with the mention's
// very registration, number or handle is held: no more than creating it
// would answer. A partial registration, a person and a place are never
// matched for someone who may not read intelligence.
func (s *Store) heldByKey(ctx context.Context, m lantern.Mention) (bool, error) {
	var q string
	var arg any
	switch m.Type {
	case lantern.EntityVehicle:
		vrm, partial, ok := lantern.NormaliseVRM(m.Value)
		if !ok || partial {
			return false, nil
		}
		q, arg = `SELECT count(*) FROM intel_vehicles WHERE vrm = $1`, vrm
	case lantern.EntityPhone:
		e, ok := lantern.NormalisePhone(m.Value)
		if !ok {
			return false, nil
		}
		q, arg = `SELECT count(*) FROM intel_phones WHERE e164 = $1`, e
	case lantern.EntityAccount:
		if m.Platform == "" {
			return false, nil
		}
		q, arg = `SELECT count(*) FROM intel_accounts WHERE account_key = $1`, lantern.AccountKey(m.Platform, m.Value)
	default:
		return false, nil
	}
	var n int
	if err := s.db.QueryRowContext(ctx, q, arg).Scan(&n); err != nil {
		return false, internal("held", err)
	}
	return n > 0, nil
}

// RecordIntake stores the items confirmed from a record of a child: each a
// new entity, or the one held with its key, or (for those who read
// intelligence) the held one chosen; and a link from the child, sourced to
// the record. All or nothing.
func (s *Store) RecordIntake(ctx context.Context, childID string, src *lantern.IntakeSource, items []lantern.IntakeItem) ([]lantern.IntakeRecorded, error) {
	if _, err := s.mayIntakeChild(ctx, childID); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	es, err := lantern.CheckIntake(items, now)
	if err != nil {
		return nil, err
	}
	reader := lantern.Allowed(u, lantern.ResIntel, lantern.ActRead, lantern.RelArea)
	var p lantern.Problems
	for i, e := range es {
		if e.Item.Held != "" && !reader {
			p.Add("items["+itoa(i)+"].held", "Describe the "+string(e.Item.Type)+": only those who read intelligence choose a record held")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out []lantern.IntakeRecorded
	var links []*lantern.Link
	err = s.write(ctx, func(tx *tx) error {
		out, links = nil, nil
		if _, err := s.findChild(ctx, tx, childID, true); err != nil {
			return err
		}
		if ok, err := s.sourceVisible(ctx, tx, string(src.Type), src.ID); err != nil {
			return err
		} else if !ok {
			return lantern.NotFound("Record")
		}
		seen := map[string]bool{}
		var p lantern.Problems
		for i, e := range es {
			rec := lantern.IntakeRecorded{Type: e.Item.Type, Kind: e.Item.Kind}
			switch {
			case e.Item.Held != "":
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+entityTables[e.Item.Type]+` WHERE id = $1`, e.Item.Held).Scan(&n); err != nil {
					return internal("intake held", err)
				}
				if n == 0 {
					p.Add("items["+itoa(i)+"].held", "No "+string(e.Item.Type)+" is held with this id")
					continue
				}
				rec.ID = e.Item.Held
			case e.Person != nil:
				e.Person.ID, e.Person.CreatedAt = newID(), now
				if err := s.insertPerson(ctx, tx, e.Person); err != nil {
					return err
				}
				rec.ID, rec.Created = e.Person.ID, true
			case e.Vehicle != nil:
				e.Vehicle.ID, e.Vehicle.CreatedAt = newID(), now
				created, err := s.upsertVehicle(ctx, tx, e.Vehicle)
				if err != nil {
					return err
				}
				rec.ID, rec.Created = e.Vehicle.ID, created
			case e.Phone != nil:
				e.Phone.ID, e.Phone.CreatedAt = newID(), now
				ph, created, err := s.upsertPhone(ctx, tx, e.Phone)
				if err != nil {
					return err
				}
				rec.ID, rec.Created = ph.ID, created
			case e.Place != nil:
				e.Place.ID, e.Place.CreatedAt = newID(), now
				if err := s.insertPlace(ctx, tx, e.Place); err != nil {
					return err
				}
				rec.ID, rec.Created = e.Place.ID, true
			case e.Account != nil:
				e.Account.ID, e.Account.CreatedAt = newID(), now
				a, created, err := s.upsertAccount(ctx, tx, e.Account)
				if err != nil {
					return err
				}
				rec.ID, rec.Created = a.ID, created
			}
			// The same thing named twice with the same kind is one link.
			key := string(rec.Type) + ":" + rec.ID + ":" + string(rec.Kind)
			if seen[key] {
				continue
			}
			seen[key] = true
			l := &lantern.Link{ID: newID(), From: lantern.EntityRef{Type: lantern.EntityChild, ID: childID},
				To: lantern.EntityRef{Type: rec.Type, ID: rec.ID}, Kind: rec.Kind, Source: src.Label,
				SourceRecord: &lantern.EntityRef{Type: lantern.EntityType(src.Type), ID: src.ID}, HowKnown: e.Item.HowKnown,
				RecordedBy: u.ID, AgencyID: u.AgencyID, RecordedAt: now}
			if err := lantern.CheckLink(l); err != nil {
				return err
			}
			if err := s.insertLink(ctx, tx, l, childID); err != nil {
				return err
			}
			rec.LinkID = l.ID
			out = append(out, rec)
			links = append(links, l)
		}
		if err := p.Err(); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "intel.intake", Entity: src.Type, EntityID: src.ID, ChildID: childID, Detail: itoa(len(out)) + " linked"})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, l := range links { // into this replica's graph index at once
		s.graphChanged(l)
	}
	// New persons are filed for entity resolution, as any person made.
	for _, r := range out {
		if r.Type == lantern.EntityPerson && r.Created {
			if err := s.resolvePerson(ctx, r.ID); err != nil {
				s.log.Error("resolve person", "person", r.ID, "err", err)
			}
		}
	}
	return out, nil
}
