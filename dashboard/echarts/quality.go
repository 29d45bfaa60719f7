package echarts

import (
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/queries"
)

// QualityCharts draws the quality report's completeness and timeliness:
// respondents per region and month, per facilitator and month (gaps
// marked), and late rows per region.
func QualityCharts(l *locale.Locale, r *queries.QualityReport) ([]*Chart, error) {
	var list []*Chart
	for _, draw := range []func(*locale.Locale, *queries.QualityReport) (*Chart, error){regionMonths, facilitatorMonths, lateRows} {
		ch, err := draw(l, r)
		if err != nil {
			return nil, err
		}
		list = append(list, ch)
	}
	return list, nil
}

func monthGrid(id, title string, l *locale.Locale, months, rows []string, rowName string) *charts.HeatMap {
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(common(id, title, l, "item")...)
	hm.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: months, Name: l.T("col.month"), NameLocation: "middle", NameGap: 60,
			AxisLabel: &opts.AxisLabel{Rotate: 30}}),
		charts.WithYAxisOpts(categoryYAxis(rowName, rows)),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "40", Top: "118", Bottom: "70", ContainLabel: opts.Bool(true)}),
	)
	return hm
}

// regionMonths is a heatmap of respondents per region and survey month.
func regionMonths(l *locale.Locale, r *queries.QualityReport) (*Chart, error) {
	const id = "quality-regions"
	c := r.Completeness
	t := report.Table{Columns: append([]string{l.T("col.region")}, c.Months...)}
	var regions []string
	var data []opts.HeatMapData
	most := 1
	for y, reg := range c.Regions {
		regions = append(regions, reg.Region)
		row := []any{reg.Region}
		for x, n := range reg.Counts {
			data = append(data, opts.HeatMapData{Value: [3]any{x, y, n}})
			row = append(row, n)
			most = max(most, n)
		}
		t.Rows = append(t.Rows, row)
	}
	title := l.T("chart." + id)
	hm := monthGrid(id, title, l, c.Months, regions, l.T("col.region"))
	hm.SetGlobalOptions(charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: float32(most), Orient: "horizontal",
		Left: "center", Top: "28", InRange: &opts.VisualMapInRange{Color: []string{"#f7fbff", "#6baed6", "#08306b"}}}))
	hm.AddSeries(l.T("col.respondents"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(len(regions) <= 12 && len(c.Months) <= 18)}))
	return finish(id, title, hm, t, len(c.Regions) == 0)
}

// facilitatorMonths marks, per facilitator, the months with respondents
// (their count as the label) and the gaps: months with none between the
// facilitator's first and last, in another colour and with a cross.
func facilitatorMonths(l *locale.Locale, r *queries.QualityReport) (*Chart, error) {
	const id = "quality-facilitators"
	c := r.Completeness
	t := report.Table{Columns: append(append([]string{l.T("col.facilitator"), l.T("col.region")}, c.Months...), l.T("col.gaps"))}
	var people []string
	var surveyed, gaps []opts.HeatMapData
	for y, p := range c.Facilitators {
		people = append(people, p.Name+" ("+p.Region+")")
		row := []any{p.Name, p.Region}
		first := slices.IndexFunc(p.Counts, func(n int) bool { return n > 0 })
		last := len(p.Counts) - 1
		for last > 0 && p.Counts[last] == 0 {
			last--
		}
		for x, n := range p.Counts {
			switch {
			case n > 0:
				surveyed = append(surveyed, opts.HeatMapData{Value: [3]any{x, y, n}})
				row = append(row, n)
			case x > first && x < last:
				gaps = append(gaps, opts.HeatMapData{Value: [3]any{x, y, "×"}})
				row = append(row, l.T("quality.gap"))
			default:
				row = append(row, 0)
			}
		}
		t.Rows = append(t.Rows, append(row, p.Gaps))
	}
	title := l.T("chart." + id)
	hm := monthGrid(id, title, l, c.Months, people, l.T("col.facilitator"))
	label := charts.WithLabelOpts(opts.Label{Show: opts.Bool(len(c.Months) <= 18), Formatter: "{@[2]}"})
	hm.AddSeries(l.T("col.respondents"), surveyed, label, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#6baed6"}))
	hm.AddSeries(l.T("quality.gap"), gaps, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "×"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#b2182b"}))
	return finish(id, title, hm, t, len(c.Facilitators) == 0)
}

// lateRows is, per region, the respondent rows imported on time and late.
func lateRows(l *locale.Locale, r *queries.QualityReport) (*Chart, error) {
	const id = "quality-timeliness"
	t := report.Table{Columns: []string{l.T("col.region"), l.T("col.rows"), l.T("col.late"), l.T("col.share")}}
	var regions []string
	var onTime, late []int
	for _, reg := range r.Timeliness.ByRegion {
		regions = append(regions, reg.Region)
		onTime, late = append(onTime, reg.Rows-reg.Late), append(late, reg.Late)
		t.Rows = append(t.Rows, []any{reg.Region, reg.Rows, reg.Late, report.Share{P: queries.Share(reg.Late, reg.Rows)}})
	}
	title := l.T("chart." + id)
	bar := horizontalBar(id, title, l, l.T("col.region"), regions, l.T("col.rows"))
	bar.AddSeries(l.T("quality.on_time"), barData(onTime), stacked("t")).AddSeries(l.T("col.late"), barData(late), stacked("t"))
	return finish(id, title, bar, t, len(regions) == 0)
}
