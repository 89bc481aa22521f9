package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"lantern"
	"lantern/store"
)

// The front door's pages (docs/frontdoor.md): the queue, a referral's
// screening, information requests and consent, an agency's requests, and
// consultations without a name.

func (s *Server) frontDoorPageRoutes() {
	s.handle("GET /front-door", s.frontDoorPage)
	s.handle("GET /front-door.csv", s.frontDoorCSV)
	s.handle("POST /children/{id}/referrals/{eid}/rating", s.rateReferralPage)
	s.handle("POST /children/{id}/referrals/{eid}/requests", s.askAgencyPage)
	s.handle("POST /children/{id}/referrals/{eid}/consent", s.consentPage)
	s.handle("POST /children/{id}/referrals/{eid}/consent/approve", s.approveConsentPage)
	s.handle("GET /requests", s.requestsPage)
	s.handle("POST /requests/{qid}/answer", s.answerPage)
	s.handle("GET /consultations", s.consultationsPage)
	s.handle("POST /consultations", s.askPage)
	s.handle("POST /consultations/{kid}/advice", s.advicePage)
}

// frontDoorView is the queue, as filtered.
type frontDoorView struct {
	Items []*lantern.FrontDoorItem
	Total int
	Now   time.Time
	Late  int
	// RAGs are the rating filter's boxes; Query is the filter as a query
	// string, for the download.
	RAGs  []chronologyKindOption
	Query string
}

func (s *Server) frontDoorPage(w http.ResponseWriter, r *http.Request) {
	f, ferr := lantern.ParseFrontDoorQuery(r.URL.Query())
	status := http.StatusOK
	p := s.newPage(r, "Front door")
	p.Nav = "front-door"
	p.Form = formMap(r.URL.Query())
	if ferr != nil {
		// The whole queue, with the filter's problem named.
		status, p.Errors, f = http.StatusUnprocessableEntity, lantern.ErrorFields(ferr), lantern.FrontDoorFilter{}
	}
	f.Limit = store.MaxFrontDoorPage
	items, total, err := s.st.FrontDoor(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.stNow()
	v := frontDoorView{Items: items, Total: total, Now: now, Query: r.URL.RawQuery}
	for _, it := range items {
		if it.Late(now) {
			v.Late++
		}
	}
	chosen := r.URL.Query()["rag"]
	for _, o := range append(choices(lantern.RAGs, nil), eventOption{Value: lantern.Unrated, Label: "Not rated"}) {
		v.RAGs = append(v.RAGs, chronologyKindOption{Value: o.Value, Label: o.Label, Checked: slices.Contains(chosen, o.Value)})
	}
	p.Data = v
	s.render(w, r, status, "front_door", p)
}

func (s *Server) frontDoorCSV(w http.ResponseWriter, r *http.Request) {
	f, err := lantern.ParseFrontDoorQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	f.Limit = store.MaxFrontDoorPage
	items, _, err := s.st.FrontDoor(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeFrontDoorCSV(w, items, s.stNow())
}

// frontDoorForm is one of the referral page's front-door forms, after it
// is sent: back to the referral, or the page again with the errors.
func (s *Server) frontDoorForm(w http.ResponseWriter, r *http.Request, which string, do func(form map[string]string) error) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id, rid := r.PathValue("id"), r.PathValue("eid")
	err = do(formMap(form))
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/children/"+id+"/referrals/"+rid+"?done="+which+"#"+which)
	case lantern.EINVALID, lantern.ECONFLICT:
		s.renderReferral(w, r, http.StatusUnprocessableEntity, form, eventErrors(nil, err, nil, nil))
	default:
		s.error(w, r, err)
	}
}

func (s *Server) rateReferralPage(w http.ResponseWriter, r *http.Request) {
	s.frontDoorForm(w, r, "rating", func(f map[string]string) error {
		_, err := s.st.RateReferral(r.Context(), r.PathValue("id"), r.PathValue("eid"), lantern.RAG(f["rag"]), f["rationale"])
		return err
	})
}

func (s *Server) askAgencyPage(w http.ResponseWriter, r *http.Request) {
	s.frontDoorForm(w, r, "requests", func(f map[string]string) error {
		var p lantern.Problems
		hours, err := strconv.Atoi(f["due_hours"])
		if err != nil || hours < 1 || hours > lantern.MaxRequestHours {
			p.Add("due_hours", "Choose when the answer is needed")
		}
		in := lantern.InfoRequestInput{AgencyID: f["agency_id"], Question: f["question"], DueAt: s.stNow().Add(time.Duration(hours) * time.Hour)}
		if err := in.Validate(s.stNow()); err != nil || len(p) > 0 {
			for _, fe := range lantern.ErrorFields(err) {
				if fe.Field != "due_at" {
					p.Add(fe.Field, fe.Message)
				}
			}
			return p.Err()
		}
		_, err = s.st.AskAgency(r.Context(), r.PathValue("id"), r.PathValue("eid"), in)
		return err
	})
}

