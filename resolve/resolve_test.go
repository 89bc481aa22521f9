package resolve

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"lantern"
)

func date(y int, m time.Month, d int) lantern.Date { return lantern.Date{Year: y, Month: m, Day: d} }

func person(given, family string) Record {
	return Record{Names: []Name{{Given: given, Family: family}}}
}

func levelOf(t *testing.T, m *Model, a, b Record, c int) string {
	t.Helper()
	g := m.compare(Prepare(a), Prepare(b))
	if g.g[c] == null {
		return "null"
	}
	return schema[c].levels[g.g[c]].name
}

func TestParseSuffix(t *testing.T) {
	for _, tt := range []struct {
		in, name string
		s        Suffix
	}{
		{"Smith", "Smith", NoSuffix},
		{"Smith Jnr", "Smith", Junior},
		{"Smith Jr.", "Smith", Junior},
		{"Smith, Jr", "Smith", Junior},
		{"Smith (Junior)", "Smith", Junior},
		{"Smith Snr", "Smith", Senior},
		{"smith SENIOR", "smith", Senior},
		{"Smith Sr.", "Smith", Senior},
		{"Smith II", "Smith", Junior},
		{"Smith III", "Smith", Third},
		{"Jnr", "Jnr", NoSuffix},       // a name alone is a name
		{"Junior", "Junior", NoSuffix}, // a given name, perhaps
		{"Smithjnr", "Smithjnr", NoSuffix},
		{"  Smith  Snr  ", "Smith", Senior},
		{"", "", NoSuffix},
		{"Ian", "Ian", NoSuffix}, // "ian" is no suffix, nor "i"
		{"John I", "John I", NoSuffix},
	} {
		name, s := ParseSuffix(tt.in)
		if name != tt.name || s != tt.s {
			t.Errorf("ParseSuffix(%q) = %q, %q; want %q, %q", tt.in, name, s, tt.name, tt.s)
		}
	}
}

func TestNormalise(t *testing.T) {
	for _, tt := range []struct{ in, name, alias string }{
		{"D-Money", "d money", "dmoney"},
		{"D Money", "d money", "dmoney"},
		{"  O'Brien ", "obrien", "obrien"},
		{"Łukasz", "lukasz", "lukasz"},
		{strings.Repeat("a", 200), strings.Repeat("a", MaxTextLen), strings.Repeat("a", MaxTextLen)},
	} {
		if got := NormaliseName(tt.in); got != tt.name {
			t.Errorf("NormaliseName(%q) = %q, want %q", tt.in, got, tt.name)
		}
		if got := NormaliseAlias(tt.in); got != tt.alias {
			t.Errorf("NormaliseAlias(%q) = %q, want %q", tt.in, got, tt.alias)
		}
	}
	// A multi-byte rune cut at the bound is dropped, not left broken.
	if got := capText(strings.Repeat("a", MaxTextLen-1) + "é"); got != strings.Repeat("a", MaxTextLen-1) {
		t.Errorf("capText cut a rune: %q", got)
	}
}

func TestVariants(t *testing.T) {
	for _, pair := range [][2]string{{"mohammed", "muhammad"}, {"mohammed", "mohamed"}, {"muhammad", "mohamad"},
		{"niamh", "neve"}, {"ciaran", "kieran"}, {"kai", "kye"}, {"stephen", "steven"}, {"jon", "john"},
		{"jon", "jonathan"}, {"aleksander", "alexander"}} {
		if !Variants(pair[0], pair[1]) || !Variants(pair[1], pair[0]) {
			t.Errorf("%s and %s should be variants", pair[0], pair[1])
		}
	}
	for _, pair := range [][2]string{{"john", "jonathan"}, {"mohammed", "mohammed"}, {"kai", "kieran"}, {"", ""}} {
		if Variants(pair[0], pair[1]) {
			t.Errorf("%s and %s should not be variants", pair[0], pair[1])
		}
	}
}

