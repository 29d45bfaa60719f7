package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"pantau/ingest/xlsx"
	"pantau/queries"
)

// The marks an annotation leaves. The sheet has one name in both languages,
// so that pantau finds it again when an annotated file comes back; ingest
// does not know it and ignores it like any other sheet.
const (
	errorSheet    = "Kesalahan"
	commentAuthor = "pantau"
	badFill       = "FFC7CE" // the fill of Excel's "Bad" cell style
)

// earlierComment separates pantau's note from the comment a cell already
// had. pantau keeps that comment inside its own, and puts it back as it was
// once the cell is fixed: a user's comment never gets lost to an annotation.
const earlierComment = "\n\n--- komentar sebelumnya / earlier comment ---\n"

var errorHeaders = map[string][]string{
	"id": {"No", "Lembar", "Sel", "Kolom", "Nilai", "Masalah"},
	"en": {"No", "Sheet", "Cell", "Column", "Value", "Problem"},
}

// Annotate writes to w the uploaded workbook data with the errors r found in
// it marked, for the user to fix in that same file and upload it again: each
// cell in error filled red, with a comment by "pantau" saying what is wrong
// in lang ("id" or "en"), and a first sheet, Kesalahan, listing every
// problem with a link to its cell. The rest of the file is left as it was.
//
// Annotating a file annotated before replaces the earlier marks: the old
// Kesalahan sheet, pantau's comments and the red fills it put on cells
// (recognised by their exact colour), so a fixed cell comes back clean.
//
// A file that cannot be opened gives an error with the code EINVALID whose
// message ("this file cannot be annotated: ...") can be shown to users.
func Annotate(w io.Writer, data []byte, r *Report, lang string) (err error) {
	if sum := sha256.Sum256(data); r.SHA256 != "" && r.SHA256 != hex.EncodeToString(sum[:]) {
		return fmt.Errorf("ingest: annotate %s: the report is of another file", r.File) // it would mark the wrong cells
	}
	if reason := sniff(source{bytes.NewReader(data), int64(len(data))}); reason != nil {
		return cannotAnnotate(r.File, *reason)
	}
	plan, err := planBook(data, r)
	if err != nil {
		return err
	}
	stub, err := plan.stub(r)
	if err != nil {
		return err
	}
	wb, err := xlsx.Open(stub)
	if err != nil {
		return cannotAnnotate(r.File, openError(err))
	}
	defer wb.Close()
	defer func() {
		// As when ingesting: whatever excelize does with a corrupt file, it is the file's error.
		if p := recover(); p != nil {
			err = cannotAnnotate(r.File, queries.Message{ID: fmt.Sprintf("buku kerja rusak: %v", p), EN: fmt.Sprintf("the workbook is corrupt: %v", p)})
		}
	}()
	a := &annotator{f: wb.File, lang: lang, red: map[int]int{}, plain: map[int]int{}, at: plan.stubCell}
	if err := a.annotate(r); err != nil {
		return fmt.Errorf("ingest: annotate %s: %w", r.File, err)
	}
	var out bytes.Buffer
	if _, err := wb.WriteTo(&out); err != nil {
		return fmt.Errorf("ingest: annotate %s: %w", r.File, err)
	}
	if err := plan.merge(w, out.Bytes(), r.File); err != nil {
		return fmt.Errorf("ingest: annotate %s: %w", r.File, err)
	}
	return nil
}

func cannotAnnotate(name string, why queries.Message) error {
	msg := queries.Message{ID: "file ini tidak dapat dianotasi: " + why.ID, EN: "this file cannot be annotated: " + why.EN}
	return fmt.Errorf("ingest: annotate %s: %w", name, queries.Fail(queries.EINVALID, msg))
}

type annotator struct {
	f          *excelize.File
	lang       string
	red, plain map[int]int // style id -> the same style with pantau's fill, and without
	err        error       // the first error of a run of cell writes

	// at is where a cell of the upload is in the workbook excelize holds,
	// whose rows are renumbered (see stubSheet); false if not there.
	at func(sheet, cell string) (string, bool)
}

