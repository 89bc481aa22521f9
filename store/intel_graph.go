package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"lantern"
	"lantern/graph"
)

// The graph index (docs/intelligence.md#the-graph-index): every live link
// held in a compact in-memory index (package graph), so that walks over the
// whole graph (the network around a child, shortest paths, shared
// associates, groups, the most connected) read memory, not the database.
// It is a copy: built from intel_links when the server starts, kept current
// by the links this replica writes and by reading, every half second, the
// links any replica wrote or withdrew since; rebuilt when a merge of
// persons changes who is who. Until it is built, walks read the database.

// graphPoll is how often the index reads what other replicas wrote.
const graphPoll = 500 * time.Millisecond

// graphLookback is how far back each poll reads again, so that a link
// committed a little after another replica's clock said is not missed.
const graphLookback = 30 * time.Second

// Attribute packing: the link kind's index (5 bits), whether graded (1),
// the source grade 1-3 (2), the intelligence grade A-E as 0-4 (3), and
// handling C (1).
const (
	attrKindBits = 0x1f
	attrGraded   = 1 << 5
	attrSrcShift = 6
	attrIntShift = 8
	attrHandC    = 1 << 11
)

func packAttr(kind lantern.LinkKind, src, intel, handling string) uint32 {
	a := uint32(slices.Index(lantern.LinkKinds, kind)) & attrKindBits
	if src != "" && intel != "" {
		a |= attrGraded | uint32(src[0]-'0')<<attrSrcShift | uint32(intel[0]-'A')<<attrIntShift
	}
	if handling == "C" {
		a |= attrHandC
	}
	return a
}

func attrKind(a uint32) lantern.LinkKind {
	i := int(a & attrKindBits)
	if i < len(lantern.LinkKinds) {
		return lantern.LinkKinds[i]
	}
	return ""
}

func attrGrading(a uint32) *lantern.Grading {
	if a&attrGraded == 0 {
		return nil
	}
	g := &lantern.Grading{Source: string(rune('0' + (a>>attrSrcShift)&3)), Intelligence: string(rune('A' + (a>>attrIntShift)&7)), Handling: "P"}
	if a&attrHandC != 0 {
		g.Handling = "C"
	}
	return g
}

