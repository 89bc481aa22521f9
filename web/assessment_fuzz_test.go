package web_test

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"lantern"
	"lantern/web"
)

// FuzzAssessmentPrompts: the assessment's decoders, the API's body and the
// form, never panic; what the API refuses it refuses naming a field; the
// decisions either reads are about one suggestion each, and the form's
// confirmations tick their indicators (a suggestion left alone ticks
// nothing).
func FuzzAssessmentPrompts(f *testing.F) {
	for _, s := range []string{
		`{"indicators": ["sign.known-perpetrators"], "analysis": "x", "prompts": [{"indicator": "sign.known-perpetrators", "link_id": "l1", "decision": "confirmed"}]}`,
		`{"prompts": [{"indicator": "sign.hotspot-areas", "link_id": "l2", "decision": "declined", "reason": "She works there"}]}`,
		`{"prompts": [{"indicator": "sign.hotspot-areas", "link_id": "l2", "decision": "declined"}]}`,
		`{"prompts": null}`, `{"prompts": {}}`, `{"prompts": [null]}`, `{"prompts": [1]}`, `{"prompts": [{"decision": 1}]}`,
		`{"prompts": [{"why": "x"}]}`, `{"prompts": [` + strings.Repeat(`{},`, 60) + `{}]}`, `{"missing_episodes_90d": 2, "prompts": []}`,
	} {
		f.Add(s, "prompt.l1.sign.known-perpetrators=confirm&prompt.l2.sign.hotspot-areas=decline&prompt-reason.l2.sign.hotspot-areas=Works+there")
	}
	f.Add(`{}`, "prompt.=confirm&prompt.l1=decline&prompt..x=confirm&prompt.l1.sign.a.b=confirm&indicators=sign.a.b")
	f.Add(`{}`, "prompt.l1.x=decline&prompt-reason.l1.x=+&prompt.l2.y=maybe")
	f.Fuzz(func(t *testing.T, body, form string) {
		var req web.AssessmentRequest
		if web.DecodeJSON([]byte(body), &req) == nil {
			in, err := req.Input()
			if err != nil {
				if len(lantern.ErrorFields(err)) == 0 {
					t.Fatalf("%q refused naming no field: %v", body, err)
				}
			} else if len(in.Prompts) > 50 || len(in.Prompts) != len(req.Prompts) {
				t.Fatalf("%q read as %d decisions of %d", body, len(in.Prompts), len(req.Prompts))
			}
			for i := range in.Prompts {
				field := "prompts[" + strconv.Itoa(i) + "]"
				for _, fe := range lantern.ErrorFields(lantern.CheckPromptDecision(&in.Prompts[i], field)) {
					if !strings.HasPrefix(fe.Field, field+".") || fe.Message == "" {
						t.Fatalf("%q: decision %d named %+v", body, i, fe)
					}
				}
			}
		}
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		in, _ := web.AssessmentForm(v, lantern.Date{Year: 2026, Month: 11, Day: 22})
		if len(in.Prompts) > 50 {
			t.Fatalf("%q: %d decisions", form, len(in.Prompts))
		}
		seen := map[string]bool{}
		for _, d := range in.Prompts {
			if d.Indicator == "" || d.LinkID == "" || strings.Contains(d.LinkID, ".") || seen[d.LinkID+" "+d.Indicator] {
				t.Fatalf("%q: decision %+v", form, d)
			}
			seen[d.LinkID+" "+d.Indicator] = true
			switch d.Decision {
			case lantern.PromptConfirmed:
				if !slices.Contains(in.Answers.Indicators, d.Indicator) || d.Reason != "" {
					t.Fatalf("%q: a confirmation that does not tick: %+v %v", form, d, in.Answers.Indicators)
				}
			case lantern.PromptDeclined:
			default:
				t.Fatalf("%q: decision %+v", form, d)
			}
		}
		// Only a confirmation ticks: what is ticked is what the form ticked
		// or confirmed.
		for _, id := range in.Answers.Indicators {
			if !slices.Contains(v["indicators"], id) && !slices.ContainsFunc(in.Prompts, func(d lantern.PromptDecision) bool {
				return d.Decision == lantern.PromptConfirmed && d.Indicator == id
			}) {
				t.Fatalf("%q: %s ticked by nothing", form, id)
			}
		}
	})
}
