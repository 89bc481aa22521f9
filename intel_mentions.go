package lantern

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Where intelligence comes from (issue 14, item 4): a concern, a referral,
// a meeting's associates or a missing episode's "where found" may name
// vehicles, phones, people, accounts and places. Mentions finds them in
// the text, so that the recorder confirms each as an entity and a link
// rather than retyping it. It only suggests: nothing found here is stored
// until a person says so, and a miss costs no more than typing.

// MaxMentionText bounds the text searched: a concern's summary and a
// meeting's minutes fit many times over, and the work stays small whatever
// a caller sends.
const MaxMentionText = 20_000

// MaxMentions bounds what one text suggests: past this, a person reads the
// text instead.
const MaxMentions = 40

// Mention is one thing a text names.
type Mention struct {
	Type EntityType `json:"type"`
	// Text is as written; Start and End are its byte offsets in the text.
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	// Value is the thing in one form: a registration as NormaliseVRM has
	// it, a number in E.164, a name or street name, a handle without @, a
	// place's name or postcode.
	Value string `json:"value"`
	// Partial: a registration with characters not known (?).
	Partial bool `json:"partial,omitempty"`
	// Nickname: a person named by what they are called (quoted, "known as",
	// "calls himself"), not a given name.
	Nickname bool `json:"nickname,omitempty"`
	// Platform is an account's, where a platform is named near the handle.
	Platform string `json:"platform,omitempty"`
	// Address is a street a place was said to be on ("the Chicken Shack on
	// Mill Lane"); Postcode, a place given by postcode alone.
	Address  string `json:"address,omitempty"`
	Postcode string `json:"postcode,omitempty"`
}

// Registrations, by format. Letters and digits may be ? where not known.
// The current format (AB12 CDE) is distinctive enough to find in lower
// case too; the others only in capitals, as plates are written.
var (
	vrmCurrent  = regexp.MustCompile(`(?i)[A-Z?]{2}[0-9?]{2} ?[A-Z?]{3}`)
	vrmPrefix   = regexp.MustCompile(`[A-Z?][0-9?]{1,3} ?[A-Z?]{3}`)
	vrmSuffix   = regexp.MustCompile(`[A-Z?]{3} ?[0-9?]{1,3}[A-Z?]`)
	vrmNI       = regexp.MustCompile(`[A-Z]?(?:[A-Z][IZ]|[IZ][A-Z]) ?[0-9?]{1,4}`)
	vrmDateless = regexp.MustCompile(`[A-Z]{1,3} ?[0-9]{1,4}|[0-9]{1,4} ?[A-Z]{1,3}`)
	// vrmCue: words that say a registration follows, without which a
	// dateless mark (A 1, 12 AB) is too like ordinary text to suggest.
	vrmCue     = regexp.MustCompile(`(?i)\b(?:reg|registration|reg no|reg number|plates?|number plate|vrm|index)\b[\s.:#-]*$`)
	postcodeIn = regexp.MustCompile(`(?i)[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}`)
	// Dates and times written with letters (12TH, 3PM) are not plates;
	// neither are months and weekdays with a number.
	notPlate = regexp.MustCompile(`^(?:[0-9]{1,4} ?(?:ST|ND|RD|TH|AM|PM|HRS?|MINS?|KG|KM|CM|MM|ML|MPH|GB|MB)|(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|SEPT|OCT|NOV|DEC|MON|TUE|TUES|WED|THU|THUR|THURS|FRI|SAT|SUN) ?[0-9]{1,4})$`)
)

