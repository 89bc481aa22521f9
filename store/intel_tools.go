package store

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"lantern"
	"lantern/graph"
)

// The analyst's tools (docs/intelligence.md#the-analysts-tools), read from
// the graph index: the shortest path between two things, the associates
// several children share, the groups, the most connected; and, from the
// database, a thing's timeline and the hotspots. Every tool is for those
// who read intelligence; children the caller may not see are never shown
// nor walked through; handling-C links are the police's alone; children are
// never scored or listed as a group's members.

// pathMaxNodes bounds the nodes a path search visits.
const pathMaxNodes = 200_000

// hotspotRows bounds the links the hotspots read.
const hotspotRows = 200_000

// errGraphBuilding is the answer while the index is being built.
func errGraphBuilding() error {
	return lantern.Errorf(lantern.EUNAVAILABLE, "The intelligence graph is still being built: try again in a minute")
}

// toolGraph is the index as one query reads it, and the caller's view of it.
type toolGraph struct {
	g       *intelGraph
	dict    *graph.Dict
	live    *graph.Live
	root    map[graph.Node]graph.Node
	visible map[graph.Node]bool // nil: every child
	police  bool
	child   byte
}

// toolGraph checks the caller may read intelligence and takes the index.
func (s *Store) toolGraph(ctx context.Context) (*toolGraph, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	g := &s.graph
	if !g.ready.Load() {
		return nil, errGraphBuilding()
	}
	g.mu.Lock()
	t := &toolGraph{g: g, dict: g.dict, live: g.live, root: g.root, child: graph.KindOf(lantern.EntityChild)}
	g.mu.Unlock()
	var err error
	if t.visible, err = s.visibleChildNodes(ctx, g); err != nil {
		return nil, err
	}
	t.police = lantern.Allowed(lantern.UserFromContext(ctx), lantern.ResIntelSource, lantern.ActRead, lantern.RelArea)
	return t, nil
}

// hidden reports a child the caller may not see.
func (t *toolGraph) hidden(n graph.Node) bool {
	return t.visible != nil && t.dict.Kind(n) == t.child && !t.visible[n]
}

func (t *toolGraph) isChild(n graph.Node) bool { return t.dict.Kind(n) == t.child }

// node is a reference's node, a merged person's root's; false when the
// thing has never been linked.
func (t *toolGraph) node(r lantern.EntityRef) (graph.Node, bool) {
	k, ok := keyOf(r.Type, r.ID)
	if !ok {
		return 0, false
	}
	n, ok := t.dict.Lookup(k)
	if !ok {
		return 0, false
	}
	if r, ok := t.root[n]; ok {
		n = r
	}
	return n, true
}

func (t *toolGraph) ref(n graph.Node) lantern.EntityRef {
	k, _ := t.dict.Key(n)
	return lantern.EntityRef{Type: graph.TypeOf(k.Kind), ID: uuid.UUID(k.ID).String()}
}

// filter is the query's filter, handling C for the police only.
func (t *toolGraph) filter(q lantern.NetworkQuery) graph.Filter { return graphFilter(q, t.police) }

// edges are links in Lantern's terms, each in its own direction; those
// with an end not in byNode are left out.
func (t *toolGraph) edges(ls []graph.Link, byNode map[graph.Node]*lantern.NetworkNode) []*lantern.NetworkEdge {
	t.g.mu.Lock()
	ids := make([][16]byte, len(ls))
	froms := make([]graph.Node, len(ls))
	for i, l := range ls {
		if int(l.ID) < len(t.g.links) {
			ids[i], froms[i] = t.g.links[l.ID], t.g.from[l.ID]
		}
	}
	t.g.mu.Unlock()
	out := []*lantern.NetworkEdge{}
	for i, l := range ls {
		if froms[i] != l.A {
			l.A, l.B = l.B, l.A
		}
		a, b := byNode[l.A], byNode[l.B]
		if a == nil || b == nil {
			continue
		}
		attr, day, _ := t.live.Attr(l.ID)
		out = append(out, &lantern.NetworkEdge{ID: uuid.UUID(ids[i]).String(), From: a.Ref(), To: b.Ref(), Kind: attrKind(attr),
			Grading: attrGrading(attr), ObservedFrom: dayDate(day)})
	}
	return out
}

