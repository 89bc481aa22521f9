package web

import (
	"net/http"

	"lantern"
	"lantern/store"
)

func (s *Server) pageRoutes() {
	s.handle("GET /sign-in", s.signInPage)
	s.handle("POST /sign-in", s.signIn)
	s.handle("GET /sign-in/two-factor", s.twoFactorPage)
	s.handle("POST /sign-in/two-factor", s.twoFactor)
	s.handle("GET /sign-in/enrol", s.enrolPage)
	s.handle("GET /sign-in/enrol/qr.png", s.enrolQR)
	s.handle("POST /sign-in/enrol", s.enrol)
	s.handle("POST /sign-out", s.signOut)
	s.handle("GET /set-password/{token}", s.setOwnPasswordPage)
	s.handle("POST /set-password/{token}", s.setOwnPassword)

	s.handle("GET /{$}", s.person(s.home))
	s.handle("GET /children", s.person(s.childrenPage))
	s.handle("GET /children/new", s.person(s.newChildPage))
	s.handle("POST /children", s.person(s.createChildPage))
	s.handle("GET /children/{id}", s.person(s.childPage))
	s.handle("GET /children/{id}/edit", s.person(s.editChildPage))
	s.handle("POST /children/{id}/edit", s.person(s.updateChildPage))
	s.childListPageRoutes()

	s.concernPageRoutes()
	s.missingPageRoutes()
	s.eventPageRoutes()
	s.assessmentPageRoutes()
	s.toolkitPageRoutes()
	s.calendarRoutes()
	s.meetingPageRoutes()
	s.directoryPageRoutes()
	s.meetingFiguresPageRoutes()

	s.handle("GET /admin/users", s.person(s.usersPage))
	s.handle("GET /admin/users/new", s.person(s.newUserPage))
	s.handle("POST /admin/users", s.person(s.createUserPage))
	s.handle("GET /admin/users/{id}", s.person(s.userPage))
	s.handle("POST /admin/users/{id}", s.person(s.updateUserPage))
	s.handle("POST /admin/users/{id}/unlock", s.person(s.unlockUserPage))
	s.handle("POST /admin/users/{id}/reset-two-factor", s.person(s.resetTwoFactorPage))
	s.handle("POST /admin/users/{id}/password", s.person(s.setPasswordPage))
	s.handle("POST /admin/users/{id}/approve", s.person(s.approveUserPage))
	s.handle("POST /admin/users/{id}/password-link", s.person(s.passwordLinkPage))
	s.handle("GET /admin/agencies", s.person(s.agenciesPage))
	s.handle("POST /admin/agencies", s.person(s.createAgencyPage))

	s.handle("GET /audit", s.person(s.auditPage))

	s.handle("GET /account", s.person(s.accountPage))
	s.handle("POST /account/tokens", s.person(s.createTokenPage))
	s.handle("POST /account/tokens/{id}/revoke", s.person(s.revokeTokenPage))
	s.handle("POST /account/password", s.person(s.changePasswordPage))

	// Anything else is not found, in the house style.
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, lantern.NotFound("Page"))
	})
}

// person requires a signed-in person; others are sent to sign in.
func (s *Server) person(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Pages are for people signed in with both factors: an API token,
		// made for scripts, reaches the API only (else a token could, for
		// one, make itself a longer-lived token on the account page).
		if si := sessionFrom(r.Context()); si == nil || si.sess.Stage != store.StageSignedIn {
			if r.Method == http.MethodGet {
				redirect(w, r, "/sign-in")
				return
			}
			s.error(w, r, &lantern.Error{Code: lantern.EUNAUTHORIZED, Message: "Sign in to continue"})
			return
		}
		s.readsTogether(w, r, h)
	}
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Home")
	p.Nav = "home"
	s.render(w, r, http.StatusOK, "home", p)
}
