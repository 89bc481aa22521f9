package notify_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lantern"
	"lantern/internal/syncbuf"
	"lantern/notify"
	"lantern/notify/smtptest"
	"lantern/store"
	"lantern/store/storetest"
)

const baseURL = "https://lantern.example.org"

func sys() context.Context { return lantern.NewSystemContext(context.Background(), "test") }

// area is a store with people and the work assigned to them.
type area struct {
	f *storetest.Fixture
	// a has 4 tasks (a telephone referral), b 3 (online), c none, d 3 but
	// is disabled.
	a, b, c, d *lantern.User
	// secrets are what no email may hold: the children's names and ids,
	// the referrals' and tasks' ids, the people's names, the clocks.
	secrets []string
}

func newArea(t *testing.T, s *store.Store) *area {
	t.Helper()
	ar := &area{f: storetest.Seed(t, s)}
	user := func(email, name string) *lantern.User {
		u, err := s.CreateUser(sys(), lantern.UserInput{Email: email, Name: name, AgencyID: ar.f.CSC.ID, Roles: []lantern.Role{lantern.RoleSocialWorker}})
		if err != nil {
			t.Fatal(err)
		}
		ar.secrets = append(ar.secrets, name)
		return u
	}
	ar.a = user("alex.a@csc.example.org", "Alexandrina Worthington")
	ar.b = user("bea.b@csc.example.org", "Beatrix Hollowell")
	ar.c = user("cal.c@csc.example.org", "Calloway Pemberton")
	ar.d = user("dee.d@csc.example.org", "Delphine Ashcombe")
	refer := func(by *lantern.User, allocated, given, family, method string) {
		dob, _ := lantern.ParseDate("2011-04-04")
		in := lantern.ChildInput{GivenName: given, FamilyName: family, DateOfBirth: dob, Gender: "female"}
		in.AllocatedSocialWorkerID = allocated
		c, err := s.CreateChild(storetest.As(by), in)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.CreateReferral(storetest.As(by), c.ID, &lantern.Referral{ReceivedAt: s.Now(), Method: lantern.ReferralMethod(method),
			Referrer: lantern.Referrer{Name: "Rowan Referrer", Agency: "Riverside Academy"}})
		if err != nil {
			t.Fatal(err)
		}
		ar.secrets = append(ar.secrets, given, family, c.ID, r.ID, "Rowan Referrer", "Riverside")
		for _, task := range r.Tasks {
			ar.secrets = append(ar.secrets, task.ID, task.Clock)
		}
	}
	refer(ar.b, ar.a.ID, "Zephyrine", "Quillfeather", "phone")
	refer(ar.b, "", "Ottoline", "Marchbanks", "online")
	refer(ar.d, ar.d.ID, "Philippa", "Tregarthen", "online")
	if _, err := s.UpdateUser(storetest.As(ar.f.Admin), ar.d.ID, ar.d.Version,
		lantern.UserUpdate{Name: ar.d.Name, AgencyID: ar.d.AgencyID, Roles: ar.d.Roles, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	ar.secrets = append(ar.secrets, "referral", "assessment", "decision", "feedback", "follow")
	return ar
}

func mailer(t *testing.T, srv *smtptest.Server) *notify.Mailer {
	t.Helper()
	m, err := notify.NewMailer(notify.SMTPConfig{Addr: srv.Addr, From: "Lantern <lantern@council.example.org>", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// logBuffer collects a run's log, safely across goroutines.
type logBuffer struct{ syncbuf.Buffer }

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(l, nil)) }

// checkDigest checks one received digest: to whom, its counts, its headers,
// its link, and that it holds nothing it should not.
func checkDigest(t *testing.T, ar *area, msg smtptest.Message, to *lantern.User, subject string, late, today, week int) {
	t.Helper()
	if len(msg.To) != 1 || msg.To[0] != to.Email || msg.From != "lantern@council.example.org" {
		t.Errorf("envelope from %q to %q, want to %q", msg.From, msg.To, to.Email)
	}
	h := msg.Header(t)
	if got := msg.Subject(t); got != subject {
		t.Errorf("subject %q, want %q", got, subject)
	}
	if a, err := mail.ParseAddress(h.Get("To")); err != nil || a.Address != to.Email || a.Name != "" {
		t.Errorf("To: %q", h.Get("To"))
	}
	if a, err := mail.ParseAddress(h.Get("From")); err != nil || a.Address != "lantern@council.example.org" || a.Name != "Lantern" {
		t.Errorf("From: %q", h.Get("From"))
	}
	if d, err := h.Date(); err != nil || d.IsZero() {
		t.Errorf("Date: %q %v", h.Get("Date"), err)
	}
	if !regexp.MustCompile(`^<[0-9a-f]{32}@council\.example\.org>$`).MatchString(h.Get("Message-ID")) {
		t.Errorf("Message-ID: %q", h.Get("Message-ID"))
	}
	for k, v := range map[string]string{"MIME-Version": "1.0", "Content-Type": "text/plain; charset=utf-8", "Auto-Submitted": "auto-generated"} {
		if h.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, h.Get(k), v)
		}
	}
	body := msg.Body(t)
	for _, want := range []string{
		"Late:                   " + itoa(late) + "\r\n",
		"Due today:              " + itoa(today) + "\r\n",
		"Due in the next 7 days: " + itoa(week) + "\r\n",
		"  " + baseURL + "/work\r\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	whole := strings.ToLower(string(msg.Data) + body)
	for _, s := range ar.secrets {
		if strings.Contains(whole, strings.ToLower(s)) {
			t.Errorf("the email holds %q:\n%s", s, msg.Data)
		}
	}
	for _, line := range strings.SplitAfter(string(msg.Data), "\n") {
		if len(line) > 78+2 || (strings.HasSuffix(line, "\n") && !strings.HasSuffix(line, "\r\n")) {
			t.Errorf("bad line %q", line)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSendDigests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ar := newArea(t, s)
		srv := smtptest.Start(t, smtptest.Options{})
		// Tuesday 24 November, 09:00: for a, the decision (due Monday) is
		// late, the written follow-up due at 10:00, the feedback tomorrow.
		clock.Set(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
		var log logBuffer
		res, err := notify.SendDigests(context.Background(), s, mailer(t, srv), notify.DigestOptions{BaseURL: baseURL + "/", Log: log.logger()})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Ran || !res.Done || res.Sent != 2 || res.Failed != 0 || res.Skipped != 0 || res.Day.String() != "2026-11-24" {
			t.Fatalf("result %+v", res)
		}
		if n := len(srv.Messages()); n != 2 {
			t.Fatalf("%d messages, want 2", n)
		}
		a, b := srv.To(ar.a.Email), srv.To(ar.b.Email)
		if len(a) != 1 || len(b) != 1 {
			t.Fatalf("a got %d, b got %d", len(a), len(b))
		}
		checkDigest(t, ar, a[0], ar.a, "Lantern: 1 late task, 1 due today, 1 due this week", 1, 1, 1)
		checkDigest(t, ar, b[0], ar.b, "Lantern: 1 late task, 1 due this week", 1, 0, 1)
		if len(srv.To(ar.c.Email)) != 0 || len(srv.To(ar.d.Email)) != 0 {
			t.Errorf("someone with no work, or disabled, was sent a digest")
		}

		// Each send is audited, by id, with counts only.
		es, _, err := s.SearchAudit(storetest.As(ar.f.Auditor), store.AuditFilter{Action: "digest.sent"})
		if err != nil {
			t.Fatal(err)
		}
		details := map[string]string{}
		for _, e := range es {
			details[e.EntityID] = e.Detail
		}
		if len(es) != 2 || details[ar.a.ID] != "late=1 today=1 week=1" || details[ar.b.ID] != "late=1 today=0 week=1" {
			t.Errorf("audit %v", details)
		}

		// The log names people by id only.
		checkLog(t, log.String(), ar, ar.a.ID, ar.b.ID)

		// Again the same day, here or on another replica: nothing.
		clock.Add(3 * time.Hour)
		res, err = notify.SendDigests(context.Background(), s, mailer(t, srv), notify.DigestOptions{BaseURL: baseURL})
		if err != nil || res.Ran || !res.Done || res.Sent != 0 {
			t.Fatalf("second run: %+v %v", res, err)
		}
		if n := len(srv.Messages()); n != 2 {
			t.Fatalf("%d messages after the second run, want 2", n)
		}

		// The next day, again; by Wednesday evening b's feedback is late.
		clock.Set(time.Date(2026, 11, 25, 19, 0, 0, 0, time.UTC))
		res, err = notify.SendDigests(context.Background(), s, mailer(t, srv), notify.DigestOptions{BaseURL: baseURL})
		if err != nil || !res.Ran || res.Sent != 2 {
			t.Fatalf("Wednesday: %+v %v", res, err)
		}
		if b := srv.To(ar.b.Email); len(b) != 2 {
			t.Fatalf("b has %d emails", len(b))
		} else {
			checkDigest(t, ar, b[1], ar.b, "Lantern: 2 late tasks", 2, 0, 0)
		}
	})
}

// checkLog fails if the log holds anything but ids of people: no address,
// no name, nothing about the children.
func checkLog(t *testing.T, log string, ar *area, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if !strings.Contains(log, `"user_id":"`+id+`"`) {
			t.Errorf("the log does not name %s by id:\n%s", id, log)
		}
	}
	for _, bad := range append([]string{ar.a.Email, ar.b.Email, ar.c.Email, "example.org"}, ar.secrets...) {
		if strings.Contains(strings.ToLower(log), strings.ToLower(bad)) {
			t.Errorf("the log holds %q:\n%s", bad, log)
		}
	}
}

// A failure for one person does not stop the others; it is retried by the
// run's next attempt, and the others are not sent a second email.
func TestSendDigestsFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ar := newArea(t, s)
		srv := smtptest.Start(t, smtptest.Options{})
		srv.SetReject(ar.a.Email)
		var log logBuffer
		opt := notify.DigestOptions{BaseURL: baseURL, Log: log.logger()}
		res, err := notify.SendDigests(context.Background(), s, mailer(t, srv), opt)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Ran || res.Done || res.Sent != 1 || res.Failed != 1 || len(srv.To(ar.b.Email)) != 1 || len(srv.To(ar.a.Email)) != 0 {
			t.Fatalf("result %+v, a got %d, b got %d", res, len(srv.To(ar.a.Email)), len(srv.To(ar.b.Email)))
		}
		// The server's refusal quotes the address; the log does not.
		if !strings.Contains(log.String(), "the mail server replied 550") {
			t.Errorf("the log does not say why:\n%s", log.String())
		}
		checkLog(t, log.String(), ar, ar.a.ID, ar.b.ID)

		// Too soon to retry; then the retry sends only what failed.
		clock.Add(time.Minute)
		if res, _ := notify.SendDigests(context.Background(), s, mailer(t, srv), opt); res.Ran {
			t.Fatalf("retried at once: %+v", res)
		}
		srv.SetReject()
		clock.Add(store.DigestRetryAfter)
		res, err = notify.SendDigests(context.Background(), s, mailer(t, srv), opt)
		if err != nil || !res.Ran || !res.Done || res.Sent != 1 || res.Skipped != 1 {
			t.Fatalf("retry: %+v %v", res, err)
		}
		if len(srv.To(ar.a.Email)) != 1 || len(srv.To(ar.b.Email)) != 1 {
			t.Fatalf("after the retry a has %d, b %d", len(srv.To(ar.a.Email)), len(srv.To(ar.b.Email)))
		}
		if st, _ := s.DigestStatus(sys(), res.Day, ar.a.ID); st != "sent" {
			t.Errorf("a's status %q", st)
		}
	})
}