// nodes makes nodes, labelled, in the order given.
func (s *Store) toolNodes(ctx context.Context, t *toolGraph, ns []graph.Node) ([]*lantern.NetworkNode, error) {
	refs := map[lantern.EntityRef]bool{}
	for _, n := range ns {
		refs[t.ref(n)] = true
	}
	labels, _, err := s.labels(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make([]*lantern.NetworkNode, len(ns))
	for i, n := range ns {
		r := t.ref(n)
		label, ok := labels[r.ID]
		if !ok {
			label = "Not found"
		}
		out[i] = &lantern.NetworkNode{Type: r.Type, ID: r.ID, Label: label, Links: min(t.live.Degree(n), MaxCounted),
			Hub: t.live.Degree(n) > lantern.HubLinks, Hotspot: labels["hotspot:"+r.ID] != ""}
	}
	return out, nil
}

var entityNouns = map[lantern.EntityType]string{lantern.EntityChild: "Child", lantern.EntityPerson: "Person", lantern.EntityVehicle: "Vehicle",
	lantern.EntityPhone: "Phone", lantern.EntityPlace: "Place", lantern.EntityAccount: "Account"}

// held checks each reference is a thing held and, for a child, one the
// caller may see (else not found), and says who or what each is.
func (s *Store) held(ctx context.Context, refs ...lantern.EntityRef) (map[string]string, error) {
	m := map[lantern.EntityRef]bool{}
	for _, r := range refs {
		if _, ok := keyOf(r.Type, r.ID); !ok {
			return nil, lantern.NotFound(entityNouns[r.Type])
		}
		m[r] = true
	}
	labels, hidden, err := s.labels(ctx, m)
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		if hidden[r.ID] || labels[r.ID] == "" {
			return nil, lantern.NotFound(entityNouns[r.Type])
		}
	}
	return labels, nil
}

func childIDsOf(ns []*lantern.NetworkNode) []string {
	var ids []string
	for _, n := range ns {
		if n.Type == lantern.EntityChild {
			ids = append(ids, n.ID)
		}
	}
	return ids
}

// ShortestPath is a shortest chain of links from one thing to another, of
// at most maxHops links (1 to 6), under q's filters (kinds, period, least
// grading) and the hub rule (no hub inside the path). Both ends must be
// held, and a child one the caller may see.
func (s *Store) ShortestPath(ctx context.Context, from, to lantern.EntityRef, maxHops int, q lantern.NetworkQuery) (*lantern.IntelPath, error) {
	t, err := s.toolGraph(ctx)
	if err != nil {
		return nil, err
	}
	if maxHops < 1 || maxHops > lantern.MaxPathHops {
		maxHops = lantern.MaxPathHops
	}
	if _, err := s.held(ctx, from, to); err != nil {
		return nil, err
	}
	p := &lantern.IntelPath{From: from, To: to, MaxHops: maxHops, Nodes: []*lantern.NetworkNode{}, Edges: []*lantern.NetworkEdge{}}
	a, ok1 := t.node(from)
	b, ok2 := t.node(to)
	if ok1 && ok2 {
		res := t.live.ShortestPath(a, b, graph.Options{Hops: maxHops, Filter: t.filter(q), Skip: t.hidden, MaxDegree: lantern.HubLinks,
			MaxNodes: pathMaxNodes})
		p.Truncated = res.Truncated
		if len(res.Nodes) > 0 {
			p.Found = true
			if p.Nodes, err = s.toolNodes(ctx, t, res.Nodes); err != nil {
				return nil, err
			}
			byNode := map[graph.Node]*lantern.NetworkNode{}
			for i, n := range res.Nodes {
				p.Nodes[i].Hop = i
				byNode[n] = p.Nodes[i]
			}
			p.Edges = t.edges(res.Links, byNode)
		}
	}
	return p, s.auditedChildren(ctx, auditEntry{Action: "intel.path.read", Entity: string(from.Type), EntityID: from.ID,
		Detail: "to " + to.String()}, childIDsOf(p.Nodes))
}

