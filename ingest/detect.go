package ingest

import (
	"fmt"

	"pantau/ingest/xlsx"
	"pantau/queries"
)

// A sheet whose name pantau does not know ("Sheet1", "Lembar1", "Data") is
// read by its header when that header holds every required column of one
// kind and more of that kind's columns than of any other (WORKBOOKS.md,
// "General rules for every sheet").

// fit counts the distinct columns of the kind a header row names, and says
// whether it names every required one.
func (s *sheetSpec[T]) fit(cells []string) (known int, complete bool) {
	index := s.columnIndex()
	seen := make([]bool, len(s.columns))
	for _, c := range cells {
		if j, ok := index[headerKey(c)]; ok && !seen[j] {
			seen[j] = true
			known++
		}
	}
	for j, c := range s.columns {
		if c.required && !seen[j] {
			return known, false
		}
	}
	return known, true
}

// kindByHeader reads the first rows of a sheet and returns the kind its
// header fits best, or nil. A tie between the best kinds is warned about
// as the reason the sheet is ignored.
func (f *fileCheck) kindByHeader(wb *xlsx.Workbook, sheet string) sheetKind {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil // read as unknown: ignored, and reported as such
	}
	var first [][]string
	for len(first) < headerRows && rows.Next() {
		cells, err := rows.Columns()
		if err != nil {
			break
		}
		first = append(first, cells)
	}
	rows.Close()

	type score struct {
		kind     sheetKind
		known    int
		complete bool
	}
	var scores []score
	for _, k := range sheetKinds {
		// The kind's header row: the first naming two of its columns, as findHeader reads it.
		for _, cells := range first {
			if known, complete := k.fit(cells); known >= 2 {
				scores = append(scores, score{k, known, complete})
				break
			}
		}
	}
	var best *score
	for i, s := range scores {
		if best == nil || s.known > best.known {
			best = &scores[i]
		}
	}
	var tied []string // the kinds as good as the best, and whether one of them fits
	fits := false
	for _, s := range scores {
		if s.known == best.known {
			tied = append(tied, s.kind.info().Name)
			fits = fits || s.complete
		}
	}
	if !fits {
		return nil
	}
	if len(tied) > 1 {
		f.add(Problem{Severity: SeverityWarning, Sheet: sheet, text: queries.Message{
			ID: fmt.Sprintf("sheet %q diabaikan: judul kolomnya cocok sama baiknya untuk sheet %s (%d kolom masing-masing); beri nama sheet itu sesuai isinya",
				sheet, joinAnd(tied, "dan"), best.known),
			EN: fmt.Sprintf("sheet %q is ignored: its column headers fit a %s sheet equally well (%d columns each); name the sheet for what it holds",
				sheet, joinAnd(tied, "and"), best.known)}})
		return nil
	}
	name := best.kind.info().Name
	f.add(Problem{Severity: SeverityWarning, Sheet: sheet, text: queries.Message{
		ID: fmt.Sprintf("sheet %q dibaca sebagai sheet %s menurut judul kolomnya; sebaiknya beri nama %q", sheet, name, name),
		EN: fmt.Sprintf("sheet %q is read as a %s sheet from its column headers; better name it %q", sheet, name, name)}})
	return best.kind
}
