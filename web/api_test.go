package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store"
	"lantern/store/storetest"
)

// The API's tests: a real server on each database, a real HTTP client, and
// scenarios as tables. Helpers here are shared by the pages' tests.

// start is the time every test server's clock starts at.
var start = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// env is a running server with a settable clock and API tokens for the
// fixture's users.
type env struct {
	t      *testing.T
	srv    *apptest.Server
	f      *storetest.Fixture
	clock  *storetest.Clock
	tokens map[string]string // by user id
}

func startEnv(t *testing.T, d string, opt apptest.Options) *env {
	t.Helper()
	clock := storetest.NewClock(start)
	if opt.Now == nil {
		opt.Now = clock.Now
	}
	srv := apptest.Start(t, d, opt)
	return &env{t: t, srv: srv, f: srv.Fixture, clock: clock, tokens: map[string]string{}}
}

func sysCtx() context.Context { return lantern.NewSystemContext(context.Background(), "test") }

// newToken makes an API token for u, as the operator would.
func (e *env) newToken(u *lantern.User, ttl time.Duration) (secret, id string) {
	e.t.Helper()
	secret, tok, err := e.srv.Store.CreateToken(sysCtx(), u.ID, "t", ttl)
	if err != nil {
		e.t.Fatal(err)
	}
	return secret, tok.ID
}

// token is a long-lived token for u, made once.
func (e *env) token(u *lantern.User) string {
	e.t.Helper()
	if tok, ok := e.tokens[u.ID]; ok {
		return tok
	}
	tok, _ := e.newToken(u, 24*time.Hour)
	e.tokens[u.ID] = tok
	return tok
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type response struct {
	status int
	header http.Header
	body   []byte
}

// send makes a request with c and reads the whole answer.
func send(t *testing.T, c *http.Client, req *http.Request) response {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

// do sends a request to the server; auth is the whole Authorization
// header, or empty for none. hdr is pairs of header names and values.
func (e *env) do(method, path, auth string, body io.Reader, hdr ...string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return send(e.t, noRedirect, req)
}

// as sends a request with u's token.
func (e *env) as(u *lantern.User, method, path, body string) response {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	return e.do(method, path, "Bearer "+e.token(u), r)
}

// total is how many children are stored, as the social worker (who sees
// every child in the area) counts them.
func (e *env) total() int {
	e.t.Helper()
	r := e.as(e.f.SocialWorker, "GET", "/api/v1/children?limit=1", "")
	if r.status != http.StatusOK {
		e.t.Fatalf("count children: %d %s", r.status, r.body)
	}
	var v struct{ Total *int }
	if err := json.Unmarshal(r.body, &v); err != nil || v.Total == nil {
		e.t.Fatalf("count children: %v in %s", err, r.body)
	}
	return *v.Total
}

// createChild makes a child through the API as u and returns it.
func (e *env) createChild(u *lantern.User, given, family string) childJSON {
	e.t.Helper()
	body, _ := json.Marshal(map[string]string{"given_name": given, "family_name": family, "date_of_birth": "2012-03-01", "gender": "female"})
	r := e.as(u, "POST", "/api/v1/children", string(body))
	if r.status != http.StatusCreated {
		e.t.Fatalf("create child as %s: %d %s", u.Email, r.status, r.body)
	}
	return decode[childJSON](e.t, r.body)
}

type childJSON struct {
	ID          string   `json:"id"`
	GivenName   string   `json:"given_name"`
	FamilyName  string   `json:"family_name"`
	DateOfBirth string   `json:"date_of_birth"`
	Gender      string   `json:"gender"`
	Version     int      `json:"version"`
	AgencyIDs   []string `json:"agency_ids"`
}

type problem struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail"`
	Errors []lantern.FieldError `json:"errors"`
	// Current is the record as it now is, on a 409.
	Current *childJSON `json:"current"`
}

func (p problem) fields() []string {
	var fs []string
	for _, e := range p.Errors {
		fs = append(fs, e.Field)
	}
	return fs
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %T: %v in %s", v, err, b)
	}
	return v
}

