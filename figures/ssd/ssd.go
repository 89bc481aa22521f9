// Package ssd shapes Lantern's records as tables of the Standard
// Safeguarding Dataset (SSD), the children's social care data model of
// data-to-insight: the child-level extracts of docs/extracts.md, for the
// area's analysts only and never shared outside it. It is pure: the store
// reads the records and passes them here a row at a time.
package ssd

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"lantern"
)

// The data model read, pinned: the field names and their order are those
// of the live System C deployment script at this commit (ssd_person there
// has pers_upn and pers_single_unique_id, which the older object files
// under data/objects/ still call pers_common_child_id; the deployment is
// what an area's SSD tables hold).
const (
	Source       = "github.com/data-to-insight/ssd-data-model"
	SourceCommit = "4987c73f5369395fa873397277fb8a66e9aa5243"
	SourceFile   = "deployment_extracts/systemc/live/ssd_deployment_individual_files/systemc_sqlserver_v1.4.5_1_20260708.sql"
)

// Table is one SSD table: its name and its fields, in the model's order.
type Table struct {
	Name    string
	Title   string
	Columns []string
}

// Tables are the tables Lantern extracts.
var Tables = []Table{
	{"ssd_person", "Person", []string{"pers_legacy_id", "pers_person_id", "pers_upn", "pers_forename", "pers_surname", "pers_sex",
		"pers_gender", "pers_ethnicity", "pers_dob", "pers_single_unique_id", "pers_upn_unknown", "pers_send_flag", "pers_expected_dob",
		"pers_death_date", "pers_is_mother", "pers_nationality"}},
	{"ssd_missing", "Missing episodes", []string{"miss_table_id", "miss_person_id", "miss_missing_episode_start_date",
		"miss_missing_episode_type", "miss_missing_episode_end_date", "miss_missing_rhi_offered", "miss_missing_rhi_accepted"}},
	{"ssd_disability", "Disability", []string{"disa_table_id", "disa_person_id", "disa_disability_code"}},
	{"ssd_linked_identifiers", "Linked identifiers", []string{"link_table_id", "link_person_id", "link_identifier_type",
		"link_identifier_value", "link_valid_from_date", "link_valid_to_date"}},
	{"ssd_assessment_factors", "Assessment factors", []string{"cinf_table_id", "cinf_assessment_id", "cinf_assessment_factors_json"}},
}

// TableNames are the tables' names, for a message naming them.
func TableNames() []string {
	out := make([]string, len(Tables))
	for i, t := range Tables {
		out[i] = t.Name
	}
	return out
}

// TableByName is the table named name, or an EINVALID error naming the
// field "table".
func TableByName(name string) (Table, error) {
	for _, t := range Tables {
		if t.Name == name {
			return t, nil
		}
	}
	return Table{}, lantern.Invalid(lantern.FieldError{Field: "table", Message: "Table must be one of " + strings.Join(TableNames(), ", ")})
}

// date is a date as the extracts write it; "" for none.
func date(d lantern.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// datetime is a moment as the SSD's DATETIME columns hold it, in London's
// time (the area's), to the second; "" for none.
func datetime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(lantern.London).Format("2006-01-02 15:04:05")
}

// Person is what the person table reads of a child's record.
type Person struct {
	ID, GivenName, FamilyName string
	DateOfBirth               lantern.Date
	Gender, Ethnicity         string
}

// Row is the child's ssd_person row. Lantern records no UPN, NHS number,
// legacy id, SEND flag, expected date of birth, date of death, motherhood
// or nationality: those fields are empty (docs/extracts.md).
func (p Person) Row() []string {
	return []string{"", p.ID, "", p.GivenName, p.FamilyName, SexCode(p.Gender), GenderCode(p.Gender), EthnicityCode(p.Ethnicity),
		date(p.DateOfBirth), "", "", "", "", "", "", ""}
}

// GenderCode is Lantern's gender as the SSD's pers_gender code set: 01
// male, 02 female, 09 self-described (Lantern's non-binary and other), 00
// not known.
func GenderCode(g string) string {
	switch g {
	case "male":
		return "01"
	case "female":
		return "02"
	case "non-binary", "other":
		return "09"
	}
	return "00"
}

// SexCode is pers_sex (F, M, U). Lantern records gender and no separate
// sex, and the deployment's note on pers_sex says to repeat the gender
// where no other is held: female F, male M, anything else U.
func SexCode(g string) string {
	switch g {
	case "female":
		return "F"
	case "male":
		return "M"
	}
	return "U"
}

// ethnicityCodes map the 2021 census categories Lantern records to the
// DfE's main ethnicity codes (the CIN census's). The census's "Gypsy or
// Irish Traveller" is two DfE codes (WIRT and WROM) and is left empty
// rather than guessed; "Arab" has no DfE code of its own and is OOTH.
var ethnicityCodes = map[string]string{
	"asian-indian": "AIND", "asian-pakistani": "APKN", "asian-bangladeshi": "ABAN", "asian-chinese": "CHNE", "asian-other": "AOTH",
	"black-african": "BAFR", "black-caribbean": "BCRB", "black-other": "BOTH",
	"mixed-white-black-caribbean": "MWBC", "mixed-white-black-african": "MWBA", "mixed-white-asian": "MWAS", "mixed-other": "MOTH",
	"white-british": "WBRI", "white-irish": "WIRI", "white-roma": "WROM", "white-other": "WOTH",
	"other-arab": "OOTH", "other-any": "OOTH",
	"not-stated": "NOBT", "": "NOBT",
}

