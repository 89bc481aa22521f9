package demo

import (
	"fmt"
	"time"

	"lantern"
)

// The demonstration's story: six months of work across the
// agencies, what waits today, and a pattern across four girls.

var (
	emerging = []string{"sign.secretive", "sign.education-attendance", "sign.unknown-callers", "vuln.low-self-esteem"}
	medium   = []string{"sign.unknown-vehicles", "sign.unexplained-gifts", "sign.older-partners", "sign.education-attendance"}
	high     = []string{"sign.known-perpetrators", "sign.older-partners", "sign.unknown-vehicles", "sign.unexplained-gifts", "sign.missing", "sign.drugs-alcohol"}
)

// tell builds the story.
func (b *story) tell() error {
	b.people()
	b.pattern()
	b.intelligence()
	b.boundary()
	b.frontDoor()
	b.everyone()
	b.sharing()
	return b.err
}

// people records the children of the story's own strands.
func (b *story) people() {
	for _, k := range []*kid{
		{key: "keira", given: "Keira", family: "Mockridge", gender: "female", age: 14, by: "pat", school: 0, street: 0},
		{key: "harvey", given: "Harvey", family: "Mockridge", gender: "male", age: 12, by: "pat", school: 0, street: 0},
		{key: "tia", given: "Tia", family: "Exampleby", gender: "female", age: 15, by: "sam", school: 1, street: 4, lookedAfter: true, sw: "sam",
			placement: "Hollin House children's home (fictional)", otherNames: []lantern.OtherNameInput{{Name: "Tee", Kind: "nickname"}}},
		{key: "olivia", given: "Olivia", family: "Exampleby", gender: "female", age: 11, by: "sam", school: -1, street: 9, lookedAfter: true, sw: "sam"},
		{key: "ruby", given: "Ruby", family: "Fictley", gender: "female", age: 13, by: "val", school: 2, street: 5},
		{key: "lacey", given: "Lacey", family: "Trialford", gender: "female", age: 15, by: "jay", school: 3, street: 7,
			otherNames: []lantern.OtherNameInput{{Name: "Lace", Kind: "known-as"}, {Name: "Lacey Pretendale", Kind: "previous-name"}}},
		{key: "sophie", given: "Sophie", family: "Dummington", gender: "female", age: 13, by: "pat", school: 0, street: 2},
		{key: "kyle", given: "Kyle", family: "Notreal", gender: "male", age: 15, by: "nell", school: 1, street: 10},
		{key: "mia", given: "Mia", family: "Placeholme", gender: "female", age: 14, by: "hollis", school: 1, street: 6},
		{key: "connor", given: "Connor", family: "Placeholme", gender: "male", age: 16, by: "hollis", school: 3, street: 6,
			otherNames: []lantern.OtherNameInput{{Name: "Con", Kind: "nickname"}}},
		{key: "grace", given: "Grace", family: "Storyfield", gender: "female", age: 12, by: "jess", school: 2, street: 8},
		{key: "zara", given: "Zara", family: "Figmore", gender: "female", age: 14, by: "nia", school: 1, street: 11},
		{key: "leah", given: "Leah", family: "Inventon", gender: "female", age: 15, by: "pat", school: 0, street: 1},
	} {
		b.addChild(k)
	}
	b.siblings("keira", "harvey")
	b.siblings("tia", "olivia")
	b.siblings("mia", "connor")
}

