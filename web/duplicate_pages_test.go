package web_test

import (
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// keysOf is a JSON object's keys, sorted.
func keysOf(t *testing.T, body []byte) []string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
	return slices.Sorted(maps.Keys(m))
}

type pairsJSON struct {
	Pairs []struct {
		ID       string    `json:"id"`
		ChildIDs [2]string `json:"child_ids"`
		Score    float64   `json:"score"`
		Status   string    `json:"status"`
		Reason   string    `json:"reason"`
	} `json:"pairs"`
}

// Possible duplicates through the API and the review list, a merged
// record's page and answer, and allocation through the API and its form.
func TestDuplicatesAndAllocation(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f, st := e.srv, e.f, e.srv.Store
			mgr, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: "dup.manager@csc.example.org", Name: "Dee Manager",
				AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleManager}, Password: storetest.Password})
			if err != nil {
				t.Fatal(err)
			}
			coord, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: "dup.coord@csc.example.org", Name: "Cy Coordinator",
				AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleCSECoordinator}})
			if err != nil {
				t.Fatal(err)
			}
			sw2, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: "dup.sw2@csc.example.org", Name: "Sam Second",
				AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleSocialWorker}})
			if err != nil {
				t.Fatal(err)
			}
			create := func(u *lantern.User, given, family, dob string) response {
				t.Helper()
				in := map[string]any{"given_name": given, "family_name": family, "date_of_birth": dob, "gender": "female"}
				if u.AgencyID == f.CSC.ID { // only children's social care allocates
					in["allocated_social_worker_id"] = f.SocialWorker.ID
				}
				body, _ := json.Marshal(in)
				r := e.as(u, "POST", "/api/v1/children", string(body))
				if r.status != 201 {
					t.Fatalf("create: %d %s", r.status, r.body)
				}
				return r
			}

			// The teacher adds a child the other school holds: the answer is as
			// for a child no one holds.
			control := create(f.Teacher, "Zelda", "Quill", "2010-10-10")
			older := decode[childJSON](t, create(f.OtherTeacher, "Amira", "Khan", "2012-05-04").body)
			r := create(f.Teacher, "Amira", "Khan", "2012-05-04")
			newer := decode[childJSON](t, r.body)
			if got, want := keysOf(t, r.body), keysOf(t, control.body); !slices.Equal(got, want) {
				t.Errorf("the answer's fields %v, want %v", got, want)
			}
			if !slices.Equal(newer.AgencyIDs, []string{f.School.ID}) || newer.Version != 1 || len(r.body) != len(control.body)-len("Zelda Quill2010-10-10")+len("Amira Khan2012-05-04") {
				t.Errorf("the answer differs from one with no hidden record: %s against %s", r.body, control.body)
			}
			if m := e.as(f.Teacher, "GET", "/api/v1/children/matches?given_name=Amira&family_name=Khan&date_of_birth=2012-05-04", ""); strings.Contains(string(m.body), older.ID) {
				t.Errorf("the teacher is shown the older record: %s", m.body)
			}
			pair := lantern.DuplicatePair(older.ID, newer.ID)
			ids := strings.NewReplacer("{a}", pair[0], "{b}", pair[1], "{older}", older.ID, "{newer}", newer.ID)
			manager := func(*storetest.Fixture) *lantern.User { return mgr }
			coordinator := func(*storetest.Fixture) *lantern.User { return coord }
			e.run(t, ids, []apiScenario{
				{name: "the pair, for a manager", method: "GET", path: "/api/v1/possible-duplicates", as: manager, wantStatus: 200,
					check: func(t *testing.T, r response) {
						p := decode[pairsJSON](t, r.body)
						if len(p.Pairs) != 1 || p.Pairs[0].ChildIDs != pair || p.Pairs[0].Score != 1 || p.Pairs[0].Status != "open" {
							t.Errorf("pairs: %s", r.body)
						}
					}},
				{name: "and the coordinator", method: "GET", path: "/api/v1/possible-duplicates", as: coordinator, wantStatus: 200, wantBody: []string{`"child_ids":["{a}","{b}"]`}},
				{name: "not the teacher who made it", method: "GET", path: "/api/v1/possible-duplicates", as: teacher, wantStatus: 403},
				{name: "nor a social worker", method: "GET", path: "/api/v1/possible-duplicates", as: sw, wantStatus: 403},
				{name: "nor an auditor", method: "GET", path: "/api/v1/possible-duplicates", as: auditor, wantStatus: 403},
				{name: "an unknown status", method: "GET", path: "/api/v1/possible-duplicates?status=maybe", as: manager, wantStatus: 422, wantFields: []string{"status"}},
				{name: "dismissing by a social worker", method: "POST", path: "/api/v1/possible-duplicates/dismiss", as: sw,
					body: `{"child_ids": ["{a}", "{b}"], "reason": "Twins"}`, wantStatus: 403},
				{name: "dismissing with nothing", method: "POST", path: "/api/v1/possible-duplicates/dismiss", as: manager, body: `{}`,
					wantStatus: 422, wantFields: []string{"child_ids", "reason"}},
				{name: "dismissing three", method: "POST", path: "/api/v1/possible-duplicates/dismiss", as: manager,
					body: `{"child_ids": ["{a}", "{b}", "{a}"], "reason": "Twins"}`, wantStatus: 422, wantFields: []string{"child_ids"}},
				{name: "dismissing with an unknown field", method: "POST", path: "/api/v1/possible-duplicates/dismiss", as: manager,
					body: `{"child_ids": ["{a}", "{b}"], "reason": "Twins", "why": 1}`, wantStatus: 400, wantFields: []string{"why"}},
			})

			// The review list: the pair side by side; not the same child needs
			// a reason.
			mb := browserFor(t, srv, mgr.Email)
			wantPage(t, mb.get("/children/duplicates"), 200, "Possible duplicate records", "Amira Khan", "Riverside Academy",
				"Same date of birth", `href="/children/`+pair[0]+`/merge?other=`+pair[1]+`"`, "Not the same child")
			key := "reason-" + pair[0] + "-" + pair[1]
			wantPage(t, mb.post("/children/duplicates/dismiss", url.Values{"child_a": {pair[0]}, "child_b": {pair[1]}, "reason": {" "}}), 422,
				errorSummary, `href="#`+key+`"`, `id="`+key+`"`)
			wantRedirect(t, mb.post("/children/duplicates/dismiss", url.Values{"child_a": {pair[0]}, "child_b": {pair[1]}, "reason": {"Twins, one at each school"}}),
				"/children/duplicates?done=dismissed")
			wantPage(t, mb.get("/children/duplicates?done=dismissed"), 200, "The pair is recorded as not the same child", "No pairs wait for review")
			wantPage(t, mb.get("/children/duplicates?status=dismissed"), 200, "Twins, one at each school")
			wantPage(t, mb.get("/children/duplicates?status=nonsense"), 404)
			wantPage(t, browserFor(t, srv, f.Teacher.Email).get("/children/duplicates"), 403)

			// A merged record leads to the kept one.
			ov, nv := older.Version, newer.Version
			if _, err := st.MergeChildren(storetest.As(mgr), older.ID, newer.ID, ov, nv); err != nil {
				t.Fatal(err)
			}
			wantRedirect(t, mb.get("/children/"+newer.ID), "/children/"+older.ID+"?done=followed")
			wantPage(t, mb.get("/children/"+older.ID+"?done=followed"), 200, "The record you opened was merged into this one")
			if r := e.as(f.Teacher, "GET", "/api/v1/children/"+newer.ID, ""); r.status != 200 || !strings.Contains(string(r.body), `"merged_into":"`+older.ID+`"`) {
				t.Errorf("the merged record's answer: %d %s", r.status, r.body)
			}

			// Allocation.
			child := decode[childJSON](t, create(f.SocialWorker, "Ruby", "Alloc", "2013-03-03").body)
			if r := e.as(f.SocialWorker, "POST", "/api/v1/children/"+child.ID+"/referrals", `{"received_at": "2026-11-21T09:00:00Z", "method": "phone", "referrer": {"name": "A. Referrer"}}`); r.status != 201 {
				t.Fatalf("referral: %d %s", r.status, r.body)
			}
			ids = strings.NewReplacer("{child}", child.ID, "{v}", strconv.Itoa(child.Version), "{stale}", strconv.Itoa(child.Version+3),
				"{sw2}", sw2.ID, "{teacher}", f.Teacher.ID)
			alloc := "/api/v1/children/{child}/allocation"
			e.run(t, ids, []apiScenario{
				{name: "allocating by a social worker", method: "POST", path: alloc, as: sw, body: `{"worker_id": "{sw2}", "version": {v}}`, wantStatus: 403},
				{name: "by the coordinator", method: "POST", path: alloc, as: coordinator, body: `{"worker_id": "{sw2}", "version": {v}}`, wantStatus: 403},
				{name: "by another school", method: "POST", path: alloc, as: other, body: `{"worker_id": "{sw2}", "version": {v}}`, wantStatus: 404},
				{name: "with nothing", method: "POST", path: alloc, as: manager, body: `{}`, wantStatus: 422, wantFields: []string{"worker_id", "version"}},
				{name: "to a teacher", method: "POST", path: alloc, as: manager, body: `{"worker_id": "{teacher}", "version": {v}}`,
					wantStatus: 422, wantFields: []string{"worker_id"}},
				{name: "stale", method: "POST", path: alloc, as: manager, body: `{"worker_id": "{sw2}", "version": {stale}}`, wantStatus: 409,
					wantBody: []string{`"current":{`}},
				{name: "with the tasks", method: "POST", path: alloc, as: manager, body: `{"worker_id": "{sw2}", "move_tasks": true, "version": {v}}`, wantStatus: 200,
					check: func(t *testing.T, r response) {
						var a struct {
							Child      childJSON `json:"child"`
							TasksMoved []string  `json:"tasks_moved"`
						}
						if err := json.Unmarshal(r.body, &a); err != nil || a.Child.Version != child.Version+1 || len(a.TasksMoved) == 0 {
							t.Errorf("allocated: %s", r.body)
						}
					}},
			})

			// The form, from the team page.
			wantPage(t, mb.get("/children/"+child.ID), 200, `href="/children/`+child.ID+`/allocate"`)
			form := "/children/" + child.ID + "/allocate"
			wantPage(t, mb.get(form), 200, "Allocate Ruby Alloc&#39;s social worker", "Sam Second", `name="move_tasks"`)
			cur := child.Version + 1
			wantPage(t, mb.post(form, url.Values{"worker_id": {""}, "version": {strconv.Itoa(cur)}}), 422, errorSummary, `href="#worker_id"`)
			wantPage(t, mb.post(form, url.Values{"worker_id": {f.SocialWorker.ID}, "version": {strconv.Itoa(cur - 1)}}), 409, errorSummary,
				"Someone else changed this record", `value="`+strconv.Itoa(cur)+`"`)
			wantRedirect(t, mb.post(form, url.Values{"worker_id": {f.SocialWorker.ID}, "move_tasks": {"yes"}, "version": {strconv.Itoa(cur)}}), "/work/team?done=allocated")
			wantPage(t, mb.get("/work/team?done=allocated"), 200, "The child&#39;s social worker has been allocated", "Possible duplicate records to review")
			wantPage(t, browserFor(t, srv, f.SocialWorker.Email).get(form), 403)
			if c, err := st.FindChildByID(storetest.As(mgr), child.ID); err != nil || c.AllocatedSocialWorkerID != f.SocialWorker.ID || c.Version != cur+1 {
				t.Errorf("after the form: %+v %v", c, err)
			}
		})
	}
}
