package web

import (
	"net/http"
	"strconv"
	"time"

	"lantern"
)

// The front door's API (docs/frontdoor.md): the queue, screening,
// information requests, consent, consultations and alerts.

func (s *Server) frontDoorAPIRoutes() {
	s.handle("GET /api/v1/front-door", s.apiFrontDoor)
	s.handle("GET /api/v1/children/{id}/referrals/{rid}/ratings", s.apiRatings)
	s.handle("POST /api/v1/children/{id}/referrals/{rid}/ratings", s.apiRate)
	s.handle("GET /api/v1/children/{id}/referrals/{rid}/information-requests", s.apiReferralRequests)
	s.handle("POST /api/v1/children/{id}/referrals/{rid}/information-requests", s.apiAskAgency)
	s.handle("PUT /api/v1/children/{id}/referrals/{rid}/consent", s.apiConsent)
	s.handle("POST /api/v1/children/{id}/referrals/{rid}/consent/approve", s.apiApproveConsent)
	s.handle("GET /api/v1/information-requests", s.apiAgencyRequests)
	s.handle("GET /api/v1/information-requests/{qid}", s.apiInfoRequest)
	s.handle("POST /api/v1/information-requests/{qid}/answer", s.apiAnswer)
	s.handle("GET /api/v1/consultations", s.apiConsultations)
	s.handle("POST /api/v1/consultations", s.apiAsk)
	s.handle("POST /api/v1/consultations/{kid}/advice", s.apiAdvise)
	s.handle("GET /api/v1/alerts", s.apiAlerts)
}

// FrontDoorResponse is the queue: the items, and how many wait in all.
type FrontDoorResponse struct {
	Items  []*lantern.FrontDoorItem `json:"items"`
	Total  int                      `json:"total"`
	Limit  int                      `json:"limit"`
	Offset int                      `json:"offset"`
}

// pageQuery reads limit and offset, naming a bad one.
func pageQuery(r *http.Request, p *lantern.Problems, def, most int) (limit, offset int) {
	q := r.URL.Query()
	limit = def
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > most {
			p.Add("limit", "limit must be a whole number from 1 to "+strconv.Itoa(most))
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 {
			p.Add("offset", "offset must be a whole number from 0 to 1000000")
		}
		offset = n
	}
	return limit, offset
}

