package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Workbook is an open .xlsx. Its sheets' rows are read through Rows (see
// SheetRows); excelize has the rest: the sheet list, the workbook's
// properties, and editing for the annotation.
type Workbook struct {
	*excelize.File
	zip    *zip.Reader
	tmpDir string // excelize's temporary files, all removed by Close

	// For a workbook opened with OpenAt, excelize holds only the small
	// parts; full is the whole workbook in excelize, opened when a sheet
	// must be read by excelize after all (see SheetRows).
	src  io.ReaderAt
	size int64
	full *Workbook

	sst     []string // the shared strings, read once
	sstErr  error
	sstRead bool
}

// OpenAt opens an .xlsx for reading its rows without holding it: excelize
// opens a copy of the small parts that say what the sheets are (the
// workbook, its relationships and properties), and the sheets' rows are
// read from the file when asked for. The caller must Close the workbook.
func OpenAt(r io.ReaderAt, size int64) (wb *Workbook, err error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, err
	}
	var stub bytes.Buffer
	zw := zip.NewWriter(&stub)
	for _, f := range zr.File {
		if bulky(f.Name) {
			continue
		}
		if err := zw.Copy(f); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	wb, err = Open(stub.Bytes())
	if err != nil {
		return nil, err
	}
	wb.zip, wb.src, wb.size = zr, r, size
	return wb, nil
}

// bulky tells the parts excelize need not hold to list the sheets: the
// worksheets, the shared strings and pictures.
func bulky(name string) bool {
	name = strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
	return strings.Contains(name, "worksheets/") || strings.HasSuffix(name, "sharedstrings.xml") || strings.Contains(name, "media/")
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
	if wb.full != nil {
		err = wb.full.Close()
	}
	if wb.File != nil {
		if e := wb.File.Close(); err == nil {
			err = e
		}
	}
	if wb.tmpDir != "" {
		if e := os.RemoveAll(wb.tmpDir); err == nil {
			err = e
		}
	}
	return err
}

// ExcelizeRows opens a sheet's rows as excelize reads them; the caller must
// Close them. It is what SheetRows falls back on, and what the tests
// compare SheetRows with.
func (wb *Workbook) ExcelizeRows(sheet string) (rows *Rows, err error) {
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
