package main

// The intelligence scenario (issue 14's goals): a generated national set
// (intelgen; -scale 1 is 2 million entities and 10 million links) imported
// and timed; Lantern started on it in a separate process, its start and
// memory measured; then, with the load from this process, the network
// around a child (2 hops as JSON and as the page, 3 hops), registration and
// phone searches, partial registrations and a new person's candidates,
// beside GET /api/v1/me in the same run for comparison; and last, every
// person resolved again, timed and measured against the generated truth.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"lantern"
	"lantern/app"
	"lantern/intelgen"
	"lantern/store"
)

func runIntel(o options) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lantern-bench-intel-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Printf("machine: %d CPUs, CPU %s; %s\n", runtime.NumCPU(), cpuModel(), uptime())

	// Import, into a store no server holds.
	st, err := importStore(ctx, dir, o.database)
	if err != nil {
		return err
	}
	sys := lantern.NewSystemContext(ctx, "lantern-bench")
	began := time.Now()
	set := intelgen.Generate(o.seed, o.scale)
	generated := time.Since(began)
	police, coord, err := intelgen.Accounts(sys, st)
	if err != nil {
		st.Close()
		return err
	}
	began = time.Now()
	loaded, err := intelgen.Load(ctx, sys, st, set, police, coord, io.Discard)
	if err != nil {
		st.Close()
		return fmt.Errorf("import: %w", err)
	}
	imported := time.Since(began)
	fmt.Printf("scale %g: %d entities (%d persons), %d children, %d links; generated in %s, imported in %s (%s)\n",
		o.scale, len(set.Persons)+len(set.Vehicles)+len(set.Phones)+len(set.Places)+len(set.Accounts), len(set.Persons), len(set.Children),
		len(set.Links), generated.Round(time.Millisecond), imported.Round(time.Millisecond), st.Dialect())
	targets, err := intelTargets(ctx, st, set, loaded, coord)
	if err != nil {
		st.Close()
		return err
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
	st.Close()

	// Start: a separate process, timed to ready, its memory read.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, "-serve-intel", dir, "-database", o.database)
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
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil {
		stdin.Close()
		cmd.Wait()
		return fmt.Errorf("the server process: %w", err)
	}
	var ready struct {
		URL   string  `json:"url"`
		Start float64 `json:"start_s"`
		Graph float64 `json:"graph_s"`
		RSS   float64 `json:"rss_mib"`
	}
	if err := json.Unmarshal([]byte(line), &ready); err != nil {
		stdin.Close()
		cmd.Wait()
		return fmt.Errorf("the server process said %q", line)
	}
	fmt.Printf("start-up: %.2f s to serving, %.2f s to the graph index built; %.0f MiB resident then (a separate process)\n", ready.Start, ready.Graph, ready.RSS)
	fmt.Printf("load: %d clients in this process; %s warm-up + %s measured per target\n\n", o.clients, o.warmup, o.duration)
	loadStart := loadAvg()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tsize\trequests\terrors\treq/s\tp50\tp95\tp99\tmax\tgoal p95\t")
	var failed []string
	for _, tg := range targets {
		tok := token
		if tg.page {
			tok = "session:" + session
		}
		u := ready.URL + tg.path
		body, status, err := fetch(u, tok)
		if err != nil || status != 200 {
			failed = append(failed, fmt.Sprintf("%s: %d %v %.200s", tg.name, status, err, body))
			continue
		}
		r, err := load(tg.name, u, tok, o, "", "", nil)
		if err != nil {
			return err
		}
		goal := "-"
		if tg.goal > 0 {
			goal = fmt.Sprintf("%s %s", ms(tg.goal), verdict(r.percentile(0.95) <= tg.goal))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t%s\t\n", tg.name, tg.size, r.ok+r.errors, r.errors, r.throughput(),
			ms(r.percentile(0.5)), ms(r.percentile(0.95)), ms(r.percentile(0.99)), ms(r.percentile(1)), goal)
		if r.errors > 0 {
			failed = append(failed, fmt.Sprintf("%s: %d failed, first: %v", tg.name, r.errors, r.firstErr))
		}
	}
	tw.Flush()
	stdin.Close()
	if line, err := out.ReadString('\n'); err == nil {
		var bye struct {
			RSS float64 `json:"rss_mib"`
		}
		if json.Unmarshal([]byte(line), &bye) == nil {
			fmt.Printf("\nserver resident after the load: %.0f MiB\n", bye.RSS)
		}
	}
	cmd.Wait()
	fmt.Printf("load average (1, 5, 15 min) at the load's start: %s; at its end: %s\n\n", loadStart, loadAvg())

	if !o.resolve {
		if len(failed) > 0 {
			return fmt.Errorf("%s", strings.Join(failed, "; "))
		}
		return nil
	}
	// Every person resolved again, against the truth.
	st, err = importStore(ctx, dir, o.database)
	if err != nil {
		return err
	}
	defer st.Close()
	began = time.Now()
	trep, err := st.TrainIntelModel(sys, 500_000, 2_000_000, 2_000_000, 1)
	if err != nil {
		return err
	}
	fmt.Printf("training on %d persons: %s\n", trep.Records, time.Since(began).Round(time.Millisecond))
	began = time.Now()
	rep, err := st.ResolveAll(sys)
	if err != nil {
		return err
	}
	fmt.Printf("re-resolving %d persons: %s (%d pairs scored, %d merged, %d for review)\n", rep.Records, time.Since(began).Round(time.Millisecond),
		rep.Pairs, rep.Merged, rep.Review)
	roots, review, err := st.PersonClusters(sys)
	if err != nil {
		return err
	}
	entity, origin := map[string]string{}, map[string]string{}
	for i, id := range loaded.Persons {
		entity[id], origin[id] = fmt.Sprint(set.Truth[i]), set.Origin(i)
	}
	for _, rule := range []string{"merged", "merged or for review"} {
		cluster := map[string]string{}
		for id, root := range roots {
			cluster[id] = root
		}
		if rule != "merged" {
			parent := map[string]string{}
			var find func(string) string
			find = func(x string) string {
				for parent[x] != "" && parent[x] != x {
					x = parent[x]
				}
				return x
			}
			for id, root := range roots {
				if a, b := find(id), find(root); a != b {
					parent[a] = b
				}
			}
			for _, p := range review {
				if a, b := find(p[0]), find(p[1]); a != b {
					parent[a] = b
				}
			}
			for id := range roots {
				cluster[id] = find(id)
			}
		}
		mt := intelgen.PairMetrics(cluster, entity, origin)
		var names []string
		worst, worstName := 1.0, ""
		for k := range mt {
			if k != "" {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		for _, k := range names {
			// Each origin against all the others together.
			var rest intelgen.Metric
			for _, j := range names {
				if j != k {
					rest.TruePairs += mt[j].TruePairs
					rest.Correct += mt[j].Correct
				}
			}
			if gap := rest.Recall() - mt[k].Recall(); 1-gap < worst {
				worst, worstName = 1-gap, k
			}
		}
		fmt.Printf("%s: precision %.4f, recall %.4f; the origin furthest below the rest: %s, %.1f points\n", rule, mt[""].Precision(), mt[""].Recall(),
			worstName, (1-worst)*100)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%s", strings.Join(failed, "; "))
	}
	return nil
}

// intelTarget is a request measured.
type intelTarget struct {
	name, path, size string
	page             bool
	goal             time.Duration
}

// intelTargets chooses what to ask: the children with the largest networks
// (of a sample) within the node cap, a registration, a number, a partial
// registration, and a person's candidates.
func intelTargets(ctx context.Context, st *store.Store, set *intelgen.Set, loaded *intelgen.Loaded, coord *lantern.User) ([]intelTarget, error) {
	as := lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, coord), lantern.RequestInfo{Why: "lantern-bench"})
	best, bestN, best3, best3N := "", -1, "", -1
	for i := 0; i < len(loaded.Children) && i < 40; i++ {
		id := loaded.Children[i*max(1, len(loaded.Children)/40)%len(loaded.Children)]
		n2, err := st.Network(as, id, lantern.NetworkQuery{Hops: 2})
		if err != nil {
			return nil, err
		}
		if len(n2.Nodes) > bestN {
			best, bestN = id, len(n2.Nodes)
		}
		n3, err := st.Network(as, id, lantern.NetworkQuery{Hops: 3})
		if err != nil {
			return nil, err
		}
		if len(n3.Nodes) > best3N {
			best3, best3N = id, len(n3.Nodes)
		}
	}
	// A far node of the largest three-hop network, for the path.
	n3, err := st.Network(as, best3, lantern.NetworkQuery{Hops: 3})
	if err != nil {
		return nil, err
	}
	far := n3.Nodes[len(n3.Nodes)-1]
	second := best3
	if second == best {
		second = loaded.Children[0]
		if second == best {
			second = loaded.Children[1]
		}
	}
	vrm, _, _ := lantern.NormaliseVRM(set.Vehicles[len(set.Vehicles)/2].VRM)
	partial := vrm[:2] + "??" + vrm[4:]
	phone := set.Phones[len(set.Phones)/3]
	rs, err := st.SearchVRM(as, partial)
	if err != nil {
		return nil, err
	}
	person := loaded.Persons[len(loaded.Persons)/2]
	return []intelTarget{
		{name: "GET /api/v1/me (comparison)", path: "/api/v1/me", size: "-"},
		{name: "network 2 hops, JSON", path: "/api/v1/children/" + best + "/network?hops=2", size: fmt.Sprintf("%d nodes", bestN), goal: 150 * time.Millisecond},
		{name: "network 2 hops, page", path: "/children/" + best + "/network?hops=2", size: fmt.Sprintf("%d nodes", bestN), page: true, goal: 150 * time.Millisecond},
		{name: "network 3 hops, JSON", path: "/api/v1/children/" + best3 + "/network?hops=3", size: fmt.Sprintf("%d nodes", best3N), goal: 300 * time.Millisecond},
		{name: "registration, exact", path: "/api/v1/intelligence/search?vrm=" + vrm, size: "1", goal: 10 * time.Millisecond},
		{name: "phone, exact", path: "/api/v1/intelligence/search?phone=" + strings.ReplaceAll(strings.ReplaceAll(phone, " ", "%20"), "+", "%2B"), size: "1", goal: 10 * time.Millisecond},
		{name: "registration, partial", path: "/api/v1/intelligence/search?vrm=" + strings.ReplaceAll(partial, "?", "%3F"), size: fmt.Sprintf("%d found", len(rs)), goal: 200 * time.Millisecond},
		{name: "a person's candidates", path: "/api/v1/persons/" + person + "/candidates", size: "-", goal: 200 * time.Millisecond},
		{name: "shortest path, up to 6 hops", path: "/api/v1/intelligence/path?from=child:" + best3 + "&to=" + string(far.Type) + ":" + far.ID + "&hops=6",
			size: fmt.Sprintf("hop %d", far.Hop), goal: 200 * time.Millisecond},
		{name: "shared associates, 2 children", path: "/api/v1/intelligence/shared?child=" + best + "&child=" + second + "&hops=2", size: "-", goal: 50 * time.Millisecond},
		{name: "groups, whole graph", path: "/api/v1/intelligence/groups?limit=20", size: "-", goal: 30 * time.Second},
		{name: "most connected", path: "/api/v1/intelligence/most-connected?limit=25", size: "-"},
	}, nil
}

