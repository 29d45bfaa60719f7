package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Unzip limits handed to excelize. An honest workbook within the upload limit
// unpacks to well under UnzipLimit; a zip bomb claims more and is refused
// before anything is inflated. Worksheets above the XML limit are streamed
// from a temporary file instead of memory (excelize removes it on Close).
const (
	UnzipLimit    = 2 << 30 // 2 GiB: a 1,000,000-respondent survey unpacks to 1.04 GiB
	unzipXMLLimit = 64 << 20
)

// bombRatio is the most an entry of some size may inflate relative to its
// compressed size. Real worksheet XML deflates about 5 to 30 times; runs of
// one repeated byte, which is what zip bombs are made of, about 1,000 times.
const (
	bombRatio   = 200
	bombMinSize = 16 << 20
)

// accepted names the only format pantau reads, for every refusal.
var accepted = Reason{
	ID: "pantau hanya membaca buku kerja Excel .xlsx (Office Open XML); buka file di Excel atau LibreOffice lalu simpan sebagai \"Excel Workbook (.xlsx)\"",
	EN: "pantau reads only Excel .xlsx workbooks (Office Open XML); open the file in Excel or LibreOffice and save it as \"Excel Workbook (.xlsx)\"",
}

func refusal(id, en string) Reason {
	return Reason{ID: id + "; " + accepted.ID, EN: en + "; " + accepted.EN}
}

// sniff tells from its bytes whether data is an .xlsx pantau can open, and if
// not, what it is instead, so the refusal can say what to do.
func sniff(data []byte) *Reason {
	var r Reason
	head := data[:min(len(data), 4096)]
	switch {
	case len(data) == 0:
		r = refusal("file kosong", "the file is empty")
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		// OLE2: an old .xls, or an .xlsx that Excel encrypted with a password.
		if bytes.Contains(data, utf16("EncryptionInfo")) {
			r = Reason{ID: "buku kerja dilindungi kata sandi; hapus kata sandinya (File > Info > Protect Workbook) lalu simpan lagi sebagai .xlsx",
				EN: "the workbook is protected with a password; remove the password (File > Info > Protect Workbook) and save it again as .xlsx"}
		} else {
			r = refusal("ini format Excel 97-2003 (.xls)", "this is the Excel 97-2003 format (.xls)")
		}
	case bytes.HasPrefix(data, []byte("%PDF")):
		r = refusal("ini file PDF", "this is a PDF file")
	case bytes.HasPrefix(data, []byte("PK")):
		return sniffZip(data)
	case bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF")):
		r = refusal("ini file teks Unicode (UTF-16), misalnya \"Unicode Text\" atau CSV", "this is a Unicode (UTF-16) text file, such as \"Unicode Text\" or CSV")
	case utf8.Valid(head) && !bytes.ContainsRune(head, 0):
		r = sniffText(head)
	default:
		r = refusal("format file tidak dikenal", "the file format is not recognised")
	}
	return &r
}

// sniffText names the text formats that are often saved as "Excel" files:
// web pages, the Excel 2003 XML spreadsheet, and CSV.
func sniffText(head []byte) Reason {
	lower := bytes.ToLower(head)
	switch {
	case bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return refusal("ini format XML Spreadsheet 2003", "this is the XML Spreadsheet 2003 format")
	case bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<table")):
		return refusal("ini halaman web (HTML), bukan buku kerja Excel", "this is a web page (HTML), not an Excel workbook")
	}
	return refusal("ini file teks (CSV?)", "this is a text file (CSV?)")
}

