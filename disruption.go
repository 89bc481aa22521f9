package lantern

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Disruption and prosecution (issue 14): what was done against a person of
// concern — warning notices, civil orders, arrests, charges and court
// outcomes — and the children each concerns. The police record them; the
// police, analysts and the CSE coordinator read them; the partnership counts
// them with no child named ("offenders brought to justice").

// DisruptionKind is what was done.
type DisruptionKind string

const (
	// DisruptCAWN is a child abduction warning notice: it names a child under
	// 16, or under 18 and looked after, whom the person must keep away from.
	DisruptCAWN DisruptionKind = "cawn"
	DisruptSRO  DisruptionKind = "sexual-risk-order"
	DisruptSHPO DisruptionKind = "sexual-harm-prevention-order"
	// DisruptCivilOrder is any other civil order, by its name (a stalking
	// protection order, a criminal behaviour order).
	DisruptCivilOrder DisruptionKind = "other-civil-order"
	// DisruptClosure is a premises closure order: against a place.
	DisruptClosure      DisruptionKind = "closure-order"
	DisruptArrest       DisruptionKind = "arrest"
	DisruptCharge       DisruptionKind = "charge"
	DisruptCourtOutcome DisruptionKind = "court-outcome"
	// DisruptOther is any other disruption, by its name (a visit to a hotel,
	// a warning given in person).
	DisruptOther DisruptionKind = "other-disruption"
)

// DisruptionKinds lists them, in the order shown.
var DisruptionKinds = []DisruptionKind{DisruptCAWN, DisruptSRO, DisruptSHPO, DisruptCivilOrder, DisruptClosure, DisruptArrest,
	DisruptCharge, DisruptCourtOutcome, DisruptOther}

// Valid reports whether k is a kind of disruption.
func (k DisruptionKind) Valid() bool { return slices.Contains(DisruptionKinds, k) }

// Order reports whether k is an order or notice: it runs from its date to an
// end.
func (k DisruptionKind) Order() bool {
	return slices.Contains([]DisruptionKind{DisruptCAWN, DisruptSRO, DisruptSHPO, DisruptCivilOrder, DisruptClosure}, k)
}

// Named reports whether a disruption of kind k is known by a name given
// with it.
func (k DisruptionKind) Named() bool { return k == DisruptCivilOrder || k == DisruptOther }

// Label says the kind in words.
func (k DisruptionKind) Label() string {
	return labelOf(k, map[DisruptionKind]string{DisruptCAWN: "Child abduction warning notice", DisruptSRO: "Sexual risk order",
		DisruptSHPO: "Sexual harm prevention order", DisruptCivilOrder: "Other civil order", DisruptClosure: "Premises closure order",
		DisruptArrest: "Arrest", DisruptCharge: "Charge", DisruptCourtOutcome: "Court outcome", DisruptOther: "Other disruption"})
}

// Court outcomes.
const (
	OutcomeConvicted    = "convicted"
	OutcomeAcquitted    = "acquitted"
	OutcomeDiscontinued = "discontinued"
	OutcomeDismissed    = "dismissed"
)

// CourtOutcomes lists them: convicted (a guilty plea or verdict), acquitted,
// discontinued (by the prosecution) and dismissed (by the court).
var CourtOutcomes = []string{OutcomeConvicted, OutcomeAcquitted, OutcomeDiscontinued, OutcomeDismissed}

// CourtOutcomeLabel says an outcome in words.
func CourtOutcomeLabel(o string) string {
	return labelOf(o, map[string]string{OutcomeConvicted: "Convicted", OutcomeAcquitted: "Acquitted",
		OutcomeDiscontinued: "Discontinued", OutcomeDismissed: "Dismissed"})
}

// The roles a child has in a disruption.
const (
	RoleVictim    = "victim"
	RoleWitness   = "witness"
	RoleProtected = "protected"
)

// DisruptionRoles lists them: a victim of the offence, a witness, or a child
// an order or notice protects.
var DisruptionRoles = []string{RoleVictim, RoleWitness, RoleProtected}

// DisruptionRoleLabel says a role in words.
func DisruptionRoleLabel(r string) string {
	return labelOf(r, map[string]string{RoleVictim: "Victim", RoleWitness: "Witness", RoleProtected: "Protected by it"})
}

// MaxDisruptionChildren bounds the children one disruption names.
const MaxDisruptionChildren = 50

// DisruptionChild is a child a disruption concerns, and how.
type DisruptionChild struct {
	ChildID string `json:"child_id"`
	Role    string `json:"role"`
	// Name is the child's name, for those who may see them (read only).
	Name string `json:"name,omitempty"`
}

