package app_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lantern"
	"lantern/app"
	"lantern/notify/smtptest"
	"lantern/store"
	"lantern/store/storetest"
)

func TestMailConfig(t *testing.T) {
	mail := func(c *app.Config) {
		c.SMTPAddr, c.SMTPFrom, c.BaseURL = "mail.example.org:587", "Lantern <lantern@council.example.org>", "https://lantern.example.org"
	}
	for _, tc := range []struct {
		name     string
		change   func(c *app.Config)
		want     []string // substrings of the error; none: valid
		starttls bool
	}{
		{"no email", func(c *app.Config) {}, nil, false},
		{"email", mail, nil, true},
		{"email with a password over STARTTLS", func(c *app.Config) { mail(c); c.SMTPUsername, c.SMTPPassword = "lantern", "pw" }, nil, true},
		{"loopback: no STARTTLS unless asked", func(c *app.Config) { mail(c); c.SMTPAddr = "127.0.0.1:25" }, nil, false},
		{"loopback, STARTTLS asked for", func(c *app.Config) { mail(c); c.SMTPAddr = "localhost:25"; c.SMTPStartTLS.Set("true") }, nil, true},
		{"STARTTLS turned off with a password", func(c *app.Config) {
			mail(c)
			c.SMTPUsername, c.SMTPPassword = "lantern", "pw"
			c.SMTPStartTLS.Set("false")
		}, []string{"in the clear"}, false},
		{"no base URL", func(c *app.Config) { mail(c); c.BaseURL = "" }, []string{"--base-url"}, true},
		{"no sender", func(c *app.Config) { mail(c); c.SMTPFrom = "" }, []string{"--smtp-from"}, true},
		{"no port", func(c *app.Config) { mail(c); c.SMTPAddr = "mail.example.org" }, []string{"--smtp-addr"}, true},
		{"a sender but no server", func(c *app.Config) { c.SMTPFrom = "lantern@council.example.org" }, []string{"--smtp-addr"}, false},
		{"digest at 7", func(c *app.Config) { c.DigestTime = "7:00" }, []string{"--digest-time"}, false},
		{"digest at 25:00", func(c *app.Config) { c.DigestTime = "25:00" }, []string{"--digest-time"}, false},
		{"digest at 18:30", func(c *app.Config) { mail(c); c.DigestTime = "18:30" }, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := app.Defaults()
			tc.change(&c)
			err := c.Validate()
			if len(tc.want) == 0 && err != nil {
				t.Fatalf("Validate: %v", err)
			}
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v lacks %q", err, w)
				}
			}
			if mc, on := c.Mail(); on && mc.StartTLS != tc.starttls {
				t.Errorf("STARTTLS %v, want %v", mc.StartTLS, tc.starttls)
			}
		})
	}
}

