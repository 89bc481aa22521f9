package store

import (
	"context"
	"slices"
	"strings"

	"lantern"
)

// Links between intelligence records and children, and the network they
// make around a child (docs/intelligence.md#the-network-around-a-child).

// entityTables names each entity type's table, for checking an end exists.
var entityTables = map[lantern.EntityType]string{
	lantern.EntityPerson: "intel_persons", lantern.EntityVehicle: "intel_vehicles", lantern.EntityPhone: "intel_phones",
	lantern.EntityPlace: "intel_places", lantern.EntityAccount: "intel_accounts",
}

// sourceTables names the tables of the records a link may come from.
var sourceTables = map[string]string{
	"concern": "concerns", "referral": "referrals", "meeting": "meetings", "missing-episode": "missing_episodes", "assessment": "assessments",
}

// CreateLink records a link. A child at either end must be one the caller
// may see (else not found); any other end must be held. A grading given by
// the police is final; anyone else's is how they say they know.
func (s *Store) CreateLink(ctx context.Context, l *lantern.Link) (*lantern.Link, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActCreate); err != nil {
		return nil, err
	}
	if err := lantern.CheckLink(l); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.now()
	l.ID, l.RecordedAt, l.RecordedBy, l.AgencyID = newID(), now, u.ID, u.AgencyID
	l.Final = l.Grading != nil && lantern.Allowed(u, lantern.ResIntel, lantern.ActApprove, lantern.RelArea)
	var childIDs []string
	err := s.write(ctx, func(tx *tx) error {
		var p lantern.Problems
		for _, end := range []struct {
			field string
			r     lantern.EntityRef
		}{{"from", l.From}, {"to", l.To}} {
			if end.r.Type == lantern.EntityChild {
				if _, err := s.findChild(ctx, tx, end.r.ID, false); err != nil {
					return err
				}
				childIDs = append(childIDs, end.r.ID)
				continue
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+entityTables[end.r.Type]+` WHERE id = $1`, end.r.ID).Scan(&n); err != nil {
				return internal("link end", err)
			}
			if n == 0 {
				p.Add(end.field+".id", "No "+string(end.r.Type)+" is held with this id")
			}
		}
		var srcType, srcID string
		if l.SourceRecord != nil {
			srcType, srcID = string(l.SourceRecord.Type), l.SourceRecord.ID
			ok, err := s.sourceVisible(ctx, tx, srcType, srcID)
			if err != nil {
				return err
			}
			if !ok {
				p.Add("source_record", "No "+srcType+" is held with this id")
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		childID := ""
		if len(childIDs) > 0 {
			childID = childIDs[0]
		}
		return s.insertLink(ctx, tx, l, childID)
	})
	if err != nil {
		return nil, err
	}
	s.graphChanged(l)
	// A registration or number joins a person's keys, and may show them to
	// be a person already held.
	if l.From.Type == lantern.EntityPerson && (l.Kind == lantern.LinkUsesVehicle || l.Kind == lantern.LinkUsesPhone) {
		if err := s.resolvePerson(ctx, l.From.ID); err != nil {
			s.log.Error("resolve person", "person", l.From.ID, "err", err)
		}
	}
	return l, nil
}

// sourceVisible says whether a record a link comes from is held and is one
// the caller may see: the record of a child they may see (for a meeting,
// of one of its children). One they may not see is answered as one not
// held, so that a link cannot be used to learn what exists.
func (s *Store) sourceVisible(ctx context.Context, q querier, srcType, srcID string) (bool, error) {
	table, ok := sourceTables[srcType]
	if !ok {
		return false, nil
	}
	query := `SELECT child_id FROM ` + table + ` WHERE id = $1`
	if srcType == "meeting" {
		query = `SELECT child_id FROM meeting_children WHERE meeting_id = $1`
	}
	children, err := collect(ctx, q, "link source", query, func(r scanner) (string, error) {
		var id string
		return id, r.Scan(&id)
	}, srcID)
	if err != nil {
		return false, err
	}
	for _, id := range children {
		_, err := s.findChild(ctx, q, id, false)
		if err == nil {
			return true, nil
		}
		if lantern.ErrorCode(err) != lantern.ENOTFOUND {
			return false, err
		}
	}
	return false, nil
}

// insertLink stores a checked link whose ends and source are held, its
// id, recorder and time set, audited on the child at one end.
func (s *Store) insertLink(ctx context.Context, tx *tx, l *lantern.Link, childID string) error {
	var srcType, srcID string
	if l.SourceRecord != nil {
		srcType, srcID = string(l.SourceRecord.Type), l.SourceRecord.ID
	}
	g := lantern.Grading{}
	if l.Grading != nil {
		g = *l.Grading
	}
	var gradedBy any
	if l.Final {
		gradedBy = l.RecordedBy
	}
	source, err := s.seal(ctx, "intel_links", "source", l.ID, l.Source)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO intel_links (id, from_type, from_id, to_type, to_id, kind, observed_from, observed_to,
		source, source_type, source_id, how_known, grade_source, grade_intel, grade_handling, conditions, legacy_grade, final, graded_by,
		recorded_by, agency_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
		l.ID, l.From.Type, l.From.ID, l.To.Type, l.To.ID, l.Kind, dateArg(l.ObservedFrom), dateArg(l.ObservedTo),
		source, srcType, srcID, l.HowKnown, g.Source, g.Intelligence, g.Handling, g.Conditions, l.LegacyGrade, l.Final, gradedBy,
		l.RecordedBy, l.AgencyID, s.d.ts(l.RecordedAt)); err != nil {
		return internal("create link", err)
	}
	tx.audit(auditEntry{Action: "intel.link.create", Entity: "link", EntityID: l.ID, ChildID: childID})
	return nil
}

func dateArg(d *lantern.Date) any {
	if d == nil {
		return nil
	}
	return *d
}

// GradeLink gives a link its final grade: the police's.
func (s *Store) GradeLink(ctx context.Context, id string, g lantern.Grading, legacy string) (*lantern.Link, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActApprove); err != nil {
		return nil, err
	}
	if err := lantern.CheckGrading(g); err != nil {
		return nil, err
	}
	legacy = strings.TrimSpace(legacy)
	if legacy != "" && !lantern.LegacyGrade(legacy) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "legacy_grading", Message: "A 5×5×5 grade is a letter A to E and a number 1 to 5, such as B2"})
	}
	u := lantern.UserFromContext(ctx)
	var out *lantern.Link
	err := s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE intel_links SET grade_source = $1, grade_intel = $2, grade_handling = $3, conditions = $4,
			legacy_grade = CASE WHEN $5 = '' THEN legacy_grade ELSE $5 END, final = $6, graded_by = $7, changed_at = $8 WHERE id = $9`,
			g.Source, g.Intelligence, g.Handling, strings.TrimSpace(g.Conditions), legacy, true, u.ID, s.d.ts(s.now()), id)
		if err != nil {
			return internal("grade link", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lantern.NotFound("Link")
		}
		tx.audit(auditEntry{Action: "intel.link.grade", Entity: "link", EntityID: id})
		ls, err := s.links(ctx, tx, `l.id = $1`, id)
		if err != nil {
			return err
		}
		out = ls[0]
		return nil
	})
	if err == nil {
		s.graphChanged(out)
	}
	return out, err
}

// WithdrawLink takes a link back: it stays on record, out of every network.
func (s *Store) WithdrawLink(ctx context.Context, id string) error {
	if err := may(ctx, lantern.ResIntel, lantern.ActApprove); err != nil {
		return err
	}
	u := lantern.UserFromContext(ctx)
	var out *lantern.Link
	defer func() {
		if out != nil {
			s.graphChanged(out)
		}
	}()
	return s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE intel_links SET withdrawn_at = $1, withdrawn_by = $2, changed_at = $1 WHERE id = $3 AND withdrawn_at IS NULL`,
			s.d.ts(s.now()), u.ID, id)
		if err != nil {
			return internal("withdraw link", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lantern.NotFound("Link")
		}
		tx.audit(auditEntry{Action: "intel.link.withdraw", Entity: "link", EntityID: id})
		ls, err := s.links(ctx, tx, `l.id = $1`, id)
		if err != nil {
			return err
		}
		out = ls[0]
		return nil
	})
}

