package report_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/queries"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func f64(v float64) *float64 { return &v }

func str(s string) *string { return &s }

// summaryOf is a summary with respondents and groups, enough for the cover.
func summaryOf(f queries.Filter, respondents, pos, groupsFormed int, share *float64) *queries.Summary {
	s := &queries.Summary{Filter: f}
	s.Respondents = queries.RespondentSummary{Total: respondents, ByWorkType: queries.WorkTypeCounts{POS: pos, SE: respondents - pos},
		ByRegion: []queries.RegionCount{{Region: "Kab. Jember", Total: respondents}}}
	for i, code := range queries.ProblemCodes {
		p := queries.ProblemShare{Code: code, Label: queries.ProblemLabels[i]}
		if code == "h" {
			p.Share = share
		}
		s.Problems = append(s.Problems, p)
	}
	s.Organizing = queries.OrganizingSummary{Groups: groupsFormed, Funnel: []queries.StageCount{{Stage: 4, Groups: groupsFormed}}}
	return s
}

// comparedReport is a report of a quarter compared with the one before,
// with targets of every status; the region's name carries an ampersand,
// which a footer must escape.
func comparedReport() *queries.Report {
	const region = "Kab. Jember & Co"
	f := queries.Filter{Regions: []string{region}, From: day("2015-01-01"), To: day("2015-03-31")}
	earlier, _ := queries.EarlierFilter(f, queries.ComparePrevious)
	sum := summaryOf(f, 120, 90, 6, f64(0.5))
	sum.Compare = &queries.Comparison{Mode: queries.ComparePrevious, Filter: earlier, Summary: summaryOf(earlier, 80, 40, 6, f64(0.4))}
	target := func(ind string, kind queries.IndicatorKind, region *string, value float64, actual, achievement *float64, status string) queries.TargetResult {
		return queries.TargetResult{Indicator: ind, Kind: kind, Region: region, Period: "2015-Q1", Start: "2015-01-01", End: "2015-03-31",
			Target: value, Actual: actual, Achievement: achievement, Status: status}
	}
	return &queries.Report{Summary: sum, Targets: &queries.TargetReport{AsOf: "2015-02-15", Filter: f, Targets: []queries.TargetResult{
		target("responden", queries.FlowKind, nil, 200, f64(120), f64(0.6), queries.StatusOnTrack),
		target("responden", queries.FlowKind, str(region), 100, f64(30), f64(0.3), queries.StatusBehind),
		target("kelompok_terbentuk", queries.StockKind, str(region), 8, f64(6), f64(0.75), queries.StatusNear),
		target("anggota", queries.StockKind, str(region), 10.5, f64(12), f64(1.1429), queries.StatusMet),
		target("masalah_h", queries.ShareKind, str(region), 0.4, nil, nil, queries.StatusNoData),
		target("responden", queries.FlowKind, str("Kota Batu"), 10, nil, nil, queries.StatusNotStarted),
	}}}
}

