package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"lantern"
	"lantern/password"
)

// Sign-in limits. Failures are counted in the store, so they hold across
// replicas, over a sliding window. Wrong passwords are counted for the
// account name given from one address (a wrong guess locks that pair, not
// the account for everyone), for the account from anywhere (guessing spread
// over many addresses locks the account), and for the address across
// accounts (one password tried on many). Refused API tokens are counted
// apart: made-up tokens do not lock anyone's password sign-in.
const (
	FailureWindow      = 15 * time.Minute
	MaxPairFailures    = 5   // per account name given, from one address
	MaxAccountFailures = 20  // per account name given, from any address: the account locks
	MaxAddressFailures = 100 // wrong passwords from one address, for any accounts
	MaxTokenFailures   = 50  // refused API tokens from one address
)

// Kinds of counted failure.
const (
	failPair    = "pair"    // key: address and account name
	failAccount = "account" // key: account name
	failAddress = "address" // key: address
	failToken   = "token"   // key: address
)

// Lock-out and rate-limit messages. The same words whether or not the
// account exists, so they reveal nothing.
var (
	ErrLocked = &lantern.Error{Code: lantern.ERATELIMITED,
		Message: "This account is locked because of too many failed sign-in attempts. Try again in 15 minutes, or ask your administrator to unlock it."}
	ErrTooManyFromAddress = &lantern.Error{Code: lantern.ERATELIMITED,
		Message: "There have been too many failed sign-in attempts from your network. Try again in 15 minutes."}
	ErrTooManyTokens = &lantern.Error{Code: lantern.ERATELIMITED,
		Message: "Too many requests with tokens that are not valid have come from your network. Try again in 15 minutes."}
	ErrBadCredentials = &lantern.Error{Code: lantern.EUNAUTHORIZED,
		Message: "Enter a correct email address and password"}
	ErrBadCode = &lantern.Error{Code: lantern.EUNAUTHORIZED,
		Message: "Enter a correct security code"}
	// ErrAwaitingApproval answers the right password of an account that
	// waits for a second administrator's approval.
	ErrAwaitingApproval = &lantern.Error{Code: lantern.EUNAUTHORIZED,
		Message: "Your account is waiting for a second administrator to approve it: ask your administrator"}
	// ErrBusy is the answer when too many passwords are being checked at
	// once: the attempt is not counted, and may be made again in a moment.
	ErrBusy = &lantern.Error{Code: lantern.EUNAVAILABLE,
		Message: "Lantern is busy checking other sign-ins. Try again in a moment."}
)

func pairKey(email, ip string) string { return ip + " " + email }

// signinLimit refuses a sign-in past a limit: the address's, or the
// account's from this address or from anywhere.
func (s *Store) signinLimit(ctx context.Context, q querier, email, ip string) error {
	rows, err := q.QueryContext(ctx, `SELECT kind, count(*) FROM signin_failures WHERE at > $1
		AND ((kind = $2 AND key = $3) OR (kind = $4 AND key = $5) OR (kind = $6 AND key = $7)) GROUP BY kind`,
		s.d.ts(s.now().Add(-FailureWindow)), failPair, pairKey(email, ip), failAccount, email, failAddress, ip)
	if err != nil {
		return internal("failures", err)
	}
	defer rows.Close()
	n := map[string]int{}
	for rows.Next() {
		var kind string
		var c int
		if err := rows.Scan(&kind, &c); err != nil {
			return internal("failures", err)
		}
		n[kind] = c
	}
	if err := rows.Err(); err != nil {
		return internal("failures", err)
	}
	switch {
	case n[failAddress] >= MaxAddressFailures:
		return ErrTooManyFromAddress
	case n[failPair] >= MaxPairFailures || n[failAccount] >= MaxAccountFailures:
		return ErrLocked
	}
	return nil
}

