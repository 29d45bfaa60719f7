package queries_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"pantau/queries"
)

// benchTargets adds 2,000 targets to the benchmark fixture, once: every
// indicator of the catalogue (19) for the whole program and each of the
// nine regions (10) over the periods below (quarters, months, a half year
// and a year) around the as-of date of the benchmark, so that some have
// ended, some are in progress and some have not started; the first 2,000
// of those 2,090.
var benchTargets sync.Once

var benchTargetPeriods = []struct{ period, start, end string }{
	{"2014-Q4", "2014-10-01", "2014-12-31"}, {"2015-Q1", "2015-01-01", "2015-03-31"},
	{"2015-Q2", "2015-04-01", "2015-06-30"}, {"2015-Q3", "2015-07-01", "2015-09-30"},
	{"2014-11", "2014-11-01", "2014-11-30"}, {"2015-01", "2015-01-01", "2015-01-31"},
	{"2015-02", "2015-02-01", "2015-02-28"}, {"2015-03", "2015-03-01", "2015-03-31"},
	{"2015-H1", "2015-01-01", "2015-06-30"}, {"2015", "2015-01-01", "2015-12-31"},
	{"2015-Q4", "2015-10-01", "2015-12-31"},
}

func benchTargetsDB(b *testing.B) *queries.DB {
	db := benchDB(b)
	benchTargets.Do(func() {
		regions := []string{"", "Kota Malang", "Kab. Malang", "Kota Batu", "Kota Surabaya", "Kab. Sidoarjo",
			"Kota Mojokerto", "Kab. Mojokerto", "Kab. Probolinggo", "Kab. Jember"}
		queries.MustCommit(b, db, "targets-bench.xlsx", func(batch *queries.Batch) error {
			n := 0
			for k, p := range benchTargetPeriods {
				for j, region := range regions {
					for i, in := range queries.Indicators {
						if n++; n > 2000 {
							return nil
						}
						value := float64(100 + 10*i + j + k)
						if in.Kind == queries.ShareKind {
							value = 0.5
						}
						if err := batch.AddTarget(target(in.Code, region, p.period, p.start, p.end, value)); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
	})
	return db
}

// BenchmarkTargets judges the 2,000 targets against the 1,000,000
// respondents and 50,000 groups, uncached, with no filter, with two regions
// and a period, and with one region (the goal is under 100 ms). Each round
// also runs, untimed and right after, two baselines that meet the same load
// on a shared machine: TargetsDirect, the same query with the group
// measures computed from the rows of group_stages as before the group_days
// rollup (direct-ms, and x-direct the median ratio), and Summary for the
// same filter (x-summary). Run it with
// go test -run '^$' -bench Targets -benchtime 10x ./queries/.
func BenchmarkTargets(b *testing.B) {
	db := benchTargetsDB(b)
	ctx := context.Background()
	asOf := day("2015-02-15")
	for _, f := range []struct {
		name   string
		filter queries.Filter
	}{
		{"all", queries.Filter{}},
		{"regions+period", queries.Filter{Regions: []string{"Kota Malang", "Kab. Jember"}, From: day("2014-10-01"), To: day("2015-03-31")}},
		{"one-region", queries.Filter{Regions: []string{"Kab. Jember"}}},
	} {
		b.Run(f.name, func(b *testing.B) {
			var times, direct, summary []time.Duration
			var xDirect, xSummary []float64
			n := 0
			for b.Loop() {
				start := time.Now()
				r, err := db.Targets(ctx, f.filter, asOf)
				if err != nil {
					b.Fatal(err)
				}
				took := time.Since(start)
				b.StopTimer()
				start = time.Now()
				d, err := db.TargetsDirect(ctx, f.filter, asOf)
				if err != nil {
					b.Fatal(err)
				}
				tookDirect := time.Since(start)
				start = time.Now()
				if _, err := db.Summary(ctx, f.filter); err != nil {
					b.Fatal(err)
				}
				tookSummary := time.Since(start)
				if len(d.Targets) != len(r.Targets) {
					b.Fatalf("direct: %d targets, want %d", len(d.Targets), len(r.Targets))
				}
				b.StartTimer()
				times, direct, summary = append(times, took), append(direct, tookDirect), append(summary, tookSummary)
				xDirect, xSummary = append(xDirect, float64(took)/float64(tookDirect)), append(xSummary, float64(took)/float64(tookSummary))
				n = len(r.Targets)
			}
			if f.name == "all" && n != 2000 {
				b.Fatal(fmt.Errorf("judged %d targets, want 2000", n))
			}
			b.ReportMetric(median(times), "median-ms")
			b.ReportMetric(median(direct), "direct-ms")
			b.ReportMetric(medianOf(xDirect), "x-direct")
			b.ReportMetric(medianOf(xSummary), "x-summary")
			b.ReportMetric(float64(n), "targets")
		})
	}
}

// median is the median of times in milliseconds.
func median(times []time.Duration) float64 {
	return float64(slices.Sorted(slices.Values(times))[len(times)/2]) / float64(time.Millisecond)
}

func medianOf(xs []float64) float64 { return slices.Sorted(slices.Values(xs))[len(xs)/2] }
