package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lantern"
)

// The register of policies and procedures (docs/strategy.md). A document
// names the documents it replaces; those replaced by one in force show as
// superseded. The register is small (tens of documents, hundreds at most),
// so its links are read whole to follow a chain or find a cycle; writes take
// one lock so that two replicas cannot make a cycle between them.

const policyDocCols = `id, title, scope, source, issued_on, document_version, overview, owner, review_due, status, version, updated_at, updated_by`

func scanPolicyDoc(r scanner) (*lantern.PolicyDocument, error) {
	var d lantern.PolicyDocument
	var review lantern.Date
	err := r.Scan(&d.ID, &d.Title, &d.Scope, &d.Source, &d.IssuedOn, &d.DocumentVersion, &d.Overview, &d.Owner, &review, &d.Status, &d.Version,
		timeScan{&d.UpdatedAt}, &d.UpdatedBy)
	if !review.IsZero() {
		d.ReviewDue = &review
	}
	d.Replaces, d.ReplacedBy = []string{}, []string{}
	return &d, err
}

// registerLinks reads every replaces link: links[x] are the documents x
// replaces.
func (s *Store) registerLinks(ctx context.Context, q querier) (map[string][]string, error) {
	rows, err := collect(ctx, q, "register links", `SELECT document_id, replaces_id FROM policy_document_replaces ORDER BY document_id, replaces_id`,
		func(r scanner) ([2]string, error) {
			var x [2]string
			return x, r.Scan(&x[0], &x[1])
		})
	if err != nil {
		return nil, err
	}
	links := map[string][]string{}
	for _, r := range rows {
		links[r[0]] = append(links[r[0]], r[1])
	}
	return links, nil
}

