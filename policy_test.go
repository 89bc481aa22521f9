package lantern_test

import (
	"os"
	"strings"
	"testing"

	"lantern"
)

// Who may do what, from the table: the cases the rest of Lantern leans on.
func TestPolicy(t *testing.T) {
	in := func(k lantern.AgencyKind, roles ...lantern.Role) *lantern.User {
		return &lantern.User{ID: "u-" + string(k), AgencyID: "a-" + string(k), AgencyKind: k, Roles: roles}
	}
	csc, school, police := lantern.KindChildrensSocialCare, lantern.KindEducation, lantern.KindPolice
	disabled := in(school, lantern.RolePractitioner)
	disabled.Disabled = true
	waiting := in(csc, lantern.RoleSocialWorker)
	waiting.ApprovalRequestedBy = "admin"
	legacyCoordinator := in(lantern.KindHealth, lantern.RoleCSECoordinator) // the role is now refused outside children's social care
	const (
		area, own, inv, other = lantern.RelArea, lantern.RelOwn, lantern.RelInvolved, lantern.RelOther
	)
	for _, c := range []struct {
		name string
		u    *lantern.User
		res  lantern.Resource
		act  lantern.Action
		rel  lantern.Relation
		want bool
	}{
		{"nobody signed in", nil, lantern.ResChild, lantern.ActRead, inv, false},
		{"an administrator sees no child", in(csc, lantern.RoleAdmin), lantern.ResChild, lantern.ActRead, other, false},
		{"an auditor sees no child", in(csc, lantern.RoleAuditor), lantern.ResChild, lantern.ActList, area, false},
		{"a social worker sees every child", in(csc, lantern.RoleSocialWorker), lantern.ResChild, lantern.ActRead, other, true},
		{"a school practitioner sees a child the school is involved with", in(school, lantern.RolePractitioner), lantern.ResChild, lantern.ActRead, inv, true},
		{"but not another's", in(school, lantern.RolePractitioner), lantern.ResChild, lantern.ActRead, other, false},
		{"the coordinator sees every child", in(csc, lantern.RoleCSECoordinator), lantern.ResChild, lantern.ActRead, other, true},
		{"an analyst reads", in(police, lantern.RoleAnalyst), lantern.ResChild, lantern.ActRead, inv, true},
		{"but does not change", in(police, lantern.RoleAnalyst), lantern.ResChild, lantern.ActChange, inv, false},
		{"a chair does not record an outcome", in(csc, lantern.RoleChair), lantern.ResMeeting, lantern.ActRecordOutcome, other, false},
		{"a disabled account does nothing", disabled, lantern.ResChild, lantern.ActRead, inv, false},
		{"an account waiting for approval does nothing", waiting, lantern.ResChild, lantern.ActRead, other, false},
		{"a school manager does not merge records", in(school, lantern.RoleManager), lantern.ResChild, lantern.ActMerge, inv, false},
		{"a social care manager does", in(csc, lantern.RoleManager), lantern.ResChild, lantern.ActMerge, other, true},
		{"a social care manager allocates a child's social worker", in(csc, lantern.RoleManager), lantern.ResChild, lantern.ActAllocate, other, true},
		{"a school manager does not", in(school, lantern.RoleManager), lantern.ResChild, lantern.ActAllocate, inv, false},
		{"nor the coordinator", in(csc, lantern.RoleCSECoordinator), lantern.ResChild, lantern.ActAllocate, other, false},
		{"nor a social worker", in(csc, lantern.RoleSocialWorker), lantern.ResChild, lantern.ActAllocate, other, false},
		{"a social care manager reviews possible duplicates", in(csc, lantern.RoleManager), lantern.ResDuplicate, lantern.ActList, area, true},
		{"the coordinator decides them", in(csc, lantern.RoleCSECoordinator), lantern.ResDuplicate, lantern.ActChange, area, true},
		{"a social worker does not see them", in(csc, lantern.RoleSocialWorker), lantern.ResDuplicate, lantern.ActList, area, false},
		{"nor a police manager", in(police, lantern.RoleManager), lantern.ResDuplicate, lantern.ActList, area, false},
		{"a manager closes their team's task", in(school, lantern.RoleManager), lantern.ResTask, lantern.ActClose, own, true},
		{"not another team's", in(csc, lantern.RoleManager), lantern.ResTask, lantern.ActClose, other, false},
		{"what a child said: a social worker", in(csc, lantern.RoleSocialWorker), lantern.ResReturnAccount, lantern.ActRead, other, true},
		{"what a child said: not a school", in(school, lantern.RolePractitioner), lantern.ResReturnAccount, lantern.ActRead, inv, false},
		{"a meeting about no child: its organiser's agency changes it", in(school, lantern.RolePractitioner), lantern.ResContextMeeting, lantern.ActChange, own, true},
		{"an invited agency reads it", in(police, lantern.RolePolice), lantern.ResContextMeeting, lantern.ActRead, inv, true},
		{"but does not change it", in(police, lantern.RolePolice), lantern.ResContextMeeting, lantern.ActChange, inv, false},
		{"an agency neither organising nor invited does not see it", in(school, lantern.RolePractitioner), lantern.ResContextMeeting, lantern.ActRead, other, false},
		{"children's social care sees it", in(csc, lantern.RoleSocialWorker), lantern.ResContextMeeting, lantern.ActRead, other, true},
		{"but does not change it", in(csc, lantern.RoleSocialWorker), lantern.ResContextMeeting, lantern.ActChange, other, false},
		{"the coordinator changes it", in(csc, lantern.RoleCSECoordinator), lantern.ResContextMeeting, lantern.ActChange, other, true},
		{"a school does not decide involvement", in(school, lantern.RoleManager), lantern.ResInvolvement, lantern.ActCreate, inv, false},
		{"a social worker does", in(csc, lantern.RoleSocialWorker), lantern.ResInvolvement, lantern.ActCreate, other, true},
		{"an older coordinator outside social care still sees by role", legacyCoordinator, lantern.ResChild, lantern.ActRead, other, true},
		{"an administrator manages users", in(csc, lantern.RoleAdmin), lantern.ResUser, lantern.ActChange, area, true},
		{"a manager does not", in(csc, lantern.RoleManager), lantern.ResUser, lantern.ActChange, area, false},
		{"figures: an analyst", in(police, lantern.RoleAnalyst), lantern.ResFigures, lantern.ActRead, area, true},
		{"figures: not a practitioner", in(school, lantern.RolePractitioner), lantern.ResFigures, lantern.ActRead, area, false},
		{"one's own account", in(school, lantern.RolePractitioner), lantern.ResAccount, lantern.ActChange, own, true},
		{"a rule that is not there", in(csc, lantern.RoleSocialWorker), lantern.ResAudit, lantern.ActMerge, area, false},
	} {
		if got := lantern.Allowed(c.u, c.res, c.act, c.rel); got != c.want {
			t.Errorf("%s: Allowed(%s %s %s) = %v, want %v", c.name, c.res, c.act, c.rel, got, c.want)
		}
		err := lantern.Check(c.u, c.res, c.act, c.rel)
		if (err == nil) != c.want || (err != nil && lantern.ErrorCode(err) != lantern.EFORBIDDEN) {
			t.Errorf("%s: Check = %v", c.name, err)
		}
	}
}

