package web

import (
	"fmt"
	"html/template"
	"io"
	fig "lantern/figures"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"text/template/parse"
	"time"

	"lantern"
	"lantern/figures/ssd"
	"lantern/store"
	"lantern/toolkit"
)

// Samples for the view models: enough for every page to render.
var (
	sampleChild     = &lantern.Child{ID: "c1", GivenName: "Ana", FamilyName: "Sample"}
	sampleMeeting   = &lantern.Meeting{ID: "m1", Kind: "cse-strategy", Status: "scheduled"}
	sampleEventForm = eventFormView{Child: sampleChild, Action: "/children/c1/referrals/new"}
	sampleNetwork   = &lantern.Network{ChildID: "c1", Hops: 2, Nodes: []*lantern.NetworkNode{{Type: lantern.EntityChild, ID: "c1", Label: "Ana Sample"},
		{Type: lantern.EntityPerson, ID: "p1", Label: "Dee", Hop: 1, Links: 2}, {Type: lantern.EntityPlace, ID: "x1", Label: "Chicken Shack", Hop: 2, Links: 250, Hub: true, Hotspot: true}},
		Edges: []*lantern.NetworkEdge{{ID: "l1", From: lantern.EntityRef{Type: lantern.EntityPerson, ID: "p1"}, To: lantern.EntityRef{Type: lantern.EntityChild, ID: "c1"}, Kind: lantern.LinkAssociate},
			{ID: "l2", From: lantern.EntityRef{Type: lantern.EntityPerson, ID: "p1"}, To: lantern.EntityRef{Type: lantern.EntityPlace, ID: "x1"}, Kind: lantern.LinkSeenAt, Grading: &lantern.Grading{Source: "1", Intelligence: "B", Handling: "P"}}},
		HiddenChildren: 2, Truncated: true}
)

// samplePromptRows are decisions on suggestions from intelligence, as the
// assessment's page shows them.
var samplePromptRows = []promptDecisionRow{{Indicator: "Associating with known CSE perpetrators", Text: "Intelligence links this child to Dee",
	Href: "/intelligence/persons/p1", Noun: "person", Withdrawn: true, Confirmed: true, DecidedBy: "Sam Sample"},
	{Indicator: "Linked to hotspot CSE areas", Reason: "She works there"}}

