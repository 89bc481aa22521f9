package web

import (
	"net/http"

	"lantern"
	fig "lantern/figures"
)

// The partnership's data set in the API (docs/figures.md).

func (s *Server) figuresAPIRoutes() {
	s.handle("GET /api/v1/reports/dataset", s.apiDataset)
	s.handle("GET /api/v1/reports/trend", s.apiTrend) // figures_charts.go
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
	v, err := s.dataset(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, DatasetAnswer{Profile: v.Profile, From: v.From, To: v.To, Tables: v.Tables})
}
