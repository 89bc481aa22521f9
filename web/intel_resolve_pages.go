package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lantern"
	"lantern/store"
)

// The same person held twice (docs/intelligence.md): on a person's page,
// who else they might be and why, the weights behind each candidate; the
// police and analysts say that two records are one person, and undo it.
// The review list puts the pairs the model was not sure of side by side,
// for them to answer: same, different or not sure.

func (s *Server) intelResolvePageRoutes() {
	s.handle("POST /intelligence/persons/{xid}/merge", s.mergePersonPage)
	s.handle("POST /intelligence/persons/{xid}/unmerge", s.unmergePersonPage)
	s.handle("GET /intelligence/reviews", s.reviewsPage)
	s.handle("POST /intelligence/reviews/{pid}", s.answerPairPage)
}

// canMerge: the police and analysts decide whether two records are one.
func canMerge(u *lantern.User) bool {
	return lantern.Allowed(u, lantern.ResIntel, lantern.ActMerge, lantern.RelArea)
}

var personKind = intelKinds[0]

// weightRow is what one comparison gave a candidate, in bits.
type weightRow struct {
	Comparison string
	Found      string // what the comparison found: "exact, common name"
	Bits       string // signed: +6.2, −3.1
	// For: the weight counts towards the same person; else against.
	For bool
}

// candidateRow is another person who may be this one.
type candidateRow struct {
	ID, Label, Href string
	Percent         string // the probability: 87.5%
	Likelihood      string // the model's decision, in words
	TagClass        string
	Weights         []weightRow
	Total           string // the weights' sum, in bits
	// Open: the merge form has an error, so it is shown open.
	Open bool
}

// personResolveView is what a person's page shows of who else they may be.
type personResolveView struct {
	// Merger: the police and analysts, who merge and undo.
	Merger bool
	// MergedInto and MergedLabel: the person this record was found to be.
	MergedInto, MergedLabel string
	Candidates              []candidateRow
	// Also are the records found to be this person.
	Also []intelEnd
}

// percent writes a probability as a percentage to a tenth, never rounded
// up to certainty or down to none.
func percent(p float64) string {
	switch {
	case p >= 1:
		return "100%"
	case p >= 0.9995: // would be written 100.0
		return "more than 99.9%"
	case p < 0.0005: // would be written 0.0
		return "less than 0.1%"
	}
	return strings.TrimSuffix(strconv.FormatFloat(p*100, 'f', 1, 64), ".0") + "%"
}

// bits writes a weight with its sign (a true minus).
func bits(w float64) string {
	sign := "+"
	if w < 0 {
		sign = "−"
	}
	if math.IsInf(w, 0) {
		return sign + "∞"
	}
	return sign + strconv.FormatFloat(math.Abs(w), 'f', 1, 64)
}

// decisions are the model's, in words: automatic merging needs a shared
// registration or phone as well as the probability, so a pair more probable
// than one merged may still be for a person to decide.
var decisions = map[string]struct{ words, tag string }{
	"autolink": {"Alike enough to be merged automatically", "govuk-tag--purple"},
	"review":   {"For a person to decide", "govuk-tag--yellow"},
	"none":     {"Below the review list's threshold", "govuk-tag--grey"},
}

func candidateRows(cs []lantern.PersonCandidate) []candidateRow {
	rows := make([]candidateRow, 0, len(cs))
	for _, c := range cs {
		d, ok := decisions[c.Decision]
		if !ok {
			d = decisions["none"]
		}
		row := candidateRow{ID: c.PersonID, Label: c.Label, Href: entityHref(lantern.EntityRef{Type: lantern.EntityPerson, ID: c.PersonID}),
			Percent: percent(c.Probability), Likelihood: d.words, TagClass: d.tag, Total: bits(c.Weight)}
		if row.Label == "" {
			row.Label = "A person held"
		}
		for _, w := range c.Weights {
			row.Weights = append(row.Weights, weightRow{Comparison: w.Comparison, Found: w.Level, Bits: bits(w.Weight), For: w.Weight >= 0})
		}
		rows = append(rows, row)
	}
	return rows
}

