// Package demo loads a fictional demonstration area: agencies of every
// kind, people in each, and six months of their work with some fifty
// children, told as a story (plot.go). Every name is invented and
// every address is at example.org.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"

	"lantern"
	"lantern/store"
)

// Password is every demonstration account's password. It is printed at
// start and shown nowhere else.
const Password = "northmoor-demo-only"

// Population is fictional Northmoor's children aged 0 to 17, the
// demonstration's population for the figures' rates per 10,000 (a
// county-sized area) when none is configured.
const Population = 48_000

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
	{"Northmoor High School (fictional)", lantern.KindEducation},
}

// agencyKeys name the agencies in the story, in the order above.
var agencyKeys = []string{"csc", "police", "health", "school", "yjs", "voluntary", "housing", "school2"}

var users = []struct {
	key, email, name string
	agency           int
	role             lantern.Role
}{
	// The first nine are the accounts the README and tests rely on.
	{"pat", "practitioner@riverside.example.org", "Pat Practitioner", 3, lantern.RolePractitioner},
	{"sam", "social.worker@northmoor.example.org", "Sam Socialworker", 0, lantern.RoleSocialWorker},
	{"morgan", "manager@northmoor.example.org", "Morgan Manager", 0, lantern.RoleManager},
	{"casey", "cse.coordinator@northmoor.example.org", "Casey Coordinator", 0, lantern.RoleCSECoordinator},
	{"drew", "officer@police.example.org", "Drew Officer", 1, lantern.RolePolice},
	{"alex", "analyst@police.example.org", "Alex Analyst", 1, lantern.RoleAnalyst},
	{"chris", "chair@northmoor.example.org", "Chris Chair", 0, lantern.RoleChair},
	{"avery", "auditor@northmoor.example.org", "Avery Auditor", 0, lantern.RoleAuditor},
	{"ada", "admin@northmoor.example.org", "Ada Admin", 0, lantern.RoleAdmin},
	// Someone in every agency, and a team of social workers.
	{"jess", "social.worker2@northmoor.example.org", "Jess Fairhollow", 0, lantern.RoleSocialWorker},
	{"owen", "social.worker3@northmoor.example.org", "Owen Brackley", 0, lantern.RoleSocialWorker},
	{"nia", "practitioner@northmoor-high.example.org", "Nia Teachwell", 7, lantern.RolePractitioner},
	{"nell", "nurse@health.example.org", "Nell Nurse", 2, lantern.RolePractitioner},
	{"jay", "yot.worker@youthjustice.example.org", "Jay Justice", 4, lantern.RolePractitioner},
	{"hollis", "housing.officer@homes.example.org", "Hollis Housing", 6, lantern.RolePractitioner},
	{"val", "youth.worker@ypp.example.org", "Val Youthworker", 5, lantern.RolePractitioner},
	{"ivy", "information.governance@northmoor.example.org", "Ivy Governance", 0, lantern.RoleInfoGovernance},
}

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
	b := &story{ctx: ctx, st: st, now: st.Now(), ag: map[string]string{}, u: map[string]*lantern.User{}, kids: map[string]*kid{}}
	b.today = lantern.Today(b.now)
	ids := make([]string, len(agencies))
	for i, a := range agencies {
		ag, err := st.CreateAgency(sys, lantern.AgencyInput{Name: a.name, Kind: a.kind})
		if err != nil {
			return nil, err
		}
		ids[i] = ag.ID
		b.ag[agencyKeys[i]] = ag.ID
	}
	for _, u := range users {
		created, err := st.CreateUser(sys, lantern.UserInput{Email: u.email, Name: u.name, AgencyID: ids[u.agency], Roles: []lantern.Role{u.role}, Password: Password})
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", u.email, err)
		}
		if err := st.SetMFAExempt(sys, created.ID, true); err != nil {
			return nil, err
		}
		// As a signed-in request would carry them.
		created.AgencyName, created.AgencyKind = agencies[u.agency].name, agencies[u.agency].kind
		b.u[u.key] = created
	}
	if err := loadDirectory(sys, st, ids, b); err != nil {
		return nil, err
	}
	if err := b.tell(); err != nil {
		return nil, err
	}
	if b.plan(); b.err != nil { // the strategy action plan and the register (plan.go)
		return nil, b.err
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

// loadDirectory fills the directory; the police unit, the coordinator and
// the chair are invited to the story's strategy meetings.
func loadDirectory(sys context.Context, st *store.Store, ids []string, b *story) error {
	for _, c := range contacts {
		ct, err := st.CreateContact(sys, lantern.ContactInput{AgencyID: ids[c.agency], Team: c.team, Name: c.name, Email: c.mail, Roles: c.roles, Active: true})
		if err != nil {
			return fmt.Errorf("directory %s: %w", c.mail, err)
		}
		if r := c.roles[0]; r == lantern.PathwayPoliceUnit || r == lantern.PathwayCSECoordinator || r == lantern.PathwayChair {
			b.invitees = append(b.invitees, lantern.InviteeInput{ContactID: ct.ID})
		}
	}
	return nil
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