// dayNumber counts days from 1970, 0 for none.
func dayNumber(d lantern.Date) uint32 {
	if d.IsZero() {
		return 0
	}
	return uint32(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayDate(n uint32) *lantern.Date {
	if n == 0 {
		return nil
	}
	d := lantern.DateOf(time.Unix(int64(n)*86400, 0).UTC())
	return &d
}

// intelGraph is the index and what it needs to answer in Lantern's terms.
type intelGraph struct {
	ready atomic.Bool
	mu    sync.Mutex // the fields below, but the Live's own
	dict  *graph.Dict
	live  *graph.Live
	links [][16]byte   // edge id -> link id
	from  []graph.Node // edge id -> the node at the link's from end
	// recent and older are the links added or seen in the last two
	// lookbacks (by link id, their edge), so that a poll need read again
	// only what it has not seen; each lookback, older is dropped.
	recent, older map[[16]byte]uint32
	rotated       time.Time
	next          uint32
	// root maps a merged person's node to the node of the person they were
	// merged into.
	root    map[graph.Node]graph.Node
	merges  string // the merges' state the index was built with
	polled  time.Time
	swept   time.Time // when a poll last looked back graphLookback
	builtIn time.Duration
	err     error
}

func keyOf(t lantern.EntityType, id string) (graph.Key, bool) {
	u, err := uuid.Parse(id)
	if err != nil {
		return graph.Key{}, false
	}
	return graph.Key{Kind: graph.KindOf(t), ID: u}, true
}

// GraphStats says how the index stands.
type GraphStats struct {
	Ready        bool
	Nodes, Edges int
	BuiltIn      time.Duration
	Err          string
}

// GraphStats says how the index stands.
func (s *Store) GraphStats() GraphStats {
	g := &s.graph
	g.mu.Lock()
	defer g.mu.Unlock()
	st := GraphStats{Ready: g.ready.Load(), BuiltIn: g.builtIn}
	if g.err != nil {
		st.Err = g.err.Error()
	}
	if g.live != nil {
		st.Nodes, st.Edges = g.live.Nodes(), len(g.links)
	}
	return st
}

// KeepGraph builds the index and keeps it current until ctx ends. Call it
// once, in its own goroutine, when serving.
func (s *Store) KeepGraph(ctx context.Context) {
	if err := s.buildGraph(ctx); err != nil {
		s.log.Error("graph index", "err", err)
		s.graph.mu.Lock()
		s.graph.err = err
		s.graph.mu.Unlock()
		return
	}
	t := time.NewTicker(graphPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.pollGraph(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("graph index poll", "err", err)
			}
		}
	}
}

// mergeState is a short summary of the persons' merges: when it changes,
// the index is rebuilt.
func (s *Store) mergeState(ctx context.Context) (string, error) {
	var n int
	var last, undone *string
	err := s.db.QueryRowContext(ctx, `SELECT count(*), CAST(max(merged_at) AS TEXT), CAST(max(undone_at) AS TEXT) FROM intel_person_merges`).Scan(&n, &last, &undone)
	if err != nil {
		return "", internal("merge state", err)
	}
	st := itoa(n)
	if last != nil {
		st += " " + *last
	}
	if undone != nil {
		st += " " + *undone
	}
	return st, nil
}

// buildGraph reads every live link into a new index.
func (s *Store) buildGraph(ctx context.Context) error {
	began := time.Now()
	state, err := s.mergeState(ctx)
	if err != nil {
		return err
	}
	polled := s.now()
	dict := graph.NewDict(1 << 16)
	root := map[graph.Node]graph.Node{}
	// Merged persons stand for the person they were merged into.
	merged, err := s.pairs(ctx, `SELECT id, merged_into FROM intel_persons WHERE merged_into IS NOT NULL`)
	if err != nil {
		return err
	}
	for _, m := range merged {
		a, ok1 := keyOf(lantern.EntityPerson, m[0])
		b, ok2 := keyOf(lantern.EntityPerson, m[1])
		if ok1 && ok2 {
			na, _ := dict.Add(a)
			nb, _ := dict.Add(b)
			root[na] = nb
		}
	}
	var edges []graph.Edge
	var links [][16]byte
	var from []graph.Node
	// Ten million rows at national scale, read in parts at once, one a
	// CPU: reading rows through the SQLite driver is most of the build. The
	// parts are parsed apart and put in the dictionary together, a batch at
	// a time.
	var mu sync.Mutex
	add := func(batch []graphRow) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range batch {
			na, _ := dict.Add(r.a)
			nb, _ := dict.Add(r.b)
			if x, ok := root[na]; ok {
				na = x
			}
			if x, ok := root[nb]; ok {
				nb = x
			}
			edges = append(edges, graph.Edge{A: na, B: nb, ID: uint32(len(links)), Attr: r.attr, Day: r.day})
			links = append(links, r.id)
			from = append(from, na)
		}
	}
	parts, err := s.graphParts(ctx)
	if err != nil {
		return err
	}
	errs := make(chan error, len(parts))
	for _, part := range parts {
		go func() { errs <- s.readGraphRows(ctx, part, add) }()
	}
	for range parts {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return err
	}
	ix, err := graph.Build(dict.Len(), edges)
	if err != nil {
		return internal("graph build", err)
	}
	g := &s.graph
	g.mu.Lock()
	g.dict, g.live, g.links, g.from, g.root, g.merges, g.polled = dict, graph.NewLive(ix), links, from, root, state, polled
	g.recent, g.older, g.rotated, g.swept = map[[16]byte]uint32{}, map[[16]byte]uint32{}, polled, polled
	g.next, g.builtIn = uint32(len(links)), time.Since(began)
	g.mu.Unlock()
	g.ready.Store(true)
	s.log.Info("graph index built", "links", len(links), "nodes", dict.Len(), "took", time.Since(began))
	return nil
}

// graphRow is a link as the index's build reads it.
type graphRow struct {
	id        [16]byte
	a, b      graph.Key
	attr, day uint32
}

