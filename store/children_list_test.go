package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// names lists the children found, as "Given Family", in order.
func names(rows []*lantern.ChildRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.GivenName+" "+r.FamilyName)
	}
	return out
}

func find(t *testing.T, s *store.Store, ctx context.Context, f lantern.ChildFilter) []string {
	t.Helper()
	rows, total, err := s.FindChildren(ctx, f)
	if err != nil {
		t.Fatalf("%+v: %v", f, err)
	}
	if total < len(rows) {
		t.Errorf("%+v: total %d, rows %d", f, total, len(rows))
	}
	return names(rows)
}

// assess records an assessment at level on the date, as u.
func assess(t *testing.T, s *store.Store, u *lantern.User, childID, on string, level toolkit.Level) {
	t.Helper()
	_, err := s.CreateAssessment(storetest.As(u), childID, "", toolkit.AssessmentInput{
		Answers:  toolkit.Input{AssessedOn: date(t, on), Indicators: []string{"sign.missing"}},
		Analysis: "Assessed for the list's tests", RecordedLevel: level, OverrideRationale: "The test records this level"})
	if err != nil {
		t.Fatal(err)
	}
}

func TestChildrenSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		amira := caseChild(t, s, f.SocialWorker, "Amira", "Demoton", "2016-12-02")
		caseChild(t, s, f.SocialWorker, "Sean", "O'Brien", "2012-06-15")
		caseChild(t, s, f.SocialWorker, "Demi", "Amirault", "2013-01-01")
		kai := caseChild(t, s, f.SocialWorker, "Kai", "Smith-Jones", "2011-02-03")
		caseChild(t, s, f.SocialWorker, "Zoë", "Łukasz", "2014-04-04")
		if _, err := s.AddOtherName(sw, kai.ID, lantern.OtherNameInput{Name: "Lil Zee", Kind: "street-name"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddOtherName(sw, amira.ID, lantern.OtherNameInput{Name: "Mira Stone", Kind: "alias"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"Amira Demoton", []string{"Amira Demoton"}},
			{"Demoton Amira", []string{"Amira Demoton"}},
			{"  demoton   AMIRA ", []string{"Amira Demoton"}},
			{"Amyra", []string{"Amira Demoton"}}, // as it sounds
			{"Amyra Demoton", []string{"Amira Demoton"}},
			{"Amira", []string{"Demi Amirault", "Amira Demoton"}}, // one name alone, or the start of one
			{"Demoton", []string{"Amira Demoton"}},                // the other
			{"Dem", []string{"Demi Amirault", "Amira Demoton"}},
			{"obrien", []string{"Sean O'Brien"}},  // punctuation-insensitive
			{"O’Brien", []string{"Sean O'Brien"}}, // a curly apostrophe
			{"Sean OBrien", []string{"Sean O'Brien"}},
			{"Smith Jones", []string{"Kai Smith-Jones"}},
			{"Kai Smith-Jones", []string{"Kai Smith-Jones"}},
			{"Smith-Jones Kai", []string{"Kai Smith-Jones"}},
			{"Lil Zee", []string{"Kai Smith-Jones"}}, // a street name
			{"Zee Lil", []string{"Kai Smith-Jones"}},
			{"Mira Stone", []string{"Amira Demoton"}}, // an alias
			{"Stone", []string{}},                     // the end of another name is not its start
			{"zoe lukasz", []string{"Zoë Łukasz"}},
			{"2016-12-02", []string{"Amira Demoton"}}, // a date of birth
			{"2/12/2016", []string{"Amira Demoton"}},
			{"Amira 2016-12-02", []string{"Amira Demoton"}},
			{"Sean 2016-12-02", []string{}},
			{"2016-12-03", []string{}},
			{"Nobody", []string{}},
			{"%", []string{}},
			{"_", []string{}},
			{"'", []string{}},
			{"", []string{"Demi Amirault", "Amira Demoton", "Zoë Łukasz", "Sean O'Brien", "Kai Smith-Jones"}}, // by family name, as normalised
		} {
			if got := find(t, s, sw, lantern.ChildFilter{Name: tc.q}); !slices.Equal(got, tc.want) {
				t.Errorf("q=%q: got %q, want %q", tc.q, got, tc.want)
			}
		}
		// Too long, or a date that is not one: 422 naming q.
		for _, q := range []string{strings.Repeat("a", 200), strings.Repeat("é", 200), "2016-02-30", "31/02/2016", "2016-01-01 2016-01-02"} {
			_, _, err := s.FindChildren(sw, lantern.ChildFilter{Name: q})
			wantFields(t, "q="+q[:min(len(q), 20)], err, "q")
		}
		if got := find(t, s, sw, lantern.ChildFilter{Name: strings.Repeat("a", 199)}); len(got) != 0 {
			t.Errorf("199 letters found %q", got)
		}

		// A record merged into another is not found; a school that is not
		// involved finds nothing; the search is audited with the ids shown.
		dup := caseChild(t, s, f.SocialWorker, "Amira", "Demoton", "2016-12-02")
		if got := find(t, s, sw, lantern.ChildFilter{Name: "Amira Demoton"}); len(got) != 2 {
			t.Fatalf("before the merge: %q", got)
		}
		mgr := caseUser(t, s, "manager@example.org", "Maya Manager", f.CSC, lantern.RoleManager)
		cur, err := s.FindChildByID(sw, amira.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.MergeChildren(storetest.As(mgr), amira.ID, dup.ID, cur.Version, 1); err != nil {
			t.Fatal(err)
		}
		if got := find(t, s, sw, lantern.ChildFilter{Name: "Amira Demoton"}); len(got) != 1 {
			t.Errorf("after the merge: %q", got)
		}
		if got := find(t, s, storetest.As(f.OtherTeacher), lantern.ChildFilter{Name: "Amira"}); len(got) != 0 {
			t.Errorf("a school not involved found %q", got)
		}
		if n := auditActions(t, s, f, amira.ID)["child.list"]; n == 0 {
			t.Error("the search was not audited")
		}
	})
}

