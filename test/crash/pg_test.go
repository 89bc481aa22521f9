package crash_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const defaultPGRounds = 9

// TestKillDuringWritesPostgres crashes Lantern on PostgreSQL, on a cluster
// of its own with the durability settings left as shipped (the shared test
// cluster runs without fsync, so a crash could lose what it acknowledged).
// Two replicas serve at once, each taking half the writers. Round by round
// it kills one replica with SIGKILL mid-write (the other keeps serving), or
// stops the database server itself hard (pg_ctl -m immediate: no
// checkpoint, crash recovery at restart) while both replicas write, and
// restarts it under the replicas that are still running. After each round,
// every acknowledged write, read and audit entry is there and the trail
// verifies.
//
// With LANTERN_CRASH_DATABASE (a URL) it runs against that database
// instead, to try a large, long-lived one: the replica kills only, or, with
// LANTERN_CRASH_PGDATA naming its cluster's data folder (the test must be
// able to run pg_ctl on it), the database crashes too.
func TestKillDuringWritesPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL's server programs, to run and crash a cluster of its own")
	}
	rounds, seed := roundsAndSeed(t, defaultPGRounds)
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b9))
	var pg *cluster
	url := os.Getenv("LANTERN_CRASH_DATABASE")
	if url == "" {
		pg = startCluster(t)
		url = pg.url
	} else if data := os.Getenv("LANTERN_CRASH_PGDATA"); data != "" {
		// The long-lived database's own cluster, which the test may stop
		// hard and start again (pg_ctl on that data folder).
		pg = &cluster{bin: pgBin(t), dir: filepath.Dir(data), data: data, url: url, asPostgres: os.Geteuid() == 0}
	}
	tag := fmt.Sprintf("pg%d", seed%1_000_000)
	t.Logf("rounds=%d seed=%d tag=%s own cluster=%v (rerun with LANTERN_CRASH_SEED=%d)", rounds, seed, tag, pg != nil, seed)
	tg := target{flags: []string{"--database", url}, driver: "pgx", dsn: url, tag: tag}
	bin := buildLantern(t)
	runCLI(t, bin, "", "migrate", "--database", url)
	token := setUp(t, bin, &tg)

	l := newLedger()
	replicas := []*server{startServer(t, bin, tg), startServer(t, bin, tg)}
	start := time.Now()
	var dbRounds, killRounds int
	for round := 1; round <= rounds; round++ {
		// Every third round, when the cluster is the test's, the database.
		dbCrash := pg != nil && round%3 == 0
		victim := round % 2
		before := l.snapshot()
		var dbDown atomic.Bool
		var transportErrs atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		client := newClient()
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				write(t, client, replicas[w%2].url, token, tag, l, rand.New(rand.NewPCG(seed, uint64(round*100+w))), stop, &transportErrs, &dbDown)
			}()
		}
		delay := time.Duration(100+rng.IntN(400)) * time.Millisecond
		time.Sleep(delay)
		what := ""
		if dbCrash {
			dbDown.Store(true)
			pg.crash(t)
			what = "database stopped hard"
			dbRounds++
		} else {
			replicas[victim].kill(t)
			what = fmt.Sprintf("replica %d killed", victim+1)
			killRounds++
		}
		// The other replica's writers go on a little: it serves alone.
		if !dbCrash {
			time.Sleep(100 * time.Millisecond)
		}
		close(stop)
		wg.Wait()
		client.CloseIdleConnections()
		if dbCrash {
			pg.start(t)
			// The replicas were never stopped: each must find the database
			// again on its own, discarding connections that died with it.
			for _, r := range replicas {
				failed := r.settle(t, token, l)
				t.Logf("round %d: after the restart, %s answered %d requests with an error before %d in a row succeeded", round, r.url, failed, settleRun)
			}
		} else {
			replicas[victim] = startServer(t, bin, tg)
		}
		d := l.snapshot().sub(before)
		auditVerify(t, bin, tg)
		checkDatabase(t, tg, l)
		for _, r := range replicas {
			verifyAPI(t, r.url, token, l)
		}
		t.Logf("round %2d: %s after %3dms: acknowledged %3d creates, %3d updates, %3d reads (%d requests cut off)",
			round, what, delay.Milliseconds(), d.creates, d.patches, d.reads, transportErrs.Load())
		if t.Failed() {
			for i, r := range replicas {
				t.Logf("replica %d output:\n%s", i+1, r.output())
			}
			t.FailNow()
		}
	}
	for _, r := range replicas {
		r.stop(t)
	}
	auditVerify(t, bin, tg)
	checkDatabase(t, tg, l)
	total := l.snapshot()
	t.Logf("%d rounds (%d replica kills, %d database crashes) in %s: %d creates, %d updates and %d reads acknowledged",
		rounds, killRounds, dbRounds, time.Since(start).Round(time.Millisecond), total.creates, total.patches, total.reads)
	if total.creates == 0 {
		t.Fatal("no write was acknowledged in any round: the test tested nothing")
	}
}

