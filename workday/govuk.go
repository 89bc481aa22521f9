package workday

import (
	"encoding/json"
	"fmt"

	"lantern"
)

// Holiday is a dated bank holiday.
type Holiday struct {
	Date lantern.Date
	Name string
}

// ParseGovUK reads the UK government's published bank-holidays JSON:
// {"england-and-wales": {"division": ..., "events": [{"title", "date", ...}]}, ...}.
// It refuses a list with an unknown region, a bad date or no events.
func ParseGovUK(b []byte) (map[Region][]Holiday, error) {
	var raw map[string]struct {
		Division string `json:"division"`
		Events   []struct {
			Title string `json:"title"`
			Date  string `json:"date"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("the bank holidays are not the GOV.UK JSON format: %w", err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("the bank holidays list has no regions")
	}
	out := map[Region][]Holiday{}
	for name, div := range raw {
		r := Region(name)
		if !r.Valid() {
			return nil, fmt.Errorf("the bank holidays list has an unknown region %q", name)
		}
		if len(div.Events) == 0 {
			return nil, fmt.Errorf("the bank holidays list has no events for %s", name)
		}
		for i, e := range div.Events {
			d, err := lantern.ParseDate(e.Date)
			if err != nil {
				return nil, fmt.Errorf("%s event %d (%q): %w", name, i, e.Title, err)
			}
			out[r] = append(out[r], Holiday{Date: d, Name: e.Title})
		}
	}
	return out, nil
}
