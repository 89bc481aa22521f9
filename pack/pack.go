// Package pack renders the printed pack a chair takes into a strategy meeting:
// the meeting's details, agenda, each child's level and recent concerns, the
// actions still outstanding and who was invited. It is a PDF because the pack
// is printed and read on paper, away from Lantern.
//
// The caller fills a plain Pack; this package looks nothing up, so what is
// printed is exactly what the caller chose to share with the meeting.
package pack

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"lantern"
)

// Pack is everything printed in a meeting pack. Every field may be empty.
type Pack struct {
	Title            string    // e.g. "CSE strategy meeting"; empty prints "Meeting pack"
	StartsAt, EndsAt time.Time // printed in Europe/London time
	Location         string
	Chair            string
	Generated        time.Time // printed in the footer, so an old copy is recognisable
	Agenda           []string  // printed as a numbered list
	Children         []Child
	Actions          []Action  // outstanding actions from earlier meetings; an empty Status prints "Open"
	Invitees         []Invitee // who was invited, and what they answered; an empty Response prints "No response"
	// Marking is the protective marking, e.g. "OFFICIAL-SENSITIVE", printed
	// at the top and bottom of every page (on one line, shortened if longer).
	// Empty prints none: the caller, not this package, decides the marking.
	Marking string
}

// Child is one child the meeting is about.
type Child struct {
	Name        string
	DateOfBirth string
	Level       string // current level, e.g. "Medium"; empty prints "Not assessed"
	LevelDate   string // when the level was set
	Concerns    []Concern
}

// Concern is one recent concern about a child. The caller orders them,
// newest first.
type Concern struct {
	Date    string
	Agency  string
	Summary string
}

// Action is an action outstanding from an earlier meeting.
type Action struct {
	Description, Owner, Agency, Due, Status string
	// Late prints "Late" in words beside the status (and in red), so a
	// black-and-white copy still shows it.
	Late bool
}

// Invitee is someone invited to the meeting.
type Invitee struct {
	Name, Agency, Role, Response string
}

// Page geometry in points (A4 portrait). The band above contentTop and the
// band below contentBottom are the header and footer: body text never enters
// them, so it cannot overlap the marking or the page number.
const (
	pageW         = 595.28
	pageH         = 841.89
	marginX       = 56.7 // 20 mm
	contentW      = pageW - 2*marginX
	contentTop    = 62.0
	contentBottom = pageH - 70.0
	headerY       = 28.0         // top of the marking at the top of the page
	footerMarkY   = pageH - 56.0 // top of the marking at the bottom of the page
	footerLineY   = pageH - 40.0 // top of the "Printed on … Page N of M" line
	cellPadX      = 4.0
	cellPadY      = 3.0
	lineFactor    = 1.3 // line height as a multiple of the font size
	bodySize      = 10.0
	smallSize     = 8.5
	headingSize   = 13.0
	subheadSize   = 11.5
	titleSize     = 18.0
	markingSize   = 9.5
	regularFont   = "regular"
	boldFont      = "bold"
	lateColourRed = 176
)

