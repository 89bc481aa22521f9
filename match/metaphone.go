package match

import "strings"

// KeyLen is the length of a phonetic key: Double Metaphone's usual four.
// Short keys find more spellings; Similarity then sorts them out.
const KeyLen = 4

// Key is the phonetic key of a name: the primary code of Lawrence Philips'
// Double Metaphone (C/C++ Users Journal, June 2000), at most KeyLen
// characters, of the normalised name with its spaces removed. Names that
// sound alike to an English speaker share a key: Mohammed, Muhammad and
// Mohamed are MHMT; Stephen and Steven STFN; Catherine and Kathryn K0RN;
// Aisha and Ayesha AX; McDonald and MacDonald MKTN; Smith and Smyth SM0;
// Jayden, Jaden and Jaiden JTN. Thompson (TMPS) and Thomson (TMSN) do not:
// Double Metaphone sounds the P. A name with no Latin letters has the key "",
// which matches nothing.
func Key(name string) string { return metaphone(joined(Normalise(name)), KeyLen) }

// GivenKey is the key of the first of a child's given names.
func GivenKey(given string) string { return metaphone(firstWord(Normalise(given)), KeyLen) }

// FamilyKey is the key of a whole family name, so a double-barrelled name
// (Smith-Jones) is one key.
func FamilyKey(family string) string { return Key(family) }

// NameKey is the key stored for one of a child's other names
// (child_names.name_key). A whole name has the pair of keys, given and
// family ("Kai Brown" is "K PRN", PairKey), which is rare however common
// its names, so finding it is cheap. A single name has its own key ("Evans"
// is "AFNS"): FindMatches finds it as a former family name, by the new
// child's FamilyKey. A single other given name ("Jay" for Jason Smith) is
// found by the family name the child is recorded under, and then scored
// with the other name.
func NameKey(name string) string {
	n := Normalise(name)
	if i := strings.IndexByte(n, ' '); i >= 0 {
		return PairKey(n[:i], n[i+1:])
	}
	return metaphone(n, KeyLen)
}

// PairKey is GivenKey and FamilyKey together, or "" if either is.
func PairKey(given, family string) string {
	g, f := GivenKey(given), FamilyKey(family)
	if g == "" || f == "" {
		return ""
	}
	return g + " " + f
}

// metaphone is the primary Double Metaphone code of s, at most max long.
// It follows Philips' rules as published (and as ported in Apache Commons
// Codec), keeping only what reaches the primary code. Letters other than
// A-Z are ignored; s is upper-cased here.
func metaphone(s string, max int) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		case c >= 'A' && c <= 'Z', c == ' ':
			b = append(b, c)
		}
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return ""
	}
	e := &dm{v: v, last: len(v) - 1, max: max, out: make([]byte, 0, max+2)}
	e.slavo = strings.ContainsAny(v, "WK") || strings.Contains(v, "CZ") || strings.Contains(v, "WITZ")
	i := 0
	if e.has(0, "GN", "KN", "PN", "WR", "PS") {
		i = 1 // silent first letter
	}
	for len(e.out) < max && i <= e.last {
		switch v[i] {
		case 'A', 'E', 'I', 'O', 'U', 'Y':
			if i == 0 {
				e.add("A")
			}
			i++
		case 'B':
			e.add("P")
			i = e.skipDouble(i, 'B')
		case 'C':
			i = e.c(i)
		case 'D':
			i = e.d(i)
		case 'F':
			e.add("F")
			i = e.skipDouble(i, 'F')
		case 'G':
			i = e.g(i)
		case 'H':
			i = e.h(i)
		case 'J':
			i = e.j(i)
		case 'K':
			e.add("K")
			i = e.skipDouble(i, 'K')
		case 'L':
			e.add("L")
			i = e.skipDouble(i, 'L')
		case 'M':
			e.add("M")
			if e.at(i+1) == 'M' || e.has(i-1, "UMB") && (i+1 == e.last || e.has(i+2, "ER")) {
				i += 2
			} else {
				i++
			}
		case 'N':
			e.add("N")
			i = e.skipDouble(i, 'N')
		case 'P':
			if e.at(i+1) == 'H' {
				e.add("F")
				i += 2
			} else {
				e.add("P")
				if e.has(i+1, "P", "B") {
					i += 2
				} else {
					i++
				}
			}
		case 'Q':
			e.add("K")
			i = e.skipDouble(i, 'Q')
		case 'R':
			// French "-ier" at the end is silent in the primary code.
			if !(i == e.last && !e.slavo && e.has(i-2, "IE") && !e.has(i-4, "ME", "MA")) {
				e.add("R")
			}
			i = e.skipDouble(i, 'R')
		case 'S':
			i = e.s(i)
		case 'T':
			i = e.t(i)
		case 'V':
			e.add("F")
			i = e.skipDouble(i, 'V')
		case 'W':
			i = e.w(i)
		case 'X':
			i = e.x(i)
		case 'Z':
			if e.at(i+1) == 'H' { // Chinese pinyin: Zhang
				e.add("J")
				i += 2
			} else {
				e.add("S")
				i = e.skipDouble(i, 'Z')
			}
		default:
			i++
		}
	}
	if len(e.out) > max {
		e.out = e.out[:max]
	}
	return string(e.out)
}

