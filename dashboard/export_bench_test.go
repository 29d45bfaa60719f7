package dashboard

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/queries"
)

// BenchmarkSummaryWorkbook writes the whole summary workbook from the
// 1M-respondent database, uncached: the queries (Summary, organizing by
// region, the import history) and the .xlsx with its charts, as
// `pantau export` does. The target is under 1 s; ms/median is the median
// over the iterations.
func BenchmarkSummaryWorkbook(b *testing.B) {
	db := benchDB(b)
	for _, filter := range []struct {
		name string
		f    queries.Filter
	}{{"all", queries.Filter{}}, {"filtered", benchFilter()}} {
		b.Run(filter.name, func(b *testing.B) {
			var times []time.Duration
			var size countingWriter
			for b.Loop() {
				size = 0
				start := time.Now()
				r, err := db.Report(context.Background(), filter.f, queries.ReportOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if err := report.WriteWorkbook(&size, r, locale.Default(), time.Now()); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms/median")
			b.ReportMetric(float64(size), "bytes/workbook")
		})
	}
}

// countingWriter counts what is written to it.
type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
