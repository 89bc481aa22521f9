// Package app assembles Lantern: configuration, the store, the HTTP server
// and its lifecycle. cmd/lantern and the tests start it the same way.
package app

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"lantern/store"
	"lantern/vault"
	"lantern/web"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"lantern/audit"
	"lantern/clocks"
	"lantern/notify"
)

// Config is the whole of a deployment's settings.
type Config struct {
	DataDir string
	// Bulk is no flag: the generator sets it to fill a new SQLite store
	// (store.Config.Bulk).
	Bulk     bool
	Addr     string
	Database string // postgres://...; when set, wins over DataDir for the store
	// KEKFile holds the key-encrypting key under which restricted fields
	// and two-factor secrets are sealed at rest (lantern keys init).
	KEKFile    string
	Timescales string
	// LocalTimescales is a file of the area's local timescales, tighter
	// than the statutory ones (docs/timescales.md#local-timescales).
	LocalTimescales string
	Holidays        string
	Demo            bool
	TLSCert         string
	TLSKey          string
	MetricsAddr     string
	MaxBody         int64
	// MaxInFlight bounds the requests answered at once, past which they are
	// refused 503 (app/admit.go); MaxConnections bounds open connections.
	MaxInFlight    int
	MaxConnections int
	// AuditKeyFile holds the Ed25519 key the audit log's checkpoints are
	// signed with (lantern audit keygen); with none, no sequencer runs here.
	AuditKeyFile string
	// AuditWitness is a file, on other storage, each signed checkpoint is
	// appended to.
	AuditWitness string
	// AuditCosigner is the address of a witness another agency runs (lantern
	// witness serve) that cosigns each checkpoint; AuditCosignerKey its
	// cosignature key (lantern witness keygen printed it).
	AuditCosigner, AuditCosignerKey string
	// Single sign-on with OpenID Connect (docs/sessions.md#single-sign-on).
	OIDCIssuer, OIDCClientID, OIDCClientSecretFile, OIDCRedirectURL, OIDCTenant, OIDCRoles, OIDCLabel string
	// NoPasswords turns password sign-in off, with single sign-on on.
	NoPasswords bool
	LogLevel    string
	ShutdownIn  time.Duration
	// TrustedProxies are the addresses (CIDR, comma-separated) of proxies
	// in front of Lantern whose X-Forwarded-For names the client: the
	// address sign-in limits and the audit trail record.
	TrustedProxies string
	// SigninHashes bounds the password hashes run at once (each holds 19
	// MiB); 0 is one per CPU. Past it, and sixteen a slot waiting, sign-ins
	// are answered 503.
	SigninHashes int

	// Email: the daily digest of each person's late and soon-due tasks,
	// sent through SMTPAddr; off while SMTPAddr is empty.
	SMTPAddr     string
	SMTPFrom     string
	SMTPUsername string
	SMTPPassword Secret
	SMTPStartTLS AutoBool // on, unless not given and the server is on a loopback address
	BaseURL      string   // where people reach Lantern, for links in email
	// Population is the area's children (0 to 17), for the data set's
	// rates per 10,000; 0 leaves them x (not available).
	Population int
	// ShareProfile is the disclosure control profile every figure shared
	// outside the area is protected by, at the least (docs/figures.md).
	ShareProfile string
	DigestTime   string // HH:MM, London time
}

// Defaults are the settings with no configuration.
func Defaults() Config {
	return Config{DataDir: "lantern-data", Addr: "127.0.0.1:8080", Timescales: "wt2023", Holidays: "england-and-wales",
		MaxBody: 1 << 20, MaxInFlight: DefaultMaxInFlight(), MaxConnections: DefaultMaxConnections, LogLevel: "info", ShutdownIn: 30 * time.Second, DigestTime: "07:00", ShareProfile: "dfe"}
}

