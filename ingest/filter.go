package ingest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"pantau/queries"
)

// ParseFilter reads a dashboard filter as a person writes it (any spelling
// the workbooks accept), for the CLI flags and the dashboard's query string.
// A refused part is a *message naming it, in both languages.
func ParseFilter(regions []string, gender, workType, from, to string) (queries.Filter, error) {
	var f queries.Filter
	known := NewRegions()
	for _, raw := range regions {
		text := cleanText(raw)
		if text == "" {
			continue
		}
		r, err := known.Normalize(text)
		if err != nil {
			// A region added through a Wilayah sheet is not built in; its
			// canonical spelling is enough to filter by.
			var ok bool
			if r, ok = canonicalRegion(text); !ok {
				return f, filterProblem(queries.Message{ID: "wilayah", EN: "region"}, text, err)
			}
		}
		f.Regions = append(f.Regions, r)
	}
	var err error
	if gender = cleanText(gender); gender != "" {
		if f.Gender, err = parseGender(gender); err != nil {
			return f, filterProblem(queries.Message{ID: "jenis kelamin", EN: "gender"}, gender, err)
		}
	}
	if workType = cleanText(workType); workType != "" {
		if f.WorkType, err = parseWorkType(workType); err != nil {
			return f, filterProblem(queries.Message{ID: "jenis pekerjaan", EN: "work type"}, workType, err)
		}
	}
	if from = cleanText(from); from != "" {
		if f.From, err = parseDate(from, false); err != nil {
			return f, filterProblem(queries.Message{ID: "dari", EN: "from"}, from, err)
		}
	}
	if to = cleanText(to); to != "" {
		if f.To, err = parseDate(to, false); err != nil {
			return f, filterProblem(queries.Message{ID: "sampai", EN: "to"}, to, err)
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		to, from := f.To.Format("2006-01-02"), f.From.Format("2006-01-02")
		return f, &queries.Message{ID: fmt.Sprintf("periode berakhir (%s) sebelum dimulai (%s)", to, from),
			EN: fmt.Sprintf("the period ends (%s) before it starts (%s)", to, from)}
	}
	// Sorted and deduplicated: one filter, one cache key, one URL, one output.
	slices.Sort(f.Regions)
	f.Regions = slices.Compact(f.Regions)
	return f, nil
}

// filterProblem names the part of a filter that was refused, and why.
func filterProblem(part queries.Message, value string, err error) error {
	why := reasonOf(err)
	return &queries.Message{ID: fmt.Sprintf("%s %q %s", part.ID, value, why.ID), EN: fmt.Sprintf("%s %q %s", part.EN, value, why.EN)}
}

// ParseAsOf reads the as-of date of the targets (any date form the
// workbooks accept); blank is today, the calendar date of now.
func ParseAsOf(raw string, now time.Time) (time.Time, error) {
	if raw = cleanText(raw); raw == "" {
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	d, err := parseDate(raw, false)
	if err != nil {
		return d, filterProblem(queries.Message{ID: "tanggal acuan (as_of)", EN: "as-of date (as_of)"}, raw, err)
	}
	return d, nil
}

// ParseScope reads a comma-separated list of regions a user is limited to,
// each written any way the workbooks accept, as their canonical names. A
// region must be one of the catalogue's (bare names resolve within the
// program's provinces first) or one a Wilayah sheet added.
func ParseScope(ctx context.Context, db *queries.DB, list string) (queries.Scope, error) {
	f := &fileCheck{names: map[string]bool{}}
	if err := f.loadReference(ctx, db); err != nil {
		return nil, err
	}
	var scope queries.Scope
	for _, raw := range strings.Split(list, ",") {
		text := cleanText(raw)
		if text == "" {
			continue
		}
		r, err := f.regions.Normalize(text)
		if err != nil {
			return nil, filterProblem(queries.Message{ID: "wilayah", EN: "region"}, text, err)
		}
		scope = append(scope, r)
	}
	if len(scope) == 0 {
		return nil, queries.Errorf(queries.EINVALID, "tidak ada wilayah disebut", "no region given")
	}
	slices.Sort(scope)
	return slices.Compact(scope), nil
}
