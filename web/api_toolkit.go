package web

import (
	"net/http"

	"lantern"
	"lantern/toolkit"
)

// ScoreRequest is the body of POST /api/v1/toolkit/score. Dates are text so
// that a bad one is named as the field at fault.
type ScoreRequest struct {
	Toolkit            *string  `json:"toolkit"`
	AssessedOn         *string  `json:"assessed_on"`
	DateOfBirth        *string  `json:"date_of_birth"`
	Indicators         []string `json:"indicators"`
	Disclosure         bool     `json:"disclosure"`
	ImmediateRisk      bool     `json:"immediate_risk"`
	OpenCase           bool     `json:"open_case"`
	PoliceIntelligence bool     `json:"police_intelligence"`
	LearningDisability bool     `json:"learning_disability"`
	PartnerAgeGapYears *float64 `json:"partner_age_gap_years"`
	MissingEpisodes90d *int     `json:"missing_episodes_90d"`
}

// parseDateField reads an optional date field, adding a problem if bad.
func parseDateField(p *lantern.Problems, field string, v *string, required bool) lantern.Date {
	if v == nil || *v == "" {
		if required {
			p.Add(field, "Enter "+field+" as YYYY-MM-DD")
		}
		return lantern.Date{}
	}
	d, err := lantern.ParseDate(*v)
	if err != nil {
		p.Add(field, field+" must be a real date as YYYY-MM-DD")
	}
	return d
}

func (s *Server) apiScore(w http.ResponseWriter, r *http.Request) {
	var req ScoreRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	id := ""
	if req.Toolkit != nil {
		id = *req.Toolkit
	}
	def, err := s.st.Toolkit(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var p lantern.Problems
	in := toolkit.Input{
		AssessedOn:  parseDateField(&p, "assessed_on", req.AssessedOn, true),
		DateOfBirth: parseDateField(&p, "date_of_birth", req.DateOfBirth, true),
		Indicators:  req.Indicators, Disclosure: req.Disclosure, ImmediateRisk: req.ImmediateRisk,
		OpenCase: req.OpenCase, PoliceIntelligence: req.PoliceIntelligence, LearningDisability: req.LearningDisability,
		PartnerAgeGapYears: req.PartnerAgeGapYears, MissingEpisodes90d: req.MissingEpisodes90d,
	}
	if len(p) > 0 {
		// Report the rest of the input's problems alongside the dates.
		for _, fe := range lantern.ErrorFields(def.Check(in)) {
			if fe.Field != "assessed_on" && fe.Field != "date_of_birth" {
				p = append(p, fe)
			}
		}
		s.error(w, r, p.Err())
		return
	}
	res, err := def.Score(in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
