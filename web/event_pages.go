package web

// The pages for a child's statutory events: referrals, strategy
// discussions, conferences, core groups and social work assessments. Each
// event is a page here and a resource in the API (api_events.go); both go
// through the same store calls, which start and stop the clocks.

import (
	"lantern/store"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"lantern"
)

func init() {
	funcs["taskDue"] = taskDue
	funcs["lateText"] = lateText
	funcs["doneLateText"] = doneLateText
	funcs["eventTimeline"] = eventTimeline
}

func (s *Server) eventPageRoutes() {
	for _, f := range eventForms {
		s.handle("GET /children/{id}/"+f.slug+"/new", s.eventFormPage(f))
		s.handle("POST /children/{id}/"+f.slug+"/new", s.eventCreatePage(f))
	}
	s.handle("GET /children/{id}/referrals/{eid}", s.referralPage)
	s.handle("POST /children/{id}/referrals/{eid}/update", s.updateReferralPage)
	s.handle("GET /children/{id}/strategy-discussions/{eid}", s.eventRecordPage(strategyDiscussionRecord))
	s.handle("GET /children/{id}/conferences/{eid}", s.eventRecordPage(conferenceRecord))
	s.handle("GET /children/{id}/core-groups/{eid}", s.eventRecordPage(coreGroupRecord))
	s.handle("GET /children/{id}/social-work-assessments/{eid}", s.eventRecordPage(swAssessmentRecord))
	s.handle("GET /children/{id}/s47-enquiries/{eid}", s.eventRecordPage(s47Record))
	s.handle("POST /children/{id}/s47-enquiries/{eid}/complete", s.completeS47Page)
}

// eventOption is a radio button: the value sent, its label and a hint.
type eventOption struct {
	Value, Label, Hint string
}

// FlagNoS47Warning is what a person is told about a conference flagged
// lantern.FlagNoS47.
const FlagNoS47Warning = "There was no strategy discussion that decided on section 47 enquiries before this conference: your manager will see this"

// eventForm is a form that records one kind of event.
type eventForm struct {
	slug     string // in the address: /children/{id}/{slug}/new
	template string
	title    string
	// view makes the page's view model around the child and the form's
	// address, adding the form's choices.
	view func(eventFormView) any
	// ids renames the store's fields to the form's (referrer.name is the
	// input referrer_name).
	ids map[string]string
	// whats say, for each time field, what happened then: "the referral
	// was received". Messages name the field with it.
	whats map[string]string
	// save reads the form and records the event; formErrs are the form's
	// own problems, err the store's. to is where to go next.
	save func(s *Server, r *http.Request, childID string, form url.Values) (to string, formErrs []lantern.FieldError, err error)
}

// eventFormView is what every event form shows: the child, and where the
// form is sent. It is the core group form's whole view model; the others
// embed it and add their choices.
type eventFormView struct {
	Child  *lantern.Child
	Action string
}

// referralFormView is the form recording a referral.
type referralFormView struct {
	eventFormView
	Methods []eventOption
}

// discussionFormView is the form recording a strategy discussion; Rows
// numbers the participants' rows.
type discussionFormView struct {
	eventFormView
	Decisions []eventOption
	Rows      []int
}

// conferenceFormView is the form recording a child protection conference.
type conferenceFormView struct {
	eventFormView
	Kinds, Outcomes, EndReasons []eventOption
}

// swAssessmentFormView is the form recording a social work assessment.
type swAssessmentFormView struct {
	eventFormView
	Kinds []eventOption
}

// s47FormView is the form recording a section 47 enquiry.
type s47FormView struct {
	eventFormView
	Outcomes []eventOption
}

// The forms' choices: the domain's values and their words (the words a
// recorded event is shown with too, so a form and its record agree), with
// a hint where the form gives one.
var (
	referralMethods = choices(lantern.ReferralMethods, map[lantern.ReferralMethod]string{
		lantern.ReferralByPhone:   "The referrer must confirm a telephone referral in writing within 48 hours",
		lantern.ReferralInWriting: "A letter, email or referral form"})
	discussionDecisions = choices(lantern.DiscussionDecisions, map[lantern.DiscussionDecision]string{
		lantern.DiscussionS47: "There is reasonable cause to suspect the child is suffering, or likely to suffer, significant harm"})
	conferenceKinds    = choices(lantern.ConferenceKinds, nil)
	conferenceOutcomes = choices(lantern.ConferenceOutcomes, map[lantern.ConferenceOutcome]string{
		lantern.ConferenceNoPlan: "At a review, this ends the child's plan"})
	swAssessmentKinds = choices(lantern.SWAssessmentKinds, map[lantern.SWAssessmentKind]string{
		lantern.SWSingle:  "Working Together 2023: one assessment, within 45 working days of the referral",
		lantern.SWInitial: "Working Together 2006: within 7 working days of the referral",
		lantern.SWCore:    "Working Together 2006: within 35 working days of starting it"})
	s47Outcomes    = choices(lantern.S47Outcomes, nil)
	planEndReasons = choices(lantern.ReviewPlanEndReasons, map[lantern.PlanEndReason]string{
		lantern.PlanEndMovedArea: "The new area convenes its own conference within 15 working days"})
	referralDecisionOptions = choices(lantern.ReferralDecisions, nil)
	// requestHours are the deadlines the front door offers an agency.
	requestHours = []eventOption{{Value: "4", Label: "Within 4 hours"}, {Value: "24", Label: "Within 24 hours"},
		{Value: "72", Label: "Within 3 days"}, {Value: "168", Label: "Within a week"}}
)

