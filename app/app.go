package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/net/netutil"

	"lantern"
	"lantern/audit"
	"lantern/demo"
	"lantern/store"
	"lantern/web"
)

// Main is a running Lantern server.
type Main struct {
	Config Config
	Log    *slog.Logger
	Out    io.Writer // where the demo sign-ins are printed
	// Now is the clock; tests may set it.
	Now func() time.Time

	Store *store.Store
	// Web is the HTTP handler, for tests that walk its routes.
	Web     *web.Server
	srv     *http.Server
	metrics *http.Server
	// metricsAt is where the metrics listener is (its port chosen by the
	// system when --metrics-addr gives 0).
	metricsAt string
	ln        net.Listener
	lock      *os.File
	done      chan error
	digests   *digester // the daily digest's scheduler, when email is configured
	alerts    *alerter  // the alert emails' sender, when email is configured
	// stopWitness stops logging the audit head, and logs it a last time.
	stopWitness func()
	// stopGraphFn stops keeping the graph index current.
	stopGraphFn func()
	// stopAuthFn stops keeping checked API tokens.
	stopAuthFn func()
	// stopTreeFn stops the audit log's sequencer.
	stopTreeFn func()
	// stopCosignFn stops sending checkpoints to the witness.
	stopCosignFn func()
	// stopAdmit ends the workers that answer admitted requests.
	stopAdmit func()
}

// NewLogger logs JSON to w at level.
func NewLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// OpenStore opens the configured store.
func OpenStore(ctx context.Context, c Config, log *slog.Logger) (*store.Store, error) {
	if err := c.ValidateStore(); err != nil {
		return nil, err
	}
	kek, err := c.KEK()
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, store.Config{Postgres: c.Database, DataDir: c.DataDir, Logger: log, KEK: kek, Bulk: c.Bulk})
}

// ErrDemoStore refuses to serve a demonstration's store as a real one:
// every account in it, those made during a demonstration too, has a
// password that is published or known to whoever ran it.
var ErrDemoStore = errors.New("this store holds a demonstration (every account in it has a published or shared password): start it with --demo, or give another data folder (or database) for real data")

// demoLoadLock is the advisory lock's key under which the demonstration
// data is loaded.
const demoLoadLock = 0x4c616e7465726e01 // "Lantern" and 1

// OpenExistingStore opens the configured store if it is there: for
// commands that read one (a backup, a verification), a mistyped folder is
// an error, not a new empty database.
func OpenExistingStore(ctx context.Context, c Config, log *slog.Logger) (*store.Store, error) {
	if err := c.ValidateStore(); err != nil {
		return nil, err
	}
	if c.Database == "" {
		if _, err := os.Stat(filepath.Join(c.DataDir, store.SQLiteFile)); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("--data: %s holds no Lantern database (is the folder's name right?)", c.DataDir)
		}
	}
	return OpenStore(ctx, c, log)
}

// LockData takes the data folder's lock, held while a server runs, so that
// a restore cannot replace the database under it.
func LockData(dir string) (*os.File, error) {
	if err := store.PrivateFolder(dir); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "lantern.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("the data folder %s is in use by a running Lantern server", dir)
	}
	return f, nil
}

