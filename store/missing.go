package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"lantern"
	"lantern/clocks"
)

const episodeCols = `e.id, e.child_id, e.kind, e.missing_from, e.reported_by, e.reported_at, e.police_reference, e.returned_at,
	e.returned_where, e.returned_with, e.presentation, e.presentation_notes, e.looked_after, e.placement, e.placing_authority_informed, e.version,
	COALESCE(ri.id, ''), ri.offered_at, ri.held_at, COALESCE(ri.held_by, ''), COALESCE(ri.child_said, ''), COALESCE(ri.follow_up, '[]'), COALESCE(ri.not_held_reason, '')`

const episodeFrom = ` FROM missing_episodes e LEFT JOIN return_interviews ri ON ri.episode_id = e.id`

func (s *Store) scanEpisode(ctx context.Context, r scanner, canRead bool) (*lantern.MissingEpisode, error) {
	var e lantern.MissingEpisode
	var pres, follow string
	var ri lantern.ReturnInterview
	if err := r.Scan(&e.ID, &e.ChildID, &e.Kind, timeScan{&e.MissingFrom}, &e.ReportedBy, ntimeScan{&e.ReportedAt}, &e.PoliceReference,
		ntimeScan{&e.ReturnedAt}, &e.ReturnedWhere, &e.ReturnedWith, &pres, &e.PresentationNotes, &e.LookedAfter, &e.Placement,
		ntimeScan{&e.PlacingAuthorityInformed}, &e.Version,
		&ri.ID, ntimeScan{&ri.OfferedAt}, ntimeScan{&ri.HeldAt}, &ri.HeldBy, &ri.ChildSaid, &follow, &ri.NotHeldReason); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(pres), &e.Presentation); err != nil {
		return nil, err
	}
	if ri.ID != "" {
		if err := json.Unmarshal([]byte(follow), &ri.FollowUp); err != nil {
			return nil, err
		}
		var err error
		if ri.ChildSaid, err = s.open(ctx, "return_interviews", "child_said", ri.ID, ri.ChildSaid); err != nil {
			return nil, err
		}
		if !canRead && ri.ChildSaid != "" {
			ri.ChildSaid, ri.Restricted = "", true
		}
		e.Interview = &ri
	}
	if e.Presentation == nil {
		e.Presentation = []string{}
	}
	e.Tasks = []*lantern.Task{}
	return &e, nil
}

// episodes reads episodes of child; what the child said in a return
// interview only for those who may read it.
func (s *Store) episodes(ctx context.Context, q querier, child *lantern.Child, where string, args ...any) ([]*lantern.MissingEpisode, error) {
	u := lantern.UserFromContext(ctx)
	canRead := lantern.Allowed(u, lantern.ResReturnAccount, lantern.ActRead, lantern.ChildRelation(u, child.AgencyIDs))
	rows, err := q.QueryContext(ctx, `SELECT `+episodeCols+episodeFrom+` WHERE `+where+` ORDER BY e.missing_from DESC, e.id`, args...)
	if err != nil {
		return nil, internal("missing episodes", err)
	}
	defer rows.Close()
	out := []*lantern.MissingEpisode{}
	for rows.Next() {
		e, err := s.scanEpisode(ctx, rows, canRead)
		if err != nil {
			return nil, internal("missing episodes", err)
		}
		out = append(out, e)
	}
	return out, internal("missing episodes", rows.Err())
}

// overlaps refuses an episode that overlaps another of the child's: each
// runs from going missing to the return, or on without end while open.
func (s *Store) overlaps(ctx context.Context, tx *tx, child *lantern.Child, exceptID string, from time.Time, until *time.Time) error {
	es, err := s.episodes(ctx, tx, child, `e.child_id = $1 AND e.id <> $2`, child.ID, exceptID)
	if err != nil {
		return err
	}
	for _, o := range es {
		endsBefore := until != nil && !until.After(o.MissingFrom)
		startsAfter := o.ReturnedAt != nil && !from.Before(*o.ReturnedAt)
		if !endsBefore && !startsAfter {
			field := "missing_from"
			if until != nil && from.Before(o.MissingFrom) {
				field = "returned_at"
			}
			return lantern.Invalid(lantern.FieldError{Field: field,
				Message: "This overlaps another episode for the child, from " + o.MissingFrom.In(lantern.London).Format("2 January 2006 15:04")})
		}
	}
	return nil
}

