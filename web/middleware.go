package web

import (
	"errors"
	"net/http"
	"runtime/debug"
	"strings"

	"lantern"
	"lantern/store"
)

// The Content-Security-Policy allows no inline script or style and no
// framing; everything comes from Lantern itself.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.cfg.TLS {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/assets/") {
			// Case records must not linger in shared caches or the back button.
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a 500 that says nothing of its cause.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.error(w, r, lantern.Internal(errors.New("panic")))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.bodyLimit(r)
		if r.ContentLength > limit {
			s.error(w, r, lantern.Errorf(lantern.ETOOLARGE, "The request body is larger than %d bytes", limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// refuseUnstorable answers, before any database sees it, a path or query
// holding text no database can keep (see storable): such a path names
// nothing (404), and such a query cannot be read (400).
func (s *Server) refuseUnstorable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !storable(r.URL.Path) {
			what := "Page"
			if isAPI(r) {
				what = "Resource"
			}
			s.error(w, r, lantern.NotFound(what))
			return
		}
		for k, vs := range r.URL.Query() {
			if !storable(k) || !allStorable(vs) {
				s.error(w, r, lantern.Errorf(lantern.EBADREQUEST, "The address has characters that could not be read"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) crossOrigin(w http.ResponseWriter, r *http.Request) {
	s.error(w, r, lantern.Errorf(lantern.EFORBIDDEN, "This request came from another site and has been refused"))
}

// SessionCookie holds a session's secret; the store keeps only its hash.
const SessionCookie = "lantern_session"

// authenticate puts the signed-in user, if any, in the context: from an API
// token for scripts, or a fully signed-in session for people.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Static files are public and the same for everyone: a page's dozen
		// asset requests need no session lookup in the database.
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			// The scheme's name is case-insensitive (RFC 9110, 11.1).
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				s.error(w, r, &lantern.Error{Code: lantern.EUNAUTHORIZED, Message: "Use an Authorization header of the form: Bearer TOKEN"})
				return
			}
			u, err := s.st.TokenUser(ctx, strings.TrimSpace(token))
			if errors.Is(err, store.ErrBadToken) {
				// Audited and counted like a failed sign-in, from where it came.
				rctx := lantern.NewContextWithRequest(ctx, lantern.RequestInfo{IP: s.clientIP(r), Why: "Authorization: Bearer (" + r.Method + ")"})
				if rerr := s.st.TokenRefused(rctx); rerr != nil {
					err = rerr
				}
			}
			if err == nil && s.demoOnly(u) {
				err = errDemoOnly
			}
			if err != nil {
				s.error(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(lantern.NewContextWithUser(ctx, u)))
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			sess, err := s.st.FindSession(ctx, c.Value)
			switch {
			case err == nil && s.demoOnly(sess.User):
				s.clearCookie(w) // a session from a demonstration run before
			case err == nil && sess.Stage == store.StageSignedIn:
				ctx = lantern.NewContextWithUser(ctx, sess.User)
				ctx = withSession(ctx, c.Value, sess)
			case err == nil:
				ctx = withSession(ctx, c.Value, sess) // part-way through signing in
			case lantern.ErrorCode(err) == lantern.EUNAUTHORIZED:
				s.clearCookie(w)
				var ended *store.SessionEnded
				if errors.As(err, &ended) {
					ctx = withEndedUser(ctx, ended.UserID) // a form it sends can be held for them
				}
			default:
				s.error(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// demoOnly says a demonstration account is used outside a demonstration:
// its password is published, so it is no way in to anything else, whether
// by signing in, by a session or a token from a demonstration run before.
func (s *Server) demoOnly(u *lantern.User) bool { return u.MFAExempt && !s.cfg.Demo }

var errDemoOnly = &lantern.Error{Code: lantern.EUNAUTHORIZED, Message: "This is a demonstration account: it signs in only while Lantern runs with --demo"}

func (s *Server) setCookie(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: value, Path: "/", HttpOnly: true,
		Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode, MaxAge: int(store.AbsoluteTimeout.Seconds())})
}

func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}
