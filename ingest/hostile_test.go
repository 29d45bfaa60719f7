package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pantau/ingest"
	"pantau/ingest/xlsx"
	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
	"pantau/queries/querytest"
)

// Hostile files: everything that is not a good .xlsx, and the .xlsx files
// built to hurt, must each be refused with a clear problem, store nothing,
// leave no temporary file behind and never panic.

// ---------------------------------------------------------------- builders
// (the files that concern only the reader are built by ingest/xlsx/xlsxtest)

// hxPeserta is a participant sheet's rows: the header in row 1, then people
// in rows 2..n+1.
func hxPeserta(n int) string {
	var b strings.Builder
	b.WriteString(xlsxtest.Row(1, "Nama", "Jabatan"))
	for i := range n {
		b.WriteString(xlsxtest.Row(i+2, fmt.Sprintf("Orang %d", i+1), "Staff Administrasi Program MAMPU"))
	}
	return b.String()
}

// hxPesertaBook is a participant workbook whose one sheet holds rows.
func hxPesertaBook(t testing.TB, rows string) []byte {
	return xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Peserta", XML: xlsxtest.SheetXML("", rows)}}, nil)
}

var (
	hxSampleOnce sync.Once
	hxSample     []byte
)

// hxGood is the committed participant sample, a workbook Excel opens.
func hxGood(t testing.TB) []byte {
	t.Helper()
	hxSampleOnce.Do(func() { hxSample, _ = os.ReadFile("../sampledata/peserta.xlsx") })
	if len(hxSample) == 0 {
		t.Fatal("cannot read ../sampledata/peserta.xlsx")
	}
	return hxSample
}

// ---------------------------------------------------------------- the cases

// hxCase is a file to upload and what the refusal must say.
type hxCase struct {
	name string // the file name uploaded
	data func(t testing.TB) []byte
	max  int64    // Options.MaxUpload
	want []string // each in one problem's English message
}

