package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"lantern"
	"lantern/clocks"
	"lantern/store"
	"lantern/toolkit"
)

// The meeting pages: arrange a meeting (from a child or a toolkit
// assessment), invite from the directory, move or cancel it, record what it
// decided, distribute the minutes and toolkit, print its pack.

func (s *Server) meetingPageRoutes() {
	s.handle("GET /meetings", s.meetingsPage)
	s.handle("GET /meetings/new", s.newMeetingPage)
	s.handle("POST /meetings/new", s.createMeetingPage)
	s.handle("GET /meetings/{id}", s.meetingPage)
	s.handle("GET /meetings/{id}/invite.ics", s.apiInvite)
	s.handle("GET /meetings/{id}/pack.pdf", s.apiMeetingPack)
	s.handle("POST /meetings/{id}/invitations", s.sendInvitationsPage)
	s.handle("GET /meetings/{id}/change", s.changeMeetingPage)
	s.handle("POST /meetings/{id}/change", s.rescheduleMeetingPage)
	s.handle("POST /meetings/{id}/cancel", s.cancelMeetingPage)
	s.handle("GET /meetings/{id}/invitees", s.inviteesPage)
	s.handle("POST /meetings/{id}/invitees", s.setInviteesPage)
	s.handle("GET /meetings/{id}/outcome", s.outcomePage)
	s.handle("POST /meetings/{id}/outcome", s.recordOutcomePage)
	s.handle("POST /meetings/{id}/actions/{action}/complete", s.completeActionPage)
	s.handle("POST /meetings/{id}/distribute", s.distributePage)
}

func kindOptions() []eventOption {
	var out []eventOption
	for _, k := range lantern.MeetingKinds {
		o := eventOption{Value: string(k), Label: k.Label()}
		switch k {
		case lantern.MeetingCSEStrategy:
			o.Hint = "Decides the level of risk (emerging, medium or high) and what happens next. The police exploitation unit is invited and sent the toolkit."
		case lantern.MeetingContextConference:
			o.Hint = "About a place or a peer group, and the children connected with it."
		}
		out = append(out, o)
	}
	return out
}

var participationOptions = []eventOption{{Value: "invited", Label: "Yes, invited"}, {Value: "not-invited", Label: "No"}}

var levelOptions = []eventOption{
	{Value: "emerging", Label: "Emerging", Hint: "Vulnerable to exploitation, some indicators"},
	{Value: "medium", Label: "Medium", Hint: "Being targeted or groomed"},
	{Value: "high", Label: "High", Hint: "Being exploited"},
}

// recommendationOptions are a child's recommendations to choose from, each
// saying the task it makes: whose, and when it will be due
// (docs/pathway.md#decisions-make-work).
func recommendationOptions(childID string, pv *store.WorkPreview) []eventOption {
	out := make([]eventOption, len(lantern.Recommendations))
	for i, r := range lantern.Recommendations {
		out[i] = eventOption{Value: string(r), Label: r.Label()}
		if pv == nil {
			continue
		}
		pw, ok := pv.Work[childID][r]
		switch {
		case !ok:
			out[i].Hint = "No task."
		case pw.CoveredBy != "":
			out[i].Hint = "No new task: the child already has one open to " + strings.ToLower(clocks.Label(pw.CoveredBy)[:1]) + clocks.Label(pw.CoveredBy)[1:] + "."
		case pw.Task != nil:
			who := pv.OwnerNames[pw.Task.AssigneeID]
			if who == "" {
				who = "no one"
			}
			out[i].Hint = "Task: " + clocks.TaskLabel(pw.Task) + ", for " + who + ", due " + pw.Task.DueAt.In(lantern.London).Format("Monday 2 January 2006") + "."
			if pw.Task.Clock != lantern.ClockWork {
				out[i].Hint += " The statutory timescale applies."
			}
		}
	}
	return out
}

var attendanceOptions = []eventOption{{Value: "", Label: "Not recorded"}, {Value: "attended", Label: "Attended"}, {Value: "apologies", Label: "Sent apologies"},
	{Value: "sent-report", Label: "Sent a report"}, {Value: "absent", Label: "Did not attend"}}

