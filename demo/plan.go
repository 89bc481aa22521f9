package demo

import (
	"lantern"
)

// The partnership's strategy action plan and its register of policies and
// procedures, after the seed's multi-agency strategy and action plan
// (seeds/001): its four strands, its actions, and the guidance it names.
// Every lead and owner is one of the demonstration's fictional people or a
// role; the story of progress runs over the last year, with two boards, so
// that the board view shows what changed since the last one.

// planStrands are the seed's four strands.
var planStrands = []lantern.StrandInput{
	{Number: 1, Title: "Prevention and response", Aim: "Promote awareness to improve early identification of child sexual exploitation."},
	{Number: 2, Title: "Safeguarding and protection", Aim: "Establish a clear process by which professionals respond appropriately to concerns about child sexual exploitation."},
	{Number: 3, Title: "Bringing offenders to justice", Aim: "Improve police and multi-agency approaches to support bringing offenders to justice."},
	{Number: 4, Title: "Public confidence", Aim: "Engage with local communities to raise awareness of child sexual exploitation and how it affects individuals and communities."},
}

// planNote is a progress note daysAgo, by a person of the story.
type planNote struct {
	daysAgo        int
	who, text      string
	rag            lantern.PlanRAG
	rationale      string
	overrideReason string
}

// planAction is an action of the demonstration's plan: due in dueIn days
// (nil: ongoing), with its notes oldest first, each before or after the
// two boards (boardA days ago, boardB days ago).
type planAction struct {
	strand           int
	ref, description string
	lead, agency     string
	dueIn            *int
	before, between  []planNote // before the first board; between the boards
	after            []planNote // since the last board
}

func days(n int) *int { return &n }

// The boards: the partnership's executive, three months ago and five weeks
// ago.
const boardA, boardB = 91, 35

