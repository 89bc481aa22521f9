package store

import (
	"context"
	"fmt"
	"strings"

	"lantern"
)

// The policy's read rules (lantern.Policy) become SQL here, and only here;
// every other action is checked with lantern.Check before it is taken.

// seesAll is the read rule's condition for those who see every child.
const seesAll = "1 = 1"

// childVisible is the read rule for children as a condition on the
// children table aliased c, and false when the caller may see no child at
// all. Every query that reads a child goes through it.
func (s *Store) childVisible(ctx context.Context, args *[]any) (string, bool) {
	return s.childIDVisible(ctx, args, "c.id")
}

// childIDVisible is the rule as a condition on a child's id, idExpr (such
// as t.child_id), for a query that needs nothing else of the child: every
// child for those who may read another agency's, the children their agency
// is involved with (a live involvement) for those who may read those.
func (s *Store) childIDVisible(ctx context.Context, args *[]any, idExpr string) (string, bool) {
	u := lantern.UserFromContext(ctx)
	cond, ok := s.childIDVisibleUnsealed(ctx, args, idExpr)
	if !ok && !lantern.MayBreakGlass(u) {
		return "", false
	}
	// A sealed record is seen through access its seal gave: a place on its
	// allow-list, or the glass broken and the time not run out; that
	// access is the whole of it, whatever the policy would say.
	access := s.sealAccessFor(ctx, args, idExpr)
	if !ok {
		return access, true
	}
	return "((" + cond + " AND NOT EXISTS (SELECT 1 FROM child_seals vs WHERE vs.child_id = " + idExpr + ")) OR " + access + ")", true
}

// sealAccessFor is the condition that the caller holds access to the child
// idExpr that a seal gave, still running (ended when the seal is lifted).
func (s *Store) sealAccessFor(ctx context.Context, args *[]any, idExpr string) string {
	u := lantern.UserFromContext(ctx)
	*args = append(*args, u.ID, s.d.ts(s.now()))
	return fmt.Sprintf(`EXISTS (SELECT 1 FROM seal_access va WHERE va.child_id = %s AND va.user_id = $%d AND va.ended_at IS NULL
		AND (va.expires_at IS NULL OR va.expires_at > $%d))`, idExpr, len(*args)-1, len(*args))
}

// childIDVisibleUnsealed is the read rule before seals: whom the record
// would be visible to were it not sealed. Only breaking the glass, which
// asks whether the caller could otherwise see the child, reads it.
func (s *Store) childIDVisibleUnsealed(ctx context.Context, args *[]any, idExpr string) (string, bool) {
	u := lantern.UserFromContext(ctx)
	switch {
	case lantern.Allowed(u, lantern.ResChild, lantern.ActRead, lantern.RelOther):
		return seesAll, true
	case lantern.Allowed(u, lantern.ResChild, lantern.ActRead, lantern.RelInvolved):
		*args = append(*args, u.AgencyID)
		return fmt.Sprintf("EXISTS (SELECT 1 FROM involvements vi WHERE vi.child_id = %s AND vi.agency_id = $%d AND vi.ended_at IS NULL)", idExpr, len(*args)), true
	}
	return "", false
}

// unsealedFor is the condition that the child idExpr is not sealed, or the
// caller holds access its seal gave: for reads that do not go through the
// read rule (an information request, read by the agency asked), which a
// seal still closes (docs/information-governance.md#sealed-records).
func (s *Store) unsealedFor(ctx context.Context, args *[]any, idExpr string) string {
	return "(NOT EXISTS (SELECT 1 FROM child_seals vs WHERE vs.child_id = " + idExpr + ") OR " + s.sealAccessFor(ctx, args, idExpr) + ")"
}

