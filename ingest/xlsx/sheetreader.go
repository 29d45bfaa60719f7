package xlsx

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sheetReader reads a worksheet's rows straight from its XML, giving each
// row's cells as excelize's Rows.Columns with RawCellValue does. excelize
// decodes every token into generic values through encoding/xml, which is
// most of an ingest's time; this reads the few elements a sheet's rows are
// made of. Whatever it is not sure to read as excelize does ends it with
// errOutside (see scanner.go), before the row concerned is handed out.
type sheetReader struct {
	x        *xmlBuf
	sst      []string
	sheet    string
	t        tag
	text     []byte // scratch for decoded text
	dataName []byte // sheetData's name, as written
	rowName  []byte
	cellName []byte
	value    []byte // scratch for a cell's <v>
	siName   []byte // and for a string item
	siText   []byte
	siRuns   []byte

	row      int   // the number of the last row read
	declared int   // the last row the sheet's dimension names; 0 if none or one
	noRef    error // a bad shared string in a cell without a reference, told at the end
	cells    []string
}

// newSheetReader reads up to the sheet's rows.
func newSheetReader(r io.Reader, sheet string, sst []string) (*sheetReader, error) {
	s := &sheetReader{x: newXMLBuf(r), sst: sst, sheet: sheet}
	return s, s.prelude()
}

// prelude finds <sheetData> and checks, with encoding/xml itself, that
// what comes before it decodes cleanly.
func (s *sheetReader) prelude() error {
	const limit = 4 << 20
	i := 0
	for {
		w := s.x.window()
		j := bytes.IndexByte(w[i:], '<')
		if j < 0 || i+j+16 > len(w) {
			if len(w) > limit || !s.x.more() {
				return errOutside
			}
			continue
		}
		i += j
		switch {
		case bytes.HasPrefix(w[i:], []byte("<?")):
			k := bytes.Index(w[i:], []byte("?>"))
			if k < 0 {
				if len(w) > limit || !s.x.more() {
					return errOutside
				}
				continue
			}
			i += k + 2
			continue
		case w[i+1] == '!':
			return errOutside
		}
		n, st := parseTag(w[i:], &s.t)
		if st == more {
			if len(w) > limit || !s.x.more() {
				return errOutside
			}
			continue
		}
		if st != done || string(s.t.local) == "row" {
			return errOutside
		}
		if string(s.t.local) == "dimension" && !s.t.end {
			for _, a := range s.t.attrs {
				if string(a.local) == "ref" {
					s.declared = dimensionRows(a.value)
				}
			}
		}
		i += n
		if string(s.t.local) != "sheetData" || s.t.end {
			continue
		}
		if !preludeDecodes(w[:i]) {
			return errOutside
		}
		s.dataName = append([]byte(nil), s.t.name...)
		s.x.pos = i
		if s.t.empty {
			s.dataName = nil // no rows
		}
		return nil
	}
}

// preludeDecodes tells whether encoding/xml reads b, which ends with the
// start tag of sheetData, to that tag without an error.
func preludeDecodes(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sheetData" {
			return d.InputOffset() == int64(len(b))
		}
	}
}

// dimensionRows is the last row of a dimension such as "A1:T3001".
func dimensionRows(ref []byte) int {
	_, last, _ := bytes.Cut(ref, []byte(":"))
	i := bytes.IndexAny(last, "0123456789")
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(string(last[i:]))
	if err != nil || n <= 1 || n > MaxRows {
		return 0
	}
	return n
}

