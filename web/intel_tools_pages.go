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

// The analyst's tools' pages (docs/intelligence.md#the-analysts-tools):
// forms that ask by GET, answers as tables, and drawings made on the
// server (no script, no map tiles) with the same numbers in a table.

func (s *Server) intelToolPageRoutes() {
	s.handle("GET /intelligence/tools", s.toolsPage)
	s.handle("GET /intelligence/path", s.pathPage)
	s.handle("GET /intelligence/shared", s.sharedPage)
	s.handle("GET /intelligence/groups", s.groupsPage)
	s.handle("GET /intelligence/groups.csv", s.groupsCSV)
	s.handle("GET /intelligence/most-connected", s.mostConnectedPage)
	s.handle("GET /intelligence/most-connected.csv", s.mostConnectedCSV)
	s.handle("GET /intelligence/timeline", s.timelinePage)
	s.handle("GET /intelligence/hotspots", s.hotspotsPage)
	s.handle("GET /intelligence/hotspots.csv", s.hotspotsCSV)
	s.handle("GET /intelligence/hotspots/areas.csv", s.hotspotsAreasCSV)
}

// toolLink is one tool on the tools' page.
type toolLink struct{ Href, Title, Desc string }

// toolsView is the tools' page.
type toolsView struct{ Tools []toolLink }

var intelTools = []toolLink{
	{"/intelligence/path", "Shortest path", "How two things are connected: the fewest links from one to the other."},
	{"/intelligence/shared", "Shared associates", "What several children have in common: the people, vehicles, phones, places and accounts linked to two or more of them."},
	{"/intelligence/groups", "Groups", "The largest groups the links make. A place or number with very many links joins no one."},
	{"/intelligence/most-connected", "Most connected", "The people, vehicles, phones, places and accounts with the most links. Children are never ranked."},
	{"/intelligence/timeline", "Timeline", "One record's links in date order, month by month."},
	{"/intelligence/hotspots", "Hotspots", "The places where most is seen, month by month, with a map drawn from their positions."},
}

func (s *Server) toolsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Analyst's tools")
	p.Nav = "intelligence"
	p.Data = toolsView{Tools: intelTools}
	s.render(w, r, http.StatusOK, "intel_tools", p)
}

// nodeRow is a node as the tools' tables show it.
func nodeRow(n *lantern.NetworkNode) networkNodeRow {
	return networkNodeRow{Ref: n.Ref().String(), Noun: kindOf(n.Type).Noun, Label: n.Label, Href: entityHref(n.Ref()), Links: n.Links, Hub: n.Hub, Hotspot: n.Hotspot}
}

// toolProblem is a tool's failure as the page shows it: the fields at
// fault (422), or an error page.
func (s *Server) toolProblem(w http.ResponseWriter, r *http.Request, p *page, err error) (int, bool) {
	if lantern.ErrorCode(err) == lantern.EINVALID {
		p.Errors = lantern.ErrorFields(err)
		return http.StatusUnprocessableEntity, true
	}
	s.error(w, r, err)
	return 0, false
}

// pathStep is one node of a path and the link on to the next.
type pathStep struct {
	Node networkNodeRow
	// Link is the link to the next node; nil for the last.
	Link *networkEdgeRow
}

// chainDrawing is a path drawn as a chain, left to right.
type chainDrawing struct {
	Width, Height int
	Nodes         []drawNode
	Links         []chainLink
	Desc          string
}

type chainLink struct {
	X1, Y1, X2, Y2, TX, TY int
	Label                  string
}

// pathSearchRow is a record a search on the path page found, to start or
// end at.
type pathSearchRow struct {
	Noun, Label, Ref, FromHref, ToHref string
}

// pathView is the path page.
type pathView struct {
	Asked, Found, Truncated bool
	Hops                    []eventOption
	Steps                   []pathStep
	Drawing                 *chainDrawing
	Searched                bool
	Results                 []pathSearchRow
	MaxHops                 int
}

const chainStep = 190