// meetingVisible is the read rule for a meeting, whose id is idExpr (such as
// m.id). A meeting about children is seen by those who may see every child
// on it; a meeting about no child by its organiser's agency, the agencies
// invited (through the directory), and those who may see another agency's.
func (s *Store) meetingVisible(ctx context.Context, args *[]any, idExpr string) (string, bool) {
	u := lantern.UserFromContext(ctx)
	var parts []string
	if cond, ok := s.childIDVisible(ctx, args, "vmc.child_id"); ok {
		parts = append(parts, "(EXISTS (SELECT 1 FROM meeting_children vmc0 WHERE vmc0.meeting_id = "+idExpr+
			") AND NOT EXISTS (SELECT 1 FROM meeting_children vmc WHERE vmc.meeting_id = "+idExpr+" AND NOT ("+cond+")))")
	}
	none := "NOT EXISTS (SELECT 1 FROM meeting_children vmn WHERE vmn.meeting_id = " + idExpr + ")"
	can := func(rel lantern.Relation) bool {
		return lantern.Allowed(u, lantern.ResContextMeeting, lantern.ActRead, rel)
	}
	switch {
	case can(lantern.RelOther):
		parts = append(parts, "("+none+")")
	case can(lantern.RelOwn) || can(lantern.RelInvolved):
		var who []string
		if can(lantern.RelOwn) {
			*args = append(*args, u.AgencyID)
			who = append(who, fmt.Sprintf("EXISTS (SELECT 1 FROM meetings vm WHERE vm.id = %s AND vm.agency_id = $%d)", idExpr, len(*args)))
		}
		if can(lantern.RelInvolved) {
			*args = append(*args, u.AgencyID, false)
			who = append(who, fmt.Sprintf(`EXISTS (SELECT 1 FROM meeting_invitees vi JOIN directory_contacts vd ON vd.id = vi.contact_id
				WHERE vi.meeting_id = %s AND vd.agency_id = $%d AND vi.removed = $%d)`, idExpr, len(*args)-1, len(*args)))
		}
		parts = append(parts, "("+none+" AND ("+strings.Join(who, " OR ")+"))")
	}
	if len(parts) == 0 {
		return "", false
	}
	return "(" + strings.Join(parts, " OR ") + ")", true
}

// meetingRelation is the caller's relation to a meeting, and the resource
// whose rules govern it: for a meeting about children the weakest of the
// caller's relations to them (involved only if their agency is involved with
// every one); for a meeting about no child, own for the organiser's agency,
// involved for an agency invited through the directory.
func (s *Store) meetingRelation(ctx context.Context, q querier, m *lantern.Meeting) (lantern.Resource, lantern.Relation, error) {
	u := lantern.UserFromContext(ctx)
	if u == nil {
		return lantern.ResMeeting, lantern.RelOther, nil
	}
	if len(m.ChildIDs) > 0 {
		args := []any{m.ID, u.AgencyID}
		var outside int
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM meeting_children mc WHERE mc.meeting_id = $1 AND NOT EXISTS
			(SELECT 1 FROM involvements i WHERE i.child_id = mc.child_id AND i.agency_id = $2 AND i.ended_at IS NULL)`, args...).Scan(&outside)
		if err != nil {
			return "", 0, internal("meeting relation", err)
		}
		if outside > 0 {
			return lantern.ResMeeting, lantern.RelOther, nil
		}
		return lantern.ResMeeting, lantern.RelInvolved, nil
	}
	if m.AgencyID == u.AgencyID {
		return lantern.ResContextMeeting, lantern.RelOwn, nil
	}
	var invited int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM meeting_invitees i JOIN directory_contacts d ON d.id = i.contact_id
		WHERE i.meeting_id = $1 AND d.agency_id = $2 AND i.removed = $3`, m.ID, u.AgencyID, false).Scan(&invited)
	if err != nil {
		return "", 0, internal("meeting relation", err)
	}
	if invited > 0 {
		return lantern.ResContextMeeting, lantern.RelInvolved, nil
	}
	return lantern.ResContextMeeting, lantern.RelOther, nil
}

// mayMeeting checks the caller may take act on a meeting they can see.
func (s *Store) mayMeeting(ctx context.Context, q querier, m *lantern.Meeting, act lantern.Action) error {
	res, rel, err := s.meetingRelation(ctx, q, m)
	if err != nil {
		return err
	}
	return lantern.Check(lantern.UserFromContext(ctx), res, act, rel)
}

// mayChild checks the caller may take act on res of a child they can see
// (a child they may not see was not found before this).
func mayChild(ctx context.Context, c *lantern.Child, res lantern.Resource, act lantern.Action) error {
	u := lantern.UserFromContext(ctx)
	rel := lantern.ChildRelation(u, c.AgencyIDs)
	if c.SealAccess && rel == lantern.RelOther {
		rel = lantern.RelInvolved
	}
	return lantern.Check(u, res, act, rel)
}

