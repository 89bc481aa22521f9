package store

import (
	"context"

	"lantern"
)

// Meetings lists the meetings the caller may see: those every child of
// which they may see. The read is audited for each child named.
func (s *Store) Meetings(ctx context.Context, f lantern.MeetingFilter) ([]*lantern.MeetingSummary, error) {
	args := []any{}
	visible, ok := s.meetingVisible(ctx, &args, "m.id")
	if !ok {
		return nil, lantern.NotFound("Meeting")
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	q := `SELECT m.id, m.kind, m.status, m.starts_at, m.ends_at, m.location FROM meetings m
		WHERE ` + visible
	if f.ChildID != "" {
		args = append(args, f.ChildID)
		q += ` AND EXISTS (SELECT 1 FROM meeting_children mc2 WHERE mc2.meeting_id = m.id AND mc2.child_id = $` + itoa(len(args)) + `)`
	}
	if !f.From.IsZero() {
		args = append(args, s.d.ts(f.From))
		q += ` AND m.starts_at >= $` + itoa(len(args))
	}
	if !f.Before.IsZero() {
		args = append(args, s.d.ts(f.Before))
		q += ` AND m.starts_at < $` + itoa(len(args))
	}
	order := ` ORDER BY m.starts_at, m.id`
	if f.Newest {
		order = ` ORDER BY m.starts_at DESC, m.id DESC`
	}
	args = append(args, f.Limit)
	rows, err := s.db.QueryContext(ctx, q+order+` LIMIT $`+itoa(len(args)), args...)
	if err != nil {
		return nil, internal("meetings", err)
	}
	var out []*lantern.MeetingSummary
	byID := map[string]*lantern.MeetingSummary{}
	for rows.Next() {
		m := &lantern.MeetingSummary{Children: []lantern.MeetingChild{}}
		if err := rows.Scan(&m.ID, &m.Kind, &m.Status, timeScan{&m.StartsAt}, timeScan{&m.EndsAt}, &m.Location); err != nil {
			rows.Close()
			return nil, internal("meetings", err)
		}
		out = append(out, m)
		byID[m.ID] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("meetings", err)
	}
	var children []string
	if len(out) > 0 {
		cargs := []any{}
		ph := ""
		for i, m := range out {
			cargs = append(cargs, m.ID)
			if i > 0 {
				ph += ","
			}
			ph += "$" + itoa(len(cargs))
		}
		crows, err := s.db.QueryContext(ctx, `SELECT mc.meeting_id, c.id, c.given_name || ' ' || c.family_name FROM meeting_children mc
			JOIN children c ON c.id = mc.child_id WHERE mc.meeting_id IN (`+ph+`) ORDER BY c.family_name, c.given_name, c.id`, cargs...)
		if err != nil {
			return nil, internal("meeting children", err)
		}
		defer crows.Close()
		seen := map[string]bool{}
		for crows.Next() {
			var mid string
			var c lantern.MeetingChild
			if err := crows.Scan(&mid, &c.ID, &c.Name); err != nil {
				return nil, internal("meeting children", err)
			}
			byID[mid].Children = append(byID[mid].Children, c)
			if !seen[c.ID] {
				seen[c.ID] = true
				children = append(children, c.ID)
			}
		}
		if err := crows.Err(); err != nil {
			return nil, internal("meeting children", err)
		}
	}
	return out, s.auditedChildren(ctx, auditEntry{Action: "meeting.list", Entity: "meeting"}, children)
}

// ActionOwners lists the people who may change children's records, by agency and
// name, to choose an action's owner from. Anyone who works with children
// may see it: names and agencies, no case records.
func (s *Store) ActionOwners(ctx context.Context) ([]lantern.Owner, error) {
	if may(ctx, lantern.ResMeeting, lantern.ActList) != nil {
		return nil, nil
	}
	var args []any
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT u.id, u.name, a.name FROM users u JOIN agencies a ON a.id = u.agency_id
		JOIN user_roles r ON r.user_id = u.id
		WHERE r.role IN `+editorRoles(&args)+` AND NOT u.disabled ORDER BY a.name, u.name, u.id`, args...)
	if err != nil {
		return nil, internal("owners", err)
	}
	defer rows.Close()
	var out []lantern.Owner
	for rows.Next() {
		var o lantern.Owner
		if err := rows.Scan(&o.ID, &o.Name, &o.Agency); err != nil {
			return nil, internal("owners", err)
		}
		out = append(out, o)
	}
	return out, internal("owners", rows.Err())
}
