package resolve

import (
	"strconv"
	"strings"

	"lantern/match"
)

// Decision is what to do with a scored pair.
type Decision string

const (
	// AutoLink: link the records without a person looking first.
	AutoLink Decision = "autolink"
	// Review: show the pair to a person to decide.
	Review Decision = "review"
	// None: leave the records apart.
	None Decision = "none"
)

// The thresholds of Decide.
const (
	AutoLinkProbability = 0.99
	ReviewProbability   = 0.80
	// GenerationYears: two records of one name at one address born this
	// many years apart or more may be a father and his son.
	GenerationYears = 14
)

// Decide says what to do with a scored pair of records:
//   - a child with an adult: None, always;
//   - below ReviewProbability: None;
//   - at AutoLinkProbability or above, with a registration or phone in
//     common: AutoLink, unless they may be a father and his son of one name
//     (a Jnr and a Snr, or one name at one postcode with births
//     GenerationYears or more apart), who are only ever reviewed;
//   - otherwise Review.
func Decide(s Scored, a, b Record) Decision {
	return decide(s.Probability, s.Excluded, Prepare(a), Prepare(b))
}

func decide(p float64, excluded bool, a, b *Prepared) Decision {
	if excluded || a.child != b.child || p < ReviewProbability {
		return None
	}
	if p >= AutoLinkProbability && (shareVRM(a.vrms, b.vrms) || shareAny(a.phones, b.phones)) && !fatherAndSon(a, b) {
		return AutoLink
	}
	return Review
}

// fatherAndSon reports records that may be a father and a son of one name:
// the same given and family name, and either different generational
// suffixes (Jnr and Snr, or one written and the other not), or a postcode in
// common and births GenerationYears or more apart.
func fatherAndSon(a, b *Prepared) bool {
	if !sameName(a, b) {
		return false
	}
	if a.suffix != b.suffix {
		return true
	}
	return shareAny(a.postcodes, b.postcodes) && a.year != 0 && b.year != 0 && abs(a.year-b.year) >= GenerationYears
}

func sameName(a, b *Prepared) bool {
	for _, x := range a.names {
		for _, y := range b.names {
			if x.givenFirst != "" && x.givenFirst == y.givenFirst && x.family != "" && x.family == y.family {
				return true
			}
		}
	}
	return false
}

// MaxBlockSize is the most records a blocking key should gather for its
// records to be compared pair by pair: a key shared by more (a hostel's
// postcode, a common name in a common year) costs too many pairs and says
// too little, so its pairs are found through the records' other keys.
const MaxBlockSize = 1000

// UsableKey reports whether a key shared by this many records should be
// used to find candidates (SkipKey's opposite).
func UsableKey(records int) bool { return records <= MaxBlockSize }

// MaxKeys bounds the blocking keys of one record.
const MaxKeys = 48

// BlockingKeys are the keys under which a record is filed so that likely
// matches are found without comparing every pair: records that share a key
// are compared. The caller stores them in an indexed table and, for a new
// record, reads the records under its keys, skipping any key shared by more
// than MaxBlockSize (UsableKey). The keys, each prefixed by its kind:
//
//	v:AB12CDE        a whole registration (not a partial one)
//	t:+447700900123  a phone number
//	n:SM0:1990       the family name's phonetic key and the birth year
//	s:JN|SM0         the given and family names' keys, sorted, so a name
//	                 written the other way round, or with the year wrong,
//	                 is still found
//	g:JN:1990-03-14  the given name's key and the date of birth, for a
//	                 family name misspelled past its key, or changed
//	z:AB123CD        a postcode
//	a:dmoney         an alias
//
// The phonetic key is the primary Double Metaphone key of match.Key (four
// characters), as the children's matching uses, chosen over Soundex because
// it codes sounds rather than letters: Soundex keeps the first letter, so
// Khan and Kahn agree but Kieran and Ciaran, or Phillips and Filips, never
// can, and it codes Thompson and Tomson alike only by luck. A given name in
// a variant group is keyed by its group's first name, so Niamh and Neve, and
// Ciaran and Kieran, whose sounds Double Metaphone writes differently, are
// filed together. A child's keys begin "c" ("cv:…"), so a child and an
// adult never share one.
func BlockingKeys(r Record) []string { return Prepare(r).BlockingKeys() }

// BlockingKeys are the record's keys; see the package function.
func (p *Prepared) BlockingKeys() []string {
	var keys []string
	add := func(k string) {
		if p.child {
			k = "c" + k
		}
		if len(keys) < MaxKeys && !contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, v := range p.vrms {
		if strings.IndexByte(v, '?') < 0 {
			add("v:" + v)
		}
	}
	for _, t := range p.phones {
		add("t:" + t)
	}
	year := ""
	if p.year != 0 {
		year = strconv.Itoa(p.year)
	}
	for _, n := range p.names {
		fk := match.Key(n.family)
		gk := match.Key(canonicalGiven(n.givenFirst))
		if n.initial {
			gk = ""
		}
		if fk != "" && year != "" {
			add("n:" + fk + ":" + year)
		}
		if fk != "" && gk != "" {
			x, y := gk, fk
			if x > y {
				x, y = y, x
			}
			add("s:" + x + "|" + y)
		}
		if gk != "" && !p.dob.IsZero() {
			add("g:" + gk + ":" + p.dob.String())
		}
	}
	for _, pc := range p.postcodes {
		add("z:" + pc)
	}
	for _, a := range p.aliases {
		add("a:" + a)
	}
	return keys
}
