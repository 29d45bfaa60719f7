package ingest_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pantau/ingest"
	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
)

// The cells the tests break in the sample survey, with what they put there
// and the good value a user fixes them with.
var anBroken = []struct{ cell, bad, good string }{
	{"B5", "32/13/2015", "19/10/2015"}, // Tanggal Survei: no such date
	{"C7", "Kab. Atlantis", "Kab. Malang"},
	{"I9", "=1+1", "POS"}, // Jenis Pekerjaan, looking like a formula
}

// anSurvey is the sample survey with the broken cells, a comment of
// someone else's on C7 and an autofilter (a defined name scoped to the sheet).
func anSurvey(t *testing.T) []byte {
	t.Helper()
	f, err := excelize.OpenFile("../sampledata/survei.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, b := range anBroken {
		anMust(t, f.SetCellStr("Responden", b.cell, b.bad))
	}
	anMust(t, f.AddComment("Responden", excelize.Comment{Cell: "C7", Author: "Ali", Text: "cek lagi"}))
	anMust(t, f.AutoFilter("Responden", "A1:T2001", nil))
	return anWrite(t, f)
}

func anMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func anWrite(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	buf, err := f.WriteToBuffer()
	anMust(t, err)
	return buf.Bytes()
}

func anAnnotate(t *testing.T, data []byte, r *ingest.Report, lang string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ingest.Annotate(&buf, data, r, lang); err != nil {
		t.Fatalf("Annotate: %v", err)
	}
	return buf.Bytes()
}

func anDryRun(e *env, name string, data []byte) *ingest.Report {
	e.t.Helper()
	return e.upload(name, data, ingest.Options{DryRun: true})
}

// anComments maps a sheet's commented cells to "author: text".
func anComments(t *testing.T, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	list, err := f.GetComments(sheet)
	anMust(t, err)
	m := map[string]string{}
	for _, c := range list {
		text := c.Text
		for _, run := range c.Paragraph {
			text += run.Text
		}
		if _, dup := m[c.Cell]; dup {
			t.Errorf("%s!%s: two comments", sheet, c.Cell)
		}
		m[c.Cell] = c.Author + ": " + text
	}
	return m
}

func anFill(t *testing.T, f *excelize.File, sheet, cell string) (excelize.Fill, *excelize.Style) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	anMust(t, err)
	s, err := f.GetStyle(id)
	anMust(t, err)
	return s.Fill, s
}

// anIsRed says whether a solid fill's colour is clearly red.
func anIsRed(fill excelize.Fill) bool {
	if fill.Type != "pattern" || fill.Pattern != 1 || len(fill.Color) != 1 {
		return false
	}
	c := fill.Color[0]
	rgb, err := strconv.ParseUint(c[len(c)-6:], 16, 32)
	r, g, b := rgb>>16, rgb>>8&0xFF, rgb&0xFF
	return err == nil && r >= 0xC0 && r > g+0x20 && r > b+0x20
}

// anStringCell checks that a cell holds text, not a formula.
func anStringCell(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	anMust(t, err)
	formula, err := f.GetCellFormula(sheet, cell)
	anMust(t, err)
	typ, err := f.GetCellType(sheet, cell)
	anMust(t, err)
	if got != want || formula != "" || typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("%s!%s = %q (formula %q, type %v), want the string %q", sheet, cell, got, formula, typ, want)
	}
}

func anRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	anMust(t, err)
	return rows
}

