package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"lantern"
	"lantern/match"
)

// Bulk import of a generated population (lantern demo generate --scale
// county|national): children with their concerns, toolkit assessments,
// referrals, strategy discussions and s47 enquiries, conferences and
// plans, missing episodes and return interviews, and CSE strategy
// meetings, a batch a transaction, in multi-row INSERTs (insertRows), for
// the operator at the command line. A million children through
// CreateChildren, a transaction and a duplicate search each, took hours;
// the figures' benchmarks need them in minutes. The rows are what the
// per-record paths write, less what a generated history has no use for:
// no open clocks (tasks), no involvements (the generated coordinator and
// the area's analysts see every child), no duplicate search (generated
// names are drawn to be distinct), and one audit entry per batch.

// PopChild is a generated child and their records, each dated.
type PopChild struct {
	GivenName, FamilyName string
	DateOfBirth           lantern.Date
	Gender, Ethnicity     string
	// Disability is sealed at rest as a child's record's is.
	Disability                                           string
	LearningDisability, LookedAfter, Unaccompanied, Open bool
	PlacingAuthority, AreaCode                           string
	Concerns                                             []PopConcern
	Assessments                                          []PopAssessment
	Referrals                                            []PopReferral
	Discussions                                          []PopDiscussion
	Conferences                                          []PopConference
	Missing                                              []PopMissing
	Meetings                                             []PopMeeting
}

// PopConcern is a CSE concern raised, and the step of the pathway it
// reached (lantern.ConcernStep).
type PopConcern struct {
	RaisedAt time.Time
	Summary  string
	Step     lantern.ConcernStep
	StepAt   time.Time
}

// PopAssessment is a toolkit assessment; Concern indexes the child's
// concerns, or is -1.
type PopAssessment struct {
	On                  lantern.Date
	Concern             int
	Suggested, Recorded string
	Indicators          []string
	Rationale           string
}

// PopReferral is a referral to children's social care from a concern
// (Concern indexes the child's concerns), and its decision.
type PopReferral struct {
	ReceivedAt time.Time
	Concern    int
	Method     lantern.ReferralMethod
	Decision   lantern.ReferralDecision
	DecidedAt  time.Time
}

// PopDiscussion is a strategy discussion; with S47 set it decided on
// enquiries, which began the same day.
type PopDiscussion struct {
	HeldAt time.Time
	S47    *PopS47
}

// PopS47 is a section 47 enquiry.
type PopS47 struct {
	StartedAt   time.Time
	CompletedAt time.Time
	Outcome     lantern.S47Outcome
}

// PopConference is a child protection conference and its outcome; with
// StartsPlan it started a protection plan, which PlanEnd (zero: open) and
// EndReason end.
type PopConference struct {
	Kind       lantern.ConferenceKind
	HeldAt     time.Time
	Outcome    lantern.ConferenceOutcome
	StartsPlan bool
	PlanEnd    lantern.Date
	EndReason  lantern.PlanEndReason
}

// PopMissing is a missing or absent episode and its return interview:
// offered (OfferedAt), held (HeldAt) or not (NotHeld says why).
type PopMissing struct {
	Kind              string
	From, Returned    time.Time
	LookedAfter       bool
	Interview         bool
	OfferedAt, HeldAt time.Time
	NotHeld           string
}

// PopMeeting is a CSE strategy meeting held about the child, and the
// level it decided.
type PopMeeting struct {
	StartsAt time.Time
	Level    string
}

// PopBatch is a batch of generated children, recorded as made by the
// coordinator AsUser of AsAgency.
type PopBatch struct {
	Children         []PopChild
	AsUser, AsAgency string
	Toolkit          string
}

