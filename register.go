package lantern

import (
	"slices"
	"strings"
	"time"
)

// The register of the partnership's policies and procedures
// (docs/strategy.md): each document's title, reach, source, date, version,
// overview, owner, review date and status, and which earlier documents it
// replaces, so that a replaced one shows as superseded and the chain from
// the first to the latest can be followed either way.

// DocScope says whose a document is.
type DocScope string

const (
	ScopeInternal     DocScope = "internal"     // one agency's own
	ScopeMultiAgency  DocScope = "multi-agency" // agreed between the agencies
	maxReplaces                = 20
	maxRegisterFields          = 5000
)

// DocScopes are the scopes.
var DocScopes = []DocScope{ScopeInternal, ScopeMultiAgency}

// Label is the scope in words.
func (s DocScope) Label() string {
	if s == ScopeMultiAgency {
		return "Multi-agency"
	}
	return "Internal"
}

// DocStatus is a document's status as recorded. Superseded is never
// recorded: a document is superseded when a document in force (current, or
// since withdrawn) replaces it.
type DocStatus string

const (
	DocDraft      DocStatus = "draft"
	DocCurrent    DocStatus = "current"
	DocWithdrawn  DocStatus = "withdrawn"
	DocSuperseded DocStatus = "superseded" // shown, not recorded
)

// DocStatuses are the statuses a document may be recorded with.
var DocStatuses = []DocStatus{DocDraft, DocCurrent, DocWithdrawn}

// Label is the status in words.
func (s DocStatus) Label() string {
	switch s {
	case DocDraft:
		return "Draft"
	case DocCurrent:
		return "Current"
	case DocWithdrawn:
		return "Withdrawn"
	case DocSuperseded:
		return "Superseded"
	}
	return string(s)
}

// TagClass is the status's GOV.UK tag.
func (s DocStatus) TagClass() string {
	switch s {
	case DocCurrent:
		return "govuk-tag--green"
	case DocDraft:
		return "govuk-tag--blue"
	}
	return "govuk-tag--grey"
}

// PolicyDocumentInput is a document as written. Version is the record's
// version as read (0 for a new document): a stale one is refused.
// DocumentVersion is the document's own version, as it is printed ("2.1").
type PolicyDocumentInput struct {
	Title           string    `json:"title"`
	Scope           DocScope  `json:"scope"`
	Source          string    `json:"source"`
	IssuedOn        Date      `json:"issued_on"`
	DocumentVersion string    `json:"document_version"`
	Overview        string    `json:"overview"`
	Owner           string    `json:"owner"`
	ReviewDue       *Date     `json:"review_due"`
	Status          DocStatus `json:"status"`
	Replaces        []string  `json:"replaces"`
	Version         int       `json:"version"`
}

