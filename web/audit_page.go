package web

import (
	"maps"
	"net/http"
	"strconv"

	"lantern"
	auditlog "lantern/audit"
	"lantern/store"
)

const auditPerPage = 50

// auditView is a page of the audit trail's entries, newest first. The page
// has none when the search is not right, and shows no table.
type auditView struct {
	Entries []*auditlog.Entry
	Total   int
	// Prev and Next are the addresses of the pages either side, if any.
	Prev, Next string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.newPage(r, "Audit trail")
	p.Nav = "audit"
	p.Form = map[string]string{"user": q.Get("user"), "child": q.Get("child"), "action": q.Get("action"), "from": q.Get("from"), "to": q.Get("to")}
	f := store.AuditFilter{UserID: q.Get("user"), ChildID: q.Get("child"), Action: q.Get("action"), Limit: auditPerPage}
	if u := q.Get("user"); u != "" {
		// An auditor may search by email address as well as by id.
		if found, err := s.st.FindUserByEmailForAudit(r.Context(), u); err == nil {
			f.UserID = found
		}
	}
	var probs lantern.Problems
	for _, d := range []struct {
		field string
		into  *lantern.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(d.field); v != "" {
			date, err := lantern.ParseDate(v)
			if err != nil {
				probs.Add(d.field, "Enter the date as YYYY-MM-DD, for example 2026-11-22")
				continue
			}
			*d.into = date
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		probs.Add("to", "The end date must be the same as or after the start date")
	}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	f.Offset = (pageNo - 1) * auditPerPage
	if len(probs) > 0 {
		p.Errors = probs
		s.render(w, r, http.StatusUnprocessableEntity, "audit", p)
		return
	}
	es, total, err := s.st.SearchAudit(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// Whole addresses: html/template escapes a query string put after "?"
	// a second time, which would drop the filters.
	pageLink := func(n int) string {
		v := maps.Clone(q)
		v.Set("page", strconv.Itoa(n))
		return "/audit?" + v.Encode()
	}
	prevQ, nextQ := "", ""
	if pageNo > 1 {
		prevQ = pageLink(pageNo - 1)
	}
	if pageNo*auditPerPage < total {
		nextQ = pageLink(pageNo + 1)
	}
	p.Data = auditView{Entries: es, Total: total, Prev: prevQ, Next: nextQ}
	s.render(w, r, http.StatusOK, "audit", p)
}
