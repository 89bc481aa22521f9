package demo_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/demo"
	"lantern/store/storetest"
)

// The demonstration loads into an empty store, once; never beside other
// data, where its published password would be a way in.
func TestDemoLoad(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, d, nil)
			creds, err := demo.Load(ctx, s)
			if err != nil || len(creds) == 0 {
				t.Fatalf("into an empty store: %d sign-ins, %v", len(creds), err)
			}
			again, err := demo.Load(ctx, s)
			if err != nil || len(again) != len(creds) {
				t.Errorf("again: %d sign-ins, %v", len(again), err)
			}

			real := storetest.Open(t, d, nil)
			if _, err := real.CreateAgency(lantern.NewSystemContext(ctx, "test"), lantern.AgencyInput{Name: "Realtown Council", Kind: lantern.KindChildrensSocialCare}); err != nil {
				t.Fatal(err)
			}
			if _, err := demo.Load(ctx, real); !errors.Is(err, demo.ErrNotEmpty) {
				t.Errorf("into a store with an agency: %v, want refused", err)
			}
			if us, err := real.Users(lantern.NewSystemContext(ctx, "test")); err != nil || len(us) != 0 {
				t.Errorf("the refused demonstration left %d users (%v)", len(us), err)
			}
		})
	}
}

// TestDemoStory: the demonstration tells its story. Children of every agency
// with names that fit their genders; referrals waiting at the front door,
// two with immediate risk from a school and the police; a question waiting
// for advice; a child missing now; late work for the social worker; a
// meeting next week; a second agency's alert; and four girls whose
// concerns, from different agencies, name the same adult, car and takeaway.
func TestDemoStory(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, d, nil)
			start := time.Now()
			if _, err := demo.Load(ctx, s); err != nil {
				t.Fatal(err)
			}
			t.Logf("loaded in %s", time.Since(start).Round(time.Millisecond))
			as := func(email string) context.Context {
				u, err := s.FindUserByEmail(lantern.NewSystemContext(ctx, "test"), email)
				if err != nil {
					t.Fatal(err)
				}
				return lantern.NewContextWithUser(ctx, u)
			}
			coord := as("cse.coordinator@northmoor.example.org")
			manager := as("manager@northmoor.example.org")
			sam := as("social.worker@northmoor.example.org")

			rows, total, err := s.FindChildren(coord, lantern.ChildFilter{Limit: 100})
			if err != nil || total < 40 || total > 60 {
				t.Fatalf("%d children (%v), want 40 to 60", total, err)
			}
			byName := map[string][]string{"female": demo.FemaleNames, "male": demo.MaleNames, "non-binary": demo.NeutralNames}
			var missing int
			agencies := map[string]bool{}
			for _, r := range rows {
				if !slices.Contains(byName[r.Gender], r.GivenName) {
					t.Errorf("%s %s is %s: the name is not in the demonstration's names for that gender", r.GivenName, r.FamilyName, r.Gender)
				}
				if r.Age < 11 || r.Age > 17 {
					t.Errorf("%s is %d", r.GivenName, r.Age)
				}
				if r.MissingNow {
					missing++
				}
				for _, a := range r.AgencyIDs {
					agencies[a] = true
				}
			}
			if missing == 0 {
				t.Error("no child is missing now")
			}
			if len(agencies) < 7 {
				t.Errorf("records involve %d agencies, want every partner", len(agencies))
			}

			// The pattern: in three or more children's concerns, from more
			// than one agency.
			pattern, from := 0, map[string]bool{}
			for _, r := range rows {
				cs, err := s.Concerns(coord, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				var shack, car, dee bool
				for _, c := range cs {
					shack = shack || strings.Contains(c.Summary, "Chicken Shack")
					car = car || strings.Contains(c.Summary, "WX19 ?XK")
					dee = dee || strings.Contains(c.Summary, "Dee") || strings.Contains(c.Summary, "D-Money")
					if strings.Contains(c.Summary, "Chicken Shack") {
						from[c.AgencyID] = true
					}
				}
				if shack && car && dee {
					pattern++
					if r.Gender != "female" || r.Age < 13 || r.Age > 15 {
						t.Errorf("the pattern names %s, %s aged %d: want girls of 13 to 15", r.GivenName, r.Gender, r.Age)
					}
				}
			}
			if pattern < 3 || len(from) < 3 {
				t.Errorf("%d children's concerns name the adult, car and takeaway, from %d agencies: want 3 or more of each", pattern, len(from))
			}

			// The front door.
			items, waiting, err := s.FrontDoor(manager, lantern.FrontDoorFilter{})
			if err != nil || waiting < 5 || waiting > 8 {
				t.Fatalf("front door: %d waiting (%v), want 5 to 8", waiting, err)
			}
			immediate := map[string]bool{}
			var rated, late, asks int
			for _, it := range items {
				if it.ImmediateRisk {
					immediate[it.FromAgencyName] = true
				}
				if it.RAG != "" {
					rated++
				}
				if it.DecisionDueAt.Before(s.Now()) {
					late++
				}
				asks += it.OpenAsks
			}
			if !immediate["Riverside Academy (fictional)"] || !immediate["Northmoor Police Exploitation Unit"] {
				t.Errorf("immediate risk from %v, want the school and the police", immediate)
			}
			if rated == 0 || late == 0 || asks == 0 {
				t.Errorf("front door: %d rated, %d late, %d questions to agencies open; want some of each", rated, late, asks)
			}
			ks, err := s.Consultations(manager)
			if err != nil || !slices.ContainsFunc(ks, func(k *lantern.Consultation) bool { return k.Advice == "" }) {
				t.Errorf("no consultation waiting for advice (%v)", err)
			}
			alerts, err := s.Alerts(manager)
			if err != nil || !slices.ContainsFunc(alerts, func(a *lantern.Alert) bool { return a.Kind == lantern.AlertSecondAgency }) {
				t.Errorf("no second agency's alert for the front door (%v)", err)
			}

			// The intelligence the police have linked: Dee, the car and the
			// takeaway join Keira to Tia and Lacey within two hops.
			drew := as("officer@police.example.org")
			if rs, err := s.SearchVRM(drew, "WX19 AXK"); err != nil || len(rs) != 1 {
				t.Errorf("the partial registration: %v %v", rs, err)
			}
			var keira string
			names := map[string]string{}
			for _, r := range rows {
				names[r.ID] = r.GivenName
				if r.GivenName == "Keira" {
					keira = r.ID
				}
			}
			net, err := s.Network(drew, keira, lantern.NetworkQuery{Hops: 2})
			if err != nil {
				t.Fatal(err)
			}
			linked := map[string]bool{}
			for _, n := range net.Nodes {
				if n.Type == lantern.EntityChild {
					linked[names[n.ID]] = true
				}
			}
			if !linked["Tia"] || !linked["Lacey"] || linked["Ruby"] {
				t.Errorf("Keira's network reaches %v, want Tia and Lacey, and Ruby only in free text", linked)
			}

			// The hotspot map is drawn on the fictional wards, the takeaway in
			// Millbrook and the bus station in Moor Top.
			hs, err := s.Hotspots(drew, lantern.Today(s.Now()).AddDays(-300), lantern.Today(s.Now()))
			if err != nil || hs.Boundary == nil || len(hs.Areas) != 4 {
				t.Fatalf("the hotspots' boundary: %+v, %v", hs, err)
			}
			inArea := map[string]int{}
			for _, a := range hs.Areas {
				inArea[a.Area] = a.Places
			}
			if inArea["Millbrook ward (fictional)"] != 1 || inArea["Moor Top ward (fictional)"] != 1 || hs.Outside.Places != 0 || hs.NoPosition.Places != 1 {
				t.Errorf("the places by ward: %v, outside %d, no position %d", inArea, hs.Outside.Places, hs.NoPosition.Places)
			}

			// Sam's late work, and a meeting next week.
			work, err := s.MyWork(sam)
			if err != nil {
				t.Fatal(err)
			}
			var samLate int
			for _, w := range work {
				if w.Late(s.Now()) {
					samLate++
				}
			}
			if samLate < 2 {
				t.Errorf("Sam has %d late tasks, want some", samLate)
			}
			ms, err := s.Meetings(coord, lantern.MeetingFilter{From: s.Now(), Before: s.Now().AddDate(0, 0, 14)})
			if err != nil || len(ms) == 0 {
				t.Errorf("no meeting in the next fortnight (%v)", err)
			}
			held, err := s.Meetings(coord, lantern.MeetingFilter{Before: s.Now()})
			if err != nil || !slices.ContainsFunc(held, func(m *lantern.MeetingSummary) bool { return m.Status == lantern.MeetingHeld }) {
				t.Errorf("no meeting held (%v)", err)
			}
		})
	}
}
