package dashboard

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/logins"
	"pantau/ingest"
	"pantau/queries"
)

// Share links: a read-only view of one dashboard page with its filter, at
// /s/<token>, for anyone with the link. The shareLink middleware resolves
// the link for every route under /s/<token>, and filterFrom then takes the
// link's filter (within the maker's scope, narrowed by the request's period
// only): the same place every other request gets its filter from.

const shareKey = "share"

// sharedLink is the link a request under /s/<token> came through, or nil.
func sharedLink(c echo.Context) *queries.ShareLink {
	l, _ := c.Get(shareKey).(*queries.ShareLink)
	return l
}

// linkFilter is the filter of a request through a link: the link's filter,
// limited to its regions, and the request's from and to when they narrow
// the link's period.
func linkFilter(c echo.Context, l *queries.ShareLink) (queries.Filter, error) {
	q, err := url.ParseQuery(l.Query)
	if err != nil {
		return queries.Filter{}, err
	}
	f, err := ingest.ParseFilter(q["region"], q.Get("gender"), q.Get("work_type"), q.Get("from"), q.Get("to"))
	if err != nil {
		return f, err
	}
	if l.Regions != nil && len(f.Regions) == 0 {
		f.Regions = slices.Clone(l.Regions)
	}
	narrow, err := ingest.ParseFilter(nil, "", "", c.QueryParam("from"), c.QueryParam("to"))
	if err != nil {
		why, _ := queries.MessageOf(err)
		return f, queries.Fail(queries.EINVALID, why)
	}
	if !narrow.From.IsZero() && narrow.From.After(f.From) {
		f.From = narrow.From
	}
	if !narrow.To.IsZero() && (f.To.IsZero() || narrow.To.Before(f.To)) {
		f.To = narrow.To
	}
	return f, nil
}

// shareCookie names the cookie that says this browser gave link id's password.
func shareCookie(id int64) string { return "pantau_share_" + strconv.FormatInt(id, 10) }

// shareProof is the cookie's value: bound to the link's token by the
// server's key, so it opens that link only, and only for this server run.
func shareProof(key []byte, token string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("share\x00" + token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// tokenID names a link's token in logs: the start of its SHA-256.
func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])[:12]
}

// redactShare writes a /s/<token>/... path with the token replaced by its
// tokenID, for the request log.
func redactShare(path string) string {
	rest, ok := strings.CutPrefix(path, "/s/")
	if !ok {
		return path
	}
	token, tail, _ := strings.Cut(rest, "/")
	if tail != "" {
		tail = "/" + tail
	}
	return "/s/~" + tokenID(token) + tail
}

// shareLink resolves /s/<token>: an unknown, revoked or expired link is a
// 404; a link with a password answers its password form until this
// browser gave it (POST /s/<token>, limited like logins).
func shareLink(db *queries.DB, pages *pageTemplates, key []byte, limiter *logins.Limiter, now func() time.Time) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token := c.Param("token")
			l, err := db.OpenShareLink(c.Request().Context(), token, now())
			if err != nil {
				return err
			}
			c.Set(shareKey, &l)
			if !l.HasPassword {
				return next(c)
			}
			proof := shareProof(key, token)
			if ck, err := c.Cookie(shareCookie(l.ID)); err == nil && subtle.ConstantTimeCompare([]byte(ck.Value), []byte(proof)) == 1 {
				return next(c)
			}
			page := &sharePasswordPage{pageBase: newPageBase(c, "share"), Action: "/s/" + token}
			if c.Request().Method != http.MethodPost || c.Path() != "/s/:token" {
				return pages.render(c, http.StatusUnauthorized, "sharepassword", page)
			}
			name, ip := "share:"+strconv.FormatInt(l.ID, 10), c.RealIP()
			if wait := limiter.Wait(name, ip); wait > 0 {
				page.Error = page.L.T("login.limited", retryAfter(c, wait))
				return pages.render(c, http.StatusTooManyRequests, "sharepassword", page)
			}
			if !l.PasswordOK(c.FormValue("password")) {
				limiter.Failed(name, ip)
				audit(c, "share_password_wrong", "link "+strconv.FormatInt(l.ID, 10))
				page.Error = page.L.T("share.password_wrong")
				return pages.render(c, http.StatusUnauthorized, "sharepassword", page)
			}
			limiter.Succeeded(name, ip)
			setCookie(c, &http.Cookie{Name: shareCookie(l.ID), Value: proof, Expires: l.Expires})
			return c.Redirect(http.StatusSeeOther, "/s/"+token)
		}
	}
}

type sharePasswordPage struct {
	pageBase
	Action, Error string
}

