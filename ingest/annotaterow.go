package ingest

import (
	"fmt"
	"io"
	"slices"

	"pantau/ingest/xlsx"
	"pantau/queries"
)

// AnnotateRow writes to w the workbook data (a kept original, named name)
// with one row of the sheet of a kind marked the way Annotate marks errors:
// every cell of that row under the sheet's header filled red, with why as
// pantau's comment, and the Kesalahan sheet linking to them. It is how a
// quality flag is shown in the file the row came from.
func AnnotateRow(w io.Writer, data []byte, name string, kind queries.Kind, sheet string, row int, why queries.Message, lang string) error {
	width, err := headerWidth(data, kind, sheet)
	if err != nil {
		return err
	}
	r := &Report{File: name}
	for col := range width {
		r.Problems = append(r.Problems, Problem{Severity: SeverityError, Sheet: sheet, Cell: cellName(col, row), Row: row, text: why})
	}
	r.Localize(lang)
	return Annotate(w, data, r, lang)
}

// headerWidth is how many columns the header row of the sheet spans: the
// first row within the first rows that names two columns of the kind's sheet.
func headerWidth(data []byte, kind queries.Kind, sheet string) (width int, err error) {
	i := slices.IndexFunc(Sheets(), func(s SheetInfo) bool { return s.Kind == kind })
	if i < 0 {
		return 0, fmt.Errorf("ingest: no sheet of kind %s", kind)
	}
	known := map[string]bool{}
	for _, c := range Sheets()[i].Columns {
		for _, h := range append([]string{c.Header}, c.Aliases...) {
			known[headerKey(h)] = true
		}
	}
	defer func() {
		if p := recover(); p != nil {
			err = cannotAnnotate(sheet, queries.Message{ID: fmt.Sprintf("buku kerja rusak: %v", p), EN: fmt.Sprintf("the workbook is corrupt: %v", p)})
		}
	}()
	wb, err := xlsx.Open(data)
	if err != nil {
		return 0, cannotAnnotate(sheet, openError(err))
	}
	defer wb.Close()
	rows, err := wb.Rows(sheet)
	if err != nil {
		return 0, cannotAnnotate(sheet, sheetReadError(err))
	}
	defer rows.Close()
	for n := 0; n < headerRows && rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return 0, cannotAnnotate(sheet, rowReadError(n+1, err))
		}
		names := 0
		for _, c := range cells {
			if known[headerKey(c)] {
				names++
			}
		}
		if names >= 2 {
			return len(cells), nil
		}
	}
	return 0, cannotAnnotate(sheet, queries.Message{ID: "baris judul kolom tidak ditemukan", EN: "no header row found"})
}
