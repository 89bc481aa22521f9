package chart

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"testing"

	"lantern/figures"
)

// node is an SVG element as the tests read it back.
type node struct {
	Name  string
	Attr  map[string]string
	Text  string
	Kids  []*node
	Depth int
}

// parseSVG reads a chart as XML: it must be well-formed.
func parseSVG(t testing.TB, h template.HTML) *node {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(h)))
	dec.Entity = xml.HTMLEntity
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, h)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Name: tok.Name.Local, Attr: map[string]string{}, Depth: len(stack)}
			for _, a := range tok.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Kids = append(p.Kids, n)
			} else if root == nil {
				root = n
			} else {
				t.Fatalf("two root elements")
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		}
	}
	if root == nil {
		t.Fatal("no svg")
	}
	return root
}

// walk visits every element.
func (n *node) walk(f func(n, parent *node)) {
	var rec func(n, p *node)
	rec = func(n, p *node) {
		f(n, p)
		for _, k := range n.Kids {
			rec(k, n)
		}
	}
	rec(n, nil)
}

// values reads the drawn values: category (or period) and series to the
// value each mark carries.
func (n *node) values() map[string]string {
	out := map[string]string{}
	n.walk(func(e, p *node) {})
	var rec func(e *node, cat, series string)
	rec = func(e *node, cat, series string) {
		if c, ok := e.Attr["data-category"]; ok {
			cat = c
		}
		if s, ok := e.Attr["data-series"]; ok {
			series = s
		}
		if c, ok := e.Attr["data-period"]; ok {
			cat = c
		}
		if v, ok := e.Attr["data-value"]; ok {
			out[cat+"|"+series] = v
		}
		for _, k := range e.Kids {
			rec(k, cat, series)
		}
	}
	rec(n, "", "")
	return out
}

// texts are the visible text of the chart's text elements.
func (n *node) texts() []string {
	var out []string
	n.walk(func(e, _ *node) {
		if e.Name == "text" {
			out = append(out, e.Text)
		}
	})
	return out
}

// accessible checks what every chart must carry: role img, a title and a
// description named by aria-labelledby, the description saying something.
func accessible(t *testing.T, root *node) {
	t.Helper()
	if root.Name != "svg" || root.Attr["role"] != "img" {
		t.Fatalf("root %s role %q", root.Name, root.Attr["role"])
	}
	ids := strings.Fields(root.Attr["aria-labelledby"])
	if len(ids) != 2 {
		t.Fatalf("aria-labelledby %q", root.Attr["aria-labelledby"])
	}
	found := map[string]string{}
	for _, k := range root.Kids {
		if k.Name == "title" || k.Name == "desc" {
			found[k.Attr["id"]] = k.Name
			if strings.TrimSpace(k.Text) == "" {
				t.Errorf("empty %s", k.Name)
			}
		}
	}
	if found[ids[0]] != "title" || found[ids[1]] != "desc" {
		t.Errorf("aria-labelledby %v does not name the title and desc: %v", ids, found)
	}
	if len(root.Kids) < 2 || root.Kids[0].Name != "title" || root.Kids[1].Name != "desc" {
		t.Errorf("title and desc must come first")
	}
}

func desc(root *node) string {
	for _, k := range root.Kids {
		if k.Name == "desc" {
			return k.Text
		}
	}
	return ""
}

var (
	c  = figures.Sym(figures.Suppressed)
	x  = figures.Sym(figures.NotAvailable)
	n_ = figures.Num
)

