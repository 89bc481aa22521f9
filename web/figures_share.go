package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"lantern"
	fig "lantern/figures"
)

// Figures shared outside the area (docs/figures.md#shared-outputs): the
// data set for a period, protected by the area's profile (or a stricter
// one), recorded with exactly what was sent and its SHA-256. Exact figures
// never leave: internal is refused, and the refusal audited.

func (s *Server) figureShareRoutes() {
	s.handle("GET /reports/shared", s.figureSharesPage)
	s.handle("POST /reports/shared", s.figureShareForm)
	s.handle("GET /reports/shared/{fsid}", s.figureSharePage)
	s.handle("GET /reports/shared/{fsid}/dataset.csv", s.figureShareCSV)
	s.handle("GET /api/v1/reports/shared", s.apiFigureShares)
	s.handle("POST /api/v1/reports/shared", s.apiShareFigures)
	s.handle("GET /api/v1/reports/shared/{fsid}", s.apiFigureShare)
}

// shareProfile is the area's profile for figures shared outside it.
func (s *Server) shareProfile() fig.Profile {
	if s.cfg.ShareProfile == "" {
		return fig.DfE
	}
	return fig.Profile(s.cfg.ShareProfile)
}

// shareFigures computes the data set the request asks for under its
// profile (the area's when none is asked), writes it as CSV, and records
// the share, the rule checked against every share before it.
func (s *Server) shareFigures(ctx context.Context, q url.Values) (*lantern.FigureShare, error) {
	if strings.TrimSpace(q.Get("profile")) == "" {
		q.Set("profile", string(s.shareProfile()))
	}
	in := &lantern.FigureShare{Purpose: strings.TrimSpace(q.Get("purpose")), Recipient: q.Get("recipient")}
	v, err := s.datasetQuery(q)
	in.From, in.To, in.Area, in.Profile = v.From, v.To, v.Area, string(v.Profile)
	// Problems known before any table is computed (an exact one, asked
	// for, never is): refused through the store, which audits it.
	var p lantern.Problems
	p = append(p, lantern.ErrorFields(err)...)
	named := map[string]bool{}
	for _, f := range p {
		named[f.Field] = true
	}
	for _, f := range lantern.ErrorFields(fig.CheckShare(in, s.shareProfile(), nil)) {
		if !named[f.Field] { // a field already named once is enough
			p = append(p, f)
		}
	}
	if len(p) > 0 {
		_, err := s.st.ShareFigures(ctx, in, func([]*lantern.FigureShare) error { return p.Err() })
		return nil, err
	}
	if v, err = s.datasetOf(ctx, q); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	writeCSVTo(&buf, datasetCSVHeader, tablesCSV(v.Tables))
	in.Output = buf.Bytes()
	return s.st.ShareFigures(ctx, in, func(earlier []*lantern.FigureShare) error {
		return fig.CheckShare(in, s.shareProfile(), earlier)
	})
}

// figureSharesView is the list of shares and the form for another.
type figureSharesView struct {
	Shares       []*lantern.FigureShare
	Purposes     []string
	Profiles     []fig.Profile
	AreaProfile  fig.Profile
	MayShare     bool
	PurposeLabel func(string) string
}

func (s *Server) figureSharesView(r *http.Request) (*figureSharesView, error) {
	list, err := s.st.FigureShares(r.Context())
	if err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(r.Context())
	return &figureSharesView{Shares: list, Purposes: lantern.FigureSharePurposes, Profiles: []fig.Profile{fig.DfE, fig.NHS, fig.ONS},
		AreaProfile: s.shareProfile(), MayShare: lantern.Allowed(u, lantern.ResFigureShare, lantern.ActCreate, lantern.RelArea),
		PurposeLabel: lantern.FigureSharePurposeLabel}, nil
}

func (s *Server) figureSharesPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.figureSharesView(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderForm(w, r, http.StatusOK, "figure_shares", "Figures shared outside the area", "reports",
		map[string]string{"profile": string(s.shareProfile())}, nil, v)
}

func (s *Server) figureShareForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, lantern.Errorf(lantern.EINVALID, "The form could not be read"))
		return
	}
	sh, err := s.shareFigures(r.Context(), r.PostForm)
	to := ""
	if sh != nil {
		to = "/reports/shared/" + sh.ID
	}
	s.afterForm(w, r, err, func(errs []lantern.FieldError) {
		v, verr := s.figureSharesView(r)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		form := map[string]string{}
		for _, k := range []string{"from", "to", "area", "profile", "purpose", "recipient"} {
			form[k] = r.PostForm.Get(k)
		}
		s.renderForm(w, r, http.StatusUnprocessableEntity, "figure_shares", "Figures shared outside the area", "reports", form, errs, v)
	}, to)
}

// figureShareView is one share: the record and the tables sent, read back
// from the bytes kept: as tables when the bytes are the data set's CSV (a
// cell a line), else as the lines they are.
type figureShareView struct {
	Share        *lantern.FigureShare
	Tables       []sentTable
	Rows         [][]string
	PurposeLabel string
}

