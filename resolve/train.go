package resolve

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"lantern"
)

// Training follows Splink: u from random pairs (nearly all of which are
// different people), then m by expectation maximisation over blocked pairs
// with u held fixed, in sessions each blocked on some fields, whose
// comparisons are left out of that session (blocking on them makes them
// agree); each m is the mean of the sessions that estimated it. Reviewed
// pairs then refine m.

// uSmoothing is added to each level's count of random pairs, so a level no
// random pair fell in (two people sharing a phone) is rare, not impossible.
const uSmoothing = 1.0

// EstimateU estimates every u from n pairs of records drawn at random with
// the seed (Splink's estimate_u_using_random_sampling). Pairs of a child and
// an adult are not drawn: they are never compared. It needs two records.
func (m *Model) EstimateU(records []Record, n int, seed int64) error {
	if len(records) < 2 || n < 1 {
		return lantern.Invalid(lantern.FieldError{Field: "records", Message: "Estimating u needs two records and one pair"})
	}
	m.ensure()
	ps := PrepareAll(records)
	var counts [numComparisons][]float64
	for c := range counts {
		counts[c] = make([]float64, len(schema[c].levels))
	}
	workers := 4
	per := (n + workers - 1) / workers
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(seed), uint64(w)))
			var local [numComparisons][]float64
			for c := range local {
				local[c] = make([]float64, len(schema[c].levels))
			}
			for k, tries := 0, 0; k < per && tries < 20*per; tries++ {
				i, j := rng.IntN(len(ps)), rng.IntN(len(ps))
				if i == j || ps[i].child != ps[j].child {
					continue
				}
				k++
				g := m.compare(ps[i], ps[j])
				for c, l := range g.g {
					if l != null {
						local[c][l]++
					}
				}
			}
			mu.Lock()
			for c := range local {
				for l, x := range local[c] {
					counts[c][l] += x
				}
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	for c := range numComparisons {
		total := 0.0
		for _, x := range counts[c] {
			total += x + uSmoothing
		}
		for l, x := range counts[c] {
			m.Comparisons[c].Levels[l].U = (x + uSmoothing) / total
		}
	}
	m.refresh()
	return nil
}

// pattern is the levels of one pair, as EM sees it.
type pattern [numComparisons]int8

// EMSession is what one session of EstimateM_EM did.
type EMSession struct {
	Blocking   string  `json:"blocking"`   // what its pairs shared
	Pairs      int64   `json:"pairs"`      // distinct pairs blocked
	Sampled    int64   `json:"sampled"`    // pairs used
	Iterations int     `json:"iterations"` // EM iterations run
	Lambda     float64 `json:"lambda"`     // the share of its pairs that match
}

// EMReport is what EstimateM_EM did.
type EMReport struct {
	Sessions []EMSession `json:"sessions"`
	Prior    float64     `json:"prior"`
}

// emIterations bounds EM; emTolerance is the change in every m below which
// it has converged.
const (
	emPrior      = 10.0
	emIterations = 40
	emTolerance  = 1e-5
)