type dm struct {
	v     string
	last  int
	max   int
	slavo bool // Slavo-Germanic: W, K, CZ or WITZ
	out   []byte
}

func (e *dm) add(s string) { e.out = append(e.out, s...) }

// at is the letter at i, or 0 outside the name.
func (e *dm) at(i int) byte {
	if i < 0 || i > e.last {
		return 0
	}
	return e.v[i]
}

// has reports whether any of subs (all of one length) is at start.
func (e *dm) has(start int, subs ...string) bool {
	if start < 0 || len(subs) == 0 || start+len(subs[0]) > len(e.v) {
		return false
	}
	t := e.v[start : start+len(subs[0])]
	for _, s := range subs {
		if t == s {
			return true
		}
	}
	return false
}

func (e *dm) skipDouble(i int, c byte) int {
	if e.at(i+1) == c {
		return i + 2
	}
	return i + 1
}

func isVowel(c byte) bool {
	switch c {
	case 'A', 'E', 'I', 'O', 'U', 'Y':
		return true
	}
	return false
}

func (e *dm) c(i int) int {
	switch {
	case e.c0(i): // Germanic "-ach-", Italian "chianti"
		e.add("K")
		return i + 2
	case i == 0 && e.has(i, "CAESAR"):
		e.add("S")
		return i + 2
	case e.has(i, "CH"):
		return e.ch(i)
	case e.has(i, "CZ") && !e.has(i-2, "WICZ"): // Czerny
		e.add("S")
		return i + 2
	case e.has(i+1, "CIA"): // focaccia
		e.add("X")
		return i + 3
	case e.has(i, "CC") && !(i == 1 && e.at(0) == 'M'): // but not McClelland
		if e.has(i+2, "I", "E", "H") && !e.has(i+2, "HU") { // bellocchio, not bacchus
			if i == 1 && e.at(0) == 'A' || e.has(i-1, "UCCEE", "UCCES") { // accident, succeed
				e.add("KS")
			} else {
				e.add("X")
			}
			return i + 3
		}
		e.add("K")
		return i + 2
	case e.has(i, "CK", "CG", "CQ"):
		e.add("K")
		return i + 2
	case e.has(i, "CI", "CE", "CY"):
		e.add("S")
		return i + 2
	}
	e.add("K")
	switch {
	case e.has(i+1, " C", " Q", " G"): // Mac Caffrey, Mac Gregor
		return i + 3
	case e.has(i+1, "C", "K", "Q") && !e.has(i+1, "CE", "CI"):
		return i + 2
	}
	return i + 1
}

