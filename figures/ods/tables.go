package ods

import (
	"lantern/figures"
)

// Cover is what the cover sheet says of the tables that follow.
type Cover struct {
	Title   string
	Period  string
	Profile string
	Notes   []string
}

// Symbols are the Government Statistical Service's symbols, as the cover
// sheet explains them.
var Symbols = [][2]string{
	{"[c]", "Confidential: suppressed to protect a small number, or one that would give it away"},
	{"[z]", "Not applicable"},
	{"[x]", "Not available"},
	{"[u]", "Low reliability"},
	{"[k]", "Rounds to zero, but is not zero"},
}

// Value is a table's cell as a spreadsheet holds it: a number, or its
// symbol in brackets as text ([c]), as the GSS guidance on symbols asks.
func Value(v figures.Value) Cell {
	if !v.Published() {
		return Str("[" + v.Symbol + "]")
	}
	return Float(v.N)
}

// TableHeaderRow is the row of each table's sheet that names its columns:
// the title is above it, then a line on the period and profile.
const TableHeaderRow = 2

// Tables is a spreadsheet of tables: a cover sheet (title, period,
// profile, notes, the symbol key and the list of sheets), then a sheet a
// table named by its id, its first column the rows' labels.
func Tables(c Cover, tables []figures.Table) Doc {
	cover := Sheet{Name: "Cover", Rows: [][]Cell{
		{Head(c.Title)},
		{Str("Period"), Str(c.Period)},
		{Str("Disclosure control"), Str(c.Profile)},
	}}
	if len(c.Notes) > 0 {
		cover.Rows = append(cover.Rows, []Cell{Head("Notes")})
		for _, n := range c.Notes {
			cover.Rows = append(cover.Rows, []Cell{Str(n)})
		}
	}
	cover.Rows = append(cover.Rows, []Cell{Head("Symbol"), Head("Meaning")})
	for _, s := range Symbols {
		cover.Rows = append(cover.Rows, []Cell{Str(s[0]), Str(s[1])})
	}
	cover.Rows = append(cover.Rows, []Cell{Head("Sheet"), Head("Table")})
	doc := Doc{Title: c.Title, Sheets: []Sheet{cover}}
	for _, t := range tables {
		title := t.Title
		if title == "" {
			title = t.ID
		}
		cover.Rows = append(cover.Rows, []Cell{Str(SheetName(t.ID)), Str(title)})
		sh := Sheet{Name: t.ID, Rows: [][]Cell{
			{Head(title)},
			{Str("Period " + c.Period + ", disclosure control " + c.Profile + ". The symbols are explained on the cover sheet.")},
		}}
		head := []Cell{Head("Row")}
		for _, col := range t.Columns {
			head = append(head, Head(col))
		}
		sh.Rows = append(sh.Rows, head)
		for _, r := range t.Rows {
			row := []Cell{Str(r.Label)}
			for _, col := range t.Columns {
				v, ok := r.Values[col]
				if !ok {
					v = figures.Sym(figures.NotAvailable)
				}
				row = append(row, Value(v))
			}
			sh.Rows = append(sh.Rows, row)
		}
		doc.Sheets = append(doc.Sheets, sh)
	}
	doc.Sheets[0] = cover
	return doc
}
