package web

import (
	"bytes"
	"image/png"
	"net/http"
	"strings"

	"lantern"
	"lantern/store"
)

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	if lantern.UserFromContext(r.Context()) != nil {
		redirect(w, r, "/")
		return
	}
	p := s.newPage(r, "Sign in")
	p.HideNav = true
	p.Data = s.signInView()
	switch r.URL.Query().Get("done") {
	case "password-set":
		p.Notice = "Your password has been set: sign in with it, then set up two-factor sign-in"
	case "passkey-revoked":
		p.Notice = "The passkey is revoked, and you have been signed out everywhere: sign in again"
	case "held":
		p.Warning = "You were signed out after 30 minutes without activity, so what you sent was not saved. It is kept for you: sign in again and you can send it."
	}
	s.render(w, r, http.StatusOK, "signin", p)
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Sign in")
	p.HideNav = true
	p.Data = s.signInView()
	p.Form = map[string]string{"email": form.Get("email")}
	if s.cfg.NoPasswords {
		s.renderSignIn(w, r, http.StatusForbidden, "", "Sign in with your council account: passwords are not used here")
		return
	}
	var probs lantern.Problems
	if strings.TrimSpace(form.Get("email")) == "" {
		probs.Add("email", "Enter your email address")
	}
	if form.Get("password") == "" {
		probs.Add("password", "Enter your password")
	}
	if len(probs) > 0 {
		p.Errors = probs
		s.render(w, r, http.StatusUnprocessableEntity, "signin", p)
		return
	}
	u, err := s.st.CheckPassword(r.Context(), form.Get("email"), form.Get("password"))
	if err != nil {
		st := statusOf(err)
		if st == http.StatusInternalServerError {
			s.error(w, r, err)
			return
		}
		p.Errors = []lantern.FieldError{{Field: "email", Message: lantern.ErrorMessage(err)}}
		s.render(w, r, st, "signin", p)
		return
	}
	if s.demoOnly(u) {
		p.Errors = []lantern.FieldError{{Field: "email", Message: errDemoOnly.Message}}
		s.render(w, r, http.StatusForbidden, "signin", p)
		return
	}
	stage := store.StageSecondFactor
	next := "/sign-in/two-factor"
	switch {
	case u.MFAExempt && s.cfg.Demo:
		stage, next = store.StageSignedIn, signedInTo(r)
	case !u.MFAEnrolled:
		stage, next = store.StageEnrol, "/sign-in/enrol"
	}
	old := ""
	if si := sessionFrom(r.Context()); si != nil {
		old = si.token
	}
	token, err := s.st.StartSession(r.Context(), u.ID, stage, old)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.setCookie(w, token)
	redirect(w, r, next)
}

// pending returns the part-signed-in session at a stage, or sends the
// browser back to the start.
func (s *Server) pending(w http.ResponseWriter, r *http.Request, stage string) *sessionInfo {
	si := sessionFrom(r.Context())
	if si == nil || si.sess.Stage != stage {
		redirect(w, r, "/sign-in")
		return nil
	}
	return si
}

func (s *Server) twoFactorPage(w http.ResponseWriter, r *http.Request) {
	if s.pending(w, r, store.StageSecondFactor) == nil {
		return
	}
	si := sessionFrom(r.Context())
	p := s.newPage(r, "Enter your security code")
	p.HideNav = true
	keys, err := s.st.PasskeyUserOf(r.Context(), si.sess.User)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Data = twoFactorView{Passkeys: len(keys.Creds) > 0}
	s.render(w, r, http.StatusOK, "twofactor", p)
}

func (s *Server) twoFactor(w http.ResponseWriter, r *http.Request) {
	si := s.pending(w, r, store.StageSecondFactor)
	if si == nil {
		return
	}
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Enter your security code")
	p.HideNav = true
	code := strings.TrimSpace(form.Get("code"))
	if code == "" {
		p.Errors = []lantern.FieldError{{Field: "code", Message: "Enter the 6-digit code from your authenticator app, or a recovery code"}}
		s.render(w, r, http.StatusUnprocessableEntity, "twofactor", p)
		return
	}
	token, err := s.st.CheckSecondFactor(r.Context(), si.token, si.sess, code)
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.error(w, r, err)
			return
		}
		if err == store.ErrLocked {
			s.clearCookie(w)
		}
		p.Errors = []lantern.FieldError{{Field: "code", Message: lantern.ErrorMessage(err)}}
		s.render(w, r, statusOf(err), "twofactor", p)
		return
	}
	s.setCookie(w, token)
	redirect(w, r, signedInTo(r))
}

func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request) {
	si := s.pending(w, r, store.StageEnrol)
	if si == nil {
		return
	}
	s.renderEnrol(w, r, si, http.StatusOK, nil)
}

// enrolView is the page setting up an authenticator app: the key to enter
// by hand, in groups of four, and the account it is for.
type enrolView struct {
	Secret, Email string
}