type cellRef struct{ sheet, cell string }

func (a *annotator) check(err error) {
	if a.err == nil {
		a.err = err
	}
}

func (a *annotator) in(id, en string) string { return queries.Message{ID: id, EN: en}.In(a.lang) }

func (a *annotator) annotate(r *Report) error {
	old, err := a.unmark()
	if err != nil {
		return err
	}
	if err := a.mark(r.Problems); err != nil {
		return err
	}
	// While the old sheet is there the new one needs another name. Even a
	// workbook of nothing but an old Kesalahan sheet (the report then
	// says it has no known sheet) keeps a sheet: excelize never deletes the last.
	name := errorSheet
	if old != "" {
		name = "pantau " + errorSheet
	}
	if _, err := a.f.NewSheet(name); err != nil {
		return err
	}
	if err := a.list(name, r); err != nil {
		return err
	}
	if old != "" {
		a.check(a.f.DeleteSheet(old))
		a.check(a.f.SetSheetName(name, errorSheet))
	}
	a.check(a.moveFirst(errorSheet))
	a.f.SetActiveSheet(0)
	return a.err
}

// unmark undoes an earlier annotation but for its sheet, whose name it
// returns ("" if none): pantau's comments go (giving back the comments they
// held) and so do its red fills, on the cells the old sheet lists or pantau
// commented. It refuses a Kesalahan sheet pantau did not write rather than
// delete the user's own.
func (a *annotator) unmark() (old string, err error) {
	marked := map[cellRef]bool{}
	for _, sheet := range a.f.GetSheetList() {
		if !strings.EqualFold(sheet, errorSheet) {
			continue
		}
		rows, err := a.f.GetRows(sheet)
		if err != nil {
			return "", err
		}
		if len(rows) == 0 || len(rows[0]) < 3 || rows[0][0] != "No" || (rows[0][2] != "Sel" && rows[0][2] != "Cell") {
			return "", queries.Errorf(queries.EINVALID,
				"file ini tidak dapat dianotasi: sheet %q bukan buatan pantau; ganti namanya lalu unggah lagi",
				"this file cannot be annotated: its sheet %q was not written by pantau; rename it and upload again", sheet)
		}
		for _, row := range rows[1:] {
			if len(row) > 2 && row[1] != "" && row[2] != "" {
				marked[cellRef{row[1], row[2]}] = true
			}
		}
		old = sheet
	}
	for _, sheet := range a.f.GetSheetList() {
		comments, err := a.f.GetComments(sheet)
		if err != nil {
			return "", err
		}
		for _, c := range comments {
			if c.Author != commentAuthor {
				continue
			}
			marked[cellRef{sheet, c.Cell}] = true
			if err := a.f.DeleteComment(sheet, c.Cell); err != nil {
				return "", err
			}
			if _, earlier, ok := strings.Cut(commentText(c), earlierComment); ok {
				author, text, _ := strings.Cut(earlier, "\n")
				if err := a.f.AddComment(sheet, excelize.Comment{Cell: c.Cell, Author: author, Text: text}); err != nil {
					return "", err
				}
			}
		}
	}
	for ref := range marked {
		if _, err := a.f.GetSheetIndex(ref.sheet); err != nil || !validCell(ref.cell) {
			continue // the listing was edited, or the sheet renamed: nothing of ours to find
		}
		err := a.restyle(ref, a.plain, func(s *excelize.Style) bool {
			if !isBadFill(s.Fill) {
				return false
			}
			s.Fill = excelize.Fill{}
			return true
		})
		if err != nil {
			return "", err
		}
	}
	return old, nil
}

func validCell(cell string) bool {
	_, _, err := excelize.CellNameToCoordinates(cell)
	return err == nil
}

