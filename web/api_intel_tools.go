package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lantern"
)

// The analyst's tools (docs/intelligence.md#the-analysts-tools): the
// shortest path between two things, the associates children share, the
// groups, the most connected, a thing's timeline and the hotspots. For
// those who read intelligence.

func (s *Server) intelToolAPIRoutes() {
	s.handle("GET /api/v1/intelligence/path", s.apiIntelPath)
	s.handle("GET /api/v1/intelligence/shared", s.apiIntelShared)
	s.handle("GET /api/v1/intelligence/groups", s.apiIntelGroups)
	s.handle("GET /api/v1/intelligence/most-connected", s.apiMostConnected)
	s.handle("GET /api/v1/intelligence/timeline", s.apiIntelTimeline)
	s.handle("GET /api/v1/intelligence/hotspots", s.apiHotspots)
}

// toolFilters reads the filters the graph tools share with the network:
// kind, least, and the period as seen_from and seen_to (from and to name
// the path's ends).
func toolFilters(q url.Values) (lantern.NetworkQuery, error) {
	f := url.Values{}
	for k, as := range map[string]string{"kind": "kind", "least": "least", "seen_from": "from", "seen_to": "to"} {
		if v, ok := q[k]; ok {
			f[as] = v
		}
	}
	nq, err := lantern.ParseNetworkQuery(f)
	nq.Hops = 0
	if err != nil {
		fs := lantern.ErrorFields(err)
		for i := range fs {
			if fs[i].Field == "from" || fs[i].Field == "to" {
				fs[i].Field = "seen_" + fs[i].Field
			}
		}
		return nq, lantern.Invalid(fs...)
	}
	return nq, nil
}

// pathQuery is a path's request: from, to, hops and the filters.
type pathQuery struct {
	From, To lantern.EntityRef
	Hops     int
	Filters  lantern.NetworkQuery
}

func parsePathQuery(q url.Values) (pathQuery, error) {
	var p lantern.Problems
	pq := pathQuery{Hops: lantern.MaxPathHops}
	var err error
	if pq.From, err = lantern.ParseEntityRef("from", q.Get("from")); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	if pq.To, err = lantern.ParseEntityRef("to", q.Get("to")); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	if err == nil && pq.From == pq.To && pq.From.ID != "" {
		p.Add("to", "Choose two different records")
	}
	if v := strings.TrimSpace(q.Get("hops")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > lantern.MaxPathHops {
			p.Add("hops", "hops must be from 1 to 6")
		}
		pq.Hops = n
	}
	if pq.Filters, err = toolFilters(q); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	return pq, p.Err()
}

func (s *Server) apiIntelPath(w http.ResponseWriter, r *http.Request) {
	pq, err := parsePathQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.st.ShortestPath(r.Context(), pq.From, pq.To, pq.Hops, pq.Filters)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// sharedQuery is a shared associates' request.
type sharedQuery struct {
	Children []string
	Hops     int
	Filters  lantern.NetworkQuery
}

func parseSharedQuery(q url.Values) (sharedQuery, error) {
	var p lantern.Problems
	sq := sharedQuery{Hops: lantern.MaxSharedHops}
	for _, v := range q["child"] {
		for _, id := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' }) {
			if len(id) > 64 || strings.ContainsAny(id, "/?#&") {
				p.Add("child", "Give each child's id")
				break
			}
			sq.Children = append(sq.Children, id)
		}
	}
	if len(sq.Children) < 2 || len(sq.Children) > lantern.MaxSharedChildren {
		p.Add("child", "Choose from 2 to 20 children, by their ids")
	}
	switch v := strings.TrimSpace(q.Get("hops")); v {
	case "":
	case "1", "2":
		sq.Hops = int(v[0] - '0')
	default:
		p.Add("hops", "hops must be 1 or 2")
	}
	var err error
	if sq.Filters, err = toolFilters(q); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	return sq, p.Err()
}

