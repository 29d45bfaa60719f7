package ingest

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"pantau/queries"
)

// The two sheets a template adds to the data sheets. Ingest does not know
// them, so an upload reports them as ignored and reads the rest.
const (
	instructionsSheet = "Petunjuk"
	listSheet         = "Daftar" // hidden: the drop-down lists, too long for Excel's 255-character list literals
)

// Header fills: required columns stand out from the others.
const (
	requiredFill = "F8CBAD" // light orange
	optionalFill = "DDEBF7" // light blue, as in the sample workbooks
)

// listTitle heads each drop-down list on the Daftar sheet and in the instructions.
var listTitle = map[ValueKind]string{
	Region:    "Kabupaten/kota",
	Gender:    "Jenis kelamin",
	YesNo:     "Ya/tidak",
	WorkType:  "Jenis pekerjaan",
	Stage:     "Tahap pengorganisasian",
	Indicator: "Indikator",
}

// WriteTemplate writes the blank .xlsx of workbook ("peserta", "survei" or "target")
// to w: its sheets with the canonical headers, a comment on each header,
// drop-down lists and cell formats, and a "Petunjuk" sheet on how to fill
// it in. All of it comes from the sheet specs.
func WriteTemplate(w io.Writer, workbook string) error {
	sheets := workbookSheets(workbook)
	if len(sheets) == 0 {
		return fmt.Errorf("ingest: no workbook %q; choose %s", workbook, quoteList(workbookNames(), "or"))
	}
	f := excelize.NewFile()
	defer f.Close()
	t := &templateWriter{f: f, lists: map[ValueKind]string{}}
	t.build(workbookDocs[workbook], sheets)
	if t.err != nil {
		return fmt.Errorf("ingest: template %s: %w", workbook, t.err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("ingest: template %s: %w", workbook, err)
	}
	return nil
}

// templateWriter builds one template. It keeps the first error excelize
// returns, so that building reads as a list of steps.
type templateWriter struct {
	f     *excelize.File
	err   error
	st    templateStyles
	lists map[ValueKind]string // kind → its range on the Daftar sheet, once written
}

type templateStyles struct {
	required, optional       int // header cells
	text, date, money, whole int // data columns
	title, heading, para     int // instructions
	tableHead, cell, cellReq int
}

func (t *templateWriter) check(err error) {
	if t.err == nil {
		t.err = err
	}
}

func (t *templateWriter) build(doc workbookDoc, sheets []SheetInfo) {
	f := t.f
	// Petunjuk first, so it is the first tab; the data sheet opens, though.
	t.check(f.SetSheetName("Sheet1", instructionsSheet))
	for _, s := range sheets {
		_, err := f.NewSheet(s.Name)
		t.check(err)
	}
	_, err := f.NewSheet(listSheet)
	t.check(err)
	t.newStyles()
	if t.err != nil {
		return
	}
	for _, s := range sheets {
		t.dataSheet(s)
	}
	t.instructions(doc, sheets)
	first, err := f.GetSheetIndex(sheets[0].Name)
	t.check(err)
	f.SetActiveSheet(first)
	t.check(f.SetSheetVisible(listSheet, false))
	t.check(f.SetDocProps(&excelize.DocProperties{
		Title: "Templat " + doc.title + " pantau", Creator: "pantau", Language: "id-ID"}))
}

func (t *templateWriter) newStyles() {
	header := func(fill string) *excelize.Style {
		return &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "center"},
		}
	}
	wrap := &excelize.Alignment{WrapText: true, Vertical: "top"}
	thin := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	dateFmt := "dd/mm/yyyy" // day first, as the program writes dates
	for _, d := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&t.st.required, header(requiredFill)},
		{&t.st.optional, header(optionalFill)},
		{&t.st.text, &excelize.Style{NumFmt: 49}}, // "@": IDs such as 007 keep their zeros
		{&t.st.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&t.st.money, &excelize.Style{NumFmt: 3}}, // #,##0
		{&t.st.whole, &excelize.Style{NumFmt: 1}}, // 0
		{&t.st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&t.st.heading, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, Alignment: &excelize.Alignment{Vertical: "bottom"}}},
		{&t.st.para, &excelize.Style{Alignment: wrap}},
		{&t.st.tableHead, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: wrap, Border: thin,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}}},
		{&t.st.cell, &excelize.Style{Alignment: wrap, Border: thin}},
		{&t.st.cellReq, &excelize.Style{Alignment: wrap, Border: thin,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{requiredFill}}}},
	} {
		var err error
		*d.id, err = t.f.NewStyle(d.style)
		t.check(err)
	}
}

// dataStyle formats the cells typed below a column's header.
func (t *templateWriter) dataStyle(k ValueKind) int {
	switch k {
	case Date:
		return t.st.date
	case Money:
		return t.st.money
	case WholeNumber:
		return t.st.whole
	}
	return t.st.text
}

