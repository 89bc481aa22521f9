package graph

import (
	"cmp"
	"math/bits"
	"slices"
)

// MaxShared is the most starts Shared compares.
const MaxShared = 64

// SharedNode is a node reached from two or more starts.
type SharedNode struct {
	Node Node
	// Starts has bit i set when starts[i] reaches the node within the hops.
	Starts uint64
}

// Count is how many starts reach the node.
func (s SharedNode) Count() int { return bits.OnesCount64(s.Starts) }

// SharedResult is what Shared finds.
type SharedResult struct {
	// Nodes are the shared ones, those reached from the most starts first,
	// then by node id.
	Nodes []SharedNode
	// Truncated says a start's walk stopped at MaxNodes, or there were more
	// than MaxShared starts (the rest are left out), so some may be missing.
	Truncated bool
}

// shared walks from each start in turn (Around's walk, with Options' hops,
// hub rule, filter and Skip) and keeps the nodes two or more of them reach:
// the associates several children share. A start does not count as reaching
// itself, so a start is listed only when two others reach it. A start given
// twice counts once.
func (g view) shared(starts []Node, o Options) SharedResult {
	o = o.norm(DefaultHops, MaxAroundHops, SharedMaxNodes)
	var res SharedResult
	if len(starts) > MaxShared {
		starts, res.Truncated = starts[:MaxShared], true
	}
	sc := getScratch()
	defer putScratch(sc)
	masks := &sc.aux // node → index in found
	var found []SharedNode
	var w walk
	for i, s := range starts {
		if slices.Index(starts, s) < i {
			continue
		}
		sc.seen.reset()
		w = walk{nodes: w.nodes[:0], hub: w.hub[:0], full: w.full[:0]}
		g.walk([]Node{s}, &o, sc, &w)
		res.Truncated = res.Truncated || w.truncated
		for _, r := range w.nodes {
			if r.Node == s {
				continue
			}
			if j, ok := masks.get(r.Node); ok {
				found[j].Starts |= 1 << i
			} else {
				masks.put(r.Node, uint32(len(found)))
				found = append(found, SharedNode{r.Node, 1 << i})
			}
		}
	}
	for _, f := range found {
		if f.Count() >= 2 {
			res.Nodes = append(res.Nodes, f)
		}
	}
	slices.SortFunc(res.Nodes, func(x, y SharedNode) int {
		return cmp.Or(cmp.Compare(y.Count(), x.Count()), cmp.Compare(x.Node, y.Node))
	})
	return res
}
