package web

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"lantern"
	"lantern/store"
)

// Passkeys (docs/sessions.md#passkeys): registered from one's account
// page, used as the second factor when signing in, user verification
// required. The ceremonies need a script (passkeys.js) and a browser that
// does WebAuthn; the authenticator app's codes work without either.

func (s *Server) passkeyRoutes() {
	s.handle("POST /account/passkeys/options", s.passkeyCreateOptions)
	s.handle("POST /account/passkeys", s.passkeyCreate)
	s.handle("POST /account/passkeys/{id}/revoke", s.passkeyRevoke)
	s.handle("POST /sign-in/passkey/options", s.passkeyLoginOptions)
	s.handle("POST /sign-in/passkey", s.passkeyLogin)
}

// webAuthn is the relying party for this request's site: the base URL's
// host when one is configured, else the request's.
func (s *Server) webAuthn(r *http.Request) (*webauthn.WebAuthn, error) {
	origin := "http://" + r.Host
	if s.cfg.TLS {
		origin = "https://" + r.Host
	}
	if s.cfg.BaseURL != "" {
		origin = s.cfg.BaseURL
	}
	u, err := url.Parse(origin)
	if err != nil {
		return nil, err
	}
	return webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: "Lantern", RPOrigins: []string{u.Scheme + "://" + u.Host}})
}

func (s *Server) passkeyCreateOptions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	si := sessionFrom(ctx)
	wa, err := s.webAuthn(r)
	if err != nil || si == nil {
		s.error(w, r, lantern.Errorf(lantern.EBADREQUEST, "Passkeys cannot be set up from this address"))
		return
	}
	pu, err := s.st.PasskeyUserOf(ctx, lantern.UserFromContext(ctx))
	if err != nil {
		s.error(w, r, err)
		return
	}
	creation, data, err := wa.BeginRegistration(pu,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{UserVerification: protocol.VerificationRequired,
			ResidentKey: protocol.ResidentKeyRequirementPreferred}),
		webauthn.WithExclusions(webauthn.Credentials(pu.Creds).CredentialDescriptors()))
	s.ceremony(w, r, si.token, creation, data, err)
}

// finishing is the relying party and the session's ceremony (taken: it is
// used once), for a ceremony's second step; nil data when none was begun.
func (s *Server) finishing(r *http.Request, token string) (*webauthn.WebAuthn, *webauthn.SessionData, error) {
	data, err := s.st.TakeCeremony(r.Context(), token)
	if err != nil {
		return nil, nil, err
	}
	wa, err := s.webAuthn(r)
	if err != nil {
		return nil, nil, lantern.Errorf(lantern.EBADREQUEST, "Passkeys cannot be used from this address")
	}
	return wa, data, nil
}

// ceremony keeps a ceremony begun on the session and answers its options.
func (s *Server) ceremony(w http.ResponseWriter, r *http.Request, token string, options any, data *webauthn.SessionData, err error) {
	if err != nil {
		s.error(w, r, lantern.Internal(err))
		return
	}
	if err := s.st.SetCeremony(r.Context(), token, data); err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, options)
}

// passkeyCreate finishes a registration: the body is the credential as the
// browser made it (PublicKeyCredential.toJSON), the name in the query.
func (s *Server) passkeyCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	si := sessionFrom(ctx)
	name, err := lantern.CheckPasskeyName(r.URL.Query().Get("name"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	wa, data, err := s.finishing(r, si.token)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if data == nil {
		s.error(w, r, lantern.Errorf(lantern.EBADREQUEST, "Start setting up the passkey again"))
		return
	}
	parsed, err := protocol.ParseCredentialCreationResponseBody(r.Body)
	if err != nil {
		s.error(w, r, &lantern.Error{Code: lantern.EBADREQUEST, Message: "The passkey's answer could not be read", Fields: []lantern.FieldError{{Field: "body", Message: "not a WebAuthn credential"}}})
		return
	}
	pu, err := s.st.PasskeyUserOf(ctx, lantern.UserFromContext(ctx))
	if err != nil {
		s.error(w, r, err)
		return
	}
	cred, err := wa.CreateCredential(pu, *data, parsed)
	if err != nil {
		s.error(w, r, lantern.Errorf(lantern.EINVALID, "The passkey was not accepted: try again, and use your fingerprint, face or PIN when asked"))
		return
	}
	p, err := s.st.AddPasskey(ctx, name, cred)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) passkeyRevoke(w http.ResponseWriter, r *http.Request) {
	if _, err := parseForm(r); err != nil {
		s.error(w, r, err)
		return
	}
	owner, err := s.st.RevokePasskey(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if owner != lantern.UserFromContext(r.Context()).ID {
		redirect(w, r, "/admin/users/"+owner)
		return
	}
	// Every session of the passkey's person ended, this one too.
	s.clearCookie(w)
	redirect(w, r, "/sign-in?done=passkey-revoked")
}

func (s *Server) passkeyLoginOptions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	si := sessionFrom(ctx)
	if si == nil || si.sess.Stage != store.StageSecondFactor {
		s.error(w, r, lantern.Errorf(lantern.EUNAUTHORIZED, "Sign in with your password first"))
		return
	}
	wa, err := s.webAuthn(r)
	if err != nil {
		s.error(w, r, lantern.Errorf(lantern.EBADREQUEST, "Passkeys cannot be used from this address"))
		return
	}
	pu, err := s.st.PasskeyUserOf(ctx, si.sess.User)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if len(pu.Creds) == 0 {
		s.error(w, r, lantern.Errorf(lantern.ECONFLICT, "You have no passkey: enter your code"))
		return
	}
	assertion, data, err := wa.BeginLogin(pu, webauthn.WithUserVerification(protocol.VerificationRequired))
	s.ceremony(w, r, si.token, assertion, data, err)
}

// passkeyLogin finishes signing in with a passkey as the second factor.
func (s *Server) passkeyLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	si := sessionFrom(ctx)
	if si == nil || si.sess.Stage != store.StageSecondFactor {
		s.error(w, r, lantern.Errorf(lantern.EUNAUTHORIZED, "Sign in with your password first"))
		return
	}
	wa, data, err := s.finishing(r, si.token)
	if err != nil {
		s.error(w, r, err)
		return
	}
	parsed, perr := protocol.ParseCredentialRequestResponseBody(r.Body)
	if data == nil || perr != nil {
		s.st.RecordSignInRefusal(ctx, "signin.passkey-refused", "no ceremony or an unreadable answer")
		s.error(w, r, lantern.Errorf(lantern.EUNAUTHORIZED, "Start again: choose Use a passkey"))
		return
	}
	pu, err := s.st.PasskeyUserOf(ctx, si.sess.User)
	if err != nil {
		s.error(w, r, err)
		return
	}
	cred, err := wa.ValidateLogin(pu, *data, parsed)
	if err != nil {
		s.st.RecordSignInRefusal(ctx, "signin.passkey-refused", "user "+si.sess.User.ID+": "+lantern.Excerpt(err.Error(), 120))
		s.error(w, r, lantern.Errorf(lantern.EUNAUTHORIZED, "The passkey was not accepted"))
		return
	}
	if err := s.st.UsedPasskey(ctx, si.sess.User.ID, cred); err != nil {
		s.error(w, r, err)
		return
	}
	token, err := s.st.StartSession(ctx, si.sess.User.ID, store.StageSignedIn, si.token)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.setCookie(w, token)
	b, _ := json.Marshal(map[string]string{"redirect": signedInTo(r)})
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
