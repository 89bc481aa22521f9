package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/clocks"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// Missing and absent episodes, the 72-hour return interview clock, who may
// read what a young person said, the count the toolkit takes from the
// record, and the partnership's figures.

// london is a wall-clock time in the UK.
func london(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, lantern.London)
}

func ptime(t time.Time) *time.Time { return &t }

// episode records an episode as ctx's user and fails the test on error.
func episode(t *testing.T, s *store.Store, u *lantern.User, childID, kind string, from time.Time, returned *time.Time) *lantern.MissingEpisode {
	t.Helper()
	e, err := s.CreateEpisode(storetest.As(u), childID, lantern.EpisodeInput{Kind: kind, MissingFrom: from, ReturnedAt: returned})
	if err != nil {
		t.Fatalf("episode from %s: %v", from, err)
	}
	return e
}

// returnTask is the return interview task an episode started, as u sees it.
func returnTask(t *testing.T, s *store.Store, u *lantern.User, childID, episodeID string) *lantern.Task {
	t.Helper()
	ts, err := s.ChildTasks(storetest.As(u), childID)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range ts {
		if task.Clock == clocks.ReturnInterview && task.SourceID == episodeID {
			return task
		}
	}
	t.Fatalf("no return interview task for episode %s in %+v", episodeID, ts)
	return nil
}

func TestMissingEpisodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		// The clock is set after every event below.
		clock.Set(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
		sw := storetest.As(f.SocialWorker)

		t.Run("the 72-hour clock counts real hours across the clocks changing", func(t *testing.T) {
			c := caseChild(t, s, f.SocialWorker, "Dana", "Clocks", "2012-03-01")
			for _, tc := range []struct {
				from, returned, due time.Time
				offset              string
			}{
				// Forward on 29 March 2026: GMT to BST.
				{london(2026, 3, 27, 20, 0), london(2026, 3, 28, 12, 0), london(2026, 3, 31, 13, 0), "+01:00"},
				// Back on 25 October 2026: BST to GMT.
				{london(2026, 10, 23, 20, 0), london(2026, 10, 24, 12, 0), london(2026, 10, 27, 11, 0), "Z"},
			} {
				e := episode(t, s, f.SocialWorker, c.ID, "missing", tc.from, &tc.returned)
				if len(e.Tasks) != 1 {
					t.Fatalf("returned episode has tasks %+v, want the return interview", e.Tasks)
				}
				task := e.Tasks[0]
				if task.Clock != clocks.ReturnInterview || !task.DueAt.Equal(tc.due) || task.DueAt.Sub(tc.returned) != 72*time.Hour ||
					task.DueDate != lantern.DateOf(tc.due) || task.SourceID != e.ID || task.Status != lantern.TaskOpen {
					t.Errorf("returned %s: task %+v due %s, want %s (72 real hours)", tc.returned, task, task.DueAt.In(lantern.London), tc.due)
				}
				if got := task.DueAt.In(lantern.London).Format(time.RFC3339); !strings.HasSuffix(got, tc.offset) {
					t.Errorf("due %s, want the offset %s", got, tc.offset)
				}
			}
		})

		t.Run("refusals: times, overlaps, stale versions", func(t *testing.T) {
			c := caseChild(t, s, f.SocialWorker, "Ola", "Overlap", "2012-03-01")
			_, err := s.CreateEpisode(sw, c.ID, lantern.EpisodeInput{MissingFrom: london(2026, 11, 1, 18, 0), ReturnedAt: ptime(london(2026, 11, 1, 17, 0))})
			wantFields(t, "return before start", err, "returned_at")
			_, err = s.CreateEpisode(sw, c.ID, lantern.EpisodeInput{Kind: "away", MissingFrom: london(2026, 11, 1, 18, 0),
				Presentation: []string{"sunburn"}})
			wantFields(t, "unknown kind and presentation", err, "kind", "presentation")
			_, err = s.CreateEpisode(sw, c.ID, lantern.EpisodeInput{MissingFrom: clock.Now().AddDate(lantern.MaxYearsAhead, 1, 0)})
			wantFields(t, "years ahead", err, "missing_from")

			open := episode(t, s, f.SocialWorker, c.ID, "missing", london(2026, 11, 1, 18, 0), nil)
			if len(open.Tasks) != 0 || !open.Open() || open.Version != 1 || open.Kind != "missing" {
				t.Errorf("open episode %+v", open)
			}
			// An open episode blocks any later start, open or closed.
			_, err = s.CreateEpisode(sw, c.ID, lantern.EpisodeInput{MissingFrom: london(2026, 11, 5, 9, 0)})
			wantFields(t, "open after an open one", err, "missing_from")
			_, err = s.CreateEpisode(sw, c.ID, lantern.EpisodeInput{MissingFrom: london(2026, 11, 5, 9, 0), ReturnedAt: ptime(london(2026, 11, 6, 9, 0))})
			wantFields(t, "closed after an open one", err, "missing_from")
			// One that ended before it began is fine; closed ones overlap by interval.
			before := episode(t, s, f.SocialWorker, c.ID, "absent", london(2026, 10, 28, 10, 0), ptime(london(2026, 10, 29, 10, 0)))
			_, err = s.CreateEpisode(sw, c.ID, lantern.EpisodeInput{MissingFrom: london(2026, 10, 28, 20, 0), ReturnedAt: ptime(london(2026, 10, 30, 9, 0))})
			wantFields(t, "inside a closed one", err, "missing_from")
			_, err = s.CreateEpisode(sw, c.ID, lantern.EpisodeInput{MissingFrom: london(2026, 10, 30, 10, 0), ReturnedAt: ptime(london(2026, 11, 2, 9, 0))})
			wantFields(t, "running into the open one", err, "returned_at")
			_, err = s.CreateEpisode(sw, c.ID, lantern.EpisodeInput{MissingFrom: london(2026, 10, 27, 10, 0)})
			wantFields(t, "open, before a closed one", err, "missing_from")
			// Back to back is not an overlap.
			episode(t, s, f.SocialWorker, c.ID, "missing", london(2026, 10, 29, 10, 0), ptime(london(2026, 10, 29, 12, 0)))

			// The interview waits for the return.
			_, err = s.RecordInterview(sw, c.ID, open.ID, lantern.InterviewInput{HeldAt: ptime(london(2026, 11, 2, 9, 0)), HeldBy: "Ivy"})
			wantFields(t, "interview while still missing", err, "held_at")

			// The return: not before the start, not with a stale version,
			// and not twice.
			_, err = s.RecordReturn(sw, c.ID, open.ID, 1, lantern.ReturnInput{ReturnedAt: london(2026, 11, 1, 17, 0)})
			wantFields(t, "return before the start", err, "returned_at")
			_, err = s.RecordReturn(sw, c.ID, open.ID, 1, lantern.ReturnInput{ReturnedAt: london(2026, 11, 3, 9, 0), ReturnedWhere: strings.Repeat("x", 501)})
			wantFields(t, "a place too long", err, "returned_where")
			_, err = s.RecordReturn(sw, c.ID, open.ID, 1, lantern.ReturnInput{ReturnedAt: london(2026, 11, 3, 9, 0), PlacingAuthorityInformed: ptime(clock.Now().AddDate(lantern.MaxYearsAhead, 1, 0))})
			wantFields(t, "placing authority told years ahead", err, "placing_authority_informed")
			_, err = s.RecordReturn(sw, c.ID, open.ID, 2, lantern.ReturnInput{ReturnedAt: london(2026, 11, 3, 9, 0)})
			wantCode(t, err, lantern.ECONFLICT)
			_, err = s.RecordReturn(sw, c.ID, before.ID, before.Version, lantern.ReturnInput{ReturnedAt: london(2026, 10, 29, 11, 0)})
			wantCode(t, err, lantern.ECONFLICT)
			returned, err := s.RecordReturn(sw, c.ID, open.ID, 1, lantern.ReturnInput{ReturnedAt: london(2026, 11, 3, 9, 0), ReturnedWhere: " Bus station ",
				Presentation: []string{"tired-or-hungry", "new-possessions"}})
			if err != nil {
				t.Fatal(err)
			}
			if returned.Version != 2 || returned.Open() || returned.ReturnedWhere != "Bus station" || len(returned.Tasks) != 1 ||
				!returned.Tasks[0].DueAt.Equal(london(2026, 11, 6, 9, 0)) || !slices.Equal(returned.Presentation, []string{"tired-or-hungry", "new-possessions"}) {
				t.Errorf("returned %+v, tasks %+v", returned, returned.Tasks)
			}
			_, err = s.RecordReturn(sw, c.ID, open.ID, 2, lantern.ReturnInput{ReturnedAt: london(2026, 11, 3, 10, 0)})
			wantCode(t, err, lantern.ECONFLICT)

			// The interview: not before the return; held ends the task.
			_, err = s.RecordInterview(sw, c.ID, open.ID, lantern.InterviewInput{HeldAt: ptime(london(2026, 11, 3, 8, 0)), HeldBy: "Ivy Independent"})
			wantFields(t, "interview before the return", err, "held_at")
			_, err = s.RecordInterview(sw, c.ID, open.ID, lantern.InterviewInput{HeldAt: ptime(london(2026, 11, 4, 10, 0))})
			wantFields(t, "held by nobody", err, "held_by")
			_, err = s.RecordInterview(sw, c.ID, open.ID, lantern.InterviewInput{NotHeldReason: "busy"})
			wantFields(t, "an unknown reason", err, "not_held_reason")
			held := london(2026, 11, 4, 10, 0)
			e, err := s.RecordInterview(sw, c.ID, open.ID, lantern.InterviewInput{HeldAt: &held, HeldBy: "Ivy Independent", ChildSaid: "He drove me to a flat",
				FollowUp: []string{"new-concern", "police-intelligence"}})
			if err != nil {
				t.Fatal(err)
			}
			if e.Interview == nil || !e.Interview.HeldAt.Equal(held) || e.Interview.ChildSaid != "He drove me to a flat" || e.Interview.Restricted {
				t.Errorf("interview %+v", e.Interview)
			}
			if task := returnTask(t, s, f.SocialWorker, c.ID, open.ID); task.Status != lantern.TaskDone || task.DoneAt == nil || !task.DoneAt.Equal(held) {
				t.Errorf("after the interview, the task is %+v, want done at %s", task, held)
			}
			_, err = s.RecordInterview(sw, c.ID, open.ID, lantern.InterviewInput{NotHeldReason: "declined"})
			wantCode(t, err, lantern.ECONFLICT)

			// Not held: the task is closed with the reason.
			later := episode(t, s, f.SocialWorker, c.ID, "missing", london(2026, 11, 10, 22, 0), ptime(london(2026, 11, 11, 7, 0)))
			if _, err := s.RecordInterview(sw, c.ID, later.ID, lantern.InterviewInput{NotHeldReason: "declined"}); err != nil {
				t.Fatal(err)
			}
			if task := returnTask(t, s, f.SocialWorker, c.ID, later.ID); task.Status != lantern.TaskClosed || !strings.Contains(task.ClosedReason, "declined") {
				t.Errorf("after a declined interview, the task is %+v, want closed with the reason", task)
			}
		})

		t.Run("what the young person said is restricted", func(t *testing.T) {
			// The school made the record, so the school's practitioner sees it.
			c := caseChild(t, s, f.Teacher, "Rae", "Restricted", "2012-03-01")
			e := episode(t, s, f.Teacher, c.ID, "missing", london(2026, 11, 12, 16, 0), ptime(london(2026, 11, 13, 9, 0)))
			if _, err := s.RecordInterview(storetest.As(f.Teacher), c.ID, e.ID, lantern.InterviewInput{HeldAt: ptime(london(2026, 11, 14, 9, 0)),
				HeldBy: "Ivy Independent", ChildSaid: "I stayed at his flat"}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Episode(storetest.As(f.Teacher), c.ID, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Interview == nil || got.Interview.ChildSaid != "" || !got.Interview.Restricted || got.Interview.HeldBy != "Ivy Independent" {
				t.Errorf("the practitioner reads %+v", got.Interview)
			}
			list, err := s.Episodes(storetest.As(f.Teacher), c.ID)
			if err != nil || len(list) != 1 || list[0].Interview.ChildSaid != "" {
				t.Errorf("the practitioner's list: %+v, %v", list, err)
			}
			got, err = s.Episode(sw, c.ID, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Interview.ChildSaid != "I stayed at his flat" || got.Interview.Restricted {
				t.Errorf("the social worker reads %+v", got.Interview)
			}
			_, err = s.Episode(storetest.As(f.OtherTeacher), c.ID, e.ID)
			wantCode(t, err, lantern.ENOTFOUND)
		})

		t.Run("the toolkit counts missing episodes in the 90 days from the record", func(t *testing.T) {
			c := caseChild(t, s, f.SocialWorker, "Nia", "Ninety", "2012-03-01")
			for _, ep := range []struct {
				kind string
				from time.Time
			}{
				{"missing", london(2026, 11, 20, 23, 0)},
				{"missing", london(2026, 11, 1, 15, 0)},
				{"absent", london(2026, 10, 15, 15, 0)},
				{"missing", london(2026, 9, 1, 15, 0)},
				{"missing", london(2026, 8, 1, 15, 0)}, // more than 90 days before
			} {
				episode(t, s, f.SocialWorker, c.ID, ep.kind, ep.from, ptime(ep.from.Add(5*time.Hour)))
			}
			a, err := s.CreateAssessment(sw, c.ID, "", toolkit.AssessmentInput{Analysis: "Going missing more often"})
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, r := range a.Suggested.Rules {
				rules = append(rules, r.ID)
			}
			if a.MissingEpisodes90d != 3 || a.Suggested.Level != toolkit.Medium || !slices.Contains(rules, "regular-missing") {
				t.Errorf("assessment counts %d episodes, suggests %s with %q; want 3, medium, regular-missing", a.MissingEpisodes90d, a.Suggested.Level, rules)
			}
			es, err := s.Episodes(sw, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p := lantern.EpisodePatterns(es, clock.Now()); p.Last90 != 4 || !p.Reassess || p.Last365 != 5 || p.Open {
				t.Errorf("patterns %+v", p)
			}
		})

		t.Run("the 90 days are the days before the assessment's date, and that date", func(t *testing.T) {
			c := caseChild(t, s, f.SocialWorker, "Nell", "Boundary", "2012-03-01")
			for _, from := range []time.Time{
				london(2026, 8, 23, 0, 0),  // 91 days before 22 November: out
				london(2026, 8, 23, 23, 0), // out
				london(2026, 8, 24, 0, 0),  // 90 days before: in
				london(2026, 11, 22, 8, 0), // the day of the assessment: in
			} {
				episode(t, s, f.SocialWorker, c.ID, "missing", from, ptime(from.Add(30*time.Minute)))
			}
			count := func(on lantern.Date) int {
				t.Helper()
				a, err := s.CreateAssessment(sw, c.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{AssessedOn: on}, Analysis: "Counting"})
				if err != nil {
					t.Fatal(err)
				}
				return a.MissingEpisodes90d
			}
			for _, tc := range []struct {
				on   lantern.Date
				want int
			}{
				{lantern.Date{Year: 2026, Month: 11, Day: 22}, 2},
				{lantern.Date{Year: 2026, Month: 11, Day: 21}, 3}, // from 23 August; 22 November is after
			} {
				if got := count(tc.on); got != tc.want {
					t.Errorf("assessed on %s: %d episodes, want %d", tc.on, got, tc.want)
				}
			}
		})

		t.Run("figures by month, looked-after children apart", func(t *testing.T) {
			mgr := caseUser(t, s, "mgr@csc.example.org", "Mo Manager", f.CSC, lantern.RoleManager)
			lac := caseChild(t, s, f.SocialWorker, "Lee", "Placed", "2011-06-01")
			in := lantern.ChildInput{GivenName: lac.GivenName, FamilyName: lac.FamilyName, DateOfBirth: lac.DateOfBirth, Gender: lac.Gender}
			in.LookedAfter, in.PlacingAuthority = true, "Westshire County Council"
			lac, err := s.UpdateChild(sw, lac.ID, lac.Version, in)
			if err != nil {
				t.Fatal(err)
			}
			interview := func(childID, id string, held time.Time) {
				t.Helper()
				if _, err := s.RecordInterview(sw, childID, id, lantern.InterviewInput{HeldAt: &held, HeldBy: "Ivy Independent"}); err != nil {
					t.Fatal(err)
				}
			}
			e1 := episode(t, s, f.SocialWorker, lac.ID, "missing", london(2026, 5, 3, 10, 0), ptime(london(2026, 5, 3, 20, 0)))
			if !e1.LookedAfter {
				t.Errorf("an episode of a looked-after child: %+v", e1)
			}
			interview(lac.ID, e1.ID, london(2026, 5, 6, 20, 0)) // exactly 72 hours
			e2 := episode(t, s, f.SocialWorker, lac.ID, "absent", london(2026, 5, 10, 10, 0), ptime(london(2026, 5, 10, 20, 0)))
			interview(lac.ID, e2.ID, london(2026, 5, 15, 10, 0)) // late
			// No longer looked after: later episodes are not counted as such.
			in.LookedAfter, in.PlacingAuthority = false, ""
			if _, err := s.UpdateChild(sw, lac.ID, lac.Version, in); err != nil {
				t.Fatal(err)
			}
			e3 := episode(t, s, f.SocialWorker, lac.ID, "missing", london(2026, 6, 2, 10, 0), ptime(london(2026, 6, 2, 12, 0)))
			if e3.LookedAfter {
				t.Errorf("an episode after the child stopped being looked after: %+v", e3)
			}
			if _, err := s.RecordInterview(sw, lac.ID, e3.ID, lantern.InterviewInput{NotHeldReason: "not-reachable"}); err != nil {
				t.Fatal(err)
			}
			other := caseChild(t, s, f.SocialWorker, "Oli", "Open", "2012-01-01")
			episode(t, s, f.SocialWorker, other.ID, "missing", london(2026, 5, 31, 23, 30), nil) // still missing; 31 May in London

			_, err = s.MissingFigures(sw, date(t, "2026-05-01"), date(t, "2026-06-30"))
			wantCode(t, err, lantern.EFORBIDDEN)
			_, err = s.MissingFigures(storetest.As(mgr), date(t, "2026-06-30"), date(t, "2026-05-01"))
			wantFields(t, "a period ending before it starts", err, "to")
			ms, err := s.MissingFigures(storetest.As(mgr), date(t, "2026-05-01"), date(t, "2026-06-30"))
			if err != nil {
				t.Fatal(err)
			}
			pc := func(v float64) *float64 { return &v }
			want := []lantern.MissingMonth{
				{Month: "2026-05", All: lantern.MissingCounts{Episodes: 3, Children: 2, RepeatChildren: 1, Returns: 2, InterviewsIn72h: 1, ReturnsDue: 2, PercentIn72h: pc(50)},
					LookedAfter: lantern.MissingCounts{Episodes: 2, Children: 1, RepeatChildren: 1, Returns: 2, InterviewsIn72h: 1, ReturnsDue: 2, PercentIn72h: pc(50)}},
				{Month: "2026-06", All: lantern.MissingCounts{Episodes: 1, Children: 1, Returns: 1, ReturnsDue: 1, PercentIn72h: pc(0)}},
			}
			checkFigures(t, ms, want)
		})

		t.Run("figures: a return whose 72 hours are still running is not late", func(t *testing.T) {
			mgr := storetest.As(caseUser(t, s, "mgr2@csc.example.org", "Max Manager", f.CSC, lantern.RoleManager))
			was := clock.Now()
			defer clock.Set(was)
			clock.Set(london(2027, 2, 11, 10, 0))
			c := caseChild(t, s, f.SocialWorker, "Rae", "Running", "2012-02-01")
			episode(t, s, f.SocialWorker, c.ID, "missing", london(2027, 2, 1, 10, 0), ptime(london(2027, 2, 1, 12, 0)))   // 72 hours passed, nothing recorded: late
			episode(t, s, f.SocialWorker, c.ID, "missing", london(2027, 2, 10, 10, 0), ptime(london(2027, 2, 10, 20, 0))) // 72 hours running: not counted yet
			notHeld := episode(t, s, f.SocialWorker, c.ID, "missing", london(2027, 2, 10, 21, 0), ptime(london(2027, 2, 10, 22, 0)))
			if _, err := s.RecordInterview(sw, c.ID, notHeld.ID, lantern.InterviewInput{NotHeldReason: "declined"}); err != nil {
				t.Fatal(err) // recorded as not held: counted, not within
			}
			held := episode(t, s, f.SocialWorker, c.ID, "missing", london(2027, 2, 10, 23, 0), ptime(london(2027, 2, 10, 23, 30)))
			if _, err := s.RecordInterview(sw, c.ID, held.ID, lantern.InterviewInput{HeldAt: ptime(london(2027, 2, 11, 9, 0)), HeldBy: "Ivy Independent"}); err != nil {
				t.Fatal(err)
			}
			ms, err := s.MissingFigures(mgr, date(t, "2027-02-01"), date(t, "2027-02-28"))
			if err != nil {
				t.Fatal(err)
			}
			pc := func(v float64) *float64 { return &v }
			checkFigures(t, ms, []lantern.MissingMonth{{Month: "2027-02",
				All: lantern.MissingCounts{Episodes: 4, Children: 1, RepeatChildren: 1, Returns: 4, InterviewsIn72h: 1, ReturnsDue: 3, PercentIn72h: pc(33.3)}}})
		})
	})
}

// checkFigures compares missing figures, per cents by value.
func checkFigures(t *testing.T, ms, want []lantern.MissingMonth) {
	t.Helper()
	if len(ms) != len(want) {
		t.Fatalf("figures %+v, want %d months", ms, len(want))
	}
	for i, m := range ms {
		w := want[i]
		for _, g := range []struct {
			name      string
			got, want lantern.MissingCounts
		}{{"all", m.All, w.All}, {"looked after", m.LookedAfter, w.LookedAfter}} {
			gp, wp := g.got.PercentIn72h, g.want.PercentIn72h
			g.got.PercentIn72h, g.want.PercentIn72h = nil, nil
			if m.Month != w.Month || g.got != g.want || (gp == nil) != (wp == nil) || (gp != nil && *gp != *wp) {
				t.Errorf("%s, %s: %+v (per cent %s), want %s %+v (per cent %s)", m.Month, g.name, g.got, pcText(gp), w.Month, g.want, pcText(wp))
			}
		}
	}
}

func pcText(p *float64) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprint(*p)
}
