package lantern_test

import (
	"strings"
	"testing"

	"lantern"
)

func TestValidAddress(t *testing.T) {
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".org"
	if len(long) != 254 {
		t.Fatalf("long is %d", len(long))
	}
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"alex.a@example.org", true},
		{"a+meetings@csc.example.org", true},
		{"o'brien@example.org", true},
		{"A.B@Example.ORG", true},
		{long, true},
		{"x" + long, false}, // 255
		{strings.Repeat("a", 65) + "@example.org", false},
		{"", false},
		{"alex", false},
		{"alex@", false},
		{"@example.org", false},
		{"alex@localhost", false},
		{"alex@example", false},
		{"alex@.example.org", false},
		{"alex@example.org.", false},
		{"alex@example..org", false},
		{"alex@[192.0.2.1]", false},
		{"alex..a@example.org", false},
		{"Alex <alex@example.org>", false},
		{"<alex@example.org>", false},
		{" alex@example.org", false},
		{"alex@example.org ", false},
		{"alex@example.org\r\nBcc: x@example.org", false},
		{"alex@example.org\n", false},
		{"alex@example.org, x@example.org", false},
		{"\"alex a\"@example.org", false},
		{"alex@exämple.org", false},
		{"aléx@example.org", false},
		{"alex@example.org (Alex)", false},
		{"alex@@example.org", false},
		{"alex@-example.org", false},
		{"alex@example-.org", false},
		{"alex@my-school.example.org", true},
		{"alex@exa_mple.org", false},
		{"alex@b", false},
	} {
		if got := lantern.ValidAddress(c.in); got != c.ok {
			t.Errorf("ValidAddress(%q) = %t, want %t", c.in, got, c.ok)
		}
	}
}