// The table is well formed: each rule has someone it lets in, a refusal in
// words, and only roles, kinds and relations that exist; and whoever may
// change a child's record may read it (the store answers "not found" before
// "forbidden").
func TestPolicyTable(t *testing.T) {
	for _, r := range lantern.Policy {
		if len(r.Grants) == 0 || r.Refusal == "" {
			t.Errorf("%s %s: no grants or no refusal", r.Resource, r.Action)
		}
		for _, g := range r.Grants {
			if len(g.Roles) == 0 || len(g.Rels) == 0 {
				t.Errorf("%s %s: a grant with no roles or relations", r.Resource, r.Action)
			}
			for _, ro := range g.Roles {
				if !ro.Valid() {
					t.Errorf("%s %s: unknown role %q", r.Resource, r.Action, ro)
				}
			}
			for _, k := range g.Kinds {
				if !k.Valid() {
					t.Errorf("%s %s: unknown kind %q", r.Resource, r.Action, k)
				}
			}
		}
	}
	for _, res := range []lantern.Resource{lantern.ResChild, lantern.ResConcern, lantern.ResAssessment, lantern.ResEvent, lantern.ResEpisode, lantern.ResMeeting, lantern.ResContextMeeting} {
		for _, act := range []lantern.Action{lantern.ActCreate, lantern.ActChange, lantern.ActMerge, lantern.ActRecordOutcome, lantern.ActComplete} {
			for _, role := range lantern.Roles {
				for _, k := range lantern.AgencyKinds {
					u := &lantern.User{AgencyKind: k, Roles: []lantern.Role{role}}
					for _, rel := range []lantern.Relation{lantern.RelOwn, lantern.RelInvolved, lantern.RelOther} {
						if lantern.Allowed(u, res, act, rel) && !lantern.Allowed(u, res, lantern.ActRead, rel) && !lantern.Allowed(u, lantern.ResChild, lantern.ActRead, rel) {
							t.Errorf("%s in %s may %s %s (%s) but not read it", role, k, act, res, rel)
						}
					}
				}
			}
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
	sw, aud, pr := []lantern.Role{lantern.RoleSocialWorker}, []lantern.Role{lantern.RoleAuditor}, []lantern.Role{lantern.RolePractitioner}
	csc, school := lantern.KindChildrensSocialCare, lantern.KindEducation
	for _, c := range []struct {
		name string
		lantern.AccountChange
		want bool
	}{
		{"new, case role, password by admin", lantern.AccountChange{After: pr, Kind: school, PasswordByAdmin: true}, true},
		{"new, involved-only sight, password from the link", lantern.AccountChange{After: pr, Kind: school}, false},
		{"new, sees every child, password from the link", lantern.AccountChange{After: sw, Kind: csc}, true},
		{"new coordinator, password from the link", lantern.AccountChange{After: []lantern.Role{lantern.RoleCSECoordinator}, Kind: csc}, true},
		{"new, no case role, password by admin", lantern.AccountChange{After: aud, Kind: csc, PasswordByAdmin: true}, false},
		{"case role added to an account", lantern.AccountChange{Before: aud, After: append(aud, lantern.RoleSocialWorker), Kind: csc, MFAEnrolled: true}, true},
		{"case role kept, name changed", lantern.AccountChange{Before: sw, After: sw, Kind: csc, MFAEnrolled: true}, false},
		{"case role kept, moved to another agency", lantern.AccountChange{Before: pr, After: pr, Kind: csc, AgencyChanged: true, MFAEnrolled: true}, true},
		{"no case role, moved to another agency", lantern.AccountChange{Before: aud, After: aud, Kind: school, AgencyChanged: true, MFAEnrolled: true}, false},
		{"case role taken away", lantern.AccountChange{Before: append(aud, lantern.RoleSocialWorker), After: aud, Kind: csc, MFAEnrolled: true}, false},
		{"password set by admin, second factor set up", lantern.AccountChange{Before: sw, After: sw, Kind: csc, PasswordByAdmin: true, MFAEnrolled: true}, false},
		{"password set by admin, no second factor", lantern.AccountChange{Before: sw, After: sw, Kind: csc, PasswordByAdmin: true}, true},
	} {
		if got := c.NeedsApproval(); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if !lantern.SeesEveryChild(sw, csc) || lantern.SeesEveryChild(pr, school) || lantern.SeesEveryChild(aud, csc) {
		t.Error("SeesEveryChild: children's social care's case roles do; a school's practitioner and an auditor do not")
	}
}

// docs/access.md holds the table as the code has it.
func TestPolicyDoc(t *testing.T) {
	const start, end = "<!-- policy table: generated from policy.go by TestPolicyDoc (LANTERN_UPDATE_DOCS=1 go test . rewrites it) -->\n", "<!-- end of policy table -->"
	b, err := os.ReadFile("docs/access.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, start), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatal("docs/access.md lacks the markers of the policy table")
	}
	want := doc[:i+len(start)] + lantern.PolicyMarkdown() + doc[j:]
	if want == doc {
		return
	}
	if os.Getenv("LANTERN_UPDATE_DOCS") == "1" {
		if err := os.WriteFile("docs/access.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Error("docs/access.md's policy table is not the code's: run LANTERN_UPDATE_DOCS=1 go test -run TestPolicyDoc .")
}
