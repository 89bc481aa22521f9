// Command lantern-matchbench measures finding possible matches for a new
// child (store.FindMatches) among many synthetic children: it bulk-loads N
// children (British names with their usual spelling variants, dates of birth
// over 18 years, one in ten with an other name, each involved with one or two
// of five agencies), then runs queries as a children's social care worker
// (who sees every child) and as a school practitioner (who sees the children
// the school is involved with), and reports each one's latency: p50, p95,
// p99 and max, against the goal of p95 under 50 ms. Half the queries are for
// a child who is there, misspelled or with the date mistyped (and the
// report says how often that child was found), half for random children.
//
//	go run ./cmd/lantern-matchbench                       # SQLite, 1,000,000 children
//	go run ./cmd/lantern-matchbench -n 200000 -queries 1000
//	go run ./cmd/lantern-matchbench -database postgres://... # PostgreSQL, in a schema of its own
//
// Every query is measured whole, as the application calls it: the candidate
// query, scoring, reading the records shown and the audited read that
// records which children were shown. Queries run one at a time; cpu/q is
// the CPU time the process used per query (both CPUs), which, unlike the
// latencies, does not grow when other work on the machine competes.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"lantern"
	"lantern/match"
	"lantern/match/matchtest"
	"lantern/store"
)

const goalP95 = 50 * time.Millisecond

