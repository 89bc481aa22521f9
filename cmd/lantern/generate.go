package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"lantern"
	"lantern/app"
	"lantern/intelgen"
	"lantern/store"
)

// demoGenerate makes a synthetic set (package intelgen) and imports it.
// --scale county or national draws a population of children over --years
// in one area or England's 153 (concerns, toolkits, referrals, s47
// enquiries, conferences, plans, missing episodes, return interviews, CSE
// strategy meetings), then intelligence at the preset's scale linked to
// those children. --scale as a number (1 is 2 million entities and 10
// million links) makes intelligence alone, with children of its own. With
// --truth it writes who is who (each person's id, the person they are, and
// their name origin) as CSV, to measure entity resolution against. A store
// with any user but the generator's own is refused.
func demoGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var seed int64
	var scaleArg, truth string
	var years int
	return adminCommandWith(ctx, "demo generate", args, stderr, func(fs *flag.FlagSet) {
		fs.Int64Var(&seed, "seed", 1, "the generator's seed: the same seed and scale give the same set")
		fs.StringVar(&scaleArg, "scale", "0.01", "county (one area), national (153 areas, a million children), or a number: intelligence alone, 1 being 2 million entities and 10 million links")
		fs.IntVar(&years, "years", 10, "with --scale county or national: the years the records span, ending today")
		fs.StringVar(&truth, "truth", "", "write who is who to this CSV file")
	}, func(c *app.Config) {
		// A new SQLite store is filled in bulk (each page written once);
		// one that holds anything already keeps its log, which a crash
		// part-way through the import must not cost it.
		if c.Database == "" && c.DataDir != "" {
			_, err := os.Stat(filepath.Join(c.DataDir, store.SQLiteFile))
			c.Bulk = errors.Is(err, os.ErrNotExist)
		}
	}, func(sys context.Context, st *store.Store) error {
		preset, isPreset := intelgen.Presets[scaleArg]
		scale := preset.IntelScale
		if !isPreset {
			var err error
			if scale, err = strconv.ParseFloat(scaleArg, 64); err != nil || !(scale > 0 && scale <= 2) {
				return lantern.Invalid(lantern.FieldError{Field: "scale", Message: "The scale must be county, national, or a number above 0 and at most 2"})
			}
		}
		if years < 1 || years > 20 {
			return lantern.Invalid(lantern.FieldError{Field: "years", Message: "The years must be 1 to 20"})
		}
		if err := intelgen.RefuseRealUsers(sys, st); err != nil {
			return err
		}
		began := time.Now()
		police, coord, err := intelgen.Accounts(sys, st)
		if err != nil {
			return err
		}
		var linked []string
		if isPreset {
			pop, err := intelgen.LoadPopulation(ctx, sys, st, seed, preset, years, lantern.Today(time.Now()), coord, stdout)
			if err != nil {
				return err
			}
			linked = pop.Confirmed
		}
		start := time.Now()
		set := intelgen.Generate(seed, scale)
		fmt.Fprintf(stdout, "generated %d persons, %d vehicles, %d phones, %d places, %d accounts, %d children and %d links in %s\n",
			len(set.Persons), len(set.Vehicles), len(set.Phones), len(set.Places), len(set.Accounts), len(set.Children), len(set.Links), time.Since(start).Round(time.Millisecond))
		loaded, err := intelgen.LoadLinked(ctx, sys, st, set, police, coord, linked, stdout)
		if err != nil {
			return err
		}
		if isPreset {
			fmt.Fprintf(stdout, "the %s preset in %s\n", preset.Name, time.Since(began).Round(time.Millisecond))
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