// pattern is four girls, 13 to 15, at different schools and known to
// different agencies, whose concerns over months name the same adult, car
// and takeaway: in free text only, for a coordinator to see and link.
func (b *story) pattern() {
	// Keira: the school's worry grows over months into a plan.
	c := b.concern("pat", "keira", b.at(168, "15:40"), "{N} was seen at 15:25 getting into {car} outside the school gates. The driver, an adult male in his mid-twenties, "+
		"was not known to staff. {N} later told a friend he is called Dee.", concernOpt{})
	b.toolkit("pat", "keira", b.today.AddDays(-167), c, emerging, "One sighting with a car, secretive about {their} phone and attendance slipping. Emerging: the school will watch, "+
		"talk with {N} and complete the toolkit again.")
	c = b.concern("pat", "keira", b.at(97, "13:10"), "{N} arrived with new designer trainers and a second phone, and says a friend called 'D-Money' bought them. "+
		"Staff on lunch duty saw {them} at the {takeaway} with two older males, one matching the description of the driver seen in the autumn. Attendance is 82% this term.",
		concernOpt{refer: true})
	b.toolkit("pat", "keira", b.today.AddDays(-97), c, medium, "Gifts from an older male, a car, and falling attendance. Medium: referred to the front door.")
	if c != nil {
		b.decide("morgan", "keira", c.ReferralID, lantern.DecideStrategyDiscussion, "", b.at(96, "10:30"))
	}
	b.open("keira", "sam")
	b.involve("keira", "police", "Police exploitation unit: enquiries about the adult and the car")
	sd := b.discussion("sam", "keira", b.at(95, "11:00"), lantern.DiscussionS47, "Police have intelligence of an adult known as Dee offering lifts to girls near Mill Lane. "+
		"Agreed section 47 enquiries, jointly with the police.", "drew", "pat")
	b.s47("sam", "keira", sd, b.at(95, "14:00"), tp(b.at(83, "16:00")), lantern.S47ICPC)
	b.conference("sam", "keira", lantern.ConferenceInitial, b.at(78, "10:00"), lantern.ConferencePlanNeeded)
	if b.err == nil {
		_, err := b.st.CreateCoreGroup(b.as("sam"), b.kids["keira"].id, b.at(70, "15:30"))
		b.fail("core group", err)
	}
	b.strategyMeeting("keira", 62, "high", "Gifts, a car and an adult named by other young people: {N} is at high risk of sexual exploitation.",
		[]string{"police-investigation", "strategy-meeting-review"}, true)
	b.concern("pat", "keira", b.at(21, "12:20"), "{N} told {their} form tutor that Dee 'looks after' {them} and that {N} owes him for the trainers and the phone. "+
		"{N} said {their} friends go with him to parties at a flat above the {takeaway}.", concernOpt{words: "he says I owe him now, it's only fair"})

	// Tia: looked after, missing from her placement, found in the car.
	b.involve("tia", "police", "Police: missing from placement")
	e := b.episode("drew", "tia", b.at(152, "21:00"), "Hollin House staff", "NMP-0152 (fictional)", b.at(151, "03:10"),
		"In a car stopped by officers on Mill Lane", "An adult male known as Dee (the driver)", []string{"intoxication", "new-possessions"},
		"{N} was drunk and had a new phone; the driver was spoken to and released.")
	b.concern("drew", "tia", b.at(151, "04:00"), "{N} (15, looked after) was found at 03:10 in {car}, stopped on Mill Lane near the {takeaway}. The driver, {adult}, "+
		"was spoken to and released. {N} was intoxicated and had a new phone.", concernOpt{})
	b.interview("sam", "tia", e, b.at(150, "16:00"), "Said Dee is {their} boyfriend and is 24; would not say where they had been.", "police-intelligence")
	b.completeWork("sam", "tia", lantern.WorkPoliceIntelligence, "Intelligence form sent to the police intelligence mailbox.")
	b.toolkit("sam", "tia", b.today.AddDays(-150), nil, append([]string{"vuln.looked-after"}, high...),
		"Missing from care and found with an adult in a car, intoxicated, with gifts. High.")
	b.strategyMeeting("tia", 140, "high", "Found with an adult in a car at night; gifts; missing from care: high.", []string{"police-investigation"}, false)
	e = b.episode("drew", "tia", b.at(47, "18:30"), "Hollin House staff", "NMP-0441 (fictional)", b.at(46, "11:00"),
		"Came back to the placement on her own", "Not known", []string{"well-cared-for"}, "{N} had clean clothes and had eaten; would not say where {N} had been.")
	b.interview("sam", "tia", e, b.at(42, "10:00"), "Said {N} was at a party at a flat on Mill Lane and that 'D' drove {them} back.", "reassessment")
	b.episode("drew", "tia", b.at(6, "22:15"), "Hollin House staff", "NMP-0893 (fictional)", b.at(4, "09:30"),
		"A house on Sallowgate, found by officers", "Two older girls", []string{"tired-or-hungry"}, "{N} was tired and hungry.")

	// Ruby: the youth project's worry, and the school nurse's.
	c = b.concern("val", "ruby", b.at(64, "19:30"), "{N} told a youth worker at the Wednesday drop-in that an older friend called 'D-Money' gives {them} and {their} friends lifts in "+
		"{car} and free food at the {takeaway}. {N} thinks he is 'about 25', and asked staff not to tell {their} mum.", concernOpt{refer: true})
	b.toolkit("val", "ruby", b.today.AddDays(-64), c, []string{"sign.unknown-vehicles", "sign.unexplained-gifts", "sign.secretive"},
		"Lifts and food from an adult; {N} is 13. Medium: referred.")
	if c != nil {
		b.decide("morgan", "ruby", c.ReferralID, lantern.DecideEarlyHelp, "{N}'s mother is protective, has taken the phone and will collect {them} from the drop-in. "+
			"Early help through the Young People's Project.", b.at(63, "12:00"))
	}
	b.involve("ruby", "health", "School nurse: health needs")
	c = b.concern("nell", "ruby", b.at(38, "11:15"), "{N} (13) came to the school nurse drop-in asking about emergency contraception; said {their} boyfriend is 'older, with a car' "+
		"and would give no name but 'D'.", concernOpt{refer: true})
	if c != nil {
		b.decide("morgan", "ruby", c.ReferralID, lantern.DecideAssessment, "", b.at(37, "15:00"))
	}
	b.open("ruby", "jess")
	b.swAssessment("jess", "ruby", b.at(36, "10:00"), nil)

	// Lacey: youth justice, then housing, in the same week.
	c = b.concern("jay", "lacey", b.at(33, "14:00"), "During a referral order session {N} said the shoplifting {N} was arrested for was 'for Dee', an older man who waited outside in "+
		"{car}. {N} said he lets {them} and friends stay at the {takeaway} after hours.", concernOpt{refer: true})
	b.toolkit("jay", "lacey", b.today.AddDays(-33), c, []string{"sign.unknown-vehicles", "sign.crime", "sign.older-partners", "sign.hotspot-areas"},
		"Offending for an adult who gives {them} somewhere to be: medium.")
	if c != nil {
		b.decide("morgan", "lacey", c.ReferralID, lantern.DecideAssessment, "", b.at(32, "11:00"))
	}
	b.open("lacey", "owen")
	b.swAssessment("owen", "lacey", b.at(31, "10:00"), nil)
	b.involve("lacey", "housing", "Northmoor Homes: the family's landlord")
	b.concern("hollis", "lacey", b.at(28, "09:40"), "{N}'s mother reports that an adult male who calls himself Dee parks {car} outside the flats most nights and sounds the horn "+
		"for {N}. Neighbours have complained.", concernOpt{})
	b.involve("lacey", "police", "Police: missing person enquiry")
	b.episode("drew", "lacey", b.at(1, "21:30"), "{N}'s mother", "NMP-0917 (fictional)", time.Time{}, "", "", nil, "")
}

