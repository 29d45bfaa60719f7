package echarts

import (
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/queries"
)

// The time charts (respondents per month, groups formed per month) and
// their comparison with an earlier period, drawn as a dashed line.

// Periods are the filter a time chart shows and the earlier one it is
// compared with (queries.EarlierFilter); both have whole periods.
type Periods struct{ Now, Earlier queries.Filter }

const monthLayout = "2006-01"

// months are the calendar months of the period shown, in order.
func (p Periods) months() []string {
	return queries.MonthsBetween(p.Now.From.Format(monthLayout), p.Now.To.Format(monthLayout))
}

// align places the earlier period's counts per month on the months shown,
// moved by whole calendar months: as many as lie between the middles of
// the two periods (3 for the quarter before, 12 for a year earlier), so
// that January's count sits on April's. A month that falls outside the
// months shown (the previous 91 days of April to June begin on 31
// December) is added to the nearest one, so that the dashed line holds
// every earlier respondent or group.
func (p Periods) align(counts map[string]int) map[string]int {
	shift := monthNumber(middle(p.Now)) - monthNumber(middle(p.Earlier))
	axis := p.months()
	first, last := monthNumber(p.Now.From), monthNumber(p.Now.To)
	aligned := map[string]int{}
	for month, n := range counts {
		t, err := time.Parse(monthLayout, month)
		if err != nil || len(axis) == 0 {
			continue
		}
		at := min(max(monthNumber(t)+shift, first), last) - first
		aligned[axis[at]] += n
	}
	return aligned
}

// middle is the middle day of f's period.
func middle(f queries.Filter) time.Time { return f.From.Add(f.To.Sub(f.From) / 2) }

// monthNumber counts calendar months from year 0, so that months subtract.
func monthNumber(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

// label names the earlier period: "Pembanding: 1 Juli 2014 – 30 September 2014".
func (p Periods) label(l *locale.Locale) string {
	return l.T("compare.series", l.Date(p.Earlier.From), l.Date(p.Earlier.To))
}

// dashed is the earlier period's series: a dashed line with hollow points,
// so that it differs from the period shown by more than its colour.
func dashed(yAxis int) []charts.SeriesOpts {
	return []charts.SeriesOpts{
		charts.WithLineChartOpts(opts.LineChart{YAxisIndex: yAxis, Symbol: "emptyCircle"}),
		charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 2}),
	}
}

func lineData(months []string, counts map[string]int) []opts.LineData {
	d := make([]opts.LineData, len(months))
	for i, m := range months {
		d[i] = opts.LineData{Value: counts[m]}
	}
	return d
}

// monthBar is a bar chart over months with named axes.
func monthBar(id, title string, l *locale.Locale, names []string, unit string) *charts.Bar {
	bar := charts.NewBar()
	bar.SetGlobalOptions(common(id, title, l, "axis")...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: l.T("col.month"), NameLocation: "middle", NameGap: 50, AxisLabel: &opts.AxisLabel{Rotate: 30}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: unit}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "80", Bottom: "56", ContainLabel: opts.Bool(true)}),
	)
	bar.SetXAxis(names)
	return bar
}

// RespondentsByMonth draws what queries.DB.RespondentsByMonth returns.
func RespondentsByMonth(l *locale.Locale, months []queries.MonthTotal) (*Chart, error) {
	return respondentsByMonth(l, months, nil, nil)
}

// RespondentsByMonthCompared draws the respondents per month of p.Now's
// period, and those of p.Earlier's as a dashed line.
func RespondentsByMonthCompared(l *locale.Locale, months, earlier []queries.MonthTotal, p Periods) (*Chart, error) {
	return respondentsByMonth(l, months, earlier, &p)
}

func respondentsByMonth(l *locale.Locale, months, earlier []queries.MonthTotal, p *Periods) (*Chart, error) {
	const id = "respondents-by-month"
	counts := map[string]int{}
	var axis []string
	for _, m := range months {
		counts[m.Month] = m.Respondents
		axis = append(axis, m.Month)
	}
	t := report.Table{Columns: []string{l.T("col.month"), l.T("unit.respondents")}}
	var before map[string]int
	if p != nil {
		axis = p.months()
		raw := map[string]int{}
		for _, m := range earlier {
			raw[m.Month] = m.Respondents
		}
		before = p.align(raw)
		t.Columns = append(t.Columns, p.label(l))
	}
	var names []string
	var bars []int
	for _, m := range axis {
		names = append(names, l.Month(m))
		bars = append(bars, counts[m])
		row := []any{l.Month(m), counts[m]}
		if p != nil {
			row = append(row, before[m])
		}
		t.Rows = append(t.Rows, row)
	}
	title := l.T("chart." + id)
	bar := monthBar(id, title, l, names, l.T("unit.respondents_per_month"))
	bar.AddSeries(l.T("unit.respondents"), barData(bars))
	if p != nil {
		line := charts.NewLine()
		line.SetXAxis(names).AddSeries(p.label(l), lineData(axis, before), dashed(0)...)
		bar.Overlap(line)
	}
	return finish(id, title, bar, t, len(months) == 0 && len(earlier) == 0)
}

// GroupsFormedByMonthCompared draws the groups formed per month of p.Now's
// period with their running total, and those formed per month of
// p.Earlier's as a dashed line.
func GroupsFormedByMonthCompared(l *locale.Locale, months, earlier []queries.MonthCount, p Periods) (*Chart, error) {
	const id = "groups-formed-by-month"
	formed, raw := map[string]int{}, map[string]int{}
	for _, m := range months {
		formed[m.Month] = m.Formed
	}
	for _, m := range earlier {
		raw[m.Month] = m.Formed
	}
	before := p.align(raw)
	axis := p.months()
	t := report.Table{Columns: []string{l.T("col.month"), l.T("col.formed"), l.T("col.cumulative"), p.label(l)}}
	var names []string
	var bars []int
	cumulative := map[string]int{}
	total := 0
	for _, m := range axis {
		total += formed[m]
		cumulative[m] = total
		names = append(names, l.Month(m))
		bars = append(bars, formed[m])
		t.Rows = append(t.Rows, []any{l.Month(m), formed[m], total, before[m]})
	}
	title := l.T("chart." + id)
	bar := monthBar(id, title, l, names, l.T("unit.groups_per_month"))
	bar.ExtendYAxis(opts.YAxis{Type: "value", Name: l.T("unit.groups_total")})
	bar.AddSeries(l.T("col.formed"), barData(bars))
	line := charts.NewLine()
	line.SetXAxis(names).
		AddSeries(l.T("col.cumulative"), lineData(axis, cumulative), charts.WithLineChartOpts(opts.LineChart{YAxisIndex: 1})).
		AddSeries(p.label(l), lineData(axis, before), dashed(0)...)
	bar.Overlap(line)
	return finish(id, title, bar, t, len(months) == 0 && len(earlier) == 0)
}
