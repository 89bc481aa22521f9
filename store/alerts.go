package store

import (
	"context"
	"fmt"
	"time"

	"lantern"
)

// AlertDays is how far back a person's alerts are shown.
const AlertDays = 14

// Alerts lists the caller's alerts of the last AlertDays, newest first, at
// most 50: their own, their agency's, and the front door's for those who
// work it; an alert about a child they may not see is left out.
func (s *Store) Alerts(ctx context.Context) ([]*lantern.Alert, error) {
	u := lantern.UserFromContext(ctx)
	if u == nil {
		return nil, lantern.Errorf(lantern.EUNAUTHORIZED, "Sign in")
	}
	args := []any{s.d.ts(s.now().AddDate(0, 0, -AlertDays)), u.ID, u.AgencyID}
	who := `(l.user_id = $2 OR l.agency_id = $3`
	if lantern.Allowed(u, lantern.ResFrontDoor, lantern.ActList, lantern.RelArea) {
		who += ` OR l.front_door = $4`
		args = append(args, true)
	}
	who += `)`
	visible, ok := s.childIDVisible(ctx, &args, "l.child_id")
	if !ok {
		visible = "1 = 0"
	}
	// An agency asked what it holds is alerted whether or not it sees the
	// child's record, and so without the child's name: the request itself
	// shows who the child is (docs/frontdoor.md).
	out, err := collect(ctx, s.db, "alerts", fmt.Sprintf(`SELECT l.id, l.kind, COALESCE(l.child_id, ''), COALESCE(l.referral_id, ''), l.created_at,
		CASE WHEN l.agency_id IS NULL THEN COALESCE(ac.given_name || ' ' || ac.family_name, '') ELSE '' END
		FROM alerts l LEFT JOIN children ac ON ac.id = l.child_id
		WHERE l.created_at > $1 AND %s AND (l.child_id IS NULL OR l.agency_id = $3 OR %s) ORDER BY l.created_at DESC, l.id LIMIT 50`, who, visible),
		func(r scanner) (*lantern.Alert, error) {
			var a lantern.Alert
			err := r.Scan(&a.ID, &a.Kind, &a.ChildID, &a.ReferralID, timeScan{&a.CreatedAt}, &a.ChildName)
			a.Link = alertLink(&a)
			return &a, err
		}, args...)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(out))
	for _, a := range out {
		if a.ChildID != "" && a.ChildName != "" {
			ids = append(ids, a.ChildID)
		}
	}
	if len(ids) > 0 {
		if err := s.auditedChildren(ctx, auditEntry{Action: "alert.list", Entity: "alert"}, ids); err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = []*lantern.Alert{}
	}
	return out, nil
}

// alertLink is the page where an alert is acted on.
func alertLink(a *lantern.Alert) string {
	switch {
	case a.Kind == lantern.AlertInfoRequest || a.Kind == lantern.AlertInfoChase:
		return "/requests"
	case a.Kind == lantern.AlertImmediateRisk:
		return "/front-door"
	case a.Kind == lantern.AlertBreakGlass:
		return "/break-glass"
	case a.ReferralID != "" && a.ChildID != "":
		return "/children/" + a.ChildID + "/referrals/" + a.ReferralID
	case a.ChildID != "":
		return "/children/" + a.ChildID
	}
	return "/"
}

// AlertClaim is how long a replica holds an alert's email while sending
// it: past it, another may send it.
const AlertClaim = 2 * time.Minute

// MaxAlertAttempts is how many times an email is tried before it is left
// as failed (and shown so on the front door's page).
const MaxAlertAttempts = 12

