package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lantern"
)

// The intelligence pages (docs/intelligence.md): the search, each record's
// page with its links, the forms that record a person, vehicle, phone,
// place, account or link, and the police's final grade and withdrawal.
// Partners record; the police, analysts and the CSE coordinator read; the
// network around a child is in network_page.go.

func (s *Server) intelPageRoutes() {
	s.handle("GET /intelligence", s.intelPage)
	for _, k := range intelKinds {
		s.handle("GET /intelligence/"+k.Plural+"/new", s.newIntelPage(k))
		s.handle("POST /intelligence/"+k.Plural+"/new", s.createIntelPage(k))
		s.handle("GET /intelligence/"+k.Plural+"/{xid}", s.intelEntityPage(k))
		s.handle("GET /intelligence/"+k.Plural+"/{xid}/links.csv", s.intelLinksCSV(k))
	}
	s.handle("GET /intelligence/links/new", s.newLinkPage)
	s.handle("POST /intelligence/links/new", s.createLinkPage)
	s.handle("POST /intelligence/links/{lid}/grading", s.gradeLinkPage)
	s.handle("POST /intelligence/links/{lid}/withdraw", s.withdrawLinkPage)
	s.handle("GET /children/{id}/network", s.networkPage)
	s.intelResolvePageRoutes()
}

// intelKind is one kind of intelligence record, as the pages name it.
type intelKind struct {
	Type   lantern.EntityType
	Plural string // the path's segment
	Noun   string // in words
	Title  string // the heading of the form that records one
	// Letter is drawn in the record's shape on the network's drawing.
	Letter string
	// Caption names the kind over a record's heading.
	Caption string
}

var intelKinds = []intelKind{
	{lantern.EntityPerson, "persons", "person", "Record a person of concern", "P", "Person of concern"},
	{lantern.EntityVehicle, "vehicles", "vehicle", "Record a vehicle", "V", "Vehicle"},
	{lantern.EntityPhone, "phones", "phone number", "Record a phone number", "T", "Phone number"},
	{lantern.EntityPlace, "places", "place", "Record a place", "L", "Place"},
	{lantern.EntityAccount, "accounts", "online account", "Record an online account", "A", "Online account"},
}

var childKind = intelKind{lantern.EntityChild, "", "child", "", "C", "Child"}

// kindOf is the kind of an entity type; the child's for a child.
func kindOf(t lantern.EntityType) intelKind {
	for _, k := range intelKinds {
		if k.Type == t {
			return k
		}
	}
	return childKind
}

// entityHref is the page of a link's end.
func entityHref(r lantern.EntityRef) string {
	if r.Type == lantern.EntityChild {
		return "/children/" + r.ID
	}
	return "/intelligence/" + kindOf(r.Type).Plural + "/" + r.ID
}

// parseRef reads type:id.
func parseRef(s string) (lantern.EntityRef, bool) {
	t, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || !lantern.EntityType(t).Valid() || id == "" || len(id) > 64 || strings.ContainsAny(id, "/?#&") {
		return lantern.EntityRef{}, false
	}
	return lantern.EntityRef{Type: lantern.EntityType(t), ID: id}, true
}

func canReadIntel(u *lantern.User) bool {
	return lantern.Allowed(u, lantern.ResIntel, lantern.ActRead, lantern.RelArea)
}

// intelResultRow is one thing a search found.
type intelResultRow struct {
	Noun, Label, Href string
	Exact             bool
}

// intelView is the intelligence page: the search and what it found for
// those who read intelligence; for everyone who records it, the links to
// record, and what they recorded (a partner does not see it again).
type intelView struct {
	CanRead  bool
	By       string // the search made: vrm, phone or q; "" for none
	Results  []intelResultRow
	Kinds    []intelKind
	Recorded string // what was just recorded, in words, for the panel
	// Child is the child whose page a partner came from, to go back to.
	Child string
	// CanReview: the police and analysts, who answer the review list.
	CanReview bool
}

