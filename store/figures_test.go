package store_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"lantern"
	"lantern/figures"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// goldenPath holds the fixture's tables; LANTERN_UPDATE_GOLDEN=1 writes it
// again (then read the diff: it is the definition of the figures).
const goldenPath = "testdata/figures-golden-2011-12.json"

// fy is the seed's year: 2011/12, when "71 such meetings were held on 32
// children".
var fyFrom, fyTo = lantern.Date{Year: 2011, Month: 4, Day: 1}, lantern.Date{Year: 2012, Month: 3, Day: 31}

// figuresFixture builds, through the store as its users would, a year
// like the seed's: 32 children, 71 CSE strategy meetings about them, their
// concerns, toolkits, missing episodes and return interviews, a referral
// that became a section 47 enquiry, a conference and a plan, disruption,
// and intelligence linking a man and a takeaway to three of them.
func figuresFixture(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sw := storetest.As(a.SW)
	day := func(d lantern.Date, h int) time.Time {
		return time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, time.UTC)
	}
	ethnicities := []string{"white-british", "white-british", "asian-pakistani", "mixed-white-black-caribbean", "", "black-african", "white-other"}
	levels := []toolkit.Level{toolkit.Emerging, toolkit.Medium, toolkit.High}
	clock.Set(day(fyTo, 0).AddDate(0, 2, 0))
	var kids []*lantern.Child
	for i := range 32 {
		dob := lantern.Date{Year: 1996 + i%6, Month: time.Month(1 + i%12), Day: 10}
		if i%8 == 0 {
			dob = lantern.Date{Year: 2003, Month: 6, Day: 1} // under 10 at the concern
		}
		gender := "female"
		if i%3 == 0 {
			gender = "male"
		}
		in := lantern.ChildInput{GivenName: fmt.Sprintf("Child%02d", i), FamilyName: "Fixture", DateOfBirth: dob, Gender: gender,
			ChildDetails: lantern.ChildDetails{Ethnicity: ethnicities[i%len(ethnicities)], LookedAfter: i%4 == 0, Unaccompanied: i == 7}}
		if i%8 == 0 {
			in.PlacingAuthority = "Another area (fictional)"
		}
		if i%10 == 3 {
			in.Disability = "Autism"
		}
		c, err := s.CreateChild(sw, in)
		must(err)
		kids = append(kids, c)
	}
	for i, c := range kids {
		raised := fyFrom.AddDays(4 + i*10)
		if i == 0 { // known before the year: open in it, not new
			_, err := s.CreateConcern(sw, c.ID, lantern.ConcernInput{RaisedAt: day(fyFrom.AddDays(-300), 10), Summary: "Older boyfriend"})
			must(err)
		}
		_, err := s.CreateConcern(sw, c.ID, lantern.ConcernInput{RaisedAt: day(raised, 10), Summary: "Seen getting into cars with older men"})
		must(err)
		lv := levels[i%3]
		_, err = s.CreateAssessment(sw, c.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{AssessedOn: raised.AddDays(2)},
			Analysis: "Fixture", RecordedLevel: lv, OverrideRationale: "The fixture's level"})
		must(err)
		if i%5 == 0 { // reassessed: higher, or (every other) lower
			next := toolkit.High
			if i%10 == 0 {
				next = toolkit.Emerging
			}
			_, err = s.CreateAssessment(sw, c.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{AssessedOn: raised.AddDays(60)},
				Analysis: "Fixture again", RecordedLevel: next, OverrideRationale: "The fixture's level"})
			must(err)
		}
		if i%4 == 1 { // missing twice; interviewed within 72 hours the first time
			e := episode(t, s, a.SW, c.ID, "missing", day(raised.AddDays(-20), 22), ptime(day(raised.AddDays(-19), 8)))
			_, err = s.RecordInterview(sw, c.ID, e.ID, lantern.InterviewInput{HeldAt: ptime(day(raised.AddDays(-18), 10)), HeldBy: "Jo Advocate"})
			must(err)
			e = episode(t, s, a.SW, c.ID, "missing", day(raised.AddDays(5), 22), ptime(day(raised.AddDays(6), 8)))
			_, err = s.RecordInterview(sw, c.ID, e.ID, lantern.InterviewInput{HeldAt: ptime(day(raised.AddDays(12), 10)), HeldBy: "Jo Advocate"})
			must(err)
		}
	}
	// 71 meetings on 32 children: two each, and a third for seven.
	n := 0
	for round := range 3 {
		for i, c := range kids {
			if round == 2 && i >= 7 {
				break
			}
			start := day(fyFrom.AddDays(4+i*10+7+round*30), 10)
			clock.Set(start.Add(-48 * time.Hour))
			m, err := s.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{c.ID}, StartsAt: start, EndsAt: start.Add(time.Hour), Location: "Room 2"})
			must(err)
			clock.Set(start.Add(2 * time.Hour))
			_, err = s.RecordOutcome(sw, m.ID, m.Version, lantern.Outcome{Held: true})
			must(err)
			n++
		}
	}
	if n != 71 {
		t.Fatalf("%d meetings", n)
	}
	// One cancelled: not counted.
	start := day(fyFrom.AddDays(200), 10)
	clock.Set(start.Add(-48 * time.Hour))
	m, err := s.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{kids[3].ID}, StartsAt: start, EndsAt: start.Add(time.Hour), Location: "Room 2"})
	must(err)
	_, err = s.CancelMeeting(sw, m.ID, m.Version, "Not needed")
	must(err)
	clock.Set(day(fyTo, 0).AddDate(0, 2, 0))
	// A referral, a section 47 enquiry, a conference and a plan, ended.
	c := kids[2]
	evReferral(t, s, a.SW, c.ID, "phone", "2011-05-01T10:00:00Z")
	sd, err := s.CreateStrategyDiscussion(sw, c.ID, &lantern.StrategyDiscussion{HeldAt: evTime(t, "2011-05-02T10:00:00Z"), Decision: "s47"})
	must(err)
	_, err = s.RecordS47(sw, c.ID, &lantern.S47Enquiry{StrategyDiscussionID: sd.ID, StartedAt: evTime(t, "2011-05-02T12:00:00Z")})
	must(err)
	_, err = s.CreateConference(sw, c.ID, &lantern.Conference{Kind: "initial", HeldAt: evTime(t, "2011-05-20T10:00:00Z"), Outcome: "plan"})
	must(err)
	_, err = s.CreateConference(sw, c.ID, &lantern.Conference{Kind: "review", HeldAt: evTime(t, "2011-08-20T10:00:00Z"), Outcome: "no-plan"})
	must(err)
	// A man and a takeaway, linked to three children in the year.
	man, err := s.CreatePerson(sw, &lantern.PersonOfConcern{Aliases: []string{"Kay"}, Sex: "male", BirthYear: 1980})
	must(err)
	shop, err := s.CreatePlace(sw, &lantern.Place{Name: "The Corner Takeaway (fictional)"})
	must(err)
	seen := lantern.Date{Year: 2011, Month: 9, Day: 1}
	for _, l := range []lantern.Link{
		{From: lantern.EntityRef{Type: lantern.EntityChild, ID: kids[1].ID}, To: lantern.EntityRef{Type: lantern.EntityPerson, ID: man.ID}, Kind: lantern.LinkAssociate},
		{From: lantern.EntityRef{Type: lantern.EntityChild, ID: kids[1].ID}, To: lantern.EntityRef{Type: lantern.EntityPlace, ID: shop.ID}, Kind: lantern.LinkSeenAt},
		{From: lantern.EntityRef{Type: lantern.EntityChild, ID: kids[4].ID}, To: lantern.EntityRef{Type: lantern.EntityPlace, ID: shop.ID}, Kind: lantern.LinkSeenAt},
		{From: lantern.EntityRef{Type: lantern.EntityChild, ID: kids[9].ID}, To: lantern.EntityRef{Type: lantern.EntityPlace, ID: shop.ID}, Kind: lantern.LinkSeenAt},
		{From: lantern.EntityRef{Type: lantern.EntityPerson, ID: man.ID}, To: lantern.EntityRef{Type: lantern.EntityPlace, ID: shop.ID}, Kind: lantern.LinkSeenAt},
	} {
		l.ObservedFrom, l.Source = &seen, "Strategy meeting (fictional)"
		_, err := s.CreateLink(sw, &l)
		must(err)
	}
}

