package main

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lantern/store/storetest"
)

// TestDemoGenerate: the 1% national set (20,000 entities, 100,000 links)
// imports, trains, resolves and is measured against its truth.
func TestDemoGenerate(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	truth := filepath.Join(dir, "truth.csv")
	r := lanternCmd(t, "", "demo", "generate", "--data", filepath.Join(dir, "data"), "--scale", "0.01", "--seed", "3", "--truth", truth)
	if r.code != 0 || !strings.Contains(r.stdout, "imported in") {
		t.Fatalf("generate: %d %s %s", r.code, r.stdout, r.msg())
	}
	if !strings.Contains(r.stdout, "8000 persons") || !strings.Contains(r.stdout, "100000 links") {
		t.Fatalf("generate said %s", r.stdout)
	}
	b, err := os.ReadFile(truth)
	if err != nil || strings.Count(string(b), "\n") != 8001 {
		t.Fatalf("truth: %d lines, %v", strings.Count(string(b), "\n"), err)
	}
	if r := lanternCmd(t, "", "demo", "generate", "--data", filepath.Join(dir, "other"), "--scale", "0"); r.code == 0 || !strings.Contains(r.msg(), "scale") {
		t.Fatalf("scale 0: %d %s", r.code, r.msg())
	}
	if r := lanternCmd(t, "", "intel", "train", "--data", filepath.Join(dir, "data"), "--u-pairs", "200000", "--em-pairs", "200000"); r.code != 0 {
		t.Fatalf("train: %s", r.msg())
	}
	r = lanternCmd(t, "", "intel", "resolve", "--data", filepath.Join(dir, "data"))
	if r.code != 0 || !strings.Contains(r.stdout, "resolved 8000 persons") {
		t.Fatalf("resolve: %s %s", r.stdout, r.msg())
	}
	r = lanternCmd(t, "", "intel", "evaluate", "--data", filepath.Join(dir, "data"), "--truth", truth)
	m := regexp.MustCompile(`merged or for review: precision ([0-9.]+) recall ([0-9.]+)`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("evaluate: %s %s", r.stdout, r.msg())
	}
	p, _ := strconv.ParseFloat(m[1], 64)
	rc, _ := strconv.ParseFloat(m[2], 64)
	if p < 0.8 || rc < 0.6 {
		t.Errorf("precision %.3f, recall %.3f: the resolver found little of the truth", p, rc)
	}
}

// TestGeneratePopulation: the county preset twice with one seed gives the
// same population (the same counts of every kind, and the same rows but
// their ids); --years out of range is refused naming it; and a store with
// a real user is refused, the generator's own accounts alone allowed.
func TestGeneratePopulation(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	popLine := regexp.MustCompile(`population: (.*), in [0-9.]+[mµ]?s\n`)
	var lines [2]string
	var sums [2]string
	for i := range 2 {
		data := filepath.Join(dir, "run"+strconv.Itoa(i))
		r := lanternCmd(t, "", "demo", "generate", "--data", data, "--scale", "county", "--years", "3", "--seed", "4")
		m := popLine.FindStringSubmatch(r.stdout)
		if r.code != 0 || m == nil || !strings.Contains(m[1], "6500 children") {
			t.Fatalf("generate: %d %s %s", r.code, r.stdout, r.msg())
		}
		lines[i] = m[1]
		sums[i] = rowsDigest(t, filepath.Join(data, "lantern.db"))
	}
	if lines[0] != lines[1] || sums[0] != sums[1] {
		t.Fatalf("two runs differ:\n%s\n%s\n%s\n%s", lines[0], lines[1], sums[0], sums[1])
	}
	// A new store is filled in bulk, with no log; the next ordinary open
	// puts it back in WAL mode.
	run0 := filepath.Join(dir, "run0", "lantern.db")
	if mode := journalMode(t, run0); mode != "delete" {
		t.Errorf("after generating into a new store, the journal is %q", mode)
	}
	// Again into the first: only the generator's own accounts are there.
	if r := lanternCmd(t, "", "demo", "generate", "--data", filepath.Join(dir, "run0"), "--scale", "county", "--years", "21"); r.code == 0 || !strings.Contains(r.msg(), "years") {
		t.Fatalf("--years 21: %d %s", r.code, r.msg())
	}
	if mode := journalMode(t, run0); mode != "wal" {
		t.Errorf("opened again, the journal is %q", mode)
	}
	real := filepath.Join(dir, "real")
	if r := lanternCmd(t, "", "agency", "add", "--data", real, "--name", "Northmoor Children's Services", "--kind", "childrens-social-care"); r.code != 0 {
		t.Fatal(r.msg())
	}
	if r := lanternCmd(t, storetest.Password+"\n", "user", "add", "--data", real, "--email", "sam@csc.example.org", "--name", "Sam Worker",
		"--agency", "Northmoor Children's Services", "--role", "social-worker", "--password-stdin"); r.code != 0 {
		t.Fatal(r.msg())
	}
	r := lanternCmd(t, "", "demo", "generate", "--data", real, "--scale", "county")
	if r.code == 0 || !strings.Contains(r.msg(), "real users") {
		t.Fatalf("a store with a real user: %d %s %s", r.code, r.stdout, r.msg())
	}
	db, err := sql.Open("sqlite", filepath.Join(real, "lantern.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM children) + (SELECT count(*) FROM users WHERE email LIKE 'generated.%')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after the refusal: %d children and generated accounts, %v", n, err)
	}
}

// rowsDigest is a digest of the generated rows, their ids and the moments
// of their import left out: what the seed decides.
func rowsDigest(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := sha256.New()
	for _, q := range []string{
		`SELECT given_name, family_name, date_of_birth, gender, ethnicity, looked_after, unaccompanied, area_code, latest_level FROM children ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
		`SELECT raised_at, step FROM concerns ORDER BY 1, 2`,
		`SELECT assessed_on, suggested_level, recorded_level FROM assessments ORDER BY 1, 2, 3`,
		`SELECT missing_from, COALESCE(returned_at, '') FROM missing_episodes ORDER BY 1, 2`,
		`SELECT COALESCE(offered_at, ''), COALESCE(held_at, ''), not_held_reason FROM return_interviews ORDER BY 1, 2, 3`,
		`SELECT starts_at FROM meetings ORDER BY 1`,
		`SELECT kind, held_at, outcome FROM conferences ORDER BY 1, 2, 3`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(h, vals...)
		}
		rows.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// journalMode is the SQLite file's journal mode, as a new connection finds it.
func journalMode(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}