// next reads the next row: its number, its cells (valid until the next
// call) and the error of a cell in it. At the end of the rows it returns
// io.EOF; errOutside or the stream's error when it cannot go on.
func (s *sheetReader) next() (num int, cells []string, rowErr error, err error) {
	if s.dataName == nil {
		return 0, nil, nil, io.EOF
	}
	if err := s.skipText(); err != nil {
		return 0, nil, nil, err
	}
	if err := s.readTag(); err != nil {
		return 0, nil, nil, err
	}
	if s.t.end {
		if !bytes.Equal(s.t.name, s.dataName) {
			return 0, nil, nil, errOutside
		}
		s.dataName = nil
		return 0, nil, nil, io.EOF
	}
	if string(s.t.local) != "row" {
		return 0, nil, nil, errOutside
	}
	num, ok := s.rowNumberOf(s.row)
	if !ok || num <= s.row {
		return 0, nil, nil, errOutside // out of order or too high: excelize's way, and its errors
	}
	s.cells = make([]string, 0, cap(s.cells)) // handed out: a new one for each row
	if !s.t.empty {
		s.rowName = append(s.rowName[:0], s.t.name...)
		if rowErr, err = s.readCells(num); err != nil {
			return 0, nil, nil, err
		}
	}
	// excelize reads a row's cells up to the next row: what follows must
	// be that row or the end of the rows.
	if err := s.skipText(); err != nil {
		return 0, nil, nil, err
	}
	if err := s.peekTag(); err != nil {
		return 0, nil, nil, err
	}
	switch {
	case s.t.end && bytes.Equal(s.t.name, s.dataName):
	case !s.t.end && string(s.t.local) == "row":
		// excelize gives this row the next one's cells when that one is
		// numbered at or before it.
		if next, ok := s.rowNumberOf(num); !ok || next <= num {
			return 0, nil, nil, errOutside
		}
	default:
		return 0, nil, nil, errOutside
	}
	s.row = num
	if len(s.cells) == 0 {
		return num, nil, rowErr, nil
	}
	return num, s.cells, rowErr, nil
}

// rowNumberOf is the number of the row whose start tag is s.t, coming
// after row prev; false when excelize is to read it.
func (s *sheetReader) rowNumberOf(prev int) (int, bool) {
	num := prev + 1
	for _, a := range s.t.attrs {
		if string(a.local) != "r" {
			continue
		}
		if a.prefixed {
			return 0, false
		}
		if num = rowNumber(a.value); num == 0 {
			return 0, false
		}
	}
	return num, num <= MaxRows
}

// rowNumber reads a row's r attribute; 0 if it is not a plain number.
func rowNumber(v []byte) int {
	if len(v) == 0 || len(v) > 7 {
		return 0
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0
		}
		n = 10*n + int(c-'0')
	}
	return n
}

// readCells reads a row's cells up to its end tag.
func (s *sheetReader) readCells(num int) (rowErr error, err error) {
	col := 0
	for {
		if err := s.skipText(); err != nil {
			return nil, err
		}
		if err := s.readTag(); err != nil {
			return nil, err
		}
		if s.t.end {
			if !bytes.Equal(s.t.name, s.rowName) {
				return nil, errOutside
			}
			return rowErr, nil
		}
		if string(s.t.local) != "c" {
			return nil, errOutside
		}
		col++
		val, formula, cellErr, err := s.readCell(&col)
		if err != nil {
			return nil, err
		}
		if cellErr != nil {
			if cellErr.Cell == "" {
				if s.noRef == nil {
					s.noRef = cellErr
				}
			} else if rowErr == nil {
				cellErr.Row = num
				rowErr = cellErr
			}
		}
		if val != "" || formula {
			for i := len(s.cells) + 1; i < col; i++ {
				s.cells = append(s.cells, "")
			}
			s.cells = append(s.cells, val)
		}
	}
}

