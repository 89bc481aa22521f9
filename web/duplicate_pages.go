package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lantern"
	"lantern/store"
)

// Possible duplicates and allocation (docs/duplicates.md): the review list
// of records that may be one child, for children's social care's managers
// and the CSE coordinator; and a manager's allocation of a child's social
// worker, from the team page.

func (s *Server) duplicateRoutes() {
	s.handle("GET /children/duplicates", s.duplicatesPage)
	s.handle("POST /children/duplicates/dismiss", s.dismissDuplicatePage)
	s.handle("GET /api/v1/possible-duplicates", s.apiPossibleDuplicates)
	s.handle("POST /api/v1/possible-duplicates/dismiss", s.apiDismissDuplicate)
	s.handle("GET /children/{id}/allocate", s.allocatePage)
	s.handle("POST /children/{id}/allocate", s.allocateChildPage)
	s.handle("POST /api/v1/children/{id}/allocation", s.apiAllocate)
}

// PossibleDuplicatesResponse is GET /api/v1/possible-duplicates: the pairs
// of a status (open unless ?status= says), highest score first.
type PossibleDuplicatesResponse struct {
	Pairs []*lantern.PossibleDuplicate `json:"pairs"`
}

func (s *Server) apiPossibleDuplicates(w http.ResponseWriter, r *http.Request) {
	items, err := s.st.PossibleDuplicates(r.Context(), lantern.DuplicateStatus(r.URL.Query().Get("status")))
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := PossibleDuplicatesResponse{Pairs: make([]*lantern.PossibleDuplicate, 0, len(items))}
	for _, it := range items {
		out.Pairs = append(out.Pairs, it.PossibleDuplicate)
	}
	writeJSON(w, http.StatusOK, out)
}

// DismissRequest is the body of POST /api/v1/possible-duplicates/dismiss:
// the pair's two records, and why they are not one child.
type DismissRequest struct {
	ChildIDs []string `json:"child_ids"`
	Reason   string   `json:"reason"`
}

// Pair is the request's two records; none unless there are two.
func (d DismissRequest) Pair() [2]string {
	if len(d.ChildIDs) != 2 {
		return [2]string{}
	}
	return [2]string{d.ChildIDs[0], d.ChildIDs[1]}
}

