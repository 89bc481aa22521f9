package web

import (
	"net/http"

	"lantern"
)

func (s *Server) involvementRoutes() {
	s.handle("GET /children/{id}/agencies", s.involvementsPage)
	s.handle("POST /children/{id}/agencies", s.involvePage)
	s.handle("POST /children/{id}/agencies/{iid}/end", s.endInvolvementPage)
	s.handle("GET /api/v1/children/{id}/involvements", s.apiInvolvements)
	s.handle("POST /api/v1/children/{id}/involvements", s.apiInvolve)
	s.handle("POST /api/v1/children/{id}/involvements/{iid}/end", s.apiEndInvolvement)
}

// involvementsView is the page of the agencies involved with a child.
type involvementsView struct {
	Child    *lantern.Child
	Live     []*lantern.Involvement
	Ended    []*lantern.Involvement
	Agencies []*lantern.Agency
	// CanDecide says the viewer may involve an agency, or end an
	// involvement a decision gave.
	CanDecide bool
}

func (s *Server) involvementsPage(w http.ResponseWriter, r *http.Request) {
	s.renderInvolvements(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderInvolvements(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	ctx := r.Context()
	c, err := s.st.FindChildByID(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	vs, err := s.st.Involvements(ctx, c.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Agencies involved with "+c.FullName())
	p.Nav = "children"
	p.Form, p.Errors = form, errs
	v := involvementsView{Child: c, CanDecide: lantern.Allowed(p.User, lantern.ResInvolvement, lantern.ActCreate, lantern.ChildRelation(p.User, c.AgencyIDs)) && c.MergedInto == ""}
	for _, i := range vs {
		if i.Live() {
			v.Live = append(v.Live, i)
		} else {
			v.Ended = append(v.Ended, i)
		}
	}
	if v.CanDecide {
		if v.Agencies, err = s.st.Agencies(ctx); err != nil {
			s.error(w, r, err)
			return
		}
	}
	switch r.URL.Query().Get("done") {
	case "involved":
		p.Notice = "The agency is involved: its people can see this record"
	case "ended":
		p.Notice = "The involvement has ended"
	}
	p.Data = v
	s.render(w, r, status, "involvements", p)
}

func (s *Server) involvePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	_, err = s.st.Involve(r.Context(), id, lantern.InvolvementInput{AgencyID: form.Get("agency_id"), Reason: form.Get("reason")})
	if lantern.ErrorCode(err) == lantern.EINVALID {
		s.renderInvolvements(w, r, http.StatusUnprocessableEntity, formMap(form), lantern.ErrorFields(err))
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/"+id+"/agencies?done=involved")
}

func (s *Server) endInvolvementPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id, iid := r.PathValue("id"), r.PathValue("iid")
	err = s.st.EndInvolvement(r.Context(), id, iid, form.Get("reason"))
	if lantern.ErrorCode(err) == lantern.EINVALID {
		errs := lantern.ErrorFields(err)
		for i := range errs {
			errs[i].Field = "reason-" + iid // the reason box of this involvement
		}
		s.renderInvolvements(w, r, http.StatusUnprocessableEntity, map[string]string{"reason-" + iid: form.Get("reason")}, errs)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/"+id+"/agencies?done=ended")
}

func (s *Server) apiInvolvements(w http.ResponseWriter, r *http.Request) {
	vs, err := s.st.Involvements(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"involvements": vs})
}

func (s *Server) apiInvolve(w http.ResponseWriter, r *http.Request) {
	var in lantern.InvolvementInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.st.Involve(r.Context(), r.PathValue("id"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

// EndInvolvementRequest is the body of POST .../involvements/{iid}/end.
type EndInvolvementRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) apiEndInvolvement(w http.ResponseWriter, r *http.Request) {
	var in EndInvolvementRequest
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.st.EndInvolvement(r.Context(), r.PathValue("id"), r.PathValue("iid"), in.Reason); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
