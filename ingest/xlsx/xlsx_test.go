package xlsx_test

import (
	"errors"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"pantau/ingest/xlsx"
	"pantau/ingest/xlsx/xlsxtest"
)

// sample is a committed sample workbook, one Excel opens.
func sample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../../sampledata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// people is a sheet's rows: a header in row 1, then n people.
func people(n int) string {
	rows := xlsxtest.Row(1, "Nama", "Jabatan")
	for i := range n {
		rows += xlsxtest.Row(i+2, "Orang "+string(rune('A'+i)), "Staff")
	}
	return rows
}

// book is a workbook of one sheet, "Data", holding rows.
func book(t testing.TB, rows string) []byte {
	return bookXML(t, xlsxtest.SheetXML("", rows))
}

func bookXML(t testing.TB, sheet string, sst ...string) []byte {
	if sst == nil {
		return xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Data", XML: sheet}}, nil)
	}
	return xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Data", XML: sheet}}, sst)
}

// row is what Rows yielded for one row.
type row struct {
	n     int // counted from 1, as Next yields them
	cells []string
	err   error
}

// readAll opens data and reads sheet "Data" to its end, with TMPDIR pointed
// at a folder that must be empty once the workbook is closed.
func readAll(t *testing.T, data []byte) (rows []row, end error) {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	wb, err := xlsx.Open(data)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer func() {
		if err := wb.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
			t.Errorf("TMPDIR holds %s after Close", entries[0].Name())
		}
	}()
	r, err := wb.Rows("Data")
	if err != nil {
		t.Fatalf("Rows: %v", err)
	}
	defer r.Close()
	for r.Next() {
		cells, err := r.Columns()
		rows = append(rows, row{len(rows) + 1, cells, err})
	}
	return rows, r.Error()
}

// filled keeps the rows that hold a cell or an error.
func filled(rows []row) []row {
	var out []row
	for _, r := range rows {
		if len(r.cells) > 0 || r.err != nil {
			out = append(out, r)
		}
	}
	return out
}

// asError is err as an *xlsx.Error of kind, or a test failure.
func asError(t *testing.T, err error, kind xlsx.Kind) *xlsx.Error {
	t.Helper()
	var e *xlsx.Error
	if !errors.As(err, &e) || e.Kind != kind {
		t.Fatalf("error %v, want an *xlsx.Error of kind %v", err, kind)
	}
	return e
}

// lastError is the error of the last row, which must be the only one.
func lastError(t *testing.T, rows []row, end error) (n int, err error) {
	t.Helper()
	if end != nil {
		t.Errorf("Error() = %v after the rows ended, want nil: the error is the last row's", end)
	}
	for _, r := range rows[:max(0, len(rows)-1)] {
		if r.err != nil {
			t.Errorf("row %d: %v, want only the last row to fail", r.n, r.err)
		}
	}
	if len(rows) == 0 || rows[len(rows)-1].err == nil {
		t.Fatalf("no row failed: %d rows", len(rows))
	}
	return len(rows), rows[len(rows)-1].err
}

