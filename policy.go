package lantern

import (
	"slices"
	"strings"
)

// The policy: who may do what, in one table. Each rule names a resource (a
// kind of record, or an area of work), an action, and who may take it: the
// roles, the kinds of agency those roles are held in, and the caller's
// relation to the record. Everything that decides access reads this table:
// the store, which turns its read rules into SQL (store/access.go) and
// checks every other action before it acts; the pages, which offer only
// what the caller may do; and the test of every route (web/authz_test.go),
// which expects of each route what this table says. docs/access.md explains
// the rules in words.

// Resource is what a rule is about.
type Resource string

const (
	ResChild          Resource = "child"               // a child's record and its lists: names, addresses, schools, professionals, family, siblings
	ResConcern        Resource = "concern"             // concerns and disclosures
	ResAssessment     Resource = "assessment"          // toolkit assessments kept on a record
	ResEvent          Resource = "event"               // referrals, strategy discussions, s47 enquiries, conferences, core groups, social work assessments
	ResEpisode        Resource = "missing-episode"     // missing and absent episodes, returns and return interviews
	ResReturnAccount  Resource = "return-account"      // what a child said in a return interview
	ResTask           Resource = "task"                // work with a deadline, from a clock or a meeting
	ResInvolvement    Resource = "involvement"         // an agency's involvement with a child: the sight of the record it gives
	ResMeeting        Resource = "meeting"             // a meeting about one or more children
	ResContextMeeting Resource = "context-meeting"     // a meeting about no child: a context conference about a place or group
	ResMeetingAction  Resource = "meeting-action"      // an action a meeting set, for its owner
	ResDirectory      Resource = "directory"           // the area's contacts and their pathway roles
	ResToolkit        Resource = "toolkit"             // toolkit definitions, and scoring with nothing stored
	ResWork           Resource = "work"                // one's own work list
	ResTeam           Resource = "team"                // a team's work, for its manager
	ResFigures        Resource = "figures"             // the area's counts: no child named
	ResFigureShare    Resource = "figure-share"        // figures sent outside the area, protected, with their hash
	ResExtract        Resource = "child-extract"       // the area's child-level extracts (the Standard Safeguarding Dataset's tables): never shared outside
	ResAudit          Resource = "audit"               // the audit trail
	ResUser           Resource = "user"                // people's accounts
	ResAgency         Resource = "agency"              // the area's agencies
	ResCalendar       Resource = "calendar"            // working days: closures and bank holidays
	ResAccount        Resource = "account"             // one's own account: password and API tokens
	ResFrontDoor      Resource = "front-door"          // the referrals waiting for a decision, and deciding them: screening, information requests, consent
	ResInfoRequest    Resource = "information-request" // the front door's question to an agency, for the agency asked
	ResConsultation   Resource = "consultation"        // advice from the front door about a child not named
	ResDuplicate      Resource = "possible-duplicate"  // two records that may be one child, found by a search of every record
	ResStatutory      Resource = "statutory-event"     // children's social care's own statutory work: s47 enquiries and social work assessments
	ResAllocation     Resource = "case-allocation"     // whether a child's case is open to children's social care, and its allocated social worker
	ResIntel          Resource = "intelligence"        // persons of concern, vehicles, phones, places, accounts and the links between them
	ResIntelSource    Resource = "intelligence-source" // who a link came from, and links whose handling code (C) sets conditions
	ResNetwork        Resource = "network"             // the network around a child: what intelligence links to them
	ResDisruption     Resource = "disruption"          // warning notices, civil orders, arrests, charges and court outcomes against persons of concern
	ResIntelShare     Resource = "intelligence-share"  // the partner intelligence form: chosen intelligence about a child, sent to the police
	ResAreaBoundary   Resource = "area-boundary"       // the area's boundary: the named areas (wards) the hotspot map is drawn on
	ResShare          Resource = "information-share"   // a record of information shared about a child, or of a decision not to share it
	ResAgreement      Resource = "sharing-agreement"   // the area's information-sharing agreements
	ResSeal           Resource = "sealed-record"       // sealing a child's record, and its allow-list
	ResBreakGlass     Resource = "break-glass"         // reading a sealed record in an emergency, and the review of each time it was done
	ResDisclosure     Resource = "disclosure-words"    // a restricted field: the young person's own words in a disclosure
	ResHealth         Resource = "health-details"      // a restricted field: a child's health and disability details
	ResPasskey        Resource = "passkey"             // one's own passkeys (WebAuthn), for the roles that hold most power
	ResStrategy       Resource = "strategy-plan"       // the partnership's strategy action plan: strands, actions, progress notes, boards
	ResPolicyRegister Resource = "policy-register"     // the register of the partnership's policies and procedures
)

