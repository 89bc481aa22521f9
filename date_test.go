package lantern_test

import (
	"testing"

	"lantern"
)

func TestAgeOn(t *testing.T) {
	d := func(s string) lantern.Date {
		v, err := lantern.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		dob, on string
		want    int
	}{
		{"2013-11-22", "2026-11-22", 13}, // thirteenth birthday today
		{"2013-11-23", "2026-11-22", 12}, // tomorrow
		{"2012-02-29", "2025-02-28", 12}, // leapling, common year: birthday is 1 March
		{"2012-02-29", "2025-03-01", 13},
		{"2012-02-29", "2024-02-29", 12},
		{"2012-02-29", "2024-02-28", 11},
		{"2008-12-31", "2026-12-31", 18},
		{"2008-12-31", "2026-12-30", 17},
	}
	for _, tt := range tests {
		if got := lantern.AgeOn(d(tt.dob), d(tt.on)); got != tt.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", tt.dob, tt.on, got, tt.want)
		}
	}
}

func TestParseDateRefusesNonDates(t *testing.T) {
	for _, s := range []string{"", "2023-02-29", "2023-13-01", "23-01-01", "2023-1-1", "2023-01-01T00:00:00Z", "abcd-ef-gh"} {
		if _, err := lantern.ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}
