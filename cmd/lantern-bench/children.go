package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"lantern"
	"lantern/app"
	"lantern/match"
	"lantern/store"
)

// The children list scenario (-scenario children): GET /api/v1/children
// with searches, filters and sorts against a store of -children children
// (100,000 by default), through the whole server, which runs in a separate
// process (this program again, with -serve-children) so that the load
// generator's CPU is not the server's. Each target is compared with the
// unfiltered first page measured in the same run. The goal is p95 < 50 ms.

const goalListP95 = 50 * time.Millisecond

// childrenTargets are the requests measured, the unfiltered first page
// first (the comparison).
var childrenTargets = []struct{ name, query string }{
	{"first page (comparison)", ""},
	{"whole name", "q=Amira+Demoton"},
	{"name reversed", "q=Demoton+Amira"},
	{"sounds like", "q=Amyra"},
	{"one name", "q=Demoton"},
	{"start of a name", "q=Ka"},
	{"punctuation", "q=obrien"},
	{"street name", "q=Lil+Mira"},
	{"date of birth", "q=2016-12-02"},
	{"level=high", "level=high"},
	{"high, looked after, -level", "level=high&looked_after=true&sort=-level"},
	{"missing now", "missing_now=true"},
	{"worker", "worker=WORKER"},
	{"sort -level", "sort=-level"},
	{"sort age", "sort=age"},
	{"sort -late", "sort=-late"},
	{"page 100", "offset=2475"},
}

func runChildren(o options) error {
	dir, err := os.MkdirTemp("", "lantern-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, "-serve-children", dir, "-database", o.database, "-children", fmt.Sprint(o.children))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		stdin.Close() // the server stops when its input ends
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("the server process: %w", err)
	}
	f := strings.Fields(line)
	if len(f) != 5 || f[0] != "READY" {
		return fmt.Errorf("the server process said %q", line)
	}
	base, token, worker, dialect := f[1], f[2], f[3], f[4]
	go io.Copy(io.Discard, stdout)
	fmt.Printf("machine: %d CPUs, CPU %s; store: %s with %d children (seeded and started in %s)\n",
		runtime.NumCPU(), cpuModel(), dialect, o.children, time.Since(began).Round(time.Second))
	fmt.Printf("server: a separate process; %d clients; %s warm-up + %s measured per target\n\n", o.clients, o.warmup, o.duration)
	loadStart := loadAvg()

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\ttotal\trequests\terrors\treq/s\tp50\tp95\tp99\tmax\tp95/first page\t")
	var first time.Duration
	var errs []error
	worst := time.Duration(0)
	for i, tg := range childrenTargets {
		u := base + "/api/v1/children"
		if tg.query != "" {
			u += "?" + strings.ReplaceAll(tg.query, "WORKER", url.QueryEscape(worker))
		}
		body, _, err := fetch(u, token)
		if err != nil {
			return err
		}
		total := "?"
		if j := strings.LastIndex(string(body), `"total":`); j >= 0 {
			total = strings.TrimRight(string(body[j+8:]), "}\n")
		}
		r, err := load(tg.name, u, token, o, "", "", nil)
		if err != nil {
			return err
		}
		p95 := r.percentile(0.95)
		if i == 0 {
			first = p95
		}
		worst = max(worst, p95)
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t%.2f\t\n", tg.name, total, r.ok+r.errors, r.errors, r.throughput(),
			ms(r.percentile(0.5)), ms(p95), ms(r.percentile(0.99)), ms(r.percentile(1)), float64(p95)/float64(max(first, 1)))
		if r.errors > 0 {
			errs = append(errs, fmt.Errorf("%s: %d failed requests, first: %v", tg.name, r.errors, r.firstErr))
		}
	}
	tw.Flush()
	fmt.Println()
	fmt.Printf("goal: p95 < %s for every target at %d clients: %s (worst p95 %s)\n", goalListP95, o.clients, verdict(worst < goalListP95), ms(worst))
	fmt.Printf("load average (1, 5, 15 min) at start: %s; at end: %s\n", loadStart, loadAvg())
	if len(errs) > 0 {
		return fmt.Errorf("%v", errs)
	}
	return nil
}

// serveChildren is the server process: it opens Lantern on dir, seeds the
// children, says READY with its address, a token, the social worker's id
// and the dialect, and serves until its input ends.
func serveChildren(dir, database string, n int) error {
	ctx := context.Background()
	c := app.Defaults()
	c.Addr = "127.0.0.1:0"
	c.DataDir = dir
	c.Database = database
	m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
	if err := m.Open(ctx); err != nil {
		m.Close()
		return fmt.Errorf("start Lantern: %w", err)
	}
	defer m.Close()
	child, token, err := seed(ctx, m.Store)
	if err != nil {
		return err
	}
	worker := child.CreatedBy
	if err := seedChildren(ctx, m.Store, worker, n); err != nil {
		return fmt.Errorf("seed children: %w", err)
	}
	fmt.Printf("READY %s %s %s %s\n", m.URL(), token, worker, m.Store.Dialect())
	io.Copy(io.Discard, os.Stdin)
	return nil
}

