package dashboard

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/locale"
)

const langCookie = "lang"

const localeKey = "locale"

// withLocale picks the request's language once (see pickLocale).
func withLocale(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(localeKey, pickLocale(c))
		return next(c)
	}
}

// localeFor is the request's language.
func localeFor(c echo.Context) *locale.Locale {
	if l, ok := c.Get(localeKey).(*locale.Locale); ok {
		return l
	}
	return locale.Default()
}

// pickLocale chooses the language: ?lang= (remembered in a cookie), else
// the cookie, else Bahasa Indonesia.
func pickLocale(c echo.Context) *locale.Locale {
	if lang := c.QueryParam("lang"); lang != "" {
		if l, ok := locale.Get(lang); ok {
			setCookie(c, &http.Cookie{Name: langCookie, Value: lang, MaxAge: 365 * 24 * 3600})
			return l
		}
	}
	if ck, err := c.Cookie(langCookie); err == nil {
		if l, ok := locale.Get(strings.TrimSpace(ck.Value)); ok {
			return l
		}
	}
	return locale.Default()
}
