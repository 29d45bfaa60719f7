package report

import (
	"slices"

	"pantau/queries"
)

// sheetQuality is the data quality sheet of the summary workbook.
const sheetQuality = "Kualitas"

// quality writes Kualitas: the open flags per region and kind, then the
// completeness tables (respondents per region and per facilitator and
// survey month, with each facilitator's gaps) and the timeliness per
// region. Names of regions and facilitators are uploaded text: written as
// text cells only (see text), never as formulas.
func (b *book) quality() error {
	l, st, q := b.l, b.st, b.r.Quality
	months := q.Completeness.Months
	widths := []float64{30, 18}
	for range max(len(queries.FlagKinds), len(months)) + 1 {
		widths = append(widths, 12)
	}
	s := b.newSheet(sheetQuality, firstDataRow, headerRow, widths...)
	cols := len(queries.FlagKinds) + 2
	s.sectionHead(l.T("nav.quality"), cols, l.T("quality.tiles_note"))

	// Open flags per region and kind; every region with respondents, and
	// any other a flag names (a group's), so that a clean region shows 0s.
	header := []string{l.T("col.region")}
	for _, kind := range queries.FlagKinds {
		header = append(header, queries.FlagNames[kind].In(l.Lang))
	}
	s.add(s.headers(append(header, l.T("col.total")))...)
	open := q.OpenByRegion
	var regions []string
	for _, r := range q.Completeness.Regions {
		regions = append(regions, r.Region)
	}
	for region := range open {
		regions = append(regions, region)
	}
	slices.Sort(regions)
	for _, region := range slices.Compact(regions) {
		row, sum := []any{text(st.label, RegionName(l, region))}, 0
		for _, kind := range queries.FlagKinds {
			row = append(row, num(st.num, open[region][kind]))
			sum += open[region][kind]
		}
		s.add(append(row, num(st.num, sum))...)
	}
	if len(regions) == 0 {
		s.add(text(st.note, l.T("export.no_data")))
	}
	total, sum := []any{text(st.totalLabel, l.T("col.total"))}, 0
	for _, kind := range queries.FlagKinds {
		total = append(total, num(st.totalNum, q.Counts[kind]))
		sum += q.Counts[kind]
	}
	s.add(append(total, num(st.totalNum, sum))...)

	// Completeness: respondents per region and survey month.
	monthNames := make([]string, len(months))
	for i, m := range months {
		monthNames[i] = l.Month(m)
	}
	s.skip(2)
	s.add(text(st.subtitle, l.T("chart.quality-regions")))
	s.add(s.headers(append(append([]string{l.T("col.region")}, monthNames...), l.T("col.total")))...)
	perMonth := make([]int, len(months))
	for _, r := range q.Completeness.Regions {
		row, sum := []any{text(st.label, RegionName(l, r.Region))}, 0
		for i, n := range r.Counts {
			row = append(row, num(st.num, n))
			perMonth[i] += n
			sum += n
		}
		s.add(append(row, num(st.num, sum))...)
	}
	if len(q.Completeness.Regions) == 0 {
		s.add(text(st.note, l.T("export.no_data")))
	}
	total, sum = []any{text(st.totalLabel, l.T("col.total"))}, 0
	for _, n := range perMonth {
		total = append(total, num(st.totalNum, n))
		sum += n
	}
	s.add(append(total, num(st.totalNum, sum))...)

	// Per facilitator, with the months with none between their first and last.
	s.skip(2)
	s.add(text(st.subtitle, l.T("export.quality_facilitators")))
	s.add(s.headers(append(append([]string{l.T("col.facilitator"), l.T("col.region")}, monthNames...), l.T("col.gaps")))...)
	for _, p := range q.Completeness.Facilitators {
		row := []any{text(st.label, p.Name), text(st.label, RegionName(l, p.Region))}
		for _, n := range p.Counts {
			row = append(row, num(st.num, n))
		}
		s.add(append(row, num(st.num, p.Gaps))...)
	}
	if len(q.Completeness.Facilitators) == 0 {
		s.add(text(st.note, l.T("export.no_data")))
	}

	// Timeliness per region, under the limit set (late_after_days).
	tl := q.Timeliness
	s.skip(2)
	s.add(text(st.subtitle, l.T("chart.quality-timeliness")))
	s.add(text(st.note, l.T("export.late_after", tl.LateAfterDays)))
	s.add(s.headers([]string{l.T("col.region"), l.T("col.rows"), l.T("col.late"), l.T("col.late_share")})...)
	for _, r := range tl.ByRegion {
		s.add(text(st.label, RegionName(l, r.Region)), num(st.num, r.Rows), num(st.num, r.Late), pct(st.pct, queries.Share(r.Late, r.Rows)))
	}
	if len(tl.ByRegion) == 0 {
		s.add(text(st.note, l.T("export.no_data")))
	}
	s.add(text(st.totalLabel, l.T("col.total")), num(st.totalNum, tl.Rows), num(st.totalNum, tl.Late), pct(st.totalPct, queries.Share(tl.Late, tl.Rows)))
	return s.flush()
}
