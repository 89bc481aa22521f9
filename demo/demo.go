// Package demo loads a fictional demonstration area: agencies of every
// kind, one user per role, and a few dozen children. Every name is invented
// and every address is at example.org.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"lantern"
	"lantern/store"
	"lantern/toolkit"
)

// Password is every demonstration account's password. It is printed at
// start and shown nowhere else.
const Password = "northmoor-demo-only"

// Credential is a demonstration sign-in.
type Credential struct {
	Email  string
	Role   lantern.Role
	Agency string
}

var agencies = []struct {
	name string
	kind lantern.AgencyKind
}{
	{"Northmoor Children's Services", lantern.KindChildrensSocialCare},
	{"Northmoor Police Exploitation Unit", lantern.KindPolice},
	{"Northmoor Community Health Trust", lantern.KindHealth},
	{"Riverside Academy (fictional)", lantern.KindEducation},
	{"Northmoor Youth Justice Service", lantern.KindYouthJustice},
	{"Northmoor Young People's Project", lantern.KindVoluntary},
	{"Northmoor Homes", lantern.KindHousing},
}

var users = []struct {
	email, name string
	agency      int
	role        lantern.Role
}{
	{"practitioner@riverside.example.org", "Pat Practitioner", 3, lantern.RolePractitioner},
	{"social.worker@northmoor.example.org", "Sam Socialworker", 0, lantern.RoleSocialWorker},
	{"manager@northmoor.example.org", "Morgan Manager", 0, lantern.RoleManager},
	{"cse.coordinator@northmoor.example.org", "Casey Coordinator", 0, lantern.RoleCSECoordinator},
	{"officer@police.example.org", "Drew Officer", 1, lantern.RolePolice},
	{"analyst@police.example.org", "Alex Analyst", 1, lantern.RoleAnalyst},
	{"chair@northmoor.example.org", "Chris Chair", 0, lantern.RoleChair},
	{"auditor@northmoor.example.org", "Avery Auditor", 0, lantern.RoleAuditor},
	{"admin@northmoor.example.org", "Ada Admin", 0, lantern.RoleAdmin},
}

var givenNames = []string{"Amira", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Harvey", "Isla", "Jayden",
	"Keira", "Liam", "Maya", "Noah", "Olivia", "Poppy", "Reece", "Sophie"}

// Family names are invented, so that nobody real is ever shown.
var familyNames = []string{"Demoton", "Samplewood", "Exampleby", "Mockridge", "Testwell", "Placeholme",
	"Fictley", "Dummington", "Trialford", "Pretendale", "Notreal", "Madeupson"}

var genders = []string{"female", "male", "female", "male", "non-binary", "female"}

// ErrNotEmpty refuses demonstration data in a store that holds other data.
var ErrNotEmpty = errors.New("--demo: this store already holds agencies, users or children that are not the demonstration's: use an empty data folder (or database) for the demonstration, whose accounts have a published password")