func writeBook(t *testing.T, r *queries.Report, lang string) *excelize.File {
	t.Helper()
	l, _ := locale.Get(lang)
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, r, l, time.Date(2015, 2, 16, 9, 30, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// TestWorkbookPrintReady reads every sheet's page settings back: A4,
// landscape where wide, fit to one page wide, its header row repeated on
// every page, and a footer with the filter, the page numbers and the date.
func TestWorkbookPrintReady(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    *queries.Report
		want map[string]string // sheet: orientation and title row
	}{
		{"compared, with targets", comparedReport(), map[string]string{
			"Ringkasan": "landscape $11:$11", "Fasilitator": "landscape $4:$4", "Masalah": "landscape $4:$4",
			"Pengorganisasian": "landscape $4:$4", "Target": "landscape $4:$4"}},
		{"plain", &queries.Report{Summary: summaryOf(queries.Filter{}, 5, 2, 1, nil)}, map[string]string{
			"Ringkasan": "portrait $10:$10", "Fasilitator": "landscape $4:$4", "Masalah": "landscape $4:$4",
			"Pengorganisasian": "landscape $4:$4"}},
	} {
		x := writeBook(t, tt.r, "id")
		sheets := x.GetSheetList()
		if len(sheets) != len(tt.want) {
			t.Errorf("%s: sheets %v", tt.name, sheets)
		}
		titles := map[string]string{}
		for _, dn := range x.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Titles" {
				titles[dn.Scope] = dn.RefersTo
			}
		}
		for _, name := range sheets {
			want, ok := tt.want[name]
			if !ok {
				t.Errorf("%s: unexpected sheet %s", tt.name, name)
				continue
			}
			orientation, row, _ := strings.Cut(want, " ")
			pl, err := x.GetPageLayout(name)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Orientation == nil || *pl.Orientation != orientation || pl.FitToWidth == nil || *pl.FitToWidth != 1 ||
				pl.FitToHeight == nil || *pl.FitToHeight != 0 || pl.Size == nil || *pl.Size != 9 {
				t.Errorf("%s: %s: page layout %s", tt.name, name, layoutText(pl))
			}
			props, err := x.GetSheetProps(name)
			if err != nil {
				t.Fatal(err)
			}
			if props.FitToPage == nil || !*props.FitToPage {
				t.Errorf("%s: %s: not fit to page", tt.name, name)
			}
			if got, want := titles[name], "'"+name+"'!"+row; got != want {
				t.Errorf("%s: %s: print titles %q, want %q", tt.name, name, got, want)
			}
			hf, err := x.GetHeaderFooter(name)
			if err != nil || hf == nil {
				t.Fatalf("%s: %s: no footer: %v", tt.name, name, err)
			}
			for _, part := range []string{"&L", "&CHalaman &P dari &N&R16 Februari 2015"} {
				if !strings.Contains(hf.OddFooter, part) {
					t.Errorf("%s: %s: footer %q lacks %q", tt.name, name, hf.OddFooter, part)
				}
			}
			if tt.r.Summary.Compare != nil && !strings.Contains(hf.OddFooter, "Kab. Jember && Co") {
				t.Errorf("%s: %s: footer %q lacks the region with its & escaped", tt.name, name, hf.OddFooter)
			}
		}
	}
}

func layoutText(pl excelize.PageLayoutOptions) string {
	var b strings.Builder
	if pl.Orientation != nil {
		b.WriteString(*pl.Orientation)
	}
	for _, p := range []*int{pl.FitToWidth, pl.FitToHeight, pl.Size} {
		if p == nil {
			b.WriteString(" nil")
		} else {
			b.WriteString(" " + string(rune('0'+*p)))
		}
	}
	return b.String()
}