// viewModels maps each page template to a sample of the view model its
// handlers give it in page.Data; nil for a page that has none.
var viewModels = map[string]any{
	"home":          homeView{D: &store.Dashboard{ByLevel: map[string]int{"high": 1}, Levels: []string{"high"}, FrontDoor: true, Waiting: 2, Team: true}},
	"front_door":    frontDoorView{Items: []*lantern.FrontDoorItem{{ReferralID: "r", ChildID: "c", ChildName: "A B", ImmediateRisk: true, RAG: lantern.RAGRed, Level: "high"}}},
	"consultations": consultationsView{Consultations: []*lantern.Consultation{{ID: "k", Question: "What should I do?"}}, Advises: true},
	"requests":      requestsView{Requests: []*lantern.InfoRequest{{ID: "q", ChildName: "A B", Question: "What do you hold?"}}},
	"signin":        signInView{Password: true, Directory: "Northmoor Council"},
	"signedout":     nil,
	"twofactor":     twoFactorView{Passkeys: true},
	"recovery":      []string{"abcd-efgh"},
	"set_password":  setPasswordView{},
	"user_form":     userFormView{},
	"involvements":  involvementsView{Child: sampleChild},
	"account":       accountView{CanPasskey: true, Passkeys: []*lantern.Passkey{{ID: "k1", Name: "Work laptop"}, {ID: "k2", Name: "Old phone", RevokedAt: &sampleTime}}},
	"users":         usersView{},
	"agencies":      agenciesView{},
	"audit":         auditView{},
	"calendar":      calendarView{},
	"toolkits":      toolkitsView{},
	"enrol":         enrolView{},
	"error":         errorView{},
	"children":      childrenView{},
	"child": childView{Child: sampleChild, Lists: &lantern.ChildLists{}, Events: &lantern.ChildEvents{}, CanShare: true, CanSeal: true,
		Seal: &lantern.Seal{ChildID: "c1", Reason: "A member of staff's child"}, Shares: []*lantern.InformationShare{{ID: "s1", Outcome: lantern.ShareShared,
			To: "Riverside Academy", What: "Toolkit", Purpose: "Planning", Basis: lantern.BasisPublicTask, Consent: lantern.ConsentGiven, Emergency: true},
			{ID: "s2", Outcome: lantern.ShareNotShared, To: "Club", What: "Address", Reason: "No need", SupersededBy: "s3"}}},
	"share_form": shareFormView{Child: sampleChild, Agencies: []*lantern.Agency{{ID: "a1", Name: "Riverside Academy"}},
		Agreements: []*lantern.Agreement{{ID: "g1", AgreementInput: lantern.AgreementInput{Title: "CSE agreement", Version: 2}}},
		Bases:      []option{{"public-task", "Public task"}}, Conditions: []option{{"", "None"}}, Consents: []option{{"given", "Given"}}},
	"seal": sealView{Child: sampleChild, CanChange: true, People: []lantern.Person{{ID: "u1", Name: "Sam"}},
		Seal: &lantern.Seal{ChildID: "c1", Reason: "A member of staff's child", Allowed: []*lantern.SealAccess{{ID: "x1", UserID: "u1", UserName: "Sam", Kind: lantern.AccessAllowed},
			{ID: "x2", UserID: "u2", UserName: "Cora", Kind: lantern.AccessBreakGlass, Reason: "A reason of twenty characters"}}}},
	"break_glass": breakGlassView{ChildID: "c1", Hours: 4},
	"break_glass_reviews": breakGlassReviewsView{Late: 1, Accesses: []*lantern.SealAccess{{ID: "x2", ChildID: "c1", UserID: "u2", UserName: "Cora",
		Kind: lantern.AccessBreakGlass, Reason: "A reason of twenty characters", Late: true}}},
	"agreements": agreementsView{CanChange: true, Names: map[string]string{"a1": "Riverside Academy"}, Agreements: []*lantern.Agreement{{ID: "g1",
		AgreementInput: lantern.AgreementInput{Title: "CSE agreement", Version: 2, AgencyIDs: []string{"a1", "a2"}, Basis: lantern.BasisPublicTask,
			Condition: lantern.ConditionSafeguardingChildren}}}},
	"agreement_form": agreementFormView{ID: "g1", Agencies: []*lantern.Agency{{ID: "a1", Name: "Riverside Academy"}}, Bases: []option{{"public-task", "Public task"}}, Chosen: map[string]bool{"a1": true}},
	"figure_shares": &figureSharesView{Shares: []*lantern.FigureShare{{ID: "s1", From: lantern.Date{Year: 2025, Month: 4, Day: 1}, To: lantern.Date{Year: 2026, Month: 3, Day: 31},
		Profile: "dfe", Purpose: lantern.SharePurposeBoard, Recipient: "Eastshire (fictional)", SHA256: strings.Repeat("ab", 32)}},
		Purposes: lantern.FigureSharePurposes, Profiles: []fig.Profile{"dfe", "nhs"}, AreaProfile: "dfe", MayShare: true, PurposeLabel: lantern.FigureSharePurposeLabel},
	"figure_share": &figureShareView{Share: &lantern.FigureShare{ID: "s1", Profile: "dfe", SHA256: strings.Repeat("ab", 32)},
		Tables: []sentTable{{ID: "sex", Title: "Open in the period, by sex", Columns: []string{"children", "per_cent"}, Rows: []sentRow{{Label: "Female", Cells: []string{"[c]", "[c]"}}}}},
		Rows:   [][]string{{"table", "row", "column", "value"}, {"sex", "Female", "children", "[c]"}}, PurposeLabel: "In a board paper"},
	"not_shared": notSharedView{Counts: []store.NotSharedCount{{Month: "2026-11", Agency: "Riverside Academy", Count: 2}}},
	"dataset": datasetView{Profile: "dfe", Profiles: []fig.Profile{"internal", "dfe"}, Query: "profile=dfe", Tables: []fig.Table{{ID: "sex", Columns: []string{"children"},
		Rows: []fig.Row{{Label: "Female", Values: map[string]fig.Value{"children": fig.Num(12)}}, {Label: "Male", Values: map[string]fig.Value{"children": fig.Sym("c")}}}}},
		Figures: []figureView{{Table: fig.Table{ID: "sex", Columns: []string{"children"}, Rows: []fig.Row{{Label: "Female", Values: map[string]fig.Value{"children": fig.Num(12)}}}}}}},
	"trend": trendView{Profile: "dfe", Profiles: []fig.Profile{"internal", "dfe"}, Period: "month", Periods: fig.TrendPeriods, Query: "period=month",
		Figure: figureView{Table: fig.Table{ID: "trend", Columns: []string{"2026-04"}, Rows: []fig.Row{{Label: "New", Values: map[string]fig.Value{"2026-04": fig.Sym("c")}}}}}},
	"profile": packView{Profile: "dfe", Profiles: []fig.Profile{"internal", "dfe"}, Defaulted: true, TrendPeriod: "month", Notes: []string{"A note"}, Symbols: [][2]string{{"[c]", "Suppressed"}},
		Figures: []figureView{{Table: fig.Table{ID: "sex", Columns: []string{"children"}, Rows: []fig.Row{{Label: "Female", Values: map[string]fig.Value{"children": fig.Num(12)}}}}}},
		Trend:   figureView{Table: fig.Table{ID: "trend", Columns: []string{"2026-04"}, Rows: []fig.Row{{Label: "New", Values: map[string]fig.Value{"2026-04": fig.Num(3)}}}}}},
	"extracts": extractsView{Tables: ssd.Tables, From: lantern.Date{Year: 2026, Month: 4, Day: 1}, To: lantern.Date{Year: 2026, Month: 11, Day: 22},
		Cover: store.ExtractCover{SealedLeftOut: 2}, Chosen: true, DataModel: ssd.Source, Commit: ssd.SourceCommit},
	"shares_received":         []*lantern.InformationShare{{ID: "s1", ChildID: "c1", What: "Toolkit", Basis: lantern.BasisPublicTask}},
	"child_form":              childFormView{},
	"child_conflict":          childConflictView{Child: sampleChild},
	"child_list_form":         childListFormView{Child: sampleChild, Kind: "names"},
	"child_list_siblings":     siblingsView{Child: sampleChild},
	"concern_form":            concernFormView{Child: sampleChild},
	"concern":                 concernView{Child: sampleChild, Concern: &lantern.Concern{}},
	"assessment_form":         assessmentFormView{Child: sampleChild, Toolkit: &toolkit.Definition{}},
	"assessment":              assessmentView{Child: sampleChild, A: &toolkit.Assessment{Suggested: &toolkit.Result{}}, Toolkit: &toolkit.Definition{}, Prompts: samplePromptRows},
	"merge":                   mergeView{Child: sampleChild},
	"child_matches":           childMatchesView{},
	"duplicates":              duplicatesView{Status: lantern.DuplicateOpen},
	"allocate":                allocateView{Child: sampleChild},
	"event_referral_form":     referralFormView{eventFormView: sampleEventForm},
	"event_discussion_form":   discussionFormView{eventFormView: sampleEventForm},
	"event_conference_form":   conferenceFormView{eventFormView: sampleEventForm},
	"event_coregroup_form":    sampleEventForm,
	"event_swassessment_form": swAssessmentFormView{eventFormView: sampleEventForm},
	"event_s47_form":          s47FormView{eventFormView: sampleEventForm},
	"event_referral":          referralView{Child: sampleChild, Referral: &lantern.Referral{}, Detail: &store.FrontDoorDetail{}, FrontDoor: true},
	"event_record":            eventRecordView{Child: sampleChild, Record: &eventRecord{Complete: &s47CompleteForm{Outcomes: s47Outcomes}}},
	"chronology":              chronologyView{Child: sampleChild, Rows: []chronologyRow{{Kind: "Concern", Summary: "Seen", Link: "/"}}},
	"meetings":                meetingsView{},
	"meeting_form":            meetingFormView{},
	"meeting_invitees":        meetingInviteesView{Meeting: sampleMeeting},
	"meeting":                 meetingView{Meeting: sampleMeeting},
	"meeting_change":          meetingChangeView{Meeting: sampleMeeting},
	"meeting_outcome":         meetingOutcomeView{Meeting: sampleMeeting},
	"meeting_figures":         meetingFiguresView{},
	"missing_form":            missingFormView{Child: sampleChild},
	"missing_episode":         missingEpisodeView{Child: sampleChild, Episode: &lantern.MissingEpisode{}},
	"missing_figures":         missingFiguresView{},
	"work":                    workView{},
	"task":                    taskView{T: &store.TaskDetail{Task: &lantern.Task{}}},
	"team":                    teamView{},
	"timeliness":              timelinessView{},
	"directory":               directoryView{},
	"directory_form":          directoryFormView{},
	"held_form":               heldFormView{},
	"intel":                   intelView{CanRead: true, By: "q", Results: []intelResultRow{{Noun: "person", Label: "Dee", Href: "/intelligence/persons/p1"}}, Kinds: intelKinds, Recorded: "Person recorded", Child: "c1"},
	"intel_entity": intelEntityView{Kind: intelKinds[0], Ref: "person:p1", Label: "Dee", Facts: []intelFact{{Key: "Names", Value: "Dee Sample", Tag: "Estimated"}},
		Links: []intelLinkRow{{ID: "l1", From: intelEnd{Label: "This person", Self: true}, To: intelEnd{Label: "Ana Sample", Href: "/children/c1"}, KindLabel: "Associate of",
			Grading: "1B P", Graded: true, Final: true, Legacy: "B2", Conditions: "None", SourceText: "Log 1", HowKnown: "Seen"}},
		Police: true, Grader: true, Grades: grades, MergedInto: "p2",
		Resolve: &personResolveView{Merger: true, Also: []intelEnd{{Label: "Dee S", Href: "/intelligence/persons/p3", Ref: "person:p3"}},
			Candidates: []candidateRow{{ID: "p4", Label: "D Sample", Href: "/intelligence/persons/p4", Percent: "87.5%", Likelihood: "For a person to decide",
				TagClass: "govuk-tag--yellow", Total: "+2.8", Open: true, Weights: []weightRow{{Comparison: "Family name", Found: "exact", Bits: "+6.2", For: true}}}}}},
	"intel_reviews": reviewsView{Waiting: "1 pair", More: true, Answers: pairAnswers, Pairs: []reviewPairRow{{ID: "pr1", A: intelEnd{Label: "Dee", Href: "/intelligence/persons/p1"},
		B: intelEnd{Label: "D", Href: "/intelligence/persons/p2"}, Facts: []reviewFact{{Key: "Names", A: "Dee Sample", B: "D Sample"}}, Chance: "85%",
		Why: []string{"Family name: exact (+6.2)"}, Found: "1 May 2026, 10:00", OneAlready: true}}},
	"intel_form":           intelFormView{Kind: intelKinds[0]},
	"intel_link_form":      linkFormView{From: &linkEndView{Ref: "child:c1", Noun: "child", Label: "Ana Sample"}, Record: intelKinds, Grades: grades},
	"network":              buildNetworkView(sampleChild, sampleNetwork, url.Values{"hops": {"2"}}),
	"intel_tools":          toolsView{Tools: intelTools},
	"intel_path":           samplePathView(),
	"intel_shared":         sharedView{Asked: true, Children: []networkNodeRow{{Ref: "child:c1", Label: "Ana Sample", Href: "/children/c1"}}, Rows: []sharedRow{{Node: networkNodeRow{Ref: "person:p1", Noun: "person", Label: "Dee", Hotspot: true}, Children: []string{"Ana Sample", "Bea Sample"}}}, Truncated: true},
	"intel_groups":         groupsView{Rows: []groupRow{{Rank: 1, Size: 5, Children: 2, Persons: 2, Places: 1, Top: []networkNodeRow{{Ref: "person:p1", Noun: "person", Label: "Dee", Links: 3}}}}, Total: 1, CSV: "/intelligence/groups.csv?"},
	"intel_most_connected": mostConnectedView{Types: []eventOption{{Value: "", Label: "Every kind"}}, Rows: []rankedRow{{Rank: 1, Node: networkNodeRow{Ref: "person:p1", Noun: "person", Label: "Dee", Links: 3, Hotspot: true}}}, CSV: "/x"},
	"intel_timeline":       sampleTimelineView(),
	"intel_hotspots":       sampleHotspotsView(),
	"area_boundary":        boundaryView{Loaded: true, Name: "Wards", LoadedAt: "1 May 2026 at 10:00", NamedBy: "Their property name", Areas: []boundaryAreaRow{{Name: "Mill", Vertices: 5}}, Vertices: 5, CanLoad: true},
	"disruptions": disruptionsView{List: &store.DisruptionList{Disruptions: []*lantern.Disruption{{ID: "d", Kind: "cawn", Expires: &lantern.Date{Year: 2027, Month: 1, Day: 1},
		Children: []lantern.DisruptionChild{{ChildID: "c1", Role: "protected", Name: "Ana Sample"}}}}, HiddenChildren: 1}},
	"intel_intake": intakeView{Child: sampleChild, Source: &lantern.IntakeSource{Type: "concern", ID: "k1", Label: "Concern recorded 2026-11-30", Text: "Dee"},
		Back: "/children/c1/concerns/k1", Reader: true, TypeLabels: map[lantern.EntityType]string{lantern.EntityPerson: "Person"},
		Rows: intakeRows([]lantern.IntakeSuggestion{{Mention: lantern.Mention{Type: lantern.EntityPerson, Text: "Dee"}, Kind: lantern.LinkAssociate, Held: true,
			Matches: []lantern.IntelResult{{Type: lantern.EntityPerson, ID: "p1", Label: "Dee"}}}}, "concern")},
	"disruption_form": disruptionFormView{Rows: []int{0, 1}},
	"police_form_choose": policeFormView{Child: sampleChild, Groups: []policeFormGroup{{Type: "link", Title: "Links",
		Items: []lantern.PoliceFormItem{{Type: "link", ID: "l", Label: "A: seen at B", Link: &lantern.PoliceFormLink{}}}}},
		Forces: []lantern.PoliceFormAgency{{ID: "f", Name: "Moor Police"}}, Shares: []*lantern.PoliceFormShare{{ID: "s"}}},
	"police_form": policeFormPrintView{Form: &lantern.PoliceForm{}, Groups: []policeFormGroup{{Type: "person", Title: "Persons",
		Items: []lantern.PoliceFormItem{{Type: "person", ID: "p", Person: &lantern.PersonOfConcern{Aliases: []string{"T"}}},
			{Type: "link", ID: "l", Link: &lantern.PoliceFormLink{Grading: &lantern.Grading{Source: "1", Intelligence: "A", Handling: "P"}}},
			{Type: "vehicle", ID: "v", Vehicle: &lantern.Vehicle{VRM: "AB1"}}, {Type: "phone", ID: "ph", Phone: &lantern.Phone{}},
			{Type: "place", ID: "pl", Place: &lantern.Place{Name: "P"}}, {Type: "account", ID: "a", Account: &lantern.Account{}}}}}},
}

