package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestIntelAPI holds the intelligence fixed points (docs/api.md,
// "Intelligence"): entities answer 201, or 200 with the one already held;
// registrations and numbers normalised; bad input named; links need a
// source and a 3×5×2 grading; the network's shape and who may ask; search.
func TestIntelAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			st := e.srv.Store
			sys := lantern.NewSystemContext(context.Background(), "test")
			pa, err := st.CreateAgency(sys, lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
			if err != nil {
				t.Fatal(err)
			}
			police, err := st.CreateUser(sys, lantern.UserInput{Email: "pc@police.example.org", Name: "PC Test", AgencyID: pa.ID, Roles: []lantern.Role{lantern.RolePolice}, Password: storetest.Password})
			if err != nil {
				t.Fatal(err)
			}
			dob, _ := lantern.ParseDate("2011-05-06")
			c, err := st.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "Amira", FamilyName: "Demoton", DateOfBirth: dob, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Involve(storetest.As(f.SocialWorker), c.ID, lantern.InvolvementInput{AgencyID: pa.ID, Reason: "Joint work"}); err != nil {
				t.Fatal(err)
			}
			unseen, err := st.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "Bella", FamilyName: "Demoton", DateOfBirth: dob, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			obj := func(r response) map[string]any {
				t.Helper()
				var v map[string]any
				if err := json.Unmarshal(r.body, &v); err != nil {
					t.Fatalf("%d %s: %v", r.status, r.body, err)
				}
				return v
			}
			want := func(r response, status int, what string) map[string]any {
				t.Helper()
				if r.status != status {
					t.Fatalf("%s: %d %s, want %d", what, r.status, r.body, status)
				}
				if status == http.StatusNoContent {
					return nil
				}
				return obj(r)
			}
			wantField := func(r response, field, what string) {
				t.Helper()
				p := checkProblem(t, r, http.StatusUnprocessableEntity)
				if !slices.Contains(p.fields(), field) {
					t.Fatalf("%s: fields %v, want %s (%s)", what, p.fields(), field, r.body)
				}
			}

			// Vehicles: normalised, partial, held.
			v := want(e.as(f.Teacher, "POST", "/api/v1/vehicles", `{"vrm": "ab12 cde", "colour": "silver", "make": "Vauxhall", "model": "Astra"}`), 201, "vehicle")
			if v["vrm"] != "AB12CDE" || v["partial"] != false {
				t.Fatalf("vehicle = %v", v)
			}
			for _, form := range []string{"AB 12CDE", "AB12-CDE"} {
				again := want(e.as(police, "POST", "/api/v1/vehicles", `{"vrm": "`+form+`"}`), 200, form)
				if again["id"] != v["id"] {
					t.Fatalf("%s answered %v, want the vehicle held", form, again)
				}
			}
			p := want(e.as(f.Teacher, "POST", "/api/v1/vehicles", `{"vrm": "AB12 ?DE"}`), 201, "partial")
			if p["vrm"] != "AB12?DE" || p["partial"] != true {
				t.Fatalf("partial = %v", p)
			}
			for _, plate := range []string{"K1 NGS", "ABZ 1234", "B 123 ABC"} {
				want(e.as(f.Teacher, "POST", "/api/v1/vehicles", `{"vrm": "`+plate+`"}`), 201, plate)
			}
			wantField(e.as(f.Teacher, "POST", "/api/v1/vehicles", `{"vrm": "not a plate!"}`), "vrm", "bad vrm")

			// Phones.
			ph := want(e.as(f.Teacher, "POST", "/api/v1/phones", `{"number": "07700 900123"}`), 201, "phone")
			if ph["e164"] != "+447700900123" {
				t.Fatalf("phone = %v", ph)
			}
			for _, form := range []string{"+44 (0)7700 900123", "0044 7700 900123"} {
				if again := want(e.as(f.Teacher, "POST", "/api/v1/phones", `{"number": "`+form+`"}`), 200, form); again["id"] != ph["id"] {
					t.Fatalf("%s answered %v", form, again)
				}
			}
			for _, bad := range []string{"withheld", "@dmoney", "12"} {
				wantField(e.as(f.Teacher, "POST", "/api/v1/phones", `{"number": "`+bad+`"}`), "number", bad)
			}

			// Persons: a street name alone; nothing at all is named.
			dee := want(e.as(f.Teacher, "POST", "/api/v1/persons", `{"aliases": ["Dee", "D-Money"], "sex": "male", "estimated_age": 25, "estimated_in": 2023}`), 201, "person")
			if dee["birth_year"] != float64(1998) || dee["birth_estimated"] != true {
				t.Fatalf("person = %v", dee)
			}
			wantField(e.as(f.Teacher, "POST", "/api/v1/persons", `{}`), "names", "empty person")
			want(e.as(f.Teacher, "POST", "/api/v1/persons", `{"names": [{"given": "Mohammed", "family": "Example"}]}`), 201, "named")

			// Places and accounts.
			shop := want(e.as(f.Teacher, "POST", "/api/v1/places", `{"name": "Chicken Shack (fictional)", "postcode": "ls99 1zz", "lat": 53.8, "lon": -1.5}`), 201, "place")
			acct := want(e.as(f.Teacher, "POST", "/api/v1/accounts", `{"platform": "Snapchat", "handle": "@dmoney_22"}`), 201, "account")
			if again := want(e.as(f.Teacher, "POST", "/api/v1/accounts", `{"platform": "snapchat", "handle": "DMONEY_22"}`), 200, "account again"); again["id"] != acct["id"] {
				t.Fatalf("account again = %v", again)
			}

			// Reading is for the police, analysts and the coordinator.
			for kind, id := range map[string]any{"persons": dee["id"], "vehicles": v["id"], "phones": ph["id"], "places": shop["id"], "accounts": acct["id"]} {
				path := "/api/v1/" + kind + "/" + id.(string)
				if got := want(e.as(police, "GET", path, ""), 200, path); got["id"] != id {
					t.Fatalf("%s = %v", path, got)
				}
				if r := e.as(f.Teacher, "GET", path, ""); r.status != http.StatusForbidden {
					t.Fatalf("teacher %s: %d", path, r.status)
				}
			}
			if r := e.as(police, "GET", "/api/v1/persons/nobody", ""); r.status != http.StatusNotFound {
				t.Fatalf("no person: %d", r.status)
			}

			// Links.
			child := `{"type": "child", "id": "` + c.ID + `"}`
			person := `{"type": "person", "id": "` + dee["id"].(string) + `"}`
			car := `{"type": "vehicle", "id": "` + v["id"].(string) + `"}`
			wantField(e.as(f.SocialWorker, "POST", "/api/v1/links", `{"from": `+child+`, "to": `+person+`, "kind": "associate"}`), "source", "no source")
			wantField(e.as(f.SocialWorker, "POST", "/api/v1/links", `{"from": `+child+`, "to": `+person+`, "kind": "associate", "source": "Meeting", "grading": "B2"}`), "grading", "B2")
			wantField(e.as(f.SocialWorker, "POST", "/api/v1/links", `{"from": `+child+`, "to": `+person+`, "kind": "associate", "source": "Meeting", "grading": {"source": "1", "intelligence": "B"}}`), "grading", "1B")
			wantField(e.as(f.SocialWorker, "POST", "/api/v1/links", `{"from": `+child+`, "to": `+person+`, "kind": "associate", "source": "Meeting", "grading": {"source": "1", "intelligence": "B", "handling": "C"}}`), "grading.conditions", "C without conditions")
			wantField(e.as(f.SocialWorker, "POST", "/api/v1/links", `{"from": `+child+`, "to": `+person+`, "kind": "knows", "source": "Meeting"}`), "kind", "bad kind")
			l := want(e.as(f.SocialWorker, "POST", "/api/v1/links", `{"from": `+child+`, "to": `+person+`, "kind": "associate", "source": "Strategy meeting",
				"observed_from": "2026-09-01", "grading": {"source": "2", "intelligence": "B", "handling": "P"}, "legacy_grading": "B2"}`), 201, "link")
			if l["final"] != false || l["legacy_grading"] != "B2" {
				t.Fatalf("link = %v", l)
			}
			want(e.as(police, "POST", "/api/v1/links", `{"from": `+person+`, "to": `+car+`, "kind": "uses-vehicle", "source": "ANPR",
				"grading": {"source": "1", "intelligence": "A", "handling": "C", "conditions": "Police only"}}`), 201, "police link")
			if r := e.as(f.Teacher, "POST", "/api/v1/links", `{"from": {"type": "child", "id": "`+unseen.ID+`"}, "to": `+person+`, "kind": "associate", "source": "Seen"}`); r.status != http.StatusNotFound {
				t.Fatalf("link to an unseen child: %d %s", r.status, r.body)
			}
			// The final grade is the police's.
			if r := e.as(f.SocialWorker, "PUT", "/api/v1/links/"+l["id"].(string)+"/grading", `{"grading": {"source": "1", "intelligence": "B", "handling": "P"}}`); r.status != http.StatusForbidden {
				t.Fatalf("partner grades: %d", r.status)
			}
			g := want(e.as(police, "PUT", "/api/v1/links/"+l["id"].(string)+"/grading", `{"grading": {"source": "1", "intelligence": "B", "handling": "P"}}`), 200, "grade")
			if g["final"] != true {
				t.Fatalf("graded = %v", g)
			}

			// The network.
			n := want(e.as(police, "GET", "/api/v1/children/"+c.ID+"/network?hops=2", ""), 200, "network")
			nodes, _ := n["nodes"].([]any)
			edges, _ := n["edges"].([]any)
			if len(nodes) != 3 || len(edges) != 2 || n["truncated"] != false {
				t.Fatalf("network = %s", e.as(police, "GET", "/api/v1/children/"+c.ID+"/network?hops=2", "").body)
			}
			for _, raw := range nodes {
				nd := raw.(map[string]any)
				if nd["type"] == nil || nd["id"] == nil || nd["label"] == nil {
					t.Fatalf("node = %v", nd)
				}
			}
			e0 := edges[0].(map[string]any)
			if e0["from"].(map[string]any)["type"] == nil || e0["kind"] == nil {
				t.Fatalf("edge = %v", e0)
			}
			if one := want(e.as(police, "GET", "/api/v1/children/"+c.ID+"/network?hops=1", ""), 200, "one hop"); len(one["nodes"].([]any)) != 2 {
				t.Fatalf("one hop = %v", one)
			}
			for _, bad := range []string{"0", "4", "two"} {
				wantField(e.as(police, "GET", "/api/v1/children/"+c.ID+"/network?hops="+bad, ""), "hops", "hops="+bad)
			}
			if r := e.as(police, "GET", "/api/v1/children/"+unseen.ID+"/network", ""); r.status != http.StatusNotFound {
				t.Fatalf("unseen child's network: %d", r.status)
			}
			if r := e.as(f.SocialWorker, "GET", "/api/v1/children/"+c.ID+"/network", ""); r.status != http.StatusForbidden {
				t.Fatalf("social worker's network: %d", r.status)
			}

			// Candidates: another record of the same man, with the reasons.
			mo := want(e.as(police, "POST", "/api/v1/persons", `{"names": [{"given": "Mohammed", "family": "Candidateson"}], "date_of_birth": "1991-07-08", "sex": "male"}`), 201, "Mohammed")
			mu := want(e.as(police, "POST", "/api/v1/persons", `{"names": [{"given": "Muhammad", "family": "Candidateson"}], "date_of_birth": "1991-07-08", "sex": "male"}`), 201, "Muhammad")
			cands := want(e.as(police, "GET", "/api/v1/persons/"+mu["id"].(string)+"/candidates", ""), 200, "candidates")
			list, _ := cands["candidates"].([]any)
			if len(list) == 0 {
				t.Fatalf("candidates = %v", cands)
			}
			first := list[0].(map[string]any)
			if first["person_id"] != mo["id"] || first["probability"].(float64) < 0.8 || len(first["reasons"].([]any)) == 0 {
				t.Fatalf("first candidate = %v", first)
			}
			if r := e.as(f.Teacher, "GET", "/api/v1/persons/"+mu["id"].(string)+"/candidates", ""); r.status != http.StatusForbidden {
				t.Fatalf("teacher's candidates: %d", r.status)
			}

			// Search.
			search := func(q string) []any {
				t.Helper()
				res := want(e.as(police, "GET", "/api/v1/intelligence/search?"+q, ""), 200, q)
				rs, _ := res["results"].([]any)
				return rs
			}
			if rs := search("vrm=ab12%20%3Fde"); len(rs) != 2 { // AB12CDE, and the partial AB12?DE itself
				t.Fatalf("partial search = %v", rs)
			}
			if rs := search("vrm=AB12CDE"); len(rs) != 2 { // itself, and the partial held that it could be
				t.Fatalf("whole search = %v", rs)
			}
			if rs := search("phone=0044%207700%20900123"); len(rs) != 1 || rs[0].(map[string]any)["id"] != ph["id"] {
				t.Fatalf("phone search = %v", rs)
			}
			if rs := search("q=D-Money"); len(rs) != 1 || rs[0].(map[string]any)["id"] != dee["id"] {
				t.Fatalf("words search = %v", rs)
			}
			wantField(e.as(police, "GET", "/api/v1/intelligence/search?vrm=%21%21", ""), "vrm", "bad vrm search")
			wantField(e.as(police, "GET", "/api/v1/intelligence/search?phone=withheld", ""), "phone", "bad phone search")
			if r := e.as(f.Teacher, "GET", "/api/v1/intelligence/search?q=Dee", ""); r.status != http.StatusForbidden {
				t.Fatalf("teacher searches: %d", r.status)
			}
		})
	}
}
