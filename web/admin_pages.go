package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lantern/notify"

	"lantern"
	"lantern/store"
)

// usersView is the administrators' list of every user.
type usersView struct {
	Users []*lantern.User
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
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
	p.Data = usersView{Users: us}
	s.render(w, r, http.StatusOK, "users", p)
}

// userFormView is what the page adding or showing a user shows.
type userFormView struct {
	Agencies []*lantern.Agency
	Roles    []lantern.Role
	User     *lantern.User // nil when adding
	Tokens   []*store.Token
	Locked   bool
	// MailOn says a link to set a password can be emailed; LinkSent is when
	// the live one was made, if there is one.
	MailOn   bool
	LinkSent *time.Time
	// CanApprove says the viewer may approve the account's waiting change
	// (not the administrator who made it).
	CanApprove bool
	// PasswordHint says what leaving the password out does.
	PasswordHint string
}

func (s *Server) userFormPage(w http.ResponseWriter, r *http.Request, st int, p *page, u *lantern.User) {
	as, err := s.st.Agencies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Nav = "admin"
	v := userFormView{Agencies: as, Roles: lantern.Roles, User: u, MailOn: s.mailLinks(),
		PasswordHint: "Leave blank and set one later if you prefer. "}
	if v.MailOn {
		v.PasswordHint = "Leave blank to email the person a link to set their own password: you never see it. "
	}
	v.PasswordHint += "A second administrator must approve the account before it is used if you choose the password of someone who works with children's records, " +
		"or if the account will see every child (children's social care, the CSE coordinator), however its password is set."
	if u != nil {
		if v.Tokens, err = s.st.Tokens(r.Context(), u.ID); err != nil {
			s.error(w, r, err)
			return
		}
		if v.LinkSent, err = s.st.PasswordLinkSent(r.Context(), u.ID); err != nil {
			s.error(w, r, err)
			return
		}
		v.Locked = u.LockedUntil != nil && u.LockedUntil.After(s.stNow())
		v.CanApprove = u.AwaitingApproval() && p.User != nil && p.User.ID != u.ApprovalRequestedBy
	}
	p.Data = v
	s.render(w, r, st, "user_form", p)
}

func (s *Server) newUserPage(w http.ResponseWriter, r *http.Request) {
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
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	in := lantern.UserInput{Email: form.Get("email"), Name: form.Get("name"), AgencyID: form.Get("agency"),
		Roles: rolesFrom(form["roles"]), Password: form.Get("password")}
	u, err := s.st.CreateUser(r.Context(), in)
	if err == nil && in.Password == "" && s.mailLinks() {
		// The person sets their own password, from their email.
		link := "sent"
		token, err := s.st.CreatePasswordLink(r.Context(), u.ID)
		if err == nil {
			err = s.mailPasswordLink(r.Context(), u, token)
		}
		if err != nil {
			s.log.Warn("password link not sent", "user", u.ID, "err", err)
			link = "failed"
		}
		redirect(w, r, "/admin/users/"+u.ID+"?done=created&link="+link)
		return
	}
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
	redirect(w, r, "/admin/users/"+u.ID+"?done=created")
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.st.FindUserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, u.Name)
	p.Form = userFormValues(u)
	q := r.URL.Query()
	switch q.Get("done") {
	case "unlocked":
		p.Notice = "The account has been unlocked"
	case "mfa-reset":
		p.Notice = "Two-factor sign-in has been reset: the user will set it up again at their next sign-in"
	case "password":
		p.Notice = "The password has been set, and the user's sessions have ended"
	case "saved":
		p.Notice = "The user has been saved"
	case "approved":
		p.Notice = "The account has been approved: it can be used now"
	case "created":
		p.Notice = "The user has been created"
		switch q.Get("link") {
		case "sent":
			p.Notice += ", and emailed a link to set their own password"
		case "failed":
			p.Notice += ", but the email with a link to set their password was not sent: send it again below"
			p.Warning, p.Notice = p.Notice, ""
		}
		if u.AwaitingApproval() {
			if p.Warning != "" {
				p.Warning += ". A second administrator must approve the account before it can be used"
			} else {
				p.Notice += ": a second administrator must approve it before it can be used"
			}
		}
	case "link-sent":
		p.Notice = "A link to set their own password has been emailed to the person"
	case "link-failed":
		p.Warning = "The email with a link to set a password was not sent: try again, or set a password for them"
	}
	if u.AwaitingApproval() && p.Notice == "" && p.Warning == "" {
		p.Warning = "This account waits for a second administrator's approval before it can be used"
	}
	s.userFormPage(w, r, http.StatusOK, p, u)
}