// hxRefused lists the files every upload path must refuse.
func hxRefused() []hxCase {
	ext := []string{".xlsx"}
	return []hxCase{
		{"kosong.xlsx", func(testing.TB) []byte { return nil }, 0, append(ext, "the file is empty")},
		{"lama.xls", func(testing.TB) []byte { return xlsxtest.CFB("Workbook") }, 0, append(ext, "Excel 97-2003 format (.xls)")},
		{"terkunci-minimal.xlsx", func(testing.TB) []byte { return xlsxtest.CFB("EncryptionInfo", "EncryptedPackage") }, 0, append(ext, "protected with a password")},
		{"terkunci.xlsx", xlsxtest.Encrypted, 0, append(ext, "protected with a password")},
		{"data.csv", func(testing.TB) []byte { return []byte("Nama,Jabatan\nSarno,Div. Pengorganisasian\n") }, 0, append(ext, "text file (CSV?)")},
		{"data-utf16.csv", func(testing.TB) []byte { return append([]byte{0xFF, 0xFE}, []byte("N\x00a\x00m\x00a\x00")...) }, 0, append(ext, "UTF-16")},
		{"web.xls", func(testing.TB) []byte {
			return []byte("<html><body><table><tr><td>Nama</td></tr></table></body></html>")
		}, 0, append(ext, "web page (HTML)")},
		{"lembar.ods", xlsxtest.ODS, 0, append(ext, "OpenDocument format (.ods)")},
		{"laporan.xlsx", func(testing.TB) []byte {
			return []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
		}, 0, append(ext, "PDF file")},
		{"acak.xlsx", func(testing.TB) []byte { return xlsxtest.Random(4096) }, 0, append(ext, "not recognised")},
		{"terpotong.xlsx", func(t testing.TB) []byte { d := hxGood(t); return d[:len(d)/2] }, 0, append(ext, "corrupt or truncated")},
		{"bukan-buku.zip", func(t testing.TB) []byte {
			return xlsxtest.Zip(t, xlsxtest.Part{Name: "foto.txt", Data: []byte("halo")})
		}, 0, append(ext, "no xl/workbook.xml")},
		{"biner.xlsb", func(t testing.TB) []byte {
			return xlsxtest.Zip(t, xlsxtest.Part{Name: "xl/workbook.bin", Data: []byte{1, 2, 3}})
		}, 0, append(ext, ".xlsb")},
		{"besar.xlsx", hxGood, 1000, []string{"over the upload limit"}},

		// Zip bombs: one that says what it unpacks to, one under the limit
		// but inflating a thousandfold, and one whose header lies.
		{"bom.xlsx", func(t testing.TB) []byte {
			return xlsxtest.Bomb(t, hxPesertaBook(t, hxPeserta(1)), "", xlsx.UnzipLimit>>20+1, 0)
		}, 0, []string{"refused as a zip bomb"}},
		{"bom-kecil.xlsx", func(t testing.TB) []byte { return xlsxtest.Bomb(t, hxPesertaBook(t, hxPeserta(1)), "", 100, 0) }, 0, []string{"refused as a zip bomb", "100 MiB"}},
		{"bom-bohong.xlsx", func(t testing.TB) []byte {
			prefix := xlsxtest.SheetXML("", hxPeserta(3))
			prefix = prefix[:strings.Index(prefix, "</sheetData>")]
			return xlsxtest.Bomb(t, hxPesertaBook(t, hxPeserta(1)), prefix, 2048, uint64(len(prefix))+100)
		}, 0, []string{"sheet's XML is broken after row 4"}},

		// Broken XML.
		{"workbook-rusak.xlsx", func(t testing.TB) []byte {
			return xlsxtest.Replace(t, hxPesertaBook(t, hxPeserta(2)), "xl/workbook.xml", []byte(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Peserta"`))
		}, 0, append(ext, "the workbook cannot be opened")},
		{"sheet-sampah.xlsx", func(t testing.TB) []byte {
			return xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Peserta", XML: "\x00\x01garbage<<>>" + string(xlsxtest.Random(300))}}, nil)
		}, 0, []string{"row 1 cannot be read", "broken before its first row"}},
		{"sheet-patah.xlsx", func(t testing.TB) []byte {
			rows := hxPeserta(3) + `<row r="5"><c r="A5" t="inlineStr"><is><t>x</t></is></c></rowx>` + xlsxtest.Row(6, "Orang 5", "Staff") + xlsxtest.Row(7, "Orang 6", "Staff")
			return hxPesertaBook(t, rows)
		}, 0, []string{"row 6 cannot be read", "broken in row 5", "closed by </rowx>"}},
		{"sheet-patah-akhir.xlsx", func(t testing.TB) []byte {
			rows := hxPeserta(3) + `<row r="5"><c r="A5" t="inlineStr"><is><t>Orang 4</t></is></c><c r="B5" t="inlineStr"><is><t>Staff</t></is></cx></row>`
			return hxPesertaBook(t, rows)
		}, 0, []string{"broken in row 5"}},
		{"sheet-terpotong.xlsx", func(t testing.TB) []byte {
			x := xlsxtest.SheetXML("", hxPeserta(50))
			return xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Peserta", XML: x[:strings.Index(x, `<row r="34">`)+30]}}, nil)
		}, 0, []string{"broken in row 34", "unexpected EOF"}},
		{"sheet-acak-urut.xlsx", func(t testing.TB) []byte {
			return hxPesertaBook(t, hxPeserta(3)+xlsxtest.Row(3, "Orang 9", "Staff"))
		}, 0, []string{"row 3 comes after row 4"}},
		{"baris-2-miliar.xlsx", func(t testing.TB) []byte {
			return hxPesertaBook(t, hxPeserta(2)+xlsxtest.Row(2_000_000_000, "Orang", "Staff"))
		}, 0, []string{"row 4 cannot be read", "after row 3 comes a row number above 1048576"}},

		// Cells.
		{"teks-bersama.xlsx", func(t testing.TB) []byte {
			rows := xlsxtest.Row(1, "Nama", "Jabatan") + xlsxtest.Row(2, "Sarno", "Staff") +
				`<row r="3"><c r="A3" t="inlineStr"><is><t>Taufan</t></is></c><c r="B3" t="s"><v>7</v></c></row>` + xlsxtest.Row(4, "Dardiri", "Staff")
			return xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Peserta", XML: xlsxtest.SheetXML("", rows)}}, []string{"Staff", "Manager"})
		}, 0, []string{"row 3 cannot be read", "cell B3 refers to shared string 7, but the table holds only 2"}},
		{"teks-bersama-tanpa-tabel.xlsx", func(t testing.TB) []byte {
			rows := xlsxtest.Row(1, "Nama", "Jabatan") + `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>Staff</t></is></c></row>`
			return hxPesertaBook(t, rows)
		}, 0, []string{"cell A2 refers to shared string 0, but the table holds only 0"}},
		{"sel-panjang.xlsx", func(t testing.TB) []byte {
			return hxPesertaBook(t, xlsxtest.Row(1, "Nama", "Jabatan")+xlsxtest.Row(2, strings.Repeat("a", 40_000), "Staff"))
		}, 0, []string{"cell holds 40000 characters; at most 32767"}},
	}
}

// hxEnv is a database, a data folder and a temporary folder of one test.
type hxEnv struct {
	ctx     context.Context
	db      *queries.DB
	dataDir string
	tmpDir  string
}

// newHxEnv opens a database, then points TMPDIR at an empty folder, so
// that anything ingest leaves there shows.
func newHxEnv(t *testing.T) *hxEnv {
	t.Helper()
	e := &hxEnv{ctx: context.Background(), dataDir: t.TempDir(), tmpDir: t.TempDir()}
	e.db = querytest.Open(t)
	t.Setenv("TMPDIR", e.tmpDir)
	return e
}

// nothingStored checks that no upload has left a trace.
func (e *hxEnv) nothingStored(t *testing.T) {
	t.Helper()
	imports, err := e.db.Imports(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) != 0 {
		t.Errorf("imports: %+v, want none", imports)
	}
	for _, table := range []string{"participants", "respondents", "participant_versions", "respondent_versions", "import_sheets"} {
		if n := querytest.Count(t, e.db, table); n != 0 {
			t.Errorf("%s holds %d rows, want none", table, n)
		}
	}
	for dir, what := range map[string]string{e.dataDir: "data folder", e.tmpDir: "TMPDIR"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range entries {
			t.Errorf("%s holds %s, want nothing", what, d.Name())
		}
	}
}

// hxProblems lists a report's problems in English, for failure messages.
func hxProblems(r *ingest.Report) string {
	var b strings.Builder
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "\n  %s %s: %s", p.Severity, p.Where(), p.Message)
	}
	return b.String()
}

