package match

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
)

func TestNormalise(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"smith", "smith"},
		{"  Smith  ", "smith"},
		{"O'Brien", "obrien"},
		{"D’Souza", "dsouza"},
		{"Smith-Jones", "smith jones"},
		{"Smith - Jones", "smith jones"},
		{"Anne  Marie", "anne marie"},
		{"Zoë", "zoe"},
		{"Chloé", "chloe"},
		{"Renée", "renee"},
		{"Jürgen Müller", "jurgen muller"},
		{"Strauß", "strauss"},
		{"Ærøskøbing", "aeroskobing"},
		{"Łukasz Wałęsa", "lukasz walesa"},
		{"Søren", "soren"},
		{"Ñúñez", "nunez"},
		{"Çelik", "celik"},
		{"Şahin", "sahin"},
		{"Dvořák", "dvorak"},
		{"Zoe\u0308", "zoe"}, // decomposed diaeresis
		{"J.P. Smith", "jp smith"},
		{"Mary-Jane (Mj)", "mary jane mj"},
		{"Иван", "иван"}, // other scripts are kept, lower-cased
		{"---", ""},
		{"a\tb\nc", "a b c"},
	} {
		if got := Normalise(tt.in); got != tt.want {
			t.Errorf("Normalise(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Normalise(Normalise(tt.in)); got != tt.want {
			t.Errorf("Normalise is not idempotent on %q: %q", tt.in, got)
		}
	}
}

// The spellings British practitioners meet. Double Metaphone (primary code,
// four characters) puts all but Thompson/Thomson in one key each.
func TestKeysAgree(t *testing.T) {
	for _, group := range [][]string{
		{"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed"},
		{"Stephen", "Steven"},
		{"Catherine", "Kathryn", "Katherine", "Cathryn"},
		{"Aisha", "Ayesha", "Aysha"},
		{"McDonald", "MacDonald", "Mcdonald", "Mac Donald"},
		{"Smith", "Smyth", "Smithe"},
		{"Jayden", "Jaden", "Jaiden", "Jaydon"},
		{"Chloe", "Khloe", "Chloé"},
		{"Leigh", "Lea", "Leah"},
		{"Shaun", "Shawn"},
		{"Connor", "Conor"},
		{"Philips", "Phillips"},
		{"O'Brien", "OBrien", "O Brien"},
		{"Davies", "Davis"},
		{"Zoe", "Zoë", "Zoey"},
	} {
		want := Key(group[0])
		if want == "" {
			t.Errorf("%s has no key", group[0])
		}
		for _, n := range group[1:] {
			if got := Key(n); got != want {
				t.Errorf("Key(%s) = %s, Key(%s) = %s: want the same", n, got, group[0], want)
			}
		}
	}
}

func TestKeysDiffer(t *testing.T) {
	for _, p := range [][2]string{
		{"Thompson", "Thomson"}, // Double Metaphone sounds the P: a known gap, found by date of birth
		{"Sean", "Shaun"},       // spelled from Irish: not phonetic in English
		{"Smith", "Jones"},
		{"Oliver", "Olivia"},
		{"Smith", "Smith-Jones"}, // a double-barrelled name is one key
	} {
		if Key(p[0]) == Key(p[1]) {
			t.Errorf("Key(%s) = Key(%s) = %s: want different", p[0], p[1], Key(p[0]))
		}
	}
}

