package browser_test

import (
	"slices"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestIntelligence: a police officer starts from a child's record, records
// a person of concern (the error summary first) and how they are linked to
// the child (the error summary again), lands on the person's page, then
// opens the network around the child: axe passes on every page, and the
// drawing holds exactly the nodes and links its tables list.
func TestIntelligence(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	sys := lantern.NewSystemContext(t.Context(), "test")
	police, err := srv.Store.CreateAgency(sys, lantern.AgencyInput{Name: "Moor Police", Kind: lantern.KindPolice})
	if err != nil {
		t.Fatal(err)
	}
	officer, err := srv.Store.CreateUser(sys, lantern.UserInput{Email: "officer@police.example.org", Name: "Drew Officer", AgencyID: police.ID,
		Roles: []lantern.Role{lantern.RolePolice}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	c, err := srv.Store.CreateChild(storetest.As(officer), lantern.ChildInput{GivenName: "Tia", FamilyName: "Network",
		DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 9}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	// Something already linked, two steps out: a place the person will be
	// linked to.
	place, err := srv.Store.CreatePlace(storetest.As(officer), &lantern.Place{Name: "Chicken Shack", Hotspot: true, HotspotReason: "Gatherings late at night"})
	if err != nil {
		t.Fatal(err)
	}

	b := openTab(t, srv.URL, nil)
	b.enrol(officer.Email, storetest.Password)
	b.wantStatus("the child's record", b.navigate("/children/"+c.ID), 200)
	b.wantStatus("record intelligence", b.click(`main a[href="/intelligence/links/new?from=child:`+c.ID+`"]`), 200)
	b.wantPage("/intelligence/links/new", "Record a link")
	if got := b.text("#from-end"); !strings.Contains(got, "Tia Network") {
		t.Errorf("the link's first end says %q", got)
	}
	b.checkPage("a link from a child")
	b.wantStatus("record a person", b.click(`main a[href^="/intelligence/persons/new?link="]`), 200)
	b.wantPage("/intelligence/persons/new", "Record a person of concern")
	b.checkPage("record a person")
	b.wantStatus("a person with nothing", b.click(`main form button[type=submit]`), 422)
	b.checkErrorSummary(map[string]string{"#given": "name"})
	b.checkPage("record a person, with an error")
	b.fill("given", "Dee")
	b.fill("family", "Sampleman")
	b.fill("aliases", "D-Man")
	b.wantStatus("the person recorded", b.click(`main form button[type=submit]`), 200)
	b.wantPage("/intelligence/links/new", "Record a link")
	if got := b.text("#to-end"); !strings.Contains(got, "Dee Sampleman") {
		t.Errorf("the link's second end says %q", got)
	}
	b.wantStatus("a link with no kind or source", b.click(`main form button[type=submit]`), 422)
	b.checkErrorSummary(map[string]string{"#kind": "what the link says", "#source": "where this comes from"})
	b.checkPage("record a link, with errors")
	b.press(`label[for="kind"]`) // Associate of
	b.fill("source", "Police log 4471")
	b.fill("how_known", "Seen collecting Tia from school in a silver car")
	b.press(`label[for="grading"]`) // 1
	b.press(`label[for="grading_intel-B"]`)
	b.press(`label[for="grading_handling"]`) // P
	b.wantStatus("the link recorded", b.click(`main form button[type=submit]`), 200)
	if !strings.HasPrefix(b.path(), "/intelligence/persons/") {
		t.Fatalf("after the link, at %s", b.path())
	}
	b.wantPage(strings.SplitN(b.path(), "?", 2)[0], "Dee Sampleman (D-Man)")
	if got := b.text("main table tbody"); !strings.Contains(got, "Tia Network") || !strings.Contains(got, "1B P") || !strings.Contains(got, "Final") {
		t.Errorf("the person's links say %q", got)
	}
	b.checkPage("the person")
	b.screenshot("intel-person")
	pid := strings.TrimPrefix(strings.SplitN(b.path(), "?", 2)[0], "/intelligence/persons/")
	if _, err := srv.Store.CreateLink(storetest.As(officer), &lantern.Link{From: lantern.EntityRef{Type: lantern.EntityPerson, ID: pid},
		To: lantern.EntityRef{Type: lantern.EntityPlace, ID: place.ID}, Kind: lantern.LinkSeenAt, Source: "Patrol log"}); err != nil {
		t.Fatal(err)
	}

	b.wantStatus("the child's record again", b.navigate("/children/"+c.ID), 200)
	b.wantStatus("the network", b.click(`main a[href="/children/`+c.ID+`/network"]`), 200)
	b.wantPage("/children/"+c.ID+"/network", "The network around Tia Network")
	b.checkPage("the network")
	b.screenshot("intel-network")
	drawn := eval[[]string](b, `Array.from(document.querySelectorAll('#network-drawing [data-ref]'), g => g.dataset.ref).sort()`)
	listed := eval[[]string](b, `Array.from(document.querySelectorAll('table.app-net-nodes tr[data-ref]'), r => r.dataset.ref).sort()`)
	want := []string{"child:" + c.ID, "person:" + pid, "place:" + place.ID}
	slices.Sort(want)
	if !slices.Equal(drawn, want) || !slices.Equal(listed, want) {
		t.Errorf("drawn %v, listed %v, want %v", drawn, listed, want)
	}
	pair := `x => [x.dataset.from, x.dataset.to].sort().join(' ')`
	drawnEdges := eval[[]string](b, `Array.from(document.querySelectorAll('#network-drawing line[data-from]'), `+pair+`).sort()`)
	listedEdges := eval[[]string](b, `Array.from(document.querySelectorAll('#network-links tr[data-from]'), `+pair+`).sort()`)
	if len(drawnEdges) != 2 || !slices.Equal(drawnEdges, listedEdges) {
		t.Errorf("links drawn %v, listed %v", drawnEdges, listedEdges)
	}
	if got := b.text("#network-links"); !strings.Contains(got, "Seen at") || !strings.Contains(got, "Associate of") || !strings.Contains(got, "Not graded") {
		t.Errorf("the network's links say %q", got)
	}
	if desc := eval[string](b, `document.getElementById('net-desc').textContent`); !strings.Contains(desc, "1 person, 1 place") {
		t.Errorf("the drawing is described as %q", desc)
	}
	// The filter, without script: one step leaves the place out of both.
	b.press(`.govuk-details__summary`)
	b.press(`label[for="hops"]`)
	b.wantStatus("one step", b.click(`main form[method=get] button[type=submit]`), 200)
	if n := eval[int](b, `document.querySelectorAll('#network-drawing [data-ref]').length`); n != 2 {
		t.Errorf("one step draws %d nodes, want 2", n)
	}
	if n := eval[int](b, `document.querySelectorAll('table.app-net-nodes tr[data-ref]').length`); n != 2 {
		t.Errorf("one step lists %d nodes, want 2", n)
	}
	b.checkPage("the network, one step")
}
