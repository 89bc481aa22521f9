package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lantern"
)

// The daily reminder digest: who has tasks late or due soon, and the claims
// that make each person's email go once a day however many replicas run.
//
// Each day's run is a row in digest_runs, inserted by the first replica to
// try (ON CONFLICT DO NOTHING); the others see it and stand aside. A run
// whose replica died (unfinished after DigestRunLease) may be taken over, and
// a finished run that had failures is tried again after DigestRetryAfter, up
// to DigestMaxAttempts times. What guarantees one email per person per day
// is the per-person row in digest_sent, claimed just before the email is
// sent: two runs that overlap (a takeover of a slow run, or an operator's
// lantern digest send) cannot both claim the same person. A claim left by a
// replica that died mid-send may be taken over after DigestSendLease, which
// is far longer than a send may take; a failed send is retried by the next
// attempt of the run.

// DigestWindow is how far ahead a task counts as due soon: 7 calendar days.
const DigestWindow = 7

const (
	// DigestRunLease is how long an unfinished run is left to its replica
	// before another may take it over.
	DigestRunLease = 15 * time.Minute
	// DigestSendLease is how long a claim on one person's email is left to
	// the replica sending it before another may take it over.
	DigestSendLease = 10 * time.Minute
	// DigestRetryAfter is how long after a run with failures it is tried
	// again, and DigestMaxAttempts how many times a run or a person's email
	// is tried in one day.
	DigestRetryAfter  = 10 * time.Minute
	DigestMaxAttempts = 3
)

// DigestCount is one person's open tasks for a day's digest: only counts,
// never what the tasks are or whom they are about.
type DigestCount struct {
	UserID string
	Email  string
	// Late is past due; DueToday due later today; DueThisWeek due after
	// today and within DigestWindow days. The three do not overlap.
	Late, DueToday, DueThisWeek int
}

// Total is every task counted.
func (c DigestCount) Total() int { return c.Late + c.DueToday + c.DueThisWeek }

// Detail is the counts as the audit trail records them.
func (c DigestCount) Detail() string {
	return fmt.Sprintf("late=%d today=%d week=%d", c.Late, c.DueToday, c.DueThisWeek)
}

func mustSystem(ctx context.Context) error {
	if !lantern.IsSystem(ctx) {
		return lantern.Errorf(lantern.EFORBIDDEN, "Only the system sends the daily digest")
	}
	return nil
}

