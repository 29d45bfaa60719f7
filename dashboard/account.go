package dashboard

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/locale"
	"pantau/dashboard/logins"
	"pantau/queries"
)

// The account page: every signed-in user changes their own password and
// sees and ends their own sessions.

type accountPage struct {
	pageBase
	Sessions []queries.Session
	Current  string // ID of this browser's session
	TTL      string // how long a login lasts, in words
	Idle     string // the idle time, in words
	Done     string // message of the change just made
	Error    string
}

func newAccountPage(c echo.Context, sessions *sessionCache) (*accountPage, error) {
	u := currentUser(c)
	list, err := sessions.db.Sessions(c.Request().Context(), u.Username, sessions.now(), sessions.idle)
	if err != nil {
		return nil, err
	}
	token, _ := c.Get(sessionKey).(string)
	p := &accountPage{pageBase: newPageBase(c, "account"), Sessions: list, Current: queries.SessionID(token)}
	p.TTL, p.Idle = inWords(p.L, sessions.ttl), inWords(p.L, sessions.idle)
	return p, nil
}

// inWords says a duration in hours, or else in minutes.
func inWords(l *locale.Locale, d time.Duration) string {
	if d%time.Hour == 0 {
		return l.T("account.hours", int(d/time.Hour))
	}
	return l.T("account.minutes", int(d/time.Minute))
}

func handleAccount(pages *pageTemplates, sessions *sessionCache) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := newAccountPage(c, sessions)
		if err != nil {
			return err
		}
		switch done := c.QueryParam("done"); done {
		case "password", "ended", "ended_others":
			p.Done = p.L.T("account.done_" + done)
		}
		return pages.render(c, http.StatusOK, "account", p)
	}
}

// handleOwnPassword answers POST /account/password: the current password
// and the new one twice. Wrong current passwords count as failed logins
// (a stolen session must not be a free way to guess the password).
func handleOwnPassword(pages *pageTemplates, sessions *sessionCache, limiter *logins.Limiter) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, ip := currentUser(c), c.RealIP()
		token, _ := c.Get(sessionKey).(string)
		refuse := func(status int, msg string) error {
			p, err := newAccountPage(c, sessions)
			if err != nil {
				return err
			}
			p.Error = msg
			return pages.render(c, status, "account", p)
		}
		l := localeFor(c)
		if wait := limiter.Wait(u.Username, ip); wait > 0 {
			return refuse(http.StatusTooManyRequests, l.T("login.limited", retryAfter(c, wait)))
		}
		password := c.FormValue("password")
		if password != c.FormValue("password2") {
			return refuse(http.StatusBadRequest, l.T("account.err_mismatch"))
		}
		err := sessions.db.ChangePassword(c.Request().Context(), u.Username, c.FormValue("current"), password, token)
		switch code := queries.ErrorCode(err); code {
		case "":
		case queries.EUNAUTHORIZED, queries.EINVALID: // a wrong current password, a weak new one
			if code == queries.EUNAUTHORIZED {
				limiter.Failed(u.Username, ip)
			}
			why, _ := queries.MessageOf(err)
			return refuse(http.StatusBadRequest, l.T("account.err_password", why.In(l.Lang)))
		default:
			return err
		}
		limiter.Succeeded(u.Username, ip)
		sessions.forgetUser(u.Username)
		return c.Redirect(http.StatusSeeOther, "/account?done=password")
	}
}

// handleEndSession answers POST /account/sessions/:id/end: one of the
// user's own sessions ends (this one too, which then is a logout).
func handleEndSession(sessions *sessionCache) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		id := c.Param("id")
		if err := sessions.db.EndSession(c.Request().Context(), u.Username, id); err != nil {
			return err
		}
		sessions.forgetUser(u.Username)
		if token, _ := c.Get(sessionKey).(string); queries.SessionID(token) == id {
			setCookie(c, &http.Cookie{Name: sessionCookie, MaxAge: -1})
			return c.Redirect(http.StatusSeeOther, "/login")
		}
		return c.Redirect(http.StatusSeeOther, "/account?done=ended")
	}
}

// handleEndOtherSessions answers POST /account/sessions/end-others: every
// session of the user but this one ends.
func handleEndOtherSessions(sessions *sessionCache) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		token, _ := c.Get(sessionKey).(string)
		if _, err := sessions.db.EndOtherSessions(c.Request().Context(), u.Username, token); err != nil {
			return err
		}
		sessions.forgetUser(u.Username)
		return c.Redirect(http.StatusSeeOther, "/account?done=ended_others")
	}
}