// TestViewModelFields checks every field path a page's templates read
// against the page's view model type, in every branch, so that a field the
// view model lacks fails here rather than on someone's screen.
func TestViewModelFields(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	for name, sample := range viewModels {
		tmpl, ok := pages[name]
		if !ok {
			t.Errorf("%s: no such template", name)
			continue
		}
		var data *vtype
		if sample == nil {
			data = &vtype{t: reflect.TypeFor[struct{}]()} // nothing to read
		} else {
			data = &vtype{t: reflect.TypeOf(sample)}
		}
		c := newViewChecker(tmpl, data)
		c.call("layout.html", &vtype{t: reflect.TypeFor[*page]()})
		for _, e := range c.errs {
			t.Errorf("%s: %s", name, e)
		}
	}
}

// TestViewModelsRender runs every page template with its sample view model.
func TestViewModelsRender(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	for name := range pages {
		if _, ok := viewModels[name]; !ok {
			t.Errorf("%s: no view model in the table", name)
		}
	}
	for name, sample := range viewModels {
		tmpl, ok := pages[name]
		if !ok {
			continue
		}
		p := &page{Title: name, User: &lantern.User{ID: "u1", Name: "Sam Sample"}, Data: sample, Form: map[string]string{}}
		if err := tmpl.ExecuteTemplate(io.Discard, "layout.html", p); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestViewChecker makes sure the checker finds a field a view model lacks.
func TestViewChecker(t *testing.T) {
	type view struct {
		Child struct{ Name string }
		Items []struct{ ID string }
	}
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	for src, want := range map[string]string{
		`{{.Data.Child.Name}}{{range .Data.Items}}{{.ID}}{{end}}`: "",
		`{{.Data.Chlid.Name}}`: "Chlid",
		`{{with .Data}}{{if false}}{{.Child.Nmae}}{{end}}{{end}}`:                   "Nmae",
		`{{range $i, $x := .Data.Items}}{{$x.Id}}{{end}}`:                           "Id",
		`{{template "t" dict "P" $}}{{define "t"}}{{.P.Data.Nope}}{{end}}`:          "Nope",
		`{{$d := .}}{{with .Data}}{{$d = .}}{{end}}{{$d.Child.Name}}{{$d.Missing}}`: "Missing",
		`{{.ErrorFor "x"}}{{.Val "y"}}{{index .Form "z"}}{{.Data.Child.Name}}`:      "",
	} {
		tt, err := pages["home"].Clone()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tt.New("x").Parse(src); err != nil {
			t.Fatal(err)
		}
		c := newViewChecker(tt, &vtype{t: reflect.TypeFor[view]()})
		c.call("x", &vtype{t: reflect.TypeFor[*page]()})
		got := strings.Join(c.errs, "; ")
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("%s: got %q, want %q", src, got, want)
		}
	}
}

// vtype is what the checker knows of a value's type: a Go type, or the
// keys of a dict call; nil is unknown and not checked.
type vtype struct {
	t    reflect.Type
	dict map[string]*vtype
}

func (v *vtype) String() string {
	switch {
	case v == nil:
		return "?"
	case v.dict != nil:
		keys := make([]string, 0, len(v.dict))
		for k, e := range v.dict {
			keys = append(keys, k+":"+e.String())
		}
		sort.Strings(keys)
		return "dict{" + strings.Join(keys, ",") + "}"
	}
	return v.t.String()
}

// viewChecker walks templates as they would run, following the type of dot
// and of each variable, and notes every field that cannot exist.
type viewChecker struct {
	lookup func(name string) *parse.Tree
	data   *vtype // what page.Data holds
	seen   map[string]bool
	errs   []string

	tree *parse.Tree
	vars []viewVar
}

func newViewChecker(tmpl *template.Template, data *vtype) *viewChecker {
	return &viewChecker{lookup: func(n string) *parse.Tree {
		if t := tmpl.Lookup(n); t != nil {
			return t.Tree
		}
		return nil
	}, data: data, seen: map[string]bool{}}
}

type viewVar struct {
	name string
	t    *vtype
}

var (
	pageType  = reflect.TypeFor[page]()
	errorType = reflect.TypeFor[error]()
)

// call walks a named template with dot of the given type, once for each.
func (c *viewChecker) call(name string, dot *vtype) {
	key := name + "\x00" + dot.String()
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	tree := c.lookup(name)
	if tree == nil || tree.Root == nil {
		c.errs = append(c.errs, fmt.Sprintf("no template %q", name))
		return
	}
	saveTree, saveVars := c.tree, c.vars
	c.tree, c.vars = tree, []viewVar{{"$", dot}}
	c.walk(tree.Root, dot)
	c.tree, c.vars = saveTree, saveVars
}

func (c *viewChecker) fail(n parse.Node, format string, args ...any) {
	loc, _ := c.tree.ErrorContext(n)
	c.errs = append(c.errs, loc+": "+fmt.Sprintf(format, args...))
}

func (c *viewChecker) walk(n parse.Node, dot *vtype) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, m := range n.Nodes {
			c.walk(m, dot)
		}
	case *parse.ActionNode:
		c.pipe(n.Pipe, dot)
	case *parse.IfNode:
		c.branch(&n.BranchNode, dot, func(*vtype) *vtype { return dot }, false)
	case *parse.WithNode:
		c.branch(&n.BranchNode, dot, func(t *vtype) *vtype { return t }, false)
	case *parse.RangeNode:
		c.branch(&n.BranchNode, dot, func(t *vtype) *vtype { _, e := rangeTypes(t); return e }, true)
	case *parse.TemplateNode:
		var arg *vtype
		if n.Pipe != nil {
			arg = c.pipe(n.Pipe, dot)
		}
		c.call(n.Name, arg)
	}
}

