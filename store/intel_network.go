package store

import (
	"context"
	"errors"
	"slices"

	"lantern"
)

// networkLinkRows bounds the links one hop reads: past the node cap the
// network stops anyway, and a frontier of hubs' neighbours could otherwise
// read tens of thousands.
const networkLinkRows = 20 * lantern.MaxNetworkNodes

// Network is everything linked to a child within q.Hops, for those who read
// intelligence, on a child they may see. It walks the links breadth first
// from the child: a node with more than lantern.HubLinks links is shown but
// not expanded unless asked (the hub rule); at lantern.MaxNetworkNodes it
// stops and says so. Children the caller may not see are neither shown nor
// passed through; handling-C links are the police's alone; a person merged
// into another is shown as that other.
func (s *Store) Network(ctx context.Context, childID string, q lantern.NetworkQuery) (*lantern.Network, error) {
	c, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	if err := mayChild(ctx, c, lantern.ResNetwork, lantern.ActRead); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	police := lantern.Allowed(u, lantern.ResIntelSource, lantern.ActRead, lantern.RelArea)
	if q.Hops < 1 || q.Hops > lantern.MaxNetworkHops {
		q.Hops = 2
	}
	if net, err := s.networkFromGraph(ctx, c, q, police); !errors.Is(err, errGraphNotReady) {
		if err != nil {
			return nil, err
		}
		return net, s.auditedNetwork(ctx, childID, net)
	}
	expand := map[string]bool{}
	for _, e := range q.Expand {
		expand[e.ID] = true
	}
	net := &lantern.Network{ChildID: childID, Hops: q.Hops, Nodes: []*lantern.NetworkNode{}, Edges: []*lantern.NetworkEdge{}, Hubs: []*lantern.NetworkNode{}}
	start := &lantern.NetworkNode{Type: lantern.EntityChild, ID: childID, Label: c.FullName(), Hop: 0}
	nodes := map[string]*lantern.NetworkNode{childID: start}
	net.Nodes = append(net.Nodes, start)
	seenEdge := map[string]bool{}
	hiddenSeen := map[string]bool{}
	frontier := []*lantern.NetworkNode{start}
	for hop := 1; hop <= q.Hops && len(frontier) > 0 && !net.Truncated; hop++ {
		// The hub rule: count the frontier's links first.
		deg, err := s.networkDegrees(ctx, frontier, true) // the hub rule counts every link
		if err != nil {
			return nil, err
		}
		var walk []string
		for _, n := range frontier {
			n.Links = deg[n.ID]
			if n.Links > lantern.HubLinks && !expand[n.ID] && n != start {
				n.Hub = true
				net.Hubs = append(net.Hubs, n)
				continue
			}
			walk = append(walk, n.ID)
		}
		// A person stands for everyone merged into them.
		owner := map[string]string{}
		var persons []string
		for _, n := range frontier {
			if n.Type == lantern.EntityPerson && !n.Hub {
				persons = append(persons, n.ID)
			}
		}
		if len(persons) > 0 {
			members, err := s.mergedMembers(ctx, persons)
			if err != nil {
				return nil, err
			}
			for root, ms := range members {
				for _, m := range ms {
					owner[m] = root
					walk = append(walk, m)
				}
			}
		}
		links, err := s.networkLinks(ctx, walk, q, police)
		if err != nil {
			return nil, err
		}
		// The far ends: children to check, persons to resolve to their roots.
		refs := map[lantern.EntityRef]bool{}
		var farPersons []string
		for _, l := range links {
			for _, e := range []lantern.EntityRef{l.From, l.To} {
				if _, ok := nodes[e.ID]; !ok && owner[e.ID] == "" {
					refs[e] = true
					if e.Type == lantern.EntityPerson {
						farPersons = append(farPersons, e.ID)
					}
				}
			}
		}
		roots, err := s.mergedRoots(ctx, farPersons)
		if err != nil {
			return nil, err
		}
		for id, root := range roots {
			delete(refs, lantern.EntityRef{Type: lantern.EntityPerson, ID: id})
			refs[lantern.EntityRef{Type: lantern.EntityPerson, ID: root}] = true
			owner[id] = root
		}
		labels, hidden, err := s.labels(ctx, refs)
		if err != nil {
			return nil, err
		}
		var next []*lantern.NetworkNode
		for _, l := range links {
			from, to := l.From, l.To
			if r := owner[from.ID]; r != "" {
				from.ID = r
			}
			if r := owner[to.ID]; r != "" {
				to.ID = r
			}
			if from == to || seenEdge[l.ID] {
				continue
			}
			if hidden[from.ID] || hidden[to.ID] {
				for _, e := range []lantern.EntityRef{from, to} {
					if hidden[e.ID] && !hiddenSeen[e.ID] {
						hiddenSeen[e.ID] = true
						net.HiddenChildren++
					}
				}
				continue
			}
			for _, e := range []lantern.EntityRef{from, to} {
				if _, ok := nodes[e.ID]; ok {
					continue
				}
				if len(nodes) >= lantern.MaxNetworkNodes {
					net.Truncated = true
					break
				}
				label, ok := labels[e.ID]
				if !ok {
					label = "Not found"
				}
				n := &lantern.NetworkNode{Type: e.Type, ID: e.ID, Label: label, Hop: hop, Hotspot: labels["hotspot:"+e.ID] != ""}
				nodes[e.ID] = n
				net.Nodes = append(net.Nodes, n)
				next = append(next, n)
			}
			if nodes[from.ID] == nil || nodes[to.ID] == nil {
				continue
			}
			seenEdge[l.ID] = true
			g := l.Grading
			if g != nil && !police {
				g.Conditions = ""
			}
			net.Edges = append(net.Edges, &lantern.NetworkEdge{ID: l.ID, From: from, To: to, Kind: l.Kind, ObservedFrom: l.ObservedFrom,
				ObservedTo: l.ObservedTo, Grading: g, RecordedAt: l.RecordedAt})
		}
		frontier = next
	}
	// The last hop's nodes were not walked: count their links too; and a
	// reader not of the police sees counts without the handling-C links
	// they may not see.
	var last []*lantern.NetworkNode
	for _, n := range net.Nodes {
		if n.Links == 0 || !police {
			last = append(last, n)
		}
	}
	deg, err := s.networkDegrees(ctx, last, police)
	if err != nil {
		return nil, err
	}
	for _, n := range last {
		n.Links = deg[n.ID]
	}
	return net, s.auditedNetwork(ctx, childID, net)
}

