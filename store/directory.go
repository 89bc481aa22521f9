package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"lantern"
)

func (s *Store) validateContact(ctx context.Context, q querier, in *lantern.ContactInput) error {
	in.Name, in.Team, in.Phone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Team), strings.TrimSpace(in.Phone)
	in.Email = lantern.NormaliseEmail(in.Email)
	var p lantern.Problems
	if in.Name == "" {
		p.Add("name", "Enter the name of the person or mailbox")
	} else if utf8.RuneCountInString(in.Name) > 200 {
		p.Add("name", "The name must be 200 characters or fewer")
	}
	if in.Email == "" {
		p.Add("email", "Enter an email address")
	} else if !lantern.ValidAddress(in.Email) {
		p.Add("email", "Enter an email address in the correct format, like name@example.org")
	}
	if utf8.RuneCountInString(in.Team) > 200 {
		p.Add("team", "The team must be 200 characters or fewer")
	}
	if utf8.RuneCountInString(in.Phone) > 50 || strings.ContainsAny(in.Phone, "\r\n") {
		p.Add("phone", "The telephone number must be 50 characters or fewer")
	}
	var roles []lantern.PathwayRole
	for _, r := range in.Roles {
		if !r.Valid() {
			p.Add("roles", "Each role must be one of the pathway's roles")
			break
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	in.Roles = roles
	if in.AgencyID == "" {
		p.Add("agency_id", "Select the agency")
	} else {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE id = $1`, in.AgencyID).Scan(&n); err != nil {
			return internal("contact agency", err)
		}
		if n == 0 {
			p.Add("agency_id", "Select an agency from the list")
		}
	}
	return p.Err()
}

// CreateContact adds a person or mailbox to the directory; administrators
// only.
func (s *Store) CreateContact(ctx context.Context, in lantern.ContactInput) (*lantern.Contact, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, err
	}
	var c *lantern.Contact
	err := s.write(ctx, func(tx *tx) error {
		if err := s.validateContact(ctx, tx, &in); err != nil {
			return err
		}
		if err := uniqueContactEmail(ctx, tx, in.Email, ""); err != nil {
			return err
		}
		now := s.now()
		id := newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO directory_contacts (id, agency_id, team, name, email, phone, active, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)`, id, in.AgencyID, in.Team, in.Name, in.Email, in.Phone, in.Active, s.d.ts(now)); err != nil {
			return internal("insert contact", err)
		}
		if err := setContactRoles(ctx, tx, id, in.Roles); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "directory.create", Entity: "contact", EntityID: id})
		var err error
		c, err = s.contact(ctx, tx, id)
		return err
	})
	return c, err
}

// UpdateContact changes a directory entry at the version the caller saw.
func (s *Store) UpdateContact(ctx context.Context, id string, version int, in lantern.ContactInput) (*lantern.Contact, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, err
	}
	var c *lantern.Contact
	err := s.write(ctx, func(tx *tx) error {
		cur, err := s.contact(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "The entry has been changed by someone else: look again", Current: cur}
		}
		if err := s.validateContact(ctx, tx, &in); err != nil {
			return err
		}
		if err := uniqueContactEmail(ctx, tx, in.Email, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE directory_contacts SET agency_id = $1, team = $2, name = $3, email = $4, phone = $5, active = $6,
			version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9`, in.AgencyID, in.Team, in.Name, in.Email, in.Phone, in.Active, s.d.ts(s.now()), id, version)
		if err != nil {
			return internal("update contact", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "The entry has been changed by someone else: look again"}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM directory_roles WHERE contact_id = $1`, id); err != nil {
			return internal("contact roles", err)
		}
		if err := setContactRoles(ctx, tx, id, in.Roles); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "directory.update", Entity: "contact", EntityID: id})
		c, err = s.contact(ctx, tx, id)
		return err
	})
	return c, err
}

func uniqueContactEmail(ctx context.Context, tx *tx, email, except string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM directory_contacts WHERE email = $1 AND id <> $2`, email, except).Scan(&n); err != nil {
		return internal("contact email", err)
	}
	if n > 0 {
		return lantern.Invalid(lantern.FieldError{Field: "email", Message: "The directory already has an entry with that email address"})
	}
	return nil
}

func setContactRoles(ctx context.Context, tx *tx, id string, roles []lantern.PathwayRole) error {
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO directory_roles (contact_id, role) VALUES ($1, $2)`, id, string(r)); err != nil {
			return internal("contact role", err)
		}
	}
	return nil
}

