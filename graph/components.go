package graph

import (
	"cmp"
	"container/heap"
	"slices"
)

// Parts are the connected components of the graph: Components' answer.
// Component 0 is the largest; ties go to the one with the smallest node.
type Parts struct {
	label []uint32
	size  []uint32
}

// Count is the number of components (an isolated node is one).
func (p *Parts) Count() int { return len(p.size) }

// Of is the component n is in. A node beyond the graph is in none: -1.
func (p *Parts) Of(n Node) int {
	if int(n) >= len(p.label) {
		return -1
	}
	return int(p.label[n])
}

// Size is the number of nodes in component c.
func (p *Parts) Size(c int) int { return int(p.size[c]) }

// Members lists component c's nodes, reading every node's label: one pass
// of the graph's nodes.
func (p *Parts) Members(c int) []Node {
	out := make([]Node, 0, p.size[c])
	for u, l := range p.label {
		if int(l) == c {
			out = append(out, Node(u))
		}
	}
	return out
}

// components finds the connected components by union-find in the manner
// of Afforest (Sutton, Ben-Nun and Barak, 2018): it first joins each node
// to its first two neighbours, which puts most of the graph in one big
// component, then reads the whole lists only of the nodes outside that
// component (an edge between two nodes is in both their lists, so one
// side's reading is enough). The filter drops edges; with maxDegree > 0, a
// node with more links than that joins nothing (so that a place where
// hundreds are seen does not make them one group) and stands alone.
func (g view) components(f Filter, maxDegree int) *Parts {
	n := g.nodes()
	parent := make([]uint32, n)
	for i := range parent {
		parent[i] = uint32(i)
	}
	find := func(x uint32) uint32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]] // path halving
			x = parent[x]
		}
		return x
	}
	union := func(x, y uint32) {
		x, y = find(x), find(y)
		if x < y {
			x, y = y, x
		}
		parent[x] = y // the larger root under the smaller
	}
	// The hubs, a bit each, so that the rule costs no look at a list's length
	// for every link.
	var hubs []uint64
	if maxDegree > 0 {
		hubs = make([]uint64, (n+63)/64)
		for u := range n {
			if g.degree(Node(u)) > maxDegree {
				hubs[u/64] |= 1 << (u % 64)
			}
		}
	}
	hub := func(u Node) bool { return hubs != nil && hubs[u/64]&(1<<(u%64)) != 0 }
	var buf []Half
	const sample = 2
	for u := range n {
		if hub(Node(u)) {
			continue
		}
		k := 0
		for _, h := range g.halves(Node(u), f, &buf) {
			if k == sample {
				break
			}
			if !hub(h.To) {
				union(uint32(u), uint32(h.To))
				k++
			}
		}
	}
	// The most frequent root, from a sample of nodes.
	big := uint32(0)
	if n > 0 {
		counts := map[uint32]int{}
		x := uint64(0x9E3779B97F4A7C15)
		for range 1024 {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			r := find(uint32(x % uint64(n)))
			counts[r]++
			if counts[r] > counts[big] {
				big = r
			}
		}
	}
	for u := range n {
		// The big component only grows, so a node in it now has its links
		// read from their other ends, if ever they need to be.
		if hub(Node(u)) || find(uint32(u)) == find(big) {
			continue
		}
		for _, h := range g.halves(Node(u), f, &buf) {
			if !hub(h.To) {
				union(uint32(u), uint32(h.To))
			}
		}
	}
	// Number the roots by size, largest first.
	size := make([]uint32, n)
	for u := range n {
		parent[u] = find(uint32(u))
		size[parent[u]]++
	}
	roots := make([]uint32, 0)
	for u := range n {
		if parent[u] == uint32(u) {
			roots = append(roots, uint32(u))
		}
	}
	slices.SortFunc(roots, func(x, y uint32) int { return cmp.Or(cmp.Compare(size[y], size[x]), cmp.Compare(x, y)) })
	p := &Parts{size: make([]uint32, len(roots))}
	for i, r := range roots {
		p.size[i] = size[r]
		size[r] = uint32(i) // size now maps a root to its number
	}
	for u := range n {
		parent[u] = size[parent[u]]
	}
	p.label = parent
	return p
}

// NodeDegree is a node and its degree.
type NodeDegree struct {
	Node   Node
	Degree int
}

type byDegree []NodeDegree

func (h byDegree) Len() int { return len(h) }
func (h byDegree) Less(i, j int) bool {
	return h[i].Degree < h[j].Degree || h[i].Degree == h[j].Degree && h[i].Node > h[j].Node
}
func (h byDegree) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *byDegree) Push(x any)   { *h = append(*h, x.(NodeDegree)) }
func (h *byDegree) Pop() any {
	x := (*h)[len(*h)-1]
	*h = (*h)[:len(*h)-1]
	return x
}

// topDegree is the k most connected nodes that keep accepts (nil for all),
// most links first, then by node id. With a filter, only the edges it passes
// are counted, which reads every list.
func (g view) topDegree(k int, keep func(Node) bool, f Filter) []NodeDegree {
	if k <= 0 {
		return nil
	}
	h := make(byDegree, 0, k+1)
	var buf []Half
	for u := range g.nodes() {
		if keep != nil && !keep(Node(u)) {
			continue
		}
		var deg int
		if f == nil {
			deg = g.degree(Node(u))
		} else {
			deg = len(g.halves(Node(u), f, &buf))
		}
		if len(h) == k && (deg < h[0].Degree || deg == h[0].Degree) {
			continue // ties keep the smaller node id, met first
		}
		heap.Push(&h, NodeDegree{Node(u), deg})
		if len(h) > k {
			heap.Pop(&h)
		}
	}
	slices.SortFunc(h, func(x, y NodeDegree) int { return cmp.Or(cmp.Compare(y.Degree, x.Degree), cmp.Compare(x.Node, y.Node)) })
	return h
}
