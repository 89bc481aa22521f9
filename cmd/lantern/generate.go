package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"lantern"
	"lantern/intelgen"
	"lantern/store"
)

// generateAgencies are the fictional agencies a generated set is recorded
// by: its intelligence by a national police unit, its children by a
// children's social care.
const (
	genPolice    = "National intelligence unit (generated, fictional)"
	genCSC       = "Generated children's services (fictional)"
	genPoliceWho = "generated.intelligence@police.example.org"
	genCSCWho    = "generated.coordinator@csc.example.org"
)

// demoGenerate makes a national-scale synthetic set of intelligence
// (package intelgen) and imports it: children, then persons, vehicles,
// phones, places and accounts, then links, in batches. With --truth it
// writes who is who (each person's id, the person they are, and their name
// origin) as CSV, to measure entity resolution against.
func demoGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var seed int64
	var scale float64
	var truth string
	return adminCommand(ctx, "demo generate", args, stderr, func(fs *flag.FlagSet) {
		fs.Int64Var(&seed, "seed", 1, "the generator's seed: the same seed and scale give the same set")
		fs.Float64Var(&scale, "scale", 0.01, "1 is national: 2 million entities and 10 million links")
		fs.StringVar(&truth, "truth", "", "write who is who to this CSV file")
	}, func(sys context.Context, st *store.Store) error {
		if scale <= 0 || scale > 2 {
			return lantern.Invalid(lantern.FieldError{Field: "scale", Message: "The scale must be above 0 and at most 2"})
		}
		start := time.Now()
		set := intelgen.Generate(seed, scale)
		fmt.Fprintf(stdout, "generated %d persons, %d vehicles, %d phones, %d places, %d accounts, %d children and %d links in %s\n",
			len(set.Persons), len(set.Vehicles), len(set.Phones), len(set.Places), len(set.Accounts), len(set.Children), len(set.Links), time.Since(start).Round(time.Millisecond))
		police, err := genAccount(sys, st, genPolice, lantern.KindPolice, genPoliceWho, lantern.RolePolice)
		if err != nil {
			return err
		}
		coord, err := genAccount(sys, st, genCSC, lantern.KindChildrensSocialCare, genCSCWho, lantern.RoleCSECoordinator)
		if err != nil {
			return err
		}
		imported := time.Now()
		asCoord := lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, coord), lantern.RequestInfo{Why: "generated data"})
		childIDs := make([]string, len(set.Children))
		for i, c := range set.Children {
			ch, err := st.CreateChild(asCoord, lantern.ChildInput{GivenName: c.Given, FamilyName: c.Family, DateOfBirth: c.DateOfBirth, Gender: c.Gender})
			if err != nil {
				return err
			}
			childIDs[i] = ch.ID
		}
		fmt.Fprintf(stdout, "children in %s\n", time.Since(imported).Round(time.Millisecond))
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
				return err
			}
			ids.Persons = append(ids.Persons, got.Persons...)
			ids.Vehicles = append(ids.Vehicles, got.Vehicles...)
			ids.Phones = append(ids.Phones, got.Phones...)
			ids.Places = append(ids.Places, got.Places...)
			ids.Accounts = append(ids.Accounts, got.Accounts...)
		}
		fmt.Fprintf(stdout, "entities in %s\n", time.Since(imported).Round(time.Millisecond))
		ref := func(r intelgen.Ref) lantern.EntityRef {
			list := [...][]string{childIDs, ids.Persons, ids.Vehicles, ids.Phones, ids.Places, ids.Accounts}[r.Kind]
			return lantern.EntityRef{Type: r.Kind.EntityType(), ID: list[r.Idx]}
		}
		last := lantern.Today(time.Now())
		links := make([]store.ImportLink, 0, 50_000)
		for i, l := range set.Links {
			links = append(links, store.ImportLink{From: ref(l.From), To: ref(l.To), Kind: l.Kind, Observed: last.AddDays(-int(l.DaysAgo)),
				Grading: intelgen.Grades[l.Grade], Source: "Generated intelligence (fictional)"})
			if len(links) == cap(links) || i == len(set.Links)-1 {
				if err := st.ImportLinks(sys, links, police.ID, police.AgencyID); err != nil {
					return err
				}
				links = links[:0]
			}
		}
		fmt.Fprintf(stdout, "imported in %s\n", time.Since(imported).Round(time.Millisecond))
		if truth != "" {
			if err := writeTruth(truth, set, ids.Persons); err != nil {
				return err
			}
		}
		return nil
	})
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

// writeTruth writes person_id, entity and origin, a line a person.
func writeTruth(path string, set *intelgen.Set, ids []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"person_id", "entity", "origin"})
	for i, id := range ids {
		_ = w.Write([]string{id, strconv.Itoa(set.Truth[i]), set.Origin(i)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// randomPassword is a password no one knows: the generated accounts are
// not for signing in.
func randomPassword() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
