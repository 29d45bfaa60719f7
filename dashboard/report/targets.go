package report

import (
	"math"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/dashboard/locale"
	"pantau/queries"
)

// RegionAchievement sums up one region's targets (the whole program's
// under its own name): how many have data, how many are met or on track,
// and the mean achievement of those with one.
type RegionAchievement struct {
	Region          string
	Judged, OnTrack int
	Achievement     *float64 // the mean of actual / target; nil when no target has one
}

// AchievementByRegion sums up r's targets per region, program-wide first
// then in r's order.
func AchievementByRegion(l *locale.Locale, r *queries.TargetReport) []RegionAchievement {
	var list []RegionAchievement
	index := map[string]int{}
	sums := map[string][2]float64{}
	for _, t := range r.Targets {
		name := l.T("targets.program")
		if t.Region != nil {
			name = *t.Region
		}
		i, ok := index[name]
		if !ok {
			i = len(list)
			index[name] = i
			list = append(list, RegionAchievement{Region: name})
		}
		if judged(t.Status) {
			list[i].Judged++
		}
		if onTrack(t.Status) {
			list[i].OnTrack++
		}
		if t.Achievement != nil {
			s := sums[name]
			sums[name] = [2]float64{s[0] + *t.Achievement, s[1] + 1}
		}
	}
	for i, ra := range list {
		if s := sums[ra.Region]; s[1] > 0 {
			mean := s[0] / s[1]
			list[i].Achievement = &mean
		}
	}
	return list
}

// targets writes Target: every target of the filter judged at the as-of
// date (indicator, region, period, target, actual, achievement, status),
// the status coloured by a conditional format; beside it, per region, the
// targets with data, those met or on track and the mean achievement, with
// a bar chart of the achievement by region below that table.
func (b *book) targets() error {
	l, st, r := b.l, b.st, b.r.Targets
	const cols, regionCol = 7, 9 // the targets in A..G; the regions from I
	regions := AchievementByRegion(l, r)
	if len(regions) > 0 {
		first, last := firstDataRow, firstDataRow+len(regions)-1
		series := []excelize.ChartSeries{{Name: absCell(sheetTargets, regionCol+3, headerRow),
			Categories: colRange(sheetTargets, regionCol, first, last), Values: colRange(sheetTargets, regionCol+3, first, last)}}
		err := b.addChart(sheetTargets, cellName(regionCol, last+3), excelize.Bar, l.T("export.targets.chart"), series, "0%", true)
		if err != nil {
			return err
		}
	}
	if len(r.Targets) > 0 {
		var rules []excelize.ConditionalFormatOptions
		for _, status := range targetStatuses {
			style := st.status[status]
			rules = append(rules, excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==",
				Value: `"` + l.T("status."+status) + `"`, Format: &style})
		}
		area := cellName(cols, firstDataRow) + ":" + cellName(cols, firstDataRow+len(r.Targets)-1)
		if err := b.x.SetConditionalFormat(sheetTargets, area, rules); err != nil {
			return err
		}
	}
	s := b.newSheet(sheetTargets, firstDataRow, headerRow, 44, 20, 10, 12, 12, 12, 14, 3, 20, 12, 14, 14)
	asOf, _ := time.Parse(time.DateOnly, r.AsOf)
	s.sectionHead(l.T("export.targets.title", l.Date(asOf)), cols, b.notAppliedNote(NotForTargets))
	header := s.headers([]string{l.T("targets.col_indicator"), l.T("col.region"), l.T("targets.col_period"), l.T("targets.col_target"),
		l.T("targets.col_actual"), l.T("targets.col_achievement"), l.T("targets.col_status")})
	s.add(append(header, nil, text(st.header, l.T("col.region")), text(st.header, l.T("export.targets.judged")),
		text(st.header, l.T("export.targets.on_track")), text(st.header, l.T("export.targets.mean")))...)
	for i := 0; i < max(len(r.Targets), len(regions)); i++ {
		row := make([]any, cols+1)
		if i < len(r.Targets) {
			copy(row, b.targetCells(r.Targets[i]))
		}
		if i < len(regions) {
			ra := regions[i]
			row = append(row, text(st.label, ra.Region), num(st.num, ra.Judged), num(st.num, ra.OnTrack), pct(st.pct, ra.Achievement))
		}
		s.add(row...)
	}
	if len(r.Targets) == 0 {
		s.add(text(st.note, l.T("export.no_data")))
	}
	return s.flush()
}

// targetStatuses are every status a target can have, in the order the
// conditional formats list them.
var targetStatuses = []string{queries.StatusMet, queries.StatusOnTrack, queries.StatusNear, queries.StatusBehind,
	queries.StatusNotStarted, queries.StatusNoData}

// targetCells are one target's cells: shares as percentages, counts whole
// or with a decimal, blank where there is no figure.
func (b *book) targetCells(t queries.TargetResult) []any {
	l, st := b.l, b.st
	in, _ := queries.IndicatorByCode(t.Indicator)
	figure := func(v *float64) excelize.Cell {
		switch {
		case v == nil:
			return excelize.Cell{StyleID: st.num}
		case t.Kind == queries.ShareKind:
			return pct(st.pct, v)
		case *v != math.Trunc(*v):
			return excelize.Cell{StyleID: st.dec, Value: *v}
		}
		return excelize.Cell{StyleID: st.num, Value: *v}
	}
	region := l.T("targets.program")
	if t.Region != nil {
		region = *t.Region
	}
	target := t.Target
	return []any{text(st.label, in.Name.In(l.Lang)), text(st.label, region), text(st.label, t.Period),
		figure(&target), figure(t.Actual), pct(st.pct, t.Achievement), text(st.label, l.T("status."+t.Status))}
}