// PolicyDocument is a document of the register.
type PolicyDocument struct {
	ID string `json:"id"`
	PolicyDocumentInput
	// ReplacedBy are the documents that replace this one.
	ReplacedBy []string `json:"replaced_by"`
	// Shown is the status as shown: Status, or superseded.
	Shown     DocStatus `json:"shown_status"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
	// Earlier and Later are the chain, when one document is read: what it
	// replaced and what replaced it, nearest first (ReplacesChain).
	Earlier []DocumentRef `json:"earlier,omitempty"`
	Later   []DocumentRef `json:"later,omitempty"`
}

// DocumentRef is a document as its chain names it.
type DocumentRef struct {
	ID              string    `json:"id"`
	Title           string    `json:"title"`
	DocumentVersion string    `json:"document_version"`
	IssuedOn        Date      `json:"issued_on"`
	Shown           DocStatus `json:"shown_status"`
}

// ReviewOverdue reports whether a document in force is past its review
// date.
func (d *PolicyDocument) ReviewOverdue(today Date) bool {
	return d.Shown == DocCurrent && d.ReviewDue != nil && d.ReviewDue.Before(today)
}

// ShownStatus is a document's status as shown: superseded when a document
// that is not a draft replaces it, else its own.
func ShownStatus(own DocStatus, replacedBy []DocStatus) DocStatus {
	if own == DocDraft {
		return own
	}
	for _, s := range replacedBy {
		if s != DocDraft {
			return DocSuperseded
		}
	}
	return own
}

// CheckPolicyDocument checks a document as written (the store checks that
// the documents it replaces exist, and that no cycle is made).
func CheckPolicyDocument(in *PolicyDocumentInput, id string) error {
	var p Problems
	for _, s := range []*string{&in.Title, &in.Source, &in.DocumentVersion, &in.Overview, &in.Owner} {
		*s = strings.TrimSpace(*s)
	}
	if in.Title == "" {
		p.Add("title", "Enter the document's title")
	}
	checkText(&p, "title", "title", in.Title, 300)
	if !slices.Contains(DocScopes, in.Scope) {
		p.Add("scope", "Scope must be one of internal, multi-agency")
	}
	checkText(&p, "source", "source", in.Source, 500)
	if in.IssuedOn.IsZero() {
		p.Add("issued_on", "Enter the document's date")
	}
	checkText(&p, "document_version", "version", in.DocumentVersion, 40)
	checkText(&p, "overview", "overview", in.Overview, maxRegisterFields)
	if in.Owner == "" {
		p.Add("owner", "Enter the document's owner: a role or a team")
	}
	checkText(&p, "owner", "owner", in.Owner, 200)
	if in.ReviewDue != nil && !in.IssuedOn.IsZero() && in.ReviewDue.Before(in.IssuedOn) {
		p.Add("review_due", "The review date must be on or after the document's date")
	}
	if !slices.Contains(DocStatuses, in.Status) {
		p.Add("status", "Status must be one of draft, current, withdrawn (superseded follows from a document that replaces it)")
	}
	if in.Version < 0 {
		p.Add("version", "The version cannot be negative")
	}
	var reps []string
	for _, r := range in.Replaces {
		if r = strings.TrimSpace(r); r != "" && !slices.Contains(reps, r) {
			reps = append(reps, r)
		}
	}
	in.Replaces = reps
	switch {
	case len(reps) > maxReplaces:
		p.Add("replaces", "A document can replace at most 20 others")
	case id != "" && slices.Contains(reps, id):
		p.Add("replaces", "A document cannot replace itself")
	}
	return p.Err()
}

// ReplacesCycle is the cycle that document id would make by replacing
// replaces, given every document's replaces links (links[x] are the
// documents x replaces; id's own are ignored): the path from id through
// the documents it would replace back to id, or nil when there is none.
func ReplacesCycle(id string, replaces []string, links map[string][]string) []string {
	// A path from any document id replaces back to id, following links.
	seen := map[string]bool{}
	var walk func(x string, path []string) []string
	walk = func(x string, path []string) []string {
		if x == id {
			return append(path, x)
		}
		if seen[x] {
			return nil
		}
		seen[x] = true
		for _, y := range links[x] {
			if c := walk(y, append(path, x)); c != nil {
				return c
			}
		}
		return nil
	}
	for _, r := range replaces {
		if c := walk(r, []string{id}); c != nil {
			return c
		}
	}
	return nil
}

// ReplacesChain is the chain around document id: earlier, every document
// it replaces and those they replaced, nearest first; later, every
// document that replaces it and those that replaced them, nearest first.
// Each is listed once; a cycle (which the store never keeps) ends the walk.
func ReplacesChain(id string, links map[string][]string) (earlier, later []string) {
	by := map[string][]string{}
	for x, ys := range links {
		for _, y := range ys {
			by[y] = append(by[y], x)
		}
	}
	for _, xs := range by {
		slices.Sort(xs)
	}
	walk := func(next map[string][]string) []string {
		seen := map[string]bool{id: true}
		var out []string
		queue := []string{id}
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			for _, y := range next[x] {
				if !seen[y] {
					seen[y] = true
					out = append(out, y)
					queue = append(queue, y)
				}
			}
		}
		return out
	}
	return walk(links), walk(by)
}
