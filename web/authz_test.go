package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"

	"lantern"
	"lantern/app"
	"lantern/app/apptest"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/web"
)

// The test of every route: each route the server registers, as every role
// in every kind of agency that may hold it, on records of each relation the
// policy knows (the caller's agency involved, another agency's; for a
// meeting about no child, arranged by the caller's agency, to which it is
// invited, or neither; for a task, the caller's team's or another's), and
// then with no credentials, an expired session, a revoked token and an API
// token on a page. What each request should get comes from the policy table
// (lantern.Policy) and the route table (web.RuleOf): a route with no row
// fails. Every text field of every record is written with a canary naming
// whose it is; no response may carry a canary of a record its caller may
// not see, in its body (a PDF's text too) or its headers.
//
// A record sealed by children's social care (the information-sharing
// issue) becomes one more relation here when sealing exists.

// mxAgency is one of the area's agencies, with the letter its records'
// canaries carry.
type mxAgency struct {
	letter byte
	a      *lantern.Agency
}

// mxPrincipal is someone the matrix acts as: a role in an agency.
type mxPrincipal struct {
	name    string
	u       *lantern.User
	letter  byte // their agency's
	session string
	token   string
}

// mxChild is a child and its records, each written with canaries.
type mxChild struct {
	key                                       string // canary key: "M" and the agency's letter, or "Tz" for another agency's
	id                                        string
	agencyID                                  string // the agency involved with it
	concern, assessment, referral, discussion string
	s47, conference, coreGroup, swAssessment  string
	episode                                   string
}

// mxMeeting is a meeting target: about a child, or about none.
type mxMeeting struct {
	key      string
	id       string
	action   string
	children bool
}

type mxWorld struct {
	e          *env
	st         *store.Store
	builder    *lantern.User // a children's social care social worker who builds the records
	admin      *lantern.User
	agencies   map[byte]*mxAgency
	principals []*mxPrincipal
	mine       map[byte]*mxChild // a child each agency is involved with
	theirs     *mxChild          // a child only another agency is involved with
	sealed     *mxChild          // a sealed child, on no principal's allow-list: found by none
	meetMine   map[byte]*mxMeeting
	meetTheirs *mxMeeting
	ctxOwn     map[byte]*mxMeeting // about no child, arranged by the agency
	ctxInvited map[byte]*mxMeeting // about no child, arranged by another, the agency invited
	ctxOther   *mxMeeting          // about no child, neither
	taskMine   map[byte]string     // a task the agency's team holds
	taskTheirs string
	spare      *lantern.Agency // involved and ended by the routes that end an involvement
	target     *lantern.User   // the account the administration routes are tried on
	contacts   map[byte]*lantern.Contact
	seq        atomic.Int64
}

var canaryRE = regexp.MustCompile(`Cnry([A-Z][a-z])Q([a-z]+)`)

// canary is the text of a field of a record with key.
func canary(key, field string) string { return "Cnry" + key + "Q" + field }

func TestAuthorizationMatrix(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			started := time.Now()
			w := newWorld(t, d)
			n := w.run(t)
			n += w.credentials(t)
			t.Logf("%s: %d routes, %d principals, %d requests in %s", d, len(w.e.srv.Web.Routes()), len(w.principals), n, time.Since(started).Round(time.Millisecond))
		})
	}
}

