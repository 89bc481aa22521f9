// Package intelgen makes a national-scale set of synthetic intelligence,
// deterministically from a seed: persons of concern (package resolve/synth,
// with a labelled truth of who is who and their name origins), vehicles,
// phones, places and accounts, children, and the links between them, with
// hubs (takeaways, taxi firms' numbers) of up to 10,000 links. At scale 1
// it holds 2 million entities and 10 million links; CI uses 0.01.
//
// Everything is fictional. Registrations begin with I or Q, which no
// current-format plate does; the persons' own numbers are in Ofcom's ranges
// for drama, and the rest use the country code +28x, which the ITU keeps
// spare, so no generated number can be anyone's.
package intelgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"lantern"
	"lantern/resolve"
	"lantern/resolve/synth"
)

// Sizes at scale 1.
const (
	Entities = 2_000_000
	Links    = 10_000_000
	// MaxHub is the most links a hub has at scale 1.
	MaxHub = 10_000
)

// Kind is what a generated thing is.
type Kind uint8

const (
	KindChild Kind = iota
	KindPerson
	KindVehicle
	KindPhone
	KindPlace
	KindAccount
)

// EntityType is the kind as Lantern names it.
func (k Kind) EntityType() lantern.EntityType {
	return [...]lantern.EntityType{lantern.EntityChild, lantern.EntityPerson, lantern.EntityVehicle, lantern.EntityPhone,
		lantern.EntityPlace, lantern.EntityAccount}[k]
}

// Ref is one end of a link: a kind and an index into its list.
type Ref struct {
	Kind Kind
	Idx  int32
}

// Link is a generated link. Day is its observed day, counted back from
// the set's last day.
type Link struct {
	From, To Ref
	Kind     lantern.LinkKind
	DaysAgo  int16
	Grade    uint8 // an index into Grades
}

// Grades are the gradings links carry, the commonest first; the last is
// handling C.
var Grades = []lantern.Grading{
	{Source: "2", Intelligence: "B", Handling: "P"}, {Source: "1", Intelligence: "A", Handling: "P"},
	{Source: "2", Intelligence: "C", Handling: "P"}, {Source: "3", Intelligence: "C", Handling: "P"},
	{Source: "1", Intelligence: "B", Handling: "C", Conditions: "Police only"},
}

// Vehicle is a generated vehicle: the registration as written (format
// noise included), and what it looks like.
type Vehicle struct{ VRM, Colour, Make, Model string }

// Place is a generated place.
type Place struct {
	Name, Postcode string
	Lat, Lon       float64
	Hotspot        bool
}

// Account is a generated online account.
type Account struct{ Platform, Handle string }

// Child is a generated child.
type Child struct {
	Given, Family string
	DateOfBirth   lantern.Date
	Gender        string
}

// Set is everything generated.
type Set struct {
	Persons  []resolve.Record
	Truth    []int // the person each record is of
	Vehicles []Vehicle
	Phones   []string // as written
	Places   []Place
	Accounts []Account
	Children []Child
	Links    []Link
}

// Origin is record i's name origin.
func (s *Set) Origin(i int) string { return synth.Origin(s.Truth[i]) }

