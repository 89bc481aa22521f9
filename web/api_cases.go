package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lantern"
	"lantern/toolkit"
)

func (s *Server) caseRoutes() {
	s.handle("POST /api/v1/children/{id}/concerns", s.apiCreateConcern)
	s.handle("GET /api/v1/children/{id}/concerns", s.apiConcerns)
	s.handle("GET /api/v1/children/{id}/concerns/{cid}", s.apiConcern)
	s.handle("POST /api/v1/children/{id}/concerns/{cid}/steps", s.apiMoveConcern)
	s.handle("POST /api/v1/children/{id}/assessments", s.apiCreateAssessment)
	s.handle("GET /api/v1/children/{id}/assessments", s.apiAssessments)
	s.handle("GET /api/v1/children/{id}/assessments/{aid}", s.apiAssessment)
	s.handle("GET /api/v1/children/{id}/toolkit/prompts", s.apiToolkitPrompts)
	s.handle("GET /api/v1/children/{id}/tasks", s.apiTasks)
}

// ConcernRequest is the body of POST /api/v1/children/{id}/concerns.
type ConcernRequest struct {
	RaisedAt        *string `json:"raised_at"`
	Summary         string  `json:"summary"`
	Disclosure      bool    `json:"disclosure"`
	DisclosureWords string  `json:"disclosure_words"`
	ImmediateRisk   bool    `json:"immediate_risk"`
	ImmediateAction string  `json:"immediate_action"`
	Refer           bool    `json:"refer"`
}

// parseTime reads an RFC 3339 time with an offset.
func parseTime(p *lantern.Problems, field string, v *string) time.Time {
	if v == nil || *v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, *v)
	if err != nil {
		p.Add(field, field+" must be a time as RFC 3339 with an offset, like 2026-11-22T14:30:00Z")
	}
	return t
}

