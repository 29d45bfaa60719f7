package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"pantau/ingest"
	"pantau/queries"
	"pantau/sampledata"
)

// The benchmark workbook: a 100,000-respondent survey from the sample
// generator, with real kecamatan and desa of each region.
var (
	benchOnce sync.Once
	benchFile string
	benchErr  error
)

func surveyFile100k(b *testing.B) string {
	benchOnce.Do(func() {
		// Kept in the temp folder across runs: it is the same file every time.
		benchFile = filepath.Join(os.TempDir(), "pantau-bench-survei-100k-seed7-areas.xlsx")
		if _, err := os.Stat(benchFile); err == nil {
			return
		}
		tmp := benchFile + ".part"
		out, err := os.Create(tmp)
		if err != nil {
			benchErr = err
			return
		}
		benchErr = sampledata.WriteSurvey(out, sampledata.SurveyOptions{Respondents: 100_000, Groups: 5_000, Seed: 7})
		if err := out.Close(); benchErr == nil {
			benchErr = err
		}
		if benchErr == nil {
			benchErr = os.Rename(tmp, benchFile)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFile
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

// BenchmarkIngest ingests the same file into a fresh database: validation,
// staging, classification and the commit with its current-state refresh.
// Its sub-benchmarks, run one after the other in the same run, measure the
// kecamatan and desa checks against the official catalogue: "areas" is
// ingest as it is, "no_areas" the same without those checks (regions still
// resolve against the catalogue), the path before the catalogue.
func BenchmarkIngest(b *testing.B) {
	path := surveyFile100k(b)
	for _, bc := range []struct {
		name  string
		areas bool
	}{{"areas", true}, {"no_areas", false}} {
		b.Run(bc.name, func(b *testing.B) {
			ingest.SetCheckPlaces(bc.areas)
			defer ingest.SetCheckPlaces(true)
			benchmarkIngest(b, path)
		})
	}
}

func benchmarkIngest(b *testing.B, path string) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		db, err := queries.Open(ctx, filepath.Join(dir, "bench.duckdb"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		r, err := ingest.File(ctx, db, path, ingest.Options{By: "bench", DataDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if !r.OK || r.Sheets[0].New != 100_000 {
			b.Fatalf("ingest: ok=%v sheets=%+v problems=%v", r.OK, r.Sheets, r.Problems)
		}
		db.Close()
		b.StartTimer()
	}
}

// areaRows are the Wilayah, Kecamatan and Desa/Kelurahan cells of the
// benchmark workbook's Responden sheet, read once.
var (
	areaRowsOnce sync.Once
	areaRows     [][3]string
)

// BenchmarkAreaChecks is the work the catalogue adds to an ingest of the
// 100k workbook, apart from reading and storing: resolving every row's
// region ("regions") and also its kecamatan and desa ("areas"), as ingest
// does for one file. Their difference is what the kecamatan and desa checks
// cost, to set against BenchmarkIngest's time.
func BenchmarkAreaChecks(b *testing.B) {
	path := surveyFile100k(b)
	areaRowsOnce.Do(func() {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		rows, err := f.Rows("Responden")
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			cells, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			if len(cells) > 4 && cells[0] != "ID Responden" {
				areaRows = append(areaRows, [3]string{cells[2], cells[3], cells[4]})
			}
		}
	})
	if len(areaRows) != 100_000 {
		b.Fatalf("read %d rows", len(areaRows))
	}
	for _, places := range []bool{false, true} {
		name := map[bool]string{false: "regions", true: "areas"}[places]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				matched := ingest.CheckAreas(areaRows, places)
				if places && matched != len(areaRows) { // the sample's kecamatan are all real
					b.Fatalf("%d of %d kecamatan matched", matched, len(areaRows))
				}
			}
		})
	}
}
