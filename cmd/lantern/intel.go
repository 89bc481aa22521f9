package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"lantern/store"
)

// intelTrain trains the entity-resolution model on the persons held and
// stores it: term frequencies, u from random pairs, m by expectation
// maximisation, then the pairs people have answered.
func intelTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sample, uPairs, emPairs int
	var seed int64
	return adminCommand(ctx, "intel train", args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&sample, "sample", 500_000, "train on at most this many persons")
		fs.IntVar(&uPairs, "u-pairs", 2_000_000, "random pairs for u")
		fs.IntVar(&emPairs, "em-pairs", 2_000_000, "blocked pairs for expectation maximisation")
		fs.Int64Var(&seed, "seed", 1, "the random pairs' seed")
	}, func(sys context.Context, st *store.Store) error {
		rep, err := st.TrainIntelModel(sys, sample, uPairs, emPairs, seed)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "trained on %d persons in %s: EM %+v; reviews used: %d same, %d different, %d unsure\n",
			rep.Records, rep.Took.Round(1e6), rep.EM, rep.Reviews.Same, rep.Reviews.Different, rep.Reviews.Unsure)
		return nil
	})
}

// intelResolve compares every person held with those sharing a blocking
// key: merges what the model links automatically and lists the rest for
// review.
func intelResolve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return adminCommand(ctx, "intel resolve", args, stderr, func(fs *flag.FlagSet) {}, func(sys context.Context, st *store.Store) error {
		rep, err := st.ResolveAll(sys)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "resolved %d persons in %s: %d pairs scored, %d merged, %d for review\n",
			rep.Records, rep.Took.Round(1e6), rep.Pairs, rep.Merged, rep.Review)
		return nil
	})
}