// conference records a child protection conference.
func (b *story) conference(who, k string, kind lantern.ConferenceKind, at time.Time, o lantern.ConferenceOutcome) {
	if b.err != nil {
		return
	}
	_, err := b.st.CreateConference(b.as(who), b.kids[k].id, &lantern.Conference{Kind: kind, HeldAt: at, Outcome: o})
	b.fail("conference", err)
}

// strategyMeeting holds a CSE strategy meeting about a child daysAgo, with
// its decision and actions; with next, the review is arranged for next week.
func (b *story) strategyMeeting(k string, daysAgo int, level, rationale string, recs []string, next bool) {
	if b.err != nil {
		return
	}
	kd := b.kids[k]
	sw := b.as("sam")
	start := b.at(daysAgo, "10:00")
	pt := &lantern.Participation{YoungPerson: "invited", Carers: "invited"}
	if kd.lookedAfter {
		pt.Carers, pt.CarersReason = "not-invited", "Placement staff attend for the carers; the parents' contact is supervised."
	}
	m, err := b.st.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{kd.id}, StartsAt: start, EndsAt: start.Add(90 * time.Minute),
		Location: "Room 2, Northmoor Civic Centre (fictional)", Invitees: b.invitees, Participation: pt})
	if err != nil {
		b.fail("meeting", err)
		return
	}
	o := lantern.Outcome{Held: true, Chair: "Chris Chair",
		Minutes: kd.text("Each agency shared what it knows of {N}. Police described enquiries into the adult and the car; the school and the social worker described " +
			"{N}'s attendance, gifts and late nights. {N} gave {their} views to the social worker before the meeting."),
		Associates: "Dee, also 'D-Money': adult male, about 25, not yet identified. Drives " + PatternCar + ". Seen at " + PatternTakeaway + ".",
		Decisions:  []lantern.MeetingDecision{{ChildID: kd.id, Level: level, Rationale: kd.text(rationale), Recommendations: recs}},
		Actions: []lantern.MeetingAction{
			{Description: "Identify the silver Vauxhall Astra (partial registration WX19 ?XK) and its keeper", Owner: b.u["drew"].ID, DueDate: b.today.AddDays(-daysAgo + 7)},
			{Description: kd.text("Agree a safety plan with {N} and {their} carers"), Owner: b.u["sam"].ID, DueDate: b.today.AddDays(-daysAgo + 10)},
		}}
	if next {
		o.NextMeetingDate = b.today.AddDays(7)
	}
	m, err = b.st.RecordOutcome(sw, m.ID, m.Version, o)
	if err != nil {
		b.fail("meeting outcome", err)
		return
	}
	// The police checked the car on time; an older meeting's work is done,
	// a recent one's safety plan and request to investigate are late.
	for _, a := range m.Actions {
		switch {
		case a.Owner == b.u["drew"].ID:
			_, err = b.st.CompleteAction(b.as("drew"), m.ID, a.ID)
		case daysAgo > 100:
			_, err = b.st.CompleteAction(b.as("sam"), m.ID, a.ID)
		}
		b.fail("complete action", err)
	}
	if daysAgo > 100 {
		b.completeWork("sam", k, lantern.WorkPoliceInvestigation, "Asked the police exploitation unit to investigate; their reference is NMP-OP-HAWTHORN (fictional).")
	}
	if next && b.err == nil {
		day := b.today.AddDays(7).Time()
		s := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, lantern.London)
		_, err = b.st.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{kd.id}, StartsAt: s, EndsAt: s.Add(time.Hour),
			Location: "Riverside Academy (fictional), meeting room", AssessmentID: "", Invitees: b.invitees, Participation: pt})
		b.fail("review meeting", err)
	}
}