// dataSheet writes one sheet's header row, column formats and validations.
func (t *templateWriter) dataSheet(s SheetInfo) {
	f := t.f
	for i, c := range s.Columns {
		col, err := excelize.ColumnNumberToName(i + 1)
		t.check(err)
		// A column style (set before the header, which gets its own) formats
		// every cell typed in the column without writing thousands of cells.
		t.check(f.SetColStyle(s.Name, col, t.dataStyle(c.Kind)))
		t.check(f.SetColWidth(s.Name, col, col, columnWidth(c)))
		cell := col + "1"
		t.check(f.SetCellStr(s.Name, cell, c.Header))
		style := t.st.optional
		if c.Required {
			style = t.st.required
		}
		t.check(f.SetCellStyle(s.Name, cell, cell, style))
		t.check(f.AddComment(s.Name, headerComment(cell, c)))
		t.validation(s.Name, col, c)
	}
	t.check(f.SetRowHeight(s.Name, 1, 20))
	t.check(f.SetPanes(s.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}))
}

// columnWidth fits the header and the longest drop-down value, with room
// for the drop-down arrow.
func columnWidth(c ColumnInfo) float64 {
	n := utf8.RuneCountInString(c.Header)
	for _, v := range vocabulary(c.Kind) {
		n = max(n, utf8.RuneCountInString(v))
	}
	if c.Kind == Date || c.Kind == Money {
		n = max(n, 11)
	}
	return float64(min(max(n+4, 10), 45))
}

// headerComment is the note shown on a header: whether it is required, its
// help, and what it accepts.
func headerComment(cell string, c ColumnInfo) excelize.Comment {
	title := c.Header
	if c.Required {
		title += " (wajib)"
	}
	body := c.Help
	switch vocab := vocabulary(c.Kind); {
	case c.Kind == Region || c.Kind == NewRegion: // too many to list here
		body += "\n" + accepts(c).ID + ". Pilih dari daftar drop-down."
	case vocab != nil:
		body += "\nPilihan: " + strings.Join(vocab, ", ")
	case c.Kind != Text:
		body += "\n" + accepts(c).ID
	}
	height := 14*(1+lines(body, 55)) + 10
	return excelize.Comment{Cell: cell, Author: "pantau", Width: 300, Height: uint(height),
		Paragraph: []excelize.RichTextRun{
			{Text: title + "\n", Font: &excelize.Font{Bold: true}},
			{Text: body},
		}}
}

// validation adds a column's drop-down list or range check to every row
// below the header.
func (t *templateWriter) validation(sheet, col string, c ColumnInfo) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, maxRows)
	title := clipRunes(c.Header, 32) // Excel's limit for an alert title
	regions := len(NewRegions().Names())
	switch vocab := vocabulary(c.Kind); {
	case c.Kind == NewRegion:
		// The sheet exists to add regions: a new name only gets a note.
		dv.SetSqrefDropList(t.list(c.Kind))
		dv.SetError(excelize.DataValidationErrorStyleInformation, title,
			`Wilayah baru akan ditambahkan. Tulis "Kab. X" atau "Kota X".`)
	case c.Kind == Region:
		// Regions added through a Wilayah sheet are valid too, but not in the list.
		dv.SetSqrefDropList(t.list(c.Kind))
		dv.SetError(excelize.DataValidationErrorStyleWarning, title, fmt.Sprintf(
			"Tidak ada di daftar %d kabupaten/kota %s. Wilayah lain di katalog wilayah resmi diterima dengan peringatan, dan yang ditambahkan lewat sheet %s.",
			regions, strings.Join(DefaultProvinces, ", "), regionSheet.name))
	case c.Kind == Indicator:
		// A name is read as well as a code: only a warning.
		dv.SetSqrefDropList(t.list(c.Kind))
		dv.SetError(excelize.DataValidationErrorStyleWarning, title, "Tidak ada di daftar kode indikator. Lanjutkan hanya bila ini nama indikator (lihat sheet Petunjuk).")
	case vocab != nil:
		dv.SetSqrefDropList(t.list(c.Kind))
		dv.SetError(excelize.DataValidationErrorStyleStop, title, clipRunes("Pilih dari daftar: "+strings.Join(vocab, ", "), 255))
	case c.Kind == WholeNumber:
		t.check(dv.SetRange(c.Min, c.Max, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween))
		dv.SetError(excelize.DataValidationErrorStyleStop, title, "Harus "+accepts(c).ID+".")
	case c.Kind == Date:
		// Only a warning: ingest also reads dates typed as text ("11 Agt 2014").
		t.check(dv.SetRange(excelSerial(minDate), excelSerial(maxDate), excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween))
		dv.SetError(excelize.DataValidationErrorStyleWarning, title, fmt.Sprintf(
			"Bukan tanggal Excel %d–%d. Tulis mis. 11/09/2014 (hari dulu) atau 11 September 2014.", minDate.Year(), maxDate.Year()))
	default:
		return
	}
	t.check(t.f.AddDataValidation(sheet, dv))
}