// StoreFlags registers the flags that say where the store is.
func (c *Config) StoreFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", c.DataDir, "folder for the embedded database and local files")
	fs.StringVar(&c.Database, "database", c.Database, "PostgreSQL URL (postgres://...); wins over --data for the store")
	fs.StringVar(&c.KEKFile, "kek-file", c.KEKFile, "the key-encrypting key (lantern keys init), in a file outside the database: restricted fields and two-factor secrets are sealed at rest under it")
}

// KEK reads the key-encrypting key, if one is configured.
func (c *Config) KEK() (*vault.KEK, error) {
	if c.KEKFile == "" {
		return nil, nil
	}
	k, err := vault.LoadKEK(c.KEKFile)
	if err != nil {
		return nil, fmt.Errorf("--kek-file: %w", err)
	}
	return k, nil
}

// ServeFlags registers the flags of lantern serve.
func (c *Config) ServeFlags(fs *flag.FlagSet) {
	c.StoreFlags(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on")
	fs.StringVar(&c.Timescales, "timescales", c.Timescales, "statutory timescale profile: wt2023 or wt2006")
	fs.StringVar(&c.LocalTimescales, "local-timescales", c.LocalTimescales, "a JSON file of the area's local timescales, tighter than the statutory ones")
	fs.StringVar(&c.Holidays, "holidays", c.Holidays, "bank holiday region: england-and-wales, scotland or northern-ireland")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load a fictional demonstration area and show a banner on every page")
	fs.StringVar(&c.TLSCert, "tls-cert", c.TLSCert, "TLS certificate file (PEM), to serve HTTPS")
	fs.StringVar(&c.TLSKey, "tls-key", c.TLSKey, "TLS private key file (PEM)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "address for Prometheus metrics on a separate listener (off when empty)")
	fs.Int64Var(&c.MaxBody, "max-body", c.MaxBody, "largest request body accepted, in bytes")
	fs.StringVar(&c.ShareProfile, "share-profile", c.ShareProfile, "the disclosure control profile figures shared outside the area are protected by, at the least: dfe, nhs or ons-10-5")
	fs.IntVar(&c.Population, "population", c.Population, "the area's children (aged 0 to 17), for the partnership's rates per 10,000 (x when 0)")
	fs.StringVar(&c.AuditKeyFile, "audit-key-file", c.AuditKeyFile, "the key the audit log's checkpoints are signed with (lantern audit keygen), in a file outside the database; the server refuses to start if it cannot read it")
	fs.StringVar(&c.AuditWitness, "audit-witness", c.AuditWitness, "a file, on storage other than the database's, each signed audit checkpoint is appended to (lantern audit verify --witness reads it)")
	fs.StringVar(&c.AuditCosigner, "audit-cosigner", c.AuditCosigner, "the address (https://...) of a witness another agency runs (lantern witness serve), sent each signed checkpoint to cosign")
	fs.StringVar(&c.AuditCosignerKey, "audit-cosigner-key", c.AuditCosignerKey, "the witness's key, as lantern witness keygen printed it; its cosignatures are checked with it")
	fs.IntVar(&c.MaxInFlight, "max-in-flight", c.MaxInFlight, "requests answered at once, past which they are refused 503 with Retry-After (0: no bound; health probes are never refused)")
	fs.IntVar(&c.MaxConnections, "max-connections", c.MaxConnections, "open connections at most; more wait to be accepted (0: no bound)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error")
	fs.DurationVar(&c.ShutdownIn, "shutdown-timeout", c.ShutdownIn, "how long to let requests in flight finish at shutdown")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "proxies in front of Lantern (CIDR, comma-separated) whose X-Forwarded-For gives the client's address")
	fs.IntVar(&c.SigninHashes, "signin-hashes", c.SigninHashes, "password hashes run at once (0: one per CPU); sign-ins past them and their queue are answered 503")
	fs.StringVar(&c.OIDCIssuer, "oidc-issuer", c.OIDCIssuer, "single sign-on: the tenant's OpenID Connect issuer (https://login.microsoftonline.com/TENANT/v2.0)")
	fs.StringVar(&c.OIDCClientID, "oidc-client-id", c.OIDCClientID, "single sign-on: Lantern's application (client) id at the provider")
	fs.StringVar(&c.OIDCClientSecretFile, "oidc-client-secret-file", c.OIDCClientSecretFile, "single sign-on: a file holding the client secret")
	fs.StringVar(&c.OIDCRedirectURL, "oidc-redirect-url", c.OIDCRedirectURL, "single sign-on: the callback registered with the provider, https://HOST/sign-in/oidc/callback")
	fs.StringVar(&c.OIDCTenant, "oidc-tenant", c.OIDCTenant, "single sign-on: the directory's tenant id; a token of another tenant is refused")
	fs.StringVar(&c.OIDCRoles, "oidc-roles", c.OIDCRoles, `single sign-on: a JSON file mapping app roles to Lantern roles and agencies, {"APP-ROLE": {"role": "social-worker", "agency": "NAME-OR-ID"}}`)
	fs.StringVar(&c.OIDCLabel, "oidc-label", c.OIDCLabel, `single sign-on: the directory's name on the sign-in button ("your council account" when empty)`)
	fs.BoolVar(&c.NoPasswords, "no-passwords", c.NoPasswords, "turn password sign-in off: everyone signs in through single sign-on")
	c.MailFlags(fs)
}

// OIDC reads the single sign-on settings: nil when it is off.
func (c *Config) OIDC() (*web.OIDCConfig, error) {
	if c.OIDCIssuer == "" {
		return nil, nil
	}
	var errs []error
	need := func(v, flag string) {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, fmt.Errorf("--oidc-issuer needs %s", flag))
		}
	}
	need(c.OIDCClientID, "--oidc-client-id")
	need(c.OIDCClientSecretFile, "--oidc-client-secret-file")
	need(c.OIDCRedirectURL, "--oidc-redirect-url")
	need(c.OIDCRoles, "--oidc-roles")
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	secret, err := os.ReadFile(c.OIDCClientSecretFile)
	if err != nil {
		return nil, fmt.Errorf("--oidc-client-secret-file: %w", err)
	}
	b, err := os.ReadFile(c.OIDCRoles)
	if err != nil {
		return nil, fmt.Errorf("--oidc-roles: %w", err)
	}
	var roles store.RoleMap
	if err := json.Unmarshal(b, &roles); err != nil {
		return nil, fmt.Errorf("--oidc-roles: %w", err)
	}
	for ar, g := range roles {
		if !g.Role.Valid() {
			return nil, fmt.Errorf("--oidc-roles: app role %q maps to unknown role %q", ar, g.Role)
		}
		if strings.TrimSpace(g.Agency) == "" {
			return nil, fmt.Errorf("--oidc-roles: app role %q maps to no agency", ar)
		}
	}
	return &web.OIDCConfig{Issuer: c.OIDCIssuer, ClientID: c.OIDCClientID, ClientSecret: strings.TrimSpace(string(secret)),
		RedirectURL: c.OIDCRedirectURL, Tenant: c.OIDCTenant, Roles: roles, Label: c.OIDCLabel}, nil
}

