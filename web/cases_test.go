package web_test

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// The case work through the API and the pages: scoring the toolkit,
// assessments and their tasks, concerns and their pathway, possible
// matches, merging, and the record's details.

// scoreExample is the request of docs/api.md, word for word.
const scoreExample = `{ "toolkit": "nottingham-v1",
  "assessed_on": "2026-11-22", "date_of_birth": "2012-03-01",
  "indicators": ["sign.missing", "vuln.looked-after"],
  "disclosure": false, "immediate_risk": false, "open_case": true,
  "police_intelligence": false, "learning_disability": false,
  "partner_age_gap_years": null, "missing_episodes_90d": null }`

// scoreFields are the fields of a suggestion, as docs/api.md has them.
var scoreFields = []string{"toolkit", "level", "nwg_category", "rules", "flags", "next_steps"}

type firedJSON struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type resultJSON struct {
	Toolkit     string      `json:"toolkit"`
	Level       string      `json:"level"`
	NWGCategory *int        `json:"nwg_category"`
	Rules       []firedJSON `json:"rules"`
	Flags       []firedJSON `json:"flags"`
	NextSteps   []string    `json:"next_steps"`
}

// wantResult checks a suggestion has every field, and the level, category
// and rules given.
func wantResult(t *testing.T, raw json.RawMessage, toolkitID, level string, category int, rules ...string) resultJSON {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatalf("suggestion: %v in %s", err, raw)
	}
	for _, f := range scoreFields {
		if _, ok := fields[f]; !ok {
			t.Errorf("suggestion lacks %q: %s", f, raw)
		}
	}
	r := decode[resultJSON](t, raw)
	var ids []string
	for _, x := range r.Rules {
		ids = append(ids, x.ID)
		if x.Text == "" {
			t.Errorf("rule %s has no text", x.ID)
		}
	}
	if r.Toolkit != toolkitID || r.Level != level || !slices.Equal(ids, rules) {
		t.Errorf("suggestion %s %s rules %q, want %s %s rules %q", r.Toolkit, r.Level, ids, toolkitID, level, rules)
	}
	if (category == 0) != (r.NWGCategory == nil) || (r.NWGCategory != nil && *r.NWGCategory != category) {
		t.Errorf("nwg_category %s, want %d (0: null)", fields["nwg_category"], category)
	}
	if !slices.ContainsFunc(r.Flags, func(f firedJSON) bool { return f.ID == "siblings" && f.Text != "" }) {
		t.Errorf("flags %+v lack siblings", r.Flags)
	}
	if len(r.NextSteps) == 0 || r.NextSteps[0] == "" {
		t.Errorf("no next steps")
	}
	return r
}

// fieldMessage is the message for a field in a problem, or "".
func fieldMessage(t *testing.T, r response, field string) string {
	t.Helper()
	for _, fe := range decode[problem](t, r.body).Errors {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// count is how many items GET path lists under key, as u.
func (e *env) count(u *lantern.User, path, key string) int {
	e.t.Helper()
	r := e.as(u, "GET", path, "")
	if r.status != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, r.status, r.body)
	}
	var v map[string][]json.RawMessage
	if err := json.Unmarshal(r.body, &v); err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	return len(v[key])
}

func TestCasesAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			mgr, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "manager@csc.example.org", Name: "Mo Manager",
				AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleManager}})
			if err != nil {
				t.Fatal(err)
			}
			manager := func(*storetest.Fixture) *lantern.User { return mgr }
			child := e.createChild(f.SocialWorker, "Ava", "Example") // born 2012-03-01: 14
			dup := e.createChild(f.SocialWorker, "Avah", "Exampel")  // the same child, entered again
			adult := e.createChild(f.SocialWorker, "Ada", "Grownup") // patched to 18 below
			ids := strings.NewReplacer("{child}", child.ID, "{dup}", dup.ID, "{adult}", adult.ID,
				"{teacher}", f.Teacher.ID, "{sw}", f.SocialWorker.ID)
			assessments := "/api/v1/children/" + child.ID + "/assessments"
			storedAssessments := func(t *testing.T, want int) {
				t.Helper()
				if n := e.count(f.SocialWorker, assessments, "assessments"); n != want {
					t.Errorf("%d assessments stored, want %d", n, want)
				}
			}
			score := func(body string) string {
				return strings.Replace(scoreExample, `"indicators": ["sign.missing", "vuln.looked-after"]`, body, 1)
			}

			e.run(t, ids, []apiScenario{
				// A toolkit's definition; an unknown one is not found.
				{name: "the built-in toolkit", method: "GET", path: "/api/v1/toolkits/nottingham-v1", as: sw, wantStatus: 200,
					wantBody: []string{`"id":"nottingham-v1"`}},
				{name: "no such toolkit", method: "GET", path: "/api/v1/toolkits/nope", as: sw, wantStatus: 404},
				// Scoring, with nothing stored.
				{name: "score the example of docs/api.md", method: "POST", path: "/api/v1/toolkit/score", as: sw, body: scoreExample, wantStatus: 200,
					check: func(t *testing.T, r response) {
						wantResult(t, r.body, "nottingham-v1", "emerging", 1, "any-emerging")
					}},
				{name: "score with the toolkit left out: the area's current one", method: "POST", path: "/api/v1/toolkit/score", as: teacher,
					body:       strings.Replace(scoreExample, `"toolkit": "nottingham-v1",`, "", 1),
					wantStatus: 200, check: func(t *testing.T, r response) {
						wantResult(t, r.body, "nottingham-v1", "emerging", 1, "any-emerging")
					}},
				{name: "score a disclosure", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: strings.Replace(scoreExample, `"disclosure": false`, `"disclosure": true`, 1), wantStatus: 200,
					check: func(t *testing.T, r response) {
						wantResult(t, r.body, "nottingham-v1", "high", 3, "any-emerging", "disclosure")
					}},
				{name: "score missing three times in 90 days", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: strings.Replace(scoreExample, `"missing_episodes_90d": null`, `"missing_episodes_90d": 3`, 1), wantStatus: 200,
					check: func(t *testing.T, r response) {
						wantResult(t, r.body, "nottingham-v1", "medium", 2, "any-emerging", "regular-missing")
					}},
				{name: "score nothing ticked", method: "POST", path: "/api/v1/toolkit/score", as: sw, body: score(`"indicators": []`), wantStatus: 200,
					check: func(t *testing.T, r response) {
						wantResult(t, r.body, "nottingham-v1", "none", 0)
					}},
				{name: "score 17 the day before the 18th birthday", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: strings.Replace(scoreExample, "2012-03-01", "2008-11-23", 1), wantStatus: 200, wantBody: []string{`"age":17`}},
				{name: "score an unknown indicator", method: "POST", path: "/api/v1/toolkit/score", as: sw, body: score(`"indicators": ["sign.missing", "sign.nope"]`),
					wantStatus: 422, wantFields: []string{"indicators"}, check: func(t *testing.T, r response) {
						if msg := fieldMessage(t, r, "indicators"); !strings.Contains(msg, "sign.nope") {
							t.Errorf("the error %q does not name the indicator", msg)
						}
					}},
				{name: "score 18 on the day", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: strings.Replace(scoreExample, "2012-03-01", "2008-11-22", 1), wantStatus: 422, wantFields: []string{"date_of_birth"}},
				{name: "score born after the assessment", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: strings.Replace(scoreExample, "2012-03-01", "2026-12-01", 1), wantStatus: 422, wantFields: []string{"date_of_birth"}},
				{name: "score under 13 ticked for a 14-year-old", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: score(`"indicators": ["vuln.under-13"]`), wantStatus: 422, wantFields: []string{"indicators"}},
				{name: "score an unknown toolkit", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: strings.Replace(scoreExample, `"nottingham-v1"`, `"area-v9"`, 1), wantStatus: 422, wantFields: []string{"toolkit"}},
				{name: "score with no dates", method: "POST", path: "/api/v1/toolkit/score", as: sw, body: `{"indicators": ["sign.missing"]}`,
					wantStatus: 422, wantFields: []string{"assessed_on", "date_of_birth"}},
				{name: "score a bad date and an unknown indicator, together", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body:       strings.Replace(score(`"indicators": ["sign.nope"]`), "2026-11-22", "2026-13-01", 1),
					wantStatus: 422, wantFields: []string{"assessed_on", "indicators"}},
				{name: "score missing episodes not a whole number", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: strings.Replace(scoreExample, `"missing_episodes_90d": null`, `"missing_episodes_90d": 2.5`, 1), wantStatus: 400,
					wantFields: []string{"missing_episodes_90d"}},
				{name: "score missing episodes as text", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: strings.Replace(scoreExample, `"missing_episodes_90d": null`, `"missing_episodes_90d": "3"`, 1), wantStatus: 400,
					wantFields: []string{"missing_episodes_90d"}},
				{name: "score indicators not a list", method: "POST", path: "/api/v1/toolkit/score", as: sw,
					body: score(`"indicators": "sign.missing"`), wantStatus: 400, wantFields: []string{"indicators"}},
				{name: "score without credentials", method: "POST", path: "/api/v1/toolkit/score", body: scoreExample, wantStatus: 401},

				// Assessments kept on the record.
				{name: "assessment recorded", setup: true, method: "POST", path: assessments, as: sw,
					body: `{"assessed_on": "2026-04-01", "indicators": ["sign.missing", "vuln.looked-after"],
						"evidence": {"sign.missing": "Home at 2am twice"}, "analysis": "Going missing with older friends"}`,
					wantStatus: 201, check: func(t *testing.T, r response) {
						var v map[string]json.RawMessage
						if err := json.Unmarshal(r.body, &v); err != nil {
							t.Fatal(err)
						}
						for _, k := range []string{"id", "suggested", "recorded_level", "tasks", "toolkit", "assessed_on", "analysis"} {
							if _, ok := v[k]; !ok {
								t.Errorf("assessment lacks %q: %s", k, r.body)
							}
						}
						wantResult(t, v["suggested"], "nottingham-v1", "emerging", 1, "any-emerging")
						a := decode[struct {
							ID            string `json:"id"`
							RecordedLevel string `json:"recorded_level"`
							OpenCase      bool   `json:"open_case"`
							Tasks         []struct {
								Clock   string `json:"clock"`
								Status  string `json:"status"`
								DueDate string `json:"due_date"`
								DueAt   string `json:"due_at"`
								Profile string `json:"profile"`
							} `json:"tasks"`
						}](t, r.body)
						if a.ID == "" || a.RecordedLevel != "emerging" || a.OpenCase || len(a.Tasks) != 1 {
							t.Fatalf("assessment %+v", a)
						}
						if tk := a.Tasks[0]; tk.Clock != "toolkit-reassessment" || tk.Status != "open" || tk.DueDate != "2026-06-24" ||
							tk.DueAt != "2026-06-24T23:59:59+01:00" || tk.Profile != "wt2023" {
							t.Errorf("task %+v, want toolkit-reassessment due 2026-06-24T23:59:59+01:00", tk)
						}
						if loc := r.header.Get("Location"); loc != assessments+"/"+a.ID {
							t.Errorf("Location %q", loc)
						}
					}},
				{name: "assessment with missing episodes given", method: "POST", path: assessments, as: sw,
					body:       `{"indicators": ["sign.missing"], "analysis": "Late", "missing_episodes_90d": 4}`,
					wantStatus: 422, wantFields: []string{"missing_episodes_90d"}, check: func(t *testing.T, r response) {
						if msg := fieldMessage(t, r, "missing_episodes_90d"); !strings.Contains(msg, "missing_episodes_90d") {
							t.Errorf("message %q does not name the field", msg)
						}
						storedAssessments(t, 1)
					}},
				{name: "assessment with a date of birth and open case given", method: "POST", path: assessments, as: sw,
					body:       `{"indicators": ["sign.missing"], "analysis": "Late", "date_of_birth": "2000-01-01", "open_case": false}`,
					wantStatus: 422, wantFields: []string{"date_of_birth", "open_case"}},
				{name: "assessment without an analysis", method: "POST", path: assessments, as: sw, body: `{"indicators": ["sign.missing"]}`,
					wantStatus: 422, wantFields: []string{"analysis"}},
				{name: "assessment without evidence for a medium sign", method: "POST", path: assessments, as: sw,
					body: `{"indicators": ["sign.gangs"], "evidence": {"sign.gangs": " "}, "analysis": "Gangs"}`, wantStatus: 422,
					wantFields: []string{"evidence.sign.gangs"}},
				{name: "assessment with evidence for a sign not ticked", method: "POST", path: assessments, as: sw,
					body: `{"indicators": ["sign.missing"], "evidence": {"sign.gangs": "Seen"}, "analysis": "Gangs"}`, wantStatus: 422,
					wantFields: []string{"evidence.sign.gangs"}},
				{name: "assessment overridden without a rationale", method: "POST", path: assessments, as: sw,
					body: `{"indicators": ["sign.missing"], "analysis": "Late", "recorded_level": "high"}`, wantStatus: 422,
					wantFields: []string{"override_rationale"}},
				{name: "assessment on an unknown toolkit", method: "POST", path: assessments, as: sw,
					body: `{"toolkit": "area-v9", "indicators": ["sign.missing"], "analysis": "Late"}`, wantStatus: 422, wantFields: []string{"toolkit"}},
				{name: "assessment dated tomorrow", method: "POST", path: assessments, as: sw,
					body: `{"assessed_on": "2026-11-23", "indicators": ["sign.missing"], "analysis": "Late"}`, wantStatus: 422, wantFields: []string{"assessed_on"}},
				{name: "assessment with evidence not text", method: "POST", path: assessments, as: sw,
					body: `{"indicators": ["sign.missing"], "analysis": "Late", "evidence": ["Seen"]}`, wantStatus: 400, wantFields: []string{"evidence"}},
				{name: "assessment of a child another school cannot see", method: "POST", path: assessments, as: other,
					body: `{"indicators": ["sign.missing"], "analysis": "Late"}`, wantStatus: 404},
				{name: "assessments of a child another school cannot see", method: "GET", path: assessments, as: other, wantStatus: 404},
				{name: "assessment without credentials", method: "POST", path: assessments, body: `{"indicators": ["sign.missing"], "analysis": "Late"}`, wantStatus: 401},
				{name: "nothing stored by the refusals", method: "GET", path: assessments, as: sw, wantStatus: 200,
					check: func(t *testing.T, r response) { storedAssessments(t, 1) }},

				// Tasks.
				{name: "the child's tasks", method: "GET", path: "/api/v1/children/{child}/tasks", as: sw, wantStatus: 200,
					check: func(t *testing.T, r response) {
						v := decode[struct {
							Tasks []map[string]any `json:"tasks"`
						}](t, r.body)
						if len(v.Tasks) != 1 {
							t.Fatalf("tasks %s", r.body)
						}
						tk := v.Tasks[0]
						for _, k := range []string{"id", "clock", "status", "due_date", "due_at", "profile"} {
							if s, _ := tk[k].(string); s == "" {
								t.Errorf("task lacks %q: %s", k, r.body)
							}
						}
						at, err := time.Parse(time.RFC3339, tk["due_at"].(string))
						if _, off := at.Zone(); err != nil || off != 3600 || !strings.HasSuffix(tk["due_at"].(string), "+01:00") {
							t.Errorf("due_at %q is not RFC 3339 with the London offset: %v", tk["due_at"], err)
						}
						if tk["clock"] != "toolkit-reassessment" || tk["status"] != "open" || tk["due_date"] != "2026-06-24" || tk["profile"] != "wt2023" {
							t.Errorf("task %v", tk)
						}
					}},
				{name: "the tasks of a child another school cannot see", method: "GET", path: "/api/v1/children/{child}/tasks", as: other, wantStatus: 404},

				// Concerns.
				{name: "concern with immediate risk and no action", method: "POST", path: "/api/v1/children/{child}/concerns", as: sw,
					body: `{"summary": "Seen getting into a car", "immediate_risk": true}`, wantStatus: 422, wantFields: []string{"immediate_action"}},
				{name: "concern with a disclosure and no words", method: "POST", path: "/api/v1/children/{child}/concerns", as: sw,
					body: `{"summary": "Told me", "disclosure": true, "disclosure_words": "  "}`, wantStatus: 422, wantFields: []string{"disclosure_words"}},
				{name: "concern raised an hour from now", method: "POST", path: "/api/v1/children/{child}/concerns", as: sw,
					body: `{"summary": "Later", "raised_at": "2026-11-22T11:00:00Z"}`, wantStatus: 422, wantFields: []string{"raised_at"}},
				{name: "concern raised at a time with no offset", method: "POST", path: "/api/v1/children/{child}/concerns", as: sw,
					body: `{"summary": "When", "raised_at": "2026-11-22T09:00:00"}`, wantStatus: 422, wantFields: []string{"raised_at"}},
				{name: "concern about a child another school cannot see", method: "POST", path: "/api/v1/children/{child}/concerns", as: other,
					body: `{"summary": "Seen"}`, wantStatus: 404},
				{name: "nothing stored by the refused concerns", method: "GET", path: "/api/v1/children/{child}/concerns", as: sw, wantStatus: 200,
					wantBody: []string{`"concerns":[]`}},

				// The record's details.
				{name: "PATCH the ethnicity", setup: true, method: "PATCH", path: "/api/v1/children/{child}", as: sw, body: `{"ethnicity": "white-british", "version": 1}`,
					wantStatus: 200, wantBody: []string{`"ethnicity":"white-british"`, `"version":2`}},
				{name: "PATCH an unknown ethnicity", method: "PATCH", path: "/api/v1/children/{child}", as: sw, body: `{"ethnicity": "martian", "version": 2}`,
					wantStatus: 422, wantFields: []string{"ethnicity"}},
				{name: "PATCH a bad date and an unknown ethnicity, together", method: "PATCH", path: "/api/v1/children/{child}", as: sw,
					body: `{"date_of_birth": "2012-02-30", "ethnicity": "martian", "version": 2}`, wantStatus: 422, wantFields: []string{"date_of_birth", "ethnicity"}},
				{name: "create with a bad date and an unknown ethnicity, together", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "Bo", "family_name": "Bad", "gender": "male", "date_of_birth": "2012-02-30", "ethnicity": "martian"}`,
					wantStatus: 422, wantFields: []string{"date_of_birth", "ethnicity"}},
				{name: "PATCH a teacher as the allocated social worker", method: "PATCH", path: "/api/v1/children/{child}", as: sw,
					body: `{"allocated_social_worker_id": "{teacher}", "version": 2}`, wantStatus: 422, wantFields: []string{"allocated_social_worker_id"}},
				{name: "PATCH an open case with its social worker", setup: true, method: "PATCH", path: "/api/v1/children/{child}", as: sw,
					body:       `{"open_case": true, "allocated_social_worker_id": "{sw}", "learning_disability": false, "version": 2}`,
					wantStatus: 200, wantBody: []string{`"open_case":true`, `"allocated_social_worker_id":"{sw}"`, `"version":3`, `"ethnicity":"white-british"`}},
				{name: "PATCH a date of birth 18 years ago", setup: true, method: "PATCH", path: "/api/v1/children/{adult}", as: sw,
					body: `{"date_of_birth": "2008-11-22", "version": 1}`, wantStatus: 200},
				{name: "assessment of an 18-year-old", method: "POST", path: "/api/v1/children/{adult}/assessments", as: sw,
					body: `{"indicators": ["sign.missing"], "analysis": "Late"}`, wantStatus: 422, wantFields: []string{"date_of_birth"}},
				{name: "assessment dated before the child was born: the date is at fault", method: "POST", path: "/api/v1/children/{adult}/assessments", as: sw,
					body: `{"assessed_on": "2008-11-21", "indicators": ["sign.missing"], "analysis": "Late"}`, wantStatus: 422, wantFields: []string{"assessed_on"}},
				{name: "assessment of an open case: the allocated social worker is in the steps", method: "POST", path: assessments, as: sw,
					body:       `{"indicators": ["sign.gangs"], "evidence": {"sign.gangs": "Seen with a gang"}, "analysis": "Gangs"}`,
					wantStatus: 201, wantBody: []string{`"recorded_level":"medium"`, `"open_case":true`, `Contact the allocated social worker.`, `"tasks":[]`}},

				// Possible matches.
				{name: "matches find a misspelt name born the same day", method: "GET",
					path: "/api/v1/children/matches?given_name=Ava&family_name=Exampel&date_of_birth=2012-03-01", as: sw, wantStatus: 200,
					wantBody: []string{`"id":"{child}"`, `"id":"{dup}"`, `"reasons":`}},
				{name: "matches only among the children the caller sees", method: "GET",
					path: "/api/v1/children/matches?given_name=Ava&family_name=Exampel&date_of_birth=2012-03-01", as: other, wantStatus: 200,
					wantBody: []string{`{"matches":[]}`}},
				{name: "matches need a date of birth", method: "GET", path: "/api/v1/children/matches?given_name=Ava&family_name=Example", as: sw,
					wantStatus: 422, wantFields: []string{"date_of_birth"}},
				{name: "matches need a name", method: "GET", path: "/api/v1/children/matches?date_of_birth=2012-03-01", as: sw,
					wantStatus: 422, wantFields: []string{"family_name"}},
				{name: "matches without credentials", method: "GET", path: "/api/v1/children/matches?given_name=Ava&date_of_birth=2012-03-01", wantStatus: 401},
			})

			// A concern and its pathway.
			words := "  \"He said I was special\" & he'd <pick me up>\n\n"
			wordsJSON, _ := json.Marshal(words)
			var concern concernJSON
			e.run(t, ids, []apiScenario{
				{name: "concern recorded, the words kept exactly", setup: true, method: "POST", path: "/api/v1/children/{child}/concerns", as: sw,
					body:       `{"summary": " Disclosed in a lesson ", "disclosure": true, "disclosure_words": ` + string(wordsJSON) + `, "raised_at": "2026-11-22T09:30:00+00:00"}`,
					wantStatus: 201, check: func(t *testing.T, r response) {
						concern = decode[concernJSON](t, r.body)
						if concern.ID == "" || concern.Step != "recorded" || concern.Version != 1 || concern.DisclosureWords != words ||
							concern.Summary != "Disclosed in a lesson" || concern.RaisedAt != "2026-11-22T09:30:00Z" {
							t.Errorf("concern %+v", concern)
						}
						if len(concern.Steps) != 1 || concern.Steps[0].UserID != f.SocialWorker.ID || concern.Steps[0].At != "2026-11-22T10:00:00Z" {
							t.Errorf("steps %+v", concern.Steps)
						}
						if loc := r.header.Get("Location"); loc != "/api/v1/children/"+child.ID+"/concerns/"+concern.ID {
							t.Errorf("Location %q", loc)
						}
					}},
			})
			if concern.ID == "" {
				t.FailNow()
			}
			ids = strings.NewReplacer("{child}", child.ID, "{dup}", dup.ID, "{concern}", concern.ID)
			steps := "/api/v1/children/{child}/concerns/{concern}/steps"
			e.run(t, ids, []apiScenario{
				{name: "step without a version", method: "POST", path: steps, as: sw, body: `{"step": "records-checked"}`, wantStatus: 422, wantFields: []string{"version"}},
				{name: "step unknown", method: "POST", path: steps, as: sw, body: `{"step": "closed", "version": 1}`, wantStatus: 422, wantFields: []string{"step"}},
				{name: "step skipping ahead to referred", method: "POST", path: steps, as: sw, body: `{"step": "referred", "version": 1}`,
					wantStatus: 422, wantFields: []string{"step"}},
				{name: "step to the toolkit by hand", method: "POST", path: steps, as: sw, body: `{"step": "toolkit", "version": 1}`,
					wantStatus: 422, wantFields: []string{"step"}},
				{name: "step through another child's path", method: "POST", path: "/api/v1/children/{dup}/concerns/{concern}/steps", as: sw,
					body: `{"step": "records-checked", "version": 1}`, wantStatus: 404},
				{name: "step by another school", method: "POST", path: steps, as: other, body: `{"step": "records-checked", "version": 1}`, wantStatus: 404},
				{name: "step to records checked", setup: true, method: "POST", path: steps, as: sw, body: `{"step": "records-checked", "version": 1, "note": "Told my manager"}`,
					wantStatus: 200, wantBody: []string{`"step":"records-checked"`, `"version":2`, `"note":"Told my manager"`}},
				{name: "step with a stale version", method: "POST", path: steps, as: sw, body: `{"step": "records-checked", "version": 1}`, wantStatus: 409,
					check: func(t *testing.T, r response) {
						if p := decode[problem](t, r.body); p.Current == nil || p.Current.ID != concern.ID || p.Current.Version != 2 {
							t.Errorf("current = %+v, want the concern at version 2", p.Current)
						}
					}},
				{name: "the concern read back", method: "GET", path: "/api/v1/children/{child}/concerns/{concern}", as: sw, wantStatus: 200,
					check: func(t *testing.T, r response) {
						c := decode[concernJSON](t, r.body)
						if c.DisclosureWords != words || c.Step != "records-checked" || len(c.Steps) != 2 || c.Steps[1].Step != "records-checked" {
							t.Errorf("concern read back %+v", c)
						}
					}},
				{name: "the concern through another child's path", method: "GET", path: "/api/v1/children/{dup}/concerns/{concern}", as: sw, wantStatus: 404},
				{name: "the toolkit completed for the concern", setup: true, method: "POST", path: "/api/v1/children/{child}/assessments", as: sw,
					body:       `{"indicators": ["sign.missing"], "analysis": "Late home", "concern_id": "{concern}"}`,
					wantStatus: 201, wantBody: []string{`"concern_id":"{concern}"`}},
				{name: "the concern at the toolkit step", method: "GET", path: "/api/v1/children/{child}/concerns", as: sw, wantStatus: 200,
					wantBody: []string{`"step":"toolkit"`, `"assessment_id":"`, `"version":3`}},
			})

			// Merging the record entered twice.
			version := func(id string) int {
				return decode[childJSON](t, e.as(f.SocialWorker, "GET", "/api/v1/children/"+id, "").body).Version
			}
			cv, dv := version(child.ID), version(dup.ID)
			ids = strings.NewReplacer("{child}", child.ID, "{dup}", dup.ID, "{cv}", strconv.Itoa(cv), "{dv}", strconv.Itoa(dv),
				"{cv+1}", strconv.Itoa(cv+1), "{stale}", strconv.Itoa(cv-1))
			merge := "/api/v1/children/{child}/merge"
			good := `{"other_id": "{dup}", "version": {cv}, "other_version": {dv}}`
			e.run(t, ids, []apiScenario{
				{name: "merge by a social worker", method: "POST", path: merge, as: sw, body: good, wantStatus: 403},
				{name: "merge by another school", method: "POST", path: merge, as: other, body: good, wantStatus: 404},
				{name: "merge without versions", method: "POST", path: merge, as: manager, body: `{"other_id": "{dup}"}`,
					wantStatus: 422, wantFields: []string{"version", "other_version"}},
				{name: "merge into itself", method: "POST", path: merge, as: manager, body: `{"other_id": "{child}", "version": {cv}, "other_version": {cv}}`,
					wantStatus: 422, wantFields: []string{"other_id"}},
				{name: "merge with a stale version", method: "POST", path: merge, as: manager, body: `{"other_id": "{dup}", "version": {stale}, "other_version": {dv}}`,
					wantStatus: 409},
				{name: "merge by a manager: one child fewer listed", setup: true, method: "POST", path: merge, as: manager, body: good, wantStatus: 200, stored: -1,
					wantBody: []string{`"id":"{child}"`, `"version":{cv+1}`}},
				{name: "the duplicate points at the record kept", method: "GET", path: "/api/v1/children/{dup}", as: sw, wantStatus: 200,
					wantBody: []string{`"merged_into":"{child}"`}},
				{name: "the duplicate is not listed: its name finds the record kept", method: "GET", path: "/api/v1/children?q=Avah", as: sw, wantStatus: 200,
					wantBody: []string{`"total":1`, `"id":"{child}"`}},
				{name: "the duplicate's name is an other name of the record kept", method: "GET",
					path: "/api/v1/children/matches?given_name=Avah&family_name=Exampel&date_of_birth=2012-03-01", as: sw, wantStatus: 200,
					check: func(t *testing.T, r response) {
						if strings.Contains(string(r.body), dup.ID) || !strings.Contains(string(r.body), child.ID) {
							t.Errorf("matches after the merge: %s", r.body)
						}
					}},
				{name: "merge again", method: "POST", path: merge, as: manager, body: `{"other_id": "{dup}", "version": {cv+1}, "other_version": 2}`,
					wantStatus: 422, wantFields: []string{"other_id"}},
			})
		})
	}
}

