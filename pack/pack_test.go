package pack

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"lantern"
)

// typical is a pack of the usual size: 3 children with 10 concerns each, 10
// actions and 12 invitees.
func typical() Pack {
	start := time.Date(2026, time.December, 1, 10, 0, 0, 0, lantern.London)
	p := Pack{
		Title:     "CSE strategy meeting",
		StartsAt:  start,
		EndsAt:    start.Add(90 * time.Minute),
		Location:  "Room 2, Civic Centre – Harbour Street",
		Chair:     "Siân O’Connor",
		Generated: time.Date(2026, time.November, 30, 16, 45, 0, 0, time.UTC),
		Agenda: []string{
			"Introductions and confidentiality",
			"Information sharing by each agency",
			"Analysis of risk and decision on level",
			"Actions and date of review",
		},
		Marking: "OFFICIAL-SENSITIVE",
	}
	children := []struct{ name, level, date string }{
		{"Zoë Kowalska", "Medium", "3 November 2026"},
		{"Łucja Nowak", "High", "20 October 2026"},
		{"Tom Ashworth", "", ""},
	}
	for ci, c := range children {
		ch := Child{Name: c.name, DateOfBirth: fmt.Sprintf("%d March 2011", 10+ci), Level: c.level, LevelDate: c.date}
		for i := range 10 {
			ch.Concerns = append(ch.Concerns, Concern{
				Date:    fmt.Sprintf("%d November 2026", 28-i),
				Agency:  []string{"Police", "School", "Children’s social care", "Health"}[i%4],
				Summary: fmt.Sprintf("Seen getting into a car with an older male near the station after school; returned home late and would not say where she had been (concern %d).", i+1),
			})
		}
		p.Children = append(p.Children, ch)
	}
	for i := range 10 {
		p.Actions = append(p.Actions, Action{
			Description: fmt.Sprintf("Return home interview to be completed and shared with the police (action %d)", i+1),
			Owner:       "Priya Shah",
			Agency:      "Children’s social care",
			Due:         fmt.Sprintf("%d November 2026", 10+i),
			Status:      "Open",
			Late:        i%3 == 0,
		})
	}
	for i := range 12 {
		p.Invitees = append(p.Invitees, Invitee{
			Name:     fmt.Sprintf("Invitee %d Ó Briain", i+1),
			Agency:   []string{"Police", "Education", "Health"}[i%3],
			Role:     "Designated safeguarding lead",
			Response: []string{"Attending", "Sending a report", "Declined", ""}[i%4],
		})
	}
	return p
}

// render writes p and fails the test on an error or output that is not a PDF.
func render(t testing.TB, p Pack) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output does not start with %%PDF-: %q", buf.Bytes()[:min(20, buf.Len())])
	}
	return buf.Bytes()
}

// page is what the reader finds on one page.
type page struct {
	text string // the page's text, runs of white space made one space
	runs []run  // each piece of text drawn, with its position
}

// run is text drawn in one operation: one line of one cell or paragraph.
type run struct {
	font     string
	size     float64
	x, y     float64 // start of the baseline; y is measured from the bottom
	s        string
	estimate float64 // its width, measured independently of gopdf
}

// read parses a PDF with an independent reader and extracts every page.
func read(t testing.TB, b []byte) []page {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("reading the PDF back: %v", err)
	}
	pages := make([]page, r.NumPage())
	for i := range pages {
		p := r.Page(i + 1)
		if p.V.IsNull() {
			t.Fatalf("page %d is missing", i+1)
		}
		s, err := p.GetPlainText(nil)
		if err != nil {
			t.Fatalf("page %d text: %v", i+1, err)
		}
		pages[i] = page{text: strings.Join(strings.Fields(s), " "), runs: runs(t, p.Content().Text)}
	}
	return pages
}

