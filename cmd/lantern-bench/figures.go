package main

// The figures scenario (issue 17's goals): the national preset (153
// areas, a million children; intelgen.LoadPopulation) in -data, generated
// there first when it holds none; Lantern started on it as a process of its
// own; then, the load from this process, one client at a time (a report is
// one person's request): one area's data set for a financial year, and
// England's; a ten-year monthly trend; the problem-profile pack; and a
// child-level extract streamed to its end, beside GET /api/v1/me in the
// same run. The server's peak resident memory (VmHWM) is read from
// /proc throughout. Routes not built yet (404) are reported as not
// available, not failed.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"lantern"
	"lantern/intelgen"
	"lantern/store"
)

// benchAnalyst is the analyst the bench signs in as for the extract.
const benchAnalyst = "generated.analyst@csc.example.org"

func runFigures(o options) error {
	ctx := context.Background()
	if o.data == "" {
		return fmt.Errorf("-scenario figures needs -data DIR: the national set is kept there (some 5 GB) to be measured again")
	}
	fmt.Printf("machine: %d CPUs, CPU %s; %s\n", runtime.NumCPU(), cpuModel(), uptime())
	st, err := importStore(ctx, o.data, o.database)
	if err != nil {
		return err
	}
	sys := lantern.NewSystemContext(ctx, "lantern-bench")
	var n int
	if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM children WHERE area_code = 'Z00000001'`).Scan(&n); err != nil {
		st.Close()
		return err
	}
	if n == 0 {
		if err := intelgen.RefuseRealUsers(sys, st); err != nil {
			st.Close()
			return err
		}
		fmt.Printf("generating the national preset in %s (load average %s)\n", o.data, loadAvg())
		began := time.Now()
		police, coord, err := intelgen.Accounts(sys, st)
		if err != nil {
			st.Close()
			return err
		}
		p := intelgen.Presets["national"]
		pop, err := intelgen.LoadPopulation(ctx, sys, st, o.seed, p, 10, lantern.Today(time.Now()), coord, os.Stdout)
		if err != nil {
			st.Close()
			return err
		}
		set := intelgen.Generate(o.seed, p.IntelScale)
		if _, err := intelgen.LoadLinked(ctx, sys, st, set, police, coord, pop.Confirmed, io.Discard); err != nil {
			st.Close()
			return err
		}
		fmt.Printf("the national generator: %s (load average %s at its end)\n", time.Since(began).Round(time.Second), loadAvg())
	} else {
		fmt.Printf("the national set in %s: %d children in area Z00000001\n", o.data, n)
	}
	coord, err := st.FindUserByEmail(sys, intelgen.GeneratedCoordinator)
	if err != nil {
		st.Close()
		return fmt.Errorf("the generated coordinator: %w", err)
	}
	token, _, err := st.CreateToken(sys, coord.ID, "lantern-bench", 2*time.Hour)
	if err != nil {
		st.Close()
		return err
	}
	session, err := st.StartSession(ctx, coord.ID, store.StageSignedIn, "")
	if err != nil {
		st.Close()
		return err
	}
	// Child-level extracts are the analysts' alone: the bench's own.
	analyst, err := st.FindUserByEmail(sys, benchAnalyst)
	if lantern.ErrorCode(err) == lantern.ENOTFOUND {
		analyst, err = st.CreateUser(sys, lantern.UserInput{Email: benchAnalyst, Name: "Bench Analyst (generated)", AgencyID: coord.AgencyID,
			Roles: []lantern.Role{lantern.RoleAnalyst}})
	}
	if err != nil {
		st.Close()
		return fmt.Errorf("the bench's analyst: %w", err)
	}
	analystSession, err := st.StartSession(ctx, analyst.ID, store.StageSignedIn, "")
	if err != nil {
		st.Close()
		return err
	}
	st.Close()

	// Lantern, a process of its own.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, "-serve-intel", o.data, "-database", o.database)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil {
		return fmt.Errorf("the server process: %w", err)
	}
	var ready struct {
		URL   string  `json:"url"`
		Start float64 `json:"start_s"`
		RSS   float64 `json:"rss_mib"`
	}
	if err := json.Unmarshal([]byte(line), &ready); err != nil {
		return fmt.Errorf("the server process said %q", line)
	}
	// The server's peak, sampled as well as read at the end: VmHWM is the
	// kernel's own high-water mark, so no peak between samples is missed.
	var peakMu sync.Mutex
	peak := 0.0
	sample := func() {
		if v := procKiB(cmd.Process.Pid, "VmHWM:"); v > 0 {
			peakMu.Lock()
			peak = max(peak, v/1024)
			peakMu.Unlock()
		}
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
				sample()
			}
		}
	}()
	fmt.Printf("start-up: %.2f s to serving; %.0f MiB resident (a separate process, pid %d)\n", ready.Start, ready.RSS, cmd.Process.Pid)
	today := lantern.Today(time.Now())
	// The last whole financial year (April to March).
	fyEnd := lantern.Date{Year: today.Year, Month: time.March, Day: 31}
	if !fyEnd.Before(today) {
		fyEnd.Year--
	}
	fyStart := lantern.Date{Year: fyEnd.Year - 1, Month: time.April, Day: 1}
	tenYears := lantern.Date{Year: today.Year - 10, Month: today.Month, Day: 1}
	one := o
	one.clients = 1
	fmt.Printf("load: one client, one request after another, from this process; %s (at least 5 requests) per target after one unmeasured; load average %s\n\n", one.duration, loadAvg())
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tbody\trequests\treq/s\tp50\tp95\tmax\tgoal\t")
	period := "from=" + fyStart.String() + "&to=" + fyEnd.String()
	var failed []string
	for _, tg := range []struct {
		name, path string
		page       bool
		goal       time.Duration
	}{
		{"GET /api/v1/me (comparison)", "/api/v1/me", false, 0},
		{"data set, one area, " + fyStart.String() + " to " + fyEnd.String(), "/api/v1/reports/dataset?" + period + "&area=Z00000001", false, 200 * time.Millisecond},
		{"data set, England (153 areas)", "/api/v1/reports/dataset?" + period, false, time.Second},
		{"trend, ten years by month, one area", "/api/v1/reports/trend?from=" + tenYears.String() + "&to=" + today.String() + "&period=month&area=Z00000001", false, 300 * time.Millisecond},
		{"trend, ten years by month, England", "/api/v1/reports/trend?from=" + tenYears.String() + "&to=" + today.String() + "&period=month", false, 0},
		{"problem-profile pack, one area", "/reports/profile?" + period + "&area=Z00000001", true, 3 * time.Second},
	} {
		tok := token
		if tg.page {
			tok = "session:" + session
		}
		u := ready.URL + tg.path
		body, status, err := fetch(u, tok)
		if status == http.StatusNotFound {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\tnot available (404: not built on this branch)\t\n", tg.name)
			continue
		}
		if err != nil || status != http.StatusOK {
			failed = append(failed, fmt.Sprintf("%s: %d %v %.200s", tg.name, status, err, body))
			continue
		}
		// Requests one after another for the measured time, at least five:
		// a report taking seconds must still be timed, not dropped at the
		// window's end.
		r := &result{name: tg.name}
		began := time.Now()
		for time.Since(began) < one.duration || r.ok+r.errors < 5 {
			t0 := time.Now()
			if _, _, err := fetch(u, tok); err != nil {
				r.errors++
				r.firstErr = err
				continue
			}
			r.ok++
			r.latencies = append(r.latencies, time.Since(t0))
		}
		r.elapsed = time.Since(began)
		slices.Sort(r.latencies)
		goal := "-"
		if tg.goal > 0 {
			goal = fmt.Sprintf("p95 < %s %s", ms(tg.goal), verdict(r.ok > 0 && r.percentile(0.95) < tg.goal))
		}
		fmt.Fprintf(tw, "%s\t%d B\t%d\t%.1f\t%s\t%s\t%s\t%s\t\n", tg.name, len(body), r.ok+r.errors, r.throughput(), ms(r.percentile(0.5)),
			ms(r.percentile(0.95)), ms(r.percentile(1)), goal)
		if r.errors > 0 {
			failed = append(failed, fmt.Sprintf("%s: %d failed, first: %v", tg.name, r.errors, r.firstErr))
		}
	}
	// The extract, streamed to its end, three times.
	for i := range 3 {
		began := time.Now()
		n, rows, status, err := stream(ready.URL+"/reports/extracts/ssd_missing.csv?from="+today.AddDays(-5*365).String()+"&to="+today.String(), "session:"+analystSession)
		took := time.Since(began)
		if status == http.StatusNotFound {
			fmt.Fprintf(tw, "missing extract, streamed\t-\t-\t-\t-\t-\t-\tnot available (404: not built on this branch)\t\n")
			break
		}
		if err != nil || status != http.StatusOK {
			failed = append(failed, fmt.Sprintf("missing extract: %d %v", status, err))
			break
		}
		fmt.Fprintf(tw, "missing extract, five years, streamed (run %d)\t%d B, %d rows\t1\t-\t%s\t-\t-\t< 10 s for a million rows %s\t\n", i+1, n, rows, ms(took),
			verdict(took < 10*time.Second || rows < 1_000_000))
	}
	tw.Flush()
	close(done)
	sample()
	fmt.Printf("\nserver peak resident memory (VmHWM) over the run: %.0f MiB (goal < 1024 MiB: %s)\n", peak, verdict(peak < 1024))
	fmt.Printf("load average (1, 5, 15 min) at the end: %s\n", loadAvg())
	if len(failed) > 0 {
		return fmt.Errorf("%s", strings.Join(failed, "; "))
	}
	return nil
}

// stream reads url to its end without holding it: its bytes and lines.
func stream(url, token string) (int64, int64, int, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	if cookie, ok := strings.CutPrefix(token, "session:"); ok {
		req.Header.Set("Cookie", "lantern_session="+cookie)
	}
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return 0, 0, 0, err
	}
	defer resp.Body.Close()
	var n, lines int64
	buf := make([]byte, 64<<10)
	for {
		k, err := resp.Body.Read(buf)
		n += int64(k)
		for _, b := range buf[:k] {
			if b == '\n' {
				lines++
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, lines, resp.StatusCode, err
		}
	}
	return n, max(lines-1, 0), resp.StatusCode, nil
}

// procKiB is a field of /proc/PID/status in KiB, or 0.
func procKiB(pid int, field string) float64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == field {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v
		}
	}
	return 0
}
