package dashboard

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/logins"
	"pantau/queries"
)

const (
	sessionCookie = "pantau_session"
	csrfCookie    = "pantau_csrf"
	csrfField     = "_csrf"
	csrfHeader    = "X-CSRF-Token"
	userKey       = "user"
	sessionKey    = "session"
)

// sessionCache keeps recently checked sessions in memory for a short while,
// so that a dashboard's chart requests do not each read DuckDB. The sessions
// table stays the truth: logout, a password change, disabling or removing a
// user, ending a session clears the cache. A session ends after ttl, or
// after idle without a request; when it was last used is written to the
// table at most once a minute.
type sessionCache struct {
	db        *queries.DB
	now       func() time.Time
	ttl, idle time.Duration
	mu        sync.Mutex
	m         map[string]cachedSession
}

type cachedSession struct {
	user    queries.User
	expires time.Time
	seen    time.Time // last written to the table
	checked time.Time
}

const (
	sessionRecheck = 30 * time.Second
	sessionSeen    = time.Minute // how often last-seen is written
)

func newSessionCache(db *queries.DB, now func() time.Time, ttl, idle time.Duration) *sessionCache {
	return &sessionCache{db: db, now: now, ttl: ttl, idle: idle, m: map[string]cachedSession{}}
}

// create starts a session for username from the client address: its token
// and when it ends.
func (sc *sessionCache) create(ctx context.Context, username, client string) (string, time.Time, error) {
	return sc.db.CreateSession(ctx, username, client, sc.now(), sc.ttl)
}

func (sc *sessionCache) user(c echo.Context, token string) (*queries.User, error) {
	ctx, now := c.Request().Context(), sc.now()
	sc.mu.Lock()
	cs, ok := sc.m[token]
	fresh := ok && now.Before(cs.expires) && now.Sub(cs.checked) < sessionRecheck && now.Sub(cs.seen) < sc.idle
	touch := fresh && now.Sub(cs.seen) >= sessionSeen
	if touch {
		cs.seen = now
		sc.m[token] = cs
	}
	sc.mu.Unlock()
	if fresh {
		if touch {
			if err := sc.db.TouchSession(ctx, token, now); err != nil {
				return nil, err
			}
		}
		return &cs.user, nil
	}
	u, s, err := sc.db.SessionUser(ctx, token, now, sc.idle)
	if err != nil {
		sc.forget(token)
		return nil, err
	}
	if now.Sub(s.LastSeen) >= sessionSeen {
		if err := sc.db.TouchSession(ctx, token, now); err != nil {
			return nil, err
		}
		s.LastSeen = now
	}
	sc.mu.Lock()
	if len(sc.m) > 10000 { // bounded: a flood of sessions only costs re-reads
		clear(sc.m)
	}
	sc.m[token] = cachedSession{user: u, expires: s.Expires, seen: s.LastSeen, checked: now}
	sc.mu.Unlock()
	return &u, nil
}

func (sc *sessionCache) forget(token string) {
	sc.mu.Lock()
	delete(sc.m, token)
	sc.mu.Unlock()
}

// forgetUser drops the cached sessions of one user, after a change to
// their sessions.
func (sc *sessionCache) forgetUser(username string) {
	sc.mu.Lock()
	for token, cs := range sc.m {
		if cs.user.Username == username {
			delete(sc.m, token)
		}
	}
	sc.mu.Unlock()
}

// forgetAll drops every cached session, after a change to any user.
func (sc *sessionCache) forgetAll() {
	sc.mu.Lock()
	clear(sc.m)
	sc.mu.Unlock()
}

// loadSession puts the logged-in user, if any, in the context.
func loadSession(sessions *sessionCache) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
				if u, err := sessions.user(c, ck.Value); err == nil {
					c.Set(userKey, u)
					c.Set(sessionKey, ck.Value)
				} else if queries.ErrorCode(err) != queries.EUNAUTHORIZED {
					return err
				}
			}
			return next(c)
		}
	}
}

func currentUser(c echo.Context) *queries.User {
	u, _ := c.Get(userKey).(*queries.User)
	return u
}

// requireRole lets through users whose role includes need. Anyone else:
// an API request gets 401, a page request is sent to the login page (and
// back afterwards); a logged-in user without the role gets 403.
func requireRole(need queries.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil {
				if m := c.Request().Method; isAPI(c) || m != http.MethodGet && m != http.MethodHead {
					return failure(queries.EUNAUTHORIZED, "error.login_required")
				}
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			}
			if !u.Role.Allows(need) {
				return httpError(http.StatusForbidden, "error.forbidden")
			}
			return next(c)
		}
	}
}

func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

// csrf guards every state-changing request with a token that the form
// (field _csrf, in the body: never the query string, which lands in logs
// and Referer headers) or the script (header X-CSRF-Token) must send back.
// A logged-in browser's token is bound to its session: an HMAC of the
// session token under this server's key, so no cookie an attacker plants
// makes a valid one. Before login (the login form) it is a double-submit
// token: a random value in an HttpOnly cookie. Echo's CSRF middleware is
// not used because, when a browser sends Sec-Fetch-Site, it skips the
// token altogether and hands the page no token to put in its forms.
func csrf(key []byte) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token := ""
			if session, _ := c.Get(sessionKey).(string); session != "" {
				token = sessionCSRF(key, session)
			} else if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 {
				token = ck.Value
			}
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
			default:
				sent := c.Request().Header.Get(csrfHeader)
				if sent == "" && isUploadPost(c) {
					// Reading the form here would spool the whole file; the
					// upload handler reads the token as the form's first field.
					break
				}
				if sent == "" {
					sent = c.Request().PostFormValue(csrfField)
				}
				if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
					return httpError(http.StatusForbidden, "error.csrf")
				}
			}
			if token == "" {
				token = setCSRFCookie(c)
			}
			c.Set(csrfField, token)
			return next(c)
		}
	}
}

