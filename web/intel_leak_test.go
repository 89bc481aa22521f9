package web_test

import (
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestIntelSourcesStayWithThePolice: a link's source, how the reporter
// knows, who recorded it and the conditions of handling C are the police's
// alone. For the analyst, the coordinator and a partner, no response of the
// intelligence routes (JSON, pages, CSV, the police form) carries them, and
// a handling-C link is not there at all; the police see them.
func TestIntelSourcesStayWithThePolice(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f, st := e.f, e.srv.Store
			pa, err := st.CreateAgency(sysCtx(), lantern.AgencyInput{Name: "Moor Police", Kind: lantern.KindPolice})
			if err != nil {
				t.Fatal(err)
			}
			user := func(email string, a *lantern.Agency, r lantern.Role) *lantern.User {
				u, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: email, Name: "Leak " + string(r), AgencyID: a.ID, Roles: []lantern.Role{r}, Password: storetest.Password})
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			officer := user("officer@police.example.org", pa, lantern.RolePolice)
			analyst := user("analyst@police.example.org", pa, lantern.RoleAnalyst)
			coord := user("coord@csc.example.org", f.CSC, lantern.RoleCSECoordinator)
			child := e.createChild(f.Teacher, "Ana", "Leakson")
			if _, err := st.Involve(storetest.As(f.SocialWorker), child.ID, lantern.InvolvementInput{AgencyID: pa.ID, Reason: "Joint work"}); err != nil {
				t.Fatal(err)
			}
			p, err := st.CreatePerson(storetest.As(officer), &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
			if err != nil {
				t.Fatal(err)
			}
			car, _, err := st.CreateVehicle(storetest.As(officer), &lantern.Vehicle{VRM: "NM19 LKX", Colour: "CnryColour"})
			if err != nil {
				t.Fatal(err)
			}
			c := lantern.EntityRef{Type: lantern.EntityChild, ID: child.ID}
			pr := lantern.EntityRef{Type: lantern.EntityPerson, ID: p.ID}
			if _, err := st.CreateLink(storetest.As(officer), &lantern.Link{From: c, To: pr, Kind: lantern.LinkAssociate, Source: "CnrySourceP",
				HowKnown: "CnryHowP", Grading: &lantern.Grading{Source: "1", Intelligence: "B", Handling: "P"}}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.CreateLink(storetest.As(officer), &lantern.Link{From: pr, To: lantern.EntityRef{Type: lantern.EntityVehicle, ID: car.ID},
				Kind: lantern.LinkUsesVehicle, Source: "CnrySourceC", HowKnown: "CnryHowC",
				Grading: &lantern.Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "CnryConditions"}}); err != nil {
				t.Fatal(err)
			}
			paths := []string{
				"/api/v1/links?entity=person:" + p.ID,
				"/api/v1/links?entity=child:" + child.ID,
				"/api/v1/children/" + child.ID + "/network?hops=3",
				"/api/v1/persons/" + p.ID,
				"/intelligence/persons/" + p.ID,
				"/intelligence/persons/" + p.ID + "/links.csv",
				"/children/" + child.ID + "/network?hops=3",
				"/api/v1/children/" + child.ID + "/police-form",
				"/api/v1/children/" + child.ID + "/toolkit/prompts",
				"/children/" + child.ID + "/assessments/new",
			}
			secret := []string{"CnrySourceP", "CnryHowP", "CnrySourceC", "CnryHowC", "CnryConditions", officer.ID}
			for _, u := range []*lantern.User{analyst, coord, f.SocialWorker, f.Teacher} {
				b := browserFor(t, e.srv, u.Email)
				for _, path := range paths {
					var body string
					if strings.HasPrefix(path, "/api/") {
						body = string(e.as(u, "GET", path, "").body)
					} else {
						body = string(b.get(path).body)
					}
					for _, s := range secret {
						// The police form shows how the reporter knows to the
						// agency that wrote it: the analyst's is the police's.
						if u == analyst && strings.HasSuffix(path, "/police-form") && strings.HasPrefix(s, "CnryHow") {
							continue
						}
						if strings.Contains(body, s) {
							t.Errorf("%s's %s carries %s", u.Email, path, s)
						}
					}
					if strings.Contains(body, "NM19LKX") && u != coord && u != analyst {
						t.Errorf("%s's %s names the car of a handling-C link", u.Email, path)
					}
				}
			}
			// The partner who posts the car again learns only that it is held.
			again := e.as(f.Teacher, "POST", "/api/v1/vehicles", `{"vrm": "nm19 lkx"}`)
			if again.status != 200 || strings.Contains(string(again.body), "CnryColour") {
				t.Errorf("a partner posting a held car: %d %s", again.status, again.body)
			}
			// The police see what is theirs.
			body := string(e.as(officer, "GET", "/api/v1/links?entity=person:"+p.ID, "").body)
			for _, s := range []string{"CnrySourceP", "CnrySourceC", "CnryConditions"} {
				if !strings.Contains(body, s) {
					t.Errorf("the police's links lack %s: %s", s, body)
				}
			}
		})
	}
}
