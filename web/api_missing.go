package web

import (
	"net/http"

	"lantern"
)

func (s *Server) missingRoutes() {
	s.handle("POST /api/v1/children/{id}/missing-episodes", s.apiCreateEpisode)
	s.handle("GET /api/v1/children/{id}/missing-episodes", s.apiEpisodes)
	s.handle("GET /api/v1/children/{id}/missing-episodes/{eid}", s.apiEpisode)
	s.handle("PATCH /api/v1/children/{id}/missing-episodes/{eid}", s.apiReturn)
	s.handle("POST /api/v1/children/{id}/missing-episodes/{eid}/interview", s.apiInterview)
	s.handle("GET /api/v1/reports/missing", s.apiMissingFigures)
}

// EpisodeRequest is the body of POST .../missing-episodes.
type EpisodeRequest struct {
	Kind                     string   `json:"kind"`
	MissingFrom              *string  `json:"missing_from"`
	ReturnedAt               *string  `json:"returned_at"`
	ReportedBy               string   `json:"reported_by"`
	ReportedAt               *string  `json:"reported_at"`
	PoliceReference          string   `json:"police_reference"`
	ReturnedWhere            string   `json:"returned_where"`
	ReturnedWith             string   `json:"returned_with"`
	Presentation             []string `json:"presentation"`
	PresentationNotes        string   `json:"presentation_notes"`
	Placement                string   `json:"placement"`
	PlacingAuthorityInformed *string  `json:"placing_authority_informed"`
}

func (s *Server) apiCreateEpisode(w http.ResponseWriter, r *http.Request) {
	var req EpisodeRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	in := lantern.EpisodeInput{Kind: req.Kind, MissingFrom: requiredTime(&p, "missing_from", req.MissingFrom),
		ReturnedAt: optionalTime(&p, "returned_at", req.ReturnedAt), ReportedBy: req.ReportedBy, ReportedAt: optionalTime(&p, "reported_at", req.ReportedAt),
		PoliceReference: req.PoliceReference, ReturnedWhere: req.ReturnedWhere, ReturnedWith: req.ReturnedWith, Presentation: req.Presentation,
		PresentationNotes: req.PresentationNotes, Placement: req.Placement, PlacingAuthorityInformed: optionalTime(&p, "placing_authority_informed", req.PlacingAuthorityInformed)}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.st.CreateEpisode(r.Context(), r.PathValue("id"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/children/"+e.ChildID+"/missing-episodes/"+e.ID)
	writeJSON(w, http.StatusCreated, e)
}

// EpisodesResponse is GET /api/v1/children/{id}/missing-episodes: the
// child's episodes and what they show together.
type EpisodesResponse struct {
	Episodes []*lantern.MissingEpisode `json:"missing_episodes"`
	Patterns lantern.Patterns          `json:"patterns"`
}

func (s *Server) apiEpisodes(w http.ResponseWriter, r *http.Request) {
	es, err := s.st.Episodes(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, EpisodesResponse{Episodes: es, Patterns: lantern.EpisodePatterns(es, s.stNow())})
}

func (s *Server) apiEpisode(w http.ResponseWriter, r *http.Request) {
	e, err := s.st.Episode(r.Context(), r.PathValue("id"), r.PathValue("eid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// ReturnRequest is the body of PATCH .../missing-episodes/{eid}.
type ReturnRequest struct {
	ReturnedAt               *string  `json:"returned_at"`
	Version                  *int     `json:"version"`
	ReturnedWhere            string   `json:"returned_where"`
	ReturnedWith             string   `json:"returned_with"`
	Presentation             []string `json:"presentation"`
	PresentationNotes        string   `json:"presentation_notes"`
	PlacingAuthorityInformed *string  `json:"placing_authority_informed"`
}

func (s *Server) apiReturn(w http.ResponseWriter, r *http.Request) {
	var req ReturnRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	in := lantern.ReturnInput{ReturnedAt: requiredTime(&p, "returned_at", req.ReturnedAt), ReturnedWhere: req.ReturnedWhere, ReturnedWith: req.ReturnedWith,
		Presentation: req.Presentation, PresentationNotes: req.PresentationNotes,
		PlacingAuthorityInformed: optionalTime(&p, "placing_authority_informed", req.PlacingAuthorityInformed)}
	if req.Version == nil {
		p.Add("version", "Give the version of the episode you are changing")
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.st.RecordReturn(r.Context(), r.PathValue("id"), r.PathValue("eid"), *req.Version, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// InterviewRequest records a return interview or why there was none.
type InterviewRequest struct {
	OfferedAt     *string  `json:"offered_at"`
	HeldAt        *string  `json:"held_at"`
	HeldBy        string   `json:"held_by"`
	ChildSaid     string   `json:"child_said"`
	FollowUp      []string `json:"follow_up"`
	NotHeldReason string   `json:"not_held_reason"`
}

func (s *Server) apiInterview(w http.ResponseWriter, r *http.Request) {
	var req InterviewRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	in := lantern.InterviewInput{OfferedAt: optionalTime(&p, "offered_at", req.OfferedAt), HeldAt: optionalTime(&p, "held_at", req.HeldAt),
		HeldBy: req.HeldBy, ChildSaid: req.ChildSaid, FollowUp: req.FollowUp, NotHeldReason: req.NotHeldReason}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.st.RecordInterview(r.Context(), r.PathValue("id"), r.PathValue("eid"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// MissingFiguresResponse is GET /api/v1/reports/missing: the figures by
// month over the period.
type MissingFiguresResponse struct {
	From   lantern.Date           `json:"from"`
	Months []lantern.MissingMonth `json:"months"`
	To     lantern.Date           `json:"to"`
}

func (s *Server) apiMissingFigures(w http.ResponseWriter, r *http.Request) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ms, err := s.st.MissingFigures(r.Context(), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, MissingFiguresResponse{From: from, Months: ms, To: to})
}