// sniffZip checks the zip directory: an OpenDocument file, a zip of
// something else, a truncated download, or more than UnzipLimit unpacked.
func sniffZip(data []byte) *Reason {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		r := refusal("file zip rusak atau terpotong ("+err.Error()+")", "the zip container is corrupt or truncated ("+err.Error()+")")
		return &r
	}
	var total uint64
	workbook, binary := false, false
	for _, f := range zr.File {
		if f.UncompressedSize64 > UnzipLimit || total+f.UncompressedSize64 > UnzipLimit {
			return &Reason{
				ID: fmt.Sprintf("isi file mengembang menjadi lebih dari %d MiB; file ditolak sebagai bom zip", UnzipLimit>>20),
				EN: fmt.Sprintf("the file unpacks to more than %d MiB; refused as a zip bomb", UnzipLimit>>20)}
		}
		total += f.UncompressedSize64
		if f.UncompressedSize64 > bombMinSize && f.UncompressedSize64/bombRatio > f.CompressedSize64 {
			return &Reason{
				ID: fmt.Sprintf("%s di dalam file mengembang dari %d KiB menjadi %d MiB; file ditolak sebagai bom zip", f.Name, f.CompressedSize64>>10, f.UncompressedSize64>>20),
				EN: fmt.Sprintf("%s inside the file inflates from %d KiB to %d MiB; refused as a zip bomb", f.Name, f.CompressedSize64>>10, f.UncompressedSize64>>20)}
		}
		switch f.Name {
		case "xl/workbook.xml":
			workbook = true
		case "xl/workbook.bin":
			binary = true
		case "mimetype":
			if rc, err := f.Open(); err == nil {
				head, _ := io.ReadAll(io.LimitReader(rc, 100))
				rc.Close()
				if bytes.Contains(head, []byte("opendocument")) {
					r := refusal("ini format OpenDocument (.ods)", "this is the OpenDocument format (.ods)")
					return &r
				}
			}
		}
	}
	if !workbook && binary {
		r := refusal("ini format Excel Binary Workbook (.xlsb)", "this is the Excel Binary Workbook format (.xlsb)")
		return &r
	}
	if !workbook {
		r := refusal("file zip ini bukan buku kerja Excel (tidak ada xl/workbook.xml)", "this zip file is not an Excel workbook (no xl/workbook.xml)")
		return &r
	}
	return nil
}

func utf16(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return b
}

// workbook is an open .xlsx. Its sheets' rows are read through sheetRows,
// which makes sure excelize read each sheet to its end (see verify).
type workbook struct {
	*excelize.File
	zip    *zip.Reader
	tmpDir string // excelize's temporary files, all removed by Close
}