var planActions = []planAction{
	{strand: 1, ref: "1.1", description: "Establish effective communication channels between the safeguarding partnership and partner agencies, to share information and training.",
		lead: "casey", agency: "CSE cross-authority group",
		before:  []planNote{{200, "casey", "Monthly bulletin agreed; every agency has named a single point of contact.", lantern.PlanGreen, "", ""}},
		between: []planNote{{60, "casey", "Bulletin issued three times; contacts list on the partnership's site (fictional).", lantern.PlanGreen, "", ""}},
		after:   []planNote{{10, "casey", "Contacts list refreshed after two agencies restructured.", lantern.PlanGreen, "", ""}}},
	{strand: 1, ref: "1.2a", description: "Develop a training programme suitable for use across the agencies.",
		lead: "morgan", agency: "Training working group", dueIn: days(-120),
		before: []planNote{{240, "morgan", "First draft of the programme circulated to the working group.", lantern.PlanGreen, "", ""},
			{130, "morgan", "Programme signed off by the partnership; first course held.", lantern.PlanBlue, "", ""}}},
	{strand: 1, ref: "1.2b", description: "Identify which agencies and groups of workers need training, and who will deliver it.",
		lead: "morgan", agency: "Training working group", dueIn: days(40),
		before:  []planNote{{150, "morgan", "Survey of agencies sent out.", lantern.PlanGreen, "", ""}},
		between: []planNote{{50, "morgan", "Half the agencies have answered the survey.", lantern.PlanAmber, "Health and the voluntary sector have not yet answered; reminders sent.", ""}},
		after:   []planNote{{12, "morgan", "All but one agency have answered; the training needs analysis is drafted.", lantern.PlanGreen, "", ""}}},
	{strand: 1, ref: "1.2c", description: "Identify how to engage with school staff and governors.",
		lead: "nia", agency: "Education safeguarding leads", dueIn: days(20),
		before: []planNote{{120, "nia", "Designated safeguarding leads' network has agreed to host a session each term.", lantern.PlanGreen, "", ""}},
		// No note for 45 days and due in 20: the dates suggest amber.
		between: []planNote{{45, "nia", "Governors' briefing written; waiting for a date from the governor services team.", lantern.PlanGreen, "", ""}}},
	{strand: 1, ref: "1.2d", description: "Identify how to engage with young people.",
		lead: "val", agency: "Northmoor Young People's Project (fictional)", dueIn: days(90),
		between: []planNote{{70, "val", "Young people's reference group set up: eight members, meeting fortnightly.", lantern.PlanGreen, "", ""}},
		after:   []planNote{{6, "val", "The group has reviewed the leaflets and asked for a short video instead.", lantern.PlanGreen, "", ""}}},
	{strand: 1, ref: "1.2e", description: "Identify mechanisms for rolling out the training.",
		lead: "casey", agency: "Training working group", dueIn: days(-14),
		before:  []planNote{{160, "casey", "Options paper: a pool of trainers from each agency, or commissioned courses.", lantern.PlanGreen, "", ""}},
		between: []planNote{{40, "casey", "The pool of trainers is not yet agreed.", lantern.PlanAmber, "Two agencies have not nominated trainers; the chair has written to them.", ""}},
		after: []planNote{{4, "casey", "Past the due date with no trainers from two agencies; courses for the spring cannot be booked.", lantern.PlanRed,
			"The trainer pool is two agencies short and no course can be booked until it is agreed; escalated to the partnership's executive.", ""}}},
	{strand: 2, ref: "2.1", description: "Map the levels of CSE and related data within the police and the councils: referral data, outputs, and a cross-reference to missing children. The data are monitored for prevalence and response by the cross-authority group and the partnership.",
		lead: "alex", agency: "Northmoor Police Exploitation Unit", dueIn: days(45),
		before:  []planNote{{180, "alex", "Police and children's social care referral data matched for the last year.", lantern.PlanGreen, "", ""}},
		between: []planNote{{55, "alex", "First problem profile drafted from police and council data.", lantern.PlanGreen, "", ""}},
		after: []planNote{{20, "alex", "Health and education data are still not flowing into the data set.", lantern.PlanAmber,
			"The health trust's data-sharing sign-off is awaited; without it the profile misses a third of referrals.", ""}}},
	{strand: 2, ref: "2.2", description: "Work towards a cross-authority co-located multi-agency team, with the partnership's support, standard operating protocols and its partners agreed.",
		lead: "morgan", agency: "Northmoor Children's Services", dueIn: days(120),
		before: []planNote{{210, "morgan", "Options for a co-located, a virtual team or a lead coordinator presented to the partnership.", lantern.PlanGreen, "", ""}},
		between: []planNote{{65, "morgan", "The partnership chose a co-located team; partners are costing their share.", lantern.PlanAmber,
			"Two partners have not yet committed funding for their posts.", ""}},
		after: []planNote{{15, "morgan", "Funding agreed by all but the youth justice service; accommodation found.", lantern.PlanAmber,
			"One partner's funding is still to be confirmed at its board next month.", ""}}},
	{strand: 3, ref: "3.1", description: "Await the outcome of the national police review of the action plan, and adopt its recommendations.",
		lead: "drew", agency: "Northmoor Police Exploitation Unit", dueIn: days(-60),
		before:  []planNote{{150, "drew", "The review has been published; recommendations mapped against local practice.", lantern.PlanGreen, "", ""}},
		between: []planNote{{62, "drew", "All recommendations adopted into the unit's procedures.", lantern.PlanBlue, "", ""}}},
	{strand: 3, ref: "3.2", description: "Ensure victims are supported throughout the criminal justice process, from report to court, with the voluntary sector's help.",
		lead: "drew", agency: "Northmoor Police Exploitation Unit",
		before: []planNote{{100, "drew", "Independent advocates from the young people's project now join every case conference before a charge.", lantern.PlanGreen, "", ""}},
		after:  []planNote{{25, "drew", "Two young people supported through trial this quarter; both asked to keep their advocate afterwards.", lantern.PlanGreen, "", ""}}},
	{strand: 3, ref: "3.3", description: "Develop a CSE victims' charter with criminal justice partners, with specialist prosecutors and courts.",
		lead: "chris", agency: "Criminal justice board (fictional)", dueIn: days(150),
		between: []planNote{{80, "chris", "Draft charter shared with the prosecution service's liaison officer.", lantern.PlanGreen, "", ""}}},
	{strand: 4, ref: "4.1", description: "Hold the partnership's launch event with a children's charity.",
		lead: "casey", agency: "Children's charity partner (fictional)", dueIn: days(-400),
		before: []planNote{{398, "casey", "Launch event held: 140 practitioners from every agency.", lantern.PlanBlue, "", ""}}},
	{strand: 4, ref: "4.2", description: "The councils sign up to a national charity's campaign against child sexual exploitation, with a joint media statement with the police.",
		lead: "morgan", agency: "Northmoor Children's Services", dueIn: days(-420),
		before: []planNote{{425, "morgan", "Signed up; joint statement issued with the police.", lantern.PlanBlue, "", ""}}},
	{strand: 4, ref: "4.3", description: "Agree a multi-agency media strategy, using social media to raise awareness and increase reporting.",
		lead: "casey", agency: "Partnership communications group", dueIn: days(25),
		between: []planNote{{38, "casey", "Draft strategy written; a social media plan for the spring.", lantern.PlanGreen, "", ""}}},
	{strand: 4, ref: "4.4", description: "Engage businesses to prevent and respond to CSE: hoteliers, taxi drivers, door staff, takeaways.",
		lead: "drew", agency: "Licensing and the police", dueIn: days(200),
		between: []planNote{{58, "drew", "Hotel watch scheme relaunched with twelve hotels.", lantern.PlanGreen, "", ""}},
		after:   []planNote{{9, "drew", "Taxi drivers' awareness session agreed with licensing for their renewal course.", lantern.PlanGreen, "", ""}}},
}

