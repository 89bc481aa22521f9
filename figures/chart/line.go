package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"

	"lantern/figures"
)

// Series is a named line, or one segment of every stacked bar: a value for
// each period or category, in order.
type Series struct {
	Name   string
	Values []figures.Value
}

// Line is a trend: several series over periods (up to ten years of months,
// and more if asked: the axis thins its labels).
type Line struct {
	ID      string // unique on its page
	Title   string
	Periods []string
	Series  []Series
}

// dashes and markers tell the lines apart without colour.
var (
	dashes  = []string{"", "8 4", "2 3", "10 3 2 3", "4 4", "1 5"}
	markers = []string{"circle", "square", "triangle", "diamond", "cross", "bar"}
)

// marker draws a point's marker of the given shape at x, y.
func (s *svg) marker(shape string, x, y float64, colour string, kv ...string) {
	base := append([]string{"fill", "#ffffff", "stroke", colour, "stroke-width", "2"}, kv...)
	switch shape {
	case "circle":
		s.el("circle", append([]string{"cx", num(x), "cy", num(y), "r", "3.5"}, base...)...)
	case "square":
		s.el("rect", append([]string{"x", num(x - 3.5), "y", num(y - 3.5), "width", "7", "height", "7"}, base...)...)
	case "triangle":
		s.el("path", append([]string{"d", fmt.Sprintf("M%s %sL%s %sL%s %sZ", num(x), num(y-4.5), num(x+4), num(y+3), num(x-4), num(y+3))}, base...)...)
	case "diamond":
		s.el("path", append([]string{"d", fmt.Sprintf("M%s %sL%s %sL%s %sL%s %sZ", num(x), num(y-5), num(x+5), num(y), num(x), num(y+5), num(x-5), num(y))}, base...)...)
	case "cross":
		s.el("path", append([]string{"d", fmt.Sprintf("M%s %sL%s %sM%s %sL%s %s", num(x-4), num(y-4), num(x+4), num(y+4), num(x-4), num(y+4), num(x+4), num(y-4))}, base...)...)
	default:
		s.el("rect", append([]string{"x", num(x - 1.5), "y", num(y - 5), "width", "3", "height", "10"}, base...)...)
	}
}

// lineDesc is a line chart's main message: for each series, its highest
// and its latest published value, and the change from its first.
func lineDesc(l Line) string {
	if len(l.Periods) == 0 {
		return "No periods to show."
	}
	var parts []string
	for _, sr := range l.Series {
		first, last, hi := -1, -1, -1
		gaps := 0
		for i, v := range sr.Values {
			if i >= len(l.Periods) {
				break
			}
			if !v.Published() {
				gaps++
				continue
			}
			if first < 0 {
				first = i
			}
			last = i
			if hi < 0 || v.N > sr.Values[hi].N {
				hi = i
			}
		}
		if first < 0 {
			parts = append(parts, sr.Name+": no value published in any period.")
			continue
		}
		p := fmt.Sprintf("%s: highest %s in %s; latest %s in %s", sr.Name, Text(sr.Values[hi]), l.Periods[hi], Text(sr.Values[last]), l.Periods[last])
		if last != first {
			ch := sr.Values[last].N - sr.Values[first].N
			switch {
			case ch > 0:
				p += fmt.Sprintf(", up %s from %s in %s", Text(figures.Num(ch)), Text(sr.Values[first]), l.Periods[first])
			case ch < 0:
				p += fmt.Sprintf(", down %s from %s in %s", Text(figures.Num(-ch)), Text(sr.Values[first]), l.Periods[first])
			default:
				p += fmt.Sprintf(", the same as in %s", l.Periods[first])
			}
		}
		if gaps > 0 {
			p += fmt.Sprintf("; %s not shown (suppressed or not available)", plural(gaps, "period", "periods"))
		}
		parts = append(parts, p+".")
	}
	return fmt.Sprintf("%s, %s to %s. ", plural(len(l.Series), "line", "lines"), l.Periods[0], l.Periods[len(l.Periods)-1]) + strings.Join(parts, " ")
}

