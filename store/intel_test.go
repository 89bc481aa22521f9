package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lantern"
	"lantern/intelgen"
	"lantern/resolve"
	"lantern/store"
	"lantern/store/storetest"
)

// intelWorld is the fixture with the police, an analyst and the CSE
// coordinator, and a child the police are involved with.
type intelWorld struct {
	f                  *storetest.Fixture
	police, analyst    *lantern.User
	coord              *lantern.User
	policeAgency       *lantern.Agency
	child, other       *lantern.Child
	asPolice, asSchool context.Context
}

func newIntelWorld(t *testing.T, s *store.Store) *intelWorld {
	t.Helper()
	f := storetest.Seed(t, s)
	sys := lantern.NewSystemContext(context.Background(), "test")
	pa, err := s.CreateAgency(sys, lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
	if err != nil {
		t.Fatal(err)
	}
	user := func(email string, a *lantern.Agency, r lantern.Role) *lantern.User {
		u, err := s.CreateUser(sys, lantern.UserInput{Email: email, Name: email, AgencyID: a.ID, Roles: []lantern.Role{r}, Password: storetest.Password})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w := &intelWorld{f: f, policeAgency: pa, police: user("pc@police.example.org", pa, lantern.RolePolice),
		analyst: user("analyst@police.example.org", pa, lantern.RoleAnalyst), coord: user("coord@csc.example.org", f.CSC, lantern.RoleCSECoordinator)}
	mk := func(given string) *lantern.Child {
		c, err := s.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: given, FamilyName: "Test", DateOfBirth: lantern.Date{Year: 2011, Month: 3, Day: 4}, Gender: "female"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	w.child, w.other = mk("Amira"), mk("Bella")
	if _, err := s.Involve(storetest.As(f.SocialWorker), w.child.ID, lantern.InvolvementInput{AgencyID: pa.ID, Reason: "A joint investigation"}); err != nil {
		t.Fatal(err)
	}
	w.asPolice, w.asSchool = storetest.As(w.police), storetest.As(f.Teacher)
	return w
}

func ref(t lantern.EntityType, id string) lantern.EntityRef {
	return lantern.EntityRef{Type: t, ID: id}
}

func TestIntelEntities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		// A partner submits; the same registration in any form is one vehicle.
		v1, created, err := s.CreateVehicle(w.asSchool, &lantern.Vehicle{VRM: "ab12 cde", Colour: "silver", Make: "Vauxhall", Model: "Astra"})
		if err != nil || !created || v1.VRM != "AB12CDE" || v1.Partial {
			t.Fatalf("vehicle: %+v %v %v", v1, created, err)
		}
		for _, form := range []string{"AB 12CDE", "AB12-CDE"} {
			v, created, err := s.CreateVehicle(w.asPolice, &lantern.Vehicle{VRM: form})
			if err != nil || created || v.ID != v1.ID {
				t.Fatalf("%s: %+v %v %v", form, v, created, err)
			}
		}
		// Look-alike characters are another vehicle.
		if v, created, err := s.CreateVehicle(w.asPolice, &lantern.Vehicle{VRM: "AB12 C0E"}); err != nil || !created || v.ID == v1.ID {
			t.Fatalf("look-alike: %+v %v %v", v, created, err)
		}
		p, _, err := s.CreateVehicle(w.asPolice, &lantern.Vehicle{VRM: "WX19 ?XK"})
		if err != nil || !p.Partial || p.VRM != "WX19?XK" {
			t.Fatalf("partial: %+v %v", p, err)
		}
		// Phones in every form are one number; withheld is not one.
		ph, created, err := s.CreatePhone(w.asSchool, "07700 900123")
		if err != nil || !created || ph.E164 != "+447700900123" || !ph.Fictional {
			t.Fatalf("phone: %+v %v %v", ph, created, err)
		}
		for _, form := range []string{"+44 (0)7700 900123", "0044 7700 900123"} {
			if p2, created, err := s.CreatePhone(w.asSchool, form); err != nil || created || p2.ID != ph.ID {
				t.Fatalf("%s: %+v %v %v", form, p2, created, err)
			}
		}
		if _, _, err := s.CreatePhone(w.asSchool, "withheld"); lantern.ErrorCode(err) != lantern.EINVALID || lantern.ErrorFields(err)[0].Field != "number" {
			t.Fatalf("withheld: %v", err)
		}
		// An account's handle is compared without case or a leading @.
		a, _, err := s.CreateAccount(w.asSchool, &lantern.Account{Platform: "Snapchat", Handle: "@DMoney_22"})
		if err != nil {
			t.Fatal(err)
		}
		if a2, created, err := s.CreateAccount(w.asSchool, &lantern.Account{Platform: "snapchat", Handle: "dmoney_22"}); err != nil || created || a2.ID != a.ID {
			t.Fatalf("account again: %+v %v %v", a2, created, err)
		}
		// A street name alone, or a description alone, is a person.
		dee, err := s.CreatePerson(w.asSchool, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreatePerson(w.asSchool, &lantern.PersonOfConcern{Description: "A man in his twenties with a scar on his left hand"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreatePerson(w.asSchool, &lantern.PersonOfConcern{}); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Fatalf("nothing known: %v", err)
		}
		// Partners submit but do not read; the police do.
		if _, err := s.Person(w.asSchool, dee.ID); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("school reads a person: %v", err)
		}
		got, err := s.Person(w.asPolice, dee.ID)
		if err != nil || got.Label() != "“Dee”" {
			t.Fatalf("police read: %+v %v", got, err)
		}
		if _, err := s.Vehicle(w.asPolice, "no-such-id"); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("no vehicle: %v", err)
		}
		// Search: a partial registration finds every one it could be, and a
		// whole one finds the partial ones held that it could be.
		rs, err := s.SearchVRM(w.asPolice, "ab12 ?de")
		if err != nil || len(rs) != 1 || rs[0].ID != v1.ID {
			t.Fatalf("partial search: %+v %v", rs, err)
		}
		rs, err = s.SearchVRM(w.asPolice, "?B12CDE")
		if err != nil || len(rs) != 1 || rs[0].ID != v1.ID {
			t.Fatalf("search from the end: %+v %v", rs, err)
		}
		rs, err = s.SearchVRM(w.asPolice, "WX19 AXK")
		if err != nil || len(rs) != 1 || rs[0].ID != p.ID {
			t.Fatalf("whole finds partial: %+v %v", rs, err)
		}
		rs, err = s.SearchPhone(w.asPolice, "0044 7700 900123")
		if err != nil || len(rs) != 1 || rs[0].ID != ph.ID {
			t.Fatalf("phone search: %+v %v", rs, err)
		}
		rs, err = s.SearchWords(w.asPolice, "dee")
		if err != nil || len(rs) != 1 || rs[0].ID != dee.ID {
			t.Fatalf("words: %+v %v", rs, err)
		}
		if _, err := s.SearchWords(w.asSchool, "dee"); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("school searches: %v", err)
		}
	})
}

func TestIntelLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		dee, err := s.CreatePerson(w.asSchool, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
		if err != nil {
			t.Fatal(err)
		}
		link := func(ctx context.Context, l lantern.Link) (*lantern.Link, error) { return s.CreateLink(ctx, &l) }
		// No source: refused, by the code and the database.
		_, err = link(w.asSchool, lantern.Link{From: ref(lantern.EntityChild, w.child.ID), To: ref(lantern.EntityPerson, dee.ID), Kind: lantern.LinkAssociate})
		if lantern.ErrorCode(err) != lantern.EINVALID || lantern.ErrorFields(err)[0].Field != "source" {
			t.Fatalf("no source: %v", err)
		}
		// The school may not see the police's other child: not found.
		_, err = link(w.asSchool, lantern.Link{From: ref(lantern.EntityChild, w.other.ID), To: ref(lantern.EntityPerson, dee.ID), Kind: lantern.LinkAssociate, Source: "A teacher saw"})
		if lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("unseen child: %v", err)
		}
		// An end that is not held is named.
		_, err = link(w.asPolice, lantern.Link{From: ref(lantern.EntityChild, w.child.ID), To: ref(lantern.EntityPerson, "nobody"), Kind: lantern.LinkAssociate, Source: "PNC"})
		if lantern.ErrorCode(err) != lantern.EINVALID || lantern.ErrorFields(err)[0].Field != "to.id" {
			t.Fatalf("no end: %v", err)
		}
		// A partner's grading is not final; the police's is.
		g := &lantern.Grading{Source: "2", Intelligence: "B", Handling: "P"}
		l, err := link(storetest.As(w.f.SocialWorker), lantern.Link{From: ref(lantern.EntityChild, w.child.ID), To: ref(lantern.EntityPerson, dee.ID),
			Kind: lantern.LinkAssociate, Source: "Strategy meeting", Grading: g, LegacyGrade: "B2"})
		if err != nil || l.Final {
			t.Fatalf("partner link: %+v %v", l, err)
		}
		if _, err := s.GradeLink(storetest.As(w.f.SocialWorker), l.ID, *g, ""); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("partner grades: %v", err)
		}
		graded, err := s.GradeLink(w.asPolice, l.ID, lantern.Grading{Source: "1", Intelligence: "B", Handling: "P"}, "")
		if err != nil || !graded.Final || graded.Grading.Source != "1" || graded.LegacyGrade != "B2" {
			t.Fatalf("police grade: %+v %v", graded, err)
		}
		// Handling C: the police's alone.
		car, _, _ := s.CreateVehicle(w.asPolice, &lantern.Vehicle{VRM: "WX19 ?XK"})
		c, err := link(w.asPolice, lantern.Link{From: ref(lantern.EntityPerson, dee.ID), To: ref(lantern.EntityVehicle, car.ID), Kind: lantern.LinkUsesVehicle,
			Source: "Covert source 17", Grading: &lantern.Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "Not to be disclosed outside the police"}})
		if err != nil || !c.Final {
			t.Fatalf("handling C: %+v %v", c, err)
		}
		analystLinks, _, err := s.EntityLinks(storetest.As(w.analyst), ref(lantern.EntityPerson, dee.ID))
		if err != nil {
			t.Fatal(err)
		}
		policeLinks, _, err := s.EntityLinks(w.asPolice, ref(lantern.EntityPerson, dee.ID))
		if err != nil {
			t.Fatal(err)
		}
		if len(analystLinks) != 1 || len(policeLinks) != 2 {
			t.Fatalf("analyst sees %d, police %d", len(analystLinks), len(policeLinks))
		}
		if analystLinks[0].Source != "" || analystLinks[0].RecordedBy != "" {
			t.Fatalf("analyst sees the source: %+v", analystLinks[0])
		}
		// The network: the police see the man and the car; the analyst only the man.
		net, err := s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 2})
		if err != nil || len(net.Nodes) != 3 || len(net.Edges) != 2 || net.Truncated {
			t.Fatalf("police network: %+v %v", net, err)
		}
		net, err = s.Network(storetest.As(w.analyst), w.child.ID, lantern.NetworkQuery{Hops: 2})
		if err != nil || len(net.Nodes) != 2 {
			t.Fatalf("analyst network: %+v %v", net, err)
		}
		// One hop only.
		net, err = s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 1})
		if err != nil || len(net.Nodes) != 2 {
			t.Fatalf("one hop: %+v %v", net, err)
		}
		// Least grading: 1A keeps only the handling-C link, which is at 2 hops.
		net, err = s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 2, Least: &lantern.Grading{Source: "1", Intelligence: "A"}})
		if err != nil || len(net.Nodes) != 1 {
			t.Fatalf("least 1A: %+v %v", net, err)
		}
		// Another child linked to the man: the police may not see Bella, so
		// she is counted as hidden, never shown; the coordinator sees her.
		if _, err := link(storetest.As(w.f.SocialWorker), lantern.Link{From: ref(lantern.EntityChild, w.other.ID), To: ref(lantern.EntityPerson, dee.ID),
			Kind: lantern.LinkAssociate, Source: "Return interview"}); err != nil {
			t.Fatal(err)
		}
		net, err = s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 2})
		if err != nil || net.HiddenChildren != 1 || len(net.Nodes) != 3 {
			t.Fatalf("hidden child: %+v %v", net, err)
		}
		for _, n := range net.Nodes {
			if n.ID == w.other.ID {
				t.Fatal("a child the police may not see is in their network")
			}
		}
		net, err = s.Network(storetest.As(w.coord), w.child.ID, lantern.NetworkQuery{Hops: 2})
		if err != nil || net.HiddenChildren != 0 || len(net.Nodes) != 3 {
			t.Fatalf("coordinator: %+v %v", net, err)
		}
		// Who may ask: not the school (forbidden), not the police for a child they may not see (not found).
		if _, err := s.Network(w.asSchool, w.child.ID, lantern.NetworkQuery{Hops: 2}); lantern.ErrorCode(err) != lantern.ENOTFOUND && lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("school: %v", err)
		}
		if _, err := s.Network(w.asPolice, w.other.ID, lantern.NetworkQuery{Hops: 2}); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("police, unseen child: %v", err)
		}
		if _, err := s.Network(storetest.As(w.f.SocialWorker), w.child.ID, lantern.NetworkQuery{Hops: 2}); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("social worker: %v", err)
		}
		// Withdrawn: out of every network.
		if err := s.WithdrawLink(w.asPolice, c.ID); err != nil {
			t.Fatal(err)
		}
		net, _ = s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 2})
		if len(net.Nodes) != 2 {
			t.Fatalf("after withdrawing: %+v", net)
		}
	})
}

