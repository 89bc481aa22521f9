package store

// A child's chronology (docs/api.md#chronology): one query for each source
// the filter wants and the caller may read, merged and ordered in Go
// (lantern.SortChronology). Each summary is written here in words: values
// by their labels, no internal id.

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"lantern"
	"lantern/toolkit"
)

// chronSource is one table's contribution to a chronology: the kinds it
// gives, the resource whose read rule governs them, and its query, whose
// rows scan makes into items ($1 is the child's id).
type chronSource struct {
	kinds []lantern.ChronologyKind
	res   lantern.Resource
	query func(s *Store, ctx context.Context, args *[]any) (string, bool)
	scan  func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error)
}

// plain is a query needing nothing beyond the child's id.
func plain(q string) func(*Store, context.Context, *[]any) (string, bool) {
	return func(*Store, context.Context, *[]any) (string, bool) { return q, true }
}

// chronItem is an item, linked from the child's page base when path is
// given.
func chronItem(at time.Time, k lantern.ChronologyKind, id, summary, link string) lantern.ChronologyItem {
	return lantern.ChronologyItem{At: at.UTC(), Kind: k, ID: id, Summary: summary, Link: link}
}

// keep appends the item when the filter wants its kind.
func keep(out []lantern.ChronologyItem, f lantern.ChronologyFilter, it lantern.ChronologyItem) []lantern.ChronologyItem {
	if f.Wants(it.Kind) {
		out = append(out, it)
	}
	return out
}

// onDay is a date as a chronology's time: the start of the day in the UK.
func onDay(d lantern.Date) time.Time { return d.Time() }