func (e *dm) c0(i int) bool {
	if e.has(i, "CHIA") {
		return true
	}
	if i <= 1 || isVowel(e.at(i-2)) || !e.has(i-1, "ACH") {
		return false
	}
	c := e.at(i + 2)
	return c != 'I' && c != 'E' || e.has(i-2, "BACHER", "MACHER")
}

func (e *dm) ch(i int) int {
	switch {
	case i > 0 && e.has(i, "CHAE"): // Michael
		e.add("K")
	case i == 0 && (e.has(i+1, "HARAC", "HARIS") || e.has(i+1, "HOR", "HYM", "HIA", "HEM")) && !e.has(0, "CHORE"):
		e.add("K") // Greek roots: chorus, character
	case e.has(0, "VAN ", "VON ") || e.has(0, "SCH") || e.has(i-2, "ORCHES", "ARCHIT", "ORCHID") ||
		e.has(i+2, "T", "S") ||
		(e.has(i-1, "A", "O", "U", "E") || i == 0) && (e.has(i+2, "L", "R", "N", "M", "B", "H", "F", "V", "W", " ") || i+1 == e.last):
		e.add("K") // Germanic or Greek "kh"
	case i > 0 && !e.has(0, "MC"):
		e.add("X")
	case i > 0:
		e.add("K")
	default:
		e.add("X")
	}
	return i + 2
}

func (e *dm) d(i int) int {
	switch {
	case e.has(i, "DG"):
		if e.has(i+2, "I", "E", "Y") { // edge
			e.add("J")
			return i + 3
		}
		e.add("TK") // Edgar
		return i + 2
	case e.has(i, "DT", "DD"):
		e.add("T")
		return i + 2
	}
	e.add("T")
	return i + 1
}

