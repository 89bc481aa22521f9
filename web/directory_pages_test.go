package web_test

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/web"
)

// The directory's pages, signed in as the administrator through the real
// sign-in: the list, adding an entry with its errors, changing one at a
// stale version, and everyone else refused. Then the meeting figures.

// dirEntry is a directory form with every field filled in.
func dirEntry(agency, name, email string, roles ...lantern.PathwayRole) url.Values {
	v := url.Values{"agency_id": {agency}, "team": {"Exploitation unit"}, "name": {name}, "email": {email},
		"phone": {"01632 960 123"}, "active": {"on"}}
	for _, r := range roles {
		v.Add("roles", string(r))
	}
	return v
}

// dirContacts is every entry in the directory, active or not.
func dirContacts(t *testing.T, st *store.Store, admin *lantern.User) []*lantern.Contact {
	t.Helper()
	cs, err := st.Contacts(storetest.As(admin), true)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// dirChecked reports whether the checkbox with id is ticked on the page.
func dirChecked(body []byte, id string) bool {
	return regexp.MustCompile(`<input[^>]* id="` + regexp.QuoteMeta(id) + `"[^>]* checked>`).Match(body)
}

func TestDirectoryPages(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f := e.srv, e.f
			b := browserFor(t, srv, f.Admin.Email)
			unitRoles := []lantern.PathwayRole{lantern.PathwayPoliceUnit, lantern.PathwayCSECoordinator}
			// Sergeant Sarah Unit's entry, which later subtests refuse to
			// repeat and then change: added by its subtest or, when that is
			// not run, by the test after it.
			sarah := newStep("Sarah's entry", func(t *testing.T) struct{} {
				r := b.post("/admin/directory", dirEntry(f.CSC.ID, "Sergeant Sarah Unit", "SEIU@Police.example.org", unitRoles...))
				wantRedirect(t, r, "/admin/directory?done=added")
				return struct{}{}
			})

			t.Run("the empty list and the form", func(t *testing.T) {
				wantPage(t, b.get("/admin/directory"), 200, "<h1 class=\"govuk-heading-l\">Directory</h1>", `href="/admin/directory/new"`, "Add an entry",
					"The directory has no active entries", `href="/admin/directory?inactive=1"`, `aria-current="page">Administration`)
				r := b.get("/admin/directory/new")
				wantPage(t, r, 200, "Add a directory entry", `action="/admin/directory"`, `name="agency_id"`, template.HTMLEscapeString(f.CSC.Name),
					"Takes referrals", "Arranges CSE strategy meetings", "Invited to every CSE strategy meeting, and sent the toolkit",
					"Receives the information-sharing form", "Sent the completed toolkit after the meeting", "Chairs conferences",
					`aria-describedby="roles-police-exploitation-unit-item-hint"`)
				if !dirChecked(r.body, "active") {
					t.Errorf("a new entry is not active to begin with")
				}
				if strings.Contains(string(r.body), `name="version"`) {
					t.Errorf("the form to add an entry has a version")
				}
			})

			t.Run("an entry added, and listed", func(t *testing.T) {
				sarah.take(t)
				r := b.get("/admin/directory?done=added")
				wantPage(t, r, 200, "The directory entry has been added", "Sergeant Sarah Unit", "seiu@police.example.org", "01632 960 123",
					"Exploitation unit", "<li>Police exploitation unit</li><li>CSE coordinator</li>", template.HTMLEscapeString(f.CSC.Name), "Active")
				cs := dirContacts(t, srv.Store, f.Admin)
				if len(cs) != 1 || cs[0].Name != "Sergeant Sarah Unit" || len(cs[0].Roles) != 2 || !cs[0].Active || cs[0].AgencyID != f.CSC.ID {
					t.Fatalf("stored %+v", cs)
				}
				wantPage(t, r, 200, `href="/admin/directory/`+cs[0].ID+`"`)
			})
			sarah.take(t)

			t.Run("errors: nothing stored, values kept", func(t *testing.T) {
				r := b.post("/admin/directory", url.Values{})
				wantPage(t, r, 422, errorSummary, "<title>Error: Add a directory entry", "Enter the name of the person or mailbox",
					"Enter an email address", "Select the agency")
				wantErrorLinks(t, r, "name", "email", "agency_id")

				bad := dirEntry(f.CSC.ID, "Intel Desk", "intel-at-police", lantern.PathwayPoliceIntel)
				r = b.post("/admin/directory", bad)
				wantPage(t, r, 422, errorSummary, "Enter an email address in the correct format", `value="Intel Desk"`, `value="intel-at-police"`)
				wantErrorLinks(t, r, "email")
				if !dirChecked(r.body, "roles-police-intelligence") || dirChecked(r.body, "roles") || !dirChecked(r.body, "active") {
					t.Errorf("the roles or the active box were not kept as sent")
				}
				if !regexp.MustCompile(`value="` + f.CSC.ID + `" selected`).Match(r.body) {
					t.Errorf("the agency chosen was not kept")
				}
				r = b.post("/admin/directory", dirEntry(f.CSC.ID, "Again", "seiu@police.example.org"))
				wantPage(t, r, 422, errorSummary, "already has an entry with that email address")
				wantErrorLinks(t, r, "email")
				r = b.post("/admin/directory", dirEntry(f.CSC.ID, "Odd role", "odd@police.example.org", "janitor"))
				wantErrorLinks(t, r, "roles")
				if n := len(dirContacts(t, srv.Store, f.Admin)); n != 1 {
					t.Fatalf("%d entries after refusals, want 1", n)
				}
			})

			t.Run("a name with a script is escaped", func(t *testing.T) {
				name := `<script>alert("x")</script> Desk & Co`
				wantRedirect(t, b.post("/admin/directory", dirEntry(f.School.ID, name, "desk@school.example.org")), "/admin/directory?done=added")
				r := b.get("/admin/directory")
				wantPage(t, r, 200, template.HTMLEscapeString(name), "Riverside Academy")
				if strings.Contains(string(r.body), `<script>alert`) {
					t.Errorf("the name is not escaped in the list")
				}
			})

			t.Run("inactive entries are shown when asked for", func(t *testing.T) {
				in := dirEntry(f.CSC.ID, "Old Mailbox", "old@csc.example.org", lantern.PathwayFrontDoor)
				in.Del("active")
				wantRedirect(t, b.post("/admin/directory", in), "/admin/directory?done=added")
				if strings.Contains(string(b.get("/admin/directory").body), "Old Mailbox") {
					t.Errorf("an inactive entry is listed by default")
				}
				wantPage(t, b.get("/admin/directory?inactive=1"), 200, "Old Mailbox", "Inactive", `href="/admin/directory" class="govuk-link">Show active entries only`)
			})

			t.Run("a change, and one at a stale version", func(t *testing.T) {
				var c *lantern.Contact
				for _, x := range dirContacts(t, srv.Store, f.Admin) {
					if x.Email == "seiu@police.example.org" {
						c = x
					}
				}
				if c == nil {
					t.Fatal("no entry to change")
				}
				path := "/admin/directory/" + c.ID
				r := b.get(path)
				wantPage(t, r, 200, "Change a directory entry", "Sergeant Sarah Unit", `action="`+path+`"`, `name="version" value="1"`,
					`value="seiu@police.example.org"`)
				if !dirChecked(r.body, "roles-police-exploitation-unit") || !dirChecked(r.body, "roles-cse-coordinator") || dirChecked(r.body, "roles") {
					t.Errorf("the change form does not tick the entry's roles")
				}

				mine := dirEntry(f.CSC.ID, "Sergeant Sarah Unit", "seiu@police.example.org", lantern.PathwayPoliceUnit)
				mine.Set("version", "1")
				mine.Set("team", "Child exploitation team")
				wantRedirect(t, b.post(path, mine), "/admin/directory?done=saved")
				wantPage(t, b.get("/admin/directory?done=saved"), 200, "The directory entry has been saved", "Child exploitation team")

				// A second administrator's save, from the form as it was at
				// version 1: refused, with the entry as it is now.
				theirs := dirEntry(f.CSC.ID, "Sarah Unit", "seiu@police.example.org", lantern.PathwayChair)
				theirs.Set("version", "1")
				r = b.post(path, theirs)
				wantPage(t, r, 409, errorSummary, template.HTMLEscapeString(web.StaleContact), "What the entry says now", "Child exploitation team",
					`value="Sarah Unit"`, `name="version" value="2"`)
				wantErrorLinks(t, r, "current")
				if !dirChecked(r.body, "roles-chair") || dirChecked(r.body, "roles") {
					t.Errorf("after a conflict, the roles sent were not kept")
				}
				if got, _ := srv.Store.FindContact(storetest.As(f.Admin), c.ID); got.Name != "Sergeant Sarah Unit" || got.Version != 2 {
					t.Fatalf("a stale save changed the entry: %+v", got)
				}

				// A change with an error keeps the version sent.
				bad := dirEntry(f.CSC.ID, "", "seiu@police.example.org")
				bad.Set("version", "2")
				r = b.post(path, bad)
				wantPage(t, r, 422, errorSummary, `name="version" value="2"`)
				wantErrorLinks(t, r, "name")

				// Saving again, having looked, replaces it.
				theirs.Set("version", "2")
				wantRedirect(t, b.post(path, theirs), "/admin/directory?done=saved")
				if got, _ := srv.Store.FindContact(storetest.As(f.Admin), c.ID); got.Name != "Sarah Unit" || got.Version != 3 ||
					len(got.Roles) != 1 || got.Roles[0] != lantern.PathwayChair {
					t.Fatalf("after saving again: %+v", got)
				}
				wantPage(t, b.get("/admin/directory/nope"), 404)
			})

			t.Run("to anyone but an administrator, the pages are refused", func(t *testing.T) {
				cs := dirContacts(t, srv.Store, f.Admin)
				id := cs[0].ID
				sb := browserFor(t, srv, f.SocialWorker.Email)
				for _, p := range []string{"/admin/directory", "/admin/directory/new", "/admin/directory/" + id} {
					wantPage(t, sb.get(p), 403, "You cannot do that")
				}
				wantPage(t, sb.post("/admin/directory", dirEntry(f.CSC.ID, "Sneaky", "sneaky@csc.example.org")), 403)
				in := dirEntry(f.CSC.ID, "Sneaky", "sneaky@csc.example.org")
				in.Set("version", "3")
				wantPage(t, sb.post("/admin/directory/"+id, in), 403)
				if after := dirContacts(t, srv.Store, f.Admin); len(after) != len(cs) || after[0].Version != cs[0].Version {
					t.Fatalf("a social worker changed the directory")
				}
				if strings.Contains(string(sb.get("/").body), "/admin/directory") {
					t.Errorf("a social worker is shown a link to the directory")
				}
			})
		})
	}
}

