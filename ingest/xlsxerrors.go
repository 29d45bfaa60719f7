package ingest

import (
	"errors"
	"fmt"
	"strings"

	"pantau/ingest/xlsx"

	"pantau/queries"
)

// The words for what the xlsx reader finds wrong with a file: it reports
// kinds and facts, and this file says them to people in both languages.

// accepted names the only format pantau reads, for every refusal.
var accepted = queries.Message{
	ID: "pantau hanya membaca buku kerja Excel .xlsx (Office Open XML); buka file di Excel atau LibreOffice lalu simpan sebagai \"Excel Workbook (.xlsx)\"",
	EN: "pantau reads only Excel .xlsx workbooks (Office Open XML); open the file in Excel or LibreOffice and save it as \"Excel Workbook (.xlsx)\"",
}

func refusal(id, en string) queries.Message {
	return queries.Message{ID: id + "; " + accepted.ID, EN: en + "; " + accepted.EN}
}

// formatRefusals are the refusals of files that are some other format.
var formatRefusals = map[xlsx.Kind]queries.Message{
	xlsx.EmptyFile:          refusal("file kosong", "the file is empty"),
	xlsx.LegacyXLS:          refusal("ini format Excel 97-2003 (.xls)", "this is the Excel 97-2003 format (.xls)"),
	xlsx.PDF:                refusal("ini file PDF", "this is a PDF file"),
	xlsx.UTF16Text:          refusal("ini file teks Unicode (UTF-16), misalnya \"Unicode Text\" atau CSV", "this is a Unicode (UTF-16) text file, such as \"Unicode Text\" or CSV"),
	xlsx.XMLSpreadsheet2003: refusal("ini format XML Spreadsheet 2003", "this is the XML Spreadsheet 2003 format"),
	xlsx.HTML:               refusal("ini halaman web (HTML), bukan buku kerja Excel", "this is a web page (HTML), not an Excel workbook"),
	xlsx.Text:               refusal("ini file teks (CSV?)", "this is a text file (CSV?)"),
	xlsx.UnknownFormat:      refusal("format file tidak dikenal", "the file format is not recognised"),
	xlsx.OpenDocument:       refusal("ini format OpenDocument (.ods)", "this is the OpenDocument format (.ods)"),
	xlsx.BinaryWorkbook:     refusal("ini format Excel Binary Workbook (.xlsb)", "this is the Excel Binary Workbook format (.xlsb)"),
	xlsx.NotWorkbook:        refusal("file zip ini bukan buku kerja Excel (tidak ada xl/workbook.xml)", "this zip file is not an Excel workbook (no xl/workbook.xml)"),
	xlsx.Encrypted: {ID: "buku kerja dilindungi kata sandi; hapus kata sandinya (File > Info > Protect Workbook) lalu simpan lagi sebagai .xlsx",
		EN: "the workbook is protected with a password; remove the password (File > Info > Protect Workbook) and save it again as .xlsx"},
	xlsx.MissingSheetXML: {ID: "XML sheet ini tidak ditemukan di dalam file; buka di Excel lalu simpan ulang",
		EN: "the sheet's XML is not in the file; open it in Excel and save it again"},
}

// sniff says why a file is not an .xlsx pantau can open, or nil if it is one.
func sniff(src source) *queries.Message {
	if err := xlsx.SniffAt(src.r, src.size); err != nil {
		r := reasonOf(err)
		return &r
	}
	return nil
}

