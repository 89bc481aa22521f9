package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"lantern/app"
	"lantern/notify"
)

// digestSend sends today's daily digest now, as the scheduler of lantern
// serve would: once per person per day, whichever sends it first.
func digestSend(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := app.Defaults()
	fs := newFlags("digest send", stderr)
	c.StoreFlags(fs)
	c.MailFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if c.SMTPAddr == "" {
		return errors.New("--smtp-addr: give the mail server, as host:port")
	}
	if err := errors.Join(c.ValidateStore(), c.ValidateMail()); err != nil {
		return err
	}
	mc, _ := c.Mail()
	mailer, err := notify.NewMailer(mc)
	if err != nil {
		return err
	}
	defer mailer.Close()
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := notify.SendDigests(ctx, st, mailer, notify.DigestOptions{BaseURL: c.BaseURL, Log: app.NewLogger(stderr, "warn")})
	if err != nil {
		return err
	}
	if !res.Ran {
		fmt.Fprintf(stdout, "the digest for %s was already sent (or is being sent)\n", res.Day)
		return nil
	}
	fmt.Fprintf(stdout, "digest for %s: %d sent, %d failed, %d already sent\n", res.Day, res.Sent, res.Failed, res.Skipped)
	if res.Failed > 0 {
		return fmt.Errorf("%d digest emails were not sent: the log above names the people by id", res.Failed)
	}
	return nil
}