// openWorkbook opens an .xlsx held in memory with the unzip limits set.
// excelize can panic on some malformed files; that is a corrupt file, not a crash.
func openWorkbook(data []byte) (wb *workbook, err error) {
	wb = &workbook{}
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
func (wb *workbook) Close() error {
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

// Rows opens a sheet's rows.
func (wb *workbook) Rows(sheet string) (rows *sheetRows, err error) {
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
	return &sheetRows{Rows: r, wb: wb, sheet: sheet}, nil
}

// sheetRows is excelize's row iterator, made to fail loudly. excelize stops
// at the first XML error of a sheet as if the sheet ended there, and reads a
// shared string that is not in the table as a blank cell. sheetRows reports
// both as an error of the row at hand: a broken sheet yields one more row,
// whose Columns returns why the sheet cannot be read further.
type sheetRows struct {
	*excelize.Rows
	wb    *workbook
	sheet string
	n     int // rows yielded; excelize yields the empty rows between two rows too

	ended   bool
	failure error // returned by Columns for the extra row

	sst     bool          // the shared strings were checked
	badCell map[int]error // row -> its first cell with a shared string out of range
}

func (r *sheetRows) Next() bool {
	if r.ended {
		return false
	}
	if r.Rows.Next() {
		r.n++
		return true
	}
	r.ended = true
	if err := r.Rows.Error(); err != nil {
		r.failure = rowsError(r.n, err)
	} else if r.failure = r.wb.verify(r.sheet, r.n); r.failure == nil {
		r.failure = r.badCell[0]
	}
	if r.failure == nil {
		return false
	}
	r.n++
	return true
}

func (r *sheetRows) Columns(opts ...excelize.Options) ([]string, error) {
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
func (r *sheetRows) Error() error {
	if r.ended {
		return nil
	}
	return r.Rows.Error()
}

// rowsError is excelize's error ending a sheet after row n.
func rowsError(n int, err error) error {
	if errors.Is(err, excelize.ErrMaxRows) {
		return &Reason{
			ID: fmt.Sprintf("sesudah baris %d ada nomor baris di atas %d, batas Excel; file ini bukan buatan Excel atau rusak", n, maxRows),
			EN: fmt.Sprintf("after row %d comes a row number above %d, Excel's limit; the file was not made by Excel or is corrupt", n, maxRows)}
	}
	return err
}

// broken is the error of a sheet whose XML breaks in row n (inRow) or after it.
func broken(n int, inRow bool, cause error) error {
	where := Reason{ID: fmt.Sprintf("sesudah baris %d", n), EN: fmt.Sprintf("after row %d", n)}
	switch {
	case inRow:
		where = Reason{ID: fmt.Sprintf("di baris %d", n), EN: fmt.Sprintf("in row %d", n)}
	case n == 0:
		where = Reason{ID: "sebelum baris pertama", EN: "before its first row"}
	}
	return &Reason{
		ID: fmt.Sprintf("XML sheet rusak %s (%v): file terpotong atau dibuat program yang salah; buka di Excel lalu simpan ulang", where.ID, cause),
		EN: fmt.Sprintf("the sheet's XML is broken %s (%v): the file is truncated or was written by a faulty program; open it in Excel and save it again", where.EN, cause)}
}

// rowReadError and sheetReadError are the problems of a row or a sheet that
// cannot be read, in both languages when err says it in both.
func rowReadError(row int, err error) Reason {
	r := reasonOf(err)
	return Reason{ID: fmt.Sprintf("baris %d tidak terbaca: %s", row, r.ID), EN: fmt.Sprintf("row %d cannot be read: %s", row, r.EN)}
}

func sheetReadError(err error) Reason {
	r := reasonOf(err)
	return Reason{ID: "sheet tidak terbaca: " + r.ID, EN: "sheet cannot be read: " + r.EN}
}

func reasonOf(err error) Reason {
	var r *Reason
	if errors.As(err, &r) {
		return *r
	}
	return Reason{ID: err.Error(), EN: err.Error()}
}

// verify makes sure excelize read the sheet to its end: having yielded n
// rows, it must have stopped at the </sheetData> closing the sheet's rows,
// not at an XML error. The usual proof is cheap: the sheet's last row starts
// near the end of its XML, is row n, and decodes cleanly up to </sheetData>.
// When that does not hold, the sheet is decoded again from the start, which
// finds where the XML breaks.
func (wb *workbook) verify(sheet string, n int) error {
	src, err := wb.sheetSource(sheet)
	if err != nil {
		return err
	}
	defer src.close()
	for size := int64(64 << 10); size <= 32<<20; size *= 8 {
		tail, complete, err := src.tail(size)
		if err != nil {
			break
		}
		last, found, ok := lastRow(tail)
		if ok && (found || complete) && last == n {
			return nil
		}
		if found || complete {
			break
		}
	}
	rc, err := src.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	rows, inRow, err := wb.decodeRows(rc)
	if err != nil {
		return broken(rows, inRow, err)
	}
	if n < rows {
		return broken(n, false, fmt.Errorf("only %d of %d rows read", n, rows))
	}
	return nil
}

// lastRow reads the end of a sheet's XML: the last <row> before </sheetData>.
// ok says that the row decodes and is followed by nothing but </sheetData>;
// found is false when tail holds no start of a row; last is the row's number.
func lastRow(tail []byte) (last int, found, ok bool) {
	end := lastTag(tail, len(tail), "sheetData", true)
	if end < 0 {
		return 0, false, false
	}
	p := lastTag(tail, end, "row", false)
	if p < 0 {
		return 0, false, true
	}
	seg := tail[p:end]
	if bytes.Contains(seg, []byte("<!")) || bytes.Contains(seg, []byte("<?")) {
		return 0, true, false // a comment or CDATA: leave it to the full decode
	}
	d := xml.NewDecoder(bytes.NewReader(seg))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return last, true, depth == 0 && last > 0
		}
		if err != nil {
			return 0, true, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if last != 0 || t.Name.Local != "row" {
					return 0, true, false
				}
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						last, _ = strconv.Atoi(a.Value)
					}
				}
				if last <= 0 {
					return 0, true, false
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return 0, true, false
			}
		}
	}
}

