package web_test

import "testing"

// A step is something a test's story does that later subtests build on: a
// record made, a form sent. The subtest that tells it calls take where the
// step happens, with its assertions around it; the test calls take again
// after that subtest, which does the step then if the subtest was not run
// (go test -run 'TestX/sqlite/^a later one$'). So every subtest finds the
// story as far as it needs, run alone or with the rest, and the step is
// done at the same point of the story either way.
type step[T any] struct {
	name        string
	do          func(t *testing.T) T
	tried, done bool
	v           T
}

func newStep[T any](name string, do func(t *testing.T) T) *step[T] {
	return &step[T]{name: name, do: do}
}

// take does the step, the first time, and returns what it gave.
func (s *step[T]) take(t *testing.T) T {
	t.Helper()
	if s.done {
		return s.v
	}
	if s.tried {
		t.Fatalf("the step %q failed earlier", s.name)
	}
	s.tried = true
	s.v = s.do(t)
	s.done = true
	return s.v
}
