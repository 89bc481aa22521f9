package intelgen

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"lantern"
	"lantern/store"
)

// The population: children known to the partnership over --years, in one
// area (county) or 153 (national), with their CSE concerns, toolkit
// assessments, referrals, strategy discussions and s47 enquiries,
// conferences and protection plans, missing episodes and return
// interviews, and CSE strategy meetings, drawn at the rates that
// docs/figures.md ("The generated data") cites. Each area is drawn from
// its own generator seeded by the seed and the area's number, so areas are
// made in parallel and the set is the same whatever the order. Everything
// is fictional: names from the lists above, area codes Z00000001 to
// Z00000153 (no real GSS code begins with Z).

// Preset is a named size of the generated set.
type Preset struct {
	Name     string
	Areas    int
	Children int
	// IntelScale is the intelligence set's scale (Generate), its children
	// those of the population.
	IntelScale float64
}

// Presets are county (one area) and national (England's 153 areas).
// National intelligence is at 0.1 (200,000 entities and a million links):
// the full set took most of the ten minutes the whole preset is given.
var Presets = map[string]Preset{
	"county":   {Name: "county", Areas: 1, Children: 6_500, IntelScale: 0.005},
	"national": {Name: "national", Areas: 153, Children: 1_000_000, IntelScale: 0.1},
}

// AreaCode is area i's (from 0) fictional code.
func AreaCode(i int) string { return fmt.Sprintf("Z%08d", i+1) }

// AreaSizes shares n children among areas of different sizes (a fixed
// spread, about a fifth to three times the mean, as England's authorities
// differ), summing to n exactly.
func AreaSizes(n, areas int) []int {
	if areas <= 1 {
		return []int{n}
	}
	rng := rand.New(rand.NewPCG(153, 0xa4ea5))
	w := make([]float64, areas)
	sum := 0.0
	for i := range w {
		w[i] = math.Exp(0.6 * rng.NormFloat64())
		sum += w[i]
	}
	sizes := make([]int, areas)
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, areas)
	got := 0
	for i := range w {
		x := w[i] / sum * float64(n)
		sizes[i] = int(x)
		got += sizes[i]
		rems[i] = rem{i, x - float64(sizes[i])}
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return 0
	})
	for k := 0; got < n; k++ {
		sizes[rems[k%areas].i]++
		got++
	}
	return sizes
}

// Rates the generator draws at (docs/figures.md, "The generated data").
const (
	// ShareConfirmed is the share of children whose exploitation is
	// confirmed (medium or high) and who have CSE strategy meetings: about
	// 13,600 a year of England's 100,000, inside the 12,000 to 17,000 a
	// year the children in need census finds CSE a factor for.
	ShareConfirmed = 0.136
	// ShareGirls, ShareTenOrOver: two thirds girls, 81% aged 10 or over at
	// their first concern.
	ShareGirls     = 2.0 / 3
	ShareTenOrOver = 0.81
)

