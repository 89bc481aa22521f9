package web_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestIntelToolsAPI: the analyst's tools through the API and the pages,
// on the index the server builds when it starts: who may ask; bad input
// named (422); a child the caller may not see is 404 when named and never
// shown; handling-C links are the police's alone; CSV on Accept; the
// pages answer, with the same numbers as the API.
func TestIntelToolsAPI(t *testing.T) {
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
			coord, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: "coord@csc.example.org", Name: "Co Ord", AgencyID: f.CSC.ID,
				Roles: []lantern.Role{lantern.RoleCSECoordinator}, Password: storetest.Password})
			if err != nil {
				t.Fatal(err)
			}
			sw := storetest.As(f.SocialWorker)
			dob := lantern.Date{Year: 2011, Month: 5, Day: 6}
			amira, err := st.CreateChild(sw, lantern.ChildInput{GivenName: "Amira", FamilyName: "Toolton", DateOfBirth: dob, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Involve(sw, amira.ID, lantern.InvolvementInput{AgencyID: pa.ID, Reason: "Joint work"}); err != nil {
				t.Fatal(err)
			}
			bella, err := st.CreateChild(sw, lantern.ChildInput{GivenName: "Bella", FamilyName: "Toolton", DateOfBirth: dob, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(20 * time.Second); !st.GraphStats().Ready; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("the graph index was not built: %+v", st.GraphStats())
				}
			}
			pc := storetest.As(police)
			dee, _ := st.CreatePerson(pc, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
			sam, _ := st.CreatePerson(pc, &lantern.PersonOfConcern{Aliases: []string{"Sam"}})
			lat, lon := 53.48, -2.24
			shop, _ := st.CreatePlace(pc, &lantern.Place{Name: "Chicken Shack", Lat: &lat, Lon: &lon})
			car, _, _ := st.CreateVehicle(pc, &lantern.Vehicle{VRM: "NM11 AAA"})
			r := func(t lantern.EntityType, id string) lantern.EntityRef { return lantern.EntityRef{Type: t, ID: id} }
			june := lantern.Date{Year: 2026, Month: 6, Day: 1}
			for _, l := range []*lantern.Link{
				{From: r("child", amira.ID), To: r("person", dee.ID), Kind: lantern.LinkAssociate},
				{From: r("person", dee.ID), To: r("vehicle", car.ID), Kind: lantern.LinkUsesVehicle, Grading: &lantern.Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "Police only"}},
				{From: r("person", sam.ID), To: r("vehicle", car.ID), Kind: lantern.LinkUsesVehicle},
				{From: r("person", dee.ID), To: r("place", shop.ID), Kind: lantern.LinkSeenAt, ObservedFrom: &june},
			} {
				l.Source = "Test"
				if _, err := st.CreateLink(pc, l); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range []*lantern.Link{
				{From: r("child", bella.ID), To: r("person", dee.ID), Kind: lantern.LinkAssociate},
				{From: r("child", bella.ID), To: r("place", shop.ID), Kind: lantern.LinkSeenAt, ObservedFrom: &june},
			} {
				l.Source = "Return interview"
				if _, err := st.CreateLink(sw, l); err != nil {
					t.Fatal(err)
				}
			}
			get := func(u *lantern.User, path string, status int, v any) response {
				t.Helper()
				res := e.as(u, "GET", path, "")
				if res.status != status {
					t.Fatalf("GET %s: %d %s, want %d", path, res.status, res.body, status)
				}
				if v != nil {
					if err := json.Unmarshal(res.body, v); err != nil {
						t.Fatalf("GET %s: %v in %s", path, err, res.body)
					}
				}
				return res
			}
			field := func(u *lantern.User, path, want string) {
				t.Helper()
				p := checkProblem(t, e.as(u, "GET", path, ""), http.StatusUnprocessableEntity)
				if !slices.Contains(p.fields(), want) {
					t.Fatalf("GET %s: fields %v, want %s", path, p.fields(), want)
				}
			}
			amiraRef, samRef := "child:"+amira.ID, "person:"+sam.ID

			// The path: through the handling-C link for the police only.
			var path lantern.IntelPath
			get(police, "/api/v1/intelligence/path?from="+amiraRef+"&to="+samRef, 200, &path)
			if !path.Found || len(path.Nodes) != 4 || path.Nodes[2].ID != car.ID || len(path.Edges) != 3 {
				t.Fatalf("police path = %+v", path)
			}
			path = lantern.IntelPath{}
			get(analyst, "/api/v1/intelligence/path?from="+amiraRef+"&to="+samRef, 200, &path)
			if path.Found || len(path.Nodes) != 0 {
				t.Fatalf("an analyst's path through a handling-C link = %+v", path)
			}
			get(f.Teacher, "/api/v1/intelligence/path?from="+amiraRef+"&to="+samRef, 403, nil)
			get(police, "/api/v1/intelligence/path?from=child:"+bella.ID+"&to="+samRef, 404, nil)
			field(police, "/api/v1/intelligence/path?from=nobody&to="+samRef, "from")
			field(police, "/api/v1/intelligence/path?from="+amiraRef+"&to="+samRef+"&hops=9", "hops")
			field(police, "/api/v1/intelligence/path?from="+amiraRef+"&to="+samRef+"&least=9Z", "least")

			// Shared: Bella is not the police's to name; the coordinator's
			// answer lists Dee and the shop, never a child.
			get(police, "/api/v1/intelligence/shared?child="+amira.ID+"&child="+bella.ID, 404, nil)
			field(police, "/api/v1/intelligence/shared?child="+amira.ID, "child")
			field(police, "/api/v1/intelligence/shared?child="+amira.ID+"&child="+bella.ID+"&hops=3", "hops")
			var sh lantern.SharedAssociates
			get(coord, "/api/v1/intelligence/shared?child="+amira.ID+","+bella.ID+"&hops=1", 200, &sh)
			if len(sh.Associates) != 1 || sh.Associates[0].ID != dee.ID || len(sh.Associates[0].Children) != 2 {
				t.Fatalf("shared at 1 hop = %+v", sh.Associates)
			}

			// Groups and the most connected: never a child listed or ranked.
			var gs lantern.IntelGroups
			get(police, "/api/v1/intelligence/groups?min_size=2", 200, &gs)
			if len(gs.Groups) != 1 || gs.Groups[0].Children != 1 || gs.Groups[0].Size != 5 {
				t.Fatalf("police groups = %+v", gs.Groups)
			}
			for _, n := range gs.Groups[0].Top {
				if n.Type == lantern.EntityChild {
					t.Fatalf("a child listed in a group: %+v", n)
				}
			}
			field(police, "/api/v1/intelligence/groups?limit=0", "limit")
			csv := e.do("GET", "/api/v1/intelligence/groups?min_size=2", "Bearer "+e.token(police), nil, "Accept", "text/csv")
			if csv.status != 200 || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(string(csv.body), "rank,size,children") {
				t.Fatalf("groups as CSV: %d %s %q", csv.status, csv.header.Get("Content-Type"), csv.body)
			}
			var mc struct{ Nodes []*lantern.NetworkNode }
			get(analyst, "/api/v1/intelligence/most-connected?type=person", 200, &mc)
			if len(mc.Nodes) != 2 || mc.Nodes[0].ID != dee.ID || mc.Nodes[0].Links != 3 { // Amira, Bella, the shop: not the car (C)
				t.Fatalf("an analyst's most connected persons = %+v", mc.Nodes)
			}
			field(police, "/api/v1/intelligence/most-connected?type=child", "type")
			field(police, "/api/v1/intelligence/most-connected?limit=101", "limit")
			csv = e.do("GET", "/api/v1/intelligence/most-connected", "Bearer "+e.token(police), nil, "Accept", "text/csv")
			if csv.status != 200 || !strings.Contains(string(csv.body), dee.ID) || strings.Contains(string(csv.body), amira.ID) {
				t.Fatalf("most connected as CSV: %d %s", csv.status, csv.body)
			}

			// The timeline and the hotspots.
			var tl lantern.Timeline
			get(police, "/api/v1/intelligence/timeline?entity=person:"+dee.ID, 200, &tl)
			if len(tl.Items) != 3 { // Amira, the car, the shop; not Bella
				t.Fatalf("Dee's timeline for the police = %d items", len(tl.Items))
			}
			field(police, "/api/v1/intelligence/timeline?entity=person", "entity")
			get(police, "/api/v1/intelligence/timeline?entity=child:"+bella.ID, 404, nil)
			var hs lantern.Hotspots
			get(police, "/api/v1/intelligence/hotspots?from=2026-01-01&to=2026-11-22", 200, &hs)
			if len(hs.Places) != 1 || hs.Places[0].Children != 1 || hs.Places[0].HiddenChildren != 1 || hs.Places[0].Persons != 1 || hs.Places[0].Items != 2 {
				t.Fatalf("hotspots = %+v", hs.Places)
			}
			field(police, "/api/v1/intelligence/hotspots?from=2026-13-01", "from")
			field(police, "/api/v1/intelligence/hotspots?from=2026-05-01&to=2026-04-01", "to")
			field(police, "/api/v1/intelligence/hotspots?from=2020-01-01&to=2026-04-01", "from")
			csv = e.do("GET", "/api/v1/intelligence/hotspots?from=2026-05-01&to=2026-07-31", "Bearer "+e.token(police), nil, "Accept", "text/csv")
			if csv.status != 200 || !strings.Contains(string(csv.body), "2026-05,2026-06,2026-07") || !strings.Contains(string(csv.body), "Chicken Shack") {
				t.Fatalf("hotspots as CSV: %d %s", csv.status, csv.body)
			}

			// The pages.
			b := browserFor(t, e.srv, police.Email)
			for path, want := range map[string]string{
				"/intelligence":       "Analyst's tools",
				"/intelligence/tools": "Shortest path",
				"/intelligence/path?from=" + amiraRef + "&to=" + samRef: "NM11AAA",
				"/intelligence/path?find=Dee":                           "Start here",
				"/intelligence/shared":                                  "Compare",
				"/intelligence/groups?min_size=2":                       "Download the groups",
				"/intelligence/most-connected":                          "Chicken Shack",
				"/intelligence/timeline?entity=person:" + dee.ID:        "June 2026",
				"/intelligence/hotspots?from=2026-01-01":                "No boundary is loaded",
			} {
				res := b.get(path)
				if res.status != 200 || !strings.Contains(string(res.body), want) {
					t.Errorf("GET %s: %d, want 200 with %q", path, res.status, want)
				}
				if strings.Contains(string(res.body), "Bella") {
					t.Errorf("GET %s shows Bella, whom the police may not see", path)
				}
			}
			for path, want := range map[string]string{
				"/intelligence/path?from=nobody&to=" + samRef:             "There is a problem",
				"/intelligence/shared?child=" + amira.ID + "," + bella.ID: "not found, or is one you may not see",
				"/intelligence/most-connected?type=child":                 "children are not ranked",
			} {
				if res := b.get(path); res.status != 422 || !strings.Contains(string(res.body), want) {
					t.Errorf("GET %s: %d, want 422 with %q", path, res.status, want)
				}
			}
			if res := b.get("/intelligence/hotspots.csv?from=2026-01-01"); res.status != 200 || !strings.Contains(string(res.body), "Chicken Shack") {
				t.Errorf("the hotspots' CSV: %d %s", res.status, res.body)
			}
		})
	}
}