func (s *Server) intelPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Intelligence")
	p.Nav = "intelligence"
	q := r.URL.Query()
	p.Form = formMap(q)
	v := intelView{CanRead: canReadIntel(p.User), Kinds: intelKinds, CanReview: canMerge(p.User)}
	status := http.StatusOK
	if v.CanRead {
		var rs []lantern.IntelResult
		var err error
		switch {
		case q.Has("vrm"):
			v.By = "vrm"
			rs, err = s.st.SearchVRM(r.Context(), q.Get("vrm"))
		case q.Has("phone"):
			v.By = "phone"
			rs, err = s.st.SearchPhone(r.Context(), q.Get("phone"))
		case q.Has("q"):
			v.By = "q"
			rs, err = s.st.SearchWords(r.Context(), q.Get("q"))
		}
		switch lantern.ErrorCode(err) {
		case "":
		case lantern.EINVALID:
			status, p.Errors, v.By = http.StatusUnprocessableEntity, lantern.ErrorFields(err), ""
		default:
			s.error(w, r, err)
			return
		}
		for _, res := range rs {
			v.Results = append(v.Results, intelResultRow{Noun: kindOf(res.Type).Noun, Label: res.Label,
				Href: entityHref(lantern.EntityRef{Type: res.Type, ID: res.ID}), Exact: res.Exact})
		}
	}
	if status == http.StatusOK {
		switch d := q.Get("done"); d {
		case "link":
			v.Recorded = "Link recorded"
		case "graded":
			p.Notice = "The link's final grade has been recorded"
		case "withdrawn":
			p.Notice = "The link has been withdrawn"
		default:
			if k := kindOf(lantern.EntityType(d)); k.Type != lantern.EntityChild {
				v.Recorded = strings.ToUpper(k.Noun[:1]) + k.Noun[1:] + " recorded"
			}
		}
		if c := q.Get("child"); v.Recorded != "" && c != "" && !strings.ContainsAny(c, "/?#&") && len(c) <= 64 {
			v.Child = c
		}
	}
	p.Data = v
	s.render(w, r, status, "intel", p)
}

// intelFact is one thing held about a record, for its summary list.
type intelFact struct {
	Key, Value string
	// Tag, when set, is shown after the value as a grey tag.
	Tag string
}

// intelEnd is one end of a link as a page shows it.
type intelEnd struct {
	Label, Href, Ref string
	// Self: the record whose page this is (not linked).
	Self bool
}

// intelLinkRow is a link as a record's page shows it. SourceText, HowKnown
// and Conditions are the police's alone (the store leaves them out for
// anyone else).
type intelLinkRow struct {
	ID         string
	From, To   intelEnd
	KindLabel  string
	Observed   string
	Grading    string // 1B P, or "Not graded"
	Graded     bool
	Final      bool
	Legacy     string
	Conditions string
	SourceText string
	HowKnown   string
	Recorded   string
	// Open: the grading form has errors, so it is shown open.
	Open bool
}

// intelEntityView is a record's page.
type intelEntityView struct {
	Kind       intelKind
	ID, Ref    string
	Label      string
	Facts      []intelFact
	MergedInto string
	Links      []intelLinkRow
	// Police: sources, how it is known and conditions are shown; Grader:
	// the final grade and withdrawal forms are.
	Police, Grader bool
	Grades         gradeOptions
	Path           string
	// Resolve is who else a person may be (nil for any other record).
	Resolve *personResolveView
}

// gradeOptions are the 3×5×2 grading's radios.
type gradeOptions struct {
	Sources, Intels, Handlings []eventOption
}

var grades = gradeOptions{
	Sources: []eventOption{{"1", "1: reliable", ""}, {"2", "2: untested", ""}, {"3", "3: not reliable", ""}},
	Intels: []eventOption{{"A", "A: known directly to the source", ""}, {"B", "B: known indirectly to the source and corroborated", ""},
		{"C", "C: known indirectly to the source", ""}, {"D", "D: not known", ""}, {"E", "E: suspected to be false or malicious", ""}},
	Handlings: []eventOption{{"P", "P: may be shared lawfully", ""}, {"C", "C: may be shared lawfully, on conditions", ""}},
}

