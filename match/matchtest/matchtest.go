// Package matchtest makes synthetic children for measuring matching: names
// drawn from British given and family names with the spellings people
// actually use, dates of birth over 18 years, and queries that misspell an
// existing child the way practitioners do. It also bulk-loads them into a
// Lantern database. It is for benchmarks and tests; it is not used by the
// application.
package matchtest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"lantern"
	"lantern/match"
)

// Groups of spellings of one name, the usual spelling first. A group's
// nickname follows a colon.
const givenGroups = `Mohammed Muhammad Mohamed Mohammad Muhammed:Mo|Oliver Olliver:Olly|Noah Noa|George Georgie|Arthur Arther|
Leo Leon|Harry Harrison:Haz|Oscar Oskar|Archie Archy|Henry Henri|Theodore Theo:Teddy|Jack Jak|Charlie Charley|
Freddie Freddy Fredie:Fred|Alfie Alfy|Jacob Jakob|Thomas Tomas:Tom|Joshua Joshuah:Josh|James Jaymes:Jim|William:Will|
Jayden Jaden Jaiden Jaydon Jaydan:Jay|Riley Ryley Reilly|Logan Logen|Ethan Ethen|Isaac Isaak Issac|Lucas Lukas|
Stephen Steven Stephan:Steve|Daniel Danial:Dan|Samuel Samual:Sam|Joseph Josef:Joe|Benjamin:Ben|Dylan Dillon Dilan|
Tyler Tyla|Kai Kye|Reggie Reggy|Ibrahim Ebrahim|Yusuf Yousuf Yusef Youssef|Ali Aly|Omar Umar|Hassan Hasan|
Ahmed Ahmad Ahmet|Arjun Arjan|Aarav Arav|Kacper Kasper|Jakub Jacub|Connor Conor Conner|Callum Calum|Kieran Kieron Ciaran|
Sean Shaun Shawn|Liam Lyam|Mason Mayson|Finley Finlay Findlay|Rhys Reece Rees Reese|Owen Owain|Evan Evans|
Olivia Olivea:Liv|Amelia Amelie:Millie|Isla Islay|Ava Eva|Ivy Ivey|Freya Freyja|Lily Lilly Lillie|Florence:Flo|
Mia Miah|Willow Willo|Rosie Rosy|Sophia Sofia Sophie Sofie|Isabella Isabela Izabella:Bella|Grace Grayce|Poppy Popy|
Evie Evey|Ella Ela|Emily Emilie:Em|Harper Harpa|Ruby Rubie|Chloe Khloe Chloé|Jessica Jesica:Jess|Lucy Lucie|
Ellie Elly|Daisy Daisey|Phoebe Pheobe Febe|Scarlett Scarlet|Matilda:Tilly|Charlotte Charlot:Lottie|Zara Zarah|
Aisha Ayesha Aysha Aishah|Fatima Fatimah Fatema|Maryam Mariam Miriam|Zainab Zaynab|Hafsa Hafsah|Amira Ameera|
Priya Pria|Zofia Zosia|Oliwia Olivia|Hannah Hanna|Leah Lea Leigh|Megan Meghan Megan|Caitlin Kaitlyn Katelyn|
Catherine Kathryn Katherine Cathryn:Kate|Rebecca Rebekah:Becky|Niamh Neve|Siobhan Shivaun|Aoife Eefa|
Courtney Kourtney|Jasmine Jasmin Yasmin Yasmine|Layla Laila Leila|Maisie Maisy Mazie|Summer Sumer|Erin Eryn|
Zoe Zoë Zoey|Abigail Abigayle:Abi|Madison Maddison|Paige Page|Nicole Nichole:Nikki|Tia Tiah|Keira Kiera Ciara`

