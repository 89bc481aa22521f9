package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"lantern/app/apptest"
	"lantern/store/storetest"
)

// Decisions make work, through the pages and the API: the outcome form says
// whose each recommendation's task will be and when it is due; recording it
// makes the tasks; a task's page says what to do, links to the place to do
// it, and takes a note of what was done; the API completes a work task and
// refuses a statutory clock's.

func TestTaskPagesAndAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			child := e.createChild(f.SocialWorker, "Tamsin", "Quill")
			sw := mpgSignIn(t, e.srv, f.SocialWorker.Email)
			mpgOn(t, e, sw)

			// A meeting that has taken place.
			start := e.clock.Now().Add(-72 * time.Hour)
			r := e.as(f.SocialWorker, "POST", "/api/v1/meetings", `{"kind": "cse-strategy", "child_ids": ["`+child.ID+`"], "starts_at": "`+
				start.UTC().Format("2006-01-02T15:04:05Z")+`", "ends_at": "`+start.Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z")+`", "location": "Room 1"}`)
			if r.status != http.StatusCreated {
				t.Fatalf("meeting: %d %s", r.status, r.body)
			}
			mid := decode[struct{ ID string }](t, r.body).ID

			// The form: labels, not ids, each with the task it makes.
			r = sw.b.get("/meetings/" + mid + "/outcome")
			wantPage(t, r, 200, "Section 47 enquiries", "Task: Start the section 47 enquiries, for ", "Initial child protection conference",
				"The statutory timescale applies.", "No further action", "No task.")

			// Unknown recommendations through the API: 422 naming the field.
			r = e.as(f.SocialWorker, "POST", "/api/v1/meetings/"+mid+"/outcome", `{"version": 1, "held": true, "decisions": [{"child_id": "`+
				child.ID+`", "level": "high", "rationale": "r", "recommendations": ["s47", "tea"]}]}`)
			mtgWant422(t, "an unknown recommendation", r, "decisions[0].recommendations")

			r = sw.b.post("/meetings/"+mid+"/outcome", url.Values{"version": {"1"}, "held": {"yes"}, "chair": {"Indy Chair"},
				"level-" + child.ID: {"high"}, "rationale-" + child.ID: {"Seen with older men"}, "recommendations-" + child.ID: {"s47", "icpc"}})
			wantRedirect(t, r, "/meetings/"+mid+"?done=outcome")

			// The work list links each task to its page.
			r = sw.b.get("/work")
			m := regexp.MustCompile(`<a class="govuk-link" href="/tasks/([^"]+)">Start the section 47 enquiries</a>`).FindSubmatch(r.body)
			if m == nil {
				t.Fatalf("no link to the s47 task on the work list: %.3000s", r.body)
			}
			tid := string(m[1])
			ic := regexp.MustCompile(`<a class="govuk-link" href="/tasks/([^"]+)">Hold the initial child protection conference</a>`).FindSubmatch(r.body)
			if ic == nil {
				t.Fatalf("no link to the conference task")
			}
			icpc := string(ic[1])
			r = sw.b.get("/children/" + child.ID)
			wantPage(t, r, 200, `href="/tasks/`+tid+`"`)

			// The task's page.
			r = sw.b.get("/tasks/" + tid)
			wantPage(t, r, 200, "Start the section 47 enquiries", "The meeting recommended section 47 enquiries", "Record what was done",
				`href="/children/`+child.ID+`/s47-enquiries/new"`, `href="/meetings/`+mid+`"`, `action="/tasks/`+tid+`/done"`)
			r = sw.b.get("/tasks/" + icpc)
			wantPage(t, r, 200, "statutory timescale", `href="/children/`+child.ID+`/conferences/new"`)
			if strings.Contains(string(r.body), `action="/tasks/`+icpc+`/done"`) {
				t.Error("a statutory clock's task offers the form for what was done")
			}
			// Another agency, which does not see the child: not found.
			tc := mpgSignIn(t, e.srv, f.Teacher.Email)
			mpgOn(t, e, sw, tc)
			if r := tc.b.get("/tasks/" + tid); r.status != http.StatusNotFound {
				t.Errorf("the school reads the task: %d", r.status)
			}

			// The form: a note is required, and kept when refused.
			r = sw.b.post("/tasks/"+tid+"/done", url.Values{"version": {"1"}, "note": {"  "}})
			wantPage(t, r, 422, errorSummary, "Say what was done", `href="#note"`)
			r = sw.b.post("/tasks/"+tid+"/done", url.Values{"version": {"7"}, "note": {"Started <b>today</b>"}})
			wantPage(t, r, 409, "Someone else changed this task", "Started &lt;b&gt;today&lt;/b&gt;")
			r = sw.b.post("/tasks/"+tid+"/done", url.Values{"version": {"1"}, "note": {"Started <b>today</b>"}})
			wantRedirect(t, r, "/tasks/"+tid+"?done=1")
			r = sw.b.get(r.header.Get("Location"))
			wantPage(t, r, 200, "the task is complete", "Started &lt;b&gt;today&lt;/b&gt;", "Done")

			// The API.
			r = e.as(f.SocialWorker, "GET", "/api/v1/tasks/"+tid, "")
			got := decode[struct {
				Status, Note, Kind, Clock string
				Version                   int
			}](t, r.body)
			if r.status != 200 || got.Status != "done" || got.Note != "Started <b>today</b>" || got.Kind != "s47" || got.Clock != "work" || got.Version != 2 {
				t.Errorf("GET: %d %s", r.status, r.body)
			}
			r = e.as(f.SocialWorker, "POST", "/api/v1/tasks/"+icpc+"/complete", `{"version": 1, "note": "Held it"}`)
			mtgWant422(t, "a statutory clock's task", r, "task")
			if !strings.Contains(string(r.body), "Hold the initial child protection conference") {
				t.Errorf("the refusal does not name the task: %s", r.body)
			}

			// A second work task, through the API.
			var tasks struct {
				Tasks []struct{ ID, Kind, Clock string }
			}
			r = e.as(f.SocialWorker, "POST", "/api/v1/meetings", `{"kind": "cse-strategy", "child_ids": ["`+child.ID+`"], "starts_at": "`+
				start.Add(2*time.Hour).UTC().Format("2006-01-02T15:04:05Z")+`", "ends_at": "`+start.Add(3*time.Hour).UTC().Format("2006-01-02T15:04:05Z")+`", "location": "Room 1"}`)
			mid2 := decode[struct{ ID string }](t, r.body).ID
			r = e.as(f.SocialWorker, "POST", "/api/v1/meetings/"+mid2+"/outcome", `{"version": 1, "held": true, "decisions": [{"child_id": "`+
				child.ID+`", "level": "high", "rationale": "r", "recommendations": ["early-help"]}]}`)
			if r.status != 200 {
				t.Fatalf("outcome: %d %s", r.status, r.body)
			}
			r = e.as(f.SocialWorker, "GET", "/api/v1/children/"+child.ID+"/tasks", "")
			if err := json.Unmarshal(r.body, &tasks); err != nil {
				t.Fatalf("%s: %v", r.body, err)
			}
			eh := ""
			for _, tk := range tasks.Tasks {
				if tk.Kind == "early-help" {
					eh = tk.ID
				}
			}
			if eh == "" {
				t.Fatalf("no early help task in %s", r.body)
			}
			for _, tc := range []struct {
				name, body string
				status     int
				field      string
			}{
				{"no version", `{"note": "x"}`, 422, "version"},
				{"no note", `{"version": 1}`, 422, "note"},
				{"a note too long", `{"version": 1, "note": "` + strings.Repeat("x", 5001) + `"}`, 422, "note"},
				{"a stale version", `{"version": 3, "note": "x"}`, 409, ""},
				{"not JSON", `{"version": `, 400, ""},
			} {
				r := e.as(f.SocialWorker, "POST", "/api/v1/tasks/"+eh+"/complete", tc.body)
				if tc.field != "" {
					mtgWant422(t, tc.name, r, tc.field)
				} else if r.status != tc.status {
					t.Errorf("%s: %d %s", tc.name, r.status, r.body)
				} else {
					checkProblem(t, r, tc.status)
				}
			}
			if r := e.as(f.Teacher, "POST", "/api/v1/tasks/"+eh+"/complete", `{"version": 1, "note": "x"}`); r.status != http.StatusNotFound {
				t.Errorf("the school completes a task on a child it does not see: %d", r.status)
			}
			r = e.as(f.SocialWorker, "POST", "/api/v1/tasks/"+eh+"/complete", `{"version": 1, "note": "Early help assessment agreed with mum"}`)
			if r.status != 200 || !strings.Contains(string(r.body), `"status":"done"`) {
				t.Errorf("complete: %d %s", r.status, r.body)
			}

			// A return interview's follow-ups become actions on the episode's page.
			base := "/api/v1/children/" + child.ID + "/missing-episodes"
			r = e.as(f.SocialWorker, "POST", base, `{"missing_from": "2026-11-19T18:00:00Z", "returned_at": "2026-11-20T09:30:00Z"}`)
			if r.status != http.StatusCreated {
				t.Fatalf("episode: %d %s", r.status, r.body)
			}
			ep := decode[struct{ ID string }](t, r.body).ID
			r = e.as(f.SocialWorker, "POST", base+"/"+ep+"/interview", `{"held_at": "2026-11-21T10:00:00Z", "held_by": "Ivy Independent",
				"follow_up": ["referral", "strategy-meeting", "safety-plan"]}`)
			if r.status != http.StatusOK {
				t.Fatalf("interview: %d %s", r.status, r.body)
			}
			r = sw.b.get("/children/" + child.ID + "/missing-episodes/" + ep)
			wantPage(t, r, 200, `id="follow-up-actions"`, `href="/children/`+child.ID+`/referrals/new">Refer to children&#39;s social care</a>`,
				`href="/meetings/new?kind=cse-strategy&amp;child_id=`+child.ID+`">Ask for a strategy meeting</a>`, "Make a safety plan</a>", "task due ")
			if !regexp.MustCompile(`href="/tasks/[^"]+">Make a safety plan</a>`).Match(r.body) {
				t.Errorf("the safety plan is not a link to its task: %.4000s", r.body)
			}
		})
	}
}
