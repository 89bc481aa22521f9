package graph

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Live is an Index kept current: edges added after the build are visible at
// once, removed (withdrawn) edges are masked, and Compact folds the delta into
// a new Index. It is guarded by a sync.RWMutex: queries share it, Add and
// Remove hold it alone for a moment, and Compact builds the new Index outside
// it, replaying the changes made meanwhile before it swaps the new one in.
// A long query (Components over the whole graph) keeps writers waiting for
// as long as it runs.
type Live struct {
	mu      sync.RWMutex
	ix      *Index
	d       *delta
	logging bool // a Compact is building: changes are logged to replay
	log     []change

	compacting sync.Mutex
}

type change struct {
	e      Edge
	remove bool
}

// NewLive starts a Live from an Index (which it never changes).
func NewLive(ix *Index) *Live { return &Live{ix: ix, d: newDelta(ix)} }

// xhalf is one direction of an added edge, with its attributes (the delta
// has no per-ID arrays), in a list per node threaded through one slice: no
// allocation per node, and nothing for the garbage collector to trace.
type xhalf struct {
	To            Node
	ID, Attr, Day uint32
	next          int32 // the node's next added half, -1 for none
}

// xlist is a node's list of added halves.
type xlist struct{ first, count int32 }

// delta is what changed since the Index was built.
type delta struct {
	n        int // node count: the base's, or more if an added edge names more
	halves   []xhalf
	lists    map[Node]xlist
	byID     map[uint32]Edge // the added edges
	removed  []uint64        // base IDs masked, a bit each; nil until the first
	nremoved int
	lost     map[Node]int32 // masked base halves per node, for Degree
	// touched has a bit for each node with added or masked halves: the
	// others' lists are the index's own, with no maps to look in.
	touched []uint64
}

func (d *delta) touch(u Node) {
	if int(u/64) >= len(d.touched) {
		d.touched = slices.Grow(d.touched, int(u/64)+1-len(d.touched))[:int(u/64)+1]
	}
	d.touched[u/64] |= 1 << (u % 64)
}

func (d *delta) isTouched(u Node) bool {
	return int(u/64) < len(d.touched) && d.touched[u/64]&(1<<(u%64)) != 0
}

func newDelta(ix *Index) *delta {
	return &delta{n: ix.n, lists: map[Node]xlist{}, byID: map[uint32]Edge{}, lost: map[Node]int32{},
		touched: make([]uint64, (ix.n+63)/64)}
}

func (d *delta) empty() bool { return len(d.byID) == 0 && d.nremoved == 0 }

func (d *delta) isRemoved(id uint32) bool {
	return d.removed != nil && d.removed[id/64]&(1<<(id%64)) != 0
}

// added calls fn for each of u's added halves.
func (d *delta) added(u Node, fn func(x *xhalf)) {
	l, ok := d.lists[u]
	if !ok {
		return
	}
	for i := l.first; i >= 0; i = d.halves[i].next {
		fn(&d.halves[i])
	}
}

func (d *delta) clone() *delta {
	return &delta{n: d.n, halves: slices.Clone(d.halves), lists: maps.Clone(d.lists), byID: maps.Clone(d.byID),
		removed: slices.Clone(d.removed), nremoved: d.nremoved, lost: maps.Clone(d.lost), touched: slices.Clone(d.touched)}
}

func (d *delta) apply(ix *Index, c change) error {
	if c.remove {
		return d.removeEdge(ix, c.e)
	}
	return d.addEdge(ix, c.e)
}

func (d *delta) addEdge(ix *Index, e Edge) error {
	if e.A > maxNode || e.B > maxNode {
		return fmt.Errorf("%w: %d–%d", ErrRange, e.A, e.B)
	}
	if _, ok := d.byID[e.ID]; ok || ix.Has(e.ID) && !d.isRemoved(e.ID) {
		return fmt.Errorf("%w: %d", ErrDuplicate, e.ID)
	}
	if e.A == e.B {
		return nil // as Build: a self-link is left out
	}
	d.byID[e.ID] = e
	d.push(e.A, xhalf{To: e.B, ID: e.ID, Attr: e.Attr, Day: e.Day})
	d.push(e.B, xhalf{To: e.A, ID: e.ID, Attr: e.Attr, Day: e.Day})
	d.n = max(d.n, int(e.A)+1, int(e.B)+1)
	return nil
}

func (d *delta) push(u Node, x xhalf) {
	l, ok := d.lists[u]
	if !ok {
		l.first = -1
	}
	x.next = l.first
	l.first = int32(len(d.halves))
	l.count++
	d.halves = append(d.halves, x)
	d.lists[u] = l
	d.touch(u)
}

