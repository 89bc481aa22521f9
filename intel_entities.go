package lantern

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The intelligence records (docs/intelligence.md): persons of concern,
// vehicles, phones, places and online accounts, and the graded links
// between them and children. Partners submit them; the police, analysts
// and the CSE coordinator read them; sources and handling-C links are the
// police's alone.

// Limits on what one record may hold: enough for any real person, and a
// bound on what a stranger can make the server store and compare.
const (
	MaxPersonNames   = 10
	MaxPersonAliases = 20
	MaxAddresses     = 10
)

// PersonName is one name a person is known by.
type PersonName struct {
	Given  string `json:"given"`
	Family string `json:"family"`
}

// String is the name as written.
func (n PersonName) String() string { return strings.TrimSpace(n.Given + " " + n.Family) }

// EntityAddress is an address a person is known at.
type EntityAddress struct {
	Address  string `json:"address"`
	Postcode string `json:"postcode,omitempty"`
}

// Sexes a person of concern may be recorded as; "" is not known.
var Sexes = []string{"male", "female"}

// PersonOfConcern is a person of concern: known by a name, a street name or only a
// description.
type PersonOfConcern struct {
	ID          string          `json:"id"`
	Names       []PersonName    `json:"names"`
	Aliases     []string        `json:"aliases"`
	DateOfBirth *Date           `json:"date_of_birth,omitempty"`
	BirthYear   int             `json:"birth_year,omitempty"`
	Estimated   bool            `json:"birth_estimated,omitempty"`
	Sex         string          `json:"sex,omitempty"`
	Description string          `json:"description,omitempty"`
	Addresses   []EntityAddress `json:"addresses"`
	// MergedInto is the person this record was found to be (a merge keeps
	// every record, and can be undone).
	MergedInto string    `json:"merged_into,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	Links      int       `json:"links"`
}

// Label says who the person is in a few words: a name, else a street name,
// else the start of the description.
func (p *PersonOfConcern) Label() string {
	for _, n := range p.Names {
		if s := n.String(); s != "" {
			if len(p.Aliases) > 0 {
				return s + " (" + p.Aliases[0] + ")"
			}
			return s
		}
	}
	if len(p.Aliases) > 0 {
		return "“" + p.Aliases[0] + "”"
	}
	d := p.Description
	if utf8.RuneCountInString(d) > 40 {
		d = string([]rune(d)[:40]) + "…"
	}
	if d == "" {
		return "Unnamed person"
	}
	return d
}

// CheckPerson checks a person before it is stored, and puts it in one form:
// names trimmed, empty names and aliases dropped, a 1 January birth date
// taken as an estimate of the year.
func CheckPerson(p *PersonOfConcern, now time.Time) error {
	var pr Problems
	if len(p.Names) > MaxPersonNames {
		pr.Add("names", fmt.Sprintf("Give %d names or fewer", MaxPersonNames))
	}
	if len(p.Aliases) > MaxPersonAliases {
		pr.Add("aliases", fmt.Sprintf("Give %d aliases or fewer", MaxPersonAliases))
	}
	if len(p.Addresses) > MaxAddresses {
		pr.Add("addresses", fmt.Sprintf("Give %d addresses or fewer", MaxAddresses))
	}
	if pr.Err() != nil {
		return pr.Err()
	}
	names := p.Names[:0:0]
	for i, n := range p.Names {
		n.Given, n.Family = strings.TrimSpace(n.Given), strings.TrimSpace(n.Family)
		checkText(&pr, fmt.Sprintf("names[%d].given", i), "given name", n.Given, 100)
		checkText(&pr, fmt.Sprintf("names[%d].family", i), "family name", n.Family, 100)
		if strings.ContainsAny(n.Given+n.Family, "\n\r\t") {
			pr.Add(fmt.Sprintf("names[%d]", i), "A name is one line")
		}
		if n.Given != "" || n.Family != "" {
			names = append(names, n)
		}
	}
	p.Names = names
	aliases := []string{}
	for i, a := range p.Aliases {
		a = strings.TrimSpace(a)
		checkText(&pr, fmt.Sprintf("aliases[%d]", i), "alias", a, 100)
		if a != "" && !containsFold(aliases, a) {
			aliases = append(aliases, a)
		}
	}
	p.Aliases = aliases
	addrs := []EntityAddress{}
	for i, a := range p.Addresses {
		a.Address, a.Postcode = strings.TrimSpace(a.Address), normPostcode(a.Postcode)
		checkText(&pr, fmt.Sprintf("addresses[%d].address", i), "address", a.Address, 300)
		checkText(&pr, fmt.Sprintf("addresses[%d].postcode", i), "postcode", a.Postcode, 10)
		if a.Address != "" || a.Postcode != "" {
			addrs = append(addrs, a)
		}
	}
	p.Addresses = addrs
	p.Description = strings.TrimSpace(p.Description)
	checkText(&pr, "description", "description", p.Description, 2000)
	switch p.Sex {
	case "", "male", "female":
	case "unknown", "not-known":
		p.Sex = ""
	default:
		pr.Add("sex", "Sex must be male, female or left out when not known")
	}
	year := now.Year()
	if p.DateOfBirth != nil && !p.DateOfBirth.IsZero() {
		d := *p.DateOfBirth
		switch {
		case d.Year < year-110 || d.After(DateOf(now)):
			pr.Add("date_of_birth", "The date of birth must be in the past, and within 110 years")
		case p.BirthYear != 0 && p.BirthYear != d.Year:
			pr.Add("birth_year", "Give a date of birth or a birth year, not two that differ")
		default:
			p.BirthYear = d.Year
			if d.Month == time.January && d.Day == 1 {
				p.Estimated = true // 1 January is how an estimate is often written
			}
		}
	} else {
		p.DateOfBirth = nil
		if p.BirthYear != 0 && (p.BirthYear < year-110 || p.BirthYear > year) {
			pr.Add("birth_year", "The birth year must be within the last 110 years")
		}
	}
	if len(p.Names) == 0 && len(p.Aliases) == 0 && p.Description == "" && pr.Err() == nil {
		pr.Add("names", "Give a name, a street name or a description: a person may be known by any one of them")
	}
	return pr.Err()
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// normPostcode is a postcode in Royal Mail's form where it is one, else as
// written in capitals.
func normPostcode(s string) string {
	pc, _ := NormalisePostcode(s)
	return pc
}

// Vehicle is a vehicle, by its registration mark (whole or partial).
type Vehicle struct {
	ID        string    `json:"id"`
	VRM       string    `json:"vrm"`
	Partial   bool      `json:"partial"`
	Colour    string    `json:"colour,omitempty"`
	Make      string    `json:"make,omitempty"`
	Model     string    `json:"model,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Links     int       `json:"links"`
}