type options struct {
	n, queries, warmup int
	database           string
	seed               uint64
	analyze, keep      bool
	cpuprofile, reuse  string
	pragma             string
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 1_000_000, "synthetic children to load")
	flag.IntVar(&o.queries, "queries", 500, "measured queries per user")
	flag.IntVar(&o.warmup, "warmup", 20, "unmeasured queries per user first")
	flag.StringVar(&o.database, "database", "", "PostgreSQL URL (postgres://...); SQLite in a temporary folder when empty")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the synthetic data and queries")
	flag.BoolVar(&o.analyze, "analyze", true, "ANALYZE the tables after loading")
	flag.BoolVar(&o.keep, "keep", false, "keep the database (SQLite folder or PostgreSQL schema) afterwards")
	flag.StringVar(&o.reuse, "reuse", "", "use a database kept (-keep) by a run with the same -n and -seed on the same day: its SQLite folder, or its PostgreSQL schema")
	flag.StringVar(&o.pragma, "sqlite-pragma", "", `experiment: run "PRAGMA this" on each of the store's SQLite read connections (e.g. cache_size=-65536)`)
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if o.n < 1 || o.queries < 1 || o.warmup < 0 {
		fmt.Fprintln(os.Stderr, "lantern-matchbench: -n and -queries must be positive")
		os.Exit(2)
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "lantern-matchbench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
	}
	err := run(o)
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lantern-matchbench: FAIL:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	ctx := context.Background()
	st, cleanup, err := open(ctx, o)
	if err != nil {
		return err
	}
	defer cleanup()
	fmt.Printf("machine: %s/%s, %d CPUs (GOMAXPROCS %d), %s; database: %s; load average %s\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), st.Dialect(), loadAvg())

	// Agencies and the two users, through the store.
	sys := lantern.NewSystemContext(ctx, "lantern-matchbench")
	sw, teacher, agencies, err := people(ctx, sys, st, o.reuse != "")
	if err != nil {
		return err
	}

	// The children.
	today := lantern.Today(time.Now())
	gen := matchtest.NewGenerator(o.seed, today)
	ids := make([]string, len(agencies))
	for i, a := range agencies {
		ids[i] = a.ID
	}
	l := &matchtest.Loader{DB: st.DB(), Postgres: st.Dialect() == "postgres", CreatedBy: sw.ID, Agencies: ids,
		Sample: 4 * (o.queries + o.warmup), NoWrite: o.reuse != ""}
	start := time.Now()
	err = l.Load(ctx, gen, o.n, func(done int) {
		if done%100_000 == 0 {
			fmt.Printf("  loaded %d children in %s\n", done, time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	loadTime := time.Since(start)
	counts := map[string]int{}
	for _, t := range []string{"children", "involvements", "child_names"} {
		var n int
		if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return err
		}
		counts[t] = n
	}
	if o.reuse != "" {
		fmt.Printf("reused: %d children, %d agency links, %d other names\n", counts["children"], counts["involvements"], counts["child_names"])
	} else {
		fmt.Printf("load: %d children, %d agency links, %d other names in %s (%.0f children/s)\n",
			counts["children"], counts["involvements"], counts["child_names"], loadTime.Round(time.Millisecond),
			float64(o.n)/loadTime.Seconds())
	}
	if o.analyze && o.reuse == "" {
		start := time.Now()
		stmts := []string{"ANALYZE"}
		if st.Dialect() == "postgres" {
			stmts = []string{"ANALYZE children", "ANALYZE child_agencies", "ANALYZE child_names"}
		}
		for _, s := range stmts {
			if _, err := st.DB().ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		fmt.Printf("analyze: %s\n", time.Since(start).Round(time.Millisecond))
	}

	if o.pragma != "" && st.Dialect() == "sqlite" {
		if err := pragma(ctx, st.DB(), o.pragma); err != nil {
			return err
		}
		fmt.Printf("experiment: PRAGMA %s on the read pool\n", o.pragma)
	}

	// The queries: the same ones for both users.
	type query struct {
		q    match.Query
		want string // the child misspelled, or ""
		p    matchtest.Person
	}
	var qs []query
	for i := range o.warmup + o.queries {
		if i%2 == 0 && len(l.Kept) > 0 {
			p := l.Kept[(i*7919)%len(l.Kept)]
			qs = append(qs, query{gen.Misspell(p), p.ID, p})
		} else {
			qs = append(qs, query{q: gen.Random()})
		}
	}
	fmt.Printf("queries: %d per user after %d unmeasured; half misspell a child who is there, half are random\n\n", o.queries, o.warmup)
	fmt.Printf("%-34s %8s %8s %8s %8s %8s %8s %10s %s\n", "user", "p50", "p95", "p99", "max", "mean", "cpu/q", "matches/q", "found the child misspelled")
	var fails []error
	for _, u := range []struct {
		name string
		u    *lantern.User
	}{{"social worker (sees all)", sw}, {"school practitioner (agency scope)", teacher}} {
		as := lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, u.u), lantern.RequestInfo{IP: "127.0.0.1", Why: "lantern-matchbench"})
		var lat []time.Duration
		matches, wanted, found := 0, 0, 0
		var missed []string
		cpu0 := cpuTime()
		for i, q := range qs {
			t0 := time.Now()
			res, err := st.FindMatches(as, q.q, 10)
			d := time.Since(t0)
			if err != nil {
				return fmt.Errorf("%s: find matches: %w", u.name, err)
			}
			if i < o.warmup {
				continue
			}
			lat = append(lat, d)
			matches += len(res)
			if q.want != "" && u.u == sw {
				wanted++
				if slices.ContainsFunc(res, func(m store.Match) bool { return m.Child.ID == q.want }) {
					found++
				} else {
					missed = append(missed, fmt.Sprintf("%s %s %s for %s %s %s", q.q.GivenName, q.q.FamilyName, q.q.DateOfBirth,
						q.p.GivenName, q.p.FamilyName, q.p.DateOfBirth))
				}
			}
		}
		cpu := (cpuTime() - cpu0) / time.Duration(len(qs))
		slices.Sort(lat)
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		recall := "(not all visible)"
		if wanted > 0 {
			recall = fmt.Sprintf("%d of %d (%.1f%%)", found, wanted, 100*float64(found)/float64(wanted))
		}
		p95 := pct(lat, 0.95)
		fmt.Printf("%-34s %8s %8s %8s %8s %8s %8s %10.2f %s\n", u.name, ms(pct(lat, 0.50)), ms(p95), ms(pct(lat, 0.99)),
			ms(lat[len(lat)-1]), ms(sum/time.Duration(len(lat))), ms(cpu), float64(matches)/float64(len(lat)), recall)
		for i, m := range missed {
			if i == 8 {
				fmt.Printf("    (and %d more)\n", len(missed)-i)
				break
			}
			fmt.Printf("    not found: %s\n", m)
		}
		if p95 >= goalP95 {
			fails = append(fails, fmt.Errorf("%s: p95 %s", u.name, ms(p95)))
		}
	}
	fmt.Println()
	verdict := "met"
	if len(fails) > 0 {
		verdict = "NOT met (" + errors.Join(fails...).Error() + ")"
	}
	fmt.Printf("goal: p95 < %s among %d children on %s: %s\n", ms(goalP95), o.n, st.Dialect(), verdict)
	fmt.Printf("load average at end: %s\n", loadAvg())
	return nil
}

// people makes, or with reuse finds, the agencies and the two users.
func people(ctx, sys context.Context, st *store.Store, reuse bool) (sw, teacher *lantern.User, agencies []*lantern.Agency, err error) {
	names := []lantern.AgencyInput{
		{Name: "Bench Children's Services", Kind: lantern.KindChildrensSocialCare},
		{Name: "Bench Primary School", Kind: lantern.KindEducation},
		{Name: "Bench Academy", Kind: lantern.KindEducation},
		{Name: "Bench Police", Kind: lantern.KindPolice},
		{Name: "Bench Health Visiting", Kind: lantern.KindHealth},
	}
	if reuse {
		for _, a := range names {
			ag, err := st.FindAgency(sys, a.Name)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("agency %s: %w", a.Name, err)
			}
			agencies = append(agencies, ag)
		}
		us, err := st.Users(sys)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, u := range us {
			switch u.Email {
			case "sw@bench.example.org":
				sw = u
			case "teacher@bench.example.org":
				teacher = u
			}
		}
		if sw == nil || teacher == nil {
			return nil, nil, nil, errors.New("the users of the benchmark are not in the database reused")
		}
		return sw, teacher, agencies, nil
	}
	for _, a := range names {
		ag, err := st.CreateAgency(sys, a)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("agency: %w", err)
		}
		agencies = append(agencies, ag)
	}
	pw := make([]byte, 16)
	rand.Read(pw)
	user := func(email string, a *lantern.Agency, r lantern.Role) (*lantern.User, error) {
		return st.CreateUser(sys, lantern.UserInput{Email: email, Name: "Bench " + string(r), AgencyID: a.ID,
			Roles: []lantern.Role{r}, Password: hex.EncodeToString(pw)})
	}
	if sw, err = user("sw@bench.example.org", agencies[0], lantern.RoleSocialWorker); err != nil {
		return nil, nil, nil, fmt.Errorf("user: %w", err)
	}
	if teacher, err = user("teacher@bench.example.org", agencies[1], lantern.RolePractitioner); err != nil {
		return nil, nil, nil, fmt.Errorf("user: %w", err)
	}
	return sw, teacher, agencies, nil
}

