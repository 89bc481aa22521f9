package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"lantern"
	"lantern/audit"
)

// auditEntry is what a store method says it did; who, when, from where and
// why come from the context.
type auditEntry struct {
	Action   string
	Entity   string
	EntityID string
	ChildID  string
	Detail   string
	// UserID and AgencyID override the signed-in user, for sign-in events
	// where nobody is signed in yet.
	UserID, AgencyID string
}

func (s *Store) entry(ctx context.Context, a auditEntry) *audit.Entry {
	e := &audit.Entry{At: s.now(), Action: a.Action, Entity: a.Entity, EntityID: a.EntityID,
		ChildID: a.ChildID, Detail: a.Detail, UserID: a.UserID, AgencyID: a.AgencyID}
	if u := lantern.UserFromContext(ctx); u != nil && e.UserID == "" {
		e.UserID, e.AgencyID = u.ID, u.AgencyID
	}
	ri := lantern.RequestFromContext(ctx)
	e.IP, e.Why = ri.IP, ri.Why
	if e.Why == "" {
		e.Why = "command line"
	}
	return e
}

// audit records, in the transaction, that something was done.
func (t *tx) audit(a auditEntry) { t.audits = append(t.audits, a) }

func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, as []auditEntry) error {
	if len(as) == 0 {
		return nil
	}
	es := make([]*audit.Entry, len(as))
	for i, a := range as {
		es[i] = s.entry(ctx, a)
	}
	return s.appendEntries(ctx, tx, es)
}

// appendEntries queues entries in the transaction: durable when it
// commits, and with no lock that every replica takes (audit_queue, 00031).
// The sequencer chains them onto the log (sequenceAudit).
func (s *Store) appendEntries(ctx context.Context, tx *sql.Tx, es []*audit.Entry) error {
	// One statement for each group of rows: a batch of reads commits in one go.
	for start := 0; start < len(es); start += auditInsertRows {
		batch := es[start:min(start+auditInsertRows, len(es))]
		args := make([]any, 0, len(batch)*auditQueueCols)
		for _, e := range batch {
			e.Normalise()
			args = append(args, s.d.ts(e.At), e.UserID, e.AgencyID, e.IP, e.Action, e.Entity, e.EntityID, e.ChildID, e.Why, e.Detail)
		}
		if _, err := s.inTx(ctx, tx, s.auditInsert(len(batch))).ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("audit queue: %w", err)
		}
	}
	return nil
}

const (
	auditHeadQuery  = `SELECT seq, hash FROM audit_head WHERE id = 1`
	auditHeadUpdate = `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`
	auditCols13     = 13
	auditQueueCols  = 10
)

// auditInsert is the INSERT of n entries into the queue, 1 <= n <=
// auditInsertRows: each text is built once, when the store opens.
func (s *Store) auditInsert(n int) string { return s.auditInserts[n] }

func auditInserts(d dialect) []string {
	qs := make([]string, auditInsertRows+1)
	for n := 1; n <= auditInsertRows; n++ {
		qs[n] = `INSERT INTO audit_queue (at, user_id, agency_id, ip, action, entity, entity_id, child_id, why, detail) VALUES ` +
			d.values(n, auditQueueCols)
	}
	return qs
}

// auditLogInserts are the INSERTs of n chained entries into the log, for
// the sequencer, by n.
func auditLogInserts(d dialect) []string {
	qs := make([]string, auditInsertRows+1)
	for n := 1; n <= auditInsertRows; n++ {
		qs[n] = `INSERT INTO audit_log (seq, at, user_id, agency_id, ip, action, entity, entity_id, child_id, why, detail, prev_hash, hash) VALUES ` +
			d.values(n, auditCols13)
	}
	return qs
}

// stmtOrQuery runs a statement in a transaction: prepared once if it is in
// the cache, or plainly.
type stmtOrQuery struct {
	tx    *sql.Tx
	st    *sql.Stmt
	query string
}

func (s *Store) inTx(ctx context.Context, tx *sql.Tx, query string) stmtOrQuery {
	if st := s.wstmts.cached(query); st != nil {
		return stmtOrQuery{tx: tx, st: tx.StmtContext(ctx, st)}
	}
	return stmtOrQuery{tx: tx, query: query}
}

func (q stmtOrQuery) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	if q.st != nil {
		return q.st.QueryRowContext(ctx, args...)
	}
	return q.tx.QueryRowContext(ctx, q.query, args...)
}

func (q stmtOrQuery) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	if q.st != nil {
		return q.st.QueryContext(ctx, args...)
	}
	return q.tx.QueryContext(ctx, q.query, args...)
}

