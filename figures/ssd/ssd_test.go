package ssd

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"lantern"
)

func TestTables(t *testing.T) {
	// The names as the pinned deployment script declares them, in its order.
	want := map[string]string{
		"ssd_person": "pers_legacy_id pers_person_id pers_upn pers_forename pers_surname pers_sex pers_gender pers_ethnicity pers_dob " +
			"pers_single_unique_id pers_upn_unknown pers_send_flag pers_expected_dob pers_death_date pers_is_mother pers_nationality",
		"ssd_missing": "miss_table_id miss_person_id miss_missing_episode_start_date miss_missing_episode_type miss_missing_episode_end_date " +
			"miss_missing_rhi_offered miss_missing_rhi_accepted",
		"ssd_disability":         "disa_table_id disa_person_id disa_disability_code",
		"ssd_linked_identifiers": "link_table_id link_person_id link_identifier_type link_identifier_value link_valid_from_date link_valid_to_date",
		"ssd_assessment_factors": "cinf_table_id cinf_assessment_id cinf_assessment_factors_json",
	}
	if len(Tables) != len(want) {
		t.Fatalf("%d tables, want %d", len(Tables), len(want))
	}
	for name, cols := range want {
		tb, err := TableByName(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := joinCols(tb.Columns); got != cols {
			t.Errorf("%s:\n got %s\nwant %s", name, got, cols)
		}
	}
	for _, bad := range []string{"", "ssd_cin_episodes", "SSD_PERSON", "ssd_person.csv"} {
		_, err := TableByName(bad)
		if f := lantern.ErrorFields(err); lantern.ErrorCode(err) != lantern.EINVALID || len(f) != 1 || f[0].Field != "table" {
			t.Errorf("TableByName(%q) = %v, want invalid naming table", bad, err)
		}
	}
}

func joinCols(cs []string) string {
	out := ""
	for i, c := range cs {
		if i > 0 {
			out += " "
		}
		out += c
	}
	return out
}

func TestPersonRow(t *testing.T) {
	for _, tc := range []struct {
		p    Person
		want []string
	}{
		{Person{ID: "c1", GivenName: "Ada", FamilyName: "Example", DateOfBirth: lantern.Date{Year: 2011, Month: 3, Day: 4}, Gender: "female", Ethnicity: "white-british"},
			[]string{"", "c1", "", "Ada", "Example", "F", "02", "WBRI", "2011-03-04", "", "", "", "", "", "", ""}},
		{Person{ID: "c2", GivenName: "Bo", FamilyName: "Sample", Gender: "male", Ethnicity: "asian-chinese"},
			[]string{"", "c2", "", "Bo", "Sample", "M", "01", "CHNE", "", "", "", "", "", "", "", ""}},
		{Person{ID: "c3", Gender: "non-binary", Ethnicity: "white-gypsy-irish-traveller"},
			[]string{"", "c3", "", "", "", "U", "09", "", "", "", "", "", "", "", "", ""}},
		{Person{ID: "c4", Gender: "not-known", Ethnicity: ""},
			[]string{"", "c4", "", "", "", "U", "00", "NOBT", "", "", "", "", "", "", "", ""}},
		{Person{ID: "c5", Gender: "other", Ethnicity: "other-arab"},
			[]string{"", "c5", "", "", "", "U", "09", "OOTH", "", "", "", "", "", "", "", ""}},
	} {
		got := tc.p.Row()
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.p.ID, got, tc.want)
		}
		if len(got) != len(Tables[0].Columns) {
			t.Errorf("%s: %d cells, want %d", tc.p.ID, len(got), len(Tables[0].Columns))
		}
	}
	// Every census category Lantern offers has a code, or is the one left
	// empty on purpose.
	for _, e := range lantern.Ethnicities {
		if EthnicityCode(e.ID) == "" && e.ID != "white-gypsy-irish-traveller" {
			t.Errorf("ethnicity %s has no DfE code", e.ID)
		}
	}
}