// Names: quoted, or after words that say what someone is called.
var (
	quotedRE  = regexp.MustCompile(`[“"]([^“”"\n]{1,40})[”"]`)
	calledRE  = regexp.MustCompile(`(?i)\b(?:known as|goes by|go by|nicknamed|aka|a\.k\.a\.?|street name(?: is|:)?|calls? (?:him|her|them)sel(?:f|ves)|(?:she|he|they|i|we|you) calls? (?:him |her |them )?|(?:man|male|woman|female|boy|girl|lad|guy|bloke|friend|person|someone) called)\s*`)
	namedRE   = regexp.MustCompile(`(?i)\b(?:named|name is|called himself|called herself)\s+`)
	capsRE    = regexp.MustCompile(`^[\p{Lu}][\p{L}'’\-]*(?: [\p{Lu}][\p{L}'’\-]*){0,2}`)
	handleRE  = regexp.MustCompile(`@[A-Za-z0-9._]{2,30}`)
	platWord  = regexp.MustCompile(`(?i)\b(snapchat|snap|instagram|insta|ig|tiktok|tik tok|whatsapp|facebook|fb|messenger|telegram|twitter|discord|kik|wizz|yubo|xbox|playstation|psn|tinder|grindr|onlyfans|threads|bereal|roblox)\b`)
	platAsRE  = regexp.MustCompile(`(?i)\b(snapchat|snap|instagram|insta|tiktok|whatsapp|facebook|telegram|twitter|discord|kik|wizz|yubo|xbox|psn)(?: (?:name|handle|username|user name|account|id))?(?: is| as|:| -)\s*([A-Za-z0-9._]{3,30})`)
	streetRE  = regexp.MustCompile(`\b(?:[0-9]{1,4}[A-Za-z]? )?(?:[\p{Lu}][\p{L}'’]+ ){1,3}(?:Lane|Road|Rd|Street|St|Avenue|Ave|Close|Drive|Way|Place|Court|Crescent|Terrace|Grove|Hill|Square|Gardens|Walk|Row|Park|Parade|Rise|Green|Estate|Precinct|Retail Park|Shopping Centre|Bus Station|Interchange)\b`)
	venueRE   = regexp.MustCompile(`\b(?:at|to|in|outside|near|behind|from|by) the ((?:[\p{Lu}][\p{L}'’&]*)(?: (?:[\p{Lu}][\p{L}'’&]*|&)){0,3})`)
	venueOnRE = regexp.MustCompile(`^ (?:on|in|off) ` + `((?:[\p{Lu}][\p{L}'’]+ ){1,3}(?:Lane|Road|Rd|Street|St|Avenue|Ave|Close|Drive|Way|Place|Court|Crescent|Terrace|Grove|Hill|Square|Gardens|Walk|Row|Parade|Rise|Green))\b`)
)

// platforms names each platform word as the platform is called.
var platforms = map[string]string{"snapchat": "Snapchat", "snap": "Snapchat", "instagram": "Instagram", "insta": "Instagram", "ig": "Instagram",
	"tiktok": "TikTok", "tik tok": "TikTok", "whatsapp": "WhatsApp", "facebook": "Facebook", "fb": "Facebook", "messenger": "Messenger",
	"telegram": "Telegram", "twitter": "X", "discord": "Discord", "kik": "Kik", "wizz": "Wizz", "yubo": "Yubo", "xbox": "Xbox",
	"playstation": "PlayStation", "psn": "PlayStation", "tinder": "Tinder", "grindr": "Grindr", "onlyfans": "OnlyFans", "threads": "Threads",
	"bereal": "BeReal", "roblox": "Roblox"}

// notNames are capitalised words that start sentences, not names.
var notNames = map[string]bool{"I": true, "The": true, "A": true, "An": true, "He": true, "She": true, "They": true, "Him": true, "Her": true,
	"It": true, "We": true, "You": true, "No": true, "Yes": true, "Ok": true, "OK": true, "Okay": true, "Hi": true, "Hello": true, "Bye": true,
	"Sorry": true, "Thanks": true, "Please": true, "Me": true, "What": true, "Why": true, "Help": true, "Stop": true, "Mum": true, "Dad": true,
	"Police": true, "This": true, "That": true, "My": true, "His": true, "Their": true, "Them": true, "And": true, "But": true, "So": true,
	"Then": true, "When": true, "If": true, "On": true, "At": true, "In": true, "To": true, "Lol": true, "Babe": true, "Baby": true}

// notHandles are words after "on Snapchat as" that are not a handle.
var notHandles = map[string]bool{"a": true, "an": true, "the": true, "well": true, "he": true, "she": true, "they": true, "and": true, "but": true,
	"with": true, "her": true, "him": true, "them": true, "his": true, "their": true, "is": true, "was": true, "to": true, "from": true}

