package figures

import (
	"testing"
	"time"

	"lantern"
)

func TestCheckShare(t *testing.T) {
	area := "Z00000001"
	other := "Z00000002"
	earlier := []*lantern.FigureShare{{From: d(2025, 4, 1), To: d(2026, 3, 31), Area: &area, Profile: "dfe", CreatedAt: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}}
	ok := func(s *lantern.FigureShare) *lantern.FigureShare {
		if s.Purpose == "" {
			s.Purpose = lantern.SharePurposeBoard
		}
		if s.Recipient == "" {
			s.Recipient = "Eastshire Safeguarding Partnership (fictional)"
		}
		return s
	}
	for _, tc := range []struct {
		name   string
		in     *lantern.FigureShare
		fields []string
	}{
		{"a year after", ok(&lantern.FigureShare{From: d(2026, 4, 1), To: d(2027, 3, 31), Area: &area, Profile: "dfe"}), nil},
		{"internal", ok(&lantern.FigureShare{From: d(2026, 4, 1), To: d(2027, 3, 31), Area: &area, Profile: "internal"}), []string{"profile"}},
		{"unknown profile", ok(&lantern.FigureShare{From: d(2026, 4, 1), To: d(2027, 3, 31), Area: &area, Profile: "open"}), []string{"profile"}},
		{"overlapping, exact", ok(&lantern.FigureShare{From: d(2025, 10, 1), To: d(2026, 9, 30), Area: &area, Profile: "dfe"}), []string{"from", "to"}},
		{"overlapping, every area", ok(&lantern.FigureShare{From: d(2025, 10, 1), To: d(2026, 9, 30), Profile: "dfe"}), []string{"from", "to"}},
		{"overlapping, rounded", ok(&lantern.FigureShare{From: d(2025, 10, 1), To: d(2026, 9, 30), Area: &area, Profile: "ons-10-5"}), nil},
		{"overlapping, another area", ok(&lantern.FigureShare{From: d(2025, 10, 1), To: d(2026, 9, 30), Area: &other, Profile: "dfe"}), nil},
		{"the last day shared", ok(&lantern.FigureShare{From: d(2026, 3, 31), To: d(2026, 4, 30), Area: &area, Profile: "dfe"}), []string{"from", "to"}},
		{"no purpose or recipient", &lantern.FigureShare{From: d(2026, 4, 1), To: d(2027, 3, 31), Purpose: "gossip", Recipient: "  ", Profile: "dfe"}, []string{"purpose", "recipient"}},
	} {
		err := CheckShare(tc.in, DfE, earlier)
		var got []string
		for _, f := range lantern.ErrorFields(err) {
			got = append(got, f.Field)
		}
		if len(got) != len(tc.fields) || (len(got) > 0 && (got[0] != tc.fields[0] || got[len(got)-1] != tc.fields[len(tc.fields)-1])) {
			t.Errorf("%s: %v, want problems naming %v", tc.name, err, tc.fields)
		}
	}
	// The area's profile cannot be loosened by asking.
	if err := CheckShare(ok(&lantern.FigureShare{From: d(2026, 4, 1), To: d(2027, 3, 31), Profile: "dfe"}), ONS, nil); len(lantern.ErrorFields(err)) != 1 || lantern.ErrorFields(err)[0].Field != "profile" {
		t.Errorf("dfe asked where the area shares under ons-10-5: %v", err)
	}
}
