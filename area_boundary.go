package lantern

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The area's boundary (docs/intelligence.md#the-areas-boundary): named
// areas, such as wards or neighbourhoods, as GeoJSON (RFC 7946) polygons in
// WGS84 longitude and latitude. The hotspot map is drawn on it, and the
// places seen are counted by the area they are in. It is read by a small
// strict decoder of its own, which bounds the cost of a file as it reads it
// and names the field at fault in anything it refuses.

const (
	// MaxBoundaryBytes is the largest boundary file read.
	MaxBoundaryBytes = 5 << 20
	// MaxBoundaryAreas is the most areas (features) in a boundary.
	MaxBoundaryAreas = 1000
	// MaxBoundaryVertices is the most positions in a boundary, every ring's
	// closing position included.
	MaxBoundaryVertices = 100_000
	// maxBoundaryProblems is the most faults listed before giving up.
	maxBoundaryProblems = 20
)

// Position is a longitude and a latitude, in degrees (WGS84).
type Position [2]float64

// Ring is a closed line of positions: its last is its first.
type Ring []Position

// Polygon is an outer ring and any holes in it.
type Polygon []Ring

// BoundaryArea is one named area of the boundary.
type BoundaryArea struct {
	Name     string    `json:"name"`
	Polygons []Polygon `json:"-"`
	Vertices int       `json:"vertices"`
}

// AreaBoundary is the area's boundary as loaded: its areas in the file's
// order.
type AreaBoundary struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// NameProperty is the property the areas were named by; "" when they
	// had none and are numbered.
	NameProperty string          `json:"name_property"`
	Areas        []*BoundaryArea `json:"areas"`
	Vertices     int             `json:"vertices"`
	LoadedAt     time.Time       `json:"loaded_at"`
	// LoadedBy is the user's id, or "" from the command line.
	LoadedBy string `json:"loaded_by"`
	// Note says, when the boundary is loaded, what Lantern chose for the
	// loader (the property the areas are named by). Not kept.
	Note string `json:"note,omitempty"`
}

// BoundaryOptions are the loader's choices.
type BoundaryOptions struct {
	// Name names the boundary; by default the file's own "name", else
	// "Area boundary".
	Name string
	// NameProperty is the feature property that names each area; by
	// default "name" (in any case), else an ONS-style code name ending in
	// NM (WD23NM), else the areas are numbered.
	NameProperty string
}

// Extent is the boundary's bounding box.
func (b *AreaBoundary) Extent() (minLon, minLat, maxLon, maxLat float64) {
	minLon, minLat, maxLon, maxLat = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, a := range b.Areas {
		for _, pg := range a.Polygons {
			for _, p := range pg[0] {
				minLon, maxLon = math.Min(minLon, p[0]), math.Max(maxLon, p[0])
				minLat, maxLat = math.Min(minLat, p[1]), math.Max(maxLat, p[1])
			}
		}
	}
	return
}

// boundaryFault is the first fault found in a geometry; stop when no more
// of the file is read.
type boundaryFault struct {
	field, msg string
	stop       bool
}

func (f *boundaryFault) Error() string { return f.field + ": " + f.msg }

// boundaryReader reads one boundary file.
type boundaryReader struct {
	p        Problems
	vertices int
	full     bool // the vertex budget is spent: stop reading
}

func (r *boundaryReader) add(field, msg string) {
	if len(r.p) < maxBoundaryProblems {
		r.p.Add(field, msg)
	}
}

