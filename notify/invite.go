package notify

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"lantern"
	"lantern/ical"
)

// The kinds of invitation email.
const (
	KindInvitation   = "invitation"
	KindUpdate       = "update"
	KindCancellation = "cancellation"
)

// Invitation is what an invitation email says: the meeting's kind in words,
// time, place, a link; never a child's name or any case detail.
type Invitation struct {
	Title            string // e.g. "CSE strategy meeting" (the kind in words)
	StartsAt, EndsAt time.Time
	Location         string
	Link             string // https://.../meetings/{id}
	Calendar         string // the whole .ics text from ical.Write (METHOD:REQUEST or METHOD:CANCEL)
	Kind             string // "invitation", "update" or "cancellation"
	// Reason is, for a cancellation, the organiser's short reason, if any
	// (plain text, no case details: that is for the caller). It is not
	// shown for an invitation or an update.
	Reason string
}

// subjectTitleMax caps the title in the subject, in characters, so the
// header stays well short of the 998-octet line limit.
const subjectTitleMax = 150

// ComposeInvitation makes the whole invitation, update or cancellation
// email for one invitee, headers and body, dated now: a multipart/mixed
// holding a multipart/alternative of the plain text and the calendar
// (text/calendar with its METHOD, for mail programs' accept buttons), and
// the calendar again as the attachment invite.ics.
func ComposeInvitation(from, to string, inv Invitation, now time.Time) ([]byte, error) {
	var prefix string
	switch inv.Kind {
	case KindInvitation:
		prefix = "Invitation"
	case KindUpdate:
		prefix = "Updated"
	case KindCancellation:
		prefix = "Cancelled"
	default:
		return nil, fmt.Errorf("invitation: kind %q is not invitation, update or cancellation", inv.Kind)
	}
	if inv.Calendar == "" {
		return nil, errors.New("invitation: no calendar")
	}
	cal := crlf(inv.Calendar)
	method, err := ical.Method(cal)
	if err != nil {
		return nil, fmt.Errorf("invitation: calendar: %w", err)
	}
	want := "REQUEST"
	if inv.Kind == KindCancellation {
		want = "CANCEL"
	}
	if method != want {
		return nil, fmt.Errorf("invitation: %s needs METHOD:%s in the calendar, not %s", inv.Kind, want, method)
	}
	if inv.StartsAt.IsZero() || inv.EndsAt.IsZero() || inv.EndsAt.Before(inv.StartsAt) {
		return nil, errors.New("invitation: give a start, and an end not before it")
	}
	if u, err := url.Parse(inv.Link); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !printableASCII(inv.Link) {
		return nil, errors.New("invitation: the link is not an http(s) address")
	}

	var body bytes.Buffer
	mixed := multipart.NewWriter(&body)
	var altBody bytes.Buffer
	alt := multipart.NewWriter(&altBody)
	text, err := alt.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return nil, err
	}
	qp := quotedprintable.NewWriter(text)
	if _, err := qp.Write([]byte(invitationBody(inv))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	calType := mime.FormatMediaType("text/calendar", map[string]string{"charset": "utf-8", "method": method})
	part, err := alt.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {calType},
		"Content-Transfer-Encoding": {"base64"},
	})
	if err != nil {
		return nil, err
	}
	writeBase64(part, cal)
	if err := alt.Close(); err != nil {
		return nil, err
	}
	part, err = mixed.CreatePart(textproto.MIMEHeader{"Content-Type": {"multipart/alternative; boundary=" + alt.Boundary()}})
	if err != nil {
		return nil, err
	}
	part.Write(altBody.Bytes())
	part, err = mixed.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {`application/ics; name="invite.ics"`},
		"Content-Disposition":       {`attachment; filename="invite.ics"`},
		"Content-Transfer-Encoding": {"base64"},
	})
	if err != nil {
		return nil, err
	}
	writeBase64(part, cal)
	if err := mixed.Close(); err != nil {
		return nil, err
	}

	var m bytes.Buffer
	if err := headers(&m, from, to, prefix+": "+oneLine(inv.Title, subjectTitleMax)+", "+londonTime(inv.StartsAt),
		"multipart/mixed; boundary="+mixed.Boundary(), now); err != nil {
		return nil, fmt.Errorf("invitation: %w", err)
	}
	m.Write(body.Bytes())
	return m.Bytes(), nil
}

