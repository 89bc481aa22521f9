package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"lantern"
	"lantern/intelgen"
	"lantern/store"
)

// demoGenerate makes a national-scale synthetic set of intelligence
// (package intelgen) and imports it: children, then persons, vehicles,
// phones, places and accounts, then links, in batches. With --truth it
// writes who is who (each person's id, the person they are, and their name
// origin) as CSV, to measure entity resolution against.
func demoGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var seed int64
	var scale float64
	var truth string
	return adminCommand(ctx, "demo generate", args, stderr, func(fs *flag.FlagSet) {
		fs.Int64Var(&seed, "seed", 1, "the generator's seed: the same seed and scale give the same set")
		fs.Float64Var(&scale, "scale", 0.01, "1 is national: 2 million entities and 10 million links")
		fs.StringVar(&truth, "truth", "", "write who is who to this CSV file")
	}, func(sys context.Context, st *store.Store) error {
		if scale <= 0 || scale > 2 {
			return lantern.Invalid(lantern.FieldError{Field: "scale", Message: "The scale must be above 0 and at most 2"})
		}
		start := time.Now()
		set := intelgen.Generate(seed, scale)
		fmt.Fprintf(stdout, "generated %d persons, %d vehicles, %d phones, %d places, %d accounts, %d children and %d links in %s\n",
			len(set.Persons), len(set.Vehicles), len(set.Phones), len(set.Places), len(set.Accounts), len(set.Children), len(set.Links), time.Since(start).Round(time.Millisecond))
		police, coord, err := intelgen.Accounts(sys, st)
		if err != nil {
			return err
		}
		loaded, err := intelgen.Load(ctx, sys, st, set, police, coord, stdout)
		if err != nil {
			return err
		}
		if truth != "" {
			if err := writeTruth(truth, set, loaded.Persons); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeTruth writes person_id, entity and origin, a line a person.
func writeTruth(path string, set *intelgen.Set, ids []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"person_id", "entity", "origin"})
	for i, id := range ids {
		_ = w.Write([]string{id, strconv.Itoa(set.Truth[i]), set.Origin(i)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