func TestSniff(t *testing.T) {
	good := sample(t, "peserta.xlsx")
	for _, c := range []struct {
		name string
		data []byte
		want xlsx.Kind // 0: an .xlsx
	}{
		{"sample", good, 0},
		{"built", book(t, people(2)), 0},
		{"empty", nil, xlsx.EmptyFile},
		{"xls", xlsxtest.CFB("Workbook"), xlsx.LegacyXLS},
		{"encrypted, minimal", xlsxtest.CFB("EncryptionInfo", "EncryptedPackage"), xlsx.Encrypted},
		{"encrypted by excelize", xlsxtest.Encrypted(t), xlsx.Encrypted},
		{"csv", []byte("Nama,Jabatan\nSarno,Div. Pengorganisasian\n"), xlsx.Text},
		{"utf16 LE", append([]byte{0xFF, 0xFE}, "N\x00a\x00m\x00a\x00"...), xlsx.UTF16Text},
		{"utf16 BE", append([]byte{0xFE, 0xFF}, "\x00N\x00a\x00m\x00a"...), xlsx.UTF16Text},
		{"html", []byte("<html><body><table><tr><td>Nama</td></tr></table></body></html>"), xlsx.HTML},
		{"html table only", []byte("<TABLE><tr><td>Nama</td></tr></TABLE>"), xlsx.HTML},
		{"xml 2003", []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>`), xlsx.XMLSpreadsheet2003},
		{"ods", xlsxtest.ODS(t), xlsx.OpenDocument},
		{"pdf", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), xlsx.PDF},
		{"noise", xlsxtest.Random(4096), xlsx.UnknownFormat},
		{"truncated", good[:len(good)/2], xlsx.CorruptZip},
		{"zip of a photo", xlsxtest.Zip(t, xlsxtest.Part{Name: "foto.txt", Data: []byte("halo")}), xlsx.NotWorkbook},
		{"xlsb", xlsxtest.Zip(t, xlsxtest.Part{Name: "xl/workbook.bin", Data: []byte{1, 2, 3}}), xlsx.BinaryWorkbook},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := xlsx.Sniff(c.data)
			if c.want == 0 {
				if err != nil {
					t.Fatalf("Sniff: %v, want nil", err)
				}
				return
			}
			e := asError(t, err, c.want)
			if c.want == xlsx.CorruptZip && e.Err == nil {
				t.Error("a corrupt zip without its cause")
			}
		})
	}
}

// TestZipBombRefusedFast: a bomb is refused from its zip directory, before
// anything is inflated, and one whose header lies is inflated only as far as
// the header says.
func TestZipBombRefusedFast(t *testing.T) {
	base := book(t, people(1))
	prefix := xlsxtest.SheetXML("", people(3))
	prefix = prefix[:strings.Index(prefix, "</sheetData>")]
	for _, c := range []struct {
		name string
		data []byte
		test func(t *testing.T, data []byte)
	}{
		{"honest", xlsxtest.Bomb(t, base, "", xlsx.UnzipLimit>>20+1, 0), func(t *testing.T, data []byte) {
			e := asError(t, xlsx.Sniff(data), xlsx.Oversized)
			if e.Limit != xlsx.UnzipLimit {
				t.Errorf("Limit %d, want %d", e.Limit, xlsx.UnzipLimit)
			}
		}},
		{"lying", xlsxtest.Bomb(t, base, prefix, 4096, uint64(len(prefix))+1000), func(t *testing.T, data []byte) {
			if err := xlsx.Sniff(data); err != nil {
				t.Fatalf("Sniff: %v; the header lies, so only reading finds it", err)
			}
			rows, end := readAll(t, data)
			_, err := lastError(t, rows, end)
			if e := asError(t, err, xlsx.BrokenSheet); e.Row != 4 || e.InRow {
				t.Errorf("broken at row %d (in it: %v), want after row 4", e.Row, e.InRow)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			c.test(t, c.data)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d KiB file refused in %v, allocating %.1f MiB", len(c.data)>>10, elapsed, float64(allocated)/(1<<20))
			if elapsed > time.Second {
				t.Errorf("refusing the bomb took %v, want well under a second", elapsed)
			}
			if allocated > 64<<20 {
				t.Errorf("refusing the bomb allocated %d MiB, want under 64", allocated>>20)
			}
		})
	}
}

// A bomb under the total limit that inflates a thousandfold names its part.
func TestZipBombNamesItsPart(t *testing.T) {
	e := asError(t, xlsx.Sniff(xlsxtest.Bomb(t, book(t, people(1)), "", 100, 0)), xlsx.ZipBomb)
	if e.Part != "xl/worksheets/sheet1.xml" || e.Uncompressed != 100<<20 || e.Compressed == 0 || e.Compressed > 1<<20 {
		t.Errorf("part %q from %d to %d bytes, want the sheet, from a few KiB to 100 MiB", e.Part, e.Compressed, e.Uncompressed)
	}
}

// Rows yields every row number from 1 to the last, the empty ones between
// too, each with its cells from column A.
func TestRowsYieldNumbersAndValues(t *testing.T) {
	data := book(t, xlsxtest.Row(1, "Nama", "Jabatan")+xlsxtest.Row(2, "Sarno", "Staff")+xlsxtest.Row(5, "", "Manager", "x"))
	rows, end := readAll(t, data)
	if end != nil {
		t.Fatal(end)
	}
	want := [][]string{{"Nama", "Jabatan"}, {"Sarno", "Staff"}, nil, nil, {"", "Manager", "x"}}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i, r := range rows {
		if r.err != nil || !slices.Equal(r.cells, want[i]) {
			t.Errorf("row %d: %q, %v; want %q", r.n, r.cells, r.err, want[i])
		}
	}
}

// TestLastRowOfExcel: a row in the last row Excel has, below a header in
// row 1, is read; the million empty rows between cost little.
func TestLastRowOfExcel(t *testing.T) {
	data := book(t, xlsxtest.Row(1, "Nama", "Jabatan")+xlsxtest.Row(1_048_576, "Sarno", "Staff"))
	start := time.Now()
	rows, end := readAll(t, data)
	elapsed := time.Since(start)
	t.Logf("read in %v", elapsed)
	got := filled(rows)
	if end != nil || len(got) != 2 || got[1].n != xlsx.MaxRows || !slices.Equal(got[1].cells, []string{"Sarno", "Staff"}) || got[1].err != nil {
		t.Fatalf("want the header and row %d read, got %+v, %v", xlsx.MaxRows, got, end)
	}
	if limit := 2 * time.Second * xlsxtest.Slow(); elapsed > limit {
		t.Errorf("took %v, want under %v", elapsed, limit)
	}
}

func TestLastRowNumber(t *testing.T) {
	wb, err := xlsx.Open(book(t, people(3)+xlsxtest.Row(40, "Orang", "Staff")))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if n := wb.LastRowNumber("Data"); n != 40 {
		t.Errorf("LastRowNumber = %d, want 40", n)
	}
	if n := wb.LastRowNumber("Tidak Ada"); n != 0 {
		t.Errorf("LastRowNumber of a sheet the workbook lacks = %d, want 0", n)
	}
}

// Variants of the XML that other programs write read as Excel's does.
func TestRowsReadWellFormedVariants(t *testing.T) {
	prefixed := strings.NewReplacer("<row", "<x:row", "</row>", "</x:row>", "<c ", "<x:c ", "</c>", "</x:c>", "<is>", "<x:is>", "</is>", "</x:is>", "<t>", "<x:t>", "</t>", "</x:t>").
		Replace(people(2))
	for name, data := range map[string][]byte{
		"prefixed":       bookXML(t, `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>`+prefixed+`</x:sheetData></x:worksheet>`),
		"without r":      book(t, strings.ReplaceAll(people(2), ` r="`, ` data-r="`)),
		"shared strings": bookXML(t, xlsxtest.SheetXML("", xlsxtest.Row(1, "Nama", "Jabatan")+`<row r="2"><c r="A2" t="inlineStr"><is><t>Orang A</t></is></c><c r="B2" t="s"><v>1</v></c></row>`+xlsxtest.Row(3, "Orang B", "Staff")), "Manager", "Staff"),
	} {
		t.Run(name, func(t *testing.T) {
			rows, end := readAll(t, data)
			if end != nil || len(rows) != 3 {
				t.Fatalf("%d rows, %v; want 3", len(rows), end)
			}
			for _, r := range rows {
				if r.err != nil {
					t.Errorf("row %d: %v", r.n, r.err)
				}
			}
			if !slices.Equal(rows[1].cells, []string{"Orang A", "Staff"}) || !slices.Equal(rows[2].cells, []string{"Orang B", "Staff"}) {
				t.Errorf("rows 2 and 3: %q, %q", rows[1].cells, rows[2].cells)
			}
		})
	}
}

// A sheet excelize stops reading early, as if it ended there, fails in an
// extra row with where and how its XML breaks.
func TestRowsReportBrokenSheets(t *testing.T) {
	truncated := xlsxtest.SheetXML("", people(50))
	truncated = truncated[:strings.Index(truncated, `<row r="34">`)+30]
	for _, c := range []struct {
		name    string
		data    []byte
		failsAt int // the row that fails, counting from 1
		row     int
		inRow   bool
		cause   string
	}{
		// The last row the sheet declares (7) is not the last read (5).
		{"broken, rows after", book(t, people(3)+`<row r="5"><c r="A5" t="inlineStr"><is><t>x</t></is></c></rowx>`+xlsxtest.Row(6, "Orang", "Staff")+xlsxtest.Row(7, "Orang", "Staff")),
			6, 5, true, "closed by </rowx>"},
		{"broken in the last row", book(t, people(3)+`<row r="5"><c r="A5" t="inlineStr"><is><t>Orang</t></is></c><c r="B5" t="inlineStr"><is><t>Staff</t></is></cx></row>`),
			0, 5, true, ""},
		{"truncated", bookXML(t, truncated), 0, 34, true, "unexpected EOF"},
		{"garbage", bookXML(t, "\x00\x01garbage<<>>"+string(xlsxtest.Random(300))), 1, 0, false, ""},
		{"out of order", book(t, people(3)+xlsxtest.Row(3, "Orang", "Staff")), 0, 4, false, "row 3 comes after row 4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, end := readAll(t, c.data)
			n, err := lastError(t, rows, end)
			if c.failsAt != 0 && n != c.failsAt {
				t.Errorf("row %d failed, want row %d", n, c.failsAt)
			}
			e := asError(t, err, xlsx.BrokenSheet)
			if e.Row != c.row || e.InRow != c.inRow || e.Sheet != "Data" || e.Err == nil || !strings.Contains(e.Err.Error(), c.cause) {
				t.Errorf("got %+v, want broken at row %d (in it: %v) because %q", e, c.row, c.inRow, c.cause)
			}
		})
	}
}

// A row numbered past Excel's last fails as the row after the last good one.
func TestRowNumberTooHigh(t *testing.T) {
	rows, end := readAll(t, book(t, people(2)+xlsxtest.Row(2_000_000_000, "Orang", "Staff")))
	n, err := lastError(t, rows, end)
	e := asError(t, err, xlsx.RowNumberTooHigh)
	if n != 4 || e.Row != 3 || e.Limit != xlsx.MaxRows {
		t.Errorf("row %d failed with %+v, want row 4: after row 3, over %d", n, e, xlsx.MaxRows)
	}
}

// A cell that refers to a shared string past the table fails its row, which
// excelize alone reads with the cell blank; the rows after it still read.
func TestSharedStringOutOfRange(t *testing.T) {
	for _, c := range []struct {
		name       string
		data       []byte
		row        int
		cell       string
		index, cnt int
	}{
		{"past the table", bookXML(t, xlsxtest.SheetXML("", xlsxtest.Row(1, "Nama", "Jabatan")+xlsxtest.Row(2, "Sarno", "Staff")+
			`<row r="3"><c r="A3" t="inlineStr"><is><t>Taufan</t></is></c><c r="B3" t="s"><v>7</v></c></row>`+xlsxtest.Row(4, "Dardiri", "Staff")), "Staff", "Manager"),
			3, "B3", 7, 2},
		{"no table", book(t, xlsxtest.Row(1, "Nama", "Jabatan")+`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>Staff</t></is></c></row>`),
			2, "A2", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, end := readAll(t, c.data)
			if end != nil {
				t.Fatal(end)
			}
			for _, r := range rows {
				if r.n != c.row {
					if r.err != nil {
						t.Errorf("row %d: %v", r.n, r.err)
					}
					continue
				}
				e := asError(t, r.err, xlsx.BadSharedString)
				if e.Row != c.row || e.Cell != c.cell || e.Index != c.index || e.Count != c.cnt {
					t.Errorf("got %+v, want cell %s referring to %d of %d", e, c.cell, c.index, c.cnt)
				}
			}
			if len(rows) < c.row {
				t.Errorf("only %d rows", len(rows))
			}
		})
	}
}

// TestBigSheet: a sheet over 64 MiB, which excelize reads from a temporary
// file rather than from memory, read whole, and broken after its first rows.
func TestBigSheet(t *testing.T) {
	// Noise between the rows, which the XML allows and excelize skips: it
	// makes the sheet big without many rows to decode.
	noise := xlsxtest.Random(1 << 20)
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
	for i, b := range noise {
		noise[i] = letters[int(b)%len(letters)]
	}
	base := book(t, "")
	for _, c := range []struct {
		name       string
		head, tail string
		broken     bool
	}{
		// excelize decodes all of it: seconds, more under the race detector.
		{"whole", people(3), xlsxtest.Row(5, "Orang 4", "Staff"), false},
		{"broken", people(3) + `<row r="5"><c r="A5"></cx></row>`, xlsxtest.Row(6, "Orang 5", "Staff"), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !c.broken && (testing.Short() || xlsxtest.Race) {
				t.Skip("decodes 65 MiB of XML")
			}
			data := xlsxtest.BigBook(t, base, c.head, noise, 65, c.tail)
			start := time.Now()
			rows, end := readAll(t, data)
			t.Logf("%d MiB read in %v", len(data)>>20, time.Since(start))
			if !c.broken {
				got := filled(rows)
				if end != nil || len(got) != 5 || got[4].n != 5 || !slices.Equal(got[4].cells, []string{"Orang 4", "Staff"}) {
					t.Errorf("want the header and 4 rows, got %+v, %v", got, end)
				}
				for _, r := range got {
					if r.err != nil {
						t.Errorf("row %d: %v", r.n, r.err)
					}
				}
				return
			}
			_, err := lastError(t, rows, end)
			if e := asError(t, err, xlsx.BrokenSheet); e.Row != 5 || !e.InRow {
				t.Errorf("got %+v, want broken in row 5", e)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	cause := errors.New("unexpected EOF")
	e := &xlsx.Error{Kind: xlsx.BrokenSheet, Sheet: "Data", Row: 3, Err: cause}
	if got, want := e.Error(), "xlsx: broken sheet XML in sheet Data at row 3: unexpected EOF"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, cause) {
		t.Error("the cause does not unwrap")
	}
	if got := xlsx.Kind(99).String(); got != "Kind(99)" {
		t.Errorf("unknown kind: %q", got)
	}
}
