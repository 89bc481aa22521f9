// Package clocks holds the statutory timescales as profiles (wt2023, the
// default, and wt2006) and works out when a clock's task is due. It is
// pure: the calendar is given to it.
package clocks

import (
	"fmt"
	"time"

	"lantern"
	"lantern/workday"
)

// Clock ids (docs/timescales.md), as the domain names them.
const (
	ReferralDecision        = lantern.ClockReferralDecision
	ReferralWrittenFollowup = lantern.ClockReferralWrittenFollowup
	ReferrerFeedback        = lantern.ClockReferrerFeedback
	Assessment              = lantern.ClockAssessment
	CoreAssessment          = lantern.ClockCoreAssessment
	ICPC                    = lantern.ClockICPC
	CoreGroup               = lantern.ClockCoreGroup
	FirstReview             = lantern.ClockFirstReview
	NextReview              = lantern.ClockNextReview
	ReturnInterview         = lantern.ClockReturnInterview
	ToolkitReassessment     = lantern.ClockToolkitReassessment
)

// Unit is how a clock counts.
type Unit string

const (
	WorkingDays Unit = "working-days"
	Hours       Unit = "hours"
	Months      Unit = "months"
	Weeks       Unit = "weeks"
)

// Rule is one clock's timescale in a profile.
type Rule struct {
	Clock string
	N     int
	Unit  Unit
	// Who does the work, in words.
	Who string
}

// Text is the timescale in words, e.g. "15 working days".
func (r Rule) Text() string {
	unit := map[Unit]string{WorkingDays: "working day", Hours: "hour", Months: "month", Weeks: "week"}[r.Unit]
	if r.N != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", r.N, unit)
}

// Profile is an edition of the statutory guidance's timescales.
type Profile struct {
	ID    string
	Name  string
	Rules map[string]Rule
}

// Rule returns a clock's rule; false when the profile has no such clock
// (wt2023 has no core assessment).
func (p Profile) Rule(clock string) (Rule, bool) {
	r, ok := p.Rules[clock]
	return r, ok
}

func rules(rs ...Rule) map[string]Rule {
	m := map[string]Rule{}
	for _, r := range rs {
		m[r.Clock] = r
	}
	return m
}

// The two profiles (docs/timescales.md#profiles).
var (
	WT2023 = Profile{ID: "wt2023", Name: "Working Together 2023", Rules: rules(
		Rule{ReferralDecision, 1, WorkingDays, "Social worker and manager decide the next course of action"},
		Rule{ReferralWrittenFollowup, 48, Hours, "The referrer confirms a telephone referral in writing"},
		Rule{ReferrerFeedback, 72, Hours, "Children's social care tells the referrer the decision"},
		Rule{Assessment, 45, WorkingDays, "Social worker completes the single assessment"},
		Rule{ICPC, 15, WorkingDays, "Social work manager convenes the initial child protection conference"},
		Rule{CoreGroup, 10, WorkingDays, "Key worker holds the first core group meeting"},
		Rule{FirstReview, 3, Months, "First review child protection conference"},
		Rule{NextReview, 6, Months, "Next review child protection conference"},
		Rule{ReturnInterview, 72, Hours, "Independent return interview offered and held"},
		Rule{ToolkitReassessment, 12, Weeks, "The practitioner completes the toolkit again"},
	)}
	WT2006 = Profile{ID: "wt2006", Name: "Working Together 2006", Rules: rules(
		Rule{ReferralDecision, 1, WorkingDays, "Social worker and manager decide the next course of action"},
		Rule{ReferralWrittenFollowup, 48, Hours, "The referrer confirms a telephone referral in writing"},
		Rule{ReferrerFeedback, 72, Hours, "Children's social care tells the referrer the decision"},
		Rule{Assessment, 7, WorkingDays, "Social worker completes the initial assessment"},
		Rule{CoreAssessment, 35, WorkingDays, "Social worker completes the core assessment"},
		Rule{ICPC, 15, WorkingDays, "Social work manager convenes the initial child protection conference"},
		Rule{CoreGroup, 10, WorkingDays, "Key worker holds the first core group meeting"},
		Rule{FirstReview, 3, Months, "First review child protection conference"},
		Rule{NextReview, 6, Months, "Next review child protection conference"},
		Rule{ReturnInterview, 72, Hours, "Independent return interview offered and held"},
		Rule{ToolkitReassessment, 12, Weeks, "The practitioner completes the toolkit again"},
	)}
)

// Profiles by id.
var Profiles = map[string]Profile{WT2023.ID: WT2023, WT2006.ID: WT2006}

// ProfileByID returns a profile, or an error naming the known ones.
func ProfileByID(id string) (Profile, error) {
	p, ok := Profiles[id]
	if !ok {
		return Profile{}, fmt.Errorf("unknown timescale profile %q: use wt2023 or wt2006", id)
	}
	return p, nil
}

// Due works out when a clock started at start is due: the local date, and
// the moment. Clocks counted in hours are due that many real hours later;
// the others at the end (23:59:59, Europe/London) of their due date.
func Due(r Rule, start time.Time, cal *workday.Calendar) (lantern.Date, time.Time) {
	if r.Unit == Hours {
		at := workday.AddHours(start, r.N).In(lantern.London)
		return lantern.DateOf(at), at
	}
	d := lantern.Today(start)
	switch r.Unit {
	case WorkingDays:
		d = cal.AddWorkingDays(d, r.N)
	case Months:
		d = workday.AddMonths(d, r.N)
	case Weeks:
		d = workday.AddDays(d, 7*r.N)
	}
	return d, lantern.EndOfDay(d)
}

// Label says what a clock's task asks to be done, in words that fit
// either edition of the guidance.
func Label(clock string) string {
	switch clock {
	case ReferralDecision:
		return "Decide what happens next with the referral"
	case ReferralWrittenFollowup:
		return "Referrer confirms the telephone referral in writing"
	case ReferrerFeedback:
		return "Tell the referrer what was decided"
	case Assessment:
		return "Complete the assessment"
	case CoreAssessment:
		return "Complete the core assessment"
	case ICPC:
		return "Hold the initial child protection conference"
	case CoreGroup:
		return "Hold the first core group meeting"
	case FirstReview:
		return "Hold the first review conference"
	case NextReview:
		return "Hold the next review conference"
	case ReturnInterview:
		return "Offer and hold the return interview"
	case ToolkitReassessment:
		return "Complete the toolkit again"
	case lantern.ClockMeetingAction:
		return "Complete an action from a meeting"
	case lantern.ClockNextMeeting:
		return "Arrange the next meeting"
	}
	return clock
}

// TaskLabel says what a task asks: a work task by its kind, a clock's by
// its clock.
func TaskLabel(t *lantern.Task) string {
	if t.Clock == lantern.ClockWork {
		return t.Kind.Label()
	}
	return Label(t.Clock)
}
