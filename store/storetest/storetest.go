// Package storetest opens a fresh, migrated store for each test, on SQLite
// and on PostgreSQL, so every suite runs against both real databases.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"lantern"
	"lantern/store"
)

// PostgresEnv names the variable holding the test server's URL; the test
// command (scripts/test) starts a throwaway server and sets it.
const PostgresEnv = "LANTERN_TEST_POSTGRES"

// Clock is a settable clock for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

func NewClock(t time.Time) *Clock { return &Clock{t: t} }

func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Dialects are the databases every store test runs on. With -short and no
// PostgreSQL configured, only SQLite.
func Dialects(t testing.TB) []string {
	if os.Getenv(PostgresEnv) == "" && testing.Short() {
		return []string{"sqlite"}
	}
	return []string{"sqlite", "postgres"}
}

// Each runs fn as a subtest on each database, with a fresh store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store, clock *Clock)) {
	for _, d := range Dialects(t) {
		t.Run(d, func(t *testing.T) {
			clock := NewClock(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
			s := Open(t, d, clock.Now)
			fn(t, s, clock)
		})
	}
}

// DataDir is a fresh data folder that only its owner may read, as Lantern
// requires (a test's temporary folder is readable by everyone).
func DataDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Config returns a store configuration for a fresh database of dialect d,
// removed when the test ends.
func Config(t testing.TB, d string) store.Config {
	t.Helper()
	if d == "sqlite" {
		return store.Config{DataDir: DataDir(t)}
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Fatalf("PostgreSQL tests need %s, a postgres:// URL of a server where schemas may be created; `make test` starts one (or run go test -short for SQLite only)", PostgresEnv)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create test schema on %s: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return store.Config{Postgres: u.String(), DataDir: DataDir(t)}
}

// Open returns a fresh, migrated store of dialect d.
func Open(t testing.TB, d string, now func() time.Time) *store.Store {
	t.Helper()
	cfg := Config(t, d)
	cfg.Now = now
	return Replicas(t, cfg, 1)[0]
}

// Replicas opens n stores on one database, as n servers sharing it, each
// migrated and closed when the test ends.
func Replicas(t testing.TB, cfg store.Config, n int) []*store.Store {
	t.Helper()
	var stores []*store.Store
	for range n {
		s, err := store.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		stores = append(stores, s)
	}
	return stores
}

// Fixture is an area with an agency of two kinds and users in them.
type Fixture struct {
	CSC, School                  *lantern.Agency
	SocialWorker, Teacher, Admin *lantern.User
	Auditor, OtherTeacher        *lantern.User
	Other                        *lantern.Agency
}

// Password is the fixture users' password.
const Password = "correct horse battery staple"

// Seed makes the fixture.
func Seed(t testing.TB, s *store.Store) *Fixture {
	t.Helper()
	ctx := lantern.NewSystemContext(context.Background(), "test")
	agency := func(name string, k lantern.AgencyKind) *lantern.Agency {
		a, err := s.CreateAgency(ctx, lantern.AgencyInput{Name: name, Kind: k})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	f := &Fixture{CSC: agency("Northmoor Children's Services", lantern.KindChildrensSocialCare),
		School: agency("Riverside Academy", lantern.KindEducation), Other: agency("Hilltop School", lantern.KindEducation)}
	user := func(email, name string, a *lantern.Agency, roles ...lantern.Role) *lantern.User {
		u, err := s.CreateUser(ctx, lantern.UserInput{Email: email, Name: name, AgencyID: a.ID, Roles: roles, Password: Password})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.SocialWorker = user("sw@csc.example.org", "Sam Worker", f.CSC, lantern.RoleSocialWorker)
	f.Teacher = user("teacher@riverside.example.org", "Terry Teacher", f.School, lantern.RolePractitioner)
	f.OtherTeacher = user("teacher@hilltop.example.org", "Hil Teacher", f.Other, lantern.RolePractitioner)
	f.Admin = user("admin@csc.example.org", "Ada Admin", f.CSC, lantern.RoleAdmin)
	f.Auditor = user("auditor@csc.example.org", "Aud Itor", f.CSC, lantern.RoleAuditor)
	return f
}

// As returns a context acting as u.
func As(u *lantern.User) context.Context {
	ctx := lantern.NewContextWithUser(context.Background(), u)
	return lantern.NewContextWithRequest(ctx, lantern.RequestInfo{IP: "192.0.2.1", Why: "test"})
}
