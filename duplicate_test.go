package lantern_test

import (
	"strings"
	"testing"

	"lantern"
)

func TestDuplicatePairIsOrdered(t *testing.T) {
	for _, c := range []struct{ a, b, first string }{{"a", "b", "a"}, {"b", "a", "a"}, {"x", "x", "x"}, {"0190-b", "0190-a", "0190-a"}} {
		if p := lantern.DuplicatePair(c.a, c.b); p[0] != c.first || p[0] > p[1] {
			t.Errorf("DuplicatePair(%q, %q) = %q", c.a, c.b, p)
		}
	}
}

func TestCheckDismissal(t *testing.T) {
	for _, c := range []struct {
		name   string
		ids    [2]string
		reason string
		fields []string
	}{
		{"whole", [2]string{"a", "b"}, "Twins", nil},
		{"no reason", [2]string{"a", "b"}, " \n ", []string{"reason"}},
		{"one record", [2]string{"a", "a"}, "Twins", []string{"child_ids"}},
		{"none", [2]string{}, "", []string{"child_ids", "reason"}},
		{"a reason too long", [2]string{"a", "b"}, strings.Repeat("é", lantern.MaxDismissReason+1), []string{"reason"}},
		{"the longest reason", [2]string{"a", "b"}, strings.Repeat("é", lantern.MaxDismissReason), nil},
	} {
		var got []string
		for _, fe := range lantern.ErrorFields(lantern.CheckDismissal(c.ids, c.reason)) {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != strings.Join(c.fields, ",") {
			t.Errorf("%s: fields %q, want %q", c.name, got, c.fields)
		}
	}
}

func TestAllocationCheck(t *testing.T) {
	for _, c := range []struct {
		a      lantern.Allocation
		fields string
	}{
		{lantern.Allocation{WorkerID: "w", Version: 1}, ""},
		{lantern.Allocation{WorkerID: "w", Version: 3, MoveTasks: true}, ""},
		{lantern.Allocation{WorkerID: " ", Version: 1}, "worker_id"},
		{lantern.Allocation{WorkerID: "w"}, "version"},
		{lantern.Allocation{Version: -1}, "worker_id,version"},
	} {
		var got []string
		for _, fe := range lantern.ErrorFields(c.a.Check()) {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != c.fields {
			t.Errorf("%+v: fields %q, want %q", c.a, got, c.fields)
		}
	}
}

func TestDuplicateStatuses(t *testing.T) {
	for _, s := range lantern.DuplicateStatuses {
		if !s.Valid() || s.Label() == string(s) {
			t.Errorf("%q: valid %v, label %q", s, s.Valid(), s.Label())
		}
	}
	if lantern.DuplicateStatus("maybe").Valid() {
		t.Error("an unknown status is valid")
	}
}
