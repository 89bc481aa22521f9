package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

func itemKeys(items []lantern.PoliceFormItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Key())
	}
	slices.Sort(out)
	return out
}

func TestPoliceForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		sw := storetest.As(w.f.SocialWorker)
		// The school works with Amira too.
		if _, err := s.Involve(sw, w.child.ID, lantern.InvolvementInput{AgencyID: w.f.School.ID, Reason: "Her school"}); err != nil {
			t.Fatal(err)
		}
		child := ref(lantern.EntityChild, w.child.ID)
		// The school saw a car collect her, driven by a man called "Tiny".
		v, _, err := s.CreateVehicle(w.asSchool, &lantern.Vehicle{VRM: "WX19 ?XK", Colour: "black"})
		if err != nil {
			t.Fatal(err)
		}
		tiny, err := s.CreatePerson(w.asSchool, &lantern.PersonOfConcern{Aliases: []string{"Tiny"}, Description: "Tall, in his twenties"})
		if err != nil {
			t.Fatal(err)
		}
		link := func(ctx context.Context, from, to lantern.EntityRef, kind lantern.LinkKind, g *lantern.Grading) *lantern.Link {
			t.Helper()
			l, err := s.CreateLink(ctx, &lantern.Link{From: from, To: to, Kind: kind, Source: "Her aunt, by phone", HowKnown: "Saw it from the gate",
				Grading: g, ObservedFrom: new(day("2026-11-18"))})
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		collected := link(w.asSchool, child, ref(lantern.EntityVehicle, v.ID), lantern.LinkCollectedFrom, &lantern.Grading{Source: "2", Intelligence: "B", Handling: "P"})
		drives := link(w.asSchool, ref(lantern.EntityPerson, tiny.ID), ref(lantern.EntityVehicle, v.ID), lantern.LinkUsesVehicle, nil)
		// The police hold a phone linked to her, on conditions (handling C),
		// and the coordinator a place.
		ph, _, err := s.CreatePhone(w.asPolice, "07700 900123")
		if err != nil {
			t.Fatal(err)
		}
		secret := link(w.asPolice, child, ref(lantern.EntityPhone, ph.ID), lantern.LinkCalled, &lantern.Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "Not to the family"})
		pl, err := s.CreatePlace(storetest.As(w.coord), &lantern.Place{Name: "The Late Grill"})
		if err != nil {
			t.Fatal(err)
		}
		seen := link(storetest.As(w.coord), child, ref(lantern.EntityPlace, pl.ID), lantern.LinkSeenAt, nil)
		// A link to a child the school may not see.
		assoc := link(storetest.As(w.coord), child, ref(lantern.EntityChild, w.other.ID), lantern.LinkAssociate, nil)

		// The school chooses from what it recorded: the link to the car and
		// the man's to it; not what other agencies hold.
		ch, err := s.PoliceFormChoices(w.asSchool, w.child.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"link:" + collected.ID, "link:" + drives.ID, "person:" + tiny.ID, "vehicle:" + v.ID}
		slices.Sort(want)
		if got := itemKeys(ch.Items); !slices.Equal(got, want) {
			t.Errorf("the school's items %v, want %v", got, want)
		}
		if len(ch.Forces) != 1 || ch.Forces[0].ID != w.policeAgency.ID || len(ch.Shares) != 0 {
			t.Errorf("forces %+v, shares %+v", ch.Forces, ch.Shares)
		}
		// The coordinator reads intelligence: every link about her but the
		// police's handling-C one, and the man's link to the car; but she
		// does not see how another agency knows.
		ch, err = s.PoliceFormChoices(storetest.As(w.coord), w.child.ID)
		if err != nil {
			t.Fatal(err)
		}
		want = []string{"link:" + assoc.ID, "link:" + collected.ID, "link:" + drives.ID, "link:" + seen.ID,
			"person:" + tiny.ID, "place:" + pl.ID, "vehicle:" + v.ID}
		slices.Sort(want)
		if got := itemKeys(ch.Items); !slices.Equal(got, want) {
			t.Errorf("the coordinator's items %v, want %v", got, want)
		}
		for _, it := range ch.Items {
			if it.Type == "link" && it.ID == collected.ID && it.Link.HowKnown != "" {
				t.Errorf("the coordinator sees how the school knows: %+v", it.Link)
			}
			if it.Type == "link" && it.ID == seen.ID && it.Link.HowKnown == "" {
				t.Errorf("the coordinator does not see how she herself knows: %+v", it.Link)
			}
		}
		// The police: the handling-C link too, without its conditions.
		ch, err = s.PoliceFormChoices(w.asPolice, w.child.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(itemKeys(ch.Items), "link:"+secret.ID) || !slices.Contains(itemKeys(ch.Items), "phone:"+ph.ID) {
			t.Errorf("the police's items %v", itemKeys(ch.Items))
		}

		// The school produces a form: what it chose, graded, with how it is
		// known, and never the source.
		form, err := s.ProducePoliceForm(w.asSchool, w.child.ID, lantern.PoliceFormRequest{AgencyID: w.policeAgency.ID,
			Purpose: "To prevent harm to her", Items: []string{"link:" + collected.ID, "vehicle:" + v.ID}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(form)
		for _, secret := range []string{"Her aunt", w.f.Teacher.ID, "Not to the family"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("the form carries %q: %s", secret, b)
			}
		}
		for _, want := range []string{"WX19?XK", "Saw it from the gate", `"source":"2"`, "Amira", "2026-11-18"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("the form lacks %q: %s", want, b)
			}
		}
		if form.Force.Name != "Northmoor Police" || len(form.Items) != 2 {
			t.Errorf("form: %+v", form)
		}
		// What the school may not send: another's link, the police's, a
		// made-up one; nor to a force that is not one.
		for _, items := range [][]string{{"link:" + seen.ID}, {"link:" + secret.ID}, {"place:" + pl.ID}, {"vehicle:nothing"}} {
			_, err := s.ProducePoliceForm(w.asSchool, w.child.ID, lantern.PoliceFormRequest{AgencyID: w.policeAgency.ID, Purpose: "p", Items: items})
			if got := errFields(err); !slices.Equal(got, []string{"items[0]"}) {
				t.Errorf("%v: %v", items, err)
			}
		}
		_, err = s.ProducePoliceForm(w.asSchool, w.child.ID, lantern.PoliceFormRequest{AgencyID: w.f.School.ID, Purpose: "p", Items: []string{"vehicle:" + v.ID}})
		if got := errFields(err); !slices.Equal(got, []string{"agency_id"}) {
			t.Errorf("to a school: %v", err)
		}
		// A child the caller may not see is not found; one who may not send is
		// refused.
		if _, err := s.PoliceFormChoices(w.asSchool, w.other.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("an unseen child: %v", err)
		}
		if _, err := s.PoliceFormChoices(storetest.As(w.f.Auditor), w.child.ID); lantern.ErrorCode(err) == "" {
			t.Error("an auditor chooses")
		}

		// The share is recorded: what, to whom, by whom; and it is on her
		// chronology.
		ch, err = s.PoliceFormChoices(w.asSchool, w.child.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ch.Shares) != 1 || ch.Shares[0].ID != form.ID || ch.Shares[0].ForceID != w.policeAgency.ID || ch.Shares[0].SharedBy != w.f.Teacher.ID ||
			!slices.Equal(ch.Shares[0].Items, []string{"link:" + collected.ID, "vehicle:" + v.ID}) || ch.Shares[0].Purpose != "To prevent harm to her" {
			t.Errorf("shares: %+v", ch.Shares)
		}
		if n := auditCount(t, s, "share.create", form.ID); n != 1 {
			t.Errorf("%d audit entries of the share", n)
		}
		items, err := s.Chronology(sw, w.child.ID, lantern.ChronologyFilter{lantern.ChronShare})
		if err != nil || len(items) != 1 || !strings.HasPrefix(items[0].Summary, "Partner intelligence form shared with Northmoor Police. Purpose: To prevent harm") {
			t.Errorf("chronology: %+v %v", items, err)
		}
	})
}
