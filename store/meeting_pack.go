package store

import (
	"context"
	"time"

	"lantern"
)

// PackChild is a child as the meeting pack shows them.
type PackChild struct {
	Child     *lantern.Child
	Level     string // the latest of the toolkit's recorded level and a meeting's decision; "" when none
	LevelOn   lantern.Date
	LevelFrom string // "toolkit" or "meeting"
	Concerns  []*lantern.Concern
}

// PackAction is an outstanding action about a child on the meeting.
type PackAction struct {
	lantern.MeetingAction
	MeetingKind string
	MeetingOn   time.Time
	AgencyName  string
}

// MeetingPack is what the printed pack for a meeting holds.
type MeetingPack struct {
	Meeting  *lantern.Meeting
	Children []PackChild
	Actions  []PackAction
}

// packConcerns is how many recent concerns a pack shows per child.
const packConcerns = 10

// FindMeetingPack gathers a meeting's pack: each child's current level and
// recent concerns, and the actions outstanding from meetings about them.
// The read is audited for each child.
func (s *Store) FindMeetingPack(ctx context.Context, id string) (*MeetingPack, error) {
	m, err := s.meeting(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	p := &MeetingPack{Meeting: m}
	for _, cid := range m.ChildIDs {
		c, err := s.findChild(ctx, s.db, cid, false)
		if err != nil {
			return nil, err
		}
		pc := PackChild{Child: c}
		var level string
		var on lantern.Date
		if err := s.db.QueryRowContext(ctx, `SELECT recorded_level, assessed_on FROM assessments WHERE child_id = $1
			ORDER BY assessed_on DESC, created_at DESC LIMIT 1`, cid).Scan(&level, &on); err == nil {
			pc.Level, pc.LevelOn, pc.LevelFrom = level, on, "toolkit"
		}
		var at time.Time
		if err := s.db.QueryRowContext(ctx, `SELECT d.level, m.starts_at FROM meeting_decisions d JOIN meetings m ON m.id = d.meeting_id
			WHERE d.child_id = $1 AND m.status = 'held' ORDER BY m.starts_at DESC LIMIT 1`, cid).Scan(&level, timeScan{&at}); err == nil {
			if d := lantern.DateOf(at.In(lantern.London)); pc.Level == "" || !d.Before(pc.LevelOn) {
				pc.Level, pc.LevelOn, pc.LevelFrom = level, d, "meeting"
			}
		}
		rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.raised_at, COALESCE(a.name, ''), c.summary FROM concerns c
			LEFT JOIN agencies a ON a.id = c.agency_id WHERE c.child_id = $1 ORDER BY c.raised_at DESC, c.id LIMIT $2`, cid, packConcerns)
		if err != nil {
			return nil, internal("pack concerns", err)
		}
		for rows.Next() {
			cn := &lantern.Concern{ChildID: cid}
			if err := rows.Scan(&cn.ID, timeScan{&cn.RaisedAt}, &cn.AgencyName, &cn.Summary); err != nil {
				rows.Close()
				return nil, internal("pack concerns", err)
			}
			pc.Concerns = append(pc.Concerns, cn)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal("pack concerns", err)
		}
		p.Children = append(p.Children, pc)
	}
	if len(m.ChildIDs) > 0 {
		// Actions from other meetings about these children, from those
		// meetings the caller may see.
		args := []any{}
		visible, ok := s.meetingVisible(ctx, &args, "mt.id")
		if !ok {
			return nil, lantern.NotFound("Meeting")
		}
		in := inList(&args, m.ChildIDs)
		rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT ma.id, ma.description, ma.owner_id, COALESCE(u.name, ''), ma.agency_id, COALESCE(ag.name, ''),
			ma.due_date, ma.task_id, mt.kind, mt.starts_at
			FROM meeting_actions ma JOIN meetings mt ON mt.id = ma.meeting_id JOIN meeting_children mc ON mc.meeting_id = mt.id
			LEFT JOIN users u ON u.id = ma.owner_id LEFT JOIN agencies ag ON ag.id = ma.agency_id LEFT JOIN tasks t ON t.id = ma.task_id
			WHERE mc.child_id IN (`+in+`) AND `+visible+` AND COALESCE(t.status, ma.status) = 'open' ORDER BY ma.due_date, ma.id`, args...)
		if err != nil {
			return nil, internal("pack actions", err)
		}
		defer rows.Close()
		for rows.Next() {
			var a PackAction
			if err := rows.Scan(&a.ID, &a.Description, &a.Owner, &a.OwnerName, &a.AgencyID, &a.AgencyName, &a.DueDate, &a.TaskID,
				&a.MeetingKind, timeScan{&a.MeetingOn}); err != nil {
				return nil, internal("pack actions", err)
			}
			a.Status = lantern.TaskOpen
			p.Actions = append(p.Actions, a)
		}
		if err := rows.Err(); err != nil {
			return nil, internal("pack actions", err)
		}
	}
	return p, s.auditedChildren(ctx, auditEntry{Action: "meeting.pack", Entity: "meeting", EntityID: id}, m.ChildIDs)
}
