// Package crash_test kills a real lantern server with SIGKILL while it
// writes, many times over, and checks after every restart that nothing it
// acknowledged was lost and that the audit trail is still intact.
//
// TestKillDuringWrites runs on the embedded SQLite store, where durability
// is Lantern's own job (journal mode, synchronous setting, one writer, the
// group-committing read auditor). TestKillDuringWritesPostgres (pg_test.go)
// kills one of two replicas, and crashes the database server itself, on a
// PostgreSQL cluster of its own.
//
//	go test -count=1 ./test/crash/ -v
//	LANTERN_CRASH_ROUNDS=50 LANTERN_CRASH_SEED=123 go test -count=1 ./test/crash/
package crash_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"lantern/store/storetest"

	"lantern/internal/syncbuf"
	"lantern/store" // its database file's name; the driver to check that file directly
)

const (
	defaultRounds = 25
	shortRounds   = 3
	writers       = 6
	password      = "crash-test-password-42"
	email         = "sw@example.org"
	agencyName    = "Crashford Children's Services"
)

func TestKillDuringWrites(t *testing.T) {
	rounds := defaultRounds
	if testing.Short() {
		rounds = shortRounds
	}
	rounds, seed := roundsAndSeed(t, rounds)
	t.Logf("rounds=%d seed=%d (rerun with LANTERN_CRASH_SEED=%d)", rounds, seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x1a27e6))

	bin := buildLantern(t)
	data := storetest.DataDir(t)
	tg := target{flags: []string{"--data", data}, driver: "sqlite",
		dsn: "file:" + filepath.Join(data, store.SQLiteFile) + "?_pragma=busy_timeout(10000)", tag: "lite"}
	token := setUp(t, bin, &tg)

	l := newLedger()
	start := time.Now()
	roundsWithWrites := 0
	for round := 1; round <= rounds; round++ {
		t0 := time.Now()
		srv := startServer(t, bin, tg)
		t1 := time.Now()
		if round > 1 {
			// The server restarted on what the last one left when killed.
			verifyAPI(t, srv.url, token, l)
		}
		t2 := time.Now()
		if t.Failed() {
			srv.kill(t)
			t.FailNow()
		}
		before := l.snapshot()
		delay := time.Duration(50+rng.IntN(351)) * time.Millisecond
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var transportErrs atomic.Int64
		client := newClient()
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				write(t, client, srv.url, token, tg.tag, l, rand.New(rand.NewPCG(seed, uint64(round*100+w))), stop, &transportErrs, nil)
			}()
		}
		time.Sleep(delay)
		srv.kill(t)
		close(stop)
		wg.Wait()
		client.CloseIdleConnections()
		after := l.snapshot()
		d := after.sub(before)
		if d.creates+d.patches > 0 {
			roundsWithWrites++
		}
		t3 := time.Now()
		auditVerify(t, bin, tg)
		checkDatabase(t, tg, l)
		t.Logf("round %2d: killed after %3dms: acknowledged %3d creates, %3d updates, %3d reads (%d requests cut off); %d children in all; "+
			"start %s, read back %s, audit verify and database check %s",
			round, delay.Milliseconds(), d.creates, d.patches, d.reads, transportErrs.Load(), after.children,
			t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond), time.Since(t3).Round(time.Millisecond))
		if t.Failed() {
			t.Logf("server output:\n%s", srv.output())
			t.FailNow()
		}
	}

	// One last restart: everything acknowledged is there, then a clean stop.
	srv := startServer(t, bin, tg)
	verifyAPI(t, srv.url, token, l)
	srv.stop(t)
	auditVerify(t, bin, tg)
	checkDatabase(t, tg, l)

	total := l.snapshot()
	t.Logf("%d rounds in %s: %d creates, %d updates and %d reads acknowledged; %d children; writes in %d of %d rounds",
		rounds, time.Since(start).Round(time.Millisecond), total.creates, total.patches, total.reads, total.children, roundsWithWrites, rounds)
	if total.creates == 0 {
		t.Fatal("no write was acknowledged in any round: the test tested nothing")
	}
	if 2*roundsWithWrites <= rounds {
		t.Errorf("writes were acknowledged in only %d of %d rounds; want most", roundsWithWrites, rounds)
	}
}