// addFailures counts a failure for an account name from an address: for the
// pair, the account and the address. An attempt id marks a count made
// before the password is checked, for a right password to take back.
func (s *Store) addFailures(ctx context.Context, tx *tx, email, ip, attempt string, at time.Time) error {
	var att any
	if attempt != "" {
		att = attempt
	}
	for _, k := range [][3]string{{failPair, pairKey(email, ip), email}, {failAccount, email, email}, {failAddress, ip, ""}} {
		var account any
		if k[2] != "" {
			account = k[2]
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO signin_failures (kind, key, at, attempt, account) VALUES ($1, $2, $3, $4, $5)`,
			k[0], k[1], s.d.ts(at), att, account); err != nil {
			return internal("count failure", err)
		}
	}
	return nil
}

// beginAttempt counts a sign-in as failed before its password is hashed, so
// that attempts made at once are refused at the limit, not all hashed. The
// limits are checked and the count made under one lock on the address and
// the account, across replicas. A refusal is audited.
func (s *Store) beginAttempt(ctx context.Context, email, ip string) (string, error) {
	attempt := newID()
	var refused error
	err := s.write(ctx, func(tx *tx) error {
		if err := s.d.lockKeys(ctx, tx, "signin address "+ip, "signin account "+email); err != nil {
			return internal("sign-in lock", err)
		}
		if err := s.signinLimit(ctx, tx, email, ip); err != nil {
			if lantern.ErrorCode(err) != lantern.ERATELIMITED {
				return err
			}
			refused = err
			reason := "locked"
			if err == ErrTooManyFromAddress {
				reason = "address-rate-limit"
			}
			var id, agencyID string
			_ = tx.QueryRowContext(ctx, `SELECT id, agency_id FROM users WHERE email = $1`, email).Scan(&id, &agencyID)
			tx.audit(auditEntry{Action: "signin.refused", Entity: "user", EntityID: id, UserID: id, AgencyID: agencyID, Detail: "reason=" + reason})
			return nil
		}
		return s.addFailures(ctx, tx, email, ip, attempt, s.now())
	})
	if err != nil {
		return "", err
	}
	return attempt, refused
}

// takeBack removes an attempt's counts: its password was right, or it was
// never checked.
func (s *Store) takeBack(ctx context.Context, attempt string) error {
	_, err := s.wdb.ExecContext(ctx, `DELETE FROM signin_failures WHERE attempt = $1`, attempt)
	return internal("sign-in attempt", err)
}

// CheckPassword is the first step of signing in. It returns the user when
// the password is right; failures are counted, locked out and audited. The
// attempt is counted before the password is hashed, and the hashes run at
// once are bounded: past the bound the answer is ErrBusy.
func (s *Store) CheckPassword(ctx context.Context, email, plain string) (*lantern.User, error) {
	email = lantern.NormaliseEmail(email)
	ip := lantern.RequestFromContext(ctx).IP
	attempt, err := s.beginAttempt(ctx, email, ip)
	if err != nil {
		return nil, err
	}
	var id, agencyID string
	var hash sql.NullString
	var disabled, awaiting bool
	err = s.db.QueryRowContext(ctx, `SELECT id, agency_id, password_hash, disabled, approval_requested_by IS NOT NULL FROM users WHERE email = $1`, email).
		Scan(&id, &agencyID, &hash, &disabled, &awaiting)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, errors.Join(internal("find user", err), s.takeBack(context.WithoutCancel(ctx), attempt))
	}
	release, err := s.hashes.Acquire(ctx)
	if err != nil {
		// Not checked, so not counted: try again in a moment.
		if terr := s.takeBack(context.WithoutCancel(ctx), attempt); terr != nil {
			return nil, terr
		}
		return nil, ErrBusy
	}
	ok := false
	if hash.Valid {
		if ok, err = password.Verify(plain, hash.String); err != nil {
			s.log.Error("stored password hash unreadable", "user", id, "err", err)
			ok = false
		}
	} else {
		password.VerifyDummy(plain) // the same time whether or not the account exists
	}
	release()
	ctx = context.WithoutCancel(ctx) // the outcome is recorded even if the client has gone
	if !ok || disabled {
		return nil, s.signinFailed(ctx, email, ip, id, agencyID, map[bool]string{true: "disabled", false: "password"}[ok && disabled], attempt)
	}
	// The account's other failures are not forgiven yet: wrong codes after a
	// right password count with wrong passwords, until a sign-in completes.
	err = s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE attempt = $1`, attempt); err != nil {
			return internal("sign-in attempt", err)
		}
		if awaiting {
			tx.audit(auditEntry{Action: "signin.refused", Entity: "user", EntityID: id, UserID: id, AgencyID: agencyID, Detail: "reason=awaiting-approval"})
		} else {
			tx.audit(auditEntry{Action: "signin.password", Entity: "user", EntityID: id, UserID: id, AgencyID: agencyID})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if awaiting {
		return nil, ErrAwaitingApproval
	}
	return s.queryUser(ctx, s.db, "u.id = $1", id)
}

// hashPassword hashes a new password, taking a turn at the gate.
func (s *Store) hashPassword(ctx context.Context, plain string) (string, error) {
	release, err := s.hashes.Acquire(ctx)
	if err != nil {
		return "", ErrBusy
	}
	defer release()
	h, err := password.Hash(plain)
	if err != nil {
		return "", lantern.Internal(err)
	}
	return h, nil
}

// signinFailed counts a failure (unless its attempt was counted before the
// check) and locks at the limits: the account from this address, or the
// account itself, which the administrators' page then shows.
func (s *Store) signinFailed(ctx context.Context, email, ip, id, agencyID, reason, attempt string) error {
	now := s.now()
	locked := false
	err := s.write(ctx, func(tx *tx) error {
		if attempt == "" {
			if err := s.addFailures(ctx, tx, email, ip, "", now); err != nil {
				return err
			}
		}
		// Old failures say nothing about now.
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE at < $1`, s.d.ts(now.Add(-24*time.Hour))); err != nil {
			return internal("prune failures", err)
		}
		tx.audit(auditEntry{Action: "signin.failure", Entity: "user", EntityID: id, UserID: id, AgencyID: agencyID, Detail: "reason=" + reason})
		// The limit'th latest failure in the window, if there is one, locks;
		// the lock lifts when it leaves the window (refused attempts are not
		// counted), so that is when the administrators' page says it ends.
		lockStart := func(kind, key string, limit int) (time.Time, bool, error) {
			var oldest time.Time
			err := tx.QueryRowContext(ctx, `SELECT at FROM signin_failures WHERE kind = $1 AND key = $2 AND at > $3
				ORDER BY at DESC LIMIT 1 OFFSET $4`, kind, key, s.d.ts(now.Add(-FailureWindow)), limit-1).Scan(timeScan{&oldest})
			if errors.Is(err, sql.ErrNoRows) {
				return oldest, false, nil
			}
			return oldest, err == nil, internal("count failures", err)
		}
		if at, ok, err := lockStart(failAccount, email, MaxAccountFailures); err != nil {
			return err
		} else if ok {
			locked = true
			if id != "" {
				if _, err := tx.ExecContext(ctx, `UPDATE users SET locked_until = $1 WHERE id = $2`, s.d.ts(at.Add(FailureWindow)), id); err != nil {
					return internal("lock", err)
				}
			}
			tx.audit(auditEntry{Action: "signin.locked", Entity: "user", EntityID: id, UserID: id, AgencyID: agencyID, Detail: "scope=account"})
			return nil
		}
		if _, ok, err := lockStart(failPair, pairKey(email, ip), MaxPairFailures); err != nil {
			return err
		} else if ok {
			locked = true
			tx.audit(auditEntry{Action: "signin.locked", Entity: "user", EntityID: id, UserID: id, AgencyID: agencyID, Detail: "scope=address"})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if locked {
		return ErrLocked
	}
	return ErrBadCredentials
}

// Session stages: a session is fully signed in only after the second factor.
const (
	StageSecondFactor = "second-factor" // password right; a code is wanted
	StageEnrol        = "enrol"         // password right; two factors to set up
	StageSignedIn     = "signed-in"
)

// Session timeouts.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	touchEvery      = time.Minute // last-seen is written at most this often
)

func randomToken(prefix string) (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// StartSession begins a session for a user at a stage, ending the session
// it replaces (rotation), and returns the cookie's value.
func (s *Store) StartSession(ctx context.Context, userID, stage, replaces string) (string, error) {
	token, hash := randomToken("")
	now := s.now()
	err := s.write(ctx, func(tx *tx) error {
		if replaces != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hashToken(replaces)); err != nil {
				return internal("rotate session", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, stage, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)`,
			hash, userID, stage, s.d.ts(now)); err != nil {
			return internal("start session", err)
		}
		if stage == StageSignedIn {
			// Both factors given: the account's failures are forgiven.
			var email, agencyID string
			if err := tx.QueryRowContext(ctx, `SELECT email, agency_id FROM users WHERE id = $1`, userID).Scan(&email, &agencyID); err != nil {
				return internal("sign in", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE account = $1`, email); err != nil {
				return internal("clear failures", err)
			}
			// The user is back in their account: its recovery is over.
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_set_by = NULL, mfa_reset_by = NULL WHERE id = $1`, userID); err != nil {
				return internal("sign in", err)
			}
			tx.audit(auditEntry{Action: "signin.success", Entity: "user", EntityID: userID, UserID: userID, AgencyID: agencyID})
		}
		return nil
	})
	return token, err
}

// Session is a signed-in or signing-in session.
type Session struct {
	User          *lantern.User
	Stage         string
	PendingSecret string
	CreatedAt     time.Time
}

// ErrNoSession means the cookie names no live session.
var ErrNoSession = &lantern.Error{Code: lantern.EUNAUTHORIZED, Message: "Your session has ended: sign in again"}

// FindSession returns the live session a cookie names, ending it when it has
// been idle too long or is too old.
func (s *Store) FindSession(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	hash := hashToken(token)
	var userID, stage string
	var pending sql.NullString
	var created, seen time.Time
	err := s.db.QueryRowContext(ctx, `SELECT user_id, stage, pending_secret, created_at, last_seen_at FROM sessions WHERE id_hash = $1`, hash).
		Scan(&userID, &stage, &pending, timeScan{&created}, timeScan{&seen})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	} else if err != nil {
		return nil, internal("find session", err)
	}
	now := s.now()
	if now.Sub(seen) > IdleTimeout || now.Sub(created) > AbsoluteTimeout {
		_, _ = s.wdb.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hash)
		if stage == StageSignedIn {
			return nil, &SessionEnded{UserID: userID} // ErrNoSession, saying whose
		}
		return nil, ErrNoSession
	}
	u, err := s.queryUser(ctx, s.db, "u.id = $1", userID)
	if err != nil || u.Disabled || u.AwaitingApproval() {
		return nil, ErrNoSession
	}
	if now.Sub(seen) > touchEvery {
		if _, err := s.wdb.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2`, s.d.ts(now), hash); err != nil {
			return nil, internal("touch session", err)
		}
	}
	secret, err := s.open(ctx, "sessions", "pending_secret", hash, pending.String)
	if err != nil {
		return nil, err
	}
	return &Session{User: u, Stage: stage, PendingSecret: secret, CreatedAt: created}, nil
}

// EndSession signs out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	return s.write(ctx, func(tx *tx) error {
		var userID, agencyID string
		err := tx.QueryRowContext(ctx, `SELECT s.user_id, u.agency_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
			hashToken(token)).Scan(&userID, &agencyID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return internal("end session", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hashToken(token)); err != nil {
			return internal("end session", err)
		}
		tx.audit(auditEntry{Action: "signout", Entity: "user", EntityID: userID, UserID: userID, AgencyID: agencyID})
		return nil
	})
}