// observed says when what a link says was seen.
func observed(from, to *lantern.Date) string {
	switch {
	case from == nil && to == nil:
		return "Not given"
	case to == nil:
		return "From " + from.Format()
	case from == nil:
		return "Until " + to.Format()
	case *from == *to:
		return from.Format()
	}
	return from.Format() + " to " + to.Format()
}

func gradingText(g *lantern.Grading) string {
	if g == nil {
		return "Not graded"
	}
	return g.String()
}

// loadEntity reads a record, its label and what is held about it.
func (s *Server) loadEntity(ctx context.Context, k intelKind, id string) (label string, facts []intelFact, merged string, err error) {
	add := func(key, value, tag string) {
		if value != "" || tag != "" {
			facts = append(facts, intelFact{key, value, tag})
		}
	}
	switch k.Type {
	case lantern.EntityPerson:
		p, err := s.st.Person(ctx, id)
		if err != nil {
			return "", nil, "", err
		}
		var names []string
		for _, n := range p.Names {
			names = append(names, n.String())
		}
		add("Names", strings.Join(names, "; "), "")
		add("Street names and aliases", strings.Join(p.Aliases, "; "), "")
		switch {
		case p.DateOfBirth != nil:
			add("Date of birth", p.DateOfBirth.Format(), map[bool]string{true: "Estimated"}[p.Estimated])
		case p.BirthYear != 0:
			add("Year of birth", strconv.Itoa(p.BirthYear), map[bool]string{true: "Estimated"}[p.Estimated])
		}
		add("Sex", map[string]string{"male": "Male", "female": "Female"}[p.Sex], "")
		add("Description", p.Description, "")
		for _, a := range p.Addresses {
			add("Address", strings.TrimSpace(a.Address+" "+a.Postcode), "")
		}
		return p.Label(), facts, p.MergedInto, nil
	case lantern.EntityVehicle:
		v, err := s.st.Vehicle(ctx, id)
		if err != nil {
			return "", nil, "", err
		}
		add("Registration", v.VRM, map[bool]string{true: "Partial: ? is a character not known"}[v.Partial])
		add("Colour", v.Colour, "")
		add("Make", v.Make, "")
		add("Model", v.Model, "")
		return v.Label(), facts, "", nil
	case lantern.EntityPhone:
		p, err := s.st.Phone(ctx, id)
		if err != nil {
			return "", nil, "", err
		}
		add("Number", p.E164, map[bool]string{true: "In a range kept for drama and tests"}[p.Fictional])
		return p.Label(), facts, "", nil
	case lantern.EntityPlace:
		p, err := s.st.Place(ctx, id)
		if err != nil {
			return "", nil, "", err
		}
		add("Name", p.Name, "")
		add("Address", p.Address, "")
		add("Postcode", p.Postcode, "")
		if p.Lat != nil && p.Lon != nil {
			add("Latitude and longitude", strconv.FormatFloat(*p.Lat, 'f', -1, 64)+", "+strconv.FormatFloat(*p.Lon, 'f', -1, 64), "")
		}
		if p.Hotspot {
			add("Hotspot", p.HotspotReason, "Hotspot")
		}
		return p.Label(), facts, "", nil
	case lantern.EntityAccount:
		a, err := s.st.Account(ctx, id)
		if err != nil {
			return "", nil, "", err
		}
		add("Platform", a.Platform, "")
		add("Handle", a.Handle, "")
		return a.Label(), facts, "", nil
	}
	return "", nil, "", lantern.NotFound("Page")
}

