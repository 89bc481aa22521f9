package web_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"lantern"
	"lantern/web"
)

// FuzzS47Complete decodes the body of PATCH .../s47-enquiries/{sid} and
// reads it: any error names the body or one of the request's fields, and
// what is read whole is a completion the store can take.
func FuzzS47Complete(f *testing.F) {
	for _, s := range []string{
		`{"completed_at": "2027-05-12T15:00:00Z", "outcome": "not-substantiated", "version": 1}`,
		`{"completed_at": "2027-05-12T15:00:00+01:00", "outcome": "substantiated-icpc", "version": 0}`,
		`{}`, `{"version": null}`, `{"completed_at": "yesterday"}`, `{"outcome": "not-known", "version": 1}`,
		`{"completed_at": "2099-01-01T00:00:00Z", "outcome": "not-substantiated", "version": 1}`, `{"completed_at": 1}`,
		`{"completed_at": "", "outcome": "", "version": -1}`, `{"reason": "x"}`,
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	fields := []string{"completed_at", "outcome", "version"}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req web.S47CompleteRequest
		if err := web.DecodeJSON(body, &req); err != nil {
			return // FuzzDecodeJSON checks these
		}
		c, err := req.Completion(now)
		if err != nil {
			var le *lantern.Error
			if !errors.As(err, &le) || le.Code != lantern.EINVALID || len(le.Fields) == 0 {
				t.Fatalf("%q: %v, want invalid input naming fields", body, err)
			}
			for _, fe := range le.Fields {
				if !slices.Contains(fields, fe.Field) || fe.Message == "" {
					t.Fatalf("%q: field error %+v", body, fe)
				}
			}
			return
		}
		if req.Version == nil || c.CompletedAt == nil || !c.Outcome.Valid() {
			t.Fatalf("%q: accepted %+v", body, c)
		}
	})
}

// FuzzChronologyKinds reads the chronology's filter: every kind it keeps is
// known and kept once, and an error names kind.
func FuzzChronologyKinds(f *testing.F) {
	for _, s := range []string{"", "concern", "concern,referral", " share , share ,", "gossip", "concern,,", "Concern", "\x00", "s47-outcome,plan-end"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		kf, err := lantern.ParseChronologyKinds([]string{q, q})
		if err != nil {
			if fs := lantern.ErrorFields(err); len(fs) != 1 || fs[0].Field != "kind" {
				t.Fatalf("%q: %v, want a problem naming kind", q, err)
			}
			return
		}
		for i, k := range kf {
			if !k.Valid() || slices.Contains(kf[:i], k) {
				t.Fatalf("%q: kinds %v", q, kf)
			}
		}
	})
}