// RestrictedField is a field of a record that only some of those who read
// the record may read, or write: its Resource's read rule decides who reads
// it, its change rule who writes it. The store leaves it out for anyone
// else, from every page, JSON answer, export, search and audit detail, and
// says so in the record's "withheld" list; writing it is refused.
type RestrictedField struct {
	Field    string // as the API names it: record.field
	Resource Resource
}

// RestrictedFields are the restricted fields, each governed by a rule in
// the table below (docs/information-governance.md#restricted-fields).
var RestrictedFields = []RestrictedField{
	{"concern.disclosure_words", ResDisclosure},
	{"return_interview.child_said", ResReturnAccount},
	{"child.disability", ResHealth},
	{"link.source", ResIntelSource},
	{"link.grading.conditions", ResIntelSource},
}

// Action is what is done to a resource.
type Action string

const (
	ActList          Action = "list"           // see the area's records of a kind (each filtered by read)
	ActRead          Action = "read"           // see one record
	ActCreate        Action = "create"         // make a new record
	ActChange        Action = "change"         // change a record, add to or take from it
	ActMerge         Action = "merge"          // make two records of one child one
	ActClose         Action = "close"          // close a task without its event
	ActRecordOutcome Action = "record-outcome" // record what a meeting decided
	ActComplete      Action = "complete"       // mark a meeting's action done
	ActApprove       Action = "approve"        // a manager approves a decision: not to seek consent
	ActAllocate      Action = "allocate"       // choose a child's social worker, and move their tasks
)

// Relation is the caller's relation to the record an action is on.
type Relation int

const (
	// RelArea: the action is on no one record: a list, a new record, the
	// area's figures.
	RelArea Relation = iota
	// RelOwn: the record is the caller's own or their agency's: their
	// account, a task their team holds, an action they own, a meeting about
	// no child their agency arranged.
	RelOwn
	// RelInvolved: the caller's agency is involved with the child (for a
	// meeting, with every child on it), or invited to a meeting about no
	// child.
	RelInvolved
	// RelOther: another agency's record.
	RelOther
)

var relationNames = [...]string{"area", "own", "involved", "other"}

func (r Relation) String() string {
	if int(r) < len(relationNames) {
		return relationNames[r]
	}
	return "unknown"
}

// Grant lets people holding one of Roles, in an agency of one of Kinds (of
// any kind when none are listed), take an action on records they stand in
// one of Rels to.
type Grant struct {
	Roles []Role
	Kinds []AgencyKind
	Rels  []Relation
}

// Rule says who may take an action on a resource, and what to say to
// someone who may not.
type Rule struct {
	Resource Resource
	Action   Action
	Grants   []Grant
	Refusal  string
}

// caseRoles are the roles that work with children's records at all.
// Administrators and auditors hold none of them: separation of duties.
var caseRoles = []Role{RolePractitioner, RoleSocialWorker, RoleManager, RoleCSECoordinator,
	RolePolice, RoleAnalyst, RoleChair}

// editRoles create and change children's records; analysts and chairs read.
var editRoles = []Role{RolePractitioner, RoleSocialWorker, RoleManager, RoleCSECoordinator, RolePolice}

// Kinds of people and relations the rules share.
var (
	anyone   = Roles
	csc      = []AgencyKind{KindChildrensSocialCare}
	area     = []Relation{RelArea}
	own      = []Relation{RelOwn}
	involved = []Relation{RelInvolved}
	anyRel   = []Relation{RelInvolved, RelOther}
	coord    = []Role{RoleCSECoordinator}
	// intelRoles read intelligence.
	intelRoles = []Role{RolePolice, RoleAnalyst, RoleCSECoordinator}
	managers   = []Role{RoleManager}
	// cscCase is children's social care's casework: its social workers and
	// managers, on any child, and the CSE coordinator.
	cscCase = []Grant{{Roles: []Role{RoleSocialWorker, RoleManager}, Kinds: csc, Rels: anyRel}, {Roles: coord, Rels: anyRel}}
)

// onChildren is who may take an action on children's records, given the
// roles that may take it at all: those roles on the children their agency is
// involved with; in children's social care, which keeps the area's records,
// on every child; and the CSE coordinator, who works across them all.
func onChildren(roles []Role) []Grant {
	return []Grant{
		{Roles: roles, Rels: involved},
		{Roles: roles, Kinds: csc, Rels: anyRel},
		{Roles: coord, Rels: anyRel},
	}
}

// frontDoor is children's social care's social workers and managers, and
// the coordinator, in rels.
func frontDoor(rels []Relation) []Grant {
	return []Grant{{Roles: []Role{RoleSocialWorker, RoleManager}, Kinds: csc, Rels: rels}, {Roles: coord, Rels: rels}}
}

