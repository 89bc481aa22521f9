package web

import (
	"encoding/csv"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lantern"
	"lantern/figures/ods"
	"lantern/toolkit"
)

// The children list, as JSON, as CSV and as a page (docs/api.md,
// "Children"): one filter read by lantern.ParseChildQuery, one store query.

// childCSVHeader names the CSV's columns, in order (docs/api.md).
var childCSVHeader = []string{"id", "given_name", "family_name", "date_of_birth", "age", "gender", "latest_level", "latest_level_on",
	"allocated_social_worker_id", "allocated_social_worker_name", "looked_after", "missing_now", "late_tasks"}

// maxChildCSV is the most rows the page's download gives: the list's
// pages, 100 at a time.
const maxChildCSV = 10000

// childCSVRecord is one row of the CSV.
func childCSVRecord(r *lantern.ChildRow) []string {
	level, on := "", ""
	if r.LatestLevel != nil {
		level, on = *r.LatestLevel, r.LatestLevelOn.String()
	}
	return []string{r.ID, r.GivenName, r.FamilyName, r.DateOfBirth.String(), strconv.Itoa(r.Age), r.Gender, level, on,
		r.AllocatedSocialWorkerID, r.AllocatedWorkerName, strconv.FormatBool(r.LookedAfter), strconv.FormatBool(r.MissingNow),
		strconv.Itoa(r.LateTasks)}
}

// csvCell neutralises a cell that a spreadsheet would take for a formula
// (one starting =, +, -, @, a tab or a carriage return) with a leading
// apostrophe, so that a name such as =HYPERLINK(...) is shown, not run.
// The rule is ods.Neutralise, shared with the spreadsheets, so that a
// cell reads the same in either.
func csvCell(v string) string { return ods.Neutralise(v) }

// writeCSV answers rows as an RFC 4180 CSV download, each cell neutralised.
func writeCSV(w http.ResponseWriter, filename string, header []string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.WriteHeader(http.StatusOK)
	writeCSVTo(w, header, rows)
}

// writeCSVTo writes CSV (RFC 4180, CRLF), every cell neutralised.
func writeCSVTo(w io.Writer, header []string, rows [][]string) {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	for _, rec := range append([][]string{header}, rows...) {
		out := make([]string, len(rec))
		for i, v := range rec {
			out[i] = csvCell(v)
		}
		cw.Write(out)
	}
	cw.Flush()
}

// wantsCSV reports whether the request's Accept header asks for CSV.
func wantsCSV(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "text/csv" {
			return true
		}
	}
	return false
}

func (s *Server) apiChildren(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var probs lantern.Problems
	f, err := lantern.ParseChildQuery(q)
	probs = append(probs, lantern.ErrorFields(err)...)
	limit, offset := 25, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			probs.Add("limit", "limit must be a whole number from 1 to 100")
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			probs.Add("offset", "offset must be a whole number, 0 or more")
		}
		offset = n
	}
	if err := probs.Err(); err != nil {
		s.error(w, r, err)
		return
	}
	f.Limit, f.Offset = limit, offset
	cs, total, err := s.st.FindChildren(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, len(cs))
		for i, c := range cs {
			rows[i] = childCSVRecord(c)
		}
		writeCSV(w, "children.csv", childCSVHeader, rows)
		return
	}
	if cs == nil {
		cs = []*lantern.ChildRow{}
	}
	writeJSON(w, http.StatusOK, ChildrenResponse{Children: cs, Limit: limit, Offset: offset, Total: total})
}

// childrenView is a page of the children list: the rows found, the filter
// form's choices and the links that keep the filters (sort headers, pages,
// the download).
type childrenView struct {
	Children []*lantern.ChildRow
	Total    int
	Page     int
	Q        string
	// The filters as chosen, to show again.
	Levels      []childLevelChoice
	LookedAfter bool
	MissingNow  bool
	Worker      string
	Workers     []lantern.Person
	Filtered    bool // any filter or search is set
	Headers     []sortHeader
	// PrevHref and NextHref are the pages either side ("" when none);
	// CSVHref downloads every row found.
	PrevHref, NextHref, CSVHref string
	ClearHref                   string
}

// childLevelChoice is one level's checkbox in the filter form.
type childLevelChoice struct {
	Value, Label string
	Checked      bool
}

// sortHeader is a column header that sorts by it: a link to the list in
// that order (the other way when it is the order now).
type sortHeader struct {
	Label    string
	Href     string
	AriaSort string // ascending, descending or none
	Numeric  bool
}

// childListColumns are the page's sortable columns: label, sort key, and
// whether the first click sorts descending (highest level, most late).
var childListColumns = []struct {
	label, key string
	desc       bool
	numeric    bool
}{
	{"Name", "name", false, false}, {"Level", "level", true, false}, {"Assessed", "level_date", true, false},
	{"Age", "age", false, true}, {"Late tasks", "late", true, true},
}

