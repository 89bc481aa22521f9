package figures

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"lantern"
)

// Facts is what the data set is computed from: the children who were open
// to CSE work at some time in the period (and their history up to its
// end), and the area's events in it. The store reads them; everything
// here is counting.
type Facts struct {
	// Cohort is the children open in the period, tallied by the store a
	// batch at a time; Children are more, counted as they are (a test's
	// or a small caller's). A child is counted once however given.
	Cohort   *Cohort
	Children []ChildFacts
	// Response counts the pathway's events in the period, of any child
	// of the area (CountEvents counts a list of them).
	Response []EventCount
	// Clocks are the statutory clocks completed in the period.
	Clocks []ClockFact
	// PlanEnds are the child protection plans ended in the period.
	PlanEnds []Dated
	// Disruptions are the disruptions recorded in the period that name a
	// child of the area.
	Disruptions []DisruptionFact
	// Links are the intelligence links observed in the period between a
	// child, a person of concern or a place.
	Links []LinkFact
	// Persons are the persons of concern the links name.
	Persons map[string]PersonFacts
}

// ChildFacts is what the data set reads of one child: who they are, and
// the dates of what happened to them up to the end of the period.
type ChildFacts struct {
	ID            string
	DateOfBirth   lantern.Date
	Gender        string
	Ethnicity     string // a census id, or "" not recorded
	LookedAfter   bool
	PlacedByOther bool // looked after and placed by another area
	Disabled      bool
	Unaccompanied bool
	Concerns      []lantern.Date
	Levels        []LevelOn // toolkit assessments, in date order
	Meetings      []lantern.Date
	Missing       []Episode
}

// LevelOn is a toolkit level recorded on a date.
type LevelOn struct {
	On    lantern.Date
	Level string // emerging, medium, high
	// Recorded orders two assessments of one day.
	Recorded time.Time
}

// SortLevels puts the child's levels in the order they were assessed,
// two of one day in the order recorded.
func (f *ChildFacts) SortLevels() {
	slices.SortStableFunc(f.Levels, func(a, b LevelOn) int {
		return cmp.Or(cmp.Compare(a.On.String(), b.On.String()), a.Recorded.Compare(b.Recorded))
	})
}

// Episode is a missing or absent episode and its return interview.
type Episode struct {
	From     lantern.Date
	Returned *time.Time
	Offered  *time.Time
	Held     *time.Time
}

// EventCount is how many events of a kind there were, about how many
// distinct children.
type EventCount struct {
	Kind             string
	Events, Children int
}

// CountEvents counts events by kind: distinct events (by id) and
// distinct children.
func CountEvents(evs []Event) []EventCount {
	events, children := map[string]map[string]bool{}, map[string]map[string]bool{}
	for i, e := range evs {
		if children[e.Kind] == nil {
			children[e.Kind], events[e.Kind] = map[string]bool{}, map[string]bool{}
		}
		id := e.ID
		if id == "" {
			id = "#" + strconv.Itoa(i)
		}
		events[e.Kind][id] = true
		children[e.Kind][e.ChildID] = true
	}
	var out []EventCount
	for _, k := range EventKinds {
		out = append(out, EventCount{Kind: k.Kind, Events: len(events[k.Kind]), Children: len(children[k.Kind])})
	}
	return out
}

// Event is one of the pathway's events (EventKinds).
type Event struct {
	ID      string // a meeting about two children is one event
	Kind    string
	ChildID string
	On      lantern.Date
}

// The pathway's events, in pathway order: the funnel.
const (
	EvConcern    = "concern"
	EvToolkit    = "toolkit"
	EvReferral   = "referral"
	EvMeeting    = "cse-strategy-meeting"
	EvS47        = "s47"
	EvICPC       = "icpc"
	EvPlan       = "plan"
	ReturnWithin = 72 * time.Hour
)

// EventKinds are the events counted, with their rows' labels.
var EventKinds = []struct{ Kind, Label string }{
	{EvConcern, "CSE concerns raised"},
	{EvToolkit, "Toolkits completed"},
	{EvReferral, "Referrals to children's social care"},
	{EvMeeting, "CSE strategy meetings held"},
	{EvS47, "Section 47 enquiries started"},
	{EvICPC, "Initial child protection conferences"},
	{EvPlan, "Child protection plans started"},
}

