package ingest_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"pantau/ingest"
	"pantau/ingest/xlsx"
	"pantau/queries"
)

// Hostile files: everything that is not a good .xlsx, and the .xlsx files
// built to hurt, must each be refused with a clear problem, store nothing,
// leave no temporary file behind and never panic.

// ---------------------------------------------------------------- builders

// hxPart is one entry of a zip.
type hxPart struct {
	name string
	data []byte
}

// hxZip writes parts into a zip, deflated.
func hxZip(t testing.TB, parts ...hxPart) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		method := zip.Deflate
		if len(p.data) > 8<<20 {
			method = zip.Store // big test data deflates slowly
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hxEscape escapes text for XML content and attributes.
func hxEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// hxRow is a row of inline-string cells from column A.
func hxRow(r int, texts ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, s := range texts {
		if s == "" {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, r)
		fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, cell, hxEscape(s))
	}
	b.WriteString("</row>")
	return b.String()
}

// hxPeserta is a participant sheet's rows: the header in row 1, then people
// in rows 2..n+1.
func hxPeserta(n int) string {
	var b strings.Builder
	b.WriteString(hxRow(1, "Nama", "Jabatan"))
	for i := range n {
		b.WriteString(hxRow(i+2, fmt.Sprintf("Orang %d", i+1), "Staff Administrasi Program MAMPU"))
	}
	return b.String()
}

const hxNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// hxSheetXML is a worksheet holding rows, with head before <sheetData>.
func hxSheetXML(head, rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet ` + hxNS + `>` + head + `<sheetData>` + rows + `</sheetData></worksheet>`
}

// hxSheet is a named sheet and its worksheet XML.
type hxSheet struct{ name, xml string }

// hxBook is a minimal .xlsx, as a program other than Excel writes it: the
// sheets in order, shared strings when sst is not nil, extra parts last.
func hxBook(t testing.TB, sheets []hxSheet, sst []string, extra ...hxPart) []byte {
	t.Helper()
	var types, book, rels strings.Builder
	types.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`)
	book.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ` + hxNS + `><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	var parts []hxPart
	for i, s := range sheets {
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&book, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, hxEscape(s.name), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		parts = append(parts, hxPart{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), []byte(s.xml)})
	}
	if sst != nil {
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, len(sheets)+1)
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(sst), len(sst))
		for _, s := range sst {
			fmt.Fprintf(&b, `<si><t>%s</t></si>`, hxEscape(s))
		}
		b.WriteString(`</sst>`)
		parts = append(parts, hxPart{"xl/sharedStrings.xml", []byte(b.String())})
	}
	types.WriteString(`</Types>`)
	book.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	head := []hxPart{
		{"[Content_Types].xml", []byte(types.String())},
		{"_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", []byte(book.String())},
		{"xl/_rels/workbook.xml.rels", []byte(rels.String())},
	}
	return hxZip(t, append(append(head, parts...), extra...)...)
}

// hxPesertaBook is a participant workbook whose one sheet holds rows.
func hxPesertaBook(t testing.TB, rows string) []byte {
	return hxBook(t, []hxSheet{{"Peserta", hxSheetXML("", rows)}}, nil)
}

