package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, method, target string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLayoutNamesExist(t *testing.T) {
	for _, name := range append(slices.Clone(LayoutNames), PageNames...) {
		if !Exists(name) {
			t.Errorf("layout asset %q is not embedded", name)
			continue
		}
		p := MustPath(name)
		if resp := get(t, http.MethodGet, p); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", p, resp.StatusCode)
		}
	}
}

func TestNoUnresolvedReferences(t *testing.T) {
	for _, m := range missing {
		t.Errorf("unresolved reference: %s", m)
	}
}

func TestPath(t *testing.T) {
	p := Path(GovUKCSS)
	re := regexp.MustCompile(`^/assets/[0-9a-f]{12}/vendor/govuk-frontend/govuk-frontend\.min\.css$`)
	if !re.MatchString(p) {
		t.Fatalf("Path(%q) = %q, want match %s", GovUKCSS, p, re)
	}
	// The hash is of the bytes served.
	b := body(t, get(t, http.MethodGet, p))
	sum := sha256.Sum256([]byte(b))
	if want := hex.EncodeToString(sum[:])[:12]; !strings.Contains(p, "/"+want+"/") {
		t.Errorf("Path %q does not carry hash %s of served content", p, want)
	}
	// Unknown names give a path that 404s, and MustPath panics.
	if resp := get(t, http.MethodGet, Path("no/such/file.css")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown name: status %d, want 404", resp.StatusCode)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("MustPath of unknown name did not panic")
			}
		}()
		MustPath("no/such/file.css")
	}()
}

func TestHandlerServes(t *testing.T) {
	tests := []struct {
		name  string
		ctype string
	}{
		{GovUKCSS, "text/css; charset=utf-8"},
		{MoJCSS, "text/css; charset=utf-8"},
		{AppCSS, "text/css; charset=utf-8"},
		{AppJS, "text/javascript; charset=utf-8"},
		{GovUKJS, "text/javascript; charset=utf-8"},
		{MoJJS, "text/javascript; charset=utf-8"},
		{"vendor/govuk-frontend/assets/fonts/bold-b542beb274-v2.woff2", "font/woff2"},
		{"vendor/govuk-frontend/assets/fonts/bold-affa96571d-v2.woff", "font/woff"},
		{AppleTouchIcon, "image/png"},
		{FaviconSVG, "image/svg+xml"},
		{Favicon, "image/x-icon"},
		{Manifest, "application/manifest+json"},
		{"vendor/govuk-frontend/assets/manifest.json", "application/manifest+json"},
		{"vendor/moj-frontend/assets/images/icon-document.svg", "image/svg+xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Path(tt.name)
			resp := get(t, http.MethodGet, p)
			b := body(t, resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", p, resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
			}
			if got, want := resp.Header.Get("Cache-Control"), "public, max-age=31536000, immutable"; got != want {
				t.Errorf("Cache-Control = %q, want %q", got, want)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if len(b) == 0 {
				t.Error("empty body")
			}

			head := get(t, http.MethodHead, p)
			hb := body(t, head)
			if head.StatusCode != http.StatusOK || hb != "" {
				t.Errorf("HEAD = %d with %d body bytes, want 200 and none", head.StatusCode, len(hb))
			}
			if got := head.Header.Get("Content-Length"); got != strconv.Itoa(len(b)) {
				t.Errorf("HEAD Content-Length = %q, want %d", got, len(b))
			}
			if got := head.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("HEAD Content-Type = %q, want %q", got, tt.ctype)
			}

			etag := resp.Header.Get("ETag")
			if nm := get(t, http.MethodGet, p, "If-None-Match", etag); nm.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match %s: status %d, want 304", etag, nm.StatusCode)
			}
		})
	}
}

