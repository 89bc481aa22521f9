package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// The statutory events through the API, in the shapes docs/api.md fixes:
// referrals, strategy discussions and conferences answer 201 with their id
// and the tasks their clocks made, and a child's tasks list moves on as the
// events that stop the clocks are recorded.

// evAPINow is the server's clock: after every date in docs/api.md's examples.
var evAPINow = time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)

// evTaskKeys are a task's fields, as docs/api.md has them.
var evTaskKeys = []string{"id", "clock", "status", "due_date", "due_at", "profile"}

type evTaskJSON struct {
	ID      string `json:"id"`
	Clock   string `json:"clock"`
	Status  string `json:"status"`
	DueDate string `json:"due_date"`
	DueAt   string `json:"due_at"`
	Profile string `json:"profile"`
	Version int    `json:"version"`
}

func (tk evTaskJSON) String() string {
	return fmt.Sprintf("%s %s due %s at %s (%s)", tk.Clock, tk.Status, tk.DueDate, tk.DueAt, tk.Profile)
}

// evObject decodes a JSON object and checks it has keys.
func evObject(t *testing.T, b []byte, keys ...string) map[string]json.RawMessage {
	t.Helper()
	m := decode[map[string]json.RawMessage](t, b)
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
	return m
}

// evTaskList decodes a list of tasks, checking each has docs/api.md's fields,
// and returns them by clock and as lines.
func evTaskList(t *testing.T, raw json.RawMessage) (map[string]evTaskJSON, []string) {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || items == nil {
		t.Fatalf("tasks %s: %v (want a list)", raw, err)
	}
	by := map[string]evTaskJSON{}
	var lines []string
	for _, it := range items {
		evObject(t, it, evTaskKeys...)
		tk := decode[evTaskJSON](t, it)
		if tk.ID == "" {
			t.Errorf("task without an id: %s", it)
		}
		by[tk.Clock] = tk
		lines = append(lines, tk.String())
	}
	slices.Sort(lines)
	return by, lines
}

