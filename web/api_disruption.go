package web

import (
	"net/http"
	"slices"
	"strings"

	"lantern"
	"lantern/store"
)

// Disruption and prosecution, and the partner intelligence form, in the API
// (docs/intelligence.md).

func (s *Server) disruptionAPIRoutes() {
	s.handle("POST /api/v1/disruptions", s.apiCreateDisruption)
	s.handle("GET /api/v1/disruptions", s.apiDisruptions)
	s.handle("GET /api/v1/persons/{xid}/disruptions", s.apiPersonDisruptions)
	s.handle("GET /api/v1/children/{id}/disruptions", s.apiChildDisruptions)
	s.handle("GET /api/v1/reports/disruption", s.apiDisruptionFigures)
	s.handle("GET /api/v1/children/{id}/police-form", s.apiPoliceFormChoices)
	s.handle("POST /api/v1/children/{id}/police-form", s.apiProducePoliceForm)
}

// DisruptionRequest is the body of POST /api/v1/disruptions. Dates are
// read as text, so that a bad one is named as its field's fault.
type DisruptionRequest struct {
	Kind      lantern.DisruptionKind    `json:"kind"`
	Name      string                    `json:"name"`
	Outcome   string                    `json:"outcome"`
	Date      string                    `json:"date"`
	Expires   string                    `json:"expires"`
	PersonID  string                    `json:"person_id"`
	PlaceID   string                    `json:"place_id"`
	Children  []lantern.DisruptionChild `json:"children"`
	Offence   string                    `json:"offence"`
	Notes     string                    `json:"notes"`
	Reference string                    `json:"reference"`
}

// Disruption makes the request a disruption, naming a date that does not
// read.
func (req *DisruptionRequest) Disruption() (*lantern.Disruption, lantern.Problems) {
	var p lantern.Problems
	d := &lantern.Disruption{Kind: req.Kind, Name: req.Name, Outcome: req.Outcome, PersonID: req.PersonID, PlaceID: req.PlaceID,
		Offence: req.Offence, Notes: req.Notes, Reference: req.Reference}
	for _, c := range req.Children {
		d.Children = append(d.Children, lantern.DisruptionChild{ChildID: c.ChildID, Role: c.Role})
	}
	if v := strings.TrimSpace(req.Date); v != "" {
		if x, err := lantern.ParseDate(v); err == nil {
			d.Date = x
		} else {
			p.Add("date", "Enter the date as YYYY-MM-DD")
		}
	}
	if v := strings.TrimSpace(req.Expires); v != "" {
		if x, err := lantern.ParseDate(v); err == nil {
			d.Expires = &x
		} else {
			p.Add("expires", "Enter the end date as YYYY-MM-DD")
		}
	}
	return d, p
}

// checkDisruption is every fault of a disruption at once: its dates' and
// the rest.
func (s *Server) checkDisruption(d *lantern.Disruption, p lantern.Problems) error {
	if err := lantern.CheckDisruption(d, lantern.Today(s.stNow())); err != nil {
		for _, f := range lantern.ErrorFields(err) {
			if (f.Field == "date" || f.Field == "expires") && slices.ContainsFunc(p, func(e lantern.FieldError) bool { return e.Field == f.Field }) {
				continue // the date did not read: that is its fault
			}
			p = append(p, f)
		}
	}
	return p.Err()
}

func (s *Server) apiCreateDisruption(w http.ResponseWriter, r *http.Request) {
	var req DisruptionRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	d, p := req.Disruption()
	if err := s.checkDisruption(d, p); err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.st.CreateDisruption(r.Context(), d)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/disruptions?id="+d.ID)
	writeJSON(w, http.StatusCreated, d)
}

func (s *Server) apiDisruptions(w http.ResponseWriter, r *http.Request) {
	f, err := lantern.ParseDisruptionFilter(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.st.Disruptions(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (s *Server) apiPersonDisruptions(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.PersonDisruptions(r.Context(), r.PathValue("xid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (s *Server) apiChildDisruptions(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.ChildDisruptions(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (s *Server) apiDisruptionFigures(w http.ResponseWriter, r *http.Request) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	fig, err := s.st.DisruptionFigures(r.Context(), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, fig)
}

// PoliceFormChoicesResponse is GET /api/v1/children/{id}/police-form: the
// items a form about the child may hold, the forces it may go to, and the
// forms produced before.
type PoliceFormChoicesResponse struct {
	ChildID string                     `json:"child_id"`
	Items   []lantern.PoliceFormItem   `json:"items"`
	Forces  []lantern.PoliceFormAgency `json:"forces"`
	Shares  []*lantern.PoliceFormShare `json:"shares"`
}

func policeFormChoices(ch *store.PoliceFormChoices) PoliceFormChoicesResponse {
	out := PoliceFormChoicesResponse{ChildID: ch.Child.ID, Items: ch.Items, Forces: ch.Forces, Shares: ch.Shares}
	if out.Items == nil {
		out.Items = []lantern.PoliceFormItem{}
	}
	return out
}

func (s *Server) apiPoliceFormChoices(w http.ResponseWriter, r *http.Request) {
	ch, err := s.st.PoliceFormChoices(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, policeFormChoices(ch))
}

func (s *Server) apiProducePoliceForm(w http.ResponseWriter, r *http.Request) {
	var req lantern.PoliceFormRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	form, err := s.st.ProducePoliceForm(r.Context(), r.PathValue("id"), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, form)
}
