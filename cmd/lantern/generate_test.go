package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
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