const linkCols = `l.id, l.from_type, l.from_id, l.to_type, l.to_id, l.kind, l.observed_from, l.observed_to, l.source, l.source_type, l.source_id,
	l.how_known, l.grade_source, l.grade_intel, l.grade_handling, l.conditions, l.legacy_grade, l.final, l.recorded_by, l.agency_id, l.recorded_at, l.withdrawn_at`

func scanLink(r scanner) (*lantern.Link, error) {
	var l lantern.Link
	var of, ot lantern.Date
	var srcType, srcID string
	var g lantern.Grading
	err := r.Scan(&l.ID, &l.From.Type, &l.From.ID, &l.To.Type, &l.To.ID, &l.Kind, &of, &ot, &l.Source, &srcType, &srcID,
		&l.HowKnown, &g.Source, &g.Intelligence, &g.Handling, &g.Conditions, &l.LegacyGrade, &l.Final, &l.RecordedBy, &l.AgencyID,
		timeScan{&l.RecordedAt}, ntimeScan{&l.Withdrawn})
	if !of.IsZero() {
		l.ObservedFrom = &of
	}
	if !ot.IsZero() {
		l.ObservedTo = &ot
	}
	if srcType != "" {
		l.SourceRecord = &lantern.EntityRef{Type: lantern.EntityType(srcType), ID: srcID}
	}
	if g.Source != "" {
		l.Grading = &g
	}
	return &l, err
}