// checkRefused checks that r refuses the file with problems saying want.
func checkRefused(t *testing.T, r *ingest.Report, want []string) {
	t.Helper()
	if r == nil {
		t.Fatal("no report")
	}
	if r.OK || r.ImportID != nil || r.ErrorCount == 0 || len(r.Problems) == 0 {
		t.Fatalf("want a refusal with an error, got OK=%v ImportID=%v errors=%d%s", r.OK, r.ImportID, r.ErrorCount, hxProblems(r))
	}
	for _, p := range r.Problems {
		if p.Message == "" {
			t.Errorf("problem without a message: %+v", p)
		}
	}
	en := *r
	en.Problems = append([]ingest.Problem(nil), r.Problems...)
	en.Localize("en")
	for _, w := range want {
		found := false
		for _, p := range en.Problems {
			found = found || p.Severity == ingest.SeverityError && strings.Contains(p.Message, w)
		}
		if !found {
			t.Errorf("no error says %q:%s", w, hxProblems(&en))
		}
	}
}

// TestHostileFilesRefused uploads every hostile file, committing (not a dry
// run), through ingest.Bytes and through ingest.File.
func TestHostileFilesRefused(t *testing.T) {
	for _, c := range hxRefused() {
		t.Run(c.name, func(t *testing.T) {
			data := c.data(t)
			e := newHxEnv(t)
			opt := ingest.Options{By: "test", DataDir: e.dataDir, MaxUpload: c.max}
			if c.max == 0 {
				opt.MaxUpload = 64 << 20
			}
			r, err := ingest.Bytes(e.ctx, e.db, c.name, data, opt)
			if err != nil {
				t.Fatalf("Bytes: %v", err)
			}
			checkRefused(t, r, c.want)

			path := filepath.Join(t.TempDir(), c.name)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			r, err = ingest.File(e.ctx, e.db, path, opt)
			if err != nil {
				t.Fatalf("File: %v", err)
			}
			checkRefused(t, r, c.want)
			os.Remove(path)
			e.nothingStored(t)
		})
	}
}