const contactCols = `dc.id, dc.agency_id, a.name, dc.team, dc.name, dc.email, dc.phone, dc.active, dc.version, dc.created_at, dc.updated_at`

func scanContact(sc interface{ Scan(...any) error }) (*lantern.Contact, error) {
	var c lantern.Contact
	err := sc.Scan(&c.ID, &c.AgencyID, &c.AgencyName, &c.Team, &c.Name, &c.Email, &c.Phone, &c.Active, &c.Version,
		timeScan{&c.CreatedAt}, timeScan{&c.UpdatedAt})
	c.Roles = []lantern.PathwayRole{}
	return &c, err
}

func (s *Store) contact(ctx context.Context, q querier, id string) (*lantern.Contact, error) {
	c, err := scanContact(q.QueryRowContext(ctx, `SELECT `+contactCols+` FROM directory_contacts dc JOIN agencies a ON a.id = dc.agency_id WHERE dc.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.NotFound("Directory entry")
	} else if err != nil {
		return nil, internal("contact", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT role FROM directory_roles WHERE contact_id = $1`, id)
	if err != nil {
		return nil, internal("contact roles", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, internal("contact roles", err)
		}
		c.Roles = append(c.Roles, lantern.PathwayRole(r))
	}
	sortRoles(c.Roles)
	return c, internal("contact roles", rows.Err())
}

func sortRoles(rs []lantern.PathwayRole) {
	slices.SortFunc(rs, func(a, b lantern.PathwayRole) int {
		return slices.Index(lantern.PathwayRoles, a) - slices.Index(lantern.PathwayRoles, b)
	})
}

// FindContact reads one directory entry. The directory is the area's
// organisations and their addresses, not case records: anyone signed in may
// read it.
func (s *Store) FindContact(ctx context.Context, id string) (*lantern.Contact, error) {
	if lantern.UserFromContext(ctx) == nil {
		return nil, lantern.NotFound("Directory entry")
	}
	return s.contact(ctx, s.db, id)
}

// Contacts lists the directory by agency, team and name; inactive entries
// only when asked for.
func (s *Store) Contacts(ctx context.Context, includeInactive bool) ([]*lantern.Contact, error) {
	if lantern.UserFromContext(ctx) == nil {
		return nil, lantern.Errorf(lantern.EUNAUTHORIZED, "Sign in")
	}
	q := `SELECT ` + contactCols + ` FROM directory_contacts dc JOIN agencies a ON a.id = dc.agency_id`
	if !includeInactive {
		q += ` WHERE dc.active`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY lower(a.name), lower(dc.team), lower(dc.name), dc.id`)
	if err != nil {
		return nil, internal("contacts", err)
	}
	var cs []*lantern.Contact
	byID := map[string]*lantern.Contact{}
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			rows.Close()
			return nil, internal("contacts", err)
		}
		cs = append(cs, c)
		byID[c.ID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("contacts", err)
	}
	rrows, err := s.db.QueryContext(ctx, `SELECT contact_id, role FROM directory_roles`)
	if err != nil {
		return nil, internal("contact roles", err)
	}
	defer rrows.Close()
	for rrows.Next() {
		var id, r string
		if err := rrows.Scan(&id, &r); err != nil {
			return nil, internal("contact roles", err)
		}
		if c := byID[id]; c != nil {
			c.Roles = append(c.Roles, lantern.PathwayRole(r))
		}
	}
	for _, c := range cs {
		sortRoles(c.Roles)
	}
	return cs, internal("contact roles", rrows.Err())
}

// ContactsWithRoles lists the active entries playing each role, from one
// read of the directory.
func (s *Store) ContactsWithRoles(ctx context.Context, roles ...lantern.PathwayRole) (map[lantern.PathwayRole][]*lantern.Contact, error) {
	all, err := s.Contacts(ctx, false)
	if err != nil {
		return nil, err
	}
	out := map[lantern.PathwayRole][]*lantern.Contact{}
	for _, c := range all {
		for _, r := range roles {
			if c.HasRole(r) {
				out[r] = append(out[r], c)
			}
		}
	}
	return out, nil
}
