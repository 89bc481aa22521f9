package graph

// Graph is what Index and Live both answer.
type Graph interface {
	Nodes() int
	Degree(n Node) int
	Around(starts []Node, o Options) Network
	ShortestPath(a, b Node, o Options) Path
	Shared(starts []Node, o Options) SharedResult
	Components(f Filter, maxDegree int) *Parts
	TopDegree(k int, keep func(Node) bool, f Filter) []NodeDegree
}

var (
	_ Graph = (*Index)(nil)
	_ Graph = (*Live)(nil)
)

// Around is the network within o.Hops of the starts: breadth first, under
// the hub rule, the filter and Skip, up to o.MaxNodes nodes. See Options.
func (ix *Index) Around(starts []Node, o Options) Network { return view{ix: ix}.around(starts, o) }

// ShortestPath is a shortest path from a to b of at most o.Hops links
// (default 6), under the filter, Skip and the hub rule (no hub inside the
// path unless in o.Expand).
func (ix *Index) ShortestPath(a, b Node, o Options) Path { return view{ix: ix}.shortestPath(a, b, o) }

// Shared is the nodes within o.Hops of two or more of the starts, with which
// starts reach each: the associates several children share.
func (ix *Index) Shared(starts []Node, o Options) SharedResult { return view{ix: ix}.shared(starts, o) }

// Components is the graph's connected components over the edges f passes (nil
// for all); with maxDegree > 0, nodes with more links stand alone and join
// nothing. It reads the whole graph.
func (ix *Index) Components(f Filter, maxDegree int) *Parts {
	return view{ix: ix}.components(f, maxDegree)
}

// TopDegree is the k nodes with the most links among those keep accepts (nil
// for all), counting only the edges f passes (nil for all).
func (ix *Index) TopDegree(k int, keep func(Node) bool, f Filter) []NodeDegree {
	return view{ix: ix}.topDegree(k, keep, f)
}

// Around is Index.Around on the graph as it is now.
func (l *Live) Around(starts []Node, o Options) Network {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.view().around(starts, o)
}

// ShortestPath is Index.ShortestPath on the graph as it is now.
func (l *Live) ShortestPath(a, b Node, o Options) Path {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.view().shortestPath(a, b, o)
}

// Shared is Index.Shared on the graph as it is now.
func (l *Live) Shared(starts []Node, o Options) SharedResult {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.view().shared(starts, o)
}

// Components is Index.Components on the graph as it is now. It holds the
// read lock for the whole pass, so changes wait for it.
func (l *Live) Components(f Filter, maxDegree int) *Parts {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.view().components(f, maxDegree)
}

// TopDegree is Index.TopDegree on the graph as it is now.
func (l *Live) TopDegree(k int, keep func(Node) bool, f Filter) []NodeDegree {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.view().topDegree(k, keep, f)
}
