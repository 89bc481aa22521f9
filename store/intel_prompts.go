package store

import (
	"context"
	"slices"

	"lantern"
)

// The toolkit's prompts from intelligence (issue 14, item 7).

// maxPrompts bounds the suggestions on one form.
const maxPrompts = 20

// IntelPrompts are the toolkit's suggestions for a child the caller may
// see: a live link from the child to a person of concern (associate,
// collected from, online contact), directly or through a phone, vehicle or
// account a person is linked to; or to a place that is a hotspot. Handling
// C links are the police's and suggest nothing to anyone else. Someone who
// may not read intelligence is told only that intelligence links the child
// to a person of concern or a hotspot, and when; no name, place or link.
func (s *Store) IntelPrompts(ctx context.Context, childID string) ([]lantern.IntelPrompt, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	ps, err := s.intelPrompts(ctx, childID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.LinkID
	}
	detail := itoa(len(ps)) + " suggested"
	if len(ids) > 0 {
		detail += ": " + joinIDs(ids)
	}
	return ps, s.audited(ctx, auditEntry{Action: "intel.prompts.read", Entity: "child", EntityID: childID, ChildID: childID, Detail: detail})
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += " "
		}
		out += id
	}
	return out
}

// intelPrompts works the prompts out, with no check or audit.
func (s *Store) intelPrompts(ctx context.Context, childID string) ([]lantern.IntelPrompt, error) {
	u := lantern.UserFromContext(ctx)
	police := lantern.Allowed(u, lantern.ResIntelSource, lantern.ActRead, lantern.RelArea)
	reader := lantern.Allowed(u, lantern.ResIntel, lantern.ActRead, lantern.RelArea)
	live := ` AND l.withdrawn_at IS NULL`
	if !police {
		live += ` AND l.grade_handling <> 'C'`
	}
	first, err := s.links(ctx, s.db, `((l.from_type = 'child' AND l.from_id = $1) OR (l.to_type = 'child' AND l.to_id = $1))`+live+
		` ORDER BY l.recorded_at, l.id LIMIT $2`, childID, networkLinkRows)
	if err != nil {
		return nil, err
	}
	type hop struct {
		link *lantern.Link
		far  lantern.EntityRef
	}
	var persons, places, middles []hop
	for _, l := range first {
		far := l.To
		if far.Type == lantern.EntityChild && far.ID == childID {
			far = l.From
		}
		switch far.Type {
		case lantern.EntityPerson:
			if slices.Contains(lantern.PromptKinds, l.Kind) {
				persons = append(persons, hop{l, far})
			}
		case lantern.EntityPlace:
			places = append(places, hop{l, far})
		case lantern.EntityPhone, lantern.EntityVehicle, lantern.EntityAccount:
			middles = append(middles, hop{l, far})
		}
	}
	var out []lantern.IntelPrompt
	seen := map[string]bool{}
	add := func(ind string, l *lantern.Link, far lantern.EntityRef, label, via string) {
		if seen[ind+l.ID] || len(out) >= maxPrompts {
			return
		}
		seen[ind+l.ID] = true
		p := lantern.IntelPrompt{Indicator: ind, LinkID: l.ID, RecordedOn: lantern.DateOf(l.RecordedAt)}
		what := "a person of concern"
		if ind == lantern.IndicatorHotspotAreas {
			what = "a place known as a hotspot"
		}
		p.Text = "Intelligence held links this child to " + what + " (recorded " + p.RecordedOn.String() + ")"
		if reader {
			f := far
			p.Entity, p.Label, p.Via = &f, label, via
			p.Text = "Intelligence links this child to " + label
			if via != "" {
				p.Text += " through " + via
			}
			p.Text += ": " + l.Kind.Label() + " (recorded " + p.RecordedOn.String() + ")"
		}
		out = append(out, p)
	}
	// Labels for readers only: no one else is told whose or where.
	label := func(refs ...lantern.EntityRef) (map[string]string, error) {
		if !reader {
			return map[string]string{}, nil
		}
		m := map[lantern.EntityRef]bool{}
		for _, r := range refs {
			m[r] = true
		}
		ls, _, err := s.labels(ctx, m)
		return ls, err
	}
	var refs []lantern.EntityRef
	for _, h := range persons {
		refs = append(refs, h.far)
	}
	ls, err := label(refs...)
	if err != nil {
		return nil, err
	}
	for _, h := range persons {
		add(lantern.IndicatorKnownPerpetrators, h.link, h.far, ls[h.far.ID], "")
	}
	// Two hops: a phone, vehicle or account the child is linked to, and a
	// person linked to it.
	if len(middles) > 0 {
		ids := make([]string, 0, len(middles))
		for _, h := range middles {
			ids = append(ids, h.far.ID)
		}
		var args []any
		in := inList(&args, ids)
		args = append(args, networkLinkRows)
		second, err := s.links(ctx, s.db, `((l.from_id IN (`+in+`) AND l.to_type = 'person') OR (l.to_id IN (`+in+`) AND l.from_type = 'person'))`+live+
			` ORDER BY l.recorded_at, l.id LIMIT $`+itoa(len(args)), args...)
		if err != nil {
			return nil, err
		}
		refs = refs[:0]
		for _, h := range middles {
			refs = append(refs, h.far)
		}
		for _, l := range second {
			refs = append(refs, l.From, l.To)
		}
		ls, err := label(refs...)
		if err != nil {
			return nil, err
		}
		for _, h := range middles {
			for _, l := range second {
				var person lantern.EntityRef
				switch {
				case l.From.ID == h.far.ID && l.To.Type == lantern.EntityPerson:
					person = l.To
				case l.To.ID == h.far.ID && l.From.Type == lantern.EntityPerson:
					person = l.From
				default:
					continue
				}
				add(lantern.IndicatorKnownPerpetrators, h.link, person, ls[person.ID], ls[h.far.ID])
			}
		}
	}
	if len(places) > 0 {
		ids := make([]string, 0, len(places))
		for _, h := range places {
			ids = append(ids, h.far.ID)
		}
		var args []any
		in := inList(&args, ids)
		args = append(args, true)
		hot, err := s.places(ctx, s.db, `p.id IN (`+in+`) AND p.hotspot = $`+itoa(len(args)), args...)
		if err != nil {
			return nil, err
		}
		byID := map[string]*lantern.Place{}
		for _, p := range hot {
			byID[p.ID] = p
		}
		for _, h := range places {
			if p := byID[h.far.ID]; p != nil {
				add(lantern.IndicatorHotspotAreas, h.link, h.far, p.Label(), "")
			}
		}
	}
	return out, nil
}