// TestWorkbookTargetsAndComparison: the Target sheet lists every target
// with its figures and status, coloured by a conditional format per
// status, with the regions' achievement and a chart of it; with a
// comparison, Ringkasan has both periods side by side and the change.
func TestWorkbookTargetsAndComparison(t *testing.T) {
	x := writeBook(t, comparedReport(), "en")
	rows, err := x.GetRows("Target")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[3][:7], "|"); got != "Indicator|Region|Period|Target|Actual|Achievement|Status" {
		t.Errorf("Target header %q", got)
	}
	if got := strings.Join(rows[3][8:12], "|"); got != "Region|Targets with data|Met or on track|Mean achievement" {
		t.Errorf("region header %q", got)
	}
	want := [][]string{
		{"Respondents surveyed", "Whole program", "2015-Q1", "200", "120", "60.0%", "on track"},
		{"Respondents surveyed", "Kab. Jember & Co", "2015-Q1", "100", "30", "30.0%", "behind"},
		{"Groups formed", "Kab. Jember & Co", "2015-Q1", "8", "6", "75.0%", "near"},
		{"Group members", "Kab. Jember & Co", "2015-Q1", "10.5", "12", "114.3%", "met"},
		{"Share reporting problem h (wage below the minimum)", "Kab. Jember & Co", "2015-Q1", "40.0%", "", "", "no data"},
		{"Respondents surveyed", "Kota Batu", "2015-Q1", "10", "", "", "not started"},
	}
	for i, w := range want {
		if got := rows[4+i]; !slices.Equal(pad(got, 7)[:7], w) {
			t.Errorf("Target row %d: %q, want %q", 5+i, pad(got, 7)[:7], w)
		}
	}
	// Per region: the whole program 1 judged, 1 on track, 60 %; the region
	// 3 judged (no data is not), 1 met, mean of 30 %, 75 %, 114.29 %.
	for i, w := range [][]string{{"Whole program", "1", "1", "60.0%"}, {"Kab. Jember & Co", "3", "1", "73.1%"}, {"Kota Batu", "0", "0", ""}} {
		if got := pad(rows[4+i], 12)[8:12]; !slices.Equal(got, w) {
			t.Errorf("region row %d: %q, want %q", i, got, w)
		}
	}
	formats, err := x.GetConditionalFormats("Target")
	if err != nil {
		t.Fatal(err)
	}
	rules := formats["G5:G10"]
	var values []string
	for _, r := range rules {
		values = append(values, r.Value)
		if r.Type != "cell" || r.Criteria != "equal to" || r.Format == nil {
			t.Errorf("rule %+v", r)
		}
	}
	if got := strings.Join(values, ","); got != `"met","on track","near","behind","not started","no data"` {
		t.Errorf("conditional formats on G5:G10: %s (all: %v)", got, formats)
	}
	// Masalah, Pengorganisasian and Target (Fasilitator has no region to draw).
	if n := chartCount(x); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}

	cover, _ := x.GetRows("Ringkasan")
	header := slices.IndexFunc(cover, func(r []string) bool { return len(r) > 0 && r[0] == "Key figures" })
	if header < 0 {
		t.Fatalf("no key figures on the cover: %q", cover)
	}
	if got := strings.Join(cover[header], "|"); got != "Key figures|1 January 2015 – 31 March 2015|3 October 2014 – 31 December 2014|Change|Change (%)" {
		t.Errorf("cover header %q", got)
	}
	find := func(label string) []string {
		for _, r := range cover[header:] {
			if len(r) > 0 && strings.HasPrefix(r[0], label) {
				return pad(r, 5)
			}
		}
		t.Fatalf("no row %q on the cover", label)
		return nil
	}
	if got := find("Respondents surveyed"); !slices.Equal(got, []string{got[0], "120", "80", "40", "50.0%"}) {
		t.Errorf("respondents row %q", got)
	}
	if got := find("POS workers"); got[1] != "75.0%" || got[2] != "50.0%" || got[3] != "25.0%" || got[4] != "50.0%" {
		t.Errorf("POS share row %q", got)
	}
	if got := find("Groups formed"); got[3] != "0" || got[4] != "0.0%" {
		t.Errorf("groups formed row %q: want no change", got)
	}
	if !slices.ContainsFunc(cover, func(r []string) bool {
		return len(r) > 1 && r[0] == "Compared with the previous period" && r[1] == "3 October 2014 – 31 December 2014"
	}) {
		t.Errorf("the cover does not name the earlier period: %q", cover)
	}
}

func pad(r []string, n int) []string {
	for len(r) < n {
		r = append(r, "")
	}
	return r
}

// chartCount is the number of charts in the workbook.
func chartCount(x *excelize.File) int {
	n := 0
	x.Pkg.Range(func(k, _ any) bool {
		if strings.HasPrefix(k.(string), "xl/charts/chart") {
			n++
		}
		return true
	})
	return n
}

// qualityReport is a quality report of two regions over three months, and
// facilitators whose names look like formulas.
func qualityReport() *queries.QualityReport {
	counts := map[string]int{}
	for _, kind := range queries.FlagKinds {
		counts[kind] = 0
	}
	counts[queries.FlagWageOutlier], counts[queries.FlagFacilitatorRegion] = 2, 1
	return &queries.QualityReport{
		Counts: counts,
		OpenByRegion: map[string]map[string]int{
			"Kab. Jember": {queries.FlagWageOutlier: 1, queries.FlagFacilitatorRegion: 1},
			"Kota Batu":   {queries.FlagWageOutlier: 1},
		},
		Completeness: queries.Completeness{
			Months:  []string{"2014-09", "2014-10", "2014-11"},
			Regions: []queries.RegionMonths{{Region: "Kab. Jember", Counts: []int{3, 0, 2}}, {Region: "Kota Batu", Counts: []int{1, 1, 0}}},
			Facilitators: []queries.FacilitatorMonths{
				{Name: `=HYPERLINK("http://example.test","klik")`, Region: "Kab. Jember", Counts: []int{3, 0, 2}, Gaps: 1},
				{Name: "+62 811", Region: "Kota Batu", Counts: []int{1, 1, 0}},
			},
		},
		Timeliness: queries.Timeliness{LateAfterDays: 45, Rows: 7, Late: 2,
			ByRegion: []queries.RegionLateness{{Region: "Kab. Jember", Rows: 5, Late: 2}, {Region: "Kota Batu", Rows: 2}}},
	}
}

