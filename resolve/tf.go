package resolve

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// MaxTFTerms bounds a term-frequency table. Counting keeps at most twice
// this many terms (the rarest are dropped as it fills, as in lossy
// counting), and the table keeps the MaxTFTerms most common. A term not in
// the table counts as Floor: the commonest a dropped term can have been, so
// a name never weighs more for being forgotten.
const MaxTFTerms = 50_000

// TFTable is how often each value of one field occurs among the records
// held: Terms[v] of Total. The adjustment Splink makes with it: an exact
// match on v weighs log2(m / tf(v)) rather than log2(m / u), so a match on a
// common name counts for less and on a rare one for more.
type TFTable struct {
	Total int64            `json:"total"`
	Floor int64            `json:"floor"`
	Terms map[string]int64 `json:"terms"`
}

func (t *TFTable) clone() *TFTable {
	c := &TFTable{Total: t.Total, Floor: t.Floor, Terms: make(map[string]int64, len(t.Terms))}
	for k, v := range t.Terms {
		c.Terms[k] = v
	}
	return c
}

// freq is the term frequency of v, or 0 if the table is empty.
func (t *TFTable) freq(v string) float64 {
	if t == nil || t.Total <= 0 {
		return 0
	}
	n, ok := t.Terms[v]
	if !ok || n < t.Floor {
		n = max(t.Floor, 1)
	}
	return float64(n) / float64(t.Total)
}

// count is how many records have v: the floor for one not kept.
func (t *TFTable) count(v string) int64 {
	if t == nil {
		return 0
	}
	n, ok := t.Terms[v]
	if !ok || n < t.Floor {
		n = max(t.Floor, 1)
	}
	return n
}

func (t *TFTable) check() string {
	switch {
	case t.Total < 1 || t.Total > 1<<40:
		return "The total must be between 1 and 2^40"
	case t.Floor < 0 || t.Floor > t.Total:
		return "The floor must be between 0 and the total"
	case len(t.Terms) > MaxTFTerms:
		return fmt.Sprintf("A table keeps at most %d terms", MaxTFTerms)
	}
	for k, v := range t.Terms {
		if k == "" || len(k) > 2*MaxTextLen+1 || v < 1 || v > t.Total {
			return "Each term must be 1 to 129 bytes, counted between 1 and the total"
		}
	}
	return ""
}

// tfCounter counts terms in bounded memory.
type tfCounter struct {
	total int64
	floor int64 // the largest count dropped
	terms map[string]int64
}

func newTFCounter() *tfCounter { return &tfCounter{terms: map[string]int64{}} }

func (c *tfCounter) add(v string) {
	if v == "" {
		return
	}
	c.total++
	if _, ok := c.terms[v]; !ok && len(c.terms) >= 2*MaxTFTerms {
		c.prune()
	}
	c.terms[v]++
}

// prune drops the rarest terms until half the room is free.
func (c *tfCounter) prune() {
	for len(c.terms) >= MaxTFTerms {
		c.floor++
		for k, v := range c.terms {
			if v <= c.floor {
				delete(c.terms, k)
			}
		}
	}
}

func (c *tfCounter) table() *TFTable {
	t := &TFTable{Total: c.total, Floor: c.floor, Terms: map[string]int64{}}
	type kv struct {
		k string
		v int64
	}
	all := make([]kv, 0, len(c.terms))
	for k, v := range c.terms {
		all = append(all, kv{k, v})
	}
	if len(all) > MaxTFTerms {
		slices.SortFunc(all, func(a, b kv) int {
			if x := cmp.Compare(b.v, a.v); x != 0 {
				return x
			}
			return cmp.Compare(a.k, b.k)
		})
		t.Floor = max(t.Floor, all[MaxTFTerms].v)
		all = all[:MaxTFTerms]
	}
	for _, e := range all {
		t.Terms[e.k] = e.v
	}
	return t
}

// FitTF builds the term-frequency tables from the records held: the first
// word of each given name, each family name, each whole name (the two
// together), each alias and each postcode, each counted once per record. A postcode many records give (a hostel, a
// police station) then counts for less, as a common name does.
func (m *Model) FitTF(records []Record) {
	m.ensure()
	g, f, a, pc, full := newTFCounter(), newTFCounter(), newTFCounter(), newTFCounter(), newTFCounter()
	for _, r := range records {
		p := Prepare(r)
		var gs, fs, ns []string
		for _, n := range p.names {
			if n.givenFirst != "" && !n.initial && n.family != "" {
				if k := n.givenFirst + " " + n.family; !contains(ns, k) {
					ns = append(ns, k)
					full.add(k)
				}
			}
			if n.givenFirst != "" && !n.initialOnly() && !contains(gs, n.givenFirst) {
				gs = append(gs, n.givenFirst)
				g.add(n.givenFirst)
			}
			if n.family != "" && !contains(fs, n.family) {
				fs = append(fs, n.family)
				f.add(n.family)
			}
		}
		for _, x := range p.aliases {
			a.add(x)
		}
		for _, x := range p.postcodes {
			pc.add(x)
		}
	}
	m.TF = map[string]*TFTable{}
	for name, c := range map[string]*tfCounter{"given": g, "family": f, "alias": a, "postcode": pc, "name": full} {
		if c.total > 0 {
			m.TF[name] = c.table()
		}
	}
}

func (n pname) initialOnly() bool { return n.initial }

// tfAdjust is Splink's term-frequency adjustment of an exact level on value
// v: log2(u / tf(v)), 0 without a table.
func (m *Model) tfAdjust(table string, c, level int, v string) float64 {
	f := m.TF[table].freq(v)
	if f <= 0 {
		return 0
	}
	return math.Log2(m.Comparisons[c].Levels[level].U / f)
}

// tfAdjustWhole is the adjustment of an exact match on both names: log2 of
// the chance of both at random over the whole name's frequency.
//
// The pair's own records are among those counted, so one is taken off the
// count: a name only this pair has is as rare as a name can be, whereas
// counting both would halve its weight for being recorded twice.
func (m *Model) tfAdjustWhole(given, family string) float64 {
	t := m.TF["name"]
	if t == nil || t.Total <= 0 {
		return 0
	}
	f := float64(max(t.count(given+" "+family)-1, 1)) / float64(t.Total)
	return math.Log2(m.Comparisons[cGiven].Levels[gExact].U * m.Comparisons[cFamily].Levels[fExact].U / f)
}