// linkRows reads a record's links as its page shows them.
func (s *Server) linkRows(ctx context.Context, self lantern.EntityRef) ([]intelLinkRow, error) {
	ls, labels, err := s.st.EntityLinks(ctx, self)
	if err != nil {
		return nil, err
	}
	end := func(r lantern.EntityRef) intelEnd {
		if r == self {
			return intelEnd{Label: "This " + kindOf(r.Type).Noun, Ref: r.String(), Self: true}
		}
		l, ok := labels[r.ID]
		if !ok {
			l = "A " + kindOf(r.Type).Noun + " not found"
		}
		return intelEnd{Label: l, Href: entityHref(r), Ref: r.String()}
	}
	rows := make([]intelLinkRow, 0, len(ls))
	for _, l := range ls {
		row := intelLinkRow{ID: l.ID, From: end(l.From), To: end(l.To), KindLabel: l.Kind.Label(), Observed: observed(l.ObservedFrom, l.ObservedTo),
			Grading: gradingText(l.Grading), Graded: l.Grading != nil, Final: l.Final, Legacy: l.LegacyGrade,
			SourceText: l.Source, HowKnown: l.HowKnown, Recorded: localTime(l.RecordedAt)}
		if l.SourceRecord != nil {
			row.SourceText = strings.TrimSpace(row.SourceText + " (Lantern " + string(l.SourceRecord.Type) + " " + l.SourceRecord.ID + ")")
		}
		if l.Grading != nil {
			row.Conditions = l.Grading.Conditions
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func (s *Server) intelEntityPage(k intelKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderIntelEntity(w, r, http.StatusOK, k, r.PathValue("xid"), nil, nil)
	}
}

// renderIntelEntity shows a record's page; form and errs are a grading
// form's, sent again with its errors.
func (s *Server) renderIntelEntity(w http.ResponseWriter, r *http.Request, status int, k intelKind, id string, form map[string]string, errs []lantern.FieldError) {
	ctx := r.Context()
	label, facts, merged, err := s.loadEntity(ctx, k, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	self := lantern.EntityRef{Type: k.Type, ID: id}
	rows, err := s.linkRows(ctx, self)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, label)
	p.Nav = "intelligence"
	p.Errors = errs
	u := p.User
	v := intelEntityView{Kind: k, ID: id, Ref: self.String(), Label: label, Facts: facts, MergedInto: merged, Links: rows,
		Police: lantern.Allowed(u, lantern.ResIntelSource, lantern.ActRead, lantern.RelArea),
		Grader: lantern.Allowed(u, lantern.ResIntel, lantern.ActApprove, lantern.RelArea), Grades: grades,
		Path: entityHref(self)}
	if form == nil {
		// Each grading form starts from the link's grading as it is.
		form = map[string]string{}
		ls, _, _ := s.st.EntityLinks(ctx, self)
		for _, l := range ls {
			if g := l.Grading; g != nil {
				form["grading-"+l.ID], form["grading_intel-"+l.ID], form["grading_handling-"+l.ID] = g.Source, g.Intelligence, g.Handling
				form["grading.conditions-"+l.ID] = g.Conditions
			}
			form["legacy_grading-"+l.ID] = l.LegacyGrade
		}
	}
	p.Form = form
	if k.Type == lantern.EntityPerson {
		if v.Resolve, err = s.personResolution(ctx, id, merged, &p.Errors); err != nil {
			s.error(w, r, err)
			return
		}
	}
	for i := range v.Links {
		for _, e := range errs {
			if strings.HasSuffix(e.Field, "-"+v.Links[i].ID) {
				v.Links[i].Open = true
			}
		}
	}
	if status == http.StatusOK {
		switch r.URL.Query().Get("done") {
		case "created":
			p.Notice = "The " + k.Noun + " has been recorded"
		case "held":
			p.Notice = "This " + k.Noun + " was already held: this is its record"
		case "linked":
			p.Notice = "The link has been recorded"
		case "graded":
			p.Notice = "The link's final grade has been recorded"
		case "withdrawn":
			p.Notice = "The link has been withdrawn: it stays on record, out of every network"
		case "merged":
			p.Notice = "The two records are now one person: the links of both are shown here"
		case "unmerged":
			p.Notice = "The merge has been undone: this record stands apart again"
		}
	}
	p.Data = v
	s.render(w, r, status, "intel_entity", p)
}

func (s *Server) intelLinksCSV(k intelKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := r.PathValue("xid")
		if _, _, _, err := s.loadEntity(ctx, k, id); err != nil {
			s.error(w, r, err)
			return
		}
		rows, err := s.linkRows(ctx, lantern.EntityRef{Type: k.Type, ID: id})
		if err != nil {
			s.error(w, r, err)
			return
		}
		police := lantern.Allowed(lantern.UserFromContext(ctx), lantern.ResIntelSource, lantern.ActRead, lantern.RelArea)
		header := []string{"From", "From reference", "Kind", "To", "To reference", "Observed", "Grading", "Final", "5×5×5 grade", "Recorded"}
		if police {
			header = append(header, "Source", "How it is known", "Conditions")
		}
		out := make([][]string, 0, len(rows))
		for _, l := range rows {
			final := "Provisional"
			if l.Final {
				final = "Final"
			}
			rec := []string{l.From.Label, l.From.Ref, l.KindLabel, l.To.Label, l.To.Ref, l.Observed, l.Grading, final, l.Legacy, l.Recorded}
			if police {
				rec = append(rec, l.SourceText, l.HowKnown, l.Conditions)
			}
			out = append(out, rec)
		}
		writeCSV(w, k.Plural[:len(k.Plural)-1]+"-"+id+"-links.csv", header, out)
	}
}

// intelFormView is the form that records one kind of record. Link is the
// record the new one is to be linked to (type:id), when the form was
// reached from a link's form.
type intelFormView struct {
	Kind   intelKind
	Action string
	Sexes  []eventOption
}

func (s *Server) newIntelPage(k intelKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(r, k.Title)
		p.Form = map[string]string{}
		if ref, ok := parseRef(r.URL.Query().Get("link")); ok {
			p.Form["link"] = ref.String()
		}
		s.renderIntelForm(w, r, http.StatusOK, k, p)
	}
}

