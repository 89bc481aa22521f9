package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// keepGraph starts s's graph index and waits until it is built.
func keepGraph(t *testing.T, s *store.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.KeepGraph(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	for deadline := time.Now().Add(20 * time.Second); !s.GraphStats().Ready; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) || s.GraphStats().Err != "" {
			t.Fatalf("the graph index was not built: %+v", s.GraphStats())
		}
	}
}

// shape is a network as sets, to compare two ways of reading it.
func shape(n *lantern.Network) string {
	var nodes, edges, hubs []string
	for _, x := range n.Nodes {
		nodes = append(nodes, fmt.Sprintf("%s:%s@%d/%d", x.Type, x.ID, x.Hop, x.Links))
	}
	for _, e := range n.Edges {
		g := ""
		if e.Grading != nil {
			g = e.Grading.String()
		}
		edges = append(edges, fmt.Sprintf("%s %s-%s %s %s", e.ID, e.From, e.To, e.Kind, g))
	}
	for _, h := range n.Hubs {
		hubs = append(hubs, h.ID)
	}
	slices.Sort(nodes)
	slices.Sort(edges)
	slices.Sort(hubs)
	return fmt.Sprintf("nodes %v\nedges %v\nhubs %v truncated %v hidden %d", nodes, edges, hubs, n.Truncated, n.HiddenChildren)
}

// TestIntelGraphMatchesDatabase: the network read from the graph index is
// the one read from the database, for every reader and filter; a link
// written through another replica is in this one's network within a
// second or so, and a withdrawn one leaves it.
func TestIntelGraphMatchesDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		mk := func(alias string) *lantern.PersonOfConcern {
			p, err := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{alias}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		link := func(from, to lantern.EntityRef, k lantern.LinkKind, g *lantern.Grading, on *lantern.Date) *lantern.Link {
			l, err := s.CreateLink(w.asPolice, &lantern.Link{From: from, To: to, Kind: k, Source: "Test", Grading: g, ObservedFrom: on})
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		dee, kez := mk("Dee"), mk("Kez")
		shop, _ := s.CreatePlace(w.asPolice, &lantern.Place{Name: "Shop", Hotspot: true, HotspotReason: "Seen"})
		car, _, _ := s.CreateVehicle(w.asPolice, &lantern.Vehicle{VRM: "NM11 AAA"})
		child := ref(lantern.EntityChild, w.child.ID)
		link(child, ref(lantern.EntityPerson, dee.ID), lantern.LinkAssociate, &lantern.Grading{Source: "1", Intelligence: "B", Handling: "P"}, &lantern.Date{Year: 2026, Month: 3, Day: 1})
		link(ref(lantern.EntityPerson, dee.ID), ref(lantern.EntityPerson, kez.ID), lantern.LinkAssociate, nil, nil)
		link(ref(lantern.EntityPerson, dee.ID), ref(lantern.EntityVehicle, car.ID), lantern.LinkUsesVehicle,
			&lantern.Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "Police only"}, &lantern.Date{Year: 2026, Month: 6, Day: 1})
		link(ref(lantern.EntityPerson, kez.ID), ref(lantern.EntityPlace, shop.ID), lantern.LinkSeenAt, &lantern.Grading{Source: "2", Intelligence: "C", Handling: "P"}, nil)
		if _, err := s.CreateLink(storetest.As(w.f.SocialWorker), &lantern.Link{From: ref(lantern.EntityChild, w.other.ID), To: ref(lantern.EntityPerson, kez.ID),
			Kind: lantern.LinkAssociate, Source: "Return interview"}); err != nil {
			t.Fatal(err)
		}
		for i := range 205 {
			p := mk(fmt.Sprintf("Customer %d", i))
			link(ref(lantern.EntityPerson, p.ID), ref(lantern.EntityPlace, shop.ID), lantern.LinkSeenAt, nil, nil)
		}
		from, to := lantern.Date{Year: 2026, Month: 2, Day: 1}, lantern.Date{Year: 2026, Month: 4, Day: 1}
		queries := []lantern.NetworkQuery{{Hops: 1}, {Hops: 2}, {Hops: 3},
			{Hops: 3, Expand: []lantern.EntityRef{ref(lantern.EntityPlace, shop.ID)}},
			{Hops: 3, Kinds: []lantern.LinkKind{lantern.LinkAssociate}},
			{Hops: 2, Least: &lantern.Grading{Source: "1", Intelligence: "B"}},
			{Hops: 2, From: &from, To: &to}}
		readers := map[string]context.Context{"police": w.asPolice, "analyst": storetest.As(w.analyst), "coordinator": storetest.As(w.coord)}
		fromDB := map[string]string{}
		for name, ctx := range readers {
			for i, q := range queries {
				n, err := s.Network(ctx, w.child.ID, q)
				if err != nil {
					t.Fatal(err)
				}
				fromDB[fmt.Sprint(name, i)] = shape(n)
			}
		}
		// Counts leave out the handling-C link (Dee's car) for all but the police.
		counts := func(from string) {
			t.Helper()
			for name, ctx := range readers {
				n, err := s.Network(ctx, w.child.ID, lantern.NetworkQuery{Hops: 1})
				if err != nil {
					t.Fatal(err)
				}
				want := 2
				if name == "police" {
					want = 3
				}
				for _, x := range n.Nodes {
					if x.ID == dee.ID && x.Links != want {
						t.Errorf("from %s, %s sees Dee with %d links, want %d", from, name, x.Links, want)
					}
				}
			}
		}
		counts("the database")
		keepGraph(t, s)
		counts("the index")
		for name, ctx := range readers {
			for i, q := range queries {
				n, err := s.Network(ctx, w.child.ID, q)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := shape(n), fromDB[fmt.Sprint(name, i)]; got != want {
					t.Errorf("%s, query %d (%+v):\nfrom the index:\n%s\nfrom the database:\n%s", name, i, q, got, want)
				}
			}
		}
	})
}

