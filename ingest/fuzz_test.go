package ingest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duckdb/duckdb-go/v2"

	"pantau/ingest"
	"pantau/queries"
)

// FuzzIngest feeds ingest any bytes: the sample workbooks, the hostile files
// of hostile_test.go and damaged copies of them. Whatever the input, ingest
// must not panic, must answer with a report rather than an error (unless
// the database fails), and a refusal must say why.
func FuzzIngest(f *testing.F) {
	for _, path := range []string{"../sampledata/peserta.xlsx", "../sampledata/survei.xlsx"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		if len(data) < 64<<10 { // the survey's damaged copies take long to check
			for _, d := range hxDamaged(f, data) {
				f.Add(d.data)
			}
		}
	}
	for _, c := range hxRefused() {
		if data := c.data(f); len(data) <= 2<<20 {
			f.Add(data)
		}
	}
	small := hxPesertaBook(f, hxPeserta(5))
	f.Add(small)
	for _, d := range hxDamaged(f, small) {
		f.Add(d.data)
	}
	f.Add([]byte(hxPrefixed(f)))

	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(f.TempDir(), "p.duckdb"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	dataDir, tmpDir := f.TempDir(), f.TempDir()
	f.Setenv("TMPDIR", tmpDir)

	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ingest.Bytes(ctx, db, "f.xlsx", data, ingest.Options{DryRun: true, By: "fuzz", DataDir: dataDir})
		if err != nil {
			if errors.As(err, new(*duckdb.Error)) {
				t.Skipf("database: %v", err)
			}
			t.Fatalf("error other than a database one: %v", err)
		}
		if r == nil {
			t.Fatal("no report")
		}
		if r.OK != (r.ErrorCount == 0) {
			t.Errorf("OK=%v with %d errors", r.OK, r.ErrorCount)
		}
		if !r.OK {
			errs := 0
			for _, p := range r.Problems {
				if p.Severity == ingest.SeverityError {
					errs++
				}
			}
			if errs == 0 && len(r.Problems) < 1000 {
				t.Errorf("refused without an error problem:%s", hxProblems(r))
			}
		}
		for _, p := range r.Problems {
			if strings.TrimSpace(p.Message) == "" {
				t.Errorf("problem without a message: %+v", p)
			}
		}
		if r.ImportID != nil {
			t.Errorf("a dry run made import %d", *r.ImportID)
		}
		for _, dir := range []string{dataDir, tmpDir} {
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Fatalf("%s holds %s after ingest", dir, entries[0].Name())
			}
		}
	})
}

// hxDamage is a damaged copy of a file; refused says that no reader can
// take it for a whole workbook.
type hxDamage struct {
	what    string
	data    []byte
	refused bool
}

// hxDamaged returns copies of an .xlsx damaged as files get damaged: cut
// short, with a byte flipped, and with a worksheet's compressed data zeroed
// in the middle while the zip directory stays whole.
func hxDamaged(t testing.TB, data []byte) []hxDamage {
	t.Helper()
	var out []hxDamage
	for _, cut := range []int{len(data) / 4, len(data) / 2, len(data) - 22, len(data) - 1} {
		out = append(out, hxDamage{fmt.Sprintf("cut to %d bytes", cut), bytes.Clone(data[:cut]), true})
	}
	for _, at := range []int{len(data) / 3, len(data) / 2, 2 * len(data) / 3} {
		d := bytes.Clone(data)
		d[at] ^= 0x55
		out = append(out, hxDamage{fmt.Sprintf("byte %d flipped", at), d, false})
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || f.CompressedSize64 < 64 {
			continue
		}
		start, err := f.DataOffset()
		if err != nil {
			t.Fatal(err)
		}
		d := bytes.Clone(data)
		mid := start + int64(f.CompressedSize64)/2
		clear(d[mid : mid+16])
		out = append(out, hxDamage{f.Name + " zeroed in the middle", d, true})
	}
	return out
}
