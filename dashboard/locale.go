package dashboard

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Every string a page shows comes from one catalog per language; a test
// checks both catalogs have the same keys and that every key used exists.
//
//go:embed locales/*.json
var localeFiles embed.FS

// Locale is one language: its catalog and its number and date formats.
type Locale struct {
	Lang    string // "id" or "en"
	msgs    map[string]string
	printer *message.Printer
}

// Languages pantau speaks; the first is the default.
var Languages = []string{"id", "en"}

var locales = loadLocales()

func loadLocales() map[string]*Locale {
	tags := map[string]language.Tag{"id": language.Indonesian, "en": language.English}
	m := map[string]*Locale{}
	for _, lang := range Languages {
		body, err := localeFiles.ReadFile("locales/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		l := &Locale{Lang: lang, printer: message.NewPrinter(tags[lang])}
		if err := json.Unmarshal(body, &l.msgs); err != nil {
			panic(fmt.Sprintf("locales/%s.json: %v", lang, err))
		}
		m[lang] = l
	}
	return m
}

// T returns the message for key, formatted with args when given. A missing
// key shows as itself in brackets, so that it is visible and a test finds it.
func (l *Locale) T(key string, args ...any) string {
	msg, ok := l.msgs[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Num formats a count or an amount the way the language writes it
// (id: 1.234 and 1.234,5).
func (l *Locale) Num(v any) string {
	switch n := v.(type) {
	case float64:
		return l.printer.Sprintf("%.1f", n)
	case int64:
		return l.printer.Sprintf("%d", n)
	case int:
		return l.printer.Sprintf("%d", n)
	}
	return fmt.Sprint(v)
}

// Pct formats a share (0..1) as a percentage with one decimal; nil is "–".
func (l *Locale) Pct(share *float64) string {
	if share == nil {
		return "–"
	}
	return l.printer.Sprintf("%.1f%%", 100**share)
}

// Date writes a date the language's long way: 11 September 2014.
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d %s %d", t.Day(), l.T(fmt.Sprintf("month.%d", t.Month())), t.Year())
}

// Time writes a time of day, "14:05", in the server's time zone.
func (l *Locale) Time(t time.Time) string { return t.Local().Format("15:04") }

// Month writes a "2014-09" month as "September 2014".
func (l *Locale) Month(ym string) string {
	t, err := time.Parse("2006-01", ym)
	if err != nil {
		return ym
	}
	return fmt.Sprintf("%s %d", l.T(fmt.Sprintf("month.%d", t.Month())), t.Year())
}

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
func localeFor(c echo.Context) *Locale {
	if l, ok := c.Get(localeKey).(*Locale); ok {
		return l
	}
	return locales[Languages[0]]
}

// pickLocale chooses the language: ?lang= (remembered in a cookie), else
// the cookie, else Bahasa Indonesia.
func pickLocale(c echo.Context) *Locale {
	if lang := c.QueryParam("lang"); lang != "" {
		if l, ok := locales[lang]; ok {
			setCookie(c, &http.Cookie{Name: langCookie, Value: lang, MaxAge: 365 * 24 * 3600})
			return l
		}
	}
	if ck, err := c.Cookie(langCookie); err == nil {
		if l, ok := locales[strings.TrimSpace(ck.Value)]; ok {
			return l
		}
	}
	return locales[Languages[0]]
}