// Open starts everything but does not yet serve: the store is migrated, the
// demo loaded if asked, the listener bound.
func (m *Main) Open(ctx context.Context) error {
	if err := m.Config.Validate(); err != nil {
		return err
	}
	if m.Log == nil {
		m.Log = NewLogger(os.Stderr, m.Config.LogLevel)
	}
	if m.Out == nil {
		m.Out = os.Stdout
	}
	// The audit key first: a server told to sign that cannot read its key
	// refuses to start, and says which file.
	var signer note.Signer
	var logKey note.Verifier // the signer's own, to check what a witness cosigns
	if m.Config.AuditKeyFile != "" {
		var err error
		if signer, err = audit.LoadSigner(m.Config.AuditKeyFile); err != nil {
			return fmt.Errorf("--audit-key-file %s: %w", m.Config.AuditKeyFile, err)
		}
		b, _ := os.ReadFile(m.Config.AuditKeyFile)
		if logKey, err = audit.VerifierOf(string(b)); err != nil {
			return fmt.Errorf("--audit-key-file %s: %w", m.Config.AuditKeyFile, err)
		}
	}
	if m.Config.Database == "" {
		lock, err := LockData(m.Config.DataDir)
		if err != nil {
			return err
		}
		m.lock = lock
	}
	local, err := m.Config.Local()
	if err != nil {
		return fmt.Errorf("--local-timescales: %w", err)
	}
	kek, err := m.Config.KEK()
	if err != nil {
		return err
	}
	if kek == nil {
		m.Log.Warn("restricted fields and two-factor secrets are stored unencrypted: start with --kek-file (lantern keys init makes one)")
	}
	st, err := store.Open(ctx, store.Config{Postgres: m.Config.Database, DataDir: m.Config.DataDir, Logger: m.Log, Now: m.Now,
		Timescales: m.Config.Timescales, Holidays: m.Config.Holidays, HashSlots: m.Config.SigninHashes, Local: local, KEK: kek})
	if err != nil {
		return err
	}
	m.Store = st
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	// Records written before names were keyed get their keys, so possible
	// matches find them.
	if n, err := st.RefreshMatchKeys(lantern.NewSystemContext(ctx, "start-up"), false); err != nil {
		return err
	} else if n > 0 {
		m.Log.Info("match keys filled in", "children", n)
	}
	if isDemo, err := st.IsDemo(ctx); err != nil {
		return err
	} else if isDemo && !m.Config.Demo {
		return ErrDemoStore
	}
	if m.Config.Demo {
		// Replicas starting together load it once: the others wait, then
		// find it loaded.
		var creds []demo.Credential
		err := st.Alone(ctx, demoLoadLock, func() (err error) {
			creds, err = demo.Load(ctx, st)
			return err
		})
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		demo.Print(m.Out, creds)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	registerAuditMetrics(reg, st)
	proxies, err := m.Config.Proxies()
	if err != nil {
		return err
	}
	wc := web.Config{Store: st, TrustedProxies: proxies, Logger: m.Log, Demo: m.Config.Demo, TLS: m.Config.TLSCert != "" || strings.HasPrefix(m.Config.BaseURL, "https://"),
		MaxBody: m.Config.MaxBody, BaseURL: m.Config.BaseURL, Ready: func(ctx context.Context) error { return st.CheckSchema(ctx, true) }}
	if mc, ok := m.Config.Mail(); ok {
		wc.Mail = &mc
	}
	oc, err := m.Config.OIDC()
	if err != nil {
		return err
	}
	wc.OIDC, wc.NoPasswords, wc.Now = oc, m.Config.NoPasswords, m.Now
	wc.Population, wc.ShareProfile = m.Config.Population, m.Config.ShareProfile
	if m.Config.Demo && wc.Population == 0 {
		wc.Population = demo.Population
	}
	h, err := web.New(wc)
	if err != nil {
		return err
	}
	m.Web = h
	admitted, stopAdmit := admit(reg, m.Config.MaxInFlight, instrument(reg, m.Log, h))
	m.stopAdmit = stopAdmit
	m.srv = &http.Server{
		// Refused requests are counted apart and not logged one by one: under
		// overload, a log line each would add to the load.
		Handler:           admitted,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	if m.Config.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(m.Config.TLSCert, m.Config.TLSKey)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		m.srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	if m.ln, err = net.Listen("tcp", m.Config.Addr); err != nil {
		return err
	}
	if m.Config.MaxConnections > 0 {
		m.ln = netutil.LimitListener(m.ln, m.Config.MaxConnections)
	}
	if m.Config.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		m.metrics = &http.Server{Addr: m.Config.MetricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		mln, err := net.Listen("tcp", m.Config.MetricsAddr)
		if err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		m.metricsAt = mln.Addr().String()
		go m.metrics.Serve(mln)
	}
	m.done = make(chan error, 1)
	go func() {
		var err error
		if m.srv.TLSConfig != nil {
			err = m.srv.ServeTLS(m.ln, "", "")
		} else {
			err = m.srv.Serve(m.ln)
		}
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		m.done <- err
	}()
	if err := m.startDigests(); err != nil {
		return err
	}
	m.startAlerts()
	m.startAuditWitness()
	m.startGraph()
	m.startAuthCache()
	m.startAuditTree(signer)
	m.startCosign(logKey)
	m.Log.Info("serving", "addr", m.ln.Addr().String(), "store", st.Dialect(), "tls", m.Config.TLSCert != "",
		"demo", m.Config.Demo, "timescales", m.Config.Timescales, "holidays", m.Config.Holidays)
	return nil
}

// MetricsURL is where the metrics listener serves, when there is one.
func (m *Main) MetricsURL() string { return "http://" + m.metricsAt }

// URL is where the server listens.
func (m *Main) URL() string {
	// Not m.srv.TLSConfig: Serve sets that itself (for HTTP/2) on a plain
	// HTTP server too, concurrently with this.
	scheme := "http"
	if m.Config.TLSCert != "" {
		scheme = "https"
	}
	return scheme + "://" + m.ln.Addr().String()
}

// Wait returns when the server stops by itself (an error) or ctx ends.
func (m *Main) Wait(ctx context.Context) error {
	select {
	case err := <-m.done:
		return err
	case <-ctx.Done():
		return nil
	}
}

// Close stops taking requests, lets those in flight finish, then closes
// the store.
func (m *Main) Close() error {
	m.stopDigests()
	m.stopAlerts()
	m.stopGraph()
	m.stopAuthCache()
	m.stopCosign()
	m.stopAuditTree()
	var errs []error
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownIn)
		defer cancel()
		if err := m.srv.Shutdown(ctx); errors.Is(err, context.DeadlineExceeded) {
			m.srv.Close() // what is still running ends now, before the store closes
			errs = append(errs, fmt.Errorf("--shutdown-timeout %s passed with requests still running: they were cut off", m.Config.ShutdownIn))
		} else {
			errs = append(errs, err)
		}
	}
	if m.stopAdmit != nil {
		m.stopAdmit()
	}
	if m.metrics != nil {
		errs = append(errs, m.metrics.Close())
	}
	if m.stopWitness != nil { // after the last request: the head it logs is the last
		m.stopWitness()
		m.stopWitness = nil
	}
	if m.Store != nil {
		errs = append(errs, m.Store.Close())
	}
	if m.lock != nil {
		errs = append(errs, m.lock.Close())
	}
	return errors.Join(errs...)
}