// frontDoor is what waits for the front door today.
func (b *story) frontDoor() {
	// Two with immediate risk: the police's and a school's.
	b.concern("drew", "lacey", b.hoursAgo(3), "{N} was reported missing overnight. {N} was last seen at 21:30 getting into {car} near the {takeaway}. {N}'s phone is off. "+
		"Officers are checking addresses linked to {adult}.", concernOpt{immediate: true, action: "Missing person enquiry opened and graded high risk; patrols briefed to stop the car."})
	b.concern("pat", "sophie", b.hoursAgo(2), "{N} showed a teacher messages from an adult {N} met on a gaming site, who says he will collect {them} from school this afternoon "+
		"and take {them} 'somewhere nice'. {N} has sent him photographs.", concernOpt{immediate: true,
		action: "Police called on 999; {N} is with the designated safeguarding lead and {their} mother is on her way."})
	// Ruby again: a third agency's piece of the pattern, screened amber,
	// with a question to the police unanswered.
	c := b.concern("val", "ruby", b.at(1, "20:05"), "{N} missed the drop-in and was seen by staff getting into {car} on Mill Lane at 19:40.", concernOpt{refer: true})
	if c != nil && b.err == nil {
		_, err := b.st.RateReferral(b.as("morgan"), b.kids["ruby"].id, c.ReferralID, lantern.RAGAmber,
			"A third agency names an adult with a car; no immediate risk known: Ruby is in school today.")
		b.fail("rate", err)
		_, err = b.st.AskAgency(b.as("morgan"), b.kids["ruby"].id, c.ReferralID, lantern.InfoRequestInput{AgencyID: b.ag["police"],
			Question: "Do you hold anything on an adult known as Dee or D-Money, or a silver Vauxhall Astra with partial registration WX19 ?XK?",
			DueAt:    b.now.Add(4 * time.Hour)})
		b.fail("information request", err)
	}
	c = b.concern("nell", "kyle", b.at(1, "16:20"), "{N} came to the sexual health clinic with an adult man who said he was {their} uncle and answered for {them}. "+
		"{N} later said the man gives {them} money and somewhere to stay.", concernOpt{refer: true})
	if c != nil && b.err == nil {
		_, err := b.st.RateReferral(b.as("morgan"), b.kids["kyle"].id, c.ReferralID, lantern.RAGAmber, "An adult controlling a 15-year-old's health appointment; gifts and a place to stay.")
		b.fail("rate", err)
		_, err = b.st.RecordConsent(b.as("morgan"), b.kids["kyle"].id, c.ReferralID, lantern.ConsentSought, "")
		b.fail("consent", err)
	}
	c = b.concern("hollis", "mia", b.at(2, "08:50"), "Neighbours report adult males calling at the family's flat at night asking for {N} by name. The caretaker saw {N} leave with two of them "+
		"at 23:00.", concernOpt{refer: true})
	if c != nil && b.err == nil {
		_, err := b.st.RateReferral(b.as("morgan"), b.kids["mia"].id, c.ReferralID, lantern.RAGRed, "Adults seeking out a 14-year-old at night: a strategy discussion is likely.")
		b.fail("rate", err)
	}
	// A telephone referral, recorded by the front door, waiting too long.
	if b.err == nil {
		_, err := b.st.CreateReferral(b.as("jess"), b.kids["grace"].id, &lantern.Referral{ReceivedAt: b.at(4, "10:15"), Method: lantern.ReferralByPhone,
			Referrer: lantern.Referrer{Name: "A neighbour (name withheld at their request)", Agency: "Member of the public"}})
		b.fail("phone referral", err)
	}
	b.concern("jess", "grace", b.at(4, "10:30"), "Telephone referral from a neighbour: {N} (12) is collected most evenings by a man in his thirties in a white van, "+
		"and comes back after midnight.", concernOpt{})
	// A partner's toolkit at medium, referred as it is recorded.
	c = b.concern("nia", "zara", b.at(9, "12:40"), "{N} has been seen leaving school at lunchtime in cars with older boys; {N} says they are 'friends of a cousin'.", concernOpt{})
	b.toolkit("nia", "zara", b.today, c, []string{"sign.unknown-vehicles", "sign.education-attendance", "sign.secretive"},
		"Cars with older males at lunchtime and missed lessons: medium.")
	// A second agency in a week: the school, then the school nurse.
	b.concern("pat", "leah", b.at(4, "15:45"), "{N} has been collected from school by a different adult in a different car three times this week.", concernOpt{})
	b.involve("leah", "health", "School nurse: seen at the drop-in")
	b.concern("nell", "leah", b.at(1, "12:30"), "{N} came to the drop-in with bruising to {their} wrist and said an older friend 'grabbed' {them} in his car.", concernOpt{})
	// A question without a name, waiting for advice; and one answered.
	if b.err == nil {
		_, err := b.st.AskFrontDoor(b.as("nia"), "A Year 10 girl has told a friend she is 'seeing' a 19-year-old she met at a party, who buys her vapes. "+
			"Her attendance is good and her parents are supportive. Should I refer, or monitor and complete the toolkit?")
		b.fail("consultation", err)
		k, err := b.st.AskFrontDoor(b.as("pat"), "A Year 8 boy says older boys give him money to carry parcels. Is this for the front door or the police?")
		b.fail("consultation", err)
		if err == nil {
			_, err = b.st.Advise(b.as("morgan"), k.ID, k.Version, "Both: complete the toolkit and refer to the front door today, and share the information with the police "+
				"intelligence mailbox. Call us if he is at risk this evening.")
			b.fail("advice", err)
		}
	}
}

