package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"pantau/ingest/xlsx"
	"pantau/queries"
)

// How an annotation keeps its memory small. excelize holds a whole
// worksheet in memory, some ten times its XML, to change one cell of it; a
// 5 MB upload whose sheet unpacks to 800 MB took 2 GB. So excelize never
// sees the rows: it annotates a stub of the workbook, the same but for the
// rows of its worksheets, of which the stub keeps only the cells the
// annotation may change (those in error and those with pantau's red fill,
// each reduced to its position and style). Then each worksheet is written
// again by copying its rows from the upload, byte for byte, changing only the
// style of the cells excelize restyled in the stub and adding the cells in
// error that did not exist, while what surrounds the rows (comments' drawing,
// active tab, the Kesalahan sheet, styles, every other part) is excelize's.
//
// What excelize still holds has stated bounds, beyond which a file is
// refused with a message saying why: every part but the worksheets' rows
// (shared strings, styles, drawings...) at most annotateOtherLimit unpacked,
// and at most annotateMaxCells cells in the stub. The rows go through a
// buffer of 64 KiB; their size is bounded only by the unzip limit.
const (
	annotateOtherLimit      = 64 << 20
	annotateMaxCells        = 500_000  // counting those to their left, which excelize makes
	annotateErrorSheetLimit = 16 << 20 // a Kesalahan sheet bigger than that is not pantau's
)

// cellPos is a cell's row and column, from 1.
type cellPos struct{ row, col int }

// bookPlan is an upload taken apart for its annotation.
type bookPlan struct {
	zr     *zip.Reader
	byName map[string]*zip.File // by folded name: part names ignore case
	sheets map[string]*sheetPlan
	bySrc  map[string]*sheetPlan // by the folded name of its part
	styles string                // the styles part
}

// sheetPlan is a worksheet whose rows excelize does not see.
type sheetPlan struct {
	name    string
	entry   *zip.File
	errors  map[cellPos]bool // the cells in error
	inStub  map[cellPos]bool // the cells the stub kept: they exist in the upload
	stubbed bool

	toStub, fromStub map[int]int // row numbers in the upload and in the stub
	padded           int         // the cells excelize makes: to each cell's left in its row too

}