func (s *Server) renderIntelForm(w http.ResponseWriter, r *http.Request, status int, k intelKind, p *page) {
	p.Nav = "intelligence"
	p.Data = intelFormView{Kind: k, Action: "/intelligence/" + k.Plural + "/new",
		Sexes: []eventOption{{"male", "Male", ""}, {"female", "Female", ""}, {"not-known", "Not known", ""}}}
	s.render(w, r, status, "intel_form", p)
}

// personField names a person's field as the form does: the form has one
// name and one address.
func personField(f string) string {
	switch {
	case strings.HasPrefix(f, "names"):
		if strings.HasSuffix(f, ".family") {
			return "family"
		}
		return "given"
	case strings.HasPrefix(f, "aliases"):
		return "aliases"
	case strings.HasPrefix(f, "addresses"):
		if strings.HasSuffix(f, ".postcode") {
			return "postcode"
		}
		return "address"
	}
	return f
}

// personFromForm reads a person: one name, aliases one to a line, a date
// of birth or a year, one address.
func personFromForm(f url.Values) (*lantern.PersonOfConcern, lantern.Problems) {
	var pr lantern.Problems
	p := &lantern.PersonOfConcern{Names: []lantern.PersonName{{Given: f.Get("given"), Family: f.Get("family")}},
		Sex: f.Get("sex"), Description: f.Get("description"), Estimated: f.Get("birth_estimated") == "yes"}
	for _, a := range strings.Split(f.Get("aliases"), "\n") {
		if a = strings.TrimSpace(a); a != "" {
			p.Aliases = append(p.Aliases, a)
		}
	}
	if d := formDate(&pr, f, "dob", "date_of_birth", "date of birth"); !d.IsZero() {
		p.DateOfBirth = &d
	}
	if y := strings.TrimSpace(f.Get("birth_year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || len(y) != 4 {
			pr.Add("birth_year", "The year of birth must be a year, like 1998")
		}
		p.BirthYear = n
	}
	if a, pc := f.Get("address"), f.Get("postcode"); strings.TrimSpace(a+pc) != "" {
		p.Addresses = []lantern.EntityAddress{{Address: a, Postcode: pc}}
	}
	return p, pr
}

// placeFromForm reads a place; latitude and longitude are optional.
func placeFromForm(f url.Values) (*lantern.Place, lantern.Problems) {
	var pr lantern.Problems
	p := &lantern.Place{Name: f.Get("name"), Address: f.Get("address"), Postcode: f.Get("postcode"),
		Hotspot: f.Get("hotspot") == "yes", HotspotReason: f.Get("hotspot_reason")}
	for _, c := range []struct {
		field string
		v     **float64
	}{{"lat", &p.Lat}, {"lon", &p.Lon}} {
		if s := strings.TrimSpace(f.Get(c.field)); s != "" {
			n, err := strconv.ParseFloat(s, 64)
			if err != nil {
				pr.Add(c.field, "Enter a number, such as 53.4808 or -2.2426")
				continue
			}
			*c.v = &n
		}
	}
	return p, pr
}

