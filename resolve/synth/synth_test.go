package synth

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"lantern"
	"lantern/resolve"
)

func TestGenerateDeterministic(t *testing.T) {
	a, ta := Generate(7, 3000)
	b, tb := Generate(7, 3000)
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(ta, tb) {
		t.Fatal("the same seed gave different records")
	}
	c, _ := Generate(8, 3000)
	if reflect.DeepEqual(a, c) {
		t.Fatal("another seed gave the same records")
	}
	if len(a) != 3000 || len(ta) != 3000 {
		t.Fatalf("%d records, %d truths", len(a), len(ta))
	}
	if r, tr := Generate(1, 0); r != nil || tr != nil {
		t.Fatal("no records asked for")
	}
}

func TestGenerateShape(t *testing.T) {
	records, truth := Generate(1, 20_000)
	perPerson := map[int]int{}
	origins := map[string]int{}
	var children, aliasOnly, suffixed, estimated, phones, vrms int
	for i, r := range records {
		perPerson[truth[i]]++
		origins[Origin(truth[i])]++
		if r.Child {
			children++
			if len(r.VRMs) > 0 {
				t.Errorf("a child with a vehicle: %+v", r)
			}
		}
		if len(r.Names) == 0 {
			aliasOnly++
			if len(r.Aliases) == 0 {
				t.Errorf("a record with neither name nor alias: %+v", r)
			}
		}
		for _, n := range r.Names {
			if _, s := resolve.ParseSuffix(n.Family); s != resolve.NoSuffix {
				suffixed++
			}
		}
		if r.BirthYear != 0 {
			estimated++
		}
		for _, p := range r.Phones {
			phones++
			if n, ok := lantern.NormalisePhone(p); !ok || n != p {
				t.Errorf("phone not normalised: %q", p)
			}
			if !strings.HasPrefix(p, "+447700900") && !strings.HasPrefix(p, "+44") {
				t.Errorf("phone %q", p)
			}
		}
		for _, v := range r.VRMs {
			vrms++
			if n, _, ok := lantern.NormaliseVRM(v); !ok || n != v || (v[0] != 'I' && v[0] != 'Q' && v[0] != '?') {
				t.Errorf("registration %q", v)
			}
		}
		for _, pc := range r.Postcodes {
			if up := strings.ToUpper(pc); !strings.HasPrefix(up, "Z") {
				t.Errorf("postcode %q is not fictional", pc)
			}
		}
	}
	multi := 0
	for _, k := range perPerson {
		if k > 1 {
			multi++
		}
	}
	if len(origins) != len(Origins()) {
		t.Errorf("origins %v", origins)
	}
	for name, got := range map[string]int{"people recorded more than once": multi, "children's records": children,
		"street names alone": aliasOnly, "suffixes": suffixed, "estimated years": estimated, "phones": phones, "vehicles": vrms} {
		if got < 20 {
			t.Errorf("too few %s: %d", name, got)
		}
	}
}

func TestOriginStable(t *testing.T) {
	for id := range 1000 {
		if Origin(2*id) != Origin(2*id+1) {
			t.Fatalf("father %d and son differ in origin", 2*id)
		}
	}
}

// TestEvaluateSmall trains and resolves a small set and holds it to the
// targets, loosened for its size.
func TestEvaluateSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("trains and resolves 20,000 records")
	}
	records, truth := Generate(3, 20_000)
	rep := Evaluate(records, truth, nil)
	t.Log("\n" + rep.String())
	r := rep.Results[0]
	if r.Overall.Precision < 0.98 || r.Overall.Recall < 0.75 {
		t.Errorf("p >= 0.99: precision %.3f recall %.3f", r.Overall.Precision, r.Overall.Recall)
	}
	if a := rep.Results[1]; a.Overall.Precision < 0.99 {
		t.Errorf("AutoLink precision %.4f", a.Overall.Precision)
	}
	if rep.Pairs == 0 || rep.Links == 0 {
		t.Errorf("nothing scored: %+v", rep)
	}
}

// BenchmarkEvaluate is the big run: RESOLVE_N records (200,000 unless set),
// trained and resolved once. go test -run - -bench Evaluate -benchtime 1x
func BenchmarkEvaluate(b *testing.B) {
	n := 200_000
	if s := os.Getenv("RESOLVE_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	records, truth := Generate(1, n)
	b.ResetTimer()
	for b.Loop() {
		rep := Evaluate(records, truth, nil)
		fmt.Fprintln(os.Stderr, rep.String()) // b.Log would cut it short
		b.ReportMetric(float64(rep.Pairs), "pairs")
		b.ReportMetric(rep.Results[0].Overall.Precision, "precision")
		b.ReportMetric(rep.Results[0].Overall.Recall, "recall")
	}
}
