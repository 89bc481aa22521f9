package store

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"lantern"
)

// resolveInvitees checks invitees, filling directory entries in from the
// directory, and drops repeats of one address.
func (s *Store) resolveInvitees(ctx context.Context, q querier, in []lantern.InviteeInput) ([]lantern.Invitee, error) {
	var p lantern.Problems
	if len(in) > 200 {
		p.Add("invitees", "A meeting has 200 invitees at most")
		return nil, p.Err()
	}
	out := []lantern.Invitee{}
	seen := map[string]bool{}
	for i, v := range in {
		f := "invitees[" + itoa(i) + "]"
		var inv lantern.Invitee
		if v.ContactID != "" {
			c, err := s.contact(ctx, q, v.ContactID)
			if err != nil || !c.Active {
				p.Add(f+".contact_id", "Choose someone in the directory")
				continue
			}
			inv = lantern.Invitee{ContactID: c.ID, Name: c.Name, Email: c.Email, Agency: c.AgencyName, AgencyID: c.AgencyID, Role: v.Role}
			if inv.Role == "" && len(c.Roles) > 0 {
				inv.Role = string(c.Roles[0])
			}
		} else {
			inv = lantern.Invitee{Name: strings.TrimSpace(v.Name), Email: lantern.NormaliseEmail(v.Email), Agency: strings.TrimSpace(v.Agency), Role: strings.TrimSpace(v.Role)}
			if inv.Name == "" {
				p.Add(f+".name", "Enter the invitee's name")
			} else if utf8.RuneCountInString(inv.Name) > 200 {
				p.Add(f+".name", "The name must be 200 characters or fewer")
			}
			if inv.Email == "" {
				p.Add(f+".email", "Enter the invitee's email address")
			} else if !lantern.ValidAddress(inv.Email) {
				p.Add(f+".email", "Enter an email address in the correct format, like name@example.org")
			}
			if utf8.RuneCountInString(inv.Agency) > 200 || utf8.RuneCountInString(inv.Role) > 200 {
				p.Add(f+".agency", "The agency and role must be 200 characters or fewer")
			}
		}
		if seen[inv.Email] {
			continue
		}
		seen[inv.Email] = true
		inv.SentSequence = -1
		out = append(out, inv)
	}
	return out, p.Err()
}

