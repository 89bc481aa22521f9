// Package lantern holds Lantern's domain: the types, rules of access and the
// service interfaces that the storage and HTTP adapters implement and use.
package lantern

import (
	"errors"
	"fmt"
)

// Code classifies an error. Codes map to HTTP statuses in one table (web).
type Code string

const (
	EBADREQUEST   Code = "bad_request"  // the request could not be read
	EINVALID      Code = "invalid"      // it was read but breaks a rule
	ENOTFOUND     Code = "not_found"    // absent, or not visible to the caller
	ECONFLICT     Code = "conflict"     // a stale version, or a duplicate
	EUNAUTHORIZED Code = "unauthorized" // no credentials, or bad ones
	EFORBIDDEN    Code = "forbidden"    // signed in, but not for this (never for a child)
	ETOOLARGE     Code = "too_large"    // body over the limit
	ERATELIMITED  Code = "rate_limited" // too many attempts
	EUNAVAILABLE  Code = "unavailable"  // too busy now: try again in a moment
	EINTERNAL     Code = "internal"     // anything else: details are logged, never shown
)

// FieldError names one field at fault and why, in words safe to show.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type that crosses the service boundary. Message is
// safe to show to the user; Err is the internal cause, kept for the logs.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	Err     error
	// Current is, for ECONFLICT, the record as it now is, to show beside
	// the change that could not be made.
	Current any
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with a code and a safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming the fields at fault.
func Invalid(fields ...FieldError) *Error {
	msg := "There is a problem with the information you gave"
	if len(fields) == 1 {
		msg = fields[0].Message
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}

// Internal wraps an unexpected error; its text never reaches a user.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Message: "Sorry, there is a problem with the service", Err: err}
}

// NotFound is the answer for anything absent or not visible to the caller.
func NotFound(what string) *Error {
	return &Error{Code: ENOTFOUND, Message: what + " not found"}
}

// ErrorCode returns the code of err, EINTERNAL for anything not an *Error.
func ErrorCode(err error) Code {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message safe to show for err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Sorry, there is a problem with the service"
}

// ErrorFields returns the fields at fault in err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors while validating input.
type Problems []FieldError

func (p *Problems) Add(field, message string) { *p = append(*p, FieldError{field, message}) }

// Err returns nil when there are no problems, else an EINVALID error.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return Invalid(p...)
}

// ErrorMessageOrText is the safe message of an *Error, or the text of any
// other error: for the command line, where the operator is the reader.
func ErrorMessageOrText(err error) string {
	var e *Error
	if errors.As(err, &e) {
		msg := e.Message
		for _, f := range e.Fields {
			msg += "\n  " + f.Field + ": " + f.Message
		}
		if e.Code == EINTERNAL && e.Err != nil {
			msg += ": " + e.Err.Error()
		}
		return msg
	}
	return err.Error()
}