func (q stmtOrQuery) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	if q.st != nil {
		return q.st.ExecContext(ctx, args...)
	}
	return q.tx.ExecContext(ctx, q.query, args...)
}

// prepareAudit prepares a batch's audit statements on the write pool before
// its transaction begins, while the connection is free.
func (s *Store) prepareAudit(n int) {
	for start := 0; start < n; start += auditInsertRows {
		s.wstmts.stmt(s.auditInsert(min(auditInsertRows, n-start)))
	}
}

// Record writes audit entries in a transaction of their own: for events with
// no other change, such as a failed sign-in.
func (s *Store) record(ctx context.Context, as ...auditEntry) error {
	return s.write(ctx, func(tx *tx) error {
		tx.audits = append(tx.audits, as...)
		return nil
	})
}

// readAuditor commits the audit entries of reads in groups: each reader
// waits until its entry is durable before it is shown the record, but
// concurrent readers share one commit (and one fsync).
type readAuditor struct {
	s    *Store
	ch   chan readReq
	quit chan struct{}
	wg   sync.WaitGroup
	once sync.Once
	// What the group commit has done, for the metrics and the benchmark.
	commits, entries atomic.Uint64
	busy             atomic.Int64 // nanoseconds spent committing
}

type readReq struct {
	es   []*audit.Entry
	done chan error
}

func newReadAuditor(s *Store) *readAuditor {
	ra := &readAuditor{s: s, ch: make(chan readReq), quit: make(chan struct{})}
	ra.wg.Add(1)
	go ra.run()
	return ra
}

const maxReadBatch = 256

// auditInsertRows bounds one INSERT's rows (13 parameters at most), well within
// both databases' limits on parameters.
const auditInsertRows = 64