// TestHostileControl makes sure the builders make good workbooks, so that
// each refusal above is of what the case breaks.
func TestHostileControl(t *testing.T) {
	e := newHxEnv(t)
	for name, data := range map[string][]byte{
		"dibangun.xlsx": hxPesertaBook(t, hxPeserta(3)),
		"teks-bersama.xlsx": xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Peserta", XML: xlsxtest.SheetXML("",
			xlsxtest.Row(1, "Nama", "Jabatan")+`<row r="2"><c r="A2" t="inlineStr"><is><t>Sarno</t></is></c><c r="B2" t="s"><v>1</v></c></row>`)}}, []string{"Staff", "Manager"}),
		"tanpa-r.xlsx": hxPesertaBook(t, strings.ReplaceAll(hxPeserta(3), ` r="`, ` data-r="`)),
		"awalan.xlsx":  []byte(hxPrefixed(t)),
	} {
		r, err := ingest.Bytes(e.ctx, e.db, name, data, ingest.Options{DryRun: true, By: "test", DataDir: e.dataDir})
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK || len(r.Sheets) != 1 || r.Sheets[0].Rows < 1 {
			t.Errorf("%s: want a good participant sheet, got OK=%v sheets=%+v%s", name, r.OK, r.Sheets, hxProblems(r))
		}
	}
	e.nothingStored(t)
}

