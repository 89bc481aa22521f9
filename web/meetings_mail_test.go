package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app"
	"lantern/app/apptest"
	"lantern/notify/smtptest"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// Meetings by email, through the API with a real SMTP server: invitations
// carrying invite.ics, updates and cancellations as calendar updates, and
// the minutes and toolkit distributed as recorded information shares. No
// email carries a child's name or anything of the case.

// mailPart is one leaf of a MIME message, decoded.
type mailPart struct {
	typ    string
	params map[string]string
	disp   string
	body   string
}

// mailParts walks a message's MIME tree and returns its leaves.
func mailParts(t *testing.T, raw []byte) (mail.Header, []mailPart) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("message does not parse: %v", err)
	}
	var out []mailPart
	var walk func(h func(string) string, r io.Reader)
	walk = func(h func(string) string, r io.Reader) {
		typ, params, err := mime.ParseMediaType(h("Content-Type"))
		if err != nil {
			t.Fatalf("content type %q: %v", h("Content-Type"), err)
		}
		if strings.HasPrefix(typ, "multipart/") {
			mr := multipart.NewReader(r, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err == io.EOF {
					return
				} else if err != nil {
					t.Fatal(err)
				}
				walk(p.Header.Get, p)
			}
		}
		switch strings.ToLower(h("Content-Transfer-Encoding")) {
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, r)
		case "quoted-printable":
			r = quotedprintable.NewReader(r)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, mailPart{typ: typ, params: params, disp: h("Content-Disposition"), body: string(b)})
	}
	walk(msg.Header.Get, msg.Body)
	return msg.Header, out
}

// invite checks an invitation email and returns its subject, text and the
// calendar's properties.
func invite(t *testing.T, m smtptest.Message, method string) (string, string, map[string]string) {
	t.Helper()
	h, parts := mailParts(t, m.Data)
	var text, cal, attached string
	for _, p := range parts {
		switch {
		case p.typ == "text/plain":
			text = p.body
		case p.typ == "text/calendar":
			cal = p.body
			if p.params["method"] != method {
				t.Errorf("calendar part's method %q, want %s", p.params["method"], method)
			}
		case strings.Contains(p.disp, "invite.ics"):
			attached = p.body
		}
	}
	if cal == "" || attached != cal {
		t.Fatalf("calendar part %q, attachment %q", cal, attached)
	}
	ev := icsEvent(t, cal)
	if !strings.Contains(cal, "\r\nMETHOD:"+method+"\r\n") {
		t.Errorf("calendar without METHOD:%s:\n%s", method, cal)
	}
	dec := new(mime.WordDecoder)
	subj, _ := dec.DecodeHeader(h.Get("Subject"))
	return subj, text, ev
}