func TestMailFlags(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "smtp-password")
	if err := os.WriteFile(pwFile, []byte("s3cret-smtp-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := app.Defaults()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.ServeFlags(fs)
	if err := fs.Parse([]string{"--smtp-addr", "127.0.0.1:2525", "--smtp-starttls", "--digest-time", "06:45"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"LANTERN_SMTP_PASSWORD_FILE": pwFile, "LANTERN_SMTP_USERNAME": "lantern",
		"LANTERN_SMTP_FROM": "lantern@council.example.org", "LANTERN_BASE_URL": "https://lantern.example.org"}
	if err := app.FromEnv(fs, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	mc, on := c.Mail()
	if !on || mc.Password != "s3cret-smtp-pw" || mc.Username != "lantern" || !mc.StartTLS || mc.Addr != "127.0.0.1:2525" {
		t.Errorf("mail %v %+v", on, mc)
	}
	if h, m, err := c.DigestAt(); h != 6 || m != 45 || err != nil {
		t.Errorf("digest at %d:%d %v", h, m, err)
	}
	// The password shows nowhere it might be printed or logged.
	var log bytes.Buffer
	app.NewLogger(&log, "info").Info("config", "config", c, "password", c.SMTPPassword, "mail", mc)
	for _, s := range []string{fmt.Sprintf("%v %+v %#v %s", c, c, c, c.SMTPPassword), log.String()} {
		if strings.Contains(s, "s3cret") {
			t.Errorf("the password shows: %s", s)
		}
	}
	var usage bytes.Buffer
	fs.SetOutput(&usage)
	fs.PrintDefaults()
	if strings.Contains(usage.String(), "s3cret") || !strings.Contains(usage.String(), "-smtp-password") {
		t.Errorf("usage: %s", usage.String())
	}
}

// The scheduler of lantern serve sends the day's digest at the digest time,
// or at once on start if that has passed, once per person per day, also with
// two servers on one PostgreSQL; and stops when the server closes.
func TestDigestScheduler(t *testing.T) {
	defer app.SetDigestPoll(10 * time.Millisecond)()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			// Made on Sunday 22 November 2026: a social worker with a
			// telephone referral's four tasks, the first due Monday.
			clock := storetest.NewClock(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
			sc := storetest.Config(t, d)
			sc.Now = clock.Now
			st, err := store.Open(context.Background(), sc)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			f := storetest.Seed(t, st)
			dob, _ := lantern.ParseDate("2012-12-12")
			child, err := st.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "Marigold", FamilyName: "Featherstonehaugh", DateOfBirth: dob, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.CreateReferral(storetest.As(f.SocialWorker), child.ID, &lantern.Referral{ReceivedAt: clock.Now(), Method: "phone", Referrer: lantern.Referrer{Name: "R"}}); err != nil {
				t.Fatal(err)
			}
			st.Close()

			srv := smtptest.Start(t, smtptest.Options{})
			var logs []*syncWriter
			var mains []*app.Main
			start := func() *app.Main {
				c := app.Defaults()
				c.Addr, c.DataDir, c.Database = "127.0.0.1:0", sc.DataDir, sc.Postgres
				c.SMTPAddr, c.SMTPFrom, c.BaseURL = srv.Addr, "lantern@council.example.org", "https://lantern.example.org"
				log := &syncWriter{}
				logs = append(logs, log)
				m := &app.Main{Config: c, Log: app.NewLogger(log, "info"), Now: clock.Now}
				if err := m.Open(context.Background()); err != nil {
					m.Close()
					t.Fatal(err)
				}
				t.Cleanup(func() { m.Close() })
				mains = append(mains, m)
				return m
			}
			// waitFor waits until every running scheduler has looked at the
			// clock afresh since it was last set, so that whatever it was
			// going to send is sent, and checks n messages were sent in all.
			// A look under way may have read the clock before it was set:
			// the one after it has not.
			waitFor := func(n int) {
				t.Helper()
				for _, m := range mains {
					from, _, running := m.DigestLooks()
					for running {
						looks, next, _ := m.DigestLooks()
						if looks >= from+2 {
							break
						}
						select {
						case <-next:
						case <-time.After(20 * time.Second):
							t.Fatalf("the digest scheduler has not looked at the clock for 20s")
						}
					}
				}
				if got := len(srv.Messages()); got != n {
					t.Fatalf("%d messages, want %d", got, n)
				}
			}

			// Monday 14:00: the 07:00 run was missed, so it runs on start.
			clock.Set(time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC))
			m := start()
			if d == "postgres" {
				start() // a second replica
			}
			waitFor(1)
			msg := srv.Messages()[0]
			if msg.To[0] != f.SocialWorker.Email || msg.Subject(t) != "Lantern: 1 due today, 2 due this week" {
				t.Errorf("Monday's digest to %q: %q", msg.To, msg.Subject(t))
			}

			// Tuesday, before 07:00: nothing; at 07:00, Tuesday's.
			clock.Set(time.Date(2026, 11, 24, 6, 59, 0, 0, time.UTC))
			waitFor(1)
			clock.Set(time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC))
			waitFor(2)
			if s := srv.Messages()[1].Subject(t); s != "Lantern: 1 late task, 1 due today, 1 due this week" {
				t.Errorf("Tuesday's subject %q", s)
			}
			clock.Set(time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC))
			waitFor(2)

			// Closed, a server sends no more: its scheduler has stopped.
			conns := srv.Connections()
			m.Close()
			if _, _, running := m.DigestLooks(); running {
				t.Errorf("the digest scheduler runs on after Close")
			}
			clock.Set(time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC))
			if d == "sqlite" {
				waitFor(2)
				if n := srv.Connections(); n != conns {
					t.Errorf("%d connections to the mail server after Close", n-conns)
				}
			}
			for _, l := range logs {
				if strings.Contains(l.String(), "example.org") || strings.Contains(l.String(), "Marigold") {
					t.Errorf("the log holds an address or a name:\n%s", l)
				}
			}
			if !strings.Contains(logs[0].String()+logsOf(logs[1:]), `"user_id":"`+f.SocialWorker.ID+`"`) {
				t.Errorf("no send logged by id:\n%s", logs[0])
			}
		})
	}
}

func logsOf(bs []*syncWriter) string {
	var s strings.Builder
	for _, b := range bs {
		s.WriteString(b.String())
	}
	return s.String()
}

// syncWriter lets the log be written by the scheduler and read by the test.
type syncWriter struct {
	mu sync.Mutex
	w  bytes.Buffer
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