// ClockFact is a statutory clock completed: when it started, was due and
// was done.
type ClockFact struct {
	Clock, Label           string
	Started, Due, Finished time.Time
}

// Dated is a thing of some kind on a date.
type Dated struct {
	On   lantern.Date
	Kind string // its reason, kind or outcome, by id
}

// DisruptionFact is a disruption: its kind and, for a court outcome, the
// outcome.
type DisruptionFact struct {
	ID, Kind, Outcome string
	On                lantern.Date
}

// LinkFact is an intelligence link between two entities, typed
// (child, person, place, account, ...), and its kind.
type LinkFact struct {
	FromType, FromID, ToType, ToID, Kind string
	PlaceName                            string // the place's name, where one end is a place
	Lat, Lon                             *float64
}

// HotspotPlace is a place ranked among the hotspots: the distinct children
// and persons of concern linked to it in the period, and its position
// when known.
type HotspotPlace struct {
	ID, Name          string
	Lat, Lon          *float64
	Children, Persons int
}

// PersonFacts is what the data set reads of a person of concern.
type PersonFacts struct {
	Sex       string // male, female, "" not recorded
	BirthYear int    // 0 not recorded
}

// AgeBands are the data set's age bands, at the child's first concern in
// the period.
var AgeBands = []string{"Under 10", "10 to 12", "13 to 15", "16 to 17", "18 and over"}

// PersonAgeBands are the age bands of persons of concern, at the end of
// the period.
var PersonAgeBands = []string{"Under 18", "18 to 24", "25 to 34", "35 to 44", "45 and over"}

// NotRecorded is the row of those whose value was not recorded: counted,
// never dropped.
const NotRecorded = "Not recorded"

// OpenFor is how long after their last CSE activity (a concern, a toolkit,
// a CSE strategy meeting) a child counts as open to CSE work: the toolkit
// is completed again within 12 weeks while work goes on, so a year with
// none means the work has ended.
const OpenFor = 365

// MaxHotspots is the most places the hotspot table ranks.
const MaxHotspots = 20

func ageBand(dob, on lantern.Date) string {
	if dob.IsZero() {
		return NotRecorded
	}
	a := lantern.AgeOn(dob, on)
	switch {
	case a < 10:
		return AgeBands[0]
	case a <= 12:
		return AgeBands[1]
	case a <= 15:
		return AgeBands[2]
	case a <= 17:
		return AgeBands[3]
	}
	return AgeBands[4]
}

func personBand(birthYear, year int) string {
	if birthYear == 0 {
		return NotRecorded
	}
	a := year - birthYear
	switch {
	case a < 18:
		return PersonAgeBands[0]
	case a <= 24:
		return PersonAgeBands[1]
	case a <= 34:
		return PersonAgeBands[2]
	case a <= 44:
		return PersonAgeBands[3]
	}
	return PersonAgeBands[4]
}

// firstIn is the first of ds in [from, to], or false.
func firstIn(ds []lantern.Date, from, to lantern.Date) (lantern.Date, bool) {
	var first lantern.Date
	ok := false
	for _, d := range ds {
		if !d.Before(from) && !d.After(to) && (!ok || d.Before(first)) {
			first, ok = d, true
		}
	}
	return first, ok
}

// activeIn reports whether the child had CSE activity in [from, to].
func (f *ChildFacts) activeIn(from, to lantern.Date) bool {
	if _, ok := firstIn(f.Concerns, from, to); ok {
		return true
	}
	if _, ok := firstIn(f.Meetings, from, to); ok {
		return true
	}
	for _, l := range f.Levels {
		if !l.On.Before(from) && !l.On.After(to) {
			return true
		}
	}
	return false
}

// OpenIn reports whether the child was open to CSE work at some time in
// [from, to]: a concern on or before to, and CSE activity within OpenFor
// days before some day of the period.
func (f *ChildFacts) OpenIn(from, to lantern.Date) bool {
	if _, ok := firstIn(f.Concerns, lantern.Date{Year: 1, Month: 1, Day: 1}, to); !ok {
		return false
	}
	return f.activeIn(from.AddDays(-OpenFor), to)
}