// invitationBody is the plain text of an invitation: what, when, where and
// the link, and for a cancellation the reason given.
func invitationBody(inv Invitation) string {
	var b strings.Builder
	b.WriteString("Hello,\n\n")
	switch inv.Kind {
	case KindInvitation:
		b.WriteString("You are invited to a meeting arranged in Lantern.\n\n")
	case KindUpdate:
		b.WriteString("The time or place of a meeting you are invited to has changed. These are the new details.\n\n")
	case KindCancellation:
		b.WriteString("This meeting has been cancelled.\n\n")
	}
	where := inv.Location
	if strings.TrimSpace(where) == "" {
		where = "not given"
	}
	fmt.Fprintf(&b, "  What:  %s\n", text(inv.Title))
	fmt.Fprintf(&b, "  When:  %s (UK time)\n", when(inv.StartsAt, inv.EndsAt))
	fmt.Fprintf(&b, "  Where: %s\n", text(where))
	if inv.Kind == KindCancellation && strings.TrimSpace(inv.Reason) != "" {
		fmt.Fprintf(&b, "\nThe reason given: %s\n", text(inv.Reason))
	}
	b.WriteString("\nSign in to Lantern to see the details.\n\n  " + inv.Link + "\n\n")
	switch inv.Kind {
	case KindCancellation:
		b.WriteString("The calendar file with this email takes the meeting out of your calendar.\n")
	default:
		b.WriteString("The calendar file with this email puts the meeting in your calendar.\n")
	}
	b.WriteString("This email holds no names or case details, on purpose: they stay in Lantern.\n")
	return crlf(b.String())
}

// when is a meeting's time in London: "Tuesday 1 December 2026, 10:00 to
// 11:30", or both dates when it ends on another day.
func when(start, end time.Time) string {
	s, e := start.In(lantern.London), end.In(lantern.London)
	if s.Year() == e.Year() && s.YearDay() == e.YearDay() {
		return s.Format("Monday 2 January 2006, 15:04") + " to " + e.Format("15:04")
	}
	return londonTime(s) + " to " + londonTime(e)
}

// londonTime is "Tuesday 1 December 2026 at 10:00", in London.
func londonTime(t time.Time) string {
	return t.In(lantern.London).Format("Monday 2 January 2006 at 15:04")
}

// text makes free text fit for the plain-text body: valid UTF-8, newlines
// kept, other control characters made spaces.
func text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// oneLine makes free text fit for a header: one line, valid UTF-8, at most
// max characters (cut with an ellipsis).
func oneLine(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if utf8.RuneCountInString(s) > max {
		s = strings.TrimSpace(string([]rune(s)[:max-1])) + "…"
	}
	return s
}

// encodeSubject Q-encodes a subject (RFC 2047) if it needs it: if it is not
// all printable ASCII, or if, being so, it holds "=?", which a mail program
// would take for the start of an encoded word (and decode, perhaps into a
// newline) unless it is encoded itself.
func encodeSubject(s string) string {
	if !strings.Contains(s, "=?") {
		return mime.QEncoding.Encode("utf-8", s)
	}
	const max = 75 - len("=?utf-8?q??=") // an encoded word is at most 75 characters
	var words []string
	var w strings.Builder
	for _, r := range s {
		var enc string
		switch {
		case r == ' ':
			enc = "_"
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			enc = string(r)
		default:
			for _, b := range []byte(string(r)) {
				enc += fmt.Sprintf("=%02X", b)
			}
		}
		if w.Len()+len(enc) > max {
			words = append(words, "=?utf-8?q?"+w.String()+"?=")
			w.Reset()
		}
		w.WriteString(enc)
	}
	return strings.Join(append(words, "=?utf-8?q?"+w.String()+"?="), " ")
}

// crlf makes every line end CRLF, whether it ended CRLF, LF or CR.
func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// writeBase64 writes s in base64, in lines of 76 characters (RFC 2045).
func writeBase64(w interface{ Write([]byte) (int, error) }, s string) {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	w.Write([]byte(b.String()))
}

// foldHeader folds a header field, "Name: value", at spaces so its lines
// keep within 78 octets where they can (the first holds the name and the
// value's first word at least), and ends it CRLF.
func foldHeader(s string) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			if i > 1 && n+1+len(w) > 78 { // never straight after the name
				b.WriteString("\r\n")
				n = 0
			}
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	b.WriteString("\r\n")
	return b.String()
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
