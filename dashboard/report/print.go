package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Page settings, so that a manager can print the workbook and attach it to
// a donor report: without them LibreOffice printed it as 13 fragments.

// paperA4 is excelize's (and Excel's) number for A4, the paper of Indonesia.
const paperA4 = 9

// footerFilterRunes bounds the filter in the footer: a footer holds at most
// 255 characters with its codes, and a long list of regions would not fit.
const footerFilterRunes = 150

// printReady makes sheet name print well: landscape when it is wide (every
// sheet but a cover without a comparison), A4, fit to one page wide and as
// many tall as it needs, row titleRow (the header of its table) repeated at
// the top of every page, and a footer with the filter, the page number of
// the number of pages and the day the workbook was made. They are set
// before the sheet is streamed: the stream writer copies these settings
// from the worksheet as it is when the writer is made.
func (b *book) printReady(name string, titleRow int) error {
	orientation, size, wide, tall := "landscape", paperA4, 1, 0
	if name == sheetCover && b.r.Summary.Compare == nil {
		orientation = "portrait"
	}
	err := b.x.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall})
	if err != nil {
		return err
	}
	fit := true
	if err := b.x.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if titleRow > 0 {
		err := b.x.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: name,
			RefersTo: fmt.Sprintf("'%s'!$%d:$%d", name, titleRow, titleRow)})
		if err != nil {
			return err
		}
	}
	return b.x.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: b.footer()})
}

// footer is the page footer: the filter on the left, "Halaman 2 dari 5" in
// the middle, the day the workbook was made on the right.
func (b *book) footer() string {
	filter := b.filterLine()
	if utf8.RuneCountInString(filter) > footerFilterRunes {
		filter = string([]rune(filter)[:footerFilterRunes-1]) + "…"
	}
	return "&L" + footerText(filter) + "&C" + footerText(b.l.T("export.page_of", "\x00P", "\x00N")) + "&R" + footerText(b.l.Date(b.now))
}

// footerText escapes text for a header or footer, where & starts a code
// (&P, &N, &"font"): a literal & is written &&. The page codes, marked
// with a NUL by footer, become &P and &N.
func footerText(s string) string {
	s = strings.ReplaceAll(s, "&", "&&")
	return strings.NewReplacer("\x00P", "&P", "\x00N", "&N").Replace(s)
}
