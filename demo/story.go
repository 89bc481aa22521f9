package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"lantern"
	"lantern/store"
	"lantern/toolkit"
)

// story builds six months of the demonstration area's work through the
// store's own methods, each act as the person who would do it, so that the
// audit trail, access and clocks are real. The store's clock is real time:
// history is made by giving each act its time in the past, where the
// method takes one. The first error stops the rest.
type story struct {
	ctx   context.Context
	st    *store.Store
	now   time.Time
	today lantern.Date
	ag    map[string]string        // agency key -> id
	u     map[string]*lantern.User // user key -> user
	kids  map[string]*kid
	// invitees are the directory's police unit, coordinator and chair.
	invitees []lantern.InviteeInput
	err      error
}

// kid is a child of the story.
type kid struct {
	key, given, family, gender string
	age                        int
	by                         string // who records the child
	school, street             int    // -1: none
	lookedAfter                bool
	sw                         string // allocated at creation (children's social care's own)
	placement                  string
	otherNames                 []lantern.OtherNameInput

	in      lantern.ChildInput
	id      string
	version int
}

func (b *story) as(key string) context.Context {
	u := b.u[key]
	if u == nil {
		panic("demo: no user " + key)
	}
	return lantern.NewContextWithRequest(lantern.NewContextWithUser(b.ctx, u), lantern.RequestInfo{Why: "demo data"})
}

// at is days ago at the London time hh:mm, never later than a few minutes
// ago.
func (b *story) at(daysAgo int, hhmm string) time.Time {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	d := b.today.AddDays(-daysAgo).Time()
	t := time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, lantern.London)
	if limit := b.now.Add(-5 * time.Minute); t.After(limit) {
		t = limit
	}
	return t
}

func (b *story) hoursAgo(h float64) time.Time {
	return b.now.Add(-time.Duration(h * float64(time.Hour)))
}

func tp(t time.Time) *time.Time { return &t }

func (b *story) fail(what string, err error) {
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("demo: %s: %w", what, err)
	}
}

// text fills a child's name and pronouns into a template.
func (k *kid) text(s string) string {
	them, their := "them", "their"
	switch k.gender {
	case "female":
		them, their = "her", "her"
	case "male":
		them, their = "him", "his"
	}
	return strings.NewReplacer("{N}", k.given, "{them}", them, "{their}", their, "{adult}", PatternAdult,
		"{car}", PatternCar, "{takeaway}", PatternTakeaway).Replace(s)
}

// addChild records a child, with their address, school and other names.
func (b *story) addChild(k *kid) {
	if b.err != nil {
		return
	}
	dob := b.today.Time().AddDate(-k.age, 0, -(len(k.given)*41+len(k.family)*17)%330-7)
	k.in = lantern.ChildInput{GivenName: k.given, FamilyName: k.family, DateOfBirth: lantern.DateOf(dob), Gender: k.gender}
	k.in.Ethnicity = []string{"white-british", "mixed-white-black-caribbean", "asian-pakistani", "white-british", "black-african",
		"white-other", "white-british", "mixed-white-asian"}[(len(k.given)+len(k.family))%8]
	k.in.FirstLanguage = "English"
	if k.lookedAfter {
		k.in.LookedAfter, k.in.PlacingAuthority = true, placingAuthority
	}
	if k.sw != "" {
		k.in.OpenCase, k.in.AllocatedSocialWorkerID = true, b.u[k.sw].ID
	}
	ctx := b.as(k.by)
	c, err := b.st.CreateChild(ctx, k.in)
	if err != nil {
		b.fail("child "+k.given+" "+k.family, err)
		return
	}
	k.id, k.version = c.ID, c.Version
	b.kids[k.key] = k
	if k.street >= 0 {
		addr := fmt.Sprintf("%d %s\nNorthmoor (fictional)", 3+(len(k.family)*7)%60, streets[k.street%len(streets)])
		if k.placement != "" {
			addr = k.placement + "\n" + streets[k.street%len(streets)] + "\nNorthmoor (fictional)"
		}
		_, err = b.st.AddAddress(ctx, c.ID, lantern.AddressInput{Address: addr, From: b.today.AddDays(-400 - k.age*20)})
		b.fail("address", err)
	}
	if k.school >= 0 {
		y := b.today.Time().Year()
		if b.today.Time().Month() < time.September {
			y--
		}
		from := lantern.DateOf(time.Date(y-(k.age-11), time.September, 1, 0, 0, 0, 0, time.UTC))
		_, err = b.st.AddSchool(ctx, c.ID, lantern.SchoolInput{School: schools[k.school%len(schools)], From: from})
		b.fail("school", err)
	}
	for _, n := range k.otherNames {
		_, err = b.st.AddOtherName(ctx, c.ID, n)
		b.fail("other name", err)
	}
}