// ParseBoundary reads a GeoJSON FeatureCollection, Feature, Polygon or
// MultiPolygon of areas. Foreign members (RFC 7946 §6.1) are ignored. A file
// over MaxBoundaryBytes is ETOOLARGE; one that is not a JSON object is
// EBADREQUEST naming "body"; any other fault is EINVALID naming the field,
// such as features[3].geometry.coordinates[0][5].
func ParseBoundary(raw []byte, opt BoundaryOptions) (*AreaBoundary, error) {
	if len(raw) > MaxBoundaryBytes {
		return nil, Errorf(ETOOLARGE, "The boundary is larger than %d bytes (5 MiB): simplify it, or load fewer areas", MaxBoundaryBytes)
	}
	r := &boundaryReader{}
	opt.Name, opt.NameProperty = strings.TrimSpace(opt.Name), strings.TrimSpace(opt.NameProperty)
	checkOpt := func(field, label, v string, most int) {
		switch {
		case utf8.RuneCountInString(v) > most:
			r.add(field, fmt.Sprintf("The %s must be %d characters or fewer", label, most))
		case !utf8.ValidString(v) || strings.ContainsFunc(v, func(c rune) bool { return c < 0x20 || c == 0x7f }):
			r.add(field, "The "+label+" must not contain control characters")
		}
	}
	checkOpt("name", "boundary's name", opt.Name, 200)
	checkOpt("name_property", "name property", opt.NameProperty, 100)
	if len(r.p) > 0 {
		return nil, r.p.Err()
	}
	top, err := jsonObject(raw)
	if err != nil {
		return nil, err
	}
	if top == nil {
		return nil, &Error{Code: EBADREQUEST, Message: "The boundary must be a GeoJSON object", Fields: []FieldError{{Field: "body", Message: "The boundary must be a GeoJSON object"}}}
	}
	r.crs(top["crs"])
	typ, _ := jsonString(top["type"])
	type feature struct {
		path  string // the field's prefix: "features[3]." or ""
		geom  json.RawMessage
		gpath string
		props map[string]json.RawMessage
	}
	var features []feature
	switch typ {
	case "FeatureCollection":
		var fs []json.RawMessage
		if err := json.Unmarshal(top["features"], &fs); err != nil || fs == nil {
			r.add("features", "A FeatureCollection must have a list of features")
			break
		}
		if len(fs) == 0 {
			r.add("features", "The boundary has no areas: it needs at least one Polygon or MultiPolygon feature")
		}
		if len(fs) > MaxBoundaryAreas {
			r.add("features", fmt.Sprintf("The boundary has %d areas: it may have %d at most", len(fs), MaxBoundaryAreas))
			break
		}
		for i, raw := range fs {
			path := fmt.Sprintf("features[%d].", i)
			f, ok := r.feature(path, raw)
			if ok {
				features = append(features, feature{path: path, geom: f.geom, gpath: path + "geometry.", props: f.props})
			}
		}
	case "Feature":
		f, ok := r.feature("", raw)
		if ok {
			features = append(features, feature{geom: f.geom, gpath: "geometry.", props: f.props})
		}
	case "Polygon", "MultiPolygon":
		features = append(features, feature{geom: raw})
	default:
		r.add("type", "The boundary must be a GeoJSON FeatureCollection, Feature, Polygon or MultiPolygon")
	}
	b := &AreaBoundary{Name: opt.Name}
	if b.Name == "" {
		if n, ok := jsonString(top["name"]); ok && strings.TrimSpace(n) != "" && utf8.RuneCountInString(n) <= 200 &&
			!strings.ContainsFunc(n, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			b.Name = strings.TrimSpace(n)
		} else {
			b.Name = "Area boundary"
		}
	}
	for _, f := range features {
		if r.full {
			break
		}
		a := &BoundaryArea{}
		if ok := r.geometry(f.gpath, f.geom, a); ok {
			b.Areas = append(b.Areas, a)
			b.Vertices += a.Vertices
		}
	}
	if len(r.p) > 0 {
		return nil, r.p.Err()
	}
	// The areas' names.
	props := make([]map[string]json.RawMessage, len(features))
	for i, f := range features {
		props[i] = f.props
	}
	prop, note := opt.NameProperty, ""
	if prop == "" && typ != "Polygon" && typ != "MultiPolygon" {
		prop = pickNameProperty(props)
		if prop != "" {
			note = fmt.Sprintf("No name property was chosen: the areas are named by their %q property.", prop)
		} else {
			note = "No name property was chosen, and the areas have none that names every one: they are numbered in the file's order."
		}
	}
	b.NameProperty, b.Note = prop, note
	seen := map[string]int{}
	for i, a := range b.Areas {
		f := features[i]
		switch {
		case typ == "Polygon" || typ == "MultiPolygon":
			a.Name = b.Name
			b.NameProperty = ""
		case prop == "":
			a.Name = fmt.Sprintf("Area %d", i+1)
		default:
			field := f.path + "properties." + prop
			v, ok := jsonString(f.props[prop])
			v = strings.TrimSpace(v)
			switch {
			case !ok || v == "":
				r.add(field, fmt.Sprintf("Area %d has no text in its property %q, which names the areas", i+1, prop))
			case utf8.RuneCountInString(v) > 200:
				r.add(field, "An area's name must be 200 characters or fewer")
			case strings.ContainsFunc(v, func(c rune) bool { return c < 0x20 || c == 0x7f }):
				r.add(field, "An area's name must not contain control characters")
			default:
				if j, dup := seen[v]; dup {
					r.add(field, fmt.Sprintf("Areas %d and %d are both named %q: give each a name of its own, or make them one MultiPolygon", j+1, i+1, v))
				}
				seen[v] = i
				a.Name = v
			}
		}
	}
	if len(r.p) > 0 {
		return nil, r.p.Err()
	}
	return b, nil
}

