package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"lantern"
)

// The partnership's strategy action plan (docs/strategy.md): strands,
// actions, progress notes with their ratings, and boards. The rules are
// lantern's (CheckPlanAction, CheckNote, SuggestRAG); the database holds
// again that amber and red carry a rationale.

const planActionCols = `a.id, a.strand_id, a.reference, a.description, a.lead_id, COALESCE(u.name, ''), a.agency, a.due_on, a.rag, a.rationale,
	a.last_note_on, a.version, a.updated_at`

const planActionFrom = ` FROM plan_actions a LEFT JOIN users u ON u.id = a.lead_id`

func scanPlanAction(r scanner) (*lantern.PlanAction, error) {
	var a lantern.PlanAction
	var due, last lantern.Date
	err := r.Scan(&a.ID, &a.StrandID, &a.Reference, &a.Description, &a.Lead, &a.LeadName, &a.Agency, &due, &a.RAG, &a.Rationale,
		&last, &a.Version, timeScan{&a.UpdatedAt})
	if !due.IsZero() {
		a.DueOn = &due
	}
	if !last.IsZero() {
		a.LastNoteOn = &last
	}
	return &a, err
}

// optDate is an optional date as a parameter: NULL when nil.
func optDate(d *lantern.Date) any {
	if d == nil {
		return nil
	}
	return *d
}

