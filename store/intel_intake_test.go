package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

const intakeText = "Amira got into a silver Astra, WX19 ?XK, driven by a man she calls Dee, who texts her from 07700 900123; " +
	"they went to the Chicken Shack on Mill Lane. She follows @deezy_99 on Snapchat."

// involveSchool makes the school involved with the world's child, so that
// its teacher sees them.
func involveSchool(t *testing.T, s *store.Store, w *intelWorld) {
	t.Helper()
	if _, err := s.Involve(storetest.As(w.f.SocialWorker), w.child.ID, lantern.InvolvementInput{AgencyID: w.f.School.ID, Reason: "Attends the school"}); err != nil &&
		lantern.ErrorCode(err) != lantern.ECONFLICT {
		t.Fatal(err)
	}
}

func linksOf(t *testing.T, s *store.Store, w *intelWorld) []*lantern.Link {
	t.Helper()
	ls, _, err := s.EntityLinks(w.asPolice, ref(lantern.EntityChild, w.child.ID))
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestIntelIntake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		involveSchool(t, s, w)
		// Held already: the number, and a person called Dee.
		phone, _, err := s.CreatePhone(w.asPolice, "+44 7700 900123")
		if err != nil {
			t.Fatal(err)
		}
		dee, err := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Dee"}, Description: "Drives a silver Astra"})
		if err != nil {
			t.Fatal(err)
		}
		k, err := s.CreateConcern(w.asSchool, w.child.ID, lantern.ConcernInput{RaisedAt: clock.Now().Add(-time.Hour), Summary: intakeText})
		if err != nil {
			t.Fatal(err)
		}
		src, err := s.IntakeSource(w.asSchool, w.child.ID, "concern", k.ID)
		if err != nil || src.Text != intakeText || !strings.HasPrefix(src.Label, "Concern recorded 20") {
			t.Fatalf("source: %+v %v", src, err)
		}

		// The school may record intelligence but not read it: held numbers
		// are "already held", nothing more; a person is never matched.
		sg, err := s.IntakeSuggestions(w.asSchool, w.child.ID, src)
		if err != nil {
			t.Fatal(err)
		}
		byType := map[lantern.EntityType]lantern.IntakeSuggestion{}
		for _, g := range sg {
			byType[g.Type] = g
			if g.Matches != nil {
				t.Errorf("a partner was shown matches: %+v", g)
			}
		}
		if !byType[lantern.EntityPhone].Held || byType[lantern.EntityPerson].Held || byType[lantern.EntityVehicle].Held {
			t.Errorf("partner's held: %+v", sg)
		}
		if byType[lantern.EntityPlace].Value != "Chicken Shack" || byType[lantern.EntityAccount].Platform != "Snapchat" {
			t.Errorf("suggestions: %+v", sg)
		}
		// The police read intelligence: Dee is a match, by id.
		sg, err = s.IntakeSuggestions(w.asPolice, w.child.ID, src)
		if err != nil {
			t.Fatal(err)
		}
		var deeMatched bool
		for _, g := range sg {
			for _, m := range g.Matches {
				deeMatched = deeMatched || m.ID == dee.ID
			}
		}
		if !deeMatched {
			t.Errorf("the police were not offered Dee: %+v", sg)
		}

		// A fault anywhere stores nothing.
		before := len(linksOf(t, s, w))
		items := []lantern.IntakeItem{
			{Type: lantern.EntityPhone, Kind: lantern.LinkCalled, Number: "07700 900123"},
			{Type: lantern.EntityVehicle, Kind: lantern.LinkCollectedFrom, VRM: "not a plate!"},
		}
		_, err = s.RecordIntake(w.asSchool, w.child.ID, src, items)
		if lantern.ErrorCode(err) != lantern.EINVALID || lantern.ErrorFields(err)[0].Field != "items[1].vrm" {
			t.Fatalf("bad vrm: %v", err)
		}
		if n := len(linksOf(t, s, w)); n != before {
			t.Fatalf("links after a refusal: %d, was %d", n, before)
		}
		// A partner may not choose a held record by id.
		_, err = s.RecordIntake(w.asSchool, w.child.ID, src, []lantern.IntakeItem{{Type: lantern.EntityPerson, Kind: lantern.LinkAssociate, Held: dee.ID}})
		if lantern.ErrorCode(err) != lantern.EINVALID || lantern.ErrorFields(err)[0].Field != "items[0].held" {
			t.Fatalf("partner's held id: %v", err)
		}
		// A kind that does not fit the thing is named.
		_, err = s.RecordIntake(w.asSchool, w.child.ID, src, []lantern.IntakeItem{{Type: lantern.EntityPhone, Kind: lantern.LinkFoundAt, Number: "07700 900123"}})
		if lantern.ErrorCode(err) != lantern.EINVALID || lantern.ErrorFields(err)[0].Field != "items[0].kind" {
			t.Fatalf("kind: %v", err)
		}

		items = []lantern.IntakeItem{
			{Type: lantern.EntityPhone, Kind: lantern.LinkCalled, Number: "07700 900123"},
			{Type: lantern.EntityVehicle, Kind: lantern.LinkCollectedFrom, VRM: "WX19 ?XK", Colour: "silver", Make: "Vauxhall", Model: "Astra"},
			{Type: lantern.EntityPerson, Kind: lantern.LinkAssociate, StreetName: "Dee", Description: "Drives the Astra", HowKnown: "Amira told her teacher"},
			{Type: lantern.EntityPlace, Kind: lantern.LinkSeenAt, Name: "Chicken Shack", Address: "Mill Lane"},
			{Type: lantern.EntityAccount, Kind: lantern.LinkOnlineContact, Platform: "Snapchat", Handle: "@deezy_99"},
		}
		got, err := s.RecordIntake(w.asSchool, w.child.ID, src, items)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 5 || got[0].ID != phone.ID || got[0].Created || !got[1].Created || !got[2].Created || got[2].ID == dee.ID {
			t.Fatalf("recorded: %+v", got)
		}
		ls := linksOf(t, s, w)
		if len(ls) != before+5 {
			t.Fatalf("%d links, want %d", len(ls), before+5)
		}
		for _, l := range ls {
			if l.SourceRecord == nil || l.SourceRecord.Type != "concern" || l.SourceRecord.ID != k.ID || l.Source != src.Label || l.From.ID != w.child.ID {
				t.Errorf("link not sourced to the concern: %+v", l)
			}
		}
		// The police choose Dee as held; the link is in the graph index at
		// once, not only with the next poll.
		keepGraph(t, s)
		got, err = s.RecordIntake(w.asPolice, w.child.ID, src, []lantern.IntakeItem{{Type: lantern.EntityPerson, Kind: lantern.LinkAssociate, Held: dee.ID}})
		if err != nil || got[0].ID != dee.ID || got[0].Created {
			t.Fatalf("police held: %+v %v", got, err)
		}
		if n, err := s.Network(w.asPolice, w.child.ID, lantern.NetworkQuery{Hops: 1}); err != nil || !strings.Contains(shape(n), dee.ID) {
			t.Fatalf("Dee is not in the index's network at once: %v\n%s", err, shape(n))
		}

		// A record of another child is not found through this one.
		otherK, err := s.CreateConcern(storetest.As(w.f.SocialWorker), w.other.ID, lantern.ConcernInput{RaisedAt: clock.Now().Add(-time.Hour), Summary: "Seen with Dee"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.IntakeSource(storetest.As(w.f.SocialWorker), w.child.ID, "concern", otherK.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("another child's concern: %v", err)
		}
		// The school does not see the other child at all.
		if _, err := s.IntakeSource(w.asSchool, w.other.ID, "concern", otherK.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("unseen child: %v", err)
		}
		// Someone who may not record intelligence is refused.
		if _, err := s.IntakeSuggestions(storetest.As(w.f.Auditor), w.child.ID, src); err == nil {
			t.Fatal("the auditor was offered suggestions")
		}
	})
}

