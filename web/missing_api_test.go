package web_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// Missing episodes through the API, in the shapes of docs/api.md.

type episodeJSON struct {
	ID         string     `json:"id"`
	Version    int        `json:"version"`
	ReturnedAt *time.Time `json:"returned_at"`
	Tasks      []struct {
		Clock  string    `json:"clock"`
		Status string    `json:"status"`
		DueAt  time.Time `json:"due_at"`
	} `json:"tasks"`
	Interview *struct {
		ChildSaid  string `json:"child_said"`
		Restricted bool   `json:"child_said_restricted"`
	} `json:"return_interview"`
}

// wantProblem checks r is a problem of status naming exactly fields.
func wantProblem(t *testing.T, what string, r response, status int, fields ...string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d: %s", what, r.status, status, r.body)
		return
	}
	got, want := checkProblem(t, r, status).fields(), slices.Clone(fields)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: fields %q, want %q: %s", what, got, want, r.body)
	}
}

func TestMissingAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			mgr, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "manager@csc.example.org", Name: "Mo Manager",
				AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleManager}})
			if err != nil {
				t.Fatal(err)
			}
			child := e.createChild(f.SocialWorker, "Mia", "Missing")
			base := "/api/v1/children/" + child.ID + "/missing-episodes"

			// Recorded with its return: the 72-hour task. The test server's
			// clock is 22 November 2026 at 10:00 UTC (GMT in London).
			r := e.as(f.SocialWorker, "POST", base, `{"missing_from": "2026-11-19T18:00:00Z", "returned_at": "2026-11-20T09:30:00Z"}`)
			if r.status != http.StatusCreated {
				t.Fatalf("POST returned: %d %s", r.status, r.body)
			}
			first := decode[episodeJSON](t, r.body)
			if first.ID == "" || len(first.Tasks) != 1 || first.Tasks[0].Clock != "return-interview" || first.Tasks[0].Status != "open" ||
				!first.Tasks[0].DueAt.Equal(time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)) {
				t.Errorf("POST returned: %s, want an id and a return-interview task due 72 hours later", r.body)
			}
			if loc := r.header.Get("Location"); loc != base+"/"+first.ID {
				t.Errorf("Location %q", loc)
			}

			// Still missing: no task yet.
			r = e.as(f.SocialWorker, "POST", base, `{"missing_from": "2026-11-21T18:00:00+00:00", "kind": "missing", "presentation": []}`)
			if r.status != http.StatusCreated || !strings.Contains(string(r.body), `"tasks":[]`) {
				t.Fatalf("POST open: %d %s, want 201 with no tasks", r.status, r.body)
			}
			open := decode[episodeJSON](t, r.body)

			// Refusals.
			wantProblem(t, "no body fields", e.as(f.SocialWorker, "POST", base, `{}`), 422, "missing_from")
			wantProblem(t, "times that are not RFC 3339", e.as(f.SocialWorker, "POST", base,
				`{"missing_from": "yesterday", "returned_at": "2026-11-20 09:30", "reported_at": "2026-13-01T00:00:00Z"}`), 422, "missing_from", "returned_at", "reported_at")
			wantProblem(t, "a time that is a number", e.as(f.SocialWorker, "POST", base, `{"missing_from": 5}`), 400, "missing_from")
			wantProblem(t, "an unknown presentation", e.as(f.SocialWorker, "POST", base,
				`{"missing_from": "2026-11-01T18:00:00Z", "returned_at": "2026-11-01T20:00:00Z", "presentation": ["injuries", "sunburn"]}`), 422, "presentation")
			wantProblem(t, "return before start", e.as(f.SocialWorker, "POST", base,
				`{"missing_from": "2026-11-01T18:00:00Z", "returned_at": "2026-11-01T17:00:00Z"}`), 422, "returned_at")
			wantProblem(t, "overlapping the open episode", e.as(f.SocialWorker, "POST", base, `{"missing_from": "2026-11-22T08:00:00Z"}`), 422, "missing_from")
			wantProblem(t, "years ahead", e.as(f.SocialWorker, "PATCH", base+"/"+open.ID, `{"returned_at": "2033-11-23T08:00:00Z", "version": 1}`), 422, "returned_at")
			wantProblem(t, "PATCH with neither", e.as(f.SocialWorker, "PATCH", base+"/"+open.ID, `{"returned_at": "soon"}`), 422, "returned_at", "version")

			// The return.
			r = e.as(f.SocialWorker, "PATCH", base+"/"+open.ID, `{"returned_at": "2026-11-22T08:00:00Z", "version": 1}`)
			if r.status != http.StatusOK {
				t.Fatalf("PATCH: %d %s", r.status, r.body)
			}
			back := decode[episodeJSON](t, r.body)
			if back.Version != 2 || back.ReturnedAt == nil || len(back.Tasks) != 1 || back.Tasks[0].Clock != "return-interview" ||
				!back.Tasks[0].DueAt.Equal(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)) {
				t.Errorf("PATCH: %s, want version 2 and the return-interview task", r.body)
			}
			for _, v := range []int{1, 2} {
				r = e.as(f.SocialWorker, "PATCH", base+"/"+open.ID, `{"returned_at": "2026-11-22T09:00:00Z", "version": `+strconv.Itoa(v)+`}`)
				wantProblem(t, "PATCH again, version "+strconv.Itoa(v), r, 409)
				if !strings.Contains(string(r.body), `"current":{"id":"`+open.ID) {
					t.Errorf("409 without the episode as it is: %s", r.body)
				}
			}

			// The interview: what the young person said is for those who
			// need it.
			hidden := e.createChild(f.Teacher, "Hana", "Hidden")
			hbase := "/api/v1/children/" + hidden.ID + "/missing-episodes"
			r = e.as(f.Teacher, "POST", hbase, `{"missing_from": "2026-11-19T18:00:00Z", "returned_at": "2026-11-20T09:30:00Z"}`)
			if r.status != http.StatusCreated {
				t.Fatalf("POST as the school: %d %s", r.status, r.body)
			}
			he := decode[episodeJSON](t, r.body)
			r = e.as(f.SocialWorker, "POST", hbase+"/"+he.ID+"/interview",
				`{"held_at": "2026-11-21T10:00:00Z", "held_by": "Ivy Independent", "child_said": "I was at his flat", "follow_up": ["new-concern"]}`)
			if r.status != http.StatusOK || !strings.Contains(string(r.body), "I was at his flat") {
				t.Fatalf("interview: %d %s", r.status, r.body)
			}
			r = e.as(f.Teacher, "GET", hbase+"/"+he.ID, "")
			if got := decode[episodeJSON](t, r.body); r.status != 200 || got.Interview == nil || got.Interview.ChildSaid != "" || !got.Interview.Restricted ||
				strings.Contains(string(r.body), "his flat") {
				t.Errorf("the school reads the interview as %s", r.body)
			}
			// The episode is read with the tasks it started: the interview,
			// held, ended its clock; what follows (a new concern) is work.
			if got := decode[episodeJSON](t, r.body); len(got.Tasks) != 2 || got.Tasks[0].Clock != "return-interview" || got.Tasks[0].Status != "done" ||
				got.Tasks[1].Clock != "work" || got.Tasks[1].Status != "open" {
				t.Errorf("the episode's tasks as read: %+v", got.Tasks)
			}
			r = e.as(f.Teacher, "GET", "/api/v1/children/"+hidden.ID+"/tasks", "")
			if !strings.Contains(string(r.body), `"status":"done"`) {
				t.Errorf("after the interview, the tasks are %s", r.body)
			}

			// A child the caller cannot see is not found, whatever is asked.
			for _, c := range []struct{ method, path, body string }{
				{"GET", hbase, ""},
				{"GET", hbase + "/" + he.ID, ""},
				{"POST", hbase, `{"missing_from": "2026-11-01T18:00:00Z"}`},
				{"PATCH", hbase + "/" + he.ID, `{"returned_at": "2026-11-22T08:00:00Z", "version": 1}`},
				{"POST", hbase + "/" + he.ID + "/interview", `{"not_held_reason": "declined"}`},
			} {
				wantProblem(t, c.method+" "+c.path+" as the other school", e.as(f.OtherTeacher, c.method, c.path, c.body), 404)
			}

			// The figures: for managers, not practitioners.
			wantProblem(t, "figures as a practitioner", e.as(f.Teacher, "GET", "/api/v1/reports/missing", ""), 403)
			wantProblem(t, "figures with a bad date", e.as(mgr, "GET", "/api/v1/reports/missing?from=2026-11-31", ""), 422, "from")
			r = e.as(mgr, "GET", "/api/v1/reports/missing?from=2026-11-01&to=2026-11-30", "")
			if r.status != 200 || !strings.Contains(string(r.body), `"month":"2026-11","all":{"episodes":3,"children":2,"repeat_children":1,"returns":3,"interviews_within_72h":1`) {
				t.Errorf("figures: %d %s", r.status, r.body)
			}
		})
	}
}
