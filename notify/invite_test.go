package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/ical"
	"lantern/notify"
	"lantern/notify/smtptest"
)

const (
	inviteFrom = "Lantern <lantern@example.org>"
	invitee    = "alex.a@example.org"
	meetingURL = "https://lantern.example.org/meetings/m-7f3a"
)

// inviteHeaders are every header an invitation has, and no more.
var inviteHeaders = []string{"Auto-Submitted", "Content-Type", "Date", "From", "Message-Id", "Mime-Version", "Subject", "To", "X-Auto-Response-Suppress"}

// maxHeaderLine is as long as a header line may be: 78 octets, but for a
// first line holding "Subject: " and an encoded word of 75.
const maxHeaderLine = len("Subject: ") + 75

// invite is an invitation email taken apart.
type invite struct {
	Header   mail.Header
	Raw      string // the header section, as sent
	Text     string // the plain text, decoded
	CalType  string // the Content-Type of the calendar in the multipart/alternative
	Cal      string // that calendar, decoded
	AttType  string // the attachment's Content-Type
	AttDisp  string // and Content-Disposition
	Att      string // the attachment, decoded
	AltTypes []string
}

// parseInvite takes an invitation email apart, insisting on its shape:
// multipart/mixed of a multipart/alternative (text/plain, text/calendar)
// and an attachment.
func parseInvite(t testing.TB, data []byte) invite {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("message does not parse: %v\n%s", err, data)
	}
	raw, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	inv := invite{Header: msg.Header, Raw: string(raw)}
	mixed := parts(t, msg.Header.Get("Content-Type"), msg.Body, "multipart/mixed")
	if len(mixed) != 2 {
		t.Fatalf("multipart/mixed has %d parts, want 2", len(mixed))
	}
	alt := parts(t, mixed[0].header.Get("Content-Type"), bytes.NewReader(mixed[0].body), "multipart/alternative")
	if len(alt) != 2 {
		t.Fatalf("multipart/alternative has %d parts, want 2", len(alt))
	}
	for _, p := range alt {
		inv.AltTypes = append(inv.AltTypes, p.header.Get("Content-Type"))
	}
	if ct := alt[0].header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Fatalf("first alternative is %q", ct)
	}
	inv.Text = string(alt[0].body) // multipart.Reader undoes quoted-printable
	inv.CalType = alt[1].header.Get("Content-Type")
	inv.Cal = unbase64(t, alt[1])
	inv.AttType = mixed[1].header.Get("Content-Type")
	inv.AttDisp = mixed[1].header.Get("Content-Disposition")
	inv.Att = unbase64(t, mixed[1])
	return inv
}

type part struct {
	header textproto.MIMEHeader
	body   []byte
}

func parts(t testing.TB, contentType string, r io.Reader, want string) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != want || params["boundary"] == "" {
		t.Fatalf("Content-Type %q, want %s with a boundary (%v)", contentType, want, err)
	}
	mr := multipart.NewReader(r, params["boundary"])
	var out []part
	for {
		p, err := mr.NextRawPart() // raw: the Content-Transfer-Encoding is checked below
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", want, err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("%s part: %v", want, err)
		}
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			d, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
			if err != nil {
				t.Fatalf("quoted-printable: %v", err)
			}
			b = d
		}
		out = append(out, part{header: p.Header, body: b})
	}
}

func unbase64(t testing.TB, p part) string {
	t.Helper()
	if cte := p.header.Get("Content-Transfer-Encoding"); cte != "base64" {
		t.Fatalf("calendar part encoded %q, want base64", cte)
	}
	for _, l := range strings.Split(strings.TrimSuffix(string(p.body), "\r\n"), "\r\n") {
		if len(l) > 76 {
			t.Fatalf("base64 line of %d characters", len(l))
		}
	}
	b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(p.body), "\r\n", ""))
	if err != nil {
		t.Fatalf("base64: %v", err)
	}
	return string(b)
}