func insertInvitees(ctx context.Context, tx *tx, meetingID string, invs []lantern.Invitee) error {
	for i := range invs {
		invs[i].ID = newID()
		v := invs[i]
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_invitees (id, meeting_id, contact_id, name, email, agency, role, sent_sequence)
			VALUES ($1, $2, $3, $4, $5, $6, $7, -1)`, v.ID, meetingID, v.ContactID, v.Name, v.Email, v.Agency, v.Role); err != nil {
			return internal("insert invitee", err)
		}
	}
	return nil
}

// involveInvitees involves the agency of each invitee from the directory
// with each child of a meeting, by the invitation.
func (s *Store) involveInvitees(ctx context.Context, tx *tx, childIDs []string, invs []lantern.Invitee, at time.Time) error {
	for _, v := range invs {
		if v.Removed || v.AgencyID == "" {
			continue
		}
		for _, c := range childIDs {
			if err := s.involve(ctx, tx, c, v.AgencyID, lantern.SourceInvitation, v.ID, "", at); err != nil {
				return err
			}
		}
	}
	return nil
}

// meetingForChange reads a meeting to change it: the caller must see it and
// may change it, and have seen its current version.
func (s *Store) meetingForChange(ctx context.Context, tx *tx, id string, version int) (*lantern.Meeting, error) {
	m, err := s.meeting(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayMeeting(ctx, tx, m, lantern.ActChange); err != nil {
		return nil, err
	}
	if m.Version != version {
		return nil, &lantern.Error{Code: lantern.ECONFLICT, Message: "The meeting has changed since you looked: look again", Current: m}
	}
	return m, nil
}

// bump moves a meeting on a version (and the calendar sequence when asked),
// failing if someone else moved it first.
func (s *Store) bump(ctx context.Context, tx *tx, id string, version int, sequence bool, set string, args ...any) error {
	q := `UPDATE meetings SET version = version + 1`
	if sequence {
		q += `, sequence = sequence + 1`
	}
	if set != "" {
		q += `, ` + set
	}
	args = append(args, id, version)
	q += ` WHERE id = $` + itoa(len(args)-1) + ` AND version = $` + itoa(len(args))
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return internal("change meeting", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("change meeting", err)
	} else if n == 0 {
		return &lantern.Error{Code: lantern.ECONFLICT, Message: "The meeting has changed since you looked: look again"}
	}
	return nil
}

// SetInvitees replaces a scheduled meeting's invitees and records whether
// the young person and carers are invited. Someone taken off the list who
// had an invitation is sent a cancellation.
func (s *Store) SetInvitees(ctx context.Context, id string, version int, in []lantern.InviteeInput, pt lantern.Participation) (*lantern.Meeting, error) {
	var p lantern.Problems
	pt.Check(&p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *lantern.Meeting
	err := s.write(ctx, func(tx *tx) error {
		m, err := s.meetingForChange(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if m.Status != lantern.MeetingScheduled {
			return lantern.Invalid(lantern.FieldError{Field: "invitees", Message: "Only a meeting still to be held can have its invitees changed"})
		}
		invs, err := s.resolveInvitees(ctx, tx, in)
		if err != nil {
			return err
		}
		keep := map[string]bool{}
		for _, v := range invs {
			keep[v.Email] = true
		}
		var add []lantern.Invitee
		have := map[string]bool{}
		now := s.now()
		for _, old := range m.Invitees {
			have[old.Email] = true
			switch {
			case !keep[old.Email] && !old.Removed:
				if _, err := tx.ExecContext(ctx, `UPDATE meeting_invitees SET removed = $1 WHERE id = $2`, true, old.ID); err != nil {
					return internal("remove invitee", err)
				}
				// The invitation withdrawn, the involvement it gave ends.
				if err := s.endSource(ctx, tx, lantern.SourceInvitation, old.ID, "The invitation was withdrawn", now); err != nil {
					return err
				}
			case keep[old.Email] && old.Removed:
				if _, err := tx.ExecContext(ctx, `UPDATE meeting_invitees SET removed = $1 WHERE id = $2`, false, old.ID); err != nil {
					return internal("restore invitee", err)
				}
				old.Removed = false
				if err := s.involveInvitees(ctx, tx, m.ChildIDs, []lantern.Invitee{old}, now); err != nil {
					return err
				}
			}
		}
		for _, v := range invs {
			if !have[v.Email] {
				add = append(add, v)
			}
		}
		if err := insertInvitees(ctx, tx, id, add); err != nil {
			return err
		}
		if err := s.involveInvitees(ctx, tx, m.ChildIDs, add, now); err != nil {
			return err
		}
		if err := s.bump(ctx, tx, id, version, false, `young_person = $1, young_person_reason = $2, carers = $3, carers_reason = $4`,
			pt.YoungPerson, pt.YoungPersonReason, pt.Carers, pt.CarersReason); err != nil {
			return err
		}
		s.auditMeeting(tx, m, "meeting.invitees", "invitees="+itoa(len(invs)))
		out, err = s.meeting(ctx, tx, id)
		return err
	})
	return out, err
}

// auditMeeting records a change to a meeting against each of its children.
func (s *Store) auditMeeting(tx *tx, m *lantern.Meeting, action, detail string) {
	for _, c := range m.ChildIDs {
		tx.audit(auditEntry{Action: action, Entity: "meeting", EntityID: m.ID, ChildID: c, Detail: detail})
	}
	if len(m.ChildIDs) == 0 {
		tx.audit(auditEntry{Action: action, Entity: "meeting", EntityID: m.ID, Detail: detail})
	}
}

// Reschedule changes a scheduled meeting's time or place; invitees are sent
// the update.
func (s *Store) Reschedule(ctx context.Context, id string, version int, startsAt, endsAt time.Time, location string) (*lantern.Meeting, error) {
	var p lantern.Problems
	location = checkWhenWhere(&p, startsAt, endsAt, location)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *lantern.Meeting
	err := s.write(ctx, func(tx *tx) error {
		m, err := s.meetingForChange(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if m.Status != lantern.MeetingScheduled {
			return lantern.Invalid(lantern.FieldError{Field: "starts_at", Message: "Only a meeting still to be held can be moved"})
		}
		changed := !m.StartsAt.Equal(startsAt.UTC().Truncate(time.Microsecond)) || !m.EndsAt.Equal(endsAt.UTC().Truncate(time.Microsecond)) || m.Location != location
		if err := s.bump(ctx, tx, id, version, changed, `starts_at = $1, ends_at = $2, location = $3`,
			s.d.ts(startsAt), s.d.ts(endsAt), location); err != nil {
			return err
		}
		s.auditMeeting(tx, m, "meeting.reschedule", "")
		out, err = s.meeting(ctx, tx, id)
		return err
	})
	return out, err
}

// CancelMeeting cancels a scheduled meeting, with the reason; invitees are
// sent the cancellation.
func (s *Store) CancelMeeting(ctx context.Context, id string, version int, reason string) (*lantern.Meeting, error) {
	reason = strings.TrimSpace(reason)
	var p lantern.Problems
	if reason == "" {
		p.Add("reason", "Say why the meeting is cancelled")
	} else if utf8.RuneCountInString(reason) > 2000 {
		p.Add("reason", "The reason must be 2000 characters or fewer")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *lantern.Meeting
	err := s.write(ctx, func(tx *tx) error {
		m, err := s.meetingForChange(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if m.Status != lantern.MeetingScheduled {
			return lantern.Invalid(lantern.FieldError{Field: "reason", Message: "Only a meeting still to be held can be cancelled"})
		}
		if err := s.bump(ctx, tx, id, version, true, `status = 'cancelled', cancel_reason = $1`, reason); err != nil {
			return err
		}
		// A cancelled meeting's invitations are withdrawn, and the
		// involvements they gave end.
		for _, v := range m.Invitees {
			if err := s.endSource(ctx, tx, lantern.SourceInvitation, v.ID, "The meeting was cancelled", s.now()); err != nil {
				return err
			}
		}
		s.auditMeeting(tx, m, "meeting.cancel", "")
		out, err = s.meeting(ctx, tx, id)
		return err
	})
	return out, err
}

// PendingInvitations are the emails a meeting needs sent for invitees to
// hold its current time and place: new invitations and updates, and
// cancellations to those taken off the list or of a cancelled meeting.
// Nothing is sent about a meeting already held.
func (s *Store) PendingInvitations(ctx context.Context, id string) (*lantern.Meeting, []lantern.Invitation, error) {
	m, err := s.meeting(ctx, s.db, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.mayMeeting(ctx, s.db, m, lantern.ActChange); err != nil {
		return nil, nil, err
	}
	var out []lantern.Invitation
	for _, v := range m.Invitees {
		if send, cancel := NeedsEmail(m, v); send {
			out = append(out, lantern.Invitation{Invitee: v, Cancel: cancel})
		}
	}
	return m, out, nil
}

// NeedsEmail says whether an invitee is to be emailed for them to hold the
// meeting's current time and place, and whether that email is a
// cancellation. Nothing is sent about a meeting held or not held.
func NeedsEmail(m *lantern.Meeting, v lantern.Invitee) (send, cancel bool) {
	switch {
	case m.Status == lantern.MeetingScheduled && !v.Removed && v.SentSequence < m.Sequence:
		return true, false
	case m.Status == lantern.MeetingScheduled && v.Removed && v.SentSequence >= 0:
		return true, true
	case m.Status == lantern.MeetingCancelled && v.SentSequence >= 0 && v.SentSequence < m.Sequence:
		return true, true
	}
	return false, false
}

// InvitationSent records an email's fate. An invitation sent to the police
// exploitation unit about a CSE strategy meeting with a toolkit attached
// shares that toolkit with them (docs/pathway.md#the-cse-strategy-meeting).
func (s *Store) InvitationSent(ctx context.Context, m *lantern.Meeting, inv lantern.Invitation, sendErr error) error {
	now := s.now()
	return s.write(ctx, func(tx *tx) error {
		if sendErr != nil {
			_, err := tx.ExecContext(ctx, `UPDATE meeting_invitees SET send_error = $1 WHERE id = $2`, failureText(sendErr), inv.Invitee.ID)
			return internal("invitation failed", err)
		}
		seq := m.Sequence
		if inv.Cancel && inv.Invitee.Removed {
			seq = -1 // they hold nothing of this meeting now
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meeting_invitees SET sent_sequence = $1, sent_at = $2, send_error = '' WHERE id = $3`,
			seq, s.d.ts(now), inv.Invitee.ID); err != nil {
			return internal("invitation sent", err)
		}
		detail := "invitee=" + inv.Invitee.ID + " sequence=" + itoa(m.Sequence)
		if inv.Cancel {
			detail += " cancel"
		}
		tx.audit(auditEntry{Action: "meeting.invitation", Entity: "meeting", EntityID: m.ID, Detail: detail})
		if inv.Cancel || m.Kind != lantern.MeetingCSEStrategy || m.AssessmentID == "" || inv.Invitee.Role != string(lantern.PathwayPoliceUnit) {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM information_shares WHERE meeting_id = $1 AND what = 'toolkit' AND recipient_email = $2`,
			m.ID, inv.Invitee.Email).Scan(&n); err != nil {
			return internal("toolkit share", err)
		}
		if n > 0 {
			return nil
		}
		var child string
		if err := tx.QueryRowContext(ctx, `SELECT child_id FROM assessments WHERE id = $1`, m.AssessmentID).Scan(&child); err != nil {
			return internal("toolkit share", err)
		}
		return s.share(ctx, tx, share{child: child, meeting: m.ID, what: "toolkit", assessment: m.AssessmentID, to: inv.Invitee,
			purpose: lantern.PurposePoliceToolkit, at: now, sent: true})
	})
}

// failureText is what is kept of a send's failure: the kind, never the
// server's words (which can quote the address).
func failureText(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, ':'); i > 0 && len(s) > 120 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// finishNextMeetingTasks ends a child's "arrange the next meeting" tasks
// set by meetings of this kind.
func (s *Store) finishNextMeetingTasks(ctx context.Context, tx *tx, childID string, kind lantern.MeetingKind, at time.Time) error {
	return s.finishQueried(ctx, tx, childID, lantern.ClockNextMeeting, at, `SELECT t.id FROM tasks t JOIN meetings m ON m.id = t.source_id
		WHERE t.child_id = $1 AND t.clock = $2 AND t.status = 'open' AND m.kind = $3`, childID, lantern.ClockNextMeeting, kind)
}

// CompleteAction marks a meeting's action done: its owner may, or anyone
// who can change the meeting.
func (s *Store) CompleteAction(ctx context.Context, meetingID, actionID string) (*lantern.Meeting, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	var out *lantern.Meeting
	err := s.write(ctx, func(tx *tx) error {
		m, err := s.meeting(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		var a *lantern.MeetingAction
		for i := range m.Actions {
			if m.Actions[i].ID == actionID {
				a = &m.Actions[i]
			}
		}
		if a == nil {
			return lantern.NotFound("Action")
		}
		if a.Owner != u.ID || !lantern.Allowed(u, lantern.ResMeetingAction, lantern.ActComplete, lantern.RelOwn) {
			if err := s.mayMeeting(ctx, tx, m, lantern.ActComplete); err != nil {
				return err
			}
		}
		if a.Status != lantern.TaskOpen {
			return lantern.Invalid(lantern.FieldError{Field: "status", Message: "The action is already complete"})
		}
		if a.TaskID != "" && len(m.ChildIDs) > 0 { // the task is about the meeting's first child
			if err := s.finishQueried(ctx, tx, m.ChildIDs[0], lantern.ClockMeetingAction, now,
				`SELECT id FROM tasks WHERE id = $1 AND status = 'open'`, a.TaskID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meeting_actions SET status = 'done', done_at = $1 WHERE id = $2`, s.d.ts(now), actionID); err != nil {
			return internal("complete action", err)
		}
		if err := s.bump(ctx, tx, meetingID, m.Version, false, ""); err != nil {
			return err
		}
		s.auditMeeting(tx, m, "meeting.action.done", "action="+actionID)
		out, err = s.meeting(ctx, tx, meetingID)
		return err
	})
	return out, err
}