// handleSharedPage answers GET /s/<token>: the link's page with its filter,
// read-only: no navigation, and a form that can only narrow the period.
func handleSharedPage(pages *pageTemplates, fig *figures, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		l := sharedLink(c)
		i := slices.IndexFunc(sections, func(s section) bool { return s.Path == l.Page })
		if i < 0 {
			return failure(queries.ENOTFOUND, "share.gone")
		}
		f, err := filterFrom(c)
		if err != nil {
			return err
		}
		var page *dashboardPage
		err = fig.consistently(func() (err error) {
			page, err = dashboardPageFor(c, fig, sections[i], f, "", "", today(now()))
			return err
		})
		if err != nil {
			return err
		}
		base := "/s/" + c.Param("token")
		period := url.Values{}
		for _, k := range []string{"from", "to"} {
			if v := c.QueryParam(k); v != "" {
				period.Set(k, v)
			}
		}
		for j := range page.Charts {
			id := page.Charts[j].ID
			page.Charts[j].DataURL = withQuery(base+"/charts/"+id, period.Encode())
			page.Charts[j].CSVURL = withQuery(base+"/charts/"+id+"/csv", period.Encode())
		}
		page.ExportURL = withQuery(base+"/summary.xlsx", period.Encode())
		page.Shared = &sharedView{Base: base, Label: l.Label, By: l.CreatedBy, Expires: l.Expires}
		if err := fig.db.CountShareView(c.Request().Context(), l.ID); err != nil {
			return err
		}
		audit(c, "share_opened", "link "+strconv.FormatInt(l.ID, 10)+" "+l.Page)
		return pages.render(c, http.StatusOK, "dashboard", page)
	}
}

// sharedView is what a page shown through a link says about it.
type sharedView struct {
	Base, Label, By string
	Expires         time.Time
}

// Shareable reports whether a link can show the page at path: the four
// dashboards.
func Shareable(path string) bool {
	return slices.ContainsFunc(sections, func(s section) bool { return s.Path == path })
}

type sharesPage struct {
	pageBase
	Links   []queries.ShareLink
	New     string // the link just made, shown once
	Form    shareForm
	Error   string
	Default int
	Max     int
}

type shareForm struct{ Page, Query, Label string }

func newSharesPage(c echo.Context, db *queries.DB) (*sharesPage, error) {
	u := currentUser(c)
	by := u.Username
	if u.Role == queries.Admin {
		by = ""
	}
	links, err := db.ShareLinks(c.Request().Context(), by)
	return &sharesPage{pageBase: newPageBase(c, "shares"), Links: links, Default: queries.ShareDefaultDays, Max: queries.ShareMaxDays,
		Form: shareForm{Page: c.QueryParam("page"), Query: c.QueryParam("query")}}, err
}

// handleShares answers GET /shares: the user's links (an admin's: every
// link) with their views and a revoke button, and, when a dashboard page
// sent the user here with its page and filter, the form to share it.
func handleShares(pages *pageTemplates, db *queries.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := newSharesPage(c, db)
		if err != nil {
			return err
		}
		return pages.render(c, http.StatusOK, "shares", p)
	}
}

// handleShareCreate answers POST /shares: a link to the page with its
// filter, which the maker's scope bounds (a region outside it is a 403),
// shown once.
func handleShareCreate(pages *pageTemplates, db *queries.DB, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		form := shareForm{Page: c.FormValue("page"), Query: c.FormValue("query"), Label: strings.TrimSpace(c.FormValue("label"))}
		if !Shareable(form.Page) {
			return failure(queries.EINVALID, "share.bad_page", form.Page)
		}
		q, err := url.ParseQuery(form.Query)
		if err != nil {
			return failure(queries.EINVALID, "share.bad_page", form.Query)
		}
		f, err := ingest.ParseFilter(q["region"], q.Get("gender"), q.Get("work_type"), q.Get("from"), q.Get("to"))
		if err != nil {
			why, _ := queries.MessageOf(err)
			return queries.Fail(queries.EINVALID, why)
		}
		if f, err = scoped(c, f); err != nil {
			return err
		}
		days, err := strconv.Atoi(cmp.Or(c.FormValue("days"), strconv.Itoa(queries.ShareDefaultDays)))
		if err != nil {
			days = 0 // refused below with the limits
		}
		link := queries.ShareLink{CreatedBy: u.Username, Label: form.Label, Page: form.Page, Query: filterQuery(f).Encode(), Regions: u.Regions}
		token, id, err := db.CreateShareLink(c.Request().Context(), link, days, c.FormValue("password"), now())
		p, perr := newSharesPage(c, db)
		if perr != nil {
			return perr
		}
		if m, ok := queries.MessageOf(err); ok {
			p.Form, p.Error = form, m.In(p.L.Lang)
			return pages.render(c, http.StatusBadRequest, "shares", p)
		} else if err != nil {
			return err
		}
		audit(c, "share_created", "link "+strconv.FormatInt(id, 10)+" "+form.Page+"?"+link.Query)
		p.New = "/s/" + token
		return pages.render(c, http.StatusOK, "shares", p)
	}
}

// handleShareRevoke answers POST /shares/{id}/revoke: the link ends at once.
func handleShareRevoke(db *queries.DB, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			return failure(queries.ENOTFOUND, "share.gone")
		}
		if err := db.RevokeShareLink(c.Request().Context(), id, u.Username, u.Role == queries.Admin, now()); err != nil {
			return err
		}
		audit(c, "share_revoked", "link "+strconv.FormatInt(id, 10))
		return c.Redirect(http.StatusSeeOther, "/shares")
	}
}

// FilterQuery is f as the query string of a page's canonical URL.
func FilterQuery(f queries.Filter) string { return filterQuery(f).Encode() }