// CreateEpisode records a missing or absent episode, open or already
// returned. A return starts the 72-hour return interview clock.
func (s *Store) CreateEpisode(ctx context.Context, childID string, in lantern.EpisodeInput) (*lantern.MissingEpisode, error) {
	now := s.now()
	if err := in.Validate(now); err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	var out *lantern.MissingEpisode
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.eventChild(ctx, tx, childID, lantern.ResEpisode, lantern.ActCreate)
		if err != nil {
			return err
		}
		if err := s.overlaps(ctx, tx, child, "", in.MissingFrom, in.ReturnedAt); err != nil {
			return err
		}
		id := newID()
		pres, _ := json.Marshal(orEmpty(in.Presentation))
		if _, err := tx.ExecContext(ctx, `INSERT INTO missing_episodes (id, child_id, kind, missing_from, reported_by, reported_at, police_reference,
			returned_at, returned_where, returned_with, presentation, presentation_notes, looked_after, placement, placing_authority_informed,
			version, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $17)`,
			id, childID, in.Kind, s.d.ts(in.MissingFrom), strings.TrimSpace(in.ReportedBy), s.d.nts(in.ReportedAt), strings.TrimSpace(in.PoliceReference),
			s.d.nts(in.ReturnedAt), strings.TrimSpace(in.ReturnedWhere), strings.TrimSpace(in.ReturnedWith), string(pres), in.PresentationNotes,
			child.LookedAfter, strings.TrimSpace(in.Placement), s.d.nts(in.PlacingAuthorityInformed), u.ID, s.d.ts(now)); err != nil {
			return internal("insert episode", err)
		}
		var tasks []*lantern.Task
		if in.ReturnedAt != nil {
			t, err := s.startReturnClock(ctx, tx, child, *in.ReturnedAt, id)
			if err != nil {
				return err
			}
			tasks = appendTask(tasks, t)
		}
		tx.audit(auditEntry{Action: "missing.create", Entity: "missing_episode", EntityID: id, ChildID: childID,
			Detail: "kind=" + in.Kind + " returned=" + boolText(in.ReturnedAt != nil)})
		es, err := s.episodes(ctx, tx, child, `e.id = $1`, id)
		if err != nil {
			return err
		}
		out = es[0]
		out.Tasks = orEmptyTasks(tasks)
		return nil
	})
	return out, err
}

func orEmpty(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func orEmptyTasks(ts []*lantern.Task) []*lantern.Task {
	if ts == nil {
		return []*lantern.Task{}
	}
	return ts
}

func (s *Store) startReturnClock(ctx context.Context, tx *tx, child *lantern.Child, returned time.Time, episodeID string) (*lantern.Task, error) {
	cal, err := s.workCalendar(ctx, tx)
	if err != nil {
		return nil, err
	}
	return s.startClock(ctx, tx, cal, child, clocks.ReturnInterview, returned, "missing-episode", episodeID)
}

// RecordReturn records that a missing child returned or was found. The
// version must be current: a return on an episode already closed is stale.
func (s *Store) RecordReturn(ctx context.Context, childID, id string, version int, in lantern.ReturnInput) (*lantern.MissingEpisode, error) {
	now := s.now()
	var p lantern.Problems
	lantern.CheckEventTime(&p, "returned_at", in.ReturnedAt, now)
	// The rest as for an episode recorded with its return (the time it
	// began is checked against the record below).
	check := lantern.EpisodeInput{Kind: "missing", MissingFrom: now, ReturnedWhere: in.ReturnedWhere, ReturnedWith: in.ReturnedWith,
		Presentation: in.Presentation, PresentationNotes: in.PresentationNotes, PlacingAuthorityInformed: in.PlacingAuthorityInformed}
	p = append(p, lantern.ErrorFields(check.Validate(now))...)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *lantern.MissingEpisode
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.eventChild(ctx, tx, childID, lantern.ResEpisode, lantern.ActChange)
		if err != nil {
			return err
		}
		es, err := s.episodes(ctx, tx, child, `e.id = $1 AND e.child_id = $2`, id, childID)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			return lantern.NotFound("Missing episode")
		}
		e := es[0]
		if e.Version != version || !e.Open() {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "This episode has changed, or the return is already recorded: look again", Current: e}
		}
		if in.ReturnedAt.Before(e.MissingFrom) {
			return lantern.Invalid(lantern.FieldError{Field: "returned_at", Message: "The return cannot be before the child went missing"})
		}
		if err := s.overlaps(ctx, tx, child, id, e.MissingFrom, &in.ReturnedAt); err != nil {
			return err
		}
		pres, _ := json.Marshal(orEmpty(in.Presentation))
		if _, err := tx.ExecContext(ctx, `UPDATE missing_episodes SET returned_at = $1, returned_where = $2, returned_with = $3, presentation = $4,
			presentation_notes = $5, placing_authority_informed = COALESCE($6, placing_authority_informed), version = version + 1
			WHERE id = $7 AND version = $8`, s.d.ts(in.ReturnedAt), strings.TrimSpace(in.ReturnedWhere), strings.TrimSpace(in.ReturnedWith),
			string(pres), in.PresentationNotes, s.d.nts(in.PlacingAuthorityInformed), id, version); err != nil {
			return internal("record return", err)
		}
		t, err := s.startReturnClock(ctx, tx, child, in.ReturnedAt, id)
		if err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "missing.return", Entity: "missing_episode", EntityID: id, ChildID: childID})
		es, err = s.episodes(ctx, tx, child, `e.id = $1`, id)
		if err != nil {
			return err
		}
		out = es[0]
		out.Tasks = orEmptyTasks(appendTask(nil, t))
		return nil
	})
	return out, err
}