// lastTag finds the last tag named local (with or without a namespace
// prefix) starting before end: an end tag "</local>" when closing, else a
// start tag "<local" followed by a space, "/" or ">". It returns the index
// of its "<", or -1. Outside tags, "<" only starts markup, so the bytes
// found are a tag unless they sit in a comment or CDATA section.
func lastTag(b []byte, end int, local string, closing bool) int {
	name := []byte(local)
	if closing {
		name = append(name, '>')
	}
	for i := end; ; {
		i = bytes.LastIndex(b[:i], name)
		if i < 0 {
			return -1
		}
		if !closing {
			next := len(name) + i
			if next >= end || !bytes.ContainsRune([]byte(" \t\r\n/>"), rune(b[next])) {
				continue
			}
		}
		j := i - 1
		if j >= 0 && b[j] == ':' { // a prefix, as in <x:row>
			j--
			for j >= 0 && isNameByte(b[j]) {
				j--
			}
		}
		if closing {
			if j < 0 || b[j] != '/' {
				continue
			}
			j--
		}
		if j >= 0 && b[j] == '<' {
			return j
		}
	}
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// decodeRows decodes a sheet's XML as excelize does up to </sheetData>,
// returning the number of the last row, whether the decoder is inside it,
// and the XML error that ends the rows early.
func (wb *workbook) decodeRows(r io.Reader) (rows int, inRow bool, err error) {
	d := xml.NewDecoder(r)
	d.CharsetReader = wb.CharsetReader
	depth := 0 // inside the current row
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return rows, depth > 0, errors.New("the XML ends before </sheetData>")
		}
		if err != nil {
			return rows, depth > 0, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth > 0 {
				depth++
			}
			if t.Name.Local != "row" {
				continue
			}
			depth = 1
			n := 0
			for _, a := range t.Attr {
				if a.Name.Local == "r" {
					n, _ = strconv.Atoi(a.Value)
				}
			}
			if n == 0 {
				n = rows + 1
			}
			if n <= rows {
				return rows, false, fmt.Errorf("row %d comes after row %d", n, rows)
			}
			rows = n
		case xml.EndElement:
			if depth > 0 {
				depth--
			}
			if t.Name.Local == "sheetData" {
				return rows, false, nil
			}
		}
	}
}

