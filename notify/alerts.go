package notify

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"lantern"
	"lantern/store"
)

// ComposeAlert is an alert's email: what happened in words and a link to
// sign in and act. It names no child and no case (docs/frontdoor.md#alerts):
// email leaves the secure system.
func ComposeAlert(from, to string, kind lantern.AlertKind, link string, now time.Time) ([]byte, error) {
	body := kind.Label() + ".\n\nSign in to Lantern to see it:\n" + link +
		"\n\nThis email does not say who it is about: the details are in Lantern only.\n"
	return plainMessage(from, to, "Lantern: "+kind.Label(), body, now)
}

// AlertOptions are the settings of an alert run.
type AlertOptions struct {
	BaseURL string
	Runner  string
	Log     *slog.Logger
	// Batch is how many emails a run claims (50 when zero).
	Batch int
}

// AlertResult is what a run did.
type AlertResult struct{ Chased, Sent, Failed int }

// SendAlerts chases late information requests and then sends the alert
// emails that are due, each claimed first so that one replica sends it. A
// failure is recorded and retried later; the run goes on with the others.
func SendAlerts(ctx context.Context, st *store.Store, snd Sender, opt AlertOptions) (AlertResult, error) {
	var res AlertResult
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	runner := opt.Runner
	if runner == "" {
		runner = Runner()
	}
	batch := opt.Batch
	if batch <= 0 {
		batch = 50
	}
	sys := lantern.NewSystemContext(ctx, "alerts")
	n, err := st.ChaseLateRequests(sys)
	if err != nil {
		return res, err
	}
	res.Chased = n
	out, err := st.ClaimAlertEmails(sys, runner, batch)
	if err != nil {
		return res, err
	}
	base := strings.TrimRight(opt.BaseURL, "/")
	for _, o := range out {
		msg, err := ComposeAlert(snd.From(), o.Address, o.Kind, base+o.Link, st.Now())
		if err == nil {
			err = snd.Send(ctx, o.Address, msg)
		}
		if err != nil {
			res.Failed++
			log.Warn("alert email failed", "email_id", o.ID, "attempt", o.Attempts+1, "err", err.Error())
			if ferr := st.AlertEmailFailed(sys, o.ID, runner, o.Attempts, err); ferr != nil {
				return res, ferr
			}
			continue
		}
		res.Sent++
		if err := st.AlertEmailSent(sys, o.ID, runner); err != nil {
			return res, err
		}
	}
	return res, nil
}
