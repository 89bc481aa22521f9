package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"lantern"
)

// The strategy action plan's pages (docs/strategy.md): the plan by strand,
// an action with its notes and the form rating it, the forms writing an
// action, and the board view.

func (s *Server) strategyPageRoutes() {
	s.handle("GET /strategy", s.strategyPage)
	s.handle("GET /strategy/board", s.strategyBoardPage)
	s.handle("POST /strategy/board", s.recordBoardPage)
	s.handle("GET /strategy/strands/new", s.strandFormPage)
	s.handle("POST /strategy/strands", s.saveStrandPage)
	s.handle("GET /strategy/strands/{strandid}/edit", s.strandFormPage)
	s.handle("POST /strategy/strands/{strandid}", s.saveStrandPage)
	s.handle("GET /strategy/actions/new", s.planActionFormPage)
	s.handle("POST /strategy/actions", s.savePlanActionPage)
	s.handle("GET /strategy/actions/{actid}", s.planActionPage)
	s.handle("GET /strategy/actions/{actid}/edit", s.planActionFormPage)
	s.handle("POST /strategy/actions/{actid}", s.savePlanActionPage)
	s.handle("POST /strategy/actions/{actid}/notes", s.addProgressNotePage)
	s.registerPageRoutes()
}

// strategyView is the plan by strand.
type strategyView struct {
	Strands   []*lantern.Strand
	Today     lantern.Date
	CanChange bool
}

func (s *Server) strategyPage(w http.ResponseWriter, r *http.Request) {
	l, err := s.st.Strands(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "The strategy action plan")
	p.Nav = "strategy"
	switch r.URL.Query().Get("done") {
	case "saved":
		p.Notice = "The action has been saved"
	case "strand":
		p.Notice = "The strand has been saved"
	}
	p.Data = strategyView{Strands: l, Today: lantern.Today(s.stNow()), CanChange: lantern.Allowed(p.User, lantern.ResStrategy, lantern.ActChange, lantern.RelArea)}
	s.render(w, r, http.StatusOK, "strategy", p)
}

// planActionView is an action with its notes, and the form rating it.
type planActionView struct {
	Action    *lantern.PlanAction
	Strand    *lantern.Strand
	Today     lantern.Date
	CanChange bool
	RAGs      []lantern.PlanRAG
}

func (s *Server) planActionPage(w http.ResponseWriter, r *http.Request) {
	s.renderPlanAction(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderPlanAction(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	ctx := r.Context()
	a, err := s.st.PlanAction(ctx, r.PathValue("actid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	strands, err := s.st.Strands(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := planActionView{Action: a, Today: lantern.Today(s.stNow()), RAGs: lantern.PlanRAGs}
	for _, st := range strands {
		if st.ID == a.StrandID {
			v.Strand = st
		}
	}
	p := s.newPage(r, "Action "+a.Reference)
	p.Nav = "strategy"
	v.CanChange = lantern.Allowed(p.User, lantern.ResStrategy, lantern.ActChange, lantern.RelArea)
	if form == nil {
		// The form starts from the action's rating as it is.
		form = map[string]string{"on": v.Today.String(), "rag": string(a.RAG), "rationale": a.Rationale}
	}
	form["version"] = strconv.Itoa(a.Version)
	p.Form, p.Errors = form, errs
	switch r.URL.Query().Get("done") {
	case "noted":
		p.Notice = "The progress note has been recorded"
	case "saved":
		p.Notice = "The action has been saved"
	}
	p.Data = v
	s.render(w, r, status, "strategy_action", p)
}

func (s *Server) addProgressNotePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("actid")
	in := lantern.NoteInput{Text: form.Get("text"), RAG: lantern.PlanRAG(form.Get("rag")), Rationale: form.Get("rationale"),
		OverrideReason: form.Get("override_reason")}
	var p lantern.Problems
	if v := strings.TrimSpace(form.Get("on")); v != "" {
		if in.On, err = lantern.ParseDate(v); err != nil {
			p.Add("on", "Enter the date as YYYY-MM-DD")
		}
	}
	if in.Version, err = strconv.Atoi(form.Get("version")); err != nil {
		p.Add("text", "The form is out of date: open the action again")
	}
	if len(p) == 0 {
		_, err = s.st.AddProgressNote(r.Context(), id, in)
	} else {
		err = p.Err()
	}
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		s.renderPlanAction(w, r, http.StatusUnprocessableEntity, formMap(form), lantern.ErrorFields(err))
	case lantern.ErrorCode(err) == lantern.ECONFLICT:
		s.renderPlanAction(w, r, http.StatusConflict, formMap(form),
			[]lantern.FieldError{{Field: "text", Message: "Someone else added a note or changed this action while you were writing: read it again, then send your note"}})
	case err != nil:
		s.error(w, r, err)
	default:
		redirect(w, r, "/strategy/actions/"+id+"?done=noted")
	}
}

// strandFormView is the form writing a strand: a new one, or a change to
// the strand ID.
type strandFormView struct{ ID string }

func (s *Server) strandFormPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("strandid")
	form := map[string]string{}
	if id != "" {
		strands, err := s.st.Strands(r.Context())
		if err != nil {
			s.error(w, r, err)
			return
		}
		var st *lantern.Strand
		for _, x := range strands {
			if x.ID == id {
				st = x
			}
		}
		if st == nil {
			s.error(w, r, lantern.NotFound("Strand"))
			return
		}
		form = map[string]string{"number": strconv.Itoa(st.Number), "title": st.Title, "aim": st.Aim}
	}
	s.renderStrandForm(w, r, http.StatusOK, id, form, nil)
}

func (s *Server) renderStrandForm(w http.ResponseWriter, r *http.Request, status int, id string, form map[string]string, errs []lantern.FieldError) {
	title := "Add a strand to the plan"
	if id != "" {
		title = "Change strand " + form["number"]
	}
	s.renderForm(w, r, status, "strategy_strand_form", title, "strategy", form, errs, strandFormView{ID: id})
}

func (s *Server) saveStrandPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("strandid")
	in := lantern.StrandInput{Title: form.Get("title"), Aim: form.Get("aim")}
	var p lantern.Problems
	if in.Number, err = strconv.Atoi(strings.TrimSpace(form.Get("number"))); err != nil {
		p.Add("number", "Give the strand a number from 1 to 99")
	}
	if len(p) == 0 {
		_, err = s.st.SaveStrand(r.Context(), id, in)
	} else {
		err = p.Err()
	}
	s.afterForm(w, r, err, func(errs []lantern.FieldError) {
		s.renderStrandForm(w, r, http.StatusUnprocessableEntity, id, formMap(form), errs)
	}, "/strategy?done=strand")
}

