package graph

import "slices"

// Path is what ShortestPath finds: the nodes from a to b and the edge
// joining each to the next. No path (within the hops, the filter, Skip and
// the hub rule) is an empty Path.
type Path struct {
	Nodes []Node
	Links []Link
	// Truncated says the search gave up at MaxNodes nodes visited, so there
	// may be a path it did not find.
	Truncated bool
}

// step is one node of a path search: which side found it (0 from a, 1 from
// b, 2 barred), from which step, by which edge, at what depth.
type step struct {
	node  Node
	from  int32
	id    uint32
	depth uint8
	side  uint8
}

const barred = 2

// shortestPath is a bidirectional breadth-first search: it grows, a whole
// level at a time, whichever side has the fewer links to read, and stops
// where the sides first meet. Under the hub rule a hub is
// never a path's inner node, though a or b may be one.
func (g view) shortestPath(a, b Node, o Options) Path {
	o = o.norm(MaxPathHops, MaxPathHops, 0)
	limit := o.MaxNodes
	if limit <= 0 {
		limit = int(^uint(0) >> 1)
	}
	if o.Skip != nil && (o.Skip(a) || o.Skip(b)) {
		return Path{}
	}
	if a == b {
		return Path{Nodes: []Node{a}}
	}
	sc := getScratch()
	defer putScratch(sc)
	steps := []step{{node: a, from: -1, side: 0}, {node: b, from: -1, side: 1}}
	sc.seen.put(a, 0)
	sc.seen.put(b, 1)
	front := [2][]int32{{0}, {1}}
	work := [2]int{g.degree(a), g.degree(b)}
	depth := [2]int{}
	var next []int32
	for depth[0]+depth[1] < o.Hops {
		s := 0
		if work[1] < work[0] {
			s = 1
		}
		if len(front[s]) == 0 {
			return Path{}
		}
		next, work[s] = next[:0], 0
		for _, ui := range front[s] {
			u := steps[ui].node
			for _, h := range g.halves(u, o.Filter, &sc.buf) {
				v := h.To
				if j, ok := sc.seen.get(v); ok {
					if steps[j].side == uint8(1-s) {
						// The first meeting is a shortest: every node the
						// other side found before its last level has had
						// its links read, so met nodes are all of its last
						// level.
						if s == 1 {
							return path(steps, int32(j), ui, h.ID)
						}
						return path(steps, ui, int32(j), h.ID)
					}
					continue
				}
				if len(steps) >= limit {
					return Path{Truncated: true}
				}
				side := uint8(s)
				isHub, deg := g.hub(v, &o)
				if isHub || o.Skip != nil && o.Skip(v) {
					side = barred
				}
				sc.seen.put(v, uint32(len(steps)))
				steps = append(steps, step{node: v, from: ui, id: h.ID, depth: steps[ui].depth + 1, side: side})
				if side != barred {
					next = append(next, int32(len(steps)-1))
					work[s] += deg
				}
			}
		}
		front[s], next = next, front[s]
		depth[s]++
	}
	return Path{}
}

// path joins the chain back from step u (on a's side) to the chain back
// from step v (on b's side) by edge id.
func path(steps []step, u, v int32, id uint32) Path {
	var p Path
	for i := u; i >= 0; i = steps[i].from {
		p.Nodes = append(p.Nodes, steps[i].node)
		if steps[i].from >= 0 {
			p.Links = append(p.Links, Link{steps[i].id, steps[steps[i].from].node, steps[i].node})
		}
	}
	slices.Reverse(p.Nodes)
	slices.Reverse(p.Links)
	p.Links = append(p.Links, Link{id, steps[u].node, steps[v].node})
	for i := v; i >= 0; i = steps[i].from {
		p.Nodes = append(p.Nodes, steps[i].node)
		if steps[i].from >= 0 {
			p.Links = append(p.Links, Link{steps[i].id, steps[i].node, steps[steps[i].from].node})
		}
	}
	return p
}
