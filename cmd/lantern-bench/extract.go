package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"lantern"
	"lantern/app"
	"lantern/store"
)

// The child-level extract scenario (-scenario extract): -children children
// (200,000 by default) with five missing episodes each in the last year,
// bulk-loaded with SQL into a fresh store; the server runs in a separate
// process (this program again, with -serve-extract), and one analyst
// downloads the missing episodes' extract (a million rows at the default)
// and then the person extract, each streamed and read to the end. It
// reports each download's time and rows, and the server's peak resident
// memory (VmHWM) after both. The goals (issue 17): a million rows in
// under 10 s, resident memory under 1 GiB.

const (
	goalExtract    = 10 * time.Second
	goalExtractRSS = 1 << 30
	extractEpisode = 5 // missing episodes per child
)

func runExtract(o options) error {
	dir, err := os.MkdirTemp("", "lantern-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, "-serve-extract", dir, "-database", o.database, "-children", fmt.Sprint(o.children))
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
	if len(f) != 4 || f[0] != "READY" {
		return fmt.Errorf("the server process said %q", line)
	}
	base, token, dialect := f[1], f[2], f[3]
	go io.Copy(io.Discard, stdout)
	fmt.Printf("machine: %d CPUs, CPU %s; store: %s with %d children, %d missing episodes (seeded and started in %s)\n",
		runtime.NumCPU(), cpuModel(), dialect, o.children, o.children*extractEpisode, time.Since(began).Round(time.Second))
	fmt.Printf("server: a separate process (pid %d); peak RSS after seeding: %s\n", cmd.Process.Pid, mib(vmHWM(cmd.Process.Pid)))
	loadStart := loadAvg()
	var worst time.Duration
	for _, table := range []string{"ssd_missing", "ssd_person"} {
		took, rows, bytes, err := download(base+"/api/v1/reports/extracts/"+table, token)
		if err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		if table == "ssd_missing" {
			worst = took
			if rows != o.children*extractEpisode {
				return fmt.Errorf("%s: %d rows, want %d", table, rows, o.children*extractEpisode)
			}
		}
		fmt.Printf("%-12s %9d rows  %7.1f MiB  %8s  %9.0f rows/s  server RSS now %s\n", table, rows, float64(bytes)/(1<<20),
			took.Round(time.Millisecond), float64(rows)/took.Seconds(), mib(vmRSS(cmd.Process.Pid)))
	}
	peak := vmHWM(cmd.Process.Pid)
	fmt.Printf("\ngoal: %d-row extract streamed in < %s: %s (%s)\n", o.children*extractEpisode, goalExtract, verdict(worst < goalExtract), worst.Round(time.Millisecond))
	fmt.Printf("goal: server peak RSS < 1 GiB throughout: %s (%s)\n", verdict(peak > 0 && peak < goalExtractRSS), mib(peak))
	fmt.Printf("load average (1, 5, 15 min) at start: %s; at end: %s\n", loadStart, loadAvg())
	return nil
}

// download reads url to the end as the analyst, counting its rows (less the
// header).
func download(url, token string) (time.Duration, int, int64, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return 0, 0, 0, fmt.Errorf("%d %s", resp.StatusCode, b)
	}
	br := bufio.NewReaderSize(resp.Body, 1<<16)
	var lines int
	var bytes int64
	for {
		b, err := br.ReadSlice('\n')
		bytes += int64(len(b))
		if len(b) > 0 && b[len(b)-1] == '\n' {
			lines++
		}
		if err == io.EOF {
			break
		} else if err != nil && err != bufio.ErrBufferFull {
			return 0, 0, 0, err
		}
	}
	return time.Since(start), lines - 1, bytes, nil
}

// serveExtract is the server process: it opens Lantern on dir, seeds n
// children and their episodes, says READY with its address, an analyst's
// token and the dialect, and serves until its input ends.
func serveExtract(dir, database string, n int) error {
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
	st := m.Store
	b := make([]byte, 4)
	rand.Read(b)
	tag := hex.EncodeToString(b)
	sys := lantern.NewSystemContext(ctx, "lantern-bench")
	a, err := st.CreateAgency(sys, lantern.AgencyInput{Name: "Benchmark Children's Services " + tag, Kind: lantern.KindChildrensSocialCare})
	if err != nil {
		return err
	}
	u, err := st.CreateUser(sys, lantern.UserInput{Email: "analyst-" + tag + "@example.org", Name: "Bench Analyst", AgencyID: a.ID,
		Roles: []lantern.Role{lantern.RoleAnalyst}})
	if err != nil {
		return err
	}
	token, _, err := st.CreateToken(sys, u.ID, "lantern-bench", 2*time.Hour)
	if err != nil {
		return err
	}
	if err := seedExtract(ctx, st, u.ID, tag, n); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Printf("READY %s %s %s\n", m.URL(), token, st.Dialect())
	io.Copy(io.Discard, os.Stdin)
	return nil
}

// seedExtract inserts n children, each with extractEpisode missing
// episodes in the last year, in bulk with direct SQL.
func seedExtract(ctx context.Context, st *store.Store, user, tag string, n int) error {
	db := st.DB()
	pg := st.Dialect() == "postgres"
	now := time.Now().UTC().Truncate(time.Microsecond)
	ts := func(t time.Time) any {
		if pg {
			return t
		}
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	const batch = 500
	for start := 0; start < n; start += batch {
		var rows, eps []string
		var args, eargs []any
		ph := func(a *[]any, vs ...any) string {
			out := make([]string, len(vs))
			for i, v := range vs {
				*a = append(*a, v)
				out[i] = "$" + strconv.Itoa(len(*a))
			}
			return "(" + strings.Join(out, ", ") + ")"
		}
		for i := start; i < min(start+batch, n); i++ {
			id := fmt.Sprintf("x%s-%08d", tag, i)
			dob := lantern.DateOf(time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*37)%(17*365)))
			rows = append(rows, ph(&args, id, givenA[i%len(givenA)]+givenB[(i/len(givenA))%len(givenB)],
				syllA[(i/7)%len(syllA)]+syllB[(i/(7*len(syllA)))%len(syllB)], dob, []string{"female", "male"}[i%2], 1, ts(now), user, ts(now), user))
			for j := range extractEpisode {
				from := now.Add(-time.Duration((i*7+j*53)%360*24+j) * time.Hour)
				back := from.Add(time.Duration(6+j) * time.Hour)
				eps = append(eps, ph(&eargs, id+"-e"+strconv.Itoa(j), id, []string{"missing", "absent"}[j%2], ts(from), ts(back), "NP-"+strconv.Itoa(i*10+j), user, ts(now)))
			}
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO children (id, given_name, family_name, date_of_birth, gender, version, created_at, created_by, updated_at, updated_by) VALUES `+
			strings.Join(rows, ", "), args...); err != nil {
			tx.Rollback()
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO missing_episodes (id, child_id, kind, missing_from, returned_at, police_reference, created_by, created_at) VALUES `+
			strings.Join(eps, ", "), eargs...); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	analyze := "ANALYZE"
	if !pg {
		analyze = "ANALYZE; PRAGMA optimize"
	}
	_, err := db.ExecContext(ctx, analyze)
	return err
}

// vmHWM and vmRSS are a process's peak and current resident memory, in
// bytes, from /proc (0 where unknown).
func vmHWM(pid int) int64 { return procStatus(pid, "VmHWM:") }
func vmRSS(pid int) int64 { return procStatus(pid, "VmRSS:") }

func procStatus(pid int, key string) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == key {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// isSet reports whether the flag name was given on the command line.
func isSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