// buildLantern builds the real binary, as it is shipped.
// roundsAndSeed reads LANTERN_CRASH_ROUNDS (else rounds) and
// LANTERN_CRASH_SEED (else the time), to repeat a failing run.
func roundsAndSeed(t *testing.T, rounds int) (int, uint64) {
	t.Helper()
	if v := os.Getenv("LANTERN_CRASH_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("LANTERN_CRASH_ROUNDS=%q: want a whole number, 1 or more", v)
		}
		rounds = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("LANTERN_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("LANTERN_CRASH_SEED=%q: %v", v, err)
		}
		seed = n
	}
	return rounds, seed
}

func buildLantern(t *testing.T) string {
	t.Helper()
	goBin := goCommand(t)
	bin := filepath.Join(t.TempDir(), "lantern")
	cmd := exec.Command(goBin, "build", "-o", bin, "lantern/cmd/lantern")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// goCommand finds the go command that is running this test: go test puts
// GOROOT/bin first on PATH; failing that, ask the runtime.
func goCommand(t *testing.T) string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go") //nolint:staticcheck // fallback only
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("cannot find the go command on PATH or in GOROOT: %v", err)
	}
	return p
}

// runCLI runs a lantern command that must succeed, and returns its stdout.
func runCLI(t *testing.T, bin, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("lantern %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// target is the database a test crashes Lantern on: the command line's
// flags that name it, how the test opens it itself, and a tag that marks
// what this run made (a long-lived database holds much else).
type target struct {
	flags       []string
	driver, dsn string
	tag         string
	serve       []string // serve's own flags: the audit key setUp made
}

// setUp makes, as an operator would with the command line, an audit
// signing key (so that each server integrates and signs the audit tree as
// it is killed), an agency, a social worker and an API token for it, named
// by tg.tag.
func setUp(t *testing.T, bin string, tg *target) string {
	t.Helper()
	key := filepath.Join(t.TempDir(), "audit.key")
	runCLI(t, bin, "", "audit", "keygen", "--to", key)
	tg.serve = []string{"--audit-key-file", key}
	name := agencyName + " " + tg.tag
	mail := strings.Replace(email, "@", "-"+tg.tag+"@", 1)
	agencyID := strings.TrimSpace(runCLI(t, bin, "", append([]string{"agency", "add", "--name", name, "--kind", "childrens-social-care"}, tg.flags...)...))
	if agencyID == "" {
		t.Fatal("lantern agency add printed no id")
	}
	runCLI(t, bin, password+"\n", append([]string{"user", "add", "--email", mail, "--name", "Sam Worker",
		"--agency", name, "--role", "social-worker", "--password-stdin"}, tg.flags...)...)
	token := strings.TrimSpace(runCLI(t, bin, "", append([]string{"token", "create", "--email", mail, "--ttl", "2h"}, tg.flags...)...))
	if !strings.HasPrefix(token, "lantern_") || strings.ContainsAny(token, " \n") {
		t.Fatalf("lantern token create printed %q, not just a token", token)
	}
	return token
}

func auditVerify(t *testing.T, bin string, tg target) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"audit", "verify"}, tg.flags...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("lantern audit verify: %v\n%s", err, out)
		return
	}
	if !strings.HasPrefix(string(out), "audit trail intact") || !strings.Contains(string(out), "checkpoints up to") {
		t.Errorf("lantern audit verify exited 0 but said: %s", out)
	}
}

// server is a running lantern serve process.
type server struct {
	cmd  *exec.Cmd
	url  string
	out  *syncBuffer
	done chan struct{}
	err  error // from Wait, once done is closed
}

