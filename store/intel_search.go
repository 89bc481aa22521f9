package store

import (
	"context"
	"sort"
	"strings"

	"lantern"
	"lantern/match"
)

// Searching intelligence (docs/intelligence.md#search): by registration,
// whole or partial, by phone number, or by words (names, street names,
// places, handles). The trail records what kind of search was made and what
// it found, never the words searched for.

// MaxIntelResults bounds a search's answer.
const MaxIntelResults = 100

// IntelResult is one thing a search found.
type IntelResult = lantern.IntelResult

// SearchVRM finds the vehicles a registration could be: the same
// registration; for a partial one, every registration it could be; and the
// partial registrations held that it could be.
func (s *Store) SearchVRM(ctx context.Context, raw string) ([]lantern.IntelResult, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	vrm, partial, ok := lantern.NormaliseVRM(raw)
	if !ok {
		return nil, lantern.Invalid(lantern.FieldError{Field: "vrm", Message: "Enter a registration: letters and numbers, with ? for each character not known"})
	}
	found := map[string]*lantern.Vehicle{}
	add := func(vs []*lantern.Vehicle) {
		for _, v := range vs {
			if lantern.VRMMatches(vrm, v.VRM) {
				found[v.ID] = v
			}
		}
	}
	if !partial {
		vs, err := s.vehicles(ctx, s.db, `v.vrm = $1`, vrm)
		if err != nil {
			return nil, err
		}
		add(vs)
	} else {
		// Use whichever end is known for longer: a pattern that starts with
		// ? is searched for from its end, reversed.
		col, pat := "v.vrm", vrm
		if strings.IndexByte(vrm, '?') < strings.IndexByte(reverse(vrm), '?') {
			col, pat = "v.vrm_rev", reverse(vrm)
		}
		vs, err := s.vehicles(ctx, s.db, s.d.vrmPattern(col, "$1")+` LIMIT $2`, s.d.vrmPatternArg(pat), MaxIntelResults*4)
		if err != nil {
			return nil, err
		}
		add(vs)
	}
	// Partial registrations held that this one could be: each is this one
	// with some characters written ?, so every such pattern is looked up by
	// the index (at most 2^8 of them), rather than every partial one read.
	var args []any
	for _, pat := range partialPatterns(vrm) {
		args = append(args, pat)
	}
	vs, err := s.vehicles(ctx, s.db, `v.vrm IN (`+placeholders(1, len(args))+`)`, args...)
	if err != nil {
		return nil, err
	}
	add(vs)
	out := make([]lantern.IntelResult, 0, len(found))
	for _, v := range found {
		out = append(out, lantern.IntelResult{Type: lantern.EntityVehicle, ID: v.ID, Label: v.Label(), Exact: v.VRM == vrm})
	}
	sortResults(out)
	return s.searched(ctx, "vrm", out)
}

// SearchPhone finds a phone number, whatever form it is written in.
func (s *Store) SearchPhone(ctx context.Context, raw string) ([]lantern.IntelResult, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	e, ok := lantern.NormalisePhone(raw)
	if !ok {
		return nil, lantern.Invalid(lantern.FieldError{Field: "phone", Message: "Enter a phone number, such as 07700 900123"})
	}
	ps, err := s.phones(ctx, s.db, `p.e164 = $1`, e)
	if err != nil {
		return nil, err
	}
	out := []lantern.IntelResult{}
	for _, p := range ps {
		out = append(out, lantern.IntelResult{Type: lantern.EntityPhone, ID: p.ID, Label: p.Label(), Exact: true})
	}
	return s.searched(ctx, "phone", out)
}