// settleRun is how many requests in a row must succeed for a replica to
// count as recovered, sent settleWidth at a time: at once, so that every
// connection of its pool is used (one request after another would take the
// same connection each time), and every one that died with the database
// has been tried and discarded.
const (
	settleRun   = 48
	settleWidth = 16
)

// settle waits, for up to 30 seconds, until the replica answers settleRun
// reads of a child in a row (each a database read and an audit append),
// settleWidth at once, and returns how many failed before.
func (s *server) settle(t *testing.T, token string, l *ledger) int {
	t.Helper()
	c := newClient()
	defer c.CloseIdleConnections()
	failed, run := 0, 0
	deadline := time.Now().Add(30 * time.Second)
	for batch := 0; run < settleRun; batch++ {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not recover within 30s of the database's restart (%d errors)", s.url, failed)
		}
		var wg sync.WaitGroup
		var bad atomic.Int32
		for i := range settleWidth {
			id, _, _ := l.pick(rand.New(rand.NewPCG(uint64(batch), uint64(i))))
			wg.Add(1)
			go func() {
				defer wg.Done()
				if status, _, err := do(c, http.MethodGet, s.url+"/api/v1/children/"+id, token, nil); err != nil || status != http.StatusOK {
					bad.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := int(bad.Load()); n > 0 {
			failed += n
			run = 0
			time.Sleep(50 * time.Millisecond)
			continue
		}
		run += settleWidth
	}
	return failed
}

// cluster is a PostgreSQL cluster of the test's own.
type cluster struct {
	bin, dir, data string
	port           int
	url            string
	asPostgres     bool // as root, the cluster runs as the postgres user
}

func pgBin(t *testing.T) string {
	if d := os.Getenv("LANTERN_PG_BIN"); d != "" {
		return d
	}
	ms, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(ms) == 0 {
		t.Fatal("no PostgreSQL server programs: set LANTERN_PG_BIN (scripts/test does) or install postgresql")
	}
	return filepath.Dir(ms[len(ms)-1])
}

func startCluster(t *testing.T) *cluster {
	t.Helper()
	c := &cluster{bin: pgBin(t), asPostgres: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("/tmp", "lantern-crash-pg.")
	if err != nil {
		t.Fatal(err)
	}
	c.dir, c.data = dir, filepath.Join(dir, "data")
	t.Cleanup(func() {
		c.pgctl("stop", "-m", "immediate")
		os.RemoveAll(dir)
	})
	if c.asPostgres {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("as root, the cluster runs as the postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := c.run("initdb", "-D", c.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	c.port = freePort(t)
	conf := fmt.Sprintf("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nmax_connections = 150\n", c.port, dir)
	f, err := os.OpenFile(filepath.Join(c.data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(conf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
	c.start(t)
	return c
}

func (c *cluster) run(prog string, args ...string) ([]byte, error) {
	name := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if c.asPostgres {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	} else {
		cmd = exec.Command(name, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

func (c *cluster) pgctl(args ...string) ([]byte, error) {
	return c.run("pg_ctl", append([]string{"-D", c.data, "-w", "-t", "60"}, args...)...)
}

func (c *cluster) start(t *testing.T) {
	t.Helper()
	if out, err := c.pgctl("-l", filepath.Join(c.dir, "postgres.log"), "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "postgres.log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// crash stops the server as a power cut would stop its processes: no
// checkpoint, so the restart recovers from the write-ahead log.
func (c *cluster) crash(t *testing.T) {
	t.Helper()
	if out, err := c.pgctl("stop", "-m", "immediate"); err != nil {
		t.Fatalf("pg_ctl stop -m immediate: %v\n%s", err, out)
	}
}
