package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"lantern"
	"lantern/clocks"
	fig "lantern/figures"
	"lantern/store"
	"lantern/toolkit"
	"lantern/web/assets"
)

//go:embed templates
var templateFS embed.FS

var funcs = template.FuncMap{
	"asset":     assets.Path,
	"date":      func(d lantern.Date) string { return d.Format() },
	"datetime":  localTime,
	"isodate":   func(t time.Time) string { return t.In(lantern.London).Format(time.RFC3339) },
	"clockTime": func(t time.Time) string { return t.In(lantern.London).Format("15:04") },
	"join":      strings.Join,
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"add":            func(a, b int) int { return a + b },
	"sub":            func(a, b int) int { return a - b },
	"genders":        func() []string { return lantern.Genders },
	"genderLabel":    lantern.GenderLabel,
	"levelLabel":     func(l toolkit.Level) string { return l.Label() },
	"asLevel":        func(s string) toolkit.Level { return toolkit.Level(s) },
	"plural":         plural,
	"list":           func(vs ...string) []string { return vs },
	"levelTag":       levelTag,
	"levelOf":        func(l *string) toolkit.Level { return toolkit.Level(*l) },
	"derefDate":      func(d *lantern.Date) lantern.Date { return *d },
	"ethnicityLabel": lantern.EthnicityLabel,
	"stepLabel":      func(st lantern.ConcernStep) string { return st.Label() },
	"late":           func(t *lantern.Task, now time.Time) bool { return t.Late(now) },
	"clockLabel":     clockLabel,
	"indicatorText": func(def *toolkit.Definition, id string) string {
		if id == toolkit.Under13 {
			return "Under 13 years of age (from the date of birth)"
		}
		if ind := def.Indicator(id); ind != nil {
			return ind.Text
		}
		return id
	},
	"bandOf": func(def *toolkit.Definition, id string) string {
		if ind := def.Indicator(id); ind != nil {
			return ind.Band
		}
		return ""
	},
	// percent prints a per cent held as a pointer (nil when there is none
	// to give) to one decimal, or a dash.
	"percent": func(p *float64) string {
		if p == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", *p)
	},
	"columnLabel": fig.ColumnLabel,
	// areaName names the area figures are of: every area (nil), the
	// deployment's own (""), or a code.
	"areaName": func(a *string) string {
		switch {
		case a == nil:
			return "Every area held"
		case *a == "":
			return "This area (the deployment's own)"
		}
		return *a
	},
	// describedBy is a form control's aria-describedby, naming its hint
	// (when it has one) and its error message (when there is one), as the
	// GOV.UK pattern has it: name-hint, name-error.
	"describedBy": func(p *page, name string, hint bool) template.HTMLAttr {
		var ids []string
		if hint {
			ids = append(ids, name+"-hint")
		}
		if p.ErrorFor(name) != "" {
			ids = append(ids, name+"-error")
		}
		if len(ids) == 0 {
			return ""
		}
		return template.HTMLAttr(` aria-describedby="` + template.HTMLEscapeString(strings.Join(ids, " ")) + `"`)
	},
	"roleLabel": func(r lantern.Role) string { return r.Label() },
	"kindLabel": func(k lantern.AgencyKind) string { return k.Label() },
	// mayRecordIntel: the caller records intelligence (the store checks the
	// child too).
	"mayRecordIntel": func(u *lantern.User) bool {
		return lantern.Allowed(u, lantern.ResIntel, lantern.ActCreate, lantern.RelArea)
	},
}

// parsePages parses the layout with each page, once, at start.
func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "partials") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// page is what every page's template receives.
type page struct {
	Title  string
	User   *lantern.User
	Demo   bool
	Nav    string // the section of the navigation to mark as current
	Errors []lantern.FieldError
	// Notice is what was done, in a green success banner.
	Notice string
	// Warning is what was not done or needs doing, in GOV.UK's "Important"
	// notification banner: never green, which says all went well.
	Warning string
	Data    any
	Form    map[string]string
	// HideNav hides the signed-in navigation (sign-in pages).
	HideNav bool
	// SessionEnds is when a signed-in session ends if nothing more is done,
	// shown on every page (and warned of by app.js); SessionSeconds, in how
	// many seconds from this page.
	SessionEnds    time.Time
	SessionSeconds int
	// Path is this page's path (no query, which anyone can write), for a
	// form that comes back to it.
	Path string
}

