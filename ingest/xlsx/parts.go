package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// sheetSource is the XML of one sheet as excelize reads it: held in memory,
// or in a temporary file for a big sheet.
type sheetSource struct {
	data  []byte    // in memory
	entry *zip.File // else the sheet in the zip
	file  *os.File  // and excelize's copy of it, when found
	size  int64
}

// sheetSource finds the XML of the named sheet.
func (wb *Workbook) sheetSource(sheet string) (*sheetSource, error) {
	part, ok := wb.sheetPart(sheet)
	if !ok {
		return nil, &Error{Kind: MissingSheetXML, Sheet: sheet}
	}
	if b, ok := wb.Pkg.Load(part); ok && len(b.([]byte)) > 0 {
		return &sheetSource{data: b.([]byte)}, nil
	}
	src := &sheetSource{}
	for _, f := range wb.zip.File {
		if strings.ReplaceAll(f.Name, "\\", "/") == part {
			src.entry = f
		}
	}
	if src.entry == nil {
		return nil, &Error{Kind: MissingSheetXML, Sheet: sheet}
	}
	src.size = int64(src.entry.UncompressedSize64)
	src.file = wb.spilled(src.entry)
	return src, nil
}

// spilled finds excelize's temporary copy of a big sheet: the file in our
// temporary folder of the entry's size that starts as the entry does. When
// it cannot tell, it returns nil and the entry is inflated again instead.
func (wb *Workbook) spilled(entry *zip.File) *os.File {
	if wb.tmpDir == "" {
		return nil
	}
	names, err := os.ReadDir(wb.tmpDir)
	if err != nil {
		return nil
	}
	var head []byte
	var found *os.File
	for _, d := range names {
		info, err := d.Info()
		if err != nil || !info.Mode().IsRegular() || uint64(info.Size()) != entry.UncompressedSize64 {
			continue
		}
		if head == nil {
			rc, err := entry.Open()
			if err != nil {
				return nil
			}
			head = make([]byte, min(info.Size(), 64<<10))
			_, err = io.ReadFull(rc, head)
			rc.Close()
			if err != nil {
				return nil
			}
		}
		f, err := os.Open(filepath.Join(wb.tmpDir, d.Name()))
		if err != nil {
			continue
		}
		got := make([]byte, len(head))
		if _, err := io.ReadFull(f, got); err != nil || !bytes.Equal(got, head) {
			f.Close()
			continue
		}
		if found != nil { // two alike: cannot tell which
			found.Close()
			f.Close()
			return nil
		}
		found = f
	}
	return found
}

// tail returns the last size bytes of the sheet (all of them if fewer) and
// whether that is the whole sheet.
func (s *sheetSource) tail(size int64) ([]byte, bool, error) {
	switch {
	case s.data != nil:
		return s.data, true, nil // searched from its end, so no need to cut
	case s.file != nil:
		off := max(0, s.size-size)
		b := make([]byte, s.size-off)
		_, err := s.file.ReadAt(b, off)
		return b, off == 0, err
	}
	return nil, false, errors.New("no copy of the sheet to read its end from")
}

// open streams the whole sheet.
func (s *sheetSource) open() (io.ReadCloser, error) {
	switch {
	case s.data != nil:
		return io.NopCloser(bytes.NewReader(s.data)), nil
	case s.file != nil:
		return io.NopCloser(io.NewSectionReader(s.file, 0, s.size)), nil
	}
	return s.entry.Open()
}

func (s *sheetSource) close() {
	if s.file != nil {
		s.file.Close()
	}
}

// sheetPart is the part name of a sheet's XML, found as excelize finds it:
// the workbook's relationship for the sheet, relative to the workbook part.
func (wb *Workbook) sheetPart(sheet string) (string, bool) {
	if wb.WorkBook == nil {
		return "", false
	}
	book := ""
	for _, rel := range wb.rels("_rels/.rels") {
		if strings.HasSuffix(rel.Type, "/officeDocument") {
			book = strings.TrimPrefix(rel.Target, "/")
			break
		}
	}
	relsPath := "_rels/" + filepath.Base(book) + ".rels"
	if dir := filepath.Dir(book); dir != "." {
		relsPath = strings.TrimPrefix(dir+"/_rels/"+filepath.Base(book)+".rels", "/")
	}
	rels := wb.rels(relsPath)
	for _, s := range wb.WorkBook.Sheets.Sheet {
		if !strings.EqualFold(s.Name, sheet) {
			continue
		}
		for _, rel := range rels {
			if rel.ID != s.ID {
				continue
			}
			path := filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(filepath.Dir(book)+"/"+rel.Target), "\\", "/"), "/"))
			if strings.HasPrefix(rel.Target, "/") {
				path = filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(rel.Target), "\\", "/"), "/"))
			}
			return path, true
		}
	}
	return "", false
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Target string `xml:"Target,attr"`
	Type   string `xml:"Type,attr"`
}

func (wb *Workbook) rels(part string) []relationship {
	b, ok := wb.Pkg.Load(part)
	if !ok {
		return nil
	}
	var rels struct {
		Relationships []relationship `xml:"Relationship"`
	}
	d := xml.NewDecoder(bytes.NewReader(b.([]byte)))
	d.CharsetReader = wb.CharsetReader
	d.Decode(&rels)
	return rels.Relationships
}
