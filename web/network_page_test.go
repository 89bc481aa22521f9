package web

import (
	"math"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"lantern"
)

// TestNetworkView: the drawing and the tables hold the same nodes and
// links; a hub's expand link keeps the filters and adds the hub; the
// children not shown and the cut-off are said in words; the layout is the
// same every time, the child at the centre and each hop on its own ring.
func TestNetworkView(t *testing.T) {
	q := url.Values{"hops": {"2"}, "kind": {"seen-at"}}
	v := buildNetworkView(sampleChild, sampleNetwork, q)
	if again := buildNetworkView(sampleChild, sampleNetwork, q); !reflect.DeepEqual(v.Drawing, again.Drawing) {
		t.Error("the same network was drawn twice differently")
	}
	var tableRefs, drawnRefs []string
	for _, h := range v.Hops {
		for _, n := range h.Nodes {
			tableRefs = append(tableRefs, n.Ref)
		}
	}
	for _, n := range v.Drawing.Nodes {
		drawnRefs = append(drawnRefs, n.Ref)
	}
	if !reflect.DeepEqual(tableRefs, drawnRefs) || len(tableRefs) != 3 {
		t.Errorf("the tables hold %v, the drawing %v", tableRefs, drawnRefs)
	}
	if len(v.Edges) != 2 || len(v.Drawing.Edges) != 2 {
		t.Errorf("%d links in the table, %d drawn; want 2 each", len(v.Edges), len(v.Drawing.Edges))
	}
	ctr := v.Drawing.Size / 2
	for _, n := range v.Drawing.Nodes {
		dx, dy := n.X-ctr, n.Y-ctr
		r2 := dx*dx + dy*dy
		var hop int
		switch n.Ref {
		case "child:c1":
			hop = 0
		case "person:p1":
			hop = 1
		default:
			hop = 2
		}
		want := hop * netRing
		if d := math.Sqrt(float64(r2)) - float64(want); d < -2 || d > 2 {
			t.Errorf("%s at (%d, %d): not on ring %d (radius %d)", n.Ref, n.X, n.Y, hop, want)
		}
	}
	if len(v.Hubs) != 1 || v.Hubs[0].Expand != "/children/c1/network?expand=place%3Ax1&hops=2&kind=seen-at" || v.Hubs[0].Links != 250 {
		t.Errorf("hubs %+v", v.Hubs)
	}
	if !v.Drawing.Nodes[2].Hub || !strings.Contains(v.Drawing.Nodes[2].Title, "not expanded: 250 links") {
		t.Errorf("the hub is drawn as %+v", v.Drawing.Nodes[2])
	}
	if v.Hidden != "2 other children you may not see are linked; they are not shown" {
		t.Errorf("hidden: %q", v.Hidden)
	}
	one := *sampleNetwork
	one.HiddenChildren, one.Truncated = 1, false
	if w := buildNetworkView(sampleChild, &one, nil); w.Hidden != "1 other child you may not see is linked; they are not shown" || w.Truncated != "" {
		t.Errorf("one hidden, not cut off: %q %q", w.Hidden, w.Truncated)
	}
	if !strings.Contains(v.Truncated, "500 things") || !strings.Contains(v.Truncated, "3 are shown") {
		t.Errorf("truncated: %q", v.Truncated)
	}
	if want := "Ana Sample at the centre, linked within 2 steps to 1 person, 1 place, by 2 links."; !strings.HasPrefix(v.Drawing.Desc, want) {
		t.Errorf("description %q, want it to start %q", v.Drawing.Desc, want)
	}
	if !v.Filters.Kinds[4].Checked || v.Filters.Kinds[0].Checked {
		t.Errorf("the kinds ticked: %+v", v.Filters.Kinds)
	}
	// The interactive drawing's data is the same drawing: the same nodes
	// in the same places, the same links, and what it needs to mark hubs
	// and hotspots and follow a node to its page.
	g := v.Drawing.Graph
	if len(g.Nodes) != len(v.Drawing.Nodes) || len(g.Edges) != len(v.Drawing.Edges) {
		t.Fatalf("the graph has %d nodes and %d links, the drawing %d and %d", len(g.Nodes), len(g.Edges), len(v.Drawing.Nodes), len(v.Drawing.Edges))
	}
	for i, n := range g.Nodes {
		d := v.Drawing.Nodes[i]
		if n.ID != d.Ref || n.X != d.X || n.Y != d.Y || n.Letter != d.Letter || n.Hub != d.Hub || n.Centre != d.Centre {
			t.Errorf("graph node %+v, drawn %+v", n, d)
		}
	}
	if n := g.Nodes[2]; n.Href != "/intelligence/places/x1" || !n.Hotspot || !n.Hub || n.Type != "place" || n.Label != "Chicken Shack" {
		t.Errorf("the hotspot hub in the graph: %+v", n)
	}
	if e := g.Edges[1]; e.From != "person:p1" || e.To != "place:x1" || e.Kind != lantern.LinkSeenAt.Label() {
		t.Errorf("graph link %+v", e)
	}
	// Shapes tell types apart without colour: no two types share one.
	seen := map[string]lantern.EntityType{}
	for _, ty := range lantern.EntityTypes {
		p := shapePath(ty, 0, 0)
		if other, ok := seen[p]; ok {
			t.Errorf("%s and %s are drawn alike", ty, other)
		}
		seen[p] = ty
	}
}
