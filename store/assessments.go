package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"lantern"
	"lantern/toolkit"
)

// answers is how an assessment's answers are kept, as JSON.
type answers struct {
	Indicators         []string          `json:"indicators"`
	Evidence           map[string]string `json:"evidence"`
	Disclosure         bool              `json:"disclosure"`
	ImmediateRisk      bool              `json:"immediate_risk"`
	OpenCase           bool              `json:"open_case"`
	PoliceIntelligence bool              `json:"police_intelligence"`
	LearningDisability bool              `json:"learning_disability"`
	PartnerAgeGapYears *float64          `json:"partner_age_gap_years"`
	MissingEpisodes90d int               `json:"missing_episodes_90d"`
}

// missingEpisodes90d counts, from the record, the child's missing episodes
// that began in the 90 days before a date, or on the date itself (an episode
// that morning is before the assessment too): for an assessment on 22
// November, those from 24 August to 22 November, London time.
func (s *Store) missingEpisodes90d(ctx context.Context, q querier, childID string, on lantern.Date) (int, error) {
	from := time.Date(on.Year, on.Month, on.Day-90, 0, 0, 0, 0, lantern.London)
	until := time.Date(on.Year, on.Month, on.Day+1, 0, 0, 0, 0, lantern.London)
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM missing_episodes WHERE child_id = $1 AND kind = 'missing' AND missing_from >= $2 AND missing_from < $3`,
		childID, s.d.ts(from), s.d.ts(until)).Scan(&n)
	return n, internal("missing episodes", err)
}

// CreateAssessment keeps a completed toolkit on a child's record. The date
// of birth, open case and missing episodes come from the record. A level of
// vulnerable or emerging sets a reassessment task; any open one is done.
func (s *Store) CreateAssessment(ctx context.Context, childID, toolkitID string, in toolkit.AssessmentInput) (*toolkit.Assessment, error) {
	u := lantern.UserFromContext(ctx)
	def, err := s.Toolkit(ctx, toolkitID)
	if err != nil {
		return nil, err
	}
	// Problems with the decisions are named with the rest of the form's.
	promptErr := s.checkPromptDecisions(ctx, childID, in.Prompts, in.Answers.Indicators)
	if lantern.ErrorCode(promptErr) != lantern.EINVALID && promptErr != nil {
		return nil, promptErr
	}
	now := s.now()
	var a *toolkit.Assessment
	err = s.write(ctx, func(tx *tx) error {
		child, err := s.findChild(ctx, tx, childID, true)
		if err != nil {
			return err
		}
		if err := mayChild(ctx, child, lantern.ResAssessment, lantern.ActCreate); err != nil {
			return err
		}
		if child.MergedInto != "" {
			return lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: assess the child there")
		}
		if in.Answers.AssessedOn.IsZero() {
			in.Answers.AssessedOn = lantern.Today(now)
		}
		missing, err := s.missingEpisodes90d(ctx, tx, childID, in.Answers.AssessedOn)
		if err != nil {
			return err
		}
		in.Answers.FillFromRecord(toolkit.Record{DateOfBirth: child.DateOfBirth, OpenCase: child.OpenCase,
			LearningDisability: child.LearningDisability, MissingEpisodes90d: missing})
		if a, err = def.Assess(in, lantern.Today(now)); err != nil {
			if promptErr != nil && lantern.ErrorCode(err) == lantern.EINVALID {
				return lantern.Invalid(append(lantern.ErrorFields(err), lantern.ErrorFields(promptErr)...)...)
			}
			return err
		}
		if promptErr != nil {
			return promptErr
		}
		a.ID, a.ChildID, a.CreatedBy, a.CreatedByName, a.AgencyID = newID(), childID, u.ID, u.Name, u.AgencyID
		a.CreatedAt = now.UTC().Truncate(time.Microsecond)
		ans, _ := json.Marshal(answers{a.Indicators, a.Evidence, a.Disclosure, a.ImmediateRisk, a.OpenCase, a.PoliceIntelligence,
			a.LearningDisability, a.PartnerAgeGapYears, a.MissingEpisodes90d})
		sug, _ := json.Marshal(a.Suggested)
		var concern any
		if a.ConcernID != "" {
			concern = a.ConcernID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO assessments (id, child_id, concern_id, toolkit_id, assessed_on, answers, analysis, suggested,
			suggested_level, recorded_level, override_rationale, created_by, agency_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			a.ID, childID, concern, a.Toolkit, a.AssessedOn, string(ans), a.Analysis, string(sug), string(a.Suggested.Level),
			string(a.RecordedLevel), a.OverrideRationale, u.ID, u.AgencyID, s.d.ts(now)); err != nil {
			if a.ConcernID != "" {
				return lantern.Invalid(lantern.FieldError{Field: "concern_id", Message: "The concern is not one of this child's"})
			}
			return internal("insert assessment", err)
		}
		// What was decided about the suggestions from intelligence.
		for _, d := range in.Prompts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assessment_intel_prompts (assessment_id, indicator, link_id, decision, reason, decided_by, decided_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, d.Indicator, d.LinkID, d.Decision, d.Reason, u.ID, s.d.ts(now)); err != nil {
				return internal("assessment prompt", err)
			}
			tx.audit(auditEntry{Action: "assessment.prompt." + d.Decision, Entity: "assessment", EntityID: a.ID, ChildID: childID,
				Detail: d.Indicator + " link=" + d.LinkID})
		}
		if err := s.attachAssessment(ctx, tx, childID, a.ConcernID, a.ID, now); err != nil {
			return err
		}
		if err := s.setLatestLevel(ctx, tx, childID); err != nil {
			return err
		}
		if err := s.finishTasks(ctx, tx, childID, lantern.ClockToolkitReassessment, now); err != nil {
			return err
		}
		if toolkit.NeedsReassessment(a.RecordedLevel) {
			due := lantern.DateOf(a.AssessedOn.Time().AddDate(0, 0, 7*def.ReassessWeeks))
			t := &lantern.Task{ChildID: childID, Clock: lantern.ClockToolkitReassessment, StartedAt: now, DueDate: due, DueAt: lantern.EndOfDay(due),
				AssigneeID: u.ID, TeamAgencyID: u.AgencyID, Source: "assessment", SourceID: a.ID}
			if err := s.createTask(ctx, tx, t); err != nil {
				return err
			}
			a.Tasks = append(a.Tasks, t)
		}
		tx.audit(auditEntry{Action: "assessment.create", Entity: "assessment", EntityID: a.ID, ChildID: childID,
			Detail: "toolkit=" + a.Toolkit + " suggested=" + string(a.Suggested.Level) + " recorded=" + string(a.RecordedLevel)})
		// A partner's toolkit at medium or high goes to the front door.
		a.ReferralID, err = s.afterToolkit(ctx, tx, child, string(a.RecordedLevel), a.ConcernID, now, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	a.Prompts = []lantern.AssessmentPrompt{}
	if len(in.Prompts) > 0 {
		if a.Prompts, err = s.AssessmentPrompts(ctx, childID, a.ID); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Assessment is one assessment of a child the caller may see, with the
// decisions on suggestions from intelligence kept with it (as
// AssessmentPrompts shows them). The read is audited.
func (s *Store) Assessment(ctx context.Context, childID, assessmentID string) (*toolkit.Assessment, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	a, err := scanAssessment(s.db.QueryRowContext(ctx, `SELECT `+assessmentCols+` FROM assessments x JOIN users u ON u.id = x.created_by
		WHERE x.child_id = $1 AND x.id = $2`, childID, assessmentID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lantern.NotFound("Assessment")
	} else if err != nil {
		return nil, internal("assessment", err)
	}
	if a.Prompts, err = s.assessmentPrompts(ctx, childID, []string{a.ID}); err != nil {
		return nil, err
	}
	return a, s.auditedRead(ctx, s.entry(ctx, auditEntry{Action: "assessment.read", Entity: "assessment", EntityID: a.ID, ChildID: childID}),
		s.entry(ctx, promptsRead(childID, []string{a.ID}, a.Prompts)))
}

const assessmentCols = `x.id, x.child_id, COALESCE(x.concern_id, ''), x.toolkit_id, x.assessed_on, x.answers, x.analysis, x.suggested,
	x.recorded_level, x.override_rationale, x.created_by, u.name, x.agency_id, x.created_at`

func scanAssessment(r scanner) (*toolkit.Assessment, error) {
	var a toolkit.Assessment
	var ans, sug, rec string
	if err := r.Scan(&a.ID, &a.ChildID, &a.ConcernID, &a.Toolkit, &a.AssessedOn, &ans, &a.Analysis, &sug, &rec, &a.OverrideRationale,
		&a.CreatedBy, &a.CreatedByName, &a.AgencyID, timeScan{&a.CreatedAt}); err != nil {
		return nil, err
	}
	var an answers
	if err := json.Unmarshal([]byte(ans), &an); err != nil {
		return nil, err
	}
	a.Indicators, a.Evidence, a.Disclosure, a.ImmediateRisk, a.OpenCase = an.Indicators, an.Evidence, an.Disclosure, an.ImmediateRisk, an.OpenCase
	a.PoliceIntelligence, a.LearningDisability, a.PartnerAgeGapYears, a.MissingEpisodes90d = an.PoliceIntelligence, an.LearningDisability, an.PartnerAgeGapYears, an.MissingEpisodes90d
	a.Suggested = &toolkit.Result{}
	if err := json.Unmarshal([]byte(sug), a.Suggested); err != nil {
		return nil, err
	}
	a.RecordedLevel = toolkit.Level(rec)
	a.Tasks = []*lantern.Task{}
	a.Prompts = []lantern.AssessmentPrompt{}
	return &a, nil
}

// Assessments lists a child's assessments, newest first. The read is audited.
func (s *Store) Assessments(ctx context.Context, childID string) ([]*toolkit.Assessment, error) {
	if _, err := s.findChild(ctx, s.db, childID, false); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+assessmentCols+` FROM assessments x JOIN users u ON u.id = x.created_by
		WHERE x.child_id = $1 ORDER BY x.assessed_on DESC, x.created_at DESC`, childID)
	if err != nil {
		return nil, internal("assessments", err)
	}
	defer rows.Close()
	as := []*toolkit.Assessment{}
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, internal("scan assessment", err)
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("assessments", err)
	}
	if err := s.audited(ctx, auditEntry{Action: "assessment.list", Entity: "assessment", ChildID: childID}); err != nil {
		return nil, err
	}
	return as, nil
}

// setLatestLevel keeps the child's latest level (children.latest_level, its
// date and rank) as the level recorded at the child's latest assessment, by
// the date assessed and then by when it was recorded: an assessment dated
// earlier than one already kept changes nothing. The children list filters
// and sorts by it (docs/api.md, "Children"). It runs in the transaction
// that records the assessment, or merges records.
func (s *Store) setLatestLevel(ctx context.Context, tx *tx, childID string) error {
	var level string
	var on lantern.Date
	err := tx.QueryRowContext(ctx, `SELECT recorded_level, assessed_on FROM assessments WHERE child_id = $1
		ORDER BY assessed_on DESC, created_at DESC, id DESC LIMIT 1`, childID).Scan(&level, &on)
	var onArg any
	switch {
	case errors.Is(err, sql.ErrNoRows):
		level = ""
	case err != nil:
		return internal("latest level", err)
	default:
		onArg = on
	}
	if _, err := tx.ExecContext(ctx, `UPDATE children SET latest_level = $1, latest_level_on = $2, latest_level_rank = $3 WHERE id = $4`,
		level, onArg, max(lantern.ChildLevelRank(level), 0), childID); err != nil {
		return internal("latest level", err)
	}
	return nil
}
