package lantern

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// square is a closed ring around (lon, lat), d degrees a side.
func square(lon, lat, d float64) string {
	return fmt.Sprintf("[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", lon, lat, lon+d, lat, lon+d, lat+d, lon, lat+d, lon, lat)
}

func feature(props, geom string) string {
	return `{"type":"Feature","properties":` + props + `,"geometry":` + geom + `}`
}

func polygon(rings ...string) string {
	return `{"type":"Polygon","coordinates":[` + strings.Join(rings, ",") + `]}`
}

func collection(fs ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
}

// TestParseBoundary: what is read, and every fault named by its field.
func TestParseBoundary(t *testing.T) {
	east := feature(`{"name":"East Ward","WD23NM":"East"}`, polygon(square(0, 50, 1)))
	west := feature(`{"name":"West Ward","WD23NM":"West"}`, `{"type":"MultiPolygon","coordinates":[[`+square(-2, 50, 1)+`],[`+square(-4, 50, 1)+`]]}`)
	for _, tt := range []struct {
		name  string
		in    string
		opt   BoundaryOptions
		areas []string
		prop  string
		note  string
		field string // the first field at fault, or "" when read
		code  Code
	}{
		{name: "a collection", in: collection(east, west), areas: []string{"East Ward", "West Ward"}, prop: "name", note: `named by their "name" property`},
		{name: "a chosen property", in: collection(east, west), opt: BoundaryOptions{NameProperty: "WD23NM"}, areas: []string{"East", "West"}, prop: "WD23NM"},
		{name: "an ONS name picked", in: collection(feature(`{"WD23CD":"E05000001","WD23NM":"Mill"}`, polygon(square(0, 50, 1)))), areas: []string{"Mill"}, prop: "WD23NM"},
		{name: "Name in another case", in: collection(feature(`{"NAME":"Mill"}`, polygon(square(0, 50, 1)))), areas: []string{"Mill"}, prop: "NAME"},
		{name: "numbered", in: collection(feature(`null`, polygon(square(0, 50, 1))), feature(`{}`, polygon(square(2, 50, 1)))), areas: []string{"Area 1", "Area 2"}, note: "numbered"},
		{name: "one feature", in: east, areas: []string{"East Ward"}, prop: "name"},
		{name: "a bare polygon", in: polygon(square(0, 50, 1)), opt: BoundaryOptions{Name: "Northmoor"}, areas: []string{"Northmoor"}},
		{name: "a hole", in: collection(feature(`{"name":"Ring"}`, polygon(square(0, 50, 4), square(1, 51, 1)))), areas: []string{"Ring"}, prop: "name"},
		{name: "altitude and foreign members", in: `{"type":"FeatureCollection","name":"Wards","bbox":[0,50,1,51],"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},
			"features":[{"type":"Feature","id":7,"properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,50,10],[1,50,10],[1,51,10],[0,50,10]]]}}]}`, areas: []string{"A"}, prop: "name"},

		{name: "not JSON", in: `{"type":`, field: "body", code: EBADREQUEST},
		{name: "an array", in: `[1,2]`, field: "body", code: EBADREQUEST},
		{name: "empty", in: ` `, field: "body", code: EBADREQUEST},
		{name: "another type", in: `{"type":"Topology"}`, field: "type"},
		{name: "no features", in: `{"type":"FeatureCollection","features":[]}`, field: "features"},
		{name: "features not a list", in: `{"type":"FeatureCollection","features":{}}`, field: "features"},
		{name: "a feature not a feature", in: collection(east, `{"type":"Polygon"}`), field: "features[1].type"},
		{name: "a feature not an object", in: collection(`7`), field: "features[0]"},
		{name: "properties not an object", in: collection(feature(`[1]`, polygon(square(0, 50, 1)))), field: "features[0].properties"},
		{name: "no geometry", in: collection(east, feature(`{"name":"X"}`, `null`)), field: "features[1].geometry"},
		{name: "a point", in: collection(east, feature(`{"name":"X"}`, `{"type":"Point","coordinates":[0,50]}`)), field: "features[1].geometry.type"},
		{name: "another CRS", in: `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[` + east + `]}`, field: "crs"},
		{name: "British National Grid numbers", in: collection(feature(`{"name":"X"}`, polygon(`[[430000,433000],[431000,433000],[431000,434000],[430000,433000]]`))), field: "features[0].geometry.coordinates[0][0]"},
		{name: "latitude out of range", in: collection(feature(`{"name":"X"}`, polygon(`[[0,50],[1,50],[1,91],[0,50]]`))), field: "features[0].geometry.coordinates[0][2]"},
		{name: "too large a number", in: collection(feature(`{"name":"X"}`, polygon(`[[0,50],[1e400,50],[1,51],[0,50]]`))), field: "features[0].geometry.coordinates[0][1][0]"},
		{name: "a string for a number", in: collection(feature(`{"name":"X"}`, polygon(`[[0,50],["1",50],[1,51],[0,50]]`))), field: "features[0].geometry.coordinates[0][1][0]"},
		{name: "one number", in: collection(feature(`{"name":"X"}`, polygon(`[[0,50],[1],[1,51],[0,50]]`))), field: "features[0].geometry.coordinates[0][1]"},
		{name: "four numbers", in: collection(feature(`{"name":"X"}`, polygon(`[[0,50],[1,50,0,0],[1,51],[0,50]]`))), field: "features[0].geometry.coordinates[0][1]"},
		{name: "not closed", in: collection(east, feature(`{"name":"X"}`, polygon(`[[0,50],[1,50],[1,51],[0,51]]`))), field: "features[1].geometry.coordinates[0]"},
		{name: "three positions", in: collection(feature(`{"name":"X"}`, polygon(`[[0,50],[1,50],[0,50]]`))), field: "features[0].geometry.coordinates[0]"},
		{name: "no rings", in: collection(feature(`{"name":"X"}`, `{"type":"Polygon","coordinates":[]}`)), field: "features[0].geometry.coordinates"},
		{name: "no polygons", in: collection(feature(`{"name":"X"}`, `{"type":"MultiPolygon","coordinates":[]}`)), field: "features[0].geometry.coordinates"},
		{name: "coordinates not a list", in: collection(feature(`{"name":"X"}`, `{"type":"Polygon","coordinates":{"a":1}}`)), field: "features[0].geometry.coordinates"},
		{name: "no coordinates", in: collection(feature(`{"name":"X"}`, `{"type":"Polygon"}`)), field: "features[0].geometry.coordinates"},
		{name: "a chosen property missing", in: collection(east, feature(`{"name":"Y"}`, polygon(square(3, 50, 1)))), opt: BoundaryOptions{NameProperty: "WD23NM"}, field: "features[1].properties.WD23NM"},
		{name: "a name not text", in: collection(feature(`{"n":5}`, polygon(square(3, 50, 1)))), opt: BoundaryOptions{NameProperty: "n"}, field: "features[0].properties.n"},
		{name: "two of a name", in: collection(east, feature(`{"name":"East Ward"}`, polygon(square(3, 50, 1)))), field: "features[1].properties.name"},
		{name: "a control character", in: collection(feature(`{"name":"A\u0007"}`, polygon(square(3, 50, 1)))), opt: BoundaryOptions{NameProperty: "name"}, field: "features[0].properties.name"},
		{name: "a long boundary name", in: east, opt: BoundaryOptions{Name: strings.Repeat("n", 201)}, field: "name"},
		{name: "too large", in: `{"type":"Polygon","coordinates":"` + strings.Repeat("x", MaxBoundaryBytes) + `"}`, field: "", code: ETOOLARGE},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ParseBoundary([]byte(tt.in), tt.opt)
			if tt.field != "" || tt.code != "" {
				want := tt.code
				if want == "" {
					want = EINVALID
				}
				if ErrorCode(err) != want {
					t.Fatalf("err = %v, want %s", err, want)
				}
				if fs := ErrorFields(err); tt.field != "" && (len(fs) == 0 || fs[0].Field != tt.field) {
					t.Fatalf("fields = %+v, want %s first", fs, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v (%+v)", err, ErrorFields(err))
			}
			var names []string
			for _, a := range b.Areas {
				names = append(names, a.Name)
			}
			if fmt.Sprint(names) != fmt.Sprint(tt.areas) || b.NameProperty != tt.prop || !strings.Contains(b.Note, tt.note) {
				t.Errorf("areas %q named by %q (%s), want %q by %q", names, b.NameProperty, b.Note, tt.areas, tt.prop)
			}
		})
	}
}