// checkProblem asserts r is a problem document for status.
func checkProblem(t *testing.T, r response, status int) problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json (body %s)", ct, r.body)
	}
	p := decode[problem](t, r.body)
	if p.Status != status || p.Title != http.StatusText(status) || p.Detail == "" {
		t.Errorf("problem = %+v, want status %d, title %q and a detail", p, status, http.StatusText(status))
	}
	if status == http.StatusUnauthorized && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer ") {
		t.Errorf("401 without WWW-Authenticate: Bearer (got %q)", r.header.Get("WWW-Authenticate"))
	}
	return p
}

// checkSecurityHeaders asserts the headers every response carries.
func checkSecurityHeaders(t *testing.T, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("Content-Security-Policy %q allows unsafe script or style", csp)
	}
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if hsts := h.Get("Strict-Transport-Security"); hsts != "" {
		t.Errorf("Strict-Transport-Security %q sent over plain HTTP", hsts)
	}
}

// apiScenario is one request and what must come of it.
type apiScenario struct {
	name   string
	method string
	path   string // {child}, {patch} and {hidden} are replaced by ids
	// as is whose token to send; nil sends none (or auth, when set).
	as     func(f *storetest.Fixture) *lantern.User
	auth   string
	body   string
	header []string

	wantStatus int
	wantFields []string // errors[].field, exactly these in any order
	wantDetail []string // substrings of the problem's detail
	wantBody   []string // substrings of the raw body
	stored     int      // children added, as the social worker counts them
	check      func(t *testing.T, r response)
	// setup marks a scenario later ones build on: see run.
	setup bool
}

func sw(f *storetest.Fixture) *lantern.User      { return f.SocialWorker }
func teacher(f *storetest.Fixture) *lantern.User { return f.Teacher }
func other(f *storetest.Fixture) *lantern.User   { return f.OtherTeacher }
func admin(f *storetest.Fixture) *lantern.User   { return f.Admin }
func auditor(f *storetest.Fixture) *lantern.User { return f.Auditor }

// run runs the scenarios in order, each as a subtest. A scenario marked
// setup is one later ones build on (what it stores, or what it answers):
// when its subtest is not run (go test -run chose another), the test runs
// it itself, so that each subtest can be run alone.
func (e *env) run(t *testing.T, ids *strings.Replacer, scs []apiScenario) {
	for _, sc := range scs {
		ran := false
		t.Run(sc.name, func(t *testing.T) {
			ran = true
			e.scenario(t, ids, sc)
		})
		if !ran && sc.setup {
			e.scenario(t, ids, sc)
		}
		e.t = t
	}
}

// scenario sends one scenario's request and checks the answer.
func (e *env) scenario(t *testing.T, ids *strings.Replacer, sc apiScenario) {
	e.t = t
	before := e.total()
	auth := sc.auth
	if sc.as != nil {
		auth = "Bearer " + e.token(sc.as(e.f))
	}
	var body io.Reader
	if sc.body != "" {
		body = strings.NewReader(ids.Replace(sc.body))
	}
	r := e.do(sc.method, ids.Replace(sc.path), auth, body, sc.header...)
	if r.status != sc.wantStatus {
		t.Fatalf("status = %d, want %d; body %s", r.status, sc.wantStatus, r.body)
	}
	checkSecurityHeaders(t, r.header)
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", r.header.Get("Cache-Control"))
	}
	if r.status >= 400 {
		p := checkProblem(t, r, sc.wantStatus)
		got, want := p.fields(), slices.Clone(sc.wantFields)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("errors[].field = %q, want %q (%s)", got, want, r.body)
		}
		for _, s := range sc.wantDetail {
			if !strings.Contains(p.Detail, s) {
				t.Errorf("detail %q lacks %q", p.Detail, s)
			}
		}
	} else if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	for _, s := range sc.wantBody {
		if !strings.Contains(string(r.body), ids.Replace(s)) {
			t.Errorf("body lacks %q: %s", s, r.body)
		}
	}
	if after := e.total(); after != before+sc.stored {
		t.Errorf("children stored: %d before, %d after, want %d more", before, after, sc.stored)
	}
	if sc.check != nil {
		sc.check(t, r)
	}
}

const validChild = `{"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "2012-03-01", "gender": "female"}`

func TestAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			f := e.f
			// A child the school made: the school and children's social
			// care see it, the other school does not.
			hidden := e.createChild(f.Teacher, "Hidden", "Pupil")
			patch := e.createChild(f.SocialWorker, "Patch", "Child")
			expired, _ := e.newToken(f.SocialWorker, time.Minute)
			e.clock.Add(2 * time.Minute)
			revoked, revokedID := e.newToken(f.SocialWorker, time.Hour)
			if err := e.srv.Store.RevokeToken(sysCtx(), revokedID); err != nil {
				t.Fatal(err)
			}
			ids := strings.NewReplacer("{hidden}", hidden.ID, "{patch}", patch.ID)
			var missing response // the answer for a child that does not exist

			e.run(t, ids, []apiScenario{
				// Credentials.
				{name: "no credentials", method: "GET", path: "/api/v1/children", wantStatus: 401},
				{name: "no credentials to create", method: "POST", path: "/api/v1/children", body: validChild, wantStatus: 401},
				{name: "no credentials for a child", method: "GET", path: "/api/v1/children/{hidden}", wantStatus: 401},
				{name: "unknown token", method: "GET", path: "/api/v1/children", auth: "Bearer lantern_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", wantStatus: 401},
				{name: "token without the prefix", method: "GET", path: "/api/v1/children", auth: "Bearer " + strings.TrimPrefix(e.token(f.SocialWorker), "lantern_"), wantStatus: 401},
				{name: "not a bearer token", method: "GET", path: "/api/v1/children", auth: "Basic c3c6cGFzc3dvcmQ=", wantStatus: 401, wantDetail: []string{"Bearer"}},
				{name: "the scheme in lower case", method: "GET", path: "/api/v1/children", auth: "bearer " + e.token(f.SocialWorker), wantStatus: 200},
				{name: "a scheme with no token", method: "GET", path: "/api/v1/children", auth: "Bearer", wantStatus: 401, wantDetail: []string{"Bearer"}},
				{name: "expired token", method: "GET", path: "/api/v1/children", auth: "Bearer " + expired, wantStatus: 401},
				{name: "expired token cannot create", method: "POST", path: "/api/v1/children", auth: "Bearer " + expired, body: validChild, wantStatus: 401},
				{name: "revoked token", method: "GET", path: "/api/v1/children", auth: "Bearer " + revoked, wantStatus: 401},
				{name: "a good token", method: "GET", path: "/api/v1/me", as: sw, wantStatus: 200, wantBody: []string{`"email":"sw@csc.example.org"`}},

				// Creating a child.
				{name: "create", method: "POST", path: "/api/v1/children", as: sw, body: validChild, wantStatus: 201, stored: 1,
					check: func(t *testing.T, r response) {
						c := decode[childJSON](t, r.body)
						if c.ID == "" || c.Version != 1 || c.GivenName != "Ada" || c.DateOfBirth != "2012-03-01" {
							t.Errorf("created %+v, want an id, version 1 and the details sent", c)
						}
						if loc := r.header.Get("Location"); loc != "/api/v1/children/"+c.ID {
							t.Errorf("Location = %q, want /api/v1/children/%s", loc, c.ID)
						}
						got := e.as(f.SocialWorker, "GET", r.header.Get("Location"), "")
						if got.status != 200 || decode[childJSON](t, got.body).FamilyName != "Lovelace" {
							t.Errorf("GET Location: %d %s", got.status, got.body)
						}
					}},
				{name: "create as the school", method: "POST", path: "/api/v1/children", as: teacher, body: validChild, wantStatus: 201, stored: 1},
				{name: "malformed JSON says where", method: "POST", path: "/api/v1/children", as: sw,
					body: "{\"given_name\": \"Ada\",\n  \"family_name\": ,\n}", wantStatus: 400,
					wantFields: []string{"body"}, wantDetail: []string{"not valid JSON", "line 2, column 18 (byte 40)"}},
				{name: "JSON cut short", method: "POST", path: "/api/v1/children", as: sw, body: `{"given_name": "Ada"`, wantStatus: 400, wantFields: []string{"body"}, wantDetail: []string{"ends part-way"}},
				{name: "empty body", method: "POST", path: "/api/v1/children", as: sw, body: " \n", wantStatus: 400, wantFields: []string{"body"}, wantDetail: []string{"empty"}},
				{name: "not an object", method: "POST", path: "/api/v1/children", as: sw, body: `["Ada"]`, wantStatus: 400, wantFields: []string{"body"}, wantDetail: []string{"must be a JSON object"}},
				{name: "unknown field is named", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "2012-03-01", "gender": "female", "nickname": "Countess"}`,
					wantStatus: 400, wantFields: []string{"nickname"}},
				{name: "wrong type is named", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": 5, "family_name": "Lovelace", "date_of_birth": "2012-03-01", "gender": "female"}`,
					wantStatus: 400, wantFields: []string{"given_name"}},
				{name: "date of birth as a number", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": 20120301, "gender": "female"}`,
					wantStatus: 400, wantFields: []string{"date_of_birth"}},
				{name: "trailing data", method: "POST", path: "/api/v1/children", as: sw, body: validChild + ` {"given_name": "Eve"}`,
					wantStatus: 400, wantFields: []string{"body"}, wantDetail: []string{"more after the JSON object"}},
				{name: "trailing garbage", method: "POST", path: "/api/v1/children", as: sw, body: validChild + `x`,
					wantStatus: 400, wantFields: []string{"body"}, wantDetail: []string{"more after the JSON object"}},
				{name: "missing fields each named", method: "POST", path: "/api/v1/children", as: sw, body: `{}`,
					wantStatus: 422, wantFields: []string{"given_name", "family_name", "date_of_birth", "gender"}},
				{name: "future date of birth", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "2026-11-23", "gender": "female"}`,
					wantStatus: 422, wantFields: []string{"date_of_birth"}},
				{name: "date that does not exist", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "2023-02-29", "gender": "female"}`,
					wantStatus: 422, wantFields: []string{"date_of_birth"}},
				{name: "bad date and a missing gender, together", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "1 March 2012"}`,
					wantStatus: 422, wantFields: []string{"date_of_birth", "gender"}},
				{name: "unknown gender", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "2012-03-01", "gender": "x"}`,
					wantStatus: 422, wantFields: []string{"gender"}},
				{name: "control character in a name", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "A\u0007da", "family_name": "Lovelace", "date_of_birth": "2012-03-01", "gender": "female"}`,
					wantStatus: 422, wantFields: []string{"given_name"}},
				{name: "NUL in a name", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "A\u0000da", "family_name": "Lovelace", "date_of_birth": "2012-03-01", "gender": "female"}`,
					wantStatus: 400, wantFields: []string{"body"}, wantDetail: []string{"NUL"}},
				{name: "not UTF-8 in a name is read as a replacement character", method: "POST", path: "/api/v1/children", as: sw,
					body:       "{\"given_name\": \"A\xffda\", \"family_name\": \"Lovelace\", \"date_of_birth\": \"2012-03-01\", \"gender\": \"female\"}",
					wantStatus: 201, stored: 1, wantBody: []string{"\"given_name\":\"A\ufffdda\""}},
				{name: "a new record has no version", method: "POST", path: "/api/v1/children", as: sw,
					body:       `{"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "2012-03-01", "gender": "female", "version": 3}`,
					wantStatus: 422, wantFields: []string{"version"}},
				{name: "administrators cannot create", method: "POST", path: "/api/v1/children", as: admin, body: validChild, wantStatus: 403},
				{name: "auditors cannot create", method: "POST", path: "/api/v1/children", as: auditor, body: validChild, wantStatus: 403},

				// Who sees a child.
				{name: "children's social care sees the school's child", setup: true, method: "GET", path: "/api/v1/children/{hidden}", as: sw, wantStatus: 200,
					wantBody: []string{`"id":"{hidden}"`, `"given_name":"Hidden"`}},
				{name: "the school sees its own child", method: "GET", path: "/api/v1/children/{hidden}", as: teacher, wantStatus: 200},
				{name: "a child that does not exist", setup: true, method: "GET", path: "/api/v1/children/0190f0f0-0000-7000-8000-000000000000", as: other, wantStatus: 404,
					check: func(t *testing.T, r response) { missing = r }},
				{name: "another school: not found, the same as no child at all", method: "GET", path: "/api/v1/children/{hidden}", as: other, wantStatus: 404,
					check: func(t *testing.T, r response) {
						if !bytes.Equal(r.body, missing.body) {
							t.Errorf("a hidden child's 404 differs from a missing child's:\n%s\n%s", r.body, missing.body)
						}
						if r.header.Get("Content-Type") != missing.header.Get("Content-Type") || r.header.Get("Content-Length") != missing.header.Get("Content-Length") {
							t.Errorf("headers differ: %v vs %v", r.header, missing.header)
						}
					}},
				{name: "another school's list leaves the child out", method: "GET", path: "/api/v1/children?q=Hidden", as: other, wantStatus: 200,
					wantBody: []string{`"total":0`}},
				{name: "the administrator sees no child", method: "GET", path: "/api/v1/children/{hidden}", as: admin, wantStatus: 404},
				{name: "the administrator may not list children", method: "GET", path: "/api/v1/children", as: admin, wantStatus: 403},
				{name: "the auditor sees no child", method: "GET", path: "/api/v1/children/{hidden}", as: auditor, wantStatus: 404},
				{name: "forged id: dot dot", method: "GET", path: "/api/v1/children/..%2F..%2Fetc%2Fpasswd", as: sw, wantStatus: 404},
				{name: "forged id: NUL", method: "GET", path: "/api/v1/children/%00", as: sw, wantStatus: 404},
				{name: "forged id: NUL after a real id", method: "GET", path: "/api/v1/children/{hidden}%00", as: sw, wantStatus: 404},
				{name: "forged id: not UTF-8", method: "GET", path: "/api/v1/children/%FF%FE", as: sw, wantStatus: 404},
				{name: "forged id: very long", method: "GET", path: "/api/v1/children/" + strings.Repeat("9", 8000), as: sw, wantStatus: 404},
				{name: "forged id: SQL quote", method: "GET", path: "/api/v1/children/x'%20OR%20'1'%3D'1", as: sw, wantStatus: 404},
				{name: "forged id: LIKE wildcard", method: "GET", path: "/api/v1/children/%25", as: sw, wantStatus: 404},
				{name: "search with NUL", method: "GET", path: "/api/v1/children?q=%00", as: sw, wantStatus: 400},
				{name: "search not UTF-8", method: "GET", path: "/api/v1/children?q=%FF", as: sw, wantStatus: 400},
				{name: "search with a wildcard finds nothing extra", method: "GET", path: "/api/v1/children?q=%25", as: sw, wantStatus: 200, wantBody: []string{`"total":0`}},
				{name: "search too long to be a name", method: "GET", path: "/api/v1/children?q=" + strings.Repeat("a", 50000), as: sw, wantStatus: 422, wantFields: []string{"q"}},
				{name: "search as long as allowed", method: "GET", path: "/api/v1/children?q=" + strings.Repeat("a", 199), as: sw, wantStatus: 200},
				{name: "search of 200 characters", method: "GET", path: "/api/v1/children?q=" + strings.Repeat("a", 200), as: sw, wantStatus: 422, wantFields: []string{"q"}},
				{name: "limit out of range", method: "GET", path: "/api/v1/children?limit=1000", as: sw, wantStatus: 422, wantFields: []string{"limit"}},

				// Changing a child.
				{name: "PATCH without a version", method: "PATCH", path: "/api/v1/children/{patch}", as: sw, body: `{"given_name": "Pat"}`,
					wantStatus: 422, wantFields: []string{"version"}},
				{name: "PATCH with a bad date", method: "PATCH", path: "/api/v1/children/{patch}", as: sw, body: `{"date_of_birth": "2023-02-29", "version": 1}`,
					wantStatus: 422, wantFields: []string{"date_of_birth"}},
				{name: "PATCH by another school", method: "PATCH", path: "/api/v1/children/{hidden}", as: other, body: `{"given_name": "Pwned", "version": 1}`,
					wantStatus: 404, check: func(t *testing.T, r response) {
						if !bytes.Equal(r.body, missing.body) {
							t.Errorf("PATCH of a hidden child differs from a missing one: %s", r.body)
						}
					}},
				{name: "PATCH by the administrator", method: "PATCH", path: "/api/v1/children/{patch}", as: admin, body: `{"given_name": "Pwned", "version": 1}`, wantStatus: 404},
				{name: "PATCH", setup: true, method: "PATCH", path: "/api/v1/children/{patch}", as: sw, body: `{"given_name": "Pat", "version": 1}`, wantStatus: 200,
					check: func(t *testing.T, r response) {
						c := decode[childJSON](t, r.body)
						if c.Version != 2 || c.GivenName != "Pat" || c.FamilyName != "Child" {
							t.Errorf("after PATCH: %+v, want version 2, given name Pat, family name kept", c)
						}
					}},
				{name: "PATCH by a school not involved", method: "PATCH", path: "/api/v1/children/{patch}", as: teacher, body: `{"given_name": "Stale", "version": 1}`,
					wantStatus: 404}, // the school is not involved with this child
				{name: "PATCH with a stale version: 409 with the current record", method: "PATCH", path: "/api/v1/children/{patch}", as: sw,
					body: `{"given_name": "Stale", "version": 1}`, wantStatus: 409,
					check: func(t *testing.T, r response) {
						p := decode[problem](t, r.body)
						if p.Current == nil || p.Current.ID != patch.ID || p.Current.Version != 2 || p.Current.GivenName != "Pat" {
							t.Errorf("current = %+v, want the record at version 2", p.Current)
						}
						got := decode[childJSON](t, e.as(f.SocialWorker, "GET", "/api/v1/children/"+patch.ID, "").body)
						if got.GivenName != "Pat" || got.Version != 2 {
							t.Errorf("the stale change was stored: %+v", got)
						}
					}},
				{name: "PATCH with the current version", method: "PATCH", path: "/api/v1/children/{patch}", as: sw, body: `{"family_name": "Childs", "version": 2}`,
					wantStatus: 200, wantBody: []string{`"version":3`, `"given_name":"Pat"`, `"family_name":"Childs"`}},

				// The audit trail of reads.
				{name: "the auditor sees who read the child", method: "GET", path: "/api/v1/audit?child_id={hidden}", as: auditor, wantStatus: 200,
					check: func(t *testing.T, r response) {
						v := decode[struct {
							Entries []struct {
								Action  string `json:"action"`
								UserID  string `json:"user_id"`
								IP      string `json:"ip"`
								Why     string `json:"why"`
								ChildID string `json:"child_id"`
							} `json:"entries"`
						}](t, r.body)
						found := false
						for _, en := range v.Entries {
							if en.ChildID != hidden.ID {
								t.Errorf("entry for child %q in a search for %q", en.ChildID, hidden.ID)
							}
							if en.Action == "child.read" && en.UserID == f.SocialWorker.ID {
								found = true
								if en.IP != "127.0.0.1" || en.Why != "GET /api/v1/children/{id}" {
									t.Errorf("child.read entry: ip %q why %q, want 127.0.0.1 and the route", en.IP, en.Why)
								}
							}
							if en.UserID == f.OtherTeacher.ID && en.Action == "child.read" {
								t.Errorf("a refused read was recorded as a read: %+v", en)
							}
						}
						if !found {
							t.Errorf("no child.read by the social worker in %s", r.body)
						}
					}},
				{name: "the audit trail with a bad date", method: "GET", path: "/api/v1/audit?from=2026-13-01", as: auditor, wantStatus: 422, wantFields: []string{"from"}},
				{name: "the audit trail is for auditors only: social worker", method: "GET", path: "/api/v1/audit?child_id={hidden}", as: sw, wantStatus: 403},
				{name: "the audit trail is for auditors only: administrator", method: "GET", path: "/api/v1/audit", as: admin, wantStatus: 403},
				{name: "the audit trail needs credentials", method: "GET", path: "/api/v1/audit", wantStatus: 401},

				// Paths that are not there.
				{name: "unknown API path", method: "GET", path: "/api/v1/nonsense", as: sw, wantStatus: 404},
				{name: "unknown API path without credentials: as any other", method: "GET", path: "/api/v1/nonsense", wantStatus: 401},
				{name: "unknown API path", method: "GET", path: "/api/v1/nonsense", as: sw, wantStatus: 404},
				{name: "unknown method on a known path", method: "DELETE", path: "/api/v1/children/{hidden}", as: sw, wantStatus: 404},
			})
		})
	}
}

