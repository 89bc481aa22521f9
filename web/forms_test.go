package web_test

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// summaryFields are the fields the error summary links to, in order.
func summaryFields(body []byte) []string {
	var out []string
	sum := string(body)
	i := strings.Index(sum, "govuk-error-summary__list")
	if i < 0 {
		return nil
	}
	sum = sum[i:]
	sum = sum[:strings.Index(sum, "</ul>")]
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(sum, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestFormsShowEveryProblemAtOnce: a form with several problems shows them
// all in one round, not one problem (or one kind of problem) a submission.
func TestFormsShowEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			child := e.createChild(f.SocialWorker, "Ada", "Every")
			sw := browserFor(t, e.srv, f.SocialWorker.Email)
			long := strings.Repeat("x", 600)
			for _, tc := range []struct {
				name, path string
				form       url.Values
				want       []string
			}{
				{"changing a child", "/children/" + child.ID + "/edit", url.Values{"version": {"1"}, "given_name": {""}, "family_name": {"Every"},
					"dob-day": {"31"}, "dob-month": {"2"}, "dob-year": {"2012"}, "gender": {""}},
					[]string{"given_name", "date_of_birth", "gender"}},
				{"recording an assessment", "/children/" + child.ID + "/assessments", url.Values{"action": {"record"}, "on-day": {"99"}, "on-month": {"1"}, "on-year": {"2026"},
					"analysis": {""}, "partner_age_gap_years": {"many"}},
					[]string{"assessed_on", "partner_age_gap_years", "analysis"}},
				{"arranging a meeting", "/meetings/new", url.Values{"kind": {"cse-strategy"}, "child_id": {child.ID}, "location": {long},
					"other-1-name": {"Gee"}, "other-1-email": {"not an address"}},
					[]string{"starts_at", "young_person", "carers", "location", "other-1-email"}},
				{"recording a missing episode", "/children/" + child.ID + "/missing-episodes/new", url.Values{"kind": {""}, "reported_by": {long}},
					[]string{"kind", "missing_from", "reported_by"}},
				{"changing your password", "/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"a"}},
					[]string{"current_password", "new_password"}},
			} {
				r := sw.post(tc.path, tc.form)
				if r.status != 422 {
					t.Errorf("%s: status %d, want 422; %.500s", tc.name, r.status, r.body)
					continue
				}
				got := summaryFields(r.body)
				for _, w := range tc.want {
					if !slices.Contains(got, w) {
						t.Errorf("%s: the error summary names %q, want every one of %q", tc.name, got, tc.want)
						break
					}
				}
			}
			_ = lantern.London
		})
	}
}
