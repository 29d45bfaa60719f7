package ingest_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/ingest"
	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
)

// anStyles is a minimal styles part, which Book does not write.
var anStyles = xlsxtest.Part{Name: "xl/styles.xml", Data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
	`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`)}

// anRed is anIsRed, for fills that may have no colour.
func anRed(fill excelize.Fill) bool {
	return len(fill.Color) == 1 && len(fill.Color[0]) >= 6 && anIsRed(fill)
}

// anErrors is a report of one error on each of cells of sheet, as one that
// came back through JSON.
func anErrors(sheet string, cells ...string) *ingest.Report {
	r := &ingest.Report{File: "x.xlsx"}
	for _, c := range cells {
		r.Problems = append(r.Problems, ingest.Problem{Severity: ingest.SeverityError, Sheet: sheet, Cell: c,
			Column: "Kolom", Value: "<&'\">", Message: "salah <b>&amp;</b> =1+1"})
	}
	r.ErrorCount, r.ProblemCount = len(r.Problems), len(r.Problems)
	return r
}

// The rows of an annotated sheet are the upload's, copied: cells without
// a reference, elements with a prefix, empty rows and a '>' inside a value
// come through, and cells in error that the upload does not have (in a row
// it has or not, before, between or after its cells) are added in order.
func TestAnnotateStreamsOddSheets(t *testing.T) {
	t.Parallel()
	const main = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<x:worksheet xmlns:x="` + main + `" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:y="urn:y">` +
		`<x:sheetData>` +
		`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a&gt;b</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>no ref</x:t></x:is></x:c><x:c r="D1" t="inlineStr"><x:is><x:t><![CDATA[<c r="Z9">]]></x:t></x:is></x:c></x:row>` +
		`<!-- <x:row r="2"> -->` +
		`<x:row r="3" y:note="a>b"/>` +
		`<x:row r="4"><x:c r="B4"><x:v>4</x:v></x:c></x:row>` +
		`<x:row><x:c r="A5"><x:v>5</x:v></x:c></x:row>` +
		`</x:sheetData></x:worksheet>`
	blank := excelize.NewFile()
	anMust(t, blank.SetSheetName("Sheet1", "Data"))
	data := xlsxtest.Replace(t, anWrite(t, blank), "xl/worksheets/sheet1.xml", []byte(sheet))
	cells := []string{"B1", "C1", "E1", "B3", "A4", "C4", "B2", "A5", "C7"}
	out := anAnnotate(t, data, anErrors("Data", cells...), "id")

	orig, got := xlsxtest.Open(t, data), xlsxtest.Open(t, out)
	want := anRows(t, orig, "Data")
	if have := anRows(t, got, "Data"); !slices.EqualFunc(want, have, slices.Equal) {
		t.Errorf("rows\n%q\nwant\n%q", have, want)
	}
	notes := anComments(t, got, "Data")
	for _, cell := range cells {
		if fill, _ := anFill(t, got, "Data", cell); !anRed(fill) {
			t.Errorf("Data!%s: fill %+v, want red", cell, fill)
		}
		if !strings.Contains(notes[cell], `salah <b>&amp;</b> =1+1`) || !strings.Contains(notes[cell], `<&'\">`) {
			t.Errorf("comment on %s = %q", cell, notes[cell])
		}
	}
	for _, cell := range []string{"A1", "D1", "B4"} {
		if fill, _ := anFill(t, got, "Data", cell); anRed(fill) {
			t.Errorf("Data!%s is red", cell)
		}
	}
	if len(notes) != len(cells) {
		t.Errorf("comments %q", notes)
	}
	rows := anRows(t, got, "Kesalahan")
	if len(rows) != len(cells)+1 || rows[1][4] != `<&'">` {
		t.Errorf("Kesalahan %q", rows)
	}

	// Once more, with B1 and E1 fixed: their marks go, the others stay.
	again := anAnnotate(t, out, anErrors("Data", "C1", "B3", "A4", "C4", "B2", "A5", "C7"), "en")
	f := xlsxtest.Open(t, again)
	for _, cell := range []string{"B1", "E1"} {
		if fill, _ := anFill(t, f, "Data", cell); anRed(fill) {
			t.Errorf("fixed Data!%s is still red", cell)
		}
	}
	if fill, _ := anFill(t, f, "Data", "C7"); !anRed(fill) {
		t.Errorf("Data!C7 is no longer red")
	}
	if n := len(anComments(t, f, "Data")); n != 7 {
		t.Errorf("%d comments, want 7", n)
	}
	if have := anRows(t, f, "Data"); !slices.EqualFunc(want, have, slices.Equal) {
		t.Errorf("rows after the second annotation\n%q", have)
	}
}

// bigSheet is a workbook of one sheet, Data, of n rows of survey-like
// text, about 200 bytes each, stored.
func bigSheet(t testing.TB, n int) []byte {
	var row bytes.Buffer
	for i := range 8 {
		fmt.Fprintf(&row, `<c t="inlineStr"><is><t>nilai %d kolom %c teks yang agak panjang</t></is></c>`, i, 'A'+i)
	}
	filler := []byte("<row>" + row.String() + "</row>")
	book := xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Data", XML: xlsxtest.SheetXML("", "")}}, nil, anStyles)
	return xlsxtest.BigBook(t, book, xlsxtest.Row(1, "ID", "Nama"), filler, n, "")
}

// peakHeap runs f and returns how far the heap grew above where it was
// before, sampled every few milliseconds.
func peakHeap(f func()) uint64 {
	// Little garbage, so that what grows is what is held.
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	return max(peak.Load(), base) - base
}

