package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"lantern"
	"lantern/clocks"
)

// The pages of missing and absent episodes: recording one, its page with
// the return and the return interview, and the partnership's figures.

func init() {
	funcs["presentationLabel"] = lantern.PresentationLabel
	funcs["followUpLabel"] = lantern.FollowUpLabel
	funcs["notHeldLabel"] = lantern.NotHeldLabel
	funcs["missingHowLate"] = missingHowLate
	funcs["missingDuration"] = missingDuration
	funcs["missingMonthLabel"] = monthLabel
}

func (s *Server) missingPageRoutes() {
	s.handle("GET /children/{id}/missing-episodes/new", s.newEpisodePage)
	s.handle("POST /children/{id}/missing-episodes/new", s.createEpisodePage)
	s.handle("GET /children/{id}/missing-episodes/{eid}", s.episodePage)
	s.handle("POST /children/{id}/missing-episodes/{eid}/return", s.returnPage)
	s.handle("POST /children/{id}/missing-episodes/{eid}/interview", s.interviewPage)
	s.handle("GET /reports/missing", s.missingFiguresPage)
}

// The times the forms ask for, as "what happened then" for the messages.
var missingWhats = map[string]string{
	"missing_from":               "the child went missing",
	"reported_at":                "it was reported",
	"returned_at":                "the child returned",
	"placing_authority_informed": "the placing authority was told",
	"offered_at":                 "the interview was offered",
	"held_at":                    "the interview was held",
}

var episodeKinds = []eventOption{
	{Value: "missing", Label: "Missing", Hint: "Their whereabouts were not known."},
	{Value: "absent", Label: "Absent", Hint: "Not where they were expected to be, but their whereabouts were known or they were thought to be safe."},
}

var interviewOutcomes = []eventOption{
	{Value: "held", Label: "It was held"},
	{Value: "declined", Label: "Not held: the young person declined it"},
	{Value: "not-reachable", Label: "Not held: the young person could not be reached"},
}

// RestrictedReaders says who may read what a young person said in a
// return interview (lantern.ResReturnAccount, a restricted field).
const RestrictedReaders = "Only social workers and managers in children's social care, and the CSE coordinator, can read this."

// StaleEpisode is what the episode page says when someone else changed
// the episode after the page was shown.
const StaleEpisode = "Someone else changed this episode while you were working on it, or the return is already recorded. Check what it says now, then record yours again if it is still needed"

// missingDuration says a span in whole days and hours: "2 days 3 hours",
// "45 minutes".
func missingDuration(d time.Duration) string {
	if d < time.Hour {
		m := int(d.Round(time.Minute) / time.Minute)
		if m == 1 {
			return "1 minute"
		}
		return strconv.Itoa(m) + " minutes"
	}
	h := int(d / time.Hour)
	days, hours := h/24, h%24
	var parts []string
	if days > 0 {
		parts = append(parts, daysText(days))
	}
	if hours == 1 {
		parts = append(parts, "1 hour")
	} else if hours > 1 {
		parts = append(parts, strconv.Itoa(hours)+" hours")
	}
	return strings.Join(parts, " ")
}

// missingHowLate is how late a return-interview task is or was, in days and
// hours, or "" when it is not late.
func missingHowLate(t *lantern.Task, now time.Time) string {
	switch {
	case t.Late(now):
		return missingDuration(now.Sub(t.DueAt)) + " late"
	case t.Status == lantern.TaskDone && t.DoneAt != nil && t.DoneAt.After(t.DueAt):
		return missingDuration(t.DoneAt.Sub(t.DueAt)) + " late"
	}
	return ""
}

// monthLabel is "November 2026" for "2026-11".
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("January 2006")
}

func (s *Server) newEpisodePage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.recordableChild(w, r)
	if !ok {
		return
	}
	s.renderEpisodeForm(w, r, http.StatusOK, c, nil, nil)
}

// missingFormView is the form recording a missing or absent episode.
type missingFormView struct {
	Child         *lantern.Child
	Kinds         []eventOption
	Presentations []eventOption
}

func (s *Server) renderEpisodeForm(w http.ResponseWriter, r *http.Request, status int, c *lantern.Child, form url.Values, errs []lantern.FieldError) {
	p := s.newPage(r, "Record a missing episode")
	p.Nav = "children"
	p.Form = episodeFormMap(form)
	p.Errors = errs
	p.Data = missingFormView{Child: c, Kinds: episodeKinds, Presentations: presentationOptions()}
	s.render(w, r, status, "missing_form", p)
}

