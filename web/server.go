// Package web serves Lantern's pages and its JSON API over HTTP.
package web

import (
	"context"
	"html/template"
	"lantern/notify"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"lantern"
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
}

// Server is Lantern's HTTP handler.
type Server struct {
	cfg   Config
	st    *store.Store
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux
	h     http.Handler
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

// handle registers a page or API handler, recording in each request's
// context the route it came by, for the audit trail's "why".
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		setRoute(r.Context(), pattern)
		ctx := lantern.NewContextWithRequest(r.Context(), lantern.RequestInfo{IP: s.clientIP(r), Why: pattern})
		h(w, r.WithContext(ctx))
	})
}

func (s *Server) routes() {
	s.mux.Handle("GET /assets/", assets.Handler())
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
