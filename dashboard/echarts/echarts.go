// Package echarts draws pantau's charts: each one an ECharts option made
// with go-echarts from the figures of a named query and the section table
// that the summary workbook shares (package report), in one language.
package echarts

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/queries"
)

// Chart is one chart as a page and the API show it: the ECharts option the
// browser draws, and the same figures as a table (for screen readers, for
// the CSV download, and for anyone without a canvas).
type Chart struct {
	ID     string          `json:"id"`
	Title  string          `json:"title"`
	Option json.RawMessage `json:"option"`
	Table  report.Table    `json:"-"`
	Empty  bool            `json:"empty"` // no data for this filter
}

// option is what every go-echarts chart can give.
type option interface {
	Validate()
	JSON() map[string]any
}

// finish marshals a go-echarts chart. encoding/json escapes <, > and & as
// \u003c.., so the option is safe even if it ever ends up inside a page;
// the pages never inline it, the browser fetches it as JSON.
func finish(id, title string, o option, t report.Table, empty bool) (*Chart, error) {
	o.Validate()
	body, err := json.Marshal(o.JSON())
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", id, err)
	}
	return &Chart{ID: id, Title: title, Option: body, Table: t, Empty: empty}, nil
}

// common are the options every chart has: title, tooltip, legend and a
// save-as-PNG tool. Charts with axes add one grid (go-echarts appends every
// grid given, and the series use the first).
func common(id, title string, l *locale.Locale, trigger string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Title: title, Left: "left"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: trigger}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "28", Left: "left", Type: "scroll"}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "8", Top: "0", Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Type: "png", Name: id, Title: l.T("chart.save_png")},
		}}),
	}
}

// horizontalBar is a bar chart with the categories (regions, problems,
// roles) down the y axis, where long names stay readable, first on top.
// Both axes are named: the categories' name above them, the value axis's
// name and unit below it.
func horizontalBar(id, title string, l *locale.Locale, categoryAxis string, categories []string, valueAxis string) *charts.Bar {
	bar := charts.NewBar()
	bar.SetGlobalOptions(common(id, title, l, "axis")...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: valueAxis, NameLocation: "middle", NameGap: 24}),
		charts.WithYAxisOpts(categoryYAxis(categoryAxis, nil)),
		// containLabel keeps the axis labels inside the canvas.
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "40", Top: "80", Bottom: "36", ContainLabel: opts.Bool(true)}),
	)
	bar.SetXAxis(categories).XYReversal()
	return bar
}

// categoryYAxis lists categories top down, named above the first one.
func categoryYAxis(name string, data []string) opts.YAxis {
	y := opts.YAxis{Type: "category", Name: name, NameLocation: "start", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}
	if data != nil {
		y.Data = data
	}
	return y
}

func barData[T int | int64 | float64](values []T) []opts.BarData {
	d := make([]opts.BarData, len(values))
	for i, v := range values {
		d[i] = opts.BarData{Value: v}
	}
	return d
}

// percent is a share as the charts draw it: 0..100 with one decimal, or
// "-" (ECharts' missing value) when there is no share.
func percent(p *float64) any {
	if p == nil {
		return "-"
	}
	return math.Round(1000**p) / 10
}

func percentData(shares []*float64) []opts.BarData {
	d := make([]opts.BarData, len(shares))
	for i, p := range shares {
		d[i] = opts.BarData{Value: percent(p)}
	}
	return d
}

func stacked(stack string) charts.SeriesOpts {
	return charts.WithBarChartOpts(opts.BarChart{Stack: stack})
}

// FacilitatorsByRegion draws what queries.DB.FacilitatorsByRegion returns.
func FacilitatorsByRegion(l *locale.Locale, fac queries.FacilitatorSummary) (*Chart, error) {
	return genderBars("facilitators-by-region", l, report.FacilitatorsByRegion(l, fac))
}

// StaffByRole draws what queries.DB.StaffByRole returns.
func StaffByRole(l *locale.Locale, roles []queries.RoleCount) (*Chart, error) {
	var names []string
	var counts []queries.GenderCounts
	for _, r := range roles {
		names, counts = append(names, r.Role), append(counts, r.GenderCounts)
	}
	return genderBars("staff-by-role", l, report.GenderTable(l, l.T("col.role"), names, counts))
}