// MailFlags registers the flags for sending email.
func (c *Config) MailFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.SMTPAddr, "smtp-addr", c.SMTPAddr, "mail server (host:port) for the daily digest and meeting invitations; no email when empty")
	fs.StringVar(&c.SMTPFrom, "smtp-from", c.SMTPFrom, "sender of Lantern's email, such as \"Lantern <lantern@council.example.org>\"")
	fs.StringVar(&c.SMTPUsername, "smtp-username", c.SMTPUsername, "user name to sign in to the mail server (AUTH PLAIN, over TLS or loopback only)")
	fs.Var(&c.SMTPPassword, "smtp-password", "password for the mail server: prefer LANTERN_SMTP_PASSWORD_FILE")
	fs.Var(&c.SMTPStartTLS, "smtp-starttls", "upgrade the mail connection with STARTTLS (default true, or false for a loopback address)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "the address people reach Lantern at, for links in email (https://...)")
	fs.StringVar(&c.DigestTime, "digest-time", c.DigestTime, "when to send the daily digest, HH:MM London time")
}

// Secret is a setting not to be shown: printed or logged, it is redacted.
type Secret string

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString keeps %#v from showing it either.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// LogValue keeps it out of logs.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText keeps it out of JSON (and so of a logged Config).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Secret) Set(v string) error { *s = Secret(v); return nil }

// AutoBool is a yes-or-no setting whose default depends on other settings
// when it is not given.
type AutoBool struct {
	Given, On bool
}

func (b *AutoBool) String() string {
	if b == nil || !b.Given {
		return ""
	}
	return strconv.FormatBool(b.On)
}

func (b *AutoBool) Set(v string) error {
	on, err := strconv.ParseBool(v)
	if err != nil {
		return errors.New("give true or false")
	}
	b.Given, b.On = true, on
	return nil
}

// IsBoolFlag lets the flag be given alone, meaning true.
func (b *AutoBool) IsBoolFlag() bool { return true }

// Or is the setting, or def when it was not given.
func (b AutoBool) Or(def bool) bool {
	if b.Given {
		return b.On
	}
	return def
}

// Mail is the SMTP configuration, or false when email is off.
func (c *Config) Mail() (notify.SMTPConfig, bool) {
	if c.SMTPAddr == "" {
		return notify.SMTPConfig{}, false
	}
	host, _, _ := net.SplitHostPort(c.SMTPAddr)
	return notify.SMTPConfig{Addr: c.SMTPAddr, From: c.SMTPFrom, Username: c.SMTPUsername, Password: string(c.SMTPPassword),
		StartTLS: c.SMTPStartTLS.Or(!notify.IsLoopback(host))}, true
}

// DigestAt is the time of day of the daily digest.
func (c *Config) DigestAt() (hour, minute int, err error) {
	t, err := time.Parse("15:04", c.DigestTime)
	if err != nil || len(c.DigestTime) != 5 {
		return 0, 0, fmt.Errorf("--digest-time: give the time as HH:MM, such as 07:00, not %q", c.DigestTime)
	}
	return t.Hour(), t.Minute(), nil
}

// ValidateMail checks the email settings.
func (c *Config) ValidateMail() error {
	var errs []error
	if _, _, err := c.DigestAt(); err != nil {
		errs = append(errs, err)
	}
	mc, on := c.Mail()
	if !on {
		if c.SMTPFrom != "" || c.SMTPUsername != "" || c.SMTPPassword != "" {
			errs = append(errs, errors.New("--smtp-addr: give the mail server, or leave out the other --smtp settings"))
		}
		return errors.Join(errs...)
	}
	if err := mc.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := notify.CheckBaseURL(c.BaseURL); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// FromEnv fills every flag not given on the command line from LANTERN_NAME
// (dashes as underscores), or from the file named by LANTERN_NAME_FILE, for
// secrets such as a database URL with a password.
func FromEnv(fs *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] {
			return
		}
		key := "LANTERN_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v, ok := getenv(key), getenv(key) != ""
		if file := getenv(key + "_FILE"); !ok && file != "" {
			b, err := os.ReadFile(file)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s_FILE: %w", key, err))
				return
			}
			v, ok = strings.TrimSpace(string(b)), true
		}
		if ok {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", key, err))
			}
		}
	})
	return errors.Join(errs...)
}

