package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lantern"
	"lantern/store"
)

// Information sharing's pages (docs/information-governance.md): recording
// a share or a decision not to, sealing a record, breaking the glass, the
// review of each break-glass, agreements, and what was shared with one's
// agency.

func (s *Server) sharingPageRoutes() {
	s.handle("GET /children/{id}/shares/new", s.shareFormPage)
	s.handle("POST /children/{id}/shares", s.recordSharePage)
	s.handle("GET /children/{id}/seal", s.sealPage)
	s.handle("POST /children/{id}/seal", s.sealChildPage)
	s.handle("POST /children/{id}/seal/allow-list", s.allowListPage)
	s.handle("POST /children/{id}/unseal", s.unsealPage)
	s.handle("GET /children/{id}/break-glass", s.breakGlassFormPage)
	s.handle("POST /children/{id}/break-glass", s.breakGlassPage)
	s.handle("GET /break-glass", s.breakGlassReviewsPage)
	s.handle("POST /break-glass/{bgid}/review", s.reviewBreakGlassPage)
	s.handle("GET /agreements", s.agreementsPage)
	s.handle("GET /agreements/new", s.agreementFormPage)
	s.handle("POST /agreements", s.saveAgreementPage)
	s.handle("GET /agreements/{agid}/edit", s.agreementFormPage)
	s.handle("POST /agreements/{agid}", s.saveAgreementPage)
	s.handle("GET /shares/received", s.sharesReceivedPage)
	s.handle("GET /reports/not-shared", s.notSharedPage)
}

// notSharedView is the partnership's count of decisions not to share.
type notSharedView struct {
	From, To lantern.Date
	Counts   []store.NotSharedCount
}

func (s *Server) notSharedPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Decisions not to share")
	p.Nav = "reports"
	p.Form = map[string]string{"from": r.URL.Query().Get("from"), "to": r.URL.Query().Get("to")}
	from, to, err := dateRange(r, lantern.Today(s.stNow()))
	if err != nil {
		p.Errors = lantern.ErrorFields(err)
		p.Data = notSharedView{From: from, To: to}
		s.render(w, r, http.StatusUnprocessableEntity, "not_shared", p)
		return
	}
	counts, err := s.st.NotSharedByMonth(r.Context(), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Data = notSharedView{From: from, To: to, Counts: counts}
	s.render(w, r, http.StatusOK, "not_shared", p)
}

// shareFormView is the form recording a share or a decision not to.
type shareFormView struct {
	Child      *lantern.Child
	Agencies   []*lantern.Agency
	Agreements []*lantern.Agreement
	Bases      []option
	Conditions []option
	Consents   []option
}

// ShareForm reads the share form.
func ShareForm(form url.Values) lantern.ShareRequest {
	return lantern.ShareRequest{Outcome: lantern.ShareOutcome(form.Get("outcome")), To: form.Get("to"), ToAgencyID: form.Get("to_agency_id"),
		What: form.Get("what"), Purpose: form.Get("purpose"), Basis: lantern.LawfulBasis(form.Get("basis")),
		Condition: lantern.SpecialCondition(form.Get("condition")), Consent: lantern.Consent(form.Get("consent")), Reason: form.Get("reason"),
		AgreementID: form.Get("agreement_id"), AgreementNote: form.Get("agreement_note"), Emergency: form.Get("emergency") == "yes",
		Supersedes: form.Get("supersedes")}
}

func (s *Server) shareFormPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.st.FindChildByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := map[string]string{"supersedes": r.URL.Query().Get("supersedes")}
	s.renderShareForm(w, r, http.StatusOK, c, form, nil)
}