// choices are a value's radio buttons: each value with its words, and a
// hint where there is one.
func choices[T interface {
	~string
	Label() string
}](vs []T, hints map[T]string) []eventOption {
	out := make([]eventOption, len(vs))
	for i, v := range vs {
		out[i] = eventOption{Value: string(v), Label: v.Label(), Hint: hints[v]}
	}
	return out
}

var referralForm = &eventForm{
	slug: "referrals", template: "event_referral_form", title: "Record a referral",
	view:  func(v eventFormView) any { return referralFormView{eventFormView: v, Methods: referralMethods} },
	ids:   map[string]string{"referrer.name": "referrer_name", "referrer.agency": "referrer_agency"},
	whats: map[string]string{"received_at": "the referral was received"},
	save:  saveReferral,
}

var strategyDiscussionForm = &eventForm{
	slug: "strategy-discussions", template: "event_discussion_form", title: "Record a strategy discussion",
	view: func(v eventFormView) any {
		return discussionFormView{eventFormView: v, Decisions: discussionDecisions, Rows: []int{1, 2, 3, 4, 5, 6}}
	},
	ids:   map[string]string{"participants": "participant-1-name"},
	whats: map[string]string{"held_at": "the strategy discussion was held"},
	save:  saveStrategyDiscussion,
}

var conferenceForm = &eventForm{
	slug: "conferences", template: "event_conference_form", title: "Record a child protection conference",
	view: func(v eventFormView) any {
		return conferenceFormView{eventFormView: v, Kinds: conferenceKinds, Outcomes: conferenceOutcomes, EndReasons: planEndReasons}
	},
	whats: map[string]string{"held_at": "the conference was held"},
	save:  saveConference,
}

var coreGroupForm = &eventForm{
	slug: "core-groups", template: "event_coregroup_form", title: "Record a core group meeting",
	view:  func(v eventFormView) any { return v },
	whats: map[string]string{"held_at": "the core group met"},
	save:  saveCoreGroup,
}

var swAssessmentForm = &eventForm{
	slug: "social-work-assessments", template: "event_swassessment_form", title: "Record a social work assessment",
	view:  func(v eventFormView) any { return swAssessmentFormView{eventFormView: v, Kinds: swAssessmentKinds} },
	whats: map[string]string{"started_at": "the assessment started", "completed_at": "the assessment was completed"},
	save:  saveSWAssessment,
}

var s47Form = &eventForm{
	slug: "s47-enquiries", template: "event_s47_form", title: "Record a section 47 enquiry",
	view:  func(v eventFormView) any { return s47FormView{eventFormView: v, Outcomes: s47Outcomes} },
	whats: map[string]string{"started_at": "the enquiry started", "completed_at": "the enquiry was completed"},
	save:  saveS47,
}

var eventForms = []*eventForm{referralForm, strategyDiscussionForm, conferenceForm, coreGroupForm, swAssessmentForm, s47Form}

func saveS47(s *Server, r *http.Request, childID string, form url.Values) (string, []lantern.FieldError, error) {
	var p lantern.Problems
	started := s.eventTime(&p, form, "started_at", "the enquiry started", true)
	completed := s.eventTime(&p, form, "completed_at", "the enquiry was completed", false)
	if len(p) > 0 {
		return "", p, nil
	}
	out, err := s.st.RecordS47(r.Context(), childID, &lantern.S47Enquiry{StartedAt: *started, CompletedAt: completed, Outcome: lantern.S47Outcome(form.Get("outcome"))})
	if err != nil {
		return "", nil, err
	}
	return "/children/" + childID + "/s47-enquiries/" + out.ID + "?done=recorded", nil, nil
}

