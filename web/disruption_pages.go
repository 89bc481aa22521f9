package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lantern"
	"lantern/store"
)

// The pages of disruption and prosecution (the list, its CSV and the form
// recording one) and of the partner intelligence form (choosing its items,
// and the form itself, to print).

func init() {
	funcs["disruptionKindLabel"] = func(k lantern.DisruptionKind) string { return k.Label() }
	funcs["courtOutcomeLabel"] = lantern.CourtOutcomeLabel
	funcs["disruptionRoleLabel"] = lantern.DisruptionRoleLabel
	funcs["entityTypeLabel"] = entityTypeLabel
	funcs["gradingText"] = func(g *lantern.Grading) string { return g.String() }
}

func (s *Server) disruptionPageRoutes() {
	s.handle("GET /intelligence/disruption", s.disruptionsPage)
	s.handle("GET /intelligence/disruption.csv", s.disruptionsCSV)
	s.handle("GET /intelligence/disruption/new", s.newDisruptionPage)
	s.handle("POST /intelligence/disruption/new", s.createDisruptionPage)
	s.handle("GET /children/{id}/police-form", s.policeFormPage)
	s.handle("POST /children/{id}/police-form", s.producePoliceFormPage)
}

func entityTypeLabel(t lantern.EntityType) string {
	return map[lantern.EntityType]string{"link": "Link", lantern.EntityPerson: "Person", lantern.EntityVehicle: "Vehicle",
		lantern.EntityPhone: "Phone", lantern.EntityPlace: "Place", lantern.EntityAccount: "Online account", lantern.EntityChild: "Child"}[t]
}

// disruptionsView is the list of disruptions, with its filters.
type disruptionsView struct {
	List      *store.DisruptionList
	Kinds     []eventOption
	Outcomes  []eventOption
	Query     string // the filters as a query, for the CSV link
	CanRecord bool
}

func disruptionKindOptions() []eventOption {
	var out []eventOption
	for _, k := range lantern.DisruptionKinds {
		out = append(out, eventOption{Value: string(k), Label: k.Label()})
	}
	return out
}

func outcomeOptions() []eventOption {
	var out []eventOption
	for _, o := range lantern.CourtOutcomes {
		out = append(out, eventOption{Value: o, Label: lantern.CourtOutcomeLabel(o)})
	}
	return out
}

func (s *Server) disruptionsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Disruption and prosecution")
	q := r.URL.Query()
	p.Form = formMap(q)
	if q.Get("done") == "recorded" {
		p.Notice = "The disruption is recorded"
	}
	v := disruptionsView{Kinds: disruptionKindOptions(), Outcomes: outcomeOptions(), List: &store.DisruptionList{Disruptions: []*lantern.Disruption{}},
		CanRecord: lantern.Allowed(p.User, lantern.ResDisruption, lantern.ActCreate, lantern.RelArea)}
	status := http.StatusOK
	f, err := lantern.ParseDisruptionFilter(q)
	if err == nil {
		v.List, err = s.st.Disruptions(r.Context(), f)
	}
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		p.Errors, status = lantern.ErrorFields(err), http.StatusUnprocessableEntity
	case err != nil:
		s.error(w, r, err)
		return
	}
	keep := url.Values{}
	for _, k := range []string{"kind", "outcome", "from", "to"} {
		if x := q.Get(k); x != "" {
			keep.Set(k, x)
		}
	}
	v.Query = keep.Encode()
	p.Data = v
	s.render(w, r, status, "disruptions", p)
}

// disruptionCSVHeader is the CSV's columns: the children by id and role,
// and the person and place by id and label.
var disruptionCSVHeader = []string{"id", "kind", "name", "outcome", "date", "expires", "person_id", "person", "place_id", "place",
	"children", "children_not_shown", "offence", "reference", "recorded_at"}

