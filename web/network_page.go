package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"lantern"
)

// The network around a child (docs/intelligence.md#the-network-around-a-
// child): a filter form, a drawing made on the server (no script) and the
// same nodes and links in tables beside it, for screen readers and for
// anyone who would rather read than look.

// networkNodeRow is a node as the tables show it.
type networkNodeRow struct {
	Ref, Noun, Label, Href string
	Links                  int
	Hub, Hotspot           bool
	// Expand is the page with this hub expanded too.
	Expand string
}

// networkHop is the nodes at one distance from the child.
type networkHop struct {
	Hop     int
	Caption string
	Nodes   []networkNodeRow
}

// networkEdgeRow is a link as the table shows it.
type networkEdgeRow struct {
	From, To  intelEnd
	KindLabel string
	Observed  string
	Grading   string
}

// drawNode is a node on the drawing: its shape (Path) by type, the type's
// letter in it, and a short label under it.
type drawNode struct {
	Ref, Path, Letter, Label, Title string
	X, Y                            int
	Hub, Centre                     bool
	Class                           string
}

type drawEdge struct {
	From, To       string // type:id
	X1, Y1, X2, Y2 int
}

// networkDrawing is the SVG: concentric rings, one for each hop, with the
// child at the centre.
type networkDrawing struct {
	Size int
	// Font is the labels' size, larger as the drawing is: it is scaled
	// down to the page's width.
	Font  int
	Rings []drawRing
	Nodes []drawNode
	Edges []drawEdge
	// Desc says in words what the drawing shows.
	Desc string
	// Graph is the same drawing as data, for the interactive one.
	Graph networkGraph
}

// networkGraph is the drawing as data for the interactive drawing that
// network.js makes with Cytoscape.js when scripts run: the same nodes and
// links, placed where the SVG places them. The page carries it in a
// <script type="application/json"> block, which the CSP allows (it is not
// run).
type networkGraph struct {
	Nodes []graphNode `json:"nodes"`
	Edges []graphEdge `json:"edges"`
}

type graphNode struct {
	ID      string `json:"id"` // type:id, as data-ref in the SVG and the tables
	Type    string `json:"type"`
	Letter  string `json:"letter"`
	Label   string `json:"label"`
	Href    string `json:"href"`
	X       int    `json:"x"`
	Y       int    `json:"y"`
	Hub     bool   `json:"hub,omitempty"`
	Hotspot bool   `json:"hotspot,omitempty"`
	Centre  bool   `json:"centre,omitempty"`
}

type graphEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
	Kind string `json:"kind"`
}

type drawRing struct{ C, R int }

// networkView is the network page.
type networkView struct {
	Child   *lantern.Child
	Drawing *networkDrawing
	Hops    []networkHop
	Edges   []networkEdgeRow
	// Hubs are the nodes not expanded, each with its expand link.
	Hubs []networkNodeRow
	// Hidden says how many children the caller may not see are linked.
	Hidden    string
	Truncated string
	Filters   networkFilters
}

// networkFilters are the filter form's choices.
type networkFilters struct {
	Hops   []eventOption
	Kinds  []chronologyKindOption
	Leasts []eventOption
	Action string
	Open   bool
}

const (
	netSize   = 1000
	netRing   = 110 // the distance between hops
	netLabels = 24  // a ring with more nodes than this has no labels, which would overlap
)

// networkPage is GET /children/{id}/network.
func (s *Server) networkPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	q := r.URL.Query()
	nq, qerr := lantern.ParseNetworkQuery(q)
	if qerr != nil {
		nq = lantern.NetworkQuery{Hops: 2} // the whole network, with the filter's problem named
	}
	c, err := s.st.FindChildByID(ctx, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	net, err := s.st.Network(ctx, id, nq)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "The network around "+c.FullName())
	p.Nav = "children"
	p.Form = formMap(q)
	if p.Form["hops"] == "" || qerr != nil {
		p.Form["hops"] = strconv.Itoa(net.Hops)
	}
	status := http.StatusOK
	if qerr != nil {
		status, p.Errors = http.StatusUnprocessableEntity, lantern.ErrorFields(qerr)
		q = url.Values{}
	}
	v := buildNetworkView(c, net, q)
	v.Filters.Open = len(q) > 0 || qerr != nil
	p.Data = v
	s.render(w, r, status, "network", p)
}

