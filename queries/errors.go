package queries

import "errors"

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

// Error is an expected failure with a code and a message for people.
type Error struct {
	Code    string
	Message Message
	Detail  any // the facts behind it, for a caller that words the message itself
}

// Error is the message in English, as logs and the command line show it.
func (e *Error) Error() string { return e.Message.EN }

// Errorf returns an *Error with the given code and its message formatted in
// both languages with the same arguments.
func Errorf(code, id, en string, args ...any) *Error {
	return &Error{Code: code, Message: Msgf(id, en, args...)}
}

// Fail returns an *Error with the given code and message.
func Fail(code string, m Message) *Error {
	return &Error{Code: code, Message: m}
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

// MessageOf is what err says to a person: an *Error's or a *Message's
// message, else nothing (ok false: an internal error, whose text is not
// for people).
func MessageOf(err error) (m Message, ok bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Message, true
	}
	var msg *Message
	if errors.As(err, &msg) {
		return *msg, true
	}
	return Message{}, false
}
