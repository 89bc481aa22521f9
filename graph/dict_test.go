package graph

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"

	"lantern"
)

func TestParseKey(t *testing.T) {
	for _, tt := range []struct {
		in   string
		ok   bool
		kind lantern.EntityType
	}{
		{"child:1b4e28ba-2fa1-41d2-883f-0016d3cca427", true, lantern.EntityChild},
		{"account:1B4E28BA-2FA1-41D2-883F-0016D3CCA427", true, lantern.EntityAccount},
		{"place:00000000-0000-0000-0000-000000000000", true, lantern.EntityPlace},
		{"kid:1b4e28ba-2fa1-41d2-883f-0016d3cca427", false, ""},
		{":1b4e28ba-2fa1-41d2-883f-0016d3cca427", false, ""},
		{"child1b4e28ba-2fa1-41d2-883f-0016d3cca427", false, ""},
		{"child:1b4e28ba2fa141d2883f0016d3cca427", false, ""},
		{"child:1b4e28ba-2fa1-41d2-883f-0016d3cca42", false, ""},
		{"child:1b4e28ba-2fa1-41d2-883f-0016d3cca4277", false, ""},
		{"child:1b4e28ba-2fa1-41d2-883f_0016d3cca427", false, ""},
		{"child:1b4e28ba-2fa1-41d2-883g-0016d3cca427", false, ""},
		{"child:{1b4e28ba-2fa1-41d2-883f-0016d3cca4}", false, ""},
		{"", false, ""},
	} {
		k, err := ParseKey(tt.in)
		if (err == nil) != tt.ok || tt.ok && TypeOf(k.Kind) != tt.kind {
			t.Errorf("ParseKey(%q) = %v, %v", tt.in, k, err)
		}
		if err != nil && !errors.Is(err, ErrKey) {
			t.Errorf("ParseKey(%q) error %v is not ErrKey", tt.in, err)
		}
	}
	k, _ := ParseKey("vehicle:1B4E28BA-2FA1-41D2-883F-0016D3CCA427")
	if k.String() != "vehicle:1b4e28ba-2fa1-41d2-883f-0016d3cca427" || k.ID[0] != 0x1b || k.ID[15] != 0x27 {
		t.Errorf("String() = %q, ID %x", k.String(), k.ID)
	}
	if KindOf("nothing") != 0 || TypeOf(0) != "" || TypeOf(99) != "" || TypeOf(KindOf(lantern.EntityPhone)) != lantern.EntityPhone {
		t.Error("KindOf and TypeOf do not agree")
	}
}

func FuzzParseKey(f *testing.F) {
	f.Add("child:1b4e28ba-2fa1-41d2-883f-0016d3cca427")
	f.Add("phone:1B4E28BA-2FA1-41D2-883F-0016D3CCA427")
	f.Add("place:--------------------------------")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			return
		}
		// What parses writes back as itself (up to case) and parses again
		// to the same key.
		back := k.String()
		k2, err := ParseKey(back)
		if err != nil || k2 != k || len(back) != len(s) {
			t.Fatalf("ParseKey(%q) = %v, written %q, read again %v %v", s, k, back, k2, err)
		}
	})
}

func TestDict(t *testing.T) {
	d := NewDict(0)
	r := rand.New(rand.NewPCG(3, 4))
	var keys []Key
	for i := range 5000 {
		var k Key
		k.Kind = byte(1 + i%6)
		// Time-ordered UUIDs share their leading bytes: the hash must
		// spread them all the same.
		binary.BigEndian.PutUint64(k.ID[:8], uint64(1700000000000+i/10)<<16)
		binary.LittleEndian.PutUint64(k.ID[8:], r.Uint64())
		keys = append(keys, k)
		n, added := d.Add(k)
		if !added || n != Node(i) {
			t.Fatalf("Add #%d = %d %v", i, n, added)
		}
	}
	// The same UUID under another type is another key.
	other := keys[0]
	other.Kind = 6
	if _, ok := d.Lookup(other); ok {
		t.Error("a key found under another type")
	}
	for i, k := range keys {
		if n, added := d.Add(k); added || n != Node(i) {
			t.Fatalf("Add again #%d = %d %v", i, n, added)
		}
		if n, ok := d.Lookup(k); !ok || n != Node(i) {
			t.Fatalf("Lookup #%d = %d %v", i, n, ok)
		}
		if back, ok := d.Key(Node(i)); !ok || back != k || d.Kind(Node(i)) != k.Kind {
			t.Fatalf("Key(%d) = %v %v", i, back, ok)
		}
	}
	if d.Len() != 5000 || d.Bytes() < 17*5000 {
		t.Errorf("Len %d Bytes %d", d.Len(), d.Bytes())
	}
	if _, ok := d.Key(5000); ok || d.Kind(5000) != 0 {
		t.Error("a key for a node never given")
	}
	var zero Dict
	if _, ok := zero.Lookup(keys[1]); ok || zero.Len() != 0 {
		t.Error("a zero Dict finds a key")
	}
	if n, added := zero.Add(keys[1]); n != 0 || !added {
		t.Errorf("a zero Dict: %d %v", n, added)
	}
	if n, ok := zero.Lookup(keys[1]); n != 0 || !ok {
		t.Errorf("a zero Dict: %d %v", n, ok)
	}
}

// FuzzGraph reads bytes as edges and changes to a Live and checks the
// answers against the naive reference.
func FuzzGraph(f *testing.F) {
	f.Add([]byte{8, 0, 1, 1, 2, 2, 3, 3, 0, 4, 5, 0xff, 1, 0x80, 3}, uint64(1))
	f.Add([]byte{3, 0, 0, 0, 1, 1, 2}, uint64(7))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		if len(data) < 1 || len(data) > 400 {
			return
		}
		n := 1 + int(data[0]%24)
		data = data[1:]
		m := &naive{n: n, edges: map[uint32]Edge{}}
		var edges []Edge
		for i := 0; i+1 < len(data) && data[i] != 0xff; i += 2 {
			e := Edge{A: Node(int(data[i]) % n), B: Node(int(data[i+1]) % n), ID: uint32(i), Attr: uint32(data[i] >> 6)}
			edges = append(edges, e)
			if e.A != e.B {
				m.edges[e.ID] = e
			}
		}
		ix, err := Build(n, edges)
		if err != nil {
			t.Fatal(err)
		}
		l := NewLive(ix)
		// After the 0xff: removals (high bit) of the i-th edge, and adds.
		if i := len(edges) * 2; i < len(data) {
			for j, b := range data[i+1:] {
				ids := m.ids()
				if b&0x80 != 0 && len(ids) > 0 {
					e := m.edges[ids[int(b&0x7f)%len(ids)]]
					if err := l.Remove(e); err != nil {
						t.Fatal(err)
					}
					delete(m.edges, e.ID)
					continue
				}
				e := Edge{A: Node(int(b) % n), B: Node(int(b/3) % n), ID: uint32(10000 + j), Attr: uint32(b & 3)}
				if err := l.Add(e); err != nil {
					t.Fatal(err)
				}
				if e.A != e.B {
					m.edges[e.ID] = e
				}
			}
		}
		r := rand.New(rand.NewPCG(seed, 0))
		check(t, r, l, m)
		l.Compact()
		sameIndex(t, l.Index(), m)
	})
}
