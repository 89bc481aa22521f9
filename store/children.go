package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lantern"
	"lantern/match"
)

const childCols = `c.id, c.given_name, c.family_name, c.date_of_birth, c.gender, c.version, c.created_at, c.created_by, c.updated_at, c.updated_by,
	c.dob_estimated, c.ethnicity, c.first_language, c.interpreter_needed, c.disability, c.learning_disability, c.looked_after,
	c.placing_authority, c.open_case, COALESCE(c.allocated_social_worker_id, ''), c.lead_professional, COALESCE(c.merged_into, ''), c.unaccompanied`

func (s *Store) scanChild(ctx context.Context, r scanner, extra ...any) (*lantern.Child, error) {
	var c lantern.Child
	d := &c.ChildDetails
	err := r.Scan(append([]any{&c.ID, &c.GivenName, &c.FamilyName, &c.DateOfBirth, &c.Gender, &c.Version,
		timeScan{&c.CreatedAt}, &c.CreatedBy, timeScan{&c.UpdatedAt}, &c.UpdatedBy,
		&d.DOBEstimated, &d.Ethnicity, &d.FirstLanguage, &d.InterpreterNeeded, &d.Disability, &d.LearningDisability, &d.LookedAfter,
		&d.PlacingAuthority, &d.OpenCase, &d.AllocatedSocialWorkerID, &d.LeadProfessional, &c.MergedInto, &d.Unaccompanied}, extra...)...)
	if err != nil {
		return nil, err
	}
	if d.Disability, err = s.open(ctx, "children", "disability", c.ID, d.Disability); err != nil {
		return nil, err
	}
	// Restricted fields the reader may not read are left out here, where
	// every read of a child passes (lantern.RestrictedFields).
	lantern.WithholdChild(lantern.UserFromContext(ctx), &c)
	return &c, nil
}

// disabilityArg is the place of disability among detailArgs: it is sealed
// at rest (sealed.go).
const disabilityArg = 4

// detailArgs are the detail columns' values, in the order of detailSet.
func detailArgs(in lantern.ChildInput) []any {
	d := in.ChildDetails
	var sw any
	if d.AllocatedSocialWorkerID != "" {
		sw = d.AllocatedSocialWorkerID
	}
	return []any{d.DOBEstimated, d.Ethnicity, d.FirstLanguage, d.InterpreterNeeded, d.Disability, d.LearningDisability,
		d.LookedAfter, d.PlacingAuthority, d.OpenCase, sw, d.LeadProfessional, nameKey(in.GivenName, true), nameKey(in.FamilyName, false),
		match.Normalise(in.GivenName), match.Normalise(in.FamilyName), d.Unaccompanied}
}

const detailCols = `dob_estimated, ethnicity, first_language, interpreter_needed, disability, learning_disability,
	looked_after, placing_authority, open_case, allocated_social_worker_id, lead_professional, given_key, family_key, given_norm, family_norm, unaccompanied`

