package echarts

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/queries"
)

// TargetStatuses are the statuses in the order the charts' legends and the
// pages list them.
var TargetStatuses = []string{queries.StatusMet, queries.StatusOnTrack, queries.StatusNear,
	queries.StatusBehind, queries.StatusNotStarted, queries.StatusNoData}

// StatusColors are the bars' colours per status; a status is never told by
// colour alone (the legend and the tables name it).
var StatusColors = map[string]string{
	queries.StatusMet: "#1a7f37", queries.StatusOnTrack: "#2f7fc1", queries.StatusNear: "#c28a00",
	queries.StatusBehind: "#c0392b", queries.StatusNotStarted: "#8c959f", queries.StatusNoData: "#8c959f",
}

// StatusIcons are the symbols beside a status word in the tables.
var StatusIcons = map[string]string{
	queries.StatusMet: "✓", queries.StatusOnTrack: "↗", queries.StatusNear: "◐",
	queries.StatusBehind: "✗", queries.StatusNotStarted: "○", queries.StatusNoData: "–",
}

// TargetChartID is the chart id of an indicator's targets.
func TargetChartID(code string) string { return "targets-" + code }

// TargetCharts draws what queries.DB.Targets returns: one chart per
// indicator that has targets, in the catalogue's order.
func TargetCharts(l *locale.Locale, r *queries.TargetReport) ([]*Chart, error) {
	var out []*Chart
	for start := 0; start < len(r.Targets); {
		end := start
		for end < len(r.Targets) && r.Targets[end].Indicator == r.Targets[start].Indicator {
			end++
		}
		ch, err := targetChart(l, r.AsOf, r.Targets[start:end])
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
		start = end
	}
	return out, nil
}

// chartPeriod picks the period an indicator's chart shows: the latest one
// begun by the as-of date, or, when none has begun, the first.
func chartPeriod(asOf string, ts []queries.TargetResult) string {
	pick := ts[0]
	for _, t := range ts {
		begun, pickBegun := t.Start <= asOf, pick.Start <= asOf
		if begun && (!pickBegun || t.Start > pick.Start) || !begun && !pickBegun && t.Start < pick.Start {
			pick = t
		}
	}
	return pick.Period
}

// TargetValue is a target figure as the charts draw it: a share as a
// percentage with one decimal, a count with one decimal; nil is "-".
func TargetValue(kind queries.IndicatorKind, v *float64) any {
	if v == nil {
		return "-"
	}
	if kind == queries.ShareKind {
		return percent(v)
	}
	return math.Round(10**v) / 10
}

// targetChart draws one indicator's targets of one period, a bar per region
// (program-wide first): the actual coloured by status, a marker at the
// target and, for a period in progress, one at what should stand by now.
func targetChart(l *locale.Locale, asOf string, all []queries.TargetResult) (*Chart, error) {
	in, _ := queries.IndicatorByCode(all[0].Indicator)
	period := chartPeriod(asOf, all)
	var ts []queries.TargetResult
	for _, t := range all {
		if t.Period == period {
			ts = append(ts, t)
		}
	}
	title := l.T("targets.chart_title", in.Name.In(l.Lang), period)
	unit := l.T("targets.axis_count")
	if in.Kind == queries.ShareKind {
		unit = l.T("targets.axis_share")
	}
	categories := make([]string, len(ts))
	table := report.Table{Columns: []string{l.T("col.region"), l.T("targets.col_target"), l.T("targets.col_actual"),
		l.T("targets.col_expected"), l.T("targets.col_status")}}
	for i, t := range ts {
		categories[i] = TargetRegion(l, t.Region)
		target := t.Target
		table.Rows = append(table.Rows, []any{categories[i], cellOf(in.Kind, &target), cellOf(in.Kind, t.Actual),
			cellOf(in.Kind, t.Expected), l.T("status." + t.Status)})
	}
	id := TargetChartID(in.Code)
	bar := horizontalBar(id, title, l, l.T("col.region"), categories, unit)
	for _, s := range TargetStatuses {
		data, has := make([]opts.BarData, len(ts)), false
		for i, t := range ts {
			data[i] = opts.BarData{Value: "-"}
			if t.Status == s && t.Actual != nil {
				data[i], has = opts.BarData{Value: TargetValue(in.Kind, t.Actual)}, true
			}
		}
		if has {
			bar.AddSeries(l.T("status."+s), data, stacked("actual"),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: StatusColors[s]}))
		}
	}
	var targets, expected []opts.ScatterData
	for i, t := range ts {
		target := t.Target
		targets = append(targets, opts.ScatterData{Value: []any{TargetValue(in.Kind, &target), categories[i]}})
		if t.Start <= asOf && t.End > asOf && t.Expected != nil {
			expected = append(expected, opts.ScatterData{Value: []any{TargetValue(in.Kind, t.Expected), categories[i]}})
		}
	}
	marks := charts.NewScatter()
	marks.AddSeries(l.T("targets.series_target"), targets, charts.WithScatterChartOpts(opts.ScatterChart{Symbol: "rect", SymbolSize: []int{4, 22}}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#24292f"}))
	if len(expected) > 0 {
		marks.AddSeries(l.T("targets.series_expected"), expected, charts.WithScatterChartOpts(opts.ScatterChart{Symbol: "diamond", SymbolSize: 12}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "#8250df"}))
	}
	bar.Overlap(marks)
	return finish(id, title, bar, table, false)
}

// TargetRegion is a target's region as the pages write it.
func TargetRegion(l *locale.Locale, region *string) string {
	if region == nil {
		return l.T("targets.program")
	}
	return *region
}

// cellOf is a target figure as a table cell: a share, a count, or "–".
func cellOf(kind queries.IndicatorKind, v *float64) any {
	if kind == queries.ShareKind {
		return report.Share{P: v}
	}
	if v == nil {
		return "–"
	}
	return math.Round(10**v) / 10
}