// genderBars draws a report.GenderTable: people per category stacked
// female, male, unknown.
func genderBars(id string, l *locale.Locale, t report.Table) (*Chart, error) {
	categories := make([]string, len(t.Rows))
	genders := make([][]int, 3)
	for i, row := range t.Rows {
		categories[i] = row[0].(string)
		for g := range genders {
			genders[g] = append(genders[g], row[1+g].(int))
		}
	}
	title := l.T("chart." + id)
	bar := horizontalBar(id, title, l, t.Columns[0], categories, l.T("unit.people"))
	for g := range genders {
		bar.AddSeries(t.Columns[1+g], barData(genders[g]), stacked("g"))
	}
	return finish(id, title, bar, t, len(t.Rows) == 0)
}

func answeredAny(ps []queries.ProblemShare) bool {
	for _, p := range ps {
		if p.Answered > 0 {
			return true
		}
	}
	return false
}

// ProblemPrevalence draws what queries.DB.ProblemPrevalence returns.
func ProblemPrevalence(l *locale.Locale, problems []queries.ProblemShare) (*Chart, error) {
	const id = "problem-prevalence"
	t := report.ProblemPrevalence(l, problems)
	categories := make([]string, len(problems))
	shares := make([]*float64, len(problems))
	for i, p := range problems {
		categories[i] = l.T("chart.answered_label", t.Rows[i][0], l.Num(p.Answered))
		shares[i] = p.Share
	}
	title := l.T("chart." + id)
	bar := horizontalBar(id, title, l, l.T("col.problem"), categories, l.T("unit.percent_yes"))
	bar.SetGlobalOptions(charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: l.T("unit.percent_yes"), NameLocation: "middle", NameGap: 24, Min: 0, Max: 100}))
	bar.AddSeries(l.T("series.yes_share"), percentData(shares))
	return finish(id, title, bar, t, !answeredAny(problems))
}

// ProblemsByRegion draws what queries.DB.ProblemsByRegion returns.
func ProblemsByRegion(l *locale.Locale, list []queries.RegionProblem) (*Chart, error) {
	const id = "problems-by-region"
	t := report.ProblemsByRegion(l, list)
	labels := t.Columns[1:]
	var regions []string
	var data []opts.HeatMapData
	hasData := false
	for y, row := range t.Rows {
		regions = append(regions, row[0].(string))
		for x, cell := range row[1:] {
			p := cell.(report.Share).P
			hasData = hasData || p != nil
			data = append(data, opts.HeatMapData{Value: [3]any{x, y, percent(p)}})
		}
	}
	title := l.T("chart." + id)
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(common(id, title, l, "item")...)
	hm.SetGlobalOptions(
		// Data here, not with SetXAxis: go-echarts' HeatMap drops that (its Validate never copies it).
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: labels, Name: l.T("col.problem"), NameLocation: "middle", NameGap: 90,
			AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30}}),
		charts.WithYAxisOpts(categoryYAxis(l.T("col.region"), regions)),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: 100, Orient: "horizontal", Left: "center", Top: "28",
			Text: []string{"100%", "0%"}, InRange: &opts.VisualMapInRange{Color: []string{"#f7fbff", "#6baed6", "#08306b"}}}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "40", Top: "118", Bottom: "100", ContainLabel: opts.Bool(true)}),
	)
	hm.AddSeries(l.T("unit.percent_yes"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(len(regions) <= 12)}))
	return finish(id, title, hm, t, !hasData)
}

// problemSplitChart draws the nine problems' prevalence for each group of a split.
func problemSplitChart(id string, l *locale.Locale, groups []queries.ProblemSplit, groupName func(string) string) (*Chart, error) {
	labels := report.ProblemLabels(l)
	title := l.T("chart." + id)
	bar := horizontalBar(id, title, l, l.T("col.problem"), labels, l.T("unit.percent_yes"))
	bar.SetGlobalOptions(charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: l.T("unit.percent_yes"), NameLocation: "middle", NameGap: 24, Min: 0, Max: 100}))
	t := report.Table{Columns: []string{l.T("col.problem")}}
	for _, g := range groups {
		t.Columns = append(t.Columns, l.T("col.share_of", groupName(g.Group)), l.T("col.answered_of", groupName(g.Group)))
	}
	hasData := false
	for i := range labels {
		row := []any{labels[i]}
		for _, g := range groups {
			row = append(row, report.Share{P: g.Problems[i].Share}, g.Problems[i].Answered)
		}
		t.Rows = append(t.Rows, row)
	}
	for _, g := range groups {
		shares := make([]*float64, len(g.Problems))
		for i, p := range g.Problems {
			shares[i] = p.Share
		}
		hasData = hasData || answeredAny(g.Problems)
		bar.AddSeries(l.T("chart.group_n", groupName(g.Group), l.Num(g.Respondents)), percentData(shares))
	}
	return finish(id, title, bar, t, !hasData)
}