// Annotating a sheet of 60 MB holds a few MB of it, not the sheet: excelize
// took ten times the sheet's size.
func TestAnnotateMemoryBounded(t *testing.T) {
	data := bigSheet(t, 60<<20/610)
	if len(data) < 55<<20 {
		t.Fatalf("%d bytes", len(data))
	}
	r := anErrors("Data", "B2", "C1000", "D100000", "H150000", "I150001")
	var out bytes.Buffer
	start := time.Now()
	grew := peakHeap(func() {
		if err := ingest.Annotate(&out, data, r, "id"); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("a sheet of %d MB annotated in %v; the heap grew by %.1f MB at most; %d bytes written", len(data)>>20, time.Since(start), float64(grew)/(1<<20), out.Len())
	if grew > 32<<20 {
		t.Errorf("the heap grew by %d MB, want under 32", grew>>20)
	}
}

// TestAnnotateRSS builds the workbook of issue 9, a 5 MB upload whose sheet
// unpacks to 800 MB, and annotates it in a child process, which prints its
// peak resident memory (VmHWM) before and after. It runs only with
// PANTAU_ANNOTATE_RSS=1 (PANTAU_ANNOTATE_MB sets another size):
//
//	PANTAU_ANNOTATE_RSS=1 go test -run TestAnnotateRSS -v ./ingest/
func TestAnnotateRSS(t *testing.T) {
	if file := os.Getenv("PANTAU_ANNOTATE_FILE"); file != "" {
		annotateFileRSS(t, file) // the child
		return
	}
	if os.Getenv("PANTAU_ANNOTATE_RSS") == "" {
		t.Skip("set PANTAU_ANNOTATE_RSS=1 to measure")
	}
	mb, _ := strconv.Atoi(os.Getenv("PANTAU_ANNOTATE_MB"))
	if mb == 0 {
		mb = 800
	}
	book := xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Data", XML: xlsxtest.SheetXML("", "")}}, nil, anStyles)
	data := xlsxtest.DeflatedBook(t, book, func(w io.Writer) { surveyRows(w, mb<<20) })
	file := t.TempDir() + "/big.xlsx"
	anMust(t, os.WriteFile(file, data, 0o600))
	t.Logf("upload: %.1f MB, its sheet %d MB unpacked", float64(len(data))/(1<<20), mb)
	cmd := exec.Command(os.Args[0], "-test.run=^TestAnnotateRSS$", "-test.v")
	cmd.Env = append(os.Environ(), "PANTAU_ANNOTATE_FILE="+file)
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil {
		t.Fatal(err)
	}
}

func annotateFileRSS(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	anMust(t, err)
	t.Logf("before annotating: VmHWM %s, VmRSS %s", procStatus("VmHWM"), procStatus("VmRSS"))
	var cells []string
	for i := 1; i <= 1000; i++ {
		cells = append(cells, fmt.Sprintf("C%d", i*900))
	}
	var out bytes.Buffer
	start := time.Now()
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	if err := ingest.Annotate(&out, data, anErrors("Data", cells...), "id"); err != nil {
		t.Fatal(err)
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	t.Logf("annotated in %v (CPU %v): %.1f MB written; VmHWM %s, VmRSS %s", time.Since(start).Round(time.Millisecond), cpu.Round(time.Millisecond),
		float64(out.Len())/(1<<20), procStatus("VmHWM"), procStatus("VmRSS"))
}

// surveyRows writes rows of survey-like text, 20 columns, about 820
// bytes a row, up to size bytes: 800 MB is a million rows, deflated some
// 160 times (under the 200:1 a zip bomb is refused at).
func surveyRows(w io.Writer, size int) {
	bw := bufio.NewWriterSize(w, 1<<20)
	defer bw.Flush()
	var row []byte
	for n, written := 1, 0; written < size; n++ {
		row = fmt.Appendf(row[:0], `<row r="%d"><c t="inlineStr"><is><t>R%06d</t></is></c>`, n, n/7)
		for i := range 19 {
			row = fmt.Appendf(row, `<c t="inlineStr"><is><t>jawaban kolom %c</t></is></c>`, 'B'+i)
		}
		row = append(row, "</row>"...)
		bw.Write(row)
		written += len(row)
	}
}

func procStatus(field string) string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// What excelize would still hold has bounds, stated in the refusal: the
// parts other than the rows, and the cells to mark.
func TestAnnotateStreamBounds(t *testing.T) {
	t.Parallel()
	red := excelize.NewFile()
	style, err := red.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}})
	anMust(t, err)
	for row := 1; row <= 40; row++ { // 40 cells of 16,384 columns each, as excelize makes them
		anMust(t, red.SetCellStyle("Sheet1", fmt.Sprintf("XFD%d", row), fmt.Sprintf("XFD%d", row), style))
	}
	blank := anWrite(t, excelize.NewFile())
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"red cells": {anWrite(t, red), "this file cannot be annotated: more than 500000 cells are in error or filled red"},
		"big parts": {xlsxtest.Replace(t, blank, "docProps/app.xml", xlsxtest.Random(65<<20)), "this file cannot be annotated: apart from the worksheets' rows, its content exceeds 64 MiB once unpacked"},
	} {
		err := ingest.Annotate(io.Discard, c.data, anErrors("Sheet1", "A1"), "en")
		var qe *queries.Error
		if !errors.As(err, &qe) || qe.Code != queries.EINVALID || !strings.HasPrefix(qe.Message.EN, c.want) {
			t.Errorf("%s: %v, want an EINVALID error starting %q", name, err, c.want)
		}
	}
}