const familyGroups = `Smith Smyth Smithe|Jones Jone|Williams Willams|Taylor Tayler|Brown Browne|Davies Davis Davys|Evans Evens|
Wilson Willson|Thomas Tomas|Johnson Jonson Johnston|Roberts Robberts|Robinson Robison|Thompson Thomson Tompson|
Wright Right|Walker Walkar|White Whyte|Edwards Edwardes|Hughes Hughs|Green Greene|Hall Hal|Lewis Louis|
Harris Haris|Clarke Clark|Patel Pattel|Jackson Jacksen|Wood Woods|Turner Turnor|Martin Martyn|Cooper Couper|
Hill Hills|Ward Warde|Morris Moris|Moore More Moor|King Kinge|Watson Whatson|Baker Bakker|Harrison Harison|
Morgan Morgen|Allen Allan Alan|James Jaymes|Scott Scot|Phillips Philips Phillipps|Young Yong|Griffiths Griffith Griffiths|
Mitchell Mitchel|Kelly Kelley|Cook Cooke|Carter Cartor|Richardson Richardsen|Bailey Baily Bayley|Collins Colins|
Bell Belle|Shaw Shore|Murphy Murphey|Miller Millar|Cox Cocks|Richards Richard|Khan Kahn Khaan|Marshall Marshal|
Anderson Andersen|Simpson Simson|Ellis Elis|Adams Addams|Singh Sing|Begum Begam|Ali Aly|Ahmed Ahmad Ahmet|
Hussain Hussein Husain|Rahman Rehman|Akhtar Akhter|Kaur Kor|Iqbal Ikbal|Chowdhury Choudhury Chaudhry|Islam Islaam|
Nowak Novak|Kowalski Kowalsky|Wisniewski Wisnieski|O'Brien O'Brian OBrien|O'Neill O'Neil ONeill|Murray Murrey|
Campbell Cambell|Stewart Stuart Steward|Reid Reed Read|MacLeod McLeod Macleod|Fraser Frazer Frasier|
McDonald MacDonald Mcdonald|MacKenzie McKenzie Mckenzie|Robertson Robertsen|Henderson Hendersen|Paterson Patterson|
Gray Grey|Hamilton Hamiltan|Graham Grahame|Kennedy Kenedy|Lloyd Loyd Floyd|Price Pryce|Owen Owens|Jenkins Jenkin|
Morgan-Jones Morgan Jones|Smith-Jones Smith Jones|Taylor-Brown Taylor Brown|Francis Frances|Barnes Barns|Holmes Homes|
Knight Night|Lee Lea Leigh|Walsh Welsh|Byrne Burn Byrnes|Doherty Dougherty Docherty|Nguyen Nguyễn|Okafor Okafur|
Adeyemi Adeyemy|Mensah Mensa|Boateng Boatang|Silva Sylva|Santos Santus|Costa Kosta|Ferreira Ferriera|Kowalczyk Kowalczik|
Yilmaz Yılmaz|Demir Demır|Papadopoulos Papadopolous|Schmidt Schmitt Smit|Müller Muller Mueller|Dubois DuBois Du-Bois`

// Parts of rarer family names, for the long tail: Ash+worth, Pen+ridge.
var (
	tailHeads = strings.Fields(`Ash Bar Black Brad Brock Cald Car Cart Chad Chester Cliff Crom Dal Dun East Fair Farn Gold Grim Hal
Hart Haw Hay Holl Horn Kirk Lang Lind Mar Mill Moss North Old Pen Rad Red Rock Rother Sal Sand Shel Stan Stock Sut Thorn
Wad War Wel West Whit Wick Win Wood Wor Yar`)
	tailTails = strings.Fields(`by bury combe croft dale den ford gate ham hurst ington ley ling low more ney ridge shaw stead stone
thorpe ton well wick worth wood field brook cott`)
)

type group struct {
	spellings []string
	nickname  string
}

func parseGroups(s string) []group {
	var gs []group
	for _, g := range strings.Split(strings.ReplaceAll(s, "\n", ""), "|") {
		names, nick, _ := strings.Cut(g, ":")
		gs = append(gs, group{spellings: strings.Fields(names), nickname: nick})
	}
	return gs
}

var (
	givens   = parseGroups(givenGroups)
	families = parseGroups(familyGroups)
)

// Person is a synthetic child.
type Person struct {
	ID                    string
	GivenName, FamilyName string
	DateOfBirth           lantern.Date
	Gender                string
	OtherName             string // "" for most
	given, family         int    // indexes of the name groups; family -1 for the long tail
}

// Generator makes people and queries, reproducibly from its seed.
type Generator struct {
	r     *rand.Rand
	today lantern.Date
	gz    *rand.Zipf
	fz    *rand.Zipf
	seed  uint64
	seq   uint64
	start time.Time
}

// NewGenerator makes a generator whose children are born in the 18 years
// before today.
func NewGenerator(seed uint64, today lantern.Date) *Generator {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// Zipf weights: the commonest family name is about 1.7% of children, as
	// Smith is in England; the commonest given name about 2%.
	return &Generator{r: r, seed: seed, today: today, start: today.Time(),
		gz: rand.NewZipf(r, 1.1, 30, uint64(len(givens)-1)),
		fz: rand.NewZipf(r, 1.05, 18, uint64(len(families)-1))}
}

// spelling picks a spelling: the usual one mostly.
func (g *Generator) spelling(gr group) string {
	if len(gr.spellings) == 1 || g.r.IntN(10) < 7 {
		return gr.spellings[0]
	}
	return gr.spellings[1+g.r.IntN(len(gr.spellings)-1)]
}