func TestGivenNameLevels(t *testing.T) {
	m := DefaultModel()
	for _, tt := range []struct{ a, b, want string }{
		{"Mohammed", "Mohammed", "exact"},
		{"Mohammed", "Muhammad", "variant"},
		{"Mohammed", "Mohamed", "variant"},
		{"Muhammad", "Mohamed", "variant"},
		{"Niamh", "Neve", "variant"},
		{"J", "John", "initial"},
		{"J.", "Jamal", "initial"},
		{"J", "Kyle", "else"},
		{"Jonathon", "Jonathan", "jw92"},
		{"Mary Jane", "Mary", "exact"},
		{"Aaron", "Zebedee", "else"},
		{"", "John", "null"},
	} {
		if got := levelOf(t, m, person(tt.a, "Smith"), person(tt.b, "Smith"), cGiven); got != tt.want {
			t.Errorf("given %q and %q: %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSwappedNames(t *testing.T) {
	m := DefaultModel()
	a, b := person("Kai", "Brown"), person("Brown", "Kai")
	if got := levelOf(t, m, a, b, cGiven); got != "swapped" {
		t.Fatalf("given: %s", got)
	}
	if got := levelOf(t, m, a, b, cFamily); got != "null" {
		t.Errorf("family once swapped: %s", got)
	}
	// Swapped, with a misspelling: still swapped.
	if got := levelOf(t, m, a, person("Browne", "Kye"), cGiven); got != "swapped" {
		t.Errorf("swapped with variants: %s", got)
	}
	// Only one name in common the other way round is not a swap.
	if got := levelOf(t, m, a, person("Brown", "Smith"), cGiven); got == "swapped" {
		t.Errorf("half a swap taken as one")
	}
	if got := levelOf(t, m, a, a, cGiven); got != "exact" {
		t.Errorf("one name: %s", got)
	}
}

func TestDOBLevels(t *testing.T) {
	m := DefaultModel()
	d := func(y int, mo time.Month, day int) Record {
		r := person("A", "B")
		r.DateOfBirth = date(y, mo, day)
		return r
	}
	y := func(year int) Record { r := person("A", "B"); r.BirthYear = year; return r }
	for _, tt := range []struct {
		a, b Record
		want string
	}{
		{d(1990, 3, 14), d(1990, 3, 14), "exact"},
		{d(1990, 3, 14), d(1990, 8, 14), "oneoff"},
		{d(1990, 3, 4), d(1990, 4, 3), "oneoff"},
		{d(1987, 3, 14), d(1978, 3, 14), "oneoff"},
		{d(1990, 3, 14), d(1990, 3, 28), "month"},
		{d(1990, 3, 14), d(1990, 10, 29), "year"},
		{d(1990, 3, 14), d(1996, 6, 20), "tenyears"},
		{d(1990, 3, 14), d(1960, 6, 20), "else"},
		{d(1990, 1, 1), d(1990, 1, 1), "estsame"}, // 1 January is an estimate
		{y(1990), d(1990, 6, 2), "estsame"},
		{y(1990), y(1991), "estnear"},
		{y(1990), y(1993), "estnear"},
		{y(1990), y(1997), "estfar"},
		{y(1990), person("A", "B"), "null"},
	} {
		if got := levelOf(t, m, tt.a, tt.b, cDOB); got != tt.want {
			t.Errorf("%v/%d and %v/%d: %s, want %s", tt.a.DateOfBirth, tt.a.BirthYear, tt.b.DateOfBirth, tt.b.BirthYear, got, tt.want)
		}
	}
}

func TestOtherLevels(t *testing.T) {
	m := DefaultModel()
	r := func(f func(*Record)) Record { x := person("Kai", "Brown"); f(&x); return x }
	for _, tt := range []struct {
		name string
		a, b Record
		c    int
		want string
	}{
		{"postcode exact", r(func(x *Record) { x.Postcodes = []string{"zz1 1aa"} }), r(func(x *Record) { x.Postcodes = []string{"ZZ11AA"} }), cPostcode, "exact"},
		{"postcode sector", r(func(x *Record) { x.Postcodes = []string{"ZZ1 1AA"} }), r(func(x *Record) { x.Postcodes = []string{"ZZ1 1BB"} }), cPostcode, "sector"},
		{"postcode else", r(func(x *Record) { x.Postcodes = []string{"ZZ1 1AA"} }), r(func(x *Record) { x.Postcodes = []string{"ZZ9 9BB"} }), cPostcode, "else"},
		{"postcode null", r(func(x *Record) { x.Postcodes = []string{"ZZ1 1AA"} }), r(func(*Record) {}), cPostcode, "null"},
		{"vrm", r(func(x *Record) { x.VRMs = []string{"AB12CDE"} }), r(func(x *Record) { x.VRMs = []string{"XY99ZZZ", "AB12CDE"} }), cVRM, "shared"},
		{"partial vrm", r(func(x *Record) { x.VRMs = []string{"AB12C?E"} }), r(func(x *Record) { x.VRMs = []string{"AB12CDE"} }), cVRM, "shared"},
		{"vrm else", r(func(x *Record) { x.VRMs = []string{"AB12CDE"} }), r(func(x *Record) { x.VRMs = []string{"XY99ZZZ"} }), cVRM, "else"},
		{"phone", r(func(x *Record) { x.Phones = []string{"+447700900123"} }), r(func(x *Record) { x.Phones = []string{"+447700900123"} }), cPhone, "shared"},
		{"sex", r(func(x *Record) { x.Sex = "male" }), r(func(x *Record) { x.Sex = "female" }), cSex, "different"},
		{"sex unknown", r(func(x *Record) { x.Sex = "male" }), r(func(*Record) {}), cSex, "null"},
		{"alias", r(func(x *Record) { x.Aliases = []string{"D-Money"} }), r(func(x *Record) { x.Aliases = []string{"d money"} }), cAlias, "shared"},
		{"alias is given", r(func(x *Record) { x.Aliases = []string{"Kai"} }), person("Kai", "Green"), cAlias, "given"},
		{"alias else", r(func(x *Record) { x.Aliases = []string{"Dee"} }), r(func(x *Record) { x.Aliases = []string{"Tiny"} }), cAlias, "else"},
		{"generation", person("John", "Smith Jnr"), person("John", "Smith Snr"), cGeneration, "different"},
		{"generation unknown", person("John", "Smith Jnr"), person("John", "Smith"), cGeneration, "null"},
	} {
		if got := levelOf(t, m, tt.a, tt.b, tt.c); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestStreetNameAloneIsARecord(t *testing.T) {
	m := DefaultModel()
	a := Record{ID: "a", Aliases: []string{"D-Money"}}
	b := Record{ID: "b", Aliases: []string{"D Money"}, Names: []Name{{Given: "Dwayne", Family: "Morris"}}}
	keys := BlockingKeys(a)
	if !reflectContains(keys, "a:dmoney") || !reflectContains(BlockingKeys(b), "a:dmoney") {
		t.Fatalf("a street name is a key: %v", keys)
	}
	s := m.Score(a, b)
	if s.Excluded || s.Weight <= m.priorWeight() {
		t.Errorf("a shared street name should add weight: %+v", s)
	}
	if s2 := m.Score(a, a); s2.Probability <= 0 || math.IsNaN(s2.Probability) {
		t.Errorf("a street name alone scores: %+v", s2)
	}
}

func reflectContains(xs []string, x string) bool { return contains(xs, x) }

func TestChildNeverCandidateOfAdult(t *testing.T) {
	m := DefaultModel()
	adult := Record{Names: []Name{{"Kai", "Brown"}}, DateOfBirth: date(2008, 5, 6), Phones: []string{"+447700900123"}}
	child := adult
	child.Child = true
	s := m.Score(adult, child)
	if !s.Excluded || s.Probability != 0 {
		t.Fatalf("child and adult scored: %+v", s)
	}
	if d := Decide(s, adult, child); d != None {
		t.Errorf("child and adult: %s", d)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Errorf("an excluded pair's score does not encode: %v", err)
	}
	// Even a certain score does not make them a candidate.
	if d := Decide(Scored{Probability: 1}, adult, child); d != None {
		t.Errorf("child and adult with p=1: %s", d)
	}
	for _, k := range BlockingKeys(child) {
		if reflectContains(BlockingKeys(adult), k) {
			t.Errorf("child and adult share key %s", k)
		}
	}
	// Two children may be one child.
	if s := m.Score(child, child); s.Excluded || s.Probability < 0.99 {
		t.Errorf("two records of one child: %+v", s)
	}
	res := m.Resolve([]Record{adult, child, adult})
	for _, l := range res.Links {
		if l.A == 1 || l.B == 1 {
			t.Errorf("child linked: %+v", l)
		}
	}
}

func TestTFCommonWeighsLess(t *testing.T) {
	m := DefaultModel()
	var records []Record
	for i := range 500 {
		records = append(records, person(fmt.Sprintf("G%d", i), "Smith"))
	}
	for i := range 500 {
		records = append(records, person(fmt.Sprintf("H%d", i), fmt.Sprintf("Rare%c%c", 'a'+i%26, 'a'+i/26)))
	}
	m.FitTF(records)
	// Family names alone (no given name), so the family name's own table
	// is used.
	common := m.Score(person("", "Smith"), person("", "Smith"))
	rare := m.Score(person("", "Rareab"), person("", "Rareab"))
	fw := func(s Scored) Reason {
		for _, r := range s.Reasons {
			if r.Comparison == "Family name" {
				return r
			}
		}
		t.Fatal("no family reason")
		return Reason{}
	}
	if fw(common).Weight >= fw(rare).Weight {
		t.Errorf("common %v should weigh less than rare %v", fw(common), fw(rare))
	}
	if !strings.Contains(fw(common).String(), "common name") || !strings.Contains(fw(rare).String(), "rare name") {
		t.Errorf("reasons: %q, %q", fw(common), fw(rare))
	}
	// Both names exact: the whole name's frequency counts, so a common
	// pairing of names weighs less than a rare one, each name alone being
	// equally common.
	var whole []Record
	for range 50 {
		whole = append(whole, person("Simran", "Kaur"), person("Gurpreet", "Singh"))
	}
	for i := range 50 {
		whole = append(whole, person("Simran", fmt.Sprint("X", i)), person(fmt.Sprint("Y", i), "Kaur"))
	}
	whole = append(whole, person("Gurpreet", "Kaur"))
	m.FitTF(whole)
	often := m.Score(person("Simran", "Kaur"), person("Simran", "Kaur"))
	once := m.Score(person("Gurpreet", "Kaur"), person("Gurpreet", "Kaur"))
	if often.Weight >= once.Weight {
		t.Errorf("a common whole name %v should weigh less than a rare one %v", often.Reasons, once.Reasons)
	}
	if got := fw(often).String(); !strings.Contains(got, "the whole name on 48 other records") {
		t.Errorf("reason %q", got)
	}
	if got := fw(once).String(); !strings.Contains(got, "the whole name on no other record") {
		t.Errorf("reason %q", got)
	}
	// A variant of a common name weighs no more than the name itself.
	m.FitTF(append(records, person("Mohammed", "X"), person("Mohammed", "Y"), person("Mohammed", "Z")))
	exact := m.Score(person("Mohammed", "Smith"), person("Mohammed", "Smith"))
	variant := m.Score(person("Mohammed", "Smith"), person("Muhammad", "Smith"))
	if variant.Weight > exact.Weight {
		t.Errorf("variant %v outweighs exact %v", variant.Weight, exact.Weight)
	}
}

func TestTFBounded(t *testing.T) {
	c := newTFCounter()
	for i := range 5 * MaxTFTerms {
		c.add(fmt.Sprint("t", i))
		c.add("common")
	}
	if len(c.terms) > 2*MaxTFTerms {
		t.Fatalf("counter holds %d", len(c.terms))
	}
	tb := c.table()
	if len(tb.Terms) > MaxTFTerms || tb.Terms["common"] != int64(5*MaxTFTerms) {
		t.Fatalf("table: %d terms, common %d", len(tb.Terms), tb.Terms["common"])
	}
	if tb.freq("never-seen") <= 0 || tb.freq("never-seen") > tb.freq("common") {
		t.Errorf("unknown term frequency %v", tb.freq("never-seen"))
	}
}

func TestReasonString(t *testing.T) {
	if got := (Reason{"Family name", "exact, common name", 4.06}).String(); got != "Family name: exact, common name (+4.1)" {
		t.Errorf("got %q", got)
	}
	if got := (Reason{"Date of birth", "more than ten years apart", -5}).String(); got != "Date of birth: more than ten years apart (-5.0)" {
		t.Errorf("got %q", got)
	}
	s := DefaultModel().Score(person("Kai", "Brown"), person("Kai", "Brown"))
	sum := 0.0
	for _, r := range s.Reasons {
		sum += r.Weight
	}
	if math.Abs(sum-s.Weight) > 1e-9 || !strings.HasPrefix(s.Reasons[0].String(), "Before comparing: 1 pair of records in 100,000 is one person") {
		t.Errorf("reasons %v do not add up to %v", s.Reasons, s.Weight)
	}
}

func pairWith(p float64) Scored { return Scored{Probability: p} }

func TestDecideThresholds(t *testing.T) {
	withPhone := Record{Names: []Name{{"Kai", "Brown"}}, Phones: []string{"+447700900123"}}
	withVRM := Record{Names: []Name{{"Kai", "Brown"}}, VRMs: []string{"AB12CDE"}}
	bare := Record{Names: []Name{{"Kai", "Brown"}}}
	for _, tt := range []struct {
		p    float64
		a, b Record
		want Decision
	}{
		{0.99, withPhone, withPhone, AutoLink},
		{0.99, withVRM, withVRM, AutoLink},
		{0.98999, withPhone, withPhone, Review},
		{0.99, bare, bare, Review},
		{0.999999, withPhone, withVRM, Review}, // nothing shared
		{0.80, bare, bare, Review},
		{0.79999, withPhone, withPhone, None},
		{0, bare, bare, None},
	} {
		if got := Decide(pairWith(tt.p), tt.a, tt.b); got != tt.want {
			t.Errorf("p=%v: %s, want %s", tt.p, got, tt.want)
		}
	}
}

func TestFatherAndSonNeverAutoLink(t *testing.T) {
	m := DefaultModel()
	base := Record{Names: []Name{{"Delroy", "Campbell"}}, Postcodes: []string{"ZZ1 1AA"}, Phones: []string{"+447700900456"},
		VRMs: []string{"AB12CDE"}, Sex: "male"}
	father, son := base, base
	father.Names = []Name{{"Delroy", "Campbell Snr"}}
	son.Names = []Name{{"Delroy", "Campbell Jnr"}}
	father.DateOfBirth, son.DateOfBirth = date(1970, 5, 6), date(1970, 5, 6) // even the same date
	if d := Decide(Scored{Probability: 0.9999}, father, son); d == AutoLink {
		t.Errorf("Jnr and Snr autolinked")
	}
	if d := Decide(m.Score(father, son), father, son); d == AutoLink {
		t.Errorf("Jnr and Snr autolinked by score")
	}
	plain := base
	if d := Decide(Scored{Probability: 0.9999}, plain, son); d == AutoLink {
		t.Errorf("Jnr and a record without a suffix autolinked")
	}
	// One name at one address, births 20 years apart: not AutoLink.
	a, b := base, base
	a.BirthYear, b.BirthYear = 1970, 1990
	if d := Decide(Scored{Probability: 0.9999}, a, b); d != Review {
		t.Errorf("father and son by years: %s", d)
	}
	// 10 years apart is not a generation: AutoLink stands.
	b.BirthYear = 1980
	if d := Decide(Scored{Probability: 0.9999}, a, b); d != AutoLink {
		t.Errorf("10 years apart: %s", d)
	}
}

func TestModelJSONRoundTrip(t *testing.T) {
	m := DefaultModel()
	m.FitTF([]Record{person("Kai", "Brown"), person("Kai", "Smith"), {Aliases: []string{"Tiny"}}})
	m.Prior = 3e-6
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseModel(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Comparisons, back.Comparisons) || m.Prior != back.Prior || !reflect.DeepEqual(m.TF, back.TF) {
		t.Fatalf("round trip changed the model")
	}
	a, b := person("Kai", "Brown"), person("Kai", "Browne")
	if x, y := m.Score(a, b), back.Score(a, b); x.Weight != y.Weight {
		t.Errorf("scores differ: %v, %v", x.Weight, y.Weight)
	}
	var viaUnmarshal Model
	if err := json.Unmarshal(data, &viaUnmarshal); err != nil || viaUnmarshal.Score(a, b).Weight != m.Score(a, b).Weight {
		t.Errorf("json.Unmarshal: %v", err)
	}
}

func TestModelJSONRefused(t *testing.T) {
	good, _ := json.Marshal(DefaultModel())
	for name, mutate := range map[string]func(string) string{
		"not json":       func(string) string { return "{" },
		"unknown field":  func(s string) string { return strings.Replace(s, `"version"`, `"extra":1,"version"`, 1) },
		"version":        func(s string) string { return strings.Replace(s, `"version":1`, `"version":2`, 1) },
		"prior":          func(s string) string { return strings.Replace(s, `"prior":0.00001`, `"prior":1`, 1) },
		"negative m":     func(s string) string { return strings.Replace(s, `"m":0.8`, `"m":-0.8`, 1) },
		"sum":            func(s string) string { return strings.Replace(s, `"m":0.8`, `"m":0.5`, 1) },
		"level renamed":  func(s string) string { return strings.Replace(s, `"name":"variant"`, `"name":"other"`, 1) },
		"no comparisons": func(s string) string { return `{"version":1,"prior":0.01,"comparisons":[]}` },
		"tf table": func(s string) string {
			return strings.Replace(s, `}]}]}`, `}]}],"tf":{"family":{"total":1,"floor":0,"terms":{"x":5}}}}`, 1)
		},
		"tf name": func(s string) string {
			return strings.Replace(s, `}]}]}`, `}]}],"tf":{"dob":{"total":1,"floor":0,"terms":{}}}}`, 1)
		},
		"trailing": func(s string) string { return s + "{}" },
	} {
		bad := mutate(string(good))
		if bad == string(good) {
			t.Fatalf("%s: mutation did nothing", name)
		}
		if _, err := ParseModel([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if lantern.ErrorCode(err) != lantern.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBlockingKeys(t *testing.T) {
	r := Record{Names: []Name{{"Kieran", "Smith"}}, DateOfBirth: date(1990, 3, 14), Postcodes: []string{"zz1 1aa"},
		VRMs: []string{"AB12CDE", "AB1?CDE"}, Phones: []string{"+447700900123"}, Aliases: []string{"K-Dog"}}
	got := BlockingKeys(r)
	want := []string{"v:AB12CDE", "t:+447700900123", "n:SM0:1990", "s:SM0|SRN", "g:SRN:1990-03-14", "z:ZZ11AA", "a:kdog"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	// Swapped names, a misspelling and a variant (Kieran, Ciaran) share the pair key.
	swapped := BlockingKeys(Record{Names: []Name{{"Smyth", "Ciaran"}}})
	if !reflectContains(swapped, "s:SM0|SRN") {
		t.Errorf("swapped: %v", swapped)
	}
	many := Record{}
	for i := range 100 {
		many.Aliases = append(many.Aliases, fmt.Sprint("alias", i))
		many.Phones = append(many.Phones, fmt.Sprint("+4477009", i))
	}
	if k := BlockingKeys(many); len(k) > MaxKeys {
		t.Errorf("%d keys", len(k))
	}
	if !UsableKey(MaxBlockSize) || UsableKey(MaxBlockSize+1) {
		t.Error("UsableKey's bound")
	}
}

func TestTrainFromReviews(t *testing.T) {
	m := DefaultModel()
	before := m.Comparisons[cPhone].Levels[xShared].M
	a := Record{Names: []Name{{"Kai", "Brown"}}, Phones: []string{"+447700900123"}}
	var rs []Reviewed
	for range 50 {
		rs = append(rs, Reviewed{A: a, B: a, Answer: "same"})
	}
	rs = append(rs, Reviewed{A: a, B: a, Answer: "unsure"}, Reviewed{A: a, B: a, Answer: "different"})
	rep, err := m.TrainFromReviews(rs)
	if err != nil || rep != (ReviewReport{Same: 50, Different: 1, Unsure: 1}) {
		t.Fatalf("%+v %v", rep, err)
	}
	if after := m.Comparisons[cPhone].Levels[xShared].M; after <= before {
		t.Errorf("m of a shared phone %v -> %v", before, after)
	}
	if _, err := m.TrainFromReviews([]Reviewed{{Answer: "maybe"}}); err == nil {
		t.Error("a bad answer was accepted")
	}
	if data, _ := json.Marshal(m); func() bool { _, err := ParseModel(data); return err != nil }() {
		t.Error("a trained model does not parse")
	}
}

func TestBounded(t *testing.T) {
	m := DefaultModel()
	var r Record
	long := strings.Repeat("Ab", 10_000)
	for range 1000 {
		r.Names = append(r.Names, Name{long, long})
		r.Aliases = append(r.Aliases, long)
		r.Postcodes = append(r.Postcodes, long)
	}
	p := Prepare(r)
	if len(p.names) > MaxNames || len(p.aliases) > MaxAliases || len(p.postcodes) > MaxPostcodes {
		t.Fatalf("unbounded: %d names", len(p.names))
	}
	_ = m.Score(r, r)
}
