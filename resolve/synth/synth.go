// Package synth makes synthetic records of persons of concern with a known
// truth, to train, test and measure package resolve: people of many name
// origins, some recorded several times with the noise real records carry
// (variant spellings, typos, names swapped, dates of birth mistyped or
// estimated from an age, fields missing, registrations and phone numbers
// written every which way), fathers and sons of one name at one address,
// and children. Everything is fictional: names are common names or made of
// parts, phone numbers are in Ofcom's ranges for drama, postcodes are in
// areas that do not exist (ZV, ZW, ZX, ZY) and registrations begin with I or
// Q, which no current-format plate does.
//
// Generate is deterministic: the same seed and n give the same records.
package synth

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"lantern"
	"lantern/resolve"
)

// Origin is the name origin of a person, by the number Generate's truth
// gives them: Origin(truth[i]) is record i's. A father and his son share
// one (their numbers differ only in the lowest bit).
func Origin(entity int) string {
	h := fnv.New64a()
	fmt.Fprint(h, entity>>1)
	x := float64(h.Sum64()>>11) / float64(1<<53)
	for _, o := range origins {
		if x < o.share {
			return o.name
		}
		x -= o.share
	}
	return origins[0].name
}

// entity is one person as they are.
type entity struct {
	id        int
	origin    string
	male      bool
	given     group
	givenIx   int // the spelling they use
	family    group
	familyIx  int
	tailName  string // a rarer family name, used instead when set
	suffix    string // "Jnr" or "Snr" for a father and son of one name
	dob       lantern.Date
	child     bool
	postcodes []string // current first
	vrm       string
	phone     string // national form
	aliases   []string
}

// The share of people with each thing, and of records that say it.
const (
	shareChild      = 0.05
	shareFatherSon  = 0.06 // of adult men: a son of the same name
	shareAliases    = 0.30
	shareVehicle    = 0.30
	shareSharedCar  = 0.05 // of vehicles: one an associate also uses
	shareHostel     = 0.01
	recordVariant   = 0.20 // one in five names a variant spelling
	recordTypo      = 0.04
	recordSwap      = 0.03
	recordInitial   = 0.03
	recordAliasOnly = 0.08 // of records of people with an alias: no name
)

// Generate makes n records of persons, with truth[i] the person record i
// is of. About a third of people are recorded more than once.
func Generate(seed int64, n int) ([]resolve.Record, []int) {
	if n <= 0 {
		return nil, nil
	}
	g := &gen{rng: rand.New(rand.NewPCG(uint64(seed), 0x5EED)), n: n}
	g.phones = phonePool(g.rng)
	// Personal phones for at most most of the pool: the drama ranges are
	// small, and two people must not share a number by chance.
	expected := float64(n) / 1.6
	g.phoneShare = math.Min(0.35, 0.9*float64(len(g.phones))/expected)
	g.addresses = max(50, n/4)
	records := make([]resolve.Record, 0, n)
	truth := make([]int, 0, n)
	for k := 0; len(records) < n; k++ {
		e := g.person(2 * k)
		for _, p := range g.family(e) {
			for range g.recordCount() {
				if len(records) == n {
					break
				}
				r := g.record(p)
				r.ID = fmt.Sprintf("p%d-%d", p.id, len(records))
				records = append(records, r)
				truth = append(truth, p.id)
			}
		}
	}
	// Shuffle, so a person's records are not side by side.
	g.rng.Shuffle(len(records), func(i, j int) {
		records[i], records[j] = records[j], records[i]
		truth[i], truth[j] = truth[j], truth[i]
	})
	return records, truth
}

