package web

import (
	"net/http"
	"strconv"
	"time"

	"lantern"
	"lantern/clocks"
	"lantern/store"
)

func (s *Server) workRoutes() {
	s.handle("GET /work", s.myWorkPage)
	s.handle("GET /work/team", s.teamPage)
	s.handle("GET /reports/timeliness", s.timelinessPage)
	s.handle("GET /api/v1/work", s.apiMyWork)
	s.handle("GET /api/v1/work/team", s.apiTeam)
	s.handle("GET /api/v1/reports/timeliness", s.apiTimeliness)
	s.taskRoutes()
}

// workBuckets sorts a worker's open tasks into late, due today, due within
// the week, and later.
type workBuckets struct {
	Late, Today, Week, Later []*store.WorkItem
}

func bucket(ws []*store.WorkItem, now time.Time) workBuckets {
	var b workBuckets
	today := lantern.Today(now)
	week := lantern.DateOf(today.Time().AddDate(0, 0, 7))
	for _, w := range ws {
		switch {
		case w.Late(now):
			b.Late = append(b.Late, w)
		case w.DueDate == today:
			b.Today = append(b.Today, w)
		case !w.DueDate.After(week):
			b.Week = append(b.Week, w)
		default:
			b.Later = append(b.Later, w)
		}
	}
	return b
}

// workView is the signed-in worker's open tasks, by when they are due.
type workView struct {
	B     workBuckets
	Now   time.Time
	Count int // open tasks in all
}

