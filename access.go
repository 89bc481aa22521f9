package lantern

import (
	"slices"
	"strings"
)

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

// IsCaseRole reports whether r works with children's records.
func IsCaseRole(r Role) bool { return slices.Contains(caseRoles, r) }

// roleKinds are the kinds of agency whose people may hold a role; a role not
// listed may be held in any. A role is a kind of work: a police officer
// works for the police. The CSE coordinator, who sees every child in the
// area by role, works for children's social care, which keeps the area's
// records: a coordinator elsewhere would carry that sight into an agency
// that otherwise sees only the children it works with.
var roleKinds = map[Role][]AgencyKind{
	RoleSocialWorker:   {KindChildrensSocialCare},
	RoleCSECoordinator: {KindChildrensSocialCare},
	RoleChair:          {KindChildrensSocialCare},
	RolePolice:         {KindPolice},
	RoleAnalyst:        {KindPolice, KindChildrensSocialCare},
}

// RoleKinds are the kinds of agency that may hold r (nil: any).
func RoleKinds(r Role) []AgencyKind { return slices.Clone(roleKinds[r]) }

// RoleFitsKind reports whether someone in an agency of kind k may hold r.
func RoleFitsKind(r Role, k AgencyKind) bool {
	ks, ok := roleKinds[r]
	return !ok || slices.Contains(ks, k)
}

// RolesForKind checks roles against an agency's kind, and says why not in
// words, or "".
func RolesForKind(roles []Role, k AgencyKind) string {
	for _, r := range roles {
		if !RoleFitsKind(r, k) {
			var ks []string
			for _, kk := range roleKinds[r] {
				ks = append(ks, kk.Label())
			}
			return "The role " + r.Label() + " is held only in " + strings.Join(ks, " or ") + ", not in " + k.Label() + ": choose another role or agency"
		}
	}
	return ""
}

// NeedsApproval says whether an administrator's change to an account must
// be approved by a second administrator before the account is used: a case
// role given to an account that exists (its holder may be anyone the
// administrator chose, themself too), or the password of an account with a
// case role and no second factor set by an administrator (who could then
// sign in as it, set up its second factor, and read what it may read).
// before is nil for a new account. An account whose first password its
// holder sets through a one-time link to their email needs none.
func NeedsApproval(before []Role, after []Role, passwordByAdmin, mfaEnrolled bool) bool {
	if !slices.ContainsFunc(after, IsCaseRole) {
		return false
	}
	if before != nil && slices.ContainsFunc(after, func(r Role) bool { return IsCaseRole(r) && !slices.Contains(before, r) }) {
		return true
	}
	return passwordByAdmin && !mfaEnrolled
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
