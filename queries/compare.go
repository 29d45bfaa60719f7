package queries

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Comparison modes (WORKBOOKS.md, "Comparing periods").
const (
	// ComparePrevious is the same number of days ending the day before From.
	ComparePrevious = "previous"
	// CompareYear is From and To a year earlier (29 February becomes 28 February).
	CompareYear = "year"
)

// ParseCompare reads a comparison mode as the command line and the query
// string write it: previous, year, or none / blank for no comparison ("").
func ParseCompare(s string) (string, error) {
	switch mode := strings.ToLower(strings.TrimSpace(s)); mode {
	case ComparePrevious, CompareYear:
		return mode, nil
	case "", "none":
		return "", nil
	}
	return "", Errorf(EINVALID, "perbandingan %q: harus previous, year atau none", "comparison %q: must be previous, year or none", s)
}

// EarlierFilter is f with its period moved back as mode says; every other
// part stays. A comparison needs both ends of the period: without them it
// is an EINVALID error, as is an unknown mode.
func EarlierFilter(f Filter, mode string) (Filter, error) {
	if f.From.IsZero() || f.To.IsZero() {
		return f, Errorf(EINVALID, "perbandingan perlu periode lengkap: tanggal dari dan sampai",
			"a comparison needs a whole period: both from and to")
	}
	from, to := calendarDay(f.From), calendarDay(f.To)
	e := f
	e.Regions = append([]string{}, f.Regions...)
	switch mode {
	case ComparePrevious:
		days := int(to.Sub(from).Hours()/24) + 1
		e.To = from.AddDate(0, 0, -1)
		e.From = from.AddDate(0, 0, -days)
	case CompareYear:
		e.From, e.To = yearEarlier(from), yearEarlier(to)
	default:
		return f, Errorf(EINVALID, "perbandingan %q: harus previous atau year", "comparison %q: must be previous or year", mode)
	}
	return e, nil
}

// EarlierAsOf is the date at which the targets of an earlier period
// (EarlierFilter's) are judged when a period judged at asOf is compared
// with it: the earlier period's last day, or asOf if that comes first. So
// the earlier figure says what stood when that period ended, not what its
// targets look like today.
func EarlierAsOf(earlier Filter, asOf time.Time) time.Time {
	asOf = calendarDay(asOf)
	if end := calendarDay(earlier.To); !earlier.To.IsZero() && end.Before(asOf) {
		return end
	}
	return asOf
}

// calendarDay is t's date at midnight UTC, so that day arithmetic never
// meets a daylight-saving change.
func calendarDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// yearEarlier is d a year before; 29 February becomes 28 February (Go's
// AddDate would make it 1 March).
func yearEarlier(d time.Time) time.Time {
	if d.Month() == time.February && d.Day() == 29 {
		return time.Date(d.Year()-1, time.February, 28, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(d.Year()-1, d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// Comparison is the summary of the earlier period a summary is compared
// with: `"compare":{"mode","filter","summary"}`. Its summary equals a plain
// Summary of its filter.
type Comparison struct {
	Mode    string   `json:"mode"`
	Filter  Filter   `json:"filter"`
	Summary *Summary `json:"summary"`
}

// SummaryCompared is Summary for f with, when mode is not "", the summary
// of the earlier period (EarlierFilter) in Compare; both are read from one
// snapshot of the data.
func (db *DB) SummaryCompared(ctx context.Context, f Filter, mode string) (*Summary, error) {
	if mode == "" {
		return db.Summary(ctx, f)
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	earlier, err := EarlierFilter(f, mode)
	if err != nil {
		return nil, err
	}
	tx, err := db.sql.BeginTx(ctx, nil) // one snapshot, only read, rolled back
	if err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	defer tx.Rollback()
	s, err := summary(ctx, tx, f)
	if err != nil {
		return nil, err
	}
	es, err := summary(ctx, tx, earlier)
	if err != nil {
		return nil, err
	}
	s.Compare = &Comparison{Mode: mode, Filter: es.Filter, Summary: es}
	return s, nil
}

// MonthTotal is a number of respondents surveyed in one calendar month.
type MonthTotal struct {
	Month       string `json:"month"` // "2014-09"
	Respondents int    `json:"respondents"`
}

// RespondentsByMonth counts the respondents RespondentCounts counts for f
// (every part of f applies) per survey month: every month from the first
// to the last with a respondent, in order, months without one as 0. No
// respondent gives an empty list.
func (db *DB) RespondentsByMonth(ctx context.Context, f Filter) ([]MonthTotal, error) {
	rf, err := db.RespondentFigures(ctx, f)
	if err != nil {
		return nil, err
	}
	return rf.ByMonth(), nil
}

// MonthsBetween lists the calendar months "YYYY-MM" from first to last,
// both included (none when last is before first or either is malformed).
func MonthsBetween(first, last string) []string {
	const layout = "2006-01"
	start, err := time.Parse(layout, first)
	if err != nil {
		return nil
	}
	var list []string
	for m := start; m.Format(layout) <= last && len(list) < 1200; m = m.AddDate(0, 1, 0) {
		list = append(list, m.Format(layout))
	}
	return list
}
