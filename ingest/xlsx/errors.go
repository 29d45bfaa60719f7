// Package xlsx is pantau's hardened reader of .xlsx workbooks: it tells what
// a file is from its bytes, opens it with unzip limits, and reads a sheet's
// rows with a focused reader of the sheet XML (sheetreader.go), or through
// excelize, made sure to have read all of them, where that reader is unsure.
//
// What is wrong with a file comes back as an *Error, whose Kind and facts
// the caller turns into words; this package writes no message for people.
package xlsx

import "fmt"

// Kind is what is wrong with a file.
type Kind int

// The kinds of an *Error. Sniff finds the first group, Rows the second.
const (
	EmptyFile Kind = iota + 1
	Encrypted      // an .xlsx protected with a password
	LegacyXLS      // Excel 97-2003
	PDF
	UTF16Text          // "Unicode Text" or a UTF-16 CSV
	XMLSpreadsheet2003 // Excel 2003's XML format
	HTML               // a web page saved as .xls
	Text               // other text, CSV most likely
	UnknownFormat
	CorruptZip     // Err says why
	Oversized      // unpacks to more than Limit bytes in all
	ZipBomb        // Part inflates from Compressed to Uncompressed bytes
	OpenDocument   // .ods
	BinaryWorkbook // .xlsb
	NotWorkbook    // a zip without xl/workbook.xml

	RowNumberTooHigh // after row Row comes a row numbered above Limit
	BrokenSheet      // the XML breaks in row Row (InRow) or after it; Err says how
	BadSharedString  // Cell refers to shared string Index of a table of Count
	MissingSheetXML  // the workbook names the sheet but its XML is not in the file
)

var kindNames = [...]string{
	EmptyFile: "empty file", Encrypted: "encrypted workbook", LegacyXLS: "Excel 97-2003 file",
	PDF: "PDF file", UTF16Text: "UTF-16 text", XMLSpreadsheet2003: "XML Spreadsheet 2003",
	HTML: "HTML page", Text: "text file", UnknownFormat: "unknown format",
	CorruptZip: "corrupt zip", Oversized: "unpacks too large", ZipBomb: "zip bomb",
	OpenDocument: "OpenDocument file", BinaryWorkbook: "binary workbook (.xlsb)", NotWorkbook: "zip without a workbook",
	RowNumberTooHigh: "row number too high", BrokenSheet: "broken sheet XML",
	BadSharedString: "shared string out of range", MissingSheetXML: "sheet XML missing",
}

// String names the kind in English, for logs and test failures.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is a file the reader refuses, or a sheet it cannot read to its end.
// Only the fields its Kind names are set.
type Error struct {
	Kind  Kind
	Sheet string // the sheet being read, for the kinds Rows returns
	Row   int    // the row at or after which the sheet breaks
	InRow bool   // BrokenSheet: the XML breaks inside row Row, not after it
	Cell  string // BadSharedString: the cell's reference, "" if it has none
	Part  string // ZipBomb: the zip entry

	Index, Count             int    // BadSharedString
	Limit                    int64  // Oversized (bytes), RowNumberTooHigh (rows)
	Compressed, Uncompressed uint64 // ZipBomb: the entry's sizes, in bytes
	Err                      error  // the cause, for CorruptZip and BrokenSheet
}

// Error describes e in English for logs; people are shown the caller's words.
func (e *Error) Error() string {
	s := "xlsx: " + e.Kind.String()
	if e.Sheet != "" {
		s += " in sheet " + e.Sheet
	}
	if e.Row > 0 {
		s += fmt.Sprintf(" at row %d", e.Row)
	}
	if e.Cell != "" {
		s += " at cell " + e.Cell
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
