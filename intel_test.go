package lantern

import (
	"slices"
	"strings"
	"testing"
)

func TestNormaliseVRM(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    string
		partial bool
		ok      bool
	}{
		{"ab12 cde", "AB12CDE", false, true},
		{"AB 12CDE", "AB12CDE", false, true},
		{"AB12-CDE", "AB12CDE", false, true},
		{"AB12 ?DE", "AB12?DE", true, true},
		{"wx19 ?xk", "WX19?XK", true, true},
		{"A1", "A1", false, true},
		{"", "", false, false},
		{"?", "", false, false},
		{"????", "", false, false},
		{"AB12CDEFG", "", false, false},
		{"AB12*CDE", "", false, false},
		{"ÅB12 CDE", "", false, false},
		{strings.Repeat(" ", 30) + "AB12", "", false, false},
	} {
		got, partial, ok := NormaliseVRM(tt.in)
		if got != tt.want || partial != tt.partial || ok != tt.ok {
			t.Errorf("NormaliseVRM(%q) = %q, %v, %v; want %q, %v, %v", tt.in, got, partial, ok, tt.want, tt.partial, tt.ok)
		}
	}
}

func TestVRMMatches(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"AB12?DE", "AB12CDE", true}, {"AB12?DE", "AB12XDE", true}, {"AB12?DE", "AB13CDE", false},
		{"AB12?DE", "AB12CD", false}, {"AB12CDE", "AB12CDE", true}, {"WX19?XK", "WX19?XK", true},
	} {
		if got := VRMMatches(tt.a, tt.b); got != tt.want {
			t.Errorf("VRMMatches(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestNormalisePhone(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"07700 900123", "+447700900123", true},
		{"+44 (0)7700 900123", "+447700900123", true},
		{"0044 7700 900123", "+447700900123", true},
		{"+44 7700 900123", "+447700900123", true},
		{"07700-900-123", "+447700900123", true},
		{"020 7946 0000", "+442079460000", true},
		{"+1 (555) 010-0000", "+15550100000", true},
		{"withheld", "", false},
		{"", "", false},
		{"7700 900123", "", false},
		{"0770", "", false},
		{"+44 7700 900123 ext 4", "", false},
		{"+0 123456789", "", false},
		{"+1234567890123456", "", false},
		{"٠٧٧٠٠٩٠٠١٢٣", "", false},
	} {
		got, ok := NormalisePhone(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalisePhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCheckGrading(t *testing.T) {
	for _, tt := range []struct {
		name string
		g    Grading
		want []string
	}{
		{"good", Grading{Source: "2", Intelligence: "B", Handling: "P"}, nil},
		{"conditions given", Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "Not to be shared with the family"}, nil},
		{"C without conditions", Grading{Source: "1", Intelligence: "A", Handling: "C"}, []string{"grading.conditions"}},
		{"5x5x5 in the fields", Grading{Source: "B", Intelligence: "2", Handling: "P"}, []string{"grading"}},
		{"empty", Grading{}, []string{"grading"}},
	} {
		var got []string
		for _, fe := range ErrorFields(CheckGrading(tt.g)) {
			got = append(got, fe.Field)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, k := range LinkKinds {
		if !k.Valid() || k.Label() == string(k) {
			t.Errorf("link kind %s has no label", k)
		}
	}
}

func FuzzIntelNormalise(f *testing.F) {
	for _, s := range []string{"AB12 ?DE", "+44 (0)7700 900123", "withheld", "0044", "??", "(0)(0)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, partial, ok := NormaliseVRM(s); ok {
			if again, p2, ok2 := NormaliseVRM(v); !ok2 || again != v || p2 != partial || !VRMMatches(v, v) {
				t.Fatalf("NormaliseVRM(%q) = %q is not stable", s, v)
			}
		}
		if e, ok := NormalisePhone(s); ok {
			if again, ok2 := NormalisePhone(e); !ok2 || again != e || len(e) < 9 || len(e) > 16 || e[0] != '+' {
				t.Fatalf("NormalisePhone(%q) = %q is not stable E.164", s, e)
			}
		}
	})
}