func TestAnnotateSurvey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := anSurvey(t)
	r := anDryRun(e, "survei.xlsx", data)
	if r.OK || r.ErrorCount != len(anBroken) {
		t.Fatalf("want %d errors\n%s", len(anBroken), problems(r))
	}
	out := anAnnotate(t, data, r, "id")
	orig, got := xlsxtest.Open(t, data), xlsxtest.Open(t, out)

	if list := got.GetSheetList(); list[0] != "Kesalahan" || got.GetActiveSheetIndex() != 0 ||
		!slices.Equal(list[1:], orig.GetSheetList()) {
		t.Errorf("sheets %q (active %d), want Kesalahan first and active, then %q", list, got.GetActiveSheetIndex(), orig.GetSheetList())
	}
	rows := anRows(t, got, "Kesalahan")
	equalList(t, "header", rows[0], []string{"No", "Lembar", "Sel", "Kolom", "Nilai", "Masalah"})
	if panes, err := got.GetPanes("Kesalahan"); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v, %v: want the header frozen", panes, err)
	}
	for i, b := range anBroken {
		p, ok := problemAt(r, "Responden", b.cell)
		if !ok {
			t.Fatalf("no problem at %s\n%s", b.cell, problems(r))
		}
		n := i + 2
		equalList(t, fmt.Sprintf("row %d", n), rows[n-1], []string{strconv.Itoa(i + 1), "Responden", b.cell, p.Column, b.bad, p.Message})
		anStringCell(t, got, "Kesalahan", fmt.Sprintf("E%d", n), b.bad)
		if ok, loc, err := got.GetCellHyperLink("Kesalahan", fmt.Sprintf("C%d", n)); !ok || err != nil || loc != "'Responden'!"+b.cell {
			t.Errorf("link of C%d: %v %q %v, want 'Responden'!%s", n, ok, loc, err, b.cell)
		}

		fill, style := anFill(t, got, "Responden", b.cell)
		_, was := anFill(t, orig, "Responden", b.cell)
		if !anIsRed(fill) || !anSameButFill(style, was) {
			t.Errorf("Responden!%s: fill %+v, style %+v, want red and otherwise %+v", b.cell, fill, style, was)
		}
	}
	anStringCell(t, got, "Responden", "I9", "=1+1")

	notes := anComments(t, got, "Responden")
	if len(notes) != len(anBroken) {
		t.Errorf("comments %q, want one on each broken cell", notes)
	}
	for _, b := range anBroken {
		p, _ := problemAt(r, "Responden", b.cell)
		if !strings.HasPrefix(notes[b.cell], "pantau: pantau:\n"+p.Message) || !strings.Contains(notes[b.cell], b.bad) {
			t.Errorf("comment on %s = %q, want pantau's with %q", b.cell, notes[b.cell], p.Message)
		}
	}
	if !strings.HasSuffix(notes["C7"], "\nAli\ncek lagi") {
		t.Errorf("comment on C7 = %q: want Ali's kept in it", notes["C7"])
	}

	// Warnings (facilitators not among the participants of an empty
	// database) come after the errors, unmarked.
	if heading := slices.IndexFunc(rows, func(row []string) bool { return len(row) == 1 && strings.HasPrefix(row[0], "Peringatan") }); heading != len(anBroken)+2 {
		t.Errorf("warnings heading at row %d, want %d: %q", heading+1, len(anBroken)+3, rows)
	} else if w := rows[heading+1]; len(w) < 6 || w[0] != "1" || w[3] != "Fasilitator" || notes[w[2]] != "" {
		t.Errorf("first warning %q (comment %q)", w, notes[w[2]])
	}

	// Everything else is as it was: values, styles, the other sheets, the
	// autofilter's defined name still on Responden.
	for _, sheet := range orig.GetSheetList() {
		want, have := anRows(t, orig, sheet), anRows(t, got, sheet)
		if sheet == "Responden" {
			for _, b := range anBroken {
				c, r, _ := excelize.CellNameToCoordinates(b.cell)
				if have[r-1][c-1] != b.bad {
					t.Errorf("Responden!%s = %q", b.cell, have[r-1][c-1])
				}
			}
		}
		if !slices.EqualFunc(want, have, slices.Equal) {
			t.Errorf("sheet %s changed", sheet)
		}
	}
	for _, cell := range []string{"A5", "B6", "C8", "I10", "K7"} {
		a, _ := orig.GetCellStyle("Responden", cell)
		b, _ := got.GetCellStyle("Responden", cell)
		equal(t, "style of Responden!"+cell, b, a)
	}
	equalList(t, "defined names", anDefinedNames(got), anDefinedNames(orig))

	// The user fixes the cells in the annotated file and uploads it again.
	fixed := xlsxtest.Open(t, out)
	for _, b := range anBroken {
		anMust(t, fixed.SetCellValue("Responden", b.cell, b.good))
	}
	again := anDryRun(e, "survei.xlsx", anWrite(t, fixed))
	if !again.OK {
		t.Fatalf("the fixed file is refused\n%s", problems(again))
	}
	equal(t, "respondents", sheetReport(t, again, "Responden").Rows, 2000)
	equal(t, "new respondents", sheetReport(t, again, "Responden").New, 2000)
	if !slices.Contains(again.IgnoredSheets, "Kesalahan") {
		t.Errorf("ignored sheets %q, want Kesalahan", again.IgnoredSheets)
	}
}

// anSameButFill says whether two styles differ in their fill only.
func anSameButFill(a, b *excelize.Style) bool {
	x, y := *a, *b
	x.Fill, y.Fill = excelize.Fill{}, excelize.Fill{}
	return reflect.DeepEqual(x, y)
}

func anDefinedNames(f *excelize.File) []string {
	var list []string
	for _, dn := range f.GetDefinedName() {
		list = append(list, dn.Scope+"|"+dn.Name+"|"+dn.RefersTo)
	}
	return list
}