func (d *delta) removeEdge(ix *Index, e Edge) error {
	if x, ok := d.byID[e.ID]; ok {
		if !(x.A == e.A && x.B == e.B || x.A == e.B && x.B == e.A) {
			return fmt.Errorf("%w: %d does not join %d and %d", ErrNotFound, e.ID, e.A, e.B)
		}
		d.unlink(x.A, x.ID)
		d.unlink(x.B, x.ID)
		delete(d.byID, e.ID)
		return nil
	}
	if !ix.Has(e.ID) || d.isRemoved(e.ID) || e.A == e.B {
		return fmt.Errorf("%w: %d", ErrNotFound, e.ID)
	}
	// Check the ends against the smaller list, so that a wrong pair cannot
	// skew the degrees.
	a, b := e.A, e.B
	if ix.Degree(b) < ix.Degree(a) {
		a, b = b, a
	}
	if !slices.Contains(ix.Neighbours(a), Half{b, e.ID}) {
		return fmt.Errorf("%w: %d does not join %d and %d", ErrNotFound, e.ID, e.A, e.B)
	}
	if d.removed == nil {
		d.removed = make([]uint64, len(ix.has))
	}
	d.removed[e.ID/64] |= 1 << (e.ID % 64)
	d.nremoved++
	d.lost[e.A]++
	d.lost[e.B]++
	d.touch(e.A)
	d.touch(e.B)
	return nil
}

// unlink takes the half with id out of u's list (its slot stays, unused,
// until Compact).
func (d *delta) unlink(u Node, id uint32) {
	l := d.lists[u]
	prev := int32(-1)
	for i := l.first; i >= 0; prev, i = i, d.halves[i].next {
		if d.halves[i].ID != id {
			continue
		}
		if prev < 0 {
			l.first = d.halves[i].next
		} else {
			d.halves[prev].next = d.halves[i].next
		}
		break
	}
	if l.count--; l.count == 0 {
		delete(d.lists, u)
	} else {
		d.lists[u] = l
	}
}

// merge folds a delta into a new Index: each node's base list less the
// masked edges, then its added ones. The lists of nodes the delta leaves
// alone are copied a run at a time, so it is much quicker than a Build.
func merge(ix *Index, d *delta) *Index {
	n := d.n
	maxID := len(ix.attr) - 1
	dayed := ix.day != nil
	for id, e := range d.byID {
		maxID = max(maxID, int(id))
		dayed = dayed || e.Day != 0
	}
	nx := &Index{n: n, edges: ix.edges - d.nremoved + len(d.byID), loops: ix.loops}
	change := make([]int32, n)
	touched := make([]uint64, (n+63)/64)
	for u, l := range d.lists {
		change[u] += l.count
		touched[u/64] |= 1 << (u % 64)
	}
	for u, k := range d.lost {
		change[u] -= k
		touched[u/64] |= 1 << (u % 64)
	}
	off := make([]uint32, n+1)
	for u := range n {
		off[u+1] = off[u] + uint32(ix.Degree(Node(u))+int(change[u]))
	}
	nx.off = off
	nx.adj = make([]Half, off[n])
	if maxID >= 0 {
		nx.attr = make([]uint32, maxID+1)
		copy(nx.attr, ix.attr)
		nx.has = make([]uint64, (maxID+64)/64)
		copy(nx.has, ix.has)
		if dayed {
			nx.day = make([]uint32, maxID+1)
			copy(nx.day, ix.day)
		}
	}
	for i, w := range d.removed {
		nx.has[i] &^= w
	}
	for id, e := range d.byID {
		nx.has[id/64] |= 1 << (id % 64)
		nx.attr[id] = e.Attr
		if nx.day != nil {
			nx.day[id] = e.Day
		}
	}
	baseOff := func(u int) uint32 { return ix.off[min(u, ix.n)] }
	for u := 0; u < n; {
		if touched[u/64]&(1<<(u%64)) == 0 {
			s := u
			for u < n && touched[u/64]&(1<<(u%64)) == 0 {
				u++
			}
			copy(nx.adj[off[s]:off[u]], ix.adj[baseOff(s):baseOff(u)])
			continue
		}
		out := nx.adj[off[u]:off[u]]
		for _, h := range ix.Neighbours(Node(u)) {
			if !d.isRemoved(h.ID) {
				out = append(out, h)
			}
		}
		d.added(Node(u), func(x *xhalf) { out = append(out, Half{x.To, x.ID}) })
		sortLong(out)
		u++
	}
	return nx
}

// view is what a query reads: an Index and, when it is not empty, a delta.
type view struct {
	ix *Index
	d  *delta
}

func (l *Live) view() view {
	if l.d.empty() && l.d.n == l.ix.n {
		return view{ix: l.ix} // the quicker way, with no delta to look in
	}
	return view{l.ix, l.d}
}

func (g view) nodes() int {
	if g.d != nil {
		return max(g.ix.n, g.d.n)
	}
	return g.ix.n
}

func (g view) degree(u Node) int {
	deg := g.ix.Degree(u)
	if g.d != nil && g.d.isTouched(u) {
		deg += int(g.d.lists[u].count - g.d.lost[u])
	}
	return deg
}

