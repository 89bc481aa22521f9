package web

import (
	"net/http"
	"net/url"
	"strconv"

	"lantern"
)

// The directory's pages, for administrators: the people and shared
// mailboxes of the area's agencies, and the part each plays in the CSE
// pathway. To anyone else, like the other administration pages, they do
// not exist.

func (s *Server) directoryPageRoutes() {
	s.handle("GET /admin/directory", s.directoryPage)
	s.handle("GET /admin/directory/new", s.newContactPage)
	s.handle("POST /admin/directory", s.createContactPage)
	s.handle("GET /admin/directory/{id}", s.contactPage)
	s.handle("POST /admin/directory/{id}", s.updateContactPage)
}

// StaleContact is what the change form says when someone else changed the
// entry after the form was shown.
const StaleContact = "Someone else changed this entry while you were working on it. Check what it says now, then save your changes again if they are still needed"

// pathwayRoleHints say what each role does in the pathway, under its
// checkbox.
var pathwayRoleHints = map[lantern.PathwayRole]string{
	lantern.PathwayFrontDoor:      "Takes referrals: where concerns about a child come in.",
	lantern.PathwayDiaryManager:   "Arranges CSE strategy meetings.",
	lantern.PathwayPoliceUnit:     "Invited to every CSE strategy meeting, and sent the toolkit.",
	lantern.PathwayPoliceIntel:    "Receives the information-sharing form.",
	lantern.PathwayCSECoordinator: "Sent the completed toolkit after the meeting.",
	lantern.PathwayIROManager:     "Sent the completed toolkit after the meeting.",
	lantern.PathwayChair:          "Chairs conferences.",
	lantern.PathwayProfessional:   "Another professional who may be invited to meetings.",
}

// roleOption is one checkbox of the roles.
type roleOption struct {
	Value, Label, Hint, ID string
}

func pathwayRoleOptions() []roleOption {
	opts := make([]roleOption, 0, len(lantern.PathwayRoles))
	for i, r := range lantern.PathwayRoles {
		// The first checkbox has the group's id, for the error summary's link.
		id := "roles"
		if i > 0 {
			id = "roles-" + string(r)
		}
		opts = append(opts, roleOption{Value: string(r), Label: r.Label(), Hint: pathwayRoleHints[r], ID: id})
	}
	return opts
}

// agencyContacts are one agency's entries, for a table of their own.
type agencyContacts struct {
	Name     string
	Contacts []*lantern.Contact
}

func groupByAgency(cs []*lantern.Contact) []agencyContacts {
	var gs []agencyContacts
	for _, c := range cs {
		if n := len(gs); n == 0 || gs[n-1].Name != c.AgencyName {
			gs = append(gs, agencyContacts{Name: c.AgencyName})
		}
		gs[len(gs)-1].Contacts = append(gs[len(gs)-1].Contacts, c)
	}
	return gs
}

// directoryView is the directory's entries, a table for each agency.
type directoryView struct {
	Agencies []agencyContacts
	Inactive bool // inactive entries are shown too
}

func (s *Server) directoryPage(w http.ResponseWriter, r *http.Request) {
	inactive := r.URL.Query().Get("inactive") == "1"
	cs, err := s.st.Contacts(r.Context(), inactive)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Directory")
	p.Nav = "admin"
	switch r.URL.Query().Get("done") {
	case "added":
		p.Notice = "The directory entry has been added"
	case "saved":
		p.Notice = "The directory entry has been saved"
	}
	p.Data = directoryView{Agencies: groupByAgency(cs), Inactive: inactive}
	s.render(w, r, http.StatusOK, "directory", p)
}

// directoryFormView is the form adding or changing a directory entry.
type directoryFormView struct {
	Agencies []*lantern.Agency
	Roles    []roleOption
	Contact  *lantern.Contact // nil when adding
	Current  *lantern.Contact // after a conflict, what the entry says now
}

// contactFormPage shows the form to add an entry (c nil) or change c;
// current, after a conflict, is what the entry says now.
func (s *Server) contactFormPage(w http.ResponseWriter, r *http.Request, status int, p *page, c, current *lantern.Contact) {
	as, err := s.st.Agencies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Nav = "admin"
	p.Data = directoryFormView{Agencies: as, Roles: pathwayRoleOptions(), Contact: c, Current: current}
	s.render(w, r, status, "directory_form", p)
}

func contactFormValues(c *lantern.Contact) map[string]string {
	m := map[string]string{"agency_id": c.AgencyID, "team": c.Team, "name": c.Name, "email": c.Email, "phone": c.Phone,
		"version": strconv.Itoa(c.Version)}
	for _, r := range c.Roles {
		m["role-"+string(r)] = "on"
	}
	if c.Active {
		m["active"] = "on"
	}
	return m
}

// contactFormMap keeps what was sent, to show the form again.
func contactFormMap(form url.Values) map[string]string {
	m := formMap(form)
	delete(m, "roles")
	for _, r := range form["roles"] {
		m["role-"+r] = "on"
	}
	return m
}

func contactInput(form url.Values) lantern.ContactInput {
	in := lantern.ContactInput{AgencyID: form.Get("agency_id"), Team: form.Get("team"), Name: form.Get("name"), Email: form.Get("email"),
		Phone: form.Get("phone"), Active: form.Get("active") == "on"}
	for _, r := range form["roles"] {
		in.Roles = append(in.Roles, lantern.PathwayRole(r))
	}
	return in
}

func (s *Server) newContactPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Add a directory entry")
	p.Form = map[string]string{"active": "on"}
	s.contactFormPage(w, r, http.StatusOK, p, nil, nil)
}

func (s *Server) createContactPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	_, err = s.st.CreateContact(r.Context(), contactInput(form))
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/admin/directory?done=added")
	case lantern.EINVALID:
		p := s.newPage(r, "Add a directory entry")
		p.Form = contactFormMap(form)
		p.Errors = lantern.ErrorFields(err)
		s.contactFormPage(w, r, http.StatusUnprocessableEntity, p, nil, nil)
	default:
		s.error(w, r, err)
	}
}

func (s *Server) contactPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.st.FindContact(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, c.Name)
	p.Form = contactFormValues(c)
	s.contactFormPage(w, r, http.StatusOK, p, c, nil)
}

func (s *Server) updateContactPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	version, _ := strconv.Atoi(form.Get("version"))
	_, err = s.st.UpdateContact(r.Context(), id, version, contactInput(form))
	code := lantern.ErrorCode(err)
	switch code {
	case "":
		redirect(w, r, "/admin/directory?done=saved")
		return
	case lantern.EINVALID, lantern.ECONFLICT:
	default:
		s.error(w, r, err)
		return
	}
	c, ferr := s.st.FindContact(r.Context(), id)
	if ferr != nil {
		s.error(w, r, ferr)
		return
	}
	p := s.newPage(r, c.Name)
	p.Form = contactFormMap(form)
	if code == lantern.EINVALID {
		// The version was current when checked: keep the one sent.
		p.Errors = lantern.ErrorFields(err)
		s.contactFormPage(w, r, http.StatusUnprocessableEntity, p, c, nil)
		return
	}
	// A conflict: what was sent is kept, with the entry as it is now beside
	// it; saving again is a deliberate choice to replace it.
	p.Form["version"] = strconv.Itoa(c.Version)
	p.Errors = []lantern.FieldError{{Field: "current", Message: StaleContact}}
	s.contactFormPage(w, r, http.StatusConflict, p, c, c)
}
