package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lantern"
	"lantern/notify/smtptest"
	"lantern/store"
	"lantern/store/storetest"
)

// lantern digest send sends today's digest now, once: the operator's way to
// send it (and the scheduler's, in tests).
func TestDigestSend(t *testing.T) {
	isolate(t)
	for _, k := range []string{"LANTERN_SMTP_ADDR", "LANTERN_SMTP_FROM", "LANTERN_SMTP_USERNAME", "LANTERN_SMTP_PASSWORD",
		"LANTERN_SMTP_PASSWORD_FILE", "LANTERN_SMTP_STARTTLS", "LANTERN_BASE_URL", "LANTERN_DIGEST_TIME"} {
		t.Setenv(k, "")
	}
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			cfg := storetest.Config(t, d)
			st, err := store.Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			f := storetest.Seed(t, st)
			dob, _ := lantern.ParseDate("2012-12-12")
			child, err := st.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "Hyacinth", FamilyName: "Wolstenholme", DateOfBirth: dob, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			// An online referral now: the decision is due by the next
			// working day, the feedback in 72 hours; both this week.
			if _, err := st.CreateReferral(storetest.As(f.SocialWorker), child.ID, &lantern.Referral{ReceivedAt: st.Now(), Method: "online", Referrer: lantern.Referrer{Name: "R"}}); err != nil {
				t.Fatal(err)
			}
			st.Close()

			srv := smtptest.Start(t, smtptest.Options{Username: "lantern", Password: "smtp-s3cret-pw"})
			pwFile := filepath.Join(t.TempDir(), "pw")
			if err := os.WriteFile(pwFile, []byte("smtp-s3cret-pw\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("LANTERN_SMTP_PASSWORD_FILE", pwFile)
			args := append([]string{"digest", "send"}, storeFlags(cfg)...)
			args = append(args, "--smtp-addr", srv.Addr, "--smtp-from", "Lantern <lantern@council.example.org>",
				"--smtp-username", "lantern", "--base-url", "https://lantern.example.org")

			r := lanternCmd(t, "", args...)
			if r.code != 0 || !regexp.MustCompile(`^digest for \d{4}-\d\d-\d\d: 1 sent, 0 failed, 0 already sent\n$`).MatchString(r.stdout) {
				t.Fatalf("exit %d %q %s", r.code, r.stdout, r.msg())
			}
			msgs := srv.Messages()
			if len(msgs) != 1 || msgs[0].To[0] != f.SocialWorker.Email || msgs[0].AuthUser != "lantern" {
				t.Fatalf("messages %+v", msgs)
			}
			if s := msgs[0].Subject(t); s != "Lantern: 2 due this week" {
				t.Errorf("subject %q", s)
			}
			body := msgs[0].Body(t)
			if !strings.Contains(body, "https://lantern.example.org/work") || strings.Contains(body, "Hyacinth") || strings.Contains(body, child.ID) {
				t.Errorf("body:\n%s", body)
			}
			if strings.Contains(r.stdout+r.stderr, "s3cret") {
				t.Errorf("the password was printed")
			}

			// Again: already sent.
			r = lanternCmd(t, "", args...)
			if r.code != 0 || !strings.Contains(r.stdout, "already sent") || len(srv.Messages()) != 1 {
				t.Fatalf("again: exit %d %q %s; %d messages", r.code, r.stdout, r.msg(), len(srv.Messages()))
			}
		})
	}

	dir := storetest.DataDir(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no mail server", []string{"--data", dir}, "--smtp-addr"},
		{"no base URL", []string{"--data", dir, "--smtp-addr", "127.0.0.1:25", "--smtp-from", "l@council.example.org"}, "--base-url"},
		{"no sender", []string{"--data", dir, "--smtp-addr", "127.0.0.1:25", "--base-url", "https://l.example.org"}, "--smtp-from"},
		{"a password in the clear", []string{"--data", dir, "--smtp-addr", "mail.example.org:25", "--smtp-from", "l@council.example.org",
			"--base-url", "https://l.example.org", "--smtp-username", "u", "--smtp-password", "p", "--smtp-starttls=false"}, "in the clear"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lanternCmd(t, "", append([]string{"digest", "send"}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.msg(), tc.want) {
				t.Errorf("exit %d: %s; want %q", r.code, r.msg(), tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile)); err == nil {
				t.Errorf("a refused command made a database")
			}
		})
	}
}