// buildNetworkView lays the network out for the page: q is the query it
// was asked with, kept in each hub's expand link.
func buildNetworkView(c *lantern.Child, net *lantern.Network, q url.Values) networkView {
	base := "/children/" + c.ID + "/network"
	v := networkView{Child: c}
	nodes := slices.Clone(net.Nodes)
	slices.SortStableFunc(nodes, func(a, b *lantern.NetworkNode) int {
		return cmp.Or(cmp.Compare(a.Hop, b.Hop), cmp.Compare(typeRank(a.Type), typeRank(b.Type)), strings.Compare(a.Label, b.Label), strings.Compare(a.ID, b.ID))
	})
	label := map[string]string{}
	byHop := map[int][]*lantern.NetworkNode{}
	for _, n := range nodes {
		label[n.ID] = n.Label
		byHop[n.Hop] = append(byHop[n.Hop], n)
	}
	row := func(n *lantern.NetworkNode) networkNodeRow {
		nr := networkNodeRow{Ref: n.Ref().String(), Noun: kindOf(n.Type).Noun, Label: n.Label, Href: entityHref(n.Ref()), Links: n.Links, Hub: n.Hub, Hotspot: n.Hotspot}
		if n.Hub {
			eq := url.Values{}
			for k, vs := range q {
				eq[k] = slices.Clone(vs)
			}
			eq.Add("expand", nr.Ref)
			nr.Expand = base + "?" + eq.Encode()
		}
		return nr
	}
	maxHop := 0
	for hop := 0; hop <= net.Hops; hop++ {
		if len(byHop[hop]) == 0 {
			continue
		}
		maxHop = hop
		h := networkHop{Hop: hop}
		switch hop {
		case 0:
			h.Caption = "The child"
		case 1:
			h.Caption = "Linked to the child directly (1 step)"
		default:
			h.Caption = fmt.Sprintf("%d steps from the child", hop)
		}
		for _, n := range byHop[hop] {
			nr := row(n)
			h.Nodes = append(h.Nodes, nr)
			if nr.Hub {
				v.Hubs = append(v.Hubs, nr)
			}
		}
		v.Hops = append(v.Hops, h)
	}
	end := func(r lantern.EntityRef) intelEnd {
		return intelEnd{Label: label[r.ID], Href: entityHref(r), Ref: r.String(), Self: r.ID == c.ID}
	}
	for _, e := range net.Edges {
		v.Edges = append(v.Edges, networkEdgeRow{From: end(e.From), To: end(e.To), KindLabel: e.Kind.Label(),
			Observed: observed(e.ObservedFrom, e.ObservedTo), Grading: gradingText(e.Grading)})
	}
	switch n := net.HiddenChildren; n {
	case 0:
	case 1:
		v.Hidden = "1 other child you may not see is linked; they are not shown"
	default:
		v.Hidden = fmt.Sprintf("%d other children you may not see are linked; they are not shown", n)
	}
	if net.Truncated {
		v.Truncated = fmt.Sprintf("The network reached the limit of %d things and stopped there: %d are shown. Fewer steps or the filters show what is nearest the child.",
			lantern.MaxNetworkNodes, len(net.Nodes))
	}
	v.Drawing = drawNetwork(c, byHop, maxHop, net.Edges)
	v.Filters = networkFilters{Action: base,
		Hops: []eventOption{{"1", "1 step: what is linked to the child", ""}, {"2", "2 steps", ""}, {"3", "3 steps", ""}}}
	for _, k := range lantern.LinkKinds {
		v.Filters.Kinds = append(v.Filters.Kinds, chronologyKindOption{Value: string(k), Label: k.Label(), Checked: slices.Contains(q["kind"], string(k))})
	}
	v.Filters.Leasts = []eventOption{{"", "Any grading, and links not graded", ""}}
	for _, src := range "123" {
		for _, in := range "ABCDE" {
			g := string(src) + string(in)
			v.Filters.Leasts = append(v.Filters.Leasts, eventOption{g, g + " or better", ""})
		}
	}
	return v
}

// typeRank orders node types as the drawing and tables list them.
func typeRank(t lantern.EntityType) int { return slices.Index(lantern.EntityTypes, t) }

