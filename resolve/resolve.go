package resolve

import (
	"math"
	"runtime"
	"slices"
	"time"
)

// Link is a pair of records (indexes into the records resolved) scored at
// ReviewProbability or above.
type Link struct {
	A, B        int32
	Probability float64
	Decision    Decision
}

// Resolution is the outcome of resolving a set of records: every pair that
// shares a usable blocking key scored, and the pairs worth a link kept.
type Resolution struct {
	Records int
	Pairs   int64 // pairs scored
	Links   []Link
	Took    time.Duration
}

// Resolve blocks the records (BlockingKeys, skipping keys shared by more
// than MaxBlockSize), scores every distinct pair sharing a key, and keeps
// the pairs at ReviewProbability or above with their decisions. It uses
// every CPU. This is the whole re-resolve; a new record alone is scored
// against the records under its keys.
func (m *Model) Resolve(records []Record) *Resolution {
	start := time.Now()
	ps := PrepareAll(records)
	ix := newBlockIndex(ps, (*Prepared).BlockingKeys, MaxBlockSize)
	workers := runtime.GOMAXPROCS(0)
	links := make([][]Link, workers)
	pairs := make([]int64, workers)
	minWeight := weightOf(ReviewProbability)
	ix.eachPair(func(w, i, j int) {
		pairs[w]++
		a, b := ps[i], ps[j]
		if a.child != b.child { // never shared a key; kept as a guard
			return
		}
		wt, _ := m.weightOf(a, b)
		if wt < minWeight {
			return
		}
		p := probability(wt)
		links[w] = append(links[w], Link{A: int32(i), B: int32(j), Probability: p, Decision: decide(p, false, a, b)})
	})
	r := &Resolution{Records: len(records)}
	for w := range workers {
		r.Pairs += pairs[w]
		r.Links = append(r.Links, links[w]...)
	}
	slices.SortFunc(r.Links, func(x, y Link) int {
		if x.A != y.A {
			return int(x.A - y.A)
		}
		return int(x.B - y.B)
	})
	r.Took = time.Since(start)
	return r
}

// weightOf is the weight in bits at which the probability is p.
func weightOf(p float64) float64 {
	// p = b/(1+b) with b = 2^w; a hair below, so a pair at p exactly counts.
	return math.Log2(p/(1-p)) - 1e-9
}

// Clusters are the connected components of the links kept by keep: the
// cluster of each record, numbered by its first record.
func (r *Resolution) Clusters(keep func(Link) bool) []int {
	parent := make([]int32, r.Records)
	for i := range parent {
		parent[i] = int32(i)
	}
	var find func(int32) int32
	find = func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, l := range r.Links {
		if keep(l) {
			a, b := find(l.A), find(l.B)
			if a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	out := make([]int, r.Records)
	for i := range out {
		out[i] = int(find(int32(i)))
	}
	return out
}