// EstimateM_EM estimates m by expectation maximisation over blocked pairs,
// with u fixed (EstimateU first), as Splink's
// estimate_parameters_using_expectation_maximisation. Two sessions: pairs
// with a postcode in common (postcode not estimated), and pairs born on the
// same day (date of birth not estimated); each uses at most maxPairs pairs,
// a sample the same for the same seed, from keys shared by at most
// MaxBlockSize records. Neither is blocked on names: pairs of namesakes are
// so many among a large set that EM then takes "the same name" for the
// thing to learn, and its m are worthless (seen at 2 million records). The prior is then
// estimated from the second session (see the code). Term frequencies are
// not used in EM, as in Splink.
func (m *Model) EstimateM_EM(records []Record, maxPairs int, seed int64) (EMReport, error) {
	var rep EMReport
	if len(records) < 2 || maxPairs < 1 {
		return rep, lantern.Invalid(lantern.FieldError{Field: "records", Message: "EM needs two records and one pair"})
	}
	m.ensure()
	ps := PrepareAll(records)
	type session struct {
		name   string
		keys   func(*Prepared) []string
		active [numComparisons]bool
	}
	all := [numComparisons]bool{}
	for c := range all {
		all[c] = true
	}
	// Generation is left as judged: the pairs with a suffix on both sides
	// are too few, and too often a father and his son, to learn from.
	trained := all
	trained[cGeneration] = false
	address, dob := trained, trained
	address[cPostcode] = false
	dob[cDOB] = false
	sessions := []session{
		{"postcode", func(p *Prepared) []string { return prefixed(p.BlockingKeys(), "z:") }, address},
		{"date of birth", func(p *Prepared) []string {
			if p.dob.IsZero() {
				return nil
			}
			return []string{childPrefix(p) + "d:" + p.dob.String()}
		}, dob},
	}
	var sum [numComparisons][]float64
	var nsum [numComparisons]int
	for si, s := range sessions {
		ix := newBlockIndex(ps, s.keys, MaxBlockSize)
		pats, total, sampled := m.patterns(ps, ix, maxPairs, seed+int64(si))
		est := m.Clone()
		lambda, iters := est.em(pats, s.active, 0.1, true)
		rep.Sessions = append(rep.Sessions, EMSession{Blocking: s.name, Pairs: total, Sampled: sampled, Iterations: iters, Lambda: lambda})
		for c := range numComparisons {
			if !s.active[c] {
				continue
			}
			if sum[c] == nil {
				sum[c] = make([]float64, len(schema[c].levels))
			}
			for l, lv := range est.Comparisons[c].Levels {
				sum[c][l] += lv.M
			}
			nsum[c]++
		}
	}
	for c := range numComparisons {
		if nsum[c] == 0 {
			continue
		}
		for l := range sum[c] {
			m.Comparisons[c].Levels[l].M = sum[c][l] / float64(nsum[c])
		}
	}
	m.refresh()
	// The prior (Splink's probability_two_random_records_match), from a
	// deterministic rule whose recall the model knows: pairs born on the
	// same day. The date-of-birth session estimated how many of its pairs
	// match (names decide that well, not being blocked on); those are the
	// matches whose dates agree exactly, a share m(exact) × q² of all
	// matches, q being the share of records with a date or year of birth.
	q := 0.0
	for _, p := range ps {
		if p.year != 0 {
			q++
		}
	}
	q /= float64(len(ps))
	dobSession := rep.Sessions[1]
	mExact := m.Comparisons[cDOB].Levels[dExact].M
	if matches := dobSession.Lambda * float64(dobSession.Pairs); matches > 0 && q > 0 {
		n := float64(len(ps))
		total := matches / (mExact * q * q)
		m.Prior = min(max(total/(n*(n-1)/2), 1e-12), 0.5)
	}
	rep.Prior = m.Prior
	return rep, nil
}

func prefixed(keys []string, prefix string) []string {
	var out []string
	for _, k := range keys {
		if len(k) > len(prefix) && (k[:len(prefix)] == prefix || k[0] == 'c' && k[1:1+len(prefix)] == prefix) {
			out = append(out, k)
		}
	}
	return out
}

func childPrefix(p *Prepared) string {
	if p.child {
		return "c"
	}
	return ""
}

// patterns counts the levels of (a sample of at most maxPairs of) the
// blocked pairs, returning the counts, the pairs blocked and the pairs
// counted.
func (m *Model) patterns(ps []*Prepared, ix *blockIndex, maxPairs int, seed int64) (map[pattern]float64, int64, int64) {
	workers := runtime.GOMAXPROCS(0)
	counts := make([]int64, workers)
	ix.eachPair(func(w, _, _ int) { counts[w]++ })
	var total int64
	for _, c := range counts {
		total += c
	}
	rate := 1.0
	if total > int64(maxPairs) {
		rate = float64(maxPairs) / float64(total)
	}
	local := make([]map[pattern]float64, workers)
	for w := range local {
		local[w] = map[pattern]float64{}
	}
	kept := make([]int64, workers)
	ix.eachPair(func(w, i, j int) {
		if pairKeep(i, j, seed, rate) {
			local[w][m.compare(ps[i], ps[j]).g]++
			kept[w]++
		}
	})
	var sampled int64
	for _, k := range kept {
		sampled += k
	}
	out := map[pattern]float64{}
	for _, pm := range local {
		for k, v := range pm {
			out[k] += v
		}
	}
	return out, total, sampled
}