func (s *Server) createIntelPage(k intelKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		form, err := parseForm(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		ctx := r.Context()
		var id string
		var formErrs lantern.Problems
		created := true
		switch k.Type {
		case lantern.EntityPerson:
			var p *lantern.PersonOfConcern
			if p, formErrs = personFromForm(form); len(formErrs) == 0 {
				if p, err = s.st.CreatePerson(ctx, p); err == nil {
					id = p.ID
				}
			}
		case lantern.EntityVehicle:
			var v *lantern.Vehicle
			v, created, err = s.st.CreateVehicle(ctx, &lantern.Vehicle{VRM: form.Get("vrm"), Colour: form.Get("colour"), Make: form.Get("make"), Model: form.Get("model")})
			if err == nil {
				id = v.ID
			}
		case lantern.EntityPhone:
			var p *lantern.Phone
			if p, created, err = s.st.CreatePhone(ctx, form.Get("number")); err == nil {
				id = p.ID
			}
		case lantern.EntityPlace:
			var p *lantern.Place
			if p, formErrs = placeFromForm(form); len(formErrs) == 0 {
				if p, err = s.st.CreatePlace(ctx, p); err == nil {
					id = p.ID
				}
			}
		case lantern.EntityAccount:
			var a *lantern.Account
			if a, created, err = s.st.CreateAccount(ctx, &lantern.Account{Platform: form.Get("platform"), Handle: form.Get("handle")}); err == nil {
				id = a.ID
			}
		}
		if len(formErrs) > 0 {
			err = formErrs.Err()
		}
		switch lantern.ErrorCode(err) {
		case "":
		case lantern.EINVALID:
			p := s.newPage(r, k.Title)
			p.Form = formMap(form)
			for _, fe := range lantern.ErrorFields(err) {
				fe.Field = personField(fe.Field)
				if p.ErrorFor(fe.Field) == "" {
					p.Errors = append(p.Errors, fe)
				}
			}
			s.renderIntelForm(w, r, http.StatusUnprocessableEntity, k, p)
			return
		default:
			s.error(w, r, err)
			return
		}
		made := lantern.EntityRef{Type: k.Type, ID: id}
		if link, ok := parseRef(form.Get("link")); ok {
			redirect(w, r, "/intelligence/links/new?"+url.Values{"from": {link.String()}, "to": {made.String()}}.Encode())
			return
		}
		if canReadIntel(lantern.UserFromContext(ctx)) {
			redirect(w, r, entityHref(made)+"?done="+map[bool]string{true: "created", false: "held"}[created])
			return
		}
		redirect(w, r, "/intelligence?done="+string(k.Type))
	}
}

// linkEndView is one end of the link being recorded: fixed (named, and
// sent as hidden fields) or chosen on the form.
type linkEndView struct {
	Ref, Noun, Label string
}

// linkFormView is the form that records a link.
type linkFormView struct {
	From, To *linkEndView
	Types    []eventOption
	Kinds    []eventOption
	Grades   gradeOptions
	// Record are the forms that record a new thing and come back here,
	// linked to From.
	Record []intelKind
	// Police: the source's identity will be the police's alone; others are
	// told so.
	Police bool
}

// endView names a link's end for the form; nil when it is not one the
// caller may name (a child they may not see, a record not held).
func (s *Server) endView(ctx context.Context, ref lantern.EntityRef) *linkEndView {
	v := &linkEndView{Ref: ref.String(), Noun: kindOf(ref.Type).Noun}
	if ref.Type == lantern.EntityChild {
		c, err := s.st.FindChildByID(ctx, ref.ID)
		if err != nil {
			return nil
		}
		v.Label = c.FullName()
		return v
	}
	label, _, _, err := s.loadEntity(ctx, kindOf(ref.Type), ref.ID)
	switch lantern.ErrorCode(err) {
	case "":
		v.Label = label
	case lantern.EFORBIDDEN:
		// A partner records but does not read: the record is named by kind.
		v.Label = "A " + v.Noun + " held in Lantern"
	default:
		return nil
	}
	return v
}

