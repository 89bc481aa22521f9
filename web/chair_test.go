package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"lantern"
	"lantern/app/apptest"
)

// The chair, who may not record a meeting's outcome, is neither offered the
// link nor shown the form (the form opened, and its save was refused).
func TestTheChairIsNotOfferedWhatTheyMayNotDo(t *testing.T) {
	t.Parallel()
	e := startEnv(t, "sqlite", apptest.Options{})
	c := e.createChild(e.f.SocialWorker, "Ava", "Stone")
	r := e.as(e.f.SocialWorker, "POST", "/api/v1/meetings", `{"kind": "cse-strategy", "child_ids": ["`+c.ID+`"],
		"starts_at": "2026-11-22T08:00:00Z", "ends_at": "2026-11-22T09:00:00Z", "location": "Room 1"}`)
	if r.status != 201 {
		t.Fatalf("arrange a meeting: %d %s", r.status, r.body)
	}
	var m struct{ ID string }
	json.Unmarshal(r.body, &m)
	chair, err := e.srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "chair@csc.example.org", Name: "Chris Chair", AgencyID: e.f.CSC.ID,
		Roles: []lantern.Role{lantern.RoleChair}, Password: "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, e.srv)
	b.enrol(chair.Email)
	page := b.get("/meetings/" + m.ID)
	wantPage(t, page, 200, "CSE strategy meeting")
	if strings.Contains(string(page.body), "/outcome") {
		t.Error("the chair is offered the outcome")
	}
	wantPage(t, b.get("/meetings/"+m.ID+"/outcome"), 403, "You cannot record a meeting")
	wantPage(t, b.post("/meetings/"+m.ID+"/outcome", url.Values{"held": {"yes"}}), 403)
	// The social worker who arranged it is offered both.
	sw := newBrowser(t, e.srv)
	sw.enrol(e.f.SocialWorker.Email)
	wantPage(t, sw.get("/meetings/"+m.ID), 200, "/meetings/"+m.ID+"/outcome")
	wantPage(t, sw.get("/meetings/"+m.ID+"/outcome"), 200, "Record the outcome")
}