// inArea lets roles take an action that is on no one record.
func inArea(roles ...Role) []Grant { return []Grant{{Roles: roles, Rels: area}} }

// Policy is the table. A resource and action with no rule is allowed to
// no one.
var Policy = []Rule{
	{ResChild, ActList, inArea(caseRoles...), "You cannot see children's records"},
	{ResChild, ActCreate, inArea(editRoles...), "You cannot create children's records"},
	{ResChild, ActRead, onChildren(caseRoles), "You cannot see this child's record"},
	{ResChild, ActChange, onChildren(editRoles), "You cannot change children's records"},
	// Two records found to be one child: a decision of children's social
	// care's managers or the coordinator, who see every record.
	{ResChild, ActMerge, []Grant{{Roles: managers, Kinds: csc, Rels: anyRel}, {Roles: coord, Rels: anyRel}},
		"Only children's social care managers and the CSE coordinator can merge records"},
	// Allocating a child's social worker is managing children's social
	// care's caseloads: its managers only. The coordinator works across the
	// agencies but manages no social worker's caseload.
	{ResChild, ActAllocate, []Grant{{Roles: managers, Kinds: csc, Rels: anyRel}},
		"Only children's social care managers can allocate a child's social worker"},
	// The pairs a search of every record found: those who may merge them,
	// who see every record. The pair's newer record's maker is never told.
	{ResDuplicate, ActList, []Grant{{Roles: managers, Kinds: csc, Rels: area}, {Roles: coord, Rels: area}},
		"Only children's social care managers and the CSE coordinator review possible duplicates"},
	{ResDuplicate, ActChange, []Grant{{Roles: managers, Kinds: csc, Rels: area}, {Roles: coord, Rels: area}},
		"Only children's social care managers and the CSE coordinator review possible duplicates"},

	{ResConcern, ActRead, onChildren(caseRoles), "You cannot see this concern"},
	{ResConcern, ActCreate, onChildren(editRoles), "You cannot record concerns"},
	{ResConcern, ActChange, onChildren(editRoles), "You cannot move concerns on the pathway"},
	{ResAssessment, ActRead, onChildren(caseRoles), "You cannot see this assessment"},
	{ResAssessment, ActCreate, onChildren(editRoles), "You cannot record assessments"},
	{ResEvent, ActRead, onChildren(caseRoles), "You cannot see this record"},
	{ResEvent, ActCreate, onChildren(editRoles), "You cannot record this for a child"},
	{ResEvent, ActChange, onChildren(editRoles), "You cannot change this record"},
	{ResStatutory, ActCreate, cscCase, "Only children's social care can record s47 enquiries and social work assessments"},
	{ResStatutory, ActChange, cscCase, "Only children's social care can complete s47 enquiries"},
	{ResAllocation, ActChange, cscCase, "Only children's social care can open a case or allocate its social worker"},
	{ResEpisode, ActRead, onChildren(caseRoles), "You cannot see this episode"},
	{ResEpisode, ActCreate, onChildren(editRoles), "You cannot record missing episodes"},
	{ResEpisode, ActChange, onChildren(editRoles), "You cannot change this episode"},
	// The child's own account of where they were and with whom: children's
	// social care's social workers and managers, and the coordinator.
	{ResReturnAccount, ActRead, []Grant{{Roles: []Role{RoleSocialWorker, RoleManager}, Kinds: csc, Rels: anyRel}, {Roles: coord, Rels: anyRel}},
		"You cannot read what the child said"},

	// A task is read with its child; the team that holds it reads it too.
	{ResTask, ActRead, append(onChildren(caseRoles), Grant{Roles: caseRoles, Rels: own}), "You cannot see this task"},
	// What was done on a work task (or a meeting's action) is recorded by
	// the team that holds it, or its owner (Task.Relation), or the
	// coordinator; a statutory clock's task ends with its event.
	{ResTask, ActComplete, []Grant{{Roles: editRoles, Rels: own}, {Roles: coord, Rels: []Relation{RelOwn, RelOther}}},
		"Only the team that holds the task, or its owner, can record what was done"},
	// A manager closes their own team's work: another agency's manager, who
	// may see a shared child, may not.
	{ResTask, ActClose, []Grant{{Roles: managers, Rels: own}}, "Only a manager of the team that holds the task can close it"},

	// An agency becomes involved with a child only by an explicit act (a
	// professional added, an invitation, an action owned, a share, or this
	// decision), and stops when that act is undone.
	{ResInvolvement, ActRead, onChildren(caseRoles), "You cannot see which agencies are involved"},
	{ResInvolvement, ActCreate, []Grant{{Roles: []Role{RoleSocialWorker, RoleManager}, Kinds: csc, Rels: anyRel}, {Roles: coord, Rels: anyRel}},
		"Only children's social care and the CSE coordinator decide which agencies are involved"},
	{ResInvolvement, ActChange, []Grant{{Roles: []Role{RoleSocialWorker, RoleManager}, Kinds: csc, Rels: anyRel}, {Roles: coord, Rels: anyRel}},
		"Only children's social care and the CSE coordinator decide which agencies are involved"},

	// A meeting about children: its relation is the weakest of theirs.
	{ResMeeting, ActList, inArea(caseRoles...), "You cannot see meetings"},
	{ResMeeting, ActCreate, inArea(editRoles...), "You cannot arrange meetings"},
	{ResMeeting, ActRead, onChildren(caseRoles), "You cannot see this meeting"},
	{ResMeeting, ActChange, onChildren(editRoles), "You cannot change meetings"},
	{ResMeeting, ActRecordOutcome, onChildren(editRoles), "You cannot record a meeting's outcome"},
	{ResMeeting, ActComplete, onChildren(editRoles), "Only the action's owner, or someone who works on the case, can complete it"},
	// A meeting about no child: its organiser's agency (own), the agencies
	// invited (involved), children's social care and the coordinator see
	// it; only the organiser's agency and the coordinator change it.
	{ResContextMeeting, ActRead, []Grant{{Roles: caseRoles, Rels: []Relation{RelOwn, RelInvolved}}, {Roles: caseRoles, Kinds: csc, Rels: []Relation{RelOwn, RelInvolved, RelOther}},
		{Roles: coord, Rels: []Relation{RelOwn, RelInvolved, RelOther}}}, "You cannot see this meeting"},
	{ResContextMeeting, ActChange, []Grant{{Roles: editRoles, Rels: own}, {Roles: coord, Rels: []Relation{RelOwn, RelInvolved, RelOther}}},
		"Only the agency that arranged this meeting, or the CSE coordinator, can change it"},
	{ResContextMeeting, ActRecordOutcome, []Grant{{Roles: editRoles, Rels: own}, {Roles: coord, Rels: []Relation{RelOwn, RelInvolved, RelOther}}},
		"Only the agency that arranged this meeting, or the CSE coordinator, can record its outcome"},
	{ResContextMeeting, ActComplete, []Grant{{Roles: editRoles, Rels: own}, {Roles: coord, Rels: []Relation{RelOwn, RelInvolved, RelOther}}},
		"Only the action's owner, or the agency that arranged the meeting, can complete it"},
	// The owner of an action marks it done, whatever their relation to the
	// meeting otherwise.
	{ResMeetingAction, ActComplete, []Grant{{Roles: caseRoles, Rels: own}}, "Only the action's owner can complete it"},

	{ResDirectory, ActList, []Grant{{Roles: append(slices.Clone(caseRoles), RoleAdmin), Rels: area}}, "You cannot see the directory"},
	{ResDirectory, ActChange, inArea(RoleAdmin), "Only administrators can change the directory"},
	{ResToolkit, ActRead, inArea(anyone...), "You cannot see toolkits"},
	{ResToolkit, ActChange, inArea(RoleAdmin), "Only administrators can load toolkits"},
	{ResWork, ActRead, inArea(anyone...), "You cannot see work lists"},
	{ResTeam, ActRead, inArea(RoleManager, RoleCSECoordinator), "Only managers see their team's work"},
	{ResFigures, ActRead, inArea(RoleManager, RoleCSECoordinator, RoleAnalyst, RoleChair), "Only managers, coordinators, analysts and chairs see these figures"},
	// Figures leave the area only by the hand of those who answer for
	// them; what left is open to the auditors too.
	{ResFigureShare, ActCreate, inArea(RoleManager, RoleCSECoordinator, RoleAnalyst), "Only managers, coordinators and analysts share figures outside the area"},
	{ResFigureShare, ActRead, inArea(RoleManager, RoleCSECoordinator, RoleAnalyst, RoleAuditor), "Only managers, coordinators, analysts and auditors see the figures shared outside the area"},
	// Child-level extracts name children, row by row, for analysis inside
	// the area: analysts only, each row still under the read rule (a police
	// analyst's extract holds the children the police work with) and no
	// sealed record in any (docs/extracts.md). They are never shared outside
	// the area, so no disclosure profile or sharing flow offers them.
	{ResExtract, ActRead, inArea(RoleAnalyst), "Only analysts can download child-level extracts"},
	{ResAudit, ActRead, inArea(RoleAuditor), "Only auditors can search the audit trail"},

	// Restricted fields (RestrictedFields). The young person's words in a
	// disclosure: the agency that recorded them (own), children's social
	// care's social workers and managers, the coordinator, and the police
	// on children they work with; written by whoever records the concern.
	{ResDisclosure, ActRead, []Grant{{Roles: caseRoles, Rels: own}, {Roles: []Role{RoleSocialWorker, RoleManager}, Kinds: csc, Rels: anyRel},
		{Roles: coord, Rels: anyRel}, {Roles: []Role{RolePolice}, Rels: involved}}, "You cannot read the young person's words"},
	{ResDisclosure, ActChange, []Grant{{Roles: editRoles, Rels: []Relation{RelOwn, RelInvolved}}, {Roles: editRoles, Kinds: csc, Rels: anyRel},
		{Roles: coord, Rels: anyRel}}, "You cannot record the young person's words"},
	// Health and disability details: children's social care, the
	// coordinator, and health and education on children they work with.
	{ResHealth, ActRead, []Grant{{Roles: caseRoles, Kinds: []AgencyKind{KindHealth, KindEducation}, Rels: involved},
		{Roles: caseRoles, Kinds: csc, Rels: anyRel}, {Roles: coord, Rels: anyRel}}, "You cannot see this child's health details"},
	{ResHealth, ActChange, []Grant{{Roles: editRoles, Kinds: []AgencyKind{KindHealth, KindEducation}, Rels: involved},
		{Roles: editRoles, Kinds: csc, Rels: anyRel}, {Roles: coord, Rels: anyRel}}, "You cannot record a child's health details"},

	// Passkeys, for the roles that hold most power: administrators, the
	// information governance lead, and those who may break the glass.
	{ResPasskey, ActCreate, []Grant{{Roles: []Role{RoleAdmin, RoleInfoGovernance, RoleCSECoordinator, RolePolice}, Rels: own},
		{Roles: []Role{RoleSocialWorker, RoleManager}, Kinds: csc, Rels: own}}, "Passkeys are for administrators, information governance and those who may break the glass"},

	// Information sharing (docs/information-governance.md). A share is part
	// of the child's record, read as the record is and recorded by those
	// who edit it; an agency lists what was shared with it.
	{ResShare, ActRead, onChildren(caseRoles), "You cannot see what was shared about this child"},
	{ResShare, ActCreate, onChildren(editRoles), "You cannot record information shared about this child"},
	{ResShare, ActList, inArea(caseRoles...), "You cannot see information shared with your agency"},
	// Agreements are read by everyone who shares, and written by the
	// information governance lead.
	{ResAgreement, ActList, inArea(append(slices.Clone(caseRoles), RoleInfoGovernance)...), "You cannot see information-sharing agreements"},
	{ResAgreement, ActChange, inArea(RoleInfoGovernance), "Only the information governance lead records information-sharing agreements"},
	// A record is sealed, and its allow-list kept, by children's social
	// care's managers; those who can see it see that it is sealed.
	{ResSeal, ActRead, onChildren(caseRoles), "You cannot see this record's seal"},
	{ResSeal, ActCreate, []Grant{{Roles: managers, Kinds: csc, Rels: anyRel}}, "Only children's social care managers can seal a record"},
	{ResSeal, ActChange, []Grant{{Roles: managers, Kinds: csc, Rels: anyRel}}, "Only children's social care managers can change a sealed record's allow-list"},
	// Breaking the glass: children's social care's social workers and
	// managers, the coordinator and the police, on a child they could see
	// were it not sealed. Every time is reviewed by the information
	// governance lead or a children's social care manager.
	{ResBreakGlass, ActCreate, []Grant{{Roles: []Role{RoleSocialWorker, RoleManager}, Kinds: csc, Rels: anyRel}, {Roles: coord, Rels: anyRel},
		{Roles: []Role{RolePolice}, Rels: anyRel}}, "You cannot break the glass on a sealed record"},
	{ResBreakGlass, ActList, []Grant{{Roles: []Role{RoleInfoGovernance}, Rels: area}, {Roles: managers, Kinds: csc, Rels: area}},
		"Only the information governance lead and children's social care managers review break-glass access"},
	{ResBreakGlass, ActChange, []Grant{{Roles: []Role{RoleInfoGovernance}, Rels: area}, {Roles: managers, Kinds: csc, Rels: area}},
		"Only the information governance lead and children's social care managers review break-glass access"},
	{ResUser, ActRead, inArea(RoleAdmin), "Only administrators can manage users"},
	{ResUser, ActChange, inArea(RoleAdmin), "Only administrators can manage users"},
	{ResAgency, ActList, inArea(anyone...), "You cannot see agencies"},
	{ResAgency, ActChange, inArea(RoleAdmin), "Only administrators can manage agencies"},
	{ResCalendar, ActRead, inArea(RoleAdmin), "Only administrators manage working days"},
	{ResCalendar, ActChange, inArea(RoleAdmin), "Only administrators manage working days"},
	// The front door is children's social care's social workers and
	// managers, and the coordinator: they see every child, so the queue
	// shows nothing they could not see already.
	{ResFrontDoor, ActList, frontDoor(area), "Only children's social care and the CSE coordinator work the front door"},
	{ResFrontDoor, ActChange, frontDoor(anyRel), "Only children's social care and the CSE coordinator decide referrals"},
	{ResFrontDoor, ActApprove, []Grant{{Roles: managers, Kinds: csc, Rels: anyRel}, {Roles: coord, Rels: anyRel}},
		"Only a children's social care manager or the CSE coordinator approves not seeking consent"},
	// An agency asked what it holds answers for itself (own); the request
	// shows who the child is and nothing else of the record.
	{ResInfoRequest, ActList, inArea(editRoles...), "You cannot see information requests"},
	{ResInfoRequest, ActChange, []Grant{{Roles: editRoles, Rels: []Relation{RelArea, RelOwn}}}, "Only the agency asked can answer"},
	// Anyone who works with children may ask advice without naming the
	// child; the front door answers.
	{ResConsultation, ActList, inArea(caseRoles...), "You cannot see consultations"},
	{ResConsultation, ActCreate, inArea(editRoles...), "You cannot ask the front door for advice"},
	{ResConsultation, ActChange, frontDoor(area), "Only the front door gives advice"},
	// Intelligence: every agency that records concerns submits it (and an
	// analyst records what they find); the police, analysts and the CSE
	// coordinator read it. The final grade is the police's; deciding that two
	// records are one person is the police's and analysts'.
	// On a child (intelligence from a concern, referral, meeting or missing
	// episode): any child they may see.
	{ResIntel, ActCreate, []Grant{{Roles: append(slices.Clone(editRoles), RoleAnalyst), Rels: []Relation{RelArea, RelInvolved, RelOther}}},
		"You cannot record intelligence"},
	{ResIntel, ActList, inArea(intelRoles...), "Only the police, analysts and the CSE coordinator see intelligence"},
	{ResIntel, ActRead, inArea(intelRoles...), "Only the police, analysts and the CSE coordinator see intelligence"},
	{ResIntel, ActApprove, inArea(RolePolice), "Only the police give intelligence its final grade"},
	{ResIntel, ActMerge, inArea(RolePolice, RoleAnalyst), "Only the police and analysts decide who is the same person"},
	// Who the intelligence came from, and what is shared only on conditions
	// (handling C), stay with the police.
	{ResIntelSource, ActRead, inArea(RolePolice), "Only the police see the sources of intelligence"},
	// The network around a child: for those who read intelligence, on a
	// child they may see (any other child is not found).
	{ResNetwork, ActRead, []Grant{{Roles: []Role{RolePolice, RoleAnalyst}, Rels: anyRel}, {Roles: coord, Rels: anyRel}},
		"Only the police, analysts and the CSE coordinator see the network around a child"},
	// Disruption and prosecution: the police record what they did; those who
	// read intelligence read it, with the children it names only where they
	// may see them. The partnership's counts are figures (ResFigures).
	{ResDisruption, ActCreate, inArea(RolePolice), "Only the police record disruption and prosecution"},
	{ResDisruption, ActList, inArea(intelRoles...), "Only the police, analysts and the CSE coordinator see disruption and prosecution"},
	{ResDisruption, ActRead, []Grant{{Roles: intelRoles, Rels: anyRel}},
		"Only the police, analysts and the CSE coordinator see disruption and prosecution"},
	// The partner intelligence form: those who may record intelligence send
	// the police what they know about a child they may see. The source's
	// identity stays in Lantern.
	{ResIntelShare, ActCreate, []Grant{{Roles: append(slices.Clone(editRoles), RoleAnalyst), Rels: anyRel}},
		"You cannot send intelligence to the police"},
	// The area's boundary is geography, no one's record: those who read the
	// hotspots drawn on it read it; the administrator, who keeps the area's
	// settings, and the analysts and the coordinator, who know which areas
	// the partnership counts by, load it.
	{ResAreaBoundary, ActRead, inArea(append(slices.Clone(intelRoles), RoleAdmin)...), "Only the police, analysts, the CSE coordinator and administrators see the area's boundary"},
	{ResAreaBoundary, ActChange, inArea(RoleAdmin, RoleAnalyst, RoleCSECoordinator), "Only administrators, analysts and the CSE coordinator load the area's boundary"},
	// The partnership's strategy action plan and its register of policies
	// and procedures name no child: read by those who read the area's
	// figures; kept by managers and the CSE coordinator, who report on the
	// plan to the board.
	{ResStrategy, ActRead, inArea(RoleManager, RoleCSECoordinator, RoleAnalyst, RoleChair), "Only managers, coordinators, analysts and chairs see the strategy action plan"},
	{ResStrategy, ActChange, inArea(RoleManager, RoleCSECoordinator), "Only managers and the CSE coordinator keep the strategy action plan"},
	{ResPolicyRegister, ActRead, inArea(RoleManager, RoleCSECoordinator, RoleAnalyst, RoleChair), "Only managers, coordinators, analysts and chairs see the register of policies"},
	{ResPolicyRegister, ActChange, inArea(RoleManager, RoleCSECoordinator), "Only managers and the CSE coordinator keep the register of policies"},
	{ResAccount, ActRead, []Grant{{Roles: anyone, Rels: own}}, "This is not your account"},
	{ResAccount, ActChange, []Grant{{Roles: anyone, Rels: own}}, "This is not your account"},
}