func headerKeys(h mail.Header) []string {
	var ks []string
	for k := range h {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// calLines are a calendar's content lines, unfolded, as a set.
func calLines(cal string) map[string]bool {
	m := map[string]bool{}
	for _, l := range ical.Unfold(cal) {
		m[l] = true
	}
	return m
}

// TestInvitationsBySMTP sends an invitation, an update and a cancellation
// through a real SMTP server, and reads what it received.
func TestInvitationsBySMTP(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	m, err := notify.NewMailer(notify.SMTPConfig{Addr: srv.Addr, From: inviteFrom, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	now := time.Date(2026, 6, 20, 8, 30, 0, 0, time.UTC) // 09:30 in London, summer time
	ev := ical.Event{UID: "m-7f3a@lantern.example.org", Sequence: 0,
		Start: time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC), // 10:00 in London
		End:   time.Date(2026, 7, 1, 10, 30, 0, 0, time.UTC),
		Stamp: now, Summary: "CSE strategy meeting", Location: "Room 101, Civic Centre; Northmoor",
		URL: meetingURL, Organizer: "organiser@example.org", Attendees: []string{invitee}}
	type sent struct {
		ev   ical.Event
		inv  notify.Invitation
		cal  string
		text string // the whole plain text expected: nothing but what was given
		subj string
	}
	var all []sent
	send := func(ev ical.Event, kind, reason, text, subj string) {
		t.Helper()
		cal := ical.Write(ev)
		inv := notify.Invitation{Title: ev.Summary, StartsAt: ev.Start, EndsAt: ev.End, Location: ev.Location, Link: meetingURL,
			Calendar: cal, Kind: kind, Reason: reason}
		msg, err := notify.ComposeInvitation(m.From(), invitee, inv, now)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if err := m.Send(context.Background(), invitee, msg); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		all = append(all, sent{ev, inv, cal, text, subj})
	}
	const tail = "\r\nSign in to Lantern to see the details.\r\n\r\n  " + meetingURL + "\r\n\r\n"
	const private = "This email holds no names or case details, on purpose: they stay in Lantern.\r\n"
	send(ev, notify.KindInvitation, "",
		"Hello,\r\n\r\nYou are invited to a meeting arranged in Lantern.\r\n\r\n"+
			"  What:  CSE strategy meeting\r\n"+
			"  When:  Wednesday 1 July 2026, 10:00 to 11:30 (UK time)\r\n"+
			"  Where: Room 101, Civic Centre; Northmoor\r\n"+
			tail+"The calendar file with this email puts the meeting in your calendar.\r\n"+private,
		"Invitation: CSE strategy meeting, Wednesday 1 July 2026 at 10:00")

	up := ev
	up.Sequence = 1
	up.Start = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) // 10:00 in London, winter time
	up.End = time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)
	up.Location = "Northmoor Police Station, Interview Suite 2"
	up.Stamp = now.Add(time.Hour)
	send(up, notify.KindUpdate, "",
		"Hello,\r\n\r\nThe time or place of a meeting you are invited to has changed. These are the new details.\r\n\r\n"+
			"  What:  CSE strategy meeting\r\n"+
			"  When:  Tuesday 1 December 2026, 10:00 to 11:00 (UK time)\r\n"+
			"  Where: Northmoor Police Station, Interview Suite 2\r\n"+
			tail+"The calendar file with this email puts the meeting in your calendar.\r\n"+private,
		"Updated: CSE strategy meeting, Tuesday 1 December 2026 at 10:00")

	cancel := up
	cancel.Sequence = 2
	cancel.Cancelled = true
	cancel.Stamp = now.Add(2 * time.Hour)
	send(cancel, notify.KindCancellation, "The meeting is no longer needed.",
		"Hello,\r\n\r\nThis meeting has been cancelled.\r\n\r\n"+
			"  What:  CSE strategy meeting\r\n"+
			"  When:  Tuesday 1 December 2026, 10:00 to 11:00 (UK time)\r\n"+
			"  Where: Northmoor Police Station, Interview Suite 2\r\n"+
			"\r\nThe reason given: The meeting is no longer needed.\r\n"+
			tail+"The calendar file with this email takes the meeting out of your calendar.\r\n"+private,
		"Cancelled: CSE strategy meeting, Tuesday 1 December 2026 at 10:00")

	got := srv.To(invitee)
	if len(got) != len(all) {
		t.Fatalf("server received %d messages, want %d", len(got), len(all))
	}
	ids := map[string]bool{}
	for i, want := range all {
		msg := got[i]
		p := parseInvite(t, msg.Data)
		kind := want.inv.Kind
		if msg.From != "lantern@example.org" {
			t.Errorf("%s: envelope sender %q", kind, msg.From)
		}
		if keys := headerKeys(p.Header); !slices.Equal(keys, inviteHeaders) {
			t.Errorf("%s: headers %v, want %v", kind, keys, inviteHeaders)
		}
		if s := msg.Subject(t); s != want.subj {
			t.Errorf("%s: subject %q, want %q", kind, s, want.subj)
		}
		if f := p.Header.Get("From"); f != `"Lantern" <lantern@example.org>` {
			t.Errorf("%s: From %q", kind, f)
		}
		if to := p.Header.Get("To"); to != "<"+invitee+">" {
			t.Errorf("%s: To %q", kind, to)
		}
		if d, err := p.Header.Date(); err != nil || !d.Equal(now) || !strings.HasSuffix(p.Header.Get("Date"), "+0100") {
			t.Errorf("%s: Date %q (%v), want %v in London", kind, p.Header.Get("Date"), err, now)
		}
		id := p.Header.Get("Message-Id")
		if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.org>") || ids[id] {
			t.Errorf("%s: Message-ID %q", kind, id)
		}
		ids[id] = true
		if p.Header.Get("Mime-Version") != "1.0" || p.Header.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("%s: headers %v", kind, p.Header)
		}

		method := "REQUEST"
		if want.ev.Cancelled {
			method = "CANCEL"
		}
		if ct := "text/calendar; charset=utf-8; method=" + method; p.CalType != ct {
			t.Errorf("%s: calendar part %q, want %q", kind, p.CalType, ct)
		}
		if p.AttType != `application/ics; name="invite.ics"` {
			t.Errorf("%s: attachment type %q", kind, p.AttType)
		}
		if _, params, err := mime.ParseMediaType(p.AttDisp); err != nil || !strings.HasPrefix(p.AttDisp, "attachment") || params["filename"] != "invite.ics" {
			t.Errorf("%s: attachment disposition %q", kind, p.AttDisp)
		}
		// The calendar arrives byte for byte, CRLF and folding and all.
		if p.Cal != want.cal || p.Att != want.cal {
			t.Errorf("%s: calendar changed in the post:\n%q\n%q\nwant\n%q", kind, p.Cal, p.Att, want.cal)
		}
		lines := calLines(p.Cal)
		status := "CONFIRMED"
		if want.ev.Cancelled {
			status = "CANCELLED"
		}
		for _, l := range []string{
			"METHOD:" + method,
			"UID:m-7f3a@lantern.example.org",
			"SEQUENCE:" + string(rune('0'+want.ev.Sequence)),
			"DTSTART:" + want.ev.Start.UTC().Format("20060102T150405Z"),
			"DTEND:" + want.ev.End.UTC().Format("20060102T150405Z"),
			"SUMMARY:CSE strategy meeting",
			`LOCATION:` + ical.Escape(want.ev.Location),
			"STATUS:" + status,
		} {
			if !lines[l] {
				t.Errorf("%s: calendar lacks %q:\n%s", kind, l, p.Cal)
			}
		}
		if !strings.Contains(p.Text, meetingURL) || !strings.Contains(p.Text, want.ev.Start.In(lantern.London).Format("15:04")) {
			t.Errorf("%s: text lacks the link or the time:\n%s", kind, p.Text)
		}
		// Nothing in the text but what was given.
		if p.Text != want.text {
			t.Errorf("%s: text\n%q\nwant\n%q", kind, p.Text, want.text)
		}
	}
	// The July meeting in summer time is 09:00 UTC; December's is 10:00.
	if !calLines(all[0].cal)["DTSTART:20260701T090000Z"] || !calLines(all[1].cal)["DTSTART:20261201T100000Z"] {
		t.Error("DTSTART not in UTC")
	}
}