// drawNetwork lays the nodes out on rings by hop, each ring's nodes evenly
// spaced in the order given (so the same network is always drawn the same).
func drawNetwork(c *lantern.Child, byHop map[int][]*lantern.NetworkNode, maxHop int, edges []*lantern.NetworkEdge) *networkDrawing {
	size := max(2*(maxHop*netRing)+220, 360)
	ctr := size / 2
	d := &networkDrawing{Size: size, Font: max(14, size/45)}
	pos := map[string][2]int{}
	counts := map[lantern.EntityType]int{}
	for hop := 0; hop <= maxHop; hop++ {
		ns := byHop[hop]
		if hop > 0 {
			d.Rings = append(d.Rings, drawRing{C: ctr, R: hop * netRing})
		}
		for i, n := range ns {
			x, y := ctr, ctr
			if hop > 0 {
				// Odd rings start half a step round, so that spokes do not
				// line up through every ring.
				a := -math.Pi/2 + 2*math.Pi*(float64(i)+0.5*float64(hop%2))/float64(len(ns))
				x = ctr + int(math.Round(float64(hop*netRing)*math.Cos(a)))
				y = ctr + int(math.Round(float64(hop*netRing)*math.Sin(a)))
			}
			pos[n.ID] = [2]int{x, y}
			if hop > 0 {
				counts[n.Type]++
			}
			k := kindOf(n.Type)
			dn := drawNode{Ref: n.Ref().String(), X: x, Y: y, Path: shapePath(n.Type, x, y), Letter: k.Letter, Hub: n.Hub, Centre: hop == 0,
				Class: "app-net-node--" + string(n.Type), Title: strings.ToUpper(k.Noun[:1]) + k.Noun[1:] + ": " + n.Label}
			if n.Hub {
				dn.Title += fmt.Sprintf(" (not expanded: %d links)", n.Links)
			}
			if len(ns) <= netLabels {
				dn.Label = shorten(n.Label, 22)
			}
			d.Nodes = append(d.Nodes, dn)
			// The interactive drawing labels every node: it hides labels
			// too small to read until one zooms in.
			d.Graph.Nodes = append(d.Graph.Nodes, graphNode{ID: dn.Ref, Type: string(n.Type), Letter: k.Letter, Label: shorten(n.Label, 22),
				Href: entityHref(n.Ref()), X: x, Y: y, Hub: n.Hub, Hotspot: n.Hotspot, Centre: dn.Centre})
		}
	}
	for _, e := range edges {
		a, ok1 := pos[e.From.ID]
		b, ok2 := pos[e.To.ID]
		if ok1 && ok2 {
			d.Edges = append(d.Edges, drawEdge{e.From.String(), e.To.String(), a[0], a[1], b[0], b[1]})
			d.Graph.Edges = append(d.Graph.Edges, graphEdge{From: e.From.String(), To: e.To.String(), Kind: e.Kind.Label()})
		}
	}
	var parts []string
	for _, t := range lantern.EntityTypes {
		if n := counts[t]; n > 0 {
			noun := kindOf(t).Noun
			parts = append(parts, plural(n, noun, pluralNoun(noun)))
		}
	}
	what := "Nothing is linked to " + c.FullName()
	if len(parts) > 0 {
		what = c.FullName() + " at the centre, linked within " + plural(maxHop, "step", "steps") + " to " + strings.Join(parts, ", ")
	}
	d.Desc = what + fmt.Sprintf(", by %s. The same is in the tables beside the drawing.", plural(len(edges), "link", "links"))
	return d
}

func pluralNoun(noun string) string {
	switch noun {
	case "person":
		return "persons"
	case "child":
		return "children"
	}
	return noun + "s"
}

// shorten cuts a label to n characters.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// shapePath is a node's outline, by type, so that a type is told by its
// shape as well as its letter (never by colour alone): a child is a large
// circle, a person a circle, a vehicle a wide rectangle, a phone a tall
// one, a place a diamond and an account a hexagon.
func shapePath(t lantern.EntityType, x, y int) string {
	poly := func(pts ...[2]int) string {
		var b strings.Builder
		for i, p := range pts {
			if i == 0 {
				b.WriteString("M")
			} else {
				b.WriteString(" L")
			}
			fmt.Fprintf(&b, "%d %d", x+p[0], y+p[1])
		}
		b.WriteString(" Z")
		return b.String()
	}
	circle := func(r int) string {
		return fmt.Sprintf("M%d %d a%d %d 0 1 0 %d 0 a%d %d 0 1 0 %d 0 Z", x-r, y, r, r, 2*r, r, r, -2*r)
	}
	switch t {
	case lantern.EntityChild:
		return circle(22)
	case lantern.EntityPerson:
		return circle(15)
	case lantern.EntityVehicle:
		return poly([2]int{-20, -12}, [2]int{20, -12}, [2]int{20, 12}, [2]int{-20, 12})
	case lantern.EntityPhone:
		return poly([2]int{-10, -17}, [2]int{10, -17}, [2]int{10, 17}, [2]int{-10, 17})
	case lantern.EntityPlace:
		return poly([2]int{0, -19}, [2]int{19, 0}, [2]int{0, 19}, [2]int{-19, 0})
	}
	return poly([2]int{-9, -16}, [2]int{9, -16}, [2]int{18, 0}, [2]int{9, 16}, [2]int{-9, 16}, [2]int{-18, 0})
}
