package store

import "lantern/match"

// nameKey is the phonetic key stored beside a name, for finding possible
// matches through an index.
func nameKey(name string, given bool) string {
	if given {
		return match.GivenKey(name)
	}
	return match.FamilyKey(name)
}
