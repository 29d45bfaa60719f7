package xlsx_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"pantau/ingest/xlsx"
	"pantau/ingest/xlsx/xlsxtest"
)

// The focused sheet reader (Workbook.Rows) against excelize's Rows: the
// same cells row for row, and the errors of ExcelizeRows (see
// xlsxtest.SameRows), on every workbook these tests build and commit, and
// on sheet XML the fuzzer mutates.

const sstHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">`

// sheetCases are sheet XML as programs write it, and as they should not:
// each becomes a workbook with a table of three shared strings.
func sheetCases() map[string]string {
	rows := func(s string) string { return xlsxtest.SheetXML("", s) }
	c := map[string]string{
		"people":           rows(people(5)),
		"gaps":             rows(xlsxtest.Row(1, "Nama", "Jabatan") + xlsxtest.Row(2, "Sarno", "Staff") + xlsxtest.Row(5, "", "Manager", "x")),
		"without r":        rows(strings.ReplaceAll(people(3), ` r="`, ` data-r="`)),
		"cells without r":  rows(`<row r="1"><c t="inlineStr"><is><t>a</t></is></c><c/><c t="inlineStr"><is><t>c</t></is></c></row><row><c r="C2"><v>3</v></c><c><v>4</v></c></row>`),
		"shared":           rows(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v> 2 </v></c><c r="D1" t="s"><v>1</v></c><c r="E1" t="s"><v></v></c><c r="F1" t="s"/></row>`),
		"shared bad":       rows(`<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>-1</v></c></row><row r="3"><c r="A3" t="s"><v>2</v></c></row>`),
		"shared bad no r":  rows(`<row r="1"><c t="s"><v>9</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row>`),
		"shared not num":   rows(`<row r="1"><c r="A1" t="s"><v>abc</v></c><c r="B1" t="s"><v>99999999999999999999</v></c></row>`),
		"types":            rows(`<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c><c r="C1" t="str"><v>text</v></c><c r="D1" t="d"><v>2015-03-14T00:00:00Z</v></c><c r="E1" t="n"><v>1.5E3</v></c><c r="F1" s="3"><v>42078</v></c><c r="G1" t="x"><v>odd</v></c></row>`),
		"formulas":         rows(`<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>A1&amp;"x"</f><v>2x</v></c><c r="C1"><f>NA()</f></c><c r="D1"><f t="shared" ref="D1:D2" si="0"/><v></v></c></row>`),
		"inline variants":  rows(`<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> a  b </t></is></c><c r="B1" t="inlineStr"><is><r><rPr><b/><sz val="11"/><color rgb="FFFF0000"/><rFont val="Calibri"/></rPr><t>bold</t></r><r><t xml:space="preserve"> plain</t></r></is></c><c r="C1" t="inlineStr"><is/></c><c r="D1" t="inlineStr"><v>v only</v></c><c r="E1"><is><t>is but not inline</t></is></c><c r="F1" t="inlineStr"><is><t>first</t><t>second</t></is></c></row>`),
		"entities":         rows(`<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;b&gt; &amp; &quot;q&quot; &apos;a&apos; &#65;&#x42;&#x1F600;</t></is></c><c r="B1" t="inlineStr"><is><t>line1` + "\r\n" + `line2` + "\r" + `line3&#13;&#10;</t></is></c><c r="C1" t="inlineStr"><is><t>_x000D__x005F_x0041__x0041_</t></is></c></row>`),
		"unicode":          rows(`<row r="1"><c r="A1" t="inlineStr"><is><t>Rifa'i — ñ 日本 😀</t></is></c></row>`),
		"single quotes":    rows(`<row r='1'><c r='A1' t='inlineStr'><is><t>x</t></is></c><c r = "B1"   t = "inlineStr" ><is><t>y</t></is></c></row>`),
		"attrs unspaced":   rows(`<row r="1"><c r="A1"t="inlineStr"><is><t>x</t></is></c></row>`),
		"duplicate attrs":  rows(`<row r="1" r="3"><c r="A3" r="B3" t="str" t="inlineStr"><is><t>x</t></is><v>y</v></c></row>`),
		"out of order col": rows(`<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c r="C1"><v>33</v></c></row>`),
		"empty rows":       rows(`<row r="1"/><row r="2" spans="1:2" x14ac:dyDescent="0.25"></row><row r="4"><c r="B4"><v>1</v></c></row>`),
		"value twice":      rows(`<row r="1"><c r="A1"><v>1</v><v>2</v></c></row>`),
		"comment":          rows(`<row r="1"><c r="A1"><v>1<!-- two -->2</v></c></row>` + `<!-- between -->` + xlsxtest.Row(2, "x")),
		"cdata":            rows(`<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<a> & b]]></t></is></c></row>`),
		"stray between":    rows(xlsxtest.Row(1, "a") + `<c r="B1"><v>stray</v></c>` + xlsxtest.Row(2, "b")),
		"formula bad si":   rows(`<row r="1"><c r="A1"><f t="shared" si="x"/><v>1</v></c><c r="B1"><f ca="maybe">1</f><v>2</v></c></row>`),
		"extLst in c":      rows(`<row r="1"><c r="A1"><v>1</v><extLst><ext><v>9</v></ext></extLst></c></row>`),
		"bad ref":          rows(`<row r="1"><c r="1A"><v>1</v></c></row>`),
		"lower ref":        rows(`<row r="1"><c r="b1"><v>1</v></c><c r="$C$1"><v>2</v></c></row>`),
		"bad style":        rows(`<row r="1"><c r="A1" s="x"><v>1</v></c><c r="B1"><v>2</v></c></row>`),
		"bad row number":   rows(`<row r="x1"><c r="A1"><v>1</v></c></row>`),
		"row zero":         rows(`<row r="0"><c r="A1"><v>1</v></c></row>` + xlsxtest.Row(2, "b")),
		"row too high":     rows(people(2) + xlsxtest.Row(2_000_000_000, "Orang", "Staff")),
		"last row":         rows(xlsxtest.Row(1, "a") + xlsxtest.Row(1_048_576, "b")),
		"out of order":     rows(people(3) + xlsxtest.Row(3, "Orang", "Staff")),
		"broken":           rows(people(3) + `<row r="5"><c r="A5" t="inlineStr"><is><t>x</t></is></c></rowx>` + xlsxtest.Row(6, "Orang", "Staff")),
		"truncated":        rows(people(50))[:strings.Index(rows(people(50)), `<row r="34">`)+30],
		"garbage":          "\x00\x01garbage<<>>",
		"bad entity":       rows(`<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>`),
		"control char":     rows(`<row r="1"><c r="A1" t="inlineStr"><is><t>a` + "\x01" + `b</t></is></c></row>`),
		"control entity":   rows(`<row r="1"><c r="A1" t="inlineStr"><is><t>a&#1;b</t></is></c></row>`),
		"bad utf8":         rows(`<row r="1"><c r="A1" t="inlineStr"><is><t>a` + "\xff" + `b</t></is></c></row>`),
		"cdata end":        rows(`<row r="1"><c r="A1" t="inlineStr"><is><t>a]]>b</t></is></c></row>`),
		"lt in attr":       rows(`<row r="1" x="<"><c r="A1"><v>1</v></c></row>`),
		"prefixed":         `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
		"prefix mismatch":  `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></row></x:sheetData></x:worksheet>`,
		"empty sheetData":  `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`,
		"no sheetData":     `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"></worksheet>`,
		"latin1":           `<?xml version="1.0" encoding="ISO-8859-1"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>caf` + "\xe9" + `</t></is></c></row></sheetData></worksheet>`,
		"dimension":        xlsxtest.SheetXML(`<dimension ref="A1:B6"/>`, people(5)),
		"text after rows":  rows(people(2)) + "trailing <junk",
	}
	return c
}

// sharedTable is the shared strings of every case workbook.
var sharedTable = []string{"Nama", "Staff _x0041_", "Manager"}

func caseBook(t testing.TB, sheet, sst string) []byte {
	data := xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Data", XML: sheet}}, sharedTable)
	if sst != "" {
		data = xlsxtest.Replace(t, data, "xl/sharedStrings.XML", []byte(sst))
	}
	return data
}

// sstCases are shared string tables, each read with the "shared" sheet.
func sstCases() map[string]string {
	return map[string]string{
		"rich":        sstHead + `<si><t>a</t></si><si><r><rPr><b val="1"/><sz val="10"/></rPr><t>b</t></r><r><t>c</t></r></si><si><t xml:space="preserve"> d </t><rPh sb="0" eb="1"><t>x</t></rPh><phoneticPr fontId="1"/></si></sst>`,
		"prefixed":    `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>a</x:t></x:si><x:si><x:t>b</x:t></x:si><x:si><x:t>c</x:t></x:si></x:sst>`,
		"other ns":    `<sst xmlns="urn:other"><si><t>a</t></si></sst>`,
		"strict ns":   `<sst xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>`,
		"bad count":   `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="x"><si><t>a</t></si></sst>`,
		"bad size":    sstHead + `<si><r><rPr><sz val="big"/></rPr><t>a</t></r></si></sst>`,
		"other items": sstHead + `<extLst><ext><si><t>no</t></si></ext></extLst><si><t>a</t></si><si/><si><t>c</t></si></sst>`,
		"broken":      sstHead + `<si><t>a</t></si><si><t>b</x></si></sst>`,
		"empty":       "",
		"spaces":      "  \n",
	}
}

func TestSheetReaderAgreesOnCases(t *testing.T) {
	for name, sheet := range sheetCases() {
		t.Run(name, func(t *testing.T) {
			a, err := xlsxtest.SameRows(caseBook(t, sheet, ""))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v", a)
		})
	}
	for name, sst := range sstCases() {
		t.Run("sst "+name, func(t *testing.T) {
			data := caseBook(t, sheetCases()["shared"], sst)
			if sst == "" {
				data = xlsxtest.Replace(t, data, "xl/sharedStrings.XML", nil)
			}
			if _, err := xlsxtest.SameRows(data); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The reader reads the usual XML itself; excelize only reads what it
// leaves, so that the speed is not lost on ordinary files.
func TestSheetReaderReadsUsualXMLItself(t *testing.T) {
	cases := sheetCases()
	for _, name := range []string{"people", "gaps", "without r", "cells without r", "shared", "shared bad", "types", "formulas",
		"inline variants", "entities", "unicode", "single quotes", "duplicate attrs", "empty rows", "prefixed", "empty sheetData", "last row"} {
		a, err := xlsxtest.SameRows(caseBook(t, cases[name], ""))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(a.ByExcelize) > 0 || a.Sheets != 1 {
			t.Errorf("%s: %+v, want the sheet read by the focused reader", name, a)
		}
	}
	for _, name := range []string{"comment", "cdata", "stray between", "out of order", "broken", "truncated", "row too high", "latin1"} {
		a, err := xlsxtest.SameRows(caseBook(t, cases[name], ""))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(a.ByExcelize) != 1 {
			t.Errorf("%s: %+v, want the sheet left to excelize", name, a)
		}
	}
}

// committedAndBuilt are the sample workbooks and workbooks as excelize
// writes them from values.
func committedAndBuilt(t testing.TB) map[string][]byte {
	books := map[string][]byte{}
	for _, name := range []string{"peserta.xlsx", "survei.xlsx", "target.xlsx"} {
		books[name] = sample(t, name)
	}
	books["built"] = xlsxtest.Workbook(t,
		xlsxtest.Tab{Name: "Satu", Rows: [][]any{{"Nama", "Tanggal", "Umur", "Ya"}, {"Sarno", xlsxtest.Serial(42078), 41, true}, nil, {nil, "x", 1.5, false}}},
		xlsxtest.Tab{Name: "Dua", Rows: [][]any{{"<b>&amp;", " spasi ", "line\nbreak"}}, Merge: []string{"A1:B1"}})
	books["built 1904"] = xlsxtest.WorkbookWith(t, xlsxtest.Options{Date1904: true},
		xlsxtest.Tab{Name: "Data", Rows: [][]any{{"Tanggal"}, {xlsxtest.Serial(1)}}})
	return books
}

func TestSheetReaderAgreesOnSamplesAndBuiltBooks(t *testing.T) {
	for name, data := range committedAndBuilt(t) {
		a, err := xlsxtest.SameRows(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if a.Sheets == 0 || len(a.ByExcelize) > 0 {
			t.Errorf("%s: %+v, want every sheet compared and read by the focused reader", name, a)
		}
		t.Logf("%s: %+v", name, a)
	}
}

// FuzzSheetReader mutates a sheet's XML and a shared string table; the
// focused reader must read them as excelize does (xlsxtest.SameRows).
func FuzzSheetReader(f *testing.F) {
	for _, sheet := range sheetCases() {
		f.Add(sheet, "")
	}
	for _, sst := range sstCases() {
		f.Add(sheetCases()["shared"], sst)
	}
	for name, data := range committedAndBuilt(f) {
		sheet := firstSheet(f, data)
		if len(sheet) > 16<<10 { // the survey's: its first rows
			cut := strings.Index(sheet, `<row r="20"`)
			if cut < 0 {
				f.Fatalf("%s: no row 20", name)
			}
			sheet = sheet[:cut] + "</sheetData></worksheet>"
		}
		f.Add(sheet, "")
	}
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		if manyRows.MatchString(sheet) {
			t.Skip("a row number of six digits: a million empty rows to read three times")
		}
		data := caseBook(t, sheet, sst)
		if _, err := xlsxtest.SameRows(data); err != nil {
			t.Fatal(err)
		}
	})
}

// firstSheet is the XML of a workbook's first worksheet.
func firstSheet(t testing.TB, data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatal("no xl/worksheets/sheet1.xml")
	return ""
}

var manyRows = regexp.MustCompile(`[0-9]{6}`)

// A sheet whose rows read but whose zip entry fails its checksum fails one
// more row: the reader reads the entry to its end, as excelize did when it
// unpacked the whole file on opening it.
func TestSheetChecksumChecked(t *testing.T) {
	data := book(t, people(3))
	sig := []byte("PK\x01\x02") // the central directory's entries
	for i := bytes.Index(data, sig); i >= 0; {
		nameLen := int(data[i+28]) | int(data[i+29])<<8
		if string(data[i+46:i+46+nameLen]) == "xl/worksheets/sheet1.xml" {
			data[i+16] ^= 0xff // its CRC-32
		}
		j := bytes.Index(data[i+4:], sig)
		if j < 0 {
			break
		}
		i += 4 + j
	}
	wb, err := xlsx.OpenAt(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.Rows("Data")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	var last error
	for rows.Next() {
		n++
		_, last = rows.Columns()
	}
	if e := asError(t, last, xlsx.CorruptZip); n != 5 || !errors.Is(e, zip.ErrChecksum) {
		t.Errorf("%d rows, the last failing with %v; want 4 rows and a fifth failing the checksum", n, last)
	}
	// excelize opens it and reads the rows without a word: the same cells.
	if a, err := xlsxtest.SameRows(data); err != nil || a.Sheets != 1 {
		t.Errorf("against excelize: %+v, %v", a, err)
	}
}
