package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"lantern"
	"lantern/password"
	"lantern/store"
)

// accountView is the signed-in person's own account: their API tokens and
// how many recovery codes they have left.
type accountView struct {
	Tokens       []*store.Token
	RecoveryLeft int
	Now          time.Time
	// NewToken is a token just made, shown this once.
	NewToken string
	// Passkeys are the person's; CanPasskey says their roles use them.
	Passkeys   []*lantern.Passkey
	CanPasskey bool
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, s.newPage(r, "Your account"), "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, st int, p *page, newToken string) {
	u := lantern.UserFromContext(r.Context())
	tokens, err := s.st.Tokens(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	left, err := s.st.RecoveryCodesLeft(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	keys, err := s.st.Passkeys(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if r.URL.Query().Get("done") == "passkey-added" {
		p.Notice = "Your passkey has been added: use it when you next sign in"
	}
	p.Nav = "account"
	p.Data = accountView{Tokens: tokens, RecoveryLeft: left, Now: s.stNow(), NewToken: newToken, Passkeys: keys,
		CanPasskey: lantern.Allowed(u, lantern.ResPasskey, lantern.ActCreate, lantern.RelOwn)}
	s.render(w, r, st, "account", p)
}

var tokenLifetimes = map[string]time.Duration{"1d": 24 * time.Hour, "7d": 7 * 24 * time.Hour, "30d": 30 * 24 * time.Hour, "90d": 90 * 24 * time.Hour}

func (s *Server) createTokenPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := lantern.UserFromContext(r.Context())
	p := s.newPage(r, "Your account")
	ttl, ok := tokenLifetimes[form.Get("ttl")]
	if !ok {
		p.Form = formMap(form)
		p.Errors = []lantern.FieldError{{Field: "ttl", Message: "Select how long the token lasts"}}
		s.renderAccount(w, r, http.StatusUnprocessableEntity, p, "")
		return
	}
	secret, _, err := s.st.CreateToken(r.Context(), u.ID, form.Get("name"), ttl)
	if lantern.ErrorCode(err) == lantern.EINVALID {
		p.Form = formMap(form)
		p.Errors = lantern.ErrorFields(err)
		s.renderAccount(w, r, http.StatusUnprocessableEntity, p, "")
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderAccount(w, r, http.StatusOK, p, secret)
}

func (s *Server) revokeTokenPage(w http.ResponseWriter, r *http.Request) {
	if err := s.st.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Your account")
	p.Notice = "The token has been revoked"
	s.renderAccount(w, r, http.StatusOK, p, "")
}

func (s *Server) changePasswordPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := lantern.UserFromContext(r.Context())
	p := s.newPage(r, "Your account")
	if _, err := s.st.CheckPassword(r.Context(), u.Email, form.Get("current_password")); err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.error(w, r, err)
			return
		}
		p.Errors = []lantern.FieldError{{Field: "current_password", Message: "Your current password is not right"}}
		// The new password's problems too, so that every problem shows at once.
		if err := password.Check(form.Get("new_password"), u.Email, strings.Split(u.Email, "@")[0], u.Name); err != nil {
			var pe *password.PolicyError
			if errors.As(err, &pe) {
				p.Errors = append(p.Errors, lantern.FieldError{Field: "new_password", Message: pe.Message})
			}
		}
		s.renderAccount(w, r, http.StatusUnprocessableEntity, p, "")
		return
	}
	if err := s.st.SetPassword(r.Context(), u.ID, form.Get("new_password")); lantern.ErrorCode(err) == lantern.EINVALID {
		p.Errors = []lantern.FieldError{{Field: "new_password", Message: lantern.ErrorMessage(err)}}
		s.renderAccount(w, r, http.StatusUnprocessableEntity, p, "")
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	// Every session ended with the change, this one too.
	s.clearCookie(w)
	redirect(w, r, "/sign-in")
}
