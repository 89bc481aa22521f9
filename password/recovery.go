package password

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
)

// recoveryAlphabet has the lowercase letters and digits that cannot be
// mistaken for one another: no 0/o, 1/i/l. 31 symbols, so a 10-character
// code carries about 49.5 bits of entropy.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

const (
	recoveryCodeLen   = 10
	maxRecoveryCodes  = 100
	recoveryGroupSize = 5
)

// NewRecoveryCodes returns n distinct random recovery codes of 10 characters
// each, formatted for display as two groups of five: "abcde-fghjk". Store
// only HashRecoveryCode of each, and show the codes to the user once.
// n must be between 1 and 100.
func NewRecoveryCodes(n int) ([]string, error) {
	if n < 1 || n > maxRecoveryCodes {
		return nil, fmt.Errorf("password: recovery code count %d out of range 1..%d", n, maxRecoveryCodes)
	}
	codes := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for len(codes) < n {
		c, err := newRecoveryCode()
		if err != nil {
			return nil, err
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		codes = append(codes, c)
	}
	return codes, nil
}

// newRecoveryCode returns one formatted code, choosing each character
// uniformly by rejection sampling.
func newRecoveryCode() (string, error) {
	const k = len(recoveryAlphabet)
	const limit = 256 - 256%k // largest multiple of k that fits in a byte
	var b strings.Builder
	b.Grow(recoveryCodeLen + 1)
	buf := make([]byte, 2*recoveryCodeLen)
	count := 0
	for count < recoveryCodeLen {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("password: reading random bytes: %w", err)
		}
		for _, x := range buf {
			if int(x) >= limit {
				continue
			}
			if count == recoveryGroupSize {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[int(x)%k])
			count++
			if count == recoveryCodeLen {
				break
			}
		}
	}
	return b.String(), nil
}

// NormaliseRecoveryCode puts a recovery code as typed by a user into the
// form that is hashed: lowercase, with spaces and hyphens (including the
// Unicode dashes that copying and pasting can produce) removed.
func NormaliseRecoveryCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r == '-' || r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' || r == '\u2014' || r == '\u2212':
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// HashRecoveryCode returns the lowercase hex SHA-256 of the normalised code,
// for storing and looking up recovery codes. A fast hash is acceptable
// because the codes are random, not chosen by people.
func HashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte(NormaliseRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}
