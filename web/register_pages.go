package web

import (
	"net/http"
	"strconv"
	"strings"

	"lantern"
	"lantern/store"
)

// The register of policies and procedures' pages (docs/strategy.md): the
// list with its filters and CSV, a document with its chain both ways, and
// the form writing one.

func (s *Server) registerPageRoutes() {
	s.handle("GET /policies", s.policiesPage)
	s.handle("GET /policies.csv", s.policiesCSV)
	s.handle("GET /policies/new", s.policyFormPage)
	s.handle("POST /policies", s.savePolicyPage)
	s.handle("GET /policies/{docid}", s.policyPage)
	s.handle("GET /policies/{docid}/edit", s.policyFormPage)
	s.handle("POST /policies/{docid}", s.savePolicyPage)
}

// policiesView is the register as listed.
type policiesView struct {
	Documents []*lantern.PolicyDocument
	Today     lantern.Date
	CanChange bool
	Statuses  []option
	Sorts     []option
	// Query is the filter, for the CSV's link.
	Query   string
	Overdue int
}

func (s *Server) policiesPage(w http.ResponseWriter, r *http.Request) {
	f := registerFilter(r)
	q := r.URL.Query()
	p := s.newPage(r, "Policies and procedures")
	p.Nav = "strategy"
	p.Form = map[string]string{"status": q.Get("status"), "sort": q.Get("sort"), "overdue": q.Get("overdue")}
	v := policiesView{Today: lantern.Today(s.stNow()), CanChange: lantern.Allowed(p.User, lantern.ResPolicyRegister, lantern.ActChange, lantern.RelArea),
		Statuses: []option{{"", "Any status"}}, Sorts: []option{{"title", "Title"}, {"review_due", "Review due, soonest first"},
			{"issued_on", "Date, newest first"}, {"status", "Status"}}}
	for _, st := range append(append([]lantern.DocStatus{}, lantern.DocStatuses...), lantern.DocSuperseded) {
		v.Statuses = append(v.Statuses, option{string(st), st.Label()})
	}
	docs, err := s.st.PolicyDocuments(r.Context(), f)
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		p.Errors = lantern.ErrorFields(err)
		p.Data = v
		s.render(w, r, http.StatusUnprocessableEntity, "policies", p)
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	v.Documents = docs
	for _, d := range docs {
		if d.ReviewOverdue(v.Today) {
			v.Overdue++
		}
	}
	v.Query = r.URL.RawQuery
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = "The document has been saved"
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "policies", p)
}