// rules indexes Policy, built once.
var rules = func() map[[2]string]*Rule {
	m := map[[2]string]*Rule{}
	for i := range Policy {
		r := &Policy[i]
		k := [2]string{string(r.Resource), string(r.Action)}
		if m[k] != nil {
			panic("policy: two rules for " + k[0] + " " + k[1])
		}
		m[k] = r
	}
	return m
}()

// RuleFor is the rule for an action on a resource, or nil when there is
// none (no one may).
func RuleFor(res Resource, act Action) *Rule { return rules[[2]string{string(res), string(act)}] }

// Allowed reports whether u may take act on res where u stands in rel to
// the record. Nobody signed out, disabled or awaiting approval may do
// anything.
func Allowed(u *User, res Resource, act Action, rel Relation) bool {
	if u == nil || u.Disabled || u.AwaitingApproval() {
		return false
	}
	r := RuleFor(res, act)
	if r == nil {
		return false
	}
	for _, g := range r.Grants {
		if slices.Contains(g.Rels, rel) && u.HasAny(g.Roles...) && (len(g.Kinds) == 0 || slices.Contains(g.Kinds, u.AgencyKind)) {
			return true
		}
	}
	return false
}

// Refusal is the error for someone who may not take act on res (but may
// see the record, or the action is on none).
func Refusal(res Resource, act Action) *Error {
	msg := "You cannot do that"
	if r := RuleFor(res, act); r != nil && r.Refusal != "" {
		msg = r.Refusal
	}
	return Errorf(EFORBIDDEN, "%s", msg)
}