// Disruption is one act of disruption or prosecution against a person of
// concern (or, for a closure order, a place).
type Disruption struct {
	ID   string         `json:"id"`
	Kind DisruptionKind `json:"kind"`
	// Name is an other civil order's or other disruption's name.
	Name string `json:"name,omitempty"`
	// Outcome is a court outcome's: one of CourtOutcomes.
	Outcome string `json:"outcome,omitempty"`
	// Date is when it was given, made, done or decided.
	Date Date `json:"date"`
	// Expires is when an order or notice ends.
	Expires   *Date             `json:"expires,omitempty"`
	PersonID  string            `json:"person_id,omitempty"`
	PlaceID   string            `json:"place_id,omitempty"`
	Children  []DisruptionChild `json:"children"`
	Offence   string            `json:"offence,omitempty"`
	Notes     string            `json:"notes,omitempty"`
	Reference string            `json:"reference,omitempty"`
	// PersonLabel and PlaceLabel say who and what it is against (read only).
	PersonLabel string `json:"person_label,omitempty"`
	PlaceLabel  string `json:"place_label,omitempty"`
	// ChildrenNotShown counts the children it names whom the reader may not
	// see: neither named nor linked to.
	ChildrenNotShown int       `json:"children_not_shown,omitempty"`
	RecordedBy       string    `json:"recorded_by,omitempty"`
	AgencyID         string    `json:"agency_id,omitempty"`
	RecordedAt       time.Time `json:"recorded_at"`
}

// CheckDisruption checks a disruption's own fields, needing no database, and
// trims its text: the kind and what goes with it (a name, an outcome, an
// end), a date not after today, an order's end after its start, whom it is
// against, and the children's roles. Whether a CAWN's children may be named
// in one is CheckCAWNChildren's, with their records.
func CheckDisruption(d *Disruption, today Date) error {
	var p Problems
	d.Name, d.Outcome = strings.TrimSpace(d.Name), strings.TrimSpace(d.Outcome)
	d.Offence, d.Notes, d.Reference = strings.TrimSpace(d.Offence), strings.TrimSpace(d.Notes), strings.TrimSpace(d.Reference)
	d.PersonID, d.PlaceID = strings.TrimSpace(d.PersonID), strings.TrimSpace(d.PlaceID)
	if !d.Kind.Valid() {
		p.Add("kind", "Choose what was done: "+OneOf(DisruptionKinds))
	}
	switch {
	case d.Kind.Named() && d.Name == "":
		p.Add("name", "Give the "+strings.ToLower(d.Kind.Label())+"'s name")
	case !d.Kind.Named():
		d.Name = ""
	}
	checkText(&p, "name", "name", d.Name, 200)
	switch {
	case d.Kind == DisruptCourtOutcome && !slices.Contains(CourtOutcomes, d.Outcome):
		p.Add("outcome", "Choose the court's outcome: "+OneOf(CourtOutcomes))
	case d.Kind != DisruptCourtOutcome && d.Outcome != "" && d.Kind.Valid():
		p.Add("outcome", "Only a court outcome has an outcome")
	}
	switch {
	case d.Date.IsZero():
		p.Add("date", "Enter the date it was "+doneWord(d.Kind))
	case d.Date.After(today):
		p.Add("date", "The date must not be in the future: record what has been done")
	case d.Date.Year < today.Year-50:
		p.Add("date", "The date must be within the last 50 years")
	}
	if d.Expires != nil && d.Expires.IsZero() {
		d.Expires = nil
	}
	if d.Expires != nil {
		switch {
		case !d.Kind.Order() && d.Kind.Valid():
			p.Add("expires", "Only an order or notice has an end date")
		case !d.Date.IsZero() && !d.Expires.After(d.Date):
			p.Add("expires", "The end date must be after the date it was made")
		case d.Expires.Year > today.Year+100:
			p.Add("expires", "The end date must be within 100 years")
		}
	}
	switch {
	case d.Kind == DisruptClosure && d.PlaceID == "":
		p.Add("place_id", "Choose the premises the closure order is on")
	case d.Kind != DisruptClosure && d.PersonID == "" && d.Kind.Valid():
		p.Add("person_id", "Choose the person of concern it is against")
	}
	if len(d.PersonID) > 64 {
		p.Add("person_id", "Give the person's id")
	}
	if len(d.PlaceID) > 64 {
		p.Add("place_id", "Give the place's id")
	}
	if d.Kind == DisruptCAWN && len(d.Children) == 0 {
		p.Add("children", "Name the child the notice protects")
	}
	if len(d.Children) > MaxDisruptionChildren {
		p.Add("children", fmt.Sprintf("Name %d children or fewer", MaxDisruptionChildren))
	} else {
		seen := map[string]bool{}
		for i := range d.Children {
			c := &d.Children[i]
			c.ChildID, c.Role = strings.TrimSpace(c.ChildID), strings.TrimSpace(c.Role)
			if c.Role == "" && d.Kind == DisruptCAWN {
				c.Role = RoleProtected
			}
			switch {
			case c.ChildID == "" || len(c.ChildID) > 64:
				p.Add(fmt.Sprintf("children[%d].child_id", i), "Choose the child")
			case seen[c.ChildID]:
				p.Add(fmt.Sprintf("children[%d].child_id", i), "Name each child once")
			}
			seen[c.ChildID] = true
			if !slices.Contains(DisruptionRoles, c.Role) {
				p.Add(fmt.Sprintf("children[%d].role", i), "Choose the child's role: "+OneOf(DisruptionRoles))
			}
		}
	}
	checkText(&p, "offence", "offence", d.Offence, 500)
	checkText(&p, "notes", "notes", d.Notes, 4000)
	checkText(&p, "reference", "reference", d.Reference, 100)
	if strings.ContainsAny(d.Reference, "\n\r") {
		p.Add("reference", "A reference is one line")
	}
	return p.Err()
}

