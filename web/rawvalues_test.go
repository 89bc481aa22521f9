package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// typedField is a field holding a typed value (an id from a fixed list):
// a page shows its label, never the value itself ("not-known").
var typedField = regexp.MustCompile(`\{\{-?\s*(\$[A-Za-z]*)?\.(Gender|Ethnicity|Kind|Status|Outcome|Method|Decision|Step|RecordedLevel|Level|Clock|Source|Role|Roles|NotHeldReason|Band)\s*-?\}\}`)

// rawAllowed are the places such a field is printed on purpose: not shown
// as words (a path), or already words (a view model's string label).
var rawAllowed = []string{
	`action="/children/{{$c.ID}}/{{.Data.Kind}}/new"`, // the list's path
	`{{.Data.Kind}} from {{datetime`,                  // missingEpisodeView.Kind is "Missing" or "Absent"
	`<dd class="govuk-summary-list__value">{{.Data.Kind}}</dd>`,
	`{{.Date}}: {{.Level}}`,                          // chartPoint.Level is the level's label
	`{{.Name}}{{with .Role}}, {{.}}{{end}}`,          // a professional's role is free text
	`<h2 class="moj-timeline__title">{{.Kind}}</h2>`, // chronologyRow.Kind is the kind's label
}

// TestTemplatesPrintNoRawTypedValues: every typed value a template prints
// goes through its label (Label, genderLabel, ...).
func TestTemplatesPrintNoRawTypedValues(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("templates", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
	lines:
		for i, line := range strings.Split(string(b), "\n") {
			if !typedField.MatchString(line) {
				continue
			}
			for _, ok := range rawAllowed {
				if strings.Contains(line, ok) {
					continue lines
				}
			}
			t.Errorf("%s:%d prints a typed value raw: %s", f, i+1, strings.TrimSpace(line))
		}
	}
}
