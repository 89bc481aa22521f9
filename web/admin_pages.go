package web

import (
	"net/http"
	"strconv"

	"lantern"
	"lantern/store"
)

// admin gates administration pages; to anyone else they do not exist.
func (s *Server) admin(w http.ResponseWriter, r *http.Request) bool {
	if !lantern.CanAdminister(lantern.UserFromContext(r.Context())) {
		s.error(w, r, lantern.NotFound("Page"))
		return false
	}
	return true
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	us, err := s.st.Users(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Users")
	p.Nav = "admin"
	if r.URL.Query().Get("saved") == "1" {
		p.Notice = "The user has been saved"
	}
	p.Data = map[string]any{"Users": us}
	s.render(w, r, http.StatusOK, "users", p)
}

func (s *Server) userFormPage(w http.ResponseWriter, r *http.Request, st int, p *page, u *lantern.User) {
	as, err := s.st.Agencies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Nav = "admin"
	data := map[string]any{"Agencies": as, "Roles": lantern.Roles, "User": u}
	if u != nil {
		tokens, err := s.st.Tokens(r.Context(), u.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		data["Tokens"] = tokens
		data["Locked"] = u.LockedUntil != nil && u.LockedUntil.After(s.stNow())
	}
	p.Data = data
	s.render(w, r, st, "user_form", p)
}

func (s *Server) newUserPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	s.userFormPage(w, r, http.StatusOK, s.newPage(r, "Add a user"), nil)
}

func rolesFrom(vs []string) []lantern.Role {
	rs := make([]lantern.Role, 0, len(vs))
	for _, v := range vs {
		rs = append(rs, lantern.Role(v))
	}
	return rs
}

func userFormValues(u *lantern.User) map[string]string {
	m := map[string]string{"name": u.Name, "email": u.Email, "agency": u.AgencyID, "version": strconv.Itoa(u.Version)}
	for _, r := range u.Roles {
		m["role-"+string(r)] = "on"
	}
	if u.Disabled {
		m["disabled"] = "on"
	}
	return m
}

func (s *Server) createUserPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	in := lantern.UserInput{Email: form.Get("email"), Name: form.Get("name"), AgencyID: form.Get("agency"),
		Roles: rolesFrom(form["roles"]), Password: form.Get("password")}
	u, err := s.st.CreateUser(r.Context(), in)
	if lantern.ErrorCode(err) == lantern.EINVALID {
		p := s.newPage(r, "Add a user")
		p.Form = formMap(form)
		for _, role := range form["roles"] {
			p.Form["role-"+role] = "on"
		}
		p.Errors = lantern.ErrorFields(err)
		s.userFormPage(w, r, http.StatusUnprocessableEntity, p, nil)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/admin/users/"+u.ID+"?created=1")
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	u, err := s.st.FindUserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, u.Name)
	p.Form = userFormValues(u)
	switch r.URL.Query().Get("done") {
	case "unlocked":
		p.Notice = "The account has been unlocked"
	case "mfa-reset":
		p.Notice = "Two-factor sign-in has been reset: the user will set it up again at their next sign-in"
	case "password":
		p.Notice = "The password has been set, and the user's sessions have ended"
	case "saved":
		p.Notice = "The user has been saved"
	}
	if r.URL.Query().Get("created") == "1" {
		p.Notice = "The user has been created"
	}
	s.userFormPage(w, r, http.StatusOK, p, u)
}

func (s *Server) updateUserPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	id := r.PathValue("id")
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	version, _ := strconv.Atoi(form.Get("version"))
	_, err = s.st.UpdateUser(r.Context(), id, version, store.UserUpdate{Name: form.Get("name"), AgencyID: form.Get("agency"),
		Roles: rolesFrom(form["roles"]), Disabled: form.Get("disabled") == "on"})
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/admin/users/"+id+"?done=saved")
	case lantern.EINVALID, lantern.ECONFLICT:
		u, ferr := s.st.FindUserByID(r.Context(), id)
		if ferr != nil {
			s.error(w, r, ferr)
			return
		}
		p := s.newPage(r, u.Name)
		p.Form = formMap(form)
		for _, role := range form["roles"] {
			p.Form["role-"+role] = "on"
		}
		p.Form["version"] = strconv.Itoa(u.Version)
		p.Form["email"] = u.Email
		p.Errors = lantern.ErrorFields(err)
		if len(p.Errors) == 0 {
			p.Errors = []lantern.FieldError{{Field: "name", Message: lantern.ErrorMessage(err) + ": check the details and save again"}}
		}
		s.userFormPage(w, r, statusOf(err), p, u)
	default:
		s.error(w, r, err)
	}
}

func (s *Server) unlockUserPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	if err := s.st.Unlock(r.Context(), r.PathValue("id")); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/admin/users/"+r.PathValue("id")+"?done=unlocked")
}

func (s *Server) resetTwoFactorPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	id := r.PathValue("id")
	if err := s.st.ResetTwoFactor(r.Context(), id); lantern.ErrorCode(err) == lantern.EINVALID {
		s.refuseOnUserPage(w, r, id, "reset-two-factor", err)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/admin/users/"+r.PathValue("id")+"?done=mfa-reset")
}

// refuseOnUserPage shows the user's page again with why a change to the
// account was refused, at the control that asked for it.
func (s *Server) refuseOnUserPage(w http.ResponseWriter, r *http.Request, id, field string, err error) {
	u, ferr := s.st.FindUserByID(r.Context(), id)
	if ferr != nil {
		s.error(w, r, ferr)
		return
	}
	p := s.newPage(r, u.Name)
	p.Form = userFormValues(u)
	p.Errors = []lantern.FieldError{{Field: field, Message: lantern.ErrorMessage(err)}}
	s.userFormPage(w, r, http.StatusUnprocessableEntity, p, u)
}

func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	id := r.PathValue("id")
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.st.SetPassword(r.Context(), id, form.Get("new_password"))
	if lantern.ErrorCode(err) == lantern.EINVALID {
		s.refuseOnUserPage(w, r, id, "new_password", err)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/admin/users/"+id+"?done=password")
}

func (s *Server) agenciesPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	s.renderAgencies(w, r, http.StatusOK, s.newPage(r, "Agencies"))
}

func (s *Server) renderAgencies(w http.ResponseWriter, r *http.Request, st int, p *page) {
	as, err := s.st.Agencies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Nav = "admin"
	p.Data = map[string]any{"Agencies": as, "Kinds": lantern.AgencyKinds}
	s.render(w, r, st, "agencies", p)
}

func (s *Server) createAgencyPage(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	_, err = s.st.CreateAgency(r.Context(), lantern.AgencyInput{Name: form.Get("name"), Kind: lantern.AgencyKind(form.Get("kind"))})
	p := s.newPage(r, "Agencies")
	switch lantern.ErrorCode(err) {
	case "":
		p.Notice = "The agency has been added"
		s.renderAgencies(w, r, http.StatusOK, p)
	case lantern.EINVALID:
		p.Form = formMap(form)
		p.Errors = lantern.ErrorFields(err)
		s.renderAgencies(w, r, http.StatusUnprocessableEntity, p)
	default:
		s.error(w, r, err)
	}
}