// sessionCSRF is the CSRF token of a session.
func sessionCSRF(key []byte, session string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("csrf\x00" + session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sameOrigin refuses a state-changing request that a browser says came
// from another site (Sec-Fetch-Site, else Origin against Host), before
// any token is looked at.
func sameOrigin() echo.MiddlewareFunc {
	check := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := check.Check(c.Request()); err != nil {
				return httpError(http.StatusForbidden, "error.cross_origin")
			}
			return next(c)
		}
	}
}

// setCookie sets a cookie with pantau's one cookie policy: the whole site,
// never readable by scripts, not sent on cross-site requests, and Secure
// when the page came over https (see withScheme).
func setCookie(c echo.Context, ck *http.Cookie) {
	https, _ := c.Get(httpsKey).(bool)
	ck.Path, ck.HttpOnly, ck.SameSite, ck.Secure = "/", true, http.SameSiteLaxMode, https
	c.SetCookie(ck)
}

const httpsKey = "https"

// withScheme notes whether the browser's request came over https: the
// connection's TLS, or, only when the server trusts a proxy in front of it,
// the proxy's X-Forwarded-Proto.
func withScheme(trustProxy bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			c.Set(httpsKey, r.TLS != nil || trustProxy && strings.EqualFold(r.Header.Get(echo.HeaderXForwardedProto), "https"))
			return next(c)
		}
	}
}

// setCSRFCookie gives the browser a new CSRF token: on its first visit,
// and at login, so that a token known before login is worthless after it.
func setCSRFCookie(c echo.Context) string {
	token := randomToken()
	setCookie(c, &http.Cookie{Name: csrfCookie, Value: token})
	return token
}

func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfField).(string)
	return t
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// safeNext keeps a post-login redirect on this site: a local path only.
// Control characters are refused too: browsers drop tabs and line breaks
// from a URL, so "/\t/evil.example" would be "//evil.example" to them.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}

type loginPage struct {
	pageBase
	Username string
	Next     string
	Error    string
}

func handleLoginForm(pages *pageTemplates) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) != nil {
			return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
		}
		return pages.render(c, http.StatusOK, "login", &loginPage{pageBase: newPageBase(c, "login"), Next: safeNext(c.QueryParam("next"))})
	}
}

func handleLogin(pages *pageTemplates, limiter *logins.Limiter, sessions *sessionCache, log *slog.Logger) echo.HandlerFunc {
	return func(c echo.Context) error {
		username, password := c.FormValue("username"), c.FormValue("password")
		page := &loginPage{pageBase: newPageBase(c, "login"), Username: username, Next: safeNext(c.FormValue("next"))}
		ip := c.RealIP()
		if wait := limiter.Wait(username, ip); wait > 0 {
			page.Error = page.L.T("login.limited", retryAfter(c, wait))
			return pages.render(c, http.StatusTooManyRequests, "login", page)
		}
		ctx := c.Request().Context()
		u, err := sessions.db.Authenticate(ctx, username, password)
		if queries.ErrorCode(err) == queries.EUNAUTHORIZED {
			limiter.Failed(username, ip)
			log.Warn("login failed", "user", username, "remote", ip)
			page.Error = page.L.T("login.failed")
			return pages.render(c, http.StatusUnauthorized, "login", page)
		}
		if err != nil {
			return err
		}
		limiter.Succeeded(username, ip)
		// Logging in again (perhaps as someone else) ends the session before.
		if old, _ := c.Get(sessionKey).(string); old != "" {
			sessions.forget(old)
			if err := sessions.db.DeleteSession(ctx, old); err != nil {
				return err
			}
		}
		token, expires, err := sessions.create(ctx, u.Username, ip)
		if err != nil {
			return err
		}
		setCookie(c, &http.Cookie{Name: sessionCookie, Value: token, Expires: expires})
		setCSRFCookie(c)
		return c.Redirect(http.StatusSeeOther, page.Next)
	}
}

// retryAfter sets the Retry-After header of a login that must wait, and
// returns the whole seconds it says.
func retryAfter(c echo.Context, wait time.Duration) int {
	seconds := int((wait + time.Second - 1) / time.Second)
	c.Response().Header().Set("Retry-After", strconv.Itoa(seconds))
	return seconds
}

func handleLogout(sessions *sessionCache) echo.HandlerFunc {
	return func(c echo.Context) error {
		if token, _ := c.Get(sessionKey).(string); token != "" {
			sessions.forget(token)
			if err := sessions.db.DeleteSession(c.Request().Context(), token); err != nil {
				return err
			}
		}
		setCookie(c, &http.Cookie{Name: sessionCookie, MaxAge: -1})
		return c.Redirect(http.StatusSeeOther, "/login")
	}
}