// Load creates the demonstration area unless it is already there, and
// returns the sign-ins. It refuses a store that holds anything else: only
// a store marked as a demonstration's when it was empty (store.MarkDemo),
// in which everything was made under --demo, is one to load or run.
func Load(ctx context.Context, st *store.Store) ([]Credential, error) {
	sys := lantern.NewSystemContext(ctx, "demo data")
	var creds []Credential
	for _, u := range users {
		creds = append(creds, Credential{u.email, u.role, agencies[u.agency].name})
	}
	// Demonstration accounts have a published password: never beside real
	// ones, where they would be a way in.
	if isDemo, err := st.IsDemo(sys); err != nil {
		return nil, err
	} else if isDemo {
		return creds, nil // loaded before
	}
	if err := st.MarkDemo(sys); errors.Is(err, store.ErrNotEmpty) {
		return nil, ErrNotEmpty
	} else if err != nil {
		return nil, err
	}
	ids := make([]string, len(agencies))
	for i, a := range agencies {
		ag, err := st.CreateAgency(sys, lantern.AgencyInput{Name: a.name, Kind: a.kind})
		if err != nil {
			return nil, err
		}
		ids[i] = ag.ID
	}
	byRole := map[lantern.Role]*lantern.User{}
	for _, u := range users {
		created, err := st.CreateUser(sys, lantern.UserInput{Email: u.email, Name: u.name, AgencyID: ids[u.agency], Roles: []lantern.Role{u.role}, Password: Password})
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", u.role, err)
		}
		if err := st.SetMFAExempt(sys, created.ID, true); err != nil {
			return nil, err
		}
		byRole[u.role] = created
	}
	// Children recorded by different agencies, so the access rule shows:
	// the school sees its own pupils, children's social care sees everyone.
	creators := []*lantern.User{byRole[lantern.RoleSocialWorker], byRole[lantern.RoleSocialWorker],
		byRole[lantern.RolePractitioner], byRole[lantern.RolePolice]}
	today := lantern.Today(st.Now())
	var meetChild, meetAssessment string // a child at medium or high, for a demonstration meeting
	for i := range 36 {
		age := 10 + i%8
		dob := today.Time().AddDate(-age, -(i*5)%12, -(i*11)%28)
		in := lantern.ChildInput{
			GivenName:   givenNames[i%len(givenNames)],
			FamilyName:  familyNames[(i*7)%len(familyNames)],
			DateOfBirth: lantern.DateOf(dob),
			Gender:      genders[i%len(genders)],
		}
		if in.Gender == "non-binary" && i%2 == 0 {
			in.Gender = "not-known"
		}
		in.OpenCase = i%3 == 0
		in.LookedAfter = i%5 == 0
		if in.LookedAfter {
			in.PlacingAuthority = "Southfield Council (fictional)"
		}
		u := creators[i%len(creators)]
		actx := lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, u), lantern.RequestInfo{Why: "demo data"})
		// Only children's social care opens a case: a child another agency
		// recorded is opened by the social worker.
		open := in.OpenCase && !lantern.Allowed(u, lantern.ResAllocation, lantern.ActChange, lantern.RelInvolved)
		if open {
			in.OpenCase = false
		}
		c, err := st.CreateChild(actx, in)
		if err != nil {
			return nil, fmt.Errorf("child %d: %w", i, err)
		}
		if open {
			sw := byRole[lantern.RoleSocialWorker]
			in.OpenCase = true
			swctx := lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, sw), lantern.RequestInfo{Why: "demo data"})
			if c, err = st.UpdateChild(swctx, c.ID, c.Version, in); err != nil {
				return nil, fmt.Errorf("child %d: open the case: %w", i, err)
			}
		}
		if i%4 == 3 {
			continue // some children have no concern yet
		}
		ex := examples[i%len(examples)]
		k, err := st.CreateConcern(actx, c.ID, lantern.ConcernInput{RaisedAt: st.Now().Add(-time.Duration(24*(i+1)) * time.Hour),
			Summary: ex.summary, Disclosure: ex.words != "", DisclosureWords: ex.words})
		if err != nil {
			return nil, fmt.Errorf("concern %d: %w", i, err)
		}
		if i%2 == 1 {
			continue
		}
		if _, err := st.MoveConcern(actx, c.ID, k.ID, k.Version, lantern.StepChecked, "Agency records checked; line manager informed."); err != nil {
			return nil, fmt.Errorf("concern %d: %w", i, err)
		}
		evidence := map[string]string{}
		for _, id := range ex.indicators {
			evidence[id] = "Recorded in the concern of " + k.RaisedAt.In(lantern.London).Format("2 January 2006") + " (demonstration)."
		}
		a, err := st.CreateAssessment(actx, c.ID, "", toolkit.AssessmentInput{
			Answers:  toolkit.Input{AssessedOn: lantern.Today(st.Now()), Indicators: ex.indicators, Disclosure: ex.words != ""},
			Evidence: evidence, Analysis: ex.analysis, ConcernID: k.ID,
		})
		if err != nil {
			return nil, fmt.Errorf("assessment %d: %w", i, err)
		}
		if meetChild == "" && u == byRole[lantern.RoleSocialWorker] && (a.RecordedLevel == toolkit.Medium || a.RecordedLevel == toolkit.High) {
			meetChild, meetAssessment = c.ID, a.ID
		}
	}
	if err := loadMeetings(ctx, st, ids, byRole, meetChild, meetAssessment); err != nil {
		return nil, err
	}
	return creds, nil
}

// contacts are the directory's demonstration entries: the pathway's roles,
// at example.org.
var contacts = []struct {
	agency           int
	team, name, mail string
	roles            []lantern.PathwayRole
}{
	{0, "Children and Families Direct", "Front door", "front.door@northmoor.example.org", []lantern.PathwayRole{lantern.PathwayFrontDoor}},
	{0, "Safeguarding", "Diary manager", "diary.manager@northmoor.example.org", []lantern.PathwayRole{lantern.PathwayDiaryManager}},
	{1, "Sexual exploitation investigation unit", "Exploitation unit mailbox", "seiu@police.example.org", []lantern.PathwayRole{lantern.PathwayPoliceUnit}},
	{1, "Concerns network", "Intelligence mailbox", "intelligence@police.example.org", []lantern.PathwayRole{lantern.PathwayPoliceIntel}},
	{0, "Safeguarding", "Casey Coordinator", "cse.coordinator@northmoor.example.org", []lantern.PathwayRole{lantern.PathwayCSECoordinator}},
	{0, "Independent reviewing officers", "Iris Reviewing (principal manager)", "iro.manager@northmoor.example.org", []lantern.PathwayRole{lantern.PathwayIROManager}},
	{0, "Independent reviewing officers", "Chris Chair", "chair@northmoor.example.org", []lantern.PathwayRole{lantern.PathwayChair}},
	{2, "School nursing", "Nell Nurse", "school.nurse@health.example.org", []lantern.PathwayRole{lantern.PathwayProfessional}},
}