// TestIntelHubRule: a takeaway with more than 200 links is shown but not
// expanded unless asked; the network stops at 500 nodes and says so.
func TestIntelHubRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		shop, err := s.CreatePlace(w.asPolice, &lantern.Place{Name: "Chicken Shack (fictional)", Hotspot: true, HotspotReason: "Children seen with adults late at night"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateLink(w.asPolice, &lantern.Link{From: ref(lantern.EntityChild, w.child.ID), To: ref(lantern.EntityPlace, shop.ID), Kind: lantern.LinkSeenAt, Source: "Patrol"}); err != nil {
			t.Fatal(err)
		}
		for i := range 600 {
			p, err := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{fmt.Sprintf("Customer %d", i)}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateLink(w.asPolice, &lantern.Link{From: ref(lantern.EntityPerson, p.ID), To: ref(lantern.EntityPlace, shop.ID), Kind: lantern.LinkSeenAt, Source: "CCTV"}); err != nil {
				t.Fatal(err)
			}
		}
		net, err := s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(net.Nodes) != 2 || len(net.Hubs) != 1 || net.Hubs[0].ID != shop.ID || net.Hubs[0].Links != 601 || net.Truncated || !net.Hubs[0].Hotspot {
			t.Fatalf("hub rule: %d nodes, hubs %+v, truncated %v", len(net.Nodes), net.Hubs, net.Truncated)
		}
		net, err = s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 3, Expand: []lantern.EntityRef{ref(lantern.EntityPlace, shop.ID)}})
		if err != nil {
			t.Fatal(err)
		}
		if len(net.Nodes) != lantern.MaxNetworkNodes || !net.Truncated || len(net.Hubs) != 0 {
			t.Fatalf("expanded: %d nodes, truncated %v", len(net.Nodes), net.Truncated)
		}
	})
}

