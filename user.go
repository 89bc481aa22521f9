package lantern

import (
	"context"
	"slices"
	"strings"
	"time"
)

// AgencyKind is the kind of organisation an agency is.
type AgencyKind string

const (
	KindChildrensSocialCare AgencyKind = "childrens-social-care"
	KindPolice              AgencyKind = "police"
	KindHealth              AgencyKind = "health"
	KindEducation           AgencyKind = "education"
	KindYouthJustice        AgencyKind = "youth-justice"
	KindVoluntary           AgencyKind = "voluntary"
	KindHousing             AgencyKind = "housing"
)

// AgencyKinds lists every kind, in the order shown to people.
var AgencyKinds = []AgencyKind{KindChildrensSocialCare, KindPolice, KindHealth, KindEducation,
	KindYouthJustice, KindVoluntary, KindHousing}

func (k AgencyKind) Valid() bool { return slices.Contains(AgencyKinds, k) }

// Label is the kind in words.
func (k AgencyKind) Label() string {
	switch k {
	case KindChildrensSocialCare:
		return "Children's social care"
	case KindPolice:
		return "Police"
	case KindHealth:
		return "Health"
	case KindEducation:
		return "Education"
	case KindYouthJustice:
		return "Youth justice"
	case KindVoluntary:
		return "Voluntary sector"
	case KindHousing:
		return "Housing"
	}
	return string(k)
}

// Agency is an organisation taking part in the area's arrangements.
type Agency struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Kind      AgencyKind `json:"kind"`
	CreatedAt time.Time  `json:"created_at"`
}

// Role is what a user may do.
type Role string

const (
	RolePractitioner   Role = "practitioner"
	RoleSocialWorker   Role = "social-worker"
	RoleManager        Role = "manager"
	RoleCSECoordinator Role = "cse-coordinator"
	RolePolice         Role = "police"
	RoleAnalyst        Role = "analyst"
	RoleChair          Role = "chair"
	RoleAuditor        Role = "auditor"
	RoleAdmin          Role = "admin"
	// RoleInfoGovernance is the information governance lead: agreements,
	// and the review of every break-glass access.
	RoleInfoGovernance Role = "information-governance"
)

// Roles lists every role, in the order shown to people.
var Roles = []Role{RolePractitioner, RoleSocialWorker, RoleManager, RoleCSECoordinator,
	RolePolice, RoleAnalyst, RoleChair, RoleAuditor, RoleAdmin, RoleInfoGovernance}

func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Label is the role in words.
func (r Role) Label() string {
	switch r {
	case RolePractitioner:
		return "Practitioner"
	case RoleSocialWorker:
		return "Social worker"
	case RoleManager:
		return "Manager"
	case RoleCSECoordinator:
		return "CSE coordinator"
	case RolePolice:
		return "Police"
	case RoleAnalyst:
		return "Analyst"
	case RoleChair:
		return "Independent chair"
	case RoleAuditor:
		return "Auditor"
	case RoleAdmin:
		return "Administrator"
	case RoleInfoGovernance:
		return "Information governance lead"
	}
	return string(r)
}

// User is a person who signs in. Users belong to one agency.
type User struct {
	ID         string     `json:"id"`
	Email      string     `json:"email"`
	Name       string     `json:"name"`
	AgencyID   string     `json:"agency_id"`
	AgencyName string     `json:"agency_name,omitempty"`
	AgencyKind AgencyKind `json:"agency_kind,omitempty"`
	Roles      []Role     `json:"roles"`
	// MFAEnrolled is true once the user has confirmed a TOTP secret.
	MFAEnrolled bool `json:"mfa_enrolled"`
	// MFAExempt is set only on demonstration accounts.
	MFAExempt bool `json:"mfa_exempt,omitempty"`
	Disabled  bool `json:"disabled"`
	// ApprovalRequestedBy is, while the account waits for a second
	// administrator's approval before it is used, the administrator whose
	// change made it wait (see NeedsApproval).
	ApprovalRequestedBy string     `json:"approval_requested_by,omitempty"`
	LockedUntil         *time.Time `json:"locked_until,omitempty"`
	Version             int        `json:"version"`
	CreatedAt           time.Time  `json:"created_at"`
}

// AwaitingApproval reports whether the account waits for a second
// administrator before it may be used.
func (u *User) AwaitingApproval() bool { return u.ApprovalRequestedBy != "" }

// Has reports whether the user holds role r.
func (u *User) Has(r Role) bool { return u != nil && slices.Contains(u.Roles, r) }

// HasAny reports whether the user holds any of rs.
func (u *User) HasAny(rs ...Role) bool {
	for _, r := range rs {
		if u.Has(r) {
			return true
		}
	}
	return false
}

type ctxKey int

const (
	userKey ctxKey = iota
	requestKey
)

// NewContextWithUser returns ctx carrying the signed-in user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// UserFromContext returns the signed-in user, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}

// RequestInfo says where a request came from and why, for the audit trail.
type RequestInfo struct {
	IP  string // the client address
	Why string // the page or API call, e.g. "GET /api/v1/children/{id}"
}

// NewContextWithRequest returns ctx carrying info about the request.
func NewContextWithRequest(ctx context.Context, ri RequestInfo) context.Context {
	return context.WithValue(ctx, requestKey, ri)
}

// RequestFromContext returns the request info, or the zero value.
func RequestFromContext(ctx context.Context) RequestInfo {
	ri, _ := ctx.Value(requestKey).(RequestInfo)
	return ri
}

const systemKey ctxKey = 100

// NewSystemContext marks ctx as the system itself acting for an operator at
// the command line, who has the machine and so may manage users and agencies.
func NewSystemContext(ctx context.Context, why string) context.Context {
	ctx = context.WithValue(ctx, systemKey, true)
	return NewContextWithRequest(ctx, RequestInfo{Why: why})
}

// IsSystem reports whether ctx is the system acting from the command line.
func IsSystem(ctx context.Context) bool { v, _ := ctx.Value(systemKey).(bool); return v }

// AgencyInput is what an administrator gives to create an agency.
type AgencyInput struct {
	Name string     `json:"name"`
	Kind AgencyKind `json:"kind"`
}

// UserInput is what an administrator gives to create or change a user.
type UserInput struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	AgencyID string `json:"agency_id"`
	Roles    []Role `json:"roles"`
	// Password is optional when creating; set only through Create.
	Password string `json:"-"`
}

// UserUpdate is what an administrator may change about a user.
type UserUpdate struct {
	Name     string
	AgencyID string
	Roles    []Role
	Disabled bool
}

// Person is a colleague's id and name, for choosing and showing people.
type Person struct {
	ID   string
	Name string
}

// Passkey is a person's WebAuthn credential, as their account page lists
// it (its public key stays in the store).
type Passkey struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// CheckPasskeyName checks the name a person gives a passkey.
func CheckPasskeyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	var p Problems
	if name == "" {
		p.Add("name", "Name the passkey, so you can tell it from others: for example, \"work laptop\"")
	}
	checkText(&p, "name", "name", name, 60)
	return name, p.Err()
}
