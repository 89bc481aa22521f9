package demo

import (
	"fmt"
	"strings"

	"lantern"
)

// The demonstration area's boundary: four fictional wards of Northmoor, on
// synthetic coordinates around the takeaway, loaded by the analyst so that
// the hotspot map is drawn on them.

// wardCorners are the points the wards share, as longitude and latitude.
var wardCorners = map[string][2]float64{
	"NW": {-1.700, 53.800}, "N": {-1.652, 53.800}, "NE": {-1.600, 53.800},
	"W": {-1.700, 53.768}, "C": {-1.640, 53.764}, "E": {-1.600, 53.772},
	"SW": {-1.700, 53.740}, "S": {-1.655, 53.740}, "SE": {-1.600, 53.740},
	// The outline's bends, each on one ward's edge.
	"nw1": {-1.676, 53.804}, "nw2": {-1.697, 53.785}, "ne1": {-1.596, 53.786}, "ne2": {-1.625, 53.798},
	"sw1": {-1.704, 53.752}, "sw2": {-1.680, 53.742}, "se1": {-1.628, 53.737}, "se2": {-1.603, 53.755},
}

// wards are the wards' names and outlines, anticlockwise (RFC 7946).
var wards = []struct{ name, ring string }{
	{"Millbrook ward (fictional)", "NW nw2 W C N nw1 NW"},
	{"Moor Top ward (fictional)", "N C E ne1 NE ne2 N"},
	{"Canal Side ward (fictional)", "W sw1 SW sw2 S C W"},
	{"Northmoor Centre ward (fictional)", "C S se1 SE se2 E C"},
}

// WardsGeoJSON is the demonstration's boundary file, as an analyst would
// load it.
func WardsGeoJSON() []byte {
	var fs []string
	for _, w := range wards {
		var ps []string
		for _, k := range strings.Fields(w.ring) {
			p := wardCorners[k]
			ps = append(ps, fmt.Sprintf("[%g,%g]", p[0], p[1]))
		}
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"WD23CD":"X0500000%d","WD23NM":%q},"geometry":{"type":"Polygon","coordinates":[[%s]]}}`,
			len(fs)+1, w.name, strings.Join(ps, ",")))
	}
	return []byte(`{"type":"FeatureCollection","name":"Northmoor wards (fictional)","features":[` + strings.Join(fs, ",") + `]}`)
}

// boundary loads the wards, as the analyst.
func (b *story) boundary() {
	if b.err != nil {
		return
	}
	_, err := b.st.LoadAreaBoundary(b.as("alex"), WardsGeoJSON(), lantern.BoundaryOptions{})
	b.fail("area boundary", err)
}
