package browser_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestIntelTools: a police officer opens the analyst's tools from the
// intelligence page, finds a path (the error summary first), and opens
// the shared associates, groups, most connected, timeline and hotspots:
// axe passes on every page, and each drawing holds exactly what its table
// lists.
func TestIntelTools(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	st := srv.Store
	sys := lantern.NewSystemContext(t.Context(), "test")
	police, err := st.CreateAgency(sys, lantern.AgencyInput{Name: "Moor Police", Kind: lantern.KindPolice})
	if err != nil {
		t.Fatal(err)
	}
	officer, err := st.CreateUser(sys, lantern.UserInput{Email: "officer@police.example.org", Name: "Drew Officer", AgencyID: police.ID,
		Roles: []lantern.Role{lantern.RolePolice}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	as := storetest.As(officer)
	child := func(given string) *lantern.Child {
		c, err := st.CreateChild(as, lantern.ChildInput{GivenName: given, FamilyName: "Tools", DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 9}, Gender: "female"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tia, una := child("Tia"), child("Una")
	for deadline := time.Now().Add(20 * time.Second); !st.GraphStats().Ready; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the graph index was not built: %+v", st.GraphStats())
		}
	}
	dee, _ := st.CreatePerson(as, &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: "Dee", Family: "Sampleman"}}})
	kez, _ := st.CreatePerson(as, &lantern.PersonOfConcern{Aliases: []string{"Kez"}})
	lat, lon := 53.48, -2.24
	shop, _ := st.CreatePlace(as, &lantern.Place{Name: "Chicken Shack", Lat: &lat, Lon: &lon, Hotspot: true, HotspotReason: "Gatherings late at night"})
	lat2, lon2 := 53.50, -2.20
	park, _ := st.CreatePlace(as, &lantern.Place{Name: "Moor Park", Lat: &lat2, Lon: &lon2})
	ref := func(t lantern.EntityType, id string) lantern.EntityRef { return lantern.EntityRef{Type: t, ID: id} }
	june, july := lantern.Date{Year: 2026, Month: 6, Day: 1}, lantern.Date{Year: 2026, Month: 7, Day: 4}
	for _, l := range []*lantern.Link{
		{From: ref("child", tia.ID), To: ref("person", dee.ID), Kind: lantern.LinkAssociate, ObservedFrom: &june},
		{From: ref("person", dee.ID), To: ref("person", kez.ID), Kind: lantern.LinkAssociate, ObservedFrom: &july},
		{From: ref("child", una.ID), To: ref("person", kez.ID), Kind: lantern.LinkAssociate},
		{From: ref("child", una.ID), To: ref("person", dee.ID), Kind: lantern.LinkAssociate},
		{From: ref("person", dee.ID), To: ref("place", shop.ID), Kind: lantern.LinkSeenAt, ObservedFrom: &july},
		{From: ref("child", tia.ID), To: ref("place", shop.ID), Kind: lantern.LinkSeenAt, ObservedFrom: &june},
		{From: ref("person", kez.ID), To: ref("place", park.ID), Kind: lantern.LinkSeenAt, ObservedFrom: &july},
	} {
		l.Source = "Patrol log"
		if _, err := st.CreateLink(as, l); err != nil {
			t.Fatal(err)
		}
	}

	b := openTab(t, srv.URL, nil)
	b.enrol(officer.Email, storetest.Password)
	b.wantStatus("intelligence", b.navigate("/intelligence"), 200)
	b.wantStatus("the tools", b.click(`main a[href="/intelligence/tools"]`), 200)
	b.wantPage("/intelligence/tools", "Analyst's tools")
	b.checkPage("the tools")

	b.wantStatus("the path page", b.click(`main a[href="/intelligence/path"]`), 200)
	b.fill("from", "nobody")
	b.fill("to", "place:"+park.ID)
	b.wantStatus("a path from nobody", b.click(`main form button.govuk-button:not(.govuk-button--secondary)`), 422)
	b.checkErrorSummary(map[string]string{"#from": "type:id"})
	b.checkPage("the path, with an error")
	b.fill("from", "child:"+tia.ID)
	b.wantStatus("the path", b.click(`main form button.govuk-button:not(.govuk-button--secondary)`), 200)
	drawn := eval[[]string](b, `Array.from(document.querySelectorAll('#path-drawing [data-ref]'), g => g.dataset.ref)`)
	listed := eval[[]string](b, `Array.from(document.querySelectorAll('#path tr[data-ref]'), r => r.dataset.ref)`)
	want := []string{"child:" + tia.ID, "person:" + dee.ID, "person:" + kez.ID, "place:" + park.ID}
	if !slices.Equal(drawn, want) || !slices.Equal(listed, want) {
		t.Errorf("the path drawn %v, listed %v, want %v", drawn, listed, want)
	}
	b.checkPage("the path")
	b.screenshot("intel-path")

	b.wantStatus("shared", b.navigate("/intelligence/shared?child="+tia.ID+","+una.ID), 200)
	if got := b.text("#shared"); !strings.Contains(got, "Dee Sampleman") || !strings.Contains(got, "Tia Tools, Una Tools") {
		t.Errorf("shared says %q", got)
	}
	b.checkPage("shared associates")

	b.wantStatus("groups", b.navigate("/intelligence/groups"), 200)
	if got := b.text("#groups"); !strings.Contains(got, "Dee Sampleman") || strings.Contains(got, "Tia") {
		t.Errorf("groups say %q", got)
	}
	b.checkPage("groups")

	b.wantStatus("most connected", b.navigate("/intelligence/most-connected"), 200)
	if got := b.text("#most-connected"); !strings.Contains(got, "Dee Sampleman") || strings.Contains(got, "Tia") {
		t.Errorf("the most connected say %q", got)
	}
	b.checkPage("most connected")

	b.wantStatus("timeline", b.navigate("/intelligence/timeline?entity=person:"+dee.ID), 200)
	bars := eval[[]string](b, `Array.from(document.querySelectorAll('#timeline-bars g[data-month]'), g => g.dataset.month + ' ' + g.querySelector('title').textContent)`)
	rows := eval[[]string](b, `Array.from(document.querySelectorAll('#month-counts tbody tr'), r => r.cells[0].textContent + ' ' + r.cells[0].textContent + ': ' + r.cells[1].textContent)`)
	if len(bars) == 0 || !slices.Equal(bars, rows) {
		t.Errorf("the bars %v, the table %v", bars, rows)
	}
	b.checkPage("timeline")

	b.wantStatus("hotspots", b.navigate("/intelligence/hotspots?from=2026-01-01"), 200)
	points := eval[[]string](b, `Array.from(document.querySelectorAll('#hotspot-map [data-ref]'), g => g.dataset.ref).sort()`)
	places := eval[[]string](b, `Array.from(document.querySelectorAll('#hotspots tr[data-ref]'), r => r.dataset.ref).sort()`)
	if len(points) != 2 || !slices.Equal(points, places) {
		t.Errorf("the map draws %v, the table lists %v", points, places)
	}
	if got := b.text("#map-note"); !strings.Contains(got, "No boundary is loaded") {
		t.Errorf("the map's note says %q", got)
	}
	b.checkPage("hotspots")

	// An analyst loads the area's boundary by its page, the error summary
	// first; the hotspot map is then drawn on it, each area outlined and
	// its links in the table of areas.
	analyst, err := st.CreateUser(sys, lantern.UserInput{Email: "analyst@police.example.org", Name: "Alex Analyst", AgencyID: police.ID,
		Roles: []lantern.Role{lantern.RoleAnalyst}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	a := openTab(t, srv.URL, nil)
	a.enrol(analyst.Email, storetest.Password)
	a.wantStatus("the boundary's page", a.navigate("/area/boundary"), 200)
	a.checkPage("the boundary, none loaded")
	a.wantStatus("no file", a.click(`main form button.govuk-button`), 422)
	a.checkErrorSummary(map[string]string{"#file": "Choose the boundary file"})
	a.checkPage("the boundary, with an error")
	file := filepath.Join(t.TempDir(), "wards.geojson")
	ring := func(lon float64) string {
		return fmt.Sprintf("[[[%g,53.45],[%g,53.45],[%g,53.55],[%g,53.55],[%g,53.45]]]", lon, lon+0.05, lon+0.05, lon, lon)
	}
	if err := os.WriteFile(file, []byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"name":"Shackleton"},"geometry":{"type":"Polygon","coordinates":`+ring(-2.26)+`}},
		{"type":"Feature","properties":{"name":"Parkside"},"geometry":{"type":"Polygon","coordinates":`+ring(-2.21)+`}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	a.do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	a.fill("name", "Moor wards")
	a.wantStatus("the boundary loaded", a.click(`main form button.govuk-button`), 200)
	if got := a.text("#boundary-areas"); !strings.Contains(got, "Shackleton") || !strings.Contains(got, "Parkside") {
		t.Errorf("the boundary's areas: %q", got)
	}
	a.checkPage("the boundary, loaded")

	b.wantStatus("hotspots on the boundary", b.navigate("/intelligence/hotspots?from=2026-01-01"), 200)
	outlined := eval[[]string](b, `Array.from(document.querySelectorAll('#hotspot-map g[data-area] path'), p => p.closest('g').dataset.area + (p.getAttribute('d').startsWith('M') ? ' drawn' : ''))`)
	tabled := eval[[]string](b, `Array.from(document.querySelectorAll('#hotspot-areas tr[data-area]'), r => r.dataset.area + ' drawn')`)
	if want := []string{"Shackleton drawn", "Parkside drawn"}; !slices.Equal(outlined, want) || !slices.Equal(tabled, want) {
		t.Errorf("the map outlines %v, the table of areas lists %v; want %v", outlined, tabled, want)
	}
	if got := b.text("#hotspot-areas"); !strings.Contains(got, "Outside every area") || !strings.Contains(got, "No position") {
		t.Errorf("the table of areas: %q", got)
	}
	if got := b.text("#map-note"); !strings.Contains(got, "Drawn on the boundary Moor wards (2 areas)") {
		t.Errorf("the map's note says %q", got)
	}
	points = eval[[]string](b, `Array.from(document.querySelectorAll('#hotspot-map [data-ref]'), g => g.dataset.ref).sort()`)
	if !slices.Equal(points, places) {
		t.Errorf("on the boundary, the map draws %v, the table lists %v", points, places)
	}
	b.checkPage("hotspots on the boundary")
	b.screenshot("intel-hotspots")
}