// runs groups the reader's glyphs into the runs they were drawn in. The
// reader places every glyph of a run at the run's start and ends each run
// with U+FFFD.
func runs(t testing.TB, glyphs []pdf.Text) []run {
	var out []run
	var cur *run
	for _, g := range glyphs {
		if g.S == "\ufffd" {
			cur = nil
			continue
		}
		if cur == nil || cur.x != g.X || cur.y != g.Y || cur.font != g.Font || cur.size != g.FontSize {
			out = append(out, run{font: g.Font, size: g.FontSize, x: g.X, y: g.Y})
			cur = &out[len(out)-1]
		}
		cur.s += g.S
	}
	for i := range out {
		out[i].estimate = measure(t, out[i].font, out[i].size, out[i].s)
	}
	return out
}

var fonts = sync.OnceValue(func() map[string]*sfnt.Font {
	r, err1 := sfnt.Parse(goregular.TTF)
	b, err2 := sfnt.Parse(gobold.TTF)
	if err1 != nil || err2 != nil {
		panic("cannot parse the Go fonts")
	}
	return map[string]*sfnt.Font{regularFont: r, boldFont: b}
})

// measure sums the glyphs' advances straight from the font file, with
// x/image's sfnt rather than gopdf, so a wrapping bug cannot hide behind a
// measuring bug.
func measure(t testing.TB, font string, size float64, s string) float64 {
	t.Helper()
	f := fonts()[font]
	if f == nil {
		t.Fatalf("unexpected font %q", font)
	}
	var buf sfnt.Buffer
	upem := f.UnitsPerEm()
	var w float64 // not fixed.Int26_6, which overflows on a 100 KB line
	for _, r := range s {
		i, err := f.GlyphIndex(&buf, r)
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.GlyphAdvance(&buf, i, fixed.I(int(upem)), xfont.HintingNone)
		if err != nil {
			t.Fatal(err)
		}
		w += float64(a) / 64
	}
	return w / float64(upem) * size
}

func allText(pages []page) string {
	var b strings.Builder
	for _, p := range pages {
		b.WriteString(p.text)
		b.WriteByte(' ')
	}
	return b.String()
}

func TestWriteTypicalPack(t *testing.T) {
	p := typical()
	pages := read(t, render(t, p))
	if len(pages) < 2 {
		t.Fatalf("a typical pack should take more than one page, got %d", len(pages))
	}
	text := allText(pages)
	for _, want := range []string{
		"CSE strategy meeting",
		"Tuesday 1 December 2026, 10:00 to 11:30",
		"Room 2, Civic Centre – Harbour Street",
		"Siân O’Connor",
		"1. Introductions and confidentiality",
		"4. Actions and date of review",
		"Zoë Kowalska", "Łucja Nowak", "Tom Ashworth",
		"Medium (since 3 November 2026)", "High (since 20 October 2026)", "Not assessed",
		"(concern 10)",
		"(action 7)",
		"Late – Open",
		"Invitee 12 Ó Briain",
		"Sending a report", "No response",
		"Printed on Monday 30 November 2026 at 16:45",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the pack does not contain %q", want)
		}
	}
	// Actions 1, 4, 7 and 10 are late: exactly those say so.
	if n := strings.Count(text, "Late – Open"); n != 4 {
		t.Errorf("%d actions are marked late, want 4", n)
	}
	for i, pg := range pages {
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(pg.text, want) {
			t.Errorf("page %d does not say %q: %q", i+1, want, pg.text)
		}
		if n := strings.Count(pg.text, "OFFICIAL-SENSITIVE"); n != 2 {
			t.Errorf("page %d shows the marking %d times, want 2 (top and bottom)", i+1, n)
		}
	}
	checkLayout(t, pages)
}