// graphParts splits the links into ranges to read at once, one a CPU (at
// most four): on SQLite, by rowid; PostgreSQL reads them in one stream, its
// server working apart from Lantern already.
func (s *Store) graphParts(ctx context.Context) ([]string, error) {
	n := min(runtime.GOMAXPROCS(0), 4)
	if s.d != sqlite || n < 2 {
		return []string{""}, nil
	}
	var lo, hi sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT min(rowid), max(rowid) FROM intel_links`).Scan(&lo, &hi); err != nil {
		return nil, internal("graph build", err)
	}
	if !lo.Valid { // no links; however few, they are read in parts, so that the tests read them so too
		return []string{""}, nil
	}
	var out []string
	step := (hi.Int64 - lo.Int64 + int64(n)) / int64(n)
	for from := lo.Int64; from <= hi.Int64; from += step {
		out = append(out, " AND rowid >= "+strconv.FormatInt(from, 10)+" AND rowid < "+strconv.FormatInt(from+step, 10))
	}
	return out, nil
}

// readGraphRows reads the live links of a part, each row as one text (its
// fields joined by the database: the SQLite driver locks its connection
// for every column read, and ten columns a row cost most of the read),
// handing them to add a batch at a time.
func (s *Store) readGraphRows(ctx context.Context, part string, add func([]graphRow)) error {
	rows, err := s.db.QueryContext(ctx, `SELECT `+graphRowSQL(s.d)+` FROM intel_links WHERE withdrawn_at IS NULL`+part)
	if err != nil {
		return internal("graph build", err)
	}
	defer rows.Close()
	var raw sql.RawBytes
	var f [graphRowFields][]byte
	batch := make([]graphRow, 0, 4096)
	for rows.Next() {
		if err := rows.Scan(&raw); err != nil {
			return internal("graph build", err)
		}
		if !splitGraphRow(raw, &f) {
			continue
		}
		lid, err1 := uuid.ParseBytes(f[0])
		a, err2 := uuid.ParseBytes(f[2])
		b, err3 := uuid.ParseBytes(f[4])
		day, err4 := strconv.ParseInt(string(f[9]), 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			continue
		}
		batch = append(batch, graphRow{id: lid, a: graph.Key{Kind: graph.KindOf(lantern.EntityType(f[1])), ID: a},
			b:    graph.Key{Kind: graph.KindOf(lantern.EntityType(f[3])), ID: b},
			attr: packAttr(lantern.LinkKind(f[5]), string(f[6]), string(f[7]), string(f[8])), day: uint32(max(day, 0))})
		if len(batch) == cap(batch) {
			add(batch)
			batch = batch[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return internal("graph build", err)
	}
	add(batch)
	return nil
}

// graphRowFields are the fields of a link's row as the index reads it.
const graphRowFields = 10

// graphRowSQL is a link's row as one text: id, from type, from id, to type,
// to id, kind, the grading's three parts and the day, joined by "|" (which
// none of them holds).
func graphRowSQL(d dialect) string {
	return `id || '|' || from_type || '|' || from_id || '|' || to_type || '|' || to_id || '|' || kind || '|' || COALESCE(grade_source, '') || '|' || ` +
		`COALESCE(grade_intel, '') || '|' || COALESCE(grade_handling, '') || '|' || CAST(` + d.linkDay() + ` AS TEXT)`
}

// splitGraphRow splits a row read by graphRowSQL into f, without copying.
func splitGraphRow(raw []byte, f *[graphRowFields][]byte) bool {
	for i := range graphRowFields - 1 {
		j := bytes.IndexByte(raw, '|')
		if j < 0 {
			return false
		}
		f[i], raw = raw[:j], raw[j+1:]
	}
	f[graphRowFields-1] = raw
	return true
}

// edgeOf makes a link an edge (its ID left to the caller), adding its ends
// to the dictionary; a merged person's end is the person merged into.
func edgeOf(dict *graph.Dict, root map[graph.Node]graph.Node, id string, ft lantern.EntityType, fid string, tt lantern.EntityType, tid string,
	kind lantern.LinkKind, gs, gi, gh string, obs lantern.Date, rec time.Time) (graph.Edge, [16]byte, bool) {
	lid, err := uuid.Parse(id)
	if err != nil {
		return graph.Edge{}, lid, false
	}
	ka, ok1 := keyOf(ft, fid)
	kb, ok2 := keyOf(tt, tid)
	if !ok1 || !ok2 {
		return graph.Edge{}, lid, false
	}
	a, _ := dict.Add(ka)
	b, _ := dict.Add(kb)
	if r, ok := root[a]; ok {
		a = r
	}
	if r, ok := root[b]; ok {
		b = r
	}
	day := dayNumber(obs)
	if day == 0 {
		day = dayNumber(lantern.DateOf(rec))
	}
	return graph.Edge{A: a, B: b, Attr: packAttr(kind, gs, gi, gh), Day: day}, lid, true
}

// seenLocked is the edge of a link added or seen lately.
func (g *intelGraph) seenLocked(lid [16]byte) (uint32, bool) {
	if e, ok := g.recent[lid]; ok {
		return e, true
	}
	e, ok := g.older[lid]
	return e, ok
}

func (g *intelGraph) markLocked(lid [16]byte, e uint32) { g.recent[lid] = e }

func (g *intelGraph) forgetLocked(lid [16]byte) {
	delete(g.recent, lid)
	delete(g.older, lid)
}

func (g *intelGraph) addLocked(id string, ft lantern.EntityType, fid string, tt lantern.EntityType, tid string, kind lantern.LinkKind,
	gs, gi, gh string, obs lantern.Date, rec time.Time) {
	e, lid, ok := edgeOf(g.dict, g.root, id, ft, fid, tt, tid, kind, gs, gi, gh, obs, rec)
	if !ok {
		return
	}
	if _, seen := g.seenLocked(lid); seen {
		return
	}
	e.ID = g.next
	if err := g.live.Add(e); err != nil {
		return
	}
	g.next++
	g.links = append(g.links, lid)
	g.from = append(g.from, e.A)
	g.markLocked(lid, e.ID)
}

// graphChanged puts a link this replica wrote, graded or withdrew in the
// index at once (other replicas' come with the poll).
func (s *Store) graphChanged(l *lantern.Link) {
	g := &s.graph
	if !g.ready.Load() {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.applyLocked(l)
}

// applyLocked makes the index hold a link as it now stands: out if
// withdrawn; in, with its attributes, if not (a regraded link is taken out
// and put back with its new grade; one held at the wrong ends, as after a
// merge that raced it, is moved).
func (g *intelGraph) applyLocked(l *lantern.Link) {
	var gs, gi, gh string
	if l.Grading != nil {
		gs, gi, gh = l.Grading.Source, l.Grading.Intelligence, l.Grading.Handling
	}
	var obs lantern.Date
	if l.ObservedFrom != nil {
		obs = *l.ObservedFrom
	}
	lid, err := uuid.Parse(l.ID)
	if err != nil {
		return
	}
	e, held := g.edgeOfLink(l.ID, l.From.Type, l.From.ID, l.To.Type, l.To.ID)
	if l.Withdrawn != nil {
		if held {
			_ = g.live.Remove(e)
		} else if eid, ok := g.seenLocked(lid); ok {
			g.removeEdgeLocked(eid)
		}
		return
	}
	if held {
		attr, _, _ := g.live.Attr(e.ID)
		if attr == packAttr(l.Kind, gs, gi, gh) {
			g.markLocked(lid, e.ID)
			return
		}
		_ = g.live.Remove(e)
	} else if eid, ok := g.seenLocked(lid); ok {
		g.removeEdgeLocked(eid)
	}
	g.forgetLocked(lid)
	g.addLocked(l.ID, l.From.Type, l.From.ID, l.To.Type, l.To.ID, l.Kind, gs, gi, gh, obs, l.RecordedAt)
}

// removeEdgeLocked masks an edge by its id wherever it is, if it is live.
func (g *intelGraph) removeEdgeLocked(eid uint32) {
	if int(eid) >= len(g.from) {
		return
	}
	a := g.from[eid]
	for _, h := range g.live.Neighbours(a) {
		if h.ID == eid {
			_ = g.live.Remove(graph.Edge{A: a, B: h.To, ID: eid})
			return
		}
	}
}

// edgeOfLink finds a link's live edge in the index, and its ends' nodes.
func (g *intelGraph) edgeOfLink(id string, ft lantern.EntityType, fid string, tt lantern.EntityType, tid string) (graph.Edge, bool) {
	lid, err := uuid.Parse(id)
	if err != nil {
		return graph.Edge{}, false
	}
	ka, ok1 := keyOf(ft, fid)
	kb, ok2 := keyOf(tt, tid)
	if !ok1 || !ok2 {
		return graph.Edge{}, false
	}
	a, ok1 := g.dict.Lookup(ka)
	b, ok2 := g.dict.Lookup(kb)
	if !ok1 || !ok2 {
		return graph.Edge{}, false
	}
	if r, ok := g.root[a]; ok {
		a = r
	}
	if r, ok := g.root[b]; ok {
		b = r
	}
	for _, h := range g.live.Neighbours(a) {
		if h.To == b && int(h.ID) < len(g.links) && g.links[h.ID] == lid {
			return graph.Edge{A: a, B: b, ID: h.ID}, true
		}
	}
	return graph.Edge{}, false
}

// graphRecentLookback is how far back each poll reads the links recorded:
// enough for a write that took a while to commit. Every graphLookback, a
// poll looks back that far, for one that took longer still.
const (
	graphRecentLookback = 3 * time.Second
	graphSweep          = 10 * time.Second
)

// pollGraph reads the links written and withdrawn since the last poll
// (looking back a little), and moves the links of persons whose merges
// changed. It reads the ids of the links recorded first, and whole links
// only for those it has not seen: a bulk import elsewhere would otherwise
// have each poll read tens of thousands of links again.
func (s *Store) pollGraph(ctx context.Context) error {
	g := &s.graph
	if !g.ready.Load() {
		return nil
	}
	if err := s.syncGraphMerges(ctx); err != nil {
		return err
	}
	now := s.now()
	g.mu.Lock()
	back := graphRecentLookback
	sweep := now.Sub(g.swept) >= graphSweep
	if sweep {
		back = graphLookback
	}
	since := g.polled.Add(-back)
	if now.Sub(g.rotated) >= graphLookback {
		g.older, g.recent, g.rotated = g.recent, map[[16]byte]uint32{}, now
	}
	g.mu.Unlock()
	ids, err := collect(ctx, s.db, "graph poll", `SELECT id FROM intel_links WHERE recorded_at > $1`, func(r scanner) (string, error) {
		var id string
		return id, r.Scan(&id)
	}, s.d.ts(since))
	if err != nil {
		return err
	}
	var unseen []any
	g.mu.Lock()
	for _, id := range ids {
		if lid, err := uuid.Parse(id); err == nil {
			if _, ok := g.seenLocked(lid); !ok {
				unseen = append(unseen, id)
			}
		}
	}
	g.mu.Unlock()
	var ls []*lantern.Link
	for start := 0; start < len(unseen); start += importRows {
		part := unseen[start:min(start+importRows, len(unseen))]
		got, err := s.links(ctx, s.db, `l.id IN (`+placeholders(1, len(part))+`)`, part...)
		if err != nil {
			return err
		}
		ls = append(ls, got...)
	}
	// Withdrawals and regrades are few: read whole.
	changed, err := s.links(ctx, s.db, `l.changed_at > $1`, s.d.ts(since))
	if err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, l := range append(ls, changed...) {
		g.applyLocked(l)
	}
	g.polled = now
	if sweep {
		g.swept = now
	}
	if g.live.Pending() > 200_000 {
		go g.live.Compact()
	}
	return nil
}

// graphRebuildAbove is how many persons' merges may change at once before
// the index is built again rather than changed person by person.
const graphRebuildAbove = 20_000

// syncGraphMerges brings the index's merged persons in line with the
// database's: for each person now merged into another, or no longer, their
// links are taken from the node they stood at and put at the one they
// stand at now. A merge made here calls it at once; other replicas' come
// with the poll. One runs at a time.
func (s *Store) syncGraphMerges(ctx context.Context) error {
	g := &s.graph
	if !g.ready.Load() {
		return nil
	}
	s.graphSync.Lock()
	defer s.graphSync.Unlock()
	state, err := s.mergeState(ctx)
	if err != nil {
		return err
	}
	g.mu.Lock()
	same := state == g.merges
	g.mu.Unlock()
	if same {
		return nil
	}
	merged, err := s.pairs(ctx, `SELECT id, merged_into FROM intel_persons WHERE merged_into IS NOT NULL`)
	if err != nil {
		return err
	}
	g.mu.Lock()
	root := make(map[graph.Node]graph.Node, len(merged))
	for _, m := range merged {
		a, ok1 := keyOf(lantern.EntityPerson, m[0])
		b, ok2 := keyOf(lantern.EntityPerson, m[1])
		if ok1 && ok2 {
			na, _ := g.dict.Add(a)
			nb, _ := g.dict.Add(b)
			root[na] = nb
		}
	}
	var moved []any
	for n, r := range root {
		if g.root[n] != r {
			moved = append(moved, g.personID(n))
		}
	}
	for n := range g.root {
		if _, ok := root[n]; !ok {
			moved = append(moved, g.personID(n))
		}
	}
	g.mu.Unlock()
	if len(moved) > graphRebuildAbove {
		return s.buildGraph(ctx)
	}
	var ls []*lantern.Link
	seen := map[string]bool{}
	for start := 0; start < len(moved); start += importRows / 2 {
		part := moved[start:min(start+importRows/2, len(moved))]
		in := placeholders(1, len(part))
		got, err := s.links(ctx, s.db, `l.withdrawn_at IS NULL AND ((l.from_type = 'person' AND l.from_id IN (`+in+`)) OR (l.to_type = 'person' AND l.to_id IN (`+in+`)))`, part...)
		if err != nil {
			return err
		}
		for _, l := range got {
			if !seen[l.ID] {
				seen[l.ID] = true
				ls = append(ls, l)
			}
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	// Out from where each stood, with the old merges...
	for _, l := range ls {
		if e, ok := g.edgeOfLink(l.ID, l.From.Type, l.From.ID, l.To.Type, l.To.ID); ok {
			_ = g.live.Remove(e)
		} else if lid, err := uuid.Parse(l.ID); err == nil {
			if eid, ok := g.seenLocked(lid); ok {
				g.removeEdgeLocked(eid)
			}
		}
	}
	// ...and in where each stands, with the new.
	g.root, g.merges = root, state
	for _, l := range ls {
		if lid, err := uuid.Parse(l.ID); err == nil {
			g.forgetLocked(lid)
		}
		g.applyLocked(l)
	}
	return nil
}

// personID is a node's person id, as text.
func (g *intelGraph) personID(n graph.Node) string {
	k, _ := g.dict.Key(n)
	return uuid.UUID(k.ID).String()
}

// errGraphNotReady sends a walk to the database.
var errGraphNotReady = errors.New("graph index not ready")

// graphFilter is a network query's filter on the packed attributes: kinds,
// least grading, period, and handling C for the police only.
func graphFilter(q lantern.NetworkQuery, police bool) graph.Filter {
	var kinds uint32
	for _, k := range q.Kinds {
		kinds |= 1 << uint(slices.Index(lantern.LinkKinds, k))
	}
	var from, to uint32
	if q.From != nil {
		from = dayNumber(*q.From)
	}
	if q.To != nil {
		to = dayNumber(*q.To)
	}
	least := q.Least
	return func(a, day uint32) bool {
		if !police && a&attrHandC != 0 {
			return false
		}
		if kinds != 0 && kinds&(1<<(a&attrKindBits)) == 0 {
			return false
		}
		if (from != 0 && day < from) || (to != 0 && day > to) {
			return false
		}
		if least != nil {
			if a&attrGraded == 0 {
				return false
			}
			src, intel := byte('0'+(a>>attrSrcShift)&3), byte('A'+(a>>attrIntShift)&7)
			if src > least.Source[0] || intel > least.Intelligence[0] {
				return false
			}
		}
		return true
	}
}

// visibleChildNodes is the set of child nodes the caller may see, or nil
// when they may see every child.
func (s *Store) visibleChildNodes(ctx context.Context, g *intelGraph) (map[graph.Node]bool, error) {
	u := lantern.UserFromContext(ctx)
	if lantern.Allowed(u, lantern.ResChild, lantern.ActRead, lantern.RelOther) {
		return nil, nil
	}
	out := map[graph.Node]bool{}
	if !lantern.Allowed(u, lantern.ResChild, lantern.ActRead, lantern.RelInvolved) {
		return out, nil
	}
	rows, err := s.pairs(ctx, `SELECT child_id, '' FROM involvements WHERE agency_id = $1 AND ended_at IS NULL`, u.AgencyID)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if k, ok := keyOf(lantern.EntityChild, r[0]); ok {
			if n, ok := g.dict.Lookup(k); ok {
				out[n] = true
			}
		}
	}
	return out, nil
}

// networkFromGraph is Network read from the index.
func (s *Store) networkFromGraph(ctx context.Context, c *lantern.Child, q lantern.NetworkQuery, police bool) (*lantern.Network, error) {
	g := &s.graph
	if !g.ready.Load() {
		return nil, errGraphNotReady
	}
	g.mu.Lock()
	dict, live, root := g.dict, g.live, g.root
	g.mu.Unlock()
	net := &lantern.Network{ChildID: c.ID, Hops: q.Hops, Nodes: []*lantern.NetworkNode{}, Edges: []*lantern.NetworkEdge{}, Hubs: []*lantern.NetworkNode{}}
	start := &lantern.NetworkNode{Type: lantern.EntityChild, ID: c.ID, Label: c.FullName()}
	net.Nodes = append(net.Nodes, start)
	k, _ := keyOf(lantern.EntityChild, c.ID)
	sn, ok := dict.Lookup(k)
	if !ok {
		return net, nil
	}
	visible, err := s.visibleChildNodes(ctx, g)
	if err != nil {
		return nil, err
	}
	childKind := graph.KindOf(lantern.EntityChild)
	var hidden int
	skip := func(n graph.Node) bool {
		if visible == nil || n == sn || dict.Kind(n) != childKind || visible[n] {
			return false
		}
		hidden++
		return true
	}
	var expand []graph.Node
	for _, e := range q.Expand {
		if k, ok := keyOf(e.Type, e.ID); ok {
			if n, ok := dict.Lookup(k); ok {
				if r, ok := root[n]; ok {
					n = r
				}
				expand = append(expand, n)
			}
		}
	}
	res := live.Around([]graph.Node{sn}, graph.Options{Hops: q.Hops, Filter: graphFilter(q, police), Skip: skip, Expand: expand,
		MaxDegree: lantern.HubLinks, MaxNodes: lantern.MaxNetworkNodes})
	net.Truncated, net.HiddenChildren = res.Truncated, hidden
	refOf := func(n graph.Node) lantern.EntityRef {
		k, _ := dict.Key(n)
		return lantern.EntityRef{Type: graph.TypeOf(k.Kind), ID: uuid.UUID(k.ID).String()}
	}
	refs := map[lantern.EntityRef]bool{}
	for _, r := range res.Nodes {
		if r.Node != sn {
			refs[refOf(r.Node)] = true
		}
	}
	labels, _, err := s.labels(ctx, refs)
	if err != nil {
		return nil, err
	}
	// A reader not of the police sees counts without the handling-C links
	// they may not see.
	degree := live.Degree
	if !police {
		noC := func(a, _ uint32) bool { return a&attrHandC == 0 }
		degree = func(n graph.Node) int { return live.DegreeWhere(n, noC) }
	}
	byNode := map[graph.Node]*lantern.NetworkNode{sn: start}
	start.Links = min(degree(sn), MaxCounted)
	for _, r := range res.Nodes {
		if r.Node == sn {
			continue
		}
		ref := refOf(r.Node)
		label, ok := labels[ref.ID]
		if !ok {
			label = "Not found"
		}
		n := &lantern.NetworkNode{Type: ref.Type, ID: ref.ID, Label: label, Hop: r.Hop, Links: min(degree(r.Node), MaxCounted),
			Hotspot: labels["hotspot:"+ref.ID] != ""}
		byNode[r.Node] = n
		net.Nodes = append(net.Nodes, n)
	}
	for _, h := range res.Hubs {
		// A hub at the last hop would not have been walked through anyway.
		if n := byNode[h.Node]; n != nil && h.Node != sn && n.Hop < q.Hops {
			n.Hub = true
			net.Hubs = append(net.Hubs, n)
		}
	}
	g.mu.Lock()
	ids := make([][16]byte, len(res.Links))
	froms := make([]graph.Node, len(res.Links))
	for i, l := range res.Links {
		if int(l.ID) < len(g.links) {
			ids[i], froms[i] = g.links[l.ID], g.from[l.ID]
		}
	}
	g.mu.Unlock()
	for i, l := range res.Links {
		if froms[i] != l.A { // the link's own direction
			l.A, l.B = l.B, l.A
		}
		a, b := byNode[l.A], byNode[l.B]
		if a == nil || b == nil {
			continue
		}
		attr, day, _ := live.Attr(l.ID)
		e := &lantern.NetworkEdge{ID: uuid.UUID(ids[i]).String(), From: a.Ref(), To: b.Ref(), Kind: attrKind(attr), Grading: attrGrading(attr),
			ObservedFrom: dayDate(day)}
		net.Edges = append(net.Edges, e)
	}
	return net, nil
}