// auditedNetwork records the read of a child's network: an entry for each
// child it showed.
func (s *Store) auditedNetwork(ctx context.Context, childID string, net *lantern.Network) error {
	var childIDs []string
	for _, n := range net.Nodes {
		if n.Type == lantern.EntityChild {
			childIDs = append(childIDs, n.ID)
		}
	}
	return s.auditedChildren(ctx, auditEntry{Action: "intel.network.read", Entity: "child", EntityID: childID}, childIDs)
}

// notHandlingC leaves out links of handling C, which only the police see.
const notHandlingC = ` AND grade_handling <> 'C'`

// networkDegrees is each node's count of links, a person counting the
// links of everyone merged into them less those between them, as the graph
// index counts.
func (s *Store) networkDegrees(ctx context.Context, ns []*lantern.NetworkNode, police bool) (map[string]int, error) {
	ids := make([]string, 0, len(ns))
	var persons []string
	for _, n := range ns {
		ids = append(ids, n.ID)
		if n.Type == lantern.EntityPerson {
			persons = append(persons, n.ID)
		}
	}
	members := map[string][]string{}
	for chunk := range slices.Chunk(persons, 500) {
		ms, err := s.mergedMembers(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for root, m := range ms {
			members[root] = m
			ids = append(ids, m...)
		}
	}
	cond := ""
	if !police {
		cond = notHandlingC
	}
	deg, err := s.degreesChunked(ctx, ids, cond)
	if err != nil {
		return nil, err
	}
	for root, ms := range members {
		cluster := append([]string{root}, ms...)
		var args []any
		in := inList(&args, cluster)
		var inside int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM intel_links WHERE from_id IN (`+in+`) AND to_id IN (`+in+`) AND withdrawn_at IS NULL`+cond,
			args...).Scan(&inside); err != nil {
			return nil, internal("degrees", err)
		}
		n := deg[root] - 2*inside
		for _, m := range ms {
			n += deg[m]
		}
		deg[root] = min(max(n, 0), MaxCounted)
	}
	return deg, nil
}

// degreesChunked is degrees over any number of ids.
func (s *Store) degreesChunked(ctx context.Context, ids []string, cond string) (map[string]int, error) {
	out := map[string]int{}
	for chunk := range slices.Chunk(ids, 500) {
		d, err := s.degreesWhere(ctx, s.db, chunk, cond)
		if err != nil {
			return nil, err
		}
		for k, v := range d {
			out[k] = v
		}
	}
	return out, nil
}

// networkLinks reads the live links of ids that pass the query's filters.
func (s *Store) networkLinks(ctx context.Context, ids []string, q lantern.NetworkQuery, police bool) ([]*lantern.Link, error) {
	var out []*lantern.Link
	for chunk := range slices.Chunk(ids, 500) {
		var args []any
		in := inList(&args, chunk)
		where := `(l.from_id IN (` + in + `) OR l.to_id IN (` + in + `)) AND l.withdrawn_at IS NULL`
		if !police {
			where += ` AND l.grade_handling <> 'C'`
		}
		if len(q.Kinds) > 0 {
			where += ` AND l.kind IN (` + inList(&args, q.Kinds) + `)`
		}
		// A link is in a period when what was seen overlaps it; a link with
		// no dates, when it was recorded in it.
		if q.From != nil {
			args = append(args, *q.From, s.d.ts(q.From.Time()))
			where += ` AND (COALESCE(l.observed_to, l.observed_from) >= $` + itoa(len(args)-1) +
				` OR (l.observed_from IS NULL AND l.recorded_at >= $` + itoa(len(args)) + `))`
		}
		if q.To != nil {
			args = append(args, *q.To, s.d.ts(q.To.Time().AddDate(0, 0, 1)))
			where += ` AND (l.observed_from <= $` + itoa(len(args)-1) + ` OR (l.observed_from IS NULL AND l.recorded_at < $` + itoa(len(args)) + `))`
		}
		args = append(args, networkLinkRows)
		ls, err := s.links(ctx, s.db, where+` ORDER BY l.recorded_at, l.id LIMIT $`+itoa(len(args)), args...)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			if q.Least != nil && !l.Grading.AtLeast(q.Least) {
				continue
			}
			out = append(out, l)
		}
	}
	return out, nil
}
