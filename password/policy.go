package password

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Length limits, counted in characters (Unicode code points), not bytes.
// The maximum bounds the cost of hashing; there are no composition rules,
// following NCSC and NIST SP 800-63B guidance.
const (
	MinLength = 12
	MaxLength = 256
)

// minContextLength is the shortest context string (or part of one) that
// Check looks for inside a password. Shorter ones would refuse too much.
const minContextLength = 4

// Reason says which rule a password broke.
type Reason string

// Reasons for a PolicyError.
const (
	ReasonEmpty    Reason = "empty"
	ReasonTooShort Reason = "too_short"
	ReasonTooLong  Reason = "too_long"
	ReasonCommon   Reason = "common"
	ReasonPersonal Reason = "personal"
)

// PolicyError is returned by Check for a password that breaks the policy.
// Message is plain English, safe to show to the user next to the password
// field.
type PolicyError struct {
	Reason  Reason
	Message string
}

func (e *PolicyError) Error() string { return e.Message }

// Check applies the password policy to plain, a new password the user has
// chosen. It returns nil, or a *PolicyError for the first rule broken:
//
//   - it must be MinLength to MaxLength characters long (not trimmed);
//   - it must not be a common password (compared case-insensitively, also
//     with any spaces removed);
//   - it must not contain any of context, compared case-insensitively:
//     pass the user's email address and name. For each context string, the
//     whole string, the local part of an email address, and each word of it
//     (split at spaces and punctuation) are looked for, when they are at
//     least 4 characters long. The domain of an email address is not.
func Check(plain string, context ...string) error {
	n := utf8.RuneCountInString(plain)
	switch {
	case n == 0:
		return &PolicyError{ReasonEmpty, "Enter a password"}
	case n < MinLength:
		return &PolicyError{ReasonTooShort, "Password must be " + strconv.Itoa(MinLength) + " characters or more"}
	case n > MaxLength:
		return &PolicyError{ReasonTooLong, "Password must be " + strconv.Itoa(MaxLength) + " characters or fewer"}
	}

	lower := strings.ToLower(plain)
	if isCommon(lower) || isCommon(removeSpaces(lower)) {
		return &PolicyError{ReasonCommon, "Password is too common: choose one that is harder to guess"}
	}

	for _, c := range context {
		for _, part := range contextParts(c) {
			if strings.Contains(lower, part) {
				return &PolicyError{ReasonPersonal, "Password must not contain your email address or name"}
			}
		}
	}
	return nil
}

// contextParts returns the lowercased strings of at least minContextLength
// characters to look for in a password, derived from one context string.
func contextParts(c string) []string {
	c = strings.ToLower(strings.TrimSpace(c))
	parts := []string{c}
	local := c
	if at := strings.LastIndexByte(c, '@'); at >= 0 {
		local = c[:at]
		parts = append(parts, local)
	}
	parts = append(parts, strings.FieldsFunc(local, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})...)
	out := parts[:0]
	for _, p := range parts {
		if utf8.RuneCountInString(p) >= minContextLength {
			out = append(out, p)
		}
	}
	return out
}

func removeSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// common.txt holds lowercased common passwords, one a line; lines starting
// with '#' are comments. It keeps only entries at least MinLength characters
// long, since shorter ones are refused by length before the list is looked
// at. See gen_common.go for its sources and how to regenerate it.
//
//go:embed common.txt
var commonText string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, strings.Count(commonText, "\n"))
	for line := range strings.Lines(commonText) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		m[line] = struct{}{}
	}
	return m
})

// isCommon reports whether lower, an already lowercased password, is in the
// common passwords list.
func isCommon(lower string) bool {
	_, ok := commonPasswords()[lower]
	return ok
}
