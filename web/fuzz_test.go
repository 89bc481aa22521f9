package web_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/store/storetest"
	"lantern/web"
)

// Fuzz targets: run with go test -fuzz=FuzzName ./web/ (scripts/fuzz runs
// them all). Without -fuzz, the seeds below run as ordinary tests.

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		validChild,
		`{}`, ``, ` `, `null`, `[]`, `"x"`, `1`, `{"version": 1}`, `{"version": 1.5}`, `{"version": "1"}`,
		`{"version": 99999999999999999999}`, `{"given_name": null}`, `{"given_name": ["a"]}`, `{"given_name": {"a": 1}}`,
		`{"nickname": 1}`, `{"given_name": "a", "given_name": "b"}`, `{"GIVEN_NAME": "a"}`, `{"given_name": "\ud800"}`,
		"{\"given_name\": \"a\xff\"}", `{"given_name": "a"} {}`, `{"given_name": "a"}]`, `{"given_name": "a"` + "\n\n", "{\n\"given_name\":\n}",
		`{"date_of_birth": "2023-02-29"}`, `{"date_of_birth": 2012}`, "\xef\xbb\xbf{}", `{"a":` + strings.Repeat("[", 10000),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req web.ChildRequest
		err := web.DecodeJSON(body, &req)
		if err == nil {
			return
		}
		var le *lantern.Error
		if !errors.As(err, &le) {
			t.Fatalf("DecodeJSON(%q): %T %v, want a *lantern.Error", body, err, err)
		}
		if le.Code != lantern.EBADREQUEST && le.Code != lantern.ETOOLARGE {
			t.Fatalf("DecodeJSON(%q): code %q, want bad_request or too_large", body, le.Code)
		}
		if le.Message == "" || len(le.Message) > 1000 {
			t.Fatalf("DecodeJSON(%q): message of %d bytes", body, len(le.Message))
		}
		for _, fe := range le.Fields {
			// A field is named, unless the body's key was itself "".
			if fe.Message == "" || fe.Field == "" && !bytes.Contains(body, []byte(`""`)) {
				t.Fatalf("DecodeJSON(%q): field error %+v is not whole", body, fe)
			}
		}
	})
}

func FuzzChildForm(f *testing.F) {
	for _, s := range []string{
		"given_name=Ada&family_name=Lovelace&gender=female&dob-day=1&dob-month=3&dob-year=2012",
		"dob-day=29&dob-month=2&dob-year=2023", "dob-day=29&dob-month=2&dob-year=2024", "dob-day=31&dob-month=4&dob-year=2012",
		"dob-day=0&dob-month=0&dob-year=0000", "dob-day=-1&dob-month=3&dob-year=2012", "dob-day=1&dob-month=13&dob-year=2012",
		"dob-day=1&dob-month=3&dob-year=12", "dob-day=1&dob-month=3&dob-year=+012", "dob-day=1&dob-month=3&dob-year=-012",
		"dob-day=100&dob-month=3&dob-year=2012", "dob-day=9999999999999999999&dob-month=3&dob-year=2012",
		"dob-day=01&dob-month=03&dob-year=2012", "dob-day=1&dob-month=&dob-year=", "dob-day=%00&dob-month=3&dob-year=2012", "%zz", "",
		"dob-day=+1&dob-month=3&dob-year=2012", "dob-day=1&dob-month=3&dob-year=9999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		form, _ := url.ParseQuery(raw)
		in, errs := web.ChildForm(form)
		if in.GivenName != form.Get("given_name") || in.FamilyName != form.Get("family_name") || in.Gender != form.Get("gender") {
			t.Fatalf("ChildForm(%q) changed the text fields: %+v", raw, in)
		}
		if len(errs) > 0 {
			if !in.DateOfBirth.IsZero() {
				t.Fatalf("ChildForm(%q): a date of birth %v with errors %v", raw, in.DateOfBirth, errs)
			}
			for _, fe := range errs {
				if fe.Field != "date_of_birth" || fe.Message == "" {
					t.Fatalf("ChildForm(%q): unexpected error %+v", raw, fe)
				}
			}
			return
		}
		if in.DateOfBirth.IsZero() {
			if form.Get("dob-day")+form.Get("dob-month")+form.Get("dob-year") != "" {
				t.Fatalf("ChildForm(%q): a date given but none read, and no error", raw)
			}
			return
		}
		s := in.DateOfBirth.String()
		back, err := lantern.ParseDate(s)
		if err != nil || back != in.DateOfBirth {
			t.Fatalf("ChildForm(%q) read %+v, which formats as %q, which reads back as %+v, %v", raw, in.DateOfBirth, s, back, err)
		}
		tm := in.DateOfBirth.Time()
		if tm.Year() != in.DateOfBirth.Year || tm.Month() != in.DateOfBirth.Month || tm.Day() != in.DateOfBirth.Day {
			t.Fatalf("ChildForm(%q) read %+v, which is not a real date (%v)", raw, in.DateOfBirth, tm)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2012-03-01", "2023-02-29", "2024-02-29", "2012-3-1", "2012-03-01T00:00:00Z", "0000-01-01", "9999-12-31",
		"2012-13-01", "2012-00-10", "2012-01-32", " 2012-03-0", "２０１２-03-01", "+012-03-01", "-012-03-01", "2012/03/01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := lantern.ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %+v with error %v", s, d, err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) = %+v, which formats as %q", s, d, d.String())
		}
		if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
			t.Fatalf("ParseDate(%q) = %+v: not a date", s, d)
		}
		if again, err := lantern.ParseDate(d.String()); err != nil || again != d {
			t.Fatalf("ParseDate(%q) does not round-trip: %+v %v", s, again, err)
		}
	})
}

