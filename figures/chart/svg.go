// Package chart draws the partnership's figures as SVG, on the server,
// with no chart library and nothing fetched from anywhere (docs/figures.md,
// "Charts"). Every chart is an image with a title and a description of its
// main message (role="img", aria-labelledby), carries its numbers as text
// and as data-value attributes equal to the table drawn beside it, never
// relies on colour alone (dash patterns, marker shapes, fill patterns and a
// text legend), and draws a suppressed or unavailable value as a labelled
// gap, never as zero. It is pure: it returns template.HTML.
package chart

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"lantern/figures"
)

// svg builds an SVG document with every attribute value and text escaped:
// element and attribute names are this package's constants, never data.
type svg struct{ b strings.Builder }

// clean makes s safe in XML text: characters XML cannot hold (most control
// characters, invalid UTF-8) become U+FFFD, and the rest is HTML-escaped.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if !ok || !utf8.ValidString(s) {
		s = strings.Map(func(r rune) rune {
			if xmlChar(r) {
				return r
			}
			return utf8.RuneError
		}, strings.ToValidUTF8(s, string(utf8.RuneError)))
	}
	return html.EscapeString(s)
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// open writes <name k="v" ...>, or <name .../> when closed.
func (s *svg) open(name string, closed bool, kv ...string) {
	s.b.WriteString("<" + name)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" && kv[i] != "data-value" {
			continue
		}
		s.b.WriteString(" " + kv[i] + `="` + clean(kv[i+1]) + `"`)
	}
	if closed {
		s.b.WriteString("/>")
	} else {
		s.b.WriteString(">")
	}
}

func (s *svg) el(name string, kv ...string) { s.open(name, true, kv...) }

func (s *svg) close(name string) { s.b.WriteString("</" + name + ">") }

// text writes a text element.
func (s *svg) text(x, y float64, anchor, body string, kv ...string) {
	attrs := append([]string{"x", num(x), "y", num(y), "text-anchor", anchor, "font-family", "sans-serif", "font-size", "12", "fill", ink}, kv...)
	s.open("text", false, attrs...)
	s.b.WriteString(clean(body))
	s.close("text")
}

// haloText is text readable on any fill: dark with a white halo.
func (s *svg) haloText(x, y float64, anchor, body string, kv ...string) {
	s.text(x, y, anchor, body, append([]string{"paint-order", "stroke", "stroke", "#ffffff", "stroke-width", "3"}, kv...)...)
}

// start opens the svg with its title and description.
func (s *svg) start(id, kind string, w, h float64, title, desc string) {
	if strings.TrimSpace(title) == "" {
		title = "Chart" // an image must have a name
	}
	s.open("svg", false, "xmlns", "http://www.w3.org/2000/svg", "viewBox", "0 0 "+num(w)+" "+num(h), "width", num(w), "height", num(h),
		"class", "app-figure-chart", "role", "img", "id", id, "aria-labelledby", id+"-title "+id+"-desc", "data-chart", kind)
	s.open("title", false, "id", id+"-title")
	s.b.WriteString(clean(title))
	s.close("title")
	s.open("desc", false, "id", id+"-desc")
	s.b.WriteString(clean(desc))
	s.close("desc")
}

func (s *svg) html() template.HTML {
	s.close("svg")
	return template.HTML(s.b.String()) // every value in it went through clean
}

// num is a coordinate, to one decimal place at most.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = 0
	}
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// Text is a value as a chart and its table show it: the number, or its
// symbol (c, z, x, u, k).
func Text(v figures.Value) string {
	if !v.Published() {
		return v.Symbol
	}
	return strconv.FormatFloat(v.N, 'f', -1, 64)
}

// SymbolMeaning is what a symbol stands for, as the Government Statistical
// Service's guidance words it.
func SymbolMeaning(sym string) string {
	switch sym {
	case figures.Suppressed:
		return "suppressed to protect a small number"
	case figures.NotApplicable:
		return "not applicable"
	case figures.NotAvailable:
		return "not available"
	case figures.LowReliability:
		return "low reliability"
	case figures.Rounded0:
		return "rounds to zero"
	}
	return "not shown"
}

// SafeID makes s an element id: letters, digits and hyphens, starting with
// a letter.
func SafeID(s string) string {
	var b strings.Builder
	b.WriteString("chart-")
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
		if b.Len() > 60 {
			break
		}
	}
	return b.String()
}

// shorten cuts a label to n characters with an ellipsis: the table beside
// the chart has it whole.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Colours are from the GOV.UK palette, each at least 3:1 against white;
// each series also has its own pattern, dash or marker, so that no colour
// is the only way to tell them apart.
const ink = "#0b0c0c"

var colours = []string{"#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#505a5f"}

// niceMax rounds a chart's largest value up to a round number for the
// axis, and gives the step between its ticks.
func niceMax(m float64) (top, step float64) {
	if m <= 0 {
		return 1, 1
	}
	raw := m / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 5, 10} { // whole steps: these are counts
		if f*mag >= raw {
			step = f * mag
			break
		}
	}
	if step < 1 {
		step = 1
	}
	return math.Ceil(m/step) * step, step
}

// symbolKey lists the meanings of the symbols in vs, for a chart's key.
func symbolKey(vs ...[]figures.Value) string {
	seen := map[string]bool{}
	var parts []string
	for _, list := range vs {
		for _, v := range list {
			if !v.Published() && !seen[v.Symbol] {
				seen[v.Symbol] = true
				parts = append(parts, v.Symbol+": "+SymbolMeaning(v.Symbol))
			}
		}
	}
	return strings.Join(parts, "; ")
}

// plural is n and its noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