// TestTimesInLondon shows times as the clock in London reads, in summer too.
func TestTimesInLondon(t *testing.T) {
	for _, c := range []struct {
		start, end time.Time
		want       string
	}{
		{time.Date(2026, 7, 14, 8, 30, 0, 0, time.UTC), time.Date(2026, 7, 14, 10, 0, 0, 0, time.UTC), "Tuesday 14 July 2026, 09:30 to 11:00"},
		{time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), time.Time{}, "Tuesday 1 December 2026, 10:00"},
		{time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC), time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC), "Tuesday 1 December 2026, 23:00 to Wednesday 2 December 2026, 01:00"},
		{time.Time{}, time.Time{}, "Time not set"},
	} {
		if got := when(c.start, c.end); got != c.want {
			t.Errorf("when(%v, %v) = %q, want %q", c.start, c.end, got, c.want)
		}
	}
	p := Pack{StartsAt: time.Date(2026, 7, 14, 8, 30, 0, 0, time.UTC)}
	if text := allText(read(t, render(t, p))); !strings.Contains(text, "Tuesday 14 July 2026, 09:30") {
		t.Errorf("the pack does not show the London time: %q", text)
	}
}

// TestLongTextFlows: a child with 40 concerns of 2,000 characters each runs to
// many pages, every word of every concern is printed, and no text enters the
// header or footer or runs off the side of the page.
func TestLongTextFlows(t *testing.T) {
	p := typical()
	p.Children = p.Children[:1]
	p.Children[0].Concerns = nil
	words := strings.Fields("Police attended after a report that she was seen in a flat with adults not known to her family and was given alcohol and a new phone")
	for i := range 40 {
		var b strings.Builder
		for j := 0; b.Len() < 1990; j++ {
			b.WriteString(words[j%len(words)])
			b.WriteByte(' ')
		}
		p.Children[0].Concerns = append(p.Children[0].Concerns, Concern{
			Date: "1 November 2026", Agency: "Police",
			Summary: fmt.Sprintf("Start%02d %s End%02d", i, b.String()[:2000-16], i),
		})
	}
	pages := read(t, render(t, p))
	if len(pages) < 10 {
		t.Fatalf("80,000 characters of concerns took %d pages; expected at least 10", len(pages))
	}
	text := allText(pages)
	for i := range 40 {
		for _, w := range []string{fmt.Sprintf("Start%02d", i), fmt.Sprintf("End%02d", i)} {
			if !strings.Contains(text, w) {
				t.Errorf("%s is missing: the concern was cut off", w)
			}
		}
	}
	// Every word of the summaries is there, in order: count one distinctive word.
	want := 0
	for _, c := range p.Children[0].Concerns {
		want += strings.Count(c.Summary, "alcohol")
	}
	if got := strings.Count(text, "alcohol"); got != want {
		t.Errorf("%d of %d occurrences of a word in the concerns were printed", got, want)
	}
	checkLayout(t, pages)
}

// checkLayout checks every line of text is inside the page's text area, or is
// the header (the marking) or the footer (the marking, the date printed and
// the page number).
func checkLayout(t *testing.T, pages []page) {
	t.Helper()
	// The reader gives baselines; a body line's baseline is below its top.
	bodyTop := pageH - contentTop
	bodyBottom := pageH - contentBottom
	for i, pg := range pages {
		if len(pg.runs) == 0 {
			t.Fatalf("page %d has no text", i+1)
		}
		var header, footer []string
		for _, r := range pg.runs {
			if r.x < marginX-0.01 || r.x+r.estimate > pageW-marginX+rounding(r) {
				t.Errorf("page %d: %q at x=%.1f..%.1f is outside the margins", i+1, r.s, r.x, r.x+r.estimate)
			}
			switch {
			case r.y <= bodyTop && r.y >= bodyBottom:
			case r.y > bodyTop && r.y > pageH-headerY-2*markingSize:
				header = append(header, r.s)
			case r.y < bodyBottom && r.y < pageH-footerMarkY:
				footer = append(footer, r.s)
			default:
				t.Errorf("page %d: %q at y=%.1f is between the body and the header or footer", i+1, r.s, r.y)
			}
		}
		if len(footer) > 3 {
			t.Errorf("page %d: footer has %q, want only the marking, the date printed and the page number", i+1, footer)
		}
		if len(header) > 1 {
			t.Errorf("page %d: header has %q, want only the marking", i+1, header)
		}
		if !slices.Contains(footer, fmt.Sprintf("Page %d of %d", i+1, len(pages))) {
			t.Errorf("page %d: footer has %q, want the page number", i+1, footer)
		}
	}
}

