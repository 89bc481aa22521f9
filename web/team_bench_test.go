package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store"
)

// BenchmarkTeamPage times the manager's team page, through the whole server,
// with 10,000 open tasks over 200 workers. Run it with
//
//	go test -run '^$' -bench TeamPage -benchtime 200x ./web/
//
// It reports p50, p95 and p99 latency (goal: p95 under 50 ms), and the same
// for the JSON team summary, in the same run for comparison.
func BenchmarkTeamPage(b *testing.B) {
	for _, d := range []string{"sqlite"} {
		b.Run(d, func(b *testing.B) {
			srv := apptest.Start(b, d, apptest.Options{})
			manager := seedTeam(b, srv.Store, srv.Fixture.CSC.ID, 200, 2000, 10000)
			token, err := srv.Store.StartSession(context.Background(), manager, store.StageSignedIn, "")
			if err != nil {
				b.Fatal(err)
			}
			for _, path := range []string{"/work/team", "/api/v1/work/team"} {
				b.Run(path, func(b *testing.B) {
					lat := make([]time.Duration, 0, b.N)
					client := &http.Client{}
					get := func() {
						req, _ := http.NewRequest("GET", srv.URL+path, nil)
						req.AddCookie(&http.Cookie{Name: "lantern_session", Value: token})
						start := time.Now()
						resp, err := client.Do(req)
						if err != nil {
							b.Fatal(err)
						}
						var buf [32 << 10]byte
						for {
							if _, err := resp.Body.Read(buf[:]); err != nil {
								break
							}
						}
						resp.Body.Close()
						lat = append(lat, time.Since(start))
						if resp.StatusCode != 200 {
							b.Fatalf("%s: %d", path, resp.StatusCode)
						}
					}
					get() // warm
					lat = lat[:0]
					b.ResetTimer()
					for range b.N {
						get()
					}
					b.StopTimer()
					slices.Sort(lat)
					q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
					b.ReportMetric(q(0.50), "p50-ms")
					b.ReportMetric(q(0.95), "p95-ms")
					b.ReportMetric(q(0.99), "p99-ms")
				})
			}
		})
	}
}

// seedTeam loads workers, children and open tasks straight into the
// database, and returns a manager's id.
func seedTeam(b *testing.B, st *store.Store, agencyID string, workers, children, tasks int) string {
	b.Helper()
	ctx := context.Background()
	db := st.DB()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	ts := func(t time.Time) any {
		if st.Dialect() == "postgres" {
			return t
		}
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	exec := func(q string, args ...any) {
		if _, err := tx.Exec(q, args...); err != nil {
			b.Fatal(err)
		}
	}
	manager := "bench-manager"
	exec(`INSERT INTO users (id, email, name, agency_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`, manager, "manager@bench.example.org", "Bench Manager", agencyID, ts(now))
	exec(`INSERT INTO user_roles (user_id, role) VALUES ($1, 'manager')`, manager)
	for i := range workers {
		id := fmt.Sprintf("bench-worker-%03d", i)
		exec(`INSERT INTO users (id, email, name, agency_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
			id, fmt.Sprintf("worker%03d@bench.example.org", i), fmt.Sprintf("Worker %03d", i), agencyID, ts(now))
		exec(`INSERT INTO user_roles (user_id, role) VALUES ($1, 'social-worker')`, id)
	}
	for i := range children {
		exec(`INSERT INTO children (id, given_name, family_name, date_of_birth, gender, version, created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, 'female', 1, $5, $6, $5, $6)`, fmt.Sprintf("bench-child-%05d", i), "Given", fmt.Sprintf("Benchfamily%05d", i),
			lantern.Date{Year: 2010 + i%8, Month: time.Month(1 + i%12), Day: 1 + i%28}, ts(now), manager)
	}
	clocks := []string{"referral-decision", "assessment", "icpc", "core-group", "first-review", "return-interview"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range tasks {
		due := now.Add(time.Duration(r.IntN(90*24)-30*24) * time.Hour)
		exec(`INSERT INTO tasks (id, child_id, clock, status, started_at, due_date, due_at, profile, assignee_id, team_agency_id, created_at)
			VALUES ($1, $2, $3, 'open', $4, $5, $6, 'wt2023', $7, $8, $4)`, fmt.Sprintf("bench-task-%05d", i), fmt.Sprintf("bench-child-%05d", r.IntN(children)),
			clocks[r.IntN(len(clocks))], ts(now.Add(-30*24*time.Hour)), lantern.Today(due), ts(due), fmt.Sprintf("bench-worker-%03d", r.IntN(workers)), agencyID)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if st.Dialect() == "sqlite" {
		db.Exec(`ANALYZE`)
	}
	return manager
}
