package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"lantern"
	"lantern/clocks"
	"lantern/store"
)

// A task's page says what to do, whose it is, when it is due, links to the
// place to do it, and takes a note of what was done
// (docs/pathway.md#decisions-make-work).

func (s *Server) taskRoutes() {
	s.handle("GET /tasks/{tid}", s.taskPage)
	s.handle("POST /tasks/{tid}/done", s.taskDonePage)
	s.handle("GET /api/v1/tasks/{tid}", s.apiTask)
	s.handle("POST /api/v1/tasks/{tid}/complete", s.apiCompleteTask)
}

// place is where a task's work is done: a link and its words.
type place struct {
	Href, Text string
}

// workPlace is the form (or record) where a kind of work is done for a child.
func workPlace(k lantern.WorkKind, childID string) place {
	c := "/children/" + childID
	switch k {
	case lantern.WorkS47:
		return place{c + "/s47-enquiries/new", "Record the section 47 enquiry"}
	case lantern.WorkICPC:
		return place{c + "/conferences/new", "Record the conference"}
	case lantern.WorkStrategyDiscussion:
		return place{c + "/strategy-discussions/new", "Record the strategy discussion"}
	case lantern.WorkToolkit, lantern.WorkReassessment:
		return place{c + "/assessments/new", "Complete the toolkit"}
	case lantern.WorkReferral:
		return place{c + "/referrals/new", "Record the referral"}
	case lantern.WorkNewConcern:
		return place{c + "/concerns/new", "Record the concern"}
	case lantern.WorkReviewMeeting, lantern.WorkStrategyMeeting:
		return place{"/meetings/new?kind=cse-strategy&child_id=" + url.QueryEscape(childID), "Arrange the meeting"}
	case lantern.WorkReturnInterview:
		return place{c + "#missing-episodes", "See the missing episodes"}
	}
	return place{} // done outside Lantern: the note records it
}

// taskPlace is where a task's work is done: the form recording the event
// that ends a clock, or the work's place.
func taskPlace(d *store.TaskDetail) place {
	t := d.Task
	c := "/children/" + t.ChildID
	switch t.Clock {
	case lantern.ClockWork:
		return workPlace(t.Kind, t.ChildID)
	case lantern.ClockReferralDecision, lantern.ClockReferralWrittenFollowup, lantern.ClockReferrerFeedback:
		return place{c + "/referrals/" + url.PathEscape(t.SourceID), "Open the referral"}
	case lantern.ClockAssessment, lantern.ClockCoreAssessment:
		return place{c + "/social-work-assessments/new", "Record the assessment"}
	case lantern.ClockICPC, lantern.ClockFirstReview, lantern.ClockNextReview:
		return place{c + "/conferences/new", "Record the conference"}
	case lantern.ClockCoreGroup:
		return place{c + "/core-groups/new", "Record the core group meeting"}
	case lantern.ClockReturnInterview:
		return place{c + "/missing-episodes/" + url.PathEscape(t.SourceID), "Open the missing episode"}
	case lantern.ClockToolkitReassessment:
		return place{c + "/assessments/new", "Complete the toolkit"}
	case lantern.ClockMeetingAction:
		if d.MeetingID != "" {
			return place{"/meetings/" + d.MeetingID, "Open the meeting"}
		}
	case lantern.ClockNextMeeting:
		q := "child_id=" + url.QueryEscape(t.ChildID)
		if d.MeetingKind != "" {
			q += "&kind=" + url.QueryEscape(d.MeetingKind)
		}
		return place{"/meetings/new?" + q, "Arrange the meeting"}
	}
	return place{}
}