func (s *Server) apiFrontDoor(w http.ResponseWriter, r *http.Request) {
	f, err := lantern.ParseFrontDoorQuery(r.URL.Query())
	p := lantern.Problems(lantern.ErrorFields(err))
	f.Limit, f.Offset = pageQuery(r, &p, 200, 500)
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	items, total, err := s.st.FrontDoor(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if wantsCSV(r) {
		writeFrontDoorCSV(w, items, s.stNow())
		return
	}
	writeJSON(w, http.StatusOK, FrontDoorResponse{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// frontDoorCSVHeader names the queue's CSV columns (docs/frontdoor.md).
var frontDoorCSVHeader = []string{"referral_id", "child_id", "child_name", "date_of_birth", "received_at", "immediate_risk",
	"decision_due_at", "late", "rag", "latest_level", "latest_level_on", "case_open", "from_agency", "referrer", "source",
	"open_information_requests"}

// writeFrontDoorCSV answers the queue's rows as CSV, formula cells neutralised.
func writeFrontDoorCSV(w http.ResponseWriter, items []*lantern.FrontDoorItem, now time.Time) {
	rows := make([][]string, len(items))
	for i, it := range items {
		on := ""
		if !it.LevelOn.IsZero() {
			on = it.LevelOn.String()
		}
		rows[i] = []string{it.ReferralID, it.ChildID, it.ChildName, it.DateOfBirth.String(), it.ReceivedAt.Format(time.RFC3339),
			strconv.FormatBool(it.ImmediateRisk), it.DecisionDueAt.Format(time.RFC3339), strconv.FormatBool(it.Late(now)), string(it.RAG),
			it.Level, on, strconv.FormatBool(it.CaseOpen), it.FromAgencyName, it.ReferrerName, string(it.Source), strconv.Itoa(it.OpenAsks)}
	}
	writeCSV(w, "front-door.csv", frontDoorCSVHeader, rows)
}

func (s *Server) apiRatings(w http.ResponseWriter, r *http.Request) {
	d, err := s.st.ReferralDetail(r.Context(), r.PathValue("id"), r.PathValue("rid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ratings": d.Ratings})
}

// RatingRequest screens a referral.
type RatingRequest struct {
	RAG       lantern.RAG `json:"rag"`
	Rationale string      `json:"rationale"`
}

func (s *Server) apiRate(w http.ResponseWriter, r *http.Request) {
	var req RatingRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.RateReferral(r.Context(), r.PathValue("id"), r.PathValue("rid"), req.RAG, req.Rationale)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) apiReferralRequests(w http.ResponseWriter, r *http.Request) {
	d, err := s.st.ReferralDetail(r.Context(), r.PathValue("id"), r.PathValue("rid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"information_requests": d.Requests})
}

// InfoRequestRequest asks an agency what it holds.
type InfoRequestRequest struct {
	AgencyID string  `json:"agency_id"`
	Question string  `json:"question"`
	DueAt    *string `json:"due_at"`
}

func (s *Server) apiAskAgency(w http.ResponseWriter, r *http.Request) {
	var req InfoRequestRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	in := lantern.InfoRequestInput{AgencyID: req.AgencyID, Question: req.Question, DueAt: parseTime(&p, "due_at", req.DueAt)}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.AskAgency(r.Context(), r.PathValue("id"), r.PathValue("rid"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// ConsentRequest records the family's consent.
type ConsentRequest struct {
	Consent lantern.Consent `json:"consent"`
	Reason  string          `json:"reason"`
}

func (s *Server) apiConsent(w http.ResponseWriter, r *http.Request) {
	var req ConsentRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.RecordConsent(r.Context(), r.PathValue("id"), r.PathValue("rid"), req.Consent, req.Reason)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiApproveConsent(w http.ResponseWriter, r *http.Request) {
	out, err := s.st.ApproveConsent(r.Context(), r.PathValue("id"), r.PathValue("rid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAgencyRequests(w http.ResponseWriter, r *http.Request) {
	rs, err := s.st.AgencyRequests(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"information_requests": rs})
}

func (s *Server) apiInfoRequest(w http.ResponseWriter, r *http.Request) {
	q, err := s.st.FindInfoRequest(r.Context(), r.PathValue("qid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, q)
}

// AnswerRequest is an agency's answer.
type AnswerRequest struct {
	Answer  string `json:"answer"`
	Version *int   `json:"version"`
}

func (s *Server) apiAnswer(w http.ResponseWriter, r *http.Request) {
	var req AnswerRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if req.Version == nil {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "version", Message: "Give the version of the request you are answering"}))
		return
	}
	out, err := s.st.AnswerRequest(r.Context(), r.PathValue("qid"), *req.Version, req.Answer)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiConsultations(w http.ResponseWriter, r *http.Request) {
	ks, err := s.st.Consultations(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"consultations": ks})
}

// ConsultationRequest asks the front door's advice.
type ConsultationRequest struct {
	Question string `json:"question"`
}

func (s *Server) apiAsk(w http.ResponseWriter, r *http.Request) {
	var req ConsultationRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.AskFrontDoor(r.Context(), req.Question)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// AdviceRequest is the front door's advice.
type AdviceRequest struct {
	Advice  string `json:"advice"`
	Version *int   `json:"version"`
}

func (s *Server) apiAdvise(w http.ResponseWriter, r *http.Request) {
	var req AdviceRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if req.Version == nil {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "version", Message: "Give the version of the consultation you are answering"}))
		return
	}
	out, err := s.st.Advise(r.Context(), r.PathValue("kid"), *req.Version, req.Advice)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request) {
	as, err := s.st.Alerts(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": as})
}
