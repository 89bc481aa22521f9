package toolkit_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"lantern"
	"lantern/toolkit"
)

func d(s string) lantern.Date {
	v, err := lantern.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func ptrF(f float64) *float64 { return &f }
func ptrI(i int) *int         { return &i }

// A 14-year-old on the assessment day, unless a case says otherwise.
func base(ids ...string) toolkit.Input {
	return toolkit.Input{AssessedOn: d("2026-11-22"), DateOfBirth: d("2012-03-01"), Indicators: ids}
}

func ids(fs []toolkit.Fired) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return out
}

func TestScoreRulesAndFlags(t *testing.T) {
	def := toolkit.Builtin()
	under13 := func(in toolkit.Input) toolkit.Input { in.DateOfBirth = d("2015-06-01"); return in }
	tests := []struct {
		name  string
		in    toolkit.Input
		level toolkit.Level
		rules []string
		flags []string // besides "siblings", always present
	}{
		{"nothing at all", base(), toolkit.None, nil, nil},
		{"one vulnerability", base("vuln.looked-after"), toolkit.Vulnerable, []string{"vulnerable"}, nil},
		{"one emerging sign", base("sign.missing"), toolkit.Emerging, []string{"any-emerging"}, nil},
		{"api example", func() toolkit.Input { i := base("sign.missing", "vuln.looked-after"); i.OpenCase = true; return i }(), toolkit.Emerging, []string{"any-emerging"}, nil},
		{"three emerging signs", base("sign.missing", "sign.secretive", "sign.crime"), toolkit.Emerging, []string{"any-emerging"}, nil},
		{"four emerging signs", base("sign.missing", "sign.secretive", "sign.crime", "sign.self-harm"), toolkit.Medium, []string{"any-emerging", "many-emerging"}, nil},
		{"one medium sign", base("sign.gangs"), toolkit.Medium, []string{"any-medium"}, nil},
		{"two medium signs", base("sign.gangs", "sign.pregnancy"), toolkit.Medium, []string{"any-medium"}, nil},
		{"three medium signs", base("sign.gangs", "sign.pregnancy", "sign.unknown-vehicles"), toolkit.High, []string{"any-medium", "many-medium"}, nil},
		{"one high sign", base("sign.transported"), toolkit.High, []string{"any-high"}, nil},
		{"disclosure alone", func() toolkit.Input { i := base(); i.Disclosure = true; return i }(), toolkit.High, []string{"disclosure"}, nil},
		{"emerging and disclosure", func() toolkit.Input { i := base("sign.missing"); i.Disclosure = true; return i }(), toolkit.High, []string{"any-emerging", "disclosure"}, nil},
		{"four vulnerabilities and a sign", base("vuln.homeless", "vuln.bullying", "vuln.bereavement", "vuln.mental-health", "sign.crime"), toolkit.Emerging, []string{"any-emerging"}, nil},
		{"five vulnerabilities and a sign", base("vuln.homeless", "vuln.bullying", "vuln.bereavement", "vuln.mental-health", "vuln.low-self-esteem", "sign.crime"), toolkit.Medium, []string{"any-emerging", "many-vulnerabilities"}, nil},
		{"five vulnerabilities, no sign", base("vuln.homeless", "vuln.bullying", "vuln.bereavement", "vuln.mental-health", "vuln.low-self-esteem"), toolkit.Vulnerable, []string{"vulnerable"}, nil},
		{"missing twice in 90 days", func() toolkit.Input { i := base(); i.MissingEpisodes90d = ptrI(2); return i }(), toolkit.None, nil, nil},
		{"missing three times in 90 days", func() toolkit.Input { i := base(); i.MissingEpisodes90d = ptrI(3); return i }(), toolkit.Medium, []string{"regular-missing"}, nil},
		{"under 13, one sign", under13(base("sign.secretive-internet")), toolkit.Medium, []string{"any-emerging", "floor-under-13"}, nil},
		{"under 13, no sign: vulnerable by age alone", under13(base()), toolkit.Vulnerable, []string{"vulnerable"}, nil},
		{"learning disability and a sign", func() toolkit.Input { i := base("sign.crime"); i.LearningDisability = true; return i }(), toolkit.Medium, []string{"any-emerging", "floor-under-13"}, nil},
		{"learning disability, no sign", func() toolkit.Input { i := base(); i.LearningDisability = true; return i }(), toolkit.None, nil, nil},
		{"under 13 and sexually active", under13(base("vuln.sexually-active")), toolkit.High, []string{"vulnerable", "under-13-sexual-activity"}, []string{"under-13-presumption"}},
		{"under 13 and sexually active under 13", under13(base("sign.sexually-active-under-13")), toolkit.High, []string{"any-high", "floor-under-13", "under-13-sexual-activity"}, []string{"under-13-presumption"}},
		{"under 13 and sexual activity with adults", under13(base("sign.sexual-activity-adults")), toolkit.High, []string{"any-high", "floor-under-13", "under-13-sexual-activity"}, []string{"under-13-presumption"}},
		{"14 and sexually active: the checklist", base("vuln.sexually-active"), toolkit.Vulnerable, []string{"vulnerable"}, []string{"consider-checklist"}},
		{"age gap of 4", func() toolkit.Input { i := base(); i.PartnerAgeGapYears = ptrF(4.9); return i }(), toolkit.None, nil, nil},
		{"age gap of 5", func() toolkit.Input { i := base(); i.PartnerAgeGapYears = ptrF(5); return i }(), toolkit.Medium, []string{"age-gap"}, []string{"age-gap"}},
		{"immediate risk", func() toolkit.Input { i := base("sign.missing"); i.ImmediateRisk = true; return i }(), toolkit.Emerging, []string{"any-emerging"}, []string{"immediate-risk"}},
		{"police intelligence", func() toolkit.Input { i := base(); i.PoliceIntelligence = true; return i }(), toolkit.None, nil, []string{"police-intelligence"}},
		{"duplicates count once", base("sign.gangs", "sign.gangs", "sign.gangs"), toolkit.Medium, []string{"any-medium"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := def.Score(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if res.Level != tt.level {
				t.Errorf("level = %s, want %s (rules %v)", res.Level, tt.level, ids(res.Rules))
			}
			if got := ids(res.Rules); !slices.Equal(got, append([]string{}, tt.rules...)) {
				t.Errorf("rules = %v, want %v", got, tt.rules)
			}
			wantFlags := map[string]bool{"siblings": true}
			for _, f := range tt.flags {
				wantFlags[f] = true
			}
			gotFlags := map[string]bool{}
			for _, f := range res.Flags {
				gotFlags[f.ID] = true
				if f.Text == "" {
					t.Errorf("flag %s has no text", f.ID)
				}
			}
			for f := range wantFlags {
				if !gotFlags[f] {
					t.Errorf("flag %s missing (flags %v)", f, ids(res.Flags))
				}
			}
			for f := range gotFlags {
				if !wantFlags[f] {
					t.Errorf("unexpected flag %s", f)
				}
			}
			cat := map[toolkit.Level]int{toolkit.Emerging: 1, toolkit.Medium: 2, toolkit.High: 3}[res.Level]
			if (cat == 0) != (res.NWGCategory == nil) || (res.NWGCategory != nil && *res.NWGCategory != cat) {
				t.Errorf("nwg category %v for %s", res.NWGCategory, res.Level)
			}
		})
	}
}

func TestAgeBoundaries(t *testing.T) {
	def := toolkit.Builtin()
	tests := []struct {
		name, dob, on string
		age           int
		under13       bool
	}{
		{"thirteenth birthday on the day", "2013-11-22", "2026-11-22", 13, false},
		{"the day before the thirteenth birthday", "2013-11-23", "2026-11-22", 12, true},
		{"29 February birthday, 28 February of a common year", "2012-02-29", "2025-02-28", 12, true},
		{"29 February birthday, 1 March of a common year", "2012-02-29", "2025-03-01", 13, false},
		{"29 February birthday, 29 February of a leap year", "2000-02-29", "2016-02-29", 16, false},
		{"born today", "2026-11-22", "2026-11-22", 0, true},
		{"the day before the eighteenth birthday", "2008-11-23", "2026-11-22", 17, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := def.Score(toolkit.Input{AssessedOn: d(tt.on), DateOfBirth: d(tt.dob), Indicators: []string{"sign.crime"}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Age != tt.age {
				t.Errorf("age %d, want %d", res.Age, tt.age)
			}
			if got := slices.Contains(res.Indicators, toolkit.Under13); got != tt.under13 {
				t.Errorf("derived under-13 = %v, want %v", got, tt.under13)
			}
			if want := map[bool]toolkit.Level{true: toolkit.Medium, false: toolkit.Emerging}[tt.under13]; res.Level != want {
				t.Errorf("level %s, want %s", res.Level, want)
			}
		})
	}
}

func TestScoreRefusesBadInput(t *testing.T) {
	def := toolkit.Builtin()
	tests := []struct {
		name  string
		in    toolkit.Input
		field string
		says  string
	}{
		{"unknown indicator", base("sign.missing", "sign.made-up"), "indicators", "sign.made-up"},
		{"eighteenth birthday on the day", toolkit.Input{AssessedOn: d("2026-11-22"), DateOfBirth: d("2008-11-22")}, "date_of_birth", "18"},
		{"born after the assessment", toolkit.Input{AssessedOn: d("2026-11-22"), DateOfBirth: d("2026-11-23")}, "date_of_birth", "before"},
		{"under-13 ticked at 13", toolkit.Input{AssessedOn: d("2026-11-22"), DateOfBirth: d("2013-11-22"), Indicators: []string{toolkit.Under13}}, "indicators", "Under 13 years of age"},
		{"no assessment date", toolkit.Input{DateOfBirth: d("2013-11-22")}, "assessed_on", ""},
		{"no date of birth", toolkit.Input{AssessedOn: d("2026-11-22")}, "date_of_birth", ""},
		{"negative age gap", func() toolkit.Input { i := base(); i.PartnerAgeGapYears = ptrF(-1); return i }(), "partner_age_gap_years", ""},
		{"negative missing", func() toolkit.Input { i := base(); i.MissingEpisodes90d = ptrI(-1); return i }(), "missing_episodes_90d", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := def.Score(tt.in)
			if lantern.ErrorCode(err) != lantern.EINVALID {
				t.Fatalf("err = %v, want invalid", err)
			}
			found := false
			for _, fe := range lantern.ErrorFields(err) {
				found = found || (fe.Field == tt.field && strings.Contains(fe.Message, tt.says))
			}
			if !found {
				t.Errorf("no error on %s saying %q: %v", tt.field, tt.says, lantern.ErrorFields(err))
			}
		})
	}
	// Under 13 ticked for a child who is under 13 agrees with the record.
	in := toolkit.Input{AssessedOn: d("2026-11-22"), DateOfBirth: d("2013-11-23"), Indicators: []string{toolkit.Under13}}
	if res, err := def.Score(in); err != nil || res.Level != toolkit.Vulnerable {
		t.Errorf("under-13 ticked at 12: %v %v", res, err)
	}
}

func TestNextSteps(t *testing.T) {
	def := toolkit.Builtin()
	has := func(steps []string, part string) bool {
		return slices.ContainsFunc(steps, func(s string) bool { return strings.Contains(s, part) })
	}
	in := base("sign.missing")
	in.ImmediateRisk = true
	res, _ := def.Score(in)
	if !strings.Contains(res.NextSteps[0], "emergency services") {
		t.Errorf("immediate risk is not first: %v", res.NextSteps)
	}
	if !has(res.NextSteps, "12 weeks") || !has(res.NextSteps, "Monitor") || has(res.NextSteps, "strategy meeting") {
		t.Errorf("emerging steps: %v", res.NextSteps)
	}
	// Nothing found sets no reassessment task, and the steps do not say it does.
	res, _ = def.Score(base())
	if res.Level != toolkit.None || !has(res.NextSteps, "if anything changes") || has(res.NextSteps, "12 weeks") || has(res.NextSteps, "sets a reassessment task") {
		t.Errorf("none: %s %v", res.Level, res.NextSteps)
	}
	res, _ = def.Score(base("vuln.looked-after"))
	if res.Level != toolkit.Vulnerable || !has(res.NextSteps, "12 weeks") || has(res.NextSteps, "if anything changes") {
		t.Errorf("vulnerable: %s %v", res.Level, res.NextSteps)
	}
	in = base("sign.gangs")
	in.OpenCase = true
	res, _ = def.Score(in)
	if !has(res.NextSteps, "allocated social worker") || has(res.NextSteps, "front door") || !has(res.NextSteps, "strategy meeting") {
		t.Errorf("medium, open case: %v", res.NextSteps)
	}
	in.OpenCase = false
	in.PoliceIntelligence = true
	res, _ = def.Score(in)
	if has(res.NextSteps, "allocated social worker") || !has(res.NextSteps, "front door") || !has(res.NextSteps, "Information Sharing Form") {
		t.Errorf("medium, not open, police intelligence: %v", res.NextSteps)
	}
}

func TestBuiltinMatchesTheReference(t *testing.T) {
	def := toolkit.Builtin()
	if def.ID != "nottingham-v1" || len(def.Vulnerabilities) != 20 || len(def.Signs) != 37 || len(def.Rules) != 12 || len(def.Flags) != 6 {
		t.Fatalf("built-in toolkit: %s, %d vulnerabilities, %d signs, %d rules, %d flags",
			def.ID, len(def.Vulnerabilities), len(def.Signs), len(def.Rules), len(def.Flags))
	}
	bands := map[string]int{}
	for _, s := range def.Signs {
		bands[s.Band]++
	}
	if bands["E"] != 17 || bands["M"] != 13 || bands["H"] != 7 {
		t.Errorf("bands: %v", bands)
	}
	if def.Indicator("sign.sexually-active-under-13").Band != "H" || def.Indicator("vuln.under-13") == nil {
		t.Error("indicator lookup")
	}
}

func TestParseRefusesInconsistentDefinitions(t *testing.T) {
	var raw map[string]any
	if err := json.Unmarshal(mustJSON(t), &raw); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(m map[string]any)
		says   string
	}{
		{"unknown band", func(m map[string]any) { sign(m, 0)["band"] = "X" }, `unknown band "X"`},
		{"duplicate id", func(m map[string]any) { sign(m, 1)["id"] = sign(m, 0)["id"] }, "Duplicate indicator id"},
		{"rule naming an unknown indicator", func(m map[string]any) {
			rule(m, 10)["when"].(map[string]any)["any_of"] = []any{"sign.not-there"}
		}, `unknown indicator "sign.not-there"`},
		{"rule giving an unknown level", func(m map[string]any) { rule(m, 0)["gives"] = "severe" }, `unknown level "severe"`},
		{"flag naming an unknown rule", func(m map[string]any) {
			m["flags"].([]any)[1].(map[string]any)["when"] = map[string]any{"rule_fired": "nope"}
		}, `unknown rule "nope"`},
		{"unknown field", func(m map[string]any) { m["colour"] = "red" }, "colour"},
		{"unknown band in a condition", func(m map[string]any) { rule(m, 1)["when"] = map[string]any{"band_min": map[string]any{"Z": 1}} }, `unknown band "Z"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			json.Unmarshal(mustJSON(t), &m)
			tt.change(m)
			b, _ := json.Marshal(m)
			_, err := toolkit.Parse(b)
			if err == nil {
				t.Fatal("accepted")
			}
			msgs := lantern.ErrorMessage(err)
			for _, fe := range lantern.ErrorFields(err) {
				msgs += " | " + fe.Message
			}
			if !strings.Contains(msgs, tt.says) {
				t.Errorf("error does not say %q: %s", tt.says, msgs)
			}
		})
	}
}

func mustJSON(t *testing.T) []byte {
	b, err := json.Marshal(toolkit.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sign(m map[string]any, i int) map[string]any { return m["signs"].([]any)[i].(map[string]any) }
func rule(m map[string]any, i int) map[string]any { return m["rules"].([]any)[i].(map[string]any) }

func BenchmarkScore(b *testing.B) {
	def := toolkit.Builtin()
	in := toolkit.Input{AssessedOn: d("2026-11-22"), DateOfBirth: d("2014-03-01"),
		Indicators: []string{"vuln.looked-after", "vuln.homeless", "sign.missing", "sign.gangs", "sign.secretive", "sign.unknown-vehicles", "vuln.sexually-active"},
		OpenCase:   true, PoliceIntelligence: true, PartnerAgeGapYears: ptrF(6), MissingEpisodes90d: ptrI(3)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := def.Score(in); err != nil {
			b.Fatal(err)
		}
	}
}

// The children list filters by lantern.ChildLevels: they are the levels.
func TestChildLevelsAreTheLevels(t *testing.T) {
	for i, l := range toolkit.Levels {
		if i >= len(lantern.ChildLevels) || lantern.ChildLevels[i] != string(l) || lantern.ChildLevelRank(string(l)) != l.Rank() {
			t.Fatalf("lantern.ChildLevels %q, toolkit.Levels %q", lantern.ChildLevels, toolkit.Levels)
		}
	}
	if len(lantern.ChildLevels) != len(toolkit.Levels) {
		t.Fatalf("lantern.ChildLevels %q, toolkit.Levels %q", lantern.ChildLevels, toolkit.Levels)
	}
}

// Assess names every problem at once: a level recorded against the
// suggestion without a rationale is named alongside a missing analysis.
func TestAssessNamesEveryProblemAtOnce(t *testing.T) {
	def := toolkit.Builtin()
	_, err := def.Assess(toolkit.AssessmentInput{Answers: base(), RecordedLevel: toolkit.High}, d("2026-11-22"))
	var fields []string
	for _, fe := range lantern.ErrorFields(err) {
		fields = append(fields, fe.Field)
	}
	if !slices.Contains(fields, "analysis") || !slices.Contains(fields, "override_rationale") {
		t.Errorf("fields %q, want analysis and override_rationale", fields)
	}
}

// Messages name indicators and levels in words, never by their ids.
func TestMessagesNameThingsInWords(t *testing.T) {
	def := toolkit.Builtin()
	var medium *toolkit.Indicator
	for _, g := range [][]toolkit.Indicator{def.Signs} {
		for i := range g {
			if g[i].Band == toolkit.BandMedium {
				medium = &g[i]
				break
			}
		}
	}
	if medium == nil {
		t.Fatal("no medium sign in the built-in toolkit")
	}
	in := base(medium.ID)
	in.DateOfBirth = d("2012-03-01")
	_, err := def.Assess(toolkit.AssessmentInput{Answers: in, Analysis: "Mine", RecordedLevel: toolkit.None,
		Evidence: map[string]string{"sign.missing": "Seen"}}, d("2026-11-22"))
	young := base(toolkit.Under13)
	_, err13 := def.Score(young)
	for _, fe := range append(lantern.ErrorFields(err), lantern.ErrorFields(err13)...) {
		if strings.Contains(fe.Message, "sign.") || strings.Contains(fe.Message, "vuln.") {
			t.Errorf("%s: %q names an indicator by its id", fe.Field, fe.Message)
		}
		for _, l := range toolkit.Levels {
			if strings.Contains(fe.Message, " "+string(l)+" ") || strings.HasSuffix(fe.Message, " "+string(l)) {
				t.Errorf("%s: %q names a level by its id", fe.Field, fe.Message)
			}
		}
	}
	if msgs := lantern.ErrorFields(err); len(msgs) == 0 {
		t.Fatalf("no problems")
	}
}
