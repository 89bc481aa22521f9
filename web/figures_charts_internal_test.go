package web

import (
	"bytes"
	"encoding/csv"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	fig "lantern/figures"
	"lantern/figures/ods"
)

// CSV injection payloads in a table's labels (a place's name in the
// hotspots, say) stay inert in the CSV and in the spreadsheet, and the
// spreadsheet read back holds the same cells as the CSV.
func TestFiguresDownloadsInert(t *testing.T) {
	payloads := []string{`=HYPERLINK("http://example.org/x","Click me")`, "+1", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "Plain"}
	tb := fig.Table{ID: "hotspots", Title: "=Places", Columns: []string{"children", "-persons"}}
	for i, p := range payloads {
		tb.Rows = append(tb.Rows, fig.Row{Label: p, Values: map[string]fig.Value{"children": fig.Num(float64(i)), "-persons": fig.Sym("c")}})
	}
	tb.Rows = append(tb.Rows, fig.Row{Label: "No persons cell", Values: map[string]fig.Value{"children": fig.Num(2)}})
	tables := []fig.Table{tb}

	rec := httptest.NewRecorder()
	writeCSV(rec, "x.csv", []string{"table", "row", "column", "value"}, tablesCSV(tables))
	records, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	records = records[1:]
	var buf bytes.Buffer
	if err := ods.Write(&buf, ods.Tables(ods.Cover{Title: "=T", Period: "+P", Profile: "dfe"}, tables)); err != nil {
		t.Fatal(err)
	}
	doc, err := ods.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var cells [][]string
	sh := doc.Sheets[1]
	head := sh.Rows[ods.TableHeaderRow]
	for _, r := range sh.Rows[ods.TableHeaderRow+1:] {
		for j := 1; j < len(head); j++ {
			cells = append(cells, []string{sh.Name, r[0].String(), head[j].String(), r[j].String()})
		}
	}
	if !slices.EqualFunc(records, cells, slices.Equal) {
		t.Errorf("the ODS read back is not the CSV:\ncsv %q\nods %q", records, cells)
	}
	inert := func(where, s string) {
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			t.Errorf("%s: %q would run as a formula", where, s)
		}
	}
	for _, r := range records {
		for _, c := range r {
			inert("csv", c)
		}
	}
	for _, s := range doc.Sheets {
		for _, r := range s.Rows {
			for _, c := range r {
				if !c.Float {
					inert("ods "+s.Name, c.Text)
				}
			}
		}
	}
	// The payloads are there, shown, not dropped.
	if records[0][1] != `'=HYPERLINK("http://example.org/x","Click me")` || records[8][1] != "'\t=1+1" || records[9][3] != "[c]" {
		t.Errorf("records: %q", records[:9])
	}
	if last := records[len(records)-1]; last[2] != "'-persons" || last[3] != "[x]" {
		t.Errorf("a missing cell: %q", last)
	}
}

// TestSentTables: a share's CSV read back as its tables, each titled as the
// data set titles it, rows and columns in the order sent; anything not of
// the data set's shape is left as lines.
func TestSentTables(t *testing.T) {
	h := datasetCSVHeader
	for _, tc := range []struct {
		name string
		rows [][]string
		ok   bool
		want []sentTable
	}{
		{"two tables", [][]string{h, {"sex", "Female", "children", "12"}, {"sex", "Female", "per_cent", "[c]"}, {"sex", "Male", "children", "[c]"},
			{"sex", "Male", "per_cent", "[c]"}, {"hotspots", "=Park", "children", "6"}}, true,
			[]sentTable{{ID: "sex", Title: "Open in the period, by sex", Columns: []string{"children", "per_cent"},
				Rows: []sentRow{{Label: "Female", Cells: []string{"12", "[c]"}}, {Label: "Male", Cells: []string{"[c]", "[c]"}}}},
				{ID: "hotspots", Title: "Hotspots: places by the children and persons of concern linked to them in the period", Columns: []string{"children"},
					Rows: []sentRow{{Label: "=Park", Cells: []string{"6"}}}}}},
		{"a table Lantern does not know keeps its id", [][]string{h, {"other", "A", "n", "1"}}, true,
			[]sentTable{{ID: "other", Title: "other", Columns: []string{"n"}, Rows: []sentRow{{Label: "A", Cells: []string{"1"}}}}}},
		{"a cell missing", [][]string{h, {"sex", "Female", "children", ""}, {"sex", "Male", "per_cent", "5"}}, true,
			[]sentTable{{ID: "sex", Title: "Open in the period, by sex", Columns: []string{"children", "per_cent"},
				Rows: []sentRow{{Label: "Female", Cells: []string{"", ""}}, {Label: "Male", Cells: []string{"", "5"}}}}}},
		{"two places of one name", [][]string{h, {"hotspots", "Park", "children", "3"}, {"hotspots", "Park", "persons", "1"},
			{"hotspots", "Park", "children", "2"}, {"hotspots", "Park", "persons", "[c]"}}, true,
			[]sentTable{{ID: "hotspots", Title: "Hotspots: places by the children and persons of concern linked to them in the period", Columns: []string{"children", "persons"},
				Rows: []sentRow{{Label: "Park", Cells: []string{"3", "1"}}, {Label: "Park", Cells: []string{"2", "[c]"}}}}}},
		{"another header", [][]string{{"a", "b", "c", "d"}, {"sex", "Female", "children", "12"}}, false, nil},
		{"a short line", [][]string{h, {"sex", "Female", "children"}}, false, nil},
		{"nothing", nil, false, nil},
	} {
		got, ok := sentTables(tc.rows)
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v %+v, want %v %+v", tc.name, ok, got, tc.ok, tc.want)
		}
	}
}
