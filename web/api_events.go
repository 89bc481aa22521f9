package web

import (
	"net/http"
	"slices"
	"time"

	"lantern"
)

func (s *Server) eventRoutes() {
	s.handle("POST /api/v1/children/{id}/referrals", s.apiCreateReferral)
	s.handle("GET /api/v1/children/{id}/referrals", s.apiReferrals)
	s.handle("PATCH /api/v1/children/{id}/referrals/{rid}", s.apiUpdateReferral)
	s.handle("POST /api/v1/children/{id}/strategy-discussions", s.apiCreateStrategyDiscussion)
	s.handle("POST /api/v1/children/{id}/conferences", s.apiCreateConference)
	s.handle("POST /api/v1/children/{id}/core-groups", s.apiCreateCoreGroup)
	s.handle("POST /api/v1/children/{id}/social-work-assessments", s.apiCreateSWAssessment)
	s.handle("POST /api/v1/children/{id}/s47-enquiries", s.apiCreateS47)
	s.handle("PATCH /api/v1/children/{id}/s47-enquiries/{sid}", s.apiCompleteS47)
	s.handle("GET /api/v1/children/{id}/protection-plans", s.apiProtectionPlans)
	s.handle("GET /api/v1/children/{id}/chronology", s.apiChronology)
	s.handle("POST /api/v1/tasks/{tid}/close", s.apiCloseTask)
}

// requiredTime reads a required RFC 3339 time field.
func requiredTime(p *lantern.Problems, field string, v *string) time.Time {
	if v == nil || *v == "" {
		p.Add(field, "Enter "+field+" as RFC 3339 with an offset, like 2026-12-24T16:30:00Z")
		return time.Time{}
	}
	return parseTime(p, field, v)
}

// ReferralRequest is the body of POST /api/v1/children/{id}/referrals.
type ReferralRequest struct {
	ReceivedAt *string                `json:"received_at"`
	Method     lantern.ReferralMethod `json:"method"`
	Referrer   lantern.Referrer       `json:"referrer"`
}

func (s *Server) apiCreateReferral(w http.ResponseWriter, r *http.Request) {
	var req ReferralRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	ref := &lantern.Referral{ReceivedAt: requiredTime(&p, "received_at", req.ReceivedAt), Method: req.Method, Referrer: req.Referrer}
	if len(p) > 0 {
		// Report the rest too, so every problem shows at once.
		for _, fe := range lantern.ErrorFields(lantern.ValidateReferral(&lantern.Referral{ReceivedAt: s.stNow(), Method: req.Method, Referrer: req.Referrer}, s.stNow())) {
			p = append(p, fe)
		}
		s.error(w, r, p.Err())
		return
	}
	out, err := s.st.CreateReferral(r.Context(), r.PathValue("id"), ref)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/children/"+out.ChildID+"/referrals/"+out.ID)
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) apiReferrals(w http.ResponseWriter, r *http.Request) {
	rs, err := s.st.Referrals(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"referrals": rs})
}

// ReferralUpdateRequest records what followed a referral.
type ReferralUpdateRequest struct {
	Version               *int                     `json:"version"`
	Decision              lantern.ReferralDecision `json:"decision"`
	DecisionReason        string                   `json:"decision_reason"`
	DecidedAt             *string                  `json:"decided_at"`
	WrittenConfirmationAt *string                  `json:"written_confirmation_at"`
	FeedbackAt            *string                  `json:"feedback_at"`
}

func optionalTime(p *lantern.Problems, field string, v *string) *time.Time {
	if v == nil || *v == "" {
		return nil
	}
	t := parseTime(p, field, v)
	return &t
}

