package web_test

import (
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/app/apptest"
	"lantern/store"
	"lantern/store/storetest"
)

// A page that reads several records commits their audit entries once, as
// one run, and is sent with its status and headers as the handler set them.
func TestPageReadsCommitTogether(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := startEnv(t, d, apptest.Options{})
			st, f := e.srv.Store, e.f
			c, err := st.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "Robin", FamilyName: "Example",
				DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 9}, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			sw := browserFor(t, e.srv, f.SocialWorker.Email)
			before := st.ReadAuditStats()
			r := sw.get("/children/" + c.ID)
			wantPage(t, r, 200, "Robin Example")
			after := st.ReadAuditStats()
			if commits := after.Commits - before.Commits; commits != 1 {
				t.Errorf("the child's page made %d read audit commits, want 1", commits)
			}
			if entries := after.Entries - before.Entries; entries < 8 {
				t.Errorf("the child's page wrote %d read audit entries, want one for each part at least", entries)
			}
			es, _, err := st.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{UserID: f.SocialWorker.ID, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var page []int64
			for _, e := range es {
				if e.Why == "GET /children/{id}" {
					page = append(page, e.Seq)
				}
			}
			for i := 1; i < len(page); i++ {
				if page[i] != page[i-1]-1 { // newest first
					t.Errorf("the page's entries are not one run: %v", page)
					break
				}
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || r.header.Get("Content-Security-Policy") == "" {
				t.Errorf("headers lost: Content-Type %q, CSP %q", ct, r.header.Get("Content-Security-Policy"))
			}
			// A page whose handler reads two records, each audited, one
			// after another: still one commit.
			start := e.clock.Now().Add(-48 * time.Hour)
			back := start.Add(5 * time.Hour)
			ep, err := st.CreateEpisode(storetest.As(f.SocialWorker), c.ID, lantern.EpisodeInput{Kind: "missing", MissingFrom: start, ReturnedAt: &back})
			if err != nil {
				t.Fatal(err)
			}
			before = st.ReadAuditStats()
			wantPage(t, sw.get("/children/"+c.ID+"/missing-episodes/"+ep.ID), 200)
			after = st.ReadAuditStats()
			if commits, entries := after.Commits-before.Commits, after.Entries-before.Entries; commits != 1 || entries < 2 {
				t.Errorf("the episode's page made %d read audit commits of %d entries, want 1 of 2 or more", commits, entries)
			}

			// A page the handler answers otherwise keeps its status.
			wantPage(t, sw.get("/children/"+c.ID+"0"), 404, "Page not found")
		})
	}
}