// levelAt is the child's latest and highest level on or before on, "" for
// none.
func (f *ChildFacts) levelAt(on lantern.Date) (latest, highest string) {
	rank := map[string]int{"emerging": 1, "medium": 2, "high": 3}
	var at lantern.Date
	for _, l := range f.Levels {
		if l.On.After(on) {
			continue
		}
		if latest == "" || !l.On.Before(at) {
			latest, at = l.Level, l.On
		}
		if rank[l.Level] > rank[highest] {
			highest = l.Level
		}
	}
	return latest, highest
}

var levelLabels = map[string]string{"emerging": "Emerging", "medium": "Medium", "high": "High", "": "Not assessed"}

// LevelRows are the level tables' rows.
var LevelRows = []string{"High", "Medium", "Emerging", "Not assessed"}

func sexLabel(g string) string {
	switch g {
	case "female":
		return "Female"
	case "male":
		return "Male"
	case "":
		return NotRecorded
	}
	return "Other"
}

// EthnicGroups are the census's five groups, in its order.
var EthnicGroups = []string{"Asian, Asian British or Asian Welsh", "Black, Black British, Black Welsh, Caribbean or African",
	"Mixed or Multiple ethnic groups", "White", "Other ethnic group"}

func ethnicGroup(id string) string {
	for _, e := range lantern.Ethnicities {
		if e.ID == id {
			return e.Group
		}
	}
	return NotRecorded
}

// Cohort tallies the children open to CSE work in a period: everything
// the data set's tables of children count, added a child at a time, so
// that a country's children are counted without holding their histories
// together (the store reads them a batch at a time and lets each go).
type Cohort struct {
	From, To                     lantern.Date
	open, newIn, atEnd, raised   int
	latest, highest, change      map[string]int
	age, sex, eth                map[string]int
	looked, placed, dis, unacc   map[string]int
	missingKids, repeat          int
	returned, offered, held, r72 int
	ids                          map[string]bool // for the links' tables
}

// NewCohort is an empty tally for the period from..to.
func NewCohort(from, to lantern.Date) *Cohort {
	m := func() map[string]int { return map[string]int{} }
	return &Cohort{From: from, To: to, latest: m(), highest: m(), change: m(), age: m(), sex: m(), eth: m(),
		looked: m(), placed: m(), dis: m(), unacc: m(), ids: map[string]bool{}}
}

// Size is how many children were open in the period.
func (c *Cohort) Size() int { return c.open }

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No, or not recorded"
}

// Add counts ch, whose history must run to the period's end with its levels
// sorted (SortLevels), when they were open in the period; it reports
// whether they were.
func (c *Cohort) Add(ch *ChildFacts) bool {
	from, to := c.From, c.To
	if !ch.OpenIn(from, to) || c.ids[ch.ID] {
		return false
	}
	c.ids[ch.ID] = true
	c.open++
	if _, ok := firstIn(ch.Concerns, lantern.Date{Year: 1, Month: 1, Day: 1}, from.AddDays(-1)); !ok {
		c.newIn++ // their first concern ever is in the period
	}
	if ch.OpenIn(to, to) {
		c.atEnd++
	}
	first, ok := firstIn(ch.Concerns, from, to)
	if ok {
		c.raised++
	} else {
		first = from
	}
	l, h := ch.levelAt(to)
	c.latest[levelLabels[l]]++
	c.highest[levelLabels[h]]++
	c.age[ageBand(ch.DateOfBirth, first)]++
	c.sex[sexLabel(ch.Gender)]++
	c.eth[ethnicGroup(ch.Ethnicity)]++
	c.looked[yesNo(ch.LookedAfter)]++
	c.placed[yesNo(ch.PlacedByOther)]++
	c.dis[yesNo(ch.Disabled)]++
	c.unacc[yesNo(ch.Unaccompanied)]++
	c.change[levelChangeOf(ch, to)]++
	c.addMissing(ch)
	return true
}