// Synthetic names, built from syllables: about 900 family names and 400
// given names, so that a name is shared as in a real area.
var (
	syllA = []string{"Ab", "Ban", "Cal", "Dar", "El", "Fen", "Gor", "Hal", "Is", "Jen", "Kel", "Lor", "Mar", "Nor", "Ol", "Pen", "Quin",
		"Ros", "Sal", "Tor", "Ul", "Ven", "Wil", "Yar", "Zan", "Bel", "Cor", "Dun", "Fal", "Gal"}
	syllB = []string{"by", "den", "ford", "ham", "ley", "more", "ton", "well", "wick", "son", "er", "ing", "ridge", "stone", "field",
		"burn", "croft", "dale", "gate", "holm", "hurst", "land", "mere", "nell", "port", "row", "shaw", "thorpe", "wood", "worth"}
	givenA = []string{"Ka", "Ja", "Ma", "La", "Sa", "Ra", "Ta", "Na", "Da", "Ba", "Ca", "Ha", "Za", "Ya", "Fa", "Ga", "Ea", "Ia", "Oa", "Pa"}
	givenB = []string{"i", "den", "ra", "ya", "la", "mir", "son", "ley", "na", "ron", "lie", "vin", "ris", "lia", "nah", "dan", "ro", "mi", "tu", "ko"}
)

// seedChildren inserts n children in bulk, with direct SQL (the store's
// one-at-a-time writes would take many minutes): a tenth looked after, a
// tenth allocated to the bench social worker, levels spread over the five
// (kept on the child as the store keeps them), 1% missing now, 5% with a
// late task, 10% with a street name. A few planted children are the
// searches' targets.
func seedChildren(ctx context.Context, st *store.Store, worker string, n int) error {
	db := st.DB()
	pg := st.Dialect() == "postgres"
	now := time.Now().UTC().Truncate(time.Microsecond)
	ts := func(t time.Time) any {
		if pg {
			return t
		}
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	levels := []string{"", "none", "vulnerable", "emerging", "medium", "high"}
	type child struct {
		id, given, family string
		dob               lantern.Date
	}
	planted := []child{{given: "Amira", family: "Demoton", dob: lantern.Date{Year: 2016, Month: 12, Day: 2}},
		{given: "Sean", family: "O'Brien", dob: lantern.Date{Year: 2012, Month: 6, Day: 15}}}
	const batch = 400
	for start := 0; start < n; start += batch {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		var rows, names, episodes, tasks []string
		var args, nargs, eargs, targs []any
		ph := func(a *[]any, vs ...any) string {
			out := make([]string, len(vs))
			for i, v := range vs {
				*a = append(*a, v)
				out[i] = fmt.Sprintf("$%d", len(*a))
			}
			return "(" + strings.Join(out, ", ") + ")"
		}
		for i := start; i < min(start+batch, n); i++ {
			c := child{id: fmt.Sprintf("bench-%08d", i),
				given:  givenA[i%len(givenA)] + givenB[(i/len(givenA))%len(givenB)],
				family: syllA[(i/7)%len(syllA)] + syllB[(i/(7*len(syllA)))%len(syllB)],
				dob:    lantern.DateOf(time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*37)%(17*365)))}
			if i < len(planted) {
				c.given, c.family, c.dob = planted[i].given, planted[i].family, planted[i].dob
			}
			level := levels[i%len(levels)]
			rank := max(lantern.ChildLevelRank(level), 0)
			var levelOn, sw any
			if level != "" {
				levelOn = lantern.DateOf(now.AddDate(0, 0, -(i % 300)))
			}
			if i%10 == 3 {
				sw = worker
			}
			rows = append(rows, ph(&args, c.id, c.given, c.family, c.dob, "female", 1, ts(now), worker, ts(now), worker,
				match.GivenKey(c.given), match.FamilyKey(c.family), match.Normalise(c.given), match.Normalise(c.family),
				i%10 == 1, sw, level, levelOn, rank))
			if i%10 == 0 {
				name := "Lil " + c.given
				if i == 0 {
					name = "Lil Mira"
				}
				names = append(names, ph(&nargs, c.id+"-n", c.id, name, "street-name", match.NameKey(name), match.Normalise(name), ts(now)))
			}
			if i%100 == 5 {
				episodes = append(episodes, ph(&eargs, c.id+"-e", c.id, "missing", ts(now.Add(-6*time.Hour)), worker, ts(now)))
			}
			if i%20 == 7 {
				due := now.AddDate(0, 0, -3)
				tasks = append(tasks, ph(&targs, c.id+"-t", c.id, "toolkit-reassessment", "open", ts(due.AddDate(0, 0, -7)), lantern.DateOf(due),
					ts(due), "calendar", ts(now)))
			}
		}
		for _, q := range []struct {
			sql  string
			rows []string
			args []any
		}{
			{`INSERT INTO children (id, given_name, family_name, date_of_birth, gender, version, created_at, created_by, updated_at, updated_by,
				given_key, family_key, given_norm, family_norm, looked_after, allocated_social_worker_id, latest_level, latest_level_on, latest_level_rank) VALUES `, rows, args},
			{`INSERT INTO child_names (id, child_id, name, kind, name_key, name_norm, created_at) VALUES `, names, nargs},
			{`INSERT INTO missing_episodes (id, child_id, kind, missing_from, created_by, created_at) VALUES `, episodes, eargs},
			{`INSERT INTO tasks (id, child_id, clock, status, started_at, due_date, due_at, profile, created_at) VALUES `, tasks, targs},
		} {
			if len(q.rows) == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, q.sql+strings.Join(q.rows, ", "), q.args...); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	// Fresh statistics, as a database that has run for a while has.
	analyze := "ANALYZE"
	if !pg {
		analyze = "ANALYZE; PRAGMA optimize"
	}
	_, err := db.ExecContext(ctx, analyze)
	return err
}
