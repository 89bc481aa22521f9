package web_test

import (
	"fmt"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// The strategy action plan and the register over HTTP: each bad request
// 422 naming its field (amber or red with no rationale, an unknown lead, a
// rating better than the dates suggest with no reason, a document that
// would replace itself or one that replaces it), a stale version 409, and
// nothing changed by any of them; the board view and the chain.
func TestStrategyAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			coord, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "coord@csc.example.org", Name: "Casey Coordinator",
				AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleCSECoordinator}})
			if err != nil {
				t.Fatal(err)
			}
			r := e.as(coord, "POST", "/api/v1/strategy/strands", `{"number": 1, "title": "Prevention and response"}`)
			if r.status != 201 {
				t.Fatalf("strand: %d %s", r.status, r.body)
			}
			strand := decode[lantern.Strand](t, r.body)
			due := lantern.Today(e.clock.Now()).AddDays(-5) // overdue
			r = e.as(coord, "POST", "/api/v1/strategy/actions", fmt.Sprintf(`{"strand_id": %q, "reference": "1.1", "description": "Training programme",
				"lead": %q, "agency": "Training group", "due_on": %q}`, strand.ID, coord.ID, due))
			if r.status != 201 {
				t.Fatalf("action: %d %s", r.status, r.body)
			}
			a := decode[lantern.PlanAction](t, r.body)
			if a.Suggested != lantern.PlanRed || a.LeadName != "Casey Coordinator" || a.Version != 1 {
				t.Errorf("the action: %+v", a)
			}
			today := lantern.Today(e.clock.Now()).String()
			base := "/api/v1/strategy/actions/" + a.ID
			for _, tc := range []struct {
				method, path, body string
				status             int
				fields             []string
			}{
				{"POST", "/api/v1/strategy/actions", `{"strand_id": "` + strand.ID + `", "reference": "1.2", "description": "X", "lead": "nobody"}`, 422, []string{"lead"}},
				{"POST", "/api/v1/strategy/actions", `{"strand_id": "` + strand.ID + `", "reference": "1.2", "description": "X", "lead": "` + coord.ID + `", "due_on": "soon"}`, 422, []string{"due_on"}},
				{"POST", base + "/notes", `{"on": "today", "text": "Booked", "rag": "blue", "version": 1}`, 422, []string{"on"}},
				{"PUT", base, `{"strand_id": "` + strand.ID + `", "reference": "1.1", "description": "X", "lead": "` + f.Teacher.ID + `", "version": 9}`, 409, nil},
				{"PUT", base, `{"strand_id": "` + strand.ID + `", "reference": "1.1", "description": "X", "lead": "gone", "version": 1}`, 422, []string{"lead"}},
				{"POST", base + "/notes", `{"on": "` + today + `", "text": "Trainer left", "rag": "amber", "version": 1}`, 422, []string{"rationale", "override_reason"}},
				{"POST", base + "/notes", `{"on": "` + today + `", "text": "Trainer left", "rag": "red", "rationale": " ", "version": 1}`, 422, []string{"rationale"}},
				{"POST", base + "/notes", `{"on": "` + today + `", "text": "Booked", "rag": "green", "version": 1}`, 422, []string{"override_reason"}},
				{"POST", base + "/notes", `{"on": "` + today + `", "text": "Booked", "rag": "purple", "version": 1}`, 422, []string{"rag"}},
				{"POST", base + "/notes", `{"on": "` + today + `", "text": "Off track", "rag": "red", "rationale": "No venue", "version": 0}`, 409, nil},
				{"POST", "/api/v1/strategy/boards", `{"title": "", "held_on": "` + today + `"}`, 422, []string{"title"}},
			} {
				wantProblem(t, tc.method+" "+tc.path+" "+tc.body, e.as(coord, tc.method, tc.path, tc.body), tc.status, tc.fields...)
			}
			if r := e.as(coord, "GET", base, ""); r.status != 200 || decode[lantern.PlanAction](t, r.body).Version != 1 {
				t.Errorf("after the refusals: %d %s", r.status, r.body)
			}
			if r := e.as(f.Teacher, "GET", "/api/v1/strategy", ""); r.status != 403 {
				t.Errorf("a teacher reads the plan: %d", r.status)
			}
			r = e.as(coord, "POST", "/api/v1/strategy/boards", `{"title": "Partnership executive", "held_on": "`+today+`"}`)
			if r.status != 201 {
				t.Fatalf("board: %d %s", r.status, r.body)
			}
			r = e.as(coord, "POST", base+"/notes", `{"on": "`+today+`", "text": "No venue yet", "rag": "red", "rationale": "The venue fell through", "version": 1}`)
			if r.status != 201 {
				t.Fatalf("note: %d %s", r.status, r.body)
			}
			r = e.as(coord, "GET", "/api/v1/strategy/board", "")
			v := decode[lantern.BoardView](t, r.body)
			if r.status != 200 || v.Since == nil || len(v.Changes) != 1 || v.Changes[0].Was != lantern.PlanUnrated || v.Changes[0].Now != lantern.PlanRed ||
				v.Counts[0].Counts[lantern.PlanRed] != 1 {
				t.Errorf("the board view: %d %s", r.status, r.body)
			}

			// The register.
			doc := func(body string) lantern.PolicyDocument {
				t.Helper()
				r := e.as(coord, "POST", "/api/v1/policies", body)
				if r.status != 201 {
					t.Fatalf("document: %d %s", r.status, r.body)
				}
				return decode[lantern.PolicyDocument](t, r.body)
			}
			first := doc(`{"title": "Tip of the iceberg", "scope": "multi-agency", "issued_on": "2001-06-01", "owner": "The board", "status": "current"}`)
			second := doc(`{"title": "Practice guidance", "scope": "multi-agency", "issued_on": "2011-11-01", "owner": "The board", "status": "current",
				"replaces": ["` + first.ID + `"]}`)
			put := func(replaces string, version int) string {
				return fmt.Sprintf(`{"title": "Tip of the iceberg", "scope": "multi-agency", "issued_on": "2001-06-01", "owner": "The board",
					"status": "current", "replaces": [%s], "version": %d}`, replaces, version)
			}
			for _, tc := range []struct {
				method, path, body string
				status             int
				fields             []string
			}{
				{"PUT", "/api/v1/policies/" + first.ID, put(`"`+first.ID+`"`, 1), 422, []string{"replaces"}},
				{"PUT", "/api/v1/policies/" + first.ID, put(`"`+second.ID+`"`, 1), 422, []string{"replaces"}},
				{"PUT", "/api/v1/policies/" + first.ID, put(`"nothing"`, 1), 422, []string{"replaces"}},
				{"PUT", "/api/v1/policies/" + first.ID, put(``, 7), 409, nil},
				{"POST", "/api/v1/policies", `{"title": "X", "scope": "everyone", "issued_on": "2020-01-01", "owner": "Y", "status": "superseded"}`, 422, []string{"scope", "status"}},
				{"GET", "/api/v1/policies?sort=colour", ``, 422, []string{"sort"}},
			} {
				wantProblem(t, tc.method+" "+tc.path+" "+tc.body, e.as(coord, tc.method, tc.path, tc.body), tc.status, tc.fields...)
			}
			r = e.as(coord, "GET", "/api/v1/policies/"+first.ID, "")
			got := decode[lantern.PolicyDocument](t, r.body)
			if r.status != 200 || got.Shown != lantern.DocSuperseded || got.Version != 1 || len(got.Later) != 1 || got.Later[0].ID != second.ID || len(got.Replaces) != 0 {
				t.Errorf("the first document after the refusals: %d %s", r.status, r.body)
			}
			r = e.as(coord, "GET", "/api/v1/policies?status=superseded", "")
			if r.status != 200 || !strings.Contains(string(r.body), "Tip of the iceberg") || strings.Contains(string(r.body), "Practice guidance") {
				t.Errorf("superseded documents: %d %s", r.status, r.body)
			}
		})
	}
}