func TestMissingRow(t *testing.T) {
	from := time.Date(2026, 7, 1, 21, 30, 0, 0, time.UTC) // 22:30 in London (summer time)
	back := time.Date(2026, 7, 2, 9, 0, 5, 0, time.UTC)
	for _, tc := range []struct {
		name string
		m    Missing
		want []string
	}{
		{"no interview recorded", Missing{ID: "e1", ChildID: "c1", Kind: "missing", From: from},
			[]string{"e1", "c1", "2026-07-01 22:30:00", "Missing", "", "", ""}},
		{"held", Missing{ID: "e2", ChildID: "c1", Kind: "absent", From: from, Returned: &back, Interview: true, Offered: true, Held: true},
			[]string{"e2", "c1", "2026-07-01 22:30:00", "Away", "2026-07-02 10:00:05", "Y", "Y"}},
		{"held, no offer date", Missing{ID: "e3", ChildID: "c1", Kind: "missing", From: from, Interview: true, Held: true},
			[]string{"e3", "c1", "2026-07-01 22:30:00", "Missing", "", "Y", "Y"}},
		{"declined", Missing{ID: "e4", ChildID: "c1", Kind: "missing", From: from, Interview: true, Offered: true, Declined: true},
			[]string{"e4", "c1", "2026-07-01 22:30:00", "Missing", "", "Y", "N"}},
		{"not reachable", Missing{ID: "e5", ChildID: "c1", Kind: "missing", From: from, Interview: true, Offered: true},
			[]string{"e5", "c1", "2026-07-01 22:30:00", "Missing", "", "Y", ""}},
	} {
		if got := tc.m.Row(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestDisabilityAndLinks(t *testing.T) {
	if got := DisabilityRows("c1", false, false); len(got) != 0 {
		t.Errorf("nothing recorded: %q, want no rows", got)
	}
	if got, want := DisabilityRows("c1", true, true), [][]string{{"c1-LD", "c1", "LD"}, {"c1-DDA", "c1", "DDA"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("both: %q, want %q", got, want)
	}
	l := Link{ID: "former:d1", ChildID: "c1", Type: FormerRecord, Value: "d1", From: lantern.Date{Year: 2025, Month: 1, Day: 2}, To: lantern.Date{Year: 2026, Month: 2, Day: 3}}
	if got, want := l.Row(), []string{"former:d1", "c1", "Former Person ID", "d1", "2025-01-02", "2026-02-03"}; !reflect.DeepEqual(got, want) {
		t.Errorf("link: %q, want %q", got, want)
	}
}

func TestFactors(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    Assessment
		want string // "" for no row
	}{
		{"no level, nothing ticked", Assessment{ID: "a", Level: "none"}, ""},
		{"vulnerable only", Assessment{ID: "a", Level: "vulnerable", Indicators: []string{"vuln.homeless"}}, ""},
		{"emerging", Assessment{ID: "a", Level: "emerging"}, `["11A"]`},
		{"high, missing and gangs", Assessment{ID: "a", Level: "high", Indicators: []string{"sign.gangs", "sign.missing"}}, `["10A", "11A", "13A"]`},
		{"missing on the record only", Assessment{ID: "a", Level: "none", Missing90d: 2}, `["10A"]`},
		{"gangs at vulnerable", Assessment{ID: "a", Level: "vulnerable", Indicators: []string{"sign.gangs"}}, `["13A"]`},
		{"missing twice over", Assessment{ID: "a", Level: "medium", Indicators: []string{"sign.missing"}, Missing90d: 3}, `["10A", "11A"]`},
		// Involvement in crime is not criminal exploitation, nor moving
		// from town to town trafficking: neither is a factor.
		{"crime and transported", Assessment{ID: "a", Level: "none", Indicators: []string{"sign.crime", "sign.transported"}}, ""},
	} {
		row, ok := tc.a.Row()
		switch {
		case tc.want == "" && ok:
			t.Errorf("%s: row %q, want none", tc.name, row)
		case tc.want != "" && (!ok || !reflect.DeepEqual(row, []string{"a", "a", tc.want})):
			t.Errorf("%s: row %q (%v), want %s", tc.name, row, ok, tc.want)
		}
	}
}

func TestFactorOrder(t *testing.T) {
	got := []string{"24A", "9A", "11A", "10A", "13A", "12A", "1C", "1A"}
	want := []string{"1A", "1C", "9A", "10A", "11A", "12A", "13A", "24A"}
	slices.SortFunc(got, compareFactor)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
	if got := FactorsJSON(nil); got != "[]" {
		t.Errorf("empty: %s", got)
	}
}

// FuzzTableByName: any name is a table of that name or invalid naming the
// field, never a panic.
func FuzzTableByName(f *testing.F) {
	for _, s := range []string{"ssd_person", "", "ssd_missing.csv", "ssd_\x00", "SSD_PERSON"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		tb, err := TableByName(name)
		switch {
		case err == nil && tb.Name != name:
			t.Fatalf("%q gave %q", name, tb.Name)
		case err != nil && (lantern.ErrorCode(err) != lantern.EINVALID || lantern.ErrorFields(err)[0].Field != "table"):
			t.Fatalf("%q: %v", name, err)
		}
	})
}