func TestLineNumbersAndGaps(t *testing.T) {
	l := Line{ID: "trend", Title: "New CSE concerns", Periods: []string{"2026-04", "2026-05", "2026-06", "2026-07"},
		Series: []Series{
			{Name: "New concerns", Values: []figures.Value{n_(12), c, n_(20), n_(15)}},
			{Name: "Missing", Values: []figures.Value{n_(0), n_(7), x, n_(9.5)}},
		}}
	root := parseSVG(t, l.SVG())
	accessible(t, root)
	got := root.values()
	for _, sr := range l.Series {
		for i, p := range l.Periods {
			if g, want := got[p+"|"+sr.Name], Text(sr.Values[i]); g != want {
				t.Errorf("%s %s: drawn %q, table %q", sr.Name, p, g, want)
			}
		}
	}
	// A suppressed value is a gap: the line is broken there (two subpaths)
	// and no marker sits on the axis as a zero would.
	var paths []string
	markers := 0
	root.walk(func(e, p *node) {
		if e.Name == "path" && p != nil && p.Attr["data-series"] == "New concerns" && e.Attr["fill"] == "none" {
			paths = append(paths, e.Attr["d"])
		}
		if p != nil && p.Attr["data-series"] == "New concerns" && e.Attr["data-value"] != "" && e.Attr["data-gap"] == "" {
			markers++
		}
	})
	if len(paths) != 1 || strings.Count(paths[0], "M") != 2 {
		t.Errorf("the line over a gap: %q, want two subpaths", paths)
	}
	if markers != 3 {
		t.Errorf("%d markers for three published values", markers)
	}
	d := desc(root)
	for _, want := range []string{"highest 20 in 2026-06", "latest 15 in 2026-07", "up 3 from 12 in 2026-04", "1 period not shown", "latest 9.5"} {
		if !strings.Contains(d, want) {
			t.Errorf("desc %q lacks %q", d, want)
		}
	}
	// The latest values are written at the lines' ends, and the gaps' symbols
	// are in the key.
	txt := strings.Join(root.texts(), "|")
	for _, want := range []string{"|15|", "|9.5|", "c: suppressed", "x: not available", "New concerns", "Missing"} {
		if !strings.Contains("|"+txt+"|", want) {
			t.Errorf("texts %q lack %q", txt, want)
		}
	}
}

// Ten years of months: every value drawn, the axis labels thinned so they
// do not overlap.
func TestLineTenYears(t *testing.T) {
	var periods []string
	var vals []figures.Value
	for i := range 120 {
		periods = append(periods, fmt.Sprintf("%d-%02d", 2016+i/12, i%12+1))
		vals = append(vals, n_(float64(i%17)))
	}
	root := parseSVG(t, Line{ID: "ten", Title: "Ten years", Periods: periods, Series: []Series{{Name: "a", Values: vals}}}.SVG())
	got := root.values()
	if len(got) != 120 {
		t.Fatalf("%d values drawn, want 120", len(got))
	}
	for i, p := range periods {
		if got[p+"|a"] != Text(vals[i]) {
			t.Errorf("%s: %q", p, got[p+"|a"])
		}
	}
	labels := 0
	for _, s := range root.texts() {
		if len(s) == 7 && s[4] == '-' {
			labels++
		}
	}
	if labels < 5 || labels > 16 {
		t.Errorf("%d period labels on the axis", labels)
	}
}

func TestBarsNumbersAndGaps(t *testing.T) {
	for _, vertical := range []bool{false, true} {
		b := Bars{ID: "level", Title: "By level", Vertical: vertical, Categories: []string{"High", "Medium", "Emerging"},
			Series: []Series{{Name: "girls", Values: []figures.Value{n_(10), c, n_(0)}}, {Name: "boys", Values: []figures.Value{n_(6), n_(8), x}}}}
		root := parseSVG(t, b.SVG())
		accessible(t, root)
		got := root.values()
		if len(got) != 6 {
			t.Errorf("vertical %v: %d values drawn: %v", vertical, len(got), got)
		}
		for _, sr := range b.Series {
			for i, cat := range b.Categories {
				if g, want := got[cat+"|"+sr.Name], Text(sr.Values[i]); g != want {
					t.Errorf("vertical %v: %s %s drawn %q, table %q", vertical, cat, sr.Name, g, want)
				}
			}
		}
		// A gap has no area; a published value has area proportional to it,
		// and the segments differ in pattern, not colour alone.
		fills := map[string]string{}
		var w10, w6 float64
		root.walk(func(e, _ *node) {
			if e.Name != "rect" || e.Attr["data-value"] == "" {
				return
			}
			size := e.Attr["width"]
			if vertical {
				size = e.Attr["height"]
			}
			var f float64
			fmt.Sscan(size, &f)
			if e.Attr["data-gap"] == "true" && f != 0 && e.Attr["fill"] != "none" {
				t.Errorf("a gap drawn with area: %v", e.Attr)
			}
			if e.Attr["data-gap"] == "" {
				fills[e.Attr["data-series"]] = e.Attr["fill"]
			}
			if e.Attr["data-value"] == "10" {
				w10 = f
			}
			if e.Attr["data-value"] == "6" {
				w6 = f
			}
		})
		if math.Abs(w10/w6-10.0/6) > 0.05 {
			t.Errorf("vertical %v: bars 10 and 6 drawn %v and %v", vertical, w10, w6)
		}
		if fills["girls"] == fills["boys"] || !strings.HasPrefix(fills["boys"], "url(#chart-level-p") {
			t.Errorf("fills %v: the second series must be patterned", fills)
		}
		if d := desc(root); !strings.Contains(d, "The largest is High, 16") {
			t.Errorf("desc %q", d)
		}
		txt := strings.Join(root.texts(), "|")
		if !strings.Contains(txt, "girls") || !strings.Contains(txt, "boys") || !strings.Contains(txt, "c: suppressed") {
			t.Errorf("legend and key: %q", txt)
		}
	}
}