// Dataset computes the data set's tables, exact, for the period from..to
// (docs/figures.md): distinct children, never summed across months. The
// children counted are f.Cohort, when the store has tallied them, and
// f.Children. With population 0 a rate is x (not available).
func Dataset(f Facts, from, to lantern.Date, population int) []Table {
	c := f.Cohort
	if c == nil || c.From != from || c.To != to {
		c = NewCohort(from, to)
	}
	for i := range f.Children {
		c.Add(&f.Children[i])
	}
	rate := Ratio{Num: "children", Per: 10_000, Of: float64(population)}
	prevalence := Table{ID: "prevalence", Title: "Children open to CSE work", Columns: []string{"children", "rate_per_10000"},
		Ratios: map[string]Ratio{"rate_per_10000": rate}}
	for _, r := range []struct {
		label string
		n     int
	}{
		{"New: their first CSE concern in the period", c.newIn},
		{"Open at any time in the period", c.open},
		{"Open at the end of the period", c.atEnd},
		{"With a CSE concern raised in the period", c.raised},
	} {
		prevalence.Rows = append(prevalence.Rows, Row{Label: r.label, Values: map[string]Value{"children": Num(float64(r.n))}})
	}
	prevalence.fillRatios()

	var sum counter
	levels := Table{ID: "level", Title: "Open in the period, by toolkit level at its end", Columns: []string{"latest", "highest"}, TotalRow: true}
	for _, l := range append(slices.Clone(LevelRows), "Total") {
		levels.Rows = append(levels.Rows, Row{Label: l, Values: map[string]Value{"latest": Num(float64(sum.sum(c.latest, l))), "highest": Num(float64(sum.sum(c.highest, l)))}})
	}
	yn := []string{"Yes", "No, or not recorded"}
	tables := []Table{prevalence, levels,
		breakdown("age-band", "Open in the period, by age at their first concern in it (or at its start)", append(slices.Clone(AgeBands), NotRecorded), c.age),
		breakdown("sex", "Open in the period, by sex", []string{"Female", "Male", "Other", NotRecorded}, c.sex),
		breakdown("ethnicity", "Open in the period, by ethnic group (2021 census)", append(slices.Clone(EthnicGroups), NotRecorded), c.eth),
		breakdown("looked-after", "Open in the period, looked after", yn, c.looked),
		breakdown("placed-by-another-area", "Open in the period, looked after and placed here by another area", yn, c.placed),
		breakdown("disability", "Open in the period, with a disability or learning disability recorded", yn, c.dis),
		breakdown("unaccompanied", "Open in the period, unaccompanied asylum-seeking children", yn, c.unacc),
	}
	tables = append(tables, personTables(f, to)...)
	tables = append(tables, response(f), timeliness(f.Clocks), c.missing(), c.levelChange(),
		closures(f.PlanEnds), disruption(f.Disruptions), justice(f.Disruptions), exploitation(f, c.ids), hotspots(f))
	return tables
}

// counter sums a map's values for a label, the total row for "Total".
type counter struct{}