// Annotating an annotated file marks it once, and a cell fixed since loses
// its marks: the red fill and pantau's comment, giving back the one it held.
func TestAnnotateTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := anSurvey(t)
	once := anAnnotate(t, data, anDryRun(e, "survei.xlsx", data), "id")
	twice := anAnnotate(t, once, anDryRun(e, "survei.xlsx", once), "id")
	f1, f2 := xlsxtest.Open(t, once), xlsxtest.Open(t, twice)
	equalList(t, "sheets", f2.GetSheetList(), f1.GetSheetList())
	if !slices.EqualFunc(anRows(t, f1, "Kesalahan"), anRows(t, f2, "Kesalahan"), slices.Equal) {
		t.Errorf("the second Kesalahan sheet differs:\n%q\n%q", anRows(t, f1, "Kesalahan"), anRows(t, f2, "Kesalahan"))
	}
	c1, c2 := anComments(t, f1, "Responden"), anComments(t, f2, "Responden")
	if len(c2) != len(anBroken) || c1["C7"] != c2["C7"] || c1["B5"] != c2["B5"] {
		t.Errorf("comments after two annotations:\n%q\nwant\n%q", c2, c1)
	}
	for _, b := range anBroken {
		a, _ := f1.GetCellStyle("Responden", b.cell)
		b, _ := f2.GetCellStyle("Responden", b.cell)
		equal(t, "style", b, a)
	}
	equalList(t, "defined names", anDefinedNames(f2), anDefinedNames(f1))

	// Fix two cells, break another, and annotate again.
	f := xlsxtest.Open(t, twice)
	anMust(t, f.SetCellValue("Responden", "B5", "19/10/2015"))
	anMust(t, f.SetCellValue("Responden", "C7", "Kab. Malang"))
	anMust(t, f.SetCellValue("Responden", "C10", "Kab. Narnia"))
	third := anWrite(t, f)
	r := anDryRun(e, "survei.xlsx", third)
	if r.ErrorCount != 2 {
		t.Fatalf("want 2 errors\n%s", problems(r))
	}
	f3 := xlsxtest.Open(t, anAnnotate(t, third, r, "id"))
	orig := xlsxtest.Open(t, data)
	c3 := anComments(t, f3, "Responden")
	equal(t, "C7's comment", c3["C7"], "Ali: cek lagi")
	equal(t, "B5's comment", c3["B5"], "")
	if !strings.HasPrefix(c3["C10"], "pantau: ") || !strings.HasPrefix(c3["I9"], "pantau: ") || len(c3) != 3 {
		t.Errorf("comments %q, want pantau's on C10 and I9 and Ali's on C7", c3)
	}
	for _, cell := range []string{"B5", "C7"} {
		// The style is the one the cell had before any annotation.
		a, _ := orig.GetCellStyle("Responden", cell)
		b, _ := f3.GetCellStyle("Responden", cell)
		fill, _ := anFill(t, f3, "Responden", cell)
		if a != b || anIsRed(fill) {
			t.Errorf("fixed %s: style %d, fill %+v; want style %d back", cell, b, fill, a)
		}
	}
	if fill, _ := anFill(t, f3, "Responden", "C10"); !anIsRed(fill) {
		t.Errorf("C10 fill %+v, want red", fill)
	}
	rows := anRows(t, f3, "Kesalahan")
	if rows[1][2] != "I9" || rows[2][2] != "C10" || len(rows[3]) != 0 {
		t.Errorf("Kesalahan rows %q, want I9 and C10", rows[:4])
	}
}

// A report of more than 1,000 problems lists the first 1,000 and says how
// many more errors there are; English headers and messages with lang "en",
// and a link into a sheet whose name has a space.
func TestAnnotateManyErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var data [][]any
	for i := 1; i <= 1100; i++ {
		data = append(data, resp(fmt.Sprintf("R%04d", i), "Kab. Atlantis"))
	}
	file := book(t, map[string][][]any{"Pekerja Rumahan": rows(respHeader, data...)})
	r := anDryRun(e, "survei.xlsx", file)
	if r.ErrorCount != 1100 || len(r.Problems) != 1000 {
		t.Fatalf("want 1,100 errors, 1,000 listed: %d, %d", r.ErrorCount, len(r.Problems))
	}
	f := xlsxtest.Open(t, anAnnotate(t, file, r, "en"))
	rows := anRows(t, f, "Kesalahan")
	equalList(t, "header", rows[0], []string{"No", "Sheet", "Cell", "Column", "Value", "Problem"})
	equal(t, "rows", len(rows), 1+1000+1)
	if last := rows[1001]; len(last) != 1 || !strings.Contains(last[0], "100 more errors") || !strings.Contains(last[0], "upload this file again") {
		t.Errorf("last row %q, want the line on 100 more errors", last)
	}
	r.Localize("en")
	if got := rows[1]; got[1] != "Pekerja Rumahan" || got[2] != "C2" || got[5] != r.Problems[0].Message || !strings.HasPrefix(got[5], "Wilayah \"Kab. Atlantis\"") {
		t.Errorf("first row %q, want the English message %q", got, r.Problems[0].Message)
	}
	if _, loc, _ := f.GetCellHyperLink("Kesalahan", "C1001"); loc != "'Pekerja Rumahan'!C1001" {
		t.Errorf("link of C1001 = %q", loc)
	}
	if n := len(anComments(t, f, "Pekerja Rumahan")); n != 1000 {
		t.Errorf("%d comments, want 1,000", n)
	}
}