// personResolution reads what a person's page shows of who else they may
// be: the person they were merged into, or the candidates and the records
// merged into them. errs open the merge form they belong to; one for a
// person not among the candidates is put on the list's own, into.
func (s *Server) personResolution(ctx context.Context, id, merged string, errs *[]lantern.FieldError) (*personResolveView, error) {
	v := &personResolveView{Merger: canMerge(lantern.UserFromContext(ctx)), MergedInto: merged}
	if merged != "" {
		p, err := s.st.Person(ctx, merged)
		if err != nil {
			return nil, err
		}
		v.MergedLabel = p.Label()
		return v, nil
	}
	cs, err := s.st.Candidates(ctx, id)
	if err != nil {
		return nil, err
	}
	v.Candidates = candidateRows(cs)
	for j, e := range *errs {
		found := !strings.HasPrefix(e.Field, "confirm-")
		for i := range v.Candidates {
			if e.Field == "confirm-"+v.Candidates[i].ID {
				v.Candidates[i].Open, found = true, true
			}
		}
		if !found {
			(*errs)[j].Field = "into"
		}
	}
	also, err := s.st.MergedInto(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, m := range also {
		v.Also = append(v.Also, intelEnd{Label: m.Label, Href: entityHref(lantern.EntityRef{Type: lantern.EntityPerson, ID: m.ID}), Ref: "person:" + m.ID})
	}
	return v, nil
}

// mergePersonPage: the police or an analyst says this person and the one
// named in into are one, having ticked to confirm it. The newer record goes
// into the older, as the review list's answers do; the older's page is
// shown.
func (s *Server) mergePersonPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id, into := r.PathValue("xid"), strings.TrimSpace(form.Get("into"))
	var own lantern.Problems
	switch {
	case into == "" || len(into) > 64:
		own.Add("into", "Choose the person this one is")
	case form.Get("confirm") != "yes":
		own.Add("confirm-"+into, "Tick to confirm that these are the same person")
	}
	from, to := id, into
	if to > from {
		from, to = to, from
	}
	if len(own) == 0 {
		err = s.st.MergePersons(r.Context(), from, to)
	} else {
		err = own.Err()
	}
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, entityHref(lantern.EntityRef{Type: lantern.EntityPerson, ID: to})+"?done=merged")
	case lantern.EINVALID:
		errs := []lantern.FieldError(own)
		if len(own) == 0 {
			for _, fe := range lantern.ErrorFields(err) {
				fe.Field = "confirm-" + into // the service's "into" is the candidate's form
				errs = append(errs, fe)
			}
		}
		s.renderIntelEntity(w, r, http.StatusUnprocessableEntity, personKind, id, formMap(form), errs)
	default:
		s.error(w, r, err)
	}
}

// unmergePersonPage undoes the merge that put this person into another.
func (s *Server) unmergePersonPage(w http.ResponseWriter, r *http.Request) {
	if _, err := parseForm(r); err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("xid")
	err := s.st.UnmergePerson(r.Context(), id)
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, entityHref(lantern.EntityRef{Type: lantern.EntityPerson, ID: id})+"?done=unmerged")
	case lantern.EINVALID:
		var errs []lantern.FieldError
		for _, fe := range lantern.ErrorFields(err) {
			errs = append(errs, lantern.FieldError{Field: "undo", Message: fe.Message})
		}
		s.renderIntelEntity(w, r, http.StatusUnprocessableEntity, personKind, id, map[string]string{}, errs)
	default:
		s.error(w, r, err)
	}
}

// reviewFact is one row of a pair side by side: what each record holds.
type reviewFact struct {
	Key  string
	A, B string
	// Same: both hold it, and alike.
	Same bool
}

// reviewPairRow is a pair on the review list.
type reviewPairRow struct {
	ID     string
	A, B   intelEnd
	Facts  []reviewFact
	Chance string   // the probability, as a percentage
	Why    []string // the reasons, as the model gave them
	Found  string
	// OneAlready: the two have been merged since the pair was listed.
	OneAlready bool
}

// reviewsView is the review list.
type reviewsView struct {
	Pairs []reviewPairRow
	// Waiting is how many pairs wait, in words ("12 pairs", "200 or more pairs").
	Waiting string
	// More: more wait than are shown.
	More    bool
	Answers []eventOption
}

// maxReviewShown bounds the pairs on the page: the most probable first.
const maxReviewShown = 25

var pairAnswers = []eventOption{
	{"same", "Yes, the same person", "The two records become one: their links are shown together. It can be undone from the person's page."},
	{"different", "No, different people", "Both records stay apart, and the pair is not asked again."},
	{"unsure", "Not sure", "Both records stay apart; the pair leaves the list."},
}

// birth says when a person was born, as far as it is held.
func birth(p *lantern.PersonOfConcern) string {
	est := ""
	if p.Estimated {
		est = " (estimated)"
	}
	switch {
	case p.DateOfBirth != nil:
		return p.DateOfBirth.Format() + est
	case p.BirthYear != 0:
		return strconv.Itoa(p.BirthYear) + est
	}
	return ""
}