// otherRows are the rows for invitees not in the directory.
var otherRows = []int{1, 2, 3}

// actionRows are the rows for a meeting's actions.
var actionRows = []int{1, 2, 3, 4, 5}

// meetingsView is the list of meetings coming up and recently held.
type meetingsView struct {
	Upcoming, Recent []*lantern.MeetingSummary
}

func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request) {
	now := s.stNow()
	today := lantern.Today(now).Time()
	fromToday, err := s.st.Meetings(r.Context(), lantern.MeetingFilter{From: today, Limit: 100})
	if err != nil {
		s.error(w, r, err)
		return
	}
	// Today's meetings that have ended (or are held) are recent, not coming up.
	upcoming, endedToday := lantern.SplitComingUp(fromToday, now)
	recent, err := s.st.Meetings(r.Context(), lantern.MeetingFilter{Before: today, Newest: true, Limit: 50})
	if err != nil {
		s.error(w, r, err)
		return
	}
	recent = append(endedToday, recent...)
	p := s.newPage(r, "Meetings")
	p.Nav = "meetings"
	p.Data = meetingsView{Upcoming: upcoming, Recent: recent}
	s.render(w, r, http.StatusOK, "meetings", p)
}

// children reads the children a meeting is about, each read audited.
func (s *Server) children(r *http.Request, ids []string) ([]*lantern.Child, error) {
	var out []*lantern.Child
	// One audit commit for them all, on the forms that show them again
	// after a POST too (a GET page's reads commit together anyway).
	err := s.st.ReadTogether(r.Context(), func(ctx context.Context) error {
		for _, id := range ids {
			c, err := s.st.FindChildByID(ctx, id)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// inviteeChoices are what the invitees partial (meeting-invitees-fields)
// offers, on the forms arranging a meeting and changing who is invited.
type inviteeChoices struct {
	Contacts      []eventOption // the directory's entries
	Participation []eventOption // whether the young person, the carers are invited
	OtherRows     []int         // the rows for anyone not in the directory
}

// meetingFormView is the form arranging a meeting.
type meetingFormView struct {
	inviteeChoices
	Children     []*lantern.Child
	AssessmentID string // the toolkit attached, if any
	Kinds        []eventOption
}

// meetingInviteesView is the form changing who is invited to a meeting.
type meetingInviteesView struct {
	inviteeChoices
	Meeting *lantern.Meeting
}

// arrangeData is what the arrange form shows: the children, the toolkit,
// the directory with the suggested entries ticked, and whoever else.
func (s *Server) arrangeData(r *http.Request, childIDs []string, assessmentID string) (meetingFormView, error) {
	children, err := s.children(r, childIDs)
	if err != nil {
		return meetingFormView{}, err
	}
	choices, err := s.inviteeChoices(r)
	if err != nil {
		return meetingFormView{}, err
	}
	return meetingFormView{inviteeChoices: choices, Children: children, AssessmentID: assessmentID, Kinds: kindOptions()}, nil
}

// inviteeChoices reads the directory for the invitees partial.
func (s *Server) inviteeChoices(r *http.Request) (inviteeChoices, error) {
	contacts, err := s.st.Contacts(r.Context(), false)
	if err != nil {
		return inviteeChoices{}, err
	}
	var opts []eventOption
	for _, c := range contacts {
		var roles []string
		for _, ro := range c.Roles {
			roles = append(roles, ro.Label())
		}
		hint := c.AgencyName
		if c.Team != "" {
			hint += ", " + c.Team
		}
		if len(roles) > 0 {
			hint += " (" + strings.Join(roles, ", ") + ")"
		}
		opts = append(opts, eventOption{Value: c.ID, Label: c.Name + " <" + c.Email + ">", Hint: hint})
	}
	return inviteeChoices{Contacts: opts, Participation: participationOptions, OtherRows: otherRows}, nil
}

func (s *Server) newMeetingPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	childIDs := q["child_id"]
	kind := lantern.MeetingKind(q.Get("kind"))
	if !kind.Valid() {
		kind = lantern.MeetingCSEStrategy
	}
	data, err := s.arrangeData(r, childIDs, q.Get("assessment_id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := map[string]string{"kind": string(kind), "young_person": "", "carers": ""}
	sug, err := s.st.SuggestedInvitees(r.Context(), kind, childIDs)
	if err != nil {
		s.error(w, r, err)
		return
	}
	fillInvitees(form, sug)
	s.renderArrange(w, r, http.StatusOK, data, form, nil)
}

func (s *Server) renderArrange(w http.ResponseWriter, r *http.Request, status int, data meetingFormView, form map[string]string, errs []lantern.FieldError) {
	p := s.newPage(r, "Arrange a meeting")
	p.Nav = "meetings"
	p.Form, p.Errors, p.Data = form, errs, data
	s.render(w, r, status, "meeting_form", p)
}

// fillInvitees puts invitees in the form: directory entries ticked, anyone
// else in the other rows. Someone taken off the list is left out.
func fillInvitees(form map[string]string, invs []lantern.Invitee) {
	row := 1
	for _, v := range invs {
		switch {
		case v.Removed:
		case v.ContactID != "":
			form["invitee:"+v.ContactID] = "1"
		case row <= len(otherRows):
			n := "other-" + strconv.Itoa(row)
			form[n+"-name"], form[n+"-email"], form[n+"-agency"] = v.Name, v.Email, v.Agency
			row++
		}
	}
}

// inviteesFrom reads the invitees part of a form: ticked directory
// entries, then the other rows filled in. fields maps each invitee's index
// to the form field its errors belong to.
func inviteesFrom(form url.Values) ([]lantern.InviteeInput, map[int]string) {
	var out []lantern.InviteeInput
	fields := map[int]string{}
	for _, id := range form["invitee"] {
		fields[len(out)] = "invitee"
		out = append(out, lantern.InviteeInput{ContactID: id})
	}
	for _, i := range otherRows {
		n := "other-" + strconv.Itoa(i)
		name, email, agency := strings.TrimSpace(form.Get(n+"-name")), strings.TrimSpace(form.Get(n+"-email")), strings.TrimSpace(form.Get(n+"-agency"))
		if name == "" && email == "" && agency == "" {
			continue
		}
		fields[len(out)] = n
		out = append(out, lantern.InviteeInput{Name: name, Email: email, Agency: agency})
	}
	return out, fields
}

// meetingErrors renames the store's fields to the form's: invitees[2].email
// to the row it came from.
func meetingErrors(err error, inviteeFields map[int]string, rename map[string]string) []lantern.FieldError {
	var out []lantern.FieldError
	for _, fe := range lantern.ErrorFields(err) {
		if strings.HasPrefix(fe.Field, "invitees[") {
			end := strings.IndexByte(fe.Field, ']')
			i, _ := strconv.Atoi(fe.Field[len("invitees["):max(end, len("invitees["))])
			f := inviteeFields[i]
			if f != "invitee" && f != "" {
				f += "-" + strings.TrimPrefix(fe.Field[end+1:], ".")
			}
			fe.Field = f
		} else if to, ok := rename[fe.Field]; ok {
			fe.Field = to
		}
		if fe.Field == "" {
			fe.Field = "invitee"
		}
		if !slices.ContainsFunc(out, func(h lantern.FieldError) bool { return h.Field == fe.Field }) {
			out = append(out, fe)
		}
	}
	return out
}

func participationFrom(form url.Values) lantern.Participation {
	return lantern.Participation{YoungPerson: form.Get("young_person"), YoungPersonReason: form.Get("young_person_reason"),
		Carers: form.Get("carers"), CarersReason: form.Get("carers_reason")}
}

// checkParticipation requires the decision the pathway asks for: is the
// young person invited, are the carers, and if not, why not.
func checkParticipation(p *lantern.Problems, pt lantern.Participation) {
	if pt.YoungPerson == "" {
		p.Add("young_person", "Select whether the young person is invited")
	}
	if pt.Carers == "" {
		p.Add("carers", "Select whether the parents or carers are invited")
	}
}

// formWithChecks keeps a form to show again, with ticked boxes as
// name:value.
func formWithChecks(form url.Values, names ...string) map[string]string {
	m := formMap(form)
	for _, n := range names {
		for _, v := range form[n] {
			m[n+":"+v] = "1"
		}
	}
	return m
}

// meetingTimes reads the start (a date and time) and the end time (the
// same day) of a meeting form.
func meetingTimes(p *lantern.Problems, form url.Values) (time.Time, time.Time) {
	start := formTime(p, form, "starts_at", "the meeting starts", true)
	endText := strings.TrimSpace(form.Get("ends_at"))
	c := clockRE.FindStringSubmatch(endText)
	if start == nil {
		if c == nil && endText != "" {
			p.Add("ends_at", "Enter the time the meeting ends on the 24-hour clock, like 11:30")
		}
		return time.Time{}, time.Time{}
	}
	if c == nil {
		p.Add("ends_at", "Enter the time the meeting ends on the 24-hour clock, like 11:30")
		return *start, time.Time{}
	}
	h, _ := strconv.Atoi(c[1])
	mi, _ := strconv.Atoi(c[2])
	end := time.Date(start.Year(), start.Month(), start.Day(), h, mi, 0, 0, lantern.London)
	if !end.After(*start) {
		p.Add("ends_at", "The meeting must end after it starts")
	}
	return *start, end
}

func (s *Server) createMeetingPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	start, end := meetingTimes(&p, form)
	pt := participationFrom(form)
	if form.Get("kind") != "context-conference" || len(form["child_id"]) > 0 {
		checkParticipation(&p, pt)
	}
	invitees, fields := inviteesFrom(form)
	in := lantern.MeetingInput{Kind: lantern.MeetingKind(form.Get("kind")), ChildIDs: form["child_id"], StartsAt: start, EndsAt: end, Location: form.Get("location"),
		AssessmentID: form.Get("assessment_id"), Invitees: invitees, Participation: &pt}
	var m *lantern.Meeting
	if err = p.Err(); err == nil {
		m, err = s.st.CreateMeeting(r.Context(), in)
	} else if more := s.st.CheckMeeting(r.Context(), placeholderTimes(in, s.stNow())); lantern.ErrorCode(more) == lantern.EINVALID {
		// The rest too, so that every problem shows at once.
		err = lantern.Invalid(childErrors(p, more)...)
	}
	if err != nil {
		if lantern.ErrorCode(err) != lantern.EINVALID {
			s.error(w, r, err)
			return
		}
		data, derr := s.arrangeData(r, form["child_id"], form.Get("assessment_id"))
		if derr != nil {
			s.error(w, r, derr)
			return
		}
		errs := meetingErrors(err, fields, map[string]string{"child_ids": "kind", "assessment_id": "kind"})
		s.renderArrange(w, r, http.StatusUnprocessableEntity, data, formWithChecks(form, "invitee"), errs)
		return
	}
	to := "/meetings/" + m.ID + "?done=arranged"
	if form.Get("send") == "1" {
		res, err := s.sendInvitations(r.Context(), r, m.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		to = "/meetings/" + m.ID + sentQuery(res)
	}
	redirect(w, r, to)
}

// placeholderTimes gives a meeting whose times could not be read times the
// store takes, so that its checks of the rest do not repeat the form's.
func placeholderTimes(in lantern.MeetingInput, now time.Time) lantern.MeetingInput {
	if in.StartsAt.IsZero() || in.EndsAt.IsZero() {
		in.StartsAt, in.EndsAt = now.Add(time.Hour), now.Add(2*time.Hour)
	}
	return in
}

func sentQuery(res MailResult) string {
	return "?done=invitations&email=" + res.Email + "&sent=" + strconv.Itoa(res.Sent) + "&failed=" + strconv.Itoa(res.Failed)
}

// meetingView is a meeting: who it is about, who is invited, what it
// decided, its actions and what was shared.
type meetingView struct {
	Meeting  *lantern.Meeting
	Children []*lantern.Child
	Shares   []lantern.InformationShare
	Pending  int // invitees not yet sent the current invitation
	// CanEdit says the viewer may change the meeting; CanOutcome, record
	// its outcome; CanComplete, mark any action done; CanOwn, mark done the
	// actions they own (Owner is UserID).
	CanEdit, CanOutcome, CanComplete, CanOwn bool
	UserID                                   string
}

// meetingPageData is what the meeting page shows.
func (s *Server) meetingPageData(r *http.Request, m *lantern.Meeting) (meetingView, error) {
	children, err := s.children(r, m.ChildIDs)
	if err != nil {
		return meetingView{}, err
	}
	shares, err := s.st.MeetingShares(r.Context(), m.ID)
	if err != nil {
		return meetingView{}, err
	}
	pending := 0
	for _, v := range m.Invitees {
		if send, _ := store.NeedsEmail(m, v); send {
			pending++
		}
	}
	u := lantern.UserFromContext(r.Context())
	res, rel, err := s.st.MeetingAccess(r.Context(), m)
	if err != nil {
		return meetingView{}, err
	}
	return meetingView{Meeting: m, Children: children, Shares: shares, Pending: pending,
		CanEdit: lantern.Allowed(u, res, lantern.ActChange, rel), CanOutcome: lantern.Allowed(u, res, lantern.ActRecordOutcome, rel),
		CanComplete: lantern.Allowed(u, res, lantern.ActComplete, rel),
		CanOwn:      lantern.Allowed(u, lantern.ResMeetingAction, lantern.ActComplete, lantern.RelOwn), UserID: u.ID}, nil
}

// sentCounts is ": N. Not sent: M" from the numbers a redirect after
// sending carries, or "" when they are not numbers: a notice shows no text
// from the address, which anyone can write into a link (a phishing aid).
// sentNotice puts done, with the counts of emails sent and not sent, in the
// page's success banner, or in its warning banner when some were not sent.
func sentNotice(p *page, q url.Values, done, notSent string) {
	sent, err1 := strconv.ParseUint(q.Get("sent"), 10, 16)
	failed, err2 := strconv.ParseUint(q.Get("failed"), 10, 16)
	if err1 != nil || err2 != nil {
		p.Notice = done
		return
	}
	msg := fmt.Sprintf("%s: %d. %s: %d", done, sent, notSent, failed)
	if failed > 0 {
		p.Warning = msg
	} else {
		p.Notice = msg
	}
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request) {
	m, err := s.st.FindMeeting(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	data, err := s.meetingPageData(r, m)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, m.Kind.Label())
	p.Nav = "meetings"
	q := r.URL.Query()
	switch q.Get("done") {
	case "arranged":
		p.Notice = "The meeting has been arranged"
	case "invitations":
		if q.Get("email") == "off" {
			p.Warning = "Email is not set up on this Lantern: download the calendar file and send it to those invited"
		} else {
			sentNotice(p, q, "Invitations sent", "Not sent")
		}
	case "changed":
		p.Notice = "The meeting has been changed: send the update to those invited"
	case "cancelled":
		p.Notice = "The meeting has been cancelled: send the cancellation to those invited"
	case "outcome":
		p.Notice = "The outcome has been recorded"
	case "action":
		p.Notice = "The action is done"
	case "distributed":
		if q.Get("email") == "off" {
			p.Warning = "The shares are recorded, but email is not set up on this Lantern: tell the recipients yourself"
		} else {
			sentNotice(p, q, "The minutes and toolkit have been shared. Emails sent", "Not sent")
		}
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "meeting", p)
}

func (s *Server) sendInvitationsPage(w http.ResponseWriter, r *http.Request) {
	if _, err := parseForm(r); err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.sendInvitations(r.Context(), r, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/meetings/"+r.PathValue("id")+sentQuery(res))
}

func formVersion(form url.Values) int {
	v, _ := strconv.Atoi(form.Get("version"))
	return v
}

func (s *Server) changeMeetingPage(w http.ResponseWriter, r *http.Request) {
	m, err := s.st.FindMeeting(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderChange(w, r, http.StatusOK, m, changeForm(m), nil)
}

// changeForm is the move form filled in with the meeting as it is.
func changeForm(m *lantern.Meeting) map[string]string {
	st := m.StartsAt.In(lantern.London)
	return map[string]string{"version": strconv.Itoa(m.Version), "starts_at-day": strconv.Itoa(st.Day()), "starts_at-month": strconv.Itoa(int(st.Month())),
		"starts_at-year": strconv.Itoa(st.Year()), "starts_at-time": st.Format("15:04"), "ends_at": m.EndsAt.In(lantern.London).Format("15:04"), "location": m.Location}
}

// meetingChangeView is the form moving or cancelling a meeting.
type meetingChangeView struct {
	Meeting *lantern.Meeting
}

func (s *Server) renderChange(w http.ResponseWriter, r *http.Request, status int, m *lantern.Meeting, form map[string]string, errs []lantern.FieldError) {
	p := s.newPage(r, "Move or cancel the meeting")
	p.Nav = "meetings"
	p.Form, p.Errors = form, errs
	p.Data = meetingChangeView{Meeting: m}
	s.render(w, r, status, "meeting_change", p)
}

// formFailed shows a problem with the form again: a stale version as a
// problem with its first field (the version is hidden); anything else as an
// error page.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, err error, first string, show func([]lantern.FieldError)) {
	switch lantern.ErrorCode(err) {
	case lantern.EINVALID:
		show(lantern.ErrorFields(err))
	case lantern.ECONFLICT:
		show([]lantern.FieldError{{Field: first, Message: "The meeting was changed by someone else while you were looking: look again before changing it"}})
	default:
		s.error(w, r, err)
	}
}

func (s *Server) rescheduleMeetingPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	var p lantern.Problems
	start, end := meetingTimes(&p, form)
	if err = p.Err(); err == nil {
		_, err = s.st.Reschedule(r.Context(), id, formVersion(form), start, end, form.Get("location"))
	}
	if err != nil {
		s.formFailed(w, r, err, "starts_at", func(errs []lantern.FieldError) {
			m, ferr := s.st.FindMeeting(r.Context(), id)
			if ferr != nil {
				s.error(w, r, ferr)
				return
			}
			s.renderChange(w, r, http.StatusUnprocessableEntity, m, formMap(form), errs)
		})
		return
	}
	redirect(w, r, "/meetings/"+id+"?done=changed")
}

func (s *Server) cancelMeetingPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	if _, err := s.st.CancelMeeting(r.Context(), id, formVersion(form), form.Get("reason")); err != nil {
		s.formFailed(w, r, err, "reason", func(errs []lantern.FieldError) {
			m, ferr := s.st.FindMeeting(r.Context(), id)
			if ferr != nil {
				s.error(w, r, ferr)
				return
			}
			f := changeForm(m)
			f["reason"] = form.Get("reason")
			s.renderChange(w, r, http.StatusUnprocessableEntity, m, f, errs)
		})
		return
	}
	redirect(w, r, "/meetings/"+id+"?done=cancelled")
}

func (s *Server) inviteesPage(w http.ResponseWriter, r *http.Request) {
	m, err := s.st.FindMeeting(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	choices, err := s.inviteeChoices(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := map[string]string{"version": strconv.Itoa(m.Version), "young_person": m.YoungPerson, "young_person_reason": m.YoungPersonReason,
		"carers": m.Carers, "carers_reason": m.CarersReason}
	fillInvitees(form, m.Invitees)
	s.renderInvitees(w, r, http.StatusOK, m, choices, form, nil)
}

func (s *Server) renderInvitees(w http.ResponseWriter, r *http.Request, status int, m *lantern.Meeting, choices inviteeChoices, form map[string]string, errs []lantern.FieldError) {
	p := s.newPage(r, "Who is invited")
	p.Nav = "meetings"
	p.Form, p.Errors = form, errs
	p.Data = meetingInviteesView{inviteeChoices: choices, Meeting: m}
	s.render(w, r, status, "meeting_invitees", p)
}

func (s *Server) setInviteesPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	invitees, fields := inviteesFrom(form)
	pt := participationFrom(form)
	var p lantern.Problems
	checkParticipation(&p, pt)
	if err = p.Err(); err == nil {
		_, err = s.st.SetInvitees(r.Context(), id, formVersion(form), invitees, pt)
	}
	if err != nil {
		if c := lantern.ErrorCode(err); c != lantern.EINVALID && c != lantern.ECONFLICT {
			s.error(w, r, err)
			return
		}
		m, ferr := s.st.FindMeeting(r.Context(), id)
		choices, derr := s.inviteeChoices(r)
		if ferr != nil || derr != nil {
			s.error(w, r, lantern.NotFound("Meeting"))
			return
		}
		errs := meetingErrors(err, fields, nil)
		if lantern.ErrorCode(err) == lantern.ECONFLICT {
			errs = []lantern.FieldError{{Field: "invitee", Message: "The meeting was changed by someone else while you were looking: look again"}}
		}
		s.renderInvitees(w, r, http.StatusUnprocessableEntity, m, choices, formWithChecks(form, "invitee"), errs)
		return
	}
	if form.Get("send") == "1" {
		res, err := s.sendInvitations(r.Context(), r, id)
		if err != nil {
			s.error(w, r, err)
			return
		}
		redirect(w, r, "/meetings/"+id+sentQuery(res))
		return
	}
	redirect(w, r, "/meetings/"+id+"?done=changed")
}

func (s *Server) outcomePage(w http.ResponseWriter, r *http.Request) {
	m, err := s.st.FindMeeting(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if m.Status != lantern.MeetingScheduled { // recorded, or cancelled: nothing to record
		redirect(w, r, "/meetings/"+m.ID)
		return
	}
	form := map[string]string{"version": strconv.Itoa(m.Version), "held": "yes", "chair": m.Chair}
	for _, v := range m.Invitees {
		form["attendance-"+v.ID] = string(v.Attendance)
	}
	s.renderOutcome(w, r, http.StatusOK, m, form, nil)
}

// meetingOutcomeView is the form recording what a meeting decided: for
// each child a level and recommendations, who came, and its actions.
type meetingOutcomeView struct {
	Meeting  *lantern.Meeting
	Children []*lantern.Child
	Owners   []lantern.Owner // whom an action may be given to
	Held     []eventOption
	Levels   []eventOption
	// Recommendations are each child's, by id, each with the task it makes.
	Recommendations map[string][]eventOption
	Attendance      []eventOption
	ActionRows      []int
}

func (s *Server) renderOutcome(w http.ResponseWriter, r *http.Request, status int, m *lantern.Meeting, form map[string]string, errs []lantern.FieldError) {
	children, err := s.children(r, m.ChildIDs)
	if err != nil {
		s.error(w, r, err)
		return
	}
	owners, err := s.st.ActionOwners(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	pv, err := s.st.PreviewRecommendations(r.Context(), m)
	if err != nil {
		s.error(w, r, err)
		return
	}
	recs := map[string][]eventOption{}
	for _, c := range m.ChildIDs {
		recs[c] = recommendationOptions(c, pv)
	}
	p := s.newPage(r, "Record the outcome")
	p.Nav = "meetings"
	p.Form, p.Errors = form, errs
	p.Data = meetingOutcomeView{Meeting: m, Children: children, Owners: owners, Levels: levelOptions, Recommendations: recs,
		Attendance: attendanceOptions, ActionRows: actionRows, Held: []eventOption{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No, it did not take place"}}}
	s.render(w, r, status, "meeting_outcome", p)
}

// meetingDate reads a YYYY-MM-DD field.
func meetingDate(p *lantern.Problems, form url.Values, name, what string, required bool) lantern.Date {
	v := strings.TrimSpace(form.Get(name))
	if v == "" {
		if required {
			p.Add(name, "Enter "+what+", like 2027-01-31")
		}
		return lantern.Date{}
	}
	d, err := lantern.ParseDate(v)
	if err != nil {
		p.Add(name, "Enter a real date for "+what+", like 2027-01-31")
		return lantern.Date{}
	}
	return d
}

func (s *Server) recordOutcomePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	m, err := s.st.FindMeeting(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	held := form.Get("held")
	switch {
	case held != "yes" && held != "no":
		p.Add("held", "Select whether the meeting took place")
	case held == "yes" && m.StartsAt.After(s.stNow().Add(lantern.MaxClockSkew)):
		p.Add("held", "The meeting has not started yet: record whether it took place once it has")
	}
	o := lantern.Outcome{Held: held == "yes", Chair: form.Get("chair"), Minutes: form.Get("minutes"), Associates: form.Get("associates"),
		Attendance: map[string]lantern.Attendance{}, NextMeetingDate: meetingDate(&p, form, "next_meeting_date", "the date of the next meeting", false)}
	for _, v := range m.Invitees {
		if a := form.Get("attendance-" + v.ID); a != "" {
			o.Attendance[v.ID] = lantern.Attendance(a)
		}
	}
	rename := map[string]string{"held": "held", "next_meeting_date": "next_meeting_date"}
	if o.Held {
		for i, c := range m.ChildIDs {
			level := form.Get("level-" + c)
			if level == "" {
				p.Add("level-"+c, "Select the level of risk the meeting decided")
				continue
			}
			o.Decisions = append(o.Decisions, lantern.MeetingDecision{ChildID: c, Level: level, Rationale: form.Get("rationale-" + c),
				Recommendations: form["recommendations-"+c]})
			rename["decisions["+strconv.Itoa(i)+"].level"] = "level-" + c
			rename["decisions["+strconv.Itoa(i)+"].rationale"] = "rationale-" + c
		}
	}
	for _, i := range actionRows {
		n := "action-" + strconv.Itoa(i)
		desc, owner := strings.TrimSpace(form.Get(n+"-description")), form.Get(n+"-owner")
		due := strings.TrimSpace(form.Get(n + "-due"))
		if desc == "" && owner == "" && due == "" {
			continue
		}
		k := strconv.Itoa(len(o.Actions))
		rename["actions["+k+"].description"], rename["actions["+k+"].owner"], rename["actions["+k+"].due_date"] = n+"-description", n+"-owner", n+"-due"
		o.Actions = append(o.Actions, lantern.MeetingAction{Description: desc, Owner: owner, DueDate: meetingDate(&p, form, n+"-due", "the date the action is due", true)})
	}
	for id := range o.Attendance {
		rename["attendance."+id] = "attendance-" + id
	}
	if err = p.Err(); err == nil {
		_, err = s.st.RecordOutcome(r.Context(), id, formVersion(form), o)
	}
	if err != nil {
		s.formFailed(w, r, err, "held", func(errs []lantern.FieldError) {
			for i := range errs {
				if to, ok := rename[errs[i].Field]; ok {
					errs[i].Field = to
				}
			}
			f := formWithChecks(form)
			for _, c := range m.ChildIDs {
				for _, v := range form["recommendations-"+c] {
					f["recommendations-"+c+":"+v] = "1"
				}
			}
			s.renderOutcome(w, r, http.StatusUnprocessableEntity, m, f, errs)
		})
		return
	}
	redirect(w, r, "/meetings/"+id+"?done=outcome")
}

func (s *Server) completeActionPage(w http.ResponseWriter, r *http.Request) {
	if _, err := parseForm(r); err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.st.CompleteAction(r.Context(), r.PathValue("id"), r.PathValue("action")); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/meetings/"+r.PathValue("id")+"?done=action")
}

func (s *Server) distributePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, _, err := s.distribute(r, r.PathValue("id"), formVersion(form))
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/meetings/"+r.PathValue("id")+"?done=distributed&email="+res.Email+"&sent="+strconv.Itoa(res.Sent)+"&failed="+strconv.Itoa(res.Failed))
}

func init() {
	funcs["inviteeRole"] = roleWords
	funcs["recommendation"] = lantern.RecommendationLabel
	funcs["meetingLevel"] = func(l string) toolkit.Level { return toolkit.Level(l) }
	funcs["meetingTime"] = func(start, end time.Time) string {
		s, e := start.In(lantern.London), end.In(lantern.London)
		if s.Format("20060102") == e.Format("20060102") {
			return s.Format("Monday 2 January 2006, 15:04") + " to " + e.Format("15:04")
		}
		return s.Format("Monday 2 January 2006, 15:04") + " to " + e.Format("Monday 2 January 2006, 15:04")
	}
	funcs["shareWhat"] = func(w string) string {
		if w == "toolkit" {
			return "Completed toolkit"
		}
		return "Minutes"
	}
}
