package store

import (
	"context"

	"lantern"
	"lantern/toolkit"
)

// ChildRecord is everything a child's page shows.
type ChildRecord struct {
	Child       *lantern.Child
	Concerns    []*lantern.Concern
	Assessments []*toolkit.Assessment
	Tasks       []*lantern.Task
	Lists       *lantern.ChildLists
	Episodes    []*lantern.MissingEpisode
	Meetings    []*lantern.MeetingSummary
	Events      *lantern.ChildEvents
}

// childRecordMeetings is how many of the latest meetings the record holds.
const childRecordMeetings = 20

// ChildRecord reads a child's whole record: the same reads, and the same
// audit entries, as reading each part on its own, but the entries commit
// together, so the page waits for one commit rather than eight.
func (s *Store) ChildRecord(ctx context.Context, id string) (*ChildRecord, error) {
	r := &ChildRecord{}
	err := s.ReadTogether(ctx, func(ctx context.Context) error {
		var err error
		if r.Child, err = s.FindChildByID(ctx, id); err != nil {
			return err
		}
		if r.Child.MergedInto != "" {
			return nil // its page leads to the record kept, which holds its history
		}
		if r.Concerns, err = s.Concerns(ctx, id); err != nil {
			return err
		}
		if r.Assessments, err = s.Assessments(ctx, id); err != nil {
			return err
		}
		if r.Tasks, err = s.ChildTasks(ctx, id); err != nil {
			return err
		}
		if r.Lists, err = s.ChildLists(ctx, id); err != nil {
			return err
		}
		if r.Episodes, err = s.Episodes(ctx, id); err != nil {
			return err
		}
		if r.Meetings, err = s.Meetings(ctx, lantern.MeetingFilter{ChildID: id, Newest: true, Limit: childRecordMeetings}); err != nil {
			return err
		}
		r.Events, err = s.ChildEvents(ctx, id)
		return err
	})
	if err != nil { // nothing read is returned unless its entries are durable
		return nil, err
	}
	return r, nil
}
