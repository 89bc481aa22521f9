package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"lantern"
	"lantern/audit"
	"lantern/store"
	"lantern/store/storetest"
)

// boundaryFile is two wards side by side, each a degree square, west of
// and east of longitude -2.
func boundaryFile(west, east string) []byte {
	sq := func(lon float64) string {
		return fmt.Sprintf("[[[%g,53],[%g,53],[%g,54],[%g,54],[%g,53]]]", lon, lon+1, lon+1, lon, lon)
	}
	return []byte(`{"type":"FeatureCollection","name":"Moor wards","features":[
		{"type":"Feature","properties":{"WD23NM":"` + west + `"},"geometry":{"type":"Polygon","coordinates":` + sq(-3) + `}},
		{"type":"Feature","properties":{"WD23NM":"` + east + `"},"geometry":{"type":"Polygon","coordinates":` + sq(-2) + `}}]}`)
}

// TestAreaBoundary: who may load and read the boundary; a bad one changes
// nothing; the hotspots count every place by the area it is in (or none,
// or no position), and follow a boundary replaced; the trail records ids
// and counts, never the areas' names.
func TestAreaBoundary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		asAnalyst, asCoord, asAdmin := storetest.As(w.analyst), storetest.As(w.coord), storetest.As(w.f.Admin)
		if b, err := s.AreaBoundary(w.asPolice); err != nil || b != nil {
			t.Fatalf("no boundary yet: %+v, %v", b, err)
		}
		if _, err := s.LoadAreaBoundary(w.asPolice, boundaryFile("Westmoor", "Eastmoor"), lantern.BoundaryOptions{}); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("the police load a boundary: %v, want forbidden", err)
		}
		if _, err := s.AreaBoundary(w.asSchool); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("a teacher reads the boundary: %v, want forbidden", err)
		}
		first, err := s.LoadAreaBoundary(asAnalyst, boundaryFile("Westmoor", "Eastmoor"), lantern.BoundaryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if first.NameProperty != "WD23NM" || !strings.Contains(first.Note, "WD23NM") || first.Name != "Moor wards" || len(first.Areas) != 2 || first.Vertices != 10 {
			t.Fatalf("loaded %+v", first)
		}
		// A bad file is refused, naming the field, and the boundary held stays.
		bad := strings.Replace(string(boundaryFile("A", "B")), "[-2,53]]]", "[-2,53.5]]]", 1)
		_, err = s.LoadAreaBoundary(asCoord, []byte(bad), lantern.BoundaryOptions{})
		if fs := lantern.ErrorFields(err); len(fs) != 1 || fs[0].Field != "features[1].geometry.coordinates[0]" {
			t.Fatalf("an open ring: %v %+v", err, fs)
		}
		for _, as := range []context.Context{w.asPolice, asAdmin, asCoord} {
			b, err := s.AreaBoundary(as)
			if err != nil || b == nil || b.ID != first.ID || b.Areas[1].Name != "Eastmoor" || b.NameProperty != "WD23NM" || b.LoadedBy != w.analyst.ID ||
				!b.LoadedAt.Equal(clock.Now().UTC()) || b.Vertices != 10 {
				t.Fatalf("the boundary held: %+v, %v", b, err)
			}
		}

		// Places: in Westmoor, in Eastmoor (two), outside both, and with
		// no position.
		place := func(name string, lon, lat float64) lantern.EntityRef {
			p := &lantern.Place{Name: name}
			if lat != 0 {
				p.Lat, p.Lon = &lat, &lon
			}
			pl, err := s.CreatePlace(w.asPolice, p)
			if err != nil {
				t.Fatal(err)
			}
			return ref(lantern.EntityPlace, pl.ID)
		}
		mill, shack, park := place("Mill", -2.5, 53.5), place("Shack", -1.5, 53.2), place("Park", -1.2, 53.8)
		far, nowhere := place("Far", 1, 51), place("Nowhere", 0, 0)
		dee, err := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
		if err != nil {
			t.Fatal(err)
		}
		march, june := lantern.Date{Year: 2026, Month: 3, Day: 2}, lantern.Date{Year: 2026, Month: 6, Day: 3}
		for _, l := range []struct {
			at lantern.EntityRef
			on lantern.Date
		}{{mill, march}, {shack, march}, {shack, june}, {park, june}, {far, june}, {nowhere, march}} {
			if _, err := s.CreateLink(w.asPolice, &lantern.Link{From: ref(lantern.EntityPerson, dee.ID), To: l.at, Kind: lantern.LinkSeenAt, ObservedFrom: &l.on, Source: "Patrol log"}); err != nil {
				t.Fatal(err)
			}
		}
		from, to := lantern.Date{Year: 2026, Month: 1, Day: 1}, lantern.Date{Year: 2026, Month: 11, Day: 22}
		hs, err := s.Hotspots(w.asPolice, from, to)
		if err != nil {
			t.Fatal(err)
		}
		got := func(a *lantern.AreaHotspot) string {
			return fmt.Sprintf("%s %d %d %v", a.Area, a.Places, a.Items, a.Months)
		}
		if hs.Boundary == nil || hs.Boundary.ID != first.ID || len(hs.Areas) != 2 ||
			got(hs.Areas[0]) != "Westmoor 1 1 [{2026-03 1}]" || got(hs.Areas[1]) != "Eastmoor 2 3 [{2026-03 1} {2026-06 2}]" ||
			got(hs.Outside) != " 1 1 [{2026-06 1}]" || got(hs.NoPosition) != " 1 1 [{2026-03 1}]" {
			t.Fatalf("by area: %+v %+v %+v %+v", hs.Areas[0], hs.Areas[1], hs.Outside, hs.NoPosition)
		}
		areas := map[string]string{}
		for _, h := range hs.Places {
			areas[h.Place.Label] = h.Area
		}
		if fmt.Sprint(areas) != "map[Far: Mill:Westmoor Nowhere: Park:Eastmoor Shack:Eastmoor]" {
			t.Errorf("the places' areas: %v", areas)
		}

		// Replaced: the hotspots follow the new boundary.
		second, err := s.LoadAreaBoundary(asAdmin, boundaryFile("Upper", "Lower"), lantern.BoundaryOptions{Name: "New wards", NameProperty: "WD23NM"})
		if err != nil {
			t.Fatal(err)
		}
		if second.Note != "" || second.ID == first.ID || second.Name != "New wards" {
			t.Fatalf("the second boundary: %+v", second)
		}
		if hs, err = s.Hotspots(asCoord, from, to); err != nil || hs.Boundary.ID != second.ID || hs.Areas[1].Area != "Lower" || hs.Areas[1].Items != 3 {
			t.Fatalf("hotspots on the second boundary: %+v, %v", hs, err)
		}

		// The trail: ids and counts, not names.
		es, _, err := s.SearchAudit(storetest.As(w.f.Auditor), store.AuditFilter{Action: "area.boundary.load", Limit: 10})
		if err != nil || len(es) != 2 {
			t.Fatalf("%d loads in the trail, %v", len(es), err)
		}
		if es[0].EntityID != second.ID || es[0].Detail != "2 areas, 10 vertices, replacing "+first.ID || es[1].UserID != w.analyst.ID {
			t.Errorf("the loads audited: %+v %+v", es[0], es[1])
		}
		for _, e := range es {
			if strings.Contains(e.Detail, "moor") || strings.Contains(e.Detail, "Upper") {
				t.Errorf("a name in the trail: %q", e.Detail)
			}
		}
		if es, _, err := s.SearchAudit(storetest.As(w.f.Auditor), store.AuditFilter{Action: "area.boundary.read", Limit: 10}); err != nil ||
			!slices.ContainsFunc(es, func(e *audit.Entry) bool { return e.EntityID == first.ID }) {
			t.Errorf("the reads audited: %d, %v", len(es), err)
		}

		// The command line loads one too.
		sys := lantern.NewSystemContext(context.Background(), "test")
		if _, err := s.LoadAreaBoundary(sys, boundaryFile("A", "B"), lantern.BoundaryOptions{}); err != nil {
			t.Fatalf("the operator: %v", err)
		}
	})
}
