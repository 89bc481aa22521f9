package graph

import (
	"cmp"
	"math/bits"
	"slices"
)

// Defaults for Options left at zero.
const (
	DefaultHops      = 2   // Around and Shared
	MaxAroundHops    = 3   // beyond three hops the network is most of the county
	DefaultMaxDegree = 200 // the hub rule
	DefaultMaxNodes  = 500 // Around's cap
	SharedMaxNodes   = 10000
	MaxPathHops      = 6
)

// Options shape a walk. The zero value walks DefaultHops with the hub rule
// and cap at their defaults.
type Options struct {
	// Hops is how far to walk: Around and Shared 1 to 3 (0 is DefaultHops),
	// ShortestPath the longest path, 1 to 6 (0 is 6).
	Hops int
	// MaxDegree is the hub rule: a node with more links than this is
	// included but not walked through, unless it is in Expand. 0 is
	// DefaultMaxDegree; a negative value turns the rule off. Degree counts
	// every link, filtered or not.
	MaxDegree int
	// Expand lists hubs to walk through all the same.
	Expand []Node
	// MaxNodes stops the walk when this many nodes are included (Around: 0
	// is DefaultMaxNodes; Shared, per start: 0 is SharedMaxNodes;
	// ShortestPath: nodes visited, 0 for no limit).
	MaxNodes int
	// Filter says which edges may be walked and shown.
	Filter Filter
	// Skip says which nodes the caller may not see: they are neither
	// included nor walked through. It is asked at most once a node a query.
	Skip func(Node) bool
}

func (o Options) norm(hops, maxHops, maxNodes int) Options {
	if o.Hops == 0 {
		o.Hops = hops
	}
	o.Hops = min(max(o.Hops, 1), maxHops)
	if o.MaxDegree == 0 {
		o.MaxDegree = DefaultMaxDegree
	}
	if o.MaxNodes <= 0 {
		o.MaxNodes = maxNodes
	}
	return o
}

// hub reports whether the hub rule stops a walk at u, and u's degree.
func (g view) hub(u Node, o *Options) (bool, int) {
	deg := g.degree(u)
	if o.MaxDegree < 0 || deg <= o.MaxDegree {
		return false, deg
	}
	return !slices.Contains(o.Expand, u), deg
}

// Reached is a node found by a walk, with its distance in hops from the
// nearest start.
type Reached struct {
	Node Node
	Hop  int
}

// Hub is a node included but not walked through under the hub rule.
type Hub struct {
	Node   Node
	Degree int
}

// Link is an edge in a result: its ID, to fetch its details by, and its ends.
type Link struct {
	ID   uint32
	A, B Node
}

// Network is what Around finds.
type Network struct {
	// Nodes are in the order found: the starts (hop 0), then each hop's.
	Nodes []Reached
	// Links are the edges among Nodes that pass the filter, each once.
	Links []Link
	// Hubs are the nodes of Nodes the hub rule kept from being walked
	// through (whatever their hop), with their degree: the tool can offer to
	// expand them.
	Hubs []Hub
	// Truncated says the walk stopped at MaxNodes nodes: the last hop in
	// Nodes is incomplete, the ones before it complete.
	Truncated bool
}

// skipped marks, in a walk's table, a node Skip refused.
const skipped = ^uint32(0)

// walk is the breadth-first search under Around and Shared. It appends the
// nodes found to w.nodes, and leaves in sc.seen each one's index in w.nodes
// (or skipped).
type walk struct {
	nodes     []Reached
	hub       []bool // nodes[i] is held by the hub rule
	full      []bool // nodes[i]'s list has been read to the end
	links     []Link // with want, the links read from full nodes' lists
	want      bool
	truncated bool
}

