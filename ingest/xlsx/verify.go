package xlsx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// verify makes sure excelize read the sheet to its end: having yielded n
// rows, it must have stopped at the </sheetData> closing the sheet's rows,
// not at an XML error. The usual proof is cheap: the sheet's last row starts
// near the end of its XML, is row n, and decodes cleanly up to </sheetData>.
// When that does not hold, the sheet is decoded again from the start, which
// finds where the XML breaks.
func (wb *Workbook) verify(sheet string, n int) error {
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
		return &Error{Kind: BrokenSheet, Sheet: sheet, Row: rows, InRow: inRow, Err: err}
	}
	if n < rows {
		return &Error{Kind: BrokenSheet, Sheet: sheet, Row: n, Err: fmt.Errorf("only %d of %d rows read", n, rows)}
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
func (wb *Workbook) decodeRows(r io.Reader) (rows int, inRow bool, err error) {
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

// LastRowNumber is the number of a sheet's last row as the end of its XML
// says, for showing progress only (the rows are counted as they are read);
// 0 when it cannot be found cheaply.
func (wb *Workbook) LastRowNumber(sheet string) int {
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
