// Package store keeps Lantern's records in SQLite (embedded, the default) or
// PostgreSQL. SQL is written by hand; the differences between the two are
// in dialect.go and the two migration sets. Every change is written in the
// same transaction as its audit entry.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // the "sqlite" driver

	"lantern"
	"lantern/clocks"
	"lantern/password"
	"lantern/vault"
)

//go:embed migrations
var migrations embed.FS

// Config says which database to open.
type Config struct {
	// Postgres is a postgres:// URL; when empty, SQLite in DataDir is used.
	Postgres string
	DataDir  string
	Logger   *slog.Logger
	// Now is the clock; tests may set it.
	Now func() time.Time
	// Timescales is the statutory timescale profile (wt2023 by default)
	// and Holidays the bank-holiday region, recorded on every task.
	Timescales string
	Holidays   string
	// HashSlots bounds the password hashes run at once (one per CPU by
	// default) and HashQueue those waiting for a turn (sixteen a slot).
	HashSlots, HashQueue int
	// Local is the area's local timescales, if any: deadlines tighter than
	// the statutory ones, recorded beside them on each task.
	Local *clocks.Local
	// KEK is the key-encrypting key: with it, restricted fields and
	// two-factor secrets are sealed at rest (sealed.go); without it they
	// are stored as written.
	KEK *vault.KEK
	// Bulk opens SQLite for an operator's import into a store of its
	// own: the rollback journal in memory and no syncs, so that each page
	// is written once rather than to the log and again at the checkpoint.
	// A crash part-way leaves a store to delete, so only a generator
	// filling a new store sets it; the next ordinary open returns to WAL.
	Bulk bool
}

// Store is the database. It is safe for concurrent use.
type Store struct {
	d   dialect
	db  *preparedDB // reads (and, on PostgreSQL, writes), statements prepared once
	wdb *sql.DB     // writes: one connection on SQLite, so writers queue in Go, not in busy-wait
	// wstmts holds the audit trail's statements, prepared on the write pool
	// only while no transaction holds its connection.
	wstmts *preparedDB
	log    *slog.Logger
	now    func() time.Time
	path   string // the SQLite file
	// keys are the data keys sealing restricted fields; nil without a KEK.
	// kek waits for Migrate, which opens them once the table is there.
	keys *keyring
	kek  *vault.KEK

	hashes       *password.Gate // bounds the password hashes run at once
	reads        *readAuditor
	auditInserts []string // by number of rows
	auditLogIns  []string // by number of rows (the sequencer's)
	toolkits     toolkitCache
	profile      string // the timescale profile that sets new tasks
	calendar     string // the bank-holiday region
	local        *clocks.Local
	models       modelCache // the entity-resolution model (intel_resolve.go)
	graph        intelGraph // the graph index (intel_graph.go)
	graphSync    sync.Mutex // one merge sync of the index at a time
	auth         authCache  // checked API tokens (tokens.go)
	holder       string     // this store's name as the audit sequencer (audit_queue.go)
	colTypes     sync.Map   // PostgreSQL column types by table, for imports (intel_import.go)

	// boundary is the area's boundary and its index (area_boundary.go).
	boundary boundaryCache
}

// SQLiteFile is the database file's name in the data folder.
const SQLiteFile = "lantern.db"

// Open opens the database and checks its schema is one this binary knows.
// It does not migrate: call Migrate (serve does, at start).
func Open(ctx context.Context, cfg Config) (*Store, error) {
	s := &Store{kek: cfg.KEK, log: cfg.Logger, now: cfg.Now, profile: cfg.Timescales, calendar: cfg.Holidays, local: cfg.Local,
		hashes: password.NewGate(cfg.HashSlots, cfg.HashQueue, 0), holder: newHolder()}
	if s.profile == "" {
		s.profile = "wt2023"
	}
	if s.calendar == "" {
		s.calendar = "england-and-wales"
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.Postgres != "" {
		s.d = postgres
		db, err := sql.Open("pgx", cfg.Postgres)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.db, s.wdb = newPreparedDB(db, false), db
	} else {
		if cfg.DataDir == "" {
			return nil, errors.New("no data folder given")
		}
		if err := PrivateFolder(cfg.DataDir); err != nil {
			return nil, err
		}
		s.path = filepath.Join(cfg.DataDir, SQLiteFile)
		if err := privateFiles(s.path); err != nil {
			return nil, err
		}
		db, err := openSQLite(s.path, cfg.Bulk)
		if err != nil {
			return nil, err
		}
		// Readers do not block each other in WAL mode: enough connections
		// that 32 concurrent readers rarely queue for one.
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		s.db = newPreparedDB(db, true)
		if s.wdb, err = openSQLite(s.path, cfg.Bulk); err != nil {
			s.db.Close()
			return nil, err
		}
		s.wdb.SetMaxOpenConns(1)
		s.wdb.SetMaxIdleConns(1)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to the %s database: %w", s.d, err)
	}
	s.wstmts = s.db
	if s.wdb != s.db.DB {
		s.wstmts = newPreparedDB(s.wdb, true)
	}
	s.auditInserts = auditInserts(s.d)
	s.auditLogIns = auditLogInserts(s.d)
	s.reads = newReadAuditor(s)
	return s, nil
}

// PrivateFolder makes the data folder, readable by its owner only, or
// refuses one that exists and that other users of the machine can reach:
// it holds every child's record.
func PrivateFolder(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("the data folder %s can be read by other users of this machine (its mode is %#o), and it holds every child's record: make it private with chmod 700 %s", dir, perm, dir)
	}
	return nil
}