// TestIntelResolution: the same person held twice is found, with the
// weights behind it; sharing a car at 0.99 merges them, a father and son of
// one name never merge by themselves; the review list's answers merge or
// keep apart, and a merge is undone.
func TestIntelResolution(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		dob := &lantern.Date{Year: 1994, Month: 5, Day: 6}
		person := func(given, family string, dob *lantern.Date, postcode string, aliases ...string) *lantern.PersonOfConcern {
			t.Helper()
			p := &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: given, Family: family}}, Aliases: aliases, DateOfBirth: dob, Sex: "male"}
			if postcode != "" {
				p.Addresses = []lantern.EntityAddress{{Address: "1 Example Street", Postcode: postcode}}
			}
			out, err := s.CreatePerson(w.asPolice, p)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		a := person("Mohammed", "Exampleton", dob, "NM1 1ZZ", "Mo")
		b := person("Muhammad", "Exampleton", dob, "NM1 1ZZ")
		cs, err := s.Candidates(w.asPolice, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 || cs[0].PersonID != a.ID || cs[0].Probability < 0.8 || len(cs[0].Reasons) == 0 {
			t.Fatalf("candidates of Muhammad = %+v", cs)
		}
		if _, err := s.Candidates(w.asSchool, b.ID); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("school asks: %v", err)
		}
		// Both use one car: merged, the newer into the older.
		car, _, err := s.CreateVehicle(w.asPolice, &lantern.Vehicle{VRM: "NM70 XYZ"})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []*lantern.PersonOfConcern{a, b} {
			if _, err := s.CreateLink(w.asPolice, &lantern.Link{From: ref(lantern.EntityPerson, p.ID), To: ref(lantern.EntityVehicle, car.ID),
				Kind: lantern.LinkUsesVehicle, Source: "ANPR"}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Person(w.asPolice, b.ID)
		if err != nil || got.MergedInto != a.ID {
			t.Fatalf("after sharing the car, Muhammad = %+v %v", got, err)
		}
		// Undone: apart again.
		if err := s.UnmergePerson(w.asPolice, b.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Person(w.asPolice, b.ID); got.MergedInto != "" {
			t.Fatalf("after undoing, merged into %q", got.MergedInto)
		}
		// Father and son of one name at one address, one car: never merged by themselves.
		snr := person("John", "Testwood Snr", &lantern.Date{Year: 1970, Month: 2, Day: 3}, "NM3 3ZZ")
		jnr := person("John", "Testwood Jnr", &lantern.Date{Year: 1998, Month: 2, Day: 3}, "NM3 3ZZ")
		van, _, _ := s.CreateVehicle(w.asPolice, &lantern.Vehicle{VRM: "NM71 VAN"})
		for _, p := range []*lantern.PersonOfConcern{snr, jnr} {
			if _, err := s.CreateLink(w.asPolice, &lantern.Link{From: ref(lantern.EntityPerson, p.ID), To: ref(lantern.EntityVehicle, van.ID),
				Kind: lantern.LinkUsesVehicle, Source: "ANPR"}); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := s.Person(w.asPolice, jnr.ID); got.MergedInto != "" {
			t.Fatal("a father and son were merged automatically")
		}
		// The review list: the police and analysts answer it.
		if _, err := s.ReviewPairs(w.asSchool); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("school reviews: %v", err)
		}
		c := person("Mohamed", "Exampleton", &lantern.Date{Year: 1994, Month: 6, Day: 5}, "")
		pairs, err := s.ReviewPairs(storetest.As(w.analyst))
		if err != nil {
			t.Fatal(err)
		}
		var pair *lantern.PersonPair
		for _, p := range pairs {
			if p.PersonA == c.ID || p.PersonB == c.ID {
				pair = p
			}
		}
		if pair == nil {
			t.Fatalf("Mohamed is not on the review list: %+v", pairs)
		}
		if err := s.AnswerPair(storetest.As(w.analyst), pair.ID, "maybe"); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Fatalf("bad answer: %v", err)
		}
		if err := s.AnswerPair(storetest.As(w.analyst), pair.ID, "same"); err != nil {
			t.Fatal(err)
		}
		if err := s.AnswerPair(storetest.As(w.analyst), pair.ID, "different"); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Fatalf("answered twice: %v", err)
		}
		// The answer is kept for training, with both records.
		reviewed, err := s.ReviewedPairs(lantern.NewSystemContext(context.Background(), "test"), 10)
		if err != nil || len(reviewed) != 1 || reviewed[0].Answer != "same" ||
			!((reviewed[0].A.ID == pair.PersonA && reviewed[0].B.ID == pair.PersonB) || (reviewed[0].A.ID == pair.PersonB && reviewed[0].B.ID == pair.PersonA)) {
			t.Fatalf("reviewed pairs for training: %+v %v", reviewed, err)
		}
		got, _ = s.Person(w.asPolice, c.ID)
		other := pair.PersonA
		if other == c.ID {
			other = pair.PersonB
		}
		if got.MergedInto == "" {
			t.Fatalf("answered same, not merged: %+v", got)
		}
		// A link to the merged record shows the person it was merged into.
		if _, err := s.CreateLink(w.asPolice, &lantern.Link{From: ref(lantern.EntityChild, w.child.ID), To: ref(lantern.EntityPerson, c.ID),
			Kind: lantern.LinkAssociate, Source: "Return interview"}); err != nil {
			t.Fatal(err)
		}
		net, err := s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(net.Nodes) != 2 || net.Nodes[1].ID != got.MergedInto {
			t.Fatalf("network shows %+v, want the person %s", net.Nodes, got.MergedInto)
		}
		_ = other
	})
}