// doneWord is how a kind is done, for a message.
func doneWord(k DisruptionKind) string {
	switch k {
	case DisruptArrest:
		return "made"
	case DisruptCourtOutcome:
		return "decided"
	case DisruptCAWN:
		return "served"
	case DisruptCharge:
		return "brought"
	}
	return "made"
}

// CAWNChild is what a warning notice's rule reads of a child's record.
type CAWNChild struct {
	DateOfBirth Date
	LookedAfter bool
}

// CAWNEligible reports whether a child abduction warning notice may name a
// child: under 16 on the day it is served, or under 18 and looked after
// (Child Abduction Act 1984 s2; Children Act 1989 s49). A child with no date
// of birth recorded cannot be shown to be either.
func CAWNEligible(c CAWNChild, on Date) bool {
	if c.DateOfBirth.IsZero() || c.DateOfBirth.After(on) {
		return false
	}
	age := AgeOn(c.DateOfBirth, on)
	return age < 16 || (age < 18 && c.LookedAfter)
}

// CheckCAWNChildren checks each child a CAWN names against its record,
// naming children[i].child_id. Other kinds name any child.
func CheckCAWNChildren(d *Disruption, records map[string]CAWNChild) error {
	if d.Kind != DisruptCAWN {
		return nil
	}
	var p Problems
	for i, c := range d.Children {
		r, ok := records[c.ChildID]
		switch {
		case !ok:
		case r.DateOfBirth.IsZero():
			p.Add(fmt.Sprintf("children[%d].child_id", i), "Record the child's date of birth first: a warning notice names a child under 16, or under 18 and looked after")
		case !CAWNEligible(r, d.Date):
			p.Add(fmt.Sprintf("children[%d].child_id", i), "A warning notice names only a child under 16, or under 18 and looked after, on the day it is served")
		}
	}
	return p.Err()
}

// DisruptionFilter narrows a list of disruptions.
type DisruptionFilter struct {
	Kind     DisruptionKind
	Outcome  string
	From, To *Date
	PersonID string
	ChildID  string
}

// ParseDisruptionFilter reads kind, outcome, from and to, naming a bad one.
func ParseDisruptionFilter(q map[string][]string) (DisruptionFilter, error) {
	var p Problems
	var f DisruptionFilter
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	if v := get("kind"); v != "" {
		if !DisruptionKind(v).Valid() {
			p.Add("kind", "Choose a kind from the list")
		} else {
			f.Kind = DisruptionKind(v)
		}
	}
	if v := get("outcome"); v != "" {
		if !slices.Contains(CourtOutcomes, v) {
			p.Add("outcome", "Choose an outcome from the list")
		} else {
			f.Outcome = v
		}
	}
	for _, x := range []struct {
		name string
		d    **Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := get(x.name); v != "" {
			d, err := ParseDate(v)
			if err != nil {
				p.Add(x.name, "Enter the date as YYYY-MM-DD")
			} else {
				*x.d = &d
			}
		}
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		p.Add("to", "The end must not be before the start")
	}
	return f, p.Err()
}

// DisruptionCount is how many of a kind, or outcome, there were.
type DisruptionCount struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// DisruptionFigures are the partnership's counts over a period, naming no
// child or person.
type DisruptionFigures struct {
	From Date `json:"from"`
	To   Date `json:"to"`
	// ByKind counts each kind, every kind listed.
	ByKind []DisruptionCount `json:"by_kind"`
	// Outcomes counts court outcomes, every outcome listed.
	Outcomes []DisruptionCount `json:"outcomes"`
	// BroughtToJustice counts the distinct persons convicted in the period
	// ("offenders brought to justice"); a person merged into another counts
	// as that other.
	BroughtToJustice int `json:"offenders_brought_to_justice"`
	// Persons counts the distinct persons anything was done against.
	Persons int `json:"persons_disrupted"`
	// Children counts the distinct children named as victims, witnesses or
	// protected.
	Children int `json:"children_named"`
}
