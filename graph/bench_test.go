package graph_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"lantern"
	"lantern/graph"
	"lantern/graph/gen"
)

// The benchmarks run at national scale (gen.National: 2 million nodes, 10
// million edges, hubs to 10,000 links) unless LANTERN_GRAPH_NODES and
// LANTERN_GRAPH_EDGES say smaller. They only run under -bench:
//
//	go test -bench . -run x ./graph/
//	LANTERN_GRAPH_NODES=200000 LANTERN_GRAPH_EDGES=1000000 go test -bench . -run x ./graph/

var big struct {
	once     sync.Once
	g        gen.Graph
	ix       *graph.Index
	children []graph.Node // child-like starts: children with 1 to 20 links
}

func config() gen.Config {
	c := gen.National
	if s := os.Getenv("LANTERN_GRAPH_NODES"); s != "" {
		c.Nodes, _ = strconv.Atoi(s)
	}
	if s := os.Getenv("LANTERN_GRAPH_EDGES"); s != "" {
		c.Edges, _ = strconv.Atoi(s)
	}
	return c
}

func bigGraph(b *testing.B) {
	big.once.Do(func() {
		c := config()
		t0 := time.Now()
		big.g = gen.Make(c)
		var err error
		big.ix, err = graph.Build(big.g.Nodes, big.g.Edges)
		if err != nil {
			panic(err)
		}
		child := graph.KindOf(lantern.EntityChild)
		for u, k := range big.g.Kinds {
			if d := big.ix.Degree(graph.Node(u)); k == child && d >= 1 && d <= 20 {
				big.children = append(big.children, graph.Node(u))
			}
		}
		hubs := big.ix.TopDegree(3, nil, nil)
		fmt.Fprintf(os.Stderr, "graph: %d nodes, %d edges, %d child-like starts, top degrees %v (made and built in %v)\n",
			c.Nodes, big.ix.Edges(), len(big.children), hubs, time.Since(t0).Round(time.Millisecond))
	})
	b.ResetTimer()
}

// timed runs f b.N times and reports the 50th and 95th percentiles of its
// wall time, and of its thread's CPU time (on Linux), which a busy machine
// inflates less.
func timed(b *testing.B, f func(i int)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	d := make([]time.Duration, 0, b.N)
	c := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		t0, c0 := time.Now(), threadCPU()
		f(i)
		c = append(c, threadCPU()-c0)
		d = append(d, time.Since(t0))
	}
	b.StopTimer()
	for _, x := range []struct {
		name string
		d    []time.Duration
	}{{"", d}, {"cpu-", c}} {
		slices.Sort(x.d)
		b.ReportMetric(float64(x.d[len(x.d)/2].Nanoseconds())/1e3, x.name+"p50-µs")
		b.ReportMetric(float64(x.d[len(x.d)*95/100].Nanoseconds())/1e3, x.name+"p95-µs")
	}
}

