package store

import (
	"context"
	"fmt"
	"strings"

	"lantern"
)

// Allocated is a child after an allocation, and the tasks it moved.
type Allocated struct {
	Child      *lantern.Child `json:"child"`
	TasksMoved []string       `json:"tasks_moved"`
}

// allocatable is the condition on users u that a worker may be allocated a
// child: a social worker of children's social care whose account is in use.
const allocatable = `NOT u.disabled AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'social-worker')
	AND EXISTS (SELECT 1 FROM agencies a WHERE a.id = u.agency_id AND a.kind = 'childrens-social-care')`

// AllocatableWorkers lists the social workers a child may be allocated to,
// by name, for those who may allocate.
func (s *Store) AllocatableWorkers(ctx context.Context) ([]lantern.Person, error) {
	u := lantern.UserFromContext(ctx)
	if !lantern.Allowed(u, lantern.ResChild, lantern.ActAllocate, lantern.RelOther) && !lantern.Allowed(u, lantern.ResChild, lantern.ActAllocate, lantern.RelInvolved) {
		return nil, lantern.Refusal(lantern.ResChild, lantern.ActAllocate)
	}
	return collect(ctx, s.db, "allocatable workers", `SELECT u.id, u.name FROM users u WHERE `+allocatable+` ORDER BY u.name, u.id`,
		func(r scanner) (lantern.Person, error) {
			var p lantern.Person
			return p, r.Scan(&p.ID, &p.Name)
		})
}

// AllocateChild makes a.WorkerID the child's allocated social worker, if
// a.Version is current, and with a.MoveTasks gives the new worker the open
// tasks the worker before held for the child. Only children's social care
// managers may (the policy's allocate rule). A stale version gets
// ECONFLICT carrying the record as it now is; a worker who is not a social
// worker of children's social care, EINVALID naming worker_id.
func (s *Store) AllocateChild(ctx context.Context, childID string, a lantern.Allocation) (*Allocated, error) {
	u := lantern.UserFromContext(ctx)
	now := s.now()
	a.WorkerID = strings.TrimSpace(a.WorkerID)
	out := &Allocated{TasksMoved: []string{}}
	err := s.write(ctx, func(tx *tx) error {
		cur, err := s.findChild(ctx, tx, childID, true)
		if err != nil {
			return err
		}
		if err := mayChild(ctx, cur, lantern.ResChild, lantern.ActAllocate); err != nil {
			return err
		}
		if err := a.Check(); err != nil {
			return err
		}
		if cur.MergedInto != "" {
			return lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: allocate that one")
		}
		if cur.Version != a.Version {
			return &lantern.Error{Code: lantern.ECONFLICT, Message: "Someone else changed this record while you were allocating it", Current: cur}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users u WHERE u.id = $1 AND `+allocatable, a.WorkerID).Scan(&n); err != nil {
			return internal("check worker", err)
		}
		if n == 0 {
			return lantern.Invalid(lantern.FieldError{Field: "worker_id", Message: "Select a social worker in children's social care"})
		}
		before := cur.AllocatedSocialWorkerID
		out.Child = cur
		if before != a.WorkerID {
			if _, err := tx.ExecContext(ctx, `UPDATE children SET allocated_social_worker_id = $1, version = version + 1, updated_at = $2, updated_by = $3
				WHERE id = $4 AND version = $5`, a.WorkerID, s.d.ts(now), u.ID, childID, a.Version); err != nil {
				return internal("allocate", err)
			}
			c := *cur
			c.AllocatedSocialWorkerID, c.Version, c.UpdatedAt, c.UpdatedBy = a.WorkerID, cur.Version+1, now.UTC().Truncate(1000), u.ID
			out.Child = &c
		}
		if a.MoveTasks && before != "" && before != a.WorkerID {
			ids, err := collect(ctx, tx, "tasks to move", `SELECT id FROM tasks WHERE child_id = $1 AND assignee_id = $2 AND status = 'open' ORDER BY due_at, id`,
				func(r scanner) (string, error) {
					var id string
					return id, r.Scan(&id)
				}, childID, before)
			if err != nil {
				return err
			}
			if len(ids) > 0 {
				args := []any{a.WorkerID}
				if _, err := tx.ExecContext(ctx, `UPDATE tasks SET assignee_id = $1, version = version + 1 WHERE id IN (`+inList(&args, ids)+`)`, args...); err != nil {
					return internal("move tasks", err)
				}
			}
			for _, id := range ids {
				tx.audit(auditEntry{Action: "task.reassign", Entity: "task", EntityID: id, ChildID: childID, Detail: "from=" + before + " to=" + a.WorkerID})
			}
			out.TasksMoved = ids
		}
		if before != a.WorkerID || len(out.TasksMoved) > 0 {
			tx.audit(auditEntry{Action: "child.allocate", Entity: "child", EntityID: childID, ChildID: childID,
				Detail: fmt.Sprintf("from=%s to=%s tasks_moved=%d", before, a.WorkerID, len(out.TasksMoved))})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
