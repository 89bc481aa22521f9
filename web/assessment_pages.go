package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"lantern"
	"lantern/toolkit"
)

func (s *Server) assessmentPageRoutes() {
	s.handle("GET /children/{id}/assessments/new", s.newAssessmentPage)
	s.handle("POST /children/{id}/assessments", s.postAssessmentPage)
	s.handle("GET /children/{id}/assessments/{aid}", s.assessmentPage)
}

// indicatorGroup is a heading and its indicators, as the toolkit groups them.
type indicatorGroup struct {
	ID, Title, Hint string
	Evidence        string // "required" for M and H signs
	Items           []toolkit.Indicator
}

func groups(def *toolkit.Definition) []indicatorGroup {
	var vulns []toolkit.Indicator
	for _, v := range def.Vulnerabilities {
		if v.ID != toolkit.Under13 { // worked out from the date of birth
			vulns = append(vulns, v)
		}
	}
	return []indicatorGroup{
		{"vulnerabilities", "Vulnerabilities", "These may increase risk. They are not evidence of exploitation.", "", vulns},
		{"signs-e", "Signs and indicators: emerging (E)", "NWG category 1.", "", def.SignsByBand(toolkit.BandEmerging)},
		{"signs-m", "Signs and indicators: medium (M)", "NWG category 2. Give the evidence for each one you tick.", "required", def.SignsByBand(toolkit.BandMedium)},
		{"signs-h", "Signs and indicators: high (H)", "NWG category 3: entrenched abuse, contact with perpetrators. Give the evidence for each one you tick.", "required", def.SignsByBand(toolkit.BandHigh)},
	}
}

// AssessmentForm reads the assessment form. The date of birth, open case
// and missing episodes are not on it: they come from the record.
func AssessmentForm(form url.Values, today lantern.Date) (toolkit.AssessmentInput, []lantern.FieldError) {
	var p lantern.Problems
	in := toolkit.AssessmentInput{
		Answers: toolkit.Input{AssessedOn: today, Indicators: form["indicators"],
			Disclosure: form.Get("disclosure") == "yes", ImmediateRisk: form.Get("immediate_risk") == "yes",
			PoliceIntelligence: form.Get("police_intelligence") == "yes", LearningDisability: form.Get("learning_disability") == "yes"},
		Evidence: map[string]string{}, Analysis: form.Get("analysis"), RecordedLevel: toolkit.Level(form.Get("recorded_level")),
		OverrideRationale: form.Get("override_rationale"), ConcernID: form.Get("concern"),
	}
	for k, vs := range form {
		if id, ok := strings.CutPrefix(k, "evidence."); ok && len(vs) > 0 && strings.TrimSpace(vs[0]) != "" {
			in.Evidence[id] = vs[0]
		}
	}
	// The suggestions from intelligence: confirming one ticks its
	// indicator; declining one needs a reason; one left alone is nothing.
	var keys []string
	for k := range form {
		if strings.HasPrefix(k, "prompt.") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		// prompt.LINK.INDICATOR: a link's id holds no dot; an indicator's may.
		link, ind, ok := strings.Cut(strings.TrimPrefix(k, "prompt."), ".")
		if !ok || ind == "" || link == "" || len(keys) > 50 {
			continue
		}
		d := lantern.PromptDecision{Indicator: ind, LinkID: link, Reason: form.Get("prompt-reason." + link + "." + ind)}
		switch form.Get(k) {
		case "confirm":
			d.Decision, d.Reason = lantern.PromptConfirmed, ""
			if !slices.Contains(in.Answers.Indicators, ind) {
				in.Answers.Indicators = append(in.Answers.Indicators, ind)
				form["indicators"] = append(form["indicators"], ind)
			}
		case "decline":
			d.Decision = lantern.PromptDeclined
			if strings.TrimSpace(d.Reason) == "" {
				p.Add("prompt-reason."+link+"."+ind, "Say why you decline the suggestion")
			}
		default:
			continue
		}
		in.Prompts = append(in.Prompts, d)
	}
	// Evidence typed for a box later unticked is dropped, not refused: the
	// box was hidden when it was unticked.
	ticked := map[string]bool{}
	for _, id := range in.Answers.Indicators {
		ticked[id] = true
	}
	for id := range in.Evidence {
		if !ticked[id] {
			delete(in.Evidence, id)
		}
	}
	if d, m, y := form.Get("on-day"), form.Get("on-month"), form.Get("on-year"); d != "" || m != "" || y != "" {
		yn, e1 := strconv.Atoi(y)
		mn, e2 := strconv.Atoi(m)
		dn, e3 := strconv.Atoi(d)
		date, e4 := lantern.ParseDate(padDate(yn, mn, dn))
		if e1 != nil || e2 != nil || e3 != nil || e4 != nil || len(y) != 4 {
			p.Add("assessed_on", "The date of the assessment must be a real date, like 22 11 2026")
		} else {
			in.Answers.AssessedOn = date
		}
	}
	if g := strings.TrimSpace(form.Get("partner_age_gap_years")); g != "" {
		n, err := strconv.ParseFloat(g, 64)
		if err != nil {
			p.Add("partner_age_gap_years", "The age gap must be a number of years, like 6")
		} else {
			in.Answers.PartnerAgeGapYears = &n
		}
	}
	return in, p
}

