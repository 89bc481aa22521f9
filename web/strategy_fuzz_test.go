package web_test

import (
	"errors"
	"testing"
	"unicode/utf8"

	"lantern"
	"lantern/web"
)

// FuzzDecodeStrategyBodies: the bodies of the action plan and the register
// never panic; every error is a *lantern.Error naming a field, and a date
// that does not read is 422 naming its field. Run with go test
// -fuzz=FuzzDecodeStrategyBodies ./web/.
func FuzzDecodeStrategyBodies(f *testing.F) {
	for _, s := range []string{
		`{}`, ``, `null`, `[]`, `{"due_on": null}`, `{"due_on": "2026-02-30"}`, `{"due_on": 5}`, `{"due_on": "ongoing"}`,
		`{"strand_id": "s", "reference": "1.1", "description": "d", "lead": "u", "due_on": "2026-12-01", "version": 1}`,
		`{"on": "2026-11-22", "text": "t", "rag": "amber", "rationale": "r", "override_reason": "o", "version": 2}`, `{"on": "yesterday"}`,
		`{"title": "Board", "held_on": "2026-11-22"}`, `{"held_on": ""}`,
		`{"title": "T", "scope": "internal", "issued_on": "2011-11-01", "review_due": "2013-11-01", "replaces": ["a", "b"], "status": "current"}`,
		`{"replaces": "a"}`, `{"replaces": [1]}`, `{"review_due": "\u0000"}`, `{"unknown": 1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		check := func(what string, err error) {
			if err == nil {
				return
			}
			var le *lantern.Error
			if !errors.As(err, &le) {
				t.Fatalf("%s(%q): %T %v, want a *lantern.Error", what, body, err, err)
			}
			if le.Code != lantern.EBADREQUEST && le.Code != lantern.EINVALID {
				t.Fatalf("%s(%q): code %q", what, body, le.Code)
			}
			if len(le.Fields) == 0 || !utf8.ValidString(le.Message) {
				t.Fatalf("%s(%q): %v names no field", what, body, err)
			}
		}
		_, err := web.DecodePlanAction(body)
		check("DecodePlanAction", err)
		_, err = web.DecodeNote(body)
		check("DecodeNote", err)
		_, err = web.DecodeBoard(body)
		check("DecodeBoard", err)
		_, err = web.DecodePolicy(body)
		check("DecodePolicy", err)
	})
}
