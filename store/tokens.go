package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
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

// TokenUser returns the user an API token acts for: from this replica's
// cache of checked tokens when it is kept (KeepAuthCache), else from the
// database.
func (s *Store) TokenUser(ctx context.Context, secret string) (*lantern.User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return nil, ErrBadToken
	}
	hash := hashToken(secret)
	c := &s.auth
	gen, on := c.lookup()
	if on {
		if u, ok := c.get(hash, s.now()); ok {
			return u, nil
		}
	}
	// One query: the user, through a live token; and the token's end, for
	// how long it may be kept.
	u, err := s.queryUser(ctx, s.db, "u.id = (SELECT t.user_id FROM api_tokens t WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2)",
		hash, s.d.ts(s.now()))
	if lantern.ErrorCode(err) == lantern.ENOTFOUND {
		return nil, ErrBadToken
	} else if err != nil {
		return nil, err
	}
	if u.Disabled || u.AwaitingApproval() {
		return nil, ErrBadToken
	}
	if on {
		var expires time.Time
		if err := s.db.QueryRowContext(ctx, `SELECT expires_at FROM api_tokens WHERE token_hash = $1`, hash).Scan(timeScan{&expires}); err == nil {
			c.put(gen, hash, u, expires)
		}
	}
	return u, nil
}

// The cache of checked tokens (docs/sessions.md#api-tokens). Checking a
// token read the user, their agency and roles on every API request: about
// a fifth of a child read's CPU. A replica now keeps what it checked, by
// the token's hash, until the token's end, and drops everything when the
// authorisation epoch changes: triggers bump it on any change to tokens,
// users, roles or agencies (migration 00029), whoever makes it, and each
// replica reads it every authPoll. A change made here drops the cache at
// once as well.

// authPoll is how often a replica reads the epoch: a revoked token or a
// disabled user stops working everywhere within it.
const authPoll = 250 * time.Millisecond

// maxAuthCached bounds the cache: past it, it is dropped and refilled.
const maxAuthCached = 100_000

type authCache struct {
	mu      sync.Mutex
	on      bool   // kept: KeepAuthCache runs
	epoch   int64  // the epoch the entries were read under
	gen     uint64 // bumped at every drop, so a read begun before one is not kept
	entries map[string]authEntry
}

type authEntry struct {
	user    lantern.User
	expires time.Time
}

func (c *authCache) lookup() (uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen, c.on
}

func (c *authCache) get(hash string, now time.Time) (*lantern.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	u := e.user
	u.Roles = slices.Clone(e.user.Roles)
	return &u, true
}

func (c *authCache) put(gen uint64, hash string, u *lantern.User, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.on || gen != c.gen {
		return // dropped since the read began: it may be stale
	}
	if len(c.entries) >= maxAuthCached {
		c.entries = map[string]authEntry{}
	}
	cp := *u
	cp.Roles = slices.Clone(u.Roles)
	c.entries[hash] = authEntry{user: cp, expires: expires}
}

// drop forgets every checked token, and the epoch with them when epoch is
// 0 (the next poll then keeps whatever it reads).
func (c *authCache) drop(epoch int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries, c.gen, c.epoch = map[string]authEntry{}, c.gen+1, epoch
}

// writeAuth is write for a change to what a token's check reads: the
// cache is dropped once it commits.
func (s *Store) writeAuth(ctx context.Context, fn func(tx *tx) error) error {
	err := s.write(ctx, fn)
	if err == nil {
		s.authChanged()
	}
	return err
}

// AuthCached is how many checked tokens this replica holds, or -1 when it
// keeps none (KeepAuthCache is not running).
func (s *Store) AuthCached() int {
	c := &s.auth
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.on {
		return -1
	}
	return len(c.entries)
}

// authChanged drops this replica's cache after a change it made to what a
// token's check reads, without waiting for the poll.
func (s *Store) authChanged() { s.auth.drop(0) }

// PollAuthEpoch reads the authorisation epoch and drops the cache if it
// moved; KeepAuthCache calls it every authPoll.
func (s *Store) PollAuthEpoch(ctx context.Context) error {
	var v int64
	if err := s.db.QueryRowContext(ctx, `SELECT version FROM auth_epoch WHERE id = 1`).Scan(&v); err != nil {
		return internal("auth epoch", err)
	}
	c := &s.auth
	c.mu.Lock()
	moved := v != c.epoch
	c.mu.Unlock()
	if moved {
		c.drop(v)
	}
	return nil
}

// KeepAuthCache keeps checked tokens in memory until ctx ends, reading the
// epoch every authPoll. Call it once, in its own goroutine, when serving;
// without it every check reads the database.
func (s *Store) KeepAuthCache(ctx context.Context) {
	c := &s.auth
	if err := s.PollAuthEpoch(ctx); err != nil {
		s.log.Error("auth epoch", "err", err)
		return
	}
	c.mu.Lock()
	c.on = true
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.on, c.entries = false, nil
		c.gen++
		c.mu.Unlock()
	}()
	t := time.NewTicker(authPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.PollAuthEpoch(ctx); err != nil && ctx.Err() == nil {
				// Unsure whether anything changed: keep nothing until sure.
				s.auth.drop(0)
				s.log.Error("auth epoch", "err", err)
			}
		}
	}
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
	return s.writeAuth(ctx, func(tx *tx) error {
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