func newWorld(t *testing.T, d string) *mxWorld {
	e := startEnv(t, d, apptest.Options{Configure: func(c *app.Config) { c.TrustedProxies = "127.0.0.1/32" }})
	st, f := e.srv.Store, e.srv.Fixture
	sys := sysCtx()
	w := &mxWorld{e: e, st: st, agencies: map[byte]*mxAgency{}, mine: map[byte]*mxChild{}, meetMine: map[byte]*mxMeeting{},
		ctxOwn: map[byte]*mxMeeting{}, ctxInvited: map[byte]*mxMeeting{}, taskMine: map[byte]string{}, contacts: map[byte]*lantern.Contact{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	agency := func(letter byte, name string, k lantern.AgencyKind) {
		a, err := st.CreateAgency(sys, lantern.AgencyInput{Name: name, Kind: k})
		must(err)
		w.agencies[letter] = &mxAgency{letter, a}
	}
	w.agencies['a'] = &mxAgency{'a', f.CSC}
	w.agencies['b'] = &mxAgency{'b', f.School}
	agency('c', "Moor Police", lantern.KindPolice)
	agency('d', "Moor Health", lantern.KindHealth)
	agency('e', "Moor Youth Justice", lantern.KindYouthJustice)
	agency('f', "Moor Young People's Project", lantern.KindVoluntary)
	agency('g', "Moor Homes", lantern.KindHousing)
	w.agencies['z'] = &mxAgency{'z', f.Other}
	spare, err := st.CreateAgency(sys, lantern.AgencyInput{Name: "Spare Agency", Kind: lantern.KindVoluntary})
	must(err)
	w.spare = spare
	w.admin = f.Admin

	user := func(email string, letter byte, roles ...lantern.Role) *lantern.User {
		u, err := st.CreateUser(sys, lantern.UserInput{Email: email, Name: "Mx " + email[:strings.IndexByte(email, '@')],
			AgencyID: w.agencies[letter].a.ID, Roles: roles})
		must(err)
		return u
	}
	w.builder = user("builder@csc.example.org", 'a', lantern.RoleSocialWorker)
	w.target = user("target@riverside.example.org", 'b', lantern.RolePractitioner)
	principal := func(name string, letter byte, role lantern.Role) {
		u := user(strings.ReplaceAll(name, " ", ".")+"@mx.example.org", letter, role)
		sess, err := st.StartSession(context.Background(), u.ID, store.StageSignedIn, "")
		must(err)
		tok, _, err := st.CreateToken(sys, u.ID, "matrix", 24*time.Hour)
		must(err)
		w.principals = append(w.principals, &mxPrincipal{name: name, u: u, letter: letter, session: sess, token: tok})
	}
	for _, l := range []byte("abcdefg") {
		principal("practitioner in "+string(w.agencies[l].a.Kind), l, lantern.RolePractitioner)
	}
	principal("social worker", 'a', lantern.RoleSocialWorker)
	principal("social care manager", 'a', lantern.RoleManager)
	principal("school manager", 'b', lantern.RoleManager)
	principal("police manager", 'c', lantern.RoleManager)
	principal("coordinator", 'a', lantern.RoleCSECoordinator)
	principal("police officer", 'c', lantern.RolePolice)
	principal("police analyst", 'c', lantern.RoleAnalyst)
	principal("social care analyst", 'a', lantern.RoleAnalyst)
	principal("chair", 'a', lantern.RoleChair)
	principal("auditor", 'a', lantern.RoleAuditor)
	principal("administrator", 'a', lantern.RoleAdmin)
	practitioner := func(l byte) *lantern.User { return w.principals[strings.IndexByte("abcdefg", l)].u }

	for _, l := range []byte("abcdefgz") {
		c, err := st.CreateContact(storetest.As(f.Admin), lantern.ContactInput{AgencyID: w.agencies[l].a.ID, Name: canary("D"+string(l), "contact"),
			Email: "contact" + string(l) + "@mx.example.org", Active: true})
		must(err)
		w.contacts[l] = c
	}

	// The children and their records.
	for _, l := range []byte("abcdefg") {
		w.mine[l] = w.child(t, "M"+string(l), w.agencies[l].a.ID)
	}
	w.theirs = w.child(t, "Tz", f.Other.ID)

	// Meetings: about each child, held, with an action owned in its agency
	// (whose task that agency's team holds).
	now := e.clock.Now()
	for _, l := range []byte("abcdefg") {
		w.meetMine[l] = w.meeting(t, storetest.As(w.builder), "M"+string(l), []string{w.mine[l].id}, now.Add(-3*time.Hour), practitioner(l), w.agencies[l].a.ID, nil)
		w.taskMine[l] = w.actionTask(t, w.meetMine[l])
	}
	w.meetTheirs = w.meeting(t, storetest.As(w.builder), "Tz", []string{w.theirs.id}, now.Add(-3*time.Hour), f.OtherTeacher, f.Other.ID, nil)
	w.taskTheirs = w.actionTask(t, w.meetTheirs)
	// About no child.
	for _, l := range []byte("abcdefg") {
		w.ctxOwn[l] = w.meeting(t, storetest.As(practitioner(l)), "O"+string(l), nil, now.Add(-3*time.Hour), practitioner(l), "", nil)
		w.ctxInvited[l] = w.meeting(t, storetest.As(f.OtherTeacher), "I"+string(l), nil, now.Add(-3*time.Hour), f.OtherTeacher, "",
			[]lantern.InviteeInput{{ContactID: w.contacts[l].ID}})
	}
	w.ctxOther = w.meeting(t, storetest.As(f.OtherTeacher), "Xz", nil, now.Add(-3*time.Hour), f.OtherTeacher, "", nil)

	// A sealed record: a child involved with children's social care (so
	// that, unsealed, most principals would see it), a meeting about it
	// with an action for agency a's team, a share, an information request
	// to agency b; then sealed by a manager who is no principal.
	w.sealed = w.child(t, "Sa", w.agencies['a'].a.ID)
	w.meeting(t, storetest.As(w.builder), "Sa", []string{w.sealed.id}, now.Add(-3*time.Hour), practitioner('a'), w.agencies['a'].a.ID, nil)
	_, err = st.RecordShare(storetest.As(w.builder), w.sealed.id, lantern.ShareRequest{Outcome: lantern.ShareShared, To: w.agencies['b'].a.ID,
		What: canary("Sa", "sharewhat"), Purpose: canary("Sa", "sharepurpose"), Basis: lantern.BasisPublicTask, Consent: lantern.ConsentGiven})
	must(err)
	_, err = st.AskAgency(storetest.As(w.builder), w.sealed.id, w.sealed.referral, lantern.InfoRequestInput{AgencyID: w.agencies['b'].a.ID,
		Question: canary("Sa", "question"), DueAt: now.Add(72 * time.Hour)})
	must(err)
	sealer := user("sealer@csc.example.org", 'a', lantern.RoleManager)
	_, err = st.SealChild(storetest.As(sealer), w.sealed.id, lantern.SealRequest{Reason: canary("Sa", "sealreason"), ReviewOn: lantern.Today(now).AddDays(30)})
	must(err)
	return w
}

// api sends a request as the builder and decodes the id it answers.
func (w *mxWorld) api(t *testing.T, method, path, body string) string {
	t.Helper()
	r := w.e.as(w.builder, method, path, body)
	if r.status != 200 && r.status != 201 {
		t.Fatalf("%s %s: %d %s", method, path, r.status, r.body)
	}
	var v struct{ ID string }
	json.Unmarshal(r.body, &v)
	return v.ID
}

// child makes a child involved with agencyID, and one of each of its
// records, every text field a canary of key.
func (w *mxWorld) child(t *testing.T, key, agencyID string) *mxChild {
	t.Helper()
	q := func(field string) string { return canary(key, field) }
	body, _ := json.Marshal(map[string]any{"given_name": q("given"), "family_name": q("family"), "date_of_birth": "2012-03-01", "gender": "female",
		"first_language": q("language"), "disability": q("disability"), "lead_professional": q("lead")})
	c := &mxChild{key: key, agencyID: agencyID}
	c.id = w.api(t, "POST", "/api/v1/children", string(body))
	if _, err := w.st.Involve(storetest.As(w.builder), c.id, lantern.InvolvementInput{AgencyID: agencyID, Reason: q("involvement")}); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/children/" + c.id
	c.concern = w.api(t, "POST", base+"/concerns", `{"raised_at": "2026-11-20T10:00:00Z", "summary": "`+q("summary")+`", "disclosure": true,
		"disclosure_words": "`+q("words")+`", "immediate_risk": true, "immediate_action": "`+q("action")+`"}`)
	c.assessment = w.api(t, "POST", base+"/assessments", `{"assessed_on": "2026-11-21", "indicators": ["sign.older-partners"],
		"evidence": {"sign.older-partners": "`+q("evidence")+`"}, "analysis": "`+q("analysis")+`", "recorded_level": "high", "override_rationale": "`+q("override")+`"}`)
	c.referral = w.api(t, "POST", base+"/referrals", `{"received_at": "2026-11-21T09:00:00Z", "method": "phone", "referrer": {"name": "`+q("referrer")+`", "agency": "`+q("referreragency")+`"}}`)
	c.discussion = w.api(t, "POST", base+"/strategy-discussions", `{"held_at": "2026-11-21T11:00:00Z", "decision": "s47"}`)
	c.s47 = w.api(t, "POST", base+"/s47-enquiries", `{"started_at": "2026-11-21T12:00:00Z"}`)
	c.conference = w.api(t, "POST", base+"/conferences", `{"kind": "initial", "held_at": "2026-11-21T13:00:00Z", "outcome": "plan"}`)
	c.coreGroup = w.api(t, "POST", base+"/core-groups", `{"held_at": "2026-11-21T14:00:00Z"}`)
	c.swAssessment = w.api(t, "POST", base+"/social-work-assessments", `{"kind": "single", "started_at": "2026-11-21T15:00:00Z"}`)
	c.episode = w.api(t, "POST", base+"/missing-episodes", `{"kind": "missing", "missing_from": "2026-11-19T20:00:00Z", "returned_at": "2026-11-20T08:00:00Z",
		"reported_by": "`+q("reporter")+`", "police_reference": "`+q("policeref")+`", "returned_where": "`+q("where")+`", "returned_with": "`+q("with")+`",
		"presentation_notes": "`+q("presentation")+`", "placement": "`+q("placement")+`"}`)
	w.api(t, "POST", base+"/missing-episodes/"+c.episode+"/interview", `{"held_at": "2026-11-20T15:00:00Z", "held_by": "`+q("interviewer")+`",
		"child_said": "`+q("childsaid")+`", "follow_up": ["new-concern"]}`)
	w.api(t, "POST", base+"/names", `{"name": "`+q("alias")+`", "kind": "street-name"}`)
	w.api(t, "POST", base+"/addresses", `{"address": "`+q("address")+`", "postcode": "NM1 1AA", "from_date": "2022-01-01"}`)
	w.api(t, "POST", base+"/schools", `{"school": "`+q("school")+`", "from_date": "2022-09-01"}`)
	w.api(t, "POST", base+"/family", `{"name": "`+q("parent")+`", "relationship": "mother", "notes": "`+q("familynotes")+`"}`)
	w.api(t, "POST", base+"/professionals", `{"agency_id": "`+agencyID+`", "name": "`+q("professional")+`", "role": "`+q("profrole")+`"}`)
	return c
}

// meeting arranges a meeting (about children, or none) that started in the
// past, with its outcome: minutes, associates and an action owned by owner.
func (w *mxWorld) meeting(t *testing.T, as context.Context, key string, childIDs []string, at time.Time, owner *lantern.User, team string,
	invitees []lantern.InviteeInput) *mxMeeting {
	t.Helper()
	q := func(field string) string { return canary(key, field) }
	m, err := w.st.CreateMeeting(as, lantern.MeetingInput{Kind: "context-conference", ChildIDs: childIDs, StartsAt: at, EndsAt: at.Add(time.Hour),
		Location: q("location"), Invitees: append(invitees, lantern.InviteeInput{Name: q("invitee"), Email: "invitee" + strings.ToLower(key) + "@mx.example.org"})})
	if err != nil {
		t.Fatal(err)
	}
	o := lantern.Outcome{Held: true, Chair: q("chair"), Minutes: q("minutes"), Associates: q("associates"),
		Actions: []lantern.MeetingAction{{Description: q("actiontext"), Owner: owner.ID, AgencyID: team, DueDate: lantern.Today(at).AddDays(7)}}}
	for _, c := range childIDs {
		o.Decisions = append(o.Decisions, lantern.MeetingDecision{ChildID: c, Level: "medium", Rationale: q("rationale")})
	}
	m, err = w.st.RecordOutcome(as, m.ID, m.Version, o)
	if err != nil {
		t.Fatal(err)
	}
	return &mxMeeting{key: key, id: m.ID, action: m.Actions[0].ID, children: len(childIDs) > 0}
}

func (w *mxWorld) actionTask(t *testing.T, m *mxMeeting) string {
	t.Helper()
	mm, err := w.st.FindMeeting(storetest.As(w.builder), m.id)
	if err != nil || mm.Actions[0].TaskID == "" {
		t.Fatalf("the action's task: %+v %v", mm, err)
	}
	return mm.Actions[0].TaskID
}

// mxTarget is a record a route is tried on, and the caller's relation to it.
type mxTarget struct {
	name  string
	child *mxChild   // for a child's routes, and a task's child
	meet  *mxMeeting // for a meeting's routes
	task  string
	rel   lantern.Relation
}

// targets are the records of each relation a route of its kind is tried on.
func (w *mxWorld) targets(on string, p *mxPrincipal) []mxTarget {
	switch on {
	case "child":
		return []mxTarget{{name: "their agency's child", child: w.mine[p.letter], rel: lantern.RelInvolved},
			{name: "another agency's child", child: w.theirs, rel: lantern.RelOther}}
	case "meeting":
		return []mxTarget{{name: "a meeting about their agency's child", meet: w.meetMine[p.letter], rel: lantern.RelInvolved},
			{name: "a meeting about another agency's child", meet: w.meetTheirs, rel: lantern.RelOther},
			{name: "a meeting about no child, arranged by their agency", meet: w.ctxOwn[p.letter], rel: lantern.RelOwn},
			{name: "a meeting about no child, their agency invited", meet: w.ctxInvited[p.letter], rel: lantern.RelInvolved},
			{name: "a meeting about no child, another agency's", meet: w.ctxOther, rel: lantern.RelOther}}
	case "task":
		return []mxTarget{{name: "their team's task", child: w.mine[p.letter], task: w.taskMine[p.letter], rel: lantern.RelOwn},
			{name: "another team's task", child: w.theirs, task: w.taskTheirs, rel: lantern.RelOther}}
	}
	return []mxTarget{{name: "no one record", rel: lantern.RelArea}}
}

// expect is what the policy says p gets: allowed, or the status of the
// refusal (404 for a record they may not see, 403 for one they see but may
// not act on, or an action on none).
func expect(rule web.RouteRule, p *mxPrincipal, tg mxTarget) (allowed bool, refusal int) {
	u := p.u
	switch rule.On {
	case "area":
		return lantern.Allowed(u, rule.Resource, rule.Action, lantern.RelArea), http.StatusForbidden
	case "self":
		return lantern.Allowed(u, rule.Resource, rule.Action, lantern.RelOwn), http.StatusForbidden
	case "child":
		if !lantern.Allowed(u, lantern.ResChild, lantern.ActRead, tg.rel) {
			return false, http.StatusNotFound
		}
		return lantern.Allowed(u, rule.Resource, rule.Action, tg.rel), http.StatusForbidden
	case "meeting":
		res := lantern.ResMeeting
		if !tg.meet.children {
			res = lantern.ResContextMeeting
		}
		if !lantern.Allowed(u, res, lantern.ActRead, tg.rel) {
			return false, http.StatusNotFound
		}
		return lantern.Allowed(u, res, rule.Action, tg.rel), http.StatusForbidden
	case "task":
		if !lantern.Allowed(u, lantern.ResChild, lantern.ActRead, lantern.ChildRelation(u, []string{tg.child.agencyID})) {
			return false, http.StatusNotFound
		}
		return lantern.Allowed(u, lantern.ResTask, rule.Action, tg.rel), http.StatusForbidden
	}
	return true, 0
}

// owns reports whether p owns the action of the meeting: its owner may mark
// it done whatever else they may.
func (w *mxWorld) owns(p *mxPrincipal, m *mxMeeting) bool {
	for l, mm := range w.meetMine {
		if mm == m && p == w.principals[strings.IndexByte("abcdefg", l)] {
			return true
		}
	}
	for l, mm := range w.ctxOwn {
		if mm == m && p == w.principals[strings.IndexByte("abcdefg", l)] {
			return true
		}
	}
	return false
}

// request builds a route's request on a target: its path with every
// parameter filled in (a fresh item where the route would take one away),
// and an empty body, so that an allowed caller is answered on their input
// (400 or 422) and nothing stored changes.
func (w *mxWorld) request(t *testing.T, pattern string, tg mxTarget, p *mxPrincipal) (method, path string) {
	t.Helper()
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "GET", pattern
	}
	switch path {
	case "/":
		return "GET", "/matrix/nowhere"
	case "/api/":
		return "GET", "/api/v1/matrix/nowhere"
	}
	c := tg.child
	fill := map[string]func() string{
		"id": func() string {
			switch {
			case tg.meet != nil:
				return tg.meet.id
			case c != nil:
				return c.id
			case strings.HasPrefix(path, "/admin/users/"):
				return w.target.ID
			case strings.Contains(path, "/directory/"):
				return w.contacts['b'].ID
			case strings.HasPrefix(path, "/account/passkeys/"):
				// Another's passkey: revoking one's own would end the
				// principal's session mid-walk (its own test covers that).
				id := "pk" + strconv.Itoa(int(w.seq.Add(1)))
				if _, err := w.st.DB().Exec(`INSERT INTO passkeys (id, user_id, name, credential, created_at) VALUES ($1, $2, 'Spare', '{}', '2026-01-01T10:00:00.000000Z')`,
					id, w.target.ID); err != nil {
					t.Fatal(err)
				}
				return id
			case strings.HasPrefix(path, "/account/tokens/"):
				_, tok, err := w.st.CreateToken(sysCtx(), p.u.ID, "spare", time.Hour)
				if err != nil {
					t.Fatal(err)
				}
				return tok.ID
			}
			t.Fatalf("no {id} for %s", pattern)
			return ""
		},
		"cid": func() string { return c.concern },
		"aid": func() string { return c.assessment },
		"rid": func() string { return c.referral },
		"sid": func() string { return c.s47 },
		// Intelligence from a record: the child's concern.
		"stype": func() string { return "concern" },
		"srcid": func() string { return c.concern },
		// A child-level extract: a table's name, with .csv on the page's path.
		"file":  func() string { return "ssd_person.csv" },
		"table": func() string { return "ssd_person" },
		"eid": func() string {
			for seg, id := range map[string]string{"/referrals/": c.referral, "/strategy-discussions/": c.discussion, "/conferences/": c.conference,
				"/core-groups/": c.coreGroup, "/social-work-assessments/": c.swAssessment, "/s47-enquiries/": c.s47, "/missing-episodes/": c.episode} {
				if strings.Contains(path, seg) {
					return id
				}
			}
			t.Fatalf("no {eid} for %s", pattern)
			return ""
		},
		"item_id": func() string {
			if c == w.sealed {
				return "an-item" // nothing can be added to it: the child is not found
			}
			base := "/api/v1/children/" + c.id
			n := fmt.Sprint(w.seq.Add(1))
			for seg, body := range map[string]string{"/names/": `{"name": "Spare ` + n + `", "kind": "alias"}`,
				"/addresses/": `{"address": "Spare ` + n + `", "from_date": "2022-01-01"}`, "/schools/": `{"school": "Spare ` + n + `", "from_date": "2022-01-01"}`,
				"/family/":        `{"name": "Spare ` + n + `", "relationship": "mother"}`,
				"/professionals/": `{"agency_id": "` + c.agencyID + `", "name": "Spare ` + n + `"}`} {
				if strings.Contains(path, seg) {
					return w.api(t, "POST", base+strings.TrimSuffix(seg, "/"), body)
				}
			}
			t.Fatalf("no {item_id} for %s", pattern)
			return ""
		},
		"sibling_id": func() string {
			if c == w.sealed {
				return w.mine['a'].id
			}
			sib := w.api(t, "POST", "/api/v1/children", `{"given_name": "Spare", "family_name": "Sibling", "date_of_birth": "2013-01-01", "gender": "male"}`)
			if _, err := w.st.Involve(storetest.As(w.builder), sib, lantern.InvolvementInput{AgencyID: c.agencyID, Reason: "A sibling"}); err != nil {
				t.Fatal(err)
			}
			w.api(t, "POST", "/api/v1/children/"+c.id+"/siblings", `{"sibling_id": "`+sib+`"}`)
			return sib
		},
		"iid": func() string {
			if c == w.sealed {
				return "an-involvement"
			}
			v, err := w.st.Involve(storetest.As(w.builder), c.id, lantern.InvolvementInput{AgencyID: w.spare.ID, Reason: "To be ended"})
			if err != nil {
				t.Fatal(err)
			}
			return v.ID
		},
		"action": func() string { return tg.meet.action },
		"tid": func() string {
			if strings.HasPrefix(path, "/api/v1/toolkits/") {
				return "nottingham-v1"
			}
			return tg.task
		},
		"day": func() string {
			if err := w.st.AddClosureDay(storetest.As(w.admin), lantern.Date{Year: 2026, Month: 12, Day: 29}, "A closure to remove"); err != nil &&
				lantern.ErrorCode(err) != lantern.EINVALID {
				t.Fatal(err)
			}
			return "2026-12-29"
		},
		"token": func() string { return "pw_nothing" },
		"qid": func() string {
			q, err := w.st.AskAgency(storetest.As(w.builder), w.theirs.id, w.theirs.referral, lantern.InfoRequestInput{AgencyID: p.u.AgencyID,
				Question: "What do you hold?", DueAt: w.e.clock.Now().Add(48 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return q.ID
		},
		"kid": func() string {
			k, err := w.st.AskFrontDoor(storetest.As(w.builder), "A fourteen-year-old with an older boyfriend: what should I do?")
			if err != nil {
				t.Fatal(err)
			}
			return k.ID
		},
		"xid": func() string {
			ctx := storetest.As(w.builder)
			n := fmt.Sprint(w.seq.Add(1))
			switch {
			case strings.Contains(path, "/persons/"):
				p, err := w.st.CreatePerson(ctx, &lantern.PersonOfConcern{Aliases: []string{"Spare " + n}})
				if err != nil {
					t.Fatal(err)
				}
				return p.ID
			case strings.Contains(path, "/vehicles/"):
				v, _, err := w.st.CreateVehicle(ctx, &lantern.Vehicle{VRM: fmt.Sprintf("XX%02dABC", w.seq.Add(1)%100)})
				if err != nil {
					t.Fatal(err)
				}
				return v.ID
			case strings.Contains(path, "/phones/"):
				p, _, err := w.st.CreatePhone(ctx, "07700 900"+fmt.Sprintf("%03d", w.seq.Add(1)%1000))
				if err != nil {
					t.Fatal(err)
				}
				return p.ID
			case strings.Contains(path, "/places/"):
				p, err := w.st.CreatePlace(ctx, &lantern.Place{Name: "Spare place " + n})
				if err != nil {
					t.Fatal(err)
				}
				return p.ID
			case strings.Contains(path, "/accounts/"):
				a, _, err := w.st.CreateAccount(ctx, &lantern.Account{Platform: "Snapchat", Handle: "spare" + n})
				if err != nil {
					t.Fatal(err)
				}
				return a.ID
			}
			t.Fatalf("no {xid} for %s", pattern)
			return ""
		},
		"lid": func() string {
			ctx := storetest.As(w.builder)
			n := fmt.Sprint(w.seq.Add(1))
			p, err := w.st.CreatePerson(ctx, &lantern.PersonOfConcern{Aliases: []string{"Linked " + n}})
			if err != nil {
				t.Fatal(err)
			}
			pl, err := w.st.CreatePlace(ctx, &lantern.Place{Name: "Linked place " + n})
			if err != nil {
				t.Fatal(err)
			}
			l, err := w.st.CreateLink(ctx, &lantern.Link{From: lantern.EntityRef{Type: lantern.EntityPerson, ID: p.ID},
				To: lantern.EntityRef{Type: lantern.EntityPlace, ID: pl.ID}, Kind: lantern.LinkSeenAt, Source: "A spare source"})
			if err != nil {
				t.Fatal(err)
			}
			return l.ID
		},
		"pid": func() string {
			// Two records of one man: the second is put on the review list.
			ctx := storetest.As(w.builder)
			n := fmt.Sprint(w.seq.Add(1))
			mk := func(given string) *lantern.PersonOfConcern {
				p, err := w.st.CreatePerson(ctx, &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: given, Family: "Pairson" + n}},
					DateOfBirth: &lantern.Date{Year: 1990, Month: 3, Day: 4}, Sex: "male"})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			mk("Mohammed")
			b := mk("Muhammad")
			for _, q := range w.principals {
				if q.u.Has(lantern.RolePolice) {
					pairs, err := w.st.ReviewPairs(storetest.As(q.u))
					if err != nil {
						t.Fatal(err)
					}
					for _, pr := range pairs {
						if pr.PersonA == b.ID || pr.PersonB == b.ID {
							return pr.ID
						}
					}
				}
			}
			t.Fatalf("no review pair for %s", pattern)
			return ""
		},
		"$": func() string { return "" },
		// An information-sharing agreement, and a break-glass access
		// waiting for review, made for the route.
		"agid": func() string {
			ig, err := w.st.CreateUser(sysCtx(), lantern.UserInput{Email: "ig" + strconv.Itoa(int(w.seq.Add(1))) + "@matrix.example.org", Name: "Ida Governance",
				AgencyID: w.target.AgencyID, Roles: []lantern.Role{lantern.RoleInfoGovernance}})
			if err != nil {
				t.Fatal(err)
			}
			var agencies []string
			for _, a := range w.agencies {
				agencies = append(agencies, a.a.ID)
			}
			a, err := w.st.SaveAgreement(storetest.As(ig), "", lantern.AgreementInput{Title: "Matrix agreement", AgencyIDs: agencies, Purposes: "Safeguarding",
				DataClasses: "Identity", Basis: lantern.BasisPublicTask, Retention: "Seven years", Signatories: "Directors",
				StartsOn: lantern.Date{Year: 2025, Month: 1, Day: 1}, ReviewOn: lantern.Date{Year: 2027, Month: 1, Day: 1}})
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		},
		"fsid": func() string {
			id := "fs" + strconv.Itoa(int(w.seq.Add(1)))
			if _, err := w.st.DB().Exec(`INSERT INTO figure_shares (id, period_from, period_to, profile, purpose, recipient, sha256, output, created_by, created_at)
				VALUES ($1, '2025-04-01', '2026-03-31', 'dfe', 'board-paper', 'The board (fictional)', 'ab', $2, $3, '2026-01-01T10:00:00.000000Z')`,
				id, []byte("table,row,column,value\r\n"), w.target.ID); err != nil {
				t.Fatal(err)
			}
			return id
		},
		// An action of the strategy plan, and a document of the register,
		// made for the route by a coordinator.
		"actid": func() string {
			ctx := storetest.As(w.planKeeper(t))
			n := int(w.seq.Add(1))
			strands, err := w.st.Strands(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(strands) == 0 {
				st, err := w.st.SaveStrand(ctx, "", lantern.StrandInput{Number: 1, Title: "Matrix strand"})
				if err != nil {
					t.Fatal(err)
				}
				strands = append(strands, st)
			}
			st := strands[0]
			a, err := w.st.SavePlanAction(ctx, "", lantern.PlanActionInput{StrandID: st.ID, Reference: "M" + strconv.Itoa(n), Description: "Matrix action",
				Lead: w.builder.ID})
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		},
		"strandid": func() string {
			ctx := storetest.As(w.planKeeper(t))
			strands, err := w.st.Strands(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(strands) > 0 {
				return strands[0].ID
			}
			st, err := w.st.SaveStrand(ctx, "", lantern.StrandInput{Number: 1, Title: "Matrix strand"})
			if err != nil {
				t.Fatal(err)
			}
			return st.ID
		},
		"docid": func() string {
			d, err := w.st.SavePolicyDocument(storetest.As(w.planKeeper(t)), "", lantern.PolicyDocumentInput{Title: "Matrix procedure",
				Scope: lantern.ScopeMultiAgency, IssuedOn: lantern.Date{Year: 2025, Month: 1, Day: 1}, Owner: "The partnership", Status: lantern.DocCurrent})
			if err != nil {
				t.Fatal(err)
			}
			return d.ID
		},
		"bgid": func() string {
			var child string
			if err := w.st.DB().QueryRow(`SELECT id FROM children ORDER BY id LIMIT 1`).Scan(&child); err != nil {
				t.Fatal(err)
			}
			id := "bg" + strconv.Itoa(int(w.seq.Add(1)))
			if _, err := w.st.DB().Exec(`INSERT INTO seal_access (id, child_id, user_id, kind, reason, granted_by, granted_at, expires_at)
				VALUES ($1, $2, $3, 'break-glass', 'A reason of twenty characters or more', $3, '2026-01-01T10:00:00.000000Z', '2026-01-01T14:00:00.000000Z')`,
				id, child, w.target.ID); err != nil {
				t.Fatal(err)
			}
			return id
		},
	}
	path = regexp.MustCompile(`\{([a-z_$]+)\}`).ReplaceAllStringFunc(path, func(m string) string {
		f, ok := fill[m[1:len(m)-1]]
		if !ok {
			t.Fatalf("no value for %s in %s", m, pattern)
		}
		return f()
	})
	return method, path
}

// send makes a request as p, by their session for a page and their token
// for the API, with an empty body.
func (w *mxWorld) send(t *testing.T, p *mxPrincipal, method, path string) response {
	t.Helper()
	var body io.Reader
	hdr := []string{}
	api := strings.HasPrefix(path, "/api/")
	if method != "GET" && method != "DELETE" {
		if api {
			body, hdr = strings.NewReader(`{}`), append(hdr, "Content-Type", "application/json")
		} else {
			body, hdr = strings.NewReader(""), append(hdr, "Content-Type", "application/x-www-form-urlencoded")
		}
	}
	auth := ""
	if api {
		auth = "Bearer " + p.token
	} else {
		hdr = append(hdr, "Cookie", web.SessionCookie+"="+p.session)
	}
	return w.e.do(method, path, auth, body, hdr...)
}

// restrictedCanaries are the canary fields written into restricted fields
// (lantern.RestrictedFields), and the rule that decides who reads each.
var restrictedCanaries = map[string]lantern.Resource{
	"words":      lantern.ResDisclosure,
	"childsaid":  lantern.ResReturnAccount,
	"disability": lantern.ResHealth,
}

// sees reports whether p may see the field of the records of a canary key.
func (w *mxWorld) sees(p *mxPrincipal, key, field string) bool {
	u, kind, letter := p.u, key[0], key[1]
	switch kind {
	case 'M', 'T':
		rel := lantern.RelOther
		if letter == p.letter {
			rel = lantern.RelInvolved
		}
		if !lantern.Allowed(u, lantern.ResChild, lantern.ActRead, rel) {
			return false
		}
		if res, ok := restrictedCanaries[field]; ok {
			if field == "words" && u.AgencyID == w.builder.AgencyID {
				rel = lantern.RelOwn // the builder's agency recorded the concern
			}
			return lantern.Allowed(u, res, lantern.ActRead, rel)
		}
		return true
	case 'O', 'I', 'X':
		rel := lantern.RelOther
		if letter == p.letter {
			rel = map[byte]lantern.Relation{'O': lantern.RelOwn, 'I': lantern.RelInvolved, 'X': lantern.RelOther}[kind]
		}
		return lantern.Allowed(u, lantern.ResContextMeeting, lantern.ActRead, rel)
	case 'D':
		return lantern.Allowed(u, lantern.ResDirectory, lantern.ActList, lantern.RelArea)
	}
	return false
}

// planKeeper is a CSE coordinator who keeps the strategy plan and the
// register, made once, for the routes that need an action or a document.
func (w *mxWorld) planKeeper(t *testing.T) *lantern.User {
	t.Helper()
	if u, err := w.st.FindUserByEmail(sysCtx(), "plan.keeper@matrix.example.org"); err == nil {
		return u
	}
	u, err := w.st.CreateUser(sysCtx(), lantern.UserInput{Email: "plan.keeper@matrix.example.org", Name: "Pip Keeper",
		AgencyID: w.builder.AgencyID, Roles: []lantern.Role{lantern.RoleCSECoordinator}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// leaks are the canaries in a response that its caller may not see.
func (w *mxWorld) leaks(t *testing.T, p *mxPrincipal, r response) []string {
	text := string(r.body)
	if strings.HasPrefix(r.header.Get("Content-Type"), "application/pdf") {
		text = pdfText(t, r.body)
	}
	for k, vs := range r.header {
		text += "\n" + k + ": " + strings.Join(vs, ", ")
	}
	var out []string
	for _, m := range canaryRE.FindAllStringSubmatch(text, -1) {
		if p == nil || !w.sees(p, m[1], m[2]) {
			out = append(out, m[0])
		}
	}
	return out
}

func pdfText(t *testing.T, b []byte) string {
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Errorf("a PDF that does not read: %v", err)
		return ""
	}
	var s strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		txt, _ := p.GetPlainText(nil)
		s.WriteString(txt)
	}
	return s.String()
}

// run walks every route as every principal on every relation.
func (w *mxWorld) run(t *testing.T) int {
	routes := w.e.srv.Web.Routes()
	n := 0
	for _, pattern := range routes {
		rule, ok := web.RuleOf(pattern)
		if !ok {
			t.Errorf("%s has no row in the route table", pattern)
			continue
		}
		if rule.On == "public" || rule.On == "session" {
			continue
		}
		for _, p := range w.principals {
			for _, tg := range w.targets(rule.On, p) {
				method, path := w.request(t, pattern, tg, p)
				r := w.send(t, p, method, path)
				n++
				allowed, refusal := expect(rule, p, tg)
				if rule.On == "meeting" && rule.Action == lantern.ActComplete && w.owns(p, tg.meet) {
					allowed = true
				}
				if strings.HasPrefix(pattern, "POST /account/tokens/{id}/revoke") {
					allowed = true // their own token
				}
				if pattern == "GET /children/{id}/break-glass" && lantern.MayBreakGlass(p.u) {
					allowed = true // the form, the same for every id, to all who may break the glass
				}
				if pattern == "POST /account/passkeys/{id}/revoke" {
					// Another's passkey: the administrator's to revoke.
					allowed, refusal = p.u.Has(lantern.RoleAdmin), http.StatusNotFound
				}
				where := fmt.Sprintf("%s as %s on %s (%s %s)", pattern, p.name, tg.name, method, path)
				switch {
				case r.status >= 500:
					t.Errorf("%s: %d %.300s", where, r.status, r.body)
				case path == "/matrix/nowhere" || path == "/api/v1/matrix/nowhere":
					if r.status != http.StatusNotFound {
						t.Errorf("%s: %d, want 404", where, r.status)
					}
				case allowed && (r.status == 401 || r.status == 403 || r.status == 404 || r.status == 429):
					t.Errorf("%s: %d, but the policy allows it: %.300s", where, r.status, r.body)
				case !allowed && r.status != refusal:
					t.Errorf("%s: %d, want %d (the policy refuses it): %.300s", where, r.status, refusal, r.body)
				}
				ls := w.leaks(t, p, r)
				if strings.Contains(pattern, "/requests") || strings.Contains(pattern, "information-requests") {
					// An information request shows the agency asked who the
					// child is, and nothing else of the record: that is the
					// audited act of asking (docs/frontdoor.md).
					ls = slices.DeleteFunc(ls, func(c string) bool {
						return strings.HasSuffix(c, "Qgiven") || strings.HasSuffix(c, "Qfamily") || strings.HasSuffix(c, "Qaddress")
					})
				}
				if len(ls) > 0 {
					t.Errorf("%s: %d: leaks %q", where, r.status, ls)
				}
			}
		}
	}
	// The sealed child's own routes are not found, for every principal
	// (none is on its allow-list), whatever they could do were it not
	// sealed. Breaking the glass is tried in its own test.
	for _, pattern := range routes {
		if rule, _ := web.RuleOf(pattern); rule.On != "child" || strings.Contains(pattern, "/break-glass") {
			continue
		}
		for _, p := range w.principals {
			method, path := w.request(t, pattern, mxTarget{name: "a sealed child", child: w.sealed, rel: lantern.RelOther}, p)
			r := w.send(t, p, method, path)
			n++
			if r.status != http.StatusNotFound {
				t.Errorf("%s as %s on the sealed child (%s %s): %d, want 404: %.300s", pattern, p.name, method, path, r.status, r.body)
			}
			if ls := w.leaks(t, p, r); len(ls) > 0 {
				t.Errorf("%s as %s on the sealed child: leaks %q", pattern, p.name, ls)
			}
		}
	}
	// Another's token is the administrator's to revoke; to anyone else it
	// is not found.
	for _, p := range w.principals {
		_, tok, err := w.st.CreateToken(sysCtx(), w.target.ID, "another's", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		r := w.send(t, p, "POST", "/account/tokens/"+tok.ID+"/revoke")
		n++
		if want := map[bool]int{true: 200, false: 404}[p.u.Has(lantern.RoleAdmin)]; r.status != want {
			t.Errorf("POST /account/tokens/{id}/revoke of another's token as %s: %d, want %d", p.name, r.status, want)
		}
	}
	return n
}

// credentials tries every route that is not public with no credentials, an
// expired session, a revoked token and an API token on a page.
func (w *mxWorld) credentials(t *testing.T) int {
	p := w.principals[strings.IndexByte("abcdefg", 'a')] // a practitioner in children's social care
	_, revoked, err := w.st.CreateToken(sysCtx(), p.u.ID, "to revoke", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	secret := func() string {
		s, tok, err := w.st.CreateToken(sysCtx(), p.u.ID, "revoked", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.st.RevokeToken(sysCtx(), tok.ID); err != nil {
			t.Fatal(err)
		}
		return s
	}
	_ = revoked
	revokedSecret := secret()
	expired := p.session
	// Half an hour idle ends a session.
	w.e.clock.Add(31 * time.Minute)
	n := 0
	addr := 0
	for _, pattern := range w.e.srv.Web.Routes() {
		rule, _ := web.RuleOf(pattern)
		if rule.On == "public" || rule.On == "session" {
			continue
		}
		tg := w.targets(rule.On, p)[0]
		method, path := w.request(t, pattern, tg, p)
		api := strings.HasPrefix(path, "/api/")
		signIn := func(what string, r response) {
			t.Helper()
			switch {
			case api && r.status != 401:
				t.Errorf("%s %s with %s: %d, want 401", method, path, what, r.status)
			case !api && method == "GET" && (r.status != 303 || r.header.Get("Location") != "/sign-in"):
				t.Errorf("%s %s with %s: %d to %q, want 303 to /sign-in", method, path, what, r.status, r.header.Get("Location"))
			case !api && method != "GET" && r.status != 401:
				t.Errorf("%s %s with %s: %d, want 401", method, path, what, r.status)
			}
			if ls := w.leaks(t, nil, r); len(ls) > 0 {
				t.Errorf("%s %s with %s leaks %q", method, path, what, ls)
			}
		}
		var body io.Reader
		if method != "GET" && method != "DELETE" {
			body = strings.NewReader("")
		}
		signIn("no credentials", w.e.do(method, path, "", body))
		signIn("an expired session", w.e.do(method, path, "", body, "Cookie", web.SessionCookie+"="+expired))
		// A refused token is counted against its address: each from its own.
		addr++
		from := fmt.Sprintf("10.9.%d.%d", addr/250, addr%250+1)
		r := w.e.do(method, path, "Bearer "+revokedSecret, body, "X-Forwarded-For", from)
		if r.status != 401 {
			t.Errorf("%s %s with a revoked token: %d, want 401", method, path, r.status)
		}
		if !api {
			fresh, _, err := w.st.CreateToken(sysCtx(), p.u.ID, "on a page", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			signIn("an API token", w.e.do(method, path, "Bearer "+fresh, body))
			n++
		}
		n += 3
	}
	return n
}
