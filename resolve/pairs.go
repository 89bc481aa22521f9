package resolve

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// PrepareAll prepares records in parallel.
func PrepareAll(records []Record) []*Prepared {
	ps := make([]*Prepared, len(records))
	parallel(len(records), func(_, i int) { ps[i] = Prepare(records[i]) })
	return ps
}

// parallel runs fn(worker, i) for i in [0, n) on every CPU, in chunks.
func parallel(n int, fn func(worker, i int)) {
	workers := runtime.GOMAXPROCS(0)
	var next atomic.Int64
	const chunk = 256
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					fn(w, i)
				}
			}
		}()
	}
	wg.Wait()
}

// blockIndex files records under hashed keys. A key's hash stands for it:
// two keys that collide only put a few more pairs in a block.
type blockIndex struct {
	keys   [][]uint64         // each record's keys
	blocks map[uint64][]int32 // records under each usable key
}

// keyHash is FNV-1a: fixed, so the same records give the same pairs on
// every run.
func keyHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// newBlockIndex files the records under keysOf, dropping keys shared by more
// than maxBlock records.
func newBlockIndex(ps []*Prepared, keysOf func(*Prepared) []string, maxBlock int) *blockIndex {
	ix := &blockIndex{keys: make([][]uint64, len(ps)), blocks: map[uint64][]int32{}}
	parallel(len(ps), func(_, i int) {
		ks := keysOf(ps[i])
		hs := make([]uint64, len(ks))
		for j, k := range ks {
			hs[j] = keyHash(k)
		}
		ix.keys[i] = hs
	})
	for i, hs := range ix.keys {
		for _, h := range hs {
			ix.blocks[h] = append(ix.blocks[h], int32(i))
		}
	}
	for h, b := range ix.blocks {
		if len(b) > maxBlock || len(b) < 2 {
			delete(ix.blocks, h)
		}
	}
	return ix
}

// eachPair calls fn once for every distinct pair (i < j) sharing a usable
// key, in parallel: each record's pairs with later records are found from
// its own keys, and a stamp per record per worker keeps each pair once
// without a set of all pairs.
func (ix *blockIndex) eachPair(fn func(worker, i, j int)) {
	n := len(ix.keys)
	workers := runtime.GOMAXPROCS(0)
	stamps := make([][]int32, workers)
	parallel(n, func(w, i int) {
		st := stamps[w]
		if st == nil {
			st = make([]int32, n)
			for k := range st {
				st[k] = -1
			}
			stamps[w] = st
		}
		for _, h := range ix.keys[i] {
			for _, j := range ix.blocks[h] {
				if int(j) <= i || st[j] == int32(i) {
					continue
				}
				st[j] = int32(i)
				fn(w, i, int(j))
			}
		}
	})
}

// pairKeep decides, the same way every time, whether to keep a pair in a
// sample of about rate of all pairs.
func pairKeep(i, j int, seed int64, rate float64) bool {
	if rate >= 1 {
		return true
	}
	x := uint64(i)*0x9E3779B97F4A7C15 ^ uint64(j)*0xC2B2AE3D27D4EB4F ^ uint64(seed)
	x ^= x >> 31
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 29
	return float64(x>>11)/float64(1<<53) < rate
}
