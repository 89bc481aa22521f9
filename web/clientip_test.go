package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// The address recorded for a request: the connection's, unless it is a
// trusted proxy, when X-Forwarded-For is read from the right, past trusted
// proxies, to the first address that is not one. What a client writes
// further left is never believed.
func TestClientIP(t *testing.T) {
	s := &Server{cfg: Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}}}
	for _, tc := range []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"no proxy", "198.51.100.4:5000", nil, "198.51.100.4"},
		{"an untrusted peer's header is ignored", "198.51.100.4:5000", []string{"203.0.113.9"}, "198.51.100.4"},
		{"through a trusted proxy", "10.1.2.3:5000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"a client's forged hop is left of the real one", "10.1.2.3:5000", []string{"1.1.1.1, 203.0.113.9"}, "203.0.113.9"},
		{"through two trusted proxies", "10.1.2.3:5000", []string{"203.0.113.9, 192.0.2.7"}, "203.0.113.9"},
		{"the header on two lines", "10.1.2.3:5000", []string{"203.0.113.9", "10.9.9.9"}, "203.0.113.9"},
		{"a trusted proxy with no header", "10.1.2.3:5000", nil, "10.1.2.3"},
		{"not an address: nothing further left is believed", "10.1.2.3:5000", []string{"203.0.113.9, junk"}, "10.1.2.3"},
		{"IPv6 client", "10.1.2.3:5000", []string{"2001:db8::1"}, "2001:db8::1"},
		{"only trusted proxies", "10.1.2.3:5000", []string{"10.4.4.4"}, "10.4.4.4"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		for _, v := range tc.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientIP(r); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}
