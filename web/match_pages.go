package web

import (
	"net/http"
	"strconv"

	"lantern"
	"lantern/match"
	"lantern/store"
)

func (s *Server) matchRoutes() {
	s.handle("GET /api/v1/children/matches", s.apiMatches)
	s.handle("POST /api/v1/children/{id}/merge", s.apiMerge)
	s.handle("GET /children/{id}/merge", s.mergePage)
	s.handle("POST /children/{id}/merge", s.mergeChildPage)
}

// apiMatches finds possible existing records for a child about to be
// created, among those the caller may see.
func (s *Server) apiMatches(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var p lantern.Problems
	dob := q.Get("date_of_birth")
	d := parseDateField(&p, "date_of_birth", &dob, true)
	if q.Get("given_name") == "" && q.Get("family_name") == "" {
		p.Add("family_name", "Give a given name or a family name")
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	ms, err := s.st.FindMatches(r.Context(), match.Query{GivenName: q.Get("given_name"), FamilyName: q.Get("family_name"), DateOfBirth: d}, limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if ms == nil {
		ms = []store.Match{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"matches": ms})
}

// MergeRequest merges another record into the one named in the path.
type MergeRequest struct {
	OtherID      string `json:"other_id"`
	Version      *int   `json:"version"`
	OtherVersion *int   `json:"other_version"`
}

func (s *Server) apiMerge(w http.ResponseWriter, r *http.Request) {
	var req MergeRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	if req.OtherID == "" {
		p.Add("other_id", "Give the id of the record to merge into this one")
	}
	if req.Version == nil {
		p.Add("version", "Give this record's version")
	}
	if req.OtherVersion == nil {
		p.Add("other_version", "Give the other record's version")
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.st.MergeChildren(r.Context(), r.PathValue("id"), req.OtherID, *req.Version, *req.OtherVersion)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// mergeView is the page merging another record into a child's: the
// possible matches, or, once one is chosen, the two side by side.
type mergeView struct {
	Child   *lantern.Child
	Matches []store.Match
	Other   *lantern.Child // the record chosen, if any
}

func (s *Server) mergePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.st.FindChildByID(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	ms, err := s.st.FindMatches(ctx, match.Query{GivenName: c.GivenName, FamilyName: c.FamilyName, DateOfBirth: c.DateOfBirth}, 10)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var others []store.Match
	for _, m := range ms {
		if m.Child.ID != c.ID {
			others = append(others, m)
		}
	}
	p := s.newPage(r, "Merge records")
	p.Nav = "children"
	v := mergeView{Child: c, Matches: others}
	if id := r.URL.Query().Get("other"); id != "" {
		if v.Other, err = s.st.FindChildByID(ctx, id); err != nil {
			s.error(w, r, err)
			return
		}
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "merge", p)
}

func (s *Server) mergeChildPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v1, _ := strconv.Atoi(form.Get("version"))
	v2, _ := strconv.Atoi(form.Get("other_version"))
	c, err := s.st.MergeChildren(r.Context(), r.PathValue("id"), form.Get("other_id"), v1, v2)
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/"+c.ID+"?done=merged")
}

// childMatchesView is the records that may be the child about to be
// created, and the details given for it.
type childMatchesView struct {
	Matches []store.Match
	Input   lantern.ChildInput
}

// possibleMatches shows records that may be the child before a new one is
// made; the person chooses. Nothing is merged automatically.
func (s *Server) possibleMatches(w http.ResponseWriter, r *http.Request, in lantern.ChildInput, form map[string]string) bool {
	ms, err := s.st.FindMatches(r.Context(), match.Query{GivenName: in.GivenName, FamilyName: in.FamilyName, DateOfBirth: in.DateOfBirth}, 10)
	if err != nil {
		s.error(w, r, err)
		return true
	}
	if len(ms) == 0 {
		return false
	}
	p := s.newPage(r, "This child may already have a record")
	p.Nav = "children"
	p.Form = form
	p.Data = childMatchesView{Matches: ms, Input: in}
	s.render(w, r, http.StatusOK, "child_matches", p)
	return true
}
