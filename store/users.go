package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"lantern"
	"lantern/password"
)

// userSelect reads users with their agency and roles: one row per role.
const userSelect = `SELECT u.id, u.email, u.name, u.agency_id, a.name, a.kind,
	u.totp_secret IS NOT NULL, u.mfa_exempt, u.disabled, u.locked_until, u.version, u.created_at, COALESCE(u.approval_requested_by, ''), COALESCE(r.role, '')
	FROM users u JOIN agencies a ON a.id = u.agency_id LEFT JOIN user_roles r ON r.user_id = u.id`

func scanUsers(rows *sql.Rows) ([]*lantern.User, error) {
	defer rows.Close()
	var us []*lantern.User
	byID := map[string]*lantern.User{}
	for rows.Next() {
		var u lantern.User
		var kind, role string
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.AgencyID, &u.AgencyName, &kind, &u.MFAEnrolled,
			&u.MFAExempt, &u.Disabled, ntimeScan{&u.LockedUntil}, &u.Version, timeScan{&u.CreatedAt}, &u.ApprovalRequestedBy, &role); err != nil {
			return nil, err
		}
		prev := byID[u.ID]
		if prev == nil {
			u.AgencyKind = lantern.AgencyKind(kind)
			prev = &u
			byID[u.ID] = prev
			us = append(us, prev)
		}
		if role != "" {
			prev.Roles = append(prev.Roles, lantern.Role(role))
		}
	}
	for _, u := range us {
		slices.SortFunc(u.Roles, func(a, b lantern.Role) int {
			return slices.Index(lantern.Roles, a) - slices.Index(lantern.Roles, b)
		})
	}
	return us, rows.Err()
}

func (s *Store) queryUser(ctx context.Context, q querier, where string, args ...any) (*lantern.User, error) {
	rows, err := q.QueryContext(ctx, userSelect+" WHERE "+where, args...)
	if err != nil {
		return nil, internal("find user", err)
	}
	us, err := scanUsers(rows)
	if err != nil {
		return nil, internal("scan user", err)
	}
	if len(us) == 0 {
		return nil, lantern.NotFound("User")
	}
	return us[0], nil
}

func validEmail(s string) bool { return lantern.ValidAddress(s) }

func (s *Store) validateUser(in *lantern.UserInput, creating bool) error {
	in.Email = lantern.NormaliseEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	var p lantern.Problems
	if creating {
		if in.Email == "" {
			p.Add("email", "Enter an email address")
		} else if !validEmail(in.Email) {
			p.Add("email", "Enter an email address in the correct format, like name@example.org")
		}
	}
	if in.Name == "" {
		p.Add("name", "Enter the person's name")
	} else if utf8.RuneCountInString(in.Name) > 200 {
		p.Add("name", "The name must be 200 characters or fewer")
	}
	if in.AgencyID == "" {
		p.Add("agency", "Select an agency")
	}
	if len(in.Roles) == 0 {
		p.Add("roles", "Select at least one role")
	}
	for _, r := range in.Roles {
		if !r.Valid() {
			p.Add("roles", "Unknown role: "+string(r))
			break
		}
	}
	if msg := lantern.SeparateDuties(in.Roles); msg != "" {
		p.Add("roles", msg)
	}
	if creating && in.Password != "" {
		if err := password.Check(in.Password, in.Email, strings.Split(in.Email, "@")[0], in.Name); err != nil {
			p.Add("password", lantern.ErrorMessage(policyError(err)))
		}
	}
	return p.Err()
}

// checkPassword applies the password policy to a new password for u.
func checkPassword(u *lantern.User, plain string) error {
	if err := password.Check(plain, u.Email, strings.Split(u.Email, "@")[0], u.Name); err != nil {
		return lantern.Invalid(lantern.FieldError{Field: "password", Message: lantern.ErrorMessage(policyError(err))})
	}
	return nil
}

