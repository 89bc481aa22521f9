package graph_test

import (
	"cmp"
	"errors"
	"slices"
	"testing"

	"lantern/graph"
	"lantern/graph/gen"
)

// TestBuildLarge builds a graph large enough for Build to share the work
// among processors and its hubs' lists to be sorted, and checks every list
// against one made the plain way.
func TestBuildLarge(t *testing.T) {
	g := gen.Make(gen.Config{Nodes: 20000, Edges: 300000, Hubs: 5, MinHub: 1500, MaxHub: 3000, MaxDegree: 200, Seed: 9})
	ix, err := graph.Build(g.Nodes, g.Edges)
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]graph.Half, g.Nodes)
	loops := 0
	for _, e := range g.Edges {
		if e.A == e.B {
			loops++
			continue
		}
		want[e.A] = append(want[e.A], graph.Half{To: e.B, ID: e.ID})
		want[e.B] = append(want[e.B], graph.Half{To: e.A, ID: e.ID})
	}
	if ix.Edges() != len(g.Edges)-loops || ix.SelfLinks() != loops {
		t.Fatalf("%d edges, %d self-links; want %d, %d", ix.Edges(), ix.SelfLinks(), len(g.Edges)-loops, loops)
	}
	byTo := func(x, y graph.Half) int { return cmp.Or(cmp.Compare(x.To, y.To), cmp.Compare(x.ID, y.ID)) }
	long := 0
	for u := range g.Nodes {
		got := ix.Neighbours(graph.Node(u))
		if len(got) > 1024 {
			long++
			if !slices.IsSortedFunc(got, byTo) {
				t.Fatalf("node %d's list of %d is not sorted", u, len(got))
			}
		}
		slices.SortFunc(want[u], byTo)
		if !slices.Equal(slices.SortedFunc(slices.Values(got), byTo), want[u]) {
			t.Fatalf("node %d: %v, want %v", u, got, want[u])
		}
	}
	if long == 0 {
		t.Error("no list long enough to be sorted")
	}
	for _, e := range g.Edges[:1000] {
		if a, d, ok := ix.Attr(e.ID); e.A != e.B && (!ok || a != e.Attr || d != e.Day) {
			t.Fatalf("Attr(%d) = %d %d %v, want %d %d", e.ID, a, d, ok, e.Attr, e.Day)
		}
	}
	dup := slices.Clone(g.Edges)
	dup[len(dup)-1].ID = dup[0].ID
	dup[0].A, dup[0].B = 1, 2
	dup[len(dup)-1].A, dup[len(dup)-1].B = 3, 4
	if _, err := graph.Build(g.Nodes, dup); !errors.Is(err, graph.ErrDuplicate) {
		t.Error("a repeated ID in a large build")
	}
}
