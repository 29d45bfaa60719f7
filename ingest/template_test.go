package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/ingest"
	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
	"pantau/queries/querytest"
)

// templateSheets is the contract of the templates: the main data sheet first.
var templateSheets = map[string][]string{
	"peserta": {"Peserta"},
	"survei":  {"Responden", "Kelompok", "Wilayah"},
	"target":  {"Target"},
}

// wantVocabulary is what each closed-vocabulary column's drop-down must offer.
func wantVocabulary(k ingest.ValueKind) []string {
	switch k {
	case ingest.Region, ingest.NewRegion:
		return ingest.NewRegions().Names()
	case ingest.Gender:
		return []string{"P", "L"}
	case ingest.YesNo:
		return []string{"Ya", "Tidak"}
	case ingest.WorkType:
		return []string{"POS", "SE"}
	case ingest.Indicator:
		var codes []string
		for _, in := range queries.Indicators {
			codes = append(codes, in.Code)
		}
		return codes
	case ingest.Stage:
		return []string{"1. Pemetaan", "2. Pendekatan", "3. Pertemuan Kelompok", "4. Pembentukan Kelompok",
			"5. Pemilihan Pengurus", "6. Organisasi Berjalan"}
	}
	return nil
}

func specSheet(t *testing.T, name string) ingest.SheetInfo {
	t.Helper()
	for _, s := range ingest.Sheets() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no spec for sheet %s", name)
	return ingest.SheetInfo{}
}

func openTemplate(t *testing.T, workbook string) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := ingest.WriteTemplate(&buf, workbook); err != nil {
		t.Fatal(err)
	}
	return xlsxtest.Open(t, buf.Bytes())
}