// policiesCSV is the register, as filtered, as CSV.
func (s *Server) policiesCSV(w http.ResponseWriter, r *http.Request) {
	docs, err := s.st.PolicyDocuments(r.Context(), registerFilter(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	today := lantern.Today(s.stNow())
	titles := map[string]string{}
	for _, d := range docs {
		titles[d.ID] = d.Title
	}
	var rows [][]string
	for _, d := range docs {
		review, overdue := "", "no"
		if d.ReviewDue != nil {
			review = d.ReviewDue.String()
		}
		if d.ReviewOverdue(today) {
			overdue = "yes"
		}
		rows = append(rows, []string{d.ID, d.Title, d.Scope.Label(), d.Source, d.IssuedOn.String(), d.DocumentVersion, d.Owner, review, overdue,
			d.Shown.Label(), strings.Join(d.Replaces, " "), strings.Join(d.ReplacedBy, " "), d.Overview})
	}
	writeCSV(w, "policies-"+today.String()+".csv", []string{"id", "title", "scope", "source", "date", "version", "owner", "review_due",
		"review_overdue", "status", "replaces", "replaced_by", "overview"}, rows)
}

// policyView is a document and its chain.
type policyView struct {
	Document  *lantern.PolicyDocument
	Today     lantern.Date
	CanChange bool
}

func (s *Server) policyPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.st.PolicyDocument(r.Context(), r.PathValue("docid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, d.Title)
	p.Nav = "strategy"
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = "The document has been saved"
	}
	p.Data = policyView{Document: d, Today: lantern.Today(s.stNow()), CanChange: lantern.Allowed(p.User, lantern.ResPolicyRegister, lantern.ActChange, lantern.RelArea)}
	s.render(w, r, http.StatusOK, "policy", p)
}

// policyFormView is the form writing a document.
type policyFormView struct {
	ID        string
	Documents []*lantern.PolicyDocument // what it may replace
	Chosen    map[string]bool
	Scopes    []option
	Statuses  []option
}

func (s *Server) policyFormPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("docid")
	form := map[string]string{"status": string(lantern.DocCurrent), "scope": string(lantern.ScopeMultiAgency)}
	var chosen []string
	if id != "" {
		d, err := s.st.PolicyDocument(r.Context(), id)
		if err != nil {
			s.error(w, r, err)
			return
		}
		form = map[string]string{"title": d.Title, "scope": string(d.Scope), "source": d.Source, "issued_on": d.IssuedOn.String(),
			"document_version": d.DocumentVersion, "overview": d.Overview, "owner": d.Owner, "status": string(d.Status), "version": strconv.Itoa(d.Version)}
		if d.ReviewDue != nil {
			form["review_due"] = d.ReviewDue.String()
		}
		chosen = d.Replaces
	}
	s.renderPolicyForm(w, r, http.StatusOK, id, form, chosen, nil)
}

func (s *Server) renderPolicyForm(w http.ResponseWriter, r *http.Request, status int, id string, form map[string]string, chosen []string, errs []lantern.FieldError) {
	docs, err := s.st.PolicyDocuments(r.Context(), store.RegisterFilter{})
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := policyFormView{ID: id, Chosen: map[string]bool{}}
	for _, d := range docs {
		if d.ID != id {
			v.Documents = append(v.Documents, d)
		}
	}
	for _, c := range chosen {
		v.Chosen[c] = true
	}
	for _, sc := range lantern.DocScopes {
		v.Scopes = append(v.Scopes, option{string(sc), sc.Label()})
	}
	for _, st := range lantern.DocStatuses {
		v.Statuses = append(v.Statuses, option{string(st), st.Label()})
	}
	title := "Add a document to the register"
	if id != "" {
		title = "Change a document in the register"
	}
	s.renderForm(w, r, status, "policy_form", title, "strategy", form, errs, v)
}

// PolicyForm reads the document form, naming a date that does not read.
func PolicyForm(form map[string][]string) (lantern.PolicyDocumentInput, lantern.Problems) {
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	in := lantern.PolicyDocumentInput{Title: get("title"), Scope: lantern.DocScope(get("scope")), Source: get("source"),
		DocumentVersion: get("document_version"), Overview: get("overview"), Owner: get("owner"), Status: lantern.DocStatus(get("status")),
		Replaces: form["replaces"]}
	var p lantern.Problems
	if v := strings.TrimSpace(get("issued_on")); v != "" {
		d, err := lantern.ParseDate(v)
		if err != nil {
			p.Add("issued_on", "Enter the document's date as YYYY-MM-DD")
		}
		in.IssuedOn = d
	}
	if v := strings.TrimSpace(get("review_due")); v != "" {
		d, err := lantern.ParseDate(v)
		if err != nil {
			p.Add("review_due", "Enter the review date as YYYY-MM-DD")
		} else {
			in.ReviewDue = &d
		}
	}
	return in, p
}

func (s *Server) savePolicyPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("docid")
	in, p := PolicyForm(form)
	if id != "" {
		if in.Version, err = strconv.Atoi(form.Get("version")); err != nil {
			p.Add("title", "The form is out of date: open the document again")
		}
	}
	var d *lantern.PolicyDocument
	if len(p) == 0 {
		d, err = s.st.SavePolicyDocument(r.Context(), id, in)
	} else {
		err = p.Err()
	}
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		s.renderPolicyForm(w, r, http.StatusUnprocessableEntity, id, formMap(form), form["replaces"], lantern.ErrorFields(err))
	case lantern.ErrorCode(err) == lantern.ECONFLICT:
		s.renderPolicyForm(w, r, http.StatusConflict, id, formMap(form), form["replaces"],
			[]lantern.FieldError{{Field: "title", Message: "Someone else changed this document while you were writing: open it again"}})
	case err != nil:
		s.error(w, r, err)
	default:
		redirect(w, r, "/policies/"+d.ID+"?done=saved")
	}
}