// hxReplace is data with the part name of its zip replaced by content,
// every other entry copied as it is.
func hxReplace(t testing.TB, data []byte, name string, content []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name == name {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(content)
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hxZerosDeflate is a raw deflate stream of n MiB of zeros (n >= 2), built
// from one compressed MiB repeated: instant, where compressing a GiB takes
// seconds. The data of the stream is prefix followed by the zeros; its
// checksum is computed only when wanted.
func hxZerosDeflate(t testing.TB, prefix []byte, n int, checksum bool) (stream []byte, size uint64, crc uint32) {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	w.Write(prefix)
	w.Write(zeros)
	w.Flush()
	first := buf.Len()
	w.Write(zeros)
	w.Flush()
	block := bytes.Clone(buf.Bytes()[first:])
	w.Write(zeros)
	w.Flush()
	if again := buf.Bytes()[first+len(block):]; !bytes.Equal(again, block) {
		t.Fatal("deflate blocks of zeros differ; cannot repeat them")
	}
	stream = bytes.Clone(buf.Bytes()[:first])
	if checksum {
		crc = crc32.Update(crc32.ChecksumIEEE(prefix), crc32.IEEETable, zeros)
	}
	for range n - 1 {
		stream = append(stream, block...)
		if checksum {
			crc = crc32.Update(crc, crc32.IEEETable, zeros)
		}
	}
	stream = append(stream, 0x03, 0x00) // an empty final block
	return stream, uint64(len(prefix)) + uint64(n)<<20, crc
}

// hxBomb is a valid-looking participant workbook whose sheet inflates to
// n MiB: prefix, then zeros. The sheet's header says declared bytes, or,
// when declared is 0, the true size and checksum.
func hxBomb(t testing.TB, prefix string, n int, declared uint64) []byte {
	t.Helper()
	good := hxPesertaBook(t, hxPeserta(1))
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	stream, size, crc := hxZerosDeflate(t, []byte(prefix), n, declared == 0)
	if declared == 0 {
		declared = size
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(stream)), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(stream)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hxCFB is an OLE2 compound file (what .xls and encrypted .xlsx files are)
// holding the named streams, each of 4 KiB of filler.
func hxCFB(streams ...string) []byte {
	const sector, free, end, fat = 512, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
	const streamSectors = 8 // 4 KiB: at the mini stream cutoff, so in normal sectors
	le := binary.LittleEndian
	header := make([]byte, sector)
	copy(header, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	le.PutUint16(header[24:], 0x003E)
	le.PutUint16(header[26:], 3)
	le.PutUint16(header[28:], 0xFFFE)
	le.PutUint16(header[30:], 9)
	le.PutUint16(header[32:], 6)
	le.PutUint32(header[44:], 1)    // FAT sectors
	le.PutUint32(header[48:], 1)    // first directory sector
	le.PutUint32(header[56:], 4096) // mini stream cutoff
	le.PutUint32(header[60:], end)
	le.PutUint32(header[68:], end)
	for i := range 109 {
		le.PutUint32(header[76+4*i:], free)
	}
	le.PutUint32(header[76:], 0) // the FAT is sector 0

	fatSector := make([]byte, sector)
	for i := range sector / 4 {
		le.PutUint32(fatSector[4*i:], free)
	}
	le.PutUint32(fatSector[0:], fat)
	le.PutUint32(fatSector[4:], end) // the directory: sector 1
	next := uint32(2)
	dir := make([]byte, sector)
	entry := func(i int, name string, kind byte, child, right, start uint32, size uint32) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66], e[67] = kind, 1
		le.PutUint32(e[68:], free)
		le.PutUint32(e[72:], right)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], size)
	}
	entry(0, "Root Entry", 5, 1, free, end, 0)
	var data []byte
	for i, name := range streams {
		right := uint32(free)
		if i+1 < len(streams) {
			right = uint32(i + 2)
		}
		entry(i+1, name, 2, free, right, next, streamSectors*sector)
		for s := range uint32(streamSectors) {
			link := next + s + 1
			if s == streamSectors-1 {
				link = end
			}
			le.PutUint32(fatSector[4*(next+s):], link)
		}
		next += streamSectors
		data = append(data, bytes.Repeat([]byte{byte('a' + i)}, streamSectors*sector)...)
	}
	return slices.Concat(header, fatSector, dir, data)
}

