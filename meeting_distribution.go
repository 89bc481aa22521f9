package lantern

import "slices"

// Sending a held meeting's minutes and toolkit, as a plan: PlanDistribution
// says which shares the pathway requires (docs/pathway.md, "After a CSE
// strategy meeting"); the store records each (store.Distribute), and
// GroupDistribution makes one email a recipient of the shares recorded.

// Purposes of the pathway's sends, as recorded on each share.
const (
	PurposeMinutes     = "Minutes of the meeting, for those invited, to carry out its decisions and actions"
	PurposeCoordinator = "Completed toolkit sent to the CSE coordinator after the CSE strategy meeting (CSE pathway)"
	PurposeIRO         = "Completed toolkit sent to the principal manager of the IRO team after the CSE strategy meeting (CSE pathway)"
	// PurposePoliceToolkit is the toolkit sent to the police exploitation
	// unit with its invitation to a CSE strategy meeting.
	PurposePoliceToolkit = "The police exploitation unit is invited to the CSE strategy meeting and sent the completed toolkit (CSE pathway)"
)

// PlannedShare is one send of a child's information to someone.
type PlannedShare struct {
	ChildID      string
	What         string // minutes, toolkit
	AssessmentID string
	To           Invitee
	Purpose      string
}

// PlanDistribution plans the sends the pathway requires after a meeting is
// held: its minutes, for each child, to everyone invited (not those taken
// off the list) and, after a CSE strategy meeting, each child's latest
// toolkit (latest: by child; a child with none is left out) to the
// directory's CSE coordinators and principal managers of the independent
// reviewing officers.
func PlanDistribution(m *Meeting, latest map[string]string, coordinators, iroManagers []*Contact) ([]PlannedShare, error) {
	if m.Status != MeetingHeld {
		return nil, Invalid(FieldError{Field: "status", Message: "Record the meeting's outcome before sending its minutes"})
	}
	var out []PlannedShare
	for _, v := range m.Invitees {
		if v.Removed {
			continue
		}
		for _, c := range m.ChildIDs {
			out = append(out, PlannedShare{ChildID: c, What: "minutes", To: v, Purpose: PurposeMinutes})
		}
	}
	if m.Kind != MeetingCSEStrategy {
		return out, nil
	}
	for _, r := range []struct {
		role     PathwayRole
		contacts []*Contact
		purpose  string
	}{{PathwayCSECoordinator, coordinators, PurposeCoordinator}, {PathwayIROManager, iroManagers, PurposeIRO}} {
		for _, c := range r.contacts {
			to := Invitee{ContactID: c.ID, Name: c.Name, Email: c.Email, Agency: c.AgencyName, AgencyID: c.AgencyID, Role: string(r.role)}
			for _, child := range m.ChildIDs {
				if aid, ok := latest[child]; ok {
					out = append(out, PlannedShare{ChildID: child, What: "toolkit", AssessmentID: aid, To: to, Purpose: r.purpose})
				}
			}
		}
	}
	return out, nil
}

// GroupDistribution makes one email for each recipient of the shares
// recorded (ids: the shares' ids, in order), in the order they first
// appear, saying what it carries.
func GroupDistribution(shares []PlannedShare, ids []string) []Distribution {
	var ds []Distribution
	byEmail := map[string]int{}
	for i, sh := range shares {
		j, ok := byEmail[sh.To.Email]
		if !ok {
			j = len(ds)
			byEmail[sh.To.Email] = j
			ds = append(ds, Distribution{To: sh.To})
		}
		if !slices.Contains(ds[j].What, sh.What) {
			ds[j].What = append(ds[j].What, sh.What)
		}
		ds[j].ShareIDs = append(ds[j].ShareIDs, ids[i])
	}
	return ds
}