func (g view) walk(starts []Node, o *Options, sc *scratch, w *walk) {
	seen := &sc.seen
	include := func(v Node, hop int) {
		seen.put(v, uint32(len(w.nodes)))
		w.nodes = append(w.nodes, Reached{v, hop})
		h, _ := g.hub(v, o)
		w.hub = append(w.hub, h)
		w.full = append(w.full, false)
	}
	for _, s := range starts {
		if _, ok := seen.get(s); ok {
			continue
		}
		if o.Skip != nil && o.Skip(s) {
			seen.put(s, skipped)
			continue
		}
		if len(w.nodes) == o.MaxNodes {
			w.truncated = true
			return
		}
		include(s, 0)
	}
	lo := 0
	for hop := 1; hop <= o.Hops && lo < len(w.nodes); hop++ {
		hi := len(w.nodes)
		for i := lo; i < hi; i++ {
			if w.hub[i] {
				continue
			}
			u := w.nodes[i].Node
			mark := len(w.links)
			for _, h := range g.halves(u, o.Filter, &sc.buf) {
				v := h.To
				j, ok := seen.get(v)
				if !ok {
					if o.Skip != nil && o.Skip(v) {
						seen.put(v, skipped)
						continue
					}
					if len(w.nodes) == o.MaxNodes {
						// u's list is read again with the last level's.
						w.links = w.links[:mark]
						w.truncated = true
						return
					}
					j = uint32(len(w.nodes))
					include(v, hop)
				} else if j == skipped {
					continue
				}
				// Each link once: from its smaller end, or from the end
				// that is not a hub, whose list is read.
				if w.want && (u < v || w.hub[j]) {
					w.links = append(w.links, Link{h.ID, u, v})
				}
			}
			w.full[i] = true
		}
		lo = hi
	}
}

// Around walks breadth first from the starts (see Options): the network
// around a child. A start is subject to Skip and the hub rule like any node.
func (g view) around(starts []Node, o Options) Network {
	o = o.norm(DefaultHops, MaxAroundHops, DefaultMaxNodes)
	sc := getScratch()
	defer putScratch(sc)
	w := walk{want: true}
	g.walk(starts, &o, sc, &w)
	net := Network{Nodes: w.nodes, Links: w.links, Truncated: w.truncated}

	// The links among the nodes whose lists the walk did not read (the last
	// hop's), each once as above; an unwalked hub's list (it may be
	// thousands long) is not read, but searched for the other hubs.
	for i, r := range w.nodes {
		if w.hub[i] {
			net.Hubs = append(net.Hubs, Hub{r.Node, g.degree(r.Node)})
			continue
		}
		if w.full[i] {
			continue
		}
		u := r.Node
		for _, h := range g.halves(u, o.Filter, &sc.buf) {
			j, ok := sc.seen.get(h.To)
			if ok && j != skipped && (u < h.To || w.hub[j]) {
				net.Links = append(net.Links, Link{h.ID, u, h.To})
			}
		}
	}
	if len(net.Hubs) < 2 {
		return net
	}
	hubs := make([]int, len(net.Hubs)) // indices in net.Hubs, by degree
	for i := range hubs {
		hubs[i] = i
	}
	// Each pair of hubs from the one with the fewer links: its list read, or
	// searched for each of the others when that is fewer steps.
	slices.SortFunc(hubs, func(x, y int) int {
		return cmp.Or(cmp.Compare(net.Hubs[x].Degree, net.Hubs[y].Degree), cmp.Compare(x, y))
	})
	// hubRank: by node index (hubs only), the place in that order.
	hubRank := make(map[uint32]int, len(hubs))
	for x, i := range hubs {
		j, _ := sc.seen.get(net.Hubs[i].Node)
		hubRank[j] = x
	}
	for x, i := range hubs {
		u, deg := net.Hubs[i].Node, net.Hubs[i].Degree
		later := hubs[x+1:]
		if deg > sortedAbove && len(later)*bits.Len(uint(deg)) < deg {
			for _, j := range later {
				v := net.Hubs[j].Node
				g.between(u, v, o.Filter, func(id uint32) { net.Links = append(net.Links, Link{id, u, v}) })
			}
			continue
		}
		for _, h := range g.halves(u, o.Filter, &sc.buf) {
			if j, ok := sc.seen.get(h.To); ok && j != skipped && w.hub[j] && hubRank[j] > x {
				net.Links = append(net.Links, Link{h.ID, u, h.To})
			}
		}
	}
	return net
}