// TestBoundaryBudget: the vertices are counted as they are read, and the
// reading stops past the most.
func TestBoundaryBudget(t *testing.T) {
	var ring strings.Builder
	ring.WriteString("[[0,50]")
	for i := 1; i < MaxBoundaryVertices; i++ {
		fmt.Fprintf(&ring, ",[%g,50.5]", float64(i)/MaxBoundaryVertices)
	}
	ring.WriteString(",[0,50]]")
	_, err := ParseBoundary([]byte(collection(feature(`{"name":"X"}`, polygon(ring.String())))), BoundaryOptions{})
	if fs := ErrorFields(err); len(fs) != 1 || fs[0].Field != fmt.Sprintf("features[0].geometry.coordinates[0][%d]", MaxBoundaryVertices) || !strings.Contains(fs[0].Message, "100000") {
		t.Fatalf("over the budget: %v %+v", err, fs)
	}
	areas := make([]string, MaxBoundaryAreas+1)
	for i := range areas {
		areas[i] = feature(fmt.Sprintf(`{"name":"A%d"}`, i), polygon(square(0, 50, 1)))
	}
	if _, err := ParseBoundary([]byte(collection(areas...)), BoundaryOptions{}); ErrorFields(err)[0].Field != "features" {
		t.Fatalf("too many areas: %v", err)
	}
}

