package web

import (
	"errors"
	"io"
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

// The bodies read their dates as text, so that one that does not read is
// 422 naming its field, as a form's is.

// PlanActionBody is the body of an action: due_on empty or null is
// ongoing.
type PlanActionBody struct {
	lantern.PlanActionInput
	DueOn string `json:"due_on"`
}

// NoteBody is the body of a progress note.
type NoteBody struct {
	lantern.NoteInput
	On string `json:"on"`
}

// BoardBody is the body of a board.
type BoardBody struct {
	lantern.BoardInput
	HeldOn string `json:"held_on"`
}

// PolicyBody is the body of a document of the register.
type PolicyBody struct {
	lantern.PolicyDocumentInput
	IssuedOn  string `json:"issued_on"`
	ReviewDue string `json:"review_due"`
}

// bodyDate reads an optional date of a body, naming its field.
func bodyDate(p *lantern.Problems, field, v string) *lantern.Date {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	d, err := lantern.ParseDate(v)
	if err != nil {
		p.Add(field, "Give the date as YYYY-MM-DD")
		return nil
	}
	return &d
}

// DecodePlanAction reads an action's body (and is fuzzed).
func DecodePlanAction(body []byte) (lantern.PlanActionInput, error) {
	var b PlanActionBody
	if err := DecodeJSON(body, &b); err != nil {
		return b.PlanActionInput, err
	}
	var p lantern.Problems
	b.PlanActionInput.DueOn = bodyDate(&p, "due_on", b.DueOn)
	return b.PlanActionInput, p.Err()
}

// DecodeNote reads a progress note's body (and is fuzzed).
func DecodeNote(body []byte) (lantern.NoteInput, error) {
	var b NoteBody
	if err := DecodeJSON(body, &b); err != nil {
		return b.NoteInput, err
	}
	var p lantern.Problems
	if d := bodyDate(&p, "on", b.On); d != nil {
		b.NoteInput.On = *d
	}
	return b.NoteInput, p.Err()
}

// DecodeBoard reads a board's body (and is fuzzed).
func DecodeBoard(body []byte) (lantern.BoardInput, error) {
	var b BoardBody
	if err := DecodeJSON(body, &b); err != nil {
		return b.BoardInput, err
	}
	var p lantern.Problems
	if d := bodyDate(&p, "held_on", b.HeldOn); d != nil {
		b.BoardInput.HeldOn = *d
	}
	return b.BoardInput, p.Err()
}

// DecodePolicy reads a document's body (and is fuzzed).
func DecodePolicy(body []byte) (lantern.PolicyDocumentInput, error) {
	var b PolicyBody
	if err := DecodeJSON(body, &b); err != nil {
		return b.PolicyDocumentInput, err
	}
	var p lantern.Problems
	if d := bodyDate(&p, "issued_on", b.IssuedOn); d != nil {
		b.PolicyDocumentInput.IssuedOn = *d
	}
	b.PolicyDocumentInput.ReviewDue = bodyDate(&p, "review_due", b.ReviewDue)
	return b.PolicyDocumentInput, p.Err()
}

// readBody reads a request's body within its cap, as decodeJSON does.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, lantern.Errorf(lantern.ETOOLARGE, "The request body is larger than %d bytes", mbe.Limit)
		}
		return nil, lantern.Errorf(lantern.EBADREQUEST, "The request body could not be read")
	}
	return body, nil
}

// decodeWith reads a request's body with one of the decoders above.
func decodeWith[T any](r *http.Request, dec func([]byte) (T, error)) (T, error) {
	body, err := readBody(r)
	if err != nil {
		var zero T
		return zero, err
	}
	return dec(body)
}

func (s *Server) apiSavePlanAction(w http.ResponseWriter, r *http.Request, id string, status int) {
	in, err := decodeWith(r, DecodePlanAction)
	if err != nil {
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
	in, err := decodeWith(r, DecodeNote)
	if err != nil {
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
	in, err := decodeWith(r, DecodeBoard)
	if err != nil {
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
	in, err := decodeWith(r, DecodePolicy)
	if err != nil {
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
