package web

// A child's chronology page (docs/api.md#chronology): every event on the
// record that the viewer may read, newest first, filtered by kind with a
// form of checkboxes that works without JavaScript, and printable (the
// print stylesheet in app.css hides the navigation and the filter).

import (
	"context"
	"net/http"
	"slices"
	"time"

	"lantern"
)

func (s *Server) chronologyPageRoutes() {
	s.handle("GET /children/{id}/chronology", s.chronologyPage)
}

// chronologyRow is one event as the page shows it.
type chronologyRow struct {
	When, ISO, Kind, Summary, Link, ByAgency string
}

// chronologyKindOption is a checkbox of the filter.
type chronologyKindOption struct {
	Value, Label string
	Checked      bool
}

// chronologyView is a child's chronology page.
type chronologyView struct {
	Child    *lantern.Child
	Rows     []chronologyRow
	Kinds    []chronologyKindOption
	Filtered bool
	// Printed is when the page was made, for the printed copy.
	Printed string
}

func (s *Server) chronologyPage(w http.ResponseWriter, r *http.Request) {
	f, ferr := lantern.ParseChronologyKinds(r.URL.Query()["kind"])
	var c *lantern.Child
	var items []lantern.ChronologyItem
	err := s.st.ReadTogether(r.Context(), func(ctx context.Context) error {
		var err error
		if c, err = s.st.FindChildByID(ctx, r.PathValue("id")); err != nil || ferr != nil {
			return err
		}
		items, err = s.st.Chronology(ctx, c.ID, f)
		return err
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Chronology for "+c.FullName())
	p.Nav = "children"
	status := http.StatusOK
	if ferr != nil {
		status, p.Errors = http.StatusUnprocessableEntity, lantern.ErrorFields(ferr)
	}
	v := chronologyView{Child: c, Rows: make([]chronologyRow, len(items)), Filtered: len(f) > 0,
		Printed: localTime(s.stNow())}
	for i, it := range items {
		when := localTime(it.At)
		if it.DateOnly {
			when = lantern.DateOf(it.At.In(lantern.London)).Format()
		}
		v.Rows[i] = chronologyRow{When: when, ISO: it.At.In(lantern.London).Format(time.RFC3339), Kind: it.Kind.Label(),
			Summary: it.Summary, Link: it.Link, ByAgency: it.ByAgency}
	}
	for _, k := range lantern.ChronologyKinds {
		v.Kinds = append(v.Kinds, chronologyKindOption{Value: string(k), Label: k.Label(), Checked: slices.Contains(f, k)})
	}
	p.Data = v
	s.render(w, r, status, "chronology", p)
}
