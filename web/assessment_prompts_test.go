package web_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// promptJSON is a decision on a suggestion from intelligence, as the API
// answers it.
type promptJSON struct {
	Indicator     string             `json:"indicator"`
	LinkID        string             `json:"link_id"`
	Decision      string             `json:"decision"`
	Reason        *string            `json:"reason"`
	DecidedBy     string             `json:"decided_by"`
	DecidedByName string             `json:"decided_by_name"`
	DecidedAt     *time.Time         `json:"decided_at"`
	Text          string             `json:"text"`
	Entity        *lantern.EntityRef `json:"entity"`
}

type assessmentJSON struct {
	ID         string       `json:"id"`
	Indicators []string     `json:"indicators"`
	Prompts    []promptJSON `json:"prompts"`
}

// TestAssessmentPromptDecisions: the decisions on the toolkit's prompts go
// in through the API and the form, are refused naming the field (with
// nothing kept) when declined without a reason or confirmed unticked, and
// come back on the assessment's page and in its JSON, as each reader may
// see them: a partner is never shown the person or place, a source, or a
// decision on a handling-C link.
func TestAssessmentPromptDecisions(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ie := newIntakeEnv(t, d)
			e, st, f := ie.e, ie.e.srv.Store, ie.e.f
			asPolice := storetest.As(ie.police)
			child := lantern.EntityRef{Type: lantern.EntityChild, ID: ie.child.ID}
			mk := func(to lantern.EntityRef, kind lantern.LinkKind, g *lantern.Grading) *lantern.Link {
				t.Helper()
				l, err := st.CreateLink(asPolice, &lantern.Link{From: child, To: to, Kind: kind, Source: "CnrySource patrol log", HowKnown: "CnryHow", Grading: g})
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
			dee, _ := st.CreatePerson(asPolice, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
			shack, _ := st.CreatePlace(asPolice, &lantern.Place{Name: "Chicken Shack", Hotspot: true, HotspotReason: "Children taken there"})
			covert, _ := st.CreatePerson(asPolice, &lantern.PersonOfConcern{Aliases: []string{"CnryCovert"}})
			direct := mk(lantern.EntityRef{Type: lantern.EntityPerson, ID: dee.ID}, lantern.LinkAssociate, nil)
			hot := mk(lantern.EntityRef{Type: lantern.EntityPlace, ID: shack.ID}, lantern.LinkSeenAt, nil)
			secret := mk(lantern.EntityRef{Type: lantern.EntityPerson, ID: covert.ID}, lantern.LinkAssociate,
				&lantern.Grading{Source: "1", Intelligence: "A", Handling: "C", Conditions: "CnryConditions"})
			base := "/api/v1/children/" + ie.child.ID
			known, hotspot := lantern.IndicatorKnownPerpetrators, lantern.IndicatorHotspotAreas
			leaks := []string{"Dee", "Chicken", "CnryCovert", "CnrySource", "CnryHow", "CnryConditions", secret.ID, dee.ID, shack.ID}
			noLeak := func(who, what string, body []byte) {
				t.Helper()
				for _, s := range leaks {
					if strings.Contains(string(body), s) {
						t.Errorf("%s's %s carries %s", who, what, s)
					}
				}
			}

			// The suggestions now: the partner is told there are two, not
			// what; the police see the three, named; the analyst may not
			// complete the toolkit.
			r := e.as(f.SocialWorker, "GET", base+"/toolkit/prompts", "")
			ps := decode[struct{ Prompts []promptJSON }](t, r.body).Prompts
			if r.status != 200 || len(ps) != 2 {
				t.Fatalf("partner's prompts: %d %s", r.status, r.body)
			}
			noLeak("the partner", "prompts", r.body)
			r = e.as(ie.police, "GET", base+"/toolkit/prompts", "")
			if ps := decode[struct{ Prompts []promptJSON }](t, r.body).Prompts; r.status != 200 || len(ps) != 3 || !strings.Contains(string(r.body), "Dee") {
				t.Fatalf("police's prompts: %d %s", r.status, r.body)
			}
			if r := e.as(f.SocialWorker, "GET", "/api/v1/children/"+ie.other.ID+"/toolkit/prompts", ""); r.status != 200 {
				t.Errorf("another child's prompts: %d", r.status)
			}

			count := func() int {
				as, err := st.Assessments(storetest.As(f.SocialWorker), ie.child.ID)
				if err != nil {
					t.Fatal(err)
				}
				return len(as)
			}
			body := func(prompts ...map[string]any) string {
				b, _ := json.Marshal(map[string]any{"toolkit": toolkit.DefaultID, "indicators": []string{"sign.missing"}, "analysis": "Missing twice",
					"recorded_level": "emerging", "override_rationale": "Known to us", "prompts": prompts})
				return string(b)
			}
			decision := func(ind, link, dec, reason string) map[string]any {
				return map[string]any{"indicator": ind, "link_id": link, "decision": dec, "reason": reason}
			}
			// Refused, naming the field, and nothing kept.
			for _, tc := range []struct {
				name, body string
				fields     []string
			}{
				{"declined without a reason", body(decision(hotspot, hot.ID, "declined", " ")), []string{"prompts[0].reason"}},
				{"confirmed unticked", body(decision(hotspot, hot.ID, "declined", "Works there"), decision(known, direct.ID, "confirmed", "")), []string{"prompts[1]"}},
				{"neither", body(decision(known, direct.ID, "ticked", "")), []string{"prompts[0].decision"}},
				{"no link", body(decision(known, "", "confirmed", "")), []string{"prompts[0].link_id"}},
				{"not a suggestion", body(decision(hotspot, direct.ID, "declined", "No")), []string{"prompts[0]"}},
				{"the partner decides a hidden one", body(decision(known, secret.ID, "declined", "No")), []string{"prompts[0]"}},
				{"twice", body(decision(hotspot, hot.ID, "declined", "No"), decision(hotspot, hot.ID, "declined", "No")), []string{"prompts[1]"}},
				{"with the form's other problems", strings.Replace(body(decision(hotspot, hot.ID, "declined", "")), `"analysis":"Missing twice"`, `"analysis":""`, 1),
					[]string{"analysis", "prompts[0].reason"}},
			} {
				r := e.as(f.SocialWorker, "POST", base+"/assessments", tc.body)
				if r.status != 422 {
					t.Errorf("%s: %d %s", tc.name, r.status, r.body)
					continue
				}
				if got := checkProblem(t, r, 422).fields(); !slices.Equal(got, tc.fields) {
					t.Errorf("%s: fields %v, want %v", tc.name, got, tc.fields)
				}
			}
			if r := e.as(f.SocialWorker, "POST", base+"/assessments", `{"prompts": [{"indicator": "x", "link_id": "y", "decision": "confirmed", "why": "z"}]}`); r.status != 400 {
				t.Errorf("an unknown field in a decision: %d %s", r.status, r.body)
			}
			if n := count(); n != 0 {
				t.Fatalf("%d assessments kept from refused requests", n)
			}

			// Left alone, a suggestion ticks nothing and nothing is kept.
			r = e.as(f.SocialWorker, "POST", base+"/assessments", body())
			untouched := decode[assessmentJSON](t, r.body)
			if r.status != 201 || slices.Contains(untouched.Indicators, known) || slices.Contains(untouched.Indicators, hotspot) ||
				untouched.Prompts == nil || len(untouched.Prompts) != 0 {
				t.Fatalf("untouched: %d %s", r.status, r.body)
			}

			// Confirmed (ticked, with evidence) and declined with a reason.
			b, _ := json.Marshal(map[string]any{"toolkit": toolkit.DefaultID, "indicators": []string{"sign.missing", known},
				"evidence": map[string]string{known: "Seen with him outside school"}, "analysis": "Associating with a man of concern",
				"recorded_level": "high", "prompts": []map[string]any{decision(known, direct.ID, "confirmed", ""), decision(hotspot, hot.ID, "declined", "She works there on Saturdays")}})
			r = e.as(f.SocialWorker, "POST", base+"/assessments", string(b))
			if r.status != 201 {
				t.Fatalf("decided: %d %s", r.status, r.body)
			}
			made := decode[assessmentJSON](t, r.body)
			if loc := r.header.Get("Location"); loc != base+"/assessments/"+made.ID {
				t.Errorf("Location %q", loc)
			}
			wantDecisions := func(who string, got []promptJSON) {
				t.Helper()
				if len(got) != 2 {
					t.Fatalf("%s: decisions %+v", who, got)
				}
				for _, p := range got {
					if p.DecidedBy != f.SocialWorker.ID || p.DecidedByName != f.SocialWorker.Name || p.DecidedAt == nil || p.DecidedAt.IsZero() || p.Reason == nil || p.Text == "" {
						t.Errorf("%s: decision %+v", who, p)
					}
					switch p.LinkID {
					case direct.ID:
						if p.Indicator != known || p.Decision != "confirmed" || *p.Reason != "" {
							t.Errorf("%s: confirmed %+v", who, p)
						}
					case hot.ID:
						if p.Indicator != hotspot || p.Decision != "declined" || *p.Reason != "She works there on Saturdays" {
							t.Errorf("%s: declined %+v", who, p)
						}
					default:
						t.Errorf("%s: a decision on %s", who, p.LinkID)
					}
				}
			}
			wantDecisions("the answer", made.Prompts)
			r = e.as(f.SocialWorker, "GET", base+"/assessments/"+made.ID, "")
			if r.status != 200 {
				t.Fatalf("GET the assessment: %d %s", r.status, r.body)
			}
			wantDecisions("GET one", decode[assessmentJSON](t, r.body).Prompts)
			noLeak("the partner", "assessment", r.body)
			r = e.as(f.SocialWorker, "GET", base+"/assessments", "")
			for _, a := range decode[struct{ Assessments []assessmentJSON }](t, r.body).Assessments {
				switch a.ID {
				case made.ID:
					wantDecisions("the list", a.Prompts)
				case untouched.ID:
					if a.Prompts == nil || len(a.Prompts) != 0 {
						t.Errorf("the untouched assessment's decisions: %+v", a.Prompts)
					}
				}
			}
			if r := e.as(f.SocialWorker, "GET", "/api/v1/children/"+ie.other.ID+"/assessments/"+made.ID, ""); r.status != 404 {
				t.Errorf("the assessment under another child: %d", r.status)
			}
			// The police read the same decisions with what each link joins.
			r = e.as(ie.police, "GET", base+"/assessments/"+made.ID, "")
			if ps := decode[assessmentJSON](t, r.body).Prompts; len(ps) != 2 || ps[0].Entity == nil || !strings.Contains(string(r.body), "Dee") {
				t.Errorf("police's view: %s", r.body)
			}

			// The police decide the hidden link too; the partner is never
			// shown that decision, in the JSON or on the page.
			b, _ = json.Marshal(map[string]any{"toolkit": toolkit.DefaultID, "indicators": []string{"sign.missing"}, "analysis": "Nothing more",
				"recorded_level": "emerging", "override_rationale": "Known to us",
				"prompts": []map[string]any{decision(known, secret.ID, "declined", "Not corroborated"), decision(hotspot, hot.ID, "declined", "Old sighting")}})
			r = e.as(ie.police, "POST", base+"/assessments", string(b))
			if r.status != 201 || !strings.Contains(string(r.body), "CnryCovert") {
				t.Fatalf("police's decisions: %d %s", r.status, r.body)
			}
			theirs := decode[assessmentJSON](t, r.body)
			r = e.as(f.SocialWorker, "GET", base+"/assessments/"+theirs.ID, "")
			if ps := decode[assessmentJSON](t, r.body).Prompts; r.status != 200 || len(ps) != 1 || ps[0].LinkID != hot.ID || ps[0].Entity != nil {
				t.Errorf("the partner's view of the police's decisions: %s", r.body)
			}
			noLeak("the partner", "police's assessment", r.body)
			r = e.as(f.SocialWorker, "GET", base+"/assessments", "")
			noLeak("the partner", "assessments", r.body)
			if strings.Contains(string(r.body), "Not corroborated") {
				t.Errorf("the partner's list carries the hidden decision's reason")
			}

			// The pages.
			page := "/children/" + ie.child.ID + "/assessments/"
			sb := browserFor(t, e.srv, f.SocialWorker.Email)
			r = sb.get(page + made.ID)
			wantPage(t, r, 200, "Suggestions from intelligence", "Associating with known CSE perpetrators", "Linked to hotspot CSE areas",
				"Intelligence held links this child to a person of concern (recorded ", "Confirmed: the indicator ticked",
				"Declined: She works there on Saturdays", f.SocialWorker.Name)
			noLeak("the partner", "page", r.body)
			if strings.Contains(string(r.body), `href="/intelligence/`) {
				t.Errorf("the partner's page links to intelligence")
			}
			r = sb.get(page + theirs.ID)
			wantPage(t, r, 200, "Declined: Old sighting")
			noLeak("the partner", "page of the police's assessment", r.body)
			if strings.Contains(string(r.body), "Not corroborated") {
				t.Errorf("the partner's page carries the hidden decision")
			}
			if r := sb.get(page + untouched.ID); strings.Contains(string(r.body), "Suggestions from intelligence") {
				t.Errorf("an assessment with no decisions shows the section")
			}
			pb := browserFor(t, e.srv, ie.police.Email)
			wantPage(t, pb.get(page+theirs.ID), 200, "CnryCovert", `href="/intelligence/persons/`+covert.ID+`"`, "Declined: Not corroborated",
				`href="/intelligence/places/`+shack.ID+`"`, "See the place")

			// Through the form: declined with a reason, shown on the page.
			key := "prompt." + hot.ID + "." + hotspot
			form := url.Values{"toolkit": {toolkit.DefaultID}, "indicators": {"sign.missing"}, "analysis": {"Missing twice"},
				"recorded_level": {"emerging"}, "override_rationale": {"Known to us"}, "action": {"record"},
				key: {"decline"}, "prompt-reason." + hot.ID + "." + hotspot: {strings.Repeat("x", 2001)}}
			// A reason the store refuses is named at its box.
			r = sb.post("/children/"+ie.child.ID+"/assessments", form)
			wantPage(t, r, 422, errorSummary)
			wantErrorLinks(t, r, "prompt-reason."+hot.ID+"."+hotspot)
			n := count()
			form.Set("prompt-reason."+hot.ID+"."+hotspot, "Her Saturday job is there")
			r = sb.post("/children/"+ie.child.ID+"/assessments", form)
			if r.status != 303 || count() != n+1 {
				t.Fatalf("record: %d %.2000s", r.status, r.body)
			}
			wantPage(t, sb.get(r.header.Get("Location")), 200, "The assessment has been recorded", "Declined: Her Saturday job is there")
		})
	}
}
