package vault

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	dek, _ := NewDataKey()
	other, _ := NewDataKey()
	keys := func(id string) ([]byte, error) {
		switch id {
		case "k1":
			return dek, nil
		case "k2":
			return other, nil
		}
		return nil, errors.New("no such key")
	}
	aad := AAD("concerns", "disclosure_words", "row-1")
	v, err := Seal("k1", dek, aad, "He said I owe him")
	if err != nil || !IsSealed(v) || KeyOf(v) != "k1" || strings.Contains(v, "owe") {
		t.Fatalf("sealed %q, %v", v, err)
	}
	if got, err := Open(keys, aad, v); err != nil || got != "He said I owe him" {
		t.Fatalf("opened %q, %v", got, err)
	}
	v2, _ := Seal("k1", dek, aad, "He said I owe him")
	if v2 == v {
		t.Error("two seals of one value are the same: the nonce is not fresh")
	}
	flip := []byte(v)
	flip[len(flip)-3] ^= 1
	for name, tc := range map[string]struct {
		aad []byte
		v   string
	}{
		"another row":    {AAD("concerns", "disclosure_words", "row-2"), v},
		"another column": {AAD("concerns", "summary", "row-1"), v},
		"another table":  {AAD("children", "disclosure_words", "row-1"), v},
		"altered":        {aad, string(flip)},
		"another key":    {aad, strings.Replace(v, ":k1:", ":k2:", 1)},
		"cut short":      {aad, v[:len(v)-10]},
		"no body":        {aad, prefix + "k1:"},
		"not base64":     {aad, prefix + "k1:!!!"},
		"no key id":      {aad, prefix + ":abc"},
	} {
		if got, err := Open(keys, tc.aad, tc.v); !errors.Is(err, ErrTampered) {
			t.Errorf("%s: opened %q, %v; want ErrTampered", name, got, err)
		}
	}
	if got, err := Open(keys, aad, "plain words"); err != nil || got != "plain words" {
		t.Errorf("a plain value: %q, %v", got, err)
	}
	if v, err := Seal("k1", dek, aad, ""); err != nil || v != "" {
		t.Errorf("the empty value: %q, %v", v, err)
	}
}

func TestKEK(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kek")
	k, err := WriteKEK(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteKEK(path); err == nil {
		t.Error("WriteKEK overwrote a key")
	}
	loaded, err := LoadKEK(path)
	if err != nil || loaded.ID() != k.ID() {
		t.Fatalf("loaded %v, %v", loaded, err)
	}
	os.Chmod(path, 0o644)
	if _, err := LoadKEK(path); err == nil {
		t.Error("a KEK readable by others was loaded")
	}
	if _, err := ParseKEK([]byte("too short")); err == nil {
		t.Error("a short KEK was parsed")
	}
	dek, _ := NewDataKey()
	w, err := k.Wrap("disclosure", "d1", dek)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k.Unwrap("disclosure", "d1", w); err != nil || string(got) != string(dek) {
		t.Fatalf("unwrapped %v, %v", got, err)
	}
	other, _ := NewKEK()
	for name, f := range map[string]func() ([]byte, error){
		"another KEK":   func() ([]byte, error) { return other.Unwrap("disclosure", "d1", w) },
		"another class": func() ([]byte, error) { return k.Unwrap("health", "d1", w) },
		"another id":    func() ([]byte, error) { return k.Unwrap("disclosure", "d2", w) },
		"not base64":    func() ([]byte, error) { return k.Unwrap("disclosure", "d1", "!!") },
		"short":         func() ([]byte, error) { return k.Unwrap("disclosure", "d1", "AAAA") },
	} {
		if _, err := f(); !errors.Is(err, ErrTampered) {
			t.Errorf("%s: %v, want ErrTampered", name, err)
		}
	}
}

// FuzzOpen: no stored value, however made, panics or opens under the wrong
// place.
func FuzzOpen(f *testing.F) {
	dek := make([]byte, KeySize)
	aad := AAD("t", "c", "r")
	v, _ := Seal("k", dek, aad, "a value")
	f.Add(v)
	f.Add(prefix + "k:")
	f.Add("plain")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Open(func(string) ([]byte, error) { return dek, nil }, AAD("t", "c", "other"), s)
		if err == nil && IsSealed(s) {
			t.Fatalf("%q opened under another row as %q", s, got)
		}
		if err == nil && !IsSealed(s) && got != s {
			t.Fatalf("a plain value changed: %q to %q", s, got)
		}
	})
}