func policyError(err error) error {
	var pe *password.PolicyError
	if errors.As(err, &pe) {
		return lantern.Errorf(lantern.EINVALID, "%s", pe.Message)
	}
	return err
}

// CreateUser adds a user; only administrators may. With no password the
// account cannot sign in until one is set.
func (s *Store) CreateUser(ctx context.Context, in lantern.UserInput) (*lantern.User, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, err
	}
	if err := s.validateUser(&in, true); err != nil {
		return nil, err
	}
	var hash any
	if in.Password != "" {
		h, err := s.hashPassword(ctx, in.Password)
		if err != nil {
			return nil, err
		}
		hash = h
	}
	id := newID()
	now := s.now()
	var setBy, approvalBy any
	me := lantern.UserFromContext(ctx)
	if me != nil && in.Password != "" {
		setBy = me.ID
	}
	err := s.write(ctx, func(tx *tx) error {
		kind, err := s.agencyIn(ctx, tx, in.AgencyID)
		if err != nil {
			return err
		}
		if msg := lantern.RolesForKind(in.Roles, lantern.AgencyKind(kind)); msg != "" {
			return lantern.Invalid(lantern.FieldError{Field: "roles", Message: msg})
		}
		// An administrator's new account may wait for a second administrator
		// (the operator at the command line, who holds the machine, needs
		// none).
		if me != nil && (lantern.AccountChange{After: in.Roles, Kind: lantern.AgencyKind(kind), PasswordByAdmin: in.Password != ""}).NeedsApproval() {
			approvalBy = me.ID
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email = $1`, in.Email).Scan(&n); err != nil {
			return internal("user email", err)
		}
		if n > 0 {
			return lantern.Invalid(lantern.FieldError{Field: "email", Message: "A user with that email address already exists"})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, agency_id, password_hash, created_at, updated_at, password_set_by, approval_requested_by)
			VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)`, id, in.Email, in.Name, in.AgencyID, hash, s.d.ts(now), setBy, approvalBy); err != nil {
			return internal("insert user", err)
		}
		if err := setRoles(ctx, tx, id, in.Roles); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "user.create", Entity: "user", EntityID: id, Detail: "roles=" + rolesText(in.Roles) + approvalText(approvalBy != nil)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.FindUserByID(ctx, id)
}

func rolesText(rs []lantern.Role) string {
	ss := make([]string, len(rs))
	for i, r := range rs {
		ss[i] = string(r)
	}
	return strings.Join(ss, ",")
}

// sameRoles reports whether two lists hold the same roles, in any order.
func sameRoles(a, b []lantern.Role) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func setRoles(ctx context.Context, tx *tx, userID string, roles []lantern.Role) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1`, userID); err != nil {
		return internal("clear roles", err)
	}
	seen := map[lantern.Role]bool{}
	for _, r := range roles {
		if seen[r] {
			continue
		}
		seen[r] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, userID, string(r)); err != nil {
			return internal("insert role", err)
		}
	}
	return nil
}

func (s *Store) agencyIn(ctx context.Context, tx *tx, id string) (string, error) {
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM agencies WHERE id = $1`, id).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", lantern.Invalid(lantern.FieldError{Field: "agency", Message: "Select an agency that exists"})
	}
	return kind, internal("find agency", err)
}

// FindUserByID returns a user. Users may read their own record; otherwise
// only administrators may.
func (s *Store) FindUserByID(ctx context.Context, id string) (*lantern.User, error) {
	if me := lantern.UserFromContext(ctx); (me == nil || me.ID != id) && mustAdminister(ctx) != nil {
		return nil, lantern.NotFound("User")
	}
	return s.queryUser(ctx, s.db, "u.id = $1", id)
}

// Users lists every user; only administrators may.
func (s *Store) Users(ctx context.Context) ([]*lantern.User, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, userSelect+" ORDER BY lower(u.name), u.id")
	if err != nil {
		return nil, internal("list users", err)
	}
	us, err := scanUsers(rows)
	return us, internal("scan users", err)
}

