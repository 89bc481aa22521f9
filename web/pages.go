package web

import (
	"lantern/store"
	"net/http"
	"time"

	"lantern"
)

func (s *Server) pageRoutes() {
	s.handle("GET /sign-in", s.signInPage)
	s.handle("POST /sign-in", s.signIn)
	s.handle("GET /sign-in/oidc", s.oidcStart)
	s.passkeyRoutes()
	s.handle("GET /sign-in/oidc/callback", s.oidcCallback)
	s.handle("GET /sign-in/two-factor", s.twoFactorPage)
	s.handle("POST /sign-in/two-factor", s.twoFactor)
	s.handle("GET /sign-in/enrol", s.enrolPage)
	s.handle("GET /sign-in/enrol/qr.png", s.enrolQR)
	s.handle("POST /sign-in/enrol", s.enrol)
	s.handle("POST /sign-out", s.signOut)
	s.sessionPageRoutes()
	s.handle("GET /set-password/{token}", s.setOwnPasswordPage)
	s.handle("POST /set-password/{token}", s.setOwnPassword)

	s.handle("GET /{$}", s.home)
	s.handle("GET /children", s.childrenPage)
	s.handle("GET /children.csv", s.childrenCSV)
	s.handle("GET /children/new", s.newChildPage)
	s.handle("POST /children", s.createChildPage)
	s.handle("GET /children/{id}", s.childPage)
	s.handle("GET /children/{id}/edit", s.editChildPage)
	s.handle("POST /children/{id}/edit", s.updateChildPage)
	s.childListPageRoutes()
	s.involvementRoutes()

	s.concernPageRoutes()
	s.missingPageRoutes()
	s.disruptionPageRoutes()
	s.eventPageRoutes()
	s.frontDoorPageRoutes()
	s.chronologyPageRoutes()
	s.sharingPageRoutes()
	s.figuresPageRoutes()
	s.figureShareRoutes()
	s.extractRoutes()
	s.assessmentPageRoutes()
	s.toolkitPageRoutes()
	s.calendarRoutes()
	s.meetingPageRoutes()
	s.directoryPageRoutes()
	s.meetingFiguresPageRoutes()
	s.intelPageRoutes()
	s.intelToolPageRoutes()
	s.areaBoundaryRoutes()
	s.intakeRoutes()
	s.strategyPageRoutes()

	s.handle("GET /admin/users", s.usersPage)
	s.handle("GET /admin/users/new", s.newUserPage)
	s.handle("POST /admin/users", s.createUserPage)
	s.handle("GET /admin/users/{id}", s.userPage)
	s.handle("POST /admin/users/{id}", s.updateUserPage)
	s.handle("POST /admin/users/{id}/unlock", s.unlockUserPage)
	s.handle("POST /admin/users/{id}/reset-two-factor", s.resetTwoFactorPage)
	s.handle("POST /admin/users/{id}/password", s.setPasswordPage)
	s.handle("POST /admin/users/{id}/approve", s.approveUserPage)
	s.handle("POST /admin/users/{id}/password-link", s.passwordLinkPage)
	s.handle("GET /admin/agencies", s.agenciesPage)
	s.handle("POST /admin/agencies", s.createAgencyPage)

	s.handle("GET /audit", s.auditPage)

	s.handle("GET /account", s.accountPage)
	s.handle("POST /account/tokens", s.createTokenPage)
	s.handle("POST /account/tokens/{id}/revoke", s.revokeTokenPage)
	s.handle("POST /account/password", s.changePasswordPage)

	// Anything else is not found, in the house style.
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, lantern.NotFound("Page"))
	})
}

// homeView is the dashboard: each person's next jobs, counted, each count
// a link to the list behind it.
type homeView struct {
	D   *store.Dashboard
	Now time.Time
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Home")
	p.Nav = "home"
	d, err := s.st.Dashboard(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Data = homeView{D: d, Now: s.stNow()}
	s.render(w, r, http.StatusOK, "home", p)
}
