package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"lantern"
	"lantern/toolkit"
)

const childrenPerPage = 25

func (s *Server) newChildPage(w http.ResponseWriter, r *http.Request) {
	s.renderChildForm(w, r, http.StatusOK, s.newPage(r, "Add a child"), nil)
}

// ChildForm reads a child's details from a form, with the date of birth in
// three fields as the GOV.UK date input pattern has it.
func ChildForm(form url.Values) (lantern.ChildInput, []lantern.FieldError) {
	in := lantern.ChildInput{GivenName: form.Get("given_name"), FamilyName: form.Get("family_name"), Gender: form.Get("gender"),
		ChildDetails: lantern.ChildDetails{DOBEstimated: form.Get("dob_estimated") == "yes", Ethnicity: form.Get("ethnicity"),
			FirstLanguage: form.Get("first_language"), InterpreterNeeded: form.Get("interpreter_needed") == "yes",
			Disability: form.Get("disability"), LearningDisability: form.Get("learning_disability") == "yes",
			LookedAfter: form.Get("looked_after") == "yes", PlacingAuthority: form.Get("placing_authority"),
			Unaccompanied: form.Get("unaccompanied") == "yes",
			OpenCase:      form.Get("open_case") == "yes", AllocatedSocialWorkerID: form.Get("allocated_social_worker_id"),
			LeadProfessional: form.Get("lead_professional")}}
	d, m, y := form.Get("dob-day"), form.Get("dob-month"), form.Get("dob-year")
	if d == "" && m == "" && y == "" {
		return in, nil // Validate says it is missing
	}
	dn, err1 := strconv.Atoi(d)
	mn, err2 := strconv.Atoi(m)
	yn, err3 := strconv.Atoi(y)
	if err := errors.Join(err1, err2, err3); err != nil || len(y) != 4 {
		return in, []lantern.FieldError{{Field: "date_of_birth", Message: "Date of birth must be a real date, like 27 3 2012"}}
	}
	date, err := lantern.ParseDate(padDate(yn, mn, dn))
	if err != nil {
		return in, []lantern.FieldError{{Field: "date_of_birth", Message: "Date of birth must be a real date, like 27 3 2012"}}
	}
	in.DateOfBirth = date
	return in, nil
}

func padDate(y, m, d int) string {
	if y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99 {
		return "invalid"
	}
	return lantern.Date{Year: y, Month: 1, Day: 1}.String()[:5] + two(m) + "-" + two(d)
}

func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func childFormValues(c *lantern.Child) map[string]string {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return ""
	}
	d := c.ChildDetails
	return map[string]string{"given_name": c.GivenName, "family_name": c.FamilyName, "gender": c.Gender,
		"dob-day": strconv.Itoa(c.DateOfBirth.Day), "dob-month": strconv.Itoa(int(c.DateOfBirth.Month)),
		"dob-year": strconv.Itoa(c.DateOfBirth.Year), "version": strconv.Itoa(c.Version),
		"dob_estimated": yes(d.DOBEstimated), "ethnicity": d.Ethnicity, "first_language": d.FirstLanguage,
		"interpreter_needed": yes(d.InterpreterNeeded), "disability": d.Disability, "learning_disability": yes(d.LearningDisability),
		"looked_after": yes(d.LookedAfter), "placing_authority": d.PlacingAuthority, "open_case": yes(d.OpenCase),
		"unaccompanied": yes(d.Unaccompanied), "allocated_social_worker_id": d.AllocatedSocialWorkerID, "lead_professional": d.LeadProfessional}
}

// childFormView is the form adding a child, or changing a child's details,
// with the choices it offers.
type childFormView struct {
	Child         *lantern.Child // nil when adding
	SocialWorkers []lantern.Person
	Ethnicities   []struct{ ID, Group, Label string }
	// CanAllocate says the viewer may open the case and allocate its social
	// worker; others are not shown those fields, and the form carries
	// their values as they are (the store refuses a change, naming them).
	CanAllocate bool
}