func (s *Server) pathPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := s.newPage(r, "Shortest path")
	p.Nav = "intelligence"
	p.Form = formMap(q)
	v := pathView{MaxHops: lantern.MaxPathHops}
	for i := 1; i <= lantern.MaxPathHops; i++ {
		v.Hops = append(v.Hops, eventOption{Value: strconv.Itoa(i), Label: plural(i, "link", "links")})
	}
	if p.Form["hops"] == "" {
		p.Form["hops"] = strconv.Itoa(lantern.MaxPathHops)
	}
	status := http.StatusOK
	if find := strings.TrimSpace(q.Get("find")); find != "" {
		v.Searched = true
		rs, err := s.st.SearchWords(ctx, find)
		if err != nil {
			var ok bool
			if status, ok = s.toolProblem(w, r, p, err); !ok {
				return
			}
			for i := range p.Errors {
				p.Errors[i].Field = "find"
			}
		}
		for _, res := range rs {
			ref := lantern.EntityRef{Type: res.Type, ID: res.ID}.String()
			fq, tq := url.Values{"from": {ref}, "to": {q.Get("to")}}, url.Values{"from": {q.Get("from")}, "to": {ref}}
			v.Results = append(v.Results, pathSearchRow{Noun: kindOf(res.Type).Noun, Label: res.Label, Ref: ref,
				FromHref: "/intelligence/path?" + fq.Encode(), ToHref: "/intelligence/path?" + tq.Encode()})
		}
	} else if q.Get("from") != "" || q.Get("to") != "" {
		v.Asked = true
		pq, err := parsePathQuery(q)
		var res *lantern.IntelPath
		if err == nil {
			res, err = s.st.ShortestPath(ctx, pq.From, pq.To, pq.Hops, pq.Filters)
			if lantern.ErrorCode(err) == lantern.ENOTFOUND {
				err = lantern.Invalid(lantern.FieldError{Field: "from", Message: "One of the two records was not found, or is a child you may not see: check the type and id of each"})
			}
		}
		if err != nil {
			var ok bool
			if status, ok = s.toolProblem(w, r, p, err); !ok {
				return
			}
			v.Asked = false
		} else {
			v.Found, v.Truncated = res.Found, res.Truncated
			v.Steps, v.Drawing = pathSteps(res)
		}
	}
	p.Data = v
	s.render(w, r, status, "intel_path", p)
}

// pathSteps lays a path out as rows and as a chain.
func pathSteps(res *lantern.IntelPath) ([]pathStep, *chainDrawing) {
	if !res.Found {
		return nil, nil
	}
	label := map[string]string{}
	for _, n := range res.Nodes {
		label[n.ID] = n.Label
	}
	end := func(r lantern.EntityRef) intelEnd {
		return intelEnd{Label: label[r.ID], Href: entityHref(r), Ref: r.String()}
	}
	d := &chainDrawing{Width: max(chainStep*len(res.Nodes), 2*chainStep), Height: 170}
	var steps []pathStep
	var words []string
	for i, n := range res.Nodes {
		st := pathStep{Node: nodeRow(n)}
		x, y := chainStep/2+i*chainStep, 60
		k := kindOf(n.Type)
		d.Nodes = append(d.Nodes, drawNode{Ref: n.Ref().String(), X: x, Y: y, Path: shapePath(n.Type, x, y), Letter: k.Letter, Centre: i == 0 || i == len(res.Nodes)-1,
			Class: "app-net-node--" + string(n.Type), Title: strings.ToUpper(k.Noun[:1]) + k.Noun[1:] + ": " + n.Label, Label: shorten(n.Label, 20)})
		words = append(words, k.Noun+" "+n.Label)
		if i < len(res.Edges) {
			e := res.Edges[i]
			st.Link = &networkEdgeRow{From: end(e.From), To: end(e.To), KindLabel: e.Kind.Label(), Observed: observed(e.ObservedFrom, e.ObservedTo), Grading: gradingText(e.Grading)}
			d.Links = append(d.Links, chainLink{X1: x + 24, Y1: y, X2: x + chainStep - 24, Y2: y, TX: x + chainStep/2, TY: y - 30, Label: shorten(e.Kind.Label(), 22)})
		}
		steps = append(steps, st)
	}
	d.Desc = fmt.Sprintf("A chain of %s: %s. The same is in the table.", plural(len(res.Edges), "link", "links"), strings.Join(words, ", then "))
	return steps, d
}

// sharedRow is a thing two or more of the children share.
type sharedRow struct {
	Node     networkNodeRow
	Children []string
}

// sharedView is the shared associates' page.
type sharedView struct {
	Asked     bool
	Children  []networkNodeRow
	Rows      []sharedRow
	Truncated bool
}