// readCell reads the cell whose start tag is s.t; col is its column, set
// from its reference. It returns the value, whether it has a formula, and
// a shared string it cannot find.
func (s *sheetReader) readCell(col *int) (val string, formula bool, bad *Error, err error) {
	var ref, typ string
	for _, a := range s.t.attrs {
		switch string(a.local) {
		case "r", "s", "t":
		default:
			continue
		}
		if a.prefixed {
			return "", false, nil, errOutside
		}
		v := string(a.value)
		if !plain(a.value) {
			s.text, _ = decodeText(s.text[:0], a.value, true)
			v = string(s.text)
		}
		switch a.local[0] {
		case 'r':
			ref = v
		case 's':
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return "", false, nil, errOutside
			}
		case 't':
			typ = v
		}
	}
	if ref != "" {
		c, ok := columnOf(ref)
		if !ok {
			return "", false, nil, errOutside
		}
		*col = c
	}
	if s.t.empty {
		return "", false, nil, nil
	}
	s.cellName = append(s.cellName[:0], s.t.name...)
	s.value = s.value[:0]
	var inline string
	hasIS := false
	for {
		if err := s.skipText(); err != nil {
			return "", false, nil, err
		}
		if err := s.readTag(); err != nil {
			return "", false, nil, err
		}
		if s.t.end {
			if !bytes.Equal(s.t.name, s.cellName) {
				return "", false, nil, errOutside
			}
			break
		}
		switch string(s.t.local) {
		case "v":
			if s.value, err = s.readText(s.value[:0]); err != nil {
				return "", false, nil, err
			}
		case "f":
			formula = true
			for _, a := range s.t.attrs {
				if !typedValueOK("f", string(a.local), string(a.value)) {
					return "", false, nil, errOutside
				}
			}
			if err := s.skipElement(); err != nil {
				return "", false, nil, err
			}
		case "is":
			if hasIS {
				return "", false, nil, errOutside
			}
			hasIS = true
			if inline, err = s.readSI(); err != nil {
				return "", false, nil, err
			}
		default:
			return "", false, nil, errOutside
		}
	}
	v := s.value
	switch typ {
	case "s":
		if len(v) == 0 {
			return "", formula, nil, nil
		}
		i, _ := strconv.Atoi(strings.TrimSpace(string(v)))
		if i < 0 || i >= len(s.sst) {
			return "", formula, &Error{Kind: BadSharedString, Sheet: s.sheet, Cell: ref, Index: i, Count: len(s.sst)}, nil
		}
		return s.sst[i], formula, nil, nil
	case "inlineStr":
		if hasIS {
			return inline, formula, nil, nil
		}
	}
	return string(v), formula, nil, nil
}

// columnOf is the column of a cell reference, as excelize reads it.
func columnOf(ref string) (int, bool) {
	col, i := 0, 0
	for i < len(ref) && i < 3 && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = 26*col + int(ref[i]-'A') + 1
		i++
	}
	if i > 0 && i < len(ref) && ref[i] >= '1' && ref[i] <= '9' && col <= excelize.MaxColumns {
		if n := rowNumber([]byte(ref[i:])); n > 0 && n <= MaxRows {
			return col, true
		}
	}
	c, _, err := excelize.CellNameToCoordinates(ref)
	return c, err == nil
}

// readSI reads the content of a string item (<si>, or a cell's <is>)
// whose start tag is s.t, as excelize's xlsxSI.String gives it: the text
// of its <t>, then of each run's <t>.
func (s *sheetReader) readSI() (string, error) {
	if s.t.empty {
		return "", nil
	}
	s.siName = append(s.siName[:0], s.t.name...)
	text, runs := s.siText[:0], s.siRuns[:0]
	defer func() { s.siText, s.siRuns = text, runs }()
	for {
		if err := s.skipText(); err != nil {
			return "", err
		}
		if err := s.readTag(); err != nil {
			return "", err
		}
		if s.t.end {
			if !bytes.Equal(s.t.name, s.siName) {
				return "", errOutside
			}
			break
		}
		var err error
		switch string(s.t.local) {
		case "t":
			text, err = s.readText(text[:0]) // the last <t> counts, as in encoding/xml
		case "r":
			runs, err = s.readRun(runs)
		case "rPh", "phoneticPr":
			err = errOutside // typed attributes encoding/xml may refuse
		default:
			err = s.skipElement()
		}
		if err != nil {
			return "", err
		}
	}
	if len(runs) > 0 {
		text = append(text, runs...)
	}
	if len(text) == 0 {
		return "", nil
	}
	return bstrUnmarshal(string(text)), nil
}

// readRun appends the text of a rich text run to runs.
func (s *sheetReader) readRun(runs []byte) ([]byte, error) {
	if s.t.empty {
		return runs, nil
	}
	name := append([]byte(nil), s.t.name...)
	var text []byte
	for {
		if err := s.skipText(); err != nil {
			return nil, err
		}
		if err := s.readTag(); err != nil {
			return nil, err
		}
		if s.t.end {
			if !bytes.Equal(s.t.name, name) {
				return nil, errOutside
			}
			return append(runs, text...), nil
		}
		var err error
		switch string(s.t.local) {
		case "t":
			text, err = s.readText(text[:0])
		case "rPr":
			err = s.skipRunProperties()
		default:
			err = s.skipElement()
		}
		if err != nil {
			return nil, err
		}
	}
}

