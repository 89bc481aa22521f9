package intelgen_test

import (
	"testing"

	"lantern"
	"lantern/intelgen"
)

// TestGenerate: the set is deterministic, the size asked, every link's
// ends exist, registrations and numbers normalise, and hubs are there.
func TestGenerate(t *testing.T) {
	a := intelgen.Generate(7, 0.005)
	b := intelgen.Generate(7, 0.005)
	if len(a.Links) != len(b.Links) || len(a.Persons) != len(b.Persons) || a.Links[100] != b.Links[100] || a.Vehicles[3] != b.Vehicles[3] {
		t.Fatal("the same seed gave different sets")
	}
	entities := len(a.Persons) + len(a.Vehicles) + len(a.Phones) + len(a.Places) + len(a.Accounts)
	if entities < intelgen.Entities/200*9/10 || entities > intelgen.Entities/200*11/10 {
		t.Errorf("%d entities at 0.005, want about %d", entities, intelgen.Entities/200)
	}
	if len(a.Links) != intelgen.Links/200 {
		t.Errorf("%d links, want %d", len(a.Links), intelgen.Links/200)
	}
	size := map[intelgen.Kind]int{intelgen.KindChild: len(a.Children), intelgen.KindPerson: len(a.Persons), intelgen.KindVehicle: len(a.Vehicles),
		intelgen.KindPhone: len(a.Phones), intelgen.KindPlace: len(a.Places), intelgen.KindAccount: len(a.Accounts)}
	degree := map[intelgen.Ref]int{}
	for _, l := range a.Links {
		for _, r := range []intelgen.Ref{l.From, l.To} {
			if int(r.Idx) >= size[r.Kind] || r.Idx < 0 {
				t.Fatalf("link end %+v out of range", r)
			}
			degree[r]++
		}
		if l.From == l.To {
			t.Fatalf("a link to itself: %+v", l)
		}
		if !l.Kind.Valid() {
			t.Fatalf("kind %q", l.Kind)
		}
	}
	most := 0
	for _, d := range degree {
		most = max(most, d)
	}
	if most < 20 {
		t.Errorf("the largest hub has %d links", most)
	}
	for _, v := range a.Vehicles {
		if _, _, ok := lantern.NormaliseVRM(v.VRM); !ok {
			t.Fatalf("registration %q does not normalise", v.VRM)
		}
	}
	for _, p := range a.Phones {
		if _, ok := lantern.NormalisePhone(p); !ok {
			t.Fatalf("number %q does not normalise", p)
		}
	}
}
