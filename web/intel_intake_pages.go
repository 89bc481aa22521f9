package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lantern"
)

// Intelligence from a record (issue 14, item 4): what a concern, referral,
// meeting or missing episode names, with blank rows for more, confirmed
// into entities and links from the child sourced to the record. The store
// decides what may be said of what is held (store/intel_intake.go).

func (s *Server) intakeRoutes() {
	s.handle("GET /children/{id}/intelligence-from/{stype}/{srcid}", s.intakePage)
	s.handle("POST /children/{id}/intelligence-from/{stype}/{srcid}", s.postIntakePage)
	s.handle("GET /api/v1/children/{id}/intelligence-from/{stype}/{srcid}", s.apiIntake)
	s.handle("POST /api/v1/children/{id}/intelligence-from/{stype}/{srcid}", s.apiPostIntake)
}

// intakeFields are the fields of a row of each type, as the form names
// them.
var intakeFields = map[lantern.EntityType][]string{
	lantern.EntityPerson:  {"name", "street_name", "description"},
	lantern.EntityVehicle: {"vrm", "colour", "make", "model"},
	lantern.EntityPhone:   {"number"},
	lantern.EntityPlace:   {"name", "address", "postcode"},
	lantern.EntityAccount: {"platform", "handle"},
}

// intakeFieldLabels label the fields.
var intakeFieldLabels = map[string]string{"name": "Name", "street_name": "Street name or nickname", "description": "Description",
	"vrm": "Registration (? for each character not known)", "colour": "Colour", "make": "Make", "model": "Model", "number": "Phone number",
	"address": "Address or street", "postcode": "Postcode", "platform": "Platform", "handle": "Handle or user name"}

// blankTypes are the blank rows offered after the mentions.
var blankTypes = []lantern.EntityType{lantern.EntityPerson, lantern.EntityVehicle, lantern.EntityPhone, lantern.EntityPlace, lantern.EntityAccount}

// intakeRow is a row of the form: a mention, or a blank row to add one.
type intakeRow struct {
	N          int
	Type       lantern.EntityType
	Suggestion *lantern.IntakeSuggestion // nil for a blank row
	Fields     []intakeField
	Kinds      []lantern.LinkKind
}

type intakeField struct{ Name, Label string }

// Prefix is the row's form names' start: item-3-.
func (r intakeRow) Prefix() string { return "item-" + strconv.Itoa(r.N) + "-" }

type intakeView struct {
	Child      *lantern.Child
	Source     *lantern.IntakeSource
	Back       string // the record's page
	Rows       []intakeRow
	Reader     bool // may read intelligence: matches are shown
	TypeLabels map[lantern.EntityType]string
}

// sourcePage is the page of the record a source names.
func sourcePage(childID string, src *lantern.IntakeSource) string {
	switch src.Type {
	case "concern":
		return "/children/" + childID + "/concerns/" + src.ID
	case "referral":
		return "/children/" + childID + "/referrals/" + src.ID
	case "meeting":
		return "/meetings/" + src.ID
	case "missing-episode":
		return "/children/" + childID + "/missing-episodes/" + src.ID
	}
	return "/children/" + childID
}

// intakeRows makes the rows: each suggestion, then a blank row of each type.
func intakeRows(sg []lantern.IntakeSuggestion, sourceType string) []intakeRow {
	var rows []intakeRow
	row := func(t lantern.EntityType, g *lantern.IntakeSuggestion) {
		r := intakeRow{N: len(rows), Type: t, Suggestion: g, Kinds: lantern.IntakeKinds[t]}
		for _, f := range intakeFields[t] {
			r.Fields = append(r.Fields, intakeField{f, intakeFieldLabels[f]})
		}
		rows = append(rows, r)
	}
	for i := range sg {
		row(sg[i].Type, &sg[i])
	}
	for _, t := range blankTypes {
		row(t, nil)
	}
	return rows
}

// prefill puts each suggestion's values in its row.
func prefill(form map[string]string, rows []intakeRow, sourceType string) {
	for _, r := range rows {
		p := r.Prefix()
		form[p+"kind"] = string(lantern.IntakeKind(r.Type, sourceType))
		g := r.Suggestion
		if g == nil {
			continue
		}
		switch r.Type {
		case lantern.EntityPerson:
			if g.Nickname {
				form[p+"street_name"] = g.Value
			} else {
				form[p+"name"] = g.Value
			}
		case lantern.EntityVehicle:
			form[p+"vrm"] = g.Text
		case lantern.EntityPhone:
			form[p+"number"] = g.Text
		case lantern.EntityPlace:
			if g.Postcode != "" && g.Value == g.Postcode {
				form[p+"postcode"] = g.Postcode
			} else {
				form[p+"name"] = g.Value
				form[p+"address"] = g.Address
			}
		case lantern.EntityAccount:
			form[p+"platform"], form[p+"handle"] = g.Platform, g.Value
		}
	}
}

// intakeSubject reads the child, the record and its suggestions.
func (s *Server) intakeSubject(r *http.Request) (*lantern.Child, *lantern.IntakeSource, []lantern.IntakeSuggestion, error) {
	ctx := r.Context()
	child, err := s.st.FindChildByID(ctx, r.PathValue("id"))
	if err != nil {
		return nil, nil, nil, err
	}
	src, err := s.st.IntakeSource(ctx, child.ID, r.PathValue("stype"), r.PathValue("srcid"))
	if err != nil {
		return nil, nil, nil, err
	}
	sg, err := s.st.IntakeSuggestions(ctx, child.ID, src)
	if err != nil {
		return nil, nil, nil, err
	}
	return child, src, sg, nil
}

