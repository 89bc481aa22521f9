package store

// The lists on a child's record: other names, where the child has lived and
// gone to school, the professionals and agencies involved, family, and
// siblings (links to other children's records). Every read goes through
// findChild (the access rule); every change is audited by ids only.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"lantern"
	"lantern/match"
)

// NameKinds are the kinds of a child's other names.
var NameKinds = []string{"alias", "nickname", "known-as", "street-name", "previous-name"}

// NameKindLabel is a kind of other name in words.
func NameKindLabel(k string) string {
	switch k {
	case "alias":
		return "Alias"
	case "nickname":
		return "Nickname"
	case "known-as":
		return "Known as"
	case "street-name":
		return "Street name"
	case "previous-name":
		return "Previous name"
	}
	return k
}

// Relationships are a parent's or carer's relationships to the child.
var Relationships = []string{"mother", "father", "parent", "step-parent", "carer", "foster-carer", "grandparent", "other"}

// RelationshipLabel is a relationship in words.
func RelationshipLabel(r string) string {
	switch r {
	case "mother":
		return "Mother"
	case "father":
		return "Father"
	case "parent":
		return "Parent"
	case "step-parent":
		return "Step-parent"
	case "carer":
		return "Carer"
	case "foster-carer":
		return "Foster carer"
	case "grandparent":
		return "Grandparent"
	case "other":
		return "Other"
	}
	return r
}

// OtherName is an alias, nickname or other name a child is known by.
type OtherName struct {
	ID        string    `json:"id"`
	ChildID   string    `json:"child_id"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
}

// KindLabel is the kind in words.
func (n *OtherName) KindLabel() string { return NameKindLabel(n.Kind) }

// OtherNameInput is a new other name.
type OtherNameInput struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Address is a place the child has lived. One with no To date is current.
type Address struct {
	ID        string       `json:"id"`
	ChildID   string       `json:"child_id"`
	Address   string       `json:"address"`
	Postcode  string       `json:"postcode"`
	From      lantern.Date `json:"from_date"`
	To        lantern.Date `json:"to_date"`
	Current   bool         `json:"current"`
	CreatedAt time.Time    `json:"created_at"`
}

// Lines are the address's lines, to show one under another.
func (a *Address) Lines() []string {
	return strings.Split(strings.ReplaceAll(a.Address, "\r\n", "\n"), "\n")
}

// AddressInput is a new address.
type AddressInput struct {
	Address  string
	Postcode string
	From, To lantern.Date
}

// School is a school the child has gone to. One with no To date is current.
type School struct {
	ID        string       `json:"id"`
	ChildID   string       `json:"child_id"`
	School    string       `json:"school"`
	From      lantern.Date `json:"from_date"`
	To        lantern.Date `json:"to_date"`
	Current   bool         `json:"current"`
	CreatedAt time.Time    `json:"created_at"`
}

// SchoolInput is a new school.
type SchoolInput struct {
	School   string
	From, To lantern.Date
}

// Professional is a named professional of an agency involved with a child.
type Professional struct {
	ID         string    `json:"id"`
	ChildID    string    `json:"child_id"`
	AgencyID   string    `json:"agency_id"`
	AgencyName string    `json:"agency_name"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	Email      string    `json:"email"`
	Phone      string    `json:"phone"`
	CreatedAt  time.Time `json:"created_at"`
}