func (s *Server) renderShareForm(w http.ResponseWriter, r *http.Request, status int, c *lantern.Child, form map[string]string, errs []lantern.FieldError) {
	agencies, err := s.st.Agencies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	agreements, err := s.st.Agreements(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := shareFormView{Child: c, Agencies: agencies, Agreements: agreements}
	for _, b := range lantern.LawfulBases {
		v.Bases = append(v.Bases, option{string(b), b.Label()})
	}
	v.Conditions = append(v.Conditions, option{"", lantern.SpecialCondition("").Label()})
	for _, x := range lantern.SpecialConditions {
		v.Conditions = append(v.Conditions, option{string(x), x.Label()})
	}
	for _, x := range lantern.ShareConsents {
		v.Consents = append(v.Consents, option{string(x), map[lantern.Consent]string{lantern.ConsentGiven: "Given",
			lantern.ConsentRefused: "Refused", lantern.ConsentNotSought: "Not sought"}[x]})
	}
	s.renderForm(w, r, status, "share_form", "Record information shared about "+c.FullName(), "children", form, errs, v)
}

func (s *Server) recordSharePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	_, err = s.st.RecordShare(r.Context(), id, ShareForm(form))
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		c, ferr := s.st.FindChildByID(r.Context(), id)
		if ferr != nil {
			s.error(w, r, ferr)
			return
		}
		s.renderShareForm(w, r, http.StatusUnprocessableEntity, c, formMap(form), lantern.ErrorFields(err))
	case err != nil:
		s.error(w, r, err)
	default:
		redirect(w, r, "/children/"+id+"?done=shared#shares")
	}
}

// sealView is a record's seal, or the form sealing it.
type sealView struct {
	Child *lantern.Child
	Seal  *lantern.Seal
	// People are whom the allow-list may name.
	People []lantern.Person
	// CanChange says the viewer may seal, unseal and change the list.
	CanChange bool
}

