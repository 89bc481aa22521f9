package lantern

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Gender values accepted for a child's record.
var Genders = []string{"female", "male", "non-binary", "other", "not-known"}

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
}

// FullName is the name as shown to people.
func (c *Child) FullName() string { return c.GivenName + " " + c.FamilyName }

// ChildInput is what a person gives to create or change a child's record.
type ChildInput struct {
	GivenName   string `json:"given_name"`
	FamilyName  string `json:"family_name"`
	DateOfBirth Date   `json:"date_of_birth"`
	Gender      string `json:"gender"`
}

// Normalise trims the text fields.
func (in *ChildInput) Normalise() {
	in.GivenName = strings.TrimSpace(in.GivenName)
	in.FamilyName = strings.TrimSpace(in.FamilyName)
	in.Gender = strings.TrimSpace(in.Gender)
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
	if in.Gender == "" {
		p.Add("gender", "Select a gender")
	} else if !slices.Contains(Genders, in.Gender) {
		p.Add("gender", "Gender must be one of "+strings.Join(Genders, ", "))
	}
	return p.Err()
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

// ChildFilter narrows a list of children.
type ChildFilter struct {
	Name   string // part of a given or family name
	Limit  int
	Offset int
}

// ChildService manages children's records. Every method applies the access
// rule for the user in ctx and records what it did in the audit trail.
type ChildService interface {
	CreateChild(ctx context.Context, in ChildInput) (*Child, error)
	// FindChildByID returns ENOTFOUND for a child the caller may not see.
	FindChildByID(ctx context.Context, id string) (*Child, error)
	FindChildren(ctx context.Context, f ChildFilter) ([]*Child, int, error)
	// UpdateChild returns ECONFLICT, with the current record, when version is stale.
	UpdateChild(ctx context.Context, id string, version int, in ChildInput) (*Child, error)
}
