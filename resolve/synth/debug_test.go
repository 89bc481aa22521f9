package synth

import (
	"fmt"
	"testing"

	"lantern/resolve"
)

func TestDebugModel(t *testing.T) {
	records, _ := Generate(3, 20_000)
	m := resolve.DefaultModel()
	m.FitTF(records)
	m.EstimateU(records, 200_000, 1)
	show := func() {
		for _, c := range m.Comparisons {
			s := c.Name + ":"
			for _, l := range c.Levels {
				s += fmt.Sprintf(" %s m=%.4f u=%.5f;", l.Name, l.M, l.U)
			}
			t.Log(s)
		}
		t.Log("prior", m.Prior)
	}
	show()
	rep, _ := m.EstimateM_EM(records, 500_000, 1)
	t.Logf("%+v", rep)
	show()
}
