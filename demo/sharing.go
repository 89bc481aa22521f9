package demo

import (
	"lantern"
)

// sharing is the information governance chapter: the area's agreement (a
// version in force, the one before ended), shares recorded with their basis,
// a decision not to share, an emergency share, and a record sealed because
// the child's mother works in children's services, on which the coordinator
// has broken the glass tonight: the manager and the information governance
// lead have an alert, and it waits for review.
func (b *story) sharing() {
	if b.err != nil {
		return
	}
	var all []string
	for _, k := range agencyKeys {
		all = append(all, b.ag[k])
	}
	in := lantern.AgreementInput{Title: "Northmoor child sexual exploitation information-sharing agreement", AgencyIDs: all,
		Purposes:    "To identify children at risk of sexual exploitation early; to plan and review multi-agency support; to disrupt and prosecute those who exploit them; to map patterns across the area.",
		DataClasses: "Identity and contact details; concerns and disclosures; toolkit assessments; missing episodes and return interviews; meeting minutes; intelligence about persons of concern, vehicles and places.",
		Basis:       lantern.BasisPublicTask, Condition: lantern.ConditionSafeguardingChildren,
		Retention:   "Until the child's 25th birthday, or 6 years after the last contact if later; then securely destroyed.",
		Signatories: "The directors of children's services, the police area commander, the health trust's named nurse, the head teachers and the heads of service of every party (fictional).",
		StartsOn:    b.today.AddDays(-730), ReviewOn: b.today.AddDays(-370)}
	ig := b.as("ivy")
	a, err := b.st.SaveAgreement(ig, "", in)
	if b.fail("agreement", err); b.err != nil {
		return
	}
	in.Version, in.ReviewOn = a.Version, b.today.AddDays(120)
	in.StartsOn = b.today.AddDays(-365)
	in.Purposes += " Version 2 adds the partner intelligence form."
	a, err = b.st.SaveAgreement(ig, a.ID, in)
	if b.fail("agreement v2", err); b.err != nil {
		return
	}
	old := lantern.AgreementInput{Title: "Joint protocol on children involved in prostitution (1996, replaced)", AgencyIDs: []string{b.ag["csc"], b.ag["police"]},
		Purposes: "Joint planning meetings and information sharing between police and social services.", DataClasses: "Identity; concerns.",
		Basis: lantern.BasisPublicTask, Retention: "As each agency's policy.", Signatories: "The chief officers (fictional).",
		StartsOn: b.today.AddDays(-3650), ReviewOn: b.today.AddDays(-3000)}
	end := b.today.AddDays(-2900)
	old.EndsOn = &end
	_, err = b.st.SaveAgreement(ig, "", old)
	b.fail("old protocol", err)

	share := func(who, k string, daysAgo int, r lantern.ShareRequest) {
		if b.err != nil {
			return
		}
		at := b.at(daysAgo, "11:20")
		r.SharedAt = &at
		_, err := b.st.RecordShare(b.as(who), b.kids[k].id, r)
		b.fail("share about "+k, err)
	}
	share("sam", "tia", 40, lantern.ShareRequest{Outcome: lantern.ShareShared, To: b.ag["health"], What: "The toolkit's result and the last three missing episodes",
		Purpose: "For the school nurse to offer a sexual health appointment and watch for signs", Basis: lantern.BasisPublicTask,
		Condition: lantern.ConditionSafeguardingChildren, Consent: lantern.ConsentGiven, AgreementID: a.ID})
	share("pat", "keira", 25, lantern.ShareRequest{Outcome: lantern.ShareNotShared, To: "Northmoor Homes (the family's housing officer)",
		What: "Keira's disclosure about the man at the flats", Reason: "Housing asked why police call at the flat. They need to know there is a safeguarding plan, not what Keira said; the plan's lead will tell them what they need."})
	share("jay", "lacey", 9, lantern.ShareRequest{Outcome: lantern.ShareShared, To: b.ag["police"], What: "The address Lacey gave on the phone, and the car she described",
		Purpose: "To find her: missing overnight and believed with an adult", Basis: lantern.BasisVitalInterests, Consent: lantern.ConsentNotSought,
		Reason: "She was missing and at risk of serious harm that night; there was no time to ask and asking could have warned the adult", Emergency: true})
	share("sam", "olivia", 14, lantern.ShareRequest{Outcome: lantern.ShareShared, To: b.ag["school2"], What: "That Olivia is looked after and has a safety plan (no details of the plan)",
		Purpose: "So the school calls the social worker, not the placement, if she leaves at lunchtime", Basis: lantern.BasisPublicTask,
		Consent: lantern.ConsentRefused, Reason: "Olivia did not want school told; she is 11 and at risk of going missing with older girls, and the school cannot keep her safe without knowing", AgreementID: a.ID})

	// The sealed record.
	b.addChild(&kid{key: "poppy", given: "Poppy", family: "Madeupson", gender: "female", age: 13, by: "sam", school: 1, street: 3, sw: "sam"})
	b.concern("sam", "poppy", b.at(20, "15:40"), "{N} told her teacher an older boy from the takeaway has been buying her vapes and asking for photos.", concernOpt{})
	if b.err != nil {
		return
	}
	_, err = b.st.SealChild(b.as("morgan"), b.kids["poppy"].id, lantern.SealRequest{Reason: "Poppy's mother works in Northmoor Children's Services: the record is open only to those working with Poppy",
		ReviewOn: b.today.AddDays(60), Allow: []string{b.u["jess"].ID}})
	b.fail("seal", err)
	_, err = b.st.BreakGlass(b.as("casey"), b.kids["poppy"].id, lantern.BreakGlassRequest{
		Reason: "Poppy was named tonight in a police call about the takeaway on Mill Street; I need her record for the strategy discussion at 9am"})
	b.fail("break glass", err)
}
