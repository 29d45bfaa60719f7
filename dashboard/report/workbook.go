package report

// The summary workbook: GET /exports/summary.xlsx and `pantau export` write
// the same .xlsx, from the same section tables as the dashboards, for one
// filter: a cover sheet (Ringkasan) with the filter in words and the key
// figures, then one sheet per dashboard section (Fasilitator, Masalah,
// Pengorganisasian), each a formatted table with a native Excel chart
// beside it; then Target and Kualitas (data quality, tables only).
//
// Every sheet is written with excelize's StreamWriter. A chart must be added
// to a sheet before its stream writer is made: NewStreamWriter copies the
// sheet's <drawing> reference from the worksheet as it is then, and Flush
// writes that copy; a chart added after Flush would be lost, because the
// streamed XML replaces the worksheet when the file is saved.
//
// Uploaded text (region names, file names) is only ever written as a string
// cell (an inline string): the stream writer makes a formula only from
// excelize.Cell.Formula, which this file never sets, so "=HYPERLINK(...)" or
// "+1" stays text. Charts name their series and categories by cell
// references, never by copying uploaded text into the chart.

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/dashboard/locale"
	"pantau/queries"
)

// The sheet names are fixed Indonesian in both languages, so that formulas
// and macros people write against the workbook keep working.
const (
	sheetCover      = "Ringkasan"
	sheetFacilitate = "Fasilitator"
	sheetProblems   = "Masalah"
	sheetOrganizing = "Pengorganisasian"
	sheetTargets    = "Target"
)

// workbookSheets are the sheets, in order; Target only when the report
// carries targets, Kualitas only when it carries the quality report.
func workbookSheets(r *queries.Report) []string {
	sheets := []string{sheetCover, sheetFacilitate, sheetProblems, sheetOrganizing}
	if r.Targets != nil {
		sheets = append(sheets, sheetTargets)
	}
	if r.Quality != nil {
		sheets = append(sheets, sheetQuality)
	}
	return sheets
}

// WriteWorkbook writes the summary workbook of r, in l's language, stamped
// as made at now.
func WriteWorkbook(w io.Writer, r *queries.Report, l *locale.Locale, now time.Time) error {
	x := excelize.NewFile()
	defer x.Close()
	st, err := newWorkbookStyles(x)
	if err != nil {
		return err
	}
	sheets := workbookSheets(r)
	if err := x.SetSheetName("Sheet1", sheets[0]); err != nil {
		return err
	}
	for _, name := range sheets[1:] {
		if _, err := x.NewSheet(name); err != nil {
			return err
		}
	}
	b := &book{x: x, st: st, l: l, r: r, f: r.Summary.Filter, now: now}
	writers := []func() error{b.cover, b.facilitators, b.problems, b.organizing}
	if r.Targets != nil {
		writers = append(writers, b.targets)
	}
	if r.Quality != nil {
		writers = append(writers, b.quality)
	}
	for _, write := range writers {
		if err := write(); err != nil {
			return fmt.Errorf("summary workbook: %w", err)
		}
	}
	x.SetActiveSheet(0)
	if err := x.SetDocProps(&excelize.DocProperties{Title: l.T("export.title"), Creator: "pantau",
		Created: now.UTC().Format(time.RFC3339)}); err != nil {
		return err
	}
	if _, err := x.WriteTo(w); err != nil {
		return fmt.Errorf("summary workbook: %w", err)
	}
	return nil
}

// book is the workbook being written.
type book struct {
	x   *excelize.File
	st  workbookStyles
	l   *locale.Locale
	r   *queries.Report
	f   queries.Filter
	now time.Time // when the workbook is made
}

// workbookStyles are the cell styles, made once per file.
type workbookStyles struct {
	title, subtitle, note, header, label     int
	num, pct, totalLabel, totalNum, totalPct int
	dec                                      int            // #,##0.0 for targets and actuals that need not be whole
	status                                   map[string]int // conditional formats per target status
}