// Check is nil when u may take act on res where they stand in rel to it,
// else the refusal.
func Check(u *User, res Resource, act Action, rel Relation) error {
	if Allowed(u, res, act, rel) {
		return nil
	}
	return Refusal(res, act)
}

// ChildRelation is u's relation to a child whose involved agencies are
// agencyIDs.
func ChildRelation(u *User, agencyIDs []string) Relation {
	if u != nil && slices.Contains(agencyIDs, u.AgencyID) {
		return RelInvolved
	}
	return RelOther
}

// SeparateDuties says why roles may not be held together, or "" if they
// may: an administrator, who grants access, holds no case role, so that no
// one account can both give itself access to children and use it.
func SeparateDuties(roles []Role) string {
	if slices.Contains(roles, RoleAdmin) && slices.ContainsFunc(roles, IsCaseRole) {
		return "An administrator cannot also hold a role that works with children's records: give that work to another account"
	}
	return ""
}

// IsCaseRole reports whether r works with children's records.
func IsCaseRole(r Role) bool { return slices.Contains(caseRoles, r) }

// IsEditRole reports whether r creates and changes children's records: the
// roles a meeting's action may be given to.
func IsEditRole(r Role) bool { return slices.Contains(editRoles, r) }

// EditRoles are the roles that may create and change children's records
// (a copy: the store turns them into SQL).
func EditRoles() []Role { return slices.Clone(editRoles) }

