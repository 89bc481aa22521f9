package notify

import (
	"errors"
	"strings"
	"time"
)

// ComposePasswordLink makes the email that gives a person the one-time link
// to set their own first password: the link, how long it works, and what to
// do if they did not expect it. The administrator who made the account
// never sees the password, or the link.
func ComposePasswordLink(from, to, link string, ttl time.Duration, now time.Time) ([]byte, error) {
	if !strings.HasPrefix(link, "http://") && !strings.HasPrefix(link, "https://") || strings.ContainsAny(link, "\r\n ") {
		return nil, errors.New("link: not an http(s) address")
	}
	body := "An account on Lantern, the shared system for safeguarding children from sexual exploitation, has been made for you.\n\n" +
		"Set your password with this link. It works once, for " + plural(int(ttl.Hours()), "hour", "hours") + ":\n" + link + "\n\n" +
		"You will then set up two-factor sign-in with an authenticator app.\n\n" +
		"If you did not expect this email, do not use the link: tell your Lantern administrator.\n" +
		"This email was sent automatically: please do not forward it.\n"
	return plainMessage(from, to, "Set your Lantern password", body, now)
}