type gen struct {
	rng        *rand.Rand
	n          int
	phones     []string
	phoneShare float64
	addresses  int
	lastVRM    string
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// zipf picks an index in [0, n), earlier ones more often.
func (g *gen) zipf(n int) int {
	// Weight 1/(i+2): a gentle slope, so common names are common but not
	// overwhelming.
	total := math.Log(float64(n+2)) - math.Log(2)
	x := math.Exp(g.rng.Float64()*total+math.Log(2)) - 2
	return min(int(x), n-1)
}

func (g *gen) person(id int) *entity {
	e := &entity{id: id, origin: Origin(id)}
	set := parsedSets[e.origin]
	e.child = g.chance(shareChild)
	e.male = g.chance(0.85)
	if e.child {
		e.male = g.chance(0.6)
	}
	names := set.female
	if e.male {
		names = set.male
	}
	e.given = names[g.zipf(len(names))]
	e.family = set.family[g.zipf(len(set.family))]
	// Sikh women are often Kaur, men Singh.
	if e.origin == "sikh" && g.chance(0.6) {
		e.family = set.family[0]
		if !e.male {
			e.family = set.family[1]
		}
	}
	// Some spell their names the less usual way.
	if g.chance(0.25) {
		e.givenIx = g.rng.IntN(len(e.given.spellings))
	}
	if g.chance(0.25) {
		e.familyIx = g.rng.IntN(len(e.family.spellings))
	}
	// The long tail of rarer family names.
	from := e.origin
	if o, ok := tailOf[from]; ok {
		from = o
	}
	if t, ok := tails[from]; ok && g.chance(tailShare[e.origin]) {
		e.tailName = t[0][g.rng.IntN(len(t[0]))] + t[1][g.rng.IntN(len(t[1]))]
	}
	year := 1965 + int(math.Round(g.rng.NormFloat64()*8+27))
	year = min(max(year, 1960), 2006)
	if e.child {
		year = 2008 + g.rng.IntN(6)
	}
	e.dob = lantern.DateOf(time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(365)))
	e.postcodes = []string{g.postcode()}
	if g.chance(0.4) {
		e.postcodes = append(e.postcodes, g.postcode())
	}
	if !e.child && g.chance(shareVehicle) {
		if g.lastVRM != "" && g.chance(shareSharedCar) {
			e.vrm = g.lastVRM
		} else {
			e.vrm = g.vrm()
		}
		g.lastVRM = e.vrm
	}
	if len(g.phones) > 0 && g.chance(g.phoneShare) {
		e.phone, g.phones = g.phones[len(g.phones)-1], g.phones[:len(g.phones)-1]
	}
	if g.chance(shareAliases) {
		e.aliases = append(e.aliases, g.alias(e))
		if g.chance(0.3) {
			e.aliases = append(e.aliases, g.alias(e))
		}
	}
	return e
}

// family is a person, and for some men a son of the same name at the same
// address, born a generation later.
func (g *gen) family(e *entity) []*entity {
	if e.child || !e.male || e.dob.Year > 1980 || !g.chance(shareFatherSon) {
		return []*entity{e}
	}
	son := g.person(e.id + 1)
	son.child, son.male = false, true
	son.given, son.family, son.tailName = e.given, e.family, e.tailName
	son.givenIx, son.familyIx = e.givenIx, e.familyIx
	year := min(e.dob.Year+18+g.rng.IntN(15), 2006)
	son.dob = lantern.DateOf(time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(365)))
	son.postcodes = []string{e.postcodes[0]}
	e.suffix, son.suffix = "Snr", "Jnr"
	if son.vrm == "" && e.vrm != "" && g.chance(0.3) {
		son.vrm = e.vrm // the family car
	}
	return []*entity{e, son}
}

// recordCount is how many records a person has: most one, some many.
func (g *gen) recordCount() int {
	switch x := g.rng.Float64(); {
	case x < 0.62:
		return 1
	case x < 0.80:
		return 2
	case x < 0.90:
		return 3
	case x < 0.95:
		return 4
	}
	return 5 + g.rng.IntN(4)
}

const unitLetters = "ABDEFGHJLNPQRSTUWXYZ"

// postcode is a fictional postcode: most people at their own, a few at one
// of a few hostels.
func (g *gen) postcode() string {
	i := g.rng.IntN(g.addresses)
	if g.chance(shareHostel) {
		i = g.rng.IntN(20)
	}
	area := []string{"ZV", "ZW", "ZX", "ZY"}[i%4]
	i /= 4
	district := 1 + i%60
	i /= 60
	sector := i % 10
	i /= 10
	u := i % (len(unitLetters) * len(unitLetters))
	return fmt.Sprintf("%s%d %d%c%c", area, district, sector, unitLetters[u/len(unitLetters)], unitLetters[u%len(unitLetters)])
}

func (g *gen) vrm() string {
	l := func() byte { return byte('A' + g.rng.IntN(26)) }
	return fmt.Sprintf("%c%c%02d%c%c%c", "IQ"[g.rng.IntN(2)], l(), g.rng.IntN(100), l(), l(), l())
}

