// Package graph is a compact in-memory index of the intelligence graph (the
// entities and the links between them) for the analyst's tools: the network
// around a child, the shortest path between two entities, the associates
// several children share, groups and the most connected.
//
// Nodes are dense uint32 ids (a Dict gives them to entity keys); each link is
// an undirected edge carrying the caller's link row index (its ID), an
// attribute word the caller packs (link kind, grading bits) and an optional
// observed day number, so that filters run without touching the database.
// The index is a compressed sparse row (CSR) array of both directions of
// every edge. It is never the only copy of anything: it is rebuilt from the
// database, and Live keeps it current between rebuilds.
//
// An Index is immutable and safe for any number of concurrent readers. A
// Live is an Index with a delta of added and removed edges, guarded by a
// sync.RWMutex: many readers, one writer at a time, and Compact folds the
// delta into a new Index without holding readers up while it builds.
package graph

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
)

// Node is a dense node id, 0 to the node count less one. A node the index has
// never seen is simply one with no links.
type Node uint32

// maxNode bounds node ids: the hash tables keep id+1, so the largest uint32 is
// not an id.
const maxNode = math.MaxUint32 - 1

// Edge is one undirected link as the caller gives it.
type Edge struct {
	A, B Node
	// ID is the caller's link row index, to fetch the link's details by. IDs
	// are unique and should be dense: the index keeps per-ID arrays as long as
	// the largest ID.
	ID uint32
	// Attr is the caller's own packing (link kind index, grading bits);
	// filters see it.
	Attr uint32
	// Day is optional (0 for none): an observed date as a day number, for
	// date-range filters.
	Day uint32
}

// Half is one direction of an edge, as a node's neighbour list holds it.
type Half struct {
	To Node
	ID uint32
}

// Filter says whether an edge, by its attribute word and day, may be walked
// and shown. A nil Filter lets every edge through.
type Filter func(attr, day uint32) bool

// Errors of Build and Live.
var (
	ErrDuplicate = errors.New("graph: an edge with this id is already in the graph")
	ErrNotFound  = errors.New("graph: no such edge")
	ErrRange     = errors.New("graph: node id out of range")
)

// Index is the CSR: the neighbours of node u are adj[off[u]:off[u+1]]. Per-ID
// arrays hold the edges' attributes and days; has marks the IDs present.
type Index struct {
	n     int
	edges int
	off   []uint32
	adj   []Half
	attr  []uint32
	day   []uint32 // nil when no edge has a day
	has   []uint64
	loops int
}

// Build indexes edges among nodes 0..nodes-1. An edge from a node to itself
// says nothing about a network and is left out (SelfLinks counts them). It
// fails on an endpoint out of range or a repeated ID. The edges slice is not
// kept. It uses up to four processors: each fills the lists of a range of
// nodes, so that none writes where another does.
func Build(nodes int, edges []Edge) (*Index, error) {
	if nodes < 0 || nodes > maxNode {
		return nil, fmt.Errorf("%w: %d nodes", ErrRange, nodes)
	}
	if 2*uint64(len(edges)) > math.MaxUint32 {
		return nil, fmt.Errorf("graph: %d edges are more than a uint32 CSR holds", len(edges))
	}
	ix := &Index{n: nodes}
	var maxID uint32
	dayed := false
	for i := range edges {
		e := &edges[i]
		if int(e.A) >= nodes || int(e.B) >= nodes {
			return nil, fmt.Errorf("%w: edge %d joins %d and %d of %d nodes", ErrRange, e.ID, e.A, e.B, nodes)
		}
		maxID = max(maxID, e.ID)
		dayed = dayed || e.Day != 0
		if e.A == e.B {
			ix.loops++
		}
	}
	ix.edges = len(edges) - ix.loops
	if len(edges) > 0 {
		ix.attr = make([]uint32, int(maxID)+1)
		ix.has = make([]uint64, (int(maxID)+64)/64)
		if dayed {
			ix.day = make([]uint32, int(maxID)+1)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), 4, max(1, len(edges)>>16))
	part := func(k int) (lo, hi Node) { return Node(nodes * k / workers), Node(nodes * (k + 1) / workers) }

	// Count degrees into off[u+1], so that the prefix sum leaves off[u] the
	// start of u's list.
	off := make([]uint32, nodes+1)
	parallel(workers, func(k int) {
		lo, hi := part(k)
		for i := range edges {
			a, b := edges[i].A, edges[i].B
			if a == b {
				continue
			}
			if a >= lo && a < hi {
				off[a+1]++
			}
			if b >= lo && b < hi {
				off[b+1]++
			}
		}
	})
	for u := 1; u <= nodes; u++ {
		off[u] += off[u-1]
	}
	ix.off = off
	ix.adj = make([]Half, off[nodes])

	// Fill, moving a cursor per node; the cursors end where the next node's
	// list starts, so off is put back by shifting it afterwards. Meanwhile
	// the per-ID arrays are written, and repeated IDs looked for.
	var dup error
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range edges {
			e := &edges[i]
			if e.A == e.B {
				continue
			}
			w, b := e.ID/64, uint64(1)<<(e.ID%64)
			if ix.has[w]&b != 0 {
				dup = fmt.Errorf("%w: %d", ErrDuplicate, e.ID)
				return
			}
			ix.has[w] |= b
			ix.attr[e.ID] = e.Attr
			if ix.day != nil {
				ix.day[e.ID] = e.Day
			}
		}
	}()
	cur := off[:nodes]
	parallel(workers, func(k int) {
		lo, hi := part(k)
		for i := range edges {
			e := &edges[i]
			if e.A == e.B {
				continue
			}
			if e.A >= lo && e.A < hi {
				ix.adj[cur[e.A]] = Half{e.B, e.ID}
				cur[e.A]++
			}
			if e.B >= lo && e.B < hi {
				ix.adj[cur[e.B]] = Half{e.A, e.ID}
				cur[e.B]++
			}
		}
	})
	<-done
	if dup != nil {
		return nil, dup
	}
	copy(off[1:], off[:nodes])
	if nodes > 0 {
		off[0] = 0
	}
	parallel(workers, func(k int) {
		lo, hi := part(k)
		for u := lo; u < hi; u++ {
			sortLong(ix.adj[off[u]:off[u+1]])
		}
	})
	return ix, nil
}