// Label is the registration and what the vehicle looks like.
func (v *Vehicle) Label() string {
	desc := strings.TrimSpace(strings.Join(nonEmpty(v.Colour, v.Make, v.Model), " "))
	if desc == "" {
		return v.VRM
	}
	return v.VRM + " (" + desc + ")"
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// CheckVehicle checks a vehicle and normalises its registration.
func CheckVehicle(v *Vehicle) error {
	var p Problems
	vrm, partial, ok := NormaliseVRM(v.VRM)
	if !ok {
		p.Add("vrm", "Enter the registration: letters and numbers, with ? for each character not known (AB12 ?DE)")
	}
	v.VRM, v.Partial = vrm, partial
	v.Colour, v.Make, v.Model = strings.TrimSpace(v.Colour), strings.TrimSpace(v.Make), strings.TrimSpace(v.Model)
	checkText(&p, "colour", "colour", v.Colour, 40)
	checkText(&p, "make", "make", v.Make, 60)
	checkText(&p, "model", "model", v.Model, 60)
	return p.Err()
}

// Phone is a phone number, in E.164 form.
type Phone struct {
	ID        string    `json:"id"`
	E164      string    `json:"e164"`
	Fictional bool      `json:"fictional"`
	CreatedAt time.Time `json:"created_at"`
	Links     int       `json:"links"`
}

// Label is the number.
func (p *Phone) Label() string { return p.E164 }

// CheckPhone normalises a number, given as number, refusing what cannot be
// one ("withheld", a handle).
func CheckPhone(number string) (*Phone, error) {
	e, ok := NormalisePhone(number)
	if !ok {
		msg := "Enter a phone number, such as 07700 900123 or +44 7700 900123"
		if strings.Contains(strings.ToLower(number), "withheld") || strings.Contains(strings.ToLower(number), "private") {
			msg = "A withheld number is not a number: record the call in the link's notes instead"
		} else if strings.HasPrefix(strings.TrimSpace(number), "@") {
			msg = "That looks like an online handle: record it as an account"
		}
		return nil, Invalid(FieldError{Field: "number", Message: msg})
	}
	return &Phone{E164: e, Fictional: FictionalPhone(e)}, nil
}

// FictionalPhone reports whether a number is in one of Ofcom's ranges kept
// for drama (07700 900000 to 900999, and the like): stored and flagged, as
// test and demonstration data use them, never refused.
func FictionalPhone(e164 string) bool {
	for _, r := range [][2]string{
		{"+447700900000", "+447700900999"}, {"+441134960000", "+441134960999"}, {"+441144960000", "+441144960999"},
		{"+441154960000", "+441154960999"}, {"+441164960000", "+441164960999"}, {"+441174960000", "+441174960999"},
		{"+441184960000", "+441184960999"}, {"+441214960000", "+441214960999"}, {"+441314960000", "+441314960999"},
		{"+441414960000", "+441414960999"}, {"+441514960000", "+441514960999"}, {"+441614960000", "+441614960999"},
		{"+442079460000", "+442079460999"}, {"+441914980000", "+441914980999"}, {"+442890180000", "+442890180999"},
		{"+442920180000", "+442920180999"}, {"+443069990000", "+443069990999"}, {"+448081570000", "+448081570999"},
		{"+449098790000", "+449098790999"},
	} {
		if len(e164) == len(r[0]) && e164 >= r[0] && e164 <= r[1] {
			return true
		}
	}
	return false
}

// Place is a place: a takeaway, a park, a house, a hotel.
type Place struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Address       string    `json:"address,omitempty"`
	Postcode      string    `json:"postcode,omitempty"`
	Lat           *float64  `json:"lat,omitempty"`
	Lon           *float64  `json:"lon,omitempty"`
	Hotspot       bool      `json:"hotspot"`
	HotspotReason string    `json:"hotspot_reason,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	Links         int       `json:"links"`
}

// Label is the place's name, else its address.
func (p *Place) Label() string {
	if p.Name != "" {
		return p.Name
	}
	if p.Address != "" {
		return p.Address
	}
	return p.Postcode
}

// CheckPlace checks a place.
func CheckPlace(p *Place) error {
	var pr Problems
	p.Name, p.Address, p.Postcode = strings.TrimSpace(p.Name), strings.TrimSpace(p.Address), normPostcode(p.Postcode)
	p.HotspotReason = strings.TrimSpace(p.HotspotReason)
	checkText(&pr, "name", "name", p.Name, 200)
	checkText(&pr, "address", "address", p.Address, 300)
	checkText(&pr, "postcode", "postcode", p.Postcode, 10)
	checkText(&pr, "hotspot_reason", "hotspot's reason", p.HotspotReason, 2000)
	if p.Name == "" && p.Address == "" && p.Postcode == "" {
		pr.Add("name", "Give the place's name, address or postcode")
	}
	if (p.Lat == nil) != (p.Lon == nil) {
		pr.Add("lat", "Give both latitude and longitude, or neither")
	}
	if p.Lat != nil && (*p.Lat < -90 || *p.Lat > 90) {
		pr.Add("lat", "Latitude must be from -90 to 90")
	}
	if p.Lon != nil && (*p.Lon < -180 || *p.Lon > 180) {
		pr.Add("lon", "Longitude must be from -180 to 180")
	}
	if p.Hotspot && p.HotspotReason == "" {
		pr.Add("hotspot_reason", "Say why the place is a hotspot")
	}
	return pr.Err()
}

// Account is an online account: a platform and a handle.
type Account struct {
	ID        string    `json:"id"`
	Platform  string    `json:"platform"`
	Handle    string    `json:"handle"`
	CreatedAt time.Time `json:"created_at"`
	Links     int       `json:"links"`
}

// Label is the handle on its platform.
func (a *Account) Label() string { return a.Handle + " on " + a.Platform }

// CheckAccount checks an account; the handle keeps its case as written but
// is compared without it, and without a leading @.
func CheckAccount(a *Account) error {
	var p Problems
	a.Platform, a.Handle = strings.TrimSpace(a.Platform), strings.TrimSpace(a.Handle)
	if a.Platform == "" {
		p.Add("platform", "Enter the platform, such as Snapchat or Instagram")
	}
	if strings.TrimPrefix(a.Handle, "@") == "" {
		p.Add("handle", "Enter the handle or user name")
	}
	checkText(&p, "platform", "platform", a.Platform, 60)
	checkText(&p, "handle", "handle", a.Handle, 200)
	return p.Err()
}

// AccountKey is how two accounts are compared: the platform and the handle
// in lower case, without a leading @.
func AccountKey(platform, handle string) string {
	return strings.ToLower(strings.TrimSpace(platform)) + ":" + strings.ToLower(strings.TrimPrefix(strings.TrimSpace(handle), "@"))
}

// EntityRef names one end of a link.
type EntityRef struct {
	Type EntityType `json:"type"`
	ID   string     `json:"id"`
}

// String is type:id.
func (r EntityRef) String() string { return string(r.Type) + ":" + r.ID }

// Link is a graded, sourced statement that two things are connected.
type Link struct {
	ID           string    `json:"id"`
	From         EntityRef `json:"from"`
	To           EntityRef `json:"to"`
	Kind         LinkKind  `json:"kind"`
	ObservedFrom *Date     `json:"observed_from,omitempty"`
	ObservedTo   *Date     `json:"observed_to,omitempty"`
	// Source is where the link comes from: a record in Lantern (SourceRecord)
	// or another system's reference. Its identity is the police's alone.
	Source       string     `json:"source,omitempty"`
	SourceRecord *EntityRef `json:"source_record,omitempty"`
	// HowKnown is how the reporter knows, in their words.
	HowKnown string   `json:"how_known,omitempty"`
	Grading  *Grading `json:"grading,omitempty"`
	// LegacyGrade is a grade in the older 5×5×5 form (B2), kept as written
	// and never converted.
	LegacyGrade string `json:"legacy_grading,omitempty"`
	// Final is set when the police intelligence role has graded the link.
	Final      bool       `json:"final"`
	RecordedBy string     `json:"recorded_by,omitempty"`
	AgencyID   string     `json:"agency_id,omitempty"`
	RecordedAt time.Time  `json:"recorded_at"`
	Withdrawn  *time.Time `json:"withdrawn_at,omitempty"`
}

// Restricted reports whether only the police may see the link: handling C.
func (l *Link) Restricted() bool { return l.Grading != nil && l.Grading.Handling == "C" }

// SourceRecordTypes are the Lantern records a link may come from.
var SourceRecordTypes = []string{"concern", "referral", "meeting", "missing-episode", "assessment"}

// CheckLink checks a link's fields that need no database: the ends, kind,
// source, dates and grading.
func CheckLink(l *Link) error {
	var p Problems
	for _, end := range []struct {
		field string
		r     *EntityRef
	}{{"from", &l.From}, {"to", &l.To}} {
		end.r.ID = strings.TrimSpace(end.r.ID)
		switch {
		case !end.r.Type.Valid():
			p.Add(end.field+".type", "The type must be one of child, person, vehicle, phone, place or account")
		case end.r.ID == "" || len(end.r.ID) > 64:
			p.Add(end.field+".id", "Give the id of the "+string(end.r.Type))
		}
	}
	if l.From == l.To && l.From.ID != "" {
		p.Add("to", "A link joins two different things")
	}
	if l.From.Type == EntityChild && l.To.Type == EntityChild && l.Kind != LinkAssociate {
		p.Add("kind", "Two children can only be linked as associates")
	}
	if !l.Kind.Valid() {
		p.Add("kind", "Choose what the link says, such as associate, uses-vehicle or seen-at")
	}
	l.Source = strings.TrimSpace(l.Source)
	if l.Source == "" && l.SourceRecord == nil {
		p.Add("source", "Say where this comes from: a link with no source is not kept")
	}
	checkText(&p, "source", "source", l.Source, 500)
	if l.SourceRecord != nil {
		if !containsFold(SourceRecordTypes, string(l.SourceRecord.Type)) || l.SourceRecord.ID == "" || len(l.SourceRecord.ID) > 64 {
			p.Add("source_record", "The source record must be a concern, referral, meeting, missing episode or assessment, with its id")
		}
	}
	l.HowKnown = strings.TrimSpace(l.HowKnown)
	checkText(&p, "how_known", "account of how it is known", l.HowKnown, 2000)
	if l.ObservedFrom != nil && l.ObservedFrom.IsZero() {
		l.ObservedFrom = nil
	}
	if l.ObservedTo != nil && l.ObservedTo.IsZero() {
		l.ObservedTo = nil
	}
	if l.ObservedFrom != nil && l.ObservedTo != nil && l.ObservedTo.Before(*l.ObservedFrom) {
		p.Add("observed_to", "The end of what was seen must not be before its start")
	}
	if l.Grading != nil {
		if err := CheckGrading(*l.Grading); err != nil {
			p = append(p, ErrorFields(err)...)
		}
	}
	l.LegacyGrade = strings.TrimSpace(l.LegacyGrade)
	if l.LegacyGrade != "" && !LegacyGrade(l.LegacyGrade) {
		p.Add("legacy_grading", "A 5×5×5 grade is a letter A to E, a number 1 to 5 and a handling code 1 to 5, such as B2 or B24")
	}
	return p.Err()
}

// LegacyGrade reports whether s is a grade in the 5×5×5 form: a source
// letter A-E, an intelligence number 1-5 and, optionally, a handling code
// 1-5 (B2, B24).
func LegacyGrade(s string) bool {
	if len(s) < 2 || len(s) > 3 || s[0] < 'A' || s[0] > 'E' || s[1] < '1' || s[1] > '5' {
		return false
	}
	return len(s) == 2 || (s[2] >= '1' && s[2] <= '5')
}

// Grade orders gradings for a "least grading" filter: a link passes when
// its source is at least as reliable and its intelligence at least as well
// known. An ungraded link passes only when no least grading is asked.
func (g *Grading) AtLeast(least *Grading) bool {
	if least == nil {
		return true
	}
	if g == nil {
		return false
	}
	return g.Source <= least.Source && g.Intelligence <= least.Intelligence
}

// String is the grade as written: 1B P.
func (g *Grading) String() string {
	if g == nil {
		return "not graded"
	}
	return g.Source + g.Intelligence + " " + g.Handling
}

// The network around a child: the hub rule and the cap keep it readable and
// quick whatever the graph holds (a takeaway, a taxi firm's number).
const (
	// HubLinks: a node with more links than this is shown but not expanded
	// unless asked.
	HubLinks = 200
	// MaxNetworkNodes: the network stops growing here, and says so.
	MaxNetworkNodes = 500
	// MaxNetworkHops is the furthest the network reaches.
	MaxNetworkHops = 3
)

// NetworkQuery is what the network around a child is asked for.
type NetworkQuery struct {
	Hops  int
	Kinds []LinkKind
	// From and To keep links observed (or, with no dates, recorded) in the
	// period.
	From, To *Date
	// Least is the least grading a link must have; nil keeps ungraded ones.
	Least *Grading
	// Expand names hubs to expand all the same.
	Expand []EntityRef
}

// ParseNetworkQuery reads hops (1 to 3, 2 by default), kind (repeated),
// from, to, least (such as 2C: source 2 or better, intelligence C or
// better) and expand (type:id, repeated), naming a bad one.
func ParseNetworkQuery(q map[string][]string) (NetworkQuery, error) {
	var p Problems
	nq := NetworkQuery{Hops: 2}
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	if v := get("hops"); v != "" {
		switch v {
		case "1", "2", "3":
			nq.Hops = int(v[0] - '0')
		default:
			p.Add("hops", "hops must be 1, 2 or 3")
		}
	}
	if len(q["kind"]) > len(LinkKinds) {
		p.Add("kind", "Choose fewer kinds of link")
	} else {
		for _, k := range q["kind"] {
			if k == "" {
				continue
			}
			if !LinkKind(k).Valid() {
				p.Add("kind", "Choose kinds of link from the list")
				break
			}
			nq.Kinds = append(nq.Kinds, LinkKind(k))
		}
	}
	for _, f := range []struct {
		name string
		d    **Date
	}{{"from", &nq.From}, {"to", &nq.To}} {
		if v := get(f.name); v != "" {
			d, err := ParseDate(v)
			if err != nil {
				p.Add(f.name, "Enter the date as YYYY-MM-DD")
			} else {
				*f.d = &d
			}
		}
	}
	if nq.From != nil && nq.To != nil && nq.To.Before(*nq.From) {
		p.Add("to", "The end must not be before the start")
	}
	if v := get("least"); v != "" {
		if len(v) != 2 || v[0] < '1' || v[0] > '3' || v[1] < 'A' || v[1] > 'E' {
			p.Add("least", "The least grading is a source grade 1 to 3 and an intelligence grade A to E, such as 2B")
		} else {
			nq.Least = &Grading{Source: v[:1], Intelligence: v[1:]}
		}
	}
	if len(q["expand"]) > 20 {
		p.Add("expand", "Expand 20 hubs or fewer at once")
	} else {
		for _, v := range q["expand"] {
			t, id, ok := strings.Cut(v, ":")
			if !ok || !EntityType(t).Valid() || id == "" || len(id) > 64 {
				p.Add("expand", "Name a hub to expand as type:id")
				break
			}
			nq.Expand = append(nq.Expand, EntityRef{EntityType(t), id})
		}
	}
	return nq, p.Err()
}

// NetworkNode is a node of the network: a child, a person of concern, a
// vehicle, a phone, a place or an account.
type NetworkNode struct {
	Type  EntityType `json:"type"`
	ID    string     `json:"id"`
	Label string     `json:"label"`
	// Hop is how far it is from the child.
	Hop int `json:"hop"`
	// Links is how many links it has in all (to MaxCounted).
	Links int `json:"links"`
	// Hub: it has more than HubLinks links and was not expanded.
	Hub     bool `json:"hub,omitempty"`
	Hotspot bool `json:"hotspot,omitempty"`
}

// Ref is the node's reference.
func (n *NetworkNode) Ref() EntityRef { return EntityRef{n.Type, n.ID} }

// NetworkEdge is a link in the network.
type NetworkEdge struct {
	ID           string    `json:"id"`
	From         EntityRef `json:"from"`
	To           EntityRef `json:"to"`
	Kind         LinkKind  `json:"kind"`
	ObservedFrom *Date     `json:"observed_from,omitempty"`
	ObservedTo   *Date     `json:"observed_to,omitempty"`
	Grading      *Grading  `json:"grading,omitempty"`
	RecordedAt   time.Time `json:"recorded_at"`
}

// Network is everything linked to a child within the hops asked.
type Network struct {
	ChildID string         `json:"child_id"`
	Hops    int            `json:"hops"`
	Nodes   []*NetworkNode `json:"nodes"`
	Edges   []*NetworkEdge `json:"edges"`
	// Truncated: the network reached MaxNetworkNodes and stopped.
	Truncated bool `json:"truncated"`
	// Hubs are the nodes not expanded for the hub rule.
	Hubs []*NetworkNode `json:"hubs"`
	// HiddenChildren counts children linked within reach whom the caller may
	// not see: they are neither shown nor passed through.
	HiddenChildren int `json:"hidden_children"`
}

// IntelResult is one thing an intelligence search found.
type IntelResult struct {
	Type  EntityType `json:"type"`
	ID    string     `json:"id"`
	Label string     `json:"label"`
	// Exact: the registration or number searched for itself, not one it
	// could be.
	Exact bool `json:"exact,omitempty"`
}

// PersonCandidate is another person held who may be the same person, with
// the weights behind the score.
type PersonCandidate struct {
	PersonID    string  `json:"person_id"`
	Label       string  `json:"label"`
	Probability float64 `json:"probability"`
	// Weight is the evidence in bits, the prior's included.
	Weight float64 `json:"weight"`
	// Reasons are the weights in words: "Family name: exact (+6.2)".
	Reasons  []string          `json:"reasons"`
	Weights  []CandidateWeight `json:"weights"`
	Decision string            `json:"decision"` // autolink, review or none
}

// CandidateWeight is what one comparison gave a pair.
type CandidateWeight struct {
	Comparison string  `json:"comparison"`
	Level      string  `json:"level"`
	Weight     float64 `json:"weight"`
}

// PersonPair is a pair of persons on the review list: are they one?
type PersonPair struct {
	ID          string    `json:"id"`
	PersonA     string    `json:"person_a"`
	PersonB     string    `json:"person_b"`
	Probability float64   `json:"probability"`
	Reasons     []string  `json:"reasons"`
	FoundAt     time.Time `json:"found_at"`
}