// roleKinds are the kinds of agency whose people may hold a role; a role not
// listed may be held in any. A role is a kind of work: a police officer
// works for the police. The CSE coordinator, who sees every child in the
// area by role, works for children's social care, which keeps the area's
// records: a coordinator elsewhere would carry that sight into an agency
// that otherwise sees only the children it works with.
var roleKinds = map[Role][]AgencyKind{
	RoleSocialWorker:   {KindChildrensSocialCare},
	RoleCSECoordinator: {KindChildrensSocialCare},
	RoleChair:          {KindChildrensSocialCare},
	RolePolice:         {KindPolice},
	RoleAnalyst:        {KindPolice, KindChildrensSocialCare},
}

// RoleKinds are the kinds of agency that may hold r (nil: any).
func RoleKinds(r Role) []AgencyKind { return slices.Clone(roleKinds[r]) }

// RoleFitsKind reports whether someone in an agency of kind k may hold r.
func RoleFitsKind(r Role, k AgencyKind) bool {
	ks, ok := roleKinds[r]
	return !ok || slices.Contains(ks, k)
}

// RolesForKind checks roles against an agency's kind, and says why not in
// words, or "".
func RolesForKind(roles []Role, k AgencyKind) string {
	for _, r := range roles {
		if !RoleFitsKind(r, k) {
			var ks []string
			for _, kk := range roleKinds[r] {
				ks = append(ks, kk.Label())
			}
			return "The role " + r.Label() + " is held only in " + strings.Join(ks, " or ") + ", not in " + k.Label() + ": choose another role or agency"
		}
	}
	return ""
}