// ProblemsByWorkType draws what queries.DB.ProblemsByWorkType returns.
func ProblemsByWorkType(l *locale.Locale, groups []queries.ProblemSplit) (*Chart, error) {
	return problemSplitChart("problems-by-work-type", l, groups, func(g string) string { return l.T("work_type." + g) })
}

// ProblemsByGender draws what queries.DB.ProblemsByGender returns.
func ProblemsByGender(l *locale.Locale, groups []queries.ProblemSplit) (*Chart, error) {
	return problemSplitChart("problems-by-gender", l, groups, func(g string) string {
		if g == "" {
			return l.T("gender.unknown")
		}
		return l.T("gender." + g)
	})
}

// productsShown is how many products the chart names; the rest are one bar.
const productsShown = 15

// RespondentsByProduct draws what queries.DB.RespondentsByProduct returns.
func RespondentsByProduct(l *locale.Locale, products []queries.ProductCount) (*Chart, error) {
	const id = "respondents-by-product"
	t := report.Table{Columns: []string{l.T("col.product"), l.T("work_type.POS"), l.T("work_type.SE"), l.T("col.total")}}
	var names []string
	var pos, se []int
	for i, p := range products {
		name := p.Product
		if name == "" {
			name = l.T("value.not_stated")
		}
		t.Rows = append(t.Rows, []any{name, p.POS, p.SE, p.Total})
		switch {
		case i < productsShown:
			names, pos, se = append(names, name), append(pos, p.POS), append(se, p.SE)
		case i == productsShown:
			names, pos, se = append(names, l.T("value.other_products", len(products)-productsShown)), append(pos, p.POS), append(se, p.SE)
		default:
			pos[productsShown] += p.POS
			se[productsShown] += p.SE
		}
	}
	title := l.T("chart." + id)
	bar := horizontalBar(id, title, l, l.T("col.product"), names, l.T("unit.respondents"))
	bar.AddSeries(l.T("work_type.POS"), barData(pos), stacked("w")).AddSeries(l.T("work_type.SE"), barData(se), stacked("w"))
	return finish(id, title, bar, t, len(products) == 0)
}

// WageVsUMK draws what queries.DB.WagesAgainstUMK returns.
func WageVsUMK(l *locale.Locale, wages []queries.WageAgainstUMK) (*Chart, error) {
	const id = "wage-vs-umk"
	t := report.Table{Columns: []string{l.T("col.region"), l.T("col.respondents_wage"), l.T("col.mean_wage"), l.T("col.umk"), l.T("col.below_umk"), l.T("col.share")}}
	var regions []string
	var mean, umk []int64
	for _, w := range wages {
		regions = append(regions, w.Region)
		mean, umk = append(mean, w.MeanWage), append(umk, w.UMK)
		t.Rows = append(t.Rows, []any{w.Region, w.Respondents, report.Rupiah(w.MeanWage), report.Rupiah(w.UMK), w.BelowUMK, report.Share{P: queries.Share(w.BelowUMK, w.Respondents)}})
	}
	title := l.T("chart." + id)
	bar := horizontalBar(id, title, l, l.T("col.region"), regions, l.T("unit.rupiah_month"))
	bar.AddSeries(l.T("col.mean_wage"), barData(mean)).AddSeries(l.T("col.umk"), barData(umk))
	return finish(id, title, bar, t, len(wages) == 0)
}