// pickNameProperty is the property that names every area: name (in any
// case), else a code name ending in NM (as the ONS's WD23NM, LAD23NM), else
// "".
func pickNameProperty(props []map[string]json.RawMessage) string {
	if len(props) == 0 || props[0] == nil {
		return ""
	}
	var nm []string
	for k := range props[0] {
		if strings.HasSuffix(k, "NM") || strings.HasSuffix(k, "nm") {
			nm = append(nm, k)
		}
	}
	slices.Sort(nm)
	for _, k := range append([]string{"name", "Name", "NAME"}, nm...) {
		every := true
		for _, p := range props {
			if v, ok := jsonString(p[k]); !ok || strings.TrimSpace(v) == "" {
				every = false
				break
			}
		}
		if every {
			return k
		}
	}
	return ""
}

// crs checks the old (2008) GeoJSON crs member, which RFC 7946 dropped:
// absent, null or WGS84 longitude and latitude is well.
func (r *boundaryReader) crs(raw json.RawMessage) {
	if len(raw) == 0 || string(raw) == "null" {
		return
	}
	var c struct {
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	}
	_ = json.Unmarshal(raw, &c)
	n := strings.ToUpper(c.Properties.Name)
	if strings.HasSuffix(n, "CRS84") || strings.HasSuffix(n, ":4326") || strings.HasSuffix(n, "::4326") {
		return
	}
	what := "another coordinate system"
	if c.Properties.Name != "" && len(c.Properties.Name) <= 80 {
		what = strconv.Quote(c.Properties.Name)
	}
	r.add("crs", "The file says its coordinates are in "+what+": Lantern reads WGS84 longitude and latitude (RFC 7946). Save it as WGS84 (EPSG:4326) and load it again")
}

type rawFeature struct {
	geom  json.RawMessage
	props map[string]json.RawMessage
}

// feature reads a Feature's members.
func (r *boundaryReader) feature(path string, raw json.RawMessage) (rawFeature, bool) {
	var f rawFeature
	m, err := jsonObject(raw)
	if err != nil || m == nil {
		r.add(strings.TrimSuffix(path, "."), "Each feature must be a GeoJSON Feature object")
		return f, false
	}
	if t, _ := jsonString(m["type"]); t != "Feature" {
		r.add(path+"type", "Each feature's type must be Feature")
		return f, false
	}
	if p := m["properties"]; len(p) > 0 && string(p) != "null" {
		if err := json.Unmarshal(p, &f.props); err != nil {
			r.add(path+"properties", "A feature's properties must be an object, or null")
			return f, false
		}
	}
	f.geom = m["geometry"]
	return f, true
}

// geometry reads a Polygon or MultiPolygon into a, at path ("geometry." or
// "features[3].geometry.", or "" for a bare geometry).
func (r *boundaryReader) geometry(path string, raw json.RawMessage, a *BoundaryArea) bool {
	if len(raw) == 0 || string(raw) == "null" {
		r.add(cmp.Or(strings.TrimSuffix(path, "."), "geometry"), "This feature has no geometry: each must be a Polygon or MultiPolygon area")
		return false
	}
	m, err := jsonObject(raw)
	if err != nil || m == nil {
		r.add(strings.TrimSuffix(path, "."), "A geometry must be a GeoJSON object")
		return false
	}
	typ, _ := jsonString(m["type"])
	cpath := path + "coordinates"
	sc := &coordScanner{b: m["coordinates"], budget: MaxBoundaryVertices - r.vertices}
	var err2 error
	switch typ {
	case "Polygon":
		var pg Polygon
		pg, err2 = sc.polygon(cpath)
		a.Polygons = []Polygon{pg}
	case "MultiPolygon":
		a.Polygons, err2 = sc.multiPolygon(cpath)
	case "Point", "MultiPoint", "LineString", "MultiLineString", "GeometryCollection":
		r.add(path+"type", "A "+typ+" marks no area: each area must be a Polygon or MultiPolygon")
		return false
	default:
		r.add(path+"type", "A geometry's type must be Polygon or MultiPolygon")
		return false
	}
	r.vertices += sc.used
	if err2 != nil {
		var bf *boundaryFault
		if errors.As(err2, &bf) {
			r.add(bf.field, bf.msg)
			r.full = bf.stop
		}
		return false
	}
	a.Vertices = sc.used
	return true
}