// TestIntelTrainAndResolveAll: a model trained on the persons held is
// stored and used; resolving everyone merges what shares a car at 0.99
// and lists the rest for review; a merge a person undid is not made again.
func TestIntelTrainAndResolveAll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		sys := lantern.NewSystemContext(context.Background(), "test")
		given := []string{"Adam", "Ben", "Carl", "Dev", "Ed", "Finn", "Gus", "Hal", "Ian", "Jon", "Kai", "Lee"}
		for i, g := range given {
			if _, err := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: g, Family: fmt.Sprintf("Trainer%c", 'a'+i)}},
				DateOfBirth: &lantern.Date{Year: 1980 + i, Month: time.Month(1 + i%12), Day: 1 + i}, Sex: "male"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.TrainIntelModel(w.asSchool, 100, 100, 100, 1); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("school trains: %v", err)
		}
		rep, err := s.TrainIntelModel(sys, 1000, 10_000, 10_000, 1)
		if err != nil || rep.Records != len(given) {
			t.Fatalf("train: %+v %v", rep, err)
		}
		res, err := s.ResolveAll(sys)
		if err != nil || res.Records != len(given) || res.Merged != 0 {
			t.Fatalf("resolve distinct persons: %+v %v", res, err)
		}
	})
}

// TestIntelImport: a generated set imports on both databases, its links
// make networks, and its registrations are found.
func TestIntelImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		sys := lantern.NewSystemContext(context.Background(), "test")
		set := intelgen.Generate(5, 0.0005)
		var vs []lantern.Vehicle
		for _, v := range set.Vehicles {
			vs = append(vs, lantern.Vehicle{VRM: v.VRM})
		}
		ids, err := s.ImportIntel(sys, &store.IntelImport{Persons: set.Persons, Vehicles: vs, Phones: set.Phones}, w.police.ID, w.policeAgency.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Half a letter (a byte of "Ł") is refused on either database.
		half := []resolve.Record{{Names: []resolve.Name{{Given: "\xc5", Family: "Malecki"}}}}
		if _, err := s.ImportIntel(sys, &store.IntelImport{Persons: half}, w.police.ID, w.policeAgency.ID); lantern.ErrorCode(err) != lantern.EINVALID ||
			lantern.ErrorFields(err)[0].Field != "persons[0]" {
			t.Fatalf("a name not UTF-8: %v", err)
		}
		if _, err := s.ImportIntel(w.asPolice, &store.IntelImport{}, w.police.ID, w.policeAgency.ID); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("a user imports: %v", err)
		}
		var links []store.ImportLink
		for _, l := range set.Links {
			if l.From.Kind == intelgen.KindPerson && l.To.Kind == intelgen.KindVehicle {
				links = append(links, store.ImportLink{From: ref(lantern.EntityPerson, ids.Persons[l.From.Idx]), To: ref(lantern.EntityVehicle, ids.Vehicles[l.To.Idx]),
					Kind: l.Kind, Grading: intelgen.Grades[l.Grade], Source: "Generated"})
			}
		}
		links = append(links, store.ImportLink{From: ref(lantern.EntityChild, w.child.ID), To: ref(lantern.EntityPerson, links[0].From.ID), Kind: lantern.LinkAssociate, Source: "Generated"})
		if err := s.ImportLinks(sys, links, w.police.ID, w.policeAgency.ID); err != nil {
			t.Fatal(err)
		}
		bad := []store.ImportLink{{From: links[0].From, To: links[0].To, Kind: lantern.LinkUsesVehicle}}
		if err := s.ImportLinks(sys, bad, w.police.ID, w.policeAgency.ID); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Fatalf("a link with no source imported: %v", err)
		}
		net, err := s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 2})
		if err != nil || len(net.Nodes) < 3 {
			t.Fatalf("network of the imported: %+v %v", net, err)
		}
		vrm, _, _ := lantern.NormaliseVRM(set.Vehicles[0].VRM)
		if rs, err := s.SearchVRM(w.asPolice, vrm); err != nil || len(rs) != 1 || rs[0].ID != ids.Vehicles[0] {
			t.Fatalf("search the imported: %+v %v", rs, err)
		}
	})
}