func (g *Generator) familyName() (string, int) {
	if g.r.IntN(100) < 40 { // the long tail
		return tailHeads[g.r.IntN(len(tailHeads))] + tailTails[g.r.IntN(len(tailTails))], -1
	}
	i := int(g.fz.Uint64())
	return g.spelling(families[i]), i
}

// DateOfBirth is a random date in the 18 years before today.
func (g *Generator) DateOfBirth() lantern.Date {
	return lantern.DateOf(g.start.AddDate(0, 0, -g.r.IntN(18*365)))
}

// ID is the next id, shaped like the store's (UUID version 7) and, like
// them, increasing; the same for the same seed and day, so that a loaded
// database can be used again.
func (g *Generator) ID() string {
	g.seq++
	ms := uint64(g.start.UnixMilli())
	return fmt.Sprintf("%08x-%04x-7%03x-%04x-%012x", ms>>16, ms&0xffff, g.seed&0xfff,
		0x8000|(g.seq>>48)&0x3fff, g.seq&0xffffffffffff)
}

// Person makes a child; about one in ten has an other name.
func (g *Generator) Person() Person {
	gi := int(g.gz.Uint64())
	p := Person{ID: g.ID(), GivenName: g.spelling(givens[gi]), given: gi, DateOfBirth: g.DateOfBirth()}
	p.FamilyName, p.family = g.familyName()
	p.Gender = []string{"female", "male"}[g.r.IntN(2)]
	if g.r.IntN(10) == 0 {
		switch nick := givens[gi].nickname; {
		case nick != "" && g.r.IntN(2) == 0:
			p.OtherName = nick
		case g.r.IntN(2) == 0:
			p.OtherName, _ = g.familyName() // a former family name
		default:
			f, _ := g.familyName()
			p.OtherName = g.spelling(givens[g.gz.Uint64()]) + " " + f
		}
	}
	return p
}

// Random is a query for a child who is probably not there.
func (g *Generator) Random() match.Query {
	p := g.Person()
	return match.Query{GivenName: p.GivenName, FamilyName: p.FamilyName, DateOfBirth: p.DateOfBirth}
}

// Misspell is a query for p as a practitioner might enter it again: another
// spelling of a name, a slip of the keyboard, or a mistake in the date.
func (g *Generator) Misspell(p Person) match.Query {
	q := match.Query{GivenName: p.GivenName, FamilyName: p.FamilyName, DateOfBirth: p.DateOfBirth}
	other := func(gr group, cur string) string {
		for range 5 {
			if s := g.spelling(gr); s != cur {
				return s
			}
		}
		return g.typo(cur)
	}
	switch n := g.r.IntN(10); {
	case n < 3: // another spelling of the given name
		q.GivenName = other(givens[p.given], p.GivenName)
	case n < 5: // another spelling of the family name
		if p.family >= 0 {
			q.FamilyName = other(families[p.family], p.FamilyName)
		} else {
			q.FamilyName = g.typo(p.FamilyName)
		}
	case n < 7: // a slip of the keyboard
		if g.r.IntN(2) == 0 {
			q.GivenName = g.typo(p.GivenName)
		} else {
			q.FamilyName = g.typo(p.FamilyName)
		}
	case n < 8: // a day or two out
		q.DateOfBirth = lantern.DateOf(p.DateOfBirth.Time().AddDate(0, 0, 1+g.r.IntN(3)))
	case n < 9: // day and month swapped, if that is a date; else the year
		if p.DateOfBirth.Day <= 12 && p.DateOfBirth.Day != int(p.DateOfBirth.Month) {
			q.DateOfBirth = lantern.Date{Year: p.DateOfBirth.Year, Month: time.Month(p.DateOfBirth.Day), Day: int(p.DateOfBirth.Month)}
			break
		}
		fallthrough
	default: // the year out by one
		d := p.DateOfBirth
		d.Year += 1 - 2*g.r.IntN(2)
		if _, err := lantern.ParseDate(d.String()); err == nil {
			q.DateOfBirth = d
		}
	}
	return q
}

// typo makes one slip: two letters swapped, one dropped or one doubled.
func (g *Generator) typo(s string) string {
	r := []rune(s)
	if len(r) < 4 {
		return s + string(r[len(r)-1])
	}
	i := 1 + g.r.IntN(len(r)-2) // keep the first letter: people rarely get it wrong
	switch g.r.IntN(3) {
	case 0:
		r[i], r[i+1] = r[i+1], r[i]
	case 1:
		r = append(r[:i], r[i+1:]...)
	default:
		r = append(r[:i+1], r[i:]...)
	}
	return string(r)
}