// SuggestedInvitees are whom a kind of meeting about these children
// usually invites: the directory's entries for the kind's pathway roles
// (the police exploitation unit to a CSE strategy meeting), and each
// child's allocated social worker.
func (s *Store) SuggestedInvitees(ctx context.Context, kind lantern.MeetingKind, childIDs []string) ([]lantern.Invitee, error) {
	out := []lantern.Invitee{}
	seen := map[string]bool{}
	roles := lantern.SuggestedRoles(kind)
	byRole, err := s.ContactsWithRoles(ctx, roles...)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		for _, c := range byRole[r] {
			if !seen[c.Email] {
				seen[c.Email] = true
				out = append(out, lantern.Invitee{ContactID: c.ID, Name: c.Name, Email: c.Email, Agency: c.AgencyName, Role: string(r), SentSequence: -1})
			}
		}
	}
	if len(childIDs) == 0 {
		return out, nil
	}
	// Each child's allocated social worker, in one query under the access
	// rule: a child the caller may not see makes the whole answer not found.
	args := []any{}
	cond, ok := s.childVisible(ctx, &args)
	if !ok {
		return nil, lantern.NotFound("Child")
	}
	ids := slices.Compact(slices.Sorted(slices.Values(childIDs)))
	in := inList(&args, ids)
	type worker struct {
		child string
		inv   lantern.Invitee
	}
	ws, err := collect(ctx, s.db, "allocated social workers", `SELECT c.id, COALESCE(u.name, ''), COALESCE(u.email, ''), COALESCE(a.name, '')
		FROM children c LEFT JOIN users u ON u.id = c.allocated_social_worker_id AND NOT u.disabled LEFT JOIN agencies a ON a.id = u.agency_id
		WHERE c.id IN (`+in+`) AND `+cond+` ORDER BY c.id`, func(r scanner) (worker, error) {
		var w worker
		err := r.Scan(&w.child, &w.inv.Name, &w.inv.Email, &w.inv.Agency)
		return w, err
	}, args...)
	if err != nil {
		return nil, err
	}
	if len(ws) != len(ids) {
		return nil, lantern.NotFound("Child")
	}
	for _, w := range ws {
		if w.inv.Email != "" && !seen[w.inv.Email] {
			seen[w.inv.Email] = true
			w.inv.Role, w.inv.SentSequence = "allocated social worker", -1
			out = append(out, w.inv)
		}
	}
	// Who works with each child is part of their record.
	if err := s.auditedChildren(ctx, auditEntry{Action: "meeting.suggestions", Entity: "meeting", Detail: "kind=" + string(kind)}, ids); err != nil {
		return nil, err
	}
	return out, nil
}