// UpdateUser changes a user's name, agency, roles or whether the account is
// disabled. A change of agency, roles or status ends the user's sessions.
func (s *Store) UpdateUser(ctx context.Context, id string, version int, up lantern.UserUpdate) (*lantern.User, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, err
	}
	in := lantern.UserInput{Name: up.Name, AgencyID: up.AgencyID, Roles: up.Roles}
	if err := s.validateUser(&in, false); err != nil {
		return nil, err
	}
	if me := lantern.UserFromContext(ctx); me != nil && me.ID == id && (up.Disabled || !slices.Contains(up.Roles, lantern.RoleAdmin)) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "roles", Message: "You cannot remove your own administrator role or disable your own account"})
	}
	err := s.writeAuth(ctx, func(tx *tx) error {
		cur, err := s.queryUser(ctx, tx, "u.id = $1", id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return lantern.Errorf(lantern.ECONFLICT, "Someone else changed this user while you were editing")
		}
		// No one changes their own access: another administrator must.
		if me := lantern.UserFromContext(ctx); me != nil && me.ID == id && (!sameRoles(cur.Roles, in.Roles) || cur.AgencyID != in.AgencyID) {
			return lantern.Invalid(lantern.FieldError{Field: "roles", Message: "You cannot change your own roles or agency: ask another administrator"})
		}
		kind, err := s.agencyIn(ctx, tx, in.AgencyID)
		if err != nil {
			return err
		}
		if msg := lantern.RolesForKind(in.Roles, lantern.AgencyKind(kind)); msg != "" {
			return lantern.Invalid(lantern.FieldError{Field: "roles", Message: msg})
		}
		// A case role given to an account, or an account with one moved,
		// waits for a second administrator.
		approval := false
		change := lantern.AccountChange{Before: cur.Roles, After: in.Roles, Kind: lantern.AgencyKind(kind), AgencyChanged: cur.AgencyID != in.AgencyID,
			MFAEnrolled: cur.MFAEnrolled}
		if me := lantern.UserFromContext(ctx); me != nil && change.NeedsApproval() {
			approval = true
			if _, err := tx.ExecContext(ctx, `UPDATE users SET approval_requested_by = $1 WHERE id = $2`, me.ID, id); err != nil {
				return internal("update user", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, agency_id = $2, disabled = $3, version = version + 1, updated_at = $4 WHERE id = $5`,
			in.Name, in.AgencyID, up.Disabled, s.d.ts(s.now()), id); err != nil {
			return internal("update user", err)
		}
		if err := setRoles(ctx, tx, id, in.Roles); err != nil {
			return err
		}
		// A disabled account's tokens end with it, so re-enabling it does
		// not bring them back.
		if up.Disabled && !cur.Disabled {
			if err := s.revokeTokens(ctx, tx, id); err != nil {
				return err
			}
		}
		if cur.AgencyID != in.AgencyID || cur.Disabled != up.Disabled || !sameRoles(cur.Roles, in.Roles) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return internal("end sessions", err)
			}
		}
		tx.audit(auditEntry{Action: "user.update", Entity: "user", EntityID: id,
			Detail: "roles=" + rolesText(in.Roles) + " disabled=" + boolText(up.Disabled) + approvalText(approval)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.FindUserByID(ctx, id)
}

// approvalText notes in an audit entry that a change waits for approval.
func approvalText(waits bool) string {
	if waits {
		return " approval=required"
	}
	return ""
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// SetPassword sets a user's password: the user themself, an administrator,
// or the operator. Every session of the user ends.
func (s *Store) SetPassword(ctx context.Context, id, plain string) error {
	if me := lantern.UserFromContext(ctx); (me == nil || me.ID != id) && mustAdminister(ctx) != nil {
		return lantern.NotFound("User")
	}
	u, err := s.queryUser(ctx, s.db, "u.id = $1", id)
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
	// An administrator setting someone else's password is recovering the
	// account: noted until the user signs in, and their tokens end.
	var setBy sql.NullString // NULL when the user sets their own
	if me := lantern.UserFromContext(ctx); me != nil && me.ID != id {
		setBy = sql.NullString{String: me.ID, Valid: true}
	}
	return s.writeAuth(ctx, func(tx *tx) error {
		if setBy.Valid {
			if err := s.notBothRecoveries(ctx, tx, id, "mfa_reset_by", setBy.String,
				"You reset this person's two-factor sign-in and they have not signed in since: another administrator must set their password"); err != nil {
				return err
			}
			if err := s.revokeTokens(ctx, tx, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_set_by = $2, version = version + 1, updated_at = $3 WHERE id = $4`,
			h, setBy, s.d.ts(s.now()), id); err != nil {
			return internal("set password", err)
		}
		// An administrator who knows the password of an account with no
		// second factor could finish its sign-in alone: a second approves.
		approval := setBy.Valid && (lantern.AccountChange{Before: u.Roles, After: u.Roles, Kind: u.AgencyKind, PasswordByAdmin: true, MFAEnrolled: u.MFAEnrolled}).NeedsApproval()
		if approval {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET approval_requested_by = $1 WHERE id = $2`, setBy.String, id); err != nil {
				return internal("set password", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return internal("end sessions", err)
		}
		tx.audit(auditEntry{Action: "user.password-set", Entity: "user", EntityID: id, Detail: strings.TrimSpace(approvalText(approval))})
		return nil
	})
}

// notBothRecoveries refuses the second half of an account's recovery (a
// password set, two factors reset) by the administrator who did the first,
// before the user has signed in: one person holding both could sign in as
// the user and read what the user may read.
func (s *Store) notBothRecoveries(ctx context.Context, tx *tx, userID, column, adminID, msg string) error {
	var by sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT `+column+` FROM users WHERE id = $1`, userID).Scan(&by); errors.Is(err, sql.ErrNoRows) {
		return lantern.NotFound("User")
	} else if err != nil {
		return internal("account recovery", err)
	}
	if by.Valid && by.String == adminID {
		return &lantern.Error{Code: lantern.EINVALID, Message: msg, Fields: []lantern.FieldError{{Field: "account", Message: msg}}}
	}
	return nil
}

// revokeTokens ends every live API token of a user.
func (s *Store) revokeTokens(ctx context.Context, tx *tx, userID string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, s.d.ts(s.now()), userID); err != nil {
		return internal("revoke tokens", err)
	}
	return nil
}

// ApproveUser lets an account that waits for a second administrator be
// used: an administrator other than the one whose change made it wait.
func (s *Store) ApproveUser(ctx context.Context, id string) error {
	if err := mustAdminister(ctx); err != nil {
		return err
	}
	me := lantern.UserFromContext(ctx)
	return s.writeAuth(ctx, func(tx *tx) error {
		u, err := s.queryUser(ctx, tx, "u.id = $1", id)
		if err != nil {
			return err
		}
		if !u.AwaitingApproval() {
			return lantern.Invalid(lantern.FieldError{Field: "approve", Message: "This account is not waiting for approval"})
		}
		if me != nil && me.ID == u.ApprovalRequestedBy {
			return lantern.Invalid(lantern.FieldError{Field: "approve", Message: "You made the change that needs approval: another administrator must approve it"})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET approval_requested_by = NULL, version = version + 1 WHERE id = $1`, id); err != nil {
			return internal("approve user", err)
		}
		tx.audit(auditEntry{Action: "user.approve", Entity: "user", EntityID: id, Detail: "requested_by=" + u.ApprovalRequestedBy})
		return nil
	})
}

// Unlock clears a user's failed sign-ins; only administrators may.
func (s *Store) Unlock(ctx context.Context, id string) error {
	if err := mustAdminister(ctx); err != nil {
		return err
	}
	u, err := s.queryUser(ctx, s.db, "u.id = $1", id)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE account = $1`, u.Email); err != nil {
			return internal("unlock", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET locked_until = NULL WHERE id = $1`, id); err != nil {
			return internal("unlock", err)
		}
		tx.audit(auditEntry{Action: "user.unlock", Entity: "user", EntityID: id})
		return nil
	})
}

// ResetTwoFactor removes a user's second factor so they enrol again at the
// next sign-in; only administrators may.
func (s *Store) ResetTwoFactor(ctx context.Context, id string) error {
	if err := mustAdminister(ctx); err != nil {
		return err
	}
	me := lantern.UserFromContext(ctx)
	return s.writeAuth(ctx, func(tx *tx) error {
		var by sql.NullString // NULL for the operator at the command line
		if me != nil {
			if err := s.notBothRecoveries(ctx, tx, id, "password_set_by", me.ID,
				"You set this person's password and they have not signed in since: another administrator must reset their two-factor sign-in"); err != nil {
				return err
			}
			by = sql.NullString{String: me.ID, Valid: true}
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = NULL, totp_last_step = 0, mfa_reset_by = $1, version = version + 1 WHERE id = $2`, by, id)
		if err != nil {
			return internal("reset two factor", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lantern.NotFound("User")
		}
		if err := s.revokeTokens(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, id); err != nil {
			return internal("reset two factor", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return internal("end sessions", err)
		}
		tx.audit(auditEntry{Action: "user.mfa-reset", Entity: "user", EntityID: id})
		return nil
	})
}

// SetMFAExempt marks demonstration accounts, which sign in without a second
// factor. Only the operator may, from the command line or demo loader.
func (s *Store) SetMFAExempt(ctx context.Context, id string, exempt bool) error {
	if !lantern.IsSystem(ctx) {
		return lantern.Errorf(lantern.EFORBIDDEN, "Only the operator can exempt an account from two factors")
	}
	return s.writeAuth(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET mfa_exempt = $1 WHERE id = $2`, exempt, id); err != nil {
			return internal("mfa exempt", err)
		}
		tx.audit(auditEntry{Action: "user.mfa-exempt", Entity: "user", EntityID: id, Detail: "exempt=" + boolText(exempt)})
		return nil
	})
}

// FindUserByEmailForAudit gives the id of the user with an email address,
// for auditors searching the trail by person.
func (s *Store) FindUserByEmailForAudit(ctx context.Context, email string) (string, error) {
	if may(ctx, lantern.ResAudit, lantern.ActRead) != nil {
		return "", lantern.NotFound("User")
	}
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM users WHERE email = $1`, lantern.NormaliseEmail(email)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", lantern.NotFound("User")
	}
	return id, internal("find user", err)
}

// SocialWorkers lists the social workers and managers of children's social
// care, for allocating a child. Anyone who works with children may see it.
func (s *Store) SocialWorkers(ctx context.Context) ([]lantern.Person, error) {
	if may(ctx, lantern.ResChild, lantern.ActList) != nil {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT u.id, u.name FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE r.role IN ('social-worker', 'manager') AND NOT u.disabled ORDER BY u.name, u.id`)
	if err != nil {
		return nil, internal("social workers", err)
	}
	defer rows.Close()
	var ps []lantern.Person
	for rows.Next() {
		var p lantern.Person
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			return nil, internal("social workers", err)
		}
		ps = append(ps, p)
	}
	return ps, internal("social workers", rows.Err())
}

// FindUserByEmail returns the user with an email address; only
// administrators and the operator may look people up this way.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*lantern.User, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, lantern.NotFound("User")
	}
	return s.queryUser(ctx, s.db, "u.email = $1", lantern.NormaliseEmail(email))
}
