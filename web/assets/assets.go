// Package assets embeds Lantern's static files (app CSS/JS and the vendored
// GOV.UK Frontend, MoJ Frontend and Cytoscape.js builds) and serves them under
// content-hashed URLs that may be cached forever:
//
//	/assets/<hash>/<name>
//
// where <hash> is the first 12 hex digits of the SHA-256 of the bytes served.
//
// Files that refer to other files are rewritten once, at package
// initialisation, before they are hashed:
//
//   - CSS url(...) references. The vendored CSS is compiled with
//     $govuk-assets-path "/assets/", so it contains absolute URLs such as
//     url(/assets/fonts/bold-b542beb274-v2.woff2). A reference "/assets/X"
//     in a CSS file in directory D resolves to the embedded file D/assets/X
//     (the package's own assets folder); a relative reference resolves
//     against the CSS file. Both become hashed URLs.
//   - Relative ES module import specifiers in .js files ("./x.js", "../x.js").
//   - "src" entries in web app manifests (manifest.json).
//
// A file's hash therefore covers the hashes of everything it refers to, so a
// change to a font changes the CSS URL too. Trailing sourceMappingURL
// comments are removed from CSS and JS because source maps are not vendored.
//
// Names are slash-separated paths relative to the static directory, for
// example "vendor/govuk-frontend/govuk-frontend.min.css".
package assets

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

//go:embed static
var embedded embed.FS

// Prefix is the URL path prefix under which Handler serves files.
const Prefix = "/assets/"

// Names of the files the page layout needs. All of them are checked to exist
// by the package tests.
const (
	// GOV.UK Frontend compiled CSS. <link rel="stylesheet">.
	GovUKCSS = "vendor/govuk-frontend/govuk-frontend.min.css"
	// MoJ Frontend compiled CSS, after GovUKCSS. <link rel="stylesheet">.
	MoJCSS = "vendor/moj-frontend/moj-frontend.min.css"
	// Lantern's own styles, after MoJCSS. <link rel="stylesheet">.
	AppCSS = "app.css"
	// Lantern's entry point: an ES module that imports GOV.UK Frontend and
	// MoJ Frontend (both ES modules) and initialises them.
	// <script type="module">.
	AppJS = "app.js"
	// The two vendor ES modules imported by AppJS. Only needed in the layout
	// for optional <link rel="modulepreload">.
	GovUKJS = "vendor/govuk-frontend/govuk-frontend.min.js"
	MoJJS   = "vendor/moj-frontend/moj-frontend.min.js"

	// GOV.UK template head icons, 2025 brand ("rebrand"; pair with
	// class="govuk-template govuk-template--rebranded" and theme colour
	// #1d70b8).
	Favicon        = "vendor/govuk-frontend/assets/rebrand/images/favicon.ico" // <link rel="icon" sizes="48x48">
	FaviconSVG     = "vendor/govuk-frontend/assets/rebrand/images/favicon.svg" // <link rel="icon" sizes="any" type="image/svg+xml">
	MaskIcon       = "vendor/govuk-frontend/assets/rebrand/images/govuk-icon-mask.svg"
	AppleTouchIcon = "vendor/govuk-frontend/assets/rebrand/images/govuk-icon-180.png" // <link rel="apple-touch-icon">
	Manifest       = "vendor/govuk-frontend/assets/rebrand/manifest.json"             // <link rel="manifest">
	OpenGraphImage = "vendor/govuk-frontend/assets/rebrand/images/govuk-opengraph-image.png"
	// The pre-2025 brand icons are under vendor/govuk-frontend/assets/images/.
)

// LayoutNames lists every name declared above for the layout.
var LayoutNames = []string{
	GovUKCSS, MoJCSS, AppCSS, AppJS, GovUKJS, MoJJS,
	Favicon, FaviconSVG, MaskIcon, AppleTouchIcon, Manifest, OpenGraphImage,
}

// Names of files only some pages load (from their own templates). All of
// them are checked to exist by the package tests.
const (
	// Cytoscape.js, the minified UMD build: a classic script that defines
	// window.cytoscape. <script defer>, before NetworkJS.
	CytoscapeJS = "vendor/cytoscape/cytoscape.min.js"
	// The network page's interactive drawing, made with CytoscapeJS.
	// <script type="module">.
	NetworkJS = "network.js"
)

// PageNames lists every name declared above for single pages.
var PageNames = []string{CytoscapeJS, NetworkJS}

type file struct {
	name  string
	hash  string
	body  []byte
	ctype string
}

