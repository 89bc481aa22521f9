package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"lantern"
)

// PasswordLinkTTL is how long a link to set a first password works.
const PasswordLinkTTL = 72 * time.Hour

// passwordLinkPrefix marks a set-password link's secret.
const passwordLinkPrefix = "pw_"

// ErrBadPasswordLink answers a link that is unknown, used or too old, in the
// same words whichever.
var ErrBadPasswordLink = lantern.Errorf(lantern.ENOTFOUND, "This link to set a password has been used, has expired or is not right: ask your administrator for a new one")

// CreatePasswordLink makes a one-time link for a person to set their own
// password, for the caller to send to the person's email; earlier links of
// theirs stop working. Only administrators may, and only for an account
// whose holder has not yet signed in with a password of their own.
func (s *Store) CreatePasswordLink(ctx context.Context, userID string) (string, error) {
	if err := mustAdminister(ctx); err != nil {
		return "", err
	}
	by := "system"
	if me := lantern.UserFromContext(ctx); me != nil {
		by = me.ID
	}
	token, hash := randomToken(passwordLinkPrefix)
	now := s.now()
	err := s.write(ctx, func(tx *tx) error {
		var hasPassword bool
		err := tx.QueryRowContext(ctx, `SELECT password_hash IS NOT NULL AND password_set_by IS NULL FROM users WHERE id = $1`, userID).Scan(&hasPassword)
		if errors.Is(err, sql.ErrNoRows) {
			return lantern.NotFound("User")
		} else if err != nil {
			return internal("password link", err)
		}
		if hasPassword {
			return lantern.Invalid(lantern.FieldError{Field: "password_link", Message: "This person has set their own password: if they have lost it, set a new one for them"})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, s.d.ts(now), userID); err != nil {
			return internal("password link", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_links (token_hash, user_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			hash, userID, by, s.d.ts(now), s.d.ts(now.Add(PasswordLinkTTL))); err != nil {
			return internal("password link", err)
		}
		tx.audit(auditEntry{Action: "user.password-link", Entity: "user", EntityID: userID})
		return nil
	})
	return token, err
}

// PasswordLinkSent is when a live link to set a password was last made for
// a user, if one is live.
func (s *Store) PasswordLinkSent(ctx context.Context, userID string) (*time.Time, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, err
	}
	var at *time.Time
	err := s.db.QueryRowContext(ctx, `SELECT max(created_at) FROM password_links WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2`,
		userID, s.d.ts(s.now())).Scan(ntimeScan{&at})
	return at, internal("password link", err)
}

// linkUser is the account a live link sets the password of.
func (s *Store) linkUser(ctx context.Context, q querier, token string) (*lantern.User, error) {
	if !strings.HasPrefix(token, passwordLinkPrefix) || len(token) > 100 {
		return nil, ErrBadPasswordLink
	}
	var userID string
	err := q.QueryRowContext(ctx, `SELECT user_id FROM password_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
		hashToken(token), s.d.ts(s.now())).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrBadPasswordLink
	} else if err != nil {
		return nil, internal("password link", err)
	}
	u, err := s.queryUser(ctx, q, "u.id = $1", userID)
	if err != nil || u.Disabled {
		return nil, ErrBadPasswordLink
	}
	return u, nil
}

// PasswordLinkUser is the account a live link is for, to greet its holder.
func (s *Store) PasswordLinkUser(ctx context.Context, token string) (*lantern.User, error) {
	return s.linkUser(ctx, s.db, token)
}

// SetPasswordByLink sets the password of a link's account: its holder's own,
// which no administrator has seen, so the account needs no approval for it
// (one that sees every child was made waiting: see AccountChange).
// The link works once.
func (s *Store) SetPasswordByLink(ctx context.Context, token, plain string) error {
	u, err := s.linkUser(ctx, s.db, token)
	if err != nil {
		return err
	}
	if err := checkPassword(u, plain); err != nil {
		return err
	}
	h, err := s.hashPassword(ctx, plain)
	if err != nil {
		return err
	}
	now := s.now()
	return s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE password_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1`,
			s.d.ts(now), hashToken(token))
		if err != nil {
			return internal("password link", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrBadPasswordLink // used at the same moment by another request
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_set_by = NULL, version = version + 1, updated_at = $2 WHERE id = $3`,
			h, s.d.ts(now), u.ID); err != nil {
			return internal("set password", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
			return internal("end sessions", err)
		}
		tx.audit(auditEntry{Action: "user.password-set", Entity: "user", EntityID: u.ID, UserID: u.ID, AgencyID: u.AgencyID, Detail: "via=link"})
		return nil
	})
}
