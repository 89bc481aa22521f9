package synth

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"lantern/resolve"
)

// Metric is pairwise precision and recall: of the pairs of records put in
// one cluster, the share that are one person; of the pairs that are one
// person, the share put in one cluster.
type Metric struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	TruePairs int64   `json:"truePairs"` // pairs of records of one person
	Predicted int64   `json:"predicted"` // pairs put in one cluster
	Correct   int64   `json:"correct"`   // both
}

// Result is how one way of linking did, overall and by name origin.
type Result struct {
	Rule     string            `json:"rule"`
	Overall  Metric            `json:"overall"`
	ByOrigin map[string]Metric `json:"byOrigin"`
	// WorstGap is how far the worst origin's recall is below the recall of
	// all the others together, in points (0.03 is three points).
	WorstGap    float64 `json:"worstGap"`
	WorstOrigin string  `json:"worstOrigin"`
}

// Report is what Evaluate measured.
type Report struct {
	Records  int   `json:"records"`
	Persons  int   `json:"persons"`
	Pairs    int64 `json:"pairs"` // pairs scored
	Links    int   `json:"links"` // pairs at the review threshold or above
	AutoLink int   `json:"autolink"`
	Review   int   `json:"review"`
	// The time each step took: training only when Evaluate trained.
	FitTF, EstimateU, EstimateM, Resolve, Total time.Duration
	EM                                          resolve.EMReport
	Results                                     []Result
	Model                                       *resolve.Model `json:"-"`
}

// Sizes of training, scaled by Evaluate to the records.
const (
	uPairs  = 2_000_000
	emPairs = 2_000_000
	seed    = 1
)

// Evaluate resolves the records and measures the outcome against the
// truth (Generate's). With a nil model it trains one first as Splink does:
// term frequencies, u from random pairs, m by EM; a model given is used as
// it is, with term frequencies fitted if it has none. It clusters by
// connected components three ways: links at probability 0.99 or above,
// AutoLink decisions only, and links at the review threshold (0.80) or
// above; each is measured overall and for each name origin.
func Evaluate(records []resolve.Record, truth []int, model *resolve.Model) Report {
	start := time.Now()
	rep := Report{Records: len(records)}
	persons := map[int]bool{}
	for _, t := range truth {
		persons[t] = true
	}
	rep.Persons = len(persons)
	var m *resolve.Model
	if model == nil {
		m = resolve.DefaultModel()
		t := time.Now()
		m.FitTF(records)
		rep.FitTF = time.Since(t)
		t = time.Now()
		_ = m.EstimateU(records, uPairs, seed)
		rep.EstimateU = time.Since(t)
		t = time.Now()
		rep.EM, _ = m.EstimateM_EM(records, emPairs, seed)
		rep.EstimateM = time.Since(t)
	} else {
		m = model.Clone()
		if len(m.TF) == 0 {
			t := time.Now()
			m.FitTF(records)
			rep.FitTF = time.Since(t)
		}
	}
	rep.Model = m
	res := m.Resolve(records)
	rep.Resolve = res.Took
	rep.Pairs = res.Pairs
	rep.Links = len(res.Links)
	for _, l := range res.Links {
		switch l.Decision {
		case resolve.AutoLink:
			rep.AutoLink++
		case resolve.Review:
			rep.Review++
		}
	}
	origin := make([]string, len(truth))
	for i, t := range truth {
		origin[i] = Origin(t)
	}
	for _, rule := range []struct {
		name string
		keep func(resolve.Link) bool
	}{
		{"p >= 0.99", func(l resolve.Link) bool { return l.Probability >= resolve.AutoLinkProbability }},
		{"AutoLink", func(l resolve.Link) bool { return l.Decision == resolve.AutoLink }},
		{"p >= 0.80", func(resolve.Link) bool { return true }},
	} {
		rep.Results = append(rep.Results, measure(rule.name, res.Clusters(rule.keep), truth, origin))
	}
	rep.Total = time.Since(start)
	return rep
}

func pairs(k int64) int64 { return k * (k - 1) / 2 }

