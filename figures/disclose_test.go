package figures

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomTable is a table of r rows and c count columns of small counts,
// with a total row and, sometimes, a total column.
func randomTable(rng *rand.Rand) Table {
	rows, cols := 2+rng.IntN(5), 1+rng.IntN(4)
	totalCol := cols > 1 && rng.IntN(2) == 0
	t := Table{ID: "t", TotalRow: true, TotalColumn: totalCol}
	for j := range cols {
		t.Columns = append(t.Columns, fmt.Sprintf("c%d", j))
	}
	if totalCol {
		t.Columns = append(t.Columns, "total")
	}
	sums := make([]int, cols)
	for i := range rows {
		r := Row{Label: fmt.Sprintf("r%d", i), Values: map[string]Value{}}
		sum := 0
		for j := range cols {
			// Mostly small numbers, some zeros, some large.
			var n int
			switch rng.IntN(4) {
			case 0:
				n = 0
			case 1, 2:
				n = rng.IntN(12)
			default:
				n = rng.IntN(200)
			}
			r.Values[t.Columns[j]] = Num(float64(n))
			sum += n
			sums[j] += n
		}
		if totalCol {
			r.Values["total"] = Num(float64(sum))
		}
		t.Rows = append(t.Rows, r)
	}
	tr := Row{Label: "Total", Values: map[string]Value{}}
	all := 0
	for j := range cols {
		tr.Values[t.Columns[j]] = Num(float64(sums[j]))
		all += sums[j]
	}
	if totalCol {
		tr.Values["total"] = Num(float64(all))
	}
	t.Rows = append(t.Rows, tr)
	return t
}

// TestProtectProperties: over 100,000 random tables and every profile but
// internal, no published count is in the profile's unsafe range or off
// its rounding; no row or column (with its total) has exactly one
// suppressed count, so none can be worked out from its row, its column or
// a total; protecting twice changes nothing more than once.
func TestProtectProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	for k := range n {
		tab := randomTable(rng)
		for _, p := range []Profile{DfE, NHS, ONS} {
			out := Protect(tab, p)
			for _, r := range out.Rows {
				for c, v := range r.Values {
					if v.Published() && !p.Safe(int(v.N)) {
						t.Fatalf("table %d, %s: %s/%s published %v", k, p, r.Label, c, v.N)
					}
				}
			}
			// Groups: each column over the rows; each row over the columns.
			check := func(vals []Value, what string) {
				c := 0
				for _, v := range vals {
					if v.Symbol == Suppressed {
						c++
					}
				}
				if c == 1 {
					t.Fatalf("table %d, %s: %s has exactly one suppressed count: %+v", k, p, what, vals)
				}
			}
			for _, col := range out.Columns {
				var vals []Value
				for _, r := range out.Rows {
					vals = append(vals, r.Values[col])
				}
				check(vals, "column "+col)
			}
			if out.TotalColumn {
				for _, r := range out.Rows {
					var vals []Value
					for _, col := range out.Columns {
						vals = append(vals, r.Values[col])
					}
					check(vals, "row "+r.Label)
				}
			}
			again := Protect(out, p)
			for i, r := range again.Rows {
				for c, v := range r.Values {
					if v != out.Rows[i].Values[c] {
						t.Fatalf("table %d, %s: protecting again changed %s/%s from %v to %v", k, p, r.Label, c, out.Rows[i].Values[c], v)
					}
				}
			}
		}
	}
}

func TestProtectExamples(t *testing.T) {
	tab := Table{ID: "sex", Columns: []string{"children"}, TotalRow: true, Rows: []Row{
		{Label: "Female", Values: map[string]Value{"children": Num(40)}},
		{Label: "Male", Values: map[string]Value{"children": Num(3)}},
		{Label: "Not recorded", Values: map[string]Value{"children": Num(12)}},
		{Label: "Total", Values: map[string]Value{"children": Num(55)}},
	}}
	for _, tc := range []struct {
		p    Profile
		want []string
	}{
		{Internal, []string{"40", "3", "12", "55"}},
		{DfE, []string{"40", "c", "c", "55"}}, // 3 primary; 12 the smallest other
		{NHS, []string{"40", "c", "c", "55"}}, // rounded: 40, 55
		{ONS, []string{"40", "c", "c", "55"}},
	} {
		out := Protect(tab, tc.p)
		for i, w := range tc.want {
			v := out.Rows[i].Values["children"]
			got := v.Symbol
			if got == "" {
				got = fmt.Sprint(v.N)
			}
			if got != w {
				t.Errorf("%s: row %s = %s, want %s", tc.p, out.Rows[i].Label, got, w)
			}
		}
	}
	// Rounding halves up, and is stable.
	for n, want := range map[int]int{12: 10, 13: 15, 17: 15, 18: 20, 55: 55} {
		if got := NHS.Round(n); got != want || NHS.Round(got) != got {
			t.Errorf("round %d: %d, want %d", n, got, want)
		}
	}
	// A rate goes with its count.
	rt := Table{ID: "rate", Columns: []string{"children", "per 10,000"}, Rates: map[string]string{"per 10,000": "children"}, Rows: []Row{
		{Label: "All", Values: map[string]Value{"children": Num(4), "per 10,000": Num(0.8)}}}}
	if out := Protect(rt, DfE); out.Rows[0].Values["per 10,000"].Symbol != Suppressed {
		t.Errorf("a rate of a suppressed count published: %+v", out.Rows[0].Values)
	}
}