// GenerateArea draws area's n children over the years ending today. The
// same seed, area, n, years and today give the same children.
func GenerateArea(seed int64, area, n, years int, today lantern.Date) []store.PopChild {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15^uint64(area+1)))
	// The records end as today begins: none is dated after the moment the
	// store imports it, whenever today that is.
	end := today.Time()
	start := today.Time().AddDate(-years, 0, 1)
	span := end.Sub(start)
	code := AreaCode(area)
	out := make([]store.PopChild, n)
	// within: a time d after t, or zero when that is not before the
	// period's end.
	within := func(t time.Time, d time.Duration) time.Time {
		if x := t.Add(d); x.Before(end) {
			return x
		}
		return time.Time{}
	}
	hours := func(lo, hi int) time.Duration { return time.Duration(lo+rng.IntN(hi-lo+1)) * time.Hour }
	days := func(lo, hi int) time.Duration { return hours(lo*24, hi*24) }
	for i := range out {
		c := &out[i]
		c.AreaCode = code
		// The first concern, in working hours.
		first := start.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(24 * time.Hour).Add(hours(8, 17))
		if !first.Before(end) {
			first = end.Add(-time.Hour)
		}
		// Sex: two thirds girls; the rest boys, a few another gender.
		switch x := rng.Float64(); {
		case x < ShareGirls:
			c.Gender = "female"
		case x < 0.985:
			c.Gender = "male"
		case x < 0.993:
			c.Gender = "non-binary"
		default:
			c.Gender = "not-known"
		}
		// Age at the first concern: 19% under 10; of the rest, 10 to 12
		// (a quarter), 13 to 15 (half), 16 and 17 (a quarter).
		var age int
		switch x := rng.Float64(); {
		case x < 1-ShareTenOrOver:
			age = 5 + rng.IntN(5)
		case x < 1-ShareTenOrOver+ShareTenOrOver/4:
			age = 10 + rng.IntN(3)
		case x < 1-ShareTenOrOver+ShareTenOrOver*3/4:
			age = 13 + rng.IntN(3)
		default:
			age = 16 + rng.IntN(2)
		}
		dob := lantern.DateOf(first.AddDate(-age, 0, -rng.IntN(365)))
		c.DateOfBirth = dob
		names := girls
		if c.Gender == "male" || (c.Gender != "female" && rng.IntN(2) == 0) {
			names = boys
		}
		c.GivenName, c.FamilyName = pick(rng, names), pick(rng, childStarts)+pick(rng, childEnds)
		c.Ethnicity = pickWeighted(rng, ethnicities)
		c.LookedAfter = rng.Float64() < 0.2
		if c.LookedAfter && rng.Float64() < 0.3 {
			// Placed here by another area.
			c.PlacingAuthority = fmt.Sprintf("Area %s (fictional)", AreaCode((area+1+rng.IntN(152))%153))
		}
		if rng.Float64() < 0.12 {
			c.Disability = pick(rng, disabilities)
		}
		c.LearningDisability = rng.Float64() < 0.08
		// Unaccompanied asylum-seeking children: about 2%, most of them
		// boys of 16 or 17.
		if rng.Float64() < 0.02 {
			c.Unaccompanied = true
			if c.Gender == "female" && rng.IntN(4) > 0 {
				c.Gender, c.GivenName = "male", pick(rng, boys)
			}
		}
		confirmed := rng.Float64() < ShareConfirmed
		// Concerns: the first, and for some later ones months apart.
		concerns := []time.Time{first}
		for t := first; len(concerns) < 4 && rng.Float64() < 0.3; {
			if t = within(t, days(30, 400)); t.IsZero() {
				break
			}
			concerns = append(concerns, t)
		}
		for _, at := range concerns {
			step := lantern.StepMonitor
			switch {
			case confirmed:
				step = lantern.StepStrategyDiscussed
			case rng.Float64() < 0.35:
				step = lantern.StepReferred
			case rng.Float64() < 0.2:
				step = lantern.StepToolkit
			}
			stepAt := at.Add(hours(2, 120))
			if !stepAt.Before(end) {
				stepAt = end.Add(-time.Minute)
			}
			c.Concerns = append(c.Concerns, store.PopConcern{RaisedAt: at, Summary: "Generated concern (fictional).", Step: step, StepAt: stepAt})
		}
		// Toolkit assessments, every six to ten weeks from the first
		// concern: about eight for a confirmed child, four or five for the
		// rest, at levels that rise and (most) fall again.
		nA := 1 + rng.IntN(9)
		peak := []string{"none", "vulnerable", "emerging"}[rng.IntN(3)]
		if confirmed {
			nA = 2 + rng.IntN(14)
			peak = []string{"medium", "high", "high"}[rng.IntN(3)]
		}
		on := lantern.DateOf(first.Add(days(0, 10)))
		for k := range nA {
			if !on.Before(today) {
				break
			}
			level := peak
			switch {
			case k == 0 && confirmed:
				level = []string{"emerging", "medium"}[rng.IntN(2)]
			case k == nA-1 && nA > 2 && rng.Float64() < 0.6:
				level = []string{"none", "vulnerable", "emerging"}[rng.IntN(3)]
			}
			a := store.PopAssessment{On: on, Concern: concernOn(concerns, on), Suggested: level, Recorded: level,
				Indicators: slices.Clone(indicatorsFor(level))}
			if rng.Float64() < 0.08 {
				a.Suggested = []string{"none", "vulnerable", "emerging", "medium", "high"}[rng.IntN(5)]
				if a.Suggested != a.Recorded {
					a.Rationale = "Generated: the practitioner's judgement differs (fictional)."
				}
			}
			c.Assessments = append(c.Assessments, a)
			on = on.AddDays(42 + rng.IntN(29))
		}
		// Referrals: every confirmed child's concerns, and some others'.
		for j, at := range concerns {
			if !confirmed && rng.Float64() > 0.35 {
				continue
			}
			r := store.PopReferral{ReceivedAt: at.Add(hours(1, 48)), Concern: j, Method: lantern.ReferralMethods[rng.IntN(3)]}
			if !r.ReceivedAt.Before(end) {
				continue
			}
			switch {
			case confirmed && j == 0:
				r.Decision = lantern.DecideStrategyDiscussion
			case confirmed:
				r.Decision = lantern.DecideAlreadyOpen
			default:
				r.Decision = []lantern.ReferralDecision{lantern.DecideAssessment, lantern.DecideEarlyHelp, lantern.DecideInformationOnly,
					lantern.DecideNoFurtherAction}[rng.IntN(4)]
			}
			// Most decided within the working day; some late; a few still
			// waiting when the period ends.
			r.DecidedAt = within(r.ReceivedAt, hours(1, 20))
			if rng.Float64() < 0.12 {
				r.DecidedAt = within(r.ReceivedAt, hours(25, 120))
			}
			c.Referrals = append(c.Referrals, r)
		}
		if confirmed {
			// A strategy discussion; s47 enquiries from 60%; an initial
			// conference for a third of those within 15 working days (most);
			// a plan for three in four conferenced, reviewed at three months
			// and then six-monthly, ended when no longer at risk.
			held := within(first, days(1, 10))
			if !held.IsZero() {
				d := store.PopDiscussion{HeldAt: held}
				if rng.Float64() < 0.6 {
					e := &store.PopS47{StartedAt: held.Add(hours(1, 24))}
					if e.CompletedAt = within(e.StartedAt, days(5, 30)); !e.CompletedAt.IsZero() {
						e.Outcome = []lantern.S47Outcome{lantern.S47NotSubstantiated, lantern.S47NoContinuingRisk, lantern.S47ICPC}[pick3(rng, 0.4, 0.25)]
					}
					d.S47 = e
					if e.Outcome == lantern.S47ICPC {
						conferenceAndPlan(rng, c, held, end, days)
					}
				}
				c.Discussions = append(c.Discussions, d)
			}
			// CSE strategy meetings: 2.2 a child (the seed's 71 on 32
			// children), six weeks or so apart.
			nM := 1 + rng.IntN(3)
			if rng.Float64() < 0.2 {
				nM++
			}
			at := first.Add(days(3, 20))
			for range nM {
				if !at.Before(end) {
					break
				}
				lv := peak
				if rng.Float64() < 0.3 {
					lv = []string{"emerging", "medium", "high"}[rng.IntN(3)]
				}
				c.Meetings = append(c.Meetings, store.PopMeeting{StartsAt: at.Truncate(time.Hour), Level: lv})
				at = at.Add(days(35, 70))
			}
		}
		// Missing episodes: none for half the children not confirmed; for the others a few,
		// confirmed children the most, in the year either side of the
		// first concern.
		nMiss := 0
		switch {
		case confirmed:
			nMiss = rng.IntN(13)
		case rng.Float64() < 0.5:
			nMiss = 1 + rng.IntN(5)
		}
		for range nMiss {
			from := first.Add(days(-365, 365)).Truncate(time.Hour).Add(hours(0, 23))
			if from.Before(start) || !from.Before(end) {
				continue
			}
			m := store.PopMissing{Kind: "missing", From: from, LookedAfter: c.LookedAfter}
			if rng.Float64() < 0.15 {
				m.Kind = "absent"
			}
			m.Returned = within(from, hours(2, 72))
			// A return interview for most who came back from being missing:
			// offered within 72 hours for four in five; held for 70%,
			// declined by 20%, not reachable for 10% (one offered in the
			// last days may not be held yet).
			if m.Kind == "missing" && !m.Returned.IsZero() && rng.Float64() < 0.9 {
				offered := m.Returned.Add(hours(2, 70))
				if rng.Float64() < 0.2 {
					offered = m.Returned.Add(hours(73, 240))
				}
				if offered = within(offered, 0); !offered.IsZero() {
					m.Interview, m.OfferedAt = true, offered
					switch pick3(rng, 0.7, 0.2) {
					case 0:
						m.HeldAt = within(offered, hours(0, 48))
					case 1:
						m.NotHeld = "declined"
					default:
						m.NotHeld = "not-reachable"
					}
				}
			}
			c.Missing = append(c.Missing, m)
		}
		slices.SortFunc(c.Missing, func(a, b store.PopMissing) int { return a.From.Compare(b.From) })
		last := first
		for _, a := range c.Assessments {
			last = maxTime(last, a.On.Time())
		}
		c.Open = end.Sub(last) < 180*24*time.Hour
	}
	return out
}

