package web

import (
	"bytes"
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"lantern"
	fig "lantern/figures"
	figchart "lantern/figures/chart"
	"lantern/figures/ods"
)

// The partnership's figures drawn and downloaded (docs/figures.md,
// "Charts, the trend, spreadsheets and the problem profile"): each table
// with its chart, the trend over months, quarters or years, the same
// tables as an OpenDocument spreadsheet, and the problem-profile pack as a
// printable page. Every chart is drawn from the table as published (after
// its profile's protection), so a chart never shows what its table does
// not.

// figureView is a table and its chart, as a page shows them.
type figureView struct {
	Table fig.Table
	Chart template.HTML
}

// tableFigures draws each table as fits it (figchart.ForTable).
func tableFigures(ts []fig.Table) []figureView {
	out := make([]figureView, len(ts))
	for i, t := range ts {
		out[i] = figureView{Table: t, Chart: figchart.ForTable(t)}
	}
	return out
}

// tableCell is a row's value in a column as the downloads write it: a cell
// the table lacks is not available (x), never zero.
func tableCell(r fig.Row, c string) fig.Value {
	if v, ok := r.Values[c]; ok {
		return v
	}
	return fig.Sym(fig.NotAvailable)
}

// tablesCSV is tables as the CSV downloads write them, a row a cell:
// table, row, column, value.
func tablesCSV(ts []fig.Table) [][]string {
	var rows [][]string
	for _, t := range ts {
		for _, row := range t.Rows {
			for _, c := range t.Columns {
				rows = append(rows, []string{t.ID, row.Label, c, csvValue(tableCell(row, c))})
			}
		}
	}
	return rows
}

// profileWords says what a profile does, for a spreadsheet's cover and the
// pack.
var profileWords = map[fig.Profile]string{
	fig.Internal: "internal: exact counts, for use inside the area only",
	fig.DfE:      "dfe: counts of 1 to 5 suppressed ([c]), and others where they would give one away",
	fig.NHS:      "nhs: counts of 1 to 7 suppressed ([c]), others rounded to the nearest 5",
	fig.ONS:      "ons-10-5: counts under 10 suppressed ([c]), others rounded to the nearest 5",
}

// figureNotes are the notes every download and the pack carry.
var figureNotes = []string{
	"Counts are distinct children over the period: a child is counted once however many concerns they had, and periods are never added together.",
	"The definitions of every measure are in Lantern's documentation, docs/figures.md.",
	"Small numbers are protected by the disclosure control profile named above before the tables leave the system.",
}

func periodWords(from, to lantern.Date) string { return from.Format() + " to " + to.Format() }

// writeODS answers tables as an OpenDocument spreadsheet download.
func (s *Server) writeODS(w http.ResponseWriter, r *http.Request, filename string, cover ods.Cover, ts []fig.Table) {
	var buf bytes.Buffer
	if err := ods.Write(&buf, ods.Tables(cover, ts)); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ods.MediaType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.WriteHeader(http.StatusOK)
	buf.WriteTo(w)
}