// SharedAssociates is what two to twenty children have in common: the
// things, never other children, within hops (1 or 2) of two or more of
// them, and which. Each child must be one the caller may see.
func (s *Store) SharedAssociates(ctx context.Context, childIDs []string, hops int, q lantern.NetworkQuery) (*lantern.SharedAssociates, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	var ids []string
	for _, id := range childIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) < 2 || len(ids) > lantern.MaxSharedChildren {
		return nil, lantern.Invalid(lantern.FieldError{Field: "child", Message: "Choose from 2 to 20 different children"})
	}
	if hops < 1 || hops > lantern.MaxSharedHops {
		hops = lantern.MaxSharedHops
	}
	out := &lantern.SharedAssociates{Hops: hops, Associates: []*lantern.SharedAssociate{}}
	for _, id := range ids {
		c, err := s.findChild(ctx, s.db, id, false)
		if err != nil {
			return nil, err
		}
		if err := mayChild(ctx, c, lantern.ResChild, lantern.ActRead); err != nil {
			return nil, lantern.NotFound("Child")
		}
		out.Children = append(out.Children, &lantern.NetworkNode{Type: lantern.EntityChild, ID: c.ID, Label: c.FullName()})
	}
	t, err := s.toolGraph(ctx)
	if err != nil {
		return nil, err
	}
	var starts []graph.Node
	var startIdx []int // starts[i] is ids[startIdx[i]]
	for i, id := range ids {
		if n, ok := t.node(lantern.EntityRef{Type: lantern.EntityChild, ID: id}); ok {
			starts = append(starts, n)
			startIdx = append(startIdx, i)
		}
	}
	res := t.live.Shared(starts, graph.Options{Hops: hops, Filter: t.filter(q), Skip: t.hidden, MaxDegree: lantern.HubLinks})
	out.Truncated = res.Truncated
	var found []graph.Node
	var masks []uint64
	for _, sn := range res.Nodes {
		if t.isChild(sn.Node) {
			continue
		}
		if len(found) == lantern.MaxToolRows {
			out.Truncated = true
			break
		}
		found, masks = append(found, sn.Node), append(masks, sn.Starts)
	}
	nodes, err := s.toolNodes(ctx, t, found)
	if err != nil {
		return nil, err
	}
	for i, n := range nodes {
		a := &lantern.SharedAssociate{NetworkNode: n}
		for j := range starts {
			if masks[i]&(1<<j) != 0 {
				a.Children = append(a.Children, ids[startIdx[j]])
			}
		}
		out.Associates = append(out.Associates, a)
	}
	return out, s.auditedChildren(ctx, auditEntry{Action: "intel.shared.read", Entity: "intelligence",
		Detail: itoa(len(out.Associates)) + " shared"}, ids)
}