var (
	files   map[string]*file // by name
	missing []string         // unresolved references, "file: ref"
)

func init() {
	f, m, err := load(embedded)
	if err != nil {
		panic("assets: " + err.Error())
	}
	files, missing = f, m
}

// Path returns the hashed URL path for name, e.g.
// "/assets/3f2a9c01b7de/vendor/govuk-frontend/govuk-frontend.min.css".
// It never fails: for an unknown name it returns a path that Handler answers
// with 404 (the tests check that the names the layout uses exist).
func Path(name string) string {
	if f, ok := files[name]; ok {
		return Prefix + f.hash + "/" + f.name
	}
	return Prefix + "missing/" + name
}

// MustPath is like Path but panics if name is not an embedded file. Use it
// only for values computed at startup.
func MustPath(name string) string {
	if _, ok := files[name]; !ok {
		panic(fmt.Sprintf("assets: unknown asset %q", name))
	}
	return Path(name)
}

// Exists reports whether name is an embedded file.
func Exists(name string) bool {
	_, ok := files[name]
	return ok
}

// Names returns the names of all embedded files, sorted.
func Names() []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Handler serves GET and HEAD /assets/{hash}/{name}. A request whose hash is
// the file's current hash gets the file with
// "Cache-Control: public, max-age=31536000, immutable"; anything else (stale
// or unknown hash, unknown name, directories, non-canonical paths such as
// ones containing "..") gets 404. All responses carry
// "X-Content-Type-Options: nosniff".
//
// Mount it at Prefix, e.g. mux.Handle("/assets/", assets.Handler()).
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f, ok := lookup(r.URL.Path)
	if !ok {
		h.Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+f.hash+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

// lookup maps a request path to a file. Only exact, canonical names match:
// the map holds clean names, so "..", ".", "//" and directories never do.
func lookup(p string) (*file, bool) {
	rest, ok := strings.CutPrefix(p, Prefix)
	if !ok {
		return nil, false
	}
	hash, name, ok := strings.Cut(rest, "/")
	if !ok || hash == "" {
		return nil, false
	}
	f, ok := files[name]
	if !ok || f.hash != hash {
		return nil, false
	}
	return f, true
}

// load reads every file under "static" in fsys, rewrites references and
// computes hashes. It returns the files and any references it could not
// resolve (left unchanged in the output).
func load(fsys fs.FS) (map[string]*file, []string, error) {
	raw := map[string][]byte{}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		raw[strings.TrimPrefix(p, "static/")] = b
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	l := &loader{raw: raw, done: map[string]*file{}, busy: map[string]bool{}}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if _, err := l.resolve(n); err != nil {
			return nil, nil, err
		}
	}
	return l.done, l.missing, nil
}

type loader struct {
	raw     map[string][]byte
	done    map[string]*file
	busy    map[string]bool // cycle detection
	missing []string
}

var (
	// url(x), url('x'), url("x"). CSS escapes in URLs are not handled; the
	// vendored CSS has none.
	cssURL = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^'")\s]*))\s*\)`)
	// Static and dynamic imports/exports with a relative specifier:
	// from "./x.js", import "./x.js", import("./x.js").
	jsImport = regexp.MustCompile(`(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.\.?/[^"'\s]+)(["'])`)
	// "src": "images/favicon.ico" in web app manifests.
	manifestSrc = regexp.MustCompile(`("src"\s*:\s*")([^"]+)(")`)
	// Trailing source map comments (maps are not vendored).
	cssSourceMap = regexp.MustCompile(`\s*/\*#\s*sourceMappingURL=[^*]*\*/\s*$`)
	jsSourceMap  = regexp.MustCompile(`\s*//#\s*sourceMappingURL=\S*\s*$`)
)