func (s *Server) apiDismissDuplicate(w http.ResponseWriter, r *http.Request) {
	var req DismissRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	pair := req.Pair()
	if err := lantern.CheckDismissal(pair, req.Reason); err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.st.DismissDuplicate(r.Context(), pair, req.Reason)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// duplicatesView is the review list: the pairs of one status, each with
// its two records side by side.
type duplicatesView struct {
	Items    []*store.DuplicateItem
	Status   lantern.DuplicateStatus
	Statuses []lantern.DuplicateStatus
	Agencies map[string]string // names by id
}

func (s *Server) duplicatesPage(w http.ResponseWriter, r *http.Request) {
	s.renderDuplicates(w, r, http.StatusOK, lantern.DuplicateStatus(r.URL.Query().Get("status")), nil, nil)
}

func (s *Server) renderDuplicates(w http.ResponseWriter, r *http.Request, status int, st lantern.DuplicateStatus, form map[string]string, errs []lantern.FieldError) {
	ctx := r.Context()
	if st == "" {
		st = lantern.DuplicateOpen
	}
	if !st.Valid() {
		s.error(w, r, lantern.NotFound("Page"))
		return
	}
	items, err := s.st.PossibleDuplicates(ctx, st)
	if err != nil {
		s.error(w, r, err)
		return
	}
	names, err := s.agencyNames(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "Possible duplicate records")
	p.Nav = "children"
	switch r.URL.Query().Get("done") {
	case "dismissed":
		p.Notice = "The pair is recorded as not the same child"
	}
	p.Form, p.Errors = form, errs
	p.Data = duplicatesView{Items: items, Status: st, Statuses: lantern.DuplicateStatuses, Agencies: names}
	s.render(w, r, status, "duplicates", p)
}

func (s *Server) dismissDuplicatePage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	pair := [2]string{form.Get("child_a"), form.Get("child_b")}
	reason := form.Get("reason")
	_, err = s.st.DismissDuplicate(r.Context(), pair, reason)
	if lantern.ErrorCode(err) == lantern.EINVALID {
		// The reason box of this pair, named so on a page of many.
		key := "reason-" + pair[0] + "-" + pair[1]
		errs := lantern.ErrorFields(err)
		for i := range errs {
			errs[i].Field = key
		}
		s.renderDuplicates(w, r, http.StatusUnprocessableEntity, lantern.DuplicateOpen, map[string]string{key: reason}, errs)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/children/duplicates?done=dismissed")
}

// AllocationRequest is the body of POST /api/v1/children/{id}/allocation.
type AllocationRequest struct {
	WorkerID  string `json:"worker_id"`
	MoveTasks bool   `json:"move_tasks"`
	Version   *int   `json:"version"`
}

// Allocation is the request as the store takes it, or its problems.
func (a AllocationRequest) Allocation() (lantern.Allocation, error) {
	out := lantern.Allocation{WorkerID: a.WorkerID, MoveTasks: a.MoveTasks}
	if a.Version != nil {
		out.Version = *a.Version
	}
	return out, out.Check()
}

// AllocationForm reads the allocation form.
func AllocationForm(form url.Values) (lantern.Allocation, error) {
	a := lantern.Allocation{WorkerID: form.Get("worker_id"), MoveTasks: form.Get("move_tasks") == "yes"}
	a.Version, _ = strconv.Atoi(strings.TrimSpace(form.Get("version")))
	return a, a.Check()
}

func (s *Server) apiAllocate(w http.ResponseWriter, r *http.Request) {
	var req AllocationRequest
	if err := decodeJSON(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	a, err := req.Allocation()
	if err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.st.AllocateChild(r.Context(), r.PathValue("id"), a)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// allocateView is the form allocating a child's social worker.
type allocateView struct {
	Child   *lantern.Child
	Workers []lantern.Person
	// Current is the name of the worker allocated now, if any.
	Current string
	// Conflict says someone else changed the record first: the form shows
	// it as it now is.
	Conflict bool
}

func (s *Server) allocatePage(w http.ResponseWriter, r *http.Request) {
	c, err := s.st.FindChildByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderAllocate(w, r, http.StatusOK, c, map[string]string{"worker_id": c.AllocatedSocialWorkerID, "version": strconv.Itoa(c.Version)}, nil, false)
}

func (s *Server) renderAllocate(w http.ResponseWriter, r *http.Request, status int, c *lantern.Child, form map[string]string, errs []lantern.FieldError, conflict bool) {
	if c.MergedInto != "" {
		s.error(w, r, lantern.Errorf(lantern.ECONFLICT, "This record was merged into another: allocate that one"))
		return
	}
	workers, err := s.st.AllocatableWorkers(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	current := ""
	for _, p := range workers {
		if p.ID == c.AllocatedSocialWorkerID {
			current = p.Name
		}
	}
	p := s.newPage(r, "Allocate "+c.FullName()+"'s social worker")
	p.Nav = "team"
	p.Form, p.Errors = form, errs
	p.Data = allocateView{Child: c, Workers: workers, Current: current, Conflict: conflict}
	s.render(w, r, status, "allocate", p)
}

func (s *Server) allocateChildPage(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	a, err := AllocationForm(form)
	if err == nil {
		_, err = s.st.AllocateChild(r.Context(), id, a)
	}
	var le *lantern.Error
	switch {
	case lantern.ErrorCode(err) == lantern.EINVALID:
		c, ferr := s.st.FindChildByID(r.Context(), id)
		if ferr != nil {
			s.error(w, r, ferr)
			return
		}
		s.renderAllocate(w, r, http.StatusUnprocessableEntity, c, formMap(form), lantern.ErrorFields(err), false)
	case errors.As(err, &le) && le.Code == lantern.ECONFLICT && le.Current != nil:
		// Offer the choice again against the record as it now is.
		cur := le.Current.(*lantern.Child)
		f := formMap(form)
		f["version"] = strconv.Itoa(cur.Version)
		s.renderAllocate(w, r, http.StatusConflict, cur, f, []lantern.FieldError{{Field: "worker_id",
			Message: "Someone else changed this record while you were allocating it: check the social worker and allocate again"}}, true)
	case err != nil:
		s.error(w, r, err)
	default:
		redirect(w, r, "/work/team?done=allocated")
	}
}

// agencyNames is the area's agencies' names by id, for pages that name
// the agencies their records hold ids of.
func (s *Server) agencyNames(ctx context.Context) (map[string]string, error) {
	as, err := s.st.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(as))
	for _, a := range as {
		names[a.ID] = a.Name
	}
	return names, nil
}