// TOTP settings: RFC 6238 defaults (30 s, 6 digits, SHA-1), one step of skew.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Issuer names Lantern in authenticator apps.
const Issuer = "Lantern"

// BeginEnrolment makes a new TOTP secret for the session's user and keeps it
// on the session until confirmed.
func (s *Store) BeginEnrolment(ctx context.Context, token string, u *lantern.User) (*otp.Key, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: u.Email})
	if err != nil {
		return nil, lantern.Internal(err)
	}
	pending, err := s.seal(ctx, "sessions", "pending_secret", hashToken(token), key.Secret())
	if err != nil {
		return nil, err
	}
	if _, err := s.wdb.ExecContext(ctx, `UPDATE sessions SET pending_secret = $1 WHERE id_hash = $2 AND stage = $3`,
		pending, hashToken(token), StageEnrol); err != nil {
		return nil, internal("begin enrolment", err)
	}
	return key, nil
}

// PendingKey rebuilds the key being enrolled, for showing it again.
func PendingKey(u *lantern.User, secret string) (*otp.Key, error) {
	return otp.NewKeyFromURL(fmt.Sprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=6&period=30",
		Issuer, u.Email, secret, Issuer))
}

// step is the TOTP time step of code at t, found by trying the skew window.
func stepFor(secret, code string, t time.Time) (int64, bool) {
	for _, d := range []int64{0, -1, 1} {
		at := t.Add(time.Duration(d*30) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totpOpts)
		if err == nil && len(code) == 6 && want == code {
			return at.Unix() / 30, true
		}
	}
	return 0, false
}