// A mail server that does not answer stops the run after a few tries,
// rather than waiting out a timeout for each person.
func TestSendDigestsServerDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ar := newArea(t, s)
		for i := range 4 { // six people with work in all
			u, err := s.CreateUser(sys(), lantern.UserInput{Email: "more" + itoa(i) + "@csc.example.org", Name: "More Worker", AgencyID: ar.f.CSC.ID, Roles: []lantern.Role{lantern.RoleSocialWorker}})
			if err != nil {
				t.Fatal(err)
			}
			dob, _ := lantern.ParseDate("2012-02-02")
			c, err := s.CreateChild(storetest.As(u), lantern.ChildInput{GivenName: "Child", FamilyName: "Down", DateOfBirth: dob, Gender: "male"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateReferral(storetest.As(u), c.ID, &lantern.Referral{ReceivedAt: s.Now(), Method: "online", Referrer: lantern.Referrer{Name: "R"}}); err != nil {
				t.Fatal(err)
			}
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nobody listens there now
		m, err := notify.NewMailer(notify.SMTPConfig{Addr: addr, From: "lantern@council.example.org", Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		res, err := notify.SendDigests(context.Background(), s, m, notify.DigestOptions{BaseURL: baseURL})
		if err != nil || !res.Ran || res.Done || res.Sent != 0 || res.Failed != 3 {
			t.Fatalf("result %+v %v", res, err)
		}
	})
}

// Several replicas (two stores on one database, four runs at once) send
// each person one email.
func TestSendDigestsConcurrent(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			clock := storetest.NewClock(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
			created := storetest.NewClock(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
			cfg := storetest.Config(t, d)
			var stores []*store.Store
			for i := range 2 {
				c := cfg
				c.Now = clock.Now
				if i == 0 {
					c.Now = created.Now // the area is made on Sunday
				}
				s, err := store.Open(context.Background(), c)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				if err := s.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
				stores = append(stores, s)
			}
			ar := newArea(t, stores[0])
			created.Set(clock.Now())
			srv := smtptest.Start(t, smtptest.Options{})
			var wg sync.WaitGroup
			results := make([]notify.DigestResult, 4)
			for i := range results {
				wg.Go(func() {
					res, err := notify.SendDigests(context.Background(), stores[i%2], mailer(t, srv), notify.DigestOptions{BaseURL: baseURL, Runner: "replica-" + itoa(i)})
					if err != nil {
						t.Error(err)
					}
					results[i] = res
				})
			}
			wg.Wait()
			ran, sent := 0, 0
			for _, r := range results {
				if r.Ran {
					ran++
				}
				sent += r.Sent
			}
			if ran != 1 || sent != 2 {
				t.Errorf("%d runs sent %d: %+v", ran, sent, results)
			}
			if len(srv.Messages()) != 2 || len(srv.To(ar.a.Email)) != 1 || len(srv.To(ar.b.Email)) != 1 {
				t.Errorf("%d messages", len(srv.Messages()))
			}
		})
	}
}

func TestCompose(t *testing.T) {
	now := time.Date(2026, 11, 24, 7, 0, 0, 0, lantern.London)
	c := store.DigestCount{UserID: "u1", Email: "sam@csc.example.org", Late: 3, DueToday: 0, DueThisWeek: 5}
	b, err := notify.Compose("lantern@council.example.org", c.Email, c, notify.WorkLink("https://lantern.example.org"), now)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("Subject"); got != "Lantern: 3 late tasks, 5 due this week" {
		t.Errorf("subject %q", got)
	}
	if got := msg.Header.Get("Date"); got != "Tue, 24 Nov 2026 07:00:00 +0000" {
		t.Errorf("date %q", got)
	}
	body, _ := io.ReadAll(msg.Body)
	if !strings.Contains(string(body), "https://lantern.example.org/work") {
		t.Errorf("no link:\n%s", body)
	}
	for _, tc := range []struct {
		c    store.DigestCount
		want string
	}{
		{store.DigestCount{Late: 1}, "Lantern: 1 late task"},
		{store.DigestCount{DueToday: 2}, "Lantern: 2 due today"},
		{store.DigestCount{Late: 2, DueToday: 1, DueThisWeek: 1}, "Lantern: 2 late tasks, 1 due today, 1 due this week"},
	} {
		if got := notify.Subject(tc.c); got != tc.want {
			t.Errorf("Subject(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
	// No header can be smuggled in through an address.
	for _, to := range []string{"a@example.org\r\nBcc: x@example.org", "not an address", ""} {
		if _, err := notify.Compose("lantern@council.example.org", to, c, "https://x.example.org/work", now); err == nil {
			t.Errorf("Compose accepted the recipient %q", to)
		}
	}
	for _, u := range []string{"", "lantern.example.org", "ftp://lantern.example.org", "https://", "https://lantern.example.org/?a=b", "https://ünï.example.org"} {
		if notify.CheckBaseURL(u) == nil {
			t.Errorf("CheckBaseURL accepted %q", u)
		}
	}
}

// The mail server is reached over STARTTLS, checked against its
// certificate, and signed in to with AUTH PLAIN; one connection serves
// several messages.
func TestMailerTLSAndAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{TLS: true, RequireTLS: true, Username: "lantern", Password: "pa55-w0rd-xyz"})
	cfg := notify.SMTPConfig{Addr: srv.Addr, From: "lantern@council.example.org", Username: "lantern", Password: "pa55-w0rd-xyz",
		StartTLS: true, TLS: &tls.Config{RootCAs: srv.Roots}, Timeout: 10 * time.Second}
	m, err := notify.NewMailer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"one@example.org", "two@example.org"} {
		if err := m.Send(context.Background(), to, []byte("Subject: hi\r\n\r\nhello\r\n")); err != nil {
			t.Fatalf("send to %s: %v", to, err)
		}
	}
	m.Close()
	msgs := srv.Messages()
	if len(msgs) != 2 || !msgs[0].TLS || msgs[0].AuthUser != "lantern" || !msgs[1].TLS {
		t.Fatalf("messages %+v", msgs)
	}
	if n := srv.Connections(); n != 1 {
		t.Errorf("%d connections for two messages, want 1", n)
	}

	// A wrong password is refused, and the error does not hold it.
	bad := cfg
	bad.Password = "wrong-secret-123"
	m, _ = notify.NewMailer(bad)
	err = m.Send(context.Background(), "one@example.org", []byte("Subject: hi\r\n\r\nhello\r\n"))
	var re *notify.ReplyError
	if !errors.As(err, &re) || re.Code != 535 || strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("wrong password: %v", err)
	}
	if s := cfg.String() + slogText(cfg); strings.Contains(s, "pa55") {
		t.Errorf("the configuration shows its password: %s", s)
	}

	// A certificate not trusted: refused.
	untrusted := cfg
	untrusted.TLS = nil
	m, _ = notify.NewMailer(untrusted)
	if err := m.Send(context.Background(), "one@example.org", []byte("x\r\n")); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("untrusted certificate: %v", err)
	}

	// STARTTLS asked for, and not offered: nothing is sent.
	plain := smtptest.Start(t, smtptest.Options{})
	noTLS := notify.SMTPConfig{Addr: plain.Addr, From: "lantern@council.example.org", StartTLS: true}
	m, _ = notify.NewMailer(noTLS)
	if err := m.Send(context.Background(), "one@example.org", []byte("x\r\n")); err == nil || len(plain.Messages()) != 0 {
		t.Errorf("sent without STARTTLS: %v", err)
	}
}