// RecordInterview records the return interview after an episode: held (by
// an independent person, with what the child said and what follows), which
// stops the clock; or not held and why, which closes it with the reason.
func (s *Store) RecordInterview(ctx context.Context, childID, episodeID string, in lantern.InterviewInput) (*lantern.MissingEpisode, error) {
	now := s.now()
	var p lantern.Problems
	in.HeldBy = strings.TrimSpace(in.HeldBy)
	switch {
	case in.HeldAt == nil && in.NotHeldReason == "":
		p.Add("held_at", "Give when the interview was held, or why it was not")
	case in.HeldAt != nil && in.NotHeldReason != "":
		p.Add("not_held_reason", "An interview that was held needs no reason for not being held")
	case in.HeldAt != nil:
		lantern.CheckEventTime(&p, "held_at", *in.HeldAt, now)
		if in.HeldBy == "" {
			p.Add("held_by", "Give the independent person who held the interview")
		} else if len(in.HeldBy) > 200 {
			p.Add("held_by", "The interviewer's name must be 200 characters or fewer")
		}
	case !slices.Contains(lantern.NotHeldReasons, in.NotHeldReason):
		p.Add("not_held_reason", "The reason must be declined or not-reachable")
	}
	if in.OfferedAt != nil {
		lantern.CheckEventTime(&p, "offered_at", *in.OfferedAt, now)
	}
	for _, f := range in.FollowUp {
		if !slices.Contains(lantern.FollowUps, f) {
			p.Add("follow_up", "Unknown follow-up "+f+": use "+strings.Join(lantern.FollowUps, ", "))
			break
		}
	}
	if len(in.ChildSaid) > 20000 {
		p.Add("child_said", "What the young person said must be 20000 characters or fewer")
	} else if strings.ContainsFunc(in.ChildSaid, func(r rune) bool { return (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f }) {
		p.Add("child_said", "What the young person said must not contain control characters")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *lantern.MissingEpisode
	err := s.write(ctx, func(tx *tx) error {
		child, err := s.eventChild(ctx, tx, childID, lantern.ResEpisode, lantern.ActChange)
		if err != nil {
			return err
		}
		es, err := s.episodes(ctx, tx, child, `e.id = $1 AND e.child_id = $2`, episodeID, childID)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			return lantern.NotFound("Missing episode")
		}
		e := es[0]
		if e.Open() {
			return lantern.Invalid(lantern.FieldError{Field: "held_at", Message: "Record the child's return first"})
		}
		if e.Interview != nil {
			return lantern.Errorf(lantern.ECONFLICT, "The return interview is already recorded")
		}
		if in.HeldAt != nil && in.HeldAt.Before(*e.ReturnedAt) {
			return lantern.Invalid(lantern.FieldError{Field: "held_at", Message: "The interview cannot be before the return"})
		}
		follow, _ := json.Marshal(orEmpty(in.FollowUp))
		riID := newID()
		said, err := s.seal(ctx, "return_interviews", "child_said", riID, in.ChildSaid)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO return_interviews (id, episode_id, child_id, offered_at, held_at, held_by, child_said, follow_up,
			not_held_reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			riID, episodeID, childID, s.d.nts(in.OfferedAt), s.d.nts(in.HeldAt), in.HeldBy, said, string(follow), in.NotHeldReason,
			lantern.UserFromContext(ctx).ID, s.d.ts(now)); err != nil {
			return internal("insert interview", err)
		}
		start := now
		if in.HeldAt != nil {
			start = *in.HeldAt
			err = s.finishSourceTasks(ctx, tx, childID, clocks.ReturnInterview, episodeID, *in.HeldAt)
		} else {
			err = s.closeSourceTasks(ctx, tx, childID, clocks.ReturnInterview, episodeID, "no interview: "+in.NotHeldReason, now)
		}
		if err != nil {
			return err
		}
		// What follows becomes work (docs/pathway.md#decisions-make-work).
		if err := s.followUpWork(ctx, tx, childID, episodeID, in.FollowUp, start); err != nil {
			return err
		}
		tx.audit(auditEntry{Action: "missing.interview", Entity: "missing_episode", EntityID: episodeID, ChildID: childID,
			Detail: "held=" + boolText(in.HeldAt != nil) + " follow_up=" + strings.Join(in.FollowUp, ",")})
		es, err = s.episodes(ctx, tx, child, `e.id = $1`, episodeID)
		if err != nil {
			return err
		}
		out = es[0]
		return nil
	})
	return out, err
}

// Episodes lists a child's episodes, newest first. The read is audited.
func (s *Store) Episodes(ctx context.Context, childID string) ([]*lantern.MissingEpisode, error) {
	child, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	es, err := s.episodes(ctx, s.db, child, `e.child_id = $1`, childID)
	if err != nil {
		return nil, err
	}
	return es, s.audited(ctx, auditEntry{Action: "missing.list", Entity: "missing_episode", ChildID: childID})
}

// Episode reads one of a child's episodes, with the tasks it started.
func (s *Store) Episode(ctx context.Context, childID, id string) (*lantern.MissingEpisode, error) {
	child, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	es, err := s.episodes(ctx, s.db, child, `e.child_id = $1 AND e.id = $2`, childID, id)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, lantern.NotFound("Missing episode")
	}
	if es[0].Tasks, err = s.eventTasks(ctx, childID, "missing-episode", id); err != nil { // the return interview's
		return nil, err
	}
	return es[0], s.audited(ctx, auditEntry{Action: "missing.read", Entity: "missing_episode", EntityID: id, ChildID: childID})
}

