package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"
)

// Workbook is an open .xlsx. Its sheets' rows are read through Rows,
// which makes sure excelize read each sheet to its end (see verify).
type Workbook struct {
	*excelize.File
	zip    *zip.Reader
	tmpDir string // excelize's temporary files, all removed by Close
}

// Open opens an .xlsx held in memory with the unzip limits set. excelize
// can panic on some malformed files; that is a corrupt file, not a crash.
// The caller must Close the workbook.
func Open(data []byte) (wb *Workbook, err error) {
	wb = &Workbook{}
	// A folder of our own for excelize's temporary files: whatever happens
	// to the file, Close removes it, and with it anything excelize left.
	if dir, err := os.MkdirTemp("", "pantau-xlsx-"); err == nil {
		wb.tmpDir = dir
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("corrupt workbook: %v", p)
		}
		if err != nil {
			wb.Close()
			wb = nil
		}
	}()
	if wb.zip, err = zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
		return wb, err
	}
	wb.File, err = excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    UnzipLimit,
		UnzipXMLSizeLimit: unzipXMLLimit,
		TmpDir:            wb.tmpDir,
	})
	return wb, err
}

// Close closes the workbook and removes its temporary files.
func (wb *Workbook) Close() error {
	var err error
	if wb.File != nil {
		err = wb.File.Close()
	}
	if wb.tmpDir != "" {
		if e := os.RemoveAll(wb.tmpDir); err == nil {
			err = e
		}
	}
	return err
}

// Rows opens a sheet's rows; the caller must Close them.
func (wb *Workbook) Rows(sheet string) (rows *Rows, err error) {
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, fmt.Errorf("corrupt sheet: %v", p)
		}
	}()
	r, err := wb.File.Rows(sheet)
	if err != nil {
		if r != nil {
			r.Close()
		}
		return nil, err
	}
	return &Rows{Rows: r, wb: wb, sheet: sheet}, nil
}

// Rows is excelize's row iterator, made to fail loudly. excelize stops
// at the first XML error of a sheet as if the sheet ended there, and reads a
// shared string that is not in the table as a blank cell. Rows reports
// both as an error of the row at hand: a broken sheet yields one more row,
// whose Columns returns why the sheet cannot be read further.
type Rows struct {
	*excelize.Rows
	wb    *Workbook
	sheet string
	n     int // rows yielded; excelize yields the empty rows between two rows too

	ended   bool
	failure error // returned by Columns for the extra row

	sst     bool          // the shared strings were checked
	badCell map[int]error // row -> its first cell with a shared string out of range
}

// Next moves to the next row, or to the extra row of a broken sheet.
func (r *Rows) Next() bool {
	if r.ended {
		return false
	}
	if r.Rows.Next() {
		r.n++
		return true
	}
	r.ended = true
	if err := r.Rows.Error(); err != nil {
		r.failure = rowsError(r.sheet, r.n, err)
	} else if r.failure = r.wb.verify(r.sheet, r.n); r.failure == nil {
		r.failure = r.badCell[0]
	}
	if r.failure == nil {
		return false
	}
	r.n++
	return true
}

// Columns returns the row's cells, or the error that makes it unreadable.
func (r *Rows) Columns(opts ...excelize.Options) ([]string, error) {
	if r.ended {
		return nil, r.failure
	}
	cells, err := r.Rows.Columns(opts...)
	if errors.Is(err, excelize.ErrMaxRows) {
		// The row after this one is numbered past Excel's last row: this
		// row is whole, and Next, finding the error, reports it as the next.
		err = nil
	}
	if err != nil {
		return cells, err
	}
	if !r.sst && r.wb.SharedStrings != nil {
		// excelize has loaded the shared strings (for the first row that has cells).
		r.sst = true
		r.badCell = r.wb.checkSharedStrings(r.sheet)
	}
	if e, bad := r.badCell[r.n]; bad {
		return cells, e
	}
	return cells, nil
}

// Error is nil once an error has been returned as a row's.
func (r *Rows) Error() error {
	if r.ended {
		return nil
	}
	return r.Rows.Error()
}

// rowsError is excelize's error ending a sheet after row n.
func rowsError(sheet string, n int, err error) error {
	if errors.Is(err, excelize.ErrMaxRows) {
		return &Error{Kind: RowNumberTooHigh, Sheet: sheet, Row: n, Limit: MaxRows}
	}
	return err
}