// may checks the caller may take act on res where it is on no one record.
func may(ctx context.Context, res lantern.Resource, act lantern.Action) error {
	return lantern.Check(lantern.UserFromContext(ctx), res, act, lantern.RelArea)
}

// mustAdminister allows administrators, and the operator at the command line.
func mustAdminister(ctx context.Context) error {
	if lantern.IsSystem(ctx) {
		return nil
	}
	return may(ctx, lantern.ResUser, lantern.ActChange)
}

// editorRoles is the policy's editing roles as an SQL list of parameters
// appended to args: "($2, $3, ...)".
func editorRoles(args *[]any) string {
	var ph []string
	for _, r := range lantern.EditRoles() {
		*args = append(*args, string(r))
		ph = append(ph, fmt.Sprintf("$%d", len(*args)))
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// AuthorizeChild checks, before a change is read from a request, that the
// caller may take act on res of a child: not found if they may not see the
// child, forbidden if they see it but may not. It shows nothing of the
// record, so it is not audited; the change, when made, is.
func (s *Store) AuthorizeChild(ctx context.Context, id string, res lantern.Resource, act lantern.Action) error {
	if res == lantern.ResBreakGlass {
		// On a record the caller may not see, by design: its own rule.
		return s.authorizeBreakGlass(ctx, id)
	}
	c, err := s.findChild(ctx, s.db, id, false)
	if err != nil {
		return err
	}
	return mayChild(ctx, c, res, act)
}

// meetingHead reads what deciding access to a meeting needs: its children,
// organiser's agency and actions' owners, for a caller who may see it.
func (s *Store) meetingHead(ctx context.Context, q querier, id string) (*lantern.Meeting, error) {
	childIDs, err := s.meetingChildren(ctx, q, id)
	if err != nil {
		return nil, err
	}
	m := &lantern.Meeting{ID: id, ChildIDs: childIDs}
	if err := q.QueryRowContext(ctx, `SELECT agency_id FROM meetings WHERE id = $1`, id).Scan(&m.AgencyID); err != nil {
		return nil, internal("meeting", err)
	}
	return m, nil
}

// AuthorizeMeeting is AuthorizeChild for a meeting. An action's owner may
// mark it done (actionID, when act is ActComplete), whatever else they may.
func (s *Store) AuthorizeMeeting(ctx context.Context, id string, act lantern.Action, actionID string) error {
	m, err := s.meetingHead(ctx, s.db, id)
	if err != nil {
		return err
	}
	if act == lantern.ActComplete && actionID != "" {
		u := lantern.UserFromContext(ctx)
		var owner string
		err := s.db.QueryRowContext(ctx, `SELECT owner_id FROM meeting_actions WHERE id = $1 AND meeting_id = $2`, actionID, id).Scan(&owner)
		if err == nil && u != nil && owner == u.ID && lantern.Allowed(u, lantern.ResMeetingAction, lantern.ActComplete, lantern.RelOwn) {
			return nil
		}
	}
	return s.mayMeeting(ctx, s.db, m, act)
}

// AuthorizeTask is AuthorizeChild for a task: not found (as a task) when
// its child may not be seen; the team that holds it is the caller's own
// when it is their agency.
func (s *Store) AuthorizeTask(ctx context.Context, id string, act lantern.Action) error {
	var t lantern.Task
	err := s.db.QueryRowContext(ctx, `SELECT child_id, COALESCE(team_agency_id, ''), COALESCE(assignee_id, '') FROM tasks WHERE id = $1`, id).
		Scan(&t.ChildID, &t.TeamAgencyID, &t.AssigneeID)
	if err != nil {
		return lantern.NotFound("Task")
	}
	if _, err := s.findChild(ctx, s.db, t.ChildID, false); err != nil {
		return lantern.NotFound("Task")
	}
	u := lantern.UserFromContext(ctx)
	rel := lantern.RelOther
	switch {
	case act == lantern.ActComplete:
		rel = t.Relation(u) // its owner completes it too
	case u != nil && u.AgencyID == t.TeamAgencyID:
		rel = lantern.RelOwn
	}
	return lantern.Check(u, lantern.ResTask, act, rel)
}

// MeetingAccess is the caller's relation to a meeting and the resource
// whose rules govern it, for a page to offer only what they may do.
func (s *Store) MeetingAccess(ctx context.Context, m *lantern.Meeting) (lantern.Resource, lantern.Relation, error) {
	return s.meetingRelation(ctx, s.db, m)
}
