package resolve

import (
	"testing"
	"time"
)

func benchPairs() []*Prepared {
	rs := []Record{
		{Names: []Name{{"Mohammed", "Khan"}}, DateOfBirth: date(1990, time.March, 14), Sex: "male", Postcodes: []string{"ZX1 1AB"}},
		{Names: []Name{{"Muhammad", "Kahn"}}, BirthYear: 1991, Sex: "male", Postcodes: []string{"ZX1 1AD"}, Phones: []string{"+447700900123"}},
		{Names: []Name{{"Kieran", "O'Brien"}}, DateOfBirth: date(1985, time.July, 2), Aliases: []string{"K-Dog"}},
		{Names: []Name{{"Ciaran", "OBrien"}}, DateOfBirth: date(1985, time.February, 7), Aliases: []string{"K Dog"}},
	}
	return PrepareAll(rs)
}

// BenchmarkScore is the cost of one pair: a re-resolve scores tens of
// millions.
func BenchmarkScore(b *testing.B) {
	m := DefaultModel()
	ps := benchPairs()
	i := 0
	for b.Loop() {
		m.weightOf(ps[i%4], ps[(i+1)%4])
		i++
	}
}

func BenchmarkPrepare(b *testing.B) {
	r := Record{Names: []Name{{"Mohammed", "Khan Jnr"}}, DateOfBirth: date(1990, time.March, 14), Sex: "male",
		Postcodes: []string{"ZX1 1AB"}, Aliases: []string{"D-Money"}, Phones: []string{"+447700900123"}}
	for b.Loop() {
		Prepare(r)
	}
}