// EthnicityCode is the DfE code for a Lantern ethnicity, or "".
func EthnicityCode(e string) string { return ethnicityCodes[e] }

// Missing is what the missing table reads of a missing or absent episode
// and its return interview.
type Missing struct {
	ID, ChildID, Kind string // kind: missing or absent
	From              time.Time
	Returned          *time.Time
	// Interview says a return interview is recorded; Offered that it was
	// offered or held, Held that it was held, Declined that the young
	// person declined it.
	Interview, Offered, Held, Declined bool
}

// Row is the episode's ssd_missing row. Lantern's "absent" is the SSD's
// "Away". The return interview is Y or N only where Lantern records it:
// no interview recorded is empty, not N.
func (m Missing) Row() []string {
	kind := "Missing"
	if m.Kind == "absent" {
		kind = "Away"
	}
	offered, accepted := "", ""
	if m.Interview {
		if m.Offered || m.Held {
			offered = "Y"
		}
		switch {
		case m.Held:
			accepted = "Y"
		case m.Declined:
			accepted = "N"
		}
	}
	return []string{m.ID, m.ChildID, datetime(&m.From), kind, datetime(m.Returned), offered, accepted}
}

// DisabilityRows are a child's ssd_disability rows: LD for a learning
// disability Lantern records; DDA ("other DDA") for a disability described
// in words, which Lantern keeps as free text, not as codes (the SSD's
// guidance allows DDA where a system cannot tell disabilities apart).
// Lantern cannot tell "no disability" from "not recorded", so it writes no
// NONE row.
func DisabilityRows(childID string, described, learning bool) [][]string {
	var out [][]string
	if learning {
		out = append(out, []string{childID + "-LD", childID, "LD"})
	}
	if described {
		out = append(out, []string{childID + "-DDA", childID, "DDA"})
	}
	return out
}

// Linked identifier types Lantern writes. FormerRecord is a record merged
// into the child's (docs/duplicates.md): the SSD's list has no type for
// it, so it is named for what it is. Incident is the police reference of
// a missing episode, the list's "Incident ID".
const (
	FormerRecord = "Former Person ID"
	Incident     = "Incident ID"
)

// Link is one of a child's other identifiers.
type Link struct {
	ID, ChildID, Type, Value string
	From, To                 lantern.Date
}

// Row is the identifier's ssd_linked_identifiers row.
func (l Link) Row() []string {
	return []string{l.ID, l.ChildID, l.Type, l.Value, date(l.From), date(l.To)}
}

// Assessment is what the factors table reads of a toolkit assessment: the
// level recorded, the indicators ticked and the missing episodes the record
// held in the 90 days before it.
type Assessment struct {
	ID         string
	Level      string
	Indicators []string
	Missing90d int
}

// CIN assessment factor codes Lantern derives (the CIN census's code set,
// as the SSD's cinf_assessment_factors_json holds them).
const (
	FactorMissing      = "10A" // missing
	FactorCSE          = "11A" // child sexual exploitation
	FactorTrafficking  = "12A" // trafficking
	FactorGangs        = "13A" // gangs
	FactorCriminalExpl = "24A" // child criminal exploitation
)

// indicatorFactors are the toolkit indicators that are themselves a
// factor: "Returning home late or missing/absent" and "Involvement in
// gangs/crime". No indicator says trafficking (12A) or criminal
// exploitation (24A), so Lantern derives neither (docs/extracts.md).
var indicatorFactors = map[string]string{
	"sign.missing": FactorMissing,
	"sign.gangs":   FactorGangs,
}

// cseLevels are the toolkit levels at which exploitation is indicated; at
// none and vulnerable, the toolkit found no sign of it.
var cseLevels = []string{"emerging", "medium", "high"}

// Factors are the assessment's factor codes, in the census's order: 11A at
// a level of emerging or above; 10A for the missing indicator ticked or a
// missing episode on the record in the 90 days before; 13A for the gangs
// indicator.
func Factors(a Assessment) []string {
	set := map[string]bool{}
	if slices.Contains(cseLevels, a.Level) {
		set[FactorCSE] = true
	}
	if a.Missing90d > 0 {
		set[FactorMissing] = true
	}
	for _, i := range a.Indicators {
		if f, ok := indicatorFactors[i]; ok {
			set[f] = true
		}
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	slices.SortFunc(out, compareFactor)
	return out
}

// compareFactor orders factor codes as the SSD's script does: by the
// number, then the letter ("9A" before "10A").
func compareFactor(a, b string) int {
	na, sa := splitFactor(a)
	nb, sb := splitFactor(b)
	if na != nb {
		return na - nb
	}
	return strings.Compare(sa, sb)
}

func splitFactor(f string) (int, string) {
	i := strings.IndexFunc(f, func(r rune) bool { return r < '0' || r > '9' })
	if i < 0 {
		i = len(f)
	}
	n, _ := strconv.Atoi(f[:i])
	return n, f[i:]
}

// FactorsJSON writes codes as the SSD's keys-only JSON array, as its
// script writes it: ["10A", "11A"].
func FactorsJSON(codes []string) string {
	q := make([]string, len(codes))
	for i, c := range codes {
		q[i] = strconv.Quote(c)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Row is the assessment's ssd_assessment_factors row, and false when no
// factor applies (the SSD keeps rows only for assessments with factors).
// The table id is the assessment's id too: Lantern keeps one row of
// factors per assessment.
func (a Assessment) Row() ([]string, bool) {
	f := Factors(a)
	if len(f) == 0 {
		return nil, false
	}
	return []string{a.ID, a.ID, FactorsJSON(f)}, true
}