func (s *Server) consentPage(w http.ResponseWriter, r *http.Request) {
	s.frontDoorForm(w, r, "consent", func(f map[string]string) error {
		_, err := s.st.RecordConsent(r.Context(), r.PathValue("id"), r.PathValue("eid"), lantern.Consent(f["consent"]), f["reason"])
		return err
	})
}

func (s *Server) approveConsentPage(w http.ResponseWriter, r *http.Request) {
	s.frontDoorForm(w, r, "consent", func(map[string]string) error {
		_, err := s.st.ApproveConsent(r.Context(), r.PathValue("id"), r.PathValue("eid"))
		return err
	})
}

// requestsView is an agency's information requests.
type requestsView struct {
	Requests []*lantern.InfoRequest
	Now      time.Time
}

func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request) {
	s.renderRequests(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderRequests(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	rs, err := s.st.AgencyRequests(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Information requests")
	p.Nav = "requests"
	p.Form, p.Errors = form, errs
	if r.URL.Query().Get("done") == "answered" && status == http.StatusOK {
		p.Notice = "Your answer has been sent to the front door"
	}
	p.Data = requestsView{Requests: rs, Now: s.stNow()}
	s.render(w, r, status, "requests", p)
}

func (s *Server) answerPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	qid := r.PathValue("qid")
	version, _ := strconv.Atoi(form.Get("version"))
	_, err = s.st.AnswerRequest(r.Context(), qid, version, form.Get("answer"))
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/requests?done=answered")
	case lantern.EINVALID, lantern.ECONFLICT:
		// The answer's field is the request's own, so that the error
		// summary leads to the right box.
		fm := map[string]string{"answer-" + qid: form.Get("answer")}
		s.renderRequests(w, r, http.StatusUnprocessableEntity, fm, []lantern.FieldError{{Field: "answer-" + qid, Message: firstMessage(err)}})
	default:
		s.error(w, r, err)
	}
}

// consultationsView is the consultations: the front door answers them all;
// anyone else sees their agency's and asks.
type consultationsView struct {
	Consultations []*lantern.Consultation
	Advises       bool
}

func (s *Server) consultationsPage(w http.ResponseWriter, r *http.Request) {
	s.renderConsultations(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderConsultations(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []lantern.FieldError) {
	ks, err := s.st.Consultations(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Ask the front door")
	p.Nav = "consultations"
	p.Form, p.Errors = form, errs
	if status == http.StatusOK {
		switch r.URL.Query().Get("done") {
		case "asked":
			p.Notice = "Your question has been sent to the front door. The advice will appear here."
		case "advised":
			p.Notice = "The advice has been recorded"
		}
	}
	p.Data = consultationsView{Consultations: ks, Advises: lantern.Allowed(p.User, lantern.ResConsultation, lantern.ActChange, lantern.RelArea)}
	s.render(w, r, status, "consultations", p)
}

func (s *Server) askPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	_, err = s.st.AskFrontDoor(r.Context(), form.Get("question"))
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/consultations?done=asked")
	case lantern.EINVALID:
		s.renderConsultations(w, r, http.StatusUnprocessableEntity, formMap(form), lantern.ErrorFields(err))
	default:
		s.error(w, r, err)
	}
}

func (s *Server) advicePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	kid := r.PathValue("kid")
	version, _ := strconv.Atoi(form.Get("version"))
	_, err = s.st.Advise(r.Context(), kid, version, form.Get("advice"))
	switch lantern.ErrorCode(err) {
	case "":
		redirect(w, r, "/consultations?done=advised")
	case lantern.EINVALID, lantern.ECONFLICT:
		fm := map[string]string{"advice-" + kid: form.Get("advice")}
		s.renderConsultations(w, r, http.StatusUnprocessableEntity, fm, []lantern.FieldError{{Field: "advice-" + kid, Message: firstMessage(err)}})
	default:
		s.error(w, r, err)
	}
}

// firstMessage is the message of an error's first field, or its own.
func firstMessage(err error) string {
	if fs := lantern.ErrorFields(err); len(fs) > 0 {
		return fs[0].Message
	}
	return lantern.ErrorMessage(err)
}