// checkSharedStrings finds the cells of a sheet that refer to a shared
// string past the end of the table, which excelize reads as blank. It scans
// the sheet's bytes for t="s", which is cheap next to decoding them, and
// returns, by row, the first such cell's error; row 0 holds the error of a
// cell without a reference, reported when the rows end.
func (wb *workbook) checkSharedStrings(sheet string) map[int]error {
	if wb.sharedStringsSpilled() {
		return nil // more than 64 MiB of strings: excelize counts them, not us
	}
	count := len(wb.SharedStrings.SI)
	src, err := wb.sheetSource(sheet)
	if err != nil {
		return nil // verify reports it when the rows end
	}
	defer src.close()
	var bad map[int]error
	report := func(cell string, index int) {
		_, row, err := excelize.CellNameToCoordinates(cell)
		if err != nil {
			row = 0
		}
		if _, dup := bad[row]; dup {
			return
		}
		if bad == nil {
			bad = map[int]error{}
		}
		if cell == "" {
			cell = "tanpa alamat"
		}
		bad[row] = &Reason{
			ID: fmt.Sprintf("sel %s merujuk teks bersama nomor %d, padahal tabelnya hanya berisi %d teks; file rusak, buka di Excel lalu simpan ulang", cell, index, count),
			EN: fmt.Sprintf("cell %s refers to shared string %d, but the table holds only %d; the file is corrupt, open it in Excel and save it again", cell, index, count)}
	}
	if src.data != nil {
		scanSharedIndexes(src.data, count, report)
		return bad
	}
	rc, err := src.open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	buf := make([]byte, 0, 1<<20)
	for {
		n, err := io.ReadFull(rc, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		done := scanSharedIndexes(buf, count, report)
		if err != nil {
			return bad
		}
		if done == 0 {
			done = len(buf) / 2 // one tag of a MiB: no cell with a shared string
		}
		buf = buf[:copy(buf, buf[done:])]
	}
}

// scanSharedIndexes calls report for each cell of b whose shared string
// index is outside [0, count). It returns where it stopped: the start of a
// tag it cannot see the end of, from which the next call must go on.
func scanSharedIndexes(b []byte, count int, report func(cell string, index int)) int {
	types := newSharedType(b)
	pos := 0
	for {
		i := types.next(pos)
		if i < 0 {
			if lt := bytes.LastIndexByte(b[pos:], '<'); lt >= 0 {
				return pos + lt
			}
			return len(b)
		}
		lt := bytes.LastIndexByte(b[pos:i], '<')
		if lt < 0 {
			pos = i + 1 // not inside a tag we can see
			continue
		}
		lt += pos
		pos = i + 1
		if bytes.IndexByte(b[lt:i], '>') >= 0 || localName(b[lt+1:i]) != "c" {
			continue // text, or an attribute of some other element
		}
		gt := bytes.IndexByte(b[i:], '>')
		if gt < 0 {
			return lt
		}
		gt += i
		if b[gt-1] == '/' {
			pos = gt
			continue // <c t="s"/> holds nothing
		}
		v, end := sharedValue(b, gt+1)
		if end < 0 {
			return lt
		}
		pos = end
		if len(v) == 0 {
			continue // no value: excelize reads a blank, rightly
		}
		if index := sharedIndex(v); index < 0 || index >= count {
			report(attr(b[lt:gt], "r"), index)
		}
	}
}

// sharedValue finds the <v> of the cell whose content starts at from: its
// text (empty if it has none) and where the scan goes on, -1 when the cell
// does not end within b.
func sharedValue(b []byte, from int) ([]byte, int) {
	if rest := b[from:]; bytes.HasPrefix(rest, []byte("<v>")) { // as nearly every writer has it
		j := bytes.IndexByte(rest[3:], '<')
		if j < 0 {
			return nil, -1
		}
		return rest[3 : 3+j], from + 3 + j
	}
	end := endTag(b, from, cellEnd)
	if end < 0 {
		return nil, -1
	}
	v, _ := cellValue(b[from:end])
	return v, end
}

// sharedIndex reads a shared string index as excelize does: spaces
// trimmed, and 0 for what is not a number.
func sharedIndex(v []byte) int {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return 0
	}
	if len(v) <= 9 {
		n := 0
		for _, c := range v {
			if c < '0' || c > '9' {
				n = -1
				break
			}
			n = 10*n + int(c-'0')
		}
		if n >= 0 {
			return n
		}
	}
	n, _ := strconv.Atoi(string(v))
	return n
}

// sharedType finds the attributes t="s" and t='s' in b, in order.
type sharedType struct {
	b              []byte
	double, single int // the next of each from the last position asked, -1 if none
}

// newSharedType looks for t='s' only in a sheet that quotes its attributes
// with ' (generators are consistent): looking costs a pass over the sheet.
func newSharedType(b []byte) *sharedType {
	single := -2
	if !bytes.Contains(b[:min(len(b), 64<<10)], []byte(`='`)) {
		single = -1
	}
	return &sharedType{b: b, double: -2, single: single}
}

// next finds the first attribute t="s" (or t='s') at pos or after.
func (s *sharedType) next(pos int) int {
	for {
		s.double = s.find(s.double, pos, `t="s"`)
		s.single = s.find(s.single, pos, `t='s'`)
		i := s.double
		if i < 0 || s.single >= 0 && s.single < i {
			i = s.single
		}
		if i < 0 {
			return -1
		}
		if i > 0 && (isSpace(s.b[i-1]) || s.b[i-1] == ':') {
			return i
		}
		pos = i + 1 // part of another attribute, such as xt="s"
	}
}