// episodeFormMap keeps a form's values to show again, each ticked box as
// name:value ("presentation:injuries").
func episodeFormMap(form url.Values) map[string]string {
	m := formMap(form)
	for _, name := range []string{"presentation", "follow_up"} {
		for _, v := range form[name] {
			m[name+":"+v] = "yes"
		}
	}
	return m
}

func presentationOptions() []eventOption {
	var out []eventOption
	for _, p := range lantern.Presentations {
		out = append(out, eventOption{Value: p, Label: lantern.PresentationLabel(p)})
	}
	return out
}

func followUpOptions() []eventOption {
	var out []eventOption
	for _, f := range lantern.FollowUps {
		out = append(out, eventOption{Value: f, Label: lantern.FollowUpLabel(f)})
	}
	return out
}

// returnDetails are the parts of a return other than its time, which say
// something about it only if one was given.
var returnDetails = []string{"returned_where", "returned_with", "presentation", "presentation_notes"}

// EpisodeForm reads an episode from the form, in UK time. The placement,
// and when the placing authority was told, are asked only of a child who is
// looked after.
func EpisodeForm(form url.Values, lookedAfter bool) (lantern.EpisodeInput, []lantern.FieldError) {
	var p lantern.Problems
	in := lantern.EpisodeInput{Kind: form.Get("kind"), ReportedBy: form.Get("reported_by"), PoliceReference: form.Get("police_reference"),
		ReturnedWhere: form.Get("returned_where"), ReturnedWith: form.Get("returned_with"), Presentation: form["presentation"],
		PresentationNotes: form.Get("presentation_notes")}
	if in.Kind != "missing" && in.Kind != "absent" {
		p.Add("kind", "Select whether the child was missing or absent")
	}
	if t := formTime(&p, form, "missing_from", missingWhats["missing_from"], true); t != nil {
		in.MissingFrom = *t
	}
	in.ReportedAt = formTime(&p, form, "reported_at", missingWhats["reported_at"], false)
	in.ReturnedAt = formTime(&p, form, "returned_at", missingWhats["returned_at"], false)
	if in.ReturnedAt == nil && !slices.ContainsFunc(p, func(fe lantern.FieldError) bool { return fe.Field == "returned_at" }) {
		for _, f := range returnDetails {
			if strings.TrimSpace(strings.Join(form[f], "")) != "" {
				p.Add("returned_at", "Enter the date and time the child returned, or leave the details of the return blank")
				break
			}
		}
	}
	if lookedAfter {
		in.Placement = form.Get("placement")
		in.PlacingAuthorityInformed = formTime(&p, form, "placing_authority_informed", missingWhats["placing_authority_informed"], false)
	}
	return in, p
}

// episodeFields are the episode form's fields, in the order of the page.
var episodeFields = []string{"kind", "missing_from", "reported_by", "reported_at", "police_reference", "returned_at", "returned_where",
	"returned_with", "presentation", "presentation_notes", "placement", "placing_authority_informed"}

// inPageOrder puts the episode form's errors in the order of its fields,
// as the error summary lists them.
func inPageOrder(errs []lantern.FieldError) []lantern.FieldError {
	slices.SortStableFunc(errs, func(a, b lantern.FieldError) int {
		ia, ib := slices.Index(episodeFields, a.Field), slices.Index(episodeFields, b.Field)
		if ia < 0 {
			ia = len(episodeFields)
		}
		if ib < 0 {
			ib = len(episodeFields)
		}
		return ia - ib
	})
	return errs
}

func (s *Server) createEpisodePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	c, ok := s.recordableChild(w, r)
	if !ok {
		return
	}
	in, formErrs := EpisodeForm(form, c.LookedAfter)
	// A person records what has happened: no time of it ahead of now.
	now, ahead := s.stNow(), lantern.Problems(formErrs)
	for name, t := range map[string]*time.Time{"missing_from": &in.MissingFrom, "reported_at": in.ReportedAt,
		"returned_at": in.ReturnedAt, "placing_authority_informed": in.PlacingAuthorityInformed} {
		notAhead(&ahead, now, name, missingWhats[name], t)
	}
	formErrs = ahead
	var e *lantern.MissingEpisode
	if len(formErrs) == 0 {
		e, err = s.st.CreateEpisode(r.Context(), c.ID, in)
	} else {
		// The rest too, so that every problem shows at once; a time that
		// could not be read is left to the form's own message.
		v := in
		if v.MissingFrom.IsZero() {
			v.MissingFrom = now
			if v.ReturnedAt != nil {
				v.MissingFrom = *v.ReturnedAt
			}
		}
		err = v.Validate(now)
	}
	if len(formErrs) > 0 || lantern.ErrorCode(err) == lantern.EINVALID {
		s.renderEpisodeForm(w, r, http.StatusUnprocessableEntity, c, form, inPageOrder(eventErrors(formErrs, err, nil, missingWhats)))
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/"+c.ID+"/missing-episodes/"+e.ID+"?done=recorded")
}

