package web

import (
	"net/http"

	"lantern"
)

// RescheduleRequest is the body of PATCH /api/v1/meetings/{id}.
type RescheduleRequest struct {
	Version  *int    `json:"version"`
	StartsAt *string `json:"starts_at"`
	EndsAt   *string `json:"ends_at"`
	Location *string `json:"location"`
}

func needVersion(p *lantern.Problems, v *int) int {
	if v == nil {
		p.Add("version", "Give the version of the meeting you saw")
		return 0
	}
	return *v
}

func (s *Server) apiReschedule(w http.ResponseWriter, r *http.Request) {
	var req RescheduleRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	version := needVersion(&p, req.Version)
	cur, err := s.st.FindMeeting(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	// Fields left out keep their value.
	start, end, loc := cur.StartsAt, cur.EndsAt, cur.Location
	if req.StartsAt != nil {
		start = requiredTime(&p, "starts_at", req.StartsAt)
	}
	if req.EndsAt != nil {
		end = requiredTime(&p, "ends_at", req.EndsAt)
	}
	if req.Location != nil {
		loc = *req.Location
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.st.Reschedule(r.Context(), cur.ID, version, start, end, loc)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// CancelRequest is the body of POST /api/v1/meetings/{id}/cancel. The
// reason is kept in Lantern; the cancellation email does not carry it.
type CancelRequest struct {
	Version *int   `json:"version"`
	Reason  string `json:"reason"`
}

func (s *Server) apiCancelMeeting(w http.ResponseWriter, r *http.Request) {
	var req CancelRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	version := needVersion(&p, req.Version)
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.st.CancelMeeting(r.Context(), r.PathValue("id"), version, req.Reason)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// InviteesRequest is the body of PUT /api/v1/meetings/{id}/invitees: the
// whole list, and whether the young person and carers are invited.
type InviteesRequest struct {
	Version  *int             `json:"version"`
	Invitees []InviteeRequest `json:"invitees"`
	ParticipationRequest
}

func (s *Server) apiSetInvitees(w http.ResponseWriter, r *http.Request) {
	var req InviteesRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	version := needVersion(&p, req.Version)
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.st.SetInvitees(r.Context(), r.PathValue("id"), version, inviteeInputs(req.Invitees), req.participation())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// InvitationsResponse is what sending a meeting's invitations did.
type InvitationsResponse struct {
	MailResult
	Meeting *lantern.Meeting `json:"meeting"`
}

func (s *Server) apiSendInvitations(w http.ResponseWriter, r *http.Request) {
	res, err := s.sendInvitations(r.Context(), r, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.st.FindMeeting(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, InvitationsResponse{res, m})
}

func (s *Server) apiCompleteAction(w http.ResponseWriter, r *http.Request) {
	m, err := s.st.CompleteAction(r.Context(), r.PathValue("id"), r.PathValue("action"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// DistributeRequest is the body of POST /api/v1/meetings/{id}/distribute.
type DistributeRequest struct {
	Version *int `json:"version"`
}

// DistributeResponse is what a distribution shared and sent.
type DistributeResponse struct {
	MailResult
	Meeting *lantern.Meeting           `json:"meeting"`
	Shares  []lantern.InformationShare `json:"shares"`
}

func (s *Server) apiDistribute(w http.ResponseWriter, r *http.Request) {
	var req DistributeRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	version := needVersion(&p, req.Version)
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	res, m, err := s.distribute(r, r.PathValue("id"), version)
	if err != nil {
		s.error(w, r, err)
		return
	}
	shares, err := s.st.MeetingShares(r.Context(), m.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, DistributeResponse{res, m, shares})
}

// distribute records the pathway's sends after a meeting and emails them.
func (s *Server) distribute(r *http.Request, id string, version int) (MailResult, *lantern.Meeting, error) {
	m, ds, err := s.st.Distribute(r.Context(), id, version)
	if err != nil {
		return MailResult{}, nil, err
	}
	res, err := s.sendDistribution(r.Context(), r, m, ds)
	return res, m, err
}

func (s *Server) apiMeetingShares(w http.ResponseWriter, r *http.Request) {
	shares, err := s.st.MeetingShares(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"shares": shares})
}

func (s *Server) apiSuggestedInvitees(w http.ResponseWriter, r *http.Request) {
	kind := lantern.MeetingKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "kind", Message: "The kind must be one of " + lantern.OneOf(lantern.MeetingKinds)}))
		return
	}
	children := r.URL.Query()["child_id"]
	if len(children) > 100 {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "child_id", Message: "100 children at most"}))
		return
	}
	inv, err := s.st.SuggestedInvitees(r.Context(), kind, children)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitees": inv})
}

func (s *Server) apiMeetingFigures(w http.ResponseWriter, r *http.Request) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, err := s.st.ReportMeetingFigures(r.Context(), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// ContactRequest is the body of POST and PUT /api/v1/directory.
type ContactRequest struct {
	Version  *int     `json:"version"`
	AgencyID string   `json:"agency_id"`
	Team     string   `json:"team"`
	Name     string   `json:"name"`
	Email    string   `json:"email"`
	Phone    string   `json:"phone"`
	Roles    []string `json:"roles"`
	Active   *bool    `json:"active"`
}

func (c ContactRequest) input() lantern.ContactInput {
	in := lantern.ContactInput{AgencyID: c.AgencyID, Team: c.Team, Name: c.Name, Email: c.Email, Phone: c.Phone, Active: c.Active == nil || *c.Active}
	for _, r := range c.Roles {
		in.Roles = append(in.Roles, lantern.PathwayRole(r))
	}
	return in
}

func (s *Server) apiDirectory(w http.ResponseWriter, r *http.Request) {
	cs, err := s.st.Contacts(r.Context(), r.URL.Query().Get("inactive") == "true")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if cs == nil {
		cs = []*lantern.Contact{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"contacts": cs})
}

func (s *Server) apiContact(w http.ResponseWriter, r *http.Request) {
	c, err := s.st.FindContact(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) apiCreateContact(w http.ResponseWriter, r *http.Request) {
	var req ContactRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.st.CreateContact(r.Context(), req.input())
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/directory/"+c.ID)
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) apiUpdateContact(w http.ResponseWriter, r *http.Request) {
	var req ContactRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	if req.Version == nil {
		p.Add("version", "Give the version of the entry you saw")
	}
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.st.UpdateContact(r.Context(), r.PathValue("id"), *req.Version, req.input())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
