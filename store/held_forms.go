package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"

	"lantern"
)

// A form sent after its session ended is held until the same person signs
// in again, then offered back to them to send (docs/sessions.md). What was
// typed may be a child's words: it is sealed with AES-256-GCM under a fresh
// key that is only in the cookie given to the browser, so neither the
// database nor the cookie alone can read it.

// HeldFormTTL is how long a held form waits for its writer to sign in.
const HeldFormTTL = 2 * time.Hour

// SessionEnded is the error FindSession gives for a session that was live
// and has now ended (idle or too old): it says whose it was, so that a form
// sent with it can be held for them. It is ErrNoSession to everyone else.
type SessionEnded struct{ UserID string }

func (e *SessionEnded) Error() string { return ErrNoSession.Error() }
func (e *SessionEnded) Unwrap() error { return ErrNoSession }

// HoldForm keeps a form sent to path by userID after their session ended,
// and returns the cookie value that alone can read it back.
func (s *Store) HoldForm(ctx context.Context, userID, path string, form url.Values) (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", internal("hold form", err)
	}
	sealed, err := seal(key, []byte(form.Encode()))
	if err != nil {
		return "", internal("hold form", err)
	}
	token, hash := randomToken("")
	now := s.now()
	err = s.write(ctx, func(tx *tx) error {
		// Expired forms go, and so does any earlier one of this person's:
		// one is held each, the latest, so that an ended session's cookie
		// sent again and again cannot fill the table.
		if _, err := tx.ExecContext(ctx, `DELETE FROM held_forms WHERE created_at < $1 OR user_id = $2`, s.d.ts(now.Add(-HeldFormTTL)), userID); err != nil {
			return internal("hold form", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO held_forms (id_hash, user_id, path, sealed, created_at) VALUES ($1, $2, $3, $4, $5)`,
			hash, userID, path, sealed, s.d.ts(now)); err != nil {
			return internal("hold form", err)
		}
		tx.audit(auditEntry{Action: "form.held", Entity: "user", EntityID: userID, UserID: userID, Detail: "path=" + path})
		return nil
	})
	if err != nil {
		return "", err
	}
	return token + "." + base64.RawURLEncoding.EncodeToString(key), nil
}

// TakeHeldForm gives the signed-in caller back the form a cookie holds for
// them, once: it is deleted as it is read. Another person's held form, an
// old one or a bad cookie is not found.
func (s *Store) TakeHeldForm(ctx context.Context, cookie string) (string, url.Values, error) {
	u := lantern.UserFromContext(ctx)
	token, k, ok := strings.Cut(cookie, ".")
	key, kerr := base64.RawURLEncoding.DecodeString(k)
	if u == nil || !ok || kerr != nil || len(key) != 32 {
		return "", nil, lantern.NotFound("Held form")
	}
	var path, sealed string
	now := s.now()
	err := s.write(ctx, func(tx *tx) error {
		var userID string
		var created time.Time
		err := tx.QueryRowContext(ctx, `SELECT user_id, path, sealed, created_at FROM held_forms WHERE id_hash = $1`, hashToken(token)).
			Scan(&userID, &path, &sealed, timeScan{&created})
		if errors.Is(err, sql.ErrNoRows) {
			return lantern.NotFound("Held form")
		} else if err != nil {
			return internal("held form", err)
		}
		if userID != u.ID || now.Sub(created) > HeldFormTTL {
			return lantern.NotFound("Held form")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM held_forms WHERE id_hash = $1`, hashToken(token)); err != nil {
			return internal("held form", err)
		}
		tx.audit(auditEntry{Action: "form.restored", Entity: "user", EntityID: u.ID, Detail: "path=" + path})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	plain, err := open(key, sealed)
	if err != nil {
		return "", nil, lantern.NotFound("Held form")
	}
	form, err := url.ParseQuery(string(plain))
	if err != nil {
		return "", nil, lantern.NotFound("Held form")
	}
	return path, form, nil
}

// TouchSession marks a session as used now: the person asked for more time.
func (s *Store) TouchSession(ctx context.Context, token string) error {
	if _, err := s.wdb.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2`, s.d.ts(s.now()), hashToken(token)); err != nil {
		return internal("touch session", err)
	}
	return nil
}

func seal(key, plain []byte) (string, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawStdEncoding.EncodeToString(gcm.Seal(nonce, nonce, plain, nil)), nil
}

func open(key []byte, sealed string) ([]byte, error) {
	b, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, err
	}
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(b) < gcm.NonceSize() {
		return nil, errors.New("held form: too short")
	}
	return gcm.Open(nil, b[:gcm.NonceSize()], b[gcm.NonceSize():], nil)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
