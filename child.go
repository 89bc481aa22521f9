package lantern

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Gender values accepted for a child's record.
var Genders = []string{"female", "male", "non-binary", "other", "not-known"}

// GenderLabel says a gender in words.
func GenderLabel(g string) string {
	return labelOf(g, map[string]string{"female": "Female", "male": "Male", "non-binary": "Non-binary", "other": "Other", "not-known": "Not known"})
}

// Child is a child or young person's record.
type Child struct {
	ID          string    `json:"id"`
	GivenName   string    `json:"given_name"`
	FamilyName  string    `json:"family_name"`
	DateOfBirth Date      `json:"date_of_birth"`
	Gender      string    `json:"gender"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   string    `json:"updated_by"`
	// AgencyIDs are the agencies involved with the child.
	AgencyIDs []string `json:"agency_ids"`
	ChildDetails
	MergedInto string `json:"merged_into,omitempty"`
	// Withheld names the restricted fields left out for the reader
	// (RestrictedFields).
	Withheld []string `json:"withheld,omitempty"`
	// SealAccess says the reader sees the record through access its seal
	// gave (its allow-list, or the glass broken): they act on it as an
	// agency involved with the child would.
	SealAccess bool `json:"-"`
}

// ChildDetails are the parts of the record beyond the name and birth.
type ChildDetails struct {
	DOBEstimated       bool   `json:"date_of_birth_estimated"`
	Ethnicity          string `json:"ethnicity"`
	FirstLanguage      string `json:"first_language"`
	InterpreterNeeded  bool   `json:"interpreter_needed"`
	Disability         string `json:"disability"`
	LearningDisability bool   `json:"learning_disability"`
	LookedAfter        bool   `json:"looked_after"`
	PlacingAuthority   string `json:"placing_authority"`
	// Unaccompanied is an unaccompanied asylum-seeking child.
	Unaccompanied bool `json:"unaccompanied_asylum_seeking"`
	OpenCase      bool `json:"open_case"`
	// AllocatedSocialWorkerID is a user of children's social care.
	AllocatedSocialWorkerID string `json:"allocated_social_worker_id,omitempty"`
	LeadProfessional        string `json:"lead_professional"`
}

// Ethnicities are the England and Wales 2021 census categories, by id.
var Ethnicities = []struct{ ID, Group, Label string }{
	{"asian-indian", "Asian, Asian British or Asian Welsh", "Indian"},
	{"asian-pakistani", "Asian, Asian British or Asian Welsh", "Pakistani"},
	{"asian-bangladeshi", "Asian, Asian British or Asian Welsh", "Bangladeshi"},
	{"asian-chinese", "Asian, Asian British or Asian Welsh", "Chinese"},
	{"asian-other", "Asian, Asian British or Asian Welsh", "Any other Asian background"},
	{"black-african", "Black, Black British, Black Welsh, Caribbean or African", "African"},
	{"black-caribbean", "Black, Black British, Black Welsh, Caribbean or African", "Caribbean"},
	{"black-other", "Black, Black British, Black Welsh, Caribbean or African", "Any other Black, Black British or Caribbean background"},
	{"mixed-white-black-caribbean", "Mixed or Multiple ethnic groups", "White and Black Caribbean"},
	{"mixed-white-black-african", "Mixed or Multiple ethnic groups", "White and Black African"},
	{"mixed-white-asian", "Mixed or Multiple ethnic groups", "White and Asian"},
	{"mixed-other", "Mixed or Multiple ethnic groups", "Any other Mixed or Multiple ethnic background"},
	{"white-british", "White", "English, Welsh, Scottish, Northern Irish or British"},
	{"white-irish", "White", "Irish"},
	{"white-gypsy-irish-traveller", "White", "Gypsy or Irish Traveller"},
	{"white-roma", "White", "Roma"},
	{"white-other", "White", "Any other White background"},
	{"other-arab", "Other ethnic group", "Arab"},
	{"other-any", "Other ethnic group", "Any other ethnic group"},
	{"not-stated", "Not stated", "Not stated or not known"},
}

// EthnicityLabel is an ethnicity id in words.
func EthnicityLabel(id string) string {
	for _, e := range Ethnicities {
		if e.ID == id {
			return e.Label
		}
	}
	return id
}

func validEthnicity(id string) bool {
	for _, e := range Ethnicities {
		if e.ID == id {
			return true
		}
	}
	return false
}

// FullName is the name as shown to people.
func (c *Child) FullName() string { return c.GivenName + " " + c.FamilyName }

// ChildInput is what a person gives to create or change a child's record.
type ChildInput struct {
	GivenName   string `json:"given_name"`
	FamilyName  string `json:"family_name"`
	DateOfBirth Date   `json:"date_of_birth"`
	Gender      string `json:"gender"`
	ChildDetails
}

// Normalise trims the text fields.
func (in *ChildInput) Normalise() {
	in.GivenName = strings.TrimSpace(in.GivenName)
	in.FamilyName = strings.TrimSpace(in.FamilyName)
	in.Gender = strings.TrimSpace(in.Gender)
	for _, f := range []*string{&in.Ethnicity, &in.FirstLanguage, &in.Disability, &in.PlacingAuthority,
		&in.AllocatedSocialWorkerID, &in.LeadProfessional} {
		*f = strings.TrimSpace(*f)
	}
	if !in.LookedAfter {
		in.PlacingAuthority = "" // only a looked-after child has one
	}
}

// Validate checks a child's details as of today.
func (in *ChildInput) Validate(today Date) error {
	var p Problems
	checkName(&p, "given_name", "given name", in.GivenName)
	checkName(&p, "family_name", "family name", in.FamilyName)
	switch {
	case in.DateOfBirth.IsZero():
		p.Add("date_of_birth", "Enter a date of birth")
	case in.DateOfBirth.After(today):
		p.Add("date_of_birth", "Date of birth must be today or in the past")
	case AgeOn(in.DateOfBirth, today) >= 25:
		// Care leavers are supported to 25; anyone older is a mistake.
		p.Add("date_of_birth", "Date of birth must be for a child or young person under 25")
	}
	if in.Ethnicity != "" && !validEthnicity(in.Ethnicity) {
		p.Add("ethnicity", "Select an ethnicity from the census categories")
	}
	for _, f := range []struct{ field, label, v string }{
		{"first_language", "first language", in.FirstLanguage}, {"disability", "disability", in.Disability},
		{"placing_authority", "placing authority", in.PlacingAuthority}, {"lead_professional", "lead professional", in.LeadProfessional},
	} {
		checkText(&p, f.field, f.label, f.v, 200)
	}
	if in.Gender == "" {
		p.Add("gender", "Select a gender")
	} else if !slices.Contains(Genders, in.Gender) {
		p.Add("gender", "Gender must be one of "+strings.Join(Genders, ", "))
	}
	return p.Err()
}

// checkText refuses control characters and overlong text in an optional field.
func checkText(p *Problems, field, label, v string, max int) {
	switch {
	case utf8.RuneCountInString(v) > max:
		p.Add(field, fmt.Sprintf("The %s must be %d characters or fewer", label, max))
	case strings.ContainsFunc(v, func(r rune) bool { return (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f }):
		p.Add(field, "The "+label+" must not contain control characters")
	}
}

func checkName(p *Problems, field, label, v string) {
	switch {
	case v == "":
		p.Add(field, "Enter a "+label)
	case utf8.RuneCountInString(v) > 100:
		p.Add(field, "The "+label+" must be 100 characters or fewer")
	case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		p.Add(field, "The "+label+" must not contain control characters")
	}
}

// ChildService manages children's records. Every method applies the access
// rule for the user in ctx and records what it did in the audit trail.
type ChildService interface {
	CreateChild(ctx context.Context, in ChildInput) (*Child, error)
	// FindChildByID returns ENOTFOUND for a child the caller may not see.
	FindChildByID(ctx context.Context, id string) (*Child, error)
	FindChildren(ctx context.Context, f ChildFilter) ([]*ChildRow, int, error)
	// UpdateChild returns ECONFLICT, with the current record, when version is stale.
	UpdateChild(ctx context.Context, id string, version int, in ChildInput) (*Child, error)
}