// Strands lists the plan's strands, by number, each with its actions by
// reference and the rating each one's dates suggest today: for those who
// read the plan.
func (s *Store) Strands(ctx context.Context) ([]*lantern.Strand, error) {
	if err := may(ctx, lantern.ResStrategy, lantern.ActRead); err != nil {
		return nil, err
	}
	out, err := s.strands(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return out, s.audited(ctx, auditEntry{Action: "strategy.list", Entity: "strategy", Detail: fmt.Sprintf("strands=%d", len(out))})
}

func (s *Store) strands(ctx context.Context, q querier) ([]*lantern.Strand, error) {
	out, err := collect(ctx, q, "strands", `SELECT id, number, title, aim FROM strategy_strands ORDER BY number`,
		func(r scanner) (*lantern.Strand, error) {
			var st lantern.Strand
			return &st, r.Scan(&st.ID, &st.Number, &st.Title, &st.Aim)
		})
	if err != nil {
		return nil, err
	}
	actions, err := collect(ctx, q, "plan actions", `SELECT `+planActionCols+planActionFrom, scanPlanAction)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(actions, func(a, b *lantern.PlanAction) int { return compareReferences(a.Reference, b.Reference) })
	by := map[string]*lantern.Strand{}
	for _, st := range out {
		by[st.ID] = st
		st.Actions = []*lantern.PlanAction{}
	}
	today := lantern.Today(s.now())
	for _, a := range actions {
		a.Suggested = lantern.SuggestRAG(a, nil, today)
		if st := by[a.StrandID]; st != nil {
			st.Actions = append(st.Actions, a)
		}
	}
	return out, nil
}

// compareReferences orders references as people number them: 1.2 before
// 1.10, then as text (1.2a after 1.2).
func compareReferences(a, b string) int {
	for a != "" && b != "" {
		na, ra := leadingNumber(a)
		nb, rb := leadingNumber(b)
		if na >= 0 && nb >= 0 {
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
			a, b = ra, rb
			continue
		}
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

// leadingNumber is the number s starts with (-1 for none) and the rest.
func leadingNumber(s string) (int, string) {
	n, i := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 9 {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 {
		return -1, s
	}
	return n, s[i:]
}

// SaveStrand records a strand: a new one (id empty), or a change to one.
func (s *Store) SaveStrand(ctx context.Context, id string, in lantern.StrandInput) (*lantern.Strand, error) {
	if err := may(ctx, lantern.ResStrategy, lantern.ActChange); err != nil {
		return nil, err
	}
	if err := lantern.CheckStrand(&in); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	err := s.write(ctx, func(tx *tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM strategy_strands WHERE number = $1 AND id <> $2`, in.Number, id).Scan(&n); err != nil {
			return internal("strand number", err)
		}
		if n > 0 {
			return lantern.Invalid(lantern.FieldError{Field: "number", Message: "Another strand has the number " + itoa(in.Number)})
		}
		var res sql.Result
		var err error
		if id == "" {
			id = newID()
			res, err = tx.ExecContext(ctx, `INSERT INTO strategy_strands (id, number, title, aim, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
				id, in.Number, in.Title, in.Aim, s.d.ts(s.now()), u.ID)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE strategy_strands SET number = $2, title = $3, aim = $4 WHERE id = $1`, id, in.Number, in.Title, in.Aim)
		}
		if err != nil {
			if isUniqueViolation(err) {
				return lantern.Invalid(lantern.FieldError{Field: "number", Message: "Another strand has the number " + itoa(in.Number)})
			}
			return internal("save strand", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lantern.NotFound("Strand")
		}
		tx.audit(auditEntry{Action: "strategy.strand.save", Entity: "strand", EntityID: id, Detail: "number=" + itoa(in.Number)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lantern.Strand{ID: id, Number: in.Number, Title: in.Title, Aim: in.Aim}, nil
}

func (s *Store) planAction(ctx context.Context, q querier, id string) (*lantern.PlanAction, error) {
	a, err := scanPlanAction(q.QueryRowContext(ctx, `SELECT `+planActionCols+planActionFrom+` WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.NotFound("Action")
	}
	if err != nil {
		return nil, internal("plan action", err)
	}
	notes, err := collect(ctx, q, "progress notes", `SELECT n.id, n.action_id, n.noted_on, n.text, n.rag, n.rationale, n.suggested_rag, n.override_reason,
		n.recorded_by, COALESCE(u.name, ''), n.recorded_at FROM plan_progress_notes n LEFT JOIN users u ON u.id = n.recorded_by
		WHERE n.action_id = $1 ORDER BY n.noted_on DESC, n.recorded_at DESC, n.id DESC`,
		func(r scanner) (lantern.ProgressNote, error) {
			var n lantern.ProgressNote
			return n, r.Scan(&n.ID, &n.ActionID, &n.On, &n.Text, &n.RAG, &n.Rationale, &n.Suggested, &n.OverrideReason, &n.By, &n.ByName, timeScan{&n.At})
		}, id)
	if err != nil {
		return nil, err
	}
	a.Notes = notes
	a.Suggested = lantern.SuggestRAG(a, notes, lantern.Today(s.now()))
	return a, nil
}

// PlanAction reads an action with its progress notes, newest first.
func (s *Store) PlanAction(ctx context.Context, id string) (*lantern.PlanAction, error) {
	if err := may(ctx, lantern.ResStrategy, lantern.ActRead); err != nil {
		return nil, err
	}
	a, err := s.planAction(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return a, s.audited(ctx, auditEntry{Action: "strategy.action.read", Entity: "plan-action", EntityID: id})
}

// SavePlanAction records an action: a new one (id empty, version 0), or a
// change to one if in.Version is its version (else ECONFLICT). Its strand
// and its lead, a person of the area, must exist.
func (s *Store) SavePlanAction(ctx context.Context, id string, in lantern.PlanActionInput) (*lantern.PlanAction, error) {
	if err := may(ctx, lantern.ResStrategy, lantern.ActChange); err != nil {
		return nil, err
	}
	if err := lantern.CheckPlanAction(&in); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	now := s.d.ts(s.now())
	var out *lantern.PlanAction
	err := s.write(ctx, func(tx *tx) error {
		var p lantern.Problems
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM strategy_strands WHERE id = $1`, in.StrandID).Scan(&n); err != nil {
			return internal("action strand", err)
		}
		if n == 0 {
			p.Add("strand_id", "No such strand in the plan")
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE id = $1 AND NOT disabled`, in.Lead).Scan(&n); err != nil {
			return internal("action lead", err)
		}
		if n == 0 {
			p.Add("lead", "No such person in the area: choose the action's lead from the list")
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM plan_actions WHERE reference = $1 AND id <> $2`, in.Reference, id).Scan(&n); err != nil {
			return internal("action reference", err)
		}
		if n > 0 {
			p.Add("reference", "Another action has the reference "+in.Reference)
		}
		if id == "" && in.Version != 0 {
			p.Add("version", "A new action has no version yet")
		}
		if err := p.Err(); err != nil {
			return err
		}
		if id == "" {
			id = newID()
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_actions (id, strand_id, reference, description, lead_id, agency, due_on, version,
				created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $8, $9)`,
				id, in.StrandID, in.Reference, in.Description, in.Lead, in.Agency, optDate(in.DueOn), now, u.ID); err != nil {
				if isUniqueViolation(err) {
					return lantern.Invalid(lantern.FieldError{Field: "reference", Message: "Another action has the reference " + in.Reference})
				}
				return internal("create action", err)
			}
			tx.audit(auditEntry{Action: "strategy.action.create", Entity: "plan-action", EntityID: id, Detail: "reference=" + in.Reference})
		} else {
			cur, err := s.planAction(ctx, tx, id)
			if err != nil {
				return err
			}
			if cur.Version != in.Version {
				return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this action: start from its latest version", Current: cur}
			}
			res, err := tx.ExecContext(ctx, `UPDATE plan_actions SET strand_id = $2, reference = $3, description = $4, lead_id = $5, agency = $6,
				due_on = $7, version = version + 1, updated_at = $8, updated_by = $9 WHERE id = $1 AND version = $10`,
				id, in.StrandID, in.Reference, in.Description, in.Lead, in.Agency, optDate(in.DueOn), now, u.ID, in.Version)
			if err != nil {
				if isUniqueViolation(err) {
					return lantern.Invalid(lantern.FieldError{Field: "reference", Message: "Another action has the reference " + in.Reference})
				}
				return internal("change action", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return lantern.Errorf(lantern.ECONFLICT, "Someone else changed this action: start from its latest version")
			}
			tx.audit(auditEntry{Action: "strategy.action.change", Entity: "plan-action", EntityID: id, Detail: "version=" + itoa(in.Version+1)})
		}
		var err error
		out, err = s.planAction(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AddProgressNote records a dated note of progress on an action and the
// rating it gives it, if in.Version is the action's version (else
// ECONFLICT). Amber and red need a rationale; a rating better than the one
// the dates suggested on the note's day (SuggestRAG, with this note) needs
// the reason for overriding it. The latest note by date gives the action its rating.
func (s *Store) AddProgressNote(ctx context.Context, actionID string, in lantern.NoteInput) (*lantern.PlanAction, error) {
	if err := may(ctx, lantern.ResStrategy, lantern.ActChange); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	today := lantern.Today(s.now())
	var out *lantern.PlanAction
	err := s.write(ctx, func(tx *tx) error {
		cur, err := s.planAction(ctx, tx, actionID)
		if err != nil {
			return err
		}
		// The suggestion on the note's day, once it is recorded, as if the
		// action were rated as the note says (done is never overdue): what
		// the dates said when the progress was made.
		suggested := cur.Suggested
		if !in.On.IsZero() && !in.On.After(today) {
			after := *cur
			after.RAG, after.LastNoteOn = in.RAG, nil
			notes := []lantern.ProgressNote{{On: in.On}}
			for _, n := range cur.Notes {
				if !n.On.After(in.On) {
					notes = append(notes, n)
				}
			}
			suggested = lantern.SuggestRAG(&after, notes, in.On)
		}
		if err := lantern.CheckNote(&in, suggested, today); err != nil {
			return err
		}
		if cur.Version != in.Version {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this action while you were writing: read its latest notes and rate it again",
				Current: cur}
		}
		if !lantern.NeedsOverride(in.RAG, suggested) {
			in.OverrideReason = "" // nothing was overridden
		}
		id := newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO plan_progress_notes (id, action_id, noted_on, text, rag, rationale, suggested_rag, override_reason,
			recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			id, actionID, in.On, in.Text, string(in.RAG), in.Rationale, string(suggested), in.OverrideReason, s.d.ts(s.now()), u.ID); err != nil {
			return internal("progress note", err)
		}
		latest := cur.LastNoteOn == nil || !in.On.Before(*cur.LastNoteOn)
		var res sql.Result
		if latest {
			res, err = tx.ExecContext(ctx, `UPDATE plan_actions SET rag = $2, rationale = $3, last_note_on = $4, version = version + 1, updated_at = $5,
				updated_by = $6 WHERE id = $1 AND version = $7`, actionID, string(in.RAG), in.Rationale, in.On, s.d.ts(s.now()), u.ID, in.Version)
		} else {
			// An earlier note, recorded late: the rating stays the latest's.
			res, err = tx.ExecContext(ctx, `UPDATE plan_actions SET version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $1 AND version = $4`,
				actionID, s.d.ts(s.now()), u.ID, in.Version)
		}
		if err != nil {
			return internal("rate action", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lantern.Errorf(lantern.ECONFLICT, "Someone else changed this action while you were writing: read its latest notes and rate it again")
		}
		tx.audit(auditEntry{Action: "strategy.action.note", Entity: "plan-action", EntityID: actionID,
			Detail: fmt.Sprintf("note=%s rag=%s suggested=%s override=%t", id, in.RAG, suggested, in.OverrideReason != "")})
		out, err = s.planAction(ctx, tx, actionID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RecordBoard records a board: a snapshot of every action's rating as it
// is now, which the next board's view compares with.
func (s *Store) RecordBoard(ctx context.Context, in lantern.BoardInput) (*lantern.Board, error) {
	if err := may(ctx, lantern.ResStrategy, lantern.ActChange); err != nil {
		return nil, err
	}
	if err := lantern.CheckBoard(&in, lantern.Today(s.now())); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	b := &lantern.Board{ID: newID(), Title: in.Title, HeldOn: in.HeldOn, RecordedAt: s.now(), RecordedBy: u.ID, Ratings: map[string]lantern.PlanRAG{}}
	err := s.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO strategy_boards (id, title, held_on, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)`,
			b.ID, b.Title, b.HeldOn, s.d.ts(b.RecordedAt), u.ID); err != nil {
			return internal("record board", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO strategy_board_ratings (board_id, action_id, rag) SELECT $1, id, rag FROM plan_actions`, b.ID); err != nil {
			return internal("board ratings", err)
		}
		ratings, err := s.boardRatings(ctx, tx, b.ID)
		if err != nil {
			return err
		}
		b.Ratings = ratings
		tx.audit(auditEntry{Action: "strategy.board.record", Entity: "board", EntityID: b.ID, Detail: fmt.Sprintf("held_on=%s actions=%d", b.HeldOn, len(ratings))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

func (s *Store) boardRatings(ctx context.Context, q querier, boardID string) (map[string]lantern.PlanRAG, error) {
	rows, err := collect(ctx, q, "board ratings", `SELECT action_id, rag FROM strategy_board_ratings WHERE board_id = $1`,
		func(r scanner) ([2]string, error) {
			var x [2]string
			return x, r.Scan(&x[0], &x[1])
		}, boardID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]lantern.PlanRAG, len(rows))
	for _, r := range rows {
		out[r[0]] = lantern.PlanRAG(r[1])
	}
	return out, nil
}

// Boards lists the boards recorded, latest first.
func (s *Store) boards(ctx context.Context, q querier) ([]*lantern.Board, error) {
	return collect(ctx, q, "boards", `SELECT id, title, held_on, recorded_at, recorded_by FROM strategy_boards ORDER BY held_on DESC, recorded_at DESC, id DESC`,
		func(r scanner) (*lantern.Board, error) {
			var b lantern.Board
			return &b, r.Scan(&b.ID, &b.Title, &b.HeldOn, timeScan{&b.RecordedAt}, &b.RecordedBy)
		})
}

// StrategyBoard is the board view: each strand's actions counted by
// rating now, and the actions whose rating changed since the latest board
// (every action, as new, when there has been none), with the boards
// recorded.
func (s *Store) StrategyBoard(ctx context.Context) (*lantern.BoardView, error) {
	if err := may(ctx, lantern.ResStrategy, lantern.ActRead); err != nil {
		return nil, err
	}
	strands, err := s.strands(ctx, s.db)
	if err != nil {
		return nil, err
	}
	boards, err := s.boards(ctx, s.db)
	if err != nil {
		return nil, err
	}
	v := &lantern.BoardView{Counts: lantern.CountByStrand(strands), Boards: boards, Changes: []lantern.RatingChange{}}
	ratings := map[string]lantern.PlanRAG{}
	if len(boards) > 0 {
		v.Since = boards[0]
		if ratings, err = s.boardRatings(ctx, s.db, v.Since.ID); err != nil {
			return nil, err
		}
	}
	v.Changes = lantern.ChangesSince(strands, ratings)
	return v, s.audited(ctx, auditEntry{Action: "strategy.board.read", Entity: "strategy", Detail: fmt.Sprintf("boards=%d", len(boards))})
}

// PlanLeads are the people who may lead an action: every account of the
// area not disabled, by name, with their agency; for those who keep the
// plan.
func (s *Store) PlanLeads(ctx context.Context) ([]lantern.Person, error) {
	if err := may(ctx, lantern.ResStrategy, lantern.ActChange); err != nil {
		return nil, err
	}
	return collect(ctx, s.db, "plan leads", `SELECT u.id, u.name || ' (' || a.name || ')' FROM users u JOIN agencies a ON a.id = u.agency_id
		WHERE NOT u.disabled ORDER BY u.name, u.id LIMIT 5000`, func(r scanner) (lantern.Person, error) {
		var p lantern.Person
		return p, r.Scan(&p.ID, &p.Name)
	})
}