// TestWorkbookQuality reads Kualitas back: open flags per region and kind
// (a checked one not counted) with totals, respondents per region and per
// facilitator and month, the timeliness under the limit set; formula-like
// names as text; print-ready like the other sheets.
func TestWorkbookQuality(t *testing.T) {
	r := &queries.Report{Summary: summaryOf(queries.Filter{}, 7, 4, 1, nil), Quality: qualityReport()}
	x := writeBook(t, r, "en")
	if got := x.GetSheetList(); !slices.Equal(got, []string{"Ringkasan", "Fasilitator", "Masalah", "Pengorganisasian", "Kualitas"}) {
		t.Fatalf("sheets %q", got)
	}
	rows, err := x.GetRows("Kualitas")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows {
		if line := strings.TrimRight(strings.Join(row, "|"), "|"); line != "" {
			got = append(got, line)
		}
	}
	zeros := strings.Repeat("|0", len(queries.FlagKinds)-2)
	kinds := ""
	for _, kind := range queries.FlagKinds {
		kinds += "|" + queries.FlagNames[kind].EN
	}
	want := []string{
		"Data quality",
		"Filter: All regions · All genders · All work types · The whole survey period",
		"Flags are findings, not errors: the data stays as uploaded. The counts are of flags not yet checked.",
		"Region" + kinds + "|Total",
		"Kab. Jember|1|1" + zeros + "|2",
		"Kota Batu|1|0" + zeros + "|1",
		"Total|2|1" + zeros + "|3",
		"Respondents per region and survey month",
		"Region|September 2014|October 2014|November 2014|Total",
		"Kab. Jember|3|0|2|5",
		"Kota Batu|1|1|0|2",
		"Total|4|1|2|7",
		"Respondents per facilitator and survey month",
		"Facilitator|Region|September 2014|October 2014|November 2014|Gaps",
		`=HYPERLINK("http://example.test","klik")|Kab. Jember|3|0|2|1`,
		"+62 811|Kota Batu|1|1|0|0",
		"Timeliness of imports per region",
		"Late: first imported more than 45 days after the end of the survey month.",
		"Region|Rows|Late|Late share",
		"Kab. Jember|5|2|40.0%",
		"Kota Batu|2|0|0.0%",
		"Total|7|2|28.6%",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Kualitas:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Uploaded names stay text: no formula, the value as typed.
	for i, row := range rows {
		if len(row) == 0 || (row[0] != `=HYPERLINK("http://example.test","klik")` && row[0] != "+62 811") {
			continue
		}
		cell := "A" + strconv.Itoa(i+1)
		formula, err := x.GetCellFormula("Kualitas", cell)
		typ, _ := x.GetCellType("Kualitas", cell)
		if err != nil || formula != "" || typ != excelize.CellTypeInlineString {
			t.Errorf("%s %q: formula %q, type %v, %v; want an inline string", cell, row[0], formula, typ, err)
		}
	}
	pl, err := x.GetPageLayout("Kualitas")
	if err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.Size == nil || *pl.Size != 9 {
		t.Errorf("page layout %s, %v", layoutText(pl), err)
	}
	var titles string
	for _, dn := range x.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == "Kualitas" {
			titles = dn.RefersTo
		}
	}
	if titles != "'Kualitas'!$4:$4" {
		t.Errorf("print titles %q", titles)
	}
	if hf, err := x.GetHeaderFooter("Kualitas"); err != nil || hf == nil || !strings.Contains(hf.OddFooter, "&CPage &P of &N") {
		t.Errorf("footer %+v, %v", hf, err)
	}
}
