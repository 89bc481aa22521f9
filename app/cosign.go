package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"golang.org/x/mod/sumdb/note"

	"lantern/audit"
	"lantern/store"
)

// cosignEvery is how often the server offers the latest checkpoint to the
// witness (after the sequencer's turn, at most once per new checkpoint).
const cosignEvery = 2 * time.Second

// startCosign sends each new signed checkpoint to the witness another
// agency runs (--audit-cosigner), with the consistency proof from the one
// it holds, checks the cosignature it returns, and keeps it. A witness that
// says it holds another size is answered once more from that size.
func (m *Main) startCosign(logKey note.Verifier) {
	if m.Config.AuditCosigner == "" {
		return
	}
	name, _ := audit.WitnessName(m.Config.AuditCosignerKey) // checked by Validate
	c := &cosigner{st: m.Store, url: m.Config.AuditCosigner + "/add-checkpoint", name: name, key: m.Config.AuditCosignerKey,
		logKey: logKey, client: &http.Client{Timeout: 10 * time.Second}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(cosignEvery)
		defer t.Stop()
		for {
			if size, err := c.once(ctx); err != nil && ctx.Err() == nil {
				m.Log.Warn("audit cosigner", "witness", name, "err", err)
			} else if size > 0 {
				m.Log.Info("audit checkpoint cosigned", "witness", name, "size", size)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	m.stopCosignFn = func() { cancel(); <-done }
}

func (m *Main) stopCosign() {
	if m.stopCosignFn != nil {
		m.stopCosignFn()
		m.stopCosignFn = nil
	}
}

type cosigner struct {
	st        *store.Store
	url, name string
	key       string
	logKey    note.Verifier
	client    *http.Client
}

// once offers the latest checkpoint, if the witness has not cosigned it,
// and returns the size cosigned (0 for nothing to do).
func (c *cosigner) once(ctx context.Context) (uint64, error) {
	w, err := c.st.AuditCosignWork(ctx, c.name, nil)
	if err != nil || w.Size == 0 {
		return 0, err
	}
	sig, err := c.send(ctx, w)
	var we *audit.WitnessError
	if errors.As(err, &we) && we.Status == http.StatusConflict {
		if w, err = c.st.AuditCosignWork(ctx, c.name, &we.Size); err != nil {
			return 0, err
		}
		sig, err = c.send(ctx, w)
	}
	if err != nil {
		return 0, err
	}
	cosigned := audit.Cosigned(w.Checkpoint, sig)
	size, _, _, err := audit.CheckCosigned(cosigned, c.logKey, c.key)
	if err != nil {
		return 0, fmt.Errorf("the witness's answer: %w", err)
	}
	return size, c.st.SaveCosigned(ctx, c.name, size, cosigned)
}

func (c *cosigner) send(ctx context.Context, w store.CosignWork) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(audit.AddCheckpointBody(w.Old, w.Proof, w.Checkpoint)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if err != nil {
		return nil, err
	}
	return audit.ReadWitnessAnswer(resp.StatusCode, body)
}