func newWorkbookStyles(x *excelize.File) (workbookStyles, error) {
	pct := "0.0%"
	header := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}}
	top := []excelize.Border{{Type: "top", Color: "5B6475", Style: 1}}
	styles := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 14, Color: "0B5C8A"}},
		{Font: &excelize.Font{Bold: true, Size: 12}},
		{Font: &excelize.Font{Italic: true, Color: "5B6475"}},
		{Font: &excelize.Font{Bold: true}, Fill: header,
			Border:    []excelize.Border{{Type: "bottom", Color: "5B6475", Style: 1}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}},
		{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}},
		{NumFmt: 3}, // #,##0
		{CustomNumFmt: &pct},
		{Font: &excelize.Font{Bold: true}, Border: top},
		{Font: &excelize.Font{Bold: true}, Border: top, NumFmt: 3},
		{Font: &excelize.Font{Bold: true}, Border: top, CustomNumFmt: &pct},
	}
	dec := "#,##0.0"
	styles = append(styles, &excelize.Style{CustomNumFmt: &dec})
	ids := make([]int, len(styles))
	for i, s := range styles {
		id, err := x.NewStyle(s)
		if err != nil {
			return workbookStyles{}, err
		}
		ids[i] = id
	}
	st := workbookStyles{title: ids[0], subtitle: ids[1], note: ids[2], header: ids[3], label: ids[4],
		num: ids[5], pct: ids[6], totalLabel: ids[7], totalNum: ids[8], totalPct: ids[9], dec: ids[10], status: map[string]int{}}
	for status, c := range statusColours {
		id, err := x.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: c[0], Bold: true},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[1]}}})
		if err != nil {
			return workbookStyles{}, err
		}
		st.status[status] = id
	}
	return st, nil
}

// statusColours are each target status's font and fill, as spreadsheet
// users know them: green for good, amber for near, red for behind, grey
// for nothing to judge.
var statusColours = map[string][2]string{
	queries.StatusMet:        {"006100", "C6EFCE"},
	queries.StatusOnTrack:    {"006100", "C6EFCE"},
	queries.StatusNear:       {"9C5700", "FFEB9C"},
	queries.StatusBehind:     {"9C0006", "FFC7CE"},
	queries.StatusNotStarted: {"3F3F3F", "E7E6E6"},
	queries.StatusNoData:     {"3F3F3F", "E7E6E6"},
}

// sheet streams the rows of one worksheet top to bottom. The first error
// sticks: later calls do nothing and flush returns it.
type sheet struct {
	b    *book
	name string
	sw   *excelize.StreamWriter
	row  int // the last row written (or skipped)
	err  error
}

// newSheet starts streaming a sheet: ready to print (printReady, with row
// titleRow repeated on every page), column widths (first column first),
// and the rows above data row freezeBelow frozen (0: nothing frozen).
// Charts and conditional formats must be added before (see addChart).
func (b *book) newSheet(name string, freezeBelow, titleRow int, widths ...float64) *sheet {
	s := &sheet{b: b, name: name}
	if s.err = b.printReady(name, titleRow); s.err != nil {
		return s
	}
	s.sw, s.err = b.x.NewStreamWriter(name)
	// The stream writer emits the <cols> in reverse order of the calls
	// (sampledata's generator met this too): set them from the last column
	// so the file lists them ascending, as Excel writes and expects.
	for i := len(widths) - 1; i >= 0 && s.err == nil; i-- {
		s.err = s.sw.SetColWidth(i+1, i+1, widths[i])
	}
	if s.err == nil && freezeBelow > 1 {
		top := cellName(1, freezeBelow)
		s.err = s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: freezeBelow - 1, TopLeftCell: top, ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}}})
	}
	return s
}

// add writes the next row; cells are excelize.Cell values (see text, num, pct).
func (s *sheet) add(cells ...any) {
	s.row++
	if s.err == nil {
		s.err = s.sw.SetRow(cellName(1, s.row), cells)
	}
}

// skip leaves n rows empty.
func (s *sheet) skip(n int) { s.row += n }

// skipTo leaves rows empty so that the next row written is row.
func (s *sheet) skipTo(row int) {
	if s.row < row-1 {
		s.row = row - 1
	}
}

// wide writes one styled text across columns 1..cols of the next row (merged).
func (s *sheet) wide(style int, v string, cols int) {
	s.add(text(style, v))
	if s.err == nil && cols > 1 {
		s.err = s.sw.MergeCell(cellName(1, s.row), cellName(cols, s.row))
	}
}

func (s *sheet) flush() error {
	if s.err != nil {
		return fmt.Errorf("%s: %w", s.name, s.err)
	}
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	return nil
}

// table writes t's header and rows.
func (s *sheet) table(t Table) {
	s.add(s.headers(t.Columns)...)
	for _, row := range t.Rows {
		s.add(s.cells(row)...)
	}
}