// Groups are the largest connected groups the links make (under q's
// filters), at least minSize strong, at most limit of them: each with its
// size, counts by type, how many children the caller may see are in it,
// and its most connected members (never a child). A node with more than
// lantern.HubLinks links joins nothing, so a takeaway where hundreds are
// seen does not make them one group.
func (s *Store) Groups(ctx context.Context, q lantern.NetworkQuery, minSize, limit int) (*lantern.IntelGroups, error) {
	t, err := s.toolGraph(ctx)
	if err != nil {
		return nil, err
	}
	minSize, limit = max(minSize, 2), min(max(limit, 1), lantern.MaxToolRows)
	parts := t.live.Components(t.filter(q), lantern.HubLinks)
	// Sizes as the caller counts them: children they may not see left out.
	type group struct {
		members []graph.Node
		size    int
	}
	// Components come largest first: the first few hundred hold any that
	// are big enough, whatever hidden children take away.
	consider := 0
	for consider < parts.Count() && parts.Size(consider) >= minSize && consider < 4*limit+100 {
		consider++
	}
	gs := make([]group, consider)
	split := make([]bool, consider)
	for u := range t.live.Nodes() {
		c := parts.Of(graph.Node(u))
		if c < 0 || c >= consider {
			continue
		}
		if t.hidden(graph.Node(u)) {
			split[c] = true
			continue
		}
		gs[c].members = append(gs[c].members, graph.Node(u))
		gs[c].size++
	}
	// A group joined only through a child the caller may not see is two
	// groups to them: such groups are walked again without that child.
	f := t.filter(q)
	var all []group
	for c := range gs {
		if !split[c] {
			all = append(all, gs[c])
			continue
		}
		for _, ms := range t.resplit(gs[c].members, f) {
			all = append(all, group{members: ms, size: len(ms)})
		}
	}
	var order []int
	for c := range all {
		if all[c].size >= minSize {
			order = append(order, c)
		}
	}
	gs = all
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(gs[y].size, gs[x].size) })
	out := &lantern.IntelGroups{Groups: []*lantern.IntelGroup{}, Total: len(order)}
	for _, c := range order[:min(len(order), limit)] {
		grp := &lantern.IntelGroup{Rank: len(out.Groups) + 1, Size: gs[c].size, ByType: map[lantern.EntityType]int{}}
		var top []graph.NodeDegree
		for _, n := range gs[c].members {
			r := graph.TypeOf(t.dict.Kind(n))
			grp.ByType[r]++
			if t.isChild(n) {
				grp.Children++
				continue
			}
			top = append(top, graph.NodeDegree{Node: n, Degree: t.live.Degree(n)})
		}
		slices.SortFunc(top, func(x, y graph.NodeDegree) int {
			return cmp.Or(cmp.Compare(y.Degree, x.Degree), cmp.Compare(x.Node, y.Node))
		})
		var ns []graph.Node
		for _, nd := range top[:min(len(top), lantern.MaxGroupMembers)] {
			ns = append(ns, nd.Node)
		}
		if grp.Top, err = s.toolNodes(ctx, t, ns); err != nil {
			return nil, err
		}
		out.Groups = append(out.Groups, grp)
	}
	var shown []string
	for _, g := range out.Groups {
		for _, n := range g.Top {
			shown = append(shown, n.ID)
		}
	}
	return out, s.audited(ctx, auditEntry{Action: "intel.groups.read", Entity: "intelligence", Detail: listed(len(out.Groups), "groups", shown)})
}

// resplit breaks members (of one component, less the children the caller
// may not see) into the groups their links make among themselves, under
// the filter and the hub rule.
func (t *toolGraph) resplit(members []graph.Node, f graph.Filter) [][]graph.Node {
	in := make(map[graph.Node]bool, len(members))
	for _, n := range members {
		in[n] = true
	}
	seen := make(map[graph.Node]bool, len(members))
	var out [][]graph.Node
	for _, start := range members {
		if seen[start] {
			continue
		}
		seen[start] = true
		piece := []graph.Node{start}
		for i := 0; i < len(piece); i++ {
			u := piece[i]
			if t.live.Degree(u) > lantern.HubLinks {
				continue
			}
			for _, h := range t.live.Neighbours(u) {
				if !in[h.To] || seen[h.To] || t.live.Degree(h.To) > lantern.HubLinks {
					continue
				}
				if a, d, _ := t.live.Attr(h.ID); f != nil && !f(a, d) {
					continue
				}
				seen[h.To] = true
				piece = append(piece, h.To)
			}
		}
		out = append(out, piece)
	}
	return out
}

