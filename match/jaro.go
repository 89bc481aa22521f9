package match

import "unicode/utf8"

// Similarity is the Jaro-Winkler similarity of two names after Normalise:
// 1 for the same name, 0 for nothing in common (or an empty name). It uses
// Winkler's usual prefix scale (0.1, up to four letters) and boost threshold
// (0.7).
func Similarity(a, b string) float64 { return jaroWinkler(Normalise(a), Normalise(b)) }

// jaroWinkler compares two normalised names.
func jaroWinkler(a, b string) float64 {
	if a == "" || b == "" {
		return 0
	}
	if a == b {
		return 1
	}
	var bufA, bufB [40]rune
	ra, rb := toRunes(bufA[:0], a), toRunes(bufB[:0], b)
	la, lb := len(ra), len(rb)
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	var flagA, flagB [40]bool
	var ma, mb []bool
	if la > len(flagA) || lb > len(flagB) {
		ma, mb = make([]bool, la), make([]bool, lb)
	} else {
		ma, mb = flagA[:la], flagB[:lb]
	}
	m := 0
	for i, r := range ra {
		lo, hi := max(0, i-window), min(lb-1, i+window)
		for j := lo; j <= hi; j++ {
			if !mb[j] && rb[j] == r {
				ma[i], mb[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, k := 0, 0
	for i, r := range ra {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if r != rb[k] {
			t++
		}
		k++
	}
	fm := float64(m)
	jaro := (fm/float64(la) + fm/float64(lb) + (fm-float64(t)/2)/fm) / 3
	if jaro <= 0.7 {
		return jaro
	}
	p := 0
	for p < 4 && p < la && p < lb && ra[p] == rb[p] {
		p++
	}
	return jaro + float64(p)*0.1*(1-jaro)
}

func toRunes(buf []rune, s string) []rune {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			buf = append(buf, rune(c))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		buf = append(buf, r)
		i += n
	}
	return buf
}
