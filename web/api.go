package web

import (
	_ "embed"
	"net/http"
	"strconv"

	"lantern"
	auditlog "lantern/audit"
	"lantern/store"
)

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) apiRoutes() {
	s.handle("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapiDoc)
	})
	s.handle("GET /api/v1/me", s.apiMe)
	s.handle("GET /api/v1/agencies", s.apiAgencies)
	s.handle("POST /api/v1/children", s.apiCreateChild)
	s.handle("GET /api/v1/children", s.apiChildren)
	s.handle("GET /api/v1/children/{id}", s.apiChild)
	s.handle("PATCH /api/v1/children/{id}", s.apiUpdateChild)
	s.handle("GET /api/v1/audit", s.apiAudit)
	s.handle("POST /api/v1/toolkit/score", s.apiScore)
	s.caseRoutes()
	s.matchRoutes()
	s.duplicateRoutes()
	s.eventRoutes()
	s.workRoutes()
	s.missingRoutes()
	s.meetingRoutes()
	s.childListRoutes()
	s.frontDoorAPIRoutes()
	s.intelAPIRoutes()
	s.intelToolAPIRoutes()
	s.disruptionAPIRoutes()
	s.sharingAPIRoutes()
	s.figuresAPIRoutes()
	s.strategyAPIRoutes()
	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, lantern.NotFound("Resource"))
	})
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, lantern.UserFromContext(r.Context()))
}

func (s *Server) apiAgencies(w http.ResponseWriter, r *http.Request) {
	as, err := s.st.Agencies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if as == nil {
		as = []*lantern.Agency{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"agencies": as})
}

// ChildRequest is the body of POST and PATCH /api/v1/children. Dates are
// read as text so that a bad one is named as the field at fault.
type ChildRequest struct {
	GivenName   *string `json:"given_name"`
	FamilyName  *string `json:"family_name"`
	DateOfBirth *string `json:"date_of_birth"`
	Gender      *string `json:"gender"`
	Version     *int    `json:"version"`

	DOBEstimated            *bool   `json:"date_of_birth_estimated"`
	Ethnicity               *string `json:"ethnicity"`
	FirstLanguage           *string `json:"first_language"`
	InterpreterNeeded       *bool   `json:"interpreter_needed"`
	Disability              *string `json:"disability"`
	LearningDisability      *bool   `json:"learning_disability"`
	LookedAfter             *bool   `json:"looked_after"`
	Unaccompanied           *bool   `json:"unaccompanied_asylum_seeking"`
	PlacingAuthority        *string `json:"placing_authority"`
	OpenCase                *bool   `json:"open_case"`
	AllocatedSocialWorkerID *string `json:"allocated_social_worker_id"`
	LeadProfessional        *string `json:"lead_professional"`
}

// apply lays the request over a child's current details.
func (cr *ChildRequest) apply(in *lantern.ChildInput) []lantern.FieldError {
	var probs lantern.Problems
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&in.GivenName, cr.GivenName)
	set(&in.FamilyName, cr.FamilyName)
	set(&in.Gender, cr.Gender)
	d := &in.ChildDetails
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&d.Ethnicity, cr.Ethnicity}, {&d.FirstLanguage, cr.FirstLanguage}, {&d.Disability, cr.Disability},
		{&d.PlacingAuthority, cr.PlacingAuthority}, {&d.AllocatedSocialWorkerID, cr.AllocatedSocialWorkerID}, {&d.LeadProfessional, cr.LeadProfessional}} {
		set(f.dst, f.v)
	}
	for _, f := range []struct {
		dst *bool
		v   *bool
	}{{&d.DOBEstimated, cr.DOBEstimated}, {&d.InterpreterNeeded, cr.InterpreterNeeded}, {&d.LearningDisability, cr.LearningDisability},
		{&d.LookedAfter, cr.LookedAfter}, {&d.OpenCase, cr.OpenCase}, {&d.Unaccompanied, cr.Unaccompanied}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if cr.DateOfBirth != nil {
		d, err := lantern.ParseDate(*cr.DateOfBirth)
		if err != nil {
			probs.Add("date_of_birth", "Date of birth must be a real date as YYYY-MM-DD")
		}
		in.DateOfBirth = d
	}
	return probs
}

// validateWith runs the service's checks too, so all problems show at once.
func validateWith(probs []lantern.FieldError, in lantern.ChildInput, today lantern.Date) error {
	if len(probs) == 0 {
		return nil
	}
	for _, fe := range lantern.ErrorFields(in.Validate(today)) {
		if fe.Field != "date_of_birth" {
			probs = append(probs, fe)
		}
	}
	return lantern.Invalid(probs...)
}

func (s *Server) apiCreateChild(w http.ResponseWriter, r *http.Request) {
	var req ChildRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if req.Version != nil {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "version", Message: "A new record has no version yet"}))
		return
	}
	var in lantern.ChildInput
	if err := validateWith(req.apply(&in), in, lantern.Today(s.stNow())); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.st.CreateChild(r.Context(), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/children/"+c.ID)
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) apiChild(w http.ResponseWriter, r *http.Request) {
	c, err := s.st.FindChildByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// ChildrenResponse is a page of GET /api/v1/children. Here, and in the
// other responses that were maps, the fields are in the order of their
// JSON names, the order the map gave them, so the bytes sent are the same.
type ChildrenResponse struct {
	Children []*lantern.ChildRow `json:"children"`
	Limit    int                 `json:"limit"`
	Offset   int                 `json:"offset"`
	Total    int                 `json:"total"` // how many match, on every page
}

func (s *Server) apiUpdateChild(w http.ResponseWriter, r *http.Request) {
	var req ChildRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if req.Version == nil {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "version", Message: "Give the version of the record you are changing"}))
		return
	}
	// The current record is the base: the read is audited like any other.
	cur, err := s.st.FindChildByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	in := lantern.ChildInput{GivenName: cur.GivenName, FamilyName: cur.FamilyName, DateOfBirth: cur.DateOfBirth, Gender: cur.Gender,
		ChildDetails: cur.ChildDetails}
	if err := validateWith(req.apply(&in), in, lantern.Today(s.stNow())); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.st.UpdateChild(r.Context(), cur.ID, *req.Version, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// AuditResponse is a page of GET /api/v1/audit, newest first.
type AuditResponse struct {
	Entries []*auditlog.Entry `json:"entries"`
	Total   int               `json:"total"` // how many match, on every page
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.AuditFilter{UserID: q.Get("user_id"), ChildID: q.Get("child_id"), Action: q.Get("action")}
	var probs lantern.Problems
	for _, d := range []struct {
		name string
		into *lantern.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(d.name); v != "" {
			date, err := lantern.ParseDate(v)
			if err != nil {
				probs.Add(d.name, d.name+" must be a date as YYYY-MM-DD")
			}
			*d.into = date
		}
	}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	if err := probs.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	es, total, err := s.st.SearchAudit(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, AuditResponse{Entries: es, Total: total})
}
