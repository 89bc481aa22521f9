package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime/quotedprintable"
	"net/mail"
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
	fromAddr, err := mail.ParseAddress(from)
	if err != nil || strings.ContainsAny(from, "\r\n") {
		return nil, errors.New("sender: not an email address")
	}
	toAddr, err := mail.ParseAddress(to)
	if err != nil || strings.ContainsAny(to, "\r\n") {
		return nil, errors.New("recipient: not an email address")
	}
	if !strings.HasPrefix(n.Link, "http://") && !strings.HasPrefix(n.Link, "https://") || strings.ContainsAny(n.Link, "\r\n ") {
		return nil, errors.New("link: not an http(s) address")
	}
	domain := fromAddr.Address[strings.LastIndexByte(fromAddr.Address, '@')+1:]
	id := make([]byte, 16)
	rand.Read(id)
	var m bytes.Buffer
	header := func(k, v string) { m.WriteString(k + ": " + v + "\r\n") }
	header("Date", now.In(lantern.London).Format(time.RFC1123Z))
	header("From", fromAddr.String())
	header("To", toAddr.String())
	header("Subject", encodeSubject(n.subject()))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	header("X-Auto-Response-Suppress", "All")
	m.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&m)
	if _, err := qp.Write([]byte(strings.ReplaceAll(n.body(), "\n", "\r\n"))); err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	return m.Bytes(), nil
}
