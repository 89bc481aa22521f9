package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"lantern"
)

// Single sign-on with OpenID Connect (docs/sessions.md#single-sign-on):
// the sign-ins begun and waiting for the provider, and the people the
// directory signs in, keyed by issuer, tenant and object id.

// OIDCLoginFor is how long a sign-in begun waits for the provider.
const OIDCLoginFor = 10 * time.Minute

// MaxOIDCLogins bounds the sign-ins waiting at once: each is a row a
// stranger can make.
const MaxOIDCLogins = 10_000

// ErrTooManyLogins refuses a sign-in past MaxOIDCLogins.
var ErrTooManyLogins = &lantern.Error{Code: lantern.EUNAVAILABLE, Message: "Too many sign-ins are waiting: try again in a few minutes"}

// BeginOIDC keeps a sign-in's state (hashed), nonce and PKCE verifier
// until the provider answers, dropping those past OIDCLoginFor.
func (s *Store) BeginOIDC(ctx context.Context, state, nonce, verifier string) error {
	now := s.now()
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM oidc_logins WHERE created_at < $1`, s.d.ts(now.Add(-OIDCLoginFor))); err != nil {
			return internal("old sign-ins", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM oidc_logins`).Scan(&n); err != nil {
			return internal("sign-ins waiting", err)
		}
		if n >= MaxOIDCLogins {
			return ErrTooManyLogins
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO oidc_logins (state_hash, nonce, verifier, created_at) VALUES ($1, $2, $3, $4)`,
			hashToken(state), nonce, verifier, s.d.ts(now)); err != nil {
			return internal("begin sign-in", err)
		}
		return nil
	})
}

// TakeOIDC returns and forgets a sign-in's nonce and verifier: a state is
// used once, and not after OIDCLoginFor.
func (s *Store) TakeOIDC(ctx context.Context, state string) (nonce, verifier string, ok bool, err error) {
	now := s.now()
	err = s.write(ctx, func(tx *tx) error {
		var created time.Time
		e := tx.QueryRowContext(ctx, `SELECT nonce, verifier, created_at FROM oidc_logins WHERE state_hash = $1`, hashToken(state)).
			Scan(&nonce, &verifier, timeScan{&created})
		if errors.Is(e, sql.ErrNoRows) {
			return nil
		} else if e != nil {
			return internal("take sign-in", e)
		}
		if _, e := tx.ExecContext(ctx, `DELETE FROM oidc_logins WHERE state_hash = $1`, hashToken(state)); e != nil {
			return internal("take sign-in", e)
		}
		ok = now.Sub(created) <= OIDCLoginFor
		return nil
	})
	return nonce, verifier, ok, err
}

// Federated is who the directory says signed in: from a verified ID token.
type Federated struct {
	Issuer, Tenant, Subject string
	Name, Email             string
	// AppRoles are the token's app roles, mapped by RoleMap.
	AppRoles []string
}

// RoleGrant is what an app role gives: a role in an agency.
type RoleGrant struct {
	Role   lantern.Role `json:"role"`
	Agency string       `json:"agency"` // the agency's id or name
}

// RoleMap maps the directory's app roles to Lantern's roles and agencies.
type RoleMap map[string]RoleGrant

// ErrNoRole refuses someone the directory gave no mapped role: they get no
// account.
var ErrNoRole = errors.New("the directory gave this person no role that Lantern maps")

// grants resolves the person's roles and agency from their app roles;
// every mapped role must be in one agency.
func (s *Store) grants(ctx context.Context, q querier, m RoleMap, appRoles []string) ([]lantern.Role, string, error) {
	var roles []lantern.Role
	agency := ""
	for _, ar := range appRoles {
		g, ok := m[ar]
		if !ok {
			continue
		}
		var id string
		err := q.QueryRowContext(ctx, `SELECT id FROM agencies WHERE id = $1 OR name = $1 ORDER BY id LIMIT 1`, g.Agency).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, "", fmt.Errorf("app role %s maps to agency %q, which is not one of the area's", ar, g.Agency)
		} else if err != nil {
			return nil, "", internal("agency", err)
		}
		if agency != "" && id != agency {
			return nil, "", fmt.Errorf("the person's app roles map to two agencies")
		}
		agency = id
		if !slices.Contains(roles, g.Role) {
			roles = append(roles, g.Role)
		}
	}
	if len(roles) == 0 {
		return nil, "", ErrNoRole
	}
	slices.Sort(roles)
	return roles, agency, nil
}

// FederatedSignIn finds or makes the account of someone the directory
// signed in, keyed by issuer, tenant and subject (the object id), with the
// roles and agency their app roles map to, and brings an existing
// account's roles, agency and name up to date; each change is audited.
// Someone with no mapped role gets no account (ErrNoRole); a disabled
// account is refused. The caller starts their session: the directory did
// the second factor.
func (s *Store) FederatedSignIn(ctx context.Context, f Federated, m RoleMap) (*lantern.User, error) {
	sys := lantern.NewSystemContext(ctx, "single sign-on")
	roles, agency, err := s.grants(ctx, s.db, m, f.AppRoles)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(f.Name)
	if name == "" {
		name = f.Email
	}
	var userID string
	err = s.db.QueryRowContext(ctx, `SELECT user_id FROM user_identities WHERE issuer = $1 AND tenant = $2 AND subject = $3`,
		f.Issuer, f.Tenant, f.Subject).Scan(&userID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		u, err := s.CreateUser(sys, lantern.UserInput{Email: f.Email, Name: name, AgencyID: agency, Roles: roles})
		if err != nil {
			return nil, err
		}
		now := s.d.ts(s.now())
		if err := s.write(ctx, func(tx *tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO user_identities (issuer, tenant, subject, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)`,
				f.Issuer, f.Tenant, f.Subject, u.ID, now); err != nil {
				return internal("identity", err)
			}
			tx.audit(auditEntry{Action: "user.federated", Entity: "user", EntityID: u.ID, Detail: "tenant=" + f.Tenant})
			return nil
		}); err != nil {
			return nil, err
		}
		userID = u.ID
	case err != nil:
		return nil, internal("identity", err)
	}
	u, err := s.queryUser(ctx, s.db, "u.id = $1", userID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, lantern.Errorf(lantern.EFORBIDDEN, "This account is disabled")
	}
	have := slices.Clone(u.Roles)
	slices.Sort(have)
	if !slices.Equal(have, roles) || u.AgencyID != agency || u.Name != name {
		if u, err = s.UpdateUser(sys, u.ID, u.Version, lantern.UserUpdate{Name: name, AgencyID: agency, Roles: roles}); err != nil {
			return nil, err
		}
	}
	if _, err := s.wdb.ExecContext(ctx, `UPDATE user_identities SET last_seen_at = $1 WHERE issuer = $2 AND tenant = $3 AND subject = $4`,
		s.d.ts(s.now()), f.Issuer, f.Tenant, f.Subject); err != nil {
		return nil, internal("identity", err)
	}
	return u, nil
}

// RecordSignInRefusal audits a sign-in refused before anyone was known:
// its reason, never a name.
func (s *Store) RecordSignInRefusal(ctx context.Context, action, why string) {
	if err := s.record(ctx, auditEntry{Action: action, Entity: "signin", Detail: "reason=" + lantern.Excerpt(why, 300)}); err != nil {
		s.log.Error("audit a refused sign-in", "err", err)
	}
}