func (s *Server) newAssessmentPage(w http.ResponseWriter, r *http.Request) {
	today := lantern.Today(s.stNow())
	form := url.Values{"concern": {r.URL.Query().Get("concern")},
		"on-day": {strconv.Itoa(today.Day)}, "on-month": {strconv.Itoa(int(today.Month))}, "on-year": {strconv.Itoa(today.Year)}}
	s.renderAssessmentForm(w, r, http.StatusOK, form, nil, nil)
}

func (s *Server) renderAssessmentForm(w http.ResponseWriter, r *http.Request, st int, form url.Values, errs []lantern.FieldError, res *toolkit.Result) {
	child, def, err := s.assessmentSubject(r, form)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderAssessmentFormFor(w, r, st, form, errs, res, child, def)
}

// assessmentSubject is the child in the path and the toolkit the form names.
func (s *Server) assessmentSubject(r *http.Request, form url.Values) (*lantern.Child, *toolkit.Definition, error) {
	child, err := s.st.FindChildByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	def, err := s.st.Toolkit(r.Context(), form.Get("toolkit"))
	if err != nil {
		return nil, nil, err
	}
	return child, def, nil
}

// assessmentFormView is the toolkit's form for a child: the indicators in
// groups, those ticked, and once checked, the suggested level.
type assessmentFormView struct {
	Child    *lantern.Child
	Toolkit  *toolkit.Definition
	Groups   []indicatorGroup
	Ticked   map[string]bool
	Result   *toolkit.Result // nil until the form is checked
	Under13  bool
	Siblings []*lantern.Child
	Levels   []toolkit.Level
	// Prompts are the suggestions from intelligence, by indicator: shown
	// beside it, never ticking it.
	Prompts map[string][]lantern.IntelPrompt
}

