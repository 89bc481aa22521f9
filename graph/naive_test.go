package graph

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// naive is the reference the index is checked against: a map of edges and
// plain breadth-first searches, written for clarity, not speed.
type naive struct {
	n     int
	edges map[uint32]Edge
}

func (m *naive) adj(u Node, f Filter) []Edge {
	var out []Edge
	for _, id := range m.ids() {
		e := m.edges[id]
		if e.A == e.B || f != nil && !f(e.Attr, e.Day) {
			continue
		}
		if e.A == u {
			out = append(out, e)
		} else if e.B == u {
			out = append(out, Edge{A: e.B, B: e.A, ID: e.ID, Attr: e.Attr, Day: e.Day})
		}
	}
	return out
}

func (m *naive) ids() []uint32 {
	ids := make([]uint32, 0, len(m.edges))
	for id := range m.edges {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (m *naive) degree(u Node) int { return len(m.adj(u, nil)) }

func (m *naive) hub(u Node, o Options) bool {
	return o.MaxDegree >= 0 && m.degree(u) > o.MaxDegree && !slices.Contains(o.Expand, u)
}

// dists is a walk from the starts as Around's is, without a cap.
func (m *naive) dists(starts []Node, o Options) map[Node]int {
	dist := map[Node]int{}
	var q []Node
	for _, s := range starts {
		if _, ok := dist[s]; !ok && (o.Skip == nil || !o.Skip(s)) {
			dist[s] = 0
			q = append(q, s)
		}
	}
	for len(q) > 0 {
		u := q[0]
		q = q[1:]
		if dist[u] >= o.Hops || m.hub(u, o) {
			continue
		}
		for _, e := range m.adj(u, o.Filter) {
			if _, ok := dist[e.B]; !ok && (o.Skip == nil || !o.Skip(e.B)) {
				dist[e.B] = dist[u] + 1
				q = append(q, e.B)
			}
		}
	}
	return dist
}

// pathLen is the length of a shortest path from a to b with no hub inside
// it, or -1.
func (m *naive) pathLen(a, b Node, o Options) int {
	if o.Skip != nil && (o.Skip(a) || o.Skip(b)) {
		return -1
	}
	dist := map[Node]int{a: 0}
	q := []Node{a}
	for len(q) > 0 {
		u := q[0]
		q = q[1:]
		if u == b {
			return dist[u]
		}
		if u != a && m.hub(u, o) {
			continue
		}
		for _, e := range m.adj(u, o.Filter) {
			if _, ok := dist[e.B]; !ok && (o.Skip == nil || !o.Skip(e.B)) {
				dist[e.B] = dist[u] + 1
				q = append(q, e.B)
			}
		}
	}
	return -1
}

func (m *naive) components(f Filter, maxDegree int) map[Node]int {
	label := map[Node]int{}
	hub := func(u Node) bool { return maxDegree > 0 && m.degree(u) > maxDegree }
	for s := range m.n {
		if _, ok := label[Node(s)]; ok {
			continue
		}
		label[Node(s)] = s
		q := []Node{Node(s)}
		for len(q) > 0 {
			u := q[0]
			q = q[1:]
			if hub(u) {
				continue
			}
			for _, e := range m.adj(u, f) {
				if _, ok := label[e.B]; !ok && !hub(e.B) {
					label[e.B] = s
					q = append(q, e.B)
				}
			}
		}
	}
	return label
}

// randomEdges makes up to m edges among n nodes with distinct, gapped IDs,
// self-links and repeated pairs included.
func randomEdges(r *rand.Rand, n, m int, days bool) []Edge {
	ids := r.Perm(3 * m)
	edges := make([]Edge, m)
	for i := range edges {
		edges[i] = Edge{A: Node(r.IntN(n)), B: Node(r.IntN(n)), ID: uint32(ids[i]), Attr: uint32(r.IntN(4))}
		if days {
			edges[i].Day = uint32(r.IntN(6))
		}
	}
	return edges
}

func randomOptions(r *rand.Rand, n int) Options {
	o := Options{Hops: r.IntN(4), MaxDegree: []int{-1, 0, 2, 3, 5}[r.IntN(5)], MaxNodes: 1 << 20}
	for range r.IntN(3) {
		o.Expand = append(o.Expand, Node(r.IntN(n)))
	}
	switch r.IntN(3) {
	case 1:
		o.Filter = func(attr, day uint32) bool { return attr&1 == 0 }
	case 2:
		o.Filter = func(attr, day uint32) bool { return day >= 1 && day <= 4 }
	}
	if r.IntN(2) == 0 {
		hidden := map[Node]bool{}
		for range r.IntN(4) {
			hidden[Node(r.IntN(n))] = true
		}
		o.Skip = func(u Node) bool { return hidden[u] }
	}
	return o
}

// check compares g's answers with m's, for random queries.
func check(t *testing.T, r *rand.Rand, g Graph, m *naive) {
	t.Helper()
	for range 20 {
		o := randomOptions(r, m.n)
		var starts []Node
		for range 1 + r.IntN(3) {
			starts = append(starts, Node(r.IntN(m.n)))
		}
		checkAround(t, g, m, starts, o)
		checkPath(t, g, m, starts[0], Node(r.IntN(m.n)), o)
		checkShared(t, g, m, starts, o)
		checkComponents(t, g, m, o.Filter, []int{0, 2, 4}[r.IntN(3)])
	}
}

func checkAround(t *testing.T, g Graph, m *naive, starts []Node, o Options) {
	t.Helper()
	net := g.Around(starts, o)
	o = o.norm(DefaultHops, MaxAroundHops, DefaultMaxNodes)
	want := m.dists(starts, o)
	if len(want) > 1 {
		checkTruncated(t, g, m, starts, o, want)
	}
	got := map[Node]int{}
	for _, r := range net.Nodes {
		if _, dup := got[r.Node]; dup {
			t.Fatalf("Around(%v) lists %d twice", starts, r.Node)
		}
		got[r.Node] = r.Hop
	}
	if !mapsEqual(got, want) || net.Truncated {
		t.Fatalf("Around(%v, hops %d, maxdeg %d, expand %v) = %v (truncated %v), want %v", starts, o.Hops, o.MaxDegree, o.Expand, got, net.Truncated, want)
	}
	checkLinks(t, m, net, want, o)
	wantHubs := map[Node]int{}
	for u := range want {
		if m.hub(u, o) {
			wantHubs[u] = m.degree(u)
		}
	}
	gotHubs := map[Node]int{}
	for _, h := range net.Hubs {
		gotHubs[h.Node] = h.Degree
	}
	if !mapsEqual(gotHubs, wantHubs) {
		t.Fatalf("Around(%v) hubs %v, want %v", starts, gotHubs, wantHubs)
	}
}

// checkTruncated checks a capped walk: exactly MaxNodes nodes, each at its
// true distance, every level but the last whole, and the links among them.
func checkTruncated(t *testing.T, g Graph, m *naive, starts []Node, o Options, want map[Node]int) {
	t.Helper()
	o.MaxNodes = 1 + len(want)*int(starts[0]+1)/(m.n+1)
	if o.MaxNodes >= len(want) {
		o.MaxNodes = len(want) - 1
	}
	net := g.Around(starts, o)
	got := hops(net)
	if !net.Truncated || len(got) != o.MaxNodes || len(net.Nodes) != o.MaxNodes {
		t.Fatalf("Around(%v, MaxNodes %d of %d) = %v truncated %v", starts, o.MaxNodes, len(want), net.Nodes, net.Truncated)
	}
	last := 0
	for u, h := range got {
		if want[u] != h {
			t.Fatalf("Around(%v, MaxNodes %d): %d at hop %d, want %d", starts, o.MaxNodes, u, h, want[u])
		}
		last = max(last, h)
	}
	for u, h := range want {
		if _, ok := got[u]; !ok && h < last {
			t.Fatalf("Around(%v, MaxNodes %d): %d at hop %d missing, hop %d reached", starts, o.MaxNodes, u, h, last)
		}
	}
	checkLinks(t, m, net, got, o)
}

func checkLinks(t *testing.T, m *naive, net Network, want map[Node]int, o Options) {
	t.Helper()
	var wantLinks []uint32
	for _, id := range m.ids() {
		e := m.edges[id]
		_, a := want[e.A]
		_, b := want[e.B]
		if a && b && e.A != e.B && (o.Filter == nil || o.Filter(e.Attr, e.Day)) {
			wantLinks = append(wantLinks, id)
		}
	}
	var gotLinks []uint32
	for _, l := range net.Links {
		e := m.edges[l.ID]
		if !(e.A == l.A && e.B == l.B || e.A == l.B && e.B == l.A) {
			t.Fatalf("Around link %d joins %d and %d, not %d and %d", l.ID, l.A, l.B, e.A, e.B)
		}
		gotLinks = append(gotLinks, l.ID)
	}
	slices.Sort(gotLinks)
	if !slices.Equal(gotLinks, wantLinks) {
		t.Fatalf("Around(%v) links %v, want %v", net.Nodes, gotLinks, wantLinks)
	}
}

func checkPath(t *testing.T, g Graph, m *naive, a, b Node, o Options) {
	t.Helper()
	p := g.ShortestPath(a, b, o)
	o = o.norm(MaxPathHops, MaxPathHops, 0)
	want := m.pathLen(a, b, o)
	if want > o.Hops {
		want = -1
	}
	if len(p.Nodes)-1 != want {
		t.Fatalf("ShortestPath(%d, %d, hops %d, maxdeg %d) = %v, want length %d", a, b, o.Hops, o.MaxDegree, p.Nodes, want)
	}
	if want < 0 {
		return
	}
	if p.Nodes[0] != a || p.Nodes[len(p.Nodes)-1] != b || len(p.Links) != len(p.Nodes)-1 {
		t.Fatalf("ShortestPath(%d, %d) = %v %v", a, b, p.Nodes, p.Links)
	}
	for i, l := range p.Links {
		e, ok := m.edges[l.ID]
		u, v := p.Nodes[i], p.Nodes[i+1]
		if !ok || l.A != u || l.B != v || !(e.A == u && e.B == v || e.A == v && e.B == u) ||
			o.Filter != nil && !o.Filter(e.Attr, e.Day) {
			t.Fatalf("ShortestPath(%d, %d) link %v is not an edge %v from %d to %d", a, b, l, e, u, v)
		}
		if i > 0 && (m.hub(u, o) || o.Skip != nil && o.Skip(u)) {
			t.Fatalf("ShortestPath(%d, %d) goes through hub or hidden %d", a, b, u)
		}
	}
}

func checkShared(t *testing.T, g Graph, m *naive, starts []Node, o Options) {
	t.Helper()
	res := g.Shared(starts, o)
	o = o.norm(DefaultHops, MaxAroundHops, SharedMaxNodes)
	want := map[Node]uint64{}
	for i, s := range starts {
		if slices.Index(starts, s) < i {
			continue
		}
		for u := range m.dists([]Node{s}, o) {
			if u != s {
				want[u] |= 1 << i
			}
		}
	}
	for u, mask := range want {
		if SharedNode.Count(SharedNode{Starts: mask}) < 2 {
			delete(want, u)
		}
	}
	got := map[Node]uint64{}
	for _, s := range res.Nodes {
		got[s.Node] = s.Starts
	}
	if !mapsEqual(got, want) || res.Truncated {
		t.Fatalf("Shared(%v) = %v, want %v", starts, got, want)
	}
	if !slices.IsSortedFunc(res.Nodes, func(x, y SharedNode) int {
		return cmp.Or(cmp.Compare(y.Count(), x.Count()), cmp.Compare(x.Node, y.Node))
	}) {
		t.Fatalf("Shared(%v) is not in order: %v", starts, res.Nodes)
	}
}

func checkComponents(t *testing.T, g Graph, m *naive, f Filter, maxDegree int) {
	t.Helper()
	p := g.Components(f, maxDegree)
	want := m.components(f, maxDegree)
	// The same partition: a one-to-one map between labels, and the sizes.
	fwd, back := map[int]int{}, map[int]int{}
	size := map[int]int{}
	for u := range m.n {
		c := p.Of(Node(u))
		if x, ok := fwd[c]; ok && x != want[Node(u)] {
			t.Fatalf("Components: %d is with the wrong nodes", u)
		}
		if x, ok := back[want[Node(u)]]; ok && x != c {
			t.Fatalf("Components: %d is apart from its component", u)
		}
		fwd[c], back[want[Node(u)]] = want[Node(u)], c
		size[c]++
	}
	if p.Count() != len(fwd) {
		t.Fatalf("Components: %d, want %d", p.Count(), len(fwd))
	}
	for c := range p.Count() {
		if p.Size(c) != size[c] || len(p.Members(c)) != size[c] || c > 0 && p.Size(c) > p.Size(c-1) {
			t.Fatalf("Components: component %d has size %d, %d members, want %d (in order of size)", c, p.Size(c), len(p.Members(c)), size[c])
		}
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestAgainstNaive checks Index and Live (before and after Compact) against
// the naive reference on random graphs.
func TestAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		n := 1 + r.IntN(30)
		edges := randomEdges(r, n, r.IntN(70), r.IntN(2) == 0)
		m := &naive{n: n, edges: map[uint32]Edge{}}
		for _, e := range edges {
			if e.A != e.B {
				m.edges[e.ID] = e
			}
		}
		ix, err := Build(n, edges)
		if err != nil {
			t.Fatal(err)
		}
		check(t, r, ix, m)

		// The same edges, part built and part added live, with removals
		// and changes, and more nodes.
		k := r.IntN(len(edges) + 1)
		base, err := Build(n, edges[:k])
		if err != nil {
			t.Fatal(err)
		}
		l := NewLive(base)
		for _, e := range edges[k:] {
			if err := l.Add(e); err != nil {
				t.Fatal(err)
			}
		}
		grown := n + r.IntN(3)
		for i := range r.IntN(8) {
			e := Edge{A: Node(r.IntN(grown)), B: Node(r.IntN(grown)), ID: uint32(1000 + 10*round + i), Attr: uint32(r.IntN(4))}
			if err := l.Add(e); err != nil {
				t.Fatal(err)
			}
			if e.A != e.B {
				m.edges[e.ID] = e
			}
		}
		m.n = max(m.n, l.Nodes())
		for _, id := range m.ids() {
			switch e := m.edges[id]; r.IntN(4) {
			case 0:
				if err := l.Remove(Edge{A: e.B, B: e.A, ID: e.ID}); err != nil {
					t.Fatal(err)
				}
				delete(m.edges, id)
			case 1:
				if err := l.Remove(e); err != nil {
					t.Fatal(err)
				}
				e.Attr ^= 1
				if err := l.Add(e); err != nil {
					t.Fatal(err)
				}
				m.edges[id] = e
			}
		}
		check(t, r, l, m)
		if round%3 == 0 {
			l.Compact()
			if l.Pending() != 0 {
				t.Fatalf("Pending after Compact: %d", l.Pending())
			}
			check(t, r, l, m)
			sameIndex(t, l.Index(), m)
		}
	}
}

// sameIndex checks an Index holds exactly m's edges, as a fresh Build of
// them would.
func sameIndex(t *testing.T, ix *Index, m *naive) {
	t.Helper()
	var edges []Edge
	for _, id := range m.ids() {
		edges = append(edges, m.edges[id])
	}
	fresh, err := Build(m.n, edges)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Nodes() != fresh.Nodes() || ix.Edges() != fresh.Edges() {
		t.Fatalf("compacted: %d nodes %d edges, built: %d, %d", ix.Nodes(), ix.Edges(), fresh.Nodes(), fresh.Edges())
	}
	byTo := func(x, y Half) int { return cmp.Or(cmp.Compare(x.To, y.To), cmp.Compare(x.ID, y.ID)) }
	for u := range m.n {
		a := slices.SortedFunc(slices.Values(ix.Neighbours(Node(u))), byTo)
		b := slices.SortedFunc(slices.Values(fresh.Neighbours(Node(u))), byTo)
		if !slices.Equal(a, b) {
			t.Fatalf("compacted node %d: %v, built: %v", u, a, b)
		}
	}
	for _, id := range append(m.ids(), 0, 1, 2, 3, 999, 1000, 1999, 10000) {
		a1, d1, ok1 := ix.Attr(id)
		a2, d2, ok2 := fresh.Attr(id)
		if ok1 != ok2 || a1 != a2 || d1 != d2 {
			t.Fatalf("compacted edge %d: %d %d %v, built: %d %d %v", id, a1, d1, ok1, a2, d2, ok2)
		}
	}
}

// TestAgainstNaiveHubs is the same on larger graphs with hubs long enough
// for their lists to be sorted and searched.
func TestAgainstNaiveHubs(t *testing.T) {
	defer func(n int) { sortedAbove = n }(sortedAbove)
	sortedAbove = 64
	r := rand.New(rand.NewPCG(5, 6))
	rounds := 3
	if testing.Short() {
		rounds = 2
	}
	for range rounds {
		n := 200 + r.IntN(100)
		edges := randomEdges(r, n, 300, true)
		hubs := []Node{Node(r.IntN(n)), Node(r.IntN(n)), Node(r.IntN(n))}
		for i := range 1200 {
			e := Edge{A: hubs[i%3], B: Node(r.IntN(n)), ID: uint32(5000 + i), Attr: uint32(r.IntN(4))}
			if i%50 == 0 {
				e.B = hubs[(i+1)%3] // links between the hubs, some repeated
			}
			edges = append(edges, e)
		}
		m := &naive{n: n, edges: map[uint32]Edge{}}
		for _, e := range edges {
			if e.A != e.B {
				m.edges[e.ID] = e
			}
		}
		k := len(edges) - 100
		ix, err := Build(n, edges[:k])
		if err != nil {
			t.Fatal(err)
		}
		l := NewLive(ix)
		for _, e := range edges[k:] {
			if err := l.Add(e); err != nil {
				t.Fatal(err)
			}
		}
		for i, id := range m.ids() {
			if i%17 == 0 {
				if err := l.Remove(m.edges[id]); err != nil {
					t.Fatal(err)
				}
				delete(m.edges, id)
			}
		}
		for _, g := range []Graph{l, nil} {
			if g == nil {
				l.Compact()
				g = l
			}
			for range 10 {
				o := randomOptions(r, n)
				o.MaxDegree = []int{-1, 0, 8, 20, 300}[r.IntN(5)]
				starts := []Node{hubs[r.IntN(3)], Node(r.IntN(n))}
				checkAround(t, g, m, starts, o)
				checkPath(t, g, m, starts[1], Node(r.IntN(n)), o)
				checkShared(t, g, m, []Node{Node(r.IntN(n)), starts[1], Node(r.IntN(n))}, o)
			}
			checkComponents(t, g, m, nil, 0)
		}
		sameIndex(t, l.Index(), m)
	}
}