// mark fills each cell in error red and gives it one comment for all its
// errors. Only the fill changes, not the font, so that unmark can take the
// mark off exactly. Warnings are not marked: they need no fixing.
func (a *annotator) mark(problems []Problem) error {
	notes := map[cellRef][]string{}
	var cells []cellRef
	for _, p := range problems {
		if p.Severity != SeverityError || p.Cell == "" {
			continue
		}
		ref := cellRef{p.Sheet, p.Cell}
		if notes[ref] == nil {
			cells = append(cells, ref)
		}
		note := a.message(p)
		if p.Value != "" && !strings.Contains(note, p.Value) {
			note += fmt.Sprintf(" (%s: %q)", a.in("nilai", "value"), p.Value)
		}
		notes[ref] = append(notes[ref], note)
	}
	existing := map[cellRef]excelize.Comment{}
	loaded := map[string]bool{}
	for _, ref := range cells {
		if !loaded[ref.sheet] {
			comments, err := a.f.GetComments(ref.sheet)
			if err != nil {
				return fmt.Errorf("%s: %w", ref.sheet, err)
			}
			for _, c := range comments {
				existing[cellRef{ref.sheet, c.Cell}] = c
			}
			loaded[ref.sheet] = true
		}
		err := a.restyle(ref, a.red, func(s *excelize.Style) bool {
			s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{badFill}}
			return true
		})
		if err != nil {
			return fmt.Errorf("%s!%s: %w", ref.sheet, ref.cell, err)
		}
		text := strings.Join(notes[ref], "\n")
		if c, ok := existing[ref]; ok {
			if err := a.f.DeleteComment(ref.sheet, ref.cell); err != nil {
				return fmt.Errorf("%s!%s: %w", ref.sheet, ref.cell, err)
			}
			text += earlierComment + c.Author + "\n" + commentText(c)
		}
		err = a.f.AddComment(ref.sheet, excelize.Comment{
			Cell: ref.cell, Author: commentAuthor, Width: 320, Height: uint(40 + 15*(len(text)/48+strings.Count(text, "\n"))),
			Paragraph: []excelize.RichTextRun{{Text: commentAuthor + ":\n", Font: &excelize.Font{Bold: true, Size: 9}}, {Text: text}},
		})
		if err != nil {
			return fmt.Errorf("%s!%s: %w", ref.sheet, ref.cell, err)
		}
	}
	return nil
}

// message is the problem's reason in the annotation's language; a report
// that came through JSON has only the message it was localised to.
func (a *annotator) message(p Problem) string {
	if p.text == (queries.Message{}) {
		return p.Message
	}
	return p.text.In(a.lang)
}

// restyle gives a cell its style as change makes it, through cache, so
// that cells sharing a style share the changed one too and every other
// part of the style (number format, font, borders) stays as it was.
func (a *annotator) restyle(ref cellRef, cache map[int]int, change func(*excelize.Style) bool) error {
	cell, ok := a.at(ref.sheet, ref.cell)
	if !ok {
		return nil // not kept in the stub: neither in error nor red
	}
	ref.cell = cell
	id, err := a.f.GetCellStyle(ref.sheet, ref.cell)
	if err != nil {
		return err
	}
	to, ok := cache[id]
	if !ok {
		style, err := a.f.GetStyle(id)
		if err != nil {
			return err
		}
		to = id
		if change(style) {
			if to, err = a.f.NewStyle(style); err != nil {
				return err
			}
		}
		cache[id] = to
	}
	if to == id {
		return nil
	}
	return a.f.SetCellStyle(ref.sheet, ref.cell, ref.cell, to)
}

func isBadFill(f excelize.Fill) bool {
	if f.Type != "pattern" || f.Pattern != 1 || len(f.Color) != 1 {
		return false
	}
	c := strings.ToUpper(f.Color[0])
	if len(c) == 8 { // with an alpha channel: FFFFC7CE
		c = c[2:]
	}
	return c == badFill
}

// commentText is the whole text of a comment, plain or rich.
func commentText(c excelize.Comment) string {
	text := c.Text
	for _, run := range c.Paragraph {
		text += run.Text
	}
	return text
}