// measure compares clusters with the truth, overall and by origin. A pair
// of records of two origins counts against both.
func measure(rule string, cluster, truth []int, origin []string) Result {
	type cell struct{ cluster, person int }
	inCell := map[cell]int64{}
	persons := map[int]int64{}
	type co struct {
		cluster int
		origin  string
	}
	clusterSize := map[int]int64{}
	clusterOrigin := map[co]int64{}
	for i := range cluster {
		inCell[cell{cluster[i], truth[i]}]++
		persons[truth[i]]++
		clusterSize[cluster[i]]++
		clusterOrigin[co{cluster[i], origin[i]}]++
	}
	res := Result{Rule: rule, ByOrigin: map[string]Metric{}}
	add := func(o string, f func(*Metric)) {
		m := res.ByOrigin[o]
		f(&m)
		res.ByOrigin[o] = m
	}
	for c, k := range inCell {
		res.Overall.Correct += pairs(k)
		add(Origin(c.person), func(m *Metric) { m.Correct += pairs(k) })
	}
	for p, k := range persons {
		res.Overall.TruePairs += pairs(k)
		add(Origin(p), func(m *Metric) { m.TruePairs += pairs(k) })
	}
	for _, k := range clusterSize {
		res.Overall.Predicted += pairs(k)
	}
	for x, k := range clusterOrigin {
		// Pairs touching this origin: all the cluster's but those with
		// neither record of it.
		size := clusterSize[x.cluster]
		add(x.origin, func(m *Metric) { m.Predicted += pairs(size) - pairs(size-k) })
	}
	finish := func(m *Metric) {
		m.Precision, m.Recall = 1, 1
		if m.Predicted > 0 {
			m.Precision = float64(m.Correct) / float64(m.Predicted)
		}
		if m.TruePairs > 0 {
			m.Recall = float64(m.Correct) / float64(m.TruePairs)
		}
	}
	finish(&res.Overall)
	for o, m := range res.ByOrigin {
		finish(&m)
		res.ByOrigin[o] = m
		rest := Metric{Correct: res.Overall.Correct - m.Correct, TruePairs: res.Overall.TruePairs - m.TruePairs}
		finish(&rest)
		if gap := rest.Recall - m.Recall; gap > res.WorstGap {
			res.WorstGap, res.WorstOrigin = gap, o
		}
	}
	return res
}

// String is the report as a table.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d records of %d persons; %d pairs scored; %d links (%d AutoLink, %d Review)\n",
		r.Records, r.Persons, r.Pairs, r.Links, r.AutoLink, r.Review)
	fmt.Fprintf(&b, "time: TF %v, u %v, m (EM) %v, resolve %v, total %v\n",
		r.FitTF.Round(time.Millisecond), r.EstimateU.Round(time.Millisecond), r.EstimateM.Round(time.Millisecond),
		r.Resolve.Round(time.Millisecond), r.Total.Round(time.Millisecond))
	for _, s := range r.EM.Sessions {
		fmt.Fprintf(&b, "EM blocked on %s: %d pairs, %d used, %d iterations, λ %.4g\n", s.Blocking, s.Pairs, s.Sampled, s.Iterations, s.Lambda)
	}
	if r.EM.Prior > 0 {
		fmt.Fprintf(&b, "prior %.3g\n", r.EM.Prior)
	}
	for _, res := range r.Results {
		fmt.Fprintf(&b, "%-10s precision %.4f recall %.4f (true pairs %d, predicted %d); worst origin %s, recall %.1f points below the rest\n",
			res.Rule, res.Overall.Precision, res.Overall.Recall, res.Overall.TruePairs, res.Overall.Predicted, res.WorstOrigin, 100*res.WorstGap)
		names := make([]string, 0, len(res.ByOrigin))
		for o := range res.ByOrigin {
			names = append(names, o)
		}
		slices.Sort(names)
		for _, o := range names {
			m := res.ByOrigin[o]
			fmt.Fprintf(&b, "    %-20s precision %.4f recall %.4f (true pairs %d)\n", o, m.Precision, m.Recall, m.TruePairs)
		}
	}
	return b.String()
}
