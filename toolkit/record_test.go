package toolkit_test

import (
	"testing"

	"lantern"
	"lantern/toolkit"
)

// The answers from the record replace what was given; a learning
// disability known to the person counts as well as the record's.
func TestFillFromRecord(t *testing.T) {
	dob := lantern.Date{Year: 2012, Month: 3, Day: 1}
	given := 9
	in := toolkit.Input{DateOfBirth: lantern.Date{Year: 2000, Month: 1, Day: 1}, OpenCase: true, LearningDisability: true, MissingEpisodes90d: &given}
	in.FillFromRecord(toolkit.Record{DateOfBirth: dob, OpenCase: false, LearningDisability: false, MissingEpisodes90d: 2})
	if in.DateOfBirth != dob || in.OpenCase || !in.LearningDisability || in.MissingEpisodes90d == nil || *in.MissingEpisodes90d != 2 {
		t.Errorf("filled: %+v", in)
	}
	in = toolkit.Input{}
	in.FillFromRecord(toolkit.Record{LearningDisability: true})
	if !in.LearningDisability || *in.MissingEpisodes90d != 0 {
		t.Errorf("from the record alone: %+v", in)
	}
	if len(toolkit.FromRecord) != 3 {
		t.Errorf("from the record: %v", toolkit.FromRecord)
	}
}