// Write renders p as a PDF to w. Nothing is written if rendering fails. It is
// safe to call from several goroutines at once.
func Write(w io.Writer, p Pack) error {
	d, err := newDoc()
	if err != nil {
		return err
	}
	d.g.SetInfo(gopdf.PdfInfo{
		Title:        clean(p.Title, false),
		Creator:      "Lantern",
		CreationDate: p.Generated,
	})
	d.render(p)
	d.finish(p)
	if d.err != nil {
		return fmt.Errorf("meeting pack: %w", d.err)
	}
	var buf bytes.Buffer
	if err := d.g.Write(&buf); err != nil {
		return fmt.Errorf("meeting pack: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// doc lays text out top to bottom, starting a new page whenever the next line
// would enter the footer. gopdf draws; the wrapping and paging are ours,
// because gopdf's MultiCell does not break pages.
type doc struct {
	g      *gopdf.GoPdf
	y      float64
	font   string
	size   float64
	widths map[fontSize]*widthCache
	err    error // the first error; later drawing is skipped
}

type fontSize struct {
	font string
	size float64
}

type widthCache struct {
	ascii [128]float64 // 0 means not yet measured (every glyph used has a width)
	other map[rune]float64
}

func newDoc() (*doc, error) {
	g := &gopdf.GoPdf{}
	g.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return '?' }}
	if err := g.AddTTFFontDataWithOption(regularFont, goRegular, opt); err != nil {
		return nil, fmt.Errorf("meeting pack: font: %w", err)
	}
	if err := g.AddTTFFontDataWithOption(boldFont, goBold, opt); err != nil {
		return nil, fmt.Errorf("meeting pack: font: %w", err)
	}
	// gopdf draws text in the fill colour unless a text colour is set, and the
	// table headers' grey fill would otherwise turn the text after them grey.
	g.SetTextColor(0, 0, 0)
	d := &doc{g: g, widths: map[fontSize]*widthCache{}}
	d.newPage()
	return d, nil
}

func (d *doc) fail(err error) {
	if err != nil && d.err == nil {
		d.err = err
	}
}

func (d *doc) setFont(font string, size float64) {
	if d.font == font && d.size == size {
		return
	}
	d.fail(d.g.SetFont(font, "", size))
	d.font, d.size = font, size
}

func (d *doc) newPage() {
	d.g.AddPage()
	d.font, d.size = "", 0 // set the font afresh on the new page
	d.y = contentTop
}

// room starts a new page unless h more points fit above the footer.
func (d *doc) room(h float64) bool {
	if d.y+h <= contentBottom {
		return false
	}
	d.newPage()
	return true
}

// width measures s in the current font. Widths come from gopdf itself, one
// rune at a time, so wrapping agrees exactly with what is drawn.
func (d *doc) width(s string) float64 {
	if d.err != nil {
		return 0 // no font may be set; Write is failing anyway
	}
	key := fontSize{d.font, d.size}
	c := d.widths[key]
	if c == nil {
		c = &widthCache{other: map[rune]float64{}}
		d.widths[key] = c
	}
	var w float64
	for _, r := range s {
		var rw float64
		if r < 128 {
			rw = c.ascii[r]
		} else {
			rw = c.other[r]
		}
		if rw == 0 {
			m, err := d.g.MeasureTextWidth(string(r))
			d.fail(err)
			rw = m
			if rw == 0 {
				rw = -1 // measured, and zero wide; don't ask again
			}
			if r < 128 {
				c.ascii[r] = rw
			} else {
				c.other[r] = rw
			}
		}
		if rw > 0 {
			w += rw
		}
	}
	return w
}

// text draws one line with its top-left corner at x, y.
func (d *doc) text(x, y float64, s string) {
	if d.err != nil || s == "" {
		return
	}
	d.g.SetXY(x, y)
	d.fail(d.g.Cell(nil, s))
}

// wrap breaks cleaned text into lines no wider than width: at spaces where it
// can, inside a word where a word alone is too wide, and at every newline.
// Runs of blank lines become one. It always returns at least one line.
func (d *doc) wrap(s string, width float64) []string {
	var lines []string
	blank := false
	for para := range strings.SplitSeq(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			if !blank && len(lines) > 0 {
				lines = append(lines, "")
			}
			blank = true
			continue
		}
		blank = false
		space := d.width(" ")
		var line strings.Builder
		lineW := 0.0
		for _, word := range words {
			ww := d.width(word)
			switch {
			case line.Len() > 0 && lineW+space+ww <= width:
				line.WriteByte(' ')
				line.WriteString(word)
				lineW += space + ww
				continue
			case line.Len() > 0:
				lines = append(lines, line.String())
				line.Reset()
				lineW = 0
			}
			if ww <= width {
				line.WriteString(word)
				lineW = ww
				continue
			}
			// A word wider than the line: break it between runes.
			for _, r := range word {
				rw := d.width(string(r))
				if line.Len() > 0 && lineW+rw > width {
					lines = append(lines, line.String())
					line.Reset()
					lineW = 0
				}
				line.WriteRune(r)
				lineW += rw
			}
		}
		if line.Len() > 0 {
			lines = append(lines, line.String())
		}
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

// para draws wrapped text at x, width wide, flowing onto new pages.
func (d *doc) para(s, font string, size, x, width float64) {
	d.setFont(font, size)
	lh := size * lineFactor
	for _, line := range d.wrap(clean(s, true), width) {
		if d.room(lh) {
			d.setFont(font, size)
		}
		d.text(x, d.y, line)
		d.y += lh
	}
}

// heading starts a section, on a new page unless the heading and the first
// keep lines of the section fit on this one.
func (d *doc) heading(s string, size float64, keep int) {
	d.y += size * 0.6
	d.room(size*lineFactor + float64(keep)*bodySize*lineFactor)
	d.para(s, boldFont, size, marginX, contentW)
	d.y += 2
}

// field prints "Label: value" with the value wrapped in a hanging indent.
func (d *doc) field(label, value string) {
	const labelW = 90.0
	d.setFont(regularFont, bodySize)
	lh := bodySize * lineFactor
	lines := d.wrap(clean(value, true), contentW-labelW)
	for i, line := range lines {
		if d.room(lh) || i == 0 {
			d.setFont(boldFont, bodySize)
			d.text(marginX, d.y, label)
			d.setFont(regularFont, bodySize)
		}
		d.text(marginX+labelW, d.y, line)
		d.y += lh
	}
}

// column is one column of a table.
type column struct {
	title string
	width float64
}

// cell is one table cell's text; bold cells are drawn bold, red cells in red.
type cell struct {
	text      string
	bold, red bool
}

// table draws rows under a header row that is repeated on every page the
// table reaches, after a one-line caption if there is one. A row that fits on
// a page is kept whole; a row taller than a page is split between lines.
func (d *doc) table(caption string, cols []column, rows [][]cell) {
	lh := bodySize * lineFactor
	headerH := lh + 2*cellPadY
	captionH := lh + 2
	fullPage := contentBottom - contentTop - headerH
	header := func() {
		d.g.SetFillColor(230, 230, 230)
		d.g.RectFromUpperLeftWithStyle(marginX, d.y, contentW, headerH, "F")
		d.setFont(boldFont, bodySize)
		x := marginX
		for _, c := range cols {
			d.text(x+cellPadX, d.y+cellPadY, c.title)
			x += c.width
		}
		d.y += headerH
	}
	for r, row := range rows {
		cells := make([]cell, len(cols))
		copy(cells, row)
		wrapped := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			d.setFont(fontOf(cells[i]), bodySize)
			wrapped[i] = d.wrap(clean(cells[i].text, true), c.width-2*cellPadX)
			n = max(n, len(wrapped[i]))
		}
		rowH := float64(n)*lh + 2*cellPadY
		keep := min(rowH, 2*lh+2*cellPadY) // a row too tall to keep whole starts with two lines
		if rowH <= fullPage {
			keep = rowH
		}
		switch {
		case r == 0:
			// Never a caption or header alone at the foot of a page.
			if caption != "" {
				d.room(captionH + headerH + keep)
				d.setFont(boldFont, bodySize)
				d.text(marginX, d.y, caption)
				d.y += captionH
			} else {
				d.room(headerH + keep)
			}
			header()
		case d.room(keep):
			header()
		}
		d.y += cellPadY
		for line := range n {
			if d.room(lh + cellPadY) {
				header()
				d.y += cellPadY
			}
			x := marginX
			for i, c := range cols {
				if line < len(wrapped[i]) {
					d.setFont(fontOf(cells[i]), bodySize)
					if cells[i].red {
						d.g.SetTextColor(lateColourRed, 0, 0)
					}
					d.text(x+cellPadX, d.y, wrapped[i][line])
					if cells[i].red {
						d.g.SetTextColor(0, 0, 0)
					}
				}
				x += c.width
			}
			d.y += lh
		}
		d.y += cellPadY
		d.g.SetStrokeColor(160, 160, 160)
		d.g.SetLineWidth(0.5)
		d.g.Line(marginX, d.y, marginX+contentW, d.y)
	}
}

func fontOf(c cell) string {
	if c.bold {
		return boldFont
	}
	return regularFont
}

func (d *doc) render(p Pack) {
	title := p.Title
	if strings.TrimSpace(clean(title, false)) == "" {
		title = "Meeting pack"
	}
	d.para(title, boldFont, titleSize, marginX, contentW)
	d.y += 6
	d.field("When", when(p.StartsAt, p.EndsAt))
	d.field("Where", orNone(p.Location, "Not recorded"))
	d.field("Chair", orNone(p.Chair, "Not recorded"))

	d.heading("Agenda", headingSize, 3)
	if len(p.Agenda) == 0 {
		d.para("No agenda items.", regularFont, bodySize, marginX, contentW)
	}
	for i, item := range p.Agenda {
		d.numbered(i+1, item)
	}

	d.heading("Children", headingSize, 3)
	if len(p.Children) == 0 {
		d.para("No children are listed for this meeting.", regularFont, bodySize, marginX, contentW)
	}
	for _, c := range p.Children {
		d.child(c)
	}

	d.heading("Outstanding actions", headingSize, 3)
	if len(p.Actions) == 0 {
		d.para("No actions are outstanding.", regularFont, bodySize, marginX, contentW)
	} else {
		rows := make([][]cell, len(p.Actions))
		for i, a := range p.Actions {
			status := cell{text: orNone(a.Status, "Open")}
			if a.Late {
				status = cell{text: "Late", bold: true, red: true}
				if s := strings.TrimSpace(a.Status); s != "" {
					status.text = "Late – " + s
				}
			}
			rows[i] = []cell{{text: a.Description}, {text: a.Owner}, {text: a.Agency}, {text: a.Due}, status}
		}
		d.table("", []column{{"Action", 160}, {"Owner", 80}, {"Agency", 80}, {"Due", 84}, {"Status", contentW - 404}}, rows)
	}

	d.heading("Invitees", headingSize, 3)
	if len(p.Invitees) == 0 {
		d.para("No one has been invited.", regularFont, bodySize, marginX, contentW)
	} else {
		rows := make([][]cell, len(p.Invitees))
		for i, v := range p.Invitees {
			rows[i] = []cell{{text: v.Name}, {text: v.Agency}, {text: v.Role}, {text: orNone(v.Response, "No response")}}
		}
		d.table("", []column{{"Name", 130}, {"Agency", 120}, {"Role", 110}, {"Response", contentW - 360}}, rows)
	}
}

func (d *doc) numbered(n int, item string) {
	const indent = 22.0
	d.setFont(regularFont, bodySize)
	lh := bodySize * lineFactor
	for i, line := range d.wrap(clean(item, true), contentW-indent) {
		if d.room(lh) {
			d.setFont(regularFont, bodySize)
		}
		if i == 0 {
			d.text(marginX, d.y, strconv.Itoa(n)+".")
		}
		d.text(marginX+indent, d.y, line)
		d.y += lh
	}
}

func (d *doc) child(c Child) {
	// Keep the name with the date of birth, level and first concern.
	d.heading(orNone(c.Name, "Name not recorded"), subheadSize, 9)
	d.field("Date of birth", orNone(c.DateOfBirth, "Not recorded"))
	level := orNone(c.Level, "Not assessed")
	if s := strings.TrimSpace(c.LevelDate); s != "" {
		level += " (since " + s + ")"
	}
	d.field("Current level", level)
	d.y += 4
	if len(c.Concerns) == 0 {
		d.para("No recent concerns recorded.", regularFont, bodySize, marginX, contentW)
		return
	}
	rows := make([][]cell, len(c.Concerns))
	for i, k := range c.Concerns {
		rows[i] = []cell{{text: k.Date}, {text: k.Agency}, {text: k.Summary}}
	}
	d.table("Recent concerns, newest first", []column{{"Date", 88}, {"Agency", 90}, {"Summary", contentW - 178}}, rows)
}

// finish draws the marking at the top and bottom of every page and "Page N of
// M" at the bottom. It runs last because M is known only then.
func (d *doc) finish(p Pack) {
	if d.err != nil {
		return
	}
	marking := clean(p.Marking, false)
	printed := "Printed on " + longDay(p.Generated, true)
	if p.Generated.IsZero() {
		printed = ""
	}
	pages := d.g.GetNumberOfPages()
	d.setFont(boldFont, markingSize)
	marking = d.fit(marking, contentW)
	markingX := (pageW - d.width(marking)) / 2
	d.setFont(regularFont, smallSize)
	last := fmt.Sprintf("Page %d of %d", pages, pages)
	printed = d.fit(printed, contentW-d.width(last)-12)
	for n := 1; n <= pages; n++ {
		d.fail(d.g.SetPage(n))
		d.font, d.size = "", 0
		d.setFont(boldFont, markingSize)
		d.text(markingX, headerY, marking)
		d.text(markingX, footerMarkY, marking)
		d.setFont(regularFont, smallSize)
		page := fmt.Sprintf("Page %d of %d", n, pages)
		d.text(pageW-marginX-d.width(page), footerLineY, page)
		d.text(marginX, footerLineY, printed)
	}
}

// fit shortens a single line to width with an ellipsis. Only the marking and
// footer are shortened: they are one line on every page, and a marking too
// long for a line is a mistake, not content.
func (d *doc) fit(s string, width float64) string {
	if d.width(s) <= width {
		return s
	}
	ell := d.width("…")
	w := 0.0
	for i, r := range s {
		w += d.width(string(r))
		if w+ell > width {
			return s[:i] + "…"
		}
	}
	return s
}

func orNone(s, none string) string {
	if strings.TrimSpace(clean(s, true)) == "" {
		return none
	}
	return s
}

// when prints a meeting's time in London, e.g. "Tuesday 1 December 2026,
// 10:00 to 11:30", naming the end's day too if it ends on another day.
func when(start, end time.Time) string {
	if start.IsZero() {
		return "Time not set"
	}
	s := start.In(lantern.London)
	out := longDay(s, false) + ", " + s.Format("15:04")
	if end.IsZero() {
		return out
	}
	e := end.In(lantern.London)
	if s.Format(time.DateOnly) == e.Format(time.DateOnly) {
		return out + " to " + e.Format("15:04")
	}
	return out + " to " + longDay(e, false) + ", " + e.Format("15:04")
}

// longDay prints "Tuesday 1 December 2026" in London, with " at 10:00" if
// withTime.
func longDay(t time.Time, withTime bool) string {
	t = t.In(lantern.London)
	s := t.Format("Monday 2 January 2006")
	if withTime {
		s += " at " + t.Format("15:04")
	}
	return s
}