// renderAssessmentFormFor shows the form for a child and toolkit already
// read.
func (s *Server) renderAssessmentFormFor(w http.ResponseWriter, r *http.Request, st int, form url.Values, errs []lantern.FieldError, res *toolkit.Result,
	child *lantern.Child, def *toolkit.Definition) {
	ctx := r.Context()
	siblings, err := s.st.Siblings(ctx, child.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Complete the toolkit")
	p.Nav = "children"
	p.Errors = errs
	p.Form = formMap(form)
	p.Form["toolkit"] = def.ID
	ticked := map[string]bool{}
	for _, id := range form["indicators"] {
		ticked[id] = true
	}
	today := lantern.Today(s.stNow())
	ps, err := s.st.IntelPrompts(ctx, child.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	prompts := map[string][]lantern.IntelPrompt{}
	for _, pr := range ps {
		prompts[pr.Indicator] = append(prompts[pr.Indicator], pr)
	}
	p.Data = assessmentFormView{Child: child, Toolkit: def, Groups: groups(def), Ticked: ticked, Result: res,
		Under13: lantern.AgeOn(child.DateOfBirth, today) < 13, Siblings: siblings, Levels: toolkit.Levels, Prompts: prompts}
	s.render(w, r, st, "assessment_form", p)
}

func (s *Server) postAssessmentPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	in, formErrs := AssessmentForm(form, lantern.Today(s.stNow()))
	if len(formErrs) > 0 {
		// Check the rest too, so that every problem shows at once: the
		// fields that could not be read are left at their defaults.
		child, def, err := s.assessmentSubject(r, form)
		if err != nil {
			s.error(w, r, err)
			return
		}
		v := in
		v.Answers.FillFromRecord(toolkit.Record{DateOfBirth: child.DateOfBirth, OpenCase: child.OpenCase, LearningDisability: child.LearningDisability})
		var more error
		if form.Get("action") == "record" {
			_, more = def.Assess(v, lantern.Today(s.stNow()))
		} else {
			more = def.Check(v.Answers)
		}
		s.renderAssessmentFormFor(w, r, http.StatusUnprocessableEntity, form, childErrors(formErrs, more), nil, child, def)
		return
	}
	if form.Get("action") != "record" {
		// Check: show the suggestion and its reasons before recording.
		child, def, err := s.assessmentSubject(r, form)
		if err != nil {
			s.error(w, r, err)
			return
		}
		a := in.Answers
		a.DateOfBirth, a.OpenCase = child.DateOfBirth, child.OpenCase
		a.LearningDisability = a.LearningDisability || child.LearningDisability
		res, err := def.Score(a)
		if err != nil {
			s.renderAssessmentFormFor(w, r, statusOf(err), form, lantern.ErrorFields(err), nil, child, def)
			return
		}
		if form.Get("recorded_level") == "" {
			form.Set("recorded_level", string(res.Level))
		}
		s.renderAssessmentFormFor(w, r, http.StatusOK, form, nil, res, child, def)
		return
	}
	a, err := s.st.CreateAssessment(ctx, id, form.Get("toolkit"), in)
	if lantern.ErrorCode(err) == lantern.EINVALID {
		errs := lantern.ErrorFields(err)
		for i := range errs { // prompts[2] is the third decision's radios; prompts[2].reason, its reason
			var n int
			if k, _ := fmt.Sscanf(errs[i].Field, "prompts[%d]", &n); k == 1 && n >= 0 && n < len(in.Prompts) {
				d, field := in.Prompts[n], "prompt."
				if strings.HasSuffix(errs[i].Field, ".reason") {
					field = "prompt-reason."
				}
				errs[i].Field = field + d.LinkID + "." + d.Indicator
			}
		}
		s.renderAssessmentForm(w, r, http.StatusUnprocessableEntity, form, errs, nil)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/"+id+"/assessments/"+a.ID+"?done=recorded")
}

// assessmentView is one toolkit assessment of a child, and what changed
// since the one before.
type assessmentView struct {
	Child   *lantern.Child
	A       *toolkit.Assessment
	Toolkit *toolkit.Definition
	// Prev is the assessment before, if any; Change, what differs from it
	// (nil with no Prev, so that the page leaves the section out).
	Prev    *toolkit.Assessment
	Change  *toolkit.Change
	CanEdit bool // the viewer may complete the toolkit again
	// Prompts are the decisions on the suggestions from intelligence, as
	// the viewer may see them.
	Prompts []promptDecisionRow
}

// promptDecisionRow is one decision on a suggestion from intelligence: the
// indicator, the link it came from (with its page, for those who read
// intelligence), what was decided, by whom and when.
type promptDecisionRow struct {
	Indicator string // its text in the toolkit
	Text      string // what intelligence holds, in words the viewer may read
	Href      string // the page of the link's other end; "" for those who may not read it
	Noun      string // what is at that end: person, place, phone number...
	Withdrawn bool   // the link has been withdrawn since
	Confirmed bool
	Reason    string
	DecidedBy string
	DecidedAt time.Time
}

func promptDecisionRows(def *toolkit.Definition, ps []lantern.AssessmentPrompt) []promptDecisionRow {
	rows := make([]promptDecisionRow, 0, len(ps))
	for _, p := range ps {
		row := promptDecisionRow{Indicator: p.Indicator, Text: p.Text, Withdrawn: p.Withdrawn, Confirmed: p.Decision == lantern.PromptConfirmed,
			Reason: p.Reason, DecidedBy: p.DecidedByName, DecidedAt: p.DecidedAt}
		if ind := def.Indicator(p.Indicator); ind != nil {
			row.Indicator = ind.Text
		}
		if p.Entity != nil {
			row.Href, row.Noun = entityHref(*p.Entity), kindOf(p.Entity.Type).Noun
		}
		rows = append(rows, row)
	}
	return rows
}

func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	child, err := s.st.FindChildByID(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	as, err := s.st.Assessments(ctx, child.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var a, prev *toolkit.Assessment
	for i, x := range as {
		if x.ID == r.PathValue("aid") {
			a = x
			if i+1 < len(as) {
				prev = as[i+1] // newest first: the next is the one before
			}
		}
	}
	if a == nil {
		s.error(w, r, lantern.NotFound("Assessment"))
		return
	}
	def, err := s.st.Toolkit(ctx, a.Toolkit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ps, err := s.st.AssessmentPrompts(ctx, child.ID, a.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Toolkit assessment for "+child.FullName())
	p.Nav = "children"
	if r.URL.Query().Get("done") == "recorded" {
		p.Notice = "The assessment has been recorded"
	}
	v := assessmentView{Child: child, A: a, Toolkit: def, Prev: prev, CanEdit: lantern.Allowed(p.User, lantern.ResAssessment, lantern.ActCreate, lantern.ChildRelation(p.User, child.AgencyIDs)),
		Prompts: promptDecisionRows(def, ps)}
	if prev != nil {
		change := toolkit.Compare(prev, a)
		v.Change = &change
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "assessment", p)
}