// openIn opens Lantern on dir without serving, for the import and the
// re-resolve.
func openIn(ctx context.Context, dir, database string) (*app.Main, error) {
	c := app.Defaults()
	c.Addr, c.DataDir, c.Database = "127.0.0.1:0", dir, database
	m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
	if err := m.Open(ctx); err != nil {
		m.Close()
		return nil, fmt.Errorf("start Lantern: %w", err)
	}
	return m, nil
}

// importStore opens the store alone, as "lantern demo generate" does: no
// server, so nothing else reads the links while they go in.
func importStore(ctx context.Context, dir, database string) (*store.Store, error) {
	c := app.Defaults()
	c.DataDir, c.Database = dir, database
	st, err := app.OpenStore(ctx, c, app.NewLogger(io.Discard, "error"))
	if err != nil {
		return nil, fmt.Errorf("open the store: %w", err)
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// serveIntel is the server process: it opens Lantern on dir, says how long
// that took and its resident memory, as JSON, serves until its input ends,
// then says its memory again.
func serveIntel(dir, database string) error {
	began := time.Now()
	m, err := openIn(context.Background(), dir, database)
	if err != nil {
		return err
	}
	defer m.Close()
	serving := time.Since(began).Seconds()
	// The graph index builds in the background: measure once it is ready.
	for !m.Store.GraphStats().Ready {
		if e := m.Store.GraphStats().Err; e != "" {
			return fmt.Errorf("graph index: %s", e)
		}
		time.Sleep(20 * time.Millisecond)
	}
	json.NewEncoder(os.Stdout).Encode(map[string]any{"url": m.URL(), "start_s": serving, "graph_s": time.Since(began).Seconds(),
		"rss_mib": rssMiB()})
	io.Copy(io.Discard, os.Stdin)
	json.NewEncoder(os.Stdout).Encode(map[string]any{"rss_mib": rssMiB()})
	return nil
}

// rssMiB is this process's resident memory.
func rssMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			var kb float64
			fmt.Sscan(f[1], &kb)
			return kb / 1024
		}
	}
	return 0
}