func (l *loader) resolve(name string) (*file, error) {
	if f, ok := l.done[name]; ok {
		return f, nil
	}
	if l.busy[name] {
		return nil, fmt.Errorf("reference cycle through %s", name)
	}
	l.busy[name] = true
	defer delete(l.busy, name)

	body := l.raw[name]
	var err error
	switch {
	case strings.HasSuffix(name, ".css"):
		body = cssSourceMap.ReplaceAll(body, []byte("\n"))
		body, err = l.rewrite(name, body, cssURL, func(m [][]byte) (string, bool) {
			ref := string(firstNonNil(m[1], m[2], m[3]))
			target, ok := l.cssTarget(name, ref)
			return target, ok
		}, func(m [][]byte, url string) []byte {
			return []byte(`url(` + url + `)`)
		})
	case strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".mjs"):
		body = jsSourceMap.ReplaceAll(body, []byte("\n"))
		body, err = l.rewrite(name, body, jsImport, func(m [][]byte) (string, bool) {
			if !bytes.Equal(m[2], m[4]) {
				return "", false
			}
			return relTarget(name, string(m[3])), true
		}, func(m [][]byte, url string) []byte {
			return []byte(string(m[1]) + string(m[2]) + url + string(m[4]))
		})
	case path.Base(name) == "manifest.json" || strings.HasSuffix(name, ".webmanifest"):
		body, err = l.rewrite(name, body, manifestSrc, func(m [][]byte) (string, bool) {
			ref := string(m[2])
			if isExternal(ref) || strings.HasPrefix(ref, "/") {
				return "", false
			}
			return relTarget(name, ref), true
		}, func(m [][]byte, url string) []byte {
			return []byte(string(m[1]) + url + string(m[3]))
		})
	}
	if err != nil {
		return nil, err
	}

	sum := sha256.Sum256(body)
	f := &file{
		name:  name,
		hash:  hex.EncodeToString(sum[:])[:12],
		body:  body,
		ctype: contentType(name),
	}
	l.done[name] = f
	return f, nil
}

// rewrite replaces each match of re in body. target returns the embedded name
// a match refers to (with ok false to leave the match alone); repl builds the
// replacement from the match and the target's hashed URL (plus any
// "?query" or "#fragment" suffix of the original reference).
func (l *loader) rewrite(name string, body []byte, re *regexp.Regexp,
	target func(m [][]byte) (string, bool),
	repl func(m [][]byte, url string) []byte,
) ([]byte, error) {
	var out bytes.Buffer
	last := 0
	for _, idx := range re.FindAllSubmatchIndex(body, -1) {
		m := make([][]byte, len(idx)/2)
		for i := range m {
			if idx[2*i] >= 0 {
				m[i] = body[idx[2*i]:idx[2*i+1]]
			}
		}
		t, ok := target(m)
		if !ok {
			continue
		}
		t, suffix := splitSuffix(t)
		if _, exists := l.raw[t]; !exists {
			l.missing = append(l.missing, name+": "+string(m[0]))
			continue
		}
		f, err := l.resolve(t)
		if err != nil {
			return nil, err
		}
		out.Write(body[last:idx[0]])
		out.Write(repl(m, Prefix+f.hash+"/"+f.name+suffix))
		last = idx[1]
	}
	if last == 0 {
		return body, nil
	}
	out.Write(body[last:])
	return out.Bytes(), nil
}

// cssTarget resolves a url() reference in the CSS file name to an embedded
// name. ok is false for references that are not ours to rewrite (data:,
// external, fragment-only).
func (l *loader) cssTarget(name, ref string) (string, bool) {
	if ref == "" || isExternal(ref) || strings.HasPrefix(ref, "#") {
		return "", false
	}
	if rest, ok := strings.CutPrefix(ref, Prefix); ok {
		// Compiled with $govuk-assets-path "/assets/": the package's own
		// assets folder beside the CSS file.
		return path.Join(path.Dir(name), "assets", rest), true
	}
	if strings.HasPrefix(ref, "/") {
		return "", false
	}
	return relTarget(name, ref), true
}

// relTarget resolves ref relative to the directory of name. The result is
// cleaned; a reference that escapes the static root resolves to a name that
// does not exist.
func relTarget(name, ref string) string {
	ref, suffix := splitSuffix(ref)
	return path.Join(path.Dir(name), ref) + suffix
}

// splitSuffix splits a reference into its path and any ?query/#fragment.
func splitSuffix(ref string) (string, string) {
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		return ref[:i], ref[i:]
	}
	return ref, ""
}

func isExternal(ref string) bool {
	if strings.HasPrefix(ref, "//") {
		return true
	}
	i := strings.IndexAny(ref, ":/?#")
	return i > 0 && ref[i] == ':' // has a scheme: data:, http:, https:, ...
}

func firstNonNil(bs ...[]byte) []byte {
	for _, b := range bs {
		if b != nil {
			return b
		}
	}
	return nil
}

var contentTypes = map[string]string{
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".png":         "image/png",
	".svg":         "image/svg+xml",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
}

func contentType(name string) string {
	if path.Base(name) == "manifest.json" {
		return "application/manifest+json"
	}
	if path.Base(name) == "VERSIONS" {
		return "text/plain; charset=utf-8"
	}
	if ct, ok := contentTypes[path.Ext(name)]; ok {
		return ct
	}
	return "application/octet-stream"
}
