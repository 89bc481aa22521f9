package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lantern"
	fig "lantern/figures"
)

// The partnership's data set as a page and a CSV download
// (docs/figures.md): the same tables as the API, under the profile asked.

func (s *Server) figuresPageRoutes() {
	s.handle("GET /reports/dataset", s.datasetPage)
	s.handle("GET /reports/dataset.csv", s.datasetCSV)
	s.handle("GET /reports/dataset.ods", s.datasetODS)
	s.handle("GET /reports/trend", s.trendPage)
	s.handle("GET /reports/trend.csv", s.trendCSV)
	s.handle("GET /reports/trend.ods", s.trendODS)
	s.handle("GET /reports/profile", s.profilePack)
}

// datasetView is the data set's page.
type datasetView struct {
	Profile  fig.Profile
	Profiles []fig.Profile
	From, To lantern.Date
	// Area is the local authority area asked for; nil, every area the
	// store holds.
	Area   *string
	Tables []fig.Table
	// Query is the page's query, for the download's link.
	Query string
	// Figures are the tables as the page shows them, each with its chart
	// (figures_charts.go).
	Figures []figureView
	// Hotspots are the ranked places, with their positions; Map draws
	// them (on the area's boundary, for those who may see it), under the
	// internal profile only: its marks carry exact counts.
	Hotspots []fig.HotspotPlace
	Map      *hotspotMap
}

// dataset reads the period and profile asked for and computes the tables.
func (s *Server) dataset(r *http.Request) (*datasetView, error) {
	return s.datasetOf(r.Context(), r.URL.Query())
}

// datasetOf reads the period, area and profile of a query (or a form) and
// computes the tables.
func (s *Server) datasetOf(ctx context.Context, q url.Values) (*datasetView, error) {
	v, err := s.datasetQuery(q)
	if err != nil {
		return v, err
	}
	facts, err := s.st.DatasetFacts(ctx, v.From, v.To, v.Area)
	if err != nil {
		return v, err
	}
	v.Tables = fig.Dataset(*facts, v.From, v.To, s.cfg.Population)
	v.Hotspots = fig.HotspotPlaces(*facts)
	for i := range v.Tables {
		v.Tables[i] = fig.Protect(v.Tables[i], v.Profile)
	}
	return v, nil
}

// datasetQuery reads the period, area and profile of a query, naming each
// that does not read.
func (s *Server) datasetQuery(q url.Values) (*datasetView, error) {
	today := lantern.Today(s.stNow())
	from, to, err := dateRangeOf(q, today)
	if strings.TrimSpace(q.Get("from")) == "" && strings.TrimSpace(q.Get("to")) == "" {
		from = financialYearStart(today) // the financial year so far
	}
	var p lantern.Problems
	p = append(p, lantern.ErrorFields(err)...)
	profile := profileOf(q, fig.Internal, &p)
	area := areaOf(q, &p)
	v := &datasetView{Profile: profile, Profiles: fig.Profiles, From: from, To: to, Area: area}
	v.Query = "from=" + from.String() + "&to=" + to.String() + "&profile=" + url.QueryEscape(string(profile))
	if area != nil {
		v.Query += "&area=" + url.QueryEscape(*area)
	}
	return v, p.Err()
}

// profileParam reads the disclosure control profile asked for, def when
// none is, adding a problem naming profile when it is not one.
func profileParam(r *http.Request, def fig.Profile, p *lantern.Problems) fig.Profile {
	return profileOf(r.URL.Query(), def, p)
}

// profileOf is profileParam of a query or a form.
func profileOf(q url.Values, def fig.Profile, p *lantern.Problems) fig.Profile {
	profile := fig.Profile(strings.TrimSpace(q.Get("profile")))
	if profile == "" {
		profile = def
	}
	if !profile.Valid() {
		p.Add("profile", "Profile must be one of internal, dfe, nhs, ons-10-5")
	}
	return profile
}