// TestBoundaryRoundTrip: the stored form reads back as it was written.
func TestBoundaryRoundTrip(t *testing.T) {
	in := collection(feature(`{"name":"East \"Ward\" <1>"}`, polygon(square(0.123456789, 50.5, 1), square(0.3, 50.7, 0.1))),
		feature(`{"name":"West"}`, `{"type":"MultiPolygon","coordinates":[[`+square(-2, 50, 1e-7)+`],[`+square(-4, 50, 1)+`]]}`))
	b, err := ParseBoundary([]byte(in), BoundaryOptions{Name: "Wards"})
	if err != nil {
		t.Fatal(err)
	}
	b.ID = "b1"
	again, err := ParseBoundary(b.GeoJSON(), BoundaryOptions{NameProperty: "name"})
	if err != nil {
		t.Fatalf("%v\n%s", err, b.GeoJSON())
	}
	again.ID, again.Note, b.Note = "b1", "", ""
	if string(again.GeoJSON()) != string(b.GeoJSON()) || again.Vertices != 20 || again.Name != "Wards" {
		t.Errorf("read back:\n%s\nwant\n%s", again.GeoJSON(), b.GeoJSON())
	}
}

// TestBoundaryIndex: which area a position is in, holes and overlaps
// included, and a point inside each area to label it at.
func TestBoundaryIndex(t *testing.T) {
	// A ring with a hole, a concave (U-shaped) area, and an area that
	// overlaps the first.
	u := `[[10,50],[13,50],[13,53],[12,53],[12,51],[11,51],[11,53],[10,53],[10,50]]`
	b, err := ParseBoundary([]byte(collection(
		feature(`{"name":"Ring"}`, polygon(square(0, 50, 4), square(1, 51, 1))),
		feature(`{"name":"U"}`, polygon(u)),
		feature(`{"name":"Over"}`, polygon(square(3, 50, 4))),
	)), BoundaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ix := NewBoundaryIndex(b)
	for _, tt := range []struct {
		lon, lat float64
		want     int
	}{
		{0.5, 50.5, 0}, {1.5, 51.5, -1}, // in the hole
		{3.5, 50.5, 0}, // in both: the first
		{6, 51, 2}, {8, 51, -1}, {-1, 51, -1},
		{10.5, 52, 1}, {11.5, 52, -1}, {12.5, 52.9, 1}, {11.5, 50.5, 1},
	} {
		if got := ix.Area(tt.lon, tt.lat); got != tt.want {
			t.Errorf("Area(%g, %g) = %d, want %d", tt.lon, tt.lat, got, tt.want)
		}
	}
	for i, a := range b.Areas {
		lon, lat, ok := a.LabelPoint()
		if !ok || ix.Area(lon, lat) != i && !(i == 2 && ix.Area(lon, lat) == 0) {
			t.Errorf("%s's label at (%g, %g), in %d", a.Name, lon, lat, ix.Area(lon, lat))
		}
	}
	minLon, minLat, maxLon, maxLat := b.Extent()
	if minLon != 0 || minLat != 50 || maxLon != 13 || maxLat != 54 {
		t.Errorf("extent %g %g %g %g", minLon, minLat, maxLon, maxLat)
	}
	// Many edges, in bands: the same answers as testing every edge.
	var ring strings.Builder
	ring.WriteString("[")
	n := 500
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i%n) / float64(n)
		r := 1 + 0.3*math.Sin(7*a)
		if i > 0 {
			ring.WriteString(",")
		}
		fmt.Fprintf(&ring, "[%g,%g]", r*math.Cos(a), 50+r*math.Sin(a))
	}
	ring.WriteString("]")
	star, err := ParseBoundary([]byte(polygon(ring.String())), BoundaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	six := NewBoundaryIndex(star)
	pg := star.Areas[0].Polygons[0][0]
	for x := -1.4; x <= 1.4; x += 0.05 {
		for y := 48.6; y <= 51.4; y += 0.05 {
			in := false
			for i := 1; i < len(pg); i++ {
				p, q := pg[i-1], pg[i]
				if (p[1] > y) != (q[1] > y) && x < p[0]+(y-p[1])*(q[0]-p[0])/(q[1]-p[1]) {
					in = !in
				}
			}
			if got := six.Area(x, y) == 0; got != in {
				t.Fatalf("(%g, %g): in = %v, want %v", x, y, got, in)
			}
		}
	}
}

