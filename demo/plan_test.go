package demo_test

import (
	"context"
	"strings"
	"testing"

	"lantern"
	"lantern/demo"
	"lantern/store"
	"lantern/store/storetest"
)

// TestDemoPlan: the demonstration's strategy action plan has the seed's
// four strands, actions of every rating (amber and red with their
// rationale), a suggestion that differs from a rating, two boards and
// changes since the last; its register has a superseded document whose
// chain leads on, and a review overdue. No lead is anyone but the
// demonstration's people.
func TestDemoPlan(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, d, nil)
			if _, err := demo.Load(ctx, s); err != nil {
				t.Fatal(err)
			}
			u, err := s.FindUserByEmail(lantern.NewSystemContext(ctx, "test"), "chair@northmoor.example.org")
			if err != nil {
				t.Fatal(err)
			}
			chair := lantern.NewContextWithUser(ctx, u)
			strands, err := s.Strands(chair)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			ratings := map[lantern.PlanRAG]int{}
			suggestedOtherwise := 0
			for _, st := range strands {
				titles = append(titles, st.Title)
				for _, a := range st.Actions {
					ratings[a.RAG]++
					if a.RAG.NeedsRationale() && a.Rationale == "" {
						t.Errorf("%s is %s with no rationale", a.Reference, a.RAG)
					}
					if a.Suggested != "" && a.Suggested != a.RAG {
						suggestedOtherwise++
					}
					if !strings.HasSuffix(a.LeadName, "Coordinator") && !strings.Contains("Morgan Manager Drew Officer Alex Analyst Chris Chair Nia Teachwell Val Youthworker", a.LeadName) {
						t.Errorf("%s's lead %q is not one of the demonstration's people", a.Reference, a.LeadName)
					}
				}
			}
			if strings.Join(titles, "; ") != "Prevention and response; Safeguarding and protection; Bringing offenders to justice; Public confidence" {
				t.Errorf("strands: %q", titles)
			}
			if ratings[lantern.PlanBlue] < 2 || ratings[lantern.PlanGreen] < 3 || ratings[lantern.PlanAmber] < 2 || ratings[lantern.PlanRed] != 1 {
				t.Errorf("ratings: %v", ratings)
			}
			if suggestedOtherwise < 2 {
				t.Errorf("%d actions whose dates suggest another rating, want at least 2", suggestedOtherwise)
			}
			v, err := s.StrategyBoard(chair)
			if err != nil {
				t.Fatal(err)
			}
			var changes []string
			for _, c := range v.Changes {
				changes = append(changes, c.Action.Reference+":"+string(c.Was)+">"+string(c.Now))
			}
			if len(v.Boards) != 2 || strings.Join(changes, " ") != "1.2b:amber>green 1.2e:amber>red 2.1:green>amber" {
				t.Errorf("%d boards; changes since the last: %v", len(v.Boards), changes)
			}
			docs, err := s.PolicyDocuments(chair, store.RegisterFilter{Status: lantern.DocSuperseded})
			if err != nil || len(docs) != 2 {
				t.Fatalf("superseded: %d %v", len(docs), err)
			}
			doc, err := s.PolicyDocument(chair, docs[1].ID)
			if err != nil || len(doc.Later) != 2 {
				t.Errorf("the first guidance's chain: %+v %v", doc, err)
			}
			overdue, err := s.PolicyDocuments(chair, store.RegisterFilter{Overdue: true})
			if err != nil || len(overdue) != 2 {
				t.Errorf("reviews overdue: %d %v", len(overdue), err)
			}
		})
	}
}