// conferenceAndPlan adds an initial conference after a strategy discussion
// held at held, and the plan and reviews it leads to.
func conferenceAndPlan(rng *rand.Rand, c *store.PopChild, held, end time.Time, days func(lo, hi int) time.Duration) {
	// Within 15 working days (21 calendar) for most; later for some.
	icpc := held.Add(days(7, 20))
	if rng.Float64() < 0.2 {
		icpc = held.Add(days(22, 40))
	}
	if !icpc.Before(end) {
		return
	}
	conf := store.PopConference{Kind: lantern.ConferenceInitial, HeldAt: icpc, Outcome: lantern.ConferenceNoPlan}
	if rng.Float64() >= 0.75 {
		c.Conferences = append(c.Conferences, conf)
		return
	}
	conf.Outcome, conf.StartsPlan = lantern.ConferencePlanNeeded, true
	// Reviews at three months, then six-monthly; the plan ends at one of
	// them, after one to three.
	reviews := 1 + rng.IntN(3)
	at := icpc.AddDate(0, 3, 0)
	var rs []store.PopConference
	for k := range reviews {
		if !at.Before(end) {
			break
		}
		r := store.PopConference{Kind: lantern.ConferenceReview, HeldAt: at, Outcome: lantern.ConferencePlanNeeded}
		if k == reviews-1 {
			r.Outcome = lantern.ConferenceNoPlan
			conf.PlanEnd = lantern.DateOf(at)
			conf.EndReason = []lantern.PlanEndReason{lantern.PlanEndNoLongerAtRisk, lantern.PlanEndNoLongerAtRisk, lantern.PlanEndNoLongerAtRisk,
				lantern.PlanEndLookedAfter, lantern.PlanEndMovedArea}[rng.IntN(5)]
		}
		rs = append(rs, r)
		at = at.AddDate(0, 6, 0)
	}
	c.Conferences = append(append(c.Conferences, conf), rs...)
}