// ClaimAlertEmails claims up to n emails due to be sent for runner, for
// AlertClaim; only the system (the sender) may. Each claim is a single
// conditional update, so two replicas never both hold one.
func (s *Store) ClaimAlertEmails(ctx context.Context, runner string, n int) ([]lantern.Outgoing, error) {
	if !lantern.IsSystem(ctx) {
		return nil, lantern.Errorf(lantern.EFORBIDDEN, "Only Lantern itself sends alerts")
	}
	now := s.now()
	due, err := collect(ctx, s.db, "due alert emails", `SELECT e.id, l.kind, e.address, e.attempts, COALESCE(l.child_id, ''), COALESCE(l.referral_id, '')
		FROM alert_emails e JOIN alerts l ON l.id = e.alert_id
		WHERE e.sent_at IS NULL AND e.next_try_at <= $1 AND e.attempts < $2 AND (e.claimed_until IS NULL OR e.claimed_until < $1)
		ORDER BY e.next_try_at, e.id LIMIT $3`,
		func(r scanner) (lantern.Outgoing, error) {
			var o lantern.Outgoing
			var a lantern.Alert
			err := r.Scan(&o.ID, &o.Kind, &o.Address, &o.Attempts, &a.ChildID, &a.ReferralID)
			a.Kind = o.Kind
			o.Link = alertLink(&a)
			return o, err
		}, s.d.ts(now), MaxAlertAttempts, n)
	if err != nil {
		return nil, err
	}
	var out []lantern.Outgoing
	for _, o := range due {
		// Due is checked again with the claim: another replica may have
		// tried it and failed since it was read, leaving it unclaimed but
		// not due until later.
		res, err := s.wdb.ExecContext(ctx, `UPDATE alert_emails SET claimed_by = $1, claimed_until = $2
			WHERE id = $3 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $4) AND next_try_at <= $4 AND attempts < $5`,
			runner, s.d.ts(now.Add(AlertClaim)), o.ID, s.d.ts(now), MaxAlertAttempts)
		if err != nil {
			return out, internal("claim alert email", err)
		}
		if k, _ := res.RowsAffected(); k == 1 {
			out = append(out, o)
		}
	}
	return out, nil
}

// AlertEmailSent records an email sent, by the runner that claimed it.
func (s *Store) AlertEmailSent(ctx context.Context, id, runner string) error {
	if !lantern.IsSystem(ctx) {
		return lantern.Errorf(lantern.EFORBIDDEN, "Only Lantern itself sends alerts")
	}
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE alert_emails SET sent_at = $1, attempts = attempts + 1, last_error = '' WHERE id = $2 AND claimed_by = $3`,
			s.d.ts(s.now()), id, runner); err != nil {
			return internal("alert sent", err)
		}
		tx.audit(auditEntry{Action: "alert.email-sent", Entity: "alert-email", EntityID: id})
		return nil
	})
}

// AlertEmailFailed records a failed attempt, to be tried again after
// lantern.RetryAfter; the error is kept for the operator, not shown to people.
func (s *Store) AlertEmailFailed(ctx context.Context, id, runner string, attempts int, cause error) error {
	if !lantern.IsSystem(ctx) {
		return lantern.Errorf(lantern.EFORBIDDEN, "Only Lantern itself sends alerts")
	}
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	next := s.now().Add(lantern.RetryAfter(attempts + 1))
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE alert_emails SET attempts = attempts + 1, last_error = $1, next_try_at = $2, claimed_until = NULL
			WHERE id = $3 AND claimed_by = $4 AND sent_at IS NULL`, msg, s.d.ts(next), id, runner); err != nil {
			return internal("alert failed", err)
		}
		tx.audit(auditEntry{Action: "alert.email-failed", Entity: "alert-email", EntityID: id, Detail: fmt.Sprintf("attempt=%d", attempts+1)})
		return nil
	})
}

// AlertEmailCounts are the outbox's counts, for the operator and tests.
type AlertEmailCounts struct{ Waiting, Sent, GivenUp int }

// AlertEmails counts the outbox.
func (s *Store) AlertEmails(ctx context.Context) (AlertEmailCounts, error) {
	var c AlertEmailCounts
	err := s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts < $1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts >= $1 THEN 1 ELSE 0 END), 0) FROM alert_emails`, MaxAlertAttempts).
		Scan(&c.Waiting, &c.Sent, &c.GivenUp)
	return c, internal("alert emails", err)
}