// list writes the sheet of problems: the errors, a line on those the report
// left out, then the warnings. Warnings are listed, below a heading saying
// they do not block the upload, because the person fixing the file is the
// one who can tell whether a facilitator's name is a typo; they are not
// marked in their cells, which would look like something that must change.
func (a *annotator) list(sheet string, r *Report) error {
	f := a.f
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	a.check(err)
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}})
	a.check(err)
	link, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	a.check(err)
	if a.err != nil {
		return a.err
	}
	headers := errorHeaders[a.lang]
	if headers == nil {
		headers = errorHeaders["id"]
	}
	for i, h := range headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		a.check(f.SetCellStr(sheet, cell, h))
	}
	a.check(f.SetCellStyle(sheet, "A1", "F1", head))

	row := 2
	line := func(text string) {
		cell := fmt.Sprintf("A%d", row)
		a.check(f.SetCellStr(sheet, cell, text))
		a.check(f.SetCellStyle(sheet, cell, cell, bold))
		row++
	}
	// Every text here came in the upload (or quotes it): written as strings,
	// never as a formula, whatever it starts with.
	problems := func(severity string) (n int) {
		for _, p := range r.Problems {
			if p.Severity != severity {
				continue
			}
			n++
			a.check(f.SetCellInt(sheet, fmt.Sprintf("A%d", row), int64(n)))
			for col, text := range []string{p.Sheet, p.Cell, p.Column, p.Value, a.message(p)} {
				a.check(f.SetCellStr(sheet, fmt.Sprintf("%c%d", 'B'+col, row), text))
			}
			if p.Cell != "" {
				cell := fmt.Sprintf("C%d", row)
				a.check(f.SetCellHyperLink(sheet, cell, quoteSheet(p.Sheet)+"!"+p.Cell, "Location"))
				a.check(f.SetCellStyle(sheet, cell, cell, link))
			}
			row++
		}
		return n
	}
	listed := problems(SeverityError)
	if more := r.ErrorCount - listed; more > 0 {
		line(a.in(
			fmt.Sprintf("... dan %d kesalahan lain. Perbaiki yang di atas lalu unggah file ini lagi: kesalahan berikutnya akan dicantumkan.", more),
			fmt.Sprintf("... and %d more errors. Fix the ones above and upload this file again: the next errors will be listed.", more)))
	}
	if r.ErrorCount == 0 {
		line(a.in("Tidak ada kesalahan.", "No errors."))
	}
	if r.ProblemCount > r.ErrorCount {
		row++
		line(a.in("Peringatan (tidak menghalangi unggahan)", "Warnings (they do not block the upload)"))
		warnings := problems(SeverityWarning)
		if more := r.ProblemCount - r.ErrorCount - warnings; more > 0 {
			line(a.in(fmt.Sprintf("... dan %d peringatan lain.", more), fmt.Sprintf("... and %d more warnings.", more)))
		}
	}
	for col, width := range []float64{6, 16, 8, 24, 30, 100} {
		name, _ := excelize.ColumnNumberToName(col + 1)
		a.check(f.SetColWidth(sheet, name, name, width))
	}
	a.check(f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}))
	return a.err
}

// quoteSheet writes a sheet name as a reference needs it: quoted, with each
// quote in it doubled.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// moveFirst makes sheet the first. excelize's MoveSheet leaves the defined
// names scoped to a sheet (print areas, autofilters), which name their
// sheet by position, pointing at the sheet that was there before; they are
// moved along here.
func (a *annotator) moveFirst(sheet string) error {
	from, err := a.f.GetSheetIndex(sheet)
	if err != nil || from <= 0 {
		return err
	}
	if err := a.f.MoveSheet(sheet, a.f.GetSheetName(0)); err != nil {
		return err
	}
	if a.f.WorkBook == nil || a.f.WorkBook.DefinedNames == nil {
		return nil
	}
	for i, dn := range a.f.WorkBook.DefinedNames.DefinedName {
		if dn.LocalSheetID == nil || *dn.LocalSheetID > from {
			continue
		}
		id := *dn.LocalSheetID + 1
		if *dn.LocalSheetID == from {
			id = 0
		}
		a.f.WorkBook.DefinedNames.DefinedName[i].LocalSheetID = &id
	}
	return nil
}