// ValidateStore checks the settings that say where the store is.
func (c *Config) ValidateStore() error {
	var errs []error
	if c.Database == "" && c.DataDir == "" {
		errs = append(errs, errors.New("--data: give a folder for the embedded database, or --database"))
	}
	if c.Database != "" && !strings.HasPrefix(c.Database, "postgres://") && !strings.HasPrefix(c.Database, "postgresql://") {
		errs = append(errs, errors.New("--database must be a postgres:// URL"))
	}
	return errors.Join(errs...)
}

// Proxies parses TrustedProxies.
func (c *Config) Proxies() ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, v := range strings.Split(c.TrustedProxies, ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		p, err := netip.ParsePrefix(v)
		if err != nil {
			if a, aerr := netip.ParseAddr(v); aerr == nil {
				p, err = a.Prefix(a.BitLen())
			}
		}
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not an address or a CIDR range like 10.0.0.0/8", v)
		}
		ps = append(ps, p.Masked())
	}
	return ps, nil
}

// checkAddr checks a listening address is host:port, with a port number,
// before the database is opened, not when the listener fails after it.
func checkAddr(flag, addr string, optional bool) error {
	if addr == "" && optional {
		return nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: %q is not host:port, like 127.0.0.1:8080", flag, addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%s: %q has no port number from 0 to 65535", flag, addr)
	}
	return nil
}