// planActionFormView is the form writing an action.
type planActionFormView struct {
	ID      string
	Strands []*lantern.Strand
	Leads   []lantern.Person
}

func (s *Server) planActionFormPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("actid")
	form := map[string]string{"strand_id": r.URL.Query().Get("strand")}
	if id != "" {
		a, err := s.st.PlanAction(r.Context(), id)
		if err != nil {
			s.error(w, r, err)
			return
		}
		form = map[string]string{"strand_id": a.StrandID, "reference": a.Reference, "description": a.Description, "lead": a.Lead,
			"agency": a.Agency, "version": strconv.Itoa(a.Version)}
		if a.DueOn != nil {
			form["due_on"] = a.DueOn.String()
		}
	}
	s.renderPlanActionForm(w, r, http.StatusOK, id, form, nil)
}

func (s *Server) renderPlanActionForm(w http.ResponseWriter, r *http.Request, status int, id string, form map[string]string, errs []lantern.FieldError) {
	strands, err := s.st.Strands(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	leads, err := s.st.PlanLeads(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	title := "Add an action to the plan"
	if id != "" {
		title = "Change action " + form["reference"]
	}
	s.renderForm(w, r, status, "strategy_action_form", title, "strategy", form, errs, planActionFormView{ID: id, Strands: strands, Leads: leads})
}

// PlanActionForm reads the action form; a due date that does not read is
// named.
func PlanActionForm(form map[string][]string) (lantern.PlanActionInput, lantern.Problems) {
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	in := lantern.PlanActionInput{StrandID: get("strand_id"), Reference: get("reference"), Description: get("description"), Lead: get("lead"),
		Agency: get("agency")}
	var p lantern.Problems
	if v := strings.TrimSpace(get("due_on")); v != "" && !strings.EqualFold(v, "ongoing") {
		d, err := lantern.ParseDate(v)
		if err != nil {
			p.Add("due_on", "Enter the due date as YYYY-MM-DD, or leave it empty for an ongoing action")
		} else {
			in.DueOn = &d
		}
	}
	return in, p
}

func (s *Server) savePlanActionPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("actid")
	in, p := PlanActionForm(form)
	if id != "" {
		if in.Version, err = strconv.Atoi(form.Get("version")); err != nil {
			p.Add("reference", "The form is out of date: open the action again")
		}
	}
	var a *lantern.PlanAction
	if len(p) == 0 {
		a, err = s.st.SavePlanAction(r.Context(), id, in)
	} else {
		err = p.Err()
	}
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		s.renderPlanActionForm(w, r, http.StatusUnprocessableEntity, id, formMap(form), lantern.ErrorFields(err))
	case lantern.ErrorCode(err) == lantern.ECONFLICT:
		s.renderPlanActionForm(w, r, http.StatusConflict, id, formMap(form),
			[]lantern.FieldError{{Field: "reference", Message: "Someone else changed this action while you were writing: open it again"}})
	case err != nil:
		s.error(w, r, err)
	default:
		redirect(w, r, "/strategy/actions/"+a.ID+"?done=saved")
	}
}

// boardChart is the board view's stacked bars: one bar a strand, a segment
// a rating, each labelled with its words and count; the same numbers as the
// table beside it.
type boardChart struct {
	Width, Height int
	Bars          []boardBar
	Legend        []boardSegment
	Description   string
}