func (s *Server) sharedPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.newPage(r, "Shared associates")
	p.Nav = "intelligence"
	p.Form = formMap(q)
	if len(q["child"]) > 1 {
		p.Form["child"] = strings.Join(q["child"], ", ")
	}
	if p.Form["hops"] == "" {
		p.Form["hops"] = "2"
	}
	var v sharedView
	status := http.StatusOK
	if q.Has("child") {
		sq, err := parseSharedQuery(q)
		var res *lantern.SharedAssociates
		if err == nil {
			res, err = s.st.SharedAssociates(r.Context(), sq.Children, sq.Hops, sq.Filters)
			if lantern.ErrorCode(err) == lantern.ENOTFOUND {
				err = lantern.Invalid(lantern.FieldError{Field: "child", Message: "A child was not found, or is one you may not see: check each id"})
			}
		}
		if err != nil {
			var ok bool
			if status, ok = s.toolProblem(w, r, p, err); !ok {
				return
			}
		} else {
			v.Asked, v.Truncated = true, res.Truncated
			name := map[string]string{}
			for _, c := range res.Children {
				v.Children = append(v.Children, nodeRow(c))
				name[c.ID] = c.Label
			}
			for _, a := range res.Associates {
				row := sharedRow{Node: nodeRow(a.NetworkNode)}
				for _, id := range a.Children {
					row.Children = append(row.Children, name[id])
				}
				v.Rows = append(v.Rows, row)
			}
		}
	}
	p.Data = v
	s.render(w, r, status, "intel_shared", p)
}

// groupRow is a group as the table shows it.
type groupRow struct {
	Rank, Size, Children, Persons, Vehicles, Phones, Places, Accounts int
	Top                                                               []networkNodeRow
}

// groupsView is the groups' page.
type groupsView struct {
	Rows  []groupRow
	Total int
	CSV   string
}

func (s *Server) groupsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.newPage(r, "Groups")
	p.Nav = "intelligence"
	p.Form = formMap(q)
	if p.Form["min_size"] == "" {
		p.Form["min_size"] = "3"
	}
	v := groupsView{CSV: "/intelligence/groups.csv?" + q.Encode()}
	status := http.StatusOK
	gq, err := parseGroupsQuery(q)
	var gs *lantern.IntelGroups
	if err == nil {
		gs, err = s.st.Groups(r.Context(), gq.Filters, gq.MinSize, gq.Limit)
	}
	if err != nil {
		var ok bool
		if status, ok = s.toolProblem(w, r, p, err); !ok {
			return
		}
	} else {
		v.Total = gs.Total
		for _, g := range gs.Groups {
			row := groupRow{Rank: g.Rank, Size: g.Size, Children: g.Children, Persons: g.ByType[lantern.EntityPerson], Vehicles: g.ByType[lantern.EntityVehicle],
				Phones: g.ByType[lantern.EntityPhone], Places: g.ByType[lantern.EntityPlace], Accounts: g.ByType[lantern.EntityAccount]}
			for _, n := range g.Top {
				row.Top = append(row.Top, nodeRow(n))
			}
			v.Rows = append(v.Rows, row)
		}
	}
	p.Data = v
	s.render(w, r, status, "intel_groups", p)
}

func (s *Server) groupsCSV(w http.ResponseWriter, r *http.Request) {
	gq, err := parseGroupsQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	gs, err := s.st.Groups(r.Context(), gq.Filters, gq.MinSize, gq.Limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	h, rows := groupCSV(gs)
	writeCSV(w, "groups.csv", h, rows)
}

// rankedRow is a thing on the most connected list.
type rankedRow struct {
	Rank int
	Node networkNodeRow
}

// mostConnectedView is the most connected page.
type mostConnectedView struct {
	Types []eventOption
	Rows  []rankedRow
	CSV   string
}

func (s *Server) mostConnectedPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.newPage(r, "Most connected")
	p.Nav = "intelligence"
	p.Form = formMap(q)
	v := mostConnectedView{CSV: "/intelligence/most-connected.csv?" + q.Encode(), Types: []eventOption{{Value: "", Label: "Every kind"}}}
	for _, k := range intelKinds {
		v.Types = append(v.Types, eventOption{Value: string(k.Type), Label: strings.ToUpper(k.Noun[:1]) + k.Noun[1:] + "s"})
	}
	status := http.StatusOK
	mq, err := parseMostConnectedQuery(q)
	var ns []*lantern.NetworkNode
	if err == nil {
		ns, err = s.st.MostConnected(r.Context(), mq.Type, mq.Filters, mq.Limit)
	}
	if err != nil {
		var ok bool
		if status, ok = s.toolProblem(w, r, p, err); !ok {
			return
		}
	}
	for i, n := range ns {
		v.Rows = append(v.Rows, rankedRow{Rank: i + 1, Node: nodeRow(n)})
	}
	p.Data = v
	s.render(w, r, status, "intel_most_connected", p)
}

