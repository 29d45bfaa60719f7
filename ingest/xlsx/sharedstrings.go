package xlsx

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// checkSharedStrings finds the cells of a sheet that refer to a shared
// string past the end of the table, which excelize reads as blank. It scans
// the sheet's bytes for t="s", which is cheap next to decoding them, and
// returns, by row, the first such cell's error; row 0 holds the error of a
// cell without a reference, reported when the rows end.
func (wb *Workbook) checkSharedStrings(sheet string) map[int]error {
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
		bad[row] = &Error{Kind: BadSharedString, Sheet: sheet, Row: row, Cell: cell, Index: index, Count: count}
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

func (wb *Workbook) sharedStringsSpilled() bool {
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
