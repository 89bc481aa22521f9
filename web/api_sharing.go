package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"lantern"
	"lantern/store"
)

// Information sharing in the API (docs/information-governance.md): share
// records and decisions not to share, agreements, sealed records and
// breaking the glass.

func (s *Server) sharingAPIRoutes() {
	s.handle("POST /api/v1/children/{id}/shares", s.apiRecordShare)
	s.handle("GET /api/v1/children/{id}/shares", s.apiChildShares)
	s.handle("GET /api/v1/shares/received", s.apiSharesReceived)
	s.handle("GET /api/v1/reports/not-shared", s.apiNotShared)
	s.handle("GET /api/v1/agreements", s.apiAgreements)
	s.handle("POST /api/v1/agreements", s.apiCreateAgreement)
	s.handle("PUT /api/v1/agreements/{agid}", s.apiReviseAgreement)
	s.handle("GET /api/v1/children/{id}/seal", s.apiSeal)
	s.handle("POST /api/v1/children/{id}/seal", s.apiSealChild)
	s.handle("DELETE /api/v1/children/{id}/seal", s.apiUnsealChild)
	s.handle("POST /api/v1/children/{id}/seal/allow-list", s.apiAllowList)
	s.handle("POST /api/v1/children/{id}/break-glass", s.apiBreakGlass)
	s.handle("GET /api/v1/break-glass", s.apiBreakGlassReviews)
	s.handle("POST /api/v1/break-glass/{bgid}/review", s.apiReviewBreakGlass)
}

// ShareBody is the body of POST /api/v1/children/{id}/shares: the share,
// its time read as text so that a bad one is named.
type ShareBody struct {
	lantern.ShareRequest
	SharedAt string `json:"shared_at,omitempty"`
}

func (s *Server) apiRecordShare(w http.ResponseWriter, r *http.Request) {
	var body ShareBody
	if err := decodeJSON(r, &body); err != nil {
		s.error(w, r, err)
		return
	}
	req := body.ShareRequest
	if v := strings.TrimSpace(body.SharedAt); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "shared_at", Message: "Give the time as RFC 3339, with its offset"}))
			return
		}
		req.SharedAt = &t
	}
	sh, err := s.st.RecordShare(r.Context(), r.PathValue("id"), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sh)
}

func (s *Server) apiChildShares(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.ChildShares(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"shares": l})
}

func (s *Server) apiSharesReceived(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.SharedWithAgency(r.Context(), 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"shares": l})
}

// dateRange reads from and to (YYYY-MM-DD) from the query, naming either
// that does not read, a to before from, or a span over 20 years.
func dateRange(r *http.Request, today lantern.Date) (lantern.Date, lantern.Date, error) {
	return dateRangeOf(r.URL.Query(), today)
}

// dateRangeOf is dateRange of a query or a form.
func dateRangeOf(q url.Values, today lantern.Date) (lantern.Date, lantern.Date, error) {
	var p lantern.Problems
	from, to := today.AddDays(-365), today
	if v := strings.TrimSpace(q.Get("from")); v != "" {
		d, err := lantern.ParseDate(v)
		if err != nil {
			p.Add("from", "Enter the start as YYYY-MM-DD")
		}
		from = d
	}
	if v := strings.TrimSpace(q.Get("to")); v != "" {
		d, err := lantern.ParseDate(v)
		if err != nil {
			p.Add("to", "Enter the end as YYYY-MM-DD")
		}
		to = d
	}
	if len(p) == 0 {
		// Both dates are named: either may be the one to change.
		switch {
		case to.Before(from):
			p.Add("from", "The start must be on or before the end")
			p.Add("to", "The end must be on or after the start")
		case to.After(from.AddDays(366 * 20)):
			p.Add("from", "The period can be at most 20 years: start later")
			p.Add("to", "The period can be at most 20 years: end sooner")
		}
	}
	return from, to, p.Err()
}

func (s *Server) apiNotShared(w http.ResponseWriter, r *http.Request) {
	from, to, err := dateRange(r, lantern.Today(s.stNow()))
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.st.NotSharedByMonth(r.Context(), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from, "to": to, "counts": l})
}

func (s *Server) apiAgreements(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.Agreements(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"agreements": l})
}

func (s *Server) apiCreateAgreement(w http.ResponseWriter, r *http.Request) {
	var in lantern.AgreementInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.st.SaveAgreement(r.Context(), "", in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiReviseAgreement(w http.ResponseWriter, r *http.Request) {
	var in lantern.AgreementInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if in.Version == 0 {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "version", Message: "Send the version you are replacing"}))
		return
	}
	a, err := s.st.SaveAgreement(r.Context(), r.PathValue("agid"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiSeal(w http.ResponseWriter, r *http.Request) {
	seal, err := s.st.SealOf(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sealed": seal != nil, "seal": seal})
}

// SealBody is the body of POST /api/v1/children/{id}/seal, its date read
// as text so that a bad one is named.
type SealBody struct {
	lantern.SealRequest
	ReviewOn string `json:"review_on"`
}

func (s *Server) apiSealChild(w http.ResponseWriter, r *http.Request) {
	var body SealBody
	if err := decodeJSON(r, &body); err != nil {
		s.error(w, r, err)
		return
	}
	req := body.SealRequest
	if v := strings.TrimSpace(body.ReviewOn); v != "" {
		d, err := lantern.ParseDate(v)
		if err != nil {
			s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "review_on", Message: "Enter the review date as YYYY-MM-DD"}))
			return
		}
		req.ReviewOn = d
	}
	seal, err := s.st.SealChild(r.Context(), r.PathValue("id"), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, seal)
}

func (s *Server) apiUnsealChild(w http.ResponseWriter, r *http.Request) {
	if err := s.st.UnsealChild(r.Context(), r.PathValue("id")); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// AllowListRequest changes a sealed record's allow-list.
type AllowListRequest struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

func (s *Server) apiAllowList(w http.ResponseWriter, r *http.Request) {
	var req AllowListRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	seal, err := s.st.ChangeAllowList(r.Context(), r.PathValue("id"), req.Add, req.Remove)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, seal)
}

func (s *Server) apiBreakGlass(w http.ResponseWriter, r *http.Request) {
	var req lantern.BreakGlassRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.st.BreakGlass(r.Context(), r.PathValue("id"), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiBreakGlassReviews(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.BreakGlassReviews(r.Context(), store.BreakGlassFilter{All: r.URL.Query().Get("status") == "all"})
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"accesses": l})
}

func (s *Server) apiReviewBreakGlass(w http.ResponseWriter, r *http.Request) {
	var req lantern.ReviewRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.st.ReviewBreakGlass(r.Context(), r.PathValue("bgid"), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