// TestAPIBodyLimit checks the cap on request bodies, with and without a
// Content-Length.
func TestAPIBodyLimit(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{MaxBody: 2048})
			big := `{"given_name": "` + strings.Repeat("a", 4096) + `", "family_name": "Big", "date_of_birth": "2012-03-01", "gender": "female"}`
			small := strings.Repeat(" ", 2048-len(validChild)) + validChild // exactly at the cap
			ids := strings.NewReplacer()
			e.run(t, ids, []apiScenario{
				{name: "4 KiB with a Content-Length", method: "POST", path: "/api/v1/children", as: sw, body: big, wantStatus: 413, wantDetail: []string{"2048"}},
				{name: "at the cap", method: "POST", path: "/api/v1/children", as: sw, body: small, wantStatus: 201, stored: 1},
			})
			t.Run("4 KiB chunked, with no Content-Length", func(t *testing.T) {
				e.t = t
				before := e.total()
				req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/children", io.MultiReader(strings.NewReader(big)))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Authorization", "Bearer "+e.token(e.f.SocialWorker))
				r := send(t, noRedirect, req)
				if req.ContentLength != -1 && req.ContentLength != 0 {
					t.Fatalf("the request had a Content-Length of %d", req.ContentLength)
				}
				if r.status != 413 {
					t.Fatalf("status = %d, want 413: %s", r.status, r.body)
				}
				checkProblem(t, r, 413)
				if after := e.total(); after != before {
					t.Errorf("children: %d before, %d after a refused body", before, after)
				}
			})
		})
	}
}

