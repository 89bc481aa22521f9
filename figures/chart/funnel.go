package chart

import (
	"fmt"
	"html/template"
	"math"

	"lantern/figures"
)

// Funnel is the pathway: concerns, toolkits, referrals, strategy meetings,
// s47 enquiries, conferences, plans; a step each, its bar as wide as its
// count, each step's count and its share of the step before written
// beside it.
type Funnel struct {
	ID     string // unique on its page
	Title  string
	Steps  []string
	Values []figures.Value
	// Series names the values (the table's column), "count" when empty.
	Series string
}

func (f Funnel) value(i int) figures.Value {
	if i < len(f.Values) {
		return f.Values[i]
	}
	return figures.Sym(figures.NotAvailable)
}

// funnelDesc is the funnel's main message: from the first step to the
// last, and the largest fall between two published steps in a row.
func funnelDesc(f Funnel) string {
	n := len(f.Steps)
	if n == 0 {
		return "No steps to show."
	}
	first, last := f.value(0), f.value(n-1)
	msg := fmt.Sprintf("From %s %s to %s %s.", Text(first), f.Steps[0], Text(last), f.Steps[n-1])
	drop, at := 0.0, -1
	gaps := 0
	for i := 0; i < n; i++ {
		if !f.value(i).Published() {
			gaps++
		}
		if i == 0 {
			continue
		}
		a, b := f.value(i-1), f.value(i)
		if a.Published() && b.Published() && a.N-b.N > drop {
			drop, at = a.N-b.N, i
		}
	}
	if at > 0 {
		msg += fmt.Sprintf(" The largest fall is from %s to %s: %s to %s.", f.Steps[at-1], f.Steps[at], Text(f.value(at-1)), Text(f.value(at)))
	}
	if gaps > 0 {
		msg += fmt.Sprintf(" %s not drawn (suppressed or not available), marked with its symbol.", plural(gaps, "step is", "steps are"))
	}
	return msg
}

// SVG draws the funnel, a centred bar a step; a step not published is an
// outline with its symbol, never a zero-width bar.
func (f Funnel) SVG() template.HTML {
	id := SafeID(f.ID)
	series := f.Series
	if series == "" {
		series = "count"
	}
	const w, rowH, barH, top, labelW = 820.0, 34.0, 24.0, 10.0, 200.0
	plotW := w - labelW - 260
	h := top + rowH*float64(len(f.Steps)) + 30
	var s svg
	s.start(id, "funnel", w, h, f.Title, funnelDesc(f))
	hi := 0.0
	for i := range f.Steps {
		if v := f.value(i); v.Published() {
			hi = max(hi, v.N)
		}
	}
	if hi <= 0 {
		hi = 1
	}
	cx := labelW + plotW/2
	for i, step := range f.Steps {
		v := f.value(i)
		y := top + float64(i)*rowH
		s.open("g", false, "data-category", step)
		s.text(labelW-8, y+barH/2+4, "end", shorten(step, 30))
		if !v.Published() {
			s.el("rect", "x", num(cx-plotW/4), "y", num(y), "width", num(plotW/2), "height", num(barH), "fill", "none", "stroke", ink,
				"stroke-dasharray", "4 3", "data-series", series, "data-value", v.Symbol, "data-gap", "true")
			s.text(cx, y+barH/2+4, "middle", v.Symbol+" ("+SymbolMeaning(v.Symbol)+")", "font-size", "11")
			s.close("g")
			continue
		}
		bw := math.Max(v.N/hi*plotW, 2)
		if v.N == 0 {
			bw = 0
		}
		s.el("rect", "x", num(cx-bw/2), "y", num(y), "width", num(bw), "height", num(barH), "fill", colours[0], "stroke", ink,
			"data-series", series, "data-value", Text(v))
		label := Text(v)
		if i > 0 {
			if p := f.value(i - 1); p.Published() && p.N > 0 {
				label += fmt.Sprintf(" (%s%% of the step before)", Text(figures.Num(math.Round(v.N/p.N*1000)/10)))
			}
		}
		s.text(cx+plotW/2+8, y+barH/2+4, "start", label, "data-label", "value")
		s.close("g")
	}
	if key := symbolKey(f.Values); key != "" {
		s.text(labelW, top+rowH*float64(len(f.Steps))+16, "start", "Not drawn: "+key+".", "font-size", "11")
	}
	return s.html()
}
