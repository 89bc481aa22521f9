package notify

import (
	"errors"
	"strings"
	"time"

	"lantern"
)

// SharedNotice tells someone that a meeting's minutes or a child's toolkit
// were shared with them: what kind of meeting, when, and a link. Neither the
// child's name nor anything of the case is in the email; they sign in to
// read it.
type SharedNotice struct {
	Title    string // the meeting's kind in words
	StartsAt time.Time
	What     []string // minutes, toolkit
	Link     string
}

func (n SharedNotice) subject() string {
	return "Shared with you: " + oneLine(n.Title, subjectTitleMax) + ", " + n.StartsAt.In(lantern.London).Format("2 January 2006")
}

func (n SharedNotice) body() string {
	var items []string
	for _, w := range n.What {
		switch w {
		case "minutes":
			items = append(items, "the minutes of the meeting")
		case "toolkit":
			items = append(items, "the completed CSE toolkit")
		}
	}
	if len(items) == 0 {
		items = []string{"information from the meeting"}
	}
	return "Lantern has shared with you " + strings.Join(items, " and ") + " from the " + text(n.Title) + " held on " +
		n.StartsAt.In(lantern.London).Format("Monday 2 January 2006") + ".\n\n" +
		"Sign in to Lantern to read them:\n" + n.Link + "\n\n" +
		"This email was sent automatically. It holds no case details: please do not forward it.\n"
}

// ComposeShared makes the whole notice email for one recipient, dated now.
func ComposeShared(from, to string, n SharedNotice, now time.Time) ([]byte, error) {
	if !strings.HasPrefix(n.Link, "http://") && !strings.HasPrefix(n.Link, "https://") || strings.ContainsAny(n.Link, "\r\n ") {
		return nil, errors.New("link: not an http(s) address")
	}
	return plainMessage(from, to, n.subject(), n.body(), now)
}