func (s *Server) intakePage(w http.ResponseWriter, r *http.Request) {
	s.renderIntake(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderIntake(w http.ResponseWriter, r *http.Request, st int, form url.Values, errs []lantern.FieldError) {
	child, src, sg, err := s.intakeSubject(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Record intelligence from this "+strings.ReplaceAll(src.Type, "-", " "))
	p.Nav = "children"
	p.Errors = errs
	rows := intakeRows(sg, src.Type)
	if form != nil {
		p.Form = formMap(form)
	} else {
		p.Form = map[string]string{}
		prefill(p.Form, rows, src.Type)
	}
	v := intakeView{Child: child, Source: src, Back: sourcePage(child.ID, src), Rows: rows,
		Reader: lantern.Allowed(p.User, lantern.ResIntel, lantern.ActRead, lantern.RelArea),
		TypeLabels: map[lantern.EntityType]string{lantern.EntityPerson: "Person", lantern.EntityVehicle: "Vehicle", lantern.EntityPhone: "Phone",
			lantern.EntityPlace: "Place", lantern.EntityAccount: "Online account"}}
	if n, err := strconv.Atoi(r.URL.Query().Get("done")); err == nil && n > 0 && form == nil {
		p.Notice = plural(n, "link", "links") + " recorded from this " + strings.ReplaceAll(src.Type, "-", " ")
	}
	p.Data = v
	s.render(w, r, st, "intel_intake", p)
}

// IntakeForm reads the rows chosen: a suggestion's when ticked, a blank
// row's when anything is written in it. rowOf maps each item to its row,
// for naming a fault.
func IntakeForm(form url.Values, rows []intakeRow) (items []lantern.IntakeItem, rowOf []int) {
	for _, row := range rows {
		p := row.Prefix()
		get := func(f string) string { return strings.TrimSpace(form.Get(p + f)) }
		it := lantern.IntakeItem{Type: row.Type, Kind: lantern.LinkKind(get("kind")), Held: get("held"), HowKnown: get("how_known")}
		written := false
		for _, f := range intakeFields[row.Type] {
			v := get(f)
			written = written || v != ""
			switch f {
			case "name":
				it.Name = v
			case "street_name":
				it.StreetName = v
			case "description":
				it.Description = v
			case "vrm":
				it.VRM = v
			case "colour":
				it.Colour = v
			case "make":
				it.Make = v
			case "model":
				it.Model = v
			case "number":
				it.Number = v
			case "address":
				it.Address = v
			case "postcode":
				it.Postcode = v
			case "platform":
				it.Platform = v
			case "handle":
				it.Handle = v
			}
		}
		if row.Suggestion != nil && form.Get(p+"add") != "yes" || row.Suggestion == nil && !written {
			continue
		}
		items = append(items, it)
		rowOf = append(rowOf, row.N)
	}
	return items, rowOf
}

// rowErrors names each fault by the form's field: items[2].vrm is the
// vrm of the item's row.
func rowErrors(err error, rowOf []int) []lantern.FieldError {
	var out []lantern.FieldError
	for _, fe := range lantern.ErrorFields(err) {
		var i int
		var field string
		if n, _ := fmt.Sscanf(fe.Field, "items[%d].", &i); n == 1 && i >= 0 && i < len(rowOf) {
			field = fe.Field[strings.IndexByte(fe.Field, '.')+1:]
			fe.Field = "item-" + strconv.Itoa(rowOf[i]) + "-" + field
		} else if fe.Field == "items" {
			fe.Field = "item-0-add"
		}
		out = append(out, fe)
	}
	if len(out) == 0 && err != nil {
		out = append(out, lantern.FieldError{Field: "item-0-add", Message: lantern.ErrorMessage(err)})
	}
	return out
}

func (s *Server) postIntakePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	child, src, sg, err := s.intakeSubject(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	items, rowOf := IntakeForm(form, intakeRows(sg, src.Type))
	got, err := s.st.RecordIntake(r.Context(), child.ID, src, items)
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/children/"+child.ID+"/intelligence-from/"+src.Type+"/"+src.ID+"?done="+strconv.Itoa(len(got)))
	case lantern.EINVALID:
		s.renderIntake(w, r, http.StatusUnprocessableEntity, form, rowErrors(err, rowOf))
	default:
		s.error(w, r, err)
	}
}

// IntakeResponse is what a record names, for GET
// /api/v1/children/{id}/intelligence-from/{type}/{id}.
type IntakeResponse struct {
	Source      *lantern.IntakeSource                     `json:"source"`
	Suggestions []lantern.IntakeSuggestion                `json:"suggestions"`
	Kinds       map[lantern.EntityType][]lantern.LinkKind `json:"kinds"`
}

func (s *Server) apiIntake(w http.ResponseWriter, r *http.Request) {
	_, src, sg, err := s.intakeSubject(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, IntakeResponse{Source: src, Suggestions: sg, Kinds: lantern.IntakeKinds})
}

// IntakeRequest is the body of POST
// /api/v1/children/{id}/intelligence-from/{type}/{id}.
type IntakeRequest struct {
	Items []lantern.IntakeItem `json:"items"`
}

// IntakeRecordedResponse is what the confirmation stored.
type IntakeRecordedResponse struct {
	Recorded []lantern.IntakeRecorded `json:"recorded"`
}

func (s *Server) apiPostIntake(w http.ResponseWriter, r *http.Request) {
	var req IntakeRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	ctx := r.Context()
	src, err := s.st.IntakeSource(ctx, r.PathValue("id"), r.PathValue("stype"), r.PathValue("srcid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	got, err := s.st.RecordIntake(ctx, r.PathValue("id"), src, req.Items)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, IntakeRecordedResponse{Recorded: got})
}