// headers are a table's header cells.
func (s *sheet) headers(columns []string) []any {
	cells := make([]any, len(columns))
	for i, c := range columns {
		cells[i] = text(s.b.st.header, c)
	}
	return cells
}

// cells are a table row's cells, each styled for its type.
func (s *sheet) cells(row []any) []any {
	st, cells := s.b.st, make([]any, len(row))
	for i, v := range row {
		switch x := v.(type) {
		case string:
			cells[i] = text(st.label, x)
		case int:
			cells[i] = num(st.num, x)
		case Share:
			cells[i] = pct(st.pct, x.P)
		case Rupiah:
			cells[i] = excelize.Cell{StyleID: st.num, Value: int64(x)}
		default:
			cells[i] = text(st.label, fmt.Sprint(v))
		}
	}
	return cells
}

// text is a string cell: never a formula, whatever it starts with.
func text(style int, v string) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

func num(style, v int) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// pct is a share cell (0..1, shown as a percentage); blank when there is no share.
func pct(style int, p *float64) excelize.Cell {
	if p == nil {
		return excelize.Cell{StyleID: style}
	}
	return excelize.Cell{StyleID: style, Value: *p}
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// colRange is the absolute reference of column col, rows first..last, on a sheet.
func colRange(sheetName string, col, first, last int) string {
	c, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetName, c, first, c, last)
}

func absCell(sheetName string, col, row int) string {
	c, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("%s!$%s$%d", sheetName, c, row)
}

// The layout of the three section sheets: title, filter, a note (or
// blank), then the first table's header, frozen with the rows above it.
const (
	headerRow    = 4
	firstDataRow = headerRow + 1
)

// Charts are placed beside the first table, at the header row; rows are
// 20 pixels high by default, so a chart covers chartHeight/20 rows.
const (
	chartWidth, chartHeight = 640, 360
	chartRows               = chartHeight / 20
)

// addChart adds a native chart with its top left corner at cell, before
// the sheet is streamed (see the comment at the top of the file).
func (b *book) addChart(sheetName, cell string, typ excelize.ChartType, title string, series []excelize.ChartSeries, valueFormat string, reverseCategories bool) error {
	one := false // one colour per series, not per bar
	ch := &excelize.Chart{
		Type:       typ,
		Series:     series,
		VaryColors: &one,
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Bold: true, Size: 12}}}},
		Legend:     excelize.ChartLegend{Position: "bottom"},
		Dimension:  excelize.ChartDimension{Width: chartWidth, Height: chartHeight},
		Format:     excelize.GraphicOptions{OffsetX: 10},
		// A horizontal bar chart draws its first category at the bottom;
		// reversed, the list reads top down like the table.
		XAxis:    excelize.ChartAxis{ReverseOrder: reverseCategories},
		YAxis:    excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: valueFormat}},
		PlotArea: excelize.ChartPlotArea{ShowVal: len(series) == 1, NumFmt: excelize.ChartNumFmt{CustomNumFmt: valueFormat}},
	}
	if len(series) == 1 {
		ch.Legend.Position = "none"
	}
	return b.x.AddChart(sheetName, cell, ch)
}

// sectionHead writes a section sheet's first three rows: its title, the
// filter in words, and a note saying which set filter parts its figures
// cannot apply (or nothing), all across cols columns.
func (s *sheet) sectionHead(title string, cols int, note string) {
	s.wide(s.b.st.title, title, cols)
	s.wide(s.b.st.note, s.b.l.T("export.filter", s.b.filterLine()), cols)
	if note != "" {
		s.wide(s.b.st.note, note, cols)
	} else {
		s.skip(1)
	}
}

// filterWords says what the filter selects, part by part: region, gender,
// work type, period; each as label and value in the workbook's language.
func (b *book) filterWords() [][2]string {
	f, l := b.f, b.l
	regions := l.T("export.all_regions")
	if len(f.Regions) > 0 {
		regions = strings.Join(f.Regions, ", ")
	}
	gender := l.T("export.all_genders")
	if f.Gender != "" {
		gender = l.T("gender." + f.Gender)
	}
	workType := l.T("export.all_work_types")
	if f.WorkType != "" {
		workType = l.T("work_type." + f.WorkType)
	}
	var period []string
	if !f.From.IsZero() {
		period = append(period, l.T("filter.from_is", l.Date(f.From)))
	}
	if !f.To.IsZero() {
		period = append(period, l.T("filter.to_is", l.Date(f.To)))
	}
	if len(period) == 0 {
		period = []string{l.T("export.all_periods")}
	}
	return [][2]string{
		{l.T("filter.region"), regions},
		{l.T("filter.gender"), gender},
		{l.T("filter.work_type"), workType},
		{l.T("export.period"), strings.Join(period, " ")},
	}
}

