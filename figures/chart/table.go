package chart

import (
	"html/template"

	"lantern/figures"
)

// FunnelTables are the tables drawn as a funnel: the pathway's steps, one a
// row, in order.
var FunnelTables = map[string]bool{"pathway": true, "response": true}

// Counted are a table's rows and count columns as a chart draws them: the
// total row and total column left out (the bars show the parts), and
// rates and per cents left out (another unit; the table has them).
func Counted(t figures.Table) (rows []figures.Row, cols []string) {
	rows = t.Rows
	if t.TotalRow && len(rows) > 1 {
		rows = rows[:len(rows)-1]
	}
	cs := t.Columns
	if t.TotalColumn && len(cs) > 1 {
		cs = cs[:len(cs)-1]
	}
	for _, c := range cs {
		_, rate := t.Rates[c]
		_, ratio := t.Ratios[c]
		if !rate && !ratio {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 && len(cs) > 0 {
		cols = cs[:1]
	}
	if !t.Stacked && len(cols) > 1 {
		cols = cols[:1] // not parts of a whole: stacked, they would add what does not add
	}
	return rows, cols
}

// ForTable draws any table of counts as fits it: the pathway as a funnel;
// one count column as a bar a row; several as a bar a row stacked from
// them. The values drawn are the table's own, so a protected table's chart
// shows only what the table publishes.
func ForTable(t figures.Table) template.HTML {
	rows, cols := Counted(t)
	title := t.Title
	if title == "" {
		title = t.ID
	}
	var cats []string
	for _, r := range rows {
		cats = append(cats, r.Label)
	}
	if len(cols) == 0 {
		return Bars{ID: t.ID, Title: title}.SVG()
	}
	if FunnelTables[t.ID] {
		f := Funnel{ID: t.ID, Title: title, Steps: cats, Series: figures.ColumnLabel(cols[0])}
		for _, r := range rows {
			f.Values = append(f.Values, cell(r, cols[0]))
		}
		return f.SVG()
	}
	b := Bars{ID: t.ID, Title: title, Categories: cats}
	for _, c := range cols {
		sr := Series{Name: figures.ColumnLabel(c)} // named as the table's heading names it
		for _, r := range rows {
			sr.Values = append(sr.Values, cell(r, c))
		}
		b.Series = append(b.Series, sr)
	}
	return b.SVG()
}

// TrendChart draws a table whose columns are periods and whose rows are
// measures (figures.Trend's) as lines, a row a line.
func TrendChart(t figures.Table) template.HTML {
	title := t.Title
	if title == "" {
		title = t.ID
	}
	l := Line{ID: t.ID, Title: title, Periods: t.Columns}
	for _, r := range t.Rows {
		sr := Series{Name: r.Label}
		for _, c := range t.Columns {
			sr.Values = append(sr.Values, cell(r, c))
		}
		l.Series = append(l.Series, sr)
	}
	return l.SVG()
}

// cell is a row's value in a column; a cell the table lacks is not
// available, never zero.
func cell(r figures.Row, c string) figures.Value {
	if v, ok := r.Values[c]; ok {
		return v
	}
	return figures.Sym(figures.NotAvailable)
}