// generic children: the area's other work over six months.
var generic = []string{"monitor", "nfa", "early-help", "none", "assessment", "advice", "monitor", "s47", "no-s47", "missing", "monitor", "nfa"}

var partnerConcerns = map[string][]string{
	"pat":    {"{N} has missed eleven sessions this half term, mostly Friday afternoons, and has been seen waiting outside the gates for a car driven by an older male.", "{N} was seen with a new phone and a roll of cash and would not say where they came from; tearful when asked."},
	"nia":    {"{N} has been seen leaving the site at lunchtime and coming back smelling of cannabis; {their} friendship group has changed to older pupils who have left.", "A parent told the school that {N} is messaging adults on a social media app and has sent pictures."},
	"nell":   {"{N} came to the drop-in low in mood, with marks on {their} forearms, and said {their} 'new friends' are the only ones who understand.", "{N} attended the urgent treatment centre at 01:40, intoxicated, with a cut hand, brought in by two older males who left before staff could speak to them."},
	"drew":   {"{N} was found by officers at 23:30 in a flat on Quillon Street with three adult males; alcohol and cannabis present. Taken home; the parent says {N} stays out most weekends.", "Information received that {N} is picked up from the retail park most evenings by adults in different cars. No offences identified yet."},
	"val":    {"{N} told a youth worker that older lads 'look after' {them} and buy {them} food and vapes, and was vague about evenings.", "{N} has stopped coming to the weekly group since a friendship with an 18-year-old began; staff noticed new expensive clothes."},
	"jay":    {"During a session {N} mentioned being given a lift to another town by adults met online 'to pick something up'.", "{N} arrived at the appointment with a new phone and would not say who pays for it; mentioned parties at a flat on Sallowgate."},
	"hollis": {"Neighbours report adult males calling at the family's flat late at night asking for {N} by name.", "The caretaker found {N} asleep in the bin store of the block at 07:00; {N} said only that the night was spent 'at a mate's'."},
	"sam":    {"A parent phoned the duty line: {N} comes home after midnight smelling of alcohol and has money the family cannot account for.", "An anonymous caller says {N} is often at a house on Tannery Walk where adults hold parties for teenagers."},
}