// open opens a fresh store: SQLite in a temporary folder, or PostgreSQL in
// a schema of its own.
func open(ctx context.Context, o options) (*store.Store, func(), error) {
	dir, err := os.MkdirTemp("", "lantern-matchbench-")
	if err != nil {
		return nil, nil, err
	}
	keep := o.keep || o.reuse != ""
	if o.reuse != "" && o.database == "" {
		os.Remove(dir)
		dir = o.reuse
	}
	cfg := store.Config{DataDir: dir}
	drop := func() {}
	if o.database != "" {
		b := make([]byte, 4)
		rand.Read(b)
		schema := "matchbench_" + hex.EncodeToString(b)
		admin, err := sql.Open("pgx", o.database)
		if err != nil {
			return nil, nil, err
		}
		if o.reuse != "" {
			schema = o.reuse
		} else if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			admin.Close()
			return nil, nil, fmt.Errorf("create schema: %w", err)
		}
		drop = func() {
			if keep {
				fmt.Printf("kept schema %s\n", schema)
			} else if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				fmt.Fprintf(os.Stderr, "drop schema %s: %v\n", schema, err)
			}
			admin.Close()
		}
		u, err := url.Parse(o.database)
		if err != nil {
			drop()
			return nil, nil, err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		cfg.Postgres = u.String()
	}
	st, err := store.Open(ctx, cfg)
	if err == nil {
		err = st.Migrate(ctx)
	}
	cleanup := func() {
		if st != nil {
			st.Close()
		}
		drop()
		if keep && o.database == "" {
			fmt.Printf("kept %s\n", dir)
		} else {
			os.RemoveAll(dir)
		}
	}
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return st, cleanup, nil
}

// pragma runs a PRAGMA on every connection of the read pool: it holds them
// all at once, so each is a different one.
func pragma(ctx context.Context, db *sql.DB, p string) error {
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range db.Stats().MaxOpenConnections {
		c, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		if _, err := c.ExecContext(ctx, "PRAGMA "+p); err != nil {
			return err
		}
	}
	return nil
}

// cpuTime is the CPU time (user and system) this process has used: with
// the latencies, it shows how much of a query's time was spent waiting for
// a CPU on a busy machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func pct(sorted []time.Duration, p float64) time.Duration {
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
