package lantern

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The lists on a child's record: other names, where the child has lived and
// gone to school, the professionals of agencies involved, and family.
// Siblings are links to other children's records (Child).

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
	ID        string    `json:"id"`
	ChildID   string    `json:"child_id"`
	Address   string    `json:"address"`
	Postcode  string    `json:"postcode"`
	From      Date      `json:"from_date"`
	To        Date      `json:"to_date"`
	Current   bool      `json:"current"`
	CreatedAt time.Time `json:"created_at"`
}

// Lines are the address's lines, to show one under another.
func (a *Address) Lines() []string {
	return strings.Split(strings.ReplaceAll(a.Address, "\r\n", "\n"), "\n")
}

// AddressInput is a new address.
type AddressInput struct {
	Address  string
	Postcode string
	From, To Date
}

// School is a school the child has gone to. One with no To date is current.
type School struct {
	ID        string    `json:"id"`
	ChildID   string    `json:"child_id"`
	School    string    `json:"school"`
	From      Date      `json:"from_date"`
	To        Date      `json:"to_date"`
	Current   bool      `json:"current"`
	CreatedAt time.Time `json:"created_at"`
}

// SchoolInput is a new school.
type SchoolInput struct {
	School   string
	From, To Date
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
	Siblings      []*Child
}

func badText(v string, multiline bool) bool {
	return strings.ContainsFunc(v, func(r rune) bool {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			return false
		}
		return r < 0x20 || r == 0x7f
	})
}

// checkRequired checks a required one-line text field.
func checkRequired(p *Problems, field, enter, label, v string, max int) {
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
func checkOptional(p *Problems, field, label, v string, max int, multiline bool) {
	switch {
	case utf8.RuneCountInString(v) > max:
		p.Add(field, fmt.Sprintf("The %s must be %d characters or fewer", label, max))
	case badText(v, multiline):
		p.Add(field, "The "+label+" must not contain control characters")
	}
}

// checkPeriod checks a start date (required) and an end date (optional):
// neither in the future, and the end not before the start.
func checkPeriod(p *Problems, from, to Date, what string, today Date) {
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
	var p Problems
	checkRequired(&p, "name", "Enter the name", "name", in.Name, 100)
	if !slices.Contains(NameKinds, in.Kind) {
		p.Add("kind", "Select the kind of name: one of "+strings.Join(NameKinds, ", "))
	}
	return p.Err()
}

// Validate trims the input, puts the postcode in its usual form, and checks
// it as of today.
func (in *AddressInput) Validate(today Date) error {
	in.Address = strings.TrimSpace(in.Address)
	var p Problems
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

// Validate trims the input and checks it as of today.
func (in *SchoolInput) Validate(today Date) error {
	in.School = strings.TrimSpace(in.School)
	var p Problems
	checkRequired(&p, "school", "Enter the name of the school", "school's name", in.School, 200)
	checkPeriod(&p, in.From, in.To, "at the school", today)
	return p.Err()
}

// Validate trims the input and checks it; that the agency exists is
// checked when the professional is added.
func (in *ProfessionalInput) Validate() error { return in.Problems().Err() }

func (in *ProfessionalInput) Problems() Problems {
	in.AgencyID, in.Name, in.Role = strings.TrimSpace(in.AgencyID), strings.TrimSpace(in.Name), strings.TrimSpace(in.Role)
	in.Email, in.Phone = NormaliseEmail(in.Email), strings.TrimSpace(in.Phone)
	var p Problems
	if in.AgencyID == "" {
		p.Add("agency_id", "Select the professional's agency")
	}
	checkRequired(&p, "name", "Enter the professional's name", "name", in.Name, 100)
	checkOptional(&p, "role", "role", in.Role, 200, false)
	if in.Email != "" && !ValidAddress(in.Email) {
		p.Add("email", "Enter an email address in the correct format, like name@example.org")
	}
	if in.Phone != "" && (len(in.Phone) > 30 || !validPhone(in.Phone)) {
		p.Add("phone", "Enter a telephone number, like 01632 960 001 or +44 808 157 0192")
	}
	return p
}

// Validate trims the input and checks it.
func (in *FamilyMemberInput) Validate() error {
	in.Name, in.Relationship, in.Notes = strings.TrimSpace(in.Name), strings.TrimSpace(in.Relationship), strings.TrimSpace(in.Notes)
	var p Problems
	checkRequired(&p, "name", "Enter the person's name", "name", in.Name, 100)
	if !slices.Contains(Relationships, in.Relationship) {
		p.Add("relationship", "Select the relationship to the child: one of "+strings.Join(Relationships, ", "))
	}
	checkOptional(&p, "notes", "notes", in.Notes, 2000, true)
	return p.Err()
}
