package store

import "lantern/password"

// HashGate is the store's bound on password hashes run at once, for tests
// to fill.
func (s *Store) HashGate() *password.Gate { return s.hashes }
