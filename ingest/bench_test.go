package ingest_test

import (
	"archive/zip"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/ingest"
	"pantau/ingest/xlsx"
	"pantau/queries"
	"pantau/sampledata"
)

// surveyFile100k is the benchmark workbook: a 100,000-respondent survey
// from the sample generator, kept in the temp folder across runs.
func surveyFile100k(b *testing.B) string { return surveyFile(b, 100_000) }

func surveyFile(b *testing.B, respondents int) string {
	path, err := sampledata.CachedSurvey(sampledata.SurveyOptions{Respondents: respondents, Groups: respondents / 20, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// benchSizes are the survey sizes the ingest benchmarks run: 100,000
// respondents always, and 1,000,000 under `make bench` (PANTAU_BENCH_BIG
// set, or a -benchtime other than make test's 1x).
func benchSizes() []int {
	if os.Getenv("PANTAU_BENCH_BIG") != "" {
		return []int{100_000, 1_000_000}
	}
	if f := flag.Lookup("test.benchtime"); f != nil && f.Value.String() != "1x" {
		return []int{100_000, 1_000_000}
	}
	return []int{100_000}
}

// unzipSheets inflates every worksheet of the workbook at path to nowhere
// with `unzip -p`, the floor of any reading of them (archive/zip when
// there is no unzip), and returns how long it took.
func unzipSheets(b *testing.B, path string) time.Duration {
	start := time.Now()
	if _, err := exec.LookPath("unzip"); err != nil {
		zr, err := zip.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "xl/worksheets/") {
				rc, err := f.Open()
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, rc)
				rc.Close()
			}
		}
		return time.Since(start)
	}
	devNull, err := os.Create(os.DevNull)
	if err != nil {
		b.Fatal(err)
	}
	defer devNull.Close()
	var stderr strings.Builder
	cmd := exec.Command("unzip", "-p", path, "xl/worksheets/*.xml")
	cmd.Stdout, cmd.Stderr = devNull, &stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("unzip: %v: %s", err, stderr.String())
	}
	return time.Since(start)
}

// BenchmarkExcelizeRows is the baseline: excelize's own streaming iteration
// over every row of every sheet of the file, reading raw cell values.
func BenchmarkExcelizeRows(b *testing.B) {
	path := surveyFile100k(b)
	for b.Loop() {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		cells := 0
		for _, sheet := range f.GetSheetList() {
			rows, err := f.Rows(sheet)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				row, err := rows.Columns(excelize.Options{RawCellValue: true})
				if err != nil {
					b.Fatal(err)
				}
				cells += len(row)
			}
			rows.Close()
		}
		f.Close()
		if cells < 100_000*20 {
			b.Fatalf("read only %d cells", cells)
		}
	}
}

// BenchmarkIngest ingests the survey into a fresh database (sniff, hash,
// read and validate every cell, stage, classify, commit with the
// current-state refresh, keep the file) and, in the same run, unzips its
// worksheets with `unzip -p`: the ratio of the two is how far the ingest is
// from the floor of reading the file at all (the target is 8x).
func BenchmarkIngest(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("respondents=%d", n), func(b *testing.B) {
			path := surveyFile(b, n)
			ctx := context.Background()
			var ingestTime, unzipTime time.Duration
			for b.Loop() {
				b.StopTimer()
				unzipTime += unzipSheets(b, path)
				dir := b.TempDir()
				db, err := queries.Open(ctx, filepath.Join(dir, "bench.duckdb"))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				r, err := ingest.File(ctx, db, path, ingest.Options{By: "bench", DataDir: dir, MaxUpload: 1 << 30})
				ingestTime += time.Since(start)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				if !r.OK || r.Sheets[0].New != n {
					b.Fatalf("ingest: ok=%v sheets=%+v problems=%v", r.OK, r.Sheets, r.Problems)
				}
				db.Close()
				b.StartTimer()
			}
			reportAgainstUnzip(b, ingestTime, unzipTime)
		})
	}
}

// BenchmarkSheetReader reads every row of every sheet of the survey with
// the focused reader (Workbook.Rows, from a workbook opened with OpenAt),
// against `unzip -p` of the same sheets in the same run: the reading alone.
func BenchmarkSheetReader(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("respondents=%d", n), func(b *testing.B) {
			path := surveyFile(b, n)
			var readTime, unzipTime time.Duration
			for b.Loop() {
				b.StopTimer()
				unzipTime += unzipSheets(b, path)
				b.StartTimer()
				start := time.Now()
				cells := readAllSheets(b, path)
				readTime += time.Since(start)
				if cells < n*18 {
					b.Fatalf("read only %d cells", cells)
				}
			}
			reportAgainstUnzip(b, readTime, unzipTime)
		})
	}
}

func readAllSheets(b *testing.B, path string) (cells int) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	wb, err := xlsx.OpenAt(f, st.Size())
	if err != nil {
		b.Fatal(err)
	}
	defer wb.Close()
	for _, sheet := range wb.GetSheetList() {
		rows, err := wb.Rows(sheet)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			row, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			cells += len(row)
		}
		if rows.ByExcelize() {
			b.Fatalf("sheet %s left to excelize", sheet)
		}
		rows.Close()
	}
	return cells
}

// reportAgainstUnzip reports the time per run of the work and of the
// floor, and their ratio.
func reportAgainstUnzip(b *testing.B, work, floor time.Duration) {
	runs := float64(max(b.N, 1))
	b.ReportMetric(work.Seconds()/runs, "s/run")
	b.ReportMetric(floor.Seconds()/runs, "unzip-s/run")
	b.ReportMetric(work.Seconds()/floor.Seconds(), "x-unzip")
}
