package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app"
	"lantern/store"
	"lantern/store/storetest"
)

// result is what one run of the command gave.
type result struct {
	code           int
	stdout, stderr string
	err            error
}

// msg is everything the operator would read about a failure.
func (r result) msg() string {
	s := r.stderr
	if r.err != nil {
		s += "lantern: " + lantern.ErrorMessageOrText(r.err)
	}
	return s
}

func lanternCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code, err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String(), err}
}

// isolate clears the LANTERN_* variables the commands read, so the
// machine's environment does not reach the test.
func isolate(t *testing.T) {
	for _, k := range []string{"LANTERN_DATA", "LANTERN_DATABASE", "LANTERN_DATA_FILE", "LANTERN_DATABASE_FILE"} {
		t.Setenv(k, "")
	}
}

var (
	idLine    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$`)
	tokenLine = regexp.MustCompile(`^lantern_[A-Za-z0-9_-]{20,}\n$`)
)

func sys() context.Context { return lantern.NewSystemContext(context.Background(), "test") }

// checkStore opens the store the commands use, for checking what they did.
func checkStore(t *testing.T, cfg store.Config) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func userByID(t *testing.T, st *store.Store, id string) *lantern.User {
	t.Helper()
	us, err := st.Users(sys())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.ID == id {
			return u
		}
	}
	t.Fatalf("no user %s", id)
	return nil
}

// step is one command and what must come of it.
type step struct {
	name       string
	args       []string // the store's flags are added
	stdin      string
	wantCode   int
	wantStdout *regexp.Regexp // the whole of stdout; nil: empty
	wantStderr *regexp.Regexp // nil: empty
	wantMsg    []string       // substrings of the message on failure
	check      func(t *testing.T, r result)
}

// runSteps runs the steps in order, in t; vars fills {name} in their
// arguments with values earlier steps found. The steps are one story, each
// building on those before (the agency a user is added to, the backup that
// is restored), so they are not subtests: none could be run alone.
func runSteps(t *testing.T, at []string, vars map[string]*string, steps []step) {
	t.Helper()
	for _, s := range steps {
		t.Logf("step %q", s.name)
		args := slices.Clone(s.args)
		for i := range args {
			for k, v := range vars {
				args[i] = strings.ReplaceAll(args[i], "{"+k+"}", *v)
			}
		}
		r := lanternCmd(t, s.stdin, append(args, at...)...)
		if r.code != s.wantCode {
			t.Fatalf("%s: exit %d, want %d; stdout %q; %s", s.name, r.code, s.wantCode, r.stdout, r.msg())
		}
		if s.wantStdout == nil && r.stdout != "" {
			t.Errorf("%s: stdout = %q, want nothing", s.name, r.stdout)
		} else if s.wantStdout != nil && !s.wantStdout.MatchString(r.stdout) {
			t.Errorf("%s: stdout = %q, want %s", s.name, r.stdout, s.wantStdout)
		}
		if s.wantStderr == nil && r.stderr != "" {
			t.Errorf("%s: stderr = %q, want nothing", s.name, r.stderr)
		} else if s.wantStderr != nil && !s.wantStderr.MatchString(r.stderr) {
			t.Errorf("%s: stderr = %q, want %s", s.name, r.stderr, s.wantStderr)
		}
		if (r.code == 0) != (r.err == nil) {
			t.Errorf("%s: exit %d with error %v", s.name, r.code, r.err)
		}
		for _, m := range s.wantMsg {
			if !strings.Contains(r.msg(), m) {
				t.Errorf("%s: message %q lacks %q", s.name, r.msg(), m)
			}
		}
		if s.check != nil {
			s.check(t, r)
		}
	}
}

// wardsFile writes a boundary of one ward, ring its outline, and names it.
func wardsFile(t *testing.T, ring string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "wards.geojson")
	err := os.WriteFile(p, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Mill"},
		"geometry":{"type":"Polygon","coordinates":[`+ring+`]}}]}`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// storeFlags are the flags that point a command at cfg's store.
func storeFlags(cfg store.Config) []string {
	at := []string{"--data", cfg.DataDir}
	if cfg.Postgres != "" {
		at = append(at, "--database", cfg.Postgres)
	}
	return at
}

func TestCommands(t *testing.T) {
	isolate(t)
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			cfg := storetest.Config(t, d)
			at := storeFlags(cfg)
			var schoolID, userID, generated string
			usersNow := func(t *testing.T) int {
				st := checkStore(t, cfg)
				us, err := st.Users(sys())
				if err != nil {
					t.Fatal(err)
				}
				return len(us)
			}
			runSteps(t, at, map[string]*string{"school": &schoolID}, []step{
				{name: "agency add prints the id", args: []string{"agency", "add", "--name", "Riverside Academy", "--kind", "education"}, wantStdout: idLine,
					check: func(t *testing.T, r result) {
						schoolID = strings.TrimSpace(r.stdout)
						a, err := checkStore(t, cfg).FindAgency(sys(), "Riverside Academy")
						if err != nil || a.ID != schoolID || a.Kind != lantern.KindEducation {
							t.Errorf("stored agency %+v, %v; want id %s", a, err, schoolID)
						}
					}},
				{name: "agency add, social care", args: []string{"agency", "add", "--name", "Northmoor Children's Services", "--kind", "childrens-social-care"}, wantStdout: idLine},
				{name: "agency add, unknown kind", args: []string{"agency", "add", "--name", "Hilltop", "--kind", "school"}, wantCode: 1, wantMsg: []string{"kind"}},
				{name: "agency add, the same name again", args: []string{"agency", "add", "--name", "riverside academy", "--kind", "education"}, wantCode: 1},
				{name: "user add --password-stdin prints only the id", args: []string{"user", "add", "--email", "Terry@Riverside.example.org", "--name", "Terry Teacher",
					"--agency", "Riverside Academy", "--role", "practitioner", "--password-stdin"}, stdin: storetest.Password + "\n", wantStdout: idLine,
					check: func(t *testing.T, r result) {
						userID = strings.TrimSpace(r.stdout)
						u, err := checkStore(t, cfg).CheckPassword(storetest.As(nil), "terry@riverside.example.org", storetest.Password)
						if err != nil || u.ID != userID || u.AgencyID != schoolID || !slices.Equal(u.Roles, []lantern.Role{lantern.RolePractitioner}) {
							t.Errorf("signing in as the new user: %+v, %v", u, err)
						}
					}},
				{name: "user add without a password says one on stderr", args: []string{"user", "add", "--email", "sam@csc.example.org", "--name", "Sam Worker",
					"--agency", "Northmoor Children's Services", "--role", "social-worker,manager"}, wantStdout: idLine,
					wantStderr: regexp.MustCompile(`^Initial password for sam@csc\.example\.org .*: \S{16,}\n$`),
					check: func(t *testing.T, r result) {
						f := strings.Fields(r.stderr)
						generated = f[len(f)-1]
						if strings.Contains(r.stdout, generated) {
							t.Errorf("the password is on stdout")
						}
						u, err := checkStore(t, cfg).CheckPassword(storetest.As(nil), "sam@csc.example.org", generated)
						if err != nil || u.ID != strings.TrimSpace(r.stdout) {
							t.Fatalf("the generated password does not sign in: %v", err)
						}
						if !slices.Equal(u.Roles, []lantern.Role{lantern.RoleSocialWorker, lantern.RoleManager}) {
							t.Errorf("roles %v, want social-worker and manager", u.Roles)
						}
					}},
				{name: "user add by agency id", args: []string{"user", "add", "--email", "ada@riverside.example.org", "--name", "Ada Admin",
					"--agency", "{school}", "--role", "admin", "--password-stdin"}, stdin: storetest.Password, wantStdout: idLine},
				{name: "user add, unknown role", args: []string{"user", "add", "--email", "x@riverside.example.org", "--name", "X",
					"--agency", "Riverside Academy", "--role", "boss", "--password-stdin"}, stdin: storetest.Password + "\n", wantCode: 1,
					wantStderr: regexp.MustCompile(`(?s).*`),
					wantMsg:    []string{`"boss"`, "practitioner", "social-worker", "cse-coordinator", "auditor", "admin"},
					check: func(t *testing.T, r result) {
						if n := usersNow(t); n != 3 {
							t.Errorf("%d users after a refused one, want 3", n)
						}
					}},
				{name: "user add, no password on stdin", args: []string{"user", "add", "--email", "x@riverside.example.org", "--name", "X",
					"--agency", "Riverside Academy", "--role", "practitioner", "--password-stdin"}, wantCode: 1, wantMsg: []string{"no password"}},
				{name: "user add, a common password", args: []string{"user", "add", "--email", "x@riverside.example.org", "--name", "X",
					"--agency", "Riverside Academy", "--role", "practitioner", "--password-stdin"}, stdin: "password123\n", wantCode: 1, wantMsg: []string{"password"}},
				{name: "user add, unknown agency", args: []string{"user", "add", "--email", "x@riverside.example.org", "--name", "X",
					"--agency", "Nowhere", "--role", "practitioner", "--password-stdin"}, stdin: storetest.Password, wantCode: 1, wantMsg: []string{"--agency", "Nowhere"}},
				{name: "user add, the same email again", args: []string{"user", "add", "--email", "terry@riverside.example.org", "--name", "Terry Again",
					"--agency", "Riverside Academy", "--role", "practitioner", "--password-stdin"}, stdin: storetest.Password, wantCode: 1,
					check: func(t *testing.T, r result) {
						if n := usersNow(t); n != 3 {
							t.Errorf("%d users, want 3", n)
						}
					}},
				{name: "token create prints only the token", args: []string{"token", "create", "--email", "TERRY@riverside.example.org", "--ttl", "1h"}, wantStdout: tokenLine,
					check: func(t *testing.T, r result) {
						u, err := checkStore(t, cfg).TokenUser(context.Background(), strings.TrimSpace(r.stdout))
						if err != nil || u.ID != userID {
							t.Errorf("the token acts for %+v, %v; want %s", u, err, userID)
						}
					}},
				{name: "token create, unknown user", args: []string{"token", "create", "--email", "nobody@example.org"}, wantCode: 1, wantMsg: []string{"nobody@example.org"}},
				{name: "token create, no lifetime", args: []string{"token", "create", "--email", "terry@riverside.example.org", "--ttl", "0s"}, wantCode: 1, wantMsg: []string{"ttl"}},
				{name: "audit verify, intact", args: []string{"audit", "verify"}, wantStdout: regexp.MustCompile(`^audit trail intact: [1-9][0-9]* entries verified\n$`),
					wantStderr: regexp.MustCompile(`^The latest entry is [1-9][0-9]*:[0-9a-f]{64}\. `)},
				{name: "area boundary load, by position", args: []string{"area", "boundary", "load", wardsFile(t, `[[-2,53],[-1,53],[-1,54],[-2,53]]`)},
					wantStdout: regexp.MustCompile(`^[0-9a-f-]{36}: 1 areas, 4 positions\n$`), wantStderr: regexp.MustCompile(`named by their "name" property`),
					check: func(t *testing.T, r result) {
						b, err := checkStore(t, cfg).AreaBoundary(sys())
						if err != nil || b == nil || b.Areas[0].Name != "Mill" || !strings.HasPrefix(r.stdout, b.ID+":") {
							t.Errorf("the boundary after: %+v, %v", b, err)
						}
					}},
				{name: "area boundary load, a ring not closed", args: []string{"area", "boundary", "load", "--file", wardsFile(t, `[[-2,53],[-1,53],[-1,54],[-2,54]]`)},
					wantCode: 1, wantMsg: []string{"features[0].geometry.coordinates[0]", "closed"}},
				{name: "area boundary load, no file", args: []string{"area", "boundary", "load"}, wantCode: 1, wantMsg: []string{"--file"}},
				{name: "migrate", args: []string{"migrate"}, wantStderr: regexp.MustCompile(`(?s).*`)},
				{name: "migrate again", args: []string{"migrate"}, wantStderr: regexp.MustCompile(`(?s).*`)},
			})
			_ = generated

			t.Run("token list gives the id token revoke needs", func(t *testing.T) {
				list := func() []string {
					t.Helper()
					r := lanternCmd(t, "", append([]string{"token", "list", "--email", "terry@riverside.example.org"}, at...)...)
					if r.code != 0 {
						t.Fatalf("token list: exit %d %s", r.code, r.msg())
					}
					return strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
				}
				lines := list()
				f := strings.Split(lines[0], "\t")
				if len(f) != 4 || f[2] != "active" || f[3] != "command line" || strings.Contains(lines[0], "lantern_") {
					t.Fatalf("token list: %q", lines)
				}
				if r := lanternCmd(t, "", append([]string{"token", "revoke", "--id", f[0]}, at...)...); r.code != 0 {
					t.Fatalf("token revoke: exit %d %s", r.code, r.msg())
				}
				if again := list(); !slices.Contains(again, f[0]+"\t"+f[1]+"\trevoked\t"+f[3]) {
					t.Errorf("after revoking %s: %q", f[0], again)
				}
				if r := lanternCmd(t, "", append([]string{"token", "list", "--email", "nobody@example.org"}, at...)...); r.code != 1 || !strings.Contains(r.msg(), "nobody@example.org") {
					t.Errorf("token list for no such user: exit %d %s", r.code, r.msg())
				}
			})

			t.Run("audit verify --head finds the trail cut short and its head rewritten", func(t *testing.T) {
				r := lanternCmd(t, "", append([]string{"audit", "verify"}, at...)...)
				m := regexp.MustCompile(`The latest entry is ([0-9]+):([0-9a-f]{64})\.`).FindStringSubmatch(r.stderr)
				if r.code != 0 || m == nil {
					t.Fatalf("exit %d, stderr %q: want the head", r.code, r.stderr)
				}
				seq, _ := strconv.Atoi(m[1])
				recorded := m[1] + ":" + m[2]
				if r := lanternCmd(t, "", append([]string{"audit", "verify", "--head", recorded}, at...)...); r.code != 0 {
					t.Errorf("verify --head %s before any change: exit %d %s", recorded, r.code, r.msg())
				}
				for _, bad := range []string{"12", "x:" + m[2], m[1] + ":abc", "0:" + m[2]} {
					if r := lanternCmd(t, "", append([]string{"audit", "verify", "--head", bad}, at...)...); r.code != 1 || !strings.Contains(r.msg(), "--head: give SEQ:HASH") {
						t.Errorf("--head %q: exit %d %s", bad, r.code, r.msg())
					}
				}
				// Someone with the database file removes the last two entries
				// and writes the head to match: the chain alone still holds.
				db, err := sql.Open(map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[d], map[string]string{
					"sqlite": filepath.Join(cfg.DataDir, store.SQLiteFile), "postgres": cfg.Postgres}[d])
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				// (The guard against deletes is lifted for it, and on PostgreSQL
				// put back, as the next test needs the one against changes.)
				lift := map[string]string{"sqlite": `DROP TRIGGER audit_log_no_delete`, "postgres": `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`}[d]
				restore := map[string]string{"sqlite": `SELECT 1`, "postgres": `ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`}[d]
				for _, q := range []string{lift, fmt.Sprintf(`DELETE FROM audit_log WHERE seq >= %d`, seq-1),
					fmt.Sprintf(`UPDATE audit_head SET seq = %d, hash = (SELECT hash FROM audit_log WHERE seq = %d) WHERE id = 1`, seq-2, seq-2), restore} {
					if _, err := db.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				if r := lanternCmd(t, "", append([]string{"audit", "verify"}, at...)...); r.code != 0 {
					t.Errorf("the chain cut short and its head rewritten: exit %d %s (the chain alone cannot see it)", r.code, r.msg())
				}
				r = lanternCmd(t, "", append([]string{"audit", "verify", "--head", recorded}, at...)...)
				if r.code != 1 || !strings.Contains(r.stdout, fmt.Sprintf("first bad entry is %d:", seq)) || !strings.Contains(r.stdout, "removed") {
					t.Errorf("verify --head %s after the cut: exit %d, stdout %q; want 1 naming entry %d", recorded, r.code, r.stdout, seq)
				}
			})

			t.Run("audit verify names a changed entry", func(t *testing.T) {
				db, err := sql.Open(map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[d], map[string]string{
					"sqlite": filepath.Join(cfg.DataDir, store.SQLiteFile), "postgres": cfg.Postgres}[d])
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				// The database refuses the change until its guard is dropped.
				if _, err := db.Exec(`UPDATE audit_log SET detail = 'tampered' WHERE seq = 3`); err == nil {
					t.Errorf("the audit trail took an UPDATE")
				}
				drop := map[string]string{"sqlite": `DROP TRIGGER audit_log_no_update`, "postgres": `DROP TRIGGER audit_log_no_change ON audit_log`}[d]
				if _, err := db.Exec(drop); err != nil {
					t.Fatal(err)
				}
				res, err := db.Exec(`UPDATE audit_log SET detail = 'tampered' WHERE seq = 3`)
				if err != nil {
					t.Fatal(err)
				}
				if n, _ := res.RowsAffected(); n != 1 {
					t.Fatalf("%d rows changed", n)
				}
				r := lanternCmd(t, "", append([]string{"audit", "verify"}, at...)...)
				if r.code != 1 || !strings.Contains(r.stdout, "first bad entry is 3:") || strings.HasPrefix(r.stdout, "audit trail intact") {
					t.Errorf("exit %d, stdout %q; want 1 naming entry 3", r.code, r.stdout)
				}
			})
		})
	}
}

