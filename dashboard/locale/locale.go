// Package locale is pantau's two languages: one catalog per language of
// every string a person reads, and the language's number and date formats.
// The dashboard, the summary workbook and the command line translate with
// it at the edge.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"pantau/queries"
)

// A test checks both catalogs have the same keys and that every key used
// exists.
//
//go:embed id.json en.json
var catalogs embed.FS

// Locale is one language: its catalog and its number and date formats.
type Locale struct {
	Lang    string // "id" or "en"
	msgs    map[string]string
	printer *message.Printer
}

// Languages pantau speaks; the first is the default.
var Languages = []string{"id", "en"}

var locales = load()

func load() map[string]*Locale {
	tags := map[string]language.Tag{"id": language.Indonesian, "en": language.English}
	m := map[string]*Locale{}
	for _, lang := range Languages {
		body, err := catalogs.ReadFile(lang + ".json")
		if err != nil {
			panic(err)
		}
		l := &Locale{Lang: lang, printer: message.NewPrinter(tags[lang])}
		if err := json.Unmarshal(body, &l.msgs); err != nil {
			panic(fmt.Sprintf("locale/%s.json: %v", lang, err))
		}
		m[lang] = l
	}
	return m
}

// Get is the language lang ("id" or "en").
func Get(lang string) (*Locale, bool) {
	l, ok := locales[lang]
	return l, ok
}

// Default is Bahasa Indonesia.
func Default() *Locale { return locales[Languages[0]] }

// Has reports whether the catalog has key.
func (l *Locale) Has(key string) bool {
	_, ok := l.msgs[key]
	return ok
}

// Keys are the catalog's keys, sorted.
func (l *Locale) Keys() []string {
	keys := make([]string, 0, len(l.msgs))
	for k := range l.msgs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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

// Msg is the message key, with args, in both languages: how the dashboard
// words an error that is translated later, at the edge.
func Msg(key string, args ...any) queries.Message {
	return queries.Message{ID: locales["id"].T(key, args...), EN: locales["en"].T(key, args...)}
}

// Wrap is the message key around m: key's text in each language with m in
// that language as its one argument ("Tidak disimpan: %s").
func Wrap(key string, m queries.Message) queries.Message {
	return queries.Message{ID: locales["id"].T(key, m.ID), EN: locales["en"].T(key, m.EN)}
}
