// Package notify sends Lantern's email: the daily digest of each person's
// late and soon-due tasks, through the deployment's SMTP server.
//
// What leaves in an email is as little as will do: counts and a link. No
// child's name or id, no case detail, no clock's name; the person follows
// the link and signs in to see the rest.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"lantern"
	"lantern/store"
)

// WorkPath is the "my work" page the digest links to.
const WorkPath = "/work"

// Subject is the digest's subject line, e.g. "Lantern: 3 late tasks, 5 due
// this week": counts only.
func Subject(c store.DigestCount) string {
	var parts []string
	if c.Late > 0 {
		parts = append(parts, plural(c.Late, "late task", "late tasks"))
	}
	if c.DueToday > 0 {
		parts = append(parts, fmt.Sprintf("%d due today", c.DueToday))
	}
	if c.DueThisWeek > 0 {
		parts = append(parts, fmt.Sprintf("%d due this week", c.DueThisWeek))
	}
	if len(parts) == 0 {
		return "Lantern: nothing due"
	}
	return "Lantern: " + strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Body is the digest's plain text: the counts, the link, and why the email
// says no more.
func Body(c store.DigestCount, link string) string {
	var b strings.Builder
	b.WriteString("Hello,\r\n\r\nThis is your daily reminder from Lantern of the work assigned to you.\r\n\r\n")
	fmt.Fprintf(&b, "  Late:                   %d\r\n", c.Late)
	fmt.Fprintf(&b, "  Due today:              %d\r\n", c.DueToday)
	fmt.Fprintf(&b, "  Due in the next %d days: %d\r\n", store.DigestWindow, c.DueThisWeek)
	b.WriteString("\r\nTo see your work, sign in to Lantern:\r\n\r\n  " + link + "\r\n\r\n")
	b.WriteString("This email holds no names or case details, on purpose: they stay in Lantern.\r\n")
	b.WriteString("You are sent it on each day you have tasks late or due within " + fmt.Sprint(store.DigestWindow) + " days.\r\n")
	return b.String()
}

// WorkLink is the link to the "my work" page under baseURL.
func WorkLink(baseURL string) string { return strings.TrimRight(baseURL, "/") + WorkPath }

// CheckBaseURL checks the address people reach Lantern at, for the link.
func CheckBaseURL(baseURL string) error {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return errors.New("--base-url: give the address people reach Lantern at, such as https://lantern.council.example.org")
	}
	for _, r := range baseURL {
		if r < 0x21 || r > 0x7e {
			return errors.New("--base-url: use only printable ASCII (punycode for an international domain)")
		}
	}
	return nil
}

// Compose makes the whole digest message for one person, headers and body,
// dated now.
func Compose(from, to string, c store.DigestCount, link string, now time.Time) ([]byte, error) {
	return plainMessage(from, to, Subject(c), Body(c, link), now)
}

// Sender sends one message to one recipient; *Mailer is one.
type Sender interface {
	Send(ctx context.Context, to string, msg []byte) error
	From() string
}

// DigestOptions are the settings of a digest run.
type DigestOptions struct {
	// BaseURL is where people reach Lantern; the email links to its
	// "my work" page.
	BaseURL string
	// Runner names the replica, for operators (host and process id when
	// empty).
	Runner string
	// Log is told of each send and failure, by user id only.
	Log *slog.Logger
}

// DigestResult is what a run did.
type DigestResult struct {
	Day lantern.Date
	// Ran is false when another replica has (or had) the day's run.
	Ran bool
	// Done is true when the day's run needs nothing more: no failures left
	// to retry.
	Done bool
	// Sent and Failed count emails; Skipped counts people whose email was
	// already sent or being sent by another run.
	Sent, Failed, Skipped int
}

// Runner is a name for this process: its host and process id.
func Runner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d", host, os.Getpid())
}

// maxDown is how many failures in a row to reach the mail server stop a run.
const maxDown = 3

// SendDigests sends today's digest (today in London, by the store's clock)
// to each active person with tasks late or due within store.DigestWindow
// days, once per person per day across every replica. A failure to send to
// one person is logged, by id, and does not stop the others; the error
// returned is for the run as a whole (the database, or ctx ending).
func SendDigests(ctx context.Context, st *store.Store, snd Sender, opt DigestOptions) (DigestResult, error) {
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.Runner == "" {
		opt.Runner = Runner()
	}
	if err := CheckBaseURL(opt.BaseURL); err != nil {
		return DigestResult{}, err
	}
	sys := lantern.NewSystemContext(ctx, "daily digest")
	now := st.Now()
	res := DigestResult{Day: lantern.Today(now)}
	claimed, run, err := st.ClaimDigestRun(sys, res.Day, opt.Runner)
	if err != nil {
		return res, err
	}
	if !claimed {
		res.Done = run.Done()
		return res, nil
	}
	res.Ran = true
	counts, err := st.DigestCounts(sys, now)
	if err != nil {
		return res, err // the run stays unfinished, and is taken over after its lease
	}
	link := WorkLink(opt.BaseURL)
	// Once a person's email is claimed, it is sent and recorded even if ctx
	// ends meanwhile (a shutdown): ctx is looked at between people.
	one := context.WithoutCancel(sys)
	down := 0 // failures in a row that were not the server refusing one message
	for _, c := range counts {
		if err := ctx.Err(); err != nil {
			return res, err // the run stays unfinished, and is taken over after its lease
		}
		if down >= maxDown {
			// The server is unreachable: leave the rest unclaimed for the
			// run's next attempt, rather than wait out a timeout for each.
			log.Warn("digest run stopped: the mail server is not answering", "day", res.Day.String(), "left", len(counts)-res.Sent-res.Failed-res.Skipped)
			break
		}
		mine, err := st.ClaimDigest(sys, res.Day, c.UserID)
		if err != nil {
			return res, err
		}
		if !mine {
			res.Skipped++
			continue
		}
		msg, err := Compose(snd.From(), c.Email, c, link, st.Now())
		if err == nil {
			if err = snd.Send(one, c.Email, msg); err != nil && !errors.As(err, new(*ReplyError)) {
				down++ // not answering at all, rather than refusing this one
			} else {
				down = 0
			}
		}
		if err != nil {
			res.Failed++
			log.Warn("digest not sent", "user_id", c.UserID, "day", res.Day.String(), "err", err.Error())
			if err := st.DigestFailed(one, res.Day, c.UserID); err != nil {
				return res, err
			}
			continue
		}
		res.Sent++
		log.Info("digest sent", "user_id", c.UserID, "day", res.Day.String(), "late", c.Late, "today", c.DueToday, "week", c.DueThisWeek)
		if err := st.DigestSent(one, res.Day, c); err != nil {
			return res, err
		}
	}
	if err := st.FinishDigestRun(sys, res.Day, res.Sent, res.Failed); err != nil {
		return res, err
	}
	res.Done = res.Failed == 0 || run.Attempts >= store.DigestMaxAttempts
	log.Info("digest run finished", "day", res.Day.String(), "runner", opt.Runner, "sent", res.Sent, "failed", res.Failed, "skipped", res.Skipped)
	return res, nil
}
