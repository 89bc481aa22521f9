package lantern

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Possible duplicates: two records that may be one child, found when the
// newer was made by a search of every record, whatever its maker could see.
// Children's social care's managers and the CSE coordinator review them
// (docs/duplicates.md); the maker is never told of a record they may not see.

// DuplicateStatus is where a possible duplicate is: waiting for review,
// found not to be one child, or merged.
type DuplicateStatus string

const (
	DuplicateOpen      DuplicateStatus = "open"
	DuplicateDismissed DuplicateStatus = "dismissed"
	DuplicateMerged    DuplicateStatus = "merged"
)

// DuplicateStatuses lists every status, in the order shown.
var DuplicateStatuses = []DuplicateStatus{DuplicateOpen, DuplicateDismissed, DuplicateMerged}

func (s DuplicateStatus) Valid() bool { return slices.Contains(DuplicateStatuses, s) }

// Label is the status in words.
func (s DuplicateStatus) Label() string {
	return labelOf(s, map[DuplicateStatus]string{DuplicateOpen: "To review", DuplicateDismissed: "Not the same child",
		DuplicateMerged: "Merged"})
}

// PossibleDuplicate is a pair of records that may be one child. ChildIDs
// are in a fixed order (the lesser id first), so a pair is held once.
type PossibleDuplicate struct {
	ID        string          `json:"id"`
	ChildIDs  [2]string       `json:"child_ids"`
	Score     float64         `json:"score"`
	Reasons   []string        `json:"reasons"`
	FoundAt   time.Time       `json:"found_at"`
	Status    DuplicateStatus `json:"status"`
	DecidedBy string          `json:"decided_by,omitempty"`
	DecidedAt *time.Time      `json:"decided_at,omitempty"`
	Reason    string          `json:"reason,omitempty"` // why they are not the same child
}

// DuplicatePair orders two children's ids as a pair is held.
func DuplicatePair(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// MaxDismissReason is the longest reason for a dismissal, in characters.
const MaxDismissReason = 2000

// CheckDismissal checks the decision that two records are not one child:
// two different records, and a reason.
func CheckDismissal(ids [2]string, reason string) error {
	var p Problems
	if ids[0] == "" || ids[1] == "" || ids[0] == ids[1] {
		p.Add("child_ids", "Give the two records of the pair")
	}
	switch r := strings.TrimSpace(reason); {
	case r == "":
		p.Add("reason", "Say why these are not the same child")
	case utf8.RuneCountInString(r) > MaxDismissReason:
		p.Add("reason", "The reason must be 2000 characters or fewer")
	}
	return p.Err()
}

// Allocation moves a child's allocated social worker, and with MoveTasks
// the open tasks the worker before held for the child to the new one.
type Allocation struct {
	WorkerID  string
	MoveTasks bool
	Version   int
}

// Check checks an allocation's form: a worker chosen, and the version of
// the record it was chosen on.
func (a Allocation) Check() error {
	var p Problems
	if strings.TrimSpace(a.WorkerID) == "" {
		p.Add("worker_id", "Select the social worker to allocate")
	}
	if a.Version < 1 {
		p.Add("version", "Give the version of the record you are changing")
	}
	return p.Err()
}
