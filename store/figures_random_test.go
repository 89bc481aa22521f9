package store_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"lantern"
	"lantern/figures"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// TestFiguresAfterRandomWrites makes 10,000 random writes through two
// replicas of one database (children made and changed, concerns, toolkits,
// missing episodes and interviews, referrals, CSE strategy meetings), then
// works the data set's measures out again from the raw records, in plain
// SQL written from docs/figures.md's definitions, and compares them with
// the ones served.
func TestFiguresAfterRandomWrites(t *testing.T) {
	writes := 10_000
	if testing.Short() {
		writes = 1_500
	}
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			clock := storetest.NewClock(evNow)
			cfg := storetest.Config(t, d)
			cfg.Now = clock.Now
			rs := storetest.Replicas(t, cfg, 2)
			a := evSeed(t, rs[0])
			rng := rand.New(rand.NewPCG(17, uint64(len(d))))
			sw := storetest.As(a.SW)
			type kid struct {
				id      string
				version int
			}
			var kids []kid
			day0 := lantern.Date{Year: 2025, Month: 1, Day: 1}
			randDay := func() lantern.Date { return day0.AddDays(rng.IntN(880)) } // to 2027-05-30
			at := func(d lantern.Date, h int) time.Time { return time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, time.UTC) }
			genders := append([]string{}, lantern.Genders...)
			ethnic := []string{"", "white-british", "asian-pakistani", "black-african", "mixed-other"}
			n := 0
			for n < writes {
				s := rs[n%2] // every other write through the other replica
				pick := func() kid { return kids[rng.IntN(len(kids))] }
				var err error
				switch r := rng.IntN(100); {
				case r < 10 || len(kids) < 5:
					in := lantern.ChildInput{GivenName: fmt.Sprintf("Rand%d", n), FamilyName: "Writes", DateOfBirth: lantern.Date{Year: 2008 + rng.IntN(10), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)},
						Gender: genders[rng.IntN(len(genders))], ChildDetails: lantern.ChildDetails{Ethnicity: ethnic[rng.IntN(len(ethnic))], LookedAfter: rng.IntN(4) == 0}}
					var c *lantern.Child
					if c, err = s.CreateChild(sw, in); err == nil {
						kids = append(kids, kid{c.ID, c.Version})
					}
				case r < 15:
					i := rng.IntN(len(kids))
					c, rerr := s.FindChildByID(sw, kids[i].id)
					if rerr != nil {
						t.Fatal(rerr)
					}
					in := lantern.ChildInput{GivenName: c.GivenName, FamilyName: c.FamilyName, DateOfBirth: c.DateOfBirth, Gender: genders[rng.IntN(len(genders))], ChildDetails: c.ChildDetails}
					in.Unaccompanied = rng.IntN(3) == 0
					var u *lantern.Child
					if u, err = s.UpdateChild(sw, c.ID, c.Version, in); err == nil {
						kids[i].version = u.Version
					}
				case r < 50:
					_, err = s.CreateConcern(sw, pick().id, lantern.ConcernInput{RaisedAt: at(randDay(), 10), Summary: "Random"})
				case r < 65:
					lv := []toolkit.Level{toolkit.Emerging, toolkit.Medium, toolkit.High}[rng.IntN(3)]
					_, err = s.CreateAssessment(sw, pick().id, "", toolkit.AssessmentInput{Answers: toolkit.Input{AssessedOn: randDay()}, Analysis: "Random",
						RecordedLevel: lv, OverrideRationale: "Random level"})
				case r < 82:
					from := at(randDay(), 22)
					var e *lantern.MissingEpisode
					if e, err = s.CreateEpisode(sw, pick().id, lantern.EpisodeInput{Kind: "missing", MissingFrom: from, ReturnedAt: ptime(from.Add(time.Duration(2+rng.IntN(40)) * time.Hour))}); err == nil && rng.IntN(2) == 0 {
						n++
						_, err = rs[n%2].RecordInterview(sw, e.ChildID, e.ID, lantern.InterviewInput{HeldAt: ptime(e.ReturnedAt.Add(time.Duration(1+rng.IntN(120)) * time.Hour)), HeldBy: "Jo Advocate"})
					}
				case r < 92:
					_, err = s.CreateReferral(sw, pick().id, &lantern.Referral{ReceivedAt: at(randDay(), 11), Method: "phone",
						Referrer: lantern.Referrer{Name: "Terry Teacher", Agency: "Riverside Academy"}})
				default:
					start := at(randDay(), 10)
					clock.Set(start.Add(-48 * time.Hour))
					var m *lantern.Meeting
					m, err = s.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{pick().id}, StartsAt: start, EndsAt: start.Add(time.Hour), Location: "Room 1"})
					if err == nil {
						n++
						clock.Set(start.Add(2 * time.Hour))
						if rng.IntN(5) == 0 {
							_, err = rs[n%2].CancelMeeting(sw, m.ID, m.Version, "Not needed")
						} else {
							_, err = rs[n%2].RecordOutcome(sw, m.ID, m.Version, lantern.Outcome{Held: true})
						}
					}
					clock.Set(evNow)
				}
				if err != nil && lantern.ErrorCode(err) != lantern.EINVALID {
					t.Fatalf("write %d: %v", n, err)
				}
				n++
			}
			from, to := lantern.Date{Year: 2026, Month: 4, Day: 1}, lantern.Date{Year: 2027, Month: 3, Day: 31}
			facts, err := rs[1].DatasetFacts(storetest.As(a.Manager), from, to, nil)
			if err != nil {
				t.Fatal(err)
			}
			served := map[string]float64{}
			for _, tb := range figures.Dataset(*facts, from, to, 0) {
				for _, r := range tb.Rows {
					for c, v := range r.Values {
						served[tb.ID+"/"+r.Label+"/"+c] = v.N
					}
				}
			}
			recomputed := recomputeFigures(t, rs[0], from, to)
			if len(recomputed) < 15 {
				t.Fatalf("recomputed only %d measures", len(recomputed))
			}
			for k, want := range recomputed {
				got, ok := served[k]
				if !ok {
					t.Errorf("%s: not served", k)
				} else if got != want {
					t.Errorf("%s: served %v, recomputed %v", k, got, want)
				}
			}
			if served["prevalence/Open at any time in the period/children"] < 50 {
				t.Errorf("too few children open to test much: %v", served)
			}
		})
	}
}

