package web

import (
	"bytes"
	"context"
	"maps"
	"net/http"
)

// readsTogether runs a page that only reads (GET) so that the audit entries
// of all its reads commit together, once, and the page is held back until
// they have: a child's or a meeting's page reads several records, and each
// read waited for a commit of its own. If the entries cannot be committed,
// the page is not sent and an error page is.
func (s *Server) readsTogether(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h(w, r)
		return
	}
	held := &heldResponse{header: maps.Clone(w.Header()), status: http.StatusOK}
	err := s.st.ReadTogether(r.Context(), func(ctx context.Context) error {
		h(held, r.WithContext(ctx))
		return nil
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	held.sendTo(w)
}

// heldResponse keeps a response until it may be sent.
type heldResponse struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(status int) {
	if !h.wroteHeader {
		h.status, h.wroteHeader = status, true
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	h.wroteHeader = true
	return h.body.Write(b)
}

func (h *heldResponse) sendTo(w http.ResponseWriter) {
	dst := w.Header()
	clear(dst)
	maps.Copy(dst, h.header)
	w.WriteHeader(h.status)
	w.Write(h.body.Bytes())
}
