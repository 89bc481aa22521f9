package lantern

import (
	"slices"
	"testing"
	"time"
)

func TestCheckShare(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ok := ShareRequest{Outcome: ShareShared, To: "Riverside Academy", What: "Toolkit", Purpose: "Planning", Basis: BasisPublicTask, Consent: ConsentGiven}
	future := now.Add(time.Hour)
	for _, tc := range []struct {
		name   string
		change func(r *ShareRequest)
		fields []string
	}{
		{"complete", func(r *ShareRequest) {}, nil},
		{"no basis", func(r *ShareRequest) { r.Basis = "" }, []string{"basis"}},
		{"no purpose", func(r *ShareRequest) { r.Purpose = "" }, []string{"purpose"}},
		{"no consent", func(r *ShareRequest) { r.Consent = "" }, []string{"consent"}},
		{"consent sought is not an answer", func(r *ShareRequest) { r.Consent = ConsentSought }, []string{"consent"}},
		{"not sought, no reason", func(r *ShareRequest) { r.Consent = ConsentNotSought }, []string{"reason"}},
		{"not sought, blank reason", func(r *ShareRequest) { r.Consent, r.Reason = ConsentNotSought, "   " }, []string{"reason"}},
		{"not sought, reason", func(r *ShareRequest) { r.Consent, r.Reason = ConsentNotSought, "Asking would alert the abuser" }, nil},
		{"refused, no reason", func(r *ShareRequest) { r.Consent = ConsentRefused }, []string{"reason"}},
		{"consent basis, not sought", func(r *ShareRequest) {
			r.Basis, r.Consent, r.Reason = BasisConsent, ConsentNotSought, "Asking would alert the abuser"
		}, []string{"consent"}},
		{"explicit consent, refused", func(r *ShareRequest) {
			r.Condition, r.Consent, r.Reason = ConditionExplicitConsent, ConsentRefused, "Shared to protect her"
		}, []string{"consent"}},
		{"unknown condition", func(r *ShareRequest) { r.Condition = "health" }, []string{"condition"}},
		{"emergency, public task", func(r *ShareRequest) { r.Emergency, r.Reason = true, "Missing tonight, at risk" }, []string{"basis"}},
		{"emergency, no reason", func(r *ShareRequest) { r.Emergency, r.Basis = true, BasisVitalInterests }, []string{"reason"}},
		{"emergency", func(r *ShareRequest) {
			r.Emergency, r.Basis, r.Reason = true, BasisVitalInterests, "Missing tonight, at risk"
		}, nil},
		{"not shared, no reason", func(r *ShareRequest) { r.Outcome = ShareNotShared }, []string{"reason"}},
		{"not shared, no basis needed", func(r *ShareRequest) {
			r.Outcome, r.Basis, r.Purpose, r.Consent, r.Reason = ShareNotShared, "", "", "", "Not needed for their work"
		}, nil},
		{"not shared emergency", func(r *ShareRequest) {
			r.Outcome, r.Reason, r.Emergency = ShareNotShared, "Not needed for their work", true
		}, []string{"emergency"}},
		{"no outcome, to or what", func(r *ShareRequest) { r.Outcome, r.To, r.What = "", "", "" }, []string{"outcome", "to", "what"}},
		{"unknown outcome", func(r *ShareRequest) { r.Outcome = "maybe" }, []string{"outcome"}},
		{"control characters", func(r *ShareRequest) { r.What = "a\x00b" }, []string{"what"}},
		{"in the future", func(r *ShareRequest) { r.SharedAt = &future }, []string{"shared_at"}},
	} {
		r := ok
		tc.change(&r)
		var got []string
		for _, f := range ErrorFields(CheckShare(&r, now)) {
			got = append(got, f.Field)
		}
		slices.Sort(got)
		slices.Sort(tc.fields)
		if !slices.Equal(got, tc.fields) {
			t.Errorf("%s: fields %q, want %q", tc.name, got, tc.fields)
		}
	}
}

func TestCheckShareAgreement(t *testing.T) {
	d := func(y, m, day int) Date { return Date{Year: y, Month: time.Month(m), Day: day} }
	end := d(2026, 6, 30)
	a := &Agreement{ID: "a", AgreementInput: AgreementInput{AgencyIDs: []string{"csc", "school"}, StartsOn: d(2025, 1, 1), EndsOn: &end}}
	r := ShareRequest{Outcome: ShareShared, AgreementID: "a", ToAgencyID: "school"}
	for _, tc := range []struct {
		name string
		r    ShareRequest
		a    *Agreement
		on   Date
		bad  bool
	}{
		{"in force", r, a, d(2026, 6, 30), false},
		{"before it starts", r, a, d(2024, 12, 31), true},
		{"after it ends", r, a, d(2026, 7, 1), true},
		{"no such agreement", r, nil, d(2026, 1, 1), true},
		{"not a party", ShareRequest{Outcome: ShareShared, AgreementID: "a", ToAgencyID: "police"}, a, d(2026, 1, 1), true},
		{"emergency after it ends", ShareRequest{Outcome: ShareShared, AgreementID: "a", Emergency: true}, a, d(2026, 7, 1), false},
		{"no agreement named", ShareRequest{Outcome: ShareShared}, nil, d(2026, 7, 1), false},
		{"not shared", ShareRequest{Outcome: ShareNotShared, AgreementID: "a"}, a, d(2027, 1, 1), false},
	} {
		err := CheckShareAgreement(&tc.r, tc.a, tc.on)
		if (err != nil) != tc.bad {
			t.Errorf("%s: %v", tc.name, err)
		}
		if err != nil && ErrorFields(err)[0].Field != "agreement_id" {
			t.Errorf("%s: names %v", tc.name, ErrorFields(err))
		}
	}
}

func TestCheckSealAndBreakGlass(t *testing.T) {
	today := Date{Year: 2026, Month: 12, Day: 1}
	for _, tc := range []struct {
		r   SealRequest
		bad []string
	}{
		{SealRequest{Reason: "A member of staff's child", ReviewOn: today}, nil},
		{SealRequest{Reason: " ", ReviewOn: today.AddDays(-1)}, []string{"reason", "review_on"}},
		{SealRequest{Reason: "A member of staff's child"}, []string{"review_on"}},
		{SealRequest{Reason: "A member of staff's child", ReviewOn: today.AddDays(367)}, []string{"review_on"}},
	} {
		var got []string
		for _, f := range ErrorFields(CheckSeal(&tc.r, today)) {
			got = append(got, f.Field)
		}
		if !slices.Equal(got, tc.bad) {
			t.Errorf("%+v: %q, want %q", tc.r, got, tc.bad)
		}
	}
	for reason, bad := range map[string]bool{"": true, "nineteen characters": true, "twenty characters ok": false, "   padded  out  to  twenty-one   ": false,
		"                       nineteen chars.": true} {
		r := BreakGlassRequest{Reason: reason}
		if err := CheckBreakGlass(&r); (err != nil) != bad {
			t.Errorf("%q: %v", reason, err)
		}
	}
}
