package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"lantern"
)

// decodeJSON reads exactly one JSON object into v, refusing unknown fields,
// trailing data and bodies over the limit. Its errors say where and which
// field, and are safe to show.
func decodeJSON(r *http.Request, v any) error {
	// Any content type is read as JSON: scripts often omit it, and a
	// cross-site form cannot reach here (CrossOriginProtection).
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return lantern.Errorf(lantern.ETOOLARGE, "The request body is larger than %d bytes", mbe.Limit)
		}
		return lantern.Errorf(lantern.EBADREQUEST, "The request body could not be read")
	}
	return DecodeJSON(body, v)
}

// DecodeJSON is the decoding half of decodeJSON, on bytes (and fuzzed).
// Every error it gives names a field: the body's own, "body", where the
// fault is not in one field (not JSON, not an object, empty).
func DecodeJSON(body []byte, v any) error {
	err := decodeJSONBody(body, v)
	var le *lantern.Error
	if errors.As(err, &le) && le.Code == lantern.EBADREQUEST && len(le.Fields) == 0 {
		le.Fields = []lantern.FieldError{{Field: "body", Message: le.Message}}
	}
	return err
}

func decodeJSONBody(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return lantern.Errorf(lantern.EBADREQUEST, "The request body is empty: send a JSON object")
	}
	// null decodes into a struct as nothing at all: it is not an object.
	if bytes.Equal(trimmed, []byte("null")) {
		return lantern.Errorf(lantern.EBADREQUEST, "The request body must be a JSON object")
	}
	// A NUL character is valid JSON but no database keeps it as text.
	if bytes.Contains(body, []byte(`\u0000`)) {
		return lantern.Errorf(lantern.EBADREQUEST, "The request body has a NUL character (\\u0000), which cannot be stored")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(body, err)
	}
	if dec.More() {
		return lantern.Errorf(lantern.EBADREQUEST, "The request body has more after the JSON object, at byte %d", dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return lantern.Errorf(lantern.EBADREQUEST, "The request body has more after the JSON object, at byte %d", dec.InputOffset())
	}
	return nil
}

func jsonError(body []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the bytes read, the bad one included: it is at Offset-1.
		line, col := position(body, max(syn.Offset-1, 0))
		return lantern.Errorf(lantern.EBADREQUEST, "The request body is not valid JSON: %s at line %d, column %d (byte %d)", syn.Error(), line, col, syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return lantern.Errorf(lantern.EBADREQUEST, "The request body is not valid JSON: it ends part-way through")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return lantern.Errorf(lantern.EBADREQUEST, "The request body must be a JSON object")
		}
		return &lantern.Error{Code: lantern.EBADREQUEST, Message: "A field has the wrong type",
			Fields: []lantern.FieldError{{Field: field, Message: fmt.Sprintf("must be %s, not %s", jsonKind(typ.Type.String()), jsonValue(typ.Value))}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &lantern.Error{Code: lantern.EBADREQUEST, Message: "The request has a field that is not known",
			Fields: []lantern.FieldError{{Field: name, Message: "is not a known field"}}}
	default:
		// A field's own decoder refused its value (a date, say).
		var fe *fieldDecodeError
		if errors.As(err, &fe) {
			return &lantern.Error{Code: lantern.EBADREQUEST, Message: "A field's value could not be read", Fields: []lantern.FieldError{{Field: fe.field, Message: fe.msg}}}
		}
		return &lantern.Error{Code: lantern.EBADREQUEST, Message: "The request body could not be read: " + safeJSONMessage(err)}
	}
}

type fieldDecodeError struct{ field, msg string }

func (e *fieldDecodeError) Error() string { return e.field + ": " + e.msg }

func safeJSONMessage(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return msg
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["):
		return "an object"
	case strings.Contains(goType, "int"):
		return "a whole number"
	case strings.Contains(goType, "float"):
		return "a number"
	case strings.HasSuffix(goType, "string"), goType == "lantern.Date":
		return "a string"
	case strings.HasSuffix(goType, "bool"):
		return "true or false"
	default:
		return "an object"
	}
}

// jsonValue says what was sent, from the decoder's description of it:
// "string", "array", "number 3.5" and so on.
func jsonValue(v string) string {
	switch v {
	case "string":
		return "a string"
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "bool":
		return "true or false"
	case "number":
		return "a number"
	}
	if n, ok := strings.CutPrefix(v, "number "); ok {
		return n
	}
	return v
}

func position(body []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off && i < int64(len(body)); i++ {
		if body[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
