package web

import (
	"net/http"
	"strconv"
	"strings"

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
	Tables   []fig.Table
	// Query is the page's query, for the download's link.
	Query string
	// Figures are the tables as the page shows them, each with its chart
	// (figures_charts.go).
	Figures []figureView
}

// dataset reads the period and profile asked for and computes the tables.
func (s *Server) dataset(r *http.Request) (*datasetView, error) {
	from, to, err := dateRange(r, lantern.Today(s.stNow()))
	var p lantern.Problems
	p = append(p, lantern.ErrorFields(err)...)
	profile := profileParam(r, fig.Internal, &p)
	v := &datasetView{Profile: profile, Profiles: fig.Profiles, From: from, To: to}
	if len(p) > 0 {
		return v, p.Err()
	}
	facts, err := s.st.DatasetFacts(r.Context(), to)
	if err != nil {
		return v, err
	}
	v.Tables = fig.Dataset(facts, from, to, s.cfg.Population)
	for i := range v.Tables {
		v.Tables[i] = fig.Protect(v.Tables[i], profile)
	}
	v.Query = "from=" + from.String() + "&to=" + to.String() + "&profile=" + string(profile)
	return v, nil
}

// profileParam reads the disclosure control profile asked for, def when
// none is, adding a problem naming profile when it is not one.
func profileParam(r *http.Request, def fig.Profile, p *lantern.Problems) fig.Profile {
	profile := fig.Profile(strings.TrimSpace(r.URL.Query().Get("profile")))
	if profile == "" {
		profile = def
	}
	if !profile.Valid() {
		p.Add("profile", "Profile must be one of internal, dfe, nhs, ons-10-5")
	}
	return profile
}

func (s *Server) datasetPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "The partnership's data set")
	p.Nav = "reports"
	q := r.URL.Query()
	p.Form = map[string]string{"from": q.Get("from"), "to": q.Get("to"), "profile": q.Get("profile")}
	v, err := s.dataset(r)
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		p.Errors = lantern.ErrorFields(err)
		p.Data = v
		s.render(w, r, http.StatusUnprocessableEntity, "dataset", p)
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	if p.Form["profile"] == "" {
		p.Form["profile"] = string(v.Profile)
	}
	if p.Form["from"] == "" && p.Form["to"] == "" {
		p.Form["from"], p.Form["to"] = v.From.String(), v.To.String()
	}
	v.Figures = tableFigures(v.Tables)
	p.Data = v
	s.render(w, r, http.StatusOK, "dataset", p)
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
	rows := tablesCSV(v.Tables)
	writeCSV(w, "dataset-"+v.From.String()+"-"+v.To.String()+"-"+string(v.Profile)+".csv", []string{"table", "row", "column", "value"}, rows)
}

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
