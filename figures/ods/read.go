package ods

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits on what Read accepts, so that a hostile file (a zip bomb, a cell
// repeated a billion times) is refused rather than filling memory.
const (
	maxContent = 64 << 20
	maxCells   = 1 << 20
)

// Read reads an OpenDocument spreadsheet back: its sheets, rows and cells
// (text with its tabs, spaces and lines; numbers as numbers), and its
// title. It checks what Write promises: the mimetype first and stored, and
// a manifest. Cells repeated past the last non-empty one are dropped.
func Read(r io.ReaderAt, size int64) (Doc, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return Doc{}, err
	}
	if len(z.File) == 0 || z.File[0].Name != "mimetype" || z.File[0].Method != zip.Store {
		return Doc{}, errors.New("ods: the mimetype is not the first entry, stored")
	}
	mt, err := readEntry(z.File[0], 100)
	if err != nil || string(mt) != MediaType {
		return Doc{}, fmt.Errorf("ods: mimetype %q", mt)
	}
	var contentFile, metaFile, manifest *zip.File
	for _, f := range z.File {
		switch f.Name {
		case "content.xml":
			contentFile = f
		case "meta.xml":
			metaFile = f
		case "META-INF/manifest.xml":
			manifest = f
		}
	}
	if contentFile == nil || manifest == nil {
		return Doc{}, errors.New("ods: no content.xml or manifest")
	}
	body, err := readEntry(contentFile, maxContent)
	if err != nil {
		return Doc{}, err
	}
	d, err := parseContent(body)
	if err != nil {
		return Doc{}, err
	}
	if metaFile != nil {
		if m, err := readEntry(metaFile, 1<<20); err == nil {
			d.Title = metaTitle(m)
		}
	}
	return d, nil
}

func readEntry(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("ods: %s is over %d bytes", f.Name, limit)
	}
	return b, nil
}

func metaTitle(b []byte) string {
	dec := xml.NewDecoder(strings.NewReader(string(b)))
	in := false
	var title strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return title.String()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			in = t.Name.Space == nsDC && t.Name.Local == "title"
		case xml.EndElement:
			in = false
		case xml.CharData:
			if in {
				title.Write(t)
			}
		}
	}
}

func attr(e xml.StartElement, space, local string) string {
	for _, a := range e.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func repeat(e xml.StartElement, local string) int {
	n, err := strconv.Atoi(attr(e, nsTable, local))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// parseContent reads content.xml's sheets.
func parseContent(b []byte) (Doc, error) {
	dec := xml.NewDecoder(strings.NewReader(string(b)))
	var d Doc
	var sheet *Sheet
	var row []Cell
	rowRepeat := 1
	var cell *Cell
	cellRepeat := 1
	var text strings.Builder
	paras := 0
	inP := 0
	cells := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Doc{}, fmt.Errorf("ods: content.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Space == nsTable && t.Name.Local == "table":
				d.Sheets = append(d.Sheets, Sheet{Name: attr(t, nsTable, "name")})
				sheet = &d.Sheets[len(d.Sheets)-1]
			case t.Name.Space == nsTable && t.Name.Local == "table-row" && sheet != nil:
				row, rowRepeat = []Cell{}, repeat(t, "number-rows-repeated")
			case t.Name.Space == nsTable && (t.Name.Local == "table-cell" || t.Name.Local == "covered-table-cell") && row != nil:
				cell, cellRepeat = &Cell{}, repeat(t, "number-columns-repeated")
				text.Reset()
				paras = 0
				if attr(t, nsOffice, "value-type") == "float" || attr(t, nsOffice, "value-type") == "percentage" || attr(t, nsOffice, "value-type") == "currency" {
					n, err := strconv.ParseFloat(attr(t, nsOffice, "value"), 64)
					if err != nil {
						return Doc{}, fmt.Errorf("ods: a number cell's value %q", attr(t, nsOffice, "value"))
					}
					cell.Num, cell.Float = n, true
				}
				cell.Bold = attr(t, nsTable, "style-name") == "ce1"
			case t.Name.Space == nsText && t.Name.Local == "p" && cell != nil:
				if paras > 0 {
					text.WriteByte('\n')
				}
				paras++
				inP++
			case t.Name.Space == nsText && t.Name.Local == "s" && inP > 0:
				n, err := strconv.Atoi(attr(t, nsText, "c"))
				if err != nil || n < 1 {
					n = 1
				}
				if n > 10000 {
					return Doc{}, errors.New("ods: too many spaces")
				}
				text.WriteString(strings.Repeat(" ", n))
			case t.Name.Space == nsText && t.Name.Local == "tab" && inP > 0:
				text.WriteByte('\t')
			case t.Name.Space == nsText && t.Name.Local == "line-break" && inP > 0:
				text.WriteByte('\n')
			}
		case xml.CharData:
			if inP > 0 {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case t.Name.Space == nsText && t.Name.Local == "p" && inP > 0:
				inP--
			case t.Name.Space == nsTable && (t.Name.Local == "table-cell" || t.Name.Local == "covered-table-cell") && cell != nil:
				if !cell.Float {
					cell.Text = text.String()
				}
				empty := !cell.Float && cell.Text == ""
				if cellRepeat > 1 && empty && cellRepeat > 256 {
					cellRepeat = 1 // the trailing empties a spreadsheet writes to its last column
				}
				cells += cellRepeat
				if cells > maxCells {
					return Doc{}, errors.New("ods: too many cells")
				}
				for range cellRepeat {
					row = append(row, *cell)
				}
				cell = nil
			case t.Name.Space == nsTable && t.Name.Local == "table-row" && row != nil:
				for len(row) > 0 && !row[len(row)-1].Float && row[len(row)-1].Text == "" {
					row = row[:len(row)-1]
				}
				if len(row) == 0 && rowRepeat > 256 {
					rowRepeat = 1
				}
				cells += rowRepeat * max(len(row), 1)
				if cells > maxCells {
					return Doc{}, errors.New("ods: too many cells")
				}
				for range rowRepeat {
					sheet.Rows = append(sheet.Rows, row)
				}
				row = nil
			case t.Name.Space == nsTable && t.Name.Local == "table":
				// Trailing empty rows are not the sheet's.
				for sheet != nil && len(sheet.Rows) > 0 && len(sheet.Rows[len(sheet.Rows)-1]) == 0 {
					sheet.Rows = sheet.Rows[:len(sheet.Rows)-1]
				}
				sheet = nil
			}
		}
	}
	return d, nil
}
