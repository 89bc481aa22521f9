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
		p.Text = lantern.PromptText(ind, p.RecordedOn, l.Kind, reader, label, via)
		if reader {
			f := far
			p.Entity, p.Label, p.Via = &f, label, via
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
		if d.Indicator == "" || d.LinkID == "" {
			if d.Indicator == "" {
				p.Add(field+".indicator", "Name the indicator the suggestion is for")
			}
			if d.LinkID == "" {
				p.Add(field+".link_id", "Name the link the suggestion came from")
			}
			continue
		}
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

// AssessmentPrompts lists the decisions on suggestions kept with the named
// assessments of a child the caller may see (with every one of the
// child's assessments when none is named), each with the link it came
// from as the caller may read it: the person, place, phone, vehicle or
// account at its other end for those who read intelligence, and for
// anyone else only that intelligence links the child to a person of
// concern or a hotspot, and when. A decision on a link of handling C is
// the police's: no one else is shown it. The read is audited, with the
// links shown.
func (s *Store) AssessmentPrompts(ctx context.Context, childID string, assessmentIDs ...string) ([]lantern.AssessmentPrompt, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	ps, err := s.assessmentPrompts(ctx, childID, assessmentIDs)
	if err != nil {
		return nil, err
	}
	return ps, s.audited(ctx, promptsRead(childID, assessmentIDs, ps))
}

// promptsRead is the audit entry for a read of kept decisions: the
// assessment (when one is named), and the links shown.
func promptsRead(childID string, assessmentIDs []string, ps []lantern.AssessmentPrompt) auditEntry {
	e := auditEntry{Action: "assessment.prompts.read", Entity: "assessment", ChildID: childID}
	if len(assessmentIDs) == 1 {
		e.EntityID = assessmentIDs[0]
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.LinkID
	}
	e.Detail = itoa(len(ps)) + " decisions"
	if len(ids) > 0 {
		e.Detail += ": " + joinIDs(ids)
	}
	return e
}

// assessmentPrompts reads the kept decisions, with no check or audit.
func (s *Store) assessmentPrompts(ctx context.Context, childID string, assessmentIDs []string) ([]lantern.AssessmentPrompt, error) {
	u := lantern.UserFromContext(ctx)
	police := lantern.Allowed(u, lantern.ResIntelSource, lantern.ActRead, lantern.RelArea)
	reader := lantern.Allowed(u, lantern.ResIntel, lantern.ActRead, lantern.RelArea)
	args := []any{childID}
	where := `x.child_id = $1`
	if len(assessmentIDs) > 0 {
		where += ` AND p.assessment_id IN (` + inList(&args, assessmentIDs) + `)`
	}
	ds, err := collect(ctx, s.db, "assessment prompts", `SELECT p.assessment_id, p.indicator, p.link_id, p.decision, p.reason, p.decided_by, u.name, p.decided_at
		FROM assessment_intel_prompts p JOIN assessments x ON x.id = p.assessment_id JOIN users u ON u.id = p.decided_by
		WHERE `+where+` ORDER BY x.assessed_on DESC, x.created_at DESC, p.assessment_id, p.indicator, p.link_id`,
		func(r scanner) (lantern.AssessmentPrompt, error) {
			var d lantern.AssessmentPrompt
			err := r.Scan(&d.AssessmentID, &d.Indicator, &d.LinkID, &d.Decision, &d.Reason, &d.DecidedBy, &d.DecidedByName, timeScan{&d.DecidedAt})
			return d, err
		}, args...)
	if err != nil || len(ds) == 0 {
		return ds, err
	}
	// The links the decisions came from, read as they are now.
	seen := map[string]bool{}
	var ids []string
	for _, d := range ds {
		if !seen[d.LinkID] {
			seen[d.LinkID] = true
			ids = append(ids, d.LinkID)
		}
	}
	byID := map[string]*lantern.Link{}
	far := map[string]lantern.EntityRef{}
	refs := map[lantern.EntityRef]bool{}
	for chunk := range slices.Chunk(ids, 500) {
		var largs []any
		ls, err := s.links(ctx, s.db, `l.id IN (`+inList(&largs, chunk)+`)`, largs...)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			byID[l.ID] = l
			f := l.To
			if f.Type == lantern.EntityChild && l.From.Type != lantern.EntityChild {
				f = l.From
			}
			far[l.ID] = f
			refs[f] = true
		}
	}
	labels := map[string]string{}
	if reader {
		if labels, _, err = s.labels(ctx, refs); err != nil {
			return nil, err
		}
	}
	out := ds[:0]
	for _, d := range ds {
		l := byID[d.LinkID]
		if l == nil || (l.Restricted() && !police) {
			continue
		}
		d.RecordedOn = lantern.DateOf(l.RecordedAt)
		d.Text = lantern.PromptText(d.Indicator, d.RecordedOn, l.Kind, reader, labels[far[l.ID].ID], "")
		if reader {
			f := far[l.ID]
			d.Entity, d.Label, d.Withdrawn = &f, labels[f.ID], l.Withdrawn != nil
		}
		out = append(out, d)
	}
	return out, nil
}