func TestWriteTemplateUnknownWorkbook(t *testing.T) {
	err := ingest.WriteTemplate(io.Discard, "responden")
	if err == nil {
		t.Fatal("no error for an unknown workbook")
	}
	for _, want := range []string{`"responden"`, `"peserta"`, `"survei"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestTemplateMatchesSpecs(t *testing.T) {
	for workbook, names := range templateSheets {
		t.Run(workbook, func(t *testing.T) {
			f := openTemplate(t, workbook)
			want := append(append([]string{"Petunjuk"}, names...), "Daftar")
			if got := f.GetSheetList(); !slices.Equal(got, want) {
				t.Fatalf("sheets = %v, want %v", got, want)
			}
			if got := f.GetSheetName(f.GetActiveSheetIndex()); got != names[0] {
				t.Errorf("active sheet = %s, want %s", got, names[0])
			}
			if visible, _ := f.GetSheetVisible("Daftar"); visible {
				t.Error("the Daftar sheet is visible")
			}
			for _, s := range ingest.Sheets() {
				if s.Workbook == workbook && !slices.Contains(names, s.Name) {
					t.Errorf("sheet %s of workbook %s is not in the template", s.Name, workbook)
				}
			}
			var instructions strings.Builder
			rows, err := f.GetRows("Petunjuk")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				instructions.WriteString(strings.Join(r, "\t") + "\n")
			}
			for _, name := range names {
				checkDataSheet(t, f, specSheet(t, name), instructions.String())
			}
		})
	}
}

func checkDataSheet(t *testing.T, f *excelize.File, s ingest.SheetInfo, instructions string) {
	comments, err := f.GetComments(s.Name)
	if err != nil {
		t.Fatal(err)
	}
	commentAt := map[string]string{}
	for _, c := range comments {
		text := c.Text
		for _, r := range c.Paragraph {
			text += r.Text
		}
		commentAt[c.Cell] = text
	}
	validations, err := f.GetDataValidations(s.Name)
	if err != nil {
		t.Fatal(err)
	}
	if panes, err := f.GetPanes(s.Name); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s: panes = %+v, %v; want the header row frozen", s.Name, panes, err)
	}
	if !strings.Contains(instructions, s.Help) {
		t.Errorf("Petunjuk lacks the help of sheet %s: %q", s.Name, s.Help)
	}

	for i, c := range s.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		cell := col + "1"
		where := s.Name + "!" + cell
		if got, _ := f.GetCellValue(s.Name, cell); got != c.Header {
			t.Errorf("%s = %q, want header %q", where, got, c.Header)
		}
		comment := commentAt[cell]
		if !strings.Contains(comment, c.Help) {
			t.Errorf("%s: comment %q lacks the help %q", where, comment, c.Help)
		}
		if c.Required != strings.Contains(comment, "(wajib)") {
			t.Errorf("%s: comment %q; required = %v", where, comment, c.Required)
		}
		if !strings.Contains(instructions, c.Header) || !strings.Contains(instructions, c.Help) {
			t.Errorf("Petunjuk lacks column %s or its help", c.Header)
		}

		dv := columnValidation(validations, col)
		switch vocab := wantVocabulary(c.Kind); {
		case vocab != nil:
			if dv == nil || dv.Type != "list" {
				t.Errorf("%s: no drop-down list (%+v)", where, dv)
				continue
			}
			if got := dropDownValues(t, f, dv.Formula1); !slices.Equal(got, vocab) {
				t.Errorf("%s: drop-down offers %q, want %q", where, got, vocab)
			}
			lenient := !dv.ShowErrorMessage || (dv.ErrorStyle != nil && *dv.ErrorStyle != "stop")
			if c.Kind == ingest.NewRegion && !lenient {
				t.Errorf("%s: the drop-down refuses new regions", where)
			}
		case c.Kind == ingest.WholeNumber:
			if dv == nil || dv.Type != "whole" || dv.Formula1 != fmt.Sprint(c.Min) || dv.Formula2 != fmt.Sprint(c.Max) {
				t.Errorf("%s: validation %+v, want whole numbers %d–%d", where, dv, c.Min, c.Max)
			}
		}
	}
}

// columnValidation finds the validation of column col from row 2 down.
func columnValidation(dvs []*excelize.DataValidation, col string) *excelize.DataValidation {
	for _, dv := range dvs {
		for _, ref := range strings.Fields(dv.Sqref) {
			if strings.HasPrefix(ref, col+"2:"+col) {
				return dv
			}
		}
	}
	return nil
}

// dropDownValues reads a drop-down's values: a quoted literal list or a range
// of one column, such as Daftar!$A$2:$A$39.
func dropDownValues(t *testing.T, f *excelize.File, formula string) []string {
	t.Helper()
	if strings.HasPrefix(formula, `"`) {
		return strings.Split(strings.Trim(formula, `"`), ",")
	}
	sheet, ref, ok := strings.Cut(strings.ReplaceAll(formula, "$", ""), "!")
	from, to, ok2 := strings.Cut(ref, ":")
	if !ok || !ok2 {
		t.Fatalf("unexpected list formula %q", formula)
	}
	col, first, _ := excelize.CellNameToCoordinates(from)
	_, last, _ := excelize.CellNameToCoordinates(to)
	var values []string
	for row := first; row <= last; row++ {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		v, err := f.GetCellValue(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		values = append(values, v)
	}
	return values
}

// TestTemplateFilledInIngests fills every template in as a person would,
// choosing every value each drop-down offers, and uploads it for real.
func TestTemplateFilledInIngests(t *testing.T) {
	tables := map[string]string{"Peserta": "participants", "Responden": "respondents", "Kelompok": "group_stages", "Wilayah": "regions", "Target": "targets"}
	for workbook, names := range templateSheets {
		t.Run(workbook, func(t *testing.T) {
			db := querytest.Open(t)
			opt := ingest.Options{By: "test", DataDir: t.TempDir()}

			f := openTemplate(t, workbook)
			blank, err := f.WriteToBuffer()
			if err != nil {
				t.Fatal(err)
			}
			r := uploadTemplate(t, db, workbook+"-kosong.xlsx", blank.Bytes(), ingest.Options{DryRun: true})
			if !slices.Equal(r.IgnoredSheets, []string{"Petunjuk", "Daftar"}) {
				t.Errorf("ignored sheets = %v, want Petunjuk and Daftar", r.IgnoredSheets)
			}

			wantRows := map[string]int{}
			for _, name := range names {
				wantRows[name] = fillTemplateSheet(t, f, specSheet(t, name))
			}
			filled, err := f.WriteToBuffer()
			if err != nil {
				t.Fatal(err)
			}
			r = uploadTemplate(t, db, workbook+".xlsx", filled.Bytes(), opt)
			if r.ImportID == nil {
				t.Fatal("nothing was committed")
			}
			if len(r.Sheets) != len(names) {
				t.Errorf("report has %d sheets, want %d", len(r.Sheets), len(names))
			}
			for _, s := range r.Sheets {
				if s.Rows != wantRows[s.Sheet] || s.New != wantRows[s.Sheet] {
					t.Errorf("%s: %d rows, %d new; want %d", s.Sheet, s.Rows, s.New, wantRows[s.Sheet])
				}
				if stored := querytest.Count(t, db, tables[s.Sheet]); stored != wantRows[s.Sheet] {
					t.Errorf("%s: %d rows stored in %s, want %d", s.Sheet, stored, tables[s.Sheet], wantRows[s.Sheet])
				}
			}
			if workbook == "survei" {
				checkStoredSurvey(t, db)
			}
		})
	}
}

func uploadTemplate(t *testing.T, db *queries.DB, name string, data []byte, opt ingest.Options) *ingest.Report {
	t.Helper()
	r, err := ingest.Bytes(context.Background(), db, name, data, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK {
		for _, p := range r.Problems {
			t.Logf("%s %s: %s", p.Severity, p.Where(), p.Message)
		}
		t.Fatalf("%s: %d errors", name, r.ErrorCount)
	}
	return r
}

var templateFirstDate = time.Date(2014, 9, 11, 0, 0, 0, 0, time.UTC)

// fillTemplateSheet writes rows under the template's headers, one value per column
// chosen by its kind: row i takes the i-th value of each drop-down (read
// from the template itself, cycling), so that every offered value is
// uploaded once. It returns the number of rows written.
func fillTemplateSheet(t *testing.T, f *excelize.File, s ingest.SheetInfo) int {
	t.Helper()
	validations, err := f.GetDataValidations(s.Name)
	if err != nil {
		t.Fatal(err)
	}
	lists := make([][]string, len(s.Columns))
	n := 3
	for j := range s.Columns {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if dv := columnValidation(validations, col); dv != nil && dv.Type == "list" {
			lists[j] = dropDownValues(t, f, dv.Formula1)
			n = max(n, len(lists[j]))
		}
	}
	for i := range n {
		for j, c := range s.Columns {
			var v any
			switch {
			case lists[j] != nil:
				v = lists[j][i%len(lists[j])]
			case c.Kind == ingest.Date:
				v = templateFirstDate.AddDate(0, 0, i) // a real date cell
			case c.Kind == ingest.Money:
				v = 1_250_000 + 1000*i
			case c.Kind == ingest.WholeNumber:
				v = c.Min + i%(c.Max-c.Min+1)
			case c.Kind == ingest.Period:
				v = fmt.Sprintf("%d-%02d", 2014+i/12, i%12+1) // a month per row, so keys are unique
			case c.Kind == ingest.TargetNumber:
				v = fmt.Sprint(i % 100) // a count, or a share in percent
			default:
				v = fmt.Sprintf("%s %d", c.Header, i+1) // unique, so keys are too
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := f.SetCellValue(s.Name, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return n
}

// checkStoredSurvey looks at rows the survey template's drop-downs produced.
func checkStoredSurvey(t *testing.T, db *queries.DB) {
	var malang [][]any
	for _, row := range querytest.Stored(t, db, "respondents", "region", "survey_date", "gender") {
		if row[0] == "Kab. Malang" {
			malang = append(malang, row[1:])
		}
	}
	if len(malang) == 0 {
		t.Fatal("no respondent of Kab. Malang stored")
	}
	surveyed, _ := malang[0][0].(time.Time)
	gender, _ := malang[0][1].(string)
	// Row i holds the i-th region and the date i days after the first.
	i := slices.Index(ingest.NewRegions().Names(), "Kab. Malang")
	if want := templateFirstDate.AddDate(0, 0, i); !surveyed.Equal(want) || (gender != "P" && gender != "L") {
		t.Errorf("Kab. Malang: surveyed %v, gender %q; want %v and P or L", surveyed, gender, want)
	}
	groups := 0
	for _, row := range querytest.Rows(t, db, "group_stages", "stage") {
		if row == "3" {
			groups++
		}
	}
	if groups == 0 {
		t.Error(`no group reached stage 3; "3. Pertemuan Kelompok" was not read`)
	}
}