// registerAuditMetrics exports the read auditor's group commit: every read
// of a child's record waits for one, so its rate and time are the first
// thing to look at when reads slow down.
func registerAuditMetrics(reg *prometheus.Registry, st *store.Store) {
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lantern_audit_read_commits_total",
			Help: "Group commits of read audit entries."}, func() float64 { return float64(st.ReadAuditStats().Commits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lantern_audit_read_entries_total",
			Help: "Read audit entries committed (over commits: the mean group)."}, func() float64 { return float64(st.ReadAuditStats().Entries) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lantern_audit_read_commit_seconds_total",
			Help: "Time spent committing read audit entries (its rate: how busy the one committer is)."},
			func() float64 { return st.ReadAuditStats().Busy.Seconds() }),
	)
}

// instrument counts and times requests by route, and logs each with ids
// only: the route pattern, never the path with its record ids or names.
func instrument(reg *prometheus.Registry, log *slog.Logger, next http.Handler) http.Handler {
	reqs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lantern_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "status"})
	dur := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lantern_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"route"})
	reg.MustRegister(reqs, dur)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		ctx, note := web.WithRouteHolder(r.Context())
		next.ServeHTTP(rec, r.WithContext(ctx))
		route := note.Route
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		status := rec.status
		if note.ClientGone {
			status = statusClientGone
		}
		reqs.WithLabelValues(route, strconv.Itoa(status)).Inc()
		dur.WithLabelValues(route).Observe(elapsed.Seconds())
		level := slog.LevelDebug
		if status >= 500 {
			level = slog.LevelError
		}
		log.Log(r.Context(), level, "request", "method", r.Method, "route", route, "status", status, "ms", elapsed.Milliseconds(), "user", note.UserID)
	})
}

// statusClientGone counts and logs a request whose client hung up before
// its answer (nginx's 499): apart from the service's own failures, at the
// level of any other request.
const statusClientGone = 499

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int)        { s.status = code; s.ResponseWriter.WriteHeader(code) }
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
