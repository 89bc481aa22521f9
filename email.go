package lantern

import (
	"net/mail"
	"strings"
)

// ValidAddress reports whether s will do as an address to send to (a directory entry, an invitee): a
// bare address (no display name, no angle brackets), in ASCII, with a
// dotted domain of letters, digits and inner hyphens, and no longer than 254 octets (a local part no longer
// than 64).
func ValidAddress(s string) bool {
	if s == "" || len(s) > 254 || strings.ContainsAny(s, "\r\n<>[]") || !printable(s) {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 {
		return false
	}
	// Each of the domain's labels: letters, digits and inner hyphens.
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || strings.Trim(l, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// NormaliseEmail trims and lower-cases an address.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
