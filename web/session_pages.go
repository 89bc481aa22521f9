package web

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"lantern"
	"lantern/store"
)

// The session's idle timeout, told before it ends (WCAG 2.2.1): every page
// says when the session ends if nothing is done, app.js warns two minutes
// before and offers more time (POST /session/extend), and a form sent after
// the session ended is held, sealed, until its writer signs in again, then
// offered back to send (GET /session/held). See docs/sessions.md.

// HeldCookie carries the key to a held form (store.HoldForm).
const HeldCookie = "lantern_held"

func (s *Server) sessionPageRoutes() {
	s.handle("POST /session/extend", s.extendSession)
	s.handle("GET /session/held", s.heldFormPage)
}

type endedKey struct{}

// withEndedUser marks a request whose session has just ended (idle or too
// old) with whose it was.
func withEndedUser(ctx context.Context, userID string) context.Context {
	return context.WithValue(ctx, endedKey{}, userID)
}

func endedUser(r *http.Request) string {
	id, _ := r.Context().Value(endedKey{}).(string)
	return id
}

// holdForm keeps a form sent after its session ended, for the same person
// to send after signing in again: a form of fields only (no file), to a
// page. It reports whether it answered the request.
func (s *Server) holdForm(w http.ResponseWriter, r *http.Request) bool {
	userID := endedUser(r)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if userID == "" || r.Method != http.MethodPost || ct != "application/x-www-form-urlencoded" {
		return false
	}
	form, err := parseForm(r)
	if err != nil || len(form) == 0 {
		return false
	}
	cookie, err := s.st.HoldForm(r.Context(), userID, r.URL.Path, form)
	if err != nil {
		s.log.Warn("form not held", "user", userID, "err", err)
		return false
	}
	http.SetCookie(w, &http.Cookie{Name: HeldCookie, Value: cookie, Path: "/", HttpOnly: true,
		Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode, MaxAge: int(store.HeldFormTTL.Seconds())})
	redirect(w, r, "/sign-in?done=held")
	return true
}

// signedInTo is where a person goes once fully signed in: to the form they
// sent as their last session ended, if one is held, else home.
func signedInTo(r *http.Request) string {
	if c, err := r.Cookie(HeldCookie); err == nil && c.Value != "" {
		return "/session/held"
	}
	return "/"
}

// heldFormView is a held form offered back: where it goes, and its fields
// to send again as they were typed.
type heldFormView struct {
	Path   string
	Fields []heldField
}

type heldField struct{ Name, Value string }

func (s *Server) heldFormPage(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(HeldCookie)
	if err != nil || c.Value == "" {
		redirect(w, r, "/")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: HeldCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	path, form, err := s.st.TakeHeldForm(r.Context(), c.Value)
	if lantern.ErrorCode(err) == lantern.ENOTFOUND {
		redirect(w, r, "/")
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	v := heldFormView{Path: path}
	names := make([]string, 0, len(form))
	for k := range form {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, val := range form[k] {
			v.Fields = append(v.Fields, heldField{k, val})
		}
	}
	p := s.newPage(r, "Send what you wrote")
	p.Data = v
	s.render(w, r, http.StatusOK, "held_form", p)
}

// extendSession gives the session another idle timeout: app.js asks with
// fetch (answered 204), and without script the page's own button posts
// here and comes back (next, a path on this site).
func (s *Server) extendSession(w http.ResponseWriter, r *http.Request) {
	if si := sessionFrom(r.Context()); si != nil {
		if err := s.st.TouchSession(r.Context(), si.token); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, localPath(form.Get("next")))
}

// localPath is a path on this site to send a browser back to, or "/".
func localPath(p string) string {
	u, err := url.Parse(p)
	if err != nil || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return u.RequestURI()
}

// sessionEnds is when a session seen now ends if nothing more is done: the
// store notes use at most a minute late, so a minute is kept in hand.
func sessionEnds(now time.Time) time.Time { return now.Add(store.IdleTimeout - time.Minute) }
