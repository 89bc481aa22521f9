package web_test

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
	"lantern/web/assets"
)

// wantErrors fails unless the page is a 422 whose error summary links to
// exactly the fields named, each with an inline message.
func wantErrors(t *testing.T, r response, fields ...string) {
	t.Helper()
	wantPage(t, r, 422, errorSummary)
	links := regexp.MustCompile(`<li><a href="#([^"]+)">`).FindAllStringSubmatch(string(r.body), -1)
	var got []string
	for _, l := range links {
		got = append(got, l[1])
	}
	if strings.Join(got, " ") != strings.Join(fields, " ") {
		t.Errorf("error summary links to %v, want %v", got, fields)
	}
	for _, f := range fields {
		if !strings.Contains(string(r.body), `id="`+f+`-error"`) {
			t.Errorf("no inline error for %s", f)
		}
	}
}

// locationID is the id after prefix in a redirect's location.
func locationID(t *testing.T, r response, prefix string) string {
	t.Helper()
	loc := r.header.Get("Location")
	if r.status != 303 || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("got %d to %q, want 303 to %s…; body %.500s", r.status, loc, prefix, r.body)
	}
	id := strings.TrimPrefix(loc, prefix)
	if i := strings.IndexAny(id, "?&#/"); i >= 0 {
		id = id[:i]
	}
	return id
}

