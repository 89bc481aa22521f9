package web

import (
	"io"
	"net/http"

	"lantern"
	"lantern/store"
)

func (s *Server) toolkitPageRoutes() {
	s.handle("GET /admin/toolkits", s.toolkitsPage)
	s.handle("POST /admin/toolkits", s.loadToolkitPage)
	s.handle("POST /admin/toolkits/current", s.currentToolkitPage)
	s.handle("GET /api/v1/toolkits/{tid}", s.apiToolkit)
}

func (s *Server) toolkitsPage(w http.ResponseWriter, r *http.Request) {
	s.renderToolkits(w, r, http.StatusOK, s.newPage(r, "Toolkits"))
}

// toolkitsView is the list of toolkits loaded, the one in use marked.
type toolkitsView struct {
	Toolkits []store.ToolkitInfo
}

func (s *Server) renderToolkits(w http.ResponseWriter, r *http.Request, st int, p *page) {
	ts, err := s.st.Toolkits(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Nav = "admin"
	p.Data = toolkitsView{Toolkits: ts}
	s.render(w, r, st, "toolkits", p)
}

// loadToolkitPage takes a definition as an uploaded JSON file or pasted text.
func (s *Server) loadToolkitPage(w http.ResponseWriter, r *http.Request) {
	var raw []byte
	if err := r.ParseMultipartForm(s.cfg.MaxBody); err == nil {
		if f, _, err := r.FormFile("file"); err == nil {
			defer f.Close()
			raw, _ = io.ReadAll(io.LimitReader(f, s.cfg.MaxBody))
		}
	} else if _, err := parseForm(r); err != nil {
		s.error(w, r, err)
		return
	}
	if len(raw) == 0 {
		raw = []byte(r.FormValue("definition"))
	}
	p := s.newPage(r, "Toolkits")
	if len(raw) == 0 {
		p.Errors = []lantern.FieldError{{Field: "definition", Message: "Choose a definition file, or paste the definition"}}
		s.renderToolkits(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	def, err := s.st.LoadToolkit(r.Context(), raw)
	if lantern.ErrorCode(err) == lantern.EINVALID {
		p.Errors = lantern.ErrorFields(err)
		s.renderToolkits(w, r, http.StatusUnprocessableEntity, p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	p.Notice = "Toolkit " + def.ID + " has been loaded. Choose it below to use it for new assessments."
	s.renderToolkits(w, r, http.StatusOK, p)
}

func (s *Server) currentToolkitPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.st.SetCurrentToolkit(r.Context(), form.Get("id")); err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Toolkits")
	p.Notice = "New assessments will use " + form.Get("id")
	s.renderToolkits(w, r, http.StatusOK, p)
}

// apiToolkit returns a definition, so that other systems can show the
// indicators' texts as the guidance words them.
func (s *Server) apiToolkit(w http.ResponseWriter, r *http.Request) {
	def, err := s.st.Toolkit(r.Context(), r.PathValue("tid"))
	if lantern.ErrorCode(err) == lantern.EINVALID { // an unknown id; other failures are the service's
		err = lantern.NotFound("Toolkit")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, def)
}