// DigestCounts lists, for the day of now in London, each active (not
// disabled) person with open tasks assigned to them that are late or due
// within DigestWindow days, with the counts; people with none are left out.
// The buckets are those of the "my work" page (TeamLoad's): late is past
// due; due today by the end of today; due this week after today and by the
// end of the DigestWindow'th day. Each person's tasks are counted under the
// access rule as it applies to them, so the email agrees with the page it
// links to. Ordered by user id.
func (s *Store) DigestCounts(ctx context.Context, now time.Time) ([]DigestCount, error) {
	if err := mustSystem(ctx); err != nil {
		return nil, err
	}
	today := lantern.Today(now)
	endToday := lantern.EndOfDay(today)
	endWindow := lantern.EndOfDay(lantern.DateOf(today.Time().AddDate(0, 0, DigestWindow)))
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT t.assignee_id FROM tasks t JOIN users u ON u.id = t.assignee_id
		WHERE t.status = 'open' AND t.due_at <= $1 AND NOT u.disabled ORDER BY t.assignee_id`, s.d.ts(endWindow))
	if err != nil {
		return nil, internal("digest people", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, internal("digest people", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("digest people", err)
	}
	var out []DigestCount
	for _, id := range ids {
		u, err := s.queryUser(ctx, s.db, "u.id = $1", id)
		if lantern.ErrorCode(err) == lantern.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		args := []any{u.ID, s.d.ts(now), s.d.ts(endToday), s.d.ts(endWindow)}
		cond, ok := s.childIDVisible(lantern.NewContextWithUser(ctx, u), &args, "t.child_id")
		if !ok {
			continue // they may see no child now, so their work page is empty
		}
		c := DigestCount{UserID: u.ID, Email: u.Email}
		if err := s.db.QueryRowContext(ctx, `SELECT
				COALESCE(SUM(CASE WHEN t.due_at < $2 THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN t.due_at >= $2 AND t.due_at <= $3 THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN t.due_at > $3 THEN 1 ELSE 0 END), 0)
			FROM tasks t
			WHERE t.assignee_id = $1 AND t.status = 'open' AND t.due_at <= $4 AND `+cond, args...).Scan(
			&c.Late, &c.DueToday, &c.DueThisWeek); err != nil {
			return nil, internal("digest counts", err)
		}
		if c.Total() > 0 {
			out = append(out, c)
		}
	}
	return out, nil
}

// DigestRun is the state of a day's run.
type DigestRun struct {
	Day        lantern.Date
	StartedAt  time.Time
	FinishedAt *time.Time
	Runner     string
	Attempts   int
	Sent       int
	Failed     int
}

// Done reports whether the day's run needs nothing more: it finished with
// no failures, or with failures after its last attempt.
func (r *DigestRun) Done() bool {
	return r != nil && r.FinishedAt != nil && (r.Failed == 0 || r.Attempts >= DigestMaxAttempts)
}

// FindDigestRun returns a day's run, or nil if there has been none.
func (s *Store) FindDigestRun(ctx context.Context, day lantern.Date) (*DigestRun, error) {
	if err := mustSystem(ctx); err != nil {
		return nil, err
	}
	return s.digestRun(ctx, s.db, day)
}

func (s *Store) digestRun(ctx context.Context, q querier, day lantern.Date) (*DigestRun, error) {
	r := DigestRun{Day: day}
	err := q.QueryRowContext(ctx, `SELECT started_at, finished_at, runner, attempts, sent, failed FROM digest_runs WHERE day = $1`, day).Scan(
		timeScan{&r.StartedAt}, ntimeScan{&r.FinishedAt}, &r.Runner, &r.Attempts, &r.Sent, &r.Failed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, internal("digest run", err)
	}
	return &r, nil
}

// ClaimDigestRun claims a day's run for runner (a replica's name, for
// operators). It is claimed if nobody has run that day; if the run was left
// unfinished for DigestRunLease (its replica died); or if it finished with
// failures DigestRetryAfter ago and has attempts left. It returns whether
// runner has the run, and the run as it now is.
func (s *Store) ClaimDigestRun(ctx context.Context, day lantern.Date, runner string) (bool, *DigestRun, error) {
	if err := mustSystem(ctx); err != nil {
		return false, nil, err
	}
	now := s.now()
	var claimed bool
	var run *DigestRun
	err := s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO digest_runs (day, started_at, runner, attempts) VALUES ($1, $2, $3, 1)
			ON CONFLICT (day) DO NOTHING`, day, s.d.ts(now), runner)
		if err != nil {
			return internal("claim digest run", err)
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			res, err = tx.ExecContext(ctx, `UPDATE digest_runs SET started_at = $1, finished_at = NULL, runner = $2, attempts = attempts + 1
				WHERE day = $3 AND attempts < $4 AND (
					(finished_at IS NULL AND started_at < $5) OR
					(finished_at IS NOT NULL AND failed > 0 AND finished_at < $6))`,
				s.d.ts(now), runner, day, DigestMaxAttempts, s.d.ts(now.Add(-DigestRunLease)), s.d.ts(now.Add(-DigestRetryAfter)))
			if err != nil {
				return internal("claim digest run", err)
			}
			n, _ = res.RowsAffected()
		}
		claimed = n > 0
		if run, err = s.digestRun(ctx, tx, day); err != nil {
			return err
		}
		if claimed {
			tx.audit(auditEntry{Action: "digest.run", Entity: "digest", EntityID: day.String(), Detail: fmt.Sprintf("attempt=%d", run.Attempts)})
		}
		return nil
	})
	if err != nil {
		return false, nil, err
	}
	return claimed, run, nil
}