func (b *story) siblings(a, c string) {
	if b.err != nil {
		return
	}
	_, err := b.st.LinkSibling(b.as("sam"), b.kids[a].id, b.kids[c].id)
	b.fail("siblings", err)
}

// involve gives an agency the child's record, as children's social care
// decides.
func (b *story) involve(k, agency, reason string) {
	if b.err != nil {
		return
	}
	_, err := b.st.Involve(b.as("sam"), b.kids[k].id, lantern.InvolvementInput{AgencyID: b.ag[agency], Reason: reason})
	b.fail("involve", err)
}

type concernOpt struct {
	refer, immediate bool
	action, words    string
}

func (b *story) concern(who, k string, at time.Time, summary string, o concernOpt) *lantern.Concern {
	if b.err != nil {
		return nil
	}
	kd := b.kids[k]
	in := lantern.ConcernInput{RaisedAt: at, Summary: kd.text(summary), Refer: o.refer, ImmediateRisk: o.immediate, ImmediateAction: o.action}
	if o.words != "" {
		in.Disclosure, in.DisclosureWords = true, o.words
	}
	c, err := b.st.CreateConcern(b.as(who), kd.id, in)
	b.fail("concern about "+kd.given, err)
	return c
}

// toolkit records a toolkit assessment as who, with evidence for every sign
// ticked.
func (b *story) toolkit(who, k string, on lantern.Date, concern *lantern.Concern, indicators []string, analysis string) *toolkit.Assessment {
	if b.err != nil {
		return nil
	}
	kd := b.kids[k]
	ev := map[string]string{}
	for _, id := range indicators {
		if strings.HasPrefix(id, "sign.") {
			ev[id] = kd.text(evidence[id])
			if ev[id] == "" {
				ev[id] = "Recorded in the concerns on " + on.Time().Format("2 January 2006") + "."
			}
		}
	}
	in := toolkit.AssessmentInput{Answers: toolkit.Input{AssessedOn: on, Indicators: indicators}, Evidence: ev, Analysis: kd.text(analysis)}
	if concern != nil {
		in.ConcernID = concern.ID
		in.Answers.Disclosure = concern.Disclosure
	}
	a, err := b.st.CreateAssessment(b.as(who), kd.id, "", in)
	b.fail("toolkit for "+kd.given, err)
	return a
}

// decide is the front door's decision on a referral.
func (b *story) decide(who, k, referralID string, d lantern.ReferralDecision, reason string, at time.Time) {
	if b.err != nil || referralID == "" {
		return
	}
	rs, err := b.st.Referrals(b.as(who), b.kids[k].id)
	if err != nil {
		b.fail("referrals", err)
		return
	}
	for _, r := range rs {
		if r.ID == referralID {
			_, err = b.st.UpdateReferral(b.as(who), b.kids[k].id, r.ID, r.Version, lantern.ReferralUpdate{Decision: d, DecisionReason: b.kids[k].text(reason), DecidedAt: &at})
			b.fail("decision on "+b.kids[k].given, err)
			return
		}
	}
	b.fail("decision", fmt.Errorf("no referral %s", referralID))
}

// open opens a case and has a manager allocate its social worker.
func (b *story) open(k, sw string) {
	if b.err != nil {
		return
	}
	kd := b.kids[k]
	in := kd.in
	in.OpenCase = true
	c, err := b.st.UpdateChild(b.as(sw), kd.id, kd.version, in)
	if err != nil {
		b.fail("open case", err)
		return
	}
	kd.in = in
	a, err := b.st.AllocateChild(b.as("morgan"), kd.id, lantern.Allocation{WorkerID: b.u[sw].ID, Version: c.Version})
	if err != nil {
		b.fail("allocate", err)
		return
	}
	kd.version = a.Child.Version
	kd.in.AllocatedSocialWorkerID = b.u[sw].ID
}

func (b *story) swAssessment(who, k string, started time.Time, completed *time.Time) {
	if b.err != nil {
		return
	}
	_, err := b.st.RecordSWAssessment(b.as(who), b.kids[k].id, &lantern.SWAssessment{Kind: lantern.SWSingle, StartedAt: started, CompletedAt: completed})
	b.fail("assessment", err)
}

