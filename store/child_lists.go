package store

// The lists on a child's record: other names, where the child has lived and
// gone to school, the professionals and agencies involved, family, and
// siblings (links to other children's records). Every read goes through
// findChild (the access rule); every change is audited by ids only.

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"lantern"
	"lantern/match"
)

// ChildLists reads every list on a child's record in a fixed number of
// queries. The read is audited once, with the ids of the siblings shown.
func (s *Store) ChildLists(ctx context.Context, childID string) (*lantern.ChildLists, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	l := &lantern.ChildLists{ChildID: childID}
	var err error
	if l.Names, err = s.loadNames(ctx, s.db, childID); err != nil {
		return nil, err
	}
	if l.Addresses, err = s.loadAddresses(ctx, s.db, childID); err != nil {
		return nil, err
	}
	if l.Schools, err = s.loadSchools(ctx, s.db, childID); err != nil {
		return nil, err
	}
	if l.Professionals, err = s.loadProfessionals(ctx, s.db, childID); err != nil {
		return nil, err
	}
	if l.Family, err = s.loadFamily(ctx, s.db, childID); err != nil {
		return nil, err
	}
	if l.Siblings, err = s.loadSiblings(ctx, s.db, childID); err != nil {
		return nil, err
	}
	if err := s.auditedChildren(ctx, auditEntry{Action: "child.lists.read", Entity: "child", EntityID: childID,
		Detail: siblingDetail(l.Siblings)}, withSiblings(childID, l.Siblings)); err != nil {
		return nil, err
	}
	return l, nil
}

// withSiblings is the child and each sibling shown with them: a sibling's
// record shown on this page is a read of the sibling too, found when the
// trail is searched by the sibling.
func withSiblings(childID string, cs []*lantern.Child) []string {
	ids := []string{childID}
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func siblingDetail(cs []*lantern.Child) string {
	if len(cs) == 0 {
		return ""
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return "siblings=" + strings.Join(ids, ",")
}

// readList reads one list of a child the caller may see, audited.
func readList[T any](ctx context.Context, s *Store, childID, action string, load func(context.Context, querier, string) ([]T, error)) ([]T, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	items, err := load(ctx, s.db, childID)
	if err != nil {
		return nil, err
	}
	if err := s.audited(ctx, auditEntry{Action: action, Entity: "child", EntityID: childID, ChildID: childID}); err != nil {
		return nil, err
	}
	return items, nil
}

// OtherNames lists a child's other names.
func (s *Store) OtherNames(ctx context.Context, childID string) ([]*lantern.OtherName, error) {
	return readList(ctx, s, childID, "child.alias.list", s.loadNames)
}

// Addresses lists where a child has lived, current first, then newest.
func (s *Store) Addresses(ctx context.Context, childID string) ([]*lantern.Address, error) {
	return readList(ctx, s, childID, "child.address.list", s.loadAddresses)
}

// Schools lists the schools a child has gone to, current first, then newest.
func (s *Store) Schools(ctx context.Context, childID string) ([]*lantern.School, error) {
	return readList(ctx, s, childID, "child.school.list", s.loadSchools)
}

// Professionals lists the named professionals involved with a child.
func (s *Store) Professionals(ctx context.Context, childID string) ([]*lantern.Professional, error) {
	return readList(ctx, s, childID, "child.professional.list", s.loadProfessionals)
}

// FamilyMembers lists a child's parents and carers.
func (s *Store) FamilyMembers(ctx context.Context, childID string) ([]*lantern.FamilyMember, error) {
	return readList(ctx, s, childID, "child.family.list", s.loadFamily)
}

// Siblings lists the child's siblings that the caller may see: a sibling
// whose record the caller may not see is left out, never shown. The read is
// audited with the ids shown.
func (s *Store) Siblings(ctx context.Context, childID string) ([]*lantern.Child, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	cs, err := s.loadSiblings(ctx, s.db, childID)
	if err != nil {
		return nil, err
	}
	if err := s.auditedChildren(ctx, auditEntry{Action: "child.sibling.list", Entity: "child", EntityID: childID,
		Detail: siblingDetail(cs)}, withSiblings(childID, cs)); err != nil {
		return nil, err
	}
	return cs, nil
}

// collect runs a query and scans each row with scan.
func collect[T any](ctx context.Context, q querier, op, query string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, internal(op, err)
		}
		out = append(out, v)
	}
	return out, internal(op, rows.Err())
}

