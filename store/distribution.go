package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"lantern"
)

// share is one send of a child's information, to be recorded.
type share struct {
	child, meeting, what, assessment string
	to                               lantern.Invitee
	purpose                          string
	at                               time.Time
	sent                             bool
}

// share records a send of a child's information. A recipient from the
// directory is sent a link, so their agency becomes involved with the
// child: its people can then open what was shared.
func (s *Store) share(ctx context.Context, tx *tx, sh share) error {
	_, err := s.shareID(ctx, tx, sh)
	return err
}

func (s *Store) shareID(ctx context.Context, tx *tx, sh share) (string, error) {
	u := lantern.UserFromContext(ctx)
	id := newID()
	var sent any
	if sh.sent {
		sent = s.d.ts(sh.at)
	}
	agency := ""
	if sh.to.ContactID != "" {
		if err := tx.QueryRowContext(ctx, `SELECT agency_id FROM directory_contacts WHERE id = $1`, sh.to.ContactID).Scan(&agency); err != nil {
			return "", internal("share agency", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO information_shares (id, child_id, meeting_id, what, assessment_id, recipient_name, recipient_email,
		recipient_agency, recipient_role, purpose, shared_at, shared_by, sent_at, recipient_agency_id, outcome, basis, special_condition, consent, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		id, sh.child, sh.meeting, sh.what, sh.assessment, sh.to.Name, sh.to.Email, sh.to.Agency, sh.to.Role, sh.purpose, s.d.ts(sh.at), u.ID, sent, agency,
		string(lantern.ShareShared), string(lantern.BasisPublicTask), string(lantern.ConditionSafeguardingChildren), string(lantern.ConsentNotSought),
		lantern.SystemShareReason); err != nil {
		return "", internal("record share", err)
	}
	if err := s.involve(ctx, tx, sh.child, agency, lantern.SourceShare, id, "", sh.at); err != nil {
		return "", err
	}
	tx.audit(auditEntry{Action: "share.create", Entity: "share", EntityID: id, ChildID: sh.child, Detail: "what=" + sh.what + " meeting=" + sh.meeting})
	return id, nil
}

// Distribute records the sends the pathway requires after a meeting is
// held (lantern.PlanDistribution): each an information-sharing event. The
// emails (links only, one a recipient) are the caller's to send, and their
// fate is recorded with SharesSent.
func (s *Store) Distribute(ctx context.Context, id string, version int) (*lantern.Meeting, []lantern.Distribution, error) {
	now := s.now()
	var out *lantern.Meeting
	var ds []lantern.Distribution
	err := s.write(ctx, func(tx *tx) error {
		m, err := s.meetingForChange(ctx, tx, id, version)
		if err != nil {
			return err
		}
		latest := map[string]string{}
		var byRole map[lantern.PathwayRole][]*lantern.Contact
		if m.Kind == lantern.MeetingCSEStrategy {
			// Each child's latest toolkit; a child with none is left out.
			for _, child := range m.ChildIDs {
				var aid string
				err := tx.QueryRowContext(ctx, `SELECT id FROM assessments WHERE child_id = $1 ORDER BY assessed_on DESC, created_at DESC, id DESC LIMIT 1`, child).Scan(&aid)
				if err == nil {
					latest[child] = aid
				} else if !errors.Is(err, sql.ErrNoRows) {
					return internal("latest toolkit", err)
				}
			}
			if byRole, err = s.ContactsWithRoles(ctx, lantern.PathwayCSECoordinator, lantern.PathwayIROManager); err != nil {
				return err
			}
		}
		shares, err := lantern.PlanDistribution(m, latest, byRole[lantern.PathwayCSECoordinator], byRole[lantern.PathwayIROManager])
		if err != nil {
			return err
		}
		ids := make([]string, len(shares))
		for i, sh := range shares {
			if ids[i], err = s.shareID(ctx, tx, share{child: sh.ChildID, meeting: id, what: sh.What, assessment: sh.AssessmentID, to: sh.To,
				purpose: sh.Purpose, at: now}); err != nil {
				return err
			}
		}
		ds = lantern.GroupDistribution(shares, ids)
		if err := s.bump(ctx, tx, id, version, false, ""); err != nil {
			return err
		}
		s.auditMeeting(tx, m, "meeting.distribute", "recipients="+itoa(len(ds)))
		out, err = s.meeting(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return out, ds, nil
}

// SharesSent records that a distribution's email was sent, or why not.
func (s *Store) SharesSent(ctx context.Context, ids []string, sendErr error) error {
	now := s.now()
	return s.write(ctx, func(tx *tx) error {
		for _, id := range ids {
			var child string
			var err error
			if sendErr != nil {
				err = tx.QueryRowContext(ctx, `UPDATE information_shares SET send_error = $1 WHERE id = $2 RETURNING child_id`, failureText(sendErr), id).Scan(&child)
			} else {
				err = tx.QueryRowContext(ctx, `UPDATE information_shares SET sent_at = $1, send_error = '' WHERE id = $2 RETURNING child_id`, s.d.ts(now), id).Scan(&child)
			}
			if err != nil {
				return internal("share sent", err)
			}
			detail := "sent"
			if sendErr != nil {
				detail = "not sent"
			}
			tx.audit(auditEntry{Action: "share.sent", Entity: "information_share", EntityID: id, ChildID: child, Detail: detail})
		}
		return nil
	})
}

// MeetingShares lists what was shared from a meeting, for a caller who may
// see the meeting; the read is audited per child.
func (s *Store) MeetingShares(ctx context.Context, id string) ([]lantern.InformationShare, error) {
	childIDs, err := s.meetingChildren(ctx, s.db, id) // the access rule only: the meeting itself is not wanted
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, child_id, meeting_id, what, assessment_id, recipient_name, recipient_email, recipient_agency,
		recipient_role, purpose, shared_at, shared_by, sent_at, send_error FROM information_shares WHERE meeting_id = $1 ORDER BY shared_at, recipient_email, child_id, what`, id)
	if err != nil {
		return nil, internal("shares", err)
	}
	defer rows.Close()
	out := []lantern.InformationShare{}
	for rows.Next() {
		var sh lantern.InformationShare
		if err := rows.Scan(&sh.ID, &sh.ChildID, &sh.MeetingID, &sh.What, &sh.AssessmentID, &sh.RecipientName, &sh.RecipientEmail, &sh.RecipientAgency,
			&sh.RecipientRole, &sh.Purpose, timeScan{&sh.SharedAt}, &sh.SharedBy, ntimeScan{&sh.SentAt}, &sh.SendError); err != nil {
			return nil, internal("shares", err)
		}
		out = append(out, sh)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("shares", err)
	}
	return out, s.auditedChildren(ctx, auditEntry{Action: "meeting.shares.read", Entity: "meeting", EntityID: id}, childIDs)
}