func (s *Server) newLinkPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Record a link")
	q := r.URL.Query()
	p.Form = map[string]string{}
	for _, end := range []string{"from", "to"} {
		if ref, ok := parseRef(q.Get(end)); ok {
			p.Form[end+".type"], p.Form[end+".id"] = string(ref.Type), ref.ID
		}
	}
	s.renderLinkForm(w, r, http.StatusOK, p)
}

// renderLinkForm shows the link's form; an end given (and not in error) is
// fixed, named by what it is.
func (s *Server) renderLinkForm(w http.ResponseWriter, r *http.Request, status int, p *page) {
	p.Nav = "intelligence"
	v := linkFormView{Grades: grades, Police: lantern.Allowed(p.User, lantern.ResIntelSource, lantern.ActRead, lantern.RelArea)}
	for _, t := range lantern.EntityTypes {
		v.Types = append(v.Types, eventOption{Value: string(t), Label: strings.ToUpper(kindOf(t).Noun[:1]) + kindOf(t).Noun[1:]})
	}
	for _, k := range lantern.LinkKinds {
		v.Kinds = append(v.Kinds, eventOption{Value: string(k), Label: k.Label()})
	}
	for _, end := range []struct {
		name string
		v    **linkEndView
	}{{"from", &v.From}, {"to", &v.To}} {
		ref, ok := parseRef(p.Val(end.name+".type") + ":" + p.Val(end.name+".id"))
		if ok && p.ErrorFor(end.name+".type") == "" && p.ErrorFor(end.name+".id") == "" && p.ErrorFor(end.name) == "" {
			*end.v = s.endView(r.Context(), ref)
		}
	}
	if v.From != nil && v.To == nil {
		v.Record = intelKinds
	}
	p.Data = v
	s.render(w, r, status, "intel_link_form", p)
}

// gradingFromForm reads a 3×5×2 grading from radios named grading (the
// source), grading_intel and grading_handling, and grading.conditions,
// each name followed by suffix. Nothing chosen is no grading, unless
// required.
func gradingFromForm(f url.Values, suffix string, required bool) (*lantern.Grading, lantern.Problems) {
	g := &lantern.Grading{Source: f.Get("grading" + suffix), Intelligence: f.Get("grading_intel" + suffix),
		Handling: f.Get("grading_handling" + suffix), Conditions: strings.TrimSpace(f.Get("grading.conditions" + suffix))}
	if !required && g.Source == "" && g.Intelligence == "" && g.Handling == "" {
		return nil, nil
	}
	var p lantern.Problems
	if g.Source != "1" && g.Source != "2" && g.Source != "3" {
		p.Add("grading"+suffix, "Choose how reliable the source is: 1, 2 or 3")
	}
	if len(g.Intelligence) != 1 || !strings.Contains("ABCDE", g.Intelligence) {
		p.Add("grading_intel"+suffix, "Choose how the intelligence is known: A to E")
	}
	if g.Handling != "P" && g.Handling != "C" {
		p.Add("grading_handling"+suffix, "Choose the handling: P or C")
	}
	if g.Handling == "P" {
		g.Conditions = "" // conditions are C's alone
	}
	return g, p
}

// suffixed is the service's errors on a form whose fields' names end in
// suffix, each once after the form's own.
func suffixed(own lantern.Problems, err error, suffix string) []lantern.FieldError {
	out := []lantern.FieldError(own)
	for _, fe := range lantern.ErrorFields(err) {
		fe.Field += suffix
		dup := false
		for _, have := range out {
			dup = dup || have.Field == fe.Field || (fe.Field == "grading"+suffix && strings.HasPrefix(have.Field, "grading"))
		}
		if !dup {
			out = append(out, fe)
		}
	}
	return out
}

