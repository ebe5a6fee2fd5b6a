// Package tryggspor is the domain of Tryggspor: cases, their append-only event
// timelines, the workflow rules of Trygghetsprogrammet, organisations, users and
// roles, and the Service whose use cases decide who may do what.
//
// It imports only the standard library; storage, HTTP and OIDC live outside and
// point inward.
package tryggspor

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that the edge (HTTP, CLI) can map it in one place.
type Kind int

// Error kinds. Everything that is not one of the named kinds is internal and is
// never shown to a user beyond a generic message and a request id.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindForbidden
	KindConflict
	// KindLimit: a quota or rate limit was reached (HTTP 429); the message
	// names the limit and what to do.
	KindLimit
)

// Error is a domain error whose Message is safe to show to the user. Fields holds
// per-field messages for forms, keyed by the SPEC field name.
type Error struct {
	Kind    Kind
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string { return e.Message }

// Invalid reports bad input.
func Invalid(format string, a ...any) *Error {
	return &Error{Kind: KindInvalid, Message: fmt.Sprintf(format, a...)}
}

// NotFound reports a missing object, or one the actor may not know exists.
func NotFound(format string, a ...any) *Error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, a...)}
}

// Forbidden reports an action the actor's role does not allow.
func Forbidden(format string, a ...any) *Error {
	return &Error{Kind: KindForbidden, Message: fmt.Sprintf(format, a...)}
}

// Conflict reports a transition the case's current state does not allow.
func Conflict(format string, a ...any) *Error {
	return &Error{Kind: KindConflict, Message: fmt.Sprintf(format, a...)}
}

// Limit reports a quota or rate limit the actor has reached.
func Limit(format string, a ...any) *Error {
	return &Error{Kind: KindLimit, Message: fmt.Sprintf(format, a...)}
}

// FieldErrors collects per-field validation messages.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when empty, else an Invalid error carrying the fields.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Message: "Skjemaet har feil. Se meldingene ved feltene.", Fields: f}
}

// ErrorKind returns the kind of err, KindInternal for foreign errors.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ErrorMessage returns the user-safe message of err, or "" for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

// ErrorFields returns the per-field messages of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
