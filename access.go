package lantern

import "slices"

// The access rule, as data. The store turns a ChildScope into SQL in one
// place (store/access.go); nothing else decides who sees a child.

// caseRoles are the roles that work with children's records at all.
// Administrators and auditors hold none of them: separation of duties.
var caseRoles = []Role{RolePractitioner, RoleSocialWorker, RoleManager, RoleCSECoordinator,
	RolePolice, RoleAnalyst, RoleChair}

// SeparateDuties says why roles may not be held together, or "" if they
// may: an administrator, who grants access, holds no case role, so that no
// one account can both give itself access to children and use it.
func SeparateDuties(roles []Role) string {
	if slices.Contains(roles, RoleAdmin) && slices.ContainsFunc(roles, func(r Role) bool { return slices.Contains(caseRoles, r) }) {
		return "An administrator cannot also hold a role that works with children's records: give that work to another account"
	}
	return ""
}

// editRoles may create and change children's records.
var editRoles = []Role{RolePractitioner, RoleSocialWorker, RoleManager, RoleCSECoordinator, RolePolice}

// ChildScope is which children's records a user may see.
type ChildScope struct {
	None     bool   // no child at all
	All      bool   // every child in the area
	AgencyID string // children whom this agency is involved with
}

// ChildScopeFor gives the scope of u. Children's social care holds the
// area's records, and the CSE coordinator works across all of them; everyone
// else sees the children their own agency is involved with.
func ChildScopeFor(u *User) ChildScope {
	if u == nil || u.Disabled || !u.HasAny(caseRoles...) {
		return ChildScope{None: true}
	}
	if u.AgencyKind == KindChildrensSocialCare || u.Has(RoleCSECoordinator) {
		return ChildScope{All: true}
	}
	return ChildScope{AgencyID: u.AgencyID}
}

// EditRoles are the roles that may create and change children's records
// (a copy: the store turns them into SQL).
func EditRoles() []Role { return append([]Role(nil), editRoles...) }

// CanEditChildren reports whether u may create and change children's records.
func CanEditChildren(u *User) bool { return u != nil && !u.Disabled && u.HasAny(editRoles...) }

// CanSeeChildren reports whether u may see any child's record.
func CanSeeChildren(u *User) bool { return !ChildScopeFor(u).None }

// CanAdminister reports whether u manages users and agencies.
func CanAdminister(u *User) bool { return u != nil && !u.Disabled && u.Has(RoleAdmin) }

// CanAudit reports whether u may search the audit trail.
func CanAudit(u *User) bool { return u != nil && !u.Disabled && u.Has(RoleAuditor) }