// coordScanner reads coordinates from JSON already known to be well formed
// (it is a part of a document json.Unmarshal took), counting positions
// against a budget as it goes.
type coordScanner struct {
	b            []byte
	i            int
	used, budget int
}

func (s *coordScanner) ws() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// array reads a JSON array at path, calling each for every element (the
// scanner at the element's start); it fails when the value is not an array.
func (s *coordScanner) array(path, what string, each func(path string, n int) error) error {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '[' {
		return &boundaryFault{field: path, msg: "This must be a list of " + what}
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return nil
	}
	for n := 0; ; n++ {
		if err := each(fmt.Sprintf("%s[%d]", path, n), n); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return &boundaryFault{field: path, msg: "This list ends part-way through"}
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return &boundaryFault{field: path, msg: "This must be a list of " + what}
		}
	}
}

// number reads a number at path.
func (s *coordScanner) number(path string) (float64, error) {
	s.ws()
	j := s.i
	for j < len(s.b) && strings.IndexByte("-+.eE0123456789", s.b[j]) >= 0 {
		j++
	}
	if j == s.i {
		return 0, &boundaryFault{field: path, msg: "This must be a number"}
	}
	f, err := strconv.ParseFloat(string(s.b[s.i:j]), 64)
	if errors.Is(err, strconv.ErrRange) && f == 0 {
		err = nil // too small to tell from 0
	}
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, &boundaryFault{field: path, msg: "This number is too large to be a coordinate"}
	}
	s.i = j
	return f, nil
}

// position reads [longitude, latitude] or [longitude, latitude, altitude].
func (s *coordScanner) position(path string) (Position, error) {
	var p Position
	n := 0
	err := s.array(path, "numbers", func(ep string, i int) error {
		f, err := s.number(ep)
		if err != nil {
			return err
		}
		if i < 2 {
			p[i] = f
		}
		n++
		return nil
	})
	switch {
	case err != nil:
		return p, err
	case n < 2 || n > 3:
		return p, &boundaryFault{field: path, msg: "A position must be [longitude, latitude], with an altitude at most"}
	case p[0] < -180 || p[0] > 180:
		return p, &boundaryFault{field: path, msg: "A longitude must be from -180 to 180: save the file as WGS84 longitude and latitude (EPSG:4326), not British National Grid or another system"}
	case p[1] < -90 || p[1] > 90:
		return p, &boundaryFault{field: path, msg: "A latitude must be from -90 to 90: save the file as WGS84 longitude and latitude (EPSG:4326), longitude first"}
	}
	s.used++
	if s.used > s.budget {
		return p, &boundaryFault{field: path, msg: fmt.Sprintf("The boundary has more than %d positions: simplify it (mapshaper, QGIS or ogr2ogr can) and load it again", MaxBoundaryVertices), stop: true}
	}
	return p, nil
}

func (s *coordScanner) ring(path string) (Ring, error) {
	var r Ring
	err := s.array(path, "positions", func(ep string, _ int) error {
		p, err := s.position(ep)
		r = append(r, p)
		return err
	})
	switch {
	case err != nil:
		return nil, err
	case len(r) < 4:
		return nil, &boundaryFault{field: path, msg: "A ring must have at least 4 positions, the last the same as the first"}
	case r[0] != r[len(r)-1]:
		return nil, &boundaryFault{field: path, msg: "A ring must be closed: its last position must be the same as its first"}
	}
	return r, nil
}

func (s *coordScanner) polygon(path string) (Polygon, error) {
	var pg Polygon
	err := s.array(path, "rings", func(ep string, _ int) error {
		r, err := s.ring(ep)
		pg = append(pg, r)
		return err
	})
	if err == nil && len(pg) == 0 {
		return nil, &boundaryFault{field: path, msg: "A polygon must have an outer ring"}
	}
	return pg, err
}

func (s *coordScanner) multiPolygon(path string) ([]Polygon, error) {
	var out []Polygon
	err := s.array(path, "polygons", func(ep string, _ int) error {
		pg, err := s.polygon(ep)
		out = append(out, pg)
		return err
	})
	if err == nil && len(out) == 0 {
		return nil, &boundaryFault{field: path, msg: "A MultiPolygon must have at least one polygon"}
	}
	return out, err
}