// renderChildForm shows the add or change form with the choices it needs;
// c is the child changed, nil when adding one.
func (s *Server) renderChildForm(w http.ResponseWriter, r *http.Request, st int, p *page, c *lantern.Child) {
	sws, err := s.st.SocialWorkers(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Nav = "children"
	rel := lantern.RelInvolved // a new record's maker is involved with it
	if c != nil && c.AgencyIDs != nil {
		rel = lantern.ChildRelation(p.User, c.AgencyIDs)
	}
	p.Data = childFormView{Child: c, SocialWorkers: sws, Ethnicities: lantern.Ethnicities,
		CanAllocate: lantern.Allowed(p.User, lantern.ResAllocation, lantern.ActChange, rel)}
	s.render(w, r, st, "child_form", p)
}

// childErrors gathers the form's own errors and the service's, once each.
func childErrors(formErrs []lantern.FieldError, err error) []lantern.FieldError {
	out := formErrs
	for _, fe := range lantern.ErrorFields(err) {
		dup := false
		for _, have := range out {
			dup = dup || have.Field == fe.Field
		}
		if !dup {
			out = append(out, fe)
		}
	}
	return out
}

// otherChildProblems checks the fields of a child's form whose date of
// birth could not be read, so that every problem shows at once.
func (s *Server) otherChildProblems(in lantern.ChildInput) error {
	in.Normalise()
	today := lantern.Today(s.stNow())
	in.DateOfBirth = today // a date Validate takes; the form's own error stands
	return in.Validate(today)
}

func (s *Server) createChildPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, formErrs := ChildForm(form)
	var c *lantern.Child
	if len(formErrs) == 0 {
		in.Normalise()
		err = in.Validate(lantern.Today(s.stNow()))
		if err == nil && form.Get("confirmed") != "yes" && s.possibleMatches(w, r, in, formMap(form)) {
			return
		}
	}
	if len(formErrs) == 0 && err == nil {
		c, err = s.st.CreateChild(r.Context(), in)
	}
	if len(formErrs) > 0 || lantern.ErrorCode(err) == lantern.EINVALID {
		if len(formErrs) > 0 {
			err = s.otherChildProblems(in)
		}
		p := s.newPage(r, "Add a child")
		p.Form = formMap(form)
		p.Errors = childErrors(formErrs, err)
		s.renderChildForm(w, r, http.StatusUnprocessableEntity, p, nil)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/"+c.ID+"?done=created")
}

// childView is a child's record: details, toolkit levels, concerns,
// meetings, tasks, and the sections the partials child-missing,
// child-events and child-lists show from Missing, Events and Lists.
type childView struct {
	Child        *lantern.Child
	Age          int
	SocialWorker string // the allocated social worker's name
	// CanEdit says the viewer may change the record; CanMerge, merge it;
	// CanAllocate, allocate its social worker.
	CanEdit, CanMerge, CanAllocate bool
	// CanStatutory says the viewer may record children's social care's
	// statutory work (s47 enquiries, social work assessments).
	CanStatutory bool
	// CanIntel says the viewer may record intelligence about the child;
	// CanNetwork, see the network around them.
	CanIntel, CanNetwork bool
	Chart                *chart // nil without assessments
	Assessments          []*toolkit.Assessment
	Concerns             []*lantern.Concern
	Meetings             []*lantern.MeetingSummary
	Tasks                []*lantern.Task
	Now                  time.Time
	Missing              lantern.Patterns
	Episodes             []*lantern.MissingEpisode
	Events               *lantern.ChildEvents
	Lists                *lantern.ChildLists
	// Shares are what was shared about the child and what was not;
	// Seal, the record's seal when it is sealed. CanShare says the viewer
	// may record a share; CanSeal, seal the record or change its seal.
	Shares            []*lantern.InformationShare
	Seal              *lantern.Seal
	CanShare, CanSeal bool
}

func (s *Server) childPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rec, err := s.st.ChildRecord(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	sws, err := s.st.SocialWorkers(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if to := rec.Child.MergedInto; to != "" {
		// A merged record leads to the record kept, which holds its history
		// (the store finds it only for those who may see that one).
		redirect(w, r, "/children/"+to+"?done=followed")
		return
	}
	c, assessments, episodes := rec.Child, rec.Assessments, rec.Episodes
	p := s.newPage(r, c.FullName())
	p.Nav = "children"
	switch r.URL.Query().Get("done") {
	case "created":
		p.Notice = "The child's record has been created"
	case "saved":
		p.Notice = "Your changes have been saved"
	case "merged":
		p.Notice = "The records have been merged: both histories are on this record"
	case "followed":
		p.Notice = "The record you opened was merged into this one: its history is here"
	}
	now := s.stNow()
	today := lantern.Today(now)
	swName := ""
	for _, sw := range sws {
		if sw.ID == c.AllocatedSocialWorkerID {
			swName = sw.Name
		}
	}
	switch r.URL.Query().Get("done") {
	case "shared":
		p.Notice = "The record of what was shared has been saved"
	case "unsealed":
		p.Notice = "The seal has been lifted"
	}
	shares, err := s.st.ChildShares(ctx, c.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	seal, err := s.st.SealOf(ctx, c.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rel := lantern.ChildRelation(p.User, c.AgencyIDs)
	p.Data = childView{Shares: shares, Seal: seal, CanShare: lantern.Allowed(p.User, lantern.ResShare, lantern.ActCreate, rel),
		CanSeal: lantern.Allowed(p.User, lantern.ResSeal, lantern.ActChange, rel),
		Child:   c, Age: lantern.AgeOn(c.DateOfBirth, today), CanEdit: lantern.Allowed(p.User, lantern.ResChild, lantern.ActChange, rel),
		CanMerge: lantern.Allowed(p.User, lantern.ResChild, lantern.ActMerge, rel), CanAllocate: lantern.Allowed(p.User, lantern.ResChild, lantern.ActAllocate, rel),
		CanStatutory: lantern.Allowed(p.User, lantern.ResStatutory, lantern.ActCreate, rel),
		CanIntel:     lantern.Allowed(p.User, lantern.ResIntel, lantern.ActCreate, lantern.RelArea),
		CanNetwork:   lantern.Allowed(p.User, lantern.ResNetwork, lantern.ActRead, rel),
		Lists:        rec.Lists, Events: rec.Events,
		Concerns: rec.Concerns, Assessments: assessments, Tasks: rec.Tasks, Now: now, SocialWorker: swName,
		Chart: levelChart(assessments), Missing: lantern.EpisodePatterns(episodes, now), Episodes: episodes, Meetings: rec.Meetings}
	s.render(w, r, http.StatusOK, "child", p)
}

func (s *Server) editChildPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.recordableChild(w, r) // the form only for those who may record it
	if !ok {
		return
	}
	p := s.newPage(r, "Change "+c.FullName()+"'s details")
	p.Form = childFormValues(c)
	s.renderChildForm(w, r, http.StatusOK, p, c)
}

func (s *Server) updateChildPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	version, verr := strconv.Atoi(form.Get("version"))
	in, formErrs := ChildForm(form)
	if verr != nil {
		formErrs = append(formErrs, lantern.FieldError{Field: "version", Message: "The form is out of date: open the record and try again"})
	}
	var c *lantern.Child
	if len(formErrs) == 0 {
		c, err = s.st.UpdateChild(r.Context(), id, version, in)
	} else {
		err = s.otherChildProblems(in)
	}
	var le *lantern.Error
	switch {
	case len(formErrs) > 0 || lantern.ErrorCode(err) == lantern.EINVALID:
		p := s.newPage(r, "Change the child's details")
		p.Form = formMap(form)
		p.Errors = childErrors(formErrs, err)
		s.renderChildForm(w, r, http.StatusUnprocessableEntity, p, &lantern.Child{ID: id})
	case errors.As(err, &le) && le.Code == lantern.ECONFLICT:
		// Show the other person's change beside yours, and offer yours again
		// against the current version.
		cur := le.Current.(*lantern.Child)
		p := s.newPage(r, "Someone else changed this record")
		p.Nav = "children"
		p.Form = formMap(form)
		p.Form["version"] = strconv.Itoa(cur.Version)
		p.Data = childConflictView{Child: cur, Rows: conflictRows(cur, in), Mine: formMap(form)}
		s.render(w, r, http.StatusConflict, "child_conflict", p)
	case err != nil:
		s.error(w, r, err)
	default:
		redirect(w, r, "/children/"+c.ID+"?done=saved")
	}
}

// childConflictView is a change to a child's record that could not be
// saved because someone else saved first: their record beside the change,
// and the change's form values to offer again.
type childConflictView struct {
	Child *lantern.Child // as now saved
	Rows  []conflictRow
	Mine  map[string]string
}

// conflictRow is one field of a record shown beside the change that could
// not be saved.
type conflictRow struct {
	Label, Saved, Mine string
	Differs            bool
}

// conflictRows sets every field of the saved record beside the change, so
// that nothing the other person saved is overwritten unseen.
func conflictRows(cur *lantern.Child, in lantern.ChildInput) []conflictRow {
	yes := func(b bool) string {
		if b {
			return "Yes"
		}
		return "No"
	}
	d, n := cur.ChildDetails, in.ChildDetails
	rows := []conflictRow{
		{"Given name", cur.GivenName, in.GivenName, false},
		{"Family name", cur.FamilyName, in.FamilyName, false},
		{"Date of birth", cur.DateOfBirth.Format(), in.DateOfBirth.Format(), false},
		{"Date of birth estimated", yes(d.DOBEstimated), yes(n.DOBEstimated), false},
		{"Gender", lantern.GenderLabel(cur.Gender), lantern.GenderLabel(in.Gender), false},
		{"Ethnicity", lantern.EthnicityLabel(d.Ethnicity), lantern.EthnicityLabel(n.Ethnicity), false},
		{"First language", d.FirstLanguage, n.FirstLanguage, false},
		{"Needs an interpreter", yes(d.InterpreterNeeded), yes(n.InterpreterNeeded), false},
		{"Disability", d.Disability, n.Disability, false},
		{"Learning disability", yes(d.LearningDisability), yes(n.LearningDisability), false},
		{"Looked after", yes(d.LookedAfter), yes(n.LookedAfter), false},
		{"Placing authority", d.PlacingAuthority, n.PlacingAuthority, false},
		{"Unaccompanied asylum-seeking child", yes(d.Unaccompanied), yes(n.Unaccompanied), false},
		{"Open to children's social care", yes(d.OpenCase), yes(n.OpenCase), false},
		{"Allocated social worker", d.AllocatedSocialWorkerID, n.AllocatedSocialWorkerID, false},
		{"Lead professional", d.LeadProfessional, n.LeadProfessional, false},
	}
	for i := range rows {
		rows[i].Differs = rows[i].Saved != rows[i].Mine
	}
	return rows
}
