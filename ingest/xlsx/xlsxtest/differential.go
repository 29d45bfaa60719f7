package xlsxtest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"

	"pantau/ingest/xlsx"
)

// Agreement is what SameRows compared.
type Agreement struct {
	Sheets, Rows int
	ByExcelize   []string // sheets the focused reader left (in part) to excelize
}

// SameRows reads every sheet of data three ways: with excelize's own Rows
// (RawCellValue), with xlsx.Workbook.ExcelizeRows (excelize made to fail
// loudly) and with xlsx.Workbook.Rows (the focused reader, from a workbook
// opened with OpenAt), and says where they disagree. The focused reader
// must give excelize's cells row for row; it may end with one more row
// failing, where excelize stops silently; its errors must be ExcelizeRows'
// (the same rows, the same kinds), except a shared string out of range
// that the raw scan of ExcelizeRows misses (an index written with an
// entity) and a last row failing a zip entry's checksum, which excelize
// does not check. A file excelize cannot open, or panics on, is not compared.
func SameRows(data []byte) (a Agreement, err error) {
	if xlsx.Sniff(data) != nil {
		return a, nil
	}
	full, err := xlsx.Open(data)
	if err != nil {
		return a, nil
	}
	defer full.Close()
	light, err := xlsx.OpenAt(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return a, fmt.Errorf("OpenAt: %v, where Open opened it", err)
	}
	defer light.Close()
	sheets := full.GetSheetList()
	if got := light.GetSheetList(); !slices.Equal(got, sheets) {
		return a, fmt.Errorf("sheets %q, excelize has %q", got, sheets)
	}
	for _, sheet := range sheets {
		raw, ok := excelizeRows(full.File, sheet)
		if !ok {
			continue // excelize panics: nothing to compare with
		}
		lr, err := full.ExcelizeRows(sheet)
		if err != nil {
			continue
		}
		loud := readRows(rawColumns{lr})
		mr, err := light.Rows(sheet)
		if err != nil {
			return a, fmt.Errorf("sheet %q: Rows: %v", sheet, err)
		}
		mine := readRows(mr)
		if mr.ByExcelize() {
			a.ByExcelize = append(a.ByExcelize, sheet)
		}
		if err := compare(raw, loud, mine); err != nil {
			return a, fmt.Errorf("sheet %q: %v", sheet, err)
		}
		a.Sheets++
		a.Rows += len(mine)
	}
	return a, nil
}

// rawColumns asks ExcelizeRows for raw values.
type rawColumns struct{ *xlsx.Rows }

func (r rawColumns) Columns() ([]string, error) {
	return r.Rows.Columns(excelize.Options{RawCellValue: true})
}

type readRow struct {
	cells []string
	err   error
}

type rowSource interface {
	Next() bool
	Columns() ([]string, error)
	Close() error
}

func readRows(r rowSource) (rows []readRow) {
	defer r.Close()
	for r.Next() {
		cells, err := r.Columns()
		rows = append(rows, readRow{cells, err})
	}
	return rows
}

// excelizeRows reads a sheet with excelize alone; false if it panics.
func excelizeRows(f *excelize.File, sheet string) (rows []readRow, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	r, err := f.Rows(sheet)
	if err != nil {
		return nil, false
	}
	defer r.Close()
	for r.Next() {
		cells, err := r.Columns(excelize.Options{RawCellValue: true})
		rows = append(rows, readRow{cells, err})
	}
	return rows, true
}

func compare(raw, loud, mine []readRow) error {
	if len(mine) != len(raw) && !(len(mine) == len(raw)+1 && mine[len(raw)].err != nil && mine[len(raw)].cells == nil) {
		return fmt.Errorf("%d rows, excelize reads %d", len(mine), len(raw))
	}
	for i := range raw {
		if !sameCells(mine[i].cells, raw[i].cells) {
			return fmt.Errorf("row %d: %q, excelize reads %q", i+1, mine[i].cells, raw[i].cells)
		}
	}
	if n := len(loud); len(mine) == n+1 && errorOf(mine[n].err) == xlsx.CorruptZip.String() {
		mine = mine[:n] // an entry failing its checksum, which excelize does not check
	}
	if len(loud) != len(mine) {
		return fmt.Errorf("%d rows, ExcelizeRows reads %d", len(mine), len(loud))
	}
	for i := range loud {
		if got, want := errorOf(mine[i].err), errorOf(loud[i].err); got != want && !(want == "" && got == xlsx.BadSharedString.String()) {
			return fmt.Errorf("row %d: error %v, ExcelizeRows has %v", i+1, mine[i].err, loud[i].err)
		}
	}
	return nil
}

func sameCells(a, b []string) bool {
	return len(a) == 0 && len(b) == 0 || slices.Equal(a, b)
}

// errorOf names an error by its kind, or its text when it has none.
func errorOf(err error) string {
	var e *xlsx.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Kind.String()
	}
	return err.Error()
}
