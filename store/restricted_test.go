package store_test

import (
	"slices"
	"testing"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// Restricted fields: a child's health details are left out for the police
// and named as withheld, a police officer's change of them is refused
// naming the field, and their change of the rest keeps them; the young
// person's words are left out for another agency's practitioner and kept
// for the agency that recorded them and children's social care.
func TestRestrictedFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sys := lantern.NewSystemContext(t.Context(), "test")
		police, err := s.CreateAgency(sys, lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
		if err != nil {
			t.Fatal(err)
		}
		officer := caseUser(t, s, "pc@police.example.org", "Pat Constable", police, lantern.RolePolice)
		sw := storetest.As(f.SocialWorker)
		c, err := s.CreateChild(sw, lantern.ChildInput{GivenName: "Rhea", FamilyName: "Restrict", DateOfBirth: date(t, "2011-01-01"), Gender: "female",
			ChildDetails: lantern.ChildDetails{Disability: "Type 1 diabetes; insulin at lunchtime"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []*lantern.Agency{police, f.School} {
			if _, err := s.Involve(sw, c.ID, lantern.InvolvementInput{AgencyID: a.ID, Reason: "Working with her"}); err != nil {
				t.Fatal(err)
			}
		}
		k, err := s.CreateConcern(storetest.As(f.Teacher), c.ID, lantern.ConcernInput{RaisedAt: clock.Now(), Summary: "Told her teacher about a man",
			Disclosure: true, DisclosureWords: "He said I owe him for the phone"})
		if err != nil {
			t.Fatal(err)
		}

		pc := storetest.As(officer)
		got, err := s.FindChildByID(pc, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Disability != "" || !slices.Contains(got.Withheld, "disability") {
			t.Errorf("the police read health details: %q withheld %q", got.Disability, got.Withheld)
		}
		if got, _ := s.FindChildByID(storetest.As(f.Teacher), c.ID); got.Disability == "" {
			t.Error("the school, involved, does not read health details")
		}
		in := lantern.ChildInput{GivenName: c.GivenName, FamilyName: c.FamilyName, DateOfBirth: c.DateOfBirth, Gender: c.Gender,
			ChildDetails: lantern.ChildDetails{Disability: "None"}}
		_, err = s.UpdateChild(pc, c.ID, got.Version, in)
		wantFields(t, "the police write health details", err, "disability")
		in.Disability, in.FirstLanguage = "", "Polish"
		if _, err := s.UpdateChild(pc, c.ID, got.Version, in); err != nil {
			t.Fatalf("the police change another field: %v", err)
		}
		if kept, _ := s.FindChildByID(sw, c.ID); kept.Disability != "Type 1 diabetes; insulin at lunchtime" || kept.FirstLanguage != "Polish" {
			t.Errorf("after the police's change: disability %q, first language %q", kept.Disability, kept.FirstLanguage)
		}
		_, err = s.CreateChild(pc, lantern.ChildInput{GivenName: "Ida", FamilyName: "Other", DateOfBirth: date(t, "2012-01-01"), Gender: "female",
			ChildDetails: lantern.ChildDetails{Disability: "Asthma"}})
		wantFields(t, "the police record health details", err, "disability")

		// The words: the school (who recorded them), children's social care
		// and the police (involved) read them; the other school does not.
		for _, tc := range []struct {
			u    *lantern.User
			sees bool
		}{{f.Teacher, true}, {f.SocialWorker, true}, {officer, true}} {
			ks, err := s.Concerns(storetest.As(tc.u), c.ID)
			if err != nil || len(ks) != 1 || (ks[0].DisclosureWords != "") != tc.sees {
				t.Errorf("%s reads the words: %+v, %v", tc.u.Name, ks, err)
			}
		}
		if _, err := s.Involve(sw, c.ID, lantern.InvolvementInput{AgencyID: f.Other.ID, Reason: "Her new school"}); err != nil {
			t.Fatal(err)
		}
		ks, err := s.Concerns(storetest.As(f.OtherTeacher), c.ID)
		if err != nil || len(ks) != 1 || ks[0].DisclosureWords != "" || !slices.Contains(ks[0].Withheld, "disclosure_words") || ks[0].ID != k.ID {
			t.Errorf("another school reads the words: %+v, %v", ks, err)
		}
	})
}