func (b *story) discussion(who, k string, at time.Time, d lantern.DiscussionDecision, notes string, with ...string) string {
	if b.err != nil {
		return ""
	}
	var ps []lantern.Participant
	for _, w := range append([]string{who}, with...) {
		ps = append(ps, lantern.Participant{Name: b.u[w].Name, Agency: b.u[w].AgencyName})
	}
	sd, err := b.st.CreateStrategyDiscussion(b.as(who), b.kids[k].id, &lantern.StrategyDiscussion{HeldAt: at, Decision: d, Participants: ps, Notes: b.kids[k].text(notes)})
	if err != nil {
		b.fail("strategy discussion", err)
		return ""
	}
	return sd.ID
}

func (b *story) s47(who, k, sd string, started time.Time, completed *time.Time, o lantern.S47Outcome) {
	if b.err != nil {
		return
	}
	_, err := b.st.RecordS47(b.as(who), b.kids[k].id, &lantern.S47Enquiry{StrategyDiscussionID: sd, StartedAt: started, CompletedAt: completed, Outcome: o})
	b.fail("s47", err)
}

// episode records a missing episode as who, with its return if returned is
// not zero.
func (b *story) episode(who, k string, from time.Time, reportedBy, ref string, returned time.Time, where, with string, pres []string, notes string) string {
	if b.err != nil {
		return ""
	}
	kd := b.kids[k]
	in := lantern.EpisodeInput{Kind: "missing", MissingFrom: from, ReportedBy: reportedBy, ReportedAt: tp(from.Add(50 * time.Minute)), PoliceReference: ref,
		Placement: kd.placement}
	if kd.lookedAfter {
		in.PlacingAuthorityInformed = tp(from.Add(95 * time.Minute))
	}
	if !returned.IsZero() {
		in.ReturnedAt, in.ReturnedWhere, in.ReturnedWith, in.Presentation, in.PresentationNotes = &returned, where, with, pres, kd.text(notes)
	}
	e, err := b.st.CreateEpisode(b.as(who), kd.id, in)
	if err != nil {
		b.fail("episode", err)
		return ""
	}
	return e.ID
}

func (b *story) interview(who, k, episode string, held time.Time, said string, follow ...string) {
	if b.err != nil {
		return
	}
	_, err := b.st.RecordInterview(b.as(who), b.kids[k].id, episode, lantern.InterviewInput{OfferedAt: tp(held.Add(-26 * time.Hour)), HeldAt: &held,
		HeldBy: "Val Youthworker, Northmoor Young People's Project (independent return interviews)", ChildSaid: b.kids[k].text(said), FollowUp: follow})
	b.fail("return interview", err)
}

// completeWork records what was done on the child's open work tasks of a
// kind, as who.
func (b *story) completeWork(who, k string, kind lantern.WorkKind, note string) {
	if b.err != nil {
		return
	}
	ts, err := b.st.ChildTasks(b.as(who), b.kids[k].id)
	if err != nil {
		b.fail("tasks", err)
		return
	}
	for _, t := range ts {
		if t.Status == lantern.TaskOpen && t.Kind == kind {
			_, err := b.st.CompleteTask(b.as(who), t.ID, t.Version, b.kids[k].text(note))
			b.fail("complete task", err)
		}
	}
}

// evidence is what a practitioner writes for a sign, by the sign's id.
var evidence = map[string]string{
	"sign.unknown-vehicles":                "{N} has been seen getting into cars driven by adults not known to the family or to us.",
	"sign.older-partners":                  "{N} speaks of a 'boyfriend' or 'friend' much older than {them}.",
	"sign.unexplained-gifts":               "New phone, clothes and money that the family cannot account for.",
	"sign.missing":                         "Missing or home very late several times in recent weeks.",
	"sign.known-perpetrators":              "Seen with an adult named in other young people's concerns.",
	"sign.unexplained-adult-relationships": "Contact with adults {their} family do not know.",
	"sign.drugs-alcohol":                   "Found intoxicated when located by police.",
	"sign.venues-with-adults":              "Taken to parties at a flat with adults present.",
	"sign.hotspot-areas":                   "Seen repeatedly around Mill Lane late in the evening.",
	"sign.gangs":                           "Associating with older youths known for street crime.",
	"sign.multiple-callers-address":        "Adults calling at the home late at night asking for {N}.",
	"sign.crime":                           "Arrested for shoplifting with older associates nearby.",
	"sign.groomed-meet-adults":             "Messages from an adult arranging to meet {them}.",
}