type concernJSON struct {
	ID              string `json:"id"`
	Step            string `json:"step"`
	Version         int    `json:"version"`
	Summary         string `json:"summary"`
	RaisedAt        string `json:"raised_at"`
	DisclosureWords string `json:"disclosure_words"`
	Steps           []struct {
		Step   string `json:"step"`
		UserID string `json:"user_id"`
		At     string `json:"at"`
	} `json:"steps"`
}

func TestCasesPages(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f := e.srv, e.f
			sw := storetest.As(f.SocialWorker)
			dob, _ := lantern.ParseDate("2013-06-15")
			child, err := srv.Store.CreateChild(sw, lantern.ChildInput{GivenName: "Rosa", FamilyName: "Lindqvist", DateOfBirth: dob, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			b := browserFor(t, srv, f.SocialWorker.Email)
			base := "/children/" + child.ID
			concerns := func() int {
				t.Helper()
				cs, err := srv.Store.Concerns(sw, child.ID)
				if err != nil {
					t.Fatal(err)
				}
				return len(cs)
			}
			assessments := func() int {
				t.Helper()
				as, err := srv.Store.Assessments(sw, child.ID)
				if err != nil {
					t.Fatal(err)
				}
				return len(as)
			}
			// Rosa's concern, recorded and moved on to the toolkit step, is
			// what the toolkit's subtest completes: taken by the first
			// subtest or, when that is not run, by the test after it.
			words := "  She said \"he's my boyfriend, he's <b>21</b> & kind\"\n\n  then she cried\n"
			recorded := newStep("Rosa's concern", func(t *testing.T) string {
				r := b.post(base+"/concerns", url.Values{"immediate_risk": {"no"}, "disclosure": {"yes"}, "disclosure_words": {words},
					"summary": {"Disclosed to her form tutor"}})
				m := regexp.MustCompile(`^` + base + `/concerns/([^/?]+)\?done=recorded$`).FindStringSubmatch(r.header.Get("Location"))
				if r.status != 303 || m == nil {
					t.Fatalf("record the concern: %d to %q: %.500s", r.status, r.header.Get("Location"), r.body)
				}
				return base + "/concerns/" + m[1]
			})
			checked := newStep("records checked", func(t *testing.T) struct{} {
				concernPath := recorded.take(t)
				r := b.post(concernPath+"/steps", url.Values{"version": {"1"}, "step": {"records-checked"}, "note": {"Checked; told my manager"}})
				wantRedirect(t, r, concernPath+"?done=moved")
				return struct{}{}
			})

			t.Run("recording a concern", func(t *testing.T) {
				wantPage(t, b.get(base+"/concerns/new"), 200, "Record a concern", "Is there immediate risk")
				r := b.post(base+"/concerns", url.Values{})
				wantPage(t, r, 422, errorSummary, `href="#immediate_risk"`, `href="#disclosure"`, `href="#summary"`)
				r = b.post(base+"/concerns", url.Values{"immediate_risk": {"yes"}, "disclosure": {"no"}, "summary": {"Seen getting into a car"}})
				wantPage(t, r, 422, errorSummary, `href="#immediate_action"`, "Enter what was done about the immediate risk",
					"call the emergency services on 999 now", "Seen getting into a car")
				if strings.Contains(string(r.body), `href="#summary"`) {
					t.Errorf("the summary given is said to be missing")
				}
				r = b.post(base+"/concerns", url.Values{"immediate_risk": {"no"}, "disclosure": {"yes"}, "summary": {"Told me"}, "disclosure_words": {" \n "}})
				wantPage(t, r, 422, errorSummary, `href="#disclosure_words"`)
				r = b.post(base+"/concerns", url.Values{"immediate_risk": {"no"}, "disclosure": {"no"}, "summary": {"x"},
					"when-day": {"23"}, "when-month": {"11"}, "when-year": {"2026"}, "when-time": {"09:00"}})
				wantPage(t, r, 422, errorSummary, "must not be in the future")
				// 01:30 on 29 March 2026 did not happen in the UK: refused, not moved.
				r = b.post(base+"/concerns", url.Values{"immediate_risk": {"no"}, "disclosure": {"no"}, "summary": {"x"},
					"when-day": {"29"}, "when-month": {"3"}, "when-year": {"2026"}, "when-time": {"01:30"}})
				wantPage(t, r, 422, errorSummary, `href="#when"`, "did not happen in the UK")
				if n := concerns(); n != 0 {
					t.Fatalf("%d concerns stored after refusals", n)
				}

				concernPath := recorded.take(t)
				concernID := strings.TrimPrefix(concernPath, base+"/concerns/")
				r = b.get(concernPath + "?done=recorded")
				wantPage(t, r, 200, "The concern has been recorded", "Disclosed to her form tutor", "Concern recorded",
					`<blockquote class="govuk-inset-text app-pre-wrap">`+template.HTMLEscapeString(words)+`</blockquote>`)
				if strings.Contains(string(r.body), "<b>21</b>") {
					t.Errorf("the young person's words are not escaped")
				}
				wantPage(t, b.get(base), 200, `href="`+concernPath+`"`, "Disclosure", "Concern recorded")

				// On to records checked; then the toolkit is the next step.
				checked.take(t)
				wantPage(t, b.get(concernPath), 200, "Agency records checked and line manager informed", "Checked; told my manager",
					`href="`+base+`/assessments/new?concern=`+concernID+`"`)
				r = b.post(concernPath+"/steps", url.Values{"version": {"1"}, "step": {"records-checked"}})
				wantPage(t, r, 409, errorSummary, "Someone else moved this concern on")
				r = b.post(concernPath+"/steps", url.Values{"version": {"2"}, "step": {"referred"}})
				wantPage(t, r, 422, errorSummary, "cannot move to")
			})
			concernPath := recorded.take(t)
			checked.take(t)
			concernID := strings.TrimPrefix(concernPath, base+"/concerns/")

			t.Run("completing the toolkit", func(t *testing.T) {
				r := b.get(base + "/assessments/new?concern=" + concernID)
				wantPage(t, r, 200, "Complete the toolkit", toolkit.DefaultID, `name="concern" value="`+concernID+`"`,
					`id="ind-sign.gangs"`, `name="evidence.sign.gangs"`, "Evidence (required)")
				if strings.Contains(string(r.body), `id="ind-vuln.under-13"`) {
					t.Errorf("under 13 can be ticked by hand")
				}
				form := url.Values{"concern": {concernID}, "toolkit": {toolkit.DefaultID}, "on-day": {"22"}, "on-month": {"11"}, "on-year": {"2026"},
					"indicators": {"sign.gangs", "vuln.bullying"}, "evidence.sign.gangs": {"Seen with older males near the station"},
					"analysis": {"Rosa is being drawn in by an older group"}, "action": {"check"}}
				r = b.post(base+"/assessments", form)
				wantPage(t, r, 200, "Suggested level: Medium risk", "NWG category 2", "At least one medium (M) sign: Medium risk",
					"Include siblings; pay particular attention to previous sexual abuse",
					"Discuss the need for a strategy meeting: the social worker, the CSE coordinator and the principal manager.",
					"Record the assessment", "Seen with older males near the station")
				if !regexp.MustCompile(`id="level-medium"[^>]*checked`).Match(r.body) {
					t.Errorf("the suggested level is not chosen for recording")
				}
				if n := assessments(); n != 0 {
					t.Errorf("checking stored %d assessments", n)
				}

				// Recording another level needs a reason; evidence is needed
				// for a medium sign.
				form.Set("action", "record")
				form.Set("recorded_level", "high")
				r = b.post(base+"/assessments", form)
				wantPage(t, r, 422, errorSummary, `href="#override_rationale"`, "Explain why you record High risk when the toolkit suggests Medium risk")
				form.Set("recorded_level", "medium")
				form.Set("evidence.sign.gangs", " ")
				r = b.post(base+"/assessments", form)
				wantPage(t, r, 422, errorSummary, `href="#evidence.sign.gangs"`, `id="evidence.sign.gangs-error"`)
				if n := assessments(); n != 0 {
					t.Fatalf("%d assessments stored after refusals", n)
				}

				form.Set("evidence.sign.gangs", "Seen with older males near the station")
				r = b.post(base+"/assessments", form)
				m := regexp.MustCompile(`^` + base + `/assessments/([^/?]+)\?done=recorded$`).FindStringSubmatch(r.header.Get("Location"))
				if r.status != 303 || m == nil {
					t.Fatalf("record: %d to %q: %.1000s", r.status, r.header.Get("Location"), r.body)
				}
				wantPage(t, b.get(r.header.Get("Location")), 200, "The assessment has been recorded", "Level recorded", "Medium risk",
					"Refer to the area&#39;s front door for children&#39;s social care.", "Seen with older males near the station", "Rosa is being drawn in by an older group")
				wantPage(t, b.get(base), 200, `role="img"`, "Medium risk", `href="`+base+`/assessments/`+m[1]+`"`)
				wantPage(t, b.get(concernPath), 200, "Toolkit completed")
			})

			t.Run("a child who may already have a record", func(t *testing.T) {
				list := func() int {
					t.Helper()
					_, n, err := srv.Store.FindChildren(sw, lantern.ChildFilter{Name: "Rosa"})
					if err != nil {
						t.Fatal(err)
					}
					return n
				}
				form := url.Values{"given_name": {"Rosa"}, "family_name": {"Lindquist"}, "gender": {"female"},
					"dob-day": {"15"}, "dob-month": {"6"}, "dob-year": {"2013"}, "first_language": {"Swedish"}}
				r := b.post("/children", form)
				wantPage(t, r, 200, "This child may already have a record", "Rosa Lindqvist", `href="`+base+`"`,
					`name="confirmed" value="yes"`, `name="family_name" value="Lindquist"`, `name="first_language" value="Swedish"`)
				if n := list(); n != 1 {
					t.Fatalf("a record was made before the person chose: %d", n)
				}
				form.Set("confirmed", "yes")
				r = b.post("/children", form)
				if r.status != 303 || !strings.HasSuffix(r.header.Get("Location"), "?done=created") {
					t.Fatalf("create after confirming: %d %q", r.status, r.header.Get("Location"))
				}
				if n := list(); n != 2 {
					t.Errorf("children named Rosa: %d, want 2", n)
				}
			})
		})
	}
}
