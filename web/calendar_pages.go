package web

import (
	"io"
	"net/http"
	"strconv"

	"lantern"
	"lantern/clocks"
	"lantern/store"
)

func (s *Server) calendarRoutes() {
	s.handle("GET /admin/calendar", s.calendarPage)
	s.handle("POST /admin/calendar/closures", s.addClosurePage)
	s.handle("POST /admin/calendar/closures/{day}/remove", s.removeClosurePage)
	s.handle("POST /admin/calendar/bank-holidays", s.loadHolidaysPage)
}

type holidayRow struct {
	Date lantern.Date
	Name string
}

// calendarView is the working-days page: the region whose bank holidays
// count, the days off in the coming year, and the area's closure days.
type calendarView struct {
	Region   string
	Upcoming []holidayRow
	Closures []store.ClosureDay
	Profile  clocks.Profile
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) {
	s.renderCalendar(w, r, http.StatusOK, s.newPage(r, "Working days"))
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, st int, p *page) {
	ctx := r.Context()
	cal, err := s.st.Calendar(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	closures, err := s.st.ClosureDays(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// The coming year's days off, as the clocks will count them.
	var upcoming []holidayRow
	today := lantern.Today(s.stNow())
	for t := today.Time(); t.Before(today.Time().AddDate(1, 0, 0)); t = t.AddDate(0, 0, 1) {
		if name, ok := cal.Holiday(lantern.DateOf(t)); ok {
			upcoming = append(upcoming, holidayRow{lantern.DateOf(t), name})
		}
	}
	p.Nav = "admin"
	p.Data = calendarView{Region: s.st.CalendarRegion(), Upcoming: upcoming, Closures: closures, Profile: s.st.Profile()}
	s.render(w, r, st, "calendar", p)
}

func (s *Server) addClosurePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Working days")
	day, derr := lantern.ParseDate(form.Get("day"))
	if derr != nil {
		p.Form = formMap(form)
		p.Errors = []lantern.FieldError{{Field: "day", Message: "Enter the day as YYYY-MM-DD, for example 2026-12-31"}}
		s.renderCalendar(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err := s.st.AddClosureDay(r.Context(), day, form.Get("name")); lantern.ErrorCode(err) == lantern.EINVALID {
		p.Form = formMap(form)
		p.Errors = lantern.ErrorFields(err)
		s.renderCalendar(w, r, http.StatusUnprocessableEntity, p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	p.Notice = day.Format() + " is now a closure day: deadlines set from now on skip it"
	s.renderCalendar(w, r, http.StatusOK, p)
}

func (s *Server) removeClosurePage(w http.ResponseWriter, r *http.Request) {
	day, err := lantern.ParseDate(r.PathValue("day"))
	if err != nil {
		s.error(w, r, lantern.NotFound("Closure day"))
		return
	}
	if err := s.st.RemoveClosureDay(r.Context(), day); err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Working days")
	p.Notice = day.Format() + " is a working day again"
	s.renderCalendar(w, r, http.StatusOK, p)
}

func (s *Server) loadHolidaysPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Working days")
	var raw []byte
	if err := r.ParseMultipartForm(s.cfg.MaxBody); err == nil {
		if f, _, err := r.FormFile("file"); err == nil {
			defer f.Close()
			raw, _ = io.ReadAll(io.LimitReader(f, s.cfg.MaxBody))
		}
	}
	if len(raw) == 0 {
		p.Errors = []lantern.FieldError{{Field: "file", Message: "Choose the bank-holidays JSON file"}}
		s.renderCalendar(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	counts, err := s.st.LoadBankHolidays(r.Context(), raw)
	if lantern.ErrorCode(err) == lantern.EINVALID {
		p.Errors = lantern.ErrorFields(err)
		s.renderCalendar(w, r, http.StatusUnprocessableEntity, p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	p.Notice = "The bank holidays have been loaded for " + plural(len(counts), "region", "regions") + " (" + s.stNow().In(lantern.London).Format("2 January 2006") + ")"
	s.renderCalendar(w, r, http.StatusOK, p)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
