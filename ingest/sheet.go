package ingest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"pantau/ingest/xlsx"
	"pantau/queries"
)

// Limits of the xlsx format itself: more than this is not a workbook Excel made.
const (
	maxRows       = xlsx.MaxRows
	maxCellLength = 32_767
	headerRows    = 20 // the header is looked for within the first rows
)

// sheetKind is what every sheet spec offers, whatever its record type.
type sheetKind interface {
	info() SheetInfo
	read(f *fileCheck, sheet string, rows rowIterator) SheetReport
	fit(header []string) (known int, complete bool)
}

// rowIterator is a sheet's rows as excelize's Rows gives them (raw values).
type rowIterator interface {
	Next() bool
	Columns() ([]string, error)
	Error() error
}

// headerKey is how column names are compared: case-insensitive, ignoring
// spaces, dots, underscores, slashes, hyphens and a trailing "(...)" unit.
func headerKey(s string) string {
	s = reUnit.ReplaceAllString(strings.TrimSpace(s), "")
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '_', '/', '-', '\t', '\n', '\r', '\u00a0':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

var reUnit = regexp.MustCompile(`\s*\([^()]*\)\s*$`)

// columnIndex maps header keys to the spec column they name.
func (s *sheetSpec[T]) columnIndex() map[string]int {
	index := map[string]int{}
	for i, c := range s.columns {
		for _, name := range append([]string{c.header}, c.aliases...) {
			index[headerKey(name)] = i
		}
	}
	return index
}

func (s *sheetSpec[T]) read(f *fileCheck, sheet string, rows rowIterator) SheetReport {
	report := SheetReport{SheetCounts: queries.SheetCounts{Sheet: sheet, Kind: string(s.kind)}, IgnoredColumns: []string{}}
	index := s.columnIndex()
	header, headerRow := s.findHeader(f, sheet, rows, index)
	if header == nil {
		return report
	}
	cols, ok := s.mapColumns(f, sheet, header, headerRow, index, &report)
	if !ok {
		return report // without its columns, every row would only repeat the same error
	}
	s.readRows(f, sheet, rows, headerRow, cols, &report)
	return report
}

// findHeader reads up to the header, the first row within the first 20
// naming two known columns. It returns nil, having said why, if there is none.
func (s *sheetSpec[T]) findHeader(f *fileCheck, sheet string, rows rowIterator, index map[string]int) (header []string, row int) {
	for row < headerRows && rows.Next() {
		row++
		cells, err := rows.Columns()
		if err != nil {
			f.fileError(sheet, rowReadError(row, err))
			return nil, row
		}
		known := 0
		for _, c := range cells {
			if _, ok := index[headerKey(c)]; ok {
				known++
			}
		}
		if known >= 2 {
			return cells, row
		}
	}
	f.fileError(sheet, queries.Message{
		ID: fmt.Sprintf("baris judul kolom tidak ditemukan di %d baris pertama; diharapkan kolom seperti %s", headerRows, s.requiredList()),
		EN: fmt.Sprintf("no header row found in the first %d rows; expected columns such as %s", headerRows, s.requiredList())})
	return nil, row
}

// columnMap says where the sheet's columns are.
type columnMap struct {
	colOf  []int    // the spec column of each sheet column, -1 if not ours
	cellOf []string // the header cell of each spec column, "" if absent
}

// mapColumns matches the header's cells to the spec's columns, reporting
// unknown columns as ignored and a column named twice or missing as an
// error. ok is false when a required column is missing.
func (s *sheetSpec[T]) mapColumns(f *fileCheck, sheet string, header []string, headerRow int, index map[string]int, report *SheetReport) (cols columnMap, ok bool) {
	cols = columnMap{colOf: make([]int, len(header)), cellOf: make([]string, len(s.columns))}
	for i, h := range header {
		cols.colOf[i] = -1
		if strings.TrimSpace(h) == "" {
			continue
		}
		j, known := index[headerKey(h)]
		if !known {
			report.IgnoredColumns = append(report.IgnoredColumns, cleanText(h))
			continue
		}
		if cols.cellOf[j] != "" {
			f.add(Problem{Severity: SeverityError, Sheet: sheet, Cell: cellName(i, headerRow), Row: headerRow, Column: s.columns[j].header, Value: cleanText(h),
				text: queries.Message{ID: fmt.Sprintf("kolom %s muncul dua kali (juga di %s)", s.columns[j].header, cols.cellOf[j]),
					EN: fmt.Sprintf("column %s appears twice (also at %s)", s.columns[j].header, cols.cellOf[j])}})
			continue
		}
		cols.colOf[i], cols.cellOf[j] = j, cellName(i, headerRow)
	}
	ok = true
	for j, c := range s.columns {
		if c.required && cols.cellOf[j] == "" {
			ok = false
			f.add(Problem{Severity: SeverityError, Sheet: sheet, Cell: cellName(0, headerRow), Row: headerRow, Column: c.header,
				text: queries.Message{ID: fmt.Sprintf("kolom wajib %q tidak ada di baris judul %d", c.header, headerRow),
					EN: fmt.Sprintf("required column %q is missing from header row %d", c.header, headerRow)}})
		}
	}
	return cols, ok
}

// readRows validates the rows after the header (row rowNum), skipping blank
// and totals rows, and stages each record while the file has no error.
func (s *sheetSpec[T]) readRows(f *fileCheck, sheet string, rows rowIterator, rowNum int, cols columnMap, report *SheetReport) {
	keys := newRowKeys()
	blanks := 0 // blank rows seen since the last data row
	check := &rowCheck{fileCheck: f, sheet: sheet, headers: s.headers(), cells: cols.cellOf}
	for rows.Next() {
		rowNum++
		if rowNum > maxRows {
			f.fileError(sheet, queries.Message{ID: fmt.Sprintf("lebih dari %d baris", maxRows), EN: fmt.Sprintf("more than %d rows", maxRows)})
			break
		}
		cells, err := rows.Columns()
		if err != nil {
			f.fileError(sheet, rowReadError(rowNum, err))
			break
		}
		if isBlank(cells, cols.colOf) {
			blanks++
			continue
		}
		if col, first := firstNonBlank(cells); report.Rows > 0 && isTotalsLabel(first) {
			report.Skipped += blanks + 1
			blanks = 0
			f.add(Problem{Severity: SeverityWarning, Sheet: sheet, Cell: cellName(col, rowNum), Row: rowNum, Value: clip(first),
				text: queries.Message{ID: "baris total dilewati", EN: "totals row skipped"}})
			continue
		}
		report.Skipped += blanks
		blanks = 0
		report.Rows++

		check.row = rowNum
		rec := s.record(check, cells, cols)
		key := s.finish(&rec, check)
		check.inScope(rec)
		if first, dup := keys.add(key, rowNum); dup {
			check.duplicate(first)
		}
		if f.errors == 0 && f.batch != nil {
			if err := s.stage(f.batch, rec); err != nil {
				f.internal = fmt.Errorf("stage %s row %d: %w", sheet, rowNum, err)
				return
			}
		}
	}
	if err := rows.Error(); err != nil {
		f.fileError(sheet, sheetReadError(err))
	}
	f.flushWarnings()
}

// record parses one data row's cells into a record, reporting each cell
// that is too long, invalid, or required and blank.
func (s *sheetSpec[T]) record(check *rowCheck, cells []string, cols columnMap) T {
	rec := s.blank
	for i, raw := range cells {
		if i >= len(cols.colOf) || cols.colOf[i] < 0 {
			if tooLong(raw) {
				check.cellTooLong(i, "", raw)
			}
			continue
		}
		c := &s.columns[cols.colOf[i]]
		if tooLong(raw) {
			check.cellTooLong(i, c.header, raw)
			continue
		}
		text := cleanText(raw)
		if text == "" || isDash(text) {
			continue
		}
		v, err := check.parse(c.kind, c.min, c.max, text)
		if err != nil {
			check.invalid(i, c.header, text, err)
			continue
		}
		c.set(&rec, v)
		if v.note != nil { // accepted, worth a look: said once per value
			check.warnOnce("v\x00"+c.header+"\x00"+v.text, c.header, text,
				queries.Message{ID: c.header + " " + v.note.ID, EN: c.header + " " + v.note.EN}, nil)
		}
	}
	for j, c := range s.columns {
		if c.required && cols.cellOf[j] != "" && !hasValue(cells, cols.colOf, j) {
			check.requireFor(c.header, queries.Message{ID: "wajib diisi", EN: "is required"})
		}
	}
	return rec
}

func (s *sheetSpec[T]) headers() []string {
	h := make([]string, len(s.columns))
	for i, c := range s.columns {
		h[i] = c.header
	}
	return h
}

func (s *sheetSpec[T]) requiredList() string {
	var names []string
	for _, c := range s.columns {
		if c.required {
			names = append(names, c.header)
		}
	}
	return strings.Join(names, ", ")
}

// tooLong tells a cell over Excel's limit, which counts characters, not bytes.
func tooLong(s string) bool {
	return len(s) > maxCellLength && utf8.RuneCountInString(s) > maxCellLength
}

// isDash tells a lone dash, which lists use for "none" (WORKBOOKS.md's Wilayah of staff).
func isDash(s string) bool { return s == "-" || s == "–" || s == "—" }

func isBlank(cells []string, colOf []int) bool {
	for i, c := range cells {
		if i < len(colOf) && colOf[i] >= 0 && strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func hasValue(cells []string, colOf []int, j int) bool {
	for i, c := range cells {
		if i < len(colOf) && colOf[i] == j {
			t := cleanText(c)
			return t != "" && !isDash(t)
		}
	}
	return false
}

func firstNonBlank(cells []string) (col0 int, text string) {
	for i, c := range cells {
		if c = cleanText(c); c != "" {
			return i, c
		}
	}
	return 0, ""
}

// isTotalsLabel tells "Total", "JUMLAH", "Total responden", "Jumlah:" from a
// value that merely starts so, such as the ID "TOTAL-01".
var reTotals = regexp.MustCompile(`(?i)^(total|jumlah)(\s|:|$)`)

func isTotalsLabel(s string) bool { return reTotals.MatchString(s) }

func cellName(col0, row int) string {
	name, _ := excelize.CoordinatesToCellName(col0+1, row)
	return name
}

// clip shortens a value quoted in a message; the cell itself holds all of it.
func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:77]) + "..."
	}
	return s
}