// branch walks if, with and range: the body with dot as inner gives, the
// else part with dot as it was. Variables declared inside go at the end.
func (c *viewChecker) branch(b *parse.BranchNode, dot *vtype, inner func(*vtype) *vtype, isRange bool) {
	mark := len(c.vars)
	var t *vtype
	if isRange {
		t = c.pipeNoDecl(b.Pipe, dot)
		k, e := rangeTypes(t)
		switch len(b.Pipe.Decl) {
		case 1:
			c.vars = append(c.vars, viewVar{b.Pipe.Decl[0].Ident[0], e})
		case 2:
			c.vars = append(c.vars, viewVar{b.Pipe.Decl[0].Ident[0], k}, viewVar{b.Pipe.Decl[1].Ident[0], e})
		}
	} else {
		t = c.pipe(b.Pipe, dot)
	}
	c.walk(b.List, inner(t))
	c.vars = c.vars[:mark]
	c.walk(b.ElseList, dot)
	c.vars = c.vars[:mark]
}

// pipe gives a pipeline's type, and declares or assigns its variables.
func (c *viewChecker) pipe(p *parse.PipeNode, dot *vtype) *vtype {
	t := c.pipeNoDecl(p, dot)
	for _, v := range p.Decl {
		name := v.Ident[0]
		if p.IsAssign {
			for i := len(c.vars) - 1; i >= 0; i-- {
				if c.vars[i].name == name {
					c.vars[i].t = t
					break
				}
			}
			continue
		}
		c.vars = append(c.vars, viewVar{name, t})
	}
	return t
}

