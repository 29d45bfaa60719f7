package echarts

import (
	"math"
	"strings"

	"pantau/dashboard/locale"
	"pantau/queries"
)

// TargetGroup is one indicator's targets as the targets page's table shows
// them: under the indicator's name with its statuses counted, each
// region's periods together.
type TargetGroup struct {
	Code, Indicator string
	Counts          string // "3 tercapai · 1 hampir · 2 tertinggal"
	Open            bool   // few enough rows to show at once
	Rows            []TargetLine
}

// TargetLine is one target in a TargetGroup. RegionRows is how many rows
// the region's name spans: set on a region's first row, 0 on the others.
type TargetLine struct {
	Region                                      string
	RegionRows                                  int
	Period                                      string
	Target, Actual, Expected, Achievement, Word string
	Status, Icon                                string
}

// openGroupRows is the most targets an indicator's group shows without
// being opened: the sample's 45 per indicator would bury the others.
const openGroupRows = 10

// TargetTable groups r's targets (sorted by indicator, region and period,
// as queries.DB.Targets returns them) by indicator, in l's language.
func TargetTable(l *locale.Locale, r *queries.TargetReport) []TargetGroup {
	var groups []TargetGroup
	counts := map[string]int{}
	finish := func() {
		g := &groups[len(groups)-1]
		var parts []string
		for _, s := range TargetStatuses {
			if counts[s] > 0 {
				parts = append(parts, l.Num(counts[s])+" "+l.T("status."+s))
			}
		}
		g.Counts = strings.Join(parts, " · ")
		g.Open = len(g.Rows) <= openGroupRows
		clear(counts)
	}
	regionStart := 0
	for i, t := range r.Targets {
		in, _ := queries.IndicatorByCode(t.Indicator)
		if i == 0 || t.Indicator != r.Targets[i-1].Indicator {
			if len(groups) > 0 {
				finish()
			}
			groups = append(groups, TargetGroup{Code: in.Code, Indicator: in.Name.In(l.Lang)})
		}
		g := &groups[len(groups)-1]
		counts[t.Status]++
		num := func(v *float64) string {
			if v == nil {
				return "–"
			}
			if in.Kind == queries.ShareKind {
				return l.Pct(v)
			}
			if *v == math.Trunc(*v) {
				return l.Num(int64(*v)) // a count: 50, not 50,0
			}
			return l.Num(*v)
		}
		target := t.Target
		line := TargetLine{Region: TargetRegion(l, t.Region), Period: t.Period,
			Target: num(&target), Actual: num(t.Actual), Expected: num(t.Expected), Achievement: l.Pct(t.Achievement),
			Word: l.T("status." + t.Status), Status: t.Status, Icon: StatusIcons[t.Status]}
		if len(g.Rows) == 0 || g.Rows[regionStart].Region != line.Region {
			regionStart = len(g.Rows)
		}
		g.Rows = append(g.Rows, line)
		g.Rows[regionStart].RegionRows++
	}
	if len(groups) > 0 {
		finish()
	}
	return groups
}