// checkSocialWorker refuses an allocated social worker who is not one.
func checkSocialWorker(ctx context.Context, q querier, id string) error {
	if id == "" {
		return nil
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.id = $1 AND r.role IN ('social-worker', 'manager') AND NOT u.disabled`, id).Scan(&n)
	if err != nil {
		return internal("check social worker", err)
	}
	if n == 0 {
		return lantern.Invalid(lantern.FieldError{Field: "allocated_social_worker_id", Message: "Select a social worker who uses Lantern"})
	}
	return nil
}

// CreateChild adds a child's record. The creator's agency becomes involved
// with the child, so its people see the record, unless the creator sees
// every child already (by their role or agency), when it involves no one.
func (s *Store) CreateChild(ctx context.Context, in lantern.ChildInput) (*lantern.Child, error) {
	cs, err := s.CreateChildren(ctx, []lantern.ChildInput{in})
	if err != nil {
		return nil, err
	}
	return cs[0], nil
}

// CreateChildren makes several children in one transaction, each checked,
// involved, audited and searched for duplicates as CreateChild does: one
// that fails fails them all. A bulk import (lantern demo generate) makes
// thousands without a commit each.
func (s *Store) CreateChildren(ctx context.Context, ins []lantern.ChildInput) ([]*lantern.Child, error) {
	u := lantern.UserFromContext(ctx)
	if err := may(ctx, lantern.ResChild, lantern.ActCreate); err != nil {
		return nil, err
	}
	now := s.now()
	involve := !lantern.Allowed(u, lantern.ResChild, lantern.ActRead, lantern.RelOther)
	cs := make([]*lantern.Child, len(ins))
	for i := range ins {
		in := &ins[i]
		in.Normalise()
		if err := in.Validate(lantern.Today(now)); err != nil {
			return nil, err
		}
		if err := allocationProblems(ctx, nil, *in); err != nil {
			return nil, err
		}
		if in.Disability != "" && !lantern.MayWriteField(u, lantern.ResHealth, false) {
			return nil, lantern.Invalid(lantern.FieldError{Field: "disability", Message: lantern.Refusal(lantern.ResHealth, lantern.ActChange).Message})
		}
		c := &lantern.Child{ID: newID(), GivenName: in.GivenName, FamilyName: in.FamilyName, DateOfBirth: in.DateOfBirth,
			Gender: in.Gender, Version: 1, CreatedAt: now.UTC().Truncate(1000), CreatedBy: u.ID, UpdatedBy: u.ID, AgencyIDs: []string{},
			ChildDetails: in.ChildDetails}
		if involve {
			c.AgencyIDs = []string{u.AgencyID}
		}
		c.UpdatedAt = c.CreatedAt
		cs[i] = c
	}
	err := s.write(ctx, func(tx *tx) error {
		for i, c := range cs {
			in := ins[i]
			if err := checkSocialWorker(ctx, tx, in.AllocatedSocialWorkerID); err != nil {
				return err
			}
			args := append([]any{c.ID, c.GivenName, c.FamilyName, c.DateOfBirth, c.Gender, s.d.ts(now), u.ID}, detailArgs(in)...)
			sealed, err := s.seal(ctx, "children", "disability", c.ID, in.Disability)
			if err != nil {
				return err
			}
			args[7+disabilityArg] = sealed
			if _, err := tx.ExecContext(ctx, `INSERT INTO children (id, given_name, family_name, date_of_birth, gender, version, created_at, created_by, updated_at, updated_by,
			`+detailCols+`) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`, args...); err != nil {
				return internal("insert child", err)
			}
			tx.audit(auditEntry{Action: "child.create", Entity: "child", EntityID: c.ID, ChildID: c.ID})
			if involve {
				if err := s.involve(ctx, tx, c.ID, u.AgencyID, lantern.SourceRecordCreated, c.ID, "", now); err != nil {
					return err
				}
			}
			// Every record searched, whatever the maker may see; the answer is
			// the same whatever is found (store/duplicates.go).
			if err := s.recordDuplicates(ctx, tx, c.ID, match.Query{GivenName: c.GivenName, FamilyName: c.FamilyName, DateOfBirth: c.DateOfBirth}, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return cs, nil
}

// findChild reads a child the caller may see, or ENOTFOUND. Reads made
// together for one view (ReadTogether) read each child once: a child's
// page checked the same child in each of its eight parts.
func (s *Store) findChild(ctx context.Context, q querier, id string, lock bool) (*lantern.Child, error) {
	b, together := ctx.Value(readBatchKey{}).(*readBatch)
	together = together && !lock && q == querier(s.db) // never for a change's own checks
	key := id
	if u := lantern.UserFromContext(ctx); u != nil { // what one may see is not what another may
		key = u.ID + "/" + id
	}
	if together {
		if c, ok := b.children[key]; ok {
			cp := *c
			cp.AgencyIDs = slices.Clone(c.AgencyIDs)
			return &cp, nil
		}
	}
	c, err := s.readChild(ctx, q, id, lock)
	if err == nil && together {
		if b.children == nil {
			b.children = map[string]*lantern.Child{}
		}
		cp := *c
		cp.AgencyIDs = slices.Clone(c.AgencyIDs)
		b.children[key] = &cp
	}
	return c, err
}

func (s *Store) readChild(ctx context.Context, q querier, id string, lock bool) (*lantern.Child, error) {
	return s.readChildBy(ctx, q, id, lock, s.childIDVisible)
}

// readChildBy reads a child the rule visible lets the caller see: the
// read rule, or (for breaking the glass) the rule before seals.
func (s *Store) readChildBy(ctx context.Context, q querier, id string, lock bool,
	visible func(context.Context, *[]any, string) (string, bool)) (*lantern.Child, error) {
	args := []any{id}
	cond, ok := visible(ctx, &args, "c.id")
	if !ok {
		return nil, lantern.NotFound("Child")
	}
	// The child and the agencies involved, in one query (an agency once a
	// source, in the order they first became involved).
	through := "false"
	if lantern.UserFromContext(ctx) != nil {
		through = s.sealAccessFor(ctx, &args, "c.id")
	}
	query := `SELECT ` + childCols + `, COALESCE((SELECT ` + s.d.groupConcat("ci.agency_id", "ci.started_at, ci.agency_id") +
		` FROM involvements ci WHERE ci.child_id = c.id AND ci.ended_at IS NULL), ''), ` + through + ` FROM children c WHERE c.id = $1 AND ` + cond
	if lock {
		query += s.d.forUpdate()
	}
	var agencies string
	var sealAccess bool
	c, err := s.scanChild(ctx, q.QueryRowContext(ctx, query, args...), &agencies, &sealAccess)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.NotFound("Child")
	} else if err != nil {
		return nil, internal("find child", err)
	}
	c.SealAccess = sealAccess
	c.AgencyIDs = []string{}
	if agencies != "" {
		for _, a := range strings.Split(agencies, ",") {
			if !slices.Contains(c.AgencyIDs, a) {
				c.AgencyIDs = append(c.AgencyIDs, a)
			}
		}
	}
	return c, nil
}

// FindChildByID reads a child's record; the read is audited before the
// record is returned. A child the caller may not see is not found.
func (s *Store) FindChildByID(ctx context.Context, id string) (*lantern.Child, error) {
	c, err := s.findChild(ctx, s.db, id, false)
	if err != nil {
		return nil, err
	}
	// A merged record leads to the record kept, for those who may see it
	// (docs/duplicates.md); to others it is not found.
	if c.MergedInto != "" {
		if c.MergedInto, err = s.leadsTo(ctx, c.MergedInto); err != nil {
			return nil, err
		}
	}
	if err := s.audited(ctx, auditEntry{Action: "child.read", Entity: "child", EntityID: id, ChildID: id}); err != nil {
		return nil, err
	}
	return c, nil
}

// loadAgencies fills in the agencies involved with each child, in one query.
func (s *Store) loadAgencies(ctx context.Context, cs []*lantern.Child) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[string]*lantern.Child, len(cs))
	ph := make([]string, len(cs))
	args := make([]any, len(cs))
	for i, c := range cs {
		byID[c.ID] = c
		c.AgencyIDs = []string{}
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = c.ID
	}
	rows, err := s.db.QueryContext(ctx, `SELECT child_id, agency_id FROM involvements WHERE ended_at IS NULL AND child_id IN (`+strings.Join(ph, ",")+`)
		GROUP BY child_id, agency_id ORDER BY min(started_at), agency_id`, args...)
	if err != nil {
		return internal("child agencies", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid, aid string
		if err := rows.Scan(&cid, &aid); err != nil {
			return internal("child agencies", err)
		}
		byID[cid].AgencyIDs = append(byID[cid].AgencyIDs, aid)
	}
	return internal("child agencies", rows.Err())
}

// changedFields names the fields an update changes, for the audit trail.
func changedFields(cur *lantern.Child, in lantern.ChildInput) []string {
	var changed []string
	d, n := cur.ChildDetails, in.ChildDetails
	for _, f := range []struct {
		name string
		same bool
	}{
		{"given_name", cur.GivenName == in.GivenName}, {"family_name", cur.FamilyName == in.FamilyName},
		{"date_of_birth", cur.DateOfBirth == in.DateOfBirth}, {"gender", cur.Gender == in.Gender},
		{"date_of_birth_estimated", d.DOBEstimated == n.DOBEstimated}, {"ethnicity", d.Ethnicity == n.Ethnicity},
		{"first_language", d.FirstLanguage == n.FirstLanguage}, {"interpreter_needed", d.InterpreterNeeded == n.InterpreterNeeded},
		{"disability", d.Disability == n.Disability}, {"learning_disability", d.LearningDisability == n.LearningDisability},
		{"looked_after", d.LookedAfter == n.LookedAfter}, {"placing_authority", d.PlacingAuthority == n.PlacingAuthority},
		{"open_case", d.OpenCase == n.OpenCase}, {"allocated_social_worker_id", d.AllocatedSocialWorkerID == n.AllocatedSocialWorkerID},
		{"lead_professional", d.LeadProfessional == n.LeadProfessional}, {"unaccompanied_asylum_seeking", d.Unaccompanied == n.Unaccompanied},
	} {
		if !f.same {
			changed = append(changed, f.name)
		}
	}
	return changed
}

// allocationProblems refuses a change of whether the case is open, or of
// its allocated social worker, by someone the policy does not let make it
// (ResAllocation): 422 naming each such field, so that a form that does not
// show them, and an API client, are told which (docs/access.md). cur is
// nil for a new record, whose case is closed and unallocated.
func allocationProblems(ctx context.Context, cur *lantern.Child, in lantern.ChildInput) error {
	var was lantern.ChildDetails
	rel := lantern.RelInvolved // a new record's maker is involved with it
	u := lantern.UserFromContext(ctx)
	if cur != nil {
		was, rel = cur.ChildDetails, lantern.ChildRelation(u, cur.AgencyIDs)
	}
	if lantern.IsSystem(ctx) || lantern.Allowed(u, lantern.ResAllocation, lantern.ActChange, rel) {
		return nil
	}
	var p lantern.Problems
	if in.OpenCase != was.OpenCase {
		p.Add("open_case", "Only children's social care can say whether the case is open")
	}
	if in.AllocatedSocialWorkerID != was.AllocatedSocialWorkerID {
		p.Add("allocated_social_worker_id", "Only children's social care can allocate the social worker")
	}
	return p.Err()
}

// UpdateChild changes a child's details if version is current. A stale
// version gets ECONFLICT carrying the record as it now is.
func (s *Store) UpdateChild(ctx context.Context, id string, version int, in lantern.ChildInput) (*lantern.Child, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.Child
	err := s.write(ctx, func(tx *tx) error {
		cur, err := s.findChild(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := mayChild(ctx, cur, lantern.ResChild, lantern.ActChange); err != nil {
			return err
		}
		in.Normalise()
		if err := in.Validate(lantern.Today(now)); err != nil {
			return err
		}
		if cur.Version != version {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this record while you were editing it", Current: cur}
		}
		if !lantern.MayWriteField(u, lantern.ResHealth, false) {
			// A field the writer may not write: refused if sent, kept as
			// stored if left empty (it was withheld from them).
			if in.Disability != "" {
				return lantern.Invalid(lantern.FieldError{Field: "disability", Message: lantern.Refusal(lantern.ResHealth, lantern.ActChange).Message})
			}
			if err := tx.QueryRowContext(ctx, `SELECT disability FROM children WHERE id = $1`, id).Scan(&in.Disability); err != nil {
				return internal("kept field", err)
			}
			if in.Disability, err = s.open(ctx, "children", "disability", id, in.Disability); err != nil {
				return err
			}
			cur.Disability = in.Disability
		}
		if err := allocationProblems(ctx, cur, in); err != nil {
			return err
		}
		if in.AllocatedSocialWorkerID != cur.AllocatedSocialWorkerID {
			if err := checkSocialWorker(ctx, tx, in.AllocatedSocialWorkerID); err != nil {
				return err
			}
		}
		changed := changedFields(cur, in)
		out = cur
		if len(changed) == 0 {
			return nil
		}
		if cur.MergedInto != "" {
			return lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: change that one")
		}
		args := append([]any{in.GivenName, in.FamilyName, in.DateOfBirth, in.Gender, s.d.ts(now), u.ID, id, version}, detailArgs(in)...)
		if args[8+disabilityArg], err = s.seal(ctx, "children", "disability", id, in.Disability); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE children SET given_name = $1, family_name = $2, date_of_birth = $3, gender = $4,
			version = version + 1, updated_at = $5, updated_by = $6,
			dob_estimated = $9, ethnicity = $10, first_language = $11, interpreter_needed = $12, disability = $13, learning_disability = $14,
			looked_after = $15, placing_authority = $16, open_case = $17, allocated_social_worker_id = $18, lead_professional = $19,
			given_key = $20, family_key = $21, given_norm = $22, family_norm = $23, unaccompanied = $24
			WHERE id = $7 AND version = $8`, args...); err != nil {
			return internal("update child", err)
		}
		tx.audit(auditEntry{Action: "child.update", Entity: "child", EntityID: id, ChildID: id, Detail: "fields=" + strings.Join(changed, ",")})
		if in.GivenName != cur.GivenName || in.FamilyName != cur.FamilyName || in.DateOfBirth != cur.DateOfBirth {
			if err := s.recordDuplicates(ctx, tx, id, match.Query{GivenName: in.GivenName, FamilyName: in.FamilyName, DateOfBirth: in.DateOfBirth}, now); err != nil {
				return err
			}
		}
		out = &lantern.Child{ID: id, GivenName: in.GivenName, FamilyName: in.FamilyName, DateOfBirth: in.DateOfBirth, Gender: in.Gender,
			Version: version + 1, CreatedAt: cur.CreatedAt, CreatedBy: cur.CreatedBy, UpdatedAt: now.UTC().Truncate(1000), UpdatedBy: u.ID,
			AgencyIDs: cur.AgencyIDs, ChildDetails: in.ChildDetails}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

var _ lantern.ChildService = (*Store)(nil)