func (counter) sum(m map[string]int, label string) int {
	if label != "Total" {
		return m[label]
	}
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// breakdown is a table of children by one thing, each row with its share
// of the total, and the total.
func breakdown(id, title string, labels []string, counts map[string]int) Table {
	t := Table{ID: id, Title: title, Columns: []string{"children", "per_cent"}, TotalRow: true,
		Ratios: map[string]Ratio{"per_cent": {Num: "children", Den: "children", DenRow: "Total", Per: 100}}}
	total := 0
	for _, l := range labels {
		t.Rows = append(t.Rows, Row{Label: l, Values: map[string]Value{"children": Num(float64(counts[l]))}})
		total += counts[l]
	}
	t.Rows = append(t.Rows, Row{Label: "Total", Values: map[string]Value{"children": Num(float64(total))}})
	t.fillRatios()
	return t
}

func personTables(f Facts, to lantern.Date) []Table {
	seen := map[string]bool{}
	for _, l := range f.Links {
		for _, e := range [][3]string{{l.FromType, l.FromID, l.ToType}, {l.ToType, l.ToID, l.FromType}} {
			if e[0] == "person" && e[2] == "child" {
				if _, ok := f.Persons[e[1]]; ok {
					seen[e[1]] = true
				}
			}
		}
	}
	sex, age, eth := map[string]int{}, map[string]int{}, map[string]int{}
	for id := range seen {
		p := f.Persons[id]
		sex[sexLabel(p.Sex)]++
		age[personBand(p.BirthYear, to.Year)]++
		eth[NotRecorded]++ // Lantern records no person's ethnicity
	}
	ts := []Table{
		breakdown("persons-sex", "Persons of concern linked to a child in the period, by sex", []string{"Female", "Male", NotRecorded}, sex),
		breakdown("persons-age-band", "Persons of concern linked to a child in the period, by age at its end", append(slices.Clone(PersonAgeBands), NotRecorded), age),
		breakdown("persons-ethnicity", "Persons of concern linked to a child in the period, by ethnic group (not recorded in Lantern)", append(slices.Clone(EthnicGroups), NotRecorded), eth),
	}
	for i := range ts {
		ts[i].Columns[0] = "persons"
		renameCol(&ts[i], "children", "persons")
	}
	return ts
}

func response(f Facts) Table {
	t := Table{ID: "response", Title: "The response: the pathway's events in the period", Columns: []string{"events", "children"}}
	by := map[string]EventCount{}
	for _, c := range f.Response {
		by[c.Kind] = c
	}
	for _, k := range EventKinds {
		c := by[k.Kind]
		t.Rows = append(t.Rows, Row{Label: k.Label, Values: map[string]Value{"events": Num(float64(c.Events)), "children": Num(float64(c.Children))}})
	}
	return t
}

func timeliness(clocks []ClockFact) Table {
	t := Table{ID: "timeliness", Title: "Statutory clocks completed in the period", Columns: []string{"completed", "within_timescale", "per_cent_within", "median_days"},
		Ratios: map[string]Ratio{"per_cent_within": {Num: "within_timescale", Den: "completed", Per: 100}},
		Rates:  map[string]string{"median_days": "completed"}}
	byClock := map[string][]ClockFact{}
	var order []string
	for _, c := range clocks {
		if byClock[c.Clock] == nil {
			order = append(order, c.Clock)
		}
		byClock[c.Clock] = append(byClock[c.Clock], c)
	}
	slices.Sort(order)
	for _, k := range order {
		cs := byClock[k]
		within := 0
		days := make([]float64, 0, len(cs))
		for _, c := range cs {
			if !c.Finished.After(c.Due) {
				within++
			}
			days = append(days, c.Finished.Sub(c.Started).Hours()/24)
		}
		t.Rows = append(t.Rows, Row{Label: cs[0].Label, Values: map[string]Value{"completed": Num(float64(len(cs))), "within_timescale": Num(float64(within)),
			"median_days": Num(round1(median(days)))}})
	}
	t.fillRatios()
	return t
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }

// addMissing counts the child's missing episodes: missing in the 12 months
// to the period's end, and the return interviews of episodes ended in it.
func (c *Cohort) addMissing(ch *ChildFacts) {
	from, to := c.From, c.To
	n := 0
	for _, e := range ch.Missing {
		if !e.From.Before(to.AddDays(-364)) && !e.From.After(to) {
			n++
		}
		if e.Returned == nil {
			continue
		}
		r := lantern.DateOf(*e.Returned)
		if r.Before(from) || r.After(to) {
			continue
		}
		c.returned++
		if e.Offered != nil || e.Held != nil {
			c.offered++
		}
		if e.Held != nil {
			c.held++
			if !e.Held.After(e.Returned.Add(ReturnWithin)) {
				c.r72++
			}
		}
	}
	if n > 0 {
		c.missingKids++
	}
	if n > 1 {
		c.repeat++
	}
}

func (c *Cohort) missing() Table {
	kids, repeat, returned, offered, held, within := c.missingKids, c.repeat, c.returned, c.offered, c.held, c.r72
	t := Table{ID: "missing", Title: "Missing: children open in the period", Columns: []string{"count", "per_cent"},
		Ratios: map[string]Ratio{"per_cent": {Num: "count", Den: "count", DenRow: "Episodes ended in the period (returned)", Per: 100}}}
	for _, r := range []struct {
		label string
		n     int
	}{
		{"Children missing in the 12 months to the end of the period", kids},
		{"Children missing twice or more in those 12 months", repeat},
		{"Episodes ended in the period (returned)", returned},
		{"Return interviews offered", offered},
		{"Return interviews held (accepted)", held},
		{"Return interviews held within 72 hours of return", within},
	} {
		t.Rows = append(t.Rows, Row{Label: r.label, Values: map[string]Value{"count": Num(float64(r.n))}})
	}
	t.fillRatios()
	for i := range 2 { // a share of episodes means nothing for children
		t.Rows[i].Values["per_cent"] = Sym(NotApplicable)
	}
	return t
}

// levelChangeOf is the row of the level-change table the child is counted
// in: their latest level by the day against their first.
func levelChangeOf(ch *ChildFacts, to lantern.Date) string {
	rank := map[string]int{"emerging": 1, "medium": 2, "high": 3}
	var ls []LevelOn
	for _, l := range ch.Levels {
		if !l.On.After(to) {
			ls = append(ls, l)
		}
	}
	slices.SortStableFunc(ls, func(a, b LevelOn) int { return cmp.Compare(a.On.String(), b.On.String()) })
	switch {
	case len(ls) == 0:
		return "Not assessed"
	case len(ls) == 1:
		return "Assessed once"
	case rank[ls[len(ls)-1].Level] > rank[ls[0].Level]:
		return "Higher than at first"
	case rank[ls[len(ls)-1].Level] < rank[ls[0].Level]:
		return "Lower than at first"
	}
	return "The same as at first"
}

func (c *Cohort) levelChange() Table {
	m := c.change
	return breakdown("level-change", "Open in the period: their latest level against their first",
		[]string{"Lower than at first", "The same as at first", "Higher than at first", "Assessed once", "Not assessed"}, m)
}

func closures(ends []Dated) Table {
	m := map[string]int{}
	var labels []string
	for _, r := range lantern.PlanEndReasons {
		labels = append(labels, r.Label())
	}
	for _, e := range ends {
		m[lantern.PlanEndReason(e.Kind).Label()]++
	}
	t := breakdown("closures", "Child protection plans ended in the period, by reason", labels, m)
	t.Columns = []string{"plans", "per_cent"}
	renameCol(&t, "children", "plans")
	return t
}

func renameCol(t *Table, from, to string) {
	for i := range t.Rows {
		if v, ok := t.Rows[i].Values[from]; ok {
			delete(t.Rows[i].Values, from)
			t.Rows[i].Values[to] = v
		}
	}
	for k, r := range t.Ratios {
		if r.Num == from {
			r.Num = to
		}
		if r.Den == from {
			r.Den = to
		}
		t.Ratios[k] = r
	}
}

func disruption(ds []DisruptionFact) Table {
	m := map[string]int{}
	var labels []string
	for _, k := range lantern.DisruptionKinds {
		labels = append(labels, k.Label())
	}
	for _, d := range ds {
		m[lantern.DisruptionKind(d.Kind).Label()]++
	}
	t := breakdown("disruption", "Disruption recorded in the period, naming a child of the area, by kind", labels, m)
	t.Columns = []string{"disruptions", "per_cent"}
	renameCol(&t, "children", "disruptions")
	return t
}

func justice(ds []DisruptionFact) Table {
	m := map[string]int{}
	var labels []string
	for _, o := range lantern.CourtOutcomes {
		labels = append(labels, lantern.CourtOutcomeLabel(o))
	}
	for _, d := range ds {
		if d.Kind == string(lantern.DisruptCourtOutcome) && d.Outcome != "" {
			m[lantern.CourtOutcomeLabel(d.Outcome)]++
		}
	}
	t := breakdown("justice", "Court outcomes recorded in the period", labels, m)
	t.Columns = []string{"outcomes", "per_cent"}
	renameCol(&t, "children", "outcomes")
	return t
}

// exploitation counts children open in the period with intelligence of
// online contact (an online-contact link, or an account linked to them)
// and of contact with a person of concern, observed in the period.
func exploitation(f Facts, in map[string]bool) Table {
	online, contact := map[string]bool{}, map[string]bool{}
	for _, l := range f.Links {
		for _, e := range [][4]string{{l.FromType, l.FromID, l.ToType, l.ToID}, {l.ToType, l.ToID, l.FromType, l.FromID}} {
			if e[0] != "child" || !in[e[1]] {
				continue
			}
			switch {
			case l.Kind == string(lantern.LinkOnlineContact) || e[2] == "account":
				online[e[1]] = true
			case e[2] == "person":
				contact[e[1]] = true
			}
		}
	}
	both := 0
	for id := range online {
		if contact[id] {
			both++
		}
	}
	t := Table{ID: "exploitation", Title: "Open in the period: online and contact exploitation known to intelligence", Columns: []string{"children"}}
	for _, r := range []struct {
		label string
		n     int
	}{
		{"Online: an online contact or account linked in the period", len(online)},
		{"Contact: linked to a person of concern in the period", len(contact)},
		{"Both", both},
	} {
		t.Rows = append(t.Rows, Row{Label: r.label, Values: map[string]Value{"children": Num(float64(r.n))}})
	}
	return t
}

// HotspotPlaces ranks places by the distinct children and persons of
// concern linked to them in the period, the most first, then by name: the
// first MaxHotspots.
func HotspotPlaces(f Facts) []HotspotPlace {
	type place struct {
		HotspotPlace
		children, persons map[string]bool
	}
	places := map[string]*place{}
	for _, l := range f.Links {
		pid, otherType, otherID := "", "", ""
		switch {
		case l.ToType == "place":
			pid, otherType, otherID = l.ToID, l.FromType, l.FromID
		case l.FromType == "place":
			pid, otherType, otherID = l.FromID, l.ToType, l.ToID
		default:
			continue
		}
		p := places[pid]
		if p == nil {
			p = &place{HotspotPlace: HotspotPlace{ID: pid, Name: l.PlaceName, Lat: l.Lat, Lon: l.Lon}, children: map[string]bool{}, persons: map[string]bool{}}
			places[pid] = p
		}
		switch otherType {
		case "child":
			p.children[otherID] = true
		case "person":
			p.persons[otherID] = true
		}
	}
	var ps []HotspotPlace
	for _, p := range places {
		p.Children, p.Persons = len(p.children), len(p.persons)
		if p.Children+p.Persons > 0 {
			ps = append(ps, p.HotspotPlace)
		}
	}
	slices.SortFunc(ps, func(a, b HotspotPlace) int {
		return cmp.Or(cmp.Compare(b.Children, a.Children), cmp.Compare(b.Persons, a.Persons), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return ps[:min(len(ps), MaxHotspots)]
}

// hotspots is the table of HotspotPlaces.
func hotspots(f Facts) Table {
	t := Table{ID: "hotspots", Title: "Hotspots: places by the children and persons of concern linked to them in the period", Columns: []string{"children", "persons"},
		Stacked: true}
	for _, p := range HotspotPlaces(f) {
		t.Rows = append(t.Rows, Row{Label: p.Name, Values: map[string]Value{"children": Num(float64(p.Children)), "persons": Num(float64(p.Persons))}})
	}
	return t
}

// columnLabels are the data set's columns in words, for pages: the CSV
// and the API keep the ids.
var columnLabels = map[string]string{
	"children": "Children", "rate_per_10000": "Rate per 10,000 children", "latest": "Latest level", "highest": "Highest level",
	"per_cent": "Per cent", "events": "Events", "completed": "Completed", "within_timescale": "Within timescale",
	"per_cent_within": "Per cent within timescale", "median_days": "Median days", "count": "Count", "persons": "Persons",
	"plans": "Plans", "disruptions": "Disruptions", "outcomes": "Outcomes",
}

// ColumnLabel is a column's heading in words: the id itself for a column
// with none (a trend's periods).
func ColumnLabel(id string) string {
	if l, ok := columnLabels[id]; ok {
		return l
	}
	return id
}
