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

func day(s string) lantern.Date {
	d, err := lantern.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func errFields(err error) []string {
	var out []string
	for _, f := range lantern.ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

// auditCount counts the trail's entries of an action about an entity id.
// syncAudit chains every queued audit entry, so the test can count them
// in audit_log.
func syncAudit(t *testing.T, s *store.Store) {
	t.Helper()
	if err := s.SyncAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func auditCount(t *testing.T, s *store.Store, action, entityID string) int {
	t.Helper()
	var n int
	syncAudit(t, s)
	if err := s.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1 AND entity_id = $2`, action, entityID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDisruptions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		sw := storetest.As(w.f.SocialWorker)
		older, err := s.CreateChild(sw, lantern.ChildInput{GivenName: "Cara", FamilyName: "Test", DateOfBirth: day("2009-05-01"), Gender: "female"})
		if err != nil {
			t.Fatal(err)
		}
		lac, err := s.CreateChild(sw, lantern.ChildInput{GivenName: "Dana", FamilyName: "Test", DateOfBirth: day("2009-05-01"), Gender: "female",
			ChildDetails: lantern.ChildDetails{LookedAfter: true}})
		if err != nil {
			t.Fatal(err)
		}
		involvedCara, err := s.Involve(sw, older.ID, lantern.InvolvementInput{AgencyID: w.policeAgency.ID, Reason: "A joint investigation"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Involve(sw, lac.ID, lantern.InvolvementInput{AgencyID: w.policeAgency.ID, Reason: "A joint investigation"}); err != nil {
			t.Fatal(err)
		}
		p, err := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Tiny"}})
		if err != nil {
			t.Fatal(err)
		}
		p2, err := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: "Dev", Family: "Example"}}})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := s.CreatePlace(w.asPolice, &lantern.Place{Name: "The Late Grill"})
		if err != nil {
			t.Fatal(err)
		}

		// A CAWN for a 15-year-old and a looked-after 17-year-old.
		cawn, err := s.CreateDisruption(w.asPolice, &lantern.Disruption{Kind: "cawn", Date: day("2026-11-20"), Expires: new(day("2027-11-20")),
			PersonID: p.ID, Reference: "CAWN/1", Children: []lantern.DisruptionChild{{ChildID: w.child.ID}, {ChildID: lac.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if cawn.PersonLabel != "“Tiny”" || len(cawn.Children) != 2 || cawn.Children[0].Role != "protected" || cawn.Children[0].Name != "Amira Test" {
			t.Errorf("cawn: %+v", cawn)
		}
		if n := auditCount(t, s, "disruption.create", cawn.ID); n != 2 {
			t.Errorf("%d audit entries of the creation, want one per child", n)
		}
		// Not a 17-year-old who is not looked after.
		_, err = s.CreateDisruption(w.asPolice, &lantern.Disruption{Kind: "cawn", Date: day("2026-11-20"), PersonID: p.ID,
			Children: []lantern.DisruptionChild{{ChildID: w.child.ID}, {ChildID: older.ID}}})
		if got := errFields(err); !slices.Equal(got, []string{"children[1].child_id"}) {
			t.Errorf("a CAWN for a 17-year-old: %v %v", got, err)
		}
		// A child the police may not see is not found.
		_, err = s.CreateDisruption(w.asPolice, &lantern.Disruption{Kind: "arrest", Date: day("2026-11-20"), PersonID: p.ID,
			Children: []lantern.DisruptionChild{{ChildID: w.other.ID, Role: "victim"}}})
		if lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("an unseen child: %v", err)
		}
		// A person not held; a place not held.
		_, err = s.CreateDisruption(w.asPolice, &lantern.Disruption{Kind: "arrest", Date: day("2026-11-20"), PersonID: "nobody"})
		if got := errFields(err); !slices.Equal(got, []string{"person_id"}) {
			t.Errorf("no such person: %v", err)
		}
		_, err = s.CreateDisruption(w.asPolice, &lantern.Disruption{Kind: "closure-order", Date: day("2026-11-20"), PlaceID: "nowhere"})
		if got := errFields(err); !slices.Equal(got, []string{"place_id"}) {
			t.Errorf("no such place: %v", err)
		}
		// A date ahead of today (the clock's 22 November 2026).
		_, err = s.CreateDisruption(w.asPolice, &lantern.Disruption{Kind: "arrest", Date: day("2026-11-23"), PersonID: p.ID})
		if got := errFields(err); !slices.Equal(got, []string{"date"}) {
			t.Errorf("a date ahead: %v", err)
		}
		// Only the police record them.
		for _, ctx := range []context.Context{storetest.As(w.analyst), storetest.As(w.coord), w.asSchool, sw} {
			_, err = s.CreateDisruption(ctx, &lantern.Disruption{Kind: "arrest", Date: day("2026-11-20"), PersonID: p.ID})
			if lantern.ErrorCode(err) != lantern.EFORBIDDEN {
				t.Errorf("%s records: %v", lantern.UserFromContext(ctx).Email, err)
			}
		}

		// The prosecution: an arrest, a charge, and outcomes in and out of
		// the period; the same person convicted twice counts once.
		mk := func(d lantern.Disruption) *lantern.Disruption {
			t.Helper()
			out, err := s.CreateDisruption(w.asPolice, &d)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		victim := []lantern.DisruptionChild{{ChildID: w.child.ID, Role: "victim"}, {ChildID: older.ID, Role: "witness"}}
		mk(lantern.Disruption{Kind: "arrest", Date: day("2026-03-01"), PersonID: p.ID, Children: victim})
		mk(lantern.Disruption{Kind: "charge", Date: day("2026-03-02"), PersonID: p.ID, Offence: "Sexual activity with a child", Children: victim})
		mk(lantern.Disruption{Kind: "court-outcome", Outcome: "convicted", Date: day("2026-09-01"), PersonID: p.ID, Children: victim})
		mk(lantern.Disruption{Kind: "court-outcome", Outcome: "convicted", Date: day("2026-10-01"), PersonID: p.ID})
		mk(lantern.Disruption{Kind: "court-outcome", Outcome: "acquitted", Date: day("2026-10-02"), PersonID: p2.ID})
		mk(lantern.Disruption{Kind: "court-outcome", Outcome: "convicted", Date: day("2025-10-02"), PersonID: p2.ID})
		closure := mk(lantern.Disruption{Kind: "closure-order", Date: day("2026-08-01"), Expires: new(day("2026-11-01")), PlaceID: pl.ID})
		if closure.PlaceLabel != "The Late Grill" {
			t.Errorf("closure: %+v", closure)
		}

		// The figures, for the partnership: no one named.
		fig, err := s.DisruptionFigures(storetest.As(w.coord), day("2026-01-01"), day("2026-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		count := func(cs []lantern.DisruptionCount, key string) int {
			for _, c := range cs {
				if c.Key == key {
					return c.Count
				}
			}
			t.Errorf("no count for %s", key)
			return -1
		}
		if fig.BroughtToJustice != 1 || fig.Persons != 2 || fig.Children != 3 || count(fig.ByKind, "court-outcome") != 3 ||
			count(fig.ByKind, "cawn") != 1 || count(fig.Outcomes, "convicted") != 2 || count(fig.Outcomes, "acquitted") != 1 ||
			len(fig.ByKind) != len(lantern.DisruptionKinds) || count(fig.ByKind, "closure-order") != 1 {
			t.Errorf("figures: %+v", fig)
		}
		if b, _ := json.Marshal(fig); strings.Contains(string(b), "Amira") || strings.Contains(string(b), "Tiny") {
			t.Errorf("the figures name someone: %s", b)
		}
		// The year before: the other person's conviction.
		if fig, err := s.DisruptionFigures(storetest.As(w.coord), day("2025-01-01"), day("2025-12-31")); err != nil || fig.BroughtToJustice != 1 || fig.Persons != 1 {
			t.Errorf("2025: %+v %v", fig, err)
		}
		// A person merged into another counts as them.
		if _, err := s.DB().ExecContext(context.Background(), `UPDATE intel_persons SET merged_into = $1 WHERE id = $2`, p.ID, p2.ID); err != nil {
			t.Fatal(err)
		}
		if fig, err := s.DisruptionFigures(storetest.As(w.coord), day("2025-01-01"), day("2026-12-31")); err != nil || fig.BroughtToJustice != 1 || fig.Persons != 1 {
			t.Errorf("merged: %+v %v", fig, err)
		}
		if _, err := s.DisruptionFigures(w.asPolice, day("2026-01-01"), day("2026-12-31")); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("the police read the figures: %v", err)
		}

		// Lists: filters, and children the reader may not see left out.
		l, err := s.Disruptions(w.asPolice, lantern.DisruptionFilter{Kind: "court-outcome", Outcome: "convicted"})
		if err != nil || len(l.Disruptions) != 3 {
			t.Fatalf("convictions: %+v %v", l, err)
		}
		l, err = s.Disruptions(w.asPolice, lantern.DisruptionFilter{From: new(day("2026-03-01")), To: new(day("2026-03-31"))})
		if err != nil || len(l.Disruptions) != 2 || l.Disruptions[0].Kind != "charge" || l.Disruptions[0].Offence == "" {
			t.Fatalf("March: %+v %v", l, err)
		}
		// The police stop working with Cara: she is left out, and counted.
		if err := s.EndInvolvement(sw, older.ID, involvedCara.ID, "The joint investigation ended"); err != nil {
			t.Fatal(err)
		}
		l, err = s.Disruptions(w.asPolice, lantern.DisruptionFilter{Kind: "charge"})
		if err != nil || len(l.Disruptions) != 1 || len(l.Disruptions[0].Children) != 1 || l.HiddenChildren != 1 || l.Disruptions[0].ChildrenNotShown != 1 {
			t.Fatalf("a child no longer seen: %+v %v", l, err)
		}
		if b, _ := json.Marshal(l); strings.Contains(string(b), older.ID) || strings.Contains(string(b), "Cara") {
			t.Errorf("the list names a child the reader may not see: %s", b)
		}
		// The coordinator sees every child.
		l, err = s.Disruptions(storetest.As(w.coord), lantern.DisruptionFilter{Kind: "charge"})
		if err != nil || len(l.Disruptions[0].Children) != 2 || l.HiddenChildren != 0 {
			t.Fatalf("the coordinator: %+v %v", l, err)
		}
		if _, err := s.Disruptions(w.asSchool, lantern.DisruptionFilter{}); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a school reads: %v", err)
		}

		// A person's: theirs and those merged into them.
		l, err = s.PersonDisruptions(storetest.As(w.analyst), p.ID)
		if err != nil || len(l.Disruptions) != 7 {
			t.Fatalf("the person's: %d %v", len(l.Disruptions), err)
		}
		if _, err := s.PersonDisruptions(storetest.As(w.analyst), "nobody"); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("no such person: %v", err)
		}
		// A child's: those that name her.
		l, err = s.ChildDisruptions(w.asPolice, w.child.ID)
		if err != nil || len(l.Disruptions) != 4 {
			t.Fatalf("the child's: %d %v", len(l.Disruptions), err)
		}
		if _, err := s.ChildDisruptions(w.asPolice, w.other.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("an unseen child's: %v", err)
		}
		if _, err := s.ChildDisruptions(sw, w.child.ID); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a social worker reads: %v", err)
		}
	})
}
