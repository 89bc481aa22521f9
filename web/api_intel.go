package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"lantern"
)

// The intelligence API (docs/intelligence.md): persons of concern,
// vehicles, phones, places and accounts; graded links; the network around a
// child; search.

func (s *Server) intelAPIRoutes() {
	s.handle("POST /api/v1/persons", s.apiCreatePerson)
	s.handle("GET /api/v1/persons/{xid}", s.apiPerson)
	s.handle("POST /api/v1/vehicles", s.apiCreateVehicle)
	s.handle("GET /api/v1/vehicles/{xid}", s.apiVehicle)
	s.handle("POST /api/v1/phones", s.apiCreatePhone)
	s.handle("GET /api/v1/phones/{xid}", s.apiPhone)
	s.handle("POST /api/v1/places", s.apiCreatePlace)
	s.handle("GET /api/v1/places/{xid}", s.apiPlace)
	s.handle("POST /api/v1/accounts", s.apiCreateAccount)
	s.handle("GET /api/v1/accounts/{xid}", s.apiAccount)
	s.handle("POST /api/v1/links", s.apiCreateLink)
	s.handle("GET /api/v1/links", s.apiEntityLinks)
	s.handle("PUT /api/v1/links/{lid}/grading", s.apiGradeLink)
	s.handle("POST /api/v1/links/{lid}/withdraw", s.apiWithdrawLink)
	s.handle("GET /api/v1/children/{id}/network", s.apiNetwork)
	s.handle("GET /api/v1/intelligence/search", s.apiIntelSearch)
	s.intelResolveRoutes()
}

// PersonRequest is the body of POST /api/v1/persons. An age estimated in a
// year ("about 25 in 2023") is estimated_age and estimated_in.
type PersonRequest struct {
	Names        []lantern.PersonName    `json:"names"`
	Aliases      []string                `json:"aliases"`
	DateOfBirth  *lantern.Date           `json:"date_of_birth"`
	BirthYear    int                     `json:"birth_year"`
	EstimatedAge int                     `json:"estimated_age"`
	EstimatedIn  int                     `json:"estimated_in"`
	Sex          string                  `json:"sex"`
	Description  string                  `json:"description"`
	Addresses    []lantern.EntityAddress `json:"addresses"`
}

// Person makes the request a person, naming a bad estimate.
func (req *PersonRequest) Person() (*lantern.PersonOfConcern, error) {
	p := &lantern.PersonOfConcern{Names: req.Names, Aliases: req.Aliases, DateOfBirth: req.DateOfBirth, BirthYear: req.BirthYear,
		Sex: req.Sex, Description: req.Description, Addresses: req.Addresses}
	if req.EstimatedAge != 0 || req.EstimatedIn != 0 {
		switch {
		case req.EstimatedAge < 1 || req.EstimatedAge > 110:
			return nil, lantern.Invalid(lantern.FieldError{Field: "estimated_age", Message: "The estimated age must be from 1 to 110"})
		case req.EstimatedIn < 1900 || req.EstimatedIn > 2200:
			return nil, lantern.Invalid(lantern.FieldError{Field: "estimated_in", Message: "Give the year the age was estimated in"})
		case req.BirthYear != 0 || req.DateOfBirth != nil:
			return nil, lantern.Invalid(lantern.FieldError{Field: "estimated_age", Message: "Give a date of birth, a birth year or an estimated age, not more than one"})
		}
		p.BirthYear, p.Estimated = req.EstimatedIn-req.EstimatedAge, true
	}
	return p, nil
}

