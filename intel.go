package lantern

import (
	"slices"
	"strings"
	"unicode"
)

// Intelligence (issue 14, groundwork): the typed values and rules that
// persons of concern, vehicles, phones, places and accounts, and the links
// between them, will rest on. Nothing here is stored yet.

// EntityType is what a link's end is.
type EntityType string

const (
	EntityChild   EntityType = "child"
	EntityPerson  EntityType = "person"
	EntityVehicle EntityType = "vehicle"
	EntityPhone   EntityType = "phone"
	EntityPlace   EntityType = "place"
	EntityAccount EntityType = "account"
)

// EntityTypes lists them.
var EntityTypes = []EntityType{EntityChild, EntityPerson, EntityVehicle, EntityPhone, EntityPlace, EntityAccount}

// Valid reports whether t is an entity type.
func (t EntityType) Valid() bool { return slices.Contains(EntityTypes, t) }

// LinkKind is what a link says.
type LinkKind string

const (
	LinkAssociate     LinkKind = "associate"
	LinkUsesVehicle   LinkKind = "uses-vehicle"
	LinkUsesPhone     LinkKind = "uses-phone"
	LinkCalled        LinkKind = "called"
	LinkSeenAt        LinkKind = "seen-at"
	LinkCollectedFrom LinkKind = "collected-from"
	LinkFoundAt       LinkKind = "found-at"
	LinkLivesAt       LinkKind = "lives-at"
	LinkOnlineContact LinkKind = "online-contact"
)

// LinkKinds lists them, in the order shown.
var LinkKinds = []LinkKind{LinkAssociate, LinkUsesVehicle, LinkUsesPhone, LinkCalled, LinkSeenAt, LinkCollectedFrom,
	LinkFoundAt, LinkLivesAt, LinkOnlineContact}

// Valid reports whether k is a link kind.
func (k LinkKind) Valid() bool { return slices.Contains(LinkKinds, k) }

// Label says the kind in words.
func (k LinkKind) Label() string {
	return labelOf(k, map[LinkKind]string{LinkAssociate: "Associate of", LinkUsesVehicle: "Uses the vehicle", LinkUsesPhone: "Uses the phone",
		LinkCalled: "Called", LinkSeenAt: "Seen at", LinkCollectedFrom: "Collected from", LinkFoundAt: "Found at after going missing",
		LinkLivesAt: "Lives at", LinkOnlineContact: "Online contact with"})
}

// Grading is the 3×5×2 intelligence grading: the source's reliability (1
// reliable, 2 untested, 3 not reliable), how the intelligence is known (A
// directly to the source, B indirectly and corroborated, C indirectly, D not
// known, E suspected false or malicious) and its handling (P may be shared
// lawfully; C with the conditions written).
type Grading struct {
	Source       string `json:"source"`
	Intelligence string `json:"intelligence"`
	Handling     string `json:"handling"`
	Conditions   string `json:"conditions,omitempty"`
}

// CheckGrading checks a grading, naming grading or grading.conditions.
func CheckGrading(g Grading) error {
	var p Problems
	if !slices.Contains([]string{"1", "2", "3"}, g.Source) || !slices.Contains([]string{"A", "B", "C", "D", "E"}, g.Intelligence) ||
		!slices.Contains([]string{"P", "C"}, g.Handling) {
		p.Add("grading", "Grade the source 1, 2 or 3, the intelligence A to E and the handling P or C (the 3×5×2 model)")
	}
	if g.Handling == "C" && strings.TrimSpace(g.Conditions) == "" {
		p.Add("grading.conditions", "Write the conditions the handling code C sets on sharing")
	}
	checkText(&p, "grading.conditions", "conditions", g.Conditions, 2000)
	return p.Err()
}

// MaxVRM bounds a registration as given: no plate is longer than a few
// characters, and a longer text is not one.
const MaxVRM = 20

// NormaliseVRM puts a vehicle registration mark in one form: capitals, no
// spaces or punctuation ("ab12 cde", "AB 12CDE" and "AB12-CDE" are all
// AB12CDE). An unknown character is written ?; a mark with one is partial.
// Anything but letters, digits, ? and separators, or a mark of fewer than
// two or more than eight characters, is refused.
func NormaliseVRM(s string) (vrm string, partial bool, ok bool) {
	if len(s) > MaxVRM {
		return "", false, false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '?':
			b.WriteRune(r)
			partial = true
		case r == ' ' || r == '-' || r == '.' || r == '_' || r == '/':
		default:
			return "", false, false
		}
	}
	vrm = b.String()
	if len(vrm) < 2 || len(vrm) > 8 || strings.Count(vrm, "?") == len(vrm) {
		return "", false, false
	}
	return vrm, partial, true
}

// VRMMatches reports whether a registration (partial or whole) could be
// another: each ? stands for any one character.
func VRMMatches(pattern, vrm string) bool {
	if len(pattern) != len(vrm) {
		return false
	}
	for i := range len(pattern) {
		if pattern[i] != '?' && vrm[i] != '?' && pattern[i] != vrm[i] {
			return false
		}
	}
	return true
}

// MaxPhone bounds a phone number as given.
const MaxPhone = 40

// NormalisePhone puts a phone number in E.164 form: "07700 900123",
// "+44 (0)7700 900123" and "0044 7700 900123" are all +447700900123. A
// national number (one leading 0) is taken as the United Kingdom's. It
// refuses "withheld", letters, and anything that cannot be a number of 8
// to 15 digits.
func NormalisePhone(s string) (string, bool) {
	if len(s) > MaxPhone {
		return "", false
	}
	s = strings.TrimSpace(s)
	s = strings.Replace(s, "(0)", "", 1)
	var digits strings.Builder
	plus := false
	for i, r := range s {
		switch {
		case r == '+' && i == 0:
			plus = true
		case unicode.IsDigit(r) && r < 128:
			digits.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	d := digits.String()
	switch {
	case plus:
	case strings.HasPrefix(d, "00"):
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		if len(d) < 10 || len(d) > 11 {
			return "", false
		}
		d = "44" + d[1:]
	default:
		return "", false
	}
	if len(d) < 8 || len(d) > 15 || d[0] == '0' {
		return "", false
	}
	return "+" + d, true
}
