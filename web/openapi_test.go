package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lantern/app/apptest"
)

// TestOpenAPIDescribesEveryRoute reads the routes from the package's source and
// checks the served OpenAPI document has each, with its method.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	var src []byte
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	routeRE := regexp.MustCompile(`s\.handle\("([A-Z]+) (/api/v1/[^"]*)"`)
	routes := routeRE.FindAllStringSubmatch(string(src), -1)
	if len(routes) < 7 {
		t.Fatalf("found %d routes in api.go; the pattern no longer matches the source", len(routes))
	}

	e := startEnv(t, "sqlite", apptest.Options{})
	r := e.do("GET", "/api/v1/openapi.json", "", nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json: %d %s", r.status, r.header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Info    struct{ Title, Version string }       `json:"info"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("info lacks a title or version: %+v", doc.Info)
	}
	// Every operation has an operationId, each its own (Redocly's lint,
	// .redocly.yaml, asks for them), and a 4xx answer.
	ids := map[string]string{}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			if method == "parameters" {
				continue
			}
			var op struct {
				OperationID string                     `json:"operationId"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, ok := ids[op.OperationID]; ok {
				t.Errorf("%s and %s share the operationId %s", where, other, op.OperationID)
			}
			ids[op.OperationID] = where
			has4xx := false
			for code := range op.Responses {
				has4xx = has4xx || strings.HasPrefix(code, "4")
			}
			if !has4xx {
				t.Errorf("%s describes no 4xx answer", where)
			}
		}
	}
	for _, m := range routes {
		method, path := strings.ToLower(m[1]), m[2]
		t.Run(m[1]+" "+path, func(t *testing.T) {
			ops, ok := doc.Paths[path]
			if !ok {
				t.Fatalf("paths has no %s", path)
			}
			op, ok := ops[method]
			if !ok {
				t.Fatalf("paths[%s] has no %s", path, method)
			}
			var v struct {
				RequestBody json.RawMessage            `json:"requestBody"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &v); err != nil || len(v.Responses) == 0 {
				t.Errorf("%s %s has no responses (%v)", method, path, err)
			}
			// Every body is capped: the cap's answer is described.
			if _, ok := v.Responses["413"]; v.RequestBody != nil && !ok {
				t.Errorf("%s %s takes a body but does not describe 413", method, path)
			}
			for _, param := range regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(path, -1) {
				if !strings.Contains(string(op), `"`+param[1]+`"`) && !strings.Contains(string(ops["parameters"]), `"`+param[1]+`"`) {
					t.Errorf("%s %s does not describe the path parameter %s", method, path, param[1])
				}
			}
		})
	}
}