type boardBar struct {
	Y     int
	Label string
	// Summary is the bar in words, beside it.
	Summary  string
	Segments []boardSegment
}

type boardSegment struct {
	X, Width, TextX int
	Fill, Ink       string
	Label           string // "Amber: at risk"
	Count           int
	// Fits says the segment is wide enough to carry its count as text.
	Fits bool
}

const (
	boardLeft, boardBarW, boardBarH, boardGap, boardTop = 250, 420, 28, 22, 40
)

// ragFill is each rating's fill and its text's colour, as GOV.UK's tags
// have them (the text on each passes WCAG AA); the words carry the
// meaning.
var ragFill = map[lantern.PlanRAG][2]string{lantern.PlanBlue: {"#bbd4ea", "#0c2d4a"}, lantern.PlanGreen: {"#cce2d8", "#005a30"},
	lantern.PlanAmber: {"#fff7bf", "#594d00"}, lantern.PlanRed: {"#f4cdc6", "#2a0b06"}, lantern.PlanUnrated: {"#e5e6e7", "#282d30"}}

func newBoardChart(counts []lantern.StrandCount) *boardChart {
	order := append(append([]lantern.PlanRAG{}, lantern.PlanRAGs...), lantern.PlanUnrated)
	c := &boardChart{Width: 720, Height: boardTop + len(counts)*(boardBarH+boardGap) + 10}
	x := 0
	for _, rag := range order {
		c.Legend = append(c.Legend, boardSegment{X: x, Fill: ragFill[rag][0], Ink: ragFill[rag][1], Label: rag.Label()})
		x += 140
	}
	max := 1
	for _, sc := range counts {
		max = maxInt(max, sc.Total)
	}
	var desc []string
	for i, sc := range counts {
		b := boardBar{Y: boardTop + i*(boardBarH+boardGap), Label: fmt.Sprintf("%d. %s", sc.Strand.Number, sc.Strand.Title)}
		x := boardLeft
		var words []string
		for _, rag := range order {
			n := sc.Counts[rag]
			if rag == lantern.PlanUnrated {
				n = sc.NotRated
			}
			if n == 0 {
				continue
			}
			wd := n * boardBarW / max
			b.Segments = append(b.Segments, boardSegment{X: x, Width: wd, TextX: x + wd/2, Fill: ragFill[rag][0], Ink: ragFill[rag][1], Label: rag.Label(), Count: n, Fits: wd >= 24})
			x += wd
			words = append(words, fmt.Sprintf("%d %s", n, strings.ToLower(rag.Word())))
		}
		if len(words) == 0 {
			words = []string{"no actions"}
		}
		b.Summary = strings.Join(words, ", ")
		desc = append(desc, b.Label+": "+b.Summary)
		c.Bars = append(c.Bars, b)
	}
	c.Description = "Actions by rating in each strand. " + strings.Join(desc, "; ") + "."
	return c
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// boardPageView is the board view.
type boardPageView struct {
	View      *lantern.BoardView
	Chart     *boardChart
	RAGs      []lantern.PlanRAG
	CanChange bool
	Today     lantern.Date
}

func (s *Server) strategyBoardPage(w http.ResponseWriter, r *http.Request) {
	s.renderStrategyBoard(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderStrategyBoard(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	v, err := s.st.StrategyBoard(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "The action plan for the board")
	p.Nav = "strategy"
	today := lantern.Today(s.stNow())
	if form == nil {
		form = map[string]string{"held_on": today.String()}
	}
	p.Form, p.Errors = form, errs
	if r.URL.Query().Get("done") == "recorded" {
		p.Notice = "The board has been recorded: the next board's view shows what changed since"
	}
	p.Data = boardPageView{View: v, Chart: newBoardChart(v.Counts), RAGs: lantern.PlanRAGs, Today: today,
		CanChange: lantern.Allowed(p.User, lantern.ResStrategy, lantern.ActChange, lantern.RelArea)}
	s.render(w, r, status, "strategy_board", p)
}

func (s *Server) recordBoardPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	in := lantern.BoardInput{Title: form.Get("title")}
	var p lantern.Problems
	if v := strings.TrimSpace(form.Get("held_on")); v != "" {
		if in.HeldOn, err = lantern.ParseDate(v); err != nil {
			p.Add("held_on", "Enter the date as YYYY-MM-DD")
		}
	}
	if len(p) == 0 {
		_, err = s.st.RecordBoard(r.Context(), in)
	} else {
		err = p.Err()
	}
	s.afterForm(w, r, err, func(errs []lantern.FieldError) {
		s.renderStrategyBoard(w, r, http.StatusUnprocessableEntity, formMap(form), errs)
	}, "/strategy/board?done=recorded")
}

func init() {
	funcs["planRAG"] = func(s string) lantern.PlanRAG { return lantern.PlanRAG(s) }
	funcs["overdue"] = func(a *lantern.PlanAction, today lantern.Date) bool { return a.Overdue(today) }
	funcs["ragCount"] = func(c lantern.StrandCount, r lantern.PlanRAG) int { return c.Counts[r] }
}