func (s *Server) renderEnrol(w http.ResponseWriter, r *http.Request, si *sessionInfo, st int, errs []lantern.FieldError) {
	secret := si.sess.PendingSecret
	if secret == "" {
		key, err := s.st.BeginEnrolment(r.Context(), si.token, si.sess.User)
		if err != nil {
			s.error(w, r, err)
			return
		}
		secret = key.Secret()
	}
	p := s.newPage(r, "Set up two-factor sign-in")
	p.HideNav = true
	p.Errors = errs
	p.Data = enrolView{Secret: groupSecret(secret), Email: si.sess.User.Email}
	s.render(w, r, st, "enrol", p)
}

// groupSecret spaces a secret in fours, for typing.
func groupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Server) enrolQR(w http.ResponseWriter, r *http.Request) {
	si := sessionFrom(r.Context())
	if si == nil || si.sess.Stage != store.StageEnrol || si.sess.PendingSecret == "" {
		s.error(w, r, lantern.NotFound("Page"))
		return
	}
	key, err := store.PendingKey(si.sess.User, si.sess.PendingSecret)
	if err != nil {
		s.error(w, r, lantern.Internal(err))
		return
	}
	img, err := key.Image(240, 240)
	if err != nil {
		s.error(w, r, lantern.Internal(err))
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		s.error(w, r, lantern.Internal(err))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	buf.WriteTo(w)
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	si := s.pending(w, r, store.StageEnrol)
	if si == nil {
		return
	}
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	code := strings.ReplaceAll(strings.TrimSpace(form.Get("code")), " ", "")
	if len(code) != 6 {
		s.renderEnrol(w, r, si, http.StatusUnprocessableEntity, []lantern.FieldError{{Field: "code", Message: "Enter the 6-digit code shown in your authenticator app"}})
		return
	}
	token, codes, err := s.st.ConfirmEnrolment(r.Context(), si.token, si.sess, code)
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.error(w, r, err)
			return
		}
		s.renderEnrol(w, r, si, statusOf(err), []lantern.FieldError{{Field: "code", Message: lantern.ErrorMessage(err)}})
		return
	}
	s.setCookie(w, token)
	p := s.newPage(r, "Save your recovery codes")
	p.User = si.sess.User
	p.HideNav = true
	p.Data = codes
	s.render(w, r, http.StatusOK, "recovery", p)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if si := sessionFrom(r.Context()); si != nil {
		if err := s.st.EndSession(r.Context(), si.token); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.clearCookie(w)
	p := s.newPage(r, "You have signed out")
	p.User = nil
	s.render(w, r, http.StatusOK, "signedout", p)
}

// setPasswordView is what the page for setting one's own first password
// shows.
type setPasswordView struct {
	Name, Email string
	// Dead says the link was used, has expired or is not right.
	Dead bool
}

// deadLink answers a link to set a password that no longer works, saying
// so and what to do: the same words whether it was used, old or made up.
func (s *Server) deadLink(w http.ResponseWriter, r *http.Request, err error) {
	if err != store.ErrBadPasswordLink {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "This link no longer works")
	p.HideNav = true
	p.User = nil
	p.Data = setPasswordView{Dead: true}
	s.render(w, r, http.StatusNotFound, "set_password", p)
}

// setOwnPasswordPage is where a one-time link from an email leads: the
// person sets their own password, which no administrator sees.
func (s *Server) setOwnPasswordPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.st.PasswordLinkUser(r.Context(), r.PathValue("token"))
	if err != nil {
		s.deadLink(w, r, err)
		return
	}
	p := s.newPage(r, "Set your password")
	p.HideNav = true
	p.User = nil
	p.Data = setPasswordView{Name: u.Name, Email: u.Email}
	s.render(w, r, http.StatusOK, "set_password", p)
}

// setOwnPassword sets the password a link is for. The link is looked up
// once when the form is right; only a form sent back with errors needs its
// holder's name again.
func (s *Server) setOwnPassword(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var probs lantern.Problems
	switch {
	case form.Get("password") == "":
		probs.Add("password", "Enter a password")
	case form.Get("password") != form.Get("confirm"):
		probs.Add("confirm", "Enter the same password twice")
	}
	if len(probs) == 0 {
		err := s.st.SetPasswordByLink(r.Context(), token, form.Get("password"))
		if err == nil {
			redirect(w, r, "/sign-in?done=password-set")
			return
		} else if lantern.ErrorCode(err) != lantern.EINVALID {
			s.deadLink(w, r, err)
			return
		}
		probs = lantern.ErrorFields(err)
	}
	u, err := s.st.PasswordLinkUser(r.Context(), token)
	if err != nil {
		s.deadLink(w, r, err)
		return
	}
	p := s.newPage(r, "Set your password")
	p.HideNav = true
	p.User = nil
	p.Data = setPasswordView{Name: u.Name, Email: u.Email}
	p.Errors = probs
	s.render(w, r, http.StatusUnprocessableEntity, "set_password", p)
}

// twoFactorView is the second-factor page's: whether the person has a
// passkey to offer.
type twoFactorView struct{ Passkeys bool }
