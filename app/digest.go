package app

import (
	"context"
	"sync"
	"time"

	"lantern"
	"lantern/notify"
)

// The daily digest: when email is configured, each replica runs a scheduler
// that, at the digest time in London each day (or at once, on start, if
// that time has passed and the day's run has not been done), tries to send
// the day's digest. The database decides which replica does it (see
// store/digest.go), so several replicas send each person one email a day.
// The scheduler looks again every digestPoll, so a run left unfinished by a
// replica that died, or one with failures, is taken over or retried.

// digestPoll is how often the scheduler looks again; tests shorten it.
var digestPoll = 5 * time.Minute

type digester struct {
	m            *Main
	mail         notify.SMTPConfig
	hour, minute int
	cancel       context.CancelFunc
	done         chan struct{}
	doneDay      lantern.Date // the last day whose run needs nothing more

	// looks counts the times the scheduler has looked at the clock (and
	// run the digest if it was due), and looked is closed at the next one:
	// tests wait on them to know a change of the clock has been seen.
	mu     sync.Mutex
	looks  int
	looked chan struct{}
}

// startDigests starts the daily digest's scheduler if email is configured.
// Open calls it; Close stops it.
func (m *Main) startDigests() error {
	mc, on := m.Config.Mail()
	if !on {
		return nil
	}
	hour, minute, err := m.Config.DigestAt()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &digester{m: m, mail: mc, hour: hour, minute: minute, cancel: cancel, done: make(chan struct{}), looked: make(chan struct{})}
	m.digests = d
	go d.loop(ctx)
	m.Log.Info("daily digest scheduled", "at", m.Config.DigestTime, "zone", "Europe/London", "smtp_starttls", mc.StartTLS)
	return nil
}

// stopDigests stops the scheduler, letting a send in flight finish.
func (m *Main) stopDigests() {
	if m.digests != nil {
		m.digests.cancel()
		<-m.digests.done
		m.digests = nil
	}
}

func (d *digester) now() time.Time {
	if d.m.Now != nil {
		return d.m.Now()
	}
	return time.Now()
}

// at is the moment of the digest on the day of now, in London.
func (d *digester) at(now time.Time) time.Time {
	day := lantern.Today(now)
	return time.Date(day.Year, day.Month, day.Day, d.hour, d.minute, 0, 0, lantern.London)
}

func (d *digester) loop(ctx context.Context) {
	defer close(d.done)
	for {
		now := d.now()
		today := lantern.Today(now)
		if !now.Before(d.at(now)) && d.doneDay != today {
			d.run(ctx)
		}
		d.mu.Lock()
		d.looks++
		close(d.looked)
		d.looked = make(chan struct{})
		d.mu.Unlock()
		next := d.at(now)
		if !now.Before(next) {
			tomorrow := lantern.DateOf(today.Time().AddDate(0, 0, 1))
			next = time.Date(tomorrow.Year, tomorrow.Month, tomorrow.Day, d.hour, d.minute, 0, 0, lantern.London)
		}
		wait := min(max(next.Sub(now), time.Millisecond), digestPoll)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// run tries the day's digest once.
func (d *digester) run(ctx context.Context) {
	mailer, err := notify.NewMailer(d.mail)
	if err != nil {
		d.m.Log.Error("daily digest: mail settings", "err", err.Error())
		return
	}
	defer mailer.Close()
	res, err := notify.SendDigests(ctx, d.m.Store, mailer, notify.DigestOptions{BaseURL: d.m.Config.BaseURL, Log: d.m.Log})
	if err != nil {
		if ctx.Err() == nil {
			d.m.Log.Error("daily digest failed", "day", res.Day.String(), "err", err.Error())
		}
		return
	}
	if res.Done {
		d.doneDay = res.Day
	}
}
