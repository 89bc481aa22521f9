package notify_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"lantern"
	"lantern/notify"
	"lantern/notify/smtptest"
	"lantern/store"
	"lantern/store/storetest"
)

// TestAlertsSentOnceRetriedAndNameNoOne: a concern with immediate risk is
// emailed to the front door's mailboxes once, though two replicas run at
// the same moment; a mailbox the server refuses is tried again later and
// then sent; no email names the child.
func TestAlertsSentOnceRetriedAndNameNoOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		for _, addr := range []string{"mash@csc.example.org", "duty@csc.example.org"} {
			if _, err := s.CreateContact(sys(), lantern.ContactInput{AgencyID: f.CSC.ID, Name: "Front door " + addr, Email: addr,
				Roles: []lantern.PathwayRole{lantern.PathwayFrontDoor}, Active: true}); err != nil {
				t.Fatal(err)
			}
		}
		dob, _ := lantern.ParseDate("2012-02-02")
		c, err := s.CreateChild(storetest.As(f.Teacher), lantern.ChildInput{GivenName: "Zephyrine", FamilyName: "Quillfeather", DateOfBirth: dob, Gender: "female"})
		if err != nil {
			t.Fatal(err)
		}
		k, err := s.CreateConcern(storetest.As(f.Teacher), c.ID, lantern.ConcernInput{RaisedAt: clock.Now(), Summary: "Got into a car with two men at the school gate",
			ImmediateRisk: true, ImmediateAction: "Police called"})
		if err != nil {
			t.Fatal(err)
		}
		srv := smtptest.Start(t, smtptest.Options{})
		srv.SetReject("duty@csc.example.org")
		opt := notify.AlertOptions{BaseURL: "https://lantern.example.org"}

		// Two replicas at once.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var total notify.AlertResult
		for _, runner := range []string{"replica-1", "replica-2"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o := opt
				o.Runner = runner
				res, err := notify.SendAlerts(context.Background(), s, mailer(t, srv), o)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total.Sent += res.Sent
				total.Failed += res.Failed
				mu.Unlock()
			}()
		}
		wg.Wait()
		if got := len(srv.To("mash@csc.example.org")); got != 1 || total.Sent != 1 || total.Failed != 1 {
			t.Fatalf("after two replicas: %d emails to the mailbox, result %+v; want one sent and one failed", got, total)
		}
		msg := srv.To("mash@csc.example.org")[0]
		body := msg.Subject(t) + msg.Body(t)
		for _, secret := range []string{"Zephyrine", "Quillfeather", c.ID, k.ID, k.ReferralID, "car", "Riverside"} {
			if strings.Contains(body, secret) {
				t.Errorf("the alert email holds %q:\n%s", secret, body)
			}
		}
		if !strings.Contains(body, "immediate risk") || !strings.Contains(body, "https://lantern.example.org/front-door") {
			t.Errorf("the alert email says:\n%s", body)
		}

		// Not yet due again; then the mail server takes it.
		res, err := notify.SendAlerts(context.Background(), s, mailer(t, srv), opt)
		if err != nil || res.Sent+res.Failed != 0 {
			t.Errorf("at once again: %+v, %v; want nothing tried", res, err)
		}
		srv.SetReject()
		clock.Add(2 * time.Minute)
		res, err = notify.SendAlerts(context.Background(), s, mailer(t, srv), opt)
		if err != nil || res.Sent != 1 || len(srv.To("duty@csc.example.org")) != 1 {
			t.Errorf("retried: %+v, %v, %d emails", res, err, len(srv.To("duty@csc.example.org")))
		}
		counts, err := s.AlertEmails(context.Background())
		if err != nil || counts.Waiting != 0 || counts.Sent != 2 {
			t.Errorf("outbox = %+v, %v", counts, err)
		}
		res, _ = notify.SendAlerts(context.Background(), s, mailer(t, srv), opt)
		if res.Sent != 0 || len(srv.Messages()) != 2 {
			t.Errorf("a run after all were sent sent %d (%d in all)", res.Sent, len(srv.Messages()))
		}
	})
}

// Breaking the glass on a sealed record emails the manager who sealed it
// and the information governance lead, through a real SMTP server, with a
// link to the review list and nothing of the child or the reason.
func TestBreakGlassAlertEmailed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		mk := func(email string, role lantern.Role) *lantern.User {
			u, err := s.CreateUser(sys(), lantern.UserInput{Email: email, Name: "Person " + email, AgencyID: f.CSC.ID, Roles: []lantern.Role{role}})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		mgr := mk("manager@csc.example.org", lantern.RoleManager)
		mk("ig@csc.example.org", lantern.RoleInfoGovernance)
		coord := mk("coordinator@csc.example.org", lantern.RoleCSECoordinator)
		dob, _ := lantern.ParseDate("2011-03-03")
		c, err := s.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "Ottoline", FamilyName: "Vantablack", DateOfBirth: dob, Gender: "female"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SealChild(storetest.As(mgr), c.ID, lantern.SealRequest{Reason: "A member of staff's child", ReviewOn: lantern.Today(clock.Now()).AddDays(30)}); err != nil {
			t.Fatal(err)
		}
		reason := "Found with a man named in Operation Larkspur tonight"
		if _, err := s.BreakGlass(storetest.As(coord), c.ID, lantern.BreakGlassRequest{Reason: reason}); err != nil {
			t.Fatal(err)
		}
		srv := smtptest.Start(t, smtptest.Options{})
		res, err := notify.SendAlerts(context.Background(), s, mailer(t, srv), notify.AlertOptions{BaseURL: "https://lantern.example.org"})
		if err != nil || res.Sent != 2 {
			t.Fatalf("sent %+v, %v; want 2", res, err)
		}
		for _, to := range []string{"manager@csc.example.org", "ig@csc.example.org"} {
			msgs := srv.To(to)
			if len(msgs) != 1 {
				t.Fatalf("%s: %d emails", to, len(msgs))
			}
			body := msgs[0].Subject(t) + msgs[0].Body(t)
			if !strings.Contains(body, "broken the glass") || !strings.Contains(body, "https://lantern.example.org/break-glass") {
				t.Errorf("%s's email says:\n%s", to, body)
			}
			for _, secret := range []string{"Ottoline", "Vantablack", c.ID, "Larkspur"} {
				if strings.Contains(body, secret) {
					t.Errorf("%s's email holds %q", to, secret)
				}
			}
		}
		if n := len(srv.To("coordinator@csc.example.org")); n != 0 {
			t.Errorf("the one who broke the glass was emailed %d times", n)
		}
	})
}
