package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/match"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// The case work: concerns and their pathway, toolkit assessments and the
// reassessment clock, loaded toolkits, and merging two records of one child.

// caseChild creates a child born on dob as u.
func caseChild(t *testing.T, s *store.Store, u *lantern.User, given, family, dob string) *lantern.Child {
	t.Helper()
	c, err := s.CreateChild(storetest.As(u), lantern.ChildInput{GivenName: given, FamilyName: family, DateOfBirth: date(t, dob), Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// caseUser adds a user without a password (no argon2 hash: quicker).
func caseUser(t *testing.T, s *store.Store, email, name string, a *lantern.Agency, roles ...lantern.Role) *lantern.User {
	t.Helper()
	u, err := s.CreateUser(lantern.NewSystemContext(context.Background(), "test"),
		lantern.UserInput{Email: email, Name: name, AgencyID: a.ID, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// rowCount counts a table's rows.
func rowCount(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantFields fails unless err is EINVALID naming exactly fields.
func wantFields(t *testing.T, what string, err error, fields ...string) {
	t.Helper()
	if lantern.ErrorCode(err) != lantern.EINVALID {
		t.Errorf("%s: error %v, want invalid naming %q", what, err, fields)
		return
	}
	want := slices.Clone(fields)
	slices.Sort(want)
	if got := fieldsOf(err); !slices.Equal(got, want) {
		t.Errorf("%s: fields %q, want %q (%v)", what, got, want, lantern.ErrorFields(err))
	}
}

func TestConcerns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		child := caseChild(t, s, f.SocialWorker, "Ava", "Example", "2012-03-01")
		now := clock.Now()

		for _, tc := range []struct {
			name   string
			in     lantern.ConcernInput
			fields []string
		}{
			{"no summary", lantern.ConcernInput{RaisedAt: now, Summary: " \n "}, []string{"summary"}},
			{"immediate risk with no action", lantern.ConcernInput{RaisedAt: now, Summary: "Seen in a car", ImmediateRisk: true, ImmediateAction: "  "},
				[]string{"immediate_action"}},
			{"disclosure with no words", lantern.ConcernInput{RaisedAt: now, Summary: "Told me", Disclosure: true, DisclosureWords: " \n\t "},
				[]string{"disclosure_words"}},
			{"raised more than 5 minutes ahead", lantern.ConcernInput{RaisedAt: now.Add(5*time.Minute + time.Second), Summary: "Later"},
				[]string{"raised_at"}},
			{"no time", lantern.ConcernInput{Summary: "When?"}, []string{"raised_at"}},
		} {
			_, err := s.CreateConcern(sw, child.ID, tc.in)
			wantFields(t, tc.name, err, tc.fields...)
		}
		if n := rowCount(t, s, "concerns"); n != 0 {
			t.Fatalf("%d concerns stored after refusals", n)
		}

		// The young person's words are kept exactly as given.
		words := "  He said \"you're my girl\" & <b>nobody</b> has to know.\n\n  Then he drove off.\t\n"
		c, err := s.CreateConcern(sw, child.ID, lantern.ConcernInput{RaisedAt: now.Add(-time.Hour), Summary: "  Disclosed at school  ",
			Disclosure: true, DisclosureWords: words})
		if err != nil {
			t.Fatal(err)
		}
		if c.Step != lantern.StepRecorded || c.Version != 1 || c.DisclosureWords != words || c.Summary != "Disclosed at school" {
			t.Errorf("created %+v", c)
		}
		got, err := s.FindConcern(sw, child.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.DisclosureWords != words {
			t.Errorf("stored words %q, want exactly %q", got.DisclosureWords, words)
		}
		if !got.RaisedAt.Equal(now.Add(-time.Hour)) || got.RaisedBy != f.SocialWorker.ID || got.AgencyID != f.CSC.ID {
			t.Errorf("stored %+v", got)
		}
		if len(got.Steps) != 1 || got.Steps[0].Step != lantern.StepRecorded || got.Steps[0].UserID != f.SocialWorker.ID ||
			got.Steps[0].UserName != f.SocialWorker.Name || !got.Steps[0].At.Equal(now) {
			t.Errorf("steps %+v", got.Steps)
		}
		// Up to five minutes ahead is a clock running fast, and accepted.
		if _, err := s.CreateConcern(sw, child.ID, lantern.ConcernInput{RaisedAt: now.Add(4 * time.Minute), Summary: "Fast clock"}); err != nil {
			t.Errorf("4 minutes ahead: %v", err)
		}

		// The pathway: only the next step, by hand, with a current version.
		_, err = s.MoveConcern(sw, child.ID, c.ID, 1, lantern.StepReferred, "")
		wantFields(t, "recorded to referred", err, "step")
		_, err = s.MoveConcern(sw, child.ID, c.ID, 1, lantern.StepToolkit, "")
		wantFields(t, "recorded to toolkit by hand", err, "step")
		other := caseChild(t, s, f.SocialWorker, "Bea", "Other", "2011-05-05")
		_, err = s.MoveConcern(sw, other.ID, c.ID, 1, lantern.StepChecked, "")
		wantCode(t, err, lantern.ENOTFOUND)
		_, err = s.FindConcern(sw, other.ID, c.ID)
		wantCode(t, err, lantern.ENOTFOUND)
		_, err = s.MoveConcern(storetest.As(f.OtherTeacher), child.ID, c.ID, 1, lantern.StepChecked, "")
		wantCode(t, err, lantern.ENOTFOUND)

		clock.Add(time.Hour)
		moved, err := s.MoveConcern(sw, child.ID, c.ID, 1, lantern.StepChecked, "  Checked our records; told my manager  ")
		if err != nil {
			t.Fatal(err)
		}
		if moved.Step != lantern.StepChecked || moved.Version != 2 {
			t.Errorf("moved %+v", moved)
		}
		_, err = s.MoveConcern(sw, child.ID, c.ID, 1, lantern.StepChecked, "")
		wantCode(t, err, lantern.ECONFLICT)
		_, err = s.MoveConcern(sw, child.ID, c.ID, 2, lantern.StepToolkit, "")
		wantFields(t, "records-checked to toolkit by hand", err, "step")

		// The toolkit step is reached by recording an assessment for it.
		clock.Add(time.Hour)
		a, err := s.CreateAssessment(sw, child.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}},
			Analysis: "Missing twice from home, returning late", ConcernID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		got, err = s.FindConcern(sw, child.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Step != lantern.StepToolkit || got.AssessmentID != a.ID || got.Version != 3 || len(got.Steps) != 3 {
			t.Fatalf("after the assessment: %+v", got)
		}
		for i, want := range []struct {
			step lantern.ConcernStep
			at   time.Time
			note string
		}{{lantern.StepRecorded, now, ""}, {lantern.StepChecked, now.Add(time.Hour), "Checked our records; told my manager"},
			{lantern.StepToolkit, now.Add(2 * time.Hour), "assessment " + a.ID}} {
			m := got.Steps[i]
			if m.Step != want.step || !m.At.Equal(want.at) || m.UserID != f.SocialWorker.ID || m.UserName == "" || m.Note != want.note {
				t.Errorf("step %d: %+v, want %s at %s by the social worker, note %q", i, m, want.step, want.at, want.note)
			}
		}
		if _, err := s.MoveConcern(sw, child.ID, c.ID, 3, lantern.StepMonitor, ""); err != nil {
			t.Errorf("toolkit to monitor: %v", err)
		}

		// A teacher cannot raise a concern about a child the school does not
		// work with...
		_, err = s.CreateConcern(storetest.As(f.Teacher), child.ID, lantern.ConcernInput{RaisedAt: now, Summary: "Seen outside"})
		wantCode(t, err, lantern.ENOTFOUND)
		// ...and a CSE coordinator who works in the school, who sees every
		// child by role, gives the school nothing by raising one: the
		// school's people see the child no more than before. (The role is
		// now refused outside children's social care; an older store may
		// hold one.)
		coord := caseUser(t, s, "cse@riverside.example.org", "Cee Coordinator", f.School, lantern.RolePractitioner)
		coord.Roles = []lantern.Role{lantern.RoleCSECoordinator}
		colleague := caseUser(t, s, "head@riverside.example.org", "Hed Teacher", f.School, lantern.RolePractitioner)
		if _, err := s.CreateConcern(storetest.As(coord), child.ID, lantern.ConcernInput{RaisedAt: now, Summary: "Seen outside"}); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*lantern.User{f.Teacher, colleague} {
			_, err := s.FindChildByID(storetest.As(u), child.ID)
			wantCode(t, err, lantern.ENOTFOUND)
		}
		if _, err := s.FindChildByID(storetest.As(f.OtherTeacher), child.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("another school sees the child: %v", err)
		}
		if acts := auditActions(t, s, f, child.ID); acts["concern.create"] != 3 || acts["concern.step"] != 2 {
			t.Errorf("audit: %v", acts)
		}
	})
}

func TestAssessments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		child := caseChild(t, s, f.SocialWorker, "Ava", "Example", "2012-03-01") // 14 on 2026-11-22
		adult := caseChild(t, s, f.SocialWorker, "Ada", "Older", "2008-11-22")   // 18 on 2026-11-22
		otherChild := caseChild(t, s, f.SocialWorker, "Bea", "Other", "2011-05-05")
		otherConcern, err := s.CreateConcern(sw, otherChild.ID, lantern.ConcernInput{RaisedAt: clock.Now(), Summary: "Another child's"})
		if err != nil {
			t.Fatal(err)
		}
		in := func(on string, inds []string, ev map[string]string, analysis string) toolkit.AssessmentInput {
			return toolkit.AssessmentInput{Answers: toolkit.Input{AssessedOn: date(t, on), Indicators: inds}, Evidence: ev, Analysis: analysis}
		}

		for _, tc := range []struct {
			name    string
			child   *lantern.Child
			toolkit string
			in      toolkit.AssessmentInput
			fields  []string
		}{
			{"no analysis", child, "", in("2026-11-22", []string{"sign.missing"}, nil, ""), []string{"analysis"}},
			{"blank analysis", child, "", in("2026-11-22", []string{"sign.missing"}, nil, " \n\t"), []string{"analysis"}},
			{"a medium sign with no evidence", child, "", in("2026-11-22", []string{"sign.gangs"}, nil, "Gangs"), []string{"evidence.sign.gangs"}},
			{"a high sign with blank evidence", child, "", in("2026-11-22", []string{"sign.transported"}, map[string]string{"sign.transported": "  "}, "Moved"),
				[]string{"evidence.sign.transported"}},
			{"evidence for a sign not ticked", child, "", in("2026-11-22", []string{"sign.missing"}, map[string]string{"sign.gangs": "seen with a gang"}, "Late"),
				[]string{"evidence.sign.gangs"}},
			{"an unknown indicator", child, "", in("2026-11-22", []string{"sign.nope"}, nil, "x"), []string{"indicators"}},
			{"under 13 ticked for a 14-year-old", child, "", in("2026-11-22", []string{toolkit.Under13}, nil, "x"), []string{"indicators"}},
			{"an unknown toolkit", child, "area-v9", in("2026-11-22", []string{"sign.missing"}, nil, "x"), []string{"toolkit"}},
			{"a date in the future", child, "", in("2026-11-23", []string{"sign.missing"}, nil, "x"), []string{"assessed_on"}},
			{"18 on the date", adult, "", in("2026-11-22", []string{"sign.missing"}, nil, "x"), []string{"date_of_birth"}},
			{"an unknown recorded level", child, "", func() toolkit.AssessmentInput {
				a := in("2026-11-22", []string{"sign.missing"}, nil, "x")
				a.RecordedLevel = "severe"
				return a
			}(), []string{"recorded_level"}},
			{"a different level with no rationale", child, "", func() toolkit.AssessmentInput {
				a := in("2026-11-22", []string{"sign.missing"}, nil, "x")
				a.RecordedLevel, a.OverrideRationale = toolkit.Medium, " \n "
				return a
			}(), []string{"override_rationale"}},
			{"a concern that does not exist", child, "", func() toolkit.AssessmentInput {
				a := in("2026-11-22", []string{"sign.missing"}, nil, "x")
				a.ConcernID = "0190f0f0-0000-7000-8000-000000000000"
				return a
			}(), []string{"concern_id"}},
			{"another child's concern", child, "", func() toolkit.AssessmentInput {
				a := in("2026-11-22", []string{"sign.missing"}, nil, "x")
				a.ConcernID = otherConcern.ID
				return a
			}(), []string{"concern_id"}},
		} {
			_, err := s.CreateAssessment(sw, tc.child.ID, tc.toolkit, tc.in)
			wantFields(t, tc.name, err, tc.fields...)
		}
		if a, tk := rowCount(t, s, "assessments"), rowCount(t, s, "tasks"); a != 0 || tk != 0 {
			t.Fatalf("after refusals: %d assessments and %d tasks stored", a, tk)
		}
		if k, err := s.FindConcern(sw, otherChild.ID, otherConcern.ID); err != nil || k.Step != lantern.StepRecorded || k.Version != 1 {
			t.Errorf("a refused assessment moved another child's concern: %+v, %v", k, err)
		}

		// Vulnerable: the date of birth and open case are the record's, not
		// the input's; a reassessment is due 12 weeks on, at the end of the
		// day in London (here in summer time).
		first := in("2026-04-01", []string{"vuln.looked-after"}, nil, "Placed out of area")
		first.Answers.DateOfBirth, first.Answers.OpenCase = date(t, "2000-01-01"), true
		a1, err := s.CreateAssessment(sw, child.ID, "", first)
		if err != nil {
			t.Fatal(err)
		}
		if a1.RecordedLevel != toolkit.Vulnerable || a1.Suggested.Level != toolkit.Vulnerable || a1.Suggested.Age != 14 || a1.OpenCase ||
			a1.Toolkit != toolkit.DefaultID || a1.OverrideRationale != "" {
			t.Errorf("first assessment: %+v, suggested %+v", a1, a1.Suggested)
		}
		wantTask := func(tk *lantern.Task, due string, status lantern.TaskStatus) {
			t.Helper()
			d := date(t, due)
			at := time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 0, lantern.London)
			if tk.Clock != lantern.ClockToolkitReassessment || tk.DueDate != d || !tk.DueAt.Equal(at) || tk.Profile != "wt2023" ||
				tk.Status != status || tk.ChildID != child.ID {
				t.Errorf("task %+v, want %s due %s (%s), profile wt2023", tk, status, due, at)
			}
			if tk.DueAt.Location().String() != "Europe/London" {
				t.Errorf("due_at is in %s", tk.DueAt.Location())
			}
		}
		if len(a1.Tasks) != 1 {
			t.Fatalf("vulnerable made %d tasks", len(a1.Tasks))
		}
		wantTask(a1.Tasks[0], "2026-06-24", lantern.TaskOpen)
		if _, off := a1.Tasks[0].DueAt.Zone(); off != 3600 {
			t.Errorf("due in June, offset %d, want British Summer Time", off)
		}

		// Emerging again: the open task is done, a new one set.
		clock.Add(time.Hour)
		a2, err := s.CreateAssessment(sw, child.ID, "", in("2026-11-22", []string{"sign.missing", "vuln.looked-after"}, nil, "Missing again"))
		if err != nil {
			t.Fatal(err)
		}
		if a2.RecordedLevel != toolkit.Emerging || len(a2.Tasks) != 1 {
			t.Fatalf("second assessment: %s, %d tasks", a2.RecordedLevel, len(a2.Tasks))
		}
		wantTask(a2.Tasks[0], "2027-02-14", lantern.TaskOpen)
		if !slices.Contains(a2.Suggested.NextSteps, "Monitor the case and record any changes.") {
			t.Errorf("emerging next steps %q", a2.Suggested.NextSteps)
		}

		// Open to children's social care, then medium: no new task, and the
		// steps say to contact the allocated social worker.
		cur, err := s.FindChildByID(sw, child.ID)
		if err != nil {
			t.Fatal(err)
		}
		det := cur.ChildDetails
		det.OpenCase, det.AllocatedSocialWorkerID = true, f.SocialWorker.ID
		if _, err := s.UpdateChild(sw, child.ID, cur.Version, lantern.ChildInput{GivenName: cur.GivenName, FamilyName: cur.FamilyName,
			DateOfBirth: cur.DateOfBirth, Gender: cur.Gender, ChildDetails: det}); err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Hour)
		a3, err := s.CreateAssessment(sw, child.ID, "", in("2026-11-22", []string{"sign.gangs"}, map[string]string{"sign.gangs": "  Seen with older boys  "}, "Gangs"))
		if err != nil {
			t.Fatal(err)
		}
		if a3.RecordedLevel != toolkit.Medium || len(a3.Tasks) != 0 || !a3.OpenCase {
			t.Errorf("medium: %s, %d tasks, open case %v", a3.RecordedLevel, len(a3.Tasks), a3.OpenCase)
		}
		if !slices.Contains(a3.Suggested.NextSteps, "Contact the allocated social worker.") ||
			slices.Contains(a3.Suggested.NextSteps, "Refer to the area's front door for children's social care.") {
			t.Errorf("medium, open case: next steps %q", a3.Suggested.NextSteps)
		}

		tasks, err := s.ChildTasks(sw, child.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tasks) != 2 {
			t.Fatalf("tasks %d, want 2", len(tasks))
		}
		wantTask(tasks[0], "2026-06-24", lantern.TaskDone)
		wantTask(tasks[1], "2027-02-14", lantern.TaskDone)
		if tasks[0].DoneAt == nil || !tasks[0].DoneAt.Equal(clock.Now().Add(-time.Hour)) ||
			tasks[1].DoneAt == nil || !tasks[1].DoneAt.Equal(clock.Now()) {
			t.Errorf("done at %v and %v", tasks[0].DoneAt, tasks[1].DoneAt)
		}

		// What is stored is what was returned; newest first.
		as, err := s.Assessments(sw, child.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 3 || as[2].ID != a1.ID {
			t.Fatalf("stored %d assessments", len(as))
		}
		if as[2].OpenCase || as[2].Suggested.Age != 14 || !as[0].OpenCase || as[0].Evidence["sign.gangs"] != "Seen with older boys" ||
			as[0].Suggested.Level != toolkit.Medium || as[0].CreatedBy != f.SocialWorker.ID || as[0].CreatedByName != f.SocialWorker.Name {
			t.Errorf("stored: oldest %+v; newest %+v", as[2], as[0])
		}
		if !slices.Contains(as[0].Suggested.NextSteps, "Contact the allocated social worker.") {
			t.Errorf("stored next steps %q", as[0].Suggested.NextSteps)
		}

		// Overriding with a rationale is kept with it.
		over := in("2026-11-22", []string{"sign.missing"}, nil, "Late home")
		over.RecordedLevel, over.OverrideRationale = toolkit.High, "Police intelligence of an older man"
		a4, err := s.CreateAssessment(sw, child.ID, "", over)
		if err != nil || a4.RecordedLevel != toolkit.High || a4.Suggested.Level != toolkit.Emerging || a4.OverrideRationale == "" || len(a4.Tasks) != 0 {
			t.Errorf("override: %+v, %v", a4, err)
		}

		// Nobody reads the tasks, concerns or assessments of a child they
		// cannot see.
		for _, u := range []*lantern.User{f.OtherTeacher, f.Teacher, f.Admin, f.Auditor} {
			ctx := storetest.As(u)
			_, err := s.ChildTasks(ctx, child.ID)
			wantCode(t, err, lantern.ENOTFOUND)
			_, err = s.Assessments(ctx, child.ID)
			wantCode(t, err, lantern.ENOTFOUND)
			_, err = s.Concerns(ctx, child.ID)
			wantCode(t, err, lantern.ENOTFOUND)
			_, err = s.CreateAssessment(ctx, child.ID, "", in("2026-11-22", []string{"sign.missing"}, nil, "x"))
			wantCode(t, err, lantern.ENOTFOUND)
		}
		if n := rowCount(t, s, "assessments"); n != 4 {
			t.Errorf("%d assessments stored, want 4", n)
		}
	})
}

// areaToolkit is the built-in definition changed by fn, as JSON.
func areaToolkit(t *testing.T, fn func(d *toolkit.Definition)) []byte {
	t.Helper()
	d := toolkit.Builtin()
	d.ID, d.Name = "area-v2", "Area toolkit, version 2"
	fn(d)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadedToolkits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw, adm := storetest.As(f.SocialWorker), storetest.As(f.Admin)
		child := caseChild(t, s, f.SocialWorker, "Ava", "Example", "2012-03-01")
		missing := func(d *toolkit.Definition) int {
			return slices.IndexFunc(d.Signs, func(i toolkit.Indicator) bool { return i.ID == "sign.missing" })
		}
		// In area-v2, going missing is a medium sign.
		v2 := areaToolkit(t, func(d *toolkit.Definition) { d.Signs[missing(d)].Band = toolkit.BandMedium })

		if _, err := s.LoadToolkit(sw, v2); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a social worker loaded a toolkit: %v", err)
		}
		if err := s.SetCurrentToolkit(sw, toolkit.DefaultID); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a social worker chose the toolkit: %v", err)
		}
		old, err := s.CreateAssessment(sw, child.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}}, Analysis: "Late"})
		if err != nil || old.Toolkit != toolkit.DefaultID || old.RecordedLevel != toolkit.Emerging {
			t.Fatalf("before loading: %+v, %v", old, err)
		}

		def, err := s.LoadToolkit(adm, v2)
		if err != nil {
			t.Fatal(err)
		}
		if def.ID != "area-v2" || def.Indicator("sign.missing").Band != toolkit.BandMedium {
			t.Errorf("loaded %s with sign.missing %+v", def.ID, def.Indicator("sign.missing"))
		}
		for _, tc := range []struct {
			name  string
			raw   []byte
			field string // a prefix of a field named
		}{
			{"an unknown band", areaToolkit(t, func(d *toolkit.Definition) { d.ID = "area-v3"; d.Signs[0].Band = "X" }), "signs[0].band"},
			{"a duplicate indicator", areaToolkit(t, func(d *toolkit.Definition) { d.ID = "area-v3"; d.Signs[1].ID = d.Signs[0].ID }), "signs[1]"},
			{"a rule naming an unknown indicator", areaToolkit(t, func(d *toolkit.Definition) {
				d.ID = "area-v3"
				d.Rules[0].When.AnyOf = []string{"sign.nope"}
			}), "rules[0].when.any_of"},
			{"the built-in id", areaToolkit(t, func(d *toolkit.Definition) { d.ID = toolkit.DefaultID }), "id"},
			{"an id already loaded", v2, "id"},
			{"not JSON", []byte(`{"id": "area-v3",`), "definition"},
		} {
			_, err := s.LoadToolkit(adm, tc.raw)
			if lantern.ErrorCode(err) != lantern.EINVALID || !slices.Contains(fieldsOf(err), tc.field) {
				t.Errorf("%s: %v (fields %q), want invalid naming %s", tc.name, err, fieldsOf(err), tc.field)
			}
		}
		if ts, err := s.Toolkits(adm); err != nil || len(ts) != 2 || !ts[0].Current || ts[1].ID != "area-v2" || ts[1].Current {
			t.Errorf("toolkits %+v, %v", ts, err)
		}

		// Chosen by name, area-v2 wants evidence for going missing.
		_, err = s.CreateAssessment(sw, child.ID, "area-v2", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}}, Analysis: "Late"})
		wantFields(t, "area-v2 without evidence", err, "evidence.sign.missing")
		named, err := s.CreateAssessment(sw, child.ID, "area-v2", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}},
			Evidence: map[string]string{"sign.missing": "Three nights this month"}, Analysis: "Late"})
		if err != nil {
			t.Fatal(err)
		}
		if named.Toolkit != "area-v2" || named.Suggested.Toolkit != "area-v2" || named.RecordedLevel != toolkit.Medium {
			t.Errorf("with area-v2: %s, suggested %+v", named.Toolkit, named.Suggested)
		}

		// Made current, it is the default.
		if err := s.SetCurrentToolkit(adm, "area-v9"); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Errorf("current toolkit set to one not loaded: %v", err)
		}
		// No id at all is not a toolkit: were it kept as the current one,
		// every assessment without a toolkit named would be refused.
		if err := s.SetCurrentToolkit(adm, ""); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Errorf("current toolkit set to no id: %v", err)
		}
		if id, _ := s.CurrentToolkitID(sw); id != toolkit.DefaultID {
			t.Errorf("current toolkit %q after refusals", id)
		}
		if err := s.SetCurrentToolkit(adm, "area-v2"); err != nil {
			t.Fatal(err)
		}
		if id, _ := s.CurrentToolkitID(sw); id != "area-v2" {
			t.Errorf("current toolkit %q", id)
		}
		dflt, err := s.CreateAssessment(sw, child.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}},
			Evidence: map[string]string{"sign.missing": "Again"}, Analysis: "Late"})
		if err != nil {
			t.Fatal(err)
		}
		if dflt.Toolkit != "area-v2" || dflt.RecordedLevel != toolkit.Medium {
			t.Errorf("default after the change: %s %s", dflt.Toolkit, dflt.RecordedLevel)
		}
		// The old assessment keeps its toolkit and its level.
		as, err := s.Assessments(sw, child.ID)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]string{}
		for _, a := range as {
			byID[a.ID] = a.Toolkit + " " + string(a.RecordedLevel) + " " + a.Suggested.Toolkit
		}
		if byID[old.ID] != "nottingham-v1 emerging nottingham-v1" || byID[named.ID] != "area-v2 medium area-v2" || byID[dflt.ID] != "area-v2 medium area-v2" {
			t.Errorf("stored toolkits %q", byID)
		}
		// The built-in one is still there by name.
		if a, err := s.CreateAssessment(sw, child.ID, toolkit.DefaultID, toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}},
			Analysis: "Late"}); err != nil || a.Toolkit != toolkit.DefaultID || a.RecordedLevel != toolkit.Emerging {
			t.Errorf("built-in by name: %+v, %v", a, err)
		}
	})
}

