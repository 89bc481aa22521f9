package web

// The lists on a child's record (other names, addresses, schools,
// professionals, family, siblings): the JSON API and the pages' forms.

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"lantern"
	"lantern/store"
)

func (s *Server) childListRoutes() {
	s.handle("GET /api/v1/children/{id}/names", apiList(s, "names", s.st.OtherNames))
	s.handle("POST /api/v1/children/{id}/names", s.apiAddName)
	s.handle("DELETE /api/v1/children/{id}/names/{item_id}", s.apiRemove("item_id", s.st.RemoveOtherName))
	s.handle("GET /api/v1/children/{id}/addresses", apiList(s, "addresses", s.st.Addresses))
	s.handle("POST /api/v1/children/{id}/addresses", s.apiAddAddress)
	s.handle("DELETE /api/v1/children/{id}/addresses/{item_id}", s.apiRemove("item_id", s.st.RemoveAddress))
	s.handle("GET /api/v1/children/{id}/schools", apiList(s, "schools", s.st.Schools))
	s.handle("POST /api/v1/children/{id}/schools", s.apiAddSchool)
	s.handle("DELETE /api/v1/children/{id}/schools/{item_id}", s.apiRemove("item_id", s.st.RemoveSchool))
	s.handle("GET /api/v1/children/{id}/professionals", apiList(s, "professionals", s.st.Professionals))
	s.handle("POST /api/v1/children/{id}/professionals", s.apiAddProfessional)
	s.handle("DELETE /api/v1/children/{id}/professionals/{item_id}", s.apiRemove("item_id", s.st.RemoveProfessional))
	s.handle("GET /api/v1/children/{id}/family", apiList(s, "family", s.st.FamilyMembers))
	s.handle("POST /api/v1/children/{id}/family", s.apiAddFamily)
	s.handle("DELETE /api/v1/children/{id}/family/{item_id}", s.apiRemove("item_id", s.st.RemoveFamilyMember))
	s.handle("GET /api/v1/children/{id}/siblings", apiList(s, "siblings", s.st.Siblings))
	s.handle("POST /api/v1/children/{id}/siblings", s.apiLinkSibling)
	s.handle("DELETE /api/v1/children/{id}/siblings/{sibling_id}", s.apiRemove("sibling_id", s.st.UnlinkSibling))
}

// apiList answers with one list of a child's record, as {key: [...]}.
func apiList[T any](s *Server, key string, list func(context.Context, string) ([]T, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		items, err := list(r.Context(), r.PathValue("id"))
		if err != nil {
			s.error(w, r, err)
			return
		}
		if items == nil {
			items = []T{}
		}
		writeJSON(w, http.StatusOK, map[string]any{key: items})
	}
}