func TestChildrenFiltersAndSort(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		mk := func(given, family, dob string, lookedAfter bool, worker string) *lantern.Child {
			c, err := s.CreateChild(sw, lantern.ChildInput{GivenName: given, FamilyName: family, DateOfBirth: date(t, dob), Gender: "female",
				ChildDetails: lantern.ChildDetails{LookedAfter: lookedAfter, AllocatedSocialWorkerID: worker}})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		ann := mk("Ann", "Able", "2012-01-01", true, f.SocialWorker.ID)
		bob := mk("Bob", "Baker", "2014-01-01", false, "")
		cat := mk("Cat", "Cole", "2010-01-01", true, "")
		dan := mk("Dan", "Dale", "2013-01-01", false, f.SocialWorker.ID)
		// Levels: Ann high (after an earlier medium), Bob emerging, Cat
		// none, Dan never assessed. An assessment dated before the latest
		// does not change the level.
		assess(t, s, f.SocialWorker, ann.ID, "2026-10-01", toolkit.Medium)
		assess(t, s, f.SocialWorker, ann.ID, "2026-11-01", toolkit.High)
		assess(t, s, f.SocialWorker, ann.ID, "2026-09-01", toolkit.Vulnerable)
		assess(t, s, f.SocialWorker, bob.ID, "2026-11-20", toolkit.Emerging)
		assess(t, s, f.SocialWorker, cat.ID, "2026-11-21", toolkit.None)
		// Bob is missing now; Cat was missing and is back.
		episode(t, s, f.SocialWorker, bob.ID, "missing", london(2026, 11, 21, 18, 0), nil)
		episode(t, s, f.SocialWorker, cat.ID, "missing", london(2026, 11, 1, 18, 0), ptime(london(2026, 11, 2, 9, 0)))

		rows, total, err := s.FindChildren(sw, lantern.ChildFilter{})
		if err != nil || total != 4 {
			t.Fatal(total, err)
		}
		byName := map[string]*lantern.ChildRow{}
		for _, r := range rows {
			byName[r.GivenName] = r
		}
		a := byName["Ann"]
		if a.LatestLevel == nil || *a.LatestLevel != "high" || a.LatestLevelOn.String() != "2026-11-01" || a.Age != 14 ||
			a.AllocatedWorkerName != f.SocialWorker.Name || !a.LookedAfter || a.MissingNow || a.LateTasks != 0 {
			t.Errorf("Ann: %+v", a)
		}
		if d := byName["Dan"]; d.LatestLevel != nil || d.LatestLevelOn != nil || d.AllocatedWorkerName == "" {
			t.Errorf("Dan: %+v", d)
		}
		if b := byName["Bob"]; !b.MissingNow || *b.LatestLevel != "emerging" {
			t.Errorf("Bob: %+v", b)
		}

		yes, no := true, false
		for _, tc := range []struct {
			name string
			f    lantern.ChildFilter
			want []string
		}{
			{"high", lantern.ChildFilter{Levels: []string{"high"}}, []string{"Ann Able"}},
			{"none counts the never assessed", lantern.ChildFilter{Levels: []string{"none"}}, []string{"Cat Cole", "Dan Dale"}},
			{"emerging or high", lantern.ChildFilter{Levels: []string{"emerging", "high"}}, []string{"Ann Able", "Bob Baker"}},
			{"medium (Ann's earlier level)", lantern.ChildFilter{Levels: []string{"medium"}}, []string{}},
			{"looked after", lantern.ChildFilter{LookedAfter: &yes}, []string{"Ann Able", "Cat Cole"}},
			{"not looked after", lantern.ChildFilter{LookedAfter: &no}, []string{"Bob Baker", "Dan Dale"}},
			{"missing now", lantern.ChildFilter{MissingNow: &yes}, []string{"Bob Baker"}},
			{"not missing now", lantern.ChildFilter{MissingNow: &no}, []string{"Ann Able", "Cat Cole", "Dan Dale"}},
			{"worker", lantern.ChildFilter{WorkerID: f.SocialWorker.ID}, []string{"Ann Able", "Dan Dale"}},
			{"a worker with none", lantern.ChildFilter{WorkerID: f.Teacher.ID}, []string{}},
			{"filters together", lantern.ChildFilter{LookedAfter: &yes, WorkerID: f.SocialWorker.ID, Levels: []string{"high"}}, []string{"Ann Able"}},
			{"search and filter", lantern.ChildFilter{Name: "Cat", LookedAfter: &no}, []string{}},
			{"sort name", lantern.ChildFilter{Sort: lantern.SortName}, []string{"Ann Able", "Bob Baker", "Cat Cole", "Dan Dale"}},
			{"sort -name", lantern.ChildFilter{Sort: lantern.SortNameDesc}, []string{"Dan Dale", "Cat Cole", "Bob Baker", "Ann Able"}},
			{"sort -level", lantern.ChildFilter{Sort: lantern.SortLevelDesc}, []string{"Ann Able", "Bob Baker", "Cat Cole", "Dan Dale"}},
			{"sort level", lantern.ChildFilter{Sort: lantern.SortLevel}, []string{"Cat Cole", "Dan Dale", "Bob Baker", "Ann Able"}},
			{"sort level_date", lantern.ChildFilter{Sort: lantern.SortLevelDate}, []string{"Ann Able", "Bob Baker", "Cat Cole", "Dan Dale"}},
			{"sort -level_date", lantern.ChildFilter{Sort: lantern.SortLevelDateDesc}, []string{"Cat Cole", "Bob Baker", "Ann Able", "Dan Dale"}},
			{"sort age", lantern.ChildFilter{Sort: lantern.SortAge}, []string{"Bob Baker", "Dan Dale", "Ann Able", "Cat Cole"}},
			{"sort -age", lantern.ChildFilter{Sort: lantern.SortAgeDesc}, []string{"Cat Cole", "Ann Able", "Dan Dale", "Bob Baker"}},
			{"paging", lantern.ChildFilter{Sort: lantern.SortAgeDesc, Limit: 2, Offset: 1}, []string{"Ann Able", "Dan Dale"}},
		} {
			if got := find(t, s, sw, tc.f); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
		}

		// Late tasks: the reassessments (12 weeks for vulnerable, fewer
		// above) fall due; Bob's return interview too.
		clock.Add(13 * 7 * 24 * time.Hour)
		rows, _, err = s.FindChildren(sw, lantern.ChildFilter{Sort: lantern.SortLateDesc})
		if err != nil {
			t.Fatal(err)
		}
		late := map[string]int{}
		for _, r := range rows {
			late[r.GivenName] = r.LateTasks
		}
		if late["Ann"] == 0 || late["Bob"] == 0 || late["Dan"] != 0 || rows[len(rows)-1].LateTasks != 0 || rows[0].LateTasks < rows[1].LateTasks {
			t.Errorf("late: %v, order %q", late, names(rows))
		}
		if got := find(t, s, sw, lantern.ChildFilter{Sort: lantern.SortLate}); got[0] == "Ann Able" && late["Ann"] > 0 {
			t.Errorf("sort late: %q", got)
		}
		// Page by page, the late sorts are the whole order: by count, then
		// name (the store reads the late and the others apart).
		for _, sort := range []lantern.ChildSort{lantern.SortLate, lantern.SortLateDesc} {
			want := slices.Clone(rows)
			slices.SortStableFunc(want, func(a, b *lantern.ChildRow) int {
				if a.LateTasks != b.LateTasks {
					if sort == lantern.SortLateDesc {
						return b.LateTasks - a.LateTasks
					}
					return a.LateTasks - b.LateTasks
				}
				return strings.Compare(strings.ToLower(a.FamilyName+" "+a.GivenName), strings.ToLower(b.FamilyName+" "+b.GivenName))
			})
			var got []string
			for off := 0; off < len(rows)+1; off++ {
				got = append(got, find(t, s, sw, lantern.ChildFilter{Sort: sort, Limit: 1, Offset: off})...)
			}
			if !slices.Equal(got, names(want)) {
				t.Errorf("sort %s a child a page: %q, want %q", sort, got, names(want))
			}
		}

		// Unknown values: 422 naming the filter.
		for _, tc := range []struct {
			f     lantern.ChildFilter
			field string
		}{
			{lantern.ChildFilter{Levels: []string{"severe"}}, "level"},
			{lantern.ChildFilter{WorkerID: "nobody"}, "worker"},
			{lantern.ChildFilter{Sort: "colour"}, "sort"},
		} {
			_, _, err := s.FindChildren(sw, tc.f)
			wantFields(t, tc.field, err, tc.field)
		}

		// A merge carries the duplicate's later assessment to the kept record.
		dup := mk("Dan", "Dale", "2013-01-01", false, "")
		clock.Set(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
		assess(t, s, f.SocialWorker, dup.ID, "2026-11-22", toolkit.Medium)
		mgr := caseUser(t, s, "manager@example.org", "Maya Manager", f.CSC, lantern.RoleManager)
		if _, err := s.MergeChildren(storetest.As(mgr), dan.ID, dup.ID, 1, 1); err != nil {
			t.Fatal(err)
		}
		if got := find(t, s, sw, lantern.ChildFilter{Levels: []string{"medium"}}); !slices.Equal(got, []string{"Dan Dale"}) {
			t.Errorf("after the merge, medium: %q", got)
		}
	})
}
