package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"lantern/intelgen"
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

// intelEvaluate measures the persons' merges against a truth file (lantern
// demo generate --truth): pairwise precision and recall overall and by name
// origin, for the merges alone and as if every pair on the review list were
// answered "same".
func intelEvaluate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var truthFile string
	return adminCommand(ctx, "intel evaluate", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&truthFile, "truth", "", "the truth file lantern demo generate wrote")
	}, func(sys context.Context, st *store.Store) error {
		f, err := os.Open(truthFile)
		if err != nil {
			return err
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return err
		}
		entity, origin := map[string]string{}, map[string]string{}
		for _, r := range rows[1:] {
			entity[r[0]], origin[r[0]] = r[1], r[2]
		}
		roots, review, err := st.PersonClusters(sys)
		if err != nil {
			return err
		}
		for _, rule := range []string{"merged", "merged or for review"} {
			cluster := map[string]string{}
			for id, root := range roots {
				cluster[id] = root
			}
			if rule != "merged" {
				uf := newUnionFind()
				for id, root := range roots {
					uf.union(id, root)
				}
				for _, p := range review {
					uf.union(p[0], p[1])
				}
				for id := range roots {
					cluster[id] = uf.find(id)
				}
			}
			m := intelgen.PairMetrics(cluster, entity, origin)
			fmt.Fprintf(stdout, "%s: precision %.4f recall %.4f (true pairs %d, predicted %d, correct %d)\n", rule,
				m[""].Precision(), m[""].Recall(), m[""].TruePairs, m[""].Predicted, m[""].Correct)
			var names []string
			for o := range m {
				if o != "" {
					names = append(names, o)
				}
			}
			sort.Strings(names)
			for _, o := range names {
				fmt.Fprintf(stdout, "  %-18s precision %.4f recall %.4f (true pairs %d)\n", o, m[o].Precision(), m[o].Recall(), m[o].TruePairs)
			}
		}
		return nil
	})
}

type unionFind struct{ parent map[string]string }

func newUnionFind() *unionFind { return &unionFind{parent: map[string]string{}} }

func (u *unionFind) find(x string) string {
	for {
		p, ok := u.parent[x]
		if !ok || p == x {
			return x
		}
		if gp, ok := u.parent[p]; ok {
			u.parent[x] = gp
		}
		x = p
	}
}

func (u *unionFind) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		if ra < rb {
			u.parent[rb] = ra
		} else {
			u.parent[ra] = rb
		}
	}
}
