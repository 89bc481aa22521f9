package store_test

import (
	"context"
	"slices"
	"testing"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// toolsWorld is a small graph for the analyst's tools:
//
//	Amira(child) — Dee — Kez — Shop(place) — Cara(child)
//	                 |     |  \
//	   (handling C) Car   Bella(child, unseen by the police) — Ray
//	                 |
//	                Sam
//
// and Cara — Kez. The police and analyst see Amira and Cara, not Bella;
// the coordinator sees every child.
type toolsWorld struct {
	*intelWorld
	cara                *lantern.Child
	dee, kez, ray, sam  *lantern.PersonOfConcern
	shop                *lantern.Place
	car                 *lantern.Vehicle
	asAnalyst, asCoord  context.Context
	amiraRef, bellaRef  lantern.EntityRef
	caraRef, deeRef     lantern.EntityRef
	kezRef, rayRef      lantern.EntityRef
	samRef, shopRef     lantern.EntityRef
	carRef              lantern.EntityRef
	march, june, now    lantern.Date
	clock               *storetest.Clock
	s                   *store.Store
	t                   *testing.T
	sharedOK, sharedBad []string
}

func newToolsWorld(t *testing.T, s *store.Store, clock *storetest.Clock) *toolsWorld {
	w := &toolsWorld{intelWorld: newIntelWorld(t, s), clock: clock, s: s, t: t}
	var err error
	w.cara, err = s.CreateChild(storetest.As(w.f.SocialWorker), lantern.ChildInput{GivenName: "Cara", FamilyName: "Test", DateOfBirth: lantern.Date{Year: 2010, Month: 1, Day: 2}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Involve(storetest.As(w.f.SocialWorker), w.cara.ID, lantern.InvolvementInput{AgencyID: w.policeAgency.ID, Reason: "A joint investigation"}); err != nil {
		t.Fatal(err)
	}
	w.asAnalyst, w.asCoord = storetest.As(w.analyst), storetest.As(w.coord)
	mk := func(alias string) *lantern.PersonOfConcern {
		p, err := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{alias}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w.dee, w.kez, w.ray, w.sam = mk("Dee"), mk("Kez"), mk("Ray"), mk("Sam")
	lat, lon := 53.48, -2.24
	if w.shop, err = s.CreatePlace(w.asPolice, &lantern.Place{Name: "Shop", Lat: &lat, Lon: &lon}); err != nil {
		t.Fatal(err)
	}
	if w.car, _, err = s.CreateVehicle(w.asPolice, &lantern.Vehicle{VRM: "NM11 AAA"}); err != nil {
		t.Fatal(err)
	}
	w.amiraRef, w.bellaRef, w.caraRef = ref(lantern.EntityChild, w.child.ID), ref(lantern.EntityChild, w.other.ID), ref(lantern.EntityChild, w.cara.ID)
	w.deeRef, w.kezRef, w.rayRef, w.samRef = ref(lantern.EntityPerson, w.dee.ID), ref(lantern.EntityPerson, w.kez.ID), ref(lantern.EntityPerson, w.ray.ID), ref(lantern.EntityPerson, w.sam.ID)
	w.shopRef, w.carRef = ref(lantern.EntityPlace, w.shop.ID), ref(lantern.EntityVehicle, w.car.ID)
	w.march, w.june, w.now = lantern.Date{Year: 2026, Month: 3, Day: 1}, lantern.Date{Year: 2026, Month: 6, Day: 1}, lantern.DateOf(clock.Now())
	link := func(ctx context.Context, from, to lantern.EntityRef, k lantern.LinkKind, g *lantern.Grading, on *lantern.Date) {
		if _, err := s.CreateLink(ctx, &lantern.Link{From: from, To: to, Kind: k, Source: "Test", Grading: g, ObservedFrom: on}); err != nil {
			t.Fatal(err)
		}
	}
	p := w.asPolice
	link(p, w.amiraRef, w.deeRef, lantern.LinkAssociate, &lantern.Grading{Source: "1", Intelligence: "B", Handling: "P"}, &w.march)
	link(p, w.deeRef, w.kezRef, lantern.LinkAssociate, nil, nil)
	link(p, w.deeRef, w.carRef, lantern.LinkUsesVehicle, &lantern.Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "Police only"}, &w.june)
	link(p, w.samRef, w.carRef, lantern.LinkUsesVehicle, nil, nil)
	link(p, w.kezRef, w.shopRef, lantern.LinkSeenAt, nil, &w.june)
	link(p, w.caraRef, w.kezRef, lantern.LinkAssociate, nil, nil)
	link(p, w.caraRef, w.shopRef, lantern.LinkSeenAt, nil, &w.march)
	sw := storetest.As(w.f.SocialWorker)
	link(sw, w.bellaRef, w.kezRef, lantern.LinkAssociate, nil, nil)
	link(sw, w.bellaRef, w.rayRef, lantern.LinkAssociate, nil, nil)
	link(sw, w.bellaRef, w.shopRef, lantern.LinkSeenAt, nil, &w.june)
	return w
}

func ids(ns []*lantern.NetworkNode) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

// TestIntelTools: each analyst's tool on a small graph, for the police, an
// analyst and the coordinator: a child the caller may not see is never
// shown nor walked through; handling-C links are the police's alone;
// children are never ranked or listed as a group's members; the graph
// tools say to try again while the index is being built.
func TestIntelTools(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newToolsWorld(t, s, clock)
		if _, err := s.ShortestPath(w.asPolice, w.amiraRef, w.samRef, 6, lantern.NetworkQuery{}); lantern.ErrorCode(err) != lantern.EUNAVAILABLE {
			t.Fatalf("path before the index is built: %v, want unavailable", err)
		}
		keepGraph(t, s)
		if _, err := s.ShortestPath(w.asSchool, w.amiraRef, w.samRef, 6, lantern.NetworkQuery{}); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("a school's path: %v, want forbidden", err)
		}

		// Paths: through the handling-C link for the police only.
		p, err := s.ShortestPath(w.asPolice, w.amiraRef, w.samRef, 6, lantern.NetworkQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{w.child.ID, w.dee.ID, w.car.ID, w.sam.ID}; !p.Found || !slices.Equal(ids(p.Nodes), want) || len(p.Edges) != 3 {
			t.Fatalf("police path = %+v, want %v", p, want)
		}
		if e := p.Edges[1]; e.From != w.deeRef || e.To != w.carRef || e.Grading == nil || e.Grading.Handling != "C" || e.Kind != lantern.LinkUsesVehicle {
			t.Fatalf("the path's second link = %+v", e)
		}
		if p, err := s.ShortestPath(w.asAnalyst, w.amiraRef, w.samRef, 6, lantern.NetworkQuery{}); err != nil || p.Found || len(p.Nodes) != 0 {
			t.Fatalf("an analyst's path through a handling-C link = %+v, %v; want none", p, err)
		}
		if p, err := s.ShortestPath(w.asPolice, w.amiraRef, w.samRef, 2, lantern.NetworkQuery{}); err != nil || p.Found {
			t.Fatalf("a 3-link path within 2 hops = %+v, %v; want none", p, err)
		}
		// Ray is reached only through Bella, whom the police may not see.
		if p, err := s.ShortestPath(w.asPolice, w.amiraRef, w.rayRef, 6, lantern.NetworkQuery{}); err != nil || p.Found || slices.Contains(ids(p.Nodes), w.other.ID) {
			t.Fatalf("police path through an unseen child = %+v, %v; want none", p, err)
		}
		if p, err := s.ShortestPath(w.asCoord, w.amiraRef, w.rayRef, 6, lantern.NetworkQuery{}); err != nil || !p.Found ||
			!slices.Equal(ids(p.Nodes), []string{w.child.ID, w.dee.ID, w.kez.ID, w.other.ID, w.ray.ID}) {
			t.Fatalf("the coordinator's path = %+v, %v", p, err)
		}
		if _, err := s.ShortestPath(w.asPolice, w.bellaRef, w.rayRef, 6, lantern.NetworkQuery{}); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("a path from an unseen child: %v, want not found", err)
		}
		if _, err := s.ShortestPath(w.asPolice, w.amiraRef, ref(lantern.EntityPerson, "00000000-0000-4000-8000-000000000000"), 6, lantern.NetworkQuery{}); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("a path to no one: %v, want not found", err)
		}

		// Shared associates: never a child; every child asked must be seen.
		sh, err := s.SharedAssociates(w.asPolice, []string{w.child.ID, w.cara.ID}, 2, lantern.NetworkQuery{})
		if err != nil {
			t.Fatal(err)
		}
		got := ids(func() []*lantern.NetworkNode {
			var ns []*lantern.NetworkNode
			for _, a := range sh.Associates {
				ns = append(ns, a.NetworkNode)
				if len(a.Children) != 2 {
					t.Errorf("%s is shared by %v", a.Label, a.Children)
				}
			}
			return ns
		}())
		slices.Sort(got)
		want := []string{w.dee.ID, w.kez.ID}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("shared = %v, want Dee and Kez %v", got, want)
		}
		if _, err := s.SharedAssociates(w.asPolice, []string{w.child.ID, w.other.ID}, 2, lantern.NetworkQuery{}); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("shared with an unseen child: %v, want not found", err)
		}
		if _, err := s.SharedAssociates(w.asPolice, []string{w.child.ID}, 2, lantern.NetworkQuery{}); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Fatalf("shared with one child: %v, want invalid", err)
		}
		sh, err = s.SharedAssociates(w.asCoord, []string{w.child.ID, w.other.ID, w.cara.ID}, 1, lantern.NetworkQuery{})
		if err != nil || len(sh.Associates) != 2 { // Kez (Bella, Cara) and the shop (Bella, Cara)
			t.Fatalf("the coordinator's shared at 1 hop = %+v, %v", sh, err)
		}
		for _, a := range sh.Associates {
			if a.Type == lantern.EntityChild {
				t.Fatalf("a child listed as shared: %+v", a)
			}
		}

		// Groups: one for the police, without Bella, and without Ray, joined
		// to it only through her; for an analyst the
		// car and Sam stand apart, joined only by a handling-C link.
		gs, err := s.Groups(w.asPolice, lantern.NetworkQuery{}, 2, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(gs.Groups) != 1 || gs.Groups[0].Size != 7 || gs.Total != 1 || gs.Groups[0].Children != 2 || gs.Groups[0].ByType[lantern.EntityChild] != 2 {
			t.Fatalf("police groups = %+v", gs.Groups[0])
		}
		for _, n := range gs.Groups[0].Top {
			if n.Type == lantern.EntityChild {
				t.Fatalf("a child among a group's members: %+v", n)
			}
		}
		if gs.Groups[0].Top[0].ID != w.kez.ID {
			t.Fatalf("the group's most connected = %+v, want Kez", gs.Groups[0].Top[0])
		}
		gs, err = s.Groups(w.asAnalyst, lantern.NetworkQuery{}, 2, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(gs.Groups) != 2 || gs.Groups[1].Size != 2 || !slices.Contains(ids(gs.Groups[1].Top), w.sam.ID) {
			t.Fatalf("analyst's groups = %+v", gs.Groups)
		}

		// The most connected: Kez (Dee, the shop, Bella, Cara); no child;
		// Dee's handling-C link counted for the police only.
		mc, err := s.MostConnected(w.asPolice, "", lantern.NetworkQuery{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		if mc[0].ID != w.kez.ID || mc[0].Links != 4 {
			t.Fatalf("most connected = %+v", mc[0])
		}
		links := func(ns []*lantern.NetworkNode, id string) int {
			for _, n := range ns {
				if n.Type == lantern.EntityChild {
					t.Fatalf("a child ranked: %+v", n)
				}
				if n.ID == id {
					return n.Links
				}
			}
			return -1
		}
		if n := links(mc, w.dee.ID); n != 3 {
			t.Fatalf("Dee's links for the police = %d, want 3", n)
		}
		mc, err = s.MostConnected(w.asAnalyst, lantern.EntityPerson, lantern.NetworkQuery{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		if n := links(mc, w.dee.ID); n != 2 || links(mc, w.shop.ID) != -1 {
			t.Fatalf("an analyst's persons: Dee %d links, want 2; %+v", n, mc)
		}
		if _, err := s.MostConnected(w.asPolice, lantern.EntityChild, lantern.NetworkQuery{}, 10); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Fatalf("children ranked: %v, want invalid", err)
		}

		// Timeline: in date order; handling C for the police only; an
		// unseen child's is not found.
		tl, err := s.Timeline(w.asPolice, w.deeRef)
		if err != nil {
			t.Fatal(err)
		}
		var others []string
		for _, it := range tl.Items {
			others = append(others, it.Other.ID)
		}
		if want := []string{w.child.ID, w.car.ID, w.kez.ID}; !slices.Equal(others, want) || !tl.Items[0].Observed || tl.Items[2].Observed ||
			tl.Items[0].Date != w.march || tl.Items[2].Date != w.now {
			t.Fatalf("Dee's timeline = %v, want %v", others, want)
		}
		if tl, err := s.Timeline(w.asAnalyst, w.deeRef); err != nil || len(tl.Items) != 2 {
			t.Fatalf("an analyst's timeline of Dee = %+v, %v; want 2 links", tl, err)
		}
		if tl, err := s.Timeline(w.asPolice, w.kezRef); err != nil || len(tl.Items) != 3 {
			t.Fatalf("the police's timeline of Kez = %d links, %v; want 3 (not Bella's)", len(tl.Items), err)
		}
		if _, err := s.Timeline(w.asPolice, w.bellaRef); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("an unseen child's timeline: %v, want not found", err)
		}

		// Hotspots: the shop, in March (Cara) and June (Kez, Bella).
		from := lantern.Date{Year: 2026, Month: 1, Day: 1}
		hs, err := s.Hotspots(w.asPolice, from, w.now)
		if err != nil {
			t.Fatal(err)
		}
		if len(hs.Places) != 1 || len(hs.Months) != 11 {
			t.Fatalf("hotspots = %+v", hs)
		}
		h := hs.Places[0]
		if h.Place.ID != w.shop.ID || h.Items != 3 || h.Children != 2 || h.HiddenChildren != 1 || h.Persons != 1 || h.Lat == nil ||
			!slices.Equal(h.Months, []lantern.MonthCount{{Month: "2026-03", Items: 1}, {Month: "2026-06", Items: 2}}) {
			t.Fatalf("the shop = %+v", h)
		}
		if hs, err := s.Hotspots(w.asCoord, from, w.now); err != nil || hs.Places[0].HiddenChildren != 0 {
			t.Fatalf("the coordinator's hotspots = %+v, %v", hs, err)
		}
		if hs, err := s.Hotspots(w.asPolice, lantern.Date{Year: 2026, Month: 4, Day: 1}, lantern.Date{Year: 2026, Month: 5, Day: 31}); err != nil || len(hs.Places) != 0 {
			t.Fatalf("hotspots in April and May = %+v, %v; want none", hs, err)
		}
		if _, err := s.Hotspots(w.asPolice, lantern.Date{Year: 2020, Month: 1, Day: 1}, w.now); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Fatalf("hotspots over six years: %v, want invalid", err)
		}

		// Each read is audited: the path by the children it showed.
		es, _, err := s.SearchAudit(storetest.As(w.f.Auditor), store.AuditFilter{Action: "intel.path.read", ChildID: w.other.ID, Limit: 10})
		if err != nil || len(es) != 1 {
			t.Fatalf("the coordinator's path through Bella: %d audit entries, %v; want 1", len(es), err)
		}
		for _, a := range []string{"intel.shared.read", "intel.groups.read", "intel.most-connected.read", "intel.hotspots.read", "intel.links.read"} {
			if es, _, err := s.SearchAudit(storetest.As(w.f.Auditor), store.AuditFilter{Action: a, Limit: 1}); err != nil || len(es) == 0 {
				t.Errorf("no %s in the audit trail (%v)", a, err)
			}
		}
	})
}
