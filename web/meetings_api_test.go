package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/ical"
	"lantern/store"
	"lantern/store/storetest"
)

// Meetings through the API, in docs/api.md's shapes: arranging one, who may read
// it, its calendar invitation (time, place and a link: nothing of the
// case), its outcome with actions that land in their owners' work lists,
// and the partnership's figures.

type mtgJSON struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	ChildIDs  []string `json:"child_ids"`
	StartsAt  string   `json:"starts_at"`
	EndsAt    string   `json:"ends_at"`
	Location  string   `json:"location"`
	Status    string   `json:"status"`
	Held      *bool    `json:"held"`
	Version   int      `json:"version"`
	Decisions []struct {
		ChildID         string   `json:"child_id"`
		Level           string   `json:"level"`
		Rationale       string   `json:"rationale"`
		Recommendations []string `json:"recommendations"`
	} `json:"decisions"`
	Actions []struct {
		ID          string `json:"id"`
		Description string `json:"description"`
		Owner       string `json:"owner"`
		DueDate     string `json:"due_date"`
		TaskID      string `json:"task_id"`
	} `json:"actions"`
}

// mtgBody is a POST /api/v1/meetings body.
func mtgBody(kind string, start time.Time, location string, children ...string) string {
	b, _ := json.Marshal(map[string]any{"kind": kind, "child_ids": children, "starts_at": start.UTC().Format(time.RFC3339),
		"ends_at": start.Add(90 * time.Minute).UTC().Format(time.RFC3339), "location": location})
	return string(b)
}

// mtgCreate arranges a meeting as u and wants 201.
func mtgCreate(e *env, u *lantern.User, body string) mtgJSON {
	e.t.Helper()
	r := e.as(u, "POST", "/api/v1/meetings", body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("POST /api/v1/meetings %s: %d %s", body, r.status, r.body)
	}
	m := decode[mtgJSON](e.t, r.body)
	if m.ID == "" || m.Version != 1 {
		e.t.Errorf("created %s", r.body)
	}
	if loc := r.header.Get("Location"); loc != "/api/v1/meetings/"+m.ID {
		e.t.Errorf("Location %q, want /api/v1/meetings/%s", loc, m.ID)
	}
	return m
}

// mtgOutcome posts an outcome as u.
func mtgOutcome(e *env, u *lantern.User, id, body string) response {
	e.t.Helper()
	return e.as(u, "POST", "/api/v1/meetings/"+id+"/outcome", body)
}

// mtgWant422 wants a problem naming exactly fields.
func mtgWant422(t *testing.T, what string, r response, fields ...string) {
	t.Helper()
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("%s: %d %s, want 422 naming %q", what, r.status, r.body, fields)
		return
	}
	got := checkProblem(t, r, 422).fields()
	slices.Sort(got)
	fields = slices.Clone(fields)
	slices.Sort(fields)
	if !slices.Equal(got, fields) {
		t.Errorf("%s: fields %q, want %q (%s)", what, got, fields, r.body)
	}
}

// mtgRows counts a table's rows.
func mtgRows(e *env, table string) int {
	e.t.Helper()
	var n int
	if err := e.srv.Store.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// icsUnescape undoes ical.Escape.
func icsUnescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n", `\N`, "\n").Replace(s)
}

// icsEvent checks an invitation's form and returns its event's properties
// by name (parameters dropped).
func icsEvent(t *testing.T, body string) map[string]string {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") || strings.Count(body, "\n") != strings.Count(body, "\r\n") || strings.Count(body, "\r") != strings.Count(body, "\r\n") {
		t.Errorf("lines do not all end CRLF:\n%q", body)
	}
	for _, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
	}
	lines := ical.Unfold(body)
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Errorf("not a calendar: %q", lines)
	}
	props := map[string]string{}
	events, in := 0, false
	for _, l := range lines {
		switch l {
		case "BEGIN:VEVENT":
			events++
			in = true
			continue
		case "END:VEVENT":
			in = false
			continue
		}
		if !in {
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Errorf("content line without a value: %q", l)
			continue
		}
		name, _, _ = strings.Cut(name, ";")
		if _, dup := props[name]; dup && name != "ATTENDEE" {
			t.Errorf("%s twice", name)
		}
		props[name] = value
	}
	if events != 1 || strings.Count(body, "BEGIN:VEVENT") != 1 {
		t.Errorf("%d events, want exactly one:\n%s", events, body)
	}
	return props
}

func TestMeetingsAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			sw := f.SocialWorker
			st := e.srv.Store
			// A worker to own actions, and a manager for the figures: no passwords.
			owner, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: "owner@csc.example.org", Name: "Owen Owner", AgencyID: f.CSC.ID,
				Roles: []lantern.Role{lantern.RoleSocialWorker}})
			if err != nil {
				t.Fatal(err)
			}
			mgr, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: "manager@csc.example.org", Name: "Morgan Manager", AgencyID: f.CSC.ID,
				Roles: []lantern.Role{lantern.RoleManager}})
			if err != nil {
				t.Fatal(err)
			}
			// The clock moves on by months: tokens that outlast it.
			for _, u := range []*lantern.User{sw, f.Teacher, f.OtherTeacher, f.Admin, owner, mgr} {
				e.tokens[u.ID], _ = e.newToken(u, 365*24*time.Hour)
			}
			// Zephyrine only children's social care sees; Quentin, Riverside too.
			zeph := e.createChild(sw, "Zephyrine", "Quillfeather")
			quen := e.createChild(f.Teacher, "Quentin", "Marchbanks")
			soon := start.Add(72 * time.Hour)

			// The meeting about both children, in three days, that later
			// subtests read and record the outcome of: made by the arranging
			// subtest, or by the test after it when that is not run.
			arranged := newStep("the meeting", func(t *testing.T) mtgJSON {
				e.t = t
				return mtgCreate(e, sw, mtgBody("cse-strategy", soon, "Room 4, Civic Centre; side door", zeph.ID, quen.ID, zeph.ID, quen.ID))
			})
			t.Run("arranging", func(t *testing.T) {
				e.t = t
				for _, tc := range []struct {
					name, body string
					fields     []string
				}{
					{"a kind not on the list", strings.Replace(mtgBody("icpc", soon, "", zeph.ID), "icpc", "tea-party", 1), []string{"kind"}},
					{"ends before it starts", `{"kind": "icpc", "child_ids": ["` + zeph.ID + `"], "starts_at": "2026-11-25T10:00:00Z", "ends_at": "2026-11-25T09:59:00Z"}`,
						[]string{"ends_at"}},
					{"ends as it starts", `{"kind": "icpc", "child_ids": ["` + zeph.ID + `"], "starts_at": "2026-11-25T10:00:00Z", "ends_at": "2026-11-25T10:00:00Z"}`,
						[]string{"ends_at"}},
					{"no start", `{"kind": "icpc", "child_ids": ["` + zeph.ID + `"], "ends_at": "2026-11-25T10:00:00Z"}`, []string{"starts_at"}},
					{"a CSE strategy meeting about no child", mtgBody("cse-strategy", soon, ""), []string{"child_ids"}},
				} {
					mtgWant422(t, tc.name, e.as(sw, "POST", "/api/v1/meetings", tc.body), tc.fields...)
				}
				if r := e.as(f.OtherTeacher, "POST", "/api/v1/meetings", mtgBody("cse-strategy", soon, "", zeph.ID)); r.status != http.StatusNotFound {
					t.Errorf("a child the caller may not see: %d %s", r.status, r.body)
				} else {
					checkProblem(t, r, 404)
				}
				if r := e.as(f.Teacher, "POST", "/api/v1/meetings", mtgBody("cse-strategy", soon, "", quen.ID, zeph.ID)); r.status != http.StatusNotFound {
					t.Errorf("one child of two the caller may not see: %d %s", r.status, r.body)
				}
				if n := mtgRows(e, "meetings") + mtgRows(e, "meeting_children"); n != 0 {
					t.Fatalf("%d meeting rows after refusals", n)
				}

				cc := mtgCreate(e, sw, mtgBody("context-conference", soon, "Town hall"))
				if cc.ChildIDs == nil || len(cc.ChildIDs) != 0 || cc.Kind != "context-conference" || cc.Status != "scheduled" {
					t.Errorf("context conference %+v", cc)
				}
				mtg := arranged.take(t)
				if len(mtg.ChildIDs) != 2 || mtg.StartsAt != "2026-11-25T10:00:00Z" || mtg.EndsAt != "2026-11-25T11:30:00Z" {
					t.Errorf("created %+v", mtg)
				}
			})
			mtg := arranged.take(t)
			path := "/api/v1/meetings/" + mtg.ID

			t.Run("who may read it", func(t *testing.T) {
				e.t = t
				r := e.as(sw, "GET", path, "")
				if r.status != http.StatusOK {
					t.Fatalf("GET as the social worker: %d %s", r.status, r.body)
				}
				if got := decode[mtgJSON](t, r.body); got.ID != mtg.ID || got.Version != 1 || len(got.ChildIDs) != 2 {
					t.Errorf("read %s", r.body)
				}
				for _, tc := range []struct {
					name string
					u    *lantern.User
					path string
				}{
					{"a teacher who sees one child of two", f.Teacher, path},
					{"a teacher of another school", f.OtherTeacher, path},
					{"the administrator", f.Admin, path},
					{"an id that is no meeting", sw, "/api/v1/meetings/no-such-meeting"},
					{"the invitation, by a teacher of another school", f.OtherTeacher, path + "/invite.ics"},
				} {
					if r := e.as(tc.u, "GET", tc.path, ""); r.status != http.StatusNotFound {
						t.Errorf("%s: %d %s", tc.name, r.status, r.body)
					} else {
						checkProblem(t, r, 404)
					}
				}
				es, _, err := st.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: "meeting.read", Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				// One read, one entry for each child on the meeting.
				children := map[string]int{}
				for _, a := range es {
					if a.EntityID == mtg.ID {
						children[a.ChildID]++
						if a.UserID != sw.ID {
							t.Errorf("read audited as %+v", a)
						}
					}
				}
				if len(children) != 2 || children[zeph.ID] != 1 || children[quen.ID] != 1 {
					t.Errorf("read audited for children %v, want one entry each for %s and %s", children, zeph.ID, quen.ID)
				}
			})

			t.Run("the invitation", func(t *testing.T) {
				e.t = t
				// A long place with punctuation and letters of more than one octet.
				location := "Room 4, Northmoor Civic Centre; side door — ask at reception (café level), then 2nd floor, \\ by the lifts"
				m := mtgCreate(e, sw, mtgBody("cse-strategy", soon, location, zeph.ID, quen.ID))
				r := e.as(sw, "GET", "/api/v1/meetings/"+m.ID+"/invite.ics", "")
				if r.status != http.StatusOK {
					t.Fatalf("invite: %d %s", r.status, r.body)
				}
				if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
					t.Errorf("Content-Type %q", ct)
				}
				body := string(r.body)
				props := icsEvent(t, body)
				if props["UID"] == "" || !strings.Contains(props["UID"], m.ID) {
					t.Errorf("UID %q", props["UID"])
				}
				for name, want := range map[string]string{"SEQUENCE": "0", "DTSTART": "20261125T100000Z", "DTEND": "20261125T113000Z",
					"SUMMARY": "CSE strategy meeting"} {
					if props[name] != want {
						t.Errorf("%s %q, want %q", name, props[name], want)
					}
				}
				if got := icsUnescape(props["LOCATION"]); got != location {
					t.Errorf("LOCATION %q is %q, want %q", props["LOCATION"], got, location)
				}
				if !strings.HasPrefix(props["LOCATION"], `Room 4\, Northmoor Civic Centre\; side door`) {
					t.Errorf("location not escaped: %q", props["LOCATION"])
				}
				// Nothing of the case leaves in a calendar file.
				unfolded := strings.ToLower(strings.Join(ical.Unfold(body), "\n"))
				for _, c := range []childJSON{zeph, quen} {
					for _, secret := range []string{c.ID, c.GivenName, c.FamilyName, c.DateOfBirth, strings.ReplaceAll(c.DateOfBirth, "-", ""), "01/03/2012"} {
						if strings.Contains(unfolded, strings.ToLower(secret)) {
							t.Errorf("the invitation gives away %q:\n%s", secret, body)
						}
					}
				}
				// Moving the meeting is a calendar update: the sequence goes up.
				// Recording its outcome is not.
				if r := e.as(sw, "PATCH", "/api/v1/meetings/"+m.ID, `{"version": 1, "location": "Room 5"}`); r.status != http.StatusOK {
					t.Fatalf("move: %d %s", r.status, r.body)
				}
				r = e.as(sw, "GET", "/api/v1/meetings/"+m.ID+"/invite.ics", "")
				if props := icsEvent(t, string(r.body)); props["SEQUENCE"] != "1" || props["LOCATION"] != "Room 5" {
					t.Errorf("SEQUENCE %q, LOCATION %q after moving, want 1 and Room 5", props["SEQUENCE"], props["LOCATION"])
				}
				e.clock.Set(soon.Add(3 * time.Hour))
				defer e.clock.Set(start)
				if r := mtgOutcome(e, sw, m.ID, `{"version": 2, "held": true}`); r.status != http.StatusOK {
					t.Fatalf("outcome: %d %s", r.status, r.body)
				}
				r = e.as(sw, "GET", "/api/v1/meetings/"+m.ID+"/invite.ics", "")
				if props := icsEvent(t, string(r.body)); props["SEQUENCE"] != "1" {
					t.Errorf("SEQUENCE %q after the outcome, want 1", props["SEQUENCE"])
				}
			})

			t.Run("the outcome", func(t *testing.T) {
				e.t = t
				stranger := e.createChild(sw, "Other", "Child")
				outcome := func(version int, held bool, level, second, owner, due string) string {
					b, _ := json.Marshal(map[string]any{"version": version, "held": held,
						"decisions": []map[string]any{
							{"child_id": zeph.ID, "level": level, "rationale": "Seen in cars with older men", "recommendations": []string{"s47", "police-investigation"}},
							{"child_id": second, "level": "emerging", "rationale": "Friend of Zephyrine", "recommendations": []string{"early-help"}},
						},
						"actions": []map[string]any{{"description": "Home visit with police", "owner": owner, "due_date": due}}})
					return string(b)
				}
				good := outcome(1, true, "high", quen.ID, owner.Email, "2026-12-04")
				e.clock.Set(soon.Add(2 * time.Hour))

				for _, tc := range []struct {
					name, body string
					fields     []string
				}{
					{"a level not on the list", outcome(1, true, "low", quen.ID, owner.Email, "2026-12-04"), []string{"decisions[0].level"}},
					{"a child not on the meeting", outcome(1, true, "high", stranger.ID, owner.Email, "2026-12-04"), []string{"decisions[1].child_id"}},
					{"an owner who is not a user", outcome(1, true, "high", quen.ID, "nobody@example.org", "2026-12-04"), []string{"actions[0].owner"}},
					{"a due date not as YYYY-MM-DD", outcome(1, true, "high", quen.ID, owner.Email, "04/12/2026"), []string{"actions[0].due_date"}},
					{"a due date that is no day", outcome(1, true, "high", quen.ID, owner.Email, "2026-02-30"), []string{"actions[0].due_date"}},
					{"decisions of a meeting not held", outcome(1, false, "high", quen.ID, owner.Email, "2026-12-04"), []string{"held"}},
				} {
					mtgWant422(t, tc.name, mtgOutcome(e, sw, mtg.ID, tc.body), tc.fields...)
				}
				if n := mtgRows(e, "meeting_decisions") + mtgRows(e, "meeting_actions"); n != 0 {
					t.Fatalf("%d decisions and actions stored after refusals", n)
				}

				tasks := mtgRows(e, "tasks")
				r := mtgOutcome(e, sw, mtg.ID, good)
				if r.status != http.StatusOK {
					t.Fatalf("outcome: %d %s", r.status, r.body)
				}
				got := decode[mtgJSON](t, r.body)
				if got.Version != 2 || got.Status != "held" || got.Held == nil || !*got.Held || len(got.Decisions) != 2 || len(got.Actions) != 1 {
					t.Fatalf("outcome %s", r.body)
				}
				r = e.as(sw, "GET", path, "")
				stored := decode[mtgJSON](t, r.body)
				levels := map[string]string{}
				for _, dd := range stored.Decisions {
					levels[dd.ChildID] = dd.Level + " " + dd.Rationale + " " + strings.Join(dd.Recommendations, ",")
				}
				if levels[zeph.ID] != "high Seen in cars with older men s47,police-investigation" || levels[quen.ID] != "emerging Friend of Zephyrine early-help" ||
					stored.Version != 2 {
					t.Errorf("stored %s", r.body)
				}
				action := stored.Actions[0]
				if action.Owner != owner.ID || action.DueDate != "2026-12-04" || action.TaskID == "" {
					t.Errorf("action %+v", action)
				}
				// The action's task, and one for each recommendation (s47
				// and a police investigation for one child, early help for
				// the other).
				if n := mtgRows(e, "tasks"); n != tasks+4 {
					t.Errorf("%d tasks, want %d", n, tasks+4)
				}

				// The same outcome again with the same version: 409, nothing changed.
				r = mtgOutcome(e, sw, mtg.ID, good)
				if r.status != http.StatusConflict {
					t.Errorf("the same outcome twice: %d %s", r.status, r.body)
				} else {
					checkProblem(t, r, 409)
				}
				if again := decode[mtgJSON](t, e.as(sw, "GET", path, "").body); again.Version != 2 || len(again.Actions) != 1 || len(again.Decisions) != 2 {
					t.Errorf("after the repeat: %+v", again)
				}
				if n := mtgRows(e, "tasks") + mtgRows(e, "meeting_actions"); n != tasks+5 {
					t.Errorf("%d tasks and actions after the repeat, want %d", n, tasks+5)
				}

				// The action is open in the owner's work list, due on its date.
				r = e.as(owner, "GET", "/api/v1/work", "")
				if r.status != http.StatusOK {
					t.Fatalf("owner's work: %d %s", r.status, r.body)
				}
				var found []string
				for bucket, raw := range decode[map[string]json.RawMessage](t, r.body) {
					var items []struct {
						ID         string `json:"id"`
						Clock      string `json:"clock"`
						Status     string `json:"status"`
						DueDate    string `json:"due_date"`
						AssigneeID string `json:"assignee_id"`
					}
					if err := json.Unmarshal(raw, &items); err != nil {
						t.Fatalf("%s: %v in %s", bucket, err, raw)
					}
					for _, it := range items {
						found = append(found, fmt.Sprintf("%s %s %s %s due %s assigned %v", bucket, it.ID, it.Clock, it.Status, it.DueDate, it.AssigneeID == owner.ID))
					}
				}
				want := fmt.Sprintf("later %s %s open due 2026-12-04 assigned true", action.TaskID, lantern.ClockMeetingAction)
				if len(found) != 1 || found[0] != want {
					t.Errorf("owner's work %q, want %q", found, want)
				}
			})

			t.Run("the partnership's figures", func(t *testing.T) {
				e.t = t
				e.clock.Set(time.Date(2027, 7, 15, 9, 0, 0, 0, time.UTC))
				a, b, c := e.createChild(sw, "Alba", "Report"), e.createChild(sw, "Bryn", "Report"), e.createChild(sw, "Cass", "Report")
				june := func(d int) time.Time { return time.Date(2027, 6, d, 10, 0, 0, 0, lantern.London) }
				meet := func(kind string, at time.Time, held bool, children []childJSON, levels ...string) {
					t.Helper()
					var ids []string
					var ds []map[string]string
					for i, ch := range children {
						ids = append(ids, ch.ID)
						if i < len(levels) {
							ds = append(ds, map[string]string{"child_id": ch.ID, "level": levels[i]})
						}
					}
					m := mtgCreate(e, sw, mtgBody(kind, at, "", ids...))
					body, _ := json.Marshal(map[string]any{"version": m.Version, "held": held, "decisions": ds})
					if r := mtgOutcome(e, sw, m.ID, string(body)); r.status != http.StatusOK {
						t.Fatalf("outcome of %s on %s: %d %s", kind, at, r.status, r.body)
					}
				}
				// Alba at two, medium then high (the later arranged first);
				// Bryn at one, emerging.
				meet("cse-strategy", june(20), true, []childJSON{a}, "high")
				meet("cse-strategy", june(3), true, []childJSON{a}, "medium")
				meet("cse-strategy", june(10), true, []childJSON{b}, "emerging")
				// Not counted: another kind; 00:30 on 1 July in London (30 June
				// in UTC), outside the period; not held; no outcome yet.
				meet("strategy-discussion", june(12), true, []childJSON{c}, "high")
				meet("cse-strategy", time.Date(2027, 7, 1, 0, 30, 0, 0, lantern.London), true, []childJSON{c}, "high")
				meet("cse-strategy", june(15), false, []childJSON{c})
				mtgCreate(e, sw, mtgBody("cse-strategy", june(16), "", c.ID))

				const report = "/api/v1/reports/meetings?from=2027-06-01&to=2027-06-30"
				r := e.as(mgr, "GET", report, "")
				if r.status != http.StatusOK {
					t.Fatalf("report: %d %s", r.status, r.body)
				}
				var got map[string]any
				if err := json.Unmarshal(r.body, &got); err != nil {
					t.Fatal(err)
				}
				want := map[string]any{"meetings": 3.0, "children": 2.0, "by_level": map[string]any{"emerging": 1.0, "medium": 0.0, "high": 1.0}}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("report %s, want %v", r.body, want)
				}
				if r := e.as(f.Teacher, "GET", report, ""); r.status != http.StatusForbidden {
					t.Errorf("report for a practitioner: %d %s", r.status, r.body)
				} else {
					checkProblem(t, r, 403)
				}
				mtgWant422(t, "to before from", e.as(mgr, "GET", "/api/v1/reports/meetings?from=2027-06-30&to=2027-06-01", ""), "to")
			})
		})
	}
}
