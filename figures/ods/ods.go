// Package ods writes OpenDocument spreadsheets (.ods) with the standard
// library alone: a zip holding the mimetype (first, stored uncompressed,
// as the OpenDocument standard asks), META-INF/manifest.xml, content.xml,
// styles.xml and meta.xml. Text is written as text (never a formula), and
// every text cell is neutralised as the CSV downloads are (Neutralise), so
// a cell reads the same in either. Read reads one back, for tests and for
// anyone checking a file. Pure: it writes to an io.Writer.
package ods

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"hash/crc32"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MediaType is an OpenDocument spreadsheet's media type.
const MediaType = "application/vnd.oasis.opendocument.spreadsheet"

// Cell is a text cell, or a number (Float).
type Cell struct {
	Text  string
	Num   float64
	Float bool
	Bold  bool // a heading
}

// Str is a text cell.
func Str(s string) Cell { return Cell{Text: s} }

// Head is a text cell in bold: a title or a column heading.
func Head(s string) Cell { return Cell{Text: s, Bold: true} }

// Float is a number cell.
func Float(n float64) Cell { return Cell{Num: n, Float: true} }

// String is the cell as CSV writes it: the number in its shortest form, or
// the text.
func (c Cell) String() string {
	if c.Float {
		return strconv.FormatFloat(c.Num, 'f', -1, 64)
	}
	return c.Text
}

// Sheet is a named sheet of rows.
type Sheet struct {
	Name string
	Rows [][]Cell
}

// Doc is a spreadsheet.
type Doc struct {
	Title  string
	Sheets []Sheet
}

// Neutralise guards a cell that a spreadsheet would take for a formula
// (one starting =, +, -, @, a tab or a carriage return) with a leading
// apostrophe, so that a label such as =HYPERLINK(...) is shown, not run.
// The CSV downloads use it too (web's csvCell): one rule for both.
func Neutralise(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// SheetName makes s a sheet name spreadsheets accept: none of []*?:/\ and
// no apostrophe at either end, at most 31 characters, never empty.
func SheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]*?:/\`, r) || r < 0x20 || r == utf8.RuneError {
			return '-'
		}
		return r
	}, s)
	s = strings.Trim(s, "'")
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "Sheet"
	}
	return s
}

const (
	nsOffice   = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsStyle    = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
	nsText     = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsTable    = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsFO       = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
	nsMeta     = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
	nsDC       = "http://purl.org/dc/elements/1.1/"
	nsManifest = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
)

// esc escapes s for XML text or an attribute; characters XML cannot hold
// become U+FFFD.
func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// para writes one line of text as a text:p, with tabs and runs of spaces
// as the elements OpenDocument keeps them by (it would collapse them as
// bare characters).
func para(b *strings.Builder, line string) {
	b.WriteString("<text:p>")
	i := 0
	for i < len(line) {
		switch line[i] {
		case '\t':
			b.WriteString("<text:tab/>")
			i++
		case ' ':
			j := i
			for j < len(line) && line[j] == ' ' {
				j++
			}
			n := j - i
			if i > 0 && j < len(line) {
				// One space between words is kept as it is.
				b.WriteByte(' ')
				n--
			}
			if n > 0 {
				b.WriteString(`<text:s text:c="` + strconv.Itoa(n) + `"/>`)
			}
			i = j
		default:
			j := i
			for j < len(line) && line[j] != '\t' && line[j] != ' ' {
				j++
			}
			b.WriteString(esc(line[i:j]))
			i = j
		}
	}
	b.WriteString("</text:p>")
}

// content is content.xml.
func content(d Doc) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<office:document-content xmlns:office="` + nsOffice + `" xmlns:style="` + nsStyle + `" xmlns:text="` + nsText +
		`" xmlns:table="` + nsTable + `" xmlns:fo="` + nsFO + `" office:version="1.2">`)
	b.WriteString(`<office:automatic-styles>` +
		`<style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="7cm"/></style:style>` +
		`<style:style style:name="co2" style:family="table-column"><style:table-column-properties style:column-width="3.5cm"/></style:style>` +
		`<style:style style:name="ce1" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>` +
		`</office:automatic-styles>`)
	b.WriteString(`<office:body><office:spreadsheet>`)
	sheets := d.Sheets
	if len(sheets) == 0 {
		sheets = []Sheet{{Name: "Sheet"}} // a spreadsheet has a sheet
	}
	used := map[string]bool{} // sheet names differ regardless of case
	for _, sh := range sheets {
		base := SheetName(sh.Name)
		name := base
		for i := 2; used[strings.ToLower(name)]; i++ {
			// Two sheets cannot share a name: number the later ones.
			suffix := " " + strconv.Itoa(i)
			r := []rune(base)
			if len(r)+len(suffix) > 31 {
				r = r[:31-len(suffix)]
			}
			name = string(r) + suffix
		}
		used[strings.ToLower(name)] = true
		b.WriteString(`<table:table table:name="` + esc(name) + `">`)
		cols := 1
		for _, r := range sh.Rows {
			cols = max(cols, len(r))
		}
		b.WriteString(`<table:table-column table:style-name="co1"/>`)
		if cols > 1 {
			b.WriteString(`<table:table-column table:style-name="co2" table:number-columns-repeated="` + strconv.Itoa(cols-1) + `"/>`)
		}
		if len(sh.Rows) == 0 {
			b.WriteString(`<table:table-row><table:table-cell/></table:table-row>`)
		}
		for _, r := range sh.Rows {
			b.WriteString(`<table:table-row>`)
			if len(r) == 0 {
				b.WriteString(`<table:table-cell/>`)
			}
			for _, c := range r {
				style := ""
				if c.Bold {
					style = ` table:style-name="ce1"`
				}
				switch {
				case c.Float:
					v := c.String()
					b.WriteString(`<table:table-cell office:value-type="float" office:value="` + v + `"` + style + `><text:p>` + v + `</text:p></table:table-cell>`)
				case c.Text == "":
					b.WriteString(`<table:table-cell` + style + `/>`)
				default:
					b.WriteString(`<table:table-cell office:value-type="string"` + style + `>`)
					// A carriage return has no place in a cell's text (CRLF is a
					// line break): dropped, as the CSV writer drops it.
					for _, line := range strings.Split(strings.ReplaceAll(Neutralise(c.Text), "\r", ""), "\n") {
						para(&b, line)
					}
					b.WriteString(`</table:table-cell>`)
				}
			}
			b.WriteString(`</table:table-row>`)
		}
		b.WriteString(`</table:table>`)
	}
	b.WriteString(`</office:spreadsheet></office:body></office:document-content>`)
	return []byte(b.String())
}

