package xlsxtest

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Workbooks as Excel writes them, built with excelize from rows of values,
// and the checks of what a workbook pantau wrote holds.

// Tab is a sheet for Workbook: its name, its rows from row 1 down (a nil
// row or cell is left empty) and the ranges to merge ("A1:D1"). (A Sheet is
// one written as raw XML, for Book.)
type Tab struct {
	Name  string
	Rows  [][]any
	Merge []string
}

// Serial is a number cell formatted as a date: what Excel stores for a
// typed date.
type Serial float64

// Options are what a workbook has besides its sheets.
type Options struct {
	Date1904 bool // the 1904 date system, as Excel for Mac once wrote
}

// Workbook writes tabs, in order, to .xlsx bytes with excelize. A string is
// written as text, never as a formula; a Serial as a date; anything else as
// excelize's SetCellValue writes it.
func Workbook(t testing.TB, tabs ...Tab) []byte {
	t.Helper()
	return WorkbookWith(t, Options{}, tabs...)
}

// WorkbookWith is Workbook with options.
func WorkbookWith(t testing.TB, o Options, tabs ...Tab) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if o.Date1904 {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &o.Date1904}); err != nil {
			t.Fatal(err)
		}
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for i, tab := range tabs {
		if i == 0 {
			err = f.SetSheetName("Sheet1", tab.Name)
		} else {
			_, err = f.NewSheet(tab.Name)
		}
		if err != nil {
			t.Fatalf("sheet %q: %v", tab.Name, err)
		}
		for r, row := range tab.Rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				switch v := v.(type) {
				case string:
					err = f.SetCellStr(tab.Name, cell, v)
				case Serial:
					err = f.SetCellFloat(tab.Name, cell, float64(v), -1, 64)
					if err == nil {
						err = f.SetCellStyle(tab.Name, cell, cell, dateStyle)
					}
				default:
					err = f.SetCellValue(tab.Name, cell, v)
				}
				if err != nil {
					t.Fatalf("%s!%s = %v: %v", tab.Name, cell, v, err)
				}
			}
		}
		for _, m := range tab.Merge {
			from, to, _ := strings.Cut(m, ":")
			if err := f.MergeCell(tab.Name, from, to); err != nil {
				t.Fatalf("%s!%s: %v", tab.Name, m, err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Open opens an .xlsx with excelize, closed when the test ends.
func Open(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// RawRows are a sheet's rows with raw values (numbers unformatted); excelize
// ends each row at its last cell that is not empty.
func RawRows(t testing.TB, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s: %v", sheet, err)
	}
	return rows
}

// Cell is cell i (from 0) of a row RawRows read, "" past its end.
func Cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// CellsAre checks a row's cells from cell from (counted from 0) on against
// want: a string exactly, an int as a whole number, a *float64 as a share
// within 1e-12 (nil: a blank cell). where names the row in a failure.
func CellsAre(t testing.TB, where string, row []string, from int, want ...any) {
	t.Helper()
	for i, w := range want {
		got := Cell(row, from+i)
		var ok bool
		show := w
		switch w := w.(type) {
		case string:
			ok = got == w
		case int:
			ok = got == strconv.Itoa(w)
		case *float64:
			if w == nil {
				ok = got == ""
			} else {
				v, err := strconv.ParseFloat(got, 64)
				ok = err == nil && math.Abs(v-*w) < 1e-12
				show = *w
			}
		default:
			t.Fatalf("%s: cannot compare %T", where, w)
		}
		if !ok {
			t.Errorf("%s, column %d: got %q, want %v", where, from+i+1, got, show)
		}
	}
}

// CellIs checks that a sheet's cell shows want, formatted as Excel shows it.
func CellIs(t testing.TB, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	if got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
	}
}
