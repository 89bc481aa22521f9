package store

import (
	"context"
	"fmt"
	"strings"

	"lantern"
)

// childVisible is the one place the access rule (lantern.ChildScopeFor)
// becomes SQL. It returns a condition on the children table aliased c, and
// false when the caller may see no child at all. Every query that reads a
// child goes through it.
func childVisible(ctx context.Context, args *[]any) (string, bool) {
	return childIDVisible(ctx, args, "c.id")
}

// childIDVisible is the rule as a condition on a child's id, idExpr (such
// as t.child_id), for a query that needs nothing else of the child.
func childIDVisible(ctx context.Context, args *[]any, idExpr string) (string, bool) {
	sc := lantern.ChildScopeFor(lantern.UserFromContext(ctx))
	switch {
	case sc.None:
		return "", false
	case sc.All:
		return "1 = 1", true
	default:
		*args = append(*args, sc.AgencyID)
		return fmt.Sprintf("EXISTS (SELECT 1 FROM child_agencies ca WHERE ca.child_id = %s AND ca.agency_id = $%d)", idExpr, len(*args)), true
	}
}

// meetingVisible is the rule for a meeting, whose id is idExpr (such as
// m.id): the caller may see a meeting only if they may see every child on it.
func meetingVisible(ctx context.Context, args *[]any, idExpr string) (string, bool) {
	cond, ok := childIDVisible(ctx, args, "vmc.child_id")
	if !ok {
		return "", false
	}
	return "NOT EXISTS (SELECT 1 FROM meeting_children vmc WHERE vmc.meeting_id = " + idExpr + " AND NOT (" + cond + "))", true
}

// mustAdminister allows administrators, and the operator at the command line.
func mustAdminister(ctx context.Context) error {
	if lantern.IsSystem(ctx) || lantern.CanAdminister(lantern.UserFromContext(ctx)) {
		return nil
	}
	return lantern.Errorf(lantern.EFORBIDDEN, "Only administrators can manage users and agencies")
}

// editorRoles is the access rule's editing roles as an SQL list of
// parameters appended to args: "($2, $3, ...)".
func editorRoles(args *[]any) string {
	var ph []string
	for _, r := range lantern.EditRoles() {
		*args = append(*args, string(r))
		ph = append(ph, fmt.Sprintf("$%d", len(*args)))
	}
	return "(" + strings.Join(ph, ", ") + ")"
}