// Mentions finds what a text names: registrations (whole or with ? for
// characters not known), UK phone numbers, nicknames and names, handles
// and places. Each is found once, in the order written; postcodes, dates
// and times are not taken for registrations. Text past MaxMentionText is
// not read.
func Mentions(text string) []Mention {
	if len(text) > MaxMentionText {
		cut := MaxMentionText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	f := finder{text: text, seen: map[string]bool{}}
	// Postcodes first: their spans are never registrations.
	for _, loc := range postcodeIn.FindAllStringIndex(text, -1) {
		if !f.bounded(loc[0], loc[1]) {
			continue
		}
		f.taken = append(f.taken, loc)
		if pc, ok := NormalisePostcode(text[loc[0]:loc[1]]); ok && isUpperish(text[loc[0]:loc[1]]) {
			f.add(Mention{Type: EntityPlace, Start: loc[0], End: loc[1], Value: pc, Postcode: pc})
		}
	}
	f.phones()
	f.plates()
	f.handles()
	f.names()
	f.places()
	slices.SortStableFunc(f.out, func(a, b Mention) int { return a.Start - b.Start })
	if len(f.out) > MaxMentions {
		f.out = f.out[:MaxMentions]
	}
	return f.out
}

type finder struct {
	text  string
	out   []Mention
	seen  map[string]bool
	taken [][]int // spans already a mention, or a postcode
}

// add keeps a mention once per thing, taking its span.
func (f *finder) add(m Mention) {
	if len(f.out) >= MaxMentions*2 { // bounded before the sort cuts it
		return
	}
	m.Text = f.text[m.Start:m.End]
	key := string(m.Type) + ":" + strings.ToLower(m.Value)
	f.taken = append(f.taken, []int{m.Start, m.End})
	if f.seen[key] {
		return
	}
	f.seen[key] = true
	f.out = append(f.out, m)
}

// free reports whether nothing found yet overlaps start..end.
func (f *finder) free(start, end int) bool {
	for _, t := range f.taken {
		if start < t[1] && t[0] < end {
			return false
		}
	}
	return true
}

// bounded reports whether start..end stands alone: not inside a word, a
// number or a longer mark.
func (f *finder) bounded(start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(f.text[:start])
		if isWordy(r) {
			return false
		}
	}
	if end < len(f.text) {
		r, _ := utf8.DecodeRuneInString(f.text[end:])
		if isWordy(r) {
			return false
		}
	}
	return true
}

func isWordy(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '?' || r == '_' }

func isUpperish(s string) bool { return s == strings.ToUpper(s) }

// plates finds registrations in each format.
func (f *finder) plates() {
	type format struct {
		re       *regexp.Regexp
		needsCue bool
	}
	for _, ft := range []format{{vrmCurrent, false}, {vrmPrefix, false}, {vrmSuffix, false}, {vrmNI, false}, {vrmDateless, true}} {
		for _, loc := range ft.re.FindAllStringIndex(f.text, -1) {
			s, e := loc[0], loc[1]
			raw := f.text[s:e]
			if !f.bounded(s, e) || !f.free(s, e) {
				continue
			}
			cue := vrmCue.MatchString(f.text[max(0, s-30):s])
			if !plausiblePlate(raw, ft.re == vrmCurrent, cue || !ft.needsCue, ft.re == vrmNI) {
				continue
			}
			vrm, partial, ok := NormaliseVRM(raw)
			if !ok {
				continue
			}
			f.add(Mention{Type: EntityVehicle, Start: s, End: e, Value: vrm, Partial: partial})
		}
	}
}

