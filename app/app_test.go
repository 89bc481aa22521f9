package app_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app"
	"lantern/internal/syncbuf"
	"lantern/store/storetest"
)

// selfSigned writes a certificate and key for 127.0.0.1.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "lantern test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	dir := storetest.DataDir(t)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	kb, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestServeTLSWithMetricsAndHealth(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	c := app.Defaults()
	c.Addr = "127.0.0.1:0"
	c.DataDir = storetest.DataDir(t)
	c.TLSCert, c.TLSKey = certFile, keyFile
	c.MetricsAddr = "127.0.0.1:0" // the system chooses the port: no other test can take it first
	m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	storetest.Seed(t, m.Store)
	if !strings.HasPrefix(m.URL(), "https://") {
		t.Fatalf("URL %s", m.URL())
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := client.Get(m.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	// Over TLS: HSTS, and the session cookie is Secure.
	resp, err := client.PostForm(m.URL()+"/sign-in", url.Values{"email": {"sw@csc.example.org"}, "password": {storetest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if h := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Errorf("no HSTS over TLS: %q", h)
	}
	var secure bool
	for _, ck := range resp.Cookies() {
		if ck.Name == "lantern_session" {
			secure = ck.Secure && ck.HttpOnly && ck.SameSite == http.SameSiteLaxMode
		}
	}
	if resp.StatusCode != http.StatusSeeOther || !secure {
		t.Errorf("sign-in over TLS: %d, secure session cookie %v", resp.StatusCode, secure)
	}
	// Plain HTTP to the TLS listener is not served.
	if r, err := http.Get(strings.Replace(m.URL(), "https://", "http://", 1) + "/healthz"); err == nil {
		if r.StatusCode == 200 {
			t.Error("served plain HTTP on the TLS listener")
		}
		r.Body.Close()
	}
	// Metrics are on their own listener, not the main one.
	mr, err := http.Get(m.MetricsURL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(mr.Body)
	mr.Body.Close()
	if mr.StatusCode != 200 || !strings.Contains(string(body), "lantern_http_requests_total") || !strings.Contains(string(body), `route="GET /healthz"`) ||
		!strings.Contains(string(body), "lantern_audit_read_commits_total") || !strings.Contains(string(body), "lantern_audit_read_commit_seconds_total") {
		t.Errorf("metrics: %d %.300s", mr.StatusCode, body)
	}
	resp, err = client.Get(m.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == 200 {
		t.Error("metrics served on the main listener")
	}
}

func TestServeRefusesANewerSchema(t *testing.T) {
	dir := storetest.DataDir(t)
	c := app.Defaults()
	c.Addr = "127.0.0.1:0"
	c.DataDir = dir
	m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Store.DB().Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, true)`); err != nil {
		t.Fatal(err)
	}
	m.Close()
	m2 := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
	err := m2.Open(context.Background())
	m2.Close()
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("served a newer schema: %v", err)
	}
}

// Behind a proxy that serves HTTPS, an https:// base URL says so: HSTS is
// sent and cookies are Secure though the server itself speaks HTTP.
func TestHTTPSBehindAProxy(t *testing.T) {
	c := app.Defaults()
	c.Addr = "127.0.0.1:0"
	c.DataDir = storetest.DataDir(t)
	c.BaseURL = "https://lantern.example.org"
	m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
	if err := m.Open(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	defer m.Close()
	resp, err := http.Get(m.URL() + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS behind an HTTPS proxy: %q", resp.Header.Get("Strict-Transport-Security"))
	}
}

// A client that hangs up before its answer is counted apart (499) and
// logged at the level of any request: it was logged as an internal error
// and counted as a 500, hundreds of false failures in a load test.
func TestClientThatHangsUpIsNotAServiceFailure(t *testing.T) {
	c := app.Defaults()
	c.Addr = "127.0.0.1:0"
	c.DataDir = storetest.DataDir(t)
	c.MetricsAddr = "127.0.0.1:0" // the system chooses the port: no other test can take it first
	var logs syncbuf.Buffer
	m := &app.Main{Config: c, Log: app.NewLogger(&logs, "debug"), Out: io.Discard}
	if err := m.Open(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	defer m.Close()
	f := storetest.Seed(t, m.Store)
	// Hold the database's write lock, so that the sign-in waits on it.
	conn, err := m.Store.DB().Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	impatient := &http.Client{Timeout: 300 * time.Millisecond}
	if _, err := impatient.PostForm(m.URL()+"/sign-in", url.Values{"email": {f.Teacher.Email}, "password": {storetest.Password}}); err == nil {
		t.Fatal("the sign-in was answered while the database was locked")
	}
	// The server notices, gives up its wait, and counts the request.
	var metrics string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mr, err := http.Get(m.MetricsURL() + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(mr.Body)
		mr.Body.Close()
		// Wait for both: a scrape gathers the counter and the histogram
		// apart, and can fall between their updates.
		if metrics = string(b); strings.Contains(metrics, `lantern_http_requests_total{route="POST /sign-in"`) &&
			strings.Contains(metrics, `lantern_http_request_duration_seconds_count{route="POST /sign-in"}`) {
			break
		}
	}
	conn.ExecContext(context.Background(), `ROLLBACK`)
	if !strings.Contains(metrics, `lantern_http_requests_total{route="POST /sign-in",status="499"} 1`) {
		t.Errorf("the hung-up request is not counted as 499: %s", grepLines(metrics, "POST /sign-in"))
	}
	if strings.Contains(metrics, `status="500"`) {
		t.Errorf("counted as a failure of the service: %s", grepLines(metrics, `status="500"`))
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("logged as an error: %s", grepLines(logs.String(), "ERROR"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Everything made under --demo is demonstration data: an account the
// demonstration's administrator makes (with a password they chose) does not
// sign in once Lantern runs without --demo, because a demonstration's store
// is not served as a real one. And --demo refuses a store that holds real
// agencies, users or children, whatever they are called (an agency named as
// the demonstration's was taken for it, and the published passwords then
// read the real child).
func TestDemonstrationStaysADemonstration(t *testing.T) {
	ctx := context.Background()
	open := func(c app.Config) (*app.Main, error) {
		m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
		err := m.Open(ctx)
		if err != nil {
			m.Close()
		}
		return m, err
	}
	c := app.Defaults()
	c.Addr = "127.0.0.1:0"
	c.DataDir = storetest.DataDir(t)
	c.Demo = true
	m, err := open(c)
	if err != nil {
		t.Fatal(err)
	}
	sys := lantern.NewSystemContext(ctx, "test")
	admin, err := m.Store.FindUserByEmail(sys, "admin@northmoor.example.org")
	if err != nil {
		t.Fatal(err)
	}
	csc, err := m.Store.FindAgency(sys, "Northmoor Children's Services")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Store.CreateUser(storetest.As(admin), lantern.UserInput{Email: "made.in.demo@northmoor.example.org", Name: "Made In Demo",
		AgencyID: csc.ID, Roles: []lantern.Role{lantern.RoleAuditor}, Password: "a phrase the administrator chose"}); err != nil {
		t.Fatal(err)
	}
	m.Close()
	c.Demo = false
	if m, err := open(c); err == nil {
		r, perr := http.PostForm(m.URL()+"/sign-in", url.Values{"email": {"made.in.demo@northmoor.example.org"}, "password": {"a phrase the administrator chose"}})
		if perr == nil {
			r.Body.Close()
		}
		m.Close()
		t.Fatalf("a demonstration's store was served without --demo (the account made in it signs in: %v)", r.StatusCode)
	} else if !errors.Is(err, app.ErrDemoStore) {
		t.Fatalf("without --demo: %v, want ErrDemoStore", err)
	}

	// A real store, with an agency named as the demonstration's.
	c = app.Defaults()
	c.Addr = "127.0.0.1:0"
	c.DataDir = storetest.DataDir(t)
	m, err = open(c)
	if err != nil {
		t.Fatal(err)
	}
	real, err := m.Store.CreateAgency(sys, lantern.AgencyInput{Name: "Northmoor Children's Services", Kind: lantern.KindChildrensSocialCare})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Store.CreateUser(sys, lantern.UserInput{Email: "sw@realtown.example.org", Name: "Real Worker", AgencyID: real.ID,
		Roles: []lantern.Role{lantern.RoleSocialWorker}, Password: storetest.Password}); err != nil {
		t.Fatal(err)
	}
	m.Close()
	c.Demo = true
	if m, err := open(c); err == nil {
		m.Close()
		t.Fatal("--demo started on a store holding real agencies and users")
	} else if !strings.Contains(err.Error(), "--demo") {
		t.Errorf("--demo on a real store: %v, want a refusal naming --demo", err)
	}
}