// Generate makes the set at scale (1 is national: 2 million entities, 10
// million links). The same seed and scale give the same set.
func Generate(seed int64, scale float64) *Set {
	if scale <= 0 {
		scale = 0.01
	}
	n := func(full int) int { return max(1, int(math.Round(float64(full)*scale))) }
	rng := rand.New(rand.NewPCG(uint64(seed), 0x1a7e1))
	s := &Set{}
	s.Persons, s.Truth = synth.Generate(seed, n(800_000))
	nPlaces, nAccounts, nChildren := n(200_000), n(100_000), n(40_000)
	// Vehicles and phones: those the persons' records name, then more
	// seen by themselves (a car at a hotspot, a number that called).
	vrmIdx, phoneIdx := map[string]int32{}, map[string]int32{}
	var links []Link
	add := func(from, to Ref, k lantern.LinkKind) {
		g := uint8(0)
		switch x := rng.Float64(); {
		case x < 0.05:
			g = 4
		case x < 0.25:
			g = 1
		case x < 0.5:
			g = 2
		case x < 0.6:
			g = 3
		}
		links = append(links, Link{From: from, To: to, Kind: k, DaysAgo: int16(rng.IntN(3650)), Grade: g})
	}
	for i, r := range s.Persons {
		p := Ref{KindPerson, int32(i)}
		for _, v := range r.VRMs {
			ix, ok := vrmIdx[v]
			if !ok {
				ix = int32(len(s.Vehicles))
				vrmIdx[v] = ix
				s.Vehicles = append(s.Vehicles, Vehicle{VRM: vrmNoise(rng, v), Colour: pick(rng, colours), Make: pick(rng, makes), Model: "Example"})
			}
			add(p, Ref{KindVehicle, ix}, lantern.LinkUsesVehicle)
		}
		for _, ph := range r.Phones {
			ix, ok := phoneIdx[ph]
			if !ok {
				ix = int32(len(s.Phones))
				phoneIdx[ph] = ix
				s.Phones = append(s.Phones, phoneNoise(rng, ph))
			}
			add(p, Ref{KindPhone, ix}, lantern.LinkUsesPhone)
		}
	}
	for len(s.Vehicles) < n(400_000) {
		v := fmt.Sprintf("Q%03d%s", len(s.Vehicles)%1000, letters(rng, 3))
		if _, ok := vrmIdx[v]; ok {
			continue
		}
		vrmIdx[v] = int32(len(s.Vehicles))
		s.Vehicles = append(s.Vehicles, Vehicle{VRM: vrmNoise(rng, v), Colour: pick(rng, colours), Make: pick(rng, makes), Model: "Example"})
	}
	for len(s.Phones) < n(500_000) {
		s.Phones = append(s.Phones, fmt.Sprintf("+28%d%09d", len(s.Phones)%10, len(s.Phones)))
	}
	for i := range nPlaces {
		s.Places = append(s.Places, Place{Name: fmt.Sprintf("%s %d (fictional)", pick(rng, placeKinds), i), Postcode: fmt.Sprintf("ZZ%d %dZZ", i%99+1, i%9+1),
			Lat: 50 + rng.Float64()*5, Lon: -5 + rng.Float64()*5, Hotspot: i < nPlaces/100})
	}
	for i := range nAccounts {
		s.Accounts = append(s.Accounts, Account{Platform: pick(rng, platforms), Handle: fmt.Sprintf("user_%d_%s", i, letters(rng, 3))})
	}
	for range nChildren {
		g := pick(rng, genders)
		names := girls
		if g == "male" {
			names = boys
		}
		s.Children = append(s.Children, Child{Given: pick(rng, names), Family: pick(rng, childStarts) + pick(rng, childEnds),
			DateOfBirth: lantern.Date{Year: 2009 + rng.IntN(8), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}, Gender: g})
	}
	// Communities: persons, places and children in groups of about 50, so
	// associates and haunts cluster as they do.
	const group = 50
	nPersons := len(s.Persons)
	near := func(i, of, to int) int32 {
		g := (i * to / max(of, 1)) / group * group
		return int32(min(to-1, g+rng.IntN(group)))
	}
	hubs := func(count, of int) []int32 {
		out := make([]int32, count)
		for i := range out {
			out[i] = int32(rng.IntN(of))
		}
		return out
	}
	placeHubs, phoneHubs := hubs(20, nPlaces), hubs(10, len(s.Phones))
	// A hub gets a share of its links by rank, the first about MaxHub at
	// scale 1.
	hub := func(hs []int32) int32 {
		x := rng.Float64()
		return hs[min(len(hs)-1, int(x*x*float64(len(hs))))]
	}
	for i := range nPersons {
		p := Ref{KindPerson, int32(i)}
		for range 2 {
			if j := near(i, nPersons, nPersons); int(j) != i {
				add(p, Ref{KindPerson, j}, lantern.LinkAssociate)
			}
		}
		for range 2 {
			pl := near(i, nPersons, nPlaces)
			if rng.Float64() < 0.05 {
				pl = hub(placeHubs)
			}
			add(p, Ref{KindPlace, pl}, lantern.LinkSeenAt)
		}
		if rng.Float64() < 0.12 {
			add(p, Ref{KindAccount, near(i, nPersons, nAccounts)}, lantern.LinkOnlineContact)
		}
	}
	for i := range nChildren {
		c := Ref{KindChild, int32(i)}
		for range 1 + rng.IntN(3) {
			add(c, Ref{KindPerson, near(i, nChildren, nPersons)}, lantern.LinkAssociate)
		}
		add(c, Ref{KindPlace, near(i, nChildren, nPlaces)}, lantern.LinkSeenAt)
		if rng.Float64() < 0.3 {
			add(c, Ref{KindPlace, near(i, nChildren, nPlaces)}, lantern.LinkFoundAt)
		}
		if rng.Float64() < 0.3 {
			add(c, Ref{KindAccount, near(i, nChildren, nAccounts)}, lantern.LinkOnlineContact)
		}
	}
	// Calls between numbers fill the rest: most near, some to a taxi firm.
	total := n(Links)
	nPhones := len(s.Phones)
	for i := 0; len(links) < total; i = (i + 1) % nPhones {
		to := near(i, nPhones, nPhones)
		if rng.Float64() < 0.02 {
			to = hub(phoneHubs)
		}
		if int(to) != i {
			add(Ref{KindPhone, int32(i)}, Ref{KindPhone, to}, lantern.LinkCalled)
		}
	}
	s.Links = links
	return s
}

