package figures

import (
	"slices"

	"lantern"
)

// ChildFacts is what the data set reads of one child: who they are, and
// the dates of their CSE concerns and missing episodes.
type ChildFacts struct {
	ID          string
	DateOfBirth lantern.Date
	Gender      string
	LatestLevel string // emerging, medium, high, or "" never assessed
	Concerns    []lantern.Date
	Missing     []lantern.Date
}

// AgeBands are the data set's age bands, at the child's first concern in
// the period.
var AgeBands = []string{"Under 10", "10 to 12", "13 to 15", "16 to 17", "18 and over"}

// NotRecorded is the row of those whose value was not recorded: counted,
// never dropped.
const NotRecorded = "Not recorded"

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

// Dataset computes the data set's tables, exact, for the period from..to
// (docs/figures.md): distinct children, never summed across months. With
// population 0 a rate is x (not available).
func Dataset(facts []ChildFacts, from, to lantern.Date, population int) []Table {
	var newIn, byEnd int
	ages := map[string]int{}
	sexes := map[string]int{}
	levels := map[string]int{}
	var missing, repeat int
	for _, f := range facts {
		if _, ok := firstIn(f.Concerns, lantern.Date{Year: 1, Month: 1, Day: 1}, to); ok {
			byEnd++
		}
		first, ok := firstIn(f.Concerns, from, to)
		if !ok {
			continue
		}
		newIn++
		ages[ageBand(f.DateOfBirth, first)]++
		sex := NotRecorded
		switch f.Gender {
		case "female":
			sex = "Female"
		case "male":
			sex = "Male"
		case "":
		default:
			sex = "Other"
		}
		sexes[sex]++
		level := "Not assessed"
		if f.LatestLevel != "" {
			level = map[string]string{"emerging": "Emerging", "medium": "Medium", "high": "High"}[f.LatestLevel]
			if level == "" {
				level = "Not assessed"
			}
		}
		levels[level]++
		n := 0
		for _, m := range f.Missing {
			if !m.Before(first.AddDays(-365)) && !m.After(first) {
				n++
			}
		}
		if n > 0 {
			missing++
		}
		if n > 1 {
			repeat++
		}
	}
	rate := func(n int) Value {
		if population <= 0 {
			return Sym(NotAvailable)
		}
		return Num(float64(int(float64(n)*100_000/float64(population)+0.5)) / 10)
	}
	prevalence := Table{ID: "prevalence", Title: "Children with a CSE concern", Columns: []string{"children", "rate_per_10000"}, Rates: map[string]string{"rate_per_10000": "children"},
		Rows: []Row{
			{Label: "Children with a CSE concern new in the period", Values: map[string]Value{"children": Num(float64(newIn)), "rate_per_10000": rate(newIn)}},
			{Label: "Children with a CSE concern by the end of the period", Values: map[string]Value{"children": Num(float64(byEnd)), "rate_per_10000": rate(byEnd)}},
		}}
	breakdown := func(id, title string, labels []string, counts map[string]int) Table {
		t := Table{ID: id, Title: title, Columns: []string{"children"}, TotalRow: true}
		total := 0
		for _, l := range labels {
			t.Rows = append(t.Rows, Row{Label: l, Values: map[string]Value{"children": Num(float64(counts[l]))}})
			total += counts[l]
		}
		t.Rows = append(t.Rows, Row{Label: "Total", Values: map[string]Value{"children": Num(float64(total))}})
		return t
	}
	missingT := Table{ID: "missing", Title: "Missing before their first concern in the period", Columns: []string{"children"}, Rows: []Row{
		{Label: "New in the period, with a missing episode in the 12 months before", Values: map[string]Value{"children": Num(float64(missing))}},
		{Label: "New in the period, missing twice or more in the 12 months before", Values: map[string]Value{"children": Num(float64(repeat))}},
	}}
	return []Table{
		prevalence,
		breakdown("age-band", "New in the period, by age at their first concern", append(slices.Clone(AgeBands), NotRecorded), ages),
		breakdown("sex", "New in the period, by sex", []string{"Female", "Male", "Other", NotRecorded}, sexes),
		breakdown("latest-level", "New in the period, by their latest toolkit level", []string{"High", "Medium", "Emerging", "Not assessed"}, levels),
		missingT,
	}
}
