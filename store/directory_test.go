package store_test

import (
	"testing"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// The directory: administrators keep the area's contacts and their pathway
// roles; everyone signed in reads it.

func dirContact(t *testing.T, s *store.Store, admin *lantern.User, agencyID, name, email string, roles ...lantern.PathwayRole) *lantern.Contact {
	t.Helper()
	c, err := s.CreateContact(storetest.As(admin), lantern.ContactInput{AgencyID: agencyID, Name: name, Email: email, Roles: roles, Active: true})
	if err != nil {
		t.Fatalf("contact %s: %v", email, err)
	}
	return c
}

func TestDirectory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		admin := storetest.As(f.Admin)
		unit := dirContact(t, s, f.Admin, f.CSC.ID, "Exploitation unit", " SEIU@Police.Example.org ", lantern.PathwayPoliceUnit, lantern.PathwayPoliceUnit)
		if unit.Email != "seiu@police.example.org" || len(unit.Roles) != 1 || unit.AgencyName != f.CSC.Name || !unit.Active || unit.Version != 1 {
			t.Fatalf("contact %+v", unit)
		}

		for _, tc := range []struct {
			name   string
			in     lantern.ContactInput
			fields []string
		}{
			{"no name", lantern.ContactInput{AgencyID: f.CSC.ID, Email: "a@example.org"}, []string{"name"}},
			{"a bad address", lantern.ContactInput{AgencyID: f.CSC.ID, Name: "A", Email: "a@example"}, []string{"email"}},
			{"an address with a display name", lantern.ContactInput{AgencyID: f.CSC.ID, Name: "A", Email: "A <a@example.org>"}, []string{"email"}},
			{"header injection", lantern.ContactInput{AgencyID: f.CSC.ID, Name: "A", Email: "a@example.org\r\nBcc: b@example.org"}, []string{"email"}},
			{"a role not in the pathway", lantern.ContactInput{AgencyID: f.CSC.ID, Name: "A", Email: "a@example.org", Roles: []lantern.PathwayRole{"boss"}}, []string{"roles"}},
			{"no such agency", lantern.ContactInput{AgencyID: "nope", Name: "A", Email: "a@example.org"}, []string{"agency_id"}},
			{"the address is taken", lantern.ContactInput{AgencyID: f.CSC.ID, Name: "A", Email: "seiu@police.example.org"}, []string{"email"}},
		} {
			_, err := s.CreateContact(admin, tc.in)
			wantFields(t, tc.name, err, tc.fields...)
		}
		_, err := s.CreateContact(storetest.As(f.SocialWorker), lantern.ContactInput{AgencyID: f.CSC.ID, Name: "A", Email: "a@example.org"})
		wantCode(t, err, lantern.EFORBIDDEN)
		if n := rowCount(t, s, "directory_contacts"); n != 1 {
			t.Fatalf("%d contacts after refusals, want 1", n)
		}

		// Changing an entry needs the version seen.
		in := lantern.ContactInput{AgencyID: f.CSC.ID, Name: "Sexual exploitation investigation unit", Email: "seiu@police.example.org", Team: "Public protection",
			Roles: []lantern.PathwayRole{lantern.PathwayPoliceIntel, lantern.PathwayPoliceUnit}, Active: true}
		got, err := s.UpdateContact(admin, unit.ID, 1, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.Team != "Public protection" || len(got.Roles) != 2 || got.Roles[0] != lantern.PathwayPoliceUnit {
			t.Fatalf("updated %+v", got)
		}
		_, err = s.UpdateContact(admin, unit.ID, 1, in)
		wantCode(t, err, lantern.ECONFLICT)
		_, err = s.UpdateContact(storetest.As(f.SocialWorker), unit.ID, 2, in)
		wantCode(t, err, lantern.EFORBIDDEN)

		// Anyone signed in reads the directory; an inactive entry is left out.
		coord := dirContact(t, s, f.Admin, f.CSC.ID, "CSE coordinator", "coordinator@csc.example.org", lantern.PathwayCSECoordinator)
		in.Active = false
		if _, err := s.UpdateContact(admin, unit.ID, 2, in); err != nil {
			t.Fatal(err)
		}
		list, err := s.Contacts(storetest.As(f.Teacher), false)
		if err != nil || len(list) != 1 || list[0].ID != coord.ID {
			t.Fatalf("active contacts %v, %v", list, err)
		}
		all, err := s.Contacts(storetest.As(f.Teacher), true)
		if err != nil || len(all) != 2 {
			t.Fatalf("all contacts %d, %v", len(all), err)
		}
		police, err := s.ContactsWithRoles(storetest.As(f.Teacher), lantern.PathwayPoliceUnit, lantern.PathwayCSECoordinator)
		if err != nil || len(police[lantern.PathwayPoliceUnit]) != 0 || len(police[lantern.PathwayCSECoordinator]) != 1 {
			t.Fatalf("the inactive unit is suggested, or the coordinator is not: %v, %v", police, err)
		}
		_, err = s.FindContact(storetest.As(f.Teacher), "no-such-id")
		wantCode(t, err, lantern.ENOTFOUND)
	})
}