// filterLine is the filter in words on one line.
func (b *book) filterLine() string {
	var parts []string
	for _, p := range b.filterWords() {
		parts = append(parts, p[1])
	}
	return strings.Join(parts, " · ")
}

// when writes a moment the workbook's way: 1 Desember 2026 09:30 WIB.
func (b *book) when(t time.Time) string {
	return b.l.Date(t) + " " + t.Format("15:04 MST")
}

// cover writes Ringkasan: the title, the filter, when the workbook was made
// and from which data, then the key figures of every section; with a
// comparison, the earlier period's beside them and the change.
func (b *book) cover() error {
	l, st, sum := b.l, b.st, b.r.Summary
	cmp := sum.Compare
	widths := []float64{46, 48}
	header := 2 + len(b.filterWords()) + 1 + 1 + 1 + 1 // title, blank, filter, generated, import, blank, header
	if b.r.Latest != nil {
		header++ // the import's file
	}
	if cmp != nil {
		header++ // the earlier period
		widths = []float64{46, 26, 26, 16, 16}
	}
	s := b.newSheet(sheetCover, 0, header, widths...)
	s.wide(st.title, l.T("export.title"), 2)
	s.skip(1)
	for _, p := range b.filterWords() {
		s.add(text(st.label, p[0]), text(st.label, p[1]))
	}
	if cmp != nil {
		s.add(text(st.label, l.T("export.compare."+cmp.Mode)), text(st.label, periodWords(l, cmp.Filter)))
	}
	s.add(text(st.label, l.T("export.generated")), text(st.label, b.when(b.now)))
	if im := b.r.Latest; im != nil {
		s.add(text(st.label, l.T("export.data_as_of")), text(st.label, l.T("export.import_n", im.ID, b.when(im.At.Local()))))
		s.add(text(st.label, l.T("export.import_file")), text(st.label, im.FileName))
	} else {
		s.add(text(st.label, l.T("export.data_as_of")), text(st.label, l.T("export.no_import")))
	}
	s.skip(1)

	now := keyFigures(l, sum, b.r.ByRegion)
	if cmp == nil {
		s.add(text(st.header, l.T("kpi.label")), text(st.header, l.T("export.value")))
		for _, k := range now {
			s.add(text(st.label, k.label), k.cell(st, k.v))
		}
	} else {
		before := keyFigures(l, cmp.Summary, b.r.EarlierByRegion)
		s.add(s.headers([]string{l.T("kpi.label"), periodWords(l, sum.Filter), periodWords(l, cmp.Filter),
			l.T("export.change"), l.T("export.change_pct")})...)
		for i, k := range now {
			row := []any{text(st.label, k.label), k.cell(st, k.v), k.cell(st, before[i].v), excelize.Cell{StyleID: st.num}, excelize.Cell{StyleID: st.pct}}
			if k.v != nil && before[i].v != nil {
				row[3] = k.cell(st, ptr(*k.v-*before[i].v))
				if *before[i].v != 0 {
					row[4] = pct(st.pct, ptr((*k.v-*before[i].v) / *before[i].v))
				}
			}
			s.add(row...)
		}
	}
	if n := NotApplied(b.f, NotForPeople, l); n != "" {
		s.wide(st.note, l.T("kpi.not_applied_people", n), 2)
	}
	if n := NotApplied(b.f, NotForGroups, l); n != "" {
		s.wide(st.note, l.T("kpi.not_applied_groups", n), 2)
	}
	return s.flush()
}

// keyFigure is one of the cover's key figures: a count, or a share (nil
// when there is nothing to divide by).
type keyFigure struct {
	label string
	share bool
	v     *float64
}

func (k keyFigure) cell(st workbookStyles, v *float64) excelize.Cell {
	if k.share {
		return pct(st.pct, v)
	}
	if v == nil {
		return excelize.Cell{StyleID: st.num}
	}
	return excelize.Cell{StyleID: st.num, Value: int(math.Round(*v))}
}

func ptr(f float64) *float64 { return &f }