func (ra *readAuditor) run() {
	defer ra.wg.Done()
	for {
		var batch []readReq
		select {
		case r := <-ra.ch:
			batch = append(batch, r)
		case <-ra.quit:
			return
		}
	drain:
		for len(batch) < maxReadBatch {
			select {
			case r := <-ra.ch:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		start := time.Now()
		err := ra.commit(batch)
		ra.busy.Add(int64(time.Since(start)))
		ra.commits.Add(1)
		for _, r := range batch {
			ra.entries.Add(uint64(len(r.es)))
			r.done <- err
		}
	}
}

func (ra *readAuditor) commit(batch []readReq) error {
	// The batch outlives any one request: it must not be cancelled with one.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var es []*audit.Entry
	for _, r := range batch {
		es = append(es, r.es...)
	}
	ra.s.prepareAudit(len(es))
	tx, err := ra.s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := ra.s.appendEntries(ctx, tx, es); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ReadAuditStats says what the read auditor's group commit has done since
// the store opened: how many commits, how many entries they held, and the
// time spent committing. Entries over commits is the mean group size; time
// over commits the mean commit; the time's rate is how busy the one
// committer is, which bounds how many audited reads a second the store
// can serve.
type ReadAuditStats struct {
	Commits, Entries uint64
	Busy             time.Duration
}

// ReadAuditStats reads the counters.
func (s *Store) ReadAuditStats() ReadAuditStats {
	return ReadAuditStats{Commits: s.reads.commits.Load(), Entries: s.reads.entries.Load(), Busy: time.Duration(s.reads.busy.Load())}
}

func (ra *readAuditor) close() {
	ra.once.Do(func() { close(ra.quit) })
	ra.wg.Wait()
}

var errClosed = errors.New("store closed")

// audited records that the user in ctx read something, and returns once the
// entry is durable. A read that cannot be audited is not shown.
func (s *Store) audited(ctx context.Context, a auditEntry) error {
	return s.auditedRead(ctx, s.entry(ctx, a))
}

// auditedChildren records that the caller was shown several children (a
// list, possible matches, a meeting, a work list): one entry per child, so
// the trail searched by child finds every read, all in one group commit.
func (s *Store) auditedChildren(ctx context.Context, a auditEntry, childIDs []string) error {
	if len(childIDs) == 0 {
		return s.audited(ctx, a)
	}
	seen := make(map[string]bool, len(childIDs))
	es := make([]*audit.Entry, 0, len(childIDs))
	for _, id := range childIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		e := a
		e.ChildID = id
		es = append(es, s.entry(ctx, e))
	}
	return s.auditedRead(ctx, es...)
}

func (s *Store) auditedRead(ctx context.Context, es ...*audit.Entry) error {
	if b, ok := ctx.Value(readBatchKey{}).(*readBatch); ok {
		b.es = append(b.es, es...)
		return nil
	}
	r := readReq{es: es, done: make(chan error, 1)}
	select {
	case s.reads.ch <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.reads.quit:
		return lantern.Internal(errClosed)
	}
	if err := <-r.done; err != nil {
		return lantern.Internal(fmt.Errorf("audit read: %w", err))
	}
	return nil
}

// readBatch gathers the audit entries of several reads made for one view,
// so that they commit together: ReadTogether makes one. It also keeps the
// children those reads found visible (findChild), so each is read once.
type readBatch struct {
	es       []*audit.Entry
	children map[string]*lantern.Child
}

type readBatchKey struct{}

// ReadTogether runs reads, with the context it passes, so that their audit
// entries commit together when they are done: a page that reads several
// records waits for one commit, not one a record. Nothing read inside may
// be shown before ReadTogether returns nil: if the entries cannot be
// committed it returns the error, and the page must show that instead. The
// reads must run one after another. Nested, the inner call's entries join
// the outer's.
func (s *Store) ReadTogether(ctx context.Context, reads func(ctx context.Context) error) error {
	b := &readBatch{}
	if err := reads(context.WithValue(ctx, readBatchKey{}, b)); err != nil {
		return err
	}
	if len(b.es) == 0 {
		return nil
	}
	return s.auditedRead(ctx, b.es...)
}

// AuditFilter narrows a search of the audit trail.
type AuditFilter struct {
	UserID  string
	ChildID string
	Action  string
	From    lantern.Date // inclusive, local dates
	To      lantern.Date // inclusive
	Limit   int
	Offset  int
}

// SearchAudit finds entries, newest first; only auditors may. The search is
// itself audited.
func (s *Store) SearchAudit(ctx context.Context, f AuditFilter) ([]*audit.Entry, int, error) {
	if err := may(ctx, lantern.ResAudit, lantern.ActRead); err != nil {
		return nil, 0, err
	}
	if err := s.SyncAudit(ctx); err != nil {
		return nil, 0, err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.UserID != "" {
		where = append(where, "user_id = "+arg(f.UserID))
	}
	if f.ChildID != "" {
		where = append(where, "child_id = "+arg(f.ChildID))
	}
	if f.Action != "" {
		where = append(where, "action = "+arg(f.Action))
	}
	if !f.From.IsZero() {
		where = append(where, "at >= "+arg(s.d.ts(f.From.Time())))
	}
	if !f.To.IsZero() {
		next := f.To.Time().AddDate(0, 0, 1)
		where = append(where, "at < "+arg(s.d.ts(next)))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`+cond, args...).Scan(&total); err != nil {
		return nil, 0, internal("count audit", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log`+cond+
		` ORDER BY seq DESC LIMIT `+arg(limit)+` OFFSET `+arg(max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, internal("search audit", err)
	}
	defer rows.Close()
	var es []*audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, internal("scan audit", err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, internal("search audit", err)
	}
	detail := fmt.Sprintf("user=%s child=%s action=%s from=%s to=%s", f.UserID, f.ChildID, f.Action, f.From, f.To)
	if err := s.audited(ctx, auditEntry{Action: "audit.search", Entity: "audit", Detail: detail}); err != nil {
		return nil, 0, err
	}
	return es, total, nil
}

const auditCols = `seq, at, user_id, agency_id, ip, action, entity, entity_id, child_id, why, detail, prev_hash, hash`

type scanner interface{ Scan(...any) error }

func scanAudit(r scanner) (*audit.Entry, error) {
	var e audit.Entry
	err := r.Scan(&e.Seq, timeScan{&e.At}, &e.UserID, &e.AgencyID, &e.IP, &e.Action, &e.Entity, &e.EntityID,
		&e.ChildID, &e.Why, &e.Detail, &e.PrevHash, &e.Hash)
	return &e, err
}

// VerifyAudit reads the whole trail in order and checks every hash. It
// returns the number of entries checked and, if the trail was tampered
// with, an *audit.Problem naming the first bad entry.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	if err := s.SyncAudit(ctx); err != nil {
		return 0, err
	}
	// Entries are only ever appended, so the head read first and the entries
	// up to it form a consistent cut without holding a lock on writers.
	headSeq, headHash, err := s.AuditHead(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, &audit.Problem{Reason: "the head, which records the latest entry, is missing"}
	} else if err != nil {
		return 0, fmt.Errorf("audit head: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq <= $1 ORDER BY seq`, headSeq)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	v := audit.NewVerifier()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return v.Count(), err
		}
		if err := v.Next(e); err != nil {
			return v.Count(), err
		}
	}
	if err := rows.Err(); err != nil {
		return v.Count(), err
	}
	if err := v.End(headSeq, headHash); err != nil {
		return v.Count(), err
	}
	// Legitimate appends move the head in the same transaction, so an entry
	// beyond the head as it is now was written around the chain.
	var maxSeq sql.NullInt64
	var nowHead int64
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT max(seq) FROM audit_log), (SELECT seq FROM audit_head WHERE id = 1)`).Scan(&maxSeq, &nowHead); err != nil {
		return v.Count(), err
	}
	if maxSeq.Valid && maxSeq.Int64 > nowHead {
		return v.Count(), &audit.Problem{Seq: nowHead + 1, Reason: "added outside the chain: beyond the head"}
	}
	return v.Count(), nil
}

// RecordOperation audits what the operator did to the store as a whole (a
// backup, a restore), from the command line only.
func (s *Store) RecordOperation(ctx context.Context, action, detail string) error {
	if !lantern.IsSystem(ctx) {
		return lantern.Errorf(lantern.EFORBIDDEN, "Only the operator works on the store as a whole")
	}
	return s.record(ctx, auditEntry{Action: action, Entity: "store", Detail: detail})
}

// AuditHead is the latest entry's number and hash. The chain shows any
// entry changed, removed or moved against the ones around it, but someone
// able to rewrite the whole database could rewrite the chain from any point
// to its end: a head written down elsewhere (the server logs it) and given
// to audit verify later shows nothing up to it has been.
func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := s.db.QueryRowContext(ctx, auditHeadQuery).Scan(&seq, &hash)
	return seq, hash, err
}

// AuditEntryHash is the hash entry seq has now; ENOTFOUND if there is none.
func (s *Store) AuditEntryHash(ctx context.Context, seq int64) (string, error) {
	var hash string
	err := s.db.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, seq).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", lantern.NotFound("Audit entry")
	}
	return hash, err
}

// auditConflict audits what a refused change shows its caller: a conflict
// carries the record as it is now, which the caller has not seen. The
// change's own entries were rolled back with it; this read is written after
// the rollback (on SQLite the write connection is free again). If it cannot
// be written, the record is not shown.
func (s *Store) auditConflict(ctx context.Context, err error) error {
	var le *lantern.Error
	if !errors.As(err, &le) || le.Code != lantern.ECONFLICT || le.Current == nil {
		return err
	}
	a := auditEntry{Action: "conflict.read"}
	var children []string
	switch c := le.Current.(type) {
	case *lantern.Child:
		a.Entity, a.EntityID, children = "child", c.ID, []string{c.ID}
	case *lantern.Concern:
		a.Entity, a.EntityID, children = "concern", c.ID, []string{c.ChildID}
	case *lantern.Referral:
		a.Entity, a.EntityID, children = "referral", c.ID, []string{c.ChildID}
	case *lantern.Task:
		a.Entity, a.EntityID, children = "task", c.ID, []string{c.ChildID}
	case *lantern.MissingEpisode:
		a.Entity, a.EntityID, children = "missing-episode", c.ID, []string{c.ChildID}
	case *lantern.Meeting:
		a.Entity, a.EntityID, children = "meeting", c.ID, c.ChildIDs
	case *lantern.Contact:
		a.Entity, a.EntityID = "contact", c.ID
	default:
		a.Entity = fmt.Sprintf("%T", c)
	}
	if aerr := s.auditedChildren(ctx, a, children); aerr != nil {
		return aerr
	}
	return err
}

// BenchLimitRead is the least an audited read of a child can cost, for the
// benchmark's limit handler (cmd/lantern-bench -scenario hold): one indexed
// read and one durable audit entry through the read audit's group commit.
// It checks no access rule, so only the operator may call it (no route
// does).
func (s *Store) BenchLimitRead(ctx context.Context, childID string) (string, error) {
	if !lantern.IsSystem(ctx) {
		return "", lantern.Errorf(lantern.EFORBIDDEN, "Only the benchmark reads without the access rule")
	}
	var name string
	if err := s.db.QueryRowContext(ctx, `SELECT given_name FROM children WHERE id = $1`, childID).Scan(&name); err != nil {
		return "", internal("limit read", err)
	}
	return name, s.audited(ctx, auditEntry{Action: "bench.limit", Entity: "child", EntityID: childID, ChildID: childID})
}