// datasetODS is the data set as a spreadsheet: a cover sheet, then a sheet
// a table, the same cells as the CSV.
func (s *Server) datasetODS(w http.ResponseWriter, r *http.Request) {
	v, err := s.dataset(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.writeODS(w, r, "dataset-"+v.From.String()+"-"+v.To.String()+"-"+string(v.Profile)+".ods",
		ods.Cover{Title: "The partnership's data set", Period: periodWords(v.From, v.To), Profile: profileWords[v.Profile], Notes: figureNotes}, v.Tables)
}

// trendView is the trend's page.
type trendView struct {
	Profile  fig.Profile
	Profiles []fig.Profile
	Period   string
	Periods  []string
	From, To lantern.Date
	// Figure is the trend, protected, and its chart.
	Figure figureView
	// Query is the page's query, for the downloads' links.
	Query string
}

// trend reads the period, its division and the profile asked for and
// counts the trend: 422 naming from and to (reversed, or over 20 years),
// period or profile.
func (s *Server) trend(r *http.Request) (*trendView, error) {
	from, to, err := dateRange(r, lantern.Today(s.stNow()))
	var p lantern.Problems
	p = append(p, lantern.ErrorFields(err)...)
	period := strings.TrimSpace(r.URL.Query().Get("period"))
	if period == "" {
		period = fig.Month
	}
	if !fig.ValidPeriod(period) {
		p.Add("period", "Period must be month, quarter or year")
	}
	profile := profileParam(r, fig.Internal, &p)
	area := areaOf(r.URL.Query(), &p)
	v := &trendView{Profile: profile, Profiles: fig.Profiles, Period: period, Periods: fig.TrendPeriods, From: from, To: to}
	if len(p) > 0 {
		return v, p.Err()
	}
	count, err := fig.NewTrend(from, to, period)
	if err != nil {
		return v, err
	}
	if err := s.st.TrendFacts(r.Context(), from, to, area, count.Add); err != nil {
		return v, err
	}
	t := count.Table()
	// Every period's counts protected as one table.
	t = fig.Protect(t, profile)
	v.Figure = figureView{Table: t}
	v.Query = "from=" + from.String() + "&to=" + to.String() + "&period=" + period + "&profile=" + string(profile)
	if area != nil {
		v.Query += "&area=" + url.QueryEscape(*area)
	}
	return v, nil
}

func (s *Server) trendPage(w http.ResponseWriter, r *http.Request) {
	s.reportPage(w, r, "The trend", "trend", []string{"from", "to", "period", "profile"}, func(p *page) (any, error) {
		v, err := s.trend(r)
		if err != nil {
			return v, err
		}
		p.Form["profile"] = cmp.Or(p.Form["profile"], string(v.Profile))
		p.Form["period"] = cmp.Or(p.Form["period"], v.Period)
		if p.Form["from"] == "" && p.Form["to"] == "" {
			p.Form["from"], p.Form["to"] = v.From.String(), v.To.String()
		}
		v.Figure.Chart = figchart.TrendChart(v.Figure.Table)
		return v, nil
	})
}

func (s *Server) trendCSV(w http.ResponseWriter, r *http.Request) {
	v, err := s.trend(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeCSV(w, "trend-"+v.Period+"-"+v.From.String()+"-"+v.To.String()+"-"+string(v.Profile)+".csv",
		[]string{"table", "row", "column", "value"}, tablesCSV([]fig.Table{v.Figure.Table}))
}

func (s *Server) trendODS(w http.ResponseWriter, r *http.Request) {
	v, err := s.trend(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.writeODS(w, r, "trend-"+v.Period+"-"+v.From.String()+"-"+v.To.String()+"-"+string(v.Profile)+".ods",
		ods.Cover{Title: "The trend, by " + v.Period, Period: periodWords(v.From, v.To), Profile: profileWords[v.Profile], Notes: figureNotes},
		[]fig.Table{v.Figure.Table})
}

// TrendAnswer is the body of GET /api/v1/reports/trend.
type TrendAnswer struct {
	Profile fig.Profile  `json:"profile"`
	Period  string       `json:"period"`
	From    lantern.Date `json:"from"`
	To      lantern.Date `json:"to"`
	Table   fig.Table    `json:"table"`
}

// apiTrend answers the trend: 422 naming period, profile, or from and to.
func (s *Server) apiTrend(w http.ResponseWriter, r *http.Request) {
	v, err := s.trend(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, TrendAnswer{Profile: v.Profile, Period: v.Period, From: v.From, To: v.To, Table: v.Figure.Table})
}

// packView is the problem-profile pack: one printable page.
type packView struct {
	Profile  fig.Profile
	Profiles []fig.Profile
	From, To lantern.Date
	// ProfileWords says what the profile does.
	ProfileWords string
	// Defaulted is set when no profile was asked for.
	Defaulted bool
	Figures   []figureView
	// Trend is over months for two years or less, quarters to six,
	// financial years beyond.
	Trend       figureView
	TrendPeriod string
	Notes       []string
	Symbols     [][2]string
	Query       string
}

// packPeriod is the trend's division for a pack: enough points, not too
// many to read.
func packPeriod(from, to lantern.Date) string {
	switch days := to.Time().Sub(from.Time()).Hours() / 24; {
	case days <= 2*366:
		return fig.Month
	case days <= 6*366:
		return fig.Quarter
	}
	return fig.Year
}

// profilePack is the problem-profile pack: the data set's tables and
// their charts, the trend, the notes and the symbols, on one page made to
// print (a printable page, not a PDF: no Go library writes tagged PDF,
// and an untagged one would shut out those who use a screen reader).
func (s *Server) profilePack(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Problem profile")
	p.Nav = "reports"
	q := r.URL.Query()
	p.Form = map[string]string{"from": q.Get("from"), "to": q.Get("to"), "profile": q.Get("profile")}
	from, to, err := dateRange(r, lantern.Today(s.stNow()))
	var probs lantern.Problems
	probs = append(probs, lantern.ErrorFields(err)...)
	// The pack is made to leave the area: the area's sharing profile when
	// none is asked for, not internal.
	profile := profileParam(r, s.shareProfile(), &probs)
	area := areaOf(q, &probs)
	v := &packView{Profile: profile, Profiles: fig.Profiles, From: from, To: to, ProfileWords: profileWords[profile],
		Defaulted: strings.TrimSpace(q.Get("profile")) == "", Notes: figureNotes, Symbols: ods.Symbols}
	if len(probs) > 0 {
		p.Errors = probs
		p.Data = v
		s.render(w, r, http.StatusUnprocessableEntity, "profile", p)
		return
	}
	facts, err := s.st.DatasetFacts(r.Context(), from, to, area)
	if err != nil {
		s.error(w, r, err)
		return
	}
	tables := fig.Dataset(*facts, from, to, s.cfg.Population)
	for i := range tables {
		tables[i] = fig.Protect(tables[i], profile)
	}
	v.Figures = tableFigures(tables)
	v.TrendPeriod = packPeriod(from, to)
	count, err := fig.NewTrend(from, to, v.TrendPeriod)
	if err == nil {
		err = s.st.TrendFacts(r.Context(), from, to, area, count.Add)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	t := count.Table()
	t = fig.Protect(t, profile)
	v.Trend = figureView{Table: t, Chart: figchart.TrendChart(t)}
	v.Query = "from=" + from.String() + "&to=" + to.String() + "&profile=" + string(profile)
	if area != nil {
		v.Query += "&area=" + url.QueryEscape(*area)
	}
	if p.Form["profile"] == "" {
		p.Form["profile"] = string(profile)
	}
	if p.Form["from"] == "" && p.Form["to"] == "" {
		p.Form["from"], p.Form["to"] = from.String(), to.String()
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "profile", p)
}

func init() {
	funcs["chartText"] = figchart.Text
	funcs["tableCell"] = tableCell
}