func TestFiguresGolden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		a := evSeed(t, s)
		figuresFixture(t, s, a, clock)
		mgr := storetest.As(a.Manager)
		facts, err := s.DatasetFacts(mgr, fyFrom, fyTo, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]figures.Table{}
		exact := figures.Dataset(*facts, fyFrom, fyTo, 0)
		for _, p := range figures.Profiles {
			for _, tb := range exact {
				got[string(p)] = append(got[string(p)], figures.Protect(tb, p))
			}
		}
		b, err := json.MarshalIndent(got, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, '\n')
		if os.Getenv("LANTERN_UPDATE_GOLDEN") != "" {
			if err := os.WriteFile(goldenPath, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(goldenPath)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("the tables differ from %s (LANTERN_UPDATE_GOLDEN=1 writes them; read the diff):\n%s", goldenPath, b)
		}
		// The deployment's own area ("") holds every child of the fixture:
		// the area's path through the indexes gives the same tables.
		own := ""
		ownFacts, err := s.DatasetFacts(mgr, fyFrom, fyTo, &own)
		if err != nil {
			t.Fatal(err)
		}
		a1, _ := json.Marshal(figures.Dataset(*ownFacts, fyFrom, fyTo, 0))
		a2, _ := json.Marshal(exact)
		if !bytes.Equal(a1, a2) {
			t.Errorf("the deployment's own area differs from every area:\n%s\n%s", a1, a2)
		}
		// The trend's own lean reader counts as the data set's facts do.
		var tf []figures.ChildFacts
		err = s.TrendFacts(mgr, fyFrom, fyTo, nil, func(c *figures.ChildFacts) {
			tf = append(tf, figures.ChildFacts{ID: c.ID, Concerns: slices.Clone(c.Concerns), Missing: slices.Clone(c.Missing)})
		})
		if err != nil {
			t.Fatal(err)
		}
		kept, err := s.DatasetChildren(mgr, fyFrom, fyTo, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, period := range []string{figures.Month, figures.Quarter} {
			t1, err1 := figures.Trend(tf, fyFrom, fyTo, period)
			t2, err2 := figures.Trend(kept, fyFrom, fyTo, period)
			b1, _ := json.Marshal(t1)
			b2, _ := json.Marshal(t2)
			if err1 != nil || err2 != nil || !bytes.Equal(b1, b2) {
				t.Errorf("the trend by %s from its own facts:\n%s\nfrom the data set's:\n%s", period, b1, b2)
			}
		}
		// The seed's sentence, from the tables.
		cell := func(id, label, col string) figures.Value {
			for _, tb := range exact {
				for _, r := range tb.Rows {
					if tb.ID == id && r.Label == label {
						return r.Values[col]
					}
				}
			}
			t.Fatalf("no %s / %s", id, label)
			return figures.Value{}
		}
		if m, k := cell("response", "CSE strategy meetings held", "events"), cell("response", "CSE strategy meetings held", "children"); m.N != 71 || k.N != 32 {
			t.Errorf("%v meetings on %v children, want 71 on 32", m.N, k.N)
		}
		// Someone who may not see figures is refused.
		if _, err := s.DatasetFacts(storetest.As(a.SW), fyFrom, fyTo, nil); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a social worker read the figures: %v", err)
		}
	})
}
