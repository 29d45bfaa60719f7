package dashboard_test

// Tests of the summary workbook, GET /exports/summary.xlsx: its figures are
// the summary API's for the same filter; its sheets, charts, frozen headers
// and number formats are there; uploaded text stays text; a bad filter is
// a clean 400.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/dashboard/report"
	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// htWorkbook fetches the summary workbook for query and opens it.
func (e *testEnv) htWorkbook(c *http.Client, query string) (*excelize.File, []byte) {
	e.t.Helper()
	r := e.htDo(c, "GET", withQ("/exports/summary.xlsx", query), nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("workbook ?%s: status %d: %.300s", query, r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != xlsxType {
		e.t.Errorf("workbook: Content-Type %q", ct)
	}
	wantCD := `attachment; filename=pantau-ringkasan-` + time.Now().Format(time.DateOnly) + `.xlsx` // mime.FormatMediaType quotes only when needed
	if cd := r.header.Get("Content-Disposition"); cd != wantCD {
		e.t.Errorf("workbook: Content-Disposition %q, want %q", cd, wantCD)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		e.t.Errorf("workbook: Cache-Control %q", cc)
	}
	body := []byte(r.body)
	return xlsxtest.Open(e.t, body), body
}

// wbCheckKeyFigures checks Ringkasan's key figures in column col (0-based)
// against sum.
func wbCheckKeyFigures(t *testing.T, x *excelize.File, sum queries.Summary, regionsCovered, col int) {
	t.Helper()
	fac, rs, org := sum.Facilitators, sum.Respondents, sum.Organizing
	cover := xlsxtest.RawRows(t, x, "Ringkasan")
	k := wbFind(t, cover, 0, "Angka utama") + 1
	want := []any{fac.Total, fac.Female, fac.Male, fac.Unknown, regionsCovered,
		rs.Total, rs.ByWorkType.POS, rs.ByWorkType.SE, rs.ByGender.Female, rs.ByGender.Male, rs.ByGender.Unknown,
		queries.Share(rs.ByWorkType.POS, rs.Total)}
	for _, p := range sum.Problems {
		want = append(want, p.Share)
	}
	formed := 0
	for _, st := range org.Funnel {
		if st.Stage == 4 {
			formed = st.Groups
		}
	}
	want = append(want, org.Groups, formed, org.Members)
	for i, w := range want {
		if xlsxtest.Cell(cover[k+i], 0) == "" {
			t.Errorf("Ringkasan row %d: no label", k+i+1)
		}
		xlsxtest.CellsAre(t, fmt.Sprintf("Ringkasan row %d (%s) column %d", k+i+1, xlsxtest.Cell(cover[k+i], 0), col+1), cover[k+i], col, w)
	}
}

// wbFind is the index of the first row at or after from whose first cell is first.
func wbFind(t *testing.T, rows [][]string, from int, first string) int {
	t.Helper()
	for i := from; i < len(rows); i++ {
		if xlsxtest.Cell(rows[i], 0) == first {
			return i
		}
	}
	t.Fatalf("no row starting %q after row %d", first, from+1)
	return -1
}

func wbRegion(r string) string {
	if r == "" {
		return "(tanpa wilayah)"
	}
	return r
}

// wbCheckFigures asserts that every figure of the workbook equals the
// summary's (and the organizing per region, regions covered as given).
func wbCheckFigures(t *testing.T, x *excelize.File, sum queries.Summary, byRegion []queries.RegionOrganizing, regionsCovered int) {
	t.Helper()
	fac, rs, org := sum.Facilitators, sum.Respondents, sum.Organizing

	// Ringkasan: the key figures, in order, under their header.
	wbCheckKeyFigures(t, x, sum, regionsCovered, 1)

	// Fasilitator: one row per region, then the totals.
	rows := xlsxtest.RawRows(t, x, "Fasilitator")
	xlsxtest.CellsAre(t, "Fasilitator header", rows[3], 0, "Wilayah", "Perempuan", "Laki-laki", "Tidak diketahui", "Jumlah")
	for i, r := range fac.ByRegion {
		xlsxtest.CellsAre(t, "Fasilitator "+r.Region, rows[4+i], 0, wbRegion(r.Region), r.Female, r.Male, r.Unknown, r.Total)
	}
	end := 4 + len(fac.ByRegion)
	if len(fac.ByRegion) == 0 {
		end++ // the no-data line
	}
	xlsxtest.CellsAre(t, "Fasilitator totals", rows[end], 0, "Jumlah", fac.Female, fac.Male, fac.Unknown, fac.Total)
	if len(rows) != end+1 {
		t.Errorf("Fasilitator: %d rows, want %d", len(rows), end+1)
	}

	// Masalah: the nine problems, then the region × problem matrix.
	rows = xlsxtest.RawRows(t, x, "Masalah")
	xlsxtest.CellsAre(t, "Masalah header", rows[3], 0, "Masalah", "Ya", "Dijawab", "Persentase")
	for i, p := range sum.Problems {
		xlsxtest.CellsAre(t, "Masalah "+p.Code, rows[4+i], 1, p.Yes, p.Answered, p.Share)
	}
	m := wbFind(t, rows, 4+len(sum.Problems), "Wilayah") + 1
	respondents := map[string]int{}
	for _, r := range rs.ByRegion {
		respondents[r.Region] = r.Total
	}
	n := 0
	for i := 0; i < len(sum.ProblemsByRegion); i += 9 {
		region := sum.ProblemsByRegion[i].Region
		want := []any{wbRegion(region), respondents[region]}
		for _, p := range sum.ProblemsByRegion[i : i+9] {
			want = append(want, queries.Share(p.Yes, p.Answered))
		}
		xlsxtest.CellsAre(t, "Masalah matrix "+region, rows[m+n], 0, want...)
		n++
	}
	if n == 0 {
		n++ // the no-data line
	}
	total := []any{"Semua wilayah", rs.Total}
	for _, p := range sum.Problems {
		total = append(total, p.Share)
	}
	xlsxtest.CellsAre(t, "Masalah matrix totals", rows[m+n], 0, total...)

	// Pengorganisasian: the funnel, the totals, then the groups per region.
	rows = xlsxtest.RawRows(t, x, "Pengorganisasian")
	for i, st := range org.Funnel {
		xlsxtest.CellsAre(t, "Pengorganisasian stage "+st.Name, rows[4+i], 0, fmt.Sprintf("%d. %s", st.Stage, st.Name), st.Groups, queries.Share(st.Groups, org.Groups))
	}
	xlsxtest.CellsAre(t, "Pengorganisasian groups", rows[4+len(org.Funnel)], 0, "Kelompok", org.Groups)
	xlsxtest.CellsAre(t, "Pengorganisasian members", rows[5+len(org.Funnel)], 0, "Anggota kelompok", org.Members)
	g := wbFind(t, rows, 6+len(org.Funnel), "Wilayah") + 1
	var groups, members int
	for i, r := range byRegion {
		want := []any{wbRegion(r.Region), r.Groups}
		for _, n := range r.AtStage {
			want = append(want, n)
		}
		xlsxtest.CellsAre(t, "Pengorganisasian "+r.Region, rows[g+i], 0, append(want, r.Members)...)
		groups, members = groups+r.Groups, members+r.Members
	}
	if groups != org.Groups || members != org.Members {
		t.Errorf("groups per region add up to %d groups, %d members; the funnel has %d, %d", groups, members, org.Groups, org.Members)
	}
	end = g + len(byRegion)
	if len(byRegion) == 0 {
		end++
	}
	xlsxtest.CellsAre(t, "Pengorganisasian region totals", rows[end], 0, "Jumlah", org.Groups)
	xlsxtest.CellsAre(t, "Pengorganisasian region totals", rows[end], 8, org.Members)
}

var kpiRegions = regexp.MustCompile(`data-kpi="regions"><span class="value">([0-9.]+)</span>`)

// The workbook's figures are the summary API's, for several filters.
func TestExportFiguresEqualSummary(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	ctx := context.Background()
	for _, q := range []string{
		"",
		"region=Kab.+Jember",
		"region=Kab.+Jember&region=Kota+Malang",
		"gender=P",
		"from=2014-10-01&to=2014-12-31",
		"gender=L&region=Kota+Malang&work_type=SE",
		"region=Kab.+Pacitan", // no data
	} {
		t.Run(q, func(t *testing.T) {
			sum := env.htSummary(c, q)
			byRegion, err := env.DB.OrganizingByRegion(ctx, sum.Filter)
			if err != nil {
				t.Fatal(err)
			}
			overview := env.get(c, withQ("/", q), http.StatusOK)
			m := kpiRegions.FindStringSubmatch(overview)
			if m == nil {
				t.Fatal("the overview page shows no regions tile")
			}
			covered, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
			x, _ := env.htWorkbook(c, q)
			wbCheckFigures(t, x, sum, byRegion, covered)
			if q == "" && (sum.Facilitators.Total == 0 || sum.Respondents.Total == 0 || sum.Organizing.Groups == 0) {
				t.Fatalf("the samples gave an empty summary: %+v", sum)
			}
		})
	}
}

// With a comparison the cover has both periods side by side: the figures
// of the filter and those of the API's "compare".summary.
func TestExportComparisonEqualsSummary(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	for _, q := range []string{
		"from=2015-01-01&to=2015-03-31&compare=previous",
		"region=Kab.+Jember&gender=P&from=2014-11-01&to=2015-04-30&compare=year",
	} {
		sum := env.htSummary(c, q)
		if sum.Compare == nil {
			t.Fatalf("%s: no comparison in the summary", q)
		}
		earlier := *sum.Compare.Summary
		covered := func(s queries.Summary) int {
			byRegion, err := env.DB.OrganizingByRegion(context.Background(), s.Filter)
			if err != nil {
				t.Fatal(err)
			}
			return len(report.RegionsCovered(s.Facilitators, s.Respondents, byRegion))
		}
		x, _ := env.htWorkbook(c, q)
		wbCheckKeyFigures(t, x, sum, covered(sum), 1)
		wbCheckKeyFigures(t, x, earlier, covered(earlier), 2)
		if sum.Respondents.Total == earlier.Respondents.Total {
			t.Errorf("%s: the same respondents in both periods (%d): the test shows nothing", q, sum.Respondents.Total)
		}
	}
}

// The cover says what was filtered, when the workbook was made and from
// which import, and the labels follow the language.
func TestExportCover(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	x, _ := env.htWorkbook(c, "")
	cover := xlsxtest.RawRows(t, x, "Ringkasan")
	text := func(rows [][]string) string {
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(strings.Join(r, " | ") + "\n")
		}
		return b.String()
	}
	got := text(cover)
	imports, err := env.DB.Imports(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ringkasan program pantau", "Wilayah | Semua wilayah", "Jenis kelamin | Semua jenis kelamin",
		"Periode survei | Seluruh periode survei", "Dibuat pada | ", fmt.Sprintf("Data per impor terakhir | Impor #%d, ", imports[0].ID),
		"Berkas impor terakhir | survei.xlsx"} {
		if !strings.Contains(got, want) {
			t.Errorf("Ringkasan lacks %q:\n%s", want, got)
		}
	}

	x, _ = env.htWorkbook(c, "region=Kab.+Jember&from=2014-10-01&gender=P&lang=en")
	got = text(xlsxtest.RawRows(t, x, "Ringkasan")) + text(xlsxtest.RawRows(t, x, "Fasilitator")) + text(xlsxtest.RawRows(t, x, "Pengorganisasian"))
	for _, want := range []string{"pantau programme summary", "Region | Kab. Jember", "Gender | Female", "Survey period | from 1 October 2014",
		"Filter: Kab. Jember · Female · All work types · from 1 October 2014",
		"The survey period filter does not apply to the figures on this sheet.", // facilitators
		"The gender filter does not apply to the figures on this sheet.",        // groups
		"Region | Female | Male | Unknown | Total"} {
		if !strings.Contains(got, want) {
			t.Errorf("the English workbook lacks %q:\n%s", want, got)
		}
	}
	if list := x.GetSheetList(); !slices.Equal(list, []string{"Ringkasan", "Fasilitator", "Masalah", "Pengorganisasian", "Target", "Kualitas"}) {
		t.Errorf("English sheets %v: the names are fixed Indonesian", list)
	}

	// No import yet: the cover says so.
	empty := newTestEnv(t, envOptions{})
	x, _ = empty.htWorkbook(empty.login("viewer"), "")
	if got := text(xlsxtest.RawRows(t, x, "Ringkasan")); !strings.Contains(got, "Data per impor terakhir | Belum ada impor") {
		t.Errorf("empty database: cover\n%s", got)
	}
}

// xlsxRels is a .rels part.
type xlsxRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// wbCharts returns, per sheet name, the XML of the charts its drawing
// holds, following the package's relationships from xl/workbook.xml.
func wbCharts(t *testing.T, body []byte) map[string][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		f, err := zr.Open(name)
		if err != nil {
			return nil
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		return b
	}
	rels := func(part string) xlsxRels {
		var r xlsxRels
		xml.Unmarshal(read(path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")), &r)
		return r
	}
	target := func(part, target string) string {
		if strings.HasPrefix(target, "/") {
			return strings.TrimPrefix(target, "/")
		}
		return path.Join(path.Dir(part), target)
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(read("xl/workbook.xml"), &wb); err != nil {
		t.Fatal(err)
	}
	charts := map[string][]string{}
	for _, s := range wb.Sheets {
		for _, r := range rels("xl/workbook.xml").Rels {
			if r.ID != s.RID {
				continue
			}
			sheetPart := target("xl/workbook.xml", r.Target)
			for _, d := range rels(sheetPart).Rels {
				if !strings.HasSuffix(d.Type, "/drawing") {
					continue
				}
				// The streamed worksheet itself must point at its drawing
				// (the stream writer spells the namespace prefix out
				// rather than "r:", so the XML is parsed, not matched).
				var ws struct {
					Drawing struct {
						RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
					} `xml:"drawing"`
				}
				if err := xml.Unmarshal(read(sheetPart), &ws); err != nil || ws.Drawing.RID != d.ID {
					t.Errorf("%s (%s) has a drawing relationship %s but its <drawing> names %q (%v)", s.Name, sheetPart, d.ID, ws.Drawing.RID, err)
				}
				drawingPart := target(sheetPart, d.Target)
				for _, ch := range rels(drawingPart).Rels {
					if strings.HasSuffix(ch.Type, "/chart") {
						charts[s.Name] = append(charts[s.Name], string(read(target(drawingPart, ch.Target))))
					}
				}
			}
		}
	}
	return charts
}

// The four sheets in order; a native chart on each section sheet, drawing
// from the sheet's own table; headers frozen, styled and sized; numbers
// formatted.
func TestExportLayout(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	x, body := env.htWorkbook(c, "")
	if list := x.GetSheetList(); !slices.Equal(list, []string{"Ringkasan", "Fasilitator", "Masalah", "Pengorganisasian", "Target", "Kualitas"}) {
		t.Fatalf("sheets %v", list)
	}
	// Kualitas holds the quality report the same user gets from the API:
	// the open flags' total (the sample plants some of every kind), and
	// every respondent in the completeness table.
	var q queries.QualityReport
	if err := json.Unmarshal([]byte(env.get(c, "/api/v1/quality", http.StatusOK)), &q); err != nil {
		t.Fatal(err)
	}
	var open, respondents int
	for _, n := range q.Counts {
		open += n
	}
	for _, r := range q.Completeness.Regions {
		for _, n := range r.Counts {
			respondents += n
		}
	}
	var totals []string
	for _, row := range xlsxtest.RawRows(t, x, "Kualitas") {
		if len(row) > 0 && row[0] == "Jumlah" {
			totals = append(totals, row[len(row)-1])
		}
	}
	if want := []string{strconv.Itoa(open), strconv.Itoa(respondents)}; len(totals) < 2 || !slices.Equal(totals[:2], want) || open < 20 {
		t.Errorf("Kualitas totals %q, want open flags and respondents %q", totals, want)
	}
	sum := env.htSummary(c, "")
	nFac := len(sum.Facilitators.ByRegion)
	charts := wbCharts(t, body)
	for _, tt := range []struct {
		sheet, dir string
		refs       []string
	}{
		{"Fasilitator", "col", []string{fmt.Sprintf("Fasilitator!$A$5:$A$%d", 4+nFac), fmt.Sprintf("Fasilitator!$B$5:$B$%d", 4+nFac),
			fmt.Sprintf("Fasilitator!$C$5:$C$%d", 4+nFac), "Fasilitator!$B$4"}},
		{"Masalah", "bar", []string{"Masalah!$A$5:$A$13", "Masalah!$D$5:$D$13"}},
		{"Pengorganisasian", "bar", []string{"Pengorganisasian!$A$5:$A$10", "Pengorganisasian!$B$5:$B$10"}},
	} {
		if len(charts[tt.sheet]) != 1 {
			t.Errorf("%s: %d charts, want 1", tt.sheet, len(charts[tt.sheet]))
			continue
		}
		ch := charts[tt.sheet][0]
		// The chart XML's prefix for the chart namespace is excelize's
		// choice (none, today), so it is optional here.
		if !regexp.MustCompile(`<(c:)?barDir val="` + tt.dir + `"`).MatchString(ch) {
			t.Errorf("%s: not a %s bar chart: %.300s", tt.sheet, tt.dir, ch)
		}
		for _, ref := range tt.refs {
			if !regexp.MustCompile(`<(c:)?f>` + regexp.QuoteMeta(ref) + `</(c:)?f>`).MatchString(ch) {
				t.Errorf("%s chart does not refer to %s", tt.sheet, ref)
			}
		}
	}
	if len(charts["Ringkasan"]) != 0 {
		t.Errorf("Ringkasan has %d charts, want none", len(charts["Ringkasan"]))
	}

	// Every worksheet lists its column widths in ascending order, as Excel does.
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			continue
		}
		r, _ := f.Open()
		var ws struct {
			Cols []struct {
				Min int `xml:"min,attr"`
				Max int `xml:"max,attr"`
			} `xml:"cols>col"`
		}
		err := xml.NewDecoder(r).Decode(&ws)
		r.Close()
		if err != nil || len(ws.Cols) == 0 {
			t.Errorf("%s: no column widths (%v)", f.Name, err)
		}
		for i := 1; i < len(ws.Cols); i++ {
			if ws.Cols[i].Min <= ws.Cols[i-1].Max {
				t.Errorf("%s: <col> %d-%d after %d-%d: not ascending", f.Name, ws.Cols[i].Min, ws.Cols[i].Max, ws.Cols[i-1].Min, ws.Cols[i-1].Max)
			}
		}
	}

	for _, sheet := range []string{"Fasilitator", "Masalah", "Pengorganisasian", "Target"} {
		p, err := x.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 4 || p.XSplit != 0 || p.TopLeftCell != "A5" {
			t.Errorf("%s panes %+v: want rows 1-4 (title to header) frozen", sheet, p)
		}
		// The header row is bold on a fill.
		id, _ := x.GetCellStyle(sheet, "A4")
		st, err := x.GetStyle(id)
		if err != nil || st.Font == nil || !st.Font.Bold || len(st.Fill.Color) == 0 {
			t.Errorf("%s A4 style %+v: want a bold header on a fill", sheet, st)
		}
		if w, _ := x.GetColWidth(sheet, "A"); w < 25 {
			t.Errorf("%s column A width %v", sheet, w)
		}
		merged, _ := x.GetMergeCells(sheet)
		if len(merged) == 0 || merged[0].GetStartAxis() != "A1" {
			t.Errorf("%s: the title is not merged across the table: %v", sheet, merged)
		}
	}
	numFmt := func(sheet, cell string) (int, string) {
		id, _ := x.GetCellStyle(sheet, cell)
		st, _ := x.GetStyle(id)
		if st.CustomNumFmt != nil {
			return st.NumFmt, *st.CustomNumFmt
		}
		return st.NumFmt, ""
	}
	for _, tt := range []struct {
		sheet, cell string
		fmt         int
		custom      string
	}{
		{"Fasilitator", "B5", 3, ""},                           // #,##0
		{"Fasilitator", fmt.Sprintf("E%d", 5+nFac), 3, ""},     // the totals
		{"Masalah", "B5", 3, ""}, {"Masalah", "D5", 0, "0.0%"}, // share
		{"Pengorganisasian", "B5", 3, ""}, {"Pengorganisasian", "C5", 0, "0.0%"},
	} {
		if f, custom := numFmt(tt.sheet, tt.cell); (tt.custom == "" && f != tt.fmt) || custom != tt.custom {
			t.Errorf("%s!%s number format %d %q, want %d %q", tt.sheet, tt.cell, f, custom, tt.fmt, tt.custom)
		}
	}
	if typ, _ := x.GetCellType("Fasilitator", "B5"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("Fasilitator!B5 is of type %v, want a number", typ)
	}
}

// Hostile text, as a Wilayah sheet adds it and as arbitrary text straight
// in the database, comes back from the workbook as the same text in string
// cells; no cell anywhere holds a formula.
func TestExportHostileTextStaysText(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	ctx := context.Background()
	ingestBytes(t, env.DB, t.TempDir(), "hostile.xlsx", htHostileBook(t))

	// Names the region normaliser would refuse, written below it: the
	// workbook must not rely on it.
	hostile := []string{`=HYPERLINK("http://x","y")`, `+1`, `-2`, `@SUM(A1)`, "\tx", "\rx", "\nx", `<script>alert(1)</script>`,
		`=1+1`, "=cmd|' /C calc'!A0"}
	fileName := `=HYPERLINK("http://evil.example/","klik").xlsx`
	b, err := env.DB.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	day := time.Date(2014, 10, 11, 0, 0, 0, 0, time.UTC)
	for i, r := range hostile {
		key := strconv.Itoa(i)
		if err := b.AddParticipant(queries.Participant{Row: i + 2, Key: "p" + key, Name: "F" + key, Gender: "P", Role: "Fasilitator Lapang",
			FieldFacilitator: true, Region: r}); err != nil {
			t.Fatal(err)
		}
		var problems [9]queries.Answer
		problems[0] = queries.Yes
		if err := b.AddRespondent(queries.Respondent{Row: i + 2, Key: "r" + key, ID: "R" + key, SurveyDate: day, Region: r,
			WorkType: "POS", MonthlyWage: -1, Problems: problems}); err != nil {
			t.Fatal(err)
		}
		if err := b.AddGroupStage(queries.GroupStage{Row: i + 2, Key: "g" + key, Code: "G" + key, Region: r, Stage: 4,
			ReachedOn: day, Members: 10}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := b.Commit(ctx, queries.ImportMeta{FileName: fileName, SHA256: "hostile", Size: 1, By: "test", At: time.Now()},
		func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil }); err != nil {
		t.Fatal(err)
	}

	c := env.login("viewer")
	for _, q := range []string{"", url.Values{"region": htRegions}.Encode()} {
		x, body := env.htWorkbook(c, q)
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if !strings.HasPrefix(f.Name, "xl/worksheets/") || !strings.HasSuffix(f.Name, ".xml") {
				continue
			}
			r, _ := f.Open()
			xmlText, _ := io.ReadAll(r)
			r.Close()
			if bytes.Contains(xmlText, []byte("<f>")) || bytes.Contains(xmlText, []byte("<f ")) {
				t.Errorf("?%s: %s holds a formula", q, f.Name)
			}
		}
		// Where each hostile text is found: sheet -> text -> count.
		found := map[string]map[string]int{}
		for _, sheet := range x.GetSheetList() {
			found[sheet] = map[string]int{}
			rows := xlsxtest.RawRows(t, x, sheet)
			for i, row := range rows {
				for j, v := range row {
					if v == "" {
						continue
					}
					cell := cellRef(j+1, i+1)
					if f, err := x.GetCellFormula(sheet, cell); err != nil || f != "" {
						t.Errorf("?%s: %s!%s has formula %q (%v)", q, sheet, cell, f, err)
					}
					if !slices.Contains(hostile, v) && !slices.Contains(htRegions, v) && v != fileName {
						continue
					}
					typ, err := x.GetCellType(sheet, cell)
					if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
						t.Errorf("?%s: %s!%s %q has cell type %v, want a string", q, sheet, cell, v, typ)
					}
					if got, _ := x.GetCellValue(sheet, cell); got != v {
						t.Errorf("?%s: %s!%s reads %q formatted, %q raw", q, sheet, cell, got, v)
					}
					found[sheet][v]++
				}
			}
		}
		want := hostile
		if q != "" {
			want = nil // the filter selects the Wilayah sheet's regions only
		}
		for _, sheet := range []string{"Fasilitator", "Masalah", "Pengorganisasian"} {
			for _, r := range append(append([]string{}, want...), htRegions...) {
				if found[sheet][r] == 0 {
					t.Errorf("?%s: %s does not show the region %q as it is", q, sheet, r)
				}
			}
		}
		if found["Ringkasan"][fileName] != 1 {
			t.Errorf("?%s: Ringkasan does not show the file name %q as it is", q, fileName)
		}
	}
}

func cellRef(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// A bad filter is a 400 with the reason, not a workbook; so is an
// anonymous request a redirect to the login page.
func TestExportBadFilter(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("viewer")
	for _, q := range []string{"gender=Q", "work_type=X", "from=2015-01-01&to=2014-01-01", "region=Malang", "from=kemarin"} {
		r := env.htDo(c, "GET", "/exports/summary.xlsx?"+q, nil)
		if r.status != http.StatusBadRequest {
			t.Errorf("?%s: status %d, want 400", q, r.status)
		}
		if ct := r.header.Get("Content-Type"); strings.Contains(ct, "spreadsheet") || r.header.Get("Content-Disposition") != "" {
			t.Errorf("?%s: Content-Type %q, Content-Disposition %q: want an error page", q, ct, r.header.Get("Content-Disposition"))
		}
		if !strings.Contains(r.body, "Saringan tidak valid") {
			t.Errorf("?%s: the error does not say the filter is invalid: %.300s", q, r.body)
		}
	}
	r := env.htDo(env.client(), "GET", "/exports/summary.xlsx?gender=P", nil)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login?next=") {
		t.Errorf("anonymous: status %d, Location %q", r.status, r.location())
	}
}

// Each dashboard page links the workbook for its own filter.
func TestExportLinkOnEveryPage(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	link := regexp.MustCompile(`<a href="(/exports/summary\.xlsx[^"]*)" download>Unduh ringkasan \(Excel\)</a>`)
	for _, page := range []string{"/", "/facilitators", "/problems", "/organizing"} {
		for _, q := range []string{"", "gender=P&region=Kab.+Jember"} {
			m := link.FindStringSubmatch(env.get(c, withQ(page, q), http.StatusOK))
			if m == nil {
				t.Errorf("%s?%s: no workbook link", page, q)
				continue
			}
			if got, want := html.UnescapeString(m[1]), withQ("/exports/summary.xlsx", q); got != want {
				t.Errorf("%s?%s: link %q, want %q", page, q, got, want)
			}
		}
	}
}
