package web_test

import (
	"net/url"
	"strings"
	"testing"

	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestAllocationIsChildrensSocialCares: a practitioner is not shown the
// open-case box, the allocated social worker or the buttons for s47
// enquiries and social work assessments; the API refuses their change of
// those fields with 422 naming each, and their statutory records with 403.
// Saving the form keeps what children's social care set.
func TestAllocationIsChildrensSocialCares(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			c := e.createChild(f.Teacher, "Ola", "Allocated")
			base := "/api/v1/children/" + c.ID
			wantProblem(t, "a practitioner opens the case", e.as(f.Teacher, "PATCH", base, `{"version": 1, "open_case": true}`), 422, "open_case")
			wantProblem(t, "a practitioner allocates", e.as(f.Teacher, "PATCH", base, `{"version": 1, "allocated_social_worker_id": "`+f.SocialWorker.ID+`"}`),
				422, "allocated_social_worker_id")
			if r := e.as(f.SocialWorker, "PATCH", base, `{"version": 1, "open_case": true, "allocated_social_worker_id": "`+f.SocialWorker.ID+`"}`); r.status != 200 {
				t.Fatalf("the social worker opens and allocates: %d %s", r.status, r.body)
			}
			wantProblem(t, "a practitioner records an s47 enquiry", e.as(f.Teacher, "POST", base+"/s47-enquiries", `{"started_at": "2026-11-21T12:00:00Z"}`), 403)
			wantProblem(t, "a practitioner records a social work assessment",
				e.as(f.Teacher, "POST", base+"/social-work-assessments", `{"kind": "single", "started_at": "2026-11-21T12:00:00Z"}`), 403)

			tb := browserFor(t, e.srv, f.Teacher.Email)
			page := string(tb.get("/children/" + c.ID).body)
			for _, s := range []string{"/s47-enquiries/new", "/social-work-assessments/new"} {
				if strings.Contains(page, s) {
					t.Errorf("the practitioner's child page links %s", s)
				}
			}
			if !strings.Contains(page, "/referrals/new") {
				t.Errorf("the practitioner's child page has no referral button")
			}
			form := tb.get("/children/" + c.ID + "/edit")
			wantPage(t, form, 200)
			if strings.Contains(string(form.body), `id="open_case"`) || strings.Contains(string(form.body), `<select class="govuk-select" id="allocated_social_worker_id"`) {
				t.Errorf("the practitioner's form shows the open-case box or the social worker")
			}
			r := tb.post("/children/"+c.ID+"/edit", url.Values{"version": {"2"}, "given_name": {"Ola"}, "family_name": {"Allocated"},
				"dob-day": {"1"}, "dob-month": {"1"}, "dob-year": {"2012"}, "gender": {"female"}, "lead_professional": {"Ms Lead"},
				"open_case": {"yes"}, "allocated_social_worker_id": {f.SocialWorker.ID}})
			wantRedirect(t, r, "/children/"+c.ID+"?done=saved")
			r = tb.post("/children/"+c.ID+"/edit", url.Values{"version": {"3"}, "given_name": {"Ola"}, "family_name": {"Allocated"},
				"dob-day": {"1"}, "dob-month": {"1"}, "dob-year": {"2012"}, "gender": {"female"}})
			wantPage(t, r, 422, "Only children&#39;s social care can say whether the case is open")

			sb := browserFor(t, e.srv, f.SocialWorker.Email)
			if page := string(sb.get("/children/" + c.ID).body); !strings.Contains(page, "/s47-enquiries/new") {
				t.Errorf("the social worker's child page has no s47 button")
			}
			if form := string(sb.get("/children/" + c.ID + "/edit").body); !strings.Contains(form, `id="open_case"`) {
				t.Errorf("the social worker's form has no open-case box")
			}
		})
	}
}