func FuzzParseBoundary(f *testing.F) {
	for _, s := range []string{
		collection(feature(`{"name":"East"}`, polygon(square(0, 50, 1), square(0.2, 50.2, 0.1)))),
		collection(feature(`{"WD23NM":"West"}`, `{"type":"MultiPolygon","coordinates":[[`+square(-2, 50, 1)+`]]}`)),
		polygon(square(0, 50, 1)), `{"type":"Feature","geometry":null}`, `{"type":"Polygon","coordinates":[[[0,50],[1e400,50]]]}`,
		`{"type":"FeatureCollection","crs":{"properties":{"name":"EPSG:27700"}},"features":[1,{"type":"Feature"}]}`,
	} {
		f.Add([]byte(s), "", "")
	}
	f.Fuzz(func(t *testing.T, raw []byte, name, prop string) {
		b, err := ParseBoundary(raw, BoundaryOptions{Name: name, NameProperty: prop})
		if err != nil {
			if c := ErrorCode(err); c != EINVALID && c != EBADREQUEST && c != ETOOLARGE {
				t.Fatalf("code %s: %v", c, err)
			}
			if c := ErrorCode(err); c != ETOOLARGE && len(ErrorFields(err)) == 0 {
				t.Fatalf("no field named: %v", err)
			}
			return
		}
		if len(b.Areas) == 0 || b.Vertices > MaxBoundaryVertices || len(b.Areas) > MaxBoundaryAreas {
			t.Fatalf("%d areas, %d vertices", len(b.Areas), b.Vertices)
		}
		for _, a := range b.Areas {
			if a.Name == "" {
				t.Fatal("an area with no name")
			}
			for _, pg := range a.Polygons {
				for _, r := range pg {
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Fatalf("a ring %v", r)
					}
					for _, p := range r {
						if math.IsNaN(p[0]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 {
							t.Fatalf("a position %v", p)
						}
					}
				}
			}
		}
		// What is stored reads back the same.
		again, err := ParseBoundary(b.GeoJSON(), BoundaryOptions{NameProperty: "name"})
		if err != nil {
			t.Fatalf("the stored form does not read: %v\n%s", err, b.GeoJSON())
		}
		// The store keeps the property the areas were named by beside it.
		again.Note, b.Note, again.NameProperty = "", "", b.NameProperty
		if string(again.GeoJSON()) != string(b.GeoJSON()) {
			t.Fatalf("read back differently:\n%s\n%s", again.GeoJSON(), b.GeoJSON())
		}
		ix := NewBoundaryIndex(b)
		for _, a := range b.Areas {
			if lon, lat, ok := a.LabelPoint(); ok {
				ix.Area(lon, lat)
			}
		}
	})
}