func evWantLines(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: tasks\n\t%s\nwant\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// evCreated posts an event, wants 201 with an id and tasks, and returns
// the body, the id and the tasks.
func evCreated(e *env, u *lantern.User, path, body string) (map[string]json.RawMessage, string, map[string]evTaskJSON, []string) {
	e.t.Helper()
	r := e.as(u, "POST", path, body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("POST %s: %d %s", path, r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		e.t.Errorf("POST %s: Content-Type %q", path, ct)
	}
	m := evObject(e.t, r.body, "id", "tasks")
	id := decode[string](e.t, m["id"])
	if id == "" {
		e.t.Errorf("POST %s: no id in %s", path, r.body)
	}
	by, lines := evTaskList(e.t, m["tasks"])
	return m, id, by, lines
}

// evChildTasks is GET /api/v1/children/{id}/tasks, as u.
func evChildTasks(e *env, u *lantern.User, childID string) (map[string]evTaskJSON, []string) {
	e.t.Helper()
	r := e.as(u, "GET", "/api/v1/children/"+childID+"/tasks", "")
	if r.status != http.StatusOK {
		e.t.Fatalf("GET tasks: %d %s", r.status, r.body)
	}
	m := evObject(e.t, r.body, "tasks")
	if len(m) != 1 {
		e.t.Errorf("GET tasks answered more than tasks: %s", r.body)
	}
	return evTaskList(e.t, m["tasks"])
}

// evStored counts what the events write.
func evStored(e *env) string {
	e.t.Helper()
	var out []string
	for _, table := range []string{"tasks", "referrals", "strategy_discussions", "conferences"} {
		var n int
		if err := e.srv.Store.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(out, " ")
}

func TestEventsAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			clock := storetest.NewClock(evAPINow)
			e := startEnv(t, d, apptest.Options{Now: clock.Now})
			e.clock = clock
			f := e.f
			mgr, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "manager@csc.example.org", Name: "Morgan Manager",
				AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleManager}, Password: storetest.Password})
			if err != nil {
				t.Fatal(err)
			}
			sw := f.SocialWorker
			children := func(id string) string { return "/api/v1/children/" + id }

			// The steps of the story later subtests build on: the work lists
			// and figures count every task made before them. Each is taken by
			// its subtest, or by the test after it when that is not run.
			type referral struct {
				id    string
				tasks map[string]evTaskJSON
				lines []string
			}
			christmas := e.createChild(sw, "Holly", "Example")
			christmasReferral := newStep("the Christmas Eve referral", func(t *testing.T) referral {
				e.t = t
				_, id, by, lines := evCreated(e, sw, children(christmas.ID)+"/referrals",
					`{"received_at": "2026-12-24T16:30:00Z", "method": "phone", "referrer": {"name": "Terry Teacher", "agency": "Riverside Academy"}}`)
				return referral{id, by, lines}
			})
			decided := newStep("the decision", func(t *testing.T) response {
				e.t = t
				r := e.as(sw, "PATCH", children(christmas.ID)+"/referrals/"+christmasReferral.take(t).id,
					`{"version": 1, "decision": "assessment", "decided_at": "2026-12-29T10:00:00Z"}`)
				if r.status != 200 {
					t.Fatalf("decision: %d %s", r.status, r.body)
				}
				return r
			})
			summer := newStep("the summer referral", func(t *testing.T) []string {
				e.t = t
				c := e.createChild(sw, "Summer", "Example")
				_, _, _, lines := evCreated(e, sw, children(c.ID)+"/referrals",
					`{"received_at": "2027-05-20T23:30:00Z", "method": "online", "referrer": {"name": "Dr Jones", "agency": "Northmoor Surgery"}}`)
				return lines
			})
			fresh := newStep("the bank holiday's referral", func(t *testing.T) map[string]evTaskJSON {
				e.t = t
				c := e.createChild(sw, "Fresh", "Example")
				_, _, by, _ := evCreated(e, sw, children(c.ID)+"/referrals", `{"received_at": "2027-05-31T10:00:00Z", "method": "online", "referrer": {"name": "T"}}`)
				return by
			})

			t.Run("a referral by phone on Christmas Eve", func(t *testing.T) {
				e.t = t
				lines := christmasReferral.take(t).lines
				want := []string{
					"referral-decision open due 2026-12-29 at 2026-12-29T23:59:59Z (wt2023)",
					"referrer-feedback open due 2026-12-27 at 2026-12-27T16:30:00Z (wt2023)",
					"referral-written-followup open due 2026-12-26 at 2026-12-26T16:30:00Z (wt2023)",
					"assessment open due 2027-03-02 at 2027-03-02T23:59:59Z (wt2023)",
				}
				evWantLines(t, "created", lines, want...)
				_, lines = evChildTasks(e, sw, christmas.ID)
				evWantLines(t, "listed", lines, want...)
			})
			christmasReferral.take(t)

			t.Run("a referral in summer time, after midnight in London", func(t *testing.T) {
				e.t = t
				evWantLines(t, "created", summer.take(t),
					"referral-decision open due 2027-05-24 at 2027-05-24T23:59:59+01:00 (wt2023)",
					"referrer-feedback open due 2027-05-24 at 2027-05-24T00:30:00+01:00 (wt2023)",
					"assessment open due 2027-07-26 at 2027-07-26T23:59:59+01:00 (wt2023)")
			})
			summer.take(t)

			t.Run("the decision stops its clock", func(t *testing.T) {
				e.t = t
				ref := christmasReferral.take(t)
				path := children(christmas.ID) + "/referrals/" + ref.id
				for _, tc := range []struct {
					name, body string
					status     int
					fields     []string
				}{
					{"no version", `{"decision": "assessment", "decided_at": "2026-12-29T10:00:00Z"}`, 422, []string{"version"}},
					{"decided_at not RFC 3339", `{"version": 1, "decision": "assessment", "decided_at": "29/12/2026 10:00"}`, 422, []string{"decided_at"}},
					{"a decision not on the list", `{"version": 1, "decision": "maybe", "decided_at": "2026-12-29T10:00:00Z"}`, 422, []string{"decision"}},
					{"decided years ahead", `{"version": 1, "decision": "assessment", "decided_at": "2033-06-01T13:00:00Z"}`, 422, []string{"decided_at"}},
					{"decided before it was received", `{"version": 1, "decision": "assessment", "decided_at": "2026-12-24T16:29:59Z"}`, 422, []string{"decided_at"}},
					{"a field not known", `{"version": 1, "decision": "assessment", "decided_at": "2026-12-29T10:00:00Z", "urgent": true}`, 400, []string{"urgent"}},
				} {
					r := e.as(sw, "PATCH", path, tc.body)
					if r.status != tc.status {
						t.Errorf("%s: status %d, want %d: %s", tc.name, r.status, tc.status, r.body)
						continue
					}
					if got := checkProblem(t, r, tc.status).fields(); !slices.Equal(got, tc.fields) {
						t.Errorf("%s: fields %q, want %q", tc.name, got, tc.fields)
					}
				}
				if r := e.as(f.OtherTeacher, "PATCH", path, `{"version": 1, "decision": "assessment", "decided_at": "2026-12-29T10:00:00Z"}`); r.status != 404 {
					t.Errorf("another school's decision: %d %s", r.status, r.body)
				} else {
					checkProblem(t, r, 404)
				}
				r := decided.take(t)
				up := decode[struct {
					Version  int    `json:"version"`
					Decision string `json:"decision"`
				}](t, r.body)
				if up.Version != 2 || up.Decision != "assessment" {
					t.Errorf("after the decision: %s", r.body)
				}
				by, lines := evChildTasks(e, sw, christmas.ID)
				evWantLines(t, "after the decision", lines,
					"referral-decision done due 2026-12-29 at 2026-12-29T23:59:59Z (wt2023)",
					"referrer-feedback open due 2026-12-27 at 2026-12-27T16:30:00Z (wt2023)",
					"referral-written-followup open due 2026-12-26 at 2026-12-26T16:30:00Z (wt2023)",
					"assessment open due 2027-03-02 at 2027-03-02T23:59:59Z (wt2023)")
				if by["referral-decision"].ID != ref.tasks["referral-decision"].ID {
					t.Errorf("the decision's task changed id")
				}
				// The same version again is stale.
				r = e.as(sw, "PATCH", path, `{"version": 1, "feedback_at": "2026-12-29T11:00:00Z"}`)
				if r.status != 409 {
					t.Fatalf("stale version: %d %s", r.status, r.body)
				}
				checkProblem(t, r, 409)
				if _, after := evChildTasks(e, sw, christmas.ID); !slices.Contains(after, "referrer-feedback open due 2026-12-27 at 2026-12-27T16:30:00Z (wt2023)") {
					t.Errorf("a stale change stopped the feedback clock: %q", after)
				}
			})
			decided.take(t)

			// The plan's events are one story, and only the work lists
			// build on it: the subtest, when it is not run, is taken whole.
			plan := e.createChild(sw, "Plan", "Example")
			plans := newStep("the plan's events", func(t *testing.T) struct{} {
				e.t = t
				_, _, _, lines := evCreated(e, sw, children(plan.ID)+"/strategy-discussions", `{"held_at": "2026-12-18T11:00:00Z", "decision": "s47"}`)
				evWantLines(t, "s47 discussion", lines, "icpc open due 2027-01-13 at 2027-01-13T23:59:59Z (wt2023)")
				_, _, _, lines = evCreated(e, sw, children(plan.ID)+"/strategy-discussions", `{"held_at": "2026-12-21T11:00:00Z", "decision": "no-s47",
					"participants": [{"name": "DS Patel", "agency": "Northmoor Police"}]}`)
				evWantLines(t, "no-s47 discussion", lines)

				m, _, _, lines := evCreated(e, sw, children(plan.ID)+"/conferences", `{"kind": "initial", "held_at": "2027-01-08T10:00:00Z", "outcome": "plan"}`)
				evWantLines(t, "initial conference", lines,
					"core-group open due 2027-01-22 at 2027-01-22T23:59:59Z (wt2023)",
					"first-review open due 2027-04-08 at 2027-04-08T23:59:59+01:00 (wt2023)")
				if string(m["flags"]) != "[]" {
					t.Errorf("flags %s after an s47 discussion, want []", m["flags"])
				}
				_, lines = evChildTasks(e, sw, plan.ID)
				evWantLines(t, "after the initial conference", lines,
					"icpc done due 2027-01-13 at 2027-01-13T23:59:59Z (wt2023)",
					"core-group open due 2027-01-22 at 2027-01-22T23:59:59Z (wt2023)",
					"first-review open due 2027-04-08 at 2027-04-08T23:59:59+01:00 (wt2023)")

				_, _, _, lines = evCreated(e, sw, children(plan.ID)+"/conferences", `{"kind": "review", "held_at": "2027-04-08T09:00:00Z", "outcome": "plan"}`)
				evWantLines(t, "review conference", lines, "next-review open due 2027-10-08 at 2027-10-08T23:59:59+01:00 (wt2023)")
				_, lines = evChildTasks(e, sw, plan.ID)
				evWantLines(t, "after the review", lines,
					"icpc done due 2027-01-13 at 2027-01-13T23:59:59Z (wt2023)",
					"core-group open due 2027-01-22 at 2027-01-22T23:59:59Z (wt2023)",
					"first-review done due 2027-04-08 at 2027-04-08T23:59:59+01:00 (wt2023)",
					"next-review open due 2027-10-08 at 2027-10-08T23:59:59+01:00 (wt2023)")

				// No s47 discussion first: created, and flagged.
				c := e.createChild(sw, "Flagged", "Example")
				m, _, _, _ = evCreated(e, sw, children(c.ID)+"/conferences", `{"kind": "initial", "held_at": "2027-01-08T10:00:00Z", "outcome": "plan"}`)
				if got := decode[[]string](t, m["flags"]); !slices.Equal(got, []string{"no-s47-strategy-discussion"}) {
					t.Errorf("flags %q, want [no-s47-strategy-discussion]", got)
				}
				return struct{}{}
			})
			t.Run("strategy discussions and conferences", func(t *testing.T) { plans.take(t) })
			plans.take(t)

			t.Run("bad input is refused and stores nothing", func(t *testing.T) {
				e.t = t
				bad := e.createChild(sw, "Bad", "Input")
				hidden := e.createChild(f.Teacher, "Hidden", "Pupil") // the school's: the other school cannot see it
				const (
					okReferral = `{"received_at": "2027-05-20T09:00:00Z", "method": "online", "referrer": {"name": "Terry Teacher"}}`
					okDiscuss  = `{"held_at": "2027-05-20T09:00:00Z", "decision": "s47"}`
					okConfer   = `{"kind": "initial", "held_at": "2027-05-20T09:00:00Z", "outcome": "plan"}`
				)
				for _, tc := range []struct {
					name, method, path string
					as                 *lantern.User
					body               string
					status             int
					fields             []string
				}{
					{"unknown method", "POST", "/referrals", sw, `{"received_at": "2027-05-20T09:00:00Z", "method": "fax", "referrer": {"name": "T"}}`, 422, []string{"method"}},
					{"no referrer's name", "POST", "/referrals", sw, `{"received_at": "2027-05-20T09:00:00Z", "method": "online", "referrer": {"name": " ", "agency": "Riverside"}}`, 422, []string{"referrer.name"}},
					{"no referrer", "POST", "/referrals", sw, `{"received_at": "2027-05-20T09:00:00Z", "method": "online"}`, 422, []string{"referrer.name"}},
					{"received_at not RFC 3339", "POST", "/referrals", sw, `{"received_at": "2027-05-20 09:00", "method": "online", "referrer": {"name": "T"}}`, 422, []string{"received_at"}},
					{"received_at without an offset", "POST", "/referrals", sw, `{"received_at": "2027-05-20T09:00:00", "method": "online", "referrer": {"name": "T"}}`, 422, []string{"received_at"}},
					{"received years ahead", "POST", "/referrals", sw, `{"received_at": "2033-06-01T13:00:00Z", "method": "online", "referrer": {"name": "T"}}`, 422, []string{"received_at"}},
					{"everything missing, each named", "POST", "/referrals", sw, `{}`, 422, []string{"received_at", "method", "referrer.name"}},
					{"received_at as a number", "POST", "/referrals", sw, `{"received_at": 20270520, "method": "online", "referrer": {"name": "T"}}`, 400, []string{"received_at"}},
					{"a field not known", "POST", "/referrals", sw, `{"received_at": "2027-05-20T09:00:00Z", "method": "online", "referrer": {"name": "T"}, "urgent": true}`, 400, []string{"urgent"}},
					{"unknown decision", "POST", "/strategy-discussions", sw, `{"held_at": "2027-05-20T09:00:00Z", "decision": "maybe"}`, 422, []string{"decision"}},
					{"held_at not RFC 3339", "POST", "/strategy-discussions", sw, `{"held_at": "20 May 2027", "decision": "s47"}`, 422, []string{"held_at"}},
					{"discussion years ahead", "POST", "/strategy-discussions", sw, `{"held_at": "2033-06-01T12:10:00Z", "decision": "s47"}`, 422, []string{"held_at"}},
					{"discussion with no time", "POST", "/strategy-discussions", sw, `{"decision": "s47"}`, 422, []string{"held_at"}},
					{"unknown kind", "POST", "/conferences", sw, `{"kind": "final", "held_at": "2027-05-20T09:00:00Z", "outcome": "plan"}`, 422, []string{"kind"}},
					{"unknown outcome", "POST", "/conferences", sw, `{"kind": "review", "held_at": "2027-05-20T09:00:00Z", "outcome": "adjourned"}`, 422, []string{"outcome"}},
					{"all wrong, each named", "POST", "/conferences", sw, `{"kind": "final", "held_at": "yesterday", "outcome": "adjourned"}`, 422, []string{"held_at", "kind", "outcome"}},
					{"conference years ahead", "POST", "/conferences", sw, `{"kind": "initial", "held_at": "2033-06-02T09:00:00+01:00", "outcome": "plan"}`, 422, []string{"held_at"}},
					{"no token: referral", "POST", "/referrals", nil, okReferral, 401, nil},
					{"no token: discussion", "POST", "/strategy-discussions", nil, okDiscuss, 401, nil},
					{"no token: conference", "POST", "/conferences", nil, okConfer, 401, nil},
					{"no token: tasks", "GET", "/tasks", nil, "", 401, nil},
					{"another school: referral", "POST", "/referrals", f.OtherTeacher, okReferral, 404, nil},
					{"another school: discussion", "POST", "/strategy-discussions", f.OtherTeacher, okDiscuss, 404, nil},
					{"another school: conference", "POST", "/conferences", f.OtherTeacher, okConfer, 404, nil},
					{"another school: tasks", "GET", "/tasks", f.OtherTeacher, "", 404, nil},
					{"another school's child: referral", "POST", "hidden/referrals", f.OtherTeacher, okReferral, 404, nil},
					{"another school's child: tasks", "GET", "hidden/tasks", f.OtherTeacher, "", 404, nil},
					{"the administrator: referral", "POST", "/referrals", f.Admin, okReferral, 404, nil},
					{"the administrator: tasks", "GET", "/tasks", f.Admin, "", 404, nil},
					{"no such child: referral", "POST", "missing/referrals", sw, okReferral, 404, nil},
					{"no such child: tasks", "GET", "missing/tasks", sw, "", 404, nil},
				} {
					t.Run(tc.name, func(t *testing.T) {
						e.t = t
						path := children(bad.ID) + tc.path
						if p, ok := strings.CutPrefix(tc.path, "hidden"); ok {
							path = children(hidden.ID) + p
						} else if p, ok := strings.CutPrefix(tc.path, "missing"); ok {
							path = children("0190f0f0-0000-7000-8000-000000000000") + p
						}
						before := evStored(e)
						auth := ""
						if tc.as != nil {
							auth = "Bearer " + e.token(tc.as)
						}
						var body io.Reader
						if tc.body != "" {
							body = strings.NewReader(tc.body)
						}
						r := e.do(tc.method, path, auth, body)
						if r.status != tc.status {
							t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
						}
						got, want := checkProblem(t, r, tc.status).fields(), slices.Clone(tc.fields)
						slices.Sort(got)
						slices.Sort(want)
						if !slices.Equal(got, want) {
							t.Errorf("fields %q, want %q (%s)", got, want, r.body)
						}
						if after := evStored(e); after != before {
							t.Errorf("stored: %s, then %s", before, after)
						}
					})
				}
				e.t = t
				if _, lines := evChildTasks(e, sw, bad.ID); len(lines) != 0 {
					t.Errorf("the child has tasks after refusals: %q", lines)
				}
			})

			// Work lists. Now is noon on Tuesday 1 June 2027.
			t.Run("my work", func(t *testing.T) {
				e.t = t
				// Received on the bank holiday: the decision is due today.
				fresh := fresh.take(t)
				refTasks := christmasReferral.take(t).tasks
				r := e.as(sw, "GET", "/api/v1/work", "")
				if r.status != 200 {
					t.Fatalf("my work: %d %s", r.status, r.body)
				}
				m := evObject(t, r.body, "late", "due_today", "due_this_week", "later")
				ids := map[string][]string{}
				for k, raw := range m {
					var items []struct {
						ID        string `json:"id"`
						ChildName string `json:"child_name"`
						Status    string `json:"status"`
					}
					if err := json.Unmarshal(raw, &items); err != nil || items == nil {
						t.Fatalf("%s: %s (%v)", k, raw, err)
					}
					for _, it := range items {
						if it.ChildName == "" || it.Status != "open" {
							t.Errorf("%s: %+v", k, it)
						}
						ids[k] = append(ids[k], it.ID)
					}
				}
				for k, id := range map[string]string{"due_today": fresh["referral-decision"].ID, "due_this_week": fresh["referrer-feedback"].ID,
					"later": fresh["assessment"].ID, "late": refTasks["referrer-feedback"].ID} {
					if !slices.Contains(ids[k], id) {
						t.Errorf("%s lacks task %s: %v", k, id, ids)
					}
				}
				if slices.Contains(ids["late"], refTasks["referral-decision"].ID) {
					t.Errorf("a done task is in my work")
				}
				want := map[string]int{"late": 8, "due_today": 1, "due_this_week": 1, "later": 3}
				for k, n := range want {
					if len(ids[k]) != n {
						t.Errorf("%s has %d, want %d", k, len(ids[k]), n)
					}
				}
				if r := e.as(f.Teacher, "GET", "/api/v1/work", ""); r.status != 200 || !strings.Contains(string(r.body), `"late":[]`) {
					t.Errorf("a teacher's work: %d %s", r.status, r.body)
				}
				if r := e.do("GET", "/api/v1/work", "", nil); r.status != 401 {
					t.Errorf("my work without a token: %d", r.status)
				}
			})
			fresh.take(t)

			t.Run("the team's work", func(t *testing.T) {
				e.t = t
				r := e.as(mgr, "GET", "/api/v1/work/team", "")
				if r.status != 200 {
					t.Fatalf("team: %d %s", r.status, r.body)
				}
				v := decode[struct {
					Workers []struct {
						AssigneeID   string `json:"assignee_id"`
						AssigneeName string `json:"assignee_name"`
						Late         int    `json:"late"`
						DueToday     int    `json:"due_today"`
						DueThisWeek  int    `json:"due_this_week"`
						Open         int    `json:"open"`
					} `json:"workers"`
				}](t, r.body)
				if len(v.Workers) != 1 {
					t.Fatalf("workers: %s", r.body)
				}
				if w := v.Workers[0]; w.AssigneeID != sw.ID || w.AssigneeName != sw.Name || w.Late != 8 || w.DueToday != 1 || w.DueThisWeek != 1 || w.Open != 13 {
					t.Errorf("worker %+v, want 8 late, 1 today, 1 this week, 13 open", w)
				}
				for _, u := range []*lantern.User{f.Teacher, sw} {
					if r := e.as(u, "GET", "/api/v1/work/team", ""); r.status != 403 {
						t.Errorf("team as %s: %d %s", u.Email, r.status, r.body)
					} else {
						checkProblem(t, r, 403)
					}
				}
			})

			t.Run("closing a task", func(t *testing.T) {
				e.t = t
				path := "/api/v1/tasks/" + fresh.take(t)["referrer-feedback"].ID + "/close"
				if r := e.as(sw, "POST", path, `{"version": 1, "reason": "Told the referrer in person"}`); r.status != 403 {
					t.Errorf("a social worker closes a task: %d %s", r.status, r.body)
				}
				if r := e.as(mgr, "POST", path, `{"reason": "Told the referrer in person"}`); r.status != 422 || !slices.Equal(checkProblem(t, r, 422).fields(), []string{"version"}) {
					t.Errorf("no version: %d %s", r.status, r.body)
				}
				if r := e.as(mgr, "POST", path, `{"version": 1, "reason": ""}`); r.status != 422 || !slices.Equal(checkProblem(t, r, 422).fields(), []string{"reason"}) {
					t.Errorf("no reason: %d %s", r.status, r.body)
				}
				if r := e.as(mgr, "POST", path, `{"version": 2, "reason": "Told the referrer in person"}`); r.status != 409 {
					t.Errorf("stale version: %d %s", r.status, r.body)
				}
				r := e.as(mgr, "POST", path, `{"version": 1, "reason": "Told the referrer in person"}`)
				if r.status != 200 || !strings.Contains(string(r.body), `"status":"closed"`) || !strings.Contains(string(r.body), `"closed_reason":"Told the referrer in person"`) {
					t.Errorf("close: %d %s", r.status, r.body)
				}
				if r := e.as(mgr, "POST", path, `{"version": 2, "reason": "Again"}`); r.status != 422 || !slices.Equal(checkProblem(t, r, 422).fields(), []string{"status"}) {
					t.Errorf("closed twice: %d %s", r.status, r.body)
				}
			})

			t.Run("per cent within timescale", func(t *testing.T) {
				e.t = t
				r := e.as(mgr, "GET", "/api/v1/reports/timeliness?from=2026-12-29&to=2026-12-29", "")
				if r.status != 200 {
					t.Fatalf("timeliness: %d %s", r.status, r.body)
				}
				v := decode[struct {
					From    string `json:"from"`
					To      string `json:"to"`
					Profile string `json:"profile"`
					Clocks  []struct {
						Clock   string   `json:"clock"`
						Due     int      `json:"due"`
						Within  int      `json:"within"`
						Percent *float64 `json:"percent"`
					} `json:"clocks"`
				}](t, r.body)
				if v.From != "2026-12-29" || v.To != "2026-12-29" || v.Profile != "wt2023" {
					t.Errorf("timeliness: %s", r.body)
				}
				found := false
				for _, c := range v.Clocks {
					if c.Clock == "referral-decision" {
						found = true
						if c.Due != 1 || c.Within != 1 || c.Percent == nil || *c.Percent != 100 {
							t.Errorf("referral-decision: %+v", c)
						}
					} else if c.Due != 0 {
						t.Errorf("%s: %+v, want nothing due on 29 December", c.Clock, c)
					}
				}
				if !found {
					t.Errorf("no referral-decision row: %s", r.body)
				}
				// The page prints the per cent as a number, not the pointer
				// the row holds it in.
				page := browserFor(t, e.srv, mgr.Email).get("/reports/timeliness?from=2026-12-29&to=2026-12-29")
				wantPage(t, page, 200, ">100.0%<")
				if strings.Contains(string(page.body), "%!") {
					t.Errorf("the timeliness page prints a formatting error: %s", page.body)
				}
				for _, tc := range []struct {
					query string
					field string
				}{
					{"?from=2026-13-01", "from"},
					{"?from=2027-01-02&to=2027-01-01", "to"},
					{"?to=tomorrow", "to"},
					{"?from=0001-01-01&to=9999-12-31", "from"}, // every report's period is bounded
				} {
					r := e.as(mgr, "GET", "/api/v1/reports/timeliness"+tc.query, "")
					if r.status != 422 {
						t.Errorf("%s: %d %s", tc.query, r.status, r.body)
						continue
					}
					if got := checkProblem(t, r, 422).fields(); !slices.Equal(got, []string{tc.field}) {
						t.Errorf("%s: fields %q, want [%s]", tc.query, got, tc.field)
					}
				}
				// One end alone: the period is the 90 days up to it, or from it.
				for _, q := range []string{"?to=2026-03-31", "?from=2026-03-31", "?from=2031-01-01"} {
					if r := e.as(mgr, "GET", "/api/v1/reports/timeliness"+q, ""); r.status != 200 {
						t.Errorf("%s: %d %s", q, r.status, r.body)
					}
				}
				if r := e.as(f.Teacher, "GET", "/api/v1/reports/timeliness", ""); r.status != 403 {
					t.Errorf("a teacher's figures: %d %s", r.status, r.body)
				}
				if r := e.do("GET", "/api/v1/reports/timeliness", "", nil); r.status != 401 {
					t.Errorf("figures without a token: %d", r.status)
				}
			})
		})
	}
}
