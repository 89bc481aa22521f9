// Package resolve finds which records of persons of concern are one person:
// entity resolution in the manner of Splink, after Fellegi and Sunter. Each
// pair of records is compared field by field; each comparison falls in one
// of a few ordered levels, and each level has m (how often two records of
// one person fall in it) and u (how often two records of different people
// do). The weight of the evidence is the sum of log2(m/u) over comparisons,
// with exact names adjusted by how common the name is (term frequency), and
// the probability follows from it and the prior. Every score keeps the
// weights behind it, so a person reviewing a candidate sees why.
//
// It is pure: no I/O. The caller stores records, blocking keys and the model
// (as JSON), reads candidates by shared keys, and acts on Decide. Package
// resolve/synth makes synthetic records with a known truth to train and
// measure it.
//
// Nothing here merges records of its own accord: Decide says when a link
// may be made without a person (AutoLink), and AutoLink needs both a very
// high probability and a shared registration or phone.
package resolve

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"lantern"
	"lantern/match"
)

// Bounds on a record: what is past them is ignored, so no input makes
// comparing slow. A person has few names and aliases; intelligence that
// lists more is noise for matching.
const (
	MaxNames     = 6  // names (given and family) per record
	MaxAliases   = 8  // aliases per record
	MaxPostcodes = 8  // postcodes per record
	MaxVRMs      = 8  // registrations per record
	MaxPhones    = 8  // phone numbers per record
	MaxTextLen   = 64 // bytes of any one name, alias, postcode, registration or phone
)

// Name is one name a person is recorded under. A generational suffix (Jnr,
// Snr, Junior, Senior, II) may be written at the end of either part; it is
// parsed out (ParseSuffix) and compared on its own.
type Name struct {
	Given  string `json:"given"`
	Family string `json:"family"`
}

// Record is what one record holds about a person of concern. Registrations
// and phones are already normalised by the caller (lantern.NormaliseVRM,
// lantern.NormalisePhone).
type Record struct {
	ID      string
	Names   []Name
	Aliases []string // street names and nicknames: "D-Money", "J"
	// DateOfBirth is the date if known; zero if not.
	DateOfBirth lantern.Date
	// BirthYear is the year when only the year is known (an age given as
	// "about 25 in 2023"); ignored when DateOfBirth is set.
	BirthYear int
	// Estimated marks a date of birth that is a guess. A date of 1 January
	// counts as one too: it is what systems write for a year alone.
	Estimated bool
	Sex       string // "male", "female" or "" (unknown)
	Postcodes []string
	VRMs      []string
	Phones    []string
	// Child marks a child's record. A child is never resolved with an
	// adult: such a pair is never a candidate.
	Child bool
}

// Suffix is a generational suffix.
type Suffix string

const (
	NoSuffix Suffix = ""
	Junior   Suffix = "jnr" // Jnr, Jr, Junior, II, 2nd
	Senior   Suffix = "snr" // Snr, Sr, Senior
	Third    Suffix = "iii" // III, 3rd
)

var suffixWords = map[string]Suffix{
	"jnr": Junior, "jr": Junior, "junior": Junior, "ii": Junior, "2nd": Junior, "jun": Junior,
	"snr": Senior, "sr": Senior, "senior": Senior, "sen": Senior,
	"iii": Third, "3rd": Third,
}

// ParseSuffix takes a generational suffix off the end of a name: "Smith Jnr",
// "Smith, Jr.", "Smith (Senior)" and "Smith II" are Smith with their
// suffixes. A name that is only a suffix ("Jnr") is kept as it is: it is
// then a name, not a suffix. The name comes back trimmed; one longer than
// MaxTextLen is cut first.
func ParseSuffix(name string) (string, Suffix) {
	name = strings.TrimSpace(capText(name))
	end := len(name)
	// The last word, ignoring trailing punctuation.
	for end > 0 && strings.IndexByte(".,)] ", name[end-1]) >= 0 {
		end--
	}
	start := end
	for start > 0 {
		c := name[start-1]
		if c == ' ' || c == ',' || c == '(' || c == '[' || c == '-' {
			break
		}
		start--
	}
	if start == 0 || start == end {
		return name, NoSuffix
	}
	s, ok := suffixWords[strings.ToLower(name[start:end])]
	if !ok {
		return name, NoSuffix
	}
	rest := strings.TrimRight(name[:start], " ,([-")
	if strings.TrimSpace(rest) == "" {
		return name, NoSuffix
	}
	return rest, s
}