// syncBuffer is an io.Writer safe to read while the process writes to it.
type syncBuffer = syncbuf.Buffer

func (s *server) output() string { return s.out.String() }

// freePort finds a port that is free now by listening on :0 and closing.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// startServer runs lantern serve on a fresh port and waits for /readyz. A
// port taken between choosing and binding is retried with another.
func startServer(t *testing.T, bin string, tg target) *server {
	t.Helper()
	var last string
	for range 5 {
		addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
		s := &server{url: "http://" + addr, out: &syncBuffer{}, done: make(chan struct{})}
		s.cmd = exec.Command(bin, append(append([]string{"serve", "--addr", addr, "--log-level", "warn"}, tg.flags...), tg.serve...)...)
		s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
		if err := s.cmd.Start(); err != nil {
			t.Fatalf("start lantern serve: %v", err)
		}
		go func() { s.err = s.cmd.Wait(); close(s.done) }()
		t.Cleanup(func() {
			select {
			case <-s.done:
			default:
				s.cmd.Process.Signal(syscall.SIGKILL)
				<-s.done
			}
		})
		if s.waitReady(t) {
			return s
		}
		last = s.output()
		if !strings.Contains(last, "address already in use") {
			break
		}
	}
	t.Fatalf("lantern serve did not become ready:\n%s", last)
	return nil
}

func (s *server) waitReady(t *testing.T) bool {
	t.Helper()
	c := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return false
		default:
		}
		resp, err := c.Get(s.url + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	return false
}

// kill ends the server with SIGKILL, as a power cut or the OOM killer would:
// no deferred function, no shutdown, no checkpoint runs.
func (s *server) kill(t *testing.T) {
	t.Helper()
	select {
	case <-s.done:
		t.Fatalf("lantern serve had already exited (%v):\n%s", s.err, s.output())
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	<-s.done
	var ee *exec.ExitError
	if !errors.As(s.err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("lantern serve ended with %v, not by SIGKILL:\n%s", s.err, s.output())
	}
}

// stop ends the server as an operator would, and expects a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
		t.Fatalf("lantern serve did not stop within 30s of SIGTERM:\n%s", s.output())
	}
	if s.err != nil {
		t.Errorf("lantern serve exited with %v after SIGTERM:\n%s", s.err, s.output())
	}
}

// state is what the server has acknowledged of one child: its version and
// the given name it had at that version.
type state struct {
	version int
	given   string
	reads   int // reads acknowledged with 200, each of which must be audited
}

// ledger is every acknowledgement the clients have had.
type ledger struct {
	mu       sync.Mutex
	children map[string]*state
	ids      []string
	creates  int
	patches  int
	reads    int
}

func newLedger() *ledger { return &ledger{children: map[string]*state{}} }

type counts struct{ creates, patches, reads, children int }

func (a counts) sub(b counts) counts {
	return counts{a.creates - b.creates, a.patches - b.patches, a.reads - b.reads, a.children - b.children}
}

func (l *ledger) snapshot() counts {
	l.mu.Lock()
	defer l.mu.Unlock()
	return counts{l.creates, l.patches, l.reads, len(l.ids)}
}

// seen records that the server showed or acknowledged c. Anything a client
// saw was committed, so must survive a kill, however it was seen.
func (l *ledger) seen(c *child, kind string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.children[c.ID]
	if !ok {
		st = &state{}
		l.children[c.ID] = st
		l.ids = append(l.ids, c.ID)
	}
	if c.Version > st.version {
		st.version, st.given = c.Version, c.GivenName
	}
	switch kind {
	case "create":
		l.creates++
	case "patch":
		l.patches++
		st.reads++ // PATCH reads the record first, and that read is audited
		l.reads++
	case "read":
		st.reads++
		l.reads++
	}
}

// pick returns a random acknowledged child and the version last seen.
func (l *ledger) pick(rng *rand.Rand) (string, int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ids) == 0 {
		return "", 0, false
	}
	id := l.ids[rng.IntN(len(l.ids))]
	return id, l.children[id].version, true
}