func (s *Store) links(ctx context.Context, q querier, where string, args ...any) ([]*lantern.Link, error) {
	ls, err := collect(ctx, q, "links", `SELECT `+linkCols+` FROM intel_links l WHERE `+where, scanLink, args...)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		if l.Source, err = s.open(ctx, "intel_links", "source", l.ID, l.Source); err != nil {
			return nil, err
		}
	}
	return ls, nil
}

// redactLink leaves out what only the police see: the source's identity,
// who recorded it, and the conditions of handling C.
func redactLink(u *lantern.User, l *lantern.Link) {
	if lantern.Allowed(u, lantern.ResIntelSource, lantern.ActRead, lantern.RelArea) {
		return
	}
	l.Source, l.SourceRecord, l.RecordedBy, l.HowKnown = "", nil, "", ""
	if l.Grading != nil {
		l.Grading.Conditions = ""
	}
}

// MaxEntityLinks bounds the links listed on an entity's page.
const MaxEntityLinks = 500

// EntityLinks lists an entity's live links, newest first, with the
// label of the other end: links to children the caller may not see, and
// handling-C links for anyone but the police, are left out.
func (s *Store) EntityLinks(ctx context.Context, ref lantern.EntityRef) ([]*lantern.Link, map[string]string, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, nil, err
	}
	u := lantern.UserFromContext(ctx)
	ids := []string{ref.ID}
	if ref.Type == lantern.EntityPerson {
		members, err := s.mergedMembers(ctx, []string{ref.ID})
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, members[ref.ID]...)
	}
	var args []any
	in := inList(&args, ids)
	where := `(l.from_id IN (` + in + `) OR l.to_id IN (` + in + `)) AND l.withdrawn_at IS NULL`
	if !lantern.Allowed(u, lantern.ResIntelSource, lantern.ActRead, lantern.RelArea) {
		where += ` AND l.grade_handling <> 'C'`
	}
	args = append(args, MaxEntityLinks)
	ls, err := s.links(ctx, s.db, where+` ORDER BY l.recorded_at DESC, l.id LIMIT $`+itoa(len(args)), args...)
	if err != nil {
		return nil, nil, err
	}
	refs := map[lantern.EntityRef]bool{}
	for _, l := range ls {
		refs[l.From], refs[l.To] = true, true
	}
	labels, hidden, err := s.labels(ctx, refs)
	if err != nil {
		return nil, nil, err
	}
	out := ls[:0]
	var childIDs []string
	for _, l := range ls {
		if hidden[l.From.ID] || hidden[l.To.ID] {
			continue
		}
		for _, e := range []lantern.EntityRef{l.From, l.To} {
			if e.Type == lantern.EntityChild {
				childIDs = append(childIDs, e.ID)
			}
		}
		redactLink(u, l)
		out = append(out, l)
	}
	return out, labels, s.auditedChildren(ctx, auditEntry{Action: "intel.links.read", Entity: string(ref.Type), EntityID: ref.ID}, childIDs)
}

