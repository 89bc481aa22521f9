package lantern

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxChildSearch is the longest search, in characters: a name is short, and
// a search of 200 characters or more is refused (docs/api.md).
const MaxChildSearch = 199

// ChildLevels are the levels a list of children filters by, lowest first:
// the toolkit's levels (toolkit.Levels, which a test keeps equal).
var ChildLevels = []string{"none", "vulnerable", "emerging", "medium", "high"}

// ChildLevelRank orders the levels; 0 for none and for a child never
// assessed, -1 for an unknown level.
func ChildLevelRank(level string) int {
	if level == "" {
		return 0
	}
	return slices.Index(ChildLevels, level)
}

// ChildSort is the order of a list of children: a key, descending when it
// starts with "-". Ties are broken by name, then id, so pages are stable.
type ChildSort string

const (
	SortName          ChildSort = "name"        // family then given name, A to Z (the default)
	SortNameDesc      ChildSort = "-name"       // Z to A
	SortLevel         ChildSort = "level"       // lowest latest level first; never assessed counts as none
	SortLevelDesc     ChildSort = "-level"      // highest latest level first
	SortLevelDate     ChildSort = "level_date"  // the oldest latest assessment first; never assessed last
	SortLevelDateDesc ChildSort = "-level_date" // the most recent latest assessment first; never assessed last
	SortAge           ChildSort = "age"         // youngest first
	SortAgeDesc       ChildSort = "-age"        // oldest first
	SortLate          ChildSort = "late"        // fewest late tasks first
	SortLateDesc      ChildSort = "-late"       // most late tasks first
)

// ChildSorts lists the orders.
var ChildSorts = []ChildSort{SortName, SortNameDesc, SortLevel, SortLevelDesc, SortLevelDate, SortLevelDateDesc,
	SortAge, SortAgeDesc, SortLate, SortLateDesc}

func (s ChildSort) Valid() bool { return slices.Contains(ChildSorts, s) }

// Key is the sort without its direction; Desc says whether it is descending.
func (s ChildSort) Key() string { return strings.TrimPrefix(string(s), "-") }
func (s ChildSort) Desc() bool  { return strings.HasPrefix(string(s), "-") }

// ChildFilter narrows and orders a list of children.
type ChildFilter struct {
	// Name is the search: a whole name in either order, one name alone
	// or the start of one, a name as it sounds, another name the record
	// holds, a date of birth, or a name and a date of birth together.
	Name string
	// Levels keeps the children whose latest recorded level is one of
	// these (ChildLevels); a child never assessed counts as none.
	Levels []string
	// LookedAfter and MissingNow, when set, keep those children who are,
	// or are not, looked after, or missing now (an episode not ended).
	LookedAfter *bool
	MissingNow  *bool
	// WorkerID keeps the children allocated to this social worker.
	WorkerID string
	Sort     ChildSort // "" is SortName
	Limit    int
	Offset   int
}

// ChildRow is a child as a list shows them: the record and what says how
// the child is now. The level is the one recorded at the latest
// assessment; late tasks are open tasks past their deadline.
type ChildRow struct {
	*Child
	LatestLevel   *string `json:"latest_level"`    // null when never assessed
	LatestLevelOn *Date   `json:"latest_level_on"` // the date of that assessment
	Age           int     `json:"age"`
	// AllocatedWorkerName is the name of the allocated social worker
	// (allocated_social_worker_id), when there is one.
	AllocatedWorkerName string `json:"allocated_social_worker_name,omitempty"`
	MissingNow          bool   `json:"missing_now"`
	LateTasks           int    `json:"late_tasks"`
}

// ChildSearch is a search for a child read from its text: the name part
// (the words left once dates are taken out) and a date of birth.
type ChildSearch struct {
	Text string // the rest of the words, as given
	DOB  *Date
}