func (c *viewChecker) pipeNoDecl(p *parse.PipeNode, dot *vtype) *vtype {
	if p == nil {
		return nil
	}
	var t *vtype
	for _, cmd := range p.Cmds {
		t = c.command(cmd, dot)
	}
	return t
}

func (c *viewChecker) command(cmd *parse.CommandNode, dot *vtype) *vtype {
	args := make([]*vtype, len(cmd.Args))
	for i, a := range cmd.Args[1:] {
		args[i+1] = c.arg(a, dot)
	}
	switch n := cmd.Args[0].(type) {
	case *parse.IdentifierNode:
		return c.function(n.Ident, cmd.Args[1:], args[1:])
	default:
		return c.arg(n, dot)
	}
}

func (c *viewChecker) arg(n parse.Node, dot *vtype) *vtype {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return c.fields(n, dot, n.Ident)
	case *parse.VariableNode:
		for i := len(c.vars) - 1; i >= 0; i-- {
			if c.vars[i].name == n.Ident[0] {
				return c.fields(n, c.vars[i].t, n.Ident[1:])
			}
		}
		return nil
	case *parse.ChainNode:
		return c.fields(n, c.arg(n.Node, dot), n.Field)
	case *parse.PipeNode:
		mark := len(c.vars)
		t := c.pipe(n, dot)
		c.vars = c.vars[:mark]
		return t
	case *parse.StringNode:
		return &vtype{t: reflect.TypeFor[string]()}
	case *parse.BoolNode:
		return &vtype{t: reflect.TypeFor[bool]()}
	case *parse.NumberNode:
		if n.IsInt {
			return &vtype{t: reflect.TypeFor[int]()}
		}
	}
	return nil
}

