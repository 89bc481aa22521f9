package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"lantern"
	"lantern/store"
)

// Backup writes a consistent copy of the embedded database to file while
// the server may be running: SQLite's VACUUM INTO reads one snapshot.
func Backup(ctx context.Context, st *store.Store, file string) error {
	if st.Dialect() != "sqlite" {
		return errors.New("backup is for the embedded database: for PostgreSQL, use pg_dump (see the README)")
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	// The copy holds every child's record: only its owner may read it. An
	// empty file made first (VACUUM INTO takes one) keeps that mode.
	f, err := os.OpenFile(abs, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists: choose a new file", file)
	} else if err != nil {
		return err
	}
	f.Close()
	// The backup reads every record: audited, and so in the copy itself.
	if err := st.RecordOperation(lantern.NewSystemContext(ctx, "lantern backup"), "store.backup", "to="+filepath.Base(abs)); err != nil {
		os.Remove(abs)
		return err
	}
	if _, err := st.DB().ExecContext(ctx, `VACUUM INTO $1`, abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// Restore replaces the data folder's database with a backup, after checking
// the backup is a whole Lantern database whose audit trail verifies. The
// server must be stopped: the data folder's lock says whether it is.
func Restore(ctx context.Context, dataDir, from string) error {
	lock, err := LockData(dataDir)
	if err != nil {
		return fmt.Errorf("%w: stop it before restoring", err)
	}
	defer lock.Close()
	// Check a private copy, so the backup file itself is never written to.
	tmp, err := os.MkdirTemp(dataDir, "restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := copyFile(from, filepath.Join(tmp, store.SQLiteFile)); err != nil {
		return fmt.Errorf("read the backup: %w", err)
	}
	st, err := store.Open(ctx, store.Config{DataDir: tmp})
	if err != nil {
		return err
	}
	var ok string
	if err := st.DB().QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		st.Close()
		return fmt.Errorf("%s is not a sound SQLite database (%v %s)", from, err, ok)
	}
	if err := st.CheckSchema(ctx, false); err != nil {
		st.Close()
		return err
	}
	if _, err := st.VerifyAudit(ctx); err != nil {
		st.Close()
		return fmt.Errorf("the backup's audit trail does not verify: %w", err)
	}
	st.Close()
	// Swap in: the old database's write-ahead log must not be replayed on
	// the restored file.
	dst := filepath.Join(dataDir, store.SQLiteFile)
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(filepath.Join(tmp, store.SQLiteFile), dst); err != nil {
		return err
	}
	// Audited in the restored trail, so that a head logged before it (which
	// audit verify --head no longer finds) is explained.
	restored, err := store.Open(ctx, store.Config{DataDir: dataDir})
	if err != nil {
		return err
	}
	defer restored.Close()
	return restored.RecordOperation(lantern.NewSystemContext(ctx, "lantern restore"), "store.restore", "from="+filepath.Base(from))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