// Validate checks the settings before anything starts.
func (c *Config) Validate() error {
	var errs []error
	if c.Population < 0 {
		errs = append(errs, errors.New("--population: give the area's children, 0 or more"))
	}
	switch c.ShareProfile {
	case "", "dfe", "nhs", "ons-10-5":
	default:
		errs = append(errs, errors.New("--share-profile: use dfe, nhs or ons-10-5 (figures shared outside the area are never exact)"))
	}
	if err := c.ValidateStore(); err != nil {
		errs = append(errs, err)
	}
	switch c.Timescales {
	case "wt2023", "wt2006":
	default:
		errs = append(errs, fmt.Errorf("--timescales: unknown profile %q: use wt2023 or wt2006", c.Timescales))
	}
	if c.LocalTimescales != "" {
		if _, err := c.Local(); err != nil {
			errs = append(errs, fmt.Errorf("--local-timescales: %w", err))
		}
	}
	switch c.Holidays {
	case "england-and-wales", "scotland", "northern-ireland":
	default:
		errs = append(errs, fmt.Errorf("--holidays: unknown region %q: use england-and-wales, scotland or northern-ireland", c.Holidays))
	}
	if err := checkAddr("--addr", c.Addr, false); err != nil {
		errs = append(errs, err)
	}
	if err := checkAddr("--metrics-addr", c.MetricsAddr, true); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.Proxies(); err != nil {
		errs = append(errs, err)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	}
	if c.SigninHashes < 0 || c.SigninHashes > 1024 {
		errs = append(errs, errors.New("--signin-hashes must be from 0 (one per CPU) to 1024"))
	}
	if c.AuditWitness != "" && c.AuditKeyFile == "" {
		errs = append(errs, errors.New("--audit-witness needs --audit-key-file: only signed checkpoints are witnessed"))
	}
	if (c.AuditCosigner == "") != (c.AuditCosignerKey == "") {
		errs = append(errs, errors.New("--audit-cosigner and --audit-cosigner-key go together"))
	}
	if c.AuditCosigner != "" && c.AuditKeyFile == "" {
		errs = append(errs, errors.New("--audit-cosigner needs --audit-key-file: only signed checkpoints are cosigned"))
	}
	if c.AuditCosignerKey != "" {
		if _, err := audit.WitnessName(c.AuditCosignerKey); err != nil {
			errs = append(errs, fmt.Errorf("--audit-cosigner-key: %w", err))
		}
	}
	if u, err := url.Parse(c.AuditCosigner); c.AuditCosigner != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		errs = append(errs, errors.New("--audit-cosigner must be an http:// or https:// address"))
	}
	if c.MaxInFlight < 0 {
		errs = append(errs, errors.New("--max-in-flight must be 0 (no bound) or more"))
	}
	if c.MaxConnections < 0 {
		errs = append(errs, errors.New("--max-connections must be 0 (no bound) or more"))
	}
	if c.MaxBody < 1024 {
		errs = append(errs, errors.New("--max-body must be at least 1024 bytes"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level: unknown level %q", c.LogLevel))
	}
	if err := c.ValidateMail(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Local reads the local timescales file, if one is given.
func (c *Config) Local() (*clocks.Local, error) {
	if c.LocalTimescales == "" {
		return nil, nil
	}
	profile, err := clocks.ProfileByID(c.Timescales)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(c.LocalTimescales)
	if err != nil {
		return nil, err
	}
	return clocks.ParseLocal(b, profile)
}
