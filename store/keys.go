package store

// nameKey is the phonetic key stored beside a name, for matching.
func nameKey(name string, given bool) string {
	return ""
}
