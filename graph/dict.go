package graph

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"lantern"
)

// Key is an entity's external key: its type and its UUID.
type Key struct {
	// Kind is the entity type: 1 + its index in lantern.EntityTypes (see
	// KindOf). 0 is no type.
	Kind byte
	ID   [16]byte
}

// KindOf is the Kind byte of an entity type, 0 for none.
func KindOf(t lantern.EntityType) byte {
	return byte(slices.Index(lantern.EntityTypes, t) + 1)
}

// TypeOf is the entity type of a Kind byte, "" for none.
func TypeOf(kind byte) lantern.EntityType {
	if kind == 0 || int(kind) > len(lantern.EntityTypes) {
		return ""
	}
	return lantern.EntityTypes[kind-1]
}

// ErrKey is ParseKey's refusal.
var ErrKey = errors.New(`graph: a key is "type:uuid", the type an entity type and the uuid 36 characters`)

// ParseKey reads "type:uuid", as "child:1b4e28ba-2fa1-41d2-883f-0016d3cca427".
// The UUID is the canonical 36 characters (hex digits in either case).
func ParseKey(s string) (Key, error) {
	t, u, ok := strings.Cut(s, ":")
	k := Key{Kind: KindOf(lantern.EntityType(t))}
	if !ok || k.Kind == 0 || len(u) != 36 {
		return Key{}, ErrKey
	}
	j := 0
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if u[i] != '-' {
				return Key{}, ErrKey
			}
			i++
			continue
		}
		hi, ok1 := unhex(u[i])
		lo, ok2 := unhex(u[i+1])
		if !ok1 || !ok2 {
			return Key{}, ErrKey
		}
		k.ID[j] = hi<<4 | lo
		j++
		i += 2
	}
	return k, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// String writes the key as ParseKey reads it, the UUID in lower case.
func (k Key) String() string {
	const hex = "0123456789abcdef"
	var b [36]byte
	j := 0
	for i, c := range k.ID {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b[j] = '-'
			j++
		}
		b[j], b[j+1] = hex[c>>4], hex[c&15]
		j += 2
	}
	return string(TypeOf(k.Kind)) + ":" + string(b[:])
}

// Dict gives entity keys dense node ids, in the order first seen, and the
// keys back. It keeps the keys in one array (17 bytes each) and an
// open-addressing table of ids (4 bytes a slot, at most half full), about
// 25 to 34 bytes a key in all: for two million keys some 50 to 70 MB,
// less than a Go map of the same keys without the array back. It is safe for
// concurrent use.
type Dict struct {
	mu    sync.RWMutex
	keys  []Key
	slots []uint32 // node+1; 0 empty
}

// NewDict makes a Dict with room for n keys before it grows.
func NewDict(n int) *Dict {
	d := &Dict{keys: make([]Key, 0, n)}
	size := 64
	for size < 2*n {
		size *= 2
	}
	d.slots = make([]uint32, size)
	return d
}

func (k *Key) hash() uint64 {
	lo := binary.LittleEndian.Uint64(k.ID[:8])
	hi := binary.LittleEndian.Uint64(k.ID[8:]) ^ uint64(k.Kind)
	// One round of wyhash's mix: time-ordered UUIDs (v7) share their first
	// bytes, so every bit must move.
	h1, l1 := bits.Mul64(lo^0xa0761d6478bd642f, hi^0xe7037ed1a0b428db)
	return h1 ^ l1
}

func (d *Dict) find(k *Key) (int, bool) {
	mask := uint64(len(d.slots) - 1)
	for i := k.hash() & mask; ; i = (i + 1) & mask {
		s := d.slots[i]
		if s == 0 {
			return int(i), false
		}
		if d.keys[s-1] == *k {
			return int(i), true
		}
	}
}

// Lookup is k's node id, if it has one.
func (d *Dict) Lookup(k Key) (Node, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if len(d.slots) == 0 {
		return 0, false
	}
	i, ok := d.find(&k)
	if !ok {
		return 0, false
	}
	return Node(d.slots[i] - 1), true
}

// Add is k's node id, giving it the next one if it has none (added says so).
func (d *Dict) Add(k Key) (n Node, added bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.slots == nil {
		d.slots = make([]uint32, 64)
	}
	i, ok := d.find(&k)
	if ok {
		return Node(d.slots[i] - 1), false
	}
	if len(d.keys) >= maxNode {
		panic("graph: Dict is full")
	}
	d.keys = append(d.keys, k)
	d.slots[i] = uint32(len(d.keys))
	if 2*len(d.keys) > len(d.slots) {
		d.grow()
	}
	return Node(len(d.keys) - 1), true
}

func (d *Dict) grow() {
	d.slots = make([]uint32, 2*len(d.slots))
	mask := uint64(len(d.slots) - 1)
	for n := range d.keys {
		i := d.keys[n].hash() & mask
		for d.slots[i] != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = uint32(n + 1)
	}
}

// Key is node n's key; false if n has none.
func (d *Dict) Key(n Node) (Key, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if int(n) >= len(d.keys) {
		return Key{}, false
	}
	return d.keys[n], true
}

// Kind is node n's entity kind byte (0 if n has no key): for TopDegree's
// keep, say.
func (d *Dict) Kind(n Node) byte {
	k, _ := d.Key(n)
	return k.Kind
}

// Len is the number of keys.
func (d *Dict) Len() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.keys)
}

// Bytes is the memory the Dict holds.
func (d *Dict) Bytes() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return 17*cap(d.keys) + 4*cap(d.slots)
}
