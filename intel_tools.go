package lantern

import (
	"fmt"
	"strconv"
	"strings"
)

// The analyst's tools over the intelligence graph (docs/intelligence.md#the-
// analysts-tools): the shortest path between two things, the associates
// several children share, the groups the links make, the most connected,
// one thing's timeline and the places where most is seen. Children are
// never scored or grouped: they appear only as children, under the
// caller's own access to each.

const (
	// MaxPathHops is the longest path looked for.
	MaxPathHops = 6
	// MaxSharedChildren is the most children compared at once.
	MaxSharedChildren = 20
	// MaxSharedHops is the furthest a shared associate may be from a child.
	MaxSharedHops = 2
	// MaxToolRows bounds the rows of the groups, the most connected and the
	// hotspots.
	MaxToolRows = 100
	// MaxGroupMembers is how many of a group's members are listed.
	MaxGroupMembers = 10
	// MaxHotspotMonths bounds the hotspots' period.
	MaxHotspotMonths = 36
)

// ParseEntityRef reads type:id, naming field when it is not one.
func ParseEntityRef(field, s string) (EntityRef, error) {
	t, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || !EntityType(t).Valid() || id == "" || len(id) > 64 || strings.ContainsAny(id, "/?#& ") {
		return EntityRef{}, Invalid(FieldError{Field: field, Message: "Name the record as type:id, such as person:0f5c…, with a type of child, person, vehicle, phone, place or account"})
	}
	return EntityRef{Type: EntityType(t), ID: id}, nil
}

// IntelPath is the shortest path found between two things: its nodes in
// order (each Hop its place on the path) and the links joining them.
type IntelPath struct {
	From    EntityRef      `json:"from"`
	To      EntityRef      `json:"to"`
	MaxHops int            `json:"max_hops"`
	Found   bool           `json:"found"`
	Nodes   []*NetworkNode `json:"nodes"`
	Edges   []*NetworkEdge `json:"edges"`
	// Truncated: the search gave up before it had looked everywhere, so
	// there may be a path it did not find.
	Truncated bool `json:"truncated"`
}

// SharedAssociate is a thing linked to two or more of the children asked
// about, and which of them.
type SharedAssociate struct {
	*NetworkNode
	Children []string `json:"children"`
}

// SharedAssociates is what several children have in common: the things
// (never other children) within Hops of two or more of them.
type SharedAssociates struct {
	Children   []*NetworkNode     `json:"children"`
	Hops       int                `json:"hops"`
	Associates []*SharedAssociate `json:"associates"`
	Truncated  bool               `json:"truncated"`
}

// IntelGroup is a connected group of things: those joined by links, each
// to the next, with no place or number of more than HubLinks links
// joining them (a takeaway does not make everyone one group). Children
// are counted, never listed.
type IntelGroup struct {
	Rank int `json:"rank"`
	// Size counts its members but children the caller may not see.
	Size   int                `json:"size"`
	ByType map[EntityType]int `json:"by_type"`
	// Children counts the children in it whom the caller may see.
	Children int `json:"children"`
	// Top are its most connected members, never a child.
	Top []*NetworkNode `json:"top"`
}

// IntelGroups are the largest groups.
type IntelGroups struct {
	Groups []*IntelGroup `json:"groups"`
	// Total is how many groups of the least size there are.
	Total int `json:"total"`
}

// TimelineItem is one link on a thing's timeline, at the date it was seen
// (Observed) or, with none, recorded.
type TimelineItem struct {
	Date     Date  `json:"date"`
	Observed bool  `json:"observed"`
	Link     *Link `json:"link"`
	// Other is the link's other end, and OtherLabel who or what it is.
	Other      EntityRef `json:"other"`
	OtherLabel string    `json:"other_label"`
}

// Timeline is a thing's links in date order, oldest first.
type Timeline struct {
	Entity *NetworkNode    `json:"entity"`
	Items  []*TimelineItem `json:"items"`
	// Truncated: the thing has more links than are listed (the newest are).
	Truncated bool `json:"truncated"`
}

// MonthCount is how many links were seen in a month (2026-03).
type MonthCount struct {
	Month string `json:"month"`
	Items int    `json:"items"`
}

// Hotspot is a place and what was seen there in the period: links by
// month, the distinct children (of whom the caller may not see
// HiddenChildren: counted, never named) and persons linked to it.
type Hotspot struct {
	Place          *NetworkNode `json:"place"`
	Lat            *float64     `json:"lat,omitempty"`
	Lon            *float64     `json:"lon,omitempty"`
	Items          int          `json:"items"`
	Children       int          `json:"children"`
	HiddenChildren int          `json:"hidden_children"`
	Persons        int          `json:"persons"`
	Months         []MonthCount `json:"months"`
	// Area is the boundary's area the place is in, when a boundary is
	// loaded and the place has a position inside one.
	Area string `json:"area,omitempty"`
}

// AreaHotspot is what was seen at the places in one area of the boundary
// in the period (or at places outside every area, or with no position):
// the places and their links by month.
type AreaHotspot struct {
	Area   string       `json:"area"`
	Places int          `json:"places"`
	Items  int          `json:"items"`
	Months []MonthCount `json:"months"`
}

// Hotspots are the places with most seen there in a period, by children,
// then persons, then links.
type Hotspots struct {
	From   Date       `json:"from"`
	To     Date       `json:"to"`
	Months []string   `json:"months"`
	Places []*Hotspot `json:"places"`
	// Truncated: more places than are listed had links in the period.
	Truncated bool `json:"truncated"`
	// With a boundary loaded: the boundary (its areas' names, not their
	// shapes), what was seen in each of its areas in the file's order,
	// counting every place with links in the period (not only those
	// listed), and at the places outside every area or with no position.
	Boundary   *AreaBoundary  `json:"boundary,omitempty"`
	Areas      []*AreaHotspot `json:"areas,omitempty"`
	Outside    *AreaHotspot   `json:"outside,omitempty"`
	NoPosition *AreaHotspot   `json:"no_position,omitempty"`
}

// MonthOf is a date's month as 2026-03.
func MonthOf(d Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }

// MonthsBetween lists the months from a to b, inclusive.
func MonthsBetween(a, b Date) []string {
	var out []string
	y, m := a.Year, int(a.Month)
	for (y < b.Year || y == b.Year && m <= int(b.Month)) && len(out) <= MaxHotspotMonths*2 {
		out = append(out, fmt.Sprintf("%04d-%02d", y, m))
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	return out
}

// ParseToolLimit reads a limit from 1 to most, def when empty.
func ParseToolLimit(field, v string, def, most int) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, Invalid(FieldError{Field: field, Message: fmt.Sprintf("%s must be a whole number from 1 to %d", field, most)})
	}
	return n, nil
}
