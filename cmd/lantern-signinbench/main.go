// Command lantern-signinbench measures what a storm of sign-ins does to a
// running Lantern: it starts `lantern serve` as a separate process, sends
// many password sign-ins at once from many loopback addresses, and reports
// the server's peak memory, how the sign-ins were answered, and whether the
// server kept answering (its /healthz, probed throughout). It runs the same
// storm twice in one run: with the default bound on password hashes run at
// once, and with a wide bound, for comparison.
//
//	go run ./cmd/lantern-signinbench                      # 1,000 sign-ins from 50 addresses
//	go run ./cmd/lantern-signinbench -n 1000 -addrs 50 -compare-hashes 64
//
// It is a report, not a test: it exits 0 whether or not the goal (peak
// under 300 MiB, health answered) is met, non-zero only if it cannot run.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

const goalPeakMiB = 300

type options struct {
	n, addrs, accounts int
	compareHashes      int
	lantern            string
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 1000, "sign-ins sent at once")
	flag.IntVar(&o.addrs, "addrs", 50, "client addresses they come from (127.0.0.2 onwards)")
	flag.IntVar(&o.accounts, "accounts", 10, "accounts tried (with wrong passwords, and one in ten unknown)")
	flag.IntVar(&o.compareHashes, "compare-hashes", 64, "--signin-hashes of the comparison run (0: no comparison)")
	flag.StringVar(&o.lantern, "lantern", "", "the lantern binary (built from ./cmd/lantern when empty)")
	flag.Parse()
	if o.n < 1 || o.addrs < 1 || o.addrs > 250 || o.accounts < 1 {
		fmt.Fprintln(os.Stderr, "lantern-signinbench: -n, -accounts positive; -addrs from 1 to 250")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "lantern-signinbench: FAIL:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	dir, err := os.MkdirTemp("", "lantern-signinbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := o.lantern
	if bin == "" {
		bin = filepath.Join(dir, "lantern")
		build := exec.Command("go", "build", "-o", bin, "./cmd/lantern")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build lantern (run from the repository's root, or give -lantern): %w", err)
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("machine: %d CPUs (GOMAXPROCS of the server), %s; load average at start: %s\n", runtime.NumCPU(), runtime.GOARCH, strings.Join(strings.Fields(string(load))[:3], " "))
	fmt.Printf("storm: %d password sign-ins at once from %d addresses, over %d accounts\n\n", o.n, o.addrs, o.accounts)
	runs := []struct {
		name   string
		hashes int
	}{{"default bound", 0}}
	if o.compareHashes > 0 {
		runs = append(runs, struct {
			name   string
			hashes int
		}{fmt.Sprintf("bound %d", o.compareHashes), o.compareHashes})
	}
	var results []result
	for i, r := range runs {
		res, err := storm(o, bin, filepath.Join(dir, "run"+strconv.Itoa(i)), r.hashes)
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		res.name = r.name
		results = append(results, res)
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "run\t--signin-hashes\tRSS before\tpeak RSS\tstorm took\tanswers\thealth probes\thealth worst")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%.0f MiB\t%.0f MiB\t%s\t%s\t%d ok, %d failed\t%s\n", r.name, r.hashesText, r.before, r.peak,
			r.took.Round(time.Millisecond), r.answers, r.healthOK, r.healthFailed, r.healthWorst.Round(time.Millisecond))
	}
	tw.Flush()
	d := results[0]
	met := d.peak < goalPeakMiB && d.healthFailed == 0
	fmt.Printf("\ngoal: peak under %d MiB and still answering: %s (peak %.0f MiB, %d health probes failed)\n", goalPeakMiB, map[bool]string{true: "met", false: "NOT met"}[met], d.peak, d.healthFailed)
	return nil
}

type result struct {
	name, hashesText string
	before, peak     float64 // MiB
	took             time.Duration
	answers          string
	healthOK         int
	healthFailed     int
	healthWorst      time.Duration
}