// ParseChildSearch reads a search. A word that is a date of birth, as
// 2016-12-02 or 2/12/2016, is the date; the other words are the name. A
// second date, or a date that does not exist, is refused naming q.
func ParseChildSearch(q string) (ChildSearch, error) {
	if utf8.RuneCountInString(q) > MaxChildSearch {
		return ChildSearch{}, Invalid(FieldError{Field: "q", Message: fmt.Sprintf("Search for %d characters or fewer", MaxChildSearch)})
	}
	if !utf8.ValidString(q) {
		return ChildSearch{}, Invalid(FieldError{Field: "q", Message: "Search for letters, numbers or a date of birth"})
	}
	var out ChildSearch
	var words []string
	for _, w := range strings.Fields(q) {
		d, isDate, err := searchDate(w)
		switch {
		case err != nil:
			return ChildSearch{}, Invalid(FieldError{Field: "q", Message: err.Error()})
		case !isDate:
			words = append(words, w)
		case out.DOB != nil:
			return ChildSearch{}, Invalid(FieldError{Field: "q", Message: "Search for one date of birth at a time"})
		default:
			out.DOB = &d
		}
	}
	out.Text = strings.Join(words, " ")
	return out, nil
}

// searchDate reads a word that looks like a date: YYYY-MM-DD, or D/M/YYYY
// as people write them in England. A word of digits and separators shaped
// like a date that is no real date is an error, not a name.
func searchDate(w string) (Date, bool, error) {
	bad := fmt.Errorf("%s is not a real date: search for a date of birth as 2016-12-02 or 2/12/2016", w)
	if strings.Count(w, "-") == 2 && digitsAnd(w, '-') {
		p := strings.Split(w, "-")
		if len(p[0]) != 4 {
			return Date{}, false, nil // not a date: a name search
		}
		return dateParts(p[0], p[1], p[2], bad)
	}
	if strings.Count(w, "/") == 2 && digitsAnd(w, '/') {
		p := strings.Split(w, "/")
		if len(p[2]) != 4 {
			return Date{}, false, bad
		}
		return dateParts(p[2], p[1], p[0], bad)
	}
	return Date{}, false, nil
}

func dateParts(y, m, d string, bad error) (Date, bool, error) {
	if len(m) < 1 || len(m) > 2 || len(d) < 1 || len(d) > 2 {
		return Date{}, false, bad
	}
	mn, _ := strconv.Atoi(m)
	dn, _ := strconv.Atoi(d)
	date, err := ParseDate(y + "-" + fmt.Sprintf("%02d-%02d", mn, dn))
	if err != nil {
		return Date{}, false, bad
	}
	return date, true, nil
}

func digitsAnd(w string, sep byte) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c != sep && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// ParseChildQuery reads a list's search, filters and order from a query
// string (the API's and the page's alike): q, level (repeated, or
// comma-separated), looked_after and missing_now (true or false), worker
// (a user's id) and sort. A value it does not know is refused, naming the
// parameter. Paging is the caller's.
func ParseChildQuery(v url.Values) (ChildFilter, error) {
	var f ChildFilter
	var p Problems
	f.Name = v.Get("q")
	if _, err := ParseChildSearch(f.Name); err != nil {
		p = append(p, ErrorFields(err)...)
	}
	for _, l := range v["level"] {
		for _, one := range strings.Split(l, ",") {
			if one = strings.TrimSpace(one); one == "" {
				continue
			}
			if ChildLevelRank(one) < 0 {
				p.Add("level", "Choose a level from none, vulnerable, emerging, medium and high")
				break
			}
			if !slices.Contains(f.Levels, one) {
				f.Levels = append(f.Levels, one)
			}
		}
	}
	for _, b := range []struct {
		name, label string
		to          **bool
	}{{"looked_after", "Looked after", &f.LookedAfter}, {"missing_now", "Missing now", &f.MissingNow}} {
		switch val := v.Get(b.name); val {
		case "":
		case "true", "false":
			t := val == "true"
			*b.to = &t
		default:
			p.Add(b.name, b.label+" must be true or false")
		}
	}
	if w := v.Get("worker"); w != "" {
		if utf8.RuneCountInString(w) > 100 || strings.ContainsFunc(w, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
			p.Add("worker", "Choose a social worker who uses Lantern")
		}
		f.WorkerID = w
	}
	if s := v.Get("sort"); s != "" {
		f.Sort = ChildSort(s)
		if !f.Sort.Valid() {
			p.Add("sort", "Sort by one of "+strings.Join(sortNames(), ", "))
		}
	}
	if err := p.Err(); err != nil {
		return ChildFilter{}, err
	}
	return f, nil
}

func sortNames() []string {
	out := make([]string, len(ChildSorts))
	for i, s := range ChildSorts {
		out[i] = string(s)
	}
	return out
}