// ConfirmEnrolment checks a code against the pending secret; on success the
// secret is the user's, recovery codes are made and returned once, and the
// session is replaced by a signed-in one.
func (s *Store) ConfirmEnrolment(ctx context.Context, token string, sess *Session, code string) (newToken string, codes []string, err error) {
	step, ok := stepFor(sess.PendingSecret, code, s.now())
	if sess.PendingSecret == "" || !ok {
		_ = s.record(ctx, auditEntry{Action: "signin.mfa-failure", Entity: "user", EntityID: sess.User.ID, UserID: sess.User.ID, AgencyID: sess.User.AgencyID, Detail: "stage=enrol"})
		return "", nil, ErrBadCode
	}
	codes, err = password.NewRecoveryCodes(10)
	if err != nil {
		return "", nil, lantern.Internal(err)
	}
	secret, err := s.seal(ctx, "users", "totp_secret", sess.User.ID, sess.PendingSecret)
	if err != nil {
		return "", nil, err
	}
	err = s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_last_step = $2, version = version + 1 WHERE id = $3`,
			secret, step, sess.User.ID); err != nil {
			return internal("enrol", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, sess.User.ID); err != nil {
			return internal("enrol", err)
		}
		for _, c := range codes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, sess.User.ID, password.HashRecoveryCode(c)); err != nil {
				return internal("enrol", err)
			}
		}
		tx.audit(auditEntry{Action: "user.mfa-enrolled", Entity: "user", EntityID: sess.User.ID, UserID: sess.User.ID, AgencyID: sess.User.AgencyID})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	newToken, err = s.StartSession(ctx, sess.User.ID, StageSignedIn, token)
	return newToken, codes, err
}

// CheckSecondFactor accepts a current TOTP code (each at most once) or an
// unused recovery code, and replaces the session with a signed-in one.
// Wrong codes count towards the account's lock-out like wrong passwords.
func (s *Store) CheckSecondFactor(ctx context.Context, token string, sess *Session, code string) (string, error) {
	u := sess.User
	ip := lantern.RequestFromContext(ctx).IP
	if err := s.signinLimit(ctx, s.db, u.Email, ip); err != nil {
		return "", err
	}
	var secret sql.NullString
	var last int64
	if err := s.db.QueryRowContext(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = $1`, u.ID).Scan(&secret, &last); err != nil {
		return "", internal("second factor", err)
	}
	if secret.Valid {
		var err error
		if secret.String, err = s.open(ctx, "users", "totp_secret", u.ID, secret.String); err != nil {
			return "", err
		}
	}
	code = normaliseCode(code)
	accepted := false
	how := "totp"
	err := s.write(ctx, func(tx *tx) error {
		if step, ok := stepFor(secret.String, code, s.now()); secret.Valid && ok && step > last {
			// The step only moves forward: a code seen once is refused after.
			res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1`, step, u.ID)
			if err != nil {
				return internal("second factor", err)
			}
			n, _ := res.RowsAffected()
			accepted = n == 1
		} else if len(code) != 6 {
			how = "recovery-code"
			res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
				s.d.ts(s.now()), u.ID, password.HashRecoveryCode(code))
			if err != nil {
				return internal("recovery code", err)
			}
			n, _ := res.RowsAffected()
			accepted = n == 1
		}
		if accepted {
			tx.audit(auditEntry{Action: "signin.mfa", Entity: "user", EntityID: u.ID, UserID: u.ID, AgencyID: u.AgencyID, Detail: "method=" + how})
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if !accepted {
		if err := s.signinFailed(ctx, u.Email, ip, u.ID, u.AgencyID, "second-factor", ""); errors.Is(err, ErrLocked) {
			_, _ = s.wdb.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hashToken(token))
			return "", ErrLocked
		}
		return "", ErrBadCode
	}
	return s.StartSession(ctx, u.ID, StageSignedIn, token)
}

func normaliseCode(c string) string {
	out := make([]rune, 0, len(c))
	for _, r := range c {
		if r != ' ' && r != '-' && r != '\t' {
			out = append(out, r)
		}
	}
	if len(out) == 6 {
		return string(out)
	}
	return password.NormaliseRecoveryCode(c)
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	return n, internal("recovery codes", err)
}
