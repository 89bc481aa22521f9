package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"lantern"
)

func (s *Server) concernPageRoutes() {
	s.handle("GET /children/{id}/concerns/new", s.newConcernPage)
	s.handle("POST /children/{id}/concerns", s.createConcernPage)
	s.handle("GET /children/{id}/concerns/{cid}", s.concernPage)
	s.handle("POST /children/{id}/concerns/{cid}/steps", s.moveConcernPage)
}

// concernFormView is the form recording a concern about a child.
type concernFormView struct {
	Child *lantern.Child
}

func (s *Server) newConcernPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.recordableChild(w, r) // the form only for those who may record it
	if !ok {
		return
	}
	p := s.newPage(r, "Record a concern")
	p.Nav = "children"
	p.Data = concernFormView{Child: c}
	s.render(w, r, http.StatusOK, "concern_form", p)
}

// ConcernForm reads a concern from the form. The time is optional: blank
// means now. The young person's words are kept exactly as typed.
func ConcernForm(form url.Values, now time.Time) (lantern.ConcernInput, []lantern.FieldError) {
	var p lantern.Problems
	in := lantern.ConcernInput{Summary: form.Get("summary"), Disclosure: form.Get("disclosure") == "yes",
		DisclosureWords: form.Get("disclosure_words"), ImmediateRisk: form.Get("immediate_risk") == "yes",
		ImmediateAction: form.Get("immediate_action"), RaisedAt: now, Refer: form.Get("refer") == "yes"}
	switch form.Get("immediate_risk") {
	case "yes", "no":
	default:
		p.Add("immediate_risk", "Say whether there is immediate risk to the young person or others")
	}
	switch form.Get("disclosure") {
	case "yes", "no":
	default:
		p.Add("disclosure", "Say whether the young person disclosed exploitation")
	}
	// Blank is now; a time that did not happen (the clocks went forward)
	// is refused, not moved.
	if t := formTime(&p, form, "when", "the concern was raised", false); t != nil {
		in.RaisedAt = *t
	}
	return in, p
}

func (s *Server) createConcernPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	in, formErrs := ConcernForm(form, s.stNow())
	var c *lantern.Concern
	if len(formErrs) == 0 {
		c, err = s.st.CreateConcern(r.Context(), id, in)
	} else {
		err = in.Validate(s.stNow())
	}
	if len(formErrs) > 0 || lantern.ErrorCode(err) == lantern.EINVALID {
		child, ferr := s.st.FindChildByID(r.Context(), id)
		if ferr != nil {
			s.error(w, r, ferr)
			return
		}
		p := s.newPage(r, "Record a concern")
		p.Nav = "children"
		p.Form = formMap(form)
		p.Errors = childErrors(formErrs, err)
		for i := range p.Errors {
			if p.Errors[i].Field == "raised_at" { // the form asks for it as "when"
				p.Errors[i].Field = "when"
			}
		}
		p.Data = concernFormView{Child: child}
		s.render(w, r, http.StatusUnprocessableEntity, "concern_form", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/"+id+"/concerns/"+c.ID+"?done=recorded")
}

func (s *Server) concernPage(w http.ResponseWriter, r *http.Request) {
	s.renderConcern(w, r, http.StatusOK, nil)
}

// concernView is a concern about a child, and the steps it may move on to.
type concernView struct {
	Child   *lantern.Child
	Concern *lantern.Concern
	Next    []lantern.ConcernStep
	CanEdit bool // the viewer may move it on
}

func (s *Server) renderConcern(w http.ResponseWriter, r *http.Request, st int, errs []lantern.FieldError) {
	ctx := r.Context()
	child, err := s.st.FindChildByID(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	k, err := s.st.FindConcern(ctx, child.ID, r.PathValue("cid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Concern about "+child.FullName())
	p.Nav = "children"
	p.Errors = errs
	switch r.URL.Query().Get("done") {
	case "recorded":
		p.Notice = "The concern has been recorded"
	case "moved":
		p.Notice = "The concern has moved on: " + k.Step.Label()
	}
	p.Data = concernView{Child: child, Concern: k, Next: lantern.NextConcernSteps(k.Step),
		CanEdit: lantern.Allowed(p.User, lantern.ResConcern, lantern.ActChange, lantern.ChildRelation(p.User, child.AgencyIDs))}
	s.render(w, r, st, "concern", p)
}

func (s *Server) moveConcernPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	version, _ := strconv.Atoi(form.Get("version"))
	_, err = s.st.MoveConcern(r.Context(), r.PathValue("id"), r.PathValue("cid"), version, lantern.ConcernStep(form.Get("step")), form.Get("note"))
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/children/"+r.PathValue("id")+"/concerns/"+r.PathValue("cid")+"?done=moved")
	case lantern.EINVALID, lantern.ECONFLICT:
		errs := lantern.ErrorFields(err)
		if len(errs) == 0 {
			errs = []lantern.FieldError{{Field: "step", Message: lantern.ErrorMessage(err)}}
		}
		s.renderConcern(w, r, statusOf(err), errs)
	default:
		s.error(w, r, err)
	}
}