// find returns the first index of pattern at pos or after, given the one
// found before (-2 for none looked for yet).
func (s *sharedType) find(prev, pos int, pattern string) int {
	if prev == -1 || prev >= pos {
		return prev
	}
	i := bytes.Index(s.b[pos:], []byte(pattern))
	if i < 0 {
		return -1
	}
	return pos + i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// localName is the element name at the start of a tag's bytes, without prefix.
func localName(tag []byte) string {
	for k, c := range tag {
		if isSpace(c) {
			tag = tag[:k]
			break
		}
	}
	if k := bytes.LastIndexByte(tag, ':'); k >= 0 {
		tag = tag[k+1:]
	}
	return string(tag)
}

var cellEnd = []byte("c>")

// endTag finds the end tag </name (or </x:name, where name ends in ">")
// after from.
func endTag(b []byte, from int, name []byte) int {
	for i := from; ; {
		j := bytes.Index(b[i:], name)
		if j < 0 {
			return -1
		}
		j += i
		i = j + 1
		k := j - 1
		if k >= 0 && b[k] == ':' {
			k--
			for k >= 0 && isNameByte(b[k]) {
				k--
			}
		}
		if k >= 1 && b[k] == '/' && b[k-1] == '<' {
			return k - 1
		}
	}
}

// cellValue is the text of the <v> element in a cell's content.
func cellValue(content []byte) ([]byte, bool) {
	for i := 0; ; {
		j := bytes.IndexByte(content[i:], '<')
		if j < 0 {
			return nil, false
		}
		j += i
		k := bytes.IndexByte(content[j:], '>')
		if k < 0 {
			return nil, false
		}
		k += j
		if localName(content[j+1:k]) == "v" {
			end := bytes.IndexByte(content[k+1:], '<')
			if end < 0 {
				return nil, false
			}
			return content[k+1 : k+1+end], true
		}
		i = k + 1
	}
}

// attr is the value of the attribute name in the start tag tag, or "".
func attr(tag []byte, name string) string {
	for i := 0; ; {
		j := bytes.Index(tag[i:], []byte(name+"="))
		if j < 0 {
			return ""
		}
		j += i
		i = j + 1
		if j == 0 || !isSpace(tag[j-1]) || j+len(name)+1 >= len(tag) {
			continue
		}
		v := tag[j+len(name)+1:]
		q := v[0]
		if q != '"' && q != '\'' {
			continue
		}
		if k := bytes.IndexByte(v[1:], q); k >= 0 {
			return string(v[1 : 1+k])
		}
		return ""
	}
}

func (wb *workbook) sharedStringsSpilled() bool {
	if b, ok := wb.Pkg.Load("xl/sharedStrings.xml"); ok && len(b.([]byte)) > 0 {
		return false
	}
	for _, f := range wb.zip.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), "xl/sharedStrings.xml") {
			return f.UncompressedSize64 > unzipXMLLimit
		}
	}
	return false
}

// sheetSource is the XML of one sheet as excelize reads it: held in memory,
// or in a temporary file for a big sheet.
type sheetSource struct {
	data  []byte    // in memory
	entry *zip.File // else the sheet in the zip
	file  *os.File  // and excelize's copy of it, when found
	size  int64
}

var errNoSheetXML = &Reason{
	ID: "XML sheet ini tidak ditemukan di dalam file; buka di Excel lalu simpan ulang",
	EN: "the sheet's XML is not in the file; open it in Excel and save it again"}

// sheetSource finds the XML of the named sheet.
func (wb *workbook) sheetSource(sheet string) (*sheetSource, error) {
	part, ok := wb.sheetPart(sheet)
	if !ok {
		return nil, errNoSheetXML
	}
	if b, ok := wb.Pkg.Load(part); ok && len(b.([]byte)) > 0 {
		return &sheetSource{data: b.([]byte)}, nil
	}
	src := &sheetSource{}
	for _, f := range wb.zip.File {
		if strings.ReplaceAll(f.Name, "\\", "/") == part {
			src.entry = f
		}
	}
	if src.entry == nil {
		return nil, errNoSheetXML
	}
	src.size = int64(src.entry.UncompressedSize64)
	src.file = wb.spilled(src.entry)
	return src, nil
}

