package main

// The front door scenario: GET /api/v1/front-door (the first 200 of the
// referrals waiting, immediate risk first; the page reads the same query)
// in an area of 100,000 children with 10,000 referrals
// waiting for a decision, through the whole server, with the load from a
// separate process; in the same run, for comparison, the queue's first 20.
// The children and referrals are written in bulk with SQL: the scenario
// measures reading the queue, not making it.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"lantern"
	"lantern/store"
)

const (
	fdChildren  = 100_000
	fdReferrals = 10_000
)

func runFrontDoor(o options) error {
	ctx := context.Background()
	seeded := time.Now()
	m, stop, _, token, err := startWithWorker(o)
	if err != nil {
		return err
	}
	defer stop()
	if err := fdSeed(ctx, m.Store); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	base := m.URL()
	targets := []struct{ name, url string }{
		{"api first 20 (comparison)", base + "/api/v1/front-door?limit=20"},
		{"api first 200", base + "/api/v1/front-door"},
	}
	for _, tg := range targets[:2] {
		body, _, err := fetch(tg.url, token)
		if err != nil {
			return err
		}
		if !strings.Contains(string(body), fmt.Sprintf(`"total":%d`, fdReferrals)) {
			return fmt.Errorf("%s: the queue does not hold %d referrals: %.200s", tg.name, fdReferrals, body)
		}
	}
	fmt.Printf("seeded %d children and %d waiting referrals in %s; store %s; %d clients in a separate process; %s warm-up + %s measured per target per round; %d round(s)\n",
		fdChildren, fdReferrals, time.Since(seeded).Round(time.Millisecond), m.Store.Dialect(), o.clients, o.warmup, o.duration, o.rounds)
	fmt.Printf("machine: %s\n\n", uptime())
	names, urls := make([]string, len(targets)), make([]string, len(targets))
	for i, tg := range targets {
		names[i], urls[i] = tg.name, tg.url
	}
	return driveTargets(o, token, names, urls)
}

// fdSeed writes the children and referrals in batches, in one transaction.
func fdSeed(ctx context.Context, st *store.Store) error {
	db := st.DB()
	var creator string
	if err := db.QueryRowContext(ctx, `SELECT id FROM users ORDER BY created_at LIMIT 1`).Scan(&creator); err != nil {
		return err
	}
	var agency string
	if err := db.QueryRowContext(ctx, `SELECT agency_id FROM users WHERE id = $1`, creator).Scan(&agency); err != nil {
		return err
	}
	pg := st.Dialect() == "postgres"
	ts := func(t time.Time) any {
		if pg {
			return t.UTC()
		}
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	given := []string{"Amira", "Jade", "Kacey", "Lena", "Nia", "Imogen", "Tyler", "Callum", "Ruby", "Maya"}
	family := []string{"Demoton", "Whitlow", "Dunmore", "Okafor", "Castell", "Farrant", "Brennan", "Hussain", "O'Brien", "Nowak"}
	ids := make([]string, fdChildren)
	const batch = 500
	for i := 0; i < fdChildren; i += batch {
		var sb strings.Builder
		sb.WriteString(`INSERT INTO children (id, given_name, family_name, date_of_birth, gender, version, created_at, created_by, updated_at, updated_by) VALUES `)
		var args []any
		for j := i; j < min(i+batch, fdChildren); j++ {
			ids[j] = fmt.Sprintf("bench-child-%06d", j)
			if j > i {
				sb.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, 'female', 1, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+5, n+6)
			dob := lantern.DateOf(time.Date(2008+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 12, 0, 0, 0, time.UTC))
			args = append(args, ids[j], given[rng.IntN(len(given))], family[rng.IntN(len(family))], dob.String(), ts(now), creator)
		}
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return err
		}
	}
	for i := 0; i < fdReferrals; i += batch {
		var sb strings.Builder
		sb.WriteString(`INSERT INTO referrals (id, child_id, received_at, method, referrer_name, referrer_agency, version, created_by, created_at,
			source, from_agency_id, immediate_risk, decision_due_at) VALUES `)
		var args []any
		for j := i; j < min(i+batch, fdReferrals); j++ {
			if j > i {
				sb.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&sb, "($%d, $%d, $%d, 'online', 'Bench Referrer', 'Bench School', 1, $%d, $%d, 'concern', $%d, $%d, $%d)",
				n+1, n+2, n+3, n+4, n+3, n+5, n+6, n+7)
			received := now.Add(-time.Duration(rng.IntN(30*24*60)) * time.Minute)
			args = append(args, fmt.Sprintf("bench-ref-%05d", j), ids[rng.IntN(fdChildren)], ts(received), creator, agency, rng.IntN(50) == 0,
				ts(received.Add(24*time.Hour)))
		}
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `ANALYZE`)
	return err
}
