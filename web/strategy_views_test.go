package web

import (
	"lantern"
)

// The strategy action plan's and the register's pages, in the table of
// view models (views_test.go), from their own file.
func init() {
	due := lantern.Date{Year: 2026, Month: 11, Day: 1}
	strand := &lantern.Strand{ID: "s1", Number: 1, Title: "Prevention and response", Aim: "Early identification"}
	action := &lantern.PlanAction{ID: "a1", PlanActionInput: lantern.PlanActionInput{StrandID: "s1", Reference: "1.2", Description: "Training",
		Lead: "u1", Agency: "Training group", DueOn: &due}, LeadName: "Sam", RAG: lantern.PlanAmber, Rationale: "No trainer", Suggested: lantern.PlanRed,
		Notes: []lantern.ProgressNote{{ID: "n1", On: due, Text: "Trainer left", RAG: lantern.PlanAmber, Rationale: "No trainer", Suggested: lantern.PlanRed,
			OverrideReason: "Moved by the board", ByName: "Casey"}}}
	strand.Actions = []*lantern.PlanAction{action, {ID: "a2", PlanActionInput: lantern.PlanActionInput{Reference: "1.3"}}}
	counts := lantern.CountByStrand([]*lantern.Strand{strand})
	board := &lantern.Board{ID: "b1", Title: "Partnership executive", HeldOn: due}
	view := &lantern.BoardView{Counts: counts, Since: board, Boards: []*lantern.Board{board},
		Changes: []lantern.RatingChange{{Action: action, Was: lantern.PlanGreen, Now: lantern.PlanAmber}, {Action: strand.Actions[1], New: true}}}
	doc := &lantern.PolicyDocument{ID: "d1", PolicyDocumentInput: lantern.PolicyDocumentInput{Title: "Practice guidance", Scope: lantern.ScopeMultiAgency,
		Source: "The board", IssuedOn: due, DocumentVersion: "2", Owner: "CSE group", ReviewDue: &due, Status: lantern.DocCurrent},
		Shown: lantern.DocCurrent, Earlier: []lantern.DocumentRef{{ID: "d0", Title: "Tip", Shown: lantern.DocSuperseded}},
		Later: []lantern.DocumentRef{{ID: "d2", Title: "Revision", Shown: lantern.DocDraft}}}
	viewModels["strategy"] = strategyView{Strands: []*lantern.Strand{strand}, CanChange: true}
	viewModels["strategy_action"] = planActionView{Action: action, Strand: strand, CanChange: true, RAGs: lantern.PlanRAGs}
	viewModels["strategy_strand_form"] = strandFormView{ID: "s1"}
	viewModels["strategy_action_form"] = planActionFormView{ID: "a1", Strands: []*lantern.Strand{strand}, Leads: []lantern.Person{{ID: "u1", Name: "Sam"}}}
	viewModels["strategy_board"] = boardPageView{View: view, Chart: newBoardChart(counts), RAGs: lantern.PlanRAGs, CanChange: true}
	viewModels["policies"] = policiesView{Documents: []*lantern.PolicyDocument{doc}, CanChange: true, Overdue: 1,
		Statuses: []option{{"", "Any"}}, Sorts: []option{{"title", "Title"}}, Query: "status=current"}
	viewModels["policy"] = policyView{Document: doc, CanChange: true}
	viewModels["policy_form"] = policyFormView{ID: "d1", Documents: []*lantern.PolicyDocument{doc}, Chosen: map[string]bool{"d1": true},
		Scopes: []option{{"internal", "Internal"}}, Statuses: []option{{"current", "Current"}}}
}
