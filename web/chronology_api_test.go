package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"lantern/app/apptest"
	"lantern/store/storetest"
)

// A section 47 enquiry completed later, a plan's end with its reason and a
// child's chronology through the API, in docs/api.md's shapes.

type chronItemJSON struct {
	At      string `json:"at"`
	Kind    string `json:"kind"`
	Summary string `json:"summary"`
	ID      string `json:"id"`
	Link    string `json:"link"`
}

func TestS47CompletionAndChronologyAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			clock := storetest.NewClock(evAPINow)
			e := startEnv(t, d, apptest.Options{Now: clock.Now})
			e.clock = clock
			sw := e.f.SocialWorker
			c := e.createChild(sw, "Sid", "Example")
			base := "/api/v1/children/" + c.ID
			evCreated(e, sw, base+"/strategy-discussions", `{"held_at": "2027-05-03T10:00:00Z", "decision": "s47"}`)
			r := e.as(sw, "POST", base+"/s47-enquiries", `{"started_at": "2027-05-04T09:00:00Z"}`)
			if r.status != http.StatusCreated {
				t.Fatalf("enquiry: %d %s", r.status, r.body)
			}
			sid := decode[struct{ ID string }](t, r.body).ID
			patch := base + "/s47-enquiries/" + sid
			stored := func() string {
				var v string
				if err := e.srv.Store.DB().QueryRow(`SELECT COALESCE(outcome, '') || '/' || version FROM s47_enquiries WHERE id = $1`, sid).Scan(&v); err != nil {
					t.Fatal(err)
				}
				return v
			}

			// Bad input: 422 naming the field (409 with the record for a
			// stale version), and nothing stored.
			for _, tc := range []struct {
				name, body string
				status     int
				fields     []string
			}{
				{"no outcome", `{"completed_at": "2027-05-12T15:00:00Z", "version": 1}`, 422, []string{"outcome"}},
				{"an unknown outcome", `{"completed_at": "2027-05-12T15:00:00Z", "outcome": "not-known", "version": 1}`, 422, []string{"outcome"}},
				{"before it started", `{"completed_at": "2027-05-04T08:00:00Z", "outcome": "not-substantiated", "version": 1}`, 422, []string{"completed_at"}},
				{"no time", `{"outcome": "not-substantiated", "version": 1}`, 422, []string{"completed_at"}},
				{"not a time", `{"completed_at": "yesterday", "outcome": "not-substantiated", "version": 1}`, 422, []string{"completed_at"}},
				{"no version", `{"completed_at": "2027-05-12T15:00:00Z", "outcome": "not-substantiated"}`, 422, []string{"version"}},
				{"an unknown field", `{"completed_at": "2027-05-12T15:00:00Z", "outcome": "not-substantiated", "version": 1, "reason": "x"}`, 400, nil},
				{"a stale version", `{"completed_at": "2027-05-12T15:00:00Z", "outcome": "not-substantiated", "version": 3}`, 409, nil},
			} {
				r := e.as(sw, "PATCH", patch, tc.body)
				p := checkProblem(t, r, tc.status)
				if tc.fields != nil && !slices.Equal(p.fields(), tc.fields) {
					t.Errorf("%s: fields %v, want %v", tc.name, p.fields(), tc.fields)
				}
				if tc.status == 409 {
					cur := decode[struct {
						Current struct {
							ID      string `json:"id"`
							Version int    `json:"version"`
						} `json:"current"`
					}](t, r.body).Current
					if cur.ID != sid || cur.Version != 1 {
						t.Errorf("%s: current %+v", tc.name, cur)
					}
				}
				if got := stored(); got != "/1" {
					t.Errorf("%s: stored %s", tc.name, got)
				}
			}
			// Another school sees no child.
			checkProblem(t, e.as(e.f.OtherTeacher, "PATCH", patch, `{"completed_at": "2027-05-12T15:00:00Z", "outcome": "not-substantiated", "version": 1}`), 404)

			r = e.as(sw, "PATCH", patch, `{"completed_at": "2027-05-12T15:00:00Z", "outcome": "substantiated-no-continuing-risk", "version": 1}`)
			if r.status != http.StatusOK {
				t.Fatalf("complete: %d %s", r.status, r.body)
			}
			m := evObject(t, r.body, "id", "completed_at", "outcome", "version")
			if decode[string](t, m["outcome"]) != "substantiated-no-continuing-risk" || decode[int](t, m["version"]) != 2 {
				t.Errorf("completed: %s", r.body)
			}
			tasks, _ := evChildTasks(e, sw, c.ID)
			if tk := tasks["icpc"]; tk.Status != "closed" {
				t.Errorf("icpc task %+v", tk)
			}
			var reason string
			if err := e.srv.Store.DB().QueryRow(`SELECT closed_reason FROM tasks WHERE child_id = $1 AND clock = 'icpc'`, c.ID).Scan(&reason); err != nil ||
				!strings.Contains(reason, "substantiated-no-continuing-risk") {
				t.Errorf("closed reason %q %v", reason, err)
			}
			p := checkProblem(t, e.as(sw, "PATCH", patch, `{"completed_at": "2027-05-12T15:00:00Z", "outcome": "substantiated-icpc", "version": 2}`), 422)
			if !slices.Equal(p.fields(), []string{"completed_at"}) {
				t.Errorf("completed again: fields %v", p.fields())
			}

			// A plan, and its end with its reason.
			evCreated(e, sw, base+"/conferences", `{"kind": "initial", "held_at": "2027-05-20T10:00:00Z", "outcome": "plan"}`)
			p = checkProblem(t, e.as(sw, "POST", base+"/conferences", `{"kind": "review", "held_at": "2027-05-25T10:00:00Z", "outcome": "no-plan", "plan_end_reason": "bored"}`), 422)
			if !slices.Equal(p.fields(), []string{"plan_end_reason"}) {
				t.Errorf("a bad reason: fields %v", p.fields())
			}
			evCreated(e, sw, base+"/conferences", `{"kind": "review", "held_at": "2027-05-25T10:00:00Z", "outcome": "no-plan", "plan_end_reason": "reached-18"}`)
			r = e.as(sw, "GET", base+"/protection-plans", "")
			plans := decode[struct {
				Plans []struct {
					EndedOn   string `json:"ended_on"`
					EndReason string `json:"end_reason"`
				} `json:"plans"`
			}](t, r.body).Plans
			if r.status != 200 || len(plans) != 1 || plans[0].EndReason != "reached-18" || plans[0].EndedOn != "2027-05-25" {
				t.Errorf("plans: %d %s", r.status, r.body)
			}

			// The chronology: newest first, each once, in words.
			r = e.as(sw, "GET", base+"/chronology", "")
			if r.status != http.StatusOK {
				t.Fatalf("chronology: %d %s", r.status, r.body)
			}
			top := evObject(t, r.body, "events")
			if len(top) != 1 {
				t.Errorf("chronology answered more than events: %s", r.body)
			}
			var raw []map[string]json.RawMessage
			if err := json.Unmarshal(top["events"], &raw); err != nil {
				t.Fatal(err)
			}
			for _, it := range raw {
				for _, k := range []string{"at", "kind", "summary"} {
					if _, ok := it[k]; !ok {
						t.Errorf("an item without %s", k)
					}
				}
			}
			items := decode[struct{ Events []chronItemJSON }](t, r.body).Events
			var kinds []string
			for i, it := range items {
				kinds = append(kinds, it.Kind)
				if i > 0 && it.At > items[i-1].At {
					t.Errorf("%s at %s after %s at %s", it.Kind, it.At, items[i-1].Kind, items[i-1].At)
				}
				if strings.Contains(it.Summary, sid) || strings.Contains(it.Summary, c.ID) || strings.Contains(it.Summary, "substantiated-no-continuing-risk") {
					t.Errorf("summary %q", it.Summary)
				}
			}
			want := []string{"plan-end", "conference", "plan-start", "conference", "s47-outcome", "s47-enquiry", "strategy-discussion"}
			if !slices.Equal(kinds, want) {
				t.Errorf("kinds %v, want %v", kinds, want)
			}
			r = e.as(sw, "GET", base+"/chronology?kind=s47-outcome,plan-end", "")
			items = decode[struct{ Events []chronItemJSON }](t, r.body).Events
			if len(items) != 2 || items[0].Kind != "plan-end" || items[1].Kind != "s47-outcome" ||
				!strings.HasPrefix(items[1].Summary, "Section 47 enquiry completed: Concerns substantiated, but") || items[1].Link != "/children/"+c.ID+"/s47-enquiries/"+sid {
				t.Errorf("filtered: %s", r.body)
			}
			p = checkProblem(t, e.as(sw, "GET", base+"/chronology?kind=concern,gossip", ""), 422)
			if !slices.Equal(p.fields(), []string{"kind"}) {
				t.Errorf("an unknown kind: fields %v", p.fields())
			}
			checkProblem(t, e.as(e.f.OtherTeacher, "GET", base+"/chronology", ""), 404)
			checkProblem(t, e.as(e.f.Admin, "GET", base+"/chronology", ""), 404) // an administrator sees no child
			var audited int
			if err := e.srv.Store.SyncAudit(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := e.srv.Store.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'child.chronology.read' AND child_id = $1`, c.ID).Scan(&audited); err != nil || audited != 2 {
				t.Errorf("chronology audited %d times (%v), want 2", audited, err)
			}
		})
	}
}