// jsonObject reads a JSON object's members; nil, nil for JSON that is not
// an object; an EBADREQUEST naming "body" for what is not JSON.
func jsonObject(raw []byte) (map[string]json.RawMessage, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return nil, &Error{Code: EBADREQUEST, Message: "The boundary is empty", Fields: []FieldError{{Field: "body", Message: "The boundary is empty: send a GeoJSON object"}}}
	}
	if t[0] != '{' {
		if !json.Valid(t) {
			return nil, notJSON(t)
		}
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(t, &m); err != nil {
		return nil, notJSON(t)
	}
	return m, nil
}

func notJSON(b []byte) error {
	var v any
	err := json.Unmarshal(b, &v)
	msg := "The boundary is not valid JSON"
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		msg = fmt.Sprintf("The boundary is not valid JSON: %s (byte %d)", syn.Error(), syn.Offset)
	} else if err != nil {
		msg = "The boundary is not valid JSON: it ends part-way through"
	}
	return &Error{Code: EBADREQUEST, Message: msg, Fields: []FieldError{{Field: "body", Message: msg}}}
}

// jsonString reads a JSON string.
func jsonString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// GeoJSON writes the boundary as a FeatureCollection: each area a Feature
// with its name as the property "name" and its geometry a MultiPolygon
// (altitudes dropped), and the boundary's id, name, name property and when
// it was loaded as foreign members. ParseBoundary reads it back the same.
func (b *AreaBoundary) GeoJSON() []byte {
	var w bytes.Buffer
	str := func(s string) {
		j, _ := json.Marshal(s)
		w.Write(j)
	}
	num := func(f float64) { w.WriteString(strconv.FormatFloat(f, 'f', -1, 64)) }
	w.WriteString(`{"type":"FeatureCollection","name":`)
	str(b.Name)
	if b.ID != "" {
		w.WriteString(`,"id":`)
		str(b.ID)
	}
	w.WriteString(`,"name_property":`)
	str(b.NameProperty)
	if !b.LoadedAt.IsZero() {
		w.WriteString(`,"loaded_at":`)
		str(b.LoadedAt.UTC().Format(time.RFC3339))
	}
	w.WriteString(`,"areas":` + strconv.Itoa(len(b.Areas)) + `,"vertices":` + strconv.Itoa(b.Vertices) + `,"features":[`)
	for i, a := range b.Areas {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(`{"type":"Feature","properties":{"name":`)
		str(a.Name)
		w.WriteString(`},"geometry":{"type":"MultiPolygon","coordinates":[`)
		for j, pg := range a.Polygons {
			if j > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('[')
			for k, r := range pg {
				if k > 0 {
					w.WriteByte(',')
				}
				w.WriteByte('[')
				for l, p := range r {
					if l > 0 {
						w.WriteByte(',')
					}
					w.WriteByte('[')
					num(p[0])
					w.WriteByte(',')
					num(p[1])
					w.WriteByte(']')
				}
				w.WriteByte(']')
			}
			w.WriteByte(']')
		}
		w.WriteString(`]}}`)
	}
	w.WriteString("]}")
	return w.Bytes()
}

// EmptyBoundaryGeoJSON is the answer when no boundary is loaded.
const EmptyBoundaryGeoJSON = `{"type":"FeatureCollection","name":null,"features":[]}`

// BoundaryIndex finds the area a position is in. An area's polygons' edges
// are kept in bands of latitude, so a position is tested only against the
// edges that cross its band.
type BoundaryIndex struct {
	areas []areaIndex
}

type areaIndex struct {
	minLon, minLat, maxLon, maxLat float64
	polys                          []polyIndex
}

type polyIndex struct {
	minLon, minLat, maxLon, maxLat float64
	band                           float64
	edges                          [][4]float64 // x1, y1, x2, y2
	bands                          [][]int32    // the edges crossing each band
}

