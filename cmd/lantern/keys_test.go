package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/vault"
)

// TestKeysCommands: init writes a key-encrypting key (0600, never over
// another); verify passes on a store whose values are sealed; rotate to a
// new KEK seals them again; then verify with the old KEK is refused and
// with the new one passes; a value written before encryption was on makes
// verify fail until rotate seals it.
func TestKeysCommands(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	kek, next := filepath.Join(dir, "kek"), filepath.Join(dir, "kek2")
	for _, f := range []string{kek, next} {
		if r := lanternCmd(t, "", "keys", "init", "--to", f); r.code != 0 || !strings.Contains(r.stdout, "--kek-file") {
			t.Fatalf("init: %d %q %s", r.code, r.stdout, r.msg())
		}
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v %v", fi.Mode(), err)
		}
	}
	if r := lanternCmd(t, "", "keys", "init", "--to", kek); r.code == 0 {
		t.Fatal("init wrote over a key")
	}
	data := filepath.Join(dir, "data")
	// A child recorded before encryption was on, then one after.
	var sw *lantern.User
	write := func(k *vault.KEK, given string) {
		st := checkStore(t, store.Config{DataDir: data, KEK: k})
		if err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		if sw == nil {
			sw = storetest.Seed(t, st).SocialWorker
		}
		if _, err := st.CreateChild(storetest.As(sw), lantern.ChildInput{GivenName: given, FamilyName: "Keyed", DateOfBirth: lantern.Date{Year: 2012, Month: 1, Day: 1},
			Gender: "female", ChildDetails: lantern.ChildDetails{Disability: "Epilepsy"}}); err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	write(nil, "Before")
	k, err := vault.LoadKEK(kek)
	if err != nil {
		t.Fatal(err)
	}
	write(k, "After")
	if r := lanternCmd(t, "", "keys", "verify", "--data", data, "--kek-file", kek); r.code != 1 || !strings.Contains(r.msg(), "1 values are not sealed") {
		t.Fatalf("verify with a plain value: %d %q %s", r.code, r.stdout, r.msg())
	}
	if r := lanternCmd(t, "", "keys", "rotate", "--data", data, "--kek-file", kek, "--new-kek-file", next); r.code != 0 || !strings.Contains(r.stdout, "2 values sealed again") {
		t.Fatalf("rotate: %d %q %s", r.code, r.stdout, r.msg())
	}
	if r := lanternCmd(t, "", "keys", "verify", "--data", data, "--kek-file", kek); r.code != 1 || !strings.Contains(r.msg(), "not this one") {
		t.Fatalf("verify with the old KEK: %d %q %s", r.code, r.stdout, r.msg())
	}
	if r := lanternCmd(t, "", "keys", "verify", "--data", data, "--kek-file", next); r.code != 0 || !strings.Contains(r.stdout, ": 2 values") {
		t.Fatalf("verify with the new KEK: %d %q %s", r.code, r.stdout, r.msg())
	}
}
