package web

import (
	"bytes"
	"net/http"
	"strings"

	"lantern"
	"lantern/pack"
)

// agenda is the running order of a meeting of a kind. A CSE strategy
// meeting follows the pathway: what is known, the toolkit, associates and
// offenders, the level, the recommendations and the plan.
func agenda(kind lantern.MeetingKind) []string {
	common := []string{"Introductions, apologies and confidentiality"}
	switch kind {
	case lantern.MeetingCSEStrategy, lantern.MeetingStrategyDiscussion:
		return append(common, "Information from each agency", "The CSE toolkit: indicators and analysis",
			"What is known of associates and suspected offenders", "The level of risk: emerging, medium or high",
			"Recommendations (s47 enquiries, child protection conference, early help)", "Actions, owners and dates", "Date of the next meeting")
	case lantern.MeetingContextConference:
		return append(common, "The place or group and what is known of it", "Children connected with it",
			"Associates and suspected offenders", "Disruption and safety plan", "Actions, owners and dates", "Date of the next meeting")
	}
	return append(common, "Reports from each agency", "Progress of the plan and outstanding actions", "Decisions and recommendations",
		"Actions, owners and dates", "Date of the next meeting")
}

func levelWord(l string) string {
	if l == "" {
		return ""
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

func (s *Server) meetingPack(r *http.Request, id string) ([]byte, error) {
	mp, err := s.st.FindMeetingPack(r.Context(), id)
	if err != nil {
		return nil, err
	}
	m := mp.Meeting
	today := lantern.Today(s.stNow())
	p := pack.Pack{Title: m.Kind.Label(), StartsAt: m.StartsAt, EndsAt: m.EndsAt, Location: m.Location, Chair: m.Chair,
		Generated: s.stNow(), Agenda: agenda(m.Kind), Marking: packMarking(s.cfg.Demo)}
	for _, c := range mp.Children {
		pc := pack.Child{Name: c.Child.GivenName + " " + c.Child.FamilyName, DateOfBirth: c.Child.DateOfBirth.Format(), Level: levelWord(c.Level)}
		if !c.LevelOn.IsZero() {
			from := "toolkit"
			if c.LevelFrom == "meeting" {
				from = "strategy meeting"
			}
			pc.LevelDate = c.LevelOn.Format() + " (" + from + ")"
		}
		for _, cn := range c.Concerns {
			pc.Concerns = append(pc.Concerns, pack.Concern{Date: lantern.DateOf(cn.RaisedAt.In(lantern.London)).Format(), Agency: cn.AgencyName, Summary: cn.Summary})
		}
		p.Children = append(p.Children, pc)
	}
	for _, a := range mp.Actions {
		late := a.DueDate.Before(today)
		status := "Open"
		p.Actions = append(p.Actions, pack.Action{Description: a.Description, Owner: a.OwnerName, Agency: a.AgencyName, Due: a.DueDate.Format(),
			Status: status, Late: late})
	}
	for _, v := range m.Invitees {
		if v.Removed {
			continue
		}
		resp := "Invited"
		if v.Attendance != "" {
			resp = v.Attendance.Label()
		} else if v.SentSequence < 0 {
			resp = "Not yet sent"
		}
		p.Invitees = append(p.Invitees, pack.Invitee{Name: v.Name, Agency: v.Agency, Role: roleWords(v.Role), Response: resp})
	}
	var b bytes.Buffer
	if err := pack.Write(&b, p); err != nil {
		return nil, lantern.Internal(err)
	}
	return b.Bytes(), nil
}

// roleWords names an invitee's role: a pathway role in words, else as given.
func roleWords(r string) string {
	if pr := lantern.PathwayRole(r); pr.Valid() {
		return pr.Label()
	}
	return r
}

func (s *Server) apiMeetingPack(w http.ResponseWriter, r *http.Request) {
	b, err := s.meetingPack(r, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writePDF(w, b)
}

// writePDF sends a pack to print or save; never cached, as it holds case
// details.
func writePDF(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="meeting-pack.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// packMarking is the protective marking on every page of a pack; a
// demonstration's packs say, as its pages do, that what they hold is made up.
func packMarking(demo bool) string {
	if demo {
		return "OFFICIAL-SENSITIVE - DEMONSTRATION DATA: FICTIONAL"
	}
	return "OFFICIAL-SENSITIVE"
}
