package ingest_test

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"pantau/ingest"
	"pantau/ingest/xlsx/xlsxtest"
)

// TestMain compares the focused sheet reader with excelize's Rows (see
// xlsxtest.SameRows) on every distinct workbook the tests of this package
// ingest, up to 1 MiB each, and fails the package when they disagree on one.
func TestMain(m *testing.M) {
	var mu sync.Mutex
	var disagree []string
	seen := map[[32]byte]bool{}
	books, rows := 0, 0
	ingest.ShowWorkbooks(func(r io.ReaderAt, size int64) {
		if size > 1<<20 {
			return // the big ones are the samples, compared in ingest/xlsx
		}
		data := make([]byte, size)
		if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
			return
		}
		sum := sha256.Sum256(data)
		mu.Lock()
		again := seen[sum]
		seen[sum] = true
		mu.Unlock()
		if again {
			return
		}
		a, err := xlsxtest.SameRows(data)
		mu.Lock()
		defer mu.Unlock()
		books, rows = books+1, rows+a.Rows
		if err != nil {
			disagree = append(disagree, err.Error())
		}
	})
	code := m.Run()
	if testing.Verbose() || len(disagree) > 0 {
		fmt.Printf("the focused reader and excelize compared on %d workbooks ingested, %d rows\n", books, rows)
	}
	if len(disagree) > 0 {
		fmt.Printf("they disagree on %d:\n  %s\n", len(disagree), strings.Join(disagree, "\n  "))
		code = 1
	}
	os.Exit(code)
}

// The hostile files and the damaged samples, each compared: the focused
// reader reads them as excelize does, or leaves them to it.
func TestSheetReaderAgreesOnHostileFiles(t *testing.T) {
	compared := 0
	check := func(what string, data []byte) {
		a, err := xlsxtest.SameRows(data)
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
		compared += a.Sheets
	}
	for _, c := range hxRefused() {
		check(c.name, c.data(t))
	}
	samples := []string{"../sampledata/peserta.xlsx", "../sampledata/survei.xlsx"}
	if xlsxtest.Race {
		samples = samples[:1] // the survey's copies take minutes under the race detector
	}
	for _, path := range samples {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range hxDamaged(t, data) {
			check(path+" "+d.what, d.data)
		}
	}
	if want := len(samples) * 8; compared < want {
		t.Errorf("only %d sheets compared, want %d at least", compared, want)
	}
	t.Logf("%d sheets compared", compared)
}