// labels says who or what each reference is, keyed by id; children the
// caller may not see are in hidden instead.
func (s *Store) labels(ctx context.Context, refs map[lantern.EntityRef]bool) (labels map[string]string, hidden map[string]bool, err error) {
	labels, hidden = map[string]string{}, map[string]bool{}
	byType := map[lantern.EntityType][]string{}
	for r := range refs {
		byType[r.Type] = append(byType[r.Type], r.ID)
	}
	for t, ids := range byType {
		for chunk := range slices.Chunk(ids, 500) {
			if err := s.labelChunk(ctx, t, chunk, labels, hidden); err != nil {
				return nil, nil, err
			}
		}
	}
	return labels, hidden, nil
}

func (s *Store) labelChunk(ctx context.Context, t lantern.EntityType, ids []string, labels map[string]string, hidden map[string]bool) error {
	var args []any
	in := inList(&args, ids)
	switch t {
	case lantern.EntityChild:
		cond, ok := s.childVisible(ctx, &args)
		if !ok {
			cond = "1 = 0"
		}
		rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.given_name, c.family_name FROM children c WHERE c.id IN (`+in+`) AND `+cond, args...)
		if err != nil {
			return internal("child labels", err)
		}
		defer rows.Close()
		seen := map[string]bool{}
		for rows.Next() {
			var id, g, f string
			if err := rows.Scan(&id, &g, &f); err != nil {
				return internal("child labels", err)
			}
			labels[id], seen[id] = g+" "+f, true
		}
		for _, id := range ids {
			if !seen[id] {
				hidden[id] = true
			}
		}
		return rows.Err()
	case lantern.EntityPerson:
		ps, err := s.loadPersons(ctx, s.db, ids)
		if err != nil {
			return err
		}
		for _, p := range ps {
			labels[p.ID] = p.Label()
		}
	case lantern.EntityVehicle:
		vs, err := s.vehicles(ctx, s.db, `v.id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		for _, v := range vs {
			labels[v.ID] = v.Label()
		}
	case lantern.EntityPhone:
		ps, err := s.phones(ctx, s.db, `p.id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		for _, p := range ps {
			labels[p.ID] = p.Label()
		}
	case lantern.EntityPlace:
		ps, err := s.places(ctx, s.db, `p.id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		for _, p := range ps {
			labels[p.ID] = p.Label()
			if p.Hotspot {
				labels["hotspot:"+p.ID] = "1"
			}
		}
	case lantern.EntityAccount:
		as, err := s.accounts(ctx, s.db, `a.id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		for _, a := range as {
			labels[a.ID] = a.Label()
		}
	}
	return nil
}

// mergedMembers lists, for each person, the persons merged into them.
func (s *Store) mergedMembers(ctx context.Context, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var args []any
	in := inList(&args, ids)
	rows, err := s.db.QueryContext(ctx, `SELECT id, merged_into FROM intel_persons WHERE merged_into IN (`+in+`)`, args...)
	if err != nil {
		return nil, internal("merged members", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, into string
		if err := rows.Scan(&id, &into); err != nil {
			return nil, internal("merged members", err)
		}
		out[into] = append(out[into], id)
	}
	return out, rows.Err()
}

// mergedRoots maps each merged person among ids to the person they were
// merged into.
func (s *Store) mergedRoots(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for chunk := range slices.Chunk(ids, 500) {
		var args []any
		in := inList(&args, chunk)
		rows, err := s.db.QueryContext(ctx, `SELECT id, merged_into FROM intel_persons WHERE id IN (`+in+`) AND merged_into IS NOT NULL`, args...)
		if err != nil {
			return nil, internal("merged roots", err)
		}
		for rows.Next() {
			var id, into string
			if err := rows.Scan(&id, &into); err != nil {
				rows.Close()
				return nil, internal("merged roots", err)
			}
			out[id] = into
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal("merged roots", err)
		}
	}
	return out, nil
}