// parallel runs f(0) to f(n-1) at once and waits for them.
func parallel(n int, f func(k int)) {
	var wg sync.WaitGroup
	for k := range n {
		wg.Go(func() { f(k) })
	}
	wg.Wait()
}

// sortedAbove is the degree above which a node's list is sorted by
// neighbour: the few long lists (hubs') are searched rather than read
// (Around's links between hubs); short ones are read.
var sortedAbove = 1024 // a variable only so that tests can lower it

func sortLong(l []Half) {
	if len(l) > sortedAbove {
		slices.SortFunc(l, func(x, y Half) int { return cmp.Or(cmp.Compare(x.To, y.To), cmp.Compare(x.ID, y.ID)) })
	}
}

// Nodes is the node count.
func (ix *Index) Nodes() int { return ix.n }

// Edges is the edge count (self-links left out).
func (ix *Index) Edges() int { return ix.edges }

// SelfLinks counts the edges Build left out for joining a node to itself.
func (ix *Index) SelfLinks() int { return ix.loops }

// Degree is the number of links at n.
func (ix *Index) Degree(n Node) int {
	if int(n) >= ix.n {
		return 0
	}
	return int(ix.off[n+1] - ix.off[n])
}

// Neighbours lists n's links, each once per direction it is seen from n. The
// slice is the index's own: read it, never write to it.
func (ix *Index) Neighbours(n Node) []Half {
	if int(n) >= ix.n {
		return nil
	}
	return ix.adj[ix.off[n]:ix.off[n+1]:ix.off[n+1]]
}

// Has reports whether an edge with this ID is indexed.
func (ix *Index) Has(id uint32) bool {
	return int(id/64) < len(ix.has) && ix.has[id/64]&(1<<(id%64)) != 0
}

// Attr gives an indexed edge's attribute word and day.
func (ix *Index) Attr(id uint32) (attr, day uint32, ok bool) {
	if !ix.Has(id) {
		return 0, 0, false
	}
	return ix.attrDay(id), ix.dayOf(id), true
}

func (ix *Index) attrDay(id uint32) uint32 { return ix.attr[id] }

func (ix *Index) dayOf(id uint32) uint32 {
	if ix.day == nil {
		return 0
	}
	return ix.day[id]
}

// Bytes is the memory the index holds, from its arrays' capacities.
func (ix *Index) Bytes() int {
	return 4*cap(ix.off) + 8*cap(ix.adj) + 4*cap(ix.attr) + 4*cap(ix.day) + 8*cap(ix.has)
}

// count of set bits, for tests and Compact.
func popcount(ws []uint64) int {
	n := 0
	for _, w := range ws {
		n += bits.OnesCount64(w)
	}
	return n
}
