package web_test

import (
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// The fixed points of information sharing, over HTTP: a share and a
// decision not to share, each bad one 422 naming its field; a seal that
// makes the child not found to others, everywhere they would look; and
// breaking the glass.
func TestSharingAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			user := func(email string, r lantern.Role) *lantern.User {
				u, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: email, Name: "Mx " + email[:strings.IndexByte(email, '@')],
					AgencyID: f.CSC.ID, Roles: []lantern.Role{r}})
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			mgr, coord := user("manager@csc.example.org", lantern.RoleManager), user("coord@csc.example.org", lantern.RoleCSECoordinator)
			c := e.createChild(f.SocialWorker, "Tamsin", "Sealwell")
			base := "/api/v1/children/" + c.ID

			r := e.as(f.SocialWorker, "POST", base+"/shares", `{"outcome": "shared", "to": "Riverside Academy", "what": "The toolkit",
				"purpose": "To plan support in school", "basis": "public-task", "consent": "not-sought", "reason": "Asking would alert the man involved"}`)
			if r.status != 201 {
				t.Fatalf("share: %d %s", r.status, r.body)
			}
			sh := decode[lantern.InformationShare](t, r.body)
			if sh.Basis != lantern.BasisPublicTask || sh.To != "Riverside Academy" || sh.SharedBy != f.SocialWorker.ID {
				t.Errorf("share: %+v", sh)
			}
			for _, tc := range []struct {
				body   string
				fields []string
			}{
				{`{"outcome": "shared", "to": "A", "what": "B", "purpose": "C", "consent": "given"}`, []string{"basis"}},
				{`{"outcome": "shared", "to": "A", "what": "B", "basis": "public-task", "consent": "given"}`, []string{"purpose"}},
				{`{"outcome": "shared", "to": "A", "what": "B", "purpose": "C", "basis": "public-task", "consent": "not-sought"}`, []string{"reason"}},
				{`{"outcome": "not-shared", "to": "A", "what": "B"}`, []string{"reason"}},
				{`{"outcome": "shared", "to": "A", "what": "B", "purpose": "C", "basis": "vibes", "consent": "given"}`, []string{"basis"}},
				{`{"outcome": "shared", "to": "A", "what": "B", "purpose": "C", "basis": "consent", "consent": "refused", "reason": "she said no to it"}`, []string{"consent"}},
				{`{"outcome": "shared", "to": "A", "what": "B", "purpose": "C", "basis": "public-task", "consent": "given", "shared_at": "yesterday"}`, []string{"shared_at"}},
			} {
				wantProblem(t, tc.body, e.as(f.SocialWorker, "POST", base+"/shares", tc.body), 422, tc.fields...)
			}
			r = e.as(f.SocialWorker, "POST", base+"/shares", `{"outcome": "not-shared", "to": "Hilltop youth club", "what": "Her address",
				"reason": "The club has no need to know where she lives"}`)
			if r.status != 201 {
				t.Fatalf("not shared: %d %s", r.status, r.body)
			}
			if r := e.as(f.SocialWorker, "GET", base+"/shares", ""); r.status != 200 || strings.Count(string(r.body), `"outcome"`) != 2 {
				t.Errorf("the child's shares: %d %s", r.status, r.body)
			}

			// Sealed: the social worker, the coordinator and the teacher no
			// longer find the child, in the record, the list or the search.
			wantProblem(t, "seal by a social worker", e.as(f.SocialWorker, "POST", base+"/seal", `{"reason": "A member of staff's child", "review_on": "2027-01-31"}`), 403)
			wantProblem(t, "seal with no date", e.as(mgr, "POST", base+"/seal", `{"reason": "A member of staff's child", "review_on": "soon"}`), 422, "review_on")
			r = e.as(mgr, "POST", base+"/seal", `{"reason": "A member of staff's child", "review_on": "2027-01-31"}`)
			if r.status != 201 {
				t.Fatalf("seal: %d %s", r.status, r.body)
			}
			for _, u := range []*lantern.User{f.SocialWorker, coord} {
				if r := e.as(u, "GET", base, ""); r.status != 404 {
					t.Errorf("%s reads the sealed child: %d", u.Name, r.status)
				}
				if r := e.as(u, "GET", "/api/v1/children?q=Sealwell", ""); r.status != 200 || strings.Contains(string(r.body), "Sealwell") {
					t.Errorf("%s's search finds the sealed child: %d %s", u.Name, r.status, r.body)
				}
			}
			if r := e.as(mgr, "GET", base, ""); r.status != 200 {
				t.Errorf("the sealing manager: %d", r.status)
			}

			// Breaking the glass.
			wantProblem(t, "a short reason", e.as(coord, "POST", base+"/break-glass", `{"reason": "urgent, sorry"}`), 422, "reason")
			if r := e.as(coord, "GET", base, ""); r.status != 404 {
				t.Errorf("after a refused break-glass: %d", r.status)
			}
			if r := e.as(f.Teacher, "POST", base+"/break-glass", `{"reason": "I need to read this record urgently now"}`); r.status != 404 {
				t.Errorf("a teacher not involved breaks the glass: %d %s", r.status, r.body)
			}
			r = e.as(coord, "POST", base+"/break-glass", `{"reason": "Seen tonight with a man named in another case"}`)
			if r.status != 201 {
				t.Fatalf("break-glass: %d %s", r.status, r.body)
			}
			if r := e.as(coord, "GET", base, ""); r.status != 200 {
				t.Errorf("after breaking the glass: %d", r.status)
			}
			e.clock.Add(lantern.BreakGlassFor)
			if r := e.as(coord, "GET", base, ""); r.status != 404 {
				t.Errorf("four hours after breaking the glass: %d", r.status)
			}
			if r := e.as(mgr, "GET", "/api/v1/break-glass", ""); r.status != 200 || !strings.Contains(string(r.body), coord.ID) {
				t.Errorf("the review list: %d %s", r.status, r.body)
			}
		})
	}
}