// xlsxReason says what e found.
func xlsxReason(e *xlsx.Error) queries.Message {
	if r, ok := formatRefusals[e.Kind]; ok {
		return r
	}
	switch e.Kind {
	case xlsx.CorruptZip:
		return refusal("file zip rusak atau terpotong ("+e.Err.Error()+")", "the zip container is corrupt or truncated ("+e.Err.Error()+")")
	case xlsx.Oversized:
		return queries.Message{
			ID: fmt.Sprintf("isi file mengembang menjadi lebih dari %d MiB; file ditolak sebagai bom zip", e.Limit>>20),
			EN: fmt.Sprintf("the file unpacks to more than %d MiB; refused as a zip bomb", e.Limit>>20)}
	case xlsx.ZipBomb:
		return queries.Message{
			ID: fmt.Sprintf("%s di dalam file mengembang dari %d KiB menjadi %d MiB; file ditolak sebagai bom zip", e.Part, e.Compressed>>10, e.Uncompressed>>20),
			EN: fmt.Sprintf("%s inside the file inflates from %d KiB to %d MiB; refused as a zip bomb", e.Part, e.Compressed>>10, e.Uncompressed>>20)}
	case xlsx.RowNumberTooHigh:
		return queries.Message{
			ID: fmt.Sprintf("sesudah baris %d ada nomor baris di atas %d, batas Excel; file ini bukan buatan Excel atau rusak", e.Row, e.Limit),
			EN: fmt.Sprintf("after row %d comes a row number above %d, Excel's limit; the file was not made by Excel or is corrupt", e.Row, e.Limit)}
	case xlsx.BrokenSheet:
		where := queries.Message{ID: fmt.Sprintf("sesudah baris %d", e.Row), EN: fmt.Sprintf("after row %d", e.Row)}
		switch {
		case e.InRow:
			where = queries.Message{ID: fmt.Sprintf("di baris %d", e.Row), EN: fmt.Sprintf("in row %d", e.Row)}
		case e.Row == 0:
			where = queries.Message{ID: "sebelum baris pertama", EN: "before its first row"}
		}
		return queries.Message{
			ID: fmt.Sprintf("XML sheet rusak %s (%v): file terpotong atau dibuat program yang salah; buka di Excel lalu simpan ulang", where.ID, e.Err),
			EN: fmt.Sprintf("the sheet's XML is broken %s (%v): the file is truncated or was written by a faulty program; open it in Excel and save it again", where.EN, e.Err)}
	case xlsx.BadSharedString:
		cell := e.Cell
		if cell == "" {
			cell = "tanpa alamat"
		}
		return queries.Message{
			ID: fmt.Sprintf("sel %s merujuk teks bersama nomor %d, padahal tabelnya hanya berisi %d teks; file rusak, buka di Excel lalu simpan ulang", cell, e.Index, e.Count),
			EN: fmt.Sprintf("cell %s refers to shared string %d, but the table holds only %d; the file is corrupt, open it in Excel and save it again", cell, e.Index, e.Count)}
	}
	return queries.Message{ID: e.Error(), EN: e.Error()}
}

// rowReadError and sheetReadError are the problems of a row or a sheet that
// cannot be read, in both languages when err says it in both.
func rowReadError(row int, err error) queries.Message {
	r := reasonOf(err)
	return queries.Message{ID: fmt.Sprintf("baris %d tidak terbaca: %s", row, r.ID), EN: fmt.Sprintf("row %d cannot be read: %s", row, r.EN)}
}

func sheetReadError(err error) queries.Message {
	r := reasonOf(err)
	return queries.Message{ID: "sheet tidak terbaca: " + r.ID, EN: "sheet cannot be read: " + r.EN}
}

func reasonOf(err error) queries.Message {
	var r *queries.Message
	if errors.As(err, &r) {
		return *r
	}
	var x *xlsx.Error
	if errors.As(err, &x) {
		return xlsxReason(x)
	}
	return queries.Message{ID: err.Error(), EN: err.Error()}
}

// openError says why excelize could not open a workbook.
func openError(err error) queries.Message {
	msg := err.Error()
	if strings.Contains(msg, "unzip size") || strings.Contains(msg, "UnzipSizeLimit") {
		return queries.Message{ID: fmt.Sprintf("isi file melebihi %d MiB setelah diekstrak", xlsx.UnzipLimit>>20), EN: fmt.Sprintf("its content exceeds %d MiB once unpacked", xlsx.UnzipLimit>>20)}
	}
	return queries.Message{ID: msg, EN: msg}
}
