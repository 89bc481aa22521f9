package web

import (
	"net/http"
	"strconv"
	"strings"

	"lantern"
)

func (s *Server) meetingRoutes() {
	s.handle("POST /api/v1/meetings", s.apiCreateMeeting)
	s.handle("GET /api/v1/meetings/{id}", s.apiMeeting)
	s.handle("GET /api/v1/meetings/{id}/invite.ics", s.apiInvite)
	s.handle("POST /api/v1/meetings/{id}/outcome", s.apiOutcome)
	s.handle("GET /api/v1/reports/meetings", s.apiMeetingsReport)
	s.handle("GET /api/v1/reports/meeting-figures", s.apiMeetingFigures)
	s.handle("PATCH /api/v1/meetings/{id}", s.apiReschedule)
	s.handle("POST /api/v1/meetings/{id}/cancel", s.apiCancelMeeting)
	s.handle("PUT /api/v1/meetings/{id}/invitees", s.apiSetInvitees)
	s.handle("POST /api/v1/meetings/{id}/invitations", s.apiSendInvitations)
	s.handle("POST /api/v1/meetings/{id}/actions/{action}/complete", s.apiCompleteAction)
	s.handle("POST /api/v1/meetings/{id}/distribute", s.apiDistribute)
	s.handle("GET /api/v1/meetings/{id}/shares", s.apiMeetingShares)
	s.handle("GET /api/v1/meetings/{id}/pack.pdf", s.apiMeetingPack)
	s.handle("GET /api/v1/meeting-suggestions", s.apiSuggestedInvitees)
	s.handle("GET /api/v1/directory", s.apiDirectory)
	s.handle("POST /api/v1/directory", s.apiCreateContact)
	s.handle("GET /api/v1/directory/{id}", s.apiContact)
	s.handle("PUT /api/v1/directory/{id}", s.apiUpdateContact)
}

// MeetingRequest is the body of POST /api/v1/meetings.
type MeetingRequest struct {
	Kind     lantern.MeetingKind `json:"kind"`
	ChildIDs []string            `json:"child_ids"`
	StartsAt *string             `json:"starts_at"`
	EndsAt   *string             `json:"ends_at"`
	Location string              `json:"location"`
	// Added to docs/api.md's fields: the toolkit attached, the invitees, and
	// whether the young person and carers are invited.
	AssessmentID string           `json:"assessment_id"`
	Invitees     []InviteeRequest `json:"invitees"`
	ParticipationRequest
}

