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
	Lists       *ChildLists
	Episodes    []*lantern.MissingEpisode
	Meetings    []*MeetingSummary
	Events      *ChildEvents
}

// childRecordMeetings is how many of the latest meetings the record holds.
const childRecordMeetings = 20

// ChildRecord reads a child's whole record: the same reads, and the same
// audit entries, as reading each part on its own, but the entries commit
// together, so the page waits for one commit rather than eight.
func (s *Store) ChildRecord(ctx context.Context, id string) (*ChildRecord, error) {
	bctx, commit := s.batchReads(ctx)
	r := &ChildRecord{}
	var err error
	if r.Child, err = s.FindChildByID(bctx, id); err != nil {
		return nil, err
	}
	if r.Concerns, err = s.Concerns(bctx, id); err != nil {
		return nil, err
	}
	if r.Assessments, err = s.Assessments(bctx, id); err != nil {
		return nil, err
	}
	if r.Tasks, err = s.ChildTasks(bctx, id); err != nil {
		return nil, err
	}
	if r.Lists, err = s.ChildLists(bctx, id); err != nil {
		return nil, err
	}
	if r.Episodes, err = s.Episodes(bctx, id); err != nil {
		return nil, err
	}
	if r.Meetings, err = s.Meetings(bctx, MeetingFilter{ChildID: id, Newest: true, Limit: childRecordMeetings}); err != nil {
		return nil, err
	}
	if r.Events, err = s.ChildEvents(bctx, id); err != nil {
		return nil, err
	}
	// Nothing read above is returned unless its entries are durable.
	if err := commit(); err != nil {
		return nil, err
	}
	return r, nil
}
