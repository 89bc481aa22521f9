package graph

import (
	"errors"
	"slices"
	"sync"
	"testing"
)

// build makes an index of edges given as pairs, IDs 0, 1, 2... and Attr the
// pair's index too (so a filter can pick edges by it).
func build(t *testing.T, n int, pairs ...[2]Node) *Index {
	t.Helper()
	edges := make([]Edge, len(pairs))
	for i, p := range pairs {
		edges[i] = Edge{A: p[0], B: p[1], ID: uint32(i), Attr: uint32(i), Day: uint32(100 + i)}
	}
	ix, err := Build(n, edges)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func hops(net Network) map[Node]int {
	m := map[Node]int{}
	for _, r := range net.Nodes {
		m[r.Node] = r.Hop
	}
	return m
}

func linkIDs(ls []Link) []uint32 {
	var ids []uint32
	for _, l := range ls {
		ids = append(ids, l.ID)
	}
	slices.Sort(ids)
	return ids
}

func TestBuild(t *testing.T) {
	ix := build(t, 5, [2]Node{0, 1}, [2]Node{1, 2}, [2]Node{2, 2}, [2]Node{1, 0})
	if ix.Nodes() != 5 || ix.Edges() != 3 || ix.SelfLinks() != 1 {
		t.Errorf("nodes %d edges %d self-links %d, want 5 3 1", ix.Nodes(), ix.Edges(), ix.SelfLinks())
	}
	if got := ix.Neighbours(1); !slices.Equal(got, []Half{{0, 0}, {2, 1}, {0, 3}}) {
		t.Errorf("Neighbours(1) = %v", got)
	}
	for n, want := range map[Node]int{0: 2, 1: 3, 2: 1, 3: 0, 4: 0, 99: 0} {
		if ix.Degree(n) != want {
			t.Errorf("Degree(%d) = %d, want %d", n, ix.Degree(n), want)
		}
	}
	if a, d, ok := ix.Attr(3); !ok || a != 3 || d != 103 {
		t.Errorf("Attr(3) = %d %d %v", a, d, ok)
	}
	if _, _, ok := ix.Attr(2); ok {
		t.Error("the self-link is indexed")
	}
	if _, err := Build(2, []Edge{{A: 0, B: 2}}); !errors.Is(err, ErrRange) {
		t.Errorf("an end out of range: %v", err)
	}
	if _, err := Build(3, []Edge{{A: 0, B: 1, ID: 7}, {A: 1, B: 2, ID: 7}}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("a repeated ID: %v", err)
	}
	if ix, err := Build(0, nil); err != nil || ix.Nodes() != 0 || len(ix.Around([]Node{3}, Options{}).Nodes) != 1 {
		t.Errorf("an empty graph: %v", err)
	}
}

// A chain 0-1-2-3-4-5-6-7 with a branch 2-8.
func chain(t *testing.T) *Index {
	return build(t, 9, [2]Node{0, 1}, [2]Node{1, 2}, [2]Node{2, 3}, [2]Node{3, 4}, [2]Node{4, 5}, [2]Node{5, 6}, [2]Node{6, 7}, [2]Node{2, 8})
}

func TestAroundHops(t *testing.T) {
	ix := chain(t)
	for _, tt := range []struct {
		hops  int
		want  map[Node]int
		links []uint32
	}{
		{1, map[Node]int{3: 0, 2: 1, 4: 1}, []uint32{2, 3}},
		{0, map[Node]int{3: 0, 2: 1, 4: 1, 1: 2, 8: 2, 5: 2}, []uint32{1, 2, 3, 4, 7}},
		{3, map[Node]int{3: 0, 2: 1, 4: 1, 1: 2, 8: 2, 5: 2, 0: 3, 6: 3}, []uint32{0, 1, 2, 3, 4, 5, 7}},
		{9, map[Node]int{3: 0, 2: 1, 4: 1, 1: 2, 8: 2, 5: 2, 0: 3, 6: 3}, []uint32{0, 1, 2, 3, 4, 5, 7}}, // at most 3
	} {
		net := ix.Around([]Node{3}, Options{Hops: tt.hops})
		if !mapsEqual(hops(net), tt.want) || !slices.Equal(linkIDs(net.Links), tt.links) || net.Truncated || len(net.Hubs) > 0 {
			t.Errorf("hops %d: %v links %v, want %v %v", tt.hops, hops(net), linkIDs(net.Links), tt.want, tt.links)
		}
	}
	// Two starts: each node at its distance from the nearer.
	net := ix.Around([]Node{0, 7, 0}, Options{Hops: 1})
	if want := map[Node]int{0: 0, 7: 0, 1: 1, 6: 1}; !mapsEqual(hops(net), want) || net.Nodes[0].Node != 0 || net.Nodes[1].Node != 7 {
		t.Errorf("two starts: %v, want %v", net.Nodes, want)
	}
}

// A hub 10 with leaves 11 to 15, joined to 0, and 0-1; leaf 11 also to 16.
func star(t *testing.T) *Index {
	return build(t, 17, [2]Node{0, 10}, [2]Node{10, 11}, [2]Node{10, 12}, [2]Node{10, 13}, [2]Node{10, 14}, [2]Node{10, 15},
		[2]Node{0, 1}, [2]Node{11, 16})
}

func TestAroundHubRule(t *testing.T) {
	ix := star(t)
	net := ix.Around([]Node{0}, Options{Hops: 3, MaxDegree: 3})
	if want := map[Node]int{0: 0, 10: 1, 1: 1}; !mapsEqual(hops(net), want) {
		t.Errorf("hub rule: %v, want %v", hops(net), want)
	}
	if !slices.Equal(net.Hubs, []Hub{{10, 6}}) || !slices.Equal(linkIDs(net.Links), []uint32{0, 6}) {
		t.Errorf("hub rule: hubs %v links %v", net.Hubs, linkIDs(net.Links))
	}
	net = ix.Around([]Node{0}, Options{Hops: 3, MaxDegree: 3, Expand: []Node{10}})
	if want := map[Node]int{0: 0, 10: 1, 1: 1, 11: 2, 12: 2, 13: 2, 14: 2, 15: 2, 16: 3}; !mapsEqual(hops(net), want) || len(net.Hubs) != 0 {
		t.Errorf("expanded: %v hubs %v, want %v", hops(net), net.Hubs, want)
	}
	// The default (200) is no hub here; a negative MaxDegree is no rule.
	for _, md := range []int{0, -1} {
		if net := ix.Around([]Node{0}, Options{Hops: 2, MaxDegree: md}); len(net.Nodes) != 8 || len(net.Hubs) != 0 {
			t.Errorf("MaxDegree %d: %v", md, net.Nodes)
		}
	}
	// A hub start is held by the rule as well, and listed.
	net = ix.Around([]Node{10}, Options{MaxDegree: 3})
	if len(net.Nodes) != 1 || !slices.Equal(net.Hubs, []Hub{{10, 6}}) {
		t.Errorf("hub start: %v %v", net.Nodes, net.Hubs)
	}
	// Links between two hubs are found.
	ix = build(t, 20, [2]Node{0, 1}, [2]Node{0, 2}, [2]Node{1, 2}, [2]Node{1, 3}, [2]Node{1, 4}, [2]Node{2, 5}, [2]Node{2, 6})
	net = ix.Around([]Node{0}, Options{MaxDegree: 2})
	if !slices.Equal(linkIDs(net.Links), []uint32{0, 1, 2}) || len(net.Hubs) != 2 {
		t.Errorf("two hubs: links %v hubs %v", linkIDs(net.Links), net.Hubs)
	}
}

func TestAroundMaxNodes(t *testing.T) {
	ix := star(t)
	net := ix.Around([]Node{0}, Options{Hops: 3, MaxNodes: 4})
	// 0, then 10 and 1 at hop 1, then the first of 10's leaves.
	if want := map[Node]int{0: 0, 10: 1, 1: 1, 11: 2}; !net.Truncated || !mapsEqual(hops(net), want) {
		t.Errorf("MaxNodes 4: %v truncated %v, want %v", hops(net), net.Truncated, want)
	}
	if !slices.Equal(linkIDs(net.Links), []uint32{0, 1, 6}) {
		t.Errorf("MaxNodes 4: links %v", linkIDs(net.Links))
	}
	if net := ix.Around([]Node{0}, Options{Hops: 3, MaxNodes: 9}); net.Truncated || len(net.Nodes) != 9 {
		t.Errorf("MaxNodes 9 of 9: %v truncated %v", net.Nodes, net.Truncated)
	}
	if net := ix.Around([]Node{0, 1, 10}, Options{MaxNodes: 2}); !net.Truncated || len(net.Nodes) != 2 {
		t.Errorf("more starts than MaxNodes: %v truncated %v", net.Nodes, net.Truncated)
	}
}

func TestAroundSkipAndFilter(t *testing.T) {
	ix := chain(t)
	asked := map[Node]int{}
	hide := func(n Node) bool { asked[n]++; return n == 2 || n == 6 }
	net := ix.Around([]Node{3, 6}, Options{Hops: 3, Skip: hide})
	if want := map[Node]int{3: 0, 4: 1, 5: 2}; !mapsEqual(hops(net), want) || !slices.Equal(linkIDs(net.Links), []uint32{3, 4}) {
		t.Errorf("Skip: %v links %v, want %v", hops(net), linkIDs(net.Links), want)
	}
	for n, k := range asked {
		if k > 1 {
			t.Errorf("Skip asked %d times of %d", k, n)
		}
	}
	// Edges 3 (3-4) and 7 (2-8) filtered out: by attribute, then by day.
	for _, f := range []Filter{
		func(attr, day uint32) bool { return attr != 3 && attr != 7 },
		func(attr, day uint32) bool { return day < 103 || day > 103 && day < 107 },
	} {
		net = ix.Around([]Node{3}, Options{Hops: 2, Filter: f})
		if want := map[Node]int{3: 0, 2: 1, 1: 2}; !mapsEqual(hops(net), want) || !slices.Equal(linkIDs(net.Links), []uint32{1, 2}) {
			t.Errorf("Filter: %v links %v, want %v", hops(net), linkIDs(net.Links), want)
		}
	}
}

func TestShortestPath(t *testing.T) {
	ix := chain(t)
	p := ix.ShortestPath(0, 6, Options{})
	if !slices.Equal(p.Nodes, []Node{0, 1, 2, 3, 4, 5, 6}) || len(p.Links) != 6 || p.Links[0] != (Link{0, 0, 1}) || p.Links[5] != (Link{5, 5, 6}) {
		t.Errorf("0 to 6: %v %v", p.Nodes, p.Links)
	}
	for _, hops := range []int{0, 6, 7} { // 7 is more than the most
		if p := ix.ShortestPath(0, 7, Options{Hops: hops}); len(p.Nodes) != 0 || p.Truncated {
			t.Errorf("0 to 7 within %d: %v", hops, p.Nodes)
		}
	}
	if p := ix.ShortestPath(0, 3, Options{Hops: 2}); len(p.Nodes) != 0 {
		t.Errorf("0 to 3 within 2: %v", p.Nodes)
	}
	if p := ix.ShortestPath(7, 1, Options{}); !slices.Equal(p.Nodes, []Node{7, 6, 5, 4, 3, 2, 1}) || p.Links[5] != (Link{1, 2, 1}) {
		t.Errorf("7 to 1: %v %v", p.Nodes, p.Links)
	}
	if p := ix.ShortestPath(8, 8, Options{}); !slices.Equal(p.Nodes, []Node{8}) || len(p.Links) != 0 {
		t.Errorf("8 to 8: %v", p.Nodes)
	}
	if p := ix.ShortestPath(0, 4, Options{Skip: func(n Node) bool { return n == 3 }}); len(p.Nodes) != 0 {
		t.Errorf("through a hidden node: %v", p.Nodes)
	}
	if p := ix.ShortestPath(0, 4, Options{Filter: func(attr, day uint32) bool { return attr != 1 }}); len(p.Nodes) != 0 {
		t.Errorf("through a filtered edge: %v", p.Nodes)
	}
	if p := ix.ShortestPath(0, 4, Options{MaxNodes: 3}); !p.Truncated || len(p.Nodes) != 0 {
		t.Errorf("MaxNodes 3: %v", p)
	}

	s := star(t)
	if p := s.ShortestPath(1, 16, Options{MaxDegree: 3}); len(p.Nodes) != 0 {
		t.Errorf("through a hub: %v", p.Nodes)
	}
	if p := s.ShortestPath(1, 16, Options{MaxDegree: 3, Expand: []Node{10}}); !slices.Equal(p.Nodes, []Node{1, 0, 10, 11, 16}) {
		t.Errorf("through an expanded hub: %v", p.Nodes)
	}
	// A hub may be an end.
	if p := s.ShortestPath(10, 1, Options{MaxDegree: 3}); !slices.Equal(p.Nodes, []Node{10, 0, 1}) {
		t.Errorf("from a hub: %v", p.Nodes)
	}
	if p := s.ShortestPath(1, 10, Options{MaxDegree: 3}); !slices.Equal(p.Nodes, []Node{1, 0, 10}) {
		t.Errorf("to a hub: %v", p.Nodes)
	}
}

func TestShared(t *testing.T) {
	// Children 0, 1, 2; 3 knows 0 and 1; 4 knows all three; 5 knows only 2;
	// the hub 10 links everyone.
	ix := build(t, 11, [2]Node{0, 3}, [2]Node{1, 3}, [2]Node{0, 4}, [2]Node{1, 4}, [2]Node{2, 4}, [2]Node{2, 5}, [2]Node{4, 6},
		[2]Node{0, 10}, [2]Node{1, 10}, [2]Node{2, 10}, [2]Node{5, 10}, [2]Node{6, 10})
	res := ix.Shared([]Node{0, 1, 2}, Options{Hops: 1, MaxDegree: 4})
	want := []SharedNode{{4, 0b111}, {10, 0b111}, {3, 0b011}}
	if !slices.Equal(res.Nodes, want) || res.Truncated {
		t.Errorf("Shared 1 hop: %v, want %v", res.Nodes, want)
	}
	// Two hops: 6 (through 4) too; 5 not, the hub not walked through; a
	// start reached from two others is listed.
	res = ix.Shared([]Node{0, 1, 2}, Options{Hops: 2, MaxDegree: 4})
	want = []SharedNode{{0, 0b110}, {1, 0b101}, {2, 0b011}, {3, 0b011}, {4, 0b111}, {6, 0b111}, {10, 0b111}}
	got := map[Node]uint64{}
	for _, s := range res.Nodes {
		got[s.Node] = s.Starts
	}
	wantM := map[Node]uint64{}
	for _, s := range want {
		wantM[s.Node] = s.Starts
	}
	if !mapsEqual(got, wantM) {
		t.Errorf("Shared 2 hops: %v, want %v", got, wantM)
	}
	if res := ix.Shared([]Node{0, 0}, Options{Hops: 1}); len(res.Nodes) != 0 {
		t.Errorf("one start twice: %v", res.Nodes)
	}
	many := make([]Node, 70)
	if res := ix.Shared(many, Options{}); !res.Truncated {
		t.Error("more than 64 starts are not reported")
	}
}

func TestComponents(t *testing.T) {
	// {0,1,2}, {3,4}, {5}, and with the hub 6 joining {7,8} and {9}.
	ix := build(t, 10, [2]Node{0, 1}, [2]Node{1, 2}, [2]Node{3, 4}, [2]Node{6, 7}, [2]Node{6, 8}, [2]Node{6, 9}, [2]Node{7, 8})
	p := ix.Components(nil, 0)
	if p.Count() != 4 || p.Size(0) != 4 || p.Size(1) != 3 || p.Size(2) != 2 || p.Size(3) != 1 {
		t.Errorf("Components: %d, sizes %v", p.Count(), p.size)
	}
	if p.Of(6) != 0 || p.Of(0) != 1 || p.Of(2) != 1 || p.Of(4) != 2 || p.Of(5) != 3 || p.Of(10) != -1 {
		t.Errorf("Components labels: %v", p.label)
	}
	if !slices.Equal(p.Members(1), []Node{0, 1, 2}) {
		t.Errorf("Members(1) = %v", p.Members(1))
	}
	p = ix.Components(nil, 2) // 6 stands alone
	if p.Count() != 6 || p.Of(7) != p.Of(8) || p.Of(6) == p.Of(7) || p.Of(9) == p.Of(7) {
		t.Errorf("Components with the hub rule: %v", p.label)
	}
	p = ix.Components(func(attr, day uint32) bool { return attr != 1 }, 0)
	if p.Of(1) == p.Of(2) || p.Count() != 5 {
		t.Errorf("Components filtered: %v", p.label)
	}
}

func TestTopDegree(t *testing.T) {
	ix := star(t)
	if got := ix.TopDegree(3, nil, nil); !slices.Equal(got, []NodeDegree{{10, 6}, {0, 2}, {11, 2}}) {
		t.Errorf("TopDegree(3) = %v", got)
	}
	odd := func(n Node) bool { return n%2 == 1 }
	if got := ix.TopDegree(2, odd, nil); !slices.Equal(got, []NodeDegree{{11, 2}, {1, 1}}) {
		t.Errorf("TopDegree(2, odd) = %v", got)
	}
	noLeaves := func(attr, day uint32) bool { return attr == 0 || attr > 5 }
	if got := ix.TopDegree(2, nil, noLeaves); !slices.Equal(got, []NodeDegree{{0, 2}, {1, 1}}) {
		t.Errorf("TopDegree(2, filtered) = %v", got)
	}
	if got := ix.TopDegree(0, nil, nil); got != nil {
		t.Errorf("TopDegree(0) = %v", got)
	}
}

func TestLive(t *testing.T) {
	l := NewLive(chain(t))
	if err := l.Add(Edge{A: 7, B: 20, ID: 50, Attr: 9}); err != nil {
		t.Fatal(err)
	}
	if l.Nodes() != 21 || l.Degree(7) != 2 || l.Degree(20) != 1 || l.Pending() != 1 {
		t.Errorf("after Add: %d nodes, degrees %d %d, pending %d", l.Nodes(), l.Degree(7), l.Degree(20), l.Pending())
	}
	if p := l.ShortestPath(5, 20, Options{}); !slices.Equal(p.Nodes, []Node{5, 6, 7, 20}) || p.Links[2].ID != 50 {
		t.Errorf("path over an added edge: %v", p)
	}
	for _, tt := range []struct {
		e    Edge
		want error
	}{
		{Edge{A: 1, B: 2, ID: 3}, ErrDuplicate},  // in the index
		{Edge{A: 1, B: 2, ID: 50}, ErrDuplicate}, // added
		{Edge{A: 1, B: maxNode + 1, ID: 51}, ErrRange},
	} {
		if err := l.Add(tt.e); !errors.Is(err, tt.want) {
			t.Errorf("Add(%v) = %v, want %v", tt.e, err, tt.want)
		}
	}
	// Added and removed, a new node stays a node (with no links).
	if err := l.Add(Edge{A: 0, B: 30, ID: 60}); err != nil || l.Remove(Edge{A: 30, B: 0, ID: 60}) != nil {
		t.Fatal("adding and removing 0-30")
	}
	if l.Nodes() != 31 || l.Degree(30) != 0 || l.Components(nil, 0).Of(30) < 0 {
		t.Errorf("after adding and removing 0-30: %d nodes", l.Nodes())
	}
	if err := l.Remove(Edge{A: 3, B: 2, ID: 2}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []Edge{{A: 3, B: 2, ID: 2}, {A: 3, B: 5, ID: 3}, {A: 7, B: 21, ID: 50}, {A: 1, B: 2, ID: 99}} {
		if err := l.Remove(e); !errors.Is(err, ErrNotFound) {
			t.Errorf("Remove(%v) = %v, want ErrNotFound", e, err)
		}
	}
	if p := l.ShortestPath(0, 7, Options{}); len(p.Nodes) != 0 || l.Degree(3) != 1 {
		t.Errorf("after Remove: path %v, degree %d", p.Nodes, l.Degree(3))
	}
	if got := l.Neighbours(2); !slices.Equal(got, []Half{{1, 1}, {8, 7}}) {
		t.Errorf("Neighbours(2) after Remove: %v", got)
	}
	// The edge back with another attribute.
	if err := l.Add(Edge{A: 2, B: 3, ID: 2, Attr: 77}); err != nil {
		t.Fatal(err)
	}
	before := l.Around([]Node{0}, Options{Hops: 3})
	l.Compact()
	after := l.Around([]Node{0}, Options{Hops: 3})
	if l.Pending() != 0 || !mapsEqual(hops(before), hops(after)) || !slices.Equal(linkIDs(before.Links), linkIDs(after.Links)) {
		t.Errorf("Compact changed Around: %v %v", before, after)
	}
	if a, _, ok := l.Index().Attr(2); !ok || a != 77 || l.Index().Nodes() != 31 || l.Index().Edges() != 9 {
		t.Errorf("compacted: attr %d %v, %d nodes, %d edges", a, ok, l.Index().Nodes(), l.Index().Edges())
	}
}

// TestLiveConcurrent runs readers against a writer and Compact; run with
// -race it checks the locking.
func TestLiveConcurrent(t *testing.T) {
	l := NewLive(chain(t))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 3 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				l.Around([]Node{0}, Options{Hops: 3})
				l.ShortestPath(0, 100, Options{})
				l.Components(nil, 0)
				l.Neighbours(7)
			}
		})
	}
	wg.Go(func() {
		for i := range 300 {
			l.Add(Edge{A: Node(100 - i%10), B: Node(i%10 + 7), ID: uint32(1000 + i)})
			if i%50 == 0 {
				l.Compact()
			}
			if i%3 == 0 {
				l.Remove(Edge{A: Node(100 - i%10), B: Node(i%10 + 7), ID: uint32(1000 + i)})
			}
		}
		close(stop)
	})
	wg.Wait()
	l.Compact()
	if l.Index().Edges() != 8+200 {
		t.Errorf("after the writer: %d edges, want %d", l.Index().Edges(), 8+200)
	}
}