func (s *Store) loadNames(ctx context.Context, q querier, childID string) ([]*lantern.OtherName, error) {
	return collect(ctx, q, "other names", `SELECT id, child_id, name, kind, created_at FROM child_names
		WHERE child_id = $1 ORDER BY created_at, id`, func(r scanner) (*lantern.OtherName, error) {
		var n lantern.OtherName
		err := r.Scan(&n.ID, &n.ChildID, &n.Name, &n.Kind, timeScan{&n.CreatedAt})
		return &n, err
	}, childID)
}

// byCurrentThenNewest orders a history: current (no end date) first, then
// the latest start; nulls placed alike in both dialects.
const byCurrentThenNewest = ` ORDER BY CASE WHEN to_date IS NULL THEN 0 ELSE 1 END, CASE WHEN from_date IS NULL THEN 1 ELSE 0 END,
	from_date DESC, to_date DESC, created_at DESC, id DESC`

func (s *Store) loadAddresses(ctx context.Context, q querier, childID string) ([]*lantern.Address, error) {
	return collect(ctx, q, "addresses", `SELECT id, child_id, address, postcode, from_date, to_date, created_at FROM child_addresses
		WHERE child_id = $1`+byCurrentThenNewest, func(r scanner) (*lantern.Address, error) {
		var a lantern.Address
		err := r.Scan(&a.ID, &a.ChildID, &a.Address, &a.Postcode, &a.From, &a.To, timeScan{&a.CreatedAt})
		a.Current = a.To.IsZero()
		return &a, err
	}, childID)
}

func (s *Store) loadSchools(ctx context.Context, q querier, childID string) ([]*lantern.School, error) {
	return collect(ctx, q, "schools", `SELECT id, child_id, school, from_date, to_date, created_at FROM child_schools
		WHERE child_id = $1`+byCurrentThenNewest, func(r scanner) (*lantern.School, error) {
		var sc lantern.School
		err := r.Scan(&sc.ID, &sc.ChildID, &sc.School, &sc.From, &sc.To, timeScan{&sc.CreatedAt})
		sc.Current = sc.To.IsZero()
		return &sc, err
	}, childID)
}

func (s *Store) loadProfessionals(ctx context.Context, q querier, childID string) ([]*lantern.Professional, error) {
	return collect(ctx, q, "professionals", `SELECT p.id, p.child_id, p.agency_id, a.name, p.name, p.role, p.email, p.phone, p.created_at
		FROM child_professionals p JOIN agencies a ON a.id = p.agency_id
		WHERE p.child_id = $1 ORDER BY lower(a.name), lower(p.name), p.id`, func(r scanner) (*lantern.Professional, error) {
		var p lantern.Professional
		err := r.Scan(&p.ID, &p.ChildID, &p.AgencyID, &p.AgencyName, &p.Name, &p.Role, &p.Email, &p.Phone, timeScan{&p.CreatedAt})
		return &p, err
	}, childID)
}

func (s *Store) loadFamily(ctx context.Context, q querier, childID string) ([]*lantern.FamilyMember, error) {
	return collect(ctx, q, "family", `SELECT id, child_id, name, relationship, parental_responsibility, lives_with, notes, created_at
		FROM family_members WHERE child_id = $1 ORDER BY created_at, id`, func(r scanner) (*lantern.FamilyMember, error) {
		var m lantern.FamilyMember
		err := r.Scan(&m.ID, &m.ChildID, &m.Name, &m.Relationship, &m.ParentalResponsibility, &m.LivesWith, &m.Notes, timeScan{&m.CreatedAt})
		return &m, err
	}, childID)
}

// loadSiblings reads the siblings the caller may see, through the access
// rule on alias c, with their agencies: two queries however many.
func (s *Store) loadSiblings(ctx context.Context, q querier, childID string) ([]*lantern.Child, error) {
	args := []any{childID}
	cond, ok := s.childVisible(ctx, &args)
	if !ok {
		return []*lantern.Child{}, nil
	}
	cs, err := collect(ctx, q, "siblings", `SELECT `+childCols+` FROM child_siblings cs JOIN children c ON c.id = cs.sibling_id
		WHERE cs.child_id = $1 AND `+cond+` ORDER BY c.date_of_birth, lower(c.family_name), lower(c.given_name), c.id`,
		func(r scanner) (*lantern.Child, error) { return s.scanChild(ctx, r) }, args...)
	if err != nil {
		return nil, err
	}
	return cs, s.loadAgencies(ctx, cs)
}

