package web

import (
	"context"

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

// WithRouteHolder returns a context in which the matched route pattern will
// be written to the returned string, for metrics and logs outside the mux.
func WithRouteHolder(ctx context.Context) (context.Context, *string) {
	p := new(string)
	return context.WithValue(ctx, routeKey{}, p), p
}

func setRoute(ctx context.Context, pattern string) {
	if p, ok := ctx.Value(routeKey{}).(*string); ok {
		*p = pattern
	}
}