// list returns the range on the Daftar sheet that holds kind's drop-down
// values, writing them there the first time.
func (t *templateWriter) list(k ValueKind) string {
	if k == NewRegion {
		k = Region // one list of regions serves both
	}
	if ref, ok := t.lists[k]; ok {
		return ref
	}
	values := vocabulary(k)
	col, err := excelize.ColumnNumberToName(len(t.lists) + 1)
	t.check(err)
	t.check(t.f.SetCellStr(listSheet, col+"1", listTitle[k]))
	for i, v := range values {
		t.check(t.f.SetCellStr(listSheet, fmt.Sprintf("%s%d", col, i+2), v))
	}
	t.check(t.f.SetColWidth(listSheet, col, col, columnWidth(ColumnInfo{Header: listTitle[k], Kind: k})))
	ref := fmt.Sprintf("%s!$%s$2:$%s$%d", listSheet, col, col, len(values)+1)
	t.lists[k] = ref
	return ref
}

// excelSerial is the serial number of a date after February 1900, in the
// 1900 date system that new workbooks use.
func excelSerial(d time.Time) int {
	return int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// instructions writes the Petunjuk sheet: what the workbook is for, the rules
// every upload follows, each sheet's columns, and the drop-down lists.
func (t *templateWriter) instructions(doc workbookDoc, sheets []SheetInfo) {
	p := &page{t: t, sheet: instructionsSheet, widths: []float64{28, 11, 50, 55, 30}}
	for i, w := range p.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		t.check(t.f.SetColWidth(p.sheet, col, col, w))
	}
	var names []string
	has := map[ValueKind]bool{}
	var added []string // "Wilayah (sheet Wilayah)": columns where new regions may be written
	for _, s := range sheets {
		names = append(names, s.Name)
		for _, c := range s.Columns {
			has[c.Kind] = true
			if c.Kind == NewRegion {
				added = append(added, fmt.Sprintf("%s di sheet %s", c.Header, s.Name))
			}
		}
	}
	example := sheets[0].Name + "!C7"

	p.para(t.st.title, "Buku kerja "+doc.title+" pantau — petunjuk pengisian")
	p.para(t.st.para, doc.purpose.ID)
	p.para(t.st.para, fmt.Sprintf("Isi data di sheet %s, lalu unggah file ini (.xlsx) ke pantau. Sheet ini hanya petunjuk.", joinAnd(names, "dan")))

	p.heading("Aturan umum")
	rules := []string{
		"Setiap sheet memuat satu jenis data, satu baris per data; apa arti satu baris dan kuncinya dijelaskan di bagian tiap sheet di bawah.",
		"Baris 1 berisi judul kolom: jangan ganti namanya. Urutan kolom boleh diubah. Judul berwarna oranye wajib diisi di setiap baris; yang biru boleh kosong, kecuali yang \"bersyarat\" (lihat keterangannya). Arahkan kursor ke judul kolom untuk membaca keterangannya.",
		fmt.Sprintf("Kolom dengan daftar pilihan: klik selnya lalu pilih dari daftar (daftarnya ada di sheet tersembunyi %s).", listSheet),
	}
	if len(added) > 0 {
		rules = append(rules, fmt.Sprintf("Kolom %s boleh diisi wilayah yang belum ada di daftar; wilayah itu lalu dikenal juga di sheet lain.", joinAnd(added, "dan")))
	}
	if has[Date] {
		rules = append(rules, "Tanggal: ketik hari dulu, mis. 11/09/2014, atau tulis 11 September 2014. Sel tanggal tampil sebagai hari/bulan/tahun; bila hari dan bulan tampil tertukar, komputer memakai urutan bulan/hari: tulislah nama bulannya.")
	}
	rules = append(rules,
		"Baris yang kosong di semua kolom dilewati, begitu juga baris Total/Jumlah di bawah data.",
		"Nama sheet dianjurkan, tidak wajib: sheet dengan nama lain (mis. \"Sheet1\") dibaca menurut judul kolomnya bila kolom wajib satu jenis sheet ada semua dan paling banyak cocok dengan jenis itu, dengan peringatan.",
		fmt.Sprintf("Sheet dan kolom yang tidak dikenal pantau diabaikan dan disebut dalam laporan unggahan, termasuk sheet %s dan %s ini. Kolom tambahan untuk catatan sendiri boleh ditambahkan.", instructionsSheet, listSheet),
		fmt.Sprintf("Semua atau tidak sama sekali: pantau memeriksa setiap sheet dan baris lebih dulu. Bila ada satu kesalahan saja, tidak ada yang disimpan, dan laporan menyebut setiap masalah dengan selnya (mis. %s), nilainya, dan isi yang diharapkan. Peringatan tidak menghalangi penyimpanan. File juga bisa diperiksa saja tanpa disimpan.", example),
		"Kunci dan pembaruan: setiap baris punya kunci (lihat tiap sheet). Baris yang kuncinya sudah ada dari unggahan sebelumnya memperbarui data lama; mengunggah ulang file yang sama tidak mengubah apa pun. Setiap unggahan tercatat dan dapat dibatalkan.",
	)
	for _, r := range rules {
		p.para(t.st.para, "• "+r)
	}

	for _, s := range sheets {
		p.heading("Sheet " + s.Name)
		p.para(t.st.para, s.Help)
		if len(s.Aliases) > 0 {
			p.para(t.st.para, "Nama sheet lain yang juga dikenali: "+joinAnd(s.Aliases, "dan")+".")
		}
		p.row(t.st.tableHead, nil, "Kolom", "Wajib", "Keterangan", "Isi yang diterima", "Nama kolom lain")
		for _, c := range s.Columns {
			required, reqStyle := "tidak", t.st.cell
			switch {
			case c.Required:
				required, reqStyle = "ya", t.st.cellReq
			case conditional(c):
				required = "bersyarat"
			}
			p.row(t.st.cell, map[int]int{1: reqStyle}, c.Header, required, c.Help, accepts(c).ID, strings.Join(c.Aliases, ", "))
		}
	}

	if has[Indicator] {
		p.heading("Daftar indikator")
		p.row(t.st.tableHead, nil, "Kode", "Jenis", "Nama (Indonesia / English)", "Capaian dihitung sebagai", "")
		for _, in := range queries.Indicators {
			p.row(t.st.cell, nil, in.Code, string(in.Kind), in.Name.ID+" / "+in.Name.EN, in.Actual.ID, "")
		}
		p.para(t.st.para, "Jenis: flow (arus) dihitung dalam periode; stock (stok) adalah posisi pada hari terakhir periode; share (persentase) makin rendah makin baik, target ditulis 80%, 80 atau 0,8.")
	}

	p.heading("Daftar pilihan")
	for _, k := range []ValueKind{Region, Gender, YesNo, WorkType, Stage, Indicator} {
		if has[k] || (k == Region && has[NewRegion]) {
			p.para(t.st.para, listTitle[k]+": "+strings.Join(vocabulary(k), ", ")+".")
		}
	}
}