func TestMeetingEmails(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			smtp := smtptest.Start(t, smtptest.Options{})
			e := startEnv(t, d, apptest.Options{Configure: func(c *app.Config) {
				c.SMTPAddr, c.SMTPFrom, c.BaseURL = smtp.Addr, "Lantern <lantern@example.org>", "https://lantern.example.org"
			}})
			f, st := e.f, e.srv.Store
			sw := f.SocialWorker
			police, err := st.CreateAgency(sysCtx(), lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
			if err != nil {
				t.Fatal(err)
			}

			// The directory, kept by the administrator.
			contact := func(body string) string {
				t.Helper()
				r := e.as(f.Admin, "POST", "/api/v1/directory", body)
				if r.status != http.StatusCreated {
					t.Fatalf("directory entry %s: %d %s", body, r.status, r.body)
				}
				return decode[struct{ ID string }](t, r.body).ID
			}
			unitID := contact(`{"agency_id":"` + police.ID + `","name":"Exploitation unit","email":"seiu@police.example.org","roles":["police-exploitation-unit"]}`)
			contact(`{"agency_id":"` + f.CSC.ID + `","name":"CSE coordinator","email":"coordinator@csc.example.org","roles":["cse-coordinator"]}`)
			contact(`{"agency_id":"` + f.CSC.ID + `","name":"IRO principal manager","email":"iro@csc.example.org","roles":["iro-principal-manager"]}`)
			mtgWant422(t, "a directory entry with a bad address", e.as(f.Admin, "POST", "/api/v1/directory",
				`{"agency_id":"`+f.CSC.ID+`","name":"X","email":"x@csc"}`), "email")
			if r := e.as(sw, "POST", "/api/v1/directory", `{"agency_id":"`+f.CSC.ID+`","name":"X","email":"x@csc.example.org"}`); r.status != http.StatusForbidden {
				t.Errorf("a social worker adding to the directory: %d", r.status)
			}
			if r := e.as(f.Teacher, "GET", "/api/v1/directory", ""); r.status != 200 || len(decode[struct{ Contacts []any }](t, r.body).Contacts) != 3 {
				t.Errorf("the directory as a teacher: %d %s", r.status, r.body)
			}

			child := e.createChild(sw, "Zelda", "Quill")
			a, err := st.CreateAssessment(storetest.As(sw), child.ID, "", toolkit.AssessmentInput{Answers: toolkit.Input{Indicators: []string{"sign.missing"}},
				Analysis: "Missing from home twice"})
			if err != nil {
				t.Fatal(err)
			}

			// Suggested for a CSE strategy meeting: the unit and the coordinator.
			r := e.as(sw, "GET", "/api/v1/meeting-suggestions?kind=cse-strategy&child_id="+child.ID, "")
			sug := decode[struct{ Invitees []struct{ Email string } }](t, r.body).Invitees
			if r.status != 200 || len(sug) != 2 || sug[0].Email != "seiu@police.example.org" {
				t.Errorf("suggested: %d %s", r.status, r.body)
			}
			if r := e.as(other(f), "GET", "/api/v1/meeting-suggestions?kind=cse-strategy&child_id="+child.ID, ""); r.status != 404 {
				t.Errorf("suggestions about a child the caller may not see: %d", r.status)
			}

			at := start.Add(72 * time.Hour)
			body := func(invitees string) string {
				return `{"kind":"cse-strategy","child_ids":["` + child.ID + `"],"starts_at":"` + at.Format(time.RFC3339) + `","ends_at":"` +
					at.Add(time.Hour).Format(time.RFC3339) + `","location":"Room 2, Civic Centre","assessment_id":"` + a.ID + `",` +
					`"young_person":"invited","carers":"not-invited","carers_reason":"Implicated","invitees":` + invitees + `}`
			}
			mtgWant422(t, "an invitee with a bad address", e.as(sw, "POST", "/api/v1/meetings",
				body(`[{"contact_id":"`+unitID+`"},{"name":"Dr Gee","email":"gp@@example.org"}]`)), "invitees[1].email")
			if n := mtgRows(e, "meetings"); n != 0 {
				t.Fatalf("%d meetings stored after a refusal", n)
			}
			m := mtgCreate(e, sw, body(`[{"contact_id":"`+unitID+`"},{"name":"Dr Gee","email":"gp@surgery.example.org","agency":"Moor Surgery"}]`))

			sendInvites := func(want int) {
				t.Helper()
				r := e.as(sw, "POST", "/api/v1/meetings/"+m.ID+"/invitations", "")
				res := decode[struct {
					Email        string
					Sent, Failed int
				}](t, r.body)
				if r.status != 200 || res.Email != "sent" || res.Sent != want || res.Failed != 0 {
					t.Fatalf("send invitations: %d %s, want %d sent", r.status, r.body, want)
				}
			}
			if r := e.as(other(f), "POST", "/api/v1/meetings/"+m.ID+"/invitations", ""); r.status != 404 {
				t.Errorf("invitations sent by someone who may not see the meeting: %d", r.status)
			}
			sendInvites(2)
			link := "https://lantern.example.org/meetings/" + m.ID
			noCase := func(raw []byte) {
				t.Helper()
				for _, secret := range []string{"Zelda", "Quill", child.ID, "Implicated", "Missing from home"} {
					if bytes.Contains(raw, []byte(secret)) {
						t.Errorf("an email holds %q", secret)
					}
				}
			}
			for _, to := range []string{"seiu@police.example.org", "gp@surgery.example.org"} {
				msgs := smtp.To(to)
				if len(msgs) != 1 {
					t.Fatalf("%d emails to %s", len(msgs), to)
				}
				noCase(msgs[0].Data)
				subj, text, ev := invite(t, msgs[0], "REQUEST")
				if !strings.HasPrefix(subj, "Invitation: CSE strategy meeting") || !strings.Contains(text, link) || !strings.Contains(text, "Room 2") {
					t.Errorf("invitation %q:\n%s", subj, text)
				}
				if ev["UID"] != m.ID+"@lantern" || ev["SEQUENCE"] != "0" || ev["DTSTART"] != at.UTC().Format("20060102T150405Z") ||
					ev["SUMMARY"] != "CSE strategy meeting" || icsUnescape(ev["LOCATION"]) != "Room 2, Civic Centre" || ev["STATUS"] != "CONFIRMED" ||
					ev["ORGANIZER"] != "mailto:lantern@example.org" || ev["ATTENDEE"] != "mailto:"+to {
					t.Errorf("event %v", ev)
				}
			}
			// Sending again sends nothing: everyone holds the current time.
			sendInvites(0)

			// Moved: an update, sequence 1, to each.
			cur := decode[mtgJSON](t, e.as(sw, "GET", "/api/v1/meetings/"+m.ID, "").body)
			moved := at.Add(24 * time.Hour)
			mtgWant422(t, "moved to end before it starts", e.as(sw, "PATCH", "/api/v1/meetings/"+m.ID,
				`{"version":`+itoa(cur.Version)+`,"starts_at":"`+moved.Format(time.RFC3339)+`","ends_at":"`+at.Format(time.RFC3339)+`"}`), "ends_at")
			r = e.as(sw, "PATCH", "/api/v1/meetings/"+m.ID, `{"version":`+itoa(cur.Version)+`,"starts_at":"`+moved.Format(time.RFC3339)+
				`","ends_at":"`+moved.Add(time.Hour).Format(time.RFC3339)+`"}`)
			if r.status != 200 {
				t.Fatalf("move: %d %s", r.status, r.body)
			}
			if r := e.as(sw, "PATCH", "/api/v1/meetings/"+m.ID, `{"version":`+itoa(cur.Version)+`,"location":"Elsewhere"}`); r.status != http.StatusConflict {
				t.Errorf("a move at a stale version: %d", r.status)
			}
			sendInvites(2)
			msgs := smtp.To("gp@surgery.example.org")
			subj, _, ev := invite(t, msgs[len(msgs)-1], "REQUEST")
			if !strings.HasPrefix(subj, "Updated: ") || ev["SEQUENCE"] != "1" || ev["DTSTART"] != moved.UTC().Format("20060102T150405Z") {
				t.Errorf("update %q %v", subj, ev)
			}

			// The GP taken off the list: a cancellation to them alone.
			cur = decode[mtgJSON](t, e.as(sw, "GET", "/api/v1/meetings/"+m.ID, "").body)
			r = e.as(sw, "PUT", "/api/v1/meetings/"+m.ID+"/invitees", `{"version":`+itoa(cur.Version)+`,"invitees":[{"contact_id":"`+unitID+`"}],`+
				`"young_person":"not-invited","carers":"not-invited","carers_reason":"Implicated"}`)
			mtgWant422(t, "the young person not invited, no reason", r, "young_person_reason")
			r = e.as(sw, "PUT", "/api/v1/meetings/"+m.ID+"/invitees", `{"version":`+itoa(cur.Version)+`,"invitees":[{"contact_id":"`+unitID+`"}],`+
				`"young_person":"invited","carers":"not-invited","carers_reason":"Implicated"}`)
			if r.status != 200 {
				t.Fatalf("set invitees: %d %s", r.status, r.body)
			}
			sendInvites(1)
			msgs = smtp.To("gp@surgery.example.org")
			subj, _, ev = invite(t, msgs[len(msgs)-1], "CANCEL")
			if !strings.HasPrefix(subj, "Cancelled: ") || ev["STATUS"] != "CANCELLED" || ev["UID"] != m.ID+"@lantern" {
				t.Errorf("cancellation %q %v", subj, ev)
			}
			if n := len(smtp.To("seiu@police.example.org")); n != 2 {
				t.Errorf("%d emails to the unit, want 2", n)
			}

			// Held: the outcome with attendance, then the distribution.
			e.clock.Set(moved.Add(2 * time.Hour))
			e.tokens = map[string]string{} // made afresh at the new time
			got := decode[struct {
				Version  int
				Invitees []struct{ ID, Email string }
			}](t, e.as(sw, "GET", "/api/v1/meetings/"+m.ID, "").body)
			var unitInv string
			for _, v := range got.Invitees {
				if v.Email == "seiu@police.example.org" {
					unitInv = v.ID
				}
			}
			out, _ := json.Marshal(map[string]any{"version": got.Version, "held": true, "chair": "Indy Chair", "minutes": "Minutes of the meeting",
				"associates": "Older male known as Jay", "attendance": map[string]string{unitInv: "attended"}, "next_meeting_date": "2027-01-05",
				"decisions": []map[string]any{{"child_id": child.ID, "level": "medium", "rationale": "Pattern", "recommendations": []string{"s47"}}}})
			if r := mtgOutcome(e, sw, m.ID, string(out)); r.status != 200 {
				t.Fatalf("outcome: %d %s", r.status, r.body)
			}
			before := len(smtp.Messages())
			got.Version++
			r = e.as(sw, "POST", "/api/v1/meetings/"+m.ID+"/distribute", `{"version":`+itoa(got.Version)+`}`)
			if r.status != 200 {
				t.Fatalf("distribute: %d %s", r.status, r.body)
			}
			dist := decode[struct{ Sent int }](t, r.body)
			if dist.Sent != 3 {
				t.Errorf("distribution sent %d emails, want 3 (the unit, the coordinator, the IRO manager): %s", dist.Sent, r.body)
			}
			if r := e.as(sw, "POST", "/api/v1/meetings/"+m.ID+"/distribute", `{"version":`+itoa(got.Version)+`}`); r.status != http.StatusConflict {
				t.Errorf("the same distribution twice: %d", r.status)
			}
			sent := smtp.Messages()[before:]
			var tos []string
			for _, msg := range sent {
				noCase(msg.Data)
				tos = append(tos, msg.To...)
				if !strings.Contains(msg.Body(t), link) {
					t.Errorf("a distribution email without the link:\n%s", msg.Body(t))
				}
			}
			slices.Sort(tos)
			if !slices.Equal(tos, []string{"coordinator@csc.example.org", "iro@csc.example.org", "seiu@police.example.org"}) {
				t.Errorf("distributed to %v", tos)
			}
			shares := decode[struct {
				Shares []struct {
					What           string `json:"what"`
					RecipientEmail string `json:"recipient_email"`
					Purpose        string `json:"purpose"`
					SentAt         string `json:"sent_at"`
				}
			}](t, e.as(sw, "GET", "/api/v1/meetings/"+m.ID+"/shares", "").body)
			// The toolkit to the unit with the invitation; after the meeting
			// the minutes to the unit, the toolkit to the coordinator and IRO.
			if len(shares.Shares) != 4 {
				t.Errorf("%d shares: %+v", len(shares.Shares), shares.Shares)
			}
			for _, s := range shares.Shares {
				if s.Purpose == "" || s.SentAt == "" {
					t.Errorf("share %+v", s)
				}
			}

			// The printable pack; not for someone who may not see the meeting.
			r = e.as(sw, "GET", "/api/v1/meetings/"+m.ID+"/pack.pdf", "")
			if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF-")) || r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("pack: %d %s %.20q", r.status, r.header.Get("Content-Type"), r.body)
			}
			if r := e.as(other(f), "GET", "/api/v1/meetings/"+m.ID+"/pack.pdf", ""); r.status != 404 {
				t.Errorf("pack for someone who may not see the meeting: %d", r.status)
			}

			// A cancelled meeting: the cancellation goes to everyone invited,
			// and the reason stays in Lantern.
			m2 := mtgCreate(e, sw, `{"kind":"core-group","child_ids":["`+child.ID+`"],"starts_at":"`+moved.Add(240*time.Hour).Format(time.RFC3339)+
				`","ends_at":"`+moved.Add(241*time.Hour).Format(time.RFC3339)+`","invitees":[{"name":"Dr Gee","email":"gp@surgery.example.org"}]}`)
			m = m2
			sendInvites(1)
			mtgWant422(t, "cancelled without a reason", e.as(sw, "POST", "/api/v1/meetings/"+m2.ID+"/cancel", `{"version":1}`), "reason")
			if r := e.as(sw, "POST", "/api/v1/meetings/"+m2.ID+"/cancel", `{"version":1,"reason":"Zelda has moved away"}`); r.status != 200 {
				t.Fatalf("cancel: %d %s", r.status, r.body)
			}
			sendInvites(1)
			msgs = smtp.To("gp@surgery.example.org")
			noCase(msgs[len(msgs)-1].Data)
			if _, _, ev := invite(t, msgs[len(msgs)-1], "CANCEL"); ev["SEQUENCE"] != "1" || ev["STATUS"] != "CANCELLED" {
				t.Errorf("cancellation %v", ev)
			}
		})
	}
}

// With no mail server, invitations are not sent and say so; the calendar
// file is there to download.
func TestMeetingEmailsOff(t *testing.T) {
	t.Parallel()
	e := startEnv(t, "sqlite", apptest.Options{})
	child := e.createChild(e.f.SocialWorker, "Ava", "Example")
	m := mtgCreate(e, e.f.SocialWorker, mtgBody("cse-strategy", start.Add(48*time.Hour), "Room 1", child.ID))
	r := e.as(e.f.SocialWorker, "POST", "/api/v1/meetings/"+m.ID+"/invitations", "")
	if r.status != 200 || decode[struct{ Email string }](t, r.body).Email != "off" {
		t.Errorf("invitations with email off: %d %s", r.status, r.body)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
