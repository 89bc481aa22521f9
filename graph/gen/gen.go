// Package gen makes synthetic intelligence graphs for graph's tests and
// benchmarks: a power-law spread of degrees (most entities with a handful of
// links, a few with hundreds) plus hubs (places and phones with thousands),
// by the configuration model, from a seed, so the same Config always gives
// the same graph. There is no person in it: nodes are numbers.
package gen

import (
	"math"
	"math/rand/v2"

	"lantern"
	"lantern/graph"
)

// Config says what to make.
type Config struct {
	Nodes, Edges int
	// Hubs is how many nodes get MinHub to MaxHub links (log-uniform).
	Hubs           int
	MinHub, MaxHub int
	// MaxDegree caps the other nodes' degrees.
	MaxDegree int
	Seed      uint64
}

// National is the scale the index is built for: 2 million entities, 10
// million links, 100 hubs of 1,000 to 10,000 links.
var National = Config{Nodes: 2_000_000, Edges: 10_000_000, Hubs: 100, MinHub: 1000, MaxHub: 10000, MaxDegree: 400, Seed: 14}

// Graph is a made graph: its edges (IDs 0..len-1) and each node's kind
// (graph.KindOf an entity type).
type Graph struct {
	Nodes int
	Edges []graph.Edge
	Kinds []byte
}

// Kinds of link attributes: Attr's low byte is a link kind index (0..8), the
// next a grading byte (source 1-3 ×16 + intelligence 1-5); Day is a day
// number in 2016 to 2025 (days since 1970).
const (
	dayFirst = 16801 // 2016-01-01
	dayLast  = 20453 // 2025-12-31
)

// Make makes the graph c describes.
func Make(c Config) Graph {
	r := rand.New(rand.NewPCG(c.Seed, c.Seed^0x5851f42d4c957f2d))
	g := Graph{Nodes: c.Nodes, Kinds: make([]byte, c.Nodes)}
	deg := make([]int, c.Nodes)
	stubs := 2 * c.Edges
	// Hubs first, on random nodes: places (and some phones) where many are
	// seen.
	left := stubs
	for range min(c.Hubs, c.Nodes) {
		u := r.IntN(c.Nodes)
		if deg[u] > 0 {
			continue
		}
		d := int(math.Exp(math.Log(float64(c.MinHub)) + r.Float64()*(math.Log(float64(c.MaxHub))-math.Log(float64(c.MinHub)))))
		d = min(d, left/2)
		deg[u] = d
		left -= d
		g.Kinds[u] = graph.KindOf(lantern.EntityPlace)
		if r.IntN(4) == 0 {
			g.Kinds[u] = graph.KindOf(lantern.EntityPhone)
		}
	}
	// The rest: a discrete Pareto (exponent 2.5) scaled to the stubs left.
	var sum float64
	w := make([]float64, c.Nodes)
	for u := range c.Nodes {
		if deg[u] > 0 {
			continue
		}
		w[u] = math.Min(math.Pow(1-r.Float64(), -1/1.5), float64(c.MaxDegree))
		sum += w[u]
	}
	total := float64(left)
	for u := range c.Nodes {
		if deg[u] > 0 {
			continue
		}
		deg[u] = max(1, int(w[u]*total/sum))
		left -= deg[u]
		g.Kinds[u] = kind(r)
	}
	// Even out to exactly 2×Edges stubs.
	for left != 0 {
		u := r.IntN(c.Nodes)
		if left > 0 && deg[u] < c.MaxDegree {
			deg[u]++
			left--
		} else if left < 0 && deg[u] > 1 && deg[u] <= c.MaxDegree {
			deg[u]--
			left++
		}
	}
	pool := make([]graph.Node, 0, stubs)
	for u, d := range deg {
		for range d {
			pool = append(pool, graph.Node(u))
		}
	}
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	g.Edges = make([]graph.Edge, 0, c.Edges)
	for i := 0; i+1 < len(pool); i += 2 {
		a, b := pool[i], pool[i+1]
		if a == b {
			b = pool[(i+2+r.IntN(len(pool)-2))%len(pool)]
		}
		g.Edges = append(g.Edges, graph.Edge{A: a, B: b, ID: uint32(len(g.Edges)),
			Attr: uint32(r.IntN(9)) | uint32(16*(1+r.IntN(3))+1+r.IntN(5))<<8,
			Day:  uint32(dayFirst + r.IntN(dayLast-dayFirst+1))})
	}
	return g
}

// kind picks an ordinary node's entity type: mostly persons, a fifth
// children.
func kind(r *rand.Rand) byte {
	switch x := r.IntN(100); {
	case x < 20:
		return graph.KindOf(lantern.EntityChild)
	case x < 60:
		return graph.KindOf(lantern.EntityPerson)
	case x < 70:
		return graph.KindOf(lantern.EntityVehicle)
	case x < 82:
		return graph.KindOf(lantern.EntityPhone)
	case x < 90:
		return graph.KindOf(lantern.EntityPlace)
	default:
		return graph.KindOf(lantern.EntityAccount)
	}
}