// page writes the instructions sheet row by row.
type page struct {
	t      *templateWriter
	sheet  string
	widths []float64 // of the columns, in characters
	n      int       // the last row written
}

// para writes text across the page's columns, wrapped. Neither Excel nor
// LibreOffice fits the height of merged cells, so it is estimated.
func (p *page) para(style int, text string) {
	p.n++
	first, _ := excelize.CoordinatesToCellName(1, p.n)
	last, _ := excelize.CoordinatesToCellName(len(p.widths), p.n)
	f := p.t.f
	p.t.check(f.SetCellStr(p.sheet, first, text))
	p.t.check(f.MergeCell(p.sheet, first, last))
	p.t.check(f.SetCellStyle(p.sheet, first, last, style))
	total := 0.0
	for _, w := range p.widths {
		total += w
	}
	height := 15.0
	if style == p.t.st.title {
		height = 22
	}
	p.t.check(f.SetRowHeight(p.sheet, p.n, height*lines(text, total)))
}

// heading leaves a blank row, then writes a heading.
func (p *page) heading(text string) {
	p.n++
	p.para(p.t.st.heading, text)
	p.t.check(p.t.f.SetRowHeight(p.sheet, p.n, 20))
}

// row writes one table row, a cell per column; styles overrides the style
// of some cells by column index.
func (p *page) row(style int, styles map[int]int, cells ...string) {
	p.n++
	most := 1.0
	for i, text := range cells {
		cell, _ := excelize.CoordinatesToCellName(i+1, p.n)
		p.t.check(p.t.f.SetCellStr(p.sheet, cell, text))
		s, ok := styles[i]
		if !ok {
			s = style
		}
		p.t.check(p.t.f.SetCellStyle(p.sheet, cell, cell, s))
		most = max(most, lines(text, p.widths[i]))
	}
	p.t.check(p.t.f.SetRowHeight(p.sheet, p.n, 15*most+2))
}

// lines estimates how many lines text wraps to in a width of so many
// characters; words do not break, so a line holds a little less.
func lines(text string, width float64) float64 {
	perLine := max(int(width*0.95)-2, 1)
	n := 0
	for _, para := range strings.Split(text, "\n") {
		n += 1 + utf8.RuneCountInString(para)/perLine
	}
	return float64(n)
}