// Write writes d as an OpenDocument spreadsheet. A number that is not
// finite is written as text ("NaN", "+Inf"), as a spreadsheet cannot hold it.
func Write(w io.Writer, d Doc) error {
	for i := range d.Sheets {
		rows := make([][]Cell, len(d.Sheets[i].Rows))
		for j, r := range d.Sheets[i].Rows {
			rows[j] = make([]Cell, len(r))
			for k, c := range r {
				if c.Float && (math.IsNaN(c.Num) || math.IsInf(c.Num, 0)) {
					c = Cell{Text: c.String(), Bold: c.Bold}
				}
				rows[j][k] = c
			}
		}
		d.Sheets[i].Rows = rows
	}
	z := zip.NewWriter(w)
	// The mimetype first, stored, with no extra field: how a reader knows
	// the file by its first bytes.
	mt := []byte(MediaType)
	f, err := z.CreateRaw(&zip.FileHeader{Name: "mimetype", Method: zip.Store, CRC32: crc32.ChecksumIEEE(mt),
		CompressedSize64: uint64(len(mt)), UncompressedSize64: uint64(len(mt))})
	if err != nil {
		return err
	}
	if _, err := f.Write(mt); err != nil {
		return err
	}
	files := []struct {
		name string
		body []byte
	}{
		{"content.xml", content(d)},
		{"styles.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<office:document-styles xmlns:office="` + nsOffice + `" xmlns:style="` + nsStyle +
			`" xmlns:fo="` + nsFO + `" office:version="1.2"><office:styles><style:default-style style:family="table-cell"><style:text-properties fo:font-size="11pt"/></style:default-style></office:styles></office:document-styles>`)},
		{"meta.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<office:document-meta xmlns:office="` + nsOffice + `" xmlns:meta="` + nsMeta + `" xmlns:dc="` + nsDC +
			`" office:version="1.2"><office:meta><meta:generator>Lantern</meta:generator><dc:title>` + esc(d.Title) + `</dc:title><dc:language>en-GB</dc:language></office:meta></office:document-meta>`)},
		{"META-INF/manifest.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<manifest:manifest xmlns:manifest="` + nsManifest + `" manifest:version="1.2">` +
			`<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="` + MediaType + `"/>` +
			`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>` +
			`<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>` +
			`<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>` +
			`</manifest:manifest>`)},
	}
	for _, f := range files {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.body); err != nil {
			return err
		}
	}
	return z.Close()
}
