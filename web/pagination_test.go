package web_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
	"lantern/store/storetest"
)

// Pagination links keep what was asked for: a search with an apostrophe
// and a space, and the audit trail's filters.
func TestPaginationLinks(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	f := srv.Fixture
	for i := range 55 {
		if _, err := srv.Store.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: fmt.Sprintf("Kid%02d", i), FamilyName: "O'Neil",
			DateOfBirth: lantern.Date{Year: 2012, Month: 1, Day: 1}, Gender: "female"}); err != nil {
			t.Fatal(err)
		}
	}
	next := regexp.MustCompile(`href="([^"]*)" rel="next"`)
	follow := func(b *browser, body []byte) string {
		t.Helper()
		m := next.FindSubmatch(body)
		if m == nil {
			t.Fatalf("no link to the next page:\n%s", body)
		}
		return html.UnescapeString(string(m[1]))
	}

	sw := newBrowser(t, srv)
	sw.enrol(f.SocialWorker.Email)
	r := sw.get("/children?q=O%27Neil")
	if r.status != 200 || !strings.Contains(string(r.body), "55 children") {
		t.Fatalf("search: %d", r.status)
	}
	link := follow(sw, r.body)
	r = sw.get(link)
	if r.status != 200 || !strings.Contains(string(r.body), "Kid26") || !strings.Contains(string(r.body), "55 children") {
		t.Errorf("page 2 of the search (%s) lost the search: %d", link, r.status)
	}

	au := newBrowser(t, srv)
	au.enrol(f.Auditor.Email)
	r = au.get("/audit?action=child.create")
	if r.status != 200 {
		t.Fatalf("audit: %d", r.status)
	}
	link = follow(au, r.body)
	if !strings.Contains(link, "action=child.create") || !strings.Contains(link, "page=2") {
		t.Errorf("the audit trail's next page %q drops the filter", link)
	}
	r = au.get(link)
	prev := regexp.MustCompile(`href="([^"]*)" rel="prev"`).FindSubmatch(r.body)
	if r.status != 200 || prev == nil || !strings.Contains(html.UnescapeString(string(prev[1])), "action=child.create") {
		t.Errorf("page 2 of the filtered trail: %d, link back %q", r.status, prev)
	}
}