func (s *Server) createLinkPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ctx := r.Context()
	var own lantern.Problems
	l := &lantern.Link{From: lantern.EntityRef{Type: lantern.EntityType(form.Get("from.type")), ID: form.Get("from.id")},
		To: lantern.EntityRef{Type: lantern.EntityType(form.Get("to.type")), ID: form.Get("to.id")}, Kind: lantern.LinkKind(form.Get("kind")),
		Source: form.Get("source"), HowKnown: form.Get("how_known"), LegacyGrade: form.Get("legacy_grading")}
	if !l.Kind.Valid() {
		own.Add("kind", "Choose what the link says")
	}
	if d := formDate(&own, form, "seen_from", "observed_from", "date it was first seen"); !d.IsZero() {
		l.ObservedFrom = &d
	}
	if d := formDate(&own, form, "seen_to", "observed_to", "date it was last seen"); !d.IsZero() {
		l.ObservedTo = &d
	}
	g, gp := gradingFromForm(form, "", false)
	own = append(own, gp...)
	if len(gp) == 0 {
		l.Grading = g
	}
	if err = lantern.CheckLink(l); err == nil && len(own) == 0 {
		l, err = s.st.CreateLink(ctx, l)
	} else if err == nil {
		err = own.Err()
	}
	switch lantern.ErrorCode(err) {
	case "":
	case lantern.EINVALID:
		p := s.newPage(r, "Record a link")
		p.Form = formMap(form)
		for _, fe := range suffixed(own, err, "") {
			switch {
			case fe.Field == "to":
				fe.Field = "to.id"
			case fe.Field == "source_record":
				fe.Field = "source"
			case fe.Field == "kind" && p.ErrorFor("kind") != "":
				continue
			}
			if p.ErrorFor(fe.Field) == "" {
				p.Errors = append(p.Errors, fe)
			}
		}
		s.renderLinkForm(w, r, http.StatusUnprocessableEntity, p)
		return
	default:
		s.error(w, r, err)
		return
	}
	if canReadIntel(lantern.UserFromContext(ctx)) {
		for _, end := range []lantern.EntityRef{l.From, l.To} {
			if end.Type != lantern.EntityChild {
				redirect(w, r, entityHref(end)+"?done=linked#links")
				return
			}
		}
	}
	q := url.Values{"done": {"link"}}
	for _, end := range []lantern.EntityRef{l.From, l.To} {
		if end.Type == lantern.EntityChild {
			q.Set("child", end.ID)
			break
		}
	}
	redirect(w, r, "/intelligence?"+q.Encode())
}

// backTo is the record page a link's form was sent from, if it names one.
func backTo(f url.Values) (lantern.EntityRef, bool) {
	ref, ok := parseRef(f.Get("back"))
	return ref, ok && ref.Type != lantern.EntityChild
}

func (s *Server) gradeLinkPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	lid := r.PathValue("lid")
	suffix := "-" + lid
	g, own := gradingFromForm(form, suffix, true)
	if len(own) == 0 {
		_, err = s.st.GradeLink(r.Context(), lid, *g, form.Get("legacy_grading"+suffix))
	} else {
		err = own.Err()
	}
	back, ok := backTo(form)
	switch lantern.ErrorCode(err) {
	case "":
		if ok {
			redirect(w, r, entityHref(back)+"?done=graded#link-"+lid)
			return
		}
		redirect(w, r, "/intelligence?done=graded")
	case lantern.EINVALID:
		if !ok {
			s.error(w, r, err)
			return
		}
		if len(own) > 0 {
			err = nil // the form's own errors already say it
		}
		s.renderIntelEntity(w, r, http.StatusUnprocessableEntity, kindOf(back.Type), back.ID, formMap(form), suffixed(own, err, suffix))
	default:
		s.error(w, r, err)
	}
}

func (s *Server) withdrawLinkPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.st.WithdrawLink(r.Context(), r.PathValue("lid")); err != nil {
		s.error(w, r, err)
		return
	}
	if back, ok := backTo(form); ok {
		redirect(w, r, entityHref(back)+"?done=withdrawn#links")
		return
	}
	redirect(w, r, "/intelligence?done=withdrawn")
}