// ProfessionalInput is a new professional.
type ProfessionalInput struct {
	AgencyID string `json:"agency_id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
}

// FamilyMember is a parent or carer.
type FamilyMember struct {
	ID                     string    `json:"id"`
	ChildID                string    `json:"child_id"`
	Name                   string    `json:"name"`
	Relationship           string    `json:"relationship"`
	ParentalResponsibility bool      `json:"parental_responsibility"`
	LivesWith              bool      `json:"lives_with"`
	Notes                  string    `json:"notes"`
	CreatedAt              time.Time `json:"created_at"`
}

// RelationshipLabel is the relationship in words.
func (m *FamilyMember) RelationshipLabel() string { return RelationshipLabel(m.Relationship) }

// FamilyMemberInput is a new parent or carer.
type FamilyMemberInput struct {
	Name                   string `json:"name"`
	Relationship           string `json:"relationship"`
	ParentalResponsibility bool   `json:"parental_responsibility"`
	LivesWith              bool   `json:"lives_with"`
	Notes                  string `json:"notes"`
}

// ChildLists are all the lists on a child's record, for the child's page.
// Siblings holds only the siblings the caller may see.
type ChildLists struct {
	ChildID       string
	Names         []*OtherName
	Addresses     []*Address
	Schools       []*School
	Professionals []*Professional
	Family        []*FamilyMember
	Siblings      []*lantern.Child
}

// ChildLists reads every list on a child's record in a fixed number of
// queries. The read is audited once, with the ids of the siblings shown.
func (s *Store) ChildLists(ctx context.Context, childID string) (*ChildLists, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	l := &ChildLists{ChildID: childID}
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
func (s *Store) OtherNames(ctx context.Context, childID string) ([]*OtherName, error) {
	return readList(ctx, s, childID, "child.alias.list", s.loadNames)
}

// Addresses lists where a child has lived, current first, then newest.
func (s *Store) Addresses(ctx context.Context, childID string) ([]*Address, error) {
	return readList(ctx, s, childID, "child.address.list", s.loadAddresses)
}

// Schools lists the schools a child has gone to, current first, then newest.
func (s *Store) Schools(ctx context.Context, childID string) ([]*School, error) {
	return readList(ctx, s, childID, "child.school.list", s.loadSchools)
}

// Professionals lists the named professionals involved with a child.
func (s *Store) Professionals(ctx context.Context, childID string) ([]*Professional, error) {
	return readList(ctx, s, childID, "child.professional.list", s.loadProfessionals)
}

// FamilyMembers lists a child's parents and carers.
func (s *Store) FamilyMembers(ctx context.Context, childID string) ([]*FamilyMember, error) {
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

func (s *Store) loadNames(ctx context.Context, q querier, childID string) ([]*OtherName, error) {
	return collect(ctx, q, "other names", `SELECT id, child_id, name, kind, created_at FROM child_names
		WHERE child_id = $1 ORDER BY created_at, id`, func(r scanner) (*OtherName, error) {
		var n OtherName
		err := r.Scan(&n.ID, &n.ChildID, &n.Name, &n.Kind, timeScan{&n.CreatedAt})
		return &n, err
	}, childID)
}

// byCurrentThenNewest orders a history: current (no end date) first, then
// the latest start; nulls placed alike in both dialects.
const byCurrentThenNewest = ` ORDER BY CASE WHEN to_date IS NULL THEN 0 ELSE 1 END, CASE WHEN from_date IS NULL THEN 1 ELSE 0 END,
	from_date DESC, to_date DESC, created_at DESC, id DESC`

func (s *Store) loadAddresses(ctx context.Context, q querier, childID string) ([]*Address, error) {
	return collect(ctx, q, "addresses", `SELECT id, child_id, address, postcode, from_date, to_date, created_at FROM child_addresses
		WHERE child_id = $1`+byCurrentThenNewest, func(r scanner) (*Address, error) {
		var a Address
		err := r.Scan(&a.ID, &a.ChildID, &a.Address, &a.Postcode, &a.From, &a.To, timeScan{&a.CreatedAt})
		a.Current = a.To.IsZero()
		return &a, err
	}, childID)
}

func (s *Store) loadSchools(ctx context.Context, q querier, childID string) ([]*School, error) {
	return collect(ctx, q, "schools", `SELECT id, child_id, school, from_date, to_date, created_at FROM child_schools
		WHERE child_id = $1`+byCurrentThenNewest, func(r scanner) (*School, error) {
		var sc School
		err := r.Scan(&sc.ID, &sc.ChildID, &sc.School, &sc.From, &sc.To, timeScan{&sc.CreatedAt})
		sc.Current = sc.To.IsZero()
		return &sc, err
	}, childID)
}

func (s *Store) loadProfessionals(ctx context.Context, q querier, childID string) ([]*Professional, error) {
	return collect(ctx, q, "professionals", `SELECT p.id, p.child_id, p.agency_id, a.name, p.name, p.role, p.email, p.phone, p.created_at
		FROM child_professionals p JOIN agencies a ON a.id = p.agency_id
		WHERE p.child_id = $1 ORDER BY lower(a.name), lower(p.name), p.id`, func(r scanner) (*Professional, error) {
		var p Professional
		err := r.Scan(&p.ID, &p.ChildID, &p.AgencyID, &p.AgencyName, &p.Name, &p.Role, &p.Email, &p.Phone, timeScan{&p.CreatedAt})
		return &p, err
	}, childID)
}

func (s *Store) loadFamily(ctx context.Context, q querier, childID string) ([]*FamilyMember, error) {
	return collect(ctx, q, "family", `SELECT id, child_id, name, relationship, parental_responsibility, lives_with, notes, created_at
		FROM family_members WHERE child_id = $1 ORDER BY created_at, id`, func(r scanner) (*FamilyMember, error) {
		var m FamilyMember
		err := r.Scan(&m.ID, &m.ChildID, &m.Name, &m.Relationship, &m.ParentalResponsibility, &m.LivesWith, &m.Notes, timeScan{&m.CreatedAt})
		return &m, err
	}, childID)
}

// loadSiblings reads the siblings the caller may see, through the access
// rule on alias c, with their agencies: two queries however many.
func (s *Store) loadSiblings(ctx context.Context, q querier, childID string) ([]*lantern.Child, error) {
	args := []any{childID}
	cond, ok := childVisible(ctx, &args)
	if !ok {
		return []*lantern.Child{}, nil
	}
	cs, err := collect(ctx, q, "siblings", `SELECT `+childCols+` FROM child_siblings cs JOIN children c ON c.id = cs.sibling_id
		WHERE cs.child_id = $1 AND `+cond+` ORDER BY c.date_of_birth, lower(c.family_name), lower(c.given_name), c.id`,
		func(r scanner) (*lantern.Child, error) { return scanChild(r) }, args...)
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

func badText(v string, multiline bool) bool {
	return strings.ContainsFunc(v, func(r rune) bool {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			return false
		}
		return r < 0x20 || r == 0x7f
	})
}

// checkRequired checks a required one-line text field.
func checkRequired(p *lantern.Problems, field, enter, label, v string, max int) {
	switch {
	case v == "":
		p.Add(field, enter)
	case utf8.RuneCountInString(v) > max:
		p.Add(field, fmt.Sprintf("The %s must be %d characters or fewer", label, max))
	case badText(v, false):
		p.Add(field, "The "+label+" must not contain control characters")
	}
}

// checkOptional checks an optional text field.
func checkOptional(p *lantern.Problems, field, label, v string, max int, multiline bool) {
	switch {
	case utf8.RuneCountInString(v) > max:
		p.Add(field, fmt.Sprintf("The %s must be %d characters or fewer", label, max))
	case badText(v, multiline):
		p.Add(field, "The "+label+" must not contain control characters")
	}
}

// checkPeriod checks a start date (required) and an end date (optional):
// neither in the future, and the end not before the start.
func checkPeriod(p *lantern.Problems, from, to lantern.Date, what string, today lantern.Date) {
	switch {
	case from.IsZero():
		p.Add("from_date", "Enter the date the child started "+what)
	case from.After(today):
		p.Add("from_date", "The start date must be today or in the past")
	}
	switch {
	case to.IsZero():
	case to.After(today):
		p.Add("to_date", "The end date must be today or in the past")
	case !from.IsZero() && to.Before(from):
		p.Add("to_date", "The end date must be the same as or after the start date")
	}
}

var postcodeRE = regexp.MustCompile(`^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$`)

// NormalisePostcode upper-cases a postcode and spaces it as Royal Mail does
// (SW1A 1AA). It reports false for something not shaped like a UK postcode.
func NormalisePostcode(v string) (string, bool) {
	compact := strings.ToUpper(strings.Join(strings.Fields(v), ""))
	if compact == "GIR0AA" {
		return "GIR 0AA", true
	}
	m := postcodeRE.FindStringSubmatch(compact)
	if m == nil {
		return strings.ToUpper(strings.TrimSpace(v)), false
	}
	return m[1] + " " + m[2], true
}

// validPhone is loose: digits with spaces, brackets, dashes, dots and a
// leading plus, holding 7 to 15 digits.
func validPhone(v string) bool {
	digits := 0
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '(' || r == ')' || r == '-' || r == '.':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

// Validate trims the input and checks it.
func (in *OtherNameInput) Validate() error {
	in.Name, in.Kind = strings.TrimSpace(in.Name), strings.TrimSpace(in.Kind)
	var p lantern.Problems
	checkRequired(&p, "name", "Enter the name", "name", in.Name, 100)
	if !slices.Contains(NameKinds, in.Kind) {
		p.Add("kind", "Select the kind of name: one of "+strings.Join(NameKinds, ", "))
	}
	return p.Err()
}

// AddOtherName adds an alias, nickname or other name to a child's record,
// with its phonetic key for matching.
func (s *Store) AddOtherName(ctx context.Context, childID string, in OtherNameInput) (*OtherName, error) {
	var out *OtherName
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		if err := in.Validate(); err != nil {
			return err
		}
		n := &OtherName{ID: newID(), ChildID: childID, Name: in.Name, Kind: in.Kind, CreatedAt: now.UTC().Truncate(time.Microsecond)}
		key := match.NameKey(n.Name)
		if _, err := tx.ExecContext(ctx, `INSERT INTO child_names (id, child_id, name, kind, name_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			n.ID, childID, n.Name, n.Kind, key, s.d.ts(now)); err != nil {
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

// Validate trims the input, puts the postcode in its usual form, and checks
// it as of today.
func (in *AddressInput) Validate(today lantern.Date) error {
	in.Address = strings.TrimSpace(in.Address)
	var p lantern.Problems
	if in.Address == "" {
		p.Add("address", "Enter the address")
	} else {
		checkOptional(&p, "address", "address", in.Address, 500, true)
	}
	if strings.TrimSpace(in.Postcode) != "" {
		pc, ok := NormalisePostcode(in.Postcode)
		if !ok {
			p.Add("postcode", "Enter a real postcode, like SW1A 1AA")
		}
		in.Postcode = pc
	} else {
		in.Postcode = ""
	}
	checkPeriod(&p, in.From, in.To, "living at the address", today)
	return p.Err()
}

// AddAddress adds a place the child has lived.
func (s *Store) AddAddress(ctx context.Context, childID string, in AddressInput) (*Address, error) {
	var out *Address
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		if err := in.Validate(lantern.Today(now)); err != nil {
			return err
		}
		a := &Address{ID: newID(), ChildID: childID, Address: in.Address, Postcode: in.Postcode, From: in.From, To: in.To,
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

// Validate trims the input and checks it as of today.
func (in *SchoolInput) Validate(today lantern.Date) error {
	in.School = strings.TrimSpace(in.School)
	var p lantern.Problems
	checkRequired(&p, "school", "Enter the name of the school", "school's name", in.School, 200)
	checkPeriod(&p, in.From, in.To, "at the school", today)
	return p.Err()
}

// AddSchool adds a school the child has gone to.
func (s *Store) AddSchool(ctx context.Context, childID string, in SchoolInput) (*School, error) {
	var out *School
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		if err := in.Validate(lantern.Today(now)); err != nil {
			return err
		}
		sc := &School{ID: newID(), ChildID: childID, School: in.School, From: in.From, To: in.To, Current: in.To.IsZero(),
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

// Validate trims the input and checks it; that the agency exists is
// checked when the professional is added.
func (in *ProfessionalInput) Validate() error { return in.problems().Err() }

func (in *ProfessionalInput) problems() lantern.Problems {
	in.AgencyID, in.Name, in.Role = strings.TrimSpace(in.AgencyID), strings.TrimSpace(in.Name), strings.TrimSpace(in.Role)
	in.Email, in.Phone = NormaliseEmail(in.Email), strings.TrimSpace(in.Phone)
	var p lantern.Problems
	if in.AgencyID == "" {
		p.Add("agency_id", "Select the professional's agency")
	}
	checkRequired(&p, "name", "Enter the professional's name", "name", in.Name, 100)
	checkOptional(&p, "role", "role", in.Role, 200, false)
	if in.Email != "" && !validEmail(in.Email) {
		p.Add("email", "Enter an email address in the correct format, like name@example.org")
	}
	if in.Phone != "" && (len(in.Phone) > 30 || !validPhone(in.Phone)) {
		p.Add("phone", "Enter a telephone number, like 01632 960 001 or +44 808 157 0192")
	}
	return p
}

// AddProfessional adds a named professional of an agency. The agency becomes
// involved with the child, so its people see the record, for as long as the
// professional is named on it.
func (s *Store) AddProfessional(ctx context.Context, childID string, in ProfessionalInput) (*Professional, error) {
	var out *Professional
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		p := in.problems()
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
		pr := &Professional{ID: newID(), ChildID: childID, AgencyID: in.AgencyID, AgencyName: agencyName, Name: in.Name, Role: in.Role,
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

// Validate trims the input and checks it.
func (in *FamilyMemberInput) Validate() error {
	in.Name, in.Relationship, in.Notes = strings.TrimSpace(in.Name), strings.TrimSpace(in.Relationship), strings.TrimSpace(in.Notes)
	var p lantern.Problems
	checkRequired(&p, "name", "Enter the person's name", "name", in.Name, 100)
	if !slices.Contains(Relationships, in.Relationship) {
		p.Add("relationship", "Select the relationship to the child: one of "+strings.Join(Relationships, ", "))
	}
	checkOptional(&p, "notes", "notes", in.Notes, 2000, true)
	return p.Err()
}

// AddFamilyMember adds a parent or carer.
func (s *Store) AddFamilyMember(ctx context.Context, childID string, in FamilyMemberInput) (*FamilyMember, error) {
	var out *FamilyMember
	err := s.changeLists(ctx, childID, func(tx *tx, c *lantern.Child, now time.Time) error {
		if err := in.Validate(); err != nil {
			return err
		}
		m := &FamilyMember{ID: newID(), ChildID: childID, Name: in.Name, Relationship: in.Relationship,
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
