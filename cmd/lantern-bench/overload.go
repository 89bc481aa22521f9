package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"lantern"
	"lantern/intelgen"
)

// runOverload measures admission control (app/admit.go) from outside: the
// server in a separate process, the load from this one. First its capacity
// for the audited child read with o.clients clients; then twice that rate
// offered over many open connections (-conns, 8,000 by default): how many
// were admitted and refused, how quickly each was answered, and the
// server's resident memory at its peak, read from /proc while the load
// runs.
func runOverload(o options) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lantern-bench-overload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Printf("machine: %d CPUs; %s\n", runtime.NumCPU(), uptime())
	st, err := importStore(ctx, dir, o.database)
	if err != nil {
		return err
	}
	sys := lantern.NewSystemContext(ctx, "lantern-bench")
	_, coord, err := intelgen.Accounts(sys, st)
	if err != nil {
		st.Close()
		return err
	}
	asCoord := lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, coord), lantern.RequestInfo{Why: "bench"})
	child, err := st.CreateChild(asCoord, lantern.ChildInput{GivenName: "Tia", FamilyName: "Overload", DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 1}, Gender: "female"})
	if err != nil {
		st.Close()
		return err
	}
	token, _, err := st.CreateToken(sys, coord.ID, "lantern-bench", 2*time.Hour)
	st.Close()
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, "-serve-intel", dir, "-database", o.database)
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("the server process: %w", err)
	}
	var ready struct {
		URL string  `json:"url"`
		RSS float64 `json:"rss_mib"`
	}
	if err := json.Unmarshal([]byte(line), &ready); err != nil {
		return fmt.Errorf("the server process said %q", line)
	}
	url := ready.URL + "/api/v1/children/" + child.ID
	fmt.Printf("server: a separate process (pid %d), %.0f MiB resident at start; target GET /api/v1/children/{id} (an audited read)\n", cmd.Process.Pid, ready.RSS)

	capRes, err := load("capacity", url, token, o, "", "", nil)
	if err != nil {
		return err
	}
	capacity := capRes.throughput()
	fmt.Printf("capacity: %.0f req/s with %d clients (p50 %s, p99 %s)\n", capacity, o.clients, capRes.percentile(0.50).Round(10*time.Microsecond), capRes.percentile(0.99).Round(10*time.Microsecond))

	// Twice that, offered over o.conns connections, each sending at its
	// share of the rate (closed per connection: a connection waits for its
	// answer before its next request).
	rate := 2 * capacity
	interval := time.Duration(float64(time.Second) * float64(o.conns) / rate)
	tr := &http.Transport{MaxIdleConnsPerHost: o.conns, MaxConnsPerHost: o.conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var peak atomic.Int64
	stopRSS := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopRSS:
				return
			case <-t.C:
				if kb := procRSSKiB(cmd.Process.Pid); kb > peak.Load() {
					peak.Store(kb)
				}
			}
		}
	}()
	type obs struct {
		admitted, refused []time.Duration
		errs              int
		firstErr          string
	}
	all := make([]obs, o.conns)
	var wg sync.WaitGroup
	start := time.Now()
	warmEnd := start.Add(o.warmup + 5*time.Second) // the connections open first
	end := warmEnd.Add(o.duration)
	// The CPU each process spent over the measured window: where the two
	// cores went.
	var serverCPU, loadCPU time.Duration
	cpuDone := make(chan struct{})
	go func() {
		defer close(cpuDone)
		time.Sleep(time.Until(warmEnd))
		s0, l0 := procCPU(cmd.Process.Pid), cpuSelf()
		time.Sleep(time.Until(end))
		serverCPU, loadCPU = procCPU(cmd.Process.Pid)-s0, cpuSelf()-l0
	}()
	for i := range o.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ob := &all[i]
			next := start.Add(time.Duration(i) * interval / time.Duration(o.conns))
			for {
				if d := time.Until(next); d > 0 {
					time.Sleep(d)
				}
				if !next.Before(end) {
					return
				}
				next = next.Add(interval)
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t)
				if t.Before(warmEnd) {
					continue
				}
				switch {
				case err != nil:
					ob.errs++
					if ob.firstErr == "" {
						ob.firstErr = err.Error()
					}
				case resp.StatusCode == http.StatusOK:
					ob.admitted = append(ob.admitted, d)
				case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
					ob.refused = append(ob.refused, d)
				default:
					ob.errs++
					if ob.firstErr == "" {
						ob.firstErr = fmt.Sprintf("status %d", resp.StatusCode)
					}
				}
			}
		}()
	}
	wg.Wait()
	<-cpuDone
	close(stopRSS)
	var admitted, refused []time.Duration
	errs, firstErr := 0, ""
	for _, ob := range all {
		admitted = append(admitted, ob.admitted...)
		refused = append(refused, ob.refused...)
		errs += ob.errs
		if firstErr == "" {
			firstErr = ob.firstErr
		}
	}
	slices.Sort(admitted)
	slices.Sort(refused)
	pct := func(ds []time.Duration, p float64) string {
		if len(ds) == 0 {
			return "-"
		}
		return ds[min(len(ds)-1, int(float64(len(ds))*p/100))].Round(10 * time.Microsecond).String()
	}
	secs := o.duration.Seconds()
	fmt.Printf("\n2x overload: %.0f req/s offered over %d connections (each every %s), %s measured after the connections opened\n", rate, o.conns, interval.Round(time.Millisecond), o.duration)
	fmt.Printf("  admitted: %d (%.0f/s): p50 %s, p99 %s   (goal: p99 < 100ms)\n", len(admitted), float64(len(admitted))/secs, pct(admitted, 50), pct(admitted, 99))
	fmt.Printf("  refused 503 with Retry-After: %d (%.0f/s): p50 %s, p99 %s   (goal: answered within 10ms)\n", len(refused), float64(len(refused))/secs, pct(refused, 50), pct(refused, 99))
	fmt.Printf("  failed: %d%s\n", errs, map[bool]string{true: " (first: " + firstErr + ")", false: ""}[errs > 0])
	fmt.Printf("  server resident memory at its peak: %.0f MiB   (goal: < 300 MiB with %d connections open)\n", float64(peak.Load())/1024, o.conns)
	fmt.Printf("  CPU over the measured %s: the server %.2f cores, the load (this process) %.2f cores, of %d\n", o.duration,
		serverCPU.Seconds()/secs, loadCPU.Seconds()/secs, runtime.NumCPU())
	fmt.Printf("load average (1, 5, 15 min) at the end: %s\n", loadAvg())
	return nil
}

// procCPU is a process's CPU time so far (user and system), from /proc.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which is in parentheses.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	var utime, stime int64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

// procRSSKiB is a process's resident memory, from /proc.
func procRSSKiB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			var kb int64
			fmt.Sscan(f[1], &kb)
			return kb
		}
	}
	return 0
}