func goodInvitation() notify.Invitation {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ev := ical.Event{UID: "m-1@lantern.example.org", Start: start, End: start.Add(time.Hour), Stamp: start.Add(-24 * time.Hour),
		Summary: "CSE strategy meeting", Location: "Room 101", URL: meetingURL}
	return notify.Invitation{Title: ev.Summary, StartsAt: ev.Start, EndsAt: ev.End, Location: ev.Location, Link: meetingURL,
		Calendar: ical.Write(ev), Kind: notify.KindInvitation}
}

func TestComposeInvitationRefuses(t *testing.T) {
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	cancelled := goodInvitation()
	cancelled.Kind = notify.KindCancellation
	cancelled.Calendar = ical.Write(ical.Event{UID: "m-1@lantern.example.org", Sequence: 1, Start: cancelled.StartsAt, End: cancelled.EndsAt,
		Stamp: now, Summary: cancelled.Title, Cancelled: true})
	for _, c := range []struct {
		name     string
		from, to string
		edit     func(*notify.Invitation)
	}{
		{"empty calendar", inviteFrom, invitee, func(i *notify.Invitation) { i.Calendar = "" }},
		{"calendar without METHOD", inviteFrom, invitee, func(i *notify.Invitation) {
			i.Calendar = strings.Replace(i.Calendar, "METHOD:REQUEST\r\n", "", 1)
		}},
		{"not a calendar", inviteFrom, invitee, func(i *notify.Invitation) { i.Calendar = "METHOD:REQUEST\r\n" }},
		{"two METHODs", inviteFrom, invitee, func(i *notify.Invitation) {
			i.Calendar = strings.Replace(i.Calendar, "METHOD:REQUEST\r\n", "METHOD:REQUEST\r\nMETHOD:CANCEL\r\n", 1)
		}},
		{"METHOD with a header in it", inviteFrom, invitee, func(i *notify.Invitation) {
			i.Calendar = strings.Replace(i.Calendar, "METHOD:REQUEST", "METHOD:REQUEST\r\n Bcc: x@example.org", 1)
		}},
		{"cancellation with METHOD:REQUEST", inviteFrom, invitee, func(i *notify.Invitation) { i.Kind = notify.KindCancellation }},
		{"invitation with METHOD:CANCEL", inviteFrom, invitee, func(i *notify.Invitation) { i.Calendar = cancelled.Calendar }},
		{"update with METHOD:PUBLISH", inviteFrom, invitee, func(i *notify.Invitation) {
			i.Kind = notify.KindUpdate
			i.Calendar = strings.Replace(i.Calendar, "METHOD:REQUEST", "METHOD:PUBLISH", 1)
		}},
		{"unknown kind", inviteFrom, invitee, func(i *notify.Invitation) { i.Kind = "reminder" }},
		{"no kind", inviteFrom, invitee, func(i *notify.Invitation) { i.Kind = "" }},
		{"no start", inviteFrom, invitee, func(i *notify.Invitation) { i.StartsAt = time.Time{} }},
		{"ends before it starts", inviteFrom, invitee, func(i *notify.Invitation) { i.EndsAt = i.StartsAt.Add(-time.Minute) }},
		{"no link", inviteFrom, invitee, func(i *notify.Invitation) { i.Link = "" }},
		{"link not http", inviteFrom, invitee, func(i *notify.Invitation) { i.Link = "javascript:alert(1)" }},
		{"link with a newline", inviteFrom, invitee, func(i *notify.Invitation) { i.Link = meetingURL + "\r\nBcc: x@example.org" }},
		{"to with a Bcc", inviteFrom, invitee + "\r\nBcc: x@example.org", nil},
		{"to with a LF", inviteFrom, invitee + "\nBcc: x@example.org", nil},
		{"to empty", inviteFrom, "", nil},
		{"to not an address", inviteFrom, "alex", nil},
		{"to two addresses", inviteFrom, invitee + ", x@example.org", nil},
		{"from invalid", "lantern", invitee, nil},
		{"from empty", "", invitee, nil},
		{"from with a Bcc", "lantern@example.org\r\nBcc: x@example.org", invitee, nil},
		{"to with a name too long for a header line", inviteFrom, `"` + strings.Repeat("a", 1000) + `" <` + invitee + ">", nil},
		{"from with a newline in its name", "\"Lantern\r\nBcc: x@example.org\" <lantern@example.org>", invitee, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			inv := goodInvitation()
			if c.edit != nil {
				c.edit(&inv)
			}
			msg, err := notify.ComposeInvitation(c.from, c.to, inv, now)
			if err == nil {
				t.Errorf("no error; composed\n%s", msg)
			}
		})
	}
	// And the good one, and its cancellation, compose.
	if _, err := notify.ComposeInvitation(inviteFrom, invitee, goodInvitation(), now); err != nil {
		t.Errorf("good invitation: %v", err)
	}
	if _, err := notify.ComposeInvitation(inviteFrom, invitee, cancelled, now); err != nil {
		t.Errorf("good cancellation: %v", err)
	}
}

