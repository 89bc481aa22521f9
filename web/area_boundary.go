package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"lantern"
)

// The area's boundary (docs/intelligence.md#the-areas-boundary): loaded as
// GeoJSON by a page and the API, read back as GeoJSON, and drawn under the
// hotspots.

func (s *Server) areaBoundaryRoutes() {
	s.handle("GET /area/boundary", s.boundaryPage)
	s.handle("POST /area/boundary", s.loadBoundaryPage)
	s.handle("GET /api/v1/area/boundary", s.apiBoundary)
	s.handle("PUT /api/v1/area/boundary", s.apiLoadBoundary)
}

// largeBodies are the routes whose bodies may be larger than MaxBody: a
// boundary file (and, for the page, the form around it).
var largeBodies = map[string]int64{
	"PUT /api/v1/area/boundary": lantern.MaxBoundaryBytes,
	"POST /area/boundary":       lantern.MaxBoundaryBytes + 64<<10,
}

// bodyLimit is the most a request's body may hold.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if n := largeBodies[r.Method+" "+r.URL.Path]; n > s.cfg.MaxBody {
		return n
	}
	return s.cfg.MaxBody
}

// boundaryOptions reads the loader's choices: the boundary's name and the
// property naming its areas.
func boundaryOptions(get func(string) string) lantern.BoundaryOptions {
	return lantern.BoundaryOptions{Name: get("name"), NameProperty: get("name_property")}
}

// apiBoundary answers the boundary as GeoJSON: an empty FeatureCollection
// when none is loaded.
func (s *Server) apiBoundary(w http.ResponseWriter, r *http.Request) {
	b, err := s.st.AreaBoundary(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	body := []byte(lantern.EmptyBoundaryGeoJSON)
	if b != nil {
		body = b.GeoJSON()
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// apiLoadBoundary replaces the boundary with the GeoJSON body.
func (s *Server) apiLoadBoundary(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.error(w, r, lantern.Errorf(lantern.ETOOLARGE, "The boundary is larger than %d bytes (5 MiB)", mbe.Limit))
			return
		}
		s.error(w, r, lantern.Errorf(lantern.EBADREQUEST, "The request body could not be read"))
		return
	}
	b, err := s.st.LoadAreaBoundary(r.Context(), raw, boundaryOptions(r.URL.Query().Get))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// boundaryView is the boundary's page: the boundary loaded, if any, and
// the form to load another for those who may.
type boundaryView struct {
	Loaded   bool
	Name     string
	LoadedAt string
	NamedBy  string
	Areas    []boundaryAreaRow
	Vertices int
	CanLoad  bool
}

// boundaryAreaRow is an area and the positions that draw it.
type boundaryAreaRow struct {
	Name     string
	Vertices int
}

func (s *Server) boundaryPage(w http.ResponseWriter, r *http.Request) {
	s.renderBoundary(w, r, http.StatusOK, s.newPage(r, "The area's boundary"))
}

func (s *Server) renderBoundary(w http.ResponseWriter, r *http.Request, st int, p *page) {
	b, err := s.st.AreaBoundary(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Nav = "intelligence"
	if p.Can("admin") {
		p.Nav = "admin"
	}
	v := boundaryView{CanLoad: lantern.Allowed(p.User, lantern.ResAreaBoundary, lantern.ActChange, lantern.RelArea)}
	if b != nil {
		v.Loaded, v.Name, v.LoadedAt, v.Vertices = true, b.Name, localTime(b.LoadedAt), b.Vertices
		v.NamedBy = "Numbered in the file's order"
		if b.NameProperty != "" {
			v.NamedBy = "Their property " + b.NameProperty
		}
		for _, a := range b.Areas {
			v.Areas = append(v.Areas, boundaryAreaRow{Name: a.Name, Vertices: a.Vertices})
		}
	}
	p.Data = v
	s.render(w, r, st, "area_boundary", p)
}

// loadBoundaryPage takes a boundary as an uploaded file, with its name and
// the property naming its areas. A fault in the file is shown at the file,
// naming where in it.
func (s *Server) loadBoundaryPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "The area's boundary")
	limit := s.bodyLimit(r)
	var raw []byte
	tooLarge := false
	if err := r.ParseMultipartForm(limit); err == nil {
		var f multipart.File
		if f, _, err = r.FormFile("file"); err == nil {
			defer f.Close()
			raw, err = io.ReadAll(io.LimitReader(f, lantern.MaxBoundaryBytes+1))
			tooLarge = err == nil && len(raw) > lantern.MaxBoundaryBytes
		}
	} else {
		var mbe *http.MaxBytesError
		tooLarge = errors.As(err, &mbe)
		if !tooLarge && !errors.Is(err, http.ErrNotMultipart) {
			s.error(w, r, lantern.Errorf(lantern.EBADREQUEST, "The form could not be read"))
			return
		}
	}
	p.Form = map[string]string{"name": r.FormValue("name"), "name_property": r.FormValue("name_property")}
	switch {
	case tooLarge:
		p.Errors = []lantern.FieldError{{Field: "file", Message: "The file is larger than 5 MiB: simplify the boundary (mapshaper, QGIS or ogr2ogr can), or load fewer areas"}}
		s.renderBoundary(w, r, http.StatusRequestEntityTooLarge, p)
		return
	case len(raw) == 0:
		p.Errors = []lantern.FieldError{{Field: "file", Message: "Choose the boundary file (GeoJSON)"}}
		s.renderBoundary(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	b, err := s.st.LoadAreaBoundary(r.Context(), raw, boundaryOptions(r.FormValue))
	if c := lantern.ErrorCode(err); c == lantern.EINVALID || c == lantern.EBADREQUEST || c == lantern.ETOOLARGE {
		for _, f := range lantern.ErrorFields(err) {
			if f.Field != "name" && f.Field != "name_property" {
				// A fault in the file: shown at the file, saying where.
				f.Message = strings.TrimPrefix(f.Field+": ", "body: ") + f.Message
				f.Field = "file"
			}
			p.Errors = append(p.Errors, f)
		}
		if len(p.Errors) == 0 {
			p.Errors = []lantern.FieldError{{Field: "file", Message: lantern.ErrorMessage(err)}}
		}
		st := http.StatusUnprocessableEntity // a file that is not JSON too: the form was read
		if c == lantern.ETOOLARGE {
			st = http.StatusRequestEntityTooLarge
		}
		s.renderBoundary(w, r, st, p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	p.Form = nil
	p.Notice = "The boundary " + b.Name + " has been loaded: " + plural(len(b.Areas), "area", "areas") + ". " + b.Note
	s.renderBoundary(w, r, http.StatusOK, p)
}
