// Package witness is the witness another agency runs for Lantern's audit
// log (C2SP tlog-witness, lantern witness serve): it answers
// POST /add-checkpoint by the rule in audit.AddCheckpoint, keeping the
// latest checkpoint it cosigned in a state file of its own, written
// durably before it answers.
package witness

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"lantern/audit"
)

// Server is a witness of one log.
type Server struct {
	mu       sync.Mutex // one checkpoint at a time: the state moves in order
	state    audit.WitnessState
	path     string
	logKey   note.Verifier
	cosigner note.Signer
	log      *slog.Logger
}

// New opens a witness: its private key (as lantern witness keygen wrote
// it), the log's public key, and its state file (made if missing).
func New(skey string, logKey note.Verifier, statePath string, log *slog.Logger) (*Server, error) {
	cosigner, err := fnote.NewSignerForCosignatureV1(skey)
	if err != nil {
		return nil, fmt.Errorf("the witness key: %w", err)
	}
	s := &Server{path: statePath, logKey: logKey, cosigner: cosigner, log: log}
	b, err := os.ReadFile(statePath)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("the state file: %w", err)
	default:
		if err := json.Unmarshal(b, &s.state); err != nil {
			return nil, fmt.Errorf("the state file %s: %w", statePath, err)
		}
	}
	return s, nil
}

// State is the checkpoint the witness holds.
func (s *Server) State() audit.WitnessState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// ServeHTTP answers add-checkpoint; anything else is not found.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/add-checkpoint" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, audit.MaxAddCheckpoint))
	if err != nil {
		http.Error(w, "the request is too large or was cut off", http.StatusRequestEntityTooLarge)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next, sig, err := audit.AddCheckpoint(s.state, s.logKey, s.cosigner, body)
	var we *audit.WitnessError
	switch {
	case errors.As(err, &we) && we.Status == http.StatusConflict:
		w.Header().Set("Content-Type", "text/x.tlog.size")
		w.WriteHeader(http.StatusConflict)
		fmt.Fprintf(w, "%d\n", we.Size)
		return
	case errors.As(err, &we):
		http.Error(w, we.Reason, we.Status)
		return
	case err != nil:
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if next.Size != s.state.Size || string(next.Root) != string(s.state.Root) {
		if err := s.save(next); err != nil {
			s.log.Error("witness state", "err", err)
			http.Error(w, "could not keep the checkpoint", http.StatusInternalServerError)
			return
		}
		s.state = next
		s.log.Info("cosigned", "size", next.Size)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(sig)
}

// save writes the state to a new file, synced, and renames it over the
// old: a crash leaves the old state or the new, never half of one.
func (s *Server) save(st audit.WitnessState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".witness-state-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(s.path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
