package pack

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// The Go fonts are compiled in, so the pack never depends on fonts installed
// on the server, and cover Latin, Greek and Cyrillic (é, ł, ’, –).
var (
	goRegular = goregular.TTF
	goBold    = gobold.TTF
)

// drawable records which runes of the Basic Multilingual Plane both fonts
// can draw. The Go fonts have nothing beyond it.
var drawable = sync.OnceValue(func() *[1 << 16 / 64]uint64 {
	var set [1 << 16 / 64]uint64
	regular, err1 := sfnt.Parse(goRegular)
	bold, err2 := sfnt.Parse(goBold)
	if err1 != nil || err2 != nil {
		// Cannot happen with the embedded fonts; if it did, printing only
		// ASCII is still a usable pack.
		for r := 0x20; r < 0x7f; r++ {
			set[r/64] |= 1 << (r % 64)
		}
		return &set
	}
	var buf sfnt.Buffer
	for r := range rune(1 << 16) {
		i1, err1 := regular.GlyphIndex(&buf, r)
		i2, err2 := bold.GlyphIndex(&buf, r)
		if err1 == nil && err2 == nil && i1 != 0 && i2 != 0 {
			set[r/64] |= 1 << (r % 64)
		}
	}
	return &set
})

func canDraw(r rune) bool {
	return r >= 0 && r < 1<<16 && drawable()[r/64]&(1<<(r%64)) != 0
}

// clean makes caller text safe to lay out: invalid UTF-8 and runes the fonts
// cannot draw become '?', so nothing is silently dropped; tabs and other
// spacing become a space; other control and format characters (including
// bidirectional overrides, which could reorder what a reader sees) become
// '?'. Line breaks are kept if multiline, else become spaces.
func clean(s string, multiline bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteByte('?')
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // \r\n is one break
			}
			fallthrough
		case r == '\n' || r == '\v' || r == '\f' || r == 0x85 || r == '\u2028' || r == '\u2029':
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t' || (unicode.IsSpace(r) && r != ' ' && !canDraw(r)):
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			b.WriteByte('?')
		case !canDraw(r):
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII, which needs no cleaning.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