var nfaReasons = []string{
	"The worry was about a relationship with a 16-year-old of the same age group; no exploitation indicators, parents protective. Advice given to the referrer.",
	"Checks found the adult is {N}'s uncle, known to the family and to us; no concerns about him. The school will keep watching.",
}

// everyone records the area's other children, each with a strand of its
// own: monitored, referred and decided, assessed, enquired into, missing,
// or nothing yet.
func (b *story) everyone() {
	partners := []string{"pat", "nia", "nell", "drew", "val", "jay", "hollis"}
	workers := []string{"jess", "owen", "sam"}
	used := map[string]bool{}
	for _, k := range b.kids {
		used[k.given+" "+k.family] = true
	}
	var prev *kid
	fi, mi, ni := 0, 0, 0
	for i := range 35 {
		var given, gender string
		switch i % 9 {
		case 0, 2, 4, 6:
			given, gender = FemaleNames[(fi*5+1)%len(FemaleNames)], "female"
			fi++
		case 8:
			given, gender = NeutralNames[ni%len(NeutralNames)], "non-binary"
			ni++
		default:
			given, gender = MaleNames[(mi*7+2)%len(MaleNames)], "male"
			mi++
		}
		family := familyNames[(i*5+3)%len(familyNames)]
		street := (i * 5) % len(streets)
		sibling := prev != nil && i%10 == 1
		if sibling {
			family, street = prev.family, prev.street
		}
		for used[given+" "+family] {
			family = familyNames[(indexOf(familyNames, family)+1)%len(familyNames)]
		}
		used[given+" "+family] = true
		scen := generic[i%len(generic)]
		by, sw := partners[i%len(partners)], ""
		if scen == "missing" {
			by = workers[i%len(workers)]
			sw = by
		}
		k := &kid{key: fmt.Sprintf("g%d", i), given: given, family: family, gender: gender, age: 14 + (i*3)%4, by: by, school: i % len(schools),
			street: street, sw: sw, lookedAfter: scen == "missing" && i%2 == 1}
		if k.age >= 16 && i%4 == 0 {
			k.school = -1 // at college, or not in education
		}
		if i%7 == 3 {
			k.otherNames = []lantern.OtherNameInput{{Name: given[:3], Kind: "nickname"}}
		}
		b.addChild(k)
		if sibling {
			b.siblings(prev.key, k.key)
		}
		prev = k
		b.strand(k, scen, i)
	}
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return 0
}

