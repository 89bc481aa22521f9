package web_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"testing"
	"time"

	"lantern"
	"lantern/web"
)

// FuzzIntelRequests: the intelligence API's decoders never panic, and what
// they refuse they refuse naming a field; a grading they accept is a valid
// 3×5×2 grade.
func FuzzIntelRequests(f *testing.F) {
	for _, s := range []string{`{"source":"1","intelligence":"B","handling":"P"}`, `"B2"`, `{"source":"1","intelligence":"B"}`,
		`{"source":"1","intelligence":"A","handling":"C"}`, `null`, `[]`, `{"source":1}`, `"1B"`} {
		f.Add(s, "hops=2&kind=associate&least=2B&expand=person:x", `{"names":[{"given":"Dee"}],"estimated_age":25,"estimated_in":2023}`)
	}
	f.Fuzz(func(t *testing.T, grading, query, person string) {
		g, err := web.ParseGrading(json.RawMessage(grading))
		if err != nil {
			if len(lantern.ErrorFields(err)) == 0 {
				t.Fatalf("grading %q refused naming no field: %v", grading, err)
			}
		} else if g != nil && lantern.CheckGrading(*g) != nil {
			t.Fatalf("grading %q accepted but invalid: %+v", grading, g)
		}
		if v, err := url.ParseQuery(query); err == nil {
			q, err := lantern.ParseNetworkQuery(v)
			if err != nil && len(lantern.ErrorFields(err)) == 0 {
				t.Fatalf("query %q refused naming no field", query)
			}
			if err == nil && (q.Hops < 1 || q.Hops > lantern.MaxNetworkHops || len(q.Expand) > 20) {
				t.Fatalf("query %q gave %+v", query, q)
			}
		}
		var req web.PersonRequest
		if web.DecodeJSON([]byte(person), &req) == nil {
			p, err := req.Person()
			if err == nil {
				err = lantern.CheckPerson(p, time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
			}
			var le *lantern.Error
			if err != nil && (!errors.As(err, &le) || len(le.Fields) == 0) {
				t.Fatalf("person %q refused naming no field: %v", person, err)
			}
		}
	})
}
