// Command lantern-bench measures an authenticated child-record read through
// the whole of Lantern (HTTP server, middleware, API token check, the store's
// access rule, the audited read and its group commit, JSON) against a bare
// net/http handler answering a child-like JSON body, on the same machine
// with the same load generator, and reports throughput, latency and the
// ratio between the two. A third target, GET /api/v1/me through the same
// stack with the same token, shows what is left when no record is read and
// so no audit entry is written.
//
//	go run ./cmd/lantern-bench                        # SQLite, 32 clients, 10s
//	go run ./cmd/lantern-bench -c 32 -d 10s -rounds 2
//	go run ./cmd/lantern-bench -database postgres://... # PostgreSQL instead
//	go run ./cmd/lantern-bench -cpuprofile cpu.pprof -memprofile mem.pprof  # then go tool pprof -top
//	go run ./cmd/lantern-bench -trace trace.out  # then go tool trace -pprof=sched trace.out
//	go run ./cmd/lantern-bench -scenario chronology -c 8 -d 10s -rounds 2  # a child's chronology, load from another process
//	go run ./cmd/lantern-bench -scenario front-door -c 8 -d 10s -rounds 2  # the front door's queue: 100,000 children, 10,000 waiting
//	go run ./cmd/lantern-bench -scenario children -c 4 -d 5s  # the children list at 100,000 children
//	go run ./cmd/lantern-bench -scenario extract -children 200000  # a child-level extract of a million missing episodes (extract.go)
//	go run ./cmd/lantern-bench -scenario figures -data /work/gen-national  # the partnership's figures at the national preset (figures.go)
//
// -scenario children measures GET /api/v1/children searched, filtered and
// sorted (children.go), the server in a separate process.
//
// It is a report, not a test: it exits 0 whether or not the goals are met,
// and non-zero only if a request fails or the audit trail is not as it must
// be (one entry per read, chain intact).
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"lantern"
	"lantern/app"
	"lantern/store"
)

// The goals the benchmark reports against.
const (
	goalRatio = 0.25
	goalP99   = 10 * time.Millisecond
)

type options struct {
	clients    int
	conns      int
	replicas   int
	duration   time.Duration
	warmup     time.Duration
	rounds     int
	database   string
	cpuprofile string
	memprofile string
	trace      string
	scenario   string
	drive      string
	token      string
	children   int
	scale      float64
	seed       int64
	resolve    bool
	data       string
}

