package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
	"lantern/toolkit"
)

const intakeConcern = "Amira got into a silver Astra, WX19 ?XK, driven by a man she calls Dee, who texts her from 07700 900123; " +
	"they went to the Chicken Shack on Mill Lane."

// intakeEnv is a child the school and the police are involved with, and a
// police officer.
type intakeEnv struct {
	e      *env
	police *lantern.User
	child  childJSON
	other  childJSON
}

func newIntakeEnv(t *testing.T, d string) *intakeEnv {
	t.Helper()
	e := startEnv(t, d, apptest.Options{})
	st, f := e.srv.Store, e.f
	sys := lantern.NewSystemContext(context.Background(), "test")
	pa, err := st.CreateAgency(sys, lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
	if err != nil {
		t.Fatal(err)
	}
	police, err := st.CreateUser(sys, lantern.UserInput{Email: "pc@police.example.org", Name: "PC Test", AgencyID: pa.ID,
		Roles: []lantern.Role{lantern.RolePolice}, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	ie := &intakeEnv{e: e, police: police, child: e.createChild(f.SocialWorker, "Amira", "Demoton"), other: e.createChild(f.SocialWorker, "Bella", "Demoton")}
	for _, a := range []string{pa.ID, f.School.ID} {
		if _, err := st.Involve(storetest.As(f.SocialWorker), ie.child.ID, lantern.InvolvementInput{AgencyID: a, Reason: "Working with Amira"}); err != nil &&
			lantern.ErrorCode(err) != lantern.ECONFLICT {
			t.Fatal(err)
		}
	}
	return ie
}

// childLinks are the child's links, as the police read them.
func (ie *intakeEnv) childLinks(t *testing.T) []*lantern.Link {
	t.Helper()
	ls, _, err := ie.e.srv.Store.EntityLinks(storetest.As(ie.police), lantern.EntityRef{Type: lantern.EntityChild, ID: ie.child.ID})
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

var rowRE = regexp.MustCompile(`<h3 class="govuk-summary-card__title">[^<:]+: “([^”]*)”</h3>`)

func TestIntelIntakePages(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ie := newIntakeEnv(t, d)
			e, st, f := ie.e, ie.e.srv.Store, ie.e.f
			now := e.clock.Now()
			if _, _, err := st.CreatePhone(storetest.As(ie.police), "07700 900123"); err != nil {
				t.Fatal(err)
			}
			k, err := st.CreateConcern(storetest.As(f.Teacher), ie.child.ID, lantern.ConcernInput{RaisedAt: now.Add(-2 * time.Hour), Summary: intakeConcern})
			if err != nil {
				t.Fatal(err)
			}
			base := "/children/" + ie.child.ID
			page := base + "/intelligence-from/concern/" + k.ID
			b := browserFor(t, e.srv, f.Teacher.Email)

			// The concern's page leads to it.
			wantPage(t, b.get(base+"/concerns/"+k.ID), 200, `href="`+page+`"`, "Record intelligence from this concern")

			// The page: what the concern names, the held number said to be
			// held and no more, and blank rows.
			r := b.get(page)
			wantPage(t, r, 200, "Record intelligence from this concern", "Concern recorded", "WX19 ?XK", "Dee", "07700 900123", "Chicken Shack",
				"Already held", `name="item-0-add"`, "Add more", `value="found-at"`)
			if strings.Contains(string(r.body), "+447700900123") || strings.Contains(string(r.body), "Already held: is it one of these?") {
				t.Errorf("a partner was shown what is held: %s", r.body)
			}
			var rows []string
			for _, m := range rowRE.FindAllSubmatch(r.body, -1) {
				rows = append(rows, string(m[1]))
			}
			if want := []string{"WX19 ?XK", "Dee", "07700 900123", "Chicken Shack on Mill Lane"}; !slices.Equal(rows, want) {
				t.Fatalf("rows %q, want %q", rows, want)
			}
			n := len(rows)

			// A fault: the error summary names the row's field, and nothing
			// is stored.
			before := len(ie.childLinks(t))
			bad := url.Values{"item-0-add": {"yes"}, "item-0-kind": {"collected-from"}, "item-0-vrm": {"not a plate!"}}
			r = b.post(page, bad)
			wantPage(t, r, 422, errorSummary, "Enter the registration", `value="not a plate!"`)
			wantErrorLinks(t, r, "item-0-vrm")
			r = b.post(page, url.Values{})
			wantPage(t, r, 422, errorSummary, "Choose or add at least one")
			if got := len(ie.childLinks(t)); got != before {
				t.Fatalf("%d links after refusals, was %d", got, before)
			}

			// Confirmed: the plate, Dee, the held number and the place; and a
			// blank row for an account.
			form := url.Values{}
			for i, v := range []map[string]string{
				{"kind": "collected-from", "vrm": "WX19 ?XK", "colour": "silver", "model": "Astra"},
				{"kind": "associate", "street_name": "Dee"},
				{"kind": "called", "number": "07700 900123"},
				{"kind": "seen-at", "name": "Chicken Shack", "address": "Mill Lane"},
			} {
				form.Set(fmt.Sprintf("item-%d-add", i), "yes")
				for k, x := range v {
					form.Set(fmt.Sprintf("item-%d-%s", i, k), x)
				}
			}
			account := n + 4 // the blank rows: person, vehicle, phone, place, account
			form.Set(fmt.Sprintf("item-%d-kind", account), "online-contact")
			form.Set(fmt.Sprintf("item-%d-platform", account), "Snapchat")
			form.Set(fmt.Sprintf("item-%d-handle", account), "@deezy_99")
			form.Set(fmt.Sprintf("item-%d-kind", n), "associate") // a blank person row left blank: ignored
			r = b.post(page, form)
			wantRedirect(t, r, page+"?done=5")
			wantPage(t, b.get(page+"?done=5"), 200, "5 links recorded from this concern")
			ls := ie.childLinks(t)
			if len(ls) != before+5 {
				t.Fatalf("%d links, want %d", len(ls), before+5)
			}
			for _, l := range ls {
				if l.SourceRecord == nil || l.SourceRecord.ID != k.ID || !strings.HasPrefix(l.Source, "Concern recorded ") {
					t.Errorf("link %+v not sourced to the concern", l)
				}
			}

			// Another child's concern, through this child: not found.
			otherK, err := st.CreateConcern(storetest.As(f.SocialWorker), ie.other.ID, lantern.ConcernInput{RaisedAt: now.Add(-time.Hour), Summary: "Seen with Dee"})
			if err != nil {
				t.Fatal(err)
			}
			sw := browserFor(t, e.srv, f.SocialWorker.Email)
			wantPage(t, sw.get(base+"/intelligence-from/concern/"+otherK.ID), 404)
			wantPage(t, sw.get(base+"/intelligence-from/nonsense/"+k.ID), 404)

			// A missing episode's where found is a place, found at.
			ep := e.as(f.SocialWorker, "POST", "/api/v1/children/"+ie.child.ID+"/missing-episodes", `{"kind": "missing", "missing_from": "`+
				now.Add(-48*time.Hour).UTC().Format("2006-01-02T15:04:05Z")+`", "returned_at": "`+now.Add(-24*time.Hour).UTC().Format("2006-01-02T15:04:05Z")+
				`", "returned_where": "Flat above the Chicken Shack", "returned_with": "A man called Kane"}`)
			var epv struct{ ID string }
			if ep.status != 201 || json.Unmarshal(ep.body, &epv) != nil {
				t.Fatalf("episode: %d %s", ep.status, ep.body)
			}
			wantPage(t, sw.get(base+"/missing-episodes/"+epv.ID), 200, `href="`+base+`/intelligence-from/missing-episode/`+epv.ID+`"`)
			r = sw.get(base + "/intelligence-from/missing-episode/" + epv.ID)
			wantPage(t, r, 200, `value="Flat above the Chicken Shack"`, "Kane")
			if !regexp.MustCompile(`id="item-0-kind"[^>]*>\s*<option value="seen-at">[^<]*</option><option value="found-at" selected>`).Match(r.body) {
				t.Errorf("the place found is not suggested as found at: %s", r.body)
			}
		})
	}
}

func TestIntelIntakeAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ie := newIntakeEnv(t, d)
			e, st, f := ie.e, ie.e.srv.Store, ie.e.f
			held, _, err := st.CreatePhone(storetest.As(ie.police), "07700 900123")
			if err != nil {
				t.Fatal(err)
			}
			k, err := st.CreateConcern(storetest.As(f.Teacher), ie.child.ID, lantern.ConcernInput{RaisedAt: e.clock.Now().Add(-time.Hour), Summary: intakeConcern})
			if err != nil {
				t.Fatal(err)
			}
			path := "/api/v1/children/" + ie.child.ID + "/intelligence-from/concern/" + k.ID
			var got struct {
				Source      lantern.IntakeSource
				Suggestions []lantern.IntakeSuggestion
			}
			decode := func(r response) {
				t.Helper()
				if r.status != 200 {
					t.Fatalf("%d %s", r.status, r.body)
				}
				got.Suggestions = nil
				if err := json.Unmarshal(r.body, &got); err != nil {
					t.Fatal(err)
				}
			}
			decode(e.as(f.Teacher, "GET", path, ""))
			if got.Source.Text != intakeConcern || len(got.Suggestions) != 4 {
				t.Fatalf("suggestions: %+v", got)
			}
			for _, s := range got.Suggestions {
				if s.Matches != nil || s.Held != (s.Type == lantern.EntityPhone) {
					t.Errorf("partner's suggestion %+v", s)
				}
			}
			if strings.Contains(string(e.as(f.Teacher, "GET", path, "").body), held.ID) {
				t.Errorf("a partner was given the held number's id")
			}
			decode(e.as(ie.police, "GET", path, ""))
			var matched bool
			for _, s := range got.Suggestions {
				for _, m := range s.Matches {
					matched = matched || m.ID == held.ID
				}
			}
			if !matched {
				t.Errorf("the police were not shown the held number: %+v", got.Suggestions)
			}

			r := e.as(f.Teacher, "POST", path, `{"items": [{"type": "phone", "kind": "called", "number": "withheld"}]}`)
			if p := checkProblem(t, r, http.StatusUnprocessableEntity); !slices.Contains(p.fields(), "items[0].number") {
				t.Fatalf("withheld: %s", r.body)
			}
			r = e.as(f.Teacher, "POST", path, `{"items": [{"type": "phone", "kind": "called", "number": "07700 900123"}, {"type": "person", "kind": "associate", "street_name": "Dee"}]}`)
			var rec struct{ Recorded []lantern.IntakeRecorded }
			if r.status != 201 || json.Unmarshal(r.body, &rec) != nil || len(rec.Recorded) != 2 || rec.Recorded[0].ID != held.ID || rec.Recorded[0].Created {
				t.Fatalf("recorded: %d %s", r.status, r.body)
			}
			// Not the child's record: not found.
			if r := e.as(f.SocialWorker, "GET", "/api/v1/children/"+ie.other.ID+"/intelligence-from/concern/"+k.ID, ""); r.status != 404 {
				t.Errorf("another child's concern: %d", r.status)
			}
		})
	}
}

