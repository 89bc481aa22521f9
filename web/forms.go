package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"lantern"
)

// parseForm reads a form body within the size cap.
func parseForm(r *http.Request) (url.Values, error) {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, lantern.Errorf(lantern.ETOOLARGE, "What you sent is larger than %d bytes", mbe.Limit)
		}
		return nil, lantern.Errorf(lantern.EBADREQUEST, "The form could not be read")
	}
	for k, vs := range r.PostForm {
		if !storable(k) || !allStorable(vs) {
			return nil, lantern.Errorf(lantern.EBADREQUEST, "The form has characters that could not be read")
		}
	}
	return r.PostForm, nil
}

// formMap keeps the first value of each field, to show the form again.
func formMap(v url.Values) map[string]string {
	m := make(map[string]string, len(v))
	for k, vs := range v {
		if len(vs) > 0 {
			m[k] = vs[0]
		}
	}
	return m
}

// redirect sends a browser on after a successful POST.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// storable reports whether s can be kept as text in both databases: valid
// UTF-8 with no NUL byte. PostgreSQL refuses either with an error that would
// otherwise surface as a 500.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func allStorable(vs []string) bool {
	for _, v := range vs {
		if !storable(v) {
			return false
		}
	}
	return true
}