func (s *Server) mostConnectedCSV(w http.ResponseWriter, r *http.Request) {
	mq, err := parseMostConnectedQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	ns, err := s.st.MostConnected(r.Context(), mq.Type, mq.Filters, mq.Limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	h, rows := mostConnectedCSV(ns)
	writeCSV(w, "most-connected.csv", h, rows)
}

// timelineRow is a link on the timeline.
type timelineRow struct {
	Date, DateKind, KindLabel, Grading string
	Other                              intelEnd
}

// timelineMonth is a month's links.
type timelineMonth struct {
	ID, Label string
	Rows      []timelineRow
}

// barChart is a simple SVG bar chart: one bar a month.
type barChart struct {
	Width, Height, Base int
	Bars                []bar
	Desc                string
}

type bar struct {
	X, Y, W, H, Count int
	Label, Short      string
}

// timelineView is the timeline page.
type timelineView struct {
	Asked     bool
	Entity    networkNodeRow
	Months    []timelineMonth
	Chart     *barChart
	Counts    []monthTotal
	Truncated bool
}

type monthTotal struct {
	Label string
	Count int
}

func (s *Server) timelinePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.newPage(r, "Timeline")
	p.Nav = "intelligence"
	p.Form = formMap(q)
	var v timelineView
	status := http.StatusOK
	if q.Has("entity") {
		ref, err := lantern.ParseEntityRef("entity", q.Get("entity"))
		var tl *lantern.Timeline
		if err == nil {
			tl, err = s.st.Timeline(r.Context(), ref)
			if lantern.ErrorCode(err) == lantern.ENOTFOUND {
				err = lantern.Invalid(lantern.FieldError{Field: "entity", Message: "That record was not found, or is a child you may not see"})
			}
		}
		if err != nil {
			var ok bool
			if status, ok = s.toolProblem(w, r, p, err); !ok {
				return
			}
		} else {
			v = buildTimelineView(tl)
			p.Title = "Timeline of " + tl.Entity.Label
		}
	}
	p.Data = v
	s.render(w, r, status, "intel_timeline", p)
}

func buildTimelineView(tl *lantern.Timeline) timelineView {
	v := timelineView{Asked: true, Entity: nodeRow(tl.Entity), Truncated: tl.Truncated}
	for _, it := range tl.Items {
		m := lantern.MonthOf(it.Date)
		if len(v.Months) == 0 || v.Months[len(v.Months)-1].ID != m {
			v.Months = append(v.Months, timelineMonth{ID: m, Label: monthLabel(m)})
		}
		kind := "Recorded"
		if it.Observed {
			kind = "Seen"
		}
		other := intelEnd{Label: it.OtherLabel, Href: entityHref(it.Other), Ref: it.Other.String()}
		cur := &v.Months[len(v.Months)-1]
		cur.Rows = append(cur.Rows, timelineRow{Date: it.Date.Format(), DateKind: kind, KindLabel: it.Link.Kind.Label(), Grading: gradingText(it.Link.Grading), Other: other})
	}
	if len(v.Months) == 0 {
		return v
	}
	// Every month from the first to the last, empty ones too, so that the
	// bars are to scale in time.
	counts := map[string]int{}
	for _, m := range v.Months {
		counts[m.ID] = len(m.Rows)
	}
	first, last := tl.Items[0].Date, tl.Items[len(tl.Items)-1].Date
	months := lantern.MonthsBetween(first, last)
	most := 0
	for _, m := range months {
		most = max(most, counts[m])
		v.Counts = append(v.Counts, monthTotal{Label: monthLabel(m), Count: counts[m]})
	}
	const barW, chartH = 28, 160
	c := &barChart{Width: max(len(months)*(barW+6)+40, 200), Height: chartH + 60, Base: chartH + 20}
	for i, m := range months {
		h := 0
		if most > 0 {
			h = int(math.Round(float64(counts[m]) * chartH / float64(most)))
		}
		short := m[5:]
		if i == 0 || m[5:] == "01" {
			short = m[2:4] + "/" + m[5:]
		}
		c.Bars = append(c.Bars, bar{X: 30 + i*(barW+6), Y: c.Base - h, W: barW, H: h, Count: counts[m], Label: monthLabel(m), Short: short})
	}
	c.Desc = fmt.Sprintf("Links a month from %s to %s, most %d in a month. The same numbers are in the table.", monthLabel(months[0]), monthLabel(months[len(months)-1]), most)
	v.Chart = c
	return v
}

