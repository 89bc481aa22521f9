package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store"
	"lantern/store/storetest"
)

// TestIntelResolvePages: two records of one man. The person's page shows
// the other as a candidate, with the probability and the weights behind it
// (a merge form for the police and analysts only); the review list is
// theirs alone (a partner and the coordinator are refused), shows the pair
// side by side with the vehicle and phone linked to each, names a bad
// answer in the error summary, and an answer of same merges the two: the
// newer record's page says so, and its merge is undone. Merged again from
// the person's page: without the tick, the error summary names it.
func TestIntelResolvePages(t *testing.T) {
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
				u, err := st.CreateUser(sysCtx(), lantern.UserInput{Email: email, Name: "Resolve " + string(role), AgencyID: agency.ID,
					Roles: []lantern.Role{role}, Password: storetest.Password})
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			officer := user("officer@police.example.org", police, lantern.RolePolice)
			analyst := user("analyst@police.example.org", police, lantern.RoleAnalyst)
			coord := user("coord@csc.example.org", f.CSC, lantern.RoleCSECoordinator)
			pb, ab, cb, tb := browserFor(t, srv, officer.Email), browserFor(t, srv, analyst.Email), browserFor(t, srv, coord.Email), browserFor(t, srv, f.Teacher.Email)

			// Nothing to review yet.
			wantPage(t, ab.get("/intelligence/reviews"), 200, "No pairs are waiting for an answer")

			ctx := storetest.As(officer)
			mk := func(given, postcode string) *lantern.PersonOfConcern {
				p, err := st.CreatePerson(ctx, &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: given, Family: "Pairson"}},
					Aliases: []string{"Mo"}, DateOfBirth: &lantern.Date{Year: 1990, Month: 3, Day: 4}, Sex: "male",
					Addresses: []lantern.EntityAddress{{Address: "2 Mill Lane", Postcode: postcode}}})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			older := mk("Mohammed", "NM1 1AA")
			newer := mk("Muhammad", "NM1 1AA")
			v, _, err := st.CreateVehicle(ctx, &lantern.Vehicle{VRM: "PA12 RSN", Colour: "Silver", Make: "Ford"})
			if err != nil {
				t.Fatal(err)
			}
			ph, _, err := st.CreatePhone(ctx, "07700 900456")
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range []*lantern.Link{
				{From: lantern.EntityRef{Type: lantern.EntityPerson, ID: older.ID}, To: lantern.EntityRef{Type: lantern.EntityVehicle, ID: v.ID}, Kind: lantern.LinkUsesVehicle, Source: "ANPR log 7"},
				{From: lantern.EntityRef{Type: lantern.EntityPerson, ID: newer.ID}, To: lantern.EntityRef{Type: lantern.EntityPhone, ID: ph.ID}, Kind: lantern.LinkUsesPhone, Source: "Call log 9"},
			} {
				if _, err := st.CreateLink(ctx, l); err != nil {
					t.Fatal(err)
				}
			}
			pairs, err := st.ReviewPairs(ctx)
			if err != nil || len(pairs) != 1 {
				t.Fatalf("review pairs %v %v, want one", pairs, err)
			}
			pid := pairs[0].ID

			// The candidates, most probable first, with the weights behind them.
			r := pb.get("/intelligence/persons/" + newer.ID)
			wantPage(t, r, 200, "Who else might this be?", `id="candidate-`+older.ID+`"`, `href="/intelligence/persons/`+older.ID+`">Mohammed Pairson (Mo)</a>`,
				"likely to be the same person", "Why: the weights behind", "Weight in bits", "Family name", "Date of birth", "+ for",
				`action="/intelligence/persons/`+newer.ID+`/merge"`, `name="confirm"`)
			if !regexp.MustCompile(`app-candidate-chance">(more than )?[0-9.]+%</span>`).Match(r.body) {
				t.Errorf("the candidate's probability is not a percentage: %s", regexp.MustCompile(`app-candidate-chance">[^<]*`).Find(r.body))
			}
			r = cb.get("/intelligence/persons/" + newer.ID)
			wantPage(t, r, 200, "Who else might this be?", `id="candidate-`+older.ID+`"`, "Family name")
			if strings.Contains(string(r.body), "/merge") {
				t.Error("the coordinator is offered the merge")
			}

			// The review list: the police's and analysts' alone.
			wantPage(t, pb.get("/intelligence"), 200, `href="/intelligence/reviews"`)
			if strings.Contains(string(cb.get("/intelligence").body), `href="/intelligence/reviews"`) {
				t.Error("the coordinator is offered the review list")
			}
			for _, b := range []*browser{tb, cb} {
				wantPage(t, b.get("/intelligence/reviews"), 403)
				wantPage(t, b.post("/intelligence/reviews/"+pid, url.Values{"answer-" + pid: {"same"}}), 403)
				wantPage(t, b.post("/intelligence/persons/"+newer.ID+"/merge", url.Values{"into": {older.ID}, "confirm": {"yes"}}), 403)
			}
			before := auditCount(t, st, f, store.AuditFilter{Action: "intel.review.person.read"})
			r = ab.get("/intelligence/reviews")
			wantPage(t, r, 200, "Waiting for an answer: 1 pair", `id="pair-`+pid+`"`, "Mohammed Pairson (Mo) and Muhammad Pairson (Mo)",
				"4 March 1990", "Male", "2 Mill Lane NM1 1AA", "PA12RSN (Silver Ford)", "&#43;447700900456", "Not held", "Alike",
				"Family name: exact", "The same person?", `name="answer-`+pid+`"`, `action="/intelligence/reviews/`+pid+`"`)
			if n := auditCount(t, st, f, store.AuditFilter{Action: "intel.review.person.read"}); n != before+2 {
				t.Errorf("%d persons' reads audited, want 2", n-before)
			}

			// A bad answer, then none.
			r = ab.post("/intelligence/reviews/"+pid, url.Values{"answer-" + pid: {"maybe"}})
			wantErrors(t, r, "answer-"+pid)
			wantPage(t, r, 422, "Choose whether they are the same person")
			wantErrors(t, ab.post("/intelligence/reviews/"+pid, url.Values{}), "answer-"+pid)
			wantPage(t, ab.post("/intelligence/reviews/nothing", url.Values{"answer-nothing": {"same"}}), 404)

			// Same: one person, and the pair leaves the list.
			wantRedirect(t, ab.post("/intelligence/reviews/"+pid, url.Values{"answer-" + pid: {"same"}}), "/intelligence/reviews?done=same")
			wantPage(t, ab.get("/intelligence/reviews?done=same"), 200, "Answered: the two records are now one person", "No pairs are waiting for an answer")
			r = pb.get("/intelligence/persons/" + newer.ID)
			wantPage(t, r, 200, "This record was found to be the same person as", `href="/intelligence/persons/`+older.ID+`">Mohammed Pairson (Mo)</a>`,
				"Undo this merge", `action="/intelligence/persons/`+newer.ID+`/unmerge"`)
			if strings.Contains(string(r.body), "Who else might this be?") {
				t.Error("a merged record is offered candidates")
			}
			if strings.Contains(string(cb.get("/intelligence/persons/"+newer.ID).body), "Undo this merge") {
				t.Error("the coordinator is offered the undo")
			}
			wantPage(t, pb.get("/intelligence/persons/"+older.ID), 200, "Also held as", `href="/intelligence/persons/`+newer.ID+`">Muhammad Pairson (Mo)</a>`,
				"Call log 9") // the newer record's link is shown on the older's page

			// Undone: apart again; undone twice, the error summary says why.
			wantRedirect(t, pb.post("/intelligence/persons/"+newer.ID+"/unmerge", url.Values{}), "/intelligence/persons/"+newer.ID+"?done=unmerged")
			r = pb.get("/intelligence/persons/" + newer.ID + "?done=unmerged")
			wantPage(t, r, 200, "The merge has been undone", "Who else might this be?", `id="candidate-`+older.ID+`"`)
			if strings.Contains(string(r.body), "This record was found to be") {
				t.Error("the record still says it was merged")
			}
			r = pb.post("/intelligence/persons/"+newer.ID+"/unmerge", url.Values{})
			wantErrors(t, r, "undo")
			wantPage(t, r, 422, "This person was not merged into another")
			wantPage(t, ab.get("/intelligence/reviews"), 200, "No pairs are waiting for an answer")

			// Merged from the person's page: the tick first.
			r = ab.post("/intelligence/persons/"+newer.ID+"/merge", url.Values{"into": {older.ID}})
			wantErrors(t, r, "confirm-"+older.ID)
			wantPage(t, r, 422, `id="merge-`+older.ID+`" open`, "Tick to confirm")
			r = ab.post("/intelligence/persons/"+newer.ID+"/merge", url.Values{"into": {newer.ID}, "confirm": {"yes"}})
			wantErrors(t, r, "into")
			wantPage(t, r, 422, "A person cannot be merged into themselves")
			if got, err := st.Person(ctx, newer.ID); err != nil || got.MergedInto != "" {
				t.Fatalf("merged after errors: %+v %v", got, err)
			}
			// From the older record's page too, the newer goes into the older.
			wantRedirect(t, ab.post("/intelligence/persons/"+older.ID+"/merge", url.Values{"into": {newer.ID}, "confirm": {"yes"}}),
				"/intelligence/persons/"+older.ID+"?done=merged")
			wantPage(t, ab.get("/intelligence/persons/"+older.ID+"?done=merged"), 200, "The two records are now one person", "Also held as")
			wantPage(t, ab.get("/intelligence/persons/"+newer.ID), 200, "This record was found to be the same person as", "Undo this merge")
		})
	}
}
