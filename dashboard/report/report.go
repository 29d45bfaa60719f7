// Package report makes the figures people read as tables: the section
// tables that both the dashboard's charts and the summary workbook are
// drawn from, and the summary workbook itself. Labels come from the locale
// catalogs; nothing here knows about HTTP.
package report

import (
	"strconv"
	"strings"

	"pantau/dashboard/locale"
	"pantau/queries"
)

// Table is one figure's data: a header and rows of cells, each a string
// (text from the data), an int, a Share or a Rupiah amount.
type Table struct {
	Columns []string
	Rows    [][]any
}

// FirstColumns is t with only its first n columns.
func (t Table) FirstColumns(n int) Table {
	cut := Table{Columns: t.Columns[:n]}
	for _, row := range t.Rows {
		cut.Rows = append(cut.Rows, row[:n])
	}
	return cut
}

// Share is a proportion 0..1; P is nil when there is nothing to divide by.
type Share struct{ P *float64 }

// Rupiah is an amount of money.
type Rupiah int64

// GenderColumns name the three gender columns: female, male, not stated.
func GenderColumns(l *locale.Locale) []string {
	return []string{l.T("gender.P"), l.T("gender.L"), l.T("gender.unknown")}
}

// RegionName is a region as tables show it; people without one are named so.
func RegionName(l *locale.Locale, r string) string {
	if r == "" {
		return l.T("value.no_region")
	}
	return r
}

// ProblemLabels are the nine problems' short names, in code order a..i.
func ProblemLabels(l *locale.Locale) []string {
	labels := make([]string, len(queries.ProblemCodes))
	for i, code := range queries.ProblemCodes {
		labels[i] = l.T("problem." + code)
	}
	return labels
}

// StageName is an organizing stage with its number: "4. Pembentukan Kelompok".
func StageName(l *locale.Locale, stage int) string {
	return l.T("stage.n", stage, l.T("stage."+strconv.Itoa(stage)))
}

// FilterPart is one part of a filter, for saying which parts a figure
// cannot be filtered by: people (participants) have no work type and no
// survey date; organizing groups have no gender and no work type.
type FilterPart string

const (
	partGender   FilterPart = "gender"
	partWorkType FilterPart = "work_type"
	partPeriod   FilterPart = "period"
)

var (
	NotForPeople = []FilterPart{partWorkType, partPeriod}
	NotForGroups = []FilterPart{partGender, partWorkType}
	// Targets are set per region and period only.
	NotForTargets = []FilterPart{partGender, partWorkType}
)

// NotApplied names, in l's language, the parts of f that are set but that
// a figure ignoring ignores cannot apply ("" when none).
func NotApplied(f queries.Filter, ignores []FilterPart, l *locale.Locale) string {
	var names []string
	for _, p := range ignores {
		set := p == partGender && f.Gender != "" || p == partWorkType && f.WorkType != "" ||
			p == partPeriod && (!f.From.IsZero() || !f.To.IsZero())
		if set {
			names = append(names, l.T("filter.part."+string(p)))
		}
	}
	return strings.Join(names, l.T("filter.and"))
}
