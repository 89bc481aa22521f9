package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"

	"github.com/go-webauthn/webauthn/webauthn"

	"lantern"
)

// Passkeys (WebAuthn; docs/sessions.md#passkeys): each person's
// credentials, and the ceremony a session has begun.

// PasskeyUser is a person as WebAuthn sees them: their id and names, and
// their passkeys not revoked.
type PasskeyUser struct {
	User  *lantern.User
	Creds []webauthn.Credential
}

func (p *PasskeyUser) WebAuthnID() []byte                         { return []byte(p.User.ID) }
func (p *PasskeyUser) WebAuthnName() string                       { return p.User.Email }
func (p *PasskeyUser) WebAuthnDisplayName() string                { return p.User.Name }
func (p *PasskeyUser) WebAuthnCredentials() []webauthn.Credential { return p.Creds }

// credentialID is a credential's id as stored: base64url.
func credentialID(id []byte) string { return base64.RawURLEncoding.EncodeToString(id) }

// PasskeyUserOf is u with their passkeys not revoked.
func (s *Store) PasskeyUserOf(ctx context.Context, u *lantern.User) (*PasskeyUser, error) {
	creds, err := collect(ctx, s.db, "passkeys", `SELECT credential FROM passkeys WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
		func(r scanner) (webauthn.Credential, error) {
			var raw string
			var c webauthn.Credential
			if err := r.Scan(&raw); err != nil {
				return c, err
			}
			return c, json.Unmarshal([]byte(raw), &c)
		}, u.ID)
	if err != nil {
		return nil, err
	}
	return &PasskeyUser{User: u, Creds: creds}, nil
}

// Passkeys lists the caller's passkeys, the revoked too.
func (s *Store) Passkeys(ctx context.Context) ([]*lantern.Passkey, error) {
	u := lantern.UserFromContext(ctx)
	if u == nil {
		return nil, lantern.Errorf(lantern.EUNAUTHORIZED, "Sign in")
	}
	out, err := collect(ctx, s.db, "passkeys", `SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM passkeys WHERE user_id = $1
		ORDER BY created_at DESC, id`, func(r scanner) (*lantern.Passkey, error) {
		var p lantern.Passkey
		return &p, r.Scan(&p.ID, &p.UserID, &p.Name, timeScan{&p.CreatedAt}, ntimeScan{&p.LastUsedAt}, ntimeScan{&p.RevokedAt})
	}, u.ID)
	return nonNil(out), err
}

// SetCeremony keeps a WebAuthn ceremony's data on the session that began
// it, until it finishes.
func (s *Store) SetCeremony(ctx context.Context, token string, data *webauthn.SessionData) error {
	b, err := json.Marshal(data)
	if err != nil {
		return internal("ceremony", err)
	}
	if _, err := s.wdb.ExecContext(ctx, `UPDATE sessions SET ceremony = $1 WHERE id_hash = $2`, string(b), hashToken(token)); err != nil {
		return internal("ceremony", err)
	}
	return nil
}

// TakeCeremony returns and forgets the session's ceremony: each is used
// once. Nil when there is none.
func (s *Store) TakeCeremony(ctx context.Context, token string) (*webauthn.SessionData, error) {
	var raw sql.NullString
	err := s.write(ctx, func(tx *tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT ceremony FROM sessions WHERE id_hash = $1`, hashToken(token)).Scan(&raw); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			return internal("ceremony", err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET ceremony = NULL WHERE id_hash = $1`, hashToken(token))
		return err
	})
	if err != nil || !raw.Valid || raw.String == "" {
		return nil, err
	}
	var d webauthn.SessionData
	if err := json.Unmarshal([]byte(raw.String), &d); err != nil {
		return nil, internal("ceremony", err)
	}
	return &d, nil
}

// AddPasskey keeps a passkey the caller registered.
func (s *Store) AddPasskey(ctx context.Context, name string, cred *webauthn.Credential) (*lantern.Passkey, error) {
	u := lantern.UserFromContext(ctx)
	if err := lantern.Check(u, lantern.ResPasskey, lantern.ActCreate, lantern.RelOwn); err != nil {
		return nil, err
	}
	name, err := lantern.CheckPasskeyName(name)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(cred)
	if err != nil {
		return nil, internal("passkey", err)
	}
	now := s.now()
	p := &lantern.Passkey{ID: credentialID(cred.ID), UserID: u.ID, Name: name, CreatedAt: now.UTC().Truncate(1000)}
	err = s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO passkeys (id, user_id, name, credential, created_at) VALUES ($1, $2, $3, $4, $5)`,
			p.ID, u.ID, name, string(raw), s.d.ts(now)); err != nil {
			if isUniqueViolation(err) {
				return lantern.Errorf(lantern.ECONFLICT, "This passkey is already registered")
			}
			return internal("passkey", err)
		}
		tx.audit(auditEntry{Action: "passkey.add", Entity: "passkey", EntityID: p.ID, UserID: u.ID, AgencyID: u.AgencyID})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UsedPasskey records a passkey's use: its counter and when. A counter
// that went backwards (the credential cloned) refuses the sign-in.
func (s *Store) UsedPasskey(ctx context.Context, userID string, cred *webauthn.Credential) error {
	if cred.Authenticator.CloneWarning {
		_ = s.record(ctx, auditEntry{Action: "signin.passkey-clone", Entity: "passkey", EntityID: credentialID(cred.ID), UserID: userID})
		return lantern.Errorf(lantern.EUNAUTHORIZED, "This passkey cannot be trusted: ask your administrator")
	}
	raw, err := json.Marshal(cred)
	if err != nil {
		return internal("passkey", err)
	}
	res, err := s.wdb.ExecContext(ctx, `UPDATE passkeys SET credential = $1, last_used_at = $2 WHERE id = $3 AND user_id = $4 AND revoked_at IS NULL`,
		string(raw), s.d.ts(s.now()), credentialID(cred.ID), userID)
	if err != nil {
		return internal("passkey", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return lantern.Errorf(lantern.EUNAUTHORIZED, "This passkey has been revoked")
	}
	return nil
}

// RevokePasskey revokes a passkey of the caller's (or, for an
// administrator, anyone's) and ends every session of its person: whoever
// held the passkey is signed out at once. It returns whose it was.
func (s *Store) RevokePasskey(ctx context.Context, id string) (owner string, err error) {
	u := lantern.UserFromContext(ctx)
	if u == nil {
		return "", lantern.Errorf(lantern.EUNAUTHORIZED, "Sign in")
	}
	now := s.now()
	err = s.write(ctx, func(tx *tx) error {
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM passkeys WHERE id = $1 AND revoked_at IS NULL`, id).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || err == nil && owner != u.ID && !lantern.Allowed(u, lantern.ResUser, lantern.ActChange, lantern.RelArea) {
			return lantern.NotFound("Passkey")
		} else if err != nil {
			return internal("passkey", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE passkeys SET revoked_at = $1, revoked_by = $2 WHERE id = $3`, s.d.ts(now), u.ID, id); err != nil {
			return internal("revoke passkey", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, owner)
		if err != nil {
			return internal("end sessions", err)
		}
		n, _ := res.RowsAffected()
		tx.audit(auditEntry{Action: "passkey.revoke", Entity: "passkey", EntityID: id, UserID: owner, Detail: "sessions_ended=" + itoa(int(n))})
		return nil
	})
	return owner, err
}
