package store_test

import (
	"fmt"
	"strings"
	"testing"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// The register: documents saved with what they replace; a replaced one
// shows as superseded, and the chain is followed both ways; a document
// replacing itself, or one that replaces it, and a stale version, are
// refused with nothing changed; filters and sorts.
func TestPolicyRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		mgr := storetest.As(caseUser(t, s, "mgr@csc.example.org", "Morgan Manager", f.CSC, lantern.RoleManager))
		analyst := storetest.As(caseUser(t, s, "analyst@csc.example.org", "Alex Analyst", f.CSC, lantern.RoleAnalyst))
		today := lantern.Today(clock.Now())
		day := func(y, m, dd int) lantern.Date { return date(t, fmt.Sprintf("%04d-%02d-%02d", y, m, dd)) }
		save := func(id string, in lantern.PolicyDocumentInput) *lantern.PolicyDocument {
			t.Helper()
			d, err := s.SavePolicyDocument(mgr, id, in)
			if err != nil {
				t.Fatalf("save %s: %v", in.Title, err)
			}
			return d
		}
		if _, err := s.SavePolicyDocument(analyst, "", lantern.PolicyDocumentInput{Title: "X", Scope: lantern.ScopeInternal, IssuedOn: today,
			Owner: "Me", Status: lantern.DocCurrent}); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("an analyst saves a document: %v", err)
		}
		old := save("", lantern.PolicyDocumentInput{Title: "Tip of the iceberg", Scope: lantern.ScopeMultiAgency, IssuedOn: day(2001, 6, 1),
			Owner: "Safeguarding board", Status: lantern.DocCurrent})
		review := today.AddDays(-1)
		mid := save("", lantern.PolicyDocumentInput{Title: "Practice guidance", Scope: lantern.ScopeMultiAgency, IssuedOn: day(2011, 11, 1),
			DocumentVersion: "1.0", Owner: "Safeguarding board", Status: lantern.DocCurrent, ReviewDue: &review, Replaces: []string{old.ID}})
		draft := save("", lantern.PolicyDocumentInput{Title: "Practice guidance (revision)", Scope: lantern.ScopeMultiAgency, IssuedOn: today,
			DocumentVersion: "2.0 draft", Owner: "CSE group", Status: lantern.DocDraft, Replaces: []string{mid.ID}})
		if mid.Shown != lantern.DocCurrent || len(mid.Earlier) != 1 || mid.Earlier[0].ID != old.ID {
			t.Errorf("the guidance: %+v", mid)
		}
		d, err := s.PolicyDocument(analyst, old.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Shown != lantern.DocSuperseded || len(d.Later) != 2 || d.Later[0].ID != mid.ID || d.Later[1].ID != draft.ID {
			t.Errorf("the first document: shown %s, later %+v", d.Shown, d.Later)
		}

		// Bad input: nothing changes.
		links := rowCount(t, s, "policy_document_replaces")
		in := old.PolicyDocumentInput
		in.Replaces = []string{draft.ID}
		_, err = s.SavePolicyDocument(mgr, old.ID, in)
		wantFields(t, "a cycle through three", err, "replaces")
		if err == nil || !strings.Contains(lantern.ErrorFields(err)[0].Message, "Tip of the iceberg") {
			t.Errorf("the cycle's message: %v", err)
		}
		in.Replaces = []string{old.ID}
		_, err = s.SavePolicyDocument(mgr, old.ID, in)
		wantFields(t, "replacing itself", err, "replaces")
		in.Replaces = []string{"no-such"}
		_, err = s.SavePolicyDocument(mgr, old.ID, in)
		wantFields(t, "replacing what is not there", err, "replaces")
		in.Replaces, in.Version = nil, 9
		if _, err = s.SavePolicyDocument(mgr, old.ID, in); lantern.ErrorCode(err) != lantern.ECONFLICT {
			t.Errorf("a stale version: %v", err)
		}
		if n := rowCount(t, s, "policy_document_replaces"); n != links {
			t.Errorf("links after refusals: %d, want %d", n, links)
		}
		if d, _ := s.PolicyDocument(analyst, old.ID); d.Version != 1 {
			t.Errorf("the refused changes changed the document: version %d", d.Version)
		}

		// Filters: the guidance is past its review; the draft, when
		// current, supersedes it.
		list := func(f store.RegisterFilter) string {
			t.Helper()
			ds, err := s.PolicyDocuments(analyst, f)
			if err != nil {
				t.Fatal(err)
			}
			var ts []string
			for _, d := range ds {
				ts = append(ts, d.Title)
			}
			return strings.Join(ts, "; ")
		}
		if got := list(store.RegisterFilter{Overdue: true}); got != "Practice guidance" {
			t.Errorf("overdue: %q", got)
		}
		if got := list(store.RegisterFilter{Status: lantern.DocSuperseded}); got != "Tip of the iceberg" {
			t.Errorf("superseded: %q", got)
		}
		if got := list(store.RegisterFilter{Sort: "issued_on"}); got != "Practice guidance (revision); Practice guidance; Tip of the iceberg" {
			t.Errorf("by date: %q", got)
		}
		if _, err := s.PolicyDocuments(analyst, store.RegisterFilter{Sort: "colour"}); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Errorf("an unknown sort: %v", err)
		}
		in = draft.PolicyDocumentInput
		in.Status = lantern.DocCurrent
		save(draft.ID, in)
		if got := list(store.RegisterFilter{Status: lantern.DocSuperseded}); got != "Practice guidance; Tip of the iceberg" {
			t.Errorf("superseded once the revision is current: %q", got)
		}
		if got := list(store.RegisterFilter{Overdue: true}); got != "" {
			t.Errorf("overdue once superseded: %q", got)
		}
	})
}
