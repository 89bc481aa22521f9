package web_test

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store"
	"lantern/store/storetest"
)

type itemJSON struct {
	ID         string `json:"id"`
	ChildID    string `json:"child_id"`
	Name       string `json:"name"`
	Postcode   string `json:"postcode"`
	FromDate   string `json:"from_date"`
	ToDate     any    `json:"to_date"`
	Current    bool   `json:"current"`
	AgencyName string `json:"agency_name"`
}

// created checks a 201 with a Location under the child's list and returns
// the item.
func wantCreated(t *testing.T, r response, childID, list string) itemJSON {
	t.Helper()
	if r.status != http.StatusCreated {
		t.Fatalf("status = %d, want 201: %s", r.status, r.body)
	}
	it := decode[itemJSON](t, r.body)
	if want := "/api/v1/children/" + childID + "/" + list + "/" + it.ID; r.header.Get("Location") != want || it.ID == "" {
		t.Errorf("Location = %q, want %q", r.header.Get("Location"), want)
	}
	return it
}

func listLen(t *testing.T, r response, key string) int {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("list %s: %d %s", key, r.status, r.body)
	}
	var v map[string][]json.RawMessage
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("list %s: %v in %s", key, err, r.body)
	}
	l, ok := v[key]
	if !ok || l == nil {
		t.Fatalf("list %s: no list in %s", key, r.body)
	}
	return len(l)
}

func TestChildListsAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			child := e.createChild(f.Teacher, "List", "Child")
			second := e.createChild(f.Teacher, "Second", "Child")
			hidden := e.createChild(f.OtherTeacher, "Hidden", "Pupil") // the teacher's school may not see it
			ids := strings.NewReplacer("{child}", child.ID, "{second}", second.ID, "{hidden}", hidden.ID)
			base := "/api/v1/children/{child}/"

			e.run(t, ids, []apiScenario{
				{name: "no credentials", method: "GET", path: base + "names", wantStatus: 401},
				{name: "another school cannot list", method: "GET", path: base + "addresses", as: other, wantStatus: 404},
				{name: "another school cannot add", method: "POST", path: base + "names", as: other,
					body: `{"name": "Sneaky", "kind": "alias"}`, wantStatus: 404},
				{name: "another school with bad input is still not found", method: "POST", path: base + "names", as: other,
					body: `{"name": "", "kind": "x"}`, wantStatus: 404},
				{name: "no such child", method: "GET", path: "/api/v1/children/0190f0f0-0000-7000-8000-000000000000/siblings", as: teacher, wantStatus: 404},
				{name: "administrators see no child", method: "GET", path: base + "family", as: admin, wantStatus: 404},
				{name: "unknown field", method: "POST", path: base + "names", as: teacher,
					body: `{"name": "Jay", "kind": "alias", "name_key": "J"}`, wantStatus: 400, wantFields: []string{"name_key"}},
				{name: "wrong type", method: "POST", path: base + "family", as: teacher,
					body: `{"name": "Pat", "relationship": "mother", "lives_with": "yes"}`, wantStatus: 400, wantFields: []string{"lives_with"}},
				{name: "name problems", method: "POST", path: base + "names", as: teacher,
					body: `{"name": " ", "kind": "surname"}`, wantStatus: 422, wantFields: []string{"name", "kind"}},
				{name: "a date that is not one", method: "POST", path: base + "addresses", as: teacher,
					body: `{"address": "1 Road", "from_date": "2020-13-01", "to_date": "31/12/2021"}`, wantStatus: 422, wantFields: []string{"from_date", "to_date"}},
				{name: "address problems", method: "POST", path: base + "addresses", as: teacher,
					body: `{"address": "", "postcode": "NOT A POSTCODE", "from_date": "2027-01-01"}`, wantStatus: 422, wantFields: []string{"address", "postcode", "from_date"}},
				{name: "a school ending before it starts", method: "POST", path: base + "schools", as: teacher,
					body: `{"school": "Riverside Academy", "from_date": "2022-09-01", "to_date": "2021-07-20"}`, wantStatus: 422, wantFields: []string{"to_date"}},
				{name: "a school with an address", method: "POST", path: base + "schools", as: teacher,
					body: `{"school": "Riverside Academy", "from_date": "2022-09-01", "address": "x"}`, wantStatus: 422, wantFields: []string{"address"}},
				{name: "professional problems", method: "POST", path: base + "professionals", as: teacher,
					body: `{"agency_id": "no-such-agency", "name": "", "email": "nope", "phone": "ring me"}`, wantStatus: 422,
					wantFields: []string{"agency_id", "name", "email", "phone"}},
				{name: "family problems", method: "POST", path: base + "family", as: teacher,
					body: `{"name": "Pat", "relationship": "uncle"}`, wantStatus: 422, wantFields: []string{"relationship"}},
				{name: "self as sibling", method: "POST", path: base + "siblings", as: teacher,
					body: `{"sibling_id": "{child}"}`, wantStatus: 422, wantFields: []string{"sibling_id"}},
				{name: "a hidden child as sibling", method: "POST", path: base + "siblings", as: teacher,
					body: `{"sibling_id": "{hidden}"}`, wantStatus: 422, wantFields: []string{"sibling_id"}, wantDetail: []string{"that you can see"}},
				{name: "remove what is not there", method: "DELETE", path: base + "names/0190f0f0-0000-7000-8000-000000000000", as: teacher, wantStatus: 404},
				{name: "the auditor cannot add", method: "POST", path: base + "names", as: auditor,
					body: `{"name": "Jay", "kind": "alias"}`, wantStatus: 404},
			})
			e.t = t

			// Add one of each, read them back, remove them.
			name := wantCreated(t, e.as(f.Teacher, "POST", "/api/v1/children/"+child.ID+"/names", `{"name": " Jay ", "kind": "nickname"}`), child.ID, "names")
			if name.Name != "Jay" || name.ChildID != child.ID {
				t.Errorf("name = %+v", name)
			}
			addr := wantCreated(t, e.as(f.Teacher, "POST", "/api/v1/children/"+child.ID+"/addresses",
				`{"address": "2 New Street\nNorthmoor", "postcode": "nm1 1aa", "from_date": "2022-01-01", "to_date": null}`), child.ID, "addresses")
			if addr.Postcode != "NM1 1AA" || !addr.Current || addr.ToDate != nil || addr.FromDate != "2022-01-01" {
				t.Errorf("address = %+v", addr)
			}
			wantCreated(t, e.as(f.Teacher, "POST", "/api/v1/children/"+child.ID+"/schools", `{"school": "Riverside Academy", "from_date": "2022-09-01"}`), child.ID, "schools")
			fam := wantCreated(t, e.as(f.Teacher, "POST", "/api/v1/children/"+child.ID+"/family",
				`{"name": "Pat Child", "relationship": "mother", "parental_responsibility": true, "lives_with": true, "notes": ""}`), child.ID, "family")

			// A professional of the other school lets that school in.
			if r := e.as(f.OtherTeacher, "GET", "/api/v1/children/"+child.ID, ""); r.status != 404 {
				t.Fatalf("before: the other school got %d", r.status)
			}
			prof := wantCreated(t, e.as(f.Teacher, "POST", "/api/v1/children/"+child.ID+"/professionals",
				`{"agency_id": "`+f.Other.ID+`", "name": "Hil Head", "role": "Head teacher", "email": "head@hilltop.example.org", "phone": "01632 960 002"}`),
				child.ID, "professionals")
			if prof.AgencyName != f.Other.Name {
				t.Errorf("professional = %+v", prof)
			}
			if r := e.as(f.OtherTeacher, "GET", "/api/v1/children/"+child.ID, ""); r.status != 200 {
				t.Fatalf("after adding its professional, the other school got %d", r.status)
			}

			for list, want := range map[string]int{"names": 1, "addresses": 1, "schools": 1, "professionals": 1, "family": 1, "siblings": 0} {
				if n := listLen(t, e.as(f.Teacher, "GET", "/api/v1/children/"+child.ID+"/"+list, ""), list); n != want {
					t.Errorf("%s has %d, want %d", list, n, want)
				}
			}

			// Siblings: symmetric, no duplicates, unlinked both ways.
			sib := e.as(f.Teacher, "POST", "/api/v1/children/"+child.ID+"/siblings", `{"sibling_id": "`+second.ID+`"}`)
			if got := wantCreated(t, sib, child.ID, "siblings"); got.ID != second.ID {
				t.Errorf("linked %+v", got)
			}
			if n := listLen(t, e.as(f.Teacher, "GET", "/api/v1/children/"+second.ID+"/siblings", ""), "siblings"); n != 1 {
				t.Errorf("the link is not both ways: %d", n)
			}
			r := e.as(f.Teacher, "POST", "/api/v1/children/"+second.ID+"/siblings", `{"sibling_id": "`+child.ID+`"}`)
			if p := checkProblem(t, r, 409); len(p.Errors) != 1 || p.Errors[0].Field != "sibling_id" {
				t.Errorf("duplicate link: %+v", p)
			}
			// Another child's item is not found through this child.
			if r := e.as(f.Teacher, "DELETE", "/api/v1/children/"+second.ID+"/names/"+name.ID, ""); r.status != 404 {
				t.Errorf("removing another child's name: %d", r.status)
			}
			for _, del := range []string{"names/" + name.ID, "addresses/" + addr.ID, "family/" + fam.ID, "professionals/" + prof.ID, "siblings/" + second.ID} {
				r := e.as(f.Teacher, "DELETE", "/api/v1/children/"+child.ID+"/"+del, "")
				if r.status != http.StatusNoContent || len(r.body) != 0 {
					t.Errorf("DELETE %s: %d %s", del, r.status, r.body)
				}
				if r := e.as(f.Teacher, "DELETE", "/api/v1/children/"+child.ID+"/"+del, ""); r.status != 404 {
					t.Errorf("DELETE %s again: %d", del, r.status)
				}
			}
			if n := listLen(t, e.as(f.Teacher, "GET", "/api/v1/children/"+second.ID+"/siblings", ""), "siblings"); n != 0 {
				t.Errorf("unlinked only one way: %d", n)
			}
			if n := auditCount(t, e.srv.Store, f, store.AuditFilter{ChildID: child.ID, Action: "child.alias.remove"}); n != 1 {
				t.Errorf("child.alias.remove entries = %d", n)
			}
		})
	}
}