func TestHandlerRejects(t *testing.T) {
	css := Path(GovUKCSS)
	hash := strings.Split(css, "/")[2]
	appHash := strings.Split(Path(AppJS), "/")[2]
	tests := []struct {
		name   string
		method string
		target string
		want   int
	}{
		{"stale hash", "GET", "/assets/000000000000/" + GovUKCSS, 404},
		{"hash of another file", "GET", "/assets/" + appHash + "/" + GovUKCSS, 404},
		{"truncated hash", "GET", "/assets/" + hash[:6] + "/" + GovUKCSS, 404},
		{"no hash", "GET", "/assets/" + GovUKCSS, 404},
		{"empty hash", "GET", "/assets//" + GovUKCSS, 404},
		{"unknown name", "GET", "/assets/" + hash + "/vendor/nope.css", 404},
		{"unhashed govuk font url", "GET", "/assets/fonts/bold-b542beb274-v2.woff2", 404},
		{"prefix only", "GET", "/assets/", 404},
		{"hash only", "GET", "/assets/" + hash, 404},
		{"hash dir", "GET", "/assets/" + hash + "/", 404},
		{"directory", "GET", "/assets/" + hash + "/vendor/govuk-frontend/", 404},
		{"directory no slash", "GET", "/assets/" + hash + "/vendor", 404},
		{"dotdot", "GET", "/assets/" + hash + "/vendor/../" + GovUKCSS, 404},
		{"dotdot escape", "GET", "/assets/" + hash + "/../../assets.go", 404},
		{"dotdot static", "GET", "/assets/" + hash + "/../static/" + GovUKCSS, 404},
		{"encoded dotdot", "GET", "/assets/" + hash + "/vendor/%2e%2e/" + GovUKCSS, 404},
		{"encoded dotdot upper", "GET", "/assets/" + hash + "/%2E%2E/%2E%2E/assets.go", 404},
		{"encoded slash", "GET", "/assets/" + hash + "/vendor%2fgovuk-frontend%2f..%2f..%2fapp.css", 404},
		{"dot segment", "GET", "/assets/" + hash + "/./" + GovUKCSS, 404},
		{"double slash", "GET", "/assets/" + hash + "/vendor//govuk-frontend/govuk-frontend.min.css", 404},
		{"backslash", "GET", "/assets/" + hash + "/vendor\\govuk-frontend\\govuk-frontend.min.css", 404},
		{"static prefix", "GET", "/assets/" + hash + "/static/" + GovUKCSS, 404},
		{"wrong prefix", "GET", "/static/" + hash + "/" + GovUKCSS, 404},
		{"post", "POST", css, 405},
		{"delete", "DELETE", css, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, tt.method, tt.target)
			if resp.StatusCode != tt.want {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.target, resp.StatusCode, tt.want)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if cc := resp.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
				t.Errorf("error response has Cache-Control %q", cc)
			}
		})
	}
}

var (
	urlRef    = regexp.MustCompile(`url\(\s*["']?([^"')]*)["']?\s*\)`)
	importRef = regexp.MustCompile(`(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']`)
	srcRef    = regexp.MustCompile(`"src"\s*:\s*"([^"]+)"`)
)

// Every reference in every served CSS file, JS module and manifest must
// resolve through the Handler, so a page that links the CSS loads its fonts
// and images without 404s.
func TestReferencesResolve(t *testing.T) {
	checks := []struct {
		suffix string
		re     *regexp.Regexp
	}{
		{".css", urlRef},
		{".js", importRef},
		{"manifest.json", srcRef},
	}
	seen := map[string]int{}
	for _, name := range Names() {
		for _, c := range checks {
			if !strings.HasSuffix(name, c.suffix) {
				continue
			}
			resp := get(t, http.MethodGet, Path(name))
			content := body(t, resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d", name, resp.StatusCode)
			}
			if strings.Contains(content, "sourceMappingURL") {
				t.Errorf("%s: still refers to a source map", name)
			}
			for _, m := range c.re.FindAllStringSubmatch(content, -1) {
				ref := m[1]
				if strings.HasPrefix(ref, "data:") {
					continue
				}
				seen[c.suffix]++
				if !strings.HasPrefix(ref, Prefix) {
					t.Errorf("%s: reference %q is not a hashed asset URL", name, ref)
					continue
				}
				ref, _, _ = strings.Cut(ref, "#")
				ref, _, _ = strings.Cut(ref, "?")
				if r := get(t, http.MethodGet, ref); r.StatusCode != http.StatusOK {
					t.Errorf("%s: reference %s = %d, want 200", name, ref, r.StatusCode)
				}
			}
		}
	}
	// Guard against the regexps silently matching nothing.
	if seen[".css"] < 10 || seen[".js"] < 2 || seen["manifest.json"] < 6 {
		t.Errorf("too few references checked: %v", seen)
	}
	// The GOV.UK CSS must point at its fonts.
	css := body(t, get(t, http.MethodGet, Path(GovUKCSS)))
	if want := Path("vendor/govuk-frontend/assets/fonts/bold-b542beb274-v2.woff2"); !strings.Contains(css, "url("+want+")") {
		t.Errorf("GOV.UK CSS does not reference %s", want)
	}
	js := body(t, get(t, http.MethodGet, Path(AppJS)))
	for _, dep := range []string{GovUKJS, MoJJS} {
		if !strings.Contains(js, `'`+Path(dep)+`'`) {
			t.Errorf("app.js does not import %s", Path(dep))
		}
	}
}