func TestBackupAndRestore(t *testing.T) {
	isolate(t)
	dir := storetest.DataDir(t)
	at := []string{"--data", dir}
	cfg := store.Config{DataDir: dir}
	var swID string
	backup := filepath.Join(t.TempDir(), "lantern-backup.db")
	runSteps(t, at, nil, []step{
		{name: "agency", args: []string{"agency", "add", "--name", "CSC", "--kind", "childrens-social-care"}, wantStdout: idLine},
		{name: "user", args: []string{"user", "add", "--email", "sw@csc.example.org", "--name", "Sam", "--agency", "CSC", "--role", "social-worker", "--password-stdin"},
			stdin: storetest.Password, wantStdout: idLine, check: func(t *testing.T, r result) { swID = strings.TrimSpace(r.stdout) }},
		{name: "backup", args: []string{"backup", "--to", backup}, check: func(t *testing.T, r result) {
			if fi, err := os.Stat(backup); err != nil || fi.Size() == 0 {
				t.Errorf("no backup written: %v", err)
			} else if fi.Mode().Perm() != 0o600 {
				t.Errorf("the backup's mode is %v: it holds every record, so only its owner may read it", fi.Mode().Perm())
			}
		}},
		{name: "backup over an existing file", args: []string{"backup", "--to", backup}, wantCode: 1, wantMsg: []string{"already exists"}},
		{name: "backup needs --to", args: []string{"backup"}, wantCode: 1, wantMsg: []string{"--to"}},
	})
	// A mistyped folder is an error, not a new empty database to back up or
	// to verify.
	typo := filepath.Join(t.TempDir(), "typo")
	for _, args := range [][]string{{"backup", "--data", typo, "--to", filepath.Join(t.TempDir(), "b.db")}, {"audit", "verify", "--data", typo}} {
		if r := lanternCmd(t, "", args...); r.code != 1 || !strings.Contains(r.msg(), "holds no Lantern database") {
			t.Errorf("%s of a folder with no database: exit %d %s", args[0], r.code, r.msg())
		}
		if _, err := os.Stat(typo); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s made the folder it was wrongly given", args[0])
		}
	}

	// A child recorded after the backup.
	st := checkStore(t, cfg)
	sw := userByID(t, st, swID)
	c, err := st.CreateChild(storetest.As(sw), lantern.ChildInput{GivenName: "After", FamilyName: "Backup",
		DateOfBirth: lantern.Date{Year: 2012, Month: time.March, Day: 1}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	children := func(t *testing.T) int {
		st := checkStore(t, cfg)
		defer st.Close()
		_, n, err := st.FindChildren(storetest.As(sw), lantern.ChildFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("restore refuses while a server holds the data folder", func(t *testing.T) {
		lock, err := app.LockData(dir)
		if err != nil {
			t.Fatal(err)
		}
		r := lanternCmd(t, "", "restore", "--data", dir, "--from", backup)
		lock.Close()
		if r.code != 1 || !strings.Contains(r.msg(), "in use") || !strings.Contains(r.msg(), "stop it") {
			t.Errorf("exit %d: %s", r.code, r.msg())
		}
		if n := children(t); n != 1 {
			t.Errorf("%d children after a refused restore, want 1", n)
		}
	})
	t.Run("restore refuses a file that is not a backup", func(t *testing.T) {
		junk := filepath.Join(t.TempDir(), "junk.db")
		if err := os.WriteFile(junk, bytes.Repeat([]byte("not a database "), 100), 0o600); err != nil {
			t.Fatal(err)
		}
		if r := lanternCmd(t, "", "restore", "--data", dir, "--from", junk); r.code != 1 {
			t.Errorf("restored junk: exit %d %s", r.code, r.msg())
		}
		if r := lanternCmd(t, "", "restore", "--data", dir, "--from", filepath.Join(dir, "missing.db")); r.code != 1 {
			t.Errorf("restored a missing file: exit %d", r.code)
		}
		if n := children(t); n != 1 {
			t.Errorf("%d children after refused restores, want 1", n)
		}
	})
	t.Run("restore is for the embedded database only", func(t *testing.T) {
		r := lanternCmd(t, "", "restore", "--data", dir, "--from", backup, "--database", "postgres://nowhere.invalid/db")
		if r.code != 1 || !strings.Contains(r.msg(), "pg_restore") {
			t.Errorf("exit %d: %s", r.code, r.msg())
		}
	})
	runSteps(t, at, nil, []step{
		{name: "restore", args: []string{"restore", "--from", backup}, wantStdout: regexp.MustCompile(`^restored .*lantern-backup\.db\n$`),
			check: func(t *testing.T, r result) {
				if n := children(t); n != 0 {
					t.Errorf("%d children after restoring a backup taken before any, want 0", n)
				}
				// The backup and the restore are both in the restored trail.
				trail := checkStore(t, cfg)
				defer trail.Close()
				for _, action := range []string{"store.backup", "store.restore"} {
					var n int
					if err := trail.SyncAudit(context.Background()); err != nil {
						t.Fatal(err)
					}
					if err := trail.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil || n != 1 {
						t.Errorf("%s audited %d times (%v), want once", action, n, err)
					}
				}
				st := checkStore(t, cfg)
				if _, err := st.FindChildByID(storetest.As(sw), c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
					t.Errorf("the child made after the backup: %v", err)
				}
				if _, err := st.FindAgency(sys(), "CSC"); err != nil {
					t.Errorf("the agency made before the backup: %v", err)
				}
				st.Close()
			}},
		{name: "audit verify after restore", args: []string{"audit", "verify"}, wantStdout: regexp.MustCompile(`^audit trail intact`), wantStderr: regexp.MustCompile(`^The latest entry is `)},
	})
}

func TestEnvironment(t *testing.T) {
	isolate(t)
	agencyIn := func(t *testing.T, dir, name string) bool {
		if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile)); err != nil {
			return false
		}
		st := checkStore(t, store.Config{DataDir: dir})
		defer st.Close()
		_, err := st.FindAgency(sys(), name)
		return err == nil
	}
	t.Run("LANTERN_DATA in place of --data", func(t *testing.T) {
		dir := storetest.DataDir(t)
		t.Setenv("LANTERN_DATA", dir)
		r := lanternCmd(t, "", "agency", "add", "--name", "Env Police", "--kind", "police")
		if r.code != 0 || !idLine.MatchString(r.stdout) {
			t.Fatalf("exit %d %q %s", r.code, r.stdout, r.msg())
		}
		if !agencyIn(t, dir, "Env Police") {
			t.Errorf("the agency is not in LANTERN_DATA")
		}
	})
	t.Run("--data wins over LANTERN_DATA", func(t *testing.T) {
		envDir, flagDir := storetest.DataDir(t), storetest.DataDir(t)
		t.Setenv("LANTERN_DATA", envDir)
		if r := lanternCmd(t, "", "agency", "add", "--data", flagDir, "--name", "Flag Health", "--kind", "health"); r.code != 0 {
			t.Fatalf("exit %d %s", r.code, r.msg())
		}
		if !agencyIn(t, flagDir, "Flag Health") || agencyIn(t, envDir, "Flag Health") {
			t.Errorf("the agency went to the wrong folder")
		}
	})
	t.Run("LANTERN_DATA_FILE", func(t *testing.T) {
		dir := storetest.DataDir(t)
		file := filepath.Join(t.TempDir(), "data")
		if err := os.WriteFile(file, []byte(dir+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("LANTERN_DATA_FILE", file)
		if r := lanternCmd(t, "", "agency", "add", "--name", "File Housing", "--kind", "housing"); r.code != 0 {
			t.Fatalf("exit %d %s", r.code, r.msg())
		}
		if !agencyIn(t, dir, "File Housing") {
			t.Errorf("the agency is not in the folder LANTERN_DATA_FILE names")
		}
	})
	t.Run("LANTERN_DATABASE that is not PostgreSQL", func(t *testing.T) {
		t.Setenv("LANTERN_DATABASE", "mysql://localhost/lantern")
		r := lanternCmd(t, "", "agency", "add", "--data", storetest.DataDir(t), "--name", "X", "--kind", "police")
		if r.code == 0 || r.stdout != "" {
			t.Errorf("exit %d %q", r.code, r.stdout)
		}
	})
}

func TestUsage(t *testing.T) {
	isolate(t)
	dir := storetest.DataDir(t)
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		stdout   string // a substring; "" for none at all
		stderr   string
	}{
		{"no command", nil, 2, "", "Usage:"},
		{"help", []string{"help"}, 0, "Usage:", ""},
		{"--help", []string{"--help"}, 0, "lantern user add", ""},
		{"unknown command", []string{"frobnicate"}, 2, "", "Usage:"},
		{"unknown subcommand", []string{"agency", "frobnicate"}, 2, "", "Usage:"},
		{"flag help", []string{"agency", "add", "-h"}, 0, "", "-kind"},
		{"unknown flag", []string{"agency", "add", "--data", dir, "--colour", "red"}, 1, "", "colour"},
		{"extra argument", []string{"agency", "add", "--data", dir, "--name", "X", "--kind", "police", "extra"}, 1, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lanternCmd(t, "", tc.args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.wantCode, r.msg())
			}
			if tc.stdout == "" && r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			} else if !strings.Contains(r.stdout, tc.stdout) {
				t.Errorf("stdout %q lacks %q", r.stdout, tc.stdout)
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q lacks %q", r.stderr, tc.stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile)); err == nil {
				t.Errorf("a refused command made a database")
			}
		})
	}
}