// FinishDigestRun records that a day's run is over, with how many emails it
// sent and how many failed.
func (s *Store) FinishDigestRun(ctx context.Context, day lantern.Date, sent, failed int) error {
	if err := mustSystem(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE digest_runs SET finished_at = $1, sent = sent + $2, failed = $3 WHERE day = $4`,
			s.d.ts(s.now()), sent, failed, day); err != nil {
			return internal("finish digest run", err)
		}
		tx.audit(auditEntry{Action: "digest.finish", Entity: "digest", EntityID: day.String(), Detail: fmt.Sprintf("sent=%d failed=%d", sent, failed)})
		return nil
	})
}

// ClaimDigest claims the sending of a person's digest on a day, and reports
// whether the caller has it. Nobody else can claim it until the caller
// records it sent or failed, or DigestSendLease passes. A person already
// sent theirs that day, or whose email failed DigestMaxAttempts times, is
// not claimed.
func (s *Store) ClaimDigest(ctx context.Context, day lantern.Date, userID string) (bool, error) {
	if err := mustSystem(ctx); err != nil {
		return false, err
	}
	now := s.now()
	var claimed bool
	err := s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO digest_sent (user_id, day, status, attempts, claimed_at) VALUES ($1, $2, 'claimed', 1, $3)
			ON CONFLICT (user_id, day) DO NOTHING`, userID, day, s.d.ts(now))
		if err != nil {
			return internal("claim digest", err)
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			res, err = tx.ExecContext(ctx, `UPDATE digest_sent SET status = 'claimed', attempts = attempts + 1, claimed_at = $1
				WHERE user_id = $2 AND day = $3 AND attempts < $4 AND (status = 'failed' OR (status = 'claimed' AND claimed_at < $5))`,
				s.d.ts(now), userID, day, DigestMaxAttempts, s.d.ts(now.Add(-DigestSendLease)))
			if err != nil {
				return internal("claim digest", err)
			}
			n, _ = res.RowsAffected()
		}
		claimed = n > 0
		return nil
	})
	return claimed, err
}

// DigestSent records that a person's digest was sent, with its counts in the
// audit trail (the counts only).
func (s *Store) DigestSent(ctx context.Context, day lantern.Date, c DigestCount) error {
	if err := mustSystem(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE digest_sent SET status = 'sent', sent_at = $1 WHERE user_id = $2 AND day = $3`,
			s.d.ts(s.now()), c.UserID, day); err != nil {
			return internal("digest sent", err)
		}
		tx.audit(auditEntry{Action: "digest.sent", Entity: "user", EntityID: c.UserID, Detail: c.Detail()})
		return nil
	})
}

// DigestFailed records that sending a person's digest failed, so that a later
// attempt of the day's run may try again.
func (s *Store) DigestFailed(ctx context.Context, day lantern.Date, userID string) error {
	if err := mustSystem(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE digest_sent SET status = 'failed' WHERE user_id = $1 AND day = $2 AND status = 'claimed'`,
			userID, day); err != nil {
			return internal("digest failed", err)
		}
		tx.audit(auditEntry{Action: "digest.failed", Entity: "user", EntityID: userID})
		return nil
	})
}

// DigestStatus is a person's digest on a day: "" (none), "claimed", "sent"
// or "failed". For tests and operators.
func (s *Store) DigestStatus(ctx context.Context, day lantern.Date, userID string) (string, error) {
	if err := mustSystem(ctx); err != nil {
		return "", err
	}
	var st string
	err := s.db.QueryRowContext(ctx, `SELECT status FROM digest_sent WHERE user_id = $1 AND day = $2`, userID, day).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return st, internal("digest status", err)
}
