package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// wards is a boundary of two areas about the Chicken Shack (53.48, -2.24):
// Mill, holding it, and the one east of it, named as given.
func wards(east string) string {
	sq := func(lon float64) string {
		return fmt.Sprintf("[[[%g,53.4],[%g,53.4],[%g,53.6],[%g,53.6],[%g,53.4]]]", lon, lon+0.2, lon+0.2, lon, lon)
	}
	return `{"type":"FeatureCollection","name":"Moor wards","features":[
		{"type":"Feature","properties":{"name":"Mill"},"geometry":{"type":"Polygon","coordinates":` + sq(-2.3) + `}},
		{"type":"Feature","properties":{"name":` + fmt.Sprintf("%q", east) + `},"geometry":{"type":"MultiPolygon","coordinates":[` + sq(-2.1) + `]}}]}`
}

// upload posts a boundary file by the page's form.
func (b *browser) upload(path, file string, fields map[string]string) response {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", "wards.geojson")
		fw.Write([]byte(file))
	}
	mw.Close()
	req, err := http.NewRequest("POST", b.srv.URL+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return send(b.t, b.c, req)
}

// TestAreaBoundaryAPI: the boundary loaded by the API and the page; who
// may; bad files named by field (422) and over the limit (413), with
// nothing changed; the hotspots drawn on it and counted by its areas, as
// a table and CSV.
func TestAreaBoundaryAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := startEnv(t, d, apptest.Options{})
			f, st := e.f, e.srv.Store
			pa, err := st.CreateAgency(sysCtx(), lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
			if err != nil {
				t.Fatal(err)
			}
			user := func(email string, r lantern.Role) *lantern.User {
				u, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: email, Name: email, AgencyID: pa.ID, Roles: []lantern.Role{r}, Password: storetest.Password})
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			police, analyst := user("pc@police.example.org", lantern.RolePolice), user("an@police.example.org", lantern.RoleAnalyst)
			pc := storetest.As(police)
			lat, lon := 53.48, -2.24
			shop, _ := st.CreatePlace(pc, &lantern.Place{Name: "Chicken Shack", Lat: &lat, Lon: &lon})
			lat2, lon2 := 55.0, -1.0
			far, _ := st.CreatePlace(pc, &lantern.Place{Name: "Far Away", Lat: &lat2, Lon: &lon2})
			dee, _ := st.CreatePerson(pc, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
			june := lantern.Date{Year: 2026, Month: 6, Day: 1}
			for _, pl := range []string{shop.ID, shop.ID, far.ID} {
				if _, err := st.CreateLink(pc, &lantern.Link{From: lantern.EntityRef{Type: "person", ID: dee.ID}, To: lantern.EntityRef{Type: "place", ID: pl},
					Kind: lantern.LinkSeenAt, ObservedFrom: &june, Source: "Test"}); err != nil {
					t.Fatal(err)
				}
			}
			put := func(u *lantern.User, query, body string) response {
				t.Helper()
				return e.do("PUT", "/api/v1/area/boundary"+query, "Bearer "+e.token(u), strings.NewReader(body), "Content-Type", "application/geo+json")
			}
			field := func(r response, status int, want string) {
				t.Helper()
				var p struct {
					Errors []lantern.FieldError `json:"errors"`
				}
				json.Unmarshal(r.body, &p)
				if r.status != status || r.header.Get("Content-Type") != "application/problem+json" || want != "" && (len(p.Errors) == 0 || p.Errors[0].Field != want) {
					t.Errorf("want %d naming %s: %d %s", status, want, r.status, r.body)
				}
			}

			// None yet: an empty collection.
			r := e.do("GET", "/api/v1/area/boundary", "Bearer "+e.token(police), nil)
			if r.status != 200 || r.header.Get("Content-Type") != "application/geo+json" || !strings.Contains(string(r.body), `"features":[]`) {
				t.Fatalf("no boundary: %d %s %s", r.status, r.header.Get("Content-Type"), r.body)
			}
			// Who may load it, and read it.
			if r := put(police, "", wards("Moor")); r.status != 403 {
				t.Errorf("the police load a boundary: %d", r.status)
			}
			if r := e.do("GET", "/api/v1/area/boundary", "Bearer "+e.token(f.Teacher), nil); r.status != 403 {
				t.Errorf("a teacher reads the boundary: %d", r.status)
			}
			r = put(analyst, "", wards("Moor"))
			var loaded lantern.AreaBoundary
			if err := json.Unmarshal(r.body, &loaded); r.status != 200 || err != nil || loaded.ID == "" || len(loaded.Areas) != 2 || loaded.Vertices != 10 ||
				loaded.NameProperty != "name" || !strings.Contains(loaded.Note, `"name"`) || loaded.Name != "Moor wards" {
				t.Fatalf("loaded: %d %s", r.status, r.body)
			}

			// Bad files: named, and nothing changes.
			field(put(analyst, "", `{"type":`), 400, "body")
			field(put(analyst, "", `{"type":"Topology"}`), 422, "type")
			field(put(analyst, "", strings.Replace(wards("Moor"), "[-2.1,53.4]]]", "[-2.1,53.5]]]", 1)), 422, "features[1].geometry.coordinates[0][0]")
			field(put(analyst, "", strings.Replace(wards("Moor"), "53.6", "95", 1)), 422, "features[0].geometry.coordinates[0][2]")
			field(put(analyst, "?name_property=WD23NM", wards("Moor")), 422, "features[0].properties.WD23NM")
			field(put(analyst, "?name="+strings.Repeat("n", 201), wards("Moor")), 422, "name")
			field(put(analyst, "", wards("Mill")), 422, "features[1].properties.name")
			// Over the default body limit, under the boundary's: read.
			padded := wards("Moor") + strings.Repeat(" ", 2<<20)
			if r := put(f.Admin, "?name=Padded", padded); r.status != 200 {
				t.Errorf("a 2 MiB boundary: %d %.300s", r.status, r.body)
			}
			field(put(analyst, "", wards("Moor")+strings.Repeat(" ", lantern.MaxBoundaryBytes)), 413, "")
			r = e.do("GET", "/api/v1/area/boundary", "Bearer "+e.token(police), nil)
			var kept struct {
				ID       string `json:"id"`
				Name     string `json:"name"`
				Features []struct {
					Properties map[string]string `json:"properties"`
				} `json:"features"`
			}
			if err := json.Unmarshal(r.body, &kept); err != nil || kept.Name != "Padded" || len(kept.Features) != 2 || kept.Features[1].Properties["name"] != "Moor" {
				t.Fatalf("the boundary kept: %v %s", err, r.body)
			}

			// The hotspots, counted by area.
			var hs lantern.Hotspots
			r = e.as(police, "GET", "/api/v1/intelligence/hotspots?from=2026-01-01&to=2026-11-22", "")
			if err := json.Unmarshal(r.body, &hs); err != nil || hs.Boundary == nil || hs.Boundary.ID != kept.ID || len(hs.Areas) != 2 ||
				hs.Areas[0].Items != 2 || hs.Outside.Items != 1 || hs.NoPosition.Places != 0 {
				t.Fatalf("hotspots by area: %v %s", err, r.body)
			}

			// The pages: the map drawn on the boundary, the table of areas
			// and its CSV.
			b := browserFor(t, e.srv, police.Email)
			wantPage(t, b.get("/intelligence/hotspots?from=2026-01-01"), 200, `data-area="Mill"`, `<path d="M`, "Drawn on the boundary Padded (2 areas), loaded",
				`id="hotspot-areas"`, "Outside every area", "/intelligence/hotspots/areas.csv?from=2026-01-01", "The area's boundary</a>")
			res := b.get("/intelligence/hotspots/areas.csv?from=2026-01-01&to=2026-06-30")
			if res.status != 200 || !strings.HasPrefix(string(res.body), "area,kind,places,links,2026-01,") ||
				!strings.Contains(string(res.body), "\r\nMill,area,1,2,0,0,0,0,0,2\r\nMoor,area,0,0,") || !strings.Contains(string(res.body), "\r\n,outside,1,1,") {
				t.Errorf("the areas' CSV: %d %s", res.status, res.body)
			}
			wantPage(t, b.get("/area/boundary"), 200, "Padded", "Mill", "Their property name")
			if res := b.get("/area/boundary"); strings.Contains(string(res.body), `action="/area/boundary"`) {
				t.Error("the police are offered the form to load a boundary")
			}

			// The analyst loads one by the page: faults at the file.
			ab := browserFor(t, e.srv, analyst.Email)
			wantPage(t, ab.get("/area/boundary"), 200, `action="/area/boundary"`, "Load another boundary")
			wantErrors(t, ab.upload("/area/boundary", "", nil), "file")
			bad := ab.upload("/area/boundary", wards("Moor")+`]`, nil)
			wantErrors(t, bad, "file")
			wantPage(t, bad, 422, "The boundary is not valid JSON")
			bad = ab.upload("/area/boundary", wards("Moor"), map[string]string{"name_property": "WD23NM"})
			wantErrors(t, bad, "file", "file") // each area's fault
			wantPage(t, bad, 422, "features[0].properties.WD23NM: Area 1 has no text")
			wantErrors(t, ab.upload("/area/boundary", wards("Moor"), map[string]string{"name": "Bad\x01name"}), "name")
			if res := ab.upload("/area/boundary", strings.Repeat(" ", lantern.MaxBoundaryBytes+1), nil); res.status != 413 || !strings.Contains(string(res.body), "larger than 5 MiB") {
				t.Errorf("a file over 5 MiB: %d", res.status)
			}
			wantPage(t, ab.upload("/area/boundary", wards("=SUM(1)"), map[string]string{"name": "Page wards"}), 200,
				"The boundary Page wards has been loaded: 2 areas", "=SUM(1)")
			res = b.get("/intelligence/hotspots/areas.csv?from=2026-01-01&to=2026-06-30")
			if !strings.Contains(string(res.body), "\r\n'=SUM(1),area,0,0,") {
				t.Errorf("a formula in the areas' CSV: %s", res.body)
			}
			// The administrator, from the users' page.
			adm := browserFor(t, e.srv, f.Admin.Email)
			wantPage(t, adm.get("/admin/users"), 200, `href="/area/boundary"`)
			wantPage(t, adm.get("/area/boundary"), 200, "Page wards", "Load another boundary")
			if res := browserFor(t, e.srv, f.Teacher.Email).get("/area/boundary"); res.status != 403 {
				t.Errorf("a teacher's page: %d", res.status)
			}
		})
	}
}