// changeLists runs fn in a write transaction on a child the caller may see
// and change, whose record has not been merged into another.
func (s *Store) changeLists(ctx context.Context, childID string, fn func(tx *tx, c *lantern.Child, now time.Time) error) error {
	return s.changeListsLocking(ctx, childID, "", fn)
}

// changeListsLocking is changeLists that also locks another child's record
// (a sibling's), both in id order before anything else, so that two
// changes on the same pair, started from either end, never deadlock.
func (s *Store) changeListsLocking(ctx context.Context, childID, otherID string, fn func(tx *tx, c *lantern.Child, now time.Time) error) error {
	now := s.now()
	return s.write(ctx, func(tx *tx) error {
		if otherID != "" && s.d.forUpdate() != "" {
			if _, err := collect(ctx, tx, "lock children", `SELECT id FROM children WHERE id IN ($1, $2) ORDER BY id`+s.d.forUpdate(),
				func(r scanner) (string, error) {
					var id string
					return id, r.Scan(&id)
				}, childID, otherID); err != nil {
				return err
			}
		}
		c, err := s.findChild(ctx, tx, childID, true)
		if err != nil {
			return err
		}
		if err := mayChild(ctx, c, lantern.ResChild, lantern.ActChange); err != nil {
			return err
		}
		if c.MergedInto != "" {
			return lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: change that one")
		}
		return fn(tx, c, now)
	})
}

// removeItem deletes one item of a child's list; an item of another child
// is not found.
func (s *Store) removeItem(ctx context.Context, childID, itemID, table, what, action string, then ...func(tx *tx, now time.Time) error) error {
	return s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = $1 AND child_id = $2`, itemID, childID)
		if err != nil {
			return internal("remove "+table, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return internal("remove "+table, err)
		} else if n == 0 {
			return lantern.NotFound(what)
		}
		tx.audit(auditEntry{Action: action, Entity: table, EntityID: itemID, ChildID: childID})
		for _, f := range then {
			if err := f(tx, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// Validation helpers.

// AddOtherName adds an alias, nickname or other name to a child's record,
// with its phonetic key for matching.
func (s *Store) AddOtherName(ctx context.Context, childID string, in lantern.OtherNameInput) (*lantern.OtherName, error) {
	var out *lantern.OtherName
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		if err := in.Validate(); err != nil {
			return err
		}
		n := &lantern.OtherName{ID: newID(), ChildID: childID, Name: in.Name, Kind: in.Kind, CreatedAt: now.UTC().Truncate(time.Microsecond)}
		key := match.NameKey(n.Name)
		if _, err := tx.ExecContext(ctx, `INSERT INTO child_names (id, child_id, name, kind, name_key, name_norm, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			n.ID, childID, n.Name, n.Kind, key, match.Normalise(n.Name), s.d.ts(now)); err != nil {
			return internal("insert other name", err)
		}
		tx.audit(auditEntry{Action: "child.alias.add", Entity: "child_names", EntityID: n.ID, ChildID: childID, Detail: "kind=" + n.Kind})
		out = n
		return nil
	})
	return out, err
}

// RemoveOtherName removes one of a child's other names.
func (s *Store) RemoveOtherName(ctx context.Context, childID, id string) error {
	return s.removeItem(ctx, childID, id, "child_names", "Name", "child.alias.remove")
}

// AddAddress adds a place the child has lived.
func (s *Store) AddAddress(ctx context.Context, childID string, in lantern.AddressInput) (*lantern.Address, error) {
	var out *lantern.Address
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		if err := in.Validate(lantern.Today(now)); err != nil {
			return err
		}
		a := &lantern.Address{ID: newID(), ChildID: childID, Address: in.Address, Postcode: in.Postcode, From: in.From, To: in.To,
			Current: in.To.IsZero(), CreatedAt: now.UTC().Truncate(time.Microsecond)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO child_addresses (id, child_id, address, postcode, from_date, to_date, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, childID, a.Address, a.Postcode, a.From, a.To, s.d.ts(now)); err != nil {
			return internal("insert address", err)
		}
		tx.audit(auditEntry{Action: "child.address.add", Entity: "child_addresses", EntityID: a.ID, ChildID: childID})
		out = a
		return nil
	})
	return out, err
}