// Sheet names with quotes get links that quote them; problems of a whole
// sheet or file are listed without one; no uploaded text, whatever it
// starts with, becomes a formula. The report here is built by hand, as one
// that came back through JSON: its messages are the only text it has.
func TestAnnotateQuotedSheetAndFormulaText(t *testing.T) {
	t.Parallel()
	sheet := "Survei 'Lama' 2"
	file := book(t, map[string][][]any{sheet: {{"a", "b"}}})
	values := []string{"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "=HYPERLINK(\"http://x\",\"y\")"}
	r := &ingest.Report{File: "x.xlsx"}
	for i, v := range values {
		r.Problems = append(r.Problems, ingest.Problem{Severity: ingest.SeverityError, Sheet: sheet, Cell: fmt.Sprintf("B%d", i+2),
			Column: "=Kolom", Value: v, Message: "-pesan " + v})
	}
	r.Problems = append(r.Problems,
		ingest.Problem{Severity: ingest.SeverityError, Sheet: sheet, Message: "sheet"},
		ingest.Problem{Severity: ingest.SeverityError, Message: "file"})
	r.ErrorCount, r.ProblemCount = len(r.Problems), len(r.Problems)

	f := xlsxtest.Open(t, anAnnotate(t, file, r, "id"))
	for i, v := range values {
		n := i + 2
		if _, loc, _ := f.GetCellHyperLink("Kesalahan", fmt.Sprintf("C%d", n)); loc != "'Survei ''Lama'' 2'!B"+strconv.Itoa(n) {
			t.Errorf("link of C%d = %q", n, loc)
		}
		anStringCell(t, f, "Kesalahan", fmt.Sprintf("B%d", n), sheet)
		anStringCell(t, f, "Kesalahan", fmt.Sprintf("D%d", n), "=Kolom")
		anStringCell(t, f, "Kesalahan", fmt.Sprintf("E%d", n), v)
		anStringCell(t, f, "Kesalahan", fmt.Sprintf("F%d", n), "-pesan "+v)
		if c := anComments(t, f, sheet)[fmt.Sprintf("B%d", n)]; !strings.Contains(c, "-pesan "+v) {
			t.Errorf("comment on B%d = %q", n, c)
		}
	}
	for n, want := range map[int][]string{len(values) + 2: {sheet, "sheet"}, len(values) + 3: {"", "file"}} {
		cell := fmt.Sprintf("C%d", n)
		sheetName, _ := f.GetCellValue("Kesalahan", fmt.Sprintf("B%d", n))
		msg, _ := f.GetCellValue("Kesalahan", fmt.Sprintf("F%d", n))
		if ok, _, _ := f.GetCellHyperLink("Kesalahan", cell); ok || sheetName != want[0] || msg != want[1] {
			t.Errorf("row %d: sheet %q, message %q, link %v; want %q", n, sheetName, msg, ok, want)
		}
	}
}

// A file pantau cannot open cannot be annotated, and says so in a message
// users may see; so does a file with a Kesalahan sheet of the user's own,
// which is not deleted.
func TestAnnotateRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pdf := []byte("%PDF-1.4 not a workbook")
	r := anDryRun(e, "x.xlsx", pdf)
	own := book(t, map[string][][]any{"Kesalahan": {{"Tanggal", "Catatan"}}, "Responden": rows(respHeader, resp("R1", "Kab. Atlantis"))})
	for name, c := range map[string]struct {
		data []byte
		r    *ingest.Report
		want string
	}{
		"pdf":       {pdf, r, "this file cannot be annotated: this is a PDF file"},
		"own sheet": {own, anDryRun(e, "y.xlsx", own), `this file cannot be annotated: its sheet "Kesalahan" was not written by pantau`},
	} {
		err := ingest.Annotate(&bytes.Buffer{}, c.data, c.r, "en")
		var qe *queries.Error
		if !errors.As(err, &qe) || qe.Code != queries.EINVALID || !strings.HasPrefix(qe.Message.EN, c.want) {
			t.Errorf("%s: Annotate = %v, want an EINVALID error starting %q", name, err, c.want)
		}
	}
	// A report of other bytes would mark the wrong cells: pantau's own failure.
	if err := ingest.Annotate(&bytes.Buffer{}, own, r, "en"); queries.ErrorCode(err) != queries.EINTERNAL {
		t.Errorf("Annotate with the report of another file = %v, want an internal error", err)
	}
}