// keyFigures are the cover's key figures of one summary.
func keyFigures(l *locale.Locale, sum *queries.Summary, byRegion []queries.RegionOrganizing) []keyFigure {
	var list []keyFigure
	figure := func(label string, v int) { list = append(list, keyFigure{label, false, ptr(float64(v))}) }
	share := func(label string, p *float64) { list = append(list, keyFigure{label, true, p}) }
	fac, rs, org := sum.Facilitators, sum.Respondents, sum.Organizing
	genders := GenderColumns(l)
	figure(l.T("export.kpi.facilitators"), fac.Total)
	figure(l.T("export.kpi.of_facilitators", genders[0]), fac.Female)
	figure(l.T("export.kpi.of_facilitators", genders[1]), fac.Male)
	figure(l.T("export.kpi.of_facilitators", genders[2]), fac.Unknown)
	figure(l.T("export.kpi.regions"), len(RegionsCovered(fac, rs, byRegion)))
	figure(l.T("export.kpi.respondents"), rs.Total)
	figure(l.T("export.kpi.of_respondents", l.T("work_type.POS")), rs.ByWorkType.POS)
	figure(l.T("export.kpi.of_respondents", l.T("work_type.SE")), rs.ByWorkType.SE)
	figure(l.T("export.kpi.of_respondents", genders[0]), rs.ByGender.Female)
	figure(l.T("export.kpi.of_respondents", genders[1]), rs.ByGender.Male)
	figure(l.T("export.kpi.of_respondents", genders[2]), rs.ByGender.Unknown)
	share(l.T("export.kpi.pos_share"), queries.Share(rs.ByWorkType.POS, rs.Total))
	labels := ProblemLabels(l)
	for i, p := range sum.Problems {
		share(l.T("export.kpi.problem", labels[i]), p.Share)
	}
	figure(l.T("export.kpi.groups"), org.Groups)
	figure(l.T("export.kpi.groups_formed"), GroupsFormed(org))
	figure(l.T("export.kpi.members"), org.Members)
	return list
}

// periodWords is a filter's period: "1 Januari 2015 – 31 Maret 2015".
func periodWords(l *locale.Locale, f queries.Filter) string {
	return l.Date(f.From) + " – " + l.Date(f.To)
}

// facilitators writes Fasilitator: facilitators per region by gender, a
// totals row, and a stacked column chart of the regions.
func (b *book) facilitators() error {
	l, st, fac := b.l, b.st, b.r.Summary.Facilitators
	const cols = 5
	last := firstDataRow + len(fac.ByRegion) - 1
	genders := GenderColumns(l)
	if len(fac.ByRegion) > 0 {
		var series []excelize.ChartSeries
		for i := range genders {
			series = append(series, excelize.ChartSeries{Name: absCell(sheetFacilitate, 2+i, headerRow),
				Categories: colRange(sheetFacilitate, 1, firstDataRow, last), Values: colRange(sheetFacilitate, 2+i, firstDataRow, last)})
		}
		if err := b.addChart(sheetFacilitate, cellName(cols+2, headerRow), excelize.ColStacked, l.T("chart.facilitators-by-region"), series, "#,##0", false); err != nil {
			return err
		}
	}
	s := b.newSheet(sheetFacilitate, firstDataRow, headerRow, 30, 14, 14, 16, 14)
	s.sectionHead(l.T("chart.facilitators-by-region"), cols, b.notAppliedNote(NotForPeople))
	s.table(FacilitatorsByRegion(l, fac))
	if len(fac.ByRegion) == 0 {
		s.add(text(st.note, l.T("export.no_data")))
	}
	s.add(text(st.totalLabel, l.T("col.total")), num(st.totalNum, fac.Female), num(st.totalNum, fac.Male),
		num(st.totalNum, fac.Unknown), num(st.totalNum, fac.Total))
	return s.flush()
}