func s47Record(s *Server, r *http.Request, childID, id string) (*eventRecord, error) {
	e, err := s.st.FindS47(r.Context(), childID, id)
	if err != nil {
		return nil, err
	}
	rows := []recordRow{{"Started", []string{localTime(e.StartedAt)}}}
	if e.CompletedAt != nil {
		rows = append(rows, recordRow{"Completed", []string{localTime(*e.CompletedAt)}}, recordRow{"Outcome", []string{e.Outcome.Label()}})
	} else {
		rows = append(rows, recordRow{"Completed", []string{"Not yet"}})
	}
	rec := &eventRecord{Heading: "Section 47 enquiry", Notice: "The enquiry has been recorded", Tasks: e.Tasks, Rows: rows,
		DoneNotice: "The enquiry's outcome has been recorded"}
	if !e.Completed() {
		rec.Complete = &s47CompleteForm{Action: "/children/" + childID + "/s47-enquiries/" + e.ID + "/complete", Version: e.Version, Outcomes: s47Outcomes}
	}
	return rec, nil
}

// StaleS47 is what the enquiry's page says when someone else changed the
// enquiry after the page was shown.
const StaleS47 = "Someone else changed this enquiry while you were working on it. Check what it says now, then record the outcome again if it is still needed"

// completeS47Page records an enquiry's completion from its page.
func (s *Server) completeS47Page(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	version, verr := strconv.Atoi(form.Get("version"))
	if verr != nil {
		s.error(w, r, lantern.Errorf(lantern.EBADREQUEST, "The form could not be read"))
		return
	}
	var p lantern.Problems
	c := lantern.S47Completion{Outcome: lantern.S47Outcome(form.Get("outcome"))}
	if !c.Outcome.Valid() {
		p.Add("outcome", "Select what the enquiry found")
	}
	const what = "the enquiry was completed"
	c.CompletedAt = s.eventTime(&p, form, "completed_at", what, true)
	if len(p) > 0 {
		s.renderEventRecord(w, r, s47Record, http.StatusUnprocessableEntity, form, p)
		return
	}
	id, eid := r.PathValue("id"), r.PathValue("eid")
	_, err = s.st.CompleteS47(r.Context(), id, eid, version, c)
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/children/"+id+"/s47-enquiries/"+eid+"?done=completed")
	case lantern.EINVALID:
		s.renderEventRecord(w, r, s47Record, http.StatusUnprocessableEntity, form,
			eventErrors(nil, err, nil, map[string]string{"completed_at": what}))
	case lantern.ECONFLICT:
		msg := lantern.ErrorMessage(err)
		if le, ok := err.(*lantern.Error); ok && le.Current != nil {
			msg = StaleS47
		}
		s.renderEventRecord(w, r, s47Record, http.StatusConflict, form, []lantern.FieldError{{Field: "enquiry", Message: msg}})
	default:
		s.error(w, r, err)
	}
}

// recordableChild reads the child of the request for a form that records
// something (the route's check has let the caller record it): the record
// must not have been merged into another.
func (s *Server) recordableChild(w http.ResponseWriter, r *http.Request) (*lantern.Child, bool) {
	c, err := s.st.FindChildByID(r.Context(), r.PathValue("id"))
	switch {
	case err != nil:
	case c.MergedInto != "":
		err = lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: record it there")
	}
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return c, true
}

func (s *Server) renderEventForm(w http.ResponseWriter, r *http.Request, status int, f *eventForm, c *lantern.Child, form url.Values, errs []lantern.FieldError) {
	p := s.newPage(r, f.title)
	p.Nav = "children"
	p.Form = formMap(form)
	p.Errors = errs
	p.Data = f.view(eventFormView{Child: c, Action: "/children/" + c.ID + "/" + f.slug + "/new"})
	s.render(w, r, status, f.template, p)
}

func (s *Server) eventFormPage(f *eventForm) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.recordableChild(w, r)
		if !ok {
			return
		}
		s.renderEventForm(w, r, http.StatusOK, f, c, nil, nil)
	}
}

func (s *Server) eventCreatePage(f *eventForm) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		form, err := parseForm(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		id := r.PathValue("id")
		to, formErrs, err := f.save(s, r, id, form)
		if len(formErrs) == 0 && lantern.ErrorCode(err) != lantern.EINVALID {
			if err != nil {
				s.error(w, r, err)
				return
			}
			redirect(w, r, to)
			return
		}
		c, ok := s.recordableChild(w, r)
		if !ok {
			return
		}
		s.renderEventForm(w, r, http.StatusUnprocessableEntity, f, c, form, eventErrors(formErrs, err, f.ids, f.whats))
	}
}

