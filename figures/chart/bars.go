package chart

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"

	"lantern/figures"
)

// Bars is a bar chart of categories. With one series each category is a
// horizontal bar; with several, its bar is stacked from them (children by
// level in each category, say). Vertical draws columns instead (one a
// period, say), stacked the same way.
type Bars struct {
	ID         string // unique on its page
	Title      string
	Categories []string
	Series     []Series
	Vertical   bool
}

// fills: the first series is solid, the others patterned (stripes, dots,
// hatching), so that segments differ by more than colour.
func (s *svg) patterns(id string, n int) {
	s.open("defs", false)
	for k := 1; k < n; k++ {
		c := colours[k%len(colours)]
		s.open("pattern", false, "id", fmt.Sprintf("%s-p%d", id, k), "width", "8", "height", "8", "patternUnits", "userSpaceOnUse")
		s.el("rect", "width", "8", "height", "8", "fill", "#ffffff")
		switch (k - 1) % 5 {
		case 0: // diagonal stripes
			s.el("path", "d", "M-2 2L2 -2M0 8L8 0M6 10L10 6", "stroke", c, "stroke-width", "2.5")
		case 1: // dots
			s.el("circle", "cx", "4", "cy", "4", "r", "2", "fill", c)
		case 2: // cross-hatch
			s.el("path", "d", "M0 0L8 8M8 0L0 8", "stroke", c, "stroke-width", "1.5")
		case 3: // horizontal stripes
			s.el("path", "d", "M0 2H8M0 6H8", "stroke", c, "stroke-width", "2")
		default: // vertical stripes
			s.el("path", "d", "M2 0V8M6 0V8", "stroke", c, "stroke-width", "2")
		}
		s.close("pattern")
	}
	s.close("defs")
}

func fill(id string, k int) string {
	if k == 0 {
		return colours[0]
	}
	return fmt.Sprintf("url(#%s-p%d)", id, k)
}

// value is series k's value for category i: not available when missing.
func (b Bars) value(k, i int) figures.Value {
	if i < len(b.Series[k].Values) {
		return b.Series[k].Values[i]
	}
	return figures.Sym(figures.NotAvailable)
}

// barsDesc is a bar chart's main message: the largest category, and with
// one series each category's value in turn when there are few.
func barsDesc(b Bars) string {
	if len(b.Categories) == 0 || len(b.Series) == 0 {
		return "Nothing to show."
	}
	best, bestN, gaps := -1, 0.0, 0
	totals := make([]float64, len(b.Categories))
	complete := make([]bool, len(b.Categories))
	for i := range b.Categories {
		complete[i] = true
		for k := range b.Series {
			v := b.value(k, i)
			if !v.Published() {
				complete[i] = false
				gaps++
				continue
			}
			totals[i] += v.N
		}
		if complete[i] && (best < 0 || totals[i] > bestN) {
			best, bestN = i, totals[i]
		}
	}
	var msg string
	if best >= 0 {
		msg = fmt.Sprintf("The largest is %s, %s.", b.Categories[best], Text(figures.Num(bestN)))
	} else {
		msg = "No category has every value published."
	}
	if len(b.Series) == 1 && len(b.Categories) <= 12 {
		var parts []string
		for i, c := range b.Categories {
			parts = append(parts, c+" "+Text(b.value(0, i)))
		}
		msg += " " + strings.Join(parts, ", ") + "."
	} else if len(b.Series) > 1 {
		var names []string
		for _, sr := range b.Series {
			names = append(names, sr.Name)
		}
		msg += " Each bar is made up of " + strings.Join(names, ", ") + "."
	}
	if gaps > 0 {
		msg += fmt.Sprintf(" %s not drawn (suppressed or not available), marked with its symbol.", plural(gaps, "value is", "values are"))
	}
	return msg
}

// SVG draws the chart.
func (b Bars) SVG() template.HTML {
	if b.Vertical {
		return b.columns()
	}
	return b.rows()
}

