// Package match finds possible matches between children's records: names
// spelled differently and dates of birth mistyped. It is pure: no I/O. The
// store uses it to index names (Key, GivenKey, FamilyKey, NameKey) and to
// score the candidates it reads (Matcher, Score).
//
// Nothing here decides that two records are one person: a score only says a
// record should be shown to a person as a possible match.
package match

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold maps lower-case Latin letters with diacritics, and a few ligatures and
// special letters, to plain ASCII. Letters not listed are kept as they are.
var fold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a", 'ǎ': "a",
	'æ': "ae", 'ǽ': "ae",
	'ç': "c", 'ć': "c", 'ĉ': "c", 'ċ': "c", 'č': "c",
	'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ĕ': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ĝ': "g", 'ğ': "g", 'ġ': "g", 'ģ': "g",
	'ĥ': "h", 'ħ': "h",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ĩ': "i", 'ī': "i", 'ĭ': "i", 'į': "i", 'ı': "i", 'ǐ': "i",
	'ĳ': "ij", 'ĵ': "j", 'ķ': "k",
	'ĺ': "l", 'ļ': "l", 'ľ': "l", 'ŀ': "l", 'ł': "l",
	'ñ': "n", 'ń': "n", 'ņ': "n", 'ň': "n", 'ŉ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ŏ': "o", 'ő': "o", 'ǒ': "o",
	'œ': "oe",
	'ŕ': "r", 'ŗ': "r", 'ř': "r",
	'ś': "s", 'ŝ': "s", 'ş': "s", 'š': "s", 'ș': "s", 'ß': "ss",
	'ţ': "t", 'ť': "t", 'ŧ': "t", 'ț': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ũ': "u", 'ū': "u", 'ŭ': "u", 'ů': "u", 'ű': "u", 'ų': "u", 'ǔ': "u",
	'ŵ': "w", 'ý': "y", 'ÿ': "y", 'ŷ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
}

// isApostrophe reports the marks that join the parts of a name (O'Brien,
// D’Souza) and are dropped without leaving a space.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', '´', 'ʼ', 'ʻ':
		return true
	}
	return false
}

// isSeparator reports the marks that separate the parts of a name
// (Smith-Jones, Smith/Jones) and become a space.
func isSeparator(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '_', '/', '\\', '+', '&':
		return true
	}
	return unicode.IsSpace(r)
}

// Normalise prepares a name for comparing: lower case, common Latin
// diacritics folded (é→e, ö→o, ß→ss, æ→ae, ø→o, ł→l), apostrophes and other
// punctuation dropped, hyphens and runs of spaces made single spaces, and
// trimmed. "  O'Brien-Łukasz " becomes "obrien lukasz".
func Normalise(name string) string {
	if isPlain(name) {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	space := false // a space is owed before the next letter
	emit := func(s string) {
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(s)
	}
	for i := 0; i < len(name); {
		if c := name[i]; c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			case isSeparator(rune(c)):
				space = b.Len() > 0
				continue
			default: // apostrophes and other punctuation: "J.P." is "jp"
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(c)
			continue
		}
		r, n := utf8.DecodeRuneInString(name[i:])
		i += n
		r = unicode.ToLower(r)
		switch {
		case isApostrophe(r):
		case isSeparator(r):
			space = b.Len() > 0
		case unicode.Is(unicode.Mn, r): // combining marks left by decomposed input
		case !unicode.IsLetter(r) && !unicode.IsDigit(r): // punctuation and symbols
		default:
			if f, ok := fold[r]; ok {
				emit(f)
			} else {
				emit(string(r))
			}
		}
	}
	return b.String()
}

// isPlain reports whether name is already normal: lower-case ASCII letters
// and digits in words separated by single spaces.
func isPlain(name string) bool {
	if name == "" {
		return true
	}
	if name[0] == ' ' || name[len(name)-1] == ' ' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == ' ' && name[i-1] != ' ':
		default:
			return false
		}
	}
	return true
}

// firstWord is the first word of a normalised name.
func firstWord(n string) string {
	if i := strings.IndexByte(n, ' '); i >= 0 {
		return n[:i]
	}
	return n
}

// joined is a normalised name with its spaces removed.
func joined(n string) string {
	if strings.IndexByte(n, ' ') < 0 {
		return n
	}
	return strings.ReplaceAll(n, " ", "")
}