// checkPromptDecisions checks decisions against the prompts the child has
// now: each about one of them, confirmed only with its indicator ticked.
func (s *Store) checkPromptDecisions(ctx context.Context, childID string, ds []lantern.PromptDecision, ticked []string) error {
	if len(ds) == 0 {
		return nil
	}
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return err
	}
	ps, err := s.intelPrompts(ctx, childID)
	if err != nil {
		return err
	}
	var p lantern.Problems
	seen := map[string]bool{}
	for i := range ds {
		d := &ds[i]
		field := "prompts[" + itoa(i) + "]"
		if seen[d.Indicator+" "+d.LinkID] {
			p.Add(field, "Decide each suggestion once")
			continue
		}
		seen[d.Indicator+" "+d.LinkID] = true
		if !slices.ContainsFunc(ps, func(q lantern.IntelPrompt) bool { return q.Indicator == d.Indicator && q.LinkID == d.LinkID }) {
			p.Add(field, "This suggestion is no longer made: check the form again")
			continue
		}
		if err := lantern.CheckPromptDecision(d, field); err != nil {
			p = append(p, lantern.ErrorFields(err)...)
			continue
		}
		if d.Decision == lantern.PromptConfirmed && !slices.Contains(ticked, d.Indicator) {
			p.Add(field, "Confirming a suggestion ticks its indicator: tick it, or decline the suggestion")
		}
	}
	return p.Err()
}

// AssessmentPrompts lists the decisions on suggestions kept with an
// assessment of a child the caller may see.
func (s *Store) AssessmentPrompts(ctx context.Context, childID, assessmentID string) ([]lantern.PromptDecision, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	return collect(ctx, s.db, "assessment prompts", `SELECT p.indicator, p.link_id, p.decision, p.reason FROM assessment_intel_prompts p
		JOIN assessments x ON x.id = p.assessment_id WHERE x.child_id = $1 AND p.assessment_id = $2 ORDER BY p.indicator, p.link_id`,
		func(r scanner) (lantern.PromptDecision, error) {
			var d lantern.PromptDecision
			err := r.Scan(&d.Indicator, &d.LinkID, &d.Decision, &d.Reason)
			return d, err
		}, childID, assessmentID)
}