// rounding is how far the font file's widths and the PDF's may differ for a
// run: the PDF gives each glyph's width in whole thousandths of an em.
func rounding(r run) float64 {
	return 0.0005*r.size*float64(utf8.RuneCountInString(r.s)) + 0.01
}

// TestMeasuresAgree: the independent measure used by checkLayout agrees with
// what is drawn, so the margin check is not vacuous.
func TestMeasuresAgree(t *testing.T) {
	pages := read(t, render(t, Pack{Title: "Wide title", Location: "Room 2 – Zoë’s"}))
	d, err := newDoc()
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, r := range pages[0].runs {
		if r.s != "Wide title" && r.s != "Room 2 – Zoë’s" {
			continue
		}
		found++
		d.setFont(r.font, r.size)
		if got := d.width(r.s); r.estimate == 0 || math.Abs(got-r.estimate) > rounding(r) {
			t.Errorf("%q: gopdf measures %.2fpt, the font file says %.2fpt", r.s, got, r.estimate)
		}
	}
	if found != 2 {
		t.Errorf("found %d of the 2 runs", found)
	}
}

func TestHostileInput(t *testing.T) {
	big := strings.Repeat("x", 100_000)
	bigWords := strings.Repeat("safeguarding ", 8_000)
	control := "a\x00b\x01c\x1bd\x7fe\u202eevil\u200bf\r\ng\th"
	many := make([]Concern, 1000)
	for i := range many {
		many[i] = Concern{Date: "today", Agency: "<b>x</b>", Summary: fmt.Sprintf("concern %d", i)}
	}
	cases := map[string]Pack{
		"empty":        {},
		"empty values": {Agenda: []string{""}, Children: []Child{{}}, Actions: []Action{{Late: true}}, Invitees: []Invitee{{}}},
		"script":       {Title: "<script>alert(1)</script>", Chair: "</b>)(\\", Children: []Child{{Name: "<img src=x onerror=alert(1)>"}}},
		"control":      {Title: control, Marking: control, Children: []Child{{Name: control, Concerns: []Concern{{Summary: control}}}}},
		"100 KB": {Title: big, Marking: big, Location: bigWords, Agenda: []string{big},
			Children: []Child{{Name: big, Level: big, Concerns: []Concern{{Date: big, Agency: bigWords, Summary: big}}}},
			Actions:  []Action{{Description: bigWords, Owner: big}}, Invitees: []Invitee{{Name: big}}},
		"1000 concerns": {Children: []Child{{Name: "A", Concerns: many}}},
		"invalid UTF-8": {Title: "a\xffb\xc0", Children: []Child{{Name: "\xed\xa0\x80"}}},
		"newlines only": {Title: strings.Repeat("\n", 10_000), Agenda: []string{strings.Repeat("\r\n \n", 5_000)}},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			pages := read(t, render(t, p))
			if len(pages) == 0 {
				t.Fatal("no pages")
			}
			if want := fmt.Sprintf("Page %d of %d", len(pages), len(pages)); !strings.Contains(pages[len(pages)-1].text, want) {
				t.Errorf("last page does not say %q", want)
			}
			checkLayout(t, pages)
		})
	}
	t.Run("script is text", func(t *testing.T) {
		text := allText(read(t, render(t, cases["script"])))
		if !strings.Contains(text, "<script>alert(1)</script>") {
			t.Errorf("the title was not printed as text: %q", text)
		}
	})
	t.Run("1000 concerns all printed", func(t *testing.T) {
		text := allText(read(t, render(t, cases["1000 concerns"])))
		for _, i := range []int{0, 1, 499, 998, 999} {
			if !regexp.MustCompile(fmt.Sprintf(`\bconcern %d\b`, i)).MatchString(text) {
				t.Errorf("concern %d is missing", i)
			}
		}
	})
}

