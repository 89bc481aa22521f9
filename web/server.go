// Package web serves Lantern's pages and its JSON API over HTTP.
package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"lantern"
	"lantern/notify"
	"lantern/store"
	"lantern/web/assets"
)

// Config is what the HTTP layer needs to know about the deployment.
type Config struct {
	Store  *store.Store
	Logger *slog.Logger
	// Demo shows the demonstration-data banner and lets demo accounts sign
	// in without a second factor.
	Demo bool
	// TLS says the server is reached over HTTPS (served so, or behind a
	// proxy that does, as an https:// base URL says): cookies are Secure
	// and HSTS is sent.
	TLS bool
	// MaxBody caps request bodies, in bytes.
	MaxBody int64
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// BaseURL is the address people reach Lantern at, for links that leave
	// it (calendar files, email); when empty, the request's host is used.
	BaseURL string
	// Ready reports whether the service can take traffic.
	Ready func(context.Context) error
	// Mail is how meeting invitations and distributions are emailed; nil
	// when email is off.
	Mail *notify.SMTPConfig
	// OIDC turns on single sign-on when set; NoPasswords turns password
	// sign-in off (with single sign-on on).
	OIDC        *OIDCConfig
	NoPasswords bool
	// Now is the clock the ID token's expiry is checked against (the
	// store's when nil).
	Now func() time.Time
	// Population is the area's children, for the data set's rates.
	Population int
	// ShareProfile is the least disclosure control profile of figures
	// shared outside the area; "" is dfe.
	ShareProfile string
}

// Server is Lantern's HTTP handler.
type Server struct {
	cfg   Config
	st    *store.Store
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux
	// rp is the OpenID Connect relying party: nil without single sign-on.
	rp *rp
	// registered are the routes, in the order registered.
	registered []string
	h          http.Handler
}

// DefaultMaxBody is the cap on request bodies unless configured.
const DefaultMaxBody = 1 << 20

// New builds the server, parsing every template at start.
func New(cfg Config) (*Server, error) {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, st: cfg.Store, log: cfg.Logger, mux: http.NewServeMux()}
	if cfg.OIDC != nil && cfg.OIDC.Issuer != "" {
		now := cfg.Now
		if now == nil {
			now = cfg.Store.Now
		}
		s.rp = &rp{cfg: *cfg.OIDC, now: now}
	}
	if cfg.NoPasswords && s.rp == nil {
		return nil, errors.New("password sign-in is off, and single sign-on is not configured: no one could sign in")
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.routes()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOrigin))
	s.h = s.recoverer(s.securityHeaders(cop.Handler(s.limitBody(s.refuseUnstorable(s.authenticate(s.mux))))))
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

// handle registers a page or API handler under its row of the route table
// (a route with none cannot be registered: who may use it must be decided
// first), recording in each request's context the route it came by, for
// the audit trail's "why". Before the handler runs, the caller must be
// signed in (unless the route is public) and, for all but a read, allowed
// the route's action on its record by the policy.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	rt, ok := routeTable[pattern]
	if !ok {
		panic("web: the route " + pattern + " has no row in the route table (routes.go): decide who may use it")
	}
	s.registered = append(s.registered, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		setRoute(r.Context(), pattern)
		ctx := lantern.NewContextWithRequest(r.Context(), lantern.RequestInfo{IP: s.clientIP(r), Why: pattern})
		r = r.WithContext(ctx)
		if rt.public() {
			h(w, r)
			return
		}
		if !s.signedIn(w, r) {
			return
		}
		if err := s.authorize(r, rt); err != nil {
			s.error(w, r, err)
			return
		}
		if isAPI(r) {
			h(w, r)
			return
		}
		s.readsTogether(w, r, h)
	})
}

// Routes are the patterns registered, in order: for the test of every route.
func (s *Server) Routes() []string { return slices.Clone(s.registered) }

// signedIn answers a caller who is not signed in: the API wants a token or
// a session; pages want a person signed in with both factors (an API token,
// made for scripts, reaches the API only: else a token could, for one, make
// itself a longer-lived token on the account page). A page asked for is
// sent to sign in first.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) bool {
	if isAPI(r) {
		if lantern.UserFromContext(r.Context()) == nil {
			s.error(w, r, &lantern.Error{Code: lantern.EUNAUTHORIZED, Message: "Send an API token as Authorization: Bearer TOKEN"})
			return false
		}
		return true
	}
	if si := sessionFrom(r.Context()); si == nil || si.sess.Stage != store.StageSignedIn {
		if r.Method == http.MethodGet {
			redirect(w, r, "/sign-in")
			return false
		}
		if s.holdForm(w, r) {
			return false // kept for them to send after signing in again
		}
		s.error(w, r, &lantern.Error{Code: lantern.EUNAUTHORIZED, Message: "Sign in to continue"})
		return false
	}
	return true
}

// authorize checks the policy for a route's action on its record: not
// found when the caller may not see the record, forbidden when they see it
// but may not act. A read is left to the store, which checks as it reads.
func (s *Server) authorize(r *http.Request, rt route) error {
	ctx := r.Context()
	u := lantern.UserFromContext(ctx)
	switch rt.On {
	case onArea:
		return lantern.Check(u, rt.Res, rt.Act, lantern.RelArea)
	case onSelf:
		return lantern.Check(u, rt.Res, rt.Act, lantern.RelOwn)
	}
	if !rt.checksFirst() {
		return nil
	}
	switch rt.On {
	case onChild:
		return s.st.AuthorizeChild(ctx, r.PathValue("id"), rt.Res, rt.Act)
	case onMeeting:
		return s.st.AuthorizeMeeting(ctx, r.PathValue("id"), rt.Act, r.PathValue("action"))
	case onTask:
		return s.st.AuthorizeTask(ctx, r.PathValue("tid"), rt.Act)
	}
	return nil
}

func (s *Server) routes() {
	s.handle("GET /assets/", assets.Handler().ServeHTTP)
	s.handle("GET /healthz", s.healthz)
	s.handle("GET /readyz", s.readyz)
	s.pageRoutes()
	s.apiRoutes()
}

// clientIP is the address a request came from: the connection's, or,
// through trusted proxies, the nearest address in X-Forwarded-For that is
// not one of them (addresses further left are the client's to write).
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			break // not an address: believe nothing further left
		}
		if !s.trusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(ctx); err != nil {
			s.log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("not ready\n"))
			return
		}
	}
	w.Write([]byte("ready\n"))
}

func (s *Server) stNow() time.Time { return s.st.Now() }