// TestComposeInvitationHeaderInjection puts header lines into the free text:
// they stay text, in the subject or the body, and make no header.
func TestComposeInvitationHeaderInjection(t *testing.T) {
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, kind := range []string{notify.KindInvitation, notify.KindCancellation} {
		start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		ev := ical.Event{UID: "m-1@lantern.example.org", Start: start, End: start.Add(time.Hour), Stamp: now,
			Summary: "CSE strategy meeting\r\nBcc: x@example.org", Location: "Room 1\r\nBcc: y@example.org\n\nContent-Type: text/html",
			Cancelled: kind == notify.KindCancellation}
		inv := notify.Invitation{Title: ev.Summary, StartsAt: start, EndsAt: ev.End, Location: ev.Location, Link: meetingURL,
			Calendar: ical.Write(ev), Kind: kind, Reason: "Moved.\r\nBcc: z@example.org\r\n\r\n--boundary"}
		msg, err := notify.ComposeInvitation(inviteFrom, invitee, inv, now)
		if err != nil {
			t.Fatal(err)
		}
		p := parseInvite(t, msg)
		if keys := headerKeys(p.Header); !slices.Equal(keys, inviteHeaders) {
			t.Errorf("%s: headers %v, want %v", kind, keys, inviteHeaders)
		}
		for _, l := range strings.Split(p.Raw, "\r\n") {
			if strings.HasPrefix(strings.ToLower(l), "bcc") || strings.Contains(l, "\n") || strings.Contains(l, "\r") {
				t.Errorf("%s: header line %q", kind, l)
			}
		}
		subj, err := new(mime.WordDecoder).DecodeHeader(p.Header.Get("Subject"))
		if err != nil || strings.ContainsAny(subj, "\r\n") || !strings.Contains(subj, "CSE strategy meeting Bcc: x@example.org, Tuesday") {
			t.Errorf("%s: subject %q (%v)", kind, subj, err)
		}
		// In the body the newlines are harmless, and kept.
		if !strings.Contains(p.Text, "Room 1\r\nBcc: y@example.org\r\n\r\nContent-Type: text/html") {
			t.Errorf("%s: text\n%s", kind, p.Text)
		}
		if strings.Contains(p.Text, "Moved.") != (kind == notify.KindCancellation) {
			t.Errorf("%s: reason shown or not:\n%s", kind, p.Text)
		}
	}
}

