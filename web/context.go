package web

import (
	"context"

	"lantern"
	"lantern/store"
)

type sessionKey struct{}

type sessionInfo struct {
	token string
	sess  *store.Session
}

func withSession(ctx context.Context, token string, sess *store.Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, &sessionInfo{token, sess})
}

func sessionFrom(ctx context.Context) *sessionInfo {
	si, _ := ctx.Value(sessionKey{}).(*sessionInfo)
	return si
}

type routeKey struct{}

// RouteNote is what the request log outside the mux learns of a request
// inside it: the route pattern it matched, and the id (never the name) of
// the user it acted for, to find its entries in the audit trail.
type RouteNote struct {
	Route, UserID string
	// ClientGone says the client hung up before the answer: whatever went
	// wrong after is not the service's fault, and no answer was sent.
	ClientGone bool
}

// WithRouteHolder returns a context in which the matched route and the
// caller's id will be written to the returned note, for metrics and logs.
func WithRouteHolder(ctx context.Context) (context.Context, *RouteNote) {
	n := new(RouteNote)
	return context.WithValue(ctx, routeKey{}, n), n
}

// noteClientGone records that the client hung up.
func noteClientGone(ctx context.Context) {
	if n, ok := ctx.Value(routeKey{}).(*RouteNote); ok {
		n.ClientGone = true
	}
}

func setRoute(ctx context.Context, pattern string) {
	if n, ok := ctx.Value(routeKey{}).(*RouteNote); ok {
		n.Route = pattern
		if u := lantern.UserFromContext(ctx); u != nil {
			n.UserID = u.ID
		}
	}
}