func lanternCmd(bin string, args []string, stdin string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("lantern %s: %v: %s", args[0], err, ee.Stderr)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func storm(o options, bin, data string, hashes int) (result, error) {
	res := result{hashesText: "default"}
	if hashes > 0 {
		res.hashesText = strconv.Itoa(hashes)
	}
	if _, err := lanternCmd(bin, []string{"agency", "add", "--data", data, "--name", "Riverside Academy", "--kind", "education"}, ""); err != nil {
		return res, err
	}
	for i := range o.accounts {
		if _, err := lanternCmd(bin, []string{"user", "add", "--data", data, "--email", fmt.Sprintf("teacher%d@riverside.example.org", i),
			"--name", fmt.Sprintf("Teacher %d", i), "--agency", "Riverside Academy", "--role", "practitioner", "--password-stdin"},
			"a long and fictional password\n"); err != nil {
			return res, err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--data", data, "--addr", addr, "--log-level", "error"}
	if hashes > 0 {
		args = append(args, "--signin-hashes", strconv.Itoa(hashes))
	}
	srv := exec.Command(bin, args...)
	srv.Stderr = io.Discard
	if err := srv.Start(); err != nil {
		return res, err
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	base := "http://" + addr
	if err := waitReady(base); err != nil {
		return res, err
	}
	// A few sign-ins first, so "before" is a server that has hashed once.
	post(newClient(net.ParseIP("127.0.0.1")), base, "teacher0@riverside.example.org", "wrong password to warm up")
	time.Sleep(200 * time.Millisecond)
	res.before = rssMiB(srv.Process.Pid, "VmRSS")

	// Peak memory is the kernel's high-water mark (VmHWM), read after.
	ctx, stop := context.WithCancel(context.Background())
	var probes sync.WaitGroup
	var worst atomic.Int64
	probes.Add(1)
	go func() {
		defer probes.Done()
		c := &http.Client{Timeout: 5 * time.Second}
		for ctx.Err() == nil {
			t0 := time.Now()
			r, err := c.Get(base + "/healthz")
			d := time.Since(t0)
			if err == nil && r.StatusCode == 200 {
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
				res.healthOK++
			} else {
				if r != nil {
					r.Body.Close()
				}
				res.healthFailed++
			}
			if int64(d) > worst.Load() {
				worst.Store(int64(d))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()

	clients := make([]*http.Client, o.addrs)
	for i := range clients {
		clients[i] = newClient(net.IPv4(127, 0, 0, byte(2+i)))
	}
	statuses := make([]int, o.n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range o.n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			email := fmt.Sprintf("teacher%d@riverside.example.org", (i/o.addrs)%o.accounts)
			if i%10 == 9 {
				email = fmt.Sprintf("nobody%d@riverside.example.org", i)
			}
			<-start
			statuses[i] = post(clients[i%o.addrs], base, email, fmt.Sprintf("wrong password %d", i))
		}()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	res.took = time.Since(t0)
	time.Sleep(300 * time.Millisecond) // the probe keeps going a moment after
	stop()
	probes.Wait()
	res.healthWorst = time.Duration(worst.Load())
	res.peak = rssMiB(srv.Process.Pid, "VmHWM")
	count := map[int]int{}
	for _, st := range statuses {
		count[st]++
	}
	var parts []string
	for _, st := range slices.Sorted(func(yield func(int) bool) {
		for k := range count {
			if !yield(k) {
				return
			}
		}
	}) {
		name := strconv.Itoa(st)
		if st == 0 {
			name = "no answer"
		}
		parts = append(parts, fmt.Sprintf("%d×%s", count[st], name))
	}
	res.answers = strings.Join(parts, " ")
	return res, nil
}

func newClient(from net.IP) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: from}, Timeout: 10 * time.Second}
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 1000,
		MaxConnsPerHost: 0, DisableKeepAlives: true}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func post(c *http.Client, base, email, password string) int {
	r, err := c.PostForm(base+"/sign-in", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return r.StatusCode
}

func waitReady(base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the server did not become ready in 30 s")
}

// rssMiB reads a memory figure of a process, in MiB.
func rssMiB(pid int, field string) float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