func (s *Server) sealPage(w http.ResponseWriter, r *http.Request) {
	s.renderSeal(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderSeal(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	ctx := r.Context()
	c, err := s.st.FindChildByID(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	seal, err := s.st.SealOf(ctx, c.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := lantern.UserFromContext(ctx)
	v := sealView{Child: c, Seal: seal, CanChange: lantern.Allowed(u, lantern.ResSeal, lantern.ActChange, lantern.ChildRelation(u, c.AgencyIDs))}
	if v.CanChange {
		if v.People, err = s.st.CaseWorkers(ctx); err != nil {
			s.error(w, r, err)
			return
		}
	}
	title := "Seal " + c.FullName() + "'s record"
	if seal != nil {
		title = c.FullName() + "'s record is sealed"
	}
	s.renderForm(w, r, status, "seal", title, "children", form, errs, v)
}

func (s *Server) sealChildPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	req := lantern.SealRequest{Reason: form.Get("reason"), Allow: form["allow"]}
	var p lantern.Problems
	if v := strings.TrimSpace(form.Get("review_on")); v != "" {
		if req.ReviewOn, err = lantern.ParseDate(v); err != nil {
			p.Add("review_on", "Enter the review date as YYYY-MM-DD")
		}
	}
	if len(p) == 0 {
		_, err = s.st.SealChild(r.Context(), r.PathValue("id"), req)
	} else {
		err = p.Err()
	}
	s.afterForm(w, r, err, func(errs []lantern.FieldError) {
		s.renderSeal(w, r, http.StatusUnprocessableEntity, formMap(form), errs)
	}, "/children/"+r.PathValue("id")+"/seal?done=sealed")
}

func (s *Server) allowListPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var add, remove []string
	if v := form.Get("add"); v != "" {
		add = []string{v}
	}
	if v := form.Get("remove"); v != "" {
		remove = []string{v}
	}
	_, err = s.st.ChangeAllowList(r.Context(), r.PathValue("id"), add, remove)
	s.afterForm(w, r, err, func(errs []lantern.FieldError) {
		s.renderSeal(w, r, http.StatusUnprocessableEntity, formMap(form), errs)
	}, "/children/"+r.PathValue("id")+"/seal?done=changed")
}

func (s *Server) unsealPage(w http.ResponseWriter, r *http.Request) {
	if _, err := parseForm(r); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.st.UnsealChild(r.Context(), r.PathValue("id")); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/"+r.PathValue("id")+"?done=unsealed")
}

// breakGlassView is the form breaking the glass: it names no child, since
// the caller cannot see the record yet.
type breakGlassView struct {
	ChildID string
	Hours   int
}

func (s *Server) breakGlassFormPage(w http.ResponseWriter, r *http.Request) {
	s.renderBreakGlass(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderBreakGlass(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	s.renderForm(w, r, status, "break_glass", "Break the glass", "children", form, errs, breakGlassView{ChildID: r.PathValue("id"), Hours: int(lantern.BreakGlassFor.Hours())})
}

func (s *Server) breakGlassPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	_, err = s.st.BreakGlass(r.Context(), id, lantern.BreakGlassRequest{Reason: form.Get("reason")})
	s.afterForm(w, r, err, func(errs []lantern.FieldError) {
		s.renderBreakGlass(w, r, http.StatusUnprocessableEntity, formMap(form), errs)
	}, "/children/"+id)
}

// breakGlassReviewsView is the review list.
type breakGlassReviewsView struct {
	Accesses []*lantern.SealAccess
	All      bool
	Late     int
}

func (s *Server) breakGlassReviewsPage(w http.ResponseWriter, r *http.Request) {
	s.renderBreakGlassReviews(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderBreakGlassReviews(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	all := r.URL.Query().Get("status") == "all"
	l, err := s.st.BreakGlassReviews(r.Context(), store.BreakGlassFilter{All: all})
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := breakGlassReviewsView{Accesses: l, All: all}
	for _, a := range l {
		if a.Late {
			v.Late++
		}
	}
	p := s.newPage(r, "Break-glass access to review")
	p.Nav = "break-glass"
	p.Form, p.Errors = form, errs
	if r.URL.Query().Get("done") == "reviewed" {
		p.Notice = "The review has been recorded"
	}
	p.Data = v
	s.render(w, r, status, "break_glass_reviews", p)
}

func (s *Server) reviewBreakGlassPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("bgid")
	_, err = s.st.ReviewBreakGlass(r.Context(), id, lantern.ReviewRequest{Note: form.Get("note")})
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		f := formMap(form)
		f["review"] = id
		errs := lantern.ErrorFields(err)
		for i := range errs {
			errs[i].Field = "note-" + id
		}
		f["note-"+id] = form.Get("note")
		s.renderBreakGlassReviews(w, r, http.StatusUnprocessableEntity, f, errs)
	case err != nil:
		s.error(w, r, err)
	default:
		redirect(w, r, "/break-glass?done=reviewed")
	}
}

// agreementsView lists the agreements, with the agencies' names.
type agreementsView struct {
	Agreements []*lantern.Agreement
	Names      map[string]string
	CanChange  bool
	Today      lantern.Date
}

func (s *Server) agreementsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l, err := s.st.Agreements(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	names, err := s.agencyNames(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Information-sharing agreements")
	p.Nav = "agreements"
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = "The agreement has been saved"
	}
	p.Data = agreementsView{Agreements: l, Names: names, Today: lantern.Today(s.stNow()),
		CanChange: lantern.Allowed(p.User, lantern.ResAgreement, lantern.ActChange, lantern.RelArea)}
	s.render(w, r, http.StatusOK, "agreements", p)
}

// agreementFormView is the form writing an agreement, or its new version.
type agreementFormView struct {
	ID       string
	Agencies []*lantern.Agency
	Bases    []option
	Chosen   map[string]bool
}

func agreementForm(a *lantern.Agreement) map[string]string {
	f := map[string]string{"title": a.Title, "purposes": a.Purposes, "data_classes": a.DataClasses, "basis": string(a.Basis),
		"condition": string(a.Condition), "retention": a.Retention, "signatories": a.Signatories, "starts_on": a.StartsOn.String(),
		"review_on": a.ReviewOn.String(), "version": strconv.Itoa(a.Version)}
	if a.EndsOn != nil {
		f["ends_on"] = a.EndsOn.String()
	}
	return f
}

func (s *Server) agreementFormPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("agid")
	form := map[string]string{}
	var chosen []string
	if id != "" {
		a, err := s.st.Agreement(r.Context(), id)
		if err != nil {
			s.error(w, r, err)
			return
		}
		form, chosen = agreementForm(a), a.AgencyIDs
	}
	s.renderAgreementForm(w, r, http.StatusOK, id, form, chosen, nil)
}

func (s *Server) renderAgreementForm(w http.ResponseWriter, r *http.Request, status int, id string, form map[string]string, chosen []string, errs []lantern.FieldError) {
	agencies, err := s.st.Agencies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := agreementFormView{ID: id, Agencies: agencies, Chosen: map[string]bool{}}
	for _, b := range lantern.LawfulBases {
		v.Bases = append(v.Bases, option{string(b), b.Label()})
	}
	for _, c := range chosen {
		v.Chosen[c] = true
	}
	title := "Record an information-sharing agreement"
	if id != "" {
		title = "Record a new version of an agreement"
	}
	s.renderForm(w, r, status, "agreement_form", title, "agreements", form, errs, v)
}

func (s *Server) saveAgreementPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	in := lantern.AgreementInput{Title: form.Get("title"), AgencyIDs: form["agency_ids"], Purposes: form.Get("purposes"),
		DataClasses: form.Get("data_classes"), Basis: lantern.LawfulBasis(form.Get("basis")), Condition: lantern.SpecialCondition(form.Get("condition")),
		Retention: form.Get("retention"), Signatories: form.Get("signatories")}
	var p lantern.Problems
	for _, d := range []struct {
		field string
		to    *lantern.Date
	}{{"starts_on", &in.StartsOn}, {"review_on", &in.ReviewOn}} {
		if v := strings.TrimSpace(form.Get(d.field)); v != "" {
			if *d.to, err = lantern.ParseDate(v); err != nil {
				p.Add(d.field, "Enter the date as YYYY-MM-DD")
			}
		}
	}
	if v := strings.TrimSpace(form.Get("ends_on")); v != "" {
		if e, err := lantern.ParseDate(v); err != nil {
			p.Add("ends_on", "Enter the date as YYYY-MM-DD")
		} else {
			in.EndsOn = &e
		}
	}
	id := r.PathValue("agid")
	if id != "" {
		if in.Version, err = strconv.Atoi(form.Get("version")); err != nil {
			p.Add("version", "The form is out of date: open the agreement again")
		}
	}
	if len(p) == 0 {
		_, err = s.st.SaveAgreement(r.Context(), id, in)
	} else {
		err = p.Err()
	}
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		s.renderAgreementForm(w, r, http.StatusUnprocessableEntity, id, formMap(form), form["agency_ids"], lantern.ErrorFields(err))
	case lantern.ErrorCode(err) == lantern.ECONFLICT:
		s.renderAgreementForm(w, r, http.StatusConflict, id, formMap(form), form["agency_ids"],
			[]lantern.FieldError{{Field: "title", Message: "Someone else changed this agreement while you were writing: open it again"}})
	case err != nil:
		s.error(w, r, err)
	default:
		redirect(w, r, "/agreements?done=saved")
	}
}

func (s *Server) sharesReceivedPage(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.SharedWithAgency(r.Context(), 200)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Information shared with your agency")
	p.Nav = "children"
	p.Data = l
	s.render(w, r, http.StatusOK, "shares_received", p)
}

// renderForm renders a form page of information sharing: its values, its
// problems and its view.
func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, form map[string]string,
	errs []lantern.FieldError, data any) {
	p := s.newPage(r, title)
	p.Nav = nav
	p.Form, p.Errors = form, errs
	p.Data = data
	s.render(w, r, status, name, p)
}

// afterForm answers a form sent: the form again with its problems when
// they are the input's, the error page for any other error, else on to.
func (s *Server) afterForm(w http.ResponseWriter, r *http.Request, err error, again func(errs []lantern.FieldError), to string) {
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		again(lantern.ErrorFields(err))
	case err != nil:
		s.error(w, r, err)
	default:
		redirect(w, r, to)
	}
}