func (s *Server) updateUserPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	version, _ := strconv.Atoi(form.Get("version"))
	_, err = s.st.UpdateUser(r.Context(), id, version, lantern.UserUpdate{Name: form.Get("name"), AgencyID: form.Get("agency"),
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
	if err := s.st.Unlock(r.Context(), r.PathValue("id")); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/admin/users/"+r.PathValue("id")+"?done=unlocked")
}

func (s *Server) resetTwoFactorPage(w http.ResponseWriter, r *http.Request) {
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

func (s *Server) approveUserPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.st.ApproveUser(r.Context(), id); lantern.ErrorCode(err) == lantern.EINVALID {
		s.refuseOnUserPage(w, r, id, "approve", err)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/admin/users/"+id+"?done=approved")
}

func (s *Server) passwordLinkPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	u, err := s.st.FindUserByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !s.mailLinks() {
		s.refuseOnUserPage(w, r, id, "password_link", lantern.Invalid(lantern.FieldError{Field: "password_link",
			Message: "Email is not set up on this Lantern: set a password for the person instead (a second administrator then approves the account)"}))
		return
	}
	token, err := s.st.CreatePasswordLink(r.Context(), u.ID)
	if lantern.ErrorCode(err) == lantern.EINVALID {
		s.refuseOnUserPage(w, r, id, "password_link", err)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.mailPasswordLink(r.Context(), u, token); err != nil {
		s.log.Warn("password link not sent", "user", id, "err", err)
		redirect(w, r, "/admin/users/"+id+"?done=link-failed")
		return
	}
	redirect(w, r, "/admin/users/"+id+"?done=link-sent")
}

// mailLinks says links to set a password can be emailed: a mail server, and
// the address people reach Lantern at (a link is never built from the
// request's Host, which the sender of a request writes).
func (s *Server) mailLinks() bool { return s.cfg.Mail != nil && s.cfg.BaseURL != "" }

// mailPasswordLink emails u the one-time link (token) to set their own
// password.
func (s *Server) mailPasswordLink(ctx context.Context, u *lantern.User, token string) error {
	link := strings.TrimSuffix(s.cfg.BaseURL, "/") + "/set-password/" + token
	msg, err := notify.ComposePasswordLink(s.cfg.Mail.From, u.Email, link, store.PasswordLinkTTL, s.stNow())
	if err != nil {
		return err
	}
	mailer, err := notify.NewMailer(*s.cfg.Mail)
	if err != nil {
		return err
	}
	defer mailer.Close()
	return mailer.Send(ctx, u.Email, msg)
}

func (s *Server) agenciesPage(w http.ResponseWriter, r *http.Request) {
	s.renderAgencies(w, r, http.StatusOK, s.newPage(r, "Agencies"))
}

// agenciesView is the list of agencies, with the kinds a new one may be.
type agenciesView struct {
	Agencies []*lantern.Agency
	Kinds    []lantern.AgencyKind
}

func (s *Server) renderAgencies(w http.ResponseWriter, r *http.Request, st int, p *page) {
	as, err := s.st.Agencies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Nav = "admin"
	p.Data = agenciesView{Agencies: as, Kinds: lantern.AgencyKinds}
	s.render(w, r, st, "agencies", p)
}

func (s *Server) createAgencyPage(w http.ResponseWriter, r *http.Request) {
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
