package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"lantern/store"
)

// Backup writes a consistent copy of the embedded database to file while
// the server may be running: SQLite's VACUUM INTO reads one snapshot.
func Backup(ctx context.Context, st *store.Store, file string) error {
	if st.Dialect() != "sqlite" {
		return errors.New("backup is for the embedded database: for PostgreSQL, use pg_dump (see the README)")
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s already exists: choose a new file", file)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if _, err := st.DB().ExecContext(ctx, `VACUUM INTO $1`, abs); err != nil {
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
	return os.Rename(filepath.Join(tmp, store.SQLiteFile), dst)
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
