package tickets

import (
	"errors"
	"fmt"
)

// Error codes. Users see the Error's Message; logs get the wrapped detail.
const (
	EINTERNAL  = "internal"
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
)

// Error is the domain error: a code for programs and a plain sentence for people.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the code and a formatted, user-readable message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the *Error's message,
// or a generic sentence for internal errors whose detail belongs in logs.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again in a moment; if it keeps happening, tell the IT team."
}