func TestFunnel(t *testing.T) {
	f := Funnel{ID: "pathway", Title: "The pathway", Steps: []string{"Concerns", "Toolkits", "Referrals", "Strategy meetings", "s47 enquiries", "Initial conferences", "Plans"},
		Values: []figures.Value{n_(120), n_(90), n_(40), n_(30), c, n_(12), n_(8)}}
	root := parseSVG(t, f.SVG())
	accessible(t, root)
	got := root.values()
	for i, s := range f.Steps {
		if got[s+"|count"] != Text(f.Values[i]) {
			t.Errorf("%s drawn %q", s, got[s+"|count"])
		}
	}
	d := desc(root)
	for _, want := range []string{"From 120 Concerns to 8 Plans", "largest fall is from Toolkits to Referrals: 90 to 40", "1 step is not drawn"} {
		if !strings.Contains(d, want) {
			t.Errorf("desc %q lacks %q", d, want)
		}
	}
	txt := strings.Join(root.texts(), "|")
	if !strings.Contains(txt, "40 (44.4% of the step before)") || !strings.Contains(txt, "c (suppressed") {
		t.Errorf("texts %q", txt)
	}
}

// ForTable draws a protected table's published values: the total row and
// rates left out, symbols as gaps, each series named as the table's heading
// names its column (figures.ColumnLabel).
func TestForTable(t *testing.T) {
	tb := figures.Table{ID: "sex", Title: "By sex", Columns: []string{"children", "rate"}, Rates: map[string]string{"rate": "children"}, TotalRow: true,
		Rows: []figures.Row{
			{Label: "Female", Values: map[string]figures.Value{"children": n_(14), "rate": n_(3.5)}},
			{Label: "Male", Values: map[string]figures.Value{"children": c, "rate": c}},
			{Label: "Total", Values: map[string]figures.Value{"children": c, "rate": c}},
		}}
	root := parseSVG(t, ForTable(tb))
	got := root.values()
	want := map[string]string{"Female|Children": "14", "Male|Children": "c"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("drawn %v, want %v", got, want)
	}
	tb.ID = "pathway"
	if root := parseSVG(t, ForTable(tb)); root.Attr["data-chart"] != "funnel" || fmt.Sprint(root.values()) != fmt.Sprint(want) {
		t.Errorf("the pathway drawn as %q: %v", root.Attr["data-chart"], root.values())
	}
	multi := figures.Table{ID: "m", Columns: []string{"a", "b", "total"}, TotalColumn: true, Stacked: true,
		Rows: []figures.Row{{Label: "r", Values: map[string]figures.Value{"a": n_(1), "b": n_(2), "total": n_(3)}}}}
	got = parseSVG(t, ForTable(multi)).values()
	if len(got) != 2 || got["r|a"] != "1" || got["r|b"] != "2" {
		t.Errorf("a stacked table drawn %v", got)
	}
	// Columns that are not parts of a whole (latest and highest level) are
	// not stacked: the first is drawn; a per cent, another unit, never is.
	multi.Stacked = false
	if got := parseSVG(t, ForTable(multi)).values(); len(got) != 1 || got["r|a"] != "1" {
		t.Errorf("a table of views, not parts, drawn %v", got)
	}
	share := figures.Table{ID: "s", Columns: []string{"children", "per_cent"}, Ratios: map[string]figures.Ratio{"per_cent": {Num: "children", Per: 100}}, Stacked: true,
		Rows: []figures.Row{{Label: "r", Values: map[string]figures.Value{"children": n_(4), "per_cent": n_(40)}}}}
	if got := parseSVG(t, ForTable(share)).values(); len(got) != 1 || got["r|Children"] != "4" {
		t.Errorf("a count and its per cent drawn %v", got)
	}
	trend := figures.Table{ID: "trend", Columns: []string{"2026-27", "2027-28"}, Rows: []figures.Row{{Label: "New", Values: map[string]figures.Value{"2026-27": n_(30), "2027-28": c}}}}
	root = parseSVG(t, TrendChart(trend))
	if got := root.values(); got["2026-27|New"] != "30" || got["2027-28|New"] != "c" {
		t.Errorf("trend drawn %v", got)
	}
}

