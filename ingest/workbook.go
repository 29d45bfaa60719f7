package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Unzip limits handed to excelize. An honest workbook within the upload limit
// unpacks to well under UnzipLimit; a zip bomb claims more and is refused
// before anything is inflated. Worksheets above the XML limit are streamed
// from a temporary file instead of memory (excelize removes it on Close).
const (
	UnzipLimit    = 1 << 30 // 1 GiB
	unzipXMLLimit = 64 << 20
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
	case utf8.Valid(data[:min(len(data), 4096)]) && !bytes.ContainsRune(data[:min(len(data), 4096)], 0):
		r = refusal("ini file teks (CSV?)", "this is a text file (CSV?)")
	default:
		r = refusal("format file tidak dikenal", "the file format is not recognised")
	}
	return &r
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
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		switch f.Name {
		case "xl/workbook.xml":
			workbook = true
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
	if total > UnzipLimit {
		return &Reason{
			ID: fmt.Sprintf("isi file mengembang menjadi %d MiB (paling banyak %d MiB); file ditolak sebagai bom zip", total>>20, UnzipLimit>>20),
			EN: fmt.Sprintf("the file unpacks to %d MiB (at most %d MiB); refused as a zip bomb", total>>20, UnzipLimit>>20)}
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

// openWorkbook opens an .xlsx held in memory with the unzip limits set.
// excelize can panic on some malformed files; that is a corrupt file, not a crash.
func openWorkbook(data []byte) (f *excelize.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("corrupt workbook: %v", p)
		}
	}()
	return excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    UnzipLimit,
		UnzipXMLSizeLimit: unzipXMLLimit,
	})
}