// AccountChange is an administrator's change to an account, as the rule
// of approval reads it.
type AccountChange struct {
	// Before are the account's roles before the change; nil for a new
	// account.
	Before, After []Role
	// Kind is the kind of the account's agency after the change, and
	// AgencyChanged says the change moved it to another agency.
	Kind          AgencyKind
	AgencyChanged bool
	// PasswordByAdmin says the administrator chose the password; MFAEnrolled
	// that the account has its second factor.
	PasswordByAdmin, MFAEnrolled bool
}

// NeedsApproval says whether an administrator's change must be approved by
// a second administrator before the account is used, so that no one
// administrator alone can open an account that reads children's records:
//   - a new account with a case role whose password the administrator
//     chose (they could sign in as it);
//   - a new account that will see every child in the area, even when its
//     holder sets the password through the emailed link (the administrator
//     chose the address the link goes to);
//   - a case role given to an account that exists, or an account with a
//     case role moved to another agency (it gains that agency's sight);
//   - the password of an account with a case role and no second factor,
//     set by an administrator.
//
// A new account that sees only the children its agency is involved with,
// whose holder sets their first password through the link, needs none.
func (c AccountChange) NeedsApproval() bool {
	if !slices.ContainsFunc(c.After, IsCaseRole) {
		return false
	}
	if c.Before == nil {
		return c.PasswordByAdmin || SeesEveryChild(c.After, c.Kind)
	}
	if c.AgencyChanged || slices.ContainsFunc(c.After, func(r Role) bool { return IsCaseRole(r) && !slices.Contains(c.Before, r) }) {
		return true
	}
	return c.PasswordByAdmin && !c.MFAEnrolled
}