// skipRunProperties skips a run's formatting, whose attribute values
// encoding/xml decodes into numbers and booleans: each must be one it reads.
func (s *sheetReader) skipRunProperties() error {
	if s.t.empty {
		return nil
	}
	name := append([]byte(nil), s.t.name...)
	for {
		if err := s.skipText(); err != nil {
			return err
		}
		if err := s.readTag(); err != nil {
			return err
		}
		if s.t.end {
			if !bytes.Equal(s.t.name, name) {
				return errOutside
			}
			return nil
		}
		element := string(s.t.local)
		for _, a := range s.t.attrs {
			if !typedValueOK(element, string(a.local), string(a.value)) {
				return errOutside
			}
		}
		if err := s.skipElement(); err != nil {
			return err
		}
	}
}

// typedValueOK tells whether encoding/xml decodes the attribute of a run
// property into excelize's xlsxRPr, or of a formula into its xlsxF.
func typedValueOK(element, name, value string) bool {
	if strings.ContainsAny(value, "&\r") {
		return false
	}
	kind := ""
	switch {
	case name == "val":
		switch element {
		case "charset", "family":
			kind = "int"
		case "b", "i", "strike", "outline", "shadow", "condense", "extend":
			kind = "bool"
		case "sz":
			kind = "float"
		}
	case element == "f": // excelize's xlsxF
		switch name {
		case "aca", "dt2D", "dtr", "del1", "del2", "ca", "bx":
			kind = "bool"
		case "si":
			kind = "int"
		}
	case element == "color":
		switch name {
		case "auto":
			kind = "bool"
		case "indexed", "theme":
			kind = "int"
		case "tint":
			kind = "float"
		}
	}
	v := strings.TrimSpace(value)
	if v == "" {
		return true
	}
	var err error
	switch kind {
	case "int":
		_, err = strconv.ParseInt(v, 10, 64)
	case "bool":
		_, err = strconv.ParseBool(v)
	case "float":
		_, err = strconv.ParseFloat(v, 64)
	}
	return err == nil
}

// readText reads the text content of the element whose start tag is s.t,
// which must hold nothing else, appending it to dst.
func (s *sheetReader) readText(dst []byte) ([]byte, error) {
	if s.t.empty {
		return dst, nil
	}
	name := append(s.text[:0], s.t.name...) // s.text is free until the end tag
	for {
		w := s.x.window()
		j := bytes.IndexByte(w, '<')
		if j < 0 {
			if !s.x.more() {
				return nil, s.x.failure()
			}
			continue
		}
		var ok bool
		if dst, ok = decodeText(dst, w[:j], false); !ok {
			return nil, errOutside
		}
		s.x.pos += j
		break
	}
	if err := s.readTag(); err != nil {
		return nil, err
	}
	if !s.t.end || !bytes.Equal(s.t.name, name) {
		return nil, errOutside
	}
	return dst, nil
}

// skipElement skips the content of the element whose start tag is s.t.
func (s *sheetReader) skipElement() error {
	if s.t.empty {
		return nil
	}
	var stack [][]byte
	stack = append(stack, append([]byte(nil), s.t.name...))
	for len(stack) > 0 {
		if err := s.skipText(); err != nil {
			return err
		}
		if err := s.readTag(); err != nil {
			return err
		}
		switch {
		case s.t.end:
			if !bytes.Equal(s.t.name, stack[len(stack)-1]) {
				return errOutside
			}
			stack = stack[:len(stack)-1]
		case !s.t.empty:
			if len(stack) > 64 {
				return errOutside
			}
			stack = append(stack, append([]byte(nil), s.t.name...))
		}
	}
	return nil
}