// concernOn is the index of the latest concern raised on or before on.
func concernOn(concerns []time.Time, on lantern.Date) int {
	j := 0
	for i, t := range concerns {
		if !lantern.DateOf(t).After(on) {
			j = i
		}
	}
	return j
}

func pick3(rng *rand.Rand, a, b float64) int {
	switch x := rng.Float64(); {
	case x < a:
		return 0
	case x < a+b:
		return 1
	}
	return 2
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

type weighted struct {
	v string
	w float64
}

func pickWeighted(rng *rand.Rand, xs []weighted) string {
	x := rng.Float64()
	for _, e := range xs {
		if x < e.w {
			return e.v
		}
		x -= e.w
	}
	return xs[len(xs)-1].v
}

// indicatorsFor are toolkit indicators an assessment at level names
// (nottingham-v1's ids), for the answers to carry something plausible.
func indicatorsFor(level string) []string {
	switch level {
	case "high":
		return []string{"vuln.missing", "risk.older-partner", "risk.gifts", "risk.substance-use"}
	case "medium":
		return []string{"vuln.missing", "risk.gifts"}
	case "emerging":
		return []string{"vuln.missing"}
	}
	return []string{}
}

var (
	// ethnicities: a plausible spread of the 2021 census categories, not a
	// published table (docs/figures.md).
	ethnicities = []weighted{{"white-british", 0.64}, {"white-other", 0.05}, {"white-irish", 0.005}, {"white-gypsy-irish-traveller", 0.005},
		{"mixed-white-black-caribbean", 0.03}, {"mixed-white-black-african", 0.01}, {"mixed-white-asian", 0.015}, {"mixed-other", 0.02},
		{"asian-pakistani", 0.03}, {"asian-bangladeshi", 0.01}, {"asian-indian", 0.01}, {"asian-other", 0.01}, {"asian-chinese", 0.002},
		{"black-african", 0.03}, {"black-caribbean", 0.015}, {"black-other", 0.008}, {"other-arab", 0.005}, {"other-any", 0.015},
		{"not-stated", 0.1}}
	disabilities = []string{"Autism spectrum condition (generated)", "Attention deficit hyperactivity disorder (generated)",
		"Hearing impairment (generated)", "Mobility impairment (generated)", "Mental health condition (generated)"}
)

// PopulationLoaded is what LoadPopulation gave ids to: each area's
// children in its drawn order, and the confirmed children's ids (those
// with CSE strategy meetings), whom the intelligence links name.
type PopulationLoaded struct {
	Areas     [][]string
	Confirmed []string
	Counts    PopulationCounts
}

// PopulationCounts are what was generated, by kind.
type PopulationCounts struct {
	Children, Concerns, Assessments, Referrals, Discussions, S47, Conferences, Plans, Missing, Interviews, Meetings int
}

func (p *PopulationCounts) add(cs []store.PopChild) {
	for _, c := range cs {
		p.Children++
		p.Concerns += len(c.Concerns)
		p.Assessments += len(c.Assessments)
		p.Referrals += len(c.Referrals)
		p.Discussions += len(c.Discussions)
		for _, d := range c.Discussions {
			if d.S47 != nil {
				p.S47++
			}
		}
		p.Conferences += len(c.Conferences)
		for _, k := range c.Conferences {
			if k.StartsPlan {
				p.Plans++
			}
		}
		p.Missing += len(c.Missing)
		for _, m := range c.Missing {
			if m.Interview {
				p.Interviews++
			}
		}
		p.Meetings += len(c.Meetings)
	}
}

func (p PopulationCounts) String() string {
	return fmt.Sprintf("%d children, %d concerns, %d assessments, %d referrals, %d strategy discussions, %d s47 enquiries, %d conferences, %d plans, %d missing episodes, %d return interviews, %d CSE strategy meetings",
		p.Children, p.Concerns, p.Assessments, p.Referrals, p.Discussions, p.S47, p.Conferences, p.Plans, p.Missing, p.Interviews, p.Meetings)
}

// popBatch bounds the children of one import transaction: a large area's
// rows (twenty thousand children, some 300,000 rows) held at once cost
// memory for nothing.
const popBatch = 4000

// LoadPopulation draws the preset's areas over years ending today and
// imports them as the operator (sys), recorded as made by the coordinator,
// an area at a time from a worker a CPU: on SQLite one draws and builds
// its rows while another's insert runs.
func LoadPopulation(ctx, sys context.Context, st *store.Store, seed int64, p Preset, years int, today lantern.Date, coord *lantern.User, out io.Writer) (*PopulationLoaded, error) {
	tk, err := st.CurrentToolkitID(sys)
	if err != nil || tk == "" {
		tk = "nottingham-v1"
	}
	sizes := AreaSizes(p.Children, p.Areas)
	res := &PopulationLoaded{Areas: make([][]string, p.Areas)}
	confirmed := make([][]string, p.Areas)
	counts := make([]PopulationCounts, p.Areas)
	began := time.Now()
	areas := make(chan int)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range max(2, min(runtime.GOMAXPROCS(0), 4)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range areas {
				cs := GenerateArea(seed, a, sizes[a], years, today)
				counts[a].add(cs)
				var ids []string
				for i := 0; i < len(cs); i += popBatch {
					got, err := st.ImportPopulation(sys, &store.PopBatch{Children: cs[i:min(i+popBatch, len(cs))], AsUser: coord.ID, AsAgency: coord.AgencyID, Toolkit: tk})
					if err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = fmt.Errorf("area %s: %w", AreaCode(a), err)
						}
						mu.Unlock()
						break
					}
					ids = append(ids, got...)
				}
				res.Areas[a] = ids
				for i, c := range cs {
					if len(c.Meetings) > 0 && i < len(ids) {
						confirmed[a] = append(confirmed[a], ids[i])
					}
				}
			}
		}()
	}
	for a := range p.Areas {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			break
		}
		areas <- a
	}
	close(areas)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	for a := range p.Areas {
		res.Counts.Children += counts[a].Children
		res.Counts.Concerns += counts[a].Concerns
		res.Counts.Assessments += counts[a].Assessments
		res.Counts.Referrals += counts[a].Referrals
		res.Counts.Discussions += counts[a].Discussions
		res.Counts.S47 += counts[a].S47
		res.Counts.Conferences += counts[a].Conferences
		res.Counts.Plans += counts[a].Plans
		res.Counts.Missing += counts[a].Missing
		res.Counts.Interviews += counts[a].Interviews
		res.Counts.Meetings += counts[a].Meetings
		res.Confirmed = append(res.Confirmed, confirmed[a]...)
	}
	fmt.Fprintf(out, "population: %s, in %d areas, in %s\n", res.Counts, p.Areas, time.Since(began).Round(time.Millisecond))
	return res, nil
}

// RefuseRealUsers refuses a store that holds any user but the generator's
// own accounts: generated children and records must never be mixed into a
// store that real people use.
func RefuseRealUsers(sys context.Context, st *store.Store) error {
	us, err := st.Users(sys)
	if err != nil {
		return err
	}
	n := 0
	for _, u := range us {
		if u.Email != GeneratedPolice && u.Email != GeneratedCoordinator {
			n++
		}
	}
	if n > 0 {
		return lantern.Errorf(lantern.ECONFLICT, "This store has %d real users (accounts not made by the generator): generated data goes only into a store of its own", n)
	}
	return nil
}