// apiRemove removes the item named by the path parameter param: 204.
func (s *Server) apiRemove(param string, remove func(ctx context.Context, childID, id string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := remove(r.Context(), r.PathValue("id"), r.PathValue(param)); err != nil {
			s.error(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// created answers 201 with the new item and where it is.
func created(w http.ResponseWriter, r *http.Request, list, id string, v any) {
	w.Header().Set("Location", "/api/v1/children/"+r.PathValue("id")+"/"+list+"/"+id)
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) apiAddName(w http.ResponseWriter, r *http.Request) {
	var req lantern.OtherNameInput
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	n, err := s.st.AddOtherName(r.Context(), r.PathValue("id"), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	created(w, r, "names", n.ID, n)
}

// PeriodRequest is the body of POST .../addresses and .../schools. Dates are
// read as text so that a bad one is named as the field at fault.
type PeriodRequest struct {
	Address  *string `json:"address,omitempty"`
	Postcode *string `json:"postcode,omitempty"`
	School   *string `json:"school,omitempty"`
	FromDate *string `json:"from_date"`
	ToDate   *string `json:"to_date"`
}

func (pr *PeriodRequest) dates(p *lantern.Problems) (from, to lantern.Date) {
	return parseDateField(p, "from_date", pr.FromDate, false), parseDateField(p, "to_date", pr.ToDate, false)
}

func str(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

func (s *Server) apiAddAddress(w http.ResponseWriter, r *http.Request) {
	var req PeriodRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	if req.School != nil {
		p.Add("school", "An address has no school: leave it out")
	}
	in := lantern.AddressInput{Address: str(req.Address), Postcode: str(req.Postcode)}
	in.From, in.To = req.dates(&p)
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.st.AddAddress(r.Context(), r.PathValue("id"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	created(w, r, "addresses", a.ID, a)
}

func (s *Server) apiAddSchool(w http.ResponseWriter, r *http.Request) {
	var req PeriodRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	if req.Address != nil || req.Postcode != nil {
		p.Add("address", "A school has no address here: leave out address and postcode")
	}
	in := lantern.SchoolInput{School: str(req.School)}
	in.From, in.To = req.dates(&p)
	if err := p.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	sc, err := s.st.AddSchool(r.Context(), r.PathValue("id"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	created(w, r, "schools", sc.ID, sc)
}

func (s *Server) apiAddProfessional(w http.ResponseWriter, r *http.Request) {
	var req lantern.ProfessionalInput
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	pr, err := s.st.AddProfessional(r.Context(), r.PathValue("id"), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	created(w, r, "professionals", pr.ID, pr)
}

func (s *Server) apiAddFamily(w http.ResponseWriter, r *http.Request) {
	var req lantern.FamilyMemberInput
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.st.AddFamilyMember(r.Context(), r.PathValue("id"), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	created(w, r, "family", m.ID, m)
}

// SiblingRequest is the body of POST /api/v1/children/{id}/siblings.
type SiblingRequest struct {
	SiblingID string `json:"sibling_id"`
}

func (s *Server) apiLinkSibling(w http.ResponseWriter, r *http.Request) {
	var req SiblingRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.st.LinkSibling(r.Context(), r.PathValue("id"), req.SiblingID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	created(w, r, "siblings", c.ID, c)
}

// Pages.

// listKind is one list's form: how to read it and add it.
type listKind struct {
	slug    string // in the address
	heading string
	anchor  string   // the summary card on the child's page
	fields  []string // in the form's order, for the error summary
	// add reads the form and adds the item. formErrs are the form's own
	// problems (a date that is not one); err is then the other fields'
	// problems, else the service's answer. childErrors keeps the form's
	// problem for a field over the service's.
	add    func(s *Server, ctx context.Context, childID string, form url.Values) (formErrs []lantern.FieldError, err error)
	remove func(st *store.Store) func(ctx context.Context, childID, id string) error
}

var listKinds = []*listKind{
	{slug: "names", heading: "Add another name", anchor: "other-names", fields: []string{"name", "kind"},
		add: func(s *Server, ctx context.Context, id string, f url.Values) ([]lantern.FieldError, error) {
			_, err := s.st.AddOtherName(ctx, id, lantern.OtherNameInput{Name: f.Get("name"), Kind: f.Get("kind")})
			return nil, err
		},
		remove: func(st *store.Store) func(context.Context, string, string) error { return st.RemoveOtherName }},
	{slug: "addresses", heading: "Add an address", anchor: "addresses", fields: []string{"address", "postcode", "from_date", "to_date"},
		add: func(s *Server, ctx context.Context, id string, f url.Values) ([]lantern.FieldError, error) {
			in := lantern.AddressInput{Address: f.Get("address"), Postcode: f.Get("postcode")}
			var probs lantern.Problems
			in.From, in.To = formPeriod(&probs, f)
			if len(probs) > 0 {
				return probs, in.Validate(lantern.Today(s.stNow()))
			}
			_, err := s.st.AddAddress(ctx, id, in)
			return nil, err
		},
		remove: func(st *store.Store) func(context.Context, string, string) error { return st.RemoveAddress }},
	{slug: "schools", heading: "Add a school", anchor: "schools", fields: []string{"school", "from_date", "to_date"},
		add: func(s *Server, ctx context.Context, id string, f url.Values) ([]lantern.FieldError, error) {
			in := lantern.SchoolInput{School: f.Get("school")}
			var probs lantern.Problems
			in.From, in.To = formPeriod(&probs, f)
			if len(probs) > 0 {
				return probs, in.Validate(lantern.Today(s.stNow()))
			}
			_, err := s.st.AddSchool(ctx, id, in)
			return nil, err
		},
		remove: func(st *store.Store) func(context.Context, string, string) error { return st.RemoveSchool }},
	{slug: "professionals", heading: "Add a professional", anchor: "professionals",
		fields: []string{"agency_id", "name", "role", "email", "phone"},
		add: func(s *Server, ctx context.Context, id string, f url.Values) ([]lantern.FieldError, error) {
			_, err := s.st.AddProfessional(ctx, id, lantern.ProfessionalInput{AgencyID: f.Get("agency_id"), Name: f.Get("name"),
				Role: f.Get("role"), Email: f.Get("email"), Phone: f.Get("phone")})
			return nil, err
		},
		remove: func(st *store.Store) func(context.Context, string, string) error { return st.RemoveProfessional }},
	{slug: "family", heading: "Add a parent or carer", anchor: "family",
		fields: []string{"name", "relationship", "parental_responsibility", "lives_with", "notes"},
		add: func(s *Server, ctx context.Context, id string, f url.Values) ([]lantern.FieldError, error) {
			var probs lantern.Problems
			pr := yesNo(&probs, f, "parental_responsibility", "Select yes if the person has parental responsibility for the child")
			lives := yesNo(&probs, f, "lives_with", "Select yes if the child lives with the person")
			in := lantern.FamilyMemberInput{Name: f.Get("name"), Relationship: f.Get("relationship"), ParentalResponsibility: pr,
				LivesWith: lives, Notes: f.Get("notes")}
			if len(probs) > 0 {
				return probs, in.Validate()
			}
			_, err := s.st.AddFamilyMember(ctx, id, in)
			return nil, err
		},
		remove: func(st *store.Store) func(context.Context, string, string) error { return st.RemoveFamilyMember }},
}

func (s *Server) childListPageRoutes() {
	for _, k := range listKinds {
		s.handle("GET /children/{id}/"+k.slug+"/new", s.listFormPage(k))
		s.handle("POST /children/{id}/"+k.slug+"/new", s.listAddPage(k))
		s.handle("POST /children/{id}/"+k.slug+"/{item_id}/remove", s.listRemovePage(k.remove(s.st), "item_id", k.anchor))
	}
	s.handle("GET /children/{id}/siblings/new", s.siblingSearchPage)
	s.handle("POST /children/{id}/siblings/new", s.siblingLinkPage)
	s.handle("POST /children/{id}/siblings/{sibling_id}/remove", s.listRemovePage(s.st.UnlinkSibling, "sibling_id", "siblings"))
}

// option is a radio button or select option.
type option struct{ Value, Label string }

func options(values []string, label func(string) string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{v, label(v)}
	}
	return out
}

// childListFormView is the form adding to one of a child's lists (names,
// addresses, schools, professionals, family), with the choices the
// partials child-list-form-* offer.
type childListFormView struct {
	Child         *lantern.Child
	Kind, Heading string // the list's slug and the form's heading
	NameKinds     []option
	Relationships []option
	YesNo         []option
	Agencies      []*lantern.Agency // for professionals only
}

func (s *Server) listForm(r *http.Request, k *listKind, c *lantern.Child) (*page, error) {
	p := s.newPage(r, k.heading)
	p.Nav = "children"
	v := childListFormView{Child: c, Kind: k.slug, Heading: k.heading,
		NameKinds: options(lantern.NameKinds, lantern.NameKindLabel), Relationships: options(lantern.Relationships, lantern.RelationshipLabel),
		YesNo: []option{{"yes", "Yes"}, {"no", "No"}}}
	if k.slug == "professionals" {
		as, err := s.st.Agencies(r.Context())
		if err != nil {
			return nil, err
		}
		v.Agencies = as
	}
	p.Data = v
	return p, nil
}

func (s *Server) listFormPage(k *listKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.recordableChild(w, r)
		if !ok {
			return
		}
		p, err := s.listForm(r, k, c)
		if err != nil {
			s.error(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "child_list_form", p)
	}
}

func (s *Server) listAddPage(k *listKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.recordableChild(w, r)
		if !ok {
			return
		}
		form, err := parseForm(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		formErrs, err := k.add(s, r.Context(), c.ID, form)
		if len(formErrs) == 0 && lantern.ErrorCode(err) != lantern.EINVALID {
			if err != nil {
				s.error(w, r, err)
				return
			}
			redirect(w, r, "/children/"+c.ID+"?done=saved#"+k.anchor)
			return
		}
		p, perr := s.listForm(r, k, c)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		p.Form = formMap(form)
		p.Errors = childErrors(formErrs, err)
		slices.SortStableFunc(p.Errors, func(a, b lantern.FieldError) int {
			return cmp.Compare(fieldIndex(k.fields, a.Field), fieldIndex(k.fields, b.Field))
		})
		s.render(w, r, http.StatusUnprocessableEntity, "child_list_form", p)
	}
}

// fieldIndex is where a field is in a form, unknown fields last.
func fieldIndex(fields []string, f string) int {
	if i := slices.Index(fields, f); i >= 0 {
		return i
	}
	return len(fields)
}

func (s *Server) listRemovePage(remove func(ctx context.Context, childID, id string) error, param, anchor string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if err := remove(r.Context(), id, r.PathValue(param)); err != nil {
			s.error(w, r, err)
			return
		}
		redirect(w, r, "/children/"+id+"?done=saved#"+anchor)
	}
}

// formDate reads a GOV.UK date input of three fields, prefix-day, -month
// and -year. All empty is no date.
func formDate(p *lantern.Problems, f url.Values, prefix, field, label string) lantern.Date {
	d, m, y := strings.TrimSpace(f.Get(prefix+"-day")), strings.TrimSpace(f.Get(prefix+"-month")), strings.TrimSpace(f.Get(prefix+"-year"))
	if d == "" && m == "" && y == "" {
		return lantern.Date{}
	}
	dn, err1 := strconv.Atoi(d)
	mn, err2 := strconv.Atoi(m)
	yn, err3 := strconv.Atoi(y)
	if errors.Join(err1, err2, err3) == nil && len(y) == 4 {
		if date, err := lantern.ParseDate(padDate(yn, mn, dn)); err == nil {
			return date
		}
	}
	p.Add(field, "The "+label+" must be a real date, like 27 3 2019")
	return lantern.Date{}
}

func formPeriod(p *lantern.Problems, f url.Values) (from, to lantern.Date) {
	return formDate(p, f, "from", "from_date", "start date"), formDate(p, f, "to", "to_date", "end date")
}

func yesNo(p *lantern.Problems, f url.Values, field, msg string) bool {
	switch f.Get(field) {
	case "yes":
		return true
	case "no":
		return false
	}
	p.Add(field, msg)
	return false
}

// siblingsView is the search for a child to link as a sibling, and what
// it found.
type siblingsView struct {
	Child    *lantern.Child
	Searched bool // a name was given
	Results  []siblingResult
	Total    int // how many match, of which Results is the first page
}

// siblingResult is a child found, and whether it may be linked.
type siblingResult struct {
	Child  *lantern.Child
	Linked bool // already a sibling
	Self   bool // the child whose siblings these are
}

// siblingsPage shows the search for a child to link as a sibling.
func (s *Server) siblingsPage(w http.ResponseWriter, r *http.Request, c *lantern.Child, q string, status int, errs []lantern.FieldError) {
	ctx := r.Context()
	sibs, err := s.st.Siblings(ctx, c.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	linked := map[string]bool{c.ID: true}
	for _, sib := range sibs {
		linked[sib.ID] = true
	}
	var results []siblingResult
	total := 0
	if strings.TrimSpace(q) != "" {
		var cs []*lantern.ChildRow
		if cs, total, err = s.st.FindChildren(ctx, lantern.ChildFilter{Name: q, Limit: 25}); err != nil {
			s.error(w, r, err)
			return
		}
		for _, found := range cs {
			results = append(results, siblingResult{Child: found.Child, Linked: linked[found.ID], Self: found.ID == c.ID})
		}
	}
	p := s.newPage(r, "Link a sibling")
	p.Nav = "children"
	p.Form = map[string]string{"q": q}
	// The search box is the field to put right.
	for _, fe := range errs {
		if fe.Field == "sibling_id" {
			fe.Field = "q"
		}
		p.Errors = append(p.Errors, fe)
	}
	p.Data = siblingsView{Child: c, Searched: strings.TrimSpace(q) != "", Results: results, Total: total}
	s.render(w, r, status, "child_list_siblings", p)
}

func (s *Server) siblingSearchPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.recordableChild(w, r)
	if !ok {
		return
	}
	s.siblingsPage(w, r, c, r.URL.Query().Get("q"), http.StatusOK, nil)
}

func (s *Server) siblingLinkPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.recordableChild(w, r)
	if !ok {
		return
	}
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	_, err = s.st.LinkSibling(r.Context(), c.ID, form.Get("sibling_id"))
	if code := lantern.ErrorCode(err); code == lantern.EINVALID || (code == lantern.ECONFLICT && len(lantern.ErrorFields(err)) > 0) {
		s.siblingsPage(w, r, c, form.Get("q"), statusOf(err), lantern.ErrorFields(err))
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/"+c.ID+"?done=saved#siblings")
}