func TestMergeChildren(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw, school := storetest.As(f.SocialWorker), storetest.As(f.Teacher)
		mgr := caseUser(t, s, "manager@csc.example.org", "Mo Manager", f.CSC, lantern.RoleManager)
		mctx := storetest.As(mgr)
		keep := caseChild(t, s, f.SocialWorker, "Jayden", "Smith", "2013-04-05")
		dup := caseChild(t, s, f.Teacher, "Jaden", "Smyth", "2013-04-05")
		if _, err := s.AddOtherName(school, dup.ID, lantern.OtherNameInput{Name: "JJ", Kind: "nickname"}); err != nil {
			t.Fatal(err)
		}
		k, err := s.CreateConcern(school, dup.ID, lantern.ConcernInput{RaisedAt: clock.Now(), Summary: "Late to school, tired"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.CreateAssessment(school, dup.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.education-attendance"}},
			Analysis: "Attendance falling"})
		if err != nil || len(a.Tasks) != 1 {
			t.Fatalf("assessment of the duplicate: %+v, %v", a, err)
		}
		if _, err := s.FindChildByID(school, keep.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("the school sees the kept record before the merge: %v", err)
		}
		kv, dv := keep.Version, dup.Version

		_, err = s.MergeChildren(sw, keep.ID, dup.ID, kv, dv)
		wantCode(t, err, lantern.EFORBIDDEN)
		_, err = s.MergeChildren(school, keep.ID, dup.ID, kv, dv)
		wantCode(t, err, lantern.ENOTFOUND)
		_, err = s.MergeChildren(mctx, keep.ID, keep.ID, kv, kv)
		wantFields(t, "merge into itself", err, "other_id")
		_, err = s.MergeChildren(mctx, keep.ID, dup.ID, kv+1, dv)
		wantCode(t, err, lantern.ECONFLICT)
		_, err = s.MergeChildren(mctx, keep.ID, dup.ID, kv, dv+1)
		wantCode(t, err, lantern.ECONFLICT)
		if got, _ := s.Concerns(sw, dup.ID); len(got) != 1 {
			t.Fatalf("a refused merge moved the concern")
		}

		merged, err := s.MergeChildren(mctx, keep.ID, dup.ID, kv, dv)
		if err != nil {
			t.Fatal(err)
		}
		if merged.ID != keep.ID || merged.Version != kv+1 || !slices.Contains(merged.AgencyIDs, f.School.ID) || merged.MergedInto != "" {
			t.Errorf("merged %+v", merged)
		}
		d, err := s.FindChildByID(sw, dup.ID)
		if err != nil || d.MergedInto != keep.ID || d.Version != dv+1 {
			t.Errorf("the duplicate after the merge: %+v, %v", d, err)
		}
		cs, err := s.Concerns(sw, keep.ID)
		if err != nil || len(cs) != 1 || cs[0].ID != k.ID || cs[0].ChildID != keep.ID {
			t.Errorf("concerns of the kept record: %v, %v", cs, err)
		}
		as, err := s.Assessments(sw, keep.ID)
		if err != nil || len(as) != 1 || as[0].ID != a.ID {
			t.Errorf("assessments of the kept record: %v, %v", as, err)
		}
		ts, err := s.ChildTasks(sw, keep.ID)
		if err != nil || len(ts) != 1 || ts[0].ID != a.Tasks[0].ID || ts[0].ChildID != keep.ID {
			t.Errorf("tasks of the kept record: %v, %v", ts, err)
		}
		names, err := s.OtherNames(sw, keep.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range names {
			got = append(got, n.Name+" ("+n.Kind+")")
		}
		slices.Sort(got)
		if !slices.Equal(got, []string{"JJ (nickname)", "Jaden Smyth (previous-name)"}) {
			t.Errorf("other names of the kept record %q", got)
		}
		if left, _ := s.Concerns(sw, dup.ID); len(left) != 0 {
			t.Errorf("the duplicate still has %d concerns", len(left))
		}

		// The duplicate is no longer listed or matched; the school, involved
		// with it, now sees the kept record.
		list, _, err := s.FindChildren(sw, lantern.ChildFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range list {
			ids = append(ids, c.ID)
		}
		if !slices.Contains(ids, keep.ID) || slices.Contains(ids, dup.ID) {
			t.Errorf("children listed %q", ids)
		}
		ms, err := s.FindMatches(sw, match.Query{GivenName: "Jaden", FamilyName: "Smyth", DateOfBirth: date(t, "2013-04-05")}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := matchIDs(ms); !slices.Contains(got, keep.ID) || slices.Contains(got, dup.ID) {
			t.Errorf("matches %q, want the kept %s and not the duplicate %s", got, keep.ID, dup.ID)
		}
		if _, err := s.FindChildByID(school, keep.ID); err != nil {
			t.Errorf("the school after the merge: %v", err)
		}
		if _, err := s.ChildTasks(storetest.As(f.OtherTeacher), keep.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("another school reads the tasks: %v", err)
		}

		// A merged record stays read-only.
		_, err = s.MergeChildren(mctx, keep.ID, dup.ID, kv+1, dv+1)
		wantFields(t, "merge again", err, "other_id")
		_, err = s.CreateConcern(sw, dup.ID, lantern.ConcernInput{RaisedAt: clock.Now(), Summary: "On the old record"})
		wantCode(t, err, lantern.ECONFLICT)
		_, err = s.CreateAssessment(sw, dup.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}}, Analysis: "x"})
		wantCode(t, err, lantern.ECONFLICT)

		for _, tc := range []struct{ action, child, detail string }{
			{"child.merge", keep.ID, "merged=" + dup.ID}, {"child.merged", dup.ID, "into=" + keep.ID},
		} {
			es, n, err := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: tc.action, ChildID: tc.child})
			if err != nil || n != 1 || es[0].UserID != mgr.ID || !strings.Contains(es[0].Detail, tc.detail) {
				t.Errorf("audit %s: %d entries %+v, %v", tc.action, n, es, err)
			}
		}
		if n, err := s.VerifyAudit(context.Background()); err != nil || n == 0 {
			t.Errorf("verify: %d, %v", n, err)
		}
	})
}