// ErrorFor returns the message for a field, for inline errors.
func (p *page) ErrorFor(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// Val returns a form value to show again.
func (p *page) Val(field string) string { return p.Form[field] }

// Heading is the page's title for its h1: "Error: " belongs in the
// browser's title alone, as the GOV.UK pattern says.
func (p *page) Heading() string { return strings.TrimPrefix(p.Title, "Error: ") }

// navigation names the areas the navigation links to, by the policy's
// resource and action for each: a link is shown to those who may.
var navigation = map[string][2]string{
	"children":     {string(lantern.ResChild), string(lantern.ActList)},
	"create-child": {string(lantern.ResChild), string(lantern.ActCreate)},
	"admin":        {string(lantern.ResUser), string(lantern.ActRead)},
	"audit":        {string(lantern.ResAudit), string(lantern.ActRead)},
	"team":         {string(lantern.ResTeam), string(lantern.ActRead)},
	"figures":      {string(lantern.ResFigures), string(lantern.ActRead)},
	"extracts":     {string(lantern.ResExtract), string(lantern.ActRead)},
	"front-door":   {string(lantern.ResFrontDoor), string(lantern.ActList)},
	"requests":     {string(lantern.ResInfoRequest), string(lantern.ActList)},
	"intelligence": {string(lantern.ResIntel), string(lantern.ActRead)},
	"break-glass":  {string(lantern.ResBreakGlass), string(lantern.ActList)},
	"agreements":   {string(lantern.ResAgreement), string(lantern.ActList)},
	"shares":       {string(lantern.ResShare), string(lantern.ActList)},
	"strategy":     {string(lantern.ResStrategy), string(lantern.ActRead)},
}

// Can reports whether the user may reach an area, for the navigation.
func (p *page) Can(what string) bool {
	ra, ok := navigation[what]
	return ok && lantern.Allowed(p.User, lantern.Resource(ra[0]), lantern.Action(ra[1]), lantern.RelArea)
}

func (s *Server) newPage(r *http.Request, title string) *page {
	p := &page{Title: title, User: lantern.UserFromContext(r.Context()), Demo: s.cfg.Demo, Path: localPath(r.URL.Path)}
	if si := sessionFrom(r.Context()); si != nil && si.sess.Stage == store.StageSignedIn && !isAPI(r) {
		now := s.stNow()
		p.SessionEnds = sessionEnds(now)
		p.SessionSeconds = int(p.SessionEnds.Sub(now).Seconds())
	}
	return p
}

// render writes a page; the whole page is rendered before anything is sent,
// so a template error is a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "Sorry, there is a problem with the service", http.StatusInternalServerError)
		return
	}
	if len(p.Errors) > 0 && !strings.HasPrefix(p.Title, "Error: ") {
		p.Title = "Error: " + p.Title
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "Sorry, there is a problem with the service", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	retryAfter(w, status)
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// errorView is what the error page shows: the status, which chooses the
// words, and the error's message for the person.
type errorView struct {
	Status  int
	Message string
	// BreakGlass is the page breaking the glass on the child the missing
	// page names, for someone who may break it: offered whether or not the
	// record exists or is sealed, so that it reveals nothing.
	BreakGlass string
}

// errorPage shows an error to a person, saying nothing of its cause.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, st int, err error) {
	p := s.newPage(r, "")
	v := errorView{Status: st, Message: lantern.ErrorMessage(err)}
	if id, ok := strings.CutPrefix(r.URL.Path, "/children/"); ok && st == http.StatusNotFound && r.Method == http.MethodGet && id != "" && !strings.Contains(id, "/") &&
		(lantern.Allowed(p.User, lantern.ResBreakGlass, lantern.ActCreate, lantern.RelOther) || lantern.Allowed(p.User, lantern.ResBreakGlass, lantern.ActCreate, lantern.RelInvolved)) {
		v.BreakGlass = "/children/" + url.PathEscape(id) + "/break-glass"
	}
	p.Data = v
	switch st {
	case http.StatusNotFound:
		p.Title = "Page not found"
	case http.StatusForbidden:
		p.Title = "You cannot do that"
	case http.StatusUnauthorized:
		p.Title = "Sign in to continue"
	case http.StatusTooManyRequests:
		p.Title = "Too many attempts"
	case http.StatusServiceUnavailable:
		p.Title = "Lantern is busy"
	case http.StatusRequestEntityTooLarge:
		p.Title = "What you sent is too large"
	case http.StatusBadRequest:
		p.Title = "There is a problem with the request"
	case http.StatusConflict:
		p.Title = "Someone else changed this"
	default:
		p.Title = "Sorry, there is a problem with the service"
	}
	// An error page names nothing of what was asked for: "Stay signed in"
	// comes back home, so that a hidden record's page is the same as none's.
	p.Path = "/"
	s.render(w, r, st, "error", p)
}

// levelTag is the GOV.UK tag colour for a level.
func levelTag(l toolkit.Level) string {
	switch l {
	case toolkit.High:
		return "govuk-tag--red"
	case toolkit.Medium:
		return "govuk-tag--orange"
	case toolkit.Emerging:
		return "govuk-tag--yellow"
	case toolkit.Vulnerable:
		return "govuk-tag--blue"
	}
	return "govuk-tag--grey"
}

// clockLabel names a clock's task in words.
func clockLabel(id string) string { return clocks.Label(id) }
