package web

import (
	"net/http"
	"strings"

	"lantern"
	fig "lantern/figures"
)

// The partnership's data set in the API (docs/figures.md).

func (s *Server) figuresAPIRoutes() {
	s.handle("GET /api/v1/reports/dataset", s.apiDataset)
}

// DatasetAnswer is the body of GET /api/v1/reports/dataset.
type DatasetAnswer struct {
	Profile fig.Profile  `json:"profile"`
	From    lantern.Date `json:"from"`
	To      lantern.Date `json:"to"`
	Tables  []fig.Table  `json:"tables"`
}

// apiDataset answers the data set for a period under a disclosure control
// profile (internal when none is asked for): 422 naming from, to or
// profile when one does not read, to is before from, or the span is over
// 20 years.
func (s *Server) apiDataset(w http.ResponseWriter, r *http.Request) {
	from, to, err := dateRange(r, lantern.Today(s.stNow()))
	profile := fig.Profile(strings.TrimSpace(r.URL.Query().Get("profile")))
	if profile == "" {
		profile = fig.Internal
	}
	var p lantern.Problems
	p = append(p, lantern.ErrorFields(err)...)
	if !profile.Valid() {
		p.Add("profile", "Profile must be one of internal, dfe, nhs, ons-10-5")
	}
	if len(p) > 0 {
		s.error(w, r, p.Err())
		return
	}
	facts, err := s.st.DatasetFacts(r.Context(), to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	tables := fig.Dataset(facts, from, to, s.cfg.Population)
	for i := range tables {
		tables[i] = fig.Protect(tables[i], profile)
	}
	writeJSON(w, http.StatusOK, DatasetAnswer{Profile: profile, From: from, To: to, Tables: tables})
}