// InviteeRequest is a directory entry by id, or anyone by name and email.
type InviteeRequest struct {
	ContactID string `json:"contact_id"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Agency    string `json:"agency"`
	Role      string `json:"role"`
}

// ParticipationRequest says whether the young person and carers are
// invited ("invited" or "not-invited"), and why not.
type ParticipationRequest struct {
	YoungPerson       *string `json:"young_person"`
	YoungPersonReason string  `json:"young_person_reason"`
	Carers            *string `json:"carers"`
	CarersReason      string  `json:"carers_reason"`
}

func (p ParticipationRequest) given() bool { return p.YoungPerson != nil || p.Carers != nil }

func (p ParticipationRequest) participation() lantern.Participation {
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return lantern.Participation{YoungPerson: deref(p.YoungPerson), YoungPersonReason: p.YoungPersonReason, Carers: deref(p.Carers), CarersReason: p.CarersReason}
}

func inviteeInputs(rs []InviteeRequest) []lantern.InviteeInput {
	out := make([]lantern.InviteeInput, len(rs))
	for i, v := range rs {
		out[i] = lantern.InviteeInput{ContactID: v.ContactID, Name: v.Name, Email: v.Email, Agency: v.Agency, Role: v.Role}
	}
	return out
}

func (s *Server) apiCreateMeeting(w http.ResponseWriter, r *http.Request) {
	var req MeetingRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	in := lantern.MeetingInput{Kind: req.Kind, ChildIDs: req.ChildIDs, StartsAt: requiredTime(&p, "starts_at", req.StartsAt),
		EndsAt: requiredTime(&p, "ends_at", req.EndsAt), Location: req.Location, AssessmentID: req.AssessmentID, Invitees: inviteeInputs(req.Invitees)}
	if req.given() {
		pt := req.participation()
		in.Participation = &pt
	}
	if len(p) == 0 && !in.EndsAt.After(in.StartsAt) {
		p.Add("ends_at", "The meeting must end after it starts")
	}
	if !req.Kind.Valid() {
		p.Add("kind", "The kind must be one of cse-strategy, strategy-discussion, icpc, review, core-group, context-conference")
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.st.CreateMeeting(r.Context(), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/meetings/"+m.ID)
	writeJSON(w, http.StatusCreated, m)
}

func (s *Server) apiMeeting(w http.ResponseWriter, r *http.Request) {
	m, err := s.st.FindMeeting(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// apiInvite is the meeting as an RFC 5545 calendar file: its time, place and
// a link; never the children's names or anything of the case.
func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request) {
	m, err := s.st.FindMeeting(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	body := s.calendar(r, m, "", false)
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8; method=REQUEST")
	w.Header().Set("Content-Disposition", `attachment; filename="invite.ics"`)
	w.Write([]byte(body))
}

// link is an absolute address of a page, for calendars and email.
func (s *Server) link(r *http.Request, path string) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/") + path
	}
	scheme := "http"
	if s.cfg.TLS {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// OutcomeRequest is the body of POST /api/v1/meetings/{id}/outcome.
type OutcomeRequest struct {
	Version   *int              `json:"version"`
	Held      *bool             `json:"held"`
	Decisions []DecisionRequest `json:"decisions"`
	Actions   []ActionRequest   `json:"actions"`
	// Added to docs/api.md's fields.
	Attendance      map[string]lantern.Attendance `json:"attendance"` // invitee id → attended, apologies, sent-report, absent
	Chair           string                        `json:"chair"`
	Minutes         string                        `json:"minutes"`
	Associates      string                        `json:"associates"`
	NextMeetingDate *string                       `json:"next_meeting_date"`
}

// DecisionRequest is a decision for one child.
type DecisionRequest struct {
	ChildID         string   `json:"child_id"`
	Level           string   `json:"level"`
	Rationale       string   `json:"rationale"`
	Recommendations []string `json:"recommendations"`
}

// ActionRequest is an action with an owner and a due date.
type ActionRequest struct {
	Description string  `json:"description"`
	Owner       string  `json:"owner"`
	DueDate     *string `json:"due_date"`
	AgencyID    string  `json:"agency_id"`
}

func (s *Server) apiOutcome(w http.ResponseWriter, r *http.Request) {
	var req OutcomeRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	if req.Version == nil {
		p.Add("version", "Give the version of the meeting")
	}
	if req.Held == nil {
		p.Add("held", "Say whether the meeting was held")
	}
	o := lantern.Outcome{Held: req.Held != nil && *req.Held, Attendance: req.Attendance, Chair: req.Chair, Minutes: req.Minutes, Associates: req.Associates,
		NextMeetingDate: parseDateField(&p, "next_meeting_date", req.NextMeetingDate, false)}
	for _, d := range req.Decisions {
		o.Decisions = append(o.Decisions, lantern.MeetingDecision{ChildID: d.ChildID, Level: d.Level, Rationale: d.Rationale, Recommendations: d.Recommendations})
	}
	for i, a := range req.Actions {
		due := parseDateField(&p, "actions["+strconv.Itoa(i)+"].due_date", a.DueDate, true)
		o.Actions = append(o.Actions, lantern.MeetingAction{Description: a.Description, Owner: a.Owner, DueDate: due, AgencyID: a.AgencyID})
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.st.RecordOutcome(r.Context(), r.PathValue("id"), *req.Version, o)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) apiMeetingsReport(w http.ResponseWriter, r *http.Request) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rep, err := s.st.ReportMeetings(r.Context(), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
