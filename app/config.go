// Package app assembles Lantern: configuration, the store, the HTTP server
// and its lifecycle. cmd/lantern and the tests start it the same way.
package app

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// Config is the whole of a deployment's settings.
type Config struct {
	DataDir     string
	Addr        string
	Database    string // postgres://...; when set, wins over DataDir for the store
	Timescales  string
	Holidays    string
	Demo        bool
	TLSCert     string
	TLSKey      string
	MetricsAddr string
	MaxBody     int64
	LogLevel    string
	ShutdownIn  time.Duration
}

// Defaults are the settings with no configuration.
func Defaults() Config {
	return Config{DataDir: "lantern-data", Addr: "127.0.0.1:8080", Timescales: "wt2023", Holidays: "england-and-wales",
		MaxBody: 1 << 20, LogLevel: "info", ShutdownIn: 30 * time.Second}
}

// StoreFlags registers the flags that say where the store is.
func (c *Config) StoreFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", c.DataDir, "folder for the embedded database and local files")
	fs.StringVar(&c.Database, "database", c.Database, "PostgreSQL URL (postgres://...); wins over --data for the store")
}

// ServeFlags registers the flags of lantern serve.
func (c *Config) ServeFlags(fs *flag.FlagSet) {
	c.StoreFlags(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on")
	fs.StringVar(&c.Timescales, "timescales", c.Timescales, "statutory timescale profile: wt2023 or wt2006")
	fs.StringVar(&c.Holidays, "holidays", c.Holidays, "bank holiday region: england-and-wales, scotland or northern-ireland")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load a fictional demonstration area and show a banner on every page")
	fs.StringVar(&c.TLSCert, "tls-cert", c.TLSCert, "TLS certificate file (PEM), to serve HTTPS")
	fs.StringVar(&c.TLSKey, "tls-key", c.TLSKey, "TLS private key file (PEM)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "address for Prometheus metrics on a separate listener (off when empty)")
	fs.Int64Var(&c.MaxBody, "max-body", c.MaxBody, "largest request body accepted, in bytes")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error")
	fs.DurationVar(&c.ShutdownIn, "shutdown-timeout", c.ShutdownIn, "how long to let requests in flight finish at shutdown")
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

// Validate checks the settings before anything starts.
func (c *Config) Validate() error {
	var errs []error
	if err := c.ValidateStore(); err != nil {
		errs = append(errs, err)
	}
	switch c.Timescales {
	case "wt2023", "wt2006":
	default:
		errs = append(errs, fmt.Errorf("--timescales: unknown profile %q: use wt2023 or wt2006", c.Timescales))
	}
	switch c.Holidays {
	case "england-and-wales", "scotland", "northern-ireland":
	default:
		errs = append(errs, fmt.Errorf("--holidays: unknown region %q: use england-and-wales, scotland or northern-ireland", c.Holidays))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	}
	if c.MaxBody < 1024 {
		errs = append(errs, errors.New("--max-body must be at least 1024 bytes"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level: unknown level %q", c.LogLevel))
	}
	return errors.Join(errs...)
}
