package lantern

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Intelligence from a record (issue 14, item 4): what a concern, referral,
// meeting or missing episode names, confirmed by its recorder as entities
// linked to the child, each link sourced to the record.

// IntakeSourceTypes are the records intelligence is taken from on the
// child's pages.
var IntakeSourceTypes = []string{"concern", "referral", "meeting", "missing-episode"}

// IntakeSource is the record, and the text of it that is searched.
type IntakeSource struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Date  Date   `json:"date"`
	Label string `json:"label"` // Concern recorded 2026-11-30: the links' source
	Text  string `json:"text"`
	// Where is what the record says of a place (a missing episode's where
	// found), offered as a place to add.
	Where string `json:"where,omitempty"`
}

// SourceLabel is how a link names the record it came from.
func SourceLabel(typ string, on Date) string {
	what := map[string]string{"concern": "Concern recorded", "referral": "Referral received", "meeting": "Meeting held",
		"missing-episode": "Missing episode, returned"}[typ]
	return what + " " + on.String()
}

// IntakeKinds are what a link from a child to each kind of thing may say,
// the usual first.
var IntakeKinds = map[EntityType][]LinkKind{
	EntityPerson:  {LinkAssociate, LinkCollectedFrom, LinkOnlineContact},
	EntityVehicle: {LinkCollectedFrom, LinkSeenAt, LinkUsesVehicle},
	EntityPhone:   {LinkCalled, LinkUsesPhone},
	EntityPlace:   {LinkSeenAt, LinkFoundAt, LinkCollectedFrom, LinkLivesAt},
	EntityAccount: {LinkOnlineContact},
}

// IntakeKind is the kind suggested for a thing from a record: a place
// named by a missing episode is where the child was found.
func IntakeKind(t EntityType, sourceType string) LinkKind {
	if t == EntityPlace && sourceType == "missing-episode" {
		return LinkFoundAt
	}
	if ks := IntakeKinds[t]; len(ks) > 0 {
		return ks[0]
	}
	return ""
}

// MaxIntakeItems bounds what one confirmation adds.
const MaxIntakeItems = 50

// IntakeItem is one thing to link the child to: a held one (Held, for
// those who read intelligence), or a new one described by the fields of
// its type. Vehicles, phones and accounts already held with the same
// registration, number or handle are linked, not held twice.
type IntakeItem struct {
	Type EntityType `json:"type"`
	Kind LinkKind   `json:"kind"`
	Held string     `json:"held,omitempty"`
	// A person: a name, a street name or a description; a place: a name.
	Name        string `json:"name,omitempty"`
	StreetName  string `json:"street_name,omitempty"`
	Description string `json:"description,omitempty"`
	VRM         string `json:"vrm,omitempty"`
	Colour      string `json:"colour,omitempty"`
	Make        string `json:"make,omitempty"`
	Model       string `json:"model,omitempty"`
	Number      string `json:"number,omitempty"`
	Address     string `json:"address,omitempty"`
	Postcode    string `json:"postcode,omitempty"`
	Platform    string `json:"platform,omitempty"`
	Handle      string `json:"handle,omitempty"`
	HowKnown    string `json:"how_known,omitempty"`
}

// IntakeEntity is an item checked: the record to store (one of Person,
// Vehicle, Phone, Place, Account), or the held one to link.
type IntakeEntity struct {
	Item    IntakeItem
	Person  *PersonOfConcern
	Vehicle *Vehicle
	Phone   *Phone
	Place   *Place
	Account *Account
}

// fieldOf names, in an item's terms, the field an entity's check named.
func fieldOf(t EntityType, f string) string {
	switch t {
	case EntityPerson:
		switch {
		case strings.HasPrefix(f, "names"):
			return "name"
		case strings.HasPrefix(f, "aliases"):
			return "street_name"
		}
	case EntityPlace:
		if f == "lat" || f == "lon" || strings.HasPrefix(f, "hotspot") {
			return "name"
		}
	}
	return f
}

// CheckIntake checks the items, naming each fault as items[i].field, and
// makes each the record it describes.
func CheckIntake(items []IntakeItem, now time.Time) ([]IntakeEntity, error) {
	var p Problems
	if len(items) == 0 {
		p.Add("items", "Choose or add at least one person, vehicle, phone, place or account")
		return nil, p.Err()
	}
	if len(items) > MaxIntakeItems {
		p.Add("items", fmt.Sprintf("Add %d things or fewer at once", MaxIntakeItems))
		return nil, p.Err()
	}
	out := make([]IntakeEntity, 0, len(items))
	for i, it := range items {
		at := func(f string) string { return fmt.Sprintf("items[%d].%s", i, f) }
		kinds, ok := IntakeKinds[it.Type]
		if !ok {
			p.Add(at("type"), "Choose a person, vehicle, phone, place or account")
			continue
		}
		if !slices.Contains(kinds, it.Kind) {
			p.Add(at("kind"), "Choose what links the child to this "+string(it.Type))
		}
		it.HowKnown = strings.TrimSpace(it.HowKnown)
		checkText(&p, at("how_known"), "note", it.HowKnown, 2000)
		e := IntakeEntity{Item: it}
		it.Held = strings.TrimSpace(it.Held)
		if it.Held != "" {
			if len(it.Held) > 64 {
				p.Add(at("held"), "Choose one of the records held")
			}
			out = append(out, e)
			continue
		}
		var err error
		switch it.Type {
		case EntityPerson:
			pe := &PersonOfConcern{Description: it.Description}
			if n := strings.TrimSpace(it.Name); n != "" {
				given, family := n, ""
				if i := strings.LastIndexByte(n, ' '); i > 0 {
					given, family = strings.TrimSpace(n[:i]), n[i+1:]
				}
				pe.Names = []PersonName{{Given: given, Family: family}}
			}
			if a := strings.TrimSpace(it.StreetName); a != "" {
				pe.Aliases = []string{a}
			}
			err, e.Person = CheckPerson(pe, now), pe
		case EntityVehicle:
			e.Vehicle = &Vehicle{VRM: it.VRM, Colour: it.Colour, Make: it.Make, Model: it.Model}
			err = CheckVehicle(e.Vehicle)
		case EntityPhone:
			e.Phone, err = CheckPhone(it.Number)
		case EntityPlace:
			e.Place = &Place{Name: it.Name, Address: it.Address, Postcode: it.Postcode}
			err = CheckPlace(e.Place)
		case EntityAccount:
			e.Account = &Account{Platform: it.Platform, Handle: it.Handle}
			err = CheckAccount(e.Account)
		}
		for _, fe := range ErrorFields(err) {
			p.Add(at(fieldOf(it.Type, fe.Field)), fe.Message)
		}
		out = append(out, e)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// IntakeSuggestion is a mention with what is already held that it may be.
type IntakeSuggestion struct {
	Mention
	Kind LinkKind `json:"kind"`
	// Held: a vehicle, phone or account with this very registration,
	// number or handle is held, and a link will be added to it. It is all
	// that is said to someone who may not read intelligence.
	Held bool `json:"held"`
	// Matches are the held records it may be, for those who read
	// intelligence (nil for anyone else).
	Matches []IntelResult `json:"matches,omitempty"`
}

// IntakeRecorded is what a confirmation stored: the thing linked (new or
// held) and the link.
type IntakeRecorded struct {
	Type    EntityType `json:"type"`
	ID      string     `json:"id"`
	Created bool       `json:"created"`
	LinkID  string     `json:"link_id"`
	Kind    LinkKind   `json:"kind"`
}
