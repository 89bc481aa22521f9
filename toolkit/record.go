package toolkit

import "lantern"

// The answers an assessment kept on a child's record takes from the record,
// not from the person completing it: one list, read by the API (which
// refuses them in a request) and by the store (which fills them in). See
// docs/toolkit.md, "Fields taken from the child's record".

// RecordField is an answer taken from the child's record, by its name in the
// API, and where it comes from, in words.
type RecordField struct {
	Name, From string
}

// FromRecord are the answers taken from the record. A learning disability
// is not among them: one the person knows of counts as well as the
// record's.
var FromRecord = []RecordField{
	{"missing_episodes_90d", "the child's record of missing episodes"},
	{"date_of_birth", "the child's record"},
	{"open_case", "the child's record"},
}

// Record is what the record says, for an assessment on a date.
type Record struct {
	DateOfBirth        lantern.Date
	OpenCase           bool
	LearningDisability bool
	// MissingEpisodes90d counts the missing episodes that began in the 90
	// days up to the assessment's date, that day included.
	MissingEpisodes90d int
}

// FillFromRecord sets the answers that come from the record.
func (in *Input) FillFromRecord(r Record) {
	in.DateOfBirth = r.DateOfBirth
	in.OpenCase = r.OpenCase
	in.LearningDisability = in.LearningDisability || r.LearningDisability
	missing := r.MissingEpisodes90d
	in.MissingEpisodes90d = &missing
}
