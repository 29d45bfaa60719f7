package sampledata

import (
	"archive/zip"
	"cmp"
	"compress/flate"
	"io"
	"os"
	"slices"

	"github.com/xuri/excelize/v2"
)

// styles are the cell styles the sample workbooks share.
type styles struct {
	title, header, date, money int
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	// ISO dates read the same in every locale.
	dateFmt := "yyyy-mm-dd"
	defs := []struct {
		id    *int
		style *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}},
		{&st.header, &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "center"},
		}},
		{&st.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&st.money, &excelize.Style{NumFmt: 3}}, // #,##0
	}
	for _, d := range defs {
		if *d.id, err = f.NewStyle(d.style); err != nil {
			return st, err
		}
	}
	return st, nil
}

// freezeRows keeps the first n rows (title and header) in view when scrolling.
func freezeRows(n int) *excelize.Panes {
	cell, _ := excelize.CoordinatesToCellName(1, n+1)
	return &excelize.Panes{Freeze: true, YSplit: n, TopLeftCell: cell, ActivePane: "bottomLeft"}
}

// setDocProps fixes the document properties, so that nothing in the file
// depends on when it was generated.
func setDocProps(f *excelize.File, title string) error {
	const when = "2014-09-11T00:00:00Z"
	return f.SetDocProps(&excelize.DocProperties{
		Title:          title,
		Creator:        "pantau",
		LastModifiedBy: "pantau",
		Language:       "id-ID",
		Created:        when,
		Modified:       when,
	})
}

// writeWorkbook writes f to w as a reproducible .xlsx.
//
// excelize writes the parts of stream-written sheets in Go map order, so a
// workbook with two streamed sheets comes out with its zip entries shuffled
// from run to run; it also builds the whole zip in a bytes.Buffer. So we let
// it write the zip to a temporary file instead, then copy the compressed
// entries (raw, without recompressing) to w in a fixed order.
func writeWorkbook(f *excelize.File, w io.Writer) (err error) {
	tmp, err := os.CreateTemp("", "pantau-sample-*.xlsx")
	if err != nil {
		return err
	}
	defer func() {
		tmp.Close()
		if rmErr := os.Remove(tmp.Name()); err == nil {
			err = rmErr
		}
	}()

	zw := zip.NewWriter(tmp)
	// Compression took half the time of a large survey; the fastest level
	// cuts the total by a third for a file about 30% larger.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zw })
	// With our zip writer the returned buffer stays empty; zw is closed.
	if _, err := f.WriteToBuffer(); err != nil {
		return err
	}
	size, err := tmp.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(tmp, size)
	if err != nil {
		return err
	}

	// [Content_Types].xml first, as Office writes it; then by name.
	entries := slices.Clone(zr.File)
	rank := func(e *zip.File) int {
		if e.Name == "[Content_Types].xml" {
			return 0
		}
		return 1
	}
	slices.SortFunc(entries, func(a, b *zip.File) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Name, b.Name))
	})
	out := zip.NewWriter(w)
	for _, e := range entries {
		if err := out.Copy(e); err != nil {
			return err
		}
	}
	return out.Close()
}