// childListQuery is the list's query string without the page: the
// filters, the search and the sort, as the form sends them.
func childListQuery(f lantern.ChildFilter) url.Values {
	v := url.Values{}
	if f.Name != "" {
		v.Set("q", f.Name)
	}
	for _, l := range f.Levels {
		v.Add("level", l)
	}
	if f.LookedAfter != nil {
		v.Set("looked_after", strconv.FormatBool(*f.LookedAfter))
	}
	if f.MissingNow != nil {
		v.Set("missing_now", strconv.FormatBool(*f.MissingNow))
	}
	if f.WorkerID != "" {
		v.Set("worker", f.WorkerID)
	}
	if f.Sort != "" && f.Sort != lantern.SortName {
		v.Set("sort", string(f.Sort))
	}
	return v
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// childPageQuery reads the page's filters. A checkbox left unticked sends
// nothing, so the form's looked_after and missing_now are "true" or absent.
func childPageQuery(r *http.Request) (lantern.ChildFilter, int, error) {
	q := r.URL.Query()
	pageNo, _ := strconv.Atoi(q.Get("page"))
	f, err := lantern.ParseChildQuery(q)
	if err != nil {
		// Show the form as sent, with the values it could read.
		f = lantern.ChildFilter{Name: q.Get("q"), WorkerID: q.Get("worker")}
		for _, l := range q["level"] {
			if lantern.ChildLevelRank(l) >= 0 {
				f.Levels = append(f.Levels, l)
			}
		}
	}
	return f, max(pageNo, 1), err
}

func (s *Server) childrenPage(w http.ResponseWriter, r *http.Request) {
	f, pageNo, perr := childPageQuery(r)
	p := s.newPage(r, "Children")
	p.Nav = "children"
	p.Form = map[string]string{"q": f.Name}
	status := http.StatusOK
	var cs []*lantern.ChildRow
	total := 0
	if perr != nil {
		status, p.Errors = http.StatusUnprocessableEntity, lantern.ErrorFields(perr)
	} else {
		f.Limit, f.Offset = childrenPerPage, (pageNo-1)*childrenPerPage
		var err error
		cs, total, err = s.st.FindChildren(r.Context(), f)
		if lantern.ErrorCode(err) == lantern.EINVALID {
			status, p.Errors, err = http.StatusUnprocessableEntity, lantern.ErrorFields(err), nil
		}
		if err != nil {
			s.error(w, r, err)
			return
		}
	}
	sws, err := s.st.SocialWorkers(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	base := childListQuery(f)
	v := childrenView{Children: cs, Total: total, Page: pageNo, Q: f.Name, Worker: f.WorkerID, Workers: sws,
		LookedAfter: f.LookedAfter != nil && *f.LookedAfter, MissingNow: f.MissingNow != nil && *f.MissingNow,
		Filtered: len(base) > 0 && !(len(base) == 1 && base.Has("sort")), ClearHref: "/children",
		CSVHref: withQuery("/children.csv", base)}
	if f.Sort != "" && f.Sort != lantern.SortName {
		v.ClearHref = withQuery("/children", url.Values{"sort": {string(f.Sort)}})
	}
	for _, l := range lantern.ChildLevels {
		choice := childLevelChoice{Value: l, Label: levelWords(l)}
		for _, have := range f.Levels {
			choice.Checked = choice.Checked || have == l
		}
		v.Levels = append(v.Levels, choice)
	}
	sort := f.Sort
	if sort == "" {
		sort = lantern.SortName
	}
	for _, col := range childListColumns {
		h := sortHeader{Label: col.label, AriaSort: "none", Numeric: col.numeric}
		next := lantern.ChildSort(col.key)
		if col.desc {
			next = lantern.ChildSort("-" + col.key)
		}
		if sort.Key() == col.key {
			h.AriaSort = "ascending"
			if sort.Desc() {
				h.AriaSort = "descending"
			}
			next = lantern.ChildSort(col.key)
			if !sort.Desc() {
				next = lantern.ChildSort("-" + col.key)
			}
		}
		hv := childListQuery(f)
		hv.Del("sort")
		if next != lantern.SortName {
			hv.Set("sort", string(next))
		}
		h.Href = withQuery("/children", hv)
		v.Headers = append(v.Headers, h)
	}
	if pageNo > 1 {
		pv := childListQuery(f)
		if pageNo > 2 {
			pv.Set("page", strconv.Itoa(pageNo-1))
		}
		v.PrevHref = withQuery("/children", pv)
	}
	if pageNo*childrenPerPage < total {
		nv := childListQuery(f)
		nv.Set("page", strconv.Itoa(pageNo+1))
		v.NextHref = withQuery("/children", nv)
	}
	p.Data = v
	s.render(w, r, status, "children", p)
}

// levelWords is a level as the list's filter names it: a child never
// assessed is listed with none.
func levelWords(l string) string {
	if l == string(toolkit.None) {
		return "No concerns, or not assessed"
	}
	return toolkit.Level(l).Label()
}

// childrenCSV downloads the rows the list page shows, every page of them
// (up to maxChildCSV), as CSV with the API's columns.
func (s *Server) childrenCSV(w http.ResponseWriter, r *http.Request) {
	f, _, err := childPageQuery(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var rows [][]string
	for f.Offset = 0; f.Offset < maxChildCSV; f.Offset += 100 {
		f.Limit = 100
		cs, total, err := s.st.FindChildren(r.Context(), f)
		if err != nil {
			s.error(w, r, err)
			return
		}
		for _, c := range cs {
			rows = append(rows, childCSVRecord(c))
		}
		if f.Offset+len(cs) >= total || len(cs) == 0 {
			break
		}
	}
	writeCSV(w, "children.csv", childCSVHeader, rows)
}