// listed is an audit detail: how many, and the first ids shown.
func listed(n int, what string, ids []string) string {
	d := itoa(n) + " " + what
	if len(ids) > 0 {
		d += ": " + strings.Join(ids[:min(len(ids), 40)], " ")
	}
	return d
}

// MostConnected is the things with the most links (under q's filters),
// of type typ or of every type but child: children are never ranked.
func (s *Store) MostConnected(ctx context.Context, typ lantern.EntityType, q lantern.NetworkQuery, limit int) ([]*lantern.NetworkNode, error) {
	if typ == lantern.EntityChild {
		return nil, lantern.Invalid(lantern.FieldError{Field: "type", Message: "Children are not ranked: choose a person, vehicle, phone, place or account"})
	}
	if typ != "" && !typ.Valid() {
		return nil, lantern.Invalid(lantern.FieldError{Field: "type", Message: "Choose a person, vehicle, phone, place or account"})
	}
	t, err := s.toolGraph(ctx)
	if err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), lantern.MaxToolRows)
	kind := graph.KindOf(typ)
	keep := func(n graph.Node) bool {
		k := t.dict.Kind(n)
		if _, merged := t.root[n]; merged {
			return false
		}
		if typ == "" {
			return k != t.child
		}
		return k == kind
	}
	// Unfiltered, the degree is the count the index keeps; handling-C links
	// must not be counted for anyone but the police.
	var f graph.Filter
	if !t.police || len(q.Kinds) > 0 || q.From != nil || q.To != nil || q.Least != nil {
		f = t.filter(q)
	}
	top := t.live.TopDegree(limit, keep, f)
	var ns []graph.Node
	for _, nd := range top {
		if nd.Degree > 0 {
			ns = append(ns, nd.Node)
		}
	}
	nodes, err := s.toolNodes(ctx, t, ns)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		n.Links, n.Hop = min(top[i].Degree, MaxCounted), 0
		n.Hub = top[i].Degree > lantern.HubLinks
		ids[i] = n.ID
	}
	return nodes, s.audited(ctx, auditEntry{Action: "intel.most-connected.read", Entity: "intelligence", Detail: listed(len(nodes), "ranked", ids)})
}

// Timeline is a thing's links, oldest first, each at the date it was seen
// or, with none, recorded: the links its page lists (the newest
// MaxEntityLinks, none to a child the caller may not see, handling C for
// the police only). A child must be one the caller may see.
func (s *Store) Timeline(ctx context.Context, ref lantern.EntityRef) (*lantern.Timeline, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	labels, err := s.held(ctx, ref)
	if err != nil {
		return nil, err
	}
	ls, other, err := s.EntityLinks(ctx, ref)
	if err != nil {
		return nil, err
	}
	self := map[string]bool{ref.ID: true} // and, for a person, those merged into them
	if ref.Type == lantern.EntityPerson {
		members, err := s.mergedMembers(ctx, []string{ref.ID})
		if err != nil {
			return nil, err
		}
		for _, m := range members[ref.ID] {
			self[m] = true
		}
	}
	tl := &lantern.Timeline{Entity: &lantern.NetworkNode{Type: ref.Type, ID: ref.ID, Label: labels[ref.ID], Links: len(ls)},
		Items: []*lantern.TimelineItem{}, Truncated: len(ls) >= MaxEntityLinks}
	for _, l := range ls {
		it := &lantern.TimelineItem{Link: l, Date: lantern.DateOf(l.RecordedAt)}
		if l.ObservedFrom != nil {
			it.Date, it.Observed = *l.ObservedFrom, true
		}
		it.Other = l.To
		if self[l.To.ID] {
			it.Other = l.From
		}
		it.OtherLabel = other[it.Other.ID]
		if it.OtherLabel == "" {
			it.OtherLabel = "Not found"
		}
		tl.Items = append(tl.Items, it)
	}
	slices.SortStableFunc(tl.Items, func(a, b *lantern.TimelineItem) int {
		return cmp.Or(a.Date.Compare(b.Date), a.Link.RecordedAt.Compare(b.Link.RecordedAt), strings.Compare(a.Link.ID, b.Link.ID))
	})
	return tl, nil
}