func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// planBook reads the upload's workbook part and relationships to find its
// worksheets, and checks the bounds that do not need the rows.
func planBook(data []byte, r *Report) (*bookPlan, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, cannotAnnotate(r.File, openError(err))
	}
	p := &bookPlan{zr: zr, byName: map[string]*zip.File{}, sheets: map[string]*sheetPlan{}, bySrc: map[string]*sheetPlan{}}
	for _, f := range zr.File {
		p.byName[partKey(f.Name)] = f
	}
	book := ""
	for _, rel := range p.rels("_rels/.rels", "") {
		if strings.HasSuffix(rel.Type, "/officeDocument") {
			book = rel.target
			break
		}
	}
	ids := map[string]string{}
	for _, rel := range p.rels(path.Join(path.Dir(book), "_rels", path.Base(book)+".rels"), book) {
		switch {
		case strings.HasSuffix(rel.Type, "/worksheet"):
			ids[rel.ID] = rel.target
		case strings.HasSuffix(rel.Type, "/styles"):
			p.styles = rel.target
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			IDs  string `xml:"http://purl.oclc.org/ooxml/officeDocument/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	p.decode(book, &wb)
	var rows uint64
	for _, s := range wb.Sheets {
		id := s.ID + s.IDs
		f := p.byName[partKey(ids[id])]
		if ids[id] == "" || f == nil || p.bySrc[partKey(f.Name)] != nil {
			continue
		}
		if strings.EqualFold(s.Name, errorSheet) {
			if f.UncompressedSize64 > annotateErrorSheetLimit {
				return nil, notPantaus(s.Name)
			}
			continue // small, and excelize reads it whole to take the old marks off
		}
		sp := &sheetPlan{name: s.Name, entry: f, errors: map[cellPos]bool{}, inStub: map[cellPos]bool{}}
		p.sheets[strings.ToLower(s.Name)] = sp
		p.bySrc[partKey(f.Name)] = sp
		rows += f.UncompressedSize64
	}
	var other uint64
	for _, f := range zr.File {
		if p.bySrc[partKey(f.Name)] == nil {
			other += f.UncompressedSize64
		}
	}
	switch {
	case other > annotateOtherLimit:
		return nil, cannotAnnotate(r.File, queries.Msgf(
			"selain baris lembar kerja, isinya melebihi %d MiB setelah diekstrak (gambar, teks bersama, gaya)",
			"apart from the worksheets' rows, its content exceeds %d MiB once unpacked (pictures, shared strings, styles)", annotateOtherLimit>>20))
	case rows > xlsx.UnzipLimit:
		return nil, cannotAnnotate(r.File, openError(fmt.Errorf("unzip size")))
	}
	for _, pr := range r.Problems {
		if pr.Severity != SeverityError || pr.Cell == "" {
			continue
		}
		sp := p.sheets[strings.ToLower(pr.Sheet)]
		if pos, ok := parseCellRef([]byte(pr.Cell)); ok && sp != nil {
			sp.errors[pos] = true
		}
	}
	return p, nil
}

// stubCell is where the cell ref of sheet is in the stub, if there.
func (p *bookPlan) stubCell(sheet, ref string) (string, bool) {
	sp := p.sheets[strings.ToLower(sheet)]
	if sp == nil || !sp.stubbed {
		return ref, true
	}
	pos, ok := parseCellRef([]byte(ref))
	if n := sp.toStub[pos.row]; ok && n != 0 {
		return cellPos{n, pos.col}.String(), true
	}
	return "", false
}

func notPantaus(sheet string) error {
	return queries.Errorf(queries.EINVALID,
		"file ini tidak dapat dianotasi: sheet %q bukan buatan pantau; ganti namanya lalu unggah lagi",
		"this file cannot be annotated: its sheet %q was not written by pantau; rename it and upload again", sheet)
}

type rel struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
	target string // the part it names
}

// decode reads a small part of the upload's into v. A part it cannot read
// is left to excelize to refuse, or to read as it can.
func (p *bookPlan) decode(part string, v any) {
	f := p.byName[partKey(part)]
	if f == nil || f.UncompressedSize64 > annotateOtherLimit {
		return
	}
	rc, err := f.Open()
	if err != nil {
		return
	}
	defer rc.Close()
	xml.NewDecoder(rc).Decode(v)
}

// rels reads a relationships part; from is the part they belong to.
func (p *bookPlan) rels(part, from string) []rel {
	var list struct {
		Rels []rel `xml:"Relationship"`
	}
	p.decode(part, &list)
	for i, r := range list.Rels {
		t := strings.ReplaceAll(r.Target, `\`, "/")
		if strings.HasPrefix(t, "/") {
			list.Rels[i].target = path.Clean(t)[1:]
		} else {
			list.Rels[i].target = strings.TrimPrefix(path.Clean(path.Join(path.Dir(from), t)), "/")
		}
	}
	return list.Rels
}

// redStyles are the cell formats (cellXfs indexes) filled as pantau fills
// a cell in error: the cells in them may be pantau's marks to take off.
func (p *bookPlan) redStyles() map[int]bool {
	red := map[int]bool{}
	var s struct {
		Fills []struct {
			Pattern struct {
				Type string `xml:"patternType,attr"`
				FG   struct {
					RGB string `xml:"rgb,attr"`
				} `xml:"fgColor"`
			} `xml:"patternFill"`
		} `xml:"fills>fill"`
		Xfs []struct {
			Fill int `xml:"fillId,attr"`
		} `xml:"cellXfs>xf"`
	}
	p.decode(p.styles, &s)
	for i, xf := range s.Xfs {
		if xf.Fill < 0 || xf.Fill >= len(s.Fills) {
			continue
		}
		f := s.Fills[xf.Fill].Pattern
		c := strings.ToUpper(f.FG.RGB)
		if len(c) == 8 {
			c = c[2:]
		}
		if f.Type == "solid" && c == badFill {
			red[i] = true
		}
	}
	return red
}

// stub is the upload with each planned worksheet's rows reduced to the
// cells the annotation may change.
func (p *bookPlan) stub(r *Report) ([]byte, error) {
	red := p.redStyles()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	cells := 0
	for _, f := range p.zr.File {
		sp := p.bySrc[partKey(f.Name)]
		if sp == nil || sp.stubbed {
			if err := zw.Copy(f); err != nil {
				return nil, cannotAnnotate(r.File, openError(err))
			}
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		rc, err := f.Open()
		if err == nil {
			err = stubSheet(w, rc, sp, red, annotateMaxCells-cells)
			rc.Close()
		}
		if errors.Is(err, errTooManyCells) {
			return nil, cannotAnnotate(r.File, queries.Msgf(
				"lebih dari %d sel bertanda merah atau salah", "more than %d cells are in error or filled red", annotateMaxCells))
		}
		if err != nil {
			return nil, cannotAnnotate(r.File, sheetError(sp.name, err))
		}
		sp.stubbed = true
		cells += sp.padded
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var errTooManyCells = errors.New("too many cells to mark")

func sheetError(sheet string, err error) queries.Message {
	return queries.Msgf("lembar %q tidak terbaca: %v", "sheet %q cannot be read: %v", sheet, err)
}

// stubSheet copies a worksheet but for its rows, of which it keeps the
// cells in error or in a red style, as empty cells of the same style, with
// a value so that excelize keeps them whatever their new style. excelize
// makes a row of every row number up to the last it changes, so the stub's
// rows are numbered anew, 1, 2, 3..., one for each row with a cell kept or
// in error; sp records which row of the upload each one is.
//
// The cells kept, counting those excelize makes to their left, must be at
// most budget, else it returns errTooManyCells.
func stubSheet(w io.Writer, src io.Reader, sp *sheetPlan, red map[int]bool, budget int) error {
	type keptRow struct {
		n     int
		tag   []byte
		cells []cellPos
		style []int
	}
	sc := newXMLScanner(src)
	bw := &errWriter{w: w}
	prefix, inData, done := "", false, false
	row, col := 0, 0
	var rowTag, tail []byte
	var kept []*keptRow
	var cur *keptRow
	rowsOf := map[int]*keptRow{}
	for pos := range sp.errors {
		if rowsOf[pos.row] == nil {
			rowsOf[pos.row] = &keptRow{n: pos.row}
			kept = append(kept, rowsOf[pos.row])
		}
	}
	for {
		kind, b, name, err := sc.next()
		if err == io.EOF {
			if inData && !done {
				return io.ErrUnexpectedEOF
			}
			break
		}
		if err != nil {
			return err
		}
		if done {
			tail = append(tail, b...)
			continue
		}
		if !inData {
			bw.Write(b)
			if (kind == tokStart || kind == tokEmpty) && string(name) == "sheetData" {
				prefix, inData, done = prefixOf(b), true, kind == tokEmpty
				if done {
					tail = append(tail, "<"+prefix+"sheetData>"...)
				}
			}
			continue
		}
		switch {
		case kind == tokEnd && string(name) == "sheetData":
			done = true
		case (kind == tokStart || kind == tokEmpty) && string(name) == "row":
			row, col, cur = rowNumber(b, row), 0, nil
			rowTag = append(rowTag[:0], b...)
			if kind == tokEmpty {
				rowTag = nil
			}
		case (kind == tokStart || kind == tokEmpty) && string(name) == "c" && rowTag != nil:
			if rowsOf[row] == nil && len(red) == 0 {
				continue // nothing of this row goes to excelize
			}
			var s int
			col, s, _ = cellTag(b, col)
			pos := cellPos{row, col}
			if !sp.errors[pos] && !red[s] {
				continue
			}
			if cur == nil {
				if cur = rowsOf[row]; cur == nil {
					cur = &keptRow{n: row}
					rowsOf[row] = cur
					kept = append(kept, cur)
				}
				cur.tag = bytes.Clone(rowTag)
			}
			if sp.padded += pos.col; sp.padded > budget {
				return errTooManyCells // before holding them all
			}
			sp.inStub[pos] = true
			cur.cells, cur.style = append(cur.cells, pos), append(cur.style, s)
		}
	}
	slices.SortFunc(kept, func(a, b *keptRow) int { return a.n - b.n })
	sp.toStub, sp.fromStub = map[int]int{}, map[int]int{}
	for i, k := range kept {
		n := i + 1
		sp.toStub[k.n], sp.fromStub[n] = n, k.n
		p := prefix
		if k.tag == nil {
			fmt.Fprintf(bw, `<%srow r="%d">`, p, n)
		} else {
			p = prefixOf(k.tag)
			bw.Write(withRowNumber(k.tag, n))
		}
		for j, pos := range k.cells {
			fmt.Fprintf(bw, `<%sc r="%s" s="%d"><%sv>0</%sv></%sc>`, p, cellPos{n, pos.col}, k.style[j], p, p, p)
		}
		bw.WriteString("</" + p + "row>")
	}
	for pos := range sp.errors {
		if !sp.inStub[pos] {
			sp.padded += pos.col
		}
	}
	if sp.padded > budget {
		return errTooManyCells
	}
	if inData {
		bw.WriteString("</" + prefix + "sheetData>")
	}
	bw.Write(tail)
	return bw.err
}

// rowNumber is the number of a row's tag, the one after prev when it has none.
func rowNumber(tag []byte, prev int) int {
	if v, ok := attrValue(tag, "r"); ok {
		if n, err := strconv.Atoi(string(v)); err == nil {
			return n
		}
	}
	return prev + 1
}

// withRowNumber is a row's start tag numbered n.
func withRowNumber(tag []byte, n int) []byte {
	end := len(tag) - 1
	for _, a := range tagAttrs(tag) {
		if string(a.name) == "r" {
			tag, end = slices.Concat(tag[:a.from], tag[a.to:]), end-(a.to-a.from)
			break
		}
	}
	return fmt.Appendf(nil, `%s r="%d">`, tag[:end], n)
}

// parseCellRef reads a cell reference ("AB12").
func parseCellRef(ref []byte) (cellPos, bool) {
	var pos cellPos
	i := 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		pos.col = pos.col*26 + int(c-'a'+1)
		if pos.col > 1<<20 {
			return pos, false
		}
	}
	if i == 0 || i == len(ref) {
		return pos, false
	}
	for ; i < len(ref); i++ {
		if ref[i] < '0' || ref[i] > '9' || pos.row > 1<<24 {
			return pos, false
		}
		pos.row = pos.row*10 + int(ref[i]-'0')
	}
	return pos, pos.row > 0
}

func (pos cellPos) String() string { return cellName(pos.col-1, pos.row) }

// cellTag reads a cell's start tag: its column (the one after prev when it
// has no reference), its style, and where its style attribute is (nil if none).
func cellTag(tag []byte, prev int) (col, style int, s *xmlAttr) {
	col = prev + 1
	for _, a := range tagAttrs(tag) {
		switch string(a.name) {
		case "r":
			if pos, ok := parseCellRef(a.value); ok {
				col = pos.col
			}
		case "s":
			style, _ = strconv.Atoi(string(a.value))
			s = &a
		}
	}
	return col, style, s
}

// merge writes the annotated workbook: the parts of out, the stub as
// excelize annotated it, but for the planned worksheets, whose rows come
// from the upload.
func (p *bookPlan) merge(w io.Writer, out []byte, file string) error {
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, f := range zr.File {
		sp := p.bySrc[partKey(f.Name)]
		if sp == nil {
			if err := zw.Copy(f); err != nil {
				return err
			}
			continue
		}
		annotated, err := readEntry(f)
		if err != nil {
			return err
		}
		dst, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: sp.entry.Modified})
		if err != nil {
			return err
		}
		buf := bufio.NewWriterSize(dst, 64<<10) // the compressor takes few big writes faster than many small ones
		src, err := sp.entry.Open()
		if err == nil {
			err = mergeSheet(buf, src, annotated, sp)
			src.Close()
		}
		if err == nil {
			err = buf.Flush()
		}
		if err != nil {
			return cannotAnnotate(file, sheetError(sp.name, err))
		}
	}
	return zw.Close()
}

func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// annotatedSheet is what merge takes from excelize's copy of a stub sheet.
type annotatedSheet struct {
	head, dataTag, tail []byte
	style               map[cellPos]int   // the kept cells' styles now
	added               map[int][]cellPos // by row, sorted: cells in error excelize added
	addedRows           []int             // sorted
}

func readAnnotated(b []byte, sp *sheetPlan) (*annotatedSheet, error) {
	a := &annotatedSheet{style: map[cellPos]int{}, added: map[int][]cellPos{}}
	sc := newXMLScanner(bytes.NewReader(b))
	var off int64
	inData, row, col := false, 0, 0
	for {
		kind, t, name, err := sc.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		start := off
		off += int64(len(t))
		switch {
		case !inData && a.dataTag == nil && (kind == tokStart || kind == tokEmpty) && string(name) == "sheetData":
			a.head = b[:start]
			a.dataTag = bytes.Clone(t)
			if kind == tokEmpty {
				a.dataTag = append(a.dataTag[:len(a.dataTag)-2], '>')
				a.tail = b[off:]
				return a, nil
			}
			inData = true
		case inData && kind == tokEnd && string(name) == "sheetData":
			a.tail = b[off:]
			return a, nil
		case inData && (kind == tokStart || kind == tokEmpty) && string(name) == "row":
			row, col = rowNumber(t, row), 0
		case inData && (kind == tokStart || kind == tokEmpty) && string(name) == "c" && sp.fromStub[row] != 0:
			var s int
			col, s, _ = cellTag(t, col)
			pos := cellPos{sp.fromStub[row], col}
			switch {
			case sp.inStub[pos]:
				a.style[pos] = s
			case sp.errors[pos]:
				if len(a.added[pos.row]) == 0 {
					a.addedRows = append(a.addedRows, pos.row)
				}
				a.added[pos.row] = append(a.added[pos.row], pos)
				a.style[pos] = s
			}
		}
	}
	if a.dataTag == nil { // no rows at all: excelize always writes them
		return nil, fmt.Errorf("no sheetData in the annotated stub")
	}
	return nil, io.ErrUnexpectedEOF
}

// mergeSheet writes a worksheet: excelize's annotated stub with the rows of
// the upload in place of its own.
func mergeSheet(w io.Writer, src io.Reader, annotated []byte, sp *sheetPlan) error {
	a, err := readAnnotated(annotated, sp)
	if err != nil {
		return err
	}
	for _, row := range a.addedRows {
		slices.SortFunc(a.added[row], func(x, y cellPos) int { return x.col - y.col })
	}
	slices.Sort(a.addedRows)
	bw := &errWriter{w: w}
	bw.Write(a.head)
	sc := newXMLScanner(src)
	prefix, root, inData := "", []byte(nil), false
	row, col := 0, 0
	var pending []cellPos // cells to add to the row at hand
	var rowPrefix string
	restyled := map[int]bool{}
	for pos := range a.style {
		restyled[pos.row] = true
	}
	addCells := func(upTo int) {
		for len(pending) > 0 && pending[0].col < upTo {
			fmt.Fprintf(bw, `<%sc r="%s" s="%d"/>`, rowPrefix, pending[0], a.style[pending[0]])
			pending = pending[1:]
		}
	}
	addRows := func(upTo int) {
		for len(a.addedRows) > 0 && a.addedRows[0] < upTo {
			n := a.addedRows[0]
			a.addedRows = a.addedRows[1:]
			fmt.Fprintf(bw, `<%srow r="%d">`, prefix, n)
			pending, rowPrefix = a.added[n], prefix
			addCells(1 << 30)
			bw.WriteString("</" + prefix + "row>")
		}
	}
	for {
		kind, b, name, err := sc.next()
		if err == io.EOF {
			if inData {
				return io.ErrUnexpectedEOF
			}
			break // a sheet without rows: they are all added
		}
		if err != nil {
			return err
		}
		if !inData {
			if root == nil && (kind == tokStart || kind == tokEmpty) {
				root = bytes.Clone(b)
			}
			if (kind == tokStart || kind == tokEmpty) && string(name) == "sheetData" {
				prefix = prefixOf(b)
				if kind == tokEmpty {
					break
				}
				inData = true
				bw.Write(withNamespaces(a.dataTag, root, a.head))
			}
			continue
		}
		switch {
		case kind == tokEnd && string(name) == "sheetData":
			addRows(1 << 30)
			bw.WriteString(closeTag(a.dataTag))
			bw.Write(a.tail)
			return bw.err
		case (kind == tokStart || kind == tokEmpty) && string(name) == "row":
			row, col = rowNumber(b, row), 0
			addRows(row)
			pending, rowPrefix = nil, prefixOf(b)
			if len(a.addedRows) > 0 && a.addedRows[0] == row {
				pending = a.added[row]
				a.addedRows = a.addedRows[1:]
			}
			if kind == tokEmpty && len(pending) > 0 {
				bw.Write(b[:len(b)-2])
				bw.WriteString(">")
				addCells(1 << 30)
				bw.WriteString("</" + rowPrefix + "row>")
				continue
			}
			bw.Write(b)
		case (kind == tokStart || kind == tokEmpty) && string(name) == "c" && restyled[row]:
			var s *xmlAttr
			col, _, s = cellTag(b, col)
			addCells(col)
			style, ok := a.style[cellPos{row, col}]
			if !ok {
				bw.Write(b)
				continue
			}
			tag := b
			if s != nil {
				tag = append(bytes.Clone(b[:s.from]), b[s.to:]...)
			}
			end := len(tag) - 1
			if kind == tokEmpty {
				end--
			}
			bw.Write(tag[:end])
			if style != 0 {
				fmt.Fprintf(bw, ` s="%d"`, style)
			}
			bw.Write(tag[end:])
		case kind == tokEnd && string(name) == "row":
			addCells(1 << 30)
			bw.Write(b)
		default:
			bw.Write(b)
		}
	}
	// The upload's sheet had no rows.
	bw.Write(a.dataTag)
	addRows(1 << 30)
	bw.WriteString(closeTag(a.dataTag))
	bw.Write(a.tail)
	return bw.err
}

// closeTag is the end tag of a start tag.
func closeTag(tag []byte) string {
	name := tag[1:]
	if i := bytes.IndexFunc(name, func(r rune) bool { return r == '>' || r == '/' || r < 0x80 && isSpace(byte(r)) }); i >= 0 {
		name = name[:i]
	}
	return "</" + string(name) + ">"
}

// withNamespaces is the sheetData tag with the prefixed namespaces the
// upload's root declared (x14ac for its rows' attributes, or the prefix of
// its elements), which excelize's root may not.
func withNamespaces(tag, root, head []byte) []byte {
	var extra []byte
	if i := bytes.Index(head, []byte("<worksheet")); i >= 0 {
		if j := bytes.IndexByte(head[i:], '>'); j >= 0 {
			head = head[i : i+j+1] // excelize's root
		}
	}
	for _, a := range tagAttrs(root) {
		if bytes.HasPrefix(a.name, []byte("xmlns:")) {
			if v, ok := attrValue(head, string(a.name)); !ok || !bytes.Equal(v, a.value) {
				extra = append(extra, root[a.from:a.to]...)
			}
		}
	}
	if len(extra) == 0 {
		return tag
	}
	return slices.Concat(tag[:len(tag)-1], extra, []byte(">"))
}

// errWriter keeps the first error of a run of writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
	return len(b), nil
}

func (e *errWriter) WriteString(s string) {
	if e.err == nil {
		_, e.err = io.WriteString(e.w, s)
	}
}