func (e *dm) g(i int) int {
	switch {
	case e.at(i+1) == 'H':
		return e.gh(i)
	case e.at(i+1) == 'N':
		if i == 1 && isVowel(e.at(0)) && !e.slavo {
			e.add("KN")
		} else if !e.has(i+2, "EY") && e.at(i+1) != 'Y' && !e.slavo {
			e.add("N")
		} else {
			e.add("KN")
		}
		return i + 2
	case e.has(i+1, "LI") && !e.slavo: // tagliaro
		e.add("KL")
		return i + 2
	case i == 0 && (e.at(i+1) == 'Y' || e.has(i+1, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER")):
		e.add("K")
		return i + 2
	case (e.has(i+1, "ER") || e.at(i+1) == 'Y') && !e.has(0, "DANGER", "RANGER", "MANGER") &&
		!e.has(i-1, "E", "I") && !e.has(i-1, "RGY", "OGY"):
		e.add("K") // -ger-, -gy-
		return i + 2
	case e.has(i+1, "E", "I", "Y") || e.has(i-1, "AGGI", "OGGI"):
		if e.has(0, "VAN ", "VON ") || e.has(0, "SCH") || e.has(i+1, "ET") {
			e.add("K") // obviously Germanic
		} else {
			e.add("J")
		}
		return i + 2
	}
	e.add("K")
	return e.skipDouble(i, 'G')
}

func (e *dm) gh(i int) int {
	switch {
	case i > 0 && !isVowel(e.at(i-1)):
		e.add("K")
	case i == 0:
		if e.at(i+2) == 'I' { // Ghislane
			e.add("J")
		} else {
			e.add("K")
		}
	case i > 1 && e.has(i-2, "B", "H", "D") || i > 2 && e.has(i-3, "B", "H", "D") || i > 3 && e.has(i-4, "B", "H"):
		// Parker's rule: Hugh
	case i > 2 && e.at(i-1) == 'U' && e.has(i-3, "C", "G", "L", "R", "T"):
		e.add("F") // laugh, McLaughlin, cough, tough
	case e.at(i-1) != 'I':
		e.add("K")
	}
	return i + 2
}

func (e *dm) h(i int) int {
	// Kept only first or between vowels, and before a vowel.
	if (i == 0 || isVowel(e.at(i-1))) && isVowel(e.at(i+1)) {
		e.add("H")
		return i + 2
	}
	return i + 1
}

func (e *dm) j(i int) int {
	if e.has(i, "JOSE") || e.has(0, "SAN ") { // Spanish: Jose, San Jacinto
		if i == 0 && e.at(i+4) == ' ' || len(e.v) == 4 || e.has(0, "SAN ") {
			e.add("H")
		} else {
			e.add("J")
		}
		return i + 1
	}
	switch {
	case i == 0:
		e.add("J")
	case isVowel(e.at(i-1)) && !e.slavo && (e.at(i+1) == 'A' || e.at(i+1) == 'O'):
		e.add("J")
	case i == e.last:
		e.add("J")
	case !e.has(i+1, "L", "T", "K", "S", "N", "M", "B", "Z") && !e.has(i-1, "S", "K", "L"):
		e.add("J")
	}
	return e.skipDouble(i, 'J')
}

func (e *dm) s(i int) int {
	switch {
	case e.has(i-1, "ISL", "YSL"): // island, Carlisle
		return i + 1
	case i == 0 && e.has(i, "SUGAR"):
		e.add("X")
		return i + 1
	case e.has(i, "SH"):
		if e.has(i+1, "HEIM", "HOEK", "HOLM", "HOLZ") {
			e.add("S")
		} else {
			e.add("X")
		}
		return i + 2
	case e.has(i, "SIO", "SIA") || e.has(i, "SIAN"):
		e.add("S")
		return i + 3
	case i == 0 && e.has(i+1, "M", "N", "L", "W") || e.has(i+1, "Z"):
		e.add("S") // Smith and Schmidt, Snider and Schneider
		if e.has(i+1, "Z") {
			return i + 2
		}
		return i + 1
	case e.has(i, "SC"):
		if e.at(i+2) == 'H' { // Schlesinger's rule
			if e.has(i+3, "OO", "ER", "EN", "UY", "ED", "EM") {
				if e.has(i+3, "ER", "EN") {
					e.add("X")
				} else {
					e.add("SK") // school
				}
			} else {
				e.add("X")
			}
		} else if e.has(i+2, "I", "E", "Y") {
			e.add("S")
		} else {
			e.add("SK")
		}
		return i + 3
	}
	if !(i == e.last && e.has(i-2, "AI", "OI")) { // French: Artois
		e.add("S")
	}
	if e.has(i+1, "S", "Z") {
		return i + 2
	}
	return i + 1
}

func (e *dm) t(i int) int {
	switch {
	case e.has(i, "TION") || e.has(i, "TIA", "TCH"):
		e.add("X")
		return i + 3
	case e.has(i, "TH") || e.has(i, "TTH"):
		if e.has(i+2, "OM", "AM") || e.has(0, "VAN ", "VON ") || e.has(0, "SCH") { // Thomas, Thames
			e.add("T")
		} else {
			e.add("0")
		}
		return i + 2
	}
	e.add("T")
	if e.has(i+1, "T", "D") {
		return i + 2
	}
	return i + 1
}

func (e *dm) w(i int) int {
	switch {
	case e.has(i, "WR"):
		e.add("R")
		return i + 2
	case i == 0 && (isVowel(e.at(i+1)) || e.has(i, "WH")):
		e.add("A") // Wasserman and Vasserman in the alternate code only
		return i + 1
	case i == e.last && isVowel(e.at(i-1)) || e.has(i-1, "EWSKI", "EWSKY", "OWSKI", "OWSKY") || e.has(0, "SCH"):
		return i + 1 // Arnow and Arnoff: F in the alternate code only
	case e.has(i, "WICZ", "WITZ"): // Polish: Filipowicz
		e.add("TS")
		return i + 4
	}
	return i + 1
}

func (e *dm) x(i int) int {
	if i == 0 {
		e.add("S") // Xavier
		return i + 1
	}
	if !(i == e.last && (e.has(i-3, "IAU", "EAU") || e.has(i-2, "AU", "OU"))) { // French: Breaux
		e.add("KS")
	}
	if e.has(i+1, "C", "X") {
		return i + 2
	}
	return i + 1
}