// privateFiles makes the database file readable and writable by its owner
// only before SQLite opens it (SQLite gives its write-ahead log and shared
// memory files the database file's mode), and makes those of an older
// Lantern, made 0644, private too.
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("database file: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("database file: %w", err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, 0o600); err != nil {
				return fmt.Errorf("make the database file private: %w", err)
			}
		}
	}
	return nil
}

// openSQLite sets, on every connection: WAL, so readers do not block the
// writer; synchronous=FULL, so an acknowledged commit survives power loss;
// foreign keys; a busy timeout; and write transactions that take the lock at
// BEGIN, so two writers never deadlock upgrading. bulk is Config.Bulk.
func openSQLite(path string, bulk bool) (*sql.DB, error) {
	q := url.Values{}
	pragmas := []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(10000)"}
	if bulk {
		pragmas[0], pragmas[1] = "journal_mode(MEMORY)", "synchronous(OFF)"
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	return db, nil
}

// Close stops the read auditor and closes the database.
func (s *Store) Close() error {
	if s.reads != nil {
		s.reads.close()
		s.releaseAudit()
	}
	err := s.db.Close()
	switch {
	case s.wstmts != nil && s.wstmts != s.db:
		err = errors.Join(err, s.wstmts.Close()) // its statements, then the write pool
	case s.wdb != s.db.DB:
		err = errors.Join(err, s.wdb.Close())
	}
	return err
}

// Dialect names the database in use: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.String() }

// DB is the underlying pool, for tests and tools.
func (s *Store) DB() *sql.DB { return s.db.DB }

func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.d.String())
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	if s.d == postgres {
		// Replicas starting together take turns to migrate.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(s.d.goose(), s.wdb, sub, opts...)
}

// SchemaVersions returns the schema version of the database and the newest
// this binary knows.
func (s *Store) SchemaVersions(ctx context.Context) (current, known int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, err
	}
	for _, src := range p.ListSources() {
		known = max(known, src.Version)
	}
	// Read straight from goose's table: the provider's own reading takes the
	// migration lock, and readiness checks from several replicas at once
	// then queued for it past their deadline.
	err = s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version`).Scan(&current)
	if err != nil && !strings.Contains(err.Error(), "no such table") && !strings.Contains(err.Error(), "does not exist") {
		return 0, known, err
	}
	return current, known, nil
}

// ErrSchemaTooNew says the database was migrated by a newer Lantern.
var ErrSchemaTooNew = errors.New("the database schema is newer than this version of Lantern knows: run the newer version, or restore a backup")

// Migrate brings the schema up to date, each migration in its own
// transaction. It refuses a database whose schema is newer than it knows.
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.CheckSchema(ctx, false); err != nil {
		return err
	}
	p, err := s.provider()
	if err != nil {
		return err
	}
	res, err := p.Up(ctx)
	for _, r := range res {
		s.log.Info("migrated", "version", r.Source.Version, "duration", r.Duration)
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if s.kek != nil && s.keys == nil {
		if err := s.openKeys(ctx, s.kek); err != nil {
			return fmt.Errorf("encryption at rest: %w", err)
		}
	}
	return nil
}

// CheckSchema fails if the schema is newer than this binary knows or, when
// current is set, older than it needs.
func (s *Store) CheckSchema(ctx context.Context, current bool) error {
	have, known, err := s.SchemaVersions(ctx)
	if err != nil {
		return fmt.Errorf("read the schema version: %w", err)
	}
	if have > known {
		return fmt.Errorf("%w (database at %d, this binary knows %d)", ErrSchemaTooNew, have, known)
	}
	if current && have < known {
		return fmt.Errorf("the database schema is at %d, and this binary needs %d: run lantern migrate", have, known)
	}
	return nil
}

// Alone runs fn while no other process sharing the database runs fn under
// the same key: on PostgreSQL under an advisory lock held on one
// connection; on SQLite, which one server holds at a time (its data
// folder's lock), as it is.
func (s *Store) Alone(ctx context.Context, key int64, fn func() error) error {
	if s.d != postgres {
		return fn()
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return internal("lock", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return internal("lock", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key)
	return fn()
}

// tx is a write transaction that collects audit entries and appends them,
// chained, just before it commits.
type tx struct {
	*sql.Tx
	audits []auditEntry
}

// write runs fn in a write transaction and commits it with its audit entries.
func (s *Store) write(ctx context.Context, fn func(tx *tx) error) error {
	sqltx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return lantern.Internal(fmt.Errorf("begin: %w", err))
	}
	t := &tx{Tx: sqltx}
	if err := fn(t); err != nil {
		_ = sqltx.Rollback()
		return s.auditConflict(ctx, err)
	}
	if err := s.appendAudit(ctx, sqltx, t.audits); err != nil {
		_ = sqltx.Rollback()
		return lantern.Internal(fmt.Errorf("audit: %w", err))
	}
	if err := sqltx.Commit(); err != nil {
		return lantern.Internal(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// internal wraps an unexpected database error, keeping its text out of
// anything a user sees.
func internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var le *lantern.Error
	if errors.As(err, &le) {
		return err
	}
	return lantern.Internal(fmt.Errorf("%s: %w", op, err))
}

// querier is a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

func itoa(i int) string { return strconv.Itoa(i) }
