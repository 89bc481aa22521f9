package web

import (
	"net/http"

	"lantern"
	"lantern/store"
	"lantern/toolkit"
)

// The partnership's figures on meetings: CSE strategy meetings held, by
// month and quarter, meetings of every kind, and how their actions went.
// Counts only: no child is named.

func (s *Server) meetingFiguresPageRoutes() {
	s.handle("GET /reports/meetings", s.meetingFiguresPage)
}

// labelledCount is a row of a table of counts.
type labelledCount struct {
	Label string
	N     int
}

// meetingPeriod is the period the figures are for: the dates asked for,
// or, when neither is given, the 12 months ending today.
func (s *Server) meetingPeriod(r *http.Request) (from, to lantern.Date, err error) {
	q := r.URL.Query()
	if q.Get("from") == "" && q.Get("to") == "" {
		today := lantern.Today(s.stNow())
		return lantern.DateOf(today.Time().AddDate(-1, 0, 1)), today, nil
	}
	return s.period(r)
}

// meetingFiguresView is the partnership's figures on meetings; no Figures
// when the period asked for is not right.
type meetingFiguresView struct {
	Figures  *store.MeetingFigures
	From, To lantern.Date
	Levels   []labelledCount // children by their latest level
	Kinds    []labelledCount // meetings held by kind
	Quarters []store.MeetingPeriod
}

func (s *Server) meetingFiguresPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Meetings")
	p.Nav = "reports"
	p.Form = map[string]string{"from": r.URL.Query().Get("from"), "to": r.URL.Query().Get("to")}
	from, to, err := s.meetingPeriod(r)
	if err != nil {
		p.Errors = lantern.ErrorFields(err)
		p.Data = meetingFiguresView{}
		s.render(w, r, http.StatusUnprocessableEntity, "meeting_figures", p)
		return
	}
	f, err := s.st.ReportMeetingFigures(r.Context(), from, to)
	if lantern.ErrorCode(err) == lantern.EINVALID {
		p.Errors = lantern.ErrorFields(err)
		p.Data = meetingFiguresView{}
		s.render(w, r, http.StatusUnprocessableEntity, "meeting_figures", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	levels := make([]labelledCount, 0, len(lantern.MeetingLevels))
	for _, l := range lantern.MeetingLevels {
		levels = append(levels, labelledCount{toolkit.Level(l).Label(), f.Report.ByLevel[l]})
	}
	kinds := make([]labelledCount, 0, len(lantern.MeetingKinds))
	for _, k := range lantern.MeetingKinds {
		kinds = append(kinds, labelledCount{k.Label(), f.ByKind[string(k)]})
	}
	p.Data = meetingFiguresView{Figures: f, From: from, To: to, Levels: levels, Kinds: kinds, Quarters: f.ByQuarter}
	s.render(w, r, http.StatusOK, "meeting_figures", p)
}