// hotspotRow is a place and its counts.
type hotspotRow struct {
	Place                            networkNodeRow
	Items, Children, Hidden, Persons int
	Cells                            []int
	Drawn                            bool
	Area                             string
}

// mapPoint is a place on the map.
type mapPoint struct {
	X, Y, R      int
	Label, Title string
	Ref          string
}

// mapArea is an area of the boundary on the map: its outline, and its name
// written at (LX, LY) where it fits without overlapping.
type mapArea struct {
	Name, Path string
	Label      string
	LX, LY     int
}

// hotspotMap is the places drawn by latitude and longitude: on the area's
// boundary when one is loaded, else on a plain frame.
type hotspotMap struct {
	Width, Height int
	Areas         []mapArea
	Points        []mapPoint
	Note          string
	Desc          string
}

// areaRow is an area's links by month; Kind is "area", "outside" (the
// places outside every area) or "none" (the places with no position).
type areaRow struct {
	Name          string
	Kind          string
	Places, Items int
	Cells         []int
}

// hotspotsView is the hotspots' page.
type hotspotsView struct {
	From, To  string
	Months    []string
	Rows      []hotspotRow
	Map       *hotspotMap
	CSV       string
	Truncated bool
	Undrawn   int
	// With a boundary: its areas' links by month, and their CSV.
	Boundary bool
	AreaRows []areaRow
	AreasCSV string
	CanLoad  bool
}

func (s *Server) hotspotsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.newPage(r, "Hotspots")
	p.Nav = "intelligence"
	p.Form = formMap(q)
	from, to, err := parseHotspotPeriod(q, lantern.Today(s.stNow()))
	var hs *lantern.Hotspots
	if err == nil {
		hs, err = s.st.Hotspots(r.Context(), from, to)
	}
	status := http.StatusOK
	v := hotspotsView{}
	if err != nil {
		var ok bool
		if status, ok = s.toolProblem(w, r, p, err); !ok {
			return
		}
	} else {
		if p.Form["from"] == "" {
			p.Form["from"] = from.String()
		}
		if p.Form["to"] == "" {
			p.Form["to"] = to.String()
		}
		v = buildHotspotsView(hs, q.Encode())
	}
	v.CanLoad = lantern.Allowed(p.User, lantern.ResAreaBoundary, lantern.ActChange, lantern.RelArea)
	p.Data = v
	s.render(w, r, status, "intel_hotspots", p)
}

const (
	mapW, mapH = 640, 480
	mapPad     = 40
	mapLabels  = 10 // the most labelled on the map, which would overlap
)

