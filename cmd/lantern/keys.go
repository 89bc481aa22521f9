package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"

	"lantern/store"
	"lantern/vault"
)

// keysInit writes a new key-encrypting key.
func keysInit(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("keys init", stderr)
	to := fs.String("to", "", "the file to write the key-encrypting key to (mode 0600; never one that exists), on storage other than the database's")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("--to: name the file to write the key to")
	}
	k, err := vault.WriteKEK(*to)
	if err != nil {
		return fmt.Errorf("--to: %w (a key is never written over)", err)
	}
	fmt.Fprintf(stdout, "key-encrypting key %s written to %s: start Lantern with --kek-file %s\n", k.ID(), *to, *to)
	return nil
}

// keysVerify opens every sealed value: exit 0 when all open and none is
// left unsealed, else 1 naming what failed.
func keysVerify(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	var rep *store.KeyReport
	err := adminCommand(ctx, "keys verify", args, stderr, func(*flag.FlagSet) {}, func(sys context.Context, st *store.Store) error {
		var err error
		rep, err = st.VerifyKeys(sys)
		return err
	})
	if err != nil {
		return exit(err)
	}
	printReport(stdout, rep)
	switch {
	case len(rep.Failed) > 0:
		return 1, fmt.Errorf("%d values do not open: first %s", len(rep.Failed), rep.Failed[0])
	case plainCount(rep) > 0:
		return 1, fmt.Errorf("%d values are not sealed: run lantern keys rotate with --kek-file", plainCount(rep))
	}
	return 0, nil
}

// keysRotate seals every value again under new data keys (and, with
// --new-kek-file, a new key-encrypting key).
func keysRotate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var next *string
	return adminCommand(ctx, "keys rotate", args, stderr, func(fs *flag.FlagSet) {
		next = fs.String("new-kek-file", "", "a new key-encrypting key (lantern keys init) to wrap the new data keys; stop every server first, and start them with it")
	}, func(sys context.Context, st *store.Store) error {
		var k *vault.KEK
		if *next != "" {
			var err error
			if k, err = vault.LoadKEK(*next); err != nil {
				return fmt.Errorf("--new-kek-file: %w", err)
			}
		}
		rep, err := st.RotateKeys(sys, k)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d values sealed again\n", rep.Moved)
		printReport(stdout, rep)
		if len(rep.Failed) > 0 {
			return fmt.Errorf("%d values do not open: first %s", len(rep.Failed), rep.Failed[0])
		}
		return nil
	})
}

func plainCount(rep *store.KeyReport) int {
	n := 0
	for _, c := range rep.Plain {
		n += c
	}
	return n
}

func printReport(w io.Writer, rep *store.KeyReport) {
	ids := make([]string, 0, len(rep.Sealed))
	for id := range rep.Sealed {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(w, "data key %s: %d values\n", id, rep.Sealed[id])
	}
	cols := make([]string, 0, len(rep.Plain))
	for c := range rep.Plain {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	for _, c := range cols {
		fmt.Fprintf(w, "not sealed: %s: %d values\n", c, rep.Plain[c])
	}
	for _, f := range rep.Failed {
		fmt.Fprintf(w, "does not open: %s\n", f)
	}
}
