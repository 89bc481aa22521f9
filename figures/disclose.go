// Package figures is the partnership's figures: the measures, computed
// from records with no input or output, and the disclosure control that
// protects small numbers before any table leaves the area
// (docs/figures.md). Everything here is pure and table-tested.
package figures

import (
	"fmt"
	"slices"
)

// Symbols stand for a value not published, as the Government Statistical
// Service's guidance on symbols in tables asks.
const (
	Suppressed     = "c" // confidential: suppressed to protect a small number
	NotApplicable  = "z" // not applicable: the measure has no value here
	NotAvailable   = "x" // not available: it cannot be worked out (no population for a rate, say)
	LowReliability = "u"
	Rounded0       = "k" // rounds to zero, not zero
)

// Value is a cell: a number, or a symbol in its place.
type Value struct {
	N      float64
	Symbol string
}

// Num is a number.
func Num(n float64) Value { return Value{N: n} }

// Sym is a symbol.
func Sym(s string) Value { return Value{Symbol: s} }

// Published reports whether the cell shows a number.
func (v Value) Published() bool { return v.Symbol == "" }

// MarshalJSON is the number, or the symbol as a string.
func (v Value) MarshalJSON() ([]byte, error) {
	if v.Symbol != "" {
		return []byte(`"` + v.Symbol + `"`), nil
	}
	if v.N == float64(int64(v.N)) {
		return []byte(fmt.Sprintf("%d", int64(v.N))), nil
	}
	return []byte(fmt.Sprintf("%.1f", v.N)), nil
}

// Table is a table of counts: rows by label, columns by name. When
// TotalRow is set its last row is the sum of the others in every additive
// column; when TotalColumn is set its last column is the sum of the others
// in every row. Columns in Rates are not counts (a rate, a per cent): they
// are not protected as counts, but shown only where their denominator,
// the column named in Denominators, is published.
type Table struct {
	ID          string            `json:"id"`
	Title       string            `json:"title"`
	Columns     []string          `json:"columns"`
	Rows        []Row             `json:"rows"`
	TotalRow    bool              `json:"-"`
	TotalColumn bool              `json:"-"`
	Rates       map[string]string `json:"-"` // rate column: the count column it is of
	// Ratios are columns worked out from counts (a rate per 10,000, a per
	// cent): under a profile they are worked out again from the published
	// counts, so they give away nothing the counts do not.
	Ratios map[string]Ratio `json:"-"`
	// Stacked says the count columns are parts of one whole (a place's
	// children and persons), so a chart stacks them; otherwise they are
	// other views of the same things (latest and highest level, events
	// and children) and a chart draws the first alone.
	Stacked bool `json:"-"`
}

// Ratio is a column worked out as Per * Num / Den: Num a count column of
// the row; Den a count column of the row named DenRow (the same row when
// ""), or, when Den is "", the constant Of (a population: x, not available,
// when not above zero). A denominator of zero gives z, not applicable.
type Ratio struct {
	Num, Den, DenRow string
	Per, Of          float64
}

// ratio works r out for row i; ok is false when a count it needs is not
// published (the symbol is then the one to show).
func (t *Table) ratio(r Ratio, i int) Value {
	num, ok := t.Rows[i].Values[r.Num]
	if !ok {
		return Sym(NotApplicable)
	}
	if !num.Published() {
		return Sym(Suppressed)
	}
	den := Num(r.Of)
	if r.Den != "" {
		j := i
		if r.DenRow != "" {
			j = -1
			for k := range t.Rows {
				if t.Rows[k].Label == r.DenRow {
					j = k
				}
			}
			if j < 0 {
				return Sym(NotApplicable)
			}
		}
		if den = t.Rows[j].Values[r.Den]; !den.Published() {
			return Sym(Suppressed)
		}
	} else if r.Of <= 0 {
		return Sym(NotAvailable)
	}
	if den.N == 0 {
		return Sym(NotApplicable)
	}
	return Num(float64(int64(r.Per*num.N*10/den.N+0.5)) / 10)
}

// fillRatios works every ratio out from the counts.
func (t *Table) fillRatios() {
	for i := range t.Rows {
		for col, r := range t.Ratios {
			t.Rows[i].Values[col] = t.ratio(r, i)
		}
	}
}

// Row is a labelled row.
type Row struct {
	Label  string           `json:"label"`
	Values map[string]Value `json:"values"`
}

// Profile is a disclosure control profile.
type Profile string

const (
	// Internal: exact; inside the area only.
	Internal Profile = "internal"
	// DfE: 1 to 5 suppressed, with secondary suppression.
	DfE Profile = "dfe"
	// NHS: 1 to 7 suppressed, other counts rounded to 5.
	NHS Profile = "nhs"
	// ONS: under 10 suppressed, others rounded to 5.
	ONS Profile = "ons-10-5"
)

// Profiles lists the profiles.
var Profiles = []Profile{Internal, DfE, NHS, ONS}

// Valid reports whether p is a profile.
func (p Profile) Valid() bool { return slices.Contains(Profiles, p) }