// TestSecurityHeaders checks the headers on pages, the API, assets and
// errors alike.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := startEnv(t, "sqlite", apptest.Options{})
	for _, tc := range []struct{ path string }{
		{"/api/v1/children"}, {"/api/v1/openapi.json"}, {"/api/v1/nonsense"}, {"/sign-in"}, {"/children"}, {"/no-such-page"}, {"/healthz"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			e.t = t
			r := e.do("GET", tc.path, "", nil)
			if r.status >= 500 {
				t.Fatalf("status %d", r.status)
			}
			checkSecurityHeaders(t, r.header)
			if r.header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("X-Frame-Options = %q", r.header.Get("X-Frame-Options"))
			}
		})
	}
	t.Run("a 404 page is HTML in the house style", func(t *testing.T) {
		e.t = t
		// Signed out, every page but signing in asks for it first: what
		// exists is not told to strangers.
		if r := e.do("GET", "/no-such-page", "", nil); r.status != 303 || r.header.Get("Location") != "/sign-in" {
			t.Errorf("GET /no-such-page signed out: %d to %q", r.status, r.header.Get("Location"))
		}
		b := newBrowser(t, e.srv)
		b.enrol(e.f.Teacher.Email)
		r := b.get("/no-such-page")
		if r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "Page not found") {
			t.Errorf("GET /no-such-page: %d %s", r.status, r.header.Get("Content-Type"))
		}
	})
}