// fields follows a chain of field or method names from t.
func (c *viewChecker) fields(n parse.Node, t *vtype, names []string) *vtype {
	for _, name := range names {
		t = c.field(n, t, name)
	}
	return t
}

func (c *viewChecker) field(n parse.Node, v *vtype, name string) *vtype {
	switch {
	case v == nil:
		return nil
	case v.dict != nil:
		return v.dict[name] // a missing key is no value, not an error
	}
	t := v.t
	if m, ok := t.MethodByName(name); ok {
		return out(m.Type)
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		if m, ok := reflect.PointerTo(t).MethodByName(name); ok {
			return out(m.Type)
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Interface:
		return nil
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return known(t.Elem())
		}
	case reflect.Struct:
		if t == pageType && name == "Data" {
			return c.data
		}
		if f, ok := t.FieldByName(name); ok && f.IsExported() {
			return known(f.Type)
		}
	}
	c.fail(n, "can't evaluate field %s in type %s", name, v.t)
	return nil
}

// function gives the type a function returns, builtins included.
func (c *viewChecker) function(name string, nodes []parse.Node, args []*vtype) *vtype {
	switch name {
	case "and", "or": // one of the arguments: known if they all agree
		if len(args) == 0 {
			return nil
		}
		for _, a := range args[1:] {
			if a.String() != args[0].String() {
				return nil
			}
		}
		return args[0]
	case "not", "eq", "ne", "lt", "le", "gt", "ge":
		return &vtype{t: reflect.TypeFor[bool]()}
	case "len":
		return &vtype{t: reflect.TypeFor[int]()}
	case "print", "printf", "println", "html", "js", "urlquery":
		return &vtype{t: reflect.TypeFor[string]()}
	case "slice":
		if len(args) > 0 {
			return args[0]
		}
		return nil
	case "index":
		if len(args) == 0 {
			return nil
		}
		t := args[0]
		for range args[1:] {
			if t == nil || t.t == nil {
				return nil
			}
			e := t.t
			for e.Kind() == reflect.Pointer {
				e = e.Elem()
			}
			switch e.Kind() {
			case reflect.Slice, reflect.Array, reflect.Map:
				t = known(e.Elem())
			default:
				return nil
			}
		}
		return t
	case "dict":
		d := &vtype{dict: map[string]*vtype{}}
		for i := 0; i+1 < len(nodes); i += 2 {
			k, ok := nodes[i].(*parse.StringNode)
			if !ok {
				return nil
			}
			d.dict[k.Text] = args[i+1]
		}
		return d
	}
	if f, ok := funcs[name]; ok {
		return out(reflect.TypeOf(f))
	}
	return nil
}

