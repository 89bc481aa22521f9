package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// problemFields are the fields a problem answer names.
func problemFields(t *testing.T, r response) []string {
	t.Helper()
	var p struct {
		Errors []struct{ Field string } `json:"errors"`
	}
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("not a problem: %s", r.body)
	}
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// intelEnv is a running server with the police (involved with one child),
// the CSE coordinator and a chair.
type intelEnv struct {
	*env
	police, coord, chair *lantern.User
	policeAgency         *lantern.Agency
	child, older, other  childJSON
}

func newIntelEnv(t *testing.T, d string) *intelEnv {
	e := startEnv(t, d, apptest.Options{})
	st, f := e.srv.Store, e.f
	pa, err := st.CreateAgency(sysCtx(), lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
	if err != nil {
		t.Fatal(err)
	}
	user := func(email string, a *lantern.Agency, r lantern.Role) *lantern.User {
		u, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: email, Name: "Mx " + email[:strings.IndexByte(email, '@')], AgencyID: a.ID,
			Roles: []lantern.Role{r}, Password: storetest.Password})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	ie := &intelEnv{env: e, policeAgency: pa, police: user("pc@police.example.org", pa, lantern.RolePolice),
		coord: user("coord@csc.example.org", f.CSC, lantern.RoleCSECoordinator), chair: user("chair@csc.example.org", f.CSC, lantern.RoleChair)}
	ie.child = e.createChild(f.SocialWorker, "Amira", "Test") // born 2012-03-01: 14
	r := e.as(f.SocialWorker, "POST", "/api/v1/children", `{"given_name": "Cara", "family_name": "Test", "date_of_birth": "2009-05-01", "gender": "female"}`)
	ie.older = decode[childJSON](t, r.body)
	ie.other = e.createChild(f.SocialWorker, "Bella", "Test")
	for _, c := range []childJSON{ie.child, ie.older} {
		for _, a := range []string{pa.ID, f.School.ID} {
			if _, err := st.Involve(storetest.As(f.SocialWorker), c.ID, lantern.InvolvementInput{AgencyID: a, Reason: "Working with her"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ie
}

func (ie *intelEnv) person(alias string) string {
	ie.t.Helper()
	r := ie.as(ie.police, "POST", "/api/v1/persons", `{"aliases": ["`+alias+`"]}`)
	if r.status != http.StatusCreated {
		ie.t.Fatalf("person: %d %s", r.status, r.body)
	}
	return decode[struct{ ID string }](ie.t, r.body).ID
}

func TestDisruptionAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newIntelEnv(t, d)
			tiny := e.person("Tiny")
			post := func(u *lantern.User, body string) response {
				t.Helper()
				return e.as(u, "POST", "/api/v1/disruptions", body)
			}
			// A CAWN protecting Amira, 14.
			r := post(e.police, `{"kind": "cawn", "date": "2026-11-20", "expires": "2027-11-20", "person_id": "`+tiny+`", "reference": "CAWN/1",
				"children": [{"child_id": "`+e.child.ID+`"}]}`)
			if r.status != http.StatusCreated {
				t.Fatalf("cawn: %d %s", r.status, r.body)
			}
			cawn := decode[lantern.Disruption](t, r.body)
			if cawn.Kind != "cawn" || len(cawn.Children) != 1 || cawn.Children[0].Role != "protected" || cawn.Expires == nil {
				t.Errorf("cawn: %+v", cawn)
			}
			// 422 naming the field.
			for body, want := range map[string]string{
				`{"kind": "cawn", "date": "2026-11-20", "person_id": "` + tiny + `", "children": [{"child_id": "` + e.older.ID + `"}]}`: "children[0].child_id",
				`{"kind": "arrest", "date": "2026-13-01", "person_id": "` + tiny + `"}`:                                                 "date",
				`{"kind": "arrest", "date": "2026-11-23", "person_id": "` + tiny + `"}`:                                                 "date",
				`{"kind": "sexual-risk-order", "date": "2026-11-20", "expires": "2026-11-01", "person_id": "` + tiny + `"}`:             "expires",
				`{"kind": "court-outcome", "date": "2026-11-20", "person_id": "` + tiny + `"}`:                                          "outcome",
				`{"kind": "arrest", "date": "2026-11-20", "person_id": "nobody"}`:                                                       "person_id",
				`{"kind": "caution", "date": "2026-11-20", "person_id": "` + tiny + `"}`:                                                "kind",
			} {
				r := post(e.police, body)
				if got := problemFields(t, r); r.status != http.StatusUnprocessableEntity || len(got) != 1 || got[0] != want {
					t.Errorf("%s: %d %v, want 422 naming %s", body, r.status, got, want)
				}
			}
			// 404 for a child the police may not see; 403 for anyone but the police.
			if r := post(e.police, `{"kind": "arrest", "date": "2026-11-20", "person_id": "`+tiny+`", "children": [{"child_id": "`+e.other.ID+`", "role": "victim"}]}`); r.status != http.StatusNotFound {
				t.Errorf("an unseen child: %d %s", r.status, r.body)
			}
			if r := post(e.coord, `{"kind": "arrest", "date": "2026-11-20", "person_id": "`+tiny+`"}`); r.status != http.StatusForbidden {
				t.Errorf("the coordinator records: %d %s", r.status, r.body)
			}
			// The prosecution.
			for _, body := range []string{
				`{"kind": "arrest", "date": "2026-10-01", "person_id": "` + tiny + `", "children": [{"child_id": "` + e.child.ID + `", "role": "victim"}]}`,
				`{"kind": "charge", "date": "2026-10-02", "person_id": "` + tiny + `", "offence": "Sexual activity with a child"}`,
				`{"kind": "court-outcome", "outcome": "convicted", "date": "2026-11-01", "person_id": "` + tiny + `"}`,
			} {
				if r := post(e.police, body); r.status != http.StatusCreated {
					t.Fatalf("%s: %d %s", body, r.status, r.body)
				}
			}
			list := func(u *lantern.User, path string, status int) (l struct {
				Disruptions []lantern.Disruption `json:"disruptions"`
				Hidden      int                  `json:"children_not_shown"`
			}) {
				t.Helper()
				r := e.as(u, "GET", path, "")
				if r.status != status {
					t.Fatalf("%s: %d %s", path, r.status, r.body)
				}
				if status == 200 {
					json.Unmarshal(r.body, &l)
				}
				return l
			}
			if l := list(e.coord, "/api/v1/disruptions?kind=court-outcome", 200); len(l.Disruptions) != 1 || l.Disruptions[0].Outcome != "convicted" {
				t.Errorf("convictions: %+v", l)
			}
			if l := list(e.police, "/api/v1/persons/"+tiny+"/disruptions", 200); len(l.Disruptions) != 4 {
				t.Errorf("Tiny's: %d", len(l.Disruptions))
			}
			if l := list(e.police, "/api/v1/children/"+e.child.ID+"/disruptions", 200); len(l.Disruptions) != 2 || l.Disruptions[0].Children[0].Name != "Amira Test" {
				t.Errorf("Amira's: %+v", l)
			}
			list(e.police, "/api/v1/children/"+e.other.ID+"/disruptions", 404)
			list(e.f.SocialWorker, "/api/v1/children/"+e.child.ID+"/disruptions", 403)
			list(e.f.Teacher, "/api/v1/disruptions", 403)
			list(e.police, "/api/v1/disruptions?from=yesterday", 422)
			list(e.police, "/api/v1/persons/nobody/disruptions", 404)

			// The partnership's figures.
			r = e.as(e.chair, "GET", "/api/v1/reports/disruption?from=2026-01-01&to=2026-12-31", "")
			if r.status != 200 {
				t.Fatalf("figures: %d %s", r.status, r.body)
			}
			fig := decode[lantern.DisruptionFigures](t, r.body)
			if fig.BroughtToJustice != 1 || fig.Persons != 1 || fig.Children != 1 || fig.ByKind[0].Key != "cawn" || fig.ByKind[0].Count != 1 {
				t.Errorf("figures: %s", r.body)
			}
			if strings.Contains(string(r.body), "Amira") || strings.Contains(string(r.body), "Tiny") {
				t.Errorf("the figures name someone: %s", r.body)
			}
			if r := e.as(e.police, "GET", "/api/v1/reports/disruption", ""); r.status != http.StatusForbidden {
				t.Errorf("the police read the figures: %d", r.status)
			}
		})
	}
}

func TestPoliceFormAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newIntelEnv(t, d)
			f := e.f
			// The school saw a car with a partial registration collect Amira.
			r := e.as(f.Teacher, "POST", "/api/v1/vehicles", `{"vrm": "WX19 ?XK", "colour": "black"}`)
			v := decode[struct{ ID string }](t, r.body).ID
			r = e.as(f.Teacher, "POST", "/api/v1/links", `{"from": {"type": "child", "id": "`+e.child.ID+`"}, "to": {"type": "vehicle", "id": "`+v+`"},
				"kind": "collected-from", "observed_from": "2026-11-18", "source": "Her aunt, by phone", "how_known": "Saw it from the gate",
				"grading": {"source": "2", "intelligence": "B", "handling": "P"}}`)
			if r.status != http.StatusCreated {
				t.Fatalf("link: %d %s", r.status, r.body)
			}
			link := decode[struct{ ID string }](t, r.body).ID
			base := "/api/v1/children/" + e.child.ID + "/police-form"
			r = e.as(f.Teacher, "GET", base, "")
			if r.status != 200 {
				t.Fatalf("choices: %d %s", r.status, r.body)
			}
			var ch struct {
				Items  []lantern.PoliceFormItem   `json:"items"`
				Forces []lantern.PoliceFormAgency `json:"forces"`
				Shares []lantern.PoliceFormShare  `json:"shares"`
			}
			json.Unmarshal(r.body, &ch)
			if len(ch.Items) != 2 || len(ch.Forces) != 1 || ch.Forces[0].ID != e.policeAgency.ID || len(ch.Shares) != 0 {
				t.Fatalf("choices: %s", r.body)
			}
			if strings.Contains(string(r.body), "Her aunt") {
				t.Errorf("the choices carry the source: %s", r.body)
			}
			body := `{"agency_id": "` + e.policeAgency.ID + `", "purpose": "To prevent harm", "items": ["link:` + link + `", "vehicle:` + v + `"]}`
			r = e.as(f.Teacher, "POST", base, body)
			if r.status != http.StatusCreated {
				t.Fatalf("produce: %d %s", r.status, r.body)
			}
			for _, want := range []string{"WX19?XK", "Saw it from the gate", `"intelligence":"B"`, "Northmoor Police", "2026-11-18"} {
				if !strings.Contains(string(r.body), want) {
					t.Errorf("the form lacks %q: %s", want, r.body)
				}
			}
			for _, secret := range []string{"Her aunt", f.Teacher.ID} {
				if strings.Contains(string(r.body), secret) {
					t.Errorf("the form carries %q: %s", secret, r.body)
				}
			}
			form := decode[lantern.PoliceForm](t, r.body)
			r = e.as(f.Teacher, "GET", base, "")
			json.Unmarshal(r.body, &ch)
			if len(ch.Shares) != 1 || ch.Shares[0].ID != form.ID || len(ch.Shares[0].Items) != 2 || ch.Shares[0].ForceID != e.policeAgency.ID {
				t.Errorf("shares: %s", r.body)
			}
			// 422 naming the field; 404 for a child not seen; 403 for a chair,
			// who sees the child but records no intelligence.
			for body, want := range map[string]string{
				`{"agency_id": "` + e.policeAgency.ID + `", "purpose": "p", "items": ["link:nothing"]}`:     "items[0]",
				`{"agency_id": "` + f.School.ID + `", "purpose": "p", "items": ["vehicle:` + v + `"]}`:      "agency_id",
				`{"agency_id": "` + e.policeAgency.ID + `", "purpose": "", "items": ["vehicle:` + v + `"]}`: "purpose",
				`{"agency_id": "` + e.policeAgency.ID + `", "purpose": "p", "items": ["child:x"]}`:          "items[0]",
			} {
				r := e.as(f.Teacher, "POST", base, body)
				if got := problemFields(t, r); r.status != http.StatusUnprocessableEntity || len(got) != 1 || got[0] != want {
					t.Errorf("%s: %d %v, want 422 naming %s", body, r.status, got, want)
				}
			}
			if r := e.as(f.Teacher, "POST", "/api/v1/children/"+e.other.ID+"/police-form", body); r.status != http.StatusNotFound {
				t.Errorf("an unseen child: %d", r.status)
			}
			if r := e.as(e.chair, "POST", base, body); r.status != http.StatusForbidden {
				t.Errorf("a chair: %d %s", r.status, r.body)
			}
			if r := e.as(e.chair, "GET", base, ""); r.status != http.StatusForbidden {
				t.Errorf("a chair chooses: %d %s", r.status, r.body)
			}
		})
	}
}