func (s *Server) apiUpdateReferral(w http.ResponseWriter, r *http.Request) {
	var req ReferralUpdateRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	if req.Version == nil {
		p.Add("version", "Give the version of the referral you are changing")
	}
	up := lantern.ReferralUpdate{Decision: req.Decision, DecisionReason: req.DecisionReason, DecidedAt: optionalTime(&p, "decided_at", req.DecidedAt),
		WrittenConfirmationAt: optionalTime(&p, "written_confirmation_at", req.WrittenConfirmationAt),
		FeedbackAt:            optionalTime(&p, "feedback_at", req.FeedbackAt)}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.UpdateReferral(r.Context(), r.PathValue("id"), r.PathValue("rid"), *req.Version, up)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// StrategyDiscussionRequest is the body of POST .../strategy-discussions.
type StrategyDiscussionRequest struct {
	HeldAt       *string                    `json:"held_at"`
	Decision     lantern.DiscussionDecision `json:"decision"`
	Participants []lantern.Participant      `json:"participants"`
	Notes        string                     `json:"notes"`
}

func (s *Server) apiCreateStrategyDiscussion(w http.ResponseWriter, r *http.Request) {
	var req StrategyDiscussionRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	sd := &lantern.StrategyDiscussion{HeldAt: requiredTime(&p, "held_at", req.HeldAt), Decision: req.Decision, Participants: req.Participants, Notes: req.Notes}
	if !req.Decision.Valid() {
		p.Add("decision", "The decision must be s47 or no-s47")
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.CreateStrategyDiscussion(r.Context(), r.PathValue("id"), sd)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// ConferenceRequest is the body of POST .../conferences.
type ConferenceRequest struct {
	Kind    lantern.ConferenceKind    `json:"kind"`
	HeldAt  *string                   `json:"held_at"`
	Outcome lantern.ConferenceOutcome `json:"outcome"`
	// PlanEndReason is why a review deciding on no plan ends the plan.
	PlanEndReason lantern.PlanEndReason `json:"plan_end_reason"`
}

func (s *Server) apiCreateConference(w http.ResponseWriter, r *http.Request) {
	var req ConferenceRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	c := &lantern.Conference{Kind: req.Kind, HeldAt: requiredTime(&p, "held_at", req.HeldAt), Outcome: req.Outcome, PlanEndReason: req.PlanEndReason}
	if !req.Kind.Valid() {
		p.Add("kind", "The kind must be initial or review")
	}
	if !req.Outcome.Valid() {
		p.Add("outcome", "The outcome must be plan or no-plan")
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.CreateConference(r.Context(), r.PathValue("id"), c)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// HeldRequest is a meeting that was held.
type HeldRequest struct {
	HeldAt *string `json:"held_at"`
}

func (s *Server) apiCreateCoreGroup(w http.ResponseWriter, r *http.Request) {
	var req HeldRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	at := requiredTime(&p, "held_at", req.HeldAt)
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := s.st.CreateCoreGroup(r.Context(), r.PathValue("id"), at)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id})
}

// SWAssessmentRequest records a social work assessment.
type SWAssessmentRequest struct {
	Kind        lantern.SWAssessmentKind `json:"kind"`
	StartedAt   *string                  `json:"started_at"`
	CompletedAt *string                  `json:"completed_at"`
}

func (s *Server) apiCreateSWAssessment(w http.ResponseWriter, r *http.Request) {
	var req SWAssessmentRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	a := &lantern.SWAssessment{Kind: req.Kind, StartedAt: requiredTime(&p, "started_at", req.StartedAt), CompletedAt: optionalTime(&p, "completed_at", req.CompletedAt)}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.RecordSWAssessment(r.Context(), r.PathValue("id"), a)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// CloseTaskRequest closes a task with a reason.
type CloseTaskRequest struct {
	Version *int   `json:"version"`
	Reason  string `json:"reason"`
}

func (s *Server) apiCloseTask(w http.ResponseWriter, r *http.Request) {
	var req CloseTaskRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if req.Version == nil {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "version", Message: "Give the version of the task you are closing"}))
		return
	}
	t, err := s.st.CloseTask(r.Context(), r.PathValue("tid"), *req.Version, req.Reason)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// S47Request records a section 47 enquiry.
type S47Request struct {
	StrategyDiscussionID string             `json:"strategy_discussion_id"`
	StartedAt            *string            `json:"started_at"`
	CompletedAt          *string            `json:"completed_at"`
	Outcome              lantern.S47Outcome `json:"outcome"`
}

func (s *Server) apiCreateS47(w http.ResponseWriter, r *http.Request) {
	var req S47Request
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	e := &lantern.S47Enquiry{StrategyDiscussionID: req.StrategyDiscussionID, StartedAt: requiredTime(&p, "started_at", req.StartedAt),
		CompletedAt: optionalTime(&p, "completed_at", req.CompletedAt), Outcome: req.Outcome}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.RecordS47(r.Context(), r.PathValue("id"), e)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// S47CompleteRequest is the body of PATCH .../s47-enquiries/{sid}: the
// enquiry's completion, recorded later.
type S47CompleteRequest struct {
	CompletedAt *string            `json:"completed_at"`
	Outcome     lantern.S47Outcome `json:"outcome"`
	Version     *int               `json:"version"`
}

// Completion reads the request, every problem at once.
func (req S47CompleteRequest) Completion(now time.Time) (lantern.S47Completion, error) {
	var p lantern.Problems
	c := lantern.S47Completion{CompletedAt: optionalTime(&p, "completed_at", req.CompletedAt), Outcome: req.Outcome}
	if req.Version == nil {
		p.Add("version", "Give the version of the enquiry you are completing")
	}
	if len(p) > 0 {
		for _, fe := range lantern.ErrorFields(lantern.CheckS47Completion(c, now)) {
			if !slices.ContainsFunc(p, func(have lantern.FieldError) bool { return have.Field == fe.Field }) {
				p = append(p, fe)
			}
		}
		return c, p.Err()
	}
	return c, lantern.CheckS47Completion(c, now)
}

func (s *Server) apiCompleteS47(w http.ResponseWriter, r *http.Request) {
	var req S47CompleteRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := req.Completion(s.stNow())
	if err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.CompleteS47(r.Context(), r.PathValue("id"), r.PathValue("sid"), *req.Version, c)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiProtectionPlans(w http.ResponseWriter, r *http.Request) {
	ps, err := s.st.ProtectionPlans(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"plans": ps})
}

// ChronologyResponse is a child's chronology, newest first.
type ChronologyResponse struct {
	Events []lantern.ChronologyItem `json:"events"`
}

func (s *Server) apiChronology(w http.ResponseWriter, r *http.Request) {
	f, err := lantern.ParseChronologyKinds(r.URL.Query()["kind"])
	if err != nil {
		s.error(w, r, err)
		return
	}
	items, err := s.st.Chronology(r.Context(), r.PathValue("id"), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ChronologyResponse{Events: items})
}
