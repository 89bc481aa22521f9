package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/match"
	"lantern/store"
	"lantern/store/storetest"
)

// matchChild creates a child as u and sets the phonetic keys and other
// names directly, as CreateChild does not (yet) write them.
func matchChild(t *testing.T, s *store.Store, u *lantern.User, given, family, dob string, other ...string) *lantern.Child {
	t.Helper()
	c, err := s.CreateChild(storetest.As(u), lantern.ChildInput{GivenName: given, FamilyName: family,
		DateOfBirth: date(t, dob), Gender: "not-known"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`UPDATE children SET given_key = $1, family_key = $2 WHERE id = $3`,
		match.GivenKey(given), match.FamilyKey(family), c.ID); err != nil {
		t.Fatal(err)
	}
	for i, o := range other {
		if _, err := s.DB().Exec(`INSERT INTO child_names (id, child_id, name, kind, name_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			fmt.Sprintf("%s-n%d", c.ID, i), c.ID, o, "known-as", match.NameKey(o), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func findMatches(t *testing.T, s *store.Store, u *lantern.User, given, family, dob string) []store.Match {
	t.Helper()
	ms, err := s.FindMatches(storetest.As(u), match.Query{GivenName: given, FamilyName: family, DateOfBirth: date(t, dob)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(ms); i++ {
		if ms[i].Score > ms[i-1].Score {
			t.Errorf("matches not best first: %.3f after %.3f", ms[i].Score, ms[i-1].Score)
		}
	}
	return ms
}

func matchIDs(ms []store.Match) []string {
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.Child.ID)
	}
	return ids
}

func wantMatch(t *testing.T, ms []store.Match, c *lantern.Child, reasons ...string) {
	t.Helper()
	for _, m := range ms {
		if m.Child.ID != c.ID {
			continue
		}
		if m.Child.GivenName != c.GivenName || m.Child.FamilyName != c.FamilyName || m.Child.DateOfBirth != c.DateOfBirth ||
			m.Child.CreatedBy == "" || m.Child.Version == 0 {
			t.Errorf("match record incomplete: %+v", m.Child)
		}
		for _, r := range reasons {
			if !slices.Contains(m.Reasons, r) {
				t.Errorf("%s %s: reasons %q lack %q", c.GivenName, c.FamilyName, m.Reasons, r)
			}
		}
		return
	}
	t.Errorf("%s %s (%s) not among the matches %q", c.GivenName, c.FamilyName, c.DateOfBirth, matchIDs(ms))
}

func wantNoMatch(t *testing.T, ms []store.Match, c *lantern.Child) {
	t.Helper()
	if slices.Contains(matchIDs(ms), c.ID) {
		t.Errorf("%s %s (%s) should not be a match", c.GivenName, c.FamilyName, c.DateOfBirth)
	}
}

func TestFindMatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := f.SocialWorker
		mohammed := matchChild(t, s, sw, "Mohammed", "Khan", "2016-07-12")
		ayesha := matchChild(t, s, sw, "Ayesha", "Khan", "2016-07-12") // a twin: same date, another name
		amelia := matchChild(t, s, sw, "Amelia", "Jones", "2016-07-12")
		jayden := matchChild(t, s, sw, "Jayden", "MacDonald", "2019-12-31")
		older := matchChild(t, s, sw, "Mohammed", "Khan", "2011-07-12") // five years older
		jason := matchChild(t, s, sw, "Jason", "Smith", "2015-05-20", "Jay")
		lily := matchChild(t, s, sw, "Lily", "Potter", "2015-03-01", "Evans")
		malachi := matchChild(t, s, sw, "Malachi", "Smith", "2015-03-01", "Kai Brown")
		ava := matchChild(t, s, sw, "Ava", "Example", "2015-03-01")
		noah := matchChild(t, s, sw, "Noah", "Brown", "2015-04-03")

		// Spelled differently, same date of birth.
		ms := findMatches(t, s, sw, "Muhammad", "Khan", "2016-07-12")
		wantMatch(t, ms, mohammed, "Same date of birth", "Given name sounds the same: Mohammed", "Same family name")
		wantNoMatch(t, ms, ayesha)
		wantNoMatch(t, ms, amelia)
		wantNoMatch(t, ms, older)
		if len(ms) != 1 {
			t.Errorf("matches for Muhammad Khan: %d", len(ms))
		}
		ms = findMatches(t, s, sw, "Jaden", "McDonald", "2019-12-29")
		wantMatch(t, ms, jayden, "Date of birth 2 days apart", "Given name sounds the same: Jayden", "Family name sounds the same: MacDonald")

		// Known as.
		ms = findMatches(t, s, sw, "Jay", "Smith", "2015-05-20")
		wantMatch(t, ms, jason, "Known as: Jay", "Same family name")

		// Each branch of the candidate query on its own:
		// the same family key, a year out;
		ms = findMatches(t, s, sw, "Ava", "Example", "2016-03-01")
		wantMatch(t, ms, ava, "Same day and month of birth, year one apart")
		// an other name's key, a year out;
		ms = findMatches(t, s, sw, "Lily", "Evans", "2016-03-01")
		wantMatch(t, ms, lily, "Known as: Evans")
		// a whole other name, the day mistyped.
		ms = findMatches(t, s, sw, "Kai", "Brown", "2015-03-21")
		wantMatch(t, ms, malachi, "Known as: Kai Brown", "Same month and year of birth, different day")
		// day and month swapped (and the names the wrong way round).
		ms = findMatches(t, s, sw, "Brown", "Noah", "2015-03-04")
		wantMatch(t, ms, noah, "Day and month of birth swapped", "Given and family names swapped")

		// Nothing to look for.
		if ms, err := s.FindMatches(storetest.As(sw), match.Query{GivenName: "Ava", FamilyName: "Example"}, 0); err != nil || len(ms) != 0 {
			t.Errorf("no date of birth: %d, %v", len(ms), err)
		}
		if ms := findMatches(t, s, sw, "Zebedee", "Quixote", "2001-01-01"); len(ms) != 0 {
			t.Errorf("found %d for a child nobody knows", len(ms))
		}
	})
}

func TestFindMatchesOnlyAmongVisibleChildren(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		// Riverside's child: its own people and children's social care see it.
		twist := matchChild(t, s, f.Teacher, "Oliver", "Twist", "2014-02-02")
		// Hilltop's own child, spelled differently.
		theirs := matchChild(t, s, f.OtherTeacher, "Olivier", "Twist", "2014-02-02")
		for _, tt := range []struct {
			name string
			user *lantern.User
			want []*lantern.Child
		}{
			{"children's social care", f.SocialWorker, []*lantern.Child{twist, theirs}},
			{"the school involved", f.Teacher, []*lantern.Child{twist}},
			{"another school", f.OtherTeacher, []*lantern.Child{theirs}},
			{"administrator", f.Admin, nil},
			{"auditor", f.Auditor, nil},
		} {
			ms := findMatches(t, s, tt.user, "Oliver", "Twist", "2014-02-02")
			got, want := matchIDs(ms), []string{}
			for _, c := range tt.want {
				want = append(want, c.ID)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: matches %q, want %q", tt.name, got, want)
			}
		}
	})
}

func TestFindMatchesSkipsMergedAndIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		kept := matchChild(t, s, f.SocialWorker, "Ella", "Fitzgerald", "2013-09-09")
		merged := matchChild(t, s, f.SocialWorker, "Ella", "Fitzgerald", "2013-09-09")
		if _, err := s.DB().Exec(`UPDATE children SET merged_into = $1 WHERE id = $2`, kept.ID, merged.ID); err != nil {
			t.Fatal(err)
		}
		ms := findMatches(t, s, f.SocialWorker, "Ella", "Fitzgerald", "2013-09-09")
		if got := matchIDs(ms); !slices.Equal(got, []string{kept.ID}) {
			t.Errorf("matches %q, want only the record kept %s", got, kept.ID)
		}
		if ms[0].Score != 1 {
			t.Errorf("exact match scored %.3f", ms[0].Score)
		}

		// A search that shows names is in the trail, an entry for each child
		// shown, searchable by child; one that shows nothing is not.
		findMatches(t, s, f.SocialWorker, "Nobody", "Atall", "2013-09-09")
		es, total, err := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: "child.match"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || es[0].ChildID != kept.ID || es[0].UserID != f.SocialWorker.ID || es[0].Why == "" {
			t.Fatalf("audit of matching: %d entries, first %+v", total, es[0])
		}

		// At most limit, best first.
		near := matchChild(t, s, f.SocialWorker, "Ella", "Fitzgerald", "2013-09-10")
		nearer := matchChild(t, s, f.SocialWorker, "Ela", "Fitzgerald", "2013-09-09")
		all, err := s.FindMatches(storetest.As(f.SocialWorker), match.Query{GivenName: "Ella", FamilyName: "Fitzgerald", DateOfBirth: date(t, "2013-09-09")}, 0)
		if err != nil || len(all) != 3 || all[0].Child.ID != kept.ID {
			t.Fatalf("all matches: %q, %v", matchIDs(all), err)
		}
		two, err := s.FindMatches(storetest.As(f.SocialWorker), match.Query{GivenName: "Ella", FamilyName: "Fitzgerald", DateOfBirth: date(t, "2013-09-09")}, 2)
		if err != nil || len(two) != 2 || two[0].Child.ID != kept.ID || two[1].Child.ID != all[1].Child.ID {
			t.Errorf("limit 2: %q, %v", matchIDs(two), err)
		}
		_, _ = near, nearer
		if n, err := s.VerifyAudit(context.Background()); err != nil || n == 0 {
			t.Fatalf("verify: %d, %v", n, err)
		}
	})
}

func TestRefreshMatchKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		c := matchChild(t, s, f.SocialWorker, "Catherine", "Smyth", "2012-01-01", "Kate")
		if _, err := s.DB().Exec(`UPDATE children SET given_key = '', family_key = ''`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec(`UPDATE child_names SET name_key = ''`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RefreshMatchKeys(storetest.As(f.SocialWorker), false); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a social worker refreshed the keys: %v", err)
		}
		sys := lantern.NewSystemContext(context.Background(), "test")
		n, err := s.RefreshMatchKeys(sys, false)
		if err != nil || n != 2 {
			t.Fatalf("refreshed %d, %v", n, err)
		}
		var gk, fk, nk string
		if err := s.DB().QueryRow(`SELECT given_key, family_key FROM children WHERE id = $1`, c.ID).Scan(&gk, &fk); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().QueryRow(`SELECT name_key FROM child_names WHERE child_id = $1`, c.ID).Scan(&nk); err != nil {
			t.Fatal(err)
		}
		if gk != "K0RN" || fk != "SM0" || nk != match.NameKey("Kate") {
			t.Errorf("keys %q %q %q", gk, fk, nk)
		}
		if n, err := s.RefreshMatchKeys(sys, true); err != nil || n != 0 {
			t.Errorf("refreshing again changed %d, %v", n, err)
		}
		if es, _, _ := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: "child.match_keys"}); len(es) != 2 ||
			!strings.HasPrefix(es[1].Detail, "children=") || es[0].Detail != "other_names=1" {
			t.Errorf("audit of refreshing keys: %+v", es)
		}
	})
}