func main() {
	var o options
	flag.IntVar(&o.clients, "c", 32, "concurrent clients")
	flag.DurationVar(&o.duration, "d", 10*time.Second, "measured duration per target per round")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured warm-up per target per round")
	flag.IntVar(&o.rounds, "rounds", 1, "rounds: each measures the bare handler, then Lantern")
	flag.StringVar(&o.database, "database", "", "PostgreSQL URL (postgres://...); SQLite in a temporary folder when empty")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the measured Lantern runs to this file")
	flag.StringVar(&o.memprofile, "memprofile", "", "write an allocation profile of the whole run to this file (see -focus=lantern in pprof)")
	flag.StringVar(&o.trace, "trace", "", "write an execution trace of the measured Lantern runs to this file (go tool trace)")
	flag.StringVar(&o.scenario, "scenario", "read", "read (a child's record against a bare handler), children (the children list, searched and filtered), chronology (chronology.go) front-door (frontdoor.go), intel (intel.go), overload (overload.go: admission control at twice capacity, from another process) hold (hold.go: bare, healthz, me, the child read and the limit handler, the load from another process), figures (figures.go: the national generated set's reports, with -data DIR) or extract (extract.go: a child-level extract of -children children with five missing episodes each, 200,000 by default)")
	flag.StringVar(&o.drive, "drive", "", "internal: drive load at this URL and print the result as JSON (the chronology and front-door scenarios' load process)")
	flag.StringVar(&o.token, "token", "", "internal: the API token for -drive")
	flag.IntVar(&o.children, "children", 100000, "children seeded for -scenario children")
	serve := flag.String("serve-children", "", "(internal) serve the children scenario's Lantern from this folder")
	serveExtractDir := flag.String("serve-extract", "", "(internal) serve the extract scenario's Lantern from this folder")
	serveIntelDir := flag.String("serve-intel", "", "(internal) serve the intelligence scenario's Lantern from this folder")
	flag.Float64Var(&o.scale, "scale", 0.01, "-scenario intel: the generated set's scale (1 is 2 million entities, 10 million links)")
	flag.Int64Var(&o.seed, "seed", 1, "-scenario intel: the generator's seed")
	flag.IntVar(&o.replicas, "replicas", 1, "-scenario hold with -database: also measure the child read through two replicas at once against one")
	flag.IntVar(&o.conns, "conns", 8000, "-scenario overload: connections the doubled load is offered over")
	flag.StringVar(&o.data, "data", "", "-scenario figures: the folder the national set is generated in (when it holds none) and measured from")
	flag.BoolVar(&o.resolve, "resolve", true, "-scenario intel: train and resolve everyone again at the end, against the truth")
	flag.Parse()
	if *serveIntelDir != "" {
		if err := serveIntel(*serveIntelDir, o.database); err != nil {
			fmt.Fprintln(os.Stderr, "lantern-bench: server:", err)
			os.Exit(1)
		}
		return
	}
	if *serveExtractDir != "" {
		if err := serveExtract(*serveExtractDir, o.database, o.children); err != nil {
			fmt.Fprintln(os.Stderr, "lantern-bench: server:", err)
			os.Exit(1)
		}
		return
	}
	if o.scenario == "extract" {
		if !isSet("children") {
			o.children = 200000
		}
		if err := runExtract(o); err != nil {
			fmt.Fprintln(os.Stderr, "lantern-bench: FAIL:", err)
			os.Exit(1)
		}
		return
	}
	if *serve != "" {
		if err := serveChildren(*serve, o.database, o.children); err != nil {
			fmt.Fprintln(os.Stderr, "lantern-bench: server:", err)
			os.Exit(1)
		}
		return
	}
	if o.scenario == "children" {
		if err := runChildren(o); err != nil {
			fmt.Fprintln(os.Stderr, "lantern-bench: FAIL:", err)
			os.Exit(1)
		}
		return
	}
	if o.clients < 1 || o.duration <= 0 || o.warmup < 0 || o.rounds < 1 {
		fmt.Fprintln(os.Stderr, "lantern-bench: -c, -d and -rounds must be positive, -warmup not negative")
		os.Exit(2)
	}
	runner := run
	switch {
	case o.drive != "":
		runner = drive
	case o.scenario == "front-door":
		runner = runFrontDoor
	case o.scenario == "chronology":
		runner = runChronology
	case o.scenario == "intel":
		runner = runIntel
	case o.scenario == "overload":
		runner = runOverload
	case o.scenario == "hold":
		runner = runHold
	case o.scenario == "figures":
		runner = runFigures
	case o.scenario != "read":
		fmt.Fprintln(os.Stderr, "lantern-bench: unknown -scenario "+o.scenario)
		os.Exit(2)
	}
	if err := runner(o); err != nil {
		fmt.Fprintln(os.Stderr, "lantern-bench: FAIL:", err)
		os.Exit(1)
	}
}