// Roles fit the agency's kind at the command line too: a police role in a
// school is refused, naming the roles, and no user is made.
func TestUserAddRefusesARoleTheAgencyDoesNotHold(t *testing.T) {
	isolate(t)
	dir := storetest.DataDir(t)
	if r := lanternCmd(t, "", "agency", "add", "--data", dir, "--name", "Riverside Academy", "--kind", "education"); r.code != 0 {
		t.Fatalf("agency add: %d %s %v", r.code, r.stderr, r.err)
	}
	r := lanternCmd(t, "", "user", "add", "--data", dir, "--email", "pc@riverside.example.org", "--name", "Pc School",
		"--agency", "Riverside Academy", "--role", "police")
	if r.code == 0 || r.stdout != "" || !strings.Contains(r.stderr+fmt.Sprint(r.err), "held only in Police") {
		t.Fatalf("a police role in a school: exit %d, out %q, err %q %v", r.code, r.stdout, r.stderr, r.err)
	}
	r = lanternCmd(t, "", "user", "add", "--data", dir, "--email", "teacher@riverside.example.org", "--name", "Terry Teacher",
		"--agency", "Riverside Academy", "--role", "practitioner")
	if r.code != 0 || !idLine.MatchString(r.stdout) {
		t.Fatalf("a practitioner in a school: exit %d %q %s", r.code, r.stdout, r.stderr)
	}
}