// unsafe reports whether a count may not be published under p.
func (p Profile) unsafe(n int) bool {
	switch p {
	case DfE:
		return n >= 1 && n <= 5
	case NHS:
		return n >= 1 && n <= 7
	case ONS:
		return n < 10
	}
	return false
}

// Round is a count as p publishes it: to the nearest 5 under NHS and ONS
// (halves up), as it is otherwise. Rounding a rounded count changes
// nothing.
func (p Profile) Round(n int) int {
	if p == NHS || p == ONS {
		return (n + 2) / 5 * 5
	}
	return n
}

// Safe reports whether a published count is one p allows: not in its
// unsafe range, and rounded where it rounds.
func (p Profile) Safe(n int) bool {
	return !p.unsafe(n) && p.Round(n) == n
}

// cell names a count cell by row and column.
type cell struct{ r, c int }

// Protect applies p to a table of exact counts: small counts suppressed,
// then enough others in each row and column (and their totals) that no
// suppressed count can be worked out from its row, its column or a total;
// counts rounded where p rounds; a rate shown only where its count is.
// Totals are computed before, and protected like any count.
func Protect(t Table, p Profile) Table {
	out := Table{ID: t.ID, Title: t.Title, Columns: slices.Clone(t.Columns), TotalRow: t.TotalRow, TotalColumn: t.TotalColumn, Rates: t.Rates, Ratios: t.Ratios}
	out.Rows = make([]Row, len(t.Rows))
	for i, r := range t.Rows {
		vals := make(map[string]Value, len(r.Values))
		for k, v := range r.Values {
			vals[k] = v
		}
		out.Rows[i] = Row{Label: r.Label, Values: vals}
	}
	if p == Internal || !p.Valid() {
		return out
	}
	counts := []int{} // the count columns
	for j, c := range t.Columns {
		_, rate := t.Rates[c]
		if _, ratio := t.Ratios[c]; !rate && !ratio {
			counts = append(counts, j)
		}
	}
	get := func(x cell) Value { return out.Rows[x.r].Values[out.Columns[x.c]] }
	set := func(x cell, v Value) { out.Rows[x.r].Values[out.Columns[x.c]] = v }
	// Primary suppression.
	for i := range out.Rows {
		for _, j := range counts {
			x := cell{i, j}
			if v := get(x); v.Published() && p.unsafe(int(v.N)) {
				set(x, Sym(Suppressed))
			}
		}
	}
	// The groups whose sum is published: each count column, over the
	// rows, with the total row; each row, over the count columns, with the
	// total column.
	var groups [][]cell
	if t.TotalRow && len(out.Rows) > 1 {
		for _, j := range counts {
			var g []cell
			for i := range out.Rows {
				g = append(g, cell{i, j})
			}
			groups = append(groups, g)
		}
	}
	if t.TotalColumn && len(counts) > 1 {
		for i := range out.Rows {
			var g []cell
			for _, j := range counts {
				g = append(g, cell{i, j})
			}
			groups = append(groups, g)
		}
	}
	// Secondary suppression: a group with one suppressed cell gives it
	// away (the total less the rest); suppress its smallest other count,
	// then look again, until no group has exactly one.
	for changed := true; changed; {
		changed = false
		for _, g := range groups {
			n := 0
			for _, x := range g {
				if !get(x).Published() && get(x).Symbol == Suppressed {
					n++
				}
			}
			if n != 1 {
				continue
			}
			best := cell{-1, -1}
			bestN := 0.0
			total := g[len(g)-1]
			pick := func(x cell, allowZero bool) {
				v := get(x)
				if !v.Published() || (!allowZero && v.N == 0) {
					return
				}
				if best.r < 0 || v.N < bestN {
					best, bestN = x, v.N
				}
			}
			for _, x := range g[:len(g)-1] {
				pick(x, false)
			}
			if best.r < 0 {
				pick(total, true)
			}
			if best.r < 0 {
				for _, x := range g[:len(g)-1] {
					pick(x, true)
				}
			}
			if best.r >= 0 {
				set(best, Sym(Suppressed))
				changed = true
			}
		}
	}
	// Rounding.
	for i := range out.Rows {
		for _, j := range counts {
			x := cell{i, j}
			if v := get(x); v.Published() {
				set(x, Num(float64(p.Round(int(v.N)))))
			}
		}
	}
	// Ratios worked out again from the published counts, but a symbol
	// (x, no population; z, nothing to divide by) stays.
	for i := range out.Rows {
		for col, r := range t.Ratios {
			if v, ok := out.Rows[i].Values[col]; ok && v.Published() {
				out.Rows[i].Values[col] = out.ratio(r, i)
			}
		}
	}
	// A rate only where its count is published.
	for i := range out.Rows {
		for rate, of := range t.Rates {
			if v, ok := out.Rows[i].Values[of]; ok && !v.Published() {
				if _, has := out.Rows[i].Values[rate]; has {
					out.Rows[i].Values[rate] = Sym(Suppressed)
				}
			}
		}
	}
	return out
}