func (l *ledger) all() map[string]state {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := make(map[string]state, len(l.children))
	for id, st := range l.children {
		m[id] = *st
	}
	return m
}

type child struct {
	ID         string `json:"id"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Version    int    `json:"version"`
}

type problem struct {
	Status  int    `json:"status"`
	Detail  string `json:"detail"`
	Current *child `json:"current"`
}

func newClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
}

var names atomic.Int64

// write sends creates, updates and reads until stop is closed, recording
// each acknowledgement. A request cut off by the kill is not acknowledged,
// and may or may not have been committed: either is correct.
//
// When dbDown is set, the database itself has been stopped: an answer of
// 500 or 503 is cut off too, and unacknowledged.
func write(t *testing.T, c *http.Client, base, token, tag string, l *ledger, rng *rand.Rand, stop <-chan struct{}, transportErrs *atomic.Int64, dbDown *atomic.Bool) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		var method, path string
		var body any
		want := http.StatusOK
		kind := "read"
		op := rng.IntN(10)
		id, version, ok := l.pick(rng)
		switch {
		case op < 5 || !ok:
			n := names.Add(1)
			method, path, kind, want = http.MethodPost, "/api/v1/children", "create", http.StatusCreated
			body = map[string]string{"given_name": fmt.Sprintf("Given%d", n), "family_name": fmt.Sprintf("Family%d-%s", n, tag),
				"date_of_birth": "2012-03-01", "gender": "female"}
		case op < 8:
			method, path, kind = http.MethodPatch, "/api/v1/children/"+id, "patch"
			body = map[string]any{"given_name": fmt.Sprintf("Renamed%d", names.Add(1)), "version": version}
		default:
			method, path = http.MethodGet, "/api/v1/children/"+id
		}
		status, b, err := do(c, method, base+path, token, body)
		if err != nil {
			// Cut off by the kill: the server is gone.
			transportErrs.Add(1)
			return
		}
		if status >= 500 && dbDown != nil && dbDown.Load() {
			transportErrs.Add(1)
			return
		}
		switch {
		case status == want:
			var got child
			if err := json.Unmarshal(b, &got); err != nil || got.ID == "" || got.Version < 1 {
				t.Errorf("%s %s: %d with body %q", method, path, status, b)
				continue
			}
			l.seen(&got, kind)
		case kind == "patch" && status == http.StatusConflict:
			// Another writer got there first. The read before the update was
			// audited, and the current record was committed.
			var p problem
			if err := json.Unmarshal(b, &p); err != nil || p.Current == nil {
				t.Errorf("%s %s: 409 with body %q", method, path, b)
				continue
			}
			l.seen(p.Current, "patch-conflict")
			l.seen(&child{ID: id}, "read")
		default:
			t.Errorf("%s %s: status %d, want %d: %s", method, path, status, want, b)
		}
	}
}

// do sends one request and reads the whole response: a response is only
// acknowledged once its body has arrived in full.
func do(c *http.Client, method, url, token string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, b, nil
}

// verifyAPI reads every acknowledged child back through the API of a
// freshly restarted server. These reads are acknowledged, and so audited,
// like any other.
func verifyAPI(t *testing.T, base, token string, l *ledger) {
	t.Helper()
	want := l.all()
	ids := make(chan string)
	c := newClient()
	defer c.CloseIdleConnections()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, fmt.Sprintf(format, args...))
	}
	// Many readers at once, so their audit entries share commits.
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				status, b, err := do(c, http.MethodGet, base+"/api/v1/children/"+id, token, nil)
				if err != nil {
					fail("GET %s: %v", id, err)
					continue
				}
				if status != http.StatusOK {
					fail("GET %s: status %d: %s", id, status, b)
					continue
				}
				var got child
				if err := json.Unmarshal(b, &got); err != nil {
					fail("GET %s: %v", id, err)
					continue
				}
				w := want[id]
				switch {
				case got.Version < w.version:
					fail("child %s is at version %d; version %d was acknowledged", id, got.Version, w.version)
				case got.Version == w.version && got.GivenName != w.given:
					fail("child %s at version %d is named %q; %q was acknowledged", id, got.Version, got.GivenName, w.given)
				}
				l.seen(&got, "read")
			}
		}()
	}
	for id := range want {
		ids <- id
	}
	close(ids)
	wg.Wait()
	slices.Sort(failures)
	for i, f := range failures {
		if i == 20 {
			t.Errorf("... and %d more", len(failures)-20)
			break
		}
		t.Error(f)
	}
}

// checkDatabase opens the SQLite file itself, with no server running, and
// checks that each acknowledged child is there with its agency link, that
// its creation and every update are in the audit trail (they are written in
// the same transaction), and that every acknowledged read of it was audited
// (reads are shown only once their audit entry is durable).
func checkDatabase(t *testing.T, tg target, l *ledger) {
	t.Helper()
	db, err := sql.Open(tg.driver, tg.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type row struct {
		version, agencies, creates, updates, reads int
	}
	got := map[string]*row{}
	// One pass over the trail, not one a child: on a long-lived database
	// whose entries are mostly of a few children, the planner would scan
	// the whole trail for each.
	rows, err := db.Query(`SELECT c.id, c.version,
		(SELECT count(*) FROM involvements a WHERE a.child_id = c.id),
		COALESCE(l.creates, 0), COALESCE(l.updates, 0), COALESCE(l.reads, 0)
		FROM children c LEFT JOIN (SELECT child_id,
			sum(CASE WHEN action = 'child.create' THEN 1 ELSE 0 END) AS creates,
			sum(CASE WHEN action = 'child.update' THEN 1 ELSE 0 END) AS updates,
			sum(CASE WHEN action = 'child.read' THEN 1 ELSE 0 END) AS reads
			FROM audit_log WHERE action IN ('child.create', 'child.update', 'child.read') GROUP BY child_id) l ON l.child_id = c.id
		WHERE c.family_name LIKE $1`, "%-"+tg.tag)
	if err != nil {
		t.Fatalf("query the database: %v", err)
	}
	for rows.Next() {
		var id string
		var r row
		if err := rows.Scan(&id, &r.version, &r.agencies, &r.creates, &r.updates, &r.reads); err != nil {
			t.Fatal(err)
		}
		got[id] = &r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	bad := 0
	report := func(format string, args ...any) {
		if bad++; bad <= 20 {
			t.Errorf(format, args...)
		}
	}
	for id, w := range l.all() {
		r := got[id]
		switch {
		case r == nil:
			report("database: acknowledged child %s is missing", id)
		case r.version < w.version:
			report("database: child %s is at version %d; version %d was acknowledged", id, r.version, w.version)
		case r.agencies != 0:
			// Children's social care, who made it, sees every child: its
			// making involves no agency.
			report("database: child %s has %d involvements, want none", id, r.agencies)
		case r.creates != 1:
			report("database: child %s has %d child.create audit entries, want 1", id, r.creates)
		case r.updates != r.version-1:
			report("database: child %s is at version %d with %d child.update audit entries, want %d", id, r.version, r.updates, r.version-1)
		case r.reads < w.reads:
			report("database: child %s had %d reads acknowledged but only %d child.read audit entries", id, w.reads, r.reads)
		}
	}
	// Children nobody was told of (their creation was cut off) must be
	// whole too: never a record without its audit entry.
	for id, r := range got {
		if r.creates != 1 || r.agencies != 0 || r.updates != r.version-1 {
			report("database: child %s (version %d) has %d create and %d update audit entries and %d involvements (want none)",
				id, r.version, r.creates, r.updates, r.agencies)
		}
	}
	if bad > 20 {
		t.Errorf("... and %d more", bad-20)
	}
}
