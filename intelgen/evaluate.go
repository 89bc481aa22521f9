package intelgen

// Metric counts pairs of records: of one person (TruePairs), put in one
// cluster (Predicted), and both (Correct).
type Metric struct{ TruePairs, Predicted, Correct int64 }

// Precision is the share of the pairs put together that are one person.
func (m Metric) Precision() float64 {
	if m.Predicted == 0 {
		return 1
	}
	return float64(m.Correct) / float64(m.Predicted)
}

// Recall is the share of the pairs of one person put together.
func (m Metric) Recall() float64 {
	if m.TruePairs == 0 {
		return 1
	}
	return float64(m.Correct) / float64(m.TruePairs)
}

// PairMetrics counts pairs: of records of one person (true), put in one
// cluster (predicted), and both (correct); overall ("") and by the origin
// of the person (true and correct) or of the cluster's first record.
func PairMetrics(cluster, entity, origin map[string]string) map[string]Metric {
	out := map[string]Metric{}
	byEntity, byCluster := map[string][]string{}, map[string][]string{}
	for id := range entity {
		byEntity[entity[id]] = append(byEntity[entity[id]], id)
		if c, ok := cluster[id]; ok {
			byCluster[c] = append(byCluster[c], id)
		}
	}
	bump := func(o string, f func(*Metric)) {
		m := out[o]
		f(&m)
		out[o] = m
		m = out[""]
		f(&m)
		out[""] = m
	}
	for _, ids := range byEntity {
		n := int64(len(ids))
		bump(origin[ids[0]], func(m *Metric) { m.TruePairs += n * (n - 1) / 2 })
		// Correct: pairs of this person's records in one cluster.
		per := map[string]int64{}
		for _, id := range ids {
			per[cluster[id]]++
		}
		for _, k := range per {
			bump(origin[ids[0]], func(m *Metric) { m.Correct += k * (k - 1) / 2 })
		}
	}
	for _, ids := range byCluster {
		n := int64(len(ids))
		bump(origin[ids[0]], func(m *Metric) { m.Predicted += n * (n - 1) / 2 })
	}
	return out
}