// problems writes Masalah: the prevalence of the nine problems with a bar
// chart, then the region × problem matrix of shares.
func (b *book) problems() error {
	l, st, sum := b.l, b.st, b.r.Summary
	const cols = 4
	last := firstDataRow + len(sum.Problems) - 1
	series := []excelize.ChartSeries{{Name: absCell(sheetProblems, 4, headerRow),
		Categories: colRange(sheetProblems, 1, firstDataRow, last), Values: colRange(sheetProblems, 4, firstDataRow, last)}}
	if err := b.addChart(sheetProblems, cellName(cols+2, headerRow), excelize.Bar, l.T("chart.problem-prevalence"), series, "0%", true); err != nil {
		return err
	}
	s := b.newSheet(sheetProblems, firstDataRow, headerRow, 34, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14)
	s.sectionHead(l.T("chart.problem-prevalence"), cols, "")
	s.table(ProblemPrevalence(l, sum.Problems))

	// The matrix starts below the chart: one row per region, its
	// respondents, and the share answering Ya to each problem.
	s.skipTo(max(s.row+3, headerRow+chartRows+2))
	s.add(text(st.subtitle, l.T("chart.problems-by-region")))
	// The chart's matrix with each region's respondents beside its name.
	matrix := ProblemsByRegion(l, sum.ProblemsByRegion)
	s.add(s.headers(append([]string{matrix.Columns[0], l.T("unit.respondents")}, matrix.Columns[1:]...))...)
	respondents := map[string]int{}
	for _, r := range sum.Respondents.ByRegion {
		respondents[r.Region] = r.Total
	}
	for _, row := range matrix.Rows {
		region := row[0].(string)
		s.add(s.cells(append([]any{RegionName(l, region), respondents[region]}, row[1:]...))...)
	}
	if len(matrix.Rows) == 0 {
		s.add(text(st.note, l.T("export.no_data")))
	}
	total := []any{text(st.totalLabel, l.T("export.all_regions")), num(st.totalNum, sum.Respondents.Total)}
	for _, p := range sum.Problems {
		total = append(total, pct(st.totalPct, p.Share))
	}
	s.add(total...)
	return s.flush()
}

// organizing writes Pengorganisasian: the funnel of stages with a bar
// chart, the group and member totals, then the groups per region by their
// highest stage.
func (b *book) organizing() error {
	l, st, org := b.l, b.st, b.r.Summary.Organizing
	const cols = 3
	last := firstDataRow + len(org.Funnel) - 1
	series := []excelize.ChartSeries{{Name: absCell(sheetOrganizing, 2, headerRow),
		Categories: colRange(sheetOrganizing, 1, firstDataRow, last), Values: colRange(sheetOrganizing, 2, firstDataRow, last)}}
	if err := b.addChart(sheetOrganizing, cellName(cols+2, headerRow), excelize.Bar, l.T("chart.organizing-funnel"), series, "#,##0", true); err != nil {
		return err
	}
	s := b.newSheet(sheetOrganizing, firstDataRow, headerRow, 30, 16, 16, 14, 14, 14, 14, 14, 14, 14)
	s.sectionHead(l.T("chart.organizing-funnel"), cols, b.notAppliedNote(NotForGroups))
	s.table(OrganizingFunnel(l, org))
	s.add(text(st.totalLabel, l.T("export.kpi.groups")), num(st.totalNum, org.Groups))
	s.add(text(st.totalLabel, l.T("export.kpi.members")), num(st.totalNum, org.Members))

	// Per region, below the chart.
	s.skipTo(max(s.row+3, headerRow+chartRows+2))
	s.add(text(st.subtitle, l.T("chart.groups-by-region-stage")))
	header := []any{text(st.header, l.T("col.region")), text(st.header, l.T("col.groups"))}
	for stage := 1; stage <= len(queries.StageNames)-1; stage++ {
		header = append(header, text(st.header, StageName(l, stage)))
	}
	s.add(append(header, text(st.header, l.T("col.members")))...)
	var groups, members int
	var atStage [6]int
	for _, r := range b.r.ByRegion {
		row := []any{text(st.label, RegionName(l, r.Region)), num(st.num, r.Groups)}
		for i, n := range r.AtStage {
			row = append(row, num(st.num, n))
			atStage[i] += n
		}
		s.add(append(row, num(st.num, r.Members))...)
		groups, members = groups+r.Groups, members+r.Members
	}
	if len(b.r.ByRegion) == 0 {
		s.add(text(st.note, l.T("export.no_data")))
	}
	total := []any{text(st.totalLabel, l.T("col.total")), num(st.totalNum, groups)}
	for _, n := range atStage {
		total = append(total, num(st.totalNum, n))
	}
	s.add(append(total, num(st.totalNum, members))...)
	return s.flush()
}

// notAppliedNote says which set parts of the filter a sheet's figures
// cannot apply, or "".
func (b *book) notAppliedNote(ignores []FilterPart) string {
	if n := NotApplied(b.f, ignores, b.l); n != "" {
		return b.l.T("export.not_applied", n)
	}
	return ""
}