func (s *Server) episodePage(w http.ResponseWriter, r *http.Request) {
	s.renderEpisode(w, r, http.StatusOK, nil, nil)
}

// missingEpisodeView is a missing or absent episode: its return, its
// return interview and the forms recording them.
type missingEpisodeView struct {
	Child   *lantern.Child
	Episode *lantern.MissingEpisode
	Kind    string // "Missing" or "Absent", for headings
	Tasks   []*lantern.Task
	Now     time.Time
	// CanEdit says the viewer may record the return and the interview;
	// CanRead, read what the young person said.
	CanEdit, CanRead bool
	Presentations    []eventOption
	FollowUps        []eventOption
	Outcomes         []eventOption
	Readers          string // who may read what the young person said
	// FollowUps are what follows the interview, each an action to take.
	FollowUpActions []followUpAction
}

// followUpAction is a follow-up of a return interview as something to do:
// the place to do it (its task's page when it is done outside Lantern), and
// the task it made.
type followUpAction struct {
	Label string
	Href  string
	Task  *lantern.Task
}

// followUpActions are an episode's follow-ups as actions.
func followUpActions(c *lantern.Child, e *lantern.MissingEpisode) []followUpAction {
	if e.Interview == nil {
		return nil
	}
	var out []followUpAction
	for _, f := range e.Interview.FollowUp {
		k := lantern.FollowUpWork(f)
		a := followUpAction{Label: lantern.FollowUpLabel(f), Href: workPlace(k, c.ID).Href}
		for _, t := range e.Tasks {
			if t.Clock == lantern.ClockWork && t.Kind == k {
				a.Task = t
			}
		}
		if a.Href == "" && a.Task != nil {
			a.Href = "/tasks/" + a.Task.ID
		}
		if a.Href != "" {
			out = append(out, a)
		}
	}
	return out
}