// rows draws a horizontal bar for each category: its label at the left,
// its value (or its segments' values) written on or after it.
func (b Bars) rows() template.HTML {
	id := SafeID(b.ID)
	const w, rowH, barH, top = 720.0, 30.0, 20.0, 10.0
	labelW := 40.0
	for _, c := range b.Categories {
		labelW = max(labelW, float64(min(utf8.RuneCountInString(c), 34))*6.6+12)
	}
	right := 120.0
	plotW := w - labelW - right
	legendH := 0.0
	if len(b.Series) > 1 {
		legendH = 22 * float64(len(b.Series))
	}
	h := top + rowH*float64(len(b.Categories)) + 28 + legendH + 20
	var s svg
	s.start(id, "bars", w, h, b.Title, barsDesc(b))
	if len(b.Series) > 1 {
		s.patterns(id, len(b.Series))
	}
	hi := 0.0
	for i := range b.Categories {
		t := 0.0
		for k := range b.Series {
			if v := b.value(k, i); v.Published() {
				t += v.N
			}
		}
		hi = max(hi, t)
	}
	xmax, _ := niceMax(hi)
	scale := func(v float64) float64 { return v / xmax * plotW }
	x0 := labelW
	s.el("line", "x1", num(x0), "y1", num(top-4), "x2", num(x0), "y2", num(top+rowH*float64(len(b.Categories))), "stroke", ink)
	for i, c := range b.Categories {
		y := top + float64(i)*rowH
		s.open("g", false, "data-category", c)
		s.text(x0-6, y+barH/2+4, "end", shorten(c, 34))
		x := x0
		var notes []string
		for k := range b.Series {
			v := b.value(k, i)
			name := b.Series[k].Name
			if !v.Published() {
				// A gap: nothing drawn, the symbol written instead.
				s.el("rect", "x", num(x), "y", num(y), "width", "0", "height", num(barH), "fill", "none",
					"data-series", name, "data-value", v.Symbol, "data-gap", "true")
				if len(b.Series) == 1 {
					notes = append(notes, v.Symbol)
				} else {
					notes = append(notes, shorten(name, 14)+" "+v.Symbol)
				}
				continue
			}
			bw := scale(v.N)
			s.el("rect", "x", num(x), "y", num(y), "width", num(bw), "height", num(barH), "fill", fill(id, k), "stroke", ink, "stroke-width", "1",
				"data-series", name, "data-value", Text(v))
			label := Text(v)
			switch {
			case len(b.Series) == 1:
				notes = append(notes, label)
			case bw >= float64(len(label))*7+6:
				s.haloText(x+bw/2, y+barH/2+4, "middle", label)
			default:
				notes = append(notes, shorten(name, 14)+" "+label)
			}
			x += bw
		}
		if len(notes) > 0 {
			s.text(x+6, y+barH/2+4, "start", strings.Join(notes, ", "), "data-label", "value")
		}
		s.close("g")
	}
	ly := top + rowH*float64(len(b.Categories)) + 24
	if len(b.Series) > 1 {
		for k, sr := range b.Series {
			yy := ly + float64(k)*22
			s.el("rect", "x", num(x0), "y", num(yy-12), "width", "24", "height", "14", "fill", fill(id, k), "stroke", ink)
			s.text(x0+32, yy, "start", sr.Name)
		}
		ly += 22 * float64(len(b.Series))
	}
	var all [][]figures.Value
	for _, sr := range b.Series {
		all = append(all, sr.Values)
	}
	if key := symbolKey(all...); key != "" {
		s.text(x0, ly, "start", "Not drawn: "+key+".", "font-size", "11")
	}
	return s.html()
}

// columns draws a column for each category (a period, say), stacked from
// the series, with each segment's value written in it where it fits, and
// the column's total above it when every segment is published.
func (b Bars) columns() template.HTML {
	id := SafeID(b.ID)
	const w, left, right, top, plotH = 760.0, 56.0, 20.0, 24.0, 240.0
	n := len(b.Categories)
	legendH := 22 * float64(len(b.Series))
	h := top + plotH + 44 + legendH + 20
	var s svg
	s.start(id, "columns", w, h, b.Title, barsDesc(b))
	s.patterns(id, len(b.Series))
	plotW := w - left - right
	base := top + plotH
	hi := 0.0
	for i := range b.Categories {
		t := 0.0
		for k := range b.Series {
			if v := b.value(k, i); v.Published() {
				t += v.N
			}
		}
		hi = max(hi, t)
	}
	ymax, step := niceMax(hi)
	scale := func(v float64) float64 { return v / ymax * plotH }
	for t := 0.0; t <= ymax+step/2; t += step {
		yy := base - scale(t)
		s.el("line", "x1", num(left), "y1", num(yy), "x2", num(w-right), "y2", num(yy), "stroke", "#b1b4b6")
		s.text(left-6, yy+4, "end", Text(figures.Num(t)))
	}
	slot := plotW / float64(max(n, 1))
	bw := min(slot*0.7, 60)
	longest := 1
	for _, c := range b.Categories {
		longest = max(longest, utf8.RuneCountInString(c))
	}
	every := max(1, int(float64(longest)*6.6+10)/int(max(slot, 1))+1)
	for i, c := range b.Categories {
		cx := left + slot*float64(i) + slot/2
		s.open("g", false, "data-category", c)
		y := base
		total, whole := 0.0, true
		var gaps []string
		for k := range b.Series {
			v := b.value(k, i)
			name := b.Series[k].Name
			if !v.Published() {
				whole = false
				s.el("rect", "x", num(cx-bw/2), "y", num(y), "width", num(bw), "height", "0", "fill", "none",
					"data-series", name, "data-value", v.Symbol, "data-gap", "true")
				gaps = append(gaps, v.Symbol)
				continue
			}
			sh := scale(v.N)
			y -= sh
			total += v.N
			s.el("rect", "x", num(cx-bw/2), "y", num(y), "width", num(bw), "height", num(sh), "fill", fill(id, k), "stroke", ink, "stroke-width", "1",
				"data-series", name, "data-value", Text(v))
			if label := Text(v); sh >= 14 && bw >= float64(len(label))*7+4 {
				s.haloText(cx, y+sh/2+4, "middle", label)
			}
		}
		top := Text(figures.Num(total))
		if !whole {
			top = strings.Join(gaps, " ")
		}
		s.text(cx, y-4, "middle", top, "font-size", "11", "data-label", "total")
		if i%every == 0 {
			s.text(cx, base+18, "middle", c, "font-size", "11")
		}
		s.close("g")
	}
	s.el("line", "x1", num(left), "y1", num(base), "x2", num(w-right), "y2", num(base), "stroke", ink)
	ly := base + 44
	for k, sr := range b.Series {
		yy := ly + float64(k)*22
		s.el("rect", "x", num(left), "y", num(yy-12), "width", "24", "height", "14", "fill", fill(id, k), "stroke", ink)
		s.text(left+32, yy, "start", sr.Name)
	}
	var all [][]figures.Value
	for _, sr := range b.Series {
		all = append(all, sr.Values)
	}
	if key := symbolKey(all...); key != "" {
		s.text(left, ly+legendH, "start", "Not drawn: "+key+".", "font-size", "11")
	}
	return s.html()
}