func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request) {
	var req PersonRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	p, err := req.Person()
	if err == nil {
		p, err = s.st.CreatePerson(r.Context(), p)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/persons/"+p.ID)
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) {
	p, err := s.st.Person(r.Context(), r.PathValue("xid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// VehicleRequest is the body of POST /api/v1/vehicles.
type VehicleRequest struct {
	VRM    string `json:"vrm"`
	Colour string `json:"colour"`
	Make   string `json:"make"`
	Model  string `json:"model"`
}

// heldOrCreated answers 201 for a new record, 200 for one already held.
func heldOrCreated(w http.ResponseWriter, path string, created bool, v any) {
	w.Header().Set("Location", path)
	if created {
		writeJSON(w, http.StatusCreated, v)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiCreateVehicle(w http.ResponseWriter, r *http.Request) {
	var req VehicleRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	v, created, err := s.st.CreateVehicle(r.Context(), &lantern.Vehicle{VRM: req.VRM, Colour: req.Colour, Make: req.Make, Model: req.Model})
	if err != nil {
		s.error(w, r, err)
		return
	}
	heldOrCreated(w, "/api/v1/vehicles/"+v.ID, created, v)
}

func (s *Server) apiVehicle(w http.ResponseWriter, r *http.Request) {
	v, err := s.st.Vehicle(r.Context(), r.PathValue("xid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// PhoneRequest is the body of POST /api/v1/phones.
type PhoneRequest struct {
	Number string `json:"number"`
}

func (s *Server) apiCreatePhone(w http.ResponseWriter, r *http.Request) {
	var req PhoneRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	p, created, err := s.st.CreatePhone(r.Context(), req.Number)
	if err != nil {
		s.error(w, r, err)
		return
	}
	heldOrCreated(w, "/api/v1/phones/"+p.ID, created, p)
}

func (s *Server) apiPhone(w http.ResponseWriter, r *http.Request) {
	p, err := s.st.Phone(r.Context(), r.PathValue("xid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// PlaceRequest is the body of POST /api/v1/places.
type PlaceRequest struct {
	Name          string   `json:"name"`
	Address       string   `json:"address"`
	Postcode      string   `json:"postcode"`
	Lat           *float64 `json:"lat"`
	Lon           *float64 `json:"lon"`
	Hotspot       bool     `json:"hotspot"`
	HotspotReason string   `json:"hotspot_reason"`
}

func (s *Server) apiCreatePlace(w http.ResponseWriter, r *http.Request) {
	var req PlaceRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.st.CreatePlace(r.Context(), &lantern.Place{Name: req.Name, Address: req.Address, Postcode: req.Postcode, Lat: req.Lat, Lon: req.Lon,
		Hotspot: req.Hotspot, HotspotReason: req.HotspotReason})
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/places/"+p.ID)
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiPlace(w http.ResponseWriter, r *http.Request) {
	p, err := s.st.Place(r.Context(), r.PathValue("xid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// AccountRequest is the body of POST /api/v1/accounts.
type AccountRequest struct {
	Platform string `json:"platform"`
	Handle   string `json:"handle"`
}

func (s *Server) apiCreateAccount(w http.ResponseWriter, r *http.Request) {
	var req AccountRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	a, created, err := s.st.CreateAccount(r.Context(), &lantern.Account{Platform: req.Platform, Handle: req.Handle})
	if err != nil {
		s.error(w, r, err)
		return
	}
	heldOrCreated(w, "/api/v1/accounts/"+a.ID, created, a)
}

func (s *Server) apiAccount(w http.ResponseWriter, r *http.Request) {
	a, err := s.st.Account(r.Context(), r.PathValue("xid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// LinkRequest is the body of POST /api/v1/links. The grading is read by
// itself (ParseGrading), so that a grade in another system's form is named
// as the grading's fault.
type LinkRequest struct {
	From          lantern.EntityRef  `json:"from"`
	To            lantern.EntityRef  `json:"to"`
	Kind          lantern.LinkKind   `json:"kind"`
	ObservedFrom  *lantern.Date      `json:"observed_from"`
	ObservedTo    *lantern.Date      `json:"observed_to"`
	Source        string             `json:"source"`
	SourceRecord  *lantern.EntityRef `json:"source_record"`
	HowKnown      string             `json:"how_known"`
	Grading       json.RawMessage    `json:"grading"`
	LegacyGrading string             `json:"legacy_grading"`
}

// ParseGrading reads a grading: an object in the 3×5×2 form, or nothing. A
// string (B2, 1B) is another system's form, or half of this one's, and is
// refused naming grading.
func ParseGrading(raw json.RawMessage) (*lantern.Grading, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] != '{' {
		msg := "Give the grading as an object: source 1 to 3, intelligence A to E and handling P or C"
		var s string
		if json.Unmarshal(raw, &s) == nil && lantern.LegacyGrade(strings.TrimSpace(s)) {
			msg = "A 5×5×5 grade such as " + strings.TrimSpace(s) + " is not converted: keep it in legacy_grading, and grade in the 3×5×2 form"
		}
		return nil, lantern.Invalid(lantern.FieldError{Field: "grading", Message: msg})
	}
	var g lantern.Grading
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return nil, lantern.Invalid(lantern.FieldError{Field: "grading", Message: "Give source, intelligence, handling and, for handling C, conditions, each as text"})
	}
	if err := lantern.CheckGrading(g); err != nil {
		return nil, err
	}
	return &g, nil
}

func (s *Server) apiCreateLink(w http.ResponseWriter, r *http.Request) {
	var req LinkRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	l := &lantern.Link{From: req.From, To: req.To, Kind: req.Kind, ObservedFrom: req.ObservedFrom, ObservedTo: req.ObservedTo,
		Source: req.Source, SourceRecord: req.SourceRecord, HowKnown: req.HowKnown, LegacyGrade: req.LegacyGrading}
	g, gerr := ParseGrading(req.Grading)
	l.Grading = g
	// Every fault at once: the grading's with the rest.
	p := lantern.Problems(lantern.ErrorFields(gerr))
	if err := lantern.CheckLink(l); err != nil {
		p = append(p, lantern.ErrorFields(err)...)
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.st.CreateLink(r.Context(), l)
	if err != nil {
		s.error(w, r, err)
		return
	}
	redacted := *l
	if !lantern.Allowed(lantern.UserFromContext(r.Context()), lantern.ResIntelSource, lantern.ActRead, lantern.RelArea) {
		redacted.RecordedBy = ""
	}
	w.Header().Set("Location", "/api/v1/links?entity="+string(l.From.Type)+":"+l.From.ID)
	writeJSON(w, http.StatusCreated, redacted)
}

// EntityLinksResponse is an entity's links, with what is at their ends.
type EntityLinksResponse struct {
	Links  []*lantern.Link   `json:"links"`
	Labels map[string]string `json:"labels"`
}

func (s *Server) apiEntityLinks(w http.ResponseWriter, r *http.Request) {
	t, id, ok := strings.Cut(r.URL.Query().Get("entity"), ":")
	if !ok || !lantern.EntityType(t).Valid() || id == "" || len(id) > 64 {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "entity", Message: "Name the entity as type:id, such as person:ID"}))
		return
	}
	ls, labels, err := s.st.EntityLinks(r.Context(), lantern.EntityRef{Type: lantern.EntityType(t), ID: id})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for k := range labels {
		if strings.HasPrefix(k, "hotspot:") {
			delete(labels, k)
		}
	}
	writeJSON(w, http.StatusOK, EntityLinksResponse{Links: ls, Labels: labels})
}

// GradingRequest is the body of PUT /api/v1/links/{lid}/grading.
type GradingRequest struct {
	Grading       json.RawMessage `json:"grading"`
	LegacyGrading string          `json:"legacy_grading"`
}

func (s *Server) apiGradeLink(w http.ResponseWriter, r *http.Request) {
	var req GradingRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	g, err := ParseGrading(req.Grading)
	if err == nil && g == nil {
		err = lantern.Invalid(lantern.FieldError{Field: "grading", Message: "Give the grading"})
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.st.GradeLink(r.Context(), r.PathValue("lid"), *g, req.LegacyGrading)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (s *Server) apiWithdrawLink(w http.ResponseWriter, r *http.Request) {
	if err := s.st.WithdrawLink(r.Context(), r.PathValue("lid")); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiNetwork(w http.ResponseWriter, r *http.Request) {
	q, err := lantern.ParseNetworkQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	n, err := s.st.Network(r.Context(), r.PathValue("id"), q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, n)
}

// IntelSearchResponse is what a search found.
type IntelSearchResponse struct {
	Results []lantern.IntelResult `json:"results"`
}

func (s *Server) apiIntelSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var rs []lantern.IntelResult
	var err error
	switch {
	case q.Has("vrm"):
		rs, err = s.st.SearchVRM(r.Context(), q.Get("vrm"))
	case q.Has("phone"):
		rs, err = s.st.SearchPhone(r.Context(), q.Get("phone"))
	case q.Has("q"):
		rs, err = s.st.SearchWords(r.Context(), q.Get("q"))
	default:
		err = lantern.Invalid(lantern.FieldError{Field: "q", Message: "Search by vrm, phone or q"})
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if rs == nil {
		rs = []lantern.IntelResult{}
	}
	writeJSON(w, http.StatusOK, IntelSearchResponse{Results: rs})
}

func (s *Server) intelResolveRoutes() {
	s.handle("GET /api/v1/persons/{xid}/candidates", s.apiCandidates)
	s.handle("POST /api/v1/persons/{xid}/merge", s.apiMergePerson)
	s.handle("POST /api/v1/persons/{xid}/unmerge", s.apiUnmergePerson)
	s.handle("GET /api/v1/intelligence/reviews", s.apiReviewPairs)
	s.handle("POST /api/v1/intelligence/reviews/{pid}", s.apiAnswerPair)
}

// CandidatesResponse is the persons who may be the same person.
type CandidatesResponse struct {
	Candidates []lantern.PersonCandidate `json:"candidates"`
}

func (s *Server) apiCandidates(w http.ResponseWriter, r *http.Request) {
	cs, err := s.st.Candidates(r.Context(), r.PathValue("xid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, CandidatesResponse{Candidates: cs})
}

// PersonMergeRequest is the body of POST /api/v1/persons/{xid}/merge.
type PersonMergeRequest struct {
	Into string `json:"into"`
}

func (s *Server) apiMergePerson(w http.ResponseWriter, r *http.Request) {
	var req PersonMergeRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if strings.TrimSpace(req.Into) == "" {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "into", Message: "Say which person this one is"}))
		return
	}
	if err := s.st.MergePersons(r.Context(), r.PathValue("xid"), req.Into); err != nil {
		s.error(w, r, err)
		return
	}
	s.apiPerson(w, r)
}

func (s *Server) apiUnmergePerson(w http.ResponseWriter, r *http.Request) {
	if err := s.st.UnmergePerson(r.Context(), r.PathValue("xid")); err != nil {
		s.error(w, r, err)
		return
	}
	s.apiPerson(w, r)
}

// ReviewPairsResponse is the review list.
type ReviewPairsResponse struct {
	Pairs []*lantern.PersonPair `json:"pairs"`
}

func (s *Server) apiReviewPairs(w http.ResponseWriter, r *http.Request) {
	ps, err := s.st.ReviewPairs(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ReviewPairsResponse{Pairs: ps})
}

// PairAnswerRequest is the body of POST /api/v1/intelligence/reviews/{pid}.
type PairAnswerRequest struct {
	Answer string `json:"answer"`
}

func (s *Server) apiAnswerPair(w http.ResponseWriter, r *http.Request) {
	var req PairAnswerRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.st.AnswerPair(r.Context(), r.PathValue("pid"), req.Answer); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