// OrganizingFunnel draws what queries.DB.OrganizingFunnel returns.
func OrganizingFunnel(l *locale.Locale, org queries.OrganizingSummary) (*Chart, error) {
	const id = "organizing-funnel"
	t := report.OrganizingFunnel(l, org).FirstColumns(2) // the share is the workbook's
	var data []opts.FunnelData
	for _, row := range t.Rows {
		data = append(data, opts.FunnelData{Name: row[0].(string), Value: row[1]})
	}
	title := l.T("chart." + id)
	fn := charts.NewFunnel()
	fn.SetGlobalOptions(common(id, title, l, "item")...)
	fn.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "28", Left: "left", Type: "scroll"}))
	// go-echarts has no funnel layout options; app.js keeps the stages in
	// their order (sort: none) and names each stage beside the funnel.
	fn.AddSeries(l.T("col.groups_reached"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inside", Formatter: "{c}"}))
	return finish(id, title, fn, t, org.Groups == 0)
}

// GroupsByRegionStage draws what queries.DB.OrganizingByRegion returns.
func GroupsByRegionStage(l *locale.Locale, org []queries.RegionOrganizing) (*Chart, error) {
	const id = "groups-by-region-stage"
	t := report.Table{Columns: []string{l.T("col.region")}}
	for stage := 1; stage <= 6; stage++ {
		t.Columns = append(t.Columns, report.StageName(l, stage))
	}
	t.Columns = append(t.Columns, l.T("col.total"))
	var regions []string
	atStage := make([][]int, 6)
	for _, r := range org {
		regions = append(regions, r.Region)
		row := []any{r.Region}
		for i, n := range r.AtStage {
			atStage[i] = append(atStage[i], n)
			row = append(row, n)
		}
		t.Rows = append(t.Rows, append(row, r.Groups))
	}
	title := l.T("chart." + id)
	bar := horizontalBar(id, title, l, l.T("col.region"), regions, l.T("unit.groups"))
	for i := range atStage {
		bar.AddSeries(report.StageName(l, i+1), barData(atStage[i]), stacked("s"))
	}
	return finish(id, title, bar, t, len(org) == 0)
}

// GroupsFormedByMonth draws what queries.DB.GroupsFormedByMonth returns.
func GroupsFormedByMonth(l *locale.Locale, months []queries.MonthCount) (*Chart, error) {
	const id = "groups-formed-by-month"
	t := report.Table{Columns: []string{l.T("col.month"), l.T("col.formed"), l.T("col.cumulative")}}
	var names []string
	var cumulative []opts.LineData
	var formedBars []int
	for _, m := range months {
		names = append(names, l.Month(m.Month))
		formedBars = append(formedBars, m.Formed)
		cumulative = append(cumulative, opts.LineData{Value: m.Cumulative})
		t.Rows = append(t.Rows, []any{l.Month(m.Month), m.Formed, m.Cumulative})
	}
	title := l.T("chart." + id)
	bar := charts.NewBar()
	bar.SetGlobalOptions(common(id, title, l, "axis")...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: l.T("col.month"), NameLocation: "middle", NameGap: 50, AxisLabel: &opts.AxisLabel{Rotate: 30}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: l.T("unit.groups_per_month")}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "80", Bottom: "56", ContainLabel: opts.Bool(true)}),
	)
	bar.ExtendYAxis(opts.YAxis{Type: "value", Name: l.T("unit.groups_total")})
	bar.SetXAxis(names).AddSeries(l.T("col.formed"), barData(formedBars))
	line := charts.NewLine()
	line.SetXAxis(names).AddSeries(l.T("col.cumulative"), cumulative, charts.WithLineChartOpts(opts.LineChart{YAxisIndex: 1}))
	bar.Overlap(line)
	return finish(id, title, bar, t, len(months) == 0)
}

// MembersByRegion draws what queries.DB.OrganizingByRegion returns.
func MembersByRegion(l *locale.Locale, org []queries.RegionOrganizing) (*Chart, error) {
	const id = "members-by-region"
	t := report.Table{Columns: []string{l.T("col.region"), l.T("col.groups"), l.T("col.members")}}
	var regions []string
	var members []int
	for _, r := range org {
		regions = append(regions, r.Region)
		members = append(members, r.Members)
		t.Rows = append(t.Rows, []any{r.Region, r.Groups, r.Members})
	}
	title := l.T("chart." + id)
	bar := horizontalBar(id, title, l, l.T("col.region"), regions, l.T("unit.members"))
	bar.AddSeries(l.T("col.members"), barData(members))
	return finish(id, title, bar, t, len(org) == 0)
}