// TestComposeInvitationEncodedWordInTitle: a title that looks like an
// encoded word is encoded itself, so it reads back as typed, not decoded
// into a newline.
func TestComposeInvitationEncodedWordInTitle(t *testing.T) {
	inv := goodInvitation()
	inv.Title = "=?utf-8?q?CSE=0D=0ABcc:_x@example.org?= " + strings.Repeat("meeting ", 8)
	msg, err := notify.ComposeInvitation(inviteFrom, invitee, inv, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := parseInvite(t, msg)
	subj, err := new(mime.WordDecoder).DecodeHeader(p.Header.Get("Subject"))
	if want := "Invitation: " + strings.TrimSpace(inv.Title) + ", Tuesday 1 December 2026 at 10:00"; err != nil || subj != want {
		t.Errorf("subject %q (%v), want %q", subj, err, want)
	}
	for _, l := range strings.Split(p.Raw, "\r\n") {
		if len(l) > maxHeaderLine {
			t.Errorf("header line of %d octets: %q", len(l), l)
		}
	}
}

// TestComposeInvitationLongTitle: a long title, not in ASCII, is cut short
// in the subject and folded, and kept whole in the body.
func TestComposeInvitationLongTitle(t *testing.T) {
	inv := goodInvitation()
	inv.Title = strings.Repeat("Réunion stratégique ", 30)
	msg, err := notify.ComposeInvitation(inviteFrom, invitee, inv, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := parseInvite(t, msg)
	for _, l := range strings.Split(p.Raw, "\r\n") {
		if len(l) > maxHeaderLine {
			t.Errorf("header line of %d octets: %q", len(l), l)
		}
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(p.Header.Get("Subject"))
	if err != nil || !strings.HasPrefix(subj, "Invitation: Réunion stratégique Réunion") || !strings.Contains(subj, "…, Tuesday 1 December 2026 at 10:00") {
		t.Errorf("subject %q (%v)", subj, err)
	}
	if !strings.Contains(p.Text, inv.Title) {
		t.Error("title not whole in the body")
	}
	if !strings.Contains(p.Text, "Where: Room 101") {
		t.Errorf("text\n%s", p.Text)
	}
	// Without a place, it says so.
	inv.Location = ""
	msg, err = notify.ComposeInvitation(inviteFrom, invitee, inv, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p := parseInvite(t, msg); !strings.Contains(p.Text, "Where: not given\r\n") {
		t.Errorf("text\n%s", p.Text)
	}
}

// TestComposeInvitationAcrossMidnight shows both days, in London.
func TestComposeInvitationAcrossMidnight(t *testing.T) {
	inv := goodInvitation()
	inv.StartsAt = time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC) // the night the clocks go forward
	inv.EndsAt = time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
	msg, err := notify.ComposeInvitation(inviteFrom, invitee, inv, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p := parseInvite(t, msg); !strings.Contains(p.Text, "When:  Saturday 28 March 2026 at 23:30 to Sunday 29 March 2026 at 02:30 (UK time)") {
		t.Errorf("text\n%s", p.Text)
	}
}

// TestComposeInvitationLineEndings: a calendar with bare LF goes out CRLF.
func TestComposeInvitationLineEndings(t *testing.T) {
	inv := goodInvitation()
	want := inv.Calendar
	inv.Calendar = strings.ReplaceAll(want, "\r\n", "\n")
	msg, err := notify.ComposeInvitation(inviteFrom, invitee, inv, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p := parseInvite(t, msg); p.Cal != want || p.Att != want {
		t.Errorf("calendar %q, want %q", p.Cal, want)
	}
}

func FuzzComposeInvitation(f *testing.F) {
	good := goodInvitation()
	cancel := ical.Write(ical.Event{UID: "m-1@lantern.example.org", Sequence: 2, Start: good.StartsAt, End: good.EndsAt, Stamp: good.StartsAt,
		Summary: "x", Cancelled: true})
	start := good.StartsAt.Unix()
	f.Add(inviteFrom, invitee, good.Title, good.Location, good.Link, good.Calendar, "invitation", "", start, int64(60))
	f.Add(inviteFrom, invitee, "CSE\r\nBcc: x@example.org", "Room\r\nBcc: y@example.org", good.Link, good.Calendar, "update", "", start, int64(90))
	f.Add("lantern@example.org", "Alex <alex@example.org>", "Réunion =?utf-8?q?x?=", "", good.Link, cancel, "cancellation", "Because\r\n.\r\n", start, int64(0))
	f.Add("\"Lantern\r\nX: y\" <l@example.org>", invitee+"\r\nBcc: x@example.org", "", "", "http://x", "BEGIN:VCALENDAR\nMETHOD:REQUEST\n", "invitation", "", int64(-1), int64(-5))
	f.Add(inviteFrom, invitee, strings.Repeat("a", 500), strings.Repeat("é", 300), good.Link+"?a=b", "", "update", "", start, int64(1<<40))
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, from, to, title, location, link, calendar, kind, reason string, startUnix, minutes int64) {
		startUnix %= 1 << 36 // within time.Time's comfortable range, either side of 1970
		minutes %= 1 << 20
		start := time.Unix(startUnix, 0)
		inv := notify.Invitation{Title: title, StartsAt: start, EndsAt: start.Add(time.Duration(minutes) * time.Minute),
			Location: location, Link: link, Calendar: calendar, Kind: kind, Reason: reason}
		msg, err := notify.ComposeInvitation(from, to, inv, now)
		if err != nil {
			return
		}
		p := parseInvite(t, msg) // fails the test if it does not parse, or is not the right shape
		if keys := headerKeys(p.Header); !slices.Equal(keys, inviteHeaders) {
			t.Fatalf("headers %v, want %v", keys, inviteHeaders)
		}
		for _, l := range strings.Split(p.Raw, "\r\n") {
			if len(l) > 998 {
				t.Fatalf("header line of %d octets", len(l))
			}
		}
		if _, err := new(mime.WordDecoder).DecodeHeader(p.Header.Get("Subject")); err != nil {
			t.Fatalf("subject %q: %v", p.Header.Get("Subject"), err)
		}
		if _, err := mail.ParseAddress(p.Header.Get("To")); err != nil {
			t.Fatalf("To %q: %v", p.Header.Get("To"), err)
		}
		method, err := ical.Method(p.Cal)
		if err != nil {
			t.Fatal(err)
		}
		if ct := "text/calendar; charset=utf-8; method=" + method; p.CalType != ct {
			t.Fatalf("calendar part %q, want %q", p.CalType, ct)
		}
		crlf := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(calendar, "\r\n", "\n"), "\r", "\n"), "\n", "\r\n")
		if p.Cal != crlf || p.Att != crlf {
			t.Fatalf("calendar changed: %q, %q, want %q", p.Cal, p.Att, crlf)
		}
		if !strings.Contains(p.Text, link) {
			t.Fatalf("text lacks the link:\n%s", p.Text)
		}
	})
}