// TestIntelPages: a school's practitioner records a person and a link from
// a child's page, and is shown a confirmation, not the record; the police
// search, read the person's page and its links (sources theirs alone), give
// the final grade, record a vehicle and link it, see the network around the
// child (filtered, and without a child they may not see) and withdraw a
// link. Every form's bad input is named in the error summary, and nothing
// is stored.
func TestIntelPages(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f, st := e.srv, e.f, e.srv.Store
			police, err := st.CreateAgency(sysCtx(), lantern.AgencyInput{Name: "Moor Police", Kind: lantern.KindPolice})
			if err != nil {
				t.Fatal(err)
			}
			user := func(email string, agency *lantern.Agency, role lantern.Role) *lantern.User {
				u, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: email, Name: "Intel " + string(role), AgencyID: agency.ID,
					Roles: []lantern.Role{role}, Password: storetest.Password})
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			officer := user("officer@police.example.org", police, lantern.RolePolice)
			coord := user("coord@csc.example.org", f.CSC, lantern.RoleCSECoordinator)
			child := e.createChild(f.Teacher, "Ana", "Intelson")
			if _, err := st.Involve(storetest.As(f.SocialWorker), child.ID, lantern.InvolvementInput{AgencyID: police.ID, Reason: "Police: exploitation enquiries"}); err != nil {
				t.Fatal(err)
			}
			fromChild := "child:" + child.ID

			// The school's practitioner: recorded from the child's page.
			tb := browserFor(t, srv, f.Teacher.Email)
			wantPage(t, tb.get("/children/"+child.ID), 200, `href="/intelligence/links/new?from=child:`+child.ID+`"`)
			if r := tb.get("/children/" + child.ID); strings.Contains(string(r.body), "/network") || strings.Contains(string(r.body), `href="/intelligence"`) {
				t.Error("the practitioner is offered the network, or intelligence in the navigation")
			}
			r := tb.get("/intelligence?q=Dee")
			wantPage(t, r, 200, "Only the police, analysts and the CSE coordinator read it", "Record a person of concern")
			if strings.Contains(string(r.body), `name="q"`) {
				t.Error("the practitioner is offered the search")
			}
			r = tb.get("/intelligence/links/new?from=" + url.QueryEscape(fromChild))
			wantPage(t, r, 200, "Record a link", "Ana Intelson", `href="/intelligence/persons/new?link=child%3a`+child.ID+`"`, `name="grading.conditions"`)
			wantPage(t, tb.get("/intelligence/persons/new?link="+url.QueryEscape(fromChild)), 200, "Record a person of concern", `value="`+fromChild+`"`)
			// Nothing to know them by, and a year that is not one.
			wantErrors(t, tb.post("/intelligence/persons/new", url.Values{"link": {fromChild}, "birth_year": {"nineteen"}}), "birth_year")
			wantErrors(t, tb.post("/intelligence/persons/new", url.Values{"link": {fromChild}}), "given")
			r = tb.post("/intelligence/persons/new", url.Values{"link": {fromChild}, "given": {"Dee"}, "family": {"Sampleman"}, "aliases": {"D-Man\nDeeDee"},
				"dob-day": {"1"}, "dob-month": {"1"}, "dob-year": {"1999"}, "sex": {"male"}, "address": {"1 Mill Lane"}, "postcode": {"nm1 1aa"}})
			pid := locationID(t, r, "/intelligence/links/new?from=child%3A"+child.ID+"&to=person%3A")
			toPerson := "person:" + pid
			r = tb.get(r.header.Get("Location"))
			wantPage(t, r, 200, "Ana Intelson", "A person held in Lantern", `name="to.id" value="`+pid+`"`)
			if strings.Contains(string(r.body), "Sampleman") {
				t.Error("the practitioner is shown the person they may not read")
			}
			link := url.Values{"from.type": {"child"}, "from.id": {child.ID}, "to.type": {"person"}, "to.id": {pid}}
			with := func(kv ...string) url.Values {
				v := url.Values{}
				for k, vs := range link {
					v[k] = vs
				}
				for i := 0; i+1 < len(kv); i += 2 {
					v.Set(kv[i], kv[i+1])
				}
				return v
			}
			// No kind, no source, half a grading, handling C without its
			// conditions, a 5×5×5 grade that is not one, and a date that is
			// not one.
			wantErrors(t, tb.post("/intelligence/links/new", with("grading", "2")), "kind", "grading_intel", "grading_handling", "source")
			wantErrors(t, tb.post("/intelligence/links/new", with("kind", "associate", "source", "Told by a youth worker", "grading", "2",
				"grading_intel", "C", "grading_handling", "C", "legacy_grading", "Z9", "seen_from-day", "31", "seen_from-month", "2", "seen_from-year", "2026")),
				"observed_from", "grading.conditions", "legacy_grading")
			if ls, _, err := st.EntityLinks(storetest.As(officer), lantern.EntityRef{Type: lantern.EntityPerson, ID: pid}); err != nil || len(ls) != 0 {
				t.Fatalf("links stored after errors: %v %v", ls, err)
			}
			r = tb.post("/intelligence/links/new", with("kind", "associate", "source", "Told by a youth worker", "how_known", "Seen collecting her from school",
				"grading", "2", "grading_intel", "C", "grading_handling", "P", "seen_from-day", "3", "seen_from-month", "10", "seen_from-year", "2026"))
			wantRedirect(t, r, "/intelligence?child="+child.ID+"&done=link")
			wantPage(t, tb.get("/intelligence?child="+child.ID+"&done=link"), 200, "Link recorded", `href="/children/`+child.ID+`"`)
			wantPage(t, tb.get("/intelligence/persons/"+pid), 403)
			wantPage(t, tb.get("/children/"+child.ID+"/network"), 403)

			// The police.
			pb := browserFor(t, srv, officer.Email)
			wantPage(t, pb.get("/intelligence"), 200, `href="/intelligence" aria-current="page"`, `name="vrm"`, `name="phone"`)
			wantErrors(t, pb.get("/intelligence?vrm=%21%21"), "vrm")
			wantErrors(t, pb.get("/intelligence?phone=withheld"), "phone")
			wantErrors(t, pb.get("/intelligence?q="), "q")
			wantPage(t, pb.get("/intelligence?q=sampleman"), 200, "1 record found", `href="/intelligence/persons/`+pid+`"`, "Dee Sampleman (D-Man)")
			wantPage(t, pb.get("/intelligence?q=nobody"), 200, "Nothing held matches")
			r = pb.get("/intelligence/persons/" + pid)
			wantPage(t, r, 200, "Dee Sampleman (D-Man)", "D-Man; DeeDee", "1 January 1999", "Estimated", "NM1 1AA", `href="/children/`+child.ID+`">Ana Intelson</a>`,
				"Associate of", "From 3 October 2026", "2C P", "Provisional", "Told by a youth worker", "Seen collecting her from school", "Give the final grade")
			lid := regexp.MustCompile(`id="link-([^"]+)"`).FindStringSubmatch(string(r.body))
			if lid == nil {
				t.Fatalf("no link row: %s", r.body)
			}
			sfx := "-" + lid[1]
			// The coordinator reads it, without the source, and cannot grade.
			cb := browserFor(t, srv, coord.Email)
			r = cb.get("/intelligence/persons/" + pid)
			wantPage(t, r, 200, "Dee Sampleman", "2C P")
			if strings.Contains(string(r.body), "youth worker") || strings.Contains(string(r.body), "Give the final grade") {
				t.Error("the coordinator is shown the source, or the grading form")
			}
			wantPage(t, cb.post("/intelligence/links/"+lid[1]+"/grading", url.Values{"back": {toPerson}}), 403)
			// The links as CSV: the police's with the source.
			for _, c := range []struct {
				b      *browser
				source bool
			}{{pb, true}, {cb, false}} {
				r = c.b.get("/intelligence/persons/" + pid + "/links.csv")
				if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
					t.Fatalf("CSV: %d %s", r.status, r.header.Get("Content-Type"))
				}
				recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
				if err != nil || len(recs) != 2 {
					t.Fatalf("CSV %v: %q", err, r.body)
				}
				if recs[1][0] != "Ana Intelson" || recs[1][2] != "Associate of" || recs[1][4] != toPerson || recs[1][6] != "2C P" || recs[1][7] != "Provisional" {
					t.Errorf("CSV row %q", recs[1])
				}
				if got := len(recs[0]) == 13 && recs[1][10] == "Told by a youth worker"; got != c.source {
					t.Errorf("CSV with the source %v, want %v: %q", got, c.source, recs)
				}
			}
			// The final grade: its errors on the link's own form, then given.
			r = pb.post("/intelligence/links/"+lid[1]+"/grading", url.Values{"back": {toPerson}, "grading" + sfx: {"1"}})
			wantErrors(t, r, "grading_intel"+sfx, "grading_handling"+sfx)
			if !strings.Contains(string(r.body), `id="grade-`+lid[1]+`" open`) {
				t.Error("the grading form with errors is not open")
			}
			wantErrors(t, pb.post("/intelligence/links/"+lid[1]+"/grading", url.Values{"back": {toPerson}, "grading" + sfx: {"1"}, "grading_intel" + sfx: {"B"},
				"grading_handling" + sfx: {"C"}}), "grading.conditions"+sfx)
			wantRedirect(t, pb.post("/intelligence/links/"+lid[1]+"/grading", url.Values{"back": {toPerson}, "grading" + sfx: {"1"}, "grading_intel" + sfx: {"B"},
				"grading_handling" + sfx: {"P"}, "legacy_grading" + sfx: {"B2"}}), "/intelligence/persons/"+pid+"?done=graded#link-"+lid[1])
			wantPage(t, pb.get("/intelligence/persons/"+pid+"?done=graded"), 200, "final grade has been recorded", "1B P", "Final", "5×5×5: B2")

			// A vehicle, recorded twice, is one; bad input for each kind.
			wantErrors(t, pb.post("/intelligence/vehicles/new", url.Values{"vrm": {"!!"}}), "vrm")
			vid := locationID(t, pb.post("/intelligence/vehicles/new", url.Values{"vrm": {"ab12 cde"}, "colour": {"Silver"}, "make": {"Ford"}}), "/intelligence/vehicles/")
			wantRedirect(t, pb.post("/intelligence/vehicles/new", url.Values{"vrm": {"AB12CDE"}}), "/intelligence/vehicles/"+vid+"?done=held")
			wantPage(t, pb.get("/intelligence?vrm=AB12+%3FDE"), 200, `href="/intelligence/vehicles/`+vid+`"`, "AB12CDE (Silver Ford)")
			r = pb.post("/intelligence/phones/new", url.Values{"number": {"withheld"}})
			wantErrors(t, r, "number")
			wantPage(t, r, 422, "A withheld number is not a number")
			phid := locationID(t, pb.post("/intelligence/phones/new", url.Values{"number": {"07700 900123"}}), "/intelligence/phones/")
			wantPage(t, pb.get("/intelligence/phones/"+phid), 200, "&#43;447700900123", "In a range kept for drama and tests")
			wantErrors(t, pb.post("/intelligence/places/new", url.Values{"lat": {"north"}}), "lat")
			wantErrors(t, pb.post("/intelligence/places/new", url.Values{"hotspot": {"yes"}}), "name", "hotspot_reason")
			plid := locationID(t, pb.post("/intelligence/places/new", url.Values{"name": {"Chicken Shack"}, "postcode": {"NM1 2BB"}, "hotspot": {"yes"},
				"hotspot_reason": {"Young people gather late"}}), "/intelligence/places/")
			wantPage(t, pb.get("/intelligence/places/"+plid), 200, "Chicken Shack", "Young people gather late", "Hotspot")
			wantErrors(t, pb.post("/intelligence/accounts/new", url.Values{}), "platform", "handle")
			locationID(t, pb.post("/intelligence/accounts/new", url.Values{"platform": {"Snapchat"}, "handle": {"@deeman"}}), "/intelligence/accounts/")
			// The police's link is final from the start.
			r = pb.post("/intelligence/links/new", url.Values{"from.type": {"person"}, "from.id": {pid}, "to.type": {"vehicle"}, "to.id": {vid},
				"kind": {"uses-vehicle"}, "source": {"ANPR log 1234"}, "grading": {"1"}, "grading_intel": {"A"}, "grading_handling": {"P"}})
			wantRedirect(t, r, "/intelligence/persons/"+pid+"?done=linked#links")
			wantPage(t, pb.get("/intelligence/vehicles/"+vid), 200, `href="/intelligence/persons/`+pid+`"`, "Uses the vehicle", "1A P", "Final", "ANPR log 1234")
			wantErrors(t, pb.post("/intelligence/links/new", url.Values{"from.type": {"person"}, "from.id": {pid}, "to.type": {"vehicle"}, "to.id": {"nothing"},
				"kind": {"uses-vehicle"}, "source": {"ANPR"}}), "to.id")

			// A child the police may not see, linked to the person by the
			// other school.
			hidden := e.createChild(f.OtherTeacher, "Hid", "Denchild")
			if _, err := st.CreateLink(storetest.As(f.OtherTeacher), &lantern.Link{From: lantern.EntityRef{Type: lantern.EntityChild, ID: hidden.ID},
				To: lantern.EntityRef{Type: lantern.EntityPerson, ID: pid}, Kind: lantern.LinkAssociate, Source: "A teacher"}); err != nil {
				t.Fatal(err)
			}

			// The network.
			r = pb.get("/children/" + child.ID + "/network")
			wantPage(t, r, 200, "The network around Ana Intelson", `role="img"`, "<title id=\"net-title\">", "<desc id=\"net-desc\">",
				`data-ref="person:`+pid+`"`, `data-ref="vehicle:`+vid+`"`, "1 other child you may not see is linked; they are not shown", "Uses the vehicle", "1B P")
			if strings.Contains(string(r.body), "Denchild") || strings.Contains(string(r.body), hidden.ID) {
				t.Error("the network shows a child the police may not see")
			}
			// The interactive drawing's data and scripts, which the CSP
			// allows: a JSON block (not run) and hashed files of our own.
			wantPage(t, r, 200, `<script type="application/json" id="network-data">`, `"id":"vehicle:`+vid+`"`,
				`<script src="`+assets.Path(assets.CytoscapeJS)+`" defer></script>`, `<script type="module" src="`+assets.Path(assets.NetworkJS)+`"></script>`)
			if got := strings.Count(string(r.body), `<g class="app-net-node`); got != 3 {
				t.Errorf("%d nodes drawn, want 3", got)
			}
			if got := strings.Count(string(r.body), `<tr class="govuk-table__row" data-ref=`); got != 3 {
				t.Errorf("%d nodes in the tables, want 3", got)
			}
			r = pb.get("/children/" + child.ID + "/network?hops=1")
			wantPage(t, r, 200, `data-ref="person:`+pid+`"`)
			if strings.Contains(string(r.body), `data-ref="vehicle:`) {
				t.Error("one step reaches the vehicle")
			}
			r = pb.get("/children/" + child.ID + "/network?least=1A")
			wantPage(t, r, 200, "No intelligence links Ana to anything that the filters keep")
			r = pb.get("/children/" + child.ID + "/network?hops=9&least=Z")
			wantErrors(t, r, "hops", "least")
			wantPage(t, r, 422, `data-ref="vehicle:`+vid+`"`)
			wantPage(t, cb.get("/children/"+child.ID+"/network"), 200, `data-ref="vehicle:`+vid+`"`)

			// Withdrawn, the vehicle's link leaves the network.
			vr := pb.get("/intelligence/vehicles/" + vid)
			vlid := regexp.MustCompile(`id="link-([^"]+)"`).FindStringSubmatch(string(vr.body))
			wantRedirect(t, pb.post("/intelligence/links/"+vlid[1]+"/withdraw", url.Values{"back": {"vehicle:" + vid}}), "/intelligence/vehicles/"+vid+"?done=withdrawn#links")
			wantPage(t, pb.get("/intelligence/vehicles/"+vid+"?done=withdrawn"), 200, "The link has been withdrawn", "No links that you may see")
			if r := pb.get("/children/" + child.ID + "/network"); strings.Contains(string(r.body), `data-ref="vehicle:`) {
				t.Error("the withdrawn link is still in the network")
			}
			wantPage(t, tb.post("/intelligence/links/"+vlid[1]+"/withdraw", url.Values{}), 403)
		})
	}
}