// planDocuments are the register, after the guidance the seed names: local
// guidance replaced by the partnership's practice guidance, which a draft
// revision will replace; the missing children protocol and its revision;
// the strategy; and national guidance the local documents follow. Owners
// are roles.
var planDocuments = []struct {
	key, replaces                    string
	title, source, version, overview string
	owner                            string
	scope                            lantern.DocScope
	status                           lantern.DocStatus
	issuedAgo                        int
	reviewIn                         *int
}{
	{key: "iceberg", title: "Tip of the iceberg: working with children and young people abused through prostitution", source: "Northmoor Safeguarding Children Board (fictional)",
		version: "1", overview: "The area's first inter-agency guidance on children abused through sexual exploitation.", owner: "Safeguarding partnership business manager",
		scope: lantern.ScopeMultiAgency, status: lantern.DocCurrent, issuedAgo: 365 * 11},
	{key: "guidance", replaces: "iceberg", title: "Safeguarding children and young people from sexual exploitation: inter-agency practice guidance",
		source: "Northmoor Safeguarding Children Partnership (fictional)", version: "2.0", owner: "Safeguarding partnership business manager",
		overview: "How agencies identify, refer and work together with children at risk: the toolkit, CSE strategy meetings and child protection procedures.",
		scope:    lantern.ScopeMultiAgency, status: lantern.DocCurrent, issuedAgo: 900, reviewIn: days(-30)},
	{key: "guidance3", replaces: "guidance", title: "Safeguarding children and young people from sexual exploitation: inter-agency practice guidance (revision)",
		source: "Northmoor Safeguarding Children Partnership (fictional)", version: "3.0 draft", owner: "CSE cross-authority group",
		overview: "The revision, adding the co-located team's referral route and online exploitation.", scope: lantern.ScopeMultiAgency,
		status: lantern.DocDraft, issuedAgo: 20, reviewIn: days(345)},
	{key: "missing", title: "Children missing from home and care: cross-authority protocol", source: "Northmoor and Eastmoor partnerships (fictional)",
		version: "1", overview: "Reporting, return interviews and the link between going missing and sexual exploitation.", owner: "Missing children lead, children's services",
		scope: lantern.ScopeMultiAgency, status: lantern.DocCurrent, issuedAgo: 1500},
	{key: "missing2", replaces: "missing", title: "Children missing from home and care: cross-authority protocol (revised)", source: "Northmoor and Eastmoor partnerships (fictional)",
		version: "2", overview: "Revised: return interviews within 72 hours, and the risk of sexual exploitation for looked-after children placed out of area.",
		owner: "Missing children lead, children's services", scope: lantern.ScopeMultiAgency, status: lantern.DocCurrent, issuedAgo: 700, reviewIn: days(60)},
	{key: "strategy", title: "Child sexual exploitation multi-agency strategy and action plan", source: "CSE cross-authority group",
		version: "2", overview: "The four strands and the actions under each; this system's strategy page keeps the plan's progress.", owner: "CSE coordinator",
		scope: lantern.ScopeMultiAgency, status: lantern.DocCurrent, issuedAgo: 420, reviewIn: days(-5)},
	{key: "tor", title: "CSE cross-authority group: terms of reference", source: "CSE cross-authority group", version: "1.1",
		overview: "Membership, chairing by the police, and reporting to both partnerships.", owner: "Chair of the CSE cross-authority group",
		scope: lantern.ScopeMultiAgency, status: lantern.DocCurrent, issuedAgo: 430, reviewIn: days(300)},
	{key: "csc", title: "Children's services procedure: CSE strategy meetings", source: "Northmoor Children's Services (fictional)", version: "4",
		overview: "Who arranges and chairs CSE strategy meetings, invitations, minutes and timescales.", owner: "Safeguarding and independent review service manager",
		scope: lantern.ScopeInternal, status: lantern.DocCurrent, issuedAgo: 300, reviewIn: days(65)},
	{key: "police", title: "Police procedure: investigating child sexual exploitation", source: "Northmoor Police Exploitation Unit (fictional)", version: "2",
		overview: "Specialist investigators, victim follow-up visits, debriefs of offenders.", owner: "Detective inspector, exploitation unit",
		scope: lantern.ScopeInternal, status: lantern.DocWithdrawn, issuedAgo: 1200},
}

