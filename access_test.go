package lantern_test

import (
	"strings"
	"testing"

	"lantern"
)

func TestChildScopeFor(t *testing.T) {
	csc := func(roles ...lantern.Role) *lantern.User {
		return &lantern.User{AgencyID: "a-csc", AgencyKind: lantern.KindChildrensSocialCare, Roles: roles}
	}
	school := func(roles ...lantern.Role) *lantern.User {
		return &lantern.User{AgencyID: "a-school", AgencyKind: lantern.KindEducation, Roles: roles}
	}
	disabled := school(lantern.RolePractitioner)
	disabled.Disabled = true
	tests := []struct {
		name string
		user *lantern.User
		want lantern.ChildScope
		edit bool
	}{
		{"nobody", nil, lantern.ChildScope{None: true}, false},
		{"admin in social care sees no child", csc(lantern.RoleAdmin), lantern.ChildScope{None: true}, false},
		{"auditor sees no child", csc(lantern.RoleAuditor), lantern.ChildScope{None: true}, false},
		{"social worker sees all", csc(lantern.RoleSocialWorker), lantern.ChildScope{All: true}, true},
		{"admin who is also a social worker", csc(lantern.RoleAdmin, lantern.RoleSocialWorker), lantern.ChildScope{All: true}, true},
		{"school practitioner sees own agency's", school(lantern.RolePractitioner), lantern.ChildScope{AgencyID: "a-school"}, true},
		{"coordinator anywhere sees all", school(lantern.RoleCSECoordinator), lantern.ChildScope{All: true}, true},
		{"analyst reads but does not edit", school(lantern.RoleAnalyst), lantern.ChildScope{AgencyID: "a-school"}, false},
		{"disabled user sees nothing", disabled, lantern.ChildScope{None: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lantern.ChildScopeFor(tt.user); got != tt.want {
				t.Errorf("scope = %+v, want %+v", got, tt.want)
			}
			if got := lantern.CanEditChildren(tt.user); got != tt.edit {
				t.Errorf("edit = %v, want %v", got, tt.edit)
			}
		})
	}
}

func TestAgeOn(t *testing.T) {
	d := func(s string) lantern.Date {
		v, err := lantern.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		dob, on string
		want    int
	}{
		{"2013-11-22", "2026-11-22", 13}, // thirteenth birthday today
		{"2013-11-23", "2026-11-22", 12}, // tomorrow
		{"2012-02-29", "2025-02-28", 12}, // leapling, common year: birthday is 1 March
		{"2012-02-29", "2025-03-01", 13},
		{"2012-02-29", "2024-02-29", 12},
		{"2012-02-29", "2024-02-28", 11},
		{"2008-12-31", "2026-12-31", 18},
		{"2008-12-31", "2026-12-30", 17},
	}
	for _, tt := range tests {
		if got := lantern.AgeOn(d(tt.dob), d(tt.on)); got != tt.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", tt.dob, tt.on, got, tt.want)
		}
	}
}

func TestParseDateRefusesNonDates(t *testing.T) {
	for _, s := range []string{"", "2023-02-29", "2023-13-01", "23-01-01", "2023-1-1", "2023-01-01T00:00:00Z", "abcd-ef-gh"} {
		if _, err := lantern.ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}

func TestRolesFitTheirAgencyKind(t *testing.T) {
	for _, c := range []struct {
		role lantern.Role
		kind lantern.AgencyKind
		ok   bool
	}{
		{lantern.RolePolice, lantern.KindPolice, true},
		{lantern.RolePolice, lantern.KindEducation, false},
		{lantern.RoleCSECoordinator, lantern.KindChildrensSocialCare, true},
		{lantern.RoleCSECoordinator, lantern.KindPolice, false},
		{lantern.RoleCSECoordinator, lantern.KindHealth, false},
		{lantern.RoleSocialWorker, lantern.KindChildrensSocialCare, true},
		{lantern.RoleSocialWorker, lantern.KindHousing, false},
		{lantern.RoleChair, lantern.KindPolice, false},
		{lantern.RoleAnalyst, lantern.KindPolice, true},
		{lantern.RoleAnalyst, lantern.KindChildrensSocialCare, true},
		{lantern.RoleAnalyst, lantern.KindVoluntary, false},
		{lantern.RolePractitioner, lantern.KindHousing, true},
		{lantern.RoleManager, lantern.KindHealth, true},
		{lantern.RoleAuditor, lantern.KindEducation, true},
		{lantern.RoleAdmin, lantern.KindYouthJustice, true},
	} {
		if got := lantern.RoleFitsKind(c.role, c.kind); got != c.ok {
			t.Errorf("%s in %s: %v, want %v", c.role, c.kind, got, c.ok)
		}
	}
	if msg := lantern.RolesForKind([]lantern.Role{lantern.RolePractitioner, lantern.RolePolice}, lantern.KindEducation); !strings.Contains(msg, "Police") {
		t.Errorf("why not: %q", msg)
	}
}

func TestNeedsApproval(t *testing.T) {
	sw, aud := []lantern.Role{lantern.RoleSocialWorker}, []lantern.Role{lantern.RoleAuditor}
	for _, c := range []struct {
		name               string
		before, after      []lantern.Role
		byAdmin, mfa, want bool
	}{
		{"new, case role, password by admin", nil, sw, true, false, true},
		{"new, case role, no password yet", nil, sw, false, false, false},
		{"new, no case role, password by admin", nil, aud, true, false, false},
		{"case role added to an account", aud, append(aud, lantern.RoleSocialWorker), false, true, true},
		{"case role kept, name changed", sw, sw, false, true, false},
		{"case role taken away", append(aud, lantern.RoleSocialWorker), aud, false, true, false},
		{"password set by admin, second factor set up", sw, sw, true, true, false},
		{"password set by admin, no second factor", sw, sw, true, false, true},
	} {
		if got := lantern.NeedsApproval(c.before, c.after, c.byAdmin, c.mfa); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