// strand is one generic child's history, started d days ago.
func (b *story) strand(k *kid, scen string, i int) {
	d := 20 + (i*37)%150
	if scen == "missing" {
		d = max(d, 45)
	}
	by := k.by
	texts := partnerConcerns[by]
	if texts == nil {
		texts = partnerConcerns["sam"]
	}
	summary := texts[i%2]
	manager := []string{"morgan", "sam"}[i%2]
	switch scen {
	case "none":
	case "monitor":
		c := b.concern(by, k.key, b.at(d, "11:00"), summary, concernOpt{})
		b.toolkit(by, k.key, b.today.AddDays(-d), c, emerging[:2+i%3], "Emerging signs only; {N}'s family is supportive. Monitor, talk with {N} and complete the toolkit again.")
		if d > 90 {
			b.toolkit(by, k.key, b.today.AddDays(-d+80), nil, emerging[:2], "Reviewed after twelve weeks: no new signs. Still emerging; keep monitoring.")
		}
	case "nfa", "early-help", "advice":
		c := b.concern(by, k.key, b.at(d, "10:20"), summary, concernOpt{refer: true})
		if c == nil {
			return
		}
		switch scen {
		case "nfa":
			b.decide(manager, k.key, c.ReferralID, lantern.DecideNoFurtherAction, nfaReasons[i%2], b.at(d-1, "09:30"))
		case "early-help":
			b.decide(manager, k.key, c.ReferralID, lantern.DecideEarlyHelp, "The family agreed to an early help assessment with the Young People's Project.", b.at(d-1, "14:00"))
		default:
			b.decide(manager, k.key, c.ReferralID, lantern.DecideInformationOnly, "Advice given to the referrer on talking with {N} and completing the toolkit.", b.at(d-1, "11:30"))
		}
	case "assessment":
		c := b.concern(by, k.key, b.at(d, "10:20"), summary, concernOpt{refer: true})
		if c == nil {
			return
		}
		b.decide(manager, k.key, c.ReferralID, lantern.DecideAssessment, "", b.at(d-1, "15:00"))
		sw := []string{"jess", "owen"}[i%2]
		b.open(k.key, sw)
		if d > 60 {
			b.swAssessment(sw, k.key, b.at(d-2, "10:00"), tp(b.at(d-40, "16:00")))
		} else {
			b.swAssessment(sw, k.key, b.at(d-2, "10:00"), nil)
		}
		b.toolkit(sw, k.key, b.today.AddDays(-d+5), c, []string{"sign.unexplained-adult-relationships", "sign.unknown-callers", "sign.missing"},
			"Contact with adults the family do not know, and late nights: medium.")
	case "s47", "no-s47":
		c := b.concern(by, k.key, b.at(d, "09:10"), summary, concernOpt{refer: true})
		if c == nil {
			return
		}
		b.decide("morgan", k.key, c.ReferralID, lantern.DecideStrategyDiscussion, "", b.at(d, "16:00"))
		sw := []string{"jess", "owen", "sam"}[i%3]
		b.open(k.key, sw)
		if scen == "no-s47" {
			b.discussion(sw, k.key, b.at(d-1, "11:00"), lantern.DiscussionNoS47, "No evidence of significant harm; a single assessment continues, with the police sharing any intelligence.", "drew")
			b.swAssessment(sw, k.key, b.at(d-1, "14:00"), tp(b.at(d-30, "12:00")))
			return
		}
		sd := b.discussion(sw, k.key, b.at(d-1, "11:00"), lantern.DiscussionS47, "Agreed joint section 47 enquiries with the police.", "drew")
		b.s47(sw, k.key, sd, b.at(d-1, "15:00"), tp(b.at(d-12, "16:00")), lantern.S47NotSubstantiated)
	case "missing":
		b.involve(k.key, "police", "Police: missing episodes")
		e := b.episode(k.sw, k.key, b.at(d, "20:00"), "{N}'s parent", fmt.Sprintf("NMP-%04d (fictional)", 100+i*7), b.at(d-1, "02:00"),
			"A friend's house on Osier Way", "Friends of the same age", []string{"tired-or-hungry"}, "Tired; said {N} had fallen out with family.")
		b.interview(k.sw, k.key, e, b.at(d-2, "16:30"), "Said {N} argues with family about curfew and stays with a friend; no adults involved.")
		e = b.episode(k.sw, k.key, b.at(d-20, "23:00"), "{N}'s parent", fmt.Sprintf("NMP-%04d (fictional)", 200+i*7), b.at(d-21, "07:15"),
			"Northmoor bus station", "No one", []string{"distressed"}, "Upset and cold; brought home by officers.")
		if b.err == nil {
			_, err := b.st.RecordInterview(b.as(k.sw), k.id, e, lantern.InterviewInput{NotHeldReason: "declined", OfferedAt: tp(b.at(d-22, "10:00"))})
			b.fail("interview declined", err)
		}
		b.toolkit(k.sw, k.key, b.today.AddDays(-d+22), nil, []string{"sign.missing", "sign.estranged-family", "vuln.chaotic-family"},
			"Missing twice after arguments at home; no adults involved so far. Emerging.")
	}
}
