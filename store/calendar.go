package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"lantern"
	"lantern/workday"
)

// ClosureDay is a day the area is closed beyond the bank holidays.
type ClosureDay struct {
	Day  lantern.Date
	Name string
}

// ClosureDays lists the closure days, soonest first.
func (s *Store) ClosureDays(ctx context.Context) ([]ClosureDay, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT day, name FROM closure_days ORDER BY day`)
	if err != nil {
		return nil, internal("closure days", err)
	}
	defer rows.Close()
	var out []ClosureDay
	for rows.Next() {
		var c ClosureDay
		if err := rows.Scan(&c.Day, &c.Name); err != nil {
			return nil, internal("closure days", err)
		}
		out = append(out, c)
	}
	return out, internal("closure days", rows.Err())
}

// AddClosureDay closes a day: deadlines set from now on skip it; those
// already set are not rewritten. Administrators only.
func (s *Store) AddClosureDay(ctx context.Context, day lantern.Date, name string) error {
	if err := mustAdminister(ctx); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	var p lantern.Problems
	if day.IsZero() {
		p.Add("day", "Enter the day as YYYY-MM-DD")
	}
	if name == "" {
		p.Add("name", "Say why the area is closed, for example: extra bank holiday")
	} else if utf8.RuneCountInString(name) > 200 {
		p.Add("name", "The name must be 200 characters or fewer")
	}
	if err := p.Err(); err != nil {
		return err
	}
	by := ""
	if u := lantern.UserFromContext(ctx); u != nil {
		by = u.ID
	}
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO closure_days (day, name, created_by, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (day) DO UPDATE SET name = excluded.name`, day, name, by, s.d.ts(s.now())); err != nil {
			return internal("closure day", err)
		}
		tx.audit(auditEntry{Action: "calendar.closure.add", Entity: "closure_day", EntityID: day.String()})
		return nil
	})
}

// RemoveClosureDay opens a closed day again. Administrators only.
func (s *Store) RemoveClosureDay(ctx context.Context, day lantern.Date) error {
	if err := mustAdminister(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM closure_days WHERE day = $1`, day)
		if err != nil {
			return internal("closure day", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lantern.NotFound("Closure day")
		}
		tx.audit(auditEntry{Action: "calendar.closure.remove", Entity: "closure_day", EntityID: day.String()})
		return nil
	})
}

// LoadBankHolidays replaces the published bank-holiday lists with those in
// a file in GOV.UK's bank-holidays JSON format; for the years a list covers
// it is used instead of the built-in rules. Administrators only.
func (s *Store) LoadBankHolidays(ctx context.Context, raw []byte) (map[workday.Region]int, error) {
	if err := mustAdminister(ctx); err != nil {
		return nil, err
	}
	lists, err := workday.ParseGovUK(raw)
	if err != nil {
		return nil, lantern.Invalid(lantern.FieldError{Field: "file", Message: err.Error()})
	}
	counts := map[workday.Region]int{}
	err = s.write(ctx, func(tx *tx) error {
		for region, hs := range lists {
			if _, err := tx.ExecContext(ctx, `DELETE FROM bank_holidays WHERE region = $1`, string(region)); err != nil {
				return internal("bank holidays", err)
			}
			for _, h := range hs {
				if _, err := tx.ExecContext(ctx, `INSERT INTO bank_holidays (region, day, name) VALUES ($1, $2, $3)
					ON CONFLICT (region, day) DO UPDATE SET name = excluded.name`, string(region), h.Date, h.Name); err != nil {
					return internal("bank holidays", err)
				}
			}
			counts[region] = len(hs)
		}
		tx.audit(auditEntry{Action: "calendar.bank-holidays.load", Entity: "bank_holidays"})
		return nil
	})
	return counts, err
}

// Calendar is the area's calendar now, for showing it.
func (s *Store) Calendar(ctx context.Context) (*workday.Calendar, error) {
	return s.workCalendar(ctx, s.db)
}

// CalendarRegion is the deployment's bank-holiday region.
func (s *Store) CalendarRegion() string { return s.calendar }