// SeesEveryChild reports whether someone with roles in an agency of kind k
// reads every child's record in the area, not only those their agency is
// involved with.
func SeesEveryChild(roles []Role, k AgencyKind) bool {
	return Allowed(&User{Roles: roles, AgencyKind: k}, ResChild, ActRead, RelOther)
}

// SeenAs is the relation under which u sees a child they may see: another
// agency's for those who may see every child, else involved, the only way
// anyone else sees one (store.childIDVisible).
func SeenAs(u *User) Relation {
	if Allowed(u, ResChild, ActRead, RelOther) {
		return RelOther
	}
	return RelInvolved
}

// MayReadField reports whether u, who may see a record, may read its
// restricted field governed by res (RestrictedFields); own when the record
// is u's agency's own. No user (the system at work) reads everything.
func MayReadField(u *User, res Resource, own bool) bool {
	return u == nil || own && Allowed(u, res, ActRead, RelOwn) || Allowed(u, res, ActRead, SeenAs(u))
}

// MayWriteField is MayReadField for writing.
func MayWriteField(u *User, res Resource, own bool) bool {
	return u == nil || own && Allowed(u, res, ActChange, RelOwn) || Allowed(u, res, ActChange, SeenAs(u))
}

// WithholdChild leaves out of a child's record the restricted fields u may
// not read, naming them in Withheld.
func WithholdChild(u *User, c *Child) {
	if c.Disability != "" && !MayReadField(u, ResHealth, false) {
		c.Disability = ""
		c.Withheld = append(c.Withheld, "disability")
	}
}

// WithholdConcern leaves out of a concern the restricted fields u may not
// read, naming them in Withheld.
func WithholdConcern(u *User, k *Concern) {
	if k.DisclosureWords != "" && !MayReadField(u, ResDisclosure, u != nil && k.AgencyID == u.AgencyID) {
		k.DisclosureWords = ""
		k.Withheld = append(k.Withheld, "disclosure_words")
	}
}

// MayBreakGlass reports whether u holds a role that may break the glass on
// a sealed record: then a record sealed is found through the access that
// gave them, whatever their relation to the child.
func MayBreakGlass(u *User) bool {
	return Allowed(u, ResBreakGlass, ActCreate, RelOther) || Allowed(u, ResBreakGlass, ActCreate, RelInvolved)
}