func slogText(v any) string {
	var b bytes.Buffer
	slog.New(slog.NewTextHandler(&b, nil)).Info("x", "cfg", v)
	return b.String()
}

func TestSMTPConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  notify.SMTPConfig
		want string // "" for valid
	}{
		{"loopback, no TLS", notify.SMTPConfig{Addr: "127.0.0.1:25", From: "l@example.org"}, ""},
		{"password over loopback", notify.SMTPConfig{Addr: "localhost:25", From: "l@example.org", Username: "u", Password: "p"}, ""},
		{"password over TLS", notify.SMTPConfig{Addr: "mail.example.org:587", From: "Lantern <l@example.org>", Username: "u", Password: "p", StartTLS: true}, ""},
		{"password in the clear", notify.SMTPConfig{Addr: "mail.example.org:587", From: "l@example.org", Username: "u", Password: "p"}, "in the clear"},
		{"no port", notify.SMTPConfig{Addr: "mail.example.org", From: "l@example.org"}, "--smtp-addr"},
		{"no sender", notify.SMTPConfig{Addr: "mail.example.org:25"}, "--smtp-from"},
		{"a header in the sender", notify.SMTPConfig{Addr: "mail.example.org:25", From: "l@example.org\r\nBcc: x@example.org"}, "--smtp-from"},
		{"user without password", notify.SMTPConfig{Addr: "127.0.0.1:25", From: "l@example.org", Username: "u"}, "go together"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == "" && err != nil {
				t.Errorf("Validate: %v", err)
			} else if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate: %v, want %q", err, tc.want)
			}
		})
	}
}