// spilled finds excelize's temporary copy of a big sheet: the file in our
// temporary folder of the entry's size that starts as the entry does. When
// it cannot tell, it returns nil and the entry is inflated again instead.
func (wb *workbook) spilled(entry *zip.File) *os.File {
	if wb.tmpDir == "" {
		return nil
	}
	names, err := os.ReadDir(wb.tmpDir)
	if err != nil {
		return nil
	}
	var head []byte
	var found *os.File
	for _, d := range names {
		info, err := d.Info()
		if err != nil || !info.Mode().IsRegular() || uint64(info.Size()) != entry.UncompressedSize64 {
			continue
		}
		if head == nil {
			rc, err := entry.Open()
			if err != nil {
				return nil
			}
			head = make([]byte, min(info.Size(), 64<<10))
			_, err = io.ReadFull(rc, head)
			rc.Close()
			if err != nil {
				return nil
			}
		}
		f, err := os.Open(filepath.Join(wb.tmpDir, d.Name()))
		if err != nil {
			continue
		}
		got := make([]byte, len(head))
		if _, err := io.ReadFull(f, got); err != nil || !bytes.Equal(got, head) {
			f.Close()
			continue
		}
		if found != nil { // two alike: cannot tell which
			found.Close()
			f.Close()
			return nil
		}
		found = f
	}
	return found
}

// tail returns the last size bytes of the sheet (all of them if fewer) and
// whether that is the whole sheet.
func (s *sheetSource) tail(size int64) ([]byte, bool, error) {
	switch {
	case s.data != nil:
		return s.data, true, nil // searched from its end, so no need to cut
	case s.file != nil:
		off := max(0, s.size-size)
		b := make([]byte, s.size-off)
		_, err := s.file.ReadAt(b, off)
		return b, off == 0, err
	}
	return nil, false, errors.New("no copy of the sheet to read its end from")
}

// open streams the whole sheet.
func (s *sheetSource) open() (io.ReadCloser, error) {
	switch {
	case s.data != nil:
		return io.NopCloser(bytes.NewReader(s.data)), nil
	case s.file != nil:
		return io.NopCloser(io.NewSectionReader(s.file, 0, s.size)), nil
	}
	return s.entry.Open()
}

func (s *sheetSource) close() {
	if s.file != nil {
		s.file.Close()
	}
}

// sheetPart is the part name of a sheet's XML, found as excelize finds it:
// the workbook's relationship for the sheet, relative to the workbook part.
func (wb *workbook) sheetPart(sheet string) (string, bool) {
	if wb.WorkBook == nil {
		return "", false
	}
	book := ""
	for _, rel := range wb.rels("_rels/.rels") {
		if strings.HasSuffix(rel.Type, "/officeDocument") {
			book = strings.TrimPrefix(rel.Target, "/")
			break
		}
	}
	relsPath := "_rels/" + filepath.Base(book) + ".rels"
	if dir := filepath.Dir(book); dir != "." {
		relsPath = strings.TrimPrefix(dir+"/_rels/"+filepath.Base(book)+".rels", "/")
	}
	rels := wb.rels(relsPath)
	for _, s := range wb.WorkBook.Sheets.Sheet {
		if !strings.EqualFold(s.Name, sheet) {
			continue
		}
		for _, rel := range rels {
			if rel.ID != s.ID {
				continue
			}
			path := filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(filepath.Dir(book)+"/"+rel.Target), "\\", "/"), "/"))
			if strings.HasPrefix(rel.Target, "/") {
				path = filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(rel.Target), "\\", "/"), "/"))
			}
			return path, true
		}
	}
	return "", false
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Target string `xml:"Target,attr"`
	Type   string `xml:"Type,attr"`
}

func (wb *workbook) rels(part string) []relationship {
	b, ok := wb.Pkg.Load(part)
	if !ok {
		return nil
	}
	var rels struct {
		Relationships []relationship `xml:"Relationship"`
	}
	d := xml.NewDecoder(bytes.NewReader(b.([]byte)))
	d.CharsetReader = wb.CharsetReader
	d.Decode(&rels)
	return rels.Relationships
}

// lastRowNumber is the number of a sheet's last row as the end of its XML
// says, for showing progress only (the rows are counted as they are read);
// 0 when it cannot be found cheaply.
func (wb *workbook) lastRowNumber(sheet string) int {
	src, err := wb.sheetSource(sheet)
	if err != nil {
		return 0
	}
	defer src.close()
	tail, _, err := src.tail(64 << 10)
	if err != nil {
		return 0
	}
	last, found, _ := lastRow(tail)
	if !found {
		return 0
	}
	return last
}