// NewBoundaryIndex indexes b's areas.
func NewBoundaryIndex(b *AreaBoundary) *BoundaryIndex {
	ix := &BoundaryIndex{}
	for _, a := range b.Areas {
		ai := areaIndex{minLon: math.Inf(1), minLat: math.Inf(1), maxLon: math.Inf(-1), maxLat: math.Inf(-1)}
		for _, pg := range a.Polygons {
			pi := polyIndex{minLon: math.Inf(1), minLat: math.Inf(1), maxLon: math.Inf(-1), maxLat: math.Inf(-1)}
			for _, r := range pg {
				for i := 1; i < len(r); i++ {
					p, q := r[i-1], r[i]
					pi.edges = append(pi.edges, [4]float64{p[0], p[1], q[0], q[1]})
				}
			}
			for _, p := range pg[0] {
				pi.minLon, pi.maxLon = math.Min(pi.minLon, p[0]), math.Max(pi.maxLon, p[0])
				pi.minLat, pi.maxLat = math.Min(pi.minLat, p[1]), math.Max(pi.maxLat, p[1])
			}
			n := min(max(len(pi.edges)/8, 1), 64)
			pi.band = (pi.maxLat - pi.minLat) / float64(n)
			pi.bands = make([][]int32, n)
			for i, e := range pi.edges {
				lo, hi := pi.bandOf(math.Min(e[1], e[3])), pi.bandOf(math.Max(e[1], e[3]))
				for k := lo; k <= hi; k++ {
					pi.bands[k] = append(pi.bands[k], int32(i))
				}
			}
			ai.minLon, ai.maxLon = math.Min(ai.minLon, pi.minLon), math.Max(ai.maxLon, pi.maxLon)
			ai.minLat, ai.maxLat = math.Min(ai.minLat, pi.minLat), math.Max(ai.maxLat, pi.maxLat)
			ai.polys = append(ai.polys, pi)
		}
		ix.areas = append(ix.areas, ai)
	}
	return ix
}

func (pi *polyIndex) bandOf(lat float64) int {
	if pi.band <= 0 {
		return 0
	}
	return min(max(int((lat-pi.minLat)/pi.band), 0), len(pi.bands)-1)
}

// contains reports whether (lon, lat) is inside the polygon and outside
// its holes (even-odd: a ray to the east crosses its edges an odd number
// of times).
func (pi *polyIndex) contains(lon, lat float64) bool {
	if lon < pi.minLon || lon > pi.maxLon || lat < pi.minLat || lat > pi.maxLat {
		return false
	}
	in := false
	for _, k := range pi.bands[pi.bandOf(lat)] {
		e := pi.edges[k]
		if (e[1] > lat) != (e[3] > lat) && lon < e[0]+(lat-e[1])*(e[2]-e[0])/(e[3]-e[1]) {
			in = !in
		}
	}
	return in
}

// Area is the index of the area (lon, lat) is in, the first in the file's
// order where areas overlap; -1 when it is in none.
func (ix *BoundaryIndex) Area(lon, lat float64) int {
	for i := range ix.areas {
		a := &ix.areas[i]
		if lon < a.minLon || lon > a.maxLon || lat < a.minLat || lat > a.maxLat {
			continue
		}
		for j := range a.polys {
			if a.polys[j].contains(lon, lat) {
				return i
			}
		}
	}
	return -1
}

// LabelPoint is a point inside the area to write its name at: on the line
// of latitude through the middle of its largest polygon, the middle of the
// widest stretch of that line inside it.
func (a *BoundaryArea) LabelPoint() (lon, lat float64, ok bool) {
	best, bestArea := -1, -1.0
	for i, pg := range a.Polygons {
		if s := math.Abs(ringArea(pg[0])); s > bestArea {
			best, bestArea = i, s
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	pg := a.Polygons[best]
	minLat, maxLat := math.Inf(1), math.Inf(-1)
	for _, p := range pg[0] {
		minLat, maxLat = math.Min(minLat, p[1]), math.Max(maxLat, p[1])
	}
	lat = (minLat + maxLat) / 2
	var xs []float64
	for _, r := range pg {
		for i := 1; i < len(r); i++ {
			p, q := r[i-1], r[i]
			if (p[1] > lat) != (q[1] > lat) {
				xs = append(xs, p[0]+(lat-p[1])*(q[0]-p[0])/(q[1]-p[1]))
			}
		}
	}
	slices.Sort(xs)
	width := -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			width, lon = w, (xs[i]+xs[i+1])/2
		}
	}
	return lon, lat, width >= 0
}

// ringArea is a ring's signed area in square degrees (the shoelace).
func ringArea(r Ring) float64 {
	s := 0.0
	for i := 1; i < len(r); i++ {
		s += r[i-1][0]*r[i][1] - r[i][0]*r[i-1][1]
	}
	return s / 2
}
