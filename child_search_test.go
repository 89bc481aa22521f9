package lantern_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"lantern"
)

func TestParseChildSearch(t *testing.T) {
	for _, tc := range []struct {
		q, text, dob string
		bad          bool
	}{
		{q: "Amira Demoton", text: "Amira Demoton"},
		{q: "  Demoton   Amira ", text: "Demoton Amira"},
		{q: "2016-12-02", dob: "2016-12-02"},
		{q: "2/12/2016", dob: "2016-12-02"},
		{q: "02/12/2016", dob: "2016-12-02"},
		{q: "Amira 2016-12-02", text: "Amira", dob: "2016-12-02"},
		{q: "2016-12", text: "2016-12"}, // not a date: searched as a name (and finds none)
		{q: "12-02-2016", text: "12-02-2016"},
		{q: "2016-02-30", bad: true},
		{q: "2016-13-01", bad: true},
		{q: "31/02/2016", bad: true},
		{q: "1/1/16", bad: true},
		{q: "2016-01-01 2016-01-02", bad: true},
		{q: strings.Repeat("a", 199), text: strings.Repeat("a", 199)},
		{q: strings.Repeat("a", 200), bad: true},
		{q: strings.Repeat("ł", 200), bad: true},
		{q: "\xff", bad: true},
	} {
		got, err := lantern.ParseChildSearch(tc.q)
		if tc.bad {
			if fs := lantern.ErrorFields(err); len(fs) != 1 || fs[0].Field != "q" {
				t.Errorf("%q: %v, want 422 naming q", tc.q, err)
			}
			continue
		}
		dob := ""
		if got.DOB != nil {
			dob = got.DOB.String()
		}
		if err != nil || got.Text != tc.text || dob != tc.dob {
			t.Errorf("%q: %+v (dob %q) %v, want %q %q", tc.q, got, dob, err, tc.text, tc.dob)
		}
	}
}

func TestParseChildQuery(t *testing.T) {
	f, err := lantern.ParseChildQuery(url.Values{"q": {"Amira"}, "level": {"high", "medium,emerging", "high"},
		"looked_after": {"true"}, "missing_now": {"false"}, "worker": {"u1"}, "sort": {"-level"}})
	if err != nil || f.Name != "Amira" || !slices.Equal(f.Levels, []string{"high", "medium", "emerging"}) || !*f.LookedAfter || *f.MissingNow ||
		f.WorkerID != "u1" || f.Sort != lantern.SortLevelDesc {
		t.Errorf("%+v %v", f, err)
	}
	if f, err := lantern.ParseChildQuery(url.Values{}); err != nil || f.LookedAfter != nil || f.MissingNow != nil || f.Sort != "" {
		t.Errorf("empty: %+v %v", f, err)
	}
	for _, tc := range []struct {
		v     url.Values
		field string
	}{
		{url.Values{"level": {"severe"}}, "level"},
		{url.Values{"level": {"High"}}, "level"},
		{url.Values{"looked_after": {"yes"}}, "looked_after"},
		{url.Values{"missing_now": {"1"}}, "missing_now"},
		{url.Values{"worker": {"a b"}}, "worker"},
		{url.Values{"sort": {"colour"}}, "sort"},
		{url.Values{"sort": {"--name"}}, "sort"},
		{url.Values{"q": {strings.Repeat("x", 200)}}, "q"},
	} {
		_, err := lantern.ParseChildQuery(tc.v)
		if fs := lantern.ErrorFields(err); len(fs) != 1 || fs[0].Field != tc.field {
			t.Errorf("%v: %v, want 422 naming %s", tc.v, err, tc.field)
		}
	}
	for _, s := range lantern.ChildSorts {
		if !s.Valid() || (s.Desc() != strings.HasPrefix(string(s), "-")) || s.Key() == "" {
			t.Errorf("sort %q", s)
		}
	}
}

// FuzzParseChildQuery: any query string is read or refused as a 422 naming
// a parameter the list takes; what is read is within bounds. Run with
// go test -fuzz=FuzzParseChildQuery . (scripts/fuzz runs every target).
func FuzzParseChildQuery(f *testing.F) {
	for _, s := range []string{
		"", "q=Amira+Demoton", "q=Demoton%20Amira", "q=obrien", "q=2016-12-02", "q=2%2F12%2F2016", "q=Amira+2016-12-02",
		"level=high&level=none", "level=high,medium", "level=", "level=severe", "looked_after=true&missing_now=false",
		"worker=abc", "worker=%00", "sort=-level", "sort=late", "sort=", "sort=-", "q=%FF", "q=" + strings.Repeat("a", 200),
		"q=2016-02-30", "q=9999-99-99", "q=0000-01-01", "q=1/1/0001", "q=-1--1", "q=////",
	} {
		f.Add(s)
	}
	known := []string{"q", "level", "looked_after", "missing_now", "worker", "sort"}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		got, err := lantern.ParseChildQuery(v)
		if err != nil {
			fs := lantern.ErrorFields(err)
			if len(fs) == 0 {
				t.Fatalf("%q: %v, want field errors", raw, err)
			}
			for _, fe := range fs {
				if !slices.Contains(known, fe.Field) || fe.Message == "" {
					t.Fatalf("%q: field error %+v", raw, fe)
				}
			}
			return
		}
		if utf8.RuneCountInString(got.Name) > lantern.MaxChildSearch {
			t.Fatalf("%q: search of %d characters accepted", raw, utf8.RuneCountInString(got.Name))
		}
		for _, l := range got.Levels {
			if lantern.ChildLevelRank(l) < 0 {
				t.Fatalf("%q: level %q accepted", raw, l)
			}
		}
		if got.Sort != "" && !got.Sort.Valid() {
			t.Fatalf("%q: sort %q accepted", raw, got.Sort)
		}
		if s, err := lantern.ParseChildSearch(got.Name); err != nil || (s.DOB != nil && s.DOB.IsZero()) {
			t.Fatalf("%q: search %+v %v", raw, s, err)
		}
	})
}