// MissingFigures counts episodes by the month they began (London), between
// two dates, for the whole area: counts only, no child named.
func (s *Store) MissingFigures(ctx context.Context, from, to lantern.Date) ([]lantern.MissingMonth, error) {
	if err := may(ctx, lantern.ResFigures, lantern.ActRead); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, lantern.Invalid(lantern.FieldError{Field: "to", Message: "The end of the period must be on or after its start"})
	}
	now := s.Now()
	rows, err := s.db.QueryContext(ctx, `SELECT e.child_id, e.looked_after, e.missing_from, e.returned_at, ri.id IS NOT NULL, ri.held_at
		FROM missing_episodes e LEFT JOIN return_interviews ri ON ri.episode_id = e.id
		WHERE e.missing_from >= $1 AND e.missing_from <= $2`, s.d.ts(from.Time()), s.d.ts(lantern.EndOfDay(to)))
	if err != nil {
		return nil, internal("missing figures", err)
	}
	defer rows.Close()
	type acc struct {
		counts   lantern.MissingCounts
		children map[string]int
	}
	months := map[string]*[2]acc{}
	for rows.Next() {
		var child string
		var lac bool
		var from time.Time
		var recorded bool
		var returned, held *time.Time
		if err := rows.Scan(&child, &lac, timeScan{&from}, ntimeScan{&returned}, &recorded, ntimeScan{&held}); err != nil {
			return nil, internal("missing figures", err)
		}
		m := from.In(lantern.London).Format("2006-01")
		if months[m] == nil {
			months[m] = &[2]acc{{children: map[string]int{}}, {children: map[string]int{}}}
		}
		groups := []int{0}
		if lac {
			groups = append(groups, 1)
		}
		for _, g := range groups {
			a := &months[m][g]
			a.counts.Episodes++
			a.children[child]++
			if returned != nil {
				a.counts.Returns++
				due, within := lantern.ReturnInterviewOutcome(*returned, recorded, held, now)
				if due {
					a.counts.ReturnsDue++
				}
				if within {
					a.counts.InterviewsIn72h++
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, internal("missing figures", err)
	}
	var out []lantern.MissingMonth
	for t := time.Date(from.Year, from.Month, 1, 0, 0, 0, 0, lantern.London); !lantern.DateOf(t).After(to); t = t.AddDate(0, 1, 0) {
		m := t.Format("2006-01")
		mm := lantern.MissingMonth{Month: m}
		if a := months[m]; a != nil {
			for g, into := range []*lantern.MissingCounts{&mm.All, &mm.LookedAfter} {
				*into = a[g].counts
				into.Children = len(a[g].children)
				for _, n := range a[g].children {
					if n >= 2 {
						into.RepeatChildren++
					}
				}
				if into.ReturnsDue > 0 {
					pc := float64(int(float64(into.InterviewsIn72h)*1000/float64(into.ReturnsDue)+0.5)) / 10
					into.PercentIn72h = &pc
				}
			}
		}
		out = append(out, mm)
	}
	return out, s.audited(ctx, auditEntry{Action: "report.missing", Detail: "from=" + from.String() + " to=" + to.String()})
}