// TestAPICrossSite checks that a browser's session cannot be used from
// another site to change anything.
func TestAPICrossSite(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			c := signIn(t, e.srv, e.f.SocialWorker.Email)
			post := func(t *testing.T, hdr ...string) response {
				req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/children", strings.NewReader(validChild))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				for i := 0; i+1 < len(hdr); i += 2 {
					req.Header.Set(hdr[i], hdr[i+1])
				}
				return send(t, c, req)
			}
			for _, tc := range []struct {
				name   string
				hdr    []string
				status int
				stored int
			}{
				{"Sec-Fetch-Site: cross-site", []string{"Sec-Fetch-Site", "cross-site"}, 403, 0},
				{"Sec-Fetch-Site: same-site", []string{"Sec-Fetch-Site", "same-site"}, 403, 0},
				{"an Origin of another host", []string{"Origin", "https://evil.example"}, 403, 0},
				{"an Origin of another port", []string{"Origin", "http://127.0.0.1:1"}, 403, 0},
				{"a form from another site", []string{"Sec-Fetch-Site", "cross-site", "Content-Type", "text/plain"}, 403, 0},
				// The same session from Lantern's own pages works, so the
				// refusals above are for the site, not the session.
				{"Sec-Fetch-Site: same-origin", []string{"Sec-Fetch-Site", "same-origin"}, 201, 1},
				{"an Origin of Lantern itself", []string{"Origin", e.srv.URL}, 201, 1},
			} {
				t.Run(tc.name, func(t *testing.T) {
					e.t = t
					before := e.total()
					r := post(t, tc.hdr...)
					if r.status != tc.status {
						t.Fatalf("status = %d, want %d: %s", r.status, tc.status, r.body)
					}
					if r.status == 403 {
						checkProblem(t, r, 403)
					}
					if after := e.total(); after != before+tc.stored {
						t.Errorf("children: %d before, %d after, want %d more", before, after, tc.stored)
					}
				})
			}
			t.Run("the session reads children through the API", func(t *testing.T) {
				e.t = t
				req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
				r := send(t, c, req)
				if r.status != 200 || !strings.Contains(string(r.body), e.f.SocialWorker.ID) {
					t.Errorf("GET /api/v1/me with the session: %d %s", r.status, r.body)
				}
			})
		})
	}
}