// TestIntelGraphReplicas: a link written through one replica is in the
// other's network soon after, and a link withdrawn through it leaves.
func TestIntelGraphReplicas(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			rs := storetest.Replicas(t, storetest.Config(t, d), 2)
			a, b := rs[0], rs[1]
			w := newIntelWorld(t, a)
			keepGraph(t, b)
			p, err := a.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
			if err != nil {
				t.Fatal(err)
			}
			l, err := a.CreateLink(w.asPolice, &lantern.Link{From: ref(lantern.EntityChild, w.child.ID), To: ref(lantern.EntityPerson, p.ID), Kind: lantern.LinkAssociate, Source: "Test"})
			if err != nil {
				t.Fatal(err)
			}
			nodes := func() int {
				n, err := b.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 1})
				if err != nil {
					t.Fatal(err)
				}
				return len(n.Nodes)
			}
			wait := func(want int, what string) {
				t.Helper()
				for deadline := time.Now().Add(10 * time.Second); nodes() != want; time.Sleep(50 * time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("%s: the other replica's network has %d nodes, want %d", what, nodes(), want)
					}
				}
			}
			wait(2, "a link written through the first replica")
			if _, err := a.GradeLink(w.asPolice, l.ID, lantern.Grading{Source: "1", Intelligence: "A", Handling: "P"}, ""); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				n, err := b.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 1, Least: &lantern.Grading{Source: "1", Intelligence: "A"}})
				if err != nil {
					t.Fatal(err)
				}
				if len(n.Nodes) == 2 && n.Edges[0].Grading.String() == "1A P" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the other replica does not see the new grade: %+v", n)
				}
			}
			if err := a.WithdrawLink(w.asPolice, l.ID); err != nil {
				t.Fatal(err)
			}
			wait(1, "a link withdrawn through the first replica")
		})
	}
}

// TestIntelGraphMerges: a merge or unmerge made through a replica moves the
// links in its own index at once, and in another's with its poll; each
// index then gives the network the database gives, through chains of
// merges and their undoing.
func TestIntelGraphMerges(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			rs := storetest.Replicas(t, storetest.Config(t, d), 3)
			db, a, b := rs[0], rs[1], rs[2] // db has no index: it reads the database
			w := newIntelWorld(t, db)
			keepGraph(t, a)
			keepGraph(t, b)
			mk := func(alias string) string {
				p, err := a.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{alias}})
				if err != nil {
					t.Fatal(err)
				}
				return p.ID
			}
			link := func(from, to lantern.EntityRef, k lantern.LinkKind) {
				if _, err := a.CreateLink(w.asPolice, &lantern.Link{From: from, To: to, Kind: k, Source: "Test"}); err != nil {
					t.Fatal(err)
				}
			}
			p1, p2, p3 := mk("Dee"), mk("D-Money"), mk("Kez")
			car, _, err := a.CreateVehicle(w.asPolice, &lantern.Vehicle{VRM: "NM11 AAB"})
			if err != nil {
				t.Fatal(err)
			}
			shop, err := a.CreatePlace(w.asPolice, &lantern.Place{Name: "Shop"})
			if err != nil {
				t.Fatal(err)
			}
			person := func(id string) lantern.EntityRef { return ref(lantern.EntityPerson, id) }
			link(ref(lantern.EntityChild, w.child.ID), person(p1), lantern.LinkAssociate)
			link(person(p2), ref(lantern.EntityVehicle, car.ID), lantern.LinkUsesVehicle)
			link(person(p2), person(p3), lantern.LinkAssociate)
			link(person(p3), ref(lantern.EntityPlace, shop.ID), lantern.LinkSeenAt)
			link(person(p1), person(p2), lantern.LinkAssociate) // a self-link once they are one
			q := lantern.NetworkQuery{Hops: 3}
			read := func(s *store.Store) string {
				n, err := s.Network(w.asPolice, w.child.ID, q)
				if err != nil {
					t.Fatal(err)
				}
				return shape(n)
			}
			check := func(what string) {
				t.Helper()
				want := read(db)
				if got := read(a); got != want {
					t.Errorf("%s: the replica that made it, at once:\n%s\nthe database:\n%s", what, got, want)
				}
				for deadline := time.Now().Add(10 * time.Second); read(b) != want; time.Sleep(50 * time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("%s: the other replica:\n%s\nthe database:\n%s", what, read(b), want)
					}
				}
			}
			check("before any merge")
			before := read(db)
			if err := a.MergePersons(w.asPolice, p2, p1); err != nil {
				t.Fatal(err)
			}
			if read(db) == before {
				t.Fatal("the merge changed nothing in the database's network: the test proves nothing")
			}
			check("D-Money merged into Dee")
			if err := a.MergePersons(w.asPolice, p1, p3); err != nil {
				t.Fatal(err)
			}
			check("Dee (with D-Money) merged into Kez")
			if err := a.UnmergePerson(w.asPolice, p1); err != nil {
				t.Fatal(err)
			}
			check("Dee (with D-Money) apart from Kez again")
			if err := a.UnmergePerson(w.asPolice, p2); err != nil {
				t.Fatal(err)
			}
			check("D-Money apart from Dee again")
			if got := read(db); got != before {
				t.Errorf("after undoing both merges:\n%s\nbefore them:\n%s", got, before)
			}
		})
	}
}