// register reads every document with its links and shown status.
func (s *Store) register(ctx context.Context, q querier) ([]*lantern.PolicyDocument, map[string][]string, error) {
	docs, err := collect(ctx, q, "register", `SELECT `+policyDocCols+` FROM policy_documents ORDER BY title, id`, scanPolicyDoc)
	if err != nil {
		return nil, nil, err
	}
	links, err := s.registerLinks(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	by := map[string]*lantern.PolicyDocument{}
	for _, d := range docs {
		by[d.ID] = d
	}
	for x, ys := range links {
		for _, y := range ys {
			if d, ok := by[x]; ok {
				d.Replaces = append(d.Replaces, y)
			}
			if d, ok := by[y]; ok {
				d.ReplacedBy = append(d.ReplacedBy, x)
			}
		}
	}
	for _, d := range docs {
		slices.Sort(d.ReplacedBy)
		var statuses []lantern.DocStatus
		for _, x := range d.ReplacedBy {
			if r, ok := by[x]; ok {
				statuses = append(statuses, r.Status)
			}
		}
		d.Shown = lantern.ShownStatus(d.Status, statuses)
	}
	return docs, links, nil
}

// RegisterFilter chooses and orders the register's documents.
type RegisterFilter struct {
	// Status is a shown status (draft, current, superseded, withdrawn), or
	// "" for all.
	Status lantern.DocStatus
	// Overdue keeps only documents in force past their review date.
	Overdue bool
	// Sort is title (the default), review_due, issued_on or status.
	Sort string
}

// RegisterSorts are the orders the register may be listed in.
var RegisterSorts = []string{"title", "review_due", "issued_on", "status"}

// CheckRegisterFilter names a filter's fault.
func CheckRegisterFilter(f RegisterFilter) error {
	var p lantern.Problems
	if f.Status != "" && !slices.Contains(append(slices.Clone(lantern.DocStatuses), lantern.DocSuperseded), f.Status) {
		p.Add("status", "Status must be one of draft, current, superseded, withdrawn")
	}
	if f.Sort != "" && !slices.Contains(RegisterSorts, f.Sort) {
		p.Add("sort", "Sort must be one of "+strings.Join(RegisterSorts, ", "))
	}
	return p.Err()
}

// PolicyDocuments lists the register, for those who read it.
func (s *Store) PolicyDocuments(ctx context.Context, f RegisterFilter) ([]*lantern.PolicyDocument, error) {
	if err := may(ctx, lantern.ResPolicyRegister, lantern.ActRead); err != nil {
		return nil, err
	}
	if err := CheckRegisterFilter(f); err != nil {
		return nil, err
	}
	docs, _, err := s.register(ctx, s.db)
	if err != nil {
		return nil, err
	}
	today := lantern.Today(s.now())
	docs = slices.DeleteFunc(docs, func(d *lantern.PolicyDocument) bool {
		return f.Status != "" && d.Shown != f.Status || f.Overdue && !d.ReviewOverdue(today)
	})
	// No date sorts last.
	date := func(d *lantern.Date) string {
		if d == nil {
			return "9999"
		}
		return d.String()
	}
	slices.SortStableFunc(docs, func(a, b *lantern.PolicyDocument) int {
		switch f.Sort {
		case "review_due":
			return cmp.Compare(date(a.ReviewDue), date(b.ReviewDue))
		case "issued_on":
			return b.IssuedOn.Compare(a.IssuedOn) // newest first
		case "status":
			return cmp.Compare(a.Shown, b.Shown)
		}
		return 0 // by title, as read
	})
	return docs, s.audited(ctx, auditEntry{Action: "register.list", Entity: "policy-register",
		Detail: fmt.Sprintf("status=%s overdue=%t n=%d", f.Status, f.Overdue, len(docs))})
}

// PolicyDocument reads a document with its chain: the documents it
// replaced, and those that replaced it, nearest first.
func (s *Store) PolicyDocument(ctx context.Context, id string) (*lantern.PolicyDocument, error) {
	if err := may(ctx, lantern.ResPolicyRegister, lantern.ActRead); err != nil {
		return nil, err
	}
	d, err := s.policyDocument(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return d, s.audited(ctx, auditEntry{Action: "register.read", Entity: "policy-document", EntityID: id})
}

func (s *Store) policyDocument(ctx context.Context, q querier, id string) (*lantern.PolicyDocument, error) {
	docs, links, err := s.register(ctx, q)
	if err != nil {
		return nil, err
	}
	by := map[string]*lantern.PolicyDocument{}
	for _, d := range docs {
		by[d.ID] = d
	}
	d := by[id]
	if d == nil {
		return nil, lantern.NotFound("Document")
	}
	earlier, later := lantern.ReplacesChain(id, links)
	ref := func(ids []string) []lantern.DocumentRef {
		out := []lantern.DocumentRef{}
		for _, x := range ids {
			if o := by[x]; o != nil {
				out = append(out, lantern.DocumentRef{ID: o.ID, Title: o.Title, DocumentVersion: o.DocumentVersion, IssuedOn: o.IssuedOn, Shown: o.Shown})
			}
		}
		return out
	}
	d.Earlier, d.Later = ref(earlier), ref(later)
	return d, nil
}

// SavePolicyDocument records a document of the register: a new one (id
// empty, version 0), or a change to one if in.Version is its version (else
// ECONFLICT). The documents it replaces must be in the register, and none
// may be itself or one that (through others) replaces it.
func (s *Store) SavePolicyDocument(ctx context.Context, id string, in lantern.PolicyDocumentInput) (*lantern.PolicyDocument, error) {
	if err := may(ctx, lantern.ResPolicyRegister, lantern.ActChange); err != nil {
		return nil, err
	}
	if err := lantern.CheckPolicyDocument(&in, id); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.d.ts(s.now())
	var out *lantern.PolicyDocument
	err := s.write(ctx, func(tx *tx) error {
		if err := s.d.lockKeys(ctx, tx, "policy-register"); err != nil {
			return internal("register lock", err)
		}
		titles := map[string]string{}
		rows, err := collect(ctx, tx, "register titles", `SELECT id, title FROM policy_documents`, func(r scanner) ([2]string, error) {
			var x [2]string
			return x, r.Scan(&x[0], &x[1])
		})
		if err != nil {
			return err
		}
		for _, r := range rows {
			titles[r[0]] = r[1]
		}
		for _, r := range in.Replaces {
			if _, ok := titles[r]; !ok {
				return lantern.Invalid(lantern.FieldError{Field: "replaces", Message: "No such document in the register: " + lantern.Excerpt(r, 40)})
			}
		}
		if id != "" {
			links, err := s.registerLinks(ctx, tx)
			if err != nil {
				return err
			}
			if cycle := lantern.ReplacesCycle(id, in.Replaces, links); cycle != nil {
				names := make([]string, len(cycle))
				for i, x := range cycle {
					names[i] = "“" + lantern.Excerpt(titles[x], 60) + "”"
				}
				return lantern.Invalid(lantern.FieldError{Field: "replaces",
					Message: "That would make a loop (" + strings.Join(names, " replaces ") + "): a document cannot replace one that replaces it"})
			}
		}
		if id == "" {
			if in.Version != 0 {
				return lantern.Invalid(lantern.FieldError{Field: "version", Message: "A new document has no version yet"})
			}
			id = newID()
			if _, err := tx.ExecContext(ctx, `INSERT INTO policy_documents (id, title, scope, source, issued_on, document_version, overview, owner,
				review_due, status, version, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $11, $12)`,
				id, in.Title, string(in.Scope), in.Source, in.IssuedOn, in.DocumentVersion, in.Overview, in.Owner, optDate(in.ReviewDue),
				string(in.Status), now, u.ID); err != nil {
				return internal("create document", err)
			}
			tx.audit(auditEntry{Action: "register.create", Entity: "policy-document", EntityID: id})
		} else {
			var version int
			err := tx.QueryRowContext(ctx, `SELECT version FROM policy_documents WHERE id = $1`+s.d.forUpdate(), id).Scan(&version)
			if errors.Is(err, sql.ErrNoRows) {
				return lantern.NotFound("Document")
			} else if err != nil {
				return internal("document version", err)
			}
			if version != in.Version {
				cur, err := s.policyDocument(ctx, tx, id)
				if err != nil {
					return err
				}
				return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this document: start from its latest version", Current: cur}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE policy_documents SET title = $2, scope = $3, source = $4, issued_on = $5, document_version = $6,
				overview = $7, owner = $8, review_due = $9, status = $10, version = version + 1, updated_at = $11, updated_by = $12 WHERE id = $1`,
				id, in.Title, string(in.Scope), in.Source, in.IssuedOn, in.DocumentVersion, in.Overview, in.Owner, optDate(in.ReviewDue),
				string(in.Status), now, u.ID); err != nil {
				return internal("change document", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM policy_document_replaces WHERE document_id = $1`, id); err != nil {
				return internal("document links", err)
			}
			tx.audit(auditEntry{Action: "register.change", Entity: "policy-document", EntityID: id, Detail: "version=" + itoa(in.Version+1)})
		}
		for _, r := range in.Replaces {
			if _, err := tx.ExecContext(ctx, `INSERT INTO policy_document_replaces (document_id, replaces_id) VALUES ($1, $2)`, id, r); err != nil {
				return internal("document replaces", err)
			}
		}
		out, err = s.policyDocument(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