// sentTable is one table of a share, as sent.
type sentTable struct {
	ID, Title string
	Columns   []string
	Rows      []sentRow
}

type sentRow struct {
	Label string
	Cells []string
}

// datasetTitles are the data set's tables' titles by id, from the tables
// themselves, made once.
var datasetTitles = sync.OnceValue(func() map[string]string {
	titles := map[string]string{}
	day := lantern.Date{Year: 2000, Month: 1, Day: 1}
	for _, t := range fig.Dataset(fig.Facts{}, day, day, 0) {
		titles[t.ID] = t.Title
	}
	return titles
})

// sentTables groups the data set's CSV (table, row, column, value; the
// header first) back into its tables, in the order sent, each titled as
// the data set titles it; false when rows are not of that shape. A row
// ends where its label changes or a column comes again: two places of one
// name are two rows of the hotspots.
func sentTables(rows [][]string) ([]sentTable, bool) {
	if len(rows) == 0 || !slices.Equal(rows[0], datasetCSVHeader) {
		return nil, false
	}
	var out []sentTable
	var cells []map[string]string // each row's, in the last table
	finish := func() {
		if len(out) == 0 {
			return
		}
		t := &out[len(out)-1]
		for j := range t.Rows {
			for _, c := range t.Columns {
				t.Rows[j].Cells = append(t.Rows[j].Cells, cells[j][c])
			}
		}
	}
	for _, r := range rows[1:] {
		if len(r) != 4 {
			return nil, false
		}
		if len(out) == 0 || out[len(out)-1].ID != r[0] {
			finish()
			out, cells = append(out, sentTable{ID: r[0], Title: cmp.Or(datasetTitles()[r[0]], r[0])}), nil
		}
		t := &out[len(out)-1]
		if !slices.Contains(t.Columns, r[2]) {
			t.Columns = append(t.Columns, r[2])
		}
		if n := len(t.Rows); n == 0 || t.Rows[n-1].Label != r[1] || hasKey(cells[n-1], r[2]) {
			t.Rows, cells = append(t.Rows, sentRow{Label: r[1]}), append(cells, map[string]string{})
		}
		cells[len(cells)-1][r[2]] = r[3]
	}
	finish()
	return out, true
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

func (s *Server) figureSharePage(w http.ResponseWriter, r *http.Request) {
	sh, err := s.st.FigureShare(r.Context(), r.PathValue("fsid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Figures shared on "+sh.CreatedAt.In(lantern.London).Format("2 January 2006"))
	p.Nav = "reports"
	v := &figureShareView{Share: sh, Rows: readCSVRows(sh.Output), PurposeLabel: lantern.FigureSharePurposeLabel(sh.Purpose)}
	if ts, ok := sentTables(v.Rows); ok {
		v.Tables, v.Rows = ts, nil
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "figure_share", p)
}

// figureShareCSV is exactly what was sent: its SHA-256 is the record's.
func (s *Server) figureShareCSV(w http.ResponseWriter, r *http.Request) {
	sh, err := s.st.FigureShare(r.Context(), r.PathValue("fsid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="shared-`+sh.From.String()+"-"+sh.To.String()+"-"+sh.Profile+`.csv"`)
	w.Header().Set("Digest", "sha-256="+sh.SHA256)
	w.Write(sh.Output)
}

// FigureShareRequest is the body of POST /api/v1/reports/shared.
type FigureShareRequest struct {
	From      string  `json:"from"`
	To        string  `json:"to"`
	Area      *string `json:"area"`
	Profile   string  `json:"profile"`
	Purpose   string  `json:"purpose"`
	Recipient string  `json:"recipient"`
}

func (s *Server) apiShareFigures(w http.ResponseWriter, r *http.Request) {
	var req FigureShareRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	q := url.Values{"from": {req.From}, "to": {req.To}, "profile": {req.Profile}, "purpose": {req.Purpose}, "recipient": {req.Recipient}}
	if req.Area != nil {
		q.Set("area", *req.Area)
	}
	sh, err := s.shareFigures(r.Context(), q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, figureShareAnswer(sh))
}

// FigureShareAnswer is a share in the API: the record, and what was sent
// as the tables it holds.
type FigureShareAnswer struct {
	*lantern.FigureShare
	Output string `json:"output,omitempty"`
}

func figureShareAnswer(sh *lantern.FigureShare) FigureShareAnswer {
	return FigureShareAnswer{FigureShare: sh, Output: string(sh.Output)}
}

func (s *Server) apiFigureShares(w http.ResponseWriter, r *http.Request) {
	list, err := s.st.FigureShares(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if list == nil {
		list = []*lantern.FigureShare{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"shares": list})
}

func (s *Server) apiFigureShare(w http.ResponseWriter, r *http.Request) {
	sh, err := s.st.FigureShare(r.Context(), r.PathValue("fsid"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, figureShareAnswer(sh))
}

// readCSVRows reads back CSV that Lantern wrote; nil if it does not read.
func readCSVRows(b []byte) [][]string {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil
	}
	return rows
}