// plan loads the strategy action plan and the register, as the CSE
// coordinator and the manager keep them.
func (b *story) plan() {
	if b.err != nil {
		return
	}
	strands := map[int]string{}
	for _, in := range planStrands {
		st, err := b.st.SaveStrand(b.as("casey"), "", in)
		if b.fail("strand", err); b.err != nil {
			return
		}
		strands[in.Number] = st.ID
	}
	ids := make([]string, len(planActions))
	for i, pa := range planActions {
		in := lantern.PlanActionInput{StrandID: strands[pa.strand], Reference: pa.ref, Description: pa.description, Lead: b.u[pa.lead].ID, Agency: pa.agency}
		if pa.dueIn != nil {
			d := b.today.AddDays(*pa.dueIn)
			in.DueOn = &d
		}
		a, err := b.st.SavePlanAction(b.as("casey"), "", in)
		if b.fail("action "+pa.ref, err); b.err != nil {
			return
		}
		ids[i] = a.ID
	}
	notes := func(pick func(planAction) []planNote) {
		for i, pa := range planActions {
			for _, n := range pick(pa) {
				if b.err != nil {
					return
				}
				who := n.who
				if who != "casey" && who != "morgan" {
					who = "casey" // the coordinator records what a lead reports
				}
				cur, err := b.st.PlanAction(b.as(who), ids[i])
				if b.fail("action "+pa.ref, err); b.err != nil {
					return
				}
				text := n.text
				if who != n.who {
					text += " (Reported by " + b.u[n.who].Name + ".)"
				}
				_, err = b.st.AddProgressNote(b.as(who), ids[i], lantern.NoteInput{On: b.today.AddDays(-n.daysAgo), Text: text, RAG: n.rag,
					Rationale: n.rationale, OverrideReason: n.overrideReason, Version: cur.Version})
				b.fail("note on "+pa.ref, err)
			}
		}
	}
	board := func(daysAgo int) {
		if b.err != nil {
			return
		}
		_, err := b.st.RecordBoard(b.as("casey"), lantern.BoardInput{Title: "Safeguarding partnership executive", HeldOn: b.today.AddDays(-daysAgo)})
		b.fail("board", err)
	}
	notes(func(pa planAction) []planNote { return pa.before })
	board(boardA)
	notes(func(pa planAction) []planNote { return pa.between })
	board(boardB)
	notes(func(pa planAction) []planNote { return pa.after })

	docs := map[string]string{}
	for _, d := range planDocuments {
		if b.err != nil {
			return
		}
		in := lantern.PolicyDocumentInput{Title: d.title, Scope: d.scope, Source: d.source, IssuedOn: b.today.AddDays(-d.issuedAgo),
			DocumentVersion: d.version, Overview: d.overview, Owner: d.owner, Status: d.status}
		if d.reviewIn != nil {
			r := b.today.AddDays(*d.reviewIn)
			in.ReviewDue = &r
		}
		if d.replaces != "" {
			in.Replaces = []string{docs[d.replaces]}
		}
		saved, err := b.st.SavePolicyDocument(b.as("morgan"), "", in)
		if b.fail("document "+d.key, err); b.err != nil {
			return
		}
		docs[d.key] = saved.ID
	}
}