func TestAssessmentIntelPrompts(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ie := newIntakeEnv(t, d)
			e, st, f := ie.e, ie.e.srv.Store, ie.e.f
			asPolice := storetest.As(ie.police)
			dee, err := st.CreatePerson(asPolice, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
			if err != nil {
				t.Fatal(err)
			}
			l, err := st.CreateLink(asPolice, &lantern.Link{From: lantern.EntityRef{Type: lantern.EntityChild, ID: ie.child.ID},
				To: lantern.EntityRef{Type: lantern.EntityPerson, ID: dee.ID}, Kind: lantern.LinkAssociate, Source: "Patrol saw them together"})
			if err != nil {
				t.Fatal(err)
			}
			base := "/children/" + ie.child.ID
			key := "prompt." + l.ID + "." + lantern.IndicatorKnownPerpetrators
			ticked := regexp.MustCompile(`id="ind-sign.known-perpetrators"[^>]*checked`)

			// A partner: told intelligence links the child to a person of
			// concern, not who; the indicator is not ticked.
			b := browserFor(t, e.srv, f.SocialWorker.Email)
			r := b.get(base + "/assessments/new")
			wantPage(t, r, 200, "Suggested from intelligence", "Intelligence held links this child to a person of concern (recorded ", `name="`+key+`"`)
			if strings.Contains(string(r.body), "Dee") || ticked.Match(r.body) {
				t.Errorf("the partner's form names Dee or ticks the indicator")
			}
			// The police: named, with a link to the person.
			pb := browserFor(t, e.srv, ie.police.Email)
			wantPage(t, pb.get(base+"/assessments/new"), 200, "Dee", `href="/intelligence/persons/`+dee.ID+`"`)

			assessments := func() []*toolkit.Assessment {
				as, err := st.Assessments(storetest.As(f.SocialWorker), ie.child.ID)
				if err != nil {
					t.Fatal(err)
				}
				return as
			}
			form := url.Values{"toolkit": {toolkit.DefaultID}, "indicators": {"sign.missing"}, "analysis": {"Missing twice"},
				"recorded_level": {"emerging"}, "override_rationale": {"Known to us"}, "action": {"record"}}
			// Saved without touching the suggestion: not ticked, nothing kept.
			r = b.post(base+"/assessments", form)
			if r.status != 303 {
				t.Fatalf("record: %d %.2000s", r.status, r.body)
			}
			a := assessments()[0]
			if slices.Contains(a.Indicators, lantern.IndicatorKnownPerpetrators) {
				t.Fatalf("the suggestion ticked itself: %v", a.Indicators)
			}
			if ds, _ := st.AssessmentPrompts(storetest.As(f.SocialWorker), ie.child.ID, a.ID); len(ds) != 0 {
				t.Errorf("decisions kept for an untouched suggestion: %+v", ds)
			}
			// Declining needs a reason.
			form.Set(key, "decline")
			r = b.post(base+"/assessments", form)
			wantPage(t, r, 422, errorSummary, "Say why you decline the suggestion")
			wantErrorLinks(t, r, "prompt-reason."+l.ID+"."+lantern.IndicatorKnownPerpetrators)
			// Confirming ticks the box; its evidence is asked for as any H sign's.
			form.Set(key, "confirm")
			r = b.post(base+"/assessments", form)
			wantPage(t, r, 422, errorSummary)
			if !ticked.Match(r.body) {
				t.Errorf("confirming did not tick the indicator")
			}
			form.Set("evidence."+lantern.IndicatorKnownPerpetrators, "Seen with Dee outside school")
			form.Set("recorded_level", "high")
			r = b.post(base+"/assessments", form)
			if r.status != 303 {
				t.Fatalf("record confirmed: %d %.3000s", r.status, r.body)
			}
			a = assessments()[0]
			ds, err := st.AssessmentPrompts(storetest.As(f.SocialWorker), ie.child.ID, a.ID)
			if err != nil || len(ds) != 1 || ds[0].Decision != lantern.PromptConfirmed || ds[0].LinkID != l.ID ||
				!slices.Contains(a.Indicators, lantern.IndicatorKnownPerpetrators) {
				t.Fatalf("confirmed: %+v %v %v", ds, a.Indicators, err)
			}
		})
	}
}