// recomputeFigures works measures out from the raw tables in SQL alone,
// from the definitions in docs/figures.md, sharing no code with the store's
// reader or the figures package.
func recomputeFigures(t *testing.T, s *store.Store, from, to lantern.Date) map[string]float64 {
	t.Helper()
	db := s.DB()
	ts := func(d lantern.Date) any {
		if s.Dialect() == "postgres" {
			return d.Time()
		}
		return d.Time().UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	lo, start, end := from.AddDays(-365), from, to.AddDays(1)
	// Children open in the period: a concern by its end, and a concern, a
	// toolkit or a held CSE strategy meeting in the 365 days before some
	// day of it.
	open := `SELECT c.id, c.gender FROM children c WHERE c.merged_into IS NULL
		AND EXISTS (SELECT 1 FROM concerns k WHERE k.child_id = c.id AND k.raised_at < $3)
		AND (EXISTS (SELECT 1 FROM concerns k WHERE k.child_id = c.id AND k.raised_at >= $1 AND k.raised_at < $3)
			OR EXISTS (SELECT 1 FROM assessments a WHERE a.child_id = c.id AND a.assessed_on >= $4 AND a.assessed_on <= $5)
			OR EXISTS (SELECT 1 FROM meeting_children mc JOIN meetings m ON m.id = mc.meeting_id
				WHERE mc.child_id = c.id AND m.kind = 'cse-strategy' AND m.status = 'held' AND m.starts_at >= $1 AND m.starts_at < $3))`
	args := []any{ts(lo), ts(start), ts(end), lo, to}
	out := map[string]float64{}
	count := func(key, q string, args ...any) {
		t.Helper()
		var n float64
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		out[key] = n
	}
	// $2 (the period's start) is used by the queries below, not by open;
	// PostgreSQL must still be told its type.
	p2 := "$2"
	if s.Dialect() == "postgres" {
		p2 = "CAST($2 AS timestamptz)"
	}
	openAll := `SELECT count(*) FROM (` + open + `) o WHERE ` + p2 + ` IS NOT NULL`
	count("prevalence/Open at any time in the period/children", openAll, args...)
	count("prevalence/With a CSE concern raised in the period/children", `SELECT count(DISTINCT k.child_id) FROM concerns k JOIN children c ON c.id = k.child_id
		WHERE c.merged_into IS NULL AND k.raised_at >= $1 AND k.raised_at < $2`, ts(start), ts(end))
	count("prevalence/New: their first CSE concern in the period/children", `SELECT count(*) FROM (SELECT k.child_id FROM concerns k JOIN children c ON c.id = k.child_id
		WHERE c.merged_into IS NULL GROUP BY k.child_id HAVING min(k.raised_at) >= $1 AND min(k.raised_at) < $2) x`, ts(start), ts(end))
	count("prevalence/Open at the end of the period/children", `SELECT count(*) FROM children c WHERE c.merged_into IS NULL
		AND EXISTS (SELECT 1 FROM concerns k WHERE k.child_id = c.id AND k.raised_at < $2)
		AND (EXISTS (SELECT 1 FROM concerns k WHERE k.child_id = c.id AND k.raised_at >= $1 AND k.raised_at < $2)
			OR EXISTS (SELECT 1 FROM assessments a WHERE a.child_id = c.id AND a.assessed_on >= $3 AND a.assessed_on <= $4)
			OR EXISTS (SELECT 1 FROM meeting_children mc JOIN meetings m ON m.id = mc.meeting_id
				WHERE mc.child_id = c.id AND m.kind = 'cse-strategy' AND m.status = 'held' AND m.starts_at >= $1 AND m.starts_at < $2))`,
		ts(to.AddDays(-365)), ts(end), to.AddDays(-365), to)
	for label, g := range map[string]string{"Female": "female", "Male": "male"} {
		count("sex/"+label+"/children", openAll+` AND o.gender = '`+g+`'`, args...)
	}
	count("sex/Total/children", openAll, args...)
	count("unaccompanied/Yes/children", `SELECT count(*) FROM (`+open+`) o JOIN children c ON c.id = o.id WHERE c.unaccompanied = `+boolTrue(s)+` AND `+p2+` IS NOT NULL`, args...)
	count("looked-after/Yes/children", `SELECT count(*) FROM (`+open+`) o JOIN children c ON c.id = o.id WHERE c.looked_after = `+boolTrue(s)+` AND `+p2+` IS NOT NULL`, args...)
	for _, ev := range []struct{ label, q string }{
		{"CSE concerns raised", `FROM concerns x JOIN children c ON c.id = x.child_id WHERE c.merged_into IS NULL AND x.raised_at >= $1 AND x.raised_at < $2`},
		{"Referrals to children's social care", `FROM referrals x JOIN children c ON c.id = x.child_id WHERE c.merged_into IS NULL AND x.received_at >= $1 AND x.received_at < $2`},
	} {
		count("response/"+ev.label+"/events", `SELECT count(*) `+ev.q, ts(start), ts(end))
		count("response/"+ev.label+"/children", `SELECT count(DISTINCT x.child_id) `+ev.q, ts(start), ts(end))
	}
	count("response/Toolkits completed/events", `SELECT count(*) FROM assessments x JOIN children c ON c.id = x.child_id WHERE c.merged_into IS NULL AND x.assessed_on >= $1 AND x.assessed_on <= $2`, from, to)
	count("response/CSE strategy meetings held/events", `SELECT count(DISTINCT m.id) FROM meetings m JOIN meeting_children mc ON mc.meeting_id = m.id
		WHERE m.kind = 'cse-strategy' AND m.status = 'held' AND m.starts_at >= $1 AND m.starts_at < $2`, ts(start), ts(end))
	count("missing/Episodes ended in the period (returned)/count", `SELECT count(*) FROM missing_episodes e JOIN (`+open+`) o ON o.id = e.child_id
		WHERE e.returned_at >= $2 AND e.returned_at < $3`, args...)
	count("missing/Return interviews held (accepted)/count", `SELECT count(*) FROM missing_episodes e JOIN (`+open+`) o ON o.id = e.child_id
		JOIN return_interviews ri ON ri.episode_id = e.id WHERE e.returned_at >= $2 AND e.returned_at < $3 AND ri.held_at IS NOT NULL`, args...)
	count("missing/Children missing in the 12 months to the end of the period/count", `SELECT count(DISTINCT e.child_id) FROM missing_episodes e JOIN (`+open+`) o ON o.id = e.child_id
		WHERE e.missing_from >= $6 AND e.missing_from < $3 AND `+p2+` IS NOT NULL`, append(args, ts(to.AddDays(-364)))...)
	return out
}

func boolTrue(s *store.Store) string {
	if s.Dialect() == "postgres" {
		return "true"
	}
	return "1"
}