// mfCells is a table row's cells as text, space-separated.
func mfCells(b []byte) string {
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(b), " ")), " ")
}

// mfTable is the text of each row of the table with id, header and cells.
func mfTable(t *testing.T, body []byte, id string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<table class="govuk-table" id="` + id + `">.*?<tbody[^>]*>(.*?)</tbody>`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no table %s", id)
	}
	var rows []string
	for _, r := range regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`).FindAllSubmatch(m[1], -1) {
		rows = append(rows, mfCells(r[1]))
	}
	return rows
}

// TestMeetingFiguresPage: meetings arranged and held through the store, the
// figures read through the page by a manager. The server's clock is 22
// November 2026 at 10:00 (GMT).
func TestMeetingFiguresPage(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f := e.srv, e.f
			st, sw := srv.Store, storetest.As(f.SocialWorker)
			ava := e.createChild(f.SocialWorker, "Ava", "Example")
			bea := e.createChild(f.SocialWorker, "Bea", "Example")
			hold := func(kind string, at time.Time, children []string, o lantern.Outcome) *lantern.Meeting {
				t.Helper()
				m, err := st.CreateMeeting(sw, lantern.MeetingInput{Kind: lantern.MeetingKind(kind), ChildIDs: children, StartsAt: at, EndsAt: at.Add(time.Hour), Location: "Room 1"})
				if err != nil {
					t.Fatal(err)
				}
				o.Held = true
				m, err = st.RecordOutcome(sw, m.ID, m.Version, o)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			day := func(s string) lantern.Date {
				dt, err := lantern.ParseDate(s)
				if err != nil {
					t.Fatal(err)
				}
				return dt
			}
			// September: both children, Ava emerging and Bea high.
			hold("cse-strategy", time.Date(2026, 9, 15, 10, 0, 0, 0, time.UTC), []string{ava.ID, bea.ID}, lantern.Outcome{
				Decisions: []lantern.MeetingDecision{{ChildID: ava.ID, Level: "emerging"}, {ChildID: bea.ID, Level: "high"}}})
			// November: Ava again, now medium, with three actions.
			nov := hold("cse-strategy", time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), []string{ava.ID}, lantern.Outcome{
				Decisions: []lantern.MeetingDecision{{ChildID: ava.ID, Level: "medium"}},
				Actions: []lantern.MeetingAction{
					{Description: "Visit school", Owner: f.SocialWorker.Email, DueDate: day("2026-11-20")},
					{Description: "Check the car", Owner: f.SocialWorker.Email, DueDate: day("2026-11-25")},
					{Description: "Talk to Ava", Owner: f.SocialWorker.Email, DueDate: day("2026-11-28")}}})
			for _, a := range nov.Actions {
				if a.Description == "Check the car" {
					if _, err := st.CompleteAction(sw, nov.ID, a.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
			hold("core-group", time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC), []string{bea.ID}, lantern.Outcome{})
			// Arranged, not held: not counted.
			if _, err := st.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{bea.ID},
				StartsAt: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}

			mgr, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: "manager@csc.example.org", Name: "Mo Manager",
				AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleManager}, Password: storetest.Password})
			if err != nil {
				t.Fatal(err)
			}
			mb := browserFor(t, srv, mgr.Email)

			t.Run("the last 12 months, by default", func(t *testing.T) {
				r := mb.get("/reports/meetings")
				wantPage(t, r, 200, "<h1 class=\"govuk-heading-l\">Meetings</h1>", "CSE strategy meetings, 23 November 2025 to 22 November 2026",
					`aria-current="page">Figures`)
				if got := mfTable(t, r.body, "meetings-headline"); strings.Join(got, "|") !=
					"Meetings held 2|Children they were about 2|Level at their latest meeting: Emerging risk 0|"+
						"Level at their latest meeting: Medium risk 1|Level at their latest meeting: High risk 1" {
					t.Errorf("headline %q", got)
				}
				months := mfTable(t, r.body, "meetings-by-month")
				if len(months) != 13 || months[0] != "November 2025 0 0" || months[10] != "September 2026 1 2" || months[11] != "October 2026 0 0" ||
					months[12] != "November 2026 1 1" {
					t.Errorf("by month %q", months)
				}
				quarters := mfTable(t, r.body, "meetings-by-quarter")
				if len(quarters) != 5 || quarters[0] != "October to December 2025 0 0" || quarters[3] != "July to September 2026 1 2" || quarters[4] != "October to December 2026 1 1" {
					t.Errorf("by quarter %q", quarters)
				}
				if got := mfTable(t, r.body, "meetings-by-kind"); strings.Join(got, "|") !=
					"CSE strategy meeting 2|Strategy discussion 0|Initial child protection conference 0|Review child protection conference 0|"+
						"Core group meeting 1|"+lantern.MeetingContextConference.Label()+" 0" {
					t.Errorf("by kind %q", got)
				}
				// Only the action due 20 November falls in the period: open, late.
				if got := mfTable(t, r.body, "meeting-actions"); strings.Join(got, "|") !=
					"Due 1|Done on time 0|Done late 0|Still open and late 1|Still open, not yet due 0|Per cent done on time 0%" {
					t.Errorf("actions %q", got)
				}
				for _, name := range []string{"Ava", "Bea", "Example"} {
					if strings.Contains(string(r.body), name) {
						t.Errorf("the figures name %s", name)
					}
				}
			})

			t.Run("a period of our own", func(t *testing.T) {
				r := mb.get("/reports/meetings?from=2026-11-01&to=2026-11-30")
				wantPage(t, r, 200, "CSE strategy meetings, 1 November 2026 to 30 November 2026", `value="2026-11-01"`)
				if got := mfTable(t, r.body, "meetings-headline"); len(got) != 5 || got[0] != "Meetings held 1" || got[1] != "Children they were about 1" ||
					got[3] != "Level at their latest meeting: Medium risk 1" {
					t.Errorf("headline %q", got)
				}
				if got := mfTable(t, r.body, "meeting-actions"); strings.Join(got, "|") !=
					"Due 3|Done on time 1|Done late 0|Still open and late 1|Still open, not yet due 1|Per cent done on time 50%" {
					t.Errorf("actions %q", got)
				}
				r = mb.get("/reports/meetings?from=2026-01-01&to=2026-01-31")
				if got := mfTable(t, r.body, "meeting-actions"); len(got) != 6 || got[5] != "Per cent done on time No actions due" {
					t.Errorf("actions with none due %q", got)
				}
			})

			t.Run("a bad period", func(t *testing.T) {
				r := mb.get("/reports/meetings?from=2026-02-31&to=2026-11-30")
				wantPage(t, r, 422, errorSummary, "<title>Error: Meetings", "from must be a date", `value="2026-02-31"`)
				wantErrorLinks(t, r, "from")
				if strings.Contains(string(r.body), `id="meetings-headline"`) {
					t.Errorf("figures shown for a bad period")
				}
				r = mb.get("/reports/meetings?from=2026-11-30&to=2026-11-01")
				wantPage(t, r, 422, errorSummary, "The end of the period must be on or after its start")
				wantErrorLinks(t, r, "to")
				r = mb.get("/reports/meetings?from=1900-01-01&to=2026-11-01")
				wantPage(t, r, 422, errorSummary, "10 years or shorter")
				wantErrorLinks(t, r, "from")
			})

			t.Run("only for those who see figures", func(t *testing.T) {
				wantRedirect(t, newBrowser(t, srv).get("/reports/meetings"), "/sign-in")
				for _, u := range []*lantern.User{f.SocialWorker, f.Teacher, f.Admin} {
					wantPage(t, browserFor(t, srv, u.Email).get("/reports/meetings"), 403, "You cannot do that")
				}
			})
		})
	}
}
