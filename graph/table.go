package graph

import "sync"

// table is an open-addressing hash map from node to a uint32, sized to the
// query rather than to the graph: a walk of a few hundred nodes stays in the
// processor's cache, which a per-query array of two million entries would
// not. It is kept at most a quarter full, as most lookups (the links among a
// network's nodes) are of nodes not in it, and end at an empty slot. An entry
// is key+1 in the low half and the value in the high half; 0 is empty.
type table struct {
	slots []uint64
	n     int
	shift uint32
}

const tableMin = 64

func (t *table) reset() {
	if len(t.slots) > 1<<16 {
		// A large walk's table is dropped rather than cleared and kept.
		t.slots = nil
	}
	if t.slots == nil {
		t.slots = make([]uint64, tableMin)
		t.shift = 32 - 6
	} else if t.n > 0 {
		clear(t.slots)
	}
	t.n = 0
}

func (t *table) slot(k uint32) uint32 { return (k * 0x9E3779B1) >> t.shift }

func (t *table) get(k Node) (uint32, bool) {
	key := uint32(k) + 1
	mask := uint32(len(t.slots) - 1)
	for i := t.slot(key); ; i = (i + 1) & mask {
		e := t.slots[i]
		if uint32(e) == key {
			return uint32(e >> 32), true
		}
		if uint32(e) == 0 {
			return 0, false
		}
	}
}

// put sets k's value, adding k if it is new.
func (t *table) put(k Node, v uint32) {
	if 4*(t.n+1) > len(t.slots) {
		t.grow()
	}
	key := uint32(k) + 1
	mask := uint32(len(t.slots) - 1)
	for i := t.slot(key); ; i = (i + 1) & mask {
		e := t.slots[i]
		if uint32(e) == key || uint32(e) == 0 {
			if uint32(e) == 0 {
				t.n++
			}
			t.slots[i] = uint64(v)<<32 | uint64(key)
			return
		}
	}
}

func (t *table) grow() {
	old := t.slots
	t.slots = make([]uint64, 2*len(old))
	t.shift--
	mask := uint32(len(t.slots) - 1)
	for _, e := range old {
		if uint32(e) == 0 {
			continue
		}
		i := t.slot(uint32(e))
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = e
	}
}

// scratch is one query's working memory, pooled.
type scratch struct {
	seen, aux table
	buf       []Half
	nodes     []Node
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch {
	sc := scratchPool.Get().(*scratch)
	sc.seen.reset()
	sc.aux.reset()
	return sc
}

func putScratch(sc *scratch) {
	if cap(sc.buf) > 1<<16 {
		sc.buf = nil
	}
	if cap(sc.nodes) > 1<<16 {
		sc.nodes = nil
	}
	scratchPool.Put(sc)
}
