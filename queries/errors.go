package queries

import (
	"errors"
	"fmt"
)

// Error codes, as in benbjohnson/wtf: the dashboard maps them to HTTP statuses
// and the CLI to exit codes. The message of an expected error is shown to users;
// an internal error's text never is.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EINTERNAL     = "internal"
)

// Error is an expected failure with a code and a message meant for users.
type Error struct {
	Code    string
	Message string
	Detail  any // the facts behind it, for a caller that words the message itself
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or EINTERNAL when it is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}