func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }

func letters(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + rng.IntN(26))
	}
	return string(b)
}

// vrmNoise writes a registration as people do: spaced, lower case, dashed.
func vrmNoise(rng *rand.Rand, v string) string {
	switch rng.IntN(5) {
	case 0:
		if len(v) > 4 {
			return v[:len(v)-3] + " " + v[len(v)-3:]
		}
	case 1:
		return lowerASCII(v)
	case 2:
		if len(v) > 4 {
			return v[:2] + "-" + v[2:]
		}
	}
	return v
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// phoneNoise writes a UK number (+447700900123) in one of its forms.
func phoneNoise(rng *rand.Rand, e164 string) string {
	if len(e164) < 4 || e164[:3] != "+44" {
		return e164
	}
	nat := e164[3:]
	switch rng.IntN(4) {
	case 0:
		return "0" + nat[:4] + " " + nat[4:]
	case 1:
		return "+44 (0)" + nat[:4] + " " + nat[4:]
	case 2:
		return "0044 " + nat
	}
	return e164
}

var (
	colours    = []string{"silver", "black", "white", "blue", "red", "grey"}
	makes      = []string{"Vauxhall", "Ford", "Volkswagen", "BMW", "Audi", "Toyota", "Nissan"}
	placeKinds = []string{"Takeaway", "Park", "Car park", "Hotel", "Flat", "Shop", "Taxi rank", "Garage"}
	platforms  = []string{"Snapchat", "Instagram", "TikTok", "WhatsApp", "Facebook"}
	girls      = []string{"Amira", "Bella", "Chloe", "Daisy", "Ella", "Freya", "Grace", "Holly", "Isla", "Jade", "Keira", "Layla", "Maya", "Nadia",
		"Olivia", "Poppy", "Ruby", "Sana", "Tia", "Zara", "Aisha", "Erin", "Hana", "Iqra", "Lily", "Megan", "Niamh", "Phoebe", "Rosie", "Skye"}
	boys = []string{"Kyle", "Liam", "Mason", "Noah", "Owen", "Adam", "Bilal", "Callum", "Dylan", "Ethan", "Finn", "Harvey", "Ibrahim", "Jack",
		"Kai", "Leo", "Musa", "Nathan", "Oscar", "Reece", "Sami", "Theo", "Tyler", "Yusuf", "Zain", "Aaron", "Connor", "Jayden", "Rhys", "Toby"}
	// Children's family names are made of two parts, five hundred in all,
	// so that as few share a name and a birthday as in a real area: a
	// single sound-alike family name gave every child dozens of possible
	// duplicates.
	childStarts = []string{"Ash", "Brad", "Carr", "Dun", "Ell", "Fair", "Gold", "Hart", "Ing", "Jer", "Kirk", "Lang", "Mor", "Nor", "Ock",
		"Pen", "Quill", "Rad", "Sum", "Thorn", "Ull", "Vard", "Wick", "Yar", "Zell"}
	childEnds = []string{"ford", "ley", "ton", "by", "well", "wood", "field", "ham", "more", "den", "croft", "stone", "brook", "bury", "dale",
		"wick", "worth", "gate", "mere", "shaw"}
	genders = []string{"female", "female", "female", "male"}
)
