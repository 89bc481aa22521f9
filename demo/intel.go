package demo

import (
	"context"

	"lantern"
)

// intelligence is what the police have linked of the pattern: Dee, his car,
// his phone and account, the takeaway, and three of the four girls. Ruby's
// concerns still name "D-Money" in free text only, for the coordinator or
// the police to link from her record.
func (b *story) intelligence() {
	if b.err != nil {
		return
	}
	drew, sam, pat := b.as("drew"), b.as("sam"), b.as("pat")
	year := b.today.Year
	dee, err := b.st.CreatePerson(drew, &lantern.PersonOfConcern{Aliases: []string{"Dee", "D-Money"}, Sex: "male", BirthYear: year - 25, Estimated: true,
		Description: "White man, mid-twenties, slim, short dark hair, a tattoo of a star on his right hand. Not yet identified."})
	if err != nil {
		b.fail("person", err)
		return
	}
	kez, err := b.st.CreatePerson(drew, &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: "Kieran", Family: "Testbury"}}, Aliases: []string{"Kez"},
		Sex: "male", DateOfBirth: &lantern.Date{Year: year - 23, Month: 4, Day: 17},
		Addresses: []lantern.EntityAddress{{Address: "14 Canal Row, Northmoor (fictional)", Postcode: "NM9 4ZZ"}}})
	if err != nil {
		b.fail("person", err)
		return
	}
	car, _, err := b.st.CreateVehicle(drew, &lantern.Vehicle{VRM: "WX19 ?XK", Colour: "silver", Make: "Vauxhall", Model: "Astra"})
	if err != nil {
		b.fail("vehicle", err)
		return
	}
	phone, _, err := b.st.CreatePhone(drew, "07700 900461")
	if err != nil {
		b.fail("phone", err)
		return
	}
	snap, _, err := b.st.CreateAccount(drew, &lantern.Account{Platform: "Snapchat", Handle: "dmoney_nm"})
	if err != nil {
		b.fail("account", err)
		return
	}
	lat, lon := 53.7712, -1.6541
	shack, err := b.st.CreatePlace(drew, &lantern.Place{Name: PatternTakeaway, Address: "3 Mill Lane, Northmoor (fictional)", Postcode: "NM2 7ZZ",
		Lat: &lat, Lon: &lon, Hotspot: true, HotspotReason: "Girls seen there late at night with adult men; two missing girls found there this year."})
	if err != nil {
		b.fail("place", err)
		return
	}
	park, err := b.st.CreatePlace(drew, &lantern.Place{Name: "Mill Lane car park (fictional)", Postcode: "NM2 7ZY"})
	if err != nil {
		b.fail("place", err)
		return
	}
	blat, blon := 53.7790, -1.6405
	bus, err := b.st.CreatePlace(drew, &lantern.Place{Name: "Northmoor bus station (fictional)", Postcode: "NM1 1ZZ", Lat: &blat, Lon: &blon})
	if err != nil {
		b.fail("place", err)
		return
	}
	child := func(k string) lantern.EntityRef {
		return lantern.EntityRef{Type: lantern.EntityChild, ID: b.kids[k].id}
	}
	ent := func(t lantern.EntityType, id string) lantern.EntityRef { return lantern.EntityRef{Type: t, ID: id} }
	grade := func(s, i, h, cond string) *lantern.Grading {
		return &lantern.Grading{Source: s, Intelligence: i, Handling: h, Conditions: cond}
	}
	link := func(ctx context.Context, from, to lantern.EntityRef, kind lantern.LinkKind, daysAgo int, source, how string, g *lantern.Grading) {
		if b.err != nil {
			return
		}
		on := b.today.AddDays(-daysAgo)
		_, err := b.st.CreateLink(ctx, &lantern.Link{From: from, To: to, Kind: kind, ObservedFrom: &on, Source: source, HowKnown: how, Grading: g})
		b.fail("link", err)
	}
	person, vehicle := ent(lantern.EntityPerson, dee.ID), ent(lantern.EntityVehicle, car.ID)
	link(drew, person, vehicle, lantern.LinkUsesVehicle, 160, "ANPR reads and officers' sightings, Operation Hawthorn (fictional)", "Seen driving it by officers", grade("1", "A", "P", ""))
	link(drew, person, ent(lantern.EntityPhone, phone.ID), lantern.LinkUsesPhone, 90, "Source 4471 (fictional)", "",
		grade("2", "B", "C", "Police only: not to be disclosed outside the exploitation unit without the handler's agreement"))
	link(drew, person, ent(lantern.EntityAccount, snap.ID), lantern.LinkOnlineContact, 70, "Screenshots given by a parent", "Shown to an officer", grade("2", "B", "P", ""))
	link(drew, person, ent(lantern.EntityPlace, shack.ID), lantern.LinkSeenAt, 120, "Patrol log, Mill Lane", "Officers saw him there on four evenings", grade("1", "A", "P", ""))
	link(drew, person, ent(lantern.EntityPerson, kez.ID), lantern.LinkAssociate, 100, "Vehicle stop, Mill Lane", "Passenger in the Astra when stopped", grade("1", "A", "P", ""))
	link(drew, ent(lantern.EntityPerson, kez.ID), ent(lantern.EntityPlace, park.ID), lantern.LinkSeenAt, 60, "Patrol log", "", grade("1", "B", "P", ""))
	link(drew, ent(lantern.EntityPerson, kez.ID), ent(lantern.EntityPlace, bus.ID), lantern.LinkSeenAt, 45, "CCTV, bus station (fictional)", "Seen waiting by the stands", grade("1", "B", "P", ""))
	link(pat, child("keira"), person, lantern.LinkAssociate, 168, "School concern: seen getting into the car at the gates", "Seen by a teacher on duty", grade("2", "C", "P", ""))
	link(pat, child("keira"), vehicle, lantern.LinkCollectedFrom, 168, "School concern", "Seen by a teacher on duty", nil)
	link(sam, child("tia"), ent(lantern.EntityPlace, shack.ID), lantern.LinkFoundAt, 150, "Missing episode: found on Mill Lane", "Police found her", grade("1", "A", "P", ""))
	link(sam, child("tia"), person, lantern.LinkAssociate, 150, "Return interview", "Tia's own account", grade("2", "B", "P", ""))
	link(b.as("jay"), child("lacey"), person, lantern.LinkAssociate, 33, "Referral order session", "Lacey's own account", grade("2", "C", "P", ""))
	link(b.as("hollis"), child("lacey"), vehicle, lantern.LinkCollectedFrom, 28, "Housing officer: the mother's report", "The mother saw the car", nil)
	// The youth worker records "D-Money" from Ruby's drop-in, not knowing
	// he is held: the same man twice, for the police or an analyst to decide.
	if b.err == nil {
		_, err := b.st.CreatePerson(b.as("val"), &lantern.PersonOfConcern{Aliases: []string{"D-Money"}, Sex: "male", BirthYear: year - 24, Estimated: true,
			Description: "Older lad, early twenties, gives girls lifts in a silver car near the drop-in."})
		b.fail("person", err)
	}
}
