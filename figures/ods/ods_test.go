package ods

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"

	"lantern/figures"
)

func write(t testing.TB, d Doc) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func read(t testing.TB, b []byte) Doc {
	t.Helper()
	d, err := Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The payloads a spreadsheet would run as a formula, and what they must
// read back as.
var payloads = map[string]string{
	`=HYPERLINK("http://example.org/x","Click")`: `'=HYPERLINK("http://example.org/x","Click")`,
	"+1":            "'+1",
	"-1+1":          "'-1+1",
	"@SUM(A1:A2)":   "'@SUM(A1:A2)",
	"\t=1+1":        "'\t=1+1",
	"\r=1+1":        "'=1+1", // a carriage return dropped, as the CSV writer drops it
	"=1+1":          "'=1+1",
	"Plain =1":      "Plain =1",
	"":              "",
	"A  two  space": "A  two  space",
}

// What the OpenDocument standard asks of the package: the mimetype the
// first entry, stored, with no extra field, so its bytes sit at offset 38;
// a manifest naming every part; each part well-formed XML.
func TestPackageStructure(t *testing.T) {
	b := write(t, Doc{Title: "T", Sheets: []Sheet{{Name: "S", Rows: [][]Cell{{Str("a"), Float(1)}}}}})
	if string(b[:4]) != "PK\x03\x04" || binary.LittleEndian.Uint16(b[8:]) != 0 || binary.LittleEndian.Uint16(b[28:]) != 0 ||
		string(b[30:38]) != "mimetype" || string(b[38:38+len(MediaType)]) != MediaType {
		t.Fatalf("the mimetype is not first, stored, with no extra field: % x", b[:40])
	}
	if flags := binary.LittleEndian.Uint16(b[6:]); flags&0x8 != 0 {
		t.Errorf("the mimetype has a data descriptor (flags %x)", flags)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range z.File {
		names[f.Name] = true
		if f.Name == "mimetype" {
			continue
		}
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		dec := xml.NewDecoder(bytes.NewReader(body))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		}
		if f.Name == "META-INF/manifest.xml" {
			for _, part := range []string{`full-path="/"`, "content.xml", "styles.xml", "meta.xml", MediaType} {
				if !bytes.Contains(body, []byte(part)) {
					t.Errorf("the manifest lacks %s", part)
				}
			}
		}
		if f.Name == "content.xml" && !bytes.Contains(body, []byte(`office:value-type="float" office:value="1"`)) {
			t.Errorf("a number is not a float cell: %s", body)
		}
	}
	for _, n := range []string{"mimetype", "META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml"} {
		if !names[n] {
			t.Errorf("no %s", n)
		}
	}
}

// What is written is what is read: text with its tabs, spaces and lines,
// numbers as numbers, formula-like text neutralised as the CSV does it.
func TestRoundTrip(t *testing.T) {
	var rows [][]Cell
	var want [][]Cell
	for in, out := range payloads {
		if in == "" {
			continue
		}
		rows = append(rows, []Cell{Str(in), Float(-3.5)})
		want = append(want, []Cell{Str(out), Float(-3.5)})
	}
	for _, s := range []string{" lead", "trail ", "two\nlines", "tab\tin", "<b>&amp;</b>", "Ünïcödé ✓", "\x01bell"} {
		rows = append(rows, []Cell{Head(s), Float(0), Float(1e9), Float(0.1)})
		exp := s
		if s == "\x01bell" {
			exp = "\uFFFDbell"
		}
		want = append(want, []Cell{Head(exp), Float(0), Float(1e9), Float(0.1)})
	}
	d := Doc{Title: "Round =trip", Sheets: []Sheet{{Name: "One", Rows: rows}, {Name: "one", Rows: [][]Cell{{Float(math.NaN())}}}, {Name: "a/b[c]"}}}
	got := read(t, write(t, d))
	if got.Title != "Round =trip" {
		t.Errorf("title %q", got.Title)
	}
	if len(got.Sheets) != 3 || got.Sheets[0].Name != "One" || got.Sheets[1].Name != "one 2" || got.Sheets[2].Name != "a-b-c-" {
		t.Fatalf("sheets %+v", got.Sheets)
	}
	if !reflect.DeepEqual(got.Sheets[0].Rows, want) {
		for i := range want {
			if i < len(got.Sheets[0].Rows) && !reflect.DeepEqual(got.Sheets[0].Rows[i], want[i]) {
				t.Errorf("row %d: %q, want %q", i, got.Sheets[0].Rows[i], want[i])
			}
		}
		t.Fatalf("rows differ")
	}
	if c := got.Sheets[1].Rows[0][0]; c.Float || c.Text != "NaN" {
		t.Errorf("NaN written as %+v", c)
	}
}

func TestNeutralise(t *testing.T) {
	for in, want := range payloads {
		if got := strings.ReplaceAll(Neutralise(in), "\r", ""); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	if got := Neutralise("\r=1"); got != "'\r=1" {
		t.Errorf("a carriage return first: %q", got)
	}
}

// Tables: a cover with the symbol key and a sheet a table; symbols as
// bracketed text, counts as numbers, labels neutralised.
func TestTables(t *testing.T) {
	tb := figures.Table{ID: "sex", Title: "By sex", Columns: []string{"children"}, Rows: []figures.Row{
		{Label: "Female", Values: map[string]figures.Value{"children": figures.Num(14)}},
		{Label: "=HYPERLINK(\"http://example.org\")", Values: map[string]figures.Value{"children": figures.Sym("c")}},
		{Label: "Missing cell", Values: map[string]figures.Value{}},
	}}
	d := read(t, write(t, Tables(Cover{Title: "The data set", Period: "1 April 2026 to 31 March 2027", Profile: "dfe", Notes: []string{"-Counts are distinct children"}}, []figures.Table{tb})))
	if len(d.Sheets) != 2 || d.Sheets[0].Name != "Cover" || d.Sheets[1].Name != "sex" {
		t.Fatalf("sheets: %+v", d.Sheets)
	}
	var cover []string
	for _, r := range d.Sheets[0].Rows {
		var cells []string
		for _, c := range r {
			cells = append(cells, c.String())
		}
		cover = append(cover, strings.Join(cells, "|"))
	}
	all := strings.Join(cover, "\n")
	for _, want := range []string{"The data set", "Period|1 April 2026 to 31 March 2027", "Disclosure control|dfe", "'-Counts are distinct children",
		"[c]|Confidential", "[z]|Not applicable", "[x]|Not available", "[u]|Low reliability", "[k]|Rounds to zero", "sex|By sex"} {
		if !strings.Contains(all, want) {
			t.Errorf("the cover lacks %q:\n%s", want, all)
		}
	}
	rows := d.Sheets[1].Rows
	if rows[0][0].Text != "By sex" || !rows[0][0].Bold || rows[TableHeaderRow][0].Text != "Row" || rows[TableHeaderRow][1].Text != "children" {
		t.Errorf("the sheet's head: %+v", rows[:3])
	}
	want := [][]Cell{{Str("Female"), Float(14)}, {Str(`'=HYPERLINK("http://example.org")`), Str("[c]")}, {Str("Missing cell"), Str("[x]")}}
	if !reflect.DeepEqual(rows[TableHeaderRow+1:], want) {
		t.Errorf("the sheet's rows: %q", rows[TableHeaderRow+1:])
	}
}

// Read refuses what is not a spreadsheet, and a file whose cells would
// fill memory.
func TestReadRefuses(t *testing.T) {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("mimetype")
	w.Write([]byte(MediaType))
	z.Close()
	if _, err := Read(bytes.NewReader(b.Bytes()), int64(b.Len())); err == nil {
		t.Error("a compressed mimetype read")
	}
	bomb := bytes.NewBuffer(nil)
	z = zip.NewWriter(bomb)
	mt := []byte(MediaType)
	f, _ := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	f.Write(mt)
	f, _ = z.Create("META-INF/manifest.xml")
	f.Write([]byte("<m/>"))
	f, _ = z.Create("content.xml")
	f.Write([]byte(`<r xmlns:table="` + nsTable + `" xmlns:text="` + nsText + `"><table:table><table:table-row table:number-rows-repeated="100000000"><table:table-cell table:number-columns-repeated="100"><text:p>x</text:p></table:table-cell></table:table-row></table:table></r>`))
	z.Close()
	if _, err := Read(bytes.NewReader(bomb.Bytes()), int64(bomb.Len())); err == nil || !strings.Contains(err.Error(), "too many") {
		t.Errorf("a cell bomb: %v", err)
	}
}

// FuzzRead: no input panics the reader.
func FuzzRead(f *testing.F) {
	f.Add(write(f, Tables(Cover{Title: "t"}, []figures.Table{{ID: "a", Columns: []string{"n"}, Rows: []figures.Row{{Label: "r", Values: map[string]figures.Value{"n": figures.Num(1)}}}}})))
	f.Add([]byte("PK"))
	f.Fuzz(func(t *testing.T, b []byte) {
		Read(bytes.NewReader(b), int64(len(b)))
	})
}

// FuzzRoundTrip: any text and number come back as written (text
// neutralised, characters XML cannot hold replaced).
func FuzzRoundTrip(f *testing.F) {
	for in := range payloads {
		f.Add(in, 1.5)
	}
	f.Add("  a \t\r\n b  ", -0.0)
	f.Fuzz(func(t *testing.T, s string, n float64) {
		d := read(t, write(t, Doc{Sheets: []Sheet{{Name: s, Rows: [][]Cell{{Str(s), Float(n), Str("end")}}}}}))
		row := d.Sheets[0].Rows[0]
		want := strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 {
				return r
			}
			return '\uFFFD'
		}, strings.ReplaceAll(Neutralise(s), "\r", "")) // each byte of bad UTF-8 a U+FFFD
		if row[0].Text != want {
			t.Fatalf("%q read back %q, want %q", s, row[0].Text, want)
		}
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return
		}
		if !row[1].Float || row[1].Num != n {
			t.Fatalf("%v read back %+v", n, row[1])
		}
	})
}