// SVG draws the trend: a line per series with its own dash and marker,
// broken where a value is not published (a gap labelled with its symbol
// at the foot of the chart), the latest value labelled at the line's end,
// and a legend naming each line.
func (l Line) SVG() template.HTML {
	const (
		w, left, right, top, plotH = 760.0, 56.0, 56.0, 20.0, 240.0
	)
	id := SafeID(l.ID)
	n := len(l.Periods)
	legendH := 22.0 * float64(len(l.Series)+1)
	h := top + plotH + 44 + legendH
	var s svg
	s.start(id, "line", w, h, l.Title, lineDesc(l))
	plotW := w - left - right
	base := top + plotH
	hi := 0.0
	for _, sr := range l.Series {
		for i, v := range sr.Values {
			if i < n && v.Published() && v.N > hi {
				hi = v.N
			}
		}
	}
	ymax, step := niceMax(hi)
	y := func(v float64) float64 { return base - v/ymax*plotH }
	x := func(i int) float64 {
		if n <= 1 {
			return left + plotW/2
		}
		return left + float64(i)*plotW/float64(n-1)
	}
	// The axes and grid.
	for t := 0.0; t <= ymax+step/2; t += step {
		s.el("line", "x1", num(left), "y1", num(y(t)), "x2", num(w-right), "y2", num(y(t)), "stroke", "#b1b4b6", "stroke-width", "1")
		s.text(left-6, y(t)+4, "end", Text(figures.Num(t)))
	}
	s.el("line", "x1", num(left), "y1", num(base), "x2", num(w-right), "y2", num(base), "stroke", ink, "stroke-width", "1")
	longest := 1
	for _, p := range l.Periods {
		longest = max(longest, utf8.RuneCountInString(p))
	}
	every := int(math.Ceil(float64(n) / math.Max(1, math.Floor(plotW/(float64(longest)*6.6+10)))))
	every = max(every, 1)
	for i, p := range l.Periods {
		if i%every == 0 || i == n-1 && (n-1)%every >= every/2+1 {
			s.el("line", "x1", num(x(i)), "y1", num(base), "x2", num(x(i)), "y2", num(base+4), "stroke", ink)
			s.text(x(i), base+18, "middle", p, "font-size", "11")
		}
	}
	// The lines.
	for k, sr := range l.Series {
		colour, dash, shape := colours[k%len(colours)], dashes[k%len(dashes)], markers[k%len(markers)]
		var d strings.Builder
		pen := false
		for i := 0; i < n; i++ {
			v := figures.Value{Symbol: figures.NotAvailable}
			if i < len(sr.Values) {
				v = sr.Values[i]
			}
			if !v.Published() {
				pen = false
				continue
			}
			if pen {
				d.WriteString("L")
			} else {
				d.WriteString("M")
			}
			d.WriteString(num(x(i)) + " " + num(y(v.N)))
			pen = true
		}
		s.open("g", false, "data-series", sr.Name)
		if d.Len() > 0 {
			s.el("path", "d", d.String(), "fill", "none", "stroke", colour, "stroke-width", "2.5", "stroke-dasharray", dash, "stroke-linejoin", "round")
		}
		lastPub := -1
		for i := 0; i < n; i++ {
			v := figures.Value{Symbol: figures.NotAvailable}
			if i < len(sr.Values) {
				v = sr.Values[i]
			}
			if v.Published() {
				lastPub = i
				s.marker(shape, x(i), y(v.N), colour, "data-period", l.Periods[i], "data-value", Text(v))
				continue
			}
			// A gap, labelled with its symbol at the foot, never a zero.
			s.text(x(i), base-4-float64(k)*12, "middle", v.Symbol, "font-size", "10", "data-period", l.Periods[i], "data-value", v.Symbol, "data-gap", "true")
		}
		if lastPub >= 0 {
			v := sr.Values[lastPub]
			s.haloText(x(lastPub)+7, y(v.N)-6-float64(k)*13, "start", Text(v), "font-weight", "bold", "data-label", "latest")
		}
		s.close("g")
	}
	// The legend: a sample of each line, its dash and marker, and its name.
	ly := base + 44
	for k, sr := range l.Series {
		colour := colours[k%len(colours)]
		yy := ly + float64(k)*22
		s.el("line", "x1", num(left), "y1", num(yy-4), "x2", num(left+36), "y2", num(yy-4), "stroke", colour, "stroke-width", "2.5", "stroke-dasharray", dashes[k%len(dashes)])
		s.marker(markers[k%len(markers)], left+18, yy-4, colour)
		s.text(left+46, yy, "start", sr.Name)
	}
	var all [][]figures.Value
	for _, sr := range l.Series {
		all = append(all, sr.Values)
	}
	if key := symbolKey(all...); key != "" {
		s.text(left, ly+float64(len(l.Series))*22, "start", "Gaps: "+key+".", "font-size", "11")
	}
	return s.html()
}