// plausiblePlate weeds out what a plate's shape also fits: lower-case
// words, runs of question marks, dates and times.
func plausiblePlate(raw string, current, cued, ni bool) bool {
	if !cued {
		return false
	}
	unknown := strings.Count(raw, "?")
	known := len(strings.ReplaceAll(raw, " ", "")) - unknown
	if known < 4 && unknown > 0 || unknown > 3 {
		return false
	}
	upper := isUpperish(raw)
	if !strings.ContainsAny(raw, "0123456789") && !(upper && known >= 5) {
		return false // a plate has digits; "ly?? yes" is a question
	}
	if !upper && (!current || unknown > 0) {
		return false
	}
	if !upper {
		// Lower case: only a whole current mark, not a word and a number.
		if strings.Contains(raw, " ") && len(strings.Fields(raw)[0]) != 4 {
			return false
		}
	}
	u := strings.ToUpper(raw)
	if notPlate.MatchString(u) {
		return false
	}
	if ni {
		// A Northern Irish mark without a cue: three letters and three or
		// more digits (AXZ 1234), not two letters and a number.
		letters := len(u) - len(strings.TrimLeft(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		num := strings.TrimSpace(u[letters:])
		if letters < 3 || len(num) < 3 {
			return false
		}
	}
	return true
}

// phones finds UK numbers: 07700 900123, +44 (0)7700 900123, 0114 496
// 0123, (0114) 496 0123, 0044 7700 900123.
func (f *finder) phones() {
	t := f.text
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c != '+' && c != '0' && c != '(' {
			continue
		}
		if i > 0 {
			r, _ := utf8.DecodeLastRuneInString(t[:i])
			if isWordy(r) || r == '+' || r == '/' || r == ':' || r == '-' || r == '.' {
				continue
			}
		}
		end := scanNumber(t, i)
		if end == 0 {
			continue
		}
		raw := t[i:end]
		e, ok := NormalisePhone(raw)
		if !ok || !ukNumber(e) || !f.free(i, end) {
			continue
		}
		f.add(Mention{Type: EntityPhone, Start: i, End: end, Value: e})
		i = end - 1
	}
}

// scanNumber reads digits and single separators from i, to the most a UK
// number holds, and answers where the number ends (0 for none).
func scanNumber(t string, i int) int {
	end, digits := 0, 0
	limit := 11
	j := i
	switch {
	case strings.HasPrefix(t[i:], "+44"):
		limit, j = 12, i+1
	case strings.HasPrefix(t[i:], "0044"):
		limit = 14
	case t[i] == '(':
		if i+1 >= len(t) || t[i+1] != '0' {
			return 0
		}
	}
	sep := 0
	for j < len(t) && digits < limit {
		c := t[j]
		switch {
		case c >= '0' && c <= '9':
			digits++
			sep = 0
			end = j + 1
		case strings.HasPrefix(t[j:], "(0)") && digits > 0:
			j += 2
			sep = 0
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
			sep++
			if sep > 2 {
				return finish(t, end, digits)
			}
			if c == ')' {
				end = j + 1
			}
		default:
			return finish(t, end, digits)
		}
		j++
	}
	return finish(t, end, digits)
}

func finish(t string, end, digits int) int {
	if digits < 10 || end == 0 {
		return 0
	}
	if end < len(t) && t[end] >= '0' && t[end] <= '9' {
		return 0
	}
	// A closing bracket with no opening one is the text's.
	for end > 0 && t[end-1] == ')' && !strings.Contains(t[:end-1], "(") {
		end--
	}
	return end
}

// ukNumber reports whether an E.164 number is a UK one of the right length
// and range: geographic (01, 02), non-geographic (03, 08) or mobile (07).
func ukNumber(e string) bool {
	if !strings.HasPrefix(e, "+44") {
		return false
	}
	n := e[3:]
	if len(n) < 9 || len(n) > 10 {
		return false
	}
	return strings.ContainsRune("12378", rune(n[0])) && (n[0] != '7' || len(n) == 10)
}

// handles finds @names and handles named with their platform.
func (f *finder) handles() {
	t := f.text
	for _, loc := range handleRE.FindAllStringIndex(t, -1) {
		s, e := loc[0], loc[1]
		if s > 0 {
			r, _ := utf8.DecodeLastRuneInString(t[:s])
			if isWordy(r) || r == '.' || r == '@' {
				continue // an email address, not a handle
			}
		}
		for e > s+1 && t[e-1] == '.' {
			e--
		}
		if e-s < 3 || !f.free(s, e) {
			continue
		}
		f.add(Mention{Type: EntityAccount, Start: s, End: e, Value: t[s+1 : e], Platform: nearestPlatform(t, s, e)})
	}
	for _, m := range platAsRE.FindAllStringSubmatchIndex(t, -1) {
		s, e := m[4], m[5]
		for e > s && t[e-1] == '.' {
			e--
		}
		h := t[s:e]
		if len(h) < 3 || notHandles[strings.ToLower(h)] || !f.free(s, e) || !f.bounded(s, e) {
			continue
		}
		f.add(Mention{Type: EntityAccount, Start: s, End: e, Value: h, Platform: platforms[strings.ToLower(t[m[2]:m[3]])]})
	}
}

// nearestPlatform is the platform named closest to a handle, within a few
// words either side.
func nearestPlatform(t string, s, e int) string {
	lo, hi := max(0, s-80), min(len(t), e+40)
	best, dist := "", len(t)
	for _, m := range platWord.FindAllStringIndex(t[lo:hi], -1) {
		ms, me := m[0]+lo, m[1]+lo
		d := s - me
		if ms >= e {
			d = ms - e
		}
		if d >= 0 && d < dist {
			best, dist = platforms[strings.ToLower(t[ms:me])], d
		}
	}
	return best
}

// names finds nicknames quoted or after "known as", "calls himself" or
// "she calls", and names after "named".
func (f *finder) names() {
	t := f.text
	quoted := func(s, e int) {
		if name, ok := nameLike(t[s:e], true); ok && f.free(s, e) {
			f.add(Mention{Type: EntityPerson, Start: s, End: s + len(name), Value: name, Nickname: true})
		}
	}
	for _, m := range quotedRE.FindAllStringSubmatchIndex(t, -1) {
		quoted(m[2], m[3])
	}
	// Single quotes: an apostrophe inside a word (Dee's, I'm) neither opens
	// nor closes one.
	for i := 0; i < len(t); {
		r, n := utf8.DecodeRuneInString(t[i:])
		i += n
		if r != '\'' && r != '‘' {
			continue
		}
		if p, _ := utf8.DecodeLastRuneInString(t[:i-n]); i-n > 0 && isWordy(p) {
			continue
		}
		for j := i; j < len(t) && j-i <= 40; {
			c, cn := utf8.DecodeRuneInString(t[j:])
			if c == '\n' {
				break
			}
			if c == '\'' || c == '’' {
				if nx, _ := utf8.DecodeRuneInString(t[j+cn:]); j+cn < len(t) && isWordy(nx) {
					j += cn
					continue
				}
				quoted(i, j)
				i = j + cn
				break
			}
			j += cn
		}
	}
	for _, re := range []*regexp.Regexp{calledRE, namedRE} {
		for _, m := range re.FindAllStringIndex(t, -1) {
			s := m[1]
			c := capsRE.FindString(t[s:])
			if c == "" {
				continue
			}
			name, ok := nameLike(c, false)
			if !ok || !f.free(s, s+len(name)) {
				continue
			}
			f.add(Mention{Type: EntityPerson, Start: s, End: s + len(name), Value: name, Nickname: re == calledRE})
		}
	}
}

// nameLike trims a candidate name and reports whether it could be one: one
// to three words, each capitalised, not a word that starts a sentence.
func nameLike(s string, quoted bool) (string, bool) {
	s = strings.TrimSpace(s)
	words := strings.Fields(s)
	for len(words) > 0 && notNames[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	if len(words) == 0 || len(words) > 3 || notNames[words[0]] {
		return "", false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if quoted && !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return "", false
		}
		if strings.ContainsAny(w, ".!?,;:") {
			return "", false
		}
	}
	name := strings.Join(words, " ")
	if !strings.HasPrefix(s, name) {
		return "", false
	}
	return name, true
}

// places finds named venues ("at the Chicken Shack", with the street when
// one follows) and streets.
func (f *finder) places() {
	t := f.text
	for _, m := range venueRE.FindAllStringSubmatchIndex(t, -1) {
		s, e := m[2], m[3]
		name := t[s:e]
		if w := strings.Fields(name); len(w) == 1 && notNames[w[0]] || !f.free(s, e) {
			continue
		}
		pm := Mention{Type: EntityPlace, Start: s, End: e, Value: name}
		if sm := venueOnRE.FindStringSubmatchIndex(t[e:]); sm != nil {
			pm.Address = t[e+sm[2] : e+sm[3]]
			pm.End = e + sm[3]
		}
		f.add(pm)
	}
	for _, loc := range streetRE.FindAllStringIndex(t, -1) {
		s, e := loc[0], loc[1]
		if !f.free(s, e) {
			continue
		}
		first := strings.Fields(t[s:e])[0]
		if notNames[first] {
			// "The Green", "On Mill Lane": drop the sentence's word.
			s += len(first) + 1
			if len(strings.Fields(t[s:e])) < 2 {
				continue
			}
		}
		f.add(Mention{Type: EntityPlace, Start: s, End: e, Value: t[s:e], Address: t[s:e]})
	}
}
