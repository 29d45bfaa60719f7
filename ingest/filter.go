package ingest

import (
	"errors"
	"fmt"

	"pantau/queries"
)

// ParseFilter reads a dashboard filter as a person writes it (any spelling
// the workbooks accept), for the CLI flags and the dashboard's query string.
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
				return f, fmt.Errorf("region %q %s", text, reasonEN(err))
			}
		}
		f.Regions = append(f.Regions, r)
	}
	var err error
	if gender = cleanText(gender); gender != "" {
		if f.Gender, err = parseGender(gender); err != nil {
			return f, fmt.Errorf("gender %q %s", gender, reasonEN(err))
		}
	}
	if workType = cleanText(workType); workType != "" {
		if f.WorkType, err = parseWorkType(workType); err != nil {
			return f, fmt.Errorf("work type %q %s", workType, reasonEN(err))
		}
	}
	if from = cleanText(from); from != "" {
		if f.From, err = parseDate(from, false); err != nil {
			return f, fmt.Errorf("from %q %s", from, reasonEN(err))
		}
	}
	if to = cleanText(to); to != "" {
		if f.To, err = parseDate(to, false); err != nil {
			return f, fmt.Errorf("to %q %s", to, reasonEN(err))
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, fmt.Errorf("the period ends (%s) before it starts (%s)", f.To.Format("2006-01-02"), f.From.Format("2006-01-02"))
	}
	return f, nil
}

func reasonEN(err error) string {
	var r *Reason
	if errors.As(err, &r) {
		return r.EN
	}
	return err.Error()
}