// TestIntelLinkSourceVisible: a link may come from a record of a child the
// recorder may see; one of a child they may not see is answered as one not
// held, naming source_record, and nothing is stored.
func TestIntelLinkSourceVisible(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		sw := storetest.As(w.f.SocialWorker)
		concern := func(c *lantern.Child) string {
			k, err := s.CreateConcern(sw, c.ID, lantern.ConcernInput{RaisedAt: clock.Now().Add(-time.Hour), Summary: "Seen getting into a car"})
			if err != nil {
				t.Fatal(err)
			}
			return k.ID
		}
		mine, theirs := concern(w.child), concern(w.other) // the police are involved with w.child only
		p, err := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
		if err != nil {
			t.Fatal(err)
		}
		link := func(src string) error {
			_, err := s.CreateLink(w.asPolice, &lantern.Link{From: ref(lantern.EntityPerson, p.ID), To: ref(lantern.EntityChild, w.child.ID),
				Kind: lantern.LinkAssociate, Source: "Concern", SourceRecord: &lantern.EntityRef{Type: "concern", ID: src}})
			return err
		}
		for name, src := range map[string]string{"another child's concern": theirs, "no concern": "01a23700-0000-7000-8000-000000000000"} {
			err := link(src)
			if lantern.ErrorCode(err) != lantern.EINVALID || lantern.ErrorFields(err)[0].Field != "source_record" {
				t.Errorf("%s: %v, want invalid naming source_record", name, err)
			}
		}
		if ls, _, err := s.EntityLinks(w.asPolice, ref(lantern.EntityPerson, p.ID)); err != nil || len(ls) != 0 {
			t.Fatalf("after refusals: %d links, %v", len(ls), err)
		}
		if err := link(mine); err != nil {
			t.Fatalf("the child's own concern: %v", err)
		}
	})
}