// capText cuts s to MaxTextLen bytes, dropping a rune cut short.
func capText(s string) string {
	if len(s) <= MaxTextLen {
		return s
	}
	s = s[:MaxTextLen]
	for len(s) > 0 {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// NormaliseName is a name ready for comparing: lower case, diacritics
// folded, punctuation dropped, as match.Normalise, and bounded.
func NormaliseName(s string) string { return match.Normalise(capText(s)) }

// NormaliseAlias is an alias ready for comparing: as a name, with its spaces
// also removed, so "D-Money", "D Money" and "dmoney" are one.
func NormaliseAlias(s string) string {
	return strings.ReplaceAll(NormaliseName(s), " ", "")
}

// normaliseCode is a postcode in one form: capitals and digits, no spaces.
func normaliseCode(s string) string {
	s = capText(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// postcodeSector is the sector of a normalised postcode: all but the last
// two characters (the unit) of a whole postcode, "AB12 3" of AB123CD; ""
// for anything too short to be a whole postcode.
func postcodeSector(pc string) string {
	if len(pc) < 5 || len(pc) > 7 {
		return ""
	}
	return pc[:len(pc)-2]
}

// pname is one prepared name.
type pname struct {
	given      string   // normalised, as written
	givenFirst string   // its first word
	family     string   // normalised, spaces removed
	initial    bool     // the given name is a single letter
	groups     []uint16 // the variant groups of givenFirst
	swap       *pname   // the name the other way round, if both parts are known
}

// Prepared is a record normalised once for scoring many pairs: names
// normalised and suffixes parsed, aliases, postcodes and phones cleaned,
// and everything bounded.
type Prepared struct {
	ID        string
	names     []pname
	aliases   []string
	suffix    Suffix
	dob       lantern.Date // zero if unknown or only a year
	dobDay    int          // days since 1970, for dob
	year      int          // birth year, 0 if unknown
	estimated bool         // the year is all there is to compare
	sex       string
	postcodes []string
	sectors   []string
	vrms      []string
	phones    []string
	child     bool
}

// Prepare normalises a record for scoring.
func Prepare(r Record) *Prepared {
	p := &Prepared{ID: capText(r.ID), child: r.Child}
	for i, n := range r.Names {
		if i >= MaxNames {
			break
		}
		g, sg := ParseSuffix(n.Given)
		f, sf := ParseSuffix(n.Family)
		if p.suffix == NoSuffix {
			p.suffix = sf
			if sf == NoSuffix {
				p.suffix = sg
			}
		}
		pn := pname{given: NormaliseName(g), family: strings.ReplaceAll(NormaliseName(f), " ", "")}
		if pn.given == "" && pn.family == "" {
			continue
		}
		pn.givenFirst = pn.given
		if i := strings.IndexByte(pn.given, ' '); i >= 0 {
			pn.givenFirst = pn.given[:i]
		}
		pn.initial = utf8.RuneCountInString(pn.given) == 1
		pn.groups = variantOf[pn.givenFirst]
		if pn.given != "" && pn.family != "" {
			sw := swapped(pn)
			pn.swap = &sw
		}
		p.names = append(p.names, pn)
	}
	for i, a := range r.Aliases {
		if i >= MaxAliases {
			break
		}
		if n := NormaliseAlias(a); n != "" && !contains(p.aliases, n) {
			p.aliases = append(p.aliases, n)
		}
	}
	switch {
	case !r.DateOfBirth.IsZero() && validDate(r.DateOfBirth):
		p.year = r.DateOfBirth.Year
		if r.Estimated || r.DateOfBirth.Month == time.January && r.DateOfBirth.Day == 1 {
			p.estimated = true
		} else {
			p.dob = r.DateOfBirth
			p.dobDay = dayNumber(r.DateOfBirth)
		}
	case r.BirthYear >= 1000 && r.BirthYear <= 9999:
		p.year, p.estimated = r.BirthYear, true
	}
	switch strings.ToLower(strings.TrimSpace(capText(r.Sex))) {
	case "male", "m":
		p.sex = "male"
	case "female", "f":
		p.sex = "female"
	}
	for i, pc := range r.Postcodes {
		if i >= MaxPostcodes {
			break
		}
		if n := normaliseCode(pc); n != "" && !contains(p.postcodes, n) {
			p.postcodes = append(p.postcodes, n)
			if s := postcodeSector(n); s != "" && !contains(p.sectors, s) {
				p.sectors = append(p.sectors, s)
			}
		}
	}
	p.vrms = boundedSet(r.VRMs, MaxVRMs)
	p.phones = boundedSet(r.Phones, MaxPhones)
	return p
}

func boundedSet(xs []string, n int) []string {
	var out []string
	for i, x := range xs {
		if i >= n {
			break
		}
		if x = strings.TrimSpace(capText(x)); x != "" && !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func validDate(d lantern.Date) bool {
	return d.Year >= 1000 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December && d.Day >= 1 &&
		d.Day <= time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dayNumber is the number of days from 1970-01-01 to d (Howard Hinnant's
// days_from_civil), for dates from year 1000 on.
func dayNumber(d lantern.Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateDigits is a date as its eight digits, for counting characters off.
func dateDigits(d lantern.Date) string {
	return strconv.Itoa(d.Year*10000 + int(d.Month)*100 + d.Day)
}
