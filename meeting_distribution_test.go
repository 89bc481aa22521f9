package lantern_test

import (
	"slices"
	"testing"

	"lantern"
)

func TestPlanDistribution(t *testing.T) {
	inv := []lantern.Invitee{{ID: "1", Email: "unit@police.example.org"}, {ID: "2", Email: "gone@example.org", Removed: true}, {ID: "3", Email: "gp@health.example.org"}}
	coord := []*lantern.Contact{{ID: "c", Email: "cse@csc.example.org", AgencyID: "csc"}}
	iro := []*lantern.Contact{{ID: "i", Email: "iro@csc.example.org", AgencyID: "csc"}}
	m := &lantern.Meeting{Kind: "cse-strategy", Status: "held", ChildIDs: []string{"a", "b"}, Invitees: inv}
	shares, err := lantern.PlanDistribution(m, map[string]string{"a": "toolkit-a"}, coord, iro)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sh := range shares {
		got = append(got, sh.What+" of "+sh.ChildID+" to "+sh.To.Email)
	}
	want := []string{"minutes of a to unit@police.example.org", "minutes of b to unit@police.example.org",
		"minutes of a to gp@health.example.org", "minutes of b to gp@health.example.org",
		"toolkit of a to cse@csc.example.org", "toolkit of a to iro@csc.example.org"}
	if !slices.Equal(got, want) {
		t.Errorf("shares:\n%q\nwant\n%q", got, want)
	}
	if shares[4].AssessmentID != "toolkit-a" || shares[4].Purpose != lantern.PurposeCoordinator || shares[5].Purpose != lantern.PurposeIRO ||
		shares[0].Purpose != lantern.PurposeMinutes || shares[4].To.AgencyID != "csc" {
		t.Errorf("toolkit shares %+v %+v", shares[4], shares[5])
	}
	// One email a recipient, saying what it carries.
	ids := []string{"s1", "s2", "s3", "s4", "s5", "s6"}
	ds := lantern.GroupDistribution(shares, ids)
	if len(ds) != 4 || !slices.Equal(ds[0].ShareIDs, []string{"s1", "s2"}) || !slices.Equal(ds[0].What, []string{"minutes"}) || ds[2].To.Email != "cse@csc.example.org" {
		t.Errorf("emails %+v", ds)
	}
	// Another kind of meeting sends only its minutes; one not held, nothing.
	m.Kind = "core-group"
	if shares, _ := lantern.PlanDistribution(m, map[string]string{"a": "toolkit-a"}, coord, iro); len(shares) != 4 {
		t.Errorf("a core group sent %d", len(shares))
	}
	m.Status = "scheduled"
	if _, err := lantern.PlanDistribution(m, nil, nil, nil); !sameFields(lantern.ErrorFields(err), []string{"status"}) {
		t.Errorf("not held: %v", err)
	}
}