// eventErrors are the form's problems and then the store's, one for each
// field, the store's renamed to the form's fields and reworded to name
// them.
func eventErrors(formErrs []lantern.FieldError, err error, ids, whats map[string]string) []lantern.FieldError {
	out := slices.Clone(formErrs)
	for _, fe := range lantern.ErrorFields(err) {
		if id, ok := ids[fe.Field]; ok {
			fe.Field = id
		}
		if what, ok := whats[fe.Field]; ok {
			fe.Message = nameTimeField(fe.Message, what)
		}
		if !slices.ContainsFunc(out, func(have lantern.FieldError) bool { return have.Field == fe.Field }) {
			out = append(out, fe)
		}
	}
	return out
}

// nameTimeField rewords the store's messages about a time, which are
// written for the API ("The time must not be in the future"), to say which
// time: "The date and time the referral was received must not be in the
// future".
func nameTimeField(msg, what string) string {
	subject := "The date and time " + what
	switch {
	case strings.HasPrefix(msg, "The time "):
		return subject + " " + strings.TrimPrefix(msg, "The time ")
	case strings.HasPrefix(msg, "This "):
		return subject + " " + strings.TrimPrefix(msg, "This ")
	case strings.HasPrefix(msg, "Enter when it happened"):
		return "Enter the date and time " + what
	}
	return msg
}

// notAhead refuses, on a page, the time of something that has happened
// when it is ahead of now: the person typing it mistyped. (The API takes
// such a time: see lantern.CheckEventTime.)
func notAhead(p *lantern.Problems, now time.Time, name, what string, t *time.Time) *time.Time {
	if t != nil && t.After(now.Add(lantern.MaxClockSkew)) {
		p.Add(name, "The date and time "+what+" must not be in the future")
		return nil
	}
	return t
}

// eventTime is formTime for the time something happened: never ahead of now.
func (s *Server) eventTime(p *lantern.Problems, form url.Values, name, what string, required bool) *time.Time {
	return notAhead(p, s.stNow(), name, what, formTime(p, form, name, what, required))
}