func (s *Server) renderEpisode(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []lantern.FieldError) {
	ctx := r.Context()
	c, err := s.st.FindChildByID(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.st.Episode(ctx, c.ID, r.PathValue("eid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	var tasks []*lantern.Task // the episode's own: its return interview
	for _, t := range e.Tasks {
		if t.Clock == clocks.ReturnInterview {
			tasks = append(tasks, t)
		}
	}
	kind := "Missing"
	if e.Kind == "absent" {
		kind = "Absent"
	}
	p := s.newPage(r, kind+" episode for "+c.FullName())
	p.Nav = "children"
	p.Form = episodeFormMap(form)
	p.Errors = errs
	if status == http.StatusOK {
		switch r.URL.Query().Get("done") {
		case "recorded":
			p.Notice = "The episode has been recorded"
		case "returned":
			p.Notice = "The return has been recorded"
		case "interview":
			p.Notice = "The return interview has been recorded"
		}
	}
	p.Data = missingEpisodeView{Child: c, Episode: e, Kind: kind, Tasks: tasks, Now: s.stNow(),
		CanEdit:       lantern.Allowed(p.User, lantern.ResEpisode, lantern.ActChange, lantern.ChildRelation(p.User, c.AgencyIDs)) && c.MergedInto == "",
		CanRead:       lantern.Allowed(p.User, lantern.ResReturnAccount, lantern.ActRead, lantern.ChildRelation(p.User, c.AgencyIDs)),
		Presentations: presentationOptions(), FollowUps: followUpOptions(), Outcomes: interviewOutcomes,
		Readers: RestrictedReaders, FollowUpActions: followUpActions(c, e)}
	s.render(w, r, status, "missing_episode", p)
}

// episodeForm reads a form posted on an episode's page, for a child the
// caller may record for.
func (s *Server) episodeForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	if _, ok := s.recordableChild(w, r); !ok {
		return nil, false
	}
	return form, true
}

func (s *Server) returnPage(w http.ResponseWriter, r *http.Request) {
	form, ok := s.episodeForm(w, r)
	if !ok {
		return
	}
	version, verr := strconv.Atoi(form.Get("version"))
	if verr != nil {
		s.error(w, r, lantern.Errorf(lantern.EBADREQUEST, "The form could not be read"))
		return
	}
	var p lantern.Problems
	in := lantern.ReturnInput{ReturnedWhere: form.Get("returned_where"), ReturnedWith: form.Get("returned_with"),
		Presentation: form["presentation"], PresentationNotes: form.Get("presentation_notes")}
	if t := s.eventTime(&p, form, "returned_at", missingWhats["returned_at"], true); t != nil {
		in.ReturnedAt = *t
	}
	in.PlacingAuthorityInformed = s.eventTime(&p, form, "placing_authority_informed", missingWhats["placing_authority_informed"], false)
	if len(p) > 0 {
		s.renderEpisode(w, r, http.StatusUnprocessableEntity, form, p)
		return
	}
	id, eid := r.PathValue("id"), r.PathValue("eid")
	_, err := s.st.RecordReturn(r.Context(), id, eid, version, in)
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/children/"+id+"/missing-episodes/"+eid+"?done=returned")
	case lantern.EINVALID:
		s.renderEpisode(w, r, http.StatusUnprocessableEntity, form, eventErrors(nil, err, nil, missingWhats))
	case lantern.ECONFLICT:
		msg := lantern.ErrorMessage(err)
		if le, ok := err.(*lantern.Error); ok && le.Current != nil {
			msg = StaleEpisode
		}
		s.renderEpisode(w, r, http.StatusConflict, form, []lantern.FieldError{{Field: "episode", Message: msg}})
	default:
		s.error(w, r, err)
	}
}

func (s *Server) interviewPage(w http.ResponseWriter, r *http.Request) {
	form, ok := s.episodeForm(w, r)
	if !ok {
		return
	}
	var p lantern.Problems
	in := lantern.InterviewInput{OfferedAt: s.eventTime(&p, form, "offered_at", missingWhats["offered_at"], false), FollowUp: form["follow_up"]}
	switch outcome := form.Get("outcome"); outcome {
	case "held":
		in.HeldAt = s.eventTime(&p, form, "held_at", missingWhats["held_at"], true)
		in.HeldBy, in.ChildSaid = form.Get("held_by"), form.Get("child_said")
		if strings.TrimSpace(in.HeldBy) == "" {
			p.Add("held_by", "Enter the independent person who held the interview")
		}
	case "declined", "not-reachable":
		in.NotHeldReason = outcome
	default:
		p.Add("outcome", "Select whether the interview was held")
	}
	if len(p) > 0 {
		s.renderEpisode(w, r, http.StatusUnprocessableEntity, form, p)
		return
	}
	id, eid := r.PathValue("id"), r.PathValue("eid")
	_, err := s.st.RecordInterview(r.Context(), id, eid, in)
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/children/"+id+"/missing-episodes/"+eid+"?done=interview")
	case lantern.EINVALID:
		errs := eventErrors(nil, err, map[string]string{"not_held_reason": "outcome"}, missingWhats)
		s.renderEpisode(w, r, http.StatusUnprocessableEntity, form, errs)
	case lantern.ECONFLICT:
		s.renderEpisode(w, r, http.StatusConflict, nil, []lantern.FieldError{{Field: "episode", Message: lantern.ErrorMessage(err)}})
	default:
		s.error(w, r, err)
	}
}

// missingFiguresView is the partnership's figures on missing and absent
// episodes, by month; no Months when the period asked for is not right.
type missingFiguresView struct {
	Months   []lantern.MissingMonth
	From, To lantern.Date
}

func (s *Server) missingFiguresPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Missing and absent episodes")
	p.Nav = "reports"
	p.Form = map[string]string{"from": r.URL.Query().Get("from"), "to": r.URL.Query().Get("to")}
	from, to, err := s.period(r)
	if err != nil {
		p.Errors = lantern.ErrorFields(err)
		p.Data = missingFiguresView{}
		s.render(w, r, http.StatusUnprocessableEntity, "missing_figures", p)
		return
	}
	months, err := s.st.MissingFigures(r.Context(), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Data = missingFiguresView{Months: months, From: from, To: to}
	s.render(w, r, http.StatusOK, "missing_figures", p)
}