// box is a rectangle on the map, to keep labels from overlapping.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// buildHotspotsView draws the map and lays out the tables; query is the
// period asked, for the CSV links.
func buildHotspotsView(hs *lantern.Hotspots, query string) hotspotsView {
	v := hotspotsView{From: hs.From.Format(), To: hs.To.Format(), CSV: "/intelligence/hotspots.csv?" + query,
		AreasCSV: "/intelligence/hotspots/areas.csv?" + query, Truncated: hs.Truncated}
	for _, m := range hs.Months {
		v.Months = append(v.Months, monthLabel(m))
	}
	cells := func(ms []lantern.MonthCount) []int {
		by := map[string]int{}
		for _, m := range ms {
			by[m.Month] = m.Items
		}
		out := make([]int, 0, len(hs.Months))
		for _, m := range hs.Months {
			out = append(out, by[m])
		}
		return out
	}
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	most := 0
	for _, h := range hs.Places {
		row := hotspotRow{Place: nodeRow(h.Place), Items: h.Items, Children: h.Children, Hidden: h.HiddenChildren, Persons: h.Persons,
			Drawn: h.Lat != nil && h.Lon != nil, Area: h.Area, Cells: cells(h.Months)}
		v.Rows = append(v.Rows, row)
		if row.Drawn {
			minLat, maxLat = math.Min(minLat, *h.Lat), math.Max(maxLat, *h.Lat)
			minLon, maxLon = math.Min(minLon, *h.Lon), math.Max(maxLon, *h.Lon)
			most = max(most, h.Items)
		} else {
			v.Undrawn++
		}
	}
	b := hs.Boundary
	m := &hotspotMap{Width: mapW, Height: mapH,
		Note: "No boundary is loaded for the area, so the places are drawn by their latitude and longitude on a plain frame, north at the top. No map is fetched from outside Lantern."}
	if b != nil {
		v.Boundary = true
		m.Note = fmt.Sprintf("Drawn on the boundary %s (%s), loaded %s: the places by their latitude and longitude, north at the top. No map is fetched from outside Lantern.",
			b.Name, plural(len(b.Areas), "area", "areas"), localTime(b.LoadedAt))
		bMinLon, bMinLat, bMaxLon, bMaxLat := b.Extent()
		minLat, maxLat = math.Min(minLat, bMinLat), math.Max(maxLat, bMaxLat)
		minLon, maxLon = math.Min(minLon, bMinLon), math.Max(maxLon, bMaxLon)
		for _, a := range hs.Areas {
			v.AreaRows = append(v.AreaRows, areaRow{Name: a.Area, Kind: "area", Places: a.Places, Items: a.Items, Cells: cells(a.Months)})
		}
		for _, a := range []struct {
			kind, name string
			c          *lantern.AreaHotspot
		}{{"outside", "Outside every area", hs.Outside}, {"none", "No position", hs.NoPosition}} {
			if a.c != nil {
				v.AreaRows = append(v.AreaRows, areaRow{Name: a.name, Kind: a.kind, Places: a.c.Places, Items: a.c.Items, Cells: cells(a.c.Months)})
			}
		}
	}
	if most > 0 || b != nil {
		// An equirectangular projection, a degree of longitude shortened
		// by the cosine of the latitude: true enough over a county.
		k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
		spanX, spanY := math.Max((maxLon-minLon)*k, 1e-3), math.Max(maxLat-minLat, 1e-3)
		scale := math.Min(float64(mapW-2*mapPad)/spanX, float64(mapH-2*mapPad)/spanY)
		offX := (float64(mapW) - spanX*scale) / 2
		offY := (float64(mapH) - spanY*scale) / 2
		project := func(lon, lat float64) (float64, float64) {
			return offX + ((lon-minLon)*k)*scale, offY + (maxLat-lat)*scale
		}
		var taken []box
		labelled := 0
		for i, h := range hs.Places {
			if h.Lat == nil || h.Lon == nil {
				continue
			}
			x, y := project(*h.Lon, *h.Lat)
			pt := mapPoint{X: int(math.Round(x)), Y: int(math.Round(y)), R: 4 + int(math.Round(14*math.Sqrt(float64(h.Items)/float64(max(most, 1))))),
				Ref: h.Place.Ref().String(), Title: fmt.Sprintf("%s: %s, %s, %s", h.Place.Label, plural(h.Items, "link", "links"),
					plural(h.Children, "child", "children"), plural(h.Persons, "person", "persons"))}
			if labelled < mapLabels {
				pt.Label = strconv.Itoa(i + 1)
				labelled++
			}
			m.Points = append(m.Points, pt)
			r := float64(pt.R)
			taken = append(taken, box{x - r, y - r, x + r, y + r})
		}
		if b != nil {
			m.Areas = boundaryAreas(b, project, taken)
		}
	}
	m.Desc = fmt.Sprintf("%s drawn by position, each circle larger the more links it has; the %d with the most are numbered as in the table. The same numbers are in the table.",
		plural(len(m.Points), "place", "places"), min(len(m.Points), mapLabels))
	if b != nil {
		m.Desc = fmt.Sprintf("The %s of the boundary %s outlined, and ", plural(len(b.Areas), "area", "areas"), b.Name) + m.Desc +
			" The links in each area are in the table of areas."
	}
	v.Map = m
	return v
}