// loadMeetings fills the directory and arranges two meetings about a child
// at medium or high: one held last week, with an action for the police
// officer, and one next week.
func loadMeetings(ctx context.Context, st *store.Store, ids []string, byRole map[lantern.Role]*lantern.User, child, assessment string) error {
	sys := lantern.NewSystemContext(ctx, "demo data")
	var invitees []lantern.InviteeInput
	for _, c := range contacts {
		ct, err := st.CreateContact(sys, lantern.ContactInput{AgencyID: ids[c.agency], Team: c.team, Name: c.name, Email: c.mail, Roles: c.roles, Active: true})
		if err != nil {
			return fmt.Errorf("directory %s: %w", c.mail, err)
		}
		if c.roles[0] == lantern.PathwayPoliceUnit || c.roles[0] == lantern.PathwayCSECoordinator || c.roles[0] == lantern.PathwayChair {
			invitees = append(invitees, lantern.InviteeInput{ContactID: ct.ID})
		}
	}
	if child == "" {
		return nil
	}
	sw := lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, byRole[lantern.RoleSocialWorker]), lantern.RequestInfo{Why: "demo data"})
	day := lantern.Today(st.Now()).AddDays(-7).Time()
	pt := &lantern.Participation{YoungPerson: "invited", Carers: "not-invited", CarersReason: "A parent's partner is implicated in the concerns (demonstration)."}
	held, err := st.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{child}, StartsAt: day.Add(10 * time.Hour),
		EndsAt: day.Add(11*time.Hour + 30*time.Minute), Location: "Room 2, Northmoor Civic Centre (fictional)", AssessmentID: assessment,
		Invitees: invitees, Participation: pt})
	if err != nil {
		return fmt.Errorf("demo meeting: %w", err)
	}
	if _, err := st.RecordOutcome(sw, held.ID, held.Version, lantern.Outcome{Held: true, Chair: "Chris Chair",
		Minutes:    "Each agency shared what it knows (demonstration minutes).",
		Associates: "An older male known as 'J', driving a silver hatchback (demonstration).",
		Decisions: []lantern.MeetingDecision{{ChildID: child, Level: "medium", Rationale: "Going missing with unexplained gifts (demonstration).",
			Recommendations: []string{"s47", "return-interview"}}},
		Actions: []lantern.MeetingAction{{Description: "Check the hatchback's registration", Owner: byRole[lantern.RolePolice].ID,
			DueDate: lantern.Today(st.Now()).AddDays(3)}},
		NextMeetingDate: lantern.Today(st.Now()).AddDays(35)}); err != nil {
		return fmt.Errorf("demo outcome: %w", err)
	}
	next := lantern.Today(st.Now()).AddDays(7).Time()
	if _, err := st.CreateMeeting(sw, lantern.MeetingInput{Kind: "core-group", ChildIDs: []string{child}, StartsAt: next.Add(14 * time.Hour),
		EndsAt: next.Add(15 * time.Hour), Location: "Riverside Academy (fictional), meeting room", Invitees: invitees[:1], Participation: pt}); err != nil {
		return fmt.Errorf("demo meeting: %w", err)
	}
	return nil
}

// examples are invented concerns, written as a practitioner might.
var examples = []struct {
	summary, words, analysis string
	indicators               []string
}{
	{"Seen getting into a car with two older males outside school at 15:20. Car not known to school.", "",
		"A one-off sighting, but with a change in attendance this term. Monitor and share with the police unit.",
		[]string{"sign.unknown-vehicles", "sign.education-attendance"}},
	{"Returned to placement at 02:00 for the third time this month, with a new phone and clothes.", "",
		"Pattern of going missing with unexplained gifts. Medium risk; discuss a strategy meeting.",
		[]string{"sign.missing", "sign.unexplained-gifts", "vuln.looked-after"}},
	{"Told a youth worker about a 'boyfriend' of 22 who picks her up.", "he says I'm his girlfriend and he buys me stuff",
		"Disclosure of a relationship with an adult with gifts: high by the toolkit's rules.",
		[]string{"sign.older-partners", "sign.unexplained-gifts"}},
	{"Secretive about phone use in class; receiving messages from unknown numbers.", "",
		"Emerging signs only; the family is supportive. Monitor and complete the toolkit again.",
		[]string{"sign.secretive-internet", "sign.unknown-callers"}},
	{"Low mood and some self-harm disclosed to the school nurse; no concerns about others yet.", "",
		"Vulnerabilities and one emerging sign. Early help offered.",
		[]string{"vuln.mental-health", "vuln.low-self-esteem", "sign.self-harm"}},
}

// Print shows the demonstration sign-ins.
func Print(w io.Writer, creds []Credential) {
	fmt.Fprintln(w, "Lantern demonstration: every person, agency and record is fictional.")
	fmt.Fprintf(w, "Sign in with any of these; the password of each is %q.\n", Password)
	fmt.Fprintln(w, "Demonstration accounts need no second factor; real accounts always do.")
	for _, c := range creds {
		fmt.Fprintf(w, "  %-17s %-40s %s\n", c.Role, c.Email, c.Agency)
	}
}
