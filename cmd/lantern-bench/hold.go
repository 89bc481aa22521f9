package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"lantern"
)

// runHold is the benchmark that holds still: Lantern, a bare handler and a
// limit handler served by this process, the load driven from another (this
// program with -drive), one target at a time, side by side in one run: the
// bare handler, /healthz, GET /api/v1/me, the audited child read, and the
// limit handler (one indexed read and one durable audit entry: the least
// the audited read can cost). For each: throughput, p50 and p99, this
// process's CPU per request (the server's alone: the load is elsewhere),
// and the ratios to the bare handler and to the limit. With -cpuprofile,
// the child read's first round is profiled.
func runHold(o options) error {
	ctx := context.Background()
	m, stop, err := startApp(ctx, o)
	if err != nil {
		return err
	}
	defer stop()
	st := m.Store
	child, token, err := seed(ctx, st)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	sys := lantern.NewSystemContext(ctx, "lantern-bench limit")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /bare", bareHandler(child))
	mux.HandleFunc("GET /limit", func(w http.ResponseWriter, r *http.Request) {
		name, err := st.BenchLimitRead(sys, child.ID)
		if err != nil {
			http.Error(w, "limit read failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"given_name": name})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	side := "http://" + ln.Addr().String()
	names := []string{"bare", "healthz", "me", "child read", "limit"}
	urls := []string{side + "/bare", m.URL() + "/healthz", m.URL() + "/api/v1/me", m.URL() + "/api/v1/children/" + child.ID, side + "/limit"}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Printf("machine: %s; %s; the load from a separate process, %d clients, %s warm-up + %s per target\n", uptime(), st.Dialect(), o.clients, o.warmup, o.duration)
	type row struct {
		d   driven
		cpu time.Duration
	}
	for round := 1; round <= o.rounds; round++ {
		rows := make([]row, len(urls))
		for i, url := range urls {
			cmd := exec.Command(self, "-drive", url, "-token", token, "-c", strconv.Itoa(o.clients), "-d", o.duration.String(), "-warmup", o.warmup.String())
			cmd.Stderr = os.Stderr
			before := cpuSelf()
			if o.cpuprofile != "" && names[i] == "child read" && round == 1 {
				f, err := os.Create(o.cpuprofile)
				if err != nil {
					return err
				}
				pprof.StartCPUProfile(f)
				defer f.Close()
			}
			out, err := cmd.Output()
			if o.cpuprofile != "" && names[i] == "child read" && round == 1 {
				pprof.StopCPUProfile()
			}
			cpu := cpuSelf() - before
			if err != nil {
				return fmt.Errorf("%s: the load process: %w", names[i], err)
			}
			if err := json.Unmarshal(out, &rows[i].d); err != nil {
				return fmt.Errorf("%s: the load process said %q: %w", names[i], out, err)
			}
			if rows[i].d.Errors > 0 {
				return fmt.Errorf("%s: %d failed, first: %s", names[i], rows[i].d.Errors, rows[i].d.FirstErr)
			}
			rows[i].cpu = cpu
		}
		rate := func(r row) float64 { return float64(r.d.OK) / r.d.Elapsed.Seconds() }
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "target\tround\treq/s\tp50\tp99\tserver CPU/req\tof bare\tof limit\t")
		for i, r := range rows {
			// CPU over warm-up and measure alike, per request over both.
			perReq := time.Duration(float64(r.cpu) / (rate(r) * (o.warmup + o.duration).Seconds()))
			fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%.3f\t%.3f\t\n", names[i], round, rate(r), ms(r.d.P50), ms(r.d.P99), perReq.Round(time.Microsecond),
				rate(r)/rate(rows[0]), rate(r)/rate(rows[4]))
		}
		tw.Flush()
		fmt.Printf("goal: the audited child read >= 0.9 of the limit's throughput: %.3f\n\n", rate(rows[3])/rate(rows[4]))
	}
	if o.replicas > 1 {
		if err := holdReplicas(ctx, o, self, token, m.URL()+"/api/v1/children/"+child.ID); err != nil {
			return err
		}
	}
	fmt.Printf("machine at the end: %s\n", uptime())
	return nil
}

// holdReplicas measures the audited child read through one replica and
// then through two at once on the same database (PostgreSQL), the load
// from separate processes, the clients split between the replicas.
func holdReplicas(ctx context.Context, o options, self, token, first string) error {
	if o.database == "" {
		return fmt.Errorf("-replicas needs -database: replicas share a PostgreSQL")
	}
	m2, stop2, err := startApp(ctx, o)
	if err != nil {
		return err
	}
	defer stop2()
	second := strings.Replace(first, first[:strings.Index(first, "/api/")], m2.URL(), 1)
	driveAll := func(urls []string, clients int) ([]driven, error) {
		out := make([]driven, len(urls))
		errs := make([]error, len(urls))
		var wg sync.WaitGroup
		for i, u := range urls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(self, "-drive", u, "-token", token, "-c", strconv.Itoa(clients), "-d", o.duration.String(), "-warmup", o.warmup.String())
				cmd.Stderr = os.Stderr
				b, err := cmd.Output()
				if err == nil {
					err = json.Unmarshal(b, &out[i])
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		return out, errors.Join(errs...)
	}
	fmt.Printf("the audited child read, one replica against two on one %s database (%d clients in all):\n", "PostgreSQL", o.clients)
	for round := 1; round <= o.rounds; round++ {
		one, err := driveAll([]string{first}, o.clients)
		if err != nil {
			return err
		}
		waits, stopWaits := sampleWaits(m2.Store.DB())
		two, err := driveAll([]string{first, second}, max(1, o.clients/2))
		stopWaits()
		if err != nil {
			return err
		}
		rate := func(d driven) float64 { return float64(d.OK) / d.Elapsed.Seconds() }
		total := rate(two[0]) + rate(two[1])
		fmt.Printf("  round %d: one replica %.0f req/s (p99 %s); two replicas %.0f req/s (%.0f + %.0f; p99 %s and %s); two against one: %.3f (goal >= 0.95)\n",
			round, rate(one[0]), ms(one[0].P99), total, rate(two[0]), rate(two[1]), ms(two[0].P99), ms(two[1].P99), total/rate(one[0]))
		fmt.Printf("    what the database's sessions waited on while two replicas served (sampled every 20 ms): %s\n", waits)
		for _, d := range append(one, two...) {
			if d.Errors > 0 {
				return fmt.Errorf("%d failed, first: %s", d.Errors, d.FirstErr)
			}
		}
	}
	return nil
}

// waitTally counts, sample by sample, what PostgreSQL's active sessions
// were waiting on (pg_stat_activity): a lock every replica takes shows as
// Lock waits that grow with the replicas.
type waitTally struct {
	mu      sync.Mutex
	samples int
	active  int
	by      map[string]int
}

func (w *waitTally) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	keys := make([]string, 0, len(w.by))
	for k := range w.by {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return w.by[b] - w.by[a] })
	var b strings.Builder
	fmt.Fprintf(&b, "%d samples, %d active sessions seen", w.samples, w.active)
	for i, k := range keys {
		if i == 6 {
			break
		}
		fmt.Fprintf(&b, "; %s %d", k, w.by[k])
	}
	lock := 0
	for k, n := range w.by {
		if strings.HasPrefix(k, "Lock/") {
			lock += n
		}
	}
	fmt.Fprintf(&b, "; heavyweight lock waits in all: %d", lock)
	return b.String()
}

// sampleWaits samples pg_stat_activity every 20 ms until stop is called.
func sampleWaits(db *sql.DB) (*waitTally, func()) {
	w := &waitTally{by: map[string]int{}}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			rows, err := db.Query(`SELECT COALESCE(wait_event_type, 'CPU'), COALESCE(wait_event, '') FROM pg_stat_activity
				WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()`)
			if err != nil {
				continue
			}
			w.mu.Lock()
			w.samples++
			for rows.Next() {
				var typ, ev string
				if rows.Scan(&typ, &ev) == nil {
					w.active++
					w.by[typ+"/"+ev]++
				}
			}
			w.mu.Unlock()
			rows.Close()
		}
	}()
	return w, func() { close(done); <-finished }
}

// cpuSelf is this process's CPU time so far (user and system).
func cpuSelf() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
