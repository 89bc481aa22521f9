package store_test

import (
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// Only children's social care opens a case, allocates its social worker
// and records its statutory work (s47 enquiries, social work
// assessments): a practitioner's change of those fields is refused naming
// them, and their statutory records are forbidden.
func TestAllocationAndStatutoryWorkAreChildrensSocialCares(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		teacher, sw := storetest.As(f.Teacher), storetest.As(f.SocialWorker)

		_, err := s.CreateChild(teacher, lantern.ChildInput{GivenName: "Pia", FamilyName: "Open", DateOfBirth: date(t, "2012-01-01"), Gender: "female",
			ChildDetails: lantern.ChildDetails{OpenCase: true, AllocatedSocialWorkerID: f.SocialWorker.ID}})
		wantFields(t, "a practitioner opens a case", err, "open_case", "allocated_social_worker_id")

		c := caseChild(t, s, f.Teacher, "Pia", "Open", "2012-01-01")
		in := lantern.ChildInput{GivenName: c.GivenName, FamilyName: c.FamilyName, DateOfBirth: c.DateOfBirth, Gender: c.Gender}
		in.OpenCase = true
		_, err = s.UpdateChild(teacher, c.ID, c.Version, in)
		wantFields(t, "a practitioner opens the case", err, "open_case")
		in.OpenCase, in.AllocatedSocialWorkerID = false, f.SocialWorker.ID
		_, err = s.UpdateChild(teacher, c.ID, c.Version, in)
		wantFields(t, "a practitioner allocates a social worker", err, "allocated_social_worker_id")

		// The social worker may; then the practitioner may change the rest,
		// sending the case's values as they are.
		in.OpenCase = true
		c, err = s.UpdateChild(sw, c.ID, c.Version, in)
		if err != nil {
			t.Fatalf("the social worker opens the case: %v", err)
		}
		in.LeadProfessional = "Ms Lead, Riverside Academy"
		if _, err := s.UpdateChild(teacher, c.ID, c.Version, in); err != nil {
			t.Errorf("the practitioner changes another field: %v", err)
		}

		at := clock.Now().Add(-time.Hour)
		_, err = s.RecordS47(teacher, c.ID, &lantern.S47Enquiry{StartedAt: at})
		wantCode(t, err, lantern.EFORBIDDEN)
		_, err = s.RecordSWAssessment(teacher, c.ID, &lantern.SWAssessment{Kind: "single", StartedAt: at})
		wantCode(t, err, lantern.EFORBIDDEN)
		if _, err := s.RecordS47(sw, c.ID, &lantern.S47Enquiry{StartedAt: at}); err != nil {
			t.Errorf("the social worker records an s47 enquiry: %v", err)
		}
	})
}