// hxEncrypted is a real password-protected workbook, as excelize writes it.
func hxEncrypted(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Peserta")
	f.SetSheetRow("Peserta", "A1", &[]any{"Nama", "Jabatan"})
	f.SetSheetRow("Peserta", "A2", &[]any{"Sarno", "Div. Pengorganisasian dan Training"})
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "rahasia"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hxODS is an OpenDocument spreadsheet as LibreOffice starts it.
func hxODS(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	w, _ = zw.Create("content.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>`))
	w, _ = zw.Create("META-INF/manifest.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`))
	zw.Close()
	return buf.Bytes()
}

// hxRandom is n bytes of noise, the same every run.
func hxRandom(n int) []byte {
	r := rand.New(rand.NewChaCha8([32]byte{'p', 'a', 'n', 't', 'a', 'u'}))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	b[0] = 0xFF // never a text file, a zip or an OLE2 by chance
	return b
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
		{"lama.xls", func(testing.TB) []byte { return hxCFB("Workbook") }, 0, append(ext, "Excel 97-2003 format (.xls)")},
		{"terkunci-minimal.xlsx", func(testing.TB) []byte { return hxCFB("EncryptionInfo", "EncryptedPackage") }, 0, append(ext, "protected with a password")},
		{"terkunci.xlsx", hxEncrypted, 0, append(ext, "protected with a password")},
		{"data.csv", func(testing.TB) []byte { return []byte("Nama,Jabatan\nSarno,Div. Pengorganisasian\n") }, 0, append(ext, "text file (CSV?)")},
		{"data-utf16.csv", func(testing.TB) []byte { return append([]byte{0xFF, 0xFE}, []byte("N\x00a\x00m\x00a\x00")...) }, 0, append(ext, "UTF-16")},
		{"web.xls", func(testing.TB) []byte {
			return []byte("<html><body><table><tr><td>Nama</td></tr></table></body></html>")
		}, 0, append(ext, "web page (HTML)")},
		{"lembar.ods", hxODS, 0, append(ext, "OpenDocument format (.ods)")},
		{"laporan.xlsx", func(testing.TB) []byte {
			return []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
		}, 0, append(ext, "PDF file")},
		{"acak.xlsx", func(testing.TB) []byte { return hxRandom(4096) }, 0, append(ext, "not recognised")},
		{"terpotong.xlsx", func(t testing.TB) []byte { d := hxGood(t); return d[:len(d)/2] }, 0, append(ext, "corrupt or truncated")},
		{"bukan-buku.zip", func(t testing.TB) []byte { return hxZip(t, hxPart{"foto.txt", []byte("halo")}) }, 0, append(ext, "no xl/workbook.xml")},
		{"biner.xlsb", func(t testing.TB) []byte { return hxZip(t, hxPart{"xl/workbook.bin", []byte{1, 2, 3}}) }, 0, append(ext, ".xlsb")},
		{"besar.xlsx", hxGood, 1000, []string{"over the upload limit"}},

		// Zip bombs: one that says what it unpacks to, one under the limit
		// but inflating a thousandfold, and one whose header lies.
		{"bom.xlsx", func(t testing.TB) []byte { return hxBomb(t, "", xlsx.UnzipLimit>>20+1, 0) }, 0, []string{"refused as a zip bomb"}},
		{"bom-kecil.xlsx", func(t testing.TB) []byte { return hxBomb(t, "", 100, 0) }, 0, []string{"refused as a zip bomb", "100 MiB"}},
		{"bom-bohong.xlsx", func(t testing.TB) []byte {
			prefix := hxSheetXML("", hxPeserta(3))
			prefix = prefix[:strings.Index(prefix, "</sheetData>")]
			return hxBomb(t, prefix, 2048, uint64(len(prefix))+100)
		}, 0, []string{"sheet's XML is broken after row 4"}},

		// Broken XML.
		{"workbook-rusak.xlsx", func(t testing.TB) []byte {
			return hxReplace(t, hxPesertaBook(t, hxPeserta(2)), "xl/workbook.xml", []byte(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Peserta"`))
		}, 0, append(ext, "the workbook cannot be opened")},
		{"sheet-sampah.xlsx", func(t testing.TB) []byte {
			return hxBook(t, []hxSheet{{"Peserta", "\x00\x01garbage<<>>" + string(hxRandom(300))}}, nil)
		}, 0, []string{"row 1 cannot be read", "broken before its first row"}},
		{"sheet-patah.xlsx", func(t testing.TB) []byte {
			rows := hxPeserta(3) + `<row r="5"><c r="A5" t="inlineStr"><is><t>x</t></is></c></rowx>` + hxRow(6, "Orang 5", "Staff") + hxRow(7, "Orang 6", "Staff")
			return hxPesertaBook(t, rows)
		}, 0, []string{"row 6 cannot be read", "broken in row 5", "closed by </rowx>"}},
		{"sheet-patah-akhir.xlsx", func(t testing.TB) []byte {
			rows := hxPeserta(3) + `<row r="5"><c r="A5" t="inlineStr"><is><t>Orang 4</t></is></c><c r="B5" t="inlineStr"><is><t>Staff</t></is></cx></row>`
			return hxPesertaBook(t, rows)
		}, 0, []string{"broken in row 5"}},
		{"sheet-terpotong.xlsx", func(t testing.TB) []byte {
			x := hxSheetXML("", hxPeserta(50))
			return hxBook(t, []hxSheet{{"Peserta", x[:strings.Index(x, `<row r="34">`)+30]}}, nil)
		}, 0, []string{"broken in row 34", "unexpected EOF"}},
		{"sheet-acak-urut.xlsx", func(t testing.TB) []byte {
			return hxPesertaBook(t, hxPeserta(3)+hxRow(3, "Orang 9", "Staff"))
		}, 0, []string{"row 3 comes after row 4"}},
		{"baris-2-miliar.xlsx", func(t testing.TB) []byte {
			return hxPesertaBook(t, hxPeserta(2)+hxRow(2_000_000_000, "Orang", "Staff"))
		}, 0, []string{"row 4 cannot be read", "after row 3 comes a row number above 1048576"}},

		// Cells.
		{"teks-bersama.xlsx", func(t testing.TB) []byte {
			rows := hxRow(1, "Nama", "Jabatan") + hxRow(2, "Sarno", "Staff") +
				`<row r="3"><c r="A3" t="inlineStr"><is><t>Taufan</t></is></c><c r="B3" t="s"><v>7</v></c></row>` + hxRow(4, "Dardiri", "Staff")
			return hxBook(t, []hxSheet{{"Peserta", hxSheetXML("", rows)}}, []string{"Staff", "Manager"})
		}, 0, []string{"row 3 cannot be read", "cell B3 refers to shared string 7, but the table holds only 2"}},
		{"teks-bersama-tanpa-tabel.xlsx", func(t testing.TB) []byte {
			rows := hxRow(1, "Nama", "Jabatan") + `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>Staff</t></is></c></row>`
			return hxPesertaBook(t, rows)
		}, 0, []string{"cell A2 refers to shared string 0, but the table holds only 0"}},
		{"sel-panjang.xlsx", func(t testing.TB) []byte {
			return hxPesertaBook(t, hxRow(1, "Nama", "Jabatan")+hxRow(2, strings.Repeat("a", 40_000), "Staff"))
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
	db, err := queries.Open(e.ctx, filepath.Join(t.TempDir(), "p.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e.db = db
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
		var n int
		if err := e.db.SQL().QueryRowContext(e.ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
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
		"teks-bersama.xlsx": hxBook(t, []hxSheet{{"Peserta", hxSheetXML("",
			hxRow(1, "Nama", "Jabatan")+`<row r="2"><c r="A2" t="inlineStr"><is><t>Sarno</t></is></c><c r="B2" t="s"><v>1</v></c></row>`)}}, []string{"Staff", "Manager"}),
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
	return string(hxBook(t, []hxSheet{{"Peserta", sheet}}, nil))
}

// TestZipBombRefusedFast: a bomb is refused from its zip directory, before
// anything is inflated, and one whose header lies is inflated only as far as
// the header says.
func TestZipBombRefusedFast(t *testing.T) {
	prefix := hxSheetXML("", hxPeserta(3))
	prefix = prefix[:strings.Index(prefix, "</sheetData>")]
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"honest", hxBomb(t, "", xlsx.UnzipLimit>>20+1, 0), "refused as a zip bomb"},
		{"lying", hxBomb(t, prefix, 4096, uint64(len(prefix))+1000), "broken after row 4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newHxEnv(t)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			r, err := ingest.Bytes(e.ctx, e.db, "bom.xlsx", c.data, ingest.Options{By: "test", DataDir: e.dataDir})
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			checkRefused(t, r, []string{c.want})
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d KiB file refused in %v, allocating %.1f MiB", len(c.data)>>10, elapsed, float64(allocated)/(1<<20))
			if elapsed > time.Second {
				t.Errorf("refusing the bomb took %v, want well under a second", elapsed)
			}
			if allocated > 64<<20 {
				t.Errorf("refusing the bomb allocated %d MiB, want under 64", allocated>>20)
			}
			e.nothingStored(t)
		})
	}
}

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
	data := hxBook(t, []hxSheet{{"Peserta", hxSheetXML(`<dimension ref="A1:XFD1048576"/>`, hxPeserta(1))}}, nil)
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
	if limit := time.Second * hxSlow(); elapsed > limit {
		t.Errorf("took %v, want under %v", elapsed, limit)
	}
	if entries, _ := os.ReadDir(e.tmpDir); len(entries) > 0 {
		t.Errorf("TMPDIR holds %s", entries[0].Name())
	}
}

// TestLastRowOfExcel: a person in the last row Excel has, below a header in
// row 1, is read; the million empty rows between cost little.
func TestLastRowOfExcel(t *testing.T) {
	data := hxPesertaBook(t, hxRow(1, "Nama", "Jabatan")+hxRow(1_048_576, "Sarno", "Staff"))
	r, elapsed := hxUpload(t, "baris-terakhir.xlsx", data)
	t.Logf("read in %v", elapsed)
	if !r.OK || r.Sheets[0].Rows != 1 {
		t.Fatalf("want one participant read, got OK=%v sheets=%+v%s", r.OK, r.Sheets, hxProblems(r))
	}
	if limit := 2 * time.Second * hxSlow(); elapsed > limit {
		t.Errorf("took %v, want under %v", elapsed, limit)
	}
}

// hxRace says whether the race detector is on, as the binary's build
// settings record it.
var hxRace = func() bool {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}()

// hxSlow is how many times slower than usual the tests run: ten under the
// race detector, whose build setting the binary records.
func hxSlow() time.Duration {
	if hxRace {
		return 10
	}
	return 1
}

// TestFormulaCellReadAsText: a formula in a text column is read as the text
// it last computed, not as the formula.
func TestFormulaCellReadAsText(t *testing.T) {
	rows := hxRow(1, "Nama", "Jabatan") +
		`<row r="2"><c r="A2" t="str"><f>HYPERLINK("http://x","y")</f><v>y</v></c><c r="B2" t="inlineStr"><is><t>Staff</t></is></c></row>`
	e := newHxEnv(t)
	r, err := ingest.Bytes(e.ctx, e.db, "rumus.xlsx", hxPesertaBook(t, rows), ingest.Options{By: "test", DataDir: e.dataDir})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK {
		t.Fatalf("refused:%s", hxProblems(r))
	}
	var name string
	if err := e.db.SQL().QueryRowContext(e.ctx, "SELECT name FROM participants").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "y" {
		t.Errorf("name = %q, want the formula's cached text %q", name, "y")
	}
}

// TestScriptSheetNameIgnoredVerbatim: a sheet name is data like any other;
// it is reported as it is, and escaping it is the caller's job.
func TestScriptSheetNameIgnoredVerbatim(t *testing.T) {
	name := `<script>alert("x")</script>`
	data := hxBook(t, []hxSheet{{"Peserta", hxSheetXML("", hxPeserta(1))}, {name, hxSheetXML("", hxRow(1, "a"))}}, nil)
	r, _ := hxUpload(t, "skrip.xlsx", data)
	if !r.OK || len(r.IgnoredSheets) != 1 || r.IgnoredSheets[0] != name {
		t.Errorf("want OK and ignored sheet %q, got OK=%v ignored=%q%s", name, r.OK, r.IgnoredSheets, hxProblems(r))
	}
}

// TestLongCellAtItsCell: the cell over Excel's 32,767 characters is named.
func TestLongCellAtItsCell(t *testing.T) {
	data := hxPesertaBook(t, hxRow(1, "Nama", "Jabatan")+hxRow(2, "Sarno", "Staff")+hxRow(3, strings.Repeat("é", 40_000), "Staff"))
	r, _ := hxUpload(t, "panjang.xlsx", data)
	checkRefused(t, r, []string{"40000 characters"})
	for _, p := range r.Problems {
		if p.Severity == ingest.SeverityError && (p.Sheet != "Peserta" || p.Cell != "A3" || p.Row != 3 || len(p.Value) > 400) {
			t.Errorf("problem %+v, want it at Peserta!A3 with a clipped value", p)
		}
	}
}

// hxBigBook is a participant workbook whose sheet is head, then n copies
// of filler, then tail: stored, not deflated, and written straight into the
// zip, since every copy of a big buffer is slow under the race detector.
func hxBigBook(t testing.TB, head string, filler []byte, n int, tail string) []byte {
	t.Helper()
	good := hxPesertaBook(t, "")
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	sheet := hxSheetXML("", "\x00")
	head, tail = sheet[:strings.Index(sheet, "\x00")]+head, tail+sheet[strings.Index(sheet, "\x00")+1:]
	buf := bytes.NewBuffer(make([]byte, 0, len(good)+len(head)+n*len(filler)+len(tail)+1024))
	zw := zip.NewWriter(buf)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, head)
		for range n {
			w.Write(filler)
		}
		io.WriteString(w, tail)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBigSheet: a sheet over 64 MiB, which excelize reads from a temporary
// file rather than from memory, read whole, and broken after its first rows.
func TestBigSheet(t *testing.T) {
	// Noise between the rows, which the XML allows and excelize skips: it
	// makes the sheet big without many rows to decode.
	noise := hxRandom(1 << 20)
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
	for i, b := range noise {
		noise[i] = letters[int(b)%len(letters)]
	}
	for _, c := range []struct {
		name       string
		head, tail string
		want       []string
	}{
		// excelize decodes all of it: seconds, more under the race detector.
		{"whole", hxPeserta(3), hxRow(5, "Orang 4", "Staff"), nil},
		{"broken", hxPeserta(3) + `<row r="5"><c r="A5"></cx></row>`, hxRow(6, "Orang 5", "Staff"), []string{"broken in row 5"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.want == nil && (testing.Short() || hxRace) {
				t.Skip("decodes 65 MiB of XML")
			}
			data := hxBigBook(t, c.head, noise, 65, c.tail)
			e := newHxEnv(t)
			start := time.Now()
			r, err := ingest.Bytes(e.ctx, e.db, "besar.xlsx", data, ingest.Options{DryRun: true, By: "test", DataDir: e.dataDir, MaxUpload: 128 << 20})
			t.Logf("%d MiB read in %v", len(data)>>20, time.Since(start))
			if err != nil {
				t.Fatal(err)
			}
			if c.want == nil {
				if !r.OK || r.Sheets[0].Rows != 4 {
					t.Errorf("want 4 participants, got OK=%v sheets=%+v%s", r.OK, r.Sheets, hxProblems(r))
				}
			} else {
				checkRefused(t, r, c.want)
			}
			e.nothingStored(t)
		})
	}
}

// TestDamagedSamplesRefused: the sample workbooks cut short, or with a
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