func TestDisruptionAndPoliceFormPages(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newIntelEnv(t, d)
			tiny := e.person("Tiny")
			b := browserFor(t, e.srv, e.police.Email)
			wantPage(t, b.get("/intelligence/disruption/new?person="+tiny), 200, "Record disruption or prosecution", `value="`+tiny+`"`)
			// Every fault at once, each named in the summary.
			r := b.post("/intelligence/disruption/new", url.Values{"kind": {"arrest"}, "date-day": {"31"}, "date-month": {"2"}, "date-year": {"2026"},
				"person_id": {tiny}, "child-2": {e.older.ID}})
			wantPage(t, r, http.StatusUnprocessableEntity, errorSummary, `href="#date"`, `href="#role-2"`)
			r = b.post("/intelligence/disruption/new", url.Values{"kind": {"cawn"}, "date-day": {"20"}, "date-month": {"11"}, "date-year": {"2026"},
				"person_id": {tiny}, "child-2": {e.older.ID}, "role-2": {"protected"}})
			wantPage(t, r, http.StatusUnprocessableEntity, errorSummary, `href="#child-2"`, "under 18 and looked after")
			r = b.post("/intelligence/disruption/new", url.Values{"kind": {"cawn"}, "date-day": {"20"}, "date-month": {"11"}, "date-year": {"2026"},
				"person_id": {tiny}, "child-1": {e.child.ID}, "role-1": {"protected"}, "reference": {"CAWN/77"}})
			wantRedirect(t, r, "/intelligence/disruption?done=recorded")
			wantPage(t, b.get("/intelligence/disruption?done=recorded"), 200, "The disruption is recorded")
			wantPage(t, b.get("/intelligence/disruption?kind=cawn"), 200, "CAWN/77", "Amira Test", "Child abduction warning notice")
			wantPage(t, b.get("/intelligence/disruption?from=nonsense"), http.StatusUnprocessableEntity, errorSummary)
			r = b.get("/intelligence/disruption.csv?kind=cawn")
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.Contains(string(r.body), "CAWN/77") ||
				!strings.Contains(string(r.body), e.child.ID+":protected") {
				t.Errorf("csv: %d %s", r.status, r.body)
			}

			// The school's form about Amira, printed.
			v := decode[struct{ ID string }](t, e.as(e.f.Teacher, "POST", "/api/v1/vehicles", `{"vrm": "WX19 ?XK"}`).body).ID
			r = e.as(e.f.Teacher, "POST", "/api/v1/links", `{"from": {"type": "child", "id": "`+e.child.ID+`"}, "to": {"type": "vehicle", "id": "`+v+`"},
				"kind": "collected-from", "source": "Her aunt, by phone", "how_known": "Saw it from the gate"}`)
			if r.status != http.StatusCreated {
				t.Fatalf("link: %d %s", r.status, r.body)
			}
			sb := browserFor(t, e.srv, e.f.Teacher.Email)
			page := "/children/" + e.child.ID + "/police-form"
			wantPage(t, sb.get(page), 200, "Send intelligence to the police", "WX19?XK", "Northmoor Police", "None yet.")
			r = sb.post(page, url.Values{"agency_id": {e.policeAgency.ID}, "purpose": {"To prevent harm"}})
			wantPage(t, r, http.StatusUnprocessableEntity, errorSummary, `href="#items"`)
			r = sb.post(page, url.Values{"agency_id": {e.policeAgency.ID}, "purpose": {"To prevent harm"}, "items": {"vehicle:" + v}})
			wantPage(t, r, 200, "Partner intelligence form for Northmoor Police", "WX19?XK", "partial", "app-police-form")
			if strings.Contains(string(r.body), "Her aunt") {
				t.Error("the printed form carries the source")
			}
			wantPage(t, sb.get(page), 200, "To prevent harm", "Terry Teacher")
			if r := sb.get("/children/" + e.other.ID + "/police-form"); r.status != http.StatusNotFound {
				t.Errorf("an unseen child's form: %d", r.status)
			}
		})
	}
}