// SearchWords finds persons by name or street name, places by name or
// postcode, and accounts by handle; words that are a registration or a
// phone number find those too.
func (s *Store) SearchWords(ctx context.Context, q string) ([]lantern.IntelResult, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if q == "" || len([]rune(q)) > 100 {
		return nil, lantern.Invalid(lantern.FieldError{Field: "q", Message: "Enter a name, street name, place, handle, registration or number, in 100 characters or fewer"})
	}
	norm := match.Normalise(q)
	found := map[string]lantern.IntelResult{}
	var personIDs []string
	if norm != "" {
		words := strings.Fields(norm)
		var rows [][2]string
		var err error
		if len(words) >= 2 {
			first, last := words[0], words[len(words)-1]
			rows, err = s.pairs(ctx, `SELECT person_id, kind FROM intel_person_names WHERE (given_norm = $1 AND family_norm = $2) OR (given_norm = $2 AND family_norm = $1)
				OR (kind = 'alias' AND given_norm = $3) LIMIT $4`, first, last, norm, MaxIntelResults)
		} else {
			rows, err = s.pairs(ctx, `SELECT person_id, kind FROM intel_person_names WHERE family_norm = $1 OR given_norm = $1 LIMIT $2`, norm, MaxIntelResults)
		}
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			personIDs = append(personIDs, r[0])
		}
		places, err := s.places(ctx, s.db, `p.name_norm >= $1 AND p.name_norm < $2 LIMIT $3`, norm, norm+"\uffff", MaxIntelResults)
		if err != nil {
			return nil, err
		}
		for _, p := range places {
			found[p.ID] = lantern.IntelResult{Type: lantern.EntityPlace, ID: p.ID, Label: p.Label()}
		}
	}
	if pc, ok := lantern.NormalisePostcode(q); ok {
		places, err := s.places(ctx, s.db, `p.postcode = $1 LIMIT $2`, pc, MaxIntelResults)
		if err != nil {
			return nil, err
		}
		for _, p := range places {
			found[p.ID] = lantern.IntelResult{Type: lantern.EntityPlace, ID: p.ID, Label: p.Label()}
		}
		rows, err := s.pairs(ctx, `SELECT person_id, '' FROM intel_person_addresses WHERE postcode = $1 LIMIT $2`, pc, MaxIntelResults)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			personIDs = append(personIDs, r[0])
		}
	}
	handle := strings.ToLower(strings.TrimPrefix(q, "@"))
	accts, err := s.accounts(ctx, s.db, `a.account_key LIKE $1 LIMIT $2`, "%:"+escapeLikeText(handle), MaxIntelResults)
	if err != nil {
		return nil, err
	}
	for _, a := range accts {
		found[a.ID] = lantern.IntelResult{Type: lantern.EntityAccount, ID: a.ID, Label: a.Label()}
	}
	if vrm, _, ok := lantern.NormaliseVRM(q); ok && strings.ContainsAny(vrm, "0123456789") {
		vs, err := s.vehicles(ctx, s.db, `v.vrm = $1`, vrm)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			found[v.ID] = lantern.IntelResult{Type: lantern.EntityVehicle, ID: v.ID, Label: v.Label(), Exact: true}
		}
	}
	if e, ok := lantern.NormalisePhone(q); ok {
		ps, err := s.phones(ctx, s.db, `p.e164 = $1`, e)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			found[p.ID] = lantern.IntelResult{Type: lantern.EntityPhone, ID: p.ID, Label: p.Label(), Exact: true}
		}
	}
	ps, err := s.loadPersons(ctx, s.db, personIDs)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		r := lantern.IntelResult{Type: lantern.EntityPerson, ID: p.ID, Label: p.Label()}
		if p.MergedInto != "" {
			r.Label += " (merged)"
		}
		found[p.ID] = r
	}
	out := make([]lantern.IntelResult, 0, len(found))
	for _, r := range found {
		out = append(out, r)
	}
	sortResults(out)
	return s.searched(ctx, "words", out)
}

// partialPatterns are the registrations with ? that vrm could be written
// as: each character kept or unknown, but not all unknown (and not vrm
// itself, looked up already when it is whole).
func partialPatterns(vrm string) []string {
	n := len(vrm)
	var out []string
	for mask := 1; mask < 1<<n; mask++ {
		b := []byte(vrm)
		for i := range n {
			if mask&(1<<i) != 0 {
				b[i] = '?'
			}
		}
		if p := string(b); p != vrm && strings.Count(p, "?") < n {
			out = append(out, p)
		}
	}
	return out
}

// placeholders is "$from, $from+1, ..." for n parameters.
func placeholders(from, n int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = "$" + itoa(from+i)
	}
	return strings.Join(ph, ", ")
}

// escapeLikeText makes s match itself in a LIKE with \ as the escape...
// handles hold no wildcards worth keeping, so % and _ are dropped.
func escapeLikeText(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

func (s *Store) pairs(ctx context.Context, query string, args ...any) ([][2]string, error) {
	return collect(ctx, s.db, "search", query, func(r scanner) ([2]string, error) {
		var p [2]string
		err := r.Scan(&p[0], &p[1])
		return p, err
	}, args...)
}

func sortResults(rs []lantern.IntelResult) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Exact != rs[j].Exact {
			return rs[i].Exact
		}
		if rs[i].Type != rs[j].Type {
			return rs[i].Type < rs[j].Type
		}
		if rs[i].Label != rs[j].Label {
			return rs[i].Label < rs[j].Label
		}
		return rs[i].ID < rs[j].ID
	})
}

// searched bounds and audits a search's answer: its kind and the ids found.
func (s *Store) searched(ctx context.Context, kind string, out []lantern.IntelResult) ([]lantern.IntelResult, error) {
	if len(out) > MaxIntelResults {
		out = out[:MaxIntelResults]
	}
	ids := make([]string, len(out))
	for i, r := range out {
		ids[i] = r.ID
	}
	detail := kind + " " + itoa(len(out)) + " found"
	if len(ids) > 0 {
		detail += ": " + strings.Join(ids[:min(len(ids), 20)], " ")
	}
	return out, s.audited(ctx, auditEntry{Action: "intel.search", Entity: "intelligence", Detail: detail})
}
