package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"unicode/utf8"
)

// Unzip limits handed to excelize. An honest workbook within the upload limit
// unpacks to well under UnzipLimit; a zip bomb claims more and is refused
// before anything is inflated. Worksheets above the XML limit are streamed
// from a temporary file instead of memory (excelize removes it on Close).
const (
	UnzipLimit    = 2 << 30 // 2 GiB: a 1,000,000-respondent survey unpacks to 1.04 GiB
	unzipXMLLimit = 64 << 20
)

// MaxRows is Excel's last row number.
const MaxRows = 1_048_576

// bombRatio is the most an entry of some size may inflate relative to its
// compressed size. Real worksheet XML deflates about 5 to 30 times; runs of
// one repeated byte, which is what zip bombs are made of, about 1,000 times.
const (
	bombRatio   = 200
	bombMinSize = 16 << 20
)

// Sniff tells from its bytes whether data is an .xlsx Open can read: nil if
// so, else an *Error whose Kind says what the file is instead, so that the
// refusal can say what to do.
func Sniff(data []byte) error { return SniffAt(bytes.NewReader(data), int64(len(data))) }

// SniffAt is Sniff of a file of size bytes read through r, which it reads
// only as far as it must: the head and, for a zip, its directory.
func SniffAt(r io.ReaderAt, size int64) error {
	var k Kind
	head := make([]byte, min(size, 4096))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return &Error{Kind: CorruptZip, Err: err}
	}
	switch {
	case size == 0:
		k = EmptyFile
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		// OLE2: an old .xls, or an .xlsx that Excel encrypted with a password.
		k = LegacyXLS
		if data, err := io.ReadAll(io.NewSectionReader(r, 0, size)); err == nil && bytes.Contains(data, utf16("EncryptionInfo")) {
			k = Encrypted
		}
	case bytes.HasPrefix(head, []byte("%PDF")):
		k = PDF
	case bytes.HasPrefix(head, []byte("PK")):
		return sniffZip(r, size)
	case bytes.HasPrefix(head, []byte("\xFF\xFE")) || bytes.HasPrefix(head, []byte("\xFE\xFF")):
		k = UTF16Text
	case utf8.Valid(head) && !bytes.ContainsRune(head, 0):
		k = sniffText(head)
	default:
		k = UnknownFormat
	}
	return &Error{Kind: k}
}

// sniffText names the text formats that are often saved as "Excel" files:
// web pages, the Excel 2003 XML spreadsheet, and CSV.
func sniffText(head []byte) Kind {
	lower := bytes.ToLower(head)
	switch {
	case bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return XMLSpreadsheet2003
	case bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<table")):
		return HTML
	}
	return Text
}

// sniffZip checks the zip directory: an OpenDocument file, a zip of
// something else, a truncated download, or more than UnzipLimit unpacked.
func sniffZip(r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return &Error{Kind: CorruptZip, Err: err}
	}
	var total uint64
	workbook, binary := false, false
	for _, f := range zr.File {
		if f.UncompressedSize64 > UnzipLimit || total+f.UncompressedSize64 > UnzipLimit {
			return &Error{Kind: Oversized, Limit: UnzipLimit}
		}
		total += f.UncompressedSize64
		if f.UncompressedSize64 > bombMinSize && f.UncompressedSize64/bombRatio > f.CompressedSize64 {
			return &Error{Kind: ZipBomb, Part: f.Name, Compressed: f.CompressedSize64, Uncompressed: f.UncompressedSize64}
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
					return &Error{Kind: OpenDocument}
				}
			}
		}
	}
	if !workbook && binary {
		return &Error{Kind: BinaryWorkbook}
	}
	if !workbook {
		return &Error{Kind: NotWorkbook}
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