func TestIntelPrompts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newIntelWorld(t, s)
		involveSchool(t, s, w)
		sw := storetest.As(w.f.SocialWorker)
		mk := func(ctx context.Context, from, to lantern.EntityRef, kind lantern.LinkKind) *lantern.Link {
			t.Helper()
			l, err := s.CreateLink(ctx, &lantern.Link{From: from, To: to, Kind: kind, Source: "Strategy meeting"})
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		child := ref(lantern.EntityChild, w.child.ID)
		// Nothing held: nothing suggested.
		if ps, err := s.IntelPrompts(sw, w.child.ID); err != nil || len(ps) != 0 {
			t.Fatalf("no intelligence: %+v %v", ps, err)
		}
		dee, _ := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
		kane, _ := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Kane"}})
		shack, _ := s.CreatePlace(w.asPolice, &lantern.Place{Name: "Chicken Shack", Hotspot: true, HotspotReason: "Children taken there"})
		school, _ := s.CreatePlace(w.asPolice, &lantern.Place{Name: "Riverside Academy"})
		phone, _, _ := s.CreatePhone(w.asPolice, "07700 900123")
		direct := mk(sw, child, ref(lantern.EntityPerson, dee.ID), lantern.LinkAssociate)
		hot := mk(sw, child, ref(lantern.EntityPlace, shack.ID), lantern.LinkSeenAt)
		mk(sw, child, ref(lantern.EntityPlace, school.ID), lantern.LinkSeenAt) // not a hotspot
		called := mk(sw, child, ref(lantern.EntityPhone, phone.ID), lantern.LinkCalled)
		mk(w.asPolice, ref(lantern.EntityPerson, kane.ID), ref(lantern.EntityPhone, phone.ID), lantern.LinkUsesPhone)
		// Handling C suggests nothing to a partner.
		secret, _ := s.CreatePerson(w.asPolice, &lantern.PersonOfConcern{Aliases: []string{"Covert"}})
		if _, err := s.CreateLink(w.asPolice, &lantern.Link{From: child, To: ref(lantern.EntityPerson, secret.ID), Kind: lantern.LinkAssociate, Source: "CHIS",
			Grading: &lantern.Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "Police only"}}); err != nil {
			t.Fatal(err)
		}

		ps, err := s.IntelPrompts(w.asSchool, w.child.ID)
		if err != nil {
			t.Fatal(err)
		}
		type key struct{ ind, link string }
		var keys []key
		for _, p := range ps {
			keys = append(keys, key{p.Indicator, p.LinkID})
			if p.Entity != nil || p.Label != "" || p.Via != "" || strings.Contains(p.Text, "Dee") || strings.Contains(p.Text, "Kane") ||
				strings.Contains(p.Text, "Chicken") || !strings.HasPrefix(p.Text, "Intelligence held links this child to ") {
				t.Errorf("a partner told too much: %+v", p)
			}
		}
		want := []key{{lantern.IndicatorKnownPerpetrators, direct.ID}, {lantern.IndicatorKnownPerpetrators, called.ID}, {lantern.IndicatorHotspotAreas, hot.ID}}
		if len(keys) != len(want) {
			t.Fatalf("prompts %+v, want %+v", keys, want)
		}
		for _, k := range want {
			if !slices.Contains(keys, k) {
				t.Errorf("missing %+v in %+v", k, keys)
			}
		}
		// The police read: names, the phone between, the hidden link too.
		ps, err = s.IntelPrompts(w.asPolice, w.child.ID)
		if err != nil {
			t.Fatal(err)
		}
		var text []string
		for _, p := range ps {
			text = append(text, p.Text)
		}
		all := strings.Join(text, "\n")
		if len(ps) != 4 || !strings.Contains(all, "Dee") || !strings.Contains(all, "Kane") || !strings.Contains(all, "+447700900123") || !strings.Contains(all, "Chicken Shack") {
			t.Errorf("police prompts:\n%s", all)
		}

		// A suggestion never ticks itself: an assessment that does not
		// touch it has neither indicator, and no decision is kept.
		in := toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}}, Analysis: "Missing twice"}
		a, err := s.CreateAssessment(sw, w.child.ID, "", in)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(a.Indicators, lantern.IndicatorKnownPerpetrators) || slices.Contains(a.Indicators, lantern.IndicatorHotspotAreas) {
			t.Fatalf("an indicator ticked itself: %v", a.Indicators)
		}
		if ds, err := s.AssessmentPrompts(sw, w.child.ID, a.ID); err != nil || len(ds) != 0 {
			t.Fatalf("decisions kept untouched: %+v %v", ds, err)
		}
		// Confirming without the tick, declining without a reason, and a
		// link that suggests nothing are refused.
		for _, tc := range []struct {
			name string
			d    lantern.PromptDecision
		}{
			{"confirmed unticked", lantern.PromptDecision{Indicator: lantern.IndicatorKnownPerpetrators, LinkID: direct.ID, Decision: lantern.PromptConfirmed}},
			{"declined without a reason", lantern.PromptDecision{Indicator: lantern.IndicatorHotspotAreas, LinkID: hot.ID, Decision: lantern.PromptDeclined}},
			{"not a suggestion", lantern.PromptDecision{Indicator: lantern.IndicatorHotspotAreas, LinkID: direct.ID, Decision: lantern.PromptDeclined, Reason: "No"}},
		} {
			in := in
			in.Prompts = []lantern.PromptDecision{tc.d}
			if _, err := s.CreateAssessment(sw, w.child.ID, "", in); lantern.ErrorCode(err) != lantern.EINVALID {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		// Confirmed (ticked, with evidence) and declined with a reason: kept.
		in = toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing", lantern.IndicatorKnownPerpetrators}},
			Evidence: map[string]string{lantern.IndicatorKnownPerpetrators: "Seen with Dee by staff"}, Analysis: "Associating with Dee",
			Prompts: []lantern.PromptDecision{
				{Indicator: lantern.IndicatorKnownPerpetrators, LinkID: direct.ID, Decision: lantern.PromptConfirmed},
				{Indicator: lantern.IndicatorHotspotAreas, LinkID: hot.ID, Decision: lantern.PromptDeclined, Reason: "She works there on Saturdays"}}}
		a, err = s.CreateAssessment(sw, w.child.ID, "", in)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := s.AssessmentPrompts(sw, w.child.ID, a.ID)
		if err != nil || len(ds) != 2 || ds[0].Decision != lantern.PromptDeclined || ds[0].Reason != "She works there on Saturdays" ||
			ds[1].Decision != lantern.PromptConfirmed || ds[1].LinkID != direct.ID {
			t.Fatalf("decisions: %+v %v", ds, err)
		}
	})
}