// taskWords says what a task asks, in a sentence or two.
func taskWords(d *store.TaskDetail) string {
	t := d.Task
	switch {
	case t.Clock == lantern.ClockWork:
		return t.Kind.Description()
	case t.Clock == lantern.ClockMeetingAction && d.Action != "":
		return d.Action
	case t.Clock == lantern.ClockMeetingAction:
		return "An action agreed at a meeting."
	case t.Clock == lantern.ClockNextMeeting:
		return "Arrange the next meeting: this ends when a meeting of the same kind about the child is arranged."
	}
	if r, ok := clocks.Profiles[t.Profile].Rule(t.Clock); ok {
		return r.Who + ", within " + r.Text() + "."
	}
	return clocks.Label(t.Clock) + "."
}

// taskView is a task's page.
type taskView struct {
	T        *store.TaskDetail
	Label    string
	Words    string
	Place    place
	Now      time.Time
	Late     string // how late an open task is, "" if not
	DoneLate string
	ByNote   bool // completed by a note of what was done
	CanDo    bool // the caller may record what was done
	MaxNote  int
}

func (s *Server) taskPage(w http.ResponseWriter, r *http.Request) {
	s.renderTask(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderTask(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	d, err := s.st.FindTask(r.Context(), r.PathValue("tid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.stNow()
	u := lantern.UserFromContext(r.Context())
	v := taskView{T: d, Label: clocks.TaskLabel(d.Task), Words: taskWords(d), Place: taskPlace(d), Now: now, ByNote: d.CompletesByNote(),
		DoneLate: doneLateText(d.Task), MaxNote: lantern.MaxTaskNote}
	if d.Late(now) {
		v.Late = lateText(d.Task, now)
	}
	v.CanDo = v.ByNote && d.Status == lantern.TaskOpen && lantern.Allowed(u, lantern.ResTask, lantern.ActComplete, d.Relation(u))
	if form == nil {
		form = map[string]string{}
	}
	form["version"] = strconv.Itoa(d.Version)
	p := s.newPage(r, v.Label)
	p.Nav = "work"
	p.Form, p.Errors, p.Data = form, errs, v
	if r.Method == http.MethodGet && r.URL.Query().Get("done") == "1" && d.Status == lantern.TaskDone {
		p.Notice = "What was done has been recorded: the task is complete"
	}
	s.render(w, r, status, "task", p)
}

func (s *Server) taskDonePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("tid")
	if _, err := s.st.CompleteTask(r.Context(), id, formVersion(form), form.Get("note")); err != nil {
		switch lantern.ErrorCode(err) {
		case lantern.EINVALID:
			s.renderTask(w, r, http.StatusUnprocessableEntity, formMap(form), noteErrors(lantern.ErrorFields(err)))
		case lantern.ECONFLICT:
			s.renderTask(w, r, http.StatusConflict, formMap(form), []lantern.FieldError{{Field: "note",
				Message: "Someone else changed this task while you were looking: check it, then record what was done again"}})
		default:
			s.error(w, r, err)
		}
		return
	}
	redirect(w, r, "/tasks/"+id+"?done=1")
}

// noteErrors puts an error on a field the form has not (the task itself,
// its status) on the note, which the error summary can link to.
func noteErrors(errs []lantern.FieldError) []lantern.FieldError {
	for i := range errs {
		if errs[i].Field != "note" {
			errs[i].Field = "note"
		}
	}
	return errs
}

func (s *Server) apiTask(w http.ResponseWriter, r *http.Request) {
	d, err := s.st.FindTask(r.Context(), r.PathValue("tid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// CompleteTaskRequest records what was done on a work task.
type CompleteTaskRequest struct {
	Note    string `json:"note"`
	Version *int   `json:"version"`
}

func (s *Server) apiCompleteTask(w http.ResponseWriter, r *http.Request) {
	var req CompleteTaskRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if req.Version == nil {
		s.error(w, r, lantern.Invalid(lantern.FieldError{Field: "version", Message: "Give the version of the task you are completing"}))
		return
	}
	t, err := s.st.CompleteTask(r.Context(), r.PathValue("tid"), *req.Version, req.Note)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func init() {
	funcs["taskLabel"] = clocks.TaskLabel
}