// Hotspots are the places where most was seen from one date to another (at
// most lantern.MaxHotspotMonths months): for each place, its links by month
// (dated when seen or, with none, recorded), the distinct children linked
// to it (those the caller may not see counted, never named) and persons;
// ranked by children, then persons, then links; at most
// lantern.MaxToolRows places. It reads the database, so it answers while
// the index is being built.
func (s *Store) Hotspots(ctx context.Context, from, to lantern.Date) (*lantern.Hotspots, error) {
	if err := may(ctx, lantern.ResIntel, lantern.ActRead); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "to", Message: "The end must not be before the start"})
	}
	months := lantern.MonthsBetween(from, to)
	if len(months) > lantern.MaxHotspotMonths {
		return nil, lantern.Invalid(lantern.FieldError{Field: "from", Message: "Choose a period of 36 months or less"})
	}
	u := lantern.UserFromContext(ctx)
	police := lantern.Allowed(u, lantern.ResIntelSource, lantern.ActRead, lantern.RelArea)
	args := []any{from, to, s.d.ts(from.Time()), s.d.ts(to.Time().AddDate(0, 0, 1))}
	where := `l.withdrawn_at IS NULL AND (l.from_type = 'place' OR l.to_type = 'place')
		AND ((l.observed_from >= $1 AND l.observed_from <= $2) OR (l.observed_from IS NULL AND l.recorded_at >= $3 AND l.recorded_at < $4))`
	if !police {
		where += ` AND l.grade_handling <> 'C'`
	}
	args = append(args, hotspotRows+1)
	type row struct {
		ft, fid, tt, tid string
		obs              lantern.Date
		rec              time.Time
	}
	rows, err := collect(ctx, s.db, "hotspots", `SELECT l.from_type, l.from_id, l.to_type, l.to_id, l.observed_from, l.recorded_at FROM intel_links l WHERE `+
		where+` LIMIT $5`, func(r scanner) (row, error) {
		var x row
		err := r.Scan(&x.ft, &x.fid, &x.tt, &x.tid, &x.obs, timeScan{&x.rec})
		return x, err
	}, args...)
	if err != nil {
		return nil, err
	}
	truncated := len(rows) > hotspotRows
	rows = rows[:min(len(rows), hotspotRows)]
	type tally struct {
		items    int
		months   map[string]int
		children map[string]bool
		persons  map[string]bool
	}
	byPlace := map[string]*tally{}
	childRefs := map[lantern.EntityRef]bool{}
	var personIDs []string
	for _, x := range rows {
		place, other := lantern.EntityRef{Type: lantern.EntityType(x.ft), ID: x.fid}, lantern.EntityRef{Type: lantern.EntityType(x.tt), ID: x.tid}
		if place.Type != lantern.EntityPlace {
			place, other = other, place
		}
		d := x.obs
		if d.IsZero() {
			d = lantern.DateOf(x.rec)
		}
		tl := byPlace[place.ID]
		if tl == nil {
			tl = &tally{months: map[string]int{}, children: map[string]bool{}, persons: map[string]bool{}}
			byPlace[place.ID] = tl
		}
		tl.items++
		tl.months[lantern.MonthOf(d)]++
		switch other.Type {
		case lantern.EntityChild:
			tl.children[other.ID] = true
			childRefs[other] = true
		case lantern.EntityPerson:
			tl.persons[other.ID] = true
			personIDs = append(personIDs, other.ID)
		}
	}
	// A person merged into another is that other.
	roots, err := s.mergedRoots(ctx, personIDs)
	if err != nil {
		return nil, err
	}
	_, hidden, err := s.labels(ctx, childRefs)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(byPlace))
	for id, tl := range byPlace {
		ids = append(ids, id)
		ps := map[string]bool{}
		for p := range tl.persons {
			if r, ok := roots[p]; ok {
				p = r
			}
			ps[p] = true
		}
		tl.persons = ps
	}
	hiddenIn := func(tl *tally) int {
		n := 0
		for c := range tl.children {
			if hidden[c] {
				n++
			}
		}
		return n
	}
	slices.SortFunc(ids, func(a, b string) int {
		x, y := byPlace[a], byPlace[b]
		return cmp.Or(cmp.Compare(len(y.children), len(x.children)), cmp.Compare(len(y.persons), len(x.persons)),
			cmp.Compare(y.items, x.items), strings.Compare(a, b))
	})
	// With a boundary, every place is counted in the area it is in.
	b, bix, err := s.currentBoundary(ctx)
	if err != nil {
		return nil, err
	}
	var pos map[string]lantern.Position
	if b != nil {
		if pos, err = s.placePositions(ctx, ids); err != nil {
			return nil, err
		}
	}
	areaOf := func(id string) int {
		p, ok := pos[id]
		if !ok {
			return -2
		}
		return bix.Area(p[0], p[1])
	}
	out := &lantern.Hotspots{From: from, To: to, Months: months, Places: []*lantern.Hotspot{}}
	if b != nil {
		out.Boundary = b
		byArea := make([]map[string]int, len(b.Areas)+2) // the areas, then outside, then no position
		counts := make([]*lantern.AreaHotspot, len(b.Areas)+2)
		for i := range counts {
			counts[i], byArea[i] = &lantern.AreaHotspot{}, map[string]int{}
			if i < len(b.Areas) {
				counts[i].Area = b.Areas[i].Name
			}
		}
		for _, id := range ids {
			i := areaOf(id)
			switch i {
			case -1:
				i = len(b.Areas)
			case -2:
				i = len(b.Areas) + 1
			}
			tl := byPlace[id]
			counts[i].Places++
			counts[i].Items += tl.items
			for m, n := range tl.months {
				byArea[i][m] += n
			}
		}
		for i, c := range counts {
			for _, m := range months {
				if n := byArea[i][m]; n > 0 {
					c.Months = append(c.Months, lantern.MonthCount{Month: m, Items: n})
				}
			}
		}
		out.Areas, out.Outside, out.NoPosition = counts[:len(b.Areas)], counts[len(b.Areas)], counts[len(b.Areas)+1]
	}
	if len(ids) > lantern.MaxToolRows {
		ids, truncated = ids[:lantern.MaxToolRows], true
	}
	out.Truncated = truncated
	places := map[string]*lantern.Place{}
	for chunk := range slices.Chunk(ids, 500) {
		var pargs []any
		ps, err := s.places(ctx, s.db, `p.id IN (`+inList(&pargs, chunk)+`)`, pargs...)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			places[p.ID] = p
		}
	}
	for _, id := range ids {
		tl := byPlace[id]
		h := &lantern.Hotspot{Place: &lantern.NetworkNode{Type: lantern.EntityPlace, ID: id, Label: "Not found"}, Items: tl.items,
			Children: len(tl.children), HiddenChildren: hiddenIn(tl), Persons: len(tl.persons)}
		if p := places[id]; p != nil {
			h.Place.Label, h.Place.Hotspot, h.Lat, h.Lon = p.Label(), p.Hotspot, p.Lat, p.Lon
		}
		if b != nil {
			if i := areaOf(id); i >= 0 {
				h.Area = b.Areas[i].Name
			}
		}
		for _, m := range months {
			if n := tl.months[m]; n > 0 {
				h.Months = append(h.Months, lantern.MonthCount{Month: m, Items: n})
			}
		}
		out.Places = append(out.Places, h)
	}
	detail := from.String() + " to " + to.String() + ", " + listed(len(ids), "places", ids)
	if b != nil {
		detail += ", by the areas of boundary " + b.ID
	}
	return out, s.audited(ctx, auditEntry{Action: "intel.hotspots.read", Entity: "intelligence", Detail: detail})
}
