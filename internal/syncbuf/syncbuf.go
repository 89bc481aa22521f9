// Package syncbuf holds a buffer that tests read while a server or a
// process writes its log to it.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer is an io.Writer safe to read while others write to it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String is everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
