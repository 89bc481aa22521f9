package web

import (
	"net/http"
	"strings"

	"lantern"
	"lantern/store"
)

// The strategy action plan and the register of policies in the API
// (docs/strategy.md).

func (s *Server) strategyAPIRoutes() {
	s.handle("GET /api/v1/strategy", s.apiStrategy)
	s.handle("POST /api/v1/strategy/strands", s.apiCreateStrand)
	s.handle("POST /api/v1/strategy/actions", s.apiCreatePlanAction)
	s.handle("GET /api/v1/strategy/actions/{actid}", s.apiPlanAction)
	s.handle("PUT /api/v1/strategy/actions/{actid}", s.apiChangePlanAction)
	s.handle("POST /api/v1/strategy/actions/{actid}/notes", s.apiAddProgressNote)
	s.handle("GET /api/v1/strategy/board", s.apiStrategyBoard)
	s.handle("POST /api/v1/strategy/boards", s.apiRecordBoard)
	s.handle("GET /api/v1/policies", s.apiPolicies)
	s.handle("POST /api/v1/policies", s.apiCreatePolicy)
	s.handle("GET /api/v1/policies/{docid}", s.apiPolicy)
	s.handle("PUT /api/v1/policies/{docid}", s.apiChangePolicy)
}

func (s *Server) apiStrategy(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.Strands(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"strands": l})
}

func (s *Server) apiCreateStrand(w http.ResponseWriter, r *http.Request) {
	var in lantern.StrandInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	st, err := s.st.SaveStrand(r.Context(), "", in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, st)
}

func (s *Server) apiCreatePlanAction(w http.ResponseWriter, r *http.Request) {
	s.apiSavePlanAction(w, r, "", http.StatusCreated)
}

func (s *Server) apiChangePlanAction(w http.ResponseWriter, r *http.Request) {
	s.apiSavePlanAction(w, r, r.PathValue("actid"), http.StatusOK)
}

func (s *Server) apiSavePlanAction(w http.ResponseWriter, r *http.Request, id string, status int) {
	var in lantern.PlanActionInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.st.SavePlanAction(r.Context(), id, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, status, a)
}

func (s *Server) apiPlanAction(w http.ResponseWriter, r *http.Request) {
	a, err := s.st.PlanAction(r.Context(), r.PathValue("actid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiAddProgressNote(w http.ResponseWriter, r *http.Request) {
	var in lantern.NoteInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.st.AddProgressNote(r.Context(), r.PathValue("actid"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiStrategyBoard(w http.ResponseWriter, r *http.Request) {
	v, err := s.st.StrategyBoard(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiRecordBoard(w http.ResponseWriter, r *http.Request) {
	var in lantern.BoardInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	b, err := s.st.RecordBoard(r.Context(), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

// registerFilter reads the register's filter from the query: status, sort,
// and overdue=yes.
func registerFilter(r *http.Request) store.RegisterFilter {
	q := r.URL.Query()
	return store.RegisterFilter{Status: lantern.DocStatus(strings.TrimSpace(q.Get("status"))), Sort: strings.TrimSpace(q.Get("sort")),
		Overdue: q.Get("overdue") == "yes" || q.Get("overdue") == "true"}
}

func (s *Server) apiPolicies(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.PolicyDocuments(r.Context(), registerFilter(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": l})
}

func (s *Server) apiPolicy(w http.ResponseWriter, r *http.Request) {
	d, err := s.st.PolicyDocument(r.Context(), r.PathValue("docid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiCreatePolicy(w http.ResponseWriter, r *http.Request) {
	s.apiSavePolicy(w, r, "", http.StatusCreated)
}

func (s *Server) apiChangePolicy(w http.ResponseWriter, r *http.Request) {
	s.apiSavePolicy(w, r, r.PathValue("docid"), http.StatusOK)
}

func (s *Server) apiSavePolicy(w http.ResponseWriter, r *http.Request, id string, status int) {
	var in lantern.PolicyDocumentInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.st.SavePolicyDocument(r.Context(), id, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, status, d)
}