func run(o options) error {
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
	lanternURL := m.URL() + "/api/v1/children/" + child.ID
	// The same stack and token, reading no child's record (so writing no
	// audit entry): the difference from it is the record's query and its
	// durable audit.
	meURL := m.URL() + "/api/v1/me"

	// The bare handler, on a server of its own.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	bareSrv := &http.Server{Handler: bareHandler(child), ReadHeaderTimeout: 10 * time.Second}
	go bareSrv.Serve(ln)
	defer bareSrv.Close()
	bareURL := "http://" + ln.Addr().String() + "/api/v1/children/" + child.ID

	// Both bodies, to show they are alike.
	bareBody, _, err := fetch(bareURL, "")
	if err != nil {
		return fmt.Errorf("bare handler: %w", err)
	}
	lanternBody, _, err := fetch(lanternURL, token)
	if err != nil {
		return fmt.Errorf("lantern: %w", err)
	}

	startSeq, err := auditHead(ctx, st)
	if err != nil {
		return err
	}

	printMachine(st.Dialect(), o, len(bareBody), len(lanternBody))
	loadStart := loadAvg()

	var bareRes, meRes, lanternRes []*result
	var lanternOK int64 // reads after the audit head was taken
	var poolWaits int64
	var poolWait time.Duration
	for round := 1; round <= o.rounds; round++ {
		b, err := load("bare", bareURL, "", o, "", "", nil)
		if err != nil {
			return err
		}
		b.round = round
		bareRes = append(bareRes, b)
		me, err := load("lantern-me", meURL, token, o, "", "", nil)
		if err != nil {
			return err
		}
		me.round = round
		meRes = append(meRes, me)
		profile, tracefile := o.cpuprofile, o.trace
		if round > 1 {
			profile, tracefile = roundFile(profile, round), roundFile(tracefile, round)
		}
		pool0 := st.DB().Stats()
		l, err := load("lantern", lanternURL, token, o, profile, tracefile, st.ReadAuditStats)
		if err != nil {
			return err
		}
		pool1 := st.DB().Stats()
		poolWaits += pool1.WaitCount - pool0.WaitCount
		poolWait += pool1.WaitDuration - pool0.WaitDuration
		l.round = round
		lanternOK += l.ok + l.warmupOK
		lanternRes = append(lanternRes, l)
	}

	// Every read must have been audited, and the chain must hold.
	endSeq, err := auditHead(ctx, st)
	if err != nil {
		return err
	}
	audited := endSeq - startSeq
	verified, verr := st.VerifyAudit(ctx)

	bareAll, meAll, lanternAll := merge("bare", bareRes), merge("lantern-me", meRes), merge("lantern", lanternRes)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tround\trequests\terrors\treq/s\tp50\tp90\tp99\tmax\tCPU/req\tcores\tallocs/req\tKB/req\tGCs\t")
	for i := range bareRes {
		for _, r := range []*result{bareRes[i], meRes[i], lanternRes[i]} {
			r.row(tw, fmt.Sprint(r.round))
		}
	}
	if o.rounds > 1 {
		bareAll.row(tw, "all")
		meAll.row(tw, "all")
		lanternAll.row(tw, "all")
	}
	tw.Flush()
	fmt.Println()

	fmt.Printf("CPU/req is this process's CPU time (client and server) per request; cores is that CPU over the\n"+
		"measured time: well under %d means something else on the machine was busy too.\n\n", runtime.NumCPU())

	ratio := lanternAll.throughput() / bareAll.throughput()
	p99 := lanternAll.percentile(0.99)
	fmt.Printf("throughput ratio lantern/bare: %.3f (%.0f / %.0f req/s)\n", ratio, lanternAll.throughput(), bareAll.throughput())
	if bareAll.cpu > 0 && lanternAll.cpu > 0 {
		perReq := func(r *result) float64 { return r.cpu.Seconds() / float64(max(r.ok, 1)) }
		fmt.Printf("CPU per request lantern/bare: %.1fx (%.0fµs / %.0fµs): were both CPU-bound, the ratio would be %.3f\n",
			perReq(lanternAll)/perReq(bareAll), perReq(lanternAll)*1e6, perReq(bareAll)*1e6, perReq(bareAll)/perReq(lanternAll))
	}
	fmt.Printf("for comparison, lantern-me (GET /api/v1/me: the same stack and token, no child's record, no audit entry):\n"+
		"  ratio %.3f, p99 %s: what the record's query and the wait for its durable audit entry add is the gap to lantern\n",
		meAll.throughput()/bareAll.throughput(), ms(meAll.percentile(0.99)))
	fmt.Printf("goal: lantern throughput >= %.2f x bare: %s\n", goalRatio, verdict(ratio >= goalRatio))
	fmt.Printf("goal: lantern p99 < %s at %d clients: %s (p99 %s)\n", goalP99, o.clients, verdict(p99 < goalP99), ms(p99))
	same := "equal, as they must be"
	if audited != lanternOK {
		same = "NOT equal"
	}
	fmt.Printf("audit entries written during the run: %d; successful lantern reads: %d: %s\n", audited, lanternOK, same)
	if verr != nil {
		fmt.Printf("audit chain: NOT intact after %d entries: %v\n", verified, verr)
	} else {
		fmt.Printf("audit chain: intact, %d entries verified\n", verified)
	}
	if n := lanternOK; n > 0 {
		fmt.Printf("read pool (%s): %d waits for a free connection (%.2f per read), %s waiting in all (%s per read)\n",
			st.Dialect(), poolWaits, float64(poolWaits)/float64(n), poolWait.Round(time.Millisecond), time.Duration(int64(poolWait)/n))
	}
	if a := lanternAll.audit; a.Commits > 0 {
		fmt.Printf("read audit group commit (%s): %d commits of %.1f entries on average, %s each on average; the one committer\n"+
			"was busy %.0f%% of the measured time: every read waits for a commit, so this bounds the reads a second\n",
			st.Dialect(), a.Commits, float64(a.Entries)/float64(a.Commits), ms(a.Busy/time.Duration(a.Commits)),
			100*a.Busy.Seconds()/lanternAll.elapsed.Seconds())
	}
	fmt.Printf("load average (1, 5, 15 min) at start: %s; at end: %s\n", loadStart, loadAvg())
	if o.trace != "" {
		fmt.Printf("execution trace of the measured lantern run: %s (go tool trace)\n", o.trace)
	}
	if o.cpuprofile != "" {
		fmt.Printf("cpu profile of the measured lantern run (client and server: one process): %s", o.cpuprofile)
		if o.rounds > 1 {
			fmt.Printf(" (round 1; later rounds in %s.N)", o.cpuprofile)
		}
		fmt.Println()
	}

	if o.memprofile != "" {
		f, err := os.Create(o.memprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
		fmt.Printf("allocation profile of the whole run: %s\n", o.memprofile)
	}

	var errs []error
	for _, r := range slices.Concat(bareRes, meRes, lanternRes) {
		if r.errors > 0 {
			errs = append(errs, fmt.Errorf("%s round %d: %d failed requests, first: %v", r.name, r.round, r.errors, r.firstErr))
		}
	}
	if audited != lanternOK {
		errs = append(errs, fmt.Errorf("%d audit entries for %d reads: every read must be audited exactly once", audited, lanternOK))
	}
	if verr != nil {
		errs = append(errs, fmt.Errorf("audit verify: %w", verr))
	}
	return errors.Join(errs...)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// seed makes an agency, a social worker with an API token, and one child
// the social worker's agency is involved with, through the store.
func seed(ctx context.Context, st *store.Store) (*lantern.Child, string, error) {
	b := make([]byte, 4)
	rand.Read(b)
	tag := hex.EncodeToString(b) // unique, for a PostgreSQL database used before
	sys := lantern.NewSystemContext(ctx, "lantern-bench")
	a, err := st.CreateAgency(sys, lantern.AgencyInput{Name: "Benchmark Children's Services " + tag, Kind: lantern.KindChildrensSocialCare})
	if err != nil {
		return nil, "", err
	}
	u, err := st.CreateUser(sys, lantern.UserInput{Email: "bench-" + tag + "@example.org", Name: "Bench Worker",
		AgencyID: a.ID, Roles: []lantern.Role{lantern.RoleSocialWorker}})
	if err != nil {
		return nil, "", err
	}
	as := lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, u), lantern.RequestInfo{IP: "127.0.0.1", Why: "lantern-bench"})
	dob, err := lantern.ParseDate("2012-03-01")
	if err != nil {
		return nil, "", err
	}
	c, err := st.CreateChild(as, lantern.ChildInput{GivenName: "Alex", FamilyName: "Benchmark", DateOfBirth: dob, Gender: "female"})
	if err != nil {
		return nil, "", err
	}
	token, _, err := st.CreateToken(sys, u.ID, "lantern-bench", time.Hour)
	if err != nil {
		return nil, "", err
	}
	return c, token, nil
}