func (s *Server) datasetPage(w http.ResponseWriter, r *http.Request) {
	s.reportPage(w, r, "The partnership's data set", "dataset", []string{"from", "to", "profile"}, func(p *page) (any, error) {
		v, err := s.dataset(r)
		if err != nil {
			return v, err
		}
		v.Figures = tableFigures(v.Tables)
		if v.Profile == fig.Internal && len(v.Hotspots) > 0 {
			if v.Map, err = s.figureHotspotMap(r.Context(), p.User, v); err != nil {
				return v, err
			}
		}
		p.Form["profile"] = cmp.Or(p.Form["profile"], string(v.Profile))
		if p.Form["from"] == "" && p.Form["to"] == "" {
			p.Form["from"], p.Form["to"] = v.From.String(), v.To.String()
		}
		return v, nil
	})
}

// reportPage answers a figures page: its form as asked (fields of the
// query), and the view read builds; the form again with its problems
// named (422) when the query does not read.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, title, name string, fields []string, read func(p *page) (any, error)) {
	p := s.newPage(r, title)
	p.Nav = "reports"
	p.Form = map[string]string{}
	for _, f := range fields {
		p.Form[f] = r.URL.Query().Get(f)
	}
	v, err := read(p)
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		p.Errors = lantern.ErrorFields(err)
		p.Data = v
		s.render(w, r, http.StatusUnprocessableEntity, name, p)
	case err != nil:
		s.error(w, r, err)
	default:
		p.Data = v
		s.render(w, r, http.StatusOK, name, p)
	}
}

// datasetCSV is the data set as one CSV table, a row a cell: table, row,
// column, value. A symbol is written in brackets ([c]), as the Government
// Statistical Service asks of spreadsheets and CSV.
func (s *Server) datasetCSV(w http.ResponseWriter, r *http.Request) {
	v, err := s.dataset(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeCSV(w, "dataset-"+v.From.String()+"-"+v.To.String()+"-"+string(v.Profile)+".csv", datasetCSVHeader, tablesCSV(v.Tables))
}

var datasetCSVHeader = []string{"table", "row", "column", "value"}

// csvValue is a cell as CSV writes it.
func csvValue(v fig.Value) string {
	if !v.Published() {
		return "[" + v.Symbol + "]"
	}
	return strconv.FormatFloat(v.N, 'f', -1, 64)
}

// cellText is a cell as a page shows it.
func cellText(v fig.Value) string {
	if !v.Published() {
		return v.Symbol
	}
	return strconv.FormatFloat(v.N, 'f', -1, 64)
}

func init() {
	funcs["cellText"] = cellText
}

// financialYearStart is the 1 April on or before d.
func financialYearStart(d lantern.Date) lantern.Date {
	y := d.Year
	if d.Month < time.April {
		y--
	}
	return lantern.Date{Year: y, Month: time.April, Day: 1}
}

// figureHotspotMap draws the data set's hotspots as the intelligence
// hotspots' map does: on the area's boundary for those who may see it,
// else by position on a plain frame.
func (s *Server) figureHotspotMap(ctx context.Context, u *lantern.User, v *datasetView) (*hotspotMap, error) {
	hs := &lantern.Hotspots{From: v.From, To: v.To}
	if lantern.Allowed(u, lantern.ResAreaBoundary, lantern.ActRead, lantern.RelArea) {
		b, err := s.st.AreaBoundary(ctx)
		if err != nil {
			return nil, err
		}
		hs.Boundary = b
	}
	for _, h := range v.Hotspots {
		hs.Places = append(hs.Places, &lantern.Hotspot{Place: &lantern.NetworkNode{Type: lantern.EntityPlace, ID: h.ID, Label: h.Name},
			Lat: h.Lat, Lon: h.Lon, Items: h.Children + h.Persons, Children: h.Children, Persons: h.Persons})
	}
	return buildHotspotsView(hs, "").Map, nil
}

// areaOf reads the local authority area asked for: nil when none is
// (every area), "" the deployment's own; a problem naming area when it is
// not letters and digits, at most 20.
func areaOf(q url.Values, p *lantern.Problems) *string {
	a, ok := q["area"]
	if !ok {
		return nil
	}
	code := strings.TrimSpace(a[0])
	if len(code) > 20 || strings.IndexFunc(code, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) >= 0 {
		p.Add("area", "Area must be a local authority area's code: letters and digits, at most 20")
	}
	return &code
}