var chronSources = []chronSource{
	{kinds: []lantern.ChronologyKind{lantern.ChronConcern}, res: lantern.ResConcern,
		query: plain(`SELECT k.id, k.raised_at, k.summary, k.disclosure, k.immediate_risk, a.name FROM concerns k
			JOIN agencies a ON a.id = k.agency_id WHERE k.child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id, summary, agency string
			var at time.Time
			var disclosure, risk bool
			if err := r.Scan(&id, timeScan{&at}, &summary, &disclosure, &risk, &agency); err != nil {
				return nil, err
			}
			what := "Concern"
			if disclosure {
				what = "Disclosure"
			}
			s := what + " recorded by " + agency + ": " + lantern.Excerpt(summary, 160)
			if risk {
				s += " (immediate risk)"
			}
			it := chronItem(at, lantern.ChronConcern, id, s, base+"/concerns/"+id)
			it.ByAgency = agency
			return []lantern.ChronologyItem{it}, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronAssessment}, res: lantern.ResAssessment,
		query: plain(`SELECT x.id, x.assessed_on, x.recorded_level, x.suggested_level, a.name FROM assessments x
			JOIN agencies a ON a.id = x.agency_id WHERE x.child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id, recorded, suggested, agency string
			var on lantern.Date
			if err := r.Scan(&id, &on, &recorded, &suggested, &agency); err != nil {
				return nil, err
			}
			s := "Toolkit completed by " + agency + ": " + toolkit.Level(recorded).Label()
			if suggested != recorded {
				s += " (the toolkit suggested " + toolkit.Level(suggested).Label() + ")"
			}
			it := chronItem(onDay(on), lantern.ChronAssessment, id, s, base+"/assessments/"+id)
			it.ByAgency, it.DateOnly = agency, true
			return []lantern.ChronologyItem{it}, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronReferral, lantern.ChronReferralDecision}, res: lantern.ResEvent,
		query: plain(`SELECT id, received_at, method, referrer_name, referrer_agency, decision, decided_at FROM referrals WHERE child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id, name, agency string
			var method lantern.ReferralMethod
			var decision lantern.ReferralDecision
			var at time.Time
			var decided *time.Time
			if err := r.Scan(&id, timeScan{&at}, &method, &name, &agency, &decision, ntimeScan{&decided}); err != nil {
				return nil, err
			}
			who := name
			if agency != "" {
				who += ", " + agency
			}
			link := base + "/referrals/" + id
			out := keep(nil, f, chronItem(at, lantern.ChronReferral, id, "Referral to children's social care from "+who+" ("+method.Label()+")", link))
			if decided != nil && decision != "" {
				out = keep(out, f, chronItem(*decided, lantern.ChronReferralDecision, id, "Referral decision: "+decision.Label(), link))
			}
			return out, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronStrategyDiscussion}, res: lantern.ResEvent,
		query: plain(`SELECT id, held_at, decision FROM strategy_discussions WHERE child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id string
			var d lantern.DiscussionDecision
			var at time.Time
			if err := r.Scan(&id, timeScan{&at}, &d); err != nil {
				return nil, err
			}
			return []lantern.ChronologyItem{chronItem(at, lantern.ChronStrategyDiscussion, id, "Strategy discussion: "+d.Label(), base+"/strategy-discussions/"+id)}, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronS47Enquiry, lantern.ChronS47Outcome}, res: lantern.ResEvent,
		query: plain(`SELECT id, started_at, completed_at, outcome FROM s47_enquiries WHERE child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id string
			var o lantern.S47Outcome
			var at time.Time
			var done *time.Time
			if err := r.Scan(&id, timeScan{&at}, ntimeScan{&done}, &o); err != nil {
				return nil, err
			}
			link := base + "/s47-enquiries/" + id
			out := keep(nil, f, chronItem(at, lantern.ChronS47Enquiry, id, "Section 47 enquiry started", link))
			if done != nil {
				out = keep(out, f, chronItem(*done, lantern.ChronS47Outcome, id, "Section 47 enquiry completed: "+o.Label(), link))
			}
			return out, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronConference}, res: lantern.ResEvent,
		query: plain(`SELECT id, held_at, kind, outcome FROM conferences WHERE child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id string
			var k lantern.ConferenceKind
			var o lantern.ConferenceOutcome
			var at time.Time
			if err := r.Scan(&id, timeScan{&at}, &k, &o); err != nil {
				return nil, err
			}
			return []lantern.ChronologyItem{chronItem(at, lantern.ChronConference, id, k.Label()+": "+o.Label(), base+"/conferences/"+id)}, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronPlanStart, lantern.ChronPlanEnd}, res: lantern.ResEvent,
		// A plan starts and ends at the conference that started or ended it.
		query: plain(`SELECT p.id, p.started_on, p.started_by, ks.held_at, p.ended_on, p.ended_by, ke.held_at, p.end_reason FROM protection_plans p
			LEFT JOIN conferences ks ON ks.id = p.started_by LEFT JOIN conferences ke ON ke.id = p.ended_by WHERE p.child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id, startedBy, endedBy string
			var started, ended lantern.Date
			var startedAt, endedAt *time.Time
			var why lantern.PlanEndReason
			if err := r.Scan(&id, &started, &startedBy, ntimeScan{&startedAt}, &ended, &endedBy, ntimeScan{&endedAt}, &why); err != nil {
				return nil, err
			}
			start := chronItem(onDay(started), lantern.ChronPlanStart, id, "Child protection plan started", base+"/conferences/"+startedBy)
			if startedAt != nil {
				start.At = startedAt.UTC()
			} else {
				start.DateOnly = true
			}
			out := keep(nil, f, start)
			if !ended.IsZero() {
				s := "Child protection plan ended"
				if why != "" {
					s += ": " + why.Label()
				}
				end := chronItem(onDay(ended), lantern.ChronPlanEnd, id, s, "")
				if endedBy != "" {
					end.Link = base + "/conferences/" + endedBy
				}
				if endedAt != nil {
					end.At = endedAt.UTC()
				} else {
					end.DateOnly = true
				}
				out = keep(out, f, end)
			}
			return out, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronCoreGroup}, res: lantern.ResEvent,
		query: plain(`SELECT id, held_at FROM core_groups WHERE child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id string
			var at time.Time
			if err := r.Scan(&id, timeScan{&at}); err != nil {
				return nil, err
			}
			return []lantern.ChronologyItem{chronItem(at, lantern.ChronCoreGroup, id, "Core group meeting held", base+"/core-groups/"+id)}, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronSocialWorkAssessment}, res: lantern.ResEvent,
		query: plain(`SELECT id, started_at, kind, completed_at FROM sw_assessments WHERE child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id string
			var k lantern.SWAssessmentKind
			var at time.Time
			var done *time.Time
			if err := r.Scan(&id, timeScan{&at}, &k, ntimeScan{&done}); err != nil {
				return nil, err
			}
			s := k.Label() + " started: not yet completed"
			if done != nil {
				s = k.Label() + " started: completed " + done.In(lantern.London).Format("2 January 2006")
			}
			return []lantern.ChronologyItem{chronItem(at, lantern.ChronSocialWorkAssessment, id, s, base+"/social-work-assessments/"+id)}, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronMissingEpisode, lantern.ChronReturn}, res: lantern.ResEpisode,
		query: plain(`SELECT id, kind, missing_from, returned_at, looked_after FROM missing_episodes WHERE child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id, kind string
			var from time.Time
			var back *time.Time
			var la bool
			if err := r.Scan(&id, &kind, timeScan{&from}, ntimeScan{&back}, &la); err != nil {
				return nil, err
			}
			link := base + "/missing-episodes/" + id
			s := "Reported missing"
			if kind == "absent" {
				s = "Absent: not where they were expected to be"
			}
			if la {
				s += ", from a placement while looked after"
			}
			out := keep(nil, f, chronItem(from, lantern.ChronMissingEpisode, id, s, link))
			if back != nil {
				out = keep(out, f, chronItem(*back, lantern.ChronReturn, id, "Returned after "+lantern.Span(back.Sub(from)), link))
			}
			return out, nil
		}},
	// What the child said (lantern.ResReturnAccount) is never part of a
	// summary: only whether the interview was held, by whom, and what
	// followed.
	{kinds: []lantern.ChronologyKind{lantern.ChronReturnInterview}, res: lantern.ResEpisode,
		query: plain(`SELECT ri.episode_id, ri.offered_at, ri.held_at, ri.held_by, ri.follow_up, ri.not_held_reason, ri.created_at
			FROM return_interviews ri WHERE ri.child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id, heldBy, follow, notHeld string
			var offered, held *time.Time
			var created time.Time
			if err := r.Scan(&id, ntimeScan{&offered}, ntimeScan{&held}, &heldBy, &follow, &notHeld, timeScan{&created}); err != nil {
				return nil, err
			}
			var ups []string
			if err := json.Unmarshal([]byte(follow), &ups); err != nil {
				return nil, err
			}
			at, s := created, "Return interview offered"
			switch {
			case held != nil:
				at, s = *held, "Return interview held"
				if heldBy != "" {
					s += " by " + heldBy
				}
			case notHeld != "":
				s = "Return interview not held: " + lantern.NotHeldLabel(notHeld)
				if offered != nil {
					at = *offered
				}
			case offered != nil:
				at = *offered
			}
			if len(ups) > 0 {
				words := make([]string, len(ups))
				for i, u := range ups {
					words[i] = lantern.FollowUpLabel(u)
				}
				s += ". Follow-up: " + strings.Join(words, "; ")
			}
			return []lantern.ChronologyItem{chronItem(at, lantern.ChronReturnInterview, id, s, base+"/missing-episodes/"+id)}, nil
		}},
	// Meetings about the child the caller may see (one about other
	// children too only when they may see every one), and the decision each
	// recorded for this child.
	{kinds: []lantern.ChronologyKind{lantern.ChronMeeting}, res: lantern.ResMeeting,
		query: func(s *Store, ctx context.Context, args *[]any) (string, bool) {
			cond, ok := s.meetingVisible(ctx, args, "m.id")
			return `SELECT m.id, m.starts_at, m.kind, m.status, a.name FROM meeting_children mc JOIN meetings m ON m.id = mc.meeting_id
				JOIN agencies a ON a.id = m.agency_id WHERE mc.child_id = $1 AND ` + cond, ok
		},
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id, agency string
			var k lantern.MeetingKind
			var st lantern.MeetingStatus
			var at time.Time
			if err := r.Scan(&id, timeScan{&at}, &k, &st, &agency); err != nil {
				return nil, err
			}
			s := k.Label() + " arranged by " + agency
			switch st {
			case lantern.MeetingHeld:
				s = k.Label() + " held, arranged by " + agency
			case lantern.MeetingNotHeld:
				s = k.Label() + " did not take place"
			case lantern.MeetingCancelled:
				s = k.Label() + " cancelled"
			}
			it := chronItem(at, lantern.ChronMeeting, id, s, "/meetings/"+id)
			it.ByAgency = agency
			return []lantern.ChronologyItem{it}, nil
		}},
	{kinds: []lantern.ChronologyKind{lantern.ChronMeetingDecision}, res: lantern.ResMeeting,
		query: func(s *Store, ctx context.Context, args *[]any) (string, bool) {
			cond, ok := s.meetingVisible(ctx, args, "m.id")
			return `SELECT m.id, m.ends_at, m.kind, d.level, d.recommendations FROM meeting_decisions d JOIN meetings m ON m.id = d.meeting_id
				WHERE d.child_id = $1 AND ` + cond, ok
		},
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id, level, recs string
			var k lantern.MeetingKind
			var at time.Time
			if err := r.Scan(&id, timeScan{&at}, &k, &level, &recs); err != nil {
				return nil, err
			}
			var rs []string
			if err := json.Unmarshal([]byte(recs), &rs); err != nil {
				return nil, err
			}
			s := k.Label() + " decided: " + toolkit.Level(level).Label()
			if len(rs) > 0 {
				words := make([]string, len(rs))
				for i, x := range rs {
					words[i] = lantern.RecommendationLabel(x)
				}
				s += ". Recommended: " + strings.Join(words, "; ")
			}
			return []lantern.ChronologyItem{chronItem(at, lantern.ChronMeetingDecision, id, s, "/meetings/"+id)}, nil
		}},
	// What was shared about the child, and with whom: part of the child's
	// record (read as the record is).
	{kinds: []lantern.ChronologyKind{lantern.ChronShare}, res: lantern.ResChild,
		query: plain(`SELECT s.id, s.shared_at, s.what, s.recipient_name, s.recipient_agency, s.purpose, COALESCE(m.kind, '')
			FROM information_shares s LEFT JOIN meetings m ON m.id = s.meeting_id WHERE s.child_id = $1`),
		scan: func(r scanner, base string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
			var id, what, name, agency, purpose string
			var k lantern.MeetingKind
			var at time.Time
			if err := r.Scan(&id, timeScan{&at}, &what, &name, &agency, &purpose, &k); err != nil {
				return nil, err
			}
			s := lantern.ShareWhatLabel(what, k) + " shared with " + name
			if agency != "" {
				s += ", " + agency
			}
			if purpose != "" {
				s += ". Purpose: " + lantern.Excerpt(purpose, 160)
			}
			return []lantern.ChronologyItem{chronItem(at, lantern.ChronShare, id, s, "")}, nil
		}},
}

// Chronology reads a child's chronology, newest first: the items of the
// kinds f keeps (all when empty) that the caller may read. A child they may
// not see is not found. The read is audited once.
func (s *Store) Chronology(ctx context.Context, childID string, f lantern.ChronologyFilter) ([]lantern.ChronologyItem, error) {
	for _, k := range f {
		if !k.Valid() {
			return nil, lantern.Invalid(lantern.FieldError{Field: "kind", Message: "Unknown kind: use one or more of " + lantern.OneOf(lantern.ChronologyKinds)})
		}
	}
	child, err := s.findChild(ctx, s.db, childID, false)
	if err != nil {
		return nil, err
	}
	u := lantern.UserFromContext(ctx)
	rel := lantern.ChildRelation(u, child.AgencyIDs)
	base := "/children/" + child.ID
	out := []lantern.ChronologyItem{}
	for _, src := range chronSources {
		if !f.WantsAny(src.kinds...) || !lantern.Allowed(u, src.res, lantern.ActRead, rel) {
			continue
		}
		args := []any{child.ID}
		q, ok := src.query(s, ctx, &args)
		if !ok {
			continue
		}
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, internal("chronology", err)
		}
		for rows.Next() {
			items, err := src.scan(rows, base, f)
			if err != nil {
				rows.Close()
				return nil, internal("chronology", err)
			}
			out = append(out, items...)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal("chronology", err)
		}
	}
	lantern.SortChronology(out)
	detail := ""
	if len(f) > 0 {
		ks := make([]string, len(f))
		for i, k := range f {
			ks[i] = string(k)
		}
		detail = "kind=" + strings.Join(ks, ",")
	}
	return out, s.audited(ctx, auditEntry{Action: "child.chronology.read", Entity: "child", EntityID: child.ID, ChildID: child.ID, Detail: detail})
}