func TestChildListsPages(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := startEnv(t, d, apptest.Options{})
			srv, f := e.srv, e.f
			child := e.createChild(f.Teacher, "Page", "Child")
			sibling := e.createChild(f.Teacher, "Sister", "Child")
			b := browserFor(t, srv, f.Teacher.Email)
			ctx := storetest.As(f.Teacher)
			base := "/children/" + child.ID
			// What the child's page is checked for at the end; each is done
			// by its subtest, or by the test when that is not run.
			address := newStep("an address", func(t *testing.T) struct{} {
				wantRedirect(t, b.post(base+"/addresses/new", url.Values{"address": {"1 Road\r\nNorthmoor"}, "postcode": {"sw1a1aa"},
					"from-day": {"1"}, "from-month": {"3"}, "from-year": {"2020"}}), base+"?done=saved#addresses")
				return struct{}{}
			})
			professional := newStep("a professional", func(t *testing.T) struct{} {
				wantRedirect(t, b.post(base+"/professionals/new", url.Values{"agency_id": {f.Other.ID}, "name": {"Hil Head"}}), base+"?done=saved#professionals")
				return struct{}{}
			})
			family := newStep("a family member", func(t *testing.T) struct{} {
				wantRedirect(t, b.post(base+"/family/new", url.Values{"name": {"Pat"}, "relationship": {"mother"}, "lives_with": {"yes"},
					"parental_responsibility": {"no"}}), base+"?done=saved#family")
				return struct{}{}
			})

			t.Run("a merged record offers no forms", func(t *testing.T) {
				dup := e.createChild(f.Teacher, "Page", "Duplicate")
				mgr, err := srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "lists.manager@csc.example.org", Name: "Lists Manager",
					AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleManager, lantern.RoleSocialWorker}})
				if err != nil {
					t.Fatal(err)
				}
				keep := e.createChild(f.Teacher, "Page", "Kept")
				if _, err := srv.Store.MergeChildren(storetest.As(mgr), keep.ID, dup.ID, keep.Version, dup.Version); err != nil {
					t.Fatal(err)
				}
				for _, path := range []string{"/names/new", "/addresses/new", "/siblings/new"} {
					wantPage(t, b.get("/children/"+dup.ID+path), 409, "merged into another")
				}
			})

			t.Run("other names", func(t *testing.T) {
				wantPage(t, b.get(base+"/names/new"), 200, "Add another name", `name="kind"`, `value="street-name"`)
				r := b.post(base+"/names/new", url.Values{"name": {`<b>"Jay"</b>`}, "kind": {"surname"}})
				wantPage(t, r, 422, errorSummary, "Select the kind of name", `href="#kind"`, `value="&lt;b&gt;&#34;Jay&#34;&lt;/b&gt;"`)
				if strings.Contains(string(r.body), `<b>"Jay"</b>`) {
					t.Errorf("the name is not escaped")
				}
				wantRedirect(t, b.post(base+"/names/new", url.Values{"name": {"Jay"}, "kind": {"nickname"}}), base+"?done=saved#other-names")
				l, err := srv.Store.ChildLists(ctx, child.ID)
				if err != nil || len(l.Names) != 1 || l.Names[0].Name != "Jay" {
					t.Fatalf("stored: %+v %v", l, err)
				}
				wantRedirect(t, b.post(base+"/names/"+l.Names[0].ID+"/remove", nil), base+"?done=saved#other-names")
				wantPage(t, b.post(base+"/names/"+l.Names[0].ID+"/remove", nil), 404)
			})

			t.Run("addresses keep the dates given", func(t *testing.T) {
				r := b.post(base+"/addresses/new", url.Values{"address": {"1 Road"}, "postcode": {"sw1a1aa"},
					"from-day": {"31"}, "from-month": {"2"}, "from-year": {"2020"}, "to-day": {"1"}, "to-month": {"1"}, "to-year": {"2030"}})
				wantPage(t, r, 422, errorSummary, "The start date must be a real date", "The end date must be today or in the past",
					`href="#from_date"`, `id="from_date" name="from-day"`, `value="31"`, `value="2030"`, `value="sw1a1aa"`)
				r = b.post(base+"/addresses/new", url.Values{"address": {""}, "from-day": {"x"}})
				wantPage(t, r, 422, "Enter the address", "The start date must be a real date")
				// The summary lists the problems in the form's order.
				if a, d := strings.Index(string(r.body), `href="#address"`), strings.Index(string(r.body), `href="#from_date"`); a < 0 || d < a {
					t.Errorf("the error summary is not in the form's order")
				}
				address.take(t)
				l, _ := srv.Store.ChildLists(ctx, child.ID)
				if len(l.Addresses) != 1 || l.Addresses[0].Postcode != "SW1A 1AA" || l.Addresses[0].From != (lantern.Date{Year: 2020, Month: 3, Day: 1}) {
					t.Errorf("stored: %+v", l.Addresses)
				}
			})
			address.take(t)

			t.Run("a professional's agency is chosen from the list", func(t *testing.T) {
				wantPage(t, b.get(base+"/professionals/new"), 200, "Hilltop School", "will then be able to see this record")
				r := b.post(base+"/professionals/new", url.Values{"agency_id": {"nope"}, "name": {"Hil Head"}, "email": {"bad"}})
				wantPage(t, r, 422, "Select the professional&#39;s agency from the list", "Enter an email address in the correct format", `value="Hil Head"`)
				professional.take(t)
				if _, err := srv.Store.FindChildByID(storetest.As(f.OtherTeacher), child.ID); err != nil {
					t.Errorf("the other school cannot see the child: %v", err)
				}
			})
			professional.take(t)

			t.Run("family needs yes or no", func(t *testing.T) {
				r := b.post(base+"/family/new", url.Values{"name": {"Pat"}, "relationship": {"mother"}, "lives_with": {"yes"}})
				wantPage(t, r, 422, "Select yes if the person has parental responsibility")
				if !regexp.MustCompile(`id="lives_with"[^>]*checked`).Match(r.body) || !regexp.MustCompile(`id="relationship"[^>]*checked`).Match(r.body) {
					t.Errorf("the choices were not kept")
				}
				family.take(t)
			})
			family.take(t)

			t.Run("linking a sibling", func(t *testing.T) {
				r := b.get(base + "/siblings/new?q=child")
				wantPage(t, r, 200, "Sister Child", `name="sibling_id" value="`+sibling.ID+`"`, "This child")
				wantRedirect(t, b.post(base+"/siblings/new", url.Values{"sibling_id": {sibling.ID}, "q": {"child"}}), base+"?done=saved#siblings")
				wantPage(t, b.get(base+"/siblings/new?q=sister"), 200, "Already linked")
				r = b.post(base+"/siblings/new", url.Values{"sibling_id": {sibling.ID}, "q": {"sister"}})
				wantPage(t, r, 409, errorSummary, "already linked", `href="#q"`)
				wantRedirect(t, b.post(base+"/siblings/"+sibling.ID+"/remove", nil), base+"?done=saved#siblings")
			})

			t.Run("the child's page still renders", func(t *testing.T) {
				r := b.get(base)
				wantPage(t, r, 200)
				// Once the page fills in Data.Lists, the cards show.
				if strings.Contains(string(r.body), `id="professionals"`) {
					wantPage(t, r, 200, "Hil Head", "Hilltop School", "Pat", `action="`+base+"/addresses/")
				} else {
					t.Log("the child's page does not show the lists yet: Data.Lists is not filled in")
				}
			})

			t.Run("others cannot reach the forms", func(t *testing.T) {
				other := browserFor(t, srv, f.Auditor.Email)
				wantPage(t, other.get(base+"/names/new"), 404)
				wantPage(t, other.post(base+"/names/new", url.Values{"name": {"X"}, "kind": {"alias"}}), 404)
				wantPage(t, other.get(base+"/siblings/new"), 404)
			})
		})
	}
}

