package web_test

import (
	"errors"
	"testing"

	"lantern"
	"lantern/web"
)

// A value of the wrong type is named with its field, and the message says
// what the field takes and what came, in words.
func TestDecodeJSONTypeMessages(t *testing.T) {
	type body struct {
		Indicators []string          `json:"indicators"`
		Evidence   map[string]string `json:"evidence"`
		Count      *int              `json:"count"`
		Name       string            `json:"name"`
		Held       bool              `json:"held"`
		Gap        *float64          `json:"gap"`
	}
	for _, tc := range []struct {
		in, field, msg string
	}{
		{`{"indicators": "sign.missing"}`, "indicators", "must be a list, not a string"},
		{`{"evidence": ["x"]}`, "evidence", "must be an object, not a list"},
		{`{"evidence": {"a": 1}}`, "evidence", "must be a string, not a number"},
		{`{"count": 3.5}`, "count", "must be a whole number, not 3.5"},
		{`{"count": "3"}`, "count", "must be a whole number, not a string"},
		{`{"name": 7}`, "name", "must be a string, not a number"},
		{`{"name": {}}`, "name", "must be a string, not an object"},
		{`{"held": "yes"}`, "held", "must be true or false, not a string"},
		{`{"gap": true}`, "gap", "must be a number, not true or false"},
	} {
		var b body
		err := web.DecodeJSON([]byte(tc.in), &b)
		var le *lantern.Error
		if !errors.As(err, &le) || le.Code != lantern.EBADREQUEST || len(le.Fields) != 1 {
			t.Errorf("%s: %v, want one field error", tc.in, err)
			continue
		}
		if f := le.Fields[0]; f.Field != tc.field || f.Message != tc.msg {
			t.Errorf("%s: %s %q, want %s %q", tc.in, f.Field, f.Message, tc.field, tc.msg)
		}
	}
}

// A body of null is not an object, as a list is not.
func TestDecodeJSONNull(t *testing.T) {
	for _, in := range []string{"null", " null\n", "[]"} {
		var v struct{ A string }
		err := web.DecodeJSON([]byte(in), &v)
		var le *lantern.Error
		if !errors.As(err, &le) || le.Code != lantern.EBADREQUEST || len(le.Fields) != 1 || le.Fields[0].Field != "body" {
			t.Errorf("%q: %v, want bad request naming the body", in, err)
		}
	}
}