// phonePool is every number in Ofcom's drama ranges used here, shuffled,
// in national form.
func phonePool(rng *rand.Rand) []string {
	prefixes := []string{"07700900", "01632960", "02079460", "01134960", "01144960", "01154960", "01164960", "01174960",
		"01184960", "01214960", "01314960", "01414960", "01514960", "01614960", "01914980", "02920180", "02896496"}
	var out []string
	for _, p := range prefixes {
		for i := range 1000 {
			out = append(out, fmt.Sprintf("%s%03d", p, i))
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func (g *gen) alias(e *entity) string {
	root := aliasRoots[g.rng.IntN(len(aliasRoots))]
	switch x := g.rng.Float64(); {
	case x < 0.35:
		return initial(e.given.spellings[0]) + "-" + root
	case x < 0.6:
		return aliasHeads[g.rng.IntN(len(aliasHeads))] + " " + root
	case x < 0.7 && e.given.nickname != "":
		return e.given.nickname
	case x < 0.75:
		return initial(e.given.spellings[0]) // "J"
	}
	return root
}

// record is one record of a person, with the noise of real records.
func (g *gen) record(e *entity) resolve.Record {
	r := resolve.Record{Child: e.child}
	given := e.given.spellings[e.givenIx]
	if g.chance(recordVariant) {
		if len(e.given.spellings) > 1 {
			given = e.given.spellings[g.rng.IntN(len(e.given.spellings))]
		} else if e.given.nickname != "" {
			given = e.given.nickname
		}
	}
	family := e.family.spellings[e.familyIx]
	if e.tailName != "" {
		family = e.tailName
	} else if g.chance(0.1) && len(e.family.spellings) > 1 {
		family = e.family.spellings[g.rng.IntN(len(e.family.spellings))]
	}
	if g.chance(recordTypo) {
		given = g.typo(given)
	}
	if g.chance(recordTypo) {
		family = g.typo(family)
	}
	if g.chance(recordInitial) {
		given = initial(given)
	}
	if e.suffix != "" && g.chance(0.5) {
		family += []string{" " + e.suffix, " (" + e.suffix + ")", ", " + strings.ToUpper(e.suffix)}[g.rng.IntN(3)]
	}
	n := resolve.Name{Given: given, Family: family}
	if g.chance(recordSwap) {
		n.Given, n.Family = n.Family, n.Given
	}
	if g.chance(0.1) {
		n.Given, n.Family = strings.ToUpper(n.Given), strings.ToUpper(n.Family)
	}
	r.Names = []resolve.Name{n}
	for _, a := range e.aliases {
		if g.chance(0.5) {
			r.Aliases = append(r.Aliases, g.aliasNoise(a))
		}
	}
	if len(r.Aliases) > 0 && g.chance(recordAliasOnly) {
		r.Names = nil // a street name alone
	}
	g.dob(e, &r)
	if g.chance(0.92) {
		r.Sex = "female"
		if e.male != g.chance(0.005) {
			r.Sex = "male"
		}
	}
	switch x := g.rng.Float64(); {
	case x < 0.55:
		r.Postcodes = []string{g.postcodeNoise(e.postcodes[0])}
	case x < 0.70 && len(e.postcodes) > 1:
		r.Postcodes = []string{g.postcodeNoise(e.postcodes[1])}
	case x < 0.75:
		r.Postcodes = []string{g.postcodeNoise(e.postcodes[0]), g.postcodeNoise(e.postcodes[len(e.postcodes)-1])}
	}
	if e.vrm != "" && g.chance(0.45) {
		r.VRMs = g.vrmNoise(e.vrm)
	}
	if e.phone != "" && g.chance(0.5) {
		if p, ok := lantern.NormalisePhone(g.phoneNoise(e.phone)); ok {
			r.Phones = []string{p}
		}
	}
	return r
}

// dob writes a date of birth as records do: mostly right, sometimes
// mistyped, estimated from an age ("about 25 in 2023"), 1 January of the
// year, or missing.
func (g *gen) dob(e *entity, r *resolve.Record) {
	d := e.dob
	switch x := g.rng.Float64(); {
	case x < 0.60:
		r.DateOfBirth = d
	case x < 0.67:
		r.DateOfBirth = g.dobTypo(d)
	case x < 0.82:
		seen := 2015 + g.rng.IntN(10)
		age := seen - d.Year
		if d.Month > time.June {
			age-- // not yet had the birthday for much of the year
		}
		age += []int{0, 0, 0, 0, 1, -1, 1, -1, 2, -2, 3}[g.rng.IntN(11)]
		r.BirthYear = seen - age
		r.Estimated = true
	case x < 0.87:
		r.DateOfBirth = lantern.Date{Year: d.Year, Month: time.January, Day: 1}
	}
}

func (g *gen) dobTypo(d lantern.Date) lantern.Date {
	for range 10 {
		x := d
		switch g.rng.IntN(5) {
		case 0: // day and month swapped
			x.Day, x.Month = int(d.Month), time.Month(d.Day)
		case 1: // a digit of the day
			x.Day = (d.Day/10)*10 + g.rng.IntN(10)
		case 2: // a digit of the month
			x.Month = time.Month(g.rng.IntN(12) + 1)
		case 3: // the year's last digit
			x.Year = d.Year - d.Year%10 + g.rng.IntN(10)
		case 4: // the year's last two digits swapped
			x.Year = d.Year - d.Year%100 + (d.Year%10)*10 + (d.Year/10)%10
		}
		if x != d && x.Day >= 1 && x.Month >= 1 && x.Month <= 12 &&
			x.Day <= time.Date(x.Year, x.Month+1, 0, 0, 0, 0, 0, time.UTC).Day() {
			return x
		}
	}
	return d
}

// initial is a name's first letter (a rune: "Ł", not half of it).
func initial(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// typo makes one slip of the keyboard: a letter changed, dropped, doubled,
// or two swapped.
func (g *gen) typo(s string) string {
	r := []rune(s)
	if len(r) < 4 {
		return s
	}
	i := 1 + g.rng.IntN(len(r)-2)
	switch g.rng.IntN(4) {
	case 0:
		r[i] = rune('a' + g.rng.IntN(26))
	case 1:
		r = append(r[:i], r[i+1:]...)
	case 2:
		r = append(r[:i+1], r[i:]...)
	default:
		r[i], r[i+1] = r[i+1], r[i]
	}
	return string(r)
}

func (g *gen) aliasNoise(a string) string {
	switch g.rng.IntN(6) {
	case 0:
		return strings.ReplaceAll(a, "-", " ")
	case 1:
		return strings.ReplaceAll(strings.ReplaceAll(a, "-", ""), " ", "")
	case 2:
		return strings.ToUpper(a)
	}
	return a
}

func (g *gen) postcodeNoise(pc string) string {
	switch g.rng.IntN(4) {
	case 0:
		return strings.ToLower(pc)
	case 1:
		return strings.ReplaceAll(pc, " ", "")
	}
	return pc
}

// vrmNoise writes a registration as people do ("ab12 cde", "AB 12CDE"),
// normalised as a caller would; now and then with a character unknown.
func (g *gen) vrmNoise(v string) []string {
	s := v
	switch g.rng.IntN(5) {
	case 0:
		s = strings.ToLower(v[:4] + " " + v[4:])
	case 1:
		s = v[:2] + " " + v[2:]
	case 2:
		s = v[:4] + "-" + v[4:]
	case 3:
		s = v[:4] + " " + v[4:]
	}
	if g.chance(0.05) {
		b := []byte(s)
		b[len(b)-1-g.rng.IntN(3)] = '?'
		s = string(b)
	}
	if n, _, ok := lantern.NormaliseVRM(s); ok {
		return []string{n}
	}
	return nil
}

// phoneNoise writes a national number as people do: "07700 900123",
// "+44 (0)7700 900123", "0044 7700 900123".
func (g *gen) phoneNoise(p string) string {
	split := 4 // 0113 496 0123
	switch {
	case strings.HasPrefix(p, "07"), strings.HasPrefix(p, "01632"):
		split = 5 // 07700 900123
	case strings.HasPrefix(p, "02"):
		split = 3 // 020 7946 0123
	}
	head, tail := p[:split], p[split:]
	switch g.rng.IntN(5) {
	case 0:
		return head + " " + tail
	case 1:
		return "+44 (0)" + head[1:] + " " + tail
	case 2:
		return "0044 " + head[1:] + " " + tail
	case 3:
		return "+44" + p[1:]
	}
	return p
}
