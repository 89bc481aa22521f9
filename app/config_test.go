package app_test

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lantern/app"
	"lantern/audit"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c *app.Config)
		want   []string // substrings of the error; none: valid
	}{
		{"defaults", func(c *app.Config) {}, nil},
		{"PostgreSQL", func(c *app.Config) { c.Database = "postgres://lantern:pw@db.example.org/lantern?sslmode=verify-full" }, nil},
		{"postgresql:// too", func(c *app.Config) { c.Database = "postgresql://db.example.org/lantern" }, nil},
		{"PostgreSQL with no data folder", func(c *app.Config) { c.DataDir = ""; c.Database = "postgres://db.example.org/lantern" }, nil},
		{"every other choice", func(c *app.Config) {
			c.Timescales, c.Holidays, c.LogLevel = "wt2006", "northern-ireland", "debug"
			c.TLSCert, c.TLSKey = "cert.pem", "key.pem"
		}, nil},
		{"scotland", func(c *app.Config) { c.Holidays = "scotland" }, nil},
		{"unknown timescales", func(c *app.Config) { c.Timescales = "wt2018" }, []string{"--timescales", `"wt2018"`, "wt2023", "wt2006"}},
		{"timescales in capitals", func(c *app.Config) { c.Timescales = "WT2023" }, []string{"--timescales"}},
		{"unknown holidays", func(c *app.Config) { c.Holidays = "wales" }, []string{"--holidays", `"wales"`, "england-and-wales"}},
		{"no holidays", func(c *app.Config) { c.Holidays = "" }, []string{"--holidays"}},
		{"unknown log level", func(c *app.Config) { c.LogLevel = "verbose" }, []string{"--log-level", `"verbose"`}},
		{"TLS certificate without a key", func(c *app.Config) { c.TLSCert = "cert.pem" }, []string{"--tls-cert and --tls-key"}},
		{"TLS key without a certificate", func(c *app.Config) { c.TLSKey = "key.pem" }, []string{"--tls-cert and --tls-key"}},
		{"MySQL", func(c *app.Config) { c.Database = "mysql://db.example.org/lantern" }, []string{"--database must be a postgres:// URL"}},
		{"a file path as the database", func(c *app.Config) { c.Database = "/var/lib/lantern.db" }, []string{"--database"}},
		{"postgres without ://", func(c *app.Config) { c.Database = "postgres:db" }, []string{"--database"}},
		{"no store at all", func(c *app.Config) { c.DataDir = "" }, []string{"--data"}},
		{"tiny body cap", func(c *app.Config) { c.MaxBody = 100 }, []string{"--max-body"}},
		{"no bounds on requests or connections", func(c *app.Config) { c.MaxInFlight, c.MaxConnections = 0, 0 }, nil},
		{"negative requests in flight", func(c *app.Config) { c.MaxInFlight = -1 }, []string{"--max-in-flight"}},
		{"a witness with no key", func(c *app.Config) { c.AuditWitness = "/mnt/other/witness.jsonl" }, []string{"--audit-witness needs --audit-key-file"}},
		{"negative connections", func(c *app.Config) { c.MaxConnections = -5 }, []string{"--max-connections"}},
		{"a cosigner with no key of its own", func(c *app.Config) { c.AuditCosigner = "https://witness.example.org" }, []string{"--audit-cosigner and --audit-cosigner-key go together"}},
		{"a cosigner with no log key", func(c *app.Config) {
			c.AuditCosigner, c.AuditCosignerKey = "https://witness.example.org", testWitnessKey
		}, []string{"--audit-cosigner needs --audit-key-file"}},
		{"a cosigner's key that is not one", func(c *app.Config) {
			c.AuditCosigner, c.AuditCosignerKey, c.AuditKeyFile = "https://witness.example.org", "police+1234+abc", "/etc/lantern/audit.key"
		}, []string{"--audit-cosigner-key"}},
		{"a cosigner that is not an address", func(c *app.Config) {
			c.AuditCosigner, c.AuditCosignerKey, c.AuditKeyFile = "witness.example.org", testWitnessKey, "/etc/lantern/audit.key"
		}, []string{"--audit-cosigner must be an http"}},
		{"trusted proxies", func(c *app.Config) { c.TrustedProxies = "10.0.0.0/8, 192.0.2.7,2001:db8::/32" }, nil},
		{"a trusted proxy that is not an address", func(c *app.Config) { c.TrustedProxies = "10.0.0.0/8,proxy.example.org" }, []string{"--trusted-proxies", `"proxy.example.org"`}},
		{"an address that is not host:port", func(c *app.Config) { c.Addr = "nonsense" }, []string{"--addr", `"nonsense"`}},
		{"a port that is not a number", func(c *app.Config) { c.Addr = "127.0.0.1:http-alt" }, []string{"--addr"}},
		{"any interface, a port", func(c *app.Config) { c.Addr = ":8080" }, nil},
		{"metrics on a bad address", func(c *app.Config) { c.MetricsAddr = "127.0.0.1" }, []string{"--metrics-addr"}},
		{"every problem at once", func(c *app.Config) {
			c.Timescales, c.Holidays, c.LogLevel, c.TLSKey, c.Database = "x", "y", "z", "key.pem", "sqlite://x"
		}, []string{"--timescales", "--holidays", "--log-level", "--tls-cert", "--database"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := app.Defaults()
			tc.change(&c)
			err := c.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate accepted %+v", c)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestFromEnv(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "database-url")
	if err := os.WriteFile(dbFile, []byte("  postgres://lantern:s3cret@db.example.org/lantern\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dataFile := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(dataFile, []byte("/srv/lantern\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(t *testing.T, c app.Config)
		wantErr []string
	}{
		{name: "nothing set keeps the defaults", check: func(t *testing.T, c app.Config) {
			if c != app.Defaults() {
				t.Errorf("config %+v, want the defaults", c)
			}
		}},
		{name: "LANTERN_ADDR sets --addr", env: map[string]string{"LANTERN_ADDR": "0.0.0.0:9000"}, check: func(t *testing.T, c app.Config) {
			if c.Addr != "0.0.0.0:9000" {
				t.Errorf("Addr = %q", c.Addr)
			}
		}},
		{name: "the command line wins over the environment", args: []string{"--addr", "127.0.0.1:7000"}, env: map[string]string{"LANTERN_ADDR": "0.0.0.0:9000", "LANTERN_DATA": "/env"},
			check: func(t *testing.T, c app.Config) {
				if c.Addr != "127.0.0.1:7000" {
					t.Errorf("Addr = %q, want the flag's", c.Addr)
				}
				if c.DataDir != "/env" {
					t.Errorf("DataDir = %q, want the environment's where no flag was given", c.DataDir)
				}
			}},
		{name: "the command line wins over a _FILE too", args: []string{"--database", "postgres://flag/db"}, env: map[string]string{"LANTERN_DATABASE_FILE": dbFile},
			check: func(t *testing.T, c app.Config) {
				if c.Database != "postgres://flag/db" {
					t.Errorf("Database = %q", c.Database)
				}
			}},
		{name: "LANTERN_DATABASE_FILE is read and trimmed", env: map[string]string{"LANTERN_DATABASE_FILE": dbFile}, check: func(t *testing.T, c app.Config) {
			if c.Database != "postgres://lantern:s3cret@db.example.org/lantern" {
				t.Errorf("Database = %q", c.Database)
			}
		}},
		{name: "LANTERN_DATA_FILE", env: map[string]string{"LANTERN_DATA_FILE": dataFile}, check: func(t *testing.T, c app.Config) {
			if c.DataDir != "/srv/lantern" {
				t.Errorf("DataDir = %q", c.DataDir)
			}
		}},
		{name: "the variable wins over its _FILE", env: map[string]string{"LANTERN_DATABASE": "postgres://env/db", "LANTERN_DATABASE_FILE": dbFile},
			check: func(t *testing.T, c app.Config) {
				if c.Database != "postgres://env/db" {
					t.Errorf("Database = %q", c.Database)
				}
			}},
		{name: "a _FILE that is not there", env: map[string]string{"LANTERN_DATABASE_FILE": filepath.Join(t.TempDir(), "missing")},
			wantErr: []string{"LANTERN_DATABASE_FILE"}},
		{name: "dashes become underscores", env: map[string]string{"LANTERN_MAX_BODY": "4096", "LANTERN_TLS_CERT": "c.pem", "LANTERN_TLS_KEY": "k.pem",
			"LANTERN_SHUTDOWN_TIMEOUT": "5s", "LANTERN_METRICS_ADDR": "127.0.0.1:9100", "LANTERN_LOG_LEVEL": "warn"},
			check: func(t *testing.T, c app.Config) {
				if c.MaxBody != 4096 || c.TLSCert != "c.pem" || c.TLSKey != "k.pem" || c.ShutdownIn != 5*time.Second ||
					c.MetricsAddr != "127.0.0.1:9100" || c.LogLevel != "warn" {
					t.Errorf("config %+v", c)
				}
			}},
		{name: "booleans", env: map[string]string{"LANTERN_DEMO": "true"}, check: func(t *testing.T, c app.Config) {
			if !c.Demo {
				t.Errorf("Demo not set")
			}
		}},
		{name: "every serve setting", env: map[string]string{"LANTERN_TIMESCALES": "wt2006", "LANTERN_HOLIDAYS": "scotland"}, check: func(t *testing.T, c app.Config) {
			if c.Timescales != "wt2006" || c.Holidays != "scotland" {
				t.Errorf("config %+v", c)
			}
		}},
		{name: "a value that does not parse names the variable", env: map[string]string{"LANTERN_MAX_BODY": "lots", "LANTERN_DEMO": "maybe"},
			wantErr: []string{"LANTERN_MAX_BODY", "LANTERN_DEMO"}},
		{name: "variables for other programs are ignored", env: map[string]string{"ADDR": "0.0.0.0:1", "LANTERN_TEST_POSTGRES": "postgres://x/y", "LANTERN_ADDRESS": "0.0.0.0:2"},
			check: func(t *testing.T, c app.Config) {
				if c != app.Defaults() {
					t.Errorf("config %+v, want the defaults", c)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := app.Defaults()
			fs := flag.NewFlagSet("lantern serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			c.ServeFlags(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			var asked []string
			err := app.FromEnv(fs, func(k string) string { asked = append(asked, k); return tc.env[k] })
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("FromEnv accepted %v", tc.env)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range asked {
				if !strings.HasPrefix(k, "LANTERN_") || k != strings.ToUpper(k) || strings.Contains(k, "-") {
					t.Errorf("looked up %q, not a LANTERN_NAME variable", k)
				}
			}
			tc.check(t, c)
		})
	}
}

// TestStoreFlagsOnly checks the admin commands' flag set reads only the
// store's variables.
func TestStoreFlagsOnly(t *testing.T) {
	c := app.Defaults()
	fs := flag.NewFlagSet("lantern migrate", flag.ContinueOnError)
	c.StoreFlags(fs)
	env := map[string]string{"LANTERN_DATA": "/d", "LANTERN_DATABASE": "postgres://h/db", "LANTERN_ADDR": "0.0.0.0:1"}
	if err := app.FromEnv(fs, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/d" || c.Database != "postgres://h/db" || c.Addr != app.Defaults().Addr {
		t.Errorf("config %+v", c)
	}
}

// testWitnessKey is a witness's cosignature key, as lantern witness keygen
// prints one.
var testWitnessKey = func() string {
	_, v, err := audit.GenerateWitnessKey("police.example.org")
	if err != nil {
		panic(err)
	}
	return v
}()
