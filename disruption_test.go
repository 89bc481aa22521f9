package lantern_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
)

func d(s string) lantern.Date {
	v, err := lantern.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func dp(s string) *lantern.Date { v := d(s); return &v }

// fields are the fields an error names, sorted.
func fields(err error) []string {
	var out []string
	for _, f := range lantern.ErrorFields(err) {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestCheckDisruption(t *testing.T) {
	today := d("2026-11-22")
	child := []lantern.DisruptionChild{{ChildID: "c1", Role: "victim"}}
	for _, tc := range []struct {
		name string
		in   lantern.Disruption
		want []string
	}{
		{"an arrest", lantern.Disruption{Kind: "arrest", Date: d("2026-11-20"), PersonID: "p1", Children: child}, nil},
		{"an arrest today", lantern.Disruption{Kind: "arrest", Date: today, PersonID: "p1"}, nil},
		{"no kind", lantern.Disruption{Date: d("2026-11-20"), PersonID: "p1"}, []string{"kind"}},
		{"an unknown kind", lantern.Disruption{Kind: "caution", Date: d("2026-11-20"), PersonID: "p1"}, []string{"kind"}},
		{"no date", lantern.Disruption{Kind: "charge", PersonID: "p1"}, []string{"date"}},
		{"a date in the future", lantern.Disruption{Kind: "charge", Date: d("2026-11-23"), PersonID: "p1"}, []string{"date"}},
		{"a date long ago", lantern.Disruption{Kind: "charge", Date: d("1970-01-01"), PersonID: "p1"}, []string{"date"}},
		{"no person", lantern.Disruption{Kind: "arrest", Date: d("2026-11-20")}, []string{"person_id"}},
		{"a CAWN", lantern.Disruption{Kind: "cawn", Date: d("2026-11-20"), Expires: dp("2027-11-20"), PersonID: "p1",
			Children: []lantern.DisruptionChild{{ChildID: "c1"}}}, nil},
		{"a CAWN naming no child", lantern.Disruption{Kind: "cawn", Date: d("2026-11-20"), PersonID: "p1"}, []string{"children"}},
		{"an order ending on its start", lantern.Disruption{Kind: "sexual-risk-order", Date: d("2026-11-20"), Expires: dp("2026-11-20"), PersonID: "p1"}, []string{"expires"}},
		{"an order ending before its start", lantern.Disruption{Kind: "sexual-harm-prevention-order", Date: d("2026-11-20"), Expires: dp("2025-11-20"), PersonID: "p1"}, []string{"expires"}},
		{"an order ending in the future", lantern.Disruption{Kind: "sexual-harm-prevention-order", Date: d("2026-11-20"), Expires: dp("2031-11-20"), PersonID: "p1"}, nil},
		{"an arrest with an end", lantern.Disruption{Kind: "arrest", Date: d("2026-11-20"), Expires: dp("2027-11-20"), PersonID: "p1"}, []string{"expires"}},
		{"another civil order without its name", lantern.Disruption{Kind: "other-civil-order", Date: d("2026-11-20"), PersonID: "p1"}, []string{"name"}},
		{"another civil order", lantern.Disruption{Kind: "other-civil-order", Name: "Stalking protection order", Date: d("2026-11-20"), PersonID: "p1"}, nil},
		{"another disruption without its name", lantern.Disruption{Kind: "other-disruption", Name: "  ", Date: d("2026-11-20"), PersonID: "p1"}, []string{"name"}},
		{"a court outcome without one", lantern.Disruption{Kind: "court-outcome", Date: d("2026-11-20"), PersonID: "p1"}, []string{"outcome"}},
		{"a court outcome", lantern.Disruption{Kind: "court-outcome", Outcome: "convicted", Date: d("2026-11-20"), PersonID: "p1"}, nil},
		{"an unknown outcome", lantern.Disruption{Kind: "court-outcome", Outcome: "guilty-ish", Date: d("2026-11-20"), PersonID: "p1"}, []string{"outcome"}},
		{"an outcome on a charge", lantern.Disruption{Kind: "charge", Outcome: "convicted", Date: d("2026-11-20"), PersonID: "p1"}, []string{"outcome"}},
		{"a closure order on no place", lantern.Disruption{Kind: "closure-order", Date: d("2026-11-20"), PersonID: "p1"}, []string{"place_id"}},
		{"a closure order", lantern.Disruption{Kind: "closure-order", Date: d("2026-11-20"), Expires: dp("2027-02-20"), PlaceID: "pl1"}, nil},
		{"a child twice", lantern.Disruption{Kind: "arrest", Date: d("2026-11-20"), PersonID: "p1",
			Children: []lantern.DisruptionChild{{ChildID: "c1", Role: "victim"}, {ChildID: "c1", Role: "witness"}}}, []string{"children[1].child_id"}},
		{"a child with no role", lantern.Disruption{Kind: "arrest", Date: d("2026-11-20"), PersonID: "p1",
			Children: []lantern.DisruptionChild{{ChildID: "c1"}}}, []string{"children[0].role"}},
		{"a child with no id", lantern.Disruption{Kind: "arrest", Date: d("2026-11-20"), PersonID: "p1",
			Children: []lantern.DisruptionChild{{Role: "victim"}}}, []string{"children[0].child_id"}},
		{"a reference of two lines", lantern.Disruption{Kind: "arrest", Date: d("2026-11-20"), PersonID: "p1", Reference: "A\nB"}, []string{"reference"}},
		{"notes too long", lantern.Disruption{Kind: "arrest", Date: d("2026-11-20"), PersonID: "p1", Notes: strings.Repeat("n", 4001)}, []string{"notes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Children = slices.Clone(in.Children)
			got := fields(lantern.CheckDisruption(&in, today))
			if !slices.Equal(got, tc.want) {
				t.Errorf("fields %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckDisruptionNormalises(t *testing.T) {
	in := lantern.Disruption{Kind: "cawn", Name: "ignored", Date: d("2026-11-20"), PersonID: " p1 ", Reference: " REF/1 ",
		Children: []lantern.DisruptionChild{{ChildID: " c1 "}}}
	if err := lantern.CheckDisruption(&in, d("2026-11-22")); err != nil {
		t.Fatal(err)
	}
	if in.Name != "" || in.PersonID != "p1" || in.Reference != "REF/1" || in.Children[0].ChildID != "c1" || in.Children[0].Role != "protected" {
		t.Errorf("not normalised: %+v", in)
	}
}

func TestCAWNEligible(t *testing.T) {
	on := d("2026-11-20")
	for _, tc := range []struct {
		name        string
		dob         string
		lookedAfter bool
		want        bool
	}{
		{"aged 12", "2014-05-01", false, true},
		{"15, the day before 16", "2010-11-21", false, true},
		{"16 on the day", "2010-11-20", false, false},
		{"16 and looked after", "2010-11-20", true, true},
		{"17 and looked after", "2009-11-21", true, true},
		{"18 on the day, looked after", "2008-11-20", true, false},
		{"17, not looked after", "2009-06-01", false, false},
		{"not yet born", "2027-01-01", false, false},
		{"no date of birth", "", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := lantern.CAWNChild{LookedAfter: tc.lookedAfter}
			if tc.dob != "" {
				c.DateOfBirth = d(tc.dob)
			}
			if got := lantern.CAWNEligible(c, on); got != tc.want {
				t.Errorf("CAWNEligible = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckCAWNChildren(t *testing.T) {
	records := map[string]lantern.CAWNChild{
		"young":       {DateOfBirth: d("2014-01-01")},
		"sixteen":     {DateOfBirth: d("2010-01-01")},
		"sixteen-lac": {DateOfBirth: d("2010-01-01"), LookedAfter: true},
		"no-dob":      {},
	}
	cawn := func(ids ...string) *lantern.Disruption {
		x := &lantern.Disruption{Kind: "cawn", Date: d("2026-11-20")}
		for _, id := range ids {
			x.Children = append(x.Children, lantern.DisruptionChild{ChildID: id, Role: "protected"})
		}
		return x
	}
	for _, tc := range []struct {
		name string
		in   *lantern.Disruption
		want []string
	}{
		{"under 16", cawn("young"), nil},
		{"16 and looked after", cawn("young", "sixteen-lac"), nil},
		{"16 and not looked after", cawn("young", "sixteen"), []string{"children[1].child_id"}},
		{"no date of birth", cawn("no-dob"), []string{"children[0].child_id"}},
		{"another kind names anyone", &lantern.Disruption{Kind: "arrest", Date: d("2026-11-20"),
			Children: []lantern.DisruptionChild{{ChildID: "sixteen", Role: "victim"}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fields(lantern.CheckCAWNChildren(tc.in, records)); !slices.Equal(got, tc.want) {
				t.Errorf("fields %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseDisruptionFilter(t *testing.T) {
	f, err := lantern.ParseDisruptionFilter(url.Values{"kind": {"cawn"}, "outcome": {"convicted"}, "from": {"2026-01-01"}, "to": {"2026-12-31"}})
	if err != nil || f.Kind != "cawn" || f.Outcome != "convicted" || *f.From != d("2026-01-01") || *f.To != d("2026-12-31") {
		t.Fatalf("%+v %v", f, err)
	}
	for _, tc := range []struct {
		q    url.Values
		want []string
	}{
		{url.Values{"kind": {"caution"}}, []string{"kind"}},
		{url.Values{"outcome": {"maybe"}}, []string{"outcome"}},
		{url.Values{"from": {"1 May"}}, []string{"from"}},
		{url.Values{"from": {"2026-05-02"}, "to": {"2026-05-01"}}, []string{"to"}},
	} {
		_, err := lantern.ParseDisruptionFilter(tc.q)
		if got := fields(err); !slices.Equal(got, tc.want) {
			t.Errorf("%v: fields %v, want %v", tc.q, got, tc.want)
		}
	}
}

func FuzzParseDisruptionFilter(f *testing.F) {
	f.Add("cawn", "convicted", "2026-01-01", "2026-12-31")
	f.Add("", "", "2026-02-30", "x")
	f.Fuzz(func(t *testing.T, kind, outcome, from, to string) {
		fl, err := lantern.ParseDisruptionFilter(url.Values{"kind": {kind}, "outcome": {outcome}, "from": {from}, "to": {to}})
		if err != nil {
			if len(lantern.ErrorFields(err)) == 0 {
				t.Fatalf("an error naming no field: %v", err)
			}
			return
		}
		if fl.Kind != "" && !fl.Kind.Valid() {
			t.Fatalf("an invalid kind passed: %q", fl.Kind)
		}
		if fl.From != nil && fl.To != nil && fl.To.Before(*fl.From) {
			t.Fatal("an end before the start passed")
		}
	})
}

func TestCheckPoliceFormRequest(t *testing.T) {
	ok := lantern.PoliceFormRequest{AgencyID: "force", Purpose: " To prevent harm ", Items: []string{"link:l1", "vehicle:v1", "link:l1"}}
	if err := lantern.CheckPoliceFormRequest(&ok); err != nil {
		t.Fatal(err)
	}
	if ok.Purpose != "To prevent harm" || !slices.Equal(ok.Items, []string{"link:l1", "vehicle:v1"}) {
		t.Errorf("not normalised: %+v", ok)
	}
	many := make([]string, lantern.MaxPoliceFormItems+1)
	for i := range many {
		many[i] = "link:l" + string(rune('a'+i%26))
	}
	for _, tc := range []struct {
		name string
		in   lantern.PoliceFormRequest
		want []string
	}{
		{"no force", lantern.PoliceFormRequest{Purpose: "p", Items: []string{"link:l1"}}, []string{"agency_id"}},
		{"no purpose", lantern.PoliceFormRequest{AgencyID: "f", Items: []string{"link:l1"}}, []string{"purpose"}},
		{"nothing chosen", lantern.PoliceFormRequest{AgencyID: "f", Purpose: "p"}, []string{"items"}},
		{"too much chosen", lantern.PoliceFormRequest{AgencyID: "f", Purpose: "p", Items: many}, []string{"items"}},
		{"a child is not an item", lantern.PoliceFormRequest{AgencyID: "f", Purpose: "p", Items: []string{"link:l1", "child:c1"}}, []string{"items[1]"}},
		{"no id", lantern.PoliceFormRequest{AgencyID: "f", Purpose: "p", Items: []string{"phone:"}}, []string{"items[0]"}},
		{"a space in an id", lantern.PoliceFormRequest{AgencyID: "f", Purpose: "p", Items: []string{"phone:a b"}}, []string{"items[0]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			if got := fields(lantern.CheckPoliceFormRequest(&in)); !slices.Equal(got, tc.want) {
				t.Errorf("fields %v, want %v", got, tc.want)
			}
		})
	}
}

func FuzzParsePoliceFormItem(f *testing.F) {
	for _, s := range []string{"link:abc", "vehicle:", ":x", "child:c1", "person:a:b", " place:p1 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, id, ok := lantern.ParsePoliceFormItem(s)
		if !ok {
			return
		}
		if !slices.Contains(lantern.PoliceFormItemTypes, typ) || id == "" || len(id) > 64 || strings.ContainsAny(id, " \t\n") {
			t.Fatalf("%q read as %q %q", s, typ, id)
		}
		if t2, id2, ok2 := lantern.ParsePoliceFormItem(string(typ) + ":" + id); !ok2 || t2 != typ || id2 != id {
			t.Fatalf("%q does not read back", s)
		}
	})
}

func TestShareablePoliceLinkLeavesOutTheSource(t *testing.T) {
	l := &lantern.Link{ID: "l1", From: lantern.EntityRef{Type: "child", ID: "c1"}, To: lantern.EntityRef{Type: "vehicle", ID: "v1"}, Kind: "collected-from",
		Source: "Her aunt, by phone", SourceRecord: &lantern.EntityRef{Type: "concern", ID: "k1"}, HowKnown: "Saw it twice", RecordedBy: "u1",
		Grading: &lantern.Grading{Source: "2", Intelligence: "B", Handling: "C", Conditions: "Not to be shared with the family"}, RecordedAt: time.Now()}
	for _, show := range []bool{true, false} {
		out := ShareableJSON(t, lantern.ShareablePoliceLink(l, "A B", "AB12CDE", show))
		for _, secret := range []string{"Her aunt", "k1", "u1", "Not to be shared"} {
			if strings.Contains(out, secret) {
				t.Errorf("the form carries %q: %s", secret, out)
			}
		}
		if strings.Contains(out, "Saw it twice") != show {
			t.Errorf("how known shown %v, want %v", !show, show)
		}
		if !strings.Contains(out, `"handling":"C"`) {
			t.Errorf("the handling code is left out: %s", out)
		}
	}
	if l.Grading.Conditions == "" {
		t.Error("the link itself was changed")
	}
}

func ShareableJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
