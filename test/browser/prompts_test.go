package browser_test

import (
	"regexp"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestToolkitPrompts: a police officer completes the toolkit for a child
// intelligence links to a person of concern and a hotspot. Both
// suggestions show unticked; the officer confirms one and declines the
// other with a reason; the saved assessment lists both decisions, the
// person and place linked to their pages. A social worker who does not
// read intelligence sees the decisions, but not who or where. axe passes
// on every page.
func TestToolkitPrompts(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	f := srv.Fixture
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
	as := storetest.As(officer)
	c, err := srv.Store.CreateChild(as, lantern.ChildInput{GivenName: "Tia", FamilyName: "Prompted",
		DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 9}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	dee, err := srv.Store.CreatePerson(as, &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: "Dee", Family: "Sampleman"}}})
	if err != nil {
		t.Fatal(err)
	}
	shack, err := srv.Store.CreatePlace(as, &lantern.Place{Name: "Chicken Shack", Hotspot: true, HotspotReason: "Gatherings late at night"})
	if err != nil {
		t.Fatal(err)
	}
	child := lantern.EntityRef{Type: lantern.EntityChild, ID: c.ID}
	link := func(to lantern.EntityRef, kind lantern.LinkKind) string {
		l, err := srv.Store.CreateLink(as, &lantern.Link{From: child, To: to, Kind: kind, Source: "Police log 4471"})
		if err != nil {
			t.Fatal(err)
		}
		return l.ID
	}
	known := "prompt." + link(lantern.EntityRef{Type: lantern.EntityPerson, ID: dee.ID}, lantern.LinkAssociate) + "." + lantern.IndicatorKnownPerpetrators
	hot := link(lantern.EntityRef{Type: lantern.EntityPlace, ID: shack.ID}, lantern.LinkSeenAt)
	hotspot := "prompt." + hot + "." + lantern.IndicatorHotspotAreas
	record := "/children/" + c.ID

	b := openTab(t, srv.URL, nil)
	b.enrol(officer.Email, storetest.Password)
	b.wantStatus("the toolkit form", b.navigate(record+"/assessments/new"), 200)
	b.wantPage(record+"/assessments/new", "Complete the toolkit")
	if got := b.texts("main .app-intel-prompt p:first-child"); len(got) != 2 || !strings.Contains(strings.Join(got, " "), "Dee Sampleman") {
		t.Errorf("the suggestions say %q", got)
	}
	for _, id := range []string{"ind-" + lantern.IndicatorKnownPerpetrators, "ind-" + lantern.IndicatorHotspotAreas} {
		if eval[bool](b, `document.getElementById(`+jsString(id)+`).checked`) {
			t.Errorf("%s ticked itself", id)
		}
	}
	b.checkPage("toolkit form with suggestions")
	b.screenshot("toolkit-prompts")

	// Confirm the person (ticking the sign, with its evidence), decline
	// the place with a reason.
	b.press(`label[for="ind-` + lantern.IndicatorKnownPerpetrators + `"]`)
	b.fill("evidence."+lantern.IndicatorKnownPerpetrators, "Seen getting into his car after school")
	b.press(`label[for="` + known + `"]`)
	b.press(`label[for="` + hotspot + `-decline"]`)
	b.fill("analysis", "Tia is being groomed by an older man known to the police.")
	// Declined without a reason: the error names the reason's box.
	b.wantStatus("decline without a reason", b.click(`main button[value=check]`), 422)
	if got := b.texts(".govuk-error-summary__list a"); len(got) != 1 || got[0] != "Say why you decline the suggestion" {
		t.Errorf("the error summary says %q", got)
	}
	b.checkPage("toolkit form, a suggestion declined without a reason")
	b.fill("prompt-reason."+hot+"."+lantern.IndicatorHotspotAreas, "She works in the shop next door on Saturdays")
	b.wantStatus("check the suggested level", b.click(`main button[value=check]`), 200)
	b.wantStatus("record the assessment", b.click(`main button[value=record]`), 200)
	if p := b.path(); !regexp.MustCompile(`^` + record + `/assessments/[^/?]+\?done=recorded$`).MatchString(p) {
		t.Fatalf("after recording, at %s (errors %q)", p, b.text(".govuk-error-summary"))
	}
	page := strings.SplitN(b.path(), "?", 2)[0]
	rows := b.texts("#suggestions ~ table tbody tr")
	if len(rows) != 2 {
		t.Fatalf("the decisions shown: %q", rows)
	}
	all := strings.Join(rows, "\n")
	for _, want := range []string{"Dee Sampleman", "Chicken Shack", "Confirmed", "Declined: She works in the shop next door on Saturdays", "Drew Officer"} {
		if !strings.Contains(all, want) {
			t.Errorf("the decisions lack %q: %q", want, all)
		}
	}
	if n := eval[int](b, `document.querySelectorAll('#suggestions ~ table a[href="/intelligence/persons/`+dee.ID+`"], #suggestions ~ table a[href="/intelligence/places/`+shack.ID+`"]').length`); n != 2 {
		t.Errorf("%d links to the person and place", n)
	}
	b.checkPage("assessment with decisions")
	b.screenshot("assessment-prompts")

	// A social worker: the decisions, not who or where.
	sw := openTab(t, srv.URL, nil)
	sw.enrol(f.SocialWorker.Email, storetest.Password)
	sw.wantStatus("the assessment", sw.navigate(page), 200)
	rows = sw.texts("#suggestions ~ table tbody tr")
	all = strings.Join(rows, "\n")
	if len(rows) != 2 || strings.Contains(all, "Dee") || strings.Contains(all, "Chicken") || !strings.Contains(all, "a person of concern") ||
		!strings.Contains(all, "Declined: She works in the shop next door on Saturdays") {
		t.Errorf("the social worker's decisions: %q", rows)
	}
	if n := eval[int](sw, `document.querySelectorAll('main a[href^="/intelligence/"]').length`); n != 0 {
		t.Errorf("the social worker's page links to intelligence %d times", n)
	}
	sw.checkPage("assessment with decisions, for a partner")
}
