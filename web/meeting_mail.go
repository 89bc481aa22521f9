package web

import (
	"context"
	"net/http"
	"net/mail"

	"lantern"
	"lantern/ical"
	"lantern/notify"
)

// MailResult is what a round of meeting email did.
type MailResult struct {
	// Email is "sent", or "off" when this Lantern has no mail server: the
	// calendar file is there to download and send by hand.
	Email  string `json:"email"`
	Sent   int    `json:"sent"`
	Failed int    `json:"failed"`
}

// calendar is a meeting's calendar file for one invitee (or none): its
// time, place and a link, never a child's name or anything of the case.
func (s *Server) calendar(r *http.Request, m *lantern.Meeting, attendee string, cancel bool) string {
	link := s.link(r, "/meetings/"+m.ID)
	e := ical.Event{UID: m.ID + "@lantern", Sequence: m.Sequence, Start: m.StartsAt, End: m.EndsAt, Stamp: s.stNow(),
		Summary: m.Kind.Label(), Location: m.Location, Description: "Details in Lantern: " + link, URL: link,
		Cancelled: cancel || m.Status == lantern.MeetingCancelled}
	if s.cfg.Mail != nil {
		if from, err := mailAddress(s.cfg.Mail.From); err == nil {
			e.Organizer = from
		}
	}
	if attendee != "" {
		e.Attendees = []string{attendee}
	}
	return ical.Write(e)
}

// sendInvitations emails each invitee what they need to hold the meeting's
// current time and place: an invitation, an update or a cancellation. Each
// send is recorded; a failure is kept to be tried again.
func (s *Server) sendInvitations(ctx context.Context, r *http.Request, id string) (MailResult, error) {
	m, invs, err := s.st.PendingInvitations(ctx, id)
	if err != nil {
		return MailResult{}, err
	}
	if s.cfg.Mail == nil {
		return MailResult{Email: "off"}, nil
	}
	res := MailResult{Email: "sent"}
	mailer, err := notify.NewMailer(*s.cfg.Mail)
	if err != nil {
		return res, err
	}
	defer mailer.Close()
	for _, inv := range invs {
		kind := notify.KindInvitation
		switch {
		case inv.Cancel:
			kind = notify.KindCancellation
		case inv.Invitee.SentSequence >= 0:
			kind = notify.KindUpdate
		}
		msg, err := notify.ComposeInvitation(mailer.From(), inv.Invitee.Email, notify.Invitation{Title: m.Kind.Label(),
			StartsAt: m.StartsAt, EndsAt: m.EndsAt, Location: m.Location, Link: s.link(r, "/meetings/"+m.ID),
			Calendar: s.calendar(r, m, inv.Invitee.Email, inv.Cancel), Kind: kind}, s.stNow())
		if err == nil {
			err = mailer.Send(ctx, inv.Invitee.Email, msg)
		}
		if err != nil {
			res.Failed++
			s.log.Warn("invitation not sent", "meeting", m.ID, "invitee", inv.Invitee.ID, "err", err)
		} else {
			res.Sent++
		}
		// Recorded even if the person has gone from the page: a message sent
		// and not recorded would be sent again by the next press.
		if rerr := s.st.InvitationSent(context.WithoutCancel(ctx), m, inv, err); rerr != nil {
			return res, rerr
		}
	}
	return res, nil
}

// sendDistribution emails each recipient of a distribution a link to what
// was shared with them, and records each send's fate.
func (s *Server) sendDistribution(ctx context.Context, r *http.Request, m *lantern.Meeting, ds []lantern.Distribution) (MailResult, error) {
	if s.cfg.Mail == nil {
		return MailResult{Email: "off"}, nil
	}
	res := MailResult{Email: "sent"}
	mailer, err := notify.NewMailer(*s.cfg.Mail)
	if err != nil {
		return res, err
	}
	defer mailer.Close()
	for _, d := range ds {
		msg, err := notify.ComposeShared(mailer.From(), d.To.Email, notify.SharedNotice{Title: m.Kind.Label(), StartsAt: m.StartsAt,
			What: d.What, Link: s.link(r, "/meetings/"+m.ID)}, s.stNow())
		if err == nil {
			err = mailer.Send(ctx, d.To.Email, msg)
		}
		if err != nil {
			res.Failed++
			s.log.Warn("distribution not sent", "meeting", m.ID, "shares", len(d.ShareIDs), "err", err)
		} else {
			res.Sent++
		}
		if rerr := s.st.SharesSent(context.WithoutCancel(ctx), d.ShareIDs, err); rerr != nil { // as above
			return res, rerr
		}
	}
	return res, nil
}

// mailAddress is the bare address of a From setting such as
// "Lantern <lantern@example.org>".
func mailAddress(from string) (string, error) {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return "", err
	}
	return a.Address, nil
}