// ImportPopulation imports a batch in one transaction, as the operator,
// and gives the children's ids in the batch's order. Each child is checked
// as one made through the API would be.
func (s *Store) ImportPopulation(ctx context.Context, b *PopBatch) ([]string, error) {
	if !lantern.IsSystem(ctx) {
		return nil, lantern.Errorf(lantern.EFORBIDDEN, "Only the operator imports a generated population")
	}
	ts := s.d.ts
	nts := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return s.d.ts(t)
	}
	by, agency := b.AsUser, b.AsAgency
	ids := make([]string, len(b.Children))
	jsonOf := map[string][2]string{}
	var children, concerns, steps, assess, referrals, discussions, s47s, confs, plans, missing, returns, meetings, mchildren, decisions [][]any
	for i, c := range b.Children {
		in := lantern.ChildInput{GivenName: c.GivenName, FamilyName: c.FamilyName, DateOfBirth: c.DateOfBirth, Gender: c.Gender,
			ChildDetails: lantern.ChildDetails{Ethnicity: c.Ethnicity, Disability: c.Disability, LearningDisability: c.LearningDisability,
				LookedAfter: c.LookedAfter, PlacingAuthority: c.PlacingAuthority, Unaccompanied: c.Unaccompanied, OpenCase: c.Open}}
		created := c.DateOfBirth.Time()
		if len(c.Concerns) > 0 {
			created = c.Concerns[0].RaisedAt
		}
		// Checked as of when the record was made: a child first known ten
		// years ago may be over 25 today, which a new record may not be.
		in.Normalise()
		if created.After(s.now()) {
			return nil, lantern.Invalid(lantern.FieldError{Field: "children[" + itoa(i) + "].concerns", Message: "A concern is dated in the future"})
		}
		if err := in.Validate(lantern.DateOf(created)); err != nil {
			return nil, err
		}
		id := newID()
		ids[i] = id
		dis, err := s.seal(ctx, "children", "disability", id, in.Disability)
		if err != nil {
			return nil, err
		}
		// The latest level is the latest assessment's, as setLatestLevel
		// keeps it.
		level, levelOn := "", any(nil)
		for _, a := range c.Assessments {
			if lv, ok := levelOn.(lantern.Date); !ok || !a.On.Before(lv) {
				level, levelOn = a.Recorded, a.On
			}
		}
		children = append(children, []any{id, in.GivenName, in.FamilyName, in.DateOfBirth, in.Gender, 1, ts(created), by, ts(created), by,
			false, in.Ethnicity, "", false, dis, in.LearningDisability, in.LookedAfter, in.PlacingAuthority, in.OpenCase, "",
			nameKey(in.GivenName, true), nameKey(in.FamilyName, false), match.Normalise(in.GivenName), match.Normalise(in.FamilyName),
			in.Unaccompanied, c.AreaCode, level, levelOn, max(lantern.ChildLevelRank(level), 0)})
		concernIDs := make([]string, len(c.Concerns))
		for j, k := range c.Concerns {
			kid := newID()
			concernIDs[j] = kid
			concerns = append(concerns, []any{kid, id, by, agency, ts(k.RaisedAt), k.Summary, false, "", false, "", string(k.Step), 1,
				ts(k.RaisedAt), ts(k.StepAt)})
			steps = append(steps, []any{newID(), kid, string(lantern.StepRecorded), by, ts(k.RaisedAt), ""})
			if k.Step != lantern.StepRecorded {
				steps = append(steps, []any{newID(), kid, string(k.Step), by, ts(k.StepAt), ""})
			}
		}
		concern := func(j int) any {
			if j < 0 || j >= len(concernIDs) {
				return nil
			}
			return concernIDs[j]
		}
		for _, a := range c.Assessments {
			// Generated answers repeat: each JSON is made once a batch.
			age := lantern.AgeOn(c.DateOfBirth, a.On)
			key := fmt.Sprint(a.Indicators, c.LearningDisability, a.Suggested, age)
			js, ok := jsonOf[key]
			if !ok {
				ans, _ := json.Marshal(answers{Indicators: a.Indicators, Evidence: map[string]string{}, LearningDisability: c.LearningDisability})
				sug, _ := json.Marshal(map[string]any{"toolkit": b.Toolkit, "level": a.Suggested, "nwg_category": nil, "rules": []any{}, "flags": []any{},
					"next_steps": []string{}, "age": age, "indicators": a.Indicators})
				js = [2]string{string(ans), string(sug)}
				jsonOf[key] = js
			}
			ans, sug := js[0], js[1]
			at := a.On.Time().Add(10 * time.Hour)
			assess = append(assess, []any{newID(), id, concern(a.Concern), b.Toolkit, a.On, ans, "Generated assessment (fictional).", sug,
				a.Suggested, a.Recorded, a.Rationale, by, agency, ts(at)})
		}
		for _, r := range c.Referrals {
			reason := ""
			if r.Decision.NeedsReason() {
				reason = "Generated: no further action needed (fictional)."
			}
			var decidedBy any
			if !r.DecidedAt.IsZero() {
				decidedBy = by
			}
			referrals = append(referrals, []any{newID(), id, ts(r.ReceivedAt), string(r.Method), "Generated referrer", "Generated agency (fictional)",
				string(r.Decision), nts(r.DecidedAt), nts(r.DecidedAt), 1, by, ts(r.ReceivedAt), concern(r.Concern), string(lantern.SourceConcern), reason,
				decidedBy, ts(r.ReceivedAt.Add(24 * time.Hour))})
		}
		for _, d := range c.Discussions {
			did := newID()
			dec := lantern.DiscussionNoS47
			if d.S47 != nil {
				dec = lantern.DiscussionS47
			}
			discussions = append(discussions, []any{did, id, ts(d.HeldAt), string(dec), "[]", "", by, ts(d.HeldAt)})
			if e := d.S47; e != nil {
				s47s = append(s47s, []any{newID(), id, did, ts(e.StartedAt), nts(e.CompletedAt), string(e.Outcome), by, ts(e.StartedAt)})
			}
		}
		for _, k := range c.Conferences {
			cid := newID()
			confs = append(confs, []any{cid, id, string(k.Kind), ts(k.HeldAt), string(k.Outcome), false, by, ts(k.HeldAt)})
			if k.StartsPlan {
				var end any
				endBy := ""
				if !k.PlanEnd.IsZero() {
					end, endBy = k.PlanEnd, "generated"
				}
				plans = append(plans, []any{newID(), id, lantern.Today(k.HeldAt), end, cid, endBy, string(k.EndReason)})
			}
		}
		for _, m := range c.Missing {
			eid := newID()
			missing = append(missing, []any{eid, id, m.Kind, ts(m.From), "Generated carer (fictional)", ts(m.From.Add(2 * time.Hour)), nts(m.Returned),
				m.LookedAfter, 1, by, ts(m.From)})
			if m.Interview {
				returns = append(returns, []any{newID(), eid, id, nts(m.OfferedAt), nts(m.HeldAt), map[bool]string{true: "Generated worker"}[!m.HeldAt.IsZero()],
					m.NotHeld, by, ts(m.OfferedAt)})
			}
		}
		for _, m := range c.Meetings {
			mid := newID()
			meetings = append(meetings, []any{mid, string(lantern.MeetingCSEStrategy), ts(m.StartsAt), ts(m.StartsAt.Add(90 * time.Minute)), "Generated venue (fictional)",
				string(lantern.MeetingHeld), true, "Generated chair", 1, by, agency, ts(m.StartsAt.Add(-14 * 24 * time.Hour)), ts(m.StartsAt.Add(2 * time.Hour))})
			mchildren = append(mchildren, []any{mid, id})
			decisions = append(decisions, []any{mid, id, m.Level, "Generated decision (fictional).", "[]"})
		}
	}
	err := s.write(ctx, func(tx *tx) error {
		if err := s.bulkCache(ctx, tx); err != nil {
			return err
		}
		for _, step := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"children", []string{"id", "given_name", "family_name", "date_of_birth", "gender", "version", "created_at", "created_by", "updated_at", "updated_by",
				"dob_estimated", "ethnicity", "first_language", "interpreter_needed", "disability", "learning_disability", "looked_after", "placing_authority",
				"open_case", "lead_professional", "given_key", "family_key", "given_norm", "family_norm", "unaccompanied", "area_code",
				"latest_level", "latest_level_on", "latest_level_rank"}, children},
			{"concerns", []string{"id", "child_id", "raised_by", "agency_id", "raised_at", "summary", "disclosure", "disclosure_words", "immediate_risk",
				"immediate_action", "step", "version", "created_at", "updated_at"}, concerns},
			{"concern_steps", []string{"id", "concern_id", "step", "user_id", "at", "note"}, steps},
			{"assessments", []string{"id", "child_id", "concern_id", "toolkit_id", "assessed_on", "answers", "analysis", "suggested", "suggested_level",
				"recorded_level", "override_rationale", "created_by", "agency_id", "created_at"}, assess},
			{"referrals", []string{"id", "child_id", "received_at", "method", "referrer_name", "referrer_agency", "decision", "decided_at", "feedback_at",
				"version", "created_by", "created_at", "concern_id", "source", "decision_reason", "decided_by", "decision_due_at"}, referrals},
			{"strategy_discussions", []string{"id", "child_id", "held_at", "decision", "participants", "notes", "created_by", "created_at"}, discussions},
			{"s47_enquiries", []string{"id", "child_id", "strategy_discussion_id", "started_at", "completed_at", "outcome", "created_by", "created_at"}, s47s},
			{"conferences", []string{"id", "child_id", "kind", "held_at", "outcome", "flagged", "created_by", "created_at"}, confs},
			{"protection_plans", []string{"id", "child_id", "started_on", "ended_on", "started_by", "ended_by", "end_reason"}, plans},
			{"missing_episodes", []string{"id", "child_id", "kind", "missing_from", "reported_by", "reported_at", "returned_at", "looked_after", "version",
				"created_by", "created_at"}, missing},
			{"return_interviews", []string{"id", "episode_id", "child_id", "offered_at", "held_at", "held_by", "not_held_reason", "created_by", "created_at"}, returns},
			{"meetings", []string{"id", "kind", "starts_at", "ends_at", "location", "status", "held", "chair", "version", "created_by", "agency_id",
				"created_at", "outcome_at"}, meetings},
			{"meeting_children", []string{"meeting_id", "child_id"}, mchildren},
			{"meeting_decisions", []string{"meeting_id", "child_id", "level", "rationale", "recommendations"}, decisions},
		} {
			if err := s.insertRows(ctx, tx, step.table, step.cols, step.rows, ""); err != nil {
				return err
			}
		}
		tx.audit(auditEntry{Action: "population.import", Entity: "child", Detail: fmt.Sprintf(
			"%d children, %d concerns, %d assessments, %d referrals, %d strategy discussions, %d conferences, %d missing episodes, %d meetings (generated)",
			len(children), len(concerns), len(assess), len(referrals), len(discussions), len(confs), len(missing), len(meetings))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