func (s *Server) myWorkPage(w http.ResponseWriter, r *http.Request) {
	ws, err := s.st.MyWork(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.stNow()
	p := s.newPage(r, "Your work")
	p.Nav = "work"
	p.Data = workView{B: bucket(ws, now), Now: now, Count: len(ws)}
	s.render(w, r, http.StatusOK, "work", p)
}

const teamPerPage = 100

// teamView is a manager's view of the team's work: each worker's load,
// flagged conferences, and a page of late and due tasks, for everyone or
// one worker.
type teamView struct {
	Loads   []*store.WorkerLoad
	Totals  store.WorkerLoad
	Flagged []store.FlaggedConference
	Items   []*store.WorkItem
	Now     time.Time
	// Worker is the id of the worker chosen, if any, and WorkerName their
	// name.
	Worker, WorkerName string
	Page               int
	More               bool // there is a next page
	// CanAllocate says the manager may allocate children's social workers
	// (each task's child links to its allocation); CanReview, review
	// possible duplicate records.
	CanAllocate, CanReview bool
}

func (s *Server) teamPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.stNow()
	loads, err := s.st.TeamLoad(ctx, now)
	if err != nil {
		s.error(w, r, err)
		return
	}
	flagged, err := s.st.FlaggedConferences(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	worker := r.URL.Query().Get("worker")
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pageNo = max(pageNo, 1)
	items, err := s.st.TeamTasks(ctx, now, worker, teamPerPage+1, (pageNo-1)*teamPerPage)
	if err != nil {
		s.error(w, r, err)
		return
	}
	more := len(items) > teamPerPage
	if more {
		items = items[:teamPerPage]
	}
	workerName := ""
	totals := store.WorkerLoad{}
	for _, l := range loads {
		totals.Late += l.Late
		totals.DueToday += l.DueToday
		totals.DueThisWeek += l.DueThisWeek
		totals.Open += l.Open
		if l.AssigneeID == worker {
			workerName = l.AssigneeName
		}
	}
	p := s.newPage(r, "Your team's work")
	p.Nav = "work"
	if r.URL.Query().Get("done") == "allocated" {
		p.Notice = "The child's social worker has been allocated"
	}
	p.Data = teamView{Loads: loads, Totals: totals, Flagged: flagged, Items: items, Now: now, Worker: worker, WorkerName: workerName,
		Page: pageNo, More: more, CanAllocate: lantern.Allowed(p.User, lantern.ResChild, lantern.ActAllocate, lantern.RelOther),
		CanReview: lantern.Allowed(p.User, lantern.ResDuplicate, lantern.ActList, lantern.RelArea)}
	s.render(w, r, http.StatusOK, "team", p)
}

// maxFiguresYears bounds a report's period.
const maxFiguresYears = 10

// period reads a from/to period, by default the last 90 days.
func (s *Server) period(r *http.Request) (from, to lantern.Date, err error) {
	var p lantern.Problems
	q := r.URL.Query()
	today := lantern.Today(s.stNow())
	from, to = lantern.DateOf(today.Time().AddDate(0, 0, -90)), today
	for _, f := range []struct {
		name string
		into *lantern.Date
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(f.name); v != "" {
			d, err := lantern.ParseDate(v)
			if err != nil {
				p.Add(f.name, f.name+" must be a date as YYYY-MM-DD")
				continue
			}
			*f.into = d
		}
	}
	// One end given: a period that ends on a given day starts 90 days
	// before it (not 90 days before today), and one that starts on a day
	// after today ends on it.
	switch hasFrom, hasTo := q.Get("from") != "", q.Get("to") != ""; {
	case len(p) > 0:
	case hasTo && !hasFrom:
		from = lantern.DateOf(to.Time().AddDate(0, 0, -90))
	case hasFrom && !hasTo && today.Before(from):
		to = from
	}
	if len(p) == 0 && to.Before(from) {
		p.Add("to", "The end of the period must be on or after its start")
	}
	// Every report counts by month or quarter over the period: bounded, so
	// a period of millennia cannot make one build a million rows.
	if len(p) == 0 && from.Time().AddDate(maxFiguresYears, 0, 0).Before(to.Time()) {
		p.Add("from", "The period must be 10 years or shorter")
	}
	return from, to, p.Err()
}

// timelinessView is the report of work done within timescale, by clock; no
// Rows when the period asked for is not right.
type timelinessView struct {
	Rows     []store.Timeliness
	From, To lantern.Date
	Profile  clocks.Profile
}

func (s *Server) timelinessPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Work within timescale")
	p.Nav = "reports"
	from, to, err := s.period(r)
	p.Form = map[string]string{"from": r.URL.Query().Get("from"), "to": r.URL.Query().Get("to")}
	if err != nil {
		p.Errors = lantern.ErrorFields(err)
		p.Data = timelinessView{}
		s.render(w, r, http.StatusUnprocessableEntity, "timeliness", p)
		return
	}
	rows, err := s.st.TimelinessReport(r.Context(), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Data = timelinessView{Rows: rows, From: from, To: to, Profile: s.st.Profile()}
	s.render(w, r, http.StatusOK, "timeliness", p)
}

// WorkResponse is GET /api/v1/work: the caller's open tasks by when they
// are due. The fields are in the order of their JSON names (as in
// ChildrenResponse), not of the buckets.
type WorkResponse struct {
	DueThisWeek []*store.WorkItem `json:"due_this_week"`
	DueToday    []*store.WorkItem `json:"due_today"`
	Late        []*store.WorkItem `json:"late"`
	Later       []*store.WorkItem `json:"later"`
}

func (s *Server) apiMyWork(w http.ResponseWriter, r *http.Request) {
	ws, err := s.st.MyWork(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.stNow()
	b := bucket(ws, now)
	orEmpty := func(x []*store.WorkItem) []*store.WorkItem {
		if x == nil {
			return []*store.WorkItem{}
		}
		return x
	}
	writeJSON(w, http.StatusOK, WorkResponse{DueThisWeek: orEmpty(b.Week), DueToday: orEmpty(b.Today), Late: orEmpty(b.Late), Later: orEmpty(b.Later)})
}

func (s *Server) apiTeam(w http.ResponseWriter, r *http.Request) {
	loads, err := s.st.TeamLoad(r.Context(), s.stNow())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if loads == nil {
		loads = []*store.WorkerLoad{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"workers": loads})
}

// TimelinessResponse is GET /api/v1/reports/timeliness: for each clock,
// how much of the work due in the period was done within timescale.
type TimelinessResponse struct {
	Clocks  []store.Timeliness `json:"clocks"`
	From    lantern.Date       `json:"from"`
	Profile string             `json:"profile"` // the timescale profile's id
	To      lantern.Date       `json:"to"`
}

func (s *Server) apiTimeliness(w http.ResponseWriter, r *http.Request) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := s.st.TimelinessReport(r.Context(), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if rows == nil {
		rows = []store.Timeliness{}
	}
	writeJSON(w, http.StatusOK, TimelinessResponse{Clocks: rows, From: from, Profile: s.st.Profile().ID, To: to})
}
