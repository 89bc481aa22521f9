package web

import (
	"math"
	"testing"
)

// TestPercentAndBits: a probability is never written as certainty or none
// that it is not, and a weight carries its sign, a true minus.
func TestPercentAndBits(t *testing.T) {
	for p, want := range map[float64]string{1: "100%", 0.99995: "more than 99.9%", 0.9994: "99.9%", 0.875: "87.5%", 0.5: "50%",
		0.0004: "less than 0.1%", 0.0123: "1.2%"} {
		if got := percent(p); got != want {
			t.Errorf("percent(%v) = %q, want %q", p, got, want)
		}
	}
	for w, want := range map[float64]string{6.24: "+6.2", 0: "+0.0", -3.06: "−3.1", math.Inf(-1): "−∞"} {
		if got := bits(w); got != want {
			t.Errorf("bits(%v) = %q, want %q", w, got, want)
		}
	}
}
