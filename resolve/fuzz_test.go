package resolve

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseSuffix(f *testing.F) {
	for _, s := range []string{"Smith Jnr", "Smith, Jr.", "Smith (Senior)", "Jnr", "", " ( ", "Smith II", "Ωmega Sr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, suffix := ParseSuffix(s)
		if len(name) > MaxTextLen {
			t.Fatalf("name %d bytes", len(name))
		}
		if suffix != NoSuffix {
			if strings.TrimSpace(name) == "" {
				t.Fatalf("a suffix taken from %q left no name", s)
			}
			if n2, s2 := ParseSuffix(name + " " + string(suffix)); len(name)+4 <= MaxTextLen && (s2 != suffix || n2 != name) {
				t.Fatalf("%q: re-adding the suffix gave %q %q", s, n2, s2)
			}
		}
		if utf8.ValidString(s) && !utf8.ValidString(name) {
			t.Fatalf("%q became invalid UTF-8: %q", s, name)
		}
	})
}

func FuzzNormaliseName(f *testing.F) {
	for _, s := range []string{"D-Money", "O'Brien", "Łukasz", "  ", "Zoe\u0308", strings.Repeat("é", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormaliseName(s)
		if NormaliseName(n) != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, NormaliseName(n))
		}
		if len(n) > 2*MaxTextLen { // folding may lengthen (ß -> ss)
			t.Fatalf("%d bytes", len(n))
		}
		a := NormaliseAlias(s)
		if strings.Contains(a, " ") || NormaliseAlias(a) != a {
			t.Fatalf("alias %q -> %q", s, a)
		}
	})
}

func FuzzParseModel(f *testing.F) {
	good, _ := json.Marshal(DefaultModel())
	f.Add(good)
	m := DefaultModel()
	m.FitTF([]Record{{Names: []Name{{"Kai", "Brown"}}, Aliases: []string{"Tiny"}, Postcodes: []string{"ZZ1 1AA"}}})
	withTF, _ := json.Marshal(m)
	f.Add(withTF)
	f.Add([]byte(`{"version":1,"prior":0.5,"comparisons":[]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseModel(data)
		if err != nil {
			return
		}
		// Whatever is accepted scores finitely and round-trips.
		s := m.Score(Record{Names: []Name{{"Kai", "Brown"}}, Postcodes: []string{"ZZ1 1AA"}, Aliases: []string{"Tiny"}},
			Record{Names: []Name{{"Kai", "Brown"}}, Postcodes: []string{"ZZ1 1AA"}, Aliases: []string{"Tiny"}})
		if math.IsNaN(s.Weight) || math.IsInf(s.Weight, 0) || s.Probability < 0 || s.Probability > 1 {
			t.Fatalf("accepted model scores %v", s)
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseModel(again)
		if err != nil {
			t.Fatalf("re-encoded model refused: %v", err)
		}
		if back.Prior != m.Prior || !reflect.DeepEqual(back.TF, m.TF) {
			t.Fatal("round trip changed the model")
		}
	})
}

func FuzzScore(f *testing.F) {
	f.Add("Kai", "Brown Jnr", "D-Money", "Kye", "Browne", "J", 1990, "ZZ1 1AA")
	f.Fuzz(func(t *testing.T, g1, f1, a1, g2, f2, a2 string, year int, pc string) {
		a := Record{Names: []Name{{g1, f1}}, Aliases: []string{a1}, BirthYear: year, Postcodes: []string{pc}}
		b := Record{Names: []Name{{g2, f2}, {f1, g1}}, Aliases: []string{a2, g1}, Postcodes: []string{pc}}
		m := DefaultModel()
		s := m.Score(a, b)
		if math.IsNaN(s.Weight) || s.Probability < 0 || s.Probability > 1 {
			t.Fatalf("score %v", s)
		}
		_ = Decide(s, a, b)
		if len(BlockingKeys(a)) > MaxKeys {
			t.Fatal("too many keys")
		}
	})
}
