package dashboard

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/locale"
	"pantau/dashboard/uploads"
	"pantau/queries"
)

// statusOf maps pantau's error codes to HTTP statuses.
var statusOf = map[string]int{
	queries.EINVALID:      http.StatusBadRequest,
	queries.ENOTFOUND:     http.StatusNotFound,
	queries.ECONFLICT:     http.StatusConflict,
	queries.EUNAUTHORIZED: http.StatusUnauthorized,
	queries.EINTERNAL:     http.StatusInternalServerError,
	uploads.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

type errorPage struct {
	pageBase
	Status  int
	Message string
}

// handleError is the one place errors become responses. Expected errors
// (pantau's typed errors, echo's HTTP errors) show their message in the
// request's language; anything else is logged and shown as an internal
// error without its text.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	l := localeFor(c)
	status, msg := http.StatusInternalServerError, ""
	var he *echo.HTTPError
	var pe *queries.Error
	switch {
	case errors.As(err, &pe):
		status, msg = statusOf[pe.Code], pe.Message.In(l.Lang)
		if status == 0 {
			status = http.StatusInternalServerError
		}
	case errors.As(err, &he):
		status = he.Code
		switch m := he.Message.(type) {
		case queries.Message: // ours, from httpError
			msg = m.In(l.Lang)
		case string: // echo's own
			msg = m
		default:
			msg = http.StatusText(status)
		}
	}
	if errors.Is(err, echo.ErrNotFound) {
		msg = l.T("error.not_found")
	}
	if status >= 500 {
		s.log.Error("internal error", "path", c.Request().URL.Path, "error", err)
		msg = l.T("error.internal")
	}
	if isAPI(c) || c.Request().Header.Get("Accept") == "application/json" {
		c.JSON(status, map[string]any{"error": map[string]any{"status": status, "message": msg}})
		return
	}
	page := &errorPage{pageBase: newPageBase(c, "error"), Status: status, Message: msg}
	if rerr := s.pages.render(c, status, "error", page); rerr != nil {
		c.String(status, msg)
	}
}

// httpError is an expected error whose status pantau's error codes lack
// (403, 413, 429): the message key with args, said in the request's language.
func httpError(status int, key string, args ...any) error {
	return &echo.HTTPError{Code: status, Message: locale.Msg(key, args...)}
}

// failure is an expected error with one of pantau's codes, saying the
// message key with args in the request's language.
func failure(code, key string, args ...any) error {
	return queries.Fail(code, locale.Msg(key, args...))
}