func TestLoadRewrites(t *testing.T) {
	fsys := fstest.MapFS{
		"static/pkg/x.css": {Data: []byte(`a{background:url(/assets/images/i.svg)}` +
			`b{background:url("img/j.png?v=1#frag")}` +
			`c{background:url('../top.svg')}` +
			`d{background:url(data:image/png;base64,AAAA)}` +
			`e{background:url(https://example.com/x.png)}` +
			`f{background:url(/elsewhere/x.png)}` +
			`g{background:url(/assets/images/gone.svg)}` +
			"\n/*# sourceMappingURL=x.css.map */\n")},
		"static/pkg/assets/images/i.svg": {Data: []byte("<svg/>")},
		"static/pkg/img/j.png":           {Data: []byte("png")},
		"static/top.svg":                 {Data: []byte("<svg>top</svg>")},
		"static/main.js": {Data: []byte(`import { a } from './lib/a.js'` + "\n" +
			`import "../escape.js"` + "\n" +
			`const b = import('./lib/a.js')` + "\n" +
			`import c from 'bare-specifier'` + "\n" +
			"//# sourceMappingURL=main.js.map\n")},
		"static/lib/a.js":        {Data: []byte(`export const a = 1`)},
		"static/m/manifest.json": {Data: []byte(`{"icons":[{"src": "images/i.png"},{"src":"https://x/y.png"}]}`)},
		"static/m/images/i.png":  {Data: []byte("png")},
	}
	files, missing, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	p := func(name string) string {
		f := files[name]
		if f == nil {
			t.Fatalf("%s not loaded", name)
		}
		return Prefix + f.hash + "/" + name
	}
	css := string(files["pkg/x.css"].body)
	for _, want := range []string{
		"url(" + p("pkg/assets/images/i.svg") + ")",
		"url(" + p("pkg/img/j.png") + "?v=1#frag)",
		"url(" + p("top.svg") + ")",
		"url(data:image/png;base64,AAAA)",
		"url(https://example.com/x.png)",
		"url(/elsewhere/x.png)",
		"url(/assets/images/gone.svg)",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("css lacks %q:\n%s", want, css)
		}
	}
	if strings.Contains(css, "sourceMappingURL") {
		t.Error("css source map comment not removed")
	}
	js := string(files["main.js"].body)
	for _, want := range []string{
		`from '` + p("lib/a.js") + `'`,
		`import "../escape.js"`,
		`import('` + p("lib/a.js") + `')`,
		`from 'bare-specifier'`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("js lacks %q:\n%s", want, js)
		}
	}
	if strings.Contains(js, "sourceMappingURL") {
		t.Error("js source map comment not removed")
	}
	man := string(files["m/manifest.json"].body)
	if want := `"src": "` + p("m/images/i.png") + `"`; !strings.Contains(man, want) {
		t.Errorf("manifest lacks %q:\n%s", want, man)
	}
	if len(missing) != 2 {
		t.Errorf("missing = %q, want the gone.svg and ../escape.js references", missing)
	}

	// A referenced file's hash feeds into the referrer's hash.
	before := files["pkg/x.css"].hash
	fsys["static/top.svg"] = &fstest.MapFile{Data: []byte("<svg>changed</svg>")}
	files2, _, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if files2["pkg/x.css"].hash == before {
		t.Error("css hash did not change when a referenced image changed")
	}
	if files2["pkg/x.css"].hash == "" || len(files2["pkg/x.css"].hash) != 12 {
		t.Errorf("hash %q is not 12 hex digits", files2["pkg/x.css"].hash)
	}
}

func TestLoadCycle(t *testing.T) {
	fsys := fstest.MapFS{
		"static/a.css": {Data: []byte(`@import url(b.css);`)},
		"static/b.css": {Data: []byte(`@import url(a.css);`)},
	}
	if _, _, err := load(fsys); err == nil {
		t.Fatal("expected a reference cycle error")
	}
}