// Loader writes people to a Lantern database quickly: multi-row INSERTs in
// one transaction. Each person is involved with one of the agencies given,
// at random (and a fifth of them with a second one too).
type Loader struct {
	DB        *sql.DB
	Postgres  bool
	CreatedBy string   // a user id
	Agencies  []string // agency ids
	// Sample, when positive, keeps about that many loaded people, for
	// queries about children who are there.
	Sample int
	// NoWrite makes the people, and the sample, without writing them: for
	// a database loaded before from the same seed.
	NoWrite bool

	Kept []Person
}

// Load writes n people made by g, calling progress after each batch of
// rows. On SQLite it uses one connection with a large page cache, and one
// transaction.
func (l *Loader) Load(ctx context.Context, g *Generator, n int, progress func(done int)) error {
	if l.NoWrite {
		every := uint64(max(1, n/max(1, l.Sample)))
		for i := range n {
			if p := g.Person(); l.Sample > 0 && mix(uint64(i))%every == 0 {
				l.Kept = append(l.Kept, p)
			}
		}
		return nil
	}
	conn, err := l.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	rows := 500 // per INSERT: within PostgreSQL's 65,535 parameters
	if !l.Postgres {
		rows = 100 // SQLite looks up each parameter by name: keep statements small
		if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), `PRAGMA cache_size = -2000`)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().UTC().Truncate(time.Microsecond)
	var ts any = now
	if !l.Postgres {
		ts = now.Format("2006-01-02T15:04:05.000000Z")
	}
	every := uint64(max(1, n/max(1, l.Sample)))
	children := &batch{head: `INSERT INTO children (id, given_name, family_name, date_of_birth, gender, given_key, family_key, created_at, created_by, updated_at, updated_by, version) VALUES `,
		tail: ", 1)", width: 11, pg: l.Postgres}
	agencies := &batch{head: `INSERT INTO involvements (id, child_id, agency_id, source, source_id, started_at, started_by) VALUES `, tail: ")", width: 7, pg: l.Postgres}
	names := &batch{head: `INSERT INTO child_names (id, child_id, name, kind, name_key, created_at) VALUES `, tail: ")", width: 6, pg: l.Postgres}
	flush := func() error {
		for _, b := range []*batch{children, agencies, names} {
			if err := b.flush(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range n {
		p := g.Person()
		children.add(p.ID, p.GivenName, p.FamilyName, p.DateOfBirth, p.Gender,
			match.GivenKey(p.GivenName), match.FamilyKey(p.FamilyName), ts, l.CreatedBy, ts, l.CreatedBy)
		if k := uint64(len(l.Agencies)); k > 0 {
			h := mix(uint64(i))
			a := h % k
			agencies.add(p.ID+"-a", p.ID, l.Agencies[a], "record-created", p.ID, ts, l.CreatedBy)
			if b := (h >> 20) % k; (h>>40)%5 == 0 && b != a {
				agencies.add(p.ID+"-b", p.ID, l.Agencies[b], "professional", p.ID+"-b", ts, l.CreatedBy)
			}
		}
		if p.OtherName != "" {
			names.add(p.ID+"-n", p.ID, p.OtherName, "known-as", match.NameKey(p.OtherName), ts)
		}
		if l.Sample > 0 && mix(uint64(i))%every == 0 {
			l.Kept = append(l.Kept, p)
		}
		if children.rows == rows {
			if err := flush(); err != nil {
				return err
			}
			if progress != nil {
				progress(i + 1)
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return tx.Commit()
}

// mix scrambles i (SplitMix64), to spread people over agencies and the
// sample without patterns.
func mix(i uint64) uint64 {
	i += 0x9e3779b97f4a7c15
	i = (i ^ i>>30) * 0xbf58476d1ce4e5b9
	i = (i ^ i>>27) * 0x94d049bb133111eb
	return i ^ i>>31
}

// batch is a multi-row INSERT being gathered.
type batch struct {
	head, tail string
	width      int
	pg         bool
	rows       int
	args       []any
}

func (b *batch) add(vs ...any) {
	b.args = append(b.args, vs...)
	b.rows++
}

func (b *batch) flush(ctx context.Context, tx *sql.Tx) error {
	if b.rows == 0 {
		return nil
	}
	var sb strings.Builder
	sb.WriteString(b.head)
	k := 0
	for r := range b.rows {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for j := range b.width {
			if j > 0 {
				sb.WriteString(", ")
			}
			k++
			if b.pg {
				fmt.Fprintf(&sb, "$%d", k)
			} else {
				sb.WriteByte('?')
			}
		}
		if b.tail == ")" {
			sb.WriteByte(')')
		} else {
			sb.WriteString(b.tail)
		}
	}
	_, err := tx.ExecContext(ctx, sb.String(), b.args...)
	if err != nil {
		return fmt.Errorf("%s: %w", strings.Fields(b.head)[2], err)
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}
