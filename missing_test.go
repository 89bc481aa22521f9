package lantern_test

import (
	"testing"
	"time"

	"lantern"
)

func TestReturnInterviewOutcome(t *testing.T) {
	returned := time.Date(2026, 5, 3, 20, 0, 0, 0, time.UTC)
	at := func(h int) *time.Time { v := returned.Add(time.Duration(h) * time.Hour); return &v }
	for _, tc := range []struct {
		name        string
		recorded    bool
		held        *time.Time
		now         time.Time
		due, within bool
	}{
		{"nothing recorded, 72 hours still running: not counted yet", false, nil, *at(10), false, false},
		{"nothing recorded, exactly 72 hours: not late yet", false, nil, *at(72), false, false},
		{"nothing recorded, 72 hours passed: late", false, nil, *at(73), true, false},
		{"held within, 72 hours still running", true, at(5), *at(10), true, true},
		{"held at exactly 72 hours", true, at(72), *at(100), true, true},
		{"held late", true, at(80), *at(100), true, false},
		{"recorded as not held, 72 hours still running", true, nil, *at(10), true, false},
	} {
		due, within := lantern.ReturnInterviewOutcome(returned, tc.recorded, tc.held, tc.now)
		if due != tc.due || within != tc.within {
			t.Errorf("%s: due %v within %v, want %v %v", tc.name, due, within, tc.due, tc.within)
		}
	}
}
