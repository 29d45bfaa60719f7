package xlsx

import (
	"archive/zip"
	"cmp"
	"io"
	"strings"
	"sync/atomic"

	"github.com/xuri/excelize/v2"
)

// SheetRows reads a sheet's rows as excelize's Rows with RawCellValue
// gives them (the empty rows between two rows included), made to fail
// loudly as Rows does (see Rows). It reads them with the focused reader
// (sheetReader) from the sheet's zip entry as it inflates; at XML that
// reader leaves to excelize, excelize reads the sheet from the row
// reached on, so that either way the rows are excelize's.
type SheetRows struct {
	wb    *Workbook
	sheet string

	fast     *sheetReader
	rc       io.ReadCloser
	read     *countingReader
	inflated int64 // the sheet's size unpacked, as its zip entry says

	slow  *Rows // excelize, after a fallback
	total int   // the full workbook's last row, after a fallback

	n      int // rows handed out
	ahead  int // the number of the row read ahead, 0 if none
	aheadC []string
	aheadE error
	cells  []string
	err    error
	ended  bool
}

// Rows opens a sheet's rows; the caller must Close them.
func (wb *Workbook) Rows(sheet string) (*SheetRows, error) {
	r := &SheetRows{wb: wb, sheet: sheet}
	if err := r.openFast(); err != nil {
		if err := r.fallBack(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *SheetRows) openFast() error {
	part, ok := r.wb.sheetPart(r.sheet)
	if !ok {
		return errOutside
	}
	entry := r.wb.entry(func(name string) bool { return name == part })
	if entry == nil {
		return errOutside
	}
	sst, err := r.wb.sharedStrings()
	if err != nil {
		return err
	}
	rc, err := entry.Open()
	if err != nil {
		return err
	}
	r.rc, r.read, r.inflated = rc, &countingReader{r: rc}, int64(entry.UncompressedSize64)
	r.fast, err = newSheetReader(r.read, r.sheet, sst)
	return err
}

// entry is the last zip entry whose name (with / for \) matches, as
// excelize keeps the last of two entries of one name.
func (wb *Workbook) entry(match func(name string) bool) *zip.File {
	var found *zip.File
	for _, f := range wb.zip.File {
		if match(strings.ReplaceAll(f.Name, "\\", "/")) {
			found = f
		}
	}
	return found
}

// sharedStrings reads the shared strings once; errOutside when excelize
// must read them.
func (wb *Workbook) sharedStrings() ([]string, error) {
	if wb.sstRead {
		return wb.sst, wb.sstErr
	}
	wb.sstRead = true
	f := wb.entry(func(name string) bool { return strings.EqualFold(name, "xl/sharedStrings.xml") })
	switch {
	case f == nil:
		return nil, nil
	case f.UncompressedSize64 > unzipXMLLimit:
		wb.sstErr = errOutside // excelize reads them from a temporary file, its own way
		return nil, wb.sstErr
	}
	rc, err := f.Open()
	if err != nil {
		wb.sstErr = err
		return nil, err
	}
	defer rc.Close()
	wb.sst, wb.sstErr = readSharedStrings(rc)
	return wb.sst, wb.sstErr
}

// fallBack goes on with excelize from the row reached.
func (r *SheetRows) fallBack() error {
	r.closeFast()
	full, err := r.wb.fullWorkbook()
	if err != nil {
		return &Error{Kind: CorruptZip, Err: err}
	}
	rows, err := full.ExcelizeRows(r.sheet)
	if err != nil {
		return err
	}
	for i := 0; i < r.n && rows.Next(); i++ {
		rows.Columns(rawValues)
	}
	r.slow, r.total = rows, full.LastRowNumber(r.sheet)
	return nil
}

// drain reads the sheet's entry to its end, where the zip reader checks it
// against its checksum: a damaged entry whose rows still read is an error
// (excelize, which reads each entry only up to its declared size, never
// checked it).
func (r *SheetRows) drain() error {
	x := r.fast.x
	err := x.err
	if !x.eof {
		_, err = io.Copy(io.Discard, r.rc)
	}
	if err != nil {
		return &Error{Kind: CorruptZip, Err: err}
	}
	return nil
}

// rawValues asks excelize for cells as stored: dates as serial numbers.
var rawValues = excelize.Options{RawCellValue: true}

// fullWorkbook is the whole workbook opened in excelize.
func (wb *Workbook) fullWorkbook() (*Workbook, error) {
	if wb.src == nil {
		return wb, nil // opened whole
	}
	if wb.full == nil {
		data, err := io.ReadAll(io.NewSectionReader(wb.src, 0, wb.size))
		if err != nil {
			return nil, err
		}
		if wb.full, err = Open(data); err != nil {
			return nil, err
		}
	}
	return wb.full, nil
}

func (r *SheetRows) closeFast() {
	if r.rc != nil {
		r.rc.Close()
		r.rc, r.fast = nil, nil
	}
}

// Next moves to the next row.
func (r *SheetRows) Next() bool {
	if r.ended {
		return false
	}
	if r.slow != nil {
		if !r.slow.Next() {
			r.ended = true
			return false
		}
		r.n++
		r.cells, r.err = r.slow.Columns(rawValues)
		return true
	}
	if r.ahead == 0 {
		num, cells, rowErr, err := r.fast.next()
		switch {
		case err == io.EOF:
			// A cell without a reference that named a shared string the
			// table lacks fails one more row, as Rows has it.
			noRef, damage := r.fast.noRef, r.drain()
			r.closeFast()
			r.ended = true
			if noRef == nil && damage == nil {
				return false
			}
			r.n++
			r.cells, r.err = nil, cmp.Or(noRef, damage)
			return true
		case err != nil:
			if err := r.fallBack(); err != nil {
				r.closeFast()
				r.ended = true
				r.n++
				r.cells, r.err = nil, err
				return true
			}
			return r.Next()
		}
		r.ahead, r.aheadC, r.aheadE = num, cells, rowErr
	}
	r.n++
	if r.n < r.ahead {
		r.cells, r.err = nil, nil // a row the sheet leaves out
		return true
	}
	r.cells, r.err, r.ahead = r.aheadC, r.aheadE, 0
	return true
}

// Columns returns the row's cells, or the error that makes it unreadable.
func (r *SheetRows) Columns() ([]string, error) { return r.cells, r.err }

// Error is nil: an error is returned as a row's.
func (r *SheetRows) Error() error { return nil }

// Total is the sheet's last row number for showing progress: the one its
// dimension declares, else an estimate from the part of the sheet read,
// exact once the rows ended.
func (r *SheetRows) Total() int {
	switch {
	case r.slow != nil:
		return max(r.total, r.n)
	case r.fast == nil:
		return r.n
	case r.fast.declared >= r.n:
		return r.fast.declared
	}
	read := r.read.n.Load()
	if read == 0 {
		return r.n
	}
	return max(r.n, int(float64(r.n)*float64(r.inflated)/float64(read)))
}

// Close closes the sheet.
func (r *SheetRows) Close() error {
	r.closeFast()
	if r.slow != nil {
		return r.slow.Close()
	}
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// ByExcelize tells whether excelize read (part of) the sheet: the focused
// reader met XML outside its subset. For tests and benchmarks.
func (r *SheetRows) ByExcelize() bool { return r.slow != nil }