// TestChildListsTemplate renders the child page's lists from the template
// files, given the page or its data map, as child.html may pass either.
func TestChildListsTemplate(t *testing.T) {
	funcs := template.FuncMap{
		"date": func(d lantern.Date) string { return d.Format() },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
	}
	src, err := os.ReadFile("templates/partials_child_lists.html")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := template.Must(template.New("t").Funcs(funcs).Parse(string(src)))
	c := &lantern.Child{ID: "c1", GivenName: "A", FamilyName: "B"}
	lists := &lantern.ChildLists{ChildID: "c1",
		Names:     []*lantern.OtherName{{ID: "n1", Name: `<script>alert("x")</script>`, Kind: "alias"}},
		Addresses: []*lantern.Address{{ID: "a1", Address: "1 Road\nTown", Postcode: "SW1A 1AA", From: lantern.Date{Year: 2020, Month: 1, Day: 2}, Current: true}},
		Professionals: []*lantern.Professional{{ID: "p1", AgencyName: "Hilltop School", Name: "Hil Head", Role: "Head",
			Email: "head@example.org"}},
		Family:   []*lantern.FamilyMember{{ID: "f1", Name: "Pat", Relationship: "foster-carer", LivesWith: true}},
		Siblings: []*lantern.Child{{ID: "s1", GivenName: "Sis", FamilyName: "B", DateOfBirth: lantern.Date{Year: 2014, Month: 5, Day: 6}}},
	}
	data := map[string]any{"Child": c, "Lists": lists, "CanEdit": true}
	for name, dot := range map[string]any{"page": struct{ Data any }{data}, "data": data} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tmpl.ExecuteTemplate(&buf, "child-lists", dot); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, want := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", "Alias", "1 Road<br>Town<br>SW1A 1AA", "Since 2 January 2020",
				"Current address", "Hilltop School", "mailto:head@example.org", "Foster carer", "The child lives with them",
				"Does not have parental responsibility", `href="/children/s1"`, "Born 6 May 2014", `action="/children/c1/names/n1/remove"`,
				`action="/children/c1/siblings/s1/remove"`, `href="/children/c1/professionals/new"`, "can then see this record",
				"No schools recorded"} {
				if !strings.Contains(out, want) {
					t.Errorf("lists lack %q", want)
				}
			}
			if strings.Contains(out, "<script>") {
				t.Errorf("unescaped script")
			}
		})
	}
	// Without the right to change, no forms.
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "child-lists", map[string]any{"Child": c, "Lists": lists, "CanEdit": false}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<form") || strings.Contains(buf.String(), "/new") {
		t.Errorf("a reader is offered changes")
	}
	// With no lists (not filled in), nothing.
	buf.Reset()
	if err := tmpl.ExecuteTemplate(&buf, "child-lists", map[string]any{"Child": c}); err != nil || strings.TrimSpace(buf.String()) != "" {
		t.Errorf("no lists: %q %v", buf.String(), err)
	}
}