// RemoveAddress removes one of a child's addresses.
func (s *Store) RemoveAddress(ctx context.Context, childID, id string) error {
	return s.removeItem(ctx, childID, id, "child_addresses", "Address", "child.address.remove")
}

// AddSchool adds a school the child has gone to.
func (s *Store) AddSchool(ctx context.Context, childID string, in lantern.SchoolInput) (*lantern.School, error) {
	var out *lantern.School
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		if err := in.Validate(lantern.Today(now)); err != nil {
			return err
		}
		sc := &lantern.School{ID: newID(), ChildID: childID, School: in.School, From: in.From, To: in.To, Current: in.To.IsZero(),
			CreatedAt: now.UTC().Truncate(time.Microsecond)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO child_schools (id, child_id, school, from_date, to_date, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, sc.ID, childID, sc.School, sc.From, sc.To, s.d.ts(now)); err != nil {
			return internal("insert school", err)
		}
		tx.audit(auditEntry{Action: "child.school.add", Entity: "child_schools", EntityID: sc.ID, ChildID: childID})
		out = sc
		return nil
	})
	return out, err
}

// RemoveSchool removes one of a child's schools.
func (s *Store) RemoveSchool(ctx context.Context, childID, id string) error {
	return s.removeItem(ctx, childID, id, "child_schools", "School", "child.school.remove")
}

// AddProfessional adds a named professional of an agency. The agency becomes
// involved with the child, so its people see the record, for as long as the
// professional is named on it.
func (s *Store) AddProfessional(ctx context.Context, childID string, in lantern.ProfessionalInput) (*lantern.Professional, error) {
	var out *lantern.Professional
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		p := in.Problems()
		var agencyName string
		if in.AgencyID != "" {
			err := tx.QueryRowContext(ctx, `SELECT name FROM agencies WHERE id = $1`, in.AgencyID).Scan(&agencyName)
			if errors.Is(err, sql.ErrNoRows) {
				p = append(lantern.Problems{{Field: "agency_id", Message: "Select the professional's agency from the list"}}, p...)
			} else if err != nil {
				return internal("find agency", err)
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		pr := &lantern.Professional{ID: newID(), ChildID: childID, AgencyID: in.AgencyID, AgencyName: agencyName, Name: in.Name, Role: in.Role,
			Email: in.Email, Phone: in.Phone, CreatedAt: now.UTC().Truncate(time.Microsecond)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO child_professionals (id, child_id, agency_id, name, role, email, phone, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, pr.ID, childID, pr.AgencyID, pr.Name, pr.Role, pr.Email, pr.Phone, s.d.ts(now)); err != nil {
			return internal("insert professional", err)
		}
		if err := s.involve(ctx, tx, childID, pr.AgencyID, lantern.SourceProfessional, pr.ID, "", now); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "child.professional.add", Entity: "child_professionals", EntityID: pr.ID, ChildID: childID,
			Detail: "agency=" + pr.AgencyID})
		out = pr
		return nil
	})
	return out, err
}

// RemoveProfessional removes a named professional, and the involvement
// naming them gave their agency (it stays in the record's history).
func (s *Store) RemoveProfessional(ctx context.Context, childID, id string) error {
	return s.removeItem(ctx, childID, id, "child_professionals", "Professional", "child.professional.remove", func(tx *tx, now time.Time) error {
		return s.endSource(ctx, tx, lantern.SourceProfessional, id, "The professional was removed from the record", now)
	})
}

// AddFamilyMember adds a parent or carer.
func (s *Store) AddFamilyMember(ctx context.Context, childID string, in lantern.FamilyMemberInput) (*lantern.FamilyMember, error) {
	var out *lantern.FamilyMember
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		if err := in.Validate(); err != nil {
			return err
		}
		m := &lantern.FamilyMember{ID: newID(), ChildID: childID, Name: in.Name, Relationship: in.Relationship,
			ParentalResponsibility: in.ParentalResponsibility, LivesWith: in.LivesWith, Notes: in.Notes, CreatedAt: now.UTC().Truncate(time.Microsecond)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO family_members (id, child_id, name, relationship, parental_responsibility, lives_with, notes, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, m.ID, childID, m.Name, m.Relationship, m.ParentalResponsibility, m.LivesWith, m.Notes, s.d.ts(now)); err != nil {
			return internal("insert family member", err)
		}
		tx.audit(auditEntry{Action: "child.family.add", Entity: "family_members", EntityID: m.ID, ChildID: childID,
			Detail: "relationship=" + m.Relationship})
		out = m
		return nil
	})
	return out, err
}