// A label is text, never markup: a script in a row's label stays inert in
// every chart, and comes back whole as the label's text.
func TestEscaping(t *testing.T) {
	evil := `<script>alert("x")</script>&<b onload=alert(1)>`
	charts := map[string]template.HTML{
		"line":   Line{ID: `a"><script>`, Title: evil, Periods: []string{evil}, Series: []Series{{Name: evil, Values: []figures.Value{n_(1)}}}}.SVG(),
		"bars":   Bars{ID: "b", Title: evil, Categories: []string{evil}, Series: []Series{{Name: evil, Values: []figures.Value{n_(1)}}, {Name: "x", Values: []figures.Value{n_(2)}}}}.SVG(),
		"cols":   Bars{ID: "b", Vertical: true, Title: evil, Categories: []string{evil}, Series: []Series{{Name: evil, Values: []figures.Value{n_(1)}}}}.SVG(),
		"funnel": Funnel{ID: "f", Title: evil, Steps: []string{evil}, Values: []figures.Value{n_(1)}}.SVG(),
	}
	for name, h := range charts {
		if strings.Contains(string(h), "<script") || strings.Contains(string(h), "<b ") {
			t.Errorf("%s: markup from a label: %s", name, h)
		}
		root := parseSVG(t, h)
		root.walk(func(e, _ *node) {
			if e.Name == "script" || e.Name == "b" || e.Name == "foreignObject" {
				t.Errorf("%s: element %s", name, e.Name)
			}
			for k := range e.Attr {
				if strings.HasPrefix(k, "on") {
					t.Errorf("%s: attribute %s", name, k)
				}
			}
		})
		if root.Kids[0].Text != evil {
			t.Errorf("%s: title read back %q", name, root.Kids[0].Text)
		}
		if id := root.Attr["id"]; strings.ContainsAny(id, `"<> `) {
			t.Errorf("%s: id %q", name, id)
		}
	}
}

// Empty and odd input draws a chart, not a panic.
func TestEmpty(t *testing.T) {
	for _, h := range []template.HTML{Line{}.SVG(), Bars{}.SVG(), Bars{Vertical: true}.SVG(), Funnel{}.SVG(), ForTable(figures.Table{}), TrendChart(figures.Table{}),
		Line{Periods: []string{"a"}, Series: []Series{{Name: "s"}}}.SVG(),
		Bars{Categories: []string{"a"}, Series: []Series{{Name: "s", Values: []figures.Value{n_(-3)}}}}.SVG()} {
		accessible(t, parseSVG(t, h))
	}
}

// FuzzCharts: any label, value and symbol gives a well-formed chart with no
// element or handler from its input, and the value drawn as given.
func FuzzCharts(f *testing.F) {
	f.Add("Female", 12.0, "")
	f.Add("<script>alert(1)</script>", -1.5, "c")
	f.Add("\x00\x1b]]>&amp;", math.Inf(1), "x")
	f.Add("=HYPERLINK(\"http://example.org\")", math.NaN(), "<z>")
	f.Fuzz(func(t *testing.T, label string, v float64, sym string) {
		val := figures.Num(v)
		if sym != "" {
			val = figures.Sym(sym)
		}
		vals := []figures.Value{val, n_(3)}
		for _, h := range []template.HTML{
			Line{ID: label, Title: label, Periods: []string{label, "p2"}, Series: []Series{{Name: label, Values: vals}}}.SVG(),
			Bars{ID: label, Title: label, Categories: []string{label, "b"}, Series: []Series{{Name: label, Values: vals}, {Name: "s2", Values: vals}}}.SVG(),
			Bars{ID: label, Vertical: true, Title: label, Categories: []string{label, "b"}, Series: []Series{{Name: label, Values: vals}}}.SVG(),
			Funnel{ID: label, Title: label, Steps: []string{label, "b"}, Values: vals}.SVG(),
		} {
			root := parseSVG(t, h)
			root.walk(func(e, _ *node) {
				switch e.Name {
				case "svg", "title", "desc", "g", "text", "rect", "line", "path", "circle", "defs", "pattern":
				default:
					t.Fatalf("element %q", e.Name)
				}
			})
		}
	})
}