func (s *Server) apiCreateConcern(w http.ResponseWriter, r *http.Request) {
	var req ConcernRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	in := lantern.ConcernInput{RaisedAt: parseTime(&p, "raised_at", req.RaisedAt), Summary: req.Summary, Disclosure: req.Disclosure,
		DisclosureWords: req.DisclosureWords, ImmediateRisk: req.ImmediateRisk, ImmediateAction: req.ImmediateAction, Refer: req.Refer}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	if in.RaisedAt.IsZero() {
		in.RaisedAt = s.stNow()
	}
	c, err := s.st.CreateConcern(r.Context(), r.PathValue("id"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/children/"+c.ChildID+"/concerns/"+c.ID)
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) apiConcerns(w http.ResponseWriter, r *http.Request) {
	cs, err := s.st.Concerns(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if cs == nil {
		cs = []*lantern.Concern{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"concerns": cs})
}

func (s *Server) apiConcern(w http.ResponseWriter, r *http.Request) {
	c, err := s.st.FindConcern(r.Context(), r.PathValue("id"), r.PathValue("cid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// StepRequest moves a concern on the pathway.
type StepRequest struct {
	Step    string `json:"step"`
	Version *int   `json:"version"`
	Note    string `json:"note"`
}

func (s *Server) apiMoveConcern(w http.ResponseWriter, r *http.Request) {
	var req StepRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	if req.Version == nil {
		p.Add("version", "Give the version of the concern you are moving on")
	}
	step := lantern.ConcernStep(req.Step)
	if !containsStep(step) {
		p.Add("step", "The step must be one of "+stepList())
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.st.MoveConcern(r.Context(), r.PathValue("id"), r.PathValue("cid"), *req.Version, step, req.Note)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func containsStep(s lantern.ConcernStep) bool {
	for _, x := range lantern.ConcernSteps {
		if x == s {
			return true
		}
	}
	return false
}

func stepList() string {
	var ss []string
	for _, x := range lantern.ConcernSteps {
		ss = append(ss, string(x))
	}
	return strings.Join(ss, ", ")
}

// AssessmentRequest is the body of POST /api/v1/children/{id}/assessments.
// The date of birth, open case and missing episodes come from the record:
// a request that gives them is refused.
type AssessmentRequest struct {
	Toolkit            *string           `json:"toolkit"`
	AssessedOn         *string           `json:"assessed_on"`
	Indicators         []string          `json:"indicators"`
	Evidence           map[string]string `json:"evidence"`
	Analysis           string            `json:"analysis"`
	Disclosure         bool              `json:"disclosure"`
	ImmediateRisk      bool              `json:"immediate_risk"`
	PoliceIntelligence bool              `json:"police_intelligence"`
	LearningDisability bool              `json:"learning_disability"`
	PartnerAgeGapYears *float64          `json:"partner_age_gap_years"`
	RecordedLevel      string            `json:"recorded_level"`
	OverrideRationale  string            `json:"override_rationale"`
	ConcernID          string            `json:"concern_id"`

	// Prompts are the decisions on the suggestions from intelligence
	// (GET /api/v1/children/{id}/toolkit/prompts).
	Prompts []PromptDecisionRequest `json:"prompts"`

	MissingEpisodes90d json.RawMessage `json:"missing_episodes_90d"`
	DateOfBirth        json.RawMessage `json:"date_of_birth"`
	OpenCase           json.RawMessage `json:"open_case"`
}

// PromptDecisionRequest is a decision on one suggestion from intelligence:
// the suggestion's indicator and link, "confirmed" (its indicator must be
// ticked in indicators) or "declined" with a reason. The store checks it
// against the suggestions the child has now.
type PromptDecisionRequest struct {
	Indicator string `json:"indicator"`
	LinkID    string `json:"link_id"`
	Decision  string `json:"decision"`
	Reason    string `json:"reason"`
}

// maxPromptDecisions bounds the decisions one request may carry.
const maxPromptDecisions = 50

// Input reads the request as an assessment's input. What it cannot read is
// named with every other problem in one error; what is read is checked by
// the store.
func (req *AssessmentRequest) Input() (toolkit.AssessmentInput, error) {
	var p lantern.Problems
	given := map[string]json.RawMessage{"missing_episodes_90d": req.MissingEpisodes90d, "date_of_birth": req.DateOfBirth, "open_case": req.OpenCase}
	for _, f := range toolkit.FromRecord {
		if given[f.Name] != nil {
			p.Add(f.Name, f.Name+" comes from "+f.From+", not from the request: leave it out")
		}
	}
	in := toolkit.AssessmentInput{
		Answers: toolkit.Input{AssessedOn: parseDateField(&p, "assessed_on", req.AssessedOn, false), Indicators: req.Indicators,
			Disclosure: req.Disclosure, ImmediateRisk: req.ImmediateRisk, PoliceIntelligence: req.PoliceIntelligence,
			LearningDisability: req.LearningDisability, PartnerAgeGapYears: req.PartnerAgeGapYears},
		Evidence: req.Evidence, Analysis: req.Analysis, RecordedLevel: toolkit.Level(req.RecordedLevel),
		OverrideRationale: req.OverrideRationale, ConcernID: req.ConcernID,
	}
	if len(req.Prompts) > maxPromptDecisions {
		p.Add("prompts", "Send at most "+strconv.Itoa(maxPromptDecisions)+" decisions on suggestions")
	} else {
		for _, d := range req.Prompts {
			in.Prompts = append(in.Prompts, lantern.PromptDecision{Indicator: d.Indicator, LinkID: d.LinkID, Decision: d.Decision, Reason: d.Reason})
		}
	}
	return in, p.Err()
}

func (s *Server) apiCreateAssessment(w http.ResponseWriter, r *http.Request) {
	var req AssessmentRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	in, err := req.Input()
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := ""
	if req.Toolkit != nil {
		id = *req.Toolkit
	}
	a, err := s.st.CreateAssessment(r.Context(), r.PathValue("id"), id, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/children/"+a.ChildID+"/assessments/"+a.ID)
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiAssessments(w http.ResponseWriter, r *http.Request) {
	as, err := s.st.Assessments(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	// Each with the decisions on suggestions kept with it, in one read.
	ps, err := s.st.AssessmentPrompts(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	byID := map[string]*toolkit.Assessment{}
	for _, a := range as {
		byID[a.ID] = a
	}
	for _, p := range ps {
		if a := byID[p.AssessmentID]; a != nil {
			a.Prompts = append(a.Prompts, p)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"assessments": as})
}

// apiAssessment is one assessment, with the decisions on suggestions from
// intelligence kept with it.
func (s *Server) apiAssessment(w http.ResponseWriter, r *http.Request) {
	a, err := s.st.Assessment(r.Context(), r.PathValue("id"), r.PathValue("aid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// apiToolkitPrompts are the suggestions intelligence makes now for the
// child's toolkit, as the caller may read them: what a new assessment's
// prompts decide.
func (s *Server) apiToolkitPrompts(w http.ResponseWriter, r *http.Request) {
	ps, err := s.st.IntelPrompts(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if ps == nil {
		ps = []lantern.IntelPrompt{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"prompts": ps})
}

func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request) {
	ts, err := s.st.ChildTasks(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tasks": ts})
}
