package app

import (
	"context"
	"time"

	"lantern/notify"
)

// The alert sender: when email is configured, each replica looks at the
// outbox every alertPoll, chases late information requests and sends the
// alert emails that are due. Emails are written in the transaction of what
// raised them and claimed before sending (store.ClaimAlertEmails), so none
// is lost, one replica sends each, and a failure is retried with backoff.

// alertPoll is how often the sender looks; tests shorten it.
var alertPoll = 5 * time.Second

type alerter struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func (m *Main) startAlerts() {
	mc, on := m.Config.Mail()
	if !on {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &alerter{cancel: cancel, done: make(chan struct{})}
	m.alerts = a
	runner := notify.Runner()
	go func() {
		defer close(a.done)
		for {
			m.sendAlerts(ctx, mc, runner)
			t := time.NewTimer(alertPoll)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}()
}

func (m *Main) sendAlerts(ctx context.Context, mc notify.SMTPConfig, runner string) {
	mailer, err := notify.NewMailer(mc)
	if err != nil {
		m.Log.Error("alerts: mail settings", "err", err.Error())
		return
	}
	defer mailer.Close()
	res, err := notify.SendAlerts(ctx, m.Store, mailer, notify.AlertOptions{BaseURL: m.Config.BaseURL, Runner: runner, Log: m.Log})
	if err != nil && ctx.Err() == nil {
		m.Log.Error("alerts: run failed", "err", err.Error())
	}
	if res.Sent+res.Failed+res.Chased > 0 {
		m.Log.Info("alerts", "sent", res.Sent, "failed", res.Failed, "chased", res.Chased)
	}
}

func (m *Main) stopAlerts() {
	if m.alerts != nil {
		m.alerts.cancel()
		<-m.alerts.done
		m.alerts = nil
	}
}
