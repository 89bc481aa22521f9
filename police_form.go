package lantern

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The partner intelligence form (issue 14): what a partner knows about a
// child's world — suspects, street names, descriptions, vehicles (partial
// registrations too), phones, places, times, links and how the reporter
// knows — chosen item by item and sent to the police as their force's
// partner intelligence form. The source's identity (who said it, who
// recorded it, the record it came from) and the conditions of handling C
// stay in Lantern. Each form produced is recorded as a share: what, when, to
// whom and by whom.

// PoliceFormItemTypes are the kinds of item a form holds: a link, or an
// entity at a link's end.
var PoliceFormItemTypes = []EntityType{"link", EntityPerson, EntityVehicle, EntityPhone, EntityPlace, EntityAccount}

// MaxPoliceFormItems bounds the items one form holds.
const MaxPoliceFormItems = 200

// PoliceFormLink is a link as the form shows it: what it says, between whom,
// when, how the reporter knows and its grading, and nothing of its source.
type PoliceFormLink struct {
	From         EntityRef `json:"from"`
	FromLabel    string    `json:"from_label"`
	To           EntityRef `json:"to"`
	ToLabel      string    `json:"to_label"`
	Kind         LinkKind  `json:"kind"`
	KindLabel    string    `json:"kind_label"`
	ObservedFrom *Date     `json:"observed_from,omitempty"`
	ObservedTo   *Date     `json:"observed_to,omitempty"`
	// HowKnown is how the reporter knows, in their words: given only where
	// the sender may read it (the police, or the agency that wrote it).
	HowKnown    string    `json:"how_known,omitempty"`
	Grading     *Grading  `json:"grading,omitempty"` // never its conditions
	LegacyGrade string    `json:"legacy_grading,omitempty"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// PoliceFormItem is one item of the form: a link or an entity, with what it
// holds.
type PoliceFormItem struct {
	Type    EntityType       `json:"type"`
	ID      string           `json:"id"`
	Label   string           `json:"label"`
	Link    *PoliceFormLink  `json:"link,omitempty"`
	Person  *PersonOfConcern `json:"person,omitempty"`
	Vehicle *Vehicle         `json:"vehicle,omitempty"`
	Phone   *Phone           `json:"phone,omitempty"`
	Place   *Place           `json:"place,omitempty"`
	Account *Account         `json:"account,omitempty"`
}

// Key is the item's type:id, as a form names it.
func (it *PoliceFormItem) Key() string { return string(it.Type) + ":" + it.ID }

// PoliceFormChild is who the form is about.
type PoliceFormChild struct {
	ID          string `json:"id"`
	GivenName   string `json:"given_name"`
	FamilyName  string `json:"family_name"`
	DateOfBirth Date   `json:"date_of_birth"`
	Gender      string `json:"gender,omitempty"`
}

// PoliceFormAgency names an agency on the form.
type PoliceFormAgency struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PoliceForm is a produced form.
type PoliceForm struct {
	// ID is the share's id: the reference the police quote back.
	ID         string           `json:"id"`
	Child      PoliceFormChild  `json:"child"`
	Force      PoliceFormAgency `json:"force"`
	FromAgency PoliceFormAgency `json:"from_agency"`
	Purpose    string           `json:"purpose"`
	ProducedAt time.Time        `json:"produced_at"`
	Items      []PoliceFormItem `json:"items"`
}

// PoliceFormShare is a form that was produced, as the child's record keeps
// it: what was sent, when, to whom and by whom.
type PoliceFormShare struct {
	ID         string    `json:"id"`
	ChildID    string    `json:"child_id"`
	ForceID    string    `json:"force_id"`
	ForceName  string    `json:"force_name"`
	Purpose    string    `json:"purpose"`
	SharedAt   time.Time `json:"shared_at"`
	SharedBy   string    `json:"shared_by"`
	SharedName string    `json:"shared_by_name"`
	Items      []string  `json:"items"`
}

// PoliceFormRequest is what a form is produced from: the force, why, and the
// items chosen, each type:id.
type PoliceFormRequest struct {
	AgencyID string   `json:"agency_id"`
	Purpose  string   `json:"purpose"`
	Items    []string `json:"items"`
}

// ParsePoliceFormItem reads an item's type:id.
func ParsePoliceFormItem(s string) (EntityType, string, bool) {
	t, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || !slices.Contains(PoliceFormItemTypes, EntityType(t)) || id == "" || len(id) > 64 ||
		strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "", "", false
	}
	return EntityType(t), id, true
}

// CheckPoliceFormRequest checks a request and puts it in one form: the
// purpose trimmed, each item once, in the order chosen.
func CheckPoliceFormRequest(req *PoliceFormRequest) error {
	var p Problems
	req.AgencyID, req.Purpose = strings.TrimSpace(req.AgencyID), strings.TrimSpace(req.Purpose)
	if req.AgencyID == "" || len(req.AgencyID) > 64 {
		p.Add("agency_id", "Choose the police force the form is for")
	}
	if req.Purpose == "" {
		p.Add("purpose", "Say why you are sharing this with the police")
	}
	checkText(&p, "purpose", "purpose", req.Purpose, 1000)
	switch {
	case len(req.Items) == 0:
		p.Add("items", "Choose what to send: at least one item")
	case len(req.Items) > MaxPoliceFormItems:
		p.Add("items", fmt.Sprintf("Choose %d items or fewer", MaxPoliceFormItems))
	default:
		var items []string
		for i, s := range req.Items {
			t, id, ok := ParsePoliceFormItem(s)
			if !ok {
				p.Add(fmt.Sprintf("items[%d]", i), "Name each item as type:id, such as link:ID or vehicle:ID")
				continue
			}
			k := string(t) + ":" + id
			if !slices.Contains(items, k) {
				items = append(items, k)
			}
		}
		req.Items = items
	}
	return p.Err()
}

// ShareablePoliceLink is a link as the form may show it: the source, who
// recorded it and the record it came from left out, the conditions of
// handling C too, and how it is known only when showHowKnown.
func ShareablePoliceLink(l *Link, fromLabel, toLabel string, showHowKnown bool) *PoliceFormLink {
	out := &PoliceFormLink{From: l.From, FromLabel: fromLabel, To: l.To, ToLabel: toLabel, Kind: l.Kind, KindLabel: l.Kind.Label(),
		ObservedFrom: l.ObservedFrom, ObservedTo: l.ObservedTo, LegacyGrade: l.LegacyGrade, RecordedAt: l.RecordedAt}
	if showHowKnown {
		out.HowKnown = l.HowKnown
	}
	if l.Grading != nil {
		g := *l.Grading
		g.Conditions = ""
		out.Grading = &g
	}
	return out
}