func (s *Server) disruptionsCSV(w http.ResponseWriter, r *http.Request) {
	f, err := lantern.ParseDisruptionFilter(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.st.Disruptions(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rows := make([][]string, len(l.Disruptions))
	for i, d := range l.Disruptions {
		var cs []string
		for _, c := range d.Children {
			cs = append(cs, c.ChildID+":"+c.Role)
		}
		exp := ""
		if d.Expires != nil {
			exp = d.Expires.String()
		}
		rows[i] = []string{d.ID, string(d.Kind), d.Name, d.Outcome, d.Date.String(), exp, d.PersonID, d.PersonLabel, d.PlaceID, d.PlaceLabel,
			strings.Join(cs, " "), strconv.Itoa(d.ChildrenNotShown), d.Offence, d.Reference, d.RecordedAt.Format("2006-01-02T15:04:05Z07:00")}
	}
	writeCSV(w, "disruption.csv", disruptionCSVHeader, rows)
}

// disruptionFormView is the form recording a disruption.
type disruptionFormView struct {
	Kinds    []eventOption
	Outcomes []eventOption
	Roles    []eventOption
	// Rows are the children's rows' indexes.
	Rows []int
}

// disruptionChildRows is how many children the form names at most.
const disruptionChildRows = 4

func (s *Server) renderDisruptionForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []lantern.FieldError) {
	p := s.newPage(r, "Record disruption or prosecution")
	p.Form = formMap(form)
	p.Errors = errs
	var roles []eventOption
	for _, x := range lantern.DisruptionRoles {
		roles = append(roles, eventOption{Value: x, Label: lantern.DisruptionRoleLabel(x)})
	}
	rows := make([]int, disruptionChildRows)
	for i := range rows {
		rows[i] = i
	}
	p.Data = disruptionFormView{Kinds: disruptionKindOptions(), Outcomes: outcomeOptions(), Roles: roles, Rows: rows}
	s.render(w, r, status, "disruption_form", p)
}

func (s *Server) newDisruptionPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	form := url.Values{}
	if v := q.Get("person"); v != "" {
		form.Set("person_id", v)
	}
	if v := q.Get("child"); v != "" {
		form.Set(childField(0), v)
	}
	s.renderDisruptionForm(w, r, http.StatusOK, form, nil)
}

// DisruptionForm reads a disruption from the form: dates as GOV.UK's three
// fields, and up to four children, each an id and a role.
func DisruptionForm(form url.Values) (*lantern.Disruption, lantern.Problems) {
	var p lantern.Problems
	d := &lantern.Disruption{Kind: lantern.DisruptionKind(strings.TrimSpace(form.Get("kind"))), Name: form.Get("name"), Outcome: form.Get("outcome"),
		PersonID: form.Get("person_id"), PlaceID: form.Get("place_id"), Offence: form.Get("offence"), Notes: form.Get("notes"),
		Reference: form.Get("reference")}
	d.Date = formDate(&p, form, "date", "date", "date")
	if exp := formDate(&p, form, "expires", "expires", "end date"); !exp.IsZero() {
		d.Expires = &exp
	}
	if d.Kind != lantern.DisruptCourtOutcome {
		d.Outcome = "" // a radio left ticked when the kind was changed
	}
	for i := range disruptionChildRows {
		id := strings.TrimSpace(form.Get(childField(i)))
		if id == "" {
			continue
		}
		d.Children = append(d.Children, lantern.DisruptionChild{ChildID: id, Role: form.Get(roleField(i))})
	}
	return d, p
}

func (s *Server) createDisruptionPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, p := DisruptionForm(form)
	err = s.checkDisruption(d, p)
	if err == nil {
		_, err = s.st.CreateDisruption(r.Context(), d)
	}
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/intelligence/disruption?done=recorded")
	case lantern.EINVALID:
		s.renderDisruptionForm(w, r, http.StatusUnprocessableEntity, form, renumberChildErrors(form, lantern.ErrorFields(err)))
	case lantern.ENOTFOUND:
		// A child the caller may not see is not found: said on the form,
		// as for any child id that is not one.
		s.renderDisruptionForm(w, r, http.StatusUnprocessableEntity, form, []lantern.FieldError{{Field: childField(0),
			Message: "No child you can see has one of these ids: check each child's id"}})
	default:
		s.error(w, r, err)
	}
}

// childField is the form's name for row i's child id, and roleField its
// role's.
func childField(i int) string { return "child-" + strconv.Itoa(i+1) }
func roleField(i int) string  { return "role-" + strconv.Itoa(i+1) }

