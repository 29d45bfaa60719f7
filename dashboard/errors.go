package dashboard

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

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
// (pantau's typed errors, echo's HTTP errors) show their message; anything
// else is logged and shown as an internal error without its text.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, ""
	var he *echo.HTTPError
	var pe *queries.Error
	switch {
	case errors.As(err, &pe):
		status, msg = statusOf[pe.Code], pe.Message
		if status == 0 {
			status = http.StatusInternalServerError
		}
	case errors.As(err, &he):
		status = he.Code
		if m, ok := he.Message.(string); ok {
			msg = m
		} else {
			msg = http.StatusText(status)
		}
	}
	if errors.Is(err, echo.ErrNotFound) {
		msg = "error.not_found"
	}
	l := localeFor(c)
	if status >= 500 {
		s.log.Error("internal error", "path", c.Request().URL.Path, "error", err)
		msg = "error.internal"
	}
	// Our own messages are catalog keys, shown in the page's language.
	if l.Has(msg) {
		msg = l.T(msg)
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	if isAPI(c) || c.Request().Header.Get("Accept") == "application/json" {
		c.JSON(status, map[string]any{"error": map[string]any{"status": status, "message": msg}})
		return
	}
	page := &errorPage{pageBase: s.base(c, "error"), Status: status, Message: msg}
	if rerr := s.render(c, status, "error", page); rerr != nil {
		c.String(status, msg)
	}
}