func TestKeyValues(t *testing.T) {
	// Reference primary codes of Double Metaphone (as computed by Philips'
	// published algorithm and its common ports).
	for in, want := range map[string]string{
		"Mohammed": "MHMT", "Stephen": "STFN", "Catherine": "K0RN", "Aisha": "AX", "McDonald": "MKTN",
		"Smith": "SM0", "Thompson": "TMPS", "Thomson": "TMSN", "Jayden": "JTN",
		"Acton": "AKTN", "Alcock": "ALKK", "Ambler": "AMPL", "Ashby": "AXP", "Bachelor": "PXLR",
		"Beauchamp": "PXMP", "Caesar": "SSR", "Chianti": "KNT", "Michael": "MKL", "Chorus": "KRS",
		"McLaughlin": "MKLF", "Tagliaro": "TKLR", "Ghislane": "JLN", "Hugh": "H", "Tough": "TF",
		"Filipowicz": "FLPT", "Breaux": "PR", "Zhao": "J", "Thomas": "TMS", "Dumb": "TM",
		"Accident": "AKST", "Bacci": "PX", "Bacchus": "PKS", "School": "SKL", "Schenker": "XNKR",
		"Czerny": "SRN", "Focaccia": "FKX", "Edgar": "ATKR", "Edge": "AJ", "Sugar": "XKR", "Island": "ALNT",
		"Carlisle": "KRLL", "Artois": "ART", "Wasserman": "ASRM", "Arnow": "ARN", "Xavier": "SF",
		"Jose": "HS", "Joseph": "JSF", "Schmidt": "XMT", "Knight": "NT", "Wright": "RT", "Zhang": "JNK",
		"": "", "Иван": "", "'": "",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGivenFamilyKeys(t *testing.T) {
	if GivenKey("Mary Jane") != Key("Mary") || GivenKey("  Mary-Jane ") != Key("Mary") {
		t.Errorf("GivenKey keys the first given name: %q", GivenKey("Mary Jane"))
	}
	if FamilyKey("Smith-Jones") != Key("smithjones") || FamilyKey("Smith Jones") != FamilyKey("Smith-Jones") {
		t.Errorf("FamilyKey keys the whole name: %q", FamilyKey("Smith-Jones"))
	}
	if FamilyKey("Mac Donald") != FamilyKey("McDonald") {
		t.Errorf("Mac Donald and McDonald")
	}
	if got := NameKey("Kai Brown"); got != "K PRN" || got != PairKey("Kai", "Brown") {
		t.Errorf("NameKey of a whole name: %q", got)
	}
	if got := NameKey("Evans"); got != "AFNS" || got != FamilyKey("Evans") || NameKey("Jaiden") != GivenKey("Jayden") {
		t.Errorf("NameKey of a single name: %q", got)
	}
	if NameKey("Kai Smith-Jones") != PairKey("Kai", "Smith Jones") || NameKey("Иван") != "" || PairKey("", "Smith") != "" {
		t.Errorf("NameKey and PairKey")
	}
}

func TestSimilarity(t *testing.T) {
	for _, tt := range []struct {
		a, b     string
		min, max float64
	}{
		{"Smith", "Smith", 1, 1},
		{"SMITH", "smith", 1, 1},
		{"Zoë", "Zoe", 1, 1},
		{"", "", 0, 0},
		{"Smith", "", 0, 0},
		{"Thompson", "Thomson", 0.95, 0.99},
		{"McDonald", "MacDonald", 0.95, 0.99},
		{"Jayden", "Jaden", 0.9, 0.99},
		{"Mohammed", "Muhammad", 0.8, 0.9},
		{"Smith", "Smyth", 0.85, 0.95},
		{"Smith", "Jones", 0, 0.2},
		{"Oliver", "Amelia", 0, 0.6},
		// The textbook Jaro-Winkler values.
		{"MARTHA", "MARHTA", 0.961, 0.962},
		{"DWAYNE", "DUANE", 0.84, 0.841},
		{"DIXON", "DICKSONX", 0.813, 0.814},
	} {
		got := Similarity(tt.a, tt.b)
		if got < tt.min || got > tt.max {
			t.Errorf("Similarity(%q, %q) = %.3f, want %.3f..%.3f", tt.a, tt.b, got, tt.min, tt.max)
		}
		if back := Similarity(tt.b, tt.a); math.Abs(back-got) > 1e-9 {
			t.Errorf("Similarity is not symmetric on %q, %q: %.4f, %.4f", tt.a, tt.b, got, back)
		}
	}
}

func d(s string) lantern.Date {
	v, err := lantern.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestScore(t *testing.T) {
	q := func(g, f, dob string) Query { return Query{GivenName: g, FamilyName: f, DateOfBirth: d(dob)} }
	c := func(g, f, dob string, other ...string) Candidate {
		return Candidate{ID: "c", GivenName: g, FamilyName: f, DateOfBirth: d(dob), OtherNames: other}
	}
	for _, tt := range []struct {
		name    string
		q       Query
		c       Candidate
		ok      bool
		reasons []string // each must be among the reasons given
	}{
		// Same date of birth, names spelled differently.
		{"same everything", q("Ava", "Example", "2015-03-01"), c("Ava", "Example", "2015-03-01"), true,
			[]string{"Same date of birth", "Same given name", "Same family name"}},
		{"case and accents", q("zoe", "o'brien", "2015-03-01"), c("Zoë", "O’Brien", "2015-03-01"), true,
			[]string{"Same given name", "Same family name"}},
		{"Smyth", q("John", "Smith", "2015-03-01"), c("John", "Smyth", "2015-03-01"), true,
			[]string{"Same date of birth", "Family name sounds the same: Smyth"}},
		{"Muhammad", q("Mohammed", "Khan", "2016-07-12"), c("Muhammad", "Khan", "2016-07-12"), true,
			[]string{"Given name sounds the same: Muhammad"}},
		{"Kathryn", q("Catherine", "Jones", "2014-01-20"), c("Kathryn", "Jones", "2014-01-20"), true,
			[]string{"Given name sounds the same: Kathryn"}},
		{"Ayesha", q("Aisha", "Begum", "2014-01-20"), c("Ayesha", "Begum", "2014-01-20"), true, nil},
		{"Steven", q("Stephen", "Thompson", "2012-05-05"), c("Steven", "Thomson", "2012-05-05"), true,
			[]string{"Given name sounds the same: Steven", "Family name spelled similarly: Thomson"}},
		{"MacDonald", q("Jaden", "McDonald", "2019-12-31"), c("Jayden", "MacDonald", "2019-12-31"), true, nil},
		{"both misspelled", q("Jaiden", "Smyth", "2019-12-31"), c("Jayden", "Smith", "2019-12-31"), true, nil},
		{"typing slip", q("Olvier", "Robinson", "2013-02-02"), c("Oliver", "Robinson", "2013-02-02"), true,
			[]string{"Given name spelled similarly: Oliver"}},

		// Exact names, dates near.
		{"one day", q("Ava", "Example", "2015-03-01"), c("Ava", "Example", "2015-03-02"), true,
			[]string{"Date of birth 1 day apart"}},
		{"seven days", q("Ava", "Example", "2015-03-01"), c("Ava", "Example", "2015-03-08"), true,
			[]string{"Date of birth 7 days apart"}},
		{"fourteen days", q("Ava", "Example", "2015-03-01"), c("Ava", "Example", "2015-02-15"), true, nil},
		{"year apart", q("Ava", "Example", "2015-03-01"), c("Ava", "Example", "2014-03-01"), true,
			[]string{"Same day and month of birth, year one apart"}},
		{"year apart, later", q("Ava", "Example", "2015-03-01"), c("Ava", "Example", "2016-03-01"), true, nil},
		{"day and month swapped", q("Ava", "Example", "2015-03-04"), c("Ava", "Example", "2015-04-03"), true,
			[]string{"Day and month of birth swapped"}},
		{"month mistyped", q("Ava", "Example", "2015-03-04"), c("Ava", "Example", "2015-08-04"), true,
			[]string{"Same day and year of birth, different month"}},
		{"day mistyped", q("Ava", "Example", "2015-03-04"), c("Ava", "Example", "2015-03-24"), true,
			[]string{"Same month and year of birth, different day"}},
		{"swapped and similar", q("Jaden", "Smyth", "2015-03-04"), c("Jayden", "Smith", "2015-04-03"), true, nil},

		// Names the wrong way round, and other names.
		{"names swapped", q("Khan", "Mohammed", "2016-07-12"), c("Mohammed", "Khan", "2016-07-12"), true,
			[]string{"Given and family names swapped"}},
		{"known as", q("Jay", "Smith", "2015-03-01"), c("Jason", "Smith", "2015-03-01", "Jay"), true,
			[]string{"Known as: Jay", "Same family name"}},
		{"known as whole name", q("Kai", "Brown", "2015-03-01"), c("Malachi", "Smith", "2015-03-01", "Kai Brown"), true,
			[]string{"Known as: Kai Brown"}},
		{"former family name", q("Lily", "Evans", "2015-03-01"), c("Lily", "Potter", "2015-03-01", "Evans"), true,
			[]string{"Same given name", "Known as: Evans"}},
		{"double-barrelled", q("Ella", "Smith", "2015-03-01"), c("Ella", "Smith-Jones", "2015-03-01"), true,
			[]string{"Family name partly the same: Smith-Jones"}},
		{"double-barrelled the other way", q("Ella", "Smith Jones", "2015-03-01"), c("Ella", "Jones", "2015-03-01"), true, nil},
		{"middle name", q("Mary Jane", "Watson", "2015-03-01"), c("Mary", "Watson", "2015-03-01"), true,
			[]string{"Given name partly the same: Mary"}},

		// Not matches.
		{"different names, same date", q("Oliver", "Smith", "2015-03-01"), c("Amelia", "Jones", "2015-03-01"), false, nil},
		{"sibling: same family, different given", q("Oliver", "Smith", "2015-03-01"), c("Amelia", "Smith", "2015-03-01"), false, nil},
		{"different family, same given", q("Oliver", "Smith", "2015-03-01"), c("Oliver", "Jones", "2015-03-01"), false, nil},
		{"similar names, five years", q("Jaden", "Smyth", "2015-03-01"), c("Jayden", "Smith", "2010-03-01"), false, nil},
		{"same names, five years", q("Ava", "Example", "2015-03-01"), c("Ava", "Example", "2010-03-01"), false, nil},
		{"same names, two months", q("Ava", "Example", "2015-03-01"), c("Ava", "Example", "2015-05-03"), false, nil},
		{"same names, three weeks across months", q("Ava", "Example", "2015-03-01"), c("Ava", "Example", "2015-02-08"), false, nil},
		{"similar names, month mistyped", q("Jaden", "Smyth", "2015-03-04"), c("Jayden", "Smith", "2015-08-04"), false, nil},
		{"sound-alike names, ten days", q("Jaden", "Smyth", "2015-03-01"), c("Jayden", "Smith", "2015-03-11"), true,
			[]string{"Date of birth 10 days apart"}},
		{"merely similar names, ten days", q("Jon", "Smyth", "2015-03-01"), c("Jonathan", "Smith", "2015-03-11"), false, nil},
		{"known as does not rescue a different person", q("Jay", "Jones", "2015-03-01"), c("Jason", "Smith", "2015-03-01", "Jay"), false, nil},
		{"no date of birth", Query{GivenName: "Ava", FamilyName: "Example"}, c("Ava", "Example", "2015-03-01"), false, nil},
		{"no names", q("", "", "2015-03-01"), c("Ava", "Example", "2015-03-01"), false, nil},
		{"other script, same date", q("Иван", "Петров", "2015-03-01"), c("Ivan", "Petrov", "2015-03-01"), false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			score, reasons, ok := Score(tt.q, tt.c)
			if ok != tt.ok {
				t.Fatalf("ok = %v (score %.3f, reasons %q), want %v", ok, score, reasons, tt.ok)
			}
			if score < 0 || score > 1 {
				t.Errorf("score %.3f out of range", score)
			}
			for _, r := range tt.reasons {
				if !slices.Contains(reasons, r) {
					t.Errorf("reasons %q lack %q", reasons, r)
				}
			}
			if ok && (len(reasons) == 0 || !strings.Contains(strings.ToLower(reasons[0]), "birth")) {
				t.Errorf("the first reason should be about the date of birth: %q", reasons)
			}
			for _, r := range reasons {
				if r == "" {
					t.Errorf("empty reason in %q", reasons)
				}
			}
		})
	}
}

func TestScoreOrdersBetterMatchesFirst(t *testing.T) {
	q := Query{GivenName: "Jayden", FamilyName: "Smith", DateOfBirth: d("2015-03-01")}
	m := NewMatcher(q)
	exact, _, _ := m.Score(Candidate{GivenName: "Jayden", FamilyName: "Smith", DateOfBirth: d("2015-03-01")})
	spelled, _, _ := m.Score(Candidate{GivenName: "Jaden", FamilyName: "Smyth", DateOfBirth: d("2015-03-01")})
	near, _, _ := m.Score(Candidate{GivenName: "Jayden", FamilyName: "Smith", DateOfBirth: d("2015-03-05")})
	far, _, _ := m.Score(Candidate{GivenName: "Jayden", FamilyName: "Smith", DateOfBirth: d("2015-03-14")})
	if !(exact == 1 && exact > spelled && exact > near && near > far) {
		t.Errorf("exact %.3f, spelled %.3f, near %.3f, far %.3f", exact, spelled, near, far)
	}
}

func TestDayNumber(t *testing.T) {
	for _, s := range []string{"1970-01-01", "2000-02-29", "2015-03-29", "2015-10-25", "2024-12-31", "1901-06-15"} {
		dt := d(s)
		want := int(time.Date(dt.Year, dt.Month, dt.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
		if got := dayNumber(dt); got != want {
			t.Errorf("dayNumber(%s) = %d, want %d", s, got, want)
		}
	}
}

func BenchmarkScore(b *testing.B) {
	m := NewMatcher(Query{GivenName: "Jayden", FamilyName: "Smith", DateOfBirth: d("2015-03-01")})
	cs := []Candidate{
		{GivenName: "Jaden", FamilyName: "Smyth", DateOfBirth: d("2015-03-01")},
		{GivenName: "Amelia", FamilyName: "Jones", DateOfBirth: d("2015-03-04")},
		{GivenName: "Oliver", FamilyName: "Thompson", DateOfBirth: d("2015-02-20"), OtherNames: []string{"Olly"}},
		{GivenName: "Jayden", FamilyName: "Smith", DateOfBirth: d("2014-06-01")},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Score(cs[i%len(cs)])
	}
}

func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Key("MacDonald")
	}
}

// The store reads children whose names are keyed alike in DOBRanges: they
// must hold every date of birth Score can accept.
func TestDOBRangesCoverEveryAcceptedDate(t *testing.T) {
	in := func(x lantern.Date, rs []DateRange) bool {
		for _, r := range rs {
			if !x.Before(r.From) && !x.After(r.To) {
				return true
			}
		}
		return false
	}
	for _, s := range []string{"2015-03-04", "2016-02-29", "2015-12-31", "2015-01-01", "2014-07-07", "2013-11-30", "2012-05-12"} {
		dob := d(s)
		m := NewMatcher(Query{GivenName: "A", FamilyName: "B", DateOfBirth: dob})
		rs, anyName := DOBRanges(dob), AnyNameDOBRanges(dob)
		days := 0
		for _, r := range rs {
			days += dayNumber(r.To) - dayNumber(r.From) + 1
		}
		if days > 90 {
			t.Errorf("%s: DOBRanges span %d days", s, days)
		}
		for i := -800; i <= 800; i++ {
			x := lantern.DateOf(dob.Time().AddDate(0, 0, i))
			if c, _ := m.dobCloseness(x); c > 0 && !in(x, rs) {
				t.Errorf("%s: %s is accepted (%.2f) but outside DOBRanges", s, x, c)
			}
			if in(x, anyName) {
				if c, _ := m.dobCloseness(x); c < 0.9 {
					t.Errorf("%s: %s is read for any name but scores only %.2f", s, x, c)
				}
			}
		}
	}
}
