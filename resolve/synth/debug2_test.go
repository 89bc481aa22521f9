package synth

import (
	"fmt"
	"sort"
	"testing"

	"lantern/resolve"
)

func TestDebugPairs(t *testing.T) {
	records, truth := Generate(3, 20_000)
	m := resolve.DefaultModel()
	m.FitTF(records)
	m.EstimateU(records, 200_000, 1)
	m.EstimateM_EM(records, 500_000, 1)
	blocks := map[string][]int{}
	for i, r := range records {
		for _, k := range resolve.BlockingKeys(r) {
			blocks[k] = append(blocks[k], i)
		}
	}
	seen := map[[2]int]bool{}
	hist := map[bool]map[int]int{true: {}, false: {}}
	reasons := map[string]int{}
	var fps []string
	bucket := map[string]int{}
	for _, b := range blocks {
		if len(b) > 1000 {
			continue
		}
		for x := range b {
			for y := x + 1; y < len(b); y++ {
				i, j := b[x], b[y]
				if seen[[2]int{i, j}] {
					continue
				}
				seen[[2]int{i, j}] = true
				s := m.Score(records[i], records[j])
				same := truth[i] == truth[j]
				hist[same][int(s.Weight)/5]++
				if !same && s.Weight >= 0 && s.Weight < 5 {
					key := ""
					for _, r := range s.Reasons[1:] {
						key += fmt.Sprintf("%s:%s|", r.Comparison, r.Level)
					}
					bucket[key]++
				}
				if !same && s.Probability >= 0.99 {
					for _, r := range s.Reasons[1:] {
						reasons[r.Comparison+": "+r.Level]++
					}
					if len(fps) < 15 {
						fps = append(fps, fmt.Sprintf("%v\n  %+v\n  %+v\n  %v", s.Weight, records[i], records[j], s.Reasons))
					}
				}
			}
		}
	}
	for _, same := range []bool{true, false} {
		var ks []int
		for k := range hist[same] {
			ks = append(ks, k)
		}
		sort.Ints(ks)
		for _, k := range ks {
			t.Logf("same=%v w=%d..: %d", same, k*5, hist[same][k])
		}
	}
	for k, v := range reasons {
		if v > 20 {
			t.Logf("%5d %s", v, k)
		}
	}
	for k, v := range bucket {
		if v > 150 {
			t.Logf("bucket %5d %s", v, k)
		}
	}
	for _, f := range fps[:0] {
		t.Log(f)
	}
}