// FuzzServer sends arbitrary bodies to a real server on SQLite: whatever
// comes, the answer is never a 500.
func FuzzServer(f *testing.F) {
	clock := storetest.NewClock(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
	st := storetest.Open(f, "sqlite", clock.Now)
	fx := storetest.Seed(f, st)
	srv, err := web.New(web.Config{Store: st, MaxBody: 4096})
	if err != nil {
		f.Fatal(err)
	}
	token, _, err := st.CreateToken(sysCtx(), fx.SocialWorker.ID, "fuzz", time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		validChild, `{}`, `{"given_name": "a\u0000"}`, `{"given_name": "` + strings.Repeat("é", 101) + `"}`, "{\"gender\": \"f\xff\"}",
		"email=sw%40csc.example.org&password=wrong", "email=%00&password=%FF", "email=a&email=b&password=", "%zz=1", "a=" + strings.Repeat("b", 5000),
	} {
		f.Add(uint8(0), []byte(s))
		f.Add(uint8(1), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		var req *http.Request
		if which%2 == 0 {
			req = httptest.NewRequest("POST", "/api/v1/children", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
		} else {
			req = httptest.NewRequest("POST", "/sign-in", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %q: %d %s", req.URL.Path, body, w.Code, w.Body)
		}
		if which%2 == 0 && w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s %q: %d as %q", req.URL.Path, body, w.Code, w.Header().Get("Content-Type"))
		}
	})
}

// The bodies of dismissing a possible duplicate and allocating a child, and
// the allocation form: anything sent is read into a request whose problems
// are named fields, never a panic.
func FuzzDuplicateAndAllocation(f *testing.F) {
	for _, s := range []string{
		`{"child_ids": ["a", "b"], "reason": "Twins"}`, `{"child_ids": ["a"], "reason": "x"}`, `{"child_ids": null}`, `{"child_ids": "ab"}`,
		`{"child_ids": ["a", "a"], "reason": " "}`, `{"child_ids": [1, 2]}`, `{"worker_id": "w", "move_tasks": true, "version": 2}`,
		`{"worker_id": "", "version": 0}`, `{"version": -1}`, `{"version": 1e400}`, `{"move_tasks": "yes"}`, `{}`, `[]`, ``,
		"worker_id=w&version=2&move_tasks=yes", "version=%zz", "version=99999999999999999999", "worker_id=%00",
	} {
		f.Add([]byte(s))
	}
	named := func(t *testing.T, what string, body []byte, err error, codes ...lantern.Code) {
		if err == nil {
			return
		}
		var le *lantern.Error
		if !errors.As(err, &le) {
			t.Fatalf("%s(%q): %T %v", what, body, err, err)
		}
		ok := false
		for _, c := range codes {
			ok = ok || le.Code == c
		}
		if !ok {
			t.Fatalf("%s(%q): code %q", what, body, le.Code)
		}
		for _, fe := range le.Fields {
			if fe.Message == "" {
				t.Fatalf("%s(%q): field error %+v is not whole", what, body, fe)
			}
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var dr web.DismissRequest
		if err := web.DecodeJSON(body, &dr); err != nil {
			named(t, "dismiss body", body, err, lantern.EBADREQUEST, lantern.ETOOLARGE)
		} else {
			pair := dr.Pair()
			err := lantern.CheckDismissal(pair, dr.Reason)
			named(t, "dismissal", body, err, lantern.EINVALID)
			if err == nil && (len(dr.ChildIDs) != 2 || pair[0] == pair[1]) {
				t.Fatalf("dismissal(%q) accepted %q", body, dr.ChildIDs)
			}
		}
		var ar web.AllocationRequest
		if err := web.DecodeJSON(body, &ar); err != nil {
			named(t, "allocation body", body, err, lantern.EBADREQUEST, lantern.ETOOLARGE)
		} else {
			a, err := ar.Allocation()
			named(t, "allocation", body, err, lantern.EINVALID)
			if err == nil && (a.Version < 1 || strings.TrimSpace(a.WorkerID) == "") {
				t.Fatalf("allocation(%q) accepted %+v", body, a)
			}
		}
		form, _ := url.ParseQuery(string(body))
		a, err := web.AllocationForm(form)
		named(t, "allocation form", body, err, lantern.EINVALID)
		if a.MoveTasks != (form.Get("move_tasks") == "yes") || a.WorkerID != form.Get("worker_id") {
			t.Fatalf("AllocationForm(%q) = %+v", body, a)
		}
	})
}

// FuzzCompleteTaskRequest decodes the body of POST /api/v1/tasks/{tid}/complete
// and checks its note as the store does: a decoded body's note is either
// refused naming note, or kept trimmed, not empty and within the limit.
func FuzzCompleteTaskRequest(f *testing.F) {
	for _, s := range []string{`{"version": 1, "note": "Called the family"}`, `{"version": 1}`, `{"note": "  "}`, `{"note": null}`,
		`{"note": 1}`, `{"version": -1, "note": "x"}`, `{"note": "\u0000"}`, `{"note": "` + strings.Repeat("x", 5001) + `"}`,
		`{"note": "a", "note": "b"}`, `{"note": "\ud800"}`, `{"version": 1, "note": " \t\n "}`, ``, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req web.CompleteTaskRequest
		if err := web.DecodeJSON(body, &req); err != nil {
			if c := lantern.ErrorCode(err); c != lantern.EBADREQUEST && c != lantern.ETOOLARGE {
				t.Fatalf("DecodeJSON(%q): %v", body, err)
			}
			return
		}
		note, err := lantern.CheckTaskNote(req.Note)
		if err != nil {
			fs := lantern.ErrorFields(err)
			if lantern.ErrorCode(err) != lantern.EINVALID || len(fs) != 1 || fs[0].Field != "note" {
				t.Fatalf("CheckTaskNote(%q): %v", req.Note, err)
			}
			return
		}
		if note == "" || len(note) > lantern.MaxTaskNote || note != strings.TrimSpace(note) {
			t.Fatalf("CheckTaskNote(%q) kept %q", req.Note, note)
		}
	})
}

// FuzzFrontDoorRequests decodes the bodies of the front door's API and
// checks each as the store does: a decoded body is either refused as
// invalid, naming fields of its own, or taken; nothing panics.
func FuzzFrontDoorRequests(f *testing.F) {
	for _, s := range []string{`{"rag": "red", "rationale": "Missing overnight"}`, `{"rag": "B2"}`, `{"agency_id": "x", "question": "q", "due_at": "2026-12-03T10:00:00Z"}`,
		`{"due_at": "tomorrow"}`, `{"consent": "not-sought"}`, `{"consent": "given", "reason": "` + strings.Repeat("x", 6000) + `"}`,
		`{"answer": " ", "version": 1}`, `{"question": "\u0000"}`, `{"advice": 1}`, ``, `[]`, `{"rag": "red", "rag": "green"}`} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	valid := func(t *testing.T, what string, body []byte, err error, fields ...string) {
		t.Helper()
		if err == nil {
			return
		}
		if lantern.ErrorCode(err) != lantern.EINVALID {
			t.Fatalf("%s(%q): %v, want invalid", what, body, err)
		}
		for _, fe := range lantern.ErrorFields(err) {
			if !slices.Contains(fields, fe.Field) {
				t.Fatalf("%s(%q): names %q, not one of %q", what, body, fe.Field, fields)
			}
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var rr web.RatingRequest
		if web.DecodeJSON(body, &rr) == nil {
			valid(t, "rating", body, lantern.CheckRating(&lantern.Rating{RAG: lantern.RAGAmber, Rationale: "before"}, rr.RAG, rr.Rationale), "rag", "rationale")
		}
		var ir web.InfoRequestRequest
		if web.DecodeJSON(body, &ir) == nil {
			var p lantern.Problems
			in := lantern.InfoRequestInput{AgencyID: ir.AgencyID, Question: ir.Question}
			if ir.DueAt != nil {
				at, err := time.Parse(time.RFC3339, *ir.DueAt)
				if err != nil {
					p.Add("due_at", "bad")
				}
				in.DueAt = at
			}
			valid(t, "information request", body, p.Err(), "due_at")
			valid(t, "information request", body, in.Validate(now), "agency_id", "question", "due_at")
		}
		var cr web.ConsentRequest
		if web.DecodeJSON(body, &cr) == nil {
			valid(t, "consent", body, lantern.CheckConsent(cr.Consent, cr.Reason), "consent", "reason")
		}
		var ar web.AnswerRequest
		if web.DecodeJSON(body, &ar) == nil {
			valid(t, "answer", body, lantern.CheckAnswer(ar.Answer), "answer")
		}
		var kr web.ConsultationRequest
		if web.DecodeJSON(body, &kr) == nil {
			valid(t, "question", body, lantern.CheckConsultation(kr.Question), "question")
		}
		var dr web.AdviceRequest
		if web.DecodeJSON(body, &dr) == nil {
			valid(t, "advice", body, lantern.CheckAdvice(dr.Advice), "advice")
		}
	})
}
