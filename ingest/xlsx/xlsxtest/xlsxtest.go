// Package xlsxtest builds the files the tests of pantau's workbook reader,
// of ingest and of the dashboard feed them: minimal .xlsx files as programs
// other than Excel write them, hostile ones (zip bombs, OLE2 files, noise),
// and workbooks as Excel writes them from rows of values (Workbook). It also
// reads back the cells of a workbook pantau wrote (RawRows, CellsAre, CellIs).
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// Part is one entry of a zip.
type Part struct {
	Name string
	Data []byte
}

// Zip writes parts into a zip, deflated.
func Zip(t testing.TB, parts ...Part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		method := zip.Deflate
		if len(p.Data) > 8<<20 {
			method = zip.Store // big test data deflates slowly
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.Name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Escape escapes text for XML content and attributes.
func Escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// Row is a row of inline-string cells from column A.
func Row(r int, texts ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, s := range texts {
		if s == "" {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, r)
		fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, cell, Escape(s))
	}
	b.WriteString("</row>")
	return b.String()
}

// ns declares the spreadsheet namespaces, the default one unprefixed.
const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// SheetXML is a worksheet holding rows, with head before <sheetData>.
func SheetXML(head, rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet ` + ns + `>` + head + `<sheetData>` + rows + `</sheetData></worksheet>`
}

// Sheet is a named sheet and its worksheet XML.
type Sheet struct{ Name, XML string }

// Book is a minimal .xlsx, as a program other than Excel writes it: the
// sheets in order, shared strings when sst is not nil, extra parts last.
func Book(t testing.TB, sheets []Sheet, sst []string, extra ...Part) []byte {
	t.Helper()
	var types, book, rels strings.Builder
	types.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`)
	book.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ` + ns + `><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	var parts []Part
	for i, s := range sheets {
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&book, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, Escape(s.Name), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		parts = append(parts, Part{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), []byte(s.XML)})
	}
	if sst != nil {
		types.WriteString(`<Override PartName="/xl/sharedStrings.XML" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.XML"/>`, len(sheets)+1)
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(sst), len(sst))
		for _, s := range sst {
			fmt.Fprintf(&b, `<si><t>%s</t></si>`, Escape(s))
		}
		b.WriteString(`</sst>`)
		parts = append(parts, Part{"xl/sharedStrings.XML", []byte(b.String())})
	}
	types.WriteString(`</Types>`)
	book.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	head := []Part{
		{"[Content_Types].xml", []byte(types.String())},
		{"_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", []byte(book.String())},
		{"xl/_rels/workbook.xml.rels", []byte(rels.String())},
	}
	return Zip(t, append(append(head, parts...), extra...)...)
}

// every other entry copied as it is.
func Replace(t testing.TB, data []byte, name string, content []byte) []byte {
	t.Helper()
	return rewrite(t, data, name, 0, func(zw *zip.Writer) (io.Writer, error) { return zw.Create(name) },
		func(w io.Writer) { w.Write(content) })
}

// rewrite copies the zip data, writing the entry name anew: create makes
// it, write fills it. size is a guess at the result's size, to spare copies.
func rewrite(t testing.TB, data []byte, name string, size int, create func(*zip.Writer) (io.Writer, error), write func(io.Writer)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	buf := bytes.NewBuffer(make([]byte, 0, len(data)+size))
	zw := zip.NewWriter(buf)
	for _, f := range zr.File {
		if f.Name != name {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := create(zw)
		if err != nil {
			t.Fatal(err)
		}
		write(w)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zerosDeflate is a raw deflate stream of n MiB of zeros (n >= 2), built
// from one compressed MiB repeated: instant, where compressing a GiB takes
// seconds. The data of the stream is prefix followed by the zeros; its
// checksum is computed only when wanted.
func zerosDeflate(t testing.TB, prefix []byte, n int, checksum bool) (stream []byte, size uint64, crc uint32) {
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

// firstSheet is the part Book writes its first sheet to.
const firstSheet = "xl/worksheets/sheet1.xml"

// Bomb is book (made by Book) with its first sheet replaced by one that
// inflates to n MiB: prefix, then zeros. The sheet's header says declared
// bytes, or, when declared is 0, the true size and checksum.
func Bomb(t testing.TB, book []byte, prefix string, n int, declared uint64) []byte {
	t.Helper()
	stream, size, crc := zerosDeflate(t, []byte(prefix), n, declared == 0)
	if declared == 0 {
		declared = size
	}
	return rewrite(t, book, firstSheet, len(stream), func(zw *zip.Writer) (io.Writer, error) {
		return zw.CreateRaw(&zip.FileHeader{Name: firstSheet, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(stream)), UncompressedSize64: declared})
	}, func(w io.Writer) { w.Write(stream) })
}

// BigBook is book (made by Book) with its first sheet's rows replaced by
// head, then n copies of filler, then tail: stored, not deflated, and
// written straight into the zip, since every copy of a big buffer is slow
// under the race detector.
func BigBook(t testing.TB, book []byte, head string, filler []byte, n int, tail string) []byte {
	t.Helper()
	sheet := SheetXML("", "\x00")
	head, tail = sheet[:strings.Index(sheet, "\x00")]+head, tail+sheet[strings.Index(sheet, "\x00")+1:]
	return rewrite(t, book, firstSheet, len(head)+n*len(filler)+len(tail), func(zw *zip.Writer) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: firstSheet, Method: zip.Store})
	}, func(w io.Writer) {
		io.WriteString(w, head)
		for range n {
			w.Write(filler)
		}
		io.WriteString(w, tail)
	})
}

// CFB is an OLE2 compound file (what .xls and encrypted .xlsx files are)
// holding the named streams, each of 4 KiB of filler.
func CFB(streams ...string) []byte {
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

// Encrypted is a real password-protected workbook, as excelize writes it.
func Encrypted(t testing.TB) []byte {
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

// ODS is an OpenDocument spreadsheet as LibreOffice starts it.
func ODS(t testing.TB) []byte {
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

// Random is n bytes of noise, the same every run.
func Random(n int) []byte {
	r := rand.New(rand.NewChaCha8([32]byte{'p', 'a', 'n', 't', 'a', 'u'}))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	b[0] = 0xFF // never a text file, a zip or an OLE2 by chance
	return b
}

// Race says whether the race detector is on, as the binary's build
// settings record it.
var Race = func() bool {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}()

// Slow is how many times slower than usual the tests run: ten under the
// race detector, whose build setting the binary records.
func Slow() time.Duration {
	if Race {
		return 10
	}
	return 1
}

// DeflatedBook is book (made by Book) with its first sheet's rows replaced
// by what rows writes, deflated as it is written: a small upload whose
// sheet unpacks to gigabytes, without holding them.
func DeflatedBook(t testing.TB, book []byte, rows func(w io.Writer)) []byte {
	t.Helper()
	sheet := SheetXML("", "\x00")
	head, tail := sheet[:strings.Index(sheet, "\x00")], sheet[strings.Index(sheet, "\x00")+1:]
	return rewrite(t, book, firstSheet, 0, func(zw *zip.Writer) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: firstSheet, Method: zip.Deflate})
	}, func(w io.Writer) {
		io.WriteString(w, head)
		rows(w)
		io.WriteString(w, tail)
	})
}
