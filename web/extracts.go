package web

import (
	"encoding/csv"
	"net/http"
	"strings"

	"lantern"
	"lantern/figures/ssd"
	"lantern/store"
)

// The child-level extracts (docs/extracts.md): the Standard Safeguarding
// Dataset's tables as CSV, for the area's analysts. They name children, so
// they are never shared outside the area: no disclosure profile applies to
// them and no sharing flow offers them.

func (s *Server) extractRoutes() {
	s.handle("GET /reports/extracts", s.extractsPage)
	s.handle("GET /reports/extracts/{file}", s.extractCSV)
	s.handle("GET /api/v1/reports/extracts/{table}", s.apiExtract)
}

// extractsView is the extracts' page: the tables, the period and what the
// extracts leave out.
type extractsView struct {
	Tables   []ssd.Table
	From, To lantern.Date
	Cover    store.ExtractCover
	// Chosen says the period is good: the tables are offered.
	Chosen    bool
	DataModel string
	Commit    string
}

func (s *Server) extractsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Child-level extracts")
	p.Nav = "reports"
	q := r.URL.Query()
	p.Form = map[string]string{"from": q.Get("from"), "to": q.Get("to")}
	from, to, err := dateRange(r, lantern.Today(s.stNow()))
	v := &extractsView{Tables: ssd.Tables, From: from, To: to, DataModel: ssd.Source, Commit: ssd.SourceCommit}
	p.Data = v
	if err != nil {
		p.Errors = lantern.ErrorFields(err)
		s.render(w, r, http.StatusUnprocessableEntity, "extracts", p)
		return
	}
	if v.Cover, err = s.st.ExtractCover(r.Context(), from, to); err != nil {
		s.error(w, r, err)
		return
	}
	if p.Form["from"] == "" && p.Form["to"] == "" {
		p.Form["from"], p.Form["to"] = from.String(), to.String()
	}
	v.Chosen = true
	s.render(w, r, http.StatusOK, "extracts", p)
}

// extractCSV is /reports/extracts/{table}.csv.
func (s *Server) extractCSV(w http.ResponseWriter, r *http.Request) {
	table, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	if !ok {
		s.error(w, r, lantern.NotFound("Extract"))
		return
	}
	s.streamExtract(w, r, table)
}

// apiExtract is the same CSV under the API, its errors as problems.
func (s *Server) apiExtract(w http.ResponseWriter, r *http.Request) {
	s.streamExtract(w, r, r.PathValue("table"))
}

// streamExtract writes a table as RFC 4180 CSV, each cell neutralised
// against formulas (csvCell), as the store passes its rows: the response
// starts with the first row (or at the end, for a table with none), so
// that a refusal or bad input is still a clean error. An error after the
// response has started aborts it, so a broken download is never taken for
// a whole one.
func (s *Server) streamExtract(w http.ResponseWriter, r *http.Request, table string) {
	from, to, err := dateRange(r, lantern.Today(s.stNow()))
	if err == nil {
		_, err = ssd.TableByName(table)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	var cw *csv.Writer
	out := make([]string, 0, 16)
	write := func(rec []string) error {
		out = out[:0]
		for _, v := range rec {
			out = append(out, csvCell(v))
		}
		return cw.Write(out)
	}
	start := func() error {
		t, _ := ssd.TableByName(table)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+t.Name+"-"+from.String()+"-"+to.String()+`.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		cw = csv.NewWriter(w)
		cw.UseCRLF = true
		return write(t.Columns)
	}
	err = s.st.Extract(r.Context(), table, from, to, func(row []string) error {
		if cw == nil {
			if err := start(); err != nil {
				return err
			}
		}
		return write(row)
	})
	switch {
	case err != nil && cw == nil:
		s.error(w, r, err)
		return
	case err != nil:
		s.log.Warn("extract stopped", "table", table, "err", err)
		panic(http.ErrAbortHandler)
	case cw == nil:
		if err := start(); err != nil {
			return
		}
	}
	cw.Flush()
}