// skipText checks the text up to the next markup.
func (s *sheetReader) skipText() error {
	for {
		w := s.x.window()
		j := bytes.IndexByte(w, '<')
		if j < 0 {
			if !s.x.more() {
				return s.x.failure()
			}
			continue
		}
		if j > 0 && !plain(w[:j]) && !validText(w[:j], false) {
			return errOutside
		}
		s.x.pos += j
		return nil
	}
}

// readTag reads the tag at the window's start.
func (s *sheetReader) readTag() error {
	n, err := s.tagAt()
	s.x.pos += n
	return err
}

// peekTag reads the tag at the window's start without consuming it.
func (s *sheetReader) peekTag() error {
	_, err := s.tagAt()
	return err
}

func (s *sheetReader) tagAt() (int, error) {
	for {
		w := s.x.window()
		if len(w) >= 2 && (w[1] == '!' || w[1] == '?') {
			return 0, errOutside
		}
		n, st := parseTag(w, &s.t)
		switch st {
		case done:
			return n, nil
		case outside:
			return 0, errOutside
		}
		if !s.x.more() {
			return 0, s.x.failure()
		}
	}
}

// failure is why the stream ended early: a sheet cut short, an entry that
// does not inflate, a read error. excelize then reads the sheet, to tell
// where it breaks as before.
func (x *xmlBuf) failure() error { return errOutside }

// readSharedStrings reads xl/sharedStrings.xml as excelize's
// sharedStringsReader does: every <si> of the <sst> root element.
func readSharedStrings(r io.Reader) ([]string, error) {
	s := &sheetReader{x: newXMLBuf(r)}
	s.x.refuse = []byte("purl.oclc.org") // strict namespaces, which excelize rewrites first
	// The prelude: up to the root element, decoded by encoding/xml.
	const limit = 1 << 20
	for {
		w := s.x.window()
		i := bytes.Index(w, []byte("sst"))
		if i < 0 || bytes.IndexByte(w[i:], '>') < 0 {
			if len(w) > limit || !s.x.more() {
				if s.x.err == nil && len(bytes.TrimSpace(w)) == 0 {
					return nil, nil // no table
				}
				return nil, errOutside
			}
			continue
		}
		end := i + bytes.IndexByte(w[i:], '>') + 1
		d := xml.NewDecoder(bytes.NewReader(w[:end]))
		var root xml.StartElement
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, errOutside
			}
			if se, ok := tok.(xml.StartElement); ok {
				root = se
				break
			}
		}
		if d.InputOffset() != int64(end) || root.Name.Local != "sst" || root.Name.Space != "http://schemas.openxmlformats.org/spreadsheetml/2006/main" {
			return nil, errOutside
		}
		for _, a := range root.Attr {
			if (a.Name.Local == "count" || a.Name.Local == "uniqueCount") && strings.TrimSpace(a.Value) != "" {
				if _, err := strconv.Atoi(strings.TrimSpace(a.Value)); err != nil {
					return nil, errOutside
				}
			}
		}
		if _, st := parseTag(w[bytes.LastIndexByte(w[:end], '<'):end], &s.t); st != done {
			return nil, errOutside
		}
		s.x.pos = end
		if s.t.empty {
			return nil, nil
		}
		break
	}
	rootName := append([]byte(nil), s.t.name...)
	var list []string
	for {
		if err := s.skipText(); err != nil {
			return nil, err
		}
		if err := s.readTag(); err != nil {
			return nil, err
		}
		if s.t.end {
			if !bytes.Equal(s.t.name, rootName) {
				return nil, errOutside
			}
			return list, nil
		}
		if string(s.t.local) != "si" {
			if err := s.skipElement(); err != nil {
				return nil, err
			}
			continue
		}
		v, err := s.readSI()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
}

// bstrUnmarshal turns the escapes _xHHHH_ of a string into characters,
// as excelize's function of that name (lib.go) does.
func bstrUnmarshal(s string) (result string) {
	if !strings.Contains(s, "_x") {
		return s
	}
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		result += s[cursor:match[0]]
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			result += "_"
			continue
		}
		if bstrExp.MatchString(subStr) {
			cursor = match[1]
			v, _ := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`)
			result += v
		}
	}
	if cursor < l {
		result += s[cursor:]
	}
	return result
}

var bstrExp = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
