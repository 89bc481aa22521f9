package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"lantern"
)

// TokenPrefix marks Lantern API tokens, so that secret scanners can spot one.
const TokenPrefix = "lantern_"

// Token describes an API token; the secret itself is shown once and kept
// only as a hash.
type Token struct {
	ID        string     `json:"id"`
	UserID    string     `json:"user_id"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// MaxTokenTTL bounds how long a token may live.
const MaxTokenTTL = 365 * 24 * time.Hour

// CreateToken makes an API token for a user, carrying that user's rights.
// Users make their own; administrators and the operator make anyone's.
func (s *Store) CreateToken(ctx context.Context, userID, name string, ttl time.Duration) (string, *Token, error) {
	if me := lantern.UserFromContext(ctx); (me == nil || me.ID != userID) && mustAdminister(ctx) != nil {
		return "", nil, lantern.NotFound("User")
	}
	var p lantern.Problems
	if ttl <= 0 || ttl > MaxTokenTTL {
		p.Add("ttl", "A token must expire after a time between 1 second and 365 days")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API token"
	} else if len(name) > 100 {
		p.Add("name", "The token's name must be 100 characters or fewer")
	}
	if err := p.Err(); err != nil {
		return "", nil, err
	}
	secret, hash := randomToken(TokenPrefix)
	now := s.now().UTC().Truncate(time.Microsecond)
	t := &Token{ID: newID(), UserID: userID, Name: name, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err := s.write(ctx, func(tx *tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE id = $1 AND NOT disabled`, userID).Scan(&n); err != nil {
			return internal("token user", err)
		}
		if n == 0 {
			return lantern.NotFound("User")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.ID, hash, userID, name, s.d.ts(t.CreatedAt), s.d.ts(t.ExpiresAt)); err != nil {
			return internal("insert token", err)
		}
		tx.audit(auditEntry{Action: "token.create", Entity: "token", EntityID: t.ID, Detail: "user=" + userID})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// ErrBadToken answers a token that is unknown, expired or revoked.
var ErrBadToken = &lantern.Error{Code: lantern.EUNAUTHORIZED, Message: "The API token is not valid: it may have expired or been revoked"}

// TokenRefused audits a request whose API token was refused, and counts it
// against the client's address, apart from wrong passwords (made-up tokens
// lock no one's sign-in). Past the address's limit it is refused with no
// further entry, so that a flood of bad tokens cannot write the trail
// without end. (A good token is never refused for its address: it cannot
// be guessed.)
func (s *Store) TokenRefused(ctx context.Context) error {
	ip := lantern.RequestFromContext(ctx).IP
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM signin_failures WHERE kind = $1 AND key = $2 AND at > $3`,
		failToken, ip, s.d.ts(s.now().Add(-FailureWindow))).Scan(&n); err != nil {
		return internal("failures", err)
	}
	if n >= MaxTokenFailures {
		return ErrTooManyTokens
	}
	return s.write(ctx, func(tx *tx) error {
		tx.audit(auditEntry{Action: "token.refused", Entity: "token"})
		_, err := tx.ExecContext(ctx, `INSERT INTO signin_failures (kind, key, at) VALUES ($1, $2, $3)`, failToken, ip, s.d.ts(s.now()))
		return internal("count failure", err)
	})
}

// TokenUser returns the user an API token acts for.
func (s *Store) TokenUser(ctx context.Context, secret string) (*lantern.User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return nil, ErrBadToken
	}
	// One query: the user, through a live token.
	u, err := s.queryUser(ctx, s.db, "u.id = (SELECT t.user_id FROM api_tokens t WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2)",
		hashToken(secret), s.d.ts(s.now()))
	if lantern.ErrorCode(err) == lantern.ENOTFOUND {
		return nil, ErrBadToken
	} else if err != nil {
		return nil, err
	}
	if u.Disabled || u.AwaitingApproval() {
		return nil, ErrBadToken
	}
	return u, nil
}

// Tokens lists a user's tokens: the user's own, or any for administrators.
func (s *Store) Tokens(ctx context.Context, userID string) ([]*Token, error) {
	if me := lantern.UserFromContext(ctx); (me == nil || me.ID != userID) && mustAdminister(ctx) != nil {
		return nil, lantern.NotFound("User")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC`, userID)
	if err != nil {
		return nil, internal("list tokens", err)
	}
	defer rows.Close()
	var ts []*Token
	for rows.Next() {
		var t Token
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, timeScan{&t.CreatedAt}, timeScan{&t.ExpiresAt}, ntimeScan{&t.RevokedAt}); err != nil {
			return nil, internal("scan token", err)
		}
		ts = append(ts, &t)
	}
	return ts, internal("list tokens", rows.Err())
}

// RevokeToken ends a token at once: its owner's, or any for administrators.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *tx) error {
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM api_tokens WHERE id = $1`, id).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			return lantern.NotFound("Token")
		} else if err != nil {
			return internal("find token", err)
		}
		if me := lantern.UserFromContext(ctx); (me == nil || me.ID != owner) && mustAdminister(ctx) != nil {
			return lantern.NotFound("Token")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, s.d.ts(s.now()), id); err != nil {
			return internal("revoke token", err)
		}
		tx.audit(auditEntry{Action: "token.revoke", Entity: "token", EntityID: id, Detail: "user=" + owner})
		return nil
	})
}
