package intelgen

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"lantern"
	"lantern/store"
)

// Loaded is what Load gave ids to.
type Loaded struct {
	store.ImportedIDs
	Children []string
}

// Load imports a set into a store: the children through the store as the
// coordinator, a thousand a transaction (so their records are whole), then
// the entities and links in batches as the operator (sys), recorded as made
// by police. It says how long each part took on out.
func Load(ctx, sys context.Context, st *store.Store, set *Set, police, coord *lantern.User, out io.Writer) (*Loaded, error) {
	return LoadLinked(ctx, sys, st, set, police, coord, nil, out)
}

// LoadLinked is Load with the set's children those of a generated
// population (LoadPopulation), by id: its child i is children[i] (spread
// over the list when the set has more children than the list), and the
// set's own children are not made.
func LoadLinked(ctx, sys context.Context, st *store.Store, set *Set, police, coord *lantern.User, children []string, out io.Writer) (*Loaded, error) {
	imported := time.Now()
	asCoord := lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, coord), lantern.RequestInfo{Why: "generated data"})
	childIDs := make([]string, 0, len(set.Children))
	if len(children) > 0 {
		// Spread over the list (its areas in order), wrapping when short.
		for i := range set.Children {
			childIDs = append(childIDs, children[(i*max(1, len(children)/len(set.Children)))%len(children)])
		}
	}
	const childBatch = 1000
	for i := 0; i < len(set.Children) && len(children) == 0; i += childBatch {
		var ins []lantern.ChildInput
		for _, c := range set.Children[i:min(i+childBatch, len(set.Children))] {
			ins = append(ins, lantern.ChildInput{GivenName: c.Given, FamilyName: c.Family, DateOfBirth: c.DateOfBirth, Gender: c.Gender})
		}
		cs, err := st.CreateChildren(asCoord, ins)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			childIDs = append(childIDs, c.ID)
		}
	}
	fmt.Fprintf(out, "children in %s\n", time.Since(imported).Round(time.Millisecond))
	ids := &store.ImportedIDs{}
	const batch = 20_000
	var vehicles []lantern.Vehicle
	for _, v := range set.Vehicles {
		vehicles = append(vehicles, lantern.Vehicle{VRM: v.VRM, Colour: v.Colour, Make: v.Make, Model: v.Model})
	}
	var places []lantern.Place
	for _, p := range set.Places {
		lat, lon := p.Lat, p.Lon
		pl := lantern.Place{Name: p.Name, Postcode: p.Postcode, Lat: &lat, Lon: &lon, Hotspot: p.Hotspot}
		if p.Hotspot {
			pl.HotspotReason = "Generated: children and adults seen there"
		}
		places = append(places, pl)
	}
	var accounts []lantern.Account
	for _, a := range set.Accounts {
		accounts = append(accounts, lantern.Account{Platform: a.Platform, Handle: a.Handle})
	}
	n := max(len(set.Persons), len(vehicles), len(set.Phones), len(places), len(accounts))
	for i := 0; i < n; i += batch {
		part := func(l int) (int, int) { return min(i, l), min(i+batch, l) }
		in := &store.IntelImport{}
		a, b := part(len(set.Persons))
		in.Persons = set.Persons[a:b]
		a, b = part(len(vehicles))
		in.Vehicles = vehicles[a:b]
		a, b = part(len(set.Phones))
		in.Phones = set.Phones[a:b]
		a, b = part(len(places))
		in.Places = places[a:b]
		a, b = part(len(accounts))
		in.Accounts = accounts[a:b]
		got, err := st.ImportIntel(sys, in, police.ID, police.AgencyID)
		if err != nil {
			return nil, err
		}
		ids.Persons = append(ids.Persons, got.Persons...)
		ids.Vehicles = append(ids.Vehicles, got.Vehicles...)
		ids.Phones = append(ids.Phones, got.Phones...)
		ids.Places = append(ids.Places, got.Places...)
		ids.Accounts = append(ids.Accounts, got.Accounts...)
	}
	fmt.Fprintf(out, "entities in %s\n", time.Since(imported).Round(time.Millisecond))
	ref := func(r Ref) lantern.EntityRef {
		list := [...][]string{childIDs, ids.Persons, ids.Vehicles, ids.Phones, ids.Places, ids.Accounts}[r.Kind]
		return lantern.EntityRef{Type: r.Kind.EntityType(), ID: list[r.Idx]}
	}
	last := lantern.Today(time.Now())
	// Batches of links go in from one worker a CPU: PostgreSQL inserts
	// each transaction's rows on one core of its own, so two at once take
	// about half the time; on SQLite they take turns at its one writer.
	const linkBatch = 50_000
	batches := make(chan []store.ImportLink)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 4) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				if err := st.ImportLinks(sys, b, police.ID, police.AgencyID); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	var err error
	for start := 0; start < len(set.Links) && err == nil; start += linkBatch {
		links := make([]store.ImportLink, 0, linkBatch)
		for _, l := range set.Links[start:min(start+linkBatch, len(set.Links))] {
			links = append(links, store.ImportLink{From: ref(l.From), To: ref(l.To), Kind: l.Kind, Observed: last.AddDays(-int(l.DaysAgo)),
				Grading: Grades[l.Grade], Source: "Generated intelligence (fictional)"})
		}
		select {
		case batches <- links:
		case err = <-errs:
		}
	}
	close(batches)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "imported in %s\n", time.Since(imported).Round(time.Millisecond))
	return &Loaded{ImportedIDs: *ids, Children: childIDs}, nil
}

// generateAgencies are the fictional agencies a generated set is recorded
// by: its intelligence by a national police unit, its children by a
// children's social care.
const (
	genPolice            = "National intelligence unit (generated, fictional)"
	genCSC               = "Generated children's services (fictional)"
	GeneratedPolice      = "generated.intelligence@police.example.org"
	GeneratedCoordinator = "generated.coordinator@csc.example.org"
)

// Accounts finds or makes the generated set's agencies and their accounts:
// a police officer, who records the intelligence, and a CSE coordinator,
// who records the children and sees them all.
func Accounts(sys context.Context, st *store.Store) (police, coord *lantern.User, err error) {
	if police, err = genAccount(sys, st, genPolice, lantern.KindPolice, GeneratedPolice, lantern.RolePolice); err != nil {
		return nil, nil, err
	}
	coord, err = genAccount(sys, st, genCSC, lantern.KindChildrensSocialCare, GeneratedCoordinator, lantern.RoleCSECoordinator)
	return police, coord, err
}

// genAccount finds or makes a generated agency and its one account.
func genAccount(sys context.Context, st *store.Store, agency string, kind lantern.AgencyKind, email string, role lantern.Role) (*lantern.User, error) {
	a, err := st.FindAgency(sys, agency)
	if lantern.ErrorCode(err) == lantern.ENOTFOUND {
		a, err = st.CreateAgency(sys, lantern.AgencyInput{Name: agency, Kind: kind})
	}
	if err != nil {
		return nil, err
	}
	u, err := st.FindUserByEmail(sys, email)
	if lantern.ErrorCode(err) == lantern.ENOTFOUND {
		u, err = st.CreateUser(sys, lantern.UserInput{Email: email, Name: "Generated " + string(role), AgencyID: a.ID, Roles: []lantern.Role{role},
			Password: randomPassword()})
	}
	return u, err
}

// randomPassword is a password no one knows: the generated accounts are
// not for signing in.
func randomPassword() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