// boundaryAreas outlines each area, dropping the points closer than a
// pixel to the one before, and names it where the name fits inside it
// without overlapping a place or another name (the largest first).
func boundaryAreas(b *lantern.AreaBoundary, project func(lon, lat float64) (float64, float64), taken []box) []mapArea {
	out := make([]mapArea, len(b.Areas))
	type labelAt struct {
		i    int
		size float64
		box  box
	}
	var labels []labelAt
	for i, a := range b.Areas {
		var d []byte
		ext := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, pg := range a.Polygons {
			for _, r := range pg {
				var pts [][2]float64
				for _, p := range r[:len(r)-1] {
					x, y := project(p[0], p[1])
					if n := len(pts); n > 0 && math.Abs(x-pts[n-1][0])+math.Abs(y-pts[n-1][1]) < 1 {
						continue
					}
					pts = append(pts, [2]float64{x, y})
					ext = box{math.Min(ext.x0, x), math.Min(ext.y0, y), math.Max(ext.x1, x), math.Max(ext.y1, y)}
				}
				if len(pts) < 3 {
					continue // smaller than a pixel or two
				}
				for j, p := range pts {
					if j == 0 {
						d = append(d, 'M')
					} else {
						d = append(d, 'L')
					}
					d = strconv.AppendFloat(d, p[0], 'f', 1, 64)
					d = append(d, ' ')
					d = strconv.AppendFloat(d, p[1], 'f', 1, 64)
				}
				d = append(d, 'Z')
			}
		}
		out[i] = mapArea{Name: a.Name, Path: string(d)}
		if lon, lat, ok := a.LabelPoint(); ok && len(d) > 0 {
			x, y := project(lon, lat)
			w := 6.5*float64(utf8.RuneCountInString(a.Name)) + 4
			if w <= ext.x1-ext.x0 {
				labels = append(labels, labelAt{i, (ext.x1 - ext.x0) * (ext.y1 - ext.y0), box{x - w/2, y - 12, x + w/2, y + 4}})
			}
		}
	}
	slices.SortStableFunc(labels, func(a, b labelAt) int { return cmp.Compare(b.size, a.size) })
	for _, l := range labels {
		if l.box.x0 < 0 || l.box.y0 < 0 || l.box.x1 > mapW || l.box.y1 > mapH ||
			slices.ContainsFunc(taken, func(t box) bool { return t.overlaps(l.box) }) {
			continue
		}
		taken = append(taken, l.box)
		a := &out[l.i]
		a.Label, a.LX, a.LY = a.Name, int(math.Round((l.box.x0+l.box.x1)/2)), int(math.Round(l.box.y1-4))
	}
	return out
}

// readHotspots is the hotspots for the period the query asks, or false
// after answering the error.
func (s *Server) readHotspots(w http.ResponseWriter, r *http.Request) (*lantern.Hotspots, bool) {
	from, to, err := parseHotspotPeriod(r.URL.Query(), lantern.Today(s.stNow()))
	if err == nil {
		var hs *lantern.Hotspots
		if hs, err = s.st.Hotspots(r.Context(), from, to); err == nil {
			return hs, true
		}
	}
	s.error(w, r, err)
	return nil, false
}

func (s *Server) hotspotsCSV(w http.ResponseWriter, r *http.Request) {
	hs, ok := s.readHotspots(w, r)
	if !ok {
		return
	}
	h, rows := hotspotCSV(hs)
	writeCSV(w, "hotspots.csv", h, rows)
}

// hotspotsAreasCSV is the links by area and month: a row an area of the
// boundary, then the places outside every area and with no position. With
// no boundary loaded, the header alone.
func (s *Server) hotspotsAreasCSV(w http.ResponseWriter, r *http.Request) {
	hs, ok := s.readHotspots(w, r)
	if !ok {
		return
	}
	header := append([]string{"area", "kind", "places", "links"}, hs.Months...)
	var rows [][]string
	add := func(name, kind string, a *lantern.AreaHotspot) {
		if a == nil {
			return
		}
		row := []string{name, kind, strconv.Itoa(a.Places), strconv.Itoa(a.Items)}
		by := map[string]int{}
		for _, m := range a.Months {
			by[m.Month] = m.Items
		}
		for _, m := range hs.Months {
			row = append(row, strconv.Itoa(by[m]))
		}
		rows = append(rows, row)
	}
	for _, a := range hs.Areas {
		add(a.Area, "area", a)
	}
	add("", "outside", hs.Outside)
	add("", "no-position", hs.NoPosition)
	writeCSV(w, "hotspot-areas.csv", header, rows)
}