func auditHead(ctx context.Context, st *store.Store) (int64, error) {
	var seq int64
	if err := st.DB().QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read the audit head: %w", err)
	}
	return seq, nil
}

func fetch(url, token string) ([]byte, int, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, err
	}
	if cookie, ok := strings.CutPrefix(token, "session:"); ok {
		req.Header.Set("Cookie", "lantern_session="+cookie)
	} else if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return b, resp.StatusCode, fmt.Errorf("GET %s: status %d: %s", url, resp.StatusCode, b)
	}
	return b, resp.StatusCode, nil
}

func printMachine(dialect string, o options, bareSize, lanternSize int) {
	fmt.Printf("machine: %d CPUs (GOMAXPROCS %d), %s/%s, %s, CPU %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.GOOS, runtime.GOARCH, runtime.Version(), cpuModel())
	fmt.Printf("store: %s; %d clients; %s warm-up + %s measured per target; %d round(s)\n", dialect, o.clients, o.warmup, o.duration, o.rounds)
	fmt.Printf("request: GET /api/v1/children/{id}; body %d bytes (lantern, token-authenticated, audited) vs %d bytes (bare net/http)\n\n",
		lanternSize, bareSize)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// result is one target's measured run.
type result struct {
	name      string
	round     int
	elapsed   time.Duration
	latencies []time.Duration // sorted
	ok        int64
	warmupOK  int64
	errors    int64
	firstErr  error
	mallocs   uint64 // heap allocations in the measured window, client and server
	bytes     uint64
	gcs       uint32
	cpu       time.Duration        // process CPU time (user+system) in the measured window
	audit     store.ReadAuditStats // the read auditor's group commit in the measured window (Lantern only)
}

func (r *result) throughput() float64 { return float64(r.ok) / r.elapsed.Seconds() }

func (r *result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(p*float64(len(r.latencies))+0.5) - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

func (r *result) row(w io.Writer, round string) {
	n := float64(max(r.ok, 1))
	fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t%.0fµs\t%.2f\t%.0f\t%.1f\t%d\t\n", r.name, round, r.ok+r.errors, r.errors, r.throughput(),
		ms(r.percentile(0.50)), ms(r.percentile(0.90)), ms(r.percentile(0.99)), ms(r.percentile(1)),
		float64(r.cpu.Microseconds())/n, r.cpu.Seconds()/r.elapsed.Seconds(), float64(r.mallocs)/n, float64(r.bytes)/n/1024, r.gcs)
}

// cpuTime is the CPU this process has used, user and system: per request,
// it is steadier than throughput on a machine something else is using.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAvg is the machine's load, to show whether something else was busy.
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

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

func merge(name string, rs []*result) *result {
	all := &result{name: name}
	for _, r := range rs {
		all.elapsed += r.elapsed
		all.ok += r.ok
		all.errors += r.errors
		all.mallocs += r.mallocs
		all.bytes += r.bytes
		all.gcs += r.gcs
		all.cpu += r.cpu
		all.audit.Commits += r.audit.Commits
		all.audit.Entries += r.audit.Entries
		all.audit.Busy += r.audit.Busy
		all.latencies = append(all.latencies, r.latencies...)
	}
	slices.Sort(all.latencies)
	return all
}

// roundFile names a later round's profile or trace file.
func roundFile(name string, round int) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf("%s.%d", name, round)
}

// load runs o.clients clients against url for the warm-up, then measures
// for o.duration. Each client sends one request at a time over a kept-alive
// connection, reads the whole body and checks the status.
func load(name, url, token string, o options, profile, tracefile string, auditStats func() store.ReadAuditStats) (*result, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	type clientRes struct {
		lat      []time.Duration
		warm     int64
		errors   int64
		firstErr error
	}
	res := make([]clientRes, o.clients)
	var wg sync.WaitGroup
	warmEnd := time.Now().Add(o.warmup)
	end := warmEnd.Add(o.duration)
	for i := range o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cr := &res[i]
			cr.lat = make([]time.Duration, 0, 1<<14)
			req, err := http.NewRequest(http.MethodGet, url, nil)
			if err != nil {
				cr.errors++
				cr.firstErr = err
				return
			}
			if cookie, ok := strings.CutPrefix(token, "session:"); ok {
				req.Header.Set("Cookie", "lantern_session="+cookie)
			} else if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			for {
				t := time.Now()
				if !t.Before(end) {
					return
				}
				err := get(client, req)
				d := time.Since(t)
				if t.Before(warmEnd) {
					if err == nil {
						cr.warm++
					} else {
						cr.errors++
						if cr.firstErr == nil {
							cr.firstErr = fmt.Errorf("warm-up: %w", err)
						}
					}
					continue
				}
				if err != nil {
					cr.errors++
					if cr.firstErr == nil {
						cr.firstErr = err
					}
					continue
				}
				cr.lat = append(cr.lat, d)
			}
		}()
	}
	// Profile the measured part only.
	time.Sleep(time.Until(warmEnd))
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := cpuTime()
	var audit0 store.ReadAuditStats
	if auditStats != nil {
		audit0 = auditStats()
	}
	begin := time.Now()
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
	}
	if tracefile != "" {
		f, err := os.Create(tracefile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			return nil, err
		}
	}
	wg.Wait()
	if profile != "" {
		pprof.StopCPUProfile()
	}
	if tracefile != "" {
		trace.Stop()
	}
	// Requests started before the end finish after it: the measured window
	// runs from the end of the warm-up to the last of them.
	r := &result{name: name, elapsed: time.Since(begin), cpu: cpuTime() - cpu0}
	if auditStats != nil {
		a := auditStats()
		r.audit = store.ReadAuditStats{Commits: a.Commits - audit0.Commits, Entries: a.Entries - audit0.Entries, Busy: a.Busy - audit0.Busy}
	}
	runtime.ReadMemStats(&ms1)
	r.mallocs, r.bytes, r.gcs = ms1.Mallocs-ms0.Mallocs, ms1.TotalAlloc-ms0.TotalAlloc, ms1.NumGC-ms0.NumGC
	for _, cr := range res {
		r.latencies = append(r.latencies, cr.lat...)
		r.ok += int64(len(cr.lat))
		r.warmupOK += cr.warm
		r.errors += cr.errors
		if r.firstErr == nil {
			r.firstErr = cr.firstErr
		}
	}
	slices.Sort(r.latencies)
	return r, nil
}

// get sends req and reads the whole response; anything but 200 is an error.
func get(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// bareHandler is a plain net/http handler marshalling the same record
// (lantern.Child, so the bodies stay alike as the record grows) on every
// request: what the whole stack is compared with.
func bareHandler(child *lantern.Child) http.HandlerFunc {
	bare := *child
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(&bare)
	}
}

// startApp starts the whole app, as lantern serve starts it, on a free
// port with its data in a temporary folder; stop ends it and removes them.
func startApp(ctx context.Context, o options) (*app.Main, func(), error) {
	dir, err := os.MkdirTemp("", "lantern-bench-")
	if err != nil {
		return nil, nil, err
	}
	c := app.Defaults()
	c.Addr, c.DataDir, c.Database = "127.0.0.1:0", dir, o.database
	m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
	if err := m.Open(ctx); err != nil {
		m.Close()
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("start Lantern: %w", err)
	}
	return m, func() { m.Close(); os.RemoveAll(dir) }, nil
}
