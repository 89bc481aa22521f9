package lantern

import (
	"slices"
	"time"
)

// PathwayRole is a part a contact plays in the CSE pathway.
type PathwayRole string

// The pathway's roles (docs/pathway.md#pathway-roles-in-the-directory): where concerns come in, who arranges
// strategy meetings, who must be invited and who is sent the toolkit.
const (
	PathwayFrontDoor      PathwayRole = "front-door"
	PathwayDiaryManager   PathwayRole = "diary-manager"
	PathwayPoliceUnit     PathwayRole = "police-exploitation-unit"
	PathwayPoliceIntel    PathwayRole = "police-intelligence"
	PathwayCSECoordinator PathwayRole = "cse-coordinator"
	PathwayIROManager     PathwayRole = "iro-principal-manager"
	PathwayChair          PathwayRole = "chair"
	PathwayProfessional   PathwayRole = "professional"
)

// PathwayRoles lists every role, in the order shown to people.
var PathwayRoles = []PathwayRole{PathwayFrontDoor, PathwayDiaryManager, PathwayPoliceUnit, PathwayPoliceIntel,
	PathwayCSECoordinator, PathwayIROManager, PathwayChair, PathwayProfessional}

// Valid reports whether r is a pathway role.
func (r PathwayRole) Valid() bool { return slices.Contains(PathwayRoles, r) }

// Label names the role in words.
func (r PathwayRole) Label() string {
	switch r {
	case PathwayFrontDoor:
		return "Front door (referrals)"
	case PathwayDiaryManager:
		return "Diary manager"
	case PathwayPoliceUnit:
		return "Police exploitation unit"
	case PathwayPoliceIntel:
		return "Police intelligence mailbox"
	case PathwayCSECoordinator:
		return "CSE coordinator"
	case PathwayIROManager:
		return "Principal manager, independent reviewing officers"
	case PathwayChair:
		return "Independent chair"
	case PathwayProfessional:
		return "Professional"
	}
	return string(r)
}

// Contact is a person or shared mailbox in the area's directory.
type Contact struct {
	ID         string        `json:"id"`
	AgencyID   string        `json:"agency_id"`
	AgencyName string        `json:"agency_name"`
	Team       string        `json:"team"`
	Name       string        `json:"name"`
	Email      string        `json:"email"`
	Phone      string        `json:"phone"`
	Roles      []PathwayRole `json:"roles"`
	Active     bool          `json:"active"`
	Version    int           `json:"version"`
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
}

// HasRole reports whether c plays role r.
func (c *Contact) HasRole(r PathwayRole) bool { return slices.Contains(c.Roles, r) }

// SuggestedRoles are the roles invited to a kind of meeting by default: the
// police exploitation unit to every CSE strategy meeting (docs/pathway.md#pathway-roles-in-the-directory), the
// coordinator who tracks them, and a chair.
func SuggestedRoles(kind MeetingKind) []PathwayRole {
	switch kind {
	case MeetingCSEStrategy, MeetingContextConference:
		return []PathwayRole{PathwayPoliceUnit, PathwayCSECoordinator, PathwayChair}
	case MeetingStrategyDiscussion:
		return []PathwayRole{PathwayPoliceUnit}
	case MeetingICPC, MeetingReview:
		return []PathwayRole{PathwayChair, PathwayPoliceUnit}
	}
	return nil
}

// ContactInput is what adding or changing a directory entry takes.
type ContactInput struct {
	AgencyID string
	Team     string
	Name     string
	Email    string
	Phone    string
	Roles    []PathwayRole
	Active   bool
}
