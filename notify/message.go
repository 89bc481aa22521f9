package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"

	"lantern"
)

// headers writes the headers every Lantern email has: dated now in London,
// from and to (each one parsed address, no CR or LF), the subject encoded
// where it needs it, a fresh Message-ID in the sender's domain, the content
// type given, and the marks of an automatic message (RFC 3834: no
// out-of-office replies, please). It ends with the blank line before the
// body.
func headers(m *bytes.Buffer, from, to, subject, contentType string, now time.Time, extra ...string) error {
	if strings.ContainsAny(from, "\r\n") {
		return errors.New("sender: not an email address")
	}
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return errors.New("sender: not an email address")
	}
	toAddr, err := mail.ParseAddress(to)
	if err != nil || strings.ContainsAny(to, "\r\n") {
		return errors.New("recipient: not an email address")
	}
	domain := fromAddr.Address[strings.LastIndexByte(fromAddr.Address, '@')+1:]
	id := make([]byte, 16)
	rand.Read(id)
	long := false
	header := func(k, v string) {
		f := foldHeader(k + ": " + v)
		for _, l := range strings.Split(f, "\r\n") {
			long = long || len(l) > 998 // RFC 5322's limit, for a long name in From or To
		}
		m.WriteString(f)
	}
	header("Date", now.In(lantern.London).Format(time.RFC1123Z))
	header("From", fromAddr.String())
	header("To", toAddr.String())
	header("Subject", encodeSubject(subject))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", contentType)
	for i := 0; i+1 < len(extra); i += 2 {
		header(extra[i], extra[i+1])
	}
	header("Auto-Submitted", "auto-generated")
	header("X-Auto-Response-Suppress", "All")
	if long {
		return errors.New("a header would be too long (the sender's or the recipient's name?)")
	}
	m.WriteString("\r\n")
	return nil
}

// plainMessage is a whole plain-text email, quoted-printable (which ends
// each line CRLF).
func plainMessage(from, to, subject, body string, now time.Time) ([]byte, error) {
	var m bytes.Buffer
	if err := headers(&m, from, to, subject, "text/plain; charset=utf-8", now, "Content-Transfer-Encoding", "quoted-printable"); err != nil {
		return nil, err
	}
	qp := quotedprintable.NewWriter(&m)
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return m.Bytes(), nil
}
