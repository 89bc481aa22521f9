package browser_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app"
	"lantern/app/apptest"
	"lantern/notify/smtptest"
	"lantern/store/storetest"
)

// TestFrontDoorJourney walks a school's concern with immediate risk to the
// front door, a decision there, and the referrer seeing it: on each
// database, with a real mail server for the alert.
func TestFrontDoorJourney(t *testing.T) {
	needBrowser(t)
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			frontDoorJourney(t, d)
		})
	}
}

// fillTime fills a date-and-time field group (name-day, -month, -year, -time).
func (b *tab) fillTime(name string, at time.Time) {
	at = at.In(lantern.London)
	b.fill(name+"-day", fmt.Sprint(at.Day()))
	b.fill(name+"-month", fmt.Sprint(int(at.Month())))
	b.fill(name+"-year", fmt.Sprint(at.Year()))
	b.fill(name+"-time", at.Format("15:04"))
}

func frontDoorJourney(t *testing.T, d string) {
	smtp := smtptest.Start(t, smtptest.Options{})
	srv := apptest.Start(t, d, apptest.Options{Configure: func(c *app.Config) {
		c.SMTPAddr, c.SMTPFrom, c.BaseURL = smtp.Addr, "Lantern <lantern@example.org>", "https://lantern.example.org"
	}})
	f := srv.Fixture
	if _, err := srv.Store.CreateContact(storetest.As(f.Admin), lantern.ContactInput{AgencyID: f.CSC.ID, Name: "Front door",
		Email: "mash@csc.example.org", Roles: []lantern.PathwayRole{lantern.PathwayFrontDoor}, Active: true}); err != nil {
		t.Fatal(err)
	}
	dob, _ := lantern.ParseDate("2012-06-14")
	child, err := srv.Store.CreateChild(storetest.As(f.Teacher), lantern.ChildInput{GivenName: "Imogen", FamilyName: "Farrant", DateOfBirth: dob, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	raised := time.Now().Add(-30 * time.Minute)

	// The teacher records a concern with immediate risk.
	teacher := openTab(t, srv.URL, nil)
	teacher.enrol(f.Teacher.Email, storetest.Password)
	form := "/children/" + child.ID + "/concerns/new"
	teacher.wantStatus("concern form", teacher.navigate(form), 200)
	teacher.checkPage("concern form with refer")
	teacher.fillTime("when", raised)
	teacher.press(`input[name=immediate_risk][value=yes]`)
	teacher.fill("immediate_action", "Police called on 999 at the school gate")
	teacher.fill("summary", "Imogen got into a grey car with two older men at the gate; she said they are her 'boyfriends'")
	teacher.press(`input[name=disclosure][value=no]`)
	teacher.wantStatus("record the concern", teacher.click(`main form button[type=submit]`), 200)
	concern := teacher.path()
	if i := strings.IndexByte(concern, '?'); i >= 0 {
		concern = concern[:i]
	}
	if got := teacher.text("#front-door"); !strings.Contains(got, "Waiting for a decision") {
		t.Fatalf("the concern's page says %q of the front door (errors %q)", got, teacher.text(".govuk-error-summary"))
	}
	teacher.checkPage("a referred concern")

	// The front door sees it at once: on the home page, and first in the queue.
	sw := openTab(t, srv.URL, nil)
	sw.enrol(f.SocialWorker.Email, storetest.Password)
	sw.wantStatus("home", sw.navigate("/"), 200)
	if got := sw.text("#alerts"); !strings.Contains(got, "A concern with immediate risk is waiting at the front door") {
		t.Errorf("the front door's alerts say %q", got)
	}
	if got := sw.text("#dashboard"); !strings.Contains(got, "1 referral waiting") || !strings.Contains(got, "1 with immediate risk") {
		t.Errorf("the front door's dashboard says %q", got)
	}
	sw.checkPage("the front door's dashboard")
	sw.wantStatus("front door", sw.navigate("/front-door"), 200)
	sw.wantPage("/front-door", "Front door")
	row := sw.text("#queue tbody tr")
	for _, want := range []string{"Imogen Farrant", "Immediate risk", "Riverside Academy", "Not rated"} {
		if !strings.Contains(row, want) {
			t.Errorf("the queue's row %q lacks %q", row, want)
		}
	}
	sw.checkPage("the front door")
	sw.screenshot("front-door")
	sw.wantStatus("the referral", sw.click(`#queue tbody tr a`), 200)
	referral := sw.path()

	// Screen it: a rating without a rationale is refused, naming it.
	sw.press(`input[name=rag][value=red]`)
	sw.wantStatus("rate without a rationale", sw.click(`form[action$="/rating"] button[type=submit]`), 422)
	sw.checkErrorSummary(map[string]string{"#rationale": "Say why the referral has this rating"})
	sw.checkPage("a rating with an error")
	sw.press(`input[name=rag][value=red]`)
	sw.fill("rationale", "Immediate risk; older males; no known address for them")
	sw.wantStatus("rate", sw.click(`form[action$="/rating"] button[type=submit]`), 200)

	// No further action needs a reason; then the decision.
	decide := `main form:has(input[name=form][value=decision])`
	sw.press(decide + ` input[name=decision][value=no-further-action]`)
	sw.fillTime("decided_at", time.Now())
	sw.wantStatus("no further action without a reason", sw.click(decide+` button[type=submit]`), 422)
	sw.checkErrorSummary(map[string]string{"#decision_reason": "Say why there is to be no further action"})
	sw.checkPage("a decision with an error")
	sw.press(decide + ` input[name=decision][value=strategy-discussion]`)
	sw.fillTime("decided_at", time.Now())
	sw.wantStatus("decide", sw.click(decide+` button[type=submit]`), 200)
	if got := sw.summaryRows()["Decision"]; !strings.HasPrefix(got, "Strategy discussion") {
		t.Errorf("after deciding, the referral says %q (errors %q)", got, sw.text(".govuk-error-summary"))
	}
	if got := sw.summaryRows()["Feedback to the referrer"]; !strings.HasPrefix(got, "Given") {
		t.Errorf("the feedback is %q, want given with the decision", got)
	}
	sw.checkPage("a decided referral")
	sw.wantStatus("front door", sw.navigate("/front-door"), 200)
	if got := sw.text("main"); !strings.Contains(got, "No referral is waiting for a decision") {
		t.Errorf("after the decision the front door says %q", got)
	}
	_ = referral

	// The referrer sees the decision on the concern and their home page.
	teacher.wantStatus("the concern again", teacher.navigate(concern), 200)
	if got := teacher.text("#front-door"); !strings.Contains(got, "Decided") || !strings.Contains(got, "Strategy discussion") {
		t.Errorf("the referrer sees %q", got)
	}
	teacher.checkPage("the concern, decided")
	teacher.wantStatus("home", teacher.navigate("/"), 200)
	if got := teacher.text("#alerts"); !strings.Contains(got, "The front door has decided on a referral you made") {
		t.Errorf("the referrer's alerts say %q", got)
	}

	// The alert reached the front door's mailbox, naming no one. The
	// sender looks every few seconds.
	deadline := time.Now().Add(60 * time.Second)
	for len(smtp.To("mash@csc.example.org")) == 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	msgs := smtp.To("mash@csc.example.org")
	if len(msgs) == 0 {
		t.Fatal("no alert email reached the front door")
	}
	body := msgs[0].Subject(t) + msgs[0].Body(t)
	for _, secret := range []string{"Imogen", "Farrant", child.ID, "car"} {
		if strings.Contains(body, secret) {
			t.Errorf("the alert email holds %q", secret)
		}
	}
}