// TestUnicode: what the Go font can draw is printed as given; what it cannot
// becomes '?', and control characters never reach the page.
func TestUnicode(t *testing.T) {
	p := Pack{
		Title:    "Zażółć gęślą jaźń – café ’quoted’ Ελληνικά Кириллица",
		Children: []Child{{Name: "A中B😀C", Level: "x\x00y\u202ez"}},
	}
	text := allText(read(t, render(t, p)))
	for _, want := range []string{"Zażółć gęślą jaźń – café ’quoted’ Ελληνικά Кириллица", "A?B?C", "x?y?z"} {
		if !strings.Contains(text, want) {
			t.Errorf("the pack does not contain %q: %q", want, text)
		}
	}
	if strings.ContainsAny(text, "\x00\u202e中😀") {
		t.Errorf("a character the pack should have replaced was printed: %q", text)
	}
}

func TestClean(t *testing.T) {
	for _, c := range []struct {
		in        string
		multiline bool
		want      string
	}{
		{"plain", false, "plain"},
		{"a\r\nb\rc\nd", true, "a\nb\nc\nd"},
		{"a\r\nb\rc\nd", false, "a b c d"},
		{"tab\there", false, "tab here"},
		{"nul\x00", false, "nul?"},
		{"bad\xff", false, "bad?"},
		{"é ł ’ –", false, "é ł ’ –"},
		{"中", false, "?"},
		{"\u202e", false, "?"},
	} {
		if got := clean(c.in, c.multiline); got != c.want {
			t.Errorf("clean(%q, %v) = %q, want %q", c.in, c.multiline, got, c.want)
		}
	}
}

// TestConcurrentWrite: packs printed at the same time share only the fonts,
// and come out the same. Run with -race to check the sharing.
func TestConcurrentWrite(t *testing.T) {
	want := render(t, typical())
	var wg sync.WaitGroup
	got := make([][]byte, 4)
	for i := range got {
		wg.Go(func() {
			var buf bytes.Buffer
			if err := Write(&buf, typical()); err != nil {
				t.Error(err)
			}
			got[i] = buf.Bytes()
		})
	}
	wg.Wait()
	for i := range got {
		if !bytes.Equal(got[i], want) {
			t.Errorf("pack %d printed concurrently differs from one printed alone", i)
		}
	}
}

func FuzzWrite(f *testing.F) {
	f.Add("CSE strategy meeting", "Zoë", "Medium", "<script>", "OFFICIAL-SENSITIVE", true)
	f.Add("", "", "", "", "", false)
	f.Add("a\x00\xff\r\n\t", "中😀\u202e", strings.Repeat("w ", 300), strings.Repeat("x", 3000), "\n\n\n", true)
	f.Fuzz(func(t *testing.T, a, b, c, d, e string, late bool) {
		p := Pack{
			Title: a, Location: b, Chair: c, Marking: e,
			Generated: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			Agenda:    []string{a, b, c, d, e},
			Children: []Child{
				{Name: a, DateOfBirth: b, Level: c, LevelDate: d, Concerns: []Concern{{Date: e, Agency: a, Summary: d}, {Summary: b + c}}},
				{Name: e},
			},
			Actions:  []Action{{Description: d, Owner: a, Agency: b, Due: c, Status: e, Late: late}},
			Invitees: []Invitee{{Name: b, Agency: c, Role: d, Response: e}},
		}
		var buf bytes.Buffer
		if err := Write(&buf, p); err != nil {
			t.Fatalf("Write: %v", err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			t.Fatal("output does not start with %PDF-")
		}
		if !bytes.Contains(buf.Bytes()[max(0, buf.Len()-64):], []byte("%%EOF")) {
			t.Fatal("output does not end with the PDF end-of-file marker")
		}
	})
}

func BenchmarkWrite(b *testing.B) {
	p := typical()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, p); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