// hxPrefixed is a workbook whose sheet XML spells every element with a
// namespace prefix, <x:row> and <x:c>, as some .NET libraries write it.
func hxPrefixed(t testing.TB) string {
	rows := strings.NewReplacer("<row", "<x:row", "</row>", "</x:row>", "<c ", "<x:c ", "</c>", "</x:c>", "<is>", "<x:is>", "</is>", "</x:is>", "<t>", "<x:t>", "</t>", "</x:t>").
		Replace(hxPeserta(2))
	sheet := `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` + rows + `</x:sheetData></x:worksheet>`
	return string(xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Peserta", XML: sheet}}, nil))
}

// TestZipBombRefusedFast: a bomb is refused from its zip directory, before
// anything is inflated, and one whose header lies is inflated only as far as
// hxUpload ingests data (a dry run) in a fresh environment and checks that
// it left nothing behind.
func hxUpload(t *testing.T, name string, data []byte) (*ingest.Report, time.Duration) {
	t.Helper()
	e := newHxEnv(t)
	start := time.Now()
	r, err := ingest.Bytes(e.ctx, e.db, name, data, ingest.Options{DryRun: true, By: "test", DataDir: e.dataDir})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	e.nothingStored(t)
	return r, elapsed
}

// TestHugeDimensionClaim: a sheet may claim all of Excel's grid and hold
// two rows; it is committed, quickly.
func TestHugeDimensionClaim(t *testing.T) {
	data := xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Peserta", XML: xlsxtest.SheetXML(`<dimension ref="A1:XFD1048576"/>`, hxPeserta(1))}}, nil)
	e := newHxEnv(t)
	start := time.Now()
	r, err := ingest.Bytes(e.ctx, e.db, "dimensi.xlsx", data, ingest.Options{By: "test", DataDir: e.dataDir})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK || r.ImportID == nil || r.Sheets[0].New != 1 {
		t.Fatalf("want one participant committed, got OK=%v import=%v sheets=%+v%s", r.OK, r.ImportID, r.Sheets, hxProblems(r))
	}
	if limit := time.Second * xlsxtest.Slow(); elapsed > limit {
		t.Errorf("took %v, want under %v", elapsed, limit)
	}
	if entries, _ := os.ReadDir(e.tmpDir); len(entries) > 0 {
		t.Errorf("TMPDIR holds %s", entries[0].Name())
	}
}

// TestFormulaCellReadAsText: a formula in a text column is read as the text
// it last computed, not as the formula.
func TestFormulaCellReadAsText(t *testing.T) {
	rows := xlsxtest.Row(1, "Nama", "Jabatan") +
		`<row r="2"><c r="A2" t="str"><f>HYPERLINK("http://x","y")</f><v>y</v></c><c r="B2" t="inlineStr"><is><t>Staff</t></is></c></row>`
	e := newHxEnv(t)
	r, err := ingest.Bytes(e.ctx, e.db, "rumus.xlsx", hxPesertaBook(t, rows), ingest.Options{By: "test", DataDir: e.dataDir})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK {
		t.Fatalf("refused:%s", hxProblems(r))
	}
	names := querytest.Rows(t, e.db, "participants", "name")
	if len(names) == 0 {
		t.Fatal("no participant stored")
	}
	if name := names[0]; name != "y" {
		t.Errorf("name = %q, want the formula's cached text %q", name, "y")
	}
}

// TestScriptSheetNameIgnoredVerbatim: a sheet name is data like any other;
// it is reported as it is, and escaping it is the caller's job.
func TestScriptSheetNameIgnoredVerbatim(t *testing.T) {
	name := `<script>alert("x")</script>`
	data := xlsxtest.Book(t, []xlsxtest.Sheet{{Name: "Peserta", XML: xlsxtest.SheetXML("", hxPeserta(1))}, {Name: name, XML: xlsxtest.SheetXML("", xlsxtest.Row(1, "a"))}}, nil)
	r, _ := hxUpload(t, "skrip.xlsx", data)
	if !r.OK || len(r.IgnoredSheets) != 1 || r.IgnoredSheets[0] != name {
		t.Errorf("want OK and ignored sheet %q, got OK=%v ignored=%q%s", name, r.OK, r.IgnoredSheets, hxProblems(r))
	}
}

// TestLongCellAtItsCell: the cell over Excel's 32,767 characters is named.
func TestLongCellAtItsCell(t *testing.T) {
	data := hxPesertaBook(t, xlsxtest.Row(1, "Nama", "Jabatan")+xlsxtest.Row(2, "Sarno", "Staff")+xlsxtest.Row(3, strings.Repeat("é", 40_000), "Staff"))
	r, _ := hxUpload(t, "panjang.xlsx", data)
	checkRefused(t, r, []string{"40000 characters"})
	for _, p := range r.Problems {
		if p.Severity == ingest.SeverityError && (p.Sheet != "Peserta" || p.Cell != "A3" || p.Row != 3 || len(p.Value) > 400) {
			t.Errorf("problem %+v, want it at Peserta!A3 with a clipped value", p)
		}
	}
}

// worksheet's compressed bytes zeroed in the middle (the zip directory still
// whole, so only the data is wrong), are refused. excelize alone reads the
// second kind as a sheet that ends early, or with cells blank.
func TestDamagedSamplesRefused(t *testing.T) {
	e := newHxEnv(t)
	for _, path := range []string{"../sampledata/peserta.xlsx", "../sampledata/survei.xlsx"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range hxDamaged(t, data) {
			if !d.refused || strings.Contains(d.what, "zeroed") && !strings.Contains(d.what, "sheet1.xml") {
				continue // a flipped byte may be harmless; one zeroed sheet is enough
			}
			r, err := ingest.Bytes(e.ctx, e.db, filepath.Base(path), d.data, ingest.Options{By: "test", DataDir: e.dataDir})
			if err != nil {
				t.Fatal(err)
			}
			if d.refused && (r.OK || r.ErrorCount == 0) {
				t.Errorf("%s, %s: want a refusal, got OK=%v%s", path, d.what, r.OK, hxProblems(r))
			}
		}
	}
	e.nothingStored(t)
}