// out is the type of a function's first result.
func out(f reflect.Type) *vtype {
	if f.NumOut() == 0 || f.Out(0) == errorType {
		return nil
	}
	return known(f.Out(0))
}

// known is a Go type the checker can follow; an interface is unknown.
func known(t reflect.Type) *vtype {
	if t.Kind() == reflect.Interface {
		return nil
	}
	return &vtype{t: t}
}

// rangeTypes gives the key and element types of ranging over t.
func rangeTypes(v *vtype) (key, elem *vtype) {
	if v == nil || v.t == nil {
		return nil, nil
	}
	t := v.t
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return known(reflect.TypeFor[int]()), known(t.Elem())
	case reflect.Map:
		return known(t.Key()), known(t.Elem())
	case reflect.Chan:
		return nil, known(t.Elem())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return known(t), known(t)
	}
	return nil, nil
}

func samplePathView() pathView {
	d1, d2 := lantern.Date{Year: 2026, Month: 3, Day: 1}, lantern.Date{Year: 2026, Month: 5, Day: 1}
	res := &lantern.IntelPath{Found: true, Nodes: []*lantern.NetworkNode{{Type: lantern.EntityChild, ID: "c1", Label: "Ana Sample"}, {Type: lantern.EntityPerson, ID: "p1", Label: "Dee", Hop: 1}},
		Edges: []*lantern.NetworkEdge{{ID: "l1", From: lantern.EntityRef{Type: lantern.EntityChild, ID: "c1"}, To: lantern.EntityRef{Type: lantern.EntityPerson, ID: "p1"}, Kind: lantern.LinkAssociate, ObservedFrom: &d1, ObservedTo: &d2}}}
	steps, d := pathSteps(res)
	return pathView{Asked: true, Found: true, Steps: steps, Drawing: d, Searched: true, Results: []pathSearchRow{{Noun: "person", Label: "Dee", Ref: "person:p1", FromHref: "/a", ToHref: "/b"}},
		Hops: []eventOption{{Value: "6", Label: "6 links"}}, MaxHops: 6}
}