// An API token reaches the API, not the pages: a page answers it as it
// answers no one signed in, so a token cannot, for one, make a longer-lived
// token on the account page.
func TestTokensDoNotReachPages(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			auth := "Bearer " + e.token(e.f.SocialWorker)
			if r := e.do("GET", "/api/v1/me", auth, nil); r.status != http.StatusOK {
				t.Fatalf("the token on the API: %d", r.status)
			}
			for _, path := range []string{"/", "/account", "/children"} {
				if r := e.do("GET", path, auth, nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/sign-in" {
					t.Errorf("GET %s with a token: %d to %q, want 303 to /sign-in", path, r.status, r.header.Get("Location"))
				}
			}
			r := e.do("POST", "/account/tokens", auth, strings.NewReader("name=longer&ttl=90d"), "Content-Type", "application/x-www-form-urlencoded")
			if r.status != http.StatusUnauthorized || strings.Contains(string(r.body), "lantern_") {
				t.Errorf("POST /account/tokens with a token: %d %.300s", r.status, r.body)
			}
		})
	}
}

// A refused API token is audited, from the address it came from, and counts
// against that address as a failed sign-in does: past the limit, refused
// without writing more. A good token still works from there.
func TestRefusedTokensAreAuditedAndLimited(t *testing.T) {
	t.Parallel()
	e := startEnv(t, "sqlite", apptest.Options{})
	bad := "Bearer lantern_" + strings.Repeat("A", 43)
	for range 3 {
		if r := e.do("GET", "/api/v1/me", bad, nil); r.status != http.StatusUnauthorized {
			t.Fatalf("a bad token: %d", r.status)
		}
	}
	es, _, err := e.srv.Store.SearchAudit(storetest.As(e.f.Auditor), store.AuditFilter{Action: "token.refused"})
	if err != nil || len(es) != 3 || es[0].IP != "127.0.0.1" {
		t.Fatalf("refused tokens audited: %d %v", len(es), err)
	}
	for range store.MaxTokenFailures - 3 {
		e.do("GET", "/api/v1/me", bad, nil)
	}
	if r := e.do("GET", "/api/v1/me", bad, nil); r.status != http.StatusTooManyRequests {
		t.Errorf("past the address's limit: %d, want 429", r.status)
	}
	es, _, _ = e.srv.Store.SearchAudit(storetest.As(e.f.Auditor), store.AuditFilter{Action: "token.refused", Limit: 1000})
	if len(es) != store.MaxTokenFailures {
		t.Errorf("%d entries for refused tokens, want %d: no more past the limit", len(es), store.MaxTokenFailures)
	}
	if r := e.as(e.f.SocialWorker, "GET", "/api/v1/me", ""); r.status != http.StatusOK {
		t.Errorf("a good token from the same address: %d", r.status)
	}
}