func pairFacts(a, b *store.ReviewPerson) []reviewFact {
	names := func(p *store.ReviewPerson) string {
		var ns []string
		for _, n := range p.Names {
			if s := n.String(); s != "" {
				ns = append(ns, s)
			}
		}
		return strings.Join(ns, "; ")
	}
	addresses := func(p *store.ReviewPerson) string {
		var as []string
		for _, x := range p.Addresses {
			if s := strings.TrimSpace(x.Address + " " + x.Postcode); s != "" {
				as = append(as, s)
			}
		}
		return strings.Join(as, "; ")
	}
	sex := func(p *store.ReviewPerson) string {
		return map[string]string{"male": "Male", "female": "Female"}[p.Sex]
	}
	out := []reviewFact{}
	for _, f := range []struct {
		key string
		of  func(*store.ReviewPerson) string
	}{
		{"Names", names},
		{"Street names and aliases", func(p *store.ReviewPerson) string { return strings.Join(p.Aliases, "; ") }},
		{"Born", func(p *store.ReviewPerson) string { return birth(p.PersonOfConcern) }},
		{"Sex", sex},
		{"Addresses", addresses},
		{"Vehicles", func(p *store.ReviewPerson) string { return strings.Join(p.Vehicles, "; ") }},
		{"Phones", func(p *store.ReviewPerson) string { return strings.Join(p.Phones, "; ") }},
	} {
		va, vb := f.of(a), f.of(b)
		out = append(out, reviewFact{Key: f.key, A: va, B: vb, Same: va != "" && strings.EqualFold(va, vb)})
	}
	return out
}

func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request) {
	s.renderReviews(w, r, http.StatusOK, nil, nil)
}

// renderReviews shows the review list; form and errs are an answer's, sent
// again with its errors.
func (s *Server) renderReviews(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	ctx := r.Context()
	p := s.newPage(r, "Records that may be one person")
	p.Nav = "intelligence"
	p.Errors, p.Form = errs, form
	if p.Form == nil {
		p.Form = map[string]string{}
	}
	v := reviewsView{Answers: pairAnswers}
	err := s.st.ReadTogether(ctx, func(ctx context.Context) error {
		ps, err := s.st.ReviewPairs(ctx)
		if err != nil {
			return err
		}
		v.Waiting = plural(len(ps), "pair", "pairs")
		if len(ps) == store.MaxReviewPairs {
			v.Waiting = strconv.Itoa(len(ps)) + " or more pairs"
		}
		v.More = len(ps) > maxReviewShown
		ps = ps[:min(len(ps), maxReviewShown)]
		var ids []string
		for _, pr := range ps {
			ids = append(ids, pr.PersonA, pr.PersonB)
		}
		people, err := s.st.ReviewPersons(ctx, ids)
		if err != nil {
			return err
		}
		for _, pr := range ps {
			a, b := people[pr.PersonA], people[pr.PersonB]
			if a == nil || b == nil {
				continue // not held: nothing to compare
			}
			end := func(rp *store.ReviewPerson) intelEnd {
				ref := lantern.EntityRef{Type: lantern.EntityPerson, ID: rp.ID}
				return intelEnd{Label: rp.Label(), Href: entityHref(ref), Ref: ref.String()}
			}
			rootA, rootB := a.ID, b.ID
			if a.MergedInto != "" {
				rootA = a.MergedInto
			}
			if b.MergedInto != "" {
				rootB = b.MergedInto
			}
			v.Pairs = append(v.Pairs, reviewPairRow{ID: pr.ID, A: end(a), B: end(b), Facts: pairFacts(a, b), Chance: percent(pr.Probability),
				Why: pr.Reasons, Found: localTime(pr.FoundAt), OneAlready: rootA == rootB})
		}
		return nil
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	if status == http.StatusOK {
		switch r.URL.Query().Get("done") {
		case "same":
			p.Notice = "Answered: the two records are now one person"
		case "different":
			p.Notice = "Answered: they are different people, and are kept apart"
		case "unsure":
			p.Notice = "Answered: not sure. Both records stay as they are"
		}
	}
	p.Data = v
	s.render(w, r, status, "intel_reviews", p)
}

// answerPairPage records the answer to a pair: same merges them.
func (s *Server) answerPairPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	pid := r.PathValue("pid")
	field := "answer-" + pid
	answer := form.Get(field)
	var own lantern.Problems
	if answer != "same" && answer != "different" && answer != "unsure" {
		own.Add(field, "Choose whether they are the same person: yes, no or not sure")
		err = own.Err()
	} else {
		err = s.st.AnswerPair(r.Context(), pid, answer)
	}
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/intelligence/reviews?"+url.Values{"done": {answer}}.Encode())
	case lantern.EINVALID:
		errs := []lantern.FieldError(own)
		if len(own) == 0 {
			for _, fe := range lantern.ErrorFields(err) {
				errs = append(errs, lantern.FieldError{Field: field, Message: fe.Message})
			}
		}
		s.renderReviews(w, r, http.StatusUnprocessableEntity, formMap(form), errs)
	default:
		s.error(w, r, err)
	}
}