// cpu reports the process's CPU time per op of a whole-graph benchmark (all
// threads: Build's workers and the collector's too).
func cpu(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((processCPU()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func BenchmarkBuild(b *testing.B) {
	bigGraph(b)
	var ix *graph.Index
	var used time.Duration
	for range b.N {
		b.StopTimer()
		ix = nil
		before := heapInUse()
		c0 := processCPU()
		b.StartTimer()
		var err error
		ix, err = graph.Build(big.g.Nodes, big.g.Edges)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		used += processCPU() - c0
		b.ReportMetric(float64(heapInUse()-before)/1e6, "heap-MB")
		b.StartTimer()
	}
	b.ReportMetric(float64(used.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(ix.Bytes())/1e6, "index-MB")
}

func aroundBench(b *testing.B, hops int, f graph.Filter) {
	bigGraph(b)
	r := rand.New(rand.NewPCG(1, 1))
	nodes, truncated, hubs, links := 0, 0, 0, 0
	timed(b, func(int) {
		net := big.ix.Around([]graph.Node{big.children[r.IntN(len(big.children))]}, graph.Options{Hops: hops, Filter: f})
		nodes += len(net.Nodes)
		hubs += len(net.Hubs)
		links += len(net.Links)
		if net.Truncated {
			truncated++
		}
	})
	b.ReportMetric(float64(nodes)/float64(b.N), "nodes")
	b.ReportMetric(float64(hubs)/float64(b.N), "hubs")
	b.ReportMetric(float64(links)/float64(b.N), "links")
	b.ReportMetric(float64(truncated)/float64(b.N), "truncated")
}

func BenchmarkAround2(b *testing.B) { aroundBench(b, 2, nil) }
func BenchmarkAround3(b *testing.B) { aroundBench(b, 3, nil) }

// Around3Filtered keeps four link kinds of nine, a 5-year window and gradings
// of source 1 or 2.
func BenchmarkAround3Filtered(b *testing.B) {
	aroundBench(b, 3, func(attr, day uint32) bool {
		return attr&0xff < 4 && day >= 18263 && day < 20089 && attr>>12&0xf <= 2
	})
}

// Walk3 is Around3's walk alone, without finding the links among the nodes:
// Shared from one start, capped as Around is.
func BenchmarkWalk3(b *testing.B) {
	bigGraph(b)
	r := rand.New(rand.NewPCG(1, 1))
	timed(b, func(int) {
		big.ix.Shared([]graph.Node{big.children[r.IntN(len(big.children))]}, graph.Options{Hops: 3, MaxNodes: graph.DefaultMaxNodes})
	})
}

func BenchmarkShortestPath(b *testing.B) {
	bigGraph(b)
	r := rand.New(rand.NewPCG(2, 2))
	found, length := 0, 0
	timed(b, func(int) {
		p := big.ix.ShortestPath(big.children[r.IntN(len(big.children))], big.children[r.IntN(len(big.children))], graph.Options{})
		if len(p.Nodes) > 0 {
			found++
			length += len(p.Links)
		}
	})
	b.ReportMetric(float64(found)/float64(b.N), "found")
	if found > 0 {
		b.ReportMetric(float64(length)/float64(found), "hops")
	}
}

// Shared of three children near each other (the second and third from the
// first's two-hop network, as children known to the same group would be).
func BenchmarkShared3(b *testing.B) {
	bigGraph(b)
	r := rand.New(rand.NewPCG(3, 3))
	child := graph.KindOf(lantern.EntityChild)
	var sets [][]graph.Node
	for len(sets) < 1000 {
		s := big.children[r.IntN(len(big.children))]
		set := []graph.Node{s}
		for _, x := range big.ix.Around([]graph.Node{s}, graph.Options{}).Nodes {
			if len(set) < 3 && x.Hop > 0 && big.g.Kinds[x.Node] == child {
				set = append(set, x.Node)
			}
		}
		if len(set) == 3 {
			sets = append(sets, set)
		}
	}
	shared := 0
	timed(b, func(i int) {
		shared += len(big.ix.Shared(sets[i%len(sets)], graph.Options{}).Nodes)
	})
	b.ReportMetric(float64(shared)/float64(b.N), "shared")
}

func BenchmarkComponents(b *testing.B) {
	bigGraph(b)
	var p *graph.Parts
	c0 := processCPU()
	for range b.N {
		p = big.ix.Components(nil, 0)
	}
	cpu(b, c0)
	b.ReportMetric(float64(p.Count()), "components")
	b.ReportMetric(float64(p.Size(0)), "largest")
}

// ComponentsHubRule: groups with nodes of over 200 links standing alone.
func BenchmarkComponentsHubRule(b *testing.B) {
	bigGraph(b)
	var p *graph.Parts
	c0 := processCPU()
	for range b.N {
		p = big.ix.Components(nil, graph.DefaultMaxDegree)
	}
	cpu(b, c0)
	b.ReportMetric(float64(p.Count()), "components")
	b.ReportMetric(float64(p.Size(0)), "largest")
}

func BenchmarkTopDegreeChildren(b *testing.B) {
	bigGraph(b)
	child := graph.KindOf(lantern.EntityChild)
	for range b.N {
		big.ix.TopDegree(20, func(n graph.Node) bool { return big.g.Kinds[n] == child }, nil)
	}
}

// LiveAdd is the overlay's apply rate: random new edges into a Live over the
// whole graph (ns/op is per edge).
func BenchmarkLiveAdd(b *testing.B) {
	bigGraph(b)
	l := graph.NewLive(big.ix)
	r := rand.New(rand.NewPCG(4, 4))
	n := big.ix.Nodes()
	base := uint32(len(big.g.Edges))
	b.ResetTimer()
	c0 := processCPU()
	defer func() { b.ReportMetric(float64((processCPU()-c0).Nanoseconds())/float64(b.N), "cpu-ns/op") }()
	for i := range b.N {
		if err := l.Add(graph.Edge{A: graph.Node(r.IntN(n)), B: graph.Node(r.IntN(n)), ID: base + uint32(i), Attr: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// LiveRemove masks random indexed edges (ns/op is per edge).
func BenchmarkLiveRemove(b *testing.B) {
	bigGraph(b)
	l := graph.NewLive(big.ix)
	perm := rand.New(rand.NewPCG(5, 5)).Perm(len(big.g.Edges))
	b.ResetTimer()
	for i := range b.N {
		e := big.g.Edges[perm[i%len(perm)]]
		if e.A != e.B {
			l.Remove(e)
		}
	}
}

// Around3Live is Around on a Live with 100,000 edges added and 100,000
// removed.
func BenchmarkAround3Live(b *testing.B) {
	bigGraph(b)
	l := liveWithDelta(100_000)
	r := rand.New(rand.NewPCG(1, 1))
	timed(b, func(int) {
		l.Around([]graph.Node{big.children[r.IntN(len(big.children))]}, graph.Options{Hops: 3})
	})
}

func liveWithDelta(k int) *graph.Live {
	l := graph.NewLive(big.ix)
	r := rand.New(rand.NewPCG(6, 6))
	n := big.ix.Nodes()
	for i := range k {
		l.Add(graph.Edge{A: graph.Node(r.IntN(n)), B: graph.Node(r.IntN(n)), ID: uint32(len(big.g.Edges) + i), Attr: 1})
		e := big.g.Edges[r.IntN(len(big.g.Edges))]
		if e.A != e.B {
			l.Remove(e)
		}
	}
	return l
}

// Compact folds a delta of 100,000 added and 100,000 removed edges.
func BenchmarkCompact(b *testing.B) {
	bigGraph(b)
	var used time.Duration
	for range b.N {
		b.StopTimer()
		l := liveWithDelta(100_000)
		c0 := processCPU()
		b.StartTimer()
		l.Compact()
		b.StopTimer()
		used += processCPU() - c0
		b.StartTimer()
	}
	b.ReportMetric(float64(used.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// Dict is the key dictionary at the graph's node count: time per key added,
// and its memory against a Go map of the same keys.
func BenchmarkDict(b *testing.B) {
	n := config().Nodes
	keys := make([]graph.Key, n)
	r := rand.New(rand.NewPCG(7, 7))
	for i := range keys {
		keys[i].Kind = byte(1 + r.IntN(6))
		for j := range keys[i].ID {
			keys[i].ID[j] = byte(r.Uint32())
		}
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		before := heapInUse()
		b.StartTimer()
		d := graph.NewDict(0)
		for _, k := range keys {
			d.Add(k)
		}
		b.StopTimer()
		b.ReportMetric(float64(heapInUse()-before)/1e6, "heap-MB")
		for _, k := range keys[:1000] {
			if _, ok := d.Lookup(k); !ok {
				b.Fatal("lost a key")
			}
		}
		runtime.KeepAlive(d)
		before = heapInUse()
		m := make(map[graph.Key]graph.Node)
		for i, k := range keys {
			m[k] = graph.Node(i)
		}
		b.ReportMetric(float64(heapInUse()-before)/1e6, "map-MB")
		runtime.KeepAlive(m)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
}

func BenchmarkDictLookup(b *testing.B) {
	n := config().Nodes
	d := graph.NewDict(n)
	keys := make([]graph.Key, n)
	r := rand.New(rand.NewPCG(8, 8))
	for i := range keys {
		keys[i].Kind = 1
		for j := range keys[i].ID {
			keys[i].ID[j] = byte(r.Uint32())
		}
		d.Add(keys[i])
	}
	b.ResetTimer()
	for i := range b.N {
		d.Lookup(keys[(i*7919)%n])
	}
}