// halves lists u's links that pass f and are not masked. With neither a
// filter nor a delta it is the index's own slice; otherwise it is built in
// *buf.
func (g view) halves(u Node, f Filter, buf *[]Half) []Half {
	ix := g.ix
	var base []Half
	if int(u) < ix.n {
		base = ix.adj[ix.off[u]:ix.off[u+1]]
	}
	d := g.d
	if d != nil && !d.isTouched(u) {
		d = nil
	}
	if f == nil && d == nil {
		return base
	}
	out := (*buf)[:0]
	var rm []uint64
	if d != nil {
		rm = d.removed
	}
	for _, h := range base {
		if rm != nil && rm[h.ID/64]&(1<<(h.ID%64)) != 0 {
			continue
		}
		if f != nil && !f(ix.attr[h.ID], ix.dayOf(h.ID)) {
			continue
		}
		out = append(out, h)
	}
	if d != nil {
		d.added(u, func(x *xhalf) {
			if f == nil || f(x.Attr, x.Day) {
				out = append(out, Half{x.To, x.ID})
			}
		})
	}
	*buf = out
	return out
}

// between calls fn for each edge between u and v that f passes and is not
// masked. A long list is searched, a short one read.
func (g view) between(u, v Node, f Filter, fn func(id uint32)) {
	if g.degree(v) < g.degree(u) {
		u, v = v, u
	}
	ix := g.ix
	pass := func(h Half) {
		if g.d != nil && g.d.isRemoved(h.ID) || f != nil && !f(ix.attr[h.ID], ix.dayOf(h.ID)) {
			return
		}
		fn(h.ID)
	}
	l := ix.Neighbours(u)
	if len(l) > sortedAbove {
		i, _ := slices.BinarySearchFunc(l, v, func(h Half, v Node) int { return cmp.Compare(h.To, v) })
		for ; i < len(l) && l[i].To == v; i++ {
			pass(l[i])
		}
	} else {
		for _, h := range l {
			if h.To == v {
				pass(h)
			}
		}
	}
	if g.d != nil {
		g.d.added(u, func(x *xhalf) {
			if x.To == v && (f == nil || f(x.Attr, x.Day)) {
				fn(x.ID)
			}
		})
	}
}

// Add adds an edge, visible to the next query. It fails on an ID already
// present (remove it first to change an edge) or a node id out of range; a
// self-link is left out, as Build leaves it.
func (l *Live) Add(e Edge) error { return l.change(change{e: e}) }

// Remove masks the edge with e.ID, which must join e.A and e.B (its Attr and
// Day are not read).
func (l *Live) Remove(e Edge) error { return l.change(change{e: e, remove: true}) }

func (l *Live) change(c change) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.d.apply(l.ix, c); err != nil {
		return err
	}
	if l.logging {
		l.log = append(l.log, c)
	}
	return nil
}

// Pending is the size of the delta: edges added and edges masked since the
// Index was built or last compacted.
func (l *Live) Pending() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.d.byID) + l.d.nremoved
}

// Compact folds the delta into a new Index. Queries and changes go on while
// it builds; one Compact runs at a time.
func (l *Live) Compact() {
	l.compacting.Lock()
	defer l.compacting.Unlock()
	l.mu.Lock()
	ix, d := l.ix, l.d.clone()
	l.logging, l.log = true, nil
	l.mu.Unlock()

	nx := merge(ix, d)

	l.mu.Lock()
	defer l.mu.Unlock()
	nd := newDelta(nx)
	for _, c := range l.log {
		// Each change was accepted against the same edges; it cannot fail.
		if err := nd.apply(nx, c); err != nil {
			panic("graph: replaying a change after Compact: " + err.Error())
		}
	}
	l.ix, l.d, l.logging, l.log = nx, nd, false, nil
}

// Index is the Index the delta rests on (immutable: it lacks the delta).
func (l *Live) Index() *Index {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix
}

// Nodes is the node count, counting nodes named by added edges.
func (l *Live) Nodes() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.view().nodes()
}

// Degree is the number of links at n now.
func (l *Live) Degree(n Node) int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.view().degree(n)
}

// DegreeWhere is the number of links at n now that pass f.
func (l *Live) DegreeWhere(n Node, f Filter) int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var buf []Half
	return len(view{l.ix, l.d}.halves(n, f, &buf))
}

// Neighbours lists n's links now, in a new slice.
func (l *Live) Neighbours(n Node) []Half {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var buf []Half
	return slices.Clone(view{l.ix, l.d}.halves(n, nil, &buf))
}

// Attr gives an edge's attribute word and day, whether it was indexed or
// added since (a masked edge's too: a result read before it was masked may
// still name it).
func (l *Live) Attr(id uint32) (attr, day uint32, ok bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if e, found := l.d.byID[id]; found {
		return e.Attr, e.Day, true
	}
	return l.ix.Attr(id)
}