// renumberChildErrors names a child's error by its field on the form: the
// rows left blank were skipped when the children were read.
func renumberChildErrors(form url.Values, errs []lantern.FieldError) []lantern.FieldError {
	var rows []int
	for i := range disruptionChildRows {
		if strings.TrimSpace(form.Get(childField(i))) != "" {
			rows = append(rows, i)
		}
	}
	for k, e := range errs {
		switch {
		case e.Field == "children":
			errs[k].Field = childField(0)
		case strings.HasPrefix(e.Field, "children["):
			i := strings.Index(e.Field, "]")
			n, err := strconv.Atoi(e.Field[len("children["):max(i, len("children["))])
			if i < 0 || err != nil || n >= len(rows) {
				errs[k].Field = childField(0)
			} else if strings.HasSuffix(e.Field, ".role") {
				errs[k].Field = roleField(rows[n])
			} else {
				errs[k].Field = childField(rows[n])
			}
		}
	}
	return errs
}

// policeFormView is the page choosing what to send the police about a
// child, with the forms sent before.
type policeFormView struct {
	Child  *lantern.Child
	Groups []policeFormGroup
	Forces []lantern.PoliceFormAgency
	Shares []*lantern.PoliceFormShare
	// Chosen are the items ticked, by type:id.
	Chosen map[string]bool
}

// policeFormGroup is the items of one type.
type policeFormGroup struct {
	Type  lantern.EntityType
	Title string
	Items []lantern.PoliceFormItem
}

func groupItems(items []lantern.PoliceFormItem) []policeFormGroup {
	titles := map[lantern.EntityType]string{lantern.EntityPerson: "Persons: suspects, street names and descriptions", lantern.EntityVehicle: "Vehicles",
		lantern.EntityPhone: "Phones", lantern.EntityPlace: "Places", lantern.EntityAccount: "Online accounts", "link": "Links: what was seen, when, and how it is known"}
	var out []policeFormGroup
	for _, t := range lantern.PoliceFormItemTypes {
		g := policeFormGroup{Type: t, Title: titles[t]}
		for _, it := range items {
			if it.Type == t {
				g.Items = append(g.Items, it)
			}
		}
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	// Entities first, then links, as the items are listed.
	if len(out) > 0 && out[0].Type == "link" {
		out = append(out[1:], out[0])
	}
	return out
}

func (s *Server) renderPoliceFormChoice(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []lantern.FieldError) {
	ch, err := s.st.PoliceFormChoices(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Send intelligence to the police")
	p.Nav = "children"
	p.Form = formMap(form)
	p.Errors = errs
	if len(ch.Forces) == 1 && p.Form["agency_id"] == "" {
		p.Form["agency_id"] = ch.Forces[0].ID
	}
	chosen := map[string]bool{}
	for _, k := range form["items"] {
		chosen[k] = true
	}
	p.Data = policeFormView{Child: ch.Child, Groups: groupItems(ch.Items), Forces: ch.Forces, Shares: ch.Shares, Chosen: chosen}
	s.render(w, r, status, "police_form_choose", p)
}

func (s *Server) policeFormPage(w http.ResponseWriter, r *http.Request) {
	s.renderPoliceFormChoice(w, r, http.StatusOK, url.Values{}, nil)
}

// policeFormPrintView is a produced form, to print.
type policeFormPrintView struct {
	Form   *lantern.PoliceForm
	Groups []policeFormGroup
}

func (s *Server) producePoliceFormPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	req := lantern.PoliceFormRequest{AgencyID: form.Get("agency_id"), Purpose: form.Get("purpose"), Items: form["items"]}
	f, err := s.st.ProducePoliceForm(r.Context(), r.PathValue("id"), req)
	switch lantern.ErrorCode(err) {
	case "":
	case lantern.EINVALID:
		errs := lantern.ErrorFields(err)
		for i := range errs {
			if strings.HasPrefix(errs[i].Field, "items[") {
				errs[i].Field = "items" // the boxes are one question
			}
		}
		s.renderPoliceFormChoice(w, r, http.StatusUnprocessableEntity, form, errs)
		return
	default:
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Partner intelligence form")
	p.Nav = "children"
	p.Data = policeFormPrintView{Form: f, Groups: groupItems(f.Items)}
	s.render(w, r, http.StatusOK, "police_form", p)
}