// em runs expectation maximisation over pattern counts with u fixed,
// updating the active comparisons' m (when updateM) and returning the
// estimated share of matches and the iterations run.
func (m *Model) em(pats map[pattern]float64, active [numComparisons]bool, lambda float64, updateM bool) (float64, int) {
	type pc struct {
		p pattern
		n float64
	}
	list := make([]pc, 0, len(pats))
	total := 0.0
	for p, n := range pats {
		list = append(list, pc{p, n})
		total += n
	}
	// In one order, so the sums, and so the estimates, are the same every
	// time.
	slices.SortFunc(list, func(a, b pc) int { return slices.Compare(a.p[:], b.p[:]) })
	if total == 0 {
		return 0, 0
	}
	var start [numComparisons][]float64
	for c := range start {
		for _, l := range m.Comparisons[c].Levels {
			start[c] = append(start[c], l.M)
		}
	}
	it := 0
	for it = 1; it <= emIterations; it++ {
		var num [numComparisons][]float64
		for c := range num {
			num[c] = make([]float64, len(schema[c].levels))
		}
		matched := 0.0
		for _, x := range list {
			lm, lu := math.Log(lambda), math.Log(1-lambda)
			for c, l := range x.p {
				if l == null || !active[c] {
					continue
				}
				lv := m.Comparisons[c].Levels[l]
				lm += math.Log(lv.M)
				lu += math.Log(lv.U)
			}
			p := 1 / (1 + math.Exp(lu-lm))
			matched += p * x.n
			for c, l := range x.p {
				if l != null {
					num[c][l] += p * x.n
				}
			}
		}
		newLambda := min(max(matched/total, 1e-9), 1-1e-9)
		change := math.Abs(newLambda - lambda)
		lambda = newLambda
		if updateM {
			for c := range numComparisons {
				if !active[c] {
					continue
				}
				den := 0.0
				for _, v := range num[c] {
					den += v
				}
				if den <= 0 {
					continue
				}
				ls := m.Comparisons[c].Levels
				// The starting m counts as emPrior pairs, so a level few
				// pairs fall in keeps about its starting weight rather
				// than swinging to an extreme.
				sum := 0.0
				for l := range ls {
					v := max((num[c][l]+emPrior*start[c][l])/(den+emPrior), 1e-6)
					change = max(change, math.Abs(v-ls[l].M))
					ls[l].M = v
					sum += v
				}
				for l := range ls {
					ls[l].M /= sum
				}
			}
		}
		if change < emTolerance {
			break
		}
	}
	m.refresh()
	return lambda, min(it, emIterations)
}

// Reviewed is a pair of records a person has judged.
type Reviewed struct {
	A, B   Record
	Answer string // "same", "different" or "unsure"
}

// ReviewReport counts the answers TrainFromReviews used.
type ReviewReport struct {
	Same, Different, Unsure int
}

// reviewPrior is how many pairs' worth the current m counts for against the
// reviewed pairs, so a few reviews move it a little and many a lot.
const reviewPrior = 20.0

// TrainFromReviews refines m from pairs people have judged the same person
// (Splink's estimate_m_from_pairwise_labels), each m moved towards the
// share of those pairs at its level. Pairs judged different are counted but
// move nothing: people review pairs that look alike, so they say nothing of
// u, which is about pairs at random. Unsure answers are ignored, and so is
// any pair of a child and an adult; any other answer is refused and
// nothing is changed.
func (m *Model) TrainFromReviews(rs []Reviewed) (ReviewReport, error) {
	m.ensure()
	var rep ReviewReport
	var counts [numComparisons][]float64
	for c := range counts {
		counts[c] = make([]float64, len(schema[c].levels))
	}
	for i, r := range rs {
		if r.Answer != "same" && r.Answer != "different" && r.Answer != "unsure" {
			return rep, lantern.Invalid(lantern.FieldError{Field: "reviews." + strconv.Itoa(i) + ".answer",
				Message: fmt.Sprintf("The answer must be same, different or unsure, not %q", capText(r.Answer))})
		}
	}
	for _, r := range rs {
		switch r.Answer {
		case "same":
			a, b := Prepare(r.A), Prepare(r.B)
			if a.child != b.child {
				continue
			}
			rep.Same++
			g := m.compare(a, b)
			for c, l := range g.g {
				if l != null {
					counts[c][l]++
				}
			}
		case "different":
			rep.Different++
		case "unsure":
			rep.Unsure++
		}
	}
	for c := range numComparisons {
		n := 0.0
		for _, x := range counts[c] {
			n += x
		}
		if n == 0 {
			continue
		}
		ls := m.Comparisons[c].Levels
		for l := range ls {
			ls[l].M = max((counts[c][l]+reviewPrior*ls[l].M)/(n+reviewPrior), minProb)
		}
	}
	m.refresh()
	return rep, nil
}
