package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

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
			m := pairMetrics(cluster, entity, origin)
			fmt.Fprintf(stdout, "%s: precision %.4f recall %.4f (true pairs %d, predicted %d, correct %d)\n", rule,
				m[""].precision(), m[""].recall(), m[""].truePairs, m[""].predicted, m[""].correct)
			var names []string
			for o := range m {
				if o != "" {
					names = append(names, o)
				}
			}
			sort.Strings(names)
			for _, o := range names {
				fmt.Fprintf(stdout, "  %-18s precision %.4f recall %.4f (true pairs %d)\n", o, m[o].precision(), m[o].recall(), m[o].truePairs)
			}
		}
		return nil
	})
}

type metric struct{ truePairs, predicted, correct int64 }

func (m metric) precision() float64 {
	if m.predicted == 0 {
		return 1
	}
	return float64(m.correct) / float64(m.predicted)
}

func (m metric) recall() float64 {
	if m.truePairs == 0 {
		return 1
	}
	return float64(m.correct) / float64(m.truePairs)
}

// pairMetrics counts pairs: of records of one person (true), put in one
// cluster (predicted), and both (correct); overall ("") and by the origin
// of the person (true and correct) or of the cluster's first record.
func pairMetrics(cluster, entity, origin map[string]string) map[string]metric {
	out := map[string]metric{}
	byEntity, byCluster := map[string][]string{}, map[string][]string{}
	for id := range entity {
		byEntity[entity[id]] = append(byEntity[entity[id]], id)
		if c, ok := cluster[id]; ok {
			byCluster[c] = append(byCluster[c], id)
		}
	}
	bump := func(o string, f func(*metric)) {
		m := out[o]
		f(&m)
		out[o] = m
		m = out[""]
		f(&m)
		out[""] = m
	}
	for _, ids := range byEntity {
		n := int64(len(ids))
		bump(origin[ids[0]], func(m *metric) { m.truePairs += n * (n - 1) / 2 })
		// Correct: pairs of this person's records in one cluster.
		per := map[string]int64{}
		for _, id := range ids {
			per[cluster[id]]++
		}
		for _, k := range per {
			bump(origin[ids[0]], func(m *metric) { m.correct += k * (k - 1) / 2 })
		}
	}
	for _, ids := range byCluster {
		n := int64(len(ids))
		bump(origin[ids[0]], func(m *metric) { m.predicted += n * (n - 1) / 2 })
	}
	return out
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
