package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"lantern"
)

// statuses maps error codes to HTTP statuses: the one table.
var statuses = map[lantern.Code]int{
	lantern.EBADREQUEST:   http.StatusBadRequest,
	lantern.EINVALID:      http.StatusUnprocessableEntity,
	lantern.ENOTFOUND:     http.StatusNotFound,
	lantern.ECONFLICT:     http.StatusConflict,
	lantern.EUNAUTHORIZED: http.StatusUnauthorized,
	lantern.EFORBIDDEN:    http.StatusForbidden,
	lantern.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	lantern.ERATELIMITED:  http.StatusTooManyRequests,
	lantern.EUNAVAILABLE:  http.StatusServiceUnavailable,
	lantern.EINTERNAL:     http.StatusInternalServerError,
}

func statusOf(err error) int {
	if st, ok := statuses[lantern.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type    string               `json:"type"`
	Title   string               `json:"title"`
	Status  int                  `json:"status"`
	Detail  string               `json:"detail"`
	Errors  []lantern.FieldError `json:"errors,omitempty"`
	Current any                  `json:"current,omitempty"`
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// error answers with err: problem+json for the API, a page for people. An
// internal error's cause is logged, with the request's path, never shown.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	st := statusOf(err)
	if r.Context().Err() != nil {
		// The client hung up: what failed after is its going, not a fault
		// of the service, and there is no one to answer.
		noteClientGone(r.Context())
		s.log.Debug("client went away", "method", r.Method, "err", err)
		return
	}
	if st == http.StatusInternalServerError {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if isAPI(r) {
		s.problem(w, st, err)
		return
	}
	s.errorPage(w, r, st, err)
}

func (s *Server) problem(w http.ResponseWriter, st int, err error) {
	p := Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Detail: lantern.ErrorMessage(err), Errors: lantern.ErrorFields(err)}
	if le, ok := err.(*lantern.Error); ok && le.Code == lantern.ECONFLICT {
		p.Current = le.Current
	}
	if st == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="lantern"`)
	}
	retryAfter(w, st)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(st)
	json.NewEncoder(w).Encode(p)
}

// retryAfter says when to try again: a second when busy, the failure
// window when rate-limited.
func retryAfter(w http.ResponseWriter, st int) {
	switch st {
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "1")
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "900")
	}
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, st int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(st)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}