// RemoveFamilyMember removes a parent or carer.
func (s *Store) RemoveFamilyMember(ctx context.Context, childID, id string) error {
	return s.removeItem(ctx, childID, id, "family_members", "Family member", "child.family.remove")
}

// LinkSibling links two children's records as siblings, both ways. The
// caller must be able to see both; neither may have been merged into
// another record. It returns the sibling.
func (s *Store) LinkSibling(ctx context.Context, childID, siblingID string) (*lantern.Child, error) {
	siblingID = strings.TrimSpace(siblingID)
	var out *lantern.Child
	err := s.changeListsLocking(ctx, childID, siblingID, func(tx *tx, c *lantern.Child, now time.Time) error {
		field := func(msg string) error { return lantern.Invalid(lantern.FieldError{Field: "sibling_id", Message: msg}) }
		switch {
		case siblingID == "":
			return field("Select the child to link as a sibling")
		case siblingID == childID:
			return field("A child cannot be linked as their own sibling")
		}
		sib, err := s.findChild(ctx, tx, siblingID, false)
		if lantern.ErrorCode(err) == lantern.ENOTFOUND {
			// The same answer for a record that is not there and one the
			// caller may not see.
			return field("Select a child's record that you can see")
		} else if err != nil {
			return err
		}
		// Both records are locked (changeListsLocking): has either been
		// merged since?
		rows, err := collect(ctx, tx, "merged siblings", `SELECT id, COALESCE(merged_into, '') FROM children WHERE id IN ($1, $2) ORDER BY id`,
			func(r scanner) ([2]string, error) {
				var v [2]string
				err := r.Scan(&v[0], &v[1])
				return v, err
			}, childID, siblingID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r[1] == "" {
				continue
			}
			if r[0] == childID {
				return lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: change that one")
			}
			return field("That child's record was merged into another: link that one instead")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM child_siblings WHERE child_id = $1 AND sibling_id = $2`, childID, siblingID).Scan(&n); err != nil {
			return internal("find sibling link", err)
		}
		if n > 0 {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "These children are already linked as siblings",
				Fields: []lantern.FieldError{{Field: "sibling_id", Message: "These children are already linked as siblings"}}}
		}
		for _, pair := range [][2]string{{childID, siblingID}, {siblingID, childID}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO child_siblings (child_id, sibling_id, created_at) VALUES ($1, $2, $3)`,
				pair[0], pair[1], s.d.ts(now)); err != nil {
				return internal("link siblings", err)
			}
			tx.audit(auditEntry{Action: "child.sibling.add", Entity: "child", EntityID: pair[1], ChildID: pair[0], Detail: "sibling=" + pair[1]})
		}
		out = sib
		return nil
	})
	return out, err
}

// UnlinkSibling removes the link between two children, both ways. A sibling
// the caller may not see is not found.
func (s *Store) UnlinkSibling(ctx context.Context, childID, siblingID string) error {
	return s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		if _, err := s.findChild(ctx, tx, siblingID, false); lantern.ErrorCode(err) == lantern.ENOTFOUND {
			return lantern.NotFound("Sibling")
		} else if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM child_siblings WHERE (child_id = $1 AND sibling_id = $2) OR (child_id = $2 AND sibling_id = $1)`,
			childID, siblingID)
		if err != nil {
			return internal("unlink siblings", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return internal("unlink siblings", err)
		} else if n == 0 {
			return lantern.NotFound("Sibling")
		}
		for _, pair := range [][2]string{{childID, siblingID}, {siblingID, childID}} {
			tx.audit(auditEntry{Action: "child.sibling.remove", Entity: "child", EntityID: pair[1], ChildID: pair[0], Detail: "sibling=" + pair[1]})
		}
		return nil
	})
}