func sampleTimelineView() timelineView {
	l := &lantern.Link{ID: "l1", Kind: lantern.LinkSeenAt, Grading: &lantern.Grading{Source: "1", Intelligence: "B", Handling: "P"}}
	return buildTimelineView(&lantern.Timeline{Entity: &lantern.NetworkNode{Type: lantern.EntityPerson, ID: "p1", Label: "Dee"}, Truncated: true,
		Items: []*lantern.TimelineItem{{Date: lantern.Date{Year: 2025, Month: 11, Day: 3}, Observed: true, Link: l, Other: lantern.EntityRef{Type: lantern.EntityPlace, ID: "x1"}, OtherLabel: "Shop"},
			{Date: lantern.Date{Year: 2026, Month: 2, Day: 3}, Link: l, Other: lantern.EntityRef{Type: lantern.EntityChild, ID: "c1"}, OtherLabel: "Ana Sample"}}})
}

func sampleHotspotsView() hotspotsView {
	lat, lon := 53.5, -2.2
	return buildHotspotsView(&lantern.Hotspots{From: lantern.Date{Year: 2026, Month: 1, Day: 1}, To: lantern.Date{Year: 2026, Month: 2, Day: 28}, Months: []string{"2026-01", "2026-02"}, Truncated: true,
		Places: []*lantern.Hotspot{{Place: &lantern.NetworkNode{Type: lantern.EntityPlace, ID: "x1", Label: "Shop", Hotspot: true}, Lat: &lat, Lon: &lon, Items: 3, Children: 2, HiddenChildren: 1, Persons: 1,
			Months: []lantern.MonthCount{{Month: "2026-02", Items: 3}}, Area: "Mill"}, {Place: &lantern.NetworkNode{Type: lantern.EntityPlace, ID: "x2", Label: "Park"}, Items: 1}},
		Boundary: sampleBoundary(), Areas: []*lantern.AreaHotspot{{Area: "Mill", Places: 1, Items: 3, Months: []lantern.MonthCount{{Month: "2026-02", Items: 3}}}, {Area: "Moor"}},
		Outside: &lantern.AreaHotspot{}, NoPosition: &lantern.AreaHotspot{Places: 1, Items: 1}}, "from=2026-01-01")
}

// sampleBoundary is two areas about (53.5, -2.2).
func sampleBoundary() *lantern.AreaBoundary {
	b, err := lantern.ParseBoundary([]byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"name":"Mill"},"geometry":{"type":"Polygon","coordinates":[[[-2.3,53.4],[-2.1,53.4],[-2.1,53.6],[-2.3,53.6],[-2.3,53.4]]]}},
		{"type":"Feature","properties":{"name":"Moor"},"geometry":{"type":"Polygon","coordinates":[[[-2.1,53.4],[-1.9,53.4],[-1.9,53.6],[-2.1,53.6],[-2.1,53.4]]]}}]}`), lantern.BoundaryOptions{})
	if err != nil {
		panic(err)
	}
	return b
}

var sampleTime = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
