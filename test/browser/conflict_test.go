package browser_test

import (
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestConflictPage edits a child's record in two tabs of one session. The
// second save wins; the first, now stale, gets "Someone else changed this
// record" (409) with both versions side by side, and can then save over.
func TestConflictPage(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	sw := srv.Fixture.SocialWorker
	dob, err := lantern.ParseDate("2013-05-14")
	if err != nil {
		t.Fatal(err)
	}
	c, err := srv.Store.CreateChild(storetest.As(sw), lantern.ChildInput{GivenName: "Jordan", FamilyName: "Blake", DateOfBirth: dob, Gender: "male"})
	if err != nil {
		t.Fatal(err)
	}
	record, edit := "/children/"+c.ID, "/children/"+c.ID+"/edit"

	mine := openTab(t, srv.URL, nil)
	mine.enrol(sw.Email, storetest.Password)
	mine.wantStatus("edit page", mine.navigate(edit), 200)
	mine.wantPage(edit, "Change the child's details")
	for name, want := range map[string]string{"given_name": "Jordan", "family_name": "Blake", "dob-day": "14", "dob-month": "5", "dob-year": "2013"} {
		if got := eval[string](mine, `document.querySelector('[name=`+jsString(name)+`]').value`); got != want {
			t.Errorf("edit form: %s is %q, want %q", name, got, want)
		}
	}
	if !eval[bool](mine, `document.querySelector('input[name=gender][value=male]').checked`) {
		t.Error("edit form: gender Male is not checked")
	}
	mine.checkPage("change a child's details")

	// Someone else (the same person, in another tab) saves first.
	theirs := openTab(t, srv.URL, mine)
	theirs.wantStatus("edit page in the other tab", theirs.navigate(edit), 200)
	theirs.fill("family_name", "Blake-Adeyemi")
	theirs.wantStatus("save in the other tab", theirs.click(`main form button[type=submit]`), 200)
	theirs.wantPage(record, "Jordan Blake-Adeyemi")
	if got := theirs.text(".govuk-notification-banner--success"); !strings.Contains(got, "Your changes have been saved") {
		t.Errorf("after saving, the banner says %q", got)
	}
	theirs.settled("child's record after a change")

	// The stale form.
	mine.fill("given_name", "Jordan-Lee")
	mine.wantStatus("save the stale form", mine.click(`main form button[type=submit]`), 409)
	mine.wantPage(edit, "Someone else changed this record")
	if got := mine.title(); got != "Someone else changed this record – Lantern" {
		t.Errorf("conflict page title %q", got)
	}
	heads := mine.texts("main table thead th")
	if len(heads) != 3 || heads[1] != "Now saved (version 2)" || heads[2] != "Your change" {
		t.Errorf("conflict table headings %q", heads)
	}
	rows := eval[map[string][]string](mine, `Object.fromEntries(Array.from(document.querySelectorAll('main table tbody tr'),
  r => [r.querySelector('th').innerText.trim(), Array.from(r.querySelectorAll('td'), d => d.innerText.trim())]))`)
	// Every field is shown; those that differ are marked "Different".
	for field, want := range map[string][2]string{
		"Given name":     {"Jordan", "Jordan-Lee Different"},
		"Family name":    {"Blake-Adeyemi", "Blake Different"},
		"Date of birth":  {"14 May 2013", "14 May 2013"},
		"Gender":         {"Male", "Male"},
		"First language": {"", ""},
	} {
		if got := rows[field]; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("conflict table: %s shows %q, want saved %q beside yours %q", field, got, want[0], want[1])
		}
	}
	if got := eval[string](mine, `(document.querySelector('main a[href="`+record+`"]') || {}).textContent || ''`); got != "Keep their version" {
		t.Errorf("conflict page: link back to the record says %q", got)
	}
	mine.checkPage("someone else changed this record")
	mine.screenshot("conflict")

	// Save mine over theirs.
	mine.wantStatus("save over theirs", mine.click(`main form button[type=submit]`), 200)
	mine.wantPage(record, "Jordan-Lee Blake")
	if got := mine.text(".govuk-notification-banner--success"); !strings.Contains(got, "Your changes have been saved") {
		t.Errorf("after saving over theirs, the banner says %q", got)
	}
	mine.settled("child's record after saving over theirs")
	now, err := srv.Store.FindChildByID(storetest.As(sw), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.Version != 3 || now.GivenName != "Jordan-Lee" || now.FamilyName != "Blake" {
		t.Errorf("stored record: version %d, %s %s; want version 3, Jordan-Lee Blake", now.Version, now.GivenName, now.FamilyName)
	}
}