var (
	dayMonthRE = regexp.MustCompile(`^[0-9]{1,2}$`)
	yearRE     = regexp.MustCompile(`^[0-9]{4}$`)
	clockRE    = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$`)
)

// formTime reads a date and a time of day from a form: a GOV.UK date input
// (name-day, name-month, name-year) and a time field (name-time, "16:30" on
// the 24-hour clock), as a time in Europe/London. Blank is nil, and a
// problem if required; what says what happened then, for the messages
// ("the referral was received"). An impossible date, or a time that did not
// happen because the clocks went forward, is a problem. Whether the time is
// in the future is the store's to say.
func formTime(p *lantern.Problems, form url.Values, name, what string, required bool) *time.Time {
	get := func(part string) string { return strings.TrimSpace(form.Get(name + "-" + part)) }
	d, m, y, hm := get("day"), get("month"), get("year"), get("time")
	if d == "" && m == "" && y == "" && hm == "" {
		if required {
			p.Add(name, "Enter the date and time "+what)
		}
		return nil
	}
	var missing []string
	for _, part := range [][2]string{{d, "day"}, {m, "month"}, {y, "year"}} {
		if part[0] == "" {
			missing = append(missing, part[1])
		}
	}
	if len(missing) > 0 {
		p.Add(name, "The date "+what+" must include a "+andList(missing))
		return nil
	}
	realDate := "The date " + what + " must be a real date, like 24 12 2025"
	if !dayMonthRE.MatchString(d) || !dayMonthRE.MatchString(m) || !yearRE.MatchString(y) {
		p.Add(name, realDate)
		return nil
	}
	dn, _ := strconv.Atoi(d)
	mn, _ := strconv.Atoi(m)
	yn, _ := strconv.Atoi(y)
	if day := time.Date(yn, time.Month(mn), dn, 12, 0, 0, 0, time.UTC); day.Year() != yn || int(day.Month()) != mn || day.Day() != dn {
		p.Add(name, realDate)
		return nil
	}
	if hm == "" {
		p.Add(name, "Enter the time "+what+", like 16:30")
		return nil
	}
	c := clockRE.FindStringSubmatch(hm)
	if c == nil {
		p.Add(name, "The time "+what+" must be a real time on the 24-hour clock, like 16:30")
		return nil
	}
	h, _ := strconv.Atoi(c[1])
	mi, _ := strconv.Atoi(c[2])
	t := time.Date(yn, time.Month(mn), dn, h, mi, 0, 0, lantern.London)
	if t.Hour() != h || t.Minute() != mi || t.Day() != dn {
		p.Add(name, "The time "+what+" did not happen in the UK: the clocks went forward an hour that night")
		return nil
	}
	return &t
}

// andList joins words as "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func saveReferral(s *Server, r *http.Request, childID string, form url.Values) (string, []lantern.FieldError, error) {
	var p lantern.Problems
	at := s.eventTime(&p, form, "received_at", "the referral was received", true)
	ref := &lantern.Referral{Method: lantern.ReferralMethod(form.Get("method")),
		Referrer: lantern.Referrer{Name: strings.TrimSpace(form.Get("referrer_name")), Agency: strings.TrimSpace(form.Get("referrer_agency"))}}
	if !slices.Contains(lantern.ReferralMethods, ref.Method) {
		p.Add("method", "Select how the referral was received")
	}
	if ref.Referrer.Name == "" {
		p.Add("referrer_name", "Enter the name of the person who made the referral")
	}
	if len(p) > 0 {
		// The store's other checks too, so that every problem shows at once.
		check := *ref
		check.ReceivedAt, check.Method = s.stNow(), "phone"
		return "", p, lantern.ValidateReferral(&check, s.stNow())
	}
	ref.ReceivedAt = *at
	out, err := s.st.CreateReferral(r.Context(), childID, ref)
	if err != nil {
		return "", nil, err
	}
	return "/children/" + childID + "/referrals/" + out.ID + "?done=recorded", nil, nil
}

func saveStrategyDiscussion(s *Server, r *http.Request, childID string, form url.Values) (string, []lantern.FieldError, error) {
	var p lantern.Problems
	at := s.eventTime(&p, form, "held_at", "the strategy discussion was held", true)
	sd := &lantern.StrategyDiscussion{Decision: lantern.DiscussionDecision(form.Get("decision")), Notes: strings.TrimSpace(form.Get("notes")), Participants: []lantern.Participant{}}
	if sd.Decision != "s47" && sd.Decision != "no-s47" {
		p.Add("decision", "Select what the strategy discussion decided")
	}
	for i := 1; i <= 6; i++ {
		n := strconv.Itoa(i)
		name := strings.TrimSpace(form.Get("participant-" + n + "-name"))
		agency := strings.TrimSpace(form.Get("participant-" + n + "-agency"))
		switch {
		case name == "" && agency == "": // a blank row
		case name == "":
			p.Add("participant-"+n+"-name", "Enter the name of participant "+n)
		case agency == "":
			p.Add("participant-"+n+"-agency", "Enter the agency of participant "+n)
		default:
			sd.Participants = append(sd.Participants, lantern.Participant{Name: name, Agency: agency})
		}
	}
	if len(p) > 0 {
		return "", p, nil
	}
	sd.HeldAt = *at
	out, err := s.st.CreateStrategyDiscussion(r.Context(), childID, sd)
	if err != nil {
		return "", nil, err
	}
	return "/children/" + childID + "/strategy-discussions/" + out.ID + "?done=recorded", nil, nil
}

func saveConference(s *Server, r *http.Request, childID string, form url.Values) (string, []lantern.FieldError, error) {
	var p lantern.Problems
	c := &lantern.Conference{Kind: lantern.ConferenceKind(form.Get("kind")), Outcome: lantern.ConferenceOutcome(form.Get("outcome")),
		PlanEndReason: lantern.PlanEndReason(form.Get("plan_end_reason"))}
	if c.Kind != "initial" && c.Kind != "review" {
		p.Add("kind", "Select whether this was an initial or a review conference")
	}
	at := s.eventTime(&p, form, "held_at", "the conference was held", true)
	if c.Outcome != "plan" && c.Outcome != "no-plan" {
		p.Add("outcome", "Select whether the child needs a child protection plan")
	}
	if len(p) > 0 {
		return "", p, nil
	}
	c.HeldAt = *at
	out, err := s.st.CreateConference(r.Context(), childID, c)
	if err != nil {
		return "", nil, err
	}
	return "/children/" + childID + "/conferences/" + out.ID + "?done=recorded", nil, nil
}

func saveCoreGroup(s *Server, r *http.Request, childID string, form url.Values) (string, []lantern.FieldError, error) {
	var p lantern.Problems
	at := s.eventTime(&p, form, "held_at", "the core group met", true)
	if len(p) > 0 {
		return "", p, nil
	}
	id, err := s.st.CreateCoreGroup(r.Context(), childID, *at)
	if err != nil {
		return "", nil, err
	}
	return "/children/" + childID + "/core-groups/" + id + "?done=recorded", nil, nil
}

func saveSWAssessment(s *Server, r *http.Request, childID string, form url.Values) (string, []lantern.FieldError, error) {
	var p lantern.Problems
	a := &lantern.SWAssessment{Kind: lantern.SWAssessmentKind(form.Get("kind"))}
	if a.Kind != "single" && a.Kind != "initial" && a.Kind != "core" {
		p.Add("kind", "Select the kind of assessment")
	}
	started := s.eventTime(&p, form, "started_at", "the assessment started", true)
	a.CompletedAt = s.eventTime(&p, form, "completed_at", "the assessment was completed", false)
	if len(p) > 0 {
		return "", p, nil
	}
	a.StartedAt = *started
	out, err := s.st.RecordSWAssessment(r.Context(), childID, a)
	if err != nil {
		return "", nil, err
	}
	return "/children/" + childID + "/social-work-assessments/" + out.ID + "?done=recorded", nil, nil
}

// The referral page: the referral, its tasks, and forms for what follows.

// referralUpdates are the referral page's forms: the form's name, the
// field of its time, what happened then, and the notice when it is saved.
var referralUpdates = map[string]struct{ field, what, notice string }{
	"decision": {"decided_at", "the decision was made", "The decision has been recorded"},
	"followup": {"written_confirmation_at", "the written follow-up was received", "The referrer's written follow-up has been recorded"},
	"feedback": {"feedback_at", "the referrer was told the decision", "The feedback to the referrer has been recorded"},
}

// referralView is a referral, its tasks, and the forms for what follows.
type referralView struct {
	Child     *lantern.Child
	Referral  *lantern.Referral
	Tasks     []*lantern.Task
	Now       time.Time
	CanEdit   bool // the viewer may record what follows
	Decisions []eventOption
	// The front door's: screening, information requests and consent.
	FrontDoor  bool // the viewer works the front door
	CanApprove bool // and may approve not seeking consent
	Detail     *store.FrontDoorDetail
	Agencies   []*lantern.Agency
	RAGs       []eventOption
	Consents   []eventOption
	Hours      []eventOption
}

func (s *Server) referralPage(w http.ResponseWriter, r *http.Request) {
	s.renderReferral(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderReferral(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []lantern.FieldError) {
	ctx := r.Context()
	c, err := s.st.FindChildByID(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	ref, err := s.st.FindReferral(ctx, c.ID, r.PathValue("eid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Referral for "+c.FullName())
	p.Nav = "children"
	p.Form = formMap(form)
	p.Errors = errs
	switch done := r.URL.Query().Get("done"); done {
	case "recorded":
		p.Notice = "The referral has been recorded"
	default:
		if u, ok := referralUpdates[done]; ok && status == http.StatusOK {
			p.Notice = u.notice
		}
	}
	rel := lantern.ChildRelation(p.User, c.AgencyIDs)
	v := referralView{Child: c, Referral: ref, Tasks: ref.Tasks, Now: s.stNow(),
		CanEdit: lantern.Allowed(p.User, lantern.ResEvent, lantern.ActChange, rel) && c.MergedInto == "", Decisions: referralDecisionOptions,
		FrontDoor:  lantern.Allowed(p.User, lantern.ResFrontDoor, lantern.ActChange, rel) && c.MergedInto == "",
		CanApprove: lantern.Allowed(p.User, lantern.ResFrontDoor, lantern.ActApprove, rel),
		RAGs:       choices(lantern.RAGs, nil), Consents: choices(lantern.Consents, nil), Hours: requestHours}
	if v.Detail, err = s.st.ReferralDetail(ctx, c.ID, ref.ID); err != nil {
		s.error(w, r, err)
		return
	}
	if v.FrontDoor {
		if v.Agencies, err = s.st.Agencies(ctx); err != nil {
			s.error(w, r, err)
			return
		}
	}
	p.Data = v
	s.render(w, r, status, "event_referral", p)
}

// StaleReferral is what the referral page says when someone else changed
// the referral after the page was shown.
const StaleReferral = "Someone else changed this referral while you were working on it. Check what it says now, then record yours again if it is still needed"

func (s *Server) updateReferralPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	which := form.Get("form")
	u, ok := referralUpdates[which]
	version, verr := strconv.Atoi(form.Get("version"))
	if !ok || verr != nil {
		s.error(w, r, lantern.Errorf(lantern.EBADREQUEST, "The form could not be read"))
		return
	}
	var p lantern.Problems
	var up lantern.ReferralUpdate
	switch which {
	case "decision":
		up.DecisionReason = form.Get("decision_reason")
		up.Decision = lantern.ReferralDecision(form.Get("decision"))
		if !slices.Contains(lantern.ReferralDecisions, up.Decision) {
			p.Add("decision", "Select the decision")
		}
		up.DecidedAt = s.eventTime(&p, form, u.field, u.what, true)
	case "followup":
		up.WrittenConfirmationAt = s.eventTime(&p, form, u.field, u.what, true)
	case "feedback":
		up.FeedbackAt = s.eventTime(&p, form, u.field, u.what, true)
	}
	if len(p) > 0 {
		s.renderReferral(w, r, http.StatusUnprocessableEntity, form, p)
		return
	}
	id, rid := r.PathValue("id"), r.PathValue("eid")
	_, err = s.st.UpdateReferral(r.Context(), id, rid, version, up)
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/children/"+id+"/referrals/"+rid+"?done="+which)
	case lantern.EINVALID:
		s.renderReferral(w, r, http.StatusUnprocessableEntity, form,
			eventErrors(nil, err, nil, map[string]string{u.field: u.what}))
	case lantern.ECONFLICT:
		msg := lantern.ErrorMessage(err)
		if le, ok := err.(*lantern.Error); ok && le.Current != nil {
			msg = StaleReferral
		}
		s.renderReferral(w, r, http.StatusConflict, form, []lantern.FieldError{{Field: "referral", Message: msg}})
	default:
		s.error(w, r, err)
	}
}

// The pages of the other events: what was recorded, and the tasks it
// started.

// recordRow is a row of a summary list; Values are shown one a line.
type recordRow struct {
	Key    string
	Values []string
}

// eventRecord is what an event's page shows.
type eventRecord struct {
	Heading string
	Rows    []recordRow
	Warning string
	Tasks   []*lantern.Task
	Notice  string
	// Complete is the form completing an enquiry, while it is open;
	// DoneNotice what is said when it is sent.
	Complete   *s47CompleteForm
	DoneNotice string
}

// s47CompleteForm completes a section 47 enquiry recorded without its
// outcome.
type s47CompleteForm struct {
	Action   string
	Version  int
	Outcomes []eventOption
}

// eventRecordView is the page of an event other than a referral.
type eventRecordView struct {
	Child  *lantern.Child
	Record *eventRecord
	Now    time.Time
}

type recordKind func(s *Server, r *http.Request, childID, id string) (*eventRecord, error)

func (s *Server) eventRecordPage(k recordKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderEventRecord(w, r, k, http.StatusOK, nil, nil)
	}
}

// renderEventRecord shows an event's page, with a form's values and
// problems when a form on it was sent.
func (s *Server) renderEventRecord(w http.ResponseWriter, r *http.Request, k recordKind, status int, form url.Values, errs []lantern.FieldError) {
	c, err := s.st.FindChildByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	rec, err := k(s, r, c.ID, r.PathValue("eid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, rec.Heading)
	p.Nav = "children"
	p.Form = formMap(form)
	p.Errors = errs
	if status == http.StatusOK {
		switch r.URL.Query().Get("done") {
		case "recorded":
			p.Notice = rec.Notice
		case "completed":
			p.Notice = rec.DoneNotice
		}
	}
	if rec.Complete != nil && (c.MergedInto != "" || !lantern.Allowed(p.User, lantern.ResStatutory, lantern.ActChange, lantern.ChildRelation(p.User, c.AgencyIDs))) {
		rec.Complete = nil // the form only for those who may send it
	}
	p.Data = eventRecordView{Child: c, Record: rec, Now: s.stNow()}
	s.render(w, r, status, "event_record", p)
}

// localTime is a time as pages show it (the template's datetime): UK
// time, or nothing for no time.
func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(lantern.London).Format("2 January 2006 at 15:04")
}

func strategyDiscussionRecord(s *Server, r *http.Request, childID, id string) (*eventRecord, error) {
	sd, err := s.st.FindStrategyDiscussion(r.Context(), childID, id)
	if err != nil {
		return nil, err
	}
	var parts []string
	for _, pt := range sd.Participants {
		parts = append(parts, pt.Name+", "+pt.Agency)
	}
	if len(parts) == 0 {
		parts = []string{"None recorded"}
	}
	rec := &eventRecord{Heading: "Strategy discussion", Notice: "The strategy discussion has been recorded", Tasks: sd.Tasks,
		Rows: []recordRow{{"Held", []string{localTime(sd.HeldAt)}}, {"Decision", []string{sd.Decision.Label()}},
			{"Participants", parts}}}
	if sd.Notes != "" {
		rec.Rows = append(rec.Rows, recordRow{"Notes", []string{sd.Notes}})
	}
	return rec, nil
}

func conferenceRecord(s *Server, r *http.Request, childID, id string) (*eventRecord, error) {
	c, err := s.st.FindConference(r.Context(), childID, id)
	if err != nil {
		return nil, err
	}
	rec := &eventRecord{Heading: c.Kind.Label(), Notice: "The conference has been recorded", Tasks: c.Tasks,
		Rows: []recordRow{{"Held", []string{localTime(c.HeldAt)}}, {"Outcome", []string{c.Outcome.Label()}}}}
	if slices.Contains(c.Flags, lantern.FlagNoS47) {
		rec.Warning = FlagNoS47Warning
	}
	return rec, nil
}

func coreGroupRecord(s *Server, r *http.Request, childID, id string) (*eventRecord, error) {
	g, err := s.st.FindCoreGroup(r.Context(), childID, id)
	if err != nil {
		return nil, err
	}
	return &eventRecord{Heading: "Core group meeting", Notice: "The core group meeting has been recorded", Tasks: g.Tasks,
		Rows: []recordRow{{"Held", []string{localTime(g.HeldAt)}}}}, nil
}

func swAssessmentRecord(s *Server, r *http.Request, childID, id string) (*eventRecord, error) {
	a, err := s.st.FindSWAssessment(r.Context(), childID, id)
	if err != nil {
		return nil, err
	}
	completed := "Not yet completed"
	if a.CompletedAt != nil {
		completed = localTime(*a.CompletedAt)
	}
	return &eventRecord{Heading: a.Kind.Label(), Notice: "The assessment has been recorded", Tasks: a.Tasks,
		Rows: []recordRow{{"Started", []string{localTime(a.StartedAt)}}, {"Completed", []string{completed}}}}, nil
}

// The child's page: a timeline of the statutory events.

// eventRow is one event in the child's timeline.
type eventRow struct {
	At      time.Time
	What    string
	Detail  string
	Href    string
	Flagged bool
}

// eventTimeline lists a child's events, newest first.
func eventTimeline(ev *lantern.ChildEvents) []eventRow {
	if ev == nil {
		return nil
	}
	base := "/children/" + ev.ChildID
	var rows []eventRow
	for _, r := range ev.Referrals {
		detail := "No decision yet"
		if r.Decision != "" {
			detail = "Decision: " + r.Decision.Label()
		}
		who := r.Referrer.Name
		if r.Referrer.Agency != "" {
			who += ", " + r.Referrer.Agency
		}
		rows = append(rows, eventRow{At: r.ReceivedAt, What: "Referral from " + who, Detail: detail, Href: base + "/referrals/" + r.ID})
	}
	for _, sd := range ev.StrategyDiscussions {
		rows = append(rows, eventRow{At: sd.HeldAt, What: "Strategy discussion", Detail: sd.Decision.Label(),
			Href: base + "/strategy-discussions/" + sd.ID})
	}
	for _, c := range ev.Conferences {
		rows = append(rows, eventRow{At: c.HeldAt, What: c.Kind.Label(), Detail: c.Outcome.Label(),
			Href: base + "/conferences/" + c.ID, Flagged: slices.Contains(c.Flags, lantern.FlagNoS47)})
	}
	for _, e := range ev.S47Enquiries {
		detail := "Not yet completed"
		if e.CompletedAt != nil {
			detail = e.Outcome.Label()
		}
		rows = append(rows, eventRow{At: e.StartedAt, What: "Section 47 enquiry started", Detail: detail, Href: base + "/s47-enquiries/" + e.ID})
	}
	for _, g := range ev.CoreGroups {
		rows = append(rows, eventRow{At: g.HeldAt, What: "Core group meeting", Href: base + "/core-groups/" + g.ID})
	}
	for _, a := range ev.SWAssessments {
		detail := "Not yet completed"
		if a.CompletedAt != nil {
			detail = "Completed " + localTime(*a.CompletedAt)
		}
		rows = append(rows, eventRow{At: a.StartedAt, What: a.Kind.Label() + " started", Detail: detail,
			Href: base + "/social-work-assessments/" + a.ID})
	}
	slices.SortStableFunc(rows, func(a, b eventRow) int { return b.At.Compare(a.At) })
	return rows
}

// taskDue is when a task is due: its date, and the time too for clocks
// counted in hours (a task due at the end of its day shows only the date).
func taskDue(t *lantern.Task) string {
	if at := t.DueAt.In(lantern.London); at.Hour() == 23 && at.Minute() == 59 && at.Second() == 59 {
		return t.DueDate.Format()
	}
	return localTime(t.DueAt)
}

// daysText is "1 day" or "n days".
func daysText(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// lateText is how late an open task is at now: "3 days late", counting a
// part of a day as a day.
func lateText(t *lantern.Task, now time.Time) string {
	return daysText(int(now.Sub(t.DueAt).Hours()/24)+1) + " late"
}

// doneLateText is how late a task was done, or "" when it was on time.
func doneLateText(t *lantern.Task) string {
	if t.Status != lantern.TaskDone || t.DoneAt == nil || !t.DoneAt.After(t.DueAt) {
		return ""
	}
	return daysText(int(t.DoneAt.Sub(t.DueAt).Hours()/24)+1) + " late"
}