func (s *Server) apiIntelShared(w http.ResponseWriter, r *http.Request) {
	sq, err := parseSharedQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.st.SharedAssociates(r.Context(), sq.Children, sq.Hops, sq.Filters)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// groupsQuery is a groups' request.
type groupsQuery struct {
	Limit, MinSize int
	Filters        lantern.NetworkQuery
}

func parseGroupsQuery(q url.Values) (groupsQuery, error) {
	var p lantern.Problems
	var gq groupsQuery
	var err error
	if gq.Limit, err = lantern.ParseToolLimit("limit", q.Get("limit"), 20, lantern.MaxToolRows); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	if gq.MinSize, err = lantern.ParseToolLimit("min_size", q.Get("min_size"), 3, 10_000); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	if gq.Filters, err = toolFilters(q); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	return gq, p.Err()
}

// groupCSV is the groups as CSV rows.
func groupCSV(gs *lantern.IntelGroups) ([]string, [][]string) {
	header := []string{"rank", "size", "children", "persons", "vehicles", "phones", "places", "accounts", "most_connected"}
	var rows [][]string
	for _, g := range gs.Groups {
		var top []string
		for _, n := range g.Top {
			top = append(top, n.Label+" ("+string(n.Type)+":"+n.ID+")")
		}
		rows = append(rows, []string{strconv.Itoa(g.Rank), strconv.Itoa(g.Size), strconv.Itoa(g.Children),
			strconv.Itoa(g.ByType[lantern.EntityPerson]), strconv.Itoa(g.ByType[lantern.EntityVehicle]), strconv.Itoa(g.ByType[lantern.EntityPhone]),
			strconv.Itoa(g.ByType[lantern.EntityPlace]), strconv.Itoa(g.ByType[lantern.EntityAccount]), strings.Join(top, "; ")})
	}
	return header, rows
}

func (s *Server) apiIntelGroups(w http.ResponseWriter, r *http.Request) {
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
	if wantsCSV(r) {
		h, rows := groupCSV(gs)
		writeCSV(w, "groups.csv", h, rows)
		return
	}
	writeJSON(w, http.StatusOK, gs)
}

// mostConnectedQuery is the most connected's request.
type mostConnectedQuery struct {
	Type    lantern.EntityType
	Limit   int
	Filters lantern.NetworkQuery
}

func parseMostConnectedQuery(q url.Values) (mostConnectedQuery, error) {
	var p lantern.Problems
	mq := mostConnectedQuery{Type: lantern.EntityType(strings.TrimSpace(q.Get("type")))}
	if mq.Type != "" && (!mq.Type.Valid() || mq.Type == lantern.EntityChild) {
		p.Add("type", "Choose a person, vehicle, phone, place or account: children are not ranked")
	}
	var err error
	if mq.Limit, err = lantern.ParseToolLimit("limit", q.Get("limit"), 25, lantern.MaxToolRows); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	if mq.Filters, err = toolFilters(q); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	return mq, p.Err()
}

// MostConnectedResponse is the most connected things.
type MostConnectedResponse struct {
	Nodes []*lantern.NetworkNode `json:"nodes"`
}

func mostConnectedCSV(ns []*lantern.NetworkNode) ([]string, [][]string) {
	var rows [][]string
	for i, n := range ns {
		rows = append(rows, []string{strconv.Itoa(i + 1), string(n.Type), n.ID, n.Label, strconv.Itoa(n.Links), strconv.FormatBool(n.Hub)})
	}
	return []string{"rank", "type", "id", "label", "links", "hub"}, rows
}

func (s *Server) apiMostConnected(w http.ResponseWriter, r *http.Request) {
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
	if wantsCSV(r) {
		h, rows := mostConnectedCSV(ns)
		writeCSV(w, "most-connected.csv", h, rows)
		return
	}
	writeJSON(w, http.StatusOK, MostConnectedResponse{Nodes: ns})
}

func (s *Server) apiIntelTimeline(w http.ResponseWriter, r *http.Request) {
	ref, err := lantern.ParseEntityRef("entity", r.URL.Query().Get("entity"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	tl, err := s.st.Timeline(r.Context(), ref)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tl)
}

// parseHotspotPeriod reads from and to, the last twelve months to today
// by default.
func parseHotspotPeriod(q url.Values, today lantern.Date) (from, to lantern.Date, err error) {
	var p lantern.Problems
	to = today
	from = lantern.DateOf(today.Time().AddDate(0, -11, 0))
	from.Day = 1
	for _, f := range []struct {
		name string
		d    *lantern.Date
	}{{"from", &from}, {"to", &to}} {
		if v := strings.TrimSpace(q.Get(f.name)); v != "" {
			d, err := lantern.ParseDate(v)
			if err != nil {
				p.Add(f.name, "Enter the date as YYYY-MM-DD")
				continue
			}
			*f.d = d
		}
	}
	if len(p) == 0 && to.Before(from) {
		p.Add("to", "The end must not be before the start")
	}
	if len(p) == 0 && len(lantern.MonthsBetween(from, to)) > lantern.MaxHotspotMonths {
		p.Add("from", "Choose a period of 36 months or less")
	}
	return from, to, p.Err()
}

func hotspotCSV(hs *lantern.Hotspots) ([]string, [][]string) {
	header := []string{"place_id", "place", "lat", "lon", "links", "children", "children_not_visible", "persons"}
	header = append(header, hs.Months...)
	var rows [][]string
	ff := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	for _, h := range hs.Places {
		row := []string{h.Place.ID, h.Place.Label, ff(h.Lat), ff(h.Lon), strconv.Itoa(h.Items), strconv.Itoa(h.Children),
			strconv.Itoa(h.HiddenChildren), strconv.Itoa(h.Persons)}
		by := map[string]int{}
		for _, m := range h.Months {
			by[m.Month] = m.Items
		}
		for _, m := range hs.Months {
			row = append(row, strconv.Itoa(by[m]))
		}
		rows = append(rows, row)
	}
	return header, rows
}

func (s *Server) apiHotspots(w http.ResponseWriter, r *http.Request) {
	hs, ok := s.readHotspots(w, r)
	if !ok {
		return
	}
	if wantsCSV(r) {
		h, rows := hotspotCSV(hs)
		writeCSV(w, "hotspots.csv", h, rows)
		return
	}
	writeJSON(w, http.StatusOK, hs)
}
