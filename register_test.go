package lantern

import (
	"slices"
	"testing"
)

func TestReplacesCycle(t *testing.T) {
	// c replaces b, b replaces a; e replaces c and d.
	links := map[string][]string{"b": {"a"}, "c": {"b"}, "e": {"c", "d"}}
	for _, tc := range []struct {
		name     string
		id       string
		replaces []string
		want     []string
	}{
		{"nothing replaced", "a", nil, nil},
		{"a new document replacing the latest", "f", []string{"e"}, nil},
		{"the first replacing the latest", "a", []string{"e"}, []string{"a", "e", "c", "b", "a"}},
		{"the first replacing the next", "a", []string{"b"}, []string{"a", "b", "a"}},
		{"itself", "a", []string{"a"}, []string{"a", "a"}},
		{"a sibling branch: no cycle", "d", []string{"a"}, nil},
		{"its own links are being rewritten", "c", []string{"a"}, nil},
		{"a document not in the register", "x", []string{"y"}, nil},
		{"one of two is a cycle", "b", []string{"d", "e"}, []string{"b", "e", "c", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReplacesCycle(tc.id, tc.replaces, links); !slices.Equal(got, tc.want) {
				t.Errorf("ReplacesCycle(%s, %v) = %v, want %v", tc.id, tc.replaces, got, tc.want)
			}
		})
	}
}

func TestReplacesChain(t *testing.T) {
	links := map[string][]string{"b": {"a"}, "c": {"b"}, "e": {"c", "d"}, "loop1": {"loop2"}, "loop2": {"loop1"}}
	for _, tc := range []struct {
		id             string
		earlier, later []string
	}{
		{"a", nil, []string{"b", "c", "e"}},
		{"c", []string{"b", "a"}, []string{"e"}},
		{"e", []string{"c", "d", "b", "a"}, nil},
		{"d", nil, []string{"e"}},
		{"z", nil, nil},
		{"loop1", []string{"loop2"}, []string{"loop2"}},
	} {
		earlier, later := ReplacesChain(tc.id, links)
		if !slices.Equal(earlier, tc.earlier) || !slices.Equal(later, tc.later) {
			t.Errorf("ReplacesChain(%s) = %v, %v; want %v, %v", tc.id, earlier, later, tc.earlier, tc.later)
		}
	}
}

func TestCheckPolicyDocument(t *testing.T) {
	issued := Date{Year: 2011, Month: 11, Day: 1}
	ok := PolicyDocumentInput{Title: "Safeguarding children from sexual exploitation", Scope: ScopeMultiAgency, IssuedOn: issued,
		Owner: "The partnership's CSE group", Status: DocCurrent}
	for _, tc := range []struct {
		name   string
		id     string
		change func(d *PolicyDocumentInput)
		fields []string
	}{
		{"complete", "", func(d *PolicyDocumentInput) {}, nil},
		{"replaces itself", "d1", func(d *PolicyDocumentInput) { d.Replaces = []string{"d0", "d1"} }, []string{"replaces"}},
		{"replaces others, twice over", "d1", func(d *PolicyDocumentInput) { d.Replaces = []string{"d0", " d0", ""} }, nil},
		{"superseded is not recorded", "", func(d *PolicyDocumentInput) { d.Status = DocSuperseded }, []string{"status"}},
		{"no scope, title or owner", "", func(d *PolicyDocumentInput) { d.Scope, d.Title, d.Owner = "", "", "" }, []string{"title", "scope", "owner"}},
		{"review before issue", "", func(d *PolicyDocumentInput) { r := issued.AddDays(-1); d.ReviewDue = &r }, []string{"review_due"}},
		{"no date", "", func(d *PolicyDocumentInput) { d.IssuedOn = Date{} }, []string{"issued_on"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := ok
			tc.change(&d)
			var got []string
			for _, f := range ErrorFields(CheckPolicyDocument(&d, tc.id)) {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
		})
	}
	d := ok
	d.Replaces = []string{"d0", " d0", ""}
	if CheckPolicyDocument(&d, "d1"); !slices.Equal(d.Replaces, []string{"d0"}) {
		t.Errorf("replaces cleaned to %q", d.Replaces)
	}
}

func TestShownStatus(t *testing.T) {
	for _, tc := range []struct {
		own  DocStatus
		by   []DocStatus
		want DocStatus
	}{
		{DocCurrent, nil, DocCurrent},
		{DocCurrent, []DocStatus{DocDraft}, DocCurrent},
		{DocCurrent, []DocStatus{DocDraft, DocCurrent}, DocSuperseded},
		{DocWithdrawn, []DocStatus{DocCurrent}, DocSuperseded},
		{DocDraft, []DocStatus{DocCurrent}, DocDraft},
		{DocCurrent, []DocStatus{DocWithdrawn}, DocSuperseded},
	} {
		if got := ShownStatus(tc.own, tc.by); got != tc.want {
			t.Errorf("ShownStatus(%s, %v) = %s, want %s", tc.own, tc.by, got, tc.want)
		}
	}
}
